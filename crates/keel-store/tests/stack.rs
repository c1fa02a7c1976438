//! The strategy stack on every backend (migration 0040): layer settings with versions from 0,
//! segments and personas, the message map and programs with their links.

use keel_domain::channel::{ChannelDraft, ChannelStatus, Phase};
use keel_domain::stack::{
    Cycle, Layer, LayerDraft, MessageDraft, PersonaDraft, ProgramDraft, SegmentDraft,
};
use keel_domain::Date;
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

fn layer(l: Layer, stages: &[&str]) -> LayerDraft {
    LayerDraft {
        layer: l,
        owner_id: None,
        cycle: Cycle::Quarterly,
        last_reviewed: Some(Date::parse("2026-10-01").unwrap()),
        goals: Some("Know which plants buy first".into()),
        revenue_goal: None,
        revenue_from: None,
        revenue_to: None,
        go_to_market: None,
        stages: stages.iter().map(|s| s.to_string()).collect(),
    }
}

fn segment(name: &str) -> SegmentDraft {
    SegmentDraft {
        name: name.into(),
        needs: Some("Fewer unplanned stops".into()),
        value_drivers: None,
        alternatives: Some("Spreadsheets; the ERP's maintenance module".into()),
        evidence: Some("14 win/loss interviews".into()),
        evidence_date: Some(Date::parse("2026-09-15").unwrap()),
    }
}

fn persona(segment_id: i64, name: &str) -> PersonaDraft {
    PersonaDraft {
        segment_id,
        name: name.into(),
        primary: true,
        goals: None,
        pains: Some("Audits eat a week".into()),
        objections: None,
    }
}

fn message(stage: usize, text: Option<&str>) -> MessageDraft {
    MessageDraft {
        stage,
        message: text.map(str::to_string),
        proof_point: None,
        asset: None,
    }
}

contract!(
    layers_start_at_version_zero_and_refuse_stale_saves,
    |s, ws| {
        assert!(s.list_strategy_layers(ws).await.unwrap().is_empty());
        let saved = s
            .save_strategy_layer(ws, 0, &layer(Layer::Market, &[]))
            .await
            .unwrap();
        assert_eq!((saved.version, saved.cycle), (1, Cycle::Quarterly));
        assert!(matches!(
            s.save_strategy_layer(ws, 0, &layer(Layer::Market, &[]))
                .await,
            Err(StoreError::Stale { current: 1 })
        ));
        let again = s
            .save_strategy_layer(ws, 1, &layer(Layer::Market, &[]))
            .await
            .unwrap();
        assert_eq!(again.version, 2);
        assert_eq!(s.stack(ws).await.unwrap().layer(Layer::Market), again);
    }
);

contract!(
    segments_personas_and_the_message_map_hold_together,
    |s, ws| {
        let seg = s
            .create_segment(ws, &segment("Mid-market manufacturers"))
            .await
            .unwrap();
        assert!(matches!(
            s.create_segment(ws, &segment("Mid-market manufacturers"))
                .await,
            Err(StoreError::Conflict(_))
        ));
        let p = s
            .create_persona(ws, &persona(seg.id, "Plant operations manager"))
            .await
            .unwrap();
        assert!(p.primary);
        // A segment of another workspace is not found.
        let other = s.create_workspace("other", "Other", None).await.unwrap().id;
        let foreign = s.create_segment(other, &segment("Theirs")).await.unwrap();
        assert!(matches!(
            s.create_persona(ws, &persona(foreign.id, "Stray")).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.save_message(other, p.id, 0, &message(0, Some("x"))).await,
            Err(StoreError::NotFound)
        ));
        // Cells: written at version 0, stale refused, emptied by an empty draft.
        let c = s
            .save_message(
                ws,
                p.id,
                0,
                &message(2, Some("Downtime costs you more than you book")),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!((c.stage, c.version), (2, 1));
        assert!(matches!(
            s.save_message(ws, p.id, 0, &message(2, Some("again")))
                .await,
            Err(StoreError::Stale { current: 1 })
        ));
        s.save_message(ws, p.id, 0, &message(5, Some("Start with one line")))
            .await
            .unwrap();
        assert_eq!(s.list_messages(ws).await.unwrap().len(), 2);
        assert!(s
            .save_message(ws, p.id, 1, &message(2, None))
            .await
            .unwrap()
            .is_none());
        assert_eq!(s.list_messages(ws).await.unwrap().len(), 1);
        // Fewer buying stages drop the cells of the stages that went.
        s.save_strategy_layer(
            ws,
            0,
            &layer(Layer::Buyer, &["Aware", "Choosing", "Buying"]),
        )
        .await
        .unwrap();
        assert!(s.list_messages(ws).await.unwrap().is_empty());
        s.save_message(ws, p.id, 0, &message(1, Some("Kept")))
            .await
            .unwrap();
        // Removing the segment removes its personas and their row of the map.
        assert!(matches!(
            s.delete_segment(ws, seg.id, 9).await,
            Err(StoreError::Stale { current: 1 })
        ));
        s.delete_segment(ws, seg.id, 1).await.unwrap();
        let st = s.stack(ws).await.unwrap();
        assert!(st.personas.is_empty() && st.messages.is_empty());
    }
);

contract!(
    programs_keep_their_links_and_lose_a_removed_channel,
    |s, ws| {
        let ch = s
            .create_channel(
                ws,
                &ChannelDraft {
                    name: "Email".into(),
                    owner_id: None,
                    phase: Phase::LeadNurturing,
                    status: ChannelStatus::Active,
                    monthly_budget: 0.0,
                },
            )
            .await
            .unwrap();
        let d = ProgramDraft {
            name: "Trial nurture".into(),
            phase: Phase::LeadNurturing,
            owner_id: None,
            goal: Some("Turn trials into demos".into()),
            channel_ids: vec![ch.id],
            offer_ids: vec![],
            workflow_ids: vec![],
        };
        let p = s.create_program(ws, &d).await.unwrap();
        assert_eq!((p.channel_ids.clone(), p.version), (vec![ch.id], 1));
        assert!(matches!(
            s.create_program(ws, &d).await,
            Err(StoreError::Conflict(_))
        ));
        let moved = ProgramDraft {
            phase: Phase::CustomerMarketing,
            channel_ids: vec![],
            ..d.clone()
        };
        assert!(matches!(
            s.update_program(ws, p.id, 7, &moved).await,
            Err(StoreError::Stale { current: 1 })
        ));
        assert_eq!(
            s.find_program(ws, p.id).await.unwrap().unwrap().channel_ids,
            [ch.id]
        );
        s.delete_channel(ws, ch.id, ch.version).await.unwrap();
        assert!(s
            .find_program(ws, p.id)
            .await
            .unwrap()
            .unwrap()
            .channel_ids
            .is_empty());
        let p2 = s.update_program(ws, p.id, 1, &moved).await.unwrap();
        assert_eq!((p2.phase, p2.version), (Phase::CustomerMarketing, 2));
        s.delete_program(ws, p.id, 2).await.unwrap();
        assert!(s.list_programs(ws).await.unwrap().is_empty());
    }
);
