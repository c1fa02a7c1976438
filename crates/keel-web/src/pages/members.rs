//! Members of a workspace, their roles, and invitation links.

use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::invites::{self, Emailed, Inviter};
use crate::routes::Routes;
use crate::time_fmt::{date, now};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::{Invalid, Role};
use keel_store::{Invite, Member, StoreError};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/members", page)
        .post("/w/{ws}/members/{member}/role", set_role)
        .post("/w/{ws}/members/{member}/remove", remove)
        .post("/w/{ws}/invites", invite)
        .post("/w/{ws}/invites/{invite}/delete", delete_invite)
}

#[derive(Template)]
#[template(path = "members.html")]
struct Page {
    chrome: Chrome,
    members: Vec<Member>,
    invites: Vec<Invite>,
    me: i64,
    roles: Vec<Choice>,
    invite_email: String,
    errors: Errors,
    /// The link of an invitation just created: shown once.
    new_link: Option<String>,
    /// What became of its email, said next to the link.
    emailed: Option<Emailed>,
    now: i64,
}

impl Page {
    fn role_choices(&self, current: &Role) -> Vec<Choice> {
        choices(
            Role::ALL.iter().map(|r| (r.as_str(), r.label())),
            current.as_str(),
        )
    }
    fn when(&self, t: &i64) -> String {
        date(*t, &self.chrome.zone)
    }
    /// The sentence about the new invitation's email, and whether it went.
    fn email_note(&self) -> Option<(bool, String)> {
        Some(match self.emailed.as_ref()? {
            Emailed::Sent(to) => (
                true,
                format!("Emailed to {to}. The link below works too, until it is used."),
            ),
            Emailed::Failed(why) => (
                false,
                format!("The email could not be sent ({why}). Send the link below yourself."),
            ),
            Emailed::NoMailer => (
                false,
                "This keel sends no email (no SMTP settings), so send the link below yourself."
                    .into(),
            ),
            Emailed::NoAddress => return None,
        })
    }
}

async fn render_page(
    state: &AppState,
    ctx: &WsCtx,
    notice: Option<&str>,
    form: (String, String),
    errors: Invalid,
    created: Option<(String, Emailed)>,
) -> Result<Response, PageError> {
    let members = state.store.list_members(ctx.ws.id).await?;
    let invites = if ctx.role.can_manage() {
        state.store.list_invites(ctx.ws.id).await?
    } else {
        vec![]
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (new_link, emailed) = created.unzip();
    let grantable = Role::ALL.into_iter().filter(|r| ctx.role.may_grant(*r));
    let page = Page {
        chrome: ctx.chrome("Members", "members").with_notice(notice),
        members,
        invites,
        me: ctx.session.user_id,
        roles: choices(grantable.map(|r| (r.as_str(), r.label())), &form.0),
        invite_email: form.1,
        errors: Errors(errors),
        new_link,
        emailed,
        now: now(),
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    if !ctx.role.sees_everything() {
        return Err(PageError::NotFound);
    }
    render_page(
        &state,
        &ctx,
        q.notice.as_deref(),
        ("member".into(), String::new()),
        Invalid::new(),
        None,
    )
    .await
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    version: String,
}

/// The hidden version of a remove form.
#[derive(Deserialize)]
struct RemoveForm {
    #[serde(default)]
    version: String,
}

/// Another admin changed or removed this member since the page was opened.
fn stale(name: &str) -> Invalid {
    Invalid::one(
        "role",
        format!("Someone changed {name}'s membership after you opened the page. The list shows it as it is now; do it again if you still want to."),
    )
}

async fn find_member(state: &AppState, ctx: &WsCtx, user_id: i64) -> Result<Member, PageError> {
    state
        .store
        .find_member(ctx.ws.id, user_id)
        .await?
        .ok_or(PageError::NotFound)
}

async fn set_role(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, user_id)): Path<(String, i64)>,
    Form(f): Form<RoleForm>,
) -> Result<Response, PageError> {
    let member = find_member(&state, &ctx, user_id).await?;
    ctx.require_manage()?;
    let role = Role::parse(&f.role).map_err(|m| PageError::Forbidden(m.into()))?;
    // An admin may not promote anyone (themselves included) above admin, nor change an owner.
    if !ctx.role.may_grant(role) || !ctx.role.may_grant(member.role) {
        return Err(PageError::Forbidden(
            "Only an owner can make or change owners.".into(),
        ));
    }
    match state
        .store
        .set_member_role(ctx.ws.id, user_id, version(&f.version), role)
        .await
    {
        Ok(()) => Ok(Redirect::to(&ctx.link("/members?notice=member-saved")).into_response()),
        Err(StoreError::Stale { .. }) => {
            let inv = stale(&member.name);
            render_page(
                &state,
                &ctx,
                None,
                ("member".into(), String::new()),
                inv,
                None,
            )
            .await
        }
        Err(StoreError::Conflict(m)) => {
            render_page(
                &state,
                &ctx,
                None,
                ("member".into(), String::new()),
                Invalid::one("role", m),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, user_id)): Path<(String, i64)>,
    Form(f): Form<RemoveForm>,
) -> Result<Response, PageError> {
    let member = find_member(&state, &ctx, user_id).await?;
    ctx.require_manage()?;
    if !ctx.role.may_grant(member.role) {
        return Err(PageError::Forbidden(
            "Only an owner can remove an owner.".into(),
        ));
    }
    match state
        .store
        .remove_member(ctx.ws.id, user_id, version(&f.version))
        .await
    {
        Ok(()) => Ok(Redirect::to(&ctx.link("/members?notice=member-removed")).into_response()),
        Err(StoreError::Stale { .. }) => {
            let inv = stale(&member.name);
            render_page(
                &state,
                &ctx,
                None,
                ("member".into(), String::new()),
                inv,
                None,
            )
            .await
        }
        Err(StoreError::Conflict(m)) => {
            render_page(
                &state,
                &ctx,
                None,
                ("member".into(), String::new()),
                Invalid::one("role", m),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    email: String,
}

async fn invite(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(f): Form<InviteForm>,
) -> Result<Response, PageError> {
    ctx.require_manage()?;
    match crate::grants::parse_invite(ctx.role, &f.role, &f.email) {
        Ok((role, email)) => {
            let by = Inviter {
                user_id: ctx.session.user_id,
                name: &ctx.session.name,
                email: &ctx.session.email,
            };
            let c = invites::create(&state, &ctx.ws, &by, role, email.as_deref()).await?;
            render_page(
                &state,
                &ctx,
                None,
                ("member".into(), String::new()),
                Invalid::new(),
                Some((c.link, c.emailed)),
            )
            .await
        }
        Err(inv) => render_page(&state, &ctx, None, (f.role, f.email), inv, None).await,
    }
}

async fn delete_invite(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    state
        .store
        .find_invite(ctx.ws.id, id)
        .await?
        .ok_or(PageError::NotFound)?;
    ctx.require_manage()?;
    state.store.delete_invite(ctx.ws.id, id).await?;
    Ok(Redirect::to(&ctx.link("/members?notice=invite-deleted")).into_response())
}
