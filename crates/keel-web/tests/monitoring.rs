//! What an operator's monitoring sees: liveness, readiness, `/metrics` (parsed by a
//! Prometheus text parser, refused without its token, absent when off) and a graceful stop
//! that lets the requests in flight finish.

mod common;

use common::TestApp;
use keel_testkit::TestDb;
use keel_web::Config;
use openmetrics_parser::{PrometheusType, PrometheusValue};
use std::collections::HashMap;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TOKEN: &str = "metrics-token-0123456789abcdef";

fn with_metrics() -> Config {
    Config {
        metrics_token: Some(TOKEN.into()),
        ..Default::default()
    }
}

/// One sample: its labels and its value (a histogram's count).
type Samples = Vec<(HashMap<String, String>, f64)>;

/// Scrapes `/metrics` like Prometheus and parses it strictly; the families by name.
async fn scrape(app: &TestApp) -> (String, HashMap<String, (PrometheusType, Samples)>) {
    let res = reqwest::Client::new()
        .get(app.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = res.text().await.unwrap();
    let parsed = openmetrics_parser::prometheus::parse_prometheus(&text)
        .unwrap_or_else(|e| panic!("not the Prometheus text format: {e:?}\n{text}"));
    let mut families = HashMap::new();
    for (name, family) in parsed.families {
        let samples = family
            .iter_samples()
            .map(|s| {
                let labels = s
                    .get_labelset()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let value = match &s.value {
                    PrometheusValue::Counter(c) => c.value.as_f64(),
                    PrometheusValue::Gauge(g) => g.as_f64(),
                    PrometheusValue::Histogram(h) => h.count.unwrap_or_default() as f64,
                    other => panic!("unexpected sample {other:?}"),
                };
                (labels, value)
            })
            .collect();
        families.insert(name, (family.family_type.clone(), samples));
    }
    (text, families)
}

fn find(samples: &Samples, want: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|(l, _)| {
            want.iter()
                .all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|(_, v)| *v)
}

keel_testkit::each_backend!(liveness_and_readiness_need_no_session, |db| {
    let app = TestApp::start(db, Config::default()).await;
    let client = reqwest::Client::new();
    let res = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
    let res = client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ready");

    // Without its database the node is alive but not ready.
    app.store.close().await;
    let res = client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    assert_eq!(res.text().await.unwrap(), "database unavailable");
    let res = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    app.stop().await;
});

#[tokio::test]
async fn metrics_are_absent_unless_configured() {
    let app = TestApp::sqlite().await;
    for auth in [None, Some(TOKEN)] {
        let mut req = reqwest::Client::new().get(app.url("/metrics"));
        if let Some(t) = auth {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 404, "with token {auth:?}");
        let text = res.text().await.unwrap();
        assert!(!text.contains("keel_http"), "{text}");
    }
    app.stop().await;
}

#[tokio::test]
async fn metrics_are_refused_without_the_token() {
    let app = TestApp::start(TestDb::sqlite().await, with_metrics()).await;
    let client = reqwest::Client::new();
    let wrong = format!("{TOKEN}x");
    let cases: [(&str, Option<&str>); 4] = [
        ("no header", None),
        ("wrong token", Some(wrong.as_str())),
        ("the token's prefix", Some(&TOKEN[..TOKEN.len() - 1])),
        ("empty", Some("")),
    ];
    for (case, auth) in cases {
        let mut req = client.get(app.url("/metrics"));
        if let Some(t) = auth {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 401, "{case}");
        assert!(res.headers().contains_key("www-authenticate"), "{case}");
        assert!(!res.text().await.unwrap().contains("keel_http"), "{case}");
    }
    // A session is not the token either.
    let u = app.user("ana@acme.test", "Ana").await;
    app.workspace("acme", u).await;
    let browser = app.sign_in("ana@acme.test").await;
    assert_eq!(browser.get("/metrics").await.status(), 401);
    app.stop().await;
}

keel_testkit::each_backend!(metrics_count_requests_by_route_template, |db| {
    let app = TestApp::start(db, with_metrics()).await;
    let u = app.user("ana@acme.test", "Ana").await;
    app.workspace("acme-secret-slug", u).await;
    let browser = app.sign_in("ana@acme.test").await;
    for _ in 0..3 {
        assert_eq!(browser.get("/w/acme-secret-slug").await.status(), 200);
    }
    assert_eq!(
        browser.get("/w/acme-secret-slug/people").await.status(),
        200
    );
    assert_eq!(browser.get("/healthz").await.status(), 200);
    assert_eq!(browser.get("/no/such/page-9f2c").await.status(), 404);

    let (text, families) = scrape(&app).await;
    // Templates, never the paths requests used: no slug, no probe path.
    assert!(!text.contains("acme-secret-slug"), "{text}");
    assert!(!text.contains("9f2c"), "{text}");

    let (kind, requests) = &families["keel_http_requests_total"];
    assert_eq!(*kind, PrometheusType::Counter);
    let get = |route, status| {
        find(
            requests,
            &[("route", route), ("method", "GET"), ("status", status)],
        )
    };
    assert_eq!(get("/w/{ws}", "200"), Some(3.0));
    assert_eq!(get("/w/{ws}/people", "200"), Some(1.0));
    assert_eq!(get("/healthz", "200"), Some(1.0));
    assert_eq!(get("unmatched", "404"), Some(1.0));
    assert_eq!(
        find(
            requests,
            &[("route", "/login"), ("method", "POST"), ("status", "303")]
        ),
        Some(1.0)
    );

    let (kind, latency) = &families["keel_http_request_duration_seconds"];
    assert_eq!(*kind, PrometheusType::Histogram);
    assert_eq!(
        find(latency, &[("route", "/w/{ws}"), ("method", "GET")]),
        Some(3.0),
        "the histogram counts what the counter counts"
    );

    let (kind, pools) = &families["keel_db_connections"];
    assert_eq!(*kind, PrometheusType::Gauge);
    let pool = match app.store.backend() {
        keel_store::Backend::Sqlite => "reader",
        keel_store::Backend::Postgres => "postgres",
    };
    let idle = find(pools, &[("pool", pool), ("state", "idle")]).expect("idle connections");
    let in_use = find(pools, &[("pool", pool), ("state", "in_use")]).expect("busy connections");
    let (_, max) = &families["keel_db_connections_max"];
    let max = find(max, &[("pool", pool)]).unwrap();
    assert!(
        idle + in_use >= 1.0 && idle + in_use <= max,
        "{idle} + {in_use} of {max}"
    );

    // A PostgreSQL node answers session lookups from memory once its listener is connected.
    let (kind, live) = &families["keel_session_cache_live"];
    assert_eq!(*kind, PrometheusType::Gauge);
    let postgres = app.store.backend() == keel_store::Backend::Postgres;
    assert_eq!(live[0].1, if postgres { 1.0 } else { 0.0 });

    // The first visit read the workspace's model; the next ones answered from the cache.
    let (kind, reloads) = &families["keel_model_reloads_total"];
    assert_eq!(*kind, PrometheusType::Counter);
    assert_eq!(reloads[0].1, 1.0, "{text}");

    let (kind, max) = &families["keel_model_cache_records_max"];
    assert_eq!(*kind, PrometheusType::Gauge);
    assert_eq!(max[0].1, Config::default().model_cache_records as f64);
    assert!(families.contains_key("keel_model_cache_workspaces"));
    assert!(families.contains_key("keel_model_cache_records"));

    // The next scrape counts the first one.
    let (_, families) = scrape(&app).await;
    let (_, requests) = &families["keel_http_requests_total"];
    assert_eq!(
        find(
            requests,
            &[("route", "/metrics"), ("method", "GET"), ("status", "200")]
        ),
        Some(1.0)
    );
    app.stop().await;
});

/// Starts keel with a stop switch, returning its address, the switch and the server task.
async fn stoppable(
    config: Config,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
    TestDb,
) {
    let db = TestDb::sqlite().await;
    let store = db.store().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(keel_web::serve_until(listener, store, config, async move {
        let _ = stopped.await;
    }));
    (addr, stop, server, db)
}

/// A request whose body is only half sent: it is in flight until the rest arrives.
async fn half_sent(addr: &str) -> TcpStream {
    let mut conn = TcpStream::connect(addr).await.unwrap();
    let head = "POST /login HTTP/1.1\r\nhost: keel.test\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 20\r\n\r\n";
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(b"email=a%40b.c").await.unwrap();
    conn.flush().await.unwrap();
    conn
}

#[tokio::test]
async fn a_stop_lets_the_requests_in_flight_finish() {
    let (addr, stop, server, db) = stoppable(Config::default()).await;
    let mut conn = half_sent(&addr).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !server.is_finished(),
        "keel stopped with a request in flight"
    );
    // No new connections are taken meanwhile.
    let refused = tokio::time::timeout(Duration::from_secs(2), async {
        match TcpStream::connect(&addr).await {
            Err(_) => true,
            Ok(mut c) => {
                let _ = c
                    .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
                    .await;
                let mut buf = Vec::new();
                let _ = c.read_to_end(&mut buf).await;
                !String::from_utf8_lossy(&buf).contains(" 200 ")
            }
        }
    })
    .await
    .unwrap_or(true);
    assert!(refused, "a new request was served after the stop");

    // The rest of the body arrives; the request gets its whole answer.
    conn.write_all(b"&pw=xxx").await.unwrap();
    conn.flush().await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), conn.read_to_end(&mut answer))
        .await
        .expect("the answer came")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(answer.contains("x-request-id"), "{answer}");
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("keel stopped once the request was answered")
        .unwrap()
        .unwrap();
    db.cleanup().await;
}

#[tokio::test]
async fn a_request_that_never_finishes_does_not_hold_the_stop_beyond_the_grace() {
    let config = Config {
        shutdown_grace: Duration::from_millis(500),
        ..Default::default()
    };
    let (addr, stop, server, db) = stoppable(config).await;
    let _conn = half_sent(&addr).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.send(()).unwrap();
    let started = std::time::Instant::now();
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("keel stopped after its grace period")
        .unwrap()
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(450),
        "stopped after {:?}, before the grace period ended",
        started.elapsed()
    );
    db.cleanup().await;
}
