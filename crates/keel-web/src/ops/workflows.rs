//! Creating and changing workflows (SOPs).

use super::{Caller, OpError};
use keel_domain::access::Reader;
use keel_domain::workflow::{Workflow, WorkflowInput, WorkflowSpec};
use keel_store::Store;

/// A workflow the caller may see: everyone sees all but a partner, who sees the ones its
/// person has a role in.
pub async fn visible(
    store: &Store,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<Workflow, OpError> {
    let w = store
        .find_workflow(c.ws, id)
        .await?
        .ok_or(OpError::NotFound)?;
    if !reader.can_see_workflow(&w.spec) {
        return Err(OpError::NotFound);
    }
    Ok(w)
}

pub async fn parse(
    store: &Store,
    c: &Caller,
    input: &WorkflowInput,
) -> Result<WorkflowSpec, OpError> {
    let people = store.list_people(c.ws).await?;
    let functions: Vec<i64> = store
        .list_functions(c.ws)
        .await?
        .iter()
        .map(|f| f.id)
        .collect();
    Ok(WorkflowSpec::parse(input, &people, &functions)?)
}

pub async fn create(store: &Store, c: &Caller, input: &WorkflowInput) -> Result<Workflow, OpError> {
    c.require_edit()?;
    let spec = parse(store, c, input).await?;
    Ok(store.create_workflow(c.ws, &spec, Some(c.user_id)).await?)
}

pub async fn update(
    store: &Store,
    c: &Caller,
    id: i64,
    expected: Option<i64>,
    input: &WorkflowInput,
) -> Result<Workflow, OpError> {
    c.require_edit()?;
    let spec = parse(store, c, input).await?;
    Ok(store
        .update_workflow(c.ws, id, expected, &spec, Some(c.user_id))
        .await?)
}
