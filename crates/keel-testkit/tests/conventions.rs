//! A test that needs PostgreSQL or Chromium is a test of its own, marked
//! `#[ignore = "needs PostgreSQL…"]` / `#[ignore = "needs Chromium…"]`, so a run without them
//! lists it as ignored instead of passing it. This walks every crate's tests and fails on a
//! test that reaches for either without that mark (write `keel_testkit::each_backend!` for a
//! test on both backends).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_test_that_needs_postgres_or_chromium_is_ignored_by_name() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = vec![];
    for c in std::fs::read_dir(&crates).unwrap().flatten() {
        if c.file_name() != "keel-testkit" {
            rust_files(&c.path().join("tests"), &mut files);
        }
    }
    assert!(files.len() > 20, "found only {files:?}");
    let mut unmarked = vec![];
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let needs = if line.contains("TestDb::postgres()") {
                "needs PostgreSQL"
            } else if line.contains("driver::available()") {
                "needs Chromium"
            } else {
                continue;
            };
            // The function the call is in, and the attributes right above it.
            let Some(start) = (0..=i).rev().find(|&j| {
                let l = lines[j].trim_start();
                l.starts_with("async fn ") || l.starts_with("fn ") || l.starts_with("pub async fn ")
            }) else {
                continue;
            };
            let marked = lines[start.saturating_sub(4)..start]
                .iter()
                .any(|l| l.contains(&format!("#[ignore = \"{needs}")));
            if !marked {
                unmarked.push(format!(
                    "{}:{}: {}",
                    f.display(),
                    start + 1,
                    lines[start].trim()
                ));
            }
        }
    }
    assert!(
        unmarked.is_empty(),
        "tests that need PostgreSQL or Chromium without #[ignore = \"needs …\"]:\n{}",
        unmarked.join("\n")
    );
}
