//! Test helpers for keel's crates, used only as a dev-dependency: the keel binary never
//! contains them.
//!
//! Fresh databases for tests: a new SQLite file each time, and a new PostgreSQL database on
//! the server named by `KEEL_TEST_POSTGRES_URL`. [`each_backend!`] turns one test body into
//! one test per backend, so the test summary tells which backend ran:
//!
//! - `name::sqlite` always runs;
//! - `name::postgres` is `#[ignore = "needs PostgreSQL ..."]`: plain `cargo test` lists it as
//!   ignored; `cargo test -- --include-ignored` (README, `.ci/run`) runs it. Run that way
//!   without `KEEL_TEST_POSTGRES_URL`, it prints a loud `*** SKIPPED` line, unless
//!   `KEEL_REQUIRE_ALL=1` (CI), where a missing server fails it with the reason.

use keel_store::{Backend, Store};
use sqlx::Connection;
use std::path::PathBuf;

pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    admin: Option<(String, String)>,
    dir: Option<PathBuf>,
}

pub fn require_all() -> bool {
    std::env::var("KEEL_REQUIRE_ALL").is_ok_and(|v| v == "1")
}

/// Says loudly that a test did not run, for `reason`. Written to the process's stderr
/// itself, not through `eprintln!`, which the test harness captures and hides for a test
/// that passes.
pub fn skipped(reason: &str) {
    use std::io::Write;
    let name = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(
        std::io::stderr(),
        "\n*** SKIPPED {name}: {reason} (KEEL_REQUIRE_ALL=1 makes this a failure) ***"
    );
}

fn unique_name() -> String {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).expect("random bytes");
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("keel_test_{}_{hex}", std::process::id())
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(unique_name());
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}", dir.join("keel.db").display());
        TestDb {
            url,
            backend: Backend::Sqlite,
            admin: None,
            dir: Some(dir),
        }
    }

    /// A fresh PostgreSQL database, or `None` (after saying so) when no server is configured.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin) = std::env::var("KEEL_TEST_POSTGRES_URL") else {
            if require_all() {
                panic!("KEEL_REQUIRE_ALL=1 but KEEL_TEST_POSTGRES_URL is not set: PostgreSQL tests cannot run");
            }
            skipped("needs PostgreSQL: set KEEL_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres");
            return None;
        };
        let name = unique_name();
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("cannot reach KEEL_TEST_POSTGRES_URL ({admin}): {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let _ = conn.close().await;
        let url = replace_db_name(&admin, &name);
        Some(TestDb {
            url,
            backend: Backend::Postgres,
            admin: Some((admin, name)),
            dir: None,
        })
    }

    pub async fn store(&self) -> Store {
        Store::open(&self.url).await.expect("open test store")
    }

    /// Removes the database; call it at the end of a test (a failed test leaves it to look at).
    pub async fn cleanup(self) {
        if let Some((admin, name)) = &self.admin {
            if let Ok(mut conn) = sqlx::PgConnection::connect(admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            }
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// One test per backend from one body: `each_backend!(name, |db| { ... })` defines
/// `mod name { async fn run(db: TestDb) {...} sqlite() postgres() }`. The body sees the
/// enclosing module's items (`use super::*`). The PostgreSQL variant is ignored by default
/// (see the crate documentation for what `--include-ignored` does without a server).
#[macro_export]
macro_rules! each_backend {
    ($(#[$meta:meta])* $name:ident, |$db:ident| $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($db: $crate::TestDb) $body

            #[tokio::test]
            async fn sqlite() {
                run($crate::TestDb::sqlite().await).await
            }

            #[tokio::test]
            #[ignore = "needs PostgreSQL: set KEEL_TEST_POSTGRES_URL and run with --include-ignored"]
            async fn postgres() {
                if let Some(db) = $crate::TestDb::postgres().await {
                    run(db).await
                }
            }
        }
    };
}

/// `postgres://u@h:5432/postgres?x=y` with the database name replaced.
fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            super::replace_db_name("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            super::replace_db_name("postgres://u@h", "x"),
            "postgres://u@h/x"
        );
        assert_eq!(
            super::replace_db_name("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}
