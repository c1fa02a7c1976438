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
