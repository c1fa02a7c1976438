//! Calendar dates without a time zone, as marketers plan them ("2026-03-12"), and the few
//! computations the rules need. Kept here so the domain needs no date crate.

use serde::{Deserialize, Serialize};

/// Days since 1970-01-01.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Date(pub i64);

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || {
            format!(
                "Enter the date as YYYY-MM-DD, like 2026-03-12 (got '{}').",
                s.trim()
            )
        };
        let parts: Vec<&str> = s.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (y, m, d): (i64, u32, u32) = (
            y.parse().map_err(|_| bad())?,
            m.parse().map_err(|_| bad())?,
            d.parse().map_err(|_| bad())?,
        );
        if !(1970..=9999).contains(&y)
            || !(1..=12).contains(&m)
            || d == 0
            || d > days_in_month(y, m)
        {
            return Err(bad());
        }
        Ok(Date(days_from_civil(y, m, d)))
    }

    /// The date of a unix time, in UTC.
    pub fn from_unix(secs: i64) -> Date {
        Date(secs.div_euclid(86_400))
    }

    /// Midnight UTC of this date as a unix time.
    pub fn unix(self) -> i64 {
        self.0 * 86_400
    }

    pub fn add_days(self, n: i64) -> Date {
        Date(self.0 + n)
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }

    /// The date of a year, month (1-12) and day; the day is clamped to the month's length.
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Date {
        let m = m.clamp(1, 12);
        Date(days_from_civil(y, m, d.clamp(1, days_in_month(y, m))))
    }

    /// The first day of this date's month.
    pub fn month_start(self) -> Date {
        let (y, m, _) = self.ymd();
        Date::from_ymd(y, m, 1)
    }

    /// The same day `n` months later (or earlier), clamped to the month's length.
    pub fn add_months(self, n: i64) -> Date {
        let (y, m, d) = self.ymd();
        let months = y * 12 + (m as i64 - 1) + n;
        Date::from_ymd(months.div_euclid(12), (months.rem_euclid(12) + 1) as u32, d)
    }

    /// Monday of this date's week.
    pub fn week_start(self) -> Date {
        // 1970-01-01 was a Thursday (weekday 3 counting Monday as 0).
        Date(self.0 - (self.0 + 3).rem_euclid(7))
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

// Howard Hinnant's algorithms for the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_refuse_nonsense() {
        for s in ["1970-01-01", "2024-02-29", "2026-12-31", "2000-03-01"] {
            assert_eq!(Date::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap(), Date(1));
        for s in [
            "2026-02-29",
            "2026-13-01",
            "26-01-01",
            "2026/01/01",
            "",
            "2026-1-1",
        ] {
            assert!(Date::parse(s).is_err(), "{s}");
        }
        assert_eq!(Date::from_unix(86_400 * 3 + 5), Date(3));
        assert_eq!(
            Date::parse("2026-11-26").unwrap().week_start().to_string(),
            "2026-11-23"
        );
        assert_eq!(
            Date::parse("2026-11-23").unwrap().week_start().to_string(),
            "2026-11-23"
        );
    }
}
