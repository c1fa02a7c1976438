//! Settings of a running keel, with safe defaults.

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
    /// Failed sign-ins allowed per account, and per address, within `login_window_secs`.
    pub login_max_per_account: i64,
    pub login_max_per_address: i64,
    pub login_window_secs: i64,
    /// How long an invitation link stays valid.
    pub invite_ttl_secs: i64,
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
        }
    }
}
