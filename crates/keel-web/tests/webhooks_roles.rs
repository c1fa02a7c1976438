//! Webhooks are the workspace's administration: every webhook route, page or API, reading or
//! writing, answers 403 to a member, a viewer, a partner and a token narrowed below admin, and
//! changes nothing; owners and admins use them.

mod common;

use common::{Api, TestApp};
use keel_domain::Role;
use keel_web::routes::all;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn only_owners_and_admins_reach_webhooks() {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@a.test", "Olga Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let admin = app.member(&ws, "admin@a.test", Role::Admin).await;
    let (webhook, delivery) = common::webhook_with_delivery(&app, &ws).await;
    let routes: Vec<_> = all()
        .into_iter()
        .filter(|r| r.path.contains("webhooks"))
        .collect();
    assert!(routes.len() >= 15, "{routes:?}");
    let fill = |p: &str| {
        p.replace("{ws}", "alpha")
            .replace("{webhook}", &webhook.to_string())
            .replace("{id}", &webhook.to_string())
            .replace("{delivery}", &delivery.to_string())
    };

    let mut refused = vec![];
    for (email, role) in [
        ("member@a.test", Role::Member),
        ("viewer@a.test", Role::Viewer),
        ("partner@a.test", Role::Partner),
    ] {
        let user = app.member(&ws, email, role).await;
        refused.push((user, role, email));
    }
    // An owner's token made with the member role acts as a member.
    let narrowed = Api::new(&app, &app.token(&ws, owner, Role::Member).await);
    for (user, role, email) in &refused {
        let api = Api::new(&app, &app.token(&ws, *user, *role).await);
        let b = app.sign_in(email).await;
        let csrf = b.csrf("/w/alpha/tokens").await;
        for r in &routes {
            let url = fill(r.path);
            let status = if r.path.starts_with("/api/") {
                for client in [&api, &narrowed] {
                    let mut req = client
                        .req(r.method.clone(), &url)
                        .header("if-match", "\"1\"");
                    if r.method == Method::POST || r.method == Method::PUT {
                        req = req.json(&json!({"url": "https://hooks.example.com/x", "event_types": ["work.moved"]}));
                    }
                    let res = req.send().await.unwrap();
                    let s = res.status().as_u16();
                    let body: serde_json::Value = res.json().await.unwrap_or_default();
                    assert_eq!(s, 403, "{role} {} {url}: {body}", r.method);
                    assert_eq!(body["error"]["code"], "forbidden", "{body}");
                }
                403
            } else if r.method == Method::GET {
                b.get(&url).await.status().as_u16()
            } else {
                b.post_form_raw(
                    &url,
                    &[
                        ("csrf", &csrf),
                        ("url", "https://hooks.example.com/x"),
                        ("event_types", "work.moved"),
                        ("version", "1"),
                    ],
                )
                .await
                .status()
                .as_u16()
            };
            assert_eq!(status, 403, "{role} got {status} on {} {url}", r.method);
        }
        // No link from Settings either.
        let (_, settings) = b.text("/w/alpha/settings").await;
        assert!(
            !settings.contains("/settings/webhooks"),
            "{role} sees the link"
        );
    }
    // Nothing changed: one webhook at version 1, one delivery, not sent again.
    let w = app
        .store
        .find_webhook(ws.id, webhook)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(w.version, 1);
    let log = app
        .store
        .list_deliveries(ws.id, webhook, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(app.store.list_webhooks(ws.id).await.unwrap().len(), 1);

    // An admin reads them, page and API.
    let b = app.sign_in("admin@a.test").await;
    assert_eq!(b.get("/w/alpha/settings/webhooks").await.status(), 200);
    assert_eq!(
        b.get(&fill("/w/{ws}/settings/webhooks/{webhook}"))
            .await
            .status(),
        200
    );
    let api = Api::new(&app, &app.token(&ws, admin, Role::Admin).await);
    let (s, list) = api.get("/api/v1/webhooks").await;
    assert_eq!(s, 200);
    assert_eq!(list["webhooks"][0]["id"], webhook);
    assert!(
        list.to_string().find("whsec_").is_none(),
        "no secret in a list"
    );
    let (s, log) = api
        .get(&format!("/api/v1/webhooks/{webhook}/deliveries"))
        .await;
    assert_eq!(s, 200);
    assert_eq!(log["deliveries"][0]["id"], delivery);
    app.stop().await;
}
