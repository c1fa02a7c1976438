//! The one door through which objectives and priorities read people's load and capacity.
//!
//! Another capability replaces the load model with one capacity model; when it lands, `load`
//! below is the one line to change.

use crate::health::Model;
use crate::ownership::{self, Load};
use crate::priority::Status;
use crate::Person;

/// A person's weekly load against their capacity.
pub fn load(m: &Model, p: &Person) -> Load {
    ownership::load_with_work(p, &m.functions, &m.work)
}

/// Hours a week the team has free: each person's capacity left after their load (an
/// overloaded person frees nothing for others), minus the hours of the "now" priorities other
/// than `except`. Negative when the "now" priorities need more than the team has.
pub fn team_free(m: &Model, except: Option<i64>) -> f64 {
    let free: f64 = m
        .people
        .iter()
        .map(|p| (p.weekly_capacity - load(m, p).hours).max(0.0))
        .sum();
    let now: f64 = m
        .priorities
        .iter()
        .filter(|p| p.status == Status::Now && Some(p.id) != except)
        .map(|p| p.weekly_hours)
        .sum();
    ((free - now) * 10.0).round() / 10.0
}
