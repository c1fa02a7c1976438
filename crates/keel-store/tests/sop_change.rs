//! Saving an SOP restates the work already at its stages (`work::sop_change`): a stage that
//! starts needing the decision owner's approval makes the work there wait for it, one that
//! stops lets waiting work go on; each with a line of history and a new version, in the
//! transaction that saves the SOP. On every backend.

use keel_domain::work::transition::{Approval, EventKind, Outcome};
use keel_domain::work::{WorkDraft, WorkItem, WorkStatus};
use keel_domain::workflow::{Assignment, Stage, WorkflowRole, WorkflowSpec, WorkflowStatus};
use keel_domain::{PersonDraft, PersonKind};
use keel_store::{Store, StoreError, WorkspaceId};

fn spec(owner: i64, brief: bool, build: bool) -> WorkflowSpec {
    let stage = |name: &str, needs_approval| Stage {
        name: name.into(),
        checklist: vec![],
        needs_approval,
    };
    WorkflowSpec {
        name: "Campaign launch".into(),
        function_id: None,
        purpose: "Launch well".into(),
        trigger: String::new(),
        inputs: vec![],
        quality_standard: String::new(),
        review_rhythm: String::new(),
        review_decisions: String::new(),
        escalation: String::new(),
        status: WorkflowStatus::Active,
        last_reviewed: None,
        next_review_due: None,
        risk_flags: vec![],
        frequency: Default::default(),
        complexity: Default::default(),
        level_override: None,
        override_reason: String::new(),
        assignments: vec![Assignment {
            person_id: owner,
            role: WorkflowRole::DecisionOwner,
        }],
        stages: vec![
            stage("Brief", brief),
            stage("Build", build),
            stage("Launch", false),
        ],
        max_blocked_days: 5,
    }
}

async fn setup(store: &Store) -> (WorkspaceId, i64) {
    let ws = store.create_workspace("acme", "Acme", None).await.unwrap();
    let d = PersonDraft {
        name: "Maya".into(),
        kind: PersonKind::Internal,
        organization: None,
        title: None,
        email: None,
        weekly_capacity: 40.0,
        user_id: None,
    };
    (ws.id, store.create_person(ws.id, &d).await.unwrap().id)
}

/// Stores an item at `stage` in `status`, with an approval of that stage when asked.
async fn at(
    store: &Store,
    ws: WorkspaceId,
    wf: i64,
    title: &str,
    stage: usize,
    status: WorkStatus,
    approved: bool,
) -> WorkItem {
    let d = WorkDraft {
        title: title.into(),
        execution_owner_id: None,
        contributor_ids: vec![],
        estimated_hours: 2.0,
        start_date: None,
        planned_launch: None,
        first_review: None,
    };
    let w = store
        .start_work(ws, wf, &d, WorkStatus::Intake, None)
        .await
        .unwrap();
    let mut next = w.clone();
    next.stage = stage;
    next.status = status;
    if status == WorkStatus::Blocked {
        next.blocked_reason = Some("Legal".into());
        next.blocked_since = Some(1);
    }
    let o = Outcome {
        next,
        at: 1,
        event: EventKind::Advanced,
        note: None,
        stage,
        approval: approved.then_some(Approval {
            stage,
            override_reason: None,
        }),
        clear_approvals_from: None,
    };
    store
        .record_move(ws, w.id, w.version, &o, None)
        .await
        .unwrap()
}

async fn now_of(store: &Store, ws: WorkspaceId, w: &WorkItem) -> WorkItem {
    store.find_work(ws, w.id).await.unwrap().unwrap()
}

keel_testkit::each_backend!(
    saving_an_sop_restates_the_work_at_stages_whose_approval_changed,
    |db| {
        let store: Store = db.store().await;
        let (ws, p) = setup(&store).await;
        let wf = store
            .create_workflow(ws, &spec(p, false, true), None)
            .await
            .unwrap();
        let brief = at(
            &store,
            ws,
            wf.id,
            "At the brief",
            0,
            WorkStatus::Intake,
            false,
        )
        .await;
        let redo = at(
            &store,
            ws,
            wf.id,
            "Back at the brief",
            0,
            WorkStatus::InProgress,
            false,
        )
        .await;
        let waiting = at(
            &store,
            ws,
            wf.id,
            "Waiting at build",
            1,
            WorkStatus::AwaitingApproval,
            false,
        )
        .await;
        let approved = at(
            &store,
            ws,
            wf.id,
            "Approved at build",
            1,
            WorkStatus::InProgress,
            true,
        )
        .await;
        let blocked = at(
            &store,
            ws,
            wf.id,
            "Blocked at the brief",
            0,
            WorkStatus::Blocked,
            false,
        )
        .await;
        let launch = at(
            &store,
            ws,
            wf.id,
            "At launch",
            2,
            WorkStatus::InProgress,
            false,
        )
        .await;

        // The brief starts needing approval, the build stops.
        let saved = store
            .update_workflow(ws, wf.id, wf.version, &spec(p, true, false), None)
            .await
            .unwrap();
        let status = |w: &WorkItem| w.status;
        let b = now_of(&store, ws, &brief).await;
        assert_eq!(status(&b), WorkStatus::AwaitingApproval);
        assert_eq!(
            b.version,
            brief.version + 1,
            "a form read before is now stale"
        );
        assert_eq!(
            status(&now_of(&store, ws, &redo).await),
            WorkStatus::AwaitingApproval
        );
        let w = now_of(&store, ws, &waiting).await;
        assert_eq!(status(&w), WorkStatus::InProgress);
        // Left as they were: in progress at build with its approval, blocked, at launch.
        for (before, now) in [
            (&approved, now_of(&store, ws, &approved).await),
            (&blocked, now_of(&store, ws, &blocked).await),
            (&launch, now_of(&store, ws, &launch).await),
        ] {
            assert_eq!(
                (now.status, now.version),
                (before.status, before.version),
                "{}",
                before.title
            );
        }
        // The history says why, at the stage the item is at.
        let events = store.list_events(ws, brief.id).await.unwrap();
        let last = events.last().unwrap();
        assert_eq!(last.kind, "sop_changed");
        assert_eq!(last.to_stage, Some(0));
        assert_eq!(
            last.note.as_deref(),
            Some(
                "The SOP now asks the decision owner to approve 'Brief' before the work moves on."
            )
        );
        let events = store.list_events(ws, waiting.id).await.unwrap();
        assert_eq!(
            events.last().unwrap().note.as_deref(),
            Some("The SOP no longer asks for the decision owner's approval at 'Build'.")
        );
        assert!(store
            .list_events(ws, launch.id)
            .await
            .unwrap()
            .iter()
            .all(|e| e.kind != "sop_changed"));
        // The approval given at build is kept: asking for it again does not ask twice.
        let again = store
            .update_workflow(ws, wf.id, saved.version, &spec(p, true, true), None)
            .await
            .unwrap();
        assert_eq!(
            status(&now_of(&store, ws, &approved).await),
            WorkStatus::InProgress
        );
        assert_eq!(
            status(&now_of(&store, ws, &waiting).await),
            WorkStatus::AwaitingApproval
        );

        // A stale save restates nothing.
        let stale = store
            .update_workflow(ws, wf.id, saved.version, &spec(p, false, false), None)
            .await;
        assert!(matches!(stale, Err(StoreError::Stale { .. })), "{stale:?}");
        assert_eq!(
            status(&now_of(&store, ws, &brief).await),
            WorkStatus::AwaitingApproval
        );
        // Saving it unchanged changes no item.
        let before = now_of(&store, ws, &brief).await;
        store
            .update_workflow(ws, wf.id, again.version, &spec(p, true, true), None)
            .await
            .unwrap();
        assert_eq!(now_of(&store, ws, &brief).await.version, before.version);
        store.close().await;
        db.cleanup().await;
    }
);
