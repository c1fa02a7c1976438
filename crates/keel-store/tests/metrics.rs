//! Metrics and their measurements on every backend (migration 0018).

use keel_domain::metric::{Cadence, Direction, Kind, MeasurementDraft, MetricDraft, MetricType};
use keel_domain::objective::Layer;
use keel_domain::{Date, ObjectiveDraft};
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

fn metric(name: &str, objective: Option<i64>) -> MetricDraft {
    MetricDraft {
        name: name.into(),
        definition: Some("Leads whose stage became SAL in the month".into()),
        owner_id: None,
        source: Some("HubSpot".into()),
        unit: Some("leads".into()),
        cadence: Cadence::Monthly,
        direction: Direction::Higher,
        target: Some(80.5),
        metric_type: MetricType::Outcome,
        kind: Kind::Contribution,
        function_id: None,
        objective_id: objective,
        channel_id: None,
        workflow_id: None,
        computed: None,
        family: Some(keel_domain::metric::Family::LeadQuality),
        signal: Some(keel_domain::metric::Signal::Lagging),
        layer: Some(keel_domain::objective::Layer::Business),
    }
}

fn value(period: &str, v: f64, note: Option<&str>) -> MeasurementDraft {
    MeasurementDraft {
        period: Date::parse(period).unwrap(),
        value: v,
        note: note.map(String::from),
    }
}

async fn data_version(s: &Store) -> i64 {
    s.find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap()
        .data_version
}

async fn objective(s: &Store, ws: WorkspaceId) -> i64 {
    s.create_objective(
        ws,
        &ObjectiveDraft {
            outcome: "Double sales-accepted leads".into(),
            owner_id: None,
            layer: Layer::Business,
            metric: None,
            baseline: Some(40.0),
            target: Some(80.0),
            deadline: None,
            serves: None,
        },
    )
    .await
    .unwrap()
    .id
}

contract!(
    metrics_round_trip_with_versions_and_one_kpi_per_objective,
    |s, ws| {
        let o = objective(&s, ws).await;
        let before = data_version(&s).await;
        let m = s.create_metric(ws, &metric("SALs", Some(o))).await.unwrap();
        assert!(
            data_version(&s).await > before,
            "a change bumps data_version"
        );
        assert_eq!(s.find_metric(ws, m.id).await.unwrap().unwrap(), m);
        assert_eq!(
            (m.target, m.objective_id, m.version),
            (Some(80.5), Some(o), 1)
        );
        // The same name, or a second KPI for the objective: refused with what to change.
        match s.create_metric(ws, &metric("SALs", None)).await {
            Err(StoreError::Conflict(msg)) => assert!(msg.contains("name"), "{msg}"),
            other => panic!("{other:?}"),
        }
        match s.create_metric(ws, &metric("SQLs", Some(o))).await {
            Err(StoreError::Conflict(msg)) => assert!(msg.contains("objective"), "{msg}"),
            other => panic!("{other:?}"),
        }
        let mut d = metric("Sales-accepted leads", Some(o));
        d.cadence = Cadence::Weekly;
        let m2 = s.update_metric(ws, m.id, 1, &d).await.unwrap();
        assert_eq!((m2.version, m2.cadence), (2, Cadence::Weekly));
        assert!(matches!(
            s.update_metric(ws, m.id, 1, &d).await,
            Err(StoreError::Stale { current: 2 })
        ));
        // Another workspace's id is not found.
        let other = s.create_workspace("other", "Other", None).await.unwrap().id;
        assert!(s.find_metric(other, m.id).await.unwrap().is_none());
        assert!(matches!(
            s.delete_metric(other, m.id, 2).await,
            Err(StoreError::NotFound)
        ));
        // Removing the objective unlinks the metric; the metric stays.
        s.delete_objective(ws, o, 1).await.unwrap();
        assert_eq!(
            s.find_metric(ws, m.id).await.unwrap().unwrap().objective_id,
            None
        );
    }
);

contract!(
    values_are_kept_per_period_and_sending_them_again_changes_nothing,
    |s, ws| {
        let m = s.create_metric(ws, &metric("SALs", None)).await.unwrap();
        let year: Vec<MeasurementDraft> = (1..=12)
            .map(|i| value(&format!("2026-{i:02}-01"), 40.0 + i as f64, None))
            .collect();
        let stored = s.put_measurements(ws, m.id, &year).await.unwrap();
        assert_eq!(stored.len(), 12);
        assert!(stored.iter().all(|v| v.version == 1));
        let before = data_version(&s).await;
        // The same values again: nothing moves, not even the data version.
        let again = s.put_measurements(ws, m.id, &year).await.unwrap();
        assert_eq!(again, stored);
        assert_eq!(data_version(&s).await, before);
        // A changed value or note replaces the period's value and moves its version.
        let changed = s
            .put_measurements(ws, m.id, &[value("2026-03-01", 99.0, Some("trade fair"))])
            .await
            .unwrap();
        assert_eq!(
            (changed[0].id, changed[0].value, changed[0].version),
            (stored[2].id, 99.0, 2)
        );
        let all = s.measurements_of(ws, m.id).await.unwrap();
        assert_eq!(all.len(), 12);
        assert_eq!(all[2].note.as_deref(), Some("trade fair"));
        // The model has them, sorted by metric then period.
        let m2 = s.create_metric(ws, &metric("MQLs", None)).await.unwrap();
        s.put_measurements(ws, m2.id, &[value("2025-01-01", 1.0, None)])
            .await
            .unwrap();
        let model = s.model(ws).await.unwrap();
        assert_eq!(model.metrics.len(), 2);
        assert_eq!(model.measurements.len(), 13);
        assert!(model
            .measurements
            .windows(2)
            .all(|w| (w[0].metric_id, w[0].period) < (w[1].metric_id, w[1].period)));
        assert_eq!(keel_domain::metric::measurements_of(&model, m.id).len(), 12);
        // Another workspace cannot write to this metric.
        let other = s.create_workspace("other", "Other", None).await.unwrap().id;
        assert!(matches!(
            s.put_measurements(other, m.id, &year).await,
            Err(StoreError::NotFound)
        ));
        // Removing a value takes its version; removing the metric takes its values.
        assert!(matches!(
            s.delete_measurement(ws, m.id, all[2].id, 1).await,
            Err(StoreError::Stale { current: 2 })
        ));
        assert!(matches!(
            s.delete_measurement(other, m.id, all[2].id, 2).await,
            Err(StoreError::NotFound)
        ));
        s.delete_measurement(ws, m.id, all[2].id, 2).await.unwrap();
        assert_eq!(s.measurements_of(ws, m.id).await.unwrap().len(), 11);
        s.delete_metric(ws, m.id, 1).await.unwrap();
        assert!(s.measurements_of(ws, m.id).await.unwrap().is_empty());
        assert_eq!(s.list_measurements(ws).await.unwrap().len(), 1);
    }
);

contract!(
    a_change_to_what_a_metric_counts_is_dated_and_other_edits_are_not,
    |s, ws| {
        let m = s.create_metric(ws, &metric("SALs", None)).await.unwrap();
        assert_eq!(m.definition_changed_at, None, "creating is no change");
        assert_eq!(
            (m.family, m.signal, m.layer, m.computed),
            (
                Some(keel_domain::metric::Family::LeadQuality),
                Some(keel_domain::metric::Signal::Lagging),
                Some(keel_domain::objective::Layer::Business),
                None
            ),
            "family, signal and layer are kept"
        );
        // A new target or name leaves the definition as it was.
        let renamed = MetricDraft {
            name: "Sales-accepted leads".into(),
            target: Some(90.0),
            ..metric("SALs", None)
        };
        let m = s.update_metric(ws, m.id, 1, &renamed).await.unwrap();
        assert_eq!(m.definition_changed_at, None);
        // A new source (or definition, or unit) is a shift in reporting.
        let moved = MetricDraft {
            source: Some("Salesforce".into()),
            ..renamed.clone()
        };
        let m = s.update_metric(ws, m.id, 2, &moved).await.unwrap();
        let at = m.definition_changed_at.expect("dated");
        assert!(at > 1_700_000_000, "{at}");
        let m = s.update_metric(ws, m.id, 3, &moved).await.unwrap();
        assert_eq!(
            m.definition_changed_at,
            Some(at),
            "the same again is no change"
        );
        let cleared = MetricDraft {
            unit: None,
            ..moved
        };
        let m = s.update_metric(ws, m.id, 4, &cleared).await.unwrap();
        assert!(m.definition_changed_at >= Some(at));
        assert_eq!(
            s.find_metric(ws, m.id)
                .await
                .unwrap()
                .unwrap()
                .definition_changed_at,
            m.definition_changed_at
        );
    }
);
