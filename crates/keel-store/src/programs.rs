//! Tactics programs and the channels, offers and workflows they use (migration 0040). A save
//! replaces the three link sets in the same transaction as the version check; removing a
//! channel, offer or workflow removes it from its programs.

use crate::WorkspaceId;
use crate::{now, read, tx, write, Result, Store, StoreError};
use keel_domain::channel::Phase;
use keel_domain::stack::{Program, ProgramDraft};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    phase: String,
    owner_id: Option<i64>,
    goal: Option<String>,
    version: i64,
}

const COLUMNS: &str = "id, name, phase, owner_id, goal, version";

/// (table, column) of each link set.
const LINKS: [(&str, &str); 3] = [
    ("program_channels", "channel_id"),
    ("program_offers", "offer_id"),
    ("program_workflows", "workflow_id"),
];

fn taken(e: sqlx::Error) -> StoreError {
    StoreError::unique(
        e,
        "A program with this name already exists in this workspace.",
    )
}

fn program(r: Row, links: &[Vec<(i64, i64)>; 3]) -> Program {
    let of = |i: usize| -> Vec<i64> {
        links[i]
            .iter()
            .filter(|l| l.0 == r.id)
            .map(|l| l.1)
            .collect()
    };
    Program {
        id: r.id,
        phase: Phase::parse(&r.phase).unwrap_or(Phase::SegmentMarketing),
        owner_id: r.owner_id,
        goal: r.goal.clone(),
        channel_ids: of(0),
        offer_ids: of(1),
        workflow_ids: of(2),
        version: r.version,
        name: r.name,
    }
}

fn sets(d: &ProgramDraft) -> [&Vec<i64>; 3] {
    [&d.channel_ids, &d.offer_ids, &d.workflow_ids]
}

impl Store {
    /// Programs by name, each with its links.
    pub async fn list_programs(&self, ws: WorkspaceId) -> Result<Vec<Program>> {
        let sql =
            format!("SELECT {COLUMNS} FROM programs WHERE workspace_id = $1 ORDER BY name, id");
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).fetch_all(p).await)?;
        let mut links: [Vec<(i64, i64)>; 3] = Default::default();
        for (i, (table, col)) in LINKS.iter().enumerate() {
            let q = format!(
                "SELECT program_id, {col} FROM {table} WHERE workspace_id = $1 ORDER BY program_id, {col}"
            );
            links[i] = read!(self, p => sqlx::query_as(&q).bind(ws).fetch_all(p).await)?;
        }
        Ok(rows.into_iter().map(|r| program(r, &links)).collect())
    }

    pub async fn find_program(&self, ws: WorkspaceId, id: i64) -> Result<Option<Program>> {
        Ok(self
            .list_programs(ws)
            .await?
            .into_iter()
            .find(|p| p.id == id))
    }

    pub async fn create_program(&self, ws: WorkspaceId, d: &ProgramDraft) -> Result<Program> {
        let sql = format!(
            "INSERT INTO programs (workspace_id, name, phase, owner_id, goal, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLUMNS}"
        );
        let row = tx!(self, tx => {
            let row = sqlx::query_as::<_, Row>(&sql)
                .bind(ws).bind(&d.name).bind(d.phase.as_str()).bind(d.owner_id).bind(&d.goal)
                .bind(now()).fetch_one(&mut *tx).await.map_err(taken)?;
            for ((table, col), ids) in LINKS.iter().zip(sets(d)) {
                let q = format!("INSERT INTO {table} (workspace_id, program_id, {col}) VALUES ($1, $2, $3)");
                for id in ids {
                    sqlx::query(&q).bind(ws).bind(row.id).bind(id).execute(&mut *tx).await?;
                }
            }
            row
        });
        self.find_program(ws, row.id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn update_program(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &ProgramDraft,
    ) -> Result<Program> {
        let sql = format!(
            "UPDATE programs SET name = $3, phase = $4, owner_id = $5, goal = $6, updated_at = $7,
                    version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $8 RETURNING {COLUMNS}"
        );
        tx!(self, tx => {
            let row = sqlx::query_as::<_, Row>(&sql)
                .bind(ws).bind(id).bind(&d.name).bind(d.phase.as_str()).bind(d.owner_id).bind(&d.goal)
                .bind(now()).bind(expected).fetch_optional(&mut *tx).await.map_err(taken)?;
            if row.is_none() {
                let current: Option<i64> = sqlx::query_scalar(
                    "SELECT version FROM programs WHERE workspace_id = $1 AND id = $2")
                    .bind(ws).bind(id).fetch_optional(&mut *tx).await?;
                return Err(match current {
                    Some(current) => StoreError::Stale { current },
                    None => StoreError::NotFound,
                });
            }
            for ((table, col), ids) in LINKS.iter().zip(sets(d)) {
                sqlx::query(&format!("DELETE FROM {table} WHERE workspace_id = $1 AND program_id = $2"))
                    .bind(ws).bind(id).execute(&mut *tx).await?;
                let q = format!("INSERT INTO {table} (workspace_id, program_id, {col}) VALUES ($1, $2, $3)");
                for link in ids {
                    sqlx::query(&q).bind(ws).bind(id).bind(link).execute(&mut *tx).await?;
                }
            }
        });
        self.find_program(ws, id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn delete_program(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM programs WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("programs", ws, id).await);
        }
        Ok(())
    }
}
