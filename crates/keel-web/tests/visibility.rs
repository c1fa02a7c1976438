//! A hidden record is the same as a missing one: a partner's pickers, linked names and ids in
//! bodies go through the same view as its lists, and no credential grants more than its
//! maker may see and do.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonDraft, PersonKind, Role};
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::Connection;
use std::collections::BTreeSet;

struct World {
    app: TestApp,
    /// Tokens of one user per role.
    tokens: Vec<(Role, String)>,
    /// The partner's own item (it executes it) and an item it has no part in.
    own_item: i64,
    hidden_item: i64,
    /// A person the partner does not see, and one it does.
    hidden_person: i64,
    agency: i64,
    /// The workflow of the partner's item, in which it holds no role.
    own_workflow: i64,
    partner_email: String,
}

async fn world() -> World {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@a.test", "Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let mut users = vec![(Role::Owner, owner)];
    for role in [Role::Admin, Role::Member, Role::Viewer, Role::Partner] {
        let u = app.member(&ws, &format!("{role}@a.test"), role).await;
        users.push((role, u));
    }
    let partner_user = users.iter().find(|(r, _)| *r == Role::Partner).unwrap().1;
    let lead = app.person(&ws, "Lead Internal", PersonKind::Internal).await;
    let hidden_person = app.person(&ws, "Secret Person", PersonKind::Internal).await;
    let agency = app
        .store
        .create_person(
            ws.id,
            &PersonDraft {
                name: "Agency Person".into(),
                kind: PersonKind::Agency,
                organization: Some("Brightline".into()),
                title: None,
                email: None,
                weekly_capacity: 20.0,
                user_id: Some(partner_user),
            },
        )
        .await
        .unwrap()
        .id;
    app.function(&ws, "Paid media", Some(lead), Some(agency))
        .await;
    app.function(
        &ws,
        "Secret strategy",
        Some(hidden_person),
        Some(hidden_person),
    )
    .await;
    let own_workflow = app.workflow(&ws, "Campaign launch", lead).await;
    let other_workflow = app.workflow(&ws, "Secret launches", hidden_person).await;
    let own_item = app
        .work(&ws, own_workflow, "Spring webinar", Some(agency))
        .await;
    app.work(&ws, own_workflow, "Retargeting ads", Some(agency))
        .await;
    let hidden_item = app
        .work(
            &ws,
            other_workflow,
            "Secret acquisition",
            Some(hidden_person),
        )
        .await;
    let mut tokens = Vec::new();
    for (role, u) in users {
        tokens.push((role, app.token(&ws, u, role).await));
    }
    World {
        app,
        tokens,
        own_item,
        hidden_item,
        hidden_person,
        agency,
        own_workflow,
        partner_email: "partner@a.test".into(),
    }
}

impl World {
    fn api(&self, role: Role) -> Api {
        let t = &self.tokens.iter().find(|(r, _)| *r == role).unwrap().1;
        Api::new(&self.app, t)
    }
}

/// The ids a credential reads in each list, and whether it reads the members at all.
async fn sight(api: &Api) -> (BTreeSet<String>, bool) {
    let mut ids = BTreeSet::new();
    for (path, key) in [
        ("/api/v1/people?limit=500", "people"),
        ("/api/v1/functions?limit=500", "functions"),
        ("/api/v1/workflows", "workflows"),
        ("/api/v1/work?limit=500", "work"),
    ] {
        let (s, v) = api.get(path).await;
        assert_eq!(s, 200, "{path}: {v}");
        for x in v[key].as_array().unwrap() {
            ids.insert(format!("{key}/{}", x["id"]));
        }
    }
    let members = api.get("/api/v1/members").await.0 == 200;
    (ids, members)
}

#[tokio::test]
async fn no_role_mints_a_token_that_sees_or_does_more_than_itself() {
    let w = world().await;
    let mut minted = 0;
    for (caller, _) in &w.tokens {
        let api = w.api(*caller);
        for wanted in Role::ALL {
            // Read before each mint: a probe write below may add a record.
            let (mine, my_members) = sight(&api).await;
            let (s, t) = api
                .send(
                    Method::POST,
                    "/api/v1/tokens",
                    Some(json!({"name": "x", "role": wanted.as_str()})),
                )
                .await;
            if !caller.may_mint_token(wanted) {
                assert_eq!(s, 422, "{caller} minted {wanted}: {t}");
                continue;
            }
            assert_eq!(s, 201, "{caller} could not mint {wanted}: {t}");
            minted += 1;
            let new = Api::new(&w.app, t["token"].as_str().unwrap());
            let (theirs, their_members) = sight(&new).await;
            assert!(
                theirs.is_subset(&mine),
                "{caller}'s {wanted} token reads more: {:?}",
                theirs.difference(&mine).collect::<Vec<_>>()
            );
            assert!(
                my_members || !their_members,
                "{caller}'s {wanted} token reads members"
            );
            // What the new token may change, its maker may change too.
            let (s, _) = new
                .send(
                    Method::POST,
                    "/api/v1/people",
                    Some(json!({"name": "Probe", "kind": "internal"})),
                )
                .await;
            if s == 201 {
                assert!(caller.can_edit_model(), "{caller}'s {wanted} token edits");
            }
        }
    }
    // The partner's own attack: a viewer token would read the whole workspace.
    let partner = w.api(Role::Partner);
    let (s, e) = partner
        .send(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "x", "role": "viewer"})),
        )
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("role"))
    );
    assert!(minted >= 12, "only {minted} tokens minted");
}

#[tokio::test]
async fn no_manager_grants_a_role_its_own_does_not_cover() {
    let w = world().await;
    let admin = w.api(Role::Admin);
    for (role, status) in [
        ("owner", 422),
        ("admin", 201),
        ("partner", 201),
        ("viewer", 201),
    ] {
        let (s, e) = admin
            .send(Method::POST, "/api/v1/invites", Some(json!({"role": role})))
            .await;
        assert_eq!(s, status, "admin inviting {role}: {e}");
    }
    for role in [Role::Member, Role::Viewer, Role::Partner] {
        let (s, _) = w
            .api(role)
            .send(
                Method::POST,
                "/api/v1/invites",
                Some(json!({"role": "viewer"})),
            )
            .await;
        assert_eq!(s, 403, "{role} invited someone");
    }
}

fn options_of(html: &str, select: &str) -> Vec<String> {
    let start = html
        .find(&format!("name=\"{select}\""))
        .unwrap_or_else(|| panic!("no {select} picker"));
    let end = start + html[start..].find("</select>").unwrap();
    html[start..end]
        .split("<option")
        .skip(1)
        .map(|o| {
            o.split('>')
                .nth(1)
                .unwrap_or("")
                .split('<')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_partners_pages_show_only_what_its_lists_show() {
    let w = world().await;
    let b = w.app.sign_in(&w.partner_email).await;
    let (s, page) = b.text(&format!("/w/alpha/work/{}", w.own_item)).await;
    assert_eq!(s, 200);
    assert!(
        !page.contains("Secret"),
        "the item page names a hidden record"
    );
    let deps = options_of(&page, "blocked_by");
    assert_eq!(deps, ["Retargeting ads"]);
    let owners = options_of(&page, "execution_owner_id");
    assert!(
        owners.iter().all(|o| !o.contains("Secret Person")),
        "{owners:?}"
    );
    // A person page of someone it sees lists only the functions it sees.
    let (s, lead) = b.text("/w/alpha/people").await;
    assert_eq!(s, 200);
    assert!(
        !lead.contains("Secret"),
        "the people list names a hidden person"
    );
    let (s, _) = b
        .text(&format!("/w/alpha/people/{}", w.hidden_person))
        .await;
    assert_eq!(s, 404);
    let (s, me) = b.text(&format!("/w/alpha/people/{}", w.agency)).await;
    assert_eq!(s, 200);
    assert!(me.contains("Paid media") && !me.contains("Secret strategy"));
    // The work list names the workflow of its own item, and it can read that SOP.
    let (_, list) = b.text("/w/alpha/work").await;
    assert!(list.contains("Campaign launch") && !list.contains("Secret launches"));
    let (s, sop) = b
        .text(&format!("/w/alpha/workflows/{}", w.own_workflow))
        .await;
    assert_eq!(s, 200);
    assert!(sop.contains("Campaign launch"));
    let (s, _) = w
        .api(Role::Partner)
        .get(&format!("/api/v1/workflows/{}", w.own_workflow))
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn a_hidden_id_in_a_body_is_refused_like_a_missing_one_and_changes_nothing() {
    let w = world().await;
    let partner = w.api(Role::Partner);
    let item = format!("/api/v1/work/{}", w.own_item);
    let version = partner.get(&item).await.1["version"].as_i64().unwrap();
    let body = |contributor: i64| json!({"title": "Spring webinar", "execution_owner_id": w.agency, "contributor_ids": [contributor]});
    let (s1, hidden) = partner
        .send_at(Method::PUT, &item, version, Some(body(w.hidden_person)))
        .await;
    let (s2, missing) = partner
        .send_at(Method::PUT, &item, version, Some(body(999_999)))
        .await;
    assert_eq!((s1, s2), (422, 422), "{hidden} / {missing}");
    assert_eq!(hidden["error"], missing["error"]);

    let deps = format!("{item}/dependencies");
    let (s1, hidden) = partner
        .send(
            Method::POST,
            &deps,
            Some(json!({"blocked_by": w.hidden_item})),
        )
        .await;
    let (s2, missing) = partner
        .send(Method::POST, &deps, Some(json!({"blocked_by": 999_999})))
        .await;
    assert_eq!((s1, s2), (422, 422), "{hidden} / {missing}");
    assert_eq!(hidden["error"], missing["error"]);
    assert!(!hidden.to_string().contains("Secret"));
    // Nothing was recorded: the owner sees no dependency and no contributor.
    let owner = w.api(Role::Owner);
    let (_, d) = owner.get(&deps).await;
    assert_eq!(d["dependencies"].as_array().unwrap().len(), 0);
    let (_, i) = owner.get(&item).await;
    assert_eq!(i["version"].as_i64(), Some(version));
    // A dependency the partner cannot see does not show in its list either.
    owner
        .send(
            Method::POST,
            &deps,
            Some(json!({"blocked_by": w.hidden_item})),
        )
        .await;
    assert_eq!(
        owner.get(&deps).await.1["dependencies"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (_, d) = partner.get(&deps).await;
    assert_eq!(d["dependencies"], json!([]));
    let (s, _) = partner
        .send(Method::DELETE, &format!("{deps}/{}", w.hidden_item), None)
        .await;
    assert_eq!(s, 404);
}

async fn feed_of(app: &TestApp, browser: &common::Browser, person: Option<i64>) -> String {
    let csrf = browser.csrf("/w/alpha/calendar").await;
    let person = person.map(|p| p.to_string()).unwrap_or_default();
    let r = browser
        .post_form(
            "/w/alpha/calendar",
            &[("csrf", &csrf), ("person_id", &person)],
        )
        .await;
    let html = r.text().await.unwrap();
    let start = html.find("/calendar/").expect("a feed address");
    let rest = &html[start..];
    let end = rest.find(".ics").unwrap() + 4;
    app.url(&rest[..end])
}

#[tokio::test]
async fn a_calendar_feed_ends_with_its_owners_membership_and_shows_only_what_they_see() {
    let w = world().await;
    let owner = w.api(Role::Owner);
    // Both items get a launch date, so each would be an event.
    for id in [w.own_item, w.hidden_item] {
        let url = format!("/api/v1/work/{id}");
        let (_, i) = owner.get(&url).await;
        let (s, e) = owner
            .send_at(
                Method::PUT,
                &url,
                i["version"].as_i64().unwrap(),
                Some(json!({"title": i["title"], "execution_owner_id": i["execution_owner_id"], "planned_launch": "2099-05-01"})),
            )
            .await;
        assert_eq!(s, 200, "{e}");
    }
    let b = w.app.sign_in(&w.partner_email).await;
    let feed = feed_of(&w.app, &b, Some(w.agency)).await;
    let ics = reqwest::get(&feed).await.unwrap().text().await.unwrap();
    assert!(
        ics.contains("Spring webinar") && !ics.contains("Secret"),
        "{ics}"
    );
    // The partner leaves the workspace: its feed stops answering.
    let members: Value = owner.get("/api/v1/members").await.1;
    let partner = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == w.partner_email.as_str())
        .unwrap();
    let partner_id = partner["user_id"].as_i64().unwrap();
    let (s, _) = owner
        .send_at(
            Method::DELETE,
            &format!("/api/v1/members/{partner_id}"),
            partner["version"].as_i64().unwrap(),
            None,
        )
        .await;
    assert_eq!(s, 204);
    assert_eq!(reqwest::get(&feed).await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_partner_reads_the_sop_of_work_it_finished_long_ago_and_no_other() {
    let w = world().await;
    let ws = w
        .app
        .store
        .find_workspace_by_slug("alpha")
        .await
        .unwrap()
        .unwrap();
    let lead = w
        .app
        .person(&ws, "Archive Lead", PersonKind::Internal)
        .await;
    let archive = w.app.workflow(&ws, "Archived launches", lead).await;
    let untouched = w.app.workflow(&ws, "Untouched launches", lead).await;
    let old = w
        .app
        .work(&ws, archive, "Last year's webinar", Some(w.agency))
        .await;
    // Done and older than the model keeps finished work: as the app cannot make it, age it.
    let url = &w.app.db.as_ref().unwrap().url;
    let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
    sqlx::query("UPDATE work_items SET status = 'done', created_at = 1 WHERE id = $1")
        .bind(old)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let b = w.app.sign_in(&w.partner_email).await;
    let (s, item) = b.text(&format!("/w/alpha/work/{old}")).await;
    assert_eq!(s, 200);
    let link = format!("/w/alpha/workflows/{archive}");
    assert!(item.contains(&link), "the item links its SOP");
    let (s, sop) = b.text(&link).await;
    assert_eq!(s, 200, "{sop}");
    assert!(sop.contains("Archived launches") && sop.contains("Quality standard"));
    assert!(sop.contains("Archive Lead"), "the SOP names its owners");
    let (s, md) = b.text(&format!("{link}/sop.md")).await;
    assert_eq!(s, 200);
    assert!(md.contains("Archived launches"));
    // A workflow it has no work or role in stays missing, as does the other workspace data.
    for path in [
        format!("/w/alpha/workflows/{untouched}"),
        format!("/w/alpha/workflows/{untouched}/history"),
        format!("/w/alpha/workflows/{untouched}/sop.md"),
    ] {
        let (s, _) = b.text(&path).await;
        assert_eq!(s, 404, "{path}");
    }
    let (_, list) = b.text("/w/alpha/work").await;
    assert!(!list.contains("Untouched launches"));
}
