//! The JSON API as a script meets it: envelope, status codes, versions, limits, concurrency.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use keel_testkit::TestDb;
use reqwest::Method;
use serde_json::json;

async fn setup(db: TestDb) -> (TestApp, Api) {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let token = app.token(&ws, u, Role::Owner).await;
    let api = Api::new(&app, &token);
    (app, api)
}

// Creating, reading, updating and deleting a person, on every backend.
keel_testkit::each_backend!(people_can_be_created_read_updated_and_deleted, |db| {
    let (app, api) = setup(db).await;
    let (s, p) = api.send(Method::POST, "/api/v1/people", Some(json!({"name": "Lena Ortiz", "kind": "agency", "organization": "Brightline Media", "weekly_capacity": 12.5}))).await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(
        (p["external"].as_bool(), p["version"].as_i64()),
        (Some(true), Some(1))
    );
    let id = p["id"].as_i64().unwrap();
    let r = api
        .req(Method::GET, &format!("/api/v1/people/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["etag"], "\"1\"");
    // A change without the version it was made from is refused, and changes nothing.
    let body = json!({"name": "Lena Ortiz", "kind": "freelancer", "organization": "Self-employed"});
    let (s, e) = api
        .send(
            Method::PUT,
            &format!("/api/v1/people/{id}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (428, Some("precondition_required"))
    );
    let (s, e) = api
        .send(Method::DELETE, &format!("/api/v1/people/{id}"), None)
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (428, Some("precondition_required"))
    );
    let (s, p) = api
        .send_at(Method::PUT, &format!("/api/v1/people/{id}"), 1, Some(body))
        .await;
    assert_eq!((s, p["version"].as_i64()), (200, Some(2)));
    let (_, list) = api.get("/api/v1/people").await;
    assert_eq!(list["people"].as_array().unwrap().len(), 1);
    let (s, _) = api
        .send_at(Method::DELETE, &format!("/api/v1/people/{id}"), 2, None)
        .await;
    assert_eq!(s, 204);
    assert_eq!(api.get(&format!("/api/v1/people/{id}")).await.0, 404);
    app.stop().await;
});

#[tokio::test]
async fn a_stale_if_match_gets_412_and_nothing_is_lost() {
    let (_app, api) = setup(TestDb::sqlite().await).await;
    let (_, p) = api
        .send(
            Method::POST,
            "/api/v1/people",
            Some(json!({"name": "Ana", "kind": "internal"})),
        )
        .await;
    let url = format!("/api/v1/people/{}", p["id"]);
    let first = api
        .req(Method::PUT, &url)
        .header("if-match", "\"1\"")
        .json(&json!({"name": "Ana B", "kind": "internal"}))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 200);
    let second = api
        .req(Method::PUT, &url)
        .header("if-match", "\"1\"")
        .json(&json!({"name": "Ana C", "kind": "internal"}))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 412);
    let body: serde_json::Value = second.json().await.unwrap();
    assert_eq!(body["error"]["code"], "version_mismatch");
    assert_eq!(api.get(&url).await.1["name"], "Ana B");
    let del = api
        .req(Method::DELETE, &url)
        .header("if-match", "\"1\"")
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 412);
}

#[tokio::test]
async fn bad_input_gets_one_envelope_with_the_right_status() {
    let (app, api) = setup(TestDb::sqlite().await).await;
    // Field errors, all at once, in plain words.
    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/people",
            Some(json!({"name": " ", "kind": "robot", "weekly_capacity": -3})),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["code"], "validation_failed");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "kind", "weekly_capacity"]);
    // Unknown fields are refused by name.
    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/people",
            Some(json!({"name": "A", "kind": "internal", "colour": "blue"})),
        )
        .await;
    assert_eq!(s, 422);
    assert!(
        e["error"]["message"].as_str().unwrap().contains("colour"),
        "{e}"
    );
    // Not JSON at all.
    let r = api
        .req(Method::POST, "/api/v1/people")
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Too large.
    let big = "x".repeat(2 * 1024 * 1024);
    let r = api
        .req(Method::POST, "/api/v1/people")
        .json(&json!({"name": big, "kind": "internal"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "payload_too_large");
    // No token, a bad token, a revoked token.
    let r = reqwest::get(app.url("/api/v1/people")).await.unwrap();
    assert_eq!(r.status(), 401);
    let bad = Api::new(&app, "keel_0000");
    assert_eq!(bad.get("/api/v1/people").await.0, 401);
    // Unknown id and unknown endpoint.
    assert_eq!(api.get("/api/v1/people/999999").await.0, 404);
    assert_eq!(api.get("/api/v1/people/abc").await.0, 404);
    let (s, e) = api.get("/api/v1/nothing-here").await;
    assert_eq!((s, e["error"]["code"].as_str()), (404, Some("not_found")));
}

#[tokio::test]
async fn an_external_business_owner_is_refused_with_the_reason() {
    let (app, api) = setup(TestDb::sqlite().await).await;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let agency = app.person(&ws, "Brightline", PersonKind::Agency).await;
    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/functions",
            Some(json!({"name": "Events", "sourcing": "external", "business_owner_id": agency})),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["fields"][0]["field"], "business_owner_id");
    assert!(e["error"]["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("internal person"));
    // As execution owner the agency is fine; a duplicate name is a 409.
    let (s, _) = api
        .send(
            Method::POST,
            "/api/v1/functions",
            Some(json!({"name": "Events", "sourcing": "external", "execution_owner_id": agency})),
        )
        .await;
    assert_eq!(s, 201);
    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/functions",
            Some(json!({"name": "Events", "sourcing": "external"})),
        )
        .await;
    assert_eq!((s, e["error"]["code"].as_str()), (409, Some("conflict")));
}

#[tokio::test]
async fn health_and_ownership_answer_from_the_same_rules_as_the_pages() {
    let (app, api) = setup(TestDb::sqlite().await).await;
    let (s, h) = api.get("/api/v1/health").await;
    assert_eq!(s, 200);
    // A new workspace's eight catalogue functions have no owners yet.
    assert_eq!(h["errors"], 8);
    assert_eq!(h["findings"][0]["rule"], "function.no-business-owner");
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let p = app.person(&ws, "Ana", PersonKind::Internal).await;
    let f = app.store.list_functions(ws.id).await.unwrap()[0].clone();
    let (s, _) = api.send_at(Method::PUT, &format!("/api/v1/functions/{}", f.id), f.version, Some(json!({"name": f.name, "sourcing": "internal", "business_owner_id": p, "execution_owner_id": p, "weekly_hours": 30}))).await;
    assert_eq!(s, 200);
    let (_, o) = api.get("/api/v1/ownership").await;
    let ana = &o["people"][0];
    assert_eq!(
        (ana["load_hours"].as_f64(), ana["over_capacity"].as_bool()),
        (Some(30.0), Some(true))
    );
    let (_, h) = api.get("/api/v1/health").await;
    assert_eq!(h["errors"], 7);
    assert!(h.to_string().contains("person.over-capacity"));
}

/// Eight scripts writing at once to SQLite: no "database is locked", no lost write.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_concurrent_writers_lose_nothing_on_sqlite() {
    let (app, api) = setup(TestDb::sqlite().await).await;
    let mut tasks = Vec::new();
    for w in 0..8 {
        let client = api.client.clone();
        let (base, token) = (api.base.clone(), api.token.clone());
        tasks.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            for i in 0..200 {
                let r = client
                    .post(format!("{base}/api/v1/people"))
                    .bearer_auth(&token)
                    .json(&json!({"name": format!("Writer {w} person {i}"), "kind": "internal", "weekly_capacity": 1}))
                    .send()
                    .await
                    .unwrap();
                if r.status() != 201 {
                    failures.push(format!("{}: {}", r.status(), r.text().await.unwrap_or_default()));
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for t in tasks {
        failures.extend(t.await.unwrap());
    }
    assert!(
        failures.is_empty(),
        "{} failed writes, first: {:?}",
        failures.len(),
        failures.first()
    );
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.store.list_people(ws.id).await.unwrap().len(), 1600);
}

#[tokio::test]
async fn lists_come_a_page_at_a_time() {
    let (app, api) = setup(TestDb::sqlite().await).await;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    for i in 0..5 {
        app.person(&ws, &format!("Person {i}"), PersonKind::Internal)
            .await;
    }
    let (s, first) = api.get("/api/v1/people?limit=2").await;
    assert_eq!(s, 200);
    assert_eq!(first["people"].as_array().unwrap().len(), 2);
    assert_eq!(first["next_offset"], 2);
    let (_, last) = api.get("/api/v1/people?limit=2&offset=4").await;
    assert_eq!(last["people"][0]["name"], "Person 4");
    assert!(last["next_offset"].is_null());
    let (s, e) = api.get("/api/v1/people?limit=0").await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (400, Some("invalid_query"))
    );
    assert_eq!(api.get("/api/v1/functions?limit=abc").await.0, 400);
    let (_, fs) = api.get("/api/v1/functions?limit=3").await;
    assert_eq!(
        (
            fs["functions"].as_array().unwrap().len(),
            fs["next_offset"].as_i64()
        ),
        (3, Some(3))
    );
}

/// JSON Schema's integers include `7.0`; the API reads an integral number as the integer it is
/// (schemathesis sends them, and a script computing ids in floating point may too).
#[tokio::test]
async fn an_integral_number_is_an_integer() {
    let (app, api) = setup(TestDb::sqlite().await).await;
    let (_, members) = api.get("/api/v1/members").await;
    let user = members["members"][0]["user_id"].as_i64().unwrap();
    let (s, p) = api
        .send(
            Method::POST,
            "/api/v1/people",
            Some(json!({"name": "Ana", "kind": "internal", "user_id": user as f64, "weekly_capacity": 40})),
        )
        .await;
    assert_eq!((s, p["user_id"].as_i64()), (201, Some(user)), "{p}");
    let (s, e) = api
        .send(
            Method::POST,
            "/api/v1/people",
            Some(json!({"name": "Ana", "kind": "internal", "user_id": 1.5})),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (422, Some("invalid_body")),
        "{e}"
    );
    app.stop().await;
}

/// `If-Match` is exactly an ETag, as the document's pattern says: a bare number or anything
/// else cannot match and changes nothing (412).
#[tokio::test]
async fn if_match_is_an_etag_or_nothing_matches() {
    let (app, api) = setup(TestDb::sqlite().await).await;
    let (_, p) = api
        .send(
            Method::POST,
            "/api/v1/people",
            Some(json!({"name": "Lena", "kind": "internal"})),
        )
        .await;
    let url = format!("/api/v1/people/{}", p["id"]);
    let body = json!({"name": "Lena Ortiz", "kind": "internal"});
    for bad in ["1", "\"1", "\"\"", "W/1", "\"+1\"", "\"1 \""] {
        let r = api
            .req(Method::PUT, &url)
            .header("if-match", bad)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 412, "If-Match: {bad}");
    }
    for good in ["W/\"1\"", "\"2\""] {
        let r = api
            .req(Method::PUT, &url)
            .header("if-match", good)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "If-Match: {good}");
    }
    app.stop().await;
}
