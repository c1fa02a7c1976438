use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The record changed since the caller read it; `current` is its version now.
    #[error("the record was changed by someone else (now at version {current})")]
    Stale { current: i64 },
    /// A uniqueness rule was broken; the message says which, in plain words.
    #[error("{0}")]
    Conflict(String),
    /// The database URL or file cannot be used; the message names the cause.
    #[error("{0}")]
    Config(String),
    /// A document or input that cannot be used as it is; the message says what to change.
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// An error of the SQLite calls keel makes without sqlx (fast lead staging).
    #[error("database error: {0}")]
    Sqlite(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Maps a unique-constraint violation to a `Conflict` with the given message.
    pub(crate) fn unique(e: sqlx::Error, message: impl Into<String>) -> StoreError {
        match e.as_database_error() {
            Some(d) if d.is_unique_violation() => StoreError::Conflict(message.into()),
            _ => StoreError::Db(e),
        }
    }
}
