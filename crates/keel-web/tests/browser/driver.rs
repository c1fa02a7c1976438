//! A private chromedriver (and the Chromium it starts) for one test, and a browser tab that
//! reads and acts on pages the way a person would, saving a screenshot of each page it sees.

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// How long a page gets to show what we wait for.
const PATIENCE: Duration = Duration::from_secs(10);

/// Whether the browser tests can run on this machine. Says so loudly when they cannot, and
/// refuses to skip when KEEL_REQUIRE_ALL=1.
pub fn available() -> bool {
    let missing: Vec<&str> = [CHROMEDRIVER, CHROMIUM]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    if keel_testkit::require_all() {
        panic!(
            "KEEL_REQUIRE_ALL=1 but {} is missing: install chromium and chromium-driver",
            missing.join(" and ")
        );
    }
    keel_testkit::skipped(&format!(
        "needs Chromium: install chromium and chromium-driver (missing {})",
        missing.join(" and ")
    ));
    false
}

/// Where the screenshots (and chromedriver's log) go: `<target dir>/screenshots`.
pub fn screenshot_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) if Path::new(&t).is_absolute() => PathBuf::from(t),
        Some(t) => root.join(t),
        None => root.join("target"),
    };
    target.join("screenshots")
}

/// chromedriver in its own process group, so that dropping it (also while a failed test
/// unwinds) takes every Chromium process it started down with it.
pub struct ChromeDriver {
    child: Child,
    port: u16,
    scratch: PathBuf,
}

impl ChromeDriver {
    pub fn start() -> ChromeDriver {
        static N: AtomicU32 = AtomicU32::new(0);
        let scratch = std::env::temp_dir().join(format!(
            "keel-browser-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&scratch);
        for d in ["config", "cache", "profile"] {
            std::fs::create_dir_all(scratch.join(d)).expect("create a scratch dir for chromium");
        }
        let logs = screenshot_dir();
        std::fs::create_dir_all(&logs).expect("create the screenshot dir");
        let log = std::fs::File::create(logs.join("chromedriver.log")).expect("chromedriver log");
        let mut child = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .env("XDG_CONFIG_HOME", scratch.join("config"))
            .env("XDG_CACHE_HOME", scratch.join("cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("start chromedriver");

        // Read the port it chose; keep draining its output afterwards so it never blocks.
        let stdout = child.stdout.take().expect("chromedriver stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("started successfully on port ").nth(1) {
                    let port = rest.trim_end_matches('.').trim().parse::<u16>();
                    if let (Some(tx), Ok(port)) = (tx.take(), port) {
                        let _ = tx.send(port);
                    }
                }
            }
        });
        let mut driver = ChromeDriver {
            child,
            port: 0,
            scratch,
        };
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(port) => driver.port = port,
            Err(e) => panic!("chromedriver did not say which port it listens on: {e}"),
        }
        driver
    }

    /// A new browser session with a fresh profile, offline except for 127.0.0.1.
    pub async fn session(&self) -> Client {
        let profile = self.scratch.join("profile");
        let caps = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                ],
            }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("open a Chromium session through chromedriver")
    }
}

/// The live (not zombie) processes in the process group `pgid`, read from /proc.
fn group_members(pgid: u32) -> Vec<u32> {
    let mut pids = vec![];
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let mut fields = after.split_whitespace();
        let (state, _ppid, pgrp) = (fields.next(), fields.next(), fields.next());
        if state != Some("Z") && pgrp.and_then(|g| g.parse::<u32>().ok()) == Some(pgid) {
            pids.push(pid);
        }
    }
    pids
}

/// Sends `signal` to every live process of the group `pgid`; false when none is left.
///
/// The group's members are listed from /proc and signalled by their (positive) pids. A
/// negative pid is never handed to `kill`: procps-ng 4.0's kill reads `kill -TERM -1234`
/// as `kill(-1, SIGTERM)` (every process the user may signal), and even with `--` it reads
/// `-2`..`-64` as signal numbers.
fn signal_group(signal: &str, pgid: u32) -> bool {
    let me = std::process::id();
    if pgid <= 1 || pgid == me {
        return false;
    }
    let pids: Vec<String> = group_members(pgid)
        .into_iter()
        .filter(|&p| p > 1 && p != me)
        .map(|p| p.to_string())
        .collect();
    if pids.is_empty() {
        return false;
    }
    let _ = Command::new("kill")
        .args(["-s", signal, "--"])
        .args(&pids)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    true
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let pgid = self.child.id();
        signal_group("TERM", pgid);
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        // Chromium's processes share the group; give them a moment, then make sure.
        while !group_members(pgid).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        signal_group("KILL", pgid);
        // Should `kill` itself be missing, chromedriver still goes (by its positive pid).
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

/// One browser tab on the app, with the helpers a test needs to act like a person.
pub struct Tab {
    pub client: Client,
    base: String,
    shots: PathBuf,
    taken: u32,
}

impl Tab {
    pub fn new(client: Client, base: &str) -> Tab {
        let shots = screenshot_dir();
        std::fs::create_dir_all(&shots).expect("create the screenshot dir");
        // Screenshots of an earlier run would mislead whoever looks at this folder.
        for e in std::fs::read_dir(&shots).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let numbered = name.len() > 3 && name.as_bytes()[..2].iter().all(u8::is_ascii_digit);
            if numbered && name.as_bytes()[2] == b'-' && name.ends_with(".png") {
                let _ = std::fs::remove_file(e.path());
            }
        }
        Tab {
            client,
            base: base.into(),
            shots,
            taken: 0,
        }
    }

    /// Like `new`, but keeps the screenshots in a folder of their own,
    /// `<target dir>/screenshots/<folder>/`, so that one browser test never clears or
    /// overwrites another's. Only numbered screenshots in that folder are cleared.
    #[allow(dead_code)]
    pub fn in_folder(client: Client, base: &str, folder: &str) -> Tab {
        let shots = screenshot_dir().join(folder);
        std::fs::create_dir_all(&shots).expect("create the screenshot dir");
        for e in std::fs::read_dir(&shots).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let numbered = name.len() > 3 && name.as_bytes()[..2].iter().all(u8::is_ascii_digit);
            if numbered && name.as_bytes()[2] == b'-' && name.ends_with(".png") {
                let _ = std::fs::remove_file(e.path());
            }
        }
        Tab {
            client,
            base: base.into(),
            shots,
            taken: 0,
        }
    }

    /// Opens a page of the app and waits until `ready` (an XPath) shows on it.
    pub async fn visit(&mut self, path: &str, ready: &str, shot: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
        self.wait_for(ready).await;
        self.shot(shot).await;
    }

    /// Waits until an element matching the XPath is on the page.
    pub async fn wait_for(&self, xpath: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(xpath))
            .await
        {
            Ok(e) => e,
            Err(e) => {
                let url = self.client.current_url().await.map(|u| u.to_string());
                let text = self.text().await;
                panic!("waited for {xpath} on {url:?} and it never came: {e}\npage text:\n{text}")
            }
        }
    }

    /// Saves a screenshot as `NN-name.png`.
    pub async fn shot(&mut self, name: &str) {
        self.taken += 1;
        let png = self.client.screenshot().await.expect("take a screenshot");
        let path = self.shots.join(format!("{:02}-{name}.png", self.taken));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Everything the page shows, as the browser renders it.
    pub async fn text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    pub async fn field(&self, name: &str) -> Element {
        self.client
            .find(Locator::Css(&format!("[name='{name}']")))
            .await
            .unwrap_or_else(|e| panic!("no field {name} on the page: {e}"))
    }

    /// Types into a field, replacing what was there.
    pub async fn fill(&self, name: &str, value: &str) {
        let f = self.field(name).await;
        f.clear().await.unwrap();
        if !value.is_empty() {
            f.send_keys(value).await.unwrap();
        }
    }

    /// Sets a date field (ISO `YYYY-MM-DD`) as picking it would: typed keys depend on the
    /// browser's locale, the value does not.
    #[allow(dead_code)]
    pub async fn set_date(&self, name: &str, iso: &str) {
        self.client
            .execute(
                "const f = document.querySelector(`[name='${arguments[0]}']`);
                 f.value = arguments[1];
                 f.dispatchEvent(new Event('input', {bubbles: true}));
                 f.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![json!(name), json!(iso)],
            )
            .await
            .unwrap_or_else(|e| panic!("set the date {name}: {e}"));
    }

    /// Picks the option with this visible label in a select.
    pub async fn choose(&self, name: &str, label: &str) {
        self.field(name)
            .await
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("no option {label:?} in {name}: {e}"));
    }

    /// What a field holds now.
    pub async fn value(&self, name: &str) -> String {
        self.field(name)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// The visible label of the option a select shows.
    pub async fn chosen(&self, name: &str) -> String {
        let option = self
            .client
            .find(Locator::Css(&format!(
                "select[name='{name}'] option:checked"
            )))
            .await
            .unwrap_or_else(|e| panic!("nothing chosen in {name}: {e}"));
        option.text().await.unwrap()
    }

    /// The message shown under a form field.
    pub async fn field_error(&self, name: &str) -> String {
        let xpath = format!(
            "//*[@name='{name}']/following-sibling::small[contains(@class, 'field-error')]"
        );
        self.wait_for(&xpath).await.text().await.unwrap()
    }

    /// Acts on the element matching the XPath, finding it again when the page replaced it
    /// between finding and acting (a part that reloads itself, like an htmx poll).
    async fn on_fresh<T, F, Fut>(&self, xpath: &str, act: F) -> Result<T, CmdError>
    where
        F: Fn(Element) -> Fut,
        Fut: std::future::Future<Output = Result<T, CmdError>>,
    {
        let mut tries = 0;
        loop {
            match act(self.wait_for(xpath).await).await {
                Err(e) if e.is_stale_element_reference() && tries < 10 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                done => return done,
            }
        }
    }

    /// The text of the element matching the XPath.
    pub async fn text_of(&self, xpath: &str) -> String {
        self.on_fresh(xpath, |e| async move { e.text().await })
            .await
            .unwrap_or_else(|e| panic!("read {xpath}: {e}"))
    }

    pub async fn click_button(&self, label: &str) {
        let xpath = format!("//button[normalize-space()='{label}']");
        self.on_fresh(&xpath, |e| async move { e.click().await.map(drop) })
            .await
            .unwrap_or_else(|e| panic!("click the {label:?} button: {e}"));
    }

    pub async fn click_link(&self, label: &str) {
        let xpath = format!("//a[normalize-space()='{label}']");
        self.on_fresh(&xpath, |e| async move { e.click().await.map(drop) })
            .await
            .unwrap_or_else(|e| panic!("click the {label:?} link: {e}"));
    }

    /// Follows a link in the workspace navigation and waits for that page's heading.
    pub async fn nav(&mut self, label: &str, heading: &str, shot: &str) {
        self.wait_for(&format!(
            "//nav[@aria-label='Workspace']//a[normalize-space()='{label}']"
        ))
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {label:?} in the navigation: {e}"));
        self.wait_for(&format!("//h1[normalize-space()='{heading}']"))
            .await;
        self.shot(shot).await;
    }

    /// The cells of a table as visible text (what `innerText` renders), row by row, header
    /// row first. One round trip instead of one per cell.
    pub async fn table(&self, css: &str) -> Vec<Vec<String>> {
        let rows = self
            .client
            .execute(
                "const t = document.querySelector(arguments[0]);
                 return t && Array.from(t.rows, r => Array.from(r.cells, c => c.innerText.trim()));",
                vec![json!(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("read the table {css}: {e}"));
        serde_json::from_value::<Option<Vec<Vec<String>>>>(rows)
            .expect("a table of strings")
            .unwrap_or_else(|| panic!("no table {css} on the page"))
    }

    /// Scrolls until the element matching the XPath is at the top of the window.
    pub async fn scroll_to(&self, xpath: &str) {
        let e = self.wait_for(xpath).await;
        let arg = serde_json::to_value(&e).expect("an element reference");
        self.client
            .execute("arguments[0].scrollIntoView({block: 'start'});", vec![arg])
            .await
            .expect("scroll");
    }

    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("resize the window");
    }
}
