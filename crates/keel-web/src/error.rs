//! Errors mapped to HTTP once: one JSON envelope for the API, one error page for the browser.
//! A 5xx carries its details in an [`Internal`] response extension; the request-id layer
//! logs them and replaces the body, so internals never reach the client.

use crate::pages::layout::Chrome;
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use keel_domain::Invalid;
use keel_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// Marker carried by a 5xx response: what went wrong, for the log only.
#[derive(Debug, Clone)]
pub struct Internal(pub String);

impl IntoResponse for Internal {
    fn into_response(self) -> Response {
        let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        r.extensions_mut().insert(self);
        r
    }
}

/// The one JSON error envelope: `{"error": {...}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `not_found`, `validation_failed`, `version_mismatch`.
    pub code: String,
    /// What went wrong and what to do, in plain words.
    pub message: String,
    /// One entry per field to fix (validation errors only).
    pub fields: Vec<FieldMessage>,
    /// Set on server errors: quote it when reporting the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldMessage {
    pub field: String,
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldMessage>,
    internal: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            fields: vec![],
            internal: None,
        }
    }
    pub fn not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Nothing with that id exists in this workspace.",
        )
    }
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Sign in, or send an API token as 'Authorization: Bearer keel_…'.",
        )
    }
    pub fn internal(detail: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side.",
        );
        e.internal = Some(detail.into());
        e
    }
}

impl From<Invalid> for ApiError {
    fn from(i: Invalid) -> Self {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "Some fields need fixing.",
        );
        e.fields = i
            .errors
            .into_iter()
            .map(|f| FieldMessage {
                field: f.field,
                message: f.message,
            })
            .collect();
        e
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Stale { current } => ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "version_mismatch",
                format!("This record was changed by someone else (it is now at version {current}). Read it again, then reapply your change."),
            ),
            StoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(detail) = self.internal {
            return Internal(detail).into_response();
        }
        let body = ErrorEnvelope {
            error: ErrorBody {
                code: self.code.into(),
                message: self.message,
                fields: self.fields,
                request_id: None,
            },
        };
        let mut r = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        r
    }
}

#[derive(Debug)]
pub enum PageError {
    NotFound,
    Forbidden(std::borrow::Cow<'static, str>),
    /// Not signed in: go to the sign-in page, then come back here.
    SignIn(String),
    Csrf,
    TooLarge,
    Internal(String),
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => PageError::NotFound,
            other => PageError::Internal(other.to_string()),
        }
    }
}

/// What an error page says. A page error's response carries it until the session layer,
/// which knows who asked, draws it inside the layout with that person's navigation
/// (`in_layout`); the body it starts with is the same page without navigation.
#[derive(Debug, Clone)]
pub struct Fault {
    pub status: StatusCode,
    pub heading: String,
    pub message: String,
}

/// The session of whoever met a 5xx, handed by the session layer to the request-id layer so
/// the "something went wrong" page keeps their navigation too.
#[derive(Clone)]
pub struct FaultSession(pub crate::auth::session::Session);

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    status: u16,
    heading: &'a str,
    message: &'a str,
    request_id: Option<&'a str>,
}

fn error_page(
    status: StatusCode,
    heading: &str,
    message: &str,
    request_id: Option<&str>,
    session: Option<&crate::auth::session::Session>,
) -> Response {
    let page = ErrorPage {
        chrome: Chrome::for_error(heading, session),
        status: status.as_u16(),
        heading,
        message,
        request_id,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_string()).into_response(),
    }
}

/// An error page that the session layer will draw again inside the caller's layout.
fn fault(status: StatusCode, heading: &str, message: &str) -> Response {
    let mut r = error_page(status, heading, message, None, None);
    r.extensions_mut().insert(Fault {
        status,
        heading: heading.into(),
        message: message.into(),
    });
    r
}

/// Draws a page error inside the layout of the person who met it (their workspace's
/// navigation when the request named one they are a member of), and hands a 5xx the session
/// for the same. Other responses pass unchanged.
pub fn in_layout(mut res: Response, session: Option<&crate::auth::session::Session>) -> Response {
    if let Some(f) = res.extensions_mut().remove::<Fault>() {
        let mut page = error_page(f.status, &f.heading, &f.message, None, session);
        // Keep what the handler set besides the body (cookies, for one).
        for (k, v) in res.headers() {
            if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
                page.headers_mut().append(k.clone(), v.clone());
            }
        }
        return page;
    }
    if let (true, Some(s)) = (res.extensions().get::<Internal>().is_some(), session) {
        res.extensions_mut().insert(FaultSession(s.clone()));
    }
    res
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::NotFound => fault(
                StatusCode::NOT_FOUND,
                "Not found",
                "This page does not exist, or it belongs to a workspace you are not a member of.",
            ),
            PageError::Forbidden(why) => fault(StatusCode::FORBIDDEN, "Not allowed", &why),
            PageError::SignIn(next) => {
                let next = crate::auth::redirect::local_path(&next);
                let q = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                Redirect::to(&format!("/login?{q}")).into_response()
            }
            PageError::Csrf => fault(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "For your security the form could not be sent. Go back, reload the page and try again.",
            ),
            PageError::TooLarge => fault(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too much at once",
                "What you sent is larger than keel accepts. Shorten it and try again.",
            ),
            PageError::Internal(detail) => Internal(detail).into_response(),
        }
    }
}

/// The body of a 5xx, built by the request-id layer once the details are logged.
pub fn internal_response(
    is_api: bool,
    request_id: &str,
    session: Option<&crate::auth::session::Session>,
) -> Response {
    let status = StatusCode::INTERNAL_SERVER_ERROR;
    if is_api {
        let body = ErrorEnvelope {
            error: ErrorBody {
                code: "internal".into(),
                message: "Something went wrong on our side. It has been logged.".into(),
                fields: vec![],
                request_id: Some(request_id.into()),
            },
        };
        (status, Json(body)).into_response()
    } else {
        error_page(
            status,
            "Something went wrong",
            "Something went wrong on our side. It has been logged; if it keeps happening, tell your keel operator this request id.",
            Some(request_id),
            session,
        )
    }
}
