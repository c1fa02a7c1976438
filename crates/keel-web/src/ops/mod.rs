//! What pages and the API both do to workflows and work items: load, check the caller may,
//! call the domain's rules, store. One place, so the two interfaces cannot drift.

pub mod audit;
pub mod decision_export;
pub mod invites;
pub mod leads;
pub mod metrics;
pub mod reviews;
pub mod stack;
pub mod strategy;
pub mod webhooks;
pub mod work;
pub mod work_notes;
pub mod workflows;

use keel_store::StoreError;
use keel_store::WorkspaceId;

/// Why an operation did not happen.
#[derive(Debug)]
pub enum OpError {
    NotFound,
    Forbidden(String),
    Invalid(keel_domain::Invalid),
    /// A rule of the workflow refused the move; the text says why.
    Refused(String),
    Stale {
        current: i64,
    },
    Conflict(String),
    Store(StoreError),
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => OpError::NotFound,
            StoreError::Stale { current } => OpError::Stale { current },
            StoreError::Conflict(m) => OpError::Conflict(m),
            other => OpError::Store(other),
        }
    }
}

impl From<keel_domain::Invalid> for OpError {
    fn from(i: keel_domain::Invalid) -> Self {
        OpError::Invalid(i)
    }
}

impl From<OpError> for crate::error::ApiError {
    fn from(e: OpError) -> Self {
        use crate::error::ApiError;
        use axum::http::StatusCode;
        match e {
            OpError::NotFound => ApiError::not_found(),
            OpError::Forbidden(m) => ApiError::forbidden(m),
            OpError::Invalid(i) => i.into(),
            OpError::Refused(m) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "refused", m),
            OpError::Stale { current } => StoreError::Stale { current }.into(),
            OpError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            OpError::Store(s) => s.into(),
        }
    }
}

impl From<OpError> for crate::error::PageError {
    fn from(e: OpError) -> Self {
        use crate::error::PageError;
        match e {
            OpError::NotFound => PageError::NotFound,
            OpError::Forbidden(m) => PageError::Forbidden(m.into()),
            OpError::Store(s) => s.into(),
            other => PageError::Internal(format!("unhandled operation outcome: {other:?}")),
        }
    }
}

/// Who acts, and in which workspace.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub ws: WorkspaceId,
    /// The workspace's data version the request was checked against (the model cache key).
    pub data_version: i64,
    pub user_id: i64,
    pub role: keel_domain::Role,
    /// The person record linked to the caller's account in this workspace.
    pub person_id: Option<i64>,
}

impl Caller {
    pub fn require_edit(&self) -> Result<(), OpError> {
        if self.role.can_edit_model() {
            Ok(())
        } else {
            Err(OpError::Forbidden(crate::ctx::READ_ONLY.into()))
        }
    }
}
