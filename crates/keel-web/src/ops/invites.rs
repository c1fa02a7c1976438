//! Creating an invitation, for the members page and `POST /api/v1/invites` alike: a one-use
//! code stored hashed, the link built on the public address, and the email when keel has SMTP
//! settings and the invitation names an address.

use crate::auth::secret;
use crate::mail::messages::{self, Invitation};
use crate::time_fmt::{date, now};
use crate::AppState;
use keel_domain::{Role, Zone};
use keel_store::{Invite, StoreError, Workspace};

/// What happened to the email of a new invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Emailed {
    /// The invitation names no address: only the link.
    NoAddress,
    /// keel has no SMTP settings: only the link.
    NoMailer,
    Sent(String),
    /// The mail server refused or could not be reached; the link still works.
    Failed(String),
}

impl Emailed {
    pub fn sent(&self) -> bool {
        matches!(self, Emailed::Sent(_))
    }
}

/// Who invites.
pub struct Inviter<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub email: &'a str,
}

pub struct Created {
    pub invite: Invite,
    pub link: String,
    pub emailed: Emailed,
}

pub async fn create(
    state: &AppState,
    ws: &Workspace,
    by: &Inviter<'_>,
    role: Role,
    email: Option<&str>,
) -> Result<Created, StoreError> {
    let code = secret::generate();
    let expires = now() + state.config.invite_ttl_secs;
    let invite = state
        .store
        .create_invite(
            ws.id,
            &secret::digest(&code),
            role,
            email,
            by.user_id,
            expires,
        )
        .await?;
    let link = format!("{}/invite/{code}", state.config.public_origin());
    let emailed = match (email, &state.mailer) {
        (None, _) => Emailed::NoAddress,
        (Some(_), None) => Emailed::NoMailer,
        (Some(to), Some(mailer)) => {
            let mail = messages::invitation(&Invitation {
                to_email: to,
                inviter_name: by.name,
                inviter_email: by.email,
                workspace_name: &ws.name,
                role,
                link: &link,
                expires: &date(expires, &Zone::stored(&ws.time_zone)),
            });
            match mailer.send(&mail).await {
                Ok(()) => Emailed::Sent(to.to_string()),
                Err(e) => {
                    tracing::warn!(invite = invite.id, "the invitation email was not sent: {e}");
                    Emailed::Failed(e)
                }
            }
        }
    };
    Ok(Created {
        invite,
        link,
        emailed,
    })
}
