//! Starting work, editing it, ticking checklists, approvals, moves and dependencies.

use super::{Caller, OpError};
use keel_domain::access::Reader;
use keel_domain::work::transition::{self, Action, Actor};
use keel_domain::work::{creates_cycle, WorkDraft, WorkInput, WorkItem};
use keel_domain::workflow::Workflow;
use keel_store::{Move, Store};

/// An item the caller may see (a partner: items its person executes or contributes to),
/// with its workflow.
pub async fn visible(
    store: &Store,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<(WorkItem, Workflow), OpError> {
    let item = store.find_work(c.ws, id).await?.ok_or(OpError::NotFound)?;
    if !reader.can_see_work(&item) {
        return Err(OpError::NotFound);
    }
    let wf = store
        .find_workflow(c.ws, item.workflow_id)
        .await?
        .ok_or(OpError::NotFound)?;
    Ok((item, wf))
}

/// An item the caller may both see and change.
pub async fn workable(
    store: &Store,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<(WorkItem, Workflow), OpError> {
    let (item, wf) = visible(store, c, reader, id).await?;
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
    store: &Store,
    c: &Caller,
    workflow_id: i64,
    input: &WorkInput,
) -> Result<WorkItem, OpError> {
    c.require_edit()?;
    let wf = store
        .find_workflow(c.ws, workflow_id)
        .await?
        .ok_or_else(|| {
            let mut i = keel_domain::Invalid::new();
            i.push("workflow_id", "Choose one of this workspace's workflows.");
            OpError::Invalid(i)
        })?;
    let people = store.list_people(c.ws).await?;
    let draft = WorkDraft::parse(input, &people)?.with_workflow_defaults(&wf.spec);
    Ok(store
        .create_work(c.ws, wf.id, &draft, Some(c.user_id))
        .await?)
}

pub async fn update(
    store: &Store,
    c: &Caller,
    reader: &Reader,
    id: i64,
    expected: Option<i64>,
    input: &WorkInput,
) -> Result<WorkItem, OpError> {
    let (item, _) = visible(store, c, reader, id).await?;
    may_work_on(c, reader, &item)?;
    let people = store.list_people(c.ws).await?;
    let draft = WorkDraft::parse(input, &people)?;
    Ok(store.update_work(c.ws, id, expected, &draft).await?)
}

pub async fn set_check(
    store: &Store,
    c: &Caller,
    reader: &Reader,
    id: i64,
    index: usize,
    done: bool,
) -> Result<WorkItem, OpError> {
    let (item, wf) = visible(store, c, reader, id).await?;
    may_work_on(c, reader, &item)?;
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
    store
        .set_check(c.ws, id, item.stage, index, done, Some(c.user_id))
        .await?;
    Ok(item)
}

/// The person the caller acts as is the workflow's decision owner.
fn is_decision_owner(c: &Caller, wf: &Workflow) -> bool {
    c.person_id.is_some() && wf.spec.decision_owner() == c.person_id
}

pub async fn approve(
    store: &Store,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<WorkItem, OpError> {
    let (item, wf) = visible(store, c, reader, id).await?;
    if !is_decision_owner(c, &wf) {
        return Err(OpError::Forbidden(
            "Only the workflow's decision owner approves its gates.".into(),
        ));
    }
    if !item.status.is_open() {
        return Err(OpError::Refused("Only open work needs approval.".into()));
    }
    store
        .approve_stage(c.ws, id, item.stage, c.user_id, None)
        .await?;
    Ok(item)
}

/// Moves an item if it is still at `expected`: of two people moving it at once, the second
/// is told it changed.
pub async fn apply(
    store: &Store,
    c: &Caller,
    reader: &Reader,
    id: i64,
    expected: i64,
    action: &Action,
) -> Result<WorkItem, OpError> {
    let (item, wf) = visible(store, c, reader, id).await?;
    may_work_on(c, reader, &item)?;
    if item.version != expected {
        return Err(OpError::Stale {
            current: item.version,
        });
    }
    let gate = store.gate_state(c.ws, id, item.stage).await?;
    let actor = Actor {
        is_decision_owner: is_decision_owner(c, &wf),
    };
    let now = crate::time_fmt::now();
    let next =
        transition::apply(&item, &wf.spec, &gate, action, actor, now).map_err(OpError::Refused)?;
    if let (
        Action::Advance {
            override_reason: Some(r),
        },
        true,
    ) = (
        action,
        matches!(
            keel_domain::work::check_gate(&wf.spec, item.stage, &gate),
            keel_domain::work::Gate::Closed(_)
        ),
    ) {
        store
            .approve_stage(c.ws, id, item.stage, c.user_id, Some(r))
            .await?;
    }
    let clear = match action {
        Action::SendBack { to, .. } => Some(*to),
        _ => None,
    };
    let m = Move {
        next: &next,
        kind: action.kind(),
        note: action.note(),
        by_user: Some(c.user_id),
        clear_approvals_from: clear,
    };
    Ok(store.move_work(c.ws, id, expected, m).await?)
}

pub async fn add_dependency(
    store: &Store,
    c: &Caller,
    reader: &Reader,
    id: i64,
    on: i64,
) -> Result<(), OpError> {
    let (item, _) = visible(store, c, reader, id).await?;
    may_work_on(c, reader, &item)?;
    let deps = store.list_deps(c.ws).await?;
    if store.find_work(c.ws, on).await?.is_none() {
        let mut i = keel_domain::Invalid::new();
        i.push("blocked_by", "Choose a work item of this workspace.");
        return Err(OpError::Invalid(i));
    }
    if creates_cycle(&deps, id, on) {
        let mut i = keel_domain::Invalid::new();
        i.push("blocked_by", "That would make the items wait for each other in a loop. Remove one of the dependencies first.");
        return Err(OpError::Invalid(i));
    }
    Ok(store.add_dep(c.ws, id, on).await?)
}

pub async fn remove_dependency(
    store: &Store,
    c: &Caller,
    reader: &Reader,
    id: i64,
    on: i64,
) -> Result<(), OpError> {
    let (item, _) = visible(store, c, reader, id).await?;
    may_work_on(c, reader, &item)?;
    Ok(store.remove_dep(c.ws, id, on).await?)
}
