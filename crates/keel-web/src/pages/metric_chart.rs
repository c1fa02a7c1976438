//! A metric's values against its target as an SVG line chart (charts-rs), served as an image
//! so the page's CSP needs no inline style. The page prints the same numbers in a table.

use keel_domain::metric::trend::round;
use keel_domain::metric::{Cadence, Measurement, Metric};
use keel_domain::Date;
use serde_json::json;

/// The chart and the table beside it show this many recent periods.
pub const SHOWN: usize = 24;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "Nov 2026", "Q4 2026", or the week's Monday "23 Nov 2026".
pub fn period_label(c: Cadence, d: Date) -> String {
    let (y, m, day) = d.ymd();
    let month = MONTHS[(m as usize - 1).min(11)];
    match c {
        Cadence::Weekly => format!("{day} {month} {y}"),
        Cadence::Monthly => format!("{month} {y}"),
        Cadence::Quarterly => format!("Q{} {y}", (m - 1) / 3 + 1),
    }
}

/// The values the chart draws: the most recent `SHOWN`, oldest first.
pub fn shown(ms: &[Measurement]) -> &[Measurement] {
    &ms[ms.len().saturating_sub(SHOWN)..]
}

/// A round axis: from 0 (or below, for negative values) to a 1-2-5 step times five.
fn axis(values: impl Iterator<Item = f64>) -> (f64, f64, f64) {
    let (lo, hi) = values.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let span = ((hi - lo) * 1.1).max(1e-9);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|f| f * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let min = (lo / step).floor() * step;
    (min, min + step * 5.0, step)
}

pub fn svg(x: &Metric, ms: &[Measurement]) -> String {
    let ms = shown(ms);
    let labels: Vec<String> = ms
        .iter()
        .map(|v| period_label(x.cadence, v.period))
        .collect();
    let values: Vec<f64> = ms.iter().map(|v| round(v.value)).collect();
    let (min, max, _) = axis(values.iter().copied().chain(x.target));
    let unit = x.unit.as_deref().unwrap_or("");
    let mut series = vec![json!({"name": x.name, "data": values, "index": 0})];
    if let Some(t) = x.target {
        let line: Vec<f64> = ms.iter().map(|_| t).collect();
        series
            .push(json!({"name": "Target", "data": line, "stroke_dash_array": "6,4", "index": 3}));
    }
    let option = json!({
        "width": 640,
        "height": 300,
        "margin": {"left": 8, "top": 8, "right": 16, "bottom": 8},
        "font_family": "Roboto",
        "legend_align": "left",
        "x_axis_data": labels,
        "y_axis_configs": [{"axis_formatter": format!("{{c}}{}", if unit.is_empty() { String::new() } else { format!(" {unit}") }),
            "axis_min": min, "axis_max": max, "axis_split_number": 5}],
        "series_list": series,
    });
    match charts_rs::LineChart::from_json(&option.to_string()).and_then(|c| c.svg()) {
        Ok(svg) => svg,
        Err(e) => {
            tracing::error!(error = %e, "metric chart");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keel_domain::metric::{Direction, Kind, MetricType};

    fn metric(target: Option<f64>) -> Metric {
        Metric {
            id: 1,
            name: "Sales-accepted leads".into(),
            definition: None,
            owner_id: None,
            source: None,
            unit: Some("leads".into()),
            cadence: Cadence::Monthly,
            direction: Direction::Higher,
            target,
            metric_type: MetricType::Outcome,
            kind: Kind::Contribution,
            function_id: None,
            objective_id: None,
            channel_id: None,
            workflow_id: None,
            definition_changed_at: None,
            computed: None,
            family: None,
            signal: None,
            layer: None,
            version: 1,
        }
    }

    fn values(n: usize) -> Vec<Measurement> {
        let jan = Date::parse("2024-01-01").unwrap();
        (0..n)
            .map(|i| Measurement {
                id: i as i64 + 1,
                metric_id: 1,
                period: jan.add_months(i as i64),
                value: 40.0 + i as f64,
                note: None,
                version: 1,
            })
            .collect()
    }

    #[test]
    fn the_chart_draws_the_recent_values_and_the_target_line() {
        let s = svg(&metric(Some(80.0)), &values(30));
        assert!(s.starts_with("<svg"), "{s}");
        // The last 24 of 30 months: from July 2024 (labels are thinned to fit), not January.
        assert!(s.contains("Jul 2024") && s.contains("Mar 2026"), "{s}");
        assert!(!s.contains("Jan 2024"));
        assert!(
            s.contains("Target") && s.contains("stroke-dasharray"),
            "{s}"
        );
        let plain = svg(&metric(None), &values(3));
        assert!(plain.starts_with("<svg") && !plain.contains("Target"));
    }

    #[test]
    fn periods_read_as_marketers_say_them() {
        let d = Date::parse("2026-11-23").unwrap();
        assert_eq!(period_label(Cadence::Weekly, d), "23 Nov 2026");
        assert_eq!(period_label(Cadence::Monthly, d), "Nov 2026");
        assert_eq!(period_label(Cadence::Quarterly, d), "Q4 2026");
        assert_eq!(axis([0.0, 43.0].into_iter()), (0.0, 50.0, 10.0));
        assert_eq!(axis([-3.0, 4.0].into_iter()), (-4.0, 6.0, 2.0));
    }
}
