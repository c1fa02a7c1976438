//! Where a webhook may go, with IO: the domain's rules (`keel_domain::webhook::target` for the
//! address, `refused` for each IP) applied to what the name resolves to now. Used when a
//! subscription is saved and again at every delivery, where the request then connects only to
//! the addresses checked here (no second lookup a DNS answer could change in between).

use keel_domain::webhook::{refusal_message, refused, target, Host};
use std::net::{IpAddr, SocketAddr};

/// A target checked for delivery: the address to request and the socket addresses it may
/// connect to (empty for an IP address, which needs no lookup).
#[derive(Debug, Clone)]
pub struct Checked {
    pub url: reqwest::Url,
    /// The name to pin to `addrs`, when the host is a name.
    pub name: Option<String>,
    pub addrs: Vec<SocketAddr>,
}

/// Checks `raw` and resolves its host, or says in words why keel will not send to it.
pub async fn check(raw: &str, allow_private: bool) -> Result<Checked, String> {
    let t = target(raw)?;
    if let Some(m) = t.refusal(allow_private) {
        return Err(m);
    }
    // The URL parser reqwest uses must read the same host the rules read; a host it reads
    // as an address is checked as one.
    let url = reqwest::Url::parse(&t.url).map_err(|_| {
        "That address cannot be used; copy it again from the receiving service.".to_string()
    })?;
    let ip_of_url = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => None,
        None => return Err("The address has no server name after https://.".into()),
    };
    if let Some(ip) = ip_of_url {
        if !allow_private {
            if let Some(kind) = refused(ip) {
                return Err(refusal_message(&ip.to_string(), None, kind));
            }
        }
        return Ok(Checked {
            url,
            name: None,
            addrs: Vec::new(),
        });
    }
    let Host::Name(name) = &t.host else {
        return Err(
            "That address cannot be used; copy it again from the receiving service.".into(),
        );
    };
    let addrs: Vec<SocketAddr> = match tokio::net::lookup_host((name.as_str(), t.port)).await {
        Ok(a) => a.collect(),
        Err(_) => Vec::new(),
    };
    if addrs.is_empty() {
        return Err(format!(
            "keel cannot find the server {name}: check the address, or try again once its name is set up."
        ));
    }
    if !allow_private {
        // One internal address among several is enough to refuse: a name that answers with
        // both could otherwise be steered to the internal one.
        for a in &addrs {
            if let Some(kind) = refused(a.ip()) {
                return Err(refusal_message(name, Some(a.ip()), kind));
            }
        }
    }
    Ok(Checked {
        url,
        name: Some(name.clone()),
        addrs,
    })
}
