//! Calendar dates as marketers plan them ("2026-03-12"), and the workspace's time zone that
//! turns a moment into one. The calendar is jiff's; a `Date` keeps its day number since
//! 1970-01-01 because that is how both databases store it.
//!
//! There is no "date of a unix time" without a zone: `Zone::date_of` is the one way, so a
//! team in California that launches at 6 pm records that day, not tomorrow in UTC.

use jiff::civil;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Unit};

const EPOCH: civil::Date = civil::date(1970, 1, 1);
use serde::{Deserialize, Serialize};

const DAY: i64 = 86_400;

/// Days since 1970-01-01.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Date(pub i64);

impl Date {
    /// Parses `YYYY-MM-DD`, from 1970 to 9999.
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || {
            format!(
                "Enter the date as YYYY-MM-DD, like 2026-03-12 (got '{}').",
                s.trim()
            )
        };
        let t = s.trim();
        // jiff reads more shapes than people type (a basic "20260312", a week date); the
        // form says YYYY-MM-DD, so only that is taken.
        let shaped = t.len() == 10
            && t.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !shaped {
            return Err(bad());
        }
        let d: civil::Date = t.parse().map_err(|_| bad())?;
        if d.year() < 1970 {
            return Err(bad());
        }
        Ok(Date::from_civil(d))
    }

    /// The day number of a calendar date.
    pub fn from_civil(d: civil::Date) -> Date {
        let days = EPOCH
            .until((Unit::Day, d))
            .map(|s| s.get_days() as i64)
            .unwrap_or_default();
        Date(days)
    }

    /// This day on jiff's calendar (clamped to the years jiff knows, -9999 to 9999).
    pub fn civil(self) -> civil::Date {
        EPOCH
            .checked_add(Span::new().days(self.0.clamp(-4_000_000, 2_932_896)))
            .unwrap_or(EPOCH)
    }

    pub fn add_days(self, n: i64) -> Date {
        Date(self.0 + n)
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        let d = self.civil();
        (d.year() as i64, d.month() as u32, d.day() as u32)
    }

    /// The date of a year, month (1-12) and day; the day is clamped to the month's length.
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Date {
        let y = y.clamp(-9999, 9999) as i16;
        let m = m.clamp(1, 12) as i8;
        let first = civil::Date::new(y, m, 1).unwrap_or(EPOCH);
        let d = (d.max(1) as i8).min(first.days_in_month());
        Date::from_civil(civil::Date::new(y, m, d).unwrap_or(first))
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
        Date(self.0 - self.civil().weekday().to_monday_zero_offset() as i64)
    }

    /// "12 Mar 2026".
    pub fn long(self) -> String {
        self.civil().strftime("%-d %b %Y").to_string()
    }

    /// "3 Dec".
    pub fn day_month(self) -> String {
        self.civil().strftime("%-d %b").to_string()
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.civil())
    }
}

/// A workspace's time zone (an IANA name such as "America/Los_Angeles"): its "today", the
/// day a move happened on, and the moment a typed date starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone(TimeZone);

impl Default for Zone {
    fn default() -> Zone {
        Zone::utc()
    }
}

impl Zone {
    pub fn utc() -> Zone {
        Zone(TimeZone::UTC)
    }

    /// An IANA time zone name, as the settings form and API take it.
    pub fn parse(name: &str) -> Result<Zone, String> {
        let n = name.trim();
        if n.is_empty() || n.len() > 64 {
            return Err("Choose a time zone, such as Europe/Berlin or America/New_York.".into());
        }
        TimeZone::get(n).map(Zone).map_err(|_| {
            format!("'{n}' is not a time zone keel knows. Use a name such as Europe/Berlin or America/Los_Angeles.")
        })
    }

    /// A stored name; one keel no longer knows reads as UTC rather than failing a page.
    pub fn stored(name: &str) -> Zone {
        Zone::parse(name).unwrap_or_default()
    }

    /// The IANA name ("UTC" for UTC).
    pub fn name(&self) -> String {
        self.0.iana_name().unwrap_or("UTC").to_string()
    }

    /// "12 Mar 2026, 14:05": a moment as the team's clock showed it (the audit log).
    pub fn long_time(&self, unix: i64) -> String {
        let z = Timestamp::from_second(unix)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned_datetime(self.0.clone());
        format!("{}, {:02}:{:02}", self.long(unix), z.hour(), z.minute())
    }

    /// The day a moment falls on here.
    pub fn date_of(&self, unix: i64) -> Date {
        let z = Timestamp::from_second(unix)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned_datetime(self.0.clone());
        Date::from_civil(z.date())
    }

    /// The hour (0 to 23) a moment falls in here: when the weekly digest is due.
    pub fn hour_of(&self, unix: i64) -> i8 {
        Timestamp::from_second(unix)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned_datetime(self.0.clone())
            .hour()
    }

    /// The moment a day starts here (the first moment of it, where a clock change skips
    /// midnight).
    pub fn start_of(&self, d: Date) -> i64 {
        d.civil()
            .to_zoned_datetime(self.0.clone())
            .map(|z| z.timestamp().as_second())
            .unwrap_or(d.0 * DAY)
    }

    /// "12 Mar 2026" for a moment, on this zone's calendar.
    pub fn long(&self, unix: i64) -> String {
        self.date_of(unix).long()
    }

    /// Every zone name keel knows, sorted, for a picker.
    pub fn all_names() -> Vec<String> {
        let mut v: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        v.sort();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_refuse_nonsense() {
        for s in [
            "1970-01-01",
            "2024-02-29",
            "2026-12-31",
            "2000-03-01",
            "9999-12-31",
        ] {
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
            "20260101",
            "1969-12-31",
            "2026-W01-1",
        ] {
            assert!(Date::parse(s).is_err(), "{s}");
        }
        assert_eq!(Zone::utc().date_of(DAY * 3 + 5), Date(3));
        assert_eq!(
            Date::parse("2026-11-26").unwrap().week_start().to_string(),
            "2026-11-23"
        );
        assert_eq!(
            Date::parse("2026-11-23").unwrap().week_start().to_string(),
            "2026-11-23"
        );
        assert_eq!(Date::parse("2026-03-02").unwrap().long(), "2 Mar 2026");
        assert_eq!(Date::parse("2026-12-03").unwrap().day_month(), "3 Dec");
    }

    #[test]
    fn six_pm_in_california_is_that_day_there_and_the_next_in_utc() {
        let la = Zone::parse("America/Los_Angeles").unwrap();
        // 2026-06-10 18:00 PDT (UTC-7) is 2026-06-11 01:00 UTC.
        let six_pm = Date::parse("2026-06-11").unwrap().0 * DAY + 3600;
        assert_eq!(la.date_of(six_pm).to_string(), "2026-06-10");
        assert_eq!(Zone::utc().date_of(six_pm).to_string(), "2026-06-11");
        // Its day starts at 07:00 UTC; Berlin's the evening before in UTC.
        let d = Date::parse("2026-06-10").unwrap();
        assert_eq!(la.start_of(d), d.0 * DAY + 7 * 3600);
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        assert_eq!(berlin.start_of(d), d.0 * DAY - 2 * 3600);
        assert_eq!(la.name(), "America/Los_Angeles");
    }

    #[test]
    fn zone_names_are_iana_names() {
        assert!(Zone::parse("Mars/Olympus")
            .unwrap_err()
            .contains("not a time zone"));
        assert!(Zone::parse(" ").is_err());
        assert_eq!(Zone::stored("nonsense"), Zone::utc());
        assert_eq!(Zone::utc().name(), "UTC");
        let all = Zone::all_names();
        assert!(all.iter().any(|n| n == "America/Los_Angeles"));
        assert!(all.len() > 300);
    }
}
