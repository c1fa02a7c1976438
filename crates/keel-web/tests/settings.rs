//! The workspace's time zone: set by owners and admins through the settings page and the API,
//! shown where dates are typed, and "today" follows it.

mod common;

use common::{Api, TestApp};
use keel_domain::Role;
use reqwest::Method;
use serde_json::json;

keel_testkit::each_backend!(
    the_time_zone_is_a_versioned_setting_that_today_follows,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let u = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", u).await;
        let owner = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
        let (s, st) = owner.get("/api/v1/settings").await;
        assert_eq!(
            (s, st["time_zone"].as_str(), st["version"].as_i64()),
            (200, Some("UTC"), Some(1))
        );
        let put = |v: i64, zone: &str| {
            let owner = &owner;
            let body = json!({ "time_zone": zone });
            async move {
                owner
                    .send_at(Method::PUT, "/api/v1/settings", v, Some(body))
                    .await
            }
        };
        let (s, e) = put(1, "Mars/Olympus").await;
        assert_eq!(
            (s, e["error"]["fields"][0]["field"].as_str()),
            (422, Some("time_zone")),
            "{e}"
        );
        let (s, st) = put(1, "America/Los_Angeles").await;
        assert_eq!(
            (s, st["time_zone"].as_str(), st["version"].as_i64()),
            (200, Some("America/Los_Angeles"), Some(2)),
            "{st}"
        );
        // Today is California's: compare with the domain's reading of the same moment.
        let la = keel_domain::Zone::parse("America/Los_Angeles").unwrap();
        let today = la.date_of(keel_web::time_fmt::now()).to_string();
        assert_eq!(st["today"].as_str(), Some(today.as_str()));
        let (s, e) = put(1, "Europe/Berlin").await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (412, Some("version_mismatch"))
        );
        let (_, w) = owner.get("/api/v1/workspace").await;
        assert_eq!(w["time_zone"], "America/Los_Angeles");
        // The model reloads in the new zone.
        let m = app.store.model(ws.id).await.unwrap();
        assert_eq!(m.zone, la);

        // A member reads it but does not change it.
        let mu = app.member(&ws, "tom@acme.test", Role::Member).await;
        let member = Api::new(&app, &app.token(&ws, mu, Role::Member).await);
        let (s, _) = member
            .send_at(
                Method::PUT,
                "/api/v1/settings",
                2,
                Some(json!({"time_zone": "UTC"})),
            )
            .await;
        assert_eq!(s, 403);

        // The page shows it, and the zone is said where dates are typed.
        let b = app.sign_in("ana@acme.test").await;
        let (s, html) = b.text("/w/acme/settings").await;
        assert_eq!(s, 200);
        assert!(
            html.contains("<strong>America/Los_Angeles</strong>"),
            "{html}"
        );
        let r = b
            .post_form(
                "/w/acme/settings",
                &[("time_zone", "Europe/Berlin"), ("version", "2")],
            )
            .await;
        assert_eq!(r.status(), 303);
        for form in ["/w/acme/objectives/new", "/w/acme/workflows/new"] {
            let (_, html) = b.text(form).await;
            assert!(
                html.contains("Dates are days in Europe/Berlin"),
                "{form}: {html}"
            );
        }
        let r = b
            .post_form(
                "/w/acme/settings",
                &[("time_zone", "Nowhere/Else"), ("version", "3")],
            )
            .await;
        assert_eq!(r.status(), 422);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("not a time zone keel knows"));
        app.stop().await;
    }
);
