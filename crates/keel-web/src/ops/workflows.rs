//! Creating and changing workflows (SOPs).

use super::{Caller, OpError};
use crate::AppState;
use keel_domain::access::Reader;
use keel_domain::workflow::{Workflow, WorkflowInput, WorkflowSpec};

/// A workflow the caller may see: everyone sees all but a partner, who sees the ones its
/// person has a role or work in (`Reader::view`).
pub async fn visible(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<Workflow, OpError> {
    super::work::view(st, c, reader)
        .await?
        .workflows
        .iter()
        .find(|w| w.id == id)
        .cloned()
        .ok_or(OpError::NotFound)
}

pub async fn parse(
    st: &AppState,
    c: &Caller,
    input: &WorkflowInput,
) -> Result<WorkflowSpec, OpError> {
    let people = st.store.list_people(c.ws).await?;
    let functions: Vec<i64> = st
        .store
        .list_functions(c.ws)
        .await?
        .iter()
        .map(|f| f.id)
        .collect();
    Ok(WorkflowSpec::parse(input, &people, &functions)?)
}

pub async fn create(st: &AppState, c: &Caller, input: &WorkflowInput) -> Result<Workflow, OpError> {
    c.require_edit()?;
    let spec = parse(st, c, input).await?;
    Ok(st
        .store
        .create_workflow(c.ws, &spec, Some(c.user_id))
        .await?)
}

pub async fn update(
    st: &AppState,
    c: &Caller,
    id: i64,
    expected: i64,
    input: &WorkflowInput,
) -> Result<Workflow, OpError> {
    c.require_edit()?;
    let spec = parse(st, c, input).await?;
    Ok(st
        .store
        .update_workflow(c.ws, id, expected, &spec, Some(c.user_id))
        .await?)
}
