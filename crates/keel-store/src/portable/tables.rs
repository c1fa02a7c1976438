//! Which tables a workspace export holds, their columns, and what each column points at.
//!
//! The list is in dependency order: a table comes after every table its rows point at, so an
//! import can insert it in this order and map each reference to the new id.
//! `tests/portable.rs` fails when a table with a `workspace_id` column, or a column of an
//! exported table, is missing here (or in `NOT_EXPORTED` with its reason).

/// What a column holds, and so how it is written to the document and mapped on import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The row's own id: written as the source's id, replaced by a new one on import.
    Id,
    Int,
    Real,
    Text,
    /// The id of a row of the named exported table (or null).
    Ref(&'static str),
    /// A sign-in account (`users.id`), written as the source's id and listed under `users`;
    /// an import links it to the account with the same email on the target, or to nobody.
    User,
    /// A list of people ids stored as ",1,2," text (work contributors), written as `[1, 2]`.
    People,
    /// A workflow spec (JSON text) holding ids of people and functions, written as JSON.
    Spec,
    /// True or false (`BOOLEAN` on PostgreSQL, 0/1 on SQLite), written as a JSON boolean.
    Bool,
    /// A review's topics stored as "kind:id,kind:id" text (`keel_domain::review::Evidence`),
    /// written as `["metric:3", "work:12"]`; an import maps each id once every table is in.
    Topics,
}

use Kind::*;

pub struct Table {
    pub name: &'static str,
    /// Every column but `workspace_id`.
    pub columns: &'static [(&'static str, Kind)],
    /// The order rows are written in: the same data gives the same bytes.
    pub order: &'static str,
}

impl Table {
    pub fn has_id(&self) -> bool {
        self.columns.iter().any(|(_, k)| *k == Id)
    }
}

const STAMPS: [(&str, Kind); 3] = [("version", Int), ("created_at", Int), ("updated_at", Int)];

macro_rules! cols {
    ($($c:expr),* $(,)?) => { &[$($c),*] };
}

pub const TABLES: &[Table] = &[
    Table {
        name: "people",
        columns: cols![
            ("id", Id),
            ("name", Text),
            ("kind", Text),
            ("organization", Text),
            ("title", Text),
            ("email", Text),
            ("weekly_capacity", Real),
            ("user_id", User),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "functions",
        columns: cols![
            ("id", Id),
            ("name", Text),
            ("description", Text),
            ("sourcing", Text),
            ("business_owner_id", Ref("people")),
            ("execution_owner_id", Ref("people")),
            ("weekly_hours", Real),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "workflows",
        columns: cols![
            ("id", Id),
            ("name", Text),
            ("status", Text),
            ("function_id", Ref("functions")),
            ("spec", Spec),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "workflow_revisions",
        columns: cols![
            ("id", Id),
            ("workflow_id", Ref("workflows")),
            ("version", Int),
            ("spec", Spec),
            ("changed_by", User),
            ("changed_at", Int)
        ],
        order: "id",
    },
    Table {
        name: "commitments",
        columns: cols![
            ("id", Id),
            ("person_id", Ref("people")),
            ("label", Text),
            ("kind", Text),
            ("hours", Real),
            ("workflow_id", Ref("workflows")),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "objectives",
        columns: cols![
            ("id", Id),
            ("outcome", Text),
            ("owner_id", Ref("people")),
            ("layer", Text),
            ("metric", Text),
            ("baseline", Real),
            ("target", Real),
            ("deadline", Int),
            ("serves", Text),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "priorities",
        columns: cols![
            ("id", Id),
            ("title", Text),
            ("objective_id", Ref("objectives")),
            ("owner_id", Ref("people")),
            ("rank", Int),
            ("status", Text),
            ("weekly_hours", Real),
            ("paused_id", Ref("priorities")),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "priority_events",
        columns: cols![
            ("id", Id),
            ("priority_id", Ref("priorities")),
            ("from_status", Text),
            ("to_status", Text),
            ("note", Text),
            ("at", Int)
        ],
        order: "id",
    },
    Table {
        name: "channels",
        columns: cols![
            ("id", Id),
            ("name", Text),
            ("owner_id", Ref("people")),
            ("phase", Text),
            ("status", Text),
            ("monthly_budget", Real),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "workspace_settings",
        columns: cols![("channel_focus_limit", Int), ("version", Int)],
        order: "workspace_id",
    },
    Table {
        name: "offers",
        columns: cols![
            ("id", Id),
            ("name", Text),
            ("kind", Text),
            ("audience", Text),
            ("owner_id", Ref("people")),
            ("status", Text),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "offer_channels",
        columns: cols![("offer_id", Ref("offers")), ("channel_id", Ref("channels"))],
        order: "offer_id, channel_id",
    },
    Table {
        name: "metrics",
        columns: cols![
            ("id", Id),
            ("name", Text),
            ("definition", Text),
            ("owner_id", Ref("people")),
            ("source", Text),
            ("unit", Text),
            ("cadence", Text),
            ("direction", Text),
            ("target", Real),
            ("metric_type", Text),
            ("kind", Text),
            ("function_id", Ref("functions")),
            ("objective_id", Ref("objectives")),
            ("channel_id", Ref("channels")),
            ("workflow_id", Ref("workflows")),
            ("definition_changed_at", Int),
            ("computed", Text),
            ("family", Text),
            ("signal", Text),
            ("layer", Text),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "measurements",
        columns: cols![
            ("id", Id),
            ("metric_id", Ref("metrics")),
            ("period", Int),
            ("value", Real),
            ("note", Text),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "work_items",
        columns: cols![
            ("id", Id),
            ("workflow_id", Ref("workflows")),
            ("title", Text),
            ("execution_owner_id", Ref("people")),
            ("contributor_ids", People),
            ("stage", Int),
            ("status", Text),
            ("estimated_hours", Real),
            ("start_date", Int),
            ("planned_launch", Int),
            ("actual_launch", Int),
            ("first_review", Int),
            ("blocked_reason", Text),
            ("blocked_since", Int),
            ("blocked_seconds", Int),
            ("revisions", Int),
            ("launched_at", Int),
            ("description", Text),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "work_links",
        columns: cols![
            ("work_id", Ref("work_items")),
            ("objective_id", Ref("objectives")),
            ("priority_id", Ref("priorities")),
            ("channel_id", Ref("channels")),
            ("offer_id", Ref("offers")),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "work_id",
    },
    Table {
        name: "fit_settings",
        columns: cols![("untraced_limit", Int), ("version", Int)],
        order: "workspace_id",
    },
    Table {
        name: "lead_settings",
        columns: cols![
            ("poor_fit_below", Real),
            ("completeness_bar", Real),
            ("pending_days", Int),
            ("sales_sources", Text),
            ("version", Int)
        ],
        order: "workspace_id",
    },
    Table {
        name: "work_checks",
        columns: cols![
            ("item_id", Ref("work_items")),
            ("stage", Int),
            ("item", Int),
            ("checked_by", User),
            ("checked_at", Int)
        ],
        order: "item_id, stage, item",
    },
    Table {
        name: "work_approvals",
        columns: cols![
            ("item_id", Ref("work_items")),
            ("stage", Int),
            ("approved_by", User),
            ("approved_at", Int),
            ("override_reason", Text)
        ],
        order: "item_id, stage",
    },
    Table {
        name: "work_events",
        columns: cols![
            ("id", Id),
            ("item_id", Ref("work_items")),
            ("at", Int),
            ("kind", Text),
            ("from_stage", Int),
            ("to_stage", Int),
            ("note", Text),
            ("by_user", User)
        ],
        order: "id",
    },
    Table {
        name: "work_web_links",
        columns: cols![
            ("id", Id),
            ("item_id", Ref("work_items")),
            ("title", Text),
            ("url", Text),
            ("added_by", User),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "work_comments",
        columns: cols![
            ("id", Id),
            ("item_id", Ref("work_items")),
            ("author_id", Ref("people")),
            ("by_user", User),
            ("body", Text),
            ("mentions", People),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "work_deps",
        columns: cols![
            ("item_id", Ref("work_items")),
            ("blocked_by_id", Ref("work_items"))
        ],
        order: "item_id, blocked_by_id",
    },
    Table {
        name: "leads",
        columns: cols![
            ("id", Id),
            ("source_system", Text),
            ("external_id", Text),
            ("created_on", Int),
            ("created_month", Int),
            ("source", Text),
            ("source_detail", Text),
            ("campaign", Text),
            ("offer", Text),
            ("channel", Text),
            ("lifecycle_stage", Text),
            ("lead_status", Text),
            ("owner", Text),
            ("qualification", Text),
            ("qualified_by", Text),
            ("disqualification_reason", Text),
            ("objection", Text),
            ("pipeline_cents", Int),
            ("won_cents", Int),
            ("feedback_at", Int),
            ("feedback_by", User),
            ("updated_at", Int),
            ("version", Int)
        ],
        order: "id",
    },
    Table {
        name: "spend",
        columns: cols![
            ("id", Id),
            ("month", Int),
            ("channel", Text),
            ("campaign", Text),
            ("amount_cents", Int),
            ("updated_at", Int),
            ("version", Int)
        ],
        order: "id",
    },
    Table {
        name: "lead_imports",
        columns: cols![
            ("id", Id),
            ("source_system", Text),
            ("file_name", Text),
            ("profile", Text),
            ("status", Text),
            ("rows_staged", Int),
            ("rows_skipped", Int),
            ("inserted", Int),
            ("updated", Int),
            ("unchanged", Int),
            ("error", Text),
            ("created_by", User),
            ("started_at", Int),
            ("finished_at", Int),
            ("upload", Text),
            ("options", Text),
            ("bytes_total", Int),
            ("bytes_read", Int),
            ("rows_read", Int),
            ("rows_bad", Int),
            ("heartbeat_at", Int),
            ("cancel_requested", Int)
        ],
        order: "id",
    },
    Table {
        name: "lead_mappings",
        columns: cols![
            ("id", Id),
            ("name", Text),
            ("source_system", Text),
            ("pairs", Text),
            ("created_by", User),
            ("created_at", Int)
        ],
        order: "id",
    },
    Table {
        name: "review_cadences",
        columns: cols![
            ("id", Id),
            ("kind", Text),
            ("every_n", Int),
            ("weekday", Int),
            ("time_minutes", Int),
            ("facilitator_id", Ref("people")),
            ("active", Int),
            ("since", Int),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "review_cadence_attendees",
        columns: cols![
            ("cadence_id", Ref("review_cadences")),
            ("person_id", Ref("people")),
            ("position", Int)
        ],
        order: "cadence_id, position, person_id",
    },
    Table {
        name: "reviews",
        columns: cols![
            ("id", Id),
            ("kind", Text),
            ("held_on", Int),
            ("status", Text),
            ("facilitator_id", Ref("people")),
            ("topics", Topics),
            ("closed_at", Int),
            ("closed_by", User),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "review_attendees",
        columns: cols![
            ("review_id", Ref("reviews")),
            ("person_id", Ref("people")),
            ("position", Int),
            ("rating", Int)
        ],
        order: "review_id, position, person_id",
    },
    Table {
        name: "review_notes",
        columns: cols![
            ("review_id", Ref("reviews")),
            ("section", Text),
            ("body", Text),
            ("updated_at", Int)
        ],
        order: "review_id, section",
    },
    Table {
        name: "decisions",
        columns: cols![
            ("id", Id),
            ("what", Text),
            ("kind", Text),
            ("category", Text),
            ("rationale", Text),
            ("owner_id", Ref("people")),
            ("due", Int),
            ("status", Text),
            ("decided_on", Int),
            ("done_on", Int),
            ("review_id", Ref("reviews")),
            ("checked_by_review_id", Ref("reviews")),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "decision_evidence",
        columns: cols![
            ("decision_id", Ref("decisions")),
            ("position", Int),
            ("kind", Text),
            ("metric_id", Ref("metrics")),
            ("work_item_id", Ref("work_items")),
            ("workflow_id", Ref("workflows")),
            ("priority_id", Ref("priorities")),
            ("channel_id", Ref("channels")),
            ("objective_id", Ref("objectives")),
            ("ref_decision_id", Ref("decisions"))
        ],
        order: "decision_id, position",
    },
    Table {
        name: "strategy_layers",
        columns: cols![
            ("layer", Text),
            ("owner_id", Ref("people")),
            ("cycle", Text),
            ("last_reviewed", Int),
            ("goals", Text),
            ("revenue_goal", Real),
            ("revenue_from", Int),
            ("revenue_to", Int),
            ("go_to_market", Text),
            ("stages", Text),
            ("version", Int),
            ("updated_at", Int)
        ],
        order: "layer",
    },
    Table {
        name: "segments",
        columns: cols![
            ("id", Id),
            ("name", Text),
            ("needs", Text),
            ("value_drivers", Text),
            ("alternatives", Text),
            ("evidence", Text),
            ("evidence_date", Int),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "personas",
        columns: cols![
            ("id", Id),
            ("segment_id", Ref("segments")),
            ("name", Text),
            ("is_primary", Bool),
            ("goals", Text),
            ("pains", Text),
            ("objections", Text),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "persona_messages",
        columns: cols![
            ("persona_id", Ref("personas")),
            ("stage", Int),
            ("message", Text),
            ("proof_point", Text),
            ("asset", Text),
            ("version", Int),
            ("updated_at", Int)
        ],
        order: "persona_id, stage",
    },
    Table {
        name: "programs",
        columns: cols![
            ("id", Id),
            ("name", Text),
            ("phase", Text),
            ("owner_id", Ref("people")),
            ("goal", Text),
            STAMPS[0],
            STAMPS[1],
            STAMPS[2]
        ],
        order: "id",
    },
    Table {
        name: "program_channels",
        columns: cols![
            ("program_id", Ref("programs")),
            ("channel_id", Ref("channels"))
        ],
        order: "program_id, channel_id",
    },
    Table {
        name: "program_offers",
        columns: cols![("program_id", Ref("programs")), ("offer_id", Ref("offers"))],
        order: "program_id, offer_id",
    },
    Table {
        name: "program_workflows",
        columns: cols![
            ("program_id", Ref("programs")),
            ("workflow_id", Ref("workflows"))
        ],
        order: "program_id, workflow_id",
    },
];

/// Tables with a `workspace_id` that an export leaves out, and why.
pub const NOT_EXPORTED: &[(&str, &str)] = &[
    (
        "memberships",
        "written as `members`, by account email: accounts belong to a server",
    ),
    (
        "invites",
        "a secret for this server; invite people again on the target",
    ),
    (
        "api_tokens",
        "a secret for this server; mint new tokens on the target",
    ),
    (
        "calendar_feeds",
        "a secret link for this server; make new feeds on the target",
    ),
    (
        "lead_rollups",
        "computed from the leads; an import rebuilds it",
    ),
    (
        "audit_log",
        "the server's record of who changed what, kept where the changes were made; an import is recorded in the target's log as the rows it writes",
    ),
    (
        "lead_reasons",
        "computed from the leads; an import rebuilds it",
    ),
    (
        "audit_recent",
        "the audit log's newest entries, left out with the log",
    ),
    (
        "webhook_subscriptions",
        "a signing secret and an address this server sends to; subscribe again on the target",
    ),
    (
        "webhook_deliveries",
        "this server's delivery queue and log",
    ),
    (
        "digest_sends",
        "which weekly digests this server mailed; the target sends its own",
    ),
];

pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// The exported table a review topic's kind ("metric:3") points into.
pub fn topic_table(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "metric" => "metrics",
        "work" => "work_items",
        "workflow" => "workflows",
        "priority" => "priorities",
        "channel" => "channels",
        "objective" => "objectives",
        "decision" => "decisions",
        _ => return None,
    })
}

/// A topic ("metric:3") as its table and id, if it is one.
pub fn topic(s: &str) -> Option<(&'static str, i64)> {
    let (kind, id) = s.split_once(':')?;
    Some((topic_table(kind)?, id.parse().ok()?))
}
