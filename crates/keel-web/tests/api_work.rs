//! Workflows and work items through the JSON API, as a script meets them: SOPs with one
//! decision owner, templates, gates that refuse with a reason, approvals, versions on moves,
//! dependencies, filters and paging.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonDraft, PersonKind, Role};
use reqwest::Method;
use serde_json::{json, Value};

struct Team {
    app: TestApp,
    /// The owner's token; the owner is Maya, the decision owner.
    api: Api,
    /// A member who decides nothing.
    member: Api,
    maya: i64,
    ines: i64,
    tom: i64,
}

async fn team() -> Team {
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

fn sop(t: &Team, name: &str) -> Value {
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

fn fields(e: &Value) -> Vec<String> {
    e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect()
}

async fn send_if_match(
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
async fn mv(api: &Api, id: i64, body: Value) -> (u16, Value) {
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

async fn tick_all(api: &Api, id: i64) {
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

#[tokio::test]
async fn a_workflow_is_created_read_updated_and_deleted_with_if_match_guarding_each_write() {
    let t = team().await;
    let (s, w) = t
        .api
        .send(
            Method::POST,
            "/api/v1/workflows",
            Some(sop(&t, "Weekly article")),
        )
        .await;
    assert_eq!(s, 201, "{w}");
    assert_eq!(
        (w["version"].as_i64(), w["status"].as_str()),
        (Some(1), Some("draft"))
    );
    assert_eq!(w["process_level"], "lightweight");
    assert_eq!(w["stages"][0]["checklist"][0], "Outline agreed");
    assert_eq!(w["trigger"], Value::Null, "empty text reads as null");
    let url = format!("/api/v1/workflows/{}", w["id"]);
    let r = t.api.req(Method::GET, &url).send().await.unwrap();
    assert_eq!(r.headers()["etag"], "\"1\"");

    let mut changed = sop(&t, "Weekly article");
    changed["purpose"] = json!("Publish one useful article every two weeks.");
    changed["risk_flags"] = json!(["customer_visible", "budget"]);
    changed["stages"][1]["needs_approval"] = json!(true);
    let (s, w) = send_if_match(&t.api, Method::PUT, &url, "\"1\"", Some(changed.clone())).await;
    assert_eq!(s, 200, "{w}");
    assert_eq!(w["version"], 2);
    assert_eq!(w["process_level"], "detailed");
    assert_eq!(w["risk_flags"], json!(["budget", "customer_visible"]));
    assert!(w["process_level_reason"]
        .as_str()
        .unwrap()
        .contains("risk score 4"));

    let (s, e) = send_if_match(&t.api, Method::PUT, &url, "\"1\"", Some(changed)).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (412, Some("version_mismatch"))
    );

    let (s, revs) = t.api.get(&format!("{url}/revisions")).await;
    assert_eq!(s, 200);
    let revs = revs["revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 2);
    assert_eq!(revs[0]["version"], 2);
    assert_eq!(revs[0]["changed_by"], "Maya");
    assert!(revs[0]["changed_at"].as_str().unwrap().contains('T'));
    let changed_fields: Vec<&str> = revs[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        changed_fields,
        ["Purpose", "Risks", "Process level", "Stages"]
    );
    assert!(revs[1]["changes"].as_array().unwrap().is_empty());

    let (s, figures) = t.api.get(&format!("{url}/figures")).await;
    assert_eq!((s, figures["items"].as_i64()), (200, Some(0)));

    let (s, _) = send_if_match(&t.api, Method::DELETE, &url, "\"1\"", None).await;
    assert_eq!(s, 412);
    let (s, _) = send_if_match(&t.api, Method::DELETE, &url, "\"2\"", None).await;
    assert_eq!(s, 204);
    assert_eq!(t.api.get(&url).await.0, 404);
}

#[tokio::test]
async fn two_decision_owners_are_refused_with_422_naming_the_field() {
    let t = team().await;
    let mut body = sop(&t, "Weekly article");
    body["roles"]
        .as_array_mut()
        .unwrap()
        .push(json!({"person_id": t.ines, "role": "decision_owner"}));
    let (s, e) = t
        .api
        .send(Method::POST, "/api/v1/workflows", Some(body))
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["code"], "validation_failed");
    assert_eq!(fields(&e), ["decision_owner"]);
    let m = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(m.contains("exactly one decision owner") && m.contains("Maya and Ines"));
}

#[tokio::test]
async fn two_stages_of_one_name_are_refused() {
    let t = team().await;
    let mut body = sop(&t, "Weekly article");
    body["stages"][1]["name"] = json!("draft");
    let (s, e) = t
        .api
        .send(Method::POST, "/api/v1/workflows", Some(body))
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(fields(&e), ["stages"]);
}

#[tokio::test]
async fn a_campaign_workflow_from_its_template_is_detailed_with_an_approval_gate() {
    let t = team().await;
    let (s, list) = t.api.get("/api/v1/workflow-templates").await;
    assert_eq!(s, 200);
    let campaign = list["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == "campaign-launch")
        .expect("the campaign template")
        .clone();
    assert_eq!(campaign["level"], "detailed");
    assert_eq!(campaign["stages"][2]["needs_approval"], true);

    let body = json!({"template": "campaign-launch", "decision_owner_id": t.maya, "execution_owner_id": t.tom});
    let (s, w) = t
        .api
        .send(
            Method::POST,
            "/api/v1/workflows/from-template",
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, 201, "{w}");
    assert_eq!(w["name"], "Campaign brief to launch");
    assert_eq!(
        (w["status"].as_str(), w["process_level"].as_str()),
        (Some("draft"), Some("detailed"))
    );
    assert_eq!(w["stages"].as_array().unwrap().len(), 4);
    assert_eq!(w["stages"][2]["name"], "Pre-launch check");
    assert_eq!(w["stages"][2]["needs_approval"], true);
    assert!(w["roles"]
        .as_array()
        .unwrap()
        .contains(&json!({"person_id": t.maya, "role": "review_owner"})));
    // The same template again gets a numbered name instead of a clash.
    let (s, again) = t
        .api
        .send(Method::POST, "/api/v1/workflows/from-template", Some(body))
        .await;
    assert_eq!(
        (s, again["name"].as_str()),
        (201, Some("Campaign brief to launch (2)"))
    );
    // A named clash is a conflict; an unknown template names the field.
    let (s, _) = t
        .api
        .send(
            Method::POST,
            "/api/v1/workflows/from-template",
            Some(json!({"template": "campaign-launch", "decision_owner_id": t.maya, "execution_owner_id": t.tom, "name": "Campaign brief to launch"})),
        )
        .await;
    assert_eq!(s, 409);
    let (s, e) = t
        .api
        .send(
            Method::POST,
            "/api/v1/workflows/from-template",
            Some(json!({"template": "moon-landing", "decision_owner_id": t.maya, "execution_owner_id": t.tom})),
        )
        .await;
    assert_eq!((s, fields(&e)), (422, vec!["template".to_string()]));
    // An external decision owner is refused by the domain's rule.
    let (s, e) = t
        .api
        .send(
            Method::POST,
            "/api/v1/workflows/from-template",
            Some(json!({"template": "content-publication", "decision_owner_id": t.tom, "execution_owner_id": t.tom, "name": "Articles"})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(fields(&e).contains(&"decision_owner".to_string()));
}

async fn campaign(t: &Team) -> i64 {
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

async fn item(t: &Team, workflow: i64, title: &str) -> Value {
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

#[tokio::test]
async fn work_passes_its_gates_only_when_ready_and_only_the_decider_approves() {
    let t = team().await;
    let wf = campaign(&t).await;
    let i = item(&t, wf, "Spring webinar").await;
    let id = i["id"].as_i64().unwrap();
    assert_eq!(
        (
            i["stage"].as_i64(),
            i["stage_name"].as_str(),
            i["status"].as_str()
        ),
        (Some(0), Some("Brief"), Some("intake"))
    );
    assert_eq!(
        i["execution_owner_id"], t.tom,
        "the workflow's executor by default"
    );
    assert_eq!(i["version"], 1);

    // The gate is closed: the move is refused with the reason.
    let (s, e) = mv(&t.api, id, json!({"action": "advance"})).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (422, Some("refused")),
        "{e}"
    );
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("3 of 3 checklist items are still open"));

    // Ticking and unticking shows in the gate.
    let (s, g) = t
        .api
        .send(
            Method::PUT,
            &format!("/api/v1/work/{id}/checks/0"),
            Some(json!({"done": true})),
        )
        .await;
    assert_eq!(s, 200, "{g}");
    assert_eq!(g["checklist"][0]["done"], true);
    assert_eq!(g["open"], false);
    let (s, e) = t
        .api
        .send(
            Method::PUT,
            &format!("/api/v1/work/{id}/checks/9"),
            Some(json!({"done": true})),
        )
        .await;
    assert_eq!((s, e["error"]["code"].as_str()), (422, Some("refused")));
    tick_all(&t.api, id).await;
    let (_, g) = t.api.get(&format!("/api/v1/work/{id}/gate")).await;
    assert_eq!(g["open"], true, "{g}");
    let (s, i) = mv(&t.api, id, json!({"action": "advance"})).await;
    assert_eq!((s, i["stage_name"].as_str()), (200, Some("Build")), "{i}");
    tick_all(&t.api, id).await;
    let (_, i) = mv(&t.api, id, json!({"action": "advance"})).await;
    assert_eq!(i["stage_name"], "Pre-launch check");

    // Checks done, but this stage needs the decision owner's approval.
    tick_all(&t.api, id).await;
    let (s, e) = mv(&t.api, id, json!({"action": "advance"})).await;
    assert_eq!(s, 422);
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("needs the decision owner's approval"));
    let (s, e) = t
        .member
        .send(Method::POST, &format!("/api/v1/work/{id}/approvals"), None)
        .await;
    assert_eq!((s, e["error"]["code"].as_str()), (403, Some("forbidden")));
    let (s, g) = t
        .api
        .send(Method::POST, &format!("/api/v1/work/{id}/approvals"), None)
        .await;
    assert_eq!(s, 200, "{g}");
    assert_eq!(
        (g["approved"].as_bool(), g["open"].as_bool()),
        (Some(true), Some(true))
    );
    let (s, i) = mv(&t.api, id, json!({"action": "advance"})).await;
    assert_eq!((s, i["stage_name"].as_str()), (200, Some("Launch")));
    tick_all(&t.api, id).await;
    let (s, i) = mv(&t.api, id, json!({"action": "advance"})).await;
    assert_eq!((s, i["status"].as_str()), (200, Some("launched")), "{i}");
    assert!(i["actual_launch"].as_str().is_some());

    let (s, ev) = t.api.get(&format!("/api/v1/work/{id}/events")).await;
    assert_eq!(s, 200);
    let kinds: Vec<&str> = ev["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["created", "advanced", "advanced", "approved", "advanced", "advanced"]
    );
    assert_eq!(ev["events"][3]["by"], "Maya");
    let (_, figures) = t.api.get(&format!("/api/v1/workflows/{wf}/figures")).await;
    assert_eq!(
        (figures["items"].as_i64(), figures["launched"].as_i64()),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn a_move_needs_the_current_version_a_stale_one_gets_412() {
    let t = team().await;
    let wf = campaign(&t).await;
    let id = item(&t, wf, "Spring webinar").await["id"].as_i64().unwrap();
    let url = format!("/api/v1/work/{id}/moves");
    let (s, e) = t
        .api
        .send(
            Method::POST,
            &url,
            Some(json!({"action": "block", "reason": "Waiting for legal"})),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (428, Some("precondition_required"))
    );
    let block = json!({"action": "block", "reason": "Waiting for legal"});
    let (s, i) = send_if_match(&t.api, Method::POST, &url, "\"1\"", Some(block)).await;
    assert_eq!((s, i["status"].as_str()), (200, Some("blocked")), "{i}");
    assert!(i["blocked_since"].as_str().is_some());
    assert_eq!(i["blocked_reason"], "Waiting for legal");
    // Someone else acting on the version they saw before the block is told.
    let (s, e) = send_if_match(
        &t.api,
        Method::POST,
        &url,
        "\"1\"",
        Some(json!({"action": "unblock"})),
    )
    .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (412, Some("version_mismatch"))
    );
    let (_, now) = t.api.get(&format!("/api/v1/work/{id}")).await;
    assert_eq!(now["status"], "blocked");
    // A block needs a reason; sending back needs a stage.
    let (s, e) = mv(&t.api, id, json!({"action": "unblock"})).await;
    assert_eq!(s, 200, "{e}");
    let (s, e) = mv(&t.api, id, json!({"action": "block", "reason": " "})).await;
    assert_eq!((s, e["error"]["code"].as_str()), (422, Some("refused")));
    let (s, e) = mv(&t.api, id, json!({"action": "send_back"})).await;
    assert_eq!((s, fields(&e)), (422, vec!["to".to_string()]));
}

#[tokio::test]
async fn a_dependency_loop_is_refused_naming_blocked_by() {
    let t = team().await;
    let wf = campaign(&t).await;
    let a = item(&t, wf, "Landing page").await["id"].as_i64().unwrap();
    let b = item(&t, wf, "Webinar").await["id"].as_i64().unwrap();
    let (s, d) = t
        .api
        .send(
            Method::POST,
            &format!("/api/v1/work/{b}/dependencies"),
            Some(json!({"blocked_by": a})),
        )
        .await;
    assert_eq!((s, d["title"].as_str()), (201, Some("Landing page")), "{d}");
    let (s, e) = t
        .api
        .send(
            Method::POST,
            &format!("/api/v1/work/{a}/dependencies"),
            Some(json!({"blocked_by": b})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(fields(&e), ["blocked_by"]);
    assert!(e["error"]["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("loop"));
    let (_, list) = t.api.get(&format!("/api/v1/work/{b}/dependencies")).await;
    assert_eq!(list["dependencies"][0]["blocked_by"], a);
    let dep = format!("/api/v1/work/{b}/dependencies/{a}");
    assert_eq!(t.api.send(Method::DELETE, &dep, None).await.0, 204);
    assert_eq!(t.api.send(Method::DELETE, &dep, None).await.0, 404);
}

#[tokio::test]
async fn unknown_fields_are_refused_by_name() {
    let t = team().await;
    let wf = campaign(&t).await;
    let id = item(&t, wf, "Spring webinar").await["id"].as_i64().unwrap();
    let mut body = sop(&t, "Weekly article");
    body["colour"] = json!("blue");
    let cases = [
        (Method::POST, "/api/v1/workflows".to_string(), body),
        (
            Method::POST,
            "/api/v1/work".to_string(),
            json!({"workflow_id": wf, "title": "x", "colour": "blue"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/work/{id}"),
            json!({"title": "x", "workflow_id": wf}),
        ),
        (
            Method::POST,
            format!("/api/v1/work/{id}/moves"),
            json!({"action": "advance", "colour": "blue"}),
        ),
        (
            Method::POST,
            "/api/v1/workflows/from-template".to_string(),
            json!({"template": "campaign-launch", "decision_owner_id": t.maya, "execution_owner_id": t.tom, "colour": "blue"}),
        ),
    ];
    for (m, path, body) in cases {
        let (s, e) = t.api.send(m, &path, Some(body)).await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (422, Some("invalid_body")),
            "{path}: {e}"
        );
        let msg = e["error"]["message"].as_str().unwrap();
        assert!(
            msg.contains("colour") || msg.contains("workflow_id"),
            "{path}: {msg}"
        );
    }
    let (s, e) = t.api.get("/api/v1/work?colour=blue").await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (400, Some("invalid_query"))
    );
}

#[tokio::test]
async fn the_work_list_filters_and_pages() {
    let t = team().await;
    let wf = campaign(&t).await;
    let (_, other) = t
        .api
        .send(
            Method::POST,
            "/api/v1/workflows",
            Some(sop(&t, "Weekly article")),
        )
        .await;
    let other = other["id"].as_i64().unwrap();
    let first = item(&t, wf, "One").await["id"].as_i64().unwrap();
    item(&t, wf, "Two").await;
    let (s, late) = t
        .api
        .send(
            Method::POST,
            "/api/v1/work",
            Some(
                json!({"workflow_id": wf, "title": "Late", "execution_owner_id": t.ines,
                "start_date": "2020-01-06", "planned_launch": "2020-02-03"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{late}");
    assert_eq!(
        late["first_review"], "2020-02-17",
        "two weeks after the launch"
    );
    item(&t, other, "Article").await;
    mv(&t.api, first, json!({"action": "block", "reason": "Legal"})).await;

    let titles = |v: &Value| -> Vec<String> {
        v["work"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_string())
            .collect()
    };
    let (s, all) = t.api.get("/api/v1/work").await;
    assert_eq!(s, 200);
    assert_eq!(titles(&all), ["Article", "Late", "Two", "One"]);
    assert_eq!(all["next_offset"], Value::Null);
    let (_, v) = t
        .api
        .get(&format!("/api/v1/work?workflow_id={other}"))
        .await;
    assert_eq!(titles(&v), ["Article"]);
    let (_, v) = t.api.get("/api/v1/work?status=blocked").await;
    assert_eq!(titles(&v), ["One"]);
    let (_, v) = t.api.get("/api/v1/work?blocked=true").await;
    assert_eq!(titles(&v), ["One"]);
    let (_, v) = t.api.get("/api/v1/work?overdue=true").await;
    assert_eq!(titles(&v), ["Late"]);
    let (_, v) = t
        .api
        .get(&format!("/api/v1/work?owner_id={}", t.ines))
        .await;
    assert_eq!(titles(&v), ["Late"]);
    let (_, v) = t
        .api
        .get(&format!("/api/v1/work?workflow_id={wf}&limit=2"))
        .await;
    assert_eq!(titles(&v), ["Late", "Two"]);
    assert_eq!(v["next_offset"], 2);
    let (_, v) = t
        .api
        .get(&format!("/api/v1/work?workflow_id={wf}&limit=2&offset=2"))
        .await;
    assert_eq!(titles(&v), ["One"]);
    assert_eq!(v["next_offset"], Value::Null);
    for bad in ["status=stuck", "limit=0", "offset=-1", "blocked=maybe"] {
        let (s, e) = t.api.get(&format!("/api/v1/work?{bad}")).await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (400, Some("invalid_query")),
            "{bad}"
        );
    }
    let (s, list) = t.api.get("/api/v1/workflows?limit=1").await;
    assert_eq!(s, 200);
    assert_eq!(list["workflows"].as_array().unwrap().len(), 1);
    assert_eq!(list["next_offset"], 1);
    t.app.stop().await;
}

#[tokio::test]
async fn a_date_is_yyyy_mm_dd_or_null_and_every_mistake_is_named_at_once() {
    let t = team().await;
    let wf = campaign(&t).await;
    let id = item(&t, wf, "Spring webinar").await["id"].as_i64().unwrap();
    let (s, e) = t
        .api
        .send(
            Method::PUT,
            &format!("/api/v1/work/{id}"),
            Some(json!({"title": " ", "start_date": "", "planned_launch": "12/03/2026", "first_review": null})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(fields(&e), ["title", "planned_launch", "start_date"]);
    let (s, i) = t
        .api
        .send(
            Method::PUT,
            &format!("/api/v1/work/{id}"),
            Some(json!({"title": "Spring webinar", "planned_launch": "2026-03-20", "first_review": null})),
        )
        .await;
    assert_eq!(
        (s, i["planned_launch"].as_str()),
        (200, Some("2026-03-20")),
        "{i}"
    );
    assert_eq!(i["first_review"], Value::Null);
}
