//! Review cadences, reviews and decisions on every backend (migration 0030).

use keel_domain::channel::{ChannelDraft, ChannelStatus, Phase};
use keel_domain::objective::Layer;
use keel_domain::priority::Status;
use keel_domain::review::{
    CadenceDraft, DecisionDraft, DecisionKind, DecisionStatus, Evidence, EvidenceKind, Kind,
    ReviewStatus,
};
use keel_domain::workflow::{Assignment, Stage, WorkflowRole, WorkflowSpec, WorkflowStatus};
use keel_domain::{Date, ObjectiveDraft, PersonDraft, PersonKind, PriorityDraft};
use keel_store::{Acting, Closing, Store, StoreError, WorkspaceId, ALREADY_CLOSED, NO_OUTCOME};

macro_rules! contract {
    ($name:ident, |$store:ident, $ws:ident| $body:block) => {
        keel_testkit::each_backend!($name, |db| {
            let $store: Store = db.store().await;
            let $ws = $store.create_workspace("acme", "Acme", None).await.unwrap().id;
            $body
            $store.close().await;
            db.cleanup().await;
        });
    };
}

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

async fn person(s: &Store, ws: WorkspaceId, name: &str) -> i64 {
    s.create_person(
        ws,
        &PersonDraft {
            name: name.into(),
            kind: PersonKind::Internal,
            organization: None,
            title: None,
            email: None,
            weekly_capacity: 40.0,
            user_id: None,
        },
    )
    .await
    .unwrap()
    .id
}

async fn channel(s: &Store, ws: WorkspaceId) -> i64 {
    s.create_channel(
        ws,
        &ChannelDraft {
            name: "Webinars".into(),
            owner_id: None,
            phase: Phase::LeadNurturing,
            status: ChannelStatus::Active,
            monthly_budget: 1500.0,
        },
    )
    .await
    .unwrap()
    .id
}

async fn priority(s: &Store, ws: WorkspaceId) -> i64 {
    let o = s
        .create_objective(
            ws,
            &ObjectiveDraft {
                outcome: "Double sales-accepted leads".into(),
                owner_id: None,
                layer: Layer::Business,
                metric: None,
                baseline: None,
                target: None,
                deadline: None,
                serves: None,
            },
        )
        .await
        .unwrap()
        .id;
    s.create_priority(
        ws,
        &PriorityDraft {
            title: "Webinar series".into(),
            objective_id: Some(o),
            owner_id: None,
            rank: 2,
            status: Status::Next,
            weekly_hours: 6.0,
            paused_id: None,
            override_reason: None,
        },
    )
    .await
    .unwrap()
    .id
}

fn decision(owner: i64, kind: DecisionKind, evidence: Vec<Evidence>) -> DecisionDraft {
    DecisionDraft {
        what: "Pause the webinar series until the form routes leads".into(),
        kind,
        category: None,
        rationale: Some("Sales rejected most webinar leads".into()),
        evidence,
        owner_id: owner,
        due: Some(day("2026-12-14")),
        status: DecisionStatus::Open,
    }
}

fn cadence(facilitator: i64, attendees: Vec<i64>) -> CadenceDraft {
    CadenceDraft {
        kind: Kind::Weekly,
        interval: 1,
        weekday: 1,
        time_minutes: 570,
        facilitator_id: Some(facilitator),
        attendee_ids: attendees,
        active: true,
    }
}

contract!(a_cadence_is_set_up_once_per_kind_and_versioned, |s, ws| {
    let maya = person(&s, ws, "Maya").await;
    let ines = person(&s, ws, "Ines").await;
    let c = s
        .put_review_cadence(
            ws,
            &cadence(maya, vec![maya, ines]),
            None,
            day("2026-11-02"),
        )
        .await
        .unwrap();
    assert_eq!(
        (c.attendee_ids.clone(), c.version, c.since),
        (vec![maya, ines], 1, day("2026-11-02"))
    );
    assert!(matches!(
        s.put_review_cadence(ws, &cadence(maya, vec![]), None, day("2026-11-02")).await,
        Err(StoreError::Conflict(m)) if m.contains("already set up")
    ));
    let mut biweekly = cadence(ines, vec![ines]);
    biweekly.interval = 2;
    biweekly.active = false;
    let c2 = s
        .put_review_cadence(ws, &biweekly, Some(1), day("2026-12-01"))
        .await
        .unwrap();
    assert_eq!(
        (c2.interval, c2.active, c2.version, c2.attendee_ids.clone()),
        (2, false, 2, vec![ines])
    );
    assert_eq!(
        c2.since,
        day("2026-11-02"),
        "a change keeps the day it started"
    );
    assert!(matches!(
        s.put_review_cadence(ws, &biweekly, Some(1), day("2026-12-01"))
            .await,
        Err(StoreError::Stale { current: 2 })
    ));
    assert_eq!(s.list_review_cadences(ws).await.unwrap(), [c2]);
});

contract!(
    a_review_closes_only_with_an_outcome_and_only_once,
    |s, ws| {
        let maya = person(&s, ws, "Maya").await;
        let ines = person(&s, ws, "Ines").await;
        let r = s
            .open_review(
                ws,
                Kind::Weekly,
                day("2026-12-07"),
                Some(maya),
                &[maya, ines],
            )
            .await
            .unwrap();
        assert_eq!(
            (r.status, r.attendee_ids.clone()),
            (ReviewStatus::Open, vec![maya, ines])
        );
        assert!(matches!(
            s.open_review(ws, Kind::Weekly, day("2026-12-07"), Some(maya), &[])
                .await,
            Err(StoreError::Conflict(_))
        ));
        let r = s
            .save_review_notes(
                ws,
                r.id,
                1,
                &[(
                    "blocked".into(),
                    "Legal promised the claims by Wednesday.".into(),
                )],
            )
            .await
            .unwrap();
        assert_eq!(
            (r.version, r.note("blocked")),
            (2, Some("Legal promised the claims by Wednesday."))
        );
        // No outcome yet: refused, and nothing changed.
        assert!(matches!(
            s.close_review(ws, r.id, 2, &Closing { ratings: &[(maya, 8)], ..Default::default() }).await,
            Err(StoreError::Conflict(m)) if m == NO_OUTCOME
        ));
        // An earlier decision due now is checked by this review when it closes.
        let earlier = s
            .create_decision(
                ws,
                None,
                day("2026-11-30"),
                &decision(maya, DecisionKind::Fix, vec![]),
                false,
            )
            .await
            .unwrap();
        let mut nc = decision(maya, DecisionKind::NoChange, vec![]);
        nc.due = None;
        let outcome = s
            .create_decision(ws, Some(r.id), day("2026-12-07"), &nc, false)
            .await
            .unwrap();
        assert_eq!(outcome.review_id, Some(r.id));
        let wf = Evidence::new(EvidenceKind::Work, 999_999);
        let closed = s
            .close_review(
                ws,
                r.id,
                2,
                &Closing {
                    ratings: &[(maya, 8), (ines, 6)],
                    raised: &[wf],
                    checked: &[earlier.id, outcome.id],
                    by_user: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(closed.status, ReviewStatus::Closed);
        assert_eq!(closed.ratings, [(maya, 8), (ines, 6)]);
        assert_eq!(closed.topics, [wf]);
        assert_eq!(closed.average_rating(), Some(7.0));
        let ds = s.list_decisions(ws).await.unwrap();
        let find = |id| ds.iter().find(|d| d.id == id).unwrap();
        assert_eq!(find(earlier.id).checked_by_review_id, Some(r.id));
        assert_eq!(
            find(outcome.id).checked_by_review_id,
            None,
            "a review does not check its own"
        );
        // The second close, even with the version it read, is refused in words.
        assert!(matches!(
            s.close_review(ws, r.id, 2, &Closing::default()).await,
            Err(StoreError::Conflict(m)) if m == ALREADY_CLOSED
        ));
        // Notes and decisions on a closed review are refused too.
        assert!(matches!(
            s.save_review_notes(ws, r.id, 3, &[("blocked".into(), "late".into())])
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.create_decision(ws, Some(r.id), day("2026-12-07"), &nc, false)
                .await,
            Err(StoreError::Conflict(_))
        ));
    }
);

contract!(
    two_closes_at_once_one_wins_and_the_other_is_refused,
    |s, ws| {
        let maya = person(&s, ws, "Maya").await;
        let r = s
            .open_review(ws, Kind::Weekly, day("2026-12-07"), Some(maya), &[maya])
            .await
            .unwrap();
        let mut nc = decision(maya, DecisionKind::NoChange, vec![]);
        nc.due = None;
        s.create_decision(ws, Some(r.id), day("2026-12-07"), &nc, false)
            .await
            .unwrap();
        let (nine, three) = ([(maya, 9)], [(maya, 3)]);
        let first = Closing {
            ratings: &nine,
            ..Default::default()
        };
        let second = Closing {
            ratings: &three,
            ..Default::default()
        };
        let (a, b) = tokio::join!(
            s.close_review(ws, r.id, 1, &first),
            s.close_review(ws, r.id, 1, &second),
        );
        let wins = [&a, &b].iter().filter(|x| x.is_ok()).count();
        assert_eq!(wins, 1, "{a:?} {b:?}");
        let lost = if a.is_ok() { b } else { a };
        assert!(matches!(lost, Err(StoreError::Conflict(m)) if m == ALREADY_CLOSED));
        let kept = s.find_review(ws, r.id).await.unwrap().unwrap();
        assert_eq!((kept.version, kept.ratings.len()), (2, 1));
    }
);

contract!(
    decisions_keep_their_evidence_and_a_confirmed_pause_pauses,
    |s, ws| {
        let maya = person(&s, ws, "Maya").await;
        let p = priority(&s, ws).await;
        let c = channel(&s, ws).await;
        let ev = vec![
            Evidence::new(EvidenceKind::Priority, p),
            Evidence::new(EvidenceKind::Channel, c),
        ];
        // Not confirmed: recorded, nothing paused.
        let d = s
            .create_decision(
                ws,
                None,
                day("2026-12-07"),
                &decision(maya, DecisionKind::Pause, ev.clone()),
                false,
            )
            .await
            .unwrap();
        assert_eq!(d.evidence, ev);
        assert_eq!(
            s.find_priority(ws, p).await.unwrap().unwrap().status,
            Status::Next
        );
        s.create_decision(
            ws,
            None,
            day("2026-12-07"),
            &decision(maya, DecisionKind::Pause, ev.clone()),
            true,
        )
        .await
        .unwrap();
        assert_eq!(
            s.find_priority(ws, p).await.unwrap().unwrap().status,
            Status::Paused
        );
        assert_eq!(
            s.find_channel(ws, c).await.unwrap().unwrap().status,
            ChannelStatus::Paused
        );
        // Done records the day; a stale change is refused; evidence is replaced.
        let mut done = decision(maya, DecisionKind::Pause, vec![ev[0]]);
        done.status = DecisionStatus::Done;
        let d2 = s
            .update_decision(ws, d.id, 1, &done, day("2026-12-10"))
            .await
            .unwrap();
        assert_eq!(
            (d2.done_on, d2.version, d2.evidence.clone()),
            (Some(day("2026-12-10")), 2, vec![ev[0]])
        );
        assert!(matches!(
            s.update_decision(ws, d.id, 1, &done, day("2026-12-10"))
                .await,
            Err(StoreError::Stale { current: 2 })
        ));
        // The model carries decisions and reviews for the rules and agendas.
        let m = s.model(ws).await.unwrap();
        assert_eq!(m.decisions.len(), 2);
    }
);

fn newsletter(owner: i64) -> WorkflowSpec {
    WorkflowSpec {
        name: "Newsletter".into(),
        function_id: None,
        purpose: "One useful issue a month".into(),
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
        stages: vec![Stage {
            name: "Send".into(),
            checklist: vec![],
            needs_approval: false,
        }],
        max_blocked_days: 5,
    }
}

contract!(
    a_confirmed_stop_retires_its_workflow_and_retiring_a_routine_switches_it_off,
    |s, ws| {
        let maya = person(&s, ws, "Maya").await;
        let w = s
            .create_workflow(ws, &newsletter(maya), None)
            .await
            .unwrap();
        let ev = vec![Evidence::new(EvidenceKind::Workflow, w.id)];
        let mut stop = decision(maya, DecisionKind::Stop, ev.clone());
        stop.what = "Stop the newsletter: nobody reads it".into();
        // Not confirmed: recorded, the workflow stays active.
        s.create_decision(ws, None, day("2026-12-07"), &stop, false)
            .await
            .unwrap();
        let kept = s.find_workflow(ws, w.id).await.unwrap().unwrap();
        assert_eq!(
            (kept.spec.status, kept.version),
            (WorkflowStatus::Active, 1)
        );
        let acting = Acting {
            confirm: true,
            retire_cadence: Some(Kind::Weekly),
            by_user: None,
        };
        s.put_review_cadence(ws, &cadence(maya, vec![maya]), None, day("2026-11-02"))
            .await
            .unwrap();
        s.record_decision(ws, None, day("2026-12-07"), &stop, &acting)
            .await
            .unwrap();
        let retired = s.find_workflow(ws, w.id).await.unwrap().unwrap();
        assert_eq!(
            (retired.spec.status, retired.version),
            (WorkflowStatus::Retired, 2)
        );
        // Its history keeps every version: the retirement is the newest.
        let revs = s.list_revisions(ws, w.id).await.unwrap();
        assert_eq!(revs.len(), 2);
        assert_eq!(revs[0].spec.status, WorkflowStatus::Retired);
        let c = &s.list_review_cadences(ws).await.unwrap()[0];
        assert!(!c.active, "the weekly routine is switched off");
        assert_eq!(c.version, 2);
        // Stopping it again changes nothing more.
        s.record_decision(ws, None, day("2026-12-08"), &stop, &acting)
            .await
            .unwrap();
        assert_eq!(s.find_workflow(ws, w.id).await.unwrap().unwrap().version, 2);
        assert_eq!(s.list_review_cadences(ws).await.unwrap()[0].version, 2);
    }
);

contract!(
    evidence_and_people_of_another_workspace_are_refused_by_the_database,
    |s, ws| {
        let other = s
            .create_workspace("globex", "Globex", None)
            .await
            .unwrap()
            .id;
        let maya = person(&s, ws, "Maya").await;
        let theirs = channel(&s, other).await;
        let stranger = person(&s, other, "Stranger").await;
        let d = decision(
            maya,
            DecisionKind::Fix,
            vec![Evidence::new(EvidenceKind::Channel, theirs)],
        );
        assert!(matches!(
            s.create_decision(ws, None, day("2026-12-07"), &d, false).await,
            Err(StoreError::Conflict(m)) if m.contains("this workspace")
        ));
        assert!(
            s.list_decisions(ws).await.unwrap().is_empty(),
            "nothing half-written"
        );
        assert!(s
            .open_review(ws, Kind::Weekly, day("2026-12-07"), None, &[stranger])
            .await
            .is_err());
        assert!(s.list_reviews(ws).await.unwrap().is_empty());
        // Another workspace's review is not found.
        let r = s
            .open_review(other, Kind::Weekly, day("2026-12-07"), None, &[])
            .await
            .unwrap();
        assert!(s.find_review(ws, r.id).await.unwrap().is_none());
        assert!(matches!(
            s.close_review(ws, r.id, 1, &Closing::default()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.create_decision(
                ws,
                Some(r.id),
                day("2026-12-07"),
                &decision(maya, DecisionKind::Fix, vec![]),
                false
            )
            .await,
            Err(StoreError::NotFound)
        ));
    }
);
