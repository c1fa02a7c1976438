//! The list of a user's workspaces, and creating a new one.

use super::forms::Errors;
use super::layout::{render, Chrome};
use crate::ctx::SignedIn;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::{text, Invalid, Role};
use keel_store::{StoreError, Workspace};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/workspaces", list).post("/workspaces", create)
}

#[derive(Template)]
#[template(path = "workspaces.html")]
struct Page {
    chrome: Chrome,
    workspaces: Vec<(Workspace, Role)>,
    name: String,
    slug: String,
    errors: Errors,
}

async fn list(State(state): State<AppState>, SignedIn(s): SignedIn) -> Result<Response, PageError> {
    let workspaces = state.store.workspaces_of(s.user_id).await?;
    render(&Page {
        chrome: Chrome::signed_in("Workspaces", &s),
        workspaces,
        name: String::new(),
        slug: String::new(),
        errors: Errors::default(),
    })
}

#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
}

async fn create(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Form(f): Form<CreateForm>,
) -> Result<Response, PageError> {
    let mut inv = Invalid::new();
    let name = inv.take("name", text::required(&f.name, "a workspace name", 80));
    let slug_raw = if f.slug.trim().is_empty() {
        text::slugify(&f.name)
    } else {
        f.slug.clone()
    };
    let slug = inv.take("slug", text::slug(&slug_raw));
    if let (true, Some(name), Some(slug)) = (inv.is_empty(), &name, &slug) {
        match state
            .store
            .create_workspace(slug, name, Some(s.user_id))
            .await
        {
            Ok(ws) => return Ok(Redirect::to(&format!("/w/{}", ws.slug)).into_response()),
            Err(StoreError::Conflict(m)) => inv.push("slug", m),
            Err(e) => return Err(e.into()),
        }
    }
    let workspaces = state.store.workspaces_of(s.user_id).await?;
    let mut r = render(&Page {
        chrome: Chrome::signed_in("Workspaces", &s),
        workspaces,
        name: f.name,
        slug: f.slug,
        errors: Errors(inv),
    })?;
    *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}
