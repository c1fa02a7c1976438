//! `keel import leads`: the real binary on real files, including a SIGKILL half-way through.

mod common;

use common::{TempDb, KEEL};
use keel_store::{LeadFilter, Months, QualityBy, Store};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn hubspot(db: &TempDb, name: &str, rows: usize, first: usize) -> PathBuf {
    let mut s = String::from("Record ID,Create Date,Lifecycle Stage,Lead Status,Original Source,First Conversion,Contact owner\n");
    for i in first..first + rows {
        let status = ["New", "Open Deal", "Unqualified", "In Progress"][i % 4];
        let source = ["Paid Search", "Organic Search", "Referrals"][i % 3];
        s.push_str(&format!(
            "{i},2026-03-{:02} 10:00,Lead,{status},{source},Demo request,Rui\n",
            i % 28 + 1
        ));
    }
    let p = db.dir.join(name);
    std::fs::write(&p, s).unwrap();
    p
}

fn setup() -> TempDb {
    let db = TempDb::new();
    db.keel(&["workspace", "create", "--slug", "acme", "--name", "Acme"])
        .ok();
    db
}

async fn leads(db: &TempDb) -> (i64, i64) {
    let store = Store::open(&db.url).await.unwrap();
    let ws = store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap()
        .id;
    let n = store.count_leads(ws, &LeadFilter::default()).await.unwrap();
    let rolled: i64 = store
        .lead_quality(ws, QualityBy::SourceOffer, Months::default())
        .await
        .unwrap()
        .iter()
        .map(|g| g.counts.leads)
        .sum();
    store.close().await;
    (n, rolled)
}

#[tokio::test]
async fn importing_twenty_thousand_rows_twice_adds_them_once() {
    let db = setup();
    let file = hubspot(&db, "contacts.csv", 20_000, 0);
    let path = file.to_str().unwrap();
    let first = db.keel(&["import", "leads", path]).ok();
    assert!(first.stdout.contains("Reading contacts.csv: HubSpot contacts export, UTF-8, comma-separated, header on line 1."), "{first:#?}");
    assert!(
        first.stdout.contains("Imported 20,000 rows into acme"),
        "{first:#?}"
    );
    assert!(
        first
            .stdout
            .contains("20,000 new, 0 updated, 0 unchanged, 0 skipped."),
        "{first:#?}"
    );
    let again = db
        .keel(&["import", "leads", path, "--workspace", "acme"])
        .ok();
    assert!(
        again.stdout.contains("0 new, 0 updated, 20,000 unchanged"),
        "{again:#?}"
    );
    assert_eq!(leads(&db).await, (20_000, 20_000));
}

#[tokio::test]
async fn a_bad_row_imports_nothing_unless_bad_rows_are_skipped() {
    let db = setup();
    let p = db.dir.join("bad.csv");
    std::fs::write(
        &p,
        "Record ID,Create Date,Lifecycle Stage\n1,2026-03-01,Lead\n2,2026-02-30,Lead\n3,2026-03-02,Lead\n",
    )
    .unwrap();
    let path = p.to_str().unwrap();
    let errors = db.dir.join("errors.csv");
    let run = db.keel(&[
        "import",
        "leads",
        path,
        "--errors",
        errors.to_str().unwrap(),
    ]);
    run.one_line_failure();
    assert!(
        run.stderr
            .contains("1 of 3 rows cannot be imported, so nothing was imported"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains(
            "line 3, column 'Create Date', value '2026-02-30': '2026-02-30' is not a date"
        ),
        "{run:#?}"
    );
    let listed = std::fs::read_to_string(&errors).unwrap();
    assert!(
        listed.starts_with("line,column,value,reason\n3,Create Date,2026-02-30,"),
        "{listed}"
    );
    assert_eq!(leads(&db).await, (0, 0));
    let skip = db.keel(&["import", "leads", path, "--skip-bad-rows"]).ok();
    assert!(
        skip.stdout
            .contains("Skipped rows:\n  line 3, column 'Create Date'"),
        "{skip:#?}"
    );
    assert!(
        skip.stdout
            .contains("2 new, 0 updated, 0 unchanged, 1 skipped."),
        "{skip:#?}"
    );
    assert_eq!(leads(&db).await, (2, 2));
}

#[test]
fn an_unclear_file_is_a_question_with_the_flag_that_answers_it() {
    let db = setup();
    let p = db.dir.join("dates.csv");
    std::fs::write(
        &p,
        "Record ID,Create Date,Lifecycle Stage\n1,03/04/2026,Lead\n",
    )
    .unwrap();
    let run = db.keel(&["import", "leads", p.to_str().unwrap()]);
    run.one_line_failure();
    assert!(
        run.stderr
            .contains("Run again with --dates us or --dates day-first."),
        "{run:#?}"
    );
    db.keel(&[
        "import",
        "leads",
        p.to_str().unwrap(),
        "--dates",
        "day-first",
    ])
    .ok();
    let q = db.dir.join("custom.csv");
    std::fs::write(&q, "Id,When\nx,2026-01-01\n").unwrap();
    let run = db.keel(&["import", "leads", q.to_str().unwrap()]);
    run.one_line_failure();
    assert!(run.stderr.contains("--map external_id=COLUMN"), "{run:#?}");
    let ok = db
        .keel(&[
            "import",
            "leads",
            q.to_str().unwrap(),
            "--map",
            "external_id=Id",
            "--map",
            "created=When",
            "--system",
            "pipedrive",
        ])
        .ok();
    assert!(ok.stdout.contains("1 new"), "{ok:#?}");
}

#[tokio::test]
async fn killing_the_import_half_way_leaves_the_leads_as_they_were() {
    let db = setup();
    let small = hubspot(&db, "small.csv", 100, 0);
    db.keel(&["import", "leads", small.to_str().unwrap()]).ok();
    let big = hubspot(&db, "big.csv", 300_000, 1_000_000);
    let mut child = Command::new(KEEL)
        .args(["import", "leads", big.to_str().unwrap()])
        .env("KEEL_DATABASE_URL", &db.url)
        .env("KEEL_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let store = Store::open(&db.url).await.unwrap();
    let ws = store
        .find_workspace_by_slug("acme")
        .await
        .unwrap()
        .unwrap()
        .id;
    let deadline = Instant::now() + Duration::from_secs(180);
    let import = loop {
        let imports = store.list_lead_imports(ws, 1).await.unwrap();
        if let Some(i) = imports.first().filter(|i| i.status == "staging") {
            if store.staged_rows(i.id).await.unwrap() >= 5_000 {
                break i.id;
            }
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import finished before it could be killed"
        );
        assert!(
            Instant::now() < deadline,
            "the import never started staging"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        store.staged_rows(import).await.unwrap() > 0,
        "it was killed while staging"
    );
    store.close().await;
    assert_eq!(
        leads(&db).await,
        (100, 100),
        "the killed import changed nothing"
    );
    // A later import goes through as usual.
    let again = db.keel(&["import", "leads", small.to_str().unwrap()]).ok();
    assert!(again.stdout.contains("100 unchanged"), "{again:#?}");
}
