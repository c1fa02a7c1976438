//! Lead files uploaded in the web app or through the API: the file streams to the import
//! directory (never whole into memory), waits there with the answers it needs (date order,
//! decimal mark, a column mapping), then a background job on this server reads it
//! (`import_job`), reporting progress in the import's row so any node shows it live, and
//! stopping between two batches when the user cancels.

use crate::import_job::{ImportJob, Stop};
use crate::AppState;
use axum::body::Bytes;
use keel_import::{DateOrder, Decimal, ImportError, LeadReader, Options, Preview};
use keel_store::{ImportRowError, LeadMapping, Store, WorkspaceId};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Uploads left in the directory longer than this are removed (their import was abandoned).
const KEEP_UPLOADS_SECS: u64 = 24 * 3600;

/// What the user said about a file, kept with the upload (JSON in `lead_imports.options`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Answers {
    /// `(field, column header)` pairs, for a file no profile recognises.
    #[serde(default)]
    pub mapping: Vec<(String, String)>,
    /// The system a mapped file's record ids come from.
    #[serde(default)]
    pub system: Option<String>,
    #[serde(default)]
    pub dates: Option<String>,
    #[serde(default)]
    pub decimal: Option<String>,
    #[serde(default)]
    pub skip_bad_rows: bool,
    /// The saved mapping applied, by name.
    #[serde(default)]
    pub mapping_name: Option<String>,
}

impl Answers {
    pub fn parse(json: Option<&str>) -> Answers {
        json.and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default()
    }

    pub fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    fn options(&self, zone: keel_domain::Zone) -> Options {
        Options {
            profile: None,
            mapping: self.mapping.clone(),
            system: self.system.clone(),
            dates: self.dates.as_deref().and_then(|d| DateOrder::parse(d).ok()),
            decimal: self.decimal.as_deref().and_then(|d| Decimal::parse(d).ok()),
            zone,
        }
    }
}

/// A saved mapping's pairs.
pub fn mapping_pairs(m: &LeadMapping) -> Vec<(String, String)> {
    serde_json::from_str(&m.pairs).unwrap_or_default()
}

/// The first saved mapping whose columns are all among `headers`.
pub fn matching_mapping<'a>(
    saved: &'a [LeadMapping],
    headers: &[String],
) -> Option<&'a LeadMapping> {
    let norm = |s: &str| s.trim().to_lowercase();
    saved.iter().find(|m| {
        let pairs = mapping_pairs(m);
        !pairs.is_empty()
            && pairs
                .iter()
                .all(|(_, col)| headers.iter().any(|h| norm(h) == norm(col)))
    })
}

/// Where an upload's file is on this server.
pub fn path_of(state: &AppState, upload: &str) -> Option<PathBuf> {
    // The name is keel's own (hex and a suffix); anything else is refused, not joined.
    upload
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.')
        .then(|| state.config.import_dir.join(upload))
        .filter(|p| p.is_file())
}

/// Why an upload was refused.
#[derive(Debug)]
pub enum UploadError {
    TooLarge(u64),
    Empty,
    Io(String),
}

impl UploadError {
    pub fn message(&self) -> String {
        match self {
            UploadError::TooLarge(max) => format!(
                "The file is larger than {}, the most this server takes. Split it, or ask your administrator to raise KEEL_MAX_IMPORT_BYTES.",
                size(*max)
            ),
            UploadError::Empty => "The file is empty. Choose the export your CRM made.".into(),
            UploadError::Io(e) => format!("The file could not be saved on the server: {e}"),
        }
    }
}

/// "512 MB", "1.5 MB", "900 KB".
pub fn size(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else if mb >= 1.0 {
        format!("{mb:.1} MB")
    } else {
        format!("{} KB", (bytes as f64 / 1024.0).ceil() as u64)
    }
}

fn random_name() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the system's random source works");
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{hex}.upload")
}

/// Receives a file into the import directory chunk by chunk; returns its name there and
/// its size. Over the limit, the partial file is removed.
pub async fn receive<S, E>(state: &AppState, mut chunks: S) -> Result<(String, u64), UploadError>
where
    S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    use futures_util::StreamExt;
    let dir = &state.config.import_dir;
    make_dir(dir).map_err(|e| UploadError::Io(e.to_string()))?;
    remove_old(dir);
    let name = random_name();
    let path = dir.join(&name);
    let mut file = tokio::fs::File::create(&path)
        .await
        .map_err(|e| UploadError::Io(e.to_string()))?;
    let max = state.config.max_import_bytes;
    let mut total = 0u64;
    let result = async {
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(|e| UploadError::Io(e.to_string()))?;
            total += chunk.len() as u64;
            if total > max {
                return Err(UploadError::TooLarge(max));
            }
            file.write_all(&chunk)
                .await
                .map_err(|e| UploadError::Io(e.to_string()))?;
        }
        file.flush()
            .await
            .map_err(|e| UploadError::Io(e.to_string()))?;
        if total == 0 {
            return Err(UploadError::Empty);
        }
        Ok(())
    }
    .await;
    if let Err(e) = result {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(e);
    }
    Ok((name, total))
}

fn make_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        // Uploads are workspace data: only keel's own user reads them.
        b.mode(0o700);
    }
    b.create(dir)
}

/// Removes uploads nobody came back for.
fn remove_old(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > KEEP_UPLOADS_SECS);
        if old && e.file_name().to_string_lossy().ends_with(".upload") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Opens an upload with the answers given so far (off the async threads: opening may read
/// the whole file once to learn its date order).
pub async fn open(
    path: PathBuf,
    answers: &Answers,
    zone: keel_domain::Zone,
) -> Result<LeadReader, ImportError> {
    let opts = answers.options(zone);
    tokio::task::spawn_blocking(move || keel_import::open(&path, &opts))
        .await
        .unwrap_or_else(|e| Err(ImportError::Io(e.to_string())))
}

/// The header and first rows, for the mapping form.
pub async fn preview(path: PathBuf) -> Result<Preview, ImportError> {
    tokio::task::spawn_blocking(move || keel_import::preview(&path, 5))
        .await
        .unwrap_or_else(|e| Err(ImportError::Io(e.to_string())))
}

/// A question the file asks before it can be read, or why it cannot be read at all.
pub enum Next {
    Ready(Box<LeadReader>),
    Ask(ImportError),
    Unreadable(String),
}

/// Opens an upload; when no profile recognises it, a saved mapping whose columns it has is
/// applied (and kept in `answers`).
pub async fn try_open(
    store: &Store,
    ws: WorkspaceId,
    path: PathBuf,
    answers: &mut Answers,
    zone: keel_domain::Zone,
) -> Result<Next, keel_store::StoreError> {
    let mut result = open(path.clone(), answers, zone.clone()).await;
    if let Err(ImportError::UnknownColumns(headers)) = &result {
        if answers.mapping.is_empty() {
            let saved = store.list_lead_mappings(ws).await?;
            if let Some(m) = matching_mapping(&saved, headers) {
                answers.mapping = mapping_pairs(m);
                answers.system = Some(m.source_system.clone());
                answers.mapping_name = Some(m.name.clone());
                result = open(path, answers, zone).await;
            }
        }
    }
    Ok(match result {
        Ok(r) => Next::Ready(Box::new(r)),
        Err(
            e @ (ImportError::AskDates { .. }
            | ImportError::AskDecimal { .. }
            | ImportError::UnknownColumns(_)
            | ImportError::Mapping(_)),
        ) => Next::Ask(e),
        Err(e) => Next::Unreadable(e.to_string()),
    })
}

/// Starts the import of an upload whose file is open, on this server. False when it was
/// cancelled (or started) meanwhile.
pub async fn start(
    state: &AppState,
    ws: WorkspaceId,
    import: i64,
    reader: LeadReader,
    answers: &Answers,
    path: PathBuf,
) -> Result<bool, keel_store::StoreError> {
    let system = reader.shape.profile.system.clone();
    let profile = reader.shape.profile.name.clone();
    if !state
        .store
        .start_lead_upload(ws, import, &system, &profile, &answers.json())
        .await?
    {
        return Ok(false);
    }
    let store = state.store.clone();
    let skip = answers.skip_bad_rows;
    let pace = state.config.import_rows_per_second;
    tokio::spawn(async move {
        if let Err(e) = run(store.clone(), ws, import, reader, skip, pace).await {
            tracing::error!(import, error = %e, "lead import stopped");
            let _ = store
                .fail_lead_import(ws, import, &format!("The import stopped: {e}"))
                .await;
        }
        let _ = tokio::fs::remove_file(&path).await;
    });
    Ok(true)
}

/// The background job: stage every batch, report progress, keep the rows that cannot be
/// imported, stop when asked, at most `pace` rows a second.
async fn run(
    store: Store,
    ws: WorkspaceId,
    import: i64,
    reader: LeadReader,
    skip_bad_rows: bool,
    pace: Option<u64>,
) -> Result<(), keel_store::StoreError> {
    let began = std::time::Instant::now();
    let mut job = ImportJob::start(store.clone(), ws, import, reader, skip_bad_rows);
    let mut kept = 0i64;
    let mut stop = None;
    loop {
        let step = match job.next().await {
            Ok(Some(s)) => s,
            Ok(None) => break,
            Err(e) => {
                stop = Some(Stop::Failed(format!("The rows could not be saved: {e}")));
                break;
            }
        };
        if !step.errors.is_empty() {
            let errors: Vec<ImportRowError> = step.errors.iter().map(row_error).collect();
            store.add_lead_import_errors(import, kept, &errors).await?;
            kept += errors.len() as i64;
        }
        let asked = store
            .report_lead_import(import, step.bytes as i64, step.rows as i64, step.bad as i64)
            .await?;
        if asked {
            stop = Some(Stop::Cancelled);
            break;
        }
        if let Some(per_second) = pace {
            tokio::time::sleep(crate::import_job::pause(
                step.rows,
                began.elapsed(),
                per_second,
            ))
            .await;
        }
    }
    job.finish(stop).await?;
    Ok(())
}

fn row_error(e: &keel_import::RowError) -> ImportRowError {
    ImportRowError {
        line: e.line as i64,
        column: e.column.clone(),
        value: e.value.as_deref().map(keel_import::shorten),
        reason: e.reason.clone(),
    }
}

/// The kept rows as a CSV file to download, formulas neutralised.
pub fn errors_csv(errors: &[ImportRowError]) -> String {
    let mut out = String::from(keel_import::export::ERRORS_HEADER);
    for e in errors {
        out.push_str(&keel_import::export::error_line(&keel_import::RowError {
            line: e.line as u64,
            column: e.column.clone(),
            value: e.value.clone(),
            reason: e.reason.clone(),
        }));
    }
    out
}
