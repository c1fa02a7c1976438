//! Personal API tokens: created here, shown once, stored hashed, revocable.

use super::forms::{choices, Choice, Errors};
use super::layout::{render, Chrome};
use super::people::NoticeQuery;
use crate::auth::secret;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::time_fmt::date;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::{Invalid, Role};
use keel_store::ApiToken;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/tokens", page)
        .post("/w/{ws}/tokens", create)
        .post("/w/{ws}/tokens/{token}/revoke", revoke)
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct Page {
    chrome: Chrome,
    tokens: Vec<ApiToken>,
    roles: Vec<Choice>,
    name: String,
    errors: Errors,
    new_token: Option<String>,
    show_owner: bool,
}

impl Page {
    fn when(&self, t: &i64) -> String {
        date(*t, &self.chrome.zone)
    }
    fn when_opt(&self, t: &Option<i64>) -> String {
        t.map(|t| date(t, &self.chrome.zone))
            .unwrap_or_else(|| "never".into())
    }
}

/// Admins see every token of the workspace (to revoke a leaked one); others their own.
async fn visible_tokens(state: &AppState, ctx: &WsCtx) -> Result<Vec<ApiToken>, PageError> {
    let only = if ctx.role.can_manage() {
        None
    } else {
        Some(ctx.session.user_id)
    };
    Ok(state.store.list_tokens(ctx.ws.id, only).await?)
}

async fn render_page(
    state: &AppState,
    ctx: &WsCtx,
    notice: Option<&str>,
    name: String,
    role: &str,
    errors: Invalid,
    new_token: Option<String>,
) -> Result<Response, PageError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let grantable = Role::ALL
        .into_iter()
        .filter(|r| ctx.role.may_mint_token(*r));
    let page = Page {
        chrome: ctx.chrome("API tokens", "tokens").with_notice(notice),
        tokens: visible_tokens(state, ctx).await?,
        roles: choices(grantable.map(|r| (r.as_str(), r.label())), role),
        name,
        errors: Errors(errors),
        new_token,
        show_owner: ctx.role.can_manage(),
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let default_role = if ctx.role.can_edit_model() {
        "member"
    } else {
        ctx.role.as_str()
    };
    render_page(
        &state,
        &ctx,
        q.notice.as_deref(),
        String::new(),
        default_role,
        Invalid::new(),
        None,
    )
    .await
}

#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(f): Form<CreateForm>,
) -> Result<Response, PageError> {
    match crate::grants::parse_token(ctx.role, &f.name, &f.role) {
        Ok((name, role)) => {
            let token = secret::generate_token();
            state
                .store
                .create_token(
                    ctx.ws.id,
                    ctx.session.user_id,
                    &name,
                    &secret::digest(&token),
                    role,
                )
                .await?;
            render_page(
                &state,
                &ctx,
                None,
                String::new(),
                role.as_str(),
                Invalid::new(),
                Some(token),
            )
            .await
        }
        Err(inv) => render_page(&state, &ctx, None, f.name, &f.role, inv, None).await,
    }
}

async fn revoke(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let t = state
        .store
        .find_token(ctx.ws.id, id)
        .await?
        .ok_or(PageError::NotFound)?;
    if t.user_id != ctx.session.user_id && !ctx.role.can_manage() {
        return Err(PageError::NotFound);
    }
    if t.revoked_at.is_none() {
        state.store.revoke_token(ctx.ws.id, id).await?;
    }
    Ok(Redirect::to(&ctx.link("/tokens?notice=token-revoked")).into_response())
}
