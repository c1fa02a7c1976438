//! Running one lead import, for the CLI (`keel import leads`) and the web app's background
//! job alike: the file is parsed on its own thread while the caller's task stages batches
//! (two cores: one parses, one writes); the caller watches each batch (a progress bar, or the
//! import's row that every node reads) and may stop; `finish` publishes the import in one
//! transaction, or gives it up leaving the leads as they were.

use keel_domain::lead::LeadDraft;
use keel_import::{LeadReader, RowError};
use keel_store::{ImportCounts, LeadStaging, Store, StoreError, WorkspaceId};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::mpsc;

/// Rows handed from the parser to the writer at once.
const BATCH: usize = 5000;

type Item = Result<(u64, LeadDraft), RowError>;

/// What one batch did.
#[derive(Debug, Default)]
pub struct Step {
    /// The rows of this batch that cannot be imported.
    pub errors: Vec<RowError>,
    /// Rows read so far, good and bad.
    pub rows: u64,
    /// Rows that cannot be imported so far.
    pub bad: u64,
    /// Bytes of the file read so far.
    pub bytes: u64,
}

/// Why the caller stopped before the end.
#[derive(Debug)]
pub enum Stop {
    Cancelled,
    Failed(String),
}

/// How an import ended.
#[derive(Debug)]
pub enum Outcome {
    Published {
        counts: ImportCounts,
        rows_read: u64,
        footer_lines: u64,
    },
    /// Some rows cannot be imported and bad rows were not to be skipped: nothing was imported.
    Refused {
        bad: u64,
        rows_read: u64,
    },
    Cancelled,
    Failed(String),
}

/// How long to wait, `elapsed` after the start with `rows` read, to stay at `per_second`.
pub fn pause(rows: u64, elapsed: Duration, per_second: u64) -> Duration {
    Duration::from_secs_f64(rows as f64 / per_second.max(1) as f64).saturating_sub(elapsed)
}

pub struct ImportJob {
    store: Store,
    staging: LeadStaging,
    skip_bad_rows: bool,
    rx: mpsc::Receiver<Vec<Item>>,
    parser: JoinHandle<(u64, u64)>,
    progress: Arc<AtomicU64>,
    rows: u64,
    bad: u64,
    /// The file's size in bytes.
    pub file_len: u64,
}

impl ImportJob {
    /// Starts parsing `reader` for the open (staging) import `import`.
    pub fn start(
        store: Store,
        ws: WorkspaceId,
        import: i64,
        reader: LeadReader,
        skip_bad_rows: bool,
    ) -> ImportJob {
        let progress = reader.progress();
        let file_len = reader.file_len;
        let (tx, rx) = mpsc::channel::<Vec<Item>>(4);
        let parser = std::thread::spawn(move || {
            let mut reader = reader;
            let mut batch = Vec::with_capacity(BATCH);
            while let Some(item) = reader.next() {
                batch.push(item);
                if batch.len() == BATCH
                    && tx
                        .blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .is_err()
                {
                    return (reader.rows_read, reader.footer_lines);
                }
            }
            if !batch.is_empty() {
                let _ = tx.blocking_send(batch);
            }
            (reader.rows_read, reader.footer_lines)
        });
        ImportJob {
            store,
            staging: LeadStaging::new(ws, import),
            skip_bad_rows,
            rx,
            parser,
            progress,
            rows: 0,
            bad: 0,
            file_len,
        }
    }

    /// Stages the next batch; None at the end of the file. Once a row is bad (and bad rows
    /// are not skipped), the rest is read only to report every error.
    pub async fn next(&mut self) -> Result<Option<Step>, StoreError> {
        let Some(batch) = self.rx.recv().await else {
            return Ok(None);
        };
        let mut rows: Vec<(i64, &LeadDraft)> = Vec::with_capacity(batch.len());
        let mut errors = Vec::new();
        for item in &batch {
            match item {
                Ok((line, lead)) => rows.push((*line as i64, lead)),
                Err(e) => errors.push(e.clone()),
            }
        }
        self.rows += batch.len() as u64;
        self.bad += errors.len() as u64;
        if self.bad == 0 || self.skip_bad_rows {
            self.store.stage_leads(&mut self.staging, &rows).await?;
        }
        Ok(Some(Step {
            errors,
            rows: self.rows,
            bad: self.bad,
            bytes: self.progress.load(Ordering::Relaxed),
        }))
    }

    /// Publishes the import, or gives it up when stopped or when rows are bad.
    pub async fn finish(self, stop: Option<Stop>) -> Result<Outcome, StoreError> {
        let ImportJob {
            store,
            staging,
            skip_bad_rows,
            rx,
            parser,
            bad,
            ..
        } = self;
        let (ws, import) = (staging.ws, staging.import);
        // The parser stops at its next send once nobody receives.
        drop(rx);
        let (rows_read, footer_lines) = parser.join().unwrap_or((0, 0));
        match stop {
            Some(Stop::Cancelled) => {
                store.cancelled_lead_import(ws, import).await?;
                return Ok(Outcome::Cancelled);
            }
            Some(Stop::Failed(e)) => {
                store.fail_lead_import(ws, import, &e).await?;
                return Ok(Outcome::Failed(e));
            }
            None => {}
        }
        if bad > 0 && !skip_bad_rows {
            let why = if bad == 1 {
                "1 row cannot be imported".to_string()
            } else {
                format!("{bad} rows cannot be imported")
            };
            store.fail_lead_import(ws, import, &why).await?;
            return Ok(Outcome::Refused { bad, rows_read });
        }
        let counts = store.publish_lead_import(staging, bad as i64).await?;
        Ok(Outcome::Published {
            counts,
            rows_read,
            footer_lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::pause;
    use std::time::Duration;

    #[test]
    fn an_import_ahead_of_its_pace_waits_and_one_behind_does_not() {
        let ms = Duration::from_millis;
        assert_eq!(pause(5000, ms(500), 2500), ms(1500));
        assert_eq!(pause(5000, ms(2500), 2500), Duration::ZERO);
        assert_eq!(pause(0, ms(10), 100), Duration::ZERO);
    }
}
