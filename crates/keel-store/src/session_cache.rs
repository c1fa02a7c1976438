//! A node's memory of session lookups, on PostgreSQL: the one query every signed-in request
//! makes (the session, its user, the membership of the workspace it names and that
//! workspace's data version) is answered from memory while nothing it reads has changed.
//! That round trip was a third of the CPU a page costs.
//!
//! Why an answer from memory is still the database's answer, on several nodes:
//! - Triggers on everything the query reads (sessions, users, memberships, workspaces, whose
//!   data version every model write bumps; migration 0068) send a notification at commit, and
//!   every node's listener empties its memory when one arrives.
//! - A write through this node's Store empties it too, at once, after its commit, so the page
//!   a save redirects to on this node never shows what was there before.
//! - A lookup that started before an emptying is not kept (the generation check), so a reader
//!   racing a writer cannot put the old answer back.
//! - While the listener is not connected nothing is kept or answered from memory. A quiet
//!   channel is proved alive every `BEAT` by a probe the node sends itself, so a connection
//!   that died without a word is noticed within seconds; and an entry lives at most `TTL`
//!   whatever happens.
//!
//! SQLite never uses it: its query is cheap, and other processes (the CLI) write the same
//! file without any way to tell this one.

use crate::sessions::SessionRecord;
use crate::workspaces::Membership;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// The answer of a session lookup that found a session.
pub(crate) type Found = (SessionRecord, Option<Membership>);

/// The channel the triggers of migration 0068 notify.
const CHANNEL: &str = "keel_sessions";
/// The longest an answer is used, should a notification ever be lost unnoticed.
const TTL: Duration = Duration::from_secs(10);
/// Beyond this many (session, workspace) pairs the memory starts again from empty.
const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
pub(crate) struct SessionCache {
    inner: Mutex<Inner>,
    /// Whether the listener is connected and listening: only then is memory used.
    live: AtomicBool,
    /// Whether `start` ran: one listener per Store.
    started: AtomicBool,
}

#[derive(Default)]
struct Inner {
    /// Bumped by every emptying: a lookup keeps its answer only if none happened meanwhile.
    generation: u64,
    entries: HashMap<String, (Instant, Found)>,
}

fn key(id_hash: &str, workspace_slug: Option<&str>) -> String {
    // A hash never holds a NUL, so the halves cannot run into each other.
    match workspace_slug {
        Some(slug) => format!("{id_hash}\0+{slug}"),
        None => format!("{id_hash}\0"),
    }
}

impl SessionCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The map holds no invariant a panicking holder could break half-way.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The remembered answer, if memory is in use and it is recent enough.
    pub(crate) fn get(&self, id_hash: &str, workspace_slug: Option<&str>) -> Option<Found> {
        if !self.live.load(Ordering::Acquire) {
            return None;
        }
        let inner = self.lock();
        let (at, found) = inner.entries.get(&key(id_hash, workspace_slug))?;
        (at.elapsed() < TTL).then(|| found.clone())
    }

    /// Taken before a lookup's query and handed to `keep` with its answer; `None` while memory
    /// is not in use.
    pub(crate) fn generation(&self) -> Option<u64> {
        self.live
            .load(Ordering::Acquire)
            .then(|| self.lock().generation)
    }

    /// Remembers an answer read after `generation` was taken, unless memory was emptied since.
    pub(crate) fn keep(
        &self,
        generation: u64,
        id_hash: &str,
        workspace_slug: Option<&str>,
        found: &Found,
    ) {
        let mut inner = self.lock();
        if inner.generation != generation || !self.live.load(Ordering::Acquire) {
            return;
        }
        if inner.entries.len() >= MAX_ENTRIES {
            inner.entries.clear();
        }
        inner.entries.insert(
            key(id_hash, workspace_slug),
            (Instant::now(), found.clone()),
        );
    }

    /// Forgets every answer: something a lookup reads may have changed.
    pub(crate) fn forget_all(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
    }

    fn set_live(&self, live: bool) {
        // Emptied both ways: on losing the listener nothing may be answered from memory, and on
        // finding it again nothing from before may be trusted.
        self.forget_all();
        self.live.store(live, Ordering::Release);
    }

    pub(crate) fn is_live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }
}

/// How long the channel may stay quiet before the node proves it still carries notifications
/// by sending itself one, and how long it waits for that one to come back.
const BEAT: Duration = Duration::from_secs(2);
const PROBE_WAIT: Duration = Duration::from_secs(2);

/// Connects a listener and starts a task that empties `cache` on every notification; memory
/// is in use from when this returns. Refused when a notification sent through the pool does
/// not reach the listener (a pooler in transaction mode between keel and PostgreSQL drops
/// them): the database is then asked every time. A second call does nothing.
pub(crate) async fn start(pool: &PgPool, cache: &Arc<SessionCache>) -> crate::Result<()> {
    if cache.started.swap(true, Ordering::AcqRel) {
        return Ok(());
    }
    let listener = match connect(pool, cache).await {
        Ok(l) => l,
        Err(e) => {
            cache.started.store(false, Ordering::Release);
            return Err(e);
        }
    };
    cache.set_live(true);
    tokio::spawn(follow(listener, pool.clone(), Arc::downgrade(cache)));
    Ok(())
}

/// A listener on the channel that has been seen to carry this node's own probe.
async fn connect(pool: &PgPool, cache: &SessionCache) -> crate::Result<PgListener> {
    let mut listener = PgListener::connect_with(pool).await?;
    // A lost connection must come back through `connect` (and its probe), never silently.
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    if !prove(&mut listener, pool, cache).await {
        return Err(crate::StoreError::Config(
            "a PostgreSQL notification did not come back (is a pooler in transaction mode between keel and PostgreSQL?)".into(),
        ));
    }
    Ok(listener)
}

/// Sends a probe through the pool and waits for it on the listener, emptying `cache` for
/// every change notification heard meanwhile. False if it did not come back in time.
async fn prove(listener: &mut PgListener, pool: &PgPool, cache: &SessionCache) -> bool {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    let probe = format!("probe {:016x}", u64::from_le_bytes(b));
    let sent = sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(&probe)
        .execute(pool)
        .await;
    if sent.is_err() {
        return false;
    }
    let heard = async {
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) if n.payload() == probe => return true,
                Ok(Some(n)) => heed(cache, n.payload()),
                _ => return false,
            }
        }
    };
    tokio::time::timeout(PROBE_WAIT, heard)
        .await
        .unwrap_or(false)
}

/// The triggers send an empty payload; probes (any node's) change nothing.
fn heed(cache: &SessionCache, payload: &str) {
    if payload.is_empty() {
        cache.forget_all();
    }
}

/// Runs until the pool closes or the Store is gone (noticed within `BEAT`).
async fn follow(mut listener: PgListener, pool: PgPool, cache: Weak<SessionCache>) {
    loop {
        let got = tokio::time::timeout(BEAT, listener.try_recv()).await;
        let Some(c) = cache.upgrade() else { return };
        let alive = match got {
            Ok(Ok(Some(n))) => {
                heed(&c, n.payload());
                true
            }
            Ok(Err(sqlx::Error::PoolClosed)) => {
                c.set_live(false);
                return;
            }
            // Quiet for a while: a connection that died without a word looks just the same.
            Err(_) => prove(&mut listener, &pool, &c).await,
            // Lost (`Ok(None)`: no reconnecting behind our back) or broken.
            Ok(_) => false,
        };
        if alive {
            continue;
        }
        tracing::warn!(
            "session cache listener lost; sessions are read from the database until it is back"
        );
        c.set_live(false);
        drop((c, listener));
        let mut wait = Duration::from_millis(100);
        listener = loop {
            tokio::time::sleep(wait).await;
            if pool.is_closed() {
                return;
            }
            let Some(c) = cache.upgrade() else { return };
            if let Ok(l) = connect(&pool, &c).await {
                c.set_live(true);
                break l;
            }
            wait = (wait * 2).min(Duration::from_secs(5));
        };
        tracing::info!("session cache listener is back");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspaces::Membership;

    fn found(name: &str) -> Found {
        let s = SessionRecord {
            user_id: 1,
            email: "ana@example.com".into(),
            name: name.into(),
            csrf_token: "t".into(),
            created_at: 0,
            last_seen_at: 0,
        };
        (s, None::<Membership>)
    }

    fn live() -> SessionCache {
        let c = SessionCache::default();
        c.set_live(true);
        c
    }

    #[test]
    fn remembers_per_session_and_workspace() {
        let c = live();
        let g = c.generation().unwrap();
        c.keep(g, "h", Some("acme"), &found("Ana"));
        assert_eq!(c.get("h", Some("acme")).unwrap().0.name, "Ana");
        assert!(c.get("h", None).is_none());
        assert!(c.get("h", Some("other")).is_none());
        assert!(c.get("other", Some("acme")).is_none());
    }

    #[test]
    fn a_lookup_that_raced_an_emptying_is_not_kept() {
        let c = live();
        let g = c.generation().unwrap();
        // A write commits and empties memory while the lookup's query is in flight.
        c.forget_all();
        c.keep(g, "h", None, &found("old"));
        assert!(c.get("h", None).is_none());
        let g = c.generation().unwrap();
        c.keep(g, "h", None, &found("new"));
        assert_eq!(c.get("h", None).unwrap().0.name, "new");
        c.forget_all();
        assert!(c.get("h", None).is_none());
    }

    #[test]
    fn nothing_is_used_while_the_listener_is_away() {
        let c = SessionCache::default();
        assert!(c.generation().is_none());
        let c = live();
        let g = c.generation().unwrap();
        c.keep(g, "h", None, &found("Ana"));
        c.set_live(false);
        assert!(c.get("h", None).is_none());
        assert!(c.generation().is_none());
        c.keep(g, "h", None, &found("Ana"));
        c.set_live(true);
        assert!(c.get("h", None).is_none());
    }

    #[test]
    fn slugs_and_no_slug_do_not_collide() {
        assert_ne!(key("h", None), key("h", Some("")));
        assert_ne!(key("h", Some("a")), key("h\0+a", None));
    }
}
