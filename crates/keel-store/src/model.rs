//! One workspace's whole operating model, as the health rules read it.

use crate::work::WorkFilter;
use crate::WorkspaceId;
use crate::{now, Result, Store};
use keel_domain::health::lead_rules::{LeadFacts, LeadMonth};
use keel_domain::health::review_rules::RECURRING_BLOCK_DAYS;
use keel_domain::health::Model;
use keel_domain::lead::month_of;
use keel_domain::metric::computed;
use keel_domain::Zone;

/// Lead rules judge the last three months.
const LEAD_DAYS: i64 = 90;

/// Work created this recently counts as a workflow's recent cycles.
const RECENT_SECS: i64 = 60 * 86_400;

impl Store {
    /// Everything the domain's rules need about one workspace, judged as of now: open work,
    /// launched work (on the board until done) and work created in the last 60 days (not the
    /// whole archive).
    pub async fn model(&self, ws: WorkspaceId) -> Result<Model> {
        let t = now();
        let zone = self.zone_of(ws).await?;
        let fit_limit = self.untraced_limit(ws).await?;
        let mut work = self
            .list_work(
                ws,
                &WorkFilter {
                    open_only: true,
                    ..Default::default()
                },
            )
            .await?;
        let recent: Vec<_> = self.recent_work(ws, t - RECENT_SECS).await?;
        work.extend(recent.into_iter().filter(|w| !w.status.is_open()));
        // Launched work stays on the board until it is marked done, however old.
        let launched = self
            .list_work(
                ws,
                &WorkFilter {
                    status: Some(keel_domain::work::WorkStatus::Launched),
                    ..Default::default()
                },
            )
            .await?;
        let held: std::collections::HashSet<i64> = work.iter().map(|w| w.id).collect();
        work.extend(launched.into_iter().filter(|w| !held.contains(&w.id)));
        let mut model = Model {
            people: self.list_people(ws).await?,
            functions: self.list_functions(ws).await?,
            workflows: self.list_workflows(ws).await?,
            work,
            deps: self.list_deps(ws).await?,
            sop_versions: self.sop_versions(ws).await?,
            blocks: self
                .blocks_since(ws, t - RECURRING_BLOCK_DAYS * 86_400)
                .await?,
            objectives: self.list_objectives(ws).await?,
            priorities: self.list_priorities(ws).await?,
            channels: self.list_channels(ws).await?,
            channel_focus_limit: self.channel_focus_limit(ws).await?.limit,
            metrics: self.list_metrics(ws).await?,
            measurements: self.list_measurements(ws).await?,
            offers: self.list_offers(ws).await?,
            commitments: self.list_commitments(ws).await?,
            stack: self.stack(ws).await?,
            now: t,
            leads: self.lead_facts(ws, t, &zone).await?,
            zone,
            review_cadences: self.list_review_cadences(ws).await?,
            reviews: self.list_reviews(ws).await?,
            decisions: self.list_decisions(ws).await?,
            work_links: self.list_work_links(ws).await?,
            untraced_limit: fit_limit.limit,
            untraced_limit_version: fit_limit.version,
            work_positions: Default::default(),
            loads_memo: Default::default(),
            findings_memo: Default::default(),
        };
        // keel's own metrics are computed here, once per model (the web caches the model per
        // data version), so every page, rule and agenda reads the same values. Work-based
        // ones count a year of work, more than the model keeps.
        let history = if computed::needs_work(&model) {
            self.work_since(ws, t - computed::HISTORY_DAYS * 86_400)
                .await?
        } else {
            vec![]
        };
        computed::fill(&mut model, &history);
        Ok(model)
    }

    /// What the lead rules read: recent rollups, spend and the feedback queue's tail.
    /// The leads of the months keel computes lead metrics over (`metric::computed`), by
    /// source and with their completeness, from the rollups.
    async fn lead_months(
        &self,
        ws: WorkspaceId,
        today: keel_domain::Date,
    ) -> Result<Vec<LeadMonth>> {
        let range = crate::Months {
            from: Some(month_of(
                today.add_days(-keel_domain::metric::computed::HISTORY_DAYS - 92),
            )),
            to: None,
        };
        let mut months: Vec<LeadMonth> = self
            .lead_completeness_by_month(ws, range)
            .await?
            .into_iter()
            .map(|(month, filled)| LeadMonth {
                month,
                by_source: Vec::new(),
                filled,
            })
            .collect();
        for g in self
            .lead_quality(ws, crate::QualityBy::SourceMonth, range)
            .await?
        {
            let Ok(month) = g.b.parse::<i64>() else {
                continue;
            };
            if let Some(m) = months.iter_mut().find(|m| m.month == month) {
                m.by_source.push((g.a, g.counts));
            }
        }
        Ok(months)
    }

    pub async fn lead_facts(&self, ws: WorkspaceId, now: i64, zone: &Zone) -> Result<LeadFacts> {
        let today = zone.date_of(now);
        let months = crate::Months {
            from: Some(month_of(today.add_days(-LEAD_DAYS))),
            to: None,
        };
        let pairs = self
            .lead_quality(ws, crate::QualityBy::SourceOffer, months)
            .await?
            .into_iter()
            .map(|g| (g.a, g.b, g.counts))
            .collect();
        let leads_by = self
            .lead_quality(ws, crate::QualityBy::ChannelMonth, months)
            .await?;
        let mut channel_months: Vec<(String, i64, i64, i64)> = Vec::new();
        // A month still running may not have its leads yet: judge whole months only.
        let current = month_of(today);
        for s in self
            .list_spend(ws, months)
            .await?
            .into_iter()
            .filter(|s| !s.channel.is_empty() && s.month < current)
        {
            let leads = leads_by
                .iter()
                .filter(|g| g.a == s.channel && g.b == s.month.to_string())
                .map(|g| g.counts.leads)
                .sum();
            match channel_months
                .iter_mut()
                .find(|c| c.0 == s.channel && c.1 == s.month)
            {
                Some(c) => c.2 += s.amount_cents,
                None => channel_months.push((s.channel, s.month, s.amount_cents, leads)),
            }
        }
        let settings = self.lead_settings(ws).await?;
        let (pending_too_long, oldest_pending) = self
            .pending_since(ws, today.add_days(-settings.pending_days))
            .await?;
        Ok(LeadFacts {
            filled: self.lead_completeness(ws, months).await?,
            pairs,
            channel_months,
            pending_too_long,
            oldest_pending,
            settings,
            months: self.lead_months(ws, today).await?,
        })
    }
}
