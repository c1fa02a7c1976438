//! `keel demo`: a small, believable B2B marketing team to try keel on, then serve it.
//!
//! Northwind Analytics sells analytics software to mid-sized companies. Its marketing is a
//! lead, a generalist, a founder who still writes the positioning, and three partners, each
//! with recurring commitments (meetings, managing, deciding for workflows) and estimated work
//! (`demo_load.rs`). Problems are left in on purpose for the health checks: the founder's
//! load is beyond their marketing hours, and nobody executes customer marketing. No business owner is
//! external (the domain refuses that), so the demo has warnings but no errors.

use crate::cli::DemoArgs;
use crate::{check, serve};
use anyhow::{anyhow, Context, Result};
use keel_domain::health;
use keel_domain::{
    FunctionDraft, FunctionInput, Person, PersonDraft, PersonInput, PersonKind, Role, Sourcing,
    Zone,
};
use keel_store::WorkspaceId;
use keel_store::{Store, StoreError, User, Workspace};
use keel_web::auth::password;
use std::net::SocketAddr;
use std::process::ExitCode;

pub const SLUG: &str = "northwind-demo";
/// The demo workspace's time zone.
const ZONE: &str = "America/Los_Angeles";
pub const NAME: &str = "Northwind Analytics (demo)";
pub const PASSWORD: &str = "keel-demo-2026";
pub const OWNER_EMAIL: &str = "demo@keel.local";

struct Teammate {
    key: &'static str,
    name: &'static str,
    kind: PersonKind,
    organization: &'static str,
    title: &'static str,
    email: &'static str,
    capacity: f64,
}

const TEAM: &[Teammate] = &[
    Teammate {
        key: "founder",
        name: "Martin Okafor",
        kind: PersonKind::Internal,
        organization: "",
        title: "Founder and CEO",
        email: "martin@northwind-analytics.example",
        capacity: 5.0,
    },
    Teammate {
        key: "lead",
        name: "Priya Raman",
        kind: PersonKind::Internal,
        organization: "",
        title: "Head of Marketing",
        email: "priya@northwind-analytics.example",
        capacity: 40.0,
    },
    Teammate {
        key: "generalist",
        name: "Tomás Berg",
        kind: PersonKind::Internal,
        organization: "",
        title: "Marketing Manager",
        email: "tomas@northwind-analytics.example",
        capacity: 40.0,
    },
    Teammate {
        key: "writer",
        name: "Hannah Lindqvist",
        kind: PersonKind::Freelancer,
        organization: "Wordcraft Studio",
        title: "SEO writer",
        email: "hannah@wordcraft.example",
        capacity: 25.0,
    },
    Teammate {
        key: "agency",
        name: "Diego Marín",
        kind: PersonKind::Agency,
        organization: "Brightline Media",
        title: "Paid media strategist",
        email: "diego@brightline.example",
        capacity: 30.0,
    },
    Teammate {
        key: "sales",
        name: "Grace Whitfield",
        kind: PersonKind::Internal,
        organization: "",
        title: "Head of Sales",
        email: "grace@northwind-analytics.example",
        capacity: 10.0,
    },
    Teammate {
        key: "revops",
        name: "Sam Kowalczyk",
        kind: PersonKind::Contractor,
        organization: "Pipeline Ops Co.",
        title: "RevOps consultant",
        email: "sam@pipelineops.example",
        capacity: 12.0,
    },
];

/// Sign-in accounts, each linked to the teammate it acts as.
const ACCOUNTS: &[(&str, &str, Role)] = &[
    (OWNER_EMAIL, "lead", Role::Owner),
    ("sales@keel.local", "sales", Role::Viewer),
    ("agency@keel.local", "agency", Role::Partner),
];

struct Ownership {
    function: &'static str,
    sourcing: Sourcing,
    business: &'static str,
    execution: Option<&'static str>,
    hours: f64,
}

/// Who decides and who executes each default function, and the weekly effort.
const OWNERSHIP: &[Ownership] = &[
    Ownership {
        function: "Acquisition",
        sourcing: Sourcing::External,
        business: "lead",
        execution: Some("agency"),
        hours: 18.0,
    },
    Ownership {
        function: "Conversion",
        sourcing: Sourcing::Internal,
        business: "lead",
        execution: Some("generalist"),
        hours: 12.0,
    },
    Ownership {
        function: "Content",
        sourcing: Sourcing::Hybrid,
        business: "lead",
        execution: Some("writer"),
        hours: 14.0,
    },
    // The founder still writes the positioning: 8 h against 5 h of marketing time.
    Ownership {
        function: "Product marketing",
        sourcing: Sourcing::Internal,
        business: "founder",
        execution: Some("founder"),
        hours: 8.0,
    },
    Ownership {
        function: "Marketing operations",
        sourcing: Sourcing::External,
        business: "lead",
        execution: Some("revops"),
        hours: 10.0,
    },
    Ownership {
        function: "Reporting",
        sourcing: Sourcing::Internal,
        business: "lead",
        execution: Some("generalist"),
        hours: 6.0,
    },
    Ownership {
        function: "Sales enablement",
        sourcing: Sourcing::Internal,
        business: "sales",
        execution: Some("lead"),
        hours: 6.0,
    },
    // Sales wants it, nobody has time for it yet.
    Ownership {
        function: "Customer marketing",
        sourcing: Sourcing::Hybrid,
        business: "sales",
        execution: None,
        hours: 6.0,
    },
];

pub async fn run(store: &Store, args: DemoArgs) -> Result<ExitCode> {
    let ws = match store.find_workspace_by_slug(SLUG).await? {
        Some(ws) => {
            println!("The demo workspace {SLUG} already exists; it is left as it is.");
            if args.scale > 1 {
                println!("(--scale applies only when the demo workspace is created.)");
            }
            ws
        }
        None => create(store, &args, SLUG, NAME, true)
            .await
            .context("cannot create the demo workspace")?,
    };
    // For the memory benchmark: copies of the demo workspace, as an agency node serves many
    // clients (bench/workspaces.sh). Each is made once; a rerun leaves them as they are.
    if args.workspaces > 1 {
        let mut made = 0;
        for copy in 2..=args.workspaces {
            let slug = format!("{SLUG}-{copy}");
            if store.find_workspace_by_slug(&slug).await?.is_none() {
                let name = format!("Northwind Analytics (demo {copy})");
                create(store, &args, &slug, &name, false)
                    .await
                    .with_context(|| format!("cannot create the demo workspace {slug}"))?;
                made += 1;
            }
        }
        println!(
            "Made {made} more copies of the demo workspace ({SLUG}-2 to {SLUG}-{}).",
            args.workspaces
        );
    }
    let findings = check::findings(store, &ws).await?;
    let (errors, warnings, _) = health::summary(&findings);
    println!(
        "Health checks on {SLUG}: {errors} errors, {warnings} warnings (details: keel check --workspace {SLUG})."
    );
    if args.no_serve {
        println!();
        print_logins(None);
        return Ok(ExitCode::SUCCESS);
    }
    let listener = serve::bind(&args.bind).await?;
    let addr = serve::announce(&listener)?;
    print_logins(Some(addr));
    serve::serve(listener, addr, store, keel_web::Config::default()).await?;
    Ok(ExitCode::SUCCESS)
}

fn print_logins(addr: Option<SocketAddr>) {
    match addr {
        Some(addr) => {
            // 0.0.0.0 and [::] are where keel listens, not where a browser can go.
            let host = if addr.ip().is_unspecified() {
                format!("localhost:{}", addr.port())
            } else {
                addr.to_string()
            };
            println!("Open http://{host}/login and sign in with");
        }
        None => println!("Start it with `keel serve` (same --database-url) and sign in with"),
    }
    println!("  email:    {OWNER_EMAIL}  (owner: Priya Raman, Head of Marketing)");
    println!("  password: {PASSWORD}");
    println!("Also: sales@keel.local (viewer) and agency@keel.local (partner), same password.");
}

/// Makes one demo workspace; `primary` is the demo itself, which alone carries the benchmark
/// extras (`--scale`, `--workflows`, `--review-years`) and links the demo accounts' people.
async fn create(
    store: &Store,
    args: &DemoArgs,
    slug: &str,
    name: &str,
    primary: bool,
) -> Result<Workspace> {
    let scale = if primary { args.scale } else { 1 };
    let mut accounts = Vec::new();
    for &(email, key, role) in ACCOUNTS {
        let name = teammate(key).name;
        accounts.push((ensure_account(store, email, name).await?, key, role));
    }
    let owner = &accounts[0].0;
    let ws = match store.create_workspace(slug, name, Some(owner.id)).await {
        Ok(ws) => ws,
        // Another `keel demo` created it a moment ago.
        Err(StoreError::Conflict(_)) => {
            return store
                .find_workspace_by_slug(slug)
                .await?
                .ok_or_else(|| anyhow!("the demo workspace vanished while being created"))
        }
        Err(e) => return Err(e.into()),
    };
    // The demo team works from California: its "today" and launch days are Pacific time.
    let zone = Zone::parse(ZONE).map_err(|e| anyhow!(e))?;
    let ws = store.set_time_zone(ws.id, ws.version, &zone).await?;
    for (user, _, role) in &accounts[1..] {
        store.add_member(ws.id, user.id, *role).await?;
    }
    // The head of marketing reads the weekly digest (`keel digest send --dry-run` shows it).
    store.set_weekly_digest(ws.id, owner.id, true).await?;
    let members: Vec<i64> = accounts.iter().map(|(u, _, _)| u.id).collect();
    let link = |key: &str| {
        accounts
            .iter()
            .find(|(_, k, _)| *k == key)
            .map(|(u, _, _)| u.id)
    };

    let team = add_team(store, ws.id, "", &members, link).await?;
    let functions = store.list_functions(ws.id).await?;
    for o in OWNERSHIP {
        let f = functions
            .iter()
            .find(|f| f.name == o.function)
            .ok_or_else(|| anyhow!("the default function {} is missing", o.function))?;
        let draft = ownership_draft(o, f.name.clone(), f.description.clone(), &team)?;
        store
            .update_function(ws.id, f.id, f.version, &draft)
            .await
            .with_context(|| format!("cannot set the owners of {}", f.name))?;
    }

    // Subscribed first, so the work's launches and blocks queue their events like the app's.
    let hook = crate::demo_webhooks::subscribe(store, ws.id, owner.id)
        .await
        .context("cannot add the demo's webhook")?;
    crate::demo_work::seed(store, ws.id, &team, owner.id)
        .await
        .context("cannot create the demo's workflows and work")?;
    let today = ws.zone().date_of(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default(),
    );
    crate::demo_strategy::seed(store, ws.id, &team, today)
        .await
        .context("cannot create the demo's objectives and priorities")?;
    crate::demo_stack::seed(store, ws.id, &team, today)
        .await
        .context("cannot create the demo's strategy stack")?;
    crate::demo_fit::seed(store, ws.id)
        .await
        .context("cannot link the demo's work to its strategy")?;
    let values = crate::demo_metrics::seed(store, ws.id, &team, today)
        .await
        .context("cannot create the demo's metrics")?;
    println!(
        "Added {} demo metrics with {values} values over the last year.",
        crate::demo_metrics::METRICS.len()
    );
    crate::demo_load::seed(store, ws.id, &team)
        .await
        .context("cannot add the demo's recurring commitments")?;
    let reviews = crate::demo_reviews::seed(store, ws.id, &team, today)
        .await
        .context("cannot create the demo's reviews and decisions")?;
    println!("Added {reviews} past reviews with their decisions.");
    let deliveries = crate::demo_webhooks::play_out(store, ws.id, hook, owner.id)
        .await
        .context("cannot fill the demo webhook's delivery log")?;
    println!("Added a webhook to the team's chat with {deliveries} deliveries in its log.");
    if primary && (args.work_items > 0 || args.workflows > 0) {
        println!(
            "Creating {} workflows and {} work items for benchmarks…",
            args.workflows.max(1),
            args.work_items
        );
        crate::demo_work::bench_load(store, ws.id, &team, args.workflows.max(1), args.work_items)
            .await?;
    }
    if primary && args.strategy_bench {
        println!("Creating objectives, priorities, channels and metrics for benchmarks…");
        let n = crate::demo_strategy_bench::seed(store, ws.id, &team, today)
            .await
            .context("cannot create the benchmark's strategy")?;
        println!("Added {n} weekly metric values.");
    }
    if primary && args.review_years > 0 {
        println!(
            "Creating {} years of reviews and decisions for benchmarks…",
            args.review_years
        );
        let n = crate::demo_review_bench::seed(store, ws.id, &team, args.review_years, today)
            .await
            .context("cannot create the benchmark's reviews")?;
        println!("Added {n} decisions in past reviews.");
    }

    let mut n = 0;
    for copy in 2..=scale {
        let team = add_team(store, ws.id, &format!(" {copy}"), &members, |_| None).await?;
        crate::demo_load::seed_copy(store, ws.id, &team).await?;
        for o in OWNERSHIP {
            n += 1;
            let name = format!("Function {n}");
            let description = Some(format!(
                "Scale copy {copy} of {}, for load tests.",
                o.function
            ));
            let draft = ownership_draft(o, name.clone(), description, &team)?;
            store
                .create_function(ws.id, &draft)
                .await
                .with_context(|| format!("cannot create {name}"))?;
        }
    }

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let leads = crate::demo_leads::seed(store, ws.id, owner.id, now)
        .await
        .context("cannot create the demo's leads")?;
    println!("Added {leads} demo leads from a HubSpot-like CRM, with sales feedback and spend.");

    let people = TEAM.len() * scale as usize;
    let functions = functions.len() + n;
    println!("Created the demo workspace {name} ({slug}): {people} people, {functions} functions.");
    Ok(ws)
}

fn teammate(key: &str) -> &'static Teammate {
    TEAM.iter()
        .find(|t| t.key == key)
        .expect("every key in ACCOUNTS and OWNERSHIP names a teammate")
}

/// The demo account with this email, created with the demo password if missing. An existing
/// account keeps its password.
async fn ensure_account(store: &Store, email: &str, name: &str) -> Result<User> {
    if let Some(u) = store.find_user_by_email(email).await? {
        println!("Using the existing account {email} (its password is unchanged).");
        return Ok(u);
    }
    match store
        .create_user(email, name, &password::hash(PASSWORD))
        .await
    {
        Ok(u) => Ok(u),
        Err(StoreError::Conflict(_)) => store
            .find_user_by_email(email)
            .await?
            .ok_or_else(|| anyhow!("the account {email} vanished while being created")),
        Err(e) => Err(anyhow::Error::new(e).context(format!("cannot create {email}"))),
    }
}

/// Adds one copy of the team; `suffix` tells copies apart (" 2", " 3", ...). Copies have no
/// email and no account.
async fn add_team(
    store: &Store,
    ws: WorkspaceId,
    suffix: &str,
    members: &[i64],
    link: impl Fn(&str) -> Option<i64>,
) -> Result<Vec<(&'static str, Person)>> {
    let mut team = Vec::with_capacity(TEAM.len());
    for t in TEAM {
        let original = suffix.is_empty();
        let input = PersonInput {
            name: format!("{}{suffix}", t.name),
            kind: t.kind.as_str().into(),
            organization: t.organization.into(),
            title: t.title.into(),
            email: if original {
                t.email.into()
            } else {
                String::new()
            },
            weekly_capacity: t.capacity.to_string(),
            user_id: link(t.key).map(|id| id.to_string()).unwrap_or_default(),
        };
        let others: Vec<Person> = team
            .iter()
            .map(|(_, p): &(&str, Person)| p.clone())
            .collect();
        let draft = PersonDraft::parse(&input, members, &others)
            .map_err(|e| anyhow!("demo person {} is invalid: {e}", input.name))?;
        let person = store
            .create_person(ws, &draft)
            .await
            .with_context(|| format!("cannot add {}", draft.name))?;
        team.push((t.key, person));
    }
    Ok(team)
}

/// Parses the ownership through the domain, so the demo obeys the same rules as the web app
/// (an external business owner would be refused here).
fn ownership_draft(
    o: &Ownership,
    name: String,
    description: Option<String>,
    team: &[(&'static str, Person)],
) -> Result<FunctionDraft> {
    let id = |key: &str| {
        team.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, p)| p.id.to_string())
            .unwrap_or_default()
    };
    let input = FunctionInput {
        name,
        description: description.unwrap_or_default(),
        sourcing: o.sourcing.as_str().into(),
        business_owner_id: id(o.business),
        execution_owner_id: o.execution.map(id).unwrap_or_default(),
        weekly_hours: o.hours.to_string(),
    };
    let people: Vec<Person> = team.iter().map(|(_, p)| p.clone()).collect();
    FunctionDraft::parse(&input, &people)
        .map_err(|e| anyhow!("demo function {} is invalid: {e}", input.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use keel_domain::health::Model;
    use keel_domain::{Function, Severity};

    /// The demo team as the store would return it, without a store.
    fn model() -> Model {
        let people: Vec<Person> = TEAM
            .iter()
            .enumerate()
            .map(|(i, t)| Person {
                id: i as i64 + 1,
                name: t.name.into(),
                kind: t.kind,
                organization: (!t.organization.is_empty()).then(|| t.organization.into()),
                title: Some(t.title.into()),
                email: Some(t.email.into()),
                weekly_capacity: t.capacity,
                user_id: None,
                version: 1,
            })
            .collect();
        let team: Vec<(&'static str, Person)> =
            TEAM.iter().map(|t| t.key).zip(people.clone()).collect();
        let functions = OWNERSHIP
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let d = ownership_draft(o, o.function.into(), None, &team).unwrap();
                Function {
                    id: i as i64 + 1,
                    name: d.name,
                    description: d.description,
                    sourcing: d.sourcing,
                    business_owner_id: d.business_owner_id,
                    execution_owner_id: d.execution_owner_id,
                    weekly_hours: d.weekly_hours,
                    version: 1,
                }
            })
            .collect();
        let commitments = crate::demo_load::COMMITMENTS
            .iter()
            .enumerate()
            .map(
                |(i, (key, kind, label, hours))| keel_domain::capacity::Commitment {
                    id: i as i64 + 1,
                    person_id: team.iter().find(|(k, _)| k == key).unwrap().1.id,
                    label: label.to_string(),
                    kind: keel_domain::capacity::CommitmentKind::parse(kind).unwrap(),
                    hours: *hours,
                    workflow_id: None,
                    version: 1,
                },
            )
            .collect();
        Model {
            people,
            functions,
            commitments,
            ..Default::default()
        }
    }

    #[test]
    fn the_demo_has_two_warnings_and_no_errors() {
        let findings = health::check(&model());
        let rules: Vec<(&str, Severity)> = findings.iter().map(|f| (f.rule, f.severity)).collect();
        assert_eq!(
            rules,
            [
                ("function.no-execution-owner", Severity::Warning),
                ("person.over-capacity", Severity::Warning)
            ]
        );
    }

    #[test]
    fn the_demo_covers_every_default_function_and_account() {
        for f in keel_domain::catalogue::DEFAULT_FUNCTIONS {
            assert!(OWNERSHIP.iter().any(|o| o.function == f.name), "{}", f.name);
        }
        for (_, key, _) in ACCOUNTS {
            teammate(key);
        }
        for o in OWNERSHIP {
            teammate(o.business);
            o.execution.map(teammate);
        }
    }
}
