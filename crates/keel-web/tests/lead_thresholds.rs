//! The workspace's lead-quality thresholds as a marketing lead and a script set them: the
//! form refuses what is not a whole percent or a number of days and keeps what was typed; the
//! lead-quality page, its API and the health check judge by the saved values; a viewer reads
//! them and cannot change them; a partner does not see them.

mod common;

use common::{Api, TestApp};
use keel_domain::Role;
use reqwest::Method;
use serde_json::json;

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

keel_testkit::each_backend!(
    thresholds_set_on_the_page_are_what_lead_quality_and_health_judge_by,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let owner = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", owner).await;
        app.lead(&ws, "1001", "Referrals", "Demo").await;
        app.lead(&ws, "1002", "Paid social", "Ebook").await;
        // Pipeline from a marketing source and from sales' own prospecting.
        let with_pipeline = |id: &str, source: &str, cents: i64| keel_domain::lead::LeadDraft {
            source_system: "hubspot".into(),
            external_id: id.into(),
            created: keel_domain::Date::parse("2026-03-20").unwrap(),
            source: Some(source.into()),
            offer: Some("Demo".into()),
            pipeline_cents: Some(cents),
            ..Default::default()
        };
        app.store
            .upsert_leads(
                ws.id,
                &[
                    with_pipeline("2001", "Referrals", 3_000_000),
                    with_pipeline("2002", "Outbound", 1_000_000),
                ],
                None,
            )
            .await
            .unwrap();
        let b = app.sign_in("ana@acme.test").await;

        let (s, html) = b.text("/w/acme/lead-quality/thresholds").await;
        assert_eq!(s, 200);
        assert!(
            html.contains("value=\"40\"")
                && html.contains("value=\"90\"")
                && html.contains("value=\"14\"")
                && html.contains("keel's starting values"),
            "{html}"
        );

        // A mistake says what to type and keeps every value typed.
        let bad = b
            .post_form(
                "/w/acme/lead-quality/thresholds",
                &[
                    ("poor_fit_below", "0"),
                    ("completeness_bar", "most"),
                    ("pending_days", "7"),
                    ("version", "0"),
                ],
            )
            .await;
        assert_eq!(bad.status(), 422);
        let html = bad.text().await.unwrap();
        assert!(
            html.contains("Enter the acceptance rate as a whole percent from 1 to 99")
                && html.contains("Enter the bar as a whole percent from 1 to 100")
                && html.contains("value=\"most\"")
                && html.contains("value=\"7\""),
            "{html}"
        );

        let ok = b
            .post_form(
                "/w/acme/lead-quality/thresholds",
                &[
                    ("poor_fit_below", "60%"),
                    ("completeness_bar", "50"),
                    ("pending_days", "7"),
                    ("sales_sources", "Outbound\r\noutbound"),
                    ("version", "0"),
                ],
            )
            .await;
        assert!(location(&ok).contains("notice=lead-thresholds-saved"));
        let (_, page) = b.text(&location(&ok)).await;
        assert!(
            page.contains("Thresholds saved")
                && page.contains("poor fit below 60%")
                && page.contains("completeness bar 50%")
                && page.contains("within 7 days")
                && page.contains("Pipeline from marketing")
                && page.contains("75%")
                && page.contains("30,000 of 40,000 pipeline; sales-sourced: Outbound"),
            "{page}"
        );

        // The API says the same, and lead quality judges by it.
        let api = Api::new(&app, &app.token(&ws, owner, Role::Owner).await);
        let (s, got) = api.get("/api/v1/lead-settings").await;
        assert_eq!(s, 200);
        assert_eq!(
            got,
            json!({"poor_fit_below_percent": 60, "completeness_bar_percent": 50,
                   "pending_days": 7, "sales_sources": "Outbound", "customised": true, "version": 1})
        );
        let (_, q) = api.get("/api/v1/lead-quality").await;
        assert_eq!(
            (q["poor_fit_below"].as_f64(), q["completeness_bar"].as_f64()),
            (Some(0.6), Some(0.5))
        );
        assert_eq!(
            q["pipeline_contribution"],
            json!({"marketing_cents": 3_000_000, "total_cents": 4_000_000, "share": 0.75})
        );
        // The leads are from March and nobody judged them: more than 7 days waiting.
        let (_, health) = api.get("/api/v1/health").await;
        let pending = health["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "leads.feedback-pending")
            .expect("the feedback finding");
        assert!(
            pending["evidence"]
                .as_str()
                .unwrap()
                .contains("more than 7 days"),
            "{pending}"
        );

        // A stale version is refused, a bad value named, a good one saved.
        let body = json!({"poor_fit_below_percent": 35, "completeness_bar_percent": 80, "pending_days": 10});
        let (s, _) = api
            .send_at(Method::PUT, "/api/v1/lead-settings", 0, Some(body.clone()))
            .await;
        assert_eq!(s, 412);
        let (s, e) = api
            .send_at(
                Method::PUT,
                "/api/v1/lead-settings",
                1,
                Some(json!({"poor_fit_below_percent": 0, "completeness_bar_percent": 80, "pending_days": 400})),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        let fields: Vec<&str> = e["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["poor_fit_below", "pending_days"], "{e}");
        let (s, saved) = api
            .send_at(Method::PUT, "/api/v1/lead-settings", 1, Some(body))
            .await;
        assert_eq!(s, 200, "{saved}");
        assert_eq!(
            (
                saved["poor_fit_below_percent"].as_i64(),
                saved["version"].as_i64()
            ),
            (Some(35), Some(2))
        );
        let (_, html) = b.text("/w/acme/lead-quality/thresholds").await;
        assert!(html.contains("value=\"35\"") && !html.contains("starting values"));

        // A viewer reads them and cannot change them; a partner does not see them.
        app.member(&ws, "sales@acme.test", Role::Viewer).await;
        let sales = app.sign_in("sales@acme.test").await;
        let (s, html) = sales.text("/w/acme/lead-quality/thresholds").await;
        assert_eq!(s, 200);
        assert!(
            html.contains("value=\"35\"") && !html.contains("Save thresholds"),
            "{html}"
        );
        let refused = sales
            .post_form(
                "/w/acme/lead-quality/thresholds",
                &[
                    ("poor_fit_below", "10"),
                    ("completeness_bar", "10"),
                    ("pending_days", "100"),
                    ("version", "2"),
                ],
            )
            .await;
        assert_eq!(refused.status(), 403);
        let viewer = app.member(&ws, "viewer@acme.test", Role::Viewer).await;
        let viewer_api = Api::new(&app, &app.token(&ws, viewer, Role::Viewer).await);
        let (s, _) = viewer_api.get("/api/v1/lead-settings").await;
        assert_eq!(s, 200);
        let (s, _) = viewer_api
            .send_at(
                Method::PUT,
                "/api/v1/lead-settings",
                2,
                Some(json!({"poor_fit_below_percent": 10, "completeness_bar_percent": 10, "pending_days": 100})),
            )
            .await;
        assert_eq!(s, 403);
        let partner = app.member(&ws, "agency@acme.test", Role::Partner).await;
        let agency = app.sign_in("agency@acme.test").await;
        let (s, _) = agency.text("/w/acme/lead-quality/thresholds").await;
        assert_eq!(s, 404);
        let partner_api = Api::new(&app, &app.token(&ws, partner, Role::Partner).await);
        let (s, _) = partner_api.get("/api/v1/lead-settings").await;
        assert_eq!(s, 404);
        let (_, after) = api.get("/api/v1/lead-settings").await;
        assert_eq!(
            after["version"], 2,
            "nothing a viewer or partner sent was saved"
        );
        app.stop().await;
    }
);
