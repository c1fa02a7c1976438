//! Search in a real browser (headless Chromium, the real app on a fresh SQLite database):
//! `/` on any page puts the cursor in the header's search box, typing and Enter lists what
//! matches by kind, a result opens its page, Escape leaves the box, and a query too long is
//! refused with the reason while what was typed stays. Screenshots go to
//! `<target dir>/screenshots/search/`. Skips loudly without Chromium, unless KEEL_REQUIRE_ALL=1.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use keel_domain::{PersonDraft, PersonKind};
use serde_json::json;

/// Types on whatever has the focus, key by key, the way a keyboard does.
async fn keys(tab: &Tab, typed: &str) {
    let mut k = KeyActions::new("keyboard".into());
    for c in typed.chars() {
        k = k
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
    }
    tab.client
        .perform_actions(k)
        .await
        .unwrap_or_else(|e| panic!("type {typed:?}: {e}"));
    tab.client.release_actions().await.unwrap();
}

/// What has the focus: its tag and `data-search` mark, e.g. "INPUT search" for the box.
async fn focused(tab: &Tab) -> String {
    let v = tab
        .client
        .execute(
            "const e = document.activeElement;
             return e.tagName + (e.hasAttribute('data-search') ? ' search' : '');",
            vec![],
        )
        .await
        .expect("read the focus");
    v.as_str().unwrap_or_default().to_string()
}

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn slash_focuses_search_from_any_page_and_a_result_opens_its_page() {
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
        title: Some("Head of marketing".into()),
        email: None,
        weekly_capacity: 40.0,
        user_id: Some(ana),
    };
    let me = app.store.create_person(ws.id, &me).await.unwrap().id;
    let sam = app.person(&ws, "Sam Webber", PersonKind::Internal).await;
    let wf = app.workflow(&ws, "Webinar programme", me).await;
    app.workflow(&ws, "Content pieces", me).await;
    let item = app.work(&ws, wf, "Spring webinar", Some(sam)).await;
    app.work(&ws, wf, "Buyer guide", Some(sam)).await;

    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "search");
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

    // From the board: "/" goes to the box, and is not typed into it.
    tab.visit(
        "/w/acme/work/board",
        "//h1[normalize-space()='Board']",
        "board",
    )
    .await;
    assert_eq!(focused(&tab).await, "BODY");
    keys(&tab, "/").await;
    assert_eq!(
        focused(&tab).await,
        "INPUT search",
        "/ did not reach the box"
    );
    keys(&tab, "web").await;
    assert_eq!(tab.value("q").await, "web");
    tab.shot("typed").await;
    keys(&tab, &String::from(char::from(Key::Enter))).await;

    // The results, by kind: the item, the workflow, the person whose name holds the word.
    tab.wait_for("//h1[normalize-space()='Search']").await;
    tab.wait_for("//section[@aria-label='Work']//a[normalize-space()='Spring webinar']")
        .await;
    tab.wait_for("//section[@aria-label='Workflows']//a[normalize-space()='Webinar programme']")
        .await;
    tab.wait_for("//section[@aria-label='People']//a[normalize-space()='Sam Webber']")
        .await;
    tab.shot("results").await;
    let page = tab.text().await;
    assert!(page.contains("3 found for “web”"), "{page}");
    assert!(!page.contains("Buyer guide"), "{page}");
    assert!(!page.contains("Content pieces"), "{page}");
    // The box in the header keeps the words.
    let kept = tab
        .client
        .execute(
            "return document.querySelector('[data-search]').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(kept, json!("web"));

    // Every word must match.
    tab.visit(
        "/w/acme/search?q=spring+guide",
        "//h1[normalize-space()='Search']",
        "no-match",
    )
    .await;
    assert!(tab.text().await.contains("Nothing matches “spring guide”."));

    // From an item page, "/" then Escape leaves the box; "/" inside a field is just typed.
    tab.visit(
        &format!("/w/acme/work/{item}"),
        "//h1[normalize-space()='Spring webinar']",
        "item",
    )
    .await;
    keys(&tab, "/").await;
    assert_eq!(focused(&tab).await, "INPUT search");
    keys(&tab, &String::from(char::from(Key::Escape))).await;
    assert_ne!(focused(&tab).await, "INPUT search", "Escape left the box");
    keys(&tab, "/").await;
    keys(&tab, "guide/ebook").await;
    let typed = tab
        .client
        .execute(
            "return document.querySelector('[data-search]').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(typed, json!("guide/ebook"), "a / typed in the box is kept");

    // A result opens its page.
    tab.visit(
        "/w/acme/search?q=spring",
        "//h1[normalize-space()='Search']",
        "spring",
    )
    .await;
    tab.click_link("Spring webinar").await;
    tab.wait_for("//h1[normalize-space()='Spring webinar']")
        .await;
    assert_eq!(
        tab.client.current_url().await.unwrap().path(),
        format!("/w/acme/work/{item}")
    );

    // Too long: refused with the reason, the words still in the box.
    let long = "webinar ".repeat(30);
    tab.visit(
        &format!("/w/acme/search?q={}", long.trim().replace(' ', "+")),
        "//p[@role='alert']",
        "too-long",
    )
    .await;
    let alert = tab
        .wait_for("//p[@role='alert']")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(alert, "Keep the search under 200 characters.");
    assert_eq!(tab.value("q").await.len(), long.trim().len());

    tab.client.close().await.expect("close the browser session");
    drop(chromedriver);
    app.stop().await;
}
