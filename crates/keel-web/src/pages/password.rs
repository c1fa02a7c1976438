//! "Forgot your password?": asking for a link by email, and the page the link opens, where a
//! new password is set. Both are public forms with the double-submit CSRF cookie, like
//! sign-in. The answer to a request never says whether an account uses the address.

use super::account::with_pre_cookie;
use super::forms::Errors;
use super::layout::{render, Chrome};
use crate::auth::{client, reset};
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::{text, Invalid};
use keel_store::{StoreError, RESET_LINK_SPENT};
use serde::Deserialize;
use std::net::SocketAddr;

pub fn routes(r: Routes) -> Routes {
    r.get("/password/forgot", forgot_page)
        .post("/password/forgot", forgot)
        .get("/password/reset/{code}", reset_page)
        .post("/password/reset/{code}", set_password)
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    chrome: Chrome,
    /// keel can send email; without it the page says whom to ask.
    can_mail: bool,
    email: String,
    /// The address a link was asked for: the page then says what happens next.
    asked: Option<String>,
    minutes: i64,
    errors: Errors,
}

fn forgot_view(
    state: &AppState,
    email: String,
    asked: Option<String>,
    errors: Invalid,
    status: StatusCode,
) -> Result<Response, PageError> {
    with_pre_cookie(state, Chrome::public("Forgot your password?"), |chrome| {
        let mut r = render(&ForgotPage {
            chrome,
            can_mail: state.mailer.is_some(),
            email,
            asked,
            minutes: state.config.reset_ttl_secs / 60,
            errors: Errors(errors),
        })?;
        *r.status_mut() = status;
        Ok(r)
    })
}

async fn forgot_page(State(state): State<AppState>) -> Result<Response, PageError> {
    forgot_view(&state, String::new(), None, Invalid::new(), StatusCode::OK)
}

#[derive(Deserialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

async fn forgot(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<ForgotForm>,
) -> Result<Response, PageError> {
    if state.mailer.is_none() {
        return forgot_view(&state, f.email, None, Invalid::new(), StatusCode::OK);
    }
    let email = match text::email(&f.email) {
        Ok(e) => e,
        Err(m) => {
            let errors = Invalid::one("email", m);
            return forgot_view(
                &state,
                f.email,
                None,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let c = &state.config;
    let from = client::address(addr.ip(), &headers, &c.trusted_proxies, c.client_ip_header);
    match reset::request(&state, &email, &from.to_string()).await {
        Ok(()) => forgot_view(
            &state,
            String::new(),
            Some(email),
            Invalid::new(),
            StatusCode::OK,
        ),
        Err(reset::RequestRefused::TooMany) => forgot_view(
            &state,
            f.email,
            None,
            Invalid::one(
                "email",
                "Too many requests for a link. Wait 15 minutes, then try again.",
            ),
            StatusCode::TOO_MANY_REQUESTS,
        ),
    }
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    chrome: Chrome,
    code: String,
    email: String,
    password_min: usize,
    errors: Errors,
}

fn spent() -> PageError {
    PageError::Forbidden(RESET_LINK_SPENT.into())
}

async fn reset_page(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let r = reset::usable(&state.store, &code)
        .await?
        .ok_or_else(spent)?;
    reset_view(&state, code, r.email, Invalid::new())
}

fn reset_view(
    state: &AppState,
    code: String,
    email: String,
    errors: Invalid,
) -> Result<Response, PageError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    with_pre_cookie(state, Chrome::public("Set a new password"), |chrome| {
        let mut r = render(&ResetPage {
            chrome,
            code,
            email,
            password_min: text::PASSWORD_MIN,
            errors: Errors(errors),
        })?;
        *r.status_mut() = status;
        Ok(r)
    })
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

async fn set_password(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Form(f): Form<ResetForm>,
) -> Result<Response, PageError> {
    let r = reset::usable(&state.store, &code)
        .await?
        .ok_or_else(spent)?;
    let mut inv = Invalid::new();
    let pw = inv.take("password", text::password(&f.password));
    if pw.is_some() && f.password != f.password_again {
        inv.push(
            "password_again",
            "The two passwords differ. Type the same password twice.",
        );
    }
    let (true, Some(pw)) = (inv.is_empty(), pw) else {
        return reset_view(&state, code, r.email, inv);
    };
    match reset::set_password(&state.store, &code, pw).await {
        Ok(_) => Ok(Redirect::to("/login?notice=password-set").into_response()),
        Err(StoreError::Conflict(_)) => Err(spent()),
        Err(e) => Err(e.into()),
    }
}
