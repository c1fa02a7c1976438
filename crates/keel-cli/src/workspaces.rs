//! `keel workspace`: create and list workspaces.

use crate::cli::WorkspaceCommand;
use crate::users::find_user;
use anyhow::{Context, Result};
use keel_store::Store;
use std::process::ExitCode;

pub async fn run(store: &Store, command: WorkspaceCommand) -> Result<ExitCode> {
    match command {
        WorkspaceCommand::Create { slug, name, owner } => {
            create(store, &slug, &name, owner.as_deref()).await
        }
        WorkspaceCommand::List => list(store).await,
    }?;
    Ok(ExitCode::SUCCESS)
}

async fn create(store: &Store, slug: &str, name: &str, owner: Option<&str>) -> Result<()> {
    let owner = match owner {
        Some(email) => Some(find_user(store, email).await?),
        None => None,
    };
    let ws = store
        .create_workspace(slug, name, owner.as_ref().map(|u| u.id))
        .await
        .with_context(|| format!("cannot create the workspace {slug}"))?;
    let functions = store.list_functions(ws.id).await?.len();
    println!(
        "Created workspace {} ({}) with {functions} functions to own.",
        ws.name, ws.slug
    );
    match owner {
        Some(u) => println!("{} is its owner.", u.email),
        None => println!(
            "It has no members yet: keel user add --email E --workspace {} --role owner",
            ws.slug
        ),
    }
    Ok(())
}

async fn list(store: &Store) -> Result<()> {
    let all = store.list_workspaces().await?;
    if all.is_empty() {
        println!("No workspaces yet. Create one with: keel workspace create --slug S --name N");
        return Ok(());
    }
    let width = all.iter().map(|w| w.slug.len()).max().unwrap_or(0);
    for w in all {
        let members = store.list_members(w.id).await?.len();
        let s = if members == 1 { "" } else { "s" };
        println!("{:width$}  {}  ({members} member{s})", w.slug, w.name);
    }
    Ok(())
}
