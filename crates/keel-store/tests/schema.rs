//! The SQLite and PostgreSQL migrations must describe the same schema.

use keel_testkit::TestDb;

#[tokio::test]
#[ignore = "needs PostgreSQL: set KEEL_TEST_POSTGRES_URL and run with --include-ignored"]
async fn sqlite_and_postgres_schemas_do_not_drift() {
    let sqlite = TestDb::sqlite().await;
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let (s, p) = (sqlite.store().await, pg.store().await);
    let (a, b) = (
        s.describe_schema().await.unwrap(),
        p.describe_schema().await.unwrap(),
    );
    assert!(a.len() > 40, "the schema should have been described: {a:?}");
    let only_sqlite: Vec<_> = a.iter().filter(|c| !b.contains(c)).collect();
    let only_pg: Vec<_> = b.iter().filter(|c| !a.contains(c)).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:?}\nonly in PostgreSQL: {only_pg:?}"
    );
    s.close().await;
    p.close().await;
    sqlite.cleanup().await;
    pg.cleanup().await;
}

/// Every table of workspace data carries its `workspace_id` (ARCHITECTURE.md); only the
/// tables of accounts, sign-ins and workspaces themselves stand outside any workspace, and
/// lead staging rows belong to their import, which has one.
#[tokio::test]
async fn every_table_of_workspace_data_has_its_workspace_id() {
    const OUTSIDE: [&str; 5] = [
        "users",
        "sessions",
        "login_attempts",
        "workspaces",
        "lead_staging",
    ];
    let db = TestDb::sqlite().await;
    let store = db.store().await;
    let columns = store.describe_schema().await.unwrap();
    let mut tables: Vec<&str> = columns.iter().map(|c| c.0.as_str()).collect();
    tables.dedup();
    assert!(tables.len() > 15, "{tables:?}");
    for t in tables.iter().filter(|t| !OUTSIDE.contains(t)) {
        assert!(
            columns.iter().any(|c| c.0 == *t && c.1 == "workspace_id"),
            "{t} has no workspace_id"
        );
    }
    store.close().await;
    db.cleanup().await;
}
