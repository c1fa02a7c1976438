//! What the team aims at and what it pauses, in a real browser (headless Chromium through
//! chromedriver, the real app on a fresh SQLite database): a head of marketing sets the
//! revenue goal, writes a vague objective and reads its SMART check, fixes it, adds a priority
//! that needs more hours than the team has free and is made to choose what it pauses, sees the
//! paused priority and the channel-focus warning, and pastes the KPI's values to see its
//! chart. Screenshots go to `<target dir>/screenshots/priorities/`. Skips loudly without
//! Chromium, unless KEEL_REQUIRE_ALL=1.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};
use keel_domain::PersonKind;

const VAGUE: &str = "More leads";
const OUTCOME: &str = "Double sales-accepted leads from mid-market manufacturers";

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn a_head_of_marketing_sets_goals_and_pauses_for_a_new_priority_in_the_browser() {
    if !driver::available() {
        return;
    }
    let app = TestApp::sqlite().await;
    let lead = app.user("dana@northwind.test", "Dana Whitfield").await;
    let ws = app
        .store
        .create_workspace("northwind", "Northwind Trading", Some(lead))
        .await
        .unwrap();
    // One person with 20 h a week; a "now" priority already takes 12 of them.
    let dana = app
        .person(&ws, "Dana Whitfield", PersonKind::Internal)
        .await;
    let fair_goal = app
        .store
        .create_objective(
            ws.id,
            &common::objective(
                "Fill the spring trade fair with booked meetings",
                Some(dana),
            ),
        )
        .await
        .unwrap()
        .id;
    app.store
        .create_priority(
            ws.id,
            &keel_domain::PriorityDraft {
                status: keel_domain::priority::Status::Now,
                weekly_hours: 12.0,
                ..common::priority("Trade fair season", fair_goal)
            },
        )
        .await
        .unwrap();
    // Two that wait, to reorder.
    for (rank, title) in [(2, "Podcast series"), (3, "Partner webinars")] {
        app.store
            .create_priority(
                ws.id,
                &keel_domain::PriorityDraft {
                    rank,
                    ..common::priority(title, fair_goal)
                },
            )
            .await
            .unwrap();
    }
    // Three active channels: the default focus limit.
    for name in ["Paid search", "Events", "Email"] {
        app.store
            .create_channel(ws.id, &common::channel(name))
            .await
            .unwrap();
    }

    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "priorities");
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

    // The revenue goal, on the business layer of the Strategy page.
    tab.nav("Strategy", "Strategy", "strategy").await;
    tab.wait_for("//summary[starts-with(normalize-space(), 'Edit Business strategy')]")
        .await
        .click()
        .await
        .unwrap();
    tab.fill("revenue_goal", "2400000").await;
    tab.set_date("revenue_from", "2027-01-01").await;
    tab.set_date("revenue_to", "2027-12-31").await;
    tab.click_button("Save Business strategy").await;
    tab.wait_for("//p[@role='status'][normalize-space()='Layer saved.']")
        .await;
    assert!(tab.text().await.contains("Revenue goal: 2400000 from"));

    // A vague objective: a target without a baseline is refused, the rest kept.
    tab.nav("Objectives", "Objectives", "objectives").await;
    tab.click_link("Add an objective").await;
    tab.wait_for("//h1[normalize-space()='Add an objective']")
        .await;
    tab.fill("outcome", VAGUE).await;
    tab.fill("target", "80").await;
    tab.click_button("Add objective").await;
    let message = tab.field_error("baseline").await;
    tab.shot("target-without-baseline").await;
    assert!(
        message.starts_with("A target needs a baseline"),
        "{message}"
    );
    assert_eq!(tab.value("outcome").await, VAGUE);
    tab.fill("target", "").await;
    tab.click_button("Add objective").await;
    tab.wait_for("//p[@role='status'][starts-with(normalize-space(), 'Objective saved.')]")
        .await;
    tab.shot("vague-objective").await;
    let smart = tab.text().await;
    for missing in [
        "Specific: Say what will change, for whom, in at least 4 words",
        "Measurable: Name the metric (KPI) that shows the outcome.",
        "Relevant: Say what it serves: the revenue goal of 2400000 from",
        "Time-bound: Set a deadline.",
    ] {
        assert!(smart.contains(missing), "{missing}:\n{smart}");
    }

    // Fixed: every letter holds.
    tab.fill("outcome", OUTCOME).await;
    tab.choose("owner_id", "Dana Whitfield").await;
    tab.fill("metric", "Sales-accepted leads per month").await;
    tab.fill("baseline", "40").await;
    tab.fill("target", "80").await;
    tab.set_date("deadline", "2027-06-30").await;
    tab.fill("serves", "The 2027 revenue goal of 2.4 M").await;
    tab.click_button("Save changes").await;
    tab.wait_for("//p[@role='status'][starts-with(normalize-space(), 'Objective saved.')]")
        .await;
    tab.click_link(OUTCOME).await;
    tab.wait_for(&format!("//h1[normalize-space()='{OUTCOME}']"))
        .await;
    tab.shot("smart-objective").await;
    let page = tab.text().await;
    assert!(!page.contains("✗"), "every letter holds:\n{page}");

    // A priority needing 15 h when 8 are free: made to choose what it pauses.
    tab.nav("Priorities", "Priorities", "priorities").await;
    tab.click_link("Add a priority").await;
    tab.wait_for("//h1[normalize-space()='Add a priority']")
        .await;
    tab.fill("title", "Account-based pilot").await;
    tab.choose("objective_id", OUTCOME).await;
    tab.choose("owner_id", "Dana Whitfield").await;
    tab.choose("status", "Now").await;
    tab.fill("weekly_hours", "15").await;
    tab.click_button("Add priority").await;
    let message = tab.field_error("paused_id").await;
    tab.shot("must-pause").await;
    assert!(
        message.contains("needs 15 h a week, but the team has 8 h free"),
        "{message}"
    );
    assert_eq!(tab.value("title").await, "Account-based pilot");
    tab.choose("paused_id", "Trade fair season (now, 12 h a week)")
        .await;
    tab.click_button("Add priority").await;
    tab.wait_for("//p[@role='status'][normalize-space()='Priority saved.']")
        .await;
    tab.shot("paused").await;
    let list = tab.text().await;
    assert!(list.contains("Paused Trade fair season"), "{list}");

    // The arrows reorder what waits: "Partner webinars" one up, above "Podcast series".
    tab.wait_for("//button[@aria-label='Move Partner webinars up']")
        .await
        .click()
        .await
        .unwrap();
    tab.wait_for("//p[@role='status'][starts-with(normalize-space(), 'Priority moved')]")
        .await;
    tab.shot("moved").await;
    let list = tab.text().await;
    assert!(
        list.find("Partner webinars") < list.find("Podcast series"),
        "{list}"
    );
    tab.click_link("Account-based pilot").await;
    tab.wait_for("//h2[normalize-space()='The priority test']")
        .await;
    let test = tab.text().await;
    assert!(
        test.contains("\"Trade fair season\", paused to make room for it."),
        "{test}"
    );

    // A fourth active channel: the channels page warns.
    tab.nav("Channels", "Channels", "channels").await;
    tab.click_link("Add a channel").await;
    tab.wait_for("//h1[normalize-space()='Add a channel']")
        .await;
    tab.fill("name", "Webinars").await;
    tab.choose("status", "active").await;
    tab.fill("monthly_budget", "500").await;
    tab.click_button("Add channel").await;
    tab.wait_for("//p[@role='status'][normalize-space()='Channel saved.']")
        .await;
    tab.shot("over-focus-limit").await;
    let page = tab.text().await;
    assert!(
        page.contains("4 channels are active; the focus limit is 3."),
        "{page}"
    );
    assert!(page.contains("Webinars beyond the focus limit"), "{page}");

    // The KPI's values pasted at once: a bad date is named by its line and nothing loads.
    let kpi = app
        .store
        .create_metric(
            ws.id,
            &keel_domain::metric::MetricDraft {
                objective_id: app
                    .store
                    .list_objectives(ws.id)
                    .await
                    .unwrap()
                    .iter()
                    .find(|o| o.outcome == OUTCOME)
                    .map(|o| o.id),
                ..common::metric("Sales-accepted leads per month", None)
            },
        )
        .await
        .unwrap()
        .id;
    tab.visit(
        &format!("/w/northwind/metrics/{kpi}"),
        "//h1[normalize-space()='Sales-accepted leads per month']",
        "metric-empty",
    )
    .await;
    assert!(tab
        .text()
        .await
        .contains("The chart appears once the first value is entered."));
    tab.wait_for("//summary[normalize-space()='Paste many values at once']")
        .await
        .click()
        .await
        .unwrap();
    tab.fill(
        "csv",
        "period,value\n2026-07,41\n2026-8-40,44\n2026-09,52\n",
    )
    .await;
    tab.click_button("Load values").await;
    let alert = tab
        .wait_for("//div[@role='alert']")
        .await
        .text()
        .await
        .unwrap();
    tab.shot("paste-bad-line").await;
    assert!(
        alert.contains("Nothing was loaded") && alert.contains("Line 3"),
        "{alert}"
    );
    assert!(
        tab.value("csv").await.contains("2026-8-40"),
        "what was pasted is kept"
    );
    tab.fill("csv", "period,value\n2026-07,41\n2026-08,44\n2026-09,52\n")
        .await;
    tab.click_button("Load values").await;
    tab.wait_for("//p[@role='status'][starts-with(normalize-space(), 'Values loaded')]")
        .await;
    tab.shot("chart").await;
    let drawn = tab
        .client
        .execute(
            "const i = document.querySelector('figure.chart img');
             return i && i.complete ? i.naturalWidth : 0;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        drawn.as_u64().unwrap_or(0) > 0,
        "the chart is drawn: {drawn}"
    );
    let values = tab.table("table.numbers").await;
    let periods: Vec<&str> = values.iter().skip(1).map(|r| r[0].as_str()).collect();
    assert_eq!(periods.len(), 3, "{values:?}");

    // Removing a value asks first: declined, nothing goes; accepted, that value goes.
    let remove = "//tr[td[normalize-space()='Sep 2026']]//button[normalize-space()='Remove']";
    tab.wait_for(remove).await.click().await.unwrap();
    assert_eq!(
        tab.client.get_alert_text().await.unwrap(),
        "Remove the value for Sep 2026?"
    );
    tab.client.dismiss_alert().await.unwrap();
    assert_eq!(tab.table("table.numbers").await.len(), 4);
    tab.wait_for(remove).await.click().await.unwrap();
    tab.client.accept_alert().await.unwrap();
    tab.wait_for("//p[@role='status'][normalize-space()='Value removed.']")
        .await;
    tab.shot("value-removed").await;
    let values = tab.table("table.numbers").await;
    let periods: Vec<&str> = values.iter().skip(1).map(|r| r[0].as_str()).collect();
    assert_eq!(periods, ["Aug 2026", "Jul 2026"], "{values:?}");
}
