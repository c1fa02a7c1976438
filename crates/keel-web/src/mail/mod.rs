//! Email over SMTP: invitations, password reset links and the weekly digest. Without SMTP
//! settings keel sends nothing and shows links to copy instead, as it always did.

pub mod digest;
pub mod messages;
pub mod settings;

pub use settings::{Security, SmtpInput, SmtpSettings};

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// One message to one person, as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to_email: String,
    pub to_name: Option<String>,
    /// Where a reply goes (the person who invited), when not to keel's sender.
    pub reply_to: Option<(String, String)>,
    pub subject: String,
    pub text: String,
}

/// The connection to the SMTP server: one per node, a new SMTP session per message.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `host:port (security)`, for logs.
    pub server: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer({})", self.server)
    }
}

/// How long one SMTP command may take before the message counts as not sent.
const TIMEOUT: Duration = Duration::from_secs(20);

fn mailbox(name: Option<&str>, email: &str) -> Result<Mailbox, String> {
    let address = email
        .parse()
        .map_err(|_| format!("{email} is not an address keel can send to"))?;
    Ok(Mailbox::new(name.map(String::from), address))
}

impl Mailer {
    pub fn new(s: &SmtpSettings) -> Result<Mailer, String> {
        let tls = |host: &str| {
            TlsParameters::new(host.to_string())
                .map_err(|e| format!("the SMTP host {host} cannot be used with TLS: {e}"))
        };
        let tls = match s.security {
            Security::StartTls => Tls::Required(tls(&s.host)?),
            Security::Tls => Tls::Wrapper(tls(&s.host)?),
            Security::None => Tls::None,
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone())
            .port(s.port)
            .tls(tls)
            .timeout(Some(TIMEOUT));
        if let (Some(u), Some(p)) = (&s.username, &s.password) {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(Mailer {
            transport: b.build(),
            from: s.from.clone(),
            server: format!("{}:{} ({})", s.host, s.port, s.security.as_str()),
        })
    }

    /// Sends one message; the error is a sentence for the page or the log.
    pub async fn send(&self, mail: &Mail) -> Result<(), String> {
        let mut m = Message::builder()
            .from(self.from.clone())
            .to(mailbox(mail.to_name.as_deref(), &mail.to_email)?)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN);
        if let Some((name, email)) = &mail.reply_to {
            if let Ok(r) = mailbox(Some(name), email) {
                m = m.reply_to(r);
            }
        }
        // Quoted-printable keeps every line short and every link intact whatever the server.
        let body =
            Body::new_with_encoding(mail.text.clone(), ContentTransferEncoding::QuotedPrintable)
                .map_err(|_| "the message could not be encoded".to_string())?;
        let message = m
            .body(body)
            .map_err(|e| format!("the message could not be built: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("the mail server {} did not take it: {e}", self.server))
    }
}
