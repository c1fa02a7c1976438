//! Spend from a table (a spreadsheet or an ad platform's export): a header row naming a
//! `month` and an `amount` column and a `channel` and/or `campaign` column, one line per
//! month and channel or campaign. All or nothing: one bad line and nothing is loaded; each
//! error names the line, the column, the value and what to change.

use crate::table::{whole, LineError, Table};
use keel_domain::lead::spend::SpendDraft;

/// The most lines one table may hold.
pub const MAX_LINES: usize = 5_000;

/// Reads the spend in `bytes`. A later line for the same month, channel and campaign
/// replaces an earlier one, as entering it again in the form does.
pub fn parse(bytes: &[u8]) -> Result<Vec<SpendDraft>, Vec<LineError>> {
    let t = Table::read(
        bytes,
        "Send a header row (month,channel,campaign,amount) and one line per month and channel or campaign.",
    )?;
    let month = t.required(
        &["month", "period"],
        "Name the column of months \"month\" (YYYY-MM)",
    )?;
    let amount = t.required(
        &["amount", "spend", "cost"],
        "Name the column of money spent \"amount\"",
    )?;
    let channel = t.column(&["channel"]);
    let campaign = t.column(&["campaign"]);
    if channel.is_none() && campaign.is_none() {
        return Err(whole(format!(
            "Line {}: no channel or campaign column. Name the column the money went to \"channel\" or \"campaign\" (or both); the columns found are: {}.",
            t.header_line,
            t.headers.join(", ")
        )));
    }
    if t.rows.len() > MAX_LINES {
        return Err(whole(format!(
            "The file has more than {MAX_LINES} lines; split it in parts of at most {MAX_LINES}."
        )));
    }
    let mut errors = t.unreadable.clone();
    let mut out: Vec<SpendDraft> = Vec::new();
    for (line, r) in &t.rows {
        let typed = [
            ("month", Some(month), t.cell(r, Some(month))),
            ("channel", channel, t.cell(r, channel)),
            ("campaign", campaign, t.cell(r, campaign)),
            ("amount", Some(amount), t.cell(r, Some(amount))),
        ];
        match SpendDraft::parse(&typed[0].2, &typed[1].2, &typed[2].2, &typed[3].2) {
            Ok(d) => {
                out.retain(|x| {
                    (x.month, &x.channel, &x.campaign) != (d.month, &d.channel, &d.campaign)
                });
                out.push(d);
            }
            Err(inv) => {
                let cells: Vec<(&str, Option<usize>, &str)> =
                    typed.iter().map(|(f, i, v)| (*f, *i, v.as_str())).collect();
                errors.extend(t.line_errors(*line, inv, &cells));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.is_empty() {
        return Err(whole(
            "The file has a header row but no spend. Add one line per month and channel or campaign.",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_semicolons_decimal_amounts_and_a_later_line_for_the_same_month() {
        let csv = "\u{feff}Month;Channel;Campaign;Amount\n2026-03;Events;;1200\n2026-03;Paid search;Spring;2,500.50\n2026-03;Events;;1500\n";
        let v = parse(csv.as_bytes()).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(
            (
                v[0].month,
                v[0].channel.as_str(),
                v[0].campaign.as_str(),
                v[0].amount_cents
            ),
            (202603, "Paid search", "Spring", 250_050)
        );
        assert_eq!(
            (v[1].channel.as_str(), v[1].amount_cents),
            ("Events", 150_000)
        );
    }

    #[test]
    fn a_bad_line_names_its_line_column_and_value_and_loads_nothing() {
        let csv = "month,channel,amount\n2026-01,Events,100\n2026-02,Events,100\nMarch,Events,100\n2026-04,,lots\n";
        let e = parse(csv.as_bytes()).unwrap_err();
        let shown: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(
            shown[0].starts_with("Line 4, month \"March\": "),
            "{shown:?}"
        );
        assert!(
            shown[1].starts_with("Line 5, channel \"\": Name the channel"),
            "{shown:?}"
        );
        assert!(
            shown[2].starts_with("Line 5, amount \"lots\": "),
            "{shown:?}"
        );
    }

    #[test]
    fn a_table_without_the_columns_says_which_it_found() {
        let e = parse(b"when,what\n2026-01,100\n").unwrap_err();
        assert!(e[0].reason.contains("no month column") && e[0].reason.contains("when, what"));
        let e = parse(b"month,amount\n2026-01,100\n").unwrap_err();
        assert!(
            e[0].reason.contains("no channel or campaign column"),
            "{e:?}"
        );
        assert!(parse(b"  \n").unwrap_err()[0]
            .reason
            .starts_with("The file is empty."));
        assert!(parse(b"month,channel,amount\n").unwrap_err()[0]
            .reason
            .contains("no spend"));
    }
}
