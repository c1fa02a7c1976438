//! Invitations by email: with SMTP settings the invitation reaches the invited address through
//! a real SMTP conversation (a local sink), and its link lets them join; without settings, or
//! with a mail server that does not answer, keel shows the link to copy, as before.

mod common;
#[path = "mail_sink/mod.rs"]
mod mail_sink;

use common::{csrf_of, Api, Browser, TestApp, PASSWORD};
use keel_domain::Role;
use keel_testkit::TestDb;
use keel_web::Config;
use mail_sink::Sink;
use reqwest::Method;
use serde_json::json;

async fn app_with(smtp: Option<keel_web::mail::SmtpSettings>) -> TestApp {
    let config = Config {
        smtp,
        ..Config::default()
    };
    TestApp::start(TestDb::sqlite().await, config).await
}

#[tokio::test]
async fn an_invitation_email_arrives_and_its_link_lets_the_person_join() {
    let sink = Sink::start().await;
    let app = app_with(Some(sink.settings())).await;
    let owner = app.user("olga@acme.test", "Olga Owner").await;
    app.workspace("acme", owner).await;
    let b = app.sign_in("olga@acme.test").await;

    let r = b
        .post_form(
            "/w/acme/invites",
            &[("role", "member"), ("email", "Bo@Acme.test")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Emailed to bo@acme.test"), "{html}");

    let mails = sink.wait_for("bo@acme.test", 1).await;
    let m = &mails[0];
    assert_eq!(m.subject(), "Olga Owner invited you to acme Inc on keel");
    assert!(m.header("From").unwrap().contains("keel@keel.test"));
    assert!(m.header("Reply-To").unwrap().contains("olga@acme.test"));
    assert!(m.text().contains("join as a member"), "{}", m.text());
    let link = m.link(&format!("{}/invite/", app.base)).expect("a link");
    // The page shows the same link (shown once), so the inviter may also pass it on.
    assert!(html.contains(&link));

    // Bo opens the link from the email and joins with a new account.
    let path = link.strip_prefix(&app.base).unwrap();
    let bo = Browser::new(&app.base);
    let (s, page) = bo.text(path).await;
    assert_eq!(s, 200);
    let csrf = csrf_of(&page).unwrap();
    let r = bo
        .post_form_raw(
            path,
            &[
                ("csrf", &csrf),
                ("name", "Bo Berg"),
                ("email", "bo@acme.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let bo_id = app
        .store
        .find_user_by_email("bo@acme.test")
        .await
        .unwrap()
        .unwrap()
        .id;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        app.store
            .find_member(ws.id, bo_id)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Member
    );

    // The API emails too and says so; an invitation without an address is only a link.
    let api = Api::new(&app, &app.token(&ws, owner, Role::Owner).await);
    let (s, v) = api
        .send(
            Method::POST,
            "/api/v1/invites",
            Some(json!({"role": "viewer", "email": "cy@acme.test"})),
        )
        .await;
    assert_eq!((s, v["emailed"].as_bool()), (201, Some(true)), "{v}");
    let cy = sink.wait_for("cy@acme.test", 1).await;
    assert_eq!(
        cy[0].link(&format!("{}/invite/", app.base)),
        v["link"].as_str().map(String::from)
    );
    let before = sink.all().len();
    let (s, v) = api
        .send(
            Method::POST,
            "/api/v1/invites",
            Some(json!({"role": "viewer"})),
        )
        .await;
    assert_eq!((s, v["emailed"].as_bool()), (201, Some(false)), "{v}");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        sink.all().len(),
        before,
        "nothing to send without an address"
    );
    app.stop().await;
}

#[tokio::test]
async fn without_smtp_or_with_a_dead_server_the_link_is_shown_to_copy() {
    // No SMTP settings: as before, the link to copy, and a word that nothing was emailed.
    let app = app_with(None).await;
    let owner = app.user("olga@acme.test", "Olga Owner").await;
    let ws = app.workspace("acme", owner).await;
    let b = app.sign_in("olga@acme.test").await;
    let r = b
        .post_form(
            "/w/acme/invites",
            &[("role", "member"), ("email", "bo@acme.test")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("sends no email"), "{html}");
    assert!(html.contains(&format!("{}/invite/", app.base)));
    let api = Api::new(&app, &app.token(&ws, owner, Role::Owner).await);
    let (s, v) = api
        .send(
            Method::POST,
            "/api/v1/invites",
            Some(json!({"role": "viewer", "email": "cy@acme.test"})),
        )
        .await;
    assert_eq!((s, v["emailed"].as_bool()), (201, Some(false)), "{v}");
    app.stop().await;

    // A mail server that is not there: the invitation is made, the page says the email
    // failed and shows the link.
    let gone = Sink::start().await;
    let settings = gone.settings();
    drop(gone);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let app = app_with(Some(settings)).await;
    let owner = app.user("olga@acme.test", "Olga Owner").await;
    let ws = app.workspace("acme", owner).await;
    let b = app.sign_in("olga@acme.test").await;
    let r = b
        .post_form(
            "/w/acme/invites",
            &[("role", "member"), ("email", "bo@acme.test")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("could not be sent"), "{html}");
    assert!(html.contains(&format!("{}/invite/", app.base)));
    assert_eq!(app.store.list_invites(ws.id).await.unwrap().len(), 1);
    app.stop().await;
}
