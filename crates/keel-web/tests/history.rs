//! A move is recorded once, as the domain decided it, or not at all; text nobody types is
//! refused the same way on every backend.

mod api_team;
mod common;

use api_team::{campaign, item, mv, team, tick_all};
use common::{Api, TestApp};
use keel_domain::Role;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn an_override_is_the_decision_owners_and_is_written_once() {
    let t = team().await;
    let wf = campaign(&t).await;
    let id = item(&t, wf, "Spring webinar").await["id"].as_i64().unwrap();
    let override_ = json!({"action": "override", "reason": "The event date is fixed"});
    // A member who decides nothing cannot override, open gate or not.
    let (s, e) = mv(&t.member, id, override_.clone()).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (403, Some("forbidden")),
        "{e}"
    );
    tick_all(&t.api, id).await;
    let (s, e) = mv(&t.member, id, override_.clone()).await;
    assert_eq!(s, 403, "{e}");
    // An open gate is passed, not overridden, even by the decision owner.
    let (s, e) = mv(&t.api, id, override_.clone()).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (422, Some("refused")),
        "{e}"
    );
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("without an override"));
    let (s, _) = mv(&t.api, id, json!({"action": "advance"})).await;
    assert_eq!(s, 200);
    // A shut gate overridden by the decision owner: one line in the history, with the reason.
    let (s, i) = mv(&t.api, id, override_).await;
    assert_eq!(s, 200, "{i}");
    let (_, ev) = t.api.get(&format!("/api/v1/work/{id}/events")).await;
    let kinds: Vec<&str> = ev["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "advanced", "overridden"], "{ev}");
}

#[tokio::test]
async fn a_stale_move_records_nothing_not_even_an_approval() {
    let t = team().await;
    let wf = campaign(&t).await;
    let id = item(&t, wf, "Spring webinar").await["id"].as_i64().unwrap();
    let url = format!("/api/v1/work/{id}/moves");
    // Someone moved the item since version 1 was read…
    tick_all(&t.api, id).await;
    mv(&t.api, id, json!({"action": "block", "reason": "Legal"})).await;
    // …so an override made from version 1 is refused and leaves no approval behind.
    let (s, _) = t
        .api
        .send_at(
            Method::POST,
            &url,
            1,
            Some(json!({"action": "override", "reason": "Late"})),
        )
        .await;
    assert_eq!(s, 412);
    let (_, g) = t.api.get(&format!("/api/v1/work/{id}/gate")).await;
    assert_eq!(g["approved"], false, "{g}");
    let (_, ev) = t.api.get(&format!("/api/v1/work/{id}/events")).await;
    assert_eq!(ev["events"].as_array().unwrap().len(), 2, "{ev}");
}

// A NUL byte or an escape code in any text answers 422 naming the field, on SQLite and
// PostgreSQL alike (PostgreSQL used to answer 500).
keel_testkit::each_backend!(
    control_characters_are_refused_the_same_on_every_backend,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let u = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", u).await;
        let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
        let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/people",
            Some(json!({"name": "Ana", "kind": "agency", "organization": "Bright\u{0}line", "title": "Lead"})),
        )
        .await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["error"]["fields"][0]["field"], "organization");
        let (s, e) = api
            .send(
                Method::POST,
                "/api/v1/people",
                Some(json!({"name": "Ana", "kind": "internal", "title": "\u{1b}[31mLead"})),
            )
            .await;
        assert_eq!(
            (s, e["error"]["fields"][0]["field"].as_str()),
            (422, Some("title"))
        );
        let f = &api.get("/api/v1/functions").await.1["functions"][0];
        let (s, e) = api
        .send_at(
            Method::PUT,
            &format!("/api/v1/functions/{}", f["id"]),
            f["version"].as_i64().unwrap(),
            Some(json!({"name": f["name"], "sourcing": "internal", "description": "Owns\u{0}it"})),
        )
        .await;
        assert_eq!(
            (s, e["error"]["fields"][0]["field"].as_str()),
            (422, Some("description")),
            "{e}"
        );
        app.stop().await;
    }
);
