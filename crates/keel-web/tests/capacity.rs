//! One capacity model: Team, a person's page, Ownership, Home, Health, the API and the week
//! digest all give the same figures for one model typed in through the API; commitments are
//! entered on the person page and the API, and follow a workflow's decision owner.

mod api_team;
mod common;

use api_team::{send_if_match, sop, team, Team};
use keel_domain::Date;
use reqwest::Method;
use serde_json::{json, Value};

fn monday() -> Date {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    keel_domain::Zone::utc().date_of(now).week_start()
}

async fn post(t: &Team, path: &str, body: Value) -> Value {
    let (s, v) = t.api.send(Method::POST, path, Some(body)).await;
    assert_eq!(s, 201, "{path}: {v}");
    v
}

/// Maya (30 h) executes the webinar program (10 h), meets 6 h, manages the agency 4 h, decides the
/// newsletter workflow 5 h, and runs a 40 h webinar over four weeks (10 h a week): 35 h
/// this week. Ines (20 h) meets 3 h. Tom (agency, 20 h) executes paid social (12 h) and runs
/// an undated 16 h item (4 h a week for its default four weeks): 16 h.
async fn model(t: &Team) -> i64 {
    for (name, b, e, h) in [
        ("Webinar program", t.maya, t.maya, 10),
        ("Paid social", t.maya, t.tom, 12),
    ] {
        post(t, "/api/v1/functions", json!({"name": name, "sourcing": "hybrid", "business_owner_id": b, "execution_owner_id": e, "weekly_hours": h})).await;
    }
    let wf = post(t, "/api/v1/workflows", sop(t, "Newsletter")).await["id"]
        .as_i64()
        .unwrap();
    let c = |label: &str, kind: &str, h: f64| json!({"label": label, "kind": kind, "hours": h});
    let maya = format!("/api/v1/people/{}/commitments", t.maya);
    post(t, &maya, c("Weekly marketing meeting", "meetings", 6.0)).await;
    post(t, &maya, c("Managing the agency", "managing", 4.0)).await;
    let mut deciding = c("Deciding the newsletter", "deciding", 5.0);
    deciding["workflow_id"] = json!(wf);
    post(t, &maya, deciding).await;
    post(
        t,
        &format!("/api/v1/people/{}/commitments", t.ines),
        c("Sales sync", "meetings", 3.0),
    )
    .await;
    let start = monday();
    post(t, "/api/v1/work", json!({"workflow_id": wf, "title": "Spring webinar", "execution_owner_id": t.maya, "estimated_hours": 40,
        "start_date": start.to_string(), "planned_launch": start.add_days(24).to_string()})).await;
    post(t, "/api/v1/work", json!({"workflow_id": wf, "title": "Ad refresh", "execution_owner_id": t.tom, "estimated_hours": 16})).await;
    wf
}

fn load_of(ownership: &Value, person: i64) -> f64 {
    ownership["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == person)
        .unwrap()["load_hours"]
        .as_f64()
        .unwrap()
}

async fn over_in_health(t: &Team) -> Vec<(i64, String)> {
    let (_, h) = t.api.get("/api/v1/health").await;
    h["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "person.over-capacity")
        .map(|f| {
            (
                f["subject_id"].as_i64().unwrap(),
                f["evidence"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn team_person_ownership_home_health_api_and_digest_agree_on_load() {
    let t = team().await;
    let wf = model(&t).await;
    let expected = [(t.maya, 35.0), (t.ines, 3.0), (t.tom, 16.0)];

    // The API: each person's load, and the ownership view, say the same.
    let (_, own) = t.api.get("/api/v1/ownership").await;
    for (id, hours) in expected {
        let (s, l) = t.api.get(&format!("/api/v1/people/{id}/load")).await;
        assert_eq!(s, 200, "{l}");
        assert_eq!(l["load_hours"].as_f64(), Some(hours), "{l}");
        assert_eq!(l["weeks"][0]["total_hours"].as_f64(), Some(hours));
        assert_eq!(load_of(&own, id), hours, "ownership API for {id}");
    }
    let (_, maya) = t.api.get(&format!("/api/v1/people/{}/load", t.maya)).await;
    assert_eq!(maya["weeks"].as_array().unwrap().len(), 9);
    assert_eq!(maya["weeks"][3]["total_hours"].as_f64(), Some(35.0));
    assert_eq!(maya["weeks"][4]["total_hours"].as_f64(), Some(25.0));
    assert_eq!(maya["weeks_over"], 4);
    let (_, tom) = t.api.get(&format!("/api/v1/people/{}/load", t.tom)).await;
    assert!(
        tom["one_off"][0]["assumed"]
            .as_str()
            .unwrap()
            .contains("no dates"),
        "{tom}"
    );

    // Health: Maya alone is over capacity, with the same figure.
    let over = over_in_health(&t).await;
    assert_eq!(over.len(), 1, "{over:?}");
    assert_eq!(over[0].0, t.maya);
    assert!(
        over[0]
            .1
            .contains("35 h this week against a capacity of 30 h"),
        "{}",
        over[0].1
    );

    // The pages, as the owner sees them.
    let b = t.app.sign_in("maya@acme.test").await;
    let (_, team_page) = b.text("/w/acme/people").await;
    assert!(team_page.contains("35 h of 30 h"), "team page");
    assert!(team_page.contains("3 h of 20 h") && team_page.contains("16 h of 20 h"));
    assert!(
        team_page.contains("54 h") && team_page.contains("of 70 h capacity"),
        "team totals"
    );
    assert!(
        team_page.contains("38 h") && team_page.contains("of 50 h capacity"),
        "internal totals"
    );
    let (s, person) = b.text(&format!("/w/acme/people/{}", t.maya)).await;
    assert_eq!(s, 200);
    assert!(person.contains("35 h of 30 h"), "person page");
    assert!(person.contains("Over capacity in 4 of the 9 weeks from this one"));
    assert!(
        person.contains("Deciding the newsletter")
            && person.contains("follows the decision owner of Newsletter")
    );
    assert!(person.contains("Spring webinar") && person.contains("load.svg"));
    let (_, ownership) = b.text("/w/acme/ownership").await;
    assert!(
        ownership.contains("35 h of 30 h") && ownership.contains("16 h of 20 h"),
        "ownership page"
    );
    let (_, home) = b.text("/w/acme").await;
    assert!(home.contains("1 over capacity"), "home count");
    assert!(
        home.contains("54 h of 70 h capacity this week"),
        "home totals"
    );
    // The week digest on Home lists who is over, with the same figure.
    let digest = home.split("Over capacity this week").nth(1).unwrap();
    assert!(
        digest.contains("Maya") && digest.contains("35 h of 30 h"),
        "digest"
    );
    let chart = b.get(&format!("/w/acme/people/{}/load.svg", t.maya)).await;
    assert_eq!(chart.headers()["content-type"], "image/svg+xml");
    assert!(chart.text().await.unwrap().starts_with("<svg"));

    // The newsletter changes hands: the deciding time follows, everywhere at once.
    let mut body = sop(&t, "Newsletter");
    body["roles"][0]["person_id"] = json!(t.ines);
    let url = format!("/api/v1/workflows/{wf}");
    let (s, w) = send_if_match(&t.api, Method::PUT, &url, "\"1\"", Some(body)).await;
    assert_eq!(s, 200, "{w}");
    let (_, own) = t.api.get("/api/v1/ownership").await;
    assert_eq!(load_of(&own, t.maya), 30.0);
    assert_eq!(load_of(&own, t.ines), 8.0);
    assert!(over_in_health(&t).await.is_empty());
    let (_, home) = b.text("/w/acme").await;
    assert!(!home.contains("over capacity</span>"));
    let (_, list) = t
        .api
        .get(&format!("/api/v1/people/{}/commitments", t.ines))
        .await;
    assert!(list["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["label"] == "Deciding the newsletter"));
}

#[tokio::test]
async fn commitments_are_checked_and_versioned_through_the_api() {
    let t = team().await;
    let path = format!("/api/v1/people/{}/commitments", t.maya);
    let (s, e) = t
        .api
        .send(
            Method::POST,
            &path,
            Some(json!({"label": "", "kind": "naps", "hours": 81})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(api_team::fields(&e), ["label", "kind", "hours"]);
    let c = post(
        &t,
        &path,
        json!({"label": "Weekly review", "kind": "meetings", "hours": 2}),
    )
    .await;
    let id = c["id"].as_i64().unwrap();
    let url = format!("/api/v1/commitments/{id}");
    let body = json!({"label": "Weekly review", "kind": "meetings", "hours": 3.5});
    let (s, _) = send_if_match(&t.api, Method::PUT, &url, "\"99\"", Some(body.clone())).await;
    assert_eq!(s, 412);
    let (s, c) = send_if_match(&t.api, Method::PUT, &url, "\"1\"", Some(body)).await;
    assert_eq!((s, c["hours"].as_f64()), (200, Some(3.5)));
    let (_, l) = t.api.get(&format!("/api/v1/people/{}/load", t.maya)).await;
    assert_eq!(l["load_hours"].as_f64(), Some(3.5));
    let (s, _) = send_if_match(&t.api, Method::DELETE, &url, "\"2\"", None).await;
    assert_eq!(s, 204);
    let (s, _) = t.api.get(&format!("/api/v1/people/{}/load", 999_999)).await;
    assert_eq!(s, 404);
    // An estimate no one can carry is refused with what to change.
    let wf = post(&t, "/api/v1/workflows", sop(&t, "Articles")).await["id"]
        .as_i64()
        .unwrap();
    let (s, e) = t
        .api
        .send(
            Method::POST,
            "/api/v1/work",
            Some(json!({"workflow_id": wf, "title": "Rebrand", "estimated_hours": 1000})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e.to_string().contains("at most 500"), "{e}");
}

#[tokio::test]
async fn a_commitment_is_added_on_the_person_page_and_a_bad_one_keeps_what_was_typed() {
    let t = team().await;
    let b = t.app.sign_in("maya@acme.test").await;
    let page = format!("/w/acme/people/{}", t.ines);
    let csrf = b.csrf(&page).await;
    let r = b
        .post_form(
            &format!("{page}/commitments"),
            &[
                ("csrf", &csrf),
                ("kind", "meetings"),
                ("label", "Pipeline review"),
                ("hours", "lots"),
                ("workflow_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"Pipeline review\"") && html.contains("value=\"lots\""));
    assert!(
        html.contains("Enter a commitment as a number of hours"),
        "{html}"
    );
    let r = b
        .post_form(
            &format!("{page}/commitments"),
            &[
                ("csrf", &csrf),
                ("kind", "meetings"),
                ("label", "Pipeline review"),
                ("hours", "2,5"),
                ("workflow_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&page).await;
    assert!(
        html.contains("Pipeline review") && html.contains("2.5 h of 20 h"),
        "{html}"
    );
}
