//! keel's web app and JSON API.
//!
//! Architecture Invariant: handlers hold no domain rules. They parse input into keel-domain
//! types, call the Store and the domain's functions, and render the result as HTML (pages/)
//! or JSON (api/). Every route is registered through [`routes::Routes`], so the isolation
//! and role tests see every route there is.

pub mod api;
mod assets;
pub mod auth;
pub mod config;
mod ctx;
pub mod error;
mod grants;
pub mod import_job;
mod layers;
mod lead_upload;
pub mod mail;
pub mod markdown;
mod model;
pub mod monitoring;
pub mod ops;
pub mod pages;
pub mod routes;
pub mod time_fmt;
pub mod webhooks;

pub use config::Config;

use keel_store::Store;
use std::future::IntoFuture;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub models: Arc<model::ModelCache>,
    pub metrics: Arc<monitoring::Metrics>,
    /// An account exists, so the first-run page is gone (`pages::set_up`).
    pub setup_done: Arc<std::sync::atomic::AtomicBool>,
    /// The SMTP connection, when the operator configured one (`Config::smtp`).
    pub mailer: Option<Arc<mail::Mailer>>,
}

/// The whole application as one router, ready to serve.
pub fn app(store: Store, config: Config) -> axum::Router {
    routes::routes().into_router(AppState::new(store, config))
}

impl AppState {
    /// The state every request shares; also what `keel digest` works with outside a server.
    pub fn new(store: Store, config: Config) -> AppState {
        // The settings were checked when parsed (`SmtpSettings::parse` builds a mailer once).
        let mailer = config
            .smtp
            .as_ref()
            .and_then(|s| match mail::Mailer::new(s) {
                Ok(m) => Some(Arc::new(m)),
                Err(e) => {
                    tracing::error!("email is off: {e}");
                    None
                }
            });
        AppState {
            store,
            models: Arc::new(model::ModelCache::new(config.model_cache_records)),
            config: Arc::new(config),
            metrics: Default::default(),
            setup_done: Default::default(),
            mailer,
        }
    }
}

/// Serves until ctrl-c or SIGTERM. Takes a bound listener so tests can bind port 0. Without
/// a configured public address, links use the bound one.
pub async fn serve(listener: TcpListener, store: Store, config: Config) -> std::io::Result<()> {
    serve_until(listener, store, config, shutdown()).await
}

/// Serves until `stop` resolves, then stops accepting connections and lets the requests in
/// flight finish (idle keep-alive connections are closed), for at most
/// `config.shutdown_grace`: a client that never finishes its request cannot hold the process
/// up for ever.
pub async fn serve_until(
    listener: TcpListener,
    store: Store,
    mut config: Config,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if config.public_url.is_none() {
        let bound = listener.local_addr()?;
        if bound.ip().is_unspecified() {
            tracing::warn!(
                "no --public-url: invitation and calendar links will point at 127.0.0.1; \
                 set it to the address people use to reach keel"
            );
        }
        config.public_url = Some(config::PublicUrl::of_bound(bound, config.secure_cookies));
    }
    tracing::info!(
        public_url = config.public_origin(),
        trusted_proxies = ?config.trusted_proxies,
        "links and the origin check use the public address"
    );
    // The one query of every signed-in request, answered from memory on PostgreSQL; without
    // its listener keel still serves, reading sessions from the database.
    if let Err(e) = store.cache_sessions().await {
        tracing::warn!(error = %e, "sessions are read from the database on every request");
    }
    let purge = tokio::spawn(purge_periodically(store.clone(), config.clone()));
    let settle = tokio::spawn(settle_audit_periodically(store.clone()));
    let grace = config.shutdown_grace;
    let state = AppState::new(store, config);
    // Weekly digests go out only where there is a mail server to send them.
    let digests = state
        .mailer
        .is_some()
        .then(|| tokio::spawn(mail::digest::every(state.clone())));
    // Every node delivers webhooks; leases on the queue's rows keep them from sending one twice.
    let deliveries = tokio::spawn(webhooks::run(state.clone()));
    let app = routes::routes()
        .into_router(state)
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let stopping = Arc::new(tokio::sync::Notify::new());
    let told = stopping.clone();
    let served = axum::serve(listener, app).with_graceful_shutdown(async move {
        stop.await;
        tracing::info!("stopping: no new connections; finishing the requests in flight");
        told.notify_one();
    });
    let out = tokio::select! {
        out = served.into_future() => out,
        _ = async {
            stopping.notified().await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!("requests still in flight after {grace:?}; stopping anyway");
            Ok(())
        }
    };
    purge.abort();
    settle.abort();
    if let Some(d) = digests {
        d.abort();
    }
    // A delivery cut off here keeps its lease until it runs out; then a node sends it again.
    deliveries.abort();
    out
}

/// Keeps the sessions and sign-in counter tables from growing for ever. Every node runs it;
/// the deletes are idempotent, so nodes need not agree on who does.
async fn purge_periodically(store: Store, config: Config) {
    let mut every = tokio::time::interval(config.purge_every);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match auth::session::purge_expired(&store, &config).await {
            Ok((sessions, counters)) => {
                tracing::debug!(sessions, counters, "purged expired sessions and counters")
            }
            Err(e) => tracing::warn!("purging expired sessions failed (will retry): {e}"),
        }
        let keep = i64::try_from(config.webhook_keep.as_secs()).unwrap_or(i64::MAX);
        match store
            .purge_deliveries(time_fmt::now().saturating_sub(keep))
            .await
        {
            Ok(n) => tracing::debug!(deliveries = n, "purged old webhook deliveries"),
            Err(e) => tracing::warn!("purging old webhook deliveries failed (will retry): {e}"),
        }
    }
}

/// Moves the audit log's newest entries into it (`Store::settle_audit`) every few seconds, so
/// the table the triggers append to stays small. Every node runs it; each entry moves once.
async fn settle_audit_periodically(store: Store) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match store.settle_audit().await {
            Ok(n) => tracing::trace!(entries = n, "moved the newest audit entries into the log"),
            Err(e) => tracing::warn!("moving the newest audit entries failed (will retry): {e}"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
