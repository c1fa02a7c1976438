//! Offers through the API and the pages: channels checked against the workspace's, versions,
//! the form that keeps what was typed.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use reqwest::Method;
use serde_json::json;

keel_testkit::each_backend!(an_offer_is_kept_with_its_channels_and_version, |db| {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let mara = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
    let agency = app.person(&ws, "Pixel Agency", PersonKind::Agency).await;
    let search = app
        .store
        .create_channel(ws.id, &common::channel("Paid search"))
        .await
        .unwrap()
        .id;
    let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
    let body = json!({"name": "ROI assessment", "kind": "assessment", "status": "active",
                      "audience": "Operations leads at mid-market manufacturers",
                      "owner_id": mara, "channel_ids": [search]});
    let (s, o) = api
        .send(Method::POST, "/api/v1/offers", Some(body.clone()))
        .await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["channel_ids"], json!([search]));
    let url = format!("/api/v1/offers/{}", o["id"]);
    // Bad input: an external owner and a channel that is not the workspace's.
    let mut bad = body.clone();
    bad["owner_id"] = json!(agency);
    bad["channel_ids"] = json!([search, 999]);
    let (s, e) = api.send_at(Method::PUT, &url, 1, Some(bad)).await;
    assert_eq!(s, 422, "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["owner_id", "channel_ids"]);
    assert_eq!(api.send(Method::PUT, &url, Some(body.clone())).await.0, 428);
    let mut none = body.clone();
    none["channel_ids"] = json!([]);
    let (s, o2) = api.send_at(Method::PUT, &url, 1, Some(none)).await;
    assert_eq!(
        (s, &o2["version"], &o2["channel_ids"]),
        (200, &json!(2), &json!([]))
    );
    assert_eq!(api.send_at(Method::DELETE, &url, 1, None).await.0, 412);

    // The page: ticked channels are kept, a mistake keeps what was typed.
    let b = app.sign_in("ana@acme.test").await;
    let csrf = b.csrf("/w/acme/offers/new").await;
    let search = search.to_string();
    let r = b
        .post_form(
            "/w/acme/offers",
            &[
                ("csrf", &csrf),
                ("name", "Product demo"),
                ("kind", "coupon"),
                ("status", "active"),
                ("owner_id", ""),
                ("audience", "IT buyers"),
                ("channel_ids", &search),
                ("version", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Choose demo, trial") && html.contains("value=\"IT buyers\""));
    assert!(
        html.contains(&format!("value=\"{search}\" checked")),
        "{html}"
    );
    let r = b
        .post_form(
            "/w/acme/offers",
            &[
                ("csrf", &csrf),
                ("name", "Product demo"),
                ("kind", "demo"),
                ("status", "active"),
                ("owner_id", ""),
                ("audience", ""),
                ("channel_ids", &search),
                ("version", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, list) = b.text("/w/acme/offers").await;
    assert!(
        list.contains("Product demo") && list.contains("Paid search"),
        "{list}"
    );
    app.stop().await;
});
