//! The lead pages as people use them: sales works the feedback queue, everyone reads lead
//! quality, members record spend; a partner sees none of it; hostile text stays text.

mod common;

use common::TestApp;
use keel_domain::Role;

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn setup() -> (TestApp, keel_store::Workspace, i64) {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@a.test", "Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let lead = app
        .lead(
            &ws,
            "1001",
            "<script>alert(1)</script>",
            "=HYPERLINK(\"x\")",
        )
        .await;
    app.lead(&ws, "1002", "Referrals", "Demo").await;
    (app, ws, lead)
}

#[tokio::test]
async fn a_viewer_rejects_a_lead_from_the_queue_and_lead_quality_shows_why() {
    let (app, ws, lead) = setup().await;
    app.member(&ws, "sales@a.test", Role::Viewer).await;
    let b = app.sign_in("sales@a.test").await;
    let (s, queue) = b.text("/w/alpha/leads/queue").await;
    assert_eq!(s, 200);
    assert!(
        queue.contains("2 waiting") && queue.contains("data-queue"),
        "{queue}"
    );
    assert!(
        queue.contains("alert(1)") && !queue.contains("<script>alert"),
        "script payloads show as text"
    );
    let path = format!("/w/alpha/leads/{lead}/feedback");
    let no_reason = b
        .post_form(&path, &[("qualification", "rejected"), ("version", "1")])
        .await;
    let back = location(&no_reason);
    assert!(back.contains("notice=reason-needed"), "{back}");
    let (_, page) = b.text(&back).await;
    assert!(page.contains("Rejecting a lead needs a reason"), "{page}");
    let done = b
        .post_form(
            &path,
            &[
                ("qualification", "rejected"),
                ("reason", "No budget"),
                ("objection", "Price"),
                ("version", "1"),
            ],
        )
        .await;
    assert!(location(&done).contains("notice=lead-rejected"));
    let stale = b
        .post_form(&path, &[("qualification", "accepted"), ("version", "1")])
        .await;
    assert!(
        location(&stale).contains("notice=lead-changed"),
        "a judgement on an old version is not silently overwritten"
    );
    let (_, queue) = b.text("/w/alpha/leads/queue").await;
    assert!(queue.contains("1 waiting"));
    let (s, q) = b.text("/w/alpha/lead-quality").await;
    assert_eq!(s, 200);
    assert!(
        q.contains("Why sales rejects") && q.contains("No budget") && q.contains("Price"),
        "{q}"
    );
    assert!(q.contains("CRM completeness") && q.contains("below 90%"));
    let (s, _) = b.text("/w/alpha/lead-quality?from=March").await;
    assert_eq!(s, 200);
    let (_, list) = b.text("/w/alpha/leads?qualification=rejected").await;
    assert!(
        list.contains("1 lead<") || list.contains("1 lead\n") || list.contains(">1 lead"),
        "{list}"
    );
    assert!(
        list.contains("=HYPERLINK(") && !list.contains("=HYPERLINK(\"x\")"),
        "quotes are escaped"
    );
}

#[tokio::test]
async fn a_member_records_spend_and_a_mistake_keeps_what_was_typed() {
    let (app, _ws, _) = setup().await;
    let b = app.sign_in("owner@a.test").await;
    let bad = b
        .post_form(
            "/w/alpha/spend",
            &[
                ("month", "March"),
                ("channel", "Events"),
                ("amount", "1200"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(
        html.contains("Enter the month as YYYY-MM")
            && html.contains("value=\"Events\"")
            && html.contains("value=\"1200\""),
        "{html}"
    );
    let ok = b
        .post_form(
            "/w/alpha/spend",
            &[
                ("month", "2026-03"),
                ("channel", "Events"),
                ("amount", "1200"),
            ],
        )
        .await;
    assert!(location(&ok).contains("notice=spend-saved"));
    let (_, q) = b.text("/w/alpha/lead-quality").await;
    assert!(q.contains("Events") && q.contains("1,200"), "{q}");
}

#[tokio::test]
async fn a_partner_sees_no_lead_page_and_no_leads_menu() {
    let (app, ws, _) = setup().await;
    app.member(&ws, "agency@a.test", Role::Partner).await;
    let b = app.sign_in("agency@a.test").await;
    for p in [
        "/w/alpha/leads",
        "/w/alpha/leads/queue",
        "/w/alpha/lead-quality",
        "/w/alpha/spend",
    ] {
        assert_eq!(b.get(p).await.status(), 404, "{p}");
    }
    let (_, home) = b.text("/w/alpha/health").await;
    assert!(!home.contains("/w/alpha/leads\""));
}
