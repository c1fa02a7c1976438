//! One workspace's operating model, as the domain's rules read it, kept in memory per node
//! and reloaded when the workspace's `data_version` moves (every write bumps it, on any node)
//! or after a minute (so time-based rules stay current).

use keel_domain::access::Reader;
use keel_domain::health::{self, Finding, Model};
use keel_domain::work::metrics::{self, Figures};
use keel_store::{Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const MAX_AGE_SECS: i64 = 60;

/// (data version, computed at, figures)
type CachedFigures = (i64, i64, Arc<Figures>);

#[derive(Default)]
pub struct ModelCache {
    entries: Mutex<HashMap<i64, (i64, Arc<Model>)>>,
    /// Per (workspace, workflow): the figures of all its work, at a data version.
    figures: Mutex<HashMap<(i64, i64), CachedFigures>>,
    /// One load at a time: when many requests miss at once, the first loads and the others
    /// wait and find its result, instead of all reading the same rows.
    loading: tokio::sync::Mutex<()>,
}

impl ModelCache {
    fn cached(&self, ws: i64, version: i64) -> Option<Arc<Model>> {
        let now = crate::time_fmt::now();
        let entries = self.entries.lock().expect("model cache lock");
        let (v, m) = entries.get(&ws)?;
        (*v == version && m.now + MAX_AGE_SECS > now).then(|| m.clone())
    }

    async fn get(&self, store: &Store, ws: i64, version: i64) -> Result<Arc<Model>, StoreError> {
        if let Some(m) = self.cached(ws, version) {
            return Ok(m);
        }
        let _one_at_a_time = self.loading.lock().await;
        if let Some(m) = self.cached(ws, version) {
            return Ok(m);
        }
        // Read after the version: a write in between makes this entry look older than it is,
        // which only costs a reload, never a stale answer.
        let m = Arc::new(store.model(ws).await?);
        self.entries
            .lock()
            .expect("model cache lock")
            .insert(ws, (version, m.clone()));
        Ok(m)
    }
}

/// The model limited to what the reader may see.
pub async fn load(
    state: &crate::AppState,
    ws: i64,
    data_version: i64,
    reader: &Reader,
) -> Result<Arc<Model>, StoreError> {
    let m = state.models.get(&state.store, ws, data_version).await?;
    if reader.role.sees_everything() {
        return Ok(m);
    }
    let functions = reader.functions(m.functions.clone());
    let people = reader.people(m.people.clone(), &functions);
    let work = m
        .work
        .iter()
        .filter(|w| reader.person_id.is_some_and(|p| w.involves(p)))
        .cloned()
        .collect();
    let workflows = m
        .workflows
        .iter()
        .filter(|wf| reader.person_id.is_some_and(|p| wf.spec.has_role(p)))
        .cloned()
        .collect();
    Ok(Arc::new(Model {
        people,
        functions,
        workflows,
        work,
        now: m.now,
    }))
}

/// Health findings on the model the reader sees.
pub fn findings(model: &Model) -> Vec<Finding> {
    health::check(model)
}

/// A workflow's figures over all its work (not only the recent work the model holds), cached
/// like the model.
pub async fn workflow_figures(
    state: &crate::AppState,
    ws: i64,
    data_version: i64,
    workflow: i64,
) -> Result<Arc<Figures>, StoreError> {
    let now = crate::time_fmt::now();
    let cache = &state.models.figures;
    if let Some((v, at, f)) = cache
        .lock()
        .expect("figures cache lock")
        .get(&(ws, workflow))
    {
        if *v == data_version && at + MAX_AGE_SECS > now {
            return Ok(f.clone());
        }
    }
    let items = state.store.work_of_workflow(ws, workflow, false).await?;
    let refs: Vec<_> = items.iter().collect();
    let f = Arc::new(metrics::figures(&refs, now));
    cache
        .lock()
        .expect("figures cache lock")
        .insert((ws, workflow), (data_version, now, f.clone()));
    Ok(f)
}
