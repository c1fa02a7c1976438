//! The strategy stack in a real browser (headless Chromium through chromedriver, the real app
//! on a fresh SQLite database): a head of marketing opens the strategy page, adds a segment
//! (told first that evidence needs its date), a primary persona whose empty message-map cells
//! show, writes one message, and sets the tactics layer's goals and cycle. Screenshots go to
//! `<target dir>/screenshots/strategy/`. Skips loudly without Chromium, unless KEEL_REQUIRE_ALL=1.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn a_head_of_marketing_fills_in_the_strategy_stack_in_the_browser() {
    if !driver::available() {
        return;
    }
    let app = TestApp::sqlite().await;
    let lead = app.user("dana@northwind.test", "Dana Whitfield").await;
    app.store
        .create_workspace("northwind", "Northwind Trading", Some(lead))
        .await
        .unwrap();
    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "strategy");
    tab.visit(
        "/login",
        "//h1[normalize-space()='Sign in to keel']",
        "login",
    )
    .await;
    tab.fill("email", "dana@northwind.test").await;
    tab.fill("password", common::PASSWORD).await;
    tab.click_button("Sign in").await;
    tab.wait_for("//h1[normalize-space()='Northwind Trading']")
        .await;

    tab.nav("Strategy", "Strategy", "stack-empty").await;
    let page = tab.text().await;
    let (tactics, market) = (
        page.find("Tactics").unwrap(),
        page.find("Market knowledge").unwrap(),
    );
    assert!(tactics < market, "fastest layer first:\n{page}");
    assert!(page.contains("Unaware → Pain recognized"), "{page}");

    // A segment: evidence without its date is refused, with what to add.
    tab.click_link("Add a segment").await;
    tab.wait_for("//h1[normalize-space()='Add a segment']")
        .await;
    tab.fill("name", "Mid-market manufacturers").await;
    tab.fill("needs", "Fewer unplanned line stops").await;
    tab.fill("evidence", "14 win/loss interviews").await;
    tab.click_button("Add segment").await;
    let message = tab.field_error("evidence_date").await;
    tab.shot("segment-evidence-undated").await;
    assert!(
        message.contains("the day this evidence was gathered"),
        "{message}"
    );
    assert_eq!(tab.value("name").await, "Mid-market manufacturers");
    tab.fill("evidence", "").await;
    tab.click_button("Add segment").await;
    tab.wait_for("//p[@role='status'][normalize-space()='Segment saved.']")
        .await;

    // A primary persona: its row of the message map shows six empty cells.
    tab.click_link("Add a persona").await;
    tab.wait_for("//h1[normalize-space()='Add a persona']")
        .await;
    tab.choose("segment_id", "Mid-market manufacturers").await;
    tab.fill("name", "Plant operations manager").await;
    tab.field("primary").await.click().await.unwrap();
    tab.fill("pains", "Stops nobody saw coming").await;
    tab.click_button("Add persona").await;
    tab.wait_for("//p[@role='status'][normalize-space()='Persona saved.']")
        .await;
    tab.shot("map-empty").await;
    let map = tab.table("table.message-map").await;
    assert_eq!(map.len(), 2, "{map:?}");
    assert!(map[1][0].contains("Plant operations manager") && map[1][0].contains("primary"));
    assert_eq!(
        map[1].iter().filter(|c| c.as_str() == "empty").count(),
        6,
        "{map:?}"
    );

    // One message, written on the persona's page.
    tab.click_link("Plant operations manager").await;
    tab.wait_for("//h1[normalize-space()='Plant operations manager']")
        .await;
    tab.fill(
        "message",
        "Unplanned stops cost more than the budget line that shows them.",
    )
    .await;
    tab.click_button("Save Unaware").await;
    tab.wait_for("//p[@role='status'][normalize-space()='Message saved.']")
        .await;
    tab.nav("Strategy", "Strategy", "map-one-message").await;
    let map = tab.table("table.message-map").await;
    assert!(
        map[1][1].starts_with("Unplanned stops cost more"),
        "{map:?}"
    );
    assert_eq!(map[1].iter().filter(|c| c.as_str() == "empty").count(), 5);

    // The tactics layer: goals and a weekly cycle, edited in place.
    tab.wait_for("//summary[starts-with(normalize-space(), 'Edit Tactics')]")
        .await
        .click()
        .await
        .unwrap();
    tab.fill("goals", "Every program feeds sales-accepted leads.")
        .await;
    tab.choose("cycle", "weekly").await;
    tab.click_button("Save Tactics").await;
    tab.wait_for("//p[@role='status'][normalize-space()='Layer saved.']")
        .await;
    tab.shot("tactics-saved").await;
    let page = tab.text().await;
    assert!(
        page.contains("Goals: Every program feeds sales-accepted leads."),
        "{page}"
    );
    assert!(page.contains("Plans weekly"), "{page}");
}
