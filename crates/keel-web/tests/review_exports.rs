//! Exports of reviews and decisions, opened by real readers: the decision log as XLSX (read
//! back with calamine) holds formula payloads as text, exactly as the CSV does, with the
//! page's filters, from the page and the API; a review's minutes as a printable page and as
//! Markdown (the page's download and the API's say the same); a partner gets none of them.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{Api, TestApp};
use keel_domain::review::{DecisionDraft, DecisionKind, DecisionStatus, Kind};
use keel_domain::{PersonKind, Role};
use keel_testkit::TestDb;
use std::io::Cursor;

const PAYLOADS: [(&str, &str); 3] = [
    (
        "=HYPERLINK(\"http://evil.test\",\"click\")",
        "+1 from sales",
    ),
    ("@SUM(A1:A9)", "-5% cost, \"quoted\", and a comma"),
    ("\tTabbed, start", "\rCarriage return first"),
];

struct Team {
    app: TestApp,
    ws: keel_store::Workspace,
    maya: i64,
    owner: i64,
}

async fn team(db: TestDb) -> Team {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let owner = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", owner).await;
    let maya = app.person(&ws, "Maya Lind", PersonKind::Internal).await;
    let today = keel_web::time_fmt::today(&keel_domain::Zone::utc());
    let decision = |what: &str, why: &str, kind| DecisionDraft {
        what: what.into(),
        kind,
        category: None,
        rationale: Some(why.into()),
        evidence: vec![],
        owner_id: maya,
        due: (kind != DecisionKind::NoChange).then(|| today.add_days(7)),
        status: DecisionStatus::Open,
    };
    for (what, why) in PAYLOADS {
        app.store
            .create_decision(
                ws.id,
                None,
                today,
                &decision(what, why, DecisionKind::NoChange),
                false,
            )
            .await
            .unwrap();
    }
    app.store
        .create_decision(
            ws.id,
            None,
            today,
            &decision(
                "Move the webinar budget",
                "Paid search converts",
                DecisionKind::Fund,
            ),
            false,
        )
        .await
        .unwrap();
    Team {
        app,
        ws,
        maya,
        owner,
    }
}

/// Every cell of the sheet as text, the header first; and whether any cell is a formula.
fn sheet(bytes: Vec<u8>) -> (Vec<Vec<String>>, bool) {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a readable XLSX");
    let range = book
        .worksheet_range("Decisions")
        .expect("a Decisions sheet");
    let rows = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect();
    let formulas = book.worksheet_formula("Decisions").unwrap();
    let any_formula = formulas.rows().flatten().any(|f| !f.is_empty());
    (rows, any_formula)
}

keel_testkit::each_backend!(
    the_decision_log_exports_as_xlsx_with_formulas_kept_as_text_like_the_csv,
    |db| {
        let t = team(db).await;
        t.app.member(&t.ws, "viewer@acme.test", Role::Viewer).await;
        let viewer = t.app.sign_in("viewer@acme.test").await;
        let (_, page) = viewer.text("/w/acme/decisions?kind=no-change").await;
        assert!(
            page.contains("/w/acme/decisions.xlsx?kind=no-change"),
            "the log links the XLSX with its filters"
        );
        let r = viewer.get("/w/acme/decisions.xlsx?kind=no-change").await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("decisions.xlsx"));
        let (rows, any_formula) = sheet(r.bytes().await.unwrap().to_vec());
        assert!(!any_formula, "no cell is a formula");
        assert_eq!(
            rows.len(),
            4,
            "the header and the three no-change decisions"
        );
        assert_eq!(rows[0][2], "what");
        let whats: Vec<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
        let whys: Vec<&str> = rows[1..].iter().map(|r| r[5].as_str()).collect();
        for (what, why) in PAYLOADS {
            assert!(whats.contains(&format!("'{what}").as_str()), "{whats:?}");
            assert!(whys.contains(&format!("'{why}").as_str()), "{whys:?}");
        }
        assert_eq!(rows[1][6], "Maya Lind");
        // The same values, in the same order, as the CSV of the same filter.
        let csv_body = viewer
            .get("/w/acme/decisions.csv?kind=no-change")
            .await
            .text()
            .await
            .unwrap();
        let csv_rows: Vec<Vec<String>> = csv::Reader::from_reader(csv_body.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(csv_rows, rows[1..].to_vec());

        // The API's export: the same workbook for the same filter; a bad filter is refused.
        let api = Api::new(&t.app, &t.app.token(&t.ws, t.owner, Role::Owner).await);
        let r = api
            .req(
                reqwest::Method::GET,
                "/api/v1/decisions/export.xlsx?kind=no-change",
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let (api_rows, _) = sheet(r.bytes().await.unwrap().to_vec());
        assert_eq!(api_rows, rows);
        let r = api
            .req(
                reqwest::Method::GET,
                &format!(
                    "/api/v1/decisions/export.xlsx?kind=fund&owner_id={}",
                    t.maya
                ),
            )
            .send()
            .await
            .unwrap();
        let (fund, _) = sheet(r.bytes().await.unwrap().to_vec());
        assert_eq!(fund.len(), 2);
        assert_eq!(fund[1][2], "Move the webinar budget");
        let (s, e) = api
            .get("/api/v1/decisions/export.xlsx?from=2026-12-01&to=2026-01-01")
            .await;
        assert_eq!(s, 400, "{e}");

        // A partner gets neither.
        let partner = t.app.member(&t.ws, "agency@acme.test", Role::Partner).await;
        let p_api = Api::new(&t.app, &t.app.token(&t.ws, partner, Role::Partner).await);
        assert_eq!(p_api.get("/api/v1/decisions/export.xlsx").await.0, 404);
        let p = t.app.sign_in("agency@acme.test").await;
        assert_eq!(p.get("/w/acme/decisions.xlsx").await.status(), 404);
        t.app.stop().await;
    }
);

#[tokio::test]
async fn a_reviews_minutes_print_without_navigation_and_download_as_markdown() {
    let t = team(TestDb::sqlite().await).await;
    let today = keel_web::time_fmt::today(&keel_domain::Zone::utc());
    let r = t
        .app
        .store
        .open_review(t.ws.id, Kind::Weekly, today, Some(t.maya), &[t.maya])
        .await
        .unwrap();
    let r = t
        .app
        .store
        .save_review_notes(
            t.ws.id,
            r.id,
            r.version,
            &[(
                "decisions".into(),
                "Legal answers by *Thursday*.\n<script>alert(1)</script>".into(),
            )],
        )
        .await
        .unwrap();
    t.app
        .store
        .create_decision(
            t.ws.id,
            Some(r.id),
            today,
            &DecisionDraft {
                what: "Ask legal for a standing approval".into(),
                kind: DecisionKind::Fix,
                category: Some(keel_domain::review::Category::Handoff),
                rationale: Some("Two launches waited on legal".into()),
                evidence: vec![],
                owner_id: t.maya,
                due: Some(today.add_days(14)),
                status: DecisionStatus::Open,
            },
            false,
        )
        .await
        .unwrap();
    let b = t.app.sign_in("ana@acme.test").await;
    let (_, review) = b.text(&format!("/w/acme/reviews/{}", r.id)).await;
    assert!(review.contains(&format!("/w/acme/reviews/{}/minutes\"", r.id)));

    let (s, page) = b.text(&format!("/w/acme/reviews/{}/minutes", r.id)).await;
    assert_eq!(s, 200);
    assert!(page.contains("Minutes: Weekly review,"), "{page}");
    assert!(page.contains("Ask legal for a standing approval") && page.contains("Maya Lind"));
    assert!(page.contains("data-print") && page.contains("class=\"no-print\""));
    assert!(
        !page.contains("<script>alert(1)</script>") && page.contains("&#60;script&#62;alert(1)"),
        "user text is escaped: {page}"
    );
    // The layout's print stylesheet leaves the header (both navigations) and forms out.
    let css = b.get("/assets/keel.css").await.text().await.unwrap();
    assert!(
        css.contains("@media print { body > header, footer, form, .no-print { display: none"),
        "{css}"
    );

    let res = b.get(&format!("/w/acme/reviews/{}/minutes.md", r.id)).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains(&format!("weekly-review-{today}.md")),
        "{disposition}"
    );
    let md = res.text().await.unwrap();
    assert!(md.starts_with("# Weekly review, "), "{md}");
    assert!(
        md.contains("Legal answers by \\*Thursday\\*.  \n\\<script\\>"),
        "{md}"
    );
    assert!(
        md.contains("1. **Ask legal for a standing approval** (Fix)\n   - Owner: Maya Lind; due "),
        "{md}"
    );
    assert!(md.contains("   - Cause: Handoff\n   - Why: Two launches waited on legal"));
    // The API answers the same minutes.
    let api = Api::new(&t.app, &t.app.token(&t.ws, t.owner, Role::Owner).await);
    let res = api
        .req(
            reqwest::Method::GET,
            &format!("/api/v1/reviews/{}/minutes", r.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), md);

    let partner = t.app.member(&t.ws, "agency@acme.test", Role::Partner).await;
    let p = t.app.sign_in("agency@acme.test").await;
    for path in [
        format!("/w/acme/reviews/{}/minutes", r.id),
        format!("/w/acme/reviews/{}/minutes.md", r.id),
    ] {
        assert_eq!(p.get(&path).await.status(), 404, "{path}");
    }
    let p_api = Api::new(&t.app, &t.app.token(&t.ws, partner, Role::Partner).await);
    assert_eq!(
        p_api
            .get(&format!("/api/v1/reviews/{}/minutes", r.id))
            .await
            .0,
        404
    );
    t.app.stop().await;
}
