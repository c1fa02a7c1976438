//! Priorities of a workspace (migration 0014). A priority that names what it pauses moves that
//! priority to "paused" in the same transaction.

use crate::WorkspaceId;
use crate::{now, read, tx, write, Result, Store, StoreError};
use keel_domain::priority::order::RankChange;
use keel_domain::priority::Status;
use keel_domain::{Priority, PriorityDraft};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    title: String,
    objective_id: Option<i64>,
    owner_id: Option<i64>,
    rank: i64,
    status: String,
    weekly_hours: f64,
    paused_id: Option<i64>,
    version: i64,
}

const COLUMNS: &str =
    "id, title, objective_id, owner_id, rank, status, weekly_hours, paused_id, version";

fn priority(r: Row) -> Priority {
    Priority {
        id: r.id,
        title: r.title,
        objective_id: r.objective_id,
        owner_id: r.owner_id,
        rank: r.rank,
        status: Status::parse(&r.status).unwrap_or(Status::Later),
        weekly_hours: r.weekly_hours,
        paused_id: r.paused_id,
        version: r.version,
    }
}

/// Pauses a planned priority of the workspace; 0 rows means someone moved it meanwhile.
const PAUSE: &str =
    "UPDATE priorities SET status = 'paused', updated_at = $3, version = version + 1
     WHERE workspace_id = $1 AND id = $2 AND status IN ('now', 'next', 'later')";

/// The history line of a pause, written before the `PAUSE` it records (so it reads the status
/// the priority leaves); nothing when the priority is no longer planned.
pub(crate) const PAUSE_EVENT: &str =
    "INSERT INTO priority_events (workspace_id, priority_id, from_status, to_status, note, at)
     SELECT workspace_id, id, status, 'paused', $3, $4 FROM priorities
     WHERE workspace_id = $1 AND id = $2 AND status IN ('now', 'next', 'later')";

/// A rank change's history line: the status stays what it is.
const RANK_EVENT: &str =
    "INSERT INTO priority_events (workspace_id, priority_id, from_status, to_status, note, at)
     SELECT workspace_id, id, status, status, $3, $4 FROM priorities WHERE workspace_id = $1 AND id = $2";

const EVENT: &str =
    "INSERT INTO priority_events (workspace_id, priority_id, from_status, to_status, note, at)
     VALUES ($1, $2, $3, $4, $5, $6)";

/// One line of a priority's status history.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PriorityEvent {
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub at: i64,
}

/// What a save's history line says: the pause it made, or the override's reason.
fn note(d: &PriorityDraft, paused_title: Option<&str>) -> Option<String> {
    match (paused_title, &d.override_reason) {
        (Some(t), _) => Some(format!("Paused \"{t}\" to make room.")),
        (None, Some(r)) => Some(format!(
            "Made \"now\" without pausing anything, while capacity is short: {r}"
        )),
        (None, None) => None,
    }
}

fn pause_gone() -> StoreError {
    StoreError::Conflict(
        "The priority you chose to pause was changed meanwhile and is no longer planned; choose again."
            .into(),
    )
}

impl Store {
    /// Priorities by rank, then id.
    pub async fn list_priorities(&self, ws: WorkspaceId) -> Result<Vec<Priority>> {
        let sql =
            format!("SELECT {COLUMNS} FROM priorities WHERE workspace_id = $1 ORDER BY rank, id");
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(priority).collect())
    }

    pub async fn find_priority(&self, ws: WorkspaceId, id: i64) -> Result<Option<Priority>> {
        let sql = format!("SELECT {COLUMNS} FROM priorities WHERE workspace_id = $1 AND id = $2");
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(priority))
    }

    /// Stores a new priority and pauses what it names, in one transaction.
    pub async fn create_priority(&self, ws: WorkspaceId, d: &PriorityDraft) -> Result<Priority> {
        let t = now();
        let sql = format!(
            "INSERT INTO priorities (workspace_id, title, objective_id, owner_id, rank, status, weekly_hours, paused_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING {COLUMNS}"
        );
        let paused_title = match d.paused_id {
            Some(id) => self.find_priority(ws, id).await?.map(|p| p.title),
            None => None,
        };
        let made_room = format!("Paused to make room for \"{}\".", d.title);
        let row = tx!(self, tx => {
            if let Some(paused) = d.paused_id {
                sqlx::query(PAUSE_EVENT).bind(ws).bind(paused).bind(&made_room).bind(t).execute(&mut *tx).await?;
                let n = sqlx::query(PAUSE).bind(ws).bind(paused).bind(t).execute(&mut *tx).await?.rows_affected();
                if n == 0 {
                    return Err(pause_gone());
                }
            }
            let row = sqlx::query_as::<_, Row>(&sql)
                .bind(ws).bind(&d.title).bind(d.objective_id).bind(d.owner_id).bind(d.rank)
                .bind(d.status.as_str()).bind(d.weekly_hours).bind(d.paused_id).bind(t)
                .fetch_one(&mut *tx).await?;
            sqlx::query(EVENT).bind(ws).bind(row.id).bind(None::<String>).bind(d.status.as_str())
                .bind(note(d, paused_title.as_deref())).bind(t).execute(&mut *tx).await?;
            row
        });
        Ok(priority(row))
    }

    /// Updates a priority at `expected` version; a newly named pause moves that priority to
    /// "paused" in the same transaction, so a stale save pauses nothing.
    pub async fn update_priority(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &PriorityDraft,
    ) -> Result<Priority> {
        let t = now();
        let sql = format!(
            "UPDATE priorities SET title = $3, objective_id = $4, owner_id = $5, rank = $6, status = $7, weekly_hours = $8,
                    paused_id = $9, updated_at = $10, version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $11 RETURNING {COLUMNS}"
        );
        let old = self
            .find_priority(ws, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let newly_paused = d.paused_id.filter(|p| old.paused_id != Some(*p));
        let paused_title = match newly_paused {
            Some(p) => self.find_priority(ws, p).await?.map(|p| p.title),
            None => None,
        };
        let made_room = format!("Paused to make room for \"{}\".", d.title);
        // A history line when the status changes, or a pause or override is newly recorded.
        let line =
            (old.status != d.status || paused_title.is_some() || d.override_reason.is_some())
                .then(|| note(d, paused_title.as_deref()));
        let row = tx!(self, tx => {
            let row = sqlx::query_as::<_, Row>(&sql)
                .bind(ws).bind(id).bind(&d.title).bind(d.objective_id).bind(d.owner_id).bind(d.rank)
                .bind(d.status.as_str()).bind(d.weekly_hours).bind(d.paused_id).bind(t).bind(expected)
                .fetch_optional(&mut *tx).await?;
            if row.is_some() {
                if let Some(paused) = newly_paused {
                    sqlx::query(PAUSE_EVENT).bind(ws).bind(paused).bind(&made_room).bind(t).execute(&mut *tx).await?;
                    let n = sqlx::query(PAUSE).bind(ws).bind(paused).bind(t).execute(&mut *tx).await?.rows_affected();
                    if n == 0 {
                        return Err(pause_gone());
                    }
                }
                if let Some(note) = &line {
                    sqlx::query(EVENT).bind(ws).bind(id).bind(old.status.as_str()).bind(d.status.as_str())
                        .bind(note).bind(t).execute(&mut *tx).await?;
                }
            }
            row
        });
        match row {
            Some(r) => Ok(priority(r)),
            None => Err(self.missing_or_stale("priorities", ws, id).await),
        }
    }

    /// Stores new ranks (`priority::order`) in one transaction, each only if its priority
    /// still has the version it was read at; one that does not rolls all back and answers
    /// `Stale` with its version now (`NotFound` when it is gone). Rows are written in id order
    /// whatever order they come in, so two reorders at once wait for each other instead of
    /// deadlocking. Each change leaves a line in its priority's history.
    pub async fn set_priority_ranks(&self, ws: WorkspaceId, changes: &[RankChange]) -> Result<()> {
        let t = now();
        let mut changes = changes.to_vec();
        changes.sort_by_key(|c| c.id);
        tx!(self, tx => {
            for c in &changes {
                let n = sqlx::query(
                    "UPDATE priorities SET rank = $3, updated_at = $4, version = version + 1
                     WHERE workspace_id = $1 AND id = $2 AND version = $5")
                    .bind(ws).bind(c.id).bind(c.to).bind(t).bind(c.version)
                    .execute(&mut *tx).await?.rows_affected();
                if n == 0 {
                    let current: Option<i64> = sqlx::query_scalar(
                        "SELECT version FROM priorities WHERE workspace_id = $1 AND id = $2")
                        .bind(ws).bind(c.id).fetch_optional(&mut *tx).await?;
                    return Err(match current {
                        Some(current) => StoreError::Stale { current },
                        None => StoreError::NotFound,
                    });
                }
                sqlx::query(RANK_EVENT).bind(ws).bind(c.id).bind(c.note()).bind(t)
                    .execute(&mut *tx).await?;
            }
        });
        Ok(())
    }

    /// A priority's status history, oldest first.
    pub async fn priority_history(&self, ws: WorkspaceId, id: i64) -> Result<Vec<PriorityEvent>> {
        Ok(read!(self, p => sqlx::query_as::<_, PriorityEvent>(
            "SELECT from_status, to_status, note, at FROM priority_events
             WHERE workspace_id = $1 AND priority_id = $2 ORDER BY at, id")
            .bind(ws).bind(id).fetch_all(p).await)?)
    }

    pub async fn delete_priority(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM priorities WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("priorities", ws, id).await);
        }
        Ok(())
    }
}
