//! Values written into files a spreadsheet opens (CSV, XLSX): a cell that starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return would be run as a formula (OWASP's "CSV
//! injection": `=HYPERLINK(…)` typed into a decision leaks data when the log is opened), so
//! it gets a leading apostrophe and is shown as the text it is. Every export calls this one
//! function, so the CSV and the XLSX of the same log hold the same values.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `s` as a spreadsheet must show it: with a leading `'` when it would start a formula.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_start_is_written_as_text_and_nothing_else_changes() {
        for s in [
            "=1+1",
            "+1 from sales",
            "-5% cost",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(s), format!("'{s}"));
        }
        for s in ["plain", "", " =not first", "1+1", "'already"] {
            assert_eq!(neutralise(s), s);
        }
    }
}
