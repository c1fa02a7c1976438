//! The audit log's filter (who, what record, which period) as the page and the API read it,
//! and the words people see for what an entry is about.

use crate::{Date, Invalid, Zone};

/// A filter as typed (query string or API parameters).
#[derive(Debug, Clone, Default)]
pub struct FilterInput {
    /// The account that made the changes (its id).
    pub person: String,
    /// The kind of record: a table name such as `work_items`, or `account`.
    pub record_type: String,
    /// One record of that kind: its id ("12", or "3:2" for a row named by two ids).
    pub record: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub user_id: Option<i64>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub from: Option<Date>,
    /// The last day of the period, included.
    pub to: Option<Date>,
}

fn opt<T>(
    inv: &mut Invalid,
    field: &str,
    raw: &str,
    p: impl Fn(&str) -> Result<T, String>,
) -> Option<T> {
    if raw.trim().is_empty() {
        None
    } else {
        inv.take(field, p(raw.trim()))
    }
}

impl Filter {
    pub fn parse(i: &FilterInput) -> Result<Filter, Invalid> {
        let mut inv = Invalid::new();
        let user_id = opt(&mut inv, "person", &i.person, |s| {
            s.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| "Choose a person from the list.".to_string())
        });
        let record_type = opt(&mut inv, "type", &i.record_type, |s| {
            let ok = s.len() <= 64 && s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            ok.then(|| s.to_string())
                .ok_or_else(|| "Choose a kind of record from the list.".to_string())
        });
        let record_id = opt(&mut inv, "record", &i.record, |s| {
            let ok = s.len() <= 64 && s.split(':').all(|p| p.parse::<i64>().is_ok());
            ok.then(|| s.to_string()).ok_or_else(|| {
                "A record is named by its number, such as 12, as the record's page shows it."
                    .to_string()
            })
        });
        if record_id.is_some() && record_type.is_none() && i.record_type.trim().is_empty() {
            inv.push("type", "Choose the kind of record the number belongs to.");
        }
        let from = opt(&mut inv, "from", &i.from, Date::parse);
        let to = opt(&mut inv, "to", &i.to, Date::parse);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                inv.push("to", "The end of the period is before its start.");
            }
        }
        inv.into_result(|| Filter {
            user_id,
            record_type,
            record_id,
            from,
            to,
        })
    }

    /// The period as moments on the workspace's calendar: from the first moment of `from`
    /// up to (not including) the first moment of the day after `to`.
    pub fn moments(&self, zone: &Zone) -> (Option<i64>, Option<i64>) {
        (
            self.from.map(|d| zone.start_of(d)),
            self.to.map(|d| zone.start_of(d.add_days(1))),
        )
    }
}

/// The kinds of record the audit log names, with what people call them (the filter's list).
pub const KINDS: &[(&str, &str)] = &[
    ("account", "Account"),
    ("workspaces", "Workspace"),
    ("memberships", "Membership"),
    ("invites", "Invitation"),
    ("api_tokens", "API token"),
    ("calendar_feeds", "Calendar feed"),
    ("people", "Person"),
    ("functions", "Function"),
    ("workflows", "Workflow"),
    ("workflow_revisions", "Workflow version"),
    ("work_items", "Work item"),
    ("work_checks", "Checklist tick"),
    ("work_approvals", "Approval"),
    ("work_events", "Work history line"),
    ("work_deps", "Dependency"),
    ("commitments", "Commitment"),
    ("objectives", "Objective"),
    ("priorities", "Priority"),
    ("channels", "Channel"),
    ("workspace_settings", "Workspace setting"),
    ("offers", "Offer"),
    ("offer_channels", "Offer channel"),
    ("metrics", "Metric"),
    ("measurements", "Metric value"),
    ("leads", "Lead"),
    ("lead_imports", "Lead import"),
    ("spend", "Spend"),
    ("review_cadences", "Review cadence"),
    ("review_cadence_attendees", "Cadence attendee"),
    ("reviews", "Review"),
    ("review_attendees", "Review attendee"),
    ("review_notes", "Review note"),
    ("decisions", "Decision"),
    ("decision_evidence", "Decision evidence"),
    ("strategy_layers", "Strategy layer"),
    ("segments", "Segment"),
    ("personas", "Persona"),
    ("persona_messages", "Message"),
    ("programs", "Program"),
    ("program_channels", "Program channel"),
    ("program_offers", "Program offer"),
    ("program_workflows", "Program workflow"),
];

/// What a kind of record is called ("work_items" → "Work item"); a kind keel has no word for
/// is shown as its table name with spaces.
pub fn type_label(t: &str) -> String {
    if let Some((_, label)) = KINDS.iter().find(|(k, _)| *k == t) {
        return label.to_string();
    }
    let s = t.replace('_', " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// What an action is called: "insert" → "Created".
pub fn action_label(a: &str) -> &'static str {
    match a {
        "insert" => "Created",
        "update" => "Changed",
        "delete" => "Removed",
        "sign_in" => "Signed in",
        "sign_in_failed" => "Failed sign-in",
        "password_reset_requested" => "Asked for a password reset link",
        "password_reset" => "Set a new password by link",
        _ => "Changed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(person: &str, t: &str, record: &str, from: &str, to: &str) -> FilterInput {
        FilterInput {
            person: person.into(),
            record_type: t.into(),
            record: record.into(),
            from: from.into(),
            to: to.into(),
        }
    }

    #[test]
    fn a_filter_reads_who_what_and_when() {
        let f = Filter::parse(&input("3", "work_items", "12", "2026-11-01", "2026-11-30")).unwrap();
        assert_eq!(f.user_id, Some(3));
        assert_eq!(f.record_type.as_deref(), Some("work_items"));
        assert_eq!(f.record_id.as_deref(), Some("12"));
        let (from, until) = f.moments(&Zone::utc());
        assert_eq!(until.unwrap() - from.unwrap(), 30 * 86_400);
        assert_eq!(
            Filter::parse(&FilterInput::default()).unwrap(),
            Filter::default()
        );
        assert!(Filter::parse(&input("", "work_checks", "3:2:1", "", "")).is_ok());
    }

    #[test]
    fn every_mistake_is_named_in_words() {
        let e =
            Filter::parse(&input("ana", "Work Items", "x'1", "soon", "2026-13-01")).unwrap_err();
        for f in ["person", "type", "record", "from", "to"] {
            assert!(e.message_for(f).is_some(), "{f}: {e:?}");
        }
        let e = Filter::parse(&input("", "", "12", "2026-11-30", "2026-11-01")).unwrap_err();
        assert_eq!(
            e.message_for("type"),
            Some("Choose the kind of record the number belongs to.")
        );
        assert_eq!(
            e.message_for("to"),
            Some("The end of the period is before its start.")
        );
    }

    #[test]
    fn record_kinds_have_names() {
        assert_eq!(type_label("work_items"), "Work item");
        assert_eq!(type_label("webhook_deliveries"), "Webhook deliveries");
        assert_eq!(action_label("sign_in_failed"), "Failed sign-in");
    }
}
