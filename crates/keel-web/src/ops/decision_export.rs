//! The decision log as a file: CSV and XLSX, with the same columns and the same values, for
//! the log page's downloads and `GET /api/v1/decisions/export.xlsx`. Every text a user typed
//! goes through `keel_domain::spreadsheet::neutralise` (via `keel_import::export::cell` for
//! CSV), so a decision that starts with `=`, `+`, `-`, `@`, a tab or a CR is text in both.

use crate::ops::reviews::name;
use keel_domain::health::Model;
use keel_domain::review::{agenda, Decision};
use keel_domain::spreadsheet::neutralise;

/// The columns, in order.
pub const COLUMNS: [&str; 12] = [
    "id",
    "decided_on",
    "what",
    "kind",
    "category",
    "rationale",
    "owner",
    "due",
    "status",
    "done_on",
    "review_id",
    "evidence",
];

/// One decision's cells as typed or stored (not neutralised yet: each format does that).
fn cells(m: &Model, d: &Decision) -> [String; 12] {
    let evidence: Vec<String> = d.evidence.iter().map(|e| agenda::label(m, *e)).collect();
    let opt = |v: Option<String>| v.unwrap_or_default();
    [
        d.id.to_string(),
        d.decided_on.to_string(),
        d.what.clone(),
        d.kind.as_str().into(),
        opt(d.category.map(|c| c.as_str().to_string())),
        opt(d.rationale.clone()),
        name(m, d.owner_id),
        opt(d.due.map(|x| x.to_string())),
        d.status.as_str().into(),
        opt(d.done_on.map(|x| x.to_string())),
        opt(d.review_id.map(|x| x.to_string())),
        evidence.join("; "),
    ]
}

/// The log as CSV (header first).
pub fn csv(m: &Model, decisions: &[&Decision]) -> String {
    use keel_import::export::cell;
    let mut out = COLUMNS.join(",");
    out.push('\n');
    for d in decisions {
        let row: Vec<String> = cells(m, d).iter().map(|c| cell(c)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// The XLSX content type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The log as an XLSX workbook of one sheet, "Decisions": a bold header row, ids as numbers,
/// everything else as text cells (never a formula), neutralised like the CSV.
pub fn xlsx(m: &Model, decisions: &[&Decision]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    sheet.set_name("Decisions").map_err(err)?;
    let bold = Format::new().set_bold();
    for (c, title) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *title, &bold)
            .map_err(err)?;
    }
    for (r, d) in decisions.iter().enumerate() {
        let row = r as u32 + 1;
        for (c, value) in cells(m, d).iter().enumerate() {
            let col = c as u16;
            let number = matches!(COLUMNS[c], "id" | "review_id");
            match value.parse::<f64>() {
                Ok(n) if number => sheet.write_number(row, col, n).map(|_| ()),
                _ if value.is_empty() => Ok(()),
                _ => sheet.write_string(row, col, neutralise(value)).map(|_| ()),
            }
            .map_err(err)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    for (c, width) in [(2u16, 48.0), (5, 48.0), (6, 20.0), (11, 40.0)] {
        sheet.set_column_width(c, width).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}
