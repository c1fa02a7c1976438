//! Work through a workflow in a real browser: headless Chromium through chromedriver, against
//! the real app on a fresh SQLite database. A marketing lead who is her workflow's decision
//! owner turns the campaign template into an SOP with one click, starts a piece of work, and
//! takes it through every gate to launch: a gate refused while its checklist is open, an
//! approval, a revision, a block seen on the board. The SOP's figures then count it.
//!
//! The test reads what a person sees (visible text, not HTML) and saves a screenshot of each
//! page to `<target dir>/screenshots/work/`. Like `browser.rs` it skips loudly without
//! chromium and chromium-driver, unless KEEL_REQUIRE_ALL=1.

mod common;
#[allow(dead_code)]
#[path = "browser/driver.rs"]
mod driver;

use common::TestApp;
use driver::{ChromeDriver, Tab};
use fantoccini::Locator;
use keel_domain::workflow::templates;
use keel_domain::{Date, PersonDraft, PersonKind};

const LEAD: &str = "Ana Ruiz";
const WORKFLOW: &str = "Campaign brief to launch";
const ITEM: &str = "Spring webinar";
const SECOND: &str = "Customer story: Northwind";
const REVISION: &str = "The brief does not name the offer";
const BLOCKER: &str = "Waiting for legal to clear the speaker's claims";

/// An XPath string literal for any text (XPath 1.0 has no escapes).
fn lit(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else if !s.contains('"') {
        format!("\"{s}\"")
    } else {
        let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// The stage list of an item page marks the current stage "← now".
fn now_at(stage: &str) -> String {
    format!(
        "//ol[@class='stages']/li[@aria-current='step']/strong[normalize-space()={}]",
        lit(stage)
    )
}

/// A field of the form that holds the button labelled `button`: an item page has several
/// fields called `reason`, one per form.
fn field_of_form(button: &str, name: &str) -> String {
    format!(
        "//form[.//button[normalize-space()={}]]//*[@name='{name}']",
        lit(button)
    )
}

async fn click(tab: &Tab, xpath: &str) {
    tab.wait_for(xpath)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {xpath}: {e}"));
}

async fn text_of(tab: &Tab, xpath: &str) -> String {
    tab.wait_for(xpath).await.text().await.unwrap_or_default()
}

/// Types into the field found by XPath, replacing what was there.
async fn type_into(tab: &Tab, xpath: &str, value: &str) {
    let f = tab.wait_for(xpath).await;
    f.clear().await.unwrap();
    f.send_keys(value).await.unwrap();
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

/// The line under an item's title: status, workflow, owner, revisions, dates.
async fn status_line(tab: &Tab) -> String {
    text_of(tab, "//p[@class='item-meta']").await
}

/// The big figure and the line under it on one of the SOP's "How it runs" cards.
async fn figure(tab: &Tab, card: &str) -> (String, String) {
    let at = format!("//h2[normalize-space()='How it runs']/following-sibling::div[1]/article[header[normalize-space()={}]]", lit(card));
    (
        text_of(tab, &format!("{at}/p[contains(@class, 'big')]")).await,
        text_of(tab, &format!("{at}/p[contains(@class, 'muted')]")).await,
    )
}

/// Ticks every open checklist item of the current gate, one click each (swapped in place by
/// htmx, no page load), and returns what was ticked.
async fn tick_all(tab: &Tab) -> Vec<String> {
    let open = "//div[@class='checklist']//button[@aria-pressed='false']";
    let mut ticked = vec![];
    loop {
        tab.wait_for("//article/header/strong[starts-with(normalize-space(), 'Gate of')]")
            .await;
        let Some(button) = tab
            .client
            .find_all(Locator::XPath(open))
            .await
            .unwrap()
            .into_iter()
            .next()
        else {
            break;
        };
        let label = button.text().await.unwrap();
        let item = label
            .trim()
            .strip_prefix('☐')
            .unwrap_or_else(|| panic!("an open checklist item shows ☐: {label:?}"))
            .trim()
            .to_string();
        button.click().await.unwrap();
        tab.wait_for(&format!(
            "//div[@class='checklist']//button[@aria-pressed='true'][normalize-space()={}]",
            lit(&format!("☑ {item}"))
        ))
        .await;
        ticked.push(item);
        assert!(
            ticked.len() < 20,
            "the checklist never runs out: {ticked:?}"
        );
    }
    ticked
}

#[tokio::test]
#[ignore = "needs Chromium: install chromium and chromium-driver, run with --include-ignored"]
async fn a_decision_owner_takes_a_campaign_from_the_template_through_every_gate_to_launch() {
    if !driver::available() {
        return;
    }
    let template = templates::find("campaign-launch").expect("the campaign template");
    assert_eq!(template.name, WORKFLOW);
    let app = TestApp::sqlite().await;
    let ana = app.user("ana@acme.test", LEAD).await;
    let ws = app
        .store
        .create_workspace("acme", "Acme Analytics", Some(ana))
        .await
        .unwrap();
    // Ana is on the team as an internal person linked to her account, so a workflow made
    // from a template names her its decision owner.
    let me = PersonDraft {
        name: LEAD.into(),
        kind: PersonKind::Internal,
        organization: None,
        title: Some("Head of marketing".into()),
        email: None,
        weekly_capacity: 40.0,
        user_id: Some(ana),
    };
    app.store.create_person(ws.id, &me).await.unwrap();
    let today = keel_domain::Zone::utc().date_of(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    );
    let launch = today.add_days(30);

    let chromedriver = ChromeDriver::start();
    let mut tab = Tab::in_folder(chromedriver.session().await, &app.base, "work");

    // Sign in through the form.
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

    // Workflows: none yet, and the templates to start from.
    tab.nav("Workflows", "Workflows", "workflows-empty").await;
    assert!(tab.text().await.contains("No workflows yet."));
    tab.scroll_to("//h2[normalize-space()='Start from a template']")
        .await;
    tab.shot("workflows-templates").await;
    click(
        &tab,
        &format!(
            "//article[header/strong[normalize-space()={}]]//button[normalize-space()='Use this template']",
            lit(WORKFLOW)
        ),
    )
    .await;

    // The SOP page: Ana decides, and only the pre-launch check needs her approval.
    tab.wait_for(&format!("//h1[normalize-space()={}]", lit(WORKFLOW)))
        .await;
    tab.shot("sop").await;
    let sop_url = tab.client.current_url().await.unwrap();
    let sop_path = sop_url.path().to_string();
    let wf_id: i64 = sop_path.rsplit('/').next().unwrap().parse().unwrap();
    let page = tab.text().await;
    assert!(
        page.contains("Workflow created from the template as a draft"),
        "{page}"
    );
    assert!(page.contains(&format!("Decides: {LEAD}")), "{page}");
    for (name, checklist, needs_approval) in template.stages {
        let stage = format!("//h2[normalize-space()='Stages and gates']/following-sibling::ol[1]/li[strong[normalize-space()={}]]", lit(name));
        let text = text_of(&tab, &stage).await;
        assert_eq!(
            text.contains("needs the decision owner's approval"),
            *needs_approval,
            "{name}: {text}"
        );
        for c in *checklist {
            assert!(text.contains(c), "{name} lists {c:?}: {text}");
        }
    }
    let (launched, of) = figure(&tab, "On-time launches").await;
    assert_eq!((launched.as_str(), of.as_str()), ("—", "of 0 launched"));

    // Start work from the SOP: the form knows the workflow.
    tab.click_link("Start work").await;
    tab.wait_for("//h1[normalize-space()='Start work']").await;
    assert_eq!(tab.chosen("workflow_id").await, WORKFLOW);
    tab.fill("title", ITEM).await;
    type_date(&tab, "start_date", today).await;
    type_date(&tab, "planned_launch", launch).await;
    tab.shot("work-form").await;
    tab.click_button("Start work").await;
    tab.wait_for(&format!("//h1[normalize-space()={}]", lit(ITEM)))
        .await;
    let item_path = tab.client.current_url().await.unwrap().path().to_string();
    let line = status_line(&tab).await;
    assert!(
        line.contains(WORKFLOW)
            && line.contains(&format!("owner {LEAD}"))
            && line.contains(&format!("launch planned {launch}")),
        "{line}"
    );

    // The first gate is shut while its checklist is open, and the page says what is open.
    let (first, first_checks, _) = template.stages[0];
    tab.wait_for(&now_at(first)).await;
    tab.click_button("Pass the gate").await;
    let refusal = text_of(
        &tab,
        "//p[@role='alert'][contains(., 'checklist items are still open')]",
    )
    .await;
    tab.shot("item-gate-refused").await;
    assert!(
        refusal.contains(&format!(
            "{n} of {n} checklist items are still open",
            n = first_checks.len()
        )),
        "{refusal}"
    );
    for c in first_checks {
        assert!(refusal.contains(c), "the refusal names {c:?}: {refusal}");
    }
    tab.wait_for(&now_at(first)).await;

    // Every stage: tick its checklist, get the approval where it needs one, pass the gate.
    for (i, (stage, checklist, needs_approval)) in template.stages.iter().enumerate() {
        tab.wait_for(&now_at(stage)).await;
        let ticked = tick_all(&tab).await;
        assert_eq!(ticked, *checklist, "ticked at {stage}");

        if i == 1 {
            // A revision: back to the first stage with a reason, then through its gate
            // again. Its ticks are kept. The quiet actions open from their summary.
            click(&tab, "//summary[normalize-space()='Send back']").await;
            tab.choose("to", first).await;
            type_into(
                &tab,
                &field_of_form("Send back for a revision", "reason"),
                REVISION,
            )
            .await;
            tab.click_button("Send back for a revision").await;
            tab.wait_for(&now_at(first)).await;
            let line = status_line(&tab).await;
            assert!(line.contains("1 revision"), "{line}");
            let history = text_of(
                &tab,
                "//h2[normalize-space()='History']/following-sibling::ul[1]",
            )
            .await;
            assert!(
                history.contains(&format!("→ {first}: {REVISION}")),
                "{history}"
            );
            tab.scroll_to("//h2[normalize-space()='History']").await;
            tab.shot("item-sent-back").await;
            assert!(tick_all(&tab).await.is_empty(), "the ticks were kept");
            tab.click_button("Pass the gate").await;
            tab.wait_for(&now_at(stage)).await;
            assert!(tick_all(&tab).await.is_empty(), "the ticks were kept");

            // Blocked, with a reason the board shows.
            click(&tab, "//summary[normalize-space()='Mark blocked']").await;
            type_into(&tab, &field_of_form("Mark blocked", "reason"), BLOCKER).await;
            tab.click_button("Mark blocked").await;
            let blocked = text_of(
                &tab,
                "//p[@role='status'][strong[normalize-space()='Blocked:']]",
            )
            .await;
            assert!(blocked.contains(BLOCKER), "{blocked}");
            assert!(status_line(&tab).await.starts_with("Blocked"));
            tab.shot("item-blocked").await;
            click(
                &tab,
                "//div[@class='page-head']/a[normalize-space()='Board']",
            )
            .await;
            let card = text_of(
                &tab,
                &format!(
                    "//section[@aria-label={}]//article[.//a[normalize-space()={}]][.//span[normalize-space()='blocked']]",
                    lit(stage),
                    lit(ITEM)
                ),
            )
            .await;
            tab.shot("board-blocked").await;
            assert!(card.contains(BLOCKER), "{card}");
            assert!(tab.text().await.contains("1 blocked"));
            click(
                &tab,
                &format!("//section//a[normalize-space()={}]", lit(ITEM)),
            )
            .await;
            tab.click_button("Unblock").await;
            tab.wait_for("//button[normalize-space()='Mark blocked']")
                .await;
            assert!(!status_line(&tab).await.starts_with("Blocked"));
        }

        if *needs_approval {
            // Ticked but not approved: the gate says it waits for the decision owner.
            tab.click_button("Pass the gate").await;
            let refusal = text_of(
                &tab,
                "//p[@role='alert'][contains(., 'needs the decision owner')]",
            )
            .await;
            assert!(
                refusal.contains(&format!(
                    "'{stage}' needs the decision owner's approval before the work moves on"
                )),
                "{refusal}"
            );
            assert!(tab
                .text()
                .await
                .contains("Waiting for the decision owner's approval"));
            tab.shot("item-approval-pending").await;
            tab.click_button("Approve this stage").await;
            tab.wait_for("//span[normalize-space()='Approved by the decision owner']")
                .await;
        }

        if i + 1 < template.stages.len() {
            tab.click_button("Pass the gate").await;
            tab.wait_for(&now_at(template.stages[i + 1].0)).await;
        } else {
            tab.click_button("Launch").await;
            tab.wait_for("//button[normalize-space()='First review done: mark done']")
                .await;
        }
    }
    let line = status_line(&tab).await;
    assert!(
        line.starts_with("Launched")
            && line.contains("1 revision")
            && line.contains(&format!("launched {today}")),
        "{line}"
    );
    let history = text_of(
        &tab,
        "//h2[normalize-space()='History']/following-sibling::ul[1]",
    )
    .await;
    assert!(
        history.contains(REVISION) && history.contains(BLOCKER),
        "{history}"
    );
    tab.shot("item-launched").await;

    // The SOP's figures count the launch and the revision.
    click(
        &tab,
        &format!(
            "//p[@class='item-meta']/a[normalize-space()={}]",
            lit(WORKFLOW)
        ),
    )
    .await;
    tab.wait_for(&format!("//h1[normalize-space()={}]", lit(WORKFLOW)))
        .await;
    tab.scroll_to("//h2[normalize-space()='How it runs']").await;
    tab.shot("sop-figures").await;
    let (on_time, of) = figure(&tab, "On-time launches").await;
    assert_eq!((on_time.as_str(), of.as_str()), ("100%", "of 1 launched"));
    let (revisions, _) = figure(&tab, "Revisions per item").await;
    assert_eq!(revisions, "1");
    let (cycle, _) = figure(&tab, "Cycle time").await;
    assert!(cycle.ends_with(" d"), "cycle time: {cycle}");

    // The work list shows it launched, with its revision.
    tab.nav("Work", "Work", "work-list").await;
    let rows = tab.table("main table").await;
    let row = rows
        .iter()
        .find(|r| r.first().is_some_and(|c| c.starts_with(ITEM)))
        .unwrap_or_else(|| panic!("{ITEM} is not on the work list: {rows:?}"));
    assert!(row[0].contains("1 revision"), "{row:?}");
    assert_eq!(row[2], "Launched", "{row:?}");

    // A second item, so the board has work in a column.
    tab.click_link("Start work").await;
    tab.wait_for("//h1[normalize-space()='Start work']").await;
    tab.choose("workflow_id", WORKFLOW).await;
    tab.fill("title", SECOND).await;
    type_date(&tab, "start_date", today).await;
    tab.click_button("Start work").await;
    tab.wait_for(&format!("//h1[normalize-space()={}]", lit(SECOND)))
        .await;
    let second_path = tab.client.current_url().await.unwrap().path().to_string();
    tab.click_link("Board").await;
    // The workflow's board by stage: the new item at the first stage, the launched one kept
    // in its own column until it is marked done.
    tab.wait_for(&format!(
        "//section[@aria-label={}]//article//a[normalize-space()={}]",
        lit(first),
        lit(SECOND)
    ))
    .await;
    tab.wait_for(&format!(
        "//section[@aria-label='Launched']//article//a[normalize-space()={}]",
        lit(ITEM)
    ))
    .await;
    tab.shot("board").await;
    // The card's button posts the board's one form to its own item: with the checklist still
    // open, the move is refused and the item page says why.
    tab.click_button("Next stage →").await;
    tab.wait_for(&format!("//h1[normalize-space()={}]", lit(SECOND)))
        .await;
    let refused = tab.text().await;
    assert!(
        refused.contains("checklist items are still open"),
        "{refused}"
    );
    tab.shot("board-move-refused").await;

    // The same pages on a phone-sized window, for the eye.
    tab.resize(390, 844).await;
    let sop_ready = format!("//h1[normalize-space()={}]", lit(WORKFLOW));
    tab.visit(&sop_path, &sop_ready, "phone-sop").await;
    tab.scroll_to("//h2[normalize-space()='How it runs']").await;
    tab.shot("phone-sop-figures").await;
    let (revisions, _) = figure(&tab, "Revisions per item").await;
    eprintln!("revisions per item with a second, fresh item: {revisions}");
    tab.visit(
        &format!("/w/acme/work/board?workflow={wf_id}"),
        "//h1[normalize-space()='Board']",
        "phone-board",
    )
    .await;
    tab.visit(
        &item_path,
        &format!("//h1[normalize-space()={}]", lit(ITEM)),
        "phone-item-launched",
    )
    .await;
    tab.visit(
        &second_path,
        &format!("//h1[normalize-space()={}]", lit(SECOND)),
        "phone-item-open",
    )
    .await;
    tab.scroll_to("//button[normalize-space()='Mark blocked']")
        .await;
    tab.shot("phone-item-open-moves").await;

    tab.client.close().await.expect("close the browser session");
    drop(chromedriver);
    app.stop().await;
}
