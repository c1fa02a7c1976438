//! Upcoming reviews in the calendar feeds, read by a real iCalendar parser: each cadence that
//! is on lists its next reviews with a link back to the review (or to the reviews page, where
//! it is started); a cadence switched off lists none; a person's feed lists the reviews the
//! person runs or attends; a viewer's feed has them, a partner's none.

mod common;

use common::TestApp;
use icalendar::{Calendar, CalendarComponent, Component};
use keel_domain::review::{CadenceDraft, Kind};
use keel_domain::{PersonKind, Role};
use keel_web::auth::secret;

fn today() -> keel_domain::Date {
    keel_web::time_fmt::today(&keel_domain::Zone::utc())
}

/// (summary, url, day) of every review event of a feed.
async fn reviews_in(app: &TestApp, token: &str) -> Vec<(String, String, String)> {
    let res = reqwest::get(app.url(&format!("/calendar/{token}.ics")))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cal: Calendar = res.text().await.unwrap().parse().expect("valid iCalendar");
    cal.components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .filter(|e| e.get_summary().is_some_and(|s| s.contains("review at")))
        .map(|e| {
            let day = match e.get_start() {
                Some(icalendar::DatePerhapsTime::Date(d)) => d.to_string(),
                other => panic!("an all-day event: {other:?}"),
            };
            (
                e.get_summary().unwrap().to_string(),
                e.get_url().unwrap_or_default().to_string(),
                day,
            )
        })
        .collect()
}

#[tokio::test]
async fn upcoming_reviews_are_in_the_feed_of_those_who_may_see_them() {
    let app = TestApp::sqlite().await;
    let ana = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", ana).await;
    let maya = app.person(&ws, "Maya Lind", PersonKind::Internal).await;
    let sam = app.person(&ws, "Sam Ortiz", PersonKind::Internal).await;
    let cadence = |kind, active| CadenceDraft {
        kind,
        interval: 1,
        weekday: 1,
        time_minutes: 9 * 60 + 30,
        facilitator_id: Some(maya),
        attendee_ids: vec![maya],
        active,
    };
    app.store
        .put_review_cadence(ws.id, &cadence(Kind::Weekly, true), None, today())
        .await
        .unwrap();
    app.store
        .put_review_cadence(ws.id, &cadence(Kind::Quarterly, false), None, today())
        .await
        .unwrap();
    let feed = |person: Option<i64>, user: i64, token: &'static str| {
        let store = app.store.clone();
        let ws = ws.id;
        async move {
            store
                .create_feed(ws, person, &secret::digest(token), user)
                .await
                .unwrap();
            token
        }
    };
    let whole = feed(None, ana, "whole").await;
    let events = reviews_in(&app, whole).await;
    assert_eq!(
        events.len(),
        12,
        "the next twelve weekly reviews: {events:?}"
    );
    assert!(
        events.iter().all(|(s, _, _)| s == "Weekly review at 09:30"),
        "the quarterly is off: {events:?}"
    );
    assert!(
        events
            .iter()
            .all(|(_, url, _)| url.ends_with("/w/acme/reviews")),
        "{events:?}"
    );
    let first = keel_domain::Date::parse(&events[0].2).unwrap();
    assert_eq!(
        first.civil().weekday().to_monday_one_offset(),
        1,
        "on Mondays"
    );
    assert!(first >= today() && first < today().add_days(7), "{first}");

    // Started: the event links to the review itself.
    let r = app
        .store
        .open_review(ws.id, Kind::Weekly, first, Some(maya), &[maya])
        .await
        .unwrap();
    let events = reviews_in(&app, whole).await;
    assert!(
        events[0].1.ends_with(&format!("/w/acme/reviews/{}", r.id)),
        "{events:?}"
    );

    // A person's feed: Maya attends, Sam does not.
    assert!(!reviews_in(&app, feed(Some(maya), ana, "maya").await)
        .await
        .is_empty());
    assert!(reviews_in(&app, feed(Some(sam), ana, "sam").await)
        .await
        .is_empty());

    // A viewer sees reviews; a partner does not, not even in a feed it made.
    let viewer = app.member(&ws, "viewer@acme.test", Role::Viewer).await;
    let partner = app.member(&ws, "agency@acme.test", Role::Partner).await;
    assert!(!reviews_in(&app, feed(None, viewer, "viewer").await)
        .await
        .is_empty());
    assert!(reviews_in(&app, feed(None, partner, "partner").await)
        .await
        .is_empty());
}
