//! The `keel` binary: serve, demo, migrate, workspace, user, token, check and import.
//!
//! Every failure ends in one line "keel: <cause>" on stderr (see `failure`); commands return
//! errors with context instead of printing them.

mod backup;
mod check;
mod cli;
mod demo;
mod demo_fit;
mod demo_leads;
mod demo_load;
mod demo_metrics;
mod demo_review_bench;
mod demo_reviews;
mod demo_stack;
mod demo_strategy;
mod demo_strategy_bench;
mod demo_webhooks;
mod demo_work;
mod digest;
mod failure;
mod import;
mod portable;
mod serve;
mod tokens;
mod users;
mod workspaces;

use anyhow::Result;
use clap::Parser;
use cli::{Cli, Command};
use failure::usage;
use keel_store::{sqlite_path, Backend, Store, StoreError};
use std::io::IsTerminal;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    failure::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return failure::clap_error(e),
    };
    if let Err(e) = init_logging(cli.log_format) {
        return failure::report(&e);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return failure::report(&anyhow::Error::new(e).context("cannot start")),
    };
    // What a command changes is audited as the keel command's (requests `keel serve` answers
    // run in their own scope, with the caller as author).
    let actor = keel_store::Actor::cli();
    match runtime.block_on(keel_store::audit::scope(actor, run(cli))) {
        Ok(code) => code,
        Err(e) => failure::report(&e),
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    let url = cli.database_url.trim();
    // `migrate` connects without migrating first, to report what it does.
    // `backup` and `restore` neither migrate: one reads a database another keel may serve,
    // the other needs an empty one.
    let command = match cli.command {
        Command::Migrate => return migrate(url).await,
        Command::Backup(args) => return backup::backup(url, args).await,
        Command::Restore(args) => return backup::restore(url, args).await,
        other => other,
    };
    let store = open_store(url).await?;
    let out = match command {
        Command::Serve(args) => serve::run(&store, args).await,
        Command::Demo(args) => demo::run(&store, args).await,
        Command::Migrate => migrate(url).await,
        Command::Workspace(c) => workspaces::run(&store, c).await,
        Command::User(c) => users::run(&store, c).await,
        Command::Token(c) => tokens::run(&store, c).await,
        Command::Check(args) => check::run(&store, args).await,
        Command::Digest(c) => digest::run(&store, c).await,
        Command::Import(cli::ImportCommand::Leads(args)) => import::leads(&store, args).await,
        Command::Backup(args) => backup::backup(url, args).await,
        Command::Restore(args) => backup::restore(url, args).await,
        Command::Export(args) => portable::export(&store, args).await,
        Command::ImportWorkspace(args) => portable::import(&store, args).await,
        Command::ErasePerson(args) => portable::erase(&store, args).await,
    };
    store.close().await;
    out
}

/// Log lines go to stderr, filtered by KEEL_LOG; stdout carries only what commands print.
fn init_logging(format: cli::LogFormat) -> Result<()> {
    let filter = match std::env::var("KEEL_LOG") {
        Ok(v) if !v.trim().is_empty() => EnvFilter::try_new(v.trim()).map_err(|e| {
            usage(format!(
                "KEEL_LOG is not a valid log filter ({e}); try KEEL_LOG=info or KEEL_LOG=debug,sqlx=warn"
            ))
        })?,
        _ => EnvFilter::new("info,sqlx=warn"),
    };
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        cli::LogFormat::Text => fmt.with_ansi(std::io::stderr().is_terminal()).init(),
        // One object a line; the request's span (its id, method and path) is in "span".
        cli::LogFormat::Json => fmt
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
    Ok(())
}

/// Connects and migrates. A `StoreError::Config` already names the cause in plain words
/// (unknown scheme, unreachable server, unwritable file), so it is passed on as it is.
pub async fn open_store(url: &str) -> Result<Store> {
    Store::open(url).await.map_err(open_error)
}

fn open_error(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Config(_) => e.into(),
        other => anyhow::Error::new(other).context("cannot prepare the database"),
    }
}

/// A description of the database that never shows a password.
fn describe_database(store: &Store, url: &str) -> String {
    match store.backend() {
        Backend::Sqlite => match sqlite_path(url) {
            Some(path) => format!("SQLite ({path})"),
            None => "SQLite (in memory)".into(),
        },
        Backend::Postgres => "PostgreSQL".into(),
    }
}

async fn migrate(url: &str) -> Result<ExitCode> {
    let store = Store::connect(url).await.map_err(open_error)?;
    println!("Database: {}", describe_database(&store, url));
    let migrated = store.migrate().await;
    store.close().await;
    migrated.map_err(open_error)?;
    println!("Schema is up to date.");
    Ok(ExitCode::SUCCESS)
}
