//! Excel workbooks as CRMs and people save them: the first sheet is read, a title row above
//! the header is skipped, Excel dates and numbers become dates and amounts, and errors name
//! the spreadsheet row a user sees; hostile cells stay text; a file that only looks like a
//! workbook says so.

use keel_import::{open, preview, ImportError, Options};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::PathBuf;

fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keel_xlsx_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Contacts").unwrap();
    sheet
        .write_string(0, 0, "HubSpot contacts — exported 2026-05-08")
        .unwrap();
    let headers = [
        "Record ID",
        "Create Date",
        "Original Source",
        "Lifecycle Stage",
        "Total Revenue",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let fmt = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let rows: [(f64, &str, (u16, u8, u8)); 3] = [
        (501.0, "=HYPERLINK(\"http://x\")", (2026, 5, 7)),
        (502.0, "<script>alert(1)</script>", (2026, 5, 8)),
        (503.0, "Events", (2026, 5, 9)),
    ];
    for (i, (id, source, (y, m, d))) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_number(r, 0, *id).unwrap();
        let when = ExcelDateTime::from_ymd(*y, *m, *d)
            .unwrap()
            .and_hms(14, 30, 0)
            .unwrap();
        sheet.write_datetime_with_format(r, 1, &when, &fmt).unwrap();
        sheet.write_string(r, 2, *source).unwrap();
        sheet.write_string(r, 3, "Lead").unwrap();
        sheet.write_number(r, 4, 1250.5).unwrap();
    }
    // A row whose date is text nobody can read.
    sheet.write_string(6, 0, "504").unwrap();
    sheet.write_string(6, 1, "next Tuesday").unwrap();
    sheet.write_string(6, 3, "Lead").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn the_first_sheet_is_read_under_its_title_row_with_rows_named_as_excel_numbers_them() {
    let path = file("contacts.xlsx", &workbook());
    let mut r = open(&path, &Options::default()).unwrap();
    assert_eq!(r.shape.profile.name, "hubspot");
    assert_eq!(r.shape.header_line, 3);
    assert_eq!(r.shape.format_label(), "Excel workbook, sheet 'Contacts'");
    let (mut ok, mut bad) = (vec![], vec![]);
    for x in r.by_ref() {
        match x {
            Ok(l) => ok.push(l),
            Err(e) => bad.push(e),
        }
    }
    assert_eq!(ok.len(), 3);
    let (line, first) = &ok[0];
    assert_eq!(*line, 4);
    assert_eq!(first.external_id, "501");
    assert_eq!(first.created.to_string(), "2026-05-07");
    assert_eq!(first.won_cents, Some(125_050));
    // Hostile text stays text, as typed.
    assert_eq!(first.source.as_deref(), Some("=HYPERLINK(\"http://x\")"));
    assert_eq!(ok[1].1.source.as_deref(), Some("<script>alert(1)</script>"));
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].line, 7);
    assert_eq!(bad[0].column.as_deref(), Some("Create Date"));
    assert_eq!(bad[0].value.as_deref(), Some("next Tuesday"));
}

#[test]
fn a_workbook_no_profile_knows_previews_its_header_and_first_rows() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Deal", "Added", "From"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "d-1").unwrap();
    sheet.write_number(1, 1, 46000.0).unwrap();
    sheet.write_string(1, 2, "Webinar").unwrap();
    let path = file("deals.xlsx", &book.save_to_buffer().unwrap());
    match open(&path, &Options::default()) {
        Err(ImportError::UnknownColumns(h)) => assert_eq!(h, ["Deal", "Added", "From"]),
        other => panic!("expected a mapping question, got {:?}", other.map(|_| ())),
    }
    let p = preview(&path, 5).unwrap();
    assert_eq!(p.headers, ["Deal", "Added", "From"]);
    assert_eq!(p.header_line, 1);
    assert_eq!(
        p.rows,
        vec![vec!["d-1".to_string(), "46000".into(), "Webinar".into()]]
    );
}

#[test]
fn a_zip_that_is_no_workbook_says_so() {
    let path = file(
        "fake.xlsx",
        b"PK\x03\x04 this is not really a zip archive at all",
    );
    match open(&path, &Options::default()) {
        Err(ImportError::Io(m)) => assert!(m.contains("not an Excel workbook"), "{m}"),
        other => panic!("expected a clear refusal, got {:?}", other.map(|_| ())),
    }
}
