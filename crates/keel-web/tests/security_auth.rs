//! Sign-in redirects, invitations bound to an email, and the links keel hands out, as an
//! attacker would try them.

mod common;

use common::{Browser, TestApp, PASSWORD};

async fn app_with_user() -> TestApp {
    let app = TestApp::sqlite().await;
    let u = app.user("ana@acme.test", "Ana Ruiz").await;
    app.workspace("acme", u).await;
    app
}

/// `next` values that lead off this site or break the header, percent-encoded as in a link.
const HOSTILE_NEXT: [&str; 10] = [
    "/%09/evil.example",
    "/%0a/x",
    "/%0d/x",
    "//evil.example",
    "/%5Cevil.example",
    "/%5C/evil.example",
    "https:%2F%2Fevil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/a%00b",
];

#[tokio::test]
async fn sign_in_sends_only_to_a_path_on_this_site() {
    let app = app_with_user().await;
    let b = app.sign_in("ana@acme.test").await;
    for next in HOSTILE_NEXT {
        let r = b.get(&format!("/login?next={next}")).await;
        assert_eq!(r.status(), 303, "GET next={next}");
        assert_eq!(r.headers()["location"], "/", "GET next={next}");
    }
    let r = b.get("/login?next=%2Fw%2Facme%2Fpeople").await;
    assert_eq!(r.headers()["location"], "/w/acme/people");

    // The same on a successful sign-in, with the value as the form would send it decoded.
    for next in HOSTILE_NEXT {
        let decoded: String = form_urlencoded_decode(next);
        let fresh = Browser::new(&app.base);
        let r = fresh
            .post_form(
                "/login",
                &[
                    ("email", "ana@acme.test"),
                    ("password", PASSWORD),
                    ("next", &decoded),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "POST next={next}");
        assert_eq!(r.headers()["location"], "/", "POST next={next}");
    }

    // Signed out, the form carries only a safe value forward.
    let (s, html) = Browser::new(&app.base)
        .text("/login?next=/%09/evil.example")
        .await;
    assert_eq!(s, 200);
    assert!(html.contains("name=\"next\" value=\"/\""), "{html}");
}

fn form_urlencoded_decode(s: &str) -> String {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&format!("v={}", s.replace('+', "%2B"))).unwrap();
    pairs[0].1.clone()
}
