//! What an operator's monitoring reads: liveness (`/healthz`), readiness (`/readyz`, the
//! database answers) and Prometheus metrics (`/metrics`, off unless a token is configured).
//!
//! None of these routes needs a session or names a workspace, and none shows workspace data:
//! the metrics are labelled by route *template* (`/w/{ws}/people/{id}`), never by the path a
//! request used, so no slug or id reaches a scrape, and the number of series is bounded by the
//! route list.

use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// The route label of a request that matched no route (the 404 fallback): one series for all
/// of them, whatever paths scanners try.
pub const UNMATCHED: &str = "unmatched";

/// Upper bounds of the latency buckets, in seconds (Prometheus' default buckets).
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How long readiness waits for the database before saying it is not ready.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The counters of one node since it started.
#[derive(Default)]
pub struct Metrics {
    /// Route template -> its series. Looked up by `&str`, so a request allocates only the
    /// first time its route is seen.
    routes: Mutex<HashMap<String, RouteSeries>>,
    /// Webhook attempts this node made, by outcome.
    pub webhooks: crate::webhooks::Counters,
}

#[derive(Default)]
struct RouteSeries {
    /// (method, status) -> requests answered.
    answered: Vec<(Method, u16, u64)>,
    /// method -> latency histogram.
    latency: Vec<(Method, Histogram)>,
}

#[derive(Default, Clone)]
struct Histogram {
    /// Per bucket (not cumulative); the last slot is above the largest bound.
    counts: [u64; BUCKETS.len() + 1],
    sum: f64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn record(&self, route: &str, method: &Method, status: u16, took: Duration) {
        let mut routes = self.routes.lock().expect("metrics lock");
        let series = match routes.get_mut(route) {
            Some(s) => s,
            None => routes.entry(route.to_string()).or_default(),
        };
        match series
            .answered
            .iter_mut()
            .find(|(m, s, _)| m == method && *s == status)
        {
            Some((_, _, n)) => *n += 1,
            None => series.answered.push((method.clone(), status, 1)),
        }
        let h = match series.latency.iter().position(|(m, _)| m == method) {
            Some(i) => &mut series.latency[i].1,
            None => {
                series.latency.push((method.clone(), Histogram::default()));
                &mut series.latency.last_mut().expect("just pushed").1
            }
        };
        let secs = took.as_secs_f64();
        let slot = BUCKETS
            .iter()
            .position(|&b| secs <= b)
            .unwrap_or(BUCKETS.len());
        h.counts[slot] += 1;
        h.sum += secs;
    }

    /// The Prometheus text exposition (format 0.0.4) of everything counted, plus the
    /// database pools' state and the model cache's size read now.
    pub fn render(&self, state: &AppState) -> String {
        let mut out = String::new();
        let routes = self.routes.lock().expect("metrics lock");
        let mut names: Vec<&String> = routes.keys().collect();
        names.sort();

        family(
            &mut out,
            "keel_http_requests_total",
            "counter",
            "HTTP requests answered, by route template, method and status.",
        );
        for route in &names {
            let mut answered = routes[*route].answered.clone();
            answered.sort_by(|a, b| (a.0.as_str(), a.1).cmp(&(b.0.as_str(), b.1)));
            for (method, status, n) in answered {
                let _ = writeln!(
                    out,
                    "keel_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                    escape(route),
                    method.as_str()
                );
            }
        }

        family(
            &mut out,
            "keel_http_request_duration_seconds",
            "histogram",
            "Time from receiving a request to its response's headers, by route template and method.",
        );
        for route in &names {
            let mut latency = routes[*route].latency.clone();
            latency.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
            for (method, h) in latency {
                let labels = format!("route=\"{}\",method=\"{}\"", escape(route), method.as_str());
                let mut cumulative = 0;
                for (i, bound) in BUCKETS.iter().enumerate() {
                    cumulative += h.counts[i];
                    let _ = writeln!(
                        out,
                        "keel_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                    );
                }
                cumulative += h.counts[BUCKETS.len()];
                let _ = writeln!(
                    out,
                    "keel_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {cumulative}"
                );
                let _ = writeln!(
                    out,
                    "keel_http_request_duration_seconds_sum{{{labels}}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "keel_http_request_duration_seconds_count{{{labels}}} {cumulative}"
                );
            }
        }
        drop(routes);

        let pools = state.store.pool_stats();
        family(
            &mut out,
            "keel_db_connections",
            "gauge",
            "Database connections open, by pool and state (in_use: running a query; idle: open and free).",
        );
        for p in &pools {
            let _ = writeln!(
                out,
                "keel_db_connections{{pool=\"{}\",state=\"in_use\"}} {}",
                p.name, p.in_use
            );
            let _ = writeln!(
                out,
                "keel_db_connections{{pool=\"{}\",state=\"idle\"}} {}",
                p.name, p.idle
            );
        }
        family(
            &mut out,
            "keel_db_connections_max",
            "gauge",
            "The most connections each database pool may open.",
        );
        for p in &pools {
            let _ = writeln!(
                out,
                "keel_db_connections_max{{pool=\"{}\"}} {}",
                p.name, p.max
            );
        }
        family(
            &mut out,
            "keel_session_cache_live",
            "gauge",
            "1 while this node answers session lookups from memory (PostgreSQL, its change listener connected), else 0.",
        );
        let _ = writeln!(
            out,
            "keel_session_cache_live {}",
            u8::from(state.store.sessions_cached())
        );

        family(
            &mut out,
            "keel_model_reloads_total",
            "counter",
            "Times a workspace's operating model was read from the database into this node's cache.",
        );
        let _ = writeln!(out, "keel_model_reloads_total {}", state.models.reloads());
        let (workspaces, records, max_records) = state.models.size();
        family(
            &mut out,
            "keel_model_cache_workspaces",
            "gauge",
            "Workspace models held in this node's cache.",
        );
        let _ = writeln!(out, "keel_model_cache_workspaces {workspaces}");
        family(
            &mut out,
            "keel_model_cache_records",
            "gauge",
            "Records (people, functions, workflows, work, ...) in the cached models.",
        );
        let _ = writeln!(out, "keel_model_cache_records {records}");
        family(
            &mut out,
            "keel_model_cache_records_max",
            "gauge",
            "The most records the model cache keeps (--model-cache-records).",
        );
        let _ = writeln!(out, "keel_model_cache_records_max {max_records}");

        family(
            &mut out,
            "keel_webhook_deliveries_total",
            "counter",
            "Webhook attempts this node made, by outcome (delivered; failed and retrying; failed for the last time).",
        );
        for (outcome, n) in self.webhooks.snapshot() {
            let _ = writeln!(
                out,
                "keel_webhook_deliveries_total{{outcome=\"{outcome}\"}} {n}"
            );
        }
        out
    }

    /// The webhook queue's depth (all nodes share it), read at scrape time.
    fn render_queue(out: &mut String, depth: Option<i64>) {
        family(
            out,
            "keel_webhook_queue_depth",
            "gauge",
            "Webhook deliveries waiting to be sent, over all workspaces and nodes.",
        );
        match depth {
            Some(d) => {
                let _ = writeln!(out, "keel_webhook_queue_depth {d}");
            }
            None => {
                let _ = writeln!(out, "keel_webhook_queue_depth NaN");
            }
        }
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value as the text format writes it: backslash, double quote and newline escaped.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Liveness: the process answers. Touches nothing else, so a slow database never makes a
/// supervisor restart a healthy process.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers a trivial query within two seconds. A load balancer sends
/// traffic only to a node that says ready.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(READY_TIMEOUT, state.store.ping()).await {
        Ok(Ok(())) => "ready".into_response(),
        Ok(Err(e)) => {
            tracing::warn!("not ready: the database did not answer: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => {
            tracing::warn!("not ready: the database did not answer within {READY_TIMEOUT:?}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// `/metrics`: absent (404, like any unknown path) unless a metrics token is configured, and
/// then only for a request that carries it as a bearer token.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return crate::pages::not_found(axum::http::Uri::from_static("/metrics")).await;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if !given.is_some_and(|g| crate::auth::secret::equal(expected, g)) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer realm=\"keel metrics\"")],
            "Send the metrics token configured with --metrics-token as a bearer token.\n",
        )
            .into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        {
            let mut text = state.metrics.render(&state);
            let depth = match tokio::time::timeout(READY_TIMEOUT, state.store.webhook_queue_depth())
                .await
            {
                Ok(Ok(d)) => Some(d),
                _ => None,
            };
            Metrics::render_queue(&mut text, depth);
            text
        },
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape("a\nb"), "a\\nb");
    }

    #[test]
    fn latencies_fall_in_the_first_bucket_that_holds_them() {
        let m = Metrics::default();
        m.record("/x", &Method::GET, 200, Duration::from_millis(3));
        m.record("/x", &Method::GET, 200, Duration::from_millis(30));
        m.record("/x", &Method::GET, 500, Duration::from_secs(20));
        let routes = m.routes.lock().unwrap();
        let h = &routes["/x"].latency[0].1;
        assert_eq!(h.counts[0], 1, "3 ms is within 5 ms");
        assert_eq!(h.counts[3], 1, "30 ms is within 50 ms, not 25 ms");
        assert_eq!(h.counts[BUCKETS.len()], 1, "20 s is beyond every bound");
        assert_eq!(routes["/x"].answered.len(), 2);
    }
}
