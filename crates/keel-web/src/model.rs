//! One workspace's operating model, as the domain's rules read it, kept in memory per node
//! and reloaded when the workspace's `data_version` moves (every write bumps it, on any node)
//! or after a minute (so time-based rules stay current).

use keel_domain::access::Reader;
use keel_domain::capacity::PersonLoad;
use keel_domain::health::{self, Finding, Model};
use keel_domain::work::metrics::{self, Figures};
use keel_domain::work::WorkItem;
use keel_domain::Person;
use keel_store::{Store, StoreError, WorkFilter};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

const MAX_AGE_SECS: i64 = 60;

/// (data version, computed at, figures)
type CachedFigures = (i64, i64, Arc<Figures>);

/// (workspace, filter) -> (data version, the page's items)
type WorkPages = HashMap<(i64, WorkFilter), (i64, Arc<Vec<WorkItem>>)>;

/// A loaded model and what the board needs to find one workflow's open work without
/// walking every item.
pub struct Loaded {
    pub model: Arc<Model>,
    open_by_workflow: HashMap<i64, Vec<usize>>,
    /// Everyone's load (the domain's one capacity model), computed once per loaded model.
    loads: std::sync::OnceLock<Arc<Loads>>,
}

/// Everyone's load with an index by person id.
pub struct Loads {
    pub all: Vec<PersonLoad>,
    by_person: HashMap<i64, usize>,
}

impl Loads {
    pub fn of(&self, person_id: i64) -> Option<&PersonLoad> {
        self.by_person.get(&person_id).map(|&i| &self.all[i])
    }

    /// The loads of these people (those a reader sees), in their order.
    pub fn for_people<'a>(&'a self, people: &'a [Person]) -> Vec<&'a PersonLoad> {
        people.iter().filter_map(|p| self.of(p.id)).collect()
    }
}

impl Loaded {
    fn new(model: Model) -> Loaded {
        let mut open_by_workflow: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, w) in model.work.iter().enumerate() {
            if w.status.is_open() {
                open_by_workflow.entry(w.workflow_id).or_default().push(i);
            }
        }
        Loaded {
            model: Arc::new(model),
            open_by_workflow,
            loads: std::sync::OnceLock::new(),
        }
    }

    /// Everyone's load, computed on the whole model (a person's load does not depend on
    /// what the reader may see; the reader only sees the people it may).
    pub fn loads(&self) -> Arc<Loads> {
        self.loads
            .get_or_init(|| {
                let all = self.model.loads();
                let by_person = all
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l.person_id, i))
                    .collect();
                Arc::new(Loads { all, by_person })
            })
            .clone()
    }

    /// The open work of one workflow, in the model's order.
    pub fn open_work_of(&self, workflow: i64) -> impl Iterator<Item = &WorkItem> {
        self.open_by_workflow
            .get(&workflow)
            .into_iter()
            .flatten()
            .map(|&i| &self.model.work[i])
    }
}

#[derive(Default)]
pub struct ModelCache {
    entries: Mutex<HashMap<i64, (i64, Arc<Loaded>)>>,
    /// Per (workspace, workflow): the figures of all its work, at a data version.
    figures: Mutex<HashMap<(i64, i64), CachedFigures>>,
    /// Per (workspace, person): the figures of the work they run, at a data version.
    person_figures: Mutex<HashMap<(i64, i64), CachedFigures>>,
    /// Pages of the work list, per (workspace, filter), at a data version.
    work_pages: Mutex<WorkPages>,
    /// One load at a time: when many requests miss at once, the first loads and the others
    /// wait and find its result, instead of all reading the same rows.
    loading: tokio::sync::Mutex<()>,
    /// Models read from the database (first loads and reloads), for `/metrics`.
    reloads: AtomicU64,
}

impl ModelCache {
    /// How many times a workspace's model was read from the database on this node.
    pub fn reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// The entry at this data version, and whether it is young enough to answer alone.
    fn cached(&self, ws: i64, version: i64) -> Option<(Arc<Loaded>, bool)> {
        let now = crate::time_fmt::now();
        let entries = self.entries.lock().expect("model cache lock");
        let (v, m) = entries.get(&ws)?;
        (*v == version).then(|| (m.clone(), m.model.now + MAX_AGE_SECS > now))
    }

    async fn get(&self, store: &Store, ws: i64, version: i64) -> Result<Arc<Loaded>, StoreError> {
        let _one_at_a_time = match self.cached(ws, version) {
            Some((m, true)) => return Ok(m),
            // Only the clock moved: while one request reloads, the others answer from the
            // entry they have (its data is current; its "now" is a minute old).
            Some((m, false)) => match self.loading.try_lock() {
                Ok(guard) => guard,
                Err(_) => return Ok(m),
            },
            None => {
                let guard = self.loading.lock().await;
                if let Some((m, true)) = self.cached(ws, version) {
                    return Ok(m);
                }
                guard
            }
        };
        // Read after the version: a write in between makes this entry look older than it is,
        // which only costs a reload, never a stale answer.
        let m = Arc::new(Loaded::new(store.model(ws).await?));
        self.reloads.fetch_add(1, Ordering::Relaxed);
        self.entries
            .lock()
            .expect("model cache lock")
            .insert(ws, (version, m.clone()));
        Ok(m)
    }
}

/// The whole model, for lookups the caller's own checks already guard (the name of a stage
/// or a person on something the reader may see).
pub async fn whole(
    state: &crate::AppState,
    ws: i64,
    data_version: i64,
) -> Result<Arc<Model>, StoreError> {
    Ok(loaded(state, ws, data_version).await?.model.clone())
}

/// The whole model with its index of open work by workflow.
pub async fn loaded(
    state: &crate::AppState,
    ws: i64,
    data_version: i64,
) -> Result<Arc<Loaded>, StoreError> {
    state.models.get(&state.store, ws, data_version).await
}

/// A person's load as a reader may see it: the hours are the whole model's (the same figure
/// on every page and for every reader); the names of functions and work the reader does not
/// see are replaced, and links to them dropped.
pub fn masked(l: &PersonLoad, seen: &Model) -> PersonLoad {
    use keel_domain::capacity::Source;
    let mut l = l.clone();
    for r in &mut l.recurring {
        if let Source::Function(id) = r.source {
            if !seen.functions.iter().any(|f| f.id == id) {
                r.label = "A function you do not see".into();
                r.source = Source::Hidden;
            }
        }
    }
    for o in &mut l.one_off {
        if !seen.work.iter().any(|w| w.id == o.item_id) {
            o.title = "Work you do not see".into();
            o.item_id = 0;
        }
    }
    l
}

/// Everyone's load at this data version.
pub async fn loads(
    state: &crate::AppState,
    ws: i64,
    data_version: i64,
) -> Result<Arc<Loads>, StoreError> {
    Ok(loaded(state, ws, data_version).await?.loads())
}

/// The model limited to what the reader may see.
pub async fn load(
    state: &crate::AppState,
    ws: i64,
    data_version: i64,
    reader: &Reader,
) -> Result<Arc<Model>, StoreError> {
    let m = whole(state, ws, data_version).await?;
    if reader.role.sees_everything() {
        return Ok(m);
    }
    Ok(Arc::new(reader.view(&m)))
}

/// The people the reader sees: what every person picker and linked name reads.
pub async fn people_seen(
    state: &crate::AppState,
    ws: i64,
    data_version: i64,
    reader: &Reader,
) -> Result<Vec<keel_domain::Person>, StoreError> {
    Ok(load(state, ws, data_version, reader).await?.people.clone())
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
    let items = state.store.work_of_workflow(ws, workflow).await?;
    let refs: Vec<_> = items.iter().collect();
    let f = Arc::new(metrics::figures(&refs, now));
    cache
        .lock()
        .expect("figures cache lock")
        .insert((ws, workflow), (data_version, now, f.clone()));
    Ok(f)
}

/// The figures of the work a person runs (all of it, not only recent work), cached like a
/// workflow's.
pub async fn person_figures(
    state: &crate::AppState,
    ws: i64,
    data_version: i64,
    person: i64,
) -> Result<Arc<Figures>, StoreError> {
    let now = crate::time_fmt::now();
    let cache = &state.models.person_figures;
    if let Some((v, at, f)) = cache.lock().expect("figures cache lock").get(&(ws, person)) {
        if *v == data_version && at + MAX_AGE_SECS > now {
            return Ok(f.clone());
        }
    }
    let filter = WorkFilter {
        owner_id: Some(person),
        ..Default::default()
    };
    let items = state.store.list_work(ws, &filter).await?;
    let refs: Vec<_> = items.iter().collect();
    let f = Arc::new(metrics::figures(&refs, now));
    let mut c = cache.lock().expect("figures cache lock");
    if c.len() >= MAX_WORK_PAGES {
        c.clear();
    }
    c.insert((ws, person), (data_version, now, f.clone()));
    Ok(f)
}

/// Cached pages of the work list kept at most; beyond that the cache starts again empty.
const MAX_WORK_PAGES: usize = 512;

/// A page of the work list, read once per data version: every write bumps the version, so a
/// cached page is never older than the data the request was authorised against.
pub async fn work_page(
    state: &crate::AppState,
    ws: i64,
    data_version: i64,
    filter: &WorkFilter,
) -> Result<Arc<Vec<WorkItem>>, StoreError> {
    let cache = &state.models.work_pages;
    let key = (ws, filter.clone());
    if let Some((v, items)) = cache.lock().expect("work page cache lock").get(&key) {
        if *v == data_version {
            return Ok(items.clone());
        }
    }
    let items = Arc::new(state.store.list_work(ws, filter).await?);
    let mut pages = cache.lock().expect("work page cache lock");
    if pages.len() >= MAX_WORK_PAGES {
        pages.clear();
    }
    pages.insert(key, (data_version, items.clone()));
    Ok(items)
}
