//! Metrics of a workspace and their measurements (migration 0018).

use crate::WorkspaceId;
use crate::{now, read, tx, write, Result, Store, StoreError};
use keel_domain::metric::{
    Cadence, Computed, Direction, Family, Kind, Measurement, MeasurementDraft, Metric, MetricDraft,
    MetricType, Signal,
};
use keel_domain::objective::Layer;
use keel_domain::Date;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    definition: Option<String>,
    owner_id: Option<i64>,
    source: Option<String>,
    unit: Option<String>,
    cadence: String,
    direction: String,
    target: Option<f64>,
    metric_type: String,
    kind: String,
    function_id: Option<i64>,
    objective_id: Option<i64>,
    channel_id: Option<i64>,
    workflow_id: Option<i64>,
    definition_changed_at: Option<i64>,
    computed: Option<String>,
    family: Option<String>,
    signal: Option<String>,
    layer: Option<String>,
    version: i64,
}

const COLUMNS: &str =
    "id, name, definition, owner_id, source, unit, cadence, direction, target, metric_type, kind,
    function_id, objective_id, channel_id, workflow_id, definition_changed_at, computed, family,
    signal, layer, version";

/// A stored choice; one this keel does not know (written by a newer one) reads as not set.
fn known<T>(
    v: Option<String>,
    parse: impl Fn(&str) -> std::result::Result<T, String>,
) -> Option<T> {
    v.and_then(|v| parse(&v).ok())
}

fn metric(r: Row) -> Metric {
    Metric {
        id: r.id,
        name: r.name,
        definition: r.definition,
        owner_id: r.owner_id,
        source: r.source,
        unit: r.unit,
        cadence: Cadence::parse(&r.cadence).unwrap_or(Cadence::Monthly),
        direction: Direction::parse(&r.direction).unwrap_or(Direction::Higher),
        target: r.target,
        metric_type: MetricType::parse(&r.metric_type).unwrap_or(MetricType::Outcome),
        kind: Kind::parse(&r.kind).unwrap_or(Kind::Contribution),
        function_id: r.function_id,
        objective_id: r.objective_id,
        channel_id: r.channel_id,
        workflow_id: r.workflow_id,
        definition_changed_at: r.definition_changed_at,
        computed: known(r.computed, Computed::parse),
        family: known(r.family, Family::parse),
        signal: known(r.signal, Signal::parse),
        layer: known(r.layer, Layer::parse),
        version: r.version,
    }
}

#[derive(sqlx::FromRow)]
struct ValueRow {
    id: i64,
    metric_id: i64,
    period: i64,
    value: f64,
    note: Option<String>,
    version: i64,
}

const VALUE_COLUMNS: &str = "id, metric_id, period, value, note, version";

fn measurement(r: ValueRow) -> Measurement {
    Measurement {
        id: r.id,
        metric_id: r.metric_id,
        period: Date(r.period),
        value: r.value,
        note: r.note,
        version: r.version,
    }
}

fn taken(e: sqlx::Error) -> StoreError {
    let objective = e.as_database_error().is_some_and(|d| {
        d.message().contains("objective") || d.constraint() == Some("metrics_objective")
    });
    StoreError::unique(
        e,
        if objective {
            "This objective already has its KPI metric; an objective is steered by one."
        } else {
            "A metric with this name already exists in this workspace."
        },
    )
}

impl Store {
    /// Metrics by name.
    pub async fn list_metrics(&self, ws: WorkspaceId) -> Result<Vec<Metric>> {
        let sql =
            format!("SELECT {COLUMNS} FROM metrics WHERE workspace_id = $1 ORDER BY name, id");
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(metric).collect())
    }

    pub async fn find_metric(&self, ws: WorkspaceId, id: i64) -> Result<Option<Metric>> {
        let sql = format!("SELECT {COLUMNS} FROM metrics WHERE workspace_id = $1 AND id = $2");
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(metric))
    }

    pub async fn create_metric(&self, ws: WorkspaceId, d: &MetricDraft) -> Result<Metric> {
        let sql = format!(
            "INSERT INTO metrics (workspace_id, name, definition, owner_id, source, unit, cadence, direction, target,
                metric_type, kind, function_id, objective_id, channel_id, workflow_id, created_at, updated_at,
                computed, family, signal, layer)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18, $19, $20)
             RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(&d.name).bind(&d.definition).bind(d.owner_id).bind(&d.source).bind(&d.unit)
            .bind(d.cadence.as_str()).bind(d.direction.as_str()).bind(d.target)
            .bind(d.metric_type.as_str()).bind(d.kind.as_str())
            .bind(d.function_id).bind(d.objective_id).bind(d.channel_id).bind(d.workflow_id)
            .bind(now()).bind(d.computed.map(|x| x.as_str())).bind(d.family.map(|x| x.as_str()))
            .bind(d.signal.map(|x| x.as_str())).bind(d.layer.map(|x| x.as_str()))
            .fetch_one(p).await)
        .map_err(taken)?;
        Ok(metric(row))
    }

    pub async fn update_metric(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &MetricDraft,
    ) -> Result<Metric> {
        let sql = format!(
            "UPDATE metrics SET name = $3, definition = $4, owner_id = $5, source = $6, unit = $7, cadence = $8,
                    direction = $9, target = $10, metric_type = $11, kind = $12, function_id = $13,
                    objective_id = $14, channel_id = $15, workflow_id = $16, updated_at = $17, version = version + 1,
                    computed = $19, family = $20, signal = $21, layer = $22,
                    definition_changed_at = CASE
                        WHEN definition IS DISTINCT FROM $4 OR source IS DISTINCT FROM $6 OR unit IS DISTINCT FROM $7
                        THEN $17 ELSE definition_changed_at END
             WHERE workspace_id = $1 AND id = $2 AND version = $18 RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(id).bind(&d.name).bind(&d.definition).bind(d.owner_id).bind(&d.source).bind(&d.unit)
            .bind(d.cadence.as_str()).bind(d.direction.as_str()).bind(d.target)
            .bind(d.metric_type.as_str()).bind(d.kind.as_str())
            .bind(d.function_id).bind(d.objective_id).bind(d.channel_id).bind(d.workflow_id)
            .bind(now()).bind(expected).bind(d.computed.map(|x| x.as_str())).bind(d.family.map(|x| x.as_str()))
            .bind(d.signal.map(|x| x.as_str())).bind(d.layer.map(|x| x.as_str()))
            .fetch_optional(p).await)
        .map_err(taken)?;
        match row {
            Some(r) => Ok(metric(r)),
            None => Err(self.missing_or_stale("metrics", ws, id).await),
        }
    }

    /// Removes a metric and its measurements.
    pub async fn delete_metric(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM metrics WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("metrics", ws, id).await);
        }
        Ok(())
    }

    /// Every measurement of the workspace, by metric then period (the order
    /// `metric::measurements_of` relies on).
    pub async fn list_measurements(&self, ws: WorkspaceId) -> Result<Vec<Measurement>> {
        let sql = format!(
            "SELECT {VALUE_COLUMNS} FROM measurements WHERE workspace_id = $1 ORDER BY metric_id, period"
        );
        let rows =
            read!(self, p => sqlx::query_as::<_, ValueRow>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(measurement).collect())
    }

    /// One metric's measurements, oldest first.
    pub async fn measurements_of(
        &self,
        ws: WorkspaceId,
        metric_id: i64,
    ) -> Result<Vec<Measurement>> {
        let sql = format!(
            "SELECT {VALUE_COLUMNS} FROM measurements WHERE workspace_id = $1 AND metric_id = $2 ORDER BY period"
        );
        let rows = read!(self, p => sqlx::query_as::<_, ValueRow>(&sql).bind(ws).bind(metric_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(measurement).collect())
    }

    /// Stores values per (metric, period) in one transaction: a new period is added, a
    /// known one replaced, and one sent again unchanged is left alone (its version does not
    /// move), so a script may send the same values any number of times. Answers the stored
    /// rows of these periods. `NotFound` when the metric is not in this workspace.
    pub async fn put_measurements(
        &self,
        ws: WorkspaceId,
        metric_id: i64,
        values: &[MeasurementDraft],
    ) -> Result<Vec<Measurement>> {
        let t = now();
        let sql = format!(
            "SELECT {VALUE_COLUMNS} FROM measurements WHERE workspace_id = $1 AND metric_id = $2 AND period = $3"
        );
        let out = tx!(self, tx => {
            let known: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM metrics WHERE workspace_id = $1 AND id = $2")
                .bind(ws).bind(metric_id).fetch_optional(&mut *tx).await?;
            if known.is_none() {
                return Err(StoreError::NotFound);
            }
            let mut out = Vec::with_capacity(values.len());
            for v in values {
                sqlx::query(
                    "INSERT INTO measurements (workspace_id, metric_id, period, value, note, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $6)
                     ON CONFLICT (workspace_id, metric_id, period) DO UPDATE
                        SET value = excluded.value, note = excluded.note, updated_at = excluded.updated_at,
                            version = measurements.version + 1
                        WHERE measurements.value <> excluded.value
                           OR measurements.note IS DISTINCT FROM excluded.note")
                    .bind(ws).bind(metric_id).bind(v.period.0).bind(v.value).bind(&v.note).bind(t)
                    .execute(&mut *tx).await?;
                let row = sqlx::query_as::<_, ValueRow>(&sql)
                    .bind(ws).bind(metric_id).bind(v.period.0)
                    .fetch_one(&mut *tx).await?;
                out.push(measurement(row));
            }
            out
        });
        Ok(out)
    }

    pub async fn delete_measurement(
        &self,
        ws: WorkspaceId,
        metric_id: i64,
        id: i64,
        expected: i64,
    ) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM measurements WHERE workspace_id = $1 AND metric_id = $2 AND id = $3 AND version = $4")
            .bind(ws).bind(metric_id).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            let current: Option<i64> = read!(self, p => sqlx::query_scalar(
                "SELECT version FROM measurements WHERE workspace_id = $1 AND metric_id = $2 AND id = $3")
                .bind(ws).bind(metric_id).bind(id).fetch_optional(p).await)?;
            return Err(match current {
                Some(current) => StoreError::Stale { current },
                None => StoreError::NotFound,
            });
        }
        Ok(())
    }
}
