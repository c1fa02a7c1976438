//! Settings of a running keel, with safe defaults.

pub use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set when keel is served over https, directly or via a proxy).
    pub secure_cookies: bool,
    /// Largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
    /// A session unused for this long ends.
    pub session_idle_secs: i64,
    /// A session ends this long after sign-in, however active.
    pub session_absolute_secs: i64,
    /// Sign-in attempts allowed per account, and per address, within `login_window_secs`
    /// (an attempt that signs in is not held against either).
    pub login_max_per_account: i64,
    pub login_max_per_address: i64,
    pub login_window_secs: i64,
    /// How long an invitation link stays valid.
    pub invite_ttl_secs: i64,
    /// Reverse proxies (addresses or CIDR ranges) whose client-address header is believed;
    /// from anyone else the header is ignored. Empty: the TCP peer is the client.
    pub trusted_proxies: Vec<IpNet>,
    /// The header those proxies write the client's address into.
    pub client_ip_header: ClientIpHeader,
    /// The address people reach keel at; links in invitations and calendar feeds start with
    /// it, and a browser form must come from it (or from the host it was sent to). `None`
    /// until keel binds: then the bound address.
    pub public_url: Option<PublicUrl>,
    /// How often each node deletes expired sessions and sign-in counters.
    pub purge_every: std::time::Duration,
    /// `/metrics` is served only when set, and only to a request that carries this as a
    /// bearer token; `None`: `/metrics` answers 404 like any unknown path.
    pub metrics_token: Option<String>,
    /// After a stop signal, how long requests in flight may take to finish.
    pub shutdown_grace: std::time::Duration,
    /// The most records (people, functions, workflows, work, …) the node keeps in its cache
    /// of workspace models, over all workspaces; the least used are dropped beyond it.
    pub model_cache_records: u64,
    /// The SMTP server keel sends invitations, password reset links and digests through;
    /// `None`: keel sends no email and shows links to copy instead.
    pub smtp: Option<crate::mail::SmtpSettings>,
    /// How long a password reset link works.
    pub reset_ttl_secs: i64,
    /// How often each node looks for weekly digests that are due (each goes out once,
    /// whichever node claims it first).
    pub digest_every: std::time::Duration,
    /// Deliver webhooks to loopback, private, link-local and other internal addresses too
    /// (`KEEL_WEBHOOKS_ALLOW_PRIVATE=1`). Off: only public addresses, checked when a
    /// subscription is saved and again, after resolving its name, at every delivery.
    pub webhooks_allow_private: bool,
    /// Seconds to wait after each failed webhook attempt before the next; after the last,
    /// the delivery is given up (`keel_domain::webhook::RETRY_DELAYS` by default).
    pub webhook_retry_delays: Vec<u64>,
    /// How often each node looks for webhook deliveries that are due.
    pub webhook_poll: std::time::Duration,
    /// How long one webhook attempt may take, connecting included.
    pub webhook_timeout: std::time::Duration,
    /// Delivered and given-up deliveries older than this are removed from the log.
    pub webhook_keep: std::time::Duration,
    /// Where uploaded lead files wait to be read (on this server's disk; several servers
    /// share one directory, or route a user's requests to one server).
    pub import_dir: std::path::PathBuf,
    /// The largest lead file an upload takes, in bytes.
    pub max_import_bytes: u64,
    /// At most this many rows per second per web import, so a large file leaves a shared
    /// database room for everyone else; `None`: as fast as keel reads.
    pub import_rows_per_second: Option<u64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            max_body_bytes: 1024 * 1024,
            session_idle_secs: 12 * 3600,
            session_absolute_secs: 14 * 24 * 3600,
            login_max_per_account: 5,
            login_max_per_address: 20,
            login_window_secs: 15 * 60,
            invite_ttl_secs: 7 * 24 * 3600,
            trusted_proxies: Vec::new(),
            client_ip_header: ClientIpHeader::XForwardedFor,
            public_url: None,
            purge_every: std::time::Duration::from_secs(10 * 60),
            metrics_token: None,
            shutdown_grace: std::time::Duration::from_secs(30),
            model_cache_records: 500_000,
            smtp: None,
            reset_ttl_secs: 30 * 60,
            digest_every: std::time::Duration::from_secs(5 * 60),
            webhooks_allow_private: false,
            webhook_retry_delays: keel_domain::webhook::RETRY_DELAYS.to_vec(),
            webhook_poll: std::time::Duration::from_secs(1),
            webhook_timeout: std::time::Duration::from_secs(10),
            webhook_keep: std::time::Duration::from_secs(30 * 24 * 3600),
            import_dir: std::env::temp_dir().join("keel-imports"),
            max_import_bytes: 512 * 1024 * 1024,
            import_rows_per_second: None,
        }
    }
}

impl Config {
    /// The public address's origin (`https://keel.example.com`), for links.
    pub fn public_origin(&self) -> &str {
        self.public_url
            .as_ref()
            .map_or("http://localhost", |u| u.origin())
    }
}

/// Which forwarding header a trusted proxy sets. Only one is read: a proxy passes on the
/// header it does not set untouched, so reading both would let a client write its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientIpHeader {
    /// `X-Forwarded-For: client, proxy1, …` (nginx, Caddy, Traefik, HAProxy, cloud balancers).
    XForwardedFor,
    /// `Forwarded: for=client, for=proxy1` (RFC 7239).
    Forwarded,
}

/// An absolute http(s) address with no path, query or credentials, kept as its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn parse(value: &str) -> Result<PublicUrl, String> {
        let bad = |why: &str| {
            Err(format!(
                "{why}: give the address people use to reach keel, like https://keel.example.com"
            ))
        };
        let Ok(u) = url::Url::parse(value.trim()) else {
            return bad("not an address");
        };
        if !matches!(u.scheme(), "http" | "https") {
            return bad("only http and https addresses");
        }
        if u.host().is_none() {
            return bad("no host");
        }
        if !u.username().is_empty() || u.password().is_some() {
            return bad("no user name or password in the address");
        }
        if u.path() != "/" || u.query().is_some() || u.fragment().is_some() {
            return bad("keel is served at the root of its address, with no path or query");
        }
        Ok(PublicUrl(u.origin().ascii_serialization()))
    }

    /// The address keel was bound to (an unspecified address reads as localhost).
    pub fn of_bound(addr: SocketAddr, https: bool) -> PublicUrl {
        let ip = match addr.ip() {
            IpAddr::V4(v4) if v4.is_unspecified() => "127.0.0.1".to_string(),
            IpAddr::V6(v6) if v6.is_unspecified() => "[::1]".to_string(),
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        };
        let scheme = if https { "https" } else { "http" };
        PublicUrl(format!("{scheme}://{ip}:{}", addr.port()))
    }

    /// `scheme://host[:port]`, without a trailing slash.
    pub fn origin(&self) -> &str {
        &self.0
    }

    /// `host[:port]` as a browser sends it in `Host` (default ports omitted).
    pub fn authority(&self) -> &str {
        self.0.split_once("://").map_or("", |(_, a)| a)
    }
}

/// The shortest metrics token accepted: it guards what every route costs and how busy the
/// database is, so it must not be guessable.
pub const METRICS_TOKEN_MIN_LEN: usize = 16;

/// A metrics token as configured: printable ASCII without spaces (it travels in a header),
/// at least [`METRICS_TOKEN_MIN_LEN`] characters.
pub fn parse_metrics_token(value: &str) -> Result<String, String> {
    let t = value.trim();
    if t.len() < METRICS_TOKEN_MIN_LEN {
        return Err(format!(
            "the metrics token must be at least {METRICS_TOKEN_MIN_LEN} characters (try: openssl rand -hex 32)"
        ));
    }
    if !t.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(
            "the metrics token may hold only letters, digits and punctuation, no spaces".into(),
        );
    }
    Ok(t.to_string())
}

/// A list of proxy addresses or CIDR ranges, separated by commas or spaces.
pub fn parse_proxies(value: &str) -> Result<Vec<IpNet>, String> {
    value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(parse_proxy)
        .collect()
}

pub fn parse_proxy(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{s:?} is not an IP address or a CIDR range like 10.0.0.0/8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_origins() {
        let u = PublicUrl::parse("https://Keel.Example.com/").unwrap();
        assert_eq!(u.origin(), "https://keel.example.com");
        assert_eq!(u.authority(), "keel.example.com");
        let u = PublicUrl::parse("http://10.0.0.5:8080").unwrap();
        assert_eq!(u.origin(), "http://10.0.0.5:8080");
        assert_eq!(u.authority(), "10.0.0.5:8080");
        for bad in [
            "keel.example.com",
            "ftp://x.example",
            "https://evil.example/phish?x=",
            "https://u:p@x.example",
            "https://x.example/#a",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
        let b = PublicUrl::of_bound("0.0.0.0:8080".parse().unwrap(), false);
        assert_eq!(b.origin(), "http://127.0.0.1:8080");
    }

    #[test]
    fn proxies_are_addresses_or_ranges() {
        let p = parse_proxies("10.0.0.1, 192.168.0.0/16 ::1").unwrap();
        assert_eq!(p.len(), 3);
        assert!(p[1].contains(&"192.168.4.2".parse::<IpAddr>().unwrap()));
        assert!(parse_proxies("10.0.0.300").is_err());
        assert!(parse_proxies("").unwrap().is_empty());
    }
}
