//! One workspace's operating model, as the domain's rules read it, kept in memory per node
//! and reloaded when the workspace's `data_version` moves (every write bumps it, on any node)
//! or after a minute (so time-based rules stay current).

use keel_domain::access::Reader;
use keel_domain::capacity::PersonLoad;
use keel_domain::health::{Finding, Model};
use keel_domain::work::metrics::{self, Figures};
use keel_domain::work::WorkItem;
use keel_domain::work::WorkStatus;
use keel_domain::Person;
use keel_store::WorkspaceId;
use keel_store::{Store, StoreError, WorkFilter};
use moka::ops::compute::{CompResult, Op};
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

const MAX_AGE_SECS: i64 = 60;

/// (data version, computed at, figures)
type CachedFigures = (i64, i64, Arc<Figures>);

/// (data version, the page's items)
type WorkPage = (i64, Arc<Vec<WorkItem>>);

/// What `Loaded::of_metric` keeps: by metric id and the type of what was made.
type PerMetric = HashMap<(i64, TypeId), Arc<dyn Any + Send + Sync>>;

/// A loaded model and what the board needs to find the work it shows (open and launched,
/// `board::on_board`) without walking every item.
pub struct Loaded {
    pub model: Arc<Model>,
    board_by_workflow: HashMap<i64, Vec<usize>>,
    board_all: Vec<usize>,
    /// The board's work of workflows that take new work, by status, newest first: the
    /// all-workflows board without filters draws its columns from these without a scan.
    board_by_status: Vec<(WorkStatus, Vec<usize>)>,
    /// The work's titles for search, in `model.work`'s order.
    work_index: keel_domain::search::WorkIndex,
    /// Everyone's load (the domain's one capacity model), computed once per loaded model.
    loads: std::sync::OnceLock<Arc<Loads>>,
    /// Strategic fit and resource allocation, computed once per loaded model.
    strategy: std::sync::OnceLock<Arc<StrategyFigures>>,
    /// What a metric's page shows of it (its chart, its table of values), made at this
    /// version by metric id and type: the same for every reader who sees the whole
    /// workspace, and making it costs more than serving it.
    per_metric: std::sync::Mutex<PerMetric>,
    /// The strategy stack's layers with what faster layers learned, computed once.
    layers: std::sync::OnceLock<Arc<Vec<crate::ops::stack::LayerView>>>,
}

/// The whole workspace's strategic fit and resource allocation: one pass over all the work
/// each, so they are kept with the loaded model rather than computed per request. Only
/// readers who see the whole workspace are shown them.
pub struct StrategyFigures {
    pub fit: keel_domain::fit::Fit,
    pub allocation: keel_domain::allocation::Allocation,
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
        let mut board_by_workflow: HashMap<i64, Vec<usize>> = HashMap::new();
        let mut board_all = Vec::new();
        for (i, w) in model.work.iter().enumerate() {
            if keel_domain::work::board::on_board(w) {
                board_by_workflow.entry(w.workflow_id).or_default().push(i);
                board_all.push(i);
            }
        }
        // Newest first, once per load, so a board request draws its first cards unsorted.
        let newest_first = |v: &mut Vec<usize>| {
            v.sort_unstable_by_key(|&i| std::cmp::Reverse(model.work[i].id));
        };
        newest_first(&mut board_all);
        board_by_workflow.values_mut().for_each(newest_first);
        let live: Vec<i64> = model
            .workflows
            .iter()
            .filter(|w| w.spec.status.takes_new_work())
            .map(|w| w.id)
            .collect();
        let mut board_by_status: Vec<(WorkStatus, Vec<usize>)> = Vec::new();
        for &i in &board_all {
            let w = &model.work[i];
            if !live.contains(&w.workflow_id) {
                continue;
            }
            match board_by_status.iter_mut().find(|(s, _)| *s == w.status) {
                Some((_, v)) => v.push(i),
                None => board_by_status.push((w.status, vec![i])),
            }
        }
        Loaded {
            work_index: keel_domain::search::WorkIndex::new(&model.work),
            model: Arc::new(model),
            board_by_workflow,
            board_all,
            board_by_status,
            loads: std::sync::OnceLock::new(),
            strategy: std::sync::OnceLock::new(),
            per_metric: Default::default(),
            layers: std::sync::OnceLock::new(),
        }
    }

    /// The strategy stack's layers as a reader who sees the whole workspace sees them.
    pub fn layers(&self) -> Arc<Vec<crate::ops::stack::LayerView>> {
        self.layers
            .get_or_init(|| Arc::new(crate::ops::stack::all_layers(&self.model)))
            .clone()
    }

    /// Something of metric `id` at this version, made by `make` the first time it is asked
    /// for (two requests at once may both make it; either result is the same).
    pub fn of_metric<T: Any + Send + Sync>(&self, id: i64, make: impl FnOnce() -> T) -> Arc<T> {
        let key = (id, TypeId::of::<T>());
        let kept = self
            .per_metric
            .lock()
            .ok()
            .and_then(|c| c.get(&key).cloned());
        if let Some(x) = kept.and_then(|x| x.downcast::<T>().ok()) {
            return x;
        }
        let x = Arc::new(make());
        if let Ok(mut c) = self.per_metric.lock() {
            c.insert(key, x.clone());
        }
        x
    }

    pub fn strategy(&self) -> Arc<StrategyFigures> {
        self.strategy
            .get_or_init(|| {
                Arc::new(StrategyFigures {
                    fit: keel_domain::fit::strategic_fit(&self.model),
                    allocation: keel_domain::allocation::allocation(&self.model),
                })
            })
            .clone()
    }

    /// Everyone's load, computed on the whole model (a person's load does not depend on
    /// what the reader may see; the reader only sees the people it may).
    pub fn loads(&self) -> Arc<Loads> {
        self.loads
            .get_or_init(|| {
                // The model keeps them (`team_loads`, also read by the domain's rules).
                let all = self.model.team_loads().to_vec();
                let by_person = all
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l.person_id, i))
                    .collect();
                Arc::new(Loads { all, by_person })
            })
            .clone()
    }

    /// The work on the board (open or launched) of one workflow, or of all, in the model's
    /// order.
    /// The work whose title holds every word of `q`, among what `reader` sees: the index
    /// covers the whole model, and the reader's view holds exactly the items `can_see_work`
    /// lets through (`Reader::view`), so this is what `search::search` on that view finds.
    pub fn found_work(
        &self,
        reader: &keel_domain::access::Reader,
        q: &keel_domain::search::Query,
    ) -> Vec<&WorkItem> {
        self.work_index
            .find(q)
            .into_iter()
            .map(|i| &self.model.work[i])
            .filter(|w| reader.can_see_work(w))
            .collect()
    }

    /// The board's work with status `s` in workflows that take new work, newest first.
    pub fn board_with_status(&self, s: WorkStatus) -> &[usize] {
        self.board_by_status
            .iter()
            .find(|(x, _)| *x == s)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    /// The item at a position `board_with_status` gave.
    pub fn work_at(&self, i: usize) -> &WorkItem {
        &self.model.work[i]
    }

    /// The work on the board (of one workflow, or all), newest first.
    pub fn board_work(&self, workflow: Option<i64>) -> impl Iterator<Item = &WorkItem> {
        let idx: &[usize] = match workflow {
            Some(w) => self
                .board_by_workflow
                .get(&w)
                .map(Vec::as_slice)
                .unwrap_or(&[]),
            None => &self.board_all,
        };
        idx.iter().map(|&i| &self.model.work[i])
    }
}

/// Figures kept at most, per kind (a workflow's, a person's); each is a few numbers.
const MAX_FIGURES: u64 = 10_000;
/// Work items kept at most over all cached pages of the work list.
const MAX_WORK_PAGE_ITEMS: u64 = 200_000;

/// A cached model: the data version it was read at, and whether a request is refreshing it
/// because only the clock moved.
struct Entry {
    version: i64,
    loaded: Arc<Loaded>,
    refreshing: AtomicBool,
}

impl Entry {
    fn young(&self, now: i64) -> bool {
        self.loaded.model.now + MAX_AGE_SECS > now
    }
}

/// Each workspace's model and figures on this node, bounded: a node serving many workspaces
/// keeps the most used ones within `Config::model_cache_records` and reads the others again
/// when they are visited. Loading is per workspace: requests that miss the same workspace
/// at once share one read, and a slow read of one workspace holds up no other.
pub struct ModelCache {
    models: moka::future::Cache<WorkspaceId, Arc<Entry>>,
    /// Per (workspace, workflow): the figures of all its work, at a data version.
    figures: moka::future::Cache<(WorkspaceId, i64), CachedFigures>,
    /// Per (workspace, person): the figures of the work they run, at a data version.
    person_figures: moka::future::Cache<(WorkspaceId, i64), CachedFigures>,
    /// Pages of the work list, per (workspace, filter), at a data version.
    work_pages: moka::future::Cache<(WorkspaceId, WorkFilter), WorkPage>,
    /// Models read from the database (first loads and reloads), for `/metrics`.
    reloads: AtomicU64,
    max_records: u64,
}

/// A model's weight in the cache: the records it holds (people, functions, workflows, work and
/// its dependencies and history, strategy, channels, offers, metrics and their values, commitments),
/// plus one so an empty workspace still counts. Records
/// differ in size, so this bounds memory only roughly; docs/benchmarks.md measures it.
fn weight(m: &Model) -> u32 {
    let records = m.people.len()
        + m.functions.len()
        + m.workflows.len()
        + m.work.len()
        + m.deps.len()
        + m.sop_versions.len()
        + m.blocks.len()
        + m.objectives.len()
        + m.priorities.len()
        + m.channels.len()
        + m.commitments.len()
        + m.metrics.len()
        + m.measurements.len()
        + m.offers.len()
        + m.review_cadences.len()
        + m.reviews.len()
        + m.decisions.len()
        + m.stack.layers.len()
        + m.stack.segments.len()
        + m.stack.personas.len()
        + m.stack.messages.len()
        + m.stack.programs.len()
        + 1;
    u32::try_from(records).unwrap_or(u32::MAX)
}

impl ModelCache {
    /// A cache holding models of at most `max_records` records in all (see [`weight`]).
    pub fn new(max_records: u64) -> ModelCache {
        ModelCache {
            models: moka::future::Cache::builder()
                .max_capacity(max_records)
                .weigher(|_, e: &Arc<Entry>| weight(&e.loaded.model))
                .build(),
            figures: moka::future::Cache::new(MAX_FIGURES),
            person_figures: moka::future::Cache::new(MAX_FIGURES),
            work_pages: moka::future::Cache::builder()
                .max_capacity(MAX_WORK_PAGE_ITEMS)
                .weigher(|_, (_, items): &WorkPage| {
                    u32::try_from(items.len() + 1).unwrap_or(u32::MAX)
                })
                .build(),
            reloads: AtomicU64::new(0),
            max_records,
        }
    }

    /// How many times a workspace's model was read from the database on this node.
    pub fn reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// (workspaces cached, their records, the most records kept), for `/metrics`. Eviction
    /// runs in the background, so the records may exceed the bound for a moment.
    pub fn size(&self) -> (u64, u64, u64) {
        (
            self.models.entry_count(),
            self.models.weighted_size(),
            self.max_records,
        )
    }

    async fn get(
        &self,
        store: &Store,
        ws: WorkspaceId,
        version: i64,
    ) -> Result<Arc<Loaded>, StoreError> {
        self.get_with(ws, version, || store.model(ws)).await
    }

    /// The model of `ws` at `version`, read with `read` when the cache has none that is
    /// current. Requests for one workspace are serialised on that workspace only.
    async fn get_with<F, Fut>(
        &self,
        ws: WorkspaceId,
        version: i64,
        read: F,
    ) -> Result<Arc<Loaded>, StoreError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Model, StoreError>>,
    {
        let now = crate::time_fmt::now();
        let mut refreshing = None;
        if let Some(e) = self.models.get(&ws).await {
            if e.version == version {
                if e.young(now) {
                    return Ok(e.loaded.clone());
                }
                // Only the clock moved: while one request reloads, the others answer from
                // the entry they have (its data is current; its "now" is a minute old).
                if e.refreshing.swap(true, Ordering::AcqRel) {
                    return Ok(e.loaded.clone());
                }
                refreshing = Some(e);
            }
        }
        let computed = self
            .models
            .entry(ws)
            .and_try_compute_with(|current| async move {
                // Another request may have loaded it while this one waited for the key.
                if current.is_some_and(|c| {
                    let c = c.into_value();
                    c.version == version && c.young(crate::time_fmt::now())
                }) {
                    return Ok(Op::Nop);
                }
                // Read after the version: a write in between makes this entry look older
                // than it is, which only costs a reload, never a stale answer.
                let model = read().await?;
                self.reloads.fetch_add(1, Ordering::Relaxed);
                Ok::<_, StoreError>(Op::Put(Arc::new(Entry {
                    version,
                    loaded: Arc::new(Loaded::new(model)),
                    refreshing: AtomicBool::new(false),
                })))
            })
            .await;
        if let Some(e) = refreshing {
            // Replaced on success; on failure the next request may try again.
            e.refreshing.store(false, Ordering::Release);
        }
        match computed? {
            CompResult::Inserted(e) | CompResult::ReplacedWith(e) | CompResult::Unchanged(e) => {
                Ok(e.into_value().loaded.clone())
            }
            // Neither happens: the closure never removes, and a Nop needs an entry.
            CompResult::StillNone(_) | CompResult::Removed(_) => Err(StoreError::Config(
                "the model cache lost an entry it had just computed".into(),
            )),
        }
    }
}

/// The whole model, for lookups the caller's own checks already guard (the name of a stage
/// or a person on something the reader may see).
pub async fn whole(
    state: &crate::AppState,
    ws: WorkspaceId,
    data_version: i64,
) -> Result<Arc<Model>, StoreError> {
    Ok(loaded(state, ws, data_version).await?.model.clone())
}

/// The whole model with its index of open work by workflow.
pub async fn loaded(
    state: &crate::AppState,
    ws: WorkspaceId,
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

/// The whole workspace's strategic fit and allocation at this data version.
pub async fn strategy_figures(
    state: &crate::AppState,
    ws: WorkspaceId,
    data_version: i64,
) -> Result<Arc<StrategyFigures>, StoreError> {
    Ok(loaded(state, ws, data_version).await?.strategy())
}

/// Everyone's load at this data version.
pub async fn loads(
    state: &crate::AppState,
    ws: WorkspaceId,
    data_version: i64,
) -> Result<Arc<Loads>, StoreError> {
    Ok(loaded(state, ws, data_version).await?.loads())
}

/// The model limited to what the reader may see.
pub async fn load(
    state: &crate::AppState,
    ws: WorkspaceId,
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
    ws: WorkspaceId,
    data_version: i64,
    reader: &Reader,
) -> Result<Vec<keel_domain::Person>, StoreError> {
    Ok(load(state, ws, data_version, reader).await?.people.clone())
}

/// Health findings on the model the reader sees: kept with the whole model for readers who
/// see everything (their view is the cached model), computed on a partner's view.
pub fn findings(model: &Model) -> Vec<Finding> {
    model.findings().to_vec()
}

/// A workflow's figures over all its work (not only the recent work the model holds), cached
/// like the model.
pub async fn workflow_figures(
    state: &crate::AppState,
    ws: WorkspaceId,
    data_version: i64,
    workflow: i64,
) -> Result<Arc<Figures>, StoreError> {
    let now = crate::time_fmt::now();
    let cache = &state.models.figures;
    if let Some((v, at, f)) = cache.get(&(ws, workflow)).await {
        if v == data_version && at + MAX_AGE_SECS > now {
            return Ok(f);
        }
    }
    let items = state.store.work_of_workflow(ws, workflow).await?;
    let refs: Vec<_> = items.iter().collect();
    let f = Arc::new(metrics::figures(&refs, now));
    cache
        .insert((ws, workflow), (data_version, now, f.clone()))
        .await;
    Ok(f)
}

/// The figures of the work a person runs (all of it, not only recent work), cached like a
/// workflow's.
pub async fn person_figures(
    state: &crate::AppState,
    ws: WorkspaceId,
    data_version: i64,
    person: i64,
) -> Result<Arc<Figures>, StoreError> {
    let now = crate::time_fmt::now();
    let cache = &state.models.person_figures;
    if let Some((v, at, f)) = cache.get(&(ws, person)).await {
        if v == data_version && at + MAX_AGE_SECS > now {
            return Ok(f);
        }
    }
    let filter = WorkFilter {
        owner_id: Some(person),
        ..Default::default()
    };
    let items = state.store.list_work(ws, &filter).await?;
    let refs: Vec<_> = items.iter().collect();
    let f = Arc::new(metrics::figures(&refs, now));
    cache
        .insert((ws, person), (data_version, now, f.clone()))
        .await;
    Ok(f)
}

/// A page of the work list, read once per data version: every write bumps the version, so a
/// cached page is never older than the data the request was authorised against.
pub async fn work_page(
    state: &crate::AppState,
    ws: WorkspaceId,
    data_version: i64,
    filter: &WorkFilter,
) -> Result<Arc<Vec<WorkItem>>, StoreError> {
    let cache = &state.models.work_pages;
    let key = (ws, filter.clone());
    if let Some((v, items)) = cache.get(&key).await {
        if v == data_version {
            return Ok(items);
        }
    }
    let items = Arc::new(state.store.list_work(ws, filter).await?);
    cache.insert(key, (data_version, items.clone())).await;
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use keel_domain::capacity::{Commitment, CommitmentKind};
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    /// A model of `records` records (see [`weight`]), judged now.
    fn model(records: usize) -> Model {
        let commitments = (1..records)
            .map(|i| Commitment {
                id: i as i64,
                person_id: 1,
                label: format!("Weekly sync {i}"),
                kind: CommitmentKind::Meetings,
                hours: 1.0,
                workflow_id: None,
                version: 1,
            })
            .collect();
        Model {
            commitments,
            now: crate::time_fmt::now(),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn a_slow_load_of_one_workspace_holds_up_no_other() {
        let cache = Arc::new(ModelCache::new(1_000));
        let slow = {
            let cache = cache.clone();
            tokio::spawn(async move {
                cache
                    .get_with(WorkspaceId(1), 7, || async {
                        tokio::time::sleep(Duration::from_secs(3)).await;
                        Ok(model(5))
                    })
                    .await
                    .map(|_| ())
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = std::time::Instant::now();
        let other = tokio::time::timeout(
            Duration::from_secs(1),
            cache.get_with(WorkspaceId(2), 7, || async { Ok(model(5)) }),
        )
        .await
        .expect("workspace 2 waited for workspace 1's load")
        .unwrap();
        assert_eq!(other.model.commitments.len(), 4);
        assert!(started.elapsed() < Duration::from_secs(1));
        assert!(!slow.is_finished(), "the slow load was not slow");
        slow.await.unwrap().unwrap();
        assert_eq!(cache.reloads(), 2);
    }

    #[tokio::test]
    async fn requests_that_miss_one_workspace_at_once_share_one_read() {
        let cache = Arc::new(ModelCache::new(1_000));
        let reads = Arc::new(AtomicUsize::new(0));
        let mut waiting = Vec::new();
        for _ in 0..8 {
            let (cache, reads) = (cache.clone(), reads.clone());
            waiting.push(tokio::spawn(async move {
                cache
                    .get_with(WorkspaceId(3), 1, || async move {
                        reads.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(300)).await;
                        Ok(model(2))
                    })
                    .await
                    .unwrap()
            }));
        }
        let mut loaded = Vec::new();
        for w in waiting {
            loaded.push(w.await.unwrap());
        }
        assert_eq!(
            reads.load(Ordering::SeqCst),
            1,
            "one read for eight requests"
        );
        assert!(loaded.iter().all(|m| Arc::ptr_eq(m, &loaded[0])));
        // A new data version is read again; the same one is not.
        cache
            .get_with(WorkspaceId(3), 2, || async { Ok(model(2)) })
            .await
            .unwrap();
        cache
            .get_with(WorkspaceId(3), 2, || async {
                panic!("read although current")
            })
            .await
            .unwrap();
        assert_eq!(cache.reloads(), 2);
    }

    #[tokio::test]
    async fn the_cache_keeps_within_its_bound_and_reads_dropped_workspaces_again() {
        let cache = ModelCache::new(100);
        for ws in 1..=50 {
            cache
                .get_with(WorkspaceId(ws), 1, || async { Ok(model(10)) })
                .await
                .unwrap();
        }
        cache.models.run_pending_tasks().await;
        let (workspaces, records, max) = cache.size();
        assert_eq!(max, 100);
        assert!(records <= 100, "{records} records cached, bound 100");
        assert!(
            (1..=10).contains(&workspaces),
            "{workspaces} workspaces of 10 records in 100"
        );
        // Those dropped are read again when visited; nothing breaks.
        let before = cache.reloads();
        for ws in 1..=50 {
            let m = cache
                .get_with(WorkspaceId(ws), 1, || async { Ok(model(10)) })
                .await
                .unwrap();
            assert_eq!(m.model.commitments.len(), 9);
        }
        assert!(
            cache.reloads() >= before + 40,
            "dropped workspaces were not read again"
        );
        cache.models.run_pending_tasks().await;
        assert!(cache.size().1 <= 100);
    }
}
