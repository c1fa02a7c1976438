//! Who decides and who executes each function, and each person's load against capacity.

use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::{model, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use keel_domain::capacity::PersonLoad;
use keel_domain::ownership::{self, Responsibility};
use keel_domain::{Function, Person};

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/ownership", page)
}

/// Above this many people the matrix stops being readable; the per-person list remains.
const MATRIX_MAX_PEOPLE: usize = 16;

pub struct MatrixRow {
    pub function: Function,
    pub cells: Vec<Option<Responsibility>>,
}

pub struct PersonRow<'a> {
    pub person: &'a Person,
    pub load: PersonLoad,
    pub decides: Vec<&'a Function>,
    pub executes: Vec<&'a Function>,
}

#[derive(Template)]
#[template(path = "ownership.html")]
struct Page<'a> {
    chrome: Chrome,
    people: Vec<Person>,
    empty: bool,
    matrix: Vec<MatrixRow>,
    show_matrix: bool,
    rows: Vec<PersonRow<'a>>,
    page: usize,
    pages: usize,
}

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    #[serde(default)]
    page: usize,
}

/// People per page of the load table: a big team pages instead of rendering everyone.
const PAGE_SIZE: usize = 50;

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    axum::extract::Query(q): axum::extract::Query<PageQuery>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let m = model::load(&state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
    let loads = model::loads(&state, ctx.ws.id, ctx.ws.data_version).await?;
    let show_matrix = m.people.len() <= MATRIX_MAX_PEOPLE;
    let matrix = if show_matrix {
        m.functions
            .iter()
            .map(|f| MatrixRow {
                function: f.clone(),
                cells: m
                    .people
                    .iter()
                    .map(|p| ownership::responsibility(f, p.id))
                    .collect(),
            })
            .collect()
    } else {
        vec![]
    };
    let pages = m.people.len().div_ceil(PAGE_SIZE).max(1);
    let current = q.page.min(pages - 1);
    let mut rows: Vec<PersonRow> = m
        .people
        .iter()
        .skip(current * PAGE_SIZE)
        .take(PAGE_SIZE)
        .filter_map(|p| {
            Some(PersonRow {
                person: p,
                load: loads.of(p.id)?.clone(),
                decides: vec![],
                executes: vec![],
            })
        })
        .collect();
    // One pass over the functions for the whole page, not two per person.
    let row_of: std::collections::HashMap<i64, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.person.id, i))
        .collect();
    for f in &m.functions {
        if let Some(&i) = f.business_owner_id.and_then(|id| row_of.get(&id)) {
            rows[i].decides.push(f);
        }
        if let Some(&i) = f.execution_owner_id.and_then(|id| row_of.get(&id)) {
            rows[i].executes.push(f);
        }
    }
    let people = if show_matrix {
        m.people.clone()
    } else {
        vec![]
    };
    let empty = m.people.is_empty();
    render(&Page {
        chrome: ctx.chrome("Ownership", "ownership"),
        people,
        empty,
        matrix,
        show_matrix,
        rows,
        page: current,
        pages,
    })
}
