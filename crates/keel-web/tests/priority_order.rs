//! Reordering the ranked list of priorities: one up or down on the page (plain forms, so the
//! keyboard and no script do), the whole order through the API with versions, refusals that
//! name what to change, and a line in each moved priority's history.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use reqwest::Method;
use serde_json::json;

fn titles(list: &serde_json::Value) -> Vec<(String, i64)> {
    list["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["title"].as_str().unwrap().to_string(),
                p["rank"].as_i64().unwrap(),
            )
        })
        .collect()
}

keel_testkit::each_backend!(
    priorities_are_reordered_on_the_page_and_through_the_api,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let u = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", u).await;
        let mara = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
        let o = app
            .store
            .create_objective(
                ws.id,
                &common::objective("Double accepted leads this year", Some(mara)),
            )
            .await
            .unwrap();
        let mut ids = vec![];
        for (n, t) in ["Pilot", "Webinars", "Partner push"].iter().enumerate() {
            let mut d = common::priority(t, o.id);
            d.rank = n as i64 + 1;
            ids.push(app.store.create_priority(ws.id, &d).await.unwrap().id);
        }
        let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);

        // The page: "Partner push" one up, by its button.
        let b = app.sign_in("ana@acme.test").await;
        let (_, page) = b.text("/w/acme/priorities").await;
        assert!(
            page.contains("aria-label=\"Move Partner push up\""),
            "{page}"
        );
        assert!(!page.contains("Move Pilot up"), "the top has no up button");
        let r = b
            .post_form(
                "/w/acme/priorities/moves",
                &[("step", &format!("{}.1.up", ids[2]))],
            )
            .await;
        assert_eq!(r.status(), 303);
        let (_, list) = api.get("/api/v1/priorities").await;
        assert_eq!(
            titles(&list),
            [
                ("Pilot".into(), 1),
                ("Partner push".into(), 2),
                ("Webinars".into(), 3)
            ]
        );
        let (_, h) = api
            .get(&format!("/api/v1/priorities/{}/history", ids[2]))
            .await;
        assert!(
            h.to_string().contains("Moved from rank 3 to rank 2."),
            "{h}"
        );

        // The same form again, with the version it was read at: the list changed, nothing moves.
        let r = b
            .post_form(
                "/w/acme/priorities/moves",
                &[("step", &format!("{}.1.up", ids[2]))],
            )
            .await;
        assert_eq!(r.status(), 409);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("Someone changed the priorities"));
        let r = b
            .post_form(
                "/w/acme/priorities/moves",
                &[("step", &format!("{}.1.up", ids[0]))],
            )
            .await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("already at the top"));

        // Another workspace's priority in the step is as missing as a made-up one; a step that
        // names no priority or no direction moves nothing.
        let zed = app.user("zed@other.test", "Zed").await;
        let other = app.workspace("other", zed).await;
        let theirs = app
            .store
            .create_objective(other.id, &common::objective("Their secret aim", None))
            .await
            .unwrap();
        let theirs = app
            .store
            .create_priority(other.id, &common::priority("Their secret push", theirs.id))
            .await
            .unwrap();
        for step in [
            format!("{}.1.up", theirs.id),
            "999999.1.up".into(),
            "up".into(),
        ] {
            let r = b
                .post_form("/w/acme/priorities/moves", &[("step", &step)])
                .await;
            assert_eq!(r.status(), 404, "{step}");
            assert!(!r.text().await.unwrap().contains("Their secret"), "{step}");
        }
        let r = b
            .post_form(
                "/w/acme/priorities/moves",
                &[("step", &format!("{}.2.sideways", ids[2]))],
            )
            .await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("Choose up or down."));

        // The API: the whole order, each with the version read.
        let (_, list) = api.get("/api/v1/priorities").await;
        let row = |title: &str| {
            let p = list["priorities"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["title"] == title)
                .unwrap();
            json!({"id": p["id"], "version": p["version"]})
        };
        let order = json!({"priorities": [row("Webinars"), row("Pilot"), row("Partner push")]});
        let (s, body) = api
            .send(Method::PUT, "/api/v1/priorities/order", Some(order.clone()))
            .await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(
            titles(&body),
            [
                ("Webinars".into(), 1),
                ("Pilot".into(), 2),
                ("Partner push".into(), 3)
            ]
        );
        // Sent again with the versions read before: 412, and nothing moved.
        let swapped = json!({"priorities": [order["priorities"][1], order["priorities"][0], order["priorities"][2]]});
        let (s, e) = api
            .send(Method::PUT, "/api/v1/priorities/order", Some(swapped))
            .await;
        assert_eq!(s, 412, "{e}");
        let (_, now) = api.get("/api/v1/priorities").await;
        assert_eq!(titles(&now), titles(&body));

        // Bad orders name what to change.
        let (s, e) = api
        .send(
            Method::PUT,
            "/api/v1/priorities/order",
            Some(json!({"priorities": [{"id": ids[0], "version": 9}, {"id": ids[0], "version": 9}, {"id": 999999, "version": 1}]})),
        )
        .await;
        assert_eq!(s, 422, "{e}");
        let text = e.to_string();
        assert!(
            text.contains("priorities[1].id") && text.contains("priorities[2].id"),
            "{e}"
        );
        assert!(text.contains("missing: Webinars, Partner push"), "{e}");

        // Viewers read the list without buttons and may not reorder.
        let v = app.member(&ws, "vic@acme.test", Role::Viewer).await;
        let viewer = Api::new(&app, &app.token(&ws, v, Role::Viewer).await);
        let (s, _) = viewer
            .send(Method::PUT, "/api/v1/priorities/order", Some(order))
            .await;
        assert_eq!(s, 403);
        let vb = app.sign_in("vic@acme.test").await;
        let (_, page) = vb.text("/w/acme/priorities").await;
        assert!(!page.contains("/move"), "no move buttons for a viewer");
        let r = vb
            .post_form(
                "/w/acme/priorities/moves",
                &[("step", &format!("{}.1.down", ids[1]))],
            )
            .await;
        assert_eq!(r.status(), 403);
        app.stop().await;
    }
);
