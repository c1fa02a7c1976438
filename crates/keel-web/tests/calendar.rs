//! Calendar feeds: a secret address that a real iCalendar parser reads, revocable.

mod common;

use common::TestApp;
use icalendar::{Calendar, CalendarComponent, Component};
use keel_domain::work::WorkDraft;
use keel_domain::PersonKind;

#[tokio::test]
async fn a_calendar_feed_lists_launches_and_first_reviews_until_revoked() {
    let app = TestApp::sqlite().await;
    let ana = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", ana).await;
    let p = app.person(&ws, "Maya Chen", PersonKind::Internal).await;
    let wf = app.workflow(&ws, "Campaign launch", p).await;
    let today = keel_domain::Zone::utc().date_of(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    );
    let d = WorkDraft {
        title: "Webinar; pipeline, reviews".into(),
        execution_owner_id: Some(p),
        contributor_ids: vec![],
        estimated_hours: 4.0,
        start_date: None,
        planned_launch: Some(today.add_days(10)),
        first_review: Some(today.add_days(24)),
    };
    app.store.create_work(ws.id, wf, &d, None).await.unwrap();
    let b = app.sign_in("ana@acme.test").await;
    let pid = p.to_string();
    let r = b
        .post_form("/w/acme/calendar", &[("person_id", pid.as_str())])
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let start = html.find("/calendar/").unwrap();
    let token: String = html[start + 10..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    let url = app.url(&format!("/calendar/{token}.ics"));

    let res = reqwest::get(&url).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let body = res.text().await.unwrap();
    let cal: Calendar = body.parse().expect("a valid iCalendar document");
    let summaries: Vec<String> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => e.get_summary().map(String::from),
            _ => None,
        })
        .collect();
    assert_eq!(
        summaries,
        [
            "Launch: Webinar; pipeline, reviews",
            "First review: Webinar; pipeline, reviews"
        ]
    );

    // Revoked: the address stops working.
    let feeds = app.store.list_feeds(ws.id).await.unwrap();
    let r = b
        .post_form(&format!("/w/acme/calendar/{}/revoke", feeds[0].id), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 404);
    assert_eq!(
        reqwest::get(app.url("/calendar/0000.ics"))
            .await
            .unwrap()
            .status(),
        404
    );
}
