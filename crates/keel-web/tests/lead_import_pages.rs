//! Importing a lead file from the web app and the API, as a marketer and a script do it: a
//! HubSpot export uploads and imports in the background (again: nothing new); a file keel
//! does not recognise is mapped column by column, the mapping saved and used for the next
//! file; an ambiguous date is asked once; bad rows import nothing and are listed and
//! downloadable; an Excel workbook with a title row imports; an import can be cancelled;
//! uploads need the form's token and a member's role.

mod common;

use common::{csrf_of, Api, Browser, TestApp};
use keel_domain::Role;
use reqwest::Method;
use std::time::Duration;

const HUBSPOT: &str = "Record ID,First Name,Create Date,Original Source,First Conversion,Lifecycle Stage,Lead Status\n\
1,Ana,2026-03-02,Paid Search,Demo request,Lead,\n\
2,<script>alert(1)</script>,2026-03-03,Organic Search,Ebook,Lead,\n\
3,Ben,2026-03-04,Paid Search,Demo request,Opportunity,Open Deal\n";

const PIPEDRIVE: &str = "Deal id;Added on;Where from;Offer\n\
p-1;2026-04-01;Webinar;Guide\n\
p-2;2026-04-02;<b>Events</b>;Demo\n";

fn multipart(file_name: &str, body: &[u8], skip_bad_rows: bool) -> (String, Vec<u8>) {
    let boundary = "keelboundary7MA4YWxkTrZu0gW";
    let mut out = Vec::new();
    if skip_bad_rows {
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"skip_bad_rows\"\r\n\r\non\r\n")
                .as_bytes(),
        );
    }
    out.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    out.extend_from_slice(body);
    out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), out)
}

/// Uploads a file through the page's form (its token in the action) and returns the
/// import page it leads to.
async fn upload(b: &Browser, file_name: &str, body: &[u8], skip: bool) -> String {
    let (_, form) = b.text("/w/acme/leads/import").await;
    let token = csrf_of(&form).expect("the upload page has a token");
    let (ct, data) = multipart(file_name, body, skip);
    let r = b
        .client
        .post(format!("{}/w/acme/leads/import?csrf={token}", b.base))
        .header("content-type", ct)
        .body(data)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/w/acme/leads/imports/"), "{to}");
    to
}

/// The import's page once its job has ended.
async fn finished(b: &Browser, page: &str) -> String {
    for _ in 0..200 {
        let (s, html) = b.text(page).await;
        assert_eq!(s, 200);
        if !html.contains("Importing…") && !html.contains("id=\"import-progress\" hx-get") {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the import of {page} did not end");
}

keel_testkit::each_backend!(
    a_marketer_uploads_maps_answers_and_sees_each_import_end,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let owner = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", owner).await;
        let b = app.sign_in("ana@acme.test").await;

        // The Leads page's empty state leads to the upload.
        let (_, html) = b.text("/w/acme/leads").await;
        assert!(html.contains("href=\"/w/acme/leads/import\""), "{html}");

        // A HubSpot export imports at once, in the background.
        let page = upload(&b, "contacts.csv", HUBSPOT.as_bytes(), false).await;
        let html = finished(&b, &page).await;
        assert!(html.contains("Imported."), "{html}");
        assert!(html.contains("3 new leads"), "{html}");
        assert!(html.contains("a HubSpot export"), "{html}");
        let (_, leads) = b.text("/w/acme/leads").await;
        assert!(
            leads.contains("contacts.csv") && leads.contains("published"),
            "{leads}"
        );
        // Again: matched by record id, nothing new.
        let page = upload(&b, "contacts.csv", HUBSPOT.as_bytes(), false).await;
        let html = finished(&b, &page).await;
        assert!(
            html.contains("0 new leads, 0 updated, 3 unchanged"),
            "{html}"
        );

        // A file keel does not know: the page shows its first rows (as text) and asks.
        let page = upload(&b, "pipedrive.csv", PIPEDRIVE.as_bytes(), false).await;
        let (_, html) = b.text(&page).await;
        assert!(html.contains("Which column is which?"), "{html}");
        assert!(
            html.contains("&#60;b&#62;Events") && !html.contains("<b>Events</b>"),
            "{html}"
        );
        let answer = format!("{page}/answer");
        // Without the created date: told what to choose, the choices kept.
        let r = b
            .post_form(
                &answer,
                &[
                    ("mapping", "1"),
                    ("map_external_id", "Deal id"),
                    ("map_source", "Where from"),
                    ("system", "pipedrive"),
                ],
            )
            .await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Choose the column for: Created date"),
            "{html}"
        );
        assert!(
            html.contains("<option value=\"Where from\" selected>"),
            "{html}"
        );
        let r = b
            .post_form(
                &answer,
                &[
                    ("mapping", "1"),
                    ("map_external_id", "Deal id"),
                    ("map_created", "Added on"),
                    ("map_source", "Where from"),
                    ("map_offer", "Offer"),
                    ("system", "pipedrive"),
                    ("save_as", "Pipedrive deals"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let html = finished(&b, &page).await;
        assert!(html.contains("2 new leads"), "{html}");
        // The next file with those columns is read with the saved mapping, no questions.
        let next = PIPEDRIVE.replace("p-1;", "p-9;");
        let page = upload(&b, "pipedrive-may.csv", next.as_bytes(), false).await;
        let html = finished(&b, &page).await;
        assert!(
            html.contains("saved mapping “Pipedrive deals”") && html.contains("1 new lead,"),
            "{html}"
        );
        let (_, form) = b.text("/w/acme/leads/import").await;
        assert!(
            form.contains("Pipedrive deals") && form.contains("Added on → Created date"),
            "{form}"
        );

        // Dates both orders read: asked once for the file.
        let csv =
            "Record ID,Create Date,Lifecycle Stage\nd-1,03/04/2026,Lead\nd-2,05/04/2026,Lead\n";
        let page = upload(&b, "ambiguous.csv", csv.as_bytes(), false).await;
        let (_, html) = b.text(&page).await;
        assert!(
            html.contains("Which comes first in these dates") && html.contains("03/04/2026"),
            "{html}"
        );
        let r = b
            .post_form(&format!("{page}/answer"), &[("dates", "day-first")])
            .await;
        assert_eq!(r.status(), 303);
        finished(&b, &page).await;
        let lead = app
            .store
            .find_lead_by_external(ws.id, "hubspot", "d-1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(lead.created.to_string(), "2026-04-03");

        // Bad rows: nothing imported, every bad row named, and downloadable with formulas
        // neutralised.
        let csv = "Record ID,Create Date,Lifecycle Stage\nb-1,2026-03-01,Lead\n=HYPERLINK(\"x\"),someday,Lead\nb-3,,Lead\n";
        let page = upload(&b, "bad.csv", csv.as_bytes(), false).await;
        let html = finished(&b, &page).await;
        assert!(
            html.contains("Nothing was imported.") && html.contains("2 rows cannot be imported"),
            "{html}"
        );
        assert!(
            html.contains("<td class=\"num\">3</td>") && html.contains("someday"),
            "{html}"
        );
        assert!(app
            .store
            .find_lead_by_external(ws.id, "hubspot", "b-1")
            .await
            .unwrap()
            .is_none());
        let r = b.get(&format!("{page}/errors.csv")).await;
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        assert!(
            text.starts_with("line,column,value,reason\n")
                && text.contains("3,Create Date,someday"),
            "{text}"
        );
        // The same file, skipping bad rows: the good row imports, the others are listed.
        let page = upload(&b, "bad.csv", csv.as_bytes(), true).await;
        let html = finished(&b, &page).await;
        assert!(
            html.contains("1 new lead,") && html.contains("2 skipped"),
            "{html}"
        );

        // An Excel workbook whose table starts under a title row.
        let xlsx = workbook();
        let page = upload(&b, "leads.xlsx", &xlsx, false).await;
        let html = finished(&b, &page).await;
        assert!(html.contains("2 new leads"), "{html}");
        let x = app
            .store
            .find_lead_by_external(ws.id, "hubspot", "x-2")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(x.created.to_string(), "2026-05-07");
        assert_eq!(x.source.as_deref(), Some("Events"));

        // A file that is no export at all ends with the reason.
        let page = upload(&b, "empty.csv", b"\n\n", false).await;
        let html = finished(&b, &page).await;
        assert!(html.contains("The file is empty"), "{html}");

        // An upload waiting for answers can be cancelled.
        let page = upload(
            &b,
            "pipedrive-copy.csv",
            "Id;When\n1;2026-01-01\n".as_bytes(),
            false,
        )
        .await;
        let r = b.post_form(&format!("{page}/cancel"), &[]).await;
        assert_eq!(r.status(), 303);
        let (_, html) = b.text(&page).await;
        assert!(
            html.contains("Cancelled.") && html.contains("your leads are as they were"),
            "{html}"
        );
        // The live fragment of an ended import reloads the page.
        let r = b.get(&format!("{page}/progress")).await;
        assert_eq!(
            r.headers().get("hx-refresh").map(|v| v.to_str().unwrap()),
            Some("true")
        );

        app.stop().await;
    }
);

/// An XLSX file with a title row above its header, dates as Excel dates.
fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Leads").unwrap();
    sheet.write_string(0, 0, "Leads export, May").unwrap();
    for (c, h) in [
        "Record ID",
        "Create Date",
        "Original Source",
        "Lifecycle Stage",
        "Total open deal value",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 5, 7).unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (r, id) in ["x-1", "x-2"].iter().enumerate() {
        let row = 3 + r as u32;
        sheet.write_string(row, 0, *id).unwrap();
        sheet
            .write_datetime_with_format(row, 1, &date, &fmt)
            .unwrap();
        sheet.write_string(row, 2, "Events").unwrap();
        sheet.write_string(row, 3, "Lead").unwrap();
        sheet.write_number(row, 4, 1250.5).unwrap();
    }
    book.save_to_buffer().unwrap()
}

keel_testkit::each_backend!(
    a_running_import_is_cancelled_and_leaves_the_leads_as_they_were,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let owner = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", owner).await;
        app.lead(&ws, "keep-1", "Referrals", "Demo").await;
        let b = app.sign_in("ana@acme.test").await;
        let mut csv = String::from("Record ID,Create Date,Original Source,Lifecycle Stage\n");
        for i in 0..150_000 {
            csv.push_str(&format!(
                "c-{i},2026-03-{:02},Paid Search,Lead\n",
                i % 28 + 1
            ));
        }
        let page = upload(&b, "big.csv", csv.as_bytes(), false).await;
        // The page shows it running, with its live part polling.
        let (_, html) = b.text(&page).await;
        assert!(
            html.contains("Importing…") && html.contains("hx-trigger=\"every 1s\""),
            "{html}"
        );
        let r = b.post_form(&format!("{page}/cancel"), &[]).await;
        assert_eq!(r.status(), 303);
        let html = finished(&b, &page).await;
        assert!(html.contains("Cancelled."), "{html}");
        let total = app
            .store
            .count_leads(ws.id, &Default::default())
            .await
            .unwrap();
        assert_eq!(total, 1, "a cancelled import adds nothing");
        app.stop().await;
    }
);

keel_testkit::each_backend!(
    uploads_need_the_token_and_a_member_and_the_api_imports_alike,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let owner = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", owner).await;
        let viewer = app.user("vic@acme.test", "Vic").await;
        app.store
            .add_member(ws.id, viewer, Role::Viewer)
            .await
            .unwrap();
        let partner = app.user("pat@acme.test", "Pat").await;
        app.store
            .add_member(ws.id, partner, Role::Partner)
            .await
            .unwrap();

        // No token in the action: refused, nothing stored.
        let b = app.sign_in("ana@acme.test").await;
        let (ct, data) = multipart("contacts.csv", HUBSPOT.as_bytes(), false);
        let r = b
            .client
            .post(format!("{}/w/acme/leads/import", b.base))
            .header("content-type", ct)
            .body(data)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert!(app
            .store
            .list_lead_imports(ws.id, 10)
            .await
            .unwrap()
            .is_empty());

        // A viewer reads imports but cannot upload; a partner does not see them.
        let v = app.sign_in("vic@acme.test").await;
        assert_eq!(v.text("/w/acme/leads/import").await.0, 403);
        let p = app.sign_in("pat@acme.test").await;
        assert_eq!(p.text("/w/acme/leads/import").await.0, 404);

        // The API: a body in, a job out.
        let token = app.token(&ws, owner, Role::Owner).await;
        let api = Api::new(&app, &token);
        let r = api
            .req(Method::POST, "/api/v1/lead-imports?file_name=contacts.csv")
            .body(HUBSPOT)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
        let job: serde_json::Value = r.json().await.unwrap();
        let id = job["id"].as_i64().unwrap();
        let mut status = String::new();
        for _ in 0..200 {
            let (s, j) = api.get(&format!("/api/v1/lead-imports/{id}")).await;
            assert_eq!(s, 200);
            status = j["status"].as_str().unwrap().to_string();
            if status != "staging" {
                assert_eq!(j["inserted"], 3, "{j}");
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(status, "published");
        // A file it cannot read alone: the question, and nothing kept waiting.
        let r = api
            .req(Method::POST, "/api/v1/lead-imports")
            .body(PIPEDRIVE)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let e: serde_json::Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], "unknown_columns", "{e}");
        let r = api
            .req(
                Method::POST,
                "/api/v1/lead-imports?system=pipedrive&map=external_id%3DDeal+id&map=created%3DAdded+on",
            )
            .body(PIPEDRIVE)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
        let r = api
            .req(Method::POST, "/api/v1/lead-imports?dates=sideways")
            .body(HUBSPOT)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        // Bad rows: listed by the API.
        let bad = "Record ID,Create Date,Lifecycle Stage\nb-1,someday,Lead\n";
        let r = api
            .req(Method::POST, "/api/v1/lead-imports")
            .body(bad)
            .send()
            .await
            .unwrap();
        let id = r.json::<serde_json::Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap();
        for _ in 0..200 {
            let (_, j) = api.get(&format!("/api/v1/lead-imports/{id}")).await;
            if j["status"] != "staging" {
                assert_eq!(j["status"], "failed", "{j}");
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (s, errors) = api.get(&format!("/api/v1/lead-imports/{id}/errors")).await;
        assert_eq!(s, 200);
        assert_eq!(errors[0]["line"], 2, "{errors}");
        assert_eq!(errors[0]["value"], "someday", "{errors}");
        // Ended: too late to cancel.
        let r = api
            .req(Method::POST, &format!("/api/v1/lead-imports/{id}/cancel"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409);
        // A viewer's token cannot import.
        let vt = app.token(&ws, viewer, Role::Viewer).await;
        let r = Api::new(&app, &vt)
            .req(Method::POST, "/api/v1/lead-imports")
            .body(HUBSPOT)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        app.stop().await;
    }
);
