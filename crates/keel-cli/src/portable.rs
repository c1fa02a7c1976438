//! `keel export`, `keel import-workspace` and `keel erase-person`: a workspace as one JSON
//! document, moved whole between servers and backends, and a person's personal data erased.

use crate::cli::{ErasePersonArgs, ExportArgs, ImportWorkspaceArgs};
use crate::failure::usage;
use crate::users::{find_user, find_workspace};
use anyhow::{Context, Result};
use keel_store::{Document, Store, StoreError};
use std::io::Write;
use std::process::ExitCode;

pub async fn export(store: &Store, args: ExportArgs) -> Result<ExitCode> {
    let ws = find_workspace(store, &args.workspace).await?;
    let doc = store
        .export_workspace(ws.id)
        .await
        .with_context(|| format!("cannot read the workspace {}", ws.slug))?;
    let bytes = doc.to_bytes();
    if args.file.as_os_str() == "-" {
        std::io::stdout().write_all(&bytes)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.file)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => usage(format!(
                "{} already exists: choose a new file name (keel never overwrites an export)",
                args.file.display()
            )),
            _ => anyhow::Error::new(e).context(format!("cannot write {}", args.file.display())),
        })?;
    file.write_all(&bytes)
        .and_then(|_| file.sync_all())
        .with_context(|| format!("cannot write {}", args.file.display()))?;
    let rows: usize = doc.tables.values().map(Vec::len).sum();
    println!(
        "Exported {} ({}) to {}: {rows} records, format {}, {} KiB.",
        ws.name,
        ws.slug,
        args.file.display(),
        doc.format,
        bytes.len().div_ceil(1024)
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn import(store: &Store, args: ImportWorkspaceArgs) -> Result<ExitCode> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let doc = Document::parse(&bytes).map_err(|m| {
        usage(format!(
            "{}: {m} Nothing was imported.",
            args.file.display()
        ))
    })?;
    let slug = args.slug.unwrap_or_else(|| doc.workspace.slug.clone());
    let name = args.name.unwrap_or_else(|| doc.workspace.name.clone());
    let owner = match args.owner.as_deref() {
        Some(email) => Some(find_user(store, email).await?.id),
        None => None,
    };
    let done = match store.import_workspace(&doc, &slug, &name, owner).await {
        Ok(done) => done,
        Err(StoreError::Conflict(m) | StoreError::Invalid(m)) => {
            return Err(usage(format!("{m} Nothing was imported.")));
        }
        Err(e) => {
            return Err(anyhow::Error::new(e).context("the import failed; nothing was imported"))
        }
    };
    println!(
        "Imported {} ({}): {} records, {} members.",
        done.workspace.name, done.workspace.slug, done.rows, done.members
    );
    if !done.users_missing.is_empty() {
        println!(
            "{} accounts of the file have no account here ({}): their history keeps its place with no author.",
            done.users_missing.len(),
            done.users_missing.join(", ")
        );
    }
    if done.members == 0 {
        println!(
            "It has no members yet: keel user add --email E --workspace {} --role owner",
            done.workspace.slug
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn erase(store: &Store, args: ErasePersonArgs) -> Result<ExitCode> {
    let ws = find_workspace(store, &args.workspace).await?;
    let people = store.list_people(ws.id).await?;
    let wanted = args.person.trim();
    let person = people
        .iter()
        .find(|p| {
            p.id.to_string() == wanted
                || p.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(wanted))
        })
        .ok_or_else(|| {
            usage(format!(
                "no person {wanted} in {} (give their id or email)",
                ws.slug
            ))
        })?;
    if !args.yes {
        return Err(usage(format!(
            "this erases {}'s personal data for good; run again with --yes to do it",
            person.name
        )));
    }
    let erased = store.erase_person(ws.id, person.id).await?;
    println!(
        "Erased {} (person {}): now \"{}\"; {} other records no longer name them.",
        person.name, person.id, erased.name, erased.texts
    );
    Ok(ExitCode::SUCCESS)
}
