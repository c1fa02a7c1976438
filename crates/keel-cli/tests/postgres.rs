//! Several keel nodes on one PostgreSQL database: a session started on one node is honoured
//! by the other, and a session ended elsewhere is honoured by neither, though both answer
//! session lookups from memory. Skipped (loudly) without KEEL_TEST_POSTGRES_URL, unless KEEL_REQUIRE_ALL=1.

mod common;

use common::{get_with_session, keel, sign_in, Server};
use keel_testkit::TestDb;

#[tokio::test]
#[ignore = "needs PostgreSQL: set KEEL_TEST_POSTGRES_URL and run with --include-ignored"]
async fn two_keel_nodes_on_one_postgresql_database_share_sign_ins() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    keel(
        &db.url,
        &[
            "user",
            "create",
            "--email",
            "ana@acme.com",
            "--name",
            "Ana Lima",
            "--password",
            "correct horse battery",
        ],
    )
    .ok();
    keel(
        &db.url,
        &[
            "workspace",
            "create",
            "--slug",
            "acme",
            "--name",
            "Acme Corp",
            "--owner",
            "ana@acme.com",
        ],
    )
    .ok();

    let one = Server::start(&db.url, &["serve", "--bind", "127.0.0.1:0"]);
    let two = Server::start(&db.url, &["serve", "--bind", "127.0.0.1:0"]);
    assert_ne!(one.base, two.base);

    let session = sign_in(&one.base, "ana@acme.com", "correct horse battery").await;
    let (status, body) = get_with_session(&format!("{}/w/acme", two.base), &session).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Ana Lima"), "{body}");
    // Asked again: both nodes now answer this session from memory.
    for node in [&one, &two] {
        let (status, _) = get_with_session(&format!("{}/w/acme", node.base), &session).await;
        assert_eq!(status, 200);
    }

    // A third process (an operator's CLI) signs Ana out everywhere: neither node may go on
    // honouring the session it remembers (told by PostgreSQL's notification, in moments;
    // the memory's own limit is 10 s).
    keel(
        &db.url,
        &[
            "user",
            "reset-password",
            "--email",
            "ana@acme.com",
            "--password",
            "another long password",
        ],
    )
    .ok();
    for node in [&one, &two] {
        let start = std::time::Instant::now();
        loop {
            let (status, _) = get_with_session(&format!("{}/w/acme", node.base), &session).await;
            if status != 200 {
                assert_eq!(status, 303, "sent to sign in");
                break;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(5),
                "{} still honours a session that was ended",
                node.base
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    drop(one);
    drop(two);
    db.cleanup().await;
}
