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

    /// Sees the CRM's leads, lead quality and spend (a partner does not: they are the
    /// company's, not the agency's).
    pub fn sees_leads(self) -> bool {
        self != Role::Partner
    }

    /// Sees review cadences, reviews and decisions (a partner does not: a review weighs the
    /// whole team's evidence, and the company keeps the decision).
    pub fn sees_reviews(self) -> bool {
        self != Role::Partner
    }

    /// May accept or reject leads: everyone who sees them, viewers too (the sales lead is
    /// usually a viewer).
    pub fn can_give_feedback(self) -> bool {
        self.sees_leads()
    }

    /// Everything `other` may see and do, `self` may see and do too. Roles are not a line:
    /// a viewer reads the whole workspace but changes nothing, a partner reads only its own
    /// work but works on it, so neither covers the other. Member and above cover both.
    pub fn covers(self, other: Role) -> bool {
        match self {
            Role::Viewer | Role::Partner => other == self,
            _ => other <= self,
        }
    }

    /// Invites and role changes: only managers grant, and only what their own role covers.
    pub fn may_grant(self, other: Role) -> bool {
        self.can_manage() && self.covers(other)
    }

    /// A token may carry any role its creator's role covers, but never owner.
    pub fn may_mint_token(self, other: Role) -> bool {
        other != Role::Owner && self.covers(other)
    }

    /// What a credential may do when it carries `self` for a member who now holds `member`
    /// (a token outlives role changes): the narrower of the two, or nothing when neither
    /// covers the other.
    pub fn narrowed_by(self, member: Role) -> Option<Role> {
        if member.covers(self) {
            Some(self)
        } else if self.covers(member) {
            Some(member)
        } else {
            None
        }
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

    /// What each role sees and does, as sets: (sees everything, works on assigned work,
    /// edits the model, manages, owns). Coverage must be exactly set inclusion.
    fn abilities(r: Role) -> [bool; 5] {
        [
            r.sees_everything(),
            r != Role::Viewer,
            r.can_edit_model(),
            r.can_manage(),
            r == Role::Owner,
        ]
    }

    #[test]
    fn a_role_covers_another_exactly_when_it_can_see_and_do_all_of_it() {
        for a in Role::ALL {
            for b in Role::ALL {
                let subset = abilities(b)
                    .iter()
                    .zip(abilities(a))
                    .all(|(need, has)| !need || has);
                assert_eq!(a.covers(b), subset, "{a} covers {b}?");
            }
        }
        assert!(!Role::Partner.covers(Role::Viewer));
        assert!(!Role::Viewer.covers(Role::Partner));
        assert!(Role::Partner.may_mint_token(Role::Partner));
        assert!(!Role::Partner.may_mint_token(Role::Viewer));
        assert!(!Role::Owner.may_mint_token(Role::Owner));
        assert_eq!(Role::Viewer.narrowed_by(Role::Partner), None);
        assert_eq!(Role::Admin.narrowed_by(Role::Member), Some(Role::Member));
        assert_eq!(Role::Viewer.narrowed_by(Role::Admin), Some(Role::Viewer));
    }

    #[test]
    fn roles_parse_back() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(Role::parse("god").is_err());
    }
}
