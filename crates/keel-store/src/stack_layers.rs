//! The strategy stack's layer settings and message map (migration 0040). A layer without a
//! row has its defaults (version 0); a save with a shorter list of buying stages removes the
//! message cells of the stages that went, in the same transaction.

use crate::WorkspaceId;
use crate::{now, read, tx, Result, Store, StoreError};
use keel_domain::stack::{
    Cycle, Layer, LayerDraft, LayerSettings, MessageCell, MessageDraft, Stack,
};
use keel_domain::Date;

#[derive(sqlx::FromRow)]
struct LayerRow {
    layer: String,
    owner_id: Option<i64>,
    cycle: String,
    last_reviewed: Option<i64>,
    goals: Option<String>,
    revenue_goal: Option<f64>,
    revenue_from: Option<i64>,
    revenue_to: Option<i64>,
    go_to_market: Option<String>,
    stages: Option<String>,
    version: i64,
}

const LAYER_COLUMNS: &str = "layer, owner_id, cycle, last_reviewed, goals, revenue_goal, revenue_from, revenue_to, go_to_market, stages, version";

fn layer(r: LayerRow) -> Option<LayerSettings> {
    let l = Layer::parse(&r.layer).ok()?;
    Some(LayerSettings {
        layer: l,
        owner_id: r.owner_id,
        cycle: Cycle::parse(&r.cycle).unwrap_or(Cycle::default_for(l)),
        last_reviewed: r.last_reviewed.map(Date),
        goals: r.goals,
        revenue_goal: r.revenue_goal,
        revenue_from: r.revenue_from.map(Date),
        revenue_to: r.revenue_to.map(Date),
        go_to_market: r.go_to_market,
        stages: r
            .stages
            .map(|s| s.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        version: r.version,
    })
}

#[derive(sqlx::FromRow)]
struct CellRow {
    persona_id: i64,
    stage: i64,
    message: String,
    proof_point: Option<String>,
    asset: Option<String>,
    version: i64,
}

const CELL_COLUMNS: &str = "persona_id, stage, message, proof_point, asset, version";

fn cell(r: CellRow) -> MessageCell {
    MessageCell {
        persona_id: r.persona_id,
        stage: r.stage.max(0) as usize,
        message: Some(r.message),
        proof_point: r.proof_point,
        asset: r.asset,
        version: r.version,
    }
}

impl Store {
    /// The whole stack of a workspace.
    pub async fn stack(&self, ws: WorkspaceId) -> Result<Stack> {
        Ok(Stack {
            layers: self.list_strategy_layers(ws).await?,
            segments: self.list_segments(ws).await?,
            personas: self.list_personas(ws).await?,
            messages: self.list_messages(ws).await?,
            programs: self.list_programs(ws).await?,
        })
    }

    /// The layers someone saved, in stack order.
    pub async fn list_strategy_layers(&self, ws: WorkspaceId) -> Result<Vec<LayerSettings>> {
        let sql = format!("SELECT {LAYER_COLUMNS} FROM strategy_layers WHERE workspace_id = $1");
        let rows =
            read!(self, p => sqlx::query_as::<_, LayerRow>(&sql).bind(ws).fetch_all(p).await)?;
        let mut out: Vec<LayerSettings> = rows.into_iter().filter_map(layer).collect();
        out.sort_by_key(|l| keel_domain::stack::cascade::rank(l.layer));
        Ok(out)
    }

    /// Saves a layer's settings if it is still at `expected` (0: never saved).
    pub async fn save_strategy_layer(
        &self,
        ws: WorkspaceId,
        expected: i64,
        d: &LayerDraft,
    ) -> Result<LayerSettings> {
        let stages = (!d.stages.is_empty()).then(|| d.stages.join("\n"));
        let count = if d.stages.is_empty() {
            keel_domain::stack::layer::DEFAULT_STAGES.len()
        } else {
            d.stages.len()
        } as i64;
        let sql = format!(
            "INSERT INTO strategy_layers (workspace_id, layer, owner_id, cycle, last_reviewed, goals, revenue_goal,
                    revenue_from, revenue_to, go_to_market, stages, version, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12)
             ON CONFLICT (workspace_id, layer) DO UPDATE SET owner_id = excluded.owner_id, cycle = excluded.cycle,
                    last_reviewed = excluded.last_reviewed, goals = excluded.goals, revenue_goal = excluded.revenue_goal,
                    revenue_from = excluded.revenue_from, revenue_to = excluded.revenue_to,
                    go_to_market = excluded.go_to_market, stages = excluded.stages,
                    version = strategy_layers.version + 1, updated_at = excluded.updated_at
             RETURNING {LAYER_COLUMNS}"
        );
        let row = tx!(self, tx => {
            let current: Option<i64> = sqlx::query_scalar(
                "SELECT version FROM strategy_layers WHERE workspace_id = $1 AND layer = $2")
                .bind(ws).bind(d.layer.as_str()).fetch_optional(&mut *tx).await?;
            let current = current.unwrap_or(0);
            if current != expected {
                return Err(StoreError::Stale { current });
            }
            let row = sqlx::query_as::<_, LayerRow>(&sql)
                .bind(ws).bind(d.layer.as_str()).bind(d.owner_id).bind(d.cycle.as_str())
                .bind(d.last_reviewed.map(|x| x.0)).bind(&d.goals).bind(d.revenue_goal)
                .bind(d.revenue_from.map(|x| x.0)).bind(d.revenue_to.map(|x| x.0))
                .bind(&d.go_to_market).bind(&stages).bind(now())
                .fetch_one(&mut *tx).await?;
            if d.layer == Layer::Buyer {
                sqlx::query("DELETE FROM persona_messages WHERE workspace_id = $1 AND stage >= $2")
                    .bind(ws).bind(count).execute(&mut *tx).await?;
            }
            row
        });
        layer(row).ok_or(StoreError::NotFound)
    }

    /// The message map's written cells, by persona and stage.
    pub async fn list_messages(&self, ws: WorkspaceId) -> Result<Vec<MessageCell>> {
        let sql = format!(
            "SELECT {CELL_COLUMNS} FROM persona_messages WHERE workspace_id = $1 ORDER BY persona_id, stage"
        );
        let rows =
            read!(self, p => sqlx::query_as::<_, CellRow>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(cell).collect())
    }

    /// Writes one cell of a persona's row if it is still at `expected` (0: empty so far); an
    /// empty draft empties the cell (`None`).
    pub async fn save_message(
        &self,
        ws: WorkspaceId,
        persona_id: i64,
        expected: i64,
        d: &MessageDraft,
    ) -> Result<Option<MessageCell>> {
        let stage = d.stage as i64;
        let sql = format!(
            "INSERT INTO persona_messages (workspace_id, persona_id, stage, message, proof_point, asset, version, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7)
             ON CONFLICT (workspace_id, persona_id, stage) DO UPDATE SET message = excluded.message,
                    proof_point = excluded.proof_point, asset = excluded.asset,
                    version = persona_messages.version + 1, updated_at = excluded.updated_at
             RETURNING {CELL_COLUMNS}"
        );
        let row = tx!(self, tx => {
            let persona: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM personas WHERE workspace_id = $1 AND id = $2")
                .bind(ws).bind(persona_id).fetch_optional(&mut *tx).await?;
            if persona.is_none() {
                return Err(StoreError::NotFound);
            }
            let current: Option<i64> = sqlx::query_scalar(
                "SELECT version FROM persona_messages WHERE workspace_id = $1 AND persona_id = $2 AND stage = $3")
                .bind(ws).bind(persona_id).bind(stage).fetch_optional(&mut *tx).await?;
            let current = current.unwrap_or(0);
            if current != expected {
                return Err(StoreError::Stale { current });
            }
            match &d.message {
                None => {
                    sqlx::query("DELETE FROM persona_messages WHERE workspace_id = $1 AND persona_id = $2 AND stage = $3")
                        .bind(ws).bind(persona_id).bind(stage).execute(&mut *tx).await?;
                    None
                }
                Some(message) => Some(sqlx::query_as::<_, CellRow>(&sql)
                    .bind(ws).bind(persona_id).bind(stage).bind(message).bind(&d.proof_point)
                    .bind(&d.asset).bind(now()).fetch_one(&mut *tx).await?),
            }
        });
        Ok(row.map(cell))
    }
}
