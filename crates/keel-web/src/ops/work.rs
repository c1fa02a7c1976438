//! Starting work, editing it, ticking checklists, moves and dependencies.

use super::{Caller, OpError};
use crate::AppState;
use keel_domain::access::Reader;
use keel_domain::health::Model;
use keel_domain::work::transition::{self, Action, Actor, Refusal};
use keel_domain::work::{creates_cycle, GateState, WorkDraft, WorkInput, WorkItem};
use keel_domain::workflow::Workflow;
use keel_domain::Invalid;
use std::sync::Arc;

/// What the caller sees of the workspace: pickers and ids in bodies go through it, so a
/// hidden record is refused exactly like one that does not exist.
pub async fn view(st: &AppState, c: &Caller, reader: &Reader) -> Result<Arc<Model>, OpError> {
    Ok(crate::model::load(st, c.ws, c.data_version, reader).await?)
}

/// An item the caller may see (a partner: items its person executes or contributes to),
/// with its workflow.
pub async fn visible(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<(WorkItem, Workflow), OpError> {
    let item = st
        .store
        .find_work(c.ws, id)
        .await?
        .ok_or(OpError::NotFound)?;
    if !reader.can_see_work(&item) {
        return Err(OpError::NotFound);
    }
    let wf = st
        .store
        .find_workflow(c.ws, item.workflow_id)
        .await?
        .ok_or(OpError::NotFound)?;
    Ok((item, wf))
}

/// An item the caller may both see and change.
pub async fn workable(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<(WorkItem, Workflow), OpError> {
    let (item, wf) = visible(st, c, reader, id).await?;
    may_work_on(c, reader, &item)?;
    Ok((item, wf))
}

/// May change this item: members and up, or a partner on its own item.
fn may_work_on(c: &Caller, reader: &Reader, item: &WorkItem) -> Result<(), OpError> {
    if c.role.can_edit_model()
        || (c.role == keel_domain::Role::Partner
            && reader.person_id.is_some_and(|p| item.involves(p)))
    {
        Ok(())
    } else {
        Err(OpError::Forbidden(crate::ctx::READ_ONLY.into()))
    }
}

pub async fn create(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    workflow_id: i64,
    input: &WorkInput,
) -> Result<WorkItem, OpError> {
    create_described(st, c, reader, workflow_id, input, "").await
}

/// `create` with a description, already parsed (`work::notes::description`).
pub async fn create_described(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    workflow_id: i64,
    input: &WorkInput,
    description: &str,
) -> Result<WorkItem, OpError> {
    c.require_edit()?;
    let seen = view(st, c, reader).await?;
    let wf = seen
        .workflows
        .iter()
        .find(|w| w.id == workflow_id)
        .ok_or_else(|| Invalid::one("workflow_id", "Choose one of this workspace's workflows."))?;
    if !wf.spec.status.takes_new_work() {
        return Err(Invalid::one(
            "workflow_id",
            format!(
                "{} is retired: no new work starts in it. Choose another workflow, or set it to active again first.",
                wf.spec.name
            ),
        )
        .into());
    }
    let draft = WorkDraft::parse(input, &seen.people)?.with_workflow_defaults(&wf.spec);
    let status = transition::first_status(&wf.spec);
    Ok(st
        .store
        .start_work_described(c.ws, wf.id, &draft, status, description, Some(c.user_id))
        .await?)
}

pub async fn update(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
    expected: i64,
    input: &WorkInput,
) -> Result<WorkItem, OpError> {
    update_described(st, c, reader, id, expected, input, None).await
}

/// `update` that also replaces the description when one is given (already parsed).
pub async fn update_described(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
    expected: i64,
    input: &WorkInput,
    description: Option<&str>,
) -> Result<WorkItem, OpError> {
    workable(st, c, reader, id).await?;
    let seen = view(st, c, reader).await?;
    let draft = WorkDraft::parse(input, &seen.people)?;
    Ok(st
        .store
        .update_work_described(c.ws, id, expected, &draft, description)
        .await?)
}

pub async fn set_check(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
    index: usize,
    done: bool,
) -> Result<WorkItem, OpError> {
    let (item, wf) = workable(st, c, reader, id).await?;
    let stage = wf
        .spec
        .stages
        .get(item.stage)
        .ok_or_else(|| OpError::Refused("This item has no open stage.".into()))?;
    if index >= stage.checklist.len() {
        return Err(OpError::Refused(format!(
            "'{}' has {} checklist items.",
            stage.name,
            stage.checklist.len()
        )));
    }
    st.store
        .set_check(c.ws, id, item.stage, index, done, Some(c.user_id))
        .await?;
    Ok(item)
}

/// The gate of an item's current stage with what it waits for; an item the reader may not see
/// keeps its state (it still holds the launch) but not its title.
pub async fn gate(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    item: &WorkItem,
) -> Result<GateState, OpError> {
    let mut gate = st.store.gate_state(c.ws, item.id, item.stage).await?;
    if !reader.role.sees_everything() {
        for w in &mut gate.waits_for {
            let seen = st
                .store
                .find_work(c.ws, w.id)
                .await?
                .is_some_and(|x| reader.can_see_work(&x));
            if !seen {
                w.title = "an item you do not see".into();
            }
        }
    }
    Ok(gate)
}

/// The person the caller acts as is the workflow's decision owner.
fn is_decision_owner(c: &Caller, wf: &Workflow) -> bool {
    c.person_id.is_some() && wf.spec.decision_owner() == c.person_id
}

/// Moves an item if it is still at `expected`: the domain decides the whole outcome (next
/// state, history line, approval) and the store writes it in one transaction with the
/// version check, so of two people moving it at once the second is told it changed and
/// nothing of its move is kept.
pub async fn apply(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
    expected: i64,
    action: &Action,
) -> Result<WorkItem, OpError> {
    let (item, wf) = visible(st, c, reader, id).await?;
    // Approving is the decision owner's right, whatever else their role lets them change.
    if *action != Action::Approve {
        may_work_on(c, reader, &item)?;
    }
    if item.version != expected {
        return Err(OpError::Stale {
            current: item.version,
        });
    }
    let gate = gate(st, c, reader, &item).await?;
    let actor = Actor {
        is_decision_owner: is_decision_owner(c, &wf),
    };
    let now = crate::time_fmt::now();
    // The day a launch is recorded on is the workspace's (the cached model holds its zone).
    let zone = crate::model::whole(st, c.ws, c.data_version)
        .await?
        .zone
        .clone();
    let outcome = transition::apply(&item, &wf.spec, &gate, action, actor, now, &zone).map_err(
        |r| match r {
            Refusal::NotDecisionOwner(m) => OpError::Forbidden(m.into()),
            Refusal::Rule(m) => OpError::Refused(m),
        },
    )?;
    Ok(st
        .store
        .record_move(c.ws, id, expected, &outcome, Some(c.user_id))
        .await?)
}

/// The items `id` waits for that the caller may see, with their titles.
pub async fn dependencies(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<Vec<WorkItem>, OpError> {
    visible(st, c, reader, id).await?;
    let mut out = Vec::new();
    for (_, on) in st
        .store
        .list_deps(c.ws)
        .await?
        .into_iter()
        .filter(|(a, _)| *a == id)
    {
        if let Some(w) = st.store.find_work(c.ws, on).await? {
            if reader.can_see_work(&w) {
                out.push(w);
            }
        }
    }
    Ok(out)
}

/// Makes `id` wait for `on`. An item the caller may not see is refused exactly like one that
/// does not exist.
pub async fn add_dependency(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
    on: i64,
) -> Result<WorkItem, OpError> {
    workable(st, c, reader, id).await?;
    let target = st
        .store
        .find_work(c.ws, on)
        .await?
        .filter(|w| reader.can_see_work(w))
        .ok_or_else(|| Invalid::one("blocked_by", "Choose a work item of this workspace."))?;
    let deps = st.store.list_deps(c.ws).await?;
    if creates_cycle(&deps, id, on) {
        return Err(Invalid::one("blocked_by", "That would make the items wait for each other in a loop. Remove one of the dependencies first.").into());
    }
    st.store.add_dep(c.ws, id, on).await?;
    Ok(target)
}

pub async fn remove_dependency(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
    on: i64,
) -> Result<(), OpError> {
    workable(st, c, reader, id).await?;
    // A hidden dependency cannot be named, so it cannot be removed either.
    let hidden = st
        .store
        .find_work(c.ws, on)
        .await?
        .is_none_or(|w| !reader.can_see_work(&w));
    if hidden {
        return Err(OpError::NotFound);
    }
    Ok(st.store.remove_dep(c.ws, id, on).await?)
}
