//! Server-rendered HTML pages. Every form works without JavaScript; htmx only enhances.

mod account;
mod audit;
mod calendar;
mod calendar_month;
mod channels;
mod commitments;
mod dashboard;
mod decisions;
pub mod forms;
mod functions;
mod health;
pub mod layout;
mod lead_import;
mod lead_quality;
mod lead_thresholds;
mod leads;
mod load_chart;
mod members;
mod metric_chart;
mod metric_form;
mod metrics;
mod my_account;
mod objectives;
mod offers;
mod owners;
mod ownership;
mod password;
mod people;
mod people_bulk;
mod portable;
mod priorities;
mod reference;
mod review;
mod review_minutes;
mod reviews;
mod search;
mod settings;
mod setup;
mod spend;
mod strategic_fit;
mod strategy;
mod strategy_records;
mod tokens;
mod webhooks;
mod work;
pub mod workflows;
mod workspaces;

use crate::error::PageError;
use crate::routes::Routes;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};

pub use setup::done as set_up;

pub fn routes(r: Routes) -> Routes {
    let r = account::routes(r);
    let r = setup::routes(r);
    let r = password::routes(r);
    let r = my_account::routes(r);
    let r = workspaces::routes(r);
    let r = dashboard::routes(r);
    let r = people_bulk::routes(r);
    let r = people::routes(r);
    let r = owners::routes(r);
    let r = functions::routes(r);
    let r = ownership::routes(r);
    let r = commitments::routes(r);
    let r = health::routes(r);
    let r = members::routes(r);
    let r = tokens::routes(r);
    let r = webhooks::routes(r);
    let r = settings::routes(r);
    let r = audit::routes(r);
    let r = portable::routes(r);
    let r = workflows::routes(r);
    let r = work::routes(r);
    let r = calendar_month::routes(r);
    let r = calendar::routes(r);
    let r = objectives::routes(r);
    let r = priorities::routes(r);
    let r = channels::routes(r);
    let r = metrics::routes(r);
    let r = offers::routes(r);
    let r = strategy::routes(r);
    let r = strategic_fit::routes(r);
    let r = strategy_records::routes(r);
    let r = leads::routes(r);
    let r = lead_quality::routes(r);
    let r = lead_thresholds::routes(r);
    let r = lead_import::routes(r);
    let r = spend::routes(r);
    let r = reviews::routes(r);
    let r = review::routes(r);
    let r = review_minutes::routes(r);
    let r = decisions::routes(r);
    let r = search::routes(r);
    reference::routes(r)
}

/// Unknown addresses: a JSON 404 under /api, the error page elsewhere.
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        crate::error::ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
            "There is no such API endpoint. See /api/v1/openapi.json.",
        )
        .into_response()
    } else {
        PageError::NotFound.into_response()
    }
}
