//! Strategic fit as a marketer and a script meet it: work items linked to an objective or
//! priority (page form and API, versioned, checked against the caller's view), the share of
//! work and hours traced on the Strategy page and in the API (the same figure), the untraced
//! work listed, and the health finding above the workspace's limit.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use reqwest::Method;
use serde_json::json;

keel_testkit::each_backend!(
    work_traced_to_the_strategy_is_counted_and_the_rest_listed,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let u = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", u).await;
        let mara = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
        let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
        let wf = app.workflow(&ws, "Campaign launch", mara).await;
        let mut items = vec![];
        for t in [
            "Pricing page",
            "Webinar",
            "Trade fair booth",
            "Newsletter",
            "Swag order",
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
        let other = app
            .store
            .create_objective(
                ws.id,
                &common::objective("Halve the cost per opportunity", Some(mara)),
            )
            .await
            .unwrap()
            .id;
        let priority = app
            .store
            .create_priority(ws.id, &common::priority("Account-based pilot", objective))
            .await
            .unwrap()
            .id;
        let channel = app
            .store
            .create_channel(ws.id, &common::channel("Events"))
            .await
            .unwrap()
            .id;

        // Nothing linked: version 0, untraced.
        let links = |id: i64| format!("/api/v1/work/{id}/links");
        let (s, l) = api.get(&links(items[0])).await;
        assert_eq!(
            (s, l["version"].as_i64(), l["traced"].as_bool()),
            (200, Some(0), Some(false))
        );

        // A priority alone brings its objective.
        let (s, l) = api
            .send_at(
                Method::PUT,
                &links(items[0]),
                0,
                Some(json!({"priority_id": priority})),
            )
            .await;
        assert_eq!(s, 200, "{l}");
        assert_eq!(
            (
                l["objective_id"].as_i64(),
                l["traced"].as_bool(),
                l["version"].as_i64()
            ),
            (Some(objective), Some(true), Some(1))
        );
        // Stale: 412, nothing changed. No If-Match: 428.
        let (s, _) = api
            .send_at(
                Method::PUT,
                &links(items[0]),
                0,
                Some(json!({"channel_id": channel})),
            )
            .await;
        assert_eq!(s, 412);
        let (s, _) = api
            .send(Method::PUT, &links(items[0]), Some(json!({})))
            .await;
        assert_eq!(s, 428);
        // An objective the priority does not serve, and an id that is not there: 422, named.
        let (s, e) = api
            .send_at(
                Method::PUT,
                &links(items[1]),
                0,
                Some(json!({"priority_id": priority, "objective_id": other, "offer_id": 999})),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        let mut fields: Vec<(&str, &str)> = e["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["field"].as_str().unwrap(), f["message"].as_str().unwrap()))
            .collect();
        fields.sort();
        assert_eq!(
            fields[1],
            ("offer_id", "Choose an offer from the list, or none.")
        );
        assert_eq!(fields[0].0, "objective_id");
        assert!(
            fields[0]
                .1
                .contains("serves \"Win 20 mid-market accounts this year\""),
            "{}",
            fields[0].1
        );
        // A channel alone traces nothing.
        let (s, l) = api
            .send_at(
                Method::PUT,
                &links(items[2]),
                0,
                Some(json!({"channel_id": channel})),
            )
            .await;
        assert_eq!((s, l["traced"].as_bool()), (200, Some(false)));

        // The page form: the objective picked on the item page.
        let browser = app.sign_in("ana@acme.test").await;
        let page = format!("/w/acme/work/{}", items[1]);
        let csrf = browser.csrf(&page).await;
        let obj = other.to_string();
        let r = browser
            .post_form_raw(
                &format!("{page}/links"),
                &[("csrf", &csrf), ("version", "0"), ("objective_id", &obj)],
            )
            .await;
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap();
        assert!(to.ends_with("notice=links-saved"), "{to}");
        let (_, html) = browser.text(&page).await;
        assert!(
            html.contains("Objective: <a href=\"/w/acme/objectives/"),
            "the item page names what it serves"
        );
        // A refused form keeps what was chosen and says why.
        let pr = priority.to_string();
        let r = browser
            .post_form_raw(
                &format!("/w/acme/work/{}/links", items[3]),
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("objective_id", &obj),
                    ("priority_id", &pr),
                ],
            )
            .await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("serves &#34;Win 20") || html.contains("serves &quot;Win 20"),
            "{html}"
        );
        assert!(html.contains(&format!("<option value=\"{pr}\" selected>")));

        // 2 of 5 items (8 of 20 h) traced: 60% untraced, above the default 30%.
        let (s, f) = api.get("/api/v1/strategic-fit").await;
        assert_eq!(s, 200, "{f}");
        assert_eq!(
            (f["items"].as_u64(), f["traced_items"].as_u64()),
            (Some(5), Some(2))
        );
        assert_eq!(
            (f["hours"].as_f64(), f["traced_hours"].as_f64()),
            (Some(20.0), Some(8.0))
        );
        assert_eq!(
            (
                f["untraced_share"].as_f64(),
                f["over_limit"].as_bool(),
                f["limit"].as_u64()
            ),
            (Some(60.0), Some(true), Some(30))
        );
        let untraced: Vec<&str> = f["untraced"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["title"].as_str().unwrap())
            .collect();
        assert_eq!(untraced, ["Trade fair booth", "Newsletter", "Swag order"]);
        // The Strategy page shows the same figure.
        let (_, html) = browser.text("/w/acme/strategy").await;
        assert!(html.contains("2 of 5 work items</strong> (40%)"), "{html}");
        assert!(html.contains("8 of 20 estimated hours</strong> (40%)"));
        assert!(html.contains("60% untraced</strong>, the team accepts 30%"));
        assert!(html.contains("Swag order"));
        // The health check names it.
        let (_, findings) = api.get("/api/v1/health").await;
        assert!(
            findings.to_string().contains("strategy.untraced-work"),
            "{findings}"
        );

        // The limit: bad input refused on the page, set through the API.
        let r = browser
            .post_form_raw(
                "/w/acme/strategy/fit-limit",
                &[("csrf", &csrf), ("version", "0"), ("limit", "150")],
            )
            .await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("whole percent from 0 to 100") && html.contains("value=\"150\""));
        let (s, f) = api
            .send_at(
                Method::PUT,
                "/api/v1/strategic-fit/limit",
                0,
                Some(json!({"limit": 70})),
            )
            .await;
        assert_eq!(
            (s, f["over_limit"].as_bool(), f["version"].as_i64()),
            (200, Some(false), Some(1)),
            "{f}"
        );
        let (_, findings) = api.get("/api/v1/health").await;
        assert!(!findings.to_string().contains("strategy.untraced-work"));

        // A viewer reads but does not link.
        let viewer = app.member(&ws, "vic@acme.test", Role::Viewer).await;
        let vapi = Api::new(&app, &app.token(&ws, viewer, Role::Viewer).await);
        let (s, _) = vapi
            .send_at(
                Method::PUT,
                &links(items[4]),
                0,
                Some(json!({"objective_id": objective})),
            )
            .await;
        assert_eq!(s, 403);
        // A partner sees no strategic fit.
        let partner = app.member(&ws, "pat@agency.test", Role::Partner).await;
        let papi = Api::new(&app, &app.token(&ws, partner, Role::Partner).await);
        let (s, _) = papi.get("/api/v1/strategic-fit").await;
        assert_eq!(s, 404);
    }
);
