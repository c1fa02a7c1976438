//! The Store contract for workflows, work items and calendar feeds, on every backend.

use keel_domain::work::transition::{Approval, EventKind, Outcome};
use keel_domain::work::{WorkDraft, WorkStatus};
use keel_domain::workflow::{Assignment, Stage, WorkflowRole, WorkflowSpec, WorkflowStatus};
use keel_domain::{Date, PersonDraft, PersonKind};
use keel_store::WorkspaceId;
use keel_store::{Store, StoreError, WorkFilter};

macro_rules! contract {
    ($name:ident, |$store:ident| $body:block) => {
        keel_testkit::each_backend!($name, |db| {
            let $store: Store = db.store().await;
            $body
            $store.close().await;
            db.cleanup().await;
        });
    };
}

fn spec(name: &str, owner: i64) -> WorkflowSpec {
    WorkflowSpec {
        name: name.into(),
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
        next_review_due: Some(Date::parse("2026-12-01").unwrap()),
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
            Stage {
                name: "Brief".into(),
                checklist: vec!["Audience".into()],
                needs_approval: false,
            },
            Stage {
                name: "Launch".into(),
                checklist: vec![],
                needs_approval: true,
            },
        ],
        max_blocked_days: 5,
    }
}

fn draft(title: &str, owner: Option<i64>) -> WorkDraft {
    WorkDraft {
        title: title.into(),
        execution_owner_id: owner,
        contributor_ids: vec![],
        estimated_hours: 6.0,
        start_date: None,
        planned_launch: Some(Date::parse("2026-01-10").unwrap()),
        first_review: None,
    }
}

async fn setup(store: &Store) -> (WorkspaceId, i64) {
    let ws = store.create_workspace("acme", "Acme", None).await.unwrap();
    let p = store
        .create_person(
            ws.id,
            &PersonDraft {
                name: "Maya".into(),
                kind: PersonKind::Internal,
                organization: None,
                title: None,
                email: None,
                weekly_capacity: 40.0,
                user_id: None,
            },
        )
        .await
        .unwrap();
    (ws.id, p.id)
}

contract!(every_saved_version_of_an_sop_is_kept, |store| {
    let (ws, p) = setup(&store).await;
    let w = store
        .create_workflow(ws, &spec("Campaign launch", p), None)
        .await
        .unwrap();
    let mut changed = spec("Campaign launch", p);
    changed.purpose = "Launch campaigns that are tracked".into();
    let w2 = store
        .update_workflow(ws, w.id, 1, &changed, None)
        .await
        .unwrap();
    assert_eq!(w2.version, 2);
    assert!(matches!(
        store.update_workflow(ws, w.id, 1, &changed, None).await,
        Err(StoreError::Stale { current: 2 })
    ));
    let revs = store.list_revisions(ws, w.id).await.unwrap();
    assert_eq!(revs.iter().map(|r| r.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(revs[1].spec.purpose, "Launch well");
    assert_eq!(
        store.find_workflow(ws, w.id).await.unwrap().unwrap().spec,
        changed
    );
    assert!(matches!(
        store
            .create_workflow(ws, &spec("Campaign launch", p), None)
            .await,
        Err(StoreError::Conflict(_))
    ));
});

contract!(work_moves_only_from_the_version_it_was_read_at, |store| {
    let (ws, p) = setup(&store).await;
    let w = store
        .create_workflow(ws, &spec("Campaign launch", p), None)
        .await
        .unwrap();
    let item = store
        .create_work(ws, w.id, &draft("Spring webinar", Some(p)), None)
        .await
        .unwrap();
    assert_eq!(
        (item.stage, item.status, item.version),
        (0, WorkStatus::Intake, 1)
    );
    let mut next = item.clone();
    next.stage = 1;
    next.status = WorkStatus::InProgress;
    let moved = store
        .record_move(
            ws,
            item.id,
            1,
            &outcome(&next, EventKind::Advanced, None),
            None,
        )
        .await
        .unwrap();
    assert_eq!((moved.stage, moved.version), (1, 2));
    // A second mover who read version 1 is told.
    let e = store
        .record_move(
            ws,
            item.id,
            1,
            &outcome(&next, EventKind::Advanced, None),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Stale { current: 2 }));
    let events = store.list_events(ws, item.id).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["created", "advanced"]
    );
});

contract!(checklists_and_approvals_make_the_gate_state, |store| {
    let (ws, p) = setup(&store).await;
    let w = store
        .create_workflow(ws, &spec("Campaign launch", p), None)
        .await
        .unwrap();
    let item = store
        .create_work(ws, w.id, &draft("Spring webinar", Some(p)), None)
        .await
        .unwrap();
    store
        .set_check(ws, item.id, 0, 0, true, None)
        .await
        .unwrap();
    store
        .set_check(ws, item.id, 0, 0, true, None)
        .await
        .unwrap();
    let g = store.gate_state(ws, item.id, 0).await.unwrap();
    assert_eq!((g.checked, g.approved), (vec![0], false));
    let u = store
        .create_user("maya@acme.test", "Maya", "h")
        .await
        .unwrap();
    let mut approve = outcome(&item, EventKind::Approved, None);
    approve.approval = Some(Approval {
        stage: 0,
        override_reason: None,
    });
    store
        .record_move(ws, item.id, 1, &approve, Some(u.id))
        .await
        .unwrap();
    assert!(store.gate_state(ws, item.id, 0).await.unwrap().approved);
    assert!(!store.gate_state(ws, item.id, 1).await.unwrap().approved);
    store
        .set_check(ws, item.id, 0, 0, false, None)
        .await
        .unwrap();
    assert!(store
        .gate_state(ws, item.id, 0)
        .await
        .unwrap()
        .checked
        .is_empty());
    // Another workspace cannot tick this item.
    let other = store
        .create_workspace("other", "Other", None)
        .await
        .unwrap();
    assert!(matches!(
        store.set_check(other.id, item.id, 0, 0, true, None).await,
        Err(StoreError::NotFound)
    ));
});

contract!(
    work_lists_filter_by_owner_status_blocked_and_overdue,
    |store| {
        let (ws, p) = setup(&store).await;
        let w = store
            .create_workflow(ws, &spec("Campaign launch", p), None)
            .await
            .unwrap();
        let a = store
            .create_work(ws, w.id, &draft("Owned", Some(p)), None)
            .await
            .unwrap();
        let mut d = draft("Unowned", None);
        d.contributor_ids = vec![p];
        d.planned_launch = None;
        store.create_work(ws, w.id, &d, None).await.unwrap();
        let all = WorkFilter::default();
        assert_eq!(store.count_work(ws, &all).await.unwrap(), 2);
        assert_eq!(
            store
                .list_work(
                    ws,
                    &WorkFilter {
                        owner_id: Some(p),
                        ..Default::default()
                    }
                )
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store
                .list_work(
                    ws,
                    &WorkFilter {
                        involving: Some(p),
                        ..Default::default()
                    }
                )
                .await
                .unwrap()
                .len(),
            2
        );
        let overdue = WorkFilter {
            overdue_before: Some(Date::parse("2026-02-01").unwrap()),
            ..Default::default()
        };
        assert_eq!(store.list_work(ws, &overdue).await.unwrap()[0].id, a.id);
        let mut blocked = a.clone();
        blocked.status = WorkStatus::Blocked;
        blocked.blocked_since = Some(1);
        blocked.blocked_reason = Some("Waiting for legal".into());
        store
            .record_move(
                ws,
                a.id,
                1,
                &outcome(&blocked, EventKind::Blocked, Some("Waiting for legal")),
                None,
            )
            .await
            .unwrap();
        let b = store
            .list_work(
                ws,
                &WorkFilter {
                    blocked_only: true,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (b.len(), b[0].blocked_reason.as_deref()),
            (1, Some("Waiting for legal"))
        );
        assert_eq!(
            store
                .list_work(
                    ws,
                    &WorkFilter {
                        limit: 1,
                        offset: 1,
                        ..Default::default()
                    }
                )
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store
                .list_work(
                    ws,
                    &WorkFilter {
                        status: Some(WorkStatus::Blocked),
                        ..Default::default()
                    }
                )
                .await
                .unwrap()
                .len(),
            1
        );
    }
);

contract!(dependencies_and_feeds_stay_in_their_workspace, |store| {
    let (ws, p) = setup(&store).await;
    let w = store
        .create_workflow(ws, &spec("Campaign launch", p), None)
        .await
        .unwrap();
    let a = store
        .create_work(ws, w.id, &draft("A", Some(p)), None)
        .await
        .unwrap();
    let b = store
        .create_work(ws, w.id, &draft("B", Some(p)), None)
        .await
        .unwrap();
    store.add_dep(ws, a.id, b.id).await.unwrap();
    assert_eq!(store.list_deps(ws).await.unwrap(), vec![(a.id, b.id)]);
    let other = store
        .create_workspace("other", "Other", None)
        .await
        .unwrap();
    assert!(matches!(
        store.add_dep(other.id, a.id, b.id).await,
        Err(StoreError::NotFound)
    ));
    store.remove_dep(ws, a.id, b.id).await.unwrap();
    assert!(store.list_deps(ws).await.unwrap().is_empty());
    let u = store
        .create_user("maya@acme.test", "Maya", "h")
        .await
        .unwrap();
    let f = store
        .create_feed(ws, Some(p), "feedhash", u.id)
        .await
        .unwrap();
    // A feed answers only while the member who made it belongs to the workspace.
    assert!(store.find_feed("feedhash").await.unwrap().is_none());
    store
        .add_member(ws, u.id, keel_domain::Role::Partner)
        .await
        .unwrap();
    let live = store.find_feed("feedhash").await.unwrap().unwrap();
    assert_eq!(
        (live.feed.person_id, live.owner_role),
        (Some(p), keel_domain::Role::Partner)
    );
    let owner = store
        .create_user("owner@acme.test", "Olu", "h")
        .await
        .unwrap();
    store
        .add_member(ws, owner.id, keel_domain::Role::Owner)
        .await
        .unwrap();
    store.remove_member(ws, u.id, 1).await.unwrap();
    assert!(store.find_feed("feedhash").await.unwrap().is_none());
    store
        .add_member(ws, u.id, keel_domain::Role::Member)
        .await
        .unwrap();
    store.revoke_feed(ws, f.id).await.unwrap();
    assert!(store.find_feed("feedhash").await.unwrap().is_none());
    // The model for health checks holds the workflows and open work.
    let m = store.model(ws).await.unwrap();
    assert_eq!((m.workflows.len(), m.work.len()), (1, 2));
});

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn outcome(next: &keel_domain::work::WorkItem, event: EventKind, note: Option<&str>) -> Outcome {
    Outcome {
        next: next.clone(),
        at: unix_now(),
        event,
        note: note.map(str::to_string),
        stage: next.stage,
        approval: None,
        clear_approvals_from: None,
    }
}

contract!(a_stale_move_leaves_nothing_behind, |store| {
    let (ws, p) = setup(&store).await;
    let w = store
        .create_workflow(ws, &spec("Campaign launch", p), None)
        .await
        .unwrap();
    let item = store
        .create_work(ws, w.id, &draft("Spring webinar", Some(p)), None)
        .await
        .unwrap();
    let mut next = item.clone();
    next.stage = 1;
    let mut o = outcome(&next, EventKind::Overridden, Some("Event date is fixed"));
    o.stage = 0;
    o.approval = Some(Approval {
        stage: 0,
        override_reason: Some("Event date is fixed".into()),
    });
    // Someone else moved the item first: the override's approval and history line are not kept.
    let e = store
        .record_move(ws, item.id, 7, &o, None)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Stale { current: 1 }));
    assert!(!store.gate_state(ws, item.id, 0).await.unwrap().approved);
    let events = store.list_events(ws, item.id).await.unwrap();
    assert_eq!(events.len(), 1, "only 'created': {events:?}");
    // The same outcome at the right version records one line and the approval.
    store.record_move(ws, item.id, 1, &o, None).await.unwrap();
    assert!(store.gate_state(ws, item.id, 0).await.unwrap().approved);
    let kinds: Vec<_> = store
        .list_events(ws, item.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["created", "overridden"]);
});

contract!(
    the_model_holds_what_waits_for_what_and_the_history_review_triggers_read,
    |store| {
        let (ws, p) = setup(&store).await;
        let w = store
            .create_workflow(ws, &spec("Campaign launch", p), None)
            .await
            .unwrap();
        let other = store
            .create_person(
                ws,
                &PersonDraft {
                    name: "Ines".into(),
                    kind: PersonKind::Internal,
                    organization: None,
                    title: None,
                    email: None,
                    weekly_capacity: 40.0,
                    user_id: None,
                },
            )
            .await
            .unwrap();
        store
            .update_workflow(ws, w.id, 1, &spec("Campaign launch", other.id), None)
            .await
            .unwrap();
        let story = store
            .create_work(ws, w.id, &draft("Customer story", Some(p)), None)
            .await
            .unwrap();
        let email = store
            .create_work(ws, w.id, &draft("Launch email", Some(p)), None)
            .await
            .unwrap();
        store.add_dep(ws, email.id, story.id).await.unwrap();
        let mut blocked = story.clone();
        blocked.status = WorkStatus::Blocked;
        blocked.blocked_since = Some(1);
        blocked.blocked_reason = Some("Legal has the quotes".into());
        store
            .record_move(
                ws,
                story.id,
                1,
                &keel_domain::work::transition::Outcome {
                    // An hour ago: the history is dated by the move, not the store's clock.
                    at: unix_now() - 3600,
                    ..outcome(&blocked, EventKind::Blocked, Some("Legal has the quotes"))
                },
                None,
            )
            .await
            .unwrap();

        // The launch rule reads what the item waits for, with its state.
        let gate = store.gate_state(ws, email.id, 0).await.unwrap();
        assert_eq!(gate.waits_for.len(), 1);
        assert_eq!(
            (
                gate.waits_for[0].id,
                gate.waits_for[0].title.as_str(),
                gate.waits_for[0].status
            ),
            (story.id, "Customer story", WorkStatus::Blocked)
        );
        assert!(store
            .gate_state(ws, story.id, 0)
            .await
            .unwrap()
            .waits_for
            .is_empty());

        let m = store.model(ws).await.unwrap();
        assert_eq!(m.deps, [(email.id, story.id)]);
        let owners: Vec<(i64, i64)> = m
            .sop_versions
            .iter()
            .map(|v| (v.version, v.assignments[0].person_id))
            .collect();
        assert_eq!(owners, [(1, p), (2, other.id)]);
        assert_eq!(m.blocks.len(), 1);
        assert_eq!(
            (
                m.blocks[0].workflow_id,
                m.blocks[0].item_id,
                m.blocks[0].reason.as_str()
            ),
            (w.id, story.id, "Legal has the quotes")
        );
        // The block's history line carries the move's moment, as its blocked_since does, so
        // "blocked N days" and the history agree.
        let at = m.blocks[0].at;
        assert!((unix_now() - 3600 - at).abs() < 60, "{at}");
        assert_eq!(
            m.zone,
            keel_domain::Zone::utc(),
            "a new workspace is on UTC"
        );
        // Another workspace's records are not there.
        let other_ws = store
            .create_workspace("other", "Other", None)
            .await
            .unwrap()
            .id;
        let m = store.model(other_ws).await.unwrap();
        assert!(m.deps.is_empty() && m.sop_versions.is_empty() && m.blocks.is_empty());
        assert!(store
            .gate_state(other_ws, email.id, 0)
            .await
            .unwrap()
            .waits_for
            .is_empty());
    }
);

/// Runs one SQL statement on the test database outside the Store.
async fn raw(url: &str, sql: &str) {
    use sqlx::Connection;
    if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    }
}

// Migration 0022 gives work already waiting at an approval stage its own status, on both
// backends (the JSON of the SOP is read by each dialect's own functions).
keel_testkit::each_backend!(work_already_waiting_for_approval_gets_its_status, |db| {
    let store = db.store().await;
    let (ws, p) = setup(&store).await;
    let w = store
        .create_workflow(ws, &spec("Launch", p), None)
        .await
        .unwrap();
    let at_launch = |title: &'static str| {
        let store = store.clone();
        async move {
            let item = store
                .create_work(ws, w.id, &draft(title, Some(p)), None)
                .await
                .unwrap();
            let mut next = item.clone();
            next.stage = 1;
            next.status = WorkStatus::InProgress;
            store
                .record_move(
                    ws,
                    item.id,
                    item.version,
                    &outcome(&next, EventKind::Advanced, None),
                    None,
                )
                .await
                .unwrap()
        }
    };
    let waiting = at_launch("Waiting").await;
    let approved = at_launch("Approved").await;
    let mut o = outcome(&approved, EventKind::Approved, None);
    o.approval = Some(Approval {
        stage: 1,
        override_reason: None,
    });
    store
        .record_move(ws, approved.id, approved.version, &o, None)
        .await
        .unwrap();
    let fresh = store
        .create_work(ws, w.id, &draft("Fresh", Some(p)), None)
        .await
        .unwrap();
    store.close().await;
    // As before the migration: run it again on these rows.
    raw(&db.url, "DELETE FROM _sqlx_migrations WHERE version = 22").await;
    let store = db.store().await;
    let status = |id: i64| {
        let store = store.clone();
        async move { store.find_work(ws, id).await.unwrap().unwrap().status }
    };
    assert_eq!(status(waiting.id).await, WorkStatus::AwaitingApproval);
    assert_eq!(status(approved.id).await, WorkStatus::InProgress);
    assert_eq!(status(fresh.id).await, WorkStatus::Intake);
    store.close().await;
    db.cleanup().await;
});
