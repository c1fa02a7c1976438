//! Webhooks from the pages, and what keel refuses: internal addresses when a subscription is
//! saved (page and API) and again when a delivery is made (a name resolved then), bad
//! addresses and no events, each with a message in words and the form kept as typed.

mod common;
#[path = "webhook_receiver/mod.rs"]
mod receiver;

use common::{Api, TestApp};
use keel_domain::webhook::{EventType, SubscriptionDraft};
use keel_domain::Role;
use keel_web::Config;
use receiver::Receiver;
use reqwest::Method;
use serde_json::json;

/// This machine's own name, which resolves (through /etc/hosts) to one of its addresses.
fn own_host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .expect("the machine's name")
        .trim()
        .to_string()
}

#[tokio::test]
async fn internal_addresses_are_refused_when_saved_and_when_sent() {
    let app = TestApp::start(
        keel_testkit::TestDb::sqlite().await,
        Config {
            webhook_poll: std::time::Duration::from_millis(50),
            ..Config::default()
        },
    )
    .await;
    let owner = app.user("owner@a.test", "Olga Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let api = Api::new(&app, &app.token(&ws, owner, Role::Owner).await);
    let host = own_host_name();
    let resolved: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), 80))
        .await
        .map(|a| a.collect())
        .unwrap_or_default();
    assert!(
        resolved
            .iter()
            .any(|a| keel_domain::webhook::refused(a.ip()).is_some()),
        "{host} should resolve to an address of this machine or its network: {resolved:?}"
    );

    // Saved through the API: refused, in words, naming what the address is.
    for (url, says) in [
        ("http://127.0.0.1:8080/hook", "loopback"),
        ("http://10.1.2.3/hook", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/hook", "loopback"),
        ("http://localhost:8080/hook", "loopback"),
        (&format!("http://{host}:8080/hook"), "leads to"),
    ] {
        let (s, body) = api
            .send(
                Method::POST,
                "/api/v1/webhooks",
                Some(json!({"url": url, "event_types": ["work.moved"]})),
            )
            .await;
        assert_eq!(s, 422, "{url}: {body}");
        assert_eq!(body["error"]["fields"][0]["field"], "url", "{body}");
        let m = body["error"]["fields"][0]["message"].as_str().unwrap();
        assert!(
            m.contains(says) && m.contains("public internet"),
            "{url}: {m}"
        );
    }
    assert!(app.store.list_webhooks(ws.id).await.unwrap().is_empty());

    // Saved through the page: the same refusal, the form kept as typed.
    let b = app.sign_in("owner@a.test").await;
    let csrf = b.csrf("/w/alpha/settings/webhooks").await;
    let res = b
        .post_form_raw(
            "/w/alpha/settings/webhooks",
            &[
                ("csrf", &csrf),
                ("url", "http://10.0.0.7/in"),
                ("description", "Ops bridge"),
                ("event_types", "work.launched"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("10.0.0.7 is a private network address"),
        "{html}"
    );
    assert!(html.contains("value=\"http://10.0.0.7/in\"") && html.contains("value=\"Ops bridge\""));
    assert!(html.contains("value=\"work.launched\" checked"));

    // A subscription that reached the database anyway (saved while the operator allowed
    // private addresses, or a name that now resolves inside) is refused when sent: the
    // receiver listening there hears nothing.
    let hook = Receiver::start(&[]).await;
    let port = hook.port();
    for url in [hook.url.clone(), format!("http://{host}:{port}/hook")] {
        let d = SubscriptionDraft {
            url: url.clone(),
            description: None,
            event_types: vec![EventType::WorkMoved],
            active: true,
        };
        let w = app
            .store
            .create_webhook(ws.id, &d, "whsec_x", None)
            .await
            .unwrap();
        let (s, _) = api
            .send(
                Method::POST,
                &format!("/api/v1/webhooks/{}/test", w.id),
                None,
            )
            .await;
        assert_eq!(s, 202);
        let mut d = None;
        for _ in 0..200 {
            let log = app
                .store
                .list_deliveries(ws.id, w.id, None, 1)
                .await
                .unwrap();
            if log.first().is_some_and(|x| x.attempts > 0) {
                d = log.into_iter().next();
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let d = d.unwrap_or_else(|| panic!("{url} was never attempted"));
        let why = d.last_error.unwrap();
        assert!(why.contains("public internet"), "{url}: {why}");
        assert_eq!(d.last_status_code, None);
        assert!(
            d.next_attempt_at.is_some(),
            "tried again later, in case the name changes"
        );
    }
    assert!(hook.got().is_empty(), "nothing reached the receiver");
    hook.stop();
    app.stop().await;
}

#[tokio::test]
async fn bad_input_gets_clear_messages_on_the_page_and_in_the_api() {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@a.test", "Olga Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let api = Api::new(&app, &app.token(&ws, owner, Role::Owner).await);
    for (body, field, says) in [
        (
            json!({"url": "hooks.example.com/keel", "event_types": ["work.moved"]}),
            "url",
            "Start the address with https://",
        ),
        (
            json!({"url": "ftp://hooks.example.com/", "event_types": ["work.moved"]}),
            "url",
            "https:// (or http://) only",
        ),
        (
            json!({"url": "https://user:secret@hooks.example.com/", "event_types": ["work.moved"]}),
            "url",
            "user name and password",
        ),
        (
            json!({"url": "https://hooks.example.com/", "event_types": []}),
            "event_types",
            "Choose at least one event",
        ),
        (
            json!({"url": "https://hooks.example.com/", "event_types": ["lead.created"]}),
            "event_types",
            "no event called \"lead.created\"",
        ),
    ] {
        let (s, b) = api
            .send(Method::POST, "/api/v1/webhooks", Some(body.clone()))
            .await;
        assert_eq!(s, 422, "{body}: {b}");
        assert_eq!(b["error"]["code"], "validation_failed", "{b}");
        let f = b["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == field)
            .unwrap_or_else(|| panic!("no {field} error: {b}"));
        assert!(f["message"].as_str().unwrap().contains(says), "{b}");
    }
    // Not JSON of the right shape: the envelope too.
    let (s, b) = api
        .send(Method::POST, "/api/v1/webhooks", Some(json!({"url": 3})))
        .await;
    assert!(s == 400 || s == 422, "{s} {b}");
    assert!(b["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));

    let b = app.sign_in("owner@a.test").await;
    let csrf = b.csrf("/w/alpha/settings/webhooks").await;
    let res = b
        .post_form_raw(
            "/w/alpha/settings/webhooks",
            &[
                ("csrf", &csrf),
                ("url", "hooks.example.com/keel"),
                ("description", "CRM sync"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Start the address with https://"), "{html}");
    assert!(html.contains("Choose at least one event to send to this address."));
    assert!(
        html.contains("value=\"hooks.example.com/keel\"") && html.contains("value=\"CRM sync\"")
    );
    assert!(app.store.list_webhooks(ws.id).await.unwrap().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn an_admin_adds_tests_changes_and_removes_a_webhook_from_the_pages() {
    let app = TestApp::start(keel_testkit::TestDb::sqlite().await, receiver::config()).await;
    let owner = app.user("owner@a.test", "Olga Owner").await;
    let ws = app.workspace("alpha", owner).await;
    app.member(&ws, "admin@a.test", Role::Admin).await;
    let hook = Receiver::start(&[]).await;
    let b = app.sign_in("admin@a.test").await;
    let (_, settings) = b.text("/w/alpha/settings").await;
    assert!(
        settings.contains("/w/alpha/settings/webhooks"),
        "Settings links to webhooks"
    );
    let (s, empty) = b.text("/w/alpha/settings/webhooks").await;
    assert_eq!(s, 200);
    assert!(empty.contains("No webhooks yet."));

    let csrf = b.csrf("/w/alpha/settings/webhooks").await;
    let res = b
        .post_form_raw(
            "/w/alpha/settings/webhooks",
            &[
                ("csrf", &csrf),
                ("url", &hook.url),
                ("description", "Launches to Slack"),
                ("event_types", "work.launched"),
                ("event_types", "decision.recorded"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let at = html.find("whsec_").expect("the secret is shown once");
    let secret: String = html[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    assert_eq!(secret.len(), 6 + 64);
    let w = app.store.list_webhooks(ws.id).await.unwrap().remove(0);
    assert_eq!(app.store.webhook_secret(ws.id, w.id).await.unwrap(), secret);
    assert_eq!(
        w.event_types,
        vec![EventType::WorkLaunched, EventType::DecisionRecorded]
    );
    // Never again.
    let (_, list) = b.text("/w/alpha/settings/webhooks").await;
    assert!(!list.contains("whsec_") && list.contains("Launches to Slack"));
    let page = format!("/w/alpha/settings/webhooks/{}", w.id);
    let (_, show) = b.text(&page).await;
    assert!(!show.contains("whsec_") && show.contains("Nothing sent yet."));

    // Send test: the receiver gets it, the log shows it.
    let res = b
        .post_form_raw(&format!("{page}/test"), &[("csrf", &csrf)])
        .await;
    assert_eq!(res.status(), 303);
    let got = hook.wait_for(1, 15).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].header("keel-event"), "ping");
    let mut shown = String::new();
    for _ in 0..100 {
        shown = b.text(&page).await.1;
        if shown.contains("delivered") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        shown.contains("<code>ping</code>") && shown.contains(">delivered<"),
        "{shown}"
    );
    assert!(shown.contains("<td>200</td>"), "{shown}");

    // Send again.
    let d = app
        .store
        .list_deliveries(ws.id, w.id, None, 1)
        .await
        .unwrap()
        .remove(0);
    let res = b
        .post_form_raw(
            &format!("{page}/deliveries/{}/redeliver", d.id),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(hook.wait_for(2, 15).await.len(), 2);

    // Switch it off and change its events; a stale form is refused without overwriting.
    let res = b
        .post_form_raw(
            &page,
            &[
                ("csrf", &csrf),
                ("version", "1"),
                ("url", &hook.url),
                ("description", "Launches to Slack"),
                ("event_types", "work.blocked"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let w2 = app.store.find_webhook(ws.id, w.id).await.unwrap().unwrap();
    assert_eq!(
        (w2.active, w2.event_types.clone(), w2.version),
        (false, vec![EventType::WorkBlocked], 2)
    );
    let res = b
        .post_form_raw(
            &page,
            &[
                ("csrf", &csrf),
                ("version", "1"),
                ("url", &format!("{}?again", hook.url)),
                ("event_types", "work.moved"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Someone else saved changes to this webhook"));
    assert_eq!(
        app.store
            .find_webhook(ws.id, w.id)
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );

    // Remove it.
    let res = b
        .post_form_raw(
            &format!("{page}/delete"),
            &[("csrf", &csrf), ("version", "2")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(app.store.find_webhook(ws.id, w.id).await.unwrap().is_none());
    assert_eq!(b.get(&page).await.status(), 404);
    hook.stop();
    app.stop().await;
}
