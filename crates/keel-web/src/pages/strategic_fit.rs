//! The Strategy page's "Strategic fit" section: the share of work items and hours traced to
//! an objective or priority (`keel_domain::fit::strategic_fit`, the figure the API answers),
//! the untraced work listed, and the workspace's limit on it, set in place.

use super::forms::{version, Errors};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::strategy::view;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::allocation::Row;
use keel_domain::fit::{self, Fit};
use keel_domain::Invalid;
use keel_store::StoreError;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.post("/w/{ws}/strategy/fit-limit", save_limit)
        .get("/w/{ws}/strategy/allocation", allocation_page)
}

/// Untraced work shown on the page; the API lists it all.
pub const SHOWN: usize = 25;

/// The cached figures' strategic fit (`model::StrategyFigures`), read in place.
pub struct Figures(std::sync::Arc<crate::model::StrategyFigures>);

impl std::ops::Deref for Figures {
    type Target = Fit;
    fn deref(&self) -> &Fit {
        &self.0.fit
    }
}

pub struct FitSection {
    pub fit: Figures,
    pub untraced_share: Option<f64>,
    pub over: bool,
    pub limit_form: String,
    pub version: i64,
    pub errors: Errors,
    pub conflict: bool,
}

impl FitSection {
    pub fn more(&self) -> usize {
        self.fit.untraced.len().saturating_sub(SHOWN)
    }
    /// Where hours and budget go: cached with the fit (`model::StrategyFigures`).
    pub fn allocation(&self) -> &keel_domain::allocation::Allocation {
        &self.fit.0.allocation
    }
    /// The priorities the Strategy page lists (`Row::in_summary`); the allocation page
    /// lists them all.
    pub fn priorities_shown(&self) -> Vec<&Row> {
        let a = self.allocation();
        a.by_priority.iter().filter(|r| r.in_summary()).collect()
    }
    pub fn priorities_left(&self) -> usize {
        let a = self.allocation();
        a.by_priority.iter().filter(|r| !r.in_summary()).count()
    }
    pub fn shown(&self) -> &[fit::Untraced] {
        &self.fit.untraced[..self.fit.untraced.len().min(SHOWN)]
    }
}

/// The section for a reader who sees the whole workspace (`None` for a partner).
pub async fn section(
    state: &AppState,
    ctx: &WsCtx,
    posted: Option<(String, Invalid, bool)>,
) -> Result<Option<FitSection>, PageError> {
    if !ctx.role.sees_everything() {
        return Ok(None);
    }
    // The limit's version comes with the cached model: no query of its own.
    let loaded = crate::model::loaded(state, ctx.ws.id, ctx.ws.data_version).await?;
    let f = Figures(loaded.strategy());
    let (limit_form, errors, conflict) =
        posted.unwrap_or_else(|| (f.limit.to_string(), Invalid::new(), false));
    Ok(Some(FitSection {
        untraced_share: f.untraced_share(),
        over: f.over_limit(),
        fit: f,
        limit_form,
        version: loaded.model.untraced_limit_version,
        errors: Errors(errors),
        conflict,
    }))
}

#[derive(Deserialize)]
struct LimitForm {
    #[serde(default)]
    limit: String,
    #[serde(default)]
    version: String,
}

async fn save_limit(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(form): Form<LimitForm>,
) -> Result<Response, PageError> {
    if !ctx.role.sees_everything() {
        return Err(PageError::NotFound);
    }
    ctx.require_edit()?;
    let refused = |inv: Invalid, conflict: bool, status: StatusCode| {
        let state = state.clone();
        let ctx = &ctx;
        let typed = form.limit.clone();
        async move {
            let m = view(&state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
            let s = section(&state, ctx, Some((typed, inv, conflict))).await?;
            let mut r = super::strategy::render_with_fit(&state, ctx, &m, s).await?;
            *r.status_mut() = status;
            Ok::<Response, PageError>(r)
        }
    };
    let limit = match fit::parse_limit(&form.limit) {
        Ok(l) => l,
        Err(msg) => {
            return refused(
                Invalid::one("limit", msg),
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    match state
        .store
        .set_untraced_limit(ctx.ws.id, version(&form.version), limit)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&ctx.link("/strategy?notice=fit-limit-saved#strategic-fit"))
                .into_response(),
        ),
        Err(StoreError::Stale { .. }) => refused(Invalid::new(), true, StatusCode::CONFLICT).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "strategy/allocation.html")]
struct AllocationPage {
    chrome: crate::pages::layout::Chrome,
    fit: FitSection,
}

impl AllocationPage {
    fn rows(&self) -> Vec<&Row> {
        self.fit.allocation().by_priority.iter().collect()
    }
}

/// Every channel's and priority's hours and budget (the Strategy page lists the priorities
/// that carry some). A partner, who sees no strategic fit, finds no page.
async fn allocation_page(State(state): State<AppState>, ctx: WsCtx) -> Result<Response, PageError> {
    let Some(fit) = section(&state, &ctx, None).await? else {
        return Err(PageError::NotFound);
    };
    crate::pages::layout::render(&AllocationPage {
        chrome: ctx.chrome("Where the hours and budget go", "strategy"),
        fit,
    })
}
