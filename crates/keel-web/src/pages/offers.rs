//! Offers: what leads convert on, who each is for, its owner, status and the channels that
//! carry it.

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
use keel_domain::health::Model;
use keel_domain::offer::{Offer, OfferDraft, OfferInput, OfferKind, OfferStatus};
use keel_domain::Invalid;
use keel_store::StoreError;
use serde::Deserialize;
use std::sync::Arc;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/offers", list)
        .get("/w/{ws}/offers/new", new)
        .post("/w/{ws}/offers", create)
        .get("/w/{ws}/offers/{offer}", show)
        .post("/w/{ws}/offers/{offer}", update)
        .post("/w/{ws}/offers/{offer}/delete", delete)
}

pub struct Row {
    pub offer: Offer,
    pub owner: Option<String>,
    pub channels: Vec<String>,
}

#[derive(Template)]
#[template(path = "strategy/offers.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
}

async fn view(state: &AppState, ctx: &WsCtx) -> Result<Arc<Model>, PageError> {
    Ok(ops::view(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?)
}

async fn list(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let m = view(&state, &ctx).await?;
    let rows = m
        .offers
        .iter()
        .map(|o| Row {
            owner: o
                .owner_id
                .and_then(|id| m.people.iter().find(|p| p.id == id))
                .map(|p| p.name.clone()),
            channels: o
                .channel_ids
                .iter()
                .filter_map(|id| m.channels.iter().find(|c| c.id == *id))
                .map(|c| c.name.clone())
                .collect(),
            offer: o.clone(),
        })
        .collect();
    render(&ListPage {
        chrome: ctx
            .chrome("Offers", "offers")
            .with_notice(q.notice.as_deref()),
        rows,
    })
}

#[derive(Default, Clone)]
pub struct OfferForm {
    pub name: String,
    pub kind: String,
    pub audience: String,
    pub owner_id: String,
    pub status: String,
    /// Checkboxes: one `channel_ids` field per ticked channel.
    pub channel_ids: Vec<String>,
    pub version: String,
}

impl OfferForm {
    /// The form as posted: repeated `channel_ids` fields are the ticked channels.
    fn from_pairs(pairs: &[(String, String)]) -> OfferForm {
        let mut f = OfferForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "name" => f.name = v.clone(),
                "kind" => f.kind = v.clone(),
                "audience" => f.audience = v.clone(),
                "owner_id" => f.owner_id = v.clone(),
                "status" => f.status = v.clone(),
                "channel_ids" => f.channel_ids.push(v.clone()),
                "version" => f.version = v.clone(),
                _ => {}
            }
        }
        f
    }

    fn input(&self) -> OfferInput {
        OfferInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            audience: self.audience.clone(),
            owner_id: self.owner_id.clone(),
            status: self.status.clone(),
            channel_ids: self.channel_ids.clone(),
        }
    }

    fn from_offer(o: &Offer) -> OfferForm {
        OfferForm {
            name: o.name.clone(),
            kind: o.kind.as_str().into(),
            audience: o.audience.clone().unwrap_or_default(),
            owner_id: o.owner_id.map(|i| i.to_string()).unwrap_or_default(),
            status: o.status.as_str().into(),
            channel_ids: o.channel_ids.iter().map(|i| i.to_string()).collect(),
            version: o.version.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "strategy/offer_form.html")]
struct FormPage {
    chrome: Chrome,
    offer: Option<Offer>,
    form: OfferForm,
    errors: Errors,
    owners: Vec<Choice>,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    channels: Vec<Choice>,
    conflict: bool,
    action: String,
}

async fn form_page(
    state: &AppState,
    ctx: &WsCtx,
    stored: Option<Offer>,
    form: OfferForm,
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
                .map(|o| o.name.clone())
                .unwrap_or_else(|| "Add an offer".into()),
            "offers",
        ),
        action: match &stored {
            Some(o) => ctx.link(&format!("/offers/{}", o.id)),
            None => ctx.link("/offers"),
        },
        owners: owner_choices(&m.people, &form.owner_id),
        kinds: choices(
            OfferKind::ALL.iter().map(|k| (k.as_str(), k.as_str())),
            &form.kind,
        ),
        statuses: choices(
            OfferStatus::ALL.iter().map(|s| (s.as_str(), s.as_str())),
            &form.status,
        ),
        channels: m
            .channels
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: form
                    .channel_ids
                    .iter()
                    .any(|v| v.trim() == c.id.to_string()),
            })
            .collect(),
        offer: stored,
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
    let form = OfferForm {
        kind: "demo".into(),
        status: "planned".into(),
        ..Default::default()
    };
    form_page(&state, &ctx, None, form, Invalid::new(), false).await
}

async fn save(
    state: &AppState,
    ctx: &WsCtx,
    stored: Option<Offer>,
    form: OfferForm,
) -> Result<Response, PageError> {
    let m = view(state, ctx).await?;
    let d = match OfferDraft::parse(&form.input(), &m) {
        Ok(d) => d,
        Err(inv) => return form_page(state, ctx, stored, form, inv, false).await,
    };
    let saved = match &stored {
        Some(o) => {
            state
                .store
                .update_offer(ctx.ws.id, o.id, version(&form.version), &d)
                .await
        }
        None => state.store.create_offer(ctx.ws.id, &d).await,
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&ctx.link("/offers?notice=offer-saved")).into_response()),
        Err(StoreError::Conflict(msg)) => {
            form_page(state, ctx, stored, form, Invalid::one("name", msg), false).await
        }
        Err(StoreError::Stale { current }) => {
            let id = stored.as_ref().map(|o| o.id).unwrap_or_default();
            let o = state.store.find_offer(ctx.ws.id, id).await?;
            let mut form = form;
            form.version = current.to_string();
            form_page(state, ctx, o, form, Invalid::new(), true).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    save(&state, &ctx, None, OfferForm::from_pairs(&pairs)).await
}

async fn find(state: &AppState, ctx: &WsCtx, id: i64) -> Result<Offer, PageError> {
    view(state, ctx)
        .await?
        .offers
        .iter()
        .find(|o| o.id == id)
        .cloned()
        .ok_or(PageError::NotFound)
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let o = find(&state, &ctx, id).await?;
    let form = OfferForm::from_offer(&o);
    form_page(&state, &ctx, Some(o), form, Invalid::new(), false).await
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let o = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    save(&state, &ctx, Some(o), OfferForm::from_pairs(&pairs)).await
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
    let o = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    match state
        .store
        .delete_offer(ctx.ws.id, id, version(&f.version))
        .await
    {
        Ok(()) => Ok(Redirect::to(&ctx.link("/offers?notice=offer-deleted")).into_response()),
        Err(StoreError::Stale { .. }) => {
            let inv = Invalid::one("version", "Someone changed this offer after you opened the page. Check it below, then remove it again if you still want to.");
            let form = OfferForm::from_offer(&o);
            form_page(&state, &ctx, Some(o), form, inv, false).await
        }
        Err(e) => Err(e.into()),
    }
}
