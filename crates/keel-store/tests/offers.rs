//! Offers and the channels that carry them on every backend (migration 0019).

use keel_domain::channel::{ChannelDraft, ChannelStatus, Phase};
use keel_domain::offer::{OfferDraft, OfferKind, OfferStatus};
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

async fn channel(s: &Store, ws: WorkspaceId, name: &str) -> i64 {
    s.create_channel(
        ws,
        &ChannelDraft {
            name: name.into(),
            owner_id: None,
            phase: Phase::SegmentMarketing,
            status: ChannelStatus::Active,
            monthly_budget: 100.0,
        },
    )
    .await
    .unwrap()
    .id
}

fn offer(name: &str, channels: Vec<i64>) -> OfferDraft {
    OfferDraft {
        name: name.into(),
        kind: OfferKind::Assessment,
        audience: Some("Operations leads at mid-market manufacturers".into()),
        owner_id: None,
        status: OfferStatus::Active,
        channel_ids: channels,
    }
}

contract!(offers_keep_their_channels_and_versions, |s, ws| {
    let search = channel(&s, ws, "Paid search").await;
    let webinars = channel(&s, ws, "Webinars").await;
    let o = s
        .create_offer(ws, &offer("ROI assessment", vec![search, webinars]))
        .await
        .unwrap();
    assert_eq!(s.find_offer(ws, o.id).await.unwrap().unwrap(), o);
    assert_eq!(o.channel_ids, [search, webinars]);
    assert!(matches!(
        s.create_offer(ws, &offer("ROI assessment", vec![])).await,
        Err(StoreError::Conflict(_))
    ));
    // An update replaces the channel set; a stale one changes nothing.
    let o2 = s
        .update_offer(ws, o.id, 1, &offer("ROI assessment", vec![webinars]))
        .await
        .unwrap();
    assert_eq!((o2.version, o2.channel_ids.clone()), (2, vec![webinars]));
    assert!(matches!(
        s.update_offer(ws, o.id, 1, &offer("Changed", vec![search]))
            .await,
        Err(StoreError::Stale { current: 2 })
    ));
    assert_eq!(s.find_offer(ws, o.id).await.unwrap().unwrap(), o2);
    // Removing a channel removes it from the offer.
    s.delete_channel(ws, webinars, 1).await.unwrap();
    assert!(s
        .find_offer(ws, o.id)
        .await
        .unwrap()
        .unwrap()
        .channel_ids
        .is_empty());
    // Another workspace's id is not found, for reading, changing or removing.
    let other = s.create_workspace("other", "Other", None).await.unwrap().id;
    assert!(s.find_offer(other, o.id).await.unwrap().is_none());
    assert!(matches!(
        s.update_offer(other, o.id, 2, &offer("X", vec![])).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.delete_offer(other, o.id, 2).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.model(ws).await.unwrap().offers.len(), 1);
    s.delete_offer(ws, o.id, 2).await.unwrap();
    assert!(s.list_offers(ws).await.unwrap().is_empty());
});
