//! The API reference page, rendered from the same OpenAPI document the API serves.

use super::layout::{render, Chrome};
use crate::ctx::MaybeSignedIn;
use crate::error::PageError;
use crate::routes::Routes;
use askama::Template;
use axum::response::Response;
use serde_json::Value;

pub fn routes(r: Routes) -> Routes {
    r.get("/api", page)
}

pub struct Operation {
    pub method: String,
    pub path: String,
    pub id: String,
    pub summary: String,
    pub body: Option<String>,
    pub responses: Vec<(String, String)>,
}

pub struct Tag {
    pub name: String,
    pub description: String,
    pub operations: Vec<Operation>,
}

#[derive(Template)]
#[template(path = "reference.html")]
struct Page {
    chrome: Chrome,
    tags: Vec<Tag>,
    schemas: Vec<(String, String)>,
}

fn schema_name(v: &Value) -> Option<String> {
    let r = v
        .pointer("/content/application~1json/schema/$ref")?
        .as_str()?;
    r.rsplit('/').next().map(String::from)
}

fn operations(doc: &Value) -> Vec<Tag> {
    let mut tags: Vec<Tag> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| Tag {
            name: t["name"].as_str().unwrap_or_default().into(),
            description: t["description"].as_str().unwrap_or_default().into(),
            operations: vec![],
        })
        .collect();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let tag = op["tags"][0].as_str().unwrap_or_default();
            let o = Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                id: op["operationId"].as_str().unwrap_or_default().into(),
                summary: op["summary"]
                    .as_str()
                    .or(op["description"].as_str())
                    .unwrap_or_default()
                    .into(),
                body: schema_name(&op["requestBody"]),
                responses: op["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(code, r)| (code.clone(), schema_name(r).unwrap_or_default()))
                    .collect(),
            };
            if let Some(t) = tags.iter_mut().find(|t| t.name == tag) {
                t.operations.push(o);
            }
        }
    }
    tags
}

async fn page(MaybeSignedIn(s): MaybeSignedIn) -> Result<Response, PageError> {
    let doc = serde_json::to_value(crate::api::document())
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let schemas = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            (
                k.clone(),
                serde_json::to_string_pretty(v).unwrap_or_default(),
            )
        })
        .collect();
    let chrome = match &s {
        Some(s) => Chrome::signed_in("API reference", s),
        None => Chrome::public("API reference"),
    };
    render(&Page {
        chrome,
        tags: operations(&doc),
        schemas,
    })
}
