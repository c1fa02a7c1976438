//! One workspace's whole operating model, as the health rules read it.

use crate::{now, Result, Store};
use keel_domain::health::Model;

impl Store {
    /// Everything the domain's rules need about one workspace, judged as of now.
    pub async fn model(&self, ws: i64) -> Result<Model> {
        Ok(Model {
            people: self.list_people(ws).await?,
            functions: self.list_functions(ws).await?,
            now: now(),
            ..Default::default()
        })
    }
}
