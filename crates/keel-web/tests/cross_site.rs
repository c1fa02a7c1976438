//! The Origin / Sec-Fetch-Site check beside the CSRF token: a valid token sent from another
//! site is refused, on forms, on the sign-in form and on API calls made with a session.

mod common;

use common::{Browser, TestApp, PASSWORD};
use keel_testkit::TestDb;
use reqwest::StatusCode;

async fn app_with(config: keel_web::Config) -> TestApp {
    let app = TestApp::start(TestDb::sqlite().await, config).await;
    let u = app.user("ana@acme.test", "Ana Ruiz").await;
    let ws = app.workspace("acme", u).await;
    app.token(&ws, u, keel_domain::Role::Owner).await;
    app
}

/// Adds a person through the page's form, with its valid token and the given headers.
async fn add_person(app: &TestApp, b: &Browser, headers: &[(&str, &str)]) -> StatusCode {
    let csrf = b.csrf("/w/acme/people/new").await;
    let mut rb = b.client.post(app.url("/w/acme/people")).form(&[
        ("csrf", csrf.as_str()),
        ("name", "Sam Lee"),
        ("kind", "internal"),
        ("weekly_capacity", "10"),
    ]);
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    rb.send().await.unwrap().status()
}

async fn people(app: &TestApp) -> usize {
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    app.store.list_people(ws.id).await.unwrap().len()
}

#[tokio::test]
async fn a_form_with_a_valid_token_sent_from_another_site_is_refused() {
    let app = app_with(Default::default()).await;
    let b = app.sign_in("ana@acme.test").await;
    for headers in [
        vec![("origin", "https://evil.example")],
        vec![("origin", "null")],
        vec![("sec-fetch-site", "cross-site")],
        vec![
            ("sec-fetch-site", "same-site"),
            ("origin", "https://x.127.0.0.1"),
        ],
        // The browser's verdict wins over an Origin that looks right.
        vec![
            ("sec-fetch-site", "cross-site"),
            ("origin", app.base.as_str()),
        ],
    ] {
        assert_eq!(add_person(&app, &b, &headers).await, 403, "{headers:?}");
    }
    assert_eq!(people(&app).await, 0);
    // From this site, and from a client that sends neither header, it works.
    for headers in [
        vec![("origin", app.base.as_str())],
        vec![
            ("sec-fetch-site", "same-origin"),
            ("origin", app.base.as_str()),
        ],
        vec![("sec-fetch-site", "none")],
        vec![],
    ] {
        assert_eq!(add_person(&app, &b, &headers).await, 303, "{headers:?}");
    }
    assert_eq!(people(&app).await, 4);
}

#[tokio::test]
async fn the_sign_in_form_is_refused_from_another_site() {
    let app = app_with(Default::default()).await;
    let sign_in = |origin: String| {
        let app = &app;
        async move {
            let b = Browser::new(&app.base);
            let csrf = b.csrf("/login").await;
            b.client
                .post(app.url("/login"))
                .header("origin", origin)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("email", "ana@acme.test"),
                    ("password", PASSWORD),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let r = sign_in("https://evil.example".into()).await;
    assert_eq!(r.status(), 403);
    assert!(!r
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("keel_session=")));
    assert_eq!(sign_in(app.base.clone()).await.status(), 303);
}

#[tokio::test]
async fn the_api_with_a_session_is_refused_from_another_site_but_a_bearer_token_is_not() {
    let app = app_with(Default::default()).await;
    let b = app.sign_in("ana@acme.test").await;
    let csrf = b.csrf("/w/acme").await;
    let body = serde_json::json!({"name": "Via cookie", "kind": "internal"});
    let post = |origin: &'static str| {
        b.client
            .post(app.url("/api/v1/people"))
            .header("x-keel-workspace", "acme")
            .header("x-csrf-token", csrf.as_str())
            .header("origin", origin)
            .json(&body)
    };
    let r = post("https://evil.example").send().await.unwrap();
    assert_eq!(r.status(), 403);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "cross_site", "{e}");
    assert_eq!(people(&app).await, 0);

    // A program with a token is not a browser: no Origin rule applies.
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let owner = app
        .store
        .find_user_by_email("ana@acme.test")
        .await
        .unwrap()
        .unwrap();
    let token = app.token(&ws, owner.id, keel_domain::Role::Owner).await;
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/people"))
        .bearer_auth(token)
        .header("x-keel-workspace", "acme")
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn behind_a_proxy_the_public_address_is_this_site() {
    // Users reach keel at https://keel.example.com; the proxy talks to it on 127.0.0.1.
    let config = keel_web::Config {
        public_url: Some(keel_web::config::PublicUrl::parse("https://keel.example.com").unwrap()),
        ..Default::default()
    };
    let app = app_with(config).await;
    let b = app.sign_in("ana@acme.test").await;
    let from_public = [("origin", "https://keel.example.com")];
    assert_eq!(add_person(&app, &b, &from_public).await, 303);
    let from_sibling = [("origin", "https://evil.keel.example.com")];
    assert_eq!(add_person(&app, &b, &from_sibling).await, 403);
}
