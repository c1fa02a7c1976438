//! The first run in the browser: while no account exists, `/setup` makes the first owner,
//! their workspace (with the function catalogue) and their own person, then signs them in.
//! Like the sign-in form it carries the double-submit CSRF cookie; the store decides "no
//! account yet" in the same transaction that creates one, so two browsers cannot both win.

use super::forms::Errors;
use super::layout::{render, Chrome};
use crate::auth::{password, secret, session};
use crate::ctx::MaybeSignedIn;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::person::MAX_WEEKLY_HOURS;
use keel_domain::{text, Invalid};
use keel_store::{FirstOwner, StoreError};
use serde::Deserialize;
use std::sync::atomic::Ordering;

pub fn routes(r: Routes) -> Routes {
    r.get("/setup", page).post("/setup", create)
}

/// Whether the first run is over: read from the database until an account exists, then
/// remembered (accounts are not all removed while keel runs).
pub async fn done(state: &AppState) -> Result<bool, PageError> {
    if state.setup_done.load(Ordering::Relaxed) {
        return Ok(true);
    }
    let done = state.store.has_users().await?;
    if done {
        state.setup_done.store(true, Ordering::Relaxed);
    }
    Ok(done)
}

#[derive(Deserialize, Default)]
pub struct SetupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    workspace: String,
    #[serde(default)]
    slug: String,
}

#[derive(Template)]
#[template(path = "setup.html")]
struct Page {
    chrome: Chrome,
    form: SetupForm,
    errors: Errors,
    password_min: usize,
}

fn show(state: &AppState, form: SetupForm, errors: Invalid) -> Result<Response, PageError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    // A fresh double-submit token, as on the sign-in form.
    let token = secret::generate();
    let mut chrome = Chrome::public("Set up keel");
    chrome.csrf = token.clone();
    let mut res = render(&Page {
        chrome,
        // Passwords are never sent back into the page.
        form: SetupForm {
            password: String::new(),
            password_again: String::new(),
            ..form
        },
        errors: Errors(errors),
        password_min: text::PASSWORD_MIN,
    })?;
    *res.status_mut() = status;
    let c = session::set_cookie(&state.config, session::PRE_COOKIE, &token, 3600);
    res.headers_mut().append(
        header::SET_COOKIE,
        c.parse()
            .map_err(|_| PageError::Internal("cookie".into()))?,
    );
    Ok(res)
}

async fn page(
    State(state): State<AppState>,
    MaybeSignedIn(s): MaybeSignedIn,
) -> Result<Response, PageError> {
    if done(&state).await? {
        let to = if s.is_some() { "/" } else { "/login" };
        return Ok(Redirect::to(to).into_response());
    }
    show(
        &state,
        SetupForm {
            hours: "40".into(),
            ..Default::default()
        },
        Invalid::new(),
    )
}

/// The form, checked all at once with the same rules as the CLI and the team pages.
fn parse(f: &SetupForm) -> Result<(FirstOwner, String), Invalid> {
    let mut inv = Invalid::new();
    let name = inv.take("name", text::required(&f.name, "your name", 120));
    let email = inv.take("email", text::email(&f.email));
    let password = inv.take("password", text::password(&f.password));
    if password.is_some() && f.password != f.password_again {
        inv.push(
            "password_again",
            "The two passwords differ. Type the same password twice.",
        );
    }
    let hours = inv.take(
        "hours",
        text::hours(&f.hours, "your weekly hours", MAX_WEEKLY_HOURS),
    );
    let workspace = inv.take(
        "workspace",
        text::required(&f.workspace, "a workspace name", 80),
    );
    let slug_raw = if f.slug.trim().is_empty() {
        text::slugify(&f.workspace)
    } else {
        f.slug.clone()
    };
    let slug = inv.take("slug", text::slug(&slug_raw));
    match (name, email, password, hours, workspace, slug) {
        (Some(name), Some(email), Some(password), Some(hours), Some(workspace), Some(slug))
            if inv.is_empty() =>
        {
            Ok((
                FirstOwner {
                    email,
                    name,
                    password_hash: String::new(),
                    workspace_slug: slug,
                    workspace_name: workspace,
                    weekly_capacity: hours,
                },
                password,
            ))
        }
        _ => Err(inv),
    }
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<SetupForm>,
) -> Result<Response, PageError> {
    if done(&state).await? {
        return Ok(Redirect::to("/login?notice=already-set-up").into_response());
    }
    let (mut owner, pw) = match parse(&f) {
        Ok(x) => x,
        Err(inv) => return show(&state, f, inv),
    };
    owner.password_hash = tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .map_err(|e| PageError::Internal(format!("hashing: {e}")))?;
    let (user, ws) = match state.store.create_first_owner(&owner).await {
        Ok(Some(made)) => made,
        // Someone else finished the first run a moment ago: this form wrote nothing.
        Ok(None) => {
            state.setup_done.store(true, Ordering::Relaxed);
            return Ok(Redirect::to("/login?notice=already-set-up").into_response());
        }
        Err(StoreError::Conflict(m)) => return show(&state, f, Invalid::one("slug", m)),
        Err(e) => return Err(e.into()),
    };
    state.setup_done.store(true, Ordering::Relaxed);
    if let Some(old) = session::cookie(&headers, session::SESSION_COOKIE) {
        state.store.delete_session(&secret::digest(&old)).await?;
    }
    let id = session::start(&state.store, user.id).await?;
    let mut res = Redirect::to(&format!("/w/{}?notice=set-up", ws.slug)).into_response();
    for c in [
        session::set_cookie(
            &state.config,
            session::SESSION_COOKIE,
            &id,
            state.config.session_absolute_secs,
        ),
        session::clear_cookie(&state.config, session::PRE_COOKIE),
    ] {
        res.headers_mut().append(
            header::SET_COOKIE,
            c.parse()
                .map_err(|_| PageError::Internal("cookie".into()))?,
        );
    }
    Ok(res)
}
