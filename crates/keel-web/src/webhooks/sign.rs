//! The signature on every delivery, as Stripe signs its webhooks: HMAC-SHA256 with the
//! subscription's secret over `{timestamp}.{body}`, sent as
//! `Keel-Signature: t=<unix seconds>,v1=<lower-case hex>`. The timestamp inside the signed
//! text lets a receiver refuse a replayed old delivery.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const HEADER: &str = "Keel-Signature";

fn mac(secret: &str, t: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut m =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The header value for `body` sent at `t`.
pub fn header(secret: &str, t: i64, body: &[u8]) -> String {
    format!(
        "t={t},v1={}",
        hex(&mac(secret, t, body).finalize().into_bytes())
    )
}

/// What a receiver does: read `t` and every `v1` from the header, refuse a timestamp more
/// than `tolerance` seconds from `now`, and compare in constant time. keel's tests verify
/// deliveries with it; docs/api.md shows the same steps.
pub fn verify(secret: &str, value: &str, body: &[u8], now: i64, tolerance: i64) -> bool {
    let mut t = None;
    let mut signatures = Vec::new();
    for part in value.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.push(v),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    if (now - t).abs() > tolerance {
        return false;
    }
    signatures.into_iter().any(|s| {
        let Some(bytes) = unhex(s) else { return false };
        mac(secret, t, body).verify_slice(&bytes).is_ok()
    })
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A new signing secret: `whsec_` and 32 random bytes in hex.
pub fn new_secret() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the system's random source");
    format!("whsec_{}", hex(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_over_timestamp_dot_body() {
        // Computed independently:
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        let h = header("whsec_test", 1_700_000_000, br#"{"a":1}"#);
        assert_eq!(
            h,
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
        assert!(verify("whsec_test", &h, br#"{"a":1}"#, 1_700_000_100, 300));
        assert!(
            !verify("whsec_test", &h, br#"{"a":2}"#, 1_700_000_100, 300),
            "another body"
        );
        assert!(
            !verify("whsec_other", &h, br#"{"a":1}"#, 1_700_000_100, 300),
            "another secret"
        );
        assert!(
            !verify("whsec_test", &h, br#"{"a":1}"#, 1_700_001_000, 300),
            "too old"
        );
        assert!(!verify(
            "whsec_test",
            "v1=00",
            br#"{"a":1}"#,
            1_700_000_000,
            300
        ));
        let s = new_secret();
        assert!(s.starts_with("whsec_") && s.len() == 6 + 64);
        assert_ne!(s, new_secret());
    }
}
