//! What pages and the API both do with metrics: read them through the caller's view (a
//! hidden metric is a missing one, and so are its values), parse input against that view,
//! and sum up what a metric's values say with the domain's one set of rules.

use keel_domain::health::Model;
use keel_domain::metric::trend::{self, Trend};
use keel_domain::metric::{self, Measurement, MeasurementDraft, MeasurementInput, Metric};
use keel_domain::{Date, Invalid};

pub fn metric(m: &Model, id: i64) -> Option<Metric> {
    m.metrics.iter().find(|x| x.id == id).cloned()
}

/// What a metric's values say today.
pub struct Summary {
    pub latest: Option<Measurement>,
    pub off_target: Option<bool>,
    pub trend: Option<Trend>,
    /// The ended period that has no value yet.
    pub missing: Option<Date>,
}

pub fn summary(x: &Metric, m: &Model) -> Summary {
    let ms = metric::measurements_of(m, x.id);
    let latest = trend::latest(ms).cloned();
    Summary {
        off_target: latest.as_ref().and_then(|l| trend::off_target(x, l.value)),
        trend: trend::trend(x, ms),
        missing: trend::missing_period(x, ms, m.today()),
        latest,
    }
}

/// Parses values as of `today` (the workspace's: a period not begun there is refused).
pub fn parse_values(
    x: &Metric,
    rows: &[MeasurementInput],
    today: keel_domain::Date,
) -> Result<Vec<MeasurementDraft>, Invalid> {
    metric::parse_many(rows, x.cadence, today)
}
