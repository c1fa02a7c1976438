//! Webhook delivery, end to end on both backends: a local receiver (an axum server on port 0)
//! gets the events a change causes, signed with the secret the API showed once; a receiver
//! that fails twice gets the same delivery a third time and the log says so; two keel nodes
//! on one database deliver each event once.

mod common;
#[path = "webhook_receiver/mod.rs"]
mod receiver;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use keel_testkit::TestDb;
use keel_web::webhooks::sign;
use receiver::Receiver;
use reqwest::Method;
use serde_json::json;

async fn owner_api(app: &TestApp) -> (keel_store::Workspace, Api) {
    let owner = app.user("owner@a.test", "Olga Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let api = Api::new(app, &app.token(&ws, owner, Role::Owner).await);
    (ws, api)
}

async fn subscribe(api: &Api, url: &str, types: &[&str]) -> (i64, String) {
    let (s, body) = api
        .send(
            Method::POST,
            "/api/v1/webhooks",
            Some(json!({"url": url, "description": "Launch feed", "event_types": types})),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    let secret = body["secret"]
        .as_str()
        .expect("the secret, once")
        .to_string();
    assert!(secret.starts_with("whsec_"));
    (body["id"].as_i64().unwrap(), secret)
}

/// The newest delivery of webhook `id` once its status is `status` (or as it is after `secs`).
async fn newest_when(api: &Api, id: i64, status: &str, secs: u64) -> serde_json::Value {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        let (_, log) = api.get(&format!("/api/v1/webhooks/{id}/deliveries")).await;
        let d = log["deliveries"][0].clone();
        if d["status"] == status || std::time::Instant::now() > until {
            return d;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

keel_testkit::each_backend!(
    a_change_reaches_a_local_receiver_signed_with_the_secret,
    |db| {
        let app = TestApp::start(db, receiver::config()).await;
        let (ws, api) = owner_api(&app).await;
        let hook = Receiver::start(&[]).await;
        let (id, secret) = subscribe(&api, &hook.url, &["work.blocked", "work.moved"]).await;
        // The secret is never shown again.
        let (_, again) = api.get(&format!("/api/v1/webhooks/{id}")).await;
        assert!(again.get("secret").is_none(), "{again}");
        assert!(!again.to_string().contains(&secret));

        let lead = app.person(&ws, "Lead Internal", PersonKind::Internal).await;
        let wf = app.workflow(&ws, "Campaign launch", lead).await;
        let item = app.work(&ws, wf, "Spring webinar", Some(lead)).await;
        let (s, b) = api
            .send_at(
                Method::POST,
                &format!("/api/v1/work/{item}/moves"),
                1,
                Some(json!({"action": "block", "reason": "Waiting for legal"})),
            )
            .await;
        assert_eq!(s, 200, "{b}");

        let got = hook.wait_for(1, 15).await;
        assert_eq!(got.len(), 1, "one event, one delivery");
        let r = &got[0];
        let now = keel_web::time_fmt::now();
        assert!(
            sign::verify(&secret, &r.header("keel-signature"), &r.body, now, 300),
            "signature {} does not verify",
            r.header("keel-signature")
        );
        assert!(!sign::verify(
            "whsec_wrong",
            &r.header("keel-signature"),
            &r.body,
            now,
            300
        ));
        assert_eq!(r.header("keel-event"), "work.blocked");
        assert_eq!(r.header("content-type"), "application/json");
        let body = r.json();
        assert_eq!(body["type"], "work.blocked");
        assert!(body["id"].as_str().unwrap().starts_with("evt_"));
        assert_eq!(body["workspace"]["slug"], "alpha");
        assert_eq!(body["data"]["work"]["id"], item);
        assert_eq!(body["data"]["work"]["title"], "Spring webinar");
        assert_eq!(body["data"]["work"]["status"], "blocked");
        assert_eq!(body["data"]["work"]["blocked_reason"], "Waiting for legal");
        assert_eq!(body["data"]["move"]["kind"], "blocked");

        // The log says delivered, with the receiver's answer, and names the same delivery.
        let d = &newest_when(&api, id, "delivered", 10).await;
        assert_eq!(d["status"], "delivered", "{d}");
        assert_eq!(
            r.header("keel-delivery"),
            d["id"].as_i64().unwrap().to_string()
        );
        assert_eq!(d["event_id"], body["id"]);
        assert_eq!(
            (d["attempts"].as_i64(), d["last_status_code"].as_i64()),
            (Some(1), Some(200))
        );
        assert!(d["last_duration_ms"].is_i64());
        assert!(d["next_attempt_at"].is_null());
        assert_eq!(app.store.webhook_queue_depth().await.unwrap(), 0);
        hook.stop();
        app.stop().await;
    }
);

keel_testkit::each_backend!(a_receiver_that_fails_twice_gets_it_the_third_time, |db| {
    let config = keel_web::Config {
        metrics_token: Some("a-metrics-token-for-tests".into()),
        ..receiver::config()
    };
    let app = TestApp::start(db, config).await;
    let (_, api) = owner_api(&app).await;
    let hook = Receiver::start(&[500, 503]).await;
    let (id, secret) = subscribe(&api, &hook.url, &["work.launched"]).await;
    let (s, queued) = api
        .send(Method::POST, &format!("/api/v1/webhooks/{id}/test"), None)
        .await;
    assert_eq!(s, 202, "{queued}");
    assert_eq!(queued["event_type"], "ping");

    let got = hook.wait_for(3, 20).await;
    assert_eq!(got.len(), 3, "two failures, then the success");
    let delivery = queued["id"].as_i64().unwrap().to_string();
    for r in &got {
        assert_eq!(
            r.header("keel-delivery"),
            delivery,
            "the same delivery each time"
        );
        assert_eq!(r.header("keel-event"), "ping");
        let t: i64 = r.header("keel-signature")[2..12].parse().unwrap();
        assert!(sign::verify(
            &secret,
            &r.header("keel-signature"),
            &r.body,
            t,
            0
        ));
    }
    // The body is the same event every time; only the signature's moment moves.
    assert_eq!(got[0].body, got[2].body);

    let d = newest_when(&api, id, "delivered", 10).await;
    assert_eq!(d["status"], "delivered", "{d}");
    assert_eq!(
        (d["attempts"].as_i64(), d["last_status_code"].as_i64()),
        (Some(3), Some(200))
    );
    assert!(d["last_error"].is_null());
    // No more attempts come.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(hook.got().len(), 3);

    // The outcomes are counted for monitoring, and the queue is empty.
    let text = reqwest::Client::new()
        .get(app.url("/metrics"))
        .bearer_auth("a-metrics-token-for-tests")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "keel_webhook_deliveries_total{outcome=\"retrying\"} 2",
        "keel_webhook_deliveries_total{outcome=\"delivered\"} 1",
        "keel_webhook_deliveries_total{outcome=\"failed\"} 0",
        "keel_webhook_queue_depth 0",
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
    hook.stop();
    app.stop().await;
});

keel_testkit::each_backend!(
    a_receiver_that_never_answers_well_is_given_up_and_can_be_sent_again,
    |db| {
        let app = TestApp::start(db, receiver::config()).await;
        let (_, api) = owner_api(&app).await;
        let hook = Receiver::start(&[500, 500, 500, 302]).await;
        let (id, _) = subscribe(&api, &hook.url, &["work.moved"]).await;
        let (_, queued) = api
            .send(Method::POST, &format!("/api/v1/webhooks/{id}/test"), None)
            .await;
        let did = queued["id"].as_i64().unwrap();
        // Four attempts: at once and after each of the three one-second delays.
        let d = newest_when(&api, id, "failed", 20).await;
        assert_eq!(d["status"], "failed", "{d}");
        assert_eq!(hook.got().len(), 4);
        assert_eq!(
            (d["attempts"].as_i64(), d["last_status_code"].as_i64()),
            (Some(4), Some(302))
        );
        assert!(
            d["last_error"]
                .as_str()
                .unwrap()
                .contains("does not follow redirects"),
            "{d}"
        );
        // Sent again on request: same delivery, a fresh round; this time it is taken.
        let (s, r) = api
            .send(
                Method::POST,
                &format!("/api/v1/webhooks/{id}/deliveries/{did}/redeliver"),
                None,
            )
            .await;
        assert_eq!(s, 202, "{r}");
        assert_eq!(
            (r["status"].as_str(), r["attempts"].as_i64()),
            (Some("pending"), Some(0))
        );
        let got = hook.wait_for(5, 10).await;
        assert_eq!(got.len(), 5);
        assert_eq!(got[4].header("keel-delivery"), did.to_string());
        assert_eq!(
            newest_when(&api, id, "delivered", 10).await["status"],
            "delivered"
        );
        hook.stop();
        app.stop().await;
    }
);

/// A second keel node on the database of `db`, serving on port 0 until aborted.
async fn second_node(db: &TestDb) -> tokio::task::JoinHandle<()> {
    let store = keel_store::Store::open(&db.url).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    tokio::spawn(async move {
        keel_web::serve(listener, store, receiver::config())
            .await
            .unwrap();
    })
}

keel_testkit::each_backend!(two_nodes_on_one_database_deliver_each_event_once, |db| {
    let other = second_node(&db).await;
    let app = TestApp::start(db, receiver::config()).await;
    let (ws, api) = owner_api(&app).await;
    let hook = Receiver::start(&[]).await;
    let (id, _) = subscribe(&api, &hook.url, &["workflow.changed"]).await;
    // Thirty events at once: workflows saved, each one event.
    let lead = app.person(&ws, "Lead Internal", PersonKind::Internal).await;
    for i in 0..30 {
        app.workflow(&ws, &format!("Campaign {i}"), lead).await;
    }
    let got = hook.wait_for(30, 30).await;
    // Give a double delivery time to show up.
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    let got_now = hook.got();
    assert_eq!(got.len(), 30);
    assert_eq!(got_now.len(), 30, "an event was delivered twice");
    let mut ids: Vec<String> = got_now.iter().map(|r| r.header("keel-delivery")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 30, "each delivery exactly once");
    let log = app
        .store
        .list_deliveries(ws.id, id, None, 100)
        .await
        .unwrap();
    assert_eq!(log.len(), 30);
    assert!(log
        .iter()
        .all(|d| d.attempts == 1 && d.status == keel_domain::webhook::DeliveryStatus::Delivered));
    other.abort();
    hook.stop();
    app.stop().await;
});
