//! `keel token`: API tokens for scripts. The secret is shown once; keel keeps its digest.

use crate::cli::TokenCommand;
use crate::failure::usage;
use crate::users::{find_user, find_workspace};
use anyhow::{Context, Result};
use keel_domain::Role;
use keel_store::{Store, StoreError};
use keel_web::auth::secret;
use std::process::ExitCode;

pub async fn run(store: &Store, command: TokenCommand) -> Result<ExitCode> {
    match command {
        TokenCommand::Create {
            workspace,
            email,
            role,
            name,
        } => create(store, &workspace, &email, role, &name).await,
        TokenCommand::Revoke { workspace, id } => revoke(store, &workspace, id).await,
        TokenCommand::List { workspace } => list(store, &workspace).await,
    }?;
    Ok(ExitCode::SUCCESS)
}

async fn create(store: &Store, slug: &str, email: &str, role: Role, name: &str) -> Result<()> {
    let ws = find_workspace(store, slug).await?;
    let user = find_user(store, email).await?;
    let member = store.find_member(ws.id, user.id).await?.ok_or_else(|| {
        usage(format!(
            "{email} is not a member of {slug} (add it first with `keel user add`)"
        ))
    })?;
    if role > member.role {
        return Err(usage(format!(
            "{email} is {} in {slug}, so a token acting for them cannot be {role}; choose --role {} or lower",
            member.role, member.role
        )));
    }
    let token = secret::generate_token();
    let t = store
        .create_token(ws.id, user.id, name, &secret::digest(&token), role)
        .await
        .context("cannot create the token")?;
    println!(
        "Token {} \"{}\" acts for {email} in {slug} as {role}. Copy it now, keel shows it only once:",
        t.id, t.name
    );
    println!("{token}");
    Ok(())
}

async fn revoke(store: &Store, slug: &str, id: i64) -> Result<()> {
    let ws = find_workspace(store, slug).await?;
    match store.revoke_token(ws.id, id).await {
        Ok(()) => {
            println!("Token {id} of {slug} is revoked.");
            Ok(())
        }
        Err(StoreError::NotFound) => Err(usage(format!(
            "{slug} has no active token with id {id} (see `keel token list --workspace {slug}`)"
        ))),
        Err(e) => Err(anyhow::Error::new(e).context("cannot revoke the token")),
    }
}

async fn list(store: &Store, slug: &str) -> Result<()> {
    let ws = find_workspace(store, slug).await?;
    let tokens = store.list_tokens(ws.id, None).await?;
    if tokens.is_empty() {
        println!("{slug} has no API tokens.");
        return Ok(());
    }
    for t in tokens {
        let state = match (t.revoked_at, t.last_used_at) {
            (Some(at), _) => format!("revoked {}", day(at)),
            (None, Some(at)) => format!("last used {}", day(at)),
            (None, None) => "never used".into(),
        };
        println!(
            "{:>5}  {}  {}  {}  created {}  {state}",
            t.id,
            t.name,
            t.user_email,
            t.role,
            day(t.created_at)
        );
    }
    Ok(())
}

/// A unix time as a UTC calendar date (YYYY-MM-DD).
pub fn day(unix: i64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_times_print_as_dates() {
        assert_eq!(super::day(0), "1970-01-01");
        assert_eq!(super::day(951_782_400), "2000-02-29");
        assert_eq!(super::day(1_767_225_599), "2025-12-31");
    }
}
