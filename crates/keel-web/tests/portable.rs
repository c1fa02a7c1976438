//! The workspace export (API and the Settings page's download) is for owners and admins only;
//! erasing a person (API and the person page's confirm form) too, and it leaves their work.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use reqwest::Method;

#[tokio::test]
async fn owners_and_admins_download_the_workspace_and_nobody_else_does() {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@a.test", "Owner").await;
    let ws = app.workspace("alpha", owner).await;
    app.person(&ws, "Lena Ortiz", PersonKind::Internal).await;
    let admin = app.member(&ws, "admin@a.test", Role::Admin).await;
    let api = Api::new(&app, &app.token(&ws, admin, Role::Admin).await);
    let r = api.req(Method::GET, "/api/v1/export").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"keel-alpha.json\""
    );
    let doc: serde_json::Value = r.json().await.unwrap();
    assert_eq!(doc["format"], 2);
    assert_eq!(doc["workspace"]["slug"], "alpha");
    assert!(doc["tables"]["people"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "Lena Ortiz"));

    let browser = app.sign_in("admin@a.test").await;
    let (_, html) = browser.text("/w/alpha/settings").await;
    assert!(html.contains("href=\"/w/alpha/export.json\""), "{html}");
    let r = browser.get("/w/alpha/export.json").await;
    assert_eq!(r.status(), 200);
    let page_doc: serde_json::Value = r.json().await.unwrap();
    assert_eq!(page_doc, doc, "the page and the API export differ");

    for (email, role) in [
        ("member@a.test", Role::Member),
        ("viewer@a.test", Role::Viewer),
        ("partner@a.test", Role::Partner),
    ] {
        let user = app.member(&ws, email, role).await;
        let api = Api::new(&app, &app.token(&ws, user, role).await);
        let (status, body) = api.get("/api/v1/export").await;
        assert_eq!(status, 403, "{role:?}: {body}");
        let browser = app.sign_in(email).await;
        assert_eq!(
            browser.get("/w/alpha/export.json").await.status(),
            403,
            "{role:?}"
        );
        let (_, html) = browser.text("/w/alpha/settings").await;
        assert!(!html.contains("export.json"), "{role:?} sees the download");
    }
    app.stop().await;
}

#[tokio::test]
async fn an_admin_erases_a_person_after_typing_their_name_and_their_work_stays() {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@a.test", "Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let lena = app.person(&ws, "Lena Ortiz", PersonKind::Internal).await;
    let workflow = app.workflow(&ws, "Campaign brief to launch", lena).await;
    let item = app
        .work(
            &ws,
            workflow,
            "Spring webinar for Lena Ortiz's accounts",
            Some(lena),
        )
        .await;
    app.member(&ws, "admin@a.test", Role::Admin).await;
    let member = app.member(&ws, "member@a.test", Role::Member).await;

    // A member may not.
    let api = Api::new(&app, &app.token(&ws, member, Role::Member).await);
    let (status, _) = api
        .send(Method::POST, &format!("/api/v1/people/{lena}/erase"), None)
        .await;
    assert_eq!(status, 403);
    let browser = app.sign_in("member@a.test").await;
    let (_, html) = browser.text(&format!("/w/alpha/people/{lena}")).await;
    assert!(!html.contains("/erase\""), "a member sees the erase form");

    // An admin who types another name erases nothing.
    let browser = app.sign_in("admin@a.test").await;
    let page = format!("/w/alpha/people/{lena}");
    let (_, html) = browser.text(&page).await;
    assert!(
        html.contains(&format!("action=\"/w/alpha/people/{lena}/erase\"")),
        "{html}"
    );
    let csrf = browser.csrf(&page).await;
    let r = browser
        .post_form_raw(
            &format!("{page}/erase"),
            &[("csrf", &csrf), ("confirm", "Lena")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("notice=erase-unconfirmed"));
    assert_eq!(
        app.store
            .find_person(ws.id, lena)
            .await
            .unwrap()
            .unwrap()
            .name,
        "Lena Ortiz"
    );

    let r = browser
        .post_form_raw(
            &format!("{page}/erase"),
            &[("csrf", &csrf), ("confirm", "Lena Ortiz")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (status, html) = browser.text(&format!("{page}?notice=person-erased")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Personal data erased"), "{html}");
    assert!(!html.contains("Lena Ortiz"), "{html}");
    let p = app.store.find_person(ws.id, lena).await.unwrap().unwrap();
    assert_eq!(p.name, format!("Erased person #{lena}"));
    // The work is still theirs, and no longer names them.
    let (status, work) = Api::new(&app, &app.token(&ws, owner, Role::Owner).await)
        .get(&format!("/api/v1/work/{item}"))
        .await;
    assert_eq!(status, 200, "{work}");
    assert_eq!(work["execution_owner_id"], lena);
    assert_eq!(
        work["title"],
        format!("Spring webinar for Erased person #{lena}'s accounts")
    );

    // The API answers with the person as they are now; another workspace's person is missing.
    let api = Api::new(&app, &app.token(&ws, owner, Role::Owner).await);
    let (status, body) = api
        .send(Method::POST, &format!("/api/v1/people/{lena}/erase"), None)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["person"]["name"], format!("Erased person #{lena}"));
    assert_eq!(body["person"]["email"], serde_json::Value::Null);
    let other_owner = app.user("other@b.test", "Other").await;
    let beta = app.workspace("beta", other_owner).await;
    let stranger = app
        .person(&beta, "Sam Stranger", PersonKind::Internal)
        .await;
    let (status, _) = api
        .send(
            Method::POST,
            &format!("/api/v1/people/{stranger}/erase"),
            None,
        )
        .await;
    assert_eq!(status, 404);
    app.stop().await;
}
