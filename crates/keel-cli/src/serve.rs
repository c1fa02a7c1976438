//! `keel serve`: bind, say where, serve until ctrl-c or SIGTERM.

use crate::cli::{ClientIpHeaderArg, ServeArgs};
use crate::failure::usage;
use anyhow::{Context, Result};
use keel_store::Store;
use keel_web::config::ClientIpHeader;
use keel_web::Config;
use std::io::{ErrorKind, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use tokio::net::TcpListener;

pub async fn run(store: &Store, args: ServeArgs) -> Result<ExitCode> {
    let config = config(&args)?;
    let listener = bind(&args.bind).await?;
    let addr = announce(&listener)?;
    serve(listener, addr, store, config).await?;
    Ok(ExitCode::SUCCESS)
}

fn config(args: &ServeArgs) -> Result<Config> {
    let defaults = Config::default();
    let smtp = args
        .smtp
        .settings()
        .map_err(|m| usage(format!("email settings: {m}")))?;
    Ok(Config {
        secure_cookies: args.secure_cookies,
        max_body_bytes: args
            .max_body_bytes
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
            .unwrap_or(defaults.max_body_bytes),
        public_url: args.public_url.clone(),
        import_dir: args
            .import_dir
            .clone()
            .unwrap_or_else(|| defaults.import_dir.clone()),
        max_import_bytes: args.max_import_bytes.unwrap_or(defaults.max_import_bytes),
        import_rows_per_second: args.import_rows_per_second,
        trusted_proxies: args.trusted_proxies.clone(),
        client_ip_header: match args.client_ip_header {
            ClientIpHeaderArg::XForwardedFor => ClientIpHeader::XForwardedFor,
            ClientIpHeaderArg::Forwarded => ClientIpHeader::Forwarded,
        },
        metrics_token: args.metrics_token.clone(),
        shutdown_grace: std::time::Duration::from_secs(args.shutdown_grace),
        model_cache_records: args.model_cache_records,
        smtp,
        webhooks_allow_private: args.webhooks_allow_private,
        webhook_retry_delays: if args.webhook_retry_delays.is_empty() {
            defaults.webhook_retry_delays.clone()
        } else {
            args.webhook_retry_delays.clone()
        },
        ..defaults
    })
}

/// Binds the listen address; port 0 lets the system choose.
pub async fn bind(addr: &str) -> Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| usage(format!("cannot listen on {addr}: {}", why(&e))))
}

fn why(e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::AddrInUse => "address already in use".into(),
        ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need extra privileges)".into()
        }
        ErrorKind::AddrNotAvailable => "this machine has no such address".into(),
        ErrorKind::InvalidInput => "not an address and port, like 127.0.0.1:8080".into(),
        _ => e.to_string(),
    }
}

/// Prints the address actually bound (port 0 becomes a real port) and flushes, so scripts
/// and tests reading stdout learn it at once.
pub fn announce(listener: &TcpListener) -> Result<SocketAddr> {
    let addr = listener
        .local_addr()
        .context("cannot read the listening address")?;
    let mut out = std::io::stdout().lock();
    // A closed stdout (keel started by a supervisor without one) must not stop the server.
    let _ = writeln!(out, "keel is listening on http://{addr}");
    let _ = out.flush();
    Ok(addr)
}

pub async fn serve(
    listener: TcpListener,
    addr: SocketAddr,
    store: &Store,
    config: Config,
) -> Result<()> {
    if config.metrics_token.is_some() {
        tracing::info!("Prometheus metrics at /metrics, for requests with the metrics token");
    }
    match &config.smtp {
        Some(s) => tracing::info!(
            server = %format!("{}:{} ({})", s.host, s.port, s.security.as_str()),
            from = %s.from,
            "email on: invitations, password reset links and weekly digests are sent"
        ),
        None => tracing::info!(
            "email off (no --smtp-host): invitation and password reset links are shown to copy"
        ),
    }
    if config.secure_cookies {
        tracing::info!(
            "cookies are marked Secure: sign-in works only when keel is reached over https"
        );
    }
    if config.webhooks_allow_private {
        tracing::warn!(
            "webhooks may go to loopback and private addresses (KEEL_WEBHOOKS_ALLOW_PRIVATE): \
             anyone who may add a webhook can make keel send requests inside this network"
        );
    }
    tracing::info!(%addr, backend = ?store.backend(), "serving");
    keel_web::serve(listener, store.clone(), config)
        .await
        .with_context(|| format!("serving on {addr} failed"))?;
    tracing::info!("stopped");
    Ok(())
}
