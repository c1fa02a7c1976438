//! Objectives: the outcomes the team aims at, each with one internal owner, a KPI with
//! baseline, target and deadline, and the company initiative or revenue goal it serves.
//!
//! A wish may be stored (so it can be improved), and `smart` says in plain words why it is not
//! an objective yet.

use crate::health::Model;
use crate::{capacity, text, Date, Invalid, Person};
use serde::{Deserialize, Serialize};

/// An outcome shorter than this many words is too vague to steer by.
pub const MIN_OUTCOME_WORDS: usize = 4;

/// The layer of the strategy stack an objective belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Market,
    Business,
    Buyer,
    Tactics,
}

impl Layer {
    pub const ALL: [Layer; 4] = [Layer::Market, Layer::Business, Layer::Buyer, Layer::Tactics];

    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Market => "market",
            Layer::Business => "business",
            Layer::Buyer => "buyer",
            Layer::Tactics => "tactics",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Layer::Market => "Market knowledge",
            Layer::Business => "Business strategy",
            Layer::Buyer => "Buyer tools",
            Layer::Tactics => "Tactics",
        }
    }

    pub fn parse(s: &str) -> Result<Layer, String> {
        Layer::ALL
            .into_iter()
            .find(|l| l.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| "Choose market, business, buyer or tactics.".to_string())
    }
}

/// An objective as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Objective {
    pub id: i64,
    pub outcome: String,
    pub owner_id: Option<i64>,
    pub layer: Layer,
    /// The KPI's name, e.g. "Sales-accepted leads per month".
    pub metric: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub deadline: Option<Date>,
    /// The company initiative or revenue goal this objective serves.
    pub serves: Option<String>,
    pub version: i64,
}

/// What a form or JSON body says about an objective, before it is parsed.
#[derive(Debug, Clone, Default)]
pub struct ObjectiveInput {
    pub outcome: String,
    pub owner_id: String,
    pub layer: String,
    pub metric: String,
    pub baseline: String,
    pub target: String,
    pub deadline: String,
    pub serves: String,
}

/// An objective that passed every rule, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveDraft {
    pub outcome: String,
    pub owner_id: Option<i64>,
    pub layer: Layer,
    pub metric: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub deadline: Option<Date>,
    pub serves: Option<String>,
}

fn number(raw: &str, what: &str) -> Result<Option<f64>, String> {
    let v = raw.trim().replace(',', ".");
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() && n.abs() < 1e12 => Ok(Some(n)),
        _ => Err(format!("Enter {what} as a number, like 120 or 4.5.")),
    }
}

impl ObjectiveDraft {
    /// Parses an objective. `people` are the people the author may see; `today` is the date a
    /// new deadline must not be before; `kept_deadline` is the stored one, which may have passed.
    pub fn parse(
        i: &ObjectiveInput,
        people: &[Person],
        today: Date,
        kept_deadline: Option<Date>,
    ) -> Result<ObjectiveDraft, Invalid> {
        let mut inv = Invalid::new();
        let outcome = inv.take("outcome", text::required(&i.outcome, "the outcome", 300));
        let owner_id = inv.take("owner_id", owner(&i.owner_id, people)).flatten();
        let layer = inv.take("layer", Layer::parse(&i.layer));
        let metric = inv
            .take("metric", text::optional(&i.metric, "the metric", 120))
            .flatten();
        let baseline = inv.take("baseline", number(&i.baseline, "the baseline"));
        let target = inv.take("target", number(&i.target, "the target"));
        if let (Some(None), Some(Some(_))) = (baseline, target) {
            inv.push(
                "baseline",
                "A target needs a baseline: enter where the metric stands today, so the change can be measured.",
            );
        }
        let deadline = match i.deadline.trim() {
            "" => None,
            raw => inv.take("deadline", Date::parse(raw)),
        };
        if let Some(d) = deadline {
            if d < today && Some(d) != kept_deadline {
                inv.push(
                    "deadline",
                    "The deadline has already passed: choose a date from today on.",
                );
            }
        }
        let serves = inv
            .take(
                "serves",
                text::optional(&i.serves, "the initiative or goal", 200),
            )
            .flatten();
        inv.into_result(|| ObjectiveDraft {
            outcome: outcome.unwrap_or_default(),
            owner_id,
            layer: layer.unwrap_or(Layer::Business),
            metric,
            baseline: baseline.flatten(),
            target: target.flatten(),
            deadline,
            serves,
        })
    }
}

/// An owner must be someone the author sees, and internal: a partner executes, it does not
/// own what the team aims at.
pub(crate) fn owner(raw: &str, people: &[Person]) -> Result<Option<i64>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let p = raw
        .parse::<i64>()
        .ok()
        .and_then(|id| people.iter().find(|p| p.id == id))
        .ok_or("Choose an owner from the team.")?;
    if p.is_external() {
        return Err(format!(
            "{} is external; the owner must be an internal person.",
            p.display()
        ));
    }
    Ok(Some(p.id))
}

/// One letter of SMART and what is missing for it, if anything.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmartPart {
    pub letter: &'static str,
    pub name: &'static str,
    /// `None` when this part holds; else what to add or change.
    pub missing: Option<String>,
}

/// The SMART check: for each of specific, measurable, achievable, relevant and time-bound,
/// what is missing. Achievable reads the owner's free capacity and the team's (the hours its
/// "now" priorities need against what the team has free).
pub fn smart(o: &Objective, m: &Model) -> Vec<SmartPart> {
    let part = |letter, name, missing: Option<String>| SmartPart {
        letter,
        name,
        missing,
    };
    let words = o.outcome.split_whitespace().count();
    let specific = (words < MIN_OUTCOME_WORDS).then(|| {
        format!("Say what will change, for whom, in at least {MIN_OUTCOME_WORDS} words (\"{}\" is a wish).", o.outcome)
    });
    // A metric linked as the objective's KPI names it as well as the typed name.
    let kpi = crate::metric::kpi_of(m, o.id);
    let named = o.metric.as_ref().or(kpi.map(|k| &k.name));
    let measurable = match (named, o.baseline, o.target) {
        (None, _, _) => Some("Name the metric (KPI) that shows the outcome.".to_string()),
        (Some(_), None, _) => Some("Enter the baseline: where the metric stands today.".into()),
        (Some(_), Some(_), None) => Some("Enter the target the metric should reach.".into()),
        (Some(_), Some(b), Some(t)) if (b - t).abs() < 1e-9 => {
            Some("The target equals the baseline: set the change you aim for.".into())
        }
        _ => None,
    };
    let achievable = achievable(o, m);
    // With a revenue goal on the Strategy page, say which one there is to serve.
    let relevant = o.serves.is_none().then(|| match crate::stack::revenue_goal(m) {
        Some(g) => format!("Say what it serves: {g}, or a company initiative."),
        None => "Name the company initiative or revenue goal this objective serves (the Strategy page's business layer holds the revenue goal).".to_string(),
    });
    let time_bound = o.deadline.is_none().then(|| "Set a deadline.".to_string());
    vec![
        part("S", "Specific", specific),
        part("M", "Measurable", measurable),
        part("A", "Achievable", achievable),
        part("R", "Relevant", relevant),
        part("T", "Time-bound", time_bound),
    ]
}

fn achievable(o: &Objective, m: &Model) -> Option<String> {
    let Some(owner) = o
        .owner_id
        .and_then(|id| m.people.iter().find(|p| p.id == id))
    else {
        return Some("Name one internal owner who is accountable for it.".into());
    };
    if owner.weekly_capacity <= 0.0 {
        return Some(format!(
            "{} has no weekly capacity set, so nobody can tell whether this fits.",
            owner.display()
        ));
    }
    let l = capacity::load(m, owner);
    if l.over_capacity() {
        return Some(format!(
            "{} already carries {} h against {} h a week: free time first, or give it to someone with room.",
            owner.display(),
            l.hours(),
            l.capacity
        ));
    }
    let needs: f64 = m
        .priorities
        .iter()
        .filter(|p| p.objective_id == Some(o.id) && p.status == crate::priority::Status::Now)
        .map(|p| p.weekly_hours)
        .sum();
    let over = -capacity::team_free(m, None);
    if needs > 0.0 && over > 1e-9 {
        return Some(format!(
            "Its \"now\" priorities need {needs} h a week, and the team's \"now\" priorities already need {over} h more than it has free."
        ));
    }
    against_trend(o, m)
}

/// The target against the KPI's past: where measurements make a trend, a target that needs
/// the metric to move far faster than it did (or to turn round) is not achievable as set.
fn against_trend(o: &Objective, m: &Model) -> Option<String> {
    use crate::metric::{trend, with_unit};
    let kpi = crate::metric::kpi_of(m, o.id)?;
    let ms = crate::metric::measurements_of(m, kpi.id);
    let p = trend::pace(kpi, ms, o.target?, o.deadline?)?;
    if !p.out_of_reach(kpi.direction) {
        return None;
    }
    let unit = kpi.unit.as_deref();
    let word = kpi.cadence.period_word();
    Some(format!(
        "{} has moved {} a {word} lately; reaching {} by {} needs {} a {word}, so the trend leads to about {}. Set a target the trend can reach, a later deadline, or say what will change the pace.",
        kpi.name,
        trend::round(p.past),
        with_unit(o.target.unwrap_or_default(), unit),
        o.deadline.map(|d| d.to_string()).unwrap_or_default(),
        trend::round(p.needed),
        with_unit(p.projected, unit),
    ))
}

/// Why an objective is at risk, in words, or `None` while it is on track or nothing can tell:
/// its KPI is short of the target and either the deadline has passed or the KPI's recent trend
/// does not reach the target by then (a KPI already at its target is on track whatever its
/// trend). The health rule `objective.kpi-off-track`, the home page, the objectives pages and
/// the API all say it with these words.
pub fn at_risk(o: &Objective, m: &Model) -> Option<String> {
    use crate::metric::{trend, with_unit, Direction};
    let kpi = crate::metric::kpi_of(m, o.id)?;
    let (target, deadline) = (o.target?, o.deadline?);
    let ms = crate::metric::measurements_of(m, kpi.id);
    let last = trend::latest(ms)?;
    let unit = kpi.unit.as_deref();
    let behind = match kpi.direction {
        Direction::Higher => last.value < target,
        Direction::Lower => last.value > target,
    };
    if !behind {
        return None;
    }
    if deadline < m.today() {
        return Some(format!(
            "The deadline {deadline} has passed and {} stands at {} (for {}), short of the target {}.",
            kpi.name,
            with_unit(last.value, unit),
            last.period,
            with_unit(target, unit)
        ));
    }
    let p = trend::pace(kpi, ms, target, deadline)?;
    (!p.reaches).then(|| {
        format!(
            "{} stands at {} (for {}); at its pace of {} a {} it reaches about {} by {deadline}, short of the target {}.",
            kpi.name,
            with_unit(last.value, unit),
            last.period,
            trend::round(p.past),
            kpi.cadence.period_word(),
            with_unit(p.projected, unit),
            with_unit(target, unit)
        )
    })
}

/// Whether every part of the SMART check holds.
pub fn is_smart(parts: &[SmartPart]) -> bool {
    parts.iter().all(|p| p.missing.is_none())
}

#[cfg(test)]
pub(crate) mod tests;
