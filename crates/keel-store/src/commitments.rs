//! Recurring commitments of people (meetings, deciding, managing, other).

use crate::WorkspaceId;
use crate::{now, read, write, Result, Store};
use keel_domain::capacity::{Commitment, CommitmentDraft, CommitmentKind};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    person_id: i64,
    label: String,
    kind: String,
    hours: f64,
    workflow_id: Option<i64>,
    version: i64,
}

fn commitment(r: Row) -> Commitment {
    Commitment {
        id: r.id,
        person_id: r.person_id,
        label: r.label,
        kind: CommitmentKind::parse(&r.kind).unwrap_or(CommitmentKind::Other),
        hours: r.hours,
        workflow_id: r.workflow_id,
        version: r.version,
    }
}

const COLUMNS: &str = "id, person_id, label, kind, hours, workflow_id, version";

impl Store {
    /// Every commitment of the workspace, by person.
    pub async fn list_commitments(&self, ws: WorkspaceId) -> Result<Vec<Commitment>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM commitments WHERE workspace_id = $1 ORDER BY person_id, id"
        );
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(commitment).collect())
    }

    pub async fn find_commitment(&self, ws: WorkspaceId, id: i64) -> Result<Option<Commitment>> {
        let sql = format!("SELECT {COLUMNS} FROM commitments WHERE workspace_id = $1 AND id = $2");
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(commitment))
    }

    /// Adds a commitment for a person the caller found in this workspace.
    pub async fn create_commitment(
        &self,
        ws: WorkspaceId,
        person_id: i64,
        d: &CommitmentDraft,
    ) -> Result<Commitment> {
        let sql = format!(
            "INSERT INTO commitments (workspace_id, person_id, label, kind, hours, workflow_id, created_at, updated_at)
             SELECT $1, id, $3, $4, $5, $6, $7, $7 FROM people WHERE workspace_id = $1 AND id = $2
             RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(person_id).bind(&d.label).bind(d.kind.as_str()).bind(d.hours)
            .bind(d.workflow_id).bind(now()).fetch_optional(p).await)?;
        row.map(commitment).ok_or(crate::StoreError::NotFound)
    }

    /// Updates a commitment if it is still at `expected` version.
    pub async fn update_commitment(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &CommitmentDraft,
    ) -> Result<Commitment> {
        let sql = format!(
            "UPDATE commitments SET label = $3, kind = $4, hours = $5, workflow_id = $6, updated_at = $7,
                    version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $8
             RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(id).bind(&d.label).bind(d.kind.as_str()).bind(d.hours)
            .bind(d.workflow_id).bind(now()).bind(expected).fetch_optional(p).await)?;
        match row {
            Some(r) => Ok(commitment(r)),
            None => Err(self.missing_or_stale("commitments", ws, id).await),
        }
    }

    pub async fn delete_commitment(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM commitments WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("commitments", ws, id).await);
        }
        Ok(())
    }
}
