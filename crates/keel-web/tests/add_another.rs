//! "Save and add another" on the forms where people add several things in a row: a person,
//! a function, a work item. Each saves, then opens an empty form saying what was saved (the
//! work form keeps the workflow); a form with a mistake stays as typed.

mod common;

use common::TestApp;
use keel_domain::PersonKind;

async fn post(b: &common::Browser, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let r = b.post_form(path, fields).await;
    let s = r.status().as_u16();
    let loc = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_else(|| "(no redirect)".into());
    (s, loc)
}

#[tokio::test]
async fn save_and_add_another_saves_then_opens_an_empty_form() {
    let app = TestApp::sqlite().await;
    let ana = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", ana).await;
    let maya = app.person(&ws, "Maya Chen", PersonKind::Internal).await;
    let wf = app.workflow(&ws, "Campaign launch", maya).await;
    let b = app.sign_in("ana@acme.test").await;

    // A person.
    let (_, form) = b.text("/w/acme/people/new").await;
    assert!(form.contains("Save and add another"));
    let person = [
        ("name", "Sam Okafor"),
        ("kind", "internal"),
        ("weekly_capacity", "32"),
        ("another", "1"),
    ];
    let (s, loc) = post(&b, "/w/acme/people", &person).await;
    assert_eq!(
        (s, loc.as_str()),
        (303, "/w/acme/people/new?notice=person-added")
    );
    let (_, next) = b.text(&loc).await;
    assert!(next.contains("Person added. Add the next one below."));
    assert!(!next.contains("Sam Okafor"), "an empty form");
    assert!(app
        .store
        .list_people(ws.id)
        .await
        .unwrap()
        .iter()
        .any(|p| p.name == "Sam Okafor"));
    // A mistake keeps the form as typed, and adds nobody.
    let (s, _) = post(
        &b,
        "/w/acme/people",
        &[
            ("name", ""),
            ("kind", "internal"),
            ("weekly_capacity", "32"),
            ("another", "1"),
        ],
    )
    .await;
    assert_eq!(s, 422);
    // Without it, the list as before.
    let (s, loc) = post(
        &b,
        "/w/acme/people",
        &[
            ("name", "Lena Ortiz"),
            ("kind", "internal"),
            ("weekly_capacity", "20"),
        ],
    )
    .await;
    assert_eq!(
        (s, loc.as_str()),
        (303, "/w/acme/people?notice=person-saved")
    );

    // A function.
    let (s, loc) = post(
        &b,
        "/w/acme/functions",
        &[
            ("name", "Podcast"),
            ("sourcing", "internal"),
            ("weekly_hours", "2"),
            ("another", "1"),
        ],
    )
    .await;
    assert_eq!(
        (s, loc.as_str()),
        (303, "/w/acme/functions/new?notice=function-added")
    );
    let (_, next) = b.text(&loc).await;
    assert!(next.contains("Function added. Add the next one below."));

    // A work item: the next form is in the same workflow.
    let wf_id = wf.to_string();
    let (s, loc) = post(
        &b,
        "/w/acme/work",
        &[
            ("workflow_id", wf_id.as_str()),
            ("title", "Spring webinar"),
            ("another", "1"),
        ],
    )
    .await;
    assert_eq!(
        (s, loc.clone()),
        (
            303,
            format!("/w/acme/work/new?workflow={wf}&notice=work-added")
        )
    );
    let (_, next) = b.text(&loc).await;
    assert!(next.contains("Work item started. Add the next one below"));
    assert!(next.contains(&format!("<option value=\"{wf}\" selected>")));
    let items = app
        .store
        .list_work(ws.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].title, "Spring webinar");
    app.stop().await;
}
