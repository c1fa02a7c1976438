//! What a metric's measurements say: the latest value, whether it is off target, the trend
//! (a least-squares line over the recent periods), where that line leads by a date, and
//! whether a value is missing for a period that has ended.

use super::{Cadence, Direction, Measurement, Metric};
use crate::Date;
use serde::Serialize;

/// The trend reads at most this many recent measurements: a year of months, a quarter of
/// weeks. Older values describe another situation.
pub const TREND_POINTS: usize = 12;
/// Fewer measurements than this make no trend.
pub const MIN_TREND_POINTS: usize = 3;
/// A target that needs more than this multiple of the past pace is not achievable.
pub const PACE_FACTOR: f64 = 2.0;

/// Two decimals, for display and for stable answers.
pub fn round(v: f64) -> f64 {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 {
        0.0 // no "-0"
    } else {
        r
    }
}

/// Periods from `a` to `b`: whole months count as one each whatever their length, so a
/// steady monthly series draws a straight line.
fn periods_between(c: Cadence, a: Date, b: Date) -> f64 {
    let months = |d: Date| {
        let (y, m, day) = d.ymd();
        (y * 12 + m as i64) as f64 + (day as f64 - 1.0) / 30.4375
    };
    match c {
        Cadence::Weekly => (b.0 - a.0) as f64 / 7.0,
        Cadence::Monthly => months(b) - months(a),
        Cadence::Quarterly => (months(b) - months(a)) / 3.0,
    }
}

pub fn latest(ms: &[Measurement]) -> Option<&Measurement> {
    ms.iter().max_by_key(|x| x.period)
}

/// Whether `value` is on the wrong side of the metric's target (`None`: no target).
pub fn off_target(metric: &Metric, value: f64) -> Option<bool> {
    let t = metric.target?;
    Some(match metric.direction {
        Direction::Higher => value < t,
        Direction::Lower => value > t,
    })
}

/// Whether a change of `delta` is for the better.
pub fn is_better(direction: Direction, delta: f64) -> bool {
    match direction {
        Direction::Higher => delta > 0.0,
        Direction::Lower => delta < 0.0,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trend {
    /// Change per period of the metric's cadence, from a least-squares line.
    pub per_period: f64,
    /// How many measurements the line was drawn through.
    pub points: usize,
    /// Whether the line goes the better way (`None`: flat within 1 % of the mean a period).
    pub better: Option<bool>,
}

impl Trend {
    /// "+4.2 a month", "-1 a week", "flat".
    pub fn describe(&self, cadence: Cadence) -> String {
        match self.better {
            None => "flat".into(),
            Some(_) => format!(
                "{}{} a {}",
                if self.per_period > 0.0 { "+" } else { "" },
                round(self.per_period),
                cadence.period_word()
            ),
        }
    }
}

/// The trend over the last `TREND_POINTS` measurements (`None` with fewer than three). Gaps
/// count: x is the time in periods, not the index.
pub fn trend(metric: &Metric, ms: &[Measurement]) -> Option<Trend> {
    let mut recent: Vec<&Measurement> = ms.iter().collect();
    recent.sort_by_key(|x| x.period);
    let recent = &recent[recent.len().saturating_sub(TREND_POINTS)..];
    if recent.len() < MIN_TREND_POINTS {
        return None;
    }
    let x0 = recent[0].period;
    let xs: Vec<f64> = recent
        .iter()
        .map(|m| periods_between(metric.cadence, x0, m.period))
        .collect();
    let ys: Vec<f64> = recent.iter().map(|m| m.value).collect();
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let slope = sxy / sxx;
    let flat = slope.abs() <= my.abs() * 0.01 || slope.abs() < 1e-9;
    Some(Trend {
        per_period: slope,
        points: recent.len(),
        better: (!flat).then(|| is_better(metric.direction, slope)),
    })
}

/// Where the trend leads by `date`, starting from the latest value.
pub fn project(metric: &Metric, ms: &[Measurement], date: Date) -> Option<f64> {
    let t = trend(metric, ms)?;
    let last = latest(ms)?;
    let periods = periods_between(metric.cadence, last.period, date);
    Some(last.value + t.per_period * periods.max(0.0))
}

/// The period that should have a value by `today` and has none after it: the last period
/// that ended more than the cadence's grace days ago, when the latest measurement is older
/// (or there is none). `None`: measured within its cadence, or computed by keel (a period
/// with nothing to count has no value, and nobody is late with it).
pub fn missing_period(metric: &Metric, ms: &[Measurement], today: Date) -> Option<Date> {
    if metric.computed.is_some() {
        return None;
    }
    let c = metric.cadence;
    let due = c.step(c.period_start(today.add_days(-c.grace_days())), -1);
    match latest(ms) {
        Some(l) if l.period >= due => None,
        _ => Some(due),
    }
}

/// What reaching a target by a deadline asks, against what the past did.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pace {
    /// Change per period needed from the latest value to the target by the deadline.
    pub needed: f64,
    /// The trend's change per period.
    pub past: f64,
    /// Where the trend leads by the deadline.
    pub projected: f64,
    /// Whether the projection reaches the target.
    pub reaches: bool,
}

/// The pace a target needs by `deadline`, from the metric's past (`None` without a trend or
/// when the deadline is not after the latest value).
pub fn pace(metric: &Metric, ms: &[Measurement], target: f64, deadline: Date) -> Option<Pace> {
    let t = trend(metric, ms)?;
    let last = latest(ms)?;
    let periods = periods_between(metric.cadence, last.period, deadline);
    if periods <= 0.0 {
        return None;
    }
    let projected = last.value + t.per_period * periods;
    let reaches = match metric.direction {
        Direction::Higher => projected >= target,
        Direction::Lower => projected <= target,
    };
    Some(Pace {
        needed: (target - last.value) / periods,
        past: t.per_period,
        projected,
        reaches,
    })
}

impl Pace {
    /// A target is out of reach when it needs the metric to move the better way more than
    /// `PACE_FACTOR` times as fast as it did, or to turn round when it has been going the
    /// other way. A target the metric already meets, or one within its pace, is reachable.
    pub fn out_of_reach(&self, direction: Direction) -> bool {
        if self.reaches || !is_better(direction, self.needed) {
            return false;
        }
        !is_better(direction, self.past) || self.needed.abs() > self.past.abs() * PACE_FACTOR
    }
}
