//! Segments, personas with their message-map row, and programs, through the API and the forms:
//! versions, the refusals that say what to change, and a segment removed with its personas.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use reqwest::Method;
use serde_json::json;

fn fields(e: &serde_json::Value) -> Vec<String> {
    e["error"]["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["field"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

keel_testkit::each_backend!(stack_records_are_kept_through_the_api, |db| {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let agency = app.person(&ws, "Pixel Agency", PersonKind::Agency).await;
    let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);

    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/segments",
            Some(json!({"name": "Mid-market", "evidence": "12 interviews"})),
        )
        .await;
    assert_eq!(
        (s, fields(&e)),
        (422, vec!["evidence_date".to_string()]),
        "{e}"
    );
    let (s, seg) = api
        .send(Method::POST, "/api/v1/segments", Some(json!({"name": "Mid-market", "evidence": "12 interviews", "evidence_date": "2026-09-15"})))
        .await;
    assert_eq!(s, 201, "{seg}");
    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/personas",
            Some(json!({"segment_id": 999, "name": "Ops manager"})),
        )
        .await;
    assert_eq!((s, fields(&e)), (422, vec!["segment_id".to_string()]));
    let (s, p) = api
        .send(
            Method::POST,
            "/api/v1/personas",
            Some(json!({"segment_id": seg["id"], "name": "Ops manager", "primary": true})),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(p["messages"].as_array().unwrap().len(), 6);
    assert_eq!(p["messages"][0]["version"], 0);

    let url = format!("/api/v1/personas/{}/messages", p["id"]);
    let cell = json!({"stage": 1, "message": "Stops announce themselves", "proof_point": "3 of 4 stops had a warning"});
    assert_eq!(api.send(Method::PUT, &url, Some(cell.clone())).await.0, 428);
    let (s, row) = api.send_at(Method::PUT, &url, 0, Some(cell.clone())).await;
    assert_eq!(
        (s, &row["messages"][1]["version"]),
        (200, &json!(1)),
        "{row}"
    );
    assert_eq!(api.send_at(Method::PUT, &url, 0, Some(cell)).await.0, 412);
    let (s, e) = api
        .send_at(
            Method::PUT,
            &url,
            0,
            Some(json!({"stage": 7, "asset": "Guide"})),
        )
        .await;
    assert_eq!(
        (s, fields(&e)),
        (422, vec!["stage".to_string(), "message".to_string()]),
        "{e}"
    );

    let (s, e) = api
        .send(Method::POST, "/api/v1/programs", Some(json!({"name": "Nurture", "phase": "lead-nurturing", "owner_id": agency, "offer_ids": [5]})))
        .await;
    assert_eq!(
        (s, fields(&e)),
        (422, vec!["owner_id".to_string(), "offer_ids".to_string()])
    );
    let (s, prog) = api
        .send(
            Method::POST,
            "/api/v1/programs",
            Some(json!({"name": "Nurture", "phase": "lead-nurturing"})),
        )
        .await;
    assert_eq!(s, 201, "{prog}");
    let purl = format!("/api/v1/programs/{}", prog["id"]);
    let (s, prog) = api
        .send_at(
            Method::PUT,
            &purl,
            1,
            Some(json!({"name": "Nurture", "phase": "customer-marketing"})),
        )
        .await;
    assert_eq!((s, &prog["version"]), (200, &json!(2)));

    // Removing the segment removes its persona and the persona's row of the map.
    let surl = format!("/api/v1/segments/{}", seg["id"]);
    assert_eq!(api.send(Method::DELETE, &surl, None).await.0, 428);
    assert_eq!(api.send_at(Method::DELETE, &surl, 1, None).await.0, 204);
    let (_, st) = api.get("/api/v1/strategy").await;
    assert_eq!(st["personas"], json!([]));
    assert_eq!(st["programs"][0]["phase"], "customer-marketing");
    app.stop().await;
});

keel_testkit::each_backend!(
    the_forms_keep_what_was_typed_and_the_message_map_fills_in,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let u = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", u).await;
        let b = app.sign_in("ana@acme.test").await;
        let csrf = b.csrf("/w/acme/strategy/segments/new").await;
        let r = b
            .post_form(
                "/w/acme/strategy/segments",
                &[
                    ("csrf", &csrf),
                    ("name", "Food processors"),
                    ("version", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let seg = app.store.list_segments(ws.id).await.unwrap()[0]
            .id
            .to_string();
        // A persona without a name keeps what was typed and names the field.
        let r = b
            .post_form(
                "/w/acme/strategy/personas",
                &[
                    ("csrf", &csrf),
                    ("segment_id", &seg),
                    ("name", ""),
                    ("pains", "Audits take <a week>"),
                    ("version", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Enter the persona&#39;s name") || html.contains("Enter the persona"),
            "{html}"
        );
        assert!(html.contains("Audits take &#60;a week&#62;"), "{html}");
        let r = b
            .post_form(
                "/w/acme/strategy/personas",
                &[
                    ("csrf", &csrf),
                    ("segment_id", &seg),
                    ("name", "Quality manager"),
                    ("primary", "on"),
                    ("version", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let p = app.store.list_personas(ws.id).await.unwrap()[0].id;
        let (_, html) = b.text(&format!("/w/acme/strategy/personas/{p}")).await;
        assert_eq!(html.matches("badge warning\">empty").count(), 6, "{html}");
        let r = b
            .post_form(
                &format!("/w/acme/strategy/personas/{p}/messages"),
                &[
                    ("csrf", &csrf),
                    ("stage", "0"),
                    ("version", "0"),
                    ("message", "Audit-ready every day"),
                    ("proof_point", ""),
                    ("asset", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let r = b
            .post_form(
                &format!("/w/acme/strategy/personas/{p}/messages"),
                &[
                    ("csrf", &csrf),
                    ("stage", "0"),
                    ("version", "0"),
                    ("message", "Late"),
                    ("proof_point", ""),
                    ("asset", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 409);
        let (_, html) = b.text("/w/acme/strategy").await;
        assert!(
            html.contains("Audit-ready every day")
                && html.matches("badge warning\">empty").count() >= 5
        );
        // A viewer sees the persona but gets no form.
        app.member(&ws, "vic@acme.test", Role::Viewer).await;
        let v = app.sign_in("vic@acme.test").await;
        let (s, html) = v.text(&format!("/w/acme/strategy/personas/{p}")).await;
        assert!(s == 200 && !html.contains("/messages\""), "{html}");
        app.stop().await;
    }
);
