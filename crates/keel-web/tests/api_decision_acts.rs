//! A "stop" decision acts through the API as it does on the review page, on both backends:
//! it names what it would retire and waits for `confirm`; confirmed, it retires the workflows it
//! links and switches off the review routine it names, in the same save; `false` records it
//! alone; a routine is only switched off by a stop, and only while it is on.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use reqwest::Method;
use serde_json::{json, Value};

fn field<'a>(e: &'a Value, name: &str) -> &'a str {
    e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == name)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no message on {name}: {e}"))
}

fn due() -> String {
    keel_web::time_fmt::today(&keel_domain::Zone::utc())
        .add_days(14)
        .to_string()
}

async fn workflow_status(api: &Api, id: i64) -> String {
    let (s, w) = api
        .send(Method::GET, &format!("/api/v1/workflows/{id}"), None)
        .await;
    assert_eq!(s, 200, "{w}");
    w["status"].as_str().unwrap().to_string()
}

async fn weekly_is_on(api: &Api) -> bool {
    let (s, l) = api.send(Method::GET, "/api/v1/review-cadences", None).await;
    assert_eq!(s, 200, "{l}");
    l["cadences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "weekly")
        .map(|c| c["active"].as_bool().unwrap())
        .expect("the weekly cadence")
}

keel_testkit::each_backend!(
    a_stop_decision_retires_its_workflow_and_routine_once_confirmed,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let ana = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", ana).await;
        let maya = app.person(&ws, "Maya Lind", PersonKind::Internal).await;
        let old = app.workflow(&ws, "Print newsletter", maya).await;
        let kept = app.workflow(&ws, "Webinar series", maya).await;
        let api = Api::new(&app, &app.token(&ws, ana, Role::Owner).await);
        let (s, c) = api
        .send(Method::POST, "/api/v1/review-cadences",
            Some(json!({"kind": "weekly", "weekday": 1, "time": "09:30", "facilitator_id": maya, "attendee_ids": [maya]})))
        .await;
        assert_eq!(s, 201, "{c}");

        let stop = |confirm: Option<bool>, wf: i64, cadence: Option<&str>| {
            let mut b = json!({"what": "Stop the print newsletter", "kind": "stop", "category": "strategy",
            "rationale": "Nobody reads it", "owner_id": maya, "due": due(),
            "evidence": [{"kind": "workflow", "id": wf}]});
            if let Some(c) = confirm {
                b["confirm"] = json!(c);
            }
            if let Some(k) = cadence {
                b["retire_cadence"] = json!(k);
            }
            b
        };

        // Without a confirmation nothing is recorded and the answer says what would change.
        let (s, e) = api
            .send(
                Method::POST,
                "/api/v1/decisions",
                Some(stop(None, old, Some("weekly"))),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        let why = field(&e, "confirm");
        assert!(
            why.contains("retires the workflow Print newsletter"),
            "{why}"
        );
        assert!(why.contains("switches off the weekly review"), "{why}");
        let (_, log) = api.send(Method::GET, "/api/v1/decisions", None).await;
        assert_eq!(log["decisions"].as_array().unwrap().len(), 0, "{log}");
        let before = workflow_status(&api, old).await;
        assert_ne!(before, "retired");
        assert_eq!(workflow_status(&api, old).await, before);

        // Only a stop switches a routine off; a routine that does not exist is named.
        let mut fix = stop(Some(true), old, Some("weekly"));
        fix["kind"] = json!("fix");
        let (s, e) = api.send(Method::POST, "/api/v1/decisions", Some(fix)).await;
        assert_eq!(s, 422, "{e}");
        assert!(
            field(&e, "retire_cadence").contains("Only a \"stop\""),
            "{e}"
        );
        let (s, e) = api
            .send(
                Method::POST,
                "/api/v1/decisions",
                Some(stop(Some(true), old, Some("monthly"))),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        assert!(field(&e, "retire_cadence").contains("already off"), "{e}");

        // false records the decision and changes nothing.
        let (s, d) = api
            .send(
                Method::POST,
                "/api/v1/decisions",
                Some(stop(Some(false), kept, None)),
            )
            .await;
        assert_eq!(s, 201, "{d}");
        assert_eq!(workflow_status(&api, kept).await, before);

        // Confirmed, the workflow is retired and the weekly routine switched off in the same save.
        let (s, d) = api
            .send(
                Method::POST,
                "/api/v1/decisions",
                Some(stop(Some(true), old, Some("weekly"))),
            )
            .await;
        assert_eq!(s, 201, "{d}");
        assert_eq!(d["kind"], "stop");
        assert_eq!(workflow_status(&api, old).await, "retired");
        assert_eq!(workflow_status(&api, kept).await, before);
        assert!(!weekly_is_on(&api).await, "the weekly routine is off");

        // A stop on a workflow already retired acts on nothing, so it needs no confirmation.
        let (s, d) = api
            .send(
                Method::POST,
                "/api/v1/decisions",
                Some(stop(None, old, None)),
            )
            .await;
        assert_eq!(s, 201, "{d}");
        app.stop().await;
    }
);
