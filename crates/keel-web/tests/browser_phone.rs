//! keel on a 390×844 phone (headless Chromium, the real app): no page scrolls sideways, the
//! navigation wraps instead of scrolling, and the work list starts within the first screen.
//! Screenshots go to `<target dir>/screenshots/phone/`. Skips loudly without Chromium,
//! unless KEEL_REQUIRE_ALL=1.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};
use keel_domain::{PersonDraft, PersonKind};

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn no_page_scrolls_sideways_on_a_phone() {
    if !driver::available() {
        return;
    }
    let app = TestApp::sqlite().await;
    let ana = app.user("ana@acme.test", "Ana Ruiz").await;
    let ws = app.workspace("acme", ana).await;
    let me = PersonDraft {
        name: "Ana Ruiz-Fernández de la Vega".into(),
        kind: PersonKind::Internal,
        organization: None,
        title: Some("Head of marketing".into()),
        email: Some("ana.ruiz-fernandez@acme-analytics.test".into()),
        weekly_capacity: 40.0,
        user_id: Some(ana),
    };
    let me = app.store.create_person(ws.id, &me).await.unwrap().id;
    let sam = app.person(&ws, "Sam Okafor", PersonKind::Internal).await;
    app.function(&ws, "Paid media and paid social", Some(me), Some(sam))
        .await;
    let wf = app.workflow(&ws, "Campaign brief to launch", me).await;
    for t in [
        "Spring webinar series for operations leaders in manufacturing",
        "Buyer guide",
        "Pricing page update",
    ] {
        app.work(&ws, wf, t, Some(sam)).await;
    }

    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "phone");
    tab.resize(390, 844).await;
    tab.visit(
        "/login",
        "//h1[normalize-space()='Sign in to keel']",
        "login",
    )
    .await;
    tab.fill("email", "ana@acme.test").await;
    tab.fill("password", common::PASSWORD).await;
    tab.click_button("Sign in").await;
    tab.wait_for("//nav[@aria-label='Workspace']").await;

    let pages = [
        ("/w/acme", "home"),
        ("/w/acme/work", "work"),
        ("/w/acme/work/board", "board"),
        (
            &format!("/w/acme/work/board?workflow={wf}") as &str,
            "board-stages",
        ),
        ("/w/acme/work/mine", "my-work"),
        ("/w/acme/people", "people"),
        ("/w/acme/people/bulk", "people-bulk"),
        ("/w/acme/functions", "functions"),
        ("/w/acme/ownership", "ownership"),
        ("/w/acme/functions/owners", "owners-grid"),
        ("/w/acme/calendar/month", "calendar-month"),
        ("/w/acme/calendar", "calendar-feeds"),
        ("/w/acme/workflows", "workflows"),
        ("/w/acme/health", "health"),
        ("/w/acme/search?q=webinar", "search"),
    ];
    let mut wide = Vec::new();
    for (path, shot) in pages {
        tab.visit(path, "//main", shot).await;
        let w = tab
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, window) = (w[0].as_i64().unwrap(), w[1].as_i64().unwrap());
        if scroll > window {
            wide.push(format!("{path}: {scroll} px wide in a {window} px window"));
        }
    }
    assert!(
        wide.is_empty(),
        "pages scroll sideways:\n{}",
        wide.join("\n")
    );

    // The navigation wraps rather than scrolling inside itself.
    tab.visit("/w/acme/work", "//main", "work-again").await;
    let nav = tab
        .client
        .execute(
            "const n = document.querySelector('nav.ws-nav ul'); return [n.scrollWidth, n.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        nav[0].as_i64() <= nav[1].as_i64(),
        "the navigation scrolls: {nav}"
    );
    // The work list starts within the first screen, not below a screen of filters.
    let top = tab
        .client
        .execute(
            "return document.querySelector('main table').getBoundingClientRect().top;",
            vec![],
        )
        .await
        .unwrap();
    assert!(top.as_f64().unwrap() < 844.0, "the list starts at {top} px");

    tab.client.close().await.expect("close the browser session");
    drop(chromedriver);
    app.stop().await;
}
