//! The board: every workflow's work at once, grouped by status, or one workflow's by stage;
//! filtered by workflow, owner and function as the pickers change. Cards are dragged between
//! columns (`assets/board.js` on the vendored SortableJS), which posts `…/drop`: the same
//! version-checked move as the card's button, decided by `work::board::drop_action` and then
//! the transition's own rules.

use super::{open_picks, rows, Pick, Row};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::{work as wops, OpError};
use crate::pages::layout::{render, Chrome};
use crate::pages::workflows::caller;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use keel_domain::work::board::{self, Column as Col, Grouping, STATUS_COLUMNS};
use keel_domain::work::{WorkItem, WorkStatus};
use keel_domain::workflow::Workflow;
use keel_domain::Person;
use serde::Deserialize;

/// Cards drawn per column at most; the column's count is always the whole, with a link to
/// the list for the rest (the benchmark workspace has tens of thousands of items).
pub const CARDS_PER_COLUMN: usize = 100;

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    workflow: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    function: String,
    /// "status" groups one workflow's work by status too; by default one workflow is shown
    /// by stage, all of them by status.
    #[serde(default)]
    group: String,
    notice: Option<String>,
}

pub struct Column<'a> {
    pub key: String,
    pub name: String,
    /// How many items the column holds; `rows` may show fewer (`CARDS_PER_COLUMN`).
    pub total: usize,
    pub rows: Vec<Row<'a>>,
    /// The work list with the same status, for a column with more than it shows.
    pub more_link: String,
}

#[derive(Template)]
#[template(path = "work/board.html")]
struct BoardPage<'a> {
    chrome: Chrome,
    /// Editors move cards; a partner opens its item to move it.
    can_move: bool,
    workflows: Vec<Pick>,
    functions: Vec<Pick>,
    people: Vec<Person>,
    q: BoardQuery,
    current: Option<&'a Workflow>,
    by_stage: bool,
    columns: Vec<Column<'a>>,
    shown: usize,
    blocked: usize,
}

impl BoardPage<'_> {
    fn is(&self, a: &str, b: &i64) -> bool {
        a == b.to_string()
    }

    /// The board's filters, for a button's move to come back to the same board.
    fn query(&self) -> String {
        self.q.to_query()
    }
}

impl BoardQuery {
    /// The filters as a query string: ids as digits, the grouping as its word; anything else
    /// is left out, so it can be sent back through a form and into a redirect safely.
    pub fn to_query(&self) -> String {
        let id = |s: &str| parse_id(s).map(|i| i.to_string()).unwrap_or_default();
        let pairs = [
            ("workflow", id(&self.workflow)),
            ("owner", id(&self.owner)),
            ("function", id(&self.function)),
            (
                "group",
                if self.group == "status" {
                    "status".to_string()
                } else {
                    String::new()
                },
            ),
        ];
        serde_urlencoded::to_string(
            pairs
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default()
    }
}

fn parse_id(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

pub async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<BoardQuery>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let loaded = crate::model::loaded(&state, ctx.ws.id, ctx.ws.data_version).await?;
    let model = crate::model::load(&state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
    // Filters name only what the reader sees; anything else is no filter at all.
    // A retired workflow is off the board: its items are read on the work list.
    let current = parse_id(&q.workflow).and_then(|id| {
        model
            .workflows
            .iter()
            .find(|w| w.id == id && w.spec.status.takes_new_work())
    });
    let owner = parse_id(&q.owner).filter(|id| model.people.iter().any(|p| p.id == *id));
    let function = parse_id(&q.function).filter(|id| model.functions.iter().any(|f| f.id == *id));
    let by_stage = current.is_some() && q.group != "status";
    let grouping = if by_stage {
        Grouping::Stage
    } else {
        Grouping::Status
    };
    let kinds: Vec<(Col, String)> = match current.filter(|_| by_stage) {
        Some(wf) => {
            let mut cols: Vec<(Col, String)> = wf
                .spec
                .stages
                .iter()
                .enumerate()
                .map(|(i, s)| (Col::Stage(i), s.name.clone()))
                .collect();
            cols.push((Col::Launched, "Launched".into()));
            cols
        }
        None => STATUS_COLUMNS
            .iter()
            .map(|s| (Col::Status(*s), s.label().into()))
            .collect(),
    };
    let mut columns: Vec<Column> = kinds
        .iter()
        .map(|(c, name)| column(*c, name.clone()))
        .collect();
    // The cached model holds every item at this data version, indexed for the board newest
    // first. One pass counts every column; only the cards drawn are made into rows (the
    // benchmark workspace has tens of thousands of open items).
    let mut hidden: Vec<i64> = model
        .workflows
        .iter()
        .filter(|w| {
            !w.spec.status.takes_new_work()
                || (function.is_some() && w.spec.function_id != function)
        })
        .map(|w| w.id)
        .collect();
    hidden.sort_unstable();
    let (mut shown, mut blocked) = (0, 0);
    let mut drawn: Vec<Vec<&WorkItem>> = vec![Vec::new(); columns.len()];
    let unfiltered =
        current.is_none() && function.is_none() && owner.is_none() && reader.role.sees_everything();
    if unfiltered {
        // Every workflow by status with nothing filtered: each column is an index kept with
        // the cached model; count it and draw its first cards, no scan over the items.
        for (n, (col, _)) in kinds.iter().enumerate() {
            if let Col::Status(s) = col {
                let all = loaded.board_with_status(*s);
                columns[n].total = all.len();
                shown += all.len();
                if *s == WorkStatus::Blocked {
                    blocked = all.len();
                }
                drawn[n] = all
                    .iter()
                    .take(CARDS_PER_COLUMN)
                    .map(|&i| loaded.work_at(i))
                    .collect();
            }
        }
    } else {
        // Filtered, or one workflow: one pass over its items counts every column.
        let visible = loaded
            .board_work(current.map(|w| w.id))
            .filter(|i| reader.can_see_work(i))
            .filter(|i| hidden.binary_search(&i.workflow_id).is_err())
            .filter(|i| owner.is_none() || i.execution_owner_id == owner);
        for item in visible {
            shown += 1;
            if item.status == WorkStatus::Blocked {
                blocked += 1;
            }
            let col = board::column_of(item, grouping);
            if let Some(n) = kinds.iter().position(|(c, _)| *c == col) {
                columns[n].total += 1;
                if drawn[n].len() < CARDS_PER_COLUMN {
                    drawn[n].push(item);
                }
            }
        }
    }
    let today = crate::time_fmt::today(&ctx.ws.zone());
    for (c, cards) in columns.iter_mut().zip(drawn) {
        c.rows = rows(cards, &model.workflows, &model.people, today);
    }
    for c in &mut columns {
        c.more_link = more_link(&ctx, &q, &c.key);
    }
    let title = "Board";
    render(&BoardPage {
        chrome: ctx.chrome(title, "work").with_notice(q.notice.as_deref()),
        can_move: ctx.role.can_edit_model(),
        workflows: open_picks(&model.workflows),
        functions: model
            .functions
            .iter()
            .map(|f| Pick {
                id: f.id,
                name: f.name.clone(),
            })
            .collect(),
        people: if reader.role.sees_everything() {
            model.people.clone()
        } else {
            vec![]
        },
        q,
        current,
        by_stage,
        columns,
        shown,
        blocked,
    })
}

fn column<'a>(c: Col, name: String) -> Column<'a> {
    Column {
        key: c.key(),
        name,
        total: 0,
        rows: vec![],
        more_link: String::new(),
    }
}

/// The work list showing what a full column holds beyond its cards.
fn more_link(ctx: &WsCtx, q: &BoardQuery, key: &str) -> String {
    let status = match key {
        "launched" => "launched",
        k => k.strip_prefix("status:").unwrap_or(""),
    };
    let pairs = [
        ("workflow", q.workflow.as_str()),
        ("owner", q.owner.as_str()),
        ("status", status),
    ];
    let qs = serde_urlencoded::to_string(
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    ctx.link(&format!("/work?{qs}"))
}

#[derive(Deserialize)]
pub struct DropForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    reason: String,
}

/// A short answer for the board's script: the text is what the card shows.
fn said(status: StatusCode, text: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text.into(),
    )
        .into_response()
}

/// A card dropped on a column. 204 when the move was made; otherwise the reason, in words,
/// with the status the same move's button would get (422 refused, 409 stale, 403, 404).
pub async fn drop(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<DropForm>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let c = caller(&ctx);
    let r = async {
        let (item, wf) = wops::workable(&state, &c, &reader, id).await?;
        let expected = crate::pages::forms::version(&f.version);
        if item.version != expected {
            return Err(OpError::Stale {
                current: item.version,
            });
        }
        let to = Col::parse(&f.to)?;
        let action = board::drop_action(&item, &wf.spec, to, &f.reason)
            .map_err(|r| OpError::Refused(r.message().to_string()))?;
        wops::apply(&state, &c, &reader, id, expected, &action).await
    }
    .await;
    Ok(match r {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(OpError::Refused(m)) => said(StatusCode::UNPROCESSABLE_ENTITY, m),
        Err(OpError::Invalid(i)) => said(StatusCode::UNPROCESSABLE_ENTITY, i.to_string()),
        Err(OpError::Forbidden(m)) => said(StatusCode::FORBIDDEN, m),
        Err(OpError::Stale { .. }) => said(
            StatusCode::CONFLICT,
            "Someone else changed this item while you were looking at it. The board now shows it as it is; try again.",
        ),
        Err(OpError::NotFound) => said(StatusCode::NOT_FOUND, "This item is gone."),
        Err(e) => return Err(e.into()),
    })
}
