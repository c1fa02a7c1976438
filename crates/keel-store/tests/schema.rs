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
/// lead staging rows and an import's row errors belong to their import, which has one (they
/// are read only through it).
#[tokio::test]
async fn every_table_of_workspace_data_has_its_workspace_id() {
    const OUTSIDE: [&str; 7] = [
        "users",
        "sessions",
        "password_resets", // an account's reset links, like its sessions
        "login_attempts",
        "workspaces",
        "lead_staging",
        "lead_import_errors",
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

// Rows that belong to another record of the workspace (they go when it goes: ON DELETE
// CASCADE) reference it together with the workspace, `(workspace_id, id)`: the database
// refuses a child attached to another workspace's record (ARCHITECTURE.md; issue 8,
// finding 14). A reference that is only cleared when its target goes (an owner, a linked
// metric) is checked by the domain's parsers against the workspace's records instead.
keel_testkit::each_backend!(
    rows_of_workspace_data_reference_their_parents_with_the_workspace,
    |db| {
        const SHARED: [&str; 3] = ["workspaces", "users", "sessions"];
        // Known gaps, from before this test: still single-column keys. SQLite can only change
        // keys by rebuilding a table, and rebuilding work_items would cascade into its
        // children; the store filters every query by workspace meanwhile. Shrink, never grow.
        const NOT_YET: [&str; 5] = [
            "calendar_feeds -> people [\"person_id\"]",
            "commitments -> people [\"person_id\"]",
            "commitments -> workflows [\"workflow_id\"]",
            "offer_channels -> channels [\"channel_id\"]",
            "work_items -> workflows [\"workflow_id\"]",
        ];
        let store = db.store().await;
        let columns = store.describe_schema().await.unwrap();
        let keys = store.describe_foreign_keys().await.unwrap();
        let scoped = |t: &str| columns.iter().any(|c| c.0 == t && c.1 == "workspace_id");
        let mut checked = 0;
        let mut loose = Vec::new();
        for (table, parent, cascade, cols) in &keys {
            if !cascade || !scoped(table) || SHARED.contains(&parent.as_str()) || !scoped(parent) {
                continue;
            }
            checked += 1;
            let key = format!("{table} -> {parent} {cols:?}");
            if !cols.iter().any(|c| c == "workspace_id") && !NOT_YET.contains(&key.as_str()) {
                loose.push(key);
            }
        }
        assert!(
            loose.is_empty(),
            "references without their workspace_id: {loose:#?}"
        );
        assert!(
            checked >= 5,
            "only {checked} keys between workspace tables: {keys:?}"
        );
        store.close().await;
        db.cleanup().await;
    }
);
