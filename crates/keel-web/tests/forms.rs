//! Forms keep what was typed, say what to fix, and never overwrite someone else's change.

mod common;

use common::TestApp;
use keel_domain::{PersonKind, Role};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_form_with_mistakes_keeps_what_was_typed_and_says_what_to_fix() {
    let app = TestApp::sqlite().await;
    let u = app.user("ana@acme.test", "Ana").await;
    app.workspace("acme", u).await;
    let b = app.sign_in("ana@acme.test").await;
    let r = b
        .post_form(
            "/w/acme/people",
            &[
                ("name", "Lena Ortiz"),
                ("kind", "agency"),
                ("organization", ""),
                ("weekly_capacity", "lots"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"Lena Ortiz\""));
    assert!(html.contains("value=\"lots\""));
    assert!(html.contains("Name the agency or company this external person works for."));
    assert!(html.contains("Enter weekly capacity as a number of hours"));
}

#[tokio::test]
async fn an_external_business_owner_is_refused_in_the_form() {
    let app = TestApp::sqlite().await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let agency = app.person(&ws, "Brightline Rep", PersonKind::Agency).await;
    let b = app.sign_in("ana@acme.test").await;
    let id = agency.to_string();
    let r = b
        .post_form(
            "/w/acme/functions",
            &[
                ("name", "Events"),
                ("sourcing", "external"),
                ("business_owner_id", &id),
                ("execution_owner_id", &id),
                ("weekly_hours", "4"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("they must be an internal person"), "{html}");
    assert!(html.contains("value=\"Events\""));
}

#[tokio::test]
async fn saving_over_someone_elses_change_shows_both_and_overwrites_nothing() {
    let app = TestApp::sqlite().await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let p = app.person(&ws, "Sam Lee", PersonKind::Internal).await;
    let b = app.sign_in("ana@acme.test").await;
    // Ana opens the form (version 1)…
    let (_, form) = b.text(&format!("/w/acme/people/{p}")).await;
    assert!(form.contains("name=\"version\" value=\"1\""));
    // …meanwhile a script changes the person…
    let api = common::Api::new(&app, &app.token(&ws, u, Role::Owner).await);
    let (s, _) = api
        .send_at(
            Method::PUT,
            &format!("/api/v1/people/{p}"),
            1,
            Some(json!({"name": "Samantha Lee", "kind": "internal", "weekly_capacity": 30})),
        )
        .await;
    assert_eq!(s, 200);
    // …and Ana saves her version 1 edit.
    let r = b
        .post_form(
            &format!("/w/acme/people/{p}"),
            &[
                ("version", "1"),
                ("name", "Sam Lee-Park"),
                ("kind", "internal"),
                ("weekly_capacity", "20"),
            ],
        )
        .await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("Someone else saved changes"));
    assert!(
        html.contains("Samantha Lee") && html.contains("Sam Lee-Park"),
        "both versions are shown"
    );
    assert!(
        html.contains("name=\"version\" value=\"2\""),
        "saving again is a deliberate overwrite of version 2"
    );
    assert_eq!(
        app.store.find_person(ws.id, p).await.unwrap().unwrap().name,
        "Samantha Lee"
    );
}
