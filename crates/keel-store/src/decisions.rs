//! Decisions and their evidence links (migration 0030). Each link references its object by
//! (workspace_id, id), so the database refuses one to another workspace's record; a
//! decision recorded in a review only while that review is open. A confirmed "pause" pauses
//! its linked priorities and channels, a confirmed "stop" retires its linked workflows (a new
//! revision, so the SOP's history shows it), and retiring a routine switches its cadence off,
//! all in the transaction that records the decision.

use crate::webhook_queue::emit;
use crate::{now, read, tx, Result, Store, StoreError, WorkspaceId};
use keel_domain::review::{
    Category, Decision, DecisionDraft, DecisionKind, DecisionStatus, Evidence, EvidenceKind, Kind,
};
use keel_domain::workflow::{WorkflowSpec, WorkflowStatus};
use keel_domain::Date;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    what: String,
    kind: String,
    category: Option<String>,
    rationale: Option<String>,
    owner_id: Option<i64>,
    due: Option<i64>,
    status: String,
    decided_on: i64,
    done_on: Option<i64>,
    review_id: Option<i64>,
    checked_by_review_id: Option<i64>,
    version: i64,
}

const COLUMNS: &str = "id, what, kind, category, rationale, owner_id, due, status, decided_on, done_on, review_id, checked_by_review_id, version";

/// The column that holds an evidence link of `kind`.
fn column(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::Metric => "metric_id",
        EvidenceKind::Work => "work_item_id",
        EvidenceKind::Workflow => "workflow_id",
        EvidenceKind::Priority => "priority_id",
        EvidenceKind::Channel => "channel_id",
        EvidenceKind::Objective => "objective_id",
        EvidenceKind::Decision => "ref_decision_id",
    }
}

const EVIDENCE_SQL: &str = "SELECT decision_id, kind,
    COALESCE(metric_id, work_item_id, workflow_id, priority_id, channel_id, objective_id, ref_decision_id)
    FROM decision_evidence WHERE workspace_id = $1 ORDER BY decision_id, position";

/// The message for a "stop" whose workflow was saved by someone else meanwhile.
pub const WORKFLOW_CHANGED: &str =
    "The workflow this decision retires was changed while you decided; nothing was recorded. Check it and record the decision again.";

/// What recording a decision does besides storing it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Acting {
    /// The author confirmed what it pauses and retires (`DecisionDraft::acts`).
    pub confirm: bool,
    /// Switch this review cadence off: the routine is retired.
    pub retire_cadence: Option<Kind>,
    /// Who recorded it, for the retired workflow's revision.
    pub by_user: Option<i64>,
}

/// The message for a decision recorded in a review that closed meanwhile.
pub const REVIEW_CLOSED: &str =
    "This review is closed; record the decision in the next one, or outside a review.";

fn decision(r: Row, evidence: Vec<Evidence>) -> Decision {
    Decision {
        id: r.id,
        what: r.what,
        kind: DecisionKind::parse(&r.kind).unwrap_or(DecisionKind::NoChange),
        category: r.category.and_then(|c| Category::parse(&c).ok()),
        rationale: r.rationale,
        evidence,
        owner_id: r.owner_id,
        due: r.due.map(Date),
        status: DecisionStatus::parse(&r.status).unwrap_or(DecisionStatus::Open),
        decided_on: Date(r.decided_on),
        done_on: r.done_on.map(Date),
        review_id: r.review_id,
        checked_by_review_id: r.checked_by_review_id,
        version: r.version,
    }
}

/// A link to another workspace's record breaks a composite key: say so in words.
fn foreign(e: sqlx::Error) -> StoreError {
    match e.as_database_error() {
        Some(d) if d.is_foreign_key_violation() => StoreError::Conflict(
            "Evidence must be a record of this workspace; one of the links is not.".into(),
        ),
        _ => StoreError::Db(e),
    }
}

impl Store {
    /// Every decision, newest first.
    pub async fn list_decisions(&self, ws: WorkspaceId) -> Result<Vec<Decision>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM decisions WHERE workspace_id = $1 ORDER BY decided_on DESC, id DESC"
        );
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).fetch_all(p).await)?;
        let links: Vec<(i64, String, i64)> =
            read!(self, p => sqlx::query_as(EVIDENCE_SQL).bind(ws).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let ev = links
                    .iter()
                    .filter(|l| l.0 == r.id)
                    .filter_map(|l| Some(Evidence::new(EvidenceKind::parse(&l.1).ok()?, l.2)))
                    .collect();
                decision(r, ev)
            })
            .collect())
    }

    pub async fn find_decision(&self, ws: WorkspaceId, id: i64) -> Result<Option<Decision>> {
        Ok(self
            .list_decisions(ws)
            .await?
            .into_iter()
            .find(|d| d.id == id))
    }

    /// Records a decision, in `review_id` (which must be open) or outside a review. With
    /// `confirm`, it acts in the same transaction: a "pause" pauses its linked priorities
    /// (still planned) and channels (active or testing); a "stop" retires its linked workflows.
    pub async fn create_decision(
        &self,
        ws: WorkspaceId,
        review_id: Option<i64>,
        decided_on: Date,
        d: &DecisionDraft,
        confirm: bool,
    ) -> Result<Decision> {
        let acting = Acting {
            confirm,
            ..Acting::default()
        };
        self.record_decision(ws, review_id, decided_on, d, &acting)
            .await
    }

    /// `create_decision` with everything a decision may do: `acting.retire_cadence` switches
    /// that review cadence off (retiring a routine is a "stop" decision too), and the
    /// revision a retired workflow gets names `acting.by_user`. All or nothing: a workflow
    /// changed meanwhile refuses the whole decision with `Conflict`.
    pub async fn record_decision(
        &self,
        ws: WorkspaceId,
        review_id: Option<i64>,
        decided_on: Date,
        d: &DecisionDraft,
        acting: &Acting,
    ) -> Result<Decision> {
        let t = now();
        let done_on = (d.status == DecisionStatus::Done).then_some(decided_on.0);
        let id = tx!(self, tx => {
            if let Some(r) = review_id {
                let status: Option<String> = sqlx::query_scalar(
                    "SELECT status FROM reviews WHERE workspace_id = $1 AND id = $2")
                    .bind(ws).bind(r).fetch_optional(&mut *tx).await?;
                match status.as_deref() {
                    None => return Err(StoreError::NotFound),
                    Some("open") => {}
                    Some(_) => return Err(StoreError::Conflict(REVIEW_CLOSED.into())),
                }
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO decisions (workspace_id, what, kind, category, rationale, owner_id, due,
                    status, decided_on, done_on, review_id, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id")
                .bind(ws).bind(&d.what).bind(d.kind.as_str()).bind(d.category.map(|c| c.as_str()))
                .bind(&d.rationale).bind(d.owner_id).bind(d.due.map(|x| x.0)).bind(d.status.as_str())
                .bind(decided_on.0).bind(done_on).bind(review_id).bind(t)
                .fetch_one(&mut *tx).await?;
            for (i, e) in d.evidence.iter().enumerate() {
                let sql = format!(
                    "INSERT INTO decision_evidence (workspace_id, decision_id, position, kind, {})
                     VALUES ($1, $2, $3, $4, $5)", column(e.kind));
                sqlx::query(&sql).bind(ws).bind(id).bind(i as i64).bind(e.kind.as_str()).bind(e.id)
                    .execute(&mut *tx).await.map_err(foreign)?;
            }
            if acting.confirm {
                for e in d.pauses() {
                    let sql = match e.kind {
                        EvidenceKind::Priority => "UPDATE priorities SET status = 'paused', version = version + 1, updated_at = $3
                             WHERE workspace_id = $1 AND id = $2 AND status IN ('now', 'next', 'later')",
                        _ => "UPDATE channels SET status = 'paused', version = version + 1, updated_at = $3
                             WHERE workspace_id = $1 AND id = $2 AND status IN ('active', 'testing')",
                    };
                    if e.kind == EvidenceKind::Priority {
                        sqlx::query(crate::priorities::PAUSE_EVENT).bind(ws).bind(e.id)
                            .bind(format!("Paused by the decision \"{}\".", d.what)).bind(t)
                            .execute(&mut *tx).await?;
                    }
                    sqlx::query(sql).bind(ws).bind(e.id).bind(t).execute(&mut *tx).await?;
                }
                for e in d.stops() {
                    let row: Option<(String, i64)> = sqlx::query_as(
                        "SELECT spec, version FROM workflows WHERE workspace_id = $1 AND id = $2 AND status <> 'retired'")
                        .bind(ws).bind(e.id).fetch_optional(&mut *tx).await?;
                    let Some((spec, version)) = row else { continue };
                    let mut spec: WorkflowSpec = serde_json::from_str(&spec).map_err(|err| {
                        StoreError::Config(format!("workflow {} cannot be read: {err}", e.id))
                    })?;
                    spec.status = WorkflowStatus::Retired;
                    let doc = serde_json::to_string(&spec).expect("a workflow spec always serialises");
                    let n = sqlx::query(
                        "UPDATE workflows SET status = 'retired', spec = $3, updated_at = $4, version = version + 1
                         WHERE workspace_id = $1 AND id = $2 AND version = $5")
                        .bind(ws).bind(e.id).bind(&doc).bind(t).bind(version)
                        .execute(&mut *tx).await?.rows_affected();
                    if n == 0 {
                        return Err(StoreError::Conflict(WORKFLOW_CHANGED.into()));
                    }
                    sqlx::query("INSERT INTO workflow_revisions (workspace_id, workflow_id, version, spec, changed_by, changed_at)
                                 VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(ws).bind(e.id).bind(version + 1).bind(&doc).bind(acting.by_user).bind(t)
                        .execute(&mut *tx).await?;
                    emit!(tx, ws, crate::webhook_events::workflow(e.id, &spec, version + 1, "retired", acting.by_user));
                }
            }
            emit!(tx, ws, crate::webhook_events::decision(id, d, review_id, decided_on));
            if let Some(kind) = acting.retire_cadence {
                sqlx::query("UPDATE review_cadences SET active = 0, version = version + 1, updated_at = $3
                             WHERE workspace_id = $1 AND kind = $2 AND active <> 0")
                    .bind(ws).bind(kind.as_str()).bind(t).execute(&mut *tx).await?;
            }
            id
        });
        self.find_decision(ws, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Changes a decision (its evidence set is replaced). Marking it done records `today` as
    /// the day it was done; reopening clears it.
    pub async fn update_decision(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &DecisionDraft,
        today: Date,
    ) -> Result<Decision> {
        let t = now();
        tx!(self, tx => {
            let n = sqlx::query(
                "UPDATE decisions SET what = $3, kind = $4, category = $5, rationale = $6, owner_id = $7,
                    due = $8, status = $9,
                    done_on = CASE WHEN $9 = 'done' THEN COALESCE(done_on, $10) ELSE NULL END,
                    version = version + 1, updated_at = $11
                 WHERE workspace_id = $1 AND id = $2 AND version = $12")
                .bind(ws).bind(id).bind(&d.what).bind(d.kind.as_str()).bind(d.category.map(|c| c.as_str()))
                .bind(&d.rationale).bind(d.owner_id).bind(d.due.map(|x| x.0)).bind(d.status.as_str())
                .bind(today.0).bind(t).bind(expected)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                let current: Option<i64> = sqlx::query_scalar(
                    "SELECT version FROM decisions WHERE workspace_id = $1 AND id = $2")
                    .bind(ws).bind(id).fetch_optional(&mut *tx).await?;
                return Err(match current {
                    Some(current) => StoreError::Stale { current },
                    None => StoreError::NotFound,
                });
            }
            sqlx::query("DELETE FROM decision_evidence WHERE workspace_id = $1 AND decision_id = $2")
                .bind(ws).bind(id).execute(&mut *tx).await?;
            for (i, e) in d.evidence.iter().enumerate() {
                let sql = format!(
                    "INSERT INTO decision_evidence (workspace_id, decision_id, position, kind, {})
                     VALUES ($1, $2, $3, $4, $5)", column(e.kind));
                sqlx::query(&sql).bind(ws).bind(id).bind(i as i64).bind(e.kind.as_str()).bind(e.id)
                    .execute(&mut *tx).await.map_err(foreign)?;
            }
        });
        self.find_decision(ws, id)
            .await?
            .ok_or(StoreError::NotFound)
    }
}
