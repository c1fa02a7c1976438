//! Helpers for running the real `keel` binary against a throwaway database.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const KEEL: &str = env!("CARGO_BIN_EXE_keel");

/// What one run of `keel` did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the run succeeded, showing its output when it did not.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "keel failed: {self:#?}");
        self
    }

    /// Asserts keel failed the way every failure must look: exactly one line
    /// "keel: <cause>" on stderr, a non-zero exit, no panic.
    pub fn one_line_failure(&self) {
        assert_ne!(self.code, 0, "keel should have failed: {self:#?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "expected one line on stderr: {self:#?}");
        assert!(lines[0].starts_with("keel: "), "{self:#?}");
        assert!(!self.stderr.contains("panicked"), "{self:#?}");
        assert!(!self.stderr.contains("backtrace"), "{self:#?}");
    }
}

/// A fresh SQLite database in its own temporary directory, removed at the end.
pub struct TempDb {
    pub dir: PathBuf,
    pub url: String,
}

impl TempDb {
    pub fn new() -> TempDb {
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!(
            "keel-cli-test-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        let url = format!("sqlite://{}", dir.join("keel.db").display());
        TempDb { dir, url }
    }

    pub fn keel(&self, args: &[&str]) -> Run {
        keel(&self.url, args)
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn command(url: &str, args: &[&str]) -> Command {
    let mut c = Command::new(KEEL);
    c.args(args)
        .env("KEEL_DATABASE_URL", url)
        .env("KEEL_LOG", "warn")
        .env_remove("KEEL_PASSWORD");
    c
}

/// Runs keel to completion on the database at `url`.
pub fn keel(url: &str, args: &[&str]) -> Run {
    let out = command(url, args).output().expect("run keel");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A running `keel serve` or `keel demo`; killed when dropped, so a failing test leaves no
/// server behind.
pub struct Server {
    child: Child,
    /// "http://127.0.0.1:PORT", as keel printed it.
    pub base: String,
    /// Everything printed on stdout up to and including the listening line.
    pub banner: Vec<String>,
    lines: mpsc::Receiver<String>,
}

impl Server {
    /// Starts keel with `args` (which should bind port 0) and waits for the line
    /// "keel is listening on http://ADDR".
    pub fn start(url: &str, args: &[&str]) -> Server {
        let mut child = command(url, args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start keel");
        let stdout = child.stdout.take().expect("keel's stdout");
        let (tx, rx) = mpsc::channel();
        // Keeps reading after the listening line so keel never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            base: String::new(),
            banner: Vec::new(),
            lines: rx,
        };
        let marker = "listening on ";
        server.banner = server.read_until(&format!("{marker}http://"));
        let line = server.banner.last().expect("the listening line");
        let at = line.find(marker).expect("the marker") + marker.len();
        server.base = line[at..].trim().to_string();
        server
    }

    /// The stdout lines printed from now up to and including the first containing `marker`.
    pub fn read_until(&mut self, marker: &str) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            let Ok(line) = self.lines.recv_timeout(Duration::from_secs(60)) else {
                panic!("keel never printed {marker:?}; it printed {seen:?}");
            };
            let found = line.contains(marker);
            seen.push(line);
            if found {
                return seen;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, v)| n.trim() == name && !v.is_empty())
        .map(|(_, v)| v.to_string())
}

/// Signs in through the login form like a browser and returns the `keel_session` value.
pub async fn sign_in(base: &str, email: &str, password: &str) -> String {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("GET /login");
    assert_eq!(page.status(), 200);
    assert!(
        cookie_value(&page, "keel_pre").is_some(),
        "GET /login should set the keel_pre cookie"
    );
    let html = page.text().await.expect("login page");
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).expect("a csrf field on the login page") + marker.len();
    let csrf = &html[start..start + html[start..].find('"').expect("end of the csrf value")];
    let res = client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf", csrf),
            ("email", email),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("POST /login");
    assert!(
        res.status().is_redirection(),
        "sign-in should redirect, got {}",
        res.status()
    );
    cookie_value(&res, "keel_session").expect("sign-in should set keel_session")
}

/// GETs a page with only the session cookie, as another browser tab or node would.
pub async fn get_with_session(url: &str, session: &str) -> (u16, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    let res = client
        .get(url)
        .header(reqwest::header::COOKIE, format!("keel_session={session}"))
        .send()
        .await
        .expect("GET with session");
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}
