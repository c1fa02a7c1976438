//! A metric's values from a CSV file, as a spreadsheet or a reporting tool exports them:
//! a header row naming a `period` (or `date`, `week`, `month`) and a `value` column, with
//! optional `unit` and `note` columns, in any encoding and with any delimiter keel reads for
//! leads. All or nothing: one bad line and nothing is loaded; each error names the line, the
//! column, the value and what to change. A `unit` column must agree with the metric's unit,
//! so a file of euros is not loaded into a metric counted in leads.

use crate::table::{whole, LineError, Table};
use keel_domain::metric::{Cadence, MeasurementDraft, MeasurementInput, MAX_BULK};
use keel_domain::Date;

/// Reads the values in `bytes` for a metric in `unit` with `cadence`, judged on `today` (no
/// value for a period that has not started). Later lines for the same period replace earlier
/// ones, as in the form.
pub fn parse(
    bytes: &[u8],
    unit: Option<&str>,
    cadence: Cadence,
    today: Date,
) -> Result<Vec<MeasurementDraft>, Vec<LineError>> {
    let t = Table::read(
        bytes,
        "Send a header row (period,value) and one line per period.",
    )?;
    let period = t.required(
        &["period", "date", "day", "week", "month"],
        "Name the column of days \"period\" (or date, week, month)",
    )?;
    let value = t.required(
        &["value", "amount", "count"],
        "Name the column of figures \"value\"",
    )?;
    let (unit_col, note) = (t.column(&["unit"]), t.column(&["note", "notes", "comment"]));
    let unit_of = unit;
    let mut errors = t.unreadable.clone();
    let mut out: Vec<MeasurementDraft> = Vec::new();
    if t.rows.len() > MAX_BULK {
        return Err(whole(format!(
            "The file has more than {MAX_BULK} values; split it in parts of at most {MAX_BULK} lines."
        )));
    }
    for (line, r) in &t.rows {
        let line = *line;
        let unit = t.cell(r, unit_col);
        if !unit.is_empty() && !same_unit(&unit, unit_of) {
            errors.push(LineError {
                line,
                column: t.header(unit_col),
                value: unit.clone(),
                reason: match unit_of {
                    Some(u) => format!(
                        "this metric is measured in {u}; convert the value or load it into a metric in {unit}."
                    ),
                    None => format!(
                        "this metric has no unit; give it the unit {unit} first, or leave the unit column empty."
                    ),
                },
            });
            continue;
        }
        let input = MeasurementInput {
            period: t.cell(r, Some(period)),
            value: t.cell(r, Some(value)),
            note: t.cell(r, note),
        };
        match MeasurementDraft::parse(&input, cadence, today) {
            Ok(d) => {
                out.retain(|x| x.period != d.period);
                out.push(d);
            }
            Err(inv) => errors.extend(t.line_errors(
                line,
                inv,
                &[
                    ("period", Some(period), &input.period),
                    ("value", Some(value), &input.value),
                    ("note", note, &input.note),
                ],
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.is_empty() {
        return Err(whole(
            "The file has a header row but no values. Add one line per period.",
        ));
    }
    Ok(out)
}

/// "EUR" and "eur", "%" and "percent" are the same unit; anything else must match.
fn same_unit(a: &str, b: Option<&str>) -> bool {
    let norm = |s: &str| {
        let s = s.trim().to_lowercase();
        match s.as_str() {
            "percent" | "pct" => "%".to_string(),
            _ => s,
        }
    };
    b.is_some_and(|b| norm(a) == norm(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(csv: &str, unit: Option<&str>) -> Result<Vec<MeasurementDraft>, Vec<LineError>> {
        parse(csv.as_bytes(), unit, Cadence::Monthly, today())
    }

    fn today() -> Date {
        Date::parse("2026-12-01").unwrap()
    }

    #[test]
    fn reads_a_file_with_unit_and_note_columns() {
        let csv = "period,value,unit,note\n2026-01,120,leads,launch\n2026-02-15,130,Leads,\n";
        let v = read(csv, Some("leads")).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].period.to_string(), "2026-01-01");
        assert_eq!(v[0].note.as_deref(), Some("launch"));
        assert_eq!(v[1].value, 130.0);
    }

    #[test]
    fn semicolons_bom_and_a_later_line_for_the_same_period() {
        let csv = "\u{feff}Date;Value\n2026-03-01;10\n2026-03-20;12\n";
        let v = read(csv, None).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].value, 12.0);
    }

    #[test]
    fn a_bad_date_on_line_7_names_line_7_and_loads_nothing() {
        let mut csv = String::from("period,value\n");
        for m in 1..=5 {
            csv.push_str(&format!("2026-0{m}-01,{m}\n"));
        }
        csv.push_str("31/02/2026,6\n2026-07-01,7\n");
        let e = read(&csv, None).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].line, 7);
        assert_eq!(e[0].column, "period");
        assert_eq!(e[0].value, "31/02/2026");
        assert!(
            e[0].to_string()
                .starts_with("Line 7, period \"31/02/2026\": "),
            "{}",
            e[0]
        );
    }

    #[test]
    fn lines_are_counted_alike_with_windows_line_ends() {
        // What a browser sends from a text box: CRLF.
        let csv = "period,value\r\n2026-07,41\r\n2026-8-40,44\r\n2026-09,52\r\n";
        let e = read(csv, None).unwrap_err();
        assert_eq!((e.len(), e[0].line), (1, 3), "{e:?}");
    }

    #[test]
    fn a_unit_that_is_not_the_metrics_is_refused_by_line() {
        let csv = "period,value,unit\n2026-01-01,5,leads\n2026-02-01,900,EUR\n";
        let e = read(csv, Some("leads")).unwrap_err();
        assert_eq!(e[0].line, 3);
        assert!(e[0].reason.contains("measured in leads"), "{}", e[0]);
    }

    #[test]
    fn missing_columns_empty_files_and_no_rows_say_what_to_do() {
        let e = read("when,figure\n2026-01-01,3\n", None).unwrap_err();
        assert!(e[0].reason.contains("no period column"), "{}", e[0]);
        let e = read("  \n", None).unwrap_err();
        assert!(e[0].reason.contains("empty"), "{}", e[0]);
        let e = read("period,value\n\n", None).unwrap_err();
        assert!(e[0].reason.contains("no values"), "{}", e[0]);
        let e = read("period,value\n2026-01-01,lots\n", None).unwrap_err();
        assert_eq!((e[0].line, e[0].column.as_str()), (2, "value"));
    }
}
