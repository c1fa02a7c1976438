//! Metrics: the list with what each one's values say and which sides each function
//! measures; one metric's page with its chart, the same numbers in a table, and a form for a
//! value. The metric's own form is in `metric_form.rs`.

use super::forms::{version, Errors};
use super::layout::{render, Chrome};
use super::metric_chart;
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::metrics as ops;
use crate::ops::strategy::view as model_view;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keel_domain::health::Model;
use keel_domain::metric::{self, trend, Cadence, Kind, MeasurementDraft, MeasurementInput, Metric};
use keel_domain::Invalid;
use keel_store::StoreError;
use serde::Deserialize;
use std::sync::Arc;

pub fn routes(r: Routes) -> Routes {
    super::metric_form::routes(r)
        .get("/w/{ws}/metrics", list)
        .get("/w/{ws}/metrics/{metric}", show)
        .get("/w/{ws}/metrics/{metric}/chart.svg", chart)
        .post("/w/{ws}/metrics/{metric}/measurements", add_value)
        .post(
            "/w/{ws}/metrics/{metric}/measurements/import",
            import_values,
        )
        .post(
            "/w/{ws}/metrics/{metric}/measurements/{measurement}/delete",
            delete_value,
        )
}

pub(super) async fn view(state: &AppState, ctx: &WsCtx) -> Result<Arc<Model>, PageError> {
    Ok(model_view(state, ctx.ws.id, ctx.ws.data_version, &ctx.reader()).await?)
}

fn name_of<T>(xs: &[T], id: Option<i64>, key: impl Fn(&T) -> (i64, String)) -> Option<String> {
    let id = id?;
    xs.iter().map(key).find(|(i, _)| *i == id).map(|(_, n)| n)
}

/// A metric with what its values say, as the list and the metric page print it.
pub struct Row {
    pub metric: Metric,
    pub owner: Option<String>,
    pub latest: Option<String>,
    pub latest_period: Option<String>,
    pub off_target: bool,
    pub target: Option<String>,
    pub trend: Option<String>,
    /// Whether the trend goes the better way (`None`: flat or no trend).
    pub better: Option<bool>,
    pub missing: Option<String>,
    /// What it measures: (label, link) pairs.
    pub links: Vec<(String, String)>,
    /// The strategy layer it reports on (its own, else its objective's, else tactics for a
    /// channel's or workflow's).
    pub layer: Option<&'static str>,
}

impl Row {
    fn new(x: &Metric, m: &Model, ctx: &WsCtx) -> Row {
        let s = ops::summary(x, m);
        let unit = x.unit.as_deref();
        let mut links = Vec::new();
        if let Some(n) = name_of(&m.objectives, x.objective_id, |o| (o.id, o.outcome.clone())) {
            let href = ctx.link(&format!(
                "/objectives/{}",
                x.objective_id.unwrap_or_default()
            ));
            links.push((format!("KPI of: {n}"), href));
        }
        if let Some(n) = name_of(&m.functions, x.function_id, |f| (f.id, f.name.clone())) {
            let href = ctx.link(&format!("/functions/{}", x.function_id.unwrap_or_default()));
            links.push((format!("Function: {n}"), href));
        }
        if let Some(n) = name_of(&m.channels, x.channel_id, |c| (c.id, c.name.clone())) {
            let href = ctx.link(&format!("/channels/{}", x.channel_id.unwrap_or_default()));
            links.push((format!("Channel: {n}"), href));
        }
        if let Some(n) = name_of(&m.workflows, x.workflow_id, |w| (w.id, w.spec.name.clone())) {
            let href = ctx.link(&format!("/workflows/{}", x.workflow_id.unwrap_or_default()));
            links.push((format!("Workflow: {n}"), href));
        }
        Row {
            owner: name_of(&m.people, x.owner_id, |p| (p.id, p.name.clone())),
            latest: s.latest.as_ref().map(|l| metric::with_unit(l.value, unit)),
            latest_period: s
                .latest
                .as_ref()
                .map(|l| metric_chart::period_label(x.cadence, l.period)),
            off_target: s.off_target == Some(true),
            target: x.target.map(|t| metric::with_unit(t, unit)),
            trend: s.trend.map(|t| t.describe(x.cadence)),
            better: s.trend.and_then(|t| t.better),
            missing: s.missing.map(|d| metric_chart::period_label(x.cadence, d)),
            links,
            layer: keel_domain::stack::cascade::metric_layer(m, x).map(|l| l.label()),
            metric: x.clone(),
        }
    }
}

/// One function's row of the coverage table: which sides its metrics show.
pub struct CoverageRow {
    pub function: String,
    pub sides: Vec<bool>,
    pub metrics: usize,
    pub outcome: usize,
}

#[derive(Template)]
#[template(path = "strategy/metrics.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    kinds: Vec<&'static str>,
    coverage: Vec<CoverageRow>,
}

async fn list(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let m = view(&state, &ctx).await?;
    let rows = m.metrics.iter().map(|x| Row::new(x, &m, &ctx)).collect();
    let coverage = metric::coverage(&m)
        .into_iter()
        .filter_map(|c| {
            let f = m.functions.iter().find(|f| f.id == c.function_id)?;
            Some(CoverageRow {
                function: f.name.clone(),
                sides: Kind::ALL.iter().map(|k| c.covers(*k)).collect(),
                metrics: c.metrics,
                outcome: c.outcome,
            })
        })
        .collect();
    render(&ListPage {
        chrome: ctx
            .chrome("Metrics", "metrics")
            .with_notice(q.notice.as_deref()),
        rows,
        kinds: Kind::ALL.iter().map(|k| k.label()).collect(),
        coverage,
    })
}

pub(super) async fn find(
    state: &AppState,
    ctx: &WsCtx,
    id: i64,
) -> Result<(Metric, Arc<Model>), PageError> {
    let m = view(state, ctx).await?;
    let x = ops::metric(&m, id).ok_or(PageError::NotFound)?;
    Ok((x, m))
}

/// A metric's values as the table shows them, newest first.
fn value_rows(x: &Metric, ms: &[metric::Measurement]) -> Vec<ValueRow> {
    let unit = x.unit.as_deref();
    ms.iter()
        .rev()
        .map(|v| ValueRow {
            id: v.id,
            period: metric_chart::period_label(x.cadence, v.period),
            value: metric::with_unit(v.value, unit),
            off_target: trend::off_target(x, v.value) == Some(true),
            note: v.note.clone(),
            version: v.version,
        })
        .collect()
}

/// One value in the table beside the chart.
pub struct ValueRow {
    pub id: i64,
    pub period: String,
    pub value: String,
    pub off_target: bool,
    pub note: Option<String>,
    pub version: i64,
}

#[derive(Deserialize, Default, Clone)]
pub struct ValueForm {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Template)]
#[template(path = "strategy/metric.html")]
struct ShowPage {
    chrome: Chrome,
    row: Row,
    chart_url: String,
    alt: String,
    /// Every value, newest first; the first `recent` beside the chart, the rest folded.
    values: Arc<Vec<ValueRow>>,
    recent: usize,
    form: ValueForm,
    errors: Errors,
    period_hint: &'static str,
    /// The pasted table, kept when it is refused, and why (a line each).
    import: ImportForm,
    import_errors: Vec<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct ImportForm {
    #[serde(default)]
    pub csv: String,
}

impl ShowPage {
    fn recent(&self) -> &[ValueRow] {
        &self.values[..self.recent]
    }
    fn earlier(&self) -> &[ValueRow] {
        &self.values[self.recent..]
    }
    /// The workspace's day of a unix time.
    fn day(&self, t: &i64) -> String {
        crate::time_fmt::date(*t, &self.chrome.zone)
    }
}

/// What the page shows beside the values: the form's input and errors, or the pasted table's.
#[derive(Default)]
struct Entered {
    form: Option<ValueForm>,
    errors: Invalid,
    import: ImportForm,
    import_errors: Vec<String>,
}

async fn show_page(
    state: &AppState,
    ctx: &WsCtx,
    id: i64,
    entered: Entered,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let Entered {
        form,
        errors,
        import,
        import_errors,
    } = entered;
    let (x, m) = find(state, ctx, id).await?;
    let ms = metric::measurements_of(&m, x.id);
    let rows = || value_rows(&x, ms);
    let values = if ctx.role.sees_everything() {
        crate::model::loaded(state, ctx.ws.id, ctx.ws.data_version)
            .await?
            .of_metric(x.id, rows)
    } else {
        Arc::new(rows())
    };
    let recent = metric_chart::shown(ms).len();
    let status = if errors.is_empty() && import_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let form = form.unwrap_or_else(|| ValueForm {
        period: x
            .cadence
            .period_start(crate::time_fmt::today(&ctx.ws.zone()))
            .to_string(),
        ..Default::default()
    });
    let alt = format!(
        "Line chart of {} over the last {} {}s{}; the same numbers are in the table beside it.",
        x.name,
        recent,
        x.cadence.period_word(),
        if x.target.is_some() {
            ", with the target as a dashed line"
        } else {
            ""
        }
    );
    let mut r = render(&ShowPage {
        chrome: ctx.chrome(x.name.clone(), "metrics").with_notice(notice),
        chart_url: ctx.link(&format!(
            "/metrics/{}/chart.svg?v={}",
            x.id, ctx.ws.data_version
        )),
        alt,
        values,
        recent,
        form,
        errors: Errors(errors),
        period_hint: match x.cadence {
            Cadence::Weekly => "Any day of the week; it is kept as that week's Monday.",
            Cadence::Monthly => {
                "Any day of the month, or YYYY-MM; it is kept as the month's first day."
            }
            Cadence::Quarterly => "Any day of the quarter; it is kept as the quarter's first day.",
        },
        row: Row::new(&x, &m, ctx),
        import,
        import_errors,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

async fn show(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    show_page(&state, &ctx, id, Entered::default(), q.notice.as_deref()).await
}

async fn chart(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let (x, m) = find(&state, &ctx, id).await?;
    let draw = || axum::body::Bytes::from(metric_chart::svg(&x, metric::measurements_of(&m, x.id)));
    // A reader who sees the whole workspace sees the metric as the cached model holds it.
    let svg = if ctx.role.sees_everything() {
        crate::model::loaded(&state, ctx.ws.id, ctx.ws.data_version)
            .await?
            .of_metric(x.id, draw)
            .as_ref()
            .clone()
    } else {
        draw()
    };
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "private, max-age=60"),
        ],
        svg,
    )
        .into_response())
}

async fn add_value(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<ValueForm>,
) -> Result<Response, PageError> {
    let (x, _) = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let refused = |form: ValueForm, errors: Invalid| Entered {
        form: Some(form),
        errors,
        ..Default::default()
    };
    if let Err(inv) = metric::computed::writable(&x) {
        return show_page(&state, &ctx, id, refused(f, inv), None).await;
    }
    let input = MeasurementInput {
        period: f.period.clone(),
        value: f.value.clone(),
        note: f.note.clone(),
    };
    let today = crate::time_fmt::today(&ctx.ws.zone());
    let d = match MeasurementDraft::parse(&input, x.cadence, today) {
        Ok(d) => d,
        Err(inv) => return show_page(&state, &ctx, id, refused(f, inv), None).await,
    };
    match state.store.put_measurements(ctx.ws.id, id, &[d]).await {
        Ok(_) => Ok(
            Redirect::to(&ctx.link(&format!("/metrics/{id}?notice=value-saved"))).into_response(),
        ),
        Err(StoreError::NotFound) => Err(PageError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Values pasted as a table (from a spreadsheet: tab-separated; or CSV text) with a header
/// row naming the period and value columns. All or nothing: a refused table is kept in the
/// box with one line per problem (`keel_import::measurements`).
async fn import_values(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<ImportForm>,
) -> Result<Response, PageError> {
    let (x, _) = find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    let refused = |f: ImportForm, errors: Vec<String>| Entered {
        import: f,
        import_errors: errors,
        ..Default::default()
    };
    if let Err(inv) = metric::computed::writable(&x) {
        let errors = inv.errors.into_iter().map(|e| e.message).collect();
        return show_page(&state, &ctx, id, refused(f, errors), None).await;
    }
    let today = crate::time_fmt::today(&ctx.ws.zone());
    let drafts = match keel_import::measurements::parse(
        f.csv.as_bytes(),
        x.unit.as_deref(),
        x.cadence,
        today,
    ) {
        Ok(d) => d,
        Err(errors) => {
            let errors = errors.iter().map(ToString::to_string).collect();
            return show_page(&state, &ctx, id, refused(f, errors), None).await;
        }
    };
    match state.store.put_measurements(ctx.ws.id, id, &drafts).await {
        Ok(_) => Ok(
            Redirect::to(&ctx.link(&format!("/metrics/{id}?notice=values-imported")))
                .into_response(),
        ),
        Err(StoreError::NotFound) => Err(PageError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// A removal carries the version it was shown, for the metric and for one of its values.
#[derive(Deserialize)]
pub(super) struct DeleteForm {
    #[serde(default)]
    pub(super) version: String,
}

async fn delete_value(
    State(state): State<AppState>,
    ctx: WsCtx,
    Path((_, id, value)): Path<(String, i64, i64)>,
    Form(f): Form<DeleteForm>,
) -> Result<Response, PageError> {
    find(&state, &ctx, id).await?;
    ctx.require_edit()?;
    match state
        .store
        .delete_measurement(ctx.ws.id, id, value, version(&f.version))
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&ctx.link(&format!("/metrics/{id}?notice=value-deleted"))).into_response(),
        ),
        Err(StoreError::Stale { .. }) => {
            let inv = Invalid::one("version", "Someone changed this value after you opened the page. Check it below, then remove it again if you still want to.");
            let entered = Entered {
                errors: inv,
                ..Default::default()
            };
            show_page(&state, &ctx, id, entered, None).await
        }
        Err(StoreError::NotFound) => Err(PageError::NotFound),
        Err(e) => Err(e.into()),
    }
}
