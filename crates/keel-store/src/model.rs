//! One workspace's whole operating model, as the health rules read it.

use crate::work::WorkFilter;
use crate::{now, Result, Store};
use keel_domain::health::Model;

/// Work created this recently counts as a workflow's recent cycles.
const RECENT_SECS: i64 = 60 * 86_400;

impl Store {
    /// Everything the domain's rules need about one workspace, judged as of now: open work
    /// and work created in the last 60 days (not the whole archive).
    pub async fn model(&self, ws: i64) -> Result<Model> {
        let t = now();
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
        Ok(Model {
            people: self.list_people(ws).await?,
            functions: self.list_functions(ws).await?,
            workflows: self.list_workflows(ws).await?,
            work,
            objectives: self.list_objectives(ws).await?,
            priorities: self.list_priorities(ws).await?,
            channels: self.list_channels(ws).await?,
            channel_focus_limit: self.channel_focus_limit(ws).await?.limit,
            now: t,
        })
    }
}
