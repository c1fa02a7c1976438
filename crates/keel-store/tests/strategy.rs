//! Objectives and priorities on every backend (migration 0014).

use keel_domain::objective::Layer;
use keel_domain::priority::Status;
use keel_domain::{Date, ObjectiveDraft, PersonDraft, PersonKind, PriorityDraft};
use keel_store::WorkspaceId;
use keel_store::{Store, StoreError};

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

fn objective(owner: Option<i64>) -> ObjectiveDraft {
    ObjectiveDraft {
        outcome: "Double sales-accepted leads from mid-market".into(),
        owner_id: owner,
        layer: Layer::Business,
        metric: Some("SALs per month".into()),
        baseline: Some(40.0),
        target: Some(80.5),
        deadline: Some(Date::parse("2027-06-30").unwrap()),
        serves: Some("FY27 revenue goal".into()),
    }
}

fn priority(title: &str, objective: i64, status: Status, paused: Option<i64>) -> PriorityDraft {
    PriorityDraft {
        title: title.into(),
        objective_id: Some(objective),
        owner_id: None,
        rank: 1,
        status,
        weekly_hours: 12.5,
        paused_id: paused,
        override_reason: None,
    }
}

async fn version(s: &Store, ws: WorkspaceId) -> i64 {
    let _ = ws;
    s.find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap()
        .data_version
}

contract!(objectives_round_trip_with_versions, |s, ws| {
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
        .unwrap();
    let before = version(&s, ws).await;
    let o = s
        .create_objective(ws, &objective(Some(p.id)))
        .await
        .unwrap();
    assert!(
        version(&s, ws).await > before,
        "a change bumps data_version"
    );
    assert_eq!(s.find_objective(ws, o.id).await.unwrap().unwrap(), o);
    assert_eq!(o.target, Some(80.5));
    assert_eq!(o.deadline, Date::parse("2027-06-30").ok());
    let mut d = objective(None);
    d.metric = None;
    let o2 = s.update_objective(ws, o.id, o.version, &d).await.unwrap();
    assert_eq!(
        (o2.version, o2.metric.clone(), o2.owner_id),
        (2, None, None)
    );
    assert!(matches!(
        s.update_objective(ws, o.id, 1, &d).await,
        Err(StoreError::Stale { current: 2 })
    ));
    // Another workspace's id is not found.
    let other = s.create_workspace("other", "Other", None).await.unwrap().id;
    assert!(s.find_objective(other, o.id).await.unwrap().is_none());
    assert!(matches!(
        s.delete_objective(other, o.id, 2).await,
        Err(StoreError::NotFound)
    ));
    s.delete_objective(ws, o.id, 2).await.unwrap();
    assert!(s.list_objectives(ws).await.unwrap().is_empty());
});

contract!(a_priority_pauses_what_it_names_in_the_same_save, |s, ws| {
    let o = s.create_objective(ws, &objective(None)).await.unwrap();
    let old = s
        .create_priority(ws, &priority("SEO refresh", o.id, Status::Now, None))
        .await
        .unwrap();
    let new = s
        .create_priority(ws, &priority("ABM pilot", o.id, Status::Now, Some(old.id)))
        .await
        .unwrap();
    assert_eq!(new.paused_id, Some(old.id));
    assert_eq!(new.weekly_hours, 12.5);
    let old = s.find_priority(ws, old.id).await.unwrap().unwrap();
    assert_eq!((old.status, old.version), (Status::Paused, 2));
    // Naming a priority that is no longer planned stores nothing.
    let n = s.list_priorities(ws).await.unwrap().len();
    let e = s
        .create_priority(ws, &priority("Webinars", o.id, Status::Now, Some(old.id)))
        .await;
    assert!(matches!(e, Err(StoreError::Conflict(_))), "{e:?}");
    assert_eq!(s.list_priorities(ws).await.unwrap().len(), n);
    // A stale update pauses nothing.
    let third = s
        .create_priority(ws, &priority("Events", o.id, Status::Next, None))
        .await
        .unwrap();
    let d = priority("ABM pilot", o.id, Status::Now, Some(third.id));
    assert!(matches!(
        s.update_priority(ws, new.id, 99, &d).await,
        Err(StoreError::Stale { current: 1 })
    ));
    assert_eq!(
        s.find_priority(ws, third.id).await.unwrap().unwrap().status,
        Status::Next
    );
    let updated = s.update_priority(ws, new.id, 1, &d).await.unwrap();
    assert_eq!(updated.paused_id, Some(third.id));
    assert_eq!(
        s.find_priority(ws, third.id).await.unwrap().unwrap().status,
        Status::Paused
    );
    // Removing an objective leaves its priorities without one; the model holds both.
    s.delete_objective(ws, o.id, 1).await.unwrap();
    let m = s.model(ws).await.unwrap();
    assert!(m.objectives.is_empty());
    assert_eq!(m.priorities.len(), 3);
    assert!(m.priorities.iter().all(|p| p.objective_id.is_none()));
    s.delete_priority(ws, third.id, 2).await.unwrap();
    assert_eq!(
        s.find_priority(ws, new.id)
            .await
            .unwrap()
            .unwrap()
            .paused_id,
        Some(third.id).filter(|_| false),
        "deleting the paused priority clears the link"
    );
});

fn channel(
    name: &str,
    status: keel_domain::channel::ChannelStatus,
) -> keel_domain::channel::ChannelDraft {
    keel_domain::channel::ChannelDraft {
        name: name.into(),
        owner_id: None,
        phase: keel_domain::channel::Phase::LeadNurturing,
        status,
        monthly_budget: 2500.5,
    }
}

contract!(channels_and_the_focus_limit_keep_versions, |s, ws| {
    use keel_domain::channel::ChannelStatus;
    let c = s
        .create_channel(ws, &channel("Email", ChannelStatus::Active))
        .await
        .unwrap();
    assert_eq!(s.find_channel(ws, c.id).await.unwrap().unwrap(), c);
    assert!(matches!(
        s.create_channel(ws, &channel("Email", ChannelStatus::Testing))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let c2 = s
        .update_channel(
            ws,
            c.id,
            1,
            &channel("Email nurture", ChannelStatus::Paused),
        )
        .await
        .unwrap();
    assert_eq!((c2.version, c2.status), (2, ChannelStatus::Paused));
    assert!(matches!(
        s.update_channel(ws, c.id, 1, &channel("X", ChannelStatus::Paused))
            .await,
        Err(StoreError::Stale { current: 2 })
    ));
    let other = s.create_workspace("other", "Other", None).await.unwrap().id;
    assert!(s.find_channel(other, c.id).await.unwrap().is_none());
    // The limit: default until set, then versioned.
    assert_eq!(s.channel_focus_limit(ws).await.unwrap().limit, None);
    assert!(matches!(
        s.set_channel_focus_limit(ws, 1, 4).await,
        Err(StoreError::Stale { current: 0 })
    ));
    let l = s.set_channel_focus_limit(ws, 0, 4).await.unwrap();
    assert_eq!((l.limit, l.version), (Some(4), 1));
    let l = s.set_channel_focus_limit(ws, 1, 2).await.unwrap();
    assert_eq!(l.version, 2);
    assert_eq!(s.channel_focus_limit(other).await.unwrap().limit, None);
    let m = s.model(ws).await.unwrap();
    assert_eq!((m.channels.len(), m.channel_focus_limit), (1, Some(2)));
    s.delete_channel(ws, c.id, 2).await.unwrap();
    assert!(s.list_channels(ws).await.unwrap().is_empty());
});
