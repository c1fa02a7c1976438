//! Fresh databases for tests: a new SQLite file each time, and a new PostgreSQL database on
//! the server named by `KEEL_TEST_POSTGRES_URL` when it is set.
//!
//! Without that variable PostgreSQL tests are skipped with a loud message, unless
//! `KEEL_REQUIRE_ALL=1`, where a missing server fails the test (CI sets both).

use crate::{Backend, Store};
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
            eprintln!("\n*** SKIPPING PostgreSQL tests: set KEEL_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres ***\n");
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

    /// SQLite always, PostgreSQL when configured.
    pub async fn all() -> Vec<TestDb> {
        let mut v = vec![TestDb::sqlite().await];
        v.extend(TestDb::postgres().await);
        v
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
