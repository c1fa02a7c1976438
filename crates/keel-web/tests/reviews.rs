//! Reviews and decisions as a team meets them on the pages: this week's agenda with blocked
//! work and a decision past due, decisions recorded (a "pause" asks to confirm and pauses the
//! priority), a close refused without outcome and refused twice, the log's filters, Home,
//! and what a viewer and a partner may do.

mod common;

use common::{Api, Browser, TestApp};
use keel_domain::review::{DecisionDraft, DecisionKind, DecisionStatus};
use keel_domain::{PersonKind, Role};
use keel_testkit::TestDb;
use reqwest::Method;
use serde_json::json;

struct Team {
    app: TestApp,
    maya: i64,
    priority: i64,
    ws: keel_store::WorkspaceId,
}

async fn team(db: TestDb) -> Team {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let ana = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", ana).await;
    let maya = app.person(&ws, "Maya Lind", PersonKind::Internal).await;
    let wf = app.workflow(&ws, "Campaign launch", maya).await;
    let item = app.work(&ws, wf, "Spring webinar", Some(maya)).await;
    let api = Api::new(&app, &app.token(&ws, ana, Role::Owner).await);
    let (s, e) = api
        .send_at(
            Method::POST,
            &format!("/api/v1/work/{item}/moves"),
            1,
            Some(json!({"action": "block", "reason": "Waiting for legal"})),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let objective = app
        .store
        .create_objective(ws.id, &common::objective("Grow pipeline", Some(maya)))
        .await
        .unwrap()
        .id;
    let priority = app
        .store
        .create_priority(ws.id, &common::priority("Webinar series", objective))
        .await
        .unwrap()
        .id;
    // A decision from two weeks ago, due last week and still open.
    let today = keel_web::time_fmt::today(&keel_domain::Zone::utc());
    app.store
        .create_decision(
            ws.id,
            None,
            today.add_days(-14),
            &DecisionDraft {
                what: "Rewrite the webinar invitation".into(),
                kind: DecisionKind::Fix,
                category: None,
                rationale: None,
                evidence: vec![],
                owner_id: maya,
                due: Some(today.add_days(-7)),
                status: DecisionStatus::Open,
            },
            false,
        )
        .await
        .unwrap();
    Team {
        app,
        maya,
        priority,
        ws: ws.id,
    }
}

async fn post(b: &Browser, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    let r = b.post_form(path, fields).await;
    let s = r.status().as_u16();
    let loc = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (s, loc, r.text().await.unwrap())
}

keel_testkit::each_backend!(
    a_weekly_review_runs_from_its_agenda_to_decisions_and_a_single_close,
    |db| {
        let t = team(db).await;
        let b = t.app.sign_in("ana@acme.test").await;
        let maya = t.maya.to_string();
        // Cadence first, so the review knows who attends.
        let (s, loc, body) = post(
            &b,
            "/w/acme/reviews/cadences",
            &[
                ("kind", "weekly"),
                ("interval", "9"),
                ("weekday", "1"),
                ("time", "09:30"),
                ("facilitator_id", &maya),
                ("attendee_ids", &maya),
                ("active", "on"),
            ],
        )
        .await;
        assert_eq!(s, 422, "{body}");
        assert!(
            body.contains("from 1 to 4"),
            "the error is named next to the field"
        );
        assert!(body.contains("value=\"9\""), "what was typed is kept");
        let (s, loc2, _) = post(
            &b,
            "/w/acme/reviews/cadences",
            &[
                ("kind", "weekly"),
                ("interval", "2"),
                ("weekday", "1"),
                ("time", "09:30"),
                ("facilitator_id", &maya),
                ("attendee_ids", &maya),
                ("active", "on"),
            ],
        )
        .await;
        assert_eq!(
            (s, loc2.as_str()),
            (303, "/w/acme/reviews?notice=cadence-saved"),
            "{loc}"
        );

        // This week's agenda, before the review starts: blocked work and the decision past due.
        let (s, page) = b.text("/w/acme/reviews").await;
        assert_eq!(s, 200);
        assert!(
            page.contains("Every 2 weeks (biweekly) on Monday at 09:30"),
            "{page}"
        );
        assert!(page.contains("Spring webinar is blocked since"), "{page}");
        assert!(page.contains("Waiting for legal"));
        assert!(page.contains("Rewrite the webinar invitation"));
        assert!(page.contains("past due"));
        let (s, loc, _) = post(&b, "/w/acme/reviews", &[("kind", "weekly")]).await;
        assert_eq!(s, 303);
        let review = loc.clone();
        let (_, page) = b.text(&review).await;
        assert!(
            page.contains("Blocked work") && page.contains("Decisions due"),
            "{page}"
        );
        assert!(
            page.contains("/w/acme/work/"),
            "agenda items link to their evidence"
        );

        // No outcome yet: the close is refused, and says why.
        let rating = format!("rating_{maya}");
        // The review's version, as its forms carry it.
        let version = |html: &str| -> String {
            let v = html.find("name=\"version\" value=\"").unwrap() + 22;
            html[v..].split('"').next().unwrap().to_string()
        };
        let v = version(&page);
        let (s, _, body) = post(
            &b,
            &format!("{review}/close"),
            &[("version", &v), (&rating, "8")],
        )
        .await;
        assert_eq!(s, 409, "{body}");
        assert!(body.contains("record at least one outcome"), "{body}");

        // A decision without owner or kind is refused field by field, keeping what was typed.
        let (s, _, body) = post(
            &b,
            &format!("{review}/decisions"),
            &[
                ("what", "Pause the webinar series"),
                ("kind", ""),
                ("owner_id", ""),
            ],
        )
        .await;
        assert_eq!(s, 422);
        assert!(
            body.contains("A decision needs a kind") && body.contains("A decision needs one owner"),
            "{body}"
        );
        assert!(body.contains("value=\"Pause the webinar series\""));

        // A pause asks first, then pauses the priority it links.
        let ev = format!("priority:{}", t.priority);
        let today = keel_web::time_fmt::today(&keel_domain::Zone::utc());
        let due = today.add_days(21).to_string();
        let fields = [
            ("what", "Pause the webinar series"),
            ("kind", "pause"),
            ("category", "capacity"),
            ("owner_id", maya.as_str()),
            ("due", due.as_str()),
            ("evidence", ev.as_str()),
        ];
        let (s, _, body) = post(&b, &format!("{review}/decisions"), &fields).await;
        assert_eq!(s, 200);
        assert!(
            body.contains("This decision pauses") && body.contains("Webinar series"),
            "{body}"
        );
        let p = t
            .app
            .store
            .find_priority(t.ws, t.priority)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            p.status.as_str(),
            "next",
            "nothing paused before the confirmation"
        );
        let mut confirmed = fields.to_vec();
        confirmed.push(("confirm", "yes"));
        let (s, loc, _) = post(&b, &format!("{review}/decisions"), &confirmed).await;
        assert_eq!(
            (s, loc.ends_with("notice=decision-paused")),
            (303, true),
            "{loc}"
        );
        let p = t
            .app
            .store
            .find_priority(t.ws, t.priority)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.status.as_str(), "paused");
        // A second decision, due today: the next weekly agenda lists it.
        let today_s = today.to_string();
        let (s, _, _) = post(
            &b,
            &format!("{review}/decisions"),
            &[
                ("what", "Ask legal for a standing approval"),
                ("kind", "fix"),
                ("category", "handoff"),
                ("owner_id", &maya),
                ("due", &today_s),
            ],
        )
        .await;
        assert_eq!(s, 303);
        let (_, page) = b.text(&review).await;
        assert!(
            page.contains("Pause the webinar series")
                && page.contains("Ask legal for a standing approval")
        );

        // Bad ratings are refused next to the field; then the close works once.
        let v = version(&page);
        let (s, _, body) = post(
            &b,
            &format!("{review}/close"),
            &[("version", &v), (&rating, "11")],
        )
        .await;
        assert_eq!(s, 422);
        assert!(body.contains("whole number from 1"), "{body}");
        let (s, loc, _) = post(
            &b,
            &format!("{review}/close"),
            &[("version", &v), (&rating, "8")],
        )
        .await;
        assert_eq!(
            (s, loc.as_str()),
            (303, "/w/acme/reviews?notice=review-closed")
        );
        let (s, _, body) = post(
            &b,
            &format!("{review}/close"),
            &[("version", &v), (&rating, "3")],
        )
        .await;
        assert_eq!(s, 409);
        assert!(body.contains("already closed"), "{body}");

        // The next weekly agenda lists the open decision; Home lists the one past due.
        let (_, page) = b.text("/w/acme/reviews").await;
        assert!(page.contains("Ask legal for a standing approval"), "{page}");
        assert!(page.contains("8"), "the rating shows");
        let (_, home) = b.text("/w/acme").await;
        assert!(
            home.contains("Decisions past due") && home.contains("Rewrite the webinar invitation"),
            "{home}"
        );

        // The log filters by kind and searches words.
        let (_, log) = b.text("/w/acme/decisions?kind=pause").await;
        assert!(
            log.contains("Pause the webinar series") && !log.contains("Ask legal"),
            "{log}"
        );
        let (_, log) = b.text("/w/acme/decisions?q=LEGAL+standing").await;
        assert!(log.contains("Ask legal") && !log.contains("Pause the webinar series"));
        let (s, log) = b
            .text("/w/acme/decisions?from=2026-12-01&to=2026-01-01")
            .await;
        assert_eq!(s, 200);
        assert!(log.contains("The end of the period is before its start."));
        t.app.stop().await;
    }
);

#[tokio::test]
async fn a_viewer_reads_reviews_and_a_partner_meets_none() {
    let t = team(TestDb::sqlite().await).await;
    let ws = t
        .app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    t.app.member(&ws, "viewer@acme.test", Role::Viewer).await;
    t.app.member(&ws, "agency@acme.test", Role::Partner).await;
    let owner = t.app.sign_in("ana@acme.test").await;
    let (_, loc, _) = post(&owner, "/w/acme/reviews", &[("kind", "weekly")]).await;
    let id = loc.rsplit('/').next().unwrap().to_string();
    let decision = t.app.store.list_decisions(ws.id).await.unwrap()[0].id;

    let viewer = t.app.sign_in("viewer@acme.test").await;
    for path in [
        "/w/acme/reviews",
        "/w/acme/decisions",
        "/w/acme/reviews/cadences",
        &format!("/w/acme/reviews/{id}"),
    ] {
        let (s, page) = viewer.text(path).await;
        assert_eq!(s, 200, "{path}");
        assert!(
            !page.contains("Record the decision") && !page.contains("Start this week"),
            "{path}"
        );
    }
    for path in [
        "/w/acme/reviews".to_string(),
        "/w/acme/reviews/cadences".into(),
        format!("/w/acme/reviews/{id}/decisions"),
        format!("/w/acme/reviews/{id}/notes"),
        format!("/w/acme/reviews/{id}/close"),
        format!("/w/acme/decisions/{decision}/status"),
    ] {
        let (s, _, _) = post(
            &viewer,
            &path,
            &[("kind", "weekly"), ("status", "done"), ("version", "1")],
        )
        .await;
        assert_eq!(s, 403, "viewer on {path}");
    }
    let partner = t.app.sign_in("agency@acme.test").await;
    for path in [
        "/w/acme/reviews",
        "/w/acme/decisions",
        "/w/acme/reviews/cadences",
        &format!("/w/acme/reviews/{id}"),
    ] {
        let (s, _) = partner.text(path).await;
        assert_eq!(s, 404, "partner on {path}");
    }
    let (s, _, _) = post(
        &partner,
        &format!("/w/acme/decisions/{decision}/status"),
        &[("status", "done"), ("version", "1")],
    )
    .await;
    assert_eq!(s, 404);
    let (_, nav) = partner.text("/w/acme").await;
    assert!(
        !nav.contains("/w/acme/reviews\""),
        "no Reviews in a partner's navigation"
    );
    let d = t.app.store.list_decisions(ws.id).await.unwrap();
    assert_eq!(
        (d[0].version, d[0].status),
        (1, DecisionStatus::Open),
        "nothing changed"
    );
    t.app.stop().await;
}

#[tokio::test]
async fn the_decision_log_exports_as_csv_with_formulas_kept_as_text() {
    let t = team(TestDb::sqlite().await).await;
    let today = keel_web::time_fmt::today(&keel_domain::Zone::utc());
    for (what, why) in [
        (
            "=HYPERLINK(\"http://evil.test\",\"click\")",
            "+1 from sales",
        ),
        ("@SUM(A1:A9)", "-5% cost, \"quoted\", and a comma"),
        ("\tTabbed, start", "\rCarriage return first"),
    ] {
        t.app
            .store
            .create_decision(
                t.ws,
                None,
                today,
                &DecisionDraft {
                    what: what.into(),
                    kind: DecisionKind::NoChange,
                    category: None,
                    rationale: Some(why.into()),
                    evidence: vec![],
                    owner_id: t.maya,
                    due: None,
                    status: DecisionStatus::Open,
                },
                false,
            )
            .await
            .unwrap();
    }
    let ws = t
        .app
        .store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap();
    t.app.member(&ws, "viewer@acme.test", Role::Viewer).await;
    let viewer = t.app.sign_in("viewer@acme.test").await;
    let r = viewer.get("/w/acme/decisions.csv?kind=no-change").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = r.text().await.unwrap();
    let mut rdr = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 3, "the filter applies: {body}");
    let whats: Vec<&str> = rows.iter().map(|r| &r[2]).collect();
    let whys: Vec<&str> = rows.iter().map(|r| &r[5]).collect();
    for v in whats.iter().chain(whys.iter()) {
        assert!(v.starts_with('\''), "{v:?} would run as a formula");
    }
    assert!(whats.contains(&"'=HYPERLINK(\"http://evil.test\",\"click\")"));
    assert!(whys.contains(&"'-5% cost, \"quoted\", and a comma"));
    assert_eq!(&rows[0][6], "Maya Lind");
    let partner_csv = {
        t.app.member(&ws, "agency@acme.test", Role::Partner).await;
        t.app
            .sign_in("agency@acme.test")
            .await
            .get("/w/acme/decisions.csv")
            .await
            .status()
    };
    assert_eq!(partner_csv, 404);
    t.app.stop().await;
}
