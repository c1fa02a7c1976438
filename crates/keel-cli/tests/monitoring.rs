//! The real binary as an operator runs it under a supervisor: JSON logs that carry the
//! request id, and a clean stop on SIGTERM.

mod common;

use common::{TempDb, KEEL};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[tokio::test]
async fn json_logs_carry_the_request_id_and_sigterm_stops_cleanly() {
    let db = TempDb::new();
    let mut child = Command::new(KEEL)
        .args(["serve", "--bind", "127.0.0.1:0", "--log-format", "json"])
        .env("KEEL_DATABASE_URL", &db.url)
        .env("KEEL_LOG", "info,keel_web=debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start keel");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, log) = mpsc::channel::<String>();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut base = None;
    for line in stdout.lines().map_while(Result::ok) {
        if let Some(at) = line.find("http://") {
            base = Some(line[at..].trim().to_string());
            break;
        }
    }
    let base = base.expect("keel printed where it listens");

    let res = reqwest::get(format!("{base}/no-such-page")).await.unwrap();
    assert_eq!(res.status(), 404);
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();

    // Every line on stderr is one JSON object; the request's lines name its id.
    let mut lines = Vec::new();
    let found = loop {
        let Ok(line) = log.recv_timeout(Duration::from_secs(10)) else {
            break false;
        };
        let v: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {line}"));
        lines.push(line);
        if v["span"]["id"] == id.as_str() {
            assert_eq!(v["span"]["path"], "/no-such-page", "{v}");
            break true;
        }
    };
    assert!(found, "no log line with request id {id}: {lines:#?}");

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let mut stopped = false;
    while let Ok(line) = log.recv_timeout(Duration::from_secs(20)) {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        if v["fields"]["message"] == "stopped" {
            stopped = true;
        }
    }
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "keel did not exit cleanly on SIGTERM"
    );
    assert!(stopped, "keel did not log that it stopped");
}

#[test]
fn a_short_metrics_token_is_refused_in_one_line() {
    let db = TempDb::new();
    let run = db.keel(&["serve", "--bind", "127.0.0.1:0", "--metrics-token", "short"]);
    run.one_line_failure();
    assert!(run.stderr.contains("at least 16 characters"), "{run:#?}");
}
