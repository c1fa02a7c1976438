//! The calendar month in a real browser: this month with today marked, a launch, a first
//! review, an SOP review date and blocked work, each a link to its record; the next month by
//! its link; and at 390 px the same month as a list of days, with nothing scrolling sideways.
//! Screenshots go to `<target dir>/screenshots/calendar/`.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};
use keel_domain::work::transition::{self, Action, Actor};
use keel_domain::work::WorkDraft;
use keel_domain::{Date, PersonDraft, PersonKind, Zone};

fn today() -> Date {
    Zone::utc().date_of(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    )
}

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn the_month_shows_launches_reviews_sop_dates_and_blocked_work_and_reads_on_a_phone() {
    if !driver::available() {
        return;
    }
    let app = TestApp::sqlite().await;
    let ana = app.user("ana@acme.test", "Ana Ruiz").await;
    let ws = app
        .store
        .create_workspace("acme", "Acme Analytics", Some(ana))
        .await
        .unwrap();
    let me = PersonDraft {
        name: "Ana Ruiz".into(),
        kind: PersonKind::Internal,
        organization: None,
        title: None,
        email: None,
        weekly_capacity: 40.0,
        user_id: Some(ana),
    };
    let me = app.store.create_person(ws.id, &me).await.unwrap().id;
    let first = today().month_start();
    // Dates inside this month wherever today falls in it.
    let on = |day: i64| first.add_days(day);
    let wf = app.workflow(&ws, "Campaign launch", me).await;
    let mut w = app.store.find_workflow(ws.id, wf).await.unwrap().unwrap();
    w.spec.next_review_due = Some(on(20));
    app.store
        .update_workflow(ws.id, wf, w.version, &w.spec, None)
        .await
        .unwrap();
    let draft = |title: &str, launch: i64| WorkDraft {
        title: title.into(),
        execution_owner_id: Some(me),
        contributor_ids: vec![],
        estimated_hours: 4.0,
        start_date: None,
        planned_launch: Some(on(launch)),
        first_review: Some(on(launch + 7)),
    };
    let webinar = app
        .store
        .create_work(ws.id, wf, &draft("Spring webinar", 5), None)
        .await
        .unwrap();
    let guide = app
        .store
        .create_work(ws.id, wf, &draft("Buyer guide", 40), None)
        .await
        .unwrap();
    // The guide is blocked today.
    let spec = app
        .store
        .find_workflow(ws.id, wf)
        .await
        .unwrap()
        .unwrap()
        .spec;
    let gate = app.store.gate_state(ws.id, guide.id, 0).await.unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let o = transition::apply(
        &guide,
        &spec,
        &gate,
        &Action::Block {
            reason: "Waiting for legal".into(),
        },
        Actor {
            is_decision_owner: true,
        },
        now,
        &Zone::utc(),
    )
    .unwrap();
    app.store
        .record_move(ws.id, guide.id, guide.version, &o, None)
        .await
        .unwrap();

    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "calendar");
    tab.visit(
        "/login",
        "//h1[normalize-space()='Sign in to keel']",
        "login",
    )
    .await;
    tab.fill("email", "ana@acme.test").await;
    tab.fill("password", common::PASSWORD).await;
    tab.click_button("Sign in").await;
    tab.wait_for("//h1[normalize-space()='Acme Analytics']")
        .await;

    // From the work list, the calendar is one click.
    tab.nav("Work", "Work", "work").await;
    tab.click_link("Calendar").await;
    tab.wait_for("//h1[normalize-space()='Calendar']").await;
    tab.shot("month").await;
    let month = first.civil().strftime("%B %Y").to_string();
    tab.wait_for(&format!("//h2[normalize-space()='{month}']"))
        .await;
    // Today is marked, in the grid.
    let marked = tab
        .wait_for("//table[contains(@class,'month')]//td[@aria-current='date']")
        .await;
    assert_eq!(
        marked.attr("data-date").await.unwrap().unwrap(),
        today().to_string()
    );
    let grid = tab.table("table.month").await;
    let cell = |d: Date| -> String {
        let (_, _, day) = d.ymd();
        grid.iter()
            .skip(1)
            .flatten()
            .find(|c| c.split_whitespace().next() == Some(&day.to_string()) && c.len() > 2)
            .cloned()
            .unwrap_or_default()
    };
    assert!(cell(on(5)).contains("Launch: Spring webinar"), "{grid:?}");
    assert!(
        cell(on(12)).contains("First review: Spring webinar"),
        "{grid:?}"
    );
    assert!(
        cell(on(20)).contains("SOP review: Campaign launch"),
        "{grid:?}"
    );
    let page = tab.text().await;
    assert!(page.contains("Blocked now: Buyer guide"), "{page}");
    assert!(page.contains("Blocked: Buyer guide"), "{page}");

    // Each entry is a link to its record.
    tab.click_link("SOP review: Campaign launch").await;
    tab.wait_for("//h1[normalize-space()='Campaign launch']")
        .await;
    tab.client.back().await.unwrap();
    tab.click_link("Launch: Spring webinar").await;
    tab.wait_for("//h1[normalize-space()='Spring webinar']")
        .await;
    assert!(tab
        .client
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with(&format!("/work/{}", webinar.id)));
    tab.client.back().await.unwrap();

    // The next month, by its link: the guide's launch is there.
    let next = first.add_months(1);
    let next_name = next.civil().strftime("%B %Y").to_string();
    tab.click_link(&format!("{next_name} →")).await;
    tab.wait_for(&format!("//h2[normalize-space()='{next_name}']"))
        .await;
    tab.shot("next-month").await;
    let later = on(40);
    if later >= next && later < next.add_months(1) {
        assert!(tab.text().await.contains("Launch: Buyer guide"));
    }
    tab.click_link("Today").await;
    tab.wait_for(&format!("//h2[normalize-space()='{month}']"))
        .await;

    // On a phone: a list of the days that hold something, nothing sideways.
    tab.resize(390, 844).await;
    tab.shot("month-phone").await;
    let w = tab
        .client
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth,
                     getComputedStyle(document.querySelector('table.month')).display,
                     getComputedStyle(document.querySelector('ul.month-list')).display];",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        w[0].as_i64() <= w[1].as_i64(),
        "the month scrolls sideways: {w}"
    );
    assert_eq!(
        (w[2].as_str(), w[3].as_str()),
        (Some("none"), Some("block"))
    );
    let list = tab
        .wait_for("//ul[contains(@class,'month-list')]")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("Launch: Spring webinar"), "{list}");
    assert!(list.contains("SOP review: Campaign launch"), "{list}");
    assert!(list.contains("today"), "{list}");

    tab.client.close().await.expect("close the browser session");
    drop(chromedriver);
    app.stop().await;
}
