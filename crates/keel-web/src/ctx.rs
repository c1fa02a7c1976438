//! Who is asking, in which workspace, with which role: extractors for pages and the API.
//!
//! Architecture Invariant: a handler that touches workspace data takes `WsCtx` (pages) or
//! `ApiCtx` (API); both resolve the workspace from the caller's own membership or token, so
//! a workspace the caller is not a member of is indistinguishable from one that does not
//! exist (404).

use crate::auth::session::Session;
use crate::error::{ApiError, PageError};
use crate::pages::layout::Chrome;
use crate::AppState;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::{header, request::Parts};
use keel_domain::{access::Reader, Role};
use keel_store::{Workspace, WorkspaceId};

/// A signed-in user, for pages outside any workspace.
pub struct SignedIn(pub Session);

fn session_of(parts: &Parts) -> Option<Session> {
    parts.extensions.get::<Option<Session>>().cloned().flatten()
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, PageError> {
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        session_of(parts)
            .map(SignedIn)
            .ok_or(PageError::SignIn(here))
    }
}

/// The optional session, for pages that work signed in or not.
pub struct MaybeSignedIn(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, PageError> {
        Ok(MaybeSignedIn(session_of(parts)))
    }
}

/// A page request inside a workspace (`/w/{ws}/…`) by one of its members.
pub struct WsCtx {
    pub session: Session,
    pub ws: Workspace,
    pub role: Role,
    /// The person record linked to the caller's account in this workspace.
    pub person_id: Option<i64>,
}

impl FromRequestParts<AppState> for WsCtx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let SignedIn(session) = SignedIn::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| PageError::NotFound)?;
        let slug = params
            .iter()
            .find(|(k, _)| *k == "ws")
            .map(|(_, v)| v.to_string())
            .ok_or(PageError::NotFound)?;
        // The session layer read the membership with the session; asking again only if
        // the path's workspace is spelled differently from the one it read.
        let here = match session.here.clone() {
            Some(m) if m.workspace.slug == slug => m,
            _ => state
                .store
                .workspace_for_member(&slug, session.user_id)
                .await?
                .ok_or(PageError::NotFound)?,
        };
        Ok(WsCtx {
            session,
            ws: here.workspace,
            role: here.role,
            person_id: here.person_id,
        })
    }
}

pub const READ_ONLY: &str = "Your role in this workspace lets you read, not change. Ask an owner or admin if you need more.";
pub const ADMINS_ONLY: &str = "Only owners and admins of this workspace can do this.";

impl WsCtx {
    /// Leads are the company's: a role that does not see them gets 404.
    pub fn require_leads(&self) -> Result<(), PageError> {
        if self.role.sees_leads() {
            Ok(())
        } else {
            Err(PageError::NotFound)
        }
    }

    pub fn chrome(&self, title: impl Into<String>, active: &'static str) -> Chrome {
        Chrome::in_workspace(title, active, self)
    }

    pub fn require_edit(&self) -> Result<(), PageError> {
        if self.role.can_edit_model() {
            Ok(())
        } else {
            Err(PageError::Forbidden(READ_ONLY.into()))
        }
    }

    pub fn require_manage(&self) -> Result<(), PageError> {
        if self.role.can_manage() {
            Ok(())
        } else {
            Err(PageError::Forbidden(ADMINS_ONLY.into()))
        }
    }

    pub fn reader(&self) -> Reader {
        Reader::new(self.role, self.person_id)
    }

    pub fn link(&self, rest: &str) -> String {
        format!("/w/{}{rest}", self.ws.slug)
    }
}

/// An API request: by API token (bound to one workspace) or by the browser's session with
/// the workspace named in the `X-Keel-Workspace` header.
pub struct ApiCtx {
    pub user_id: i64,
    pub ws_id: WorkspaceId,
    pub ws_slug: String,
    pub ws_name: String,
    pub data_version: i64,
    pub role: Role,
    /// The person record linked to the caller's account in this workspace.
    pub person_id: Option<i64>,
}

pub const WORKSPACE_HEADER: &str = "x-keel-workspace";

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
            let token = auth
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| t.starts_with(crate::auth::secret::TOKEN_PREFIX))
                .ok_or_else(ApiError::unauthorized)?;
            let a = state
                .store
                .authenticate_token(&crate::auth::secret::digest(token))
                .await?
                .ok_or_else(ApiError::unauthorized)?;
            keel_store::audit::act_as(keel_store::Actor::token(a.user_id, a.token_id));
            return Ok(ApiCtx {
                user_id: a.user_id,
                ws_id: a.workspace_id,
                ws_slug: a.workspace_slug,
                ws_name: a.workspace_name,
                data_version: a.data_version,
                role: a.role,
                person_id: a.person_id,
            });
        }
        let session = session_of(parts).ok_or_else(ApiError::unauthorized)?;
        let slug = parts
            .headers
            .get(WORKSPACE_HEADER)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                ApiError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "workspace_required",
                    "Name the workspace in the X-Keel-Workspace header.",
                )
            })?;
        let here = match session.here {
            Some(m) if m.workspace.slug == slug => m,
            _ => state
                .store
                .workspace_for_member(slug, session.user_id)
                .await?
                .ok_or_else(ApiError::not_found)?,
        };
        Ok(ApiCtx {
            user_id: session.user_id,
            ws_id: here.workspace.id,
            ws_slug: here.workspace.slug,
            ws_name: here.workspace.name,
            data_version: here.workspace.data_version,
            role: here.role,
            person_id: here.person_id,
        })
    }
}

impl ApiCtx {
    /// Leads are the company's: a role that does not see them gets 404, as for a missing page.
    pub fn require_leads(&self) -> Result<(), ApiError> {
        if self.role.sees_leads() {
            Ok(())
        } else {
            Err(ApiError::not_found())
        }
    }

    pub fn require_edit(&self) -> Result<(), ApiError> {
        if self.role.can_edit_model() {
            Ok(())
        } else {
            Err(ApiError::forbidden(READ_ONLY))
        }
    }

    pub fn require_manage(&self) -> Result<(), ApiError> {
        if self.role.can_manage() {
            Ok(())
        } else {
            Err(ApiError::forbidden(ADMINS_ONLY))
        }
    }

    pub fn reader(&self) -> Reader {
        Reader::new(self.role, self.person_id)
    }
}
