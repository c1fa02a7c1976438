//! The account page (`/account`): the signed-in person's own settings across workspaces. Today
//! the weekly digest by email, chosen per workspace (off until turned on); the change is a
//! change to the membership, so each workspace's audit log shows it.

use super::layout::{render, Chrome};
use crate::ctx::SignedIn;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_store::DigestChoice;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/account", page).post("/account/digest", save_digest)
}

#[derive(Template)]
#[template(path = "my_account.html")]
struct Page {
    chrome: Chrome,
    email: String,
    choices: Vec<DigestChoice>,
    /// keel has SMTP settings: digests go out.
    can_mail: bool,
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    #[serde(default)]
    notice: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let choices = state.store.digest_choices(s.user_id).await?;
    render(&Page {
        chrome: Chrome::signed_in("Your account", &s).with_notice(q.notice.as_deref()),
        email: s.email.clone(),
        choices,
        can_mail: state.mailer.is_some(),
    })
}

/// The form: one `digest` field per workspace ticked (its address name); every workspace of
/// the account not named is off.
async fn save_digest(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let ticked: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "digest")
        .map(|(_, v)| v.as_str())
        .collect();
    for c in state.store.digest_choices(s.user_id).await? {
        let on = ticked.contains(&c.workspace.slug.as_str());
        if on != c.weekly_digest {
            state
                .store
                .set_weekly_digest(c.workspace.id, s.user_id, on)
                .await?;
        }
    }
    Ok(Redirect::to("/account?notice=digest-saved").into_response())
}
