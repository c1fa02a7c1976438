//! This week's review in a real browser (headless Chromium through chromedriver, the real app
//! on a fresh SQLite database, as every browser test): the facilitator opens the weekly
//! review, reads blocked work and a decision past due in the agenda, records two decisions (a
//! "pause" that pauses a priority once confirmed), tries to close with no outcome first and
//! reads why not, closes it, and finds the open decision in the next weekly agenda.
//! Screenshots go to `<target dir>/screenshots/reviews/`. Skips loudly without Chromium,
//! unless KEEL_REQUIRE_ALL=1.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};
use keel_domain::review::{DecisionDraft, DecisionKind, DecisionStatus};
use keel_domain::Role;
use keel_domain::{Date, PersonKind};
use serde_json::json;

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn a_facilitator_runs_this_weeks_review_in_the_browser() {
    if !driver::available() {
        return;
    }
    let app = TestApp::sqlite().await;
    let dana = app.user("dana@northwind.test", "Dana Whitfield").await;
    let ws = app.workspace("northwind", dana).await;
    let maya = app.person(&ws, "Maya Lind", PersonKind::Internal).await;
    let wf = app.workflow(&ws, "Campaign launch", maya).await;
    let item = app.work(&ws, wf, "Spring webinar", Some(maya)).await;
    let api = common::Api::new(&app, &app.token(&ws, dana, Role::Owner).await);
    let (s, e) = api
        .send_at(
            reqwest::Method::POST,
            &format!("/api/v1/work/{item}/moves"),
            1,
            Some(json!({"action": "block", "reason": "Waiting for legal to approve the claims"})),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let objective = app
        .store
        .create_objective(ws.id, &common::objective("Grow pipeline", Some(maya)))
        .await
        .unwrap()
        .id;
    let priority = app
        .store
        .create_priority(ws.id, &common::priority("Webinar series", objective))
        .await
        .unwrap()
        .id;
    let today = keel_web::time_fmt::today(&keel_domain::Zone::utc());
    app.store
        .create_decision(
            ws.id,
            None,
            today.add_days(-14),
            &DecisionDraft {
                what: "Rewrite the webinar invitation".into(),
                kind: DecisionKind::Fix,
                category: None,
                rationale: None,
                evidence: vec![],
                owner_id: maya,
                due: Some(today.add_days(-7)),
                status: DecisionStatus::Open,
            },
            false,
        )
        .await
        .unwrap();

    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "reviews");
    tab.visit(
        "/login",
        "//h1[normalize-space()='Sign in to keel']",
        "login",
    )
    .await;
    tab.fill("email", "dana@northwind.test").await;
    tab.fill("password", common::PASSWORD).await;
    tab.click_button("Sign in").await;
    tab.wait_for("//h1[normalize-space()='northwind Inc']")
        .await;

    // This week's agenda: the blocked work and the decision past due.
    tab.nav("Reviews", "Reviews", "reviews").await;
    tab.wait_for("//button[normalize-space()=\"Start this week's review\"]")
        .await
        .click()
        .await
        .unwrap();
    tab.wait_for("//h2[normalize-space()='Agenda']").await;
    tab.shot("agenda").await;
    let blocked = tab
        .wait_for("//section[@id='agenda-blocked']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        blocked.contains("Spring webinar is blocked since"),
        "{blocked}"
    );
    assert!(blocked.contains("Waiting for legal to approve the claims"));
    let due = tab
        .wait_for("//section[@id='agenda-decisions']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        due.contains("Rewrite the webinar invitation") && due.contains("past due"),
        "{due}"
    );

    // No outcome yet: the close is refused, and the page says why.
    tab.click_button("Close the review").await;
    let why = tab
        .wait_for("//p[@id='refusal']")
        .await
        .text()
        .await
        .unwrap();
    tab.shot("close-refused").await;
    assert!(why.contains("record at least one outcome"), "{why}");

    // A pause: the confirmation names the priority; nothing is paused before it.
    tab.fill(
        "what",
        "Pause the webinar series until legal has a standing approval",
    )
    .await;
    tab.choose("kind", "Pause").await;
    tab.choose("category", "Capacity").await;
    tab.choose("owner_id", "Maya Lind").await;
    type_date(&tab, "due", today.add_days(21)).await;
    tab.wait_for(&format!(
        "//input[@name='evidence'][@value='priority:{priority}']"
    ))
    .await
    .click()
    .await
    .unwrap();
    tab.click_button("Record the decision").await;
    let confirm = tab
        .wait_for("//div[@id='confirm-pause']")
        .await
        .text()
        .await
        .unwrap();
    tab.shot("confirm-pause").await;
    assert!(
        confirm.contains("This decision pauses: the priority Webinar series"),
        "{confirm}"
    );
    let p = app
        .store
        .find_priority(ws.id, priority)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.status.as_str(), "next");
    tab.click_button("Confirm and record").await;
    tab.wait_for(
        "//p[@role='status'][normalize-space()='Decision recorded; what it pauses is paused.']",
    )
    .await;
    let p = app
        .store
        .find_priority(ws.id, priority)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.status.as_str(), "paused");

    // A second decision, due today: the next weekly agenda lists it.
    tab.fill(
        "what",
        "Ask legal for a standing approval of webinar claims",
    )
    .await;
    tab.choose("kind", "Fix").await;
    tab.choose("category", "Handoff").await;
    tab.choose("owner_id", "Maya Lind").await;
    type_date(&tab, "due", today).await;
    tab.click_button("Record the decision").await;
    tab.wait_for("//p[@role='status'][normalize-space()='Decision recorded.']")
        .await;
    let outcomes = tab.table("#outcomes + .table-wrap table").await;
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");

    // Now it closes.
    tab.click_button("Close the review").await;
    tab.wait_for("//h1[normalize-space()='Reviews']").await;
    tab.shot("closed").await;
    let page = tab.text().await;
    assert!(page.contains("Review closed."), "{page}");
    let next = tab
        .wait_for("//section[@id='agenda-decisions']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        next.contains("Ask legal for a standing approval of webinar claims"),
        "the next weekly agenda lists the open decision:\n{next}"
    );
    assert!(
        !next.contains("Pause the webinar series"),
        "a decision due in three weeks is not due this week:\n{next}"
    );
}

/// Types a date into a date field the way a person does in an en-US Chromium (month, day,
/// year), and checks the field took it.
async fn type_date(tab: &Tab, name: &str, d: Date) {
    let (y, m, day) = d.ymd();
    let f = tab.field(name).await;
    f.send_keys(&format!("{m:02}{day:02}{y:04}")).await.unwrap();
    assert_eq!(
        tab.value(name).await,
        d.to_string(),
        "the date field {name} did not take {d}"
    );
}
