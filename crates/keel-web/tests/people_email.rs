//! One email is one person in a workspace, through the API and the form, on every backend:
//! the second person is refused with the name of the first.

mod common;

use common::{Api, TestApp};
use keel_domain::Role;
use reqwest::Method;
use serde_json::json;

keel_testkit::each_backend!(a_duplicate_email_is_refused_naming_the_other_person, |db| {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
    let lena = json!({"name": "Lena Ortiz", "kind": "agency", "organization": "Brightline Media",
        "email": "lena@brightline.test", "weekly_capacity": 12});
    let (s, p) = api.send(Method::POST, "/api/v1/people", Some(lena)).await;
    assert_eq!(s, 201, "{p}");
    let twin = json!({"name": "L. Ortiz", "kind": "internal", "email": "Lena@Brightline.TEST",
        "weekly_capacity": 20});
    let (s, e) = api.send(Method::POST, "/api/v1/people", Some(twin)).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (422, Some("validation_failed")),
        "{e}"
    );
    assert_eq!(e["error"]["fields"][0]["field"], "email");
    assert!(
        e["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with(
                "Lena Ortiz (Brightline Media) already has the email lena@brightline.test"
            ),
        "{e}"
    );
    // Moving someone else onto the address is refused the same way; Lena keeps hers.
    let (_, tom) = api
        .send(
            Method::POST,
            "/api/v1/people",
            Some(json!({"name": "Tom", "kind": "internal", "weekly_capacity": 40})),
        )
        .await;
    let tom_url = format!("/api/v1/people/{}", tom["id"]);
    let (s, e) = api
        .send_at(
            Method::PUT,
            &tom_url,
            1,
            Some(json!({"name": "Tom", "kind": "internal",
            "email": "lena@brightline.test", "weekly_capacity": 40})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let lena_url = format!("/api/v1/people/{}", p["id"]);
    let (s, _) = api
        .send_at(Method::PUT, &lena_url, 1, Some(json!({"name": "Lena Ortiz", "kind": "agency",
            "organization": "Brightline Media", "email": "lena@brightline.test", "weekly_capacity": 14})))
        .await;
    assert_eq!(s, 200);

    // The form says the same and keeps what was typed.
    let b = app.sign_in("ana@acme.test").await;
    let r = b
        .post_form(
            "/w/acme/people",
            &[
                ("name", "Lena again"),
                ("kind", "internal"),
                ("email", "LENA@brightline.test"),
                ("weekly_capacity", "10"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Lena Ortiz (Brightline Media) already has the email"),
        "{html}"
    );
    assert!(html.contains("value=\"Lena again\""));
    let (_, list) = api.get("/api/v1/people").await;
    assert_eq!(list["people"].as_array().map(Vec::len), Some(2), "{list}");
    app.stop().await;
});
