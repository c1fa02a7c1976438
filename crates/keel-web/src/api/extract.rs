//! Extractors whose rejections speak the API's error envelope.

use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::{header, request::Parts, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

/// A JSON body; malformed JSON, unknown fields and oversized bodies get the envelope.
///
/// A number with no fraction is an integer, as JSON Schema says (`7.0` is the integer 7), so
/// integral numbers are made integers before the body's type reads them.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let mut value = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(rej) => return Err(json_rejection(rej)),
        };
        integral_numbers(&mut value);
        serde_json::from_value::<T>(value)
            .map(ApiJson)
            .map_err(|e| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_body",
                    format!("The body does not have the expected fields: {e}"),
                )
            })
    }
}

/// `7.0` becomes `7` (within i64), everywhere in the value.
fn integral_numbers(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64() {
                if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
                    *v = serde_json::Value::from(f as i64);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(integral_numbers),
        serde_json::Value::Object(o) => o.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

fn json_rejection(rej: JsonRejection) -> ApiError {
    let status = rej.status();
    let detail = rej.body_text();
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            status,
            "payload_too_large",
            "The request body is larger than keel accepts.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            status,
            "unsupported_media_type",
            "Send the body as JSON with 'Content-Type: application/json'.",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => {
            // serde's message names the field: "unknown field `colour`, expected one of …".
            let why = detail.rsplit_once(": ").map(|(_, w)| w).unwrap_or(&detail);
            ApiError::new(
                status,
                "invalid_body",
                format!("The body does not have the expected fields: {why}"),
            )
        }
        _ => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "The body is not valid JSON.",
        ),
    }
}

/// A numeric id in the path; anything else cannot name a record, so it is not found.
pub struct ApiPath(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<i64>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(ApiPath(id)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(ApiError::not_found()),
            Err(_) => Err(ApiError::not_found()),
        }
    }
}

/// Two numeric ids in the path; anything else cannot name a record, so it is not found.
pub struct ApiPath2(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiPath2 {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<(i64, i64)>::from_request_parts(parts, state).await {
            Ok(Path((a, b))) => Ok(ApiPath2(a, b)),
            Err(_) => Err(ApiError::not_found()),
        }
    }
}

/// The version named by `If-Match` (`"3"` or `W/"3"`). Every change to an editable record
/// names the version it was made from: without one it is refused (428), a malformed one
/// cannot match (412).
pub fn if_match(headers: &HeaderMap) -> Result<i64, ApiError> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "Send the record's ETag as If-Match (like \"3\"), so a change never overwrites one you have not seen.",
        ));
    };
    // Exactly an ETag, `"3"` or `W/"3"` (the document's pattern): a bare `3` is no ETag.
    let s = v.to_str().unwrap_or_default().trim();
    let s = s.strip_prefix("W/").unwrap_or(s);
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "version_mismatch",
                "If-Match must be the ETag of the record, like \"3\".",
            )
        })
}

/// `?limit=&offset=` of a list: at most 500 at a time, 50 when not said.
#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// How many records to return (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// How many to skip (default 0).
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

impl Paging {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(50)
    }
    pub fn offset(&self) -> i64 {
        self.offset.unwrap_or(0)
    }

    /// Fetch one more than asked: if it arrives, there is a next page.
    pub fn fetch(&self) -> i64 {
        self.limit() + 1
    }

    /// Cuts the extra record off and says where the next page starts.
    pub fn finish<T>(&self, mut v: Vec<T>) -> (Vec<T>, Option<i64>) {
        let more = v.len() as i64 > self.limit();
        v.truncate(self.limit() as usize);
        (v, more.then(|| self.offset() + self.limit()))
    }
}

/// The query string of a list; a bad one gets the envelope.
pub struct ApiPaging(pub Paging);

impl<S: Send + Sync> FromRequestParts<S> for ApiPaging {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let q = axum::extract::Query::<Paging>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    format!("The query string is not understood: {}", e.body_text()),
                )
            })?;
        let p = q.0;
        if !(1..=500).contains(&p.limit()) || p.offset() < 0 {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                "limit is 1 to 500 and offset 0 or more.",
            ));
        }
        Ok(ApiPaging(p))
    }
}

/// Any query string, deserialized into `T`; a bad one gets the envelope.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    format!("The query string is not understood: {}", e.body_text()),
                )
            })
    }
}
