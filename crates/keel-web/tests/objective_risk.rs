//! An objective at risk, as the home page, the objectives page, the objective's page, the API
//! and the health check say it (one rule, `keel_domain::objective::at_risk`): its KPI's trend does not reach
//! the target by the deadline.

mod common;

use common::{Api, TestApp};
use keel_domain::metric::MeasurementDraft;
use keel_domain::{PersonKind, Role, Zone};

keel_testkit::each_backend!(
    an_objective_whose_kpi_will_fall_short_is_at_risk_everywhere_alike,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let u = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", u).await;
        let mara = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
        let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
        let this_month = Zone::utc()
            .date_of(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs() as i64,
            )
            .month_start();
        // 40, 42, … 50 over the last six months: about 64 by the deadline; the target is 80.
        let objective = app
            .store
            .create_objective(
                ws.id,
                &keel_domain::ObjectiveDraft {
                    deadline: Some(this_month.add_months(6)),
                    ..common::objective("Win 20 mid-market accounts this year", Some(mara))
                },
            )
            .await
            .unwrap()
            .id;
        let on_track = app
            .store
            .create_objective(
                ws.id,
                &common::objective("Halve the cost per opportunity", Some(mara)),
            )
            .await
            .unwrap()
            .id;
        let kpi = app
            .store
            .create_metric(
                ws.id,
                &keel_domain::metric::MetricDraft {
                    objective_id: Some(objective),
                    ..common::metric("Sales-accepted leads", None)
                },
            )
            .await
            .unwrap()
            .id;
        let values: Vec<MeasurementDraft> = (0..6)
            .map(|i| MeasurementDraft {
                period: this_month.add_months(i - 6),
                value: 40.0 + 2.0 * i as f64,
                note: None,
            })
            .collect();
        app.store
            .put_measurements(ws.id, kpi, &values)
            .await
            .unwrap();

        let (s, o) = api.get(&format!("/api/v1/objectives/{objective}")).await;
        assert_eq!(s, 200, "{o}");
        let why = o["at_risk"]
            .as_str()
            .unwrap_or_else(|| panic!("at risk: {o}"))
            .to_string();
        assert!(
            why.starts_with("Sales-accepted leads stands at 50 leads")
                && why.contains("at its pace of 2 a month it reaches about 64 leads by"),
            "{why}"
        );
        let (_, calm) = api.get(&format!("/api/v1/objectives/{on_track}")).await;
        assert!(calm["at_risk"].is_null(), "{calm}");

        let browser = app.sign_in("ana@acme.test").await;
        for page in [
            "/w/acme",
            "/w/acme/objectives",
            &format!("/w/acme/objectives/{objective}"),
        ] {
            let (_, html) = browser.text(page).await;
            assert!(html.contains(&why), "{page} says why: {html}");
        }
        let (_, findings) = api.get("/api/v1/health").await;
        assert!(
            findings.to_string().contains(&why.replace('"', "\\\"")),
            "{findings}"
        );
        let (_, home) = browser.text("/w/acme").await;
        assert!(
            !home.contains("Halve the cost per opportunity</a><br><small>"),
            "only the one at risk"
        );
    }
);
