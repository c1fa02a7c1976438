//! Workflows and work through the pages: one-click SOP from a template, gates that say why
//! they are shut, approval, launch, a revision, a block, and two people moving one item.

mod common;

use common::{Browser, TestApp};
use keel_domain::{PersonDraft, PersonKind, Role};

/// Ana signs in, is linked to her own (internal) person, and owns the workspace.
async fn setup() -> (TestApp, Browser, i64) {
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
    (app, b, person)
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_workflow_from_a_template_takes_one_click_and_reads_as_an_sop() {
    let (_app, b, _) = setup().await;
    let (_, list) = b.text("/w/acme/workflows").await;
    assert!(list.contains("Campaign brief to launch") || list.contains("campaign-launch"));
    let r = b
        .post_form(
            "/w/acme/workflows/from-template",
            &[("template", "campaign-launch")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let sop = location(&r);
    let (s, html) = b.text(&sop).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Ana Ruiz") && html.contains("detailed"),
        "the SOP names its owner and level"
    );
    let (s, md) = b
        .text(&format!("{}/sop.md", sop.split('?').next().unwrap()))
        .await;
    assert_eq!(s, 200);
    assert!(md.starts_with("# "), "{md}");
}

#[tokio::test]
async fn two_decision_owners_are_refused_in_the_form_with_what_to_change() {
    let (app, b, me) = setup().await;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let other = app.person(&ws, "Ines Park", PersonKind::Internal).await;
    let (me, other) = (me.to_string(), other.to_string());
    let r = b
        .post_form(
            "/w/acme/workflows",
            &[
                ("name", "Webinar"),
                ("status", "draft"),
                ("decision_owner", &me),
                ("decision_owner", &other),
                ("execution_owner", &me),
                ("review_owner", &me),
                ("stage_name_0", "Plan"),
                ("stage_name_1", "plan"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("exactly one decision owner"), "{html}");
    assert!(html.contains("Two stages are called"));
    assert!(
        html.contains("value=\"Webinar\""),
        "the form keeps what was typed"
    );
}

#[tokio::test]
async fn work_passes_gates_only_when_ready_and_keeps_its_history() {
    let (app, b, _) = setup().await;
    let r = b
        .post_form(
            "/w/acme/workflows/from-template",
            &[("template", "campaign-launch")],
        )
        .await;
    let wf: String = location(&r)
        .split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = b
        .post_form(
            "/w/acme/work",
            &[
                ("workflow_id", &wf),
                ("title", "Spring webinar"),
                ("planned_launch", "2026-12-01"),
                ("start_date", "2026-11-20"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let item_url = location(&r).split('?').next().unwrap().to_string();
    let id: i64 = item_url.rsplit('/').next().unwrap().parse().unwrap();
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let version = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            store
                .find_work(ws.id, id)
                .await
                .unwrap()
                .unwrap()
                .version
                .to_string()
        }
    };

    // The gate is shut while the checklist is open, and the page says what is open.
    let v = version(&app).await;
    let r = b
        .post_form(
            &format!("{item_url}/move"),
            &[("action", "advance"), ("version", &v)],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("checklist items are still open"));

    // Tick every item of every stage, approve where needed, and pass each gate to launch.
    let wf_id: i64 = wf.parse().unwrap();
    let spec = app
        .store
        .find_workflow(ws.id, wf_id)
        .await
        .unwrap()
        .unwrap()
        .spec;
    for (stage, s) in spec.stages.iter().enumerate() {
        for i in 0..s.checklist.len() {
            let idx = i.to_string();
            assert_eq!(
                b.post_form(
                    &format!("{item_url}/check"),
                    &[("index", &idx), ("done", "1")]
                )
                .await
                .status(),
                303
            );
        }
        if s.needs_approval {
            let v = version(&app).await;
            let r = b
                .post_form(
                    &format!("{item_url}/move"),
                    &[("action", "advance"), ("version", &v)],
                )
                .await;
            assert!(
                r.text()
                    .await
                    .unwrap()
                    .contains("approval before the work moves on"),
                "stage {stage}"
            );
            assert_eq!(
                b.post_form(
                    &format!("{item_url}/move"),
                    &[("action", "approve"), ("version", &version(&app).await)]
                )
                .await
                .status(),
                303
            );
        }
        // A revision from the second gate: back to the first stage, then forward again.
        if stage == 1 {
            let v = version(&app).await;
            let r = b
                .post_form(
                    &format!("{item_url}/move"),
                    &[
                        ("action", "send_back"),
                        ("to", "0"),
                        ("reason", "The brief does not name the offer"),
                        ("version", &v),
                    ],
                )
                .await;
            assert_eq!(r.status(), 303);
            let v = version(&app).await;
            assert_eq!(
                b.post_form(
                    &format!("{item_url}/move"),
                    &[("action", "advance"), ("version", &v)]
                )
                .await
                .status(),
                303
            );
        }
        let v = version(&app).await;
        let r = b
            .post_form(
                &format!("{item_url}/move"),
                &[("action", "advance"), ("version", &v)],
            )
            .await;
        assert_eq!(r.status(), 303, "stage {stage} ({})", s.name);
    }
    let item = app.store.find_work(ws.id, id).await.unwrap().unwrap();
    assert_eq!((item.status.as_str(), item.revisions), ("launched", 1));
    let (_, html) = b.text(&item_url).await;
    assert!(
        html.contains("Sent back for a revision")
            && html.contains("The brief does not name the offer")
    );
    // The workflow's figures count it.
    let (_, sop) = b.text(&format!("/w/acme/workflows/{wf}")).await;
    assert!(sop.contains("of 1 launched"), "{sop}");
    // And so do the figures of the person who executed it.
    let owner = item.execution_owner_id.unwrap();
    let (_, person) = b.text(&format!("/w/acme/people/{owner}")).await;
    assert!(person.contains("1 item, 1 launched"), "{person}");
}

#[tokio::test]
async fn a_launch_waiting_for_blocked_work_asks_for_a_reason_and_keeps_it() {
    let (_app, b, me) = setup().await;
    let me = me.to_string();
    // One stage without a checklist: passing it launches.
    let r = b
        .post_form(
            "/w/acme/workflows",
            &[
                ("name", "Quick post"),
                ("status", "draft"),
                ("decision_owner", &me),
                ("execution_owner", &me),
                ("review_owner", &me),
                ("stage_name_0", "Publish"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let wf = location(&r)
        .split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let mut ids = vec![];
    for title in ["Customer story", "Story post"] {
        let r = b
            .post_form("/w/acme/work", &[("workflow_id", &wf), ("title", title)])
            .await;
        assert_eq!(r.status(), 303);
        ids.push(location(&r).split('?').next().unwrap().to_string());
    }
    let (story, post) = (&ids[0], &ids[1]);
    let story_id = story.rsplit('/').next().unwrap();
    let r = b
        .post_form(&format!("{post}/deps"), &[("blocked_by", story_id)])
        .await;
    assert_eq!(r.status(), 303);
    let r = b
        .post_form(
            &format!("{story}/move"),
            &[("action", "block"), ("reason", "Legal"), ("version", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(post).await;
    assert!(
        html.contains("Why launch anyway"),
        "the reason field is there: {html}"
    );
    let r = b
        .post_form(
            &format!("{post}/move"),
            &[("action", "advance"), ("version", "1")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("This item waits for &#39;Customer story&#39; (blocked), which is neither launched nor done."),
        "{html}"
    );
    assert!(html.contains("name=\"reason\""), "{html}");
    let r = b
        .post_form(
            &format!("{post}/move"),
            &[
                ("action", "advance"),
                ("version", "1"),
                ("reason", "The event is fixed"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(post).await;
    assert!(html.contains("Launched"), "{html}");
    assert!(html.contains("The event is fixed"), "{html}");
}

#[tokio::test]
async fn blocking_needs_a_reason_and_shows_on_the_board() {
    let (app, b, me) = setup().await;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let wf = app.workflow(&ws, "Campaign launch", me).await;
    let id = app.work(&ws, wf, "Spring webinar", Some(me)).await;
    let url = format!("/w/acme/work/{id}");
    let r = b
        .post_form(
            &format!("{url}/move"),
            &[("action", "block"), ("reason", " "), ("version", "1")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = b
        .post_form(
            &format!("{url}/move"),
            &[
                ("action", "block"),
                ("reason", "Waiting for legal"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, board) = b.text(&format!("/w/acme/work/board?workflow={wf}")).await;
    assert!(board.contains("Spring webinar") && board.contains("Waiting for legal"));
    let (_, list) = b.text("/w/acme/work?blocked=1").await;
    assert!(list.contains("Spring webinar"));
    assert_eq!(
        b.post_form(
            &format!("{url}/move"),
            &[("action", "unblock"), ("version", "2")]
        )
        .await
        .status(),
        303
    );
}

#[tokio::test]
async fn of_two_people_moving_one_item_at_once_one_succeeds_and_the_other_is_told() {
    let (app, b, me) = setup().await;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    app.member(&ws, "sam@acme.test", Role::Member).await;
    let sam = app.sign_in("sam@acme.test").await;
    let wf = app.workflow(&ws, "Campaign launch", me).await;
    let id = app.work(&ws, wf, "Spring webinar", Some(me)).await;
    let url = format!("/w/acme/work/{id}/move");
    // Both read version 1 and send their move at the same moment.
    let (r1, r2) = tokio::join!(
        b.post_form(
            &url,
            &[("action", "block"), ("reason", "Legal"), ("version", "1")]
        ),
        sam.post_form(&url, &[("action", "cancel"), ("version", "1")])
    );
    let mut statuses = [r1.status().as_u16(), r2.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 409]);
    let loser = if r1.status() == 409 { r1 } else { r2 };
    assert!(loser
        .text()
        .await
        .unwrap()
        .contains("Someone else moved or changed this item"));
}

#[tokio::test]
async fn dependency_cycles_are_refused() {
    let (app, b, me) = setup().await;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let wf = app.workflow(&ws, "Campaign launch", me).await;
    let a = app.work(&ws, wf, "Landing page", Some(me)).await;
    let c = app.work(&ws, wf, "Webinar", Some(me)).await;
    let (a_s, c_s) = (a.to_string(), c.to_string());
    assert_eq!(
        b.post_form(&format!("/w/acme/work/{c}/deps"), &[("blocked_by", &a_s)])
            .await
            .status(),
        303
    );
    let r = b
        .post_form(&format!("/w/acme/work/{a}/deps"), &[("blocked_by", &c_s)])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("in a loop"));
}

#[tokio::test]
async fn a_launch_before_the_start_is_refused_in_the_form() {
    let (app, b, me) = setup().await;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let wf = app.workflow(&ws, "Campaign launch", me).await.to_string();
    let r = b
        .post_form(
            "/w/acme/work",
            &[
                ("workflow_id", &wf),
                ("title", "Q3 event"),
                ("start_date", "2026-06-10"),
                ("planned_launch", "2026-06-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("is before the start") && html.contains("value=\"Q3 event\""));
}

#[tokio::test]
async fn the_board_moves_a_ready_card_and_sends_a_shut_gate_to_its_reason() {
    let (app, b, me) = setup().await;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let wf = app.workflow(&ws, "Campaign launch", me).await;
    let id = app.work(&ws, wf, "Spring webinar", Some(me)).await;
    let (_, board) = b.text(&format!("/w/acme/work/board?workflow={wf}")).await;
    assert!(board.contains("Next stage"));
    // One form for the board; each card's button names its item and the version it shows.
    assert_eq!(board.matches("name=\"csrf\"").count(), 2, "{board}");
    assert!(board.contains(&format!(
        "formaction=\"/w/acme/work/{id}/move\" name=\"version\" value=\"1\""
    )));
    // Its checklist is open: the button lands on the item with the reason.
    let r = b
        .post_form(
            &format!("/w/acme/work/{id}/move"),
            &[("action", "advance"), ("version", "1"), ("back", "board")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("checklist items are still open"));
    // Ready: the card moves and the board comes back.
    let spec = app
        .store
        .find_workflow(ws.id, wf)
        .await
        .unwrap()
        .unwrap()
        .spec;
    for i in 0..spec.stages[0].checklist.len() {
        let idx = i.to_string();
        b.post_form(
            &format!("/w/acme/work/{id}/check"),
            &[("index", &idx), ("done", "1")],
        )
        .await;
    }
    let r = b
        .post_form(
            &format!("/w/acme/work/{id}/move"),
            &[("action", "advance"), ("version", "1"), ("back", "board")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/w/acme/work/board?"));
    assert_eq!(
        app.store.find_work(ws.id, id).await.unwrap().unwrap().stage,
        1
    );
}

#[tokio::test]
async fn a_cancel_asks_first_and_is_undone_by_reopening_where_the_work_stopped() {
    let (app, b, me) = setup().await;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let viewer = app.member(&ws, "vic@acme.test", Role::Viewer).await;
    let _ = viewer;
    let wf = app.workflow(&ws, "Campaign launch", me).await;
    let id = app.work(&ws, wf, "Spring webinar", Some(me)).await;
    let page = format!("/w/acme/work/{id}");
    let url = format!("{page}/move");
    let (_, html) = b.text(&page).await;
    assert!(
        html.contains("data-confirm=\"Cancel “Spring webinar”?"),
        "the cancel button asks first"
    );
    let r = b
        .post_form(&url, &[("action", "cancel"), ("version", "1")])
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).ends_with("notice=work-cancelled"));
    let (_, html) = b.text(&location(&r)).await;
    assert!(
        html.contains("Work cancelled. Changed your mind?"),
        "{html}"
    );
    assert!(html.contains("This work is cancelled."), "{html}");
    assert!(html.contains("value=\"reopen\""), "an undo is offered");
    assert!(
        !html.contains("value=\"cancel\""),
        "nothing to cancel twice"
    );

    // A viewer may not undo it; a stale undo is told and changes nothing.
    let vic = app.sign_in("vic@acme.test").await;
    let r = vic
        .post_form(&url, &[("action", "reopen"), ("version", "2")])
        .await;
    assert_eq!(r.status(), 403);
    let r = b
        .post_form(&url, &[("action", "reopen"), ("version", "1")])
        .await;
    assert_eq!(r.status(), 409);
    let item = app.store.find_work(ws.id, id).await.unwrap().unwrap();
    assert_eq!(item.status.as_str(), "cancelled");

    let r = b
        .post_form(&url, &[("action", "reopen"), ("version", "2")])
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&location(&r)).await;
    assert!(html.contains("Work reopened where it stopped."), "{html}");
    assert!(html.contains("Reopened"), "the history says so");
    let item = app.store.find_work(ws.id, id).await.unwrap().unwrap();
    assert_eq!((item.status.as_str(), item.stage), ("intake", 0));
    // Open work has nothing to reopen: the page says why.
    let r = b
        .post_form(&url, &[("action", "reopen"), ("version", "3")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Only cancelled work can be reopened."));
}
