//! The ownership grid (`/w/{ws}/functions/owners`): every function the caller sees with its
//! business and execution owner as pickers, in one form. "Save" on a row saves that row;
//! "Save all changes" saves every row whose owners were changed. Each row carries the
//! version and the owners it was read with, so only rows the user changed are sent, and a
//! row someone else changed meanwhile is refused (`Store::set_function_owners`: all or
//! nothing) and shown as it is now, while every other row keeps what was typed.

use super::forms::{choices, Choice};
use super::layout::{render, Chrome};
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::{model, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::ownership::{self, OwnersInput};
use keel_domain::{Function, Person};
use std::collections::HashMap;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/functions/owners", page)
        .post("/w/{ws}/functions/owners", save)
}

/// One row as the form shows it: the function as stored, and the owners in the pickers.
pub struct GridRow {
    pub function: Function,
    /// The version and owners the row was read with (hidden fields).
    pub version: String,
    pub was_business: String,
    pub was_execution: String,
    pub business: Vec<Choice>,
    pub execution: Vec<Choice>,
    /// Changed in the form and not saved yet.
    pub pending: bool,
    /// Refused because someone else changed it: how it is now, and what the user had chosen.
    pub stale: Option<String>,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "functions/owners.html")]
struct Page {
    chrome: Chrome,
    rows: Vec<GridRow>,
    people_count: usize,
    /// Errors that belong to no row shown (a function removed meanwhile).
    alert: Option<String>,
    stale: usize,
}

impl Page {
    fn pending(&self) -> usize {
        self.rows.iter().filter(|r| r.pending).count()
    }
}

fn id_text(id: Option<i64>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

fn label(p: &Person) -> String {
    if p.is_external() {
        format!("{} (external)", p.display())
    } else {
        p.name.clone()
    }
}

/// The business owner picker offers internal people (the rule); an external person already
/// named stays visible so the row shows what is stored.
fn business_choices(people: &[Person], current: &str) -> Vec<Choice> {
    let mut v = choices([(String::new(), "Nobody yet".to_string())], current);
    v.extend(choices(
        people
            .iter()
            .filter(|p| !p.is_external() || p.id.to_string() == current)
            .map(|p| (p.id, label(p))),
        current,
    ));
    v
}

fn execution_choices(people: &[Person], current: &str) -> Vec<Choice> {
    let mut v = choices([(String::new(), "Nobody yet".to_string())], current);
    v.extend(choices(people.iter().map(|p| (p.id, label(p))), current));
    v
}

/// What the form posted for one function.
#[derive(Clone, Default)]
struct Posted {
    version: String,
    was_business: String,
    was_execution: String,
    business: String,
    execution: String,
}

impl Posted {
    fn changed(&self) -> bool {
        self.business.trim() != self.was_business.trim()
            || self.execution.trim() != self.was_execution.trim()
    }
}

/// The rows of the posted form by function id: repeated fields, one of each per row.
fn posted(pairs: &[(String, String)]) -> Vec<(String, Posted)> {
    let col = |k: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let ids = col("function_id");
    let (versions, wb, we, b, e) = (
        col("version"),
        col("was_business"),
        col("was_execution"),
        col("business_owner_id"),
        col("execution_owner_id"),
    );
    let at = |v: &Vec<&str>, i: usize| v.get(i).map(|s| s.to_string()).unwrap_or_default();
    ids.iter()
        .take(ownership::MAX_CHANGES + 1)
        .enumerate()
        .map(|(i, id)| {
            (
                id.to_string(),
                Posted {
                    version: at(&versions, i),
                    was_business: at(&wb, i),
                    was_execution: at(&we, i),
                    business: at(&b, i),
                    execution: at(&e, i),
                },
            )
        })
        .collect()
}

fn row(f: &Function, people: &[Person], p: Option<&Posted>) -> GridRow {
    let stored = Posted {
        version: f.version.to_string(),
        was_business: id_text(f.business_owner_id),
        was_execution: id_text(f.execution_owner_id),
        business: id_text(f.business_owner_id),
        execution: id_text(f.execution_owner_id),
    };
    let p = p.unwrap_or(&stored);
    GridRow {
        function: f.clone(),
        version: p.version.clone(),
        was_business: p.was_business.clone(),
        was_execution: p.was_execution.clone(),
        business: business_choices(people, &p.business),
        execution: execution_choices(people, &p.execution),
        pending: p.changed(),
        stale: None,
        errors: vec![],
    }
}

fn render_grid(
    ctx: &WsCtx,
    functions: &[Function],
    people: &[Person],
    typed: &HashMap<i64, Posted>,
    notice: Option<&str>,
) -> Page {
    Page {
        chrome: ctx
            .chrome("Owners of functions", "functions")
            .with_notice(notice),
        rows: functions
            .iter()
            .map(|f| row(f, people, typed.get(&f.id)))
            .collect(),
        people_count: people.len(),
        alert: None,
        stale: 0,
    }
}

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let m = model::load(&state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    render(&render_grid(
        &ctx,
        &m.functions,
        &m.people,
        &HashMap::new(),
        q.notice.as_deref(),
    ))
}

async fn save(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let m = model::load(&state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?;
    let posted = posted(&pairs);
    // "Save" on one row names it; "Save all changes" names none.
    let only = pairs
        .iter()
        .find(|(k, _)| k == "only")
        .map(|(_, v)| v.trim().to_string());
    let wanted: Vec<&(String, Posted)> = posted
        .iter()
        .filter(|(id, p)| p.changed() && only.as_ref().is_none_or(|o| o == id))
        .collect();
    let mut typed: HashMap<i64, Posted> = posted
        .iter()
        .filter_map(|(id, p)| Some((id.trim().parse().ok()?, p.clone())))
        .collect();
    if wanted.is_empty() {
        let mut page = render_grid(&ctx, &m.functions, &m.people, &typed, None);
        page.alert = Some("Nothing to save: no owner was changed.".into());
        return render(&page);
    }
    let inputs: Vec<OwnersInput> = wanted
        .iter()
        .map(|(id, p)| OwnersInput {
            function_id: id.clone(),
            version: p.version.clone(),
            business_owner_id: p.business.clone(),
            execution_owner_id: p.execution.clone(),
        })
        .collect();
    let row_of = |n: usize| -> Option<i64> { wanted.get(n)?.0.trim().parse().ok() };
    let changes = match ownership::parse_changes(&inputs, &m.functions, &m.people) {
        Ok(c) => c,
        Err(inv) => {
            let mut page = render_grid(&ctx, &m.functions, &m.people, &typed, None);
            let mut lost = vec![];
            for e in inv.errors {
                // "owners[3].business_owner_id" → row 3's function.
                let n = e
                    .field
                    .strip_prefix("owners[")
                    .and_then(|r| r.split(']').next())
                    .and_then(|n| n.parse::<usize>().ok());
                match n
                    .and_then(row_of)
                    .and_then(|id| page.rows.iter_mut().find(|r| r.function.id == id))
                {
                    Some(r) => r.errors.push(e.message),
                    None => lost.push(e.message),
                }
            }
            lost.dedup();
            page.alert = Some(if lost.is_empty() {
                "Nothing was saved: some rows need fixing; see the messages in them.".into()
            } else {
                format!("Nothing was saved. {}", lost.join(" "))
            });
            let mut r = render(&page)?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
    };
    match state.store.set_function_owners(ctx.ws.id, &changes).await? {
        Ok(saved) => {
            for f in &saved {
                typed.remove(&f.id);
            }
            let left = typed.values().filter(|p| p.changed()).count();
            let one = saved.len() == 1;
            if left == 0 {
                let notice = if one { "owner-saved" } else { "owners-saved" };
                return Ok(
                    Redirect::to(&ctx.link(&format!("/functions/owners?notice={notice}")))
                        .into_response(),
                );
            }
            // Other rows still hold unsaved choices: show them as typed, the saved row as
            // stored now.
            let functions = state.store.list_functions(ctx.ws.id).await?;
            let functions = ctx.reader().functions(functions);
            let notice = if one { "owner-saved" } else { "owners-saved" };
            render(&render_grid(
                &ctx,
                &functions,
                &m.people,
                &typed,
                Some(notice),
            ))
        }
        Err(stale) => {
            let reader = ctx.reader();
            let mut notes: HashMap<i64, String> = HashMap::new();
            let mut gone = vec![];
            for (n, now) in stale {
                let Some(c) = changes.get(n) else { continue };
                match now.filter(|f| reader.can_see_function(f)) {
                    Some(f) => {
                        let name = |id: Option<i64>| {
                            id.and_then(|id| m.people.iter().find(|p| p.id == id))
                                .map(|p| p.name.clone())
                                .unwrap_or_else(|| "nobody".into())
                        };
                        notes.insert(
                            f.id,
                            format!(
                                "{} You had chosen: business owner {}, execution owner {}.",
                                ownership::stale_message(&f, &m.people),
                                name(c.business_owner_id),
                                name(c.execution_owner_id)
                            ),
                        );
                        // The stale row is shown as it is now.
                        typed.remove(&f.id);
                    }
                    None => {
                        typed.remove(&c.function_id);
                        gone.push(c.function_id);
                    }
                }
            }
            let functions = reader.functions(state.store.list_functions(ctx.ws.id).await?);
            let mut page = render_grid(&ctx, &functions, &m.people, &typed, None);
            for r in &mut page.rows {
                r.stale = notes.remove(&r.function.id);
            }
            page.stale = page.rows.iter().filter(|r| r.stale.is_some()).count();
            page.alert = Some(if gone.is_empty() {
                "Nothing was saved: someone else changed the owners of a function you changed. It is shown below as it is now; your other changes are still in the form.".into()
            } else {
                "Nothing was saved: a function you changed was removed meanwhile. Your other changes are still in the form.".into()
            });
            let mut r = render(&page)?;
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
    }
}
