//! What every page shares: title, user, workspace navigation, CSRF token, a notice.

use crate::auth::session::Session;
use crate::ctx::WsCtx;
use crate::error::PageError;
use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use keel_domain::Role;

pub struct NavWs {
    pub slug: String,
    pub name: String,
    pub role: Role,
}

pub struct NavItem {
    pub key: &'static str,
    pub label: &'static str,
    pub path: &'static str,
}

pub struct Chrome {
    pub title: String,
    pub user: Option<String>,
    pub csrf: String,
    pub ws: Option<NavWs>,
    pub nav: Vec<NavItem>,
    pub active: &'static str,
    pub notice: Option<String>,
    /// The workspace's time zone: dates are shown, and typed, on its calendar.
    pub zone: keel_domain::Zone,
    /// What the header's search box shows (the search page's query).
    pub search: String,
}

fn nav_for(role: Role) -> Vec<NavItem> {
    let mut v = vec![
        NavItem {
            key: "home",
            label: "Home",
            path: "",
        },
        NavItem {
            key: "strategy",
            label: "Strategy",
            path: "/strategy",
        },
        NavItem {
            key: "priorities",
            label: "Priorities",
            path: "/priorities",
        },
        NavItem {
            key: "objectives",
            label: "Objectives",
            path: "/objectives",
        },
        NavItem {
            key: "channels",
            label: "Channels",
            path: "/channels",
        },
        NavItem {
            key: "offers",
            label: "Offers",
            path: "/offers",
        },
        NavItem {
            key: "metrics",
            label: "Metrics",
            path: "/metrics",
        },
        NavItem {
            key: "people",
            label: "Team",
            path: "/people",
        },
        NavItem {
            key: "functions",
            label: "Functions",
            path: "/functions",
        },
        NavItem {
            key: "ownership",
            label: "Ownership",
            path: "/ownership",
        },
        NavItem {
            key: "workflows",
            label: "Workflows",
            path: "/workflows",
        },
        NavItem {
            key: "work",
            label: "Work",
            path: "/work",
        },
    ];
    if role.sees_leads() {
        v.push(NavItem {
            key: "leads",
            label: "Leads",
            path: "/leads",
        });
    }
    if role.sees_reviews() {
        v.push(NavItem {
            key: "reviews",
            label: "Reviews",
            path: "/reviews",
        });
    }
    v.extend([NavItem {
        key: "health",
        label: "Health",
        path: "/health",
    }]);
    if role.sees_everything() {
        v.push(NavItem {
            key: "members",
            label: "Members",
            path: "/members",
        });
    }
    v.push(NavItem {
        key: "tokens",
        label: "API tokens",
        path: "/tokens",
    });
    if role.can_manage() {
        v.push(NavItem {
            key: "settings",
            label: "Settings",
            path: "/settings",
        });
        v.push(NavItem {
            key: "audit",
            label: "Audit log",
            path: "/audit",
        });
    }
    v
}

impl Chrome {
    pub fn public(title: impl Into<String>) -> Chrome {
        Chrome {
            title: title.into(),
            user: None,
            csrf: String::new(),
            ws: None,
            nav: vec![],
            active: "",
            notice: None,
            zone: keel_domain::Zone::utc(),
            search: String::new(),
        }
    }

    pub fn signed_in(title: impl Into<String>, session: &crate::auth::session::Session) -> Chrome {
        Chrome {
            user: Some(session.name.clone()),
            csrf: session.csrf.clone(),
            ..Chrome::public(title)
        }
    }

    pub fn in_workspace(title: impl Into<String>, active: &'static str, ctx: &WsCtx) -> Chrome {
        Chrome {
            ws: Some(NavWs {
                slug: ctx.ws.slug.clone(),
                name: ctx.ws.name.clone(),
                role: ctx.role,
            }),
            nav: nav_for(ctx.role),
            active,
            zone: ctx.ws.zone(),
            ..Chrome::signed_in(title, &ctx.session)
        }
    }

    /// The layout of an error page: the caller's own navigation when signed in, and the
    /// workspace's when the request named one the caller is a member of (read with the
    /// session, so a workspace they are not in stays unnamed).
    pub fn for_error(title: impl Into<String>, session: Option<&Session>) -> Chrome {
        let Some(s) = session else {
            return Chrome::public(title);
        };
        let mut c = Chrome::signed_in(title, s);
        if let Some(m) = &s.here {
            c.ws = Some(NavWs {
                slug: m.workspace.slug.clone(),
                name: m.workspace.name.clone(),
                role: m.role,
            });
            c.nav = nav_for(m.role);
        }
        c
    }

    pub fn with_notice(mut self, notice: Option<&str>) -> Chrome {
        self.notice = notice.and_then(notice_text).map(String::from);
        self
    }

    pub fn can_edit(&self) -> bool {
        self.ws.as_ref().is_some_and(|w| w.role.can_edit_model())
    }

    /// "America/Los_Angeles": said next to every date a person types.
    pub fn zone_name(&self) -> String {
        self.zone.name()
    }

    pub fn can_manage(&self) -> bool {
        self.ws.as_ref().is_some_and(|w| w.role.can_manage())
    }
}

/// Notices are chosen by code, never echoed from the address bar.
fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "person-saved" => "Person saved.",
        "person-added" => "Person added. Add the next one below.",
        "people-saved" => "People added. Name them as owners in the owners grid (Functions, then Set owners).",
        "commitment-saved" => "Commitments saved; the load below is up to date.",
        "person-erased" => "Personal data erased. Their work and history stay, under the new name.",
        "erase-unconfirmed" => "Nothing was erased: type the person's name exactly as shown to confirm.",
        "person-deleted" => "Person removed. Functions they owned now show as unowned.",
        "function-saved" => "Function saved.",
        "function-added" => "Function added. Add the next one below.",
        "function-deleted" => "Function removed.",
        "owner-saved" => "Owners saved.",
        "owners-saved" => "Owners saved. The Ownership page shows who decides and executes what.",
        "objective-saved" => "Objective saved. Its SMART check below says what, if anything, is still missing.",
        "objective-deleted" => "Objective removed. Its priorities now serve no objective.",
        "priority-saved" => "Priority saved.",
        "links-saved" => "Links saved. The Strategy page counts this work as traced when it names an objective or priority.",
        "fit-limit-saved" => "Limit on untraced work saved.",
        "spend-imported" => "Spend saved from the table. Lead quality sets it against the leads each channel and campaign brought.",
        "lead-thresholds-saved" => "Thresholds saved. The poor-fit flags and the completeness bar below use them.",
        "priority-deleted" => "Priority removed.",
        "channel-saved" => "Channel saved.",
        "cadence-saved" => "Review cadence saved.",
        "review-exists" => "A review of that kind is already open for today.",
        "review-closed" => "Review closed. Its decisions are in the log, and the next review checks the ones due.",
        "decision-recorded" => "Decision recorded.",
        "decision-paused" => "Decision recorded; what it pauses is paused.",
        "decision-acted" => "Decision recorded; what it pauses is paused and what it retires is retired.",
        "notes-saved" => "Notes saved.",
        "decision-saved" => "Decision updated.",
        "channel-deleted" => "Channel removed.",
        "offer-saved" => "Offer saved.",
        "layer-saved" => "Layer saved.",
        "segment-saved" => "Segment saved.",
        "segment-deleted" => "Segment removed, with its personas.",
        "persona-saved" => "Persona saved.",
        "persona-deleted" => "Persona removed.",
        "program-saved" => "Program saved.",
        "program-deleted" => "Program removed.",
        "message-saved" => "Message saved.",
        "offer-deleted" => "Offer removed.",
        "metric-saved" => "Metric saved.",
        "metric-deleted" => "Metric removed, with its values.",
        "priority-moved" => "Priority moved; the ranks below are renumbered from 1.",
        "value-saved" => "Value saved; the chart and the table below include it.",
        "values-imported" => "Values loaded from the pasted table; the chart and the table below include them.",
        "value-deleted" => "Value removed.",
        "channel-limit-saved" => "Channel-focus limit saved.",
        "settings-saved" => "Settings saved. Dates from now on are read in the new time zone.",
        "member-saved" => "Role changed.",
        "member-removed" => "Member removed from this workspace.",
        "invite-deleted" => "Invitation withdrawn; its link no longer works.",
        "workflow-created" => "Workflow created from the template as a draft. Check the owners and stages, then set it to pilot or active.",
        "workflow-saved" => "Workflow saved. The previous version is kept in its history.",
        "workflow-deleted" => "Workflow deleted.",
        "work-saved" => "Work item saved.",
        "work-added" => "Work item started. Add the next one below; it is on the board already.",
        "work-deleted" => "Work item deleted.",
        "web-link-added" => "Link added.",
        "web-link-removed" => "Link removed.",
        "comment-added" => "Comment added. The people it names see it under My work.",
        "comment-removed" => "Comment removed.",
        "work-moved" => "Saved. The history at the bottom of the page shows what changed.",
        "work-cancelled" => "Work cancelled. Changed your mind? Reopen it below: it carries on where it stopped.",
        "work-reopened" => "Work reopened where it stopped.",
        "work-approved" => "Approved. The work is back with its execution owner to pass the gate.",
        "feed-created" => "Calendar address created. Copy it into your calendar app now: it is shown only once.",
        "feed-revoked" => "Calendar address revoked; calendars using it stop updating.",
        "token-revoked" => "Token revoked; scripts using it are now refused.",
        "webhook-saved" => "Webhook saved.",
        "webhook-deleted" => "Webhook removed, with its delivery log.",
        "webhook-test-queued" => "Test event queued: it is sent within a few seconds; reload to see the answer below.",
        "webhook-redelivering" => "Queued to be sent again now; reload to see the answer below.",
        "lead-accepted" => "Lead accepted.",
        "lead-rejected" => "Lead rejected; the reason now counts in lead quality.",
        "lead-changed" => "Someone else judged that lead first; here is the queue as it is now.",
        "reason-needed" => "Rejecting a lead needs a reason from the list.",
        "spend-saved" => "Spend saved.",
        "spend-deleted" => "Spend removed.",
        "joined" => "Welcome! You are now a member of this workspace.",
        "signed-out" => "You are signed out.",
        "digest-saved" => "Saved. Digests go out on Mondays to the workspaces ticked.",
        "password-set" => "Your new password is set, and you are signed out everywhere else. Sign in with it.",
        "set-up" => "Your account and workspace are ready. The first steps below set up your team.",
        "already-set-up" => "keel is already set up: an account exists. Sign in, or ask its owner for an invitation.",
        _ => return None,
    })
}

pub fn render<T: Template>(t: &T) -> Result<Response, PageError> {
    t.render()
        .map(|html| Html(html).into_response())
        .map_err(|e| PageError::Internal(format!("template: {e}")))
}
