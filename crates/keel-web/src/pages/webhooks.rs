//! Webhooks under the workspace's settings (owners and admins): subscriptions with the events
//! they want, the signing secret shown once when one is added, each subscription's delivery
//! log with "Send test" and "Send again".

use super::forms::{version, Choice, Errors};
use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops;
use crate::routes::Routes;
use crate::webhooks::sign;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::webhook::{DeliveryStatus, EventType, SubscriptionInput};
use keel_domain::Invalid;
use keel_store::{Delivery, StoreError, Subscription};
use serde::Deserialize;

/// Deliveries shown per page of a log.
const LOG_PAGE: i64 = 50;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/settings/webhooks", list)
        .post("/w/{ws}/settings/webhooks", create)
        .get("/w/{ws}/settings/webhooks/{webhook}", show)
        .post("/w/{ws}/settings/webhooks/{webhook}", update)
        .post("/w/{ws}/settings/webhooks/{webhook}/delete", delete)
        .post("/w/{ws}/settings/webhooks/{webhook}/test", test)
        .post(
            "/w/{ws}/settings/webhooks/{webhook}/deliveries/{delivery}/redeliver",
            redeliver,
        )
}

/// What the form shows: the stored subscription or what was typed.
#[derive(Clone)]
struct WebhookForm {
    url: String,
    description: String,
    event_types: Vec<String>,
    active: bool,
    version: String,
}

impl Default for WebhookForm {
    fn default() -> Self {
        WebhookForm {
            url: String::new(),
            description: String::new(),
            event_types: Vec::new(),
            active: true,
            version: String::new(),
        }
    }
}

impl WebhookForm {
    /// Repeated `event_types` fields are the ticked events; `active` is there when ticked.
    fn from_pairs(pairs: &[(String, String)]) -> WebhookForm {
        let mut f = WebhookForm {
            active: false,
            ..WebhookForm::default()
        };
        for (k, v) in pairs {
            match k.as_str() {
                "url" => f.url = v.clone(),
                "description" => f.description = v.clone(),
                "event_types" => f.event_types.push(v.clone()),
                "active" => f.active = true,
                "version" => f.version = v.clone(),
                _ => {}
            }
        }
        f
    }

    fn of(s: &Subscription) -> WebhookForm {
        WebhookForm {
            url: s.url.clone(),
            description: s.description.clone().unwrap_or_default(),
            event_types: s.event_types.iter().map(|t| t.as_str().into()).collect(),
            active: s.active,
            version: s.version.to_string(),
        }
    }

    fn input(&self) -> SubscriptionInput {
        SubscriptionInput {
            url: self.url.clone(),
            description: self.description.clone(),
            event_types: self.event_types.clone(),
            active: self.active,
        }
    }

    fn events(&self) -> Vec<Choice> {
        EventType::ALL
            .iter()
            .map(|t| Choice {
                value: t.as_str().into(),
                label: t.label().into(),
                selected: self.event_types.iter().any(|v| v.trim() == t.as_str()),
            })
            .collect()
    }
}

fn status_of(errors: &Invalid, conflict: bool) -> StatusCode {
    if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

#[derive(Template)]
#[template(path = "webhooks/list.html")]
struct ListPage {
    chrome: Chrome,
    webhooks: Vec<Subscription>,
    form: WebhookForm,
    events: Vec<Choice>,
    errors: Errors,
    /// The subscription just added and its secret, shown this once.
    created: Option<(Subscription, String)>,
}

impl ListPage {
    fn labels(&self, s: &Subscription) -> String {
        s.event_types
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

async fn list_page(
    state: &AppState,
    ctx: &WsCtx,
    notice: Option<&str>,
    form: WebhookForm,
    errors: Invalid,
    created: Option<(Subscription, String)>,
) -> Result<Response, PageError> {
    let status = status_of(&errors, false);
    let page = ListPage {
        chrome: ctx.chrome("Webhooks", "settings").with_notice(notice),
        webhooks: state.store.list_webhooks(ctx.ws.id).await?,
        events: form.events(),
        form,
        errors: Errors(errors),
        created,
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Deserialize)]
struct ListQuery {
    notice: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    ctx.require_manage()?;
    list_page(
        &state,
        &ctx,
        q.notice.as_deref(),
        WebhookForm::default(),
        Invalid::new(),
        None,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    ctx.require_manage()?;
    let form = WebhookForm::from_pairs(&pairs);
    let d = match ops::webhooks::parse(&state, &form.input()).await {
        Ok(d) => d,
        Err(inv) => return list_page(&state, &ctx, None, form, inv, None).await,
    };
    let secret = sign::new_secret();
    let s = state
        .store
        .create_webhook(ctx.ws.id, &d, &secret, Some(ctx.session.user_id))
        .await?;
    list_page(
        &state,
        &ctx,
        None,
        WebhookForm::default(),
        Invalid::new(),
        Some((s, secret)),
    )
    .await
}

#[derive(Template)]
#[template(path = "webhooks/show.html")]
struct ShowPage {
    chrome: Chrome,
    webhook: Subscription,
    form: WebhookForm,
    events: Vec<Choice>,
    errors: Errors,
    conflict: bool,
    deliveries: Vec<Delivery>,
    /// The id to read older deliveries before, when there are more.
    older: Option<i64>,
}

impl ShowPage {
    fn when(&self, t: &i64) -> String {
        self.chrome.zone.long_time(*t)
    }
    fn next_try(&self, d: &Delivery) -> String {
        match (d.status, d.next_attempt_at) {
            (DeliveryStatus::Pending, Some(t)) => self.chrome.zone.long_time(t),
            _ => "—".into(),
        }
    }
    fn answer(&self, d: &Delivery) -> String {
        d.last_status_code
            .map(|c| c.to_string())
            .unwrap_or_else(|| "—".into())
    }
    fn took(&self, d: &Delivery) -> String {
        d.last_duration_ms
            .map(|ms| format!("{ms} ms"))
            .unwrap_or_else(|| "—".into())
    }
    fn badge(&self, d: &Delivery) -> &'static str {
        match d.status {
            DeliveryStatus::Delivered => "ok",
            DeliveryStatus::Pending => "",
            DeliveryStatus::Failed => "warning",
        }
    }
}

struct Shown {
    form: WebhookForm,
    errors: Invalid,
    conflict: bool,
    notice: Option<String>,
    before: Option<i64>,
}

async fn show_page(
    state: &AppState,
    ctx: &WsCtx,
    webhook: Subscription,
    s: Shown,
) -> Result<Response, PageError> {
    let status = status_of(&s.errors, s.conflict);
    let mut deliveries = state
        .store
        .list_deliveries(ctx.ws.id, webhook.id, s.before, LOG_PAGE + 1)
        .await?;
    let older = if deliveries.len() as i64 > LOG_PAGE {
        deliveries.truncate(LOG_PAGE as usize);
        deliveries.last().map(|d| d.id)
    } else {
        None
    };
    let title = webhook
        .description
        .clone()
        .unwrap_or_else(|| webhook.url.clone());
    let page = ShowPage {
        chrome: ctx
            .chrome(format!("Webhook: {title}"), "settings")
            .with_notice(s.notice.as_deref()),
        events: s.form.events(),
        form: s.form,
        errors: Errors(s.errors),
        conflict: s.conflict,
        webhook,
        deliveries,
        older,
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn find(state: &AppState, ctx: &WsCtx, id: i64) -> Result<Subscription, PageError> {
    ctx.require_manage()?;
    state
        .store
        .find_webhook(ctx.ws.id, id)
        .await?
        .ok_or(PageError::NotFound)
}

#[derive(Deserialize)]
struct ShowQuery {
    notice: Option<String>,
    before: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let w = find(&state, &ctx, id).await?;
    let shown = Shown {
        form: WebhookForm::of(&w),
        errors: Invalid::new(),
        conflict: false,
        notice: q.notice,
        // A hand-edited "before" that is no id shows the newest page.
        before: q.before.and_then(|b| b.trim().parse().ok()),
    };
    show_page(&state, &ctx, w, shown).await
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let w = find(&state, &ctx, id).await?;
    let form = WebhookForm::from_pairs(&pairs);
    let shown = |form, errors, conflict| Shown {
        form,
        errors,
        conflict,
        notice: None,
        before: None,
    };
    let d = match ops::webhooks::parse(&state, &form.input()).await {
        Ok(d) => d,
        Err(inv) => return show_page(&state, &ctx, w, shown(form, inv, false)).await,
    };
    match state
        .store
        .update_webhook(ctx.ws.id, id, version(&form.version), &d)
        .await
    {
        Ok(_) => Ok(Redirect::to(
            &ctx.link(&format!("/settings/webhooks/{id}?notice=webhook-saved")),
        )
        .into_response()),
        Err(StoreError::Stale { current }) => {
            let now = find(&state, &ctx, id).await?;
            let mut form = form;
            form.version = current.to_string();
            show_page(&state, &ctx, now, shown(form, Invalid::new(), true)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct VersionForm {
    #[serde(default)]
    version: String,
}

async fn delete(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<VersionForm>,
) -> Result<Response, PageError> {
    let w = find(&state, &ctx, id).await?;
    match state
        .store
        .delete_webhook(ctx.ws.id, id, version(&f.version))
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&ctx.link("/settings/webhooks?notice=webhook-deleted")).into_response(),
        ),
        Err(StoreError::Stale { .. }) => {
            let inv = Invalid::one("version", "Someone changed this webhook after you opened the page. Check it below, then remove it again if you still want to.");
            let shown = Shown {
                form: WebhookForm::of(&w),
                errors: inv,
                conflict: false,
                notice: None,
                before: None,
            };
            show_page(&state, &ctx, w, shown).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn test(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    find(&state, &ctx, id).await?;
    state
        .store
        .queue_test_delivery(ctx.ws.id, id, Some(ctx.session.user_id))
        .await?;
    Ok(Redirect::to(&ctx.link(&format!(
        "/settings/webhooks/{id}?notice=webhook-test-queued"
    )))
    .into_response())
}

async fn redeliver(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id, delivery)): Path<(String, i64, i64)>,
) -> Result<Response, PageError> {
    find(&state, &ctx, id).await?;
    state.store.redeliver(ctx.ws.id, id, delivery).await?;
    Ok(Redirect::to(&ctx.link(&format!(
        "/settings/webhooks/{id}?notice=webhook-redelivering"
    )))
    .into_response())
}
