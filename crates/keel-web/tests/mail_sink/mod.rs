//! A local SMTP sink: a tiny server on 127.0.0.1 that speaks enough SMTP (EHLO, MAIL, RCPT,
//! DATA, RSET, NOOP, QUIT) for keel's mailer and keeps every message it is given, so tests read
//! the emails keel really sent over a real SMTP conversation.
#![allow(dead_code)]

use keel_web::mail::{Security, SmtpInput, SmtpSettings};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct Captured {
    pub from: String,
    pub to: Vec<String>,
    /// The whole message as sent (headers and encoded body).
    pub raw: String,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.raw.split("\r\n\r\n").next().unwrap_or_default();
        // Unfold continuation lines first.
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    /// The body as text: quoted-printable decoded (keel sends every body that way).
    pub fn text(&self) -> String {
        let body = self.raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        let cte = self
            .header("Content-Transfer-Encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert_eq!(
            cte, "quoted-printable",
            "keel sends quoted-printable bodies"
        );
        decode_qp(body)
    }

    /// The first address in the body starting with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let t = self.text();
        let i = t.find(prefix)?;
        Some(
            t[i..]
                .split(|c: char| c.is_whitespace())
                .next()
                .unwrap_or_default()
                .to_string(),
        )
    }
}

fn decode_qp(s: &str) -> String {
    let s = s.replace("=\r\n", "");
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 3 <= b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}

pub struct Sink {
    pub addr: SocketAddr,
    mails: Arc<Mutex<Vec<Captured>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Sink {
    pub async fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let kept = mails.clone();
        let task = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    let _ = session(conn, kept).await;
                });
            }
        });
        Sink { addr, mails, task }
    }

    /// keel's settings for this sink: a plain connection to this machine.
    pub fn settings(&self) -> SmtpSettings {
        SmtpSettings::parse(SmtpInput {
            host: Some("127.0.0.1".into()),
            port: Some(self.addr.port()),
            security: Some(Security::None),
            from: Some("keel <keel@keel.test>".into()),
            ..SmtpInput::default()
        })
        .unwrap()
        .unwrap()
    }

    pub fn all(&self) -> Vec<Captured> {
        self.mails.lock().unwrap().clone()
    }

    /// Messages to `email` so far.
    pub fn to(&self, email: &str) -> Vec<Captured> {
        self.all()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(email)))
            .collect()
    }

    /// Waits (at most ten seconds) until `n` messages reached `email`.
    pub async fn wait_for(&self, email: &str, n: usize) -> Vec<Captured> {
        for _ in 0..200 {
            let got = self.to(email);
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "{n} message(s) to {email} did not arrive; the sink has {:#?}",
            self.all()
        );
    }
}

fn address(arg: &str) -> String {
    let a = arg.split_once(':').map_or(arg, |(_, a)| a).trim();
    let a = a.split_whitespace().next().unwrap_or_default();
    a.trim_start_matches('<').trim_end_matches('>').to_string()
}

async fn session(
    conn: tokio::net::TcpStream,
    kept: Arc<Mutex<Vec<Captured>>>,
) -> std::io::Result<()> {
    let (r, mut w) = conn.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let verb = cmd
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => {
                w.write_all(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                    .await?
            }
            "HELO" => w.write_all(b"250 sink.test\r\n").await?,
            "MAIL" => {
                from = address(&cmd);
                to.clear();
                w.write_all(b"250 OK\r\n").await?
            }
            "RCPT" => {
                to.push(address(&cmd));
                w.write_all(b"250 OK\r\n").await?
            }
            "DATA" => {
                w.write_all(b"354 end with a dot\r\n").await?;
                let mut raw = String::new();
                loop {
                    let mut l = String::new();
                    if r.read_line(&mut l).await? == 0 {
                        return Ok(());
                    }
                    if l == ".\r\n" || l == ".\n" {
                        break;
                    }
                    // Undo dot-stuffing.
                    raw.push_str(l.strip_prefix('.').unwrap_or(&l));
                }
                kept.lock().unwrap().push(Captured {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    raw,
                });
                w.write_all(b"250 queued\r\n").await?
            }
            "RSET" => {
                to.clear();
                w.write_all(b"250 OK\r\n").await?
            }
            "NOOP" => w.write_all(b"250 OK\r\n").await?,
            "QUIT" => {
                w.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => w.write_all(b"502 not here\r\n").await?,
        }
    }
}
