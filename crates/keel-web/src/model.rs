//! Loading one workspace's operating model as the domain's rules read it, limited to what
//! the reader may see.

use keel_domain::access::Reader;
use keel_domain::health::{self, Finding, Model};
use keel_store::{Store, StoreError};

pub async fn load(store: &Store, ws: i64, reader: &Reader) -> Result<Model, StoreError> {
    let mut m = store.model(ws).await?;
    if !reader.role.sees_everything() {
        m.functions = reader.functions(std::mem::take(&mut m.functions));
        m.people = reader.people(std::mem::take(&mut m.people), &m.functions);
    }
    Ok(m)
}

/// Health findings on the model the reader sees.
pub fn findings(model: &Model) -> Vec<Finding> {
    health::check(model)
}
