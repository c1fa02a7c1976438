//! One review: its generated agenda with links to the evidence, notes per agenda item, the
//! decisions recorded in it (a "pause" or a "stop" asks to confirm what it pauses or retires;
//! a quarterly agenda's retirement candidates fill the form in), and the close with the
//! attendees' ratings, refused while there is no outcome. `record` serves the decision log's
//! form too.

use super::forms::{choices, version, Choice, Errors};
use super::layout::{render, Chrome};
use super::reviews::{model, sections, SectionView};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::reviews::{self as ops, Link};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::health::Model;
use keel_domain::review::retire::{self, Retirable};
use keel_domain::review::{
    self, agenda, close_refusal, Act, Category, CloseInput, DecisionDraft, DecisionInput,
    DecisionKind, Evidence, EvidenceKind, Kind, NoteInput, Review, ReviewStatus,
};
use keel_domain::Invalid;
use keel_store::{Acting, Closing, StoreError};

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/reviews/{review}", show)
        .post("/w/{ws}/reviews/{review}/notes", notes)
        .post("/w/{ws}/reviews/{review}/decisions", decide)
        .post("/w/{ws}/reviews/{review}/close", close)
}

type Pairs = Vec<(String, String)>;

fn get(pairs: &Pairs, k: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub struct DecisionLine {
    pub id: i64,
    pub what: String,
    pub kind: &'static str,
    pub category: Option<&'static str>,
    pub owner: String,
    pub due: Option<String>,
    pub status: &'static str,
    pub rationale: Option<String>,
    pub links: Vec<Link>,
}

pub fn decision_line(m: &Model, d: &review::Decision) -> DecisionLine {
    DecisionLine {
        id: d.id,
        what: d.what.clone(),
        kind: d.kind.label(),
        category: d.category.map(|c| c.label()),
        owner: ops::name(m, d.owner_id),
        due: d.due.map(|x| x.long()),
        status: d.status.as_str(),
        rationale: d.rationale.clone(),
        links: d.evidence.iter().map(|e| ops::link(m, *e)).collect(),
    }
}

/// The decision form, as typed.
#[derive(Default)]
pub struct DecisionForm {
    pub what: String,
    pub rationale: String,
    pub due: String,
    pub kinds: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub owners: Vec<Choice>,
    /// Evidence to tick: the agenda's, then priorities, channels and workflows in use.
    pub evidence: Vec<(Link, bool)>,
    pub errors: Errors,
    /// What the decision would change, waiting for a confirmation: (verb, what).
    pub confirm: Vec<(&'static str, String)>,
    /// The review cadence a retirement decision switches off ("monthly"), kept in the form.
    pub retire_cadence: String,
    /// Where the form posts: a review's decisions, or the decision log.
    pub action: String,
}

pub struct Rating {
    pub person_id: i64,
    pub name: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "reviews/show.html")]
struct Page {
    chrome: Chrome,
    review: Review,
    kind: &'static str,
    date: String,
    facilitator: String,
    attendees: Vec<String>,
    open: bool,
    sections: Vec<SectionView>,
    /// Notes of a closed review, and what its agenda raised.
    kept_notes: Vec<(String, String)>,
    topics: Vec<Link>,
    decisions: Vec<DecisionLine>,
    form: DecisionForm,
    ratings: Vec<Rating>,
    close_errors: Errors,
    /// Why the close or the notes were refused, in words.
    refusal: Option<String>,
    average: Option<f64>,
}

fn find(m: &Model, id: i64) -> Result<Review, PageError> {
    ops::review(m, id).ok_or(PageError::NotFound)
}

fn evidence_options(m: &Model, a: &agenda::Agenda, ticked: &[String]) -> Vec<(Link, bool)> {
    let mut all: Vec<Evidence> = a
        .sections
        .iter()
        .flat_map(|s| s.items.iter().flat_map(|i| i.evidence.iter().copied()))
        .filter(|e| e.kind != EvidenceKind::Decision)
        .collect();
    all.extend(
        m.priorities
            .iter()
            .map(|p| Evidence::new(EvidenceKind::Priority, p.id)),
    );
    all.extend(
        m.channels
            .iter()
            .map(|c| Evidence::new(EvidenceKind::Channel, c.id)),
    );
    // Workflows still running, so a "stop" can retire one the agenda did not raise.
    all.extend(
        m.workflows
            .iter()
            .filter(|w| w.spec.status.takes_new_work())
            .map(|w| Evidence::new(EvidenceKind::Workflow, w.id)),
    );
    let mut seen = Vec::new();
    all.retain(|e| {
        let fresh = !seen.contains(e);
        seen.push(*e);
        fresh
    });
    all.into_iter()
        .map(|e| {
            let l = ops::link(m, e);
            let on = ticked.contains(&l.value);
            (l, on)
        })
        .collect()
}

pub fn decision_form(
    m: &Model,
    a: &agenda::Agenda,
    typed: Option<&Pairs>,
    owner: Option<i64>,
) -> DecisionForm {
    let empty = Vec::new();
    let p = typed.unwrap_or(&empty);
    let ticked: Vec<String> = p
        .iter()
        .filter(|(k, _)| k == "evidence")
        .map(|(_, v)| v.clone())
        .collect();
    let owner_typed = if typed.is_some() {
        get(p, "owner_id")
    } else {
        owner.map(|o| o.to_string()).unwrap_or_default()
    };
    DecisionForm {
        what: get(p, "what"),
        rationale: get(p, "rationale"),
        due: get(p, "due"),
        kinds: choices(
            std::iter::once(("", "Choose the kind"))
                .chain(DecisionKind::ALL.iter().map(|k| (k.as_str(), k.label()))),
            &get(p, "kind"),
        ),
        categories: choices(
            std::iter::once(("", "No diagnosis"))
                .chain(Category::ALL.iter().map(|c| (c.as_str(), c.label()))),
            &get(p, "category"),
        ),
        owners: choices(
            std::iter::once((String::new(), "Choose the owner".to_string())).chain(
                m.people
                    .iter()
                    .filter(|x| !x.is_external())
                    .map(|x| (x.id.to_string(), x.display())),
            ),
            &owner_typed,
        ),
        evidence: evidence_options(m, a, &ticked),
        retire_cadence: Kind::parse(&get(p, "retire_cadence"))
            .map(|k| k.as_str().to_string())
            .unwrap_or_default(),
        ..Default::default()
    }
}

/// The decision form filled in to retire what a quarterly agenda proposes: a "stop" with the
/// reason as its rationale, linked to the metric or SOP, or naming the cadence it switches off.
fn retire_form(
    m: &Model,
    a: &agenda::Agenda,
    what: Retirable,
    on: keel_domain::Date,
    owner: Option<i64>,
) -> Option<DecisionForm> {
    let c = retire::candidates(m, on)
        .into_iter()
        .find(|c| c.what == what)?;
    let mut p: Pairs = vec![
        ("what".into(), format!("Retire {}", c.name)),
        ("kind".into(), "stop".into()),
        ("rationale".into(), format!("{}: {}", c.name, c.reason)),
        ("due".into(), on.to_string()),
        (
            "owner_id".into(),
            owner.map(|o| o.to_string()).unwrap_or_default(),
        ),
    ];
    match what {
        Retirable::Cadence(k) => p.push(("retire_cadence".into(), k.as_str().into())),
        _ => p.extend(what.evidence().map(|e| ("evidence".into(), e.to_string()))),
    }
    Some(decision_form(m, a, Some(&p), owner))
}

/// What happened to a decision posted from a form.
pub enum Recorded {
    /// Stored; the notice to show.
    Done(&'static str),
    /// The form again: with errors, or asking to confirm what it changes.
    Again(Box<DecisionForm>, StatusCode),
}

/// Records a decision posted from a form, in `review_id` or outside a review, decided on
/// `decided_on`. A decision that would pause or retire something (`DecisionDraft::acts`), or
/// switch a review cadence off, comes back first with what it would change; "yes" acts, "no"
/// records it without acting.
pub async fn record(
    state: &AppState,
    ctx: &WsCtx,
    m: &Model,
    review_id: Option<i64>,
    decided_on: keel_domain::Date,
    pairs: &Pairs,
    mut form: DecisionForm,
) -> Result<Recorded, PageError> {
    let input = DecisionInput {
        what: get(pairs, "what"),
        kind: get(pairs, "kind"),
        category: get(pairs, "category"),
        rationale: get(pairs, "rationale"),
        evidence: pairs
            .iter()
            .filter(|(k, _)| k == "evidence")
            .map(|(_, v)| v.clone())
            .collect(),
        owner_id: get(pairs, "owner_id"),
        due: get(pairs, "due"),
        status: String::new(),
    };
    let d = match DecisionDraft::parse(&input, m, decided_on) {
        Ok(d) => d,
        Err(inv) => {
            form.errors = Errors(inv);
            return Ok(Recorded::Again(
                Box::new(form),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    // Only a "stop" retires a routine, and only one that is still on.
    let cadence = d.routine_to_retire(m, &get(pairs, "retire_cadence")).ok();
    let acts = d.acts(m);
    let changes = d.changes(m, cadence);
    let confirm = get(pairs, "confirm");
    if !changes.is_empty() && confirm.is_empty() {
        form.confirm = changes;
        return Ok(Recorded::Again(Box::new(form), StatusCode::OK));
    }
    let yes = confirm == "yes" && !changes.is_empty();
    let acting = Acting {
        confirm: yes,
        retire_cadence: cadence.filter(|_| yes),
        by_user: Some(ctx.session.user_id),
    };
    match state
        .store
        .record_decision(ctx.ws.id, review_id, decided_on, &d, &acting)
        .await
    {
        Ok(_) if !yes => Ok(Recorded::Done("decision-recorded")),
        Ok(_) if acts.iter().all(|a| matches!(a, Act::Pause(_))) && cadence.is_none() => {
            Ok(Recorded::Done("decision-paused"))
        }
        Ok(_) => Ok(Recorded::Done("decision-acted")),
        Err(StoreError::Conflict(msg)) => {
            form.errors = Errors(Invalid::one("what", msg));
            Ok(Recorded::Again(Box::new(form), StatusCode::CONFLICT))
        }
        Err(e) => Err(e.into()),
    }
}

struct Extra {
    form: Option<DecisionForm>,
    ratings: Option<Pairs>,
    close_errors: Invalid,
    refusal: Option<String>,
    status: StatusCode,
    /// What the last action did, after a redirect.
    notice: Option<String>,
}

impl Default for Extra {
    fn default() -> Extra {
        Extra {
            notice: None,
            form: None,
            ratings: None,
            close_errors: Invalid::new(),
            refusal: None,
            status: StatusCode::OK,
        }
    }
}

fn page(ctx: &WsCtx, m: &Model, r: Review, x: Extra) -> Result<Response, PageError> {
    let a = agenda::agenda(r.kind, m, r.date);
    let open = r.status == ReviewStatus::Open;
    let mut form = x
        .form
        .unwrap_or_else(|| decision_form(m, &a, None, ctx.person_id));
    form.action = ctx.link(&format!("/reviews/{}/decisions#decide", r.id));
    let typed = x.ratings.unwrap_or_default();
    let ratings = r
        .attendee_ids
        .iter()
        .map(|p| Rating {
            person_id: *p,
            name: ops::name(m, Some(*p)),
            value: if open {
                get(&typed, &format!("rating_{p}"))
            } else {
                r.ratings
                    .iter()
                    .find(|(who, _)| who == p)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default()
            },
        })
        .collect();
    let decisions = review::decisions_of(&m.decisions, r.id)
        .into_iter()
        .map(|d| decision_line(m, d))
        .collect();
    let page = Page {
        chrome: ctx
            .chrome(format!("{} · {}", r.kind.label(), r.date.long()), "reviews")
            .with_notice(x.notice.as_deref()),
        kind: r.kind.label(),
        date: r.date.long(),
        facilitator: ops::name(m, r.facilitator_id),
        attendees: r
            .attendee_ids
            .iter()
            .map(|p| ops::name(m, Some(*p)))
            .collect(),
        open,
        sections: if open {
            sections(m, &a, &r.notes)
        } else {
            vec![]
        },
        kept_notes: if open { vec![] } else { r.notes.clone() },
        topics: r.topics.iter().map(|e| ops::link(m, *e)).collect(),
        decisions,
        form,
        ratings,
        close_errors: Errors(x.close_errors),
        refusal: x.refusal,
        average: r.average_rating(),
        review: r,
    };
    let mut resp = render(&page)?;
    *resp.status_mut() = x.status;
    Ok(resp)
}

#[derive(serde::Deserialize, Default)]
struct ShowQuery {
    /// A retirement the agenda proposes ("workflow:3"), to fill the decision form with.
    #[serde(default)]
    retire: String,
    #[serde(default)]
    notice: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let m = model(&state, &ctx).await?;
    let r = find(&m, id)?;
    let form = Retirable::parse(&q.retire).and_then(|what| {
        let a = agenda::agenda(r.kind, &m, r.date);
        retire_form(&m, &a, what, r.date, ctx.person_id)
    });
    page(
        &ctx,
        &m,
        r,
        Extra {
            form,
            notice: q.notice,
            ..Default::default()
        },
    )
}

fn back(ctx: &WsCtx, id: i64, notice: &str) -> Response {
    Redirect::to(&ctx.link(&format!("/reviews/{id}?notice={notice}"))).into_response()
}

async fn notes(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    let m = model(&state, &ctx).await?;
    let r = find(&m, id)?;
    ctx.require_edit()?;
    let mut notes = Vec::new();
    for (k, v) in &pairs {
        if let Some(section) = k.strip_prefix("note_") {
            let parsed = NoteInput {
                section: section.into(),
                text: v.clone(),
            }
            .parse();
            match parsed {
                Ok(n) => notes.push(n),
                Err(inv) => {
                    let refusal = inv.errors.first().map(|e| e.message.clone());
                    return page(
                        &ctx,
                        &m,
                        r,
                        Extra {
                            refusal,
                            status: StatusCode::UNPROCESSABLE_ENTITY,
                            ..Default::default()
                        },
                    );
                }
            }
        }
    }
    match state
        .store
        .save_review_notes(ctx.ws.id, id, version(&get(&pairs, "version")), &notes)
        .await
    {
        Ok(_) => Ok(back(&ctx, id, "notes-saved")),
        Err(StoreError::Stale { .. }) => page(&ctx, &m, r, Extra {
            refusal: Some("Someone saved this review after you opened it; your notes were not saved. The page shows theirs now: add yours again.".into()),
            status: StatusCode::CONFLICT,
            ..Default::default()
        }),
        Err(StoreError::Conflict(msg)) => page(&ctx, &m, r, Extra { refusal: Some(msg), status: StatusCode::CONFLICT, ..Default::default() }),
        Err(e) => Err(e.into()),
    }
}

async fn decide(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    let m = model(&state, &ctx).await?;
    let r = find(&m, id)?;
    ctx.require_edit()?;
    let a = agenda::agenda(r.kind, &m, r.date);
    let form = decision_form(&m, &a, Some(&pairs), None);
    match record(&state, &ctx, &m, Some(id), r.date, &pairs, form).await? {
        Recorded::Done(notice) => Ok(back(&ctx, id, notice)),
        Recorded::Again(form, status) => page(
            &ctx,
            &m,
            r,
            Extra {
                form: Some(*form),
                status,
                ..Default::default()
            },
        ),
    }
}

async fn close(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    let m = model(&state, &ctx).await?;
    let r = find(&m, id)?;
    ctx.require_edit()?;
    let input = CloseInput {
        ratings: pairs
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("rating_")?.to_string(), v.clone())))
            .collect(),
    };
    let ratings = match input.parse(&r) {
        Ok(x) => x,
        Err(inv) => {
            return page(
                &ctx,
                &m,
                r,
                Extra {
                    ratings: Some(pairs),
                    close_errors: inv,
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    ..Default::default()
                },
            );
        }
    };
    let outcomes = review::decisions_of(&m.decisions, id).len();
    if let Some(why) = close_refusal(&r, outcomes) {
        return page(
            &ctx,
            &m,
            r,
            Extra {
                ratings: Some(pairs),
                refusal: Some(why),
                status: StatusCode::CONFLICT,
                ..Default::default()
            },
        );
    }
    let a = agenda::agenda(r.kind, &m, r.date);
    let closing = Closing {
        ratings: &ratings,
        raised: &a.topics(),
        checked: &a.decisions_checked(),
        by_user: Some(ctx.session.user_id),
    };
    match state
        .store
        .close_review(ctx.ws.id, id, version(&get(&pairs, "version")), &closing)
        .await
    {
        Ok(_) => Ok(Redirect::to(&ctx.link("/reviews?notice=review-closed")).into_response()),
        Err(StoreError::Conflict(msg)) => {
            page(&ctx, &m, r, Extra { ratings: Some(pairs), refusal: Some(msg), status: StatusCode::CONFLICT, ..Default::default() })
        }
        Err(StoreError::Stale { .. }) => page(&ctx, &m, r, Extra {
            ratings: Some(pairs),
            refusal: Some("Someone changed this review after you opened it (a note or a decision). Check the page, then close again.".into()),
            status: StatusCode::CONFLICT,
            ..Default::default()
        }),
        Err(e) => Err(e.into()),
    }
}
