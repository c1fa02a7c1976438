//! The work item page's description, links and comments: through the API and the page, for
//! every role, on both backends; hostile Markdown and addresses are neutralised; a comment
//! that names a person reaches their My work; erasing a person clears what they wrote.

mod common;

use common::{Api, Browser, TestApp};
use keel_domain::{PersonDraft, PersonKind, Role};
use keel_store::Workspace;
use keel_testkit::TestDb;
use reqwest::Method;
use serde_json::json;

struct World {
    app: TestApp,
    ws: Workspace,
    /// Ana Ruiz owns the workspace and decides the workflow.
    ana: Api,
    ana_person: i64,
    /// Sam Okafor is a member.
    sam: Api,
    sam_person: i64,
    /// Lena Ortiz is an agency partner who runs `theirs`, not `other`.
    partner: Api,
    viewer: Api,
    theirs: i64,
    other: i64,
}

async fn linked(app: &TestApp, ws: &Workspace, user: i64, name: &str, kind: PersonKind) -> i64 {
    let d = PersonDraft {
        name: name.into(),
        kind,
        organization: kind.is_external().then(|| "Brightline Media".into()),
        title: None,
        email: Some(format!("{}@acme.test", name.split(' ').next().unwrap())),
        weekly_capacity: 20.0,
        user_id: Some(user),
    };
    app.store.create_person(ws.id, &d).await.unwrap().id
}

async fn world(db: TestDb) -> World {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let ana_user = app.user("ana@acme.test", "Ana Ruiz").await;
    let ws = app.workspace("acme", ana_user).await;
    let ana_person = linked(&app, &ws, ana_user, "Ana Ruiz", PersonKind::Internal).await;
    let sam_user = app.member(&ws, "sam@acme.test", Role::Member).await;
    let sam_person = linked(&app, &ws, sam_user, "Sam Okafor", PersonKind::Internal).await;
    let lena_user = app.member(&ws, "lena@agency.test", Role::Partner).await;
    let lena_person = linked(&app, &ws, lena_user, "Lena Ortiz", PersonKind::Agency).await;
    let viewer_user = app.member(&ws, "vic@acme.test", Role::Viewer).await;
    let workflow = app.workflow(&ws, "Campaign launch", ana_person).await;
    let theirs = app
        .work(&ws, workflow, "Spring webinar", Some(lena_person))
        .await;
    let other = app
        .work(&ws, workflow, "Pricing page", Some(sam_person))
        .await;
    World {
        ana: Api::new(&app, &app.token(&ws, ana_user, Role::Owner).await),
        sam: Api::new(&app, &app.token(&ws, sam_user, Role::Member).await),
        partner: Api::new(&app, &app.token(&ws, lena_user, Role::Partner).await),
        viewer: Api::new(&app, &app.token(&ws, viewer_user, Role::Viewer).await),
        app,
        ws,
        ana_person,
        sam_person,
        theirs,
        other,
    }
}

fn field_message(e: &serde_json::Value, field: &str) -> String {
    e["error"]["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["field"] == field))
        .and_then(|x| x["message"].as_str())
        .unwrap_or_else(|| panic!("no message for {field} in {e}"))
        .to_string()
}

keel_testkit::each_backend!(descriptions_links_and_comments_through_the_api, |db| {
    let w = world(db).await;
    let item = format!("/api/v1/work/{}", w.other);
    let (s, got) = w.ana.get(&item).await;
    assert_eq!((s, got["description"].as_str()), (200, Some("")));
    let v = got["version"].as_i64().unwrap();

    // The description goes with the item's details, in the same version step.
    let body = json!({"title": "Pricing page", "execution_owner_id": w.sam_person, "estimated_hours": 4,
        "description": "**Goal:** one page that answers *what does it cost*.\r\n\r\n- plans\n- FAQ"});
    let (s, got) = w.ana.send_at(Method::PUT, &item, v, Some(body)).await;
    assert_eq!(s, 200, "{got}");
    assert_eq!(
        got["description"].as_str(),
        Some("**Goal:** one page that answers *what does it cost*.\n\n- plans\n- FAQ")
    );
    assert_eq!(got["version"].as_i64(), Some(v + 1));
    // Left out, it stays; a control character is refused with the field named.
    let v = v + 1;
    let body = json!({"title": "Pricing page v2", "execution_owner_id": w.sam_person, "estimated_hours": 4});
    let (s, got) = w.ana.send_at(Method::PUT, &item, v, Some(body)).await;
    assert_eq!(s, 200, "{got}");
    assert!(got["description"]
        .as_str()
        .unwrap()
        .starts_with("**Goal:**"));
    let body = json!({"title": "Pricing page", "estimated_hours": 4, "description": "a\u{0}b"});
    let (s, e) = w.ana.send_at(Method::PUT, &item, v + 1, Some(body)).await;
    assert_eq!(s, 422, "{e}");
    assert!(field_message(&e, "description").contains("control character"));
    // A new item may carry one too; lists leave it out.
    let wf = w
        .app
        .store
        .find_work(w.ws.id, w.other)
        .await
        .unwrap()
        .unwrap()
        .workflow_id;
    let (s, got) = w.sam.send(Method::POST, "/api/v1/work", Some(json!({"workflow_id": wf, "title": "Case study", "description": "Interview two customers."}))).await;
    assert_eq!(
        (s, got["description"].as_str()),
        (201, Some("Interview two customers.")),
        "{got}"
    );
    let (_, list) = w.ana.get("/api/v1/work").await;
    assert!(list["work"][0].get("description").is_none(), "{list}");

    // Links: http(s) only, with a title; removing one names its version.
    let links = format!("{item}/web-links");
    let (s, l) = w
        .sam
        .send(
            Method::POST,
            &links,
            Some(json!({"title": "Pricing draft", "url": " https://docs.example.com/pricing "})),
        )
        .await;
    assert_eq!(
        (s, l["url"].as_str()),
        (201, Some("https://docs.example.com/pricing")),
        "{l}"
    );
    let link = l["id"].as_i64().unwrap();
    for bad in [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "docs.example.com",
    ] {
        let (s, e) = w
            .sam
            .send(
                Method::POST,
                &links,
                Some(json!({"title": "x", "url": bad})),
            )
            .await;
        assert_eq!(s, 422, "{bad}: {e}");
        assert!(field_message(&e, "url").contains("https://"), "{e}");
    }
    let (s, e) = w
        .sam
        .send(
            Method::POST,
            &links,
            Some(json!({"title": " ", "url": "https://example.com"})),
        )
        .await;
    assert_eq!(s, 422);
    assert!(field_message(&e, "title").contains("title"), "{e}");
    let (_, list) = w.ana.get(&links).await;
    assert_eq!(list["web_links"].as_array().unwrap().len(), 1);
    let one = format!("{links}/{link}");
    assert_eq!(w.sam.send(Method::DELETE, &one, None).await.0, 428);
    assert_eq!(w.sam.send_at(Method::DELETE, &one, 7, None).await.0, 412);
    // A link of another item is not found through this one.
    let other_links = format!("/api/v1/work/{}/web-links/{link}", w.theirs);
    assert_eq!(
        w.ana.send_at(Method::DELETE, &other_links, 1, None).await.0,
        404
    );
    assert_eq!(w.viewer.send_at(Method::DELETE, &one, 1, None).await.0, 403);
    assert_eq!(w.sam.send_at(Method::DELETE, &one, 1, None).await.0, 204);
    assert_eq!(
        w.ana.get(&links).await.1["web_links"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // Comments name people the author sees; the named person finds it under My work.
    let comments = format!("{item}/comments");
    let (s, c) = w
        .ana
        .send(
            Method::POST,
            &comments,
            Some(json!({"body": "@sam okafor can you add the FAQ?\n\nThanks"})),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(c["mentions"], json!([w.sam_person]));
    assert_eq!(c["author"].as_str(), Some("Ana Ruiz"));
    assert_eq!(c["author_id"].as_i64(), Some(w.ana_person));
    let (s, e) = w
        .ana
        .send(Method::POST, &comments, Some(json!({"body": "  \n "})))
        .await;
    assert_eq!(
        (s, field_message(&e, "body")),
        (422, "Write the comment first.".to_string())
    );
    // A viewer writes nothing; a partner comments only on its own work, and does not learn
    // that other work exists.
    let (s, _) = w
        .viewer
        .send(Method::POST, &comments, Some(json!({"body": "hello"})))
        .await;
    assert_eq!(s, 403);
    assert_eq!(w.viewer.get(&comments).await.0, 200);
    let (s, _) = w
        .partner
        .send(Method::POST, &comments, Some(json!({"body": "hello"})))
        .await;
    assert_eq!(s, 404);
    assert_eq!(w.partner.get(&comments).await.0, 404);
    assert_eq!(w.partner.get(&links).await.0, 404);
    let theirs = format!("/api/v1/work/{}/comments", w.theirs);
    let (s, pc) = w
        .partner
        .send(
            Method::POST,
            &theirs,
            Some(json!({"body": "Draft is up. @Ana Ruiz please look."})),
        )
        .await;
    assert_eq!(
        (s, pc["mentions"].clone()),
        (201, json!([w.ana_person])),
        "{pc}"
    );
    // Only the author (or an owner or admin) removes a comment.
    let pc_path = format!("{theirs}/{}", pc["id"]);
    assert_eq!(
        w.sam.send_at(Method::DELETE, &pc_path, 1, None).await.0,
        403
    );
    let sam_page = w.app.sign_in("sam@acme.test").await;
    let (_, mine) = sam_page.text("/w/acme/work/mine").await;
    let mentions = &mine[mine.find("id=\"mentions\"").unwrap()..];
    assert!(
        mentions.contains(&format!("/w/acme/work/{}#comment-{}", w.other, c["id"]))
            && mentions.contains("can you add the FAQ?…"),
        "{mentions}"
    );
    // Ana's My work lists the partner's comment on work she sees.
    let ana_page = w.app.sign_in("ana@acme.test").await;
    let (_, mine) = ana_page.text("/w/acme/work/mine").await;
    assert!(
        mine.contains("Draft is up. @Ana Ruiz please look."),
        "{mine}"
    );

    // Erasing Ana: what she wrote goes, her name leaves what others wrote.
    let erased = w
        .app
        .store
        .erase_person(w.ws.id, w.ana_person)
        .await
        .unwrap();
    let (_, list) = w.sam.get(&comments).await;
    assert_eq!(
        list["comments"][0]["body"].as_str(),
        Some(keel_store::ERASED_COMMENT)
    );
    assert_eq!(
        list["comments"][0]["author"].as_str(),
        Some(erased.name.as_str())
    );
    let (_, list) = w.sam.get(&theirs).await;
    let body = list["comments"][0]["body"].as_str().unwrap();
    assert!(
        !body.contains("Ana Ruiz") && body.contains(&erased.name),
        "{body}"
    );
    w.app.stop().await;
});

/// The part of the page from `from` to the next `</section>`.
fn part<'a>(html: &'a str, from: &str) -> &'a str {
    let i = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let rest = &html[i..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn the_page_renders_markdown_safely_and_keeps_what_was_typed() {
    let w = world(TestDb::sqlite().await).await;
    let sam: Browser = w.app.sign_in("sam@acme.test").await;
    let page = format!("/w/acme/work/{}", w.other);
    let version = w
        .app
        .store
        .find_work(w.ws.id, w.other)
        .await
        .unwrap()
        .unwrap()
        .version
        .to_string();
    let hostile = "## Plan\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) and [brief](https://docs.example.com/brief)";
    let r = sam
        .post_form(
            &format!("{page}/description"),
            &[("description", hostile), ("version", &version)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = sam.text(&page).await;
    let d = part(&html, "id=\"description\"");
    let shown = &d[..d.find("<details").unwrap_or(d.len())];
    assert!(shown.contains("<h2>Plan</h2>"), "{shown}");
    assert!(
        shown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{shown}"
    );
    assert!(
        !shown.contains("<script") && !shown.contains("<img") && !shown.contains("javascript:"),
        "{shown}"
    );
    assert!(shown.contains("<a href=\"https://docs.example.com/brief\" rel=\"noopener noreferrer nofollow\">brief</a>"), "{shown}");
    // A stale save keeps the text and says why.
    let r = sam
        .post_form(
            &format!("{page}/description"),
            &[("description", "Newer words"), ("version", &version)],
        )
        .await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Someone else changed this item") && html.contains(">Newer words</textarea>"),
        "{html}"
    );

    // A bad link keeps what was typed, with the reason at the field.
    let r = sam
        .post_form(
            &format!("{page}/web-links"),
            &[("title", "Draft"), ("url", "javascript:alert(1)")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    let l = part(&html, "id=\"web-links\"");
    assert!(
        l.contains("value=\"Draft\"") && l.contains("value=\"javascript:alert(1)\""),
        "{l}"
    );
    assert!(l.contains("A link starts with https://"), "{l}");
    assert!(!l.contains("href=\"javascript"), "{l}");
    let r = sam
        .post_form(
            &format!("{page}/web-links"),
            &[("title", "Draft"), ("url", "https://docs.example.com/d")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = sam.text(&page).await;
    assert!(part(&html, "id=\"web-links\"").contains("<a href=\"https://docs.example.com/d\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">Draft</a>"));

    // An empty comment is refused; a comment naming Ana shows, rendered, and Ana sees the mark.
    let r = sam
        .post_form(&format!("{page}/comments"), &[("body", "   ")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Write the comment first."));
    let r = sam
        .post_form(
            &format!("{page}/comments"),
            &[("body", "@Ana Ruiz the **FAQ** is in. <b>raw</b>")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let ana = w.app.sign_in("ana@acme.test").await;
    let (_, html) = ana.text(&page).await;
    let c = part(&html, "id=\"comments\"");
    assert!(
        c.contains("<strong>FAQ</strong>") && c.contains("&lt;b&gt;raw&lt;/b&gt;"),
        "{c}"
    );
    assert!(c.contains("names you"), "{c}");
    // The viewer reads it all and has no form to write with.
    let vic = w.app.sign_in("vic@acme.test").await;
    let (_, html) = vic.text(&page).await;
    assert!(html.contains("<strong>FAQ</strong>") && !html.contains("name=\"body\""));
    let r = vic
        .post_form(&format!("{page}/comments"), &[("body", "hi")])
        .await;
    assert_eq!(r.status(), 403);
    w.app.stop().await;
}

/// How many buttons of the page are primary: the one move this state asks for.
fn primaries(html: &str) -> Vec<String> {
    html.match_indices("class=\"primary\"")
        .map(|(i, _)| {
            let rest = &html[i..];
            let a = rest.find('>').unwrap() + 1;
            rest[a..a + rest[a..].find('<').unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn each_state_of_the_item_page_has_one_primary_action() {
    let w = world(TestDb::sqlite().await).await;
    let sam = w.app.sign_in("sam@acme.test").await;
    let page = format!("/w/acme/work/{}", w.other);
    let (_, html) = sam.text(&page).await;
    assert_eq!(primaries(&html), ["Pass the gate"]);
    // Blocked: unblocking is the move; passing the gate is not offered.
    let item = w
        .app
        .store
        .find_work(w.ws.id, w.other)
        .await
        .unwrap()
        .unwrap();
    let r = sam
        .post_form(
            &format!("{page}/move"),
            &[
                ("action", "block"),
                ("reason", "Legal review"),
                ("version", &item.version.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = sam.text(&page).await;
    assert_eq!(primaries(&html), ["Unblock"]);
    // Cancelled: reopen.
    let item = w
        .app
        .store
        .find_work(w.ws.id, w.other)
        .await
        .unwrap()
        .unwrap();
    let r = sam
        .post_form(
            &format!("{page}/move"),
            &[("action", "cancel"), ("version", &item.version.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = sam.text(&page).await;
    assert_eq!(primaries(&html), ["Reopen"]);
    // A viewer has no move at all.
    let vic = w.app.sign_in("vic@acme.test").await;
    let (_, html) = vic.text(&format!("/w/acme/work/{}", w.theirs)).await;
    assert!(primaries(&html).is_empty());
    w.app.stop().await;
}
