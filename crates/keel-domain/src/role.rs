//! Roles a user holds in one workspace, and what each may do.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads dashboards and reviews; changes nothing.
    Viewer,
    /// An agency or contractor: sees and works only on what is assigned to its person.
    Partner,
    /// Marketers and operators: create and change the model.
    Member,
    /// Configures the workspace and its users.
    Admin,
    /// Like admin; the last owner cannot be removed.
    Owner,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Admin,
        Role::Member,
        Role::Partner,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Partner => "partner",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Result<Role, String> {
        match s.trim().to_lowercase().as_str() {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "member" => Ok(Role::Member),
            "partner" => Ok(Role::Partner),
            "viewer" => Ok(Role::Viewer),
            _ => Err("Choose a role: owner, admin, member, partner or viewer.".into()),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::Member => "Member",
            Role::Partner => "Partner (external)",
            Role::Viewer => "Viewer",
        }
    }

    /// May change people, functions and the rest of the operating model.
    pub fn can_edit_model(self) -> bool {
        self >= Role::Member
    }

    /// May invite people, change roles and manage the workspace.
    pub fn can_manage(self) -> bool {
        self >= Role::Admin
    }

    /// Sees every record of the workspace (a partner sees only what is assigned to it).
    pub fn sees_everything(self) -> bool {
        self != Role::Partner
    }

    /// A role may hand out (to an invite or token) only roles up to its own.
    pub fn may_grant(self, other: Role) -> bool {
        self.can_manage() && other <= self
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_order_by_power() {
        assert!(Role::Owner.can_manage());
        assert!(Role::Admin.can_manage());
        assert!(!Role::Member.can_manage());
        assert!(Role::Member.can_edit_model());
        assert!(!Role::Partner.can_edit_model());
        assert!(!Role::Viewer.can_edit_model());
        assert!(!Role::Partner.sees_everything());
        assert!(Role::Admin.may_grant(Role::Member));
        assert!(!Role::Admin.may_grant(Role::Owner));
        assert!(!Role::Member.may_grant(Role::Viewer));
    }

    #[test]
    fn roles_parse_back() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(Role::parse("god").is_err());
    }
}
