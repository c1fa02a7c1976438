//! The strategy stack through the API and the strategy page: layers with versions from 0,
//! the refusals that say what to change, roles, a partner's view, and the feedback cascade.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use reqwest::Method;
use serde_json::json;

keel_testkit::each_backend!(layers_are_set_through_the_api_with_their_version, |db| {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let mara = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
    let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
    let (s, st) = api.get("/api/v1/strategy").await;
    assert_eq!(s, 200, "{st}");
    let layers: Vec<&str> = st["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["layer"].as_str().unwrap())
        .collect();
    assert_eq!(layers, ["market", "business", "buyer", "tactics"]);
    assert_eq!(st["layers"][2]["stages"].as_array().unwrap().len(), 6);
    assert_eq!(st["layers"][1]["version"], 0);

    let body = json!({"layer": "business", "owner_id": mara, "cycle": "half-yearly",
        "last_reviewed": "2026-01-10", "revenue_goal": 2400000, "revenue_from": "2027-01-01",
        "revenue_to": "2027-12-31", "go_to_market": "Inside sales for mid-market"});
    let url = "/api/v1/strategy/layer";
    assert_eq!(api.send(Method::PUT, url, Some(body.clone())).await.0, 428);
    let (s, l) = api.send_at(Method::PUT, url, 0, Some(body.clone())).await;
    assert_eq!(
        (s, &l["version"], &l["review_due"]),
        (200, &json!(1), &json!("2026-07-10")),
        "{l}"
    );
    // Saved again from version 0: someone saved first.
    assert_eq!(
        api.send_at(Method::PUT, url, 0, Some(body.clone())).await.0,
        412
    );
    // A revenue goal on the market layer, and a period that ends before it starts.
    let (s, e) = api
        .send_at(
            Method::PUT,
            url,
            0,
            Some(json!({"layer": "market", "revenue_goal": 5})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "revenue_goal");
    let mut bad = body.clone();
    bad["revenue_to"] = json!("2026-06-30");
    let (s, e) = api.send_at(Method::PUT, url, 1, Some(bad)).await;
    assert_eq!(s, 422);
    assert!(
        e.to_string()
            .contains("The period must end after it starts."),
        "{e}"
    );
    let (_, st) = api.get("/api/v1/strategy").await;
    assert_eq!(st["layers"][1]["revenue_goal"], 2400000.0);

    // A viewer reads but does not write; a partner sees no layers at all.
    let viewer = app.member(&ws, "vic@acme.test", Role::Viewer).await;
    let vapi = Api::new(&app, &app.token(&ws, viewer, Role::Viewer).await);
    assert_eq!(vapi.get("/api/v1/strategy").await.0, 200);
    assert_eq!(
        vapi.send_at(Method::PUT, url, 1, Some(body.clone()))
            .await
            .0,
        403
    );
    let partner = app.member(&ws, "pix@agency.test", Role::Partner).await;
    let papi = Api::new(&app, &app.token(&ws, partner, Role::Partner).await);
    let (s, pst) = papi.get("/api/v1/strategy").await;
    assert_eq!(
        (s, pst["layers"].as_array().unwrap().len()),
        (200, 0),
        "{pst}"
    );
    assert!(!pst.to_string().contains("Inside sales"));
    assert_eq!(papi.send_at(Method::PUT, url, 1, Some(body)).await.0, 404);
    app.stop().await;
});

keel_testkit::each_backend!(
    the_strategy_page_shows_the_stack_and_what_faster_layers_learned,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let u = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", u).await;
        // A tactics metric (of a channel) below its target: the slower layers learn of it.
        let ch = app
            .store
            .create_channel(ws.id, &common::channel("Webinars"))
            .await
            .unwrap();
        let mut d = common::metric("Webinar sign-ups", None);
        d.channel_id = Some(ch.id);
        let metric = app.store.create_metric(ws.id, &d).await.unwrap();
        app.store
            .put_measurements(
                ws.id,
                metric.id,
                &[keel_domain::metric::MeasurementDraft {
                    period: keel_domain::Date::parse("2026-01-01").unwrap(),
                    value: 42.0,
                    note: None,
                }],
            )
            .await
            .unwrap();
        let b = app.sign_in("ana@acme.test").await;
        let (s, html) = b.text("/w/acme/strategy").await;
        assert_eq!(s, 200);
        let tactics = html.find("id=\"layer-tactics\"").unwrap();
        let market = html.find("id=\"layer-market\"").unwrap();
        assert!(tactics < market, "the fastest layer is at the top");
        assert!(
            html.contains("Unaware") && html.contains("Deciding"),
            "the six default stages"
        );
        let business = &html[html.find("id=\"layer-business\"").unwrap()..];
        assert!(
            business.contains("Learned since the last review")
                && business.contains("Webinar sign-ups")
        );

        // A review after the value: nothing new learned. A bad date keeps what was typed.
        let csrf = b.csrf("/w/acme/strategy").await;
        let form = |date: &'static str, version: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("layer", "business".to_string()),
                ("version", version.to_string()),
                ("owner_id", String::new()),
                ("cycle", "quarterly".to_string()),
                ("last_reviewed", date.to_string()),
                ("goals", "Grow <mid-market> revenue".to_string()),
            ]
        };
        let post = |f: Vec<(&'static str, String)>| {
            let b = &b;
            async move {
                let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                b.post_form("/w/acme/strategy/layer", &f).await
            }
        };
        let r = post(form("12/03/2026", "0")).await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Enter the date as YYYY-MM-DD")
                && html.contains("Grow &#60;mid-market&#62; revenue"),
            "{html}"
        );
        assert_eq!(post(form("2026-02-01", "0")).await.status(), 303);
        assert_eq!(post(form("2026-02-01", "0")).await.status(), 409);
        let (_, html) = b.text("/w/acme/strategy").await;
        let business = &html[html.find("id=\"layer-business\"").unwrap()
            ..html.find("id=\"layer-market\"").unwrap()];
        assert!(business.contains("Nothing learned upstream"), "{business}");

        // A decision about the channel (tactics), taken today: the business layer reads it,
        // on the page and in the API; the tactics layer does not learn from itself.
        let owner = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
        let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
        let (s, d) = api
            .send(
                Method::POST,
                "/api/v1/decisions",
                Some(
                    json!({"what": "Stop the webinar series", "kind": "stop", "owner_id": owner,
                            "due": "2099-01-31", "evidence": [{"kind": "channel", "id": ch.id}]}),
                ),
            )
            .await;
        assert_eq!(s, 201, "{d}");
        let (_, html) = b.text("/w/acme/strategy").await;
        let business = &html[html.find("id=\"layer-business\"").unwrap()
            ..html.find("id=\"layer-market\"").unwrap()];
        assert!(business.contains("Stop the webinar series"), "{business}");
        let (_, st) = api.get("/api/v1/strategy").await;
        let layer = |key: &str| {
            st["layers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["layer"] == key)
                .cloned()
                .unwrap()
        };
        assert_eq!(
            layer("business")["learned_decisions"][0]["what"],
            "Stop the webinar series"
        );
        assert_eq!(layer("business")["learned_decisions"][0]["from"], "tactics");
        assert_eq!(layer("tactics")["learned_decisions_total"], 0);
        app.stop().await;
    }
);
