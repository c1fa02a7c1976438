//! Creating and changing workflows (SOPs).

use super::{Caller, OpError};
use crate::AppState;
use keel_domain::access::Reader;
use keel_domain::health::Model;
use keel_domain::workflow::{Workflow, WorkflowInput, WorkflowSpec};
use keel_store::WorkFilter;
use std::sync::Arc;

/// A workflow the caller may see: everyone sees all but a partner, who sees the ones its
/// person has a role or work in (`Reader::view`).
pub async fn visible(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<Workflow, OpError> {
    Ok(seen_with(st, c, reader, id).await?.1)
}

/// The caller's view of the workspace together with a workflow it may read. The cached model
/// holds open and recent work only, so a partner whose work in a workflow finished long ago
/// would not find that SOP in its view; its own item is then added to the model before the
/// domain's `Reader::view` decides, so the partner reads the SOP it worked to and the people
/// on it, and nothing else.
pub async fn seen_with(
    st: &AppState,
    c: &Caller,
    reader: &Reader,
    id: i64,
) -> Result<(Arc<Model>, Workflow), OpError> {
    let seen = super::work::view(st, c, reader).await?;
    if let Some(w) = seen.workflows.iter().find(|w| w.id == id) {
        let w = w.clone();
        return Ok((seen, w));
    }
    let Some(person) = reader.person_id.filter(|_| !reader.role.sees_everything()) else {
        return Err(OpError::NotFound);
    };
    let own = WorkFilter {
        workflow_id: Some(id),
        involving: Some(person),
        limit: 1,
        ..Default::default()
    };
    let Some(item) = st.store.list_work(c.ws, &own).await?.into_iter().next() else {
        return Err(OpError::NotFound);
    };
    let mut whole = (*crate::model::whole(st, c.ws, c.data_version).await?).clone();
    whole.work.push(item);
    let seen = reader.view(&whole);
    let w = seen
        .workflows
        .iter()
        .find(|w| w.id == id)
        .cloned()
        .ok_or(OpError::NotFound)?;
    Ok((Arc::new(seen), w))
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
