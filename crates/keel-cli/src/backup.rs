//! `keel backup FILE` and `keel restore FILE`.
//!
//! SQLite: keel copies the database itself, consistently, while it serves (`VACUUM INTO` on a
//! read transaction), and restores a copy into an empty database after checking its schema is
//! not newer than this keel's. PostgreSQL: pg_dump and pg_restore do it better than keel
//! could; keel checks the server answers and prints the command, and makes no copy itself.

use crate::cli::{BackupArgs, RestoreArgs};
use crate::failure::usage;
use anyhow::{Context, Result};
use keel_store::{without_password, Backend, Store};
use std::process::ExitCode;

pub async fn backup(url: &str, args: BackupArgs) -> Result<ExitCode> {
    // Connect without migrating: a newer keel must not change the schema under the one
    // serving this database.
    let store = Store::connect(url).await?;
    let out = match store.backend() {
        Backend::Sqlite => {
            let started = std::time::Instant::now();
            let bytes = store
                .backup_sqlite(&args.file)
                .await
                .with_context(|| format!("backing up to {} failed", args.file.display()))?;
            let info = keel_store::inspect_sqlite_backup(&args.file).await?;
            println!(
                "Backed up to {} ({} KiB, {} workspaces, {} users, schema {}) in {:.1} s.",
                args.file.display(),
                bytes.div_ceil(1024),
                info.workspaces,
                info.users,
                info.schema_version,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Backend::Postgres => {
            println!("PostgreSQL answers. Back it up with pg_dump (the password comes from PGPASSWORD or ~/.pgpass):");
            println!();
            println!(
                "  pg_dump --format=custom --no-owner --file={} '{}'",
                shell_word(&args.file.display().to_string()),
                without_password(url)
            );
            println!();
            println!("pg_dump takes a consistent snapshot while keel serves.");
            Err(usage(
                "keel made no copy of a PostgreSQL database: run the pg_dump command above",
            ))
        }
    };
    store.close().await;
    out
}

pub async fn restore(url: &str, args: RestoreArgs) -> Result<ExitCode> {
    if url.starts_with("postgres") {
        let store = Store::connect(url).await?;
        let empty = store.require_empty().await;
        store.close().await;
        empty?;
        println!("The database is empty. Restore a pg_dump backup into it with pg_restore:");
        println!();
        println!(
            "  pg_restore --no-owner --exit-on-error --dbname='{}' {}",
            without_password(url),
            shell_word(&args.file.display().to_string())
        );
        println!();
        println!("then start keel: it refuses a schema newer than its own.");
        return Err(usage(
            "keel restores SQLite backups only: run the pg_restore command above",
        ));
    }
    let info = keel_store::restore_sqlite(&args.file, url).await?;
    println!(
        "Restored {} ({} workspaces, {} users) into {}.",
        args.file.display(),
        info.workspaces,
        info.users,
        keel_store::sqlite_path(url).unwrap_or(url)
    );
    if info.behind_by > 0 {
        println!(
            "The backup's schema was {} migration(s) behind this keel; it is up to date now.",
            info.behind_by
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A path as one shell word.
fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
