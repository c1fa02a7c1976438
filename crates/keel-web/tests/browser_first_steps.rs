//! First run and approvals in a real browser (headless Chromium through chromedriver, the
//! real app on a fresh SQLite database): a head of marketing opens a fresh keel, creates the
//! first account and workspace on the first-run page, and lands on first steps; a decision
//! owner approves, in one click from My work, the work waiting for her. Screenshots go to
//! `<target dir>/screenshots/first-steps/`. Skips loudly without Chromium, unless
//! KEEL_REQUIRE_ALL=1.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};
use keel_domain::work::transition::{self, Action, Actor};
use keel_domain::{PersonDraft, PersonKind};

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn a_fresh_keel_is_set_up_in_the_browser_and_opens_on_first_steps() {
    if !driver::available() {
        return;
    }
    let app = TestApp::sqlite().await;
    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "first-steps");

    // No account yet: the address of keel opens the first-run page.
    tab.visit("/", "//h1[normalize-space()='Set up keel']", "first-run")
        .await;
    tab.fill("name", "Dana Whitfield").await;
    tab.fill("email", "dana@northwind.test").await;
    tab.fill("password", "a long first password").await;
    tab.fill("password_again", "a long frist password").await;
    tab.fill("hours", "32").await;
    tab.fill("workspace", "Northwind Trading").await;
    tab.click_button("Create my account and workspace").await;
    let message = tab.field_error("password_again").await;
    tab.shot("first-run-mistyped").await;
    assert!(message.contains("The two passwords differ"), "{message}");
    assert_eq!(tab.value("name").await, "Dana Whitfield");
    assert_eq!(tab.value("workspace").await, "Northwind Trading");
    assert_eq!(
        tab.value("password").await,
        "",
        "a password is never sent back"
    );
    tab.fill("password", "a long first password").await;
    tab.fill("password_again", "a long first password").await;
    tab.click_button("Create my account and workspace").await;

    // Signed in, on the new workspace's first steps, not on a wall of errors.
    tab.wait_for("//h1[normalize-space()='Northwind Trading']")
        .await;
    tab.shot("first-steps").await;
    let page = tab.text().await;
    assert!(page.contains("Dana Whitfield"), "signed in:\n{page}");
    assert!(page.contains("First steps"), "{page}");
    assert!(page.contains("Give every function its owners"), "{page}");
    assert!(page.contains("Healthy"), "{page}");
    tab.click_link("Name owners").await;
    tab.wait_for("//h1[normalize-space()='Owners of functions']")
        .await;
    tab.nav("Health", "Health", "health-setting-up").await;
    assert!(tab.text().await.contains("Setting up"));

    // Signed out, the first-run page is gone for good.
    tab.click_button("Sign out").await;
    tab.visit(
        "/setup",
        "//h1[normalize-space()='Sign in to keel']",
        "setup-gone",
    )
    .await;

    tab.client.close().await.expect("close the browser session");
    drop(chromedriver);
    app.stop().await;
}

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn a_decision_owner_approves_from_my_work_in_one_click() {
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
    let sam = app.person(&ws, "Sam Okafor", PersonKind::Internal).await;
    let wf_id = app.workflow(&ws, "Campaign launch", me).await;
    let id = app.work(&ws, wf_id, "Spring webinar", Some(sam)).await;
    // Sam's team took it through Brief and Build: it waits at the pre-launch check.
    let wf = app
        .store
        .find_workflow(ws.id, wf_id)
        .await
        .unwrap()
        .unwrap();
    let anyone = Actor {
        is_decision_owner: false,
    };
    for _ in 0..2 {
        let item = app.store.find_work(ws.id, id).await.unwrap().unwrap();
        for i in 0..wf.spec.stages[item.stage].checklist.len() {
            app.store
                .set_check(ws.id, id, item.stage, i, true, None)
                .await
                .unwrap();
        }
        let gate = app.store.gate_state(ws.id, id, item.stage).await.unwrap();
        let o = transition::apply(
            &item,
            &wf.spec,
            &gate,
            &Action::Advance {
                reason: String::new(),
            },
            anyone,
            0,
            &keel_domain::Zone::utc(),
        )
        .unwrap();
        app.store
            .record_move(ws.id, id, item.version, &o, None)
            .await
            .unwrap();
    }

    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "approvals");
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
    // Home says what waits for her.
    tab.wait_for("//article[@id='approvals']//a[normalize-space()='Spring webinar']")
        .await;
    tab.shot("home-approvals").await;

    tab.nav("Work", "Work", "work").await;
    tab.click_link("My work").await;
    tab.wait_for("//h1[normalize-space()='My work']").await;
    tab.shot("my-work-waiting").await;
    let approvals = tab.table("#approvals table").await;
    assert_eq!(approvals.len(), 2, "{approvals:?}");
    assert_eq!(approvals[1][0], "Spring webinar");
    assert_eq!(approvals[1][1], "Campaign launch · Pre-launch check");
    assert_eq!(approvals[1][2], "Waiting for approval");
    assert_eq!(approvals[1][3], "Sam Okafor");

    // One click.
    tab.wait_for("//section[@id='approvals']//button[normalize-space()='Approve']")
        .await
        .click()
        .await
        .unwrap();
    tab.wait_for("//p[@role='status'][starts-with(normalize-space(), 'Approved.')]")
        .await;
    tab.shot("my-work-approved").await;
    let page = tab.text().await;
    assert!(page.contains("Nothing waits for your decision."), "{page}");
    let item = app.store.find_work(ws.id, id).await.unwrap().unwrap();
    assert_eq!(item.status.as_str(), "in_progress");
    assert!(app.store.gate_state(ws.id, id, 2).await.unwrap().approved);
    // The item's history says who approved.
    tab.visit(
        &format!("/w/acme/work/{id}"),
        "//h1[normalize-space()='Spring webinar']",
        "item-approved",
    )
    .await;
    assert!(tab.text().await.contains("Approved by the decision owner"));

    tab.client.close().await.expect("close the browser session");
    drop(chromedriver);
    app.stop().await;
}
