//! A layer's settings: owner, planning cycle, last review, goals; the business layer's revenue
//! goal and go-to-market choices; the buyer layer's buying stages.

use super::{long, Layer};
use crate::{objective, text, Date, Invalid, Person};
use serde::{Deserialize, Serialize};

/// The buying stages a workspace starts with.
pub const DEFAULT_STAGES: [&str; 6] = [
    "Unaware",
    "Pain recognized",
    "Exploring solutions",
    "Selecting a vendor",
    "Validating",
    "Deciding",
];

/// Stages a buying process may have.
pub const MAX_STAGES: usize = 10;

/// How often a layer is planned and reviewed. Slow layers (market, business) turn in months
/// or years; tactics in weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cycle {
    Weekly,
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Cycle {
    pub const ALL: [Cycle; 5] = [
        Cycle::Weekly,
        Cycle::Monthly,
        Cycle::Quarterly,
        Cycle::HalfYearly,
        Cycle::Yearly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cycle::Weekly => "weekly",
            Cycle::Monthly => "monthly",
            Cycle::Quarterly => "quarterly",
            Cycle::HalfYearly => "half-yearly",
            Cycle::Yearly => "yearly",
        }
    }

    pub fn parse(s: &str) -> Result<Cycle, String> {
        let s = s.trim().to_lowercase();
        Cycle::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| "Choose weekly, monthly, quarterly, half-yearly or yearly.".into())
    }

    /// The day the next review is due after one on `d`.
    pub fn after(self, d: Date) -> Date {
        match self {
            Cycle::Weekly => d.add_days(7),
            Cycle::Monthly => d.add_months(1),
            Cycle::Quarterly => d.add_months(3),
            Cycle::HalfYearly => d.add_months(6),
            Cycle::Yearly => d.add_months(12),
        }
    }

    /// The cycle a layer has until someone sets one: the lower, the slower.
    pub fn default_for(l: Layer) -> Cycle {
        match l {
            Layer::Market => Cycle::Yearly,
            Layer::Business => Cycle::HalfYearly,
            Layer::Buyer => Cycle::Quarterly,
            Layer::Tactics => Cycle::Monthly,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerSettings {
    pub layer: Layer,
    pub owner_id: Option<i64>,
    pub cycle: Cycle,
    pub last_reviewed: Option<Date>,
    /// What this layer aims at, in words (its metrics say whether it gets there).
    pub goals: Option<String>,
    /// Business layer: the revenue goal for a period.
    pub revenue_goal: Option<f64>,
    pub revenue_from: Option<Date>,
    pub revenue_to: Option<Date>,
    /// Business layer: the go-to-market choices (who sells, how, through whom).
    pub go_to_market: Option<String>,
    /// Buyer layer: the buying stages in order; empty means the six defaults.
    pub stages: Vec<String>,
    /// 0 while never saved.
    pub version: i64,
}

impl LayerSettings {
    pub fn default_for(layer: Layer) -> LayerSettings {
        LayerSettings {
            layer,
            owner_id: None,
            cycle: Cycle::default_for(layer),
            last_reviewed: None,
            goals: None,
            revenue_goal: None,
            revenue_from: None,
            revenue_to: None,
            go_to_market: None,
            stages: vec![],
            version: 0,
        }
    }

    pub fn stages(&self) -> Vec<String> {
        if self.stages.is_empty() {
            DEFAULT_STAGES.iter().map(|s| s.to_string()).collect()
        } else {
            self.stages.clone()
        }
    }

    /// The day the next review is due; `None` while the layer was never reviewed.
    pub fn review_due(&self) -> Option<Date> {
        self.last_reviewed.map(|d| self.cycle.after(d))
    }

    /// Past its planning cycle on `today`.
    pub fn overdue(&self, today: Date) -> bool {
        self.review_due().is_some_and(|d| d < today)
    }
}

#[derive(Debug, Clone, Default)]
pub struct LayerInput {
    pub owner_id: String,
    pub cycle: String,
    pub last_reviewed: String,
    pub goals: String,
    pub revenue_goal: String,
    pub revenue_from: String,
    pub revenue_to: String,
    pub go_to_market: String,
    /// One stage per line.
    pub stages: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LayerDraft {
    pub layer: Layer,
    pub owner_id: Option<i64>,
    pub cycle: Cycle,
    pub last_reviewed: Option<Date>,
    pub goals: Option<String>,
    pub revenue_goal: Option<f64>,
    pub revenue_from: Option<Date>,
    pub revenue_to: Option<Date>,
    pub go_to_market: Option<String>,
    pub stages: Vec<String>,
}

fn date(raw: &str) -> Result<Option<Date>, String> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        Date::parse(raw).map(Some)
    }
}

fn amount(raw: &str) -> Result<Option<f64>, String> {
    let v = raw.trim().replace([',', '_', ' '], "");
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 && n < 1e13 => Ok(Some(n)),
        Ok(_) => Err("Enter a revenue goal above zero, like 2400000.".into()),
        Err(_) => Err("Enter the revenue goal as a number, like 2400000.".into()),
    }
}

fn stages(raw: &str) -> Result<Vec<String>, String> {
    let lines: Vec<&str> = raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Ok(vec![]);
    }
    if lines.len() < 2 || lines.len() > MAX_STAGES {
        return Err(format!(
            "Name between 2 and {MAX_STAGES} buying stages, one per line (or leave it empty for the six defaults)."
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for (n, l) in lines.iter().enumerate() {
        let s = text::required(l, &format!("stage {}", n + 1), 60)?;
        if out.iter().any(|o| o.eq_ignore_ascii_case(&s)) {
            return Err(format!(
                "The stage \"{s}\" is named twice; name each stage once."
            ));
        }
        out.push(s);
    }
    Ok(out)
}

impl LayerDraft {
    /// Parses a layer's settings. A revenue goal and go-to-market choices belong to the
    /// business layer only, buying stages to the buyer layer only; a review cannot be dated
    /// after `today`.
    pub fn parse(
        layer: Layer,
        i: &LayerInput,
        people: &[Person],
        today: Date,
    ) -> Result<LayerDraft, Invalid> {
        let mut inv = Invalid::new();
        let owner_id = inv
            .take("owner_id", objective::owner(&i.owner_id, people))
            .flatten();
        let cycle = if i.cycle.trim().is_empty() {
            Some(Cycle::default_for(layer))
        } else {
            inv.take("cycle", Cycle::parse(&i.cycle))
        };
        let last_reviewed = inv.take("last_reviewed", date(&i.last_reviewed)).flatten();
        if last_reviewed.is_some_and(|d| d > today) {
            inv.push(
                "last_reviewed",
                "The last review cannot be in the future; enter the day it took place.",
            );
        }
        let goals = inv
            .take("goals", long(&i.goals, "the layer's goals"))
            .flatten();
        let revenue_goal = inv.take("revenue_goal", amount(&i.revenue_goal)).flatten();
        let revenue_from = inv.take("revenue_from", date(&i.revenue_from)).flatten();
        let revenue_to = inv.take("revenue_to", date(&i.revenue_to)).flatten();
        let go_to_market = inv
            .take(
                "go_to_market",
                long(&i.go_to_market, "the go-to-market choices"),
            )
            .flatten();
        let stages = inv.take("stages", stages(&i.stages)).unwrap_or_default();
        if layer == Layer::Business {
            if revenue_goal.is_some() && (revenue_from.is_none() || revenue_to.is_none()) {
                inv.push(
                    "revenue_to",
                    "Say which period the revenue goal is for: enter its first and last day.",
                );
            }
            if let (Some(f), Some(t)) = (revenue_from, revenue_to) {
                if t <= f {
                    inv.push("revenue_to", "The period must end after it starts.");
                }
            }
            if revenue_goal.is_none() && (revenue_from.is_some() || revenue_to.is_some()) {
                inv.push("revenue_goal", "Enter the revenue goal for this period.");
            }
        } else {
            for (field, given) in [
                ("revenue_goal", !i.revenue_goal.trim().is_empty()),
                ("revenue_from", !i.revenue_from.trim().is_empty()),
                ("revenue_to", !i.revenue_to.trim().is_empty()),
                ("go_to_market", !i.go_to_market.trim().is_empty()),
            ] {
                if given {
                    inv.push(
                        field,
                        "Only the business strategy layer holds the revenue goal and go-to-market choices.",
                    );
                }
            }
        }
        if layer != Layer::Buyer && !i.stages.trim().is_empty() {
            inv.push(
                "stages",
                "Only the buyer tools layer holds the buying stages.",
            );
        }
        inv.into_result(|| LayerDraft {
            layer,
            owner_id,
            cycle: cycle.unwrap_or(Cycle::Monthly),
            last_reviewed,
            goals,
            revenue_goal,
            revenue_from,
            revenue_to,
            go_to_market,
            stages,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::tests::person;
    use crate::PersonKind;

    fn today() -> Date {
        Date::parse("2026-12-01").unwrap()
    }

    #[test]
    fn a_business_layer_holds_a_revenue_goal_for_a_period() {
        let people = [person(1, PersonKind::Internal, 40.0)];
        let i = LayerInput {
            owner_id: "1".into(),
            cycle: "Half-yearly".into(),
            last_reviewed: "2026-10-01".into(),
            revenue_goal: "2,400,000".into(),
            revenue_from: "2027-01-01".into(),
            revenue_to: "2027-12-31".into(),
            go_to_market: "Inside sales for mid-market; partners for enterprise.".into(),
            ..Default::default()
        };
        let d = LayerDraft::parse(Layer::Business, &i, &people, today()).unwrap();
        assert_eq!(
            (d.revenue_goal, d.cycle),
            (Some(2_400_000.0), Cycle::HalfYearly)
        );
        // The same on the market layer is refused, field by field.
        let e = LayerDraft::parse(Layer::Market, &i, &people, today()).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["revenue_goal", "revenue_from", "revenue_to", "go_to_market"]
        );
    }

    #[test]
    fn bad_layer_input_says_what_to_change() {
        let people = [
            person(1, PersonKind::Internal, 40.0),
            person(2, PersonKind::Agency, 20.0),
        ];
        let i = LayerInput {
            owner_id: "2".into(),
            cycle: "fortnightly".into(),
            last_reviewed: "2027-01-05".into(),
            revenue_goal: "lots".into(),
            stages: "Unaware\nunaware".into(),
            ..Default::default()
        };
        let e = LayerDraft::parse(Layer::Business, &i, &people, today()).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "owner_id",
                "cycle",
                "last_reviewed",
                "revenue_goal",
                "stages",
                "stages"
            ]
        );
        let goal_alone = LayerInput {
            revenue_goal: "100000".into(),
            revenue_from: "2027-06-30".into(),
            revenue_to: "2027-01-01".into(),
            ..Default::default()
        };
        let e = LayerDraft::parse(Layer::Business, &goal_alone, &people, today()).unwrap_err();
        assert_eq!(
            e.message_for("revenue_to"),
            Some("The period must end after it starts.")
        );
        let stages = LayerInput {
            stages: "Unaware\nUnaware".into(),
            ..Default::default()
        };
        let e = LayerDraft::parse(Layer::Buyer, &stages, &people, today()).unwrap_err();
        assert!(e.message_for("stages").unwrap().contains("named twice"));
    }

    #[test]
    fn stages_default_to_six_and_a_review_falls_due_after_the_cycle() {
        let mut s = LayerSettings::default_for(Layer::Buyer);
        assert_eq!(s.stages().len(), 6);
        assert_eq!(s.cycle, Cycle::Quarterly);
        assert!(!s.overdue(today()), "never reviewed: nothing is due yet");
        s.last_reviewed = Some(Date::parse("2026-08-31").unwrap());
        assert_eq!(s.review_due(), Some(Date::parse("2026-11-30").unwrap()));
        assert!(s.overdue(today()));
        s.last_reviewed = Some(Date::parse("2026-09-01").unwrap());
        assert!(!s.overdue(today()));
    }
}
