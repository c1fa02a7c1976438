//! Opening a Store from a URL: the scheme picks the backend; unknown schemes are refused.

use crate::{Db, Result, Store, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions as _, Connection as _};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub(crate) static SQLITE_MIGRATIONS: sqlx::migrate::Migrator =
    sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The file a `sqlite:` URL points at, if it names one.
pub fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// The URL without its password, to show or to put in a command line (the password then
/// comes from `PGPASSWORD` or `~/.pgpass`).
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let host_start = rest.find('/').unwrap_or(rest.len());
    match rest[..host_start].rfind('@') {
        Some(at) => {
            let user = &rest[..at];
            let user = user.split_once(':').map_or(user, |(u, _)| u);
            format!("{scheme}://{user}{}", &rest[at..])
        }
        None => url.to_string(),
    }
}

impl Store {
    /// Connects and runs pending migrations.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating (used by `keel migrate` to report what it does).
    pub async fn connect(url: &str) -> Result<Store> {
        let scheme = url.split(':').next().unwrap_or_default();
        let db = match scheme {
            "sqlite" => connect_sqlite(url).await?,
            "postgres" | "postgresql" => connect_postgres(url).await?,
            _ => {
                return Err(StoreError::Config(format!(
                    "unknown database URL scheme '{scheme}': use sqlite://path/to/keel.db or postgres://user@host/dbname"
                )))
            }
        };
        Ok(Store {
            db,
            audited: true,
            sessions: Default::default(),
        })
    }

    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite { writer, .. } => SQLITE_MIGRATIONS.run(writer).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        self.install_audit().await
    }
}

async fn connect_sqlite(url: &str) -> Result<Db> {
    let memory = url.contains(":memory:") || url.contains("mode=memory");
    let opts = SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::Config(format!("cannot read the SQLite URL {url}: {e}")))?
        .create_if_missing(true)
        .journal_mode(if memory {
            SqliteJournalMode::Memory
        } else {
            SqliteJournalMode::Wal
        })
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true)
        .pragma("cache_size", "-16000");
    let describe = |e: sqlx::Error| {
        let path = sqlite_path(url).unwrap_or(url);
        StoreError::Config(format!("cannot open the SQLite database file {path}: {e}"))
    };
    // No ping before each checkout: on a local file it only adds a round trip to the
    // connection's worker thread per query.
    let named = std::sync::Arc::new(std::sync::Mutex::new(None));
    let forget = named.clone();
    let writer = SqlitePoolOptions::new()
        .test_before_acquire(false)
        // Every write names its author through the connection's TEMP objects (audit.rs); a
        // new connection's name none yet.
        .after_connect(move |c, _| {
            if let Ok(mut n) = forget.lock() {
                *n = None;
            }
            crate::audit::prepare_sqlite(c)
        })
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(opts.clone())
        .await
        .map_err(describe)?;
    // An in-memory database exists once per connection, so readers must share the writer.
    let reader = if memory {
        writer.clone()
    } else {
        SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(4)
            .connect_with(opts)
            .await
            .map_err(describe)?
    };
    Ok(Db::Sqlite {
        writer,
        reader,
        named,
    })
}

async fn connect_postgres(url: &str) -> Result<Db> {
    let opts = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Config(format!("cannot read the PostgreSQL URL: {e}")))?;
    // One direct connection first: the pool's own error would only say it timed out.
    let probe = opts
        .connect()
        .await
        .map_err(|e| StoreError::Config(format!("cannot reach PostgreSQL: {e}")))?;
    let _ = probe.close().await;
    // No ping before each checkout (it doubled the round trips of every request); a
    // connection PostgreSQL has dropped fails one query and is then discarded by the pool,
    // and none is kept longer than `max_lifetime` anyway.
    let pool = PgPoolOptions::new()
        .test_before_acquire(false)
        .max_lifetime(Duration::from_secs(15 * 60))
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(opts)
        .await
        .map_err(|e| StoreError::Config(format!("cannot reach PostgreSQL: {e}")))?;
    Ok(Db::Postgres(pool))
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_left_out_of_urls() {
        use super::without_password as w;
        assert_eq!(
            w("postgres://ana:s3cr@t@db:5432/keel"),
            "postgres://ana@db:5432/keel"
        );
        assert_eq!(w("postgres://ana@db/keel"), "postgres://ana@db/keel");
        assert_eq!(
            w("postgres://db/keel?sslmode=require"),
            "postgres://db/keel?sslmode=require"
        );
        assert_eq!(w("sqlite://keel.db"), "sqlite://keel.db");
    }
}
