//! Moments as people and programs read them, through jiff (the domain's date crate): the
//! clock, a moment's day on the workspace's calendar, and RFC 3339 for the API.

use keel_domain::{Date, Zone};

/// Unix seconds now.
pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Today in a workspace's time zone.
pub fn today(zone: &Zone) -> Date {
    zone.date_of(now())
}

/// "12 Mar 2026": the day a moment fell on in the workspace's time zone.
pub fn date(unix: i64, zone: &Zone) -> String {
    zone.long(unix)
}

/// RFC 3339 in UTC, for the API ("2026-03-12T10:15:00Z").
pub fn rfc3339(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_reads_on_the_workspace_calendar_and_in_utc_for_programs() {
        // 2026-06-11 01:00 UTC is the evening of 10 June in California.
        let t = Date::parse("2026-06-11").unwrap().0 * 86_400 + 3600;
        let la = Zone::parse("America/Los_Angeles").unwrap();
        assert_eq!(date(t, &la), "10 Jun 2026");
        assert_eq!(date(t, &Zone::utc()), "11 Jun 2026");
        assert_eq!(rfc3339(t), "2026-06-11T01:00:00Z");
    }
}
