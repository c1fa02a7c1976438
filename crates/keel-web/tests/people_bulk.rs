//! Several people at once, in the form and the API: all or nothing, errors under the row's
//! field with everything typed kept, "Add another row" without JavaScript too.

mod common;

use common::{Api, TestApp};
use keel_domain::Role;
use reqwest::Method;
use serde_json::json;

fn rows(people: &[[&str; 5]]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in people {
        for (k, v) in ["name", "email", "kind", "organization", "weekly_capacity"]
            .iter()
            .zip(p)
        {
            out.push((k.to_string(), v.to_string()));
        }
    }
    out
}

#[tokio::test]
async fn a_team_is_added_in_one_form_or_not_at_all() {
    let app = TestApp::sqlite().await;
    let owner = app.user("ana@acme.test", "Ana Ruiz").await;
    let ws = app.workspace("acme", owner).await;
    let b = app.sign_in("ana@acme.test").await;
    let (s, html) = b.text("/w/acme/people/bulk").await;
    assert_eq!(s, 200);
    assert_eq!(html.matches("<tr data-row>").count(), 5);
    assert!(html.contains("Add another row"));

    let blank = ["", "", "internal", "", ""];
    let bad = rows(&[
        ["Sam Okafor", "sam@acme.test", "internal", "", "32"],
        ["Lena Ortiz", "sam@ACME.test", "agency", "", "12"],
        blank,
    ]);
    let fields: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = b.post_form("/w/acme/people/bulk", &fields).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"Lena Ortiz\"") && html.contains("value=\"Sam Okafor\""));
    assert!(
        html.contains("already has the email sam@acme.test"),
        "{html}"
    );
    assert!(html.contains("Name the agency or company"), "{html}");
    assert!(
        app.store.list_people(ws.id).await.unwrap().is_empty(),
        "nobody was added"
    );

    // "Add another row" without JavaScript: one more row, what was typed kept.
    let mut more = fields.clone();
    more.push(("more", "1"));
    let r = b.post_form("/w/acme/people/bulk", &more).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert_eq!(html.matches("<tr data-row>").count(), 4);
    assert!(html.contains("value=\"Lena Ortiz\""));

    let good = rows(&[
        ["Sam Okafor", "sam@acme.test", "internal", "", "32"],
        [
            "Lena Ortiz",
            "lena@brightline.test",
            "agency",
            "Brightline",
            "12",
        ],
        blank,
    ]);
    let fields: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = b.post_form("/w/acme/people/bulk", &fields).await;
    assert_eq!(r.status(), 303);
    let (_, list) = b.text(r.headers()["location"].to_str().unwrap()).await;
    assert!(
        list.contains("People added.") && list.contains("Lena Ortiz"),
        "{list}"
    );
    assert_eq!(app.store.list_people(ws.id).await.unwrap().len(), 2);
    app.stop().await;
}

keel_testkit::each_backend!(
    the_api_adds_people_in_bulk_and_names_the_row_that_is_wrong,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let u = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", u).await;
        let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
        let body = json!({"people": [
            {"name": "Sam Okafor", "kind": "internal", "email": "sam@acme.test", "weekly_capacity": 32},
            {"name": "Lena Ortiz", "kind": "agency", "email": "SAM@acme.test", "weekly_capacity": 12}
        ]});
        let (s, e) = api
            .send(Method::POST, "/api/v1/people/bulk", Some(body))
            .await;
        assert_eq!(s, 422, "{e}");
        let fields: Vec<&str> = e["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["people[1].email", "people[1].organization"], "{e}");
        assert!(app.store.list_people(ws.id).await.unwrap().is_empty());
        let body = json!({"people": [
            {"name": "Sam Okafor", "kind": "internal", "email": "sam@acme.test", "weekly_capacity": 32},
            {"name": "Lena Ortiz", "kind": "agency", "organization": "Brightline", "weekly_capacity": 12}
        ]});
        let (s, made) = api
            .send(Method::POST, "/api/v1/people/bulk", Some(body))
            .await;
        assert_eq!(s, 201, "{made}");
        assert_eq!(made["people"][1]["name"], "Lena Ortiz");
        assert_eq!(made["people"][1]["external"], true);
        let viewer = app.member(&ws, "vic@acme.test", Role::Viewer).await;
        let v = Api::new(&app, &app.token(&ws, viewer, Role::Viewer).await);
        let (s, _) = v
            .send(
                Method::POST,
                "/api/v1/people/bulk",
                Some(json!({"people": [{"name": "X", "kind": "internal", "weekly_capacity": 1}]})),
            )
            .await;
        assert_eq!(s, 403);
        app.stop().await;
    }
);
