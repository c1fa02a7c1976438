//! `keel digest send`: this week's weekly digests, now (or printed with --dry-run). The same
//! code as `keel serve`'s Monday round (`keel_web::mail::digest`), and the same claim: a
//! digest a server already sent is not sent again.

use crate::cli::{DigestCommand, DigestSendArgs};
use crate::failure::usage;
use anyhow::Result;
use keel_store::Store;
use keel_web::mail::digest;
use keel_web::{AppState, Config};
use std::process::ExitCode;

pub async fn run(store: &Store, command: DigestCommand) -> Result<ExitCode> {
    match command {
        DigestCommand::Send(args) => send(store, args).await,
    }
}

async fn send(store: &Store, args: DigestSendArgs) -> Result<ExitCode> {
    let smtp = args
        .smtp
        .settings()
        .map_err(|m| usage(format!("email settings: {m}")))?;
    if !args.dry_run {
        if smtp.is_none() {
            return Err(usage(
                "sending needs the mail server: set --smtp-host and --smtp-from (or KEEL_SMTP_HOST and KEEL_SMTP_FROM); --dry-run prints the digests without them",
            ));
        }
        if args.public_url.is_none() {
            return Err(usage(
                "sending needs --public-url (KEEL_PUBLIC_URL), the address the digests' links start with",
            ));
        }
    }
    if let Some(slug) = &args.workspace {
        crate::users::find_workspace(store, slug).await?;
    }
    let config = Config {
        smtp,
        public_url: args.public_url.clone(),
        ..Config::default()
    };
    let state = AppState::new(store.clone(), config);
    let now = keel_web::time_fmt::now();
    let mut outgoing = digest::due(&state, now, true).await?;
    if let Some(slug) = &args.workspace {
        outgoing.retain(|o| &o.slug == slug);
    }
    if outgoing.is_empty() {
        println!(
            "No weekly digest to send this week: nobody asked for one, each was sent already, or the week is quiet."
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.dry_run {
        for o in &outgoing {
            let m = &o.mail;
            let to = match &m.to_name {
                Some(n) => format!("{n} <{}>", m.to_email),
                None => m.to_email.clone(),
            };
            println!(
                "To: {to} ({})\nSubject: {}\n\n{}\n----",
                o.slug, m.subject, m.text
            );
        }
        println!(
            "{} digest(s) would be sent (dry run: nothing sent).",
            outgoing.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let r = digest::send(&state, outgoing).await?;
    println!(
        "Sent {} weekly digest(s); {} already being sent by a running keel; {} not taken by the mail server.",
        r.sent, r.taken, r.failed
    );
    Ok(if r.failed > 0 {
        eprintln!(
            "keel: {} digest(s) were not sent; see the messages above and try again",
            r.failed
        );
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
