//! What pages and the API both do with objectives and priorities: read them through the
//! caller's view (a hidden one is a missing one), and parse input with the domain's rules
//! (the SMART fields, the priority test) against that view.

use crate::AppState;
use keel_domain::access::Reader;
use keel_domain::health::Model;
use keel_domain::{Date, Invalid, Objective, ObjectiveDraft, ObjectiveInput, Priority};
use keel_domain::{PriorityDraft, PriorityInput};
use keel_store::StoreError;
use keel_store::WorkspaceId;
use std::sync::Arc;

/// The part of the model the reader sees, from the per-node cache.
pub async fn view(
    st: &AppState,
    ws: WorkspaceId,
    data_version: i64,
    reader: &Reader,
) -> Result<Arc<Model>, StoreError> {
    crate::model::load(st, ws, data_version, reader).await
}

pub fn objective(m: &Model, id: i64) -> Option<Objective> {
    m.objectives.iter().find(|o| o.id == id).cloned()
}

pub fn priority(m: &Model, id: i64) -> Option<Priority> {
    m.priorities.iter().find(|p| p.id == id).cloned()
}

/// Today in the workspace's time zone (the model's), the earliest date a new deadline may
/// have.
pub fn today(m: &Model) -> Date {
    crate::time_fmt::today(&m.zone)
}

pub fn parse_objective(
    m: &Model,
    input: &ObjectiveInput,
    stored: Option<&Objective>,
) -> Result<ObjectiveDraft, Invalid> {
    ObjectiveDraft::parse(input, &m.people, today(m), stored.and_then(|o| o.deadline))
}

pub fn parse_priority(
    m: &Model,
    input: &PriorityInput,
    stored: Option<&Priority>,
) -> Result<PriorityDraft, Invalid> {
    PriorityDraft::parse(input, m, stored)
}
