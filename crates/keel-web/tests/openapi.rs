//! The OpenAPI document is locked by a snapshot: an API change is a visible file change.
//! Regenerate with `KEEL_UPDATE_SNAPSHOTS=1 cargo test -p keel-web --test openapi`.

mod common;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let now = serde_json::to_string_pretty(&keel_web::api::document()).unwrap() + "\n";
    assert!(now.contains("\"openapi\": \"3.1.0\""));
    if std::env::var("KEEL_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(SNAPSHOT, &now).unwrap();
    }
    let locked = std::fs::read_to_string(SNAPSHOT).unwrap_or_default();
    assert!(
        locked == now,
        "the OpenAPI document changed; review it and run with KEEL_UPDATE_SNAPSHOTS=1 to accept"
    );
}

#[test]
fn every_api_route_is_documented_and_every_documented_path_is_served() {
    let doc = serde_json::to_value(keel_web::api::document()).unwrap();
    let documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), p.clone()))
        })
        .collect();
    let served: Vec<(String, String)> = keel_web::routes::all()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v1/") && r.path != "/api/v1/openapi.json")
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    for s in &served {
        assert!(
            documented.contains(s),
            "{s:?} is served but not in the OpenAPI document"
        );
    }
    for d in &documented {
        assert!(served.contains(d), "{d:?} is documented but not served");
    }
}

#[tokio::test]
async fn the_document_and_the_reference_page_are_served_from_the_binary() {
    let app = common::TestApp::sqlite().await;
    let doc: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["info"]["title"], "keel API");
    let page = reqwest::get(app.url("/api"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("GET /api/v1/people") && page.contains("list_people"));
    assert!(
        !page.contains("http://cdn") && !page.contains("https://"),
        "the reference page loads something from outside"
    );
}

/// The document says what the server holds (api::exact), so schemathesis' checks can hold
/// it to it: every change to an editable record requires `If-Match` with its pattern and
/// documents 412 and 428; ids in paths start at 1; emails have the parser's shape.
#[test]
fn the_document_says_exactly_what_the_server_accepts() {
    let doc = keel_web::api::document();
    let mut changes = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            for p in &params {
                if p["in"] == "path" && (p["name"] == "id" || p["name"] == "dep") {
                    assert_eq!(p["schema"]["minimum"], 1, "{method} {path}: {p}");
                }
            }
            // Every record changed or removed by id names the version it was read at; revoking a
            // token or an invitation (a single-use secret, nothing to overwrite) does not.
            let credential = path.contains("/tokens/") || path.contains("/invites/");
            let editable =
                !credential && path.ends_with("{id}") && (method == "put" || method == "delete");
            let moves =
                method == "post" && (path.ends_with("/moves") || path.ends_with("/approvals"));
            if editable || moves {
                changes += 1;
                let m = params
                    .iter()
                    .find(|p| p["name"] == "If-Match")
                    .unwrap_or_else(|| panic!("{method} {path} has no If-Match"));
                assert_eq!(m["required"], true, "{method} {path}");
                assert_eq!(m["schema"]["pattern"], r#"^(W/)?"[0-9]+"$"#);
                for code in ["412", "428"] {
                    assert!(
                        op["responses"].get(code).is_some(),
                        "{method} {path}: no {code}"
                    );
                }
            }
        }
    }
    // Members, people, functions, workflows, work, commitments, objectives, priorities,
    // channels, offers, metrics, leads...: at least these when this was written.
    assert!(
        changes >= 25,
        "only {changes} changes by id, moves and approvals"
    );
    let email = &doc["components"]["schemas"]["PersonBody"]["properties"]["email"];
    assert!(
        email["anyOf"][0]["pattern"].as_str().unwrap().contains('@'),
        "{email}"
    );
    let name = &doc["components"]["schemas"]["TokenBody"]["properties"]["name"];
    assert!(
        name["pattern"].as_str().unwrap().contains(r"\u0000"),
        "{name}"
    );
}
