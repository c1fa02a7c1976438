//! Error pages keep the layout: a page that is missing, forbidden or failed shows the caller's
//! own navigation (their workspace's, when the address names one they are a member of) and a
//! way back, never the name of a workspace they are not in. The API keeps its JSON envelope.

mod common;

use common::TestApp;
use keel_domain::Role;
use sqlx::Connection;

/// A workspace "alpha" with its owner signed in, and a workspace "beta" they are not in.
async fn setup() -> (TestApp, common::Browser) {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@a.test", "Olive Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let other = app.user("other@b.test", "Bea Other").await;
    app.workspace("beta", other).await;
    app.member(&ws, "partner@a.test", Role::Partner).await;
    let b = app.sign_in("owner@a.test").await;
    (app, b)
}

/// The workspace navigation of `slug`, as base.html draws it.
fn has_nav_of(html: &str, slug: &str) -> bool {
    html.contains("class=\"ws-nav\"") && html.contains(&format!("href=\"/w/{slug}/work\""))
}

#[tokio::test]
async fn a_missing_page_in_a_workspace_keeps_its_navigation_and_a_way_back() {
    let (_app, b) = setup().await;
    let (s, html) = b.text("/w/alpha/work/999999").await;
    assert_eq!(s, 404);
    assert!(html.contains("Not found"), "{html}");
    assert!(
        has_nav_of(&html, "alpha"),
        "no workspace navigation:\n{html}"
    );
    assert!(html.contains("Olive Owner"), "the signed-in name");
    assert!(html.contains("Back to alpha Inc"), "{html}");
    // An unknown address under the workspace is the same page.
    let (s, html) = b.text("/w/alpha/no-such-page").await;
    assert_eq!(s, 404);
    assert!(has_nav_of(&html, "alpha"), "{html}");
}

#[tokio::test]
async fn a_workspace_one_is_not_in_is_not_named_on_its_error_page() {
    let (_app, b) = setup().await;
    for path in ["/w/beta", "/w/beta/work/1", "/w/nowhere/people"] {
        let (s, html) = b.text(path).await;
        assert_eq!(s, 404, "{path}");
        assert!(!html.contains("beta Inc"), "{path} names the workspace");
        assert!(
            !html.contains("class=\"ws-nav\""),
            "{path} shows a navigation"
        );
        assert!(html.contains("Your workspaces"), "{path}: {html}");
        assert!(html.contains("Olive Owner"), "{path}: still signed in");
    }
}

#[tokio::test]
async fn signed_out_a_missing_page_offers_to_sign_in_and_the_api_keeps_json() {
    let app = TestApp::sqlite().await;
    let b = common::Browser::new(&app.base);
    let (s, html) = b.text("/no-such-page").await;
    assert_eq!(s, 404);
    assert!(
        html.contains("Not found") && html.contains("href=\"/login\""),
        "{html}"
    );
    assert!(!html.contains("Sign out"));
    let r = b.get("/api/v1/no-such-endpoint").await;
    assert_eq!(r.status(), 404);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_refused_change_keeps_the_navigation_of_the_role_that_was_refused() {
    let (app, _) = setup().await;
    let partner = app.sign_in("partner@a.test").await;
    let r = partner
        .post_form(
            "/w/alpha/people",
            &[("name", "Nobody"), ("kind", "internal")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let html = r.text().await.unwrap();
    assert!(html.contains("Not allowed"), "{html}");
    assert!(has_nav_of(&html, "alpha"), "{html}");
    // A partner's navigation: no Members, no Leads.
    assert!(!html.contains("href=\"/w/alpha/members\""), "{html}");
    assert!(!html.contains("href=\"/w/alpha/leads\""), "{html}");
}

#[tokio::test]
async fn a_failure_on_our_side_shows_the_request_id_inside_the_layout() {
    let (app, b) = setup().await;
    let ws = app
        .store
        .find_workspace_by_slug("alpha")
        .await
        .unwrap()
        .unwrap();
    let p = app
        .person(&ws, "Ana Ruiz", keel_domain::PersonKind::Internal)
        .await;
    let wf = app.workflow(&ws, "Campaign launch", p).await;
    let id = app.work(&ws, wf, "Spring webinar", Some(p)).await;
    // Break what the item page reads, as a damaged database would.
    let url = &app.db.as_ref().unwrap().url;
    let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
    sqlx::query("DROP TABLE work_events")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let r = b.get(&format!("/w/alpha/work/{id}")).await;
    assert_eq!(r.status(), 500);
    let rid = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let html = r.text().await.unwrap();
    assert!(html.contains("Something went wrong"), "{html}");
    assert!(html.contains(&rid), "the request id is shown");
    assert!(!html.contains("work_events"), "internals stay in the log");
    assert!(has_nav_of(&html, "alpha"), "{html}");
}
