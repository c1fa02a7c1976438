//! The board in a real browser (headless Chromium, the real app on a fresh SQLite database):
//! a card dragged to the next column passes its gate; a card whose gate is shut comes back to
//! its column with the reason on it; the workflow filter applies as it changes. Screenshots go
//! to `<target dir>/screenshots/board/`. Skips loudly without Chromium, unless
//! KEEL_REQUIRE_ALL=1.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use keel_domain::{PersonDraft, PersonKind};
use std::time::Duration;

/// Drags the card titled `title` onto the column labelled `column`, with the mouse.
async fn drag(tab: &Tab, title: &str, column: &str) {
    let card = tab
        .wait_for(&format!(
            "//article[.//a[normalize-space()='{title}']]/small"
        ))
        .await;
    let target = tab
        .wait_for(&format!(
            "//section[@aria-label='{column}']//div[@data-cards]"
        ))
        .await;
    let ms = |n| Some(Duration::from_millis(n));
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: card,
            duration: ms(50),
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: ms(100),
            x: 10.0,
            y: 10.0,
        })
        .then(PointerAction::MoveToElement {
            element: target.clone(),
            duration: ms(300),
            x: 0.0,
            y: -5.0,
        })
        .then(PointerAction::MoveToElement {
            element: target,
            duration: ms(200),
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    tab.client
        .perform_actions(mouse)
        .await
        .unwrap_or_else(|e| panic!("drag {title} to {column}: {e}"));
    tab.client.release_actions().await.unwrap();
}

/// The note on a card in a column, once it is there.
async fn note_on(tab: &Tab, column: &str, title: &str, says: &str) -> String {
    tab.wait_for(&format!(
        "//section[@aria-label='{column}']//article[.//a[normalize-space()='{title}']]//p[contains(@class, 'card-note')][contains(., \"{says}\")]"
    ))
    .await
    .text()
    .await
    .unwrap()
}

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn a_card_dragged_to_the_next_column_moves_and_a_refused_one_comes_back_with_why() {
    if !driver::available() {
        return;
    }
    let app = TestApp::sqlite().await;
    let ana = app.user("ana@acme.test", "Ana Ruiz").await;
    let ws = app.workspace("acme", ana).await;
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
    let wf = app.workflow(&ws, "Campaign launch", me).await;
    app.workflow(&ws, "Content pieces", me).await;
    let ready = app.work(&ws, wf, "Spring webinar", Some(me)).await;
    let shut = app.work(&ws, wf, "Buyer guide", Some(me)).await;
    for i in 0..3 {
        app.store
            .set_check(ws.id, ready, 0, i, true, None)
            .await
            .unwrap();
    }

    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "board");
    tab.resize(1366, 900).await;
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

    // Every workflow at once; picking one shows its stages, without a "Show" click.
    tab.visit(
        "/w/acme/work/board",
        "//p[contains(., 'across all workflows, by status')]",
        "all-workflows",
    )
    .await;
    tab.choose("workflow", "Campaign launch").await;
    tab.wait_for("//section[@aria-label='Brief']").await;
    tab.shot("one-workflow").await;

    // Ready: dragged to Build, it is there after the server moved it.
    drag(&tab, "Spring webinar", "Build").await;
    let said = note_on(&tab, "Build", "Spring webinar", "Moved to Build").await;
    tab.shot("moved").await;
    assert_eq!(said, "Moved to Build.");
    let item = app.store.find_work(ws.id, ready).await.unwrap().unwrap();
    assert_eq!((item.stage, item.version), (1, 2));
    tab.wait_for("//section[@aria-label='Build']/h3/small[normalize-space()='1']")
        .await;

    // Shut: dragged to Build, it comes back to Brief with the reason on the card.
    drag(&tab, "Buyer guide", "Build").await;
    let why = note_on(
        &tab,
        "Brief",
        "Buyer guide",
        "checklist items are still open",
    )
    .await;
    tab.shot("refused").await;
    assert!(why.contains("3 checklist items are still open"), "{why}");
    assert_eq!(
        app.store
            .find_work(ws.id, shut)
            .await
            .unwrap()
            .unwrap()
            .stage,
        0
    );
    // Two columns ahead: one gate at a time.
    drag(&tab, "Spring webinar", "Launch").await;
    note_on(&tab, "Build", "Spring webinar", "one gate at a time").await;
    tab.wait_for("//section[@aria-label='Build']/h3/small[normalize-space()='1']")
        .await;
    tab.wait_for("//section[@aria-label='Brief']/h3/small[normalize-space()='1']")
        .await;

    // The card's button still moves it without a mouse.
    assert_eq!(
        app.store
            .find_work(ws.id, ready)
            .await
            .unwrap()
            .unwrap()
            .version,
        2,
        "a refused drop changed nothing"
    );

    tab.client.close().await.expect("close the browser session");
    drop(chromedriver);
    app.stop().await;
}
