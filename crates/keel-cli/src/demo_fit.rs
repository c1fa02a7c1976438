//! The demo's strategic fit: most of its work names the priority or objective it serves, the
//! channel it runs in and the offer it carries; a guide, a newsletter feature and a LinkedIn
//! test (a channel and an offer, but no objective) stay untraced, so the Strategy page lists
//! them and the health check counts them.

use anyhow::{anyhow, Result};
use keel_domain::fit::WorkLinkDraft;
use keel_store::{Store, WorkspaceId};

/// (work title, priority, objective, channel, offer); names as the other demo files write them.
type Link = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

const LINKS: &[Link] = &[
    (
        "Q4 webinar: forecasting without spreadsheets",
        Some("Account-based pilot for 40 mid-market accounts"),
        None,
        Some("Webinars"),
        Some("Monthly live product webinar"),
    ),
    (
        "Spring pipeline webinar: CFO panel",
        Some("Account-based pilot for 40 mid-market accounts"),
        None,
        Some("Webinars"),
        Some("Monthly live product webinar"),
    ),
    (
        "Customer story: Halvorsen Logistics",
        Some("Case studies for the manufacturing segment"),
        None,
        None,
        None,
    ),
    (
        "Retail analytics guide: paid social push",
        None,
        Some("Double sales-accepted leads from mid-market manufacturing accounts"),
        Some("LinkedIn ads"),
        Some("Buyer's guide to predictive maintenance"),
    ),
    (
        "Comparison page: Northwind vs. spreadsheets",
        None,
        Some("Double sales-accepted leads from mid-market manufacturing accounts"),
        Some("Paid search"),
        Some("Product demo"),
    ),
    (
        "LinkedIn test: CFO audience, demo offer",
        None,
        None,
        Some("LinkedIn ads"),
        Some("Product demo"),
    ),
];

pub async fn seed(store: &Store, ws: WorkspaceId) -> Result<()> {
    let m = store.model(ws).await?;
    for (title, priority, objective, channel, offer) in LINKS {
        let Some(w) = m.work.iter().find(|w| w.title == *title) else {
            return Err(anyhow!("the demo has no work item \"{title}\""));
        };
        let find =
            |name: &Option<&str>, all: Vec<(i64, &str)>, what: &str| -> Result<Option<i64>> {
                match name {
                    None => Ok(None),
                    Some(n) => all
                        .iter()
                        .find(|(_, x)| x == n)
                        .map(|(id, _)| Some(*id))
                        .ok_or_else(|| anyhow!("the demo has no {what} \"{n}\"")),
                }
            };
        let priority = find(
            priority,
            m.priorities
                .iter()
                .map(|p| (p.id, p.title.as_str()))
                .collect(),
            "priority",
        )?;
        let objective_id = match priority.and_then(|id| m.priorities.iter().find(|p| p.id == id)) {
            Some(p) => p.objective_id,
            None => find(
                objective,
                m.objectives
                    .iter()
                    .map(|o| (o.id, o.outcome.as_str()))
                    .collect(),
                "objective",
            )?,
        };
        let d = WorkLinkDraft {
            objective_id,
            priority_id: priority,
            channel_id: find(
                channel,
                m.channels.iter().map(|c| (c.id, c.name.as_str())).collect(),
                "channel",
            )?,
            offer_id: find(
                offer,
                m.offers.iter().map(|o| (o.id, o.name.as_str())).collect(),
                "offer",
            )?,
        };
        store.set_work_links(ws, w.id, 0, &d).await?;
    }
    Ok(())
}
