//! SMTP settings as an operator gives them (flags or environment), checked once at start so a
//! mistake stops `keel serve` with a sentence instead of failing the first invitation.

use lettre::message::Mailbox;
use std::net::IpAddr;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    StartTls,
    /// TLS from the first byte, "SMTPS" (port 465).
    Tls,
    /// No encryption: only for a relay or test sink on this machine or a private network.
    None,
}

impl Security {
    pub fn parse(s: &str) -> Result<Security, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "starttls" => Ok(Security::StartTls),
            "tls" | "ssl" | "smtps" => Ok(Security::Tls),
            "none" | "plain" => Ok(Security::None),
            other => Err(format!(
                "'{other}' is not an SMTP security: use starttls (port 587), tls (port 465) or none (a local relay)"
            )),
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Security::StartTls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }
}

/// What the operator typed, before it is checked. Every field may be missing: no host and no
/// sender means keel sends no email, as before.
#[derive(Debug, Clone, Default)]
pub struct SmtpInput {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub security: Option<Security>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: Option<String>,
}

/// Checked SMTP settings.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender every message carries, like `keel <keel@example.com>`.
    pub from: Mailbox,
}

impl std::fmt::Debug for SmtpSettings {
    // The password never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "(set)"))
            .field("from", &self.from.to_string())
            .finish()
    }
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A host name or address as SMTP servers are named: no scheme, no port, no spaces.
fn host(value: &str) -> Result<String, String> {
    let h = value.trim().trim_end_matches('.');
    let bad = |why: &str| {
        Err(format!(
            "the SMTP host ({why}): give the server's name alone, like smtp.example.com"
        ))
    };
    if h.contains("://") {
        return bad("no scheme such as smtp://");
    }
    if h.parse::<IpAddr>().is_ok() {
        return Ok(h.to_string());
    }
    if h.contains(':') {
        return bad("the port goes in --smtp-port");
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if h.is_empty() || h.len() > 253 || !h.split('.').all(label_ok) {
        return bad(&format!("'{h}' is not a host name"));
    }
    Ok(h.to_ascii_lowercase())
}

/// Whether the server is on this machine, where a plain connection crosses no network.
fn is_local(host: &str) -> bool {
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl SmtpSettings {
    /// `Ok(None)`: no SMTP (neither host nor sender given). A partial or contradictory set is
    /// refused, naming the flag and its environment variable.
    pub fn parse(input: SmtpInput) -> Result<Option<SmtpSettings>, String> {
        let (h, from) = (given(&input.host), given(&input.from));
        let (user, password) = (given(&input.username), input.password.as_deref());
        let password = password.filter(|p| !p.is_empty());
        if h.is_none() {
            if from.is_some() || user.is_some() || password.is_some() || input.port.is_some() {
                return Err("SMTP settings without a server: set --smtp-host (KEEL_SMTP_HOST) too, or remove the other --smtp-* settings".into());
            }
            return Ok(None);
        }
        let host = host(h.unwrap_or_default())?;
        let Some(from) = from else {
            return Err("--smtp-from (KEEL_SMTP_FROM) is missing: the sender of keel's emails, like \"keel <keel@example.com>\"".into());
        };
        let from: Mailbox = from.parse().map_err(|_| {
            format!("--smtp-from (KEEL_SMTP_FROM) '{from}' is not an email address: write it like keel@example.com or \"keel <keel@example.com>\"")
        })?;
        if user.is_some() != password.is_some() {
            return Err("give both --smtp-username (KEEL_SMTP_USERNAME) and --smtp-password (KEEL_SMTP_PASSWORD), or neither".into());
        }
        let security = input.security.unwrap_or(Security::StartTls);
        if security == Security::None && password.is_some() && !is_local(&host) {
            return Err(format!(
                "--smtp-security none would send the SMTP password to {host} unencrypted: use starttls or tls"
            ));
        }
        if input.port == Some(0) {
            return Err("--smtp-port (KEEL_SMTP_PORT) must be a port from 1 to 65535".into());
        }
        let s = SmtpSettings {
            port: input.port.unwrap_or(security.default_port()),
            host,
            security,
            username: user.map(String::from),
            password: password.map(String::from),
            from,
        };
        // Builds the transport once, so a host TLS cannot name is refused now, not at the
        // first message.
        super::Mailer::new(&s)?;
        Ok(Some(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(host: &str, from: &str) -> SmtpInput {
        SmtpInput {
            host: Some(host.into()),
            from: Some(from.into()),
            ..SmtpInput::default()
        }
    }

    #[test]
    fn nothing_given_is_no_email() {
        assert!(SmtpSettings::parse(SmtpInput::default()).unwrap().is_none());
    }

    #[test]
    fn a_complete_setting_is_kept_with_its_default_port() {
        let s = SmtpSettings::parse(input("Smtp.Example.com", "keel <keel@example.com>"))
            .unwrap()
            .unwrap();
        assert_eq!(s.host, "smtp.example.com");
        assert_eq!(s.port, 587);
        assert_eq!(s.security, Security::StartTls);
        assert_eq!(s.from.email.to_string(), "keel@example.com");
        let mut tls = input("smtp.example.com", "keel@example.com");
        tls.security = Some(Security::Tls);
        assert_eq!(SmtpSettings::parse(tls).unwrap().unwrap().port, 465);
        let mut sink = input("127.0.0.1", "keel@example.com");
        sink.security = Some(Security::None);
        sink.port = Some(2525);
        sink.username = Some("u".into());
        sink.password = Some("p".into());
        assert_eq!(SmtpSettings::parse(sink).unwrap().unwrap().port, 2525);
    }

    #[test]
    fn mistakes_are_named_with_their_flag() {
        let err = |i: SmtpInput| SmtpSettings::parse(i).unwrap_err();
        assert!(err(input("smtp.example.com", "")).contains("--smtp-from"));
        assert!(err(input("smtp.example.com", "not an address")).contains("not an email"));
        assert!(err(input("smtp://smtp.example.com", "k@example.com")).contains("scheme"));
        assert!(err(input("smtp.example.com:587", "k@example.com")).contains("--smtp-port"));
        assert!(err(input("smtp example.com", "k@example.com")).contains("not a host"));
        let mut half = input("smtp.example.com", "k@example.com");
        half.username = Some("me".into());
        assert!(err(half).contains("--smtp-password"));
        let mut clear = input("smtp.example.com", "k@example.com");
        clear.security = Some(Security::None);
        clear.username = Some("me".into());
        clear.password = Some("secret".into());
        assert!(err(clear).contains("unencrypted"));
        let lonely = SmtpInput {
            from: Some("k@example.com".into()),
            ..SmtpInput::default()
        };
        assert!(err(lonely).contains("--smtp-host"));
        assert!(Security::parse("ssl3").unwrap_err().contains("starttls"));
    }

    #[test]
    fn the_password_is_not_printed() {
        let mut i = input("smtp.example.com", "k@example.com");
        i.username = Some("me".into());
        i.password = Some("hunter2-secret".into());
        let s = SmtpSettings::parse(i).unwrap().unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
