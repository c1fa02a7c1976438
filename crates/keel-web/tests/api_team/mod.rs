//! The team the workflow and work API tests act as, with the calls they share: an SOP body,
//! the fields an error names, writes with `If-Match`, moves and checklist ticks, a campaign
//! workflow and work items in it.
#![allow(dead_code)]

use crate::common::{Api, TestApp};
use keel_domain::{PersonDraft, PersonKind, Role};
use reqwest::Method;
use serde_json::{json, Value};

pub struct Team {
    pub app: TestApp,
    /// The owner's token; the owner is Maya, the decision owner.
    pub api: Api,
    /// A member who decides nothing.
    pub member: Api,
    pub maya: i64,
    pub ines: i64,
    pub tom: i64,
}

pub async fn team() -> Team {
    let app = TestApp::sqlite().await;
    let owner = app.user("maya@acme.test", "Maya").await;
    let ws = app.workspace("acme", owner).await;
    let member = app.member(&ws, "ines@acme.test", Role::Member).await;
    let maya = app
        .store
        .create_person(
            ws.id,
            &PersonDraft {
                name: "Maya".into(),
                kind: PersonKind::Internal,
                organization: None,
                title: None,
                email: None,
                weekly_capacity: 30.0,
                user_id: Some(owner),
            },
        )
        .await
        .unwrap()
        .id;
    let ines = app.person(&ws, "Ines", PersonKind::Internal).await;
    let tom = app.person(&ws, "Tom", PersonKind::Agency).await;
    let api = Api::new(&app, &app.token(&ws, owner, Role::Owner).await);
    let member = Api::new(&app, &app.token(&ws, member, Role::Member).await);
    Team {
        app,
        api,
        member,
        maya,
        ines,
        tom,
    }
}

pub fn sop(t: &Team, name: &str) -> Value {
    json!({
        "name": name,
        "purpose": "Publish one useful article a week.",
        "inputs": [{"name": "Topic list", "owner_id": t.maya}],
        "quality_standard": "Fact-checked, one clear call to action.",
        "roles": [
            {"person_id": t.maya, "role": "decision_owner"},
            {"person_id": t.tom, "role": "execution_owner"},
            {"person_id": t.ines, "role": "review_owner"}
        ],
        "stages": [
            {"name": "Draft", "checklist": ["Outline agreed"]},
            {"name": "Publish", "checklist": [], "needs_approval": false}
        ]
    })
}

pub fn fields(e: &Value) -> Vec<String> {
    e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect()
}

pub async fn send_if_match(
    api: &Api,
    method: Method,
    path: &str,
    version: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut rb = api.req(method, path).header("if-match", version);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

/// Moves an item at its current version.
pub async fn mv(api: &Api, id: i64, body: Value) -> (u16, Value) {
    let (_, item) = api.get(&format!("/api/v1/work/{id}")).await;
    let v = format!("\"{}\"", item["version"]);
    send_if_match(
        api,
        Method::POST,
        &format!("/api/v1/work/{id}/moves"),
        &v,
        Some(body),
    )
    .await
}

pub async fn tick_all(api: &Api, id: i64) {
    let (_, gate) = api.get(&format!("/api/v1/work/{id}/gate")).await;
    for c in gate["checklist"].as_array().unwrap() {
        let (s, g) = api
            .send(
                Method::PUT,
                &format!("/api/v1/work/{id}/checks/{}", c["index"]),
                Some(json!({"done": true})),
            )
            .await;
        assert_eq!(s, 200, "{g}");
    }
}

pub async fn campaign(t: &Team) -> i64 {
    let (s, w) = t
        .api
        .send(
            Method::POST,
            "/api/v1/workflows/from-template",
            Some(json!({"template": "campaign-launch", "decision_owner_id": t.maya, "execution_owner_id": t.tom, "name": "Campaigns"})),
        )
        .await;
    assert_eq!(s, 201, "{w}");
    w["id"].as_i64().unwrap()
}

pub async fn item(t: &Team, workflow: i64, title: &str) -> Value {
    let (s, i) = t
        .api
        .send(
            Method::POST,
            "/api/v1/work",
            Some(json!({"workflow_id": workflow, "title": title, "estimated_hours": 6.5})),
        )
        .await;
    assert_eq!(s, 201, "{i}");
    i
}
