//! Who decides and who executes each function, and each person's load against capacity.

use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::{model, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use keel_domain::ownership::{self, Load, Responsibility};
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

pub struct PersonRow {
    pub person: Person,
    pub load: Load,
    pub decides: Vec<Function>,
    pub executes: Vec<Function>,
}

#[derive(Template)]
#[template(path = "ownership.html")]
struct Page {
    chrome: Chrome,
    people: Vec<Person>,
    empty: bool,
    matrix: Vec<MatrixRow>,
    show_matrix: bool,
    rows: Vec<PersonRow>,
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
    let reader = ctx.reader(&state.store).await?;
    let m = model::load(&state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
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
    let rows = m
        .people
        .iter()
        .skip(current * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|p| PersonRow {
            person: p.clone(),
            load: ownership::load(p, &m.functions),
            decides: m
                .functions
                .iter()
                .filter(|f| f.business_owner_id == Some(p.id))
                .cloned()
                .collect(),
            executes: m
                .functions
                .iter()
                .filter(|f| f.execution_owner_id == Some(p.id))
                .cloned()
                .collect(),
        })
        .collect();
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
