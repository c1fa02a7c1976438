//! Approvals find their owner: work at a stage that needs the decision owner's approval is
//! "waiting for approval"; the decision owner finds it in My work and on Home and approves it
//! there in one click, through the same version-checked move as the item page.

mod common;

use common::{Api, Browser, TestApp};
use keel_domain::work::transition::{self, Action, Actor};
use keel_domain::work::WorkStatus;
use keel_domain::{PersonDraft, PersonKind, Role};
use keel_store::Workspace;

struct World {
    app: TestApp,
    ws: Workspace,
    /// Ana decides the workflow and is signed in; Sam is a member who runs the work.
    ana: Browser,
    sam: Browser,
    sam_person: i64,
    workflow: i64,
    /// At the campaign's "Pre-launch check", which needs Ana's approval.
    waiting: i64,
    /// Still at the brief.
    fresh: i64,
}

async fn linked(app: &TestApp, ws: &Workspace, user: i64, name: &str) -> i64 {
    let d = PersonDraft {
        name: name.into(),
        kind: PersonKind::Internal,
        organization: None,
        title: None,
        email: None,
        weekly_capacity: 40.0,
        user_id: Some(user),
    };
    app.store.create_person(ws.id, &d).await.unwrap().id
}

/// Passes the item's gates (ticking every checklist) until it reaches `stage`.
async fn advance_to(app: &TestApp, ws: &Workspace, id: i64, stage: usize) {
    loop {
        let item = app.store.find_work(ws.id, id).await.unwrap().unwrap();
        if item.stage == stage {
            return;
        }
        let wf = app
            .store
            .find_workflow(ws.id, item.workflow_id)
            .await
            .unwrap()
            .unwrap();
        for i in 0..wf.spec.stages[item.stage].checklist.len() {
            app.store
                .set_check(ws.id, id, item.stage, i, true, None)
                .await
                .unwrap();
        }
        let gate = app.store.gate_state(ws.id, id, item.stage).await.unwrap();
        let decider = Actor {
            is_decision_owner: true,
        };
        let mut item = item;
        if wf.spec.stages[item.stage].needs_approval && !gate.approved {
            let o = transition::apply(
                &item,
                &wf.spec,
                &gate,
                &Action::Approve,
                decider,
                0,
                &keel_domain::Zone::utc(),
            )
            .unwrap();
            item = app
                .store
                .record_move(ws.id, id, item.version, &o, None)
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
            decider,
            0,
            &keel_domain::Zone::utc(),
        )
        .unwrap();
        app.store
            .record_move(ws.id, id, item.version, &o, None)
            .await
            .unwrap();
    }
}

async fn world() -> World {
    let app = TestApp::sqlite().await;
    let ana_user = app.user("ana@acme.test", "Ana Ruiz").await;
    let ws = app.workspace("acme", ana_user).await;
    let ana_person = linked(&app, &ws, ana_user, "Ana Ruiz").await;
    let sam_user = app.member(&ws, "sam@acme.test", Role::Member).await;
    let sam_person = linked(&app, &ws, sam_user, "Sam Okafor").await;
    // The campaign template: Brief, Build, Pre-launch check (needs approval), Launch.
    let workflow = app.workflow(&ws, "Campaign launch", ana_person).await;
    let waiting = app
        .work(&ws, workflow, "Spring webinar", Some(sam_person))
        .await;
    advance_to(&app, &ws, waiting, 2).await;
    let fresh = app
        .work(&ws, workflow, "Retargeting ads", Some(sam_person))
        .await;
    let ana = app.sign_in("ana@acme.test").await;
    let sam = app.sign_in("sam@acme.test").await;
    World {
        app,
        ws,
        ana,
        sam,
        sam_person,
        workflow,
        waiting,
        fresh,
    }
}

/// The part of My work under a section's heading, up to the next section.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let rest = &html[start..];
    let end = rest.find("</section>").unwrap();
    &rest[..end]
}

#[tokio::test]
async fn work_reaching_an_approval_stage_waits_for_its_decision_owner() {
    let w = world().await;
    let item = w
        .app
        .store
        .find_work(w.ws.id, w.waiting)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((item.stage, item.status), (2, WorkStatus::AwaitingApproval));
    // The item page says so; for Ana, approving is the main button.
    let (_, html) = w.ana.text(&format!("/w/acme/work/{}", w.waiting)).await;
    assert!(html.contains("Waiting for approval"), "{html}");
    assert!(html.contains("id=\"approve\" class=\"primary\">Approve this stage</button>"));
    // The list finds it by that status, and only it.
    let (_, list) = w.ana.text("/w/acme/work?status=awaiting_approval").await;
    assert!(list.contains("Spring webinar") && !list.contains("Retargeting ads"));
    assert!(
        list.contains("<option value=\"awaiting_approval\" selected>Waiting for approval</option>")
    );
    // The API says the same.
    let token = w.app.token(&w.ws, 1, Role::Owner).await;
    let (s, body) = Api::new(&w.app, &token)
        .get("/api/v1/work?status=awaiting_approval")
        .await;
    assert_eq!(s, 200);
    let titles: Vec<&str> = body["work"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Spring webinar"]);
}

#[tokio::test]
async fn my_work_sorts_what_i_decide_run_help_with_and_what_is_blocked() {
    let w = world().await;
    // Sam helps with an item Ana runs, and one of Sam's is blocked.
    let ana_runs = w.app.work(&w.ws, w.workflow, "Partner page", None).await;
    let item = w
        .app
        .store
        .find_work(w.ws.id, ana_runs)
        .await
        .unwrap()
        .unwrap();
    let d = keel_domain::work::WorkDraft {
        title: item.title.clone(),
        execution_owner_id: None,
        contributor_ids: vec![w.sam_person],
        estimated_hours: 4.0,
        start_date: None,
        planned_launch: None,
        first_review: None,
    };
    w.app
        .store
        .update_work(w.ws.id, ana_runs, item.version, &d)
        .await
        .unwrap();
    let r = w
        .sam
        .post_form(
            &format!("/w/acme/work/{}/move", w.fresh),
            &[
                ("action", "block"),
                ("reason", "Waiting for legal"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    let (s, html) = w.ana.text("/w/acme/work/mine").await;
    assert_eq!(s, 200);
    let approvals = section(&html, "approvals");
    assert!(approvals.contains("Spring webinar"), "{approvals}");
    assert!(approvals.contains("value=\"approve\"") && approvals.contains("value=\"mine\""));
    // Blocked work in a workflow Ana decides is hers to know about.
    assert!(section(&html, "blocked").contains("Retargeting ads"));

    let (_, html) = w.sam.text("/w/acme/work/mine").await;
    assert!(section(&html, "approvals").contains("Nothing waits for your decision."));
    let runs = section(&html, "execute");
    assert!(
        runs.contains("Spring webinar") && runs.contains("Waiting for approval"),
        "{runs}"
    );
    assert!(
        !runs.contains("Retargeting ads"),
        "blocked work is listed apart"
    );
    assert!(section(&html, "contribute").contains("Partner page"));
    let blocked = section(&html, "blocked");
    assert!(blocked.contains("Retargeting ads") && blocked.contains("Waiting for legal"));
}

#[tokio::test]
async fn one_click_on_my_work_or_home_approves_and_a_stale_or_foreign_click_changes_nothing() {
    let w = world().await;
    let url = format!("/w/acme/work/{}/move", w.waiting);
    let version = w
        .app
        .store
        .find_work(w.ws.id, w.waiting)
        .await
        .unwrap()
        .unwrap()
        .version
        .to_string();
    // Home lists it for Ana, with the one-click form; not for Sam.
    let (_, home) = w.ana.text("/w/acme").await;
    assert!(home.contains("Waiting for your approval") && home.contains("Spring webinar"));
    assert!(home.contains("value=\"home\""));
    let (_, home) = w.sam.text("/w/acme").await;
    assert!(!home.contains("Waiting for your approval"));

    // Sam runs it but does not decide: refused, nothing recorded.
    let f = [
        ("action", "approve"),
        ("version", version.as_str()),
        ("back", "mine"),
    ];
    let r = w.sam.post_form(&url, &f).await;
    assert_eq!(r.status(), 403);
    // A stale version: told on the item page, nothing recorded.
    let r = w
        .ana
        .post_form(
            &url,
            &[("action", "approve"), ("version", "1"), ("back", "mine")],
        )
        .await;
    assert_eq!(r.status(), 409);
    let item = w
        .app
        .store
        .find_work(w.ws.id, w.waiting)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.status, WorkStatus::AwaitingApproval);
    assert!(
        !w.app
            .store
            .gate_state(w.ws.id, w.waiting, 2)
            .await
            .unwrap()
            .approved
    );

    // Ana approves from My work and lands back there, told.
    let r = w.ana.post_form(&url, &f).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/w/acme/work/mine?notice=work-approved"
    );
    let item = w
        .app
        .store
        .find_work(w.ws.id, w.waiting)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.status, WorkStatus::InProgress);
    assert!(
        w.app
            .store
            .gate_state(w.ws.id, w.waiting, 2)
            .await
            .unwrap()
            .approved
    );
    let (_, html) = w.ana.text("/w/acme/work/mine?notice=work-approved").await;
    assert!(html.contains("Approved."));
    assert!(section(&html, "approvals").contains("Nothing waits for your decision."));
    let (_, home) = w.ana.text("/w/acme").await;
    assert!(!home.contains("Waiting for your approval"));
}

#[tokio::test]
async fn approving_from_home_goes_back_home() {
    let w = world().await;
    let item = w
        .app
        .store
        .find_work(w.ws.id, w.waiting)
        .await
        .unwrap()
        .unwrap();
    let v = item.version.to_string();
    let r = w
        .ana
        .post_form(
            &format!("/w/acme/work/{}/move", w.waiting),
            &[("action", "approve"), ("version", &v), ("back", "home")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/w/acme?notice=work-approved");
}

#[tokio::test]
async fn a_partner_and_an_unlinked_member_see_only_their_own_plate() {
    let w = world().await;
    let partner = w.app.member(&w.ws, "agency@acme.test", Role::Partner).await;
    let agency = w
        .app
        .store
        .create_person(
            w.ws.id,
            &PersonDraft {
                name: "Brightline".into(),
                kind: PersonKind::Agency,
                organization: Some("Brightline Media".into()),
                title: None,
                email: None,
                weekly_capacity: 20.0,
                user_id: Some(partner),
            },
        )
        .await
        .unwrap()
        .id;
    w.app
        .work(&w.ws, w.workflow, "Paid social test", Some(agency))
        .await;
    let b = w.app.sign_in("agency@acme.test").await;
    let (s, html) = b.text("/w/acme/work/mine").await;
    assert_eq!(s, 200);
    assert!(section(&html, "execute").contains("Paid social test"));
    assert!(!html.contains("Spring webinar") && !html.contains("Retargeting ads"));
    // A member without a person of their own is told why nothing is theirs.
    w.app.member(&w.ws, "new@acme.test", Role::Member).await;
    let b = w.app.sign_in("new@acme.test").await;
    let (s, html) = b.text("/w/acme/work/mine").await;
    assert_eq!(s, 200);
    assert!(html.contains("not linked to a person"), "{html}");
    assert!(!html.contains("Spring webinar"));
}

#[tokio::test]
async fn work_started_at_a_stage_that_needs_approval_waits_from_the_start() {
    let w = world().await;
    let t = keel_domain::workflow::templates::find("content-publication").unwrap();
    let people = w.app.store.list_people(w.ws.id).await.unwrap();
    let ana = people.iter().find(|p| p.name == "Ana Ruiz").unwrap().id;
    let mut input = t.input(ana, w.sam_person, ana, None);
    input.stages[0].needs_approval = true;
    let spec = keel_domain::workflow::WorkflowSpec::parse(&input, &people, &[]).unwrap();
    let wf = w
        .app
        .store
        .create_workflow(w.ws.id, &spec, None)
        .await
        .unwrap();
    let token = w.app.token(&w.ws, 1, Role::Owner).await;
    let (s, item) = Api::new(&w.app, &token)
        .send(
            reqwest::Method::POST,
            "/api/v1/work",
            Some(serde_json::json!({"workflow_id": wf.id, "title": "Launch brief"})),
        )
        .await;
    assert_eq!(s, 201, "{item}");
    assert_eq!(item["status"], "awaiting_approval");
    // The page form starts it the same way.
    let r = w
        .ana
        .post_form(
            "/w/acme/work",
            &[
                ("workflow_id", &wf.id.to_string()),
                ("title", "Second brief"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = w.ana.text("/w/acme/work/mine").await;
    assert!(section(&html, "approvals").contains("Second brief"));
}
