//! The weekly digest by email, on SQLite and PostgreSQL, through a local SMTP sink: a member
//! turns it on from the account page (audited in the workspace's log); on Monday morning two
//! keel nodes look at once and each digest arrives once, with the week's launches and blocked
//! work read from what its reader sees; a partner who sees none of it gets no email; nothing
//! goes out before Monday 08:00 or after Monday.

mod common;
#[path = "mail_sink/mod.rs"]
mod mail_sink;

use common::{Api, TestApp};
use keel_domain::{Date, PersonKind, Role, Zone};
use keel_store::AuditFilter;
use keel_web::mail::digest;
use keel_web::{AppState, Config};
use mail_sink::Sink;
use reqwest::Method;
use serde_json::json;

keel_testkit::each_backend!(each_digest_goes_out_once_on_monday_morning, |db| {
    let sink = Sink::start().await;
    let config = Config {
        smtp: Some(sink.settings()),
        ..Config::default()
    };
    let second_store = db.store().await;
    let app = TestApp::start(db, config.clone()).await;
    let olga = app.user("olga@acme.test", "Olga Owner").await;
    let ws = app.workspace("acme", olga).await;
    let cy = app.member(&ws, "cy@acme.test", Role::Viewer).await;
    let pat = app.member(&ws, "pat@acme.test", Role::Partner).await;
    app.member(&ws, "bo@acme.test", Role::Member).await;

    // This week's Monday, 09:00 UTC (the workspace's clock), and work for it: a launch on
    // Wednesday and a blocked item.
    let real_now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let monday = Zone::utc().date_of(real_now).week_start();
    let at = |d: Date, hour: i64| d.0 * 86_400 + hour * 3600;
    let person = app.person(&ws, "Olga Owner", PersonKind::Internal).await;
    let wf = app.workflow(&ws, "Campaign launch", person).await;
    let d = keel_domain::work::WorkDraft {
        title: "Spring webinar".into(),
        execution_owner_id: Some(person),
        contributor_ids: vec![],
        estimated_hours: 4.0,
        start_date: None,
        planned_launch: Some(monday.add_days(2)),
        first_review: None,
    };
    let launch = app.store.create_work(ws.id, wf, &d, None).await.unwrap().id;
    let blocked = app.work(&ws, wf, "Pricing page", Some(person)).await;
    let api = Api::new(&app, &app.token(&ws, olga, Role::Owner).await);
    let (s, _) = api
        .send_at(
            Method::POST,
            &format!("/api/v1/work/{blocked}/moves"),
            1,
            Some(json!({"action": "block", "reason": "Waiting for legal"})),
        )
        .await;
    assert_eq!(s, 200);

    // Olga and Cy turn the digest on from the account page; Pat (a partner) too; Bo does not.
    for email in ["olga@acme.test", "cy@acme.test", "pat@acme.test"] {
        let b = app.sign_in(email).await;
        let (s, page) = b.text("/account").await;
        assert_eq!(s, 200);
        assert!(page.contains("value=\"acme\""), "{page}");
        assert!(!page.contains(" checked>"), "off until turned on");
        let r = b.post_form("/account/digest", &[("digest", "acme")]).await;
        assert_eq!(r.headers()["location"], "/account?notice=digest-saved");
        let (_, page) = b.text("/account").await;
        assert!(page.contains(" checked>"), "{page}");
    }
    // The workspace's log shows Cy's change, by Cy.
    let f = AuditFilter {
        record_type: Some("memberships".into()),
        user_id: Some(cy),
        limit: 50,
        ..AuditFilter::default()
    };
    let entries = app.store.list_audit(ws.id, &f).await.unwrap();
    assert!(
        entries.iter().any(|e| e.actor_user_id == Some(cy)
            && e.after.as_ref().is_some_and(
                |a| a["weekly_digest"] == json!(true) || a["weekly_digest"] == json!(1)
            )),
        "{entries:#?}"
    );

    // Sunday evening and Monday 07:00: nothing is due.
    // Two nodes' states on the same database, with the address links start with.
    let config = Config {
        public_url: Some(keel_web::config::PublicUrl::parse(&app.base).unwrap()),
        ..config
    };
    let one = AppState::new(app.store.clone(), config.clone());
    let two = AppState::new(second_store.clone(), config.clone());
    assert!(digest::due(&one, at(monday, -2), false)
        .await
        .unwrap()
        .is_empty());
    assert!(digest::due(&one, at(monday, 7), false)
        .await
        .unwrap()
        .is_empty());

    // Monday 09:00: two nodes look at once; each digest goes out once.
    let now = at(monday, 9);
    let (a, b) = tokio::join!(digest::send_due(&one, now), digest::send_due(&two, now));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, 2, "{a:?} {b:?}");
    assert_eq!(a.failed + b.failed, 0);
    let olgas = sink.wait_for("olga@acme.test", 1).await;
    let cys = sink.wait_for("cy@acme.test", 1).await;
    // Later rounds, on either node, send nothing more.
    let again = digest::send_due(&two, at(monday, 10)).await.unwrap();
    assert_eq!(again.sent, 0);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(sink.to("olga@acme.test").len(), 1);
    assert_eq!(sink.to("cy@acme.test").len(), 1);
    assert!(sink.to("bo@acme.test").is_empty(), "Bo did not ask");
    assert!(sink.to("pat@acme.test").is_empty(), "Pat sees none of it");
    assert_eq!(
        app.store.digests_sent(ws.id, olga).await.unwrap(),
        [monday.0]
    );
    assert!(app.store.digests_sent(ws.id, pat).await.unwrap().is_empty());

    let m = &olgas[0];
    assert_eq!(
        m.subject(),
        "Your week in acme Inc: 1 launch, 1 blocked",
        "{}",
        m.text()
    );
    let text = m.text();
    assert!(text.contains("Spring webinar"), "{text}");
    assert!(text.contains(&format!("{}/w/acme/work/{launch}", app.base)));
    assert!(text.contains("Pricing page (Waiting for legal)"), "{text}");
    assert!(text.contains(&format!("{}/account", app.base)));
    assert!(cys[0].text().contains("Spring webinar"));

    // Tuesday: the week's digest is not sent late.
    assert!(digest::due(&one, at(monday.add_days(1), 9), false)
        .await
        .unwrap()
        .is_empty());
    second_store.close().await;
    app.stop().await;
});
