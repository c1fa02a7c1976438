//! The weekly digest by email: on Monday from 08:00 on each workspace's clock, every member
//! who asked for it gets the week's launches, blocked work and what waits for their approval,
//! read from the model they see (`Reader::view`), so a digest never names a hidden record.
//! Each `keel serve` node looks every `Config::digest_every`; the database row a node claims
//! first (`Store::claim_digest`) makes each digest go out once.

use super::messages::{self, Digest, DigestLine};
use super::Mail;
use crate::{model, AppState};
use keel_domain::access::Reader;
use keel_domain::work::digest::{email_week, for_person};
use keel_domain::work::WorkItem;
use keel_domain::{Date, Zone};
use keel_store::{DigestRecipient, StoreError, WorkspaceId};

/// One digest ready to go.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub workspace: WorkspaceId,
    pub slug: String,
    pub user_id: i64,
    /// The Monday of its week.
    pub week: Date,
    pub mail: Mail,
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub sent: usize,
    /// Claimed by another node (or round) first.
    pub taken: usize,
    pub failed: usize,
}

/// The digests due at `now` that nobody has claimed yet: on Monday from 08:00 in each
/// workspace's zone, or, with `this_week`, the current week's whatever the day (`keel digest
/// send`). A quiet week (nothing to say) sends nothing.
pub async fn due(state: &AppState, now: i64, this_week: bool) -> Result<Vec<Outgoing>, StoreError> {
    let mut out = Vec::new();
    for r in state.store.digest_recipients().await? {
        let zone = Zone::stored(&r.workspace.time_zone);
        let week = if this_week {
            Some(zone.date_of(now).week_start())
        } else {
            email_week(now, &zone)
        };
        let Some(week) = week else { continue };
        if state
            .store
            .digest_claimed(r.workspace.id, r.user_id, week.0)
            .await?
        {
            continue;
        }
        if let Some(mail) = compose(state, &r, week, now).await? {
            out.push(Outgoing {
                workspace: r.workspace.id,
                slug: r.workspace.slug.clone(),
                user_id: r.user_id,
                week,
                mail,
            });
        }
    }
    Ok(out)
}

/// The digest of `r` for `week`, from the model `r` sees; `None` for a quiet week.
async fn compose(
    state: &AppState,
    r: &DigestRecipient,
    week: Date,
    now: i64,
) -> Result<Option<Mail>, StoreError> {
    let ws = &r.workspace;
    // The version is read now: the recipient list may be older than the last change.
    let current = state
        .store
        .find_workspace_by_slug(&ws.slug)
        .await?
        .map_or(ws.data_version, |w| w.data_version);
    let reader = Reader::new(r.role, r.person_id);
    let m = model::load(state, ws.id, current, &reader).await?;
    let zone = Zone::stored(&ws.time_zone);
    let today = zone.date_of(now).max(week);
    let d = for_person(&m.work, &m.workflows, r.person_id, today);
    if d.is_empty() {
        return Ok(None);
    }
    let origin = state.config.public_origin();
    let link = |i: &WorkItem| format!("{origin}/w/{}/work/{}", ws.slug, i.id);
    let line = |i: &&WorkItem, note: String| DigestLine {
        title: i.title.clone(),
        note,
        link: link(i),
    };
    let stage_of = |i: &WorkItem| {
        let wf = m.workflows.iter().find(|w| w.id == i.workflow_id);
        let stage = wf
            .and_then(|w| w.spec.stages.get(i.stage))
            .map(|s| s.name.clone())
            .unwrap_or_default();
        format!(
            "{} · {stage}",
            wf.map(|w| w.spec.name.as_str()).unwrap_or_default()
        )
    };
    let mail = messages::digest(&Digest {
        to_email: r.email.clone(),
        to_name: r.name.clone(),
        workspace_name: ws.name.clone(),
        week: week.long(),
        to_approve: d.to_approve.iter().map(|i| line(i, stage_of(i))).collect(),
        launches: d
            .launches
            .iter()
            .map(|i| match (i.actual_launch, i.planned_launch) {
                (Some(a), _) => line(i, format!("launched {}", a.long())),
                (None, Some(p)) => line(i, format!("planned {}", p.long())),
                (None, None) => line(i, String::new()),
            })
            .collect(),
        blocked: d
            .blocked
            .iter()
            .map(|i| line(i, i.blocked_reason.clone().unwrap_or_default()))
            .collect(),
        home: format!("{origin}/w/{}", ws.slug),
        account: format!("{origin}/account"),
    });
    Ok(Some(mail))
}

/// Claims and sends each digest; a digest another node claimed first is left to it, and one
/// the mail server refused is given back for a later round.
pub async fn send(state: &AppState, outgoing: Vec<Outgoing>) -> Result<Report, StoreError> {
    let mut report = Report::default();
    let Some(mailer) = &state.mailer else {
        return Ok(report);
    };
    for o in outgoing {
        if !state
            .store
            .claim_digest(o.workspace, o.user_id, o.week.0)
            .await?
        {
            report.taken += 1;
            continue;
        }
        let sent = match mailer.send(&o.mail).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(workspace = %o.slug, user = o.user_id, "a weekly digest was not sent (tried again later): {e}");
                false
            }
        };
        state
            .store
            .finish_digest(o.workspace, o.user_id, o.week.0, sent)
            .await?;
        if sent {
            report.sent += 1;
        } else {
            report.failed += 1;
        }
    }
    Ok(report)
}

/// One round: what is due at `now`, sent.
pub async fn send_due(state: &AppState, now: i64) -> Result<Report, StoreError> {
    let outgoing = due(state, now, false).await?;
    send(state, outgoing).await
}

/// Every `Config::digest_every`, a round; runs for as long as the node serves.
pub async fn every(state: AppState) {
    let mut tick = tokio::time::interval(state.config.digest_every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick is immediate; the first round waits one period, so a node starting (or a
    // test starting one) does not race the others at once.
    tick.tick().await;
    loop {
        tick.tick().await;
        match send_due(&state, crate::time_fmt::now()).await {
            Ok(r) if r.sent + r.failed > 0 => {
                tracing::info!(sent = r.sent, failed = r.failed, "weekly digests")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("looking for weekly digests failed (will retry): {e}"),
        }
    }
}
