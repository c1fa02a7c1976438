//! Channels, the channel-focus limit, and the active channels beyond it.

use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use super::objectives::owner_choices;
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::strategy as ops;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::channel::{self, Channel, ChannelDraft, ChannelInput, ChannelStatus, Phase};
use keel_domain::health::Model;
use keel_domain::Invalid;
use keel_store::StoreError;
use serde::Deserialize;
use std::sync::Arc;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/channels", list)
        .post("/w/{ws}/channels/limit", set_limit)
        .get("/w/{ws}/channels/new", new)
        .post("/w/{ws}/channels", create)
        .get("/w/{ws}/channels/{channel}", show)
        .post("/w/{ws}/channels/{channel}", update)
        .post("/w/{ws}/channels/{channel}/delete", delete)
}

pub struct Row {
    pub channel: Channel,
    pub owner: Option<String>,
    pub over: bool,
}

#[derive(Template)]
#[template(path = "strategy/channels.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    limit: usize,
    active: usize,
    limit_version: i64,
    errors: Errors,
    typed_limit: String,
}

async fn view(state: &AppState, ctx: &WsCtx) -> Result<Arc<Model>, PageError> {
    Ok(ops::view(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?)
}

async fn list_page(
    state: &AppState,
    ctx: &WsCtx,
    notice: Option<&str>,
    errors: Invalid,
    typed_limit: Option<String>,
) -> Result<Response, PageError> {
    let m = view(state, ctx).await?;
    let over: Vec<i64> = channel::over_limit(&m).iter().map(|c| c.id).collect();
    let rows = m
        .channels
        .iter()
        .map(|c| Row {
            owner: c
                .owner_id
                .and_then(|id| m.people.iter().find(|p| p.id == id))
                .map(|p| p.name.clone()),
            over: over.contains(&c.id),
            channel: c.clone(),
        })
        .collect();
    let limit = channel::focus_limit(&m);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(&ListPage {
        chrome: ctx.chrome("Channels", "channels").with_notice(notice),
        rows,
        limit,
        active: m
            .channels
            .iter()
            .filter(|c| c.status == ChannelStatus::Active)
            .count(),
        limit_version: state.store.channel_focus_limit(ctx.ws.id).await?.version,
        errors: Errors(errors),
        typed_limit: typed_limit.unwrap_or_else(|| limit.to_string()),
    })?;
    *r.status_mut() = status;
    Ok(r)
}

async fn list(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    list_page(&state, &ctx, q.notice.as_deref(), Invalid::new(), None).await
}

#[derive(Deserialize)]
struct LimitForm {
    #[serde(default)]
    limit: String,
    #[serde(default)]
    version: String,
}

async fn set_limit(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(f): Form<LimitForm>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let limit = match channel::parse_limit(&f.limit) {
        Ok(l) => l,
        Err(inv) => return list_page(&state, &ctx, None, inv, Some(f.limit)).await,
    };
    // An empty version means "never set" (0); anything else must match.
    let expected = if f.version.trim().is_empty() {
        -1
    } else {
        version(&f.version)
    };
    match state
        .store
        .set_channel_focus_limit(ctx.ws.id, expected, limit)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&ctx.link("/channels?notice=channel-limit-saved")).into_response())
        }
        Err(StoreError::Stale { .. }) => {
            let inv = Invalid::one("limit", "Someone changed the limit after you opened the page. It shows the saved value now; set it again if you still want to.");
            list_page(&state, &ctx, None, inv, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ChannelForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub phase: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub monthly_budget: String,
    #[serde(default)]
    pub version: String,
}

impl ChannelForm {
    fn input(&self) -> ChannelInput {
        ChannelInput {
            name: self.name.clone(),
            owner_id: self.owner_id.clone(),
            phase: self.phase.clone(),
            status: self.status.clone(),
            monthly_budget: self.monthly_budget.clone(),
        }
    }

    fn from_channel(c: &Channel) -> ChannelForm {
        ChannelForm {
            name: c.name.clone(),
            owner_id: c.owner_id.map(|i| i.to_string()).unwrap_or_default(),
            phase: c.phase.as_str().into(),
            status: c.status.as_str().into(),
            monthly_budget: c.monthly_budget.to_string(),
            version: c.version.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "strategy/channel_form.html")]
struct FormPage {
    chrome: Chrome,
    channel: Option<Channel>,
    form: ChannelForm,
    errors: Errors,
    owners: Vec<Choice>,
    phases: Vec<Choice>,
    statuses: Vec<Choice>,
    conflict: bool,
    action: String,
}

async fn form_page(
    state: &AppState,
    ctx: &WsCtx,
    stored: Option<Channel>,
    form: ChannelForm,
    errors: Invalid,
    conflict: bool,
) -> Result<Response, PageError> {
    let m = view(state, ctx).await?;
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        chrome: ctx.chrome(
            stored
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_else(|| "Add a channel".into()),
            "channels",
        ),
        action: match &stored {
            Some(c) => ctx.link(&format!("/channels/{}", c.id)),
            None => ctx.link("/channels"),
        },
        owners: owner_choices(&m.people, &form.owner_id),
        phases: choices(
            Phase::ALL.iter().map(|p| (p.as_str(), p.label())),
            &form.phase,
        ),
        statuses: choices(
            ChannelStatus::ALL.iter().map(|s| (s.as_str(), s.as_str())),
            &form.status,
        ),
        channel: stored,
        form,
        errors: Errors(errors),
        conflict,
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn new(State(state): State<AppState>, ctx: WsCtx) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let form = ChannelForm {
        phase: Phase::SegmentMarketing.as_str().into(),
        status: "testing".into(),
        monthly_budget: "0".into(),
        ..Default::default()
    };
    form_page(&state, &ctx, None, form, Invalid::new(), false).await
}

async fn save(
    state: &AppState,
    ctx: &WsCtx,
    stored: Option<Channel>,
    form: ChannelForm,
) -> Result<Response, PageError> {
    let m = view(state, ctx).await?;
    let d = match ChannelDraft::parse(&form.input(), &m.people) {
        Ok(d) => d,
        Err(inv) => return form_page(state, ctx, stored, form, inv, false).await,
    };
    let saved = match &stored {
        Some(c) => {
            state
                .store
                .update_channel(ctx.ws.id, c.id, version(&form.version), &d)
                .await
        }
        None => state.store.create_channel(ctx.ws.id, &d).await,
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&ctx.link("/channels?notice=channel-saved")).into_response()),
        Err(StoreError::Conflict(msg)) => {
            form_page(state, ctx, stored, form, Invalid::one("name", msg), false).await
        }
        Err(StoreError::Stale { current }) => {
            let id = stored.as_ref().map(|c| c.id).unwrap_or_default();
            let c = state.store.find_channel(ctx.ws.id, id).await?;
            let mut form = form;
            form.version = current.to_string();
            form_page(state, ctx, c, form, Invalid::new(), true).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(form): Form<ChannelForm>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    save(&state, &ctx, None, form).await
}

async fn find(state: &AppState, ctx: &WsCtx, id: i64) -> Result<Channel, PageError> {
    view(state, ctx)
        .await?
        .channels
        .iter()
        .find(|c| c.id == id)
        .cloned()
        .ok_or(PageError::NotFound)
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let c = find(&state, &ctx, id).await?;
    let form = ChannelForm::from_channel(&c);
    form_page(&state, &ctx, Some(c), form, Invalid::new(), false).await
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<ChannelForm>,
) -> Result<Response, PageError> {
    let c = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    save(&state, &ctx, Some(c), form).await
}

#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default)]
    version: String,
}

async fn delete(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<DeleteForm>,
) -> Result<Response, PageError> {
    let c = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    match state
        .store
        .delete_channel(ctx.ws.id, id, version(&f.version))
        .await
    {
        Ok(()) => Ok(Redirect::to(&ctx.link("/channels?notice=channel-deleted")).into_response()),
        Err(StoreError::Stale { .. }) => {
            let inv = Invalid::one("version", "Someone changed this channel after you opened the page. Check it below, then remove again if you still want to.");
            let form = ChannelForm::from_channel(&c);
            form_page(&state, &ctx, Some(c), form, inv, false).await
        }
        Err(e) => Err(e.into()),
    }
}
