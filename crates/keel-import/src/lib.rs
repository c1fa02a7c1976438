//! keel-import: reading CRM lead exports as they really are (CSV text in any common encoding,
//! or an XLSX workbook's first sheet), in constant memory.
//!
//! `open` looks at a file once (encoding, delimiter, header row, which profile maps it, how it
//! writes dates and amounts), then `LeadReader` streams its rows as `LeadDraft`s or as
//! `RowError`s that name the line, the column, the value and the reason. What cannot be known
//! safely (the order of 03/04/2026, the meaning of 1,234) is asked, never guessed.
//!
//! Architecture Invariant: this crate depends on keel-domain only; it does no database work.

pub mod dates;
pub mod decode;
pub mod export;
pub mod measurements;
pub mod numbers;
pub mod profile;
mod reader;
mod row;
pub mod sheet;
pub mod sniff;
pub mod spend;
pub mod table;

pub use dates::DateOrder;
pub use decode::TextEncoding;
pub use numbers::Decimal;
pub use profile::Profile;
pub use reader::{open, preview, LeadReader, Preview, Shape};

use std::fmt;

/// How to read a file; everything is optional and detected when not given.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A built-in profile by name ("hubspot", "salesforce", "keel").
    pub profile: Option<String>,
    /// A column mapping (`field`, `Column header`) for any other file.
    pub mapping: Vec<(String, String)>,
    /// The source system record ids belong to, for a mapped file (default "csv").
    pub system: Option<String>,
    pub dates: Option<DateOrder>,
    pub decimal: Option<Decimal>,
    /// The workspace's time zone: a moment (an epoch timestamp) is a lead of the day it was
    /// on there. UTC by default.
    pub zone: keel_domain::Zone,
}

/// Why a file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error("The file is empty.")]
    Empty,
    #[error("The file has a header row but no leads.")]
    NoRows,
    #[error("No header row found in the first rows of the file.")]
    NoHeader,
    #[error(
        "'{0}' is not a profile keel knows; use hubspot, salesforce or keel, or map the columns."
    )]
    UnknownProfile(String),
    #[error("keel does not recognise these columns as a HubSpot or Salesforce export: {}. Map them to lead fields (at least external_id and created).", .0.join(", "))]
    UnknownColumns(Vec<String>),
    #[error("{0}")]
    Mapping(String),
    #[error("Dates like '{value}' (line {line}, column '{column}') could be month first or day first. Say which (us or day-first); it applies to the whole file.")]
    AskDates {
        line: u64,
        column: String,
        value: String,
    },
    #[error("Amounts like '{value}' (line {line}, column '{column}') could use a point or a comma as decimal mark. Say which (point or comma); it applies to the whole file.")]
    AskDecimal {
        line: u64,
        column: String,
        value: String,
    },
}

/// One row that cannot become a lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    pub value: Option<String>,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(c) = &self.column {
            write!(f, ", column '{c}'")?;
        }
        if let Some(v) = &self.value {
            write!(f, ", value '{}'", shorten(v))?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A value cut to a readable length for messages.
pub fn shorten(v: &str) -> String {
    let clean: String = v
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if clean.chars().count() > 60 {
        format!("{}…", clean.chars().take(60).collect::<String>())
    } else {
        clean
    }
}
