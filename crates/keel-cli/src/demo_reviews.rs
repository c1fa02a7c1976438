//! The demo's review history: three cadences (a weekly on Monday morning, a monthly on the
//! first Tuesday, a quarterly on the first Thursday), the last six weeklies, two monthlies
//! and a quarterly, closed with ratings and the topics their agenda raised, and the decisions
//! they ended in: most done on time, one done late, one open past due, two still running. A
//! confirmed "stop" retired the printed newsletter's SOP, and one decision was taken between
//! reviews, from the decision log.

use anyhow::{anyhow, Result};
use keel_domain::review::{
    agenda, CadenceDraft, Category, DecisionDraft, DecisionKind as K, DecisionStatus, Evidence,
    EvidenceKind, Kind,
};
use keel_domain::{Date, Person};
use keel_store::{Closing, Store};

/// Notes taken in the demo's reviews, in turn.
const NOTES: [&str; 4] = [
    "Walked through it together; the owner will bring numbers to the next review.",
    "Agreed the cause is capacity, not the channel. Revisit once the new writer starts.",
    "Nothing to change yet: the trend is too short to judge. Keep watching.",
    "Sales confirmed the pattern from their side; the decision below follows from that.",
];

fn id(team: &[(&'static str, Person)], key: &str) -> Result<i64> {
    team.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, p)| p.id)
        .ok_or_else(|| anyhow!("the demo team has no {key}"))
}

/// One decision of the history: what, kind, cause, why, owner key, days from the review to
/// its due date, and how it went (`Some(days)`: done that many days after the review).
struct Past {
    what: &'static str,
    kind: K,
    category: Option<Category>,
    why: &'static str,
    owner: &'static str,
    due_in: Option<i64>,
    done_after: Option<i64>,
    /// Evidence: the first metric, workflow, channel or priority whose name starts so.
    evidence: &'static [(EvidenceKind, &'static str)],
}

/// (weeks ago, the decisions of that weekly review).
const WEEKLIES: &[(i64, &[Past])] = &[
    (6, &[Past { what: "Add a tracking check to the launch gate of every campaign", kind: K::Fix, category: Some(Category::Process), why: "Two launches went live without UTM tags; their leads arrived without a source.", owner: "lead", due_in: Some(7), done_after: Some(5), evidence: &[(EvidenceKind::Workflow, "Campaign")] }]),
    (5, &[Past { what: "Hand the weekly report preparation to the operations contractor", kind: K::Delegate, category: Some(Category::Capacity), why: "The report takes four hours of the head of marketing every Friday.", owner: "lead", due_in: Some(14), done_after: Some(12), evidence: &[] }]),
    (4, &[Past { what: "Keep the current plan for paid search", kind: K::NoChange, category: None, why: "Cost per sales-accepted lead is within target three weeks running; nothing to change yet.", owner: "lead", due_in: None, done_after: None, evidence: &[(EvidenceKind::Channel, "Paid")] }]),
    (3, &[
        Past { what: "Route demo requests to sales within one business hour", kind: K::Automate, category: Some(Category::Handoff), why: "Demo requests waited a day and a half for a first call; the CRM can assign them on arrival.", owner: "sales", due_in: Some(10), done_after: Some(13), evidence: &[(EvidenceKind::Workflow, "Lead")] },
        Past { what: "Rewrite the webinar invitation for operations leads", kind: K::Improve, category: Some(Category::Strategy), why: "Registrations came mostly from students and vendors, not buyers.", owner: "generalist", due_in: Some(14), done_after: None, evidence: &[(EvidenceKind::Channel, "Webinar")] },
    ]),
    (2, &[Past { what: "Stop the printed customer newsletter", kind: K::Stop, category: Some(Category::Strategy), why: "No reply or meeting in a year traced back to it; the hours go to case studies.", owner: "founder", due_in: Some(7), done_after: Some(2), evidence: &[(EvidenceKind::Workflow, "Printed customer newsletter")] }]),
    (1, &[
        Past { what: "Pause the podcast until the case-study series ships", kind: K::Pause, category: Some(Category::Capacity), why: "The writer cannot carry both this month.", owner: "lead", due_in: Some(7), done_after: Some(0), evidence: &[(EvidenceKind::Priority, "Monthly podcast")] },
        Past { what: "Book a freelance designer for landing pages this quarter", kind: K::Hire, category: Some(Category::Capacity), why: "Three landing pages waited more than a week for design; the bottleneck is production, not ideas.", owner: "lead", due_in: Some(21), done_after: None, evidence: &[(EvidenceKind::Workflow, "Landing")] },
    ]),
];

const MONTHLIES: &[(i64, &[Past])] = &[
    (2, &[Past { what: "Fund a second round of the ROI assessment test", kind: K::Fund, category: None, why: "Assessment leads were accepted by sales twice as often as demo requests.", owner: "lead", due_in: Some(30), done_after: Some(20), evidence: &[(EvidenceKind::Metric, "Sales-accepted")] }]),
    (1, &[Past { what: "Agree one definition of a marketing-qualified lead with sales", kind: K::Fix, category: Some(Category::Measurement), why: "Marketing and sales counted qualified leads differently, so nobody trusted the monthly report.", owner: "revops", due_in: Some(21), done_after: None, evidence: &[] }]),
];

const QUARTERLIES: &[(i64, &[Past])] = &[(
    1,
    &[Past {
        what: "Scale paid search on the demo offer by a fifth next quarter",
        kind: K::Scale,
        category: None,
        why: "It brings the most sales-accepted leads per euro of any channel.",
        owner: "founder",
        due_in: Some(60),
        done_after: None,
        evidence: &[(EvidenceKind::Channel, "Paid")],
    }],
)];

fn evidence(m: &keel_domain::health::Model, wanted: &[(EvidenceKind, &str)]) -> Vec<Evidence> {
    wanted
        .iter()
        .filter_map(|(k, prefix)| {
            let id = match k {
                EvidenceKind::Metric => m
                    .metrics
                    .iter()
                    .find(|x| x.name.starts_with(prefix))
                    .map(|x| x.id),
                EvidenceKind::Workflow => m
                    .workflows
                    .iter()
                    .find(|x| x.spec.name.starts_with(prefix))
                    .map(|x| x.id),
                EvidenceKind::Channel => m
                    .channels
                    .iter()
                    .find(|x| x.name.starts_with(prefix))
                    .map(|x| x.id),
                EvidenceKind::Priority => m
                    .priorities
                    .iter()
                    .find(|x| x.title.starts_with(prefix))
                    .map(|x| x.id),
                _ => None,
            }?;
            Some(Evidence::new(*k, id))
        })
        .collect()
}

pub async fn seed(
    store: &Store,
    ws: keel_store::WorkspaceId,
    team: &[(&'static str, Person)],
    today: Date,
) -> Result<usize> {
    let (lead, founder, generalist, sales) = (
        id(team, "lead")?,
        id(team, "founder")?,
        id(team, "generalist")?,
        id(team, "sales")?,
    );
    let since = today.add_days(-7 * 8);
    for (kind, weekday, minutes, people) in [
        (Kind::Weekly, 1, 9 * 60 + 30, vec![lead, generalist, sales]),
        (Kind::Monthly, 2, 10 * 60, vec![lead, founder, sales]),
        (
            Kind::Quarterly,
            4,
            14 * 60,
            vec![lead, founder, sales, generalist],
        ),
    ] {
        let d = CadenceDraft {
            kind,
            interval: 1,
            weekday,
            time_minutes: minutes,
            facilitator_id: Some(lead),
            attendee_ids: people,
            active: true,
        };
        store.put_review_cadence(ws, &d, None, since).await?;
    }
    let cadences = store.list_review_cadences(ws).await?;
    // The SOP a "stop" decision retires (confirmed): off the board, its history kept.
    crate::demo_work::workflow(
        store,
        ws,
        "content-publication",
        Some("Printed customer newsletter"),
        founder,
        generalist,
        true,
    )
    .await?;
    let mut held = 0;
    let history = WEEKLIES
        .iter()
        .map(|(ago, ds)| (Kind::Weekly, today.week_start().add_days(-7 * ago), *ds))
        .chain(MONTHLIES.iter().map(|(ago, ds)| {
            let c = cadences.iter().find(|c| c.kind == Kind::Monthly);
            let start = today.month_start().add_months(-ago);
            (
                Kind::Monthly,
                c.map(|c| c.day_in(start)).unwrap_or(start),
                *ds,
            )
        }))
        .chain(QUARTERLIES.iter().map(|(ago, ds)| {
            let c = cadences.iter().find(|c| c.kind == Kind::Quarterly);
            let start = today.add_months(-3 * ago).month_start();
            (
                Kind::Quarterly,
                c.map(|c| c.day_in(start)).unwrap_or(start),
                *ds,
            )
        }));
    let mut history: Vec<_> = history.filter(|(_, day, _)| *day < today).collect();
    history.sort_by_key(|(_, day, _)| *day);
    for (i, (kind, day, decisions)) in history.into_iter().enumerate() {
        let cadence = cadences.iter().find(|c| c.kind == kind);
        let attendees = cadence.map(|c| c.attendee_ids.clone()).unwrap_or_default();
        let model = store.model(ws).await?;
        let review = store
            .open_review(ws, kind, day, Some(lead), &attendees)
            .await?;
        for p in decisions {
            let d = DecisionDraft {
                what: p.what.into(),
                kind: p.kind,
                category: p.category,
                rationale: Some(p.why.into()),
                evidence: evidence(&model, p.evidence),
                owner_id: id(team, p.owner)?,
                due: p.due_in.map(|n| day.add_days(n)),
                status: DecisionStatus::Open,
            };
            // A "stop" acts once confirmed: the newsletter's SOP is retired.
            let made = store
                .create_decision(ws, Some(review.id), day, &d, p.kind == K::Stop)
                .await?;
            if let Some(after) = p.done_after {
                let done = DecisionDraft {
                    status: DecisionStatus::Done,
                    ..d
                };
                store
                    .update_decision(ws, made.id, made.version, &done, day.add_days(after))
                    .await?;
            }
        }
        let a = agenda::agenda(kind, &store.model(ws).await?, day);
        // What the facilitator wrote under the first topic of the agenda.
        let review = match a.sections.first() {
            Some(s) => {
                let current = store
                    .find_review(ws, review.id)
                    .await?
                    .ok_or_else(|| anyhow!("the demo review went missing"))?;
                let note = NOTES[i % NOTES.len()].to_string();
                store
                    .save_review_notes(ws, review.id, current.version, &[(s.key.to_string(), note)])
                    .await?
            }
            None => review,
        };
        // Ratings that drift upwards as the reviews get sharper.
        let ratings: Vec<(i64, u8)> = attendees
            .iter()
            .enumerate()
            .map(|(j, p)| (*p, (5 + (i + j) % 3 + i / 3).min(10) as u8))
            .collect();
        let closing = Closing {
            ratings: &ratings,
            raised: &a.topics(),
            checked: &a.decisions_checked(),
            by_user: None,
        };
        store
            .close_review(ws, review.id, review.version, &closing)
            .await?;
        held += 1;
    }
    // A decision taken between reviews, recorded from the decision log.
    let model = store.model(ws).await?;
    let outside = DecisionDraft {
        what: "Move the trade-show deposit to the ROI assessment test".into(),
        kind: K::Fund,
        category: Some(Category::Strategy),
        rationale: Some(
            "The fair's organisers moved it to the week of our launch; the assessment converts better."
                .into(),
        ),
        evidence: evidence(&model, &[(EvidenceKind::Channel, "Paid")]),
        owner_id: founder,
        due: Some(today.add_days(10)),
        status: DecisionStatus::Open,
    };
    store
        .create_decision(ws, None, today.add_days(-4), &outside, false)
        .await?;
    Ok(held)
}
