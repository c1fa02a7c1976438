//! Search and the work list: the search box finds work, workflows, people and functions among
//! what the reader sees (page and API alike); the list sorts by its columns, hides done and
//! cancelled work unless asked, and its filters apply as they change.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonDraft, PersonKind, Role};

#[tokio::test]
async fn search_finds_only_what_the_reader_may_see() {
    let app = TestApp::sqlite().await;
    let owner = app.user("ana@acme.test", "Ana Ruiz").await;
    let ws = app.workspace("acme", owner).await;
    let ana = app.person(&ws, "Ana Ruiz", PersonKind::Internal).await;
    let partner_user = app.member(&ws, "kim@agency.test", Role::Partner).await;
    let kim = app
        .store
        .create_person(
            ws.id,
            &PersonDraft {
                name: "Kim Webster".into(),
                kind: PersonKind::Agency,
                organization: Some("Brightline".into()),
                title: None,
                email: Some("kim@agency.test".into()),
                weekly_capacity: 20.0,
                user_id: Some(partner_user),
            },
        )
        .await
        .unwrap()
        .id;
    app.function(&ws, "Webinars and events", Some(ana), None)
        .await;
    let wf = app.workflow(&ws, "Webinar series", ana).await;
    let mine = app.work(&ws, wf, "Spring webinar", Some(kim)).await;
    let hidden = app
        .work(&ws, wf, "Board webinar for investors", Some(ana))
        .await;

    // The owner finds all four kinds; every word must match, in any case.
    let b = app.sign_in("ana@acme.test").await;
    let (s, html) = b.text("/w/acme/search?q=WEBINAR").await;
    assert_eq!(s, 200);
    for found in [
        "Spring webinar",
        "Board webinar for investors",
        "Webinar series",
        "Webinars and events",
    ] {
        assert!(html.contains(found), "{found} missing:\n{html}");
    }
    assert!(html.contains(&format!("href=\"/w/acme/work/{mine}\"")));
    assert!(
        html.contains("value=\"WEBINAR\""),
        "the box keeps the query"
    );
    let (_, html) = b.text("/w/acme/search?q=brightline").await;
    assert!(html.contains("Kim Webster") && html.contains("People"));
    let (_, html) = b.text("/w/acme/search?q=spring+investors").await;
    assert!(html.contains("Nothing matches"), "{html}");
    let long = "x".repeat(201);
    let (s, html) = b.text(&format!("/w/acme/search?q={long}")).await;
    assert_eq!(s, 422);
    assert!(html.contains("Keep the search under 200 characters."));
    // Every workspace page has the box.
    let (_, home) = b.text("/w/acme").await;
    assert!(home.contains("action=\"/w/acme/search\""));

    // The partner finds its own item and not the other, on the page and in the API.
    let p = app.sign_in("kim@agency.test").await;
    let (_, html) = p.text("/w/acme/search?q=webinar").await;
    assert!(html.contains("Spring webinar"), "{html}");
    assert!(!html.contains("investors"), "a hidden item is not found");
    let token = app.token(&ws, partner_user, Role::Partner).await;
    let api = Api::new(&app, &token);
    let (s, body) = api.get("/api/v1/search?q=webinar").await;
    assert_eq!(s, 200, "{body}");
    let ids: Vec<i64> = body["work"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [mine]);
    assert_eq!(body["work_total"], 1);
    assert!(!ids.contains(&hidden));
    let (s, body) = api.get("/api/v1/search?q=%20").await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "q", "{body}");
    let (s, _) = api.get("/api/v1/search").await;
    assert_eq!(s, 400);
    app.stop().await;
}

keel_testkit::each_backend!(
    the_list_sorts_by_its_columns_and_hides_finished_work_unless_asked,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let owner = app.user("ana@acme.test", "Ana Ruiz").await;
        let ws = app.workspace("acme", owner).await;
        let ana = app.person(&ws, "Ana Ruiz", PersonKind::Internal).await;
        let zed = app.person(&ws, "Zed Okafor", PersonKind::Internal).await;
        let wf = app.workflow(&ws, "Campaign launch", ana).await;
        app.work(&ws, wf, "Bravo", Some(zed)).await;
        app.work(&ws, wf, "alpha", Some(ana)).await;
        let gone = app.work(&ws, wf, "Charlie", Some(ana)).await;
        let b = app.sign_in("ana@acme.test").await;
        b.post_form(
            &format!("/w/acme/work/{gone}/move"),
            &[("action", "cancel"), ("version", "1")],
        )
        .await;

        let order = |html: &str| -> Vec<String> {
            ["alpha", "Bravo", "Charlie"]
                .iter()
                .filter_map(|t| html.find(&format!(">{t}</a>")).map(|i| (i, t.to_string())))
                .collect::<std::collections::BTreeMap<_, _>>()
                .into_values()
                .collect()
        };
        let (_, html) = b.text("/w/acme/work").await;
        assert_eq!(
            order(&html),
            ["alpha", "Bravo"],
            "newest first, cancelled hidden"
        );
        assert!(html.contains("Done and cancelled work is hidden"));
        assert!(html.contains("data-live"), "filters apply as they change");
        assert!(
            html.contains("class=\"secondary small live-fallback\""),
            "a button without JS"
        );
        let (_, html) = b.text("/w/acme/work?closed=1").await;
        assert_eq!(order(&html), ["Charlie", "alpha", "Bravo"]);
        let (_, html) = b.text("/w/acme/work?status=cancelled").await;
        assert_eq!(order(&html), ["Charlie"], "asking for cancelled shows it");
        // By title, A to Z whatever the case, then the other way.
        let (_, html) = b.text("/w/acme/work?sort=title").await;
        assert_eq!(order(&html), ["alpha", "Bravo"]);
        assert!(html.contains("aria-sort=\"ascending\""));
        assert!(
            html.contains("href=\"?sort=title&amp;dir=desc&amp;page=0\"")
                || html.contains("sort=title&#38;dir=desc"),
            "{html}"
        );
        let (_, html) = b.text("/w/acme/work?sort=title&dir=desc").await;
        assert_eq!(order(&html), ["Bravo", "alpha"]);
        // By owner: Ana before Zed.
        let (_, html) = b.text("/w/acme/work?sort=owner&closed=1").await;
        assert_eq!(order(&html), ["Charlie", "alpha", "Bravo"]);
        // An unknown order is the default, not an error.
        let (s, html) = b.text("/w/acme/work?sort=nonsense").await;
        assert_eq!(s, 200);
        assert_eq!(order(&html), ["alpha", "Bravo"]);
        app.stop().await;
    }
);
