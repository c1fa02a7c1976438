//! The board across workflows: every workflow's work by status, one workflow's by stage,
//! launched work kept until done, filters, and a dropped card making the same version-checked
//! move as the card's button (or saying why not).

mod common;

use common::{Browser, TestApp};
use keel_domain::{PersonDraft, PersonKind, Role};
use keel_store::Workspace;

async fn setup() -> (TestApp, Browser, Workspace, i64) {
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
    let person = app.store.create_person(ws.id, &me).await.unwrap().id;
    let b = app.sign_in("ana@acme.test").await;
    (app, b, ws, person)
}

/// Ticks every box of the item's current stage.
async fn tick_all(app: &TestApp, ws: &Workspace, wf: i64, id: i64) {
    let spec = app
        .store
        .find_workflow(ws.id, wf)
        .await
        .unwrap()
        .unwrap()
        .spec;
    let item = app.store.find_work(ws.id, id).await.unwrap().unwrap();
    for i in 0..spec.stages[item.stage].checklist.len() {
        app.store
            .set_check(ws.id, id, item.stage, i, true, None)
            .await
            .unwrap();
    }
}

async fn drop_on(b: &Browser, id: i64, version: i64, to: &str, reason: &str) -> (u16, String) {
    let v = version.to_string();
    let r = b
        .post_form(
            &format!("/w/acme/work/{id}/drop"),
            &[("to", to), ("version", &v), ("reason", reason)],
        )
        .await;
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The number shown in a column's heading.
fn count(html: &str, column: &str) -> usize {
    let at = html
        .find(&format!("data-column=\"{column}\""))
        .unwrap_or_else(|| panic!("no column {column}"));
    let rest = &html[at..];
    let c = rest.find("class=\"muted count\"").unwrap();
    let n = &rest[c..];
    let n = &n[n.find('>').unwrap() + 1..n.find("</small>").unwrap()];
    n.trim().parse().unwrap()
}

fn cards(html: &str, column: &str) -> usize {
    let at = html.find(&format!("data-column=\"{column}\"")).unwrap();
    let rest = &html[at..];
    let end = rest.find("</section>").unwrap();
    rest[..end].matches("<article ").count()
}

#[tokio::test]
async fn every_workflow_is_on_one_board_and_launched_work_stays_until_done() {
    let (app, b, ws, me) = setup().await;
    let campaigns = app.workflow(&ws, "Campaign launch", me).await;
    let content = app.workflow(&ws, "Content pieces", me).await;
    let webinar = app.work(&ws, campaigns, "Spring webinar", Some(me)).await;
    app.work(&ws, content, "Buyer guide", Some(me)).await;
    // The webinar goes all the way to launch through drops on the next column.
    for stage in 1..=4 {
        tick_all(&app, &ws, campaigns, webinar).await;
        let item = app.store.find_work(ws.id, webinar).await.unwrap().unwrap();
        if item.status.as_str() == "awaiting_approval" {
            let v = item.version.to_string();
            b.post_form(
                &format!("/w/acme/work/{webinar}/move"),
                &[("action", "approve"), ("version", &v)],
            )
            .await;
        }
        let item = app.store.find_work(ws.id, webinar).await.unwrap().unwrap();
        let to = if stage == 4 {
            "launched".to_string()
        } else {
            format!("stage:{stage}")
        };
        let (s, why) = drop_on(&b, webinar, item.version, &to, "").await;
        assert_eq!(s, 204, "drop on {to}: {why}");
    }
    let item = app.store.find_work(ws.id, webinar).await.unwrap().unwrap();
    assert_eq!(item.status.as_str(), "launched");

    // All workflows, by status: both items, the launched one in its own column.
    let (s, all) = b.text("/w/acme/work/board").await;
    assert_eq!(s, 200);
    assert!(all.contains("Spring webinar") && all.contains("Buyer guide"));
    assert!(all.contains("across all workflows, by status"), "{all}");
    assert_eq!(count(&all, "status:launched"), 1);
    assert_eq!(cards(&all, "status:launched"), 1);
    assert_eq!(count(&all, "status:intake"), cards(&all, "status:intake"));
    // One workflow by stage: the launched webinar is counted where it is shown.
    let (_, one) = b
        .text(&format!("/w/acme/work/board?workflow={campaigns}"))
        .await;
    assert!(!one.contains("Buyer guide"));
    assert_eq!((count(&one, "launched"), cards(&one, "launched")), (1, 1));
    assert_eq!(count(&one, "stage:3"), 0, "the Launch stage holds no card");
    // Filtered by an owner with nothing: empty columns, not an error.
    let sam = app.person(&ws, "Sam Okafor", PersonKind::Internal).await;
    let (_, none) = b.text(&format!("/w/acme/work/board?owner={sam}")).await;
    assert!(none.contains("0 items across all workflows"), "{none}");
    // Marked done, it leaves the board.
    let v = item.version.to_string();
    b.post_form(
        &format!("/w/acme/work/{webinar}/move"),
        &[("action", "done"), ("version", &v)],
    )
    .await;
    let (_, after) = b.text("/w/acme/work/board").await;
    assert!(!after.contains("Spring webinar"));
    app.stop().await;
}

#[tokio::test]
async fn a_drop_is_refused_with_the_reason_and_changes_nothing() {
    let (app, b, ws, me) = setup().await;
    let wf = app.workflow(&ws, "Campaign launch", me).await;
    let id = app.work(&ws, wf, "Spring webinar", Some(me)).await;
    // Its checklist is open: the gate says what is missing.
    let (s, why) = drop_on(&b, id, 1, "stage:1", "").await;
    assert_eq!(s, 422);
    assert!(why.contains("checklist items are still open"), "{why}");
    // Two columns ahead: one gate at a time.
    let (s, why) = drop_on(&b, id, 1, "stage:2", "").await;
    assert_eq!(
        (s, why.as_str()),
        (
            422,
            "Work passes one gate at a time: move it to 'Build' first."
        )
    );
    // Blocked without a reason: the transition asks for one; with one it blocks.
    let (s, why) = drop_on(&b, id, 1, "status:blocked", "").await;
    assert_eq!((s, why.as_str()), (422, "Say why the work is blocked."));
    let (s, _) = drop_on(&b, id, 1, "status:blocked", "Waiting for legal").await;
    assert_eq!(s, 204);
    // The version the card showed is now stale.
    let (s, why) = drop_on(&b, id, 1, "status:intake", "").await;
    assert_eq!(s, 409);
    assert!(why.contains("Someone else changed this item"), "{why}");
    let (s, _) = drop_on(&b, id, 2, "status:intake", "").await;
    assert_eq!(s, 204, "unblocked");
    // Nonsense columns are named.
    let (s, why) = drop_on(&b, id, 3, "done", "").await;
    assert_eq!(s, 422);
    assert!(why.contains("Choose a column of the board"), "{why}");
    let item = app.store.find_work(ws.id, id).await.unwrap().unwrap();
    assert_eq!(
        (item.stage, item.version, item.status.as_str()),
        (0, 3, "intake")
    );
    // A viewer may look but not move; another workspace's item is not found.
    app.member(&ws, "vic@acme.test", Role::Viewer).await;
    let viewer = app.sign_in("vic@acme.test").await;
    let (_, board) = viewer.text("/w/acme/work/board").await;
    assert!(board.contains("Spring webinar") && !board.contains("data-board"));
    let (s, _) = drop_on(&viewer, id, 3, "stage:1", "").await;
    assert_eq!(s, 403);
    let (s, _) = drop_on(&b, id + 1000, 1, "stage:1", "").await;
    assert_eq!(s, 404);
    app.stop().await;
}

#[tokio::test]
async fn a_card_button_comes_back_to_the_same_filtered_board() {
    let (app, b, ws, me) = setup().await;
    let wf = app.workflow(&ws, "Campaign launch", me).await;
    let id = app.work(&ws, wf, "Spring webinar", Some(me)).await;
    tick_all(&app, &ws, wf, id).await;
    let (_, board) = b
        .text(&format!("/w/acme/work/board?workflow={wf}&owner={me}"))
        .await;
    let back = format!("workflow={wf}&#38;owner={me}");
    assert!(
        board.contains(&format!("name=\"back_query\" value=\"{back}\"")),
        "{board}"
    );
    let r = b
        .post_form(
            &format!("/w/acme/work/{id}/move"),
            &[
                ("action", "advance"),
                ("version", "1"),
                ("back", "board"),
                (
                    "back_query",
                    &format!("workflow={wf}&owner={me}&x=<script>"),
                ),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/w/acme/work/board?workflow={wf}&owner={me}&notice=work-moved")
    );
    app.stop().await;
}
