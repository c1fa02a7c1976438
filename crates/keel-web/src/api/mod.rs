//! The JSON API under /api/v1, described by an OpenAPI 3.1 document generated from the code.
//!
//! Conventions (docs/api.md): operation names `list_x`, `find_x`, `create_x`, `update_x`,
//! `delete_x`; one error envelope; records carry a `version`, sent back as an `ETag`, and
//! `If-Match` on PUT and DELETE turns a stale write into 412 instead of a lost update.

mod allocation;
mod audit;
mod channels;
mod decisions;
mod exact;
mod extract;
mod fit;
mod functions;
mod lead_feedback;
mod lead_imports;
mod lead_quality;
mod lead_settings;
mod leads;
mod load;
mod members;
mod metrics;
mod model;
mod objectives;
mod offers;
mod openapi;
mod owners;
mod people;
mod people_bulk;
mod portable;
mod priorities;
mod review_cadences;
mod reviews;
mod search;
mod spend;
mod strategy;
mod strategy_records;
mod tokens;
mod webhooks;
mod work;
mod workflows;
mod workspace;

pub use extract::{if_match, ApiJson, ApiPaging, ApiPath, ApiPath2, ApiQuery, Paging};
pub use openapi::document;
pub use portable::download;

use crate::routes::Routes;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

pub fn routes(r: Routes) -> Routes {
    let r = r.get("/api/v1/openapi.json", openapi::serve);
    let r = workspace::routes(r);
    let r = people_bulk::routes(r);
    let r = people::routes(r);
    let r = load::routes(r);
    let r = functions::routes(r);
    let r = model::routes(r);
    let r = owners::routes(r);
    let r = members::routes(r);
    let r = workflows::routes(r);
    let r = work::routes(r);
    let r = objectives::routes(r);
    let r = priorities::routes(r);
    let r = channels::routes(r);
    let r = metrics::routes(r);
    let r = offers::routes(r);
    let r = strategy::routes(r);
    let r = fit::routes(r);
    let r = allocation::routes(r);
    let r = strategy_records::routes(r);
    let r = leads::routes(r);
    let r = lead_feedback::routes(r);
    let r = lead_quality::routes(r);
    let r = lead_settings::routes(r);
    let r = lead_imports::routes(r);
    let r = spend::routes(r);
    let r = search::routes(r);
    let r = review_cadences::routes(r);
    let r = reviews::routes(r);
    let r = decisions::routes(r);
    let r = portable::routes(r);
    let r = audit::routes(r);
    let r = webhooks::routes(r);
    tokens::routes(r)
}

/// A JSON body with the record's version as its ETag.
pub fn with_etag<T: Serialize>(status: axum::http::StatusCode, version: i64, body: T) -> Response {
    let mut r = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}
