//! Loading one workspace's operating model as the domain's rules read it, limited to what
//! the reader may see.

use keel_domain::access::Reader;
use keel_domain::health::{self, Finding, Model};
use keel_store::{Store, StoreError};

pub async fn load(store: &Store, ws: i64, reader: &Reader) -> Result<Model, StoreError> {
    let functions = store.list_functions(ws).await?;
    let people = store.list_people(ws).await?;
    if reader.role.sees_everything() {
        return Ok(Model { people, functions });
    }
    let functions = reader.functions(functions);
    let people = reader.people(people, &functions);
    Ok(Model { people, functions })
}

/// Health findings on the model the reader sees.
pub fn findings(model: &Model) -> Vec<Finding> {
    health::check(model)
}
