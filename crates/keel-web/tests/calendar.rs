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
    let token = token_of(&r.text().await.unwrap());
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

fn today() -> keel_domain::Date {
    keel_domain::Zone::utc().date_of(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    )
}

/// A workflow whose SOP is due for review on `due`, with `person` in every role.
async fn sop_due(
    app: &TestApp,
    ws: &keel_store::Workspace,
    name: &str,
    person: i64,
    due: keel_domain::Date,
) -> i64 {
    let id = app.workflow(ws, name, person).await;
    let mut w = app.store.find_workflow(ws.id, id).await.unwrap().unwrap();
    w.spec.next_review_due = Some(due);
    app.store
        .update_workflow(ws.id, id, w.version, &w.spec, None)
        .await
        .unwrap();
    id
}

/// The feed's token from the page that made it.
async fn new_feed(b: &common::Browser, person: &str) -> String {
    let r = b
        .post_form("/w/acme/calendar", &[("person_id", person)])
        .await;
    assert_eq!(r.status(), 200);
    token_of(&r.text().await.unwrap())
}

/// The secret in the address the page shows once: `…/calendar/<hex>.ics`.
fn token_of(html: &str) -> String {
    let end = html.find(".ics").expect("the new address on the page");
    let start = html[..end].rfind("/calendar/").unwrap() + "/calendar/".len();
    let token = &html[start..end];
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()), "{token}");
    token.to_string()
}

#[tokio::test]
async fn the_feed_has_sop_review_dates_and_links_every_event_back_to_its_page() {
    let app = TestApp::sqlite().await;
    let ana = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", ana).await;
    let maya = app.person(&ws, "Maya Chen", PersonKind::Internal).await;
    let sam = app.person(&ws, "Sam Okafor", PersonKind::Internal).await;
    let article = sop_due(&app, &ws, "Weekly article", maya, today().add_days(20)).await;
    sop_due(&app, &ws, "Sam's events", sam, today().add_days(21)).await;
    sop_due(&app, &ws, "Reviewed long ago", maya, today().add_days(-400)).await;
    let d = WorkDraft {
        title: "Partner webinar".into(),
        execution_owner_id: Some(maya),
        contributor_ids: vec![],
        estimated_hours: 4.0,
        start_date: None,
        planned_launch: Some(today().add_days(10)),
        first_review: Some(today().add_days(24)),
    };
    let item = app
        .store
        .create_work(ws.id, article, &d, None)
        .await
        .unwrap();
    let b = app.sign_in("ana@acme.test").await;

    let token = new_feed(&b, &maya.to_string()).await;
    let body = reqwest::get(app.url(&format!("/calendar/{token}.ics")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let cal: Calendar = body.parse().expect("a valid iCalendar document");
    let events: Vec<(String, String)> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some((
                e.get_summary()?.to_string(),
                e.property_value("URL")?.to_string(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        events,
        [
            (
                "Launch: Partner webinar".to_string(),
                app.url(&format!("/w/acme/work/{}", item.id))
            ),
            (
                "First review: Partner webinar".to_string(),
                app.url(&format!("/w/acme/work/{}", item.id))
            ),
            (
                "SOP review: Weekly article".to_string(),
                app.url(&format!("/w/acme/workflows/{article}"))
            ),
        ],
        "Maya's feed: her work and the SOPs she has a role in, nothing past the window\n{body}"
    );
    let everything = new_feed(&b, "").await;
    let body = reqwest::get(app.url(&format!("/calendar/{everything}.ics")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("SUMMARY:SOP review: Sam's events"), "{body}");
}

#[tokio::test]
async fn the_month_view_shows_what_falls_in_a_month_and_only_what_the_viewer_sees() {
    let app = TestApp::sqlite().await;
    let ana = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", ana).await;
    let partner = app
        .member(&ws, "lena@brightline.test", keel_domain::Role::Partner)
        .await;
    let maya = app.person(&ws, "Maya Chen", PersonKind::Internal).await;
    let lena = app
        .store
        .create_person(
            ws.id,
            &keel_domain::PersonDraft {
                name: "Lena Ortiz".into(),
                kind: PersonKind::Agency,
                organization: Some("Brightline".into()),
                title: None,
                email: None,
                weekly_capacity: 10.0,
                user_id: Some(partner),
            },
        )
        .await
        .unwrap()
        .id;
    let month = today().month_start().add_months(1);
    let wf = sop_due(&app, &ws, "Weekly article", maya, month.add_days(14)).await;
    let launch = |title: &str, owner: i64, day: i64| WorkDraft {
        title: title.into(),
        execution_owner_id: Some(owner),
        contributor_ids: vec![],
        estimated_hours: 4.0,
        start_date: None,
        planned_launch: Some(month.add_days(day)),
        first_review: Some(month.add_days(day + 7)),
    };
    let mine = app
        .store
        .create_work(ws.id, wf, &launch("Brightline banner set", lena, 2), None)
        .await
        .unwrap();
    app.store
        .create_work(ws.id, wf, &launch("Secret pricing launch", maya, 3), None)
        .await
        .unwrap();
    let (y, m, _) = month.ymd();
    let q = format!("/w/acme/calendar/month?month={y:04}-{m:02}");

    let b = app.sign_in("ana@acme.test").await;
    let (s, html) = b.text(&q).await;
    assert_eq!(s, 200);
    for seen in [
        "Launch: Brightline banner set",
        "First review: Brightline banner set",
        "Launch: Secret pricing launch",
        "SOP review: Weekly article",
    ] {
        assert!(html.contains(seen), "{seen} missing");
    }
    assert!(html.contains(&format!("href=\"/w/acme/work/{}\"", mine.id)));
    assert!(html.contains(&format!("href=\"/w/acme/workflows/{wf}\"")));
    // Previous and next months are one link away; this month is marked today.
    let prev = month.add_months(-1).ymd();
    assert!(html.contains(&format!("month={:04}-{:02}", prev.0, prev.1)));
    let (_, now) = b.text("/w/acme/calendar/month").await;
    assert!(now.contains("aria-current=\"date\""));
    assert!(now.contains(&format!("data-date=\"{}\"", today())));

    // A partner sees its own work, not the rest.
    let p = app.sign_in("lena@brightline.test").await;
    let (s, html) = p.text(&q).await;
    assert_eq!(s, 200);
    assert!(html.contains("Launch: Brightline banner set"));
    assert!(!html.contains("Secret pricing"), "hidden work stays hidden");

    // A month that is no month is said so, and this month is shown.
    let (s, html) = b.text("/w/acme/calendar/month?month=March").await;
    assert_eq!(s, 400);
    assert!(html.contains("Name the month as YYYY-MM"));
    app.stop().await;
}
