//! The demo's workflows and work: three SOPs from the built-in templates and a handful of
//! work items in believable states (one blocked, one waiting for the blocked one, one launched
//! this week, one late, one sent back for a revision, two waiting for the demo owner's
//! approval). With `--workflows`/`--work-items` it also makes a large synthetic
//! load for benchmarks.

use anyhow::{anyhow, Context, Result};
use keel_domain::work::notes::{self, CommentDraft, LinkDraft, LinkInput};
use keel_domain::work::transition::{self, Action, Actor};
use keel_domain::work::{WorkDraft, WorkItem};
use keel_domain::workflow::{templates, Assignment, Workflow, WorkflowRole, WorkflowSpec};
use keel_domain::Person;
use keel_store::Store;
use keel_store::WorkspaceId;

/// The blocker that keeps coming back in the demo's content SOP.
const LEGAL: &str = "Waiting for the customer's legal team to approve the quotes.";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn person<'a>(team: &'a [(&'static str, Person)], key: &str) -> Result<&'a Person> {
    team.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, p)| p)
        .ok_or_else(|| anyhow!("the demo team has no {key}"))
}

pub(crate) async fn workflow(
    store: &Store,
    ws: WorkspaceId,
    key: &str,
    name: Option<&str>,
    decider: i64,
    executor: i64,
    active: bool,
) -> Result<Workflow> {
    let t = templates::find(key).ok_or_else(|| anyhow!("no template {key}"))?;
    let functions = store.list_functions(ws).await?;
    let function = functions
        .iter()
        .find(|f| f.name == t.function_hint)
        .map(|f| f.id);
    let mut input = t.input(decider, executor, decider, function);
    if active {
        input.status = "active".into();
        let today = store.zone_of(ws).await?.date_of(now());
        input.last_reviewed = today.add_days(-20).to_string();
        input.next_review_due = today.add_days(70).to_string();
    }
    if let Some(n) = name {
        input.name = n.into();
    }
    let people = store.list_people(ws).await?;
    let ids: Vec<i64> = functions.iter().map(|f| f.id).collect();
    let spec = WorkflowSpec::parse(&input, &people, &ids)
        .map_err(|e| anyhow!("the {key} template does not parse: {e}"))?;
    store
        .create_workflow(ws, &spec, None)
        .await
        .with_context(|| format!("cannot create the workflow {}", spec.name))
}

/// Moves an item through `action`, ticking the current stage's checklist and approving first
/// when the move passes a gate, as the team would.
async fn step(
    store: &Store,
    ws: WorkspaceId,
    wf: &Workflow,
    item: WorkItem,
    action: Action,
    at: i64,
    by: Option<i64>,
) -> Result<WorkItem> {
    let decider = Actor {
        is_decision_owner: true,
    };
    let zone = store.zone_of(ws).await?;
    let mut item = item;
    if matches!(action, Action::Advance { .. }) {
        let stage = &wf.spec.stages[item.stage];
        for i in 0..stage.checklist.len() {
            store
                .set_check(ws, item.id, item.stage, i, true, by)
                .await?;
        }
        let gate = store.gate_state(ws, item.id, item.stage).await?;
        if stage.needs_approval && !gate.approved {
            let o = transition::apply(&item, &wf.spec, &gate, &Action::Approve, decider, at, &zone)
                .map_err(|e| anyhow!(e.to_string()))?;
            item = store.record_move(ws, item.id, item.version, &o, by).await?;
        }
    }
    let gate = store.gate_state(ws, item.id, item.stage).await?;
    let o = transition::apply(&item, &wf.spec, &gate, &action, decider, at, &zone)
        .map_err(|e| anyhow!(e.to_string()))?;
    Ok(store.record_move(ws, item.id, item.version, &o, by).await?)
}

fn advance() -> Action {
    Action::Advance {
        reason: String::new(),
    }
}

async fn start(
    store: &Store,
    ws: WorkspaceId,
    wf: &Workflow,
    title: &str,
    owner: i64,
    launch_in_days: i64,
) -> Result<WorkItem> {
    let today = store.zone_of(ws).await?.date_of(now());
    let launch = today.add_days(launch_in_days);
    let d = WorkDraft {
        title: title.into(),
        execution_owner_id: Some(owner),
        contributor_ids: vec![],
        estimated_hours: 6.0,
        start_date: Some(today.add_days(launch_in_days.min(0) - 14)),
        planned_launch: Some(launch),
        first_review: Some(launch.add_days(14)),
    };
    let status = transition::first_status(&wf.spec);
    Ok(store.start_work(ws, wf.id, &d, status, None).await?)
}

/// What a demo item carries besides its moves: a description, links and comments, parsed by
/// the same rules as the page and the API. Comments are written as `(author, text)`; an
/// `@Name` in them names that teammate.
async fn annotate(
    store: &Store,
    ws: WorkspaceId,
    item: &WorkItem,
    team: &[(&'static str, Person)],
    description: &str,
    links: &[(&str, &str)],
    comments: &[(&str, &str)],
) -> Result<()> {
    let d = notes::description(description).map_err(|m| anyhow!(m))?;
    store
        .set_work_description(ws, item.id, item.version, &d)
        .await?;
    for (title, url) in links {
        let input = LinkInput {
            title: (*title).into(),
            url: (*url).into(),
        };
        let l = LinkDraft::parse(&input).map_err(|e| anyhow!("demo link {title}: {e:?}"))?;
        store.add_web_link(ws, item.id, &l, None).await?;
    }
    let people: Vec<Person> = team.iter().map(|(_, p)| p.clone()).collect();
    for (author, text) in comments {
        let c = CommentDraft::parse(text, &people).map_err(|e| anyhow!("demo comment: {e:?}"))?;
        let by = person(team, author)?;
        store
            .add_comment(ws, item.id, &c, Some(by.id), by.user_id)
            .await?;
    }
    Ok(())
}

/// The demo's workflows and work, for a team created by `demo::create`.
pub async fn seed(
    store: &Store,
    ws: WorkspaceId,
    team: &[(&'static str, Person)],
    owner_user: i64,
) -> Result<()> {
    let lead = person(team, "lead")?.id;
    let generalist = person(team, "generalist")?.id;
    let agency = person(team, "agency")?.id;
    let writer = person(team, "writer")?.id;
    let campaign = workflow(store, ws, "campaign-launch", None, lead, generalist, true).await?;
    let content = workflow(store, ws, "content-publication", None, lead, writer, true).await?;
    let paid = workflow(store, ws, "paid-test", None, lead, agency, false).await?;
    let t = now();
    let by = Some(owner_user);
    // Review triggers: the agency joined the campaign SOP after its last review, and the
    // content SOP's review is ten days away.
    let mut spec = campaign.spec.clone();
    spec.assignments.push(Assignment {
        person_id: agency,
        role: WorkflowRole::Contributor,
    });
    let campaign = store
        .update_workflow(ws, campaign.id, campaign.version, &spec, by)
        .await?;
    let mut spec = content.spec.clone();
    spec.next_review_due = Some(store.zone_of(ws).await?.date_of(t).add_days(10));
    let content = store
        .update_workflow(ws, content.id, content.version, &spec, by)
        .await?;

    // Launched three days ago, after one revision of its brief.
    let mut w = start(
        store,
        ws,
        &campaign,
        "Q4 webinar: forecasting without spreadsheets",
        generalist,
        -3,
    )
    .await?;
    w = step(store, ws, &campaign, w, advance(), t - 9 * 86_400, by).await?;
    w = step(
        store,
        ws,
        &campaign,
        w,
        Action::SendBack {
            to: 0,
            reason: "The brief does not say which offer the webinar leads to.".into(),
        },
        t - 8 * 86_400,
        by,
    )
    .await?;
    for _ in 0..campaign.spec.stages.len() {
        w = step(store, ws, &campaign, w, advance(), t - 3 * 86_400, by).await?;
    }
    // In progress, launching this week.
    let mut w = start(
        store,
        ws,
        &campaign,
        "Retail analytics guide: paid social push",
        agency,
        2,
    )
    .await?;
    w = step(store, ws, &campaign, w, advance(), t - 2 * 86_400, by).await?;
    annotate(
        store,
        ws,
        &w,
        team,
        "Paid social push for the retail analytics guide, run by Brightline.\n\n\
         **Audience:** heads of finance and merchandising at retailers with 20 to 200 stores.\n\n\
         **Budget:** 6,000 over three weeks, LinkedIn first, Meta retargeting after day 7.\n\n\
         **Done means:** 120 guide downloads at under 50 each, and the sales team has the list by Friday.",
        &[
            ("Ad copy and creative (shared drive)", "https://drive.example.com/brightline/retail-guide-ads"),
            ("Guide landing page", "https://northwind-analytics.example/guides/retail-analytics"),
        ],
        &[(
            "agency",
            "Creative v2 is up with the shorter headline. @Tomás Berg can you confirm the UTM names before we book the spend?",
        )],
    )
    .await?;
    // Waiting for the lead's approval: the pre-launch check of a campaign (tracking still
    // being tested) and a guide whose edit is done. Home and My work list both for her.
    let mut w = start(
        store,
        ws,
        &campaign,
        "Spring pipeline webinar: CFO panel",
        generalist,
        6,
    )
    .await?;
    for _ in 0..2 {
        w = step(store, ws, &campaign, w, advance(), t - 4 * 86_400, by).await?;
    }
    store.set_check(ws, w.id, w.stage, 2, true, by).await?;
    annotate(
        store,
        ws,
        &w,
        team,
        "A 45-minute panel with three CFOs on how they rebuilt pipeline forecasting this year.\n\n\
         - **Goal:** 250 registrations, 40% live attendance, 30 demo requests within two weeks\n\
         - **Offer:** the forecasting demo, booked from the thank-you page\n\
         - **Panel:** confirmed; run of show in the brief\n\n\
         The pre-launch check waits for the tracking test: registrations must reach the CRM with their source.",
        &[
            ("Campaign brief", "https://docs.example.com/northwind/spring-cfo-panel-brief"),
            ("Registration page (draft)", "https://northwind-analytics.example/webinars/cfo-panel"),
        ],
        &[
            (
                "generalist",
                "Tracking test passed on staging: form fills land in the CRM with source and campaign. @Priya Raman ready for your approval when you have ten minutes.",
            ),
            (
                "agency",
                "Retargeting audience is built from the registration page visitors; it starts the day the page goes live.",
            ),
        ],
    )
    .await?;
    let mut w = start(
        store,
        ws,
        &content,
        "Guide: closing the books in five days",
        writer,
        9,
    )
    .await?;
    for _ in 0..3 {
        w = step(store, ws, &content, w, advance(), t - 86_400, by).await?;
    }
    for i in 0..content.spec.stages[w.stage].checklist.len() {
        store.set_check(ws, w.id, w.stage, i, true, by).await?;
    }
    // Blocked for a week on legal.
    let w = start(
        store,
        ws,
        &content,
        "Customer story: Halvorsen Logistics",
        writer,
        10,
    )
    .await?;
    let w = step(store, ws, &content, w, advance(), t - 10 * 86_400, by).await?;
    let story = step(
        store,
        ws,
        &content,
        w,
        Action::Block {
            reason: LEGAL.into(),
        },
        t - 7 * 86_400,
        by,
    )
    .await?;
    annotate(
        store,
        ws,
        &story,
        team,
        "How Halvorsen Logistics cut its month-end close from nine days to four with Northwind.\n\n\
         Interview notes and the quotes are in the drive; the story is written and waits for their legal team.",
        &[("Interview notes", "https://docs.example.com/northwind/halvorsen-interview")],
        &[(
            "writer",
            "Chased Halvorsen's legal team again today; they promise an answer by Thursday. @Priya Raman shall we publish without the CFO quote if they miss it?",
        )],
    )
    .await?;
    let story = store
        .find_work(ws, story.id)
        .await?
        .ok_or_else(|| anyhow!("the story went missing"))?;
    // Waits for the blocked story: it cannot launch without a reason, and Health says so.
    let feature = start(
        store,
        ws,
        &content,
        "Newsletter feature: the Halvorsen story in three numbers",
        writer,
        12,
    )
    .await?;
    store.add_dep(ws, feature.id, story.id).await?;
    // Late: planned five days ago, still in the first stage, after being held up twice by
    // the same legal review: with the story, three blocks in eight weeks on one SOP.
    let mut late = start(
        store,
        ws,
        &content,
        "Comparison page: Northwind vs. spreadsheets",
        writer,
        -5,
    )
    .await?;
    for days_ago in [15, 9] {
        let block = Action::Block {
            reason: LEGAL.into(),
        };
        late = step(store, ws, &content, late, block, t - days_ago * 86_400, by).await?;
        late = step(
            store,
            ws,
            &content,
            late,
            Action::Unblock,
            t - (days_ago - 3) * 86_400,
            by,
        )
        .await?;
    }
    let _ = late;
    // Just in.
    start(
        store,
        ws,
        &paid,
        "LinkedIn test: CFO audience, demo offer",
        agency,
        21,
    )
    .await?;
    Ok(())
}

/// Synthetic load for benchmarks: `workflows` workflows and `items` work items spread over
/// them, each moved through its stages with a full history.
pub async fn bench_load(
    store: &Store,
    ws: WorkspaceId,
    team: &[(&'static str, Person)],
    workflows: u32,
    items: u32,
) -> Result<()> {
    let lead = person(team, "lead")?.id;
    let generalist = person(team, "generalist")?.id;
    let keys: Vec<&str> = templates::TEMPLATES.iter().map(|t| t.key).collect();
    let mut made = Vec::new();
    for n in 0..workflows {
        let key = keys[n as usize % keys.len()];
        made.push(
            workflow(
                store,
                ws,
                key,
                Some(&format!("Bench workflow {n}")),
                lead,
                generalist,
                true,
            )
            .await?,
        );
    }
    let t = now();
    for i in 0..items {
        let wf = &made[i as usize % made.len().max(1)];
        let mut w = start(
            store,
            ws,
            wf,
            &format!("Bench item {i}"),
            generalist,
            (i % 90) as i64 - 45,
        )
        .await?;
        // Most items go some way; every fifth is launched, with each stage in its history.
        let stages = if i % 5 == 0 {
            wf.spec.stages.len()
        } else {
            (i as usize) % wf.spec.stages.len()
        };
        for s in 0..stages {
            w = step(
                store,
                ws,
                wf,
                w,
                advance(),
                t - ((stages - s) as i64) * 86_400,
                None,
            )
            .await?;
        }
        if i % 1000 == 999 {
            println!("  {} work items…", i + 1);
        }
    }
    Ok(())
}
