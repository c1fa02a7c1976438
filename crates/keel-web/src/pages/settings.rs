//! The workspace's settings: its time zone, which makes "today", overdue work and the day a
//! launch is recorded on the team's, not UTC's.

use super::forms::{version, Errors};
use super::layout::{render, Chrome};
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::{Invalid, Zone};
use keel_store::StoreError;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/settings", show)
        .post("/w/{ws}/settings", save)
}

#[derive(Template)]
#[template(path = "settings.html")]
struct Page {
    chrome: Chrome,
    /// What the form shows: the stored zone, or what was typed.
    time_zone: String,
    today: String,
    zones: Vec<String>,
    version: i64,
    errors: Errors,
    problem: Option<String>,
}

impl Page {
    fn is(&self, z: &str) -> bool {
        self.time_zone == z
    }
}

async fn page(
    ctx: &WsCtx,
    notice: Option<&str>,
    typed: Option<String>,
    errors: Invalid,
    problem: Option<String>,
) -> Result<Response, PageError> {
    let zone = ctx.ws.zone();
    let p = Page {
        chrome: ctx.chrome("Settings", "settings").with_notice(notice),
        time_zone: typed.unwrap_or_else(|| zone.name()),
        today: crate::time_fmt::today(&zone).long(),
        zones: Zone::all_names(),
        version: ctx.ws.version,
        errors: Errors(errors),
        problem,
    };
    let status = if p.errors.any() || p.problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut r = render(&p)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn show(ctx: WsCtx, Query(q): Query<NoticeQuery>) -> Result<Response, PageError> {
    page(&ctx, q.notice.as_deref(), None, Invalid::new(), None).await
}

#[derive(Deserialize)]
struct SettingsForm {
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    version: String,
}

async fn save(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(f): Form<SettingsForm>,
) -> Result<Response, PageError> {
    ctx.require_manage()?;
    let zone = match Zone::parse(&f.time_zone) {
        Ok(z) => z,
        Err(m) => {
            return page(
                &ctx,
                None,
                Some(f.time_zone),
                Invalid::one("time_zone", m),
                None,
            )
            .await
        }
    };
    match state
        .store
        .set_time_zone(ctx.ws.id, version(&f.version), &zone)
        .await
    {
        Ok(_) => Ok(Redirect::to(&ctx.link("/settings?notice=settings-saved")).into_response()),
        Err(StoreError::Stale { .. }) => {
            let m = "Someone changed the settings while you were editing. Here they are as they are now; choose again.";
            page(&ctx, None, None, Invalid::new(), Some(m.into())).await
        }
        Err(e) => Err(e.into()),
    }
}
