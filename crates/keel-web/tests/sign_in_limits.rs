//! Sign-in limits under a concurrent burst, on SQLite and PostgreSQL, against the real app.

mod common;

use common::{Browser, TestApp, PASSWORD};
use keel_testkit::TestDb;
use keel_web::Config;

/// The app on `db`, with the account ana@acme.test.
async fn app_on(db: TestDb, config: Config) -> TestApp {
    let app = TestApp::start(db, config).await;
    let u = app.user("ana@acme.test", "Ana Ruiz").await;
    app.workspace("acme", u).await;
    app
}

/// A browser tab showing the sign-in form, with the form's token.
async fn sign_in_form(app: &TestApp) -> (Browser, String) {
    let b = Browser::new(&app.base);
    let csrf = b.csrf("/login").await;
    (b, csrf)
}

/// Sends the prepared forms all at once; answers in the same order.
async fn burst(forms: Vec<(Browser, String)>, logins: Vec<(String, String)>) -> Vec<u16> {
    let tasks: Vec<_> = forms
        .into_iter()
        .zip(logins)
        .map(|((b, csrf), (email, pw))| {
            tokio::spawn(async move {
                b.post_form_raw(
                    "/login",
                    &[
                        ("csrf", csrf.as_str()),
                        ("email", &email),
                        ("password", &pw),
                    ],
                )
                .await
                .status()
                .as_u16()
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

fn count(answers: &[u16], status: u16) -> usize {
    answers.iter().filter(|s| **s == status).count()
}

keel_testkit::each_backend!(
    a_concurrent_burst_of_guesses_stops_at_the_account_limit,
    |db| {
        let app = app_on(db, Config::default()).await;
        let backend = app.store.backend();
        let mut forms = Vec::new();
        for _ in 0..100 {
            forms.push(sign_in_form(&app).await);
        }
        let right = forms.pop().unwrap();
        let wrong = vec![("ana@acme.test".to_string(), "guess guess guess".to_string()); 99];
        let guesses = tokio::spawn(burst(forms, wrong));
        // The right password comes last, once every guess is counted (counting comes before
        // the password check, so this is quick).
        for _ in 0..1000 {
            if app
                .store
                .login_failures("acct:ana@acme.test", 900)
                .await
                .unwrap()
                >= 99
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let last = burst(vec![right], vec![("ana@acme.test".into(), PASSWORD.into())]).await;
        let answers = guesses.await.unwrap();
        assert_eq!(count(&answers, 401), 5, "{backend:?}: {answers:?}");
        assert_eq!(count(&answers, 429), 94, "{backend:?}: {answers:?}");
        assert_eq!(last, [429], "{backend:?}: the right password got through");
        app.stop().await;
    }
);

keel_testkit::each_backend!(
    a_concurrent_burst_over_many_accounts_stops_at_the_address_limit,
    |db| {
        let app = app_on(db, Config::default()).await;
        let backend = app.store.backend();
        let mut forms = Vec::new();
        for _ in 0..40 {
            forms.push(sign_in_form(&app).await);
        }
        let logins = (0..40)
            .map(|i| (format!("spray{i}@acme.test"), "guess guess guess".into()))
            .collect();
        let answers = burst(forms, logins).await;
        assert_eq!(count(&answers, 401), 20, "{backend:?}: {answers:?}");
        assert_eq!(count(&answers, 429), 20, "{backend:?}: {answers:?}");
        app.stop().await;
    }
);

keel_testkit::each_backend!(
    signing_in_resets_the_account_and_gives_back_its_own_attempt,
    |db| {
        let config = Config {
            login_max_per_address: 3,
            ..Default::default()
        };
        let app = app_on(db, config.clone()).await;
        // Sign-ins that succeed do not use up the address's allowance.
        for _ in 0..5 {
            app.sign_in("ana@acme.test").await;
        }
        let (b, csrf) = sign_in_form(&app).await;
        let r = b
            .post_form_raw(
                "/login",
                &[
                    ("csrf", csrf.as_str()),
                    ("email", "ana@acme.test"),
                    ("password", "guess guess guess"),
                ],
            )
            .await;
        assert_eq!(r.status(), 401);
        assert_eq!(
            app.store
                .login_failures("addr:127.0.0.1", 900)
                .await
                .unwrap(),
            1
        );
        app.sign_in("ana@acme.test").await;
        assert_eq!(
            app.store
                .login_failures("acct:ana@acme.test", 900)
                .await
                .unwrap(),
            0
        );
        app.stop().await;
    }
);

/// One wrong sign-in sent with a forwarding header, as a proxy (or a client faking one)
/// would; answers the status.
async fn wrong_from(app: &TestApp, header: &str, value: &str) -> u16 {
    let (b, csrf) = sign_in_form(app).await;
    b.client
        .post(app.url("/login"))
        .header(header, value)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "ana@acme.test"),
            ("password", "guess guess guess"),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn limits(trusted: &str) -> Config {
    Config {
        login_max_per_address: 3,
        login_max_per_account: 1000,
        trusted_proxies: keel_web::config::parse_proxies(trusted).unwrap(),
        ..Default::default()
    }
}

#[tokio::test]
async fn without_trusted_proxies_a_forwarding_header_changes_nothing() {
    // No proxy configured, and a proxy configured that is not the peer: either way a client
    // cannot escape the per-address limit by naming a new address each time.
    for trusted in ["", "10.0.0.0/8"] {
        let app = TestApp::start(TestDb::sqlite().await, limits(trusted)).await;
        app.user("ana@acme.test", "Ana").await;
        for i in 0..3 {
            let s = wrong_from(&app, "x-forwarded-for", &format!("198.51.100.{i}")).await;
            assert_eq!(s, 401, "trusted {trusted:?}");
        }
        assert_eq!(
            wrong_from(&app, "x-forwarded-for", "198.51.100.9").await,
            429
        );
        assert_eq!(wrong_from(&app, "forwarded", "for=198.51.100.8").await, 429);
        app.stop().await;
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    // The test talks from 127.0.0.1, which plays the proxy.
    let app = TestApp::start(TestDb::sqlite().await, limits("127.0.0.1, 10.0.0.0/8")).await;
    app.user("ana@acme.test", "Ana").await;
    for _ in 0..3 {
        // The client's own "6.6.6.6" is ignored: the proxy appended what it saw.
        let s = wrong_from(&app, "x-forwarded-for", "6.6.6.6, 198.51.100.1, 10.0.0.7").await;
        assert_eq!(s, 401);
    }
    assert_eq!(
        wrong_from(&app, "x-forwarded-for", "198.51.100.1").await,
        429
    );
    // Everyone else behind the proxy still signs in.
    assert_eq!(
        wrong_from(&app, "x-forwarded-for", "198.51.100.2").await,
        401
    );
    let (b, csrf) = sign_in_form(&app).await;
    let r = b
        .client
        .post(app.url("/login"))
        .header("x-forwarded-for", "198.51.100.3")
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "ana@acme.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let n = |k: &'static str| {
        let store = app.store.clone();
        async move { store.login_failures(k, 900).await.unwrap() }
    };
    assert_eq!(n("addr:198.51.100.1").await, 4);
    assert_eq!(n("addr:6.6.6.6").await, 0);
    assert_eq!(n("addr:127.0.0.1").await, 0);
    // The proxy's own header is the only one read.
    assert_eq!(wrong_from(&app, "forwarded", "for=198.51.100.1").await, 401);
    assert_eq!(n("addr:127.0.0.1").await, 1);
    app.stop().await;
}
