//! Metrics: what tells the team whether its work works. Each has one internal owner, a
//! definition precise enough that two people compute it the same way, a source, a unit, a
//! cadence, which direction is better, a target, and what it measures (a function, an
//! objective as its KPI, a channel, a workflow). Measurements are dated values, one per
//! period of the metric's cadence.
//!
//! Trend, "off target" and "not measured lately" are computed here once (`trend.rs`), so
//! pages, API, objectives and health rules give the same answer.

use crate::health::Model;
use crate::objective::Layer;
use crate::{objective, text, Date, Invalid};
use serde::{Deserialize, Serialize};

pub mod trend;

pub const MAX_VALUE: f64 = 1e12;
/// Measurements one bulk request may carry.
pub const MAX_BULK: usize = 1000;

macro_rules! choice {
    ($(#[$m:meta])* $name:ident { $($v:ident = $s:literal / $label:literal),+ $(,)? } $err:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$v => $label),+ }
            }

            pub fn parse(s: &str) -> Result<$name, String> {
                let s = s.trim().to_lowercase();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|x| x.as_str() == s)
                    .ok_or_else(|| $err.to_string())
            }
        }
    };
}

choice!(
    /// How often a metric is measured; a measurement's date is the start of its period.
    Cadence {
        Weekly = "weekly" / "Weekly",
        Monthly = "monthly" / "Monthly",
        Quarterly = "quarterly" / "Quarterly",
    } "Choose weekly, monthly or quarterly."
);

choice!(
    /// Which way is better.
    Direction {
        Higher = "higher" / "Higher is better",
        Lower = "lower" / "Lower is better",
    } "Choose higher or lower (which way is better)."
);

choice!(
    /// Activity metrics count output; outcome metrics are results the business feels.
    MetricType {
        Activity = "activity" / "Activity (output counted)",
        Outcome = "outcome" / "Outcome (a result the business feels)",
    } "Choose activity or outcome."
);

choice!(
    /// The side of performance a metric shows; a balanced function measures more than one.
    Kind {
        Speed = "speed" / "Speed",
        Quality = "quality" / "Quality",
        Cost = "cost" / "Cost",
        Contribution = "contribution" / "Contribution",
    } "Choose speed, quality, cost or contribution."
);

choice!(
    /// The family a metric belongs to: what the team runs on, what says whether leads are
    /// good, what is reported upwards, what stakeholders watch.
    Family {
        Operating = "operating" / "Operating",
        LeadQuality = "lead_quality" / "Lead quality",
        Reporting = "reporting" / "Reporting",
        Stakeholder = "stakeholder" / "Stakeholder",
    } "Choose operating, lead quality, reporting or stakeholder."
);

choice!(
    /// Leading metrics move before the result and can be steered; lagging ones confirm it.
    Signal {
        Leading = "leading" / "Leading (moves first, can be steered)",
        Lagging = "lagging" / "Lagging (confirms the result)",
    } "Choose leading or lagging."
);

pub mod computed;
pub use computed::Computed;

impl Cadence {
    /// The first day of the period `d` falls in: Monday, the 1st of the month, or the 1st
    /// of the quarter.
    pub fn period_start(self, d: Date) -> Date {
        match self {
            Cadence::Weekly => d.week_start(),
            Cadence::Monthly => d.month_start(),
            Cadence::Quarterly => {
                let (y, m, _) = d.ymd();
                Date::from_ymd(y, (m - 1) / 3 * 3 + 1, 1)
            }
        }
    }

    /// The start of the period `n` periods after the one starting at `start`.
    pub fn step(self, start: Date, n: i64) -> Date {
        match self {
            Cadence::Weekly => start.add_days(7 * n),
            Cadence::Monthly => start.add_months(n),
            Cadence::Quarterly => start.add_months(3 * n),
        }
    }

    /// Days after a period ends before its value counts as late: time to close the books.
    pub fn grace_days(self) -> i64 {
        match self {
            Cadence::Weekly => 3,
            Cadence::Monthly => 10,
            Cadence::Quarterly => 20,
        }
    }

    /// Periods in a year, to say a trend "per month" or "per week" plainly.
    pub fn per_year(self) -> f64 {
        match self {
            Cadence::Weekly => 52.0,
            Cadence::Monthly => 12.0,
            Cadence::Quarterly => 4.0,
        }
    }

    /// "week", "month", "quarter".
    pub fn period_word(self) -> &'static str {
        match self {
            Cadence::Weekly => "week",
            Cadence::Monthly => "month",
            Cadence::Quarterly => "quarter",
        }
    }
}

/// A metric as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    pub id: i64,
    pub name: String,
    /// What it counts and how: source field, filter, tracking or UTM rule.
    pub definition: Option<String>,
    pub owner_id: Option<i64>,
    /// Where the numbers come from ("HubSpot", "GA4", "finance sheet").
    pub source: Option<String>,
    /// "leads", "%", "EUR", "days"…
    pub unit: Option<String>,
    pub cadence: Cadence,
    pub direction: Direction,
    pub target: Option<f64>,
    pub metric_type: MetricType,
    pub kind: Kind,
    pub function_id: Option<i64>,
    /// The objective this metric is the KPI of (at most one metric per objective).
    pub objective_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub workflow_id: Option<i64>,
    /// What keel computes for it (its source is then "keel" and values are never typed in).
    pub computed: Option<Computed>,
    pub family: Option<Family>,
    /// Leading or lagging.
    pub signal: Option<Signal>,
    /// The strategy layer it reports on; when not set, its objective's (or tactics for a
    /// channel's or workflow's), see `stack::cascade`.
    pub layer: Option<Layer>,
    /// Unix time its definition, source or unit last changed (not set by creating it): a
    /// shift in reporting that asks the SOP of the workflow it measures for a review.
    pub definition_changed_at: Option<i64>,
    pub version: i64,
}

/// One value of a metric for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    pub id: i64,
    pub metric_id: i64,
    /// The start of the period (per the metric's cadence) the value is for.
    pub period: Date,
    pub value: f64,
    pub note: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct MetricInput {
    pub name: String,
    pub definition: String,
    pub owner_id: String,
    pub source: String,
    pub unit: String,
    pub cadence: String,
    pub direction: String,
    pub target: String,
    pub metric_type: String,
    pub kind: String,
    pub function_id: String,
    pub objective_id: String,
    pub channel_id: String,
    pub workflow_id: String,
    /// A `Computed` key, empty for a metric whose values are entered.
    pub computed: String,
    /// Empty for not set.
    pub family: String,
    pub signal: String,
    pub layer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MetricDraft {
    pub name: String,
    pub definition: Option<String>,
    pub owner_id: Option<i64>,
    pub source: Option<String>,
    pub unit: Option<String>,
    pub cadence: Cadence,
    pub direction: Direction,
    pub target: Option<f64>,
    pub metric_type: MetricType,
    pub kind: Kind,
    pub function_id: Option<i64>,
    pub objective_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub workflow_id: Option<i64>,
    pub computed: Option<Computed>,
    pub family: Option<Family>,
    pub signal: Option<Signal>,
    pub layer: Option<Layer>,
}

/// A choice that may be left empty.
fn optional<T>(raw: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    match raw.trim() {
        "" => Ok(None),
        r => parse(r).map(Some),
    }
}

/// The source keel's own metrics carry.
pub const KEEL_SOURCE: &str = "keel";

/// A number as typed: "1 200,5" and "1200.5" alike.
pub fn number(raw: &str, what: &str) -> Result<Option<f64>, String> {
    let v = raw.trim().replace([' ', '_'], "").replace(',', ".");
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() && n.abs() < MAX_VALUE => Ok(Some(n)),
        _ => Err(format!("Enter {what} as a number, like 120 or 4.5.")),
    }
}

/// An id the author picked from a list of what they see; anything else is "not there".
fn link(raw: &str, exists: impl Fn(i64) -> bool, what: &str) -> Result<Option<i64>, String> {
    crate::field::seen_id(raw, exists, || format!("Choose {what} from the list."))
}

impl MetricDraft {
    /// Parses a metric against the part of the model the author sees. `editing` is the id
    /// of the metric being changed, so it may keep its own objective.
    pub fn parse(i: &MetricInput, m: &Model, editing: Option<i64>) -> Result<MetricDraft, Invalid> {
        let mut inv = Invalid::new();
        let name = inv.take("name", text::required(&i.name, "the metric's name", 120));
        let mut definition = inv
            .take(
                "definition",
                text::optional(&i.definition, "the definition", 2000),
            )
            .flatten();
        let owner_id = inv
            .take("owner_id", objective::owner(&i.owner_id, &m.people))
            .flatten();
        let mut source = inv
            .take("source", text::optional(&i.source, "the source", 120))
            .flatten();
        let mut unit = inv
            .take("unit", text::optional(&i.unit, "the unit", 20))
            .flatten();
        let computed = inv
            .take("computed", optional(&i.computed, Computed::parse))
            .flatten();
        let family = inv
            .take("family", optional(&i.family, Family::parse))
            .flatten();
        let signal = inv
            .take("signal", optional(&i.signal, Signal::parse))
            .flatten();
        let layer = inv
            .take("layer", optional(&i.layer, Layer::parse))
            .flatten();
        let says_keel = source
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(KEEL_SOURCE));
        match computed {
            Some(c) => {
                if source.is_some() && !says_keel {
                    inv.push(
                        "source",
                        "keel computes this metric, so its source is keel: leave the source empty or write keel.",
                    );
                }
                source = Some(KEEL_SOURCE.into());
                // Left empty, the definition is how keel computes it.
                if definition.is_none() && i.definition.trim().is_empty() {
                    definition = Some(c.rule().into());
                }
                if let Some(u) = c.unit() {
                    if unit.as_deref().is_some_and(|x| x != u) {
                        inv.push(
                            "unit",
                            format!("keel counts this in {u}: leave the unit empty or write {u}."),
                        );
                    }
                    unit = Some(u.into());
                }
                let typed = editing
                    .map(|id| measurements_of(m, id).iter().filter(|v| v.id != 0).count())
                    .unwrap_or(0);
                if typed > 0 {
                    inv.push(
                        "computed",
                        format!("This metric holds {typed} values entered by hand, which keel would not use. Add a new metric for keel to compute, or remove those values first."),
                    );
                }
            }
            None if says_keel => inv.push(
                "computed",
                "A metric with source keel is one keel computes: choose what it computes, or name the source the values come from.",
            ),
            None => {}
        }
        let cadence = inv.take("cadence", Cadence::parse(&i.cadence));
        if let (Some(c), Some(Cadence::Weekly)) = (computed, cadence) {
            if c.reads_leads() {
                inv.push(
                    "cadence",
                    "keel counts leads by the month they were created: choose a monthly or quarterly cadence.",
                );
            }
        }
        let direction = inv.take("direction", Direction::parse(&i.direction));
        let target = inv
            .take("target", number(&i.target, "the target"))
            .flatten();
        let metric_type = inv.take("metric_type", MetricType::parse(&i.metric_type));
        let kind = inv.take("kind", Kind::parse(&i.kind));
        let function_id = inv
            .take(
                "function_id",
                link(
                    &i.function_id,
                    |id| m.functions.iter().any(|f| f.id == id),
                    "a function",
                ),
            )
            .flatten();
        let objective_id = inv
            .take(
                "objective_id",
                link(
                    &i.objective_id,
                    |id| m.objectives.iter().any(|o| o.id == id),
                    "an objective",
                ),
            )
            .flatten();
        if let Some(oid) = objective_id {
            if let Some(other) = m
                .metrics
                .iter()
                .find(|x| x.objective_id == Some(oid) && Some(x.id) != editing)
            {
                inv.push(
                    "objective_id",
                    format!(
                        "This objective already has its KPI: {}. An objective is steered by one metric; link this one to the function or channel instead.",
                        other.name
                    ),
                );
            }
        }
        let channel_id = inv
            .take(
                "channel_id",
                link(
                    &i.channel_id,
                    |id| m.channels.iter().any(|c| c.id == id),
                    "a channel",
                ),
            )
            .flatten();
        let workflow_id = inv
            .take(
                "workflow_id",
                link(
                    &i.workflow_id,
                    |id| m.workflows.iter().any(|w| w.id == id),
                    "a workflow",
                ),
            )
            .flatten();
        inv.into_result(|| MetricDraft {
            name: name.unwrap_or_default(),
            definition,
            owner_id,
            source,
            unit,
            cadence: cadence.unwrap_or(Cadence::Monthly),
            direction: direction.unwrap_or(Direction::Higher),
            target,
            metric_type: metric_type.unwrap_or(MetricType::Outcome),
            kind: kind.unwrap_or(Kind::Contribution),
            function_id,
            objective_id,
            channel_id,
            workflow_id,
            computed,
            family,
            signal,
            layer,
        })
    }
}

/// A measurement as typed.
#[derive(Debug, Clone, Default)]
pub struct MeasurementInput {
    /// Any day in the period (`YYYY-MM-DD`), or a month as `YYYY-MM`.
    pub period: String,
    pub value: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementDraft {
    pub period: Date,
    pub value: f64,
    pub note: Option<String>,
}

impl MeasurementDraft {
    /// Parses one value for `metric`. The date may be any day of the period; it is stored
    /// as the period's first day, so sending the same period twice replaces, never adds. A
    /// period that has not begun yet is refused.
    pub fn parse(
        i: &MeasurementInput,
        cadence: Cadence,
        today: Date,
    ) -> Result<MeasurementDraft, Invalid> {
        let mut inv = Invalid::new();
        let raw = i.period.trim();
        let date = if raw.len() == 7 && raw.as_bytes()[4] == b'-' {
            Date::parse(&format!("{raw}-01"))
                .map_err(|_| format!("Enter the month as YYYY-MM, like 2026-03 (got '{raw}')."))
        } else {
            Date::parse(raw)
        };
        let period = inv.take("period", date).map(|d| cadence.period_start(d));
        if let Some(p) = period {
            if p > cadence.period_start(today) {
                inv.push(
                    "period",
                    format!(
                        "{p} is in a {} that has not begun; enter values for past or current periods.",
                        cadence.period_word()
                    ),
                );
            }
        }
        let value = match number(&i.value, "the value") {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                inv.push("value", "Enter the value measured.");
                None
            }
            Err(e) => {
                inv.push("value", e);
                None
            }
        };
        let note = inv
            .take("note", text::optional(&i.note, "the note", 500))
            .flatten();
        inv.into_result(|| MeasurementDraft {
            period: period.unwrap_or_default(),
            value: value.unwrap_or_default(),
            note,
        })
    }
}

/// Parses many measurements at once, all or nothing: the errors name the row (from 1) so a
/// CSV or a script can say "line 7".
pub fn parse_many(
    rows: &[MeasurementInput],
    cadence: Cadence,
    today: Date,
) -> Result<Vec<MeasurementDraft>, Invalid> {
    let mut inv = Invalid::new();
    let mut out: Vec<MeasurementDraft> = Vec::with_capacity(rows.len());
    if rows.len() > MAX_BULK {
        return Err(Invalid::one(
            "measurements",
            format!("Send at most {MAX_BULK} measurements at once."),
        ));
    }
    for (n, r) in rows.iter().enumerate() {
        match MeasurementDraft::parse(r, cadence, today) {
            Ok(d) => {
                // The same period twice in one request: the later row wins, as in a file.
                out.retain(|x| x.period != d.period);
                out.push(d);
            }
            Err(e) => {
                for fe in e.errors {
                    inv.push(&format!("measurements[{n}].{}", fe.field), fe.message);
                }
            }
        }
    }
    inv.into_result(|| out)
}

/// A value with its unit, "42 leads", "3.5 %", "1,200 EUR" (no grouping, to stay exact).
pub fn with_unit(v: f64, unit: Option<&str>) -> String {
    let n = trend::round(v);
    match unit {
        Some(u) => format!("{n} {u}"),
        None => n.to_string(),
    }
}

/// The measurements of one metric, oldest first (the model keeps them sorted).
pub fn measurements_of(m: &Model, metric_id: i64) -> &[Measurement] {
    let from = m.measurements.partition_point(|x| x.metric_id < metric_id);
    let to = m.measurements.partition_point(|x| x.metric_id <= metric_id);
    &m.measurements[from..to]
}

/// The KPI metric of an objective, if one is linked.
pub fn kpi_of(m: &Model, objective_id: i64) -> Option<&Metric> {
    m.metrics
        .iter()
        .find(|x| x.objective_id == Some(objective_id))
}

/// Which kinds a function's metrics cover, and whether any is an outcome metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub function_id: i64,
    pub kinds: Vec<Kind>,
    pub metrics: usize,
    pub outcome: usize,
}

impl Coverage {
    pub fn covers(&self, k: Kind) -> bool {
        self.kinds.contains(&k)
    }
}

/// Per function, which of speed, quality, cost and contribution its metrics cover.
pub fn coverage(m: &Model) -> Vec<Coverage> {
    m.functions
        .iter()
        .map(|f| {
            let own: Vec<&Metric> = m
                .metrics
                .iter()
                .filter(|x| x.function_id == Some(f.id))
                .collect();
            let kinds = Kind::ALL
                .iter()
                .copied()
                .filter(|k| own.iter().any(|x| x.kind == *k))
                .collect();
            Coverage {
                function_id: f.id,
                kinds,
                metrics: own.len(),
                outcome: own
                    .iter()
                    .filter(|x| x.metric_type == MetricType::Outcome)
                    .count(),
            }
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
