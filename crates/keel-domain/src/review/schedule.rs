//! When a cadence's reviews fall: weekly ones on their weekday, monthly and quarterly ones on
//! the first such weekday of their month or quarter, every `interval` periods.

use super::{Cadence, Kind, Review};
use crate::Date;

/// Days a review may be late before its cadence counts as overdue.
pub fn grace_days(kind: Kind) -> i64 {
    match kind {
        Kind::Weekly => 3,
        Kind::Monthly => 7,
        Kind::Quarterly => 14,
    }
}

/// The first day of the period (week, month, quarter) that `d` falls in.
pub fn period_start(kind: Kind, d: Date) -> Date {
    match kind {
        Kind::Weekly => d.week_start(),
        Kind::Monthly => d.month_start(),
        Kind::Quarterly => {
            let (y, m, _) = d.ymd();
            Date::from_ymd(y, (m - 1) / 3 * 3 + 1, 1)
        }
    }
}

/// The start of the period `n` periods after the one starting at `start`.
pub fn step(kind: Kind, start: Date, n: i64) -> Date {
    match kind {
        Kind::Weekly => start.add_days(7 * n),
        Kind::Monthly => start.add_months(n),
        Kind::Quarterly => start.add_months(3 * n),
    }
}

/// The first day on or after `d` that is `weekday` (1 = Monday).
fn on_or_after(d: Date, weekday: u8) -> Date {
    let today = d.civil().weekday().to_monday_one_offset() as i64;
    d.add_days((weekday as i64 - today).rem_euclid(7))
}

impl Cadence {
    /// The day of this cadence's review in the period starting at `start`.
    pub fn day_in(&self, start: Date) -> Date {
        on_or_after(start, self.weekday.clamp(1, 7))
    }

    /// The day the next review is due: `interval` periods after the last one's period, or
    /// the first scheduled day on or after the cadence was set up.
    pub fn next_due(&self, last: Option<Date>) -> Date {
        match last {
            Some(l) => {
                let start = step(self.kind, period_start(self.kind, l), self.interval.max(1));
                self.day_in(start)
            }
            None => {
                let start = period_start(self.kind, self.since);
                let day = self.day_in(start);
                if day >= self.since {
                    day
                } else {
                    self.day_in(step(self.kind, start, 1))
                }
            }
        }
    }

    /// The date of the latest review of this cadence's kind.
    pub fn last_held(&self, reviews: &[Review]) -> Option<Date> {
        reviews
            .iter()
            .filter(|r| r.kind == self.kind)
            .map(|r| r.date)
            .max()
    }

    /// The days of this cadence's next reviews: from the next one due (past, when it is
    /// overdue: it is still to be held), each following one as if the one before were held on
    /// its day, up to but not including `until`, at most `max`. None when switched off.
    pub fn upcoming(&self, reviews: &[Review], until: Date, max: usize) -> Vec<Date> {
        let mut out = Vec::new();
        if !self.active {
            return out;
        }
        let mut due = self.next_due(self.last_held(reviews));
        while due < until && out.len() < max {
            out.push(due);
            due = self.next_due(Some(due));
        }
        out
    }

    /// Whether `person` runs or attends this cadence's reviews.
    pub fn involves(&self, person: i64) -> bool {
        self.facilitator_id == Some(person) || self.attendee_ids.contains(&person)
    }

    /// Overdue: active, and today is past the next due day plus the grace days.
    pub fn overdue_since(&self, reviews: &[Review], today: Date) -> Option<Date> {
        if !self.active {
            return None;
        }
        let due = self.next_due(self.last_held(reviews));
        (today > due.add_days(grace_days(self.kind))).then_some(due)
    }

    /// "Every Monday at 09:30", "Every 2 weeks on Thursday at 16:00",
    /// "First Tuesday of every month at 10:00".
    pub fn describe(&self) -> String {
        let day = WEEKDAYS[(self.weekday.clamp(1, 7) - 1) as usize];
        let time = format!(
            "{:02}:{:02}",
            self.time_minutes / 60,
            self.time_minutes % 60
        );
        let n = self.interval.max(1);
        match (self.kind, n) {
            (Kind::Weekly, 1) => format!("Every {day} at {time}"),
            (Kind::Weekly, 2) => format!("Every 2 weeks (biweekly) on {day} at {time}"),
            (Kind::Weekly, n) => format!("Every {n} weeks on {day} at {time}"),
            (Kind::Monthly, 1) => format!("First {day} of every month at {time}"),
            (Kind::Monthly, n) => format!("First {day} of every {n} months at {time}"),
            (Kind::Quarterly, 1) => format!("First {day} of every quarter at {time}"),
            (Kind::Quarterly, n) => format!("First {day} of every {n} quarters at {time}"),
        }
    }
}

pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

#[cfg(test)]
mod tests {
    use crate::review::tests::{cadence, d, review};
    use crate::review::Kind;

    #[test]
    fn upcoming_reviews_follow_the_rhythm_from_the_last_one_held_and_stop_when_off() {
        let mut c = cadence(Kind::Weekly);
        c.interval = 2;
        let held = [review(1, Kind::Weekly, "2026-11-30", vec![])];
        assert_eq!(
            c.upcoming(&held, d("2027-01-12"), 10),
            [d("2026-12-14"), d("2026-12-28"), d("2027-01-11")]
        );
        assert_eq!(c.upcoming(&held, d("2027-12-31"), 2).len(), 2);
        c.active = false;
        assert!(c.upcoming(&held, d("2027-01-12"), 10).is_empty());
        let m = cadence(Kind::Monthly);
        assert_eq!(
            m.upcoming(&[], d("2027-02-28"), 10),
            [
                d("2026-11-02"),
                d("2026-12-07"),
                d("2027-01-04"),
                d("2027-02-01")
            ],
            "first Monday of each month, from the month it was set up"
        );
        assert!(m.involves(3) && !m.involves(2));
    }
}
