//! Metrics as a script and a marketer meet them: values per period (single and bulk,
//! idempotent), what the values say (latest, off target, trend), the chart with its table,
//! the objective reading its KPI, versions, and who sees what.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use reqwest::Method;
use serde_json::json;

fn metric_body(objective: Option<i64>) -> serde_json::Value {
    json!({"name": "Sales-accepted leads", "definition": "Leads whose stage became SAL in the month",
           "source": "HubSpot", "unit": "leads", "cadence": "monthly", "direction": "higher",
           "target": 60, "metric_type": "outcome", "kind": "contribution", "objective_id": objective})
}

/// Twelve months of 2025, from `start` by `step`.
fn year(start: f64, step: f64) -> serde_json::Value {
    let rows: Vec<_> = (1..=12)
        .map(|i| json!({"period": format!("2025-{i:02}"), "value": start + step * (i - 1) as f64}))
        .collect();
    json!({ "measurements": rows })
}

keel_testkit::each_backend!(values_are_kept_per_period_and_read_by_the_objective, |db| {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let mara = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
    let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
    let (s, o) = api
        .send(
            Method::POST,
            "/api/v1/objectives",
            Some(
                json!({"outcome": "Double sales-accepted leads from mid-market accounts",
                        "owner_id": mara, "baseline": 40, "target": 80, "deadline": "2099-06-30",
                        "serves": "FY27 revenue goal"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let oid = o["id"].as_i64().unwrap();
    let (s, x) = api
        .send(
            Method::POST,
            "/api/v1/metrics",
            Some(metric_body(Some(oid))),
        )
        .await;
    assert_eq!(s, 201, "{x}");
    let id = x["id"].as_i64().unwrap();
    assert!(
        x["latest"].is_null() && x["missing_period"].is_string(),
        "{x}"
    );
    // The linked metric names the KPI: the objective is measurable without a typed name.
    let (_, o) = api.get(&format!("/api/v1/objectives/{oid}")).await;
    assert_eq!(o["kpi_metric_id"], id);
    assert_eq!(
        o["smart_check"][1]["missing"],
        serde_json::Value::Null,
        "{o}"
    );

    // A year of flat values, in bulk; sent twice, nothing moves.
    let url = format!("/api/v1/metrics/{id}/measurements/bulk");
    let (s, first) = api.send(Method::POST, &url, Some(year(40.0, 0.0))).await;
    assert_eq!(s, 200, "{first}");
    assert_eq!(first["measurements"].as_array().unwrap().len(), 12);
    assert_eq!(first["measurements"][0]["period"], "2025-01-01");
    let (_, again) = api.send(Method::POST, &url, Some(year(40.0, 0.0))).await;
    assert_eq!(again, first);
    // Flat at 40 while the objective wants 80: the KPI's trend says it is not achievable as set.
    let (_, o) = api.get(&format!("/api/v1/objectives/{oid}")).await;
    assert_eq!(o["kpi_latest"], 40.0);
    let a = o["smart_check"][2]["missing"].as_str().unwrap_or_default();
    assert!(
        a.contains("Sales-accepted leads has moved 0 a month"),
        "{o}"
    );

    // Growing by 3 a month: December 2025 is 73, over the target of 60, and better.
    let (s, _) = api.send(Method::POST, &url, Some(year(40.0, 3.0))).await;
    assert_eq!(s, 200);
    let (_, x) = api.get(&format!("/api/v1/metrics/{id}")).await;
    assert_eq!(
        (
            &x["latest"]["period"],
            &x["latest"]["value"],
            &x["off_target"]
        ),
        (&json!("2025-12-01"), &json!(73.0), &json!(false))
    );
    assert_eq!(
        (x["trend_per_period"].as_f64(), x["trend_better"].as_bool()),
        (Some(3.0), Some(true))
    );
    let (_, o) = api.get(&format!("/api/v1/objectives/{oid}")).await;
    assert_eq!(o["smart"], true, "{o}");

    // One value: any day of the month is that month; the same period replaces.
    let one = format!("/api/v1/metrics/{id}/measurements");
    let (s, v) = api
        .send(
            Method::POST,
            &one,
            Some(json!({"period": "2025-12-17", "value": 50, "note": "holidays"})),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (&v["period"], &v["version"]),
        (&json!("2025-12-01"), &json!(3))
    );
    let (_, x) = api.get(&format!("/api/v1/metrics/{id}")).await;
    assert_eq!(x["off_target"], true, "50 is below the target of 60");
    let (_, list) = api.get(&one).await;
    assert_eq!(list["measurements"].as_array().unwrap().len(), 12);

    // Bad input: a bad date on the seventh row names it and stores nothing; a future period
    // is refused with what to change.
    let mut bad = year(1.0, 0.0);
    bad["measurements"][6]["period"] = json!("2025-13");
    let (s, e) = api.send(Method::POST, &url, Some(bad)).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["field"], "measurements[6].period",
        "{e}"
    );
    let (_, list) = api.get(&one).await;
    assert_eq!(
        list["measurements"][0]["value"], 40.0,
        "nothing of the bad batch was stored"
    );
    let (s, e) = api
        .send(
            Method::POST,
            &one,
            Some(json!({"period": "2099-01", "value": 1})),
        )
        .await;
    assert_eq!(s, 422);
    assert!(e.to_string().contains("has not begun"), "{e}");
    // A second KPI for the objective is refused, naming the first.
    let mut second = metric_body(Some(oid));
    second["name"] = json!("SQLs");
    let (s, e) = api
        .send(Method::POST, "/api/v1/metrics", Some(second))
        .await;
    assert_eq!(s, 422);
    assert!(
        e.to_string()
            .contains("already has its KPI: Sales-accepted leads"),
        "{e}"
    );

    // Removing a value needs its version.
    let vid = list["measurements"][11]["id"].as_i64().unwrap();
    let del = format!("/api/v1/metrics/{id}/measurements/{vid}");
    assert_eq!(api.send(Method::DELETE, &del, None).await.0, 428);
    assert_eq!(api.send_at(Method::DELETE, &del, 1, None).await.0, 412);
    assert_eq!(api.send_at(Method::DELETE, &del, 3, None).await.0, 204);
    assert_eq!(api.send_at(Method::DELETE, &del, 3, None).await.0, 404);

    // The metric page: the chart as an image, the same numbers in a table, a form that
    // keeps what was typed and says what to fix.
    let b = app.sign_in("ana@acme.test").await;
    let (s, page) = b.text(&format!("/w/acme/metrics/{id}")).await;
    assert_eq!(s, 200);
    assert!(
        page.contains(&format!("/w/acme/metrics/{id}/chart.svg")),
        "{page}"
    );
    assert!(
        page.contains("Nov 2025") && page.contains("70 leads"),
        "{page}"
    );
    let chart = b.get(&format!("/w/acme/metrics/{id}/chart.svg")).await;
    assert_eq!(chart.headers()["content-type"], "image/svg+xml");
    let svg = chart.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Target") && svg.contains("Jan 2025"));
    let csrf = b.csrf(&format!("/w/acme/metrics/{id}")).await;
    let r = b
        .post_form(
            &format!("/w/acme/metrics/{id}/measurements"),
            &[
                ("csrf", &csrf),
                ("period", "2025-12-03"),
                ("value", "sixty"),
                ("note", "typed"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Enter the value as a number") && html.contains("value=\"sixty\""));
    let r = b
        .post_form(
            &format!("/w/acme/metrics/{id}/measurements"),
            &[
                ("csrf", &csrf),
                ("period", "2025-12-03"),
                ("value", "61"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, x) = api.get(&format!("/api/v1/metrics/{id}")).await;
    assert_eq!(
        (&x["latest"]["value"], &x["off_target"]),
        (&json!(61.0), &json!(false))
    );
    let (_, list) = b.text("/w/acme/metrics").await;
    assert!(list.contains("Sales-accepted leads") && list.contains("61 leads"));
    let (_, objectives) = b.text("/w/acme/objectives").await;
    assert!(
        objectives.contains("latest 61 leads, Dec 2025"),
        "{objectives}"
    );

    // Remove it as the page does: the row's button sends its version through the page's one
    // removal form, which carries the CSRF token.
    let (_, page) = b.text(&format!("/w/acme/metrics/{id}")).await;
    let button = page
        .split("<button form=\"remove-value\"")
        .find(|b| b.contains("Remove the value for Dec 2025?"))
        .unwrap_or_else(|| panic!("no Remove button for Dec 2025: {page}"));
    let attr = |name: &str| {
        let from = button.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        button[from..from + button[from..].find('"').unwrap()].to_string()
    };
    let form = page
        .split("<form id=\"remove-value\"")
        .nth(1)
        .expect("the page's removal form");
    let csrf = common::csrf_of(form).unwrap();
    let r = b
        .post_form(
            &attr("formaction"),
            &[("csrf", &csrf), ("version", &attr("value"))],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, x) = api.get(&format!("/api/v1/metrics/{id}")).await;
    assert_ne!(x["latest"]["value"], json!(61.0), "{x}");
    app.stop().await;
});

#[tokio::test]
async fn a_partner_sees_the_metrics_of_its_function_only_and_a_viewer_enters_nothing() {
    let app = TestApp::sqlite().await;
    let owner = app.user("owner@a.test", "Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let partner_user = app.member(&ws, "partner@a.test", Role::Partner).await;
    app.member(&ws, "viewer@a.test", Role::Viewer).await;
    let lead = app.person(&ws, "Lead Internal", PersonKind::Internal).await;
    let agency = app.person(&ws, "Agency Person", PersonKind::Agency).await;
    let p = app.store.find_person(ws.id, agency).await.unwrap().unwrap();
    let draft = keel_domain::PersonDraft {
        name: p.name,
        kind: p.kind,
        organization: p.organization,
        title: None,
        email: None,
        weekly_capacity: 20.0,
        user_id: Some(partner_user),
    };
    app.store
        .update_person(ws.id, agency, p.version, &draft)
        .await
        .unwrap();
    let paid = app
        .function(&ws, "Paid media", Some(lead), Some(agency))
        .await;
    let secret = app
        .function(&ws, "Secret strategy", Some(lead), Some(lead))
        .await;
    let (cpl, _) = app
        .metric_with_value(&ws, "Cost per lead", Some(paid))
        .await;
    let (hidden, _) = app
        .metric_with_value(&ws, "Board pipeline", Some(secret))
        .await;

    let b = app.sign_in("partner@a.test").await;
    let (s, list) = b.text("/w/alpha/metrics").await;
    assert_eq!(s, 200);
    assert!(list.contains("Cost per lead") && !list.contains("Board pipeline"));
    assert_eq!(
        b.get(&format!("/w/alpha/metrics/{cpl}")).await.status(),
        200
    );
    for path in [
        format!("/w/alpha/metrics/{hidden}"),
        format!("/w/alpha/metrics/{hidden}/chart.svg"),
    ] {
        assert_eq!(b.get(&path).await.status(), 404, "{path}");
    }
    let api = Api::new(&app, &app.token(&ws, partner_user, Role::Partner).await);
    let (_, l) = api.get("/api/v1/metrics").await;
    let names: Vec<&str> = l["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Cost per lead"]);
    assert_eq!(
        api.get(&format!("/api/v1/metrics/{hidden}/measurements"))
            .await
            .0,
        404
    );

    // A viewer reads the page, without the form, and cannot enter a value.
    let v = app.sign_in("viewer@a.test").await;
    let (s, page) = v.text(&format!("/w/alpha/metrics/{cpl}")).await;
    assert_eq!(s, 200);
    assert!(page.contains("42 leads") && !page.contains("Save value"));
    let viewer = app
        .store
        .find_user_by_email("viewer@a.test")
        .await
        .unwrap()
        .unwrap();
    let api = Api::new(&app, &app.token(&ws, viewer.id, Role::Viewer).await);
    let (s, _) = api
        .send(
            Method::POST,
            &format!("/api/v1/metrics/{cpl}/measurements"),
            Some(json!({"period": "2026-02", "value": 1})),
        )
        .await;
    assert_eq!(s, 403);
    assert_eq!(
        app.store.measurements_of(ws.id, cpl).await.unwrap().len(),
        1
    );
}

/// Seed 001: a shift in reporting asks the SOP of the workflow a metric measures for a review.
/// Changing what the metric counts dates the change (API and page) and Health names the SOP.
#[tokio::test]
async fn a_metric_that_changes_what_it_counts_asks_its_workflow_sop_for_a_review() {
    let app = TestApp::sqlite().await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let mara = app.person(&ws, "Mara Lind", PersonKind::Internal).await;
    let wf = app.workflow(&ws, "Webinar program", mara).await;
    // The SOP is in use, last reviewed in the spring, next review ahead.
    let w = app.store.find_workflow(ws.id, wf).await.unwrap().unwrap();
    let spec = keel_domain::workflow::WorkflowSpec {
        status: keel_domain::workflow::WorkflowStatus::Active,
        last_reviewed: Some(keel_domain::Date::parse("2026-04-01").unwrap()),
        next_review_due: Some(keel_domain::Date::parse("2099-01-01").unwrap()),
        ..w.spec
    };
    app.store
        .update_workflow(ws.id, wf, w.version, &spec, None)
        .await
        .unwrap();
    let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
    let mut body = metric_body(None);
    body["workflow_id"] = json!(wf);
    let (s, x) = api
        .send(Method::POST, "/api/v1/metrics", Some(body.clone()))
        .await;
    assert_eq!(
        (s, x["definition_changed_on"].is_null()),
        (201, true),
        "{x}"
    );
    let id = x["id"].as_i64().unwrap();
    let reporting = |h: &serde_json::Value| {
        h["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "workflow.reporting-changed")
            .count()
    };
    let (_, h) = api.get("/api/v1/health").await;
    assert_eq!(reporting(&h), 0, "{h}");
    // A new target is no change in what is counted.
    body["target"] = json!(70);
    let (s, x) = api
        .send_at(
            Method::PUT,
            &format!("/api/v1/metrics/{id}"),
            1,
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        (s, x["definition_changed_on"].is_null()),
        (200, true),
        "{x}"
    );
    // Counting from the CRM's stage history instead is.
    body["definition"] = json!("Leads whose SAL date, from the stage history, falls in the month");
    let (s, x) = api
        .send_at(Method::PUT, &format!("/api/v1/metrics/{id}"), 2, Some(body))
        .await;
    assert_eq!(s, 200, "{x}");
    let today = x["definition_changed_on"].as_str().unwrap().to_string();
    let (_, h) = api.get("/api/v1/health").await;
    assert_eq!(reporting(&h), 1, "{h}");
    let b = app.sign_in("ana@acme.test").await;
    let (_, page) = b.text("/w/acme/health").await;
    assert!(
        page.contains("its metric &#39;Sales-accepted leads&#39; changed what it counts")
            || page.contains("its metric &#x27;Sales-accepted leads&#x27; changed what it counts"),
        "{page}"
    );
    let (_, page) = b.text(&format!("/w/acme/metrics/{id}")).await;
    assert!(page.contains("what it counts last changed on "), "{page}");
    assert_eq!(today.len(), 10, "a YYYY-MM-DD day: {today}");
}

keel_testkit::each_backend!(a_table_of_values_loads_all_or_nothing, |db| {
    let app = TestApp::start(db, keel_web::Config::default()).await;
    let u = app.user("ana@acme.test", "Ana").await;
    let ws = app.workspace("acme", u).await;
    let api = Api::new(&app, &app.token(&ws, u, Role::Owner).await);
    let (s, x) = api
        .send(Method::POST, "/api/v1/metrics", Some(metric_body(None)))
        .await;
    assert_eq!(s, 201, "{x}");
    let id = x["id"].as_i64().unwrap();
    let url = format!("/api/v1/metrics/{id}/measurements/import");
    let count = |v: serde_json::Value| v["measurements"].as_array().unwrap().len();

    // A bad date on line 7: the error names line 7 and nothing is loaded.
    let mut csv = String::from("period,value,unit\n");
    for m in 1..=5 {
        csv.push_str(&format!("2025-0{m},{},leads\n", 40 + m));
    }
    csv.push_str("31/02/2025,46,leads\n2025-07,47,leads\n");
    let (s, e) = api
        .send(Method::POST, &url, Some(json!({ "csv": csv })))
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e.to_string().contains("Line 7, period"), "{e}");
    let (_, list) = api.get(&format!("/api/v1/metrics/{id}/measurements")).await;
    assert_eq!(count(list), 0, "nothing was loaded");

    // A unit that is not the metric's is refused by line.
    let (s, e) = api
        .send(
            Method::POST,
            &url,
            Some(json!({"csv": "period,value,unit\n2025-01,40,leads\n2025-02,9000,EUR\n"})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(
        e.to_string().contains("Line 3") && e.to_string().contains("measured in leads"),
        "{e}"
    );

    // Fixed, it loads; tab-separated as pasted from a spreadsheet, with a note.
    let (s, ok) = api
        .send(
            Method::POST,
            &url,
            Some(json!({"csv": "Month\tValue\tNote\n2025-01\t41\t\n2025-02\t44\twebinar month\n"})),
        )
        .await;
    assert_eq!(s, 200, "{ok}");
    assert_eq!(count(ok), 2);

    // The page: the pasted table stays in the box with the line to fix.
    let b = app.sign_in("ana@acme.test").await;
    let page_url = format!("/w/acme/metrics/{id}/measurements/import");
    let csrf = b.csrf(&format!("/w/acme/metrics/{id}")).await;
    let bad = "period,value\n2025-03,45\n2025-04,many\n";
    let r = b
        .post_form(&page_url, &[("csrf", &csrf), ("csv", bad)])
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Nothing was loaded") && html.contains("Line 3, value"),
        "{html}"
    );
    assert!(html.contains("2025-04,many"), "the pasted table is kept");
    let r = b
        .post_form(
            &page_url,
            &[("csrf", &csrf), ("csv", "period,value\n2025-03,45\n")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, list) = api.get(&format!("/api/v1/metrics/{id}/measurements")).await;
    assert_eq!(count(list), 3);

    // A viewer cannot load values.
    let v = app.member(&ws, "val@acme.test", Role::Viewer).await;
    let viewer = Api::new(&app, &app.token(&ws, v, Role::Viewer).await);
    let (s, _) = viewer
        .send(
            Method::POST,
            &url,
            Some(json!({"csv": "period,value\n2025-05,1\n"})),
        )
        .await;
    assert_eq!(s, 403);
});
