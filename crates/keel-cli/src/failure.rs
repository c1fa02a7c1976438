//! How keel fails: one line "keel: <cause>" on stderr, exit code 2 for problems the operator
//! fixes by changing what they typed or configured, 1 for everything else.

use clap::CommandFactory;
use keel_store::StoreError;
use std::fmt;
use std::process::ExitCode;

/// The command cannot run as typed or configured: bad input, an unknown name, an unusable
/// database URL or listen address. Exits with 2.
#[derive(Debug)]
pub struct Usage(pub String);

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Usage(message.into()))
}

pub fn exit_code(e: &anyhow::Error) -> u8 {
    let config = e.chain().any(|cause| {
        cause.is::<Usage>()
            || matches!(
                cause.downcast_ref::<StoreError>(),
                Some(StoreError::Config(_))
            )
    });
    if config {
        2
    } else {
        1
    }
}

/// Collapses whitespace, line breaks included, so a message always fits on one line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prints the error chain compactly ("outer: inner: cause") and picks the exit code.
pub fn report(e: &anyhow::Error) -> ExitCode {
    eprintln!("keel: {}", one_line(&format!("{e:#}")));
    ExitCode::from(exit_code(e))
}

/// clap's own errors, in keel's one-line format. Help and version go out as clap prints them.
pub fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    eprintln!(
        "keel: {}",
        clap_line(&e.render().to_string(), &command_path())
    );
    ExitCode::from(2)
}

/// "keel user create" for `keel --database-url x user create --email y`: the subcommands
/// named on the command line, to point at the right `--help`.
fn command_path() -> String {
    let mut cmd = crate::cli::Cli::command();
    let mut path = vec!["keel".to_string()];
    for arg in std::env::args().skip(1) {
        if arg.starts_with('-') {
            continue;
        }
        let Some(sub) = cmd.find_subcommand(&arg).cloned() else {
            continue;
        };
        path.push(sub.get_name().to_string());
        cmd = sub;
    }
    path.join(" ")
}

/// "error: X\n\n  tip: Y\n\nUsage: ...\n\nFor more information, try '--help'." becomes
/// "X; tip: Y (see 'keel user create --help')".
fn clap_line(rendered: &str, command: &str) -> String {
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid command line");
    let mut out = first
        .strip_prefix("error:")
        .unwrap_or(first)
        .trim()
        .to_string();
    for l in lines {
        if let Some(tip) = l.strip_prefix("tip:") {
            out.push_str("; tip: ");
            out.push_str(tip.trim());
        }
    }
    one_line(&format!("{out} (see '{command} --help')"))
}

/// A panic should never happen; if one does, it is still reported on one line.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "keel: internal error: {}{place} (please report this)",
            one_line(&message)
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_errors_fold_into_one_line_naming_the_help_to_read() {
        let rendered = "error: unexpected argument '--foo' found\n\n  tip: to pass '--foo' as a value, use '-- --foo'\n\nUsage: keel user create [OPTIONS] --email <EMAIL>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            clap_line(rendered, "keel user create"),
            "unexpected argument '--foo' found; tip: to pass '--foo' as a value, use '-- --foo' (see 'keel user create --help')"
        );
    }

    #[test]
    fn usage_and_database_configuration_problems_exit_with_2() {
        assert_eq!(exit_code(&usage("bad")), 2);
        let config = anyhow::Error::new(StoreError::Config("nope".into())).context("opening");
        assert_eq!(exit_code(&config), 2);
        assert_eq!(exit_code(&anyhow::anyhow!("boom")), 1);
        assert_eq!(exit_code(&anyhow::Error::new(StoreError::NotFound)), 1);
    }
}
