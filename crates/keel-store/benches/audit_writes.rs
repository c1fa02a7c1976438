//! What the audit log costs writes: 8 writers × 200 updates each (every writer edits its own
//! person, version-checked, as the person form and `PUT /api/v1/people/{id}` do), on a store
//! with the audit log and one without (`bench_without_audit`: no triggers, no actor written),
//! alternated in the same run, per backend. Prints writes per second and the ratio.
//!
//! cargo bench -p keel-store --bench audit_writes
//! (PostgreSQL too when KEEL_TEST_POSTGRES_URL is set.)

use keel_domain::{PersonDraft, PersonKind};
use keel_store::audit::{scope, Actor};
use keel_store::{Store, WorkspaceId};
use keel_testkit::TestDb;
use std::time::Instant;

const WRITERS: usize = 8;
const WRITES: usize = 200;
const ROUNDS: usize = 15;

fn draft(name: &str, hours: f64) -> PersonDraft {
    PersonDraft {
        name: name.into(),
        kind: PersonKind::Internal,
        organization: Some("Northwind".into()),
        title: Some("Marketing manager".into()),
        email: None,
        weekly_capacity: hours,
        user_id: None,
    }
}

/// Writes per second of one round: 8 tasks, 200 version-checked updates each.
async fn round(s: &Store, ws: WorkspaceId, people: &[i64]) -> f64 {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (w, id) in people.iter().copied().enumerate() {
        let s = s.clone();
        tasks.push(tokio::spawn(scope(Actor::token(1, 1), async move {
            let mut version = s.find_person(ws, id).await.unwrap().unwrap().version;
            for i in 0..WRITES {
                let d = draft(&format!("Writer {w}"), 20.0 + (i % 20) as f64);
                version = s.update_person(ws, id, version, &d).await.unwrap().version;
            }
        })));
    }
    for t in tasks {
        t.await.unwrap();
    }
    (WRITERS * WRITES) as f64 / started.elapsed().as_secs_f64()
}

async fn setup(db: &TestDb, audited: bool) -> (Store, WorkspaceId, Vec<i64>) {
    let mut s = db.store().await;
    if !audited {
        s.bench_without_audit().await.unwrap();
    }
    let ws = s.create_workspace("bench", "Bench", None).await.unwrap().id;
    let mut people = Vec::new();
    for w in 0..WRITERS {
        people.push(
            s.create_person(ws, &draft(&format!("Writer {w}"), 20.0))
                .await
                .unwrap()
                .id,
        );
    }
    (s, ws, people)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

async fn backend(name: &str, with: TestDb, without: TestDb) {
    let (a, wa, pa) = setup(&with, true).await;
    let (b, wb, pb) = setup(&without, false).await;
    // Warm both up once, then alternate so drift on a shared machine hits both alike.
    round(&a, wa, &pa).await;
    round(&b, wb, &pb).await;
    // Each round pairs one run of each; the ratio is the median of the pairs' ratios, so a
    // slow moment of the machine moves one pair, not the figure.
    let (mut on, mut off, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..ROUNDS {
        // Which store goes first alternates, so neither always follows the other's checkpoint.
        let (x, y) = if r % 2 == 0 {
            (round(&a, wa, &pa).await, round(&b, wb, &pb).await)
        } else {
            let y = round(&b, wb, &pb).await;
            (round(&a, wa, &pa).await, y)
        };
        on.push(x);
        off.push(y);
        ratios.push(x / y);
    }
    let mut spread = ratios.clone();
    spread.sort_by(|a, b| a.partial_cmp(b).unwrap());
    eprintln!(
        "{name}: the rounds' ratios {:?}",
        spread
            .iter()
            .map(|r| format!("{:.0}%", 100.0 * r))
            .collect::<Vec<_>>()
    );
    let (on, off, ratio) = (median(on), median(off), median(ratios));
    println!(
        "| {name} | {off:.0} | {on:.0} | {:.1}% | {:.1}% |",
        100.0 * ratio,
        100.0 * (1.0 - ratio)
    );
    a.close().await;
    b.close().await;
    with.cleanup().await;
    without.cleanup().await;
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        println!("{WRITERS} writers x {WRITES} updates, median of {ROUNDS} alternated rounds");
        println!("| backend | writes/s without audit | writes/s with audit | ratio | cost |");
        println!("|---|---|---|---|---|");
        backend("sqlite", TestDb::sqlite().await, TestDb::sqlite().await).await;
        if let (Some(a), Some(b)) = (TestDb::postgres().await, TestDb::postgres().await) {
            backend("postgres", a, b).await;
        }
    });
}
