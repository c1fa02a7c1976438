//! Work items' links to the strategy and the untraced-work limit on every backend
//! (migration 0053): versioned from 0, refused for another workspace's item, emptied when
//! what they name is removed, gone with their work item, and read into the model.

use keel_domain::fit::{self, WorkLinkDraft};
use keel_domain::objective::Layer;
use keel_domain::work::WorkDraft;
use keel_domain::{ObjectiveDraft, PersonDraft, PersonKind};
use keel_store::{Store, StoreError, WorkspaceId};

async fn setup(s: &Store, slug: &str) -> (WorkspaceId, i64, i64) {
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
    let t = keel_domain::workflow::templates::find("campaign-launch").unwrap();
    let people = s.list_people(ws).await.unwrap();
    let spec =
        keel_domain::workflow::WorkflowSpec::parse(&t.input(p, p, p, None), &people, &[]).unwrap();
    let wf = s.create_workflow(ws, &spec, None).await.unwrap().id;
    let item = s
        .create_work(
            ws,
            wf,
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
    (ws, item.id, item.version)
}

keel_testkit::each_backend!(work_links_are_versioned_and_follow_what_they_name, |db| {
    let s: Store = db.store().await;
    let (ws, item, item_version) = setup(&s, "acme").await;
    let (other_ws, other_item, _) = setup(&s, "other").await;
    let o = s
        .create_objective(
            ws,
            &ObjectiveDraft {
                outcome: "Win 20 mid-market accounts this year".into(),
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
        .unwrap();
    let d = WorkLinkDraft {
        objective_id: Some(o.id),
        ..Default::default()
    };
    assert!(s.find_work_link(ws, item).await.unwrap().is_none());
    // Before the first save the version is 0; anything else is stale.
    assert!(matches!(
        s.set_work_links(ws, item, 1, &d).await,
        Err(StoreError::Stale { current: 0 })
    ));
    let l = s.set_work_links(ws, item, 0, &d).await.unwrap();
    assert_eq!((l.objective_id, l.version), (Some(o.id), 1));
    assert!(matches!(
        s.set_work_links(ws, item, 0, &d).await,
        Err(StoreError::Stale { current: 1 })
    ));
    // Another workspace's item is not found.
    assert!(matches!(
        s.set_work_links(ws, other_item, 0, &d).await,
        Err(StoreError::NotFound)
    ));
    assert!(s.list_work_links(other_ws).await.unwrap().is_empty());
    // The model holds it, so strategic fit counts the item traced.
    let m = s.model(ws).await.unwrap();
    assert_eq!(fit::strategic_fit(&m).traced_items, 1);
    // Removing the objective empties the link; removing the item removes it.
    s.delete_objective(ws, o.id, o.version).await.unwrap();
    let l = s.find_work_link(ws, item).await.unwrap().unwrap();
    assert_eq!(l.objective_id, None);
    s.delete_work(ws, item, item_version).await.unwrap();
    assert!(s.list_work_links(ws).await.unwrap().is_empty());

    // The limit: 0 before it is set, versioned after.
    assert_eq!(s.untraced_limit(ws).await.unwrap().version, 0);
    let l = s.set_untraced_limit(ws, 0, 40).await.unwrap();
    assert_eq!((l.limit, l.version), (Some(40), 1));
    assert!(matches!(
        s.set_untraced_limit(ws, 0, 50).await,
        Err(StoreError::Stale { current: 1 })
    ));
    assert_eq!(s.model(ws).await.unwrap().untraced_limit, Some(40));
    assert_eq!(s.model(other_ws).await.unwrap().untraced_limit, None);
    s.close().await;
    db.cleanup().await;
});
