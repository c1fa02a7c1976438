//! A review's minutes: a printable page (the layout's print stylesheet leaves out the
//! navigation, the header and every form) and the same minutes as a Markdown download, both
//! rendered from `review::minutes::minutes`, read through the caller's view.

use super::layout::{render, Chrome};
use super::reviews::model;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::reviews as ops;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use keel_domain::review::minutes::{minutes, Minutes};

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/reviews/{review}/minutes", page)
        .get("/w/{ws}/reviews/{review}/minutes.md", markdown)
}

#[derive(Template)]
#[template(path = "reviews/minutes.html")]
struct Page {
    chrome: Chrome,
    id: i64,
    m: Minutes,
}

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let model = model(&state, &ctx).await?;
    let r = ops::review(&model, id).ok_or(PageError::NotFound)?;
    let m = minutes(&model, &r);
    render(&Page {
        chrome: ctx.chrome(format!("Minutes: {}", m.title), "reviews"),
        id,
        m,
    })
}

async fn markdown(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let model = model(&state, &ctx).await?;
    let r = ops::review(&model, id).ok_or(PageError::NotFound)?;
    let file = format!(
        "attachment; filename=\"{}-review-{}.md\"",
        r.kind.as_str(),
        r.date
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (header::CONTENT_DISPOSITION, file),
        ],
        minutes(&model, &r).markdown(),
    )
        .into_response())
}
