//! The strategy page: the four layers of the stack, fastest at the top, each with its owner,
//! planning cycle, last review and goals, what links to it (objectives, offers, segments,
//! personas, the message map, programs and their channels, offers and workflows), and what the
//! faster layers above learned since its last review. Layer settings are edited in place.

use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use super::objectives::owner_choices;
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::stack::{self as ops, LayerView, SaveError};
use crate::ops::strategy::view;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::health::Model;
use keel_domain::stack::message::MapRow;
use keel_domain::stack::{Cycle, Layer, LayerInput};
use keel_domain::Invalid;
use keel_store::StoreError;
use serde::Deserialize;
use std::sync::Arc;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/strategy", page)
        .post("/w/{ws}/strategy/layer", save_layer)
}

/// A link to a record: its name and where it lives.
pub struct Link {
    pub name: String,
    pub href: String,
}

pub struct ProgramRow {
    pub id: i64,
    pub name: String,
    pub phase: &'static str,
    pub owner: Option<String>,
    pub goal: Option<String>,
    pub links: Vec<Link>,
}

pub struct SegmentRow {
    pub segment: keel_domain::stack::Segment,
    pub personas: Vec<String>,
}

/// One layer's section: its view, the form's values and errors, and what links to it.
pub struct Section<'a> {
    /// Kept with the cached model; borrowed, as what was learned can be long.
    pub view: &'a LayerView,
    pub key: &'static str,
    pub label: &'static str,
    pub form: LayerForm,
    pub errors: Errors,
    pub conflict: bool,
    pub owners: Vec<Choice>,
    pub cycles: Vec<Choice>,
    pub objectives: Vec<Link>,
}

#[derive(Template)]
#[template(path = "strategy/stack.html")]
struct Page<'a> {
    chrome: Chrome,
    /// Fastest (tactics) first; empty for a partner.
    sections: Vec<Section<'a>>,
    programs: Vec<ProgramRow>,
    stages: Vec<String>,
    map: Vec<MapRow>,
    segments: Vec<SegmentRow>,
    offers: Vec<Link>,
    /// Strategic fit (none for a partner).
    fit: Option<super::strategic_fit::FitSection>,
}

#[derive(Deserialize, Default, Clone)]
pub struct LayerForm {
    #[serde(default)]
    pub layer: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub cycle: String,
    #[serde(default)]
    pub last_reviewed: String,
    #[serde(default)]
    pub goals: String,
    #[serde(default)]
    pub revenue_goal: String,
    #[serde(default)]
    pub revenue_from: String,
    #[serde(default)]
    pub revenue_to: String,
    #[serde(default)]
    pub go_to_market: String,
    #[serde(default)]
    pub stages: String,
}

impl LayerForm {
    fn input(&self) -> LayerInput {
        LayerInput {
            owner_id: self.owner_id.clone(),
            cycle: self.cycle.clone(),
            last_reviewed: self.last_reviewed.clone(),
            goals: self.goals.clone(),
            revenue_goal: self.revenue_goal.clone(),
            revenue_from: self.revenue_from.clone(),
            revenue_to: self.revenue_to.clone(),
            go_to_market: self.go_to_market.clone(),
            stages: self.stages.clone(),
        }
    }

    fn from_view(v: &LayerView) -> LayerForm {
        let s = &v.settings;
        let d = |x: Option<keel_domain::Date>| x.map(|d| d.to_string()).unwrap_or_default();
        LayerForm {
            layer: s.layer.as_str().into(),
            version: s.version.to_string(),
            owner_id: s.owner_id.map(|i| i.to_string()).unwrap_or_default(),
            cycle: s.cycle.as_str().into(),
            last_reviewed: d(s.last_reviewed),
            goals: s.goals.clone().unwrap_or_default(),
            revenue_goal: s.revenue_goal.map(|v| v.to_string()).unwrap_or_default(),
            revenue_from: d(s.revenue_from),
            revenue_to: d(s.revenue_to),
            go_to_market: s.go_to_market.clone().unwrap_or_default(),
            stages: if s.layer == Layer::Buyer {
                s.stages().join("\n")
            } else {
                String::new()
            },
        }
    }
}

fn name_of<T>(items: &[T], id: i64, key: impl Fn(&T) -> (i64, &str)) -> Option<String> {
    items
        .iter()
        .map(&key)
        .find(|(i, _)| *i == id)
        .map(|(_, n)| n.to_string())
}

/// The page, with the form of `posted`'s layer showing what was sent and why it was refused.
fn build<'a>(
    ctx: &WsCtx,
    m: &Model,
    layers: &'a [LayerView],
    notice: Option<&str>,
    posted: Option<(Layer, LayerForm, Invalid, bool)>,
) -> Page<'a> {
    let slug = &ctx.ws.slug;
    let mut sections: Vec<Section> = layers
        .iter()
        .map(|v| {
            let layer = v.settings.layer;
            let (form, errors, conflict) = match &posted {
                Some((l, f, e, c)) if *l == layer => (f.clone(), e.clone(), *c),
                _ => (LayerForm::from_view(v), Invalid::new(), false),
            };
            Section {
                key: layer.as_str(),
                label: layer.label(),
                owners: owner_choices(&m.people, &form.owner_id),
                cycles: choices(
                    Cycle::ALL.iter().map(|c| (c.as_str(), c.as_str())),
                    &form.cycle,
                ),
                objectives: m
                    .objectives
                    .iter()
                    .filter(|o| o.layer == layer)
                    .map(|o| Link {
                        name: o.outcome.clone(),
                        href: format!("/w/{slug}/objectives/{}", o.id),
                    })
                    .collect(),
                form,
                errors: Errors(errors),
                conflict,
                view: v,
            }
        })
        .collect();
    sections.reverse();
    let programs = m
        .stack
        .programs
        .iter()
        .map(|p| {
            let mut links: Vec<Link> = Vec::new();
            for id in &p.channel_ids {
                if let Some(n) = name_of(&m.channels, *id, |c| (c.id, &c.name)) {
                    links.push(Link {
                        name: format!("Channel: {n}"),
                        href: format!("/w/{slug}/channels/{id}"),
                    });
                }
            }
            for id in &p.offer_ids {
                if let Some(n) = name_of(&m.offers, *id, |o| (o.id, &o.name)) {
                    links.push(Link {
                        name: format!("Offer: {n}"),
                        href: format!("/w/{slug}/offers/{id}"),
                    });
                }
            }
            for id in &p.workflow_ids {
                if let Some(n) = name_of(&m.workflows, *id, |w| (w.id, &w.spec.name)) {
                    links.push(Link {
                        name: format!("Workflow: {n}"),
                        href: format!("/w/{slug}/workflows/{id}"),
                    });
                }
            }
            ProgramRow {
                id: p.id,
                name: p.name.clone(),
                phase: p.phase.label(),
                owner: p
                    .owner_id
                    .and_then(|id| name_of(&m.people, id, |x| (x.id, &x.name))),
                goal: p.goal.clone(),
                links,
            }
        })
        .collect();
    Page {
        chrome: ctx.chrome("Strategy", "strategy").with_notice(notice),
        sections,
        programs,
        stages: m.stack.stages(),
        map: ops::map(m),
        segments: m
            .stack
            .segments
            .iter()
            .map(|s| SegmentRow {
                segment: s.clone(),
                personas: m
                    .stack
                    .personas
                    .iter()
                    .filter(|p| p.segment_id == s.id)
                    .map(|p| p.name.clone())
                    .collect(),
            })
            .collect(),
        offers: m
            .offers
            .iter()
            .map(|o| Link {
                name: o.name.clone(),
                href: format!("/w/{slug}/offers/{}", o.id),
            })
            .collect(),
        fit: None,
    }
}

/// The page with a strategic-fit section (the fit-limit form sent back with its errors).
pub async fn render_with_fit(
    state: &AppState,
    ctx: &WsCtx,
    m: &Model,
    fit: Option<super::strategic_fit::FitSection>,
) -> Result<Response, PageError> {
    let layers = layers_seen(state, ctx).await?;
    let mut p = build(ctx, m, &layers, None, None);
    p.fit = fit;
    render(&p)
}

/// The layers the reader sees (none for a partner), from the per-node cache.
async fn layers_seen(state: &AppState, ctx: &WsCtx) -> Result<Arc<Vec<LayerView>>, PageError> {
    Ok(
        ops::layers_cached(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader())
            .await?
            .unwrap_or_default(),
    )
}

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let m = view(&state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let layers = layers_seen(&state, &ctx).await?;
    let mut p = build(&ctx, &m, &layers, q.notice.as_deref(), None);
    p.fit = super::strategic_fit::section(&state, &ctx, None).await?;
    render(&p)
}

async fn save_layer(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(form): Form<LayerForm>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    if !reader.role.sees_everything() {
        return Err(PageError::NotFound);
    }
    ctx.require_edit()?;
    let Ok(layer) = Layer::parse(&form.layer) else {
        return Err(PageError::NotFound);
    };
    let m = view(&state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
    let fit = super::strategic_fit::section(&state, &ctx, None).await?;
    let layers = layers_seen(&state, &ctx).await?;
    let refused = |form: LayerForm, inv: Invalid, conflict: bool, status: StatusCode| {
        let mut p = build(&ctx, &m, &layers, None, Some((layer, form, inv, conflict)));
        p.fit = fit;
        let mut r = render(&p)?;
        *r.status_mut() = status;
        Ok::<Response, PageError>(r)
    };
    let expected = version(&form.version);
    match ops::save_layer(
        &state,
        ctx.ws.id,
        &m,
        &reader,
        layer,
        &form.input(),
        expected,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&ctx.link(&format!(
            "/strategy?notice=layer-saved#layer-{}",
            layer.as_str()
        )))
        .into_response()),
        Err(SaveError::Hidden) => Err(PageError::NotFound),
        Err(SaveError::Invalid(inv)) => refused(form, inv, false, StatusCode::UNPROCESSABLE_ENTITY),
        Err(SaveError::Store(StoreError::Stale { current })) => {
            let mut form = form;
            form.version = current.to_string();
            refused(form, Invalid::new(), true, StatusCode::CONFLICT)
        }
        Err(SaveError::Store(e)) => Err(e.into()),
    }
}
