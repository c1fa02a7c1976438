//! "Forgot your password?" end to end, on SQLite and PostgreSQL, with a local SMTP sink: ask,
//! read the mail, follow the link, set a new password, sign in with it. The link works once
//! and not after it expires; an unknown address gets the same page and no mail; a weak
//! password keeps the form and says why; requests are limited like sign-ins; the other
//! sessions end; the audit log has both events.

mod common;
#[path = "mail_sink/mod.rs"]
mod mail_sink;

use common::{csrf_of, Browser, TestApp, PASSWORD};
use keel_store::AuditFilter;
use keel_web::auth::secret;
use keel_web::Config;
use mail_sink::Sink;

const NEW_PASSWORD: &str = "a brand new password 2";

/// Asks for a link for `email` through the form; the status and the page.
async fn ask(app: &TestApp, email: &str) -> (u16, String) {
    let b = Browser::new(&app.base);
    let (s, page) = b.text("/password/forgot").await;
    assert_eq!(s, 200);
    let csrf = csrf_of(&page).expect("the form's token");
    let r = b
        .post_form_raw("/password/forgot", &[("csrf", &csrf), ("email", email)])
        .await;
    let s = r.status().as_u16();
    (s, r.text().await.unwrap())
}

/// The page without its one-time token, and with `email` written as EMAIL.
fn shape(page: &str, email: &str) -> String {
    let page = match csrf_of(page) {
        Some(token) => page.replace(&token, "TOKEN"),
        None => page.to_string(),
    };
    page.replace(email, "EMAIL")
}

/// Posts the new-password form of `path` (a reset link's path) from a fresh tab.
async fn set(app: &TestApp, path: &str, pw: &str, again: &str) -> (u16, String, String) {
    let b = Browser::new(&app.base);
    let (_, page) = b.text(path).await;
    // A spent link shows no form: the token comes from another public form, as a browser
    // tab left open on it would still hold one.
    let csrf = match csrf_of(&page) {
        Some(t) => t,
        None => b.csrf("/password/forgot").await,
    };
    let r = b
        .post_form_raw(
            path,
            &[("csrf", &csrf), ("password", pw), ("password_again", again)],
        )
        .await;
    let s = r.status().as_u16();
    let to = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (s, to, r.text().await.unwrap())
}

async fn sign_in_status(app: &TestApp, email: &str, pw: &str) -> u16 {
    let b = Browser::new(&app.base);
    let csrf = b.csrf("/login").await;
    b.post_form_raw(
        "/login",
        &[("csrf", &csrf), ("email", email), ("password", pw)],
    )
    .await
    .status()
    .as_u16()
}

keel_testkit::each_backend!(a_mailed_link_sets_a_new_password_once, |db| {
    let sink = Sink::start().await;
    let config = Config {
        smtp: Some(sink.settings()),
        ..Config::default()
    };
    let app = TestApp::start(db, config).await;
    let ana = app.user("ana@acme.test", "Ana Ruiz").await;
    let ws = app.workspace("acme", ana).await;
    let elsewhere = app.sign_in("ana@acme.test").await;
    let (_, login) = Browser::new(&app.base).text("/login").await;
    assert!(login.contains("href=\"/password/forgot\""), "{login}");

    // Asking: a known and an unknown address get the same page; only the known one a mail.
    let (s, known) = ask(&app, "Ana@Acme.test").await;
    assert_eq!(s, 200);
    assert!(
        known.contains("a link to set a new password is on its way"),
        "{known}"
    );
    let (s, unknown) = ask(&app, "nobody@acme.test").await;
    assert_eq!(s, 200);
    assert_eq!(
        shape(&known, "ana@acme.test"),
        shape(&unknown, "nobody@acme.test")
    );
    let mails = sink.wait_for("ana@acme.test", 1).await;
    assert_eq!(mails[0].subject(), "Set a new keel password");
    assert!(mails[0].text().contains("30 minutes"));
    let link = mails[0]
        .link(&format!("{}/password/reset/", app.base))
        .expect("a link in the mail");
    let path = link.strip_prefix(&app.base).unwrap().to_string();

    // A weak password keeps the form and says why; so do two that differ.
    let (s, _, page) = set(&app, &path, "short", "short").await;
    assert_eq!(s, 422);
    assert!(page.contains("at least 10 characters"), "{page}");
    assert!(page.contains("name=\"password_again\""));
    let (s, _, page) = set(&app, &path, NEW_PASSWORD, "another password").await;
    assert_eq!(s, 422);
    assert!(page.contains("The two passwords differ"), "{page}");

    let (s, to, _) = set(&app, &path, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!((s, to.as_str()), (303, "/login?notice=password-set"));
    assert_eq!(
        sign_in_status(&app, "ana@acme.test", NEW_PASSWORD).await,
        303
    );
    assert_eq!(sign_in_status(&app, "ana@acme.test", PASSWORD).await, 401);
    // The session opened before the reset has ended.
    let r = elsewhere.get("/w/acme").await;
    assert_eq!(r.status(), 303, "the old session should be gone");

    // The link works once.
    let (s, _) = Browser::new(&app.base).text(&path).await;
    assert_eq!(s, 403);
    let (s, _, page) = set(&app, &path, "yet another password", "yet another password").await;
    assert_eq!(s, 403);
    assert!(page.contains("already used or has expired"), "{page}");
    assert_eq!(
        sign_in_status(&app, "ana@acme.test", NEW_PASSWORD).await,
        303
    );

    // A link past its time works no more.
    let code = secret::generate();
    let past = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        - 1;
    app.store
        .create_password_reset(&secret::digest(&code), ana, past)
        .await
        .unwrap();
    let expired = format!("/password/reset/{code}");
    let (s, _) = Browser::new(&app.base).text(&expired).await;
    assert_eq!(s, 403);
    let (s, _, _) = set(&app, &expired, "expired password 1", "expired password 1").await;
    assert_eq!(s, 403);
    // And a made-up one is the same as a spent one.
    let (s, _) = Browser::new(&app.base)
        .text("/password/reset/nonsense")
        .await;
    assert_eq!(s, 403);

    // The workspace's audit log: asked (no author: anyone may ask) and set (by Ana).
    let f = AuditFilter {
        record_type: Some("account".into()),
        limit: 100,
        ..AuditFilter::default()
    };
    let seen: Vec<(String, Option<i64>)> = app
        .store
        .list_audit(ws.id, &f)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.actor_user_id))
        .collect();
    assert!(
        seen.contains(&("password_reset".into(), Some(ana))),
        "{seen:?}"
    );
    assert!(
        seen.contains(&("password_reset_requested".into(), None)),
        "{seen:?}"
    );

    // Requests are limited like sign-ins: five per account in the window, then 429, and no
    // more mail.
    let mut answers = Vec::new();
    for _ in 0..6 {
        answers.push(ask(&app, "ana@acme.test").await.0);
    }
    assert_eq!(answers.last(), Some(&429), "{answers:?}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(sink.to("ana@acme.test").len() <= 5);
    assert!(sink.to("nobody@acme.test").is_empty());
    app.stop().await;
});

#[tokio::test]
async fn without_smtp_the_page_says_whom_to_ask() {
    let app = TestApp::sqlite().await;
    app.user("ana@acme.test", "Ana Ruiz").await;
    let (s, page) = Browser::new(&app.base).text("/password/forgot").await;
    assert_eq!(s, 200);
    assert!(page.contains("keel user reset-link"), "{page}");
    assert!(
        csrf_of(&page).is_none(),
        "no form to send: keel cannot mail"
    );
    app.stop().await;
}
