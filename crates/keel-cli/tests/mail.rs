//! Email from the command line: bad SMTP settings stop `keel serve` before it listens, with
//! one line naming the setting; `keel user reset-link` prints a link that works once; `keel
//! digest send --dry-run` shows the demo owner's weekly digest and sends nothing.

mod common;

use common::TempDb;

#[test]
fn bad_smtp_settings_are_refused_at_start_in_one_line() {
    let db = TempDb::new();
    let cases: [(&[&str], &str); 4] = [
        (&["--smtp-host", "smtp.example.com"], "--smtp-from"),
        (
            &[
                "--smtp-host",
                "smtp://smtp.example.com",
                "--smtp-from",
                "k@example.com",
            ],
            "no scheme",
        ),
        (
            &[
                "--smtp-host",
                "smtp.example.com",
                "--smtp-from",
                "keel at example",
            ],
            "not an email address",
        ),
        (
            &[
                "--smtp-host",
                "mail.example.com",
                "--smtp-from",
                "k@example.com",
                "--smtp-security",
                "none",
                "--smtp-username",
                "keel",
                "--smtp-password",
                "secret",
            ],
            "unencrypted",
        ),
    ];
    for (flags, says) in cases {
        let mut args = vec!["serve", "--bind", "127.0.0.1:0"];
        args.extend_from_slice(flags);
        let run = db.keel(&args);
        run.one_line_failure();
        assert_eq!(run.code, 2, "{run:#?}");
        assert!(run.stderr.contains("email settings: "), "{run:#?}");
        assert!(run.stderr.contains(says), "{says}: {run:#?}");
    }
    let run = db.keel(&["serve", "--smtp-security", "ssl3"]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("starttls"), "{run:#?}");
}

#[test]
fn an_operator_makes_a_reset_link_and_previews_the_digest() {
    let db = TempDb::new();
    db.keel(&["demo", "--no-serve"]).ok();
    let run = db
        .keel(&[
            "user",
            "reset-link",
            "--email",
            "demo@keel.local",
            "--public-url",
            "https://keel.example.com",
        ])
        .ok();
    let link = run
        .stdout
        .lines()
        .find(|l| l.starts_with("https://keel.example.com/password/reset/"))
        .unwrap_or_else(|| panic!("no link: {run:#?}"));
    assert_eq!(
        link.len(),
        "https://keel.example.com/password/reset/".len() + 64
    );
    assert!(run.stdout.contains("30 minutes"));
    let unknown = db.keel(&[
        "user",
        "reset-link",
        "--email",
        "nobody@keel.local",
        "--public-url",
        "https://keel.example.com",
    ]);
    unknown.one_line_failure();
    assert!(unknown.stderr.contains("no account for nobody@keel.local"));

    // The demo's owner reads the weekly digest: the dry run shows it, and sends nothing.
    let run = db.keel(&["digest", "send", "--dry-run"]).ok();
    assert!(
        run.stdout.contains("To: Priya Raman <demo@keel.local>"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("Subject: Your week in "), "{run:#?}");
    assert!(run.stdout.contains("(dry run: nothing sent)"), "{run:#?}");
    // Sending needs a mail server.
    let run = db.keel(&["digest", "send"]);
    run.one_line_failure();
    assert!(run.stderr.contains("--smtp-host"), "{run:#?}");
}
