//! Work items through the JSON API, as a script meets them: gates that refuse with a reason,
//! approvals, versions on moves, dependencies, filters and paging.

mod api_team;
mod common;

use api_team::{campaign, fields, item, mv, send_if_match, sop, team, tick_all};
use reqwest::Method;
use serde_json::{json, Value};

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
    let approvals = format!("/api/v1/work/{id}/approvals");
    let v = t.api.get(&format!("/api/v1/work/{id}")).await.1["version"]
        .as_i64()
        .unwrap();
    let (s, e) = t.member.send_at(Method::POST, &approvals, v, None).await;
    assert_eq!((s, e["error"]["code"].as_str()), (403, Some("forbidden")));
    // Approving is a move: without the version it was made from it is refused.
    let (s, e) = t.api.send(Method::POST, &approvals, None).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (428, Some("precondition_required"))
    );
    let (s, g) = t.api.send_at(Method::POST, &approvals, v, None).await;
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

/// Takes an item to its last stage, ticking and approving as the team would.
async fn to_last_stage(t: &api_team::Team, id: i64) {
    for _ in 0..3 {
        tick_all(&t.api, id).await;
        let (_, g) = t.api.get(&format!("/api/v1/work/{id}/gate")).await;
        if g["needs_approval"] == true && g["approved"] == false {
            let (s, e) = mv(&t.api, id, json!({"action": "approve"})).await;
            assert_eq!(s, 200, "{e}");
        }
        let (s, e) = mv(&t.api, id, json!({"action": "advance"})).await;
        assert_eq!(s, 200, "{e}");
    }
    tick_all(&t.api, id).await;
}

#[tokio::test]
async fn work_does_not_launch_while_what_it_waits_for_is_blocked_unless_told_why() {
    let t = team().await;
    let wf = campaign(&t).await;
    let story = item(&t, wf, "Customer story").await["id"].as_i64().unwrap();
    let email = item(&t, wf, "Launch email").await["id"].as_i64().unwrap();
    let (s, d) = t
        .api
        .send(
            Method::POST,
            &format!("/api/v1/work/{email}/dependencies"),
            Some(json!({"blocked_by": story})),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    let (s, _) = mv(
        &t.api,
        story,
        json!({"action": "block", "reason": "Legal has the quotes"}),
    )
    .await;
    assert_eq!(s, 200);
    // Health sees it before anyone tries to launch.
    let (_, h) = t.api.get("/api/v1/health").await;
    let waits: Vec<&Value> = h["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "work.waits-on-blocked")
        .collect();
    assert_eq!(waits.len(), 1, "{h}");
    assert_eq!(waits[0]["subject_id"], email);
    assert_eq!(waits[0]["severity"], "warning");

    // Passing the stages before the launch is not held up.
    to_last_stage(&t, email).await;
    let (_, g) = t.api.get(&format!("/api/v1/work/{email}/gate")).await;
    assert_eq!(g["waiting_for"], json!(["Customer story (blocked)"]), "{g}");
    let (s, e) = mv(&t.api, email, json!({"action": "advance"})).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (422, Some("refused")),
        "{e}"
    );
    assert_eq!(
        e["error"]["message"],
        "This item waits for 'Customer story' (blocked), which is neither launched nor done. Launch when it is, remove the dependency, or give a reason to launch anyway."
    );
    let (_, i) = t.api.get(&format!("/api/v1/work/{email}")).await;
    assert_eq!(
        i["status"], "in_progress",
        "a refused launch records nothing"
    );

    // With a reason it launches, and the history keeps why.
    let (s, i) = mv(
        &t.api,
        email,
        json!({"action": "advance", "reason": "The event date is fixed"}),
    )
    .await;
    assert_eq!((s, i["status"].as_str()), (200, Some("launched")), "{i}");
    let (_, ev) = t.api.get(&format!("/api/v1/work/{email}/events")).await;
    let last = ev["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["kind"].as_str(), last["note"].as_str()),
        (
            Some("advanced"),
            Some(
                "Launched without waiting for 'Customer story' (blocked): The event date is fixed"
            )
        ),
        "{ev}"
    );
    let (_, h) = t.api.get("/api/v1/health").await;
    assert!(
        !h["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "work.waits-on-blocked"),
        "launched work no longer waits: {h}"
    );
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
    // Sorted by the work list page's columns (`WorkSort`), missing values last.
    let (_, v) = t.api.get("/api/v1/work?sort=title").await;
    assert_eq!(titles(&v), ["Article", "Late", "One", "Two"]);
    let (_, v) = t.api.get("/api/v1/work?sort=title&dir=desc").await;
    assert_eq!(titles(&v), ["Two", "One", "Late", "Article"]);
    let (_, v) = t.api.get("/api/v1/work?sort=launch").await;
    assert_eq!(titles(&v), ["Late", "Article", "Two", "One"]);
    let (_, v) = t.api.get("/api/v1/work?sort=newest&dir=desc&limit=2").await;
    assert_eq!(titles(&v), ["One", "Two"]);
    assert_eq!(v["next_offset"], 2);
    let (_, v) = t
        .api
        .get(&format!("/api/v1/work?sort=owner&owner_id={}", t.ines))
        .await;
    assert_eq!(titles(&v), ["Late"]);
    for bad in [
        "status=stuck",
        "limit=0",
        "offset=-1",
        "blocked=maybe",
        "sort=priority",
        "sort=title;drop",
        "sort=title&dir=up",
    ] {
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
        .send_at(
            Method::PUT,
            &format!("/api/v1/work/{id}"),
            1,
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
