//! Sessions, CSRF and sign-in limits, as a browser and an attacker would meet them.

mod common;

use common::{Browser, TestApp, PASSWORD};
use keel_domain::Role;

async fn app_with_user() -> TestApp {
    let app = TestApp::sqlite().await;
    let u = app.user("ana@acme.test", "Ana Ruiz").await;
    app.workspace("acme", u).await;
    app
}

#[tokio::test]
async fn a_form_post_without_a_valid_csrf_token_is_refused() {
    let app = app_with_user().await;
    let b = app.sign_in("ana@acme.test").await;
    let fields = [
        ("name", "Mallory"),
        ("kind", "internal"),
        ("weekly_capacity", "1"),
    ];
    let r = b.post_form_raw("/w/acme/people", &fields).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("This form has expired"));
    let mut forged = vec![("csrf", "0000")];
    forged.extend_from_slice(&fields);
    assert_eq!(
        b.post_form_raw("/w/acme/people", &forged).await.status(),
        403
    );
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    assert!(app.store.list_people(ws.id).await.unwrap().is_empty());
    // With the page's own token it works.
    let csrf = b.csrf("/w/acme/people/new").await;
    let mut good = vec![("csrf", csrf.as_str())];
    good.extend_from_slice(&fields);
    assert_eq!(b.post_form_raw("/w/acme/people", &good).await.status(), 303);
}

#[tokio::test]
async fn sign_in_needs_the_forms_own_token_too() {
    let app = app_with_user().await;
    let b = Browser::new(&app.base);
    let r = b
        .post_form_raw(
            "/login",
            &[("email", "ana@acme.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn the_api_with_a_session_cookie_needs_the_csrf_header() {
    let app = app_with_user().await;
    let b = app.sign_in("ana@acme.test").await;
    let body = serde_json::json!({"name": "Via cookie", "kind": "internal"});
    let url = app.url("/api/v1/people");
    let r = b
        .client
        .post(&url)
        .header("x-keel-workspace", "acme")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let csrf = b.csrf("/w/acme").await;
    let r = b
        .client
        .post(&url)
        .header("x-keel-workspace", "acme")
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_new_at_every_sign_in() {
    let app = app_with_user().await;
    let b = Browser::new(&app.base);
    let csrf = b.csrf("/login").await;
    let r = b
        .post_form_raw(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", "ana@acme.test"),
                ("password", PASSWORD),
                ("next", "/w/acme"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/w/acme");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("keel_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"));
    let first = cookie.split(';').next().unwrap().to_string();
    // Signing in again gives a different id, and the old one stops working.
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = plain.get(app.url("/login")).send().await.unwrap();
    let pre = page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = common::csrf_of(&page.text().await.unwrap()).unwrap();
    let r = plain
        .post(app.url("/login"))
        .header("cookie", format!("{first}; {pre}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "ana@acme.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let second = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("keel_session="))
        .unwrap();
    assert_ne!(second.split(';').next().unwrap(), first);
    let old = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = old
        .get(app.url("/w/acme"))
        .header("cookie", &first)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the replaced session still works");
}

#[tokio::test]
async fn cookies_are_secure_when_configured_for_https() {
    let config = keel_web::Config {
        secure_cookies: true,
        ..Default::default()
    };
    let app = TestApp::start(keel_testkit::TestDb::sqlite().await, config).await;
    // With an account (without one, keel opens on the first-run page, which sets it too).
    let r = Browser::new(&app.base).get("/setup").await;
    let c = r.headers()["set-cookie"].to_str().unwrap();
    assert!(c.contains("; Secure"), "{c}");
    app.user("ana@acme.test", "Ana").await;
    let r = Browser::new(&app.base).get("/login").await;
    let c = r.headers()["set-cookie"].to_str().unwrap();
    assert!(c.contains("; Secure"), "{c}");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_account_read_the_same() {
    let app = app_with_user().await;
    let b = Browser::new(&app.base);
    let wrong = b
        .post_form(
            "/login",
            &[("email", "ana@acme.test"), ("password", "wrong password!")],
        )
        .await;
    assert_eq!(wrong.status(), 401);
    let wrong = wrong.text().await.unwrap();
    let unknown = b
        .post_form(
            "/login",
            &[
                ("email", "nobody@acme.test"),
                ("password", "wrong password!"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    let msg = "That email and password do not match an account.";
    assert!(wrong.contains(msg) && unknown.contains(msg));
    assert!(
        wrong.contains("value=\"ana@acme.test\""),
        "the form keeps the email"
    );
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_account() {
    let app = app_with_user().await;
    let b = Browser::new(&app.base);
    for _ in 0..5 {
        assert_eq!(
            b.post_form(
                "/login",
                &[
                    ("email", "ana@acme.test"),
                    ("password", "guess guess guess")
                ]
            )
            .await
            .status(),
            401
        );
    }
    // Even the right password is refused now, with a clear message.
    let r = b
        .post_form(
            "/login",
            &[("email", "ana@acme.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 429);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Too many sign-in attempts"));
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_address() {
    let config = keel_web::Config {
        login_max_per_address: 3,
        ..Default::default()
    };
    let app = TestApp::start(keel_testkit::TestDb::sqlite().await, config).await;
    let u = app.user("ana@acme.test", "Ana").await;
    app.workspace("acme", u).await;
    let b = Browser::new(&app.base);
    for i in 0..3 {
        let email = format!("spray{i}@acme.test");
        b.post_form(
            "/login",
            &[("email", email.as_str()), ("password", "guess guess guess")],
        )
        .await;
    }
    let r = b
        .post_form(
            "/login",
            &[("email", "ana@acme.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 429);
}

#[tokio::test]
async fn pages_need_a_session_and_send_a_content_security_policy() {
    let app = app_with_user().await;
    let b = Browser::new(&app.base);
    let r = b.get("/w/acme/people").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login?next=%2Fw%2Facme%2Fpeople");
    let r = b.get("/login").await;
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let html = r.text().await.unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("style=\""),
        "inline script or style on the sign-in page"
    );
}

#[tokio::test]
async fn user_text_is_escaped() {
    let app = app_with_user().await;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    app.person(
        &ws,
        "<script>alert(1)</script>",
        keel_domain::PersonKind::Internal,
    )
    .await;
    let b = app.sign_in("ana@acme.test").await;
    let (_, html) = b.text("/w/acme/people").await;
    assert!(!html.contains("<script>alert(1)"));
    assert!(
        html.contains("&lt;script&gt;alert(1)") || html.contains("&#60;script&#62;alert(1)"),
        "the name is not shown escaped"
    );
}

#[tokio::test]
async fn an_invitation_link_works_once() {
    let app = app_with_user().await;
    let owner = app.sign_in("ana@acme.test").await;
    let r = owner
        .post_form("/w/acme/invites", &[("role", "member"), ("email", "")])
        .await;
    let html = r.text().await.unwrap();
    let start = html.find("/invite/").unwrap();
    let code: String = html[start + 8..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(code.len(), 64);
    let newcomer = Browser::new(&app.base);
    let csrf = newcomer.csrf(&format!("/invite/{code}")).await;
    let r = newcomer
        .post_form_raw(
            &format!("/invite/{code}"),
            &[
                ("csrf", &csrf),
                ("name", "Nia Obi"),
                ("email", "nia@acme.test"),
                ("password", "a good long password"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (s, html) = newcomer.text("/w/acme").await;
    assert_eq!(s, 200);
    assert!(html.contains("Nia Obi"));
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let nia = app
        .store
        .find_user_by_email("nia@acme.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        app.store
            .find_member(ws.id, nia.id)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Member
    );
    // Used: a second person is told so.
    let late = Browser::new(&app.base);
    let r = late.get(&format!("/invite/{code}")).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("already used"));
}
