//! Parsing requests that hand out a role (invitations and API tokens): nobody may grant more
//! than they hold. Pages and API both call these.

use keel_domain::{text, Invalid, Role};

/// Parses an invitation request: a role the inviter may grant, and an optional email.
pub fn parse_invite(
    inviter: Role,
    role: &str,
    email: &str,
) -> Result<(Role, Option<String>), Invalid> {
    let mut inv = Invalid::new();
    let role = inv.take("role", Role::parse(role));
    if let Some(r) = role {
        if !inviter.may_grant(r) {
            inv.push(
                "role",
                "You can invite people with your own role or a lower one.",
            );
        }
    }
    let email = if email.trim().is_empty() {
        Some(None)
    } else {
        inv.take("email", text::email(email).map(Some))
    };
    inv.into_result(|| (role.unwrap_or(Role::Viewer), email.flatten()))
}

/// A token may see and do no more than its creator (and is capped at admin).
pub fn parse_token(creator: Role, name: &str, role: &str) -> Result<(String, Role), Invalid> {
    let mut inv = Invalid::new();
    let name = inv.take("name", text::required(name, "a name for the token", 80));
    let role = inv.take("role", Role::parse(role));
    if let Some(r) = role {
        if !creator.may_mint_token(r) {
            inv.push(
                "role",
                "A token can only do what your own role does (and at most admin): choose your role or one it includes.",
            );
        }
    }
    inv.into_result(|| (name.unwrap_or_default(), role.unwrap_or(Role::Viewer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_grants_more_than_they_hold() {
        assert!(parse_invite(Role::Admin, "member", "").is_ok());
        assert!(parse_invite(Role::Admin, "owner", "").is_err());
        assert!(parse_invite(Role::Member, "viewer", "").is_err());
        assert!(parse_invite(Role::Owner, "partner", "not-an-email").is_err());
        assert!(parse_token(Role::Member, "script", "member").is_ok());
        assert!(parse_token(Role::Member, "script", "admin").is_err());
        assert!(parse_token(Role::Owner, "script", "owner").is_err());
        assert!(parse_token(Role::Viewer, " ", "viewer").is_err());
        assert!(parse_token(Role::Partner, "x", "viewer").is_err());
        assert!(parse_token(Role::Viewer, "x", "partner").is_err());
        assert!(parse_token(Role::Partner, "x", "partner").is_ok());
    }
}
