//! The first run in the browser: while no account exists, keel offers to make the first owner
//! and workspace; the form keeps what was typed and says what to fix; it is gone once an
//! account exists; a fresh workspace opens on first steps, with setup findings apart.

mod common;

use common::{Browser, TestApp};

/// The fields of a good first-run form, with one changed.
fn form<'a>(change: (&'a str, &'a str)) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("name", "Dana Whitfield"),
        ("email", "dana@northwind.test"),
        ("password", "a long first password"),
        ("password_again", "a long first password"),
        ("hours", "32"),
        ("workspace", "Northwind Trading"),
        ("slug", ""),
    ];
    for (k, v) in f.iter_mut() {
        if *k == change.0 {
            *v = change.1;
        }
    }
    f
}

/// Posts the first-run form with the token its page set, like a browser.
async fn post(b: &Browser, fields: &[(&str, &str)]) -> reqwest::Response {
    let (_, html) = b.text("/setup").await;
    let token = common::csrf_of(&html).expect("the first-run page has a CSRF field");
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    b.post_form_raw("/setup", &all).await
}

#[tokio::test]
async fn with_no_account_keel_opens_on_the_first_run_page() {
    let app = TestApp::sqlite().await;
    let b = Browser::new(&app.base);
    for path in ["/", "/login"] {
        let r = b.get(path).await;
        assert_eq!(r.status(), 303, "{path}");
        assert_eq!(r.headers()["location"], "/setup", "{path}");
    }
    let (s, html) = b.text("/setup").await;
    assert_eq!(s, 200);
    assert!(html.contains("Set up keel") && html.contains("name=\"csrf\""));
}

#[tokio::test]
async fn the_form_says_what_to_fix_keeps_what_was_typed_and_never_echoes_a_password() {
    let app = TestApp::sqlite().await;
    let b = Browser::new(&app.base);
    let r = post(&b, &form(("password_again", "a different password"))).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("The two passwords differ."), "{html}");
    assert!(
        html.contains("value=\"Dana Whitfield\"") && html.contains("value=\"Northwind Trading\"")
    );
    assert!(!html.contains("a long first password") && !html.contains("a different password"));
    for (field, value, message) in [
        ("password", "short", "at least 10 characters"),
        ("email", "dana-at-northwind", "email"),
        ("hours", "200", "80"),
        ("workspace", "", "workspace name"),
    ] {
        let mut f = form((field, value));
        if field == "password" {
            f.retain(|(k, _)| *k != "password_again");
            f.push(("password_again", "short"));
        }
        let r = post(&b, &f).await;
        assert_eq!(r.status(), 422, "{field}");
        let html = r.text().await.unwrap();
        assert!(html.contains(message), "{field}: {html}");
    }
    assert!(!app.store.has_users().await.unwrap(), "nothing was made");
    // Without the page's token (a form sent from elsewhere), refused.
    let r = Browser::new(&app.base)
        .post_form_raw("/setup", &form(("slug", "")))
        .await;
    assert_eq!(r.status(), 403);
    assert!(!app.store.has_users().await.unwrap());
}

#[tokio::test]
async fn the_first_owner_lands_signed_in_on_first_steps_and_the_page_is_gone_after() {
    let app = TestApp::sqlite().await;
    let b = Browser::new(&app.base);
    let r = post(&b, &form(("slug", ""))).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/w/northwind-trading?notice=set-up"
    );
    let (s, home) = b.text("/w/northwind-trading?notice=set-up").await;
    assert_eq!(s, 200, "signed in as the owner");
    assert!(home.contains("Your account and workspace are ready."));
    assert!(home.contains("First steps"));
    assert!(home.contains("Add the people who do the work") && home.contains("1 person so far."));
    assert!(
        home.contains("0 of 8 functions have a business owner"),
        "{home}"
    );
    // No wall of errors: unowned functions are setup, listed apart on Health.
    assert!(home.contains("Healthy"), "{home}");
    let (_, health) = b.text("/w/northwind-trading/health").await;
    assert!(
        health.contains("Setting up") && health.contains("16 open"),
        "{health}"
    );
    assert!(!health.contains("badge error\">8 errors"));
    // The owner's own person is linked, with the hours typed.
    let ws = app
        .store
        .find_workspace_by_slug("northwind-trading")
        .await
        .unwrap()
        .unwrap();
    let people = app.store.list_people(ws.id).await.unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(
        (people[0].name.as_str(), people[0].weekly_capacity),
        ("Dana Whitfield", 32.0)
    );
    assert!(people[0].user_id.is_some());
    // The same password signs in as the CLI's would.
    let again = Browser::new(&app.base);
    let csrf = again.csrf("/login").await;
    let r = again
        .post_form_raw(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", "dana@northwind.test"),
                ("password", "a long first password"),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    // Now an account exists: the page is gone, and a late form makes nothing.
    let late = Browser::new(&app.base);
    let r = late.get("/setup").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login");
    let r = late.get("/").await;
    assert_eq!(r.headers()["location"], "/login");
    let r = late
        .post_form_raw("/setup", &form(("email", "mallory@evil.test")))
        .await;
    assert!(r.status() == 303 || r.status() == 403, "{}", r.status());
    assert!(app
        .store
        .find_user_by_email("mallory@evil.test")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn two_browsers_sending_the_first_run_at_once_make_one_account() {
    let app = TestApp::sqlite().await;
    let (a, b) = (Browser::new(&app.base), Browser::new(&app.base));
    let fa = form(("email", "first@northwind.test"));
    let fb = form(("email", "second@northwind.test"));
    let (ra, rb) = tokio::join!(post(&a, &fa), post(&b, &fb));
    let locations: Vec<String> = [ra, rb]
        .iter()
        .map(|r| r.headers()["location"].to_str().unwrap().to_string())
        .collect();
    let made = locations.iter().filter(|l| l.starts_with("/w/")).count();
    assert_eq!(made, 1, "{locations:?}");
    assert!(locations.contains(&"/login?notice=already-set-up".to_string()));
    let first = app
        .store
        .find_user_by_email("first@northwind.test")
        .await
        .unwrap();
    let second = app
        .store
        .find_user_by_email("second@northwind.test")
        .await
        .unwrap();
    assert_eq!(first.is_some() as u8 + second.is_some() as u8, 1);
}
