//! The Store contract for recurring commitments and the workspace time zone, on every
//! backend.

use keel_domain::capacity::{CommitmentDraft, CommitmentKind};
use keel_domain::workflow::{Assignment, Stage, WorkflowRole, WorkflowSpec, WorkflowStatus};
use keel_domain::{PersonDraft, PersonKind};
use keel_store::WorkspaceId;
use keel_store::{Store, StoreError};

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

fn spec(owner: i64) -> WorkflowSpec {
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

async fn person(store: &Store, ws: WorkspaceId, name: &str) -> i64 {
    let d = PersonDraft {
        name: name.into(),
        kind: PersonKind::Internal,
        organization: None,
        title: None,
        email: None,
        weekly_capacity: 30.0,
        user_id: None,
    };
    store.create_person(ws, &d).await.unwrap().id
}

fn draft(label: &str, kind: CommitmentKind, workflow_id: Option<i64>) -> CommitmentDraft {
    CommitmentDraft {
        label: label.into(),
        kind,
        hours: 2.5,
        workflow_id,
    }
}

contract!(
    commitments_are_kept_versioned_and_scoped_to_their_workspace,
    |store| {
        let ws = store
            .create_workspace("acme", "Acme", None)
            .await
            .unwrap()
            .id;
        let other = store
            .create_workspace("other", "Other", None)
            .await
            .unwrap()
            .id;
        let maya = person(&store, ws, "Maya").await;
        let before = store
            .find_workspace_by_slug("acme")
            .await
            .unwrap()
            .unwrap()
            .data_version;
        let c = store
            .create_commitment(
                ws,
                maya,
                &draft("Weekly meeting", CommitmentKind::Meetings, None),
            )
            .await
            .unwrap();
        assert_eq!((c.person_id, c.hours, c.version), (maya, 2.5, 1));
        let after = store
            .find_workspace_by_slug("acme")
            .await
            .unwrap()
            .unwrap()
            .data_version;
        assert!(
            after > before,
            "a commitment moves the workspace's data version"
        );
        // A person of another workspace cannot be given one; ids of another workspace are missing.
        assert!(matches!(
            store
                .create_commitment(other, maya, &draft("x", CommitmentKind::Other, None))
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(store.find_commitment(other, c.id).await.unwrap().is_none());
        let mut d = draft("Weekly meeting", CommitmentKind::Meetings, None);
        d.hours = 4.0;
        let c2 = store.update_commitment(ws, c.id, 1, &d).await.unwrap();
        assert_eq!((c2.hours, c2.version), (4.0, 2));
        assert!(matches!(
            store.update_commitment(ws, c.id, 1, &d).await,
            Err(StoreError::Stale { current: 2 })
        ));
        assert_eq!(store.model(ws).await.unwrap().commitments, vec![c2.clone()]);
        assert!(matches!(
            store.delete_commitment(other, c.id, 1).await,
            Err(StoreError::NotFound)
        ));
        // Removing the person removes their commitments.
        store
            .create_commitment(ws, maya, &draft("Managing", CommitmentKind::Managing, None))
            .await
            .unwrap();
        store.delete_person(ws, maya, 1).await.unwrap();
        assert!(store.list_commitments(ws).await.unwrap().is_empty());
    }
);

contract!(
    deciding_time_follows_the_workflows_decision_owner,
    |store| {
        let ws = store
            .create_workspace("acme", "Acme", None)
            .await
            .unwrap()
            .id;
        let maya = person(&store, ws, "Maya").await;
        let ines = person(&store, ws, "Ines").await;
        let w = store.create_workflow(ws, &spec(maya), None).await.unwrap();
        let deciding = store
            .create_commitment(
                ws,
                maya,
                &draft(
                    "Deciding the newsletter",
                    CommitmentKind::Deciding,
                    Some(w.id),
                ),
            )
            .await
            .unwrap();
        let meeting = store
            .create_commitment(
                ws,
                maya,
                &draft("Weekly meeting", CommitmentKind::Meetings, None),
            )
            .await
            .unwrap();
        store
            .update_workflow(ws, w.id, 1, &spec(ines), None)
            .await
            .unwrap();
        let moved = store
            .find_commitment(ws, deciding.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((moved.person_id, moved.version), (ines, 2));
        let kept = store
            .find_commitment(ws, meeting.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kept.person_id, maya);
        // Deleting the workflow deletes the time spent deciding for it.
        store.delete_workflow(ws, w.id, 2).await.unwrap();
        assert!(store
            .find_commitment(ws, deciding.id)
            .await
            .unwrap()
            .is_none());
        assert!(store
            .find_commitment(ws, meeting.id)
            .await
            .unwrap()
            .is_some());
    }
);
