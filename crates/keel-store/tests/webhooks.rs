//! Webhook subscriptions and the delivery queue on every backend (migration 0057): an event
//! is queued in the transaction of the change that causes it, for the active subscriptions
//! that want it, and only when the change is kept; claims are leases that two workers never
//! share; an attempt is recorded only by the lease's holder.

use keel_domain::review::{DecisionDraft, DecisionKind, DecisionStatus};
use keel_domain::webhook::{DeliveryStatus, EventType, SubscriptionDraft, TEST_EVENT};
use keel_domain::work::transition::{apply, Action, Actor};
use keel_domain::work::{GateState, WorkDraft};
use keel_domain::{Date, PersonDraft, PersonKind, Zone};
use keel_store::{Attempt, Store, StoreError, WorkspaceId};

async fn setup(s: &Store, slug: &str) -> (WorkspaceId, i64) {
    let ws = s.create_workspace(slug, slug, None).await.unwrap().id;
    let p = s
        .create_person(
            ws,
            &PersonDraft {
                name: "Mara".into(),
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
        .id;
    (ws, p)
}

fn sub(url: &str, types: &[EventType], active: bool) -> SubscriptionDraft {
    SubscriptionDraft {
        url: url.into(),
        description: Some("CRM".into()),
        event_types: types.to_vec(),
        active,
    }
}

async fn types_queued(s: &Store, ws: WorkspaceId, sub: i64) -> Vec<String> {
    let mut v: Vec<String> = s
        .list_deliveries(ws, sub, None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.event_type)
        .collect();
    v.reverse();
    v
}

keel_testkit::each_backend!(events_are_queued_with_the_change_that_causes_them, |db| {
    let s: Store = db.store().await;
    let (ws, p) = setup(&s, "acme").await;
    let (other, _) = setup(&s, "other").await;
    let all = s
        .create_webhook(
            ws,
            &sub("https://hooks.example.com/all", &EventType::ALL, true),
            "whsec_1",
            None,
        )
        .await
        .unwrap();
    let blocked = s
        .create_webhook(
            ws,
            &sub(
                "https://hooks.example.com/b",
                &[EventType::WorkBlocked],
                true,
            ),
            "whsec_2",
            None,
        )
        .await
        .unwrap();
    let off = s
        .create_webhook(
            ws,
            &sub("https://hooks.example.com/off", &EventType::ALL, false),
            "whsec_3",
            None,
        )
        .await
        .unwrap();
    let elsewhere = s
        .create_webhook(
            other,
            &sub("https://hooks.example.com/x", &EventType::ALL, true),
            "whsec_4",
            None,
        )
        .await
        .unwrap();
    assert_eq!(s.webhook_secret(ws, all.id).await.unwrap(), "whsec_1");
    assert!(matches!(
        s.webhook_secret(other, all.id).await,
        Err(StoreError::NotFound)
    ));

    // A workflow saved, a work item blocked.
    let t = keel_domain::workflow::templates::find("campaign-launch").unwrap();
    let people = s.list_people(ws).await.unwrap();
    let spec =
        keel_domain::workflow::WorkflowSpec::parse(&t.input(p, p, p, None), &people, &[]).unwrap();
    let wf = s.create_workflow(ws, &spec, None).await.unwrap();
    let item = s
        .create_work(
            ws,
            wf.id,
            &WorkDraft {
                title: "Pricing page".into(),
                execution_owner_id: Some(p),
                contributor_ids: vec![],
                estimated_hours: 12.0,
                start_date: None,
                planned_launch: None,
                first_review: None,
            },
            None,
        )
        .await
        .unwrap();
    let o = apply(
        &item,
        &wf.spec,
        &GateState::default(),
        &Action::Block {
            reason: "Waiting for legal".into(),
        },
        Actor {
            is_decision_owner: true,
        },
        1_700_000_000,
        &Zone::utc(),
    )
    .unwrap();
    s.record_move(ws, item.id, item.version, &o, None)
        .await
        .unwrap();
    // A stale move is refused and queues nothing.
    assert!(matches!(
        s.record_move(ws, item.id, item.version, &o, None).await,
        Err(StoreError::Stale { .. })
    ));
    // A decision, and a lead import (the API's single lead is one).
    s.create_decision(
        ws,
        None,
        Date::parse("2026-12-07").unwrap(),
        &DecisionDraft {
            what: "Keep the nurture cadence".into(),
            kind: DecisionKind::Fix,
            category: None,
            rationale: None,
            evidence: vec![],
            owner_id: p,
            due: None,
            status: DecisionStatus::Open,
        },
        false,
    )
    .await
    .unwrap();
    s.upsert_leads(
        ws,
        &[keel_domain::lead::LeadDraft {
            source_system: "hubspot".into(),
            external_id: "1".into(),
            created: Date::parse("2026-03-12").unwrap(),
            ..Default::default()
        }],
        None,
    )
    .await
    .unwrap();
    s.delete_workflow(ws, wf.id, wf.version).await.unwrap();

    assert_eq!(
        types_queued(&s, ws, all.id).await,
        [
            "workflow.changed",
            "work.blocked",
            "decision.recorded",
            "import.finished",
            "workflow.changed"
        ]
    );
    assert_eq!(types_queued(&s, ws, blocked.id).await, ["work.blocked"]);
    assert!(types_queued(&s, ws, off.id).await.is_empty());
    assert!(types_queued(&s, other, elsewhere.id).await.is_empty());
    // Another workspace's subscription id reads as missing.
    assert!(s
        .list_deliveries(other, all.id, None, 10)
        .await
        .unwrap()
        .is_empty());

    // The same event id reaches both subscriptions; each delivery is its own.
    let a = &s.list_deliveries(ws, all.id, None, 100).await.unwrap()[3];
    let b = &s.list_deliveries(ws, blocked.id, None, 100).await.unwrap()[0];
    assert_eq!(a.event_type, "work.blocked");
    assert_eq!(a.event_id, b.event_id);
    assert!(a.event_id.starts_with("evt_") && a.event_id.len() == 36);
    assert_ne!(a.id, b.id);
    assert_eq!((a.status, a.attempts), (DeliveryStatus::Pending, 0));
    assert_eq!(s.webhook_queue_depth().await.unwrap(), 6);

    // Switching a subscription off, changing its events: versioned.
    let changed = s
        .update_webhook(
            ws,
            blocked.id,
            blocked.version,
            &sub(
                "https://hooks.example.com/b2",
                &[EventType::WorkLaunched],
                false,
            ),
        )
        .await
        .unwrap();
    assert_eq!((changed.version, changed.active), (2, false));
    assert!(matches!(
        s.update_webhook(
            ws,
            blocked.id,
            1,
            &sub("https://x.example.com", &[EventType::WorkMoved], true)
        )
        .await,
        Err(StoreError::Stale { current: 2 })
    ));
    assert!(matches!(
        s.update_webhook(
            other,
            blocked.id,
            2,
            &sub("https://x.example.com", &[EventType::WorkMoved], true)
        )
        .await,
        Err(StoreError::NotFound)
    ));
    // Removing one removes its deliveries.
    s.delete_webhook(ws, all.id, all.version).await.unwrap();
    assert!(s.find_webhook(ws, all.id).await.unwrap().is_none());
    assert_eq!(s.webhook_queue_depth().await.unwrap(), 1);
    assert_eq!(s.list_webhooks(ws).await.unwrap().len(), 2);
    s.close().await;
    db.cleanup().await;
});

keel_testkit::each_backend!(a_claim_is_a_lease_that_one_worker_holds, |db| {
    let s: Store = db.store().await;
    let (ws, _) = setup(&s, "acme").await;
    let on = s
        .create_webhook(
            ws,
            &sub("https://hooks.example.com/a", &[EventType::WorkMoved], true),
            "whsec_a",
            None,
        )
        .await
        .unwrap();
    let off = s
        .create_webhook(
            ws,
            &sub(
                "https://hooks.example.com/b",
                &[EventType::WorkMoved],
                false,
            ),
            "whsec_b",
            None,
        )
        .await
        .unwrap();
    // A test goes even to a subscription that is switched off.
    let t1 = s.queue_test_delivery(ws, on.id, Some(7)).await.unwrap();
    let t2 = s.queue_test_delivery(ws, off.id, None).await.unwrap();
    assert_eq!(t1.event_type, TEST_EVENT);
    assert!(matches!(
        s.queue_test_delivery(WorkspaceId(ws.0 + 100), on.id, None)
            .await,
        Err(StoreError::NotFound)
    ));
    let now = t2.created_at;
    assert!(s.deliveries_due(now).await.unwrap());
    assert!(
        !s.deliveries_due(t1.created_at - 1).await.unwrap(),
        "not due before it was queued"
    );

    // A claim for another workspace takes nothing of this one.
    assert!(s
        .claim_deliveries(now, 60, 10, "token-z", Some(WorkspaceId(ws.0 + 100)))
        .await
        .unwrap()
        .is_empty());
    // Two workers claim at once: every row goes to exactly one.
    let (a, b) = tokio::join!(
        s.claim_deliveries(now, 60, 10, "token-a", None),
        s.claim_deliveries(now, 60, 10, "token-b", None)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut ids: Vec<i64> = a.iter().chain(b.iter()).map(|c| c.id).collect();
    ids.sort();
    assert_eq!(ids, [t1.id, t2.id]);
    let claimed = a
        .iter()
        .chain(b.iter())
        .find(|c| c.id == t1.id)
        .unwrap()
        .clone();
    assert_eq!(claimed.signing_secret, "whsec_a");
    assert_eq!(claimed.workspace_slug, "acme");
    assert_eq!(claimed.url, "https://hooks.example.com/a");
    assert!(
        claimed.data.contains("\"sent_by_user_id\":7"),
        "{}",
        claimed.data
    );
    // Held: nobody else takes them while the lease runs.
    assert!(s
        .claim_deliveries(now + 59, 60, 10, "token-c", None)
        .await
        .unwrap()
        .is_empty());
    assert!(!s.deliveries_due(now + 59).await.unwrap());

    // Only the holder records the attempt.
    let failed = Attempt {
        at: now,
        status_code: Some(500),
        duration_ms: 12,
        error: Some("The receiver answered 500.".into()),
        status: DeliveryStatus::Pending,
        next_attempt_at: Some(now + 10),
    };
    assert!(!s.finish_delivery(t1.id, "token-x", &failed).await.unwrap());
    assert!(s
        .finish_delivery(t1.id, &claimed.lease_token, &failed)
        .await
        .unwrap());
    assert!(
        !s.finish_delivery(t1.id, &claimed.lease_token, &failed)
            .await
            .unwrap(),
        "the lease is gone"
    );
    let d = s.find_delivery(ws, on.id, t1.id).await.unwrap().unwrap();
    assert_eq!(
        (
            d.status,
            d.attempts,
            d.next_attempt_at,
            d.last_status_code,
            d.last_duration_ms
        ),
        (
            DeliveryStatus::Pending,
            1,
            Some(now + 10),
            Some(500),
            Some(12)
        )
    );
    // Due again after its delay; the other one's lease ran out, so it is due too.
    let again = s
        .claim_deliveries(now + 61, 60, 10, "token-d", None)
        .await
        .unwrap();
    assert_eq!(again.len(), 2);
    assert_eq!(again.iter().find(|c| c.id == t1.id).unwrap().attempts, 1);
    let gave_up = Attempt {
        status: DeliveryStatus::Failed,
        next_attempt_at: None,
        ..failed.clone()
    };
    for c in &again {
        assert!(s.finish_delivery(c.id, "token-d", &gave_up).await.unwrap());
    }
    assert_eq!(s.webhook_queue_depth().await.unwrap(), 0);
    assert!(s
        .claim_deliveries(now + 10_000, 60, 10, "token-e", None)
        .await
        .unwrap()
        .is_empty());

    // Redelivery: pending at once with a fresh round, same ids.
    let r = s.redeliver(ws, on.id, t1.id).await.unwrap();
    assert_eq!(
        (r.status, r.attempts, r.event_id.clone()),
        (DeliveryStatus::Pending, 0, t1.event_id.clone())
    );
    assert!(matches!(
        s.redeliver(ws, off.id, t1.id).await,
        Err(StoreError::NotFound)
    ));
    // A switched-off subscription's events wait; its test did not.
    s.redeliver(ws, off.id, t2.id).await.unwrap();
    let ev = s
        .claim_deliveries(r.next_attempt_at.unwrap() + 5, 60, 10, "token-f", None)
        .await
        .unwrap();
    assert_eq!(ev.len(), 2, "both are tests");
    // Old finished deliveries are purged.
    for c in &ev {
        s.finish_delivery(
            c.id,
            "token-f",
            &Attempt {
                status: DeliveryStatus::Delivered,
                next_attempt_at: None,
                status_code: Some(200),
                error: None,
                ..failed.clone()
            },
        )
        .await
        .unwrap();
    }
    assert_eq!(s.purge_deliveries(now + 1).await.unwrap(), 2);
    assert!(s
        .list_deliveries(ws, on.id, None, 10)
        .await
        .unwrap()
        .is_empty());
    s.close().await;
    db.cleanup().await;
});
