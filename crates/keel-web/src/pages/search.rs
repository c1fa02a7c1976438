//! Search: work items, workflows, people and functions among what the reader sees
//! (`keel_domain::search` over `model::load`), from the box in every workspace page's header
//! (`/` focuses it).

use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use keel_domain::search::{self, Query as Words};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/search", page)
}

/// Hits per kind shown at most.
const LIMIT: usize = 20;

#[derive(Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// A line of the results: where it goes, what it is called, one line about it.
struct Hit {
    href: String,
    name: String,
    detail: String,
}

struct Group {
    title: &'static str,
    hits: Vec<Hit>,
    total: usize,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    error: Option<String>,
    groups: Vec<Group>,
    total: usize,
}

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let mut chrome = ctx.chrome("Search", "");
    chrome.search = q.q.clone();
    let mut out = SearchPage {
        chrome,
        q: q.q.clone(),
        error: None,
        groups: vec![],
        total: 0,
    };
    if q.q.trim().is_empty() {
        return render(&out);
    }
    let words = match Words::parse(&q.q) {
        Ok(w) => w,
        Err(e) => {
            out.error = e.message_for("q").map(str::to_string);
            let mut r = render(&out)?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
    };
    let reader = ctx.reader();
    let loaded = crate::model::loaded(&state, ctx.ws.id, ctx.ws.data_version).await?;
    let seen = crate::model::load(&state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
    let h = search::search_with(&seen, &words, LIMIT, loaded.found_work(&reader, &words));
    let link = |rest: String| ctx.link(&rest);
    let wf_name = |id: i64| {
        seen.workflows
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.spec.name.clone())
            .unwrap_or_default()
    };
    out.total = h.total();
    out.groups = vec![
        Group {
            title: "Work",
            total: h.work_total,
            hits: h
                .work
                .iter()
                .map(|w| Hit {
                    href: link(format!("/work/{}", w.id)),
                    name: w.title.clone(),
                    detail: format!("{} · {}", wf_name(w.workflow_id), w.status.label()),
                })
                .collect(),
        },
        Group {
            title: "Workflows",
            total: h.workflows_total,
            hits: h
                .workflows
                .iter()
                .map(|w| Hit {
                    href: link(format!("/workflows/{}", w.id)),
                    name: w.spec.name.clone(),
                    detail: w.spec.purpose.clone(),
                })
                .collect(),
        },
        Group {
            title: "People",
            total: h.people_total,
            hits: h
                .people
                .iter()
                .map(|p| Hit {
                    href: link(format!("/people/{}", p.id)),
                    name: p.name.clone(),
                    detail: [p.title.clone(), p.organization.clone(), p.email.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · "),
                })
                .collect(),
        },
        Group {
            title: "Functions",
            total: h.functions_total,
            hits: h
                .functions
                .iter()
                .map(|f| Hit {
                    href: link(format!("/functions/{}", f.id)),
                    name: f.name.clone(),
                    detail: f.description.clone().unwrap_or_default(),
                })
                .collect(),
        },
    ];
    out.groups.retain(|g| g.total > 0);
    render(&out)
}
