//! Metrics keel computes from its own data (source "keel"): the page, the API and the
//! objective whose KPI one is read the same computed values, and nobody can type one in.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use reqwest::Method;
use serde_json::json;

fn body(name: &str, computed: &str, objective: Option<i64>) -> serde_json::Value {
    json!({"name": name, "cadence": "monthly", "direction": "higher", "metric_type": "outcome",
           "kind": "contribution", "computed": computed, "objective_id": objective,
           "family": "operating", "signal": "leading", "layer": "tactics"})
}

keel_testkit::each_backend!(
    a_computed_metric_reads_the_same_on_page_api_and_objective,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let u = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", u).await;
        let mara = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
        let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
        for name in ["Search", "Email", "Events"] {
            app.store
                .create_channel(ws.id, &common::channel(name))
                .await
                .unwrap();
        }
        let mut paused = common::channel("Print");
        paused.status = keel_domain::channel::ChannelStatus::Paused;
        app.store.create_channel(ws.id, &paused).await.unwrap();
        let o = app
            .store
            .create_objective(
                ws.id,
                &common::objective("Focus the work on what we aim at", Some(mara)),
            )
            .await
            .unwrap();
        let flow = app.workflow(&ws, "Campaigns", mara).await;
        let traced = app.work(&ws, flow, "Spring webinar", Some(mara)).await;
        app.work(&ws, flow, "Random flyer", Some(mara)).await;
        app.work(&ws, flow, "Another flyer", Some(mara)).await;
        app.work(&ws, flow, "A fourth thing", Some(mara)).await;
        let link = keel_domain::fit::WorkLinkDraft {
            objective_id: Some(o.id),
            ..Default::default()
        };
        app.store
            .set_work_links(ws.id, traced, 0, &link)
            .await
            .unwrap();

        let (s, focus) = api
            .send(
                Method::POST,
                "/api/v1/metrics",
                Some(body("Active channels", "channel_focus", None)),
            )
            .await;
        assert_eq!(s, 201, "{focus}");
        assert_eq!(focus["source"], "keel");
        assert_eq!(focus["unit"], "channels");
        assert_eq!(
            (&focus["family"], &focus["signal"], &focus["layer"]),
            (&json!("operating"), &json!("leading"), &json!("tactics"))
        );
        assert_eq!(
            focus["definition"],
            keel_domain::metric::Computed::ChannelFocus.rule()
        );
        // The answer to the create was read before the metric existed; read it again.
        let (_, focus) = api.get(&format!("/api/v1/metrics/{}", focus["id"])).await;
        assert_eq!(focus["latest"]["value"], 3.0, "{focus}");
        assert_eq!(focus["latest"]["computed"], true);
        assert!(focus["missing_period"].is_null(), "{focus}");
        let (s, fit) = api
            .send(
                Method::POST,
                "/api/v1/metrics",
                Some(body("Strategic fit", "strategic_fit", Some(o.id))),
            )
            .await;
        assert_eq!(s, 201, "{fit}");
        let fit_id = fit["id"].as_i64().unwrap();
        // One item of four, 4 h each, traced: 25 %.
        let (_, fit) = api.get(&format!("/api/v1/metrics/{fit_id}")).await;
        assert_eq!(fit["latest"]["value"], 25.0, "{fit}");
        let (_, values) = api
            .get(&format!("/api/v1/metrics/{fit_id}/measurements"))
            .await;
        assert_eq!(
            values["measurements"].as_array().unwrap().len(),
            1,
            "{values}"
        );
        assert_eq!(values["measurements"][0]["note"], "1 of 4 new items traced");
        // The objective reads its KPI's computed value; the page shows the same figure.
        let (_, obj) = api.get(&format!("/api/v1/objectives/{}", o.id)).await;
        assert_eq!(obj["kpi_latest"], 25.0, "{obj}");
        let b = app.sign_in("ana@acme.test").await;
        let (s, page) = b.text(&format!("/w/acme/metrics/{fit_id}")).await;
        assert_eq!(s, 200);
        assert!(
            page.contains("25 %") && page.contains("1 of 4 new items traced"),
            "{page}"
        );
        assert!(
            page.contains("keel computes"),
            "the page says where the values come from"
        );
        assert!(
            !page.contains("Save value"),
            "no form for a computed metric"
        );

        // Nobody types a computed value in: API and page refuse, nothing is stored.
        let (s, e) = api
            .send(
                Method::POST,
                &format!("/api/v1/metrics/{fit_id}/measurements"),
                Some(json!({"period": "2026-01", "value": 90})),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        assert!(e.to_string().contains("keel computes Strategic fit"), "{e}");
        let (s, _) = api
            .send(
                Method::POST,
                &format!("/api/v1/metrics/{fit_id}/measurements/bulk"),
                Some(json!({"measurements": [{"period": "2026-01", "value": 90}]})),
            )
            .await;
        assert_eq!(s, 422);
        let r = b
            .post_form(
                &format!("/w/acme/metrics/{fit_id}/measurements"),
                &[("period", "2026-01-01"), ("value", "90")],
            )
            .await;
        assert_eq!(r.status(), 422);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("keel computes Strategic fit"));
        assert!(app
            .store
            .measurements_of(ws.id, fit_id)
            .await
            .unwrap()
            .is_empty());

        // A computed metric's source is keel and its unit the computation's.
        let mut bad = body("Cycle", "cycle_time", None);
        bad["source"] = json!("HubSpot");
        bad["unit"] = json!("%");
        let (s, e) = api.send(Method::POST, "/api/v1/metrics", Some(bad)).await;
        assert_eq!(s, 422, "{e}");
        let text = e.to_string();
        assert!(
            text.contains("source") && text.contains("write days"),
            "{e}"
        );
        let mut keel = body("Typed", "", None);
        keel["computed"] = json!(null);
        keel["source"] = json!("keel");
        let (s, e) = api.send(Method::POST, "/api/v1/metrics", Some(keel)).await;
        assert_eq!(s, 422, "{e}");
        assert!(e.to_string().contains("choose what it computes"), "{e}");
        app.stop().await;
    }
);

keel_testkit::each_backend!(lead_metrics_read_what_lead_quality_shows, |db| {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
    let today = keel_domain::Zone::utc().date_of(keel_web::time_fmt::now());
    let lead =
        |id: &str, source: &str, campaign: Option<&str>, cents: i64| keel_domain::lead::LeadDraft {
            source_system: "hubspot".into(),
            external_id: id.into(),
            created: today,
            source: Some(source.into()),
            campaign: campaign.map(str::to_string),
            offer: Some("Demo".into()),
            channel: Some("Search".into()),
            lifecycle_stage: Some("Lead".into()),
            owner: Some("Rui".into()),
            pipeline_cents: Some(cents),
            ..Default::default()
        };
    app.store
        .upsert_leads(
            ws.id,
            &[
                lead("1", "Paid Search", Some("Brand"), 2_000_000),
                lead("2", "Paid Search", None, 1_000_000),
                lead("3", "Outbound", Some("Calls"), 1_000_000),
                lead("4", "Webinar", None, 0),
            ],
            None,
        )
        .await
        .unwrap();
    let mut judged = Vec::new();
    for (id, q) in [("1", "accepted"), ("2", "accepted"), ("3", "rejected")] {
        let l = app
            .store
            .find_lead_by_external(ws.id, "hubspot", id)
            .await
            .unwrap()
            .unwrap();
        let fb = keel_domain::lead::Feedback {
            qualification: keel_domain::lead::Qualification::parse(q).unwrap(),
            reason: (q == "rejected").then(|| "Too small".to_string()),
            objection: None,
        };
        judged.push((l.id, Some(l.version), fb));
    }
    app.store
        .give_feedback_many(ws.id, &judged, None)
        .await
        .unwrap();
    let (s, _) = api
        .send(
            Method::PUT,
            "/api/v1/lead-settings",
            Some(
                json!({"poor_fit_below_percent": 40, "completeness_bar_percent": 90,
                            "pending_days": 14, "sales_sources": "Outbound"}),
            ),
        )
        .await;
    assert!(s == 200 || s == 428, "{s}");
    if s == 428 {
        let r = api
            .req(Method::PUT, "/api/v1/lead-settings")
            .header("if-match", "\"0\"")
            .json(
                &json!({"poor_fit_below_percent": 40, "completeness_bar_percent": 90,
                              "pending_days": 14, "sales_sources": "Outbound"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    let mut ids = Vec::new();
    for (name, computed, kind) in [
        ("Lead acceptance", "lead_acceptance", "quality"),
        ("CRM completeness", "crm_completeness", "quality"),
        (
            "Pipeline contribution",
            "pipeline_contribution",
            "contribution",
        ),
    ] {
        let mut b = body(name, computed, None);
        b["kind"] = json!(kind);
        let (s, x) = api.send(Method::POST, "/api/v1/metrics", Some(b)).await;
        assert_eq!(s, 201, "{x}");
        assert_eq!(x["unit"], "%");
        ids.push(x["id"].as_i64().unwrap());
    }
    // A weekly lead metric is refused with the reason.
    let mut weekly = body("Weekly acceptance", "lead_acceptance", None);
    weekly["cadence"] = json!("weekly");
    let (s, e) = api
        .send(Method::POST, "/api/v1/metrics", Some(weekly))
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e.to_string().contains("monthly or quarterly"), "{e}");

    let month = format!("{:04}-{:02}", today.ymd().0, today.ymd().1);
    let (_, q) = api
        .get(&format!("/api/v1/lead-quality?from={month}&to={month}"))
        .await;
    let acceptance = q["months"][0]["acceptance_rate"].as_f64().unwrap();
    let least = q["completeness"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["share"].as_f64())
        .fold(1.0_f64, f64::min);
    let contribution = q["pipeline_contribution"]["share"].as_f64().unwrap();
    let latest = |x: &serde_json::Value| x["latest"]["value"].as_f64().unwrap();
    let (_, a) = api.get(&format!("/api/v1/metrics/{}", ids[0])).await;
    let (_, c) = api.get(&format!("/api/v1/metrics/{}", ids[1])).await;
    let (_, p) = api.get(&format!("/api/v1/metrics/{}", ids[2])).await;
    let percent = |share: f64| (share * 10_000.0).round() / 100.0;
    assert_eq!(
        latest(&a),
        percent(acceptance),
        "{a}
{q}"
    );
    assert_eq!(latest(&c), percent(least), "{c}\n{q}");
    assert_eq!(latest(&p), percent(contribution), "{p}\n{q}");
    assert_eq!((latest(&a), latest(&c), latest(&p)), (66.67, 50.0, 75.0));
    // The metric page shows the same figure.
    let b = app.sign_in("ana@acme.test").await;
    let (_, html) = b.text(&format!("/w/acme/metrics/{}", ids[0])).await;
    assert!(html.contains("66.67"), "{html}");
    app.stop().await;
});
