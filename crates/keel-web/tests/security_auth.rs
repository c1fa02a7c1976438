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

/// Makes an invitation through the members page and returns its code.
async fn invite_code(owner: &Browser, email: &str) -> String {
    let r = owner
        .post_form("/w/acme/invites", &[("role", "member"), ("email", email)])
        .await;
    let html = r.text().await.unwrap();
    let start = html.find("/invite/").expect("an invitation link");
    html[start + 8..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

#[tokio::test]
async fn an_invitation_for_one_email_admits_no_other_account() {
    let app = app_with_user().await;
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let bob = app.user("bob@other.test", "Bob Other").await;
    let owner = app.sign_in("ana@acme.test").await;
    let code = invite_code(&owner, "nia@acme.test").await;
    assert_eq!(code.len(), 64);

    // Signed in as someone else: the page says so and offers no way to join.
    let b = app.sign_in("bob@other.test").await;
    let (s, html) = b.text(&format!("/invite/{code}")).await;
    assert_eq!(s, 200);
    assert!(html.contains("This invitation is for <strong>nia@acme.test</strong>"));
    assert!(!html.contains("Join as"), "{html}");
    // Posting anyway is refused, and the invitation stays usable.
    let csrf = b.csrf("/workspaces").await;
    let r = b
        .post_form_raw(&format!("/invite/{code}"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status(), 403);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("signed in as bob@other.test"));
    assert!(app.store.find_member(ws.id, bob).await.unwrap().is_none());

    // Every other path holds the binding too: the store refuses the wrong account.
    let inv = app
        .store
        .find_invite_by_code(&keel_web::auth::secret::digest(&code))
        .await
        .unwrap()
        .unwrap();
    assert!(app.store.accept_invite(inv.id, bob).await.is_err());
    assert!(app.store.find_member(ws.id, bob).await.unwrap().is_none());

    // Signed out, an account for another email cannot be made with it either.
    let stranger = Browser::new(&app.base);
    let csrf = stranger.csrf(&format!("/invite/{code}")).await;
    let r = stranger
        .post_form_raw(
            &format!("/invite/{code}"),
            &[
                ("csrf", &csrf),
                ("name", "Eve"),
                ("email", "eve@evil.test"),
                ("password", "a good long password"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(app
        .store
        .find_user_by_email("eve@evil.test")
        .await
        .unwrap()
        .is_none());

    // The invitee, signed in with the invited email (any case), joins.
    let nia = app.user("nia@acme.test", "Nia Obi").await;
    let n = app.sign_in("NIA@acme.test").await;
    let csrf = n.csrf("/workspaces").await;
    let r = n
        .post_form_raw(&format!("/invite/{code}"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status(), 303);
    assert!(app.store.find_member(ws.id, nia).await.unwrap().is_some());
}

const HOSTILE_HOST: &str = "evil.example/phish?x=";

/// The first link in `html` to `path` (like "/invite/"), up to the closing quote or `<`.
fn link_to(html: &str, path: &str) -> String {
    let at = html.find(path).unwrap_or_else(|| panic!("no {path} link"));
    let start = html[..at].rfind(['"', '>']).map_or(0, |i| i + 1);
    let end = at + html[at..].find(['"', '<']).unwrap();
    html[start..end].to_string()
}

/// The invitation and calendar links made on the page and by the API, with a hostile Host.
async fn links_with_hostile_host(app: &TestApp) -> Vec<String> {
    let ws = app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    let owner_id = app
        .store
        .find_user_by_email("ana@acme.test")
        .await
        .unwrap()
        .unwrap()
        .id;
    let b = app.sign_in("ana@acme.test").await;
    let mut links = Vec::new();
    for (page, path, fields) in [
        (
            "/w/acme/invites",
            "/invite/",
            vec![("role", "member"), ("email", "")],
        ),
        ("/w/acme/calendar", "/calendar/", vec![("person_id", "")]),
    ] {
        let csrf = b.csrf("/workspaces").await;
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend(fields);
        let r = b
            .client
            .post(app.url(page))
            .header("host", HOSTILE_HOST)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{page}");
        links.push(link_to(&r.text().await.unwrap(), path));
    }
    let token = app.token(&ws, owner_id, keel_domain::Role::Owner).await;
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/invites"))
        .bearer_auth(token)
        .header("x-keel-workspace", "acme")
        .header("host", HOSTILE_HOST)
        .json(&serde_json::json!({"role": "member"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let body: serde_json::Value = r.json().await.unwrap();
    links.push(body["link"].as_str().unwrap().to_string());
    links
}

#[tokio::test]
async fn links_use_the_public_address_never_the_host_header() {
    // Default: the address keel is bound to.
    let app = app_with_user().await;
    let links = links_with_hostile_host(&app).await;
    assert_eq!(links.len(), 3);
    for l in &links {
        assert!(l.starts_with(&format!("{}/", app.base)), "{l}");
        assert!(!l.contains("evil"), "{l}");
    }
    app.stop().await;

    // Configured.
    let config = keel_web::Config {
        public_url: Some(keel_web::config::PublicUrl::parse("https://keel.example.com").unwrap()),
        ..Default::default()
    };
    let app = TestApp::start(keel_testkit::TestDb::sqlite().await, config).await;
    let u = app.user("ana@acme.test", "Ana Ruiz").await;
    app.workspace("acme", u).await;
    let links = links_with_hostile_host(&app).await;
    assert!(
        links[0].starts_with("https://keel.example.com/invite/"),
        "{}",
        links[0]
    );
    assert!(
        links[1].starts_with("https://keel.example.com/calendar/"),
        "{}",
        links[1]
    );
    assert!(
        links[2].starts_with("https://keel.example.com/invite/"),
        "{}",
        links[2]
    );
    app.stop().await;
}
