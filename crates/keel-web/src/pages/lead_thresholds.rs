//! The workspace's lead-quality thresholds: the acceptance rate below which a source × offer
//! pair is a poor fit, the completeness bar, and how long leads may wait for sales feedback.
//! Everyone who sees leads reads them; editors change them.

use super::forms::{version, Errors};
use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::lead::settings::{LeadSettings, LeadSettingsDraft};
use keel_domain::Invalid;
use keel_store::StoreError;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/lead-quality/thresholds", page)
        .post("/w/{ws}/lead-quality/thresholds", save)
}

#[derive(Deserialize, Default)]
struct ThresholdsForm {
    #[serde(default)]
    poor_fit_below: String,
    #[serde(default)]
    completeness_bar: String,
    #[serde(default)]
    pending_days: String,
    #[serde(default)]
    sales_sources: String,
    #[serde(default)]
    version: String,
}

#[derive(Template)]
#[template(path = "leads/thresholds.html")]
struct Page {
    chrome: Chrome,
    form: ThresholdsForm,
    errors: Errors,
    conflict: bool,
    /// Never saved: keel's defaults apply.
    defaults: bool,
}

fn typed(s: &LeadSettings) -> ThresholdsForm {
    let (poor_fit_below, completeness_bar, pending_days, sales_sources) = s.as_typed();
    ThresholdsForm {
        poor_fit_below,
        completeness_bar,
        pending_days,
        sales_sources,
        version: s.version.to_string(),
    }
}

fn show(
    ctx: &WsCtx,
    form: ThresholdsForm,
    errors: Invalid,
    conflict: bool,
    defaults: bool,
) -> Result<Response, PageError> {
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(&Page {
        chrome: ctx.chrome("Lead-quality thresholds", "leads"),
        form,
        errors: Errors(errors),
        conflict,
        defaults,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

async fn page(State(state): State<AppState>, ctx: WsCtx) -> Result<Response, PageError> {
    ctx.require_leads()?;
    let s = state.store.lead_settings(ctx.ws.id).await?;
    show(&ctx, typed(&s), Invalid::new(), false, s.version == 0)
}

async fn save(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(form): Form<ThresholdsForm>,
) -> Result<Response, PageError> {
    ctx.require_leads()?;
    ctx.require_edit()?;
    let d = match LeadSettingsDraft::parse(
        &form.poor_fit_below,
        &form.completeness_bar,
        &form.pending_days,
        &form.sales_sources,
    ) {
        Ok(d) => d,
        Err(e) => return show(&ctx, form, e, false, false),
    };
    match state
        .store
        .set_lead_settings(ctx.ws.id, version(&form.version), &d)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&ctx.link("/lead-quality?notice=lead-thresholds-saved")).into_response(),
        ),
        Err(StoreError::Stale { current }) => {
            // Keep what was typed; the next save goes over the version now stored.
            let form = ThresholdsForm {
                version: current.to_string(),
                ..form
            };
            show(&ctx, form, Invalid::new(), true, false)
        }
        Err(e) => Err(e.into()),
    }
}
