//! The audit log over HTTP: every write route, walked as the isolation test walks them,
//! records its author (the account, and its token through the API) and nothing else does;
//! an update shows its fields before and after on the page and in the API; only owners and
//! admins read it; sign-ins are in it. Both backends.

mod common;
#[path = "audit_walk/fixture.rs"]
mod fixture;

use common::{Api, TestApp};
use fixture::{body_for, fill, Fixture};
use keel_domain::Role;
use keel_store::{AuditEntry, AuditFilter};
use keel_testkit::TestDb;
use keel_web::routes::all;
use reqwest::Method;
use std::collections::BTreeSet;

/// Write routes outside any workspace's log, with the reason.
const NOT_WALKED: &[(&str, &str)] = &[
    ("/login", "a sign-in: an account event, tested below"),
    ("/logout", "ends the caller's own session (server data)"),
    ("/setup", "the first run: refused once an account exists"),
    (
        "/workspaces",
        "makes another workspace, audited in its own log",
    ),
    ("/invite/{code}", "needs the invitation's secret code"),
    (
        "/account/digest",
        "the caller's own memberships in every workspace; its entry is tested in digest.rs",
    ),
    (
        "/password/forgot",
        "an account event, not a workspace change: tested in password_reset.rs",
    ),
    (
        "/password/reset/{code}",
        "needs the mailed secret code; its account event is tested in password_reset.rs",
    ),
];

/// API writes that may answer 2xx and change nothing on this walk, with the reason.
const MAY_CHANGE_NOTHING: &[(&str, &str)] = &[
    (
        "/api/v1/metrics/{id}/measurements/bulk",
        "resends the value the single route just stored: idempotent per period, nothing changes",
    ),
    (
        "/api/v1/metrics/{id}/measurements/import",
        "loads the value the single route just stored: idempotent per period, nothing changes",
    ),
    (
        "/api/v1/leads/bulk",
        "resends the lead the single route just stored: idempotent by record id",
    ),
];

/// Every entry of every workspace newer than `after`.
async fn entries_since(app: &TestApp, after: i64) -> Vec<AuditEntry> {
    let mut out = Vec::new();
    for w in app.store.list_workspaces().await.unwrap() {
        let mut before = None;
        loop {
            let page = app
                .store
                .list_audit(
                    w.id,
                    &AuditFilter {
                        before_id: before,
                        limit: 200,
                        ..AuditFilter::default()
                    },
                )
                .await
                .unwrap();
            let done = page.len() < 200 || page.last().is_some_and(|e| e.id <= after);
            before = page.last().map(|e| e.id);
            out.extend(page.into_iter().filter(|e| e.id > after));
            if done {
                break;
            }
        }
    }
    out.sort_by_key(|e| e.id);
    out.dedup_by_key(|e| e.id);
    out
}

async fn last_id(app: &TestApp) -> i64 {
    entries_since(app, 0).await.last().map_or(0, |e| e.id)
}

/// Deletes last, so the records the other routes change are still there.
fn walk_order(path: &str, method: &Method) -> u8 {
    if *method == Method::DELETE || path.ends_with("/delete") || path.ends_with("/erase") {
        1
    } else {
        0
    }
}

async fn every_write_route_records_its_author(db: TestDb) {
    let f: Fixture = fixture::fixture(db).await;
    let app = &f.app;
    let ws = app
        .store
        .find_workspace_by_slug("alpha")
        .await
        .unwrap()
        .unwrap();
    let owner = app
        .store
        .find_user_by_email("owner@a.test")
        .await
        .unwrap()
        .unwrap();
    let token = app.token(&ws, owner.id, Role::Owner).await;
    let token_id = app
        .store
        .list_tokens(ws.id, Some(owner.id))
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .max()
        .unwrap();
    let api = Api::new(app, &token);
    let browser = app.sign_in("owner@a.test").await;
    let csrf = browser.csrf("/w/alpha/tokens").await;

    let mut routes: Vec<_> = all()
        .into_iter()
        .filter(|r| r.method != Method::GET)
        .filter(|r| !NOT_WALKED.iter().any(|(p, _)| *p == r.path))
        .collect();
    routes.sort_by_key(|r| walk_order(r.path, &r.method));
    let mut recorded: BTreeSet<String> = BTreeSet::new();
    let mut walked = 0;
    for r in &routes {
        let url = fill(r.path, &f);
        let mark = last_id(app).await;
        let (status, is_api) = if r.path.starts_with("/api/") {
            let mut req = api.req(r.method.clone(), &url);
            // Name the version the record is at now, as a well-behaved client does.
            let etag = api
                .req(Method::GET, &url)
                .send()
                .await
                .ok()
                .and_then(|g| g.headers().get("etag").cloned());
            req = req.header(
                "if-match",
                etag.unwrap_or_else(|| reqwest::header::HeaderValue::from_static("\"1\"")),
            );
            if r.method != Method::DELETE {
                req = req.json(&body_for(r.path));
            }
            (req.send().await.unwrap().status().as_u16(), true)
        } else {
            let res = browser
                .post_form_raw(
                    &url,
                    &[
                        ("csrf", &csrf),
                        ("name", "Changed"),
                        ("kind", "internal"),
                        ("sourcing", "internal"),
                        ("role", "viewer"),
                        ("weekly_capacity", "20"),
                        ("title", "Changed"),
                        ("outcome", "Changed"),
                        ("confirm", "Lead Internal"),
                    ],
                )
                .await;
            (res.status().as_u16(), false)
        };
        walked += 1;
        let new = entries_since(app, mark).await;
        for e in &new {
            assert_eq!(
                e.actor_user_id,
                Some(owner.id),
                "{} {url} ({status}) wrote {} #{:?} without its author: {e:?}",
                r.method,
                e.record_type,
                e.record_id
            );
            if is_api {
                assert_eq!(
                    e.actor_token_id,
                    Some(token_id),
                    "{} {url}: {e:?}",
                    r.method
                );
                assert_eq!(e.via, "api");
            } else {
                assert_eq!((e.actor_token_id, e.via.as_str()), (None, "web"));
            }
        }
        // An API call that made something (201) or changed or removed it (PUT/DELETE 2xx)
        // is in the log. A POST answering 200 may have found what it asked for already there
        // (starting today's review twice); a page's 303 may be a refusal sent back to the form.
        let changed = status == 201
            || ((r.method == Method::PUT || r.method == Method::DELETE)
                && (200..300).contains(&status));
        if is_api && changed && !MAY_CHANGE_NOTHING.iter().any(|(p, _)| *p == r.path) {
            assert!(
                !new.is_empty(),
                "{} {url} answered {status} but recorded nothing",
                r.method
            );
        }
        if !new.is_empty() {
            recorded.insert(format!("{} {}", r.method, r.path));
        }
    }
    eprintln!(
        "audit walk: {walked} write routes, {} recorded changes:\n{}",
        recorded.len(),
        recorded.iter().cloned().collect::<Vec<_>>().join("\n")
    );
    // The walk really changes things, through pages and the API alike.
    for must in [
        "POST /api/v1/people",
        "PUT /api/v1/people/{id}",
        "DELETE /api/v1/people/{id}",
        "POST /w/{ws}/people",
        "POST /w/{ws}/functions",
        "PUT /api/v1/work/{id}",
        "PUT /api/v1/work/{id}/checks/{index}",
        "PUT /api/v1/members/{id}",
        "PUT /api/v1/settings",
        "POST /w/{ws}/tokens",
        "POST /api/v1/leads/{id}/feedback",
        "PUT /api/v1/reviews/{id}/notes",
    ] {
        assert!(recorded.contains(must), "{must} recorded nothing");
    }
    assert!(
        recorded.len() >= 45,
        "only {} routes recorded",
        recorded.len()
    );
    // A sign-in is in the log too, as the owner's.
    let signed: Vec<_> = entries_since(app, 0)
        .await
        .into_iter()
        .filter(|e| e.action == "sign_in")
        .collect();
    assert!(signed.iter().any(|e| e.actor_user_id == Some(owner.id)));
    f.app.stop().await;
}

keel_testkit::each_backend!(
    every_write_route_records_its_author_and_nothing_else_does,
    |db| {
        every_write_route_records_its_author(db).await;
    }
);

keel_testkit::each_backend!(
    an_update_shows_its_fields_before_and_after_to_admins_only,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let owner = app.user("owner@a.test", "Olga Owner").await;
        let ws = app.workspace("alpha", owner).await;
        app.member(&ws, "admin@a.test", Role::Admin).await;
        let member = app.member(&ws, "member@a.test", Role::Member).await;
        app.member(&ws, "viewer@a.test", Role::Viewer).await;
        app.member(&ws, "partner@a.test", Role::Partner).await;
        let lead = app
            .person(&ws, "Lead Internal", keel_domain::PersonKind::Internal)
            .await;
        let wf = app.workflow(&ws, "Campaign launch", lead).await;
        let item = app.work(&ws, wf, "Spring webinar", Some(lead)).await;

        // A member renames the work item through the API.
        let api = Api::new(&app, &app.token(&ws, member, Role::Member).await);
        let (s, _) = api
            .send_at(
                Method::PUT,
                &format!("/api/v1/work/{item}"),
                1,
                Some(serde_json::json!({"title": "Spring webinar <b>2027</b>"})),
            )
            .await;
        assert_eq!(s, 200);

        // An admin's token reads it, filtered to the record.
        let admin = app
            .store
            .find_user_by_email("admin@a.test")
            .await
            .unwrap()
            .unwrap();
        let admin_api = Api::new(&app, &app.token(&ws, admin.id, Role::Admin).await);
        let (s, body) = admin_api
            .get(&format!("/api/v1/audit?type=work_items&record={item}"))
            .await;
        assert_eq!(s, 200, "{body}");
        let e = &body["entries"][0];
        assert_eq!(e["action"], "update");
        assert_eq!(e["actor"]["user_id"], member);
        assert_eq!(e["actor"]["via"], "api");
        assert_eq!(e["before"]["title"], "Spring webinar");
        assert_eq!(e["after"]["title"], "Spring webinar <b>2027</b>");
        assert_eq!(
            body["entries"].as_array().unwrap().len(),
            2,
            "created, then renamed"
        );
        // By person, a page at a time.
        let (_, by_member) = admin_api
            .get(&format!("/api/v1/audit?person={member}&limit=1"))
            .await;
        assert_eq!(by_member["entries"].as_array().unwrap().len(), 1);
        assert!(by_member["next_before"].is_i64() || by_member["next_before"].is_null());
        // Bad filters are refused in words.
        for bad in [
            "type=Work%20Items",
            "type=",
            "type=work_items&record=",
            "record=12",
            "from=tomorrow",
            "limit=0",
            "from=2026-12-02&to=2026-12-01",
        ] {
            let (s, b) = admin_api.get(&format!("/api/v1/audit?{bad}")).await;
            assert_eq!(s, 400, "{bad}: {b}");
            assert!(
                b["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
                "{b}"
            );
        }

        // The page, from the work item's "History of changes" link.
        let b = app.sign_in("owner@a.test").await;
        let (_, page) = b.text(&format!("/w/alpha/work/{item}")).await;
        let link = format!("/w/alpha/audit?type=work_items&amp;record={item}");
        assert!(page.contains(&link), "no history link on the work item");
        let (s, html) = b
            .text(&format!("/w/alpha/audit?type=work_items&record={item}"))
            .await;
        assert_eq!(s, 200);
        assert!(html.contains("History of changes: Work item #"), "{html}");
        assert!(html.contains("member user (API token “test”)"), "{html}");
        assert!(
            html.contains("Spring webinar → Spring webinar &#60;b&#62;2027&#60;/b&#62;"),
            "{html}"
        );
        let (s, html) = b.text("/w/alpha/audit?from=soon").await;
        assert_eq!(s, 200);
        assert!(html.contains("Some filters could not be read"), "{html}");

        // Everyone else: refused, and no link.
        for (email, role) in [
            ("member@a.test", Role::Member),
            ("viewer@a.test", Role::Viewer),
            ("partner@a.test", Role::Partner),
        ] {
            let b = app.sign_in(email).await;
            let s = b.get("/w/alpha/audit").await.status().as_u16();
            assert!(s == 403 || s == 404, "{role} got {s} on the page");
            let user = app.store.find_user_by_email(email).await.unwrap().unwrap();
            let api = Api::new(&app, &app.token(&ws, user.id, role).await);
            let (s, _) = api.get("/api/v1/audit").await;
            assert!(s == 403 || s == 404, "{role} got {s} from the API");
            if role == Role::Member {
                let (_, page) = b.text(&format!("/w/alpha/work/{item}")).await;
                assert!(!page.contains("/audit?"), "a member sees the history link");
            }
        }
        // An owner's token narrowed to member cannot read it either.
        let narrowed = Api::new(&app, &app.token(&ws, owner, Role::Member).await);
        assert_eq!(narrowed.get("/api/v1/audit").await.0, 403);
        app.stop().await;
    }
);
