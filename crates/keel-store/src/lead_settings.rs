//! The workspace's lead-quality thresholds (`keel_domain::lead::settings`), one versioned row;
//! no row means keel's defaults.

use crate::{read, tx, Result, Store, StoreError, WorkspaceId};
use keel_domain::lead::settings::{LeadSettings, LeadSettingsDraft};

impl Store {
    pub async fn lead_settings(&self, ws: WorkspaceId) -> Result<LeadSettings> {
        let row: Option<(f64, f64, i64, String, i64)> = read!(self, p => sqlx::query_as(
            "SELECT poor_fit_below, completeness_bar, pending_days, sales_sources, version FROM lead_settings WHERE workspace_id = $1")
            .bind(ws).fetch_optional(p).await)?;
        Ok(match row {
            Some((poor_fit_below, completeness_bar, pending_days, sources, version)) => {
                LeadSettings {
                    poor_fit_below,
                    completeness_bar,
                    pending_days,
                    sales_sources: sources
                        .lines()
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                    version,
                }
            }
            None => LeadSettings::default(),
        })
    }

    /// Sets the thresholds if they are still at `expected` (0: never set).
    pub async fn set_lead_settings(
        &self,
        ws: WorkspaceId,
        expected: i64,
        d: &LeadSettingsDraft,
    ) -> Result<LeadSettings> {
        let version = tx!(self, tx => {
            let current: Option<i64> = sqlx::query_scalar(
                "SELECT version FROM lead_settings WHERE workspace_id = $1")
                .bind(ws).fetch_optional(&mut *tx).await?;
            let current = current.unwrap_or(0);
            if current != expected {
                return Err(StoreError::Stale { current });
            }
            let v: i64 = sqlx::query_scalar(
                "INSERT INTO lead_settings (workspace_id, poor_fit_below, completeness_bar, pending_days, sales_sources, version)
                 VALUES ($1, $2, $3, $4, $5, 1)
                 ON CONFLICT (workspace_id) DO UPDATE SET poor_fit_below = excluded.poor_fit_below,
                    completeness_bar = excluded.completeness_bar, pending_days = excluded.pending_days,
                    sales_sources = excluded.sales_sources, version = lead_settings.version + 1
                 RETURNING version")
                .bind(ws).bind(d.poor_fit_below).bind(d.completeness_bar).bind(d.pending_days)
                .bind(d.sales_sources.join("\n"))
                .fetch_one(&mut *tx).await?;
            v
        });
        Ok(LeadSettings {
            poor_fit_below: d.poor_fit_below,
            completeness_bar: d.completeness_bar,
            pending_days: d.pending_days,
            sales_sources: d.sales_sources.clone(),
            version,
        })
    }
}
