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
