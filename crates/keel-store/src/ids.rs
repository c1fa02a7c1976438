//! Typed workspace ids. Every call that reads or writes workspace data takes a `WorkspaceId`,
//! so the compiler refuses a record's id where a workspace is meant (and the other way round);
//! the database holds the same invariant with `workspace_id` in every key (ARCHITECTURE.md).

use serde::Serialize;
use std::fmt;

/// The id of a workspace. Made only from a workspace row or a membership, or by tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, sqlx::Type, Serialize)]
#[sqlx(transparent)]
#[serde(transparent)]
pub struct WorkspaceId(pub i64);

impl fmt::Display for WorkspaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
