//! Random secrets (session ids, API tokens, invite codes) and the hashes they are stored as.

use sha2::{Digest, Sha256};

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes as 64 hex characters.
pub fn generate() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random source");
    hex(&b)
}

/// A secret's stored form. Secrets are 256-bit random, so a fast hash is enough: there is
/// nothing to brute-force, and a leaked table does not let anyone sign in.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// API tokens carry a prefix so secret scanners and people can recognise them.
pub const TOKEN_PREFIX: &str = "keel_";

pub fn generate_token() -> String {
    format!("{TOKEN_PREFIX}{}", generate())
}

/// Compares without stopping at the first difference.
pub fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_are_random_and_digests_stable() {
        assert_ne!(super::generate(), super::generate());
        assert_eq!(super::generate().len(), 64);
        assert_eq!(super::digest("a"), super::digest("a"));
        assert!(super::generate_token().starts_with("keel_"));
        assert!(super::equal("abc", "abc"));
        assert!(!super::equal("abc", "abd"));
        assert!(!super::equal("abc", "ab"));
    }
}
