//! Market segments and the personas in them (migration 0040). Removing a segment removes its
//! personas and their message cells (composite foreign keys, `ON DELETE CASCADE`).

use crate::WorkspaceId;
use crate::{now, read, write, Result, Store, StoreError};
use keel_domain::stack::{Persona, PersonaDraft, Segment, SegmentDraft};
use keel_domain::Date;

#[derive(sqlx::FromRow)]
struct SegmentRow {
    id: i64,
    name: String,
    needs: Option<String>,
    value_drivers: Option<String>,
    alternatives: Option<String>,
    evidence: Option<String>,
    evidence_date: Option<i64>,
    version: i64,
}

const SEGMENT_COLUMNS: &str =
    "id, name, needs, value_drivers, alternatives, evidence, evidence_date, version";

fn segment(r: SegmentRow) -> Segment {
    Segment {
        id: r.id,
        name: r.name,
        needs: r.needs,
        value_drivers: r.value_drivers,
        alternatives: r.alternatives,
        evidence: r.evidence,
        evidence_date: r.evidence_date.map(Date),
        version: r.version,
    }
}

#[derive(sqlx::FromRow)]
struct PersonaRow {
    id: i64,
    segment_id: i64,
    name: String,
    is_primary: bool,
    goals: Option<String>,
    pains: Option<String>,
    objections: Option<String>,
    version: i64,
}

const PERSONA_COLUMNS: &str = "id, segment_id, name, is_primary, goals, pains, objections, version";

fn persona(r: PersonaRow) -> Persona {
    Persona {
        id: r.id,
        segment_id: r.segment_id,
        name: r.name,
        primary: r.is_primary,
        goals: r.goals,
        pains: r.pains,
        objections: r.objections,
        version: r.version,
    }
}

fn segment_taken(e: sqlx::Error) -> StoreError {
    StoreError::unique(
        e,
        "A segment with this name already exists in this workspace.",
    )
}

fn persona_taken(e: sqlx::Error) -> StoreError {
    match e.as_database_error() {
        Some(d) if d.is_foreign_key_violation() => StoreError::NotFound,
        _ => StoreError::unique(
            e,
            "A persona with this name already exists in this workspace.",
        ),
    }
}

impl Store {
    pub async fn list_segments(&self, ws: WorkspaceId) -> Result<Vec<Segment>> {
        let sql = format!(
            "SELECT {SEGMENT_COLUMNS} FROM segments WHERE workspace_id = $1 ORDER BY name, id"
        );
        let rows =
            read!(self, p => sqlx::query_as::<_, SegmentRow>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(segment).collect())
    }

    pub async fn create_segment(&self, ws: WorkspaceId, d: &SegmentDraft) -> Result<Segment> {
        let sql = format!(
            "INSERT INTO segments (workspace_id, name, needs, value_drivers, alternatives, evidence, evidence_date, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING {SEGMENT_COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, SegmentRow>(&sql)
            .bind(ws).bind(&d.name).bind(&d.needs).bind(&d.value_drivers).bind(&d.alternatives)
            .bind(&d.evidence).bind(d.evidence_date.map(|x| x.0)).bind(now())
            .fetch_one(p).await)
        .map_err(segment_taken)?;
        Ok(segment(row))
    }

    pub async fn update_segment(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &SegmentDraft,
    ) -> Result<Segment> {
        let sql = format!(
            "UPDATE segments SET name = $3, needs = $4, value_drivers = $5, alternatives = $6, evidence = $7,
                    evidence_date = $8, updated_at = $9, version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $10 RETURNING {SEGMENT_COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, SegmentRow>(&sql)
            .bind(ws).bind(id).bind(&d.name).bind(&d.needs).bind(&d.value_drivers).bind(&d.alternatives)
            .bind(&d.evidence).bind(d.evidence_date.map(|x| x.0)).bind(now()).bind(expected)
            .fetch_optional(p).await).map_err(segment_taken)?;
        match row {
            Some(r) => Ok(segment(r)),
            None => Err(self.missing_or_stale("segments", ws, id).await),
        }
    }

    /// Removes a segment with its personas and their messages.
    pub async fn delete_segment(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM segments WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("segments", ws, id).await);
        }
        Ok(())
    }

    pub async fn list_personas(&self, ws: WorkspaceId) -> Result<Vec<Persona>> {
        let sql = format!(
            "SELECT {PERSONA_COLUMNS} FROM personas WHERE workspace_id = $1 ORDER BY name, id"
        );
        let rows =
            read!(self, p => sqlx::query_as::<_, PersonaRow>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(persona).collect())
    }

    /// Adds a persona; a segment of another workspace (or one removed meanwhile) is not found.
    pub async fn create_persona(&self, ws: WorkspaceId, d: &PersonaDraft) -> Result<Persona> {
        let sql = format!(
            "INSERT INTO personas (workspace_id, segment_id, name, is_primary, goals, pains, objections, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING {PERSONA_COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, PersonaRow>(&sql)
            .bind(ws).bind(d.segment_id).bind(&d.name).bind(d.primary).bind(&d.goals)
            .bind(&d.pains).bind(&d.objections).bind(now())
            .fetch_one(p).await)
        .map_err(persona_taken)?;
        Ok(persona(row))
    }

    pub async fn update_persona(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &PersonaDraft,
    ) -> Result<Persona> {
        let sql = format!(
            "UPDATE personas SET segment_id = $3, name = $4, is_primary = $5, goals = $6, pains = $7,
                    objections = $8, updated_at = $9, version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $10 RETURNING {PERSONA_COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, PersonaRow>(&sql)
            .bind(ws).bind(id).bind(d.segment_id).bind(&d.name).bind(d.primary).bind(&d.goals)
            .bind(&d.pains).bind(&d.objections).bind(now()).bind(expected)
            .fetch_optional(p).await)
        .map_err(persona_taken)?;
        match row {
            Some(r) => Ok(persona(r)),
            None => Err(self.missing_or_stale("personas", ws, id).await),
        }
    }

    /// Removes a persona with its row of the message map.
    pub async fn delete_persona(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM personas WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("personas", ws, id).await);
        }
        Ok(())
    }
}
