//! Work items, their checklists, approvals, history events and dependencies.

use crate::webhook_queue::emit;
use crate::WorkspaceId;
use crate::{now, read, tx, write, Result, Store, StoreError};
use keel_domain::health::review_rules::BlockEvent;
use keel_domain::work::transition::Outcome;
use keel_domain::work::{GateState, Waiting, WorkDraft, WorkItem, WorkStatus};
use keel_domain::Date;

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: i64,
    workflow_id: i64,
    title: String,
    execution_owner_id: Option<i64>,
    contributor_ids: String,
    stage: i64,
    status: String,
    estimated_hours: f64,
    start_date: Option<i64>,
    planned_launch: Option<i64>,
    actual_launch: Option<i64>,
    first_review: Option<i64>,
    blocked_reason: Option<String>,
    blocked_since: Option<i64>,
    blocked_seconds: i64,
    revisions: i64,
    created_at: i64,
    launched_at: Option<i64>,
    version: i64,
}

pub(crate) const COLUMNS: &str = "id, workflow_id, title, execution_owner_id, contributor_ids, stage, status, estimated_hours, start_date, \
    planned_launch, actual_launch, first_review, blocked_reason, blocked_since, blocked_seconds, revisions, created_at, launched_at, version";

pub(crate) fn item(r: Row) -> WorkItem {
    WorkItem {
        id: r.id,
        workflow_id: r.workflow_id,
        title: r.title,
        execution_owner_id: r.execution_owner_id,
        contributor_ids: ids(&r.contributor_ids),
        stage: r.stage.max(0) as usize,
        status: WorkStatus::parse(&r.status).unwrap_or(WorkStatus::Intake),
        estimated_hours: r.estimated_hours,
        start_date: r.start_date.map(Date),
        planned_launch: r.planned_launch.map(Date),
        actual_launch: r.actual_launch.map(Date),
        first_review: r.first_review.map(Date),
        blocked_reason: r.blocked_reason,
        blocked_since: r.blocked_since,
        blocked_seconds: r.blocked_seconds,
        revisions: r.revisions,
        created_at: r.created_at,
        launched_at: r.launched_at,
        version: r.version,
    }
}

/// Contributors are kept as ",3,7," so "involves person 7" is one LIKE.
pub(crate) fn ids(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|x| x.trim().parse().ok()).collect()
}

pub(crate) fn id_list(v: &[i64]) -> String {
    if v.is_empty() {
        String::new()
    } else {
        format!(
            ",{},",
            v.iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",")
        )
    }
}

/// Which work items to list. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct WorkFilter {
    pub workflow_id: Option<i64>,
    pub owner_id: Option<i64>,
    /// Owner or contributor.
    pub involving: Option<i64>,
    pub status: Option<WorkStatus>,
    pub open_only: bool,
    pub blocked_only: bool,
    /// Open items whose planned launch is before this date.
    pub overdue_before: Option<Date>,
    /// Leave out done and cancelled work (the work list's default).
    pub hide_closed: bool,
    pub sort: WorkSort,
    /// Sort the other way (largest, latest or Z first).
    pub descending: bool,
    pub limit: i64,
    pub offset: i64,
}

/// The order of a work list. Every order ends with the newest first, so pages are stable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum WorkSort {
    #[default]
    Newest,
    Title,
    Workflow,
    Status,
    Owner,
    /// The launch day: the actual one once launched, else the planned one; none last.
    Launch,
}

impl WorkSort {
    pub const ALL: [WorkSort; 6] = [
        WorkSort::Newest,
        WorkSort::Title,
        WorkSort::Workflow,
        WorkSort::Status,
        WorkSort::Owner,
        WorkSort::Launch,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkSort::Newest => "newest",
            WorkSort::Title => "title",
            WorkSort::Workflow => "workflow",
            WorkSort::Status => "status",
            WorkSort::Owner => "owner",
            WorkSort::Launch => "launch",
        }
    }

    pub fn parse(s: &str) -> Option<WorkSort> {
        WorkSort::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// The ORDER BY clause: fixed text per order (nothing typed reaches it). Missing values
    /// sort last both ways and on both backends (`x IS NULL` first, then the value).
    fn order_by(self, descending: bool) -> String {
        let dir = if descending { "DESC" } else { "ASC" };
        let by = |x: &str| format!("({x}) IS NULL, {x} {dir}, id DESC");
        match self {
            WorkSort::Newest if descending => "id ASC".into(),
            WorkSort::Newest => "id DESC".into(),
            WorkSort::Title => format!("lower(title) {dir}, id DESC"),
            WorkSort::Workflow => by("(SELECT lower(w.name) FROM workflows w WHERE w.workspace_id = work_items.workspace_id AND w.id = work_items.workflow_id)"),
            WorkSort::Status => format!("CASE status WHEN 'intake' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'awaiting_approval' THEN 2 WHEN 'blocked' THEN 3 WHEN 'launched' THEN 4 WHEN 'done' THEN 5 ELSE 6 END {dir}, id DESC"),
            WorkSort::Owner => by("(SELECT lower(p.name) FROM people p WHERE p.workspace_id = work_items.workspace_id AND p.id = work_items.execution_owner_id)"),
            WorkSort::Launch => by("COALESCE(actual_launch, planned_launch)"),
        }
    }
}

const FILTER: &str = "workspace_id = $1 AND ($2 IS NULL OR workflow_id = $2) AND ($3 IS NULL OR execution_owner_id = $3)
    AND ($4 IS NULL OR execution_owner_id = $4 OR contributor_ids LIKE '%,' || $4 || ',%')
    AND ($5 IS NULL OR status = $5)
    AND ($6 = 0 OR status IN ('intake', 'in_progress', 'blocked', 'awaiting_approval'))
    AND ($7 = 0 OR blocked_since IS NOT NULL)
    AND ($8 IS NULL OR (planned_launch < $8 AND status IN ('intake', 'in_progress', 'blocked', 'awaiting_approval')))
    AND ($9 = 0 OR status NOT IN ('done', 'cancelled'))";

/// A line of an item's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkEvent {
    pub at: i64,
    pub kind: String,
    pub from_stage: Option<i64>,
    pub to_stage: Option<i64>,
    pub note: Option<String>,
    pub by: Option<String>,
}

impl Store {
    pub async fn list_work(&self, ws: WorkspaceId, f: &WorkFilter) -> Result<Vec<WorkItem>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM work_items WHERE {FILTER} ORDER BY {} LIMIT $10 OFFSET $11",
            f.sort.order_by(f.descending)
        );
        let limit = if f.limit <= 0 { 1_000_000 } else { f.limit };
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(f.workflow_id).bind(f.owner_id).bind(f.involving).bind(f.status.map(|s| s.as_str()))
            .bind(f.open_only as i64).bind(f.blocked_only as i64).bind(f.overdue_before.map(|d| d.0))
            .bind(f.hide_closed as i64)
            .bind(limit).bind(f.offset.max(0))
            .fetch_all(p).await)?;
        Ok(rows.into_iter().map(item).collect())
    }

    pub async fn count_work(&self, ws: WorkspaceId, f: &WorkFilter) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM work_items WHERE {FILTER}");
        Ok(read!(self, p => sqlx::query_scalar::<_, i64>(&sql)
            .bind(ws).bind(f.workflow_id).bind(f.owner_id).bind(f.involving).bind(f.status.map(|s| s.as_str()))
            .bind(f.open_only as i64).bind(f.blocked_only as i64).bind(f.overdue_before.map(|d| d.0))
            .bind(f.hide_closed as i64)
            .fetch_one(p).await)?)
    }

    /// One workflow's items, newest first. Sorted here rather than in SQL: an ORDER BY id
    /// would tempt the planner to walk the whole workspace in id order instead of using the
    /// workflow's own index.
    pub async fn work_of_workflow(
        &self,
        ws: WorkspaceId,
        workflow_id: i64,
    ) -> Result<Vec<WorkItem>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM work_items WHERE workspace_id = $1 AND workflow_id = $2"
        );
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(workflow_id).fetch_all(p).await)?;
        let mut items: Vec<WorkItem> = rows.into_iter().map(item).collect();
        items.sort_by_key(|w| std::cmp::Reverse(w.id));
        Ok(items)
    }

    /// Items created since `since` (unix seconds), newest first.
    pub async fn recent_work(&self, ws: WorkspaceId, since: i64) -> Result<Vec<WorkItem>> {
        let sql = format!("SELECT {COLUMNS} FROM work_items WHERE workspace_id = $1 AND created_at >= $2 ORDER BY id DESC");
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(since).fetch_all(p).await)?;
        Ok(rows.into_iter().map(item).collect())
    }

    /// Items created or launched since `since` (unix seconds): what keel's computed metrics
    /// count (`metric::computed::fill`).
    pub async fn work_since(&self, ws: WorkspaceId, since: i64) -> Result<Vec<WorkItem>> {
        let sql = format!("SELECT {COLUMNS} FROM work_items WHERE workspace_id = $1 AND (created_at >= $2 OR launched_at >= $2)");
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(since).fetch_all(p).await)?;
        Ok(rows.into_iter().map(item).collect())
    }

    pub async fn find_work(&self, ws: WorkspaceId, id: i64) -> Result<Option<WorkItem>> {
        let sql = format!("SELECT {COLUMNS} FROM work_items WHERE workspace_id = $1 AND id = $2");
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(item))
    }

    /// New work at the first stage, as intake (for tests and fixtures whose first stage needs
    /// no approval; the app starts work with `start_work` and the domain's first status).
    pub async fn create_work(
        &self,
        ws: WorkspaceId,
        workflow_id: i64,
        d: &WorkDraft,
        by_user: Option<i64>,
    ) -> Result<WorkItem> {
        self.start_work(ws, workflow_id, d, WorkStatus::Intake, by_user)
            .await
    }

    /// New work at the first stage in `status` (`transition::first_status` of its workflow).
    pub async fn start_work(
        &self,
        ws: WorkspaceId,
        workflow_id: i64,
        d: &WorkDraft,
        status: WorkStatus,
        by_user: Option<i64>,
    ) -> Result<WorkItem> {
        self.start_work_described(ws, workflow_id, d, status, "", by_user)
            .await
    }

    /// `start_work` with a description (Markdown, parsed by `work::notes::description`).
    pub async fn start_work_described(
        &self,
        ws: WorkspaceId,
        workflow_id: i64,
        d: &WorkDraft,
        status: WorkStatus,
        description: &str,
        by_user: Option<i64>,
    ) -> Result<WorkItem> {
        let t = now();
        let sql = format!(
            "INSERT INTO work_items (workspace_id, workflow_id, title, execution_owner_id, contributor_ids, stage, status, estimated_hours,
                start_date, planned_launch, first_review, blocked_seconds, revisions, created_at, updated_at, description)
             VALUES ($1, $2, $3, $4, $5, 0, $11, $6, $7, $8, $9, 0, 0, $10, $10, $12) RETURNING {COLUMNS}"
        );
        let row = tx!(self, tx => {
            let row = sqlx::query_as::<_, Row>(&sql)
                .bind(ws).bind(workflow_id).bind(&d.title).bind(d.execution_owner_id).bind(id_list(&d.contributor_ids))
                .bind(d.estimated_hours).bind(d.start_date.map(|x| x.0)).bind(d.planned_launch.map(|x| x.0)).bind(d.first_review.map(|x| x.0)).bind(t)
                .bind(status.as_str()).bind(description)
                .fetch_one(&mut *tx).await?;
            sqlx::query("INSERT INTO work_events (workspace_id, item_id, at, kind, to_stage, by_user) VALUES ($1, $2, $3, 'created', 0, $4)")
                .bind(ws).bind(row.id).bind(t).bind(by_user).execute(&mut *tx).await?;
            row
        });
        Ok(item(row))
    }

    pub async fn update_work(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &WorkDraft,
    ) -> Result<WorkItem> {
        self.update_work_described(ws, id, expected, d, None).await
    }

    /// `update_work` that also replaces the description, when one is given, in the same
    /// version step.
    pub async fn update_work_described(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &WorkDraft,
        description: Option<&str>,
    ) -> Result<WorkItem> {
        let sql = format!(
            "UPDATE work_items SET title = $3, execution_owner_id = $4, contributor_ids = $5, estimated_hours = $6, start_date = $7,
                planned_launch = $8, first_review = $9, updated_at = $10, version = version + 1, description = COALESCE($12, description)
             WHERE workspace_id = $1 AND id = $2 AND version = $11 RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(id).bind(&d.title).bind(d.execution_owner_id).bind(id_list(&d.contributor_ids)).bind(d.estimated_hours)
            .bind(d.start_date.map(|x| x.0)).bind(d.planned_launch.map(|x| x.0)).bind(d.first_review.map(|x| x.0)).bind(now()).bind(expected)
            .bind(description)
            .fetch_optional(p).await)?;
        match row {
            Some(r) => Ok(item(r)),
            None => Err(self.missing_or_stale("work_items", ws, id).await),
        }
    }

    pub async fn delete_work(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query("DELETE FROM work_items WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("work_items", ws, id).await);
        }
        Ok(())
    }

    /// Records a move the domain decided (`transition::apply`) if the item is still at
    /// `expected`: the item's next state, its history line, the approval it leaves and the
    /// approvals it withdraws, in one transaction. Of two people moving the same item at once,
    /// one succeeds and the other gets `Stale`, and nothing of the stale move is kept.
    pub async fn record_move(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        o: &Outcome,
        by_user: Option<i64>,
    ) -> Result<WorkItem> {
        let t = now();
        let n = &o.next;
        let sql = format!(
            "UPDATE work_items SET stage = $3, status = $4, actual_launch = $5, blocked_reason = $6, blocked_since = $7, blocked_seconds = $8,
                revisions = $9, launched_at = $10, updated_at = $11, version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $12 RETURNING {COLUMNS}"
        );
        let row = tx!(self, tx => {
            let row = sqlx::query_as::<_, Row>(&sql)
                .bind(ws).bind(id).bind(n.stage as i64).bind(n.status.as_str()).bind(n.actual_launch.map(|d| d.0)).bind(&n.blocked_reason)
                .bind(n.blocked_since).bind(n.blocked_seconds).bind(n.revisions).bind(n.launched_at).bind(t).bind(expected)
                .fetch_optional(&mut *tx).await?;
            if let Some(r) = &row {
                // The history is dated by the move itself, like the block it starts.
                sqlx::query("INSERT INTO work_events (workspace_id, item_id, at, kind, to_stage, note, by_user) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(ws).bind(id).bind(o.at).bind(o.event.as_str()).bind(o.stage as i64).bind(&o.note).bind(by_user)
                    .execute(&mut *tx).await?;
                if let Some(a) = &o.approval {
                    sqlx::query(
                        "INSERT INTO work_approvals (workspace_id, item_id, stage, approved_by, approved_at, override_reason) VALUES ($1, $2, $3, $4, $5, $6)
                         ON CONFLICT (item_id, stage) DO UPDATE SET approved_by = excluded.approved_by, approved_at = excluded.approved_at, override_reason = excluded.override_reason")
                        .bind(ws).bind(id).bind(a.stage as i64).bind(by_user).bind(o.at).bind(&a.override_reason).execute(&mut *tx).await?;
                }
                if let Some(from) = o.clear_approvals_from {
                    sqlx::query("DELETE FROM work_approvals WHERE workspace_id = $1 AND item_id = $2 AND stage >= $3")
                        .bind(ws).bind(id).bind(from as i64).execute(&mut *tx).await?;
                }
                emit!(tx, ws, crate::webhook_events::work_move(id, r.version, o, by_user));
            }
            row
        });
        match row {
            Some(r) => Ok(item(r)),
            None => Err(self.missing_or_stale("work_items", ws, id).await),
        }
    }

    /// What has been ticked and approved at a stage of an item (of this workspace).
    pub async fn gate_state(
        &self,
        ws: WorkspaceId,
        item_id: i64,
        stage: usize,
    ) -> Result<GateState> {
        let checked: Vec<i64> = read!(self, p => sqlx::query_scalar(
            "SELECT item FROM work_checks WHERE workspace_id = $1 AND item_id = $2 AND stage = $3")
            .bind(ws).bind(item_id).bind(stage as i64).fetch_all(p).await)?;
        let approved: Option<i64> = read!(self, p => sqlx::query_scalar(
            "SELECT stage FROM work_approvals WHERE workspace_id = $1 AND item_id = $2 AND stage = $3")
            .bind(ws).bind(item_id).bind(stage as i64).fetch_optional(p).await)?;
        Ok(GateState {
            checked: checked.into_iter().map(|c| c as usize).collect(),
            approved: approved.is_some(),
            waits_for: self.waits_for(ws, item_id).await?,
        })
    }

    /// The items `item_id` waits for, with their titles and states, whoever may see them (the
    /// caller masks the titles a reader may not see).
    pub async fn waits_for(&self, ws: WorkspaceId, item_id: i64) -> Result<Vec<Waiting>> {
        let rows: Vec<(i64, String, String)> = read!(self, p => sqlx::query_as(
            "SELECT w.id, w.title, w.status FROM work_deps d JOIN work_items w ON w.workspace_id = d.workspace_id AND w.id = d.blocked_by_id
             WHERE d.workspace_id = $1 AND d.item_id = $2 ORDER BY w.id")
            .bind(ws).bind(item_id).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, title, status)| Waiting {
                id,
                title,
                // As `item` reads a stored status.
                status: WorkStatus::parse(&status).unwrap_or(WorkStatus::Intake),
            })
            .collect())
    }

    /// Ticks or unticks a checklist item of an item's stage.
    pub async fn set_check(
        &self,
        ws: WorkspaceId,
        item_id: i64,
        stage: usize,
        index: usize,
        done: bool,
        by_user: Option<i64>,
    ) -> Result<()> {
        self.find_work(ws, item_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        // The composite key (workspace_id, item_id) refuses an item of another workspace.
        if done {
            write!(self, p => sqlx::query(
                "INSERT INTO work_checks (workspace_id, item_id, stage, item, checked_by, checked_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (item_id, stage, item) DO NOTHING")
                .bind(ws).bind(item_id).bind(stage as i64).bind(index as i64).bind(by_user).bind(now()).execute(p).await.map(|_| ()))?;
        } else {
            write!(self, p => sqlx::query("DELETE FROM work_checks WHERE workspace_id = $1 AND item_id = $2 AND stage = $3 AND item = $4")
                .bind(ws).bind(item_id).bind(stage as i64).bind(index as i64).execute(p).await.map(|_| ()))?;
        }
        Ok(())
    }

    pub async fn list_events(&self, ws: WorkspaceId, item_id: i64) -> Result<Vec<WorkEvent>> {
        Ok(read!(self, p => sqlx::query_as::<_, WorkEvent>(
            "SELECT e.at, e.kind, e.from_stage, e.to_stage, e.note, u.name AS by FROM work_events e LEFT JOIN users u ON u.id = e.by_user
             WHERE e.workspace_id = $1 AND e.item_id = $2 ORDER BY e.at, e.id")
            .bind(ws).bind(item_id).fetch_all(p).await)?)
    }

    /// Blocks recorded on the workspace's work since `since`, with the workflow of each item:
    /// what the recurring-blocker trigger counts.
    pub async fn blocks_since(&self, ws: WorkspaceId, since: i64) -> Result<Vec<BlockEvent>> {
        let rows: Vec<(i64, i64, i64, Option<String>)> = read!(self, p => sqlx::query_as(
            "SELECT w.workflow_id, e.item_id, e.at, e.note FROM work_events e
             JOIN work_items w ON w.workspace_id = e.workspace_id AND w.id = e.item_id
             WHERE e.workspace_id = $1 AND e.kind = 'blocked' AND e.at >= $2 ORDER BY e.at, e.id")
            .bind(ws).bind(since).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(workflow_id, item_id, at, note)| BlockEvent {
                workflow_id,
                item_id,
                at,
                reason: note.unwrap_or_default(),
            })
            .collect())
    }

    /// Every (item, blocked_by) pair of the workspace.
    pub async fn list_deps(&self, ws: WorkspaceId) -> Result<Vec<(i64, i64)>> {
        Ok(
            read!(self, p => sqlx::query_as::<_, (i64, i64)>("SELECT item_id, blocked_by_id FROM work_deps WHERE workspace_id = $1")
            .bind(ws).fetch_all(p).await)?,
        )
    }

    pub async fn add_dep(&self, ws: WorkspaceId, item_id: i64, blocked_by: i64) -> Result<()> {
        for id in [item_id, blocked_by] {
            self.find_work(ws, id).await?.ok_or(StoreError::NotFound)?;
        }
        write!(self, p => sqlx::query("INSERT INTO work_deps (workspace_id, item_id, blocked_by_id) VALUES ($1, $2, $3) ON CONFLICT (item_id, blocked_by_id) DO NOTHING")
            .bind(ws).bind(item_id).bind(blocked_by).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn remove_dep(&self, ws: WorkspaceId, item_id: i64, blocked_by: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query("DELETE FROM work_deps WHERE workspace_id = $1 AND item_id = $2 AND blocked_by_id = $3")
            .bind(ws).bind(item_id).bind(blocked_by).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
