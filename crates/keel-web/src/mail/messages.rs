//! What keel's emails say. Plain text: every client shows it, and no markup from a
//! workspace's name or a person's name can reach a mail reader as HTML.

use super::Mail;
use keel_domain::Role;

/// An invitation to join a workspace, with its one-use link.
pub struct Invitation<'a> {
    pub to_email: &'a str,
    pub inviter_name: &'a str,
    pub inviter_email: &'a str,
    pub workspace_name: &'a str,
    pub role: Role,
    pub link: &'a str,
    /// "8 Dec 2026", on the workspace's calendar.
    pub expires: &'a str,
}

pub fn invitation(i: &Invitation) -> Mail {
    let text = format!(
        "Hello,\n\n\
         {inviter} invited you to join {ws} on keel, where the marketing team keeps its \
         operating model: who owns what, the workflows, the work and its reviews.\n\n\
         You would join as {role}.\n\n\
         Open this link to join:\n\n{link}\n\n\
         The link works once and until {expires}. If you did not expect this invitation, \
         ignore this email: nothing happens unless the link is opened.\n",
        inviter = i.inviter_name,
        ws = i.workspace_name,
        role = role_words(i.role),
        link = i.link,
        expires = i.expires,
    );
    Mail {
        to_email: i.to_email.to_string(),
        to_name: None,
        reply_to: Some((i.inviter_name.to_string(), i.inviter_email.to_string())),
        subject: format!(
            "{} invited you to {} on keel",
            i.inviter_name, i.workspace_name
        ),
        text,
    }
}

fn role_words(r: Role) -> &'static str {
    match r {
        Role::Owner => "an owner (you manage the workspace and its members)",
        Role::Admin => "an admin (you manage the workspace and its members)",
        Role::Member => "a member (you change the operating model and run the work)",
        Role::Partner => "a partner (you see the work assigned to you)",
        Role::Viewer => "a viewer (you read everything and change nothing)",
    }
}

/// A link to set a new password.
pub fn password_reset(to_email: &str, to_name: &str, link: &str, minutes: i64) -> Mail {
    let text = format!(
        "Hello {to_name},\n\n\
         Someone asked keel for a link to set a new password for {to_email}. If it was you, \
         open this link and choose a new password:\n\n{link}\n\n\
         The link works once, for {minutes} minutes. Setting a new password signs you out \
         everywhere else.\n\n\
         If you did not ask for it, ignore this email: your password stays as it is.\n"
    );
    Mail {
        to_email: to_email.to_string(),
        to_name: Some(to_name.to_string()),
        reply_to: None,
        subject: "Set a new keel password".into(),
        text,
    }
}

/// One work item in a digest: its title, a note (a date, a reason, where it waits) and its
/// address.
pub struct DigestLine {
    pub title: String,
    pub note: String,
    pub link: String,
}

/// The weekly digest of one workspace for one person.
pub struct Digest {
    pub to_email: String,
    pub to_name: String,
    pub workspace_name: String,
    /// "30 Nov 2026": the week's Monday.
    pub week: String,
    pub to_approve: Vec<DigestLine>,
    pub launches: Vec<DigestLine>,
    pub blocked: Vec<DigestLine>,
    /// The workspace's home page.
    pub home: String,
    /// Where the digest is turned off.
    pub account: String,
}

/// At most this many lines per section; the rest is counted and left to the page.
const DIGEST_LINES: usize = 15;

fn section(out: &mut String, heading: &str, lines: &[DigestLine]) {
    if lines.is_empty() {
        return;
    }
    out.push_str(&format!("{heading} ({})\n\n", lines.len()));
    for l in lines.iter().take(DIGEST_LINES) {
        if l.note.is_empty() {
            out.push_str(&format!("- {}\n  {}\n", l.title, l.link));
        } else {
            out.push_str(&format!("- {} ({})\n  {}\n", l.title, l.note, l.link));
        }
    }
    if lines.len() > DIGEST_LINES {
        out.push_str(&format!(
            "  and {} more in keel\n",
            lines.len() - DIGEST_LINES
        ));
    }
    out.push('\n');
}

fn count(n: usize, one: &str, many: &str) -> Option<String> {
    match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    }
}

pub fn digest(d: &Digest) -> Mail {
    let mut text = format!(
        "Hello {},\n\nThis is the week of {} in {}.\n\n",
        d.to_name, d.week, d.workspace_name
    );
    section(&mut text, "Waiting for your approval", &d.to_approve);
    section(&mut text, "Launching this week", &d.launches);
    section(&mut text, "Blocked", &d.blocked);
    text.push_str(&format!(
        "Open {}: {}\n\n\
         You get this email every Monday because you asked for the weekly digest. Turn it off \
         on your account page: {}\n",
        d.workspace_name, d.home, d.account
    ));
    let parts: Vec<String> = [
        count(d.to_approve.len(), "waiting for you", "waiting for you"),
        count(d.launches.len(), "launch", "launches"),
        count(d.blocked.len(), "blocked", "blocked"),
    ]
    .into_iter()
    .flatten()
    .collect();
    Mail {
        to_email: d.to_email.clone(),
        to_name: Some(d.to_name.clone()),
        reply_to: None,
        subject: format!("Your week in {}: {}", d.workspace_name, parts.join(", ")),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_names_who_invites_where_and_carries_the_link() {
        let m = invitation(&Invitation {
            to_email: "bo@example.com",
            inviter_name: "Ana Lima",
            inviter_email: "ana@example.com",
            workspace_name: "Acme Marketing",
            role: Role::Member,
            link: "https://keel.example.com/invite/abc",
            expires: "8 Dec 2026",
        });
        assert_eq!(m.subject, "Ana Lima invited you to Acme Marketing on keel");
        assert!(m.text.contains("\nhttps://keel.example.com/invite/abc\n"));
        assert!(m.text.contains("until 8 Dec 2026"));
        assert_eq!(m.reply_to.unwrap().1, "ana@example.com");
    }
}
