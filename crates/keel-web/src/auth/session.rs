//! Sessions: a random id in an HttpOnly cookie, its SHA-256 in the database. The id is new
//! at every sign-in, sessions end when idle and at an absolute limit, and sign-in attempts
//! are limited per account and per address.

use super::{password, secret};
use crate::{time_fmt::now, AppState, Config};
use axum::http::{header, HeaderMap};
use keel_store::audit;
use keel_store::{Membership, Store, StoreError, User};

pub const SESSION_COOKIE: &str = "keel_session";
/// Double-submit token for the forms used before sign-in (sign-in, accepting an invite).
pub const PRE_COOKIE: &str = "keel_pre";

/// The signed-in user of a request, loaded once by the session layer.
#[derive(Debug, Clone)]
pub struct Session {
    pub id_hash: String,
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub csrf: String,
    /// The user's membership of the workspace the request names (its `/w/{ws}/` path or,
    /// for the API, its workspace header), read with the session in one query.
    pub here: Option<Membership>,
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn set_cookie(config: &Config, name: &str, value: &str, max_age: i64) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

pub fn clear_cookie(config: &Config, name: &str) -> String {
    set_cookie(config, name, "", 0)
}

/// Loads the session named by the request's cookie, ending it if it has expired, with the
/// membership of the workspace named by `workspace_slug`.
pub async fn load(
    state: &AppState,
    headers: &HeaderMap,
    workspace_slug: Option<&str>,
) -> Result<Option<Session>, StoreError> {
    let Some(id) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let id_hash = secret::digest(&id);
    let Some((rec, here)) = state.store.find_session(&id_hash, workspace_slug).await? else {
        return Ok(None);
    };
    let t = now();
    let c = &state.config;
    if rec.last_seen_at + c.session_idle_secs < t || rec.created_at + c.session_absolute_secs < t {
        state.store.delete_session(&id_hash).await?;
        return Ok(None);
    }
    // Writing on every request would serialise reads behind the writer; a minute is precise
    // enough for idle expiry.
    if rec.last_seen_at + 60 < t {
        state.store.touch_session(&id_hash).await?;
    }
    Ok(Some(Session {
        id_hash,
        user_id: rec.user_id,
        email: rec.email,
        name: rec.name,
        csrf: rec.csrf_token,
        here,
    }))
}

/// Deletes sessions past their idle or absolute limit and sign-in counters whose window has
/// passed: neither can count or sign anyone in any more. Safe on several nodes at once (plain
/// deletes of what is already dead).
pub async fn purge_expired(store: &Store, c: &Config) -> Result<(u64, u64), StoreError> {
    let t = now();
    let sessions = store
        .purge_sessions(t - c.session_idle_secs, t - c.session_absolute_secs)
        .await?;
    let counters = store.purge_login_attempts(t - c.login_window_secs).await?;
    store.purge_password_resets(t).await?;
    Ok((sessions, counters))
}

/// Starts a new session (a new id, never a reused one) and returns its cookie value.
pub async fn start(store: &Store, user_id: i64) -> Result<String, StoreError> {
    let id = secret::generate();
    store
        .create_session(&secret::digest(&id), user_id, &secret::generate())
        .await?;
    Ok(id)
}

#[derive(Debug, PartialEq, Eq)]
pub enum SignInError {
    /// Wrong email or password; the message never says which.
    Mismatch,
    TooManyAttempts,
    Store(String),
}

impl SignInError {
    pub fn message(&self) -> &'static str {
        match self {
            SignInError::Mismatch => {
                "That email and password do not match an account. Check both and try again."
            }
            SignInError::TooManyAttempts => {
                "Too many sign-in attempts. Wait 15 minutes, then try again."
            }
            SignInError::Store(_) => "Signing in is not possible right now. Try again in a moment.",
        }
    }
}

impl From<StoreError> for SignInError {
    fn from(e: StoreError) -> Self {
        SignInError::Store(e.to_string())
    }
}

/// Checks a password with per-account and per-address limits. Unknown accounts take as
/// long and count the same as wrong passwords.
///
/// The attempt is counted before the password is verified, in one statement that returns the
/// new counts, so a burst of concurrent attempts cannot all pass a check made before any of
/// them is counted: beyond the limit, argon2 does not even run. A success resets the
/// account's count and takes its own attempt back from the address's (so an office behind
/// one address is not locked out by its own sign-ins, and a valid account cannot clear the
/// count of guesses at others).
pub async fn check_password(
    state: &AppState,
    email: &str,
    password_text: &str,
    address: &str,
) -> Result<User, SignInError> {
    let c = &state.config;
    let (acct, addr) = (format!("acct:{email}"), format!("addr:{address}"));
    let store = &state.store;
    let (by_account, by_address) = store
        .count_login_attempt(&acct, &addr, c.login_window_secs)
        .await?;
    if by_account > c.login_max_per_account || by_address > c.login_max_per_address {
        return Err(SignInError::TooManyAttempts);
    }
    let user = store.find_user_by_email(email).await?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let pw = password_text.to_string();
    let ok = tokio::task::spawn_blocking(move || password::verify(&pw, &hash))
        .await
        .unwrap_or(false);
    match user {
        Some(u) if ok => {
            store.clear_login_failures(&acct).await?;
            store.forgive_login_attempt(&addr).await?;
            store.record_account_event(u.id, audit::SIGN_IN).await?;
            Ok(u)
        }
        Some(u) => {
            store
                .record_account_event(u.id, audit::SIGN_IN_FAILED)
                .await?;
            Err(SignInError::Mismatch)
        }
        // An address with no account: nothing of any workspace's to record.
        None => Err(SignInError::Mismatch),
    }
}
