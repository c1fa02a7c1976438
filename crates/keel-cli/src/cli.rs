//! The command line as clap types: every flag, its default and the help an operator reads.

use clap::{Args, Parser, Subcommand, ValueEnum};
use keel_domain::{text, Role};

/// keel: the operating model of a B2B marketing team (functions, owners, workflows, reviews),
/// served as a web app from one binary.
///
/// Data lives in SQLite by default (one file, sqlite://keel.db in the current directory) or
/// in PostgreSQL when several keel nodes share one database.
#[derive(Debug, Parser)]
#[command(name = "keel", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Where keel keeps its data: sqlite://path/to/keel.db (created if missing) or
    /// postgres://user:password@host:5432/dbname.
    #[arg(
        long,
        global = true,
        env = "KEEL_DATABASE_URL",
        hide_env_values = true,
        default_value = "sqlite://keel.db",
        value_name = "URL"
    )]
    pub database_url: String,

    /// How log lines on stderr are written: text (for people) or json (one object a line,
    /// with the request id, for a log collector).
    #[arg(
        long,
        global = true,
        env = "KEEL_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and JSON API (runs database migrations first).
    ///
    /// Log output goes to stderr and is filtered by KEEL_LOG (default "info,sqlx=warn").
    /// Stops cleanly on ctrl-c or SIGTERM.
    Serve(ServeArgs),

    /// Create a demo workspace with a small B2B team and serve it, to try keel out.
    ///
    /// Creates the workspace "Northwind Analytics (demo)" (address name northwind-demo), sign-in
    /// accounts demo@keel.local (owner), sales@keel.local (viewer) and agency@keel.local
    /// (partner), all with the password keel-demo-2026, and a team whose ownership has a couple
    /// of problems for the health checks to find. Safe to run again: an existing demo workspace
    /// is left as it is. Use a separate --database-url to keep the demo apart from real data.
    Demo(DemoArgs),

    /// Bring the database schema up to date, then exit.
    ///
    /// `keel serve` does this by itself on start; run it on its own before starting several
    /// nodes on one PostgreSQL database, or to check that the database URL works.
    Migrate,

    /// Create and list workspaces (one company, or one client of an agency).
    #[command(subcommand)]
    Workspace(WorkspaceCommand),

    /// Manage sign-in accounts: create, reset passwords, list, add to a workspace.
    #[command(subcommand)]
    User(UserCommand),

    /// Create, list and revoke API tokens for scripts using the JSON API.
    #[command(subcommand)]
    Token(TokenCommand),

    /// Run the health checks on the operating model, like a linter.
    ///
    /// Prints one line per finding: severity, rule id, subject, evidence, then the suggested
    /// action. Exits with 1 when any finding is an error (for CI or cron), 0 otherwise.
    Check(CheckArgs),

    /// Import data exported from other tools.
    #[command(subcommand)]
    Import(ImportCommand),

    /// Copy the database to FILE while keel serves (SQLite; for PostgreSQL, prints the
    /// pg_dump command after checking the server answers).
    ///
    /// The copy is consistent (one moment of the database, whatever is being written) and
    /// never overwrites an existing file. Restore it with `keel restore`.
    Backup(BackupArgs),

    /// Restore a backup made by `keel backup` into an empty database (SQLite; for PostgreSQL,
    /// prints the pg_restore command after checking the database is empty).
    ///
    /// Refuses a backup whose schema is newer than this keel's, and a database that is not
    /// empty. A backup from an older keel is brought up to date.
    Restore(RestoreArgs),

    /// Write one workspace, whole, to FILE as one JSON document (people, functions, workflows
    /// with their history, work with its events, strategy, metrics, leads, settings).
    ///
    /// The document is versioned and stable: the same data gives the same bytes. Import it on
    /// this server or another (SQLite or PostgreSQL) with `keel import-workspace`. FILE must
    /// not exist; `-` writes to stdout.
    Export(ExportArgs),

    /// Create a new workspace from a document written by `keel export`, all or nothing.
    ///
    /// Every record gets a new id; references and history keep their shape. Accounts are
    /// matched by email: members whose account exists here keep their role, and history
    /// written by an account this server lacks keeps its place with no author. Refuses a
    /// document from a newer keel, and one that refers to records it does not hold.
    ImportWorkspace(ImportWorkspaceArgs),

    /// The weekly digest by email: `keel serve` sends it on Mondays from 08:00 (each
    /// workspace's clock) to every member who turned it on in their account page.
    #[command(subcommand)]
    Digest(DigestCommand),

    /// Erase a person's personal data (GDPR): their name becomes "Erased person #ID", their
    /// email, title and organization are removed, their account is unlinked, and their
    /// name and email are removed from notes and leads. Their history keeps its place.
    ErasePerson(ErasePersonArgs),
}

#[derive(Debug, Subcommand)]
pub enum DigestCommand {
    /// Send this week's digests now, to everyone who asked for one and has not had it yet
    /// (a digest already sent by `keel serve` is not sent again). With --dry-run, print
    /// them instead and send nothing.
    Send(DigestSendArgs),
}

#[derive(Debug, Args)]
pub struct DigestSendArgs {
    /// Print each digest (recipient, subject, text) instead of sending it.
    #[arg(long)]
    pub dry_run: bool,

    /// Only this workspace's digests.
    #[arg(long, value_name = "SLUG", value_parser = parse_slug)]
    pub workspace: Option<String>,

    /// The address people use to reach keel, like https://keel.example.com: the digests'
    /// links start with it. Needed to send.
    #[arg(long, env = "KEEL_PUBLIC_URL", value_name = "URL", value_parser = parse_public_url)]
    pub public_url: Option<keel_web::config::PublicUrl>,

    #[command(flatten)]
    pub smtp: SmtpArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The workspace to export.
    #[arg(long, value_name = "SLUG", value_parser = parse_slug)]
    pub workspace: String,

    /// The file to write (it must not exist), or `-` for stdout.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportWorkspaceArgs {
    /// The document written by `keel export`.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,

    /// The new workspace's address name (default: the exported workspace's).
    #[arg(long, value_name = "SLUG", value_parser = parse_slug)]
    pub slug: Option<String>,

    /// The new workspace's name (default: the exported workspace's).
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    pub name: Option<String>,

    /// An account (by email) to make the new workspace's owner.
    #[arg(long, value_name = "EMAIL")]
    pub owner: Option<String>,
}

#[derive(Debug, Args)]
pub struct ErasePersonArgs {
    /// The person's workspace.
    #[arg(long, value_name = "SLUG", value_parser = parse_slug)]
    pub workspace: String,

    /// The person: their id (as in /w/SLUG/people/ID) or their email.
    #[arg(long, value_name = "ID|EMAIL")]
    pub person: String,

    /// Confirm: erasing cannot be undone.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import leads from a CRM export (CSV): HubSpot contacts and Salesforce lead reports are
    /// recognised by their columns; map any other file with --map. Rows are staged, then
    /// published at once; nothing changes unless the whole file is good (or --skip-bad-rows).
    /// Importing the same file again adds nothing.
    Leads(ImportLeadsArgs),
}

#[derive(Debug, Args)]
pub struct ImportLeadsArgs {
    /// The exported file.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,

    /// The workspace to import into (may be left out when there is only one).
    #[arg(long, value_name = "SLUG", value_parser = parse_slug)]
    pub workspace: Option<String>,

    /// Read the file with this profile instead of recognising it: hubspot, salesforce or keel.
    #[arg(long, value_name = "P")]
    pub profile: Option<String>,

    /// Map a column to a lead field, as FIELD=COLUMN (repeat it; external_id and created are
    /// required). Fields: external_id, created, source, source_detail, campaign, offer,
    /// channel, lifecycle_stage, lead_status, owner, qualification, disqualification_reason,
    /// objection, pipeline_amount, won_amount.
    #[arg(long = "map", value_name = "FIELD=COLUMN", value_parser = parse_mapping)]
    pub mapping: Vec<(String, String)>,

    /// The system the file's record ids belong to, for a mapped file (default: csv).
    #[arg(long, value_name = "NAME")]
    pub system: Option<String>,

    /// How the file writes dates like 03/04/2026: us (month first) or day-first. Asked only
    /// when the file itself cannot tell.
    #[arg(long, value_name = "ORDER", value_parser = parse_dates)]
    pub dates: Option<keel_import::DateOrder>,

    /// The file's decimal mark for amounts like 1,500: point or comma. Asked only when the
    /// file itself cannot tell.
    #[arg(long, value_name = "MARK", value_parser = parse_decimal)]
    pub decimal: Option<keel_import::Decimal>,

    /// Import the good rows and list every row that was skipped, instead of importing nothing
    /// when a row is bad.
    #[arg(long)]
    pub skip_bad_rows: bool,

    /// Also write every row error to this CSV file (line, column, value, reason).
    #[arg(long, value_name = "FILE")]
    pub errors: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on. Use 0.0.0.0:8080 to accept connections from other
    /// machines, or port 0 to let the system pick a free port (the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub bind: String,

    /// Mark cookies Secure. Set this when users reach keel over https (directly or through a
    /// reverse proxy); browsers then never send the session cookie over plain http.
    #[arg(long)]
    pub secure_cookies: bool,

    /// Largest request body accepted, in bytes; larger requests are refused with 413.
    /// Default: 1048576 (1 MiB).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_body_bytes: Option<u64>,

    /// Where lead files uploaded in the web app wait while they are read. Several servers on
    /// one PostgreSQL share one directory (or send each user to one server). Default: a
    /// keel-imports folder in the system's temporary directory.
    #[arg(long, env = "KEEL_IMPORT_DIR", value_name = "DIR")]
    pub import_dir: Option<std::path::PathBuf>,

    /// Largest lead file an upload takes, in bytes. Default: 536870912 (512 MiB).
    #[arg(long, env = "KEEL_MAX_IMPORT_BYTES", value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_import_bytes: Option<u64>,

    /// At most this many rows per second for each lead import started in the web app, so a
    /// large file leaves a shared database room for everyone else. Default: no limit.
    #[arg(long, env = "KEEL_IMPORT_ROWS_PER_SECOND", value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub import_rows_per_second: Option<u64>,

    /// The address people use to reach keel, like https://keel.example.com. Invitation and
    /// calendar links start with it, and browser forms must come from it (or from the host
    /// they were sent to). Default: the --bind address.
    #[arg(long, env = "KEEL_PUBLIC_URL", value_name = "URL", value_parser = parse_public_url)]
    pub public_url: Option<keel_web::config::PublicUrl>,

    /// Reverse proxies in front of keel: IP addresses or CIDR ranges, separated by commas.
    /// Only when a request comes from one of these is its client address read from the
    /// forwarding header (for the per-address sign-in limit). Default: none; the connecting
    /// address is the client.
    #[arg(long, env = "KEEL_TRUSTED_PROXIES", value_name = "ADDRS",
          value_delimiter = ',', value_parser = parse_proxy)]
    pub trusted_proxies: Vec<keel_web::config::IpNet>,

    /// The header the trusted proxies write the client's address into. Only this one is read.
    #[arg(
        long,
        env = "KEEL_CLIENT_IP_HEADER",
        value_enum,
        default_value = "x-forwarded-for"
    )]
    pub client_ip_header: ClientIpHeaderArg,

    /// Serve Prometheus metrics at /metrics to requests that carry this token as a bearer
    /// token (Authorization: Bearer TOKEN); at least 16 characters. Without it /metrics
    /// answers 404.
    #[arg(long, env = "KEEL_METRICS_TOKEN", hide_env_values = true, value_name = "TOKEN",
          value_parser = parse_metrics_token)]
    pub metrics_token: Option<String>,

    /// On ctrl-c or SIGTERM keel stops accepting connections and lets requests in flight
    /// finish, for at most this many seconds.
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    pub shutdown_grace: u64,

    /// The most records (people, functions, workflows, work items, commitments, objectives,
    /// priorities, channels) this node keeps in memory over all workspaces' models; the least
    /// recently used workspaces are dropped beyond it and read again when visited.
    #[arg(long, env = "KEEL_MODEL_CACHE_RECORDS", default_value_t = 500_000, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub model_cache_records: u64,

    #[command(flatten)]
    pub smtp: SmtpArgs,

    /// Let webhooks go to loopback, private, link-local and other internal addresses (a
    /// receiver on the same network, or a test). Off by default: keel refuses them when a
    /// subscription is saved and again at every delivery, after resolving the name.
    #[arg(long, env = "KEEL_WEBHOOKS_ALLOW_PRIVATE")]
    pub webhooks_allow_private: bool,

    /// Seconds to wait after each failed webhook attempt, separated by commas; after the
    /// last the delivery is given up. Default: 10,60,300,1800,7200.
    #[arg(
        long,
        env = "KEEL_WEBHOOK_RETRY_DELAYS",
        value_name = "SECS,…",
        value_delimiter = ','
    )]
    pub webhook_retry_delays: Vec<u64>,
}

/// The SMTP server keel sends email through (invitations, password reset links, weekly
/// digests). Without --smtp-host keel sends no email and shows links to copy instead.
#[derive(Debug, Clone, Args)]
pub struct SmtpArgs {
    /// The SMTP server's host name, like smtp.example.com.
    #[arg(long, env = "KEEL_SMTP_HOST", value_name = "HOST")]
    pub smtp_host: Option<String>,

    /// The SMTP server's port. Default: 587 with starttls, 465 with tls, 25 with none.
    #[arg(long, env = "KEEL_SMTP_PORT", value_name = "PORT")]
    pub smtp_port: Option<u16>,

    /// How the connection is protected: starttls (required, port 587), tls (from the first
    /// byte, port 465) or none (only for a relay on this machine or a private network).
    #[arg(long, env = "KEEL_SMTP_SECURITY", value_name = "MODE", value_parser = parse_security)]
    pub smtp_security: Option<keel_web::mail::Security>,

    /// The user name to sign in to the SMTP server with, if it asks for one.
    #[arg(long, env = "KEEL_SMTP_USERNAME", value_name = "NAME")]
    pub smtp_username: Option<String>,

    /// The SMTP password. Prefer KEEL_SMTP_PASSWORD: command lines are visible to other users
    /// of the machine.
    #[arg(
        long,
        env = "KEEL_SMTP_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD"
    )]
    pub smtp_password: Option<String>,

    /// The sender of keel's emails, like "keel <keel@example.com>".
    #[arg(long, env = "KEEL_SMTP_FROM", value_name = "ADDRESS")]
    pub smtp_from: Option<String>,
}

impl SmtpArgs {
    /// The checked settings (`None`: no email), or what is wrong with them.
    pub fn settings(&self) -> Result<Option<keel_web::mail::SmtpSettings>, String> {
        keel_web::mail::SmtpSettings::parse(keel_web::mail::SmtpInput {
            host: self.smtp_host.clone(),
            port: self.smtp_port,
            security: self.smtp_security,
            username: self.smtp_username.clone(),
            password: self.smtp_password.clone(),
            from: self.smtp_from.clone(),
        })
    }
}

fn parse_security(s: &str) -> Result<keel_web::mail::Security, String> {
    keel_web::mail::Security::parse(s)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ClientIpHeaderArg {
    /// X-Forwarded-For (nginx, Caddy, Traefik, HAProxy, cloud load balancers).
    XForwardedFor,
    /// Forwarded (RFC 7239).
    Forwarded,
}

fn parse_public_url(s: &str) -> Result<keel_web::config::PublicUrl, String> {
    keel_web::config::PublicUrl::parse(s)
}

fn parse_metrics_token(s: &str) -> Result<String, String> {
    keel_web::config::parse_metrics_token(s)
}

fn parse_proxy(s: &str) -> Result<keel_web::config::IpNet, String> {
    keel_web::config::parse_proxy(s)
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Address and port to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub bind: String,

    /// Make the demo workspace N times bigger (for benchmarks): N-1 extra copies of the team
    /// and 8 extra owned functions per copy. Only used when the demo workspace is created.
    #[arg(long, default_value_t = 1, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub scale: u32,

    /// Create the demo data and exit without serving.
    #[arg(long)]
    pub no_serve: bool,

    /// For benchmarks: this many extra workflows made from the templates. Only used when
    /// the demo workspace is created.
    #[arg(long, default_value_t = 0, value_name = "N", hide_short_help = true)]
    pub workflows: u32,

    /// For benchmarks: this many extra work items spread over those workflows, each moved
    /// through its stages. Only used when the demo workspace is created.
    #[arg(long, default_value_t = 0, value_name = "N", hide_short_help = true)]
    pub work_items: u32,

    /// For benchmarks: this many years of weekly, monthly and quarterly reviews with about
    /// ten decisions each, before the demo's own history. Only used when the demo workspace
    /// is created.
    #[arg(long, default_value_t = 0, value_name = "N", hide_short_help = true,
          value_parser = clap::value_parser!(u32).range(0..=10))]
    pub review_years: u32,

    /// For benchmarks: this many demo workspaces in all, the demo and copies of it named
    /// northwind-demo-2 to northwind-demo-N, with the same team and data.
    #[arg(long, default_value_t = 1, value_name = "N", hide_short_help = true,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub workspaces: u32,

    /// For benchmarks: 50 more objectives, 200 priorities, 20 channels and 100 weekly
    /// metrics with five years of values. Only used when the demo workspace is created.
    #[arg(long, hide_short_help = true)]
    pub strategy_bench: bool,
}

#[derive(Debug, Subcommand)]
pub enum WorkspaceCommand {
    /// Create a workspace; it starts with the 8 usual marketing functions, not yet owned.
    Create {
        /// Short name used in addresses (/w/SLUG): 2 to 40 lowercase letters, digits or
        /// dashes, like acme-marketing.
        #[arg(long, value_parser = parse_slug)]
        slug: String,
        /// Display name, like "Acme Corp".
        #[arg(long, value_parser = parse_name)]
        name: String,
        /// Email of an existing account (see `keel user create`) that becomes the owner.
        #[arg(long, value_name = "EMAIL", value_parser = parse_email)]
        owner: Option<String>,
    },
    /// List every workspace with its number of members.
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a sign-in account. The password comes from --password, else from the
    /// KEEL_PASSWORD environment variable, else a random one is generated and printed once.
    Create {
        /// Email address the person signs in with.
        #[arg(long, value_parser = parse_email)]
        email: String,
        /// Full name, shown to the rest of the team.
        #[arg(long, value_parser = parse_name)]
        name: String,
        /// At least 10 characters. Prefer KEEL_PASSWORD: command lines are visible to other
        /// users of the machine.
        #[arg(long, env = "KEEL_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Set a new password and sign the account out everywhere. Without --password (or
    /// KEEL_PASSWORD) a random password is generated and printed once.
    ResetPassword {
        /// Email of the account.
        #[arg(long, value_parser = parse_email)]
        email: String,
        /// The new password, at least 10 characters.
        #[arg(long, env = "KEEL_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Print a link that lets the account's owner set a new password themselves (works once,
    /// for 30 minutes). For keel without email: pass the link on to the person yourself.
    ResetLink {
        /// Email of the account.
        #[arg(long, value_parser = parse_email)]
        email: String,
        /// The address people use to reach keel, like https://keel.example.com: the link
        /// starts with it.
        #[arg(long, env = "KEEL_PUBLIC_URL", value_name = "URL", value_parser = parse_public_url)]
        public_url: keel_web::config::PublicUrl,
    },
    /// List every account and the workspaces it belongs to.
    List,
    /// Add an account to a workspace with a role, or change its role there.
    Add {
        /// Email of the account.
        #[arg(long, value_parser = parse_email)]
        email: String,
        /// Address name of the workspace.
        #[arg(long, value_name = "SLUG", value_parser = parse_slug)]
        workspace: String,
        /// owner, admin, member (marketers), partner (agency or contractor: sees only its
        /// assigned work) or viewer (leadership, sales: reads only).
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token acting for a member of a workspace; it is printed once, and keel
    /// keeps only its digest.
    Create {
        /// Address name of the workspace the token works in.
        #[arg(long, value_name = "SLUG", value_parser = parse_slug)]
        workspace: String,
        /// Email of the member the token acts for.
        #[arg(long, value_parser = parse_email)]
        email: String,
        /// What the token may do; never more than its member may.
        #[arg(long, default_value = "member", value_parser = parse_role)]
        role: Role,
        /// A label to recognise the token by later, like "CRM sync".
        #[arg(long, default_value = "CLI token", value_parser = parse_name)]
        name: String,
    },
    /// Revoke a token: scripts using it are refused from now on.
    Revoke {
        /// Address name of the workspace.
        #[arg(long, value_name = "SLUG", value_parser = parse_slug)]
        workspace: String,
        /// The token's id, as shown by `keel token list`.
        #[arg(long)]
        id: i64,
    },
    /// List a workspace's tokens (never their secret value).
    List {
        /// Address name of the workspace.
        #[arg(long, value_name = "SLUG", value_parser = parse_slug)]
        workspace: String,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check only this workspace (its address name); all workspaces by default.
    #[arg(long, value_name = "SLUG", value_parser = parse_slug)]
    pub workspace: Option<String>,

    /// text: one line per finding, for people. json: an array of findings, for scripts.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

fn parse_mapping(s: &str) -> Result<(String, String), String> {
    let (f, c) = s.split_once('=').ok_or_else(|| {
        format!("write a mapping as FIELD=COLUMN, like created=\"Created on\" (got '{s}')")
    })?;
    if f.trim().is_empty() || c.trim().is_empty() {
        return Err(format!(
            "both the field and the column are needed (got '{s}')"
        ));
    }
    Ok((f.trim().to_string(), c.trim().to_string()))
}

fn parse_dates(s: &str) -> Result<keel_import::DateOrder, String> {
    keel_import::DateOrder::parse(s)
}

fn parse_decimal(s: &str) -> Result<keel_import::Decimal, String> {
    keel_import::Decimal::parse(s)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

fn parse_email(s: &str) -> Result<String, String> {
    text::email(s)
}

fn parse_slug(s: &str) -> Result<String, String> {
    text::slug(s)
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s)
}

fn parse_name(s: &str) -> Result<String, String> {
    text::required(s, "a name", 120)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
