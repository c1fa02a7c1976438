//! Password reset links: a 256-bit random code in the address, its SHA-256 in the database,
//! one use, `Config::reset_ttl_secs` long. The pages mail them; `keel user reset-link` prints
//! one for an operator to pass on when keel has no SMTP settings.

use super::{password, secret};
use crate::mail::messages;
use crate::time_fmt::now;
use crate::AppState;
use keel_store::{PasswordReset, Store, StoreError, User};

/// Makes a reset link for `user`, valid `ttl_secs` from now, on the public address `origin`.
pub async fn new_link(
    store: &Store,
    origin: &str,
    ttl_secs: i64,
    user: &User,
) -> Result<String, StoreError> {
    let code = secret::generate();
    store
        .create_password_reset(&secret::digest(&code), user.id, now() + ttl_secs)
        .await?;
    Ok(format!("{origin}/password/reset/{code}"))
}

/// The link behind `code`, if it may still set a password.
pub async fn usable(store: &Store, code: &str) -> Result<Option<PasswordReset>, StoreError> {
    let found = store.find_password_reset(&secret::digest(code)).await?;
    Ok(found.filter(|r| r.usable(now())))
}

/// Why a request for a link was not taken.
#[derive(Debug, PartialEq, Eq)]
pub enum RequestRefused {
    TooMany,
}

/// Someone asked for a link for `email` from `address`. Counted like sign-in attempts (per
/// account and per address, before anything else, in one statement), so nobody can flood an
/// inbox or probe addresses quickly. For an account, the link is made and mailed in the
/// background: the answer takes as long, and says the same, whether the account exists.
pub async fn request(state: &AppState, email: &str, address: &str) -> Result<(), RequestRefused> {
    let c = &state.config;
    let counted = state
        .store
        .count_login_attempt(
            &format!("reset:{email}"),
            &format!("reset-addr:{address}"),
            c.login_window_secs,
        )
        .await;
    match counted {
        Ok((acct, addr)) if acct > c.login_max_per_account || addr > c.login_max_per_address => {
            return Err(RequestRefused::TooMany)
        }
        Ok(_) => {}
        // Nothing is said to the asker either way; the operator reads the log.
        Err(e) => {
            tracing::warn!("a password reset request could not be counted: {e}");
            return Ok(());
        }
    }
    let (state, email) = (state.clone(), email.to_string());
    tokio::spawn(async move {
        if let Err(e) = send(&state, &email).await {
            tracing::warn!("a password reset link was not sent: {e}");
        }
    });
    Ok(())
}

async fn send(state: &AppState, email: &str) -> Result<(), String> {
    let Some(mailer) = &state.mailer else {
        return Ok(());
    };
    let Some(user) = state
        .store
        .find_user_by_email(email)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let c = &state.config;
    let link = new_link(&state.store, c.public_origin(), c.reset_ttl_secs, &user)
        .await
        .map_err(|e| e.to_string())?;
    let mail = messages::password_reset(&user.email, &user.name, &link, c.reset_ttl_secs / 60);
    mailer.send(&mail).await
}

/// Sets the new password through the link: hashes it (argon2id, off the async threads) and
/// hands it to the store, which spends the link and ends the account's sessions.
pub async fn set_password(store: &Store, code: &str, new: String) -> Result<i64, StoreError> {
    let hash = tokio::task::spawn_blocking(move || password::hash(&new))
        .await
        .map_err(|e| StoreError::Invalid(format!("the password could not be hashed: {e}")))?;
    store.use_password_reset(&secret::digest(code), &hash).await
}
