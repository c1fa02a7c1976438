//! Resource allocation and the priority test as a marketing lead and a script meet them: the
//! hours of the work and the channels' budgets by channel and by priority on the Strategy page
//! and in `GET /api/v1/resource-allocation` (the same figures), and a priority's test answered
//! on its page and in `GET /api/v1/priorities/{id}` (the same answers).

mod common;

use common::{Api, TestApp};
use keel_domain::channel::ChannelStatus;
use keel_domain::{PersonKind, Role};
use reqwest::Method;
use serde_json::json;

keel_testkit::each_backend!(
    hours_and_budget_by_channel_and_priority_agree_on_page_and_api,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let u = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", u).await;
        let mara = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
        let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
        let browser = app.sign_in("ana@acme.test").await;

        // An empty workspace says what to do first.
        let (_, html) = browser.text("/w/acme/strategy").await;
        assert!(html.contains("Nothing to allocate yet."), "{html}");

        let wf = app.workflow(&ws, "Campaign launch", mara).await;
        let mut items = vec![];
        for t in [
            "Search ads refresh",
            "Fair follow-up",
            "Ads landing page",
            "Swag",
        ] {
            items.push(app.work(&ws, wf, t, Some(mara)).await);
        }
        let objective = app
            .store
            .create_objective(
                ws.id,
                &common::objective("Win 20 mid-market accounts this year", Some(mara)),
            )
            .await
            .unwrap()
            .id;
        let pilot = app
            .store
            .create_priority(ws.id, &common::priority("Account-based pilot", objective))
            .await
            .unwrap()
            .id;
        // A priority with no work and no budget yet: counted, but not listed on the Strategy
        // page (its allocation page lists it).
        app.store
            .create_priority(ws.id, &common::priority("Podcast series", objective))
            .await
            .unwrap();
        let search = app
            .store
            .create_channel(
                ws.id,
                &keel_domain::channel::ChannelDraft {
                    monthly_budget: 3000.0,
                    ..common::channel("Paid search")
                },
            )
            .await
            .unwrap()
            .id;
        app.store
            .create_channel(
                ws.id,
                &keel_domain::channel::ChannelDraft {
                    status: ChannelStatus::Testing,
                    ..common::channel("Events")
                },
            )
            .await
            .unwrap();
        // Two search items serve the pilot, one serves nothing; the swag is in no channel.
        for (item, body) in [
            (
                items[0],
                json!({"channel_id": search, "priority_id": pilot}),
            ),
            (
                items[2],
                json!({"channel_id": search, "priority_id": pilot}),
            ),
            (items[1], json!({"channel_id": search})),
        ] {
            let (s, l) = api
                .send_at(
                    Method::PUT,
                    &format!("/api/v1/work/{item}/links"),
                    0,
                    Some(body),
                )
                .await;
            assert_eq!(s, 200, "{l}");
        }

        let (s, a) = api.get("/api/v1/resource-allocation").await;
        assert_eq!(s, 200, "{a}");
        assert_eq!(
            (
                a["items"].as_u64(),
                a["hours"].as_f64(),
                a["monthly_budget"].as_f64()
            ),
            (Some(4), Some(16.0), Some(4000.0))
        );
        let row = |list: &str, name: &str| {
            a[list]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["name"] == name)
                .cloned()
                .unwrap_or_else(|| panic!("{name} in {list}: {a}"))
        };
        let s = row("by_channel", "Paid search");
        assert_eq!(
            (
                s["items"].as_u64(),
                s["hours"].as_f64(),
                s["share"].as_f64()
            ),
            (Some(3), Some(12.0), Some(75.0))
        );
        let none = row("by_channel", "In no channel");
        assert_eq!(
            (none["id"].as_i64(), none["hours"].as_f64()),
            (None, Some(4.0))
        );
        // The pilot gets two thirds of paid search's budget (8 of its 12 h); the rest, with
        // the budget of events (no work), serves no priority.
        let p = row("by_priority", "Account-based pilot");
        assert_eq!(
            (
                p["items"].as_u64(),
                p["hours"].as_f64(),
                p["monthly_budget"].as_f64(),
                p["weekly_hours"].as_f64()
            ),
            (Some(2), Some(8.0), Some(2000.0), Some(4.0))
        );
        let rest = row("by_priority", "Serving no priority");
        assert_eq!(
            (rest["hours"].as_f64(), rest["monthly_budget"].as_f64()),
            (Some(8.0), Some(2000.0))
        );

        // The Strategy page shows the same figures.
        let (_, html) = browser.text("/w/acme/strategy").await;
        assert!(html.contains("Where the hours and budget go"));
        assert!(html.contains("(4 items, 16 h;"), "{html}");
        let cells = |r: &serde_json::Value| {
            format!(
                "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}%</td><td class=\"num\">{}</td>",
                r["items"], r["hours"].as_f64().unwrap(), r["share"].as_f64().unwrap(), r["monthly_budget"].as_f64().unwrap()
            )
        };
        for r in [&s, &p, &rest] {
            assert!(html.contains(&cells(r)), "{}: {html}", cells(r));
        }
        let idle = row("by_priority", "Podcast series");
        assert_eq!(
            (idle["items"].as_u64(), idle["hours"].as_f64()),
            (Some(0), Some(0.0))
        );
        assert!(!html.contains(">Podcast series</a>"), "{html}");
        assert!(
            html.contains("1 more priorities have no work or budget linked yet."),
            "{html}"
        );
        // Every priority, the idle one too, on the allocation page, with the same figures.
        let (status, all) = browser.text("/w/acme/strategy/allocation").await;
        assert_eq!(status, 200, "{all}");
        assert!(all.contains(">Podcast series</a>"), "{all}");
        for r in [&s, &p, &rest] {
            assert!(all.contains(&cells(r)), "{}: {all}", cells(r));
        }

        // A partner sees none of it; a viewer reads it.
        let partner = app.member(&ws, "pat@agency.test", Role::Partner).await;
        let papi = Api::new(&app, &app.token(&ws, partner, Role::Partner).await);
        assert_eq!(papi.get("/api/v1/resource-allocation").await.0, 404);
        let pbrowser = app.sign_in("pat@agency.test").await;
        assert_eq!(pbrowser.text("/w/acme/strategy/allocation").await.0, 404);
        let viewer = app.member(&ws, "vic@acme.test", Role::Viewer).await;
        let vapi = Api::new(&app, &app.token(&ws, viewer, Role::Viewer).await);
        assert_eq!(vapi.get("/api/v1/resource-allocation").await.1, a);
    }
);

keel_testkit::each_backend!(
    the_priority_test_is_answered_alike_on_the_page_and_in_the_api,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let u = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", u).await;
        // 40 h a week of capacity, nothing committed.
        let mara = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
        let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
        let objective = app
            .store
            .create_objective(
                ws.id,
                &common::objective("Win 20 mid-market accounts this year", Some(mara)),
            )
            .await
            .unwrap()
            .id;
        let (s, p) = api
            .send(
                Method::POST,
                "/api/v1/priorities",
                Some(json!({"title": "Account-based pilot", "objective_id": objective, "status": "now", "weekly_hours": 12})),
            )
            .await;
        assert_eq!(s, 201, "{p}");
        assert!(
            p.get("test").is_none(),
            "only GET of one priority answers the test: {p}"
        );
        let id = p["id"].as_i64().unwrap();
        let (_, p) = api.get(&format!("/api/v1/priorities/{id}")).await;
        let test = p["test"].as_array().unwrap();
        let q: Vec<&str> = test
            .iter()
            .map(|a| a["question"].as_str().unwrap())
            .collect();
        assert_eq!(
            q,
            [
                "Does it support the revenue goal?",
                "Is there capacity?",
                "How will it be measured?",
                "What must be paused?"
            ]
        );
        assert!(test.iter().all(|a| a["holds"] == true), "{p}");
        assert!(test[0]["answer"]
            .as_str()
            .unwrap()
            .contains("which serves Revenue goal."));

        let browser = app.sign_in("ana@acme.test").await;
        let (_, html) = browser.text(&format!("/w/acme/priorities/{id}")).await;
        assert!(html.contains("The priority test"), "{html}");
        for a in test {
            let answer = a["answer"].as_str().unwrap().replace('"', "&#34;");
            assert!(
                html.contains(&format!("<dd>{answer}</dd>")),
                "{answer}: {html}"
            );
        }
        // A partner cannot open it.
        let partner = app.member(&ws, "pat@agency.test", Role::Partner).await;
        let papi = Api::new(&app, &app.token(&ws, partner, Role::Partner).await);
        assert_eq!(papi.get(&format!("/api/v1/priorities/{id}")).await.0, 404);
    }
);
