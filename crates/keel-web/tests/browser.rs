//! keel in a real browser: headless Chromium through chromedriver, against the real app on a
//! fresh SQLite database. The test reads what a person sees on each page (visible text, not
//! HTML) and saves a screenshot of every page it visits to `<target dir>/screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; without them it says so loudly and skips,
//! unless KEEL_REQUIRE_ALL=1, which makes a missing browser a failure.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};

const MAYA: &str = "Maya Chen";
const TOM: &str = "Tom Reyes";
const TOM_AS_OPTION: &str = "Tom Reyes (Brightline Media) (external)";

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn a_marketing_lead_builds_the_team_names_owners_and_is_told_what_to_fix() {
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
    let mut tab = Tab::new(chromedriver.session().await, &app.base);

    // Sign in through the form and land on the workspace's dashboard.
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
    tab.shot("dashboard").await;
    let page = tab.text().await;
    assert!(page.contains("Dana Whitfield"), "signed-in name:\n{page}");
    assert!(page.contains("First steps"), "{page}");

    // Team: add an internal person.
    tab.nav("Team", "Team", "people-empty").await;
    assert!(tab.text().await.contains("No people yet."));
    tab.click_link("Add a person").await;
    tab.wait_for("//h1[normalize-space()='Add a person']").await;
    tab.shot("person-form").await;
    tab.fill("name", MAYA).await;
    tab.choose("kind", "Internal (on staff)").await;
    tab.fill("title", "Head of demand generation").await;
    tab.fill("weekly_capacity", "40").await;
    tab.click_button("Add person").await;
    tab.wait_for("//p[@role='status'][normalize-space()='Person saved.']")
        .await;
    tab.shot("people-one").await;

    // An agency person, first without naming the agency: the form says what to fix and keeps
    // what was typed.
    tab.click_link("Add a person").await;
    tab.wait_for("//h1[normalize-space()='Add a person']").await;
    tab.fill("name", TOM).await;
    tab.choose("kind", "Agency").await;
    tab.fill("title", "Paid media lead").await;
    tab.fill("weekly_capacity", "20").await;
    tab.click_button("Add person").await;
    let message = tab.field_error("organization").await;
    tab.shot("person-form-missing-organization").await;
    assert!(
        message.contains("Name the agency or company"),
        "organization message: {message:?}"
    );
    assert!(tab
        .text()
        .await
        .contains("Some details need fixing before this person can be saved"));
    assert_eq!(tab.value("name").await, TOM);
    assert_eq!(tab.value("weekly_capacity").await, "20");
    assert_eq!(tab.chosen("kind").await, "Agency");
    tab.fill("organization", "Brightline Media").await;
    tab.click_button("Add person").await;
    tab.wait_for("//p[@role='status'][normalize-space()='Person saved.']")
        .await;
    tab.shot("people-list").await;
    let people = tab.table("main table").await;
    let row_of = |name: &str| {
        people
            .iter()
            .find(|r| r.first().is_some_and(|c| c.starts_with(name)))
            .unwrap_or_else(|| panic!("{name} is not on the team list: {people:?}"))
            .clone()
    };
    let maya = row_of(MAYA);
    assert_eq!(maya[1], "Internal", "{maya:?}");
    assert!(maya[5].contains("0 h of 40 h"), "{maya:?}");
    let tom = row_of(TOM);
    assert!(tom[0].contains("Brightline Media"), "{tom:?}");
    assert_eq!(tom[1], "Agency", "{tom:?}");

    // A function Maya decides and Tom's agency executes, ten hours a week.
    tab.nav("Functions", "Functions", "functions").await;
    tab.click_link("Add a function").await;
    tab.wait_for("//h1[normalize-space()='Add a function']")
        .await;
    tab.shot("function-form").await;
    tab.fill("name", "Paid acquisition").await;
    tab.choose("sourcing", "Hybrid: staff and partners").await;
    tab.fill(
        "description",
        "Search and social ads, budgets and targeting.",
    )
    .await;
    tab.choose("business_owner_id", MAYA).await;
    tab.choose("execution_owner_id", TOM_AS_OPTION).await;
    tab.fill("weekly_hours", "10").await;
    tab.click_button("Add function").await;
    tab.wait_for("//p[@role='status'][normalize-space()='Function saved.']")
        .await;
    tab.shot("functions-list").await;
    let functions = tab.table("main table").await;
    let row = functions
        .iter()
        .find(|r| r.first().is_some_and(|c| c == "Paid acquisition"))
        .unwrap_or_else(|| panic!("the function is not listed: {functions:?}"));
    assert_eq!(row[2], MAYA, "{row:?}");
    assert_eq!(row[3], "Tom Reyes (Brightline Media)", "{row:?}");
    assert_eq!(row[4], "10 h", "{row:?}");

    // Ownership: Maya decides, Tom executes, and Tom's load is ten of his twenty hours.
    tab.nav("Ownership", "Ownership", "ownership").await;
    let matrix = tab.table("table.matrix").await;
    let column = |name: &str| {
        matrix[0]
            .iter()
            .position(|h| h.starts_with(name))
            .unwrap_or_else(|| panic!("no column for {name}: {matrix:?}"))
    };
    let row = matrix
        .iter()
        .find(|r| r.first().is_some_and(|c| c == "Paid acquisition"))
        .unwrap_or_else(|| panic!("no matrix row for the function: {matrix:?}"));
    assert_eq!(row[column(MAYA)], "D", "{matrix:?}");
    assert_eq!(row[column(TOM)], "E", "{matrix:?}");
    let load = tab.table("h2 + .table-wrap table").await;
    let tom = load
        .iter()
        .find(|r| r.first().is_some_and(|c| c.starts_with(TOM)))
        .unwrap_or_else(|| panic!("Tom is not in the load table: {load:?}"));
    assert!(tom[3].contains("10 h of 20 h"), "{tom:?}");
    tab.scroll_to("//h2[normalize-space()='Load against capacity']")
        .await;
    tab.shot("ownership-load").await;

    // An agency cannot own the business decision: the page says so and keeps the typed name.
    tab.nav("Functions", "Functions", "functions-before-refusal")
        .await;
    tab.click_link("Add a function").await;
    tab.wait_for("//h1[normalize-space()='Add a function']")
        .await;
    tab.fill("name", "Events").await;
    tab.choose("sourcing", "External: done by a partner").await;
    tab.choose("business_owner_id", TOM_AS_OPTION).await;
    tab.choose("execution_owner_id", TOM_AS_OPTION).await;
    tab.fill("weekly_hours", "4").await;
    tab.click_button("Add function").await;
    let message = tab.field_error("business_owner_id").await;
    tab.shot("function-form-external-owner").await;
    assert!(
        message.contains("must be an internal person"),
        "business owner message: {message:?}"
    );
    assert!(tab
        .text()
        .await
        .contains("Some details need fixing before this function can be saved"));
    assert_eq!(tab.value("name").await, "Events");
    assert_eq!(tab.chosen("business_owner_id").await, TOM_AS_OPTION);
    assert_eq!(tab.value("weekly_hours").await, "4");

    // Health reads the model the lead just wrote down.
    tab.nav("Health", "Health", "health").await;
    let page = tab.text().await;
    assert!(page.contains("keel checks your operating model"), "{page}");

    // The same pages on a phone-sized window, for the eye.
    tab.resize(390, 844).await;
    for (path, heading, shot) in [
        ("/w/northwind", "Northwind Trading", "phone-dashboard"),
        ("/w/northwind/people", "Team", "phone-people"),
        (
            "/w/northwind/functions/new",
            "Add a function",
            "phone-function-form",
        ),
        ("/w/northwind/ownership", "Ownership", "phone-ownership"),
        ("/w/northwind/health", "Health", "phone-health"),
    ] {
        tab.visit(path, &format!("//h1[normalize-space()='{heading}']"), shot)
            .await;
    }

    tab.client.close().await.expect("close the browser session");
    drop(chromedriver);
    app.stop().await;
}
