//! A person's load this week and the next eight as an SVG chart (charts-rs): recurring and
//! one-off hours stacked per week, capacity drawn as a dashed line.

use keel_domain::capacity::PersonLoad;
use serde_json::json;

/// "3 Dec", the week's Monday.
pub fn week_label(l: &keel_domain::capacity::Week) -> String {
    l.start.day_month()
}

/// The chart's title: the answer to "can this person take more?".
pub fn headline(l: &PersonLoad) -> String {
    let over = l.weeks_over();
    let n = l.weeks.len();
    if l.capacity <= 0.0 {
        "No weekly capacity is set".into()
    } else if over == 0 {
        format!("Within capacity in all {n} weeks from this one")
    } else if over == 1 && l.over_capacity() {
        "Over capacity this week".into()
    } else {
        format!("Over capacity in {over} of the {n} weeks from this one")
    }
}

pub fn svg(l: &PersonLoad) -> String {
    let labels: Vec<String> = l.weeks.iter().map(week_label).collect();
    let recurring: Vec<f64> = l.weeks.iter().map(|w| w.recurring).collect();
    let one_off: Vec<f64> = l.weeks.iter().map(|w| w.one_off).collect();
    let capacity: Vec<f64> = l.weeks.iter().map(|_| l.capacity).collect();
    // A round top with ticks at round numbers: 5 steps of 2, 5, 10 or 20 h.
    let top = l.peak().max(l.capacity).max(1.0) * 1.1;
    let step = [2.0, 5.0, 10.0, 20.0, 40.0]
        .into_iter()
        .find(|s| s * 5.0 >= top)
        .unwrap_or(40.0);
    let option = json!({
        "width": 640,
        "height": 300,
        "margin": {"left": 8, "top": 8, "right": 16, "bottom": 8},
        "font_family": "Roboto",
        "legend_align": "left",
        "x_axis_data": labels,
        "y_axis_configs": [{"axis_formatter": "{c} h", "axis_min": 0, "axis_max": step * 5.0, "axis_split_number": 5}],
        "series_list": [
            {"name": "Recurring", "data": recurring, "stack": "load", "index": 0},
            {"name": "One-off work", "data": one_off, "stack": "load", "index": 1},
            {"name": "Capacity", "data": capacity, "category": "line", "stroke_dash_array": "6,4", "index": 3},
        ],
    });
    match charts_rs::BarChart::from_json(&option.to_string()).and_then(|c| c.svg()) {
        Ok(svg) => svg,
        Err(e) => {
            tracing::error!(error = %e, "load chart");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keel_domain::capacity;
    use keel_domain::{Date, Person, PersonKind};

    #[test]
    fn the_chart_draws_every_week_and_the_capacity_line() {
        let p = Person {
            id: 1,
            name: "Ana".into(),
            kind: PersonKind::Internal,
            organization: None,
            title: None,
            email: None,
            weekly_capacity: 30.0,
            user_id: None,
            version: 1,
        };
        let l = capacity::person_load(
            &p,
            &[],
            &[],
            &[],
            Date::parse("2026-11-25").unwrap(),
            &keel_domain::Zone::utc(),
        );
        let s = svg(&l);
        assert!(s.starts_with("<svg"), "{s}");
        assert!(
            s.contains("Capacity") && s.contains("23 Nov") && s.contains("18 Jan"),
            "{s}"
        );
        assert_eq!(headline(&l), "Within capacity in all 9 weeks from this one");
    }
}
