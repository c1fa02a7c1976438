//! iCalendar (RFC 5545) feeds of all-day events, such as planned launches, first reviews and
//! SOP review dates, so a team sees them in the calendar it already uses; each event may link
//! back to its record (URL).

use crate::Date;

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across feeds, so calendars update the event instead of duplicating it.
    pub uid: String,
    pub date: Date,
    pub summary: String,
    pub description: String,
    /// The record's page, so a calendar app links back to it (RFC 5545 §3.8.4.6).
    pub url: Option<String>,
}

/// Longest content line in octets, not counting the line break (RFC 5545 §3.1).
pub const MAX_LINE: usize = 75;

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line into pieces of at most 75 octets, never splitting a character; each
/// continuation starts with a space. Every piece ends with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > MAX_LINE {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// A moment in UTC, as RFC 5545 writes one ("20260312T101500Z").
fn stamp(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn day(d: Date) -> String {
    let (y, m, d) = d.ymd();
    format!("{y:04}{m:02}{d:02}")
}

/// A complete VCALENDAR with one all-day VEVENT per event; `stamp_unix` is when the feed was
/// made (DTSTAMP).
pub fn calendar(name: &str, events: &[Event], stamp_unix: i64) -> String {
    let mut out = String::new();
    let mut line = |s: String| out.push_str(&fold(&s));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//keel//keel//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape(name)));
    let dtstamp = stamp(stamp_unix);
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape(&e.uid)));
        line(format!("DTSTAMP:{dtstamp}"));
        line(format!("DTSTART;VALUE=DATE:{}", day(e.date)));
        line(format!("DTEND;VALUE=DATE:{}", day(e.date.add_days(1))));
        line(format!("SUMMARY:{}", escape(&e.summary)));
        line(format!("DESCRIPTION:{}", escape(&e.description)));
        if let Some(url) = &e.url {
            // A URI, not TEXT: not escaped, but never a line break or control character.
            let url: String = url.chars().filter(|c| !c.is_control()).collect();
            line(format!("URL:{url}"));
        }
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "").replace("\r\n\t", "")
    }

    fn event(summary: &str, description: &str) -> Event {
        Event {
            uid: "work-12-launch@keel".into(),
            date: Date::parse("2026-03-12").unwrap(),
            summary: summary.into(),
            description: description.into(),
            url: None,
        }
    }

    #[test]
    fn an_event_links_back_to_its_record() {
        let mut e = event("Launch: Q3 webinar", "Owner: Maya");
        e.url = Some("https://keel.example/w/acme/work/12\r\n".into());
        let c = calendar("x", &[e], 0);
        assert!(
            c.contains("\r\nURL:https://keel.example/w/acme/work/12\r\nEND:VEVENT"),
            "{c}"
        );
    }

    #[test]
    fn escape_handles_backslash_semicolon_comma_and_newlines() {
        assert_eq!(escape("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
        assert_eq!(escape("plain: text"), "plain: text");
        assert_eq!(escape("bell\u{7}"), "bell");
    }

    #[test]
    fn fold_leaves_short_lines_alone() {
        assert_eq!(fold("SUMMARY:Launch"), "SUMMARY:Launch\r\n");
        let exact = "X".repeat(75);
        assert_eq!(fold(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn fold_keeps_every_line_within_75_octets_and_unfolds_back() {
        for text in [
            "D".repeat(400),
            "Lançamento de campanha — créditos € ".repeat(12),
            "🚀".repeat(60),
        ] {
            let line = format!("DESCRIPTION:{text}");
            let folded = fold(&line);
            for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
                assert!(l.len() <= MAX_LINE, "{} octets: {l}", l.len());
            }
            assert_eq!(unfold(&folded), format!("{line}\r\n"));
        }
    }

    #[test]
    fn the_calendar_has_the_headers_and_one_all_day_event_per_item() {
        let c = calendar(
            "Acme launches",
            &[event("Launch: Q3 webinar", "Owner: Maya")],
            1_773_000_000 + 3_723, // 2026-03-08 21:02:03 UTC
        );
        let lines: Vec<&str> = c.split("\r\n").collect();
        assert_eq!(
            lines,
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//keel//keel//EN",
                "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH",
                "X-WR-CALNAME:Acme launches",
                "BEGIN:VEVENT",
                "UID:work-12-launch@keel",
                "DTSTAMP:20260308T210203Z",
                "DTSTART;VALUE=DATE:20260312",
                "DTEND;VALUE=DATE:20260313",
                "SUMMARY:Launch: Q3 webinar",
                "DESCRIPTION:Owner: Maya",
                "END:VEVENT",
                "END:VCALENDAR",
                "",
            ]
        );
    }

    #[test]
    fn the_calendar_uses_crlf_everywhere() {
        let c = calendar("x", &[event("a\nb", &"long, text; here ".repeat(20))], 0);
        assert!(c.ends_with("\r\n"));
        assert_eq!(c.matches('\n').count(), c.matches("\r\n").count());
        assert_eq!(c.matches('\r').count(), c.matches("\r\n").count());
        assert!(c.contains("SUMMARY:a\\nb\r\n"));
        assert!(c.contains("DTSTAMP:19700101T000000Z"));
    }

    #[test]
    fn an_empty_calendar_is_still_valid() {
        let c = calendar("Nothing planned", &[], 0);
        assert!(c.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(c.ends_with("X-WR-CALNAME:Nothing planned\r\nEND:VCALENDAR\r\n"));
        assert!(!c.contains("VEVENT"));
    }

    #[test]
    fn event_text_round_trips_through_folding_and_escaping() {
        let description = "Checks: tracking, CRM; landing page\\QA\nSecond line ".repeat(5);
        let c = calendar("x", &[event("s", &description)], 0);
        let unfolded = unfold(&c);
        let line = unfolded
            .split("\r\n")
            .find(|l| l.starts_with("DESCRIPTION:"))
            .unwrap();
        assert_eq!(&line["DESCRIPTION:".len()..], escape(&description));
    }
}
