//! Ticks and approvals in a real browser (headless Chromium, the real app on a fresh SQLite
//! database), and without a page load: a mark set on `window` before the click must still be
//! there after it, which it would not be had the browser loaded a new page. On the work item
//! page the decision owner ticks a checklist with the mouse, the space bar and Enter, and
//! approves the stage; from My work she approves another item in one click and it leaves
//! the list. Screenshots go to `<target dir>/screenshots/approvals/`. Skips loudly without
//! Chromium, unless KEEL_REQUIRE_ALL=1.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::Locator;
use keel_domain::work::{WorkDraft, WorkStatus};
use keel_domain::workflow::{templates, WorkflowSpec};
use keel_domain::{PersonDraft, PersonKind};
use serde_json::json;
use std::time::{Duration, Instant};

const LEAD: &str = "Ana Ruiz";
const FIRST: &str = "Spring webinar";
const SECOND: &str = "Buyer guide for CFOs";
const THIRD: &str = "Pricing page refresh";

/// Marks the page: a full page load forgets the mark, an htmx swap keeps it.
async fn mark(tab: &Tab) {
    tab.client
        .execute(
            "window.keelMark = 'still the same page'; return true;",
            vec![],
        )
        .await
        .expect("set the mark");
}

async fn assert_same_page(tab: &Tab, after: &str) {
    let m = tab
        .client
        .execute("return window.keelMark || null;", vec![])
        .await
        .expect("read the mark");
    assert_eq!(
        m,
        json!("still the same page"),
        "the page was loaded again after {after}"
    );
}

/// Waits until htmx has no request in flight and no swap settling: a key pressed on a button
/// htmx has swapped in but not yet taken over would submit its form the plain way (a full
/// page load, which the page allows without script).
async fn settled(tab: &Tab) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let busy = tab
            .client
            .execute(
                "return document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added') !== null;",
                vec![],
            )
            .await
            .expect("read htmx's state");
        if busy == json!(false) {
            return;
        }
        assert!(Instant::now() < deadline, "htmx did not settle");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Presses a key on whatever has the focus, the way a keyboard does, once htmx has settled.
async fn press(tab: &Tab, key: char) {
    settled(tab).await;
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    tab.client
        .perform_actions(keys)
        .await
        .unwrap_or_else(|e| panic!("press {key:?}: {e}"));
    tab.client.release_actions().await.unwrap();
}

/// Gives the focus to the element with this id, as Tab would.
async fn focus(tab: &Tab, id: &str) {
    tab.client
        .execute(
            "document.getElementById(arguments[0]).focus(); return document.activeElement.id;",
            vec![json!(id)],
        )
        .await
        .unwrap_or_else(|e| panic!("focus #{id}: {e}"));
}

async fn focused(tab: &Tab) -> String {
    let id = tab
        .client
        .execute(
            "return document.activeElement && document.activeElement.id;",
            vec![],
        )
        .await
        .expect("read the focus");
    id.as_str().unwrap_or_default().to_string()
}

/// Waits until nothing matches the XPath any more.
async fn wait_gone(tab: &Tab, xpath: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = tab.client.find_all(Locator::XPath(xpath)).await.unwrap();
        if found.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{xpath} is still on the page:\n{}",
            tab.text().await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The ticked (`☑`) state of a checklist item, once the page shows it.
fn ticked(index: usize, done: bool) -> String {
    format!("//button[@id='check-{index}'][@aria-pressed='{done}']")
}

struct Team {
    app: TestApp,
    ws: keel_store::Workspace,
    items: Vec<i64>,
}

/// Ana decides and runs a campaign SOP whose brief needs her approval; three items wait
/// for it.
async fn team() -> Team {
    let app = TestApp::sqlite().await;
    let ana = app.user("ana@acme.test", LEAD).await;
    let ws = app.workspace("acme", ana).await;
    let me = PersonDraft {
        name: LEAD.into(),
        kind: PersonKind::Internal,
        organization: None,
        title: None,
        email: None,
        weekly_capacity: 40.0,
        user_id: Some(ana),
    };
    let me = app.store.create_person(ws.id, &me).await.unwrap().id;
    let t = templates::find("campaign-launch").expect("the campaign template");
    let mut input = t.input(me, me, me, None);
    input.name = "Campaign launch".into();
    input.stages[0].needs_approval = true;
    let people = app.store.list_people(ws.id).await.unwrap();
    let spec = WorkflowSpec::parse(&input, &people, &[]).unwrap();
    let wf = app.store.create_workflow(ws.id, &spec, None).await.unwrap();
    let mut items = vec![];
    for title in [FIRST, SECOND, THIRD] {
        let d = WorkDraft {
            title: title.into(),
            execution_owner_id: Some(me),
            contributor_ids: vec![],
            estimated_hours: 4.0,
            start_date: None,
            planned_launch: None,
            first_review: None,
        };
        let status = keel_domain::work::transition::first_status(&wf.spec);
        assert_eq!(status, WorkStatus::AwaitingApproval);
        let w = app
            .store
            .start_work(ws.id, wf.id, &d, status, None)
            .await
            .unwrap();
        items.push(w.id);
    }
    Team { app, ws, items }
}

async fn sign_in(tab: &mut Tab) {
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
}

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn ticks_and_an_approval_on_the_item_page_swap_in_place_by_mouse_and_keyboard() {
    if !driver::available() {
        return;
    }
    let Team { app, ws, items } = team().await;
    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "approvals");
    sign_in(&mut tab).await;

    let item = items[0];
    tab.visit(
        &format!("/w/acme/work/{item}"),
        &format!("//h1[normalize-space()='{FIRST}']"),
        "item-waiting",
    )
    .await;
    let line = tab
        .wait_for("//p[@class='item-meta']")
        .await
        .text()
        .await
        .unwrap();
    assert!(line.starts_with("Waiting for approval"), "{line}");
    mark(&tab).await;

    // A click ticks the first item in place.
    tab.wait_for(&ticked(0, false)).await.click().await.unwrap();
    tab.wait_for(&ticked(0, true)).await;
    assert_same_page(&tab, "a tick with the mouse").await;

    // The space bar ticks the second; the focus stays on it, so the keyboard carries on.
    focus(&tab, "check-1").await;
    press(&tab, ' ').await;
    tab.wait_for(&ticked(1, true)).await;
    assert_same_page(&tab, "a tick with the space bar").await;
    assert_eq!(
        focused(&tab).await,
        "check-1",
        "the focus was lost in the swap"
    );

    // Enter ticks the third, and Enter on a ticked one unticks it again.
    focus(&tab, "check-2").await;
    press(&tab, Key::Enter.into()).await;
    tab.wait_for(&ticked(2, true)).await;
    assert_eq!(focused(&tab).await, "check-2");
    press(&tab, Key::Enter.into()).await;
    tab.wait_for(&ticked(2, false)).await;
    press(&tab, ' ').await;
    tab.wait_for(&ticked(2, true)).await;
    assert_same_page(&tab, "ticks with Enter").await;
    tab.shot("item-ticked").await;

    // Approving by keyboard: the badge turns, the status line says the work goes on.
    focus(&tab, "approve").await;
    press(&tab, Key::Enter.into()).await;
    tab.wait_for("//span[normalize-space()='Approved by the decision owner']")
        .await;
    assert_same_page(&tab, "an approval with Enter").await;
    let line = tab
        .wait_for("//p[@class='item-meta']")
        .await
        .text()
        .await
        .unwrap();
    assert!(line.starts_with("Intake"), "{line}");
    assert!(
        tab.client
            .find_all(Locator::Css("#approve"))
            .await
            .unwrap()
            .is_empty(),
        "the approve button is gone once approved"
    );
    // The history below the block was swapped too.
    let history = tab
        .wait_for("//h2[normalize-space()='History']/following-sibling::ul[1]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("Approved by the decision owner"),
        "{history}"
    );
    tab.shot("item-approved").await;

    // Approving the second with a click, same page too.
    let second = items[1];
    tab.visit(
        &format!("/w/acme/work/{second}"),
        &format!("//h1[normalize-space()='{SECOND}']"),
        "second-waiting",
    )
    .await;
    mark(&tab).await;
    tab.click_button("Approve this stage").await;
    tab.wait_for("//span[normalize-space()='Approved by the decision owner']")
        .await;
    assert_same_page(&tab, "an approval with a click").await;

    // What the page showed is what was stored.
    let gate = app.store.gate_state(ws.id, item, 0).await.unwrap();
    assert_eq!((gate.checked.len(), gate.approved), (3, true));
    for id in [item, second] {
        let w = app.store.find_work(ws.id, id).await.unwrap().unwrap();
        assert_eq!(w.status, WorkStatus::Intake, "item {id}");
    }
    // A fresh load shows the same.
    tab.visit(
        &format!("/w/acme/work/{item}"),
        "//span[normalize-space()='Approved by the decision owner']",
        "item-reloaded",
    )
    .await;
    for i in 0..3 {
        tab.wait_for(&ticked(i, true)).await;
    }

    tab.client.close().await.expect("close the browser session");
    drop(chromedriver);
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn a_decision_owner_approves_from_my_work_in_one_click_and_the_item_moves_on() {
    if !driver::available() {
        return;
    }
    let Team { app, ws, items } = team().await;
    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "approvals-mine");
    sign_in(&mut tab).await;

    tab.visit(
        "/w/acme/work/mine",
        "//h1[normalize-space()='My work']",
        "my-work",
    )
    .await;
    let waiting = "//section[@id='approvals']//tbody/tr";
    let row = |title: &str| format!("{waiting}[td/a[normalize-space()='{title}']]");
    for t in [FIRST, SECOND, THIRD] {
        tab.wait_for(&row(t)).await;
    }
    let count = tab
        .wait_for("//h2[@id='approvals-title']/small")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(count, "3");
    mark(&tab).await;

    // One click on the row's button approves it; the page swaps its list in place.
    tab.wait_for(&format!(
        "{}//button[@aria-label='Approve {SECOND}']",
        row(SECOND)
    ))
    .await
    .click()
    .await
    .unwrap();
    wait_gone(&tab, &row(SECOND)).await;
    assert_same_page(&tab, "an approval from My work").await;
    tab.shot("my-work-approved").await;
    let page = tab.text().await;
    assert!(page.contains("Approved."), "the page says it: {page}");
    let count = tab
        .wait_for("//h2[@id='approvals-title']/small")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(count, "2");
    tab.wait_for(&row(FIRST)).await;
    tab.wait_for(&row(THIRD)).await;
    // It moved on: no longer waiting, it is now work Ana runs.
    tab.wait_for(&format!(
        "//section[@id='execute']//tbody/tr[td/a[normalize-space()='{SECOND}']][td/span[normalize-space()='Intake']]"
    ))
    .await;
    let w = app.store.find_work(ws.id, items[1]).await.unwrap().unwrap();
    assert_eq!(w.status, WorkStatus::Intake);
    assert!(
        app.store
            .gate_state(ws.id, items[1], 0)
            .await
            .unwrap()
            .approved
    );

    // By keyboard as well: Tab to the button and Enter.
    focus_button(&tab, &format!("Approve {FIRST}")).await;
    press(&tab, Key::Enter.into()).await;
    wait_gone(&tab, &row(FIRST)).await;
    assert_same_page(&tab, "an approval from My work by keyboard").await;

    // The last one: the list says there is nothing left to decide.
    tab.wait_for(&format!(
        "{}//button[@aria-label='Approve {THIRD}']",
        row(THIRD)
    ))
    .await
    .click()
    .await
    .unwrap();
    tab.wait_for(
        "//section[@id='approvals']/p[normalize-space()='Nothing waits for your decision.']",
    )
    .await;
    assert_same_page(&tab, "the last approval").await;
    tab.shot("my-work-none-waiting").await;

    tab.client.close().await.expect("close the browser session");
    drop(chromedriver);
    app.stop().await;
}

/// Gives the focus to the button with this accessible label.
async fn focus_button(tab: &Tab, label: &str) {
    let b = tab
        .wait_for(&format!("//button[@aria-label='{label}']"))
        .await;
    let arg = serde_json::to_value(&b).expect("an element reference");
    tab.client
        .execute("arguments[0].focus();", vec![arg])
        .await
        .expect("focus the button");
}
