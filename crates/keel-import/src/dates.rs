//! Dates as CRMs export them: ISO (2026-03-12, with or without a time), US (3/12/2026
//! 10:22 AM), day-first (12/03/2026, 12.03.2026), and epoch milliseconds. A slash date whose
//! day and month could both be either is ambiguous; the order is decided once per file, from
//! the file itself or from the user, never guessed.

use keel_domain::Date;

/// How a file writes `a/b/yyyy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Month first: 3/12/2026 is 12 March.
    Us,
    /// Day first: 12/03/2026 is 12 March.
    DayFirst,
}

impl DateOrder {
    pub fn parse(s: &str) -> Result<DateOrder, String> {
        match s.trim().to_lowercase().as_str() {
            "us" | "mdy" | "month-first" => Ok(DateOrder::Us),
            "day-first" | "dmy" | "eu" => Ok(DateOrder::DayFirst),
            other => Err(format!(
                "Date order is 'us' (month first) or 'day-first' (got '{other}')."
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DateOrder::Us => "us",
            DateOrder::DayFirst => "day-first",
        }
    }
}

/// What one value says about the file's date order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// ISO, epoch, or otherwise unambiguous without an order.
    None,
    /// Only one order reads it (13/03/2026 is day-first).
    Order(DateOrder),
    /// Either order reads it (03/04/2026).
    Ambiguous,
}

struct Parts<'a> {
    a: &'a str,
    b: &'a str,
    y: &'a str,
    sep: char,
}

fn date_part(s: &str) -> &str {
    let s = s.trim();
    s.split(['T', ' ']).next().unwrap_or(s)
}

fn split(s: &str) -> Option<Parts<'_>> {
    let sep = s.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let mut it = s.split(sep);
    let (a, b, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    Some(Parts { a, b, y, sep })
}

fn num(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn ymd(y: u32, m: u32, d: u32) -> Option<Date> {
    Date::parse(&format!("{y:04}-{m:02}-{d:02}")).ok()
}

fn year(y: &str) -> Option<u32> {
    match y.len() {
        4 => num(y),
        2 => num(y).map(|v| 2000 + v),
        _ => None,
    }
}

/// What `s` tells about the date order.
pub fn evidence(s: &str) -> Evidence {
    let Some(p) = split(date_part(s)) else {
        return Evidence::None;
    };
    if p.a.len() == 4 {
        return Evidence::None;
    }
    if p.sep == '.' {
        return Evidence::Order(DateOrder::DayFirst);
    }
    match (num(p.a), num(p.b)) {
        (Some(a), Some(b)) if a > 12 && b <= 12 => Evidence::Order(DateOrder::DayFirst),
        (Some(a), Some(b)) if b > 12 && a <= 12 => Evidence::Order(DateOrder::Us),
        (Some(a), Some(b)) if a <= 12 && b <= 12 && a != b => Evidence::Ambiguous,
        _ => Evidence::None,
    }
}

/// Parses one date with the file's order (needed only for ambiguous slash dates).
/// A moment (epoch milliseconds) is dated on `zone`'s calendar.
pub fn parse(s: &str, order: Option<DateOrder>, zone: &keel_domain::Zone) -> Result<Date, String> {
    let t = s.trim();
    let bad =
        || format!("'{t}' is not a date keel can read (use 2026-03-12, 3/12/2026 or 12.03.2026).");
    if t.len() >= 12 && t.chars().all(|c| c.is_ascii_digit()) {
        let ms: i64 = t.parse().map_err(|_| bad())?;
        // A moment, not a day: the lead came in on the day it was in the workspace's zone.
        return Ok(zone.date_of(ms / 1000));
    }
    let p = split(date_part(t)).ok_or_else(bad)?;
    if p.a.len() == 4 {
        let (y, m, d) = (num(p.a), num(p.b), num(p.y));
        return match (y, m, d) {
            (Some(y), Some(m), Some(d)) => ymd(y, m, d).ok_or_else(bad),
            _ => Err(bad()),
        };
    }
    let (a, b, y) = match (num(p.a), num(p.b), year(p.y)) {
        (Some(a), Some(b), Some(y)) => (a, b, y),
        _ => return Err(bad()),
    };
    let order = match evidence(t) {
        Evidence::Order(o) => {
            if order.is_some_and(|f| f != o) {
                return Err(format!(
                    "'{t}' can only be read {}, but the file's dates are {}.",
                    describe(o),
                    describe(order.unwrap_or(o))
                ));
            }
            o
        }
        Evidence::Ambiguous => order.ok_or_else(|| {
            format!("'{t}' could be read either way; say whether the file's dates are month first or day first.")
        })?,
        Evidence::None => order.unwrap_or(DateOrder::Us),
    };
    let (m, d) = match order {
        DateOrder::Us => (a, b),
        DateOrder::DayFirst => (b, a),
    };
    ymd(y, m, d).ok_or_else(bad)
}

fn describe(o: DateOrder) -> &'static str {
    match o {
        DateOrder::Us => "month first (US)",
        DateOrder::DayFirst => "day first",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn utc() -> keel_domain::Zone {
        keel_domain::Zone::utc()
    }

    #[test]
    fn a_moment_is_dated_on_the_workspace_calendar() {
        // 02:00 UTC on 12 March is still the 11th in California.
        let la = keel_domain::Zone::parse("America/Los_Angeles").unwrap();
        assert_eq!(parse("1773280800000", None, &la), Ok(d("2026-03-11")));
        assert_eq!(parse("1773280800000", None, &utc()), Ok(d("2026-03-12")));
        // A day written as a day stays that day, whatever the zone.
        assert_eq!(parse("2026-03-12", None, &la), Ok(d("2026-03-12")));
    }

    #[test]
    fn iso_us_day_first_and_epoch_dates_are_read() {
        assert_eq!(parse("2026-03-12", None, &utc()), Ok(d("2026-03-12")));
        assert_eq!(parse("2026-03-12 10:22", None, &utc()), Ok(d("2026-03-12")));
        assert_eq!(
            parse("2026-03-12T10:22:33.120Z", None, &utc()),
            Ok(d("2026-03-12"))
        );
        assert_eq!(parse("2026/03/12", None, &utc()), Ok(d("2026-03-12")));
        assert_eq!(
            parse("3/12/2026 10:22 AM", Some(DateOrder::Us), &utc()),
            Ok(d("2026-03-12"))
        );
        assert_eq!(
            parse("12/03/2026", Some(DateOrder::DayFirst), &utc()),
            Ok(d("2026-03-12"))
        );
        assert_eq!(parse("12.03.2026", None, &utc()), Ok(d("2026-03-12")));
        assert_eq!(parse("13/03/2026", None, &utc()), Ok(d("2026-03-13")));
        assert_eq!(parse("1773310953000", None, &utc()), Ok(d("2026-03-12")));
    }

    #[test]
    fn an_ambiguous_date_is_asked_not_guessed() {
        assert_eq!(evidence("03/04/2026"), Evidence::Ambiguous);
        assert_eq!(evidence("13/04/2026"), Evidence::Order(DateOrder::DayFirst));
        assert_eq!(evidence("04/13/2026"), Evidence::Order(DateOrder::Us));
        assert_eq!(evidence("2026-04-03"), Evidence::None);
        assert!(parse("03/04/2026", None, &utc())
            .unwrap_err()
            .contains("either way"));
        assert!(parse("13/04/2026", Some(DateOrder::Us), &utc())
            .unwrap_err()
            .contains("day first"));
        assert!(parse("2026-02-30", None, &utc()).is_err());
        assert!(parse("soon", None, &utc()).is_err());
    }
}
