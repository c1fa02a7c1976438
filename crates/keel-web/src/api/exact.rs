//! Makes the generated OpenAPI document say exactly what the server accepts, for the rules that
//! hold across every handler and that per-field annotations would repeat (and forget):
//!
//! - ids (path `id`/`dep`/`link`/`comment`/`delivery`, body `*_id`, `*_ids`, `blocked_by`) are int64 from 1 (a query
//!   filter by an id that names nothing lists nothing, so it stays any integer);
//! - `If-Match` is a required header with its pattern wherever a handler reads it, and the
//!   412 (stale or malformed version) and 428 (missing) answers are documented there;
//! - text in a request body refuses what `keel_domain::text` refuses: control characters
//!   (a required line also line breaks, and must not be blank);
//! - an `email` has the shape `keel_domain::text::email` accepts (blank or null for none). Not
//!   `format: email`: that promises RFC 5321 syntax, which `text::email` does not check (it
//!   takes `ěþ@³ã.mì«é`), and schemathesis holds a document to what it promises;
//! - dates are `Date::parse`'s years, 1970 to 9999;
//! - template keys, risk flags and webhook event types are the domain's own lists.
//!
//! `scripts/api-fuzz.sh` holds the document to this with every schemathesis check: a request
//! the document allows is accepted, one it forbids is refused.

use serde_json::{json, Map, Value};

/// `"3"` or `W/"3"`: what `api::extract::if_match` reads.
pub const IF_MATCH: &str = r#"^(W/)?"[0-9]+"$"#;
/// A required line (`text::required`): no control character but a tab, not blank.
const LINE: &str = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$";
/// Optional text (`text::optional`, `text::plain`): line breaks and tabs, no other control.
const TEXT: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";
/// `Date::parse`: YYYY-MM-DD from 1970 to 9999.
const DATE: &str = r"^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/// `text::email`: one `@`, something before it, a dot inside the domain, no space or control.
const EMAIL: &str = r"^[^\s@\u0000-\u001F\u007F-\u009F]+@[^\s@.\u0000-\u001F\u007F-\u009F][^\s@\u0000-\u001F\u007F-\u009F]*\.[^\s@\u0000-\u001F\u007F-\u009F]*[^\s@.\u0000-\u001F\u007F-\u009F]$";

pub fn apply(doc: &mut Value) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut().filter_map(Value::as_object_mut) {
                operation(op);
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        let requests = request_schemas(schemas);
        for (name, schema) in schemas.iter_mut() {
            if requests.contains(name) {
                body(name, schema);
            }
        }
    }
}

/// The schemas request bodies are made of (`#/components/schemas/X` referenced from a
/// `*Body` schema, transitively), not the answers.
fn request_schemas(schemas: &Map<String, Value>) -> Vec<String> {
    let mut found: Vec<String> = schemas
        .keys()
        .filter(|n| n.ends_with("Body") && n.as_str() != "ErrorBody")
        .cloned()
        .collect();
    let mut i = 0;
    while i < found.len() {
        let text = schemas[&found[i]].to_string();
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part.chars().take_while(|c| *c != '"').collect();
            if !found.contains(&name) {
                found.push(name);
            }
        }
        i += 1;
    }
    found
}

fn operation(op: &mut Map<String, Value>) {
    let mut reads_if_match = false;
    for p in op
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let name = p["name"].as_str().unwrap_or_default().to_string();
        let place = p["in"].as_str().unwrap_or_default().to_string();
        let id = match place.as_str() {
            "path" => matches!(
                name.as_str(),
                "id" | "dep" | "link" | "comment" | "delivery"
            ),
            _ => false,
        };
        if id {
            p["schema"]["minimum"] = json!(1);
        } else if place == "header" && name == "If-Match" {
            reads_if_match = true;
            p["required"] = json!(true);
            p["schema"] = json!({"type": "string", "pattern": IF_MATCH});
        }
    }
    if reads_if_match {
        let responses = op
            .entry("responses")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("responses is an object");
        for (code, why) in [
            (
                "412",
                "The record changed since the version in If-Match (or If-Match is no ETag).",
            ),
            ("428", "If-Match is missing."),
        ] {
            responses.entry(code).or_insert_with(|| {
                json!({"description": why, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}})
            });
        }
    }
}

fn body(name: &str, schema: &mut Value) {
    let required: Vec<String> = schema["required"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (field, p) in props.iter_mut() {
        let is = |t: &str| match &p["type"] {
            Value::String(s) => s == t,
            Value::Array(a) => a.iter().any(|x| x == t),
            _ => false,
        };
        if is("integer") && (field.ends_with("_id") || field == "blocked_by") {
            p["minimum"] = json!(1);
        } else if is("array") && field.ends_with("_ids") {
            p["items"]["minimum"] = json!(1);
        } else if is("array") && field == "risk_flags" {
            let flags: Vec<&str> = keel_domain::workflow::RiskFlag::ALL
                .iter()
                .map(|f| f.as_str())
                .collect();
            p["items"]["pattern"] = json!(format!("^({})$", flags.join("|")));
        } else if is("array") && field == "event_types" {
            let types: Vec<&str> = keel_domain::webhook::EventType::ALL
                .iter()
                .map(|t| t.as_str())
                .collect();
            p["items"]["pattern"] = json!(format!("^({})$", types.join("|").replace('.', "\\.")));
        } else if is("array") && p["items"]["type"] == "string" {
            p["items"]["pattern"] = json!(LINE);
        } else if is("string") && field == "email" {
            // Blank (or null) means no email, as in the forms.
            let description = p.get("description").cloned();
            *p = json!({"anyOf": [
                {"type": "string", "pattern": EMAIL, "maxLength": 254},
                {"type": "string", "pattern": r"^\s*$"},
                {"type": "null"},
            ]});
            if let Some(d) = description {
                p["description"] = d;
            }
        } else if is("string") && name == "WorkflowFromTemplateBody" && field == "template" {
            let keys: Vec<&str> = keel_domain::workflow::templates::TEMPLATES
                .iter()
                .map(|t| t.key)
                .collect();
            p["pattern"] = json!(format!("^({})$", keys.join("|")));
        } else if is("string") && p["format"] == "date" {
            p["pattern"] = json!(DATE);
        } else if is("string") && p.get("pattern").is_none() && p.get("format").is_none() {
            let line = required.contains(field) || p["minLength"].as_u64() >= Some(1);
            p["pattern"] = json!(if line { LINE } else { TEXT });
        }
    }
}
