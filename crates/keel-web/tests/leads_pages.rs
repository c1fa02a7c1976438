//! The lead pages as people use them: sales works the feedback queue, everyone reads lead
//! quality, members record spend; a partner sees none of it; hostile text stays text.

mod common;

use common::{Api, TestApp};
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

// The heatmap lays acceptance out by source and offer, and completeness shows month by
// month; the page and `GET /api/v1/lead-quality` say the same.
keel_testkit::each_backend!(
    lead_quality_shows_a_heatmap_and_completeness_month_by_month,
    |db| {
        use keel_domain::lead::{LeadDraft, Qualification};
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let owner = app.user("owner@a.test", "Owner").await;
        let ws = app.workspace("alpha", owner).await;
        let lead =
            |id: &str, day: &str, source: &str, offer: &str, q, campaign: Option<&str>| LeadDraft {
                source_system: "hubspot".into(),
                external_id: id.into(),
                created: keel_domain::Date::parse(day).unwrap(),
                source: Some(source.into()),
                offer: Some(offer.into()),
                campaign: campaign.map(str::to_string),
                qualification: Some(q),
                disqualification_reason: (q == Qualification::Rejected)
                    .then(|| "No budget".to_string()),
                ..Default::default()
            };
        let leads = vec![
            lead(
                "1",
                "2026-02-03",
                "Referrals",
                "Demo",
                Qualification::Accepted,
                None,
            ),
            lead(
                "2",
                "2026-02-09",
                "Referrals",
                "Demo",
                Qualification::Accepted,
                None,
            ),
            lead(
                "3",
                "2026-03-02",
                "Referrals",
                "Ebook",
                Qualification::Rejected,
                Some("Spring"),
            ),
            lead(
                "4",
                "2026-03-05",
                "Paid social",
                "Ebook",
                Qualification::Rejected,
                Some("Spring"),
            ),
        ];
        app.store.upsert_leads(ws.id, &leads, None).await.unwrap();
        let b = app.sign_in("owner@a.test").await;
        let (s, html) = b.text("/w/alpha/lead-quality").await;
        assert_eq!(s, 200);
        assert!(html.contains("Acceptance at a glance"), "{html}");
        // Referrals brought the most leads: its row comes first, Demo (its busiest offer) is
        // warmest; Paid social never offered a demo, so that cell is empty.
        assert!(
            html.contains("<td class=\"heat heat-4\">100% (2 leads)</td>")
                && html.contains("<td class=\"heat heat-0\">0% (1 lead)</td>")
                && html.contains("<td class=\"heat\"></td>"),
            "{html}"
        );
        assert!(html.find(">Referrals</th>").unwrap() < html.find(">Paid social</th>").unwrap());
        assert!(html.contains("Completeness month by month"), "{html}");
        let (_, q) = Api::new(&app, &app.token(&ws, owner, Role::Owner).await)
            .get("/api/v1/lead-quality")
            .await;
        let months = q["completeness_by_month"].as_array().unwrap();
        assert_eq!(months.len(), 2);
        assert_eq!(months[0]["month"], "2026-02");
        let campaign = |m: &serde_json::Value| {
            m["fields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["field"] == "campaign")
                .unwrap()["share"]
                .as_f64()
        };
        assert_eq!(
            (campaign(&months[0]), campaign(&months[1])),
            (Some(0.0), Some(1.0))
        );
        // The page shows the same shares: 0% in February (below the bar), 100% in March.
        let row = &html[html.find("<th scope=\"row\">Campaign</th>").unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(
            row.contains("<td class=\"num below-bar\">0%</td>")
                && row.contains("<td class=\"num\">100%</td>"),
            "{row}"
        );
        app.stop().await;
    }
);

// A table of spend pasted on the page or sent to the API: all of it is saved or none, and a
// refused table stays in the box with one line per problem.
keel_testkit::each_backend!(spend_from_a_pasted_table_is_all_or_nothing, |db| {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let owner = app.user("owner@a.test", "Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let b = app.sign_in("owner@a.test").await;
    let bad = "month;channel;amount\n2026-03;Events;1200\nMarch;Events;900\n";
    let refused = b.post_form("/w/alpha/spend/import", &[("csv", bad)]).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Nothing was saved")
            && html.contains("Line 3, month &#34;March&#34;: Enter the month as YYYY-MM")
            && html.contains("2026-03;Events;1200"),
        "{html}"
    );
    assert!(app
        .store
        .list_spend(ws.id, keel_store::Months::default())
        .await
        .unwrap()
        .is_empty());
    let good = "Month\tChannel\tCampaign\tAmount\n2026-03\tEvents\t\t1200\n2026-03\tPaid search\tSpring\t2,500.50\n";
    let ok = b.post_form("/w/alpha/spend/import", &[("csv", good)]).await;
    assert!(
        location(&ok).contains("notice=spend-imported"),
        "{}",
        location(&ok)
    );
    let (_, page) = b.text(&location(&ok)).await;
    assert!(
        page.contains("Spend saved from the table") && page.contains("2500.50"),
        "{page}"
    );

    let api = Api::new(&app, &app.token(&ws, owner, Role::Owner).await);
    let (s, e) = api
        .send(
            reqwest::Method::POST,
            "/api/v1/spend/import",
            Some(serde_json::json!({"csv": "month,campaign,amount\n2026-04,Spring,lots\n"})),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["fields"][0]["field"], "csv", "{e}");
    assert!(
        e["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Line 2, amount \"lots\""),
        "{e}"
    );
    let (s, r) = api
        .send(
            reqwest::Method::POST,
            "/api/v1/spend/import",
            Some(serde_json::json!({"csv": "month,campaign,amount\n2026-04,Spring,800\n2026-03,Spring,100\n"})),
        )
        .await;
    assert_eq!((s, r["saved"].as_i64()), (200, Some(2)), "{r}");
    let (_, list) = api.get("/api/v1/spend").await;
    assert_eq!(list["spend"].as_array().unwrap().len(), 4, "{list}");
    app.stop().await;
});
