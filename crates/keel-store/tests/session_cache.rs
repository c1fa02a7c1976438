//! Two keel nodes on one database: a session lookup one node answers from memory follows what
//! the other node changes (role, membership, the workspace's data, the session itself). The
//! node that writes sees its own change at once; the other within moments, by notification,
//! well before an entry's time limit (10 s) would make it look right anyway. On SQLite there
//! is no memory and both hold at once.

use keel_domain::{PersonDraft, PersonKind, Role};
use keel_store::{Backend, Store};
use std::time::{Duration, Instant};

/// The role and data version `store` answers for session `s1` in workspace acme.
async fn seen(store: &Store) -> Option<(Option<Role>, i64)> {
    let (_, here) = store.find_session("s1", Some("acme")).await.unwrap()?;
    Some((
        here.as_ref().map(|h| h.role),
        here.map_or(-1, |h| h.workspace.data_version),
    ))
}

/// Waits up to 5 s for `store` to answer `want`.
async fn follows(store: &Store, want: Option<(Option<Role>, i64)>) {
    let start = Instant::now();
    loop {
        let got = seen(store).await;
        if got == want {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the other node still answers {got:?}, not {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn person(name: &str, user_id: Option<i64>) -> PersonDraft {
    PersonDraft {
        name: name.into(),
        kind: PersonKind::Internal,
        organization: None,
        title: None,
        email: None,
        weekly_capacity: 40.0,
        user_id,
    }
}

keel_testkit::each_backend!(two_nodes_follow_each_others_changes, |db| {
    let (a, b) = (db.store().await, db.store().await);
    a.cache_sessions().await.unwrap();
    b.cache_sessions().await.unwrap();
    assert_eq!(
        b.sessions_cached(),
        db.backend == Backend::Postgres,
        "only PostgreSQL nodes answer from memory"
    );
    let owner = a.create_user("o@x.test", "Olu", "h").await.unwrap();
    let ws = a
        .create_workspace("acme", "Acme", Some(owner.id))
        .await
        .unwrap();
    let u = a.create_user("ana@x.test", "Ana", "h").await.unwrap();
    a.add_member(ws.id, u.id, Role::Member).await.unwrap();
    a.create_session("s1", u.id, "c").await.unwrap();

    let before = seen(&b).await.unwrap();
    assert_eq!(before.0, Some(Role::Member));
    assert_eq!(seen(&b).await, Some(before), "asked twice, the same answer");
    assert_eq!(seen(&a).await, Some(before));
    if db.backend == Backend::Postgres {
        // Proof the answers come from memory: a change made with triggers off (so no node is
        // told) is seen by neither node.
        let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
        let mut c = pool.acquire().await.unwrap();
        sqlx::query("SET session_replication_role = replica")
            .execute(&mut *c)
            .await
            .unwrap();
        sqlx::query("UPDATE memberships SET role = 'owner' WHERE user_id = $1")
            .bind(u.id)
            .execute(&mut *c)
            .await
            .unwrap();
        drop(c);
        pool.close().await;
        assert_eq!(seen(&b).await, Some(before), "answered from memory");
        assert_eq!(seen(&a).await, Some(before), "answered from memory");
    }

    // A role change: the writing node at once, the other soon.
    a.add_member(ws.id, u.id, Role::Viewer).await.unwrap();
    let (role, version) = seen(&a).await.unwrap();
    assert_eq!(role, Some(Role::Viewer));
    follows(&b, Some((role, version))).await;

    // A model write bumps the data version the pages' model cache is keyed on.
    a.create_person(ws.id, &person("Ana", Some(u.id)))
        .await
        .unwrap();
    let now = seen(&a).await.unwrap();
    assert!(now.1 > version, "the data version moved on");
    follows(&b, Some(now)).await;

    // Written on the other node this time.
    b.add_member(ws.id, u.id, Role::Partner).await.unwrap();
    let now = seen(&b).await.unwrap();
    assert_eq!(now.0, Some(Role::Partner));
    follows(&a, Some(now)).await;

    // Signing out everywhere: neither node accepts the session any more.
    a.delete_sessions_for_user(u.id).await.unwrap();
    assert_eq!(seen(&a).await, None);
    follows(&b, None).await;
    db.cleanup().await;
});

keel_testkit::each_backend!(a_node_whose_listener_was_cut_catches_up, |db| {
    let (a, b) = (db.store().await, db.store().await);
    b.cache_sessions().await.unwrap();
    let owner = a.create_user("o@x.test", "Olu", "h").await.unwrap();
    let ws = a
        .create_workspace("acme", "Acme", Some(owner.id))
        .await
        .unwrap();
    a.create_session("s1", owner.id, "c").await.unwrap();
    let before = seen(&b).await.unwrap();
    if db.backend == Backend::Postgres {
        // The database ends the listener's connection, as a restart or a proxy would.
        let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
        let cut: Vec<(bool,)> = sqlx::query_as(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(cut.len(), 1, "one node listens");
        pool.close().await;
    }
    let u = a.create_user("ana@x.test", "Ana", "h").await.unwrap();
    a.create_person(ws.id, &person("Ana", Some(u.id)))
        .await
        .unwrap();
    let now = seen(&a).await.unwrap();
    assert!(now.1 > before.1);
    follows(&b, Some(now)).await;
    if db.backend == Backend::Postgres {
        // And it listens again: answers come from memory once more.
        let start = Instant::now();
        while !b.sessions_cached() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the listener never came back"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    db.cleanup().await;
});
