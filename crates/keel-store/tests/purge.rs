//! Purging expired sessions and stale sign-in counters, on SQLite and PostgreSQL.

use keel_store::{Backend, Store};
use keel_testkit::TestDb;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Runs a statement on the test database directly, to make records look old.
async fn sql(db: &TestDb, statement: &str) {
    match db.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query(statement).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query(statement).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

async fn sessions_and_counters_are_purged_when_dead(db: TestDb) {
    let store: Store = db.store().await;
    let backend = db.backend;
    let u = store
        .create_user("ana@acme.test", "Ana", "hash")
        .await
        .unwrap();
    for id in ["fresh", "idle", "old"] {
        store.create_session(id, u.id, "csrf").await.unwrap();
    }
    sql(
        &db,
        "UPDATE sessions SET last_seen_at = last_seen_at - 100 WHERE id_hash = 'idle'",
    )
    .await;
    sql(
        &db,
        "UPDATE sessions SET created_at = created_at - 1000 WHERE id_hash = 'old'",
    )
    .await;
    let t = now();
    assert_eq!(
        store.purge_sessions(t - 50, t - 500).await.unwrap(),
        2,
        "{backend:?}"
    );
    assert!(store.find_session("fresh", None).await.unwrap().is_some());
    assert!(store.find_session("idle", None).await.unwrap().is_none());
    assert!(store.find_session("old", None).await.unwrap().is_none());
    assert_eq!(store.purge_sessions(t - 50, t - 500).await.unwrap(), 0);

    store
        .count_login_attempt("acct:a", "addr:x", 900)
        .await
        .unwrap();
    store
        .count_login_attempt("acct:b", "addr:x", 900)
        .await
        .unwrap();
    sql(
        &db,
        "UPDATE login_attempts SET window_start = window_start - 1000 WHERE key = 'acct:a'",
    )
    .await;
    assert_eq!(
        store.purge_login_attempts(now() - 900).await.unwrap(),
        1,
        "{backend:?}"
    );
    assert_eq!(store.login_failures("acct:a", 900).await.unwrap(), 0);
    assert_eq!(store.login_failures("acct:b", 900).await.unwrap(), 1);
    assert_eq!(store.login_failures("addr:x", 900).await.unwrap(), 2);
    store.close().await;
    db.cleanup().await;
}

#[tokio::test]
async fn purging_on_sqlite() {
    sessions_and_counters_are_purged_when_dead(TestDb::sqlite().await).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set KEEL_TEST_POSTGRES_URL and run with --include-ignored"]
async fn purging_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        sessions_and_counters_are_purged_when_dead(db).await;
    }
}
