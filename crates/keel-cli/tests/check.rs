//! Accounts, tokens and `keel check` end to end, on the real binary.

mod common;

use common::TempDb;
use serde_json::Value;

fn findings(json: &str) -> Vec<Value> {
    serde_json::from_str::<Value>(json)
        .expect("keel check --format json prints JSON")
        .as_array()
        .expect("an array of findings")
        .clone()
}

fn with_owner(db: &TempDb) {
    db.keel(&[
        "user",
        "create",
        "--email",
        "ana@acme.com",
        "--name",
        "Ana Lima",
        "--password",
        "correct horse battery",
    ])
    .ok();
    db.keel(&[
        "workspace",
        "create",
        "--slug",
        "acme",
        "--name",
        "Acme Corp",
        "--owner",
        "ana@acme.com",
    ])
    .ok();
}

#[test]
fn a_workspace_whose_functions_have_no_business_owner_fails_the_check() {
    let db = TempDb::new();
    with_owner(&db);

    let json = db.keel(&["check", "--workspace", "acme", "--format", "json"]);
    assert_eq!(json.code, 1, "{json:#?}");
    let all = findings(&json.stdout);
    let no_owner: Vec<&Value> = all
        .iter()
        .filter(|f| f["rule"] == "function.no-business-owner")
        .collect();
    assert_eq!(no_owner.len(), 8, "every default function lacks an owner");
    assert!(no_owner
        .iter()
        .all(|f| f["severity"] == "error" && f["workspace"] == "acme"));

    let text = db.keel(&["check", "--workspace", "acme"]);
    assert_eq!(text.code, 1);
    let line = text
        .stdout
        .lines()
        .find(|l| l.contains("function.no-business-owner"))
        .expect("a line for the rule");
    assert!(line.trim_start().starts_with("error"), "{line}");
    assert!(
        line.contains("→ Name one internal person as business owner."),
        "{line}"
    );
}

#[test]
fn the_demo_has_warnings_but_no_errors_so_the_check_passes() {
    let db = TempDb::new();
    db.keel(&["demo", "--no-serve"]).ok();
    let run = db.keel(&["check", "--format", "json"]);
    let all = findings(&run.stdout);
    let has_error = all.iter().any(|f| f["severity"] == "error");
    assert_eq!(run.code, if has_error { 1 } else { 0 }, "{run:#?}");

    // What the demo leaves in on purpose: people over capacity, customer marketing without
    // anyone doing it, a story blocked for a week, a vague objective, an ebook that brings
    // poor-fit leads, organic leads without a campaign, display ads with spend and no leads,
    // leads waiting for feedback, a newsletter feature waiting for the blocked story, and
    // SOPs due a review (a partner joined one, the same legal blocker came back three times in
    // another, whose review date is ten days away), a content function that counts only
    // activity, a brand metric nobody owns or sources, and the speed objective's KPI stuck far
    // from its target, the buyer layer of the strategy stack past its quarterly review and
    // primary personas with empty cells in the message map, a decision past its due date,
    // metrics no decision of the last two quarters referred to (candidates to retire), and
    // nothing worse. Whether a review cadence is overdue depends on the weekday and month the
    // demo is made on, so that warning may or may not be there.
    let mut rules: Vec<&str> = all.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    rules.sort();
    rules.dedup();
    rules.retain(|r| *r != "review.cadence-overdue");
    assert_eq!(
        rules,
        [
            "decision.past-due",
            "function.no-execution-owner",
            "function.only-activity-metrics",
            "leads.completeness-below-bar",
            "leads.feedback-pending",
            "leads.poor-fit-pair",
            "leads.spend-without-leads",
            "metric.no-decision",
            "metric.no-owner-or-source",
            "objective.kpi-off-track",
            "objective.not-smart",
            "person.over-capacity",
            "strategy.layer-review-overdue",
            "strategy.message-map-gaps",
            "work.blocked-too-long",
            "work.waits-on-blocked",
            "workflow.partner-added",
            "workflow.recurring-blocker",
            "workflow.review-due-soon"
        ]
    );
    assert!(!has_error);
}

#[test]
fn checking_every_workspace_fails_when_one_of_them_has_errors() {
    let db = TempDb::new();
    db.keel(&["demo", "--no-serve"]).ok();
    with_owner(&db);
    let run = db.keel(&["check"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run
        .stdout
        .contains("northwind-demo (Northwind Analytics (demo)): 0 errors,"));
    assert!(run
        .stdout
        .contains("acme (Acme Corp): 8 errors, 8 warnings"));
}

#[test]
fn a_token_is_printed_once_listed_without_its_secret_and_revoked() {
    let db = TempDb::new();
    with_owner(&db);

    let created = db
        .keel(&[
            "token",
            "create",
            "--workspace",
            "acme",
            "--email",
            "ana@acme.com",
            "--name",
            "CRM sync",
        ])
        .ok();
    let secret = created
        .stdout
        .lines()
        .find(|l| l.starts_with("keel_"))
        .expect("the token on a line of its own")
        .to_string();
    assert_eq!(secret.len(), "keel_".len() + 64);

    let listed = db.keel(&["token", "list", "--workspace", "acme"]).ok();
    assert!(listed.stdout.contains("CRM sync"));
    assert!(listed.stdout.contains("never used"));
    assert!(!listed.stdout.contains(&secret));

    let id = listed.stdout.split_whitespace().next().unwrap().to_string();
    db.keel(&["token", "revoke", "--workspace", "acme", "--id", &id])
        .ok();
    let listed = db.keel(&["token", "list", "--workspace", "acme"]).ok();
    assert!(listed.stdout.contains("revoked"), "{listed:#?}");
    db.keel(&["token", "revoke", "--workspace", "acme", "--id", &id])
        .one_line_failure();
}

#[test]
fn a_token_never_has_more_rights_than_its_member() {
    let db = TempDb::new();
    with_owner(&db);
    db.keel(&[
        "user",
        "create",
        "--email",
        "sales@acme.com",
        "--name",
        "Sal",
        "--password",
        "another long password",
    ])
    .ok();
    db.keel(&[
        "user",
        "add",
        "--email",
        "sales@acme.com",
        "--workspace",
        "acme",
        "--role",
        "viewer",
    ])
    .ok();
    let refused = db.keel(&[
        "token",
        "create",
        "--workspace",
        "acme",
        "--email",
        "sales@acme.com",
    ]);
    refused.one_line_failure();
    assert!(refused.stderr.contains("--role viewer"), "{refused:#?}");
    db.keel(&[
        "token",
        "create",
        "--workspace",
        "acme",
        "--email",
        "sales@acme.com",
        "--role",
        "viewer",
    ])
    .ok();
}

#[test]
fn a_generated_password_is_printed_once_and_can_be_reset() {
    let db = TempDb::new();
    let created = db
        .keel(&["user", "create", "--email", "bo@acme.com", "--name", "Bo"])
        .ok();
    assert!(
        created.stdout.contains("Password (shown only this once"),
        "{created:#?}"
    );
    let reset = db
        .keel(&["user", "reset-password", "--email", "bo@acme.com"])
        .ok();
    assert!(reset.stdout.contains("signed out everywhere"));
    let listed = db.keel(&["user", "list"]).ok();
    assert!(listed.stdout.contains("bo@acme.com"));
    assert!(listed.stdout.contains("no workspace"));
}
