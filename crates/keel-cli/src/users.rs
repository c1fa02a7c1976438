//! `keel user`: accounts, passwords and workspace memberships.

use crate::cli::UserCommand;
use crate::failure::usage;
use anyhow::{Context, Result};
use keel_domain::{text, Role};
use keel_store::{Store, User, Workspace};
use keel_web::auth::{password, reset, secret};
use std::process::ExitCode;

pub async fn run(store: &Store, command: UserCommand) -> Result<ExitCode> {
    match command {
        UserCommand::Create {
            email,
            name,
            password,
        } => create(store, &email, &name, password).await,
        UserCommand::ResetPassword { email, password } => {
            reset_password(store, &email, password).await
        }
        UserCommand::ResetLink { email, public_url } => {
            reset_link(store, &email, public_url.origin()).await
        }
        UserCommand::List => list(store).await,
        UserCommand::Add {
            email,
            workspace,
            role,
        } => add(store, &email, &workspace, role).await,
    }?;
    Ok(ExitCode::SUCCESS)
}

/// A password the operator gave, checked; or a generated one (`true`: print it once).
fn choose_password(given: Option<String>) -> Result<(String, bool)> {
    match given {
        Some(p) => {
            let p = text::password(&p).map_err(|m| usage(format!("unusable password: {m}")))?;
            Ok((p, false))
        }
        None => Ok((generate_password(), true)),
    }
}

/// 80 random bits as four groups of five hex digits: easy to copy, hard to guess.
pub fn generate_password() -> String {
    let raw = secret::generate();
    raw.as_bytes()[..20]
        .chunks(5)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

async fn create(store: &Store, email: &str, name: &str, given: Option<String>) -> Result<()> {
    let (pw, generated) = choose_password(given)?;
    if store.find_user_by_email(email).await?.is_some() {
        return Err(anyhow::anyhow!(
            "an account for {email} already exists (use `keel user reset-password` to change its password)"
        ));
    }
    let user = store
        .create_user(email, name, &password::hash(&pw))
        .await
        .with_context(|| format!("cannot create the account for {email}"))?;
    println!(
        "Created account {} for {} (id {}).",
        user.email, user.name, user.id
    );
    if generated {
        print_generated(&pw);
    }
    println!(
        "Add it to a workspace with: keel user add --email {email} --workspace SLUG --role member"
    );
    Ok(())
}

async fn reset_password(store: &Store, email: &str, given: Option<String>) -> Result<()> {
    let user = find_user(store, email).await?;
    let (pw, generated) = choose_password(given)?;
    store
        .set_password(user.id, &password::hash(&pw))
        .await
        .with_context(|| format!("cannot set the password of {email}"))?;
    println!("New password set for {email}; the account is signed out everywhere.");
    if generated {
        print_generated(&pw);
    }
    Ok(())
}

async fn reset_link(store: &Store, email: &str, origin: &str) -> Result<()> {
    let user = find_user(store, email).await?;
    let ttl = keel_web::Config::default().reset_ttl_secs;
    let link = reset::new_link(store, origin, ttl, &user)
        .await
        .with_context(|| format!("cannot make a reset link for {email}"))?;
    println!(
        "Link to set a new password for {email} (works once, for {} minutes; pass it on securely):",
        ttl / 60
    );
    println!("{link}");
    Ok(())
}

fn print_generated(pw: &str) {
    println!("Password (shown only this once, pass it on securely): {pw}");
}

async fn list(store: &Store) -> Result<()> {
    let users = store.list_users().await?;
    if users.is_empty() {
        println!("No accounts yet. Create one with: keel user create --email E --name N");
        return Ok(());
    }
    let width = users.iter().map(|u| u.email.len()).max().unwrap_or(0);
    for u in users {
        let memberships = store.workspaces_of(u.id).await?;
        let places = if memberships.is_empty() {
            "no workspace".to_string()
        } else {
            memberships
                .iter()
                .map(|(w, r)| format!("{} ({r})", w.slug))
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!("{:>5}  {:width$}  {}  [{places}]", u.id, u.email, u.name);
    }
    Ok(())
}

async fn add(store: &Store, email: &str, slug: &str, role: Role) -> Result<()> {
    let user = find_user(store, email).await?;
    let ws = find_workspace(store, slug).await?;
    let before = store.find_member(ws.id, user.id).await?;
    if role != Role::Owner {
        if let Some(m) = &before {
            if m.role == Role::Owner {
                let owners = store
                    .list_members(ws.id)
                    .await?
                    .into_iter()
                    .filter(|m| m.role == Role::Owner)
                    .count();
                if owners <= 1 {
                    return Err(usage(format!(
                        "{email} is the last owner of {slug}; make someone else owner first"
                    )));
                }
            }
        }
    }
    store
        .add_member(ws.id, user.id, role)
        .await
        .with_context(|| format!("cannot add {email} to {slug}"))?;
    match before {
        Some(m) if m.role == role => println!("{email} already is {role} in {slug}."),
        Some(m) => println!("{email} is now {role} in {slug} (was {}).", m.role),
        None => println!("Added {email} to {slug} as {role}."),
    }
    Ok(())
}

pub async fn find_user(store: &Store, email: &str) -> Result<User> {
    store.find_user_by_email(email).await?.ok_or_else(|| {
        usage(format!(
            "no account for {email} (see `keel user list`, or create it with `keel user create`)"
        ))
    })
}

pub async fn find_workspace(store: &Store, slug: &str) -> Result<Workspace> {
    store.find_workspace_by_slug(slug).await?.ok_or_else(|| {
        usage(format!(
            "no workspace named {slug} (see `keel workspace list`)"
        ))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_passwords_are_long_enough_and_differ() {
        let a = super::generate_password();
        assert_eq!(a.len(), 23);
        assert!(keel_domain::text::password(&a).is_ok());
        assert_ne!(a, super::generate_password());
    }
}
