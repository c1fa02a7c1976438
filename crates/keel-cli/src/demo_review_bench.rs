//! For the agenda benchmark (`bench/agenda.sh`): years of weekly, monthly and quarterly
//! reviews before the demo's own history, about ten decisions each (three years: 204 reviews,
//! about 2,000 decisions), with evidence on the workspace's metrics, workflows, priorities,
//! channels and work, most done, some late, some still open. Each review is closed with
//! ratings and the topics its agenda would have raised. Today's weekly, monthly and quarterly
//! reviews are left open, so their pages generate each agenda.

use anyhow::Result;
use keel_domain::review::{
    Category, DecisionDraft, DecisionKind, DecisionStatus, Evidence, EvidenceKind, Kind,
};
use keel_domain::{Date, Person};
use keel_store::{Closing, Store, WorkspaceId};

/// Decisions per review, on average.
const PER_REVIEW: usize = 10;

pub async fn seed(
    store: &Store,
    ws: WorkspaceId,
    team: &[(&'static str, Person)],
    years: u32,
    today: Date,
) -> Result<usize> {
    let m = store.model(ws).await?;
    let owners: Vec<i64> = team
        .iter()
        .filter(|(_, p)| !p.is_external())
        .map(|(_, p)| p.id)
        .collect();
    // What decisions point at: a spread over every kind of evidence the model holds.
    let mut pool: Vec<Evidence> = Vec::new();
    pool.extend(
        m.metrics
            .iter()
            .map(|x| Evidence::new(EvidenceKind::Metric, x.id)),
    );
    pool.extend(
        m.workflows
            .iter()
            .take(60)
            .map(|x| Evidence::new(EvidenceKind::Workflow, x.id)),
    );
    pool.extend(
        m.priorities
            .iter()
            .map(|x| Evidence::new(EvidenceKind::Priority, x.id)),
    );
    pool.extend(
        m.channels
            .iter()
            .map(|x| Evidence::new(EvidenceKind::Channel, x.id)),
    );
    pool.extend(
        m.work
            .iter()
            .step_by(97)
            .take(200)
            .map(|x| Evidence::new(EvidenceKind::Work, x.id)),
    );
    let taken: Vec<(Kind, Date)> = m.reviews.iter().map(|r| (r.kind, r.date)).collect();
    // The demo's own history covers the last two months; the bench's ends before it.
    let end = today.add_days(-7 * 10);
    let start = today.add_months(-12 * years as i64);
    let mut days: Vec<(Kind, Date)> = Vec::new();
    let mut d = start.week_start();
    while d < end {
        days.push((Kind::Weekly, d));
        d = d.add_days(7);
    }
    let mut d = start.month_start();
    while d < end {
        days.push((Kind::Monthly, d.add_days(1)));
        if d.ymd().1 % 3 == 1 {
            days.push((Kind::Quarterly, d.add_days(3)));
        }
        d = d.add_months(1);
    }
    days.retain(|k| !taken.contains(k));
    days.sort_by_key(|(k, d)| (*d, *k));
    let kinds = DecisionKind::ALL;
    let mut n = 0usize;
    for (i, (kind, day)) in days.iter().enumerate() {
        let attendees: Vec<i64> = owners.iter().take(4).copied().collect();
        let review = store
            .open_review(ws, *kind, *day, owners.first().copied(), &attendees)
            .await?;
        let count = PER_REVIEW - 2 + i % 5;
        for j in 0..count {
            n += 1;
            let kind_of = kinds[(i * 7 + j) % kinds.len()];
            let e1 = pool[(i * 13 + j * 7) % pool.len()];
            let e2 = pool[(i * 5 + j * 11 + 3) % pool.len()];
            let evidence = if e1 == e2 { vec![e1] } else { vec![e1, e2] };
            let due =
                (kind_of != DecisionKind::NoChange).then(|| day.add_days(7 + (j as i64 % 4) * 7));
            let draft = DecisionDraft {
                what: format!("Bench decision {n}: act on what the review found"),
                kind: kind_of,
                category: Some(Category::ALL[(i + j) % Category::ALL.len()]),
                rationale: Some("Seeded for the agenda benchmark.".into()),
                evidence,
                owner_id: owners[(i + j) % owners.len()],
                due,
                status: DecisionStatus::Open,
            };
            let made = store
                .create_decision(ws, Some(review.id), *day, &draft, false)
                .await?;
            // All done but one in ten of the last six months' (a third of them late).
            let open = (i + j) % 10 == 0 && *day >= today.add_months(-6);
            if !open {
                if let Some(due) = due {
                    let late = if j % 3 == 0 { 5 } else { -2 };
                    let done = DecisionDraft {
                        status: DecisionStatus::Done,
                        ..draft
                    };
                    store
                        .update_decision(ws, made.id, made.version, &done, due.add_days(late))
                        .await?;
                }
            }
        }
        let ratings: Vec<(i64, u8)> = attendees
            .iter()
            .enumerate()
            .map(|(j, p)| (*p, (4 + (i + j) % 6) as u8))
            .collect();
        let raised: Vec<Evidence> = (0..3).map(|k| pool[(i * 3 + k) % pool.len()]).collect();
        store
            .close_review(
                ws,
                review.id,
                review.version,
                &Closing {
                    ratings: &ratings,
                    raised: &raised,
                    checked: &[],
                    by_user: None,
                },
            )
            .await?;
    }
    // Today's reviews, open: their pages generate each agenda.
    for kind in Kind::ALL {
        if !store
            .list_reviews(ws)
            .await?
            .iter()
            .any(|r| r.kind == *kind && r.date == today)
        {
            store
                .open_review(ws, *kind, today, owners.first().copied(), &owners)
                .await?;
        }
    }
    Ok(n)
}
