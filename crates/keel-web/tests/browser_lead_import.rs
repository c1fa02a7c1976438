//! Importing leads in a real browser (headless Chromium through chromedriver, the real app on
//! a fresh SQLite database): a marketer uploads a large HubSpot export and watches its
//! progress move without reloading, reloads and finds it still running, cancels it and sees
//! the leads unchanged; then uploads a file keel does not know, maps its columns in the form
//! and sees it imported. Screenshots go to `<target dir>/screenshots/lead-import/`. Skips
//! loudly without Chromium, unless KEEL_REQUIRE_ALL=1.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};
use std::time::Duration;

fn write(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("keel_browser_import_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// The number of rows read that the live part of the page shows.
async fn rows_read(tab: &Tab) -> u64 {
    let text = tab
        .text_of("//div[@id='import-progress']//p[contains(., 'rows read')]")
        .await;
    text.split(" rows read")
        .next()
        .unwrap()
        .replace(',', "")
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("no count in {text:?}"))
}

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn a_marketer_watches_an_import_live_cancels_it_and_maps_another_file() {
    if !driver::available() {
        return;
    }
    // Paced, so the import is still running when the user cancels it however fast this
    // machine reads: 60,000 rows at 2,500 a second take 24 s.
    let config = keel_web::Config {
        import_rows_per_second: Some(2500),
        ..Default::default()
    };
    let app = TestApp::start(keel_testkit::TestDb::sqlite().await, config).await;
    let lead = app.user("dana@northwind.test", "Dana Whitfield").await;
    let ws = app
        .store
        .create_workspace("northwind", "Northwind Trading", Some(lead))
        .await
        .unwrap();
    let mut big =
        String::from("Record ID,Create Date,Original Source,First Conversion,Lifecycle Stage\n");
    for i in 0..60_000 {
        big.push_str(&format!(
            "{i},2026-10-{:02},Paid Search,Demo request,Lead\n",
            i % 28 + 1
        ));
    }
    let big = write("hubspot-contacts.csv", &big);
    let other = write(
        "pipedrive.csv",
        "Deal id;Added on;Where from\np-1;2026-04-01;Webinar\np-2;2026-04-02;Events\n",
    );

    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "lead-import");
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

    tab.nav("Leads", "Leads", "leads-empty").await;
    tab.click_link("Import a file").await;
    tab.wait_for("//h1[normalize-space()='Import leads']").await;
    tab.field("file").await.send_keys(&big).await.unwrap();
    tab.shot("file-chosen").await;
    tab.click_button("Upload and import").await;
    tab.wait_for("//strong[normalize-space()='Importing…']")
        .await;
    tab.shot("importing").await;
    let page = tab.client.current_url().await.unwrap().to_string();

    // The count moves while the page stays: the live part polls.
    let first = rows_read(&tab).await;
    let mut later = first;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        later = rows_read(&tab).await;
        if later > first {
            break;
        }
    }
    assert!(
        later > first,
        "the progress did not move: {first} then {later}"
    );

    // A reload finds it still running.
    tab.client.goto(&page).await.unwrap();
    tab.wait_for("//strong[normalize-space()='Importing…']")
        .await;
    tab.shot("after-reload").await;

    tab.click_button("Cancel the import").await;
    tab.wait_for("//p[@role='status']/strong[normalize-space()='Cancelled.']")
        .await;
    tab.shot("cancelled").await;
    assert_eq!(
        app.store
            .count_leads(ws.id, &Default::default())
            .await
            .unwrap(),
        0,
        "a cancelled import adds nothing"
    );

    // A file keel does not know: map its columns, save the mapping.
    tab.visit(
        "/w/northwind/leads/import",
        "//h1[normalize-space()='Import leads']",
        "upload-again",
    )
    .await;
    tab.field("file").await.send_keys(&other).await.unwrap();
    tab.click_button("Upload and import").await;
    tab.wait_for("//strong[normalize-space()='Which column is which?']")
        .await;
    tab.choose("map_external_id", "Deal id").await;
    tab.choose("map_created", "Added on").await;
    tab.choose("map_source", "Where from").await;
    tab.fill("system", "pipedrive").await;
    tab.fill("save_as", "Pipedrive deals").await;
    tab.shot("mapping").await;
    tab.click_button("Import with this mapping").await;
    tab.wait_for("//p[@role='status']/strong[normalize-space()='Imported.']")
        .await;
    tab.shot("imported").await;
    assert!(tab.text().await.contains("2 new leads"));
    tab.click_link("See the leads").await;
    tab.wait_for("//h1[normalize-space()='Leads']").await;
    let text = tab.text().await;
    assert!(
        text.contains("Webinar") && text.contains("pipedrive.csv"),
        "{text}"
    );
    tab.shot("leads").await;
    app.stop().await;
}
