//! keel's domain: plain types and pure rules.
//!
//! Architecture Invariant: this crate does no IO. It must never depend on sqlx, axum, tokio or
//! askama; pages, API, CLI and health checks all call the same functions here.

pub mod access;
pub mod allocation;
pub mod audit;
pub mod calendar;
pub mod capacity;
pub mod catalogue;
pub mod channel;
pub mod date;
pub mod field;
pub mod fit;
pub mod function;
pub mod health;
pub mod ics;
pub mod lead;
pub mod metric;
pub mod objective;
pub mod offer;
pub mod ownership;
pub mod person;
pub mod person_bulk;
pub mod priority;
pub mod review;
pub mod role;
pub mod search;
pub mod setup;
pub mod spreadsheet;
pub mod stack;
pub mod text;
pub mod webhook;
pub mod work;
pub mod workflow;

pub use date::{Date, Zone};
pub use field::{FieldError, Invalid};
pub use function::{Function, FunctionDraft, FunctionInput, Sourcing};
pub use health::{Finding, Severity, Subject};
pub use objective::{Objective, ObjectiveDraft, ObjectiveInput};
pub use person::{Person, PersonDraft, PersonInput, PersonKind};
pub use priority::{Priority, PriorityDraft, PriorityInput};
pub use role::Role;
