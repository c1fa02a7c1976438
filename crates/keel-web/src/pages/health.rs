//! Health: the operating model read like a linter.

use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::{model, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use keel_domain::health::{self, Finding};

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/health", page)
}

#[derive(Template)]
#[template(path = "health.html")]
struct Page {
    chrome: Chrome,
    findings: Vec<Finding>,
    /// Unowned functions while the workspace is setting up: its open first steps.
    setup: Vec<Finding>,
    errors: usize,
    warnings: usize,
    rules: usize,
}

impl Page {
    fn link(&self, f: &Finding) -> String {
        let slug = self
            .chrome
            .ws
            .as_ref()
            .map(|w| w.slug.as_str())
            .unwrap_or_default();
        match f.subject.kind {
            "person" => format!("/w/{slug}/people/{}", f.subject.id),
            "workflow" => format!("/w/{slug}/workflows/{}", f.subject.id),
            "work" => format!("/w/{slug}/work/{}", f.subject.id),
            "leads" => format!("/w/{slug}/leads/queue"),
            "crm-field" | "lead-pair" | "channel" => format!("/w/{slug}/lead-quality"),
            _ => format!("/w/{slug}/functions/{}", f.subject.id),
        }
    }
}

async fn page(State(state): State<AppState>, ctx: WsCtx) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let m = model::load(&state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
    let steps = keel_domain::setup::first_steps(&m);
    let (setup, findings) = keel_domain::setup::split(&m, &steps, model::findings(&m));
    let (errors, warnings, _) = health::summary(&findings);
    render(&Page {
        chrome: ctx.chrome("Health", "health"),
        findings,
        setup,
        errors,
        warnings,
        rules: health::RULES.len(),
    })
}
