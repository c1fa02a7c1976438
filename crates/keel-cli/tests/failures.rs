//! How keel fails: one line "keel: <cause>" on stderr, a non-zero exit, never a panic.

mod common;

use common::{keel, TempDb};

#[test]
fn the_help_explains_every_command() {
    let run = keel("sqlite://unused.db", &["--help"]).ok();
    for command in [
        "serve",
        "demo",
        "migrate",
        "workspace",
        "user",
        "token",
        "check",
    ] {
        assert!(run.stdout.contains(command), "{command} missing: {run:#?}");
    }
    let check = keel("sqlite://unused.db", &["check", "--help"]).ok();
    assert!(check.stdout.contains("--format"));
    assert!(check.stdout.contains("error"));
    let token = keel("sqlite://unused.db", &["token", "create", "--help"]).ok();
    assert!(token.stdout.contains("once"));
}

#[test]
fn an_unknown_database_scheme_is_named_in_one_line() {
    let run = keel("mysql://localhost/keel", &["migrate"]);
    run.one_line_failure();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown database URL scheme 'mysql'"),
        "{run:#?}"
    );
}

#[test]
fn an_unwritable_sqlite_file_is_reported_in_one_line() {
    let run = keel("sqlite:///proc/nope/keel.db", &["user", "list"]);
    run.one_line_failure();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("/proc/nope/keel.db"), "{run:#?}");
}

#[test]
fn an_unreachable_postgresql_server_is_reported_in_one_line() {
    // Port 1 on the loopback interface refuses connections.
    let run = keel("postgres://keel@127.0.0.1:1/keel", &["migrate"]);
    run.one_line_failure();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("PostgreSQL"), "{run:#?}");
}

#[test]
fn a_port_in_use_is_reported_in_one_line() {
    let db = TempDb::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let addr = taken.local_addr().unwrap().to_string();
    let run = db.keel(&["serve", "--bind", &addr]);
    run.one_line_failure();
    assert_eq!(
        run.stderr.trim(),
        format!("keel: cannot listen on {addr}: address already in use")
    );
}

#[test]
fn bad_input_is_refused_with_the_domain_message() {
    let db = TempDb::new();
    let email = db.keel(&["user", "create", "--email", "ana", "--name", "Ana"]);
    email.one_line_failure();
    assert_eq!(email.code, 2);
    assert!(email
        .stderr
        .contains("Enter an email address like name@company.com."));

    let slug = db.keel(&[
        "workspace",
        "create",
        "--slug",
        "Acme Corp!",
        "--name",
        "Acme",
    ]);
    slug.one_line_failure();
    assert!(
        slug.stderr.contains("lowercase letters, digits or dashes"),
        "{slug:#?}"
    );

    let role = db.keel(&[
        "user",
        "add",
        "--email",
        "ana@acme.com",
        "--workspace",
        "acme",
        "--role",
        "boss",
    ]);
    role.one_line_failure();
    assert!(role.stderr.contains("Choose a role"), "{role:#?}");

    let password = db.keel(&[
        "user",
        "create",
        "--email",
        "ana@acme.com",
        "--name",
        "Ana",
        "--password",
        "short",
    ]);
    password.one_line_failure();
    assert!(password.stderr.contains("at least 10 characters"));
    assert!(
        !password.stderr.contains("short"),
        "never echo a password: {password:#?}"
    );
}

#[test]
fn unknown_names_and_mistyped_commands_are_one_line_too() {
    let db = TempDb::new();
    for args in [
        &["check", "--workspace", "nowhere"][..],
        &["user", "reset-password", "--email", "nobody@acme.com"],
        &["token", "list", "--workspace", "nowhere"],
        &["serv"],
        &["user", "create", "--email", "a@b.co"],
    ] {
        let run = db.keel(args);
        run.one_line_failure();
        assert_eq!(run.code, 2, "{args:?}: {run:#?}");
    }
}
