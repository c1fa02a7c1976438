//! The forms of the strategy stack's records: segments (market knowledge), personas with their
//! row of the message map (buyer tools) and programs (tactics). One form page serves all three;
//! each record names its fields.

use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use super::objectives::owner_choices;
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::strategy::{today, view};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::channel::Phase;
use keel_domain::health::Model;
use keel_domain::stack::{
    MessageDraft, MessageInput, PersonaDraft, PersonaInput, ProgramDraft, ProgramInput,
    SegmentDraft, SegmentInput,
};
use keel_domain::Invalid;
use keel_store::StoreError;
use std::sync::Arc;

type St = State<AppState>;
type Id = Path<(String, i64)>;
type Pairs0 = Form<Vec<(String, String)>>;

/// The five routes of one kind of record, at `/w/{ws}/strategy/<path>`.
macro_rules! record_routes {
    ($r:expr, $kind:expr, $path:literal, $param:literal) => {
        $r.get(
            concat!("/w/{ws}/strategy/", $path, "/new"),
            |s: St, c: WsCtx| new(s, c, $kind),
        )
        .post(
            concat!("/w/{ws}/strategy/", $path),
            |s: St, c: WsCtx, f: Pairs0| create(s, c, f, $kind),
        )
        .get(
            concat!("/w/{ws}/strategy/", $path, "/{", $param, "}"),
            |s: St, c: WsCtx, p: Id, q: Query<NoticeQuery>| show(s, c, p, q, $kind),
        )
        .post(
            concat!("/w/{ws}/strategy/", $path, "/{", $param, "}"),
            |s: St, c: WsCtx, p: Id, f: Pairs0| update(s, c, p, f, $kind),
        )
        .post(
            concat!("/w/{ws}/strategy/", $path, "/{", $param, "}/delete"),
            |s: St, c: WsCtx, p: Id, f: Pairs0| delete(s, c, p, f, $kind),
        )
    };
}

pub fn routes(r: Routes) -> Routes {
    let r = record_routes!(r, Kind::Segment, "segments", "segment");
    let r = record_routes!(r, Kind::Persona, "personas", "persona");
    let r = r.post("/w/{ws}/strategy/personas/{persona}/messages", save_message);
    record_routes!(r, Kind::Program, "programs", "program")
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Segment,
    Persona,
    Program,
}

impl Kind {
    fn path(self) -> &'static str {
        match self {
            Kind::Segment => "segments",
            Kind::Persona => "personas",
            Kind::Program => "programs",
        }
    }
    fn noun(self) -> &'static str {
        match self {
            Kind::Segment => "segment",
            Kind::Persona => "persona",
            Kind::Program => "program",
        }
    }
    fn layer(self) -> &'static str {
        match self {
            Kind::Segment => "market",
            Kind::Persona => "buyer",
            Kind::Program => "tactics",
        }
    }
}

/// What a form sent, by field name (checkboxes repeat theirs).
#[derive(Default, Clone)]
struct Pairs(Vec<(String, String)>);

impl Pairs {
    fn get(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    }
    fn set(&mut self, k: &str, v: impl ToString) {
        self.0.push((k.to_string(), v.to_string()));
    }
}

pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// text, textarea, date, select, checkbox or checkboxes.
    pub kind: &'static str,
    pub value: String,
    pub hint: &'static str,
    pub choices: Vec<Choice>,
}

fn field(name: &'static str, label: &'static str, kind: &'static str, p: &Pairs) -> Field {
    Field {
        name,
        label,
        kind,
        value: p.get(name),
        hint: "",
        choices: vec![],
    }
}

fn picks(name: &'static str, label: &'static str, items: Vec<(i64, String)>, p: &Pairs) -> Field {
    let ticked = p.all(name);
    Field {
        choices: items
            .into_iter()
            .map(|(id, label)| Choice {
                selected: ticked.iter().any(|v| v.trim() == id.to_string()),
                value: id.to_string(),
                label,
            })
            .collect(),
        ..field(name, label, "checkboxes", p)
    }
}

/// One stage of a persona's row of the message map.
pub struct Cell {
    pub stage: usize,
    pub stage_name: String,
    pub message: String,
    pub proof_point: String,
    pub asset: String,
    pub version: i64,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "strategy/record_form.html")]
struct FormPage {
    chrome: Chrome,
    heading: String,
    noun: &'static str,
    layer: &'static str,
    action: String,
    delete_action: Option<String>,
    version: String,
    fields: Vec<Field>,
    errors: Errors,
    conflict: bool,
    cells: Vec<Cell>,
}

fn fields(kind: Kind, m: &Model, p: &Pairs) -> Vec<Field> {
    match kind {
        Kind::Segment => vec![
            field("name", "Name", "text", p),
            field("needs", "Needs", "textarea", p),
            field("value_drivers", "Value drivers", "textarea", p),
            field("alternatives", "Competing alternatives", "textarea", p),
            field("evidence", "Evidence", "textarea", p),
            Field {
                hint: "The day the evidence was gathered.",
                ..field("evidence_date", "Evidence gathered on", "date", p)
            },
        ],
        Kind::Persona => vec![
            Field {
                choices: choices(
                    std::iter::once((String::new(), "Choose a segment".to_string())).chain(
                        m.stack
                            .segments
                            .iter()
                            .map(|s| (s.id.to_string(), s.name.clone())),
                    ),
                    &p.get("segment_id"),
                ),
                ..field("segment_id", "Segment", "select", p)
            },
            field("name", "Name", "text", p),
            field(
                "primary",
                "Primary persona (its message map must be complete)",
                "checkbox",
                p,
            ),
            field("goals", "Goals", "textarea", p),
            field("pains", "Pains", "textarea", p),
            field("objections", "Objections", "textarea", p),
        ],
        Kind::Program => vec![
            field("name", "Name", "text", p),
            Field {
                choices: choices(
                    Phase::ALL.iter().map(|x| (x.as_str(), x.label())),
                    &p.get("phase"),
                ),
                ..field("phase", "Phase", "select", p)
            },
            Field {
                choices: owner_choices(&m.people, &p.get("owner_id")),
                ..field("owner_id", "Owner", "select", p)
            },
            field("goal", "Goal", "textarea", p),
            picks(
                "channel_ids",
                "Channels",
                m.channels.iter().map(|c| (c.id, c.name.clone())).collect(),
                p,
            ),
            picks(
                "offer_ids",
                "Offers",
                m.offers.iter().map(|o| (o.id, o.name.clone())).collect(),
                p,
            ),
            picks(
                "workflow_ids",
                "Workflows",
                m.workflows
                    .iter()
                    .map(|w| (w.id, w.spec.name.clone()))
                    .collect(),
                p,
            ),
        ],
    }
}

/// A stored record as the form's values, with its name; `None` when the reader does not see it.
fn stored(kind: Kind, m: &Model, id: i64) -> Option<(String, Pairs)> {
    let mut p = Pairs::default();
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let name = match kind {
        Kind::Segment => {
            let s = m.stack.segments.iter().find(|s| s.id == id)?;
            for (k, v) in [
                ("name", s.name.clone()),
                ("needs", o(&s.needs)),
                ("value_drivers", o(&s.value_drivers)),
                ("alternatives", o(&s.alternatives)),
                ("evidence", o(&s.evidence)),
                (
                    "evidence_date",
                    s.evidence_date.map(|d| d.to_string()).unwrap_or_default(),
                ),
                ("version", s.version.to_string()),
            ] {
                p.set(k, v);
            }
            s.name.clone()
        }
        Kind::Persona => {
            let x = m.stack.personas.iter().find(|x| x.id == id)?;
            for (k, v) in [
                ("segment_id", x.segment_id.to_string()),
                ("name", x.name.clone()),
                (
                    "primary",
                    if x.primary {
                        "on".to_string()
                    } else {
                        String::new()
                    },
                ),
                ("goals", o(&x.goals)),
                ("pains", o(&x.pains)),
                ("objections", o(&x.objections)),
                ("version", x.version.to_string()),
            ] {
                p.set(k, v);
            }
            x.name.clone()
        }
        Kind::Program => {
            let x = m.stack.programs.iter().find(|x| x.id == id)?;
            for (k, v) in [
                ("name", x.name.clone()),
                ("phase", x.phase.as_str().to_string()),
                (
                    "owner_id",
                    x.owner_id.map(|i| i.to_string()).unwrap_or_default(),
                ),
                ("goal", o(&x.goal)),
                ("version", x.version.to_string()),
            ] {
                p.set(k, v);
            }
            for id in &x.channel_ids {
                p.set("channel_ids", id);
            }
            for id in &x.offer_ids {
                p.set("offer_ids", id);
            }
            for id in &x.workflow_ids {
                p.set("workflow_ids", id);
            }
            x.name.clone()
        }
    };
    Some((name, p))
}

fn cells(m: &Model, persona: i64, error: Option<(usize, String)>) -> Vec<Cell> {
    m.stack
        .stages()
        .into_iter()
        .enumerate()
        .map(|(i, stage_name)| {
            let c = m
                .stack
                .messages
                .iter()
                .find(|c| c.persona_id == persona && c.stage == i);
            let o = |v: Option<&Option<String>>| v.and_then(|x| x.clone()).unwrap_or_default();
            Cell {
                stage: i,
                stage_name,
                message: o(c.map(|c| &c.message)),
                proof_point: o(c.map(|c| &c.proof_point)),
                asset: o(c.map(|c| &c.asset)),
                version: c.map(|c| c.version).unwrap_or(0),
                error: error
                    .as_ref()
                    .filter(|(s, _)| *s == i)
                    .map(|(_, e)| e.clone()),
            }
        })
        .collect()
}

async fn model(state: &AppState, ctx: &WsCtx) -> Result<Arc<Model>, PageError> {
    Ok(view(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?)
}

#[allow(clippy::too_many_arguments)]
fn page(
    ctx: &WsCtx,
    m: &Model,
    kind: Kind,
    id: Option<(i64, String)>,
    p: &Pairs,
    errors: Invalid,
    conflict: bool,
    cell_error: Option<(usize, String)>,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() && cell_error.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let base = ctx.link(&format!("/strategy/{}", kind.path()));
    let page = FormPage {
        chrome: ctx
            .chrome(
                id.as_ref()
                    .map(|(_, n)| n.clone())
                    .unwrap_or_else(|| format!("Add a {}", kind.noun())),
                "strategy",
            )
            .with_notice(notice),
        heading: id
            .as_ref()
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| format!("Add a {}", kind.noun())),
        noun: kind.noun(),
        layer: kind.layer(),
        action: match &id {
            Some((i, _)) => format!("{base}/{i}"),
            None => base.clone(),
        },
        delete_action: id.as_ref().map(|(i, _)| format!("{base}/{i}/delete")),
        version: p.get("version"),
        fields: fields(kind, m, p),
        errors: Errors(errors),
        conflict,
        cells: match (&id, kind) {
            (Some((i, _)), Kind::Persona) => cells(m, *i, cell_error),
            _ => vec![],
        },
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

/// Segments and personas are the team's own: a partner does not see them.
fn require_seen(ctx: &WsCtx, kind: Kind) -> Result<(), PageError> {
    if kind == Kind::Program || ctx.role.sees_everything() {
        Ok(())
    } else {
        Err(PageError::NotFound)
    }
}

async fn new(State(state): State<AppState>, ctx: WsCtx, kind: Kind) -> Result<Response, PageError> {
    require_seen(&ctx, kind)?;
    ctx.require_edit()?;
    let m = model(&state, &ctx).await?;
    let mut p = Pairs::default();
    if kind == Kind::Program {
        p.set("phase", Phase::SegmentMarketing.as_str());
    }
    page(&ctx, &m, kind, None, &p, Invalid::new(), false, None, None)
}

async fn save(
    state: &AppState,
    ctx: &WsCtx,
    kind: Kind,
    id: Option<(i64, String)>,
    p: Pairs,
) -> Result<Response, PageError> {
    let m = model(state, ctx).await?;
    let ws = ctx.ws.id;
    let v = version(&p.get("version"));
    let st = &state.store;
    let saved: Result<Result<(), StoreError>, Invalid> = match kind {
        Kind::Segment => {
            let i = SegmentInput {
                name: p.get("name"),
                needs: p.get("needs"),
                value_drivers: p.get("value_drivers"),
                alternatives: p.get("alternatives"),
                evidence: p.get("evidence"),
                evidence_date: p.get("evidence_date"),
            };
            match SegmentDraft::parse(&i, today(&m)) {
                Ok(d) => Ok(match &id {
                    Some((id, _)) => st.update_segment(ws, *id, v, &d).await.map(|_| ()),
                    None => st.create_segment(ws, &d).await.map(|_| ()),
                }),
                Err(e) => Err(e),
            }
        }
        Kind::Persona => {
            let i = PersonaInput {
                segment_id: p.get("segment_id"),
                name: p.get("name"),
                primary: p.get("primary"),
                goals: p.get("goals"),
                pains: p.get("pains"),
                objections: p.get("objections"),
            };
            match PersonaDraft::parse(&i, &m.stack.segments) {
                Ok(d) => Ok(match &id {
                    Some((id, _)) => st.update_persona(ws, *id, v, &d).await.map(|_| ()),
                    None => st.create_persona(ws, &d).await.map(|_| ()),
                }),
                Err(e) => Err(e),
            }
        }
        Kind::Program => {
            let i = ProgramInput {
                name: p.get("name"),
                phase: p.get("phase"),
                owner_id: p.get("owner_id"),
                goal: p.get("goal"),
                channel_ids: p.all("channel_ids"),
                offer_ids: p.all("offer_ids"),
                workflow_ids: p.all("workflow_ids"),
            };
            match ProgramDraft::parse(&i, &m) {
                Ok(d) => Ok(match &id {
                    Some((id, _)) => st.update_program(ws, *id, v, &d).await.map(|_| ()),
                    None => st.create_program(ws, &d).await.map(|_| ()),
                }),
                Err(e) => Err(e),
            }
        }
    };
    match saved {
        Err(inv) => page(ctx, &m, kind, id, &p, inv, false, None, None),
        Ok(Ok(())) => Ok(Redirect::to(&ctx.link(&format!(
            "/strategy?notice={}-saved#layer-{}",
            kind.noun(),
            kind.layer()
        )))
        .into_response()),
        Ok(Err(StoreError::Conflict(msg))) => page(
            ctx,
            &m,
            kind,
            id,
            &p,
            Invalid::one("name", msg),
            false,
            None,
            None,
        ),
        Ok(Err(StoreError::Stale { current })) => {
            let mut p = p;
            p.0.retain(|(k, _)| k != "version");
            p.set("version", current);
            page(ctx, &m, kind, id, &p, Invalid::new(), true, None, None)
        }
        Ok(Err(StoreError::NotFound)) => Err(PageError::NotFound),
        Ok(Err(e)) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(pairs): Form<Vec<(String, String)>>,
    kind: Kind,
) -> Result<Response, PageError> {
    require_seen(&ctx, kind)?;
    ctx.require_edit()?;
    save(&state, &ctx, kind, None, Pairs(pairs)).await
}

async fn find(
    state: &AppState,
    ctx: &WsCtx,
    kind: Kind,
    id: i64,
) -> Result<(Arc<Model>, String, Pairs), PageError> {
    let m = model(state, ctx).await?;
    let (name, p) = stored(kind, &m, id).ok_or(PageError::NotFound)?;
    Ok((m, name, p))
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<NoticeQuery>,
    kind: Kind,
) -> Result<Response, PageError> {
    let (m, name, p) = find(&state, &ctx, kind, id).await?;
    page(
        &ctx,
        &m,
        kind,
        Some((id, name)),
        &p,
        Invalid::new(),
        false,
        None,
        q.notice.as_deref(),
    )
}

async fn update(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
    kind: Kind,
) -> Result<Response, PageError> {
    let (_, name, _) = find(&state, &ctx, kind, id).await?;
    ctx.require_edit()?;
    save(&state, &ctx, kind, Some((id, name)), Pairs(pairs)).await
}

async fn delete(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
    kind: Kind,
) -> Result<Response, PageError> {
    let (m, name, p) = find(&state, &ctx, kind, id).await?;
    ctx.require_edit()?;
    let v = version(&Pairs(pairs).get("version"));
    let st = &state.store;
    let done = match kind {
        Kind::Segment => st.delete_segment(ctx.ws.id, id, v).await,
        Kind::Persona => st.delete_persona(ctx.ws.id, id, v).await,
        Kind::Program => st.delete_program(ctx.ws.id, id, v).await,
    };
    match done {
        Ok(()) => Ok(Redirect::to(&ctx.link(&format!(
            "/strategy?notice={}-deleted#layer-{}",
            kind.noun(),
            kind.layer()
        )))
        .into_response()),
        Err(StoreError::Stale { .. }) => {
            let inv = Invalid::one("version", format!("Someone changed this {} after you opened the page. Check it below, then remove it again if you still want to.", kind.noun()));
            page(&ctx, &m, kind, Some((id, name)), &p, inv, false, None, None)
        }
        Err(e) => Err(e.into()),
    }
}

async fn save_message(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (m, name, p) = find(&state, &ctx, Kind::Persona, id).await?;
    ctx.require_edit()?;
    let f = Pairs(pairs);
    let input = MessageInput {
        stage: f.get("stage"),
        message: f.get("message"),
        proof_point: f.get("proof_point"),
        asset: f.get("asset"),
    };
    let stage = f.get("stage").trim().parse::<usize>().unwrap_or_default();
    let d = match MessageDraft::parse(&input, &m.stack.stages()) {
        Ok(d) => d,
        Err(inv) => {
            let msg = inv
                .errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join(" ");
            return page(
                &ctx,
                &m,
                Kind::Persona,
                Some((id, name)),
                &p,
                Invalid::new(),
                false,
                Some((stage, msg)),
                None,
            );
        }
    };
    match state
        .store
        .save_message(ctx.ws.id, id, version(&f.get("version")), &d)
        .await
    {
        Ok(_) => Ok(Redirect::to(&ctx.link(&format!(
            "/strategy/personas/{id}?notice=message-saved#stage-{}",
            d.stage
        )))
        .into_response()),
        Err(StoreError::Stale { .. }) => {
            let msg = "Someone changed this cell after you opened the page; it shows their version now. Write yours again if you still want it.".to_string();
            let mut r = page(
                &ctx,
                &m,
                Kind::Persona,
                Some((id, name)),
                &p,
                Invalid::new(),
                false,
                Some((d.stage, msg)),
                None,
            )?;
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}
