//! Backups of a SQLite database while keel serves it, and restoring one into an empty
//! database. PostgreSQL has its own tools (pg_dump, pg_restore); keel only checks the server
//! and says the command.
//!
//! A backup is `VACUUM INTO` on a reader connection: SQLite writes the database as one read
//! transaction sees it, so the copy is consistent however many writes run meanwhile (WAL lets
//! them go on), and compact. A restore refuses a backup whose schema is newer than this keel
//! (a migration it does not know, or one it knows with other contents), checks the file, and
//! copies it into place in one rename, so a failed restore leaves no half database behind.

use crate::connect::SQLITE_MIGRATIONS;
use crate::{sqlite_path, Db, Result, Store, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions as _, Connection as _};
use std::path::{Path, PathBuf};

/// What a backup file holds, as far as a restore needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// The highest migration applied in the backup.
    pub schema_version: i64,
    /// Migrations this keel has that the backup lacks; a restore applies them.
    pub behind_by: usize,
    pub workspaces: i64,
    pub users: i64,
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `dest`, which must not exist.
    pub async fn backup_sqlite(&self, dest: &Path) -> Result<u64> {
        let Db::Sqlite { reader, .. } = &self.db else {
            return Err(StoreError::Config(
                "keel backs up SQLite databases only; use pg_dump for PostgreSQL".into(),
            ));
        };
        if dest.exists() {
            return Err(StoreError::Config(format!(
                "{} already exists: choose a new file name (keel never overwrites a backup)",
                dest.display()
            )));
        }
        let target = dest
            .to_str()
            .ok_or_else(|| StoreError::Config(format!("{} is not a UTF-8 path", dest.display())))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(reader)
            .await
            .map_err(|e| {
                StoreError::Config(format!("cannot write the backup {}: {e}", dest.display()))
            })?;
        let size = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
        Ok(size)
    }

    /// Whether the database holds any table at all (a restore goes only into an empty one).
    async fn has_tables(&self) -> Result<bool> {
        let n: i64 = match &self.db {
            Db::Sqlite { reader, .. } => {
                sqlx::query_scalar(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                )
                .fetch_one(reader)
                .await?
            }
            Db::Postgres(p) => {
                sqlx::query_scalar(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                )
                .fetch_one(p)
                .await?
            }
        };
        Ok(n > 0)
    }

    /// Refuses unless this database has no tables at all.
    pub async fn require_empty(&self) -> Result<()> {
        if self.has_tables().await? {
            return Err(StoreError::Config(
                "the database to restore into is not empty: restore into a new file or an empty database"
                    .into(),
            ));
        }
        Ok(())
    }
}

async fn open_read_only(path: &Path) -> Result<SqliteConnection> {
    if !path.is_file() {
        return Err(StoreError::Config(format!(
            "{} is not a file",
            path.display()
        )));
    }
    SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .map_err(|e| StoreError::Config(format!("cannot open {}: {e}", path.display())))
}

/// Checks a backup file: a SQLite database, intact, made by keel, with no migration this keel
/// does not know.
pub async fn inspect_sqlite_backup(path: &Path) -> Result<BackupInfo> {
    let mut conn = open_read_only(path).await?;
    let not_keel = |why: String| {
        StoreError::Config(format!("{} is not a keel backup ({why})", path.display()))
    };
    let check: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| not_keel(format!("not a SQLite database: {e}")))?;
    if check != "ok" {
        return Err(StoreError::Config(format!(
            "{} is damaged ({check}); use another backup",
            path.display()
        )));
    }
    let applied: Vec<(i64, String, Vec<u8>, bool)> = sqlx::query_as(
        "SELECT version, description, checksum, success FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(|_| not_keel("it has no record of keel's migrations".into()))?;
    let known: Vec<_> = SQLITE_MIGRATIONS.iter().collect();
    for (version, description, checksum, success) in &applied {
        let Some(ours) = known.iter().find(|m| m.version == *version) else {
            return Err(StoreError::Config(format!(
                "the backup's schema is newer than this keel: it has migration {version} ({description}), \
                 which this keel does not know. Restore it with the keel version that made it, or a newer one"
            )));
        };
        if ours.checksum.as_ref() != checksum.as_slice() {
            return Err(StoreError::Config(format!(
                "the backup's migration {version} ({description}) differs from this keel's: \
                 it was made by another build of keel; restore it with that build"
            )));
        }
        if !success {
            return Err(not_keel(format!("its migration {version} did not finish")));
        }
    }
    let Some(schema_version) = applied.last().map(|a| a.0) else {
        return Err(not_keel("no migration was ever applied to it".into()));
    };
    let behind_by = known
        .iter()
        .filter(|m| !applied.iter().any(|a| a.0 == m.version))
        .count();
    let workspaces = sqlx::query_scalar("SELECT count(*) FROM workspaces")
        .fetch_one(&mut conn)
        .await?;
    let users = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    Ok(BackupInfo {
        schema_version,
        behind_by,
        workspaces,
        users,
    })
}

/// Restores a SQLite backup to the SQLite database at `target_url`, which must be missing or
/// hold no table; then brings its schema up to date. Nothing is left at the target if any
/// step fails before the final rename.
pub async fn restore_sqlite(backup: &Path, target_url: &str) -> Result<BackupInfo> {
    let info = inspect_sqlite_backup(backup).await?;
    let target = PathBuf::from(sqlite_path(target_url).ok_or_else(|| {
        StoreError::Config(
            "restore needs a database file: --database-url sqlite://path/to/keel.db".into(),
        )
    })?);
    if target.exists() {
        let existing = Store::connect(target_url).await?;
        let empty = existing.require_empty().await;
        existing.close().await;
        empty?;
    }
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("keel.db");
    let staging = dir.join(format!(".{name}.restoring-{}", std::process::id()));
    let _ = std::fs::remove_file(&staging);
    let copied = async {
        let mut conn = open_read_only(backup).await?;
        let to = staging.to_str().ok_or_else(|| {
            StoreError::Config(format!("{} is not a UTF-8 path", staging.display()))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(to)
            .execute(&mut conn)
            .await
            .map_err(|e| StoreError::Config(format!("cannot write into {}: {e}", dir.display())))?;
        conn.close().await?;
        Ok::<_, StoreError>(())
    }
    .await;
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&staging);
        return Err(e);
    }
    // An empty target may have its WAL files beside it; they belong to the old, empty file.
    for suffix in ["-wal", "-shm"] {
        let mut side = target.clone().into_os_string();
        side.push(suffix);
        let _ = std::fs::remove_file(side);
    }
    std::fs::rename(&staging, &target).map_err(|e| {
        let _ = std::fs::remove_file(&staging);
        StoreError::Config(format!(
            "cannot put the restored database at {}: {e}",
            target.display()
        ))
    })?;
    let store = Store::open(target_url).await?;
    store.close().await;
    Ok(info)
}
