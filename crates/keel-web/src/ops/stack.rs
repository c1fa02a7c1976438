//! What the strategy page and the API both read and write about the strategy stack: the
//! caller's view of it (a partner sees only the programs it may, never the layers), and a
//! layer's settings parsed with the domain's rules and saved with the version read.

use super::strategy::today;
use crate::AppState;
use keel_domain::access::Reader;
use keel_domain::health::Model;
use keel_domain::stack::{cascade, message, Layer, LayerDraft, LayerInput, LayerSettings};
use keel_domain::Invalid;
use keel_store::StoreError;

/// One layer as a reader sees it: settings (defaults until saved), when its review is due,
/// whether it is overdue, and what the faster layers above learned since its last review.
pub struct LayerView {
    pub settings: LayerSettings,
    pub owner: Option<String>,
    pub overdue: bool,
    pub learned: Vec<cascade::Learned>,
    /// Decisions about faster layers since the last review (the newest), and how many.
    pub decisions: Vec<cascade::LearnedDecision>,
    pub decisions_total: usize,
}

/// The layers of the whole model, slowest first. What is overdue and what was learned are
/// judged as of the model's `now`, so the web keeps them with each loaded model
/// (`model::Loaded::layers`): the cascade reads every metric's values.
pub fn all_layers(m: &Model) -> Vec<LayerView> {
    let today = m.today();
    Layer::ALL
        .into_iter()
        .map(|l| {
            let settings = m.stack.layer(l);
            let (decisions, decisions_total) = cascade::decisions_learned(m, l);
            LayerView {
                decisions,
                decisions_total,
                owner: settings
                    .owner_id
                    .and_then(|id| m.people.iter().find(|p| p.id == id))
                    .map(|p| p.name.clone()),
                overdue: settings.overdue(today),
                learned: cascade::learned(m, l),
                settings,
            }
        })
        .collect()
}

/// The layers for a reader who sees them (`None` for a partner), from the per-node cache:
/// computed once per loaded model.
pub async fn layers_cached(
    st: &AppState,
    ws: keel_store::WorkspaceId,
    data_version: i64,
    reader: &Reader,
) -> Result<Option<std::sync::Arc<Vec<LayerView>>>, StoreError> {
    if !reader.role.sees_everything() {
        return Ok(None);
    }
    Ok(Some(
        crate::model::loaded(st, ws, data_version).await?.layers(),
    ))
}

/// The message map's rows as the reader sees them.
pub fn map(m: &Model) -> Vec<message::MapRow> {
    message::map(&m.stack)
}

/// Why a layer was not saved.
pub enum SaveError {
    /// The reader does not see the layers.
    Hidden,
    Invalid(Invalid),
    Store(StoreError),
}

/// Parses and saves a layer's settings at the version the caller read (0: never saved).
pub async fn save_layer(
    st: &AppState,
    ws: keel_store::WorkspaceId,
    m: &Model,
    reader: &Reader,
    layer: Layer,
    input: &LayerInput,
    expected: i64,
) -> Result<LayerSettings, SaveError> {
    if !reader.role.sees_everything() {
        return Err(SaveError::Hidden);
    }
    let d = LayerDraft::parse(layer, input, &m.people, today(m)).map_err(SaveError::Invalid)?;
    st.store
        .save_strategy_layer(ws, expected, &d)
        .await
        .map_err(SaveError::Store)
}
