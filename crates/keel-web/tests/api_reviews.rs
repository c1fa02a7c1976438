//! The reviews API over HTTP, on both backends: cadences set and changed, reviews started
//! with their generated agenda (weekly, monthly, quarterly, agreeing with the review page),
//! notes, decisions in and outside a review with every refusal of the issue, the log's
//! filters, follow-up, and the close: refused without outcome, and of two closes at once
//! exactly one wins.

mod common;

use common::{Api, TestApp};
use keel_domain::review::{DecisionDraft, DecisionKind, DecisionStatus};
use keel_domain::{PersonKind, Role};
use keel_testkit::TestDb;
use reqwest::Method;
use serde_json::{json, Value};

struct Team {
    app: TestApp,
    api: Api,
    maya: i64,
    item: i64,
    priority: i64,
    metric: i64,
    ws: keel_store::WorkspaceId,
}

async fn team(db: TestDb) -> Team {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let ana = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", ana).await;
    let maya = app.person(&ws, "Maya Lind", PersonKind::Internal).await;
    let wf = app.workflow(&ws, "Campaign launch", maya).await;
    let item = app.work(&ws, wf, "Spring webinar", Some(maya)).await;
    let api = Api::new(&app, &app.token(&ws, ana, Role::Owner).await);
    let (s, e) = api
        .send_at(
            Method::POST,
            &format!("/api/v1/work/{item}/moves"),
            1,
            Some(json!({"action": "block", "reason": "Waiting for legal"})),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let objective = app
        .store
        .create_objective(ws.id, &common::objective("Grow pipeline", Some(maya)))
        .await
        .unwrap()
        .id;
    let priority = app
        .store
        .create_priority(ws.id, &common::priority("Webinar series", objective))
        .await
        .unwrap()
        .id;
    // 42 accepted leads against a target of 80: off target, so the monthly agenda has it.
    let (metric, _) = app.metric_with_value(&ws, "Accepted leads", None).await;
    let today = keel_web::time_fmt::today(&keel_domain::Zone::utc());
    app.store
        .create_decision(
            ws.id,
            None,
            today.add_days(-14),
            &DecisionDraft {
                what: "Rewrite the webinar invitation".into(),
                kind: DecisionKind::Fix,
                category: None,
                rationale: None,
                evidence: vec![],
                owner_id: maya,
                due: Some(today.add_days(-7)),
                status: DecisionStatus::Open,
            },
            false,
        )
        .await
        .unwrap();
    Team {
        app,
        api,
        maya,
        item,
        priority,
        metric,
        ws: ws.id,
    }
}

fn today() -> keel_domain::Date {
    keel_web::time_fmt::today(&keel_domain::Zone::utc())
}

fn field<'a>(e: &'a Value, name: &str) -> &'a str {
    e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == name)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no message on {name}: {e}"))
}

fn section<'a>(review: &'a Value, key: &str) -> Option<&'a Value> {
    review["agenda"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
}

keel_testkit::each_backend!(cadences_are_set_up_changed_and_switched_off, |db| {
    let t = team(db).await;
    let api = &t.api;
    let body = |interval: i64, time: &str| {
        json!({"kind": "weekly", "interval": interval, "weekday": 1, "time": time,
               "facilitator_id": t.maya, "attendee_ids": [t.maya]})
    };
    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/review-cadences",
            Some(body(9, "09:30")),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(field(&e, "interval").contains("from 1 to 4"), "{e}");
    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/review-cadences",
            Some(body(2, "25:00")),
        )
        .await;
    assert_eq!(s, 422);
    assert!(field(&e, "time").contains("HH:MM"), "{e}");
    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/review-cadences",
            Some(
                json!({"kind": "weekly", "weekday": 1, "time": "09:30", "facilitator_id": 999_999}),
            ),
        )
        .await;
    assert_eq!(s, 422);
    assert!(
        field(&e, "facilitator_id").contains("Choose an owner"),
        "{e}"
    );

    let (s, c) = api
        .send(
            Method::POST,
            "/api/v1/review-cadences",
            Some(body(2, "09:30")),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(
        c["description"],
        "Every 2 weeks (biweekly) on Monday at 09:30"
    );
    assert_eq!(
        (c["active"].as_bool(), c["version"].as_i64()),
        (Some(true), Some(1))
    );
    assert!(c["next_due"].as_str().unwrap() >= today().to_string().as_str());
    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/review-cadences",
            Some(body(1, "10:00")),
        )
        .await;
    assert_eq!(s, 409, "one cadence per kind: {e}");
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("already set up"));

    let url = format!("/api/v1/review-cadences/{}", c["id"]);
    let change = json!({"interval": 1, "weekday": 4, "time": "16:00", "facilitator_id": t.maya, "active": false});
    let (s, _) = api.send(Method::PUT, &url, Some(change.clone())).await;
    assert_eq!(s, 428, "a change names the version it was read at");
    let (s, _) = api
        .send_at(Method::PUT, &url, 7, Some(change.clone()))
        .await;
    assert_eq!(s, 412);
    let (s, c) = api.send_at(Method::PUT, &url, 1, Some(change)).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["description"], "Every Thursday at 16:00");
    assert_eq!(
        (c["active"].as_bool(), c["kind"].as_str()),
        (Some(false), Some("weekly"))
    );
    let (s, list) = api.get("/api/v1/review-cadences").await;
    assert_eq!(s, 200);
    assert_eq!(list["cadences"].as_array().unwrap().len(), 1);
    assert_eq!(list["cadences"][0]["version"], 2);
    // The page shows what the API set.
    let b = t.app.sign_in("ana@acme.test").await;
    let (_, page) = b.text("/w/acme/reviews").await;
    assert!(page.contains("Every Thursday at 16:00"), "{page}");
    t.app.stop().await;
});

keel_testkit::each_backend!(
    a_review_runs_over_the_api_from_agenda_to_one_close_of_two,
    |db| {
        let t = team(db).await;
        let api = &t.api;
        // The cadence names who attends, so the review knows who rates it.
        let (s, c) = api
            .send(Method::POST, "/api/v1/review-cadences",
                Some(json!({"kind": "weekly", "weekday": 1, "time": "09:30", "facilitator_id": t.maya, "attendee_ids": [t.maya]})))
            .await;
        assert_eq!(s, 201, "{c}");
        let (s, r) = api
            .send(
                Method::POST,
                "/api/v1/reviews",
                Some(json!({"kind": "weekly"})),
            )
            .await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(r["review"]["attendee_ids"], json!([t.maya]));
        let id = r["review"]["id"].as_i64().unwrap();
        let url = format!("/api/v1/reviews/{id}");
        // One review per week: starting again answers the open one.
        let (s, again) = api
            .send(
                Method::POST,
                "/api/v1/reviews",
                Some(json!({"kind": "weekly"})),
            )
            .await;
        assert_eq!((s, again["review"]["id"].as_i64()), (200, Some(id)));

        // The agenda: blocked work linked to its page, the decision past due flagged.
        let blocked = section(&r, "blocked").expect("a blocked section");
        let item = &blocked["items"][0];
        assert!(item["text"]
            .as_str()
            .unwrap()
            .contains("Spring webinar is blocked since"));
        assert_eq!(
            item["evidence"][0]["path"],
            format!("/w/acme/work/{}", t.item)
        );
        let due = section(&r, "decisions").expect("decisions due");
        assert!(due["items"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Rewrite the webinar invitation"));
        assert_eq!(due["items"][0]["flag"], "past due");
        // The page shows the same sections.
        let b = t.app.sign_in("ana@acme.test").await;
        let (_, page) = b.text(&format!("/w/acme/reviews/{id}")).await;
        for s in r["agenda"]["sections"].as_array().unwrap() {
            assert!(
                page.contains(s["title"].as_str().unwrap()),
                "{}",
                s["title"]
            );
        }

        // Notes per agenda item, version-checked.
        let notes = json!({"notes": [{"section": "blocked", "text": "Legal answers by Thursday.\nAna follows up."}]});
        let (s, _) = api
            .send(Method::PUT, &format!("{url}/notes"), Some(notes.clone()))
            .await;
        assert_eq!(s, 428);
        let (s, e) = api
            .send_at(
                Method::PUT,
                &format!("{url}/notes"),
                1,
                Some(json!({"notes": [{"section": "gossip", "text": "x"}]})),
            )
            .await;
        assert_eq!(s, 422);
        assert!(field(&e, "notes[0].section").contains("agenda item"), "{e}");
        let (s, r) = api
            .send_at(Method::PUT, &format!("{url}/notes"), 1, Some(notes))
            .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(
            r["review"]["notes"][0]["text"],
            "Legal answers by Thursday.\nAna follows up."
        );
        let version = r["review"]["version"].as_i64().unwrap();

        // No outcome yet: the close is refused with the reason.
        let (s, e) = api
            .send_at(
                Method::POST,
                &format!("{url}/close"),
                version,
                Some(json!({"ratings": []})),
            )
            .await;
        assert_eq!(s, 409, "{e}");
        assert!(e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("record at least one outcome"));

        // Decisions: no owner or kind, a due date before the review, foreign evidence.
        let (s, e) = api
            .send(
                Method::POST,
                "/api/v1/decisions",
                Some(json!({"what": "Pause the webinar series", "review_id": id})),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        assert!(field(&e, "kind").contains("A decision needs a kind"));
        assert!(field(&e, "owner_id").contains("A decision needs one owner"));
        let yesterday = today().add_days(-1).to_string();
        let (s, e) = api
            .send(Method::POST, "/api/v1/decisions",
                Some(json!({"what": "Ask legal", "kind": "fix", "owner_id": t.maya, "due": yesterday, "review_id": id})))
            .await;
        assert_eq!(s, 422);
        assert!(
            field(&e, "due").contains("before the day it was decided"),
            "{e}"
        );
        let other = t.app.user("bob@other.test", "Bob").await;
        let b_ws = t.app.workspace("other", other).await;
        let (b_metric, _) = t.app.metric_with_value(&b_ws, "Other metric", None).await;
        let foreign = |id: i64| {
            json!({"what": "Fix", "kind": "fix", "owner_id": t.maya,
            "due": today().add_days(7).to_string(), "evidence": [{"kind": "metric", "id": id}]})
        };
        let (s1, theirs) = api
            .send(Method::POST, "/api/v1/decisions", Some(foreign(b_metric)))
            .await;
        let (s2, missing) = api
            .send(Method::POST, "/api/v1/decisions", Some(foreign(999_999)))
            .await;
        assert_eq!((s1, s2), (422, 422));
        assert_eq!(
            field(&theirs, "evidence").replace(&b_metric.to_string(), "N"),
            field(&missing, "evidence").replace("999999", "N"),
            "another workspace's metric reads as a missing one"
        );
        assert!(!theirs.to_string().contains("Other metric"));
        let (s, e) = api
            .send(Method::POST, "/api/v1/decisions",
                Some(json!({"what": "Fix", "kind": "fix", "owner_id": t.maya, "due": today().to_string(), "review_id": 999_999})))
            .await;
        assert_eq!(s, 422);
        assert!(field(&e, "review_id").contains("no review"), "{e}");

        // A pause asks for the confirmation, then pauses the priority it links.
        let pause = |confirm: Option<bool>| {
            let mut b = json!({"what": "Pause the webinar series", "kind": "pause", "category": "capacity",
                "owner_id": t.maya, "due": today().add_days(21).to_string(), "review_id": id,
                "evidence": [{"kind": "priority", "id": t.priority}, {"kind": "metric", "id": t.metric}]});
            if let Some(c) = confirm {
                b["confirm_pause"] = json!(c);
            }
            b
        };
        let (s, e) = api
            .send(Method::POST, "/api/v1/decisions", Some(pause(None)))
            .await;
        assert_eq!(s, 422);
        assert!(
            field(&e, "confirm").contains("pauses the priority Webinar series"),
            "{e}"
        );
        let p = t
            .app
            .store
            .find_priority(t.ws, t.priority)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            p.status.as_str(),
            "next",
            "nothing paused before the confirmation"
        );
        let (s, d) = api
            .send(Method::POST, "/api/v1/decisions", Some(pause(Some(true))))
            .await;
        assert_eq!(s, 201, "{d}");
        assert_eq!(
            (d["review_id"].as_i64(), d["status"].as_str()),
            (Some(id), Some("open"))
        );
        assert_eq!(d["evidence"][0]["label"], "Webinar series");
        let p = t
            .app
            .store
            .find_priority(t.ws, t.priority)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.status.as_str(), "paused");
        let pause_id = d["id"].as_i64().unwrap();

        // A decision outside any review is decided today.
        let (s, outside) = api
            .send(Method::POST, "/api/v1/decisions",
                Some(json!({"what": "Ask legal for a standing approval", "kind": "fix", "category": "handoff",
                    "owner_id": t.maya, "due": today().to_string()})))
            .await;
        assert_eq!(s, 201, "{outside}");
        assert_eq!(outside["review_id"], Value::Null);
        assert_eq!(outside["decided_on"], today().to_string());

        // The log's filters.
        let whats = |v: &Value| -> Vec<String> {
            v["decisions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["what"].as_str().unwrap().to_string())
                .collect()
        };
        let (s, log) = api.get("/api/v1/decisions").await;
        assert_eq!(s, 200);
        assert_eq!(
            whats(&log)[0],
            "Rewrite the webinar invitation",
            "past due first: {log}"
        );
        assert_eq!(log["decisions"][0]["past_due"], true);
        assert_eq!(
            whats(&api.get("/api/v1/decisions?kind=pause").await.1),
            ["Pause the webinar series"]
        );
        assert_eq!(
            whats(&api.get("/api/v1/decisions?q=LEGAL%20standing").await.1),
            ["Ask legal for a standing approval"]
        );
        assert_eq!(
            whats(
                &api.get("/api/v1/decisions?category=handoff&status=open")
                    .await
                    .1
            ),
            ["Ask legal for a standing approval"]
        );
        assert_eq!(
            whats(
                &api.get(&format!("/api/v1/decisions?owner_id={}&limit=1", t.maya))
                    .await
                    .1
            )
            .len(),
            1
        );
        let from = today().add_days(-3).to_string();
        assert_eq!(
            whats(&api.get(&format!("/api/v1/decisions?from={from}")).await.1).len(),
            2
        );
        let (s, e) = api
            .get("/api/v1/decisions?from=2026-12-01&to=2026-01-01")
            .await;
        assert_eq!(s, 400);
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("before its start"),
            "{e}"
        );
        assert_eq!(api.get("/api/v1/decisions?kind=bogus").await.0, 400);
        // The page lists what the API lists.
        let (_, page) = b.text("/w/acme/decisions?kind=pause").await;
        assert!(page.contains("Pause the webinar series") && !page.contains("Ask legal"));

        // Follow-up: done, with the day; a bad owner and a due date before the decision refused.
        let durl = format!("/api/v1/decisions/{}", outside["id"]);
        let mut change = json!({"what": "Ask legal for a standing approval", "kind": "fix", "category": "handoff",
            "owner_id": t.maya, "due": today().add_days(3).to_string(), "status": "done"});
        let (s, _) = api.send(Method::PUT, &durl, Some(change.clone())).await;
        assert_eq!(s, 428);
        change["owner_id"] = json!(999_999);
        let (s, e) = api
            .send_at(Method::PUT, &durl, 1, Some(change.clone()))
            .await;
        assert_eq!(s, 422);
        assert!(field(&e, "owner_id").contains("Choose an owner"), "{e}");
        change["owner_id"] = json!(t.maya);
        change["due"] = json!(yesterday);
        let (s, e) = api
            .send_at(Method::PUT, &durl, 1, Some(change.clone()))
            .await;
        assert_eq!(s, 422);
        assert!(
            field(&e, "due").contains("before the day it was decided"),
            "{e}"
        );
        change["due"] = json!(today().add_days(3).to_string());
        let (s, done) = api
            .send_at(Method::PUT, &durl, 1, Some(change.clone()))
            .await;
        assert_eq!(s, 200, "{done}");
        assert_eq!(
            (done["status"].as_str(), done["done_on"].as_str()),
            (Some("done"), Some(today().to_string().as_str()))
        );
        let (s, _) = api.send_at(Method::PUT, &durl, 1, Some(change)).await;
        assert_eq!(s, 412, "a stale version is refused");
        let (s, d) = api.get(&format!("/api/v1/decisions/{pause_id}")).await;
        assert_eq!((s, d["kind"].as_str()), (200, Some("pause")));

        // Two closes at once: exactly one wins, the other reads why.
        let (_, r) = api.get(&url).await;
        assert_eq!(r["review"]["decision_ids"], json!([pause_id]));
        let version = r["review"]["version"].as_i64().unwrap();
        let maya = t.maya;
        let close_url = format!("{url}/close");
        let close = |rating: i64| {
            api.send_at(
                Method::POST,
                &close_url,
                version,
                Some(json!({"ratings": [{"person_id": maya, "rating": rating}]})),
            )
        };
        let (s, e) = close(11).await;
        assert_eq!(s, 422, "{e}");
        let (a, b2) = tokio::join!(close(8), close(6));
        let mut statuses = [a.0, b2.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{a:?} {b2:?}");
        let lost = if a.0 == 409 { &a.1 } else { &b2.1 };
        assert!(
            lost["error"]["message"]
                .as_str()
                .unwrap()
                .contains("already closed"),
            "{lost}"
        );
        let (_, r) = api.get(&url).await;
        assert_eq!(r["review"]["status"], "closed");
        assert_eq!(
            r["agenda"],
            Value::Null,
            "a closed review keeps its record, not a new agenda"
        );
        assert_eq!(r["review"]["ratings"].as_array().unwrap().len(), 1);
        assert!(r["review"]["topics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "work"));
        // Closed: no more notes or decisions in it.
        let v = r["review"]["version"].as_i64().unwrap();
        let (s, e) = api
            .send_at(
                Method::PUT,
                &format!("{url}/notes"),
                v,
                Some(json!({"notes": [{"section": "blocked", "text": "late"}]})),
            )
            .await;
        assert_eq!(s, 409, "{e}");
        let (s, e) = api
            .send(Method::POST, "/api/v1/decisions",
                Some(json!({"what": "Late", "kind": "fix", "owner_id": t.maya, "due": today().add_days(2).to_string(), "review_id": id})))
            .await;
        assert_eq!(s, 409, "{e}");
        assert!(e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("This review is closed"));
        let (_, list) = api.get("/api/v1/reviews").await;
        assert!(list["reviews"][0]["average_rating"].as_f64().is_some());
        t.app.stop().await;
    }
);

keel_testkit::each_backend!(monthly_and_quarterly_reviews_have_their_own_agendas, |db| {
    let t = team(db).await;
    let api = &t.api;
    let (s, m) = api
        .send(
            Method::POST,
            "/api/v1/reviews",
            Some(json!({"kind": "monthly"})),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    assert_eq!(m["agenda"]["kind"], "monthly");
    let metrics = section(&m, "metrics").expect("metrics against targets");
    assert_eq!(metrics["items"][0]["flag"], "off target");
    assert_eq!(
        metrics["items"][0]["evidence"][0]["path"],
        format!("/w/acme/metrics/{}", t.metric)
    );
    let (s, q) = api
        .send(
            Method::POST,
            "/api/v1/reviews",
            Some(json!({"kind": "quarterly"})),
        )
        .await;
    assert_eq!(s, 201, "{q}");
    assert_eq!(q["agenda"]["kind"], "quarterly");
    assert!(section(&q, "capacity").is_some(), "{q}");
    let objectives = section(&q, "objectives").expect("objectives' progress");
    assert!(objectives.to_string().contains("Grow pipeline"));
    assert_eq!(
        api.send(
            Method::POST,
            "/api/v1/reviews",
            Some(json!({"kind": "yearly"}))
        )
        .await
        .0,
        422
    );
    let (_, list) = api.get("/api/v1/reviews").await;
    let kinds: Vec<&str> = list["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["quarterly", "monthly"]);
    t.app.stop().await;
});

#[tokio::test]
async fn a_viewer_reads_the_review_api_and_a_partner_meets_none_of_it() {
    let t = team(TestDb::sqlite().await).await;
    let ws = t
        .app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let (_, r) = t
        .api
        .send(
            Method::POST,
            "/api/v1/reviews",
            Some(json!({"kind": "weekly"})),
        )
        .await;
    let id = r["review"]["id"].as_i64().unwrap();
    let viewer = t.app.member(&ws, "viewer@acme.test", Role::Viewer).await;
    let partner = t.app.member(&ws, "agency@acme.test", Role::Partner).await;
    let viewer = Api::new(&t.app, &t.app.token(&ws, viewer, Role::Viewer).await);
    let partner = Api::new(&t.app, &t.app.token(&ws, partner, Role::Partner).await);
    let reads = [
        "/api/v1/review-cadences".to_string(),
        "/api/v1/reviews".into(),
        format!("/api/v1/reviews/{id}"),
        "/api/v1/decisions".into(),
    ];
    for path in &reads {
        assert_eq!(viewer.get(path).await.0, 200, "viewer on {path}");
        assert_eq!(partner.get(path).await.0, 404, "partner on {path}");
    }
    let decision =
        json!({"what": "Fix", "kind": "fix", "owner_id": t.maya, "due": today().to_string()});
    let (s, e) = viewer
        .send(Method::POST, "/api/v1/decisions", Some(decision.clone()))
        .await;
    assert_eq!(s, 403, "{e}");
    let (s, _) = viewer
        .send_at(
            Method::POST,
            &format!("/api/v1/reviews/{id}/close"),
            1,
            Some(json!({})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, _) = partner
        .send(Method::POST, "/api/v1/decisions", Some(decision))
        .await;
    assert_eq!(s, 404);
    t.app.stop().await;
}
