//! A running keel deletes expired sessions and sign-in counters by itself.

mod common;

use common::TestApp;
use std::time::Duration;

keel_testkit::each_backend!(a_running_keel_purges_expired_sessions_and_counters, |db| {
    let config = keel_web::Config {
        session_idle_secs: 1,
        login_window_secs: 1,
        purge_every: Duration::from_millis(200),
        ..Default::default()
    };
    let app = TestApp::start(db, config.clone()).await;
    let backend = app.store.backend();
    let u = app.user("ana@acme.test", "Ana").await;
    app.store.create_session("idle", u, "csrf").await.unwrap();
    app.store
        .count_login_attempt("acct:ana@acme.test", "addr:203.0.113.1", 1)
        .await
        .unwrap();
    let mut gone = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let session = app.store.find_session("idle", None).await.unwrap();
        // Read the rows themselves, whatever their window: a long window sees old counts.
        let counts = app
            .store
            .login_failures("addr:203.0.113.1", i64::MAX / 2)
            .await
            .unwrap();
        if session.is_none() && counts == 0 {
            gone = true;
            break;
        }
    }
    assert!(
        gone,
        "{backend:?}: expired records are still there after 10 s"
    );
    app.stop().await;
});
