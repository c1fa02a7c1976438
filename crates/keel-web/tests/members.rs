//! Changing and removing members names the version the admin saw (issue 8, finding 13): two
//! admins acting on one member at once cannot overwrite each other blindly.

mod common;

use common::{Api, TestApp};
use keel_domain::Role;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_api_needs_if_match_to_change_or_remove_a_member() {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@acme.test", "Olga").await;
    let ws = app.workspace("acme", owner).await;
    let mira = app.member(&ws, "mira@acme.test", Role::Member).await;
    let api = Api::new(&app, &app.token(&ws, owner, Role::Owner).await);
    let url = format!("/api/v1/members/{mira}");
    let (s, e) = api
        .send(Method::PUT, &url, Some(json!({"role": "admin"})))
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (428, Some("precondition_required"))
    );
    let (s, e) = api.send(Method::DELETE, &url, None).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (428, Some("precondition_required"))
    );
    assert_eq!(
        app.store
            .find_member(ws.id, mira)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Member
    );
    // Two admins read version 1; the first makes Mira a viewer, the second's "admin" is refused.
    let (s, m) = api
        .send_at(Method::PUT, &url, 1, Some(json!({"role": "viewer"})))
        .await;
    assert_eq!(
        (s, m["role"].as_str(), m["version"].as_i64()),
        (200, Some("viewer"), Some(2))
    );
    let (s, e) = api
        .send_at(Method::PUT, &url, 1, Some(json!({"role": "admin"})))
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (412, Some("version_mismatch"))
    );
    let (s, _) = api.send_at(Method::DELETE, &url, 1, None).await;
    assert_eq!(s, 412);
    assert_eq!(
        app.store
            .find_member(ws.id, mira)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Viewer
    );
    let (s, _) = api.send_at(Method::DELETE, &url, 2, None).await;
    assert_eq!(s, 204);
    assert!(app.store.find_member(ws.id, mira).await.unwrap().is_none());
}

#[tokio::test]
async fn a_members_page_opened_before_a_change_does_not_overwrite_it() {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@acme.test", "Olga").await;
    let ws = app.workspace("acme", owner).await;
    let mira = app.member(&ws, "mira@acme.test", Role::Member).await;
    let b = app.sign_in("owner@acme.test").await;
    let (_, page) = b.text("/w/acme/members").await;
    assert!(page.contains(r#"name="version" value="1""#), "{page}");
    // Another admin makes Mira a viewer after this page was opened.
    app.store
        .set_member_role(ws.id, mira, 1, Role::Viewer)
        .await
        .unwrap();
    let path = format!("/w/acme/members/{mira}/role");
    let r = b
        .post_form(&path, &[("role", "admin"), ("version", "1")])
        .await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("changed member user"), "{text}");
    let remove = format!("/w/acme/members/{mira}/remove");
    let r = b.post_form(&remove, &[("version", "1")]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        app.store
            .find_member(ws.id, mira)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Viewer
    );
    // From the page as it is now, the change goes through.
    let r = b
        .post_form(&path, &[("role", "admin"), ("version", "2")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.store
            .find_member(ws.id, mira)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Admin
    );
}

#[tokio::test]
async fn an_admin_makes_no_owner_and_a_form_without_its_version_changes_nothing() {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@acme.test", "Olga").await;
    let ws = app.workspace("acme", owner).await;
    let admin = app.member(&ws, "admin@acme.test", Role::Admin).await;
    let mira = app.member(&ws, "mira@acme.test", Role::Member).await;
    let api = Api::new(&app, &app.token(&ws, admin, Role::Admin).await);
    // Roles are granted by what the granted role can do: an admin cannot make an owner,
    // itself included, nor change the owner.
    for (who, role) in [(mira, "owner"), (admin, "owner"), (owner, "viewer")] {
        let (s, _) = api
            .send_at(
                Method::PUT,
                &format!("/api/v1/members/{who}"),
                1,
                Some(json!({ "role": role })),
            )
            .await;
        assert_eq!(s, 403, "{who} -> {role}");
    }
    assert_eq!(
        app.store
            .find_member(ws.id, mira)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Member
    );
    // A form that lost its version is out of date, not a blind overwrite.
    let b = app.sign_in("admin@acme.test").await;
    let r = b
        .post_form(
            &format!("/w/acme/members/{mira}/role"),
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        app.store
            .find_member(ws.id, mira)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Member
    );
}
