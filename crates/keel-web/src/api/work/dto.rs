//! The wire types of a work item: what the API answers, the bodies it reads, the list's
//! query string and the two-id path.

use crate::api::workflows::date_shapes;
use crate::api::Paging;
use crate::error::ApiError;
use axum::extract::{FromRequestParts, Query};
use axum::http::{request::Parts, StatusCode};
use keel_domain::work::{WorkInput, WorkItem, WorkStatus};
use keel_domain::workflow::Workflow;
use keel_domain::{Date, Invalid};
use keel_store::WorkSort;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// A work item: one campaign, article, test or page update moving through a workflow.
#[derive(Serialize, ToSchema)]
pub struct WorkDto {
    pub id: i64,
    /// Increases with every change and move; send it back in If-Match.
    pub version: i64,
    pub workflow_id: i64,
    pub title: String,
    pub execution_owner_id: Option<i64>,
    pub contributor_ids: Vec<i64>,
    /// Index of the current stage in the workflow's stages, from 0.
    pub stage: i64,
    pub stage_name: Option<String>,
    /// intake, in_progress, blocked, awaiting_approval (at a stage that needs its decision owner's
    /// approval, not given yet), launched, done or cancelled.
    pub status: String,
    pub estimated_hours: f64,
    /// YYYY-MM-DD.
    pub start_date: Option<String>,
    /// YYYY-MM-DD.
    pub planned_launch: Option<String>,
    /// YYYY-MM-DD, set when the work launched.
    pub actual_launch: Option<String>,
    /// YYYY-MM-DD.
    pub first_review: Option<String>,
    pub blocked_reason: Option<String>,
    /// RFC 3339, while the item is blocked.
    pub blocked_since: Option<String>,
    /// Times the work was sent back to an earlier stage.
    pub revisions: i64,
    /// RFC 3339.
    pub created_at: String,
    /// Markdown; shown on the item's page rendered safely (raw HTML as text, only http, https
    /// and mailto links). In the answers about one item, not in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl WorkDto {
    pub(super) fn new(i: WorkItem, wf: Option<&Workflow>) -> WorkDto {
        WorkDto {
            id: i.id,
            version: i.version,
            workflow_id: i.workflow_id,
            stage_name: wf
                .and_then(|w| w.spec.stages.get(i.stage))
                .map(|s| s.name.clone()),
            stage: i.stage as i64,
            status: i.status.as_str().into(),
            title: i.title,
            execution_owner_id: i.execution_owner_id,
            contributor_ids: i.contributor_ids,
            estimated_hours: i.estimated_hours,
            start_date: date(i.start_date),
            planned_launch: date(i.planned_launch),
            actual_launch: date(i.actual_launch),
            first_review: date(i.first_review),
            blocked_reason: i.blocked_reason,
            blocked_since: i.blocked_since.map(crate::time_fmt::rfc3339),
            revisions: i.revisions,
            created_at: crate::time_fmt::rfc3339(i.created_at),
            description: None,
        }
    }

    pub(super) fn with_description(mut self, d: String) -> WorkDto {
        self.description = Some(d);
        self
    }
}

#[derive(Serialize, ToSchema)]
pub struct WorkList {
    /// Newest first.
    pub work: Vec<WorkDto>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<i64>,
}

/// Filters and paging of the work list; filters combine.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WorkQuery {
    /// Only items of this workflow.
    pub workflow_id: Option<i64>,
    /// Only items this person executes.
    pub owner_id: Option<i64>,
    /// Only items with this status.
    #[param(pattern = "^(intake|in_progress|blocked|awaiting_approval|launched|done|cancelled)$")]
    pub status: Option<String>,
    /// Only items blocked now.
    pub blocked: Option<bool>,
    /// Only open items whose planned launch has passed.
    pub overdue: Option<bool>,
    /// The column to sort by, as the work list page sorts: newest (the default), title,
    /// workflow, status (intake to cancelled), owner (the execution owner's name) or launch
    /// (the actual launch day once launched, else the planned one). Missing values sort last;
    /// equal values newest first.
    #[param(pattern = "^(newest|title|workflow|status|owner|launch)$")]
    pub sort: Option<String>,
    /// asc (the default: A to Z, earliest first; for newest, newest first) or desc, the other way.
    #[param(pattern = "^(asc|desc)$")]
    pub dir: Option<String>,
    /// How many records to return (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// How many to skip (default 0).
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

fn bad_query(m: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", m)
}

/// The work list's query string; a bad one gets the envelope.
pub struct ApiWorkQuery(
    pub(super) WorkQuery,
    pub(super) Option<WorkStatus>,
    pub(super) WorkSort,
    pub(super) bool,
);

impl<S: Send + Sync> FromRequestParts<S> for ApiWorkQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(q) = Query::<WorkQuery>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                bad_query(format!(
                    "The query string is not understood: {}",
                    e.body_text()
                ))
            })?;
        let page = Paging {
            limit: q.limit,
            offset: q.offset,
        };
        if !(1..=500).contains(&page.limit()) || page.offset() < 0 {
            return Err(bad_query("limit is 1 to 500 and offset 0 or more."));
        }
        let status = match q.status.as_deref() {
            None => None,
            Some(s) => Some(WorkStatus::parse(s).map_err(bad_query)?),
        };
        let sort = match q.sort.as_deref() {
            None => WorkSort::default(),
            Some(s) => WorkSort::parse(s).ok_or_else(|| {
                bad_query("sort is one of newest, title, workflow, status, owner or launch.")
            })?,
        };
        let descending = match q.dir.as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(bad_query("dir is asc or desc.")),
        };
        Ok(ApiWorkQuery(q, status, sort, descending))
    }
}

/// What to store about a work item.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkBody {
    #[schema(min_length = 1, max_length = 160, example = "Spring webinar campaign")]
    pub title: String,
    /// The workflow's execution owner when not said.
    #[serde(default)]
    pub execution_owner_id: Option<i64>,
    #[serde(default)]
    pub contributor_ids: Vec<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 500)]
    pub estimated_hours: f64,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(format = Date, example = "2026-03-02")]
    pub start_date: Option<String>,
    /// YYYY-MM-DD, not before the start.
    #[serde(default)]
    #[schema(format = Date, example = "2026-03-20")]
    pub planned_launch: Option<String>,
    /// YYYY-MM-DD, not before the launch; two weeks after the planned launch when not said.
    #[serde(default)]
    #[schema(format = Date, example = "2026-04-03")]
    pub first_review: Option<String>,
    /// Markdown, up to 20,000 characters; left out, the description stays as it is.
    #[serde(default)]
    #[schema(
        max_length = 20000,
        example = "**Goal:** 40 demo requests from the webinar."
    )]
    pub description: Option<String>,
}

/// A new work item in a workflow.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorkBody {
    pub workflow_id: i64,
    #[schema(min_length = 1, max_length = 160, example = "Spring webinar campaign")]
    pub title: String,
    /// The workflow's execution owner when not said.
    #[serde(default)]
    pub execution_owner_id: Option<i64>,
    #[serde(default)]
    pub contributor_ids: Vec<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 500)]
    pub estimated_hours: f64,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(format = Date, example = "2026-03-02")]
    pub start_date: Option<String>,
    /// YYYY-MM-DD, not before the start.
    #[serde(default)]
    #[schema(format = Date, example = "2026-03-20")]
    pub planned_launch: Option<String>,
    /// YYYY-MM-DD, not before the launch; two weeks after the planned launch when not said.
    #[serde(default)]
    #[schema(format = Date, example = "2026-04-03")]
    pub first_review: Option<String>,
    /// Markdown, up to 20,000 characters.
    #[serde(default)]
    #[schema(
        max_length = 20000,
        example = "**Goal:** 40 demo requests from the webinar."
    )]
    pub description: Option<String>,
}

fn work_input(
    title: &str,
    owner: Option<i64>,
    contributors: &[i64],
    hours: f64,
    dates: [&Option<String>; 3],
) -> WorkInput {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    WorkInput {
        title: title.into(),
        execution_owner_id: owner.map(|o| o.to_string()).unwrap_or_default(),
        contributor_ids: contributors.iter().map(|c| c.to_string()).collect(),
        estimated_hours: hours.to_string(),
        start_date: opt(dates[0]),
        planned_launch: opt(dates[1]),
        first_review: opt(dates[2]),
    }
}

fn work_dates(dates: [&Option<String>; 3]) -> Invalid {
    date_shapes(&[
        ("start_date", dates[0]),
        ("planned_launch", dates[1]),
        ("first_review", dates[2]),
    ])
}

/// The body's description parsed, or the reason it cannot be kept (named `description`).
fn described(d: &Option<String>, wire: &mut Invalid) -> Option<String> {
    let d = d.as_deref()?;
    match keel_domain::work::notes::description(d) {
        Ok(v) => Some(v),
        Err(m) => {
            wire.push("description", m);
            None
        }
    }
}

impl WorkBody {
    /// The description to store, if the body has one; a bad one is added to `wire`.
    pub(super) fn description(&self, wire: &mut Invalid) -> Option<String> {
        described(&self.description, wire)
    }

    pub(super) fn input(&self) -> WorkInput {
        work_input(
            &self.title,
            self.execution_owner_id,
            &self.contributor_ids,
            self.estimated_hours,
            [&self.start_date, &self.planned_launch, &self.first_review],
        )
    }

    pub(super) fn date_shapes(&self) -> Invalid {
        work_dates([&self.start_date, &self.planned_launch, &self.first_review])
    }
}

impl NewWorkBody {
    /// The description to store, if the body has one; a bad one is added to `wire`.
    pub(super) fn description(&self, wire: &mut Invalid) -> Option<String> {
        described(&self.description, wire)
    }

    pub(super) fn input(&self) -> WorkInput {
        work_input(
            &self.title,
            self.execution_owner_id,
            &self.contributor_ids,
            self.estimated_hours,
            [&self.start_date, &self.planned_launch, &self.first_review],
        )
    }

    pub(super) fn date_shapes(&self) -> Invalid {
        work_dates([&self.start_date, &self.planned_launch, &self.first_review])
    }
}

pub use crate::api::ApiPath2;
