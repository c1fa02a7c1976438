//! Several people in one form: rows of name, email, kind, organization and weekly hours,
//! "Add another row" (a button that works without JavaScript: the form comes back with one
//! more row and everything typed), all or nothing (`keel_domain::person_bulk`), with each
//! row's errors under its fields.

use super::forms::Errors;
use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::person_bulk::{self, MAX_ROWS};
use keel_domain::{Invalid, PersonInput, PersonKind};
use keel_store::StoreError;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/people/bulk", new)
        .post("/w/{ws}/people/bulk", create)
}

/// Empty rows a fresh form shows.
const START_ROWS: usize = 5;

#[derive(Clone, Default)]
pub struct BulkRow {
    pub name: String,
    pub email: String,
    pub kind: String,
    pub organization: String,
    pub weekly_capacity: String,
}

impl BulkRow {
    fn empty() -> BulkRow {
        BulkRow {
            kind: "internal".into(),
            weekly_capacity: String::new(),
            ..Default::default()
        }
    }

    fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            organization: self.organization.clone(),
            email: self.email.clone(),
            weekly_capacity: self.weekly_capacity.clone(),
            ..Default::default()
        }
    }
}

#[derive(Template)]
#[template(path = "people/bulk.html")]
struct BulkPage {
    chrome: Chrome,
    rows: Vec<BulkRow>,
    kinds: &'static [PersonKind],
    errors: Errors,
}

impl BulkPage {
    /// The error of a row's field (`people[n].field`).
    fn err(&self, n: &usize, field: &str) -> Option<&str> {
        self.errors.get(&format!("people[{n}].{field}"))
    }
}

fn page(ctx: &WsCtx, rows: Vec<BulkRow>, errors: Invalid) -> Result<Response, PageError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(&BulkPage {
        chrome: ctx.chrome("Add people", "people"),
        rows,
        kinds: &PersonKind::ALL,
        errors: Errors(errors),
    })?;
    *r.status_mut() = status;
    Ok(r)
}

async fn new(ctx: WsCtx) -> Result<Response, PageError> {
    ctx.require_edit()?;
    page(&ctx, vec![BulkRow::empty(); START_ROWS], Invalid::new())
}

/// The rows of the posted form: repeated fields, one of each per row, in order.
fn rows_of(pairs: &[(String, String)]) -> Vec<BulkRow> {
    let col = |k: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let (names, emails, kinds, orgs, hours) = (
        col("name"),
        col("email"),
        col("kind"),
        col("organization"),
        col("weekly_capacity"),
    );
    let n = names.len().min(MAX_ROWS + 1);
    (0..n)
        .map(|i| {
            let at = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
            BulkRow {
                name: at(&names),
                email: at(&emails),
                kind: at(&kinds),
                organization: at(&orgs),
                weekly_capacity: at(&hours),
            }
        })
        .collect()
}

async fn create(
    State(state): State<AppState>,
    ctx: WsCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    ctx.require_edit()?;
    let mut rows = rows_of(&pairs);
    if pairs.iter().any(|(k, _)| k == "more") {
        // "Add another row" without JavaScript: the same form, one row longer.
        if rows.len() < MAX_ROWS {
            rows.push(BulkRow::empty());
        }
        return page(&ctx, rows, Invalid::new());
    }
    // Blank rows are no one; what remains is kept in its order for the error names.
    rows.retain(|r| !person_bulk::is_blank(&r.input()));
    let inputs: Vec<PersonInput> = rows.iter().map(BulkRow::input).collect();
    let existing = state.store.list_people(ctx.ws.id).await?;
    match person_bulk::parse_many(&inputs, &[], &existing) {
        Ok(drafts) => match state.store.create_people(ctx.ws.id, &drafts).await {
            Ok(made) => Ok(Redirect::to(&ctx.link(&format!(
                "/people?notice={}",
                if made.len() == 1 {
                    "person-saved"
                } else {
                    "people-saved"
                }
            )))
            .into_response()),
            Err(StoreError::Conflict(m)) => page(&ctx, rows, Invalid::one("people", m)),
            Err(e) => Err(e.into()),
        },
        Err(inv) => {
            if rows.is_empty() {
                rows = vec![BulkRow::empty(); START_ROWS];
            }
            page(&ctx, rows, inv)
        }
    }
}
