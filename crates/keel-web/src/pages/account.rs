//! Signing in and out, and joining a workspace through an invitation link.

use super::layout::{render, Chrome};
use crate::auth::{client, password, redirect, secret, session};
use crate::ctx::{MaybeSignedIn, SignedIn};
use crate::error::PageError;
use crate::routes::Routes;
use crate::time_fmt::now;
use crate::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::text;
use keel_store::{Invite, InviteStatus, StoreError};
use serde::Deserialize;
use std::net::SocketAddr;

pub fn routes(r: Routes) -> Routes {
    r.get("/", home)
        .get("/login", login_page)
        .post("/login", login)
        .post("/logout", logout)
        .get("/invite/{code}", invite_page)
        .post("/invite/{code}", accept_invite)
}

async fn home(
    State(state): State<AppState>,
    MaybeSignedIn(s): MaybeSignedIn,
) -> Result<Response, PageError> {
    let Some(s) = s else {
        let to = if super::set_up(&state).await? {
            "/login"
        } else {
            "/setup"
        };
        return Ok(Redirect::to(to).into_response());
    };
    let mine = state.store.workspaces_of(s.user_id).await?;
    Ok(match mine.as_slice() {
        [(ws, _)] => Redirect::to(&format!("/w/{}", ws.slug)).into_response(),
        _ => Redirect::to("/workspaces").into_response(),
    })
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    notice: Option<String>,
}

/// Only a path on this site may be a redirect target (see [`redirect::local_path`]).
fn safe_next(next: &str) -> String {
    redirect::local_path(next).to_string()
}

/// Renders a public form with a fresh double-submit CSRF cookie.
pub(super) fn with_pre_cookie(
    state: &AppState,
    mut chrome: Chrome,
    page: impl FnOnce(Chrome) -> Result<Response, PageError>,
) -> Result<Response, PageError> {
    let token = secret::generate();
    chrome.csrf = token.clone();
    let mut res = page(chrome)?;
    let c = session::set_cookie(&state.config, session::PRE_COOKIE, &token, 3600);
    res.headers_mut().append(
        header::SET_COOKIE,
        c.parse()
            .map_err(|_| PageError::Internal("cookie".into()))?,
    );
    Ok(res)
}

async fn login_page(
    State(state): State<AppState>,
    MaybeSignedIn(s): MaybeSignedIn,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
    if s.is_some() {
        return Ok(Redirect::to(&safe_next(&q.next)).into_response());
    }
    // Nobody can sign in before the first account exists: make it first.
    if !super::set_up(&state).await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    let chrome = Chrome::public("Sign in").with_notice(q.notice.as_deref());
    with_pre_cookie(&state, chrome, |chrome| {
        render(&LoginPage {
            chrome,
            email: String::new(),
            next: safe_next(&q.next),
            error: None,
        })
    })
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    let email = f.email.trim().to_lowercase();
    let c = &state.config;
    let from = client::address(addr.ip(), &headers, &c.trusted_proxies, c.client_ip_header);
    match session::check_password(&state, &email, &f.password, &from.to_string()).await {
        Ok(user) => {
            // A new id at every sign-in: a session id planted before sign-in is worthless.
            if let Some(old) = session::cookie(&headers, session::SESSION_COOKIE) {
                state.store.delete_session(&secret::digest(&old)).await?;
            }
            let id = session::start(&state.store, user.id).await?;
            let cookie = session::set_cookie(
                &state.config,
                session::SESSION_COOKIE,
                &id,
                state.config.session_absolute_secs,
            );
            let clear = session::clear_cookie(&state.config, session::PRE_COOKIE);
            let mut res = Redirect::to(&safe_next(&f.next)).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie
                    .parse()
                    .map_err(|_| PageError::Internal("cookie".into()))?,
            );
            res.headers_mut().append(
                header::SET_COOKIE,
                clear
                    .parse()
                    .map_err(|_| PageError::Internal("cookie".into()))?,
            );
            Ok(res)
        }
        Err(session::SignInError::Store(e)) => Err(PageError::Internal(e)),
        Err(e) => {
            let chrome = Chrome::public("Sign in");
            with_pre_cookie(&state, chrome, |chrome| {
                let mut res = render(&LoginPage {
                    chrome,
                    email: f.email.clone(),
                    next: safe_next(&f.next),
                    error: Some(e.message().into()),
                })?;
                *res.status_mut() = if e == session::SignInError::TooManyAttempts {
                    axum::http::StatusCode::TOO_MANY_REQUESTS
                } else {
                    axum::http::StatusCode::UNAUTHORIZED
                };
                Ok(res)
            })
        }
    }
}

async fn logout(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
) -> Result<Response, PageError> {
    state.store.delete_session(&s.id_hash).await?;
    let mut res = Redirect::to("/login?notice=signed-out").into_response();
    let clear = session::clear_cookie(&state.config, session::SESSION_COOKIE);
    res.headers_mut().append(
        header::SET_COOKIE,
        clear
            .parse()
            .map_err(|_| PageError::Internal("cookie".into()))?,
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    chrome: Chrome,
    invite: Invite,
    code: String,
    signed_in_as: Option<String>,
    /// Signed in with another email than the one the invitation is for.
    wrong_account: bool,
    name: String,
    email: String,
    errors: super::forms::Errors,
}

async fn find_pending(state: &AppState, code: &str) -> Result<Result<Invite, String>, PageError> {
    let inv = state
        .store
        .find_invite_by_code(&secret::digest(code))
        .await?
        .ok_or(PageError::NotFound)?;
    Ok(match inv.status(now()) {
        InviteStatus::Pending => Ok(inv),
        InviteStatus::Used => Err(
            "This invitation link was already used. Ask whoever invited you for a new one.".into(),
        ),
        InviteStatus::Expired => {
            Err("This invitation link has expired. Ask whoever invited you for a new one.".into())
        }
    })
}

async fn invite_page(
    State(state): State<AppState>,
    MaybeSignedIn(s): MaybeSignedIn,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let inv = find_pending(&state, &code).await?;
    let invite = inv.map_err(|p| PageError::Forbidden(p.into()))?;
    let chrome = match &s {
        Some(s) => Chrome::signed_in("Join a workspace", s),
        None => Chrome::public("Join a workspace"),
    };
    let email = invite.email.clone().unwrap_or_default();
    let page = |chrome| {
        render(&InvitePage {
            chrome,
            signed_in_as: s.as_ref().map(|s| s.email.clone()),
            wrong_account: s.as_ref().is_some_and(|s| !invite.admits(&s.email)),
            invite,
            code: code.clone(),
            name: String::new(),
            email,
            errors: Default::default(),
        })
    };
    match s {
        Some(_) => page(chrome),
        None => with_pre_cookie(&state, chrome, page),
    }
}

#[derive(Deserialize)]
struct AcceptForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn accept_invite(
    State(state): State<AppState>,
    MaybeSignedIn(s): MaybeSignedIn,
    Path(code): Path<String>,
    Form(f): Form<AcceptForm>,
) -> Result<Response, PageError> {
    let invite = match find_pending(&state, &code).await? {
        Ok(i) => i,
        Err(p) => return Err(PageError::Forbidden(p.into())),
    };
    if let Some(s) = &s {
        if !invite.admits(&s.email) {
            return Err(PageError::Forbidden(
                wrong_account(&invite, &s.email).into(),
            ));
        }
        join(&state, &invite, s.user_id).await?;
        return Ok(
            Redirect::to(&format!("/w/{}?notice=joined", invite.workspace_slug)).into_response(),
        );
    }
    // Not signed in: create the account, then join.
    let mut inv = keel_domain::Invalid::new();
    let name = inv.take("name", text::required(&f.name, "your name", 120));
    let email = inv.take("email", text::email(&f.email));
    let pw = inv.take("password", text::password(&f.password));
    if let (Some(want), Some(got)) = (&invite.email, &email) {
        if !invite.admits(got) {
            inv.push("email", format!("This invitation is for {want}."));
        }
    }
    let created = match (inv.is_empty(), name, email, pw) {
        (true, Some(name), Some(email), Some(pw)) => {
            let hash = tokio::task::spawn_blocking(move || password::hash(&pw))
                .await
                .map_err(|e| PageError::Internal(e.to_string()))?;
            match state.store.create_user(&email, &name, &hash).await {
                Ok(u) => Some(u),
                Err(StoreError::Conflict(_)) => {
                    inv.push("email", "An account with this email exists: sign in first, then open the link again.");
                    None
                }
                Err(e) => return Err(e.into()),
            }
        }
        _ => None,
    };
    let Some(user) = created else {
        let chrome = Chrome::public("Join a workspace");
        return with_pre_cookie(&state, chrome, |chrome| {
            let mut r = render(&InvitePage {
                chrome,
                invite,
                code: code.clone(),
                signed_in_as: None,
                wrong_account: false,
                name: f.name.clone(),
                email: f.email.clone(),
                errors: super::forms::Errors(inv),
            })?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        });
    };
    join(&state, &invite, user.id).await?;
    let id = session::start(&state.store, user.id).await?;
    let cookie = session::set_cookie(
        &state.config,
        session::SESSION_COOKIE,
        &id,
        state.config.session_absolute_secs,
    );
    let mut res =
        Redirect::to(&format!("/w/{}?notice=joined", invite.workspace_slug)).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie
            .parse()
            .map_err(|_| PageError::Internal("cookie".into()))?,
    );
    Ok(res)
}

fn wrong_account(invite: &Invite, signed_in_as: &str) -> String {
    format!(
        "This invitation is for {}, and you are signed in as {signed_in_as}. Sign out, then open the link again.",
        invite.email.as_deref().unwrap_or_default()
    )
}

async fn join(state: &AppState, invite: &Invite, user_id: i64) -> Result<(), PageError> {
    match state.store.accept_invite(invite.id, user_id).await {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(_)) => Err(PageError::Forbidden(
            "This invitation link was already used or has expired. Ask for a new one.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}
