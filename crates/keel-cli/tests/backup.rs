//! `keel backup` while writes go on, then `keel restore`: the restored database is one
//! consistent moment of the original, table by table. And the refusals: a newer schema, a
//! database that is not empty, a file that is not a backup, an existing backup file.

mod common;

use common::TempDb;
use keel_domain::{PersonDraft, PersonKind};
use keel_store::Store;
use sqlx::{Connection, Row, SqliteConnection};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const WRITERS: usize = 4;

fn writer_person(writer: usize, i: usize) -> PersonDraft {
    PersonDraft {
        name: format!("Writer {writer} #{i:05}"),
        kind: PersonKind::Internal,
        organization: None,
        title: Some("Load test".into()),
        email: None,
        weekly_capacity: 10.0,
        user_id: None,
    }
}

async fn open(path: &std::path::Path) -> SqliteConnection {
    SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap()
}

async fn tables(conn: &mut SqliteConnection, schema: &str) -> Vec<String> {
    sqlx::query_scalar(&format!(
        "SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ))
    .fetch_all(conn)
    .await
    .unwrap()
}

async fn columns(conn: &mut SqliteConnection, table: &str) -> Vec<String> {
    sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .fetch_all(conn)
        .await
        .unwrap()
}

async fn count(conn: &mut SqliteConnection, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(conn).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_restores_one_consistent_moment() {
    let db = TempDb::new();
    db.keel(&["demo", "--no-serve"]).ok();
    let store = Store::open(&db.url).await.unwrap();
    let ws = store
        .find_workspace_by_slug("northwind-demo")
        .await
        .unwrap()
        .unwrap()
        .id;
    let db_file = db.dir.join("keel.db");
    let mut conn = open(&db_file).await;
    let version_before: i64 =
        sqlx::query_scalar("SELECT data_version FROM workspaces WHERE id = $1")
            .bind(ws)
            .fetch_one(&mut conn)
            .await
            .unwrap();

    // Writers insert people as fast as the single writer connection lets them.
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (store, stop) = (store.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                store.create_person(ws, &writer_person(w, i)).await.unwrap();
                i += 1;
            }
            i
        }));
    }
    // Let them get going, back up while they write, let them go on a while after.
    while count(
        &mut conn,
        "SELECT count(*) FROM people WHERE name LIKE 'Writer %'",
    )
    .await
        < 200
    {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let backup = db.dir.join("backup.db");
    let file = backup.display().to_string();
    let url = db.url.clone();
    let run = tokio::task::spawn_blocking(move || common::keel(&url, &["backup", &file]))
        .await
        .unwrap()
        .ok();
    assert!(run.stdout.contains("Backed up to"), "{run:#?}");
    let at_backup_end = count(
        &mut conn,
        "SELECT count(*) FROM people WHERE name LIKE 'Writer %'",
    )
    .await;
    while count(
        &mut conn,
        "SELECT count(*) FROM people WHERE name LIKE 'Writer %'",
    )
    .await
        < at_backup_end + 200
    {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut written = 0;
    for w in writers {
        written += w.await.unwrap();
    }
    store.close().await;

    // Restore into a new database.
    let restored = TempDb::new();
    let run = restored
        .keel(&["restore", &backup.display().to_string()])
        .ok();
    assert!(run.stdout.contains("Restored"), "{run:#?}");

    let mut r = open(&restored.dir.join("keel.db")).await;
    assert_eq!(
        sqlx::query_scalar::<_, String>("PRAGMA integrity_check")
            .fetch_one(&mut r)
            .await
            .unwrap(),
        "ok"
    );
    assert!(sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut r)
        .await
        .unwrap()
        .is_empty());
    sqlx::query(&format!("ATTACH DATABASE '{}' AS src", db_file.display()))
        .execute(&mut r)
        .await
        .unwrap();

    // Every table: what was restored is what the original held (the writers only added
    // people, and each insert moved its workspace's data_version), and nothing else is missing.
    let names = tables(&mut r, "main").await;
    assert_eq!(names, tables(&mut r, "src").await, "the same tables");
    assert!(names.len() > 20, "{names:?}");
    let mut compared = 0;
    for t in &names {
        let cols = columns(&mut r, t).await;
        let cols: Vec<String> = if t == "workspaces" {
            cols.into_iter().filter(|c| c != "data_version").collect()
        } else {
            cols
        };
        let list = cols
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let extra = count(
            &mut r,
            &format!("SELECT count(*) FROM (SELECT {list} FROM main.\"{t}\" EXCEPT SELECT {list} FROM src.\"{t}\")"),
        )
        .await;
        assert_eq!(extra, 0, "{t}: restored rows that the original never held");
        let missing_filter = match t.as_str() {
            "people" => " WHERE name NOT LIKE 'Writer %'",
            // The audit log's entries of those people came with them (or not) in one moment.
            "audit_log" | "audit_recent" => {
                " WHERE NOT (record_type = 'people' AND after LIKE '%\"name\":\"Writer %')"
            }
            _ => "",
        };
        let missing = count(
            &mut r,
            &format!("SELECT count(*) FROM (SELECT {list} FROM src.\"{t}\"{missing_filter} EXCEPT SELECT {list} FROM main.\"{t}\")"),
        )
        .await;
        assert_eq!(
            missing, 0,
            "{t}: rows of the original missing from the restore"
        );
        compared += 1;
    }
    assert_eq!(compared, names.len());

    // Each person the backup holds came with its audit entry, and no entry without it.
    assert_eq!(
        count(&mut r, "SELECT count(*) FROM main.people WHERE name LIKE 'Writer %'").await,
        count(
            &mut r,
            "SELECT count(*) FROM (SELECT record_type, action, after FROM main.audit_log UNION ALL SELECT record_type, action, after FROM main.audit_recent)
             WHERE record_type = 'people' AND action = 'insert' AND after LIKE '%\"name\":\"Writer %'"
        )
        .await,
        "people and their audit entries were backed up as one moment"
    );
    // The backup caught the writers half-way, and as one moment: each writer's people are a
    // prefix of what it wrote, and the data version counts exactly the people it holds.
    let rows = sqlx::query("SELECT name FROM people WHERE name LIKE 'Writer %'")
        .fetch_all(&mut r)
        .await
        .unwrap();
    let in_backup = rows.len();
    assert!(
        in_backup >= 200 && in_backup < written,
        "the backup holds {in_backup} of {written} writes"
    );
    let mut per_writer: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for row in rows {
        let name: String = row.get(0);
        let (w, i) = name["Writer ".len()..].split_once(" #").unwrap();
        per_writer
            .entry(w.parse().unwrap())
            .or_default()
            .push(i.parse().unwrap());
    }
    for (w, mut seen) in per_writer {
        seen.sort();
        assert_eq!(seen, (0..seen.len()).collect::<Vec<_>>(), "writer {w}");
    }
    let version: i64 = sqlx::query_scalar("SELECT data_version FROM main.workspaces WHERE id = $1")
        .bind(ws)
        .fetch_one(&mut r)
        .await
        .unwrap();
    assert_eq!(version, version_before + in_backup as i64);

    // keel reads the restored database as it reads any other.
    let run = restored.keel(&["user", "list"]).ok();
    assert!(run.stdout.contains("demo@keel.local"), "{run:#?}");
}

#[tokio::test]
async fn a_restore_refuses_a_newer_schema_a_full_database_and_a_stranger_file() {
    let db = TempDb::new();
    db.keel(&["demo", "--no-serve"]).ok();
    let backup = db.dir.join("backup.db");
    let file = backup.display().to_string();
    db.keel(&["backup", &file]).ok();

    // The same name again: a backup is never overwritten.
    let run = db.keel(&["backup", &file]);
    run.one_line_failure();
    assert!(run.stderr.contains("already exists"), "{run:#?}");

    // Into a database that holds keel's tables.
    let full = TempDb::new();
    full.keel(&["migrate"]).ok();
    let run = full.keel(&["restore", &file]);
    run.one_line_failure();
    assert!(run.stderr.contains("not empty"), "{run:#?}");

    // A backup made by a newer keel: one migration more than this one knows.
    let newer = db.dir.join("newer.db");
    std::fs::copy(&backup, &newer).unwrap();
    let mut c = open(&newer).await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
         VALUES (99990101, 'from the future', CURRENT_TIMESTAMP, 1, x'00', 1)",
    )
    .execute(&mut c)
    .await
    .unwrap();
    c.close().await.unwrap();
    let target = TempDb::new();
    let run = target.keel(&["restore", &newer.display().to_string()]);
    run.one_line_failure();
    assert!(run.stderr.contains("newer than this keel"), "{run:#?}");
    assert!(run.stderr.contains("99990101"), "{run:#?}");
    assert!(
        !target.dir.join("keel.db").exists(),
        "a refused restore left a file"
    );
    assert_eq!(
        std::fs::read_dir(&target.dir).unwrap().count(),
        0,
        "a refused restore left something behind"
    );

    // A file that is not a keel backup.
    let stranger = db.dir.join("notes.txt");
    std::fs::write(&stranger, "not a database at all\n".repeat(100)).unwrap();
    let run = target.keel(&["restore", &stranger.display().to_string()]);
    run.one_line_failure();
    assert!(run.stderr.contains("not a keel backup"), "{run:#?}");

    // And the good one still restores there.
    let run = target.keel(&["restore", &file]).ok();
    assert!(run.stdout.contains("1 workspaces"), "{run:#?}");
}

#[test]
fn a_postgresql_backup_needs_the_server_to_answer() {
    let run = common::keel(
        "postgres://keel:secret@127.0.0.1:1/keel",
        &["backup", "/tmp/never-written.dump"],
    );
    run.one_line_failure();
    assert!(run.stderr.contains("cannot reach PostgreSQL"), "{run:#?}");
    assert!(!run.stderr.contains("secret"), "{run:#?}");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set KEEL_TEST_POSTGRES_URL and run with --include-ignored"]
async fn a_postgresql_backup_prints_the_pg_dump_command() {
    let Some(db) = keel_testkit::TestDb::postgres().await else {
        return;
    };
    let run = common::keel(&db.url, &["backup", "/tmp/keel backup.dump"]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(
        run.stdout
            .contains("pg_dump --format=custom --no-owner --file='/tmp/keel backup.dump'"),
        "{run:#?}"
    );
    assert!(run.stderr.contains("keel made no copy"), "{run:#?}");
    db.cleanup().await;
}
