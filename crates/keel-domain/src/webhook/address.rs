//! Which IP addresses a webhook may not be delivered to: anything that reaches keel's own
//! machine or its private network instead of the public internet (server-side request
//! forgery). An address that embeds an IPv4 one (IPv4-mapped, NAT64, 6to4) is judged by the
//! IPv4 address inside it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressKind {
    /// This machine: 127.0.0.0/8, ::1.
    Loopback,
    /// A private network: 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), fec0::/10.
    Private,
    /// A link-local address: 169.254/16 (where cloud metadata services answer), fe80::/10.
    LinkLocal,
    /// An IPv6 unique-local address: fc00::/7.
    UniqueLocal,
    /// Multicast or broadcast: 224/4, 255.255.255.255, ff00::/8.
    Multicast,
    /// No address at all: 0.0.0.0/8, ::.
    Unspecified,
    /// Reserved for other uses: 240/4, 192.0.0/24, 198.18/15.
    Reserved,
}

impl AddressKind {
    /// In words, for the message that names it.
    pub fn words(self) -> &'static str {
        match self {
            AddressKind::Loopback => "a loopback address (this very server)",
            AddressKind::Private => "a private network address",
            AddressKind::LinkLocal => "a link-local address",
            AddressKind::UniqueLocal => "a unique-local (private) IPv6 address",
            AddressKind::Multicast => "a multicast or broadcast address",
            AddressKind::Unspecified => "an unspecified address",
            AddressKind::Reserved => "a reserved address",
        }
    }
}

/// Why keel refuses to deliver to `ip`, or `None` when it is a public address.
pub fn refused(ip: IpAddr) -> Option<AddressKind> {
    match ip {
        IpAddr::V4(v4) => refused_v4(v4),
        IpAddr::V6(v6) => refused_v6(v6),
    }
}

fn refused_v4(ip: Ipv4Addr) -> Option<AddressKind> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, _, _) => AddressKind::Unspecified,
        (127, _, _) => AddressKind::Loopback,
        (10, _, _) => AddressKind::Private,
        (172, 16..=31, _) => AddressKind::Private,
        (192, 168, _) => AddressKind::Private,
        (100, 64..=127, _) => AddressKind::Private,
        (169, 254, _) => AddressKind::LinkLocal,
        (224..=239, _, _) => AddressKind::Multicast,
        (255, 255, 255) if ip.is_broadcast() => AddressKind::Multicast,
        (240..=255, _, _) => AddressKind::Reserved,
        (192, 0, 0) => AddressKind::Reserved,
        (198, 18..=19, _) => AddressKind::Reserved,
        _ => return None,
    })
}

fn refused_v6(ip: Ipv6Addr) -> Option<AddressKind> {
    if let Some(v4) = embedded_v4(ip) {
        return refused_v4(v4);
    }
    let s = ip.segments();
    if ip.is_unspecified() {
        Some(AddressKind::Unspecified)
    } else if ip.is_loopback() {
        Some(AddressKind::Loopback)
    } else if s[0] & 0xffc0 == 0xfe80 {
        Some(AddressKind::LinkLocal)
    } else if s[0] & 0xffc0 == 0xfec0 {
        Some(AddressKind::Private)
    } else if s[0] & 0xfe00 == 0xfc00 {
        Some(AddressKind::UniqueLocal)
    } else if s[0] & 0xff00 == 0xff00 {
        Some(AddressKind::Multicast)
    } else {
        None
    }
}

/// The IPv4 address an IPv6 one carries and reaches: IPv4-mapped (`::ffff:a.b.c.d`),
/// IPv4-compatible (`::a.b.c.d`, deprecated but still routed by some stacks), NAT64
/// (`64:ff9b::a.b.c.d`) and 6to4 (`2002:aabb:ccdd::`).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let low =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    if s[..6] == [0, 0, 0, 0, 0, 0] && !(s[6] == 0 && s[7] <= 1) {
        return Some(low(s[6], s[7]));
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return Some(low(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return Some(low(s[1], s[2]));
    }
    None
}
