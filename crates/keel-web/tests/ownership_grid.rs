//! The ownership grid and `PUT /api/v1/ownership`: the owners of many functions set in one
//! page or call, a row at a time or all at once, all or nothing; a row someone else changed
//! meanwhile is refused and shown as it is now while the other rows keep what was typed;
//! owners from elsewhere, external business owners and other workspaces' functions are
//! refused by row. Both backends.

mod common;

use common::{Api, Browser, TestApp};
use keel_domain::{Function, FunctionDraft, PersonKind, Role};
use keel_store::{Store, WorkspaceId};
use keel_testkit::TestDb;
use reqwest::Method;
use serde_json::json;

struct Team {
    app: TestApp,
    ws: WorkspaceId,
    maya: i64,
    sam: i64,
    lena: i64,
    content: i64,
    events: i64,
    paid: i64,
}

async fn team(db: TestDb) -> Team {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let ana = app.user("ana@acme.test", "Ana Ruiz").await;
    let ws = app.workspace("acme", ana).await;
    app.member(&ws, "vic@acme.test", Role::Viewer).await;
    let maya = app.person(&ws, "Maya Chen", PersonKind::Internal).await;
    let sam = app.person(&ws, "Sam Okafor", PersonKind::Internal).await;
    let lena = app.person(&ws, "Lena Ortiz", PersonKind::Agency).await;
    let content = app.function(&ws, "Podcast", None, None).await;
    let events = app.function(&ws, "Events", None, None).await;
    let paid = app.function(&ws, "Paid media", None, None).await;
    Team {
        ws: ws.id,
        app,
        maya,
        sam,
        lena,
        content,
        events,
        paid,
    }
}

async fn function(store: &Store, ws: WorkspaceId, id: i64) -> Function {
    store.find_function(ws, id).await.unwrap().unwrap()
}

/// The grid's fields for one row: what it was read with and what is chosen now.
fn row(f: &Function, business: Option<i64>, execution: Option<i64>) -> Vec<(String, String)> {
    let id = |o: Option<i64>| o.map(|i| i.to_string()).unwrap_or_default();
    vec![
        ("function_id".into(), f.id.to_string()),
        ("version".into(), f.version.to_string()),
        ("was_business".into(), id(f.business_owner_id)),
        ("was_execution".into(), id(f.execution_owner_id)),
        ("business_owner_id".into(), id(business)),
        ("execution_owner_id".into(), id(execution)),
    ]
}

async fn post(b: &Browser, fields: &[(String, String)]) -> (u16, String, String) {
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = b.post_form("/w/acme/functions/owners", &f).await;
    let s = r.status().as_u16();
    let loc = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (s, loc, r.text().await.unwrap())
}

/// The option a row's picker shows as chosen: `<option value="7" selected>`.
fn chosen(html: &str, function: &str, picker: &str, person: i64) -> bool {
    let label = format!("aria-label=\"{picker} of {function}\"");
    let Some(at) = html.find(&label) else {
        return false;
    };
    let select = &html[at..at + html[at..].find("</select>").unwrap()];
    select.contains(&format!("<option value=\"{person}\" selected>"))
}

keel_testkit::each_backend!(
    the_grid_saves_a_row_or_every_change_and_refuses_a_stale_row,
    |db| {
        let t = team(db).await;
        let (store, ws) = (&t.app.store, t.ws);
        let b = t.app.sign_in("ana@acme.test").await;
        let (s, html) = b.text("/w/acme/functions/owners").await;
        assert_eq!(s, 200);
        for name in ["Podcast", "Events", "Paid media"] {
            assert!(html.contains(&format!("aria-label=\"Business owner of {name}\"")));
        }
        // Business pickers offer internal people only; execution pickers everyone.
        let business = &html[html.find("Business owner of Podcast").unwrap()..];
        let business = &business[..business.find("</select>").unwrap()];
        assert!(
            business.contains("Maya Chen") && !business.contains("Lena Ortiz"),
            "{business}"
        );
        let execution = &html[html.find("Execution owner of Podcast").unwrap()..];
        let execution = &execution[..execution.find("</select>").unwrap()];
        assert!(
            execution.contains("Lena Ortiz") && execution.contains("(external)"),
            "{execution}"
        );

        // Save all: two rows changed, the third untouched (its version stays).
        let (content, events, paid) = (
            function(store, ws, t.content).await,
            function(store, ws, t.events).await,
            function(store, ws, t.paid).await,
        );
        let mut all = row(&content, Some(t.maya), Some(t.lena));
        all.extend(row(&events, Some(t.sam), Some(t.sam)));
        all.extend(row(&paid, None, None));
        let (s, loc, _) = post(&b, &all).await;
        assert_eq!(
            (s, loc.as_str()),
            (303, "/w/acme/functions/owners?notice=owners-saved")
        );
        let content = function(store, ws, t.content).await;
        assert_eq!(
            (
                content.business_owner_id,
                content.execution_owner_id,
                content.version
            ),
            (Some(t.maya), Some(t.lena), 2)
        );
        assert_eq!(
            function(store, ws, t.paid).await.version,
            1,
            "untouched rows are not written"
        );

        // One row saved by its own button; the other changed row keeps what was typed.
        let events = function(store, ws, t.events).await;
        let paid = function(store, ws, t.paid).await;
        let mut form = row(&content, Some(t.maya), Some(t.sam));
        form.extend(row(&events, Some(t.maya), Some(t.sam)));
        form.extend(row(&paid, None, None));
        let mut one = form.clone();
        one.push(("only".into(), t.content.to_string()));
        let (s, _, html) = post(&b, &one).await;
        assert_eq!(s, 200, "{html}");
        assert!(html.contains("Owners saved."));
        assert_eq!(
            function(store, ws, t.content).await.execution_owner_id,
            Some(t.sam)
        );
        assert_eq!(
            function(store, ws, t.events).await.business_owner_id,
            Some(t.sam),
            "not saved yet"
        );
        assert!(
            chosen(&html, "Events", "Business owner", t.maya),
            "what was typed is kept"
        );
        assert!(html.contains("not saved"));

        // Someone else changes Events meanwhile. Saving everything refuses it and saves
        // nothing; Events is shown as it is now, Paid media keeps what was typed.
        let now = FunctionDraft {
            name: "Events".into(),
            description: None,
            sourcing: keel_domain::Sourcing::Hybrid,
            business_owner_id: Some(t.sam),
            execution_owner_id: Some(t.lena),
            weekly_hours: 5.0,
        };
        store
            .update_function(ws, t.events, events.version, &now)
            .await
            .unwrap();
        let mut stale = row(&events, Some(t.maya), Some(t.sam));
        stale.extend(row(&paid, Some(t.maya), Some(t.maya)));
        let (s, _, html) = post(&b, &stale).await;
        assert_eq!(s, 409, "{html}");
        assert!(html.contains("Someone else changed Events"), "{html}");
        assert!(html.contains("execution owner Lena Ortiz"), "{html}");
        assert!(
            html.contains("You had chosen: business owner Maya Chen"),
            "{html}"
        );
        assert!(
            chosen(&html, "Events", "Execution owner", t.lena),
            "shown as it is now"
        );
        assert!(
            chosen(&html, "Paid media", "Business owner", t.maya),
            "the rest is kept"
        );
        let paid_now = function(store, ws, t.paid).await;
        assert_eq!(
            (paid_now.business_owner_id, paid_now.version),
            (None, 1),
            "nothing saved"
        );

        // Bad choices are named in their row and nothing is saved.
        let mut bad = row(&paid, Some(t.lena), Some(9_999));
        bad.extend(row(&content, None, None));
        let (s, _, html) = post(&b, &bad).await;
        assert_eq!(s, 422, "{html}");
        assert!(html.contains("must be an internal person"), "{html}");
        assert!(
            html.contains("Choose a person from this workspace"),
            "{html}"
        );
        assert_eq!(
            function(store, ws, t.content).await.business_owner_id,
            Some(t.maya)
        );

        // Nothing changed: said, not saved.
        let (s, _, html) = post(&b, &row(&paid_now, None, None)).await;
        assert_eq!(s, 200);
        assert!(html.contains("Nothing to save"));

        // A form without its version is refused as out of date.
        let mut unversioned = row(&paid_now, Some(t.maya), None);
        unversioned[1].1 = String::new();
        let (s, _, html) = post(&b, &unversioned).await;
        assert_eq!(s, 422);
        assert!(html.contains("does not say which version"));

        // A viewer neither sees the grid nor saves through it.
        let v = t.app.sign_in("vic@acme.test").await;
        assert_eq!(v.get("/w/acme/functions/owners").await.status(), 403);
        let (s, _, _) = post(&v, &row(&paid_now, Some(t.maya), None)).await;
        assert_eq!(s, 403);
        assert_eq!(function(store, ws, t.paid).await.version, 1);

        // The grid is one click from the functions page and from first steps.
        for page in ["/w/acme/functions", "/w/acme/ownership", "/w/acme"] {
            let (_, html) = b.text(page).await;
            assert!(html.contains("href=\"/w/acme/functions/owners\""), "{page}");
        }
        t.app.stop().await;
    }
);

keel_testkit::each_backend!(
    the_api_sets_many_owners_all_or_nothing_naming_each_refused_row,
    |db| {
        let t = team(db).await;
        let (store, ws) = (&t.app.store, t.ws);
        let ws_rec = store.find_workspace_by_slug("acme").await.unwrap().unwrap();
        let ana = store
            .find_user_by_email("ana@acme.test")
            .await
            .unwrap()
            .unwrap()
            .id;
        let api = Api::new(&t.app, &t.app.token(&ws_rec, ana, Role::Owner).await);
        let body = |rows: serde_json::Value| json!({ "owners": rows });

        let (s, v) = api
            .send(
                Method::PUT,
                "/api/v1/ownership",
                Some(body(json!([
                    {"function_id": t.content, "version": 1, "business_owner_id": t.maya, "execution_owner_id": t.lena},
                    {"function_id": t.events, "version": 1, "business_owner_id": t.sam, "execution_owner_id": null}
                ]))),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["functions"][0]["version"], 2);
        assert_eq!(v["functions"][0]["execution_owner_id"], t.lena);
        assert_eq!(v["functions"][1]["business_owner_id"], t.sam);
        // The API and the read side agree.
        let (_, own) = api.get("/api/v1/functions").await;
        assert!(own
            .to_string()
            .contains(&format!("\"business_owner_id\":{}", t.maya)));

        // A stale row: 412, every stale row named with how it is now; nothing saved.
        let (s, e) = api
            .send(
                Method::PUT,
                "/api/v1/ownership",
                Some(body(json!([
                    {"function_id": t.paid, "version": 1, "business_owner_id": t.maya, "execution_owner_id": t.maya},
                    {"function_id": t.content, "version": 1, "business_owner_id": t.sam, "execution_owner_id": t.sam}
                ]))),
            )
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (412, Some("version_mismatch")),
            "{e}"
        );
        assert_eq!(e["error"]["fields"][0]["field"], "owners[1].version");
        let m = e["error"]["fields"][0]["message"].as_str().unwrap();
        assert!(
            m.contains("business owner Maya Chen, execution owner Lena Ortiz (version 2)"),
            "{m}"
        );
        assert_eq!(
            function(store, ws, t.paid).await.version,
            1,
            "all or nothing"
        );

        // Owners from elsewhere, an external business owner, another workspace's function
        // and person, a repeated function: 422 naming each row.
        let bob = t.app.user("bob@b.test", "Bob").await;
        let other = t.app.workspace("bravo", bob).await;
        let their_person = t
            .app
            .person(&other, "Bravo Person", PersonKind::Internal)
            .await;
        let their_function = t.app.function(&other, "Bravo Function", None, None).await;
        let (s, e) = api
            .send(
                Method::PUT,
                "/api/v1/ownership",
                Some(body(json!([
                    {"function_id": t.paid, "version": 1, "business_owner_id": t.lena, "execution_owner_id": their_person},
                    {"function_id": their_function, "version": 1, "business_owner_id": null, "execution_owner_id": null},
                    {"function_id": t.paid, "version": 1, "business_owner_id": null, "execution_owner_id": null}
                ]))),
            )
            .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (422, Some("validation_failed")),
            "{e}"
        );
        let fields: Vec<&str> = e["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            fields,
            [
                "owners[0].execution_owner_id",
                "owners[0].business_owner_id",
                "owners[1].function_id",
                "owners[2].function_id"
            ]
        );
        assert!(
            !e.to_string().contains("Bravo"),
            "nothing of the other workspace is named"
        );
        let theirs = function(store, other.id, their_function).await;
        assert_eq!(theirs.version, 1);

        // An owner left out is a mistake, not "nobody"; an empty list is refused.
        let (s, e) = api
            .send(
                Method::PUT,
                "/api/v1/ownership",
                Some(body(
                    json!([{"function_id": t.paid, "version": 1, "business_owner_id": t.maya}]),
                )),
            )
            .await;
        assert!(s == 400 || s == 422, "{s} {e}");
        assert!(e.to_string().contains("execution_owner_id"), "{e}");
        let (s, _) = api
            .send(Method::PUT, "/api/v1/ownership", Some(body(json!([]))))
            .await;
        assert_eq!(s, 422);
        assert_eq!(function(store, ws, t.paid).await.version, 1);

        // A viewer's token is refused.
        let vic = store
            .find_user_by_email("vic@acme.test")
            .await
            .unwrap()
            .unwrap()
            .id;
        let viewer = Api::new(&t.app, &t.app.token(&ws_rec, vic, Role::Viewer).await);
        let (s, _) = viewer
            .send(
                Method::PUT,
                "/api/v1/ownership",
                Some(body(json!([{"function_id": t.paid, "version": 1, "business_owner_id": t.maya, "execution_owner_id": null}]))),
            )
            .await;
        assert_eq!(s, 403);
        t.app.stop().await;
    }
);

keel_testkit::each_backend!(
    of_two_editors_saving_the_same_row_at_once_exactly_one_wins,
    |db| {
        let t = team(db).await;
        let ws_rec = t
            .app
            .store
            .find_workspace_by_slug("acme")
            .await
            .unwrap()
            .unwrap();
        let ana = t
            .app
            .store
            .find_user_by_email("ana@acme.test")
            .await
            .unwrap()
            .unwrap()
            .id;
        let api = Api::new(&t.app, &t.app.token(&ws_rec, ana, Role::Owner).await);
        // The two send the rows in opposite orders: neither waits for the other forever.
        let put = |owner: i64, rows: [i64; 2]| {
            api.send(
                Method::PUT,
                "/api/v1/ownership",
                Some(json!({"owners": [
                    {"function_id": rows[0], "version": 1, "business_owner_id": owner, "execution_owner_id": owner},
                    {"function_id": rows[1], "version": 1, "business_owner_id": owner, "execution_owner_id": owner}
                ]})),
            )
        };
        let ((a, _), (b, _)) = tokio::join!(
            put(t.maya, [t.events, t.paid]),
            put(t.sam, [t.paid, t.events])
        );
        let mut statuses = [a, b];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "one save wins, the other is told");
        // Both rows carry the winner's owners: nothing was mixed.
        let (events, paid) = (
            function(&t.app.store, t.ws, t.events).await,
            function(&t.app.store, t.ws, t.paid).await,
        );
        assert_eq!((events.version, paid.version), (2, 2));
        assert_eq!(events.business_owner_id, paid.business_owner_id);
        t.app.stop().await;
    }
);
