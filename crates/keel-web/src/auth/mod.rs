//! Passwords, secrets, sessions, CSRF and sign-in limits.

pub mod client;
pub mod csrf;
pub mod password;
pub mod redirect;
pub mod reset;
pub mod secret;
pub mod session;
