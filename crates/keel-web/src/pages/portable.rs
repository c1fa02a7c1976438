//! The workspace as a download (Settings, owners and admins) and erasing a person's personal
//! data from their page (owners and admins, confirmed by typing their name).

use super::people::find;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/export.json", export)
        .post("/w/{ws}/people/{person}/erase", erase)
}

async fn export(State(state): State<AppState>, ctx: WsCtx) -> Result<Response, PageError> {
    ctx.require_manage()?;
    let doc = state.store.export_workspace(ctx.ws.id).await?;
    Ok(crate::api::download(&ctx.ws.slug, &doc))
}

#[derive(Deserialize)]
struct EraseForm {
    #[serde(default)]
    confirm: String,
}

async fn erase(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<EraseForm>,
) -> Result<Response, PageError> {
    let p = find(&state, &ctx, id).await?;
    ctx.require_manage()?;
    if f.confirm.trim() != p.name.trim() {
        let to = ctx.link(&format!("/people/{id}?notice=erase-unconfirmed"));
        return Ok(Redirect::to(&to).into_response());
    }
    state.store.erase_person(ctx.ws.id, id).await?;
    Ok(Redirect::to(&ctx.link(&format!("/people/{id}?notice=person-erased"))).into_response())
}
