//! Objectives and priorities as a script and a marketer meet them: the SMART check, the
//! priority test (a "now" priority names what it pauses unless the hours are free), versions,
//! roles and the health rules.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use keel_testkit::TestDb;
use reqwest::Method;
use serde_json::json;

struct Setup {
    app: TestApp,
    api: Api,
    mara: i64,
}

/// A workspace with one internal person of 20 h a week and nothing else on her plate.
async fn setup(db: TestDb) -> Setup {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let mara = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
    let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
    Setup { app, api, mara }
}

fn smart(mara: i64) -> serde_json::Value {
    json!({"outcome": "Double sales-accepted leads from mid-market accounts", "owner_id": mara,
           "metric": "SALs per month", "baseline": 40, "target": 80, "deadline": "2099-06-30",
           "serves": "FY27 revenue goal"})
}

keel_testkit::each_backend!(
    an_objective_is_told_what_it_misses_and_kept_with_its_version,
    |db| {
        let Setup { app, api, mara } = setup(db).await;
        let (s, wish) = api
            .send(
                Method::POST,
                "/api/v1/objectives",
                Some(json!({"outcome": "More leads"})),
            )
            .await;
        assert_eq!(s, 201, "{wish}");
        assert_eq!(wish["smart"], false);
        let missing: Vec<&str> = wish["smart_check"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| !p["missing"].is_null())
            .map(|p| p["letter"].as_str().unwrap())
            .collect();
        assert_eq!(missing, ["S", "M", "A", "R", "T"]);
        let id = wish["id"].as_i64().unwrap();
        let url = format!("/api/v1/objectives/{id}");
        // No If-Match: 428, nothing changed.
        let (s, e) = api.send(Method::PUT, &url, Some(smart(mara))).await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (428, Some("precondition_required"))
        );
        let (s, o) = api.send_at(Method::PUT, &url, 1, Some(smart(mara))).await;
        assert_eq!(s, 200, "{o}");
        assert_eq!(
            (o["smart"].as_bool(), o["version"].as_i64()),
            (Some(true), Some(2))
        );
        let (s, _) = api.send_at(Method::PUT, &url, 1, Some(smart(mara))).await;
        assert_eq!(s, 412);
        // Bad input: every field named, with what to change.
        let mut bad = smart(mara);
        bad["baseline"] = serde_json::Value::Null;
        bad["deadline"] = json!("2020-01-01");
        bad["outcome"] = json!("Leads\u{0}");
        let (s, e) = api
            .send(Method::POST, "/api/v1/objectives", Some(bad))
            .await;
        assert_eq!(s, 422, "{e}");
        let fields: Vec<&str> = e["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["outcome", "baseline", "deadline"]);
        let (s, _) = api.send_at(Method::DELETE, &url, 2, None).await;
        assert_eq!(s, 204);
        assert_eq!(api.get(&url).await.0, 404);
        app.stop().await;
    }
);

keel_testkit::each_backend!(
    a_now_priority_beyond_free_capacity_must_name_what_it_pauses,
    |db| {
        let Setup { app, api, mara } = setup(db).await;
        let (_, o) = api
            .send(Method::POST, "/api/v1/objectives", Some(smart(mara)))
            .await;
        let o = o["id"].as_i64().unwrap();
        let p = |title: &str, status: &str, hours: f64, paused: Option<i64>| {
            json!({"title": title, "objective_id": o, "owner_id": mara, "status": status,
               "weekly_hours": hours, "paused_id": paused})
        };
        // Mara has 20 h: a 15 h "now" priority fits.
        let (s, seo) = api
            .send(
                Method::POST,
                "/api/v1/priorities",
                Some(p("SEO refresh", "now", 15.0, None)),
            )
            .await;
        assert_eq!(s, 201, "{seo}");
        let seo = seo["id"].as_i64().unwrap();
        // 10 h more does not: name what it pauses.
        let (s, e) = api
            .send(
                Method::POST,
                "/api/v1/priorities",
                Some(p("ABM pilot", "now", 10.0, None)),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["error"]["fields"][0]["field"], "paused_id");
        assert!(e["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("needs 10 h a week, but the team has 5 h free"));
        let (s, abm) = api
            .send(
                Method::POST,
                "/api/v1/priorities",
                Some(p("ABM pilot", "now", 10.0, Some(seo))),
            )
            .await;
        assert_eq!(s, 201, "{abm}");
        assert_eq!(abm["paused_id"].as_i64(), Some(seo));
        let (_, seo_now) = api.get(&format!("/api/v1/priorities/{seo}")).await;
        assert_eq!(seo_now["status"], "paused");
        // A priority cannot pause itself.
        let abm_id = abm["id"].as_i64().unwrap();
        let (s, e) = api
            .send_at(
                Method::PUT,
                &format!("/api/v1/priorities/{abm_id}"),
                1,
                Some(p("ABM pilot", "now", 10.0, Some(abm_id))),
            )
            .await;
        assert_eq!(s, 422);
        assert!(e.to_string().contains("cannot pause itself"), "{e}");
        let (_, list) = api.get("/api/v1/priorities").await;
        assert_eq!(list["priorities"].as_array().unwrap().len(), 2);
        app.stop().await;
    }
);

#[tokio::test]
async fn the_pages_show_the_smart_check_and_what_each_now_priority_paused() {
    let Setup { app, api, mara } = setup(TestDb::sqlite().await).await;
    let b = app.sign_in("ana@acme.test").await;
    let csrf = b.csrf("/w/acme/objectives").await;
    // A vague objective is saved, and its page says why it is not an objective yet.
    let r = b
        .post_form_raw(
            "/w/acme/objectives",
            &[
                ("csrf", &csrf),
                ("outcome", "More leads"),
                ("layer", "business"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let (_, html) = b.text(&to).await;
    assert!(html.contains("Not an objective yet"), "{html}");
    assert!(html.contains("is a wish") && html.contains("Set a deadline."));
    // A bad form keeps what was typed and says what to fix.
    let r = b
        .post_form_raw(
            "/w/acme/objectives",
            &[
                ("csrf", &csrf),
                ("outcome", "Grow pipeline from events"),
                ("layer", "business"),
                ("target", "90"),
                ("deadline", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"Grow pipeline from events\""));
    assert!(html.contains("A target needs a baseline") && html.contains("already passed"));
    // A "now" priority that needs more than is free must choose what it pauses.
    let (_, o) = api
        .send(Method::POST, "/api/v1/objectives", Some(smart(mara)))
        .await;
    let o = o["id"].as_i64().unwrap().to_string();
    let (_, seo) = api
        .send(Method::POST, "/api/v1/priorities", Some(json!({"title": "SEO refresh", "objective_id": o.parse::<i64>().unwrap(), "status": "now", "weekly_hours": 15})))
        .await;
    let seo = seo["id"].as_i64().unwrap().to_string();
    let form = |paused: &'static str| {
        vec![
            ("title", "ABM pilot"),
            ("objective_id", ""),
            ("status", "now"),
            ("weekly_hours", "10"),
            ("paused_id", paused),
        ]
    };
    let mut f = form("");
    f[1].1 = &o;
    f.push(("csrf", &csrf));
    let r = b.post_form_raw("/w/acme/priorities", &f).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Choose the priority it pauses") && html.contains("value=\"ABM pilot\""));
    let mut f = form("");
    f[1].1 = &o;
    f[4].1 = &seo;
    f.push(("csrf", &csrf));
    assert_eq!(
        b.post_form_raw("/w/acme/priorities", &f).await.status(),
        303
    );
    let (_, html) = b.text("/w/acme/priorities").await;
    let now = &html[html.find("<h2>Now").unwrap()..html.find("Next and later").unwrap()];
    assert!(
        now.contains("ABM pilot") && now.contains("Paused <a"),
        "{now}"
    );
    assert!(html.contains("Paused by <a"));
    // Home shows the "now" priorities with what each paused, and the objectives to fix.
    let (_, home) = b.text("/w/acme").await;
    assert!(
        home.contains("Priorities now") && home.contains("paused SEO refresh"),
        "{home}"
    );
    assert!(home.contains("1 not SMART yet"));
    // The health check reads the vague objective.
    let (_, h) = api.get("/api/v1/health").await;
    assert!(h.to_string().contains("objective.not-smart"), "{h}");
    app.stop().await;
}

#[tokio::test]
async fn a_viewer_reads_and_a_partner_sees_none_it_does_not_own() {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@a.test", "Owner").await;
    let ws = app.workspace("alpha", owner).await;
    app.member(&ws, "viewer@a.test", Role::Viewer).await;
    app.member(&ws, "partner@a.test", Role::Partner).await;
    let lead = app.person(&ws, "Lead Internal", PersonKind::Internal).await;
    let o = app
        .store
        .create_objective(ws.id, &common::objective("Secret objective", Some(lead)))
        .await
        .unwrap()
        .id;
    let p = app
        .store
        .create_priority(ws.id, &common::priority("Secret priority", o))
        .await
        .unwrap()
        .id;
    let viewer = app.sign_in("viewer@a.test").await;
    let (s, html) = viewer.text("/w/alpha/priorities").await;
    assert!(s == 200 && html.contains("Secret priority"));
    let (s, html) = viewer.text(&format!("/w/alpha/objectives/{o}")).await;
    assert!(
        s == 200
            && html.contains("Secret objective")
            && !html.contains("<form method=\"post\" action=\"/w/alpha/objectives")
    );
    let partner = app.sign_in("partner@a.test").await;
    let (_, html) = partner.text("/w/alpha/priorities").await;
    assert!(!html.contains("Secret priority"));
    let (_, html) = partner.text("/w/alpha/objectives").await;
    assert!(!html.contains("Secret objective"));
    assert_eq!(
        partner
            .get(&format!("/w/alpha/objectives/{o}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        partner
            .get(&format!("/w/alpha/priorities/{p}"))
            .await
            .status(),
        404
    );
    app.stop().await;
}

keel_testkit::each_backend!(the_channel_focus_limit_names_the_channels_beyond_it, |db| {
    let Setup { app, api, mara } = setup(db).await;
    for (name, budget) in [
        ("Paid search", 9000),
        ("Events", 4000),
        ("Email nurture", 800),
        ("Podcast", 300),
    ] {
        let (s, c) = api
            .send(Method::POST, "/api/v1/channels", Some(json!({"name": name, "owner_id": mara, "phase": "segment-marketing", "status": "active", "monthly_budget": budget})))
            .await;
        assert_eq!(s, 201, "{c}");
    }
    let (s, e) = api
        .send(Method::POST, "/api/v1/channels", Some(json!({"name": "Paid search", "phase": "tv", "status": "active", "monthly_budget": -1})))
        .await;
    assert_eq!(s, 422, "{e}");
    let (_, f) = api.get("/api/v1/channel-focus").await;
    assert_eq!(
        (
            f["limit"].as_i64(),
            f["active"].as_i64(),
            f["version"].as_i64()
        ),
        (Some(3), Some(4), Some(0))
    );
    let (_, list) = api.get("/api/v1/channels").await;
    let over: Vec<&str> = list["channels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["over_focus_limit"] == true)
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(over, ["Podcast"]);
    let (_, h) = api.get("/api/v1/health").await;
    assert!(h.to_string().contains("channel.over-focus-limit"), "{h}");
    // The limit is versioned like any record.
    let (s, _) = api
        .send(
            Method::PUT,
            "/api/v1/channel-focus",
            Some(json!({"limit": 4})),
        )
        .await;
    assert_eq!(s, 428);
    let (s, e) = api
        .send_at(
            Method::PUT,
            "/api/v1/channel-focus",
            0,
            Some(json!({"limit": 0})),
        )
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("limit"))
    );
    let (s, f) = api
        .send_at(
            Method::PUT,
            "/api/v1/channel-focus",
            0,
            Some(json!({"limit": 4})),
        )
        .await;
    assert_eq!(s, 200, "{f}");
    assert_eq!(
        (
            f["limit"].as_i64(),
            f["over"].as_array().unwrap().len(),
            f["version"].as_i64()
        ),
        (Some(4), 0, Some(1))
    );
    let (s, _) = api
        .send_at(
            Method::PUT,
            "/api/v1/channel-focus",
            0,
            Some(json!({"limit": 2})),
        )
        .await;
    assert_eq!(s, 412);
    app.stop().await;
});

#[tokio::test]
async fn the_channels_page_shows_the_limit_and_who_is_over_it() {
    let Setup { app, api, .. } = setup(TestDb::sqlite().await).await;
    for (name, budget) in [
        ("Paid search", 9000),
        ("Events", 4000),
        ("Email nurture", 800),
        ("Podcast", 300),
    ] {
        api.send(Method::POST, "/api/v1/channels", Some(json!({"name": name, "phase": "lead-nurturing", "status": "active", "monthly_budget": budget})))
            .await;
    }
    let b = app.sign_in("ana@acme.test").await;
    let (_, html) = b.text("/w/acme/channels").await;
    assert!(
        html.contains("4 channels are active; the focus limit is 3."),
        "{html}"
    );
    let podcast = &html[html.find(">Podcast<").unwrap()..];
    assert!(podcast[..200].contains("beyond the focus limit"));
    assert_eq!(html.matches("beyond the focus limit</span>").count(), 1);
    let csrf = b.csrf("/w/acme/channels").await;
    let r = b
        .post_form_raw(
            "/w/acme/channels/limit",
            &[("csrf", &csrf), ("limit", "many"), ("version", "0")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"many\"") && html.contains("from 1 to 20"));
    let r = b
        .post_form_raw(
            "/w/acme/channels/limit",
            &[("csrf", &csrf), ("limit", "4"), ("version", "0")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text("/w/acme/channels").await;
    assert!(html.contains("4 of 4 active") && !html.contains("beyond the focus limit</span>"));
    app.stop().await;
}

keel_testkit::each_backend!(
    a_now_priority_short_of_capacity_pauses_another_or_goes_ahead_with_a_reason_kept_in_its_history,
    |db| {
        let Setup { app, api, mara } = setup(db).await;
        let (_, o) = api
            .send(Method::POST, "/api/v1/objectives", Some(smart(mara)))
            .await;
        let oid = o["id"].as_i64().unwrap();
        let body = |title: &str, hours: f64, extra: serde_json::Value| {
            let mut b = json!({"title": title, "objective_id": oid, "status": "now", "weekly_hours": hours});
            for (k, v) in extra.as_object().unwrap() {
                b[k] = v.clone();
            }
            b
        };
        // Mara's 20 h: a first "now" priority of 15 h fits.
        let (s, first) = api
            .send(
                Method::POST,
                "/api/v1/priorities",
                Some(body("Pricing page rebuild", 15.0, json!({}))),
            )
            .await;
        assert_eq!(s, 201, "{first}");
        let first_id = first["id"].as_i64().unwrap();
        // 10 h more does not fit: pause something, or say why not.
        let (s, e) = api
            .send(
                Method::POST,
                "/api/v1/priorities",
                Some(body("Partner webinars", 10.0, json!({}))),
            )
            .await;
        assert_eq!(s, 422);
        assert!(
            e.to_string().contains("Or write why it goes ahead anyway"),
            "{e}"
        );
        let (s, e) = api
            .send(
                Method::POST,
                "/api/v1/priorities",
                Some(body(
                    "Partner webinars",
                    10.0,
                    json!({"override_reason": "Board"}),
                )),
            )
            .await;
        assert_eq!(
            (s, e["error"]["fields"][0]["field"].as_str()),
            (422, Some("override_reason"))
        );
        let reason = "The partner contract requires two webinars this quarter.";
        let (s, second) = api
            .send(
                Method::POST,
                "/api/v1/priorities",
                Some(body(
                    "Partner webinars",
                    10.0,
                    json!({"override_reason": reason}),
                )),
            )
            .await;
        assert_eq!(s, 201, "{second}");
        let second_id = second["id"].as_i64().unwrap();
        let (_, h) = api
            .get(&format!("/api/v1/priorities/{second_id}/history"))
            .await;
        assert_eq!(h["events"][0]["to_status"], "now");
        assert!(
            h["events"][0]["note"].as_str().unwrap().ends_with(reason),
            "{h}"
        );
        // A third pauses the first: both histories say so.
        let (s, third) = api
            .send(
                Method::POST,
                "/api/v1/priorities",
                Some(body(
                    "Analyst briefing",
                    12.0,
                    json!({"paused_id": first_id}),
                )),
            )
            .await;
        assert_eq!(s, 201, "{third}");
        let (_, h) = api
            .get(&format!("/api/v1/priorities/{first_id}/history"))
            .await;
        let last = &h["events"][1];
        assert_eq!(
            (last["from_status"].as_str(), last["to_status"].as_str()),
            (Some("now"), Some("paused"))
        );
        assert_eq!(
            last["note"],
            "Paused to make room for \"Analyst briefing\"."
        );
        // A priority cannot pause itself.
        let tid = third["id"].as_i64().unwrap();
        let (s, e) = api
            .send_at(
                Method::PUT,
                &format!("/api/v1/priorities/{tid}"),
                1,
                Some(body("Analyst briefing", 12.0, json!({"paused_id": tid}))),
            )
            .await;
        assert_eq!(s, 422);
        assert!(e.to_string().contains("cannot pause itself"));
        // The page shows the history.
        let browser = app.sign_in("ana@acme.test").await;
        let (_, html) = browser
            .text(&format!("/w/acme/priorities/{second_id}"))
            .await;
        assert!(
            html.contains("Status history") && html.contains("The partner contract requires"),
            "{html}"
        );
        let (_, html) = browser
            .text(&format!("/w/acme/priorities/{first_id}"))
            .await;
        assert!(
            html.contains("Now → Paused")
                && html.contains("make room for &#34;Analyst briefing&#34;")
                || html.contains("make room for &quot;Analyst briefing&quot;"),
            "{html}"
        );
    }
);
