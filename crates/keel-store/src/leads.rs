//! Leads: reading them, upserting them by (workspace, source system, external id), and sales
//! feedback. Every change goes through the rollups in `lead_rollups.rs` in the same
//! transaction, so lead quality is always current without scanning the leads.
//!
//! Leads have no data_version trigger: they are not part of the in-memory operating model.

use crate::lead_rollups::{apply_sql, ROLLUP_BY_ID};
use crate::WorkspaceId;
use crate::{now, read, tx, Result, Store, StoreError};
use keel_domain::lead::{Feedback, Lead, LeadDraft, Qualification};
use keel_domain::Date;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    source_system: String,
    external_id: String,
    created_on: i64,
    source: Option<String>,
    source_detail: Option<String>,
    campaign: Option<String>,
    offer: Option<String>,
    channel: Option<String>,
    lifecycle_stage: Option<String>,
    lead_status: Option<String>,
    owner: Option<String>,
    qualification: String,
    disqualification_reason: Option<String>,
    objection: Option<String>,
    pipeline_cents: Option<i64>,
    won_cents: Option<i64>,
    feedback_at: Option<i64>,
    updated_at: i64,
    version: i64,
}

pub(crate) const COLUMNS: &str = "id, source_system, external_id, created_on, source, source_detail, campaign, offer, channel, \
    lifecycle_stage, lead_status, owner, qualification, disqualification_reason, objection, pipeline_cents, won_cents, \
    feedback_at, updated_at, version";

fn lead(r: Row) -> Lead {
    Lead {
        id: r.id,
        source_system: r.source_system,
        external_id: r.external_id,
        created: Date(r.created_on),
        source: r.source,
        source_detail: r.source_detail,
        campaign: r.campaign,
        offer: r.offer,
        channel: r.channel,
        lifecycle_stage: r.lifecycle_stage,
        lead_status: r.lead_status,
        owner: r.owner,
        qualification: Qualification::parse(&r.qualification).unwrap_or(Qualification::Pending),
        disqualification_reason: r.disqualification_reason,
        objection: r.objection,
        pipeline_cents: r.pipeline_cents,
        won_cents: r.won_cents,
        feedback_at: r.feedback_at,
        updated_at: r.updated_at,
        version: r.version,
    }
}

/// Which leads to list, newest first. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub qualification: Option<Qualification>,
    pub source: Option<String>,
    pub offer: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

const FILTER: &str = "workspace_id = $1 AND ($2 IS NULL OR qualification = $2) \
    AND ($3 IS NULL OR source = $3) AND ($4 IS NULL OR offer = $4)";

impl Store {
    pub async fn list_leads(&self, ws: WorkspaceId, f: &LeadFilter) -> Result<Vec<Lead>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM leads WHERE {FILTER} ORDER BY created_on DESC, id DESC LIMIT $5 OFFSET $6"
        );
        let limit = if f.limit <= 0 { 100 } else { f.limit };
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(f.qualification.map(|q| q.as_str())).bind(&f.source).bind(&f.offer)
            .bind(limit).bind(f.offset.max(0))
            .fetch_all(p).await)?;
        Ok(rows.into_iter().map(lead).collect())
    }

    pub async fn count_leads(&self, ws: WorkspaceId, f: &LeadFilter) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM leads WHERE {FILTER}");
        Ok(read!(self, p => sqlx::query_scalar::<_, i64>(&sql)
            .bind(ws).bind(f.qualification.map(|q| q.as_str())).bind(&f.source).bind(&f.offer)
            .fetch_one(p).await)?)
    }

    /// Leads waiting for sales feedback, oldest first: the feedback queue.
    pub async fn pending_leads(&self, ws: WorkspaceId, limit: i64) -> Result<Vec<Lead>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM leads WHERE workspace_id = $1 AND qualification = 'pending' \
             ORDER BY created_on, id LIMIT $2"
        );
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(limit).fetch_all(p).await)?;
        Ok(rows.into_iter().map(lead).collect())
    }

    /// How many leads have waited for feedback since before `before`, and the oldest one's date.
    pub async fn pending_since(
        &self,
        ws: WorkspaceId,
        before: Date,
    ) -> Result<(i64, Option<Date>)> {
        let (n, oldest): (i64, Option<i64>) = read!(self, p => sqlx::query_as(
            "SELECT COUNT(*), MIN(created_on) FROM leads WHERE workspace_id = $1 AND qualification = 'pending' AND created_on < $2")
            .bind(ws).bind(before.0).fetch_one(p).await)?;
        Ok((n, oldest.map(Date)))
    }

    pub async fn find_lead(&self, ws: WorkspaceId, id: i64) -> Result<Option<Lead>> {
        let sql = format!("SELECT {COLUMNS} FROM leads WHERE workspace_id = $1 AND id = $2");
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(lead))
    }

    pub async fn find_lead_by_external(
        &self,
        ws: WorkspaceId,
        system: &str,
        external_id: &str,
    ) -> Result<Option<Lead>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM leads WHERE workspace_id = $1 AND source_system = $2 AND external_id = $3"
        );
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(system).bind(external_id).fetch_optional(p).await)?;
        Ok(row.map(lead))
    }

    /// Records sales feedback on one lead, checked against the version the caller saw (when
    /// given), and moves the lead between the rollups' accepted/rejected/pending counts.
    pub async fn give_feedback(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: Option<i64>,
        fb: &Feedback,
        by_user: Option<i64>,
    ) -> Result<Lead> {
        let mut done = self
            .give_feedback_many(ws, &[(id, expected, fb.clone())], by_user)
            .await?;
        done.pop().ok_or(StoreError::NotFound)
    }

    /// Feedback on several leads in one transaction: all of it is recorded, or (an unknown
    /// lead, a stale version) none of it.
    pub async fn give_feedback_many(
        &self,
        ws: WorkspaceId,
        items: &[(i64, Option<i64>, Feedback)],
        by_user: Option<i64>,
    ) -> Result<Vec<Lead>> {
        let t = now();
        let [a, b, c] = apply_sql(ROLLUP_BY_ID);
        let update = format!(
            "UPDATE leads SET qualification = $3, disqualification_reason = $4, objection = COALESCE($5, objection), \
             qualified_by = 'keel', feedback_at = $6, feedback_by = $7, updated_at = $6, version = version + 1 \
             WHERE workspace_id = $1 AND id = $2 RETURNING {COLUMNS}"
        );
        let rows = tx!(self, tx => {
            let mut rows = Vec::with_capacity(items.len());
            for (id, expected, fb) in items {
                let current: Option<i64> = sqlx::query_scalar("SELECT version FROM leads WHERE workspace_id = $1 AND id = $2")
                    .bind(ws).bind(id).fetch_optional(&mut *tx).await?;
                let Some(current) = current else { return Err(StoreError::NotFound) };
                if expected.is_some_and(|e| e != current) {
                    return Err(StoreError::Stale { current });
                }
                for sql in [&a, &b, &c] {
                    sqlx::query(sql).bind(ws).bind(id).bind(-1i64).execute(&mut *tx).await?;
                }
                let row = sqlx::query_as::<_, Row>(&update)
                    .bind(ws).bind(id).bind(fb.qualification.as_str()).bind(&fb.reason).bind(&fb.objection)
                    .bind(t).bind(by_user)
                    .fetch_one(&mut *tx).await?;
                for sql in [&a, &b, &c] {
                    sqlx::query(sql).bind(ws).bind(id).bind(1i64).execute(&mut *tx).await?;
                }
                rows.push(row);
            }
            rows
        });
        Ok(rows.into_iter().map(lead).collect())
    }

    /// Upserts a few leads at once (the API): staged and published like a file import, so
    /// the same rules apply. Returns the counts.
    pub async fn upsert_leads(
        &self,
        ws: WorkspaceId,
        leads: &[LeadDraft],
        by_user: Option<i64>,
    ) -> Result<crate::ImportCounts> {
        let system = leads
            .first()
            .map(|l| l.source_system.as_str())
            .unwrap_or("api");
        let import = self
            .begin_lead_import(ws, system, "(API)", "api", by_user)
            .await?;
        let rows: Vec<(i64, &LeadDraft)> = leads
            .iter()
            .enumerate()
            .map(|(i, l)| (i as i64 + 1, l))
            .collect();
        let mut st = crate::LeadStaging::new(ws, import);
        let staged = self.stage_leads(&mut st, &rows).await;
        if let Err(e) = staged {
            let _ = self.fail_lead_import(ws, import, &e.to_string()).await;
            return Err(e);
        }
        self.publish_lead_import(st, 0).await
    }
}
