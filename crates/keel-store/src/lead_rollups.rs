//! Lead-quality rollups: counts per month × source × offer × campaign × channel, and reasons
//! and objections per month × source × offer. Every change to leads subtracts the old rows'
//! contribution and adds the new one in the same transaction (set-based SQL, one statement
//! per table), so the lead-quality page reads a few hundred rollup rows instead of the leads.

use crate::WorkspaceId;
use crate::{read, Result, Store};
use keel_domain::lead::completeness::Filled;
use keel_domain::lead::quality::Counts;

/// The leads a rollup change is about: one lead by id ($1 workspace, $2 lead id).
pub(crate) const ROLLUP_BY_ID: &str = "FROM leads l WHERE l.workspace_id = $1 AND l.id = $2";
/// The leads matching the rows of a staged import whose lead was stored before ($1
/// workspace, $2 import id); the new ones are counted while staging (`lead_tally`).
pub(crate) const ROLLUP_BY_STAGING: &str =
    "FROM leads l JOIN lead_staging s ON s.source_system = l.source_system \
    AND s.external_id = l.external_id WHERE s.import_id = $2 AND s.existed = 1 AND l.workspace_id = $1";

const KEY: &str =
    "l.workspace_id, l.created_month, COALESCE(l.source, ''), COALESCE(l.offer, ''), \
    COALESCE(l.campaign, ''), COALESCE(l.channel, '')";

/// The start of an INSERT into `lead_rollups`: its key, then the sums (`lead_tally::Tally`
/// counts them in this order).
pub(crate) const ROLLUP_INSERT: &str = "INSERT INTO lead_rollups (workspace_id, month, source, offer, campaign, channel,
    leads, accepted, rejected, pipeline_cents, won_cents, with_source, with_campaign, with_offer, with_channel,
    with_stage, with_owner, with_status, rejected_with_reason)";
/// An existing rollup row gains the inserted sums.
pub(crate) const ROLLUP_MERGE: &str = "ON CONFLICT (workspace_id, month, source, offer, campaign, channel) DO UPDATE SET
    leads = lead_rollups.leads + excluded.leads, accepted = lead_rollups.accepted + excluded.accepted,
    rejected = lead_rollups.rejected + excluded.rejected,
    pipeline_cents = lead_rollups.pipeline_cents + excluded.pipeline_cents,
    won_cents = lead_rollups.won_cents + excluded.won_cents,
    with_source = lead_rollups.with_source + excluded.with_source,
    with_campaign = lead_rollups.with_campaign + excluded.with_campaign,
    with_offer = lead_rollups.with_offer + excluded.with_offer,
    with_channel = lead_rollups.with_channel + excluded.with_channel,
    with_stage = lead_rollups.with_stage + excluded.with_stage,
    with_owner = lead_rollups.with_owner + excluded.with_owner,
    with_status = lead_rollups.with_status + excluded.with_status,
    rejected_with_reason = lead_rollups.rejected_with_reason + excluded.rejected_with_reason";
pub(crate) const REASON_INSERT: &str =
    "INSERT INTO lead_reasons (workspace_id, month, source, offer, kind, value, leads)";
pub(crate) const REASON_MERGE: &str =
    "ON CONFLICT (workspace_id, month, source, offer, kind, value) DO UPDATE SET
    leads = lead_reasons.leads + excluded.leads";

/// The three statements that add (`$3` = 1) or subtract (`$3` = -1) the contribution of the
/// leads selected by `from` to the rollups.
pub(crate) fn apply_sql(from: &str) -> [String; 3] {
    let counts = format!(
        "{ROLLUP_INSERT}
         SELECT {KEY}, $3 * COUNT(*),
            $3 * SUM(CASE WHEN l.qualification = 'accepted' THEN 1 ELSE 0 END),
            $3 * SUM(CASE WHEN l.qualification = 'rejected' THEN 1 ELSE 0 END),
            $3 * COALESCE(SUM(l.pipeline_cents), 0), $3 * COALESCE(SUM(l.won_cents), 0),
            $3 * COUNT(l.source), $3 * COUNT(l.campaign), $3 * COUNT(l.offer), $3 * COUNT(l.channel),
            $3 * COUNT(l.lifecycle_stage), $3 * COUNT(l.owner),
            $3 * SUM(CASE WHEN l.qualification <> 'pending' OR l.lead_status IS NOT NULL THEN 1 ELSE 0 END),
            $3 * SUM(CASE WHEN l.qualification = 'rejected' AND l.disqualification_reason IS NOT NULL THEN 1 ELSE 0 END)
         {from} GROUP BY {KEY}
         {ROLLUP_MERGE}"
    );
    let reasons = |kind: &str, column: &str, cond: &str| {
        format!(
            "{REASON_INSERT}
             SELECT l.workspace_id, l.created_month, COALESCE(l.source, ''), COALESCE(l.offer, ''), '{kind}', l.{column}, $3 * COUNT(*)
             {from} AND l.{column} IS NOT NULL {cond}
             GROUP BY l.workspace_id, l.created_month, COALESCE(l.source, ''), COALESCE(l.offer, ''), l.{column}
             {REASON_MERGE}"
        )
    };
    [
        counts,
        reasons(
            "reason",
            "disqualification_reason",
            "AND l.qualification = 'rejected'",
        ),
        reasons("objection", "objection", ""),
    ]
}

/// Which grouping of lead quality to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualityBy {
    SourceOffer,
    Campaign,
    Channel,
    Month,
    /// Channel in `a`, month (`yyyymm`) in `b`.
    ChannelMonth,
    /// Source in `a`, month (`yyyymm`) in `b`.
    SourceMonth,
}

/// The months to read, inclusive (`yyyymm`); `None` reads all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Months {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct QualityRow {
    a: String,
    b: String,
    leads: i64,
    accepted: i64,
    rejected: i64,
    pipeline_cents: i64,
    won_cents: i64,
}

/// The sums a `Filled` is made of, in its order.
const FILLED: &str = "CAST(COALESCE(SUM(leads), 0) AS BIGINT), CAST(COALESCE(SUM(rejected), 0) AS BIGINT),
    CAST(COALESCE(SUM(with_source), 0) AS BIGINT), CAST(COALESCE(SUM(with_campaign), 0) AS BIGINT),
    CAST(COALESCE(SUM(with_offer), 0) AS BIGINT), CAST(COALESCE(SUM(with_channel), 0) AS BIGINT),
    CAST(COALESCE(SUM(with_stage), 0) AS BIGINT), CAST(COALESCE(SUM(with_owner), 0) AS BIGINT),
    CAST(COALESCE(SUM(with_status), 0) AS BIGINT), CAST(COALESCE(SUM(rejected_with_reason), 0) AS BIGINT)";

type FilledRow = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);
/// A month (yyyymm) and its `FilledRow`.
type MonthRow = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

fn filled(r: FilledRow) -> Filled {
    Filled {
        leads: r.0,
        rejected: r.1,
        source: r.2,
        campaign: r.3,
        offer: r.4,
        channel: r.5,
        lifecycle_stage: r.6,
        owner: r.7,
        qualification: r.8,
        reason: r.9,
    }
}

const RANGE: &str =
    "workspace_id = $1 AND ($2 IS NULL OR month >= $2) AND ($3 IS NULL OR month <= $3)";

/// One group of lead quality: its key (source and offer, or one name in `a`) and counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualityGroup {
    pub a: String,
    pub b: String,
    pub counts: Counts,
}

impl Store {
    /// Lead quality grouped by `by`, largest groups first.
    pub async fn lead_quality(
        &self,
        ws: WorkspaceId,
        by: QualityBy,
        m: Months,
    ) -> Result<Vec<QualityGroup>> {
        let (a, b) = match by {
            QualityBy::SourceOffer => ("source", "offer"),
            QualityBy::Campaign => ("campaign", "''"),
            QualityBy::Channel => ("channel", "''"),
            QualityBy::Month => ("CAST(month AS TEXT)", "''"),
            QualityBy::ChannelMonth => ("channel", "CAST(month AS TEXT)"),
            QualityBy::SourceMonth => ("source", "CAST(month AS TEXT)"),
        };
        let group = if b == "''" {
            a.to_string()
        } else {
            format!("{a}, {b}")
        };
        // Sums are cast back to integers: PostgreSQL sums BIGINT into NUMERIC.
        let sql = format!(
            "SELECT {a} AS a, {b} AS b, CAST(SUM(leads) AS BIGINT) AS leads, CAST(SUM(accepted) AS BIGINT) AS accepted,
                CAST(SUM(rejected) AS BIGINT) AS rejected, CAST(SUM(pipeline_cents) AS BIGINT) AS pipeline_cents,
                CAST(SUM(won_cents) AS BIGINT) AS won_cents
             FROM lead_rollups WHERE {RANGE} GROUP BY {group} HAVING SUM(leads) > 0
             ORDER BY leads DESC, a, b"
        );
        let rows = read!(self, p => sqlx::query_as::<_, QualityRow>(&sql).bind(ws).bind(m.from).bind(m.to).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| QualityGroup {
                a: r.a,
                b: r.b,
                counts: Counts {
                    leads: r.leads,
                    accepted: r.accepted,
                    rejected: r.rejected,
                    pipeline_cents: r.pipeline_cents,
                    won_cents: r.won_cents,
                },
            })
            .collect())
    }

    /// Rejection reasons (`kind` "reason") or objections ("objection"), most frequent first.
    pub async fn lead_reasons(
        &self,
        ws: WorkspaceId,
        kind: &str,
        m: Months,
    ) -> Result<Vec<(String, i64)>> {
        let sql = format!(
            "SELECT value, CAST(SUM(leads) AS BIGINT) AS n FROM lead_reasons WHERE {RANGE} AND kind = $4
             GROUP BY value HAVING SUM(leads) > 0 ORDER BY n DESC, value"
        );
        Ok(
            read!(self, p => sqlx::query_as(&sql).bind(ws).bind(m.from).bind(m.to).bind(kind).fetch_all(p).await)?,
        )
    }

    /// How many leads have each discipline field set.
    pub async fn lead_completeness(&self, ws: WorkspaceId, m: Months) -> Result<Filled> {
        let sql = format!("SELECT {FILLED} FROM lead_rollups WHERE {RANGE}");
        let r: FilledRow = read!(self, p => sqlx::query_as(&sql).bind(ws).bind(m.from).bind(m.to).fetch_one(p).await)?;
        Ok(filled(r))
    }

    /// Completeness month by month (yyyymm, oldest first), for the months asked.
    pub async fn lead_completeness_by_month(
        &self,
        ws: WorkspaceId,
        m: Months,
    ) -> Result<Vec<(i64, Filled)>> {
        let sql = format!(
            "SELECT month, {FILLED} FROM lead_rollups WHERE {RANGE} GROUP BY month ORDER BY month"
        );
        let rows: Vec<MonthRow> = read!(self, p => sqlx::query_as(&sql).bind(ws).bind(m.from).bind(m.to).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    r.0,
                    filled((r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10)),
                )
            })
            .collect())
    }
}
