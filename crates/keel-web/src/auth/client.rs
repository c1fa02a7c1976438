//! The address a request comes from, for the per-address sign-in limit.
//!
//! The TCP peer is the client unless it is one of the configured trusted proxies. Only then
//! is the proxies' forwarding header read, right to left: each proxy appends the address it
//! received the request from, so the right-most address that is not itself a trusted proxy
//! is the first one nobody trusted vouches for, the client. Addresses further left were
//! written by the client and are ignored.

use crate::config::{ClientIpHeader, IpNet};
use axum::http::{header, HeaderMap};
use std::net::{IpAddr, SocketAddr};

pub fn address(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &[IpNet],
    which: ClientIpHeader,
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(&canonical(*ip)));
    let mut client = canonical(peer);
    if !is_trusted(&client) {
        return client;
    }
    let hops = forwarded_for(headers, which);
    for hop in hops.iter().rev() {
        // A hop that is not an address ("unknown", garbage) ends the walk at the last
        // trusted proxy: better one bucket for everyone behind it than a made-up address.
        let Some(ip) = hop.map(canonical) else {
            return client;
        };
        client = ip;
        if !is_trusted(&client) {
            return client;
        }
    }
    client
}

/// IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) read as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The addresses of the chosen header, left to right, over every line of it.
fn forwarded_for(headers: &HeaderMap, which: ClientIpHeader) -> Vec<Option<IpAddr>> {
    let name = match which {
        ClientIpHeader::XForwardedFor => header::HeaderName::from_static("x-forwarded-for"),
        ClientIpHeader::Forwarded => header::FORWARDED,
    };
    let elements = headers
        .get_all(name)
        .iter()
        .flat_map(|v| match v.to_str() {
            Ok(s) => s.split(',').map(str::to_string).collect(),
            Err(_) => vec![String::new()],
        })
        .collect::<Vec<_>>();
    elements
        .iter()
        .map(|e| match which {
            ClientIpHeader::XForwardedFor => node(e),
            ClientIpHeader::Forwarded => e
                .split(';')
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, v)| node(v)),
        })
        .collect()
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
/// `[2001:db8::1]:4711`, optionally in double quotes.
fn node(raw: &str) -> Option<IpAddr> {
    let s = raw.trim().trim_matches('"');
    s.parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            s.strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .and_then(|(ip, _)| ip.parse().ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_proxies;

    fn at(
        peer: &str,
        name: &'static str,
        value: &str,
        trusted: &str,
        which: ClientIpHeader,
    ) -> String {
        let mut h = HeaderMap::new();
        h.append(name, value.parse().unwrap());
        address(
            peer.parse().unwrap(),
            &h,
            &parse_proxies(trusted).unwrap(),
            which,
        )
        .to_string()
    }

    const XFF: ClientIpHeader = ClientIpHeader::XForwardedFor;
    const FWD: ClientIpHeader = ClientIpHeader::Forwarded;

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        assert_eq!(
            at("203.0.113.9", "x-forwarded-for", "1.2.3.4", "", XFF),
            "203.0.113.9"
        );
    }

    #[test]
    fn an_untrusted_peer_cannot_name_another_address() {
        assert_eq!(
            at(
                "203.0.113.9",
                "x-forwarded-for",
                "1.2.3.4",
                "10.0.0.0/8",
                XFF
            ),
            "203.0.113.9"
        );
        assert_eq!(
            at("203.0.113.9", "forwarded", "for=1.2.3.4", "10.0.0.0/8", FWD),
            "203.0.113.9"
        );
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_address_is_the_client() {
        // The client wrote 6.6.6.6 itself; the proxy appended the address it saw.
        let v = "6.6.6.6, 198.51.100.7";
        assert_eq!(
            at("10.0.0.2", "x-forwarded-for", v, "10.0.0.0/8", XFF),
            "198.51.100.7"
        );
        // Two proxies: the inner one's address is skipped.
        let v = "6.6.6.6, 198.51.100.7, 10.0.0.3";
        assert_eq!(
            at("10.0.0.2", "x-forwarded-for", v, "10.0.0.0/8", XFF),
            "198.51.100.7"
        );
        let v = r#"for=6.6.6.6, for="[2001:db8::17]:4711";proto=https"#;
        assert_eq!(
            at("::ffff:10.0.0.2", "forwarded", v, "10.0.0.2", FWD),
            "2001:db8::17"
        );
    }

    #[test]
    fn only_the_configured_header_is_read() {
        assert_eq!(
            at("10.0.0.2", "forwarded", "for=6.6.6.6", "10.0.0.0/8", XFF),
            "10.0.0.2"
        );
        assert_eq!(
            at("10.0.0.2", "x-forwarded-for", "6.6.6.6", "10.0.0.0/8", FWD),
            "10.0.0.2"
        );
    }

    #[test]
    fn an_unreadable_hop_stops_at_the_last_trusted_proxy() {
        assert_eq!(
            at("10.0.0.2", "forwarded", "for=unknown", "10.0.0.0/8", FWD),
            "10.0.0.2"
        );
        assert_eq!(
            at(
                "10.0.0.2",
                "x-forwarded-for",
                "1.2.3.4, junk",
                "10.0.0.0/8",
                XFF
            ),
            "10.0.0.2"
        );
    }
}
