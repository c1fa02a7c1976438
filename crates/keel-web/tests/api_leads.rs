//! The leads API: upserts idempotent by record id, bulk all-or-nothing, feedback (viewers
//! too), lead quality from rollups, spend with ROI.

mod common;

use common::{Api, TestApp};
use keel_domain::Role;
use reqwest::Method;
use serde_json::json;

async fn setup() -> (TestApp, keel_store::Workspace, Api) {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@a.test", "Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let api = Api::new(&app, &app.token(&ws, owner, Role::Owner).await);
    (app, ws, api)
}

#[tokio::test]
async fn posting_the_same_record_id_twice_updates_one_lead() {
    let (_app, _ws, api) = setup().await;
    let body = json!({"source_system": "hubspot", "external_id": "5120034", "created": "2026-03-12",
        "source": "Paid Search", "offer": "Demo", "channel": "Paid search", "pipeline_cents": 1250000});
    let (s, first) = api
        .send(Method::POST, "/api/v1/leads", Some(body.clone()))
        .await;
    assert_eq!(s, 201, "{first}");
    assert_eq!(
        (
            first["qualification"].as_str(),
            first["pipeline_cents"].as_i64()
        ),
        (Some("pending"), Some(1_250_000))
    );
    let (s, again) = api.send(Method::POST, "/api/v1/leads", Some(body)).await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(again["id"], first["id"]);
    let (_, list) = api.get("/api/v1/leads").await;
    assert_eq!(list["total"], 1);
    let (s, one) = api.get(&format!("/api/v1/leads/{}", first["id"])).await;
    assert_eq!((s, one["external_id"].as_str()), (200, Some("5120034")));
}

#[tokio::test]
async fn a_bulk_upsert_stores_nothing_when_one_lead_is_invalid() {
    let (_app, _ws, api) = setup().await;
    let good = |id: &str| json!({"external_id": id, "created": "2026-03-01", "source": "SEO", "offer": "Guide"});
    let bad = json!({"external_id": "x", "created": "01/03/2026"});
    let (s, body) = api
        .send(
            Method::POST,
            "/api/v1/leads/bulk",
            Some(json!({"leads": [good("1"), bad, good("3")]})),
        )
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "leads[1].created");
    assert_eq!(api.get("/api/v1/leads").await.1["total"], 0);
    let (s, c) = api
        .send(
            Method::POST,
            "/api/v1/leads/bulk",
            Some(json!({"leads": [good("1"), good("2")]})),
        )
        .await;
    assert_eq!((s, c["inserted"].as_i64()), (200, Some(2)), "{c}");
    let (_, c) = api
        .send(
            Method::POST,
            "/api/v1/leads/bulk",
            Some(json!({"leads": [good("1"), good("2")]})),
        )
        .await;
    assert_eq!(
        (c["inserted"].as_i64(), c["unchanged"].as_i64()),
        (Some(0), Some(2)),
        "{c}"
    );
    let (s, _) = api
        .send(
            Method::POST,
            "/api/v1/leads/bulk",
            Some(json!({"leads": []})),
        )
        .await;
    assert_eq!(s, 422);
}

#[tokio::test]
async fn a_viewer_gives_feedback_and_lead_quality_follows() {
    let (app, ws, api) = setup().await;
    let mut ids = vec![];
    for i in 0..30 {
        ids.push(app.lead(&ws, &i.to_string(), "Paid Social", "Ebook").await);
    }
    let good = app.lead(&ws, "g", "Referrals", "Demo").await;
    let viewer = app.member(&ws, "sales@a.test", Role::Viewer).await;
    let sales = Api::new(&app, &app.token(&ws, viewer, Role::Viewer).await);
    // One at a time, with the version seen.
    let (s, _) = sales
        .send(
            Method::POST,
            &format!("/api/v1/leads/{good}/feedback"),
            Some(json!({"qualification": "accepted"})),
        )
        .await;
    assert_eq!(s, 428, "a judgement names the version it was made on");
    let (s, l) = sales
        .send_at(
            Method::POST,
            &format!("/api/v1/leads/{good}/feedback"),
            1,
            Some(json!({"qualification": "accepted"})),
        )
        .await;
    assert_eq!(
        (s, l["qualification"].as_str()),
        (200, Some("accepted")),
        "{l}"
    );
    let (s, e) = sales
        .send_at(
            Method::POST,
            &format!("/api/v1/leads/{}/feedback", ids[0]),
            1,
            Some(json!({"qualification": "rejected"})),
        )
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("reason")),
        "{e}"
    );
    // In bulk: 28 rejections and one acceptance.
    let mut items: Vec<_> = ids[..28]
        .iter()
        .map(|id| json!({"id": id, "version": 1, "qualification": "rejected", "reason": "Student or job seeker", "objection": "Only wanted the ebook"}))
        .collect();
    items.push(json!({"id": ids[28], "version": 1, "qualification": "accepted"}));
    let (s, done) = sales
        .send(
            Method::POST,
            "/api/v1/leads/feedback",
            Some(json!({"feedback": items})),
        )
        .await;
    assert_eq!(s, 200, "{done}");
    assert_eq!(done["leads"].as_array().unwrap().len(), 29);
    // A stale version records nothing.
    let (s, _) = sales
        .send(Method::POST, "/api/v1/leads/feedback", Some(json!({"feedback": [
            {"id": ids[29], "version": 1, "qualification": "accepted"}, {"id": ids[0], "version": 1, "qualification": "accepted"}]})))
        .await;
    assert_eq!(s, 412);
    let (s, q) = sales
        .get("/api/v1/lead-quality?from=2026-03&to=2026-03")
        .await;
    assert_eq!(s, 200, "{q}");
    let social = q["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["source"] == "Paid Social")
        .unwrap();
    assert_eq!(
        (
            social["leads"].as_i64(),
            social["accepted"].as_i64(),
            social["rejected"].as_i64(),
            social["pending"].as_i64()
        ),
        (Some(30), Some(1), Some(28), Some(1))
    );
    assert_eq!(social["poor_fit"], true, "{social}");
    let referrals = q["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["source"] == "Referrals")
        .unwrap();
    assert_eq!(
        referrals["poor_fit"], false,
        "one acceptance is no evidence either way"
    );
    assert_eq!(
        q["rejection_reasons"][0],
        json!({"value": "Student or job seeker", "leads": 28})
    );
    assert_eq!(q["objections"][0]["value"], "Only wanted the ebook");
    let source = q["completeness"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "source")
        .unwrap();
    assert_eq!(
        (source["share"].as_f64(), source["below_bar"].as_bool()),
        (Some(1.0), Some(false))
    );
    let campaign = q["completeness"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "campaign")
        .unwrap();
    assert_eq!(campaign["below_bar"], true);
    let (_, april) = sales.get("/api/v1/lead-quality?from=2026-04").await;
    assert!(april["pairs"].as_array().unwrap().is_empty());
    let (s, bad) = sales.get("/api/v1/lead-quality?from=March").await;
    assert_eq!(
        (s, bad["error"]["fields"][0]["field"].as_str()),
        (422, Some("from"))
    );
    // A viewer reads but cannot add leads or spend.
    let (s, _) = sales
        .send(
            Method::POST,
            "/api/v1/leads",
            Some(json!({"external_id": "v", "created": "2026-03-01"})),
        )
        .await;
    assert_eq!(s, 403);
    let _ = api;
}

#[tokio::test]
async fn spend_meets_leads_as_cost_per_lead_and_roi() {
    let (app, _ws, api) = setup().await;
    for i in 0..4 {
        let (s, _) = api
            .send(Method::POST, "/api/v1/leads", Some(json!({"external_id": format!("c{i}"), "created": "2026-03-0{}".replace("{}", &(i + 1).to_string()),
                "channel": "Paid search", "source": "Paid Search", "offer": "Demo", "won_cents": 100000})))
            .await;
        assert_eq!(s, 201);
    }
    let (s, sp) = api
        .send(
            Method::POST,
            "/api/v1/spend",
            Some(json!({"month": "2026-03", "channel": "Paid search", "amount_cents": 200000})),
        )
        .await;
    assert_eq!((s, sp["month"].as_str()), (200, Some("2026-03")), "{sp}");
    api.send(
        Method::POST,
        "/api/v1/spend",
        Some(json!({"month": "2026-03", "channel": "Events", "amount_cents": 50000})),
    )
    .await;
    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/spend",
            Some(json!({"month": "2026-03", "amount_cents": 5})),
        )
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("channel"))
    );
    let (_, q) = api.get("/api/v1/lead-quality").await;
    let ch = q["channels"].as_array().unwrap();
    let search = ch.iter().find(|c| c["name"] == "Paid search").unwrap();
    assert_eq!(
        (
            search["spend_cents"].as_i64(),
            search["cost_per_lead_cents"].as_i64(),
            search["roi"].as_f64()
        ),
        (Some(200_000), Some(50_000), Some(1.0))
    );
    let events = ch.iter().find(|c| c["name"] == "Events").unwrap();
    assert_eq!(
        (
            events["leads"].as_i64(),
            events["cost_per_lead_cents"].as_i64()
        ),
        (Some(0), None)
    );
    let (_, list) = api.get("/api/v1/spend").await;
    assert_eq!(list["spend"].as_array().unwrap().len(), 2);
    let id = sp["id"].as_i64().unwrap();
    let delete = |v: Option<i64>| {
        let path = format!("/api/v1/spend/{id}");
        let api = &api;
        async move {
            match v {
                Some(v) => api.send_at(Method::DELETE, &path, v, None).await.0,
                None => api.send(Method::DELETE, &path, None).await.0,
            }
        }
    };
    assert_eq!(delete(None).await, 428);
    assert_eq!(delete(Some(9)).await, 412);
    assert_eq!(delete(Some(1)).await, 204);
    assert_eq!(delete(Some(1)).await, 404);
    let _ = app;
}

#[tokio::test]
async fn a_partner_does_not_see_leads_at_all() {
    let (app, ws, _api) = setup().await;
    let id = app.lead(&ws, "1", "SEO", "Guide").await;
    let partner = app.member(&ws, "agency@a.test", Role::Partner).await;
    let agency = Api::new(&app, &app.token(&ws, partner, Role::Partner).await);
    for path in [
        "/api/v1/leads".to_string(),
        format!("/api/v1/leads/{id}"),
        "/api/v1/lead-quality".into(),
        "/api/v1/spend".into(),
    ] {
        assert_eq!(agency.get(&path).await.0, 404, "{path}");
    }
    let (s, _) = agency
        .send(
            Method::POST,
            &format!("/api/v1/leads/{id}/feedback"),
            Some(json!({"qualification": "accepted"})),
        )
        .await;
    assert_eq!(s, 404);
}
