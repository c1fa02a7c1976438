//! Middleware run for every request: a request id and security headers, then the session
//! and the CSRF check.

use crate::auth::{csrf, session};
use crate::error::{self, Internal};
use crate::{monitoring, AppState};
use axum::body::{to_bytes, Body};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use keel_store::audit::{self, Actor};
use tracing::Instrument;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Gives each request an id (in the log, in the `x-request-id` header and on error pages),
/// adds security headers, and turns a 5xx into a page or JSON error that shows the id and
/// nothing else: the details go to the log only.
/// Also counts the request for `/metrics`, under its route template.
pub async fn request_id(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let id = crate::auth::secret::generate()[..16].to_string();
    let is_api = req.uri().path().starts_with("/api/");
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let span =
        tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path());
    let mut res = async move {
        let res = next.run(req).await;
        tracing::debug!(status = res.status().as_u16(), "answered");
        res
    }
    .instrument(span)
    .await;
    if let Some(Internal(detail)) = res.extensions_mut().remove::<Internal>() {
        tracing::error!(request_id = %id, "internal error: {detail}");
        let who = res.extensions_mut().remove::<error::FaultSession>();
        res = error::internal_response(is_api, &id, who.as_ref().map(|s| &s.0));
    }
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert("x-request-id", v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    state.metrics.record(
        route
            .as_ref()
            .map_or(monitoring::UNMATCHED, MatchedPath::as_str),
        &method,
        res.status().as_u16(),
        started.elapsed(),
    );
    res
}

/// The workspace a request names: `/w/{ws}/…` for pages, the workspace header for the API.
fn named_workspace(req: &Request) -> Option<String> {
    let path = req.uri().path();
    if let Some(rest) = path.strip_prefix("/w/") {
        return rest.split('/').next().map(str::to_string);
    }
    if path.starts_with("/api/") {
        return req
            .headers()
            .get(crate::ctx::WORKSPACE_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
    }
    None
}

const CROSS_SITE: &str = "This form was sent from another site, so keel refused it. Open keel at its own address and try again.";

/// Loads the session once (handlers read it from the request's extensions) and refuses
/// unsafe requests sent from another site or whose CSRF token is missing or wrong. Error
/// pages are drawn inside the caller's layout on the way out.
pub async fn session(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let slug = named_workspace(&req);
    let sess = match session::load(&state, req.headers(), slug.as_deref()).await {
        Ok(s) => s,
        Err(e) => return Internal(format!("loading session: {e}")).into_response(),
    };
    let is_api = req.uri().path().starts_with("/api/");
    // Every write this request makes is audited as the caller's (an API token, read later by
    // `ApiCtx`, takes over there).
    let user = sess.as_ref().map(|s| s.user_id);
    let actor = match (is_api, user) {
        (true, Some(u)) => Actor::api_session(u),
        _ => Actor::web(user),
    };
    let res = audit::scope(actor, checked(&state, sess.clone(), req, next)).await;
    if is_api {
        res
    } else {
        error::in_layout(res, sess.as_ref())
    }
}

async fn checked(
    state: &AppState,
    sess: Option<session::Session>,
    mut req: Request,
    next: Next,
) -> Response {
    if csrf::is_unsafe(req.method()) {
        let path = req.uri().path().to_string();
        let bearer = req.headers().contains_key(header::AUTHORIZATION);
        let is_api = path.starts_with("/api/");
        // A call with a bearer token is a program's, not a browser's (no page can make a
        // browser attach one); every other unsafe request must come from this site.
        let by_program = is_api && bearer;
        if !by_program && !csrf::from_this_site(req.headers(), state.config.public_url.as_ref()) {
            return if is_api {
                error::ApiError::new(
                    StatusCode::FORBIDDEN,
                    "cross_site",
                    "This request came from another site. Call the API with a bearer token, or from keel's own pages.",
                )
                .into_response()
            } else {
                error::PageError::Forbidden(CROSS_SITE.into()).into_response()
            };
        }
        if is_api {
            if let (false, Some(s)) = (bearer, &sess) {
                let given = req
                    .headers()
                    .get(csrf::HEADER)
                    .and_then(|v| v.to_str().ok());
                if !csrf::matches(Some(&s.csrf), given) {
                    return error::ApiError::new(
                        StatusCode::FORBIDDEN,
                        "csrf_failed",
                        "Send the session's CSRF token in the X-CSRF-Token header.",
                    )
                    .into_response();
                }
            }
        } else if csrf::is_multipart(req.headers()) {
            // An upload: its token is in the query, and its body streams to the handler.
            let given = csrf::query_token(req.uri().query());
            if !sess
                .as_ref()
                .is_some_and(|s| csrf::matches(Some(&s.csrf), given.as_deref()))
            {
                return error::PageError::Csrf.into_response();
            }
        } else {
            let (parts, body) = req.into_parts();
            let bytes = match to_bytes(body, state.config.max_body_bytes).await {
                Ok(b) => b,
                Err(_) => return error::PageError::TooLarge.into_response(),
            };
            let given = csrf::form_token(&bytes);
            let by_session = sess
                .as_ref()
                .is_some_and(|s| csrf::matches(Some(&s.csrf), given.as_deref()));
            // The forms shown before sign-in carry the double-submit cookie's token instead.
            let public_form = path == "/login"
                || path == "/setup"
                || path.starts_with("/invite/")
                || path.starts_with("/password/");
            let by_pre = public_form
                && csrf::matches(
                    session::cookie(&parts.headers, session::PRE_COOKIE).as_deref(),
                    given.as_deref(),
                );
            if !by_session && !by_pre {
                return error::PageError::Csrf.into_response();
            }
            req = Request::from_parts(parts, Body::from(bytes));
        }
    }
    req.extensions_mut().insert(sess);
    next.run(req).await
}
