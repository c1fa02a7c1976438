//! Writing values back out as CSV (the list of row errors a user downloads), with formulas
//! neutralised so a spreadsheet shows `=HYPERLINK(...)` from a hostile export as text.

use crate::RowError;

/// One CSV cell: quoted when needed; a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` first
/// (`keel_domain::spreadsheet::neutralise`, shared with the XLSX export).
pub fn cell(s: &str) -> String {
    let s = keel_domain::spreadsheet::neutralise(s);
    if s.contains([',', '"', '\n', '\r', ';']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

/// The header of an error list.
pub const ERRORS_HEADER: &str = "line,column,value,reason\n";

/// One row error as a CSV line.
pub fn error_line(e: &RowError) -> String {
    format!(
        "{},{},{},{}\n",
        e.line,
        cell(e.column.as_deref().unwrap_or("")),
        cell(e.value.as_deref().unwrap_or("")),
        cell(&e.reason)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quotes_escaped() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("plain"), "plain");
        let e = RowError {
            line: 7,
            column: Some("Create Date".into()),
            value: Some("-1".into()),
            reason: "bad, really".into(),
        };
        assert_eq!(error_line(&e), "7,Create Date,'-1,\"bad, really\"\n");
    }
}
