//! A work item's links to the strategy: the objective or priority it serves (what makes it
//! traced, `keel_domain::fit`), the channel it runs in and the offer it carries.

use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::pages::forms::{choices, version, Choice, Errors};
use crate::AppState;
use keel_domain::fit::{self, WorkLink, WorkLinkInput};
use keel_domain::health::Model;
use keel_domain::Invalid;
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct LinksForm {
    #[serde(default)]
    pub objective_id: String,
    #[serde(default)]
    pub priority_id: String,
    #[serde(default)]
    pub channel_id: String,
    #[serde(default)]
    pub offer_id: String,
    #[serde(default)]
    pub version: String,
}

impl LinksForm {
    pub fn input(&self) -> WorkLinkInput {
        WorkLinkInput {
            objective_id: self.objective_id.clone(),
            priority_id: self.priority_id.clone(),
            channel_id: self.channel_id.clone(),
            offer_id: self.offer_id.clone(),
        }
    }

    fn from_link(l: &WorkLink) -> LinksForm {
        let id = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        LinksForm {
            objective_id: id(l.objective_id),
            priority_id: id(l.priority_id),
            channel_id: id(l.channel_id),
            offer_id: id(l.offer_id),
            version: l.version.to_string(),
        }
    }
}

/// What the item page shows about the links, and the form to change them.
pub struct Section {
    pub can_edit: bool,
    pub traced: bool,
    /// (what, name, link) of each link set, for reading.
    pub named: Vec<(&'static str, String, String)>,
    pub form: LinksForm,
    pub errors: Errors,
    pub objectives: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub offers: Vec<Choice>,
}

/// The stored links of an item, naming only what the reader's view holds.
pub async fn stored(
    state: &AppState,
    ctx: &WsCtx,
    seen: &Model,
    id: i64,
) -> Result<WorkLink, PageError> {
    let l = state
        .store
        .find_work_link(ctx.ws.id, id)
        .await?
        .unwrap_or(WorkLink {
            work_id: id,
            ..Default::default()
        });
    let keep = |v: Option<i64>, ok: &dyn Fn(i64) -> bool| v.filter(|x| ok(*x));
    Ok(WorkLink {
        objective_id: keep(l.objective_id, &|x| {
            seen.objectives.iter().any(|o| o.id == x)
        }),
        priority_id: keep(l.priority_id, &|x| {
            seen.priorities.iter().any(|p| p.id == x)
        }),
        channel_id: keep(l.channel_id, &|x| seen.channels.iter().any(|c| c.id == x)),
        offer_id: keep(l.offer_id, &|x| seen.offers.iter().any(|o| o.id == x)),
        ..l
    })
}

pub fn section(
    ctx: &WsCtx,
    seen: &Model,
    link: &WorkLink,
    typed: Option<(LinksForm, Invalid)>,
) -> Section {
    let slug = &ctx.ws.slug;
    let mut named = vec![];
    if let Some(o) = link
        .objective_id
        .and_then(|id| seen.objectives.iter().find(|o| o.id == id))
    {
        named.push((
            "Objective",
            o.outcome.clone(),
            format!("/w/{slug}/objectives/{}", o.id),
        ));
    }
    if let Some(p) = link
        .priority_id
        .and_then(|id| seen.priorities.iter().find(|p| p.id == id))
    {
        named.push((
            "Priority",
            p.title.clone(),
            format!("/w/{slug}/priorities/{}", p.id),
        ));
    }
    if let Some(c) = link
        .channel_id
        .and_then(|id| seen.channels.iter().find(|c| c.id == id))
    {
        named.push((
            "Channel",
            c.name.clone(),
            format!("/w/{slug}/channels/{}", c.id),
        ));
    }
    if let Some(o) = link
        .offer_id
        .and_then(|id| seen.offers.iter().find(|o| o.id == id))
    {
        named.push((
            "Offer",
            o.name.clone(),
            format!("/w/{slug}/offers/{}", o.id),
        ));
    }
    let (form, errors) = typed.unwrap_or_else(|| (LinksForm::from_link(link), Invalid::new()));
    let none = |what: &str| (String::new(), format!("No {what}"));
    Section {
        can_edit: ctx.role.can_edit_model(),
        traced: fit::traced(link),
        named,
        objectives: choices(
            std::iter::once(none("objective")).chain(
                seen.objectives
                    .iter()
                    .map(|o| (o.id.to_string(), o.outcome.clone())),
            ),
            &form.objective_id,
        ),
        priorities: choices(
            std::iter::once(none("priority")).chain(seen.priorities.iter().map(|p| {
                (
                    p.id.to_string(),
                    format!("{} ({})", p.title, p.status.as_str()),
                )
            })),
            &form.priority_id,
        ),
        channels: choices(
            std::iter::once(none("channel")).chain(
                seen.channels
                    .iter()
                    .map(|c| (c.id.to_string(), c.name.clone())),
            ),
            &form.channel_id,
        ),
        offers: choices(
            std::iter::once(none("offer")).chain(
                seen.offers
                    .iter()
                    .map(|o| (o.id.to_string(), o.name.clone())),
            ),
            &form.offer_id,
        ),
        form,
        errors: Errors(errors),
    }
}

/// The expected version a form names.
pub fn expected(f: &LinksForm) -> i64 {
    version(&f.version)
}
