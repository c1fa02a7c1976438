//! Workflows through the JSON API, as a script meets them: SOPs with one decision owner,
//! versions guarding each write, revisions and figures, and templates.

mod api_team;
mod common;

use api_team::{fields, send_if_match, sop, team};
use reqwest::Method;
use serde_json::{json, Value};

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
    assert_eq!(
        w["process_level_reason"],
        "It spends budget: work that affects budget, lead quality or strategy is detailed."
    );
    assert_eq!(
        (w["frequency"].as_str(), w["complexity"].as_str()),
        (Some("recurring"), Some("simple"))
    );
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

#[tokio::test]
async fn frequency_and_complexity_set_the_level_with_the_risks_and_the_reason_says_why() {
    let t = team().await;
    let (s, w) = t
        .api
        .send(
            Method::POST,
            "/api/v1/workflows",
            Some(sop(&t, "Weekly article")),
        )
        .await;
    assert_eq!(
        (s, w["process_level"].as_str()),
        (201, Some("lightweight")),
        "{w}"
    );
    let url = format!("/api/v1/workflows/{}", w["id"]);
    let mut coordinated = sop(&t, "Weekly article");
    coordinated["complexity"] = json!("coordinated");
    coordinated["frequency"] = json!("occasional");
    let (s, w) = send_if_match(&t.api, Method::PUT, &url, "\"1\"", Some(coordinated)).await;
    assert_eq!(
        (s, w["process_level"].as_str()),
        (200, Some("standard")),
        "{w}"
    );
    assert_eq!(
        (w["frequency"].as_str(), w["complexity"].as_str()),
        (Some("occasional"), Some("coordinated"))
    );
    assert!(w["process_level_reason"]
        .as_str()
        .unwrap()
        .starts_with("It needs review and coordination between people and runs now and then"));
    let mut strategy = sop(&t, "Weekly article");
    strategy["risk_flags"] = json!(["strategy"]);
    let (s, w) = send_if_match(&t.api, Method::PUT, &url, "\"2\"", Some(strategy)).await;
    assert_eq!(
        (s, w["process_level"].as_str()),
        (200, Some("detailed")),
        "{w}"
    );
    let mut bad = sop(&t, "Weekly article");
    bad["frequency"] = json!("daily");
    let (s, e) = send_if_match(&t.api, Method::PUT, &url, "\"3\"", Some(bad)).await;
    assert!(s == 400 || s == 422, "{s} {e}");
}
