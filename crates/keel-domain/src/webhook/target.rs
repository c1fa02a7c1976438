//! The address a subscription sends to: `https://` or `http://`, a server name or an IP
//! address, an optional port and path, and nothing a browser would hide (no user name or
//! password, no `#` part). Numeric hosts that are not a plain IPv4 or IPv6 address
//! (`http://2130706433/`, `http://0x7f.1/`) are refused, since URL parsers read them as
//! addresses the rules below could not see.

use super::address::{refused, AddressKind};
use super::URL_MAX;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The server part of a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// A name, lower case, without a trailing dot: resolved at every delivery.
    Name(String),
    Ip(IpAddr),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The address as it is stored and requested (trimmed).
    pub url: String,
    pub https: bool,
    pub host: Host,
    pub port: u16,
}

/// The setting that lets an operator deliver to private addresses.
pub const ALLOW_PRIVATE_SETTING: &str = "KEEL_WEBHOOKS_ALLOW_PRIVATE=1";

/// The message for an address keel refuses: `shown` is what the person typed as the host,
/// `ip` what it resolved to (when that differs).
pub fn refusal_message(shown: &str, ip: Option<IpAddr>, kind: AddressKind) -> String {
    let what = match ip {
        Some(ip) if ip.to_string() != shown.trim_matches(['[', ']']) => {
            format!("{shown} leads to {ip}, {}", kind.words())
        }
        _ => format!("{shown} is {}", kind.words()),
    };
    format!(
        "{what}. keel sends webhooks only to addresses on the public internet \
         (an operator can allow private ones with {ALLOW_PRIVATE_SETTING})."
    )
}

impl Target {
    /// Why keel refuses this target before resolving anything, unless the operator allows
    /// private addresses: an IP address that is not public, or a name of this machine
    /// (`localhost`, `*.localhost`, which resolvers answer without asking DNS).
    pub fn refusal(&self, allow_private: bool) -> Option<String> {
        if allow_private {
            return None;
        }
        match &self.host {
            Host::Ip(ip) => refused(*ip).map(|k| refusal_message(&ip.to_string(), None, k)),
            Host::Name(n) if n == "localhost" || n.ends_with(".localhost") => {
                Some(refusal_message(n, None, AddressKind::Loopback))
            }
            Host::Name(_) => None,
        }
    }

    /// The host as a resolver takes it (IPv6 without brackets).
    pub fn host_str(&self) -> String {
        match &self.host {
            Host::Name(n) => n.clone(),
            Host::Ip(ip) => ip.to_string(),
        }
    }
}

fn bad<T>(m: &str) -> Result<T, String> {
    Err(m.to_string())
}

/// Reads a target address, or says in words what is wrong with it.
pub fn target(raw: &str) -> Result<Target, String> {
    if raw.chars().count() > URL_MAX {
        return Err(format!("Keep the address under {URL_MAX} characters."));
    }
    let v = raw.trim();
    if v.is_empty() {
        return bad("Enter the address keel should send events to, starting with https://.");
    }
    if v.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '"' | '<' | '>' | '`' | '\\' | '\u{feff}')
    }) {
        return bad("The address contains spaces, quotes, backslashes or angle brackets; copy it again from where the receiving service shows it.");
    }
    let lower = v.to_ascii_lowercase();
    let (https, rest) = if let Some(r) = lower.strip_prefix("https://") {
        (true, &v[v.len() - r.len()..])
    } else if let Some(r) = lower.strip_prefix("http://") {
        (false, &v[v.len() - r.len()..])
    } else if lower.contains("://") {
        return bad("keel sends webhooks over https:// (or http://) only.");
    } else {
        return bad(
            "Start the address with https:// (or http://), like https://hooks.example.com/keel.",
        );
    };
    if v.contains('#') {
        return bad("Leave out the # and what follows it: a receiver never sees that part.");
    }
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.contains('@') {
        return bad("Leave the user name and password out of the address: keel signs every delivery instead, and the receiver checks the signature.");
    }
    if authority.is_empty() {
        return bad("The address has no server name after https://.");
    }
    let (host, port) = split_port(authority)?;
    let port = match port {
        None => {
            if https {
                443
            } else {
                80
            }
        }
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.chars().all(|c| c.is_ascii_digit()) => n,
            _ => return bad("The port after the server name must be a number from 1 to 65535."),
        },
    };
    Ok(Target {
        url: v.to_string(),
        https,
        host: parse_host(host)?,
        port,
    })
}

/// `host[:port]` or `[v6][:port]`.
fn split_port(authority: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(inner) = authority.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return bad("An IPv6 address in brackets needs its closing ].");
        };
        let after = &inner[close + 1..];
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or_else(|| {
                "Only a port (like :8443) may follow the IPv6 address.".to_string()
            })?),
        };
        return Ok((&authority[..close + 2], port));
    }
    Ok(match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    })
}

fn parse_host(host: &str) -> Result<Host, String> {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner
            .parse::<Ipv6Addr>()
            .map(|ip| Host::Ip(IpAddr::V6(ip)))
            .map_err(|_| "That is not an IPv6 address.".to_string());
    }
    let name = host.to_ascii_lowercase();
    let name = name.strip_suffix('.').unwrap_or(&name);
    if name.is_empty() {
        return bad("The address has no server name after https://.");
    }
    if let Ok(ip) = name.parse::<Ipv4Addr>() {
        return Ok(Host::Ip(IpAddr::V4(ip)));
    }
    if !name.is_ascii() {
        return bad(
            "Write an international server name in its xn-- form (your registrar shows it).",
        );
    }
    let last = name.rsplit('.').next().unwrap_or_default();
    if last.starts_with("0x") || last.chars().all(|c| c.is_ascii_digit()) {
        return bad(
            "Write an IP address as four numbers, like 203.0.113.5, or use the server's name.",
        );
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if name.len() > 253 || !name.split('.').all(label_ok) {
        return bad(
            "The server name may hold only letters, digits, hyphens and dots between its parts.",
        );
    }
    Ok(Host::Name(name.to_string()))
}
