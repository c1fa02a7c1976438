//! Opening a file (its shape, decided once) and streaming its rows.

use crate::dates::{self, DateOrder, Evidence};
use crate::numbers::{self, Decimal};
use crate::profile::{built_in, Columns, Profile};
use crate::row::to_lead;
use crate::sheet::{is_xlsx, SheetRows};
use crate::{decode, sniff, ImportError, Options, RowError};
use csv::ByteRecord;
use keel_domain::lead::LeadDraft;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Rows read ahead to find the header.
const HEAD_ROWS: usize = 30;
/// Data rows read ahead to learn how the file writes dates and amounts.
const SAMPLE_ROWS: usize = 2000;

/// What `open` found out about a file.
#[derive(Debug, Clone)]
pub struct Shape {
    pub encoding: decode::TextEncoding,
    pub delimiter: u8,
    /// 1-based line of the header row.
    pub header_line: u64,
    pub headers: Vec<String>,
    pub profile: Profile,
    pub columns: Columns,
    pub dates: Option<DateOrder>,
    pub decimal: Option<Decimal>,
    /// The zone moments are dated in (`Options::zone`).
    pub zone: keel_domain::Zone,
    /// The sheet read, for an XLSX workbook (its first); None for a text file.
    pub sheet: Option<String>,
}

impl Shape {
    pub fn delimiter_label(&self) -> &'static str {
        match self.delimiter {
            b',' => "comma",
            b';' => "semicolon",
            b'\t' => "tab",
            b'|' => "pipe",
            _ => "other",
        }
    }

    /// How the file is written, in words: "UTF-8, comma-separated" or "Excel workbook,
    /// sheet 'Leads'".
    pub fn format_label(&self) -> String {
        match &self.sheet {
            Some(name) => format!("Excel workbook, sheet '{name}'"),
            None => format!(
                "{}, {}-separated",
                self.encoding.label(),
                self.delimiter_label()
            ),
        }
    }

    /// "line" for a text file, "row" for a spreadsheet: what a user looks for.
    pub fn line_word(&self) -> &'static str {
        if self.sheet.is_some() {
            "row"
        } else {
            "line"
        }
    }
}

/// Where records come from: CSV text, or a workbook's sheet.
enum Rows {
    Csv(csv::Reader<Box<dyn Read + Send>>),
    Sheet(SheetRows),
}

impl Rows {
    fn read(&mut self, rec: &mut ByteRecord) -> Result<bool, RowError> {
        match self {
            Rows::Csv(r) => r.read_byte_record(rec).map_err(|e| RowError {
                line: e.position().map(|p| p.line()).unwrap_or(0),
                column: None,
                value: None,
                reason: format!("the file cannot be read past here: {e}"),
            }),
            Rows::Sheet(s) => s.read(rec).map_err(|reason| RowError {
                line: 0,
                column: None,
                value: None,
                reason,
            }),
        }
    }
}

/// Streams leads (or row errors) from an opened file.
pub struct LeadReader {
    pub shape: Shape,
    rows: Rows,
    ahead: VecDeque<ByteRecord>,
    /// One-cell rows seen after data: a report footer if nothing follows them.
    footer: Vec<ByteRecord>,
    out: VecDeque<Result<(u64, LeadDraft), RowError>>,
    /// Lines dropped as a report footer at the end.
    pub footer_lines: u64,
    /// Data rows read so far (good and bad).
    pub rows_read: u64,
    done: bool,
    progress: Arc<AtomicU64>,
    /// Size of the file in bytes.
    pub file_len: u64,
}

/// Counts the bytes read from the file, for a progress bar (text files and workbooks alike;
/// a workbook's ZIP reader also seeks).
pub(crate) struct Counted<R> {
    pub(crate) inner: R,
    pub(crate) read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: std::io::Seek> std::io::Seek for Counted<R> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

fn io(e: impl std::fmt::Display) -> ImportError {
    ImportError::Io(e.to_string())
}

fn stream(
    path: &Path,
    sheet: bool,
    enc: decode::TextEncoding,
    delimiter: u8,
    progress: Arc<AtomicU64>,
) -> Result<Rows, ImportError> {
    if sheet {
        return Ok(Rows::Sheet(SheetRows::open(path, progress)));
    }
    let counted = Counted {
        inner: File::open(path).map_err(io)?,
        read: progress,
    };
    let f = BufReader::with_capacity(256 * 1024, counted);
    let r = decode::reader(f, enc).map_err(io)?;
    Ok(Rows::Csv(
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(256 * 1024)
            .from_reader(r),
    ))
}

fn unreadable(e: RowError) -> ImportError {
    ImportError::Io(e.reason)
}

fn cells(r: &ByteRecord) -> Vec<String> {
    r.iter()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect()
}

fn line(r: &ByteRecord) -> u64 {
    r.position().map(|p| p.line()).unwrap_or(0)
}

/// Opens `path` and decides how to read it.
/// How a file is written, found from its first bytes.
struct Format {
    sheet: Option<String>,
    encoding: decode::TextEncoding,
    delimiter: u8,
    file_len: u64,
}

fn format_of(path: &Path) -> Result<Format, ImportError> {
    let mut head = Vec::with_capacity(64 * 1024);
    File::open(path)
        .map_err(io)?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(io)?;
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let sheet = if is_xlsx(&head) {
        Some(SheetRows::first_sheet(path).map_err(ImportError::Io)?)
    } else {
        None
    };
    let encoding = decode::detect(&head);
    let mut sample = String::new();
    decode::reader(std::io::Cursor::new(head), encoding)
        .map_err(io)?
        .read_to_string(&mut sample)
        .unwrap_or(0);
    if sample.is_empty() {
        // Invalid UTF-8 in the first 64 KiB: sniff what is valid.
        let mut h = Vec::new();
        File::open(path)
            .map_err(io)?
            .take(64 * 1024)
            .read_to_end(&mut h)
            .map_err(io)?;
        sample = String::from_utf8_lossy(&h).into_owned();
    }
    Ok(Format {
        sheet,
        encoding,
        delimiter: sniff::delimiter(&sample),
        file_len: std::fs::metadata(path).map_err(io)?.len(),
    })
}

/// The first rows of a file (the header is among them).
fn head_rows(rows: &mut Rows) -> Result<Vec<ByteRecord>, ImportError> {
    let mut head_rows: Vec<ByteRecord> = Vec::new();
    let mut rec = ByteRecord::new();
    while head_rows.len() < HEAD_ROWS && rows.read(&mut rec).map_err(unreadable)? {
        head_rows.push(rec.clone());
    }
    Ok(head_rows)
}

/// A file's header row and its first rows, for a form that maps its columns.
#[derive(Debug, Clone)]
pub struct Preview {
    pub headers: Vec<String>,
    /// 1-based line (or spreadsheet row) of the header.
    pub header_line: u64,
    pub rows: Vec<Vec<String>>,
}

/// The header (the widest of the first rows) and up to `n` rows after it.
pub fn preview(path: &Path, n: usize) -> Result<Preview, ImportError> {
    let f = format_of(path)?;
    let mut rows = stream(
        path,
        f.sheet.is_some(),
        f.encoding,
        f.delimiter,
        Arc::new(AtomicU64::new(0)),
    )?;
    let head = head_rows(&mut rows)?;
    let texts: Vec<Vec<String>> = head.iter().map(cells).collect();
    let h = sniff::header_row(&texts, |_| false).ok_or(ImportError::NoHeader)?;
    Ok(Preview {
        headers: texts[h].iter().map(|c| c.trim().to_string()).collect(),
        header_line: line(&head[h]),
        rows: texts
            .into_iter()
            .skip(h + 1)
            .filter(|r| sniff::filled(r) > 0)
            .take(n)
            .collect(),
    })
}

/// Opens `path` and decides how to read it.
pub fn open(path: &Path, opts: &Options) -> Result<LeadReader, ImportError> {
    let Format {
        sheet,
        encoding,
        delimiter,
        file_len,
    } = format_of(path)?;
    let progress = Arc::new(AtomicU64::new(0));
    let is_sheet = sheet.is_some();
    let mut rows = stream(path, is_sheet, encoding, delimiter, progress.clone())?;
    let head_rows = head_rows(&mut rows)?;
    let mut rec = ByteRecord::new();
    let texts: Vec<Vec<String>> = head_rows.iter().map(cells).collect();
    let profiles = built_in();
    let chosen: Option<Profile> = match (&opts.profile, opts.mapping.is_empty()) {
        (Some(name), _) => Some(
            profiles
                .iter()
                .find(|p| p.name == name.to_lowercase())
                .cloned()
                .ok_or_else(|| ImportError::UnknownProfile(name.clone()))?,
        ),
        (None, false) => Some(
            Profile::generic(&opts.mapping, opts.system.as_deref().unwrap_or("csv"))
                .map_err(ImportError::Mapping)?,
        ),
        (None, true) => None,
    };
    let known = |r: &[String]| match &chosen {
        Some(p) if p.name == "generic" => p.resolve(r).is_ok(),
        Some(p) => p.recognises(r),
        None => profiles.iter().any(|p| p.recognises(r)),
    };
    let h = sniff::header_row(&texts, known).ok_or(ImportError::NoHeader)?;
    let headers = texts[h].clone();
    let profile = match chosen {
        Some(p) => p,
        None => profiles
            .into_iter()
            .find(|p| p.recognises(&headers))
            .ok_or_else(|| {
                ImportError::UnknownColumns(
                    headers
                        .iter()
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            })?,
    };
    let mut profile = profile;
    if let Some(s) = &opts.system {
        profile.system = keel_domain::lead::system_name(s).map_err(ImportError::Mapping)?;
    }
    let columns = profile.resolve(&headers).map_err(ImportError::Mapping)?;
    let header_line = line(&head_rows[h]);
    let mut ahead: VecDeque<ByteRecord> = head_rows.into_iter().skip(h + 1).collect();
    while ahead.len() < SAMPLE_ROWS && rows.read(&mut rec).map_err(unreadable)? {
        ahead.push_back(rec.clone());
    }
    if ahead.iter().all(|r| sniff::filled(&cells(r)) == 0) {
        return Err(ImportError::NoRows);
    }
    let mut shape = Shape {
        encoding,
        delimiter,
        header_line,
        headers,
        profile,
        columns,
        dates: opts.dates,
        decimal: opts.decimal,
        zone: opts.zone.clone(),
        sheet,
    };
    learn(&mut shape, ahead.iter())?;
    if needs_scan(&shape, ahead.iter()) {
        // The sample could not decide: read the whole file's date and amount columns once.
        let mut all = stream(
            path,
            is_sheet,
            encoding,
            delimiter,
            Arc::new(AtomicU64::new(0)),
        )?;
        let mut r = ByteRecord::new();
        let mut rest = std::iter::from_fn(move || match all.read(&mut r) {
            Ok(true) => Some(r.clone()),
            _ => None,
        })
        .filter(|r| line(r) > header_line);
        learn_stream(&mut shape, &mut rest);
    }
    ask(&shape, ahead.iter())?;
    Ok(LeadReader {
        shape,
        rows,
        ahead,
        footer: Vec::new(),
        out: VecDeque::new(),
        footer_lines: 0,
        rows_read: 0,
        done: false,
        progress,
        file_len,
    })
}

fn value(r: &ByteRecord, col: Option<usize>) -> Option<&str> {
    col.and_then(|c| r.get(c))
        .and_then(|v| std::str::from_utf8(v).ok())
}

const AMOUNTS: [&str; 2] = ["pipeline_amount", "won_amount"];

/// Takes what the rows say about date order and decimal mark, unless the user said it.
fn learn<'a>(
    shape: &mut Shape,
    rows: impl Iterator<Item = &'a ByteRecord>,
) -> Result<(), ImportError> {
    let date_col = shape.columns.get("created");
    let amount_cols: Vec<Option<usize>> = AMOUNTS.iter().map(|f| shape.columns.get(f)).collect();
    for r in rows {
        if shape.dates.is_none() {
            if let Some(Evidence::Order(o)) = value(r, date_col).map(dates::evidence) {
                shape.dates = Some(o);
            }
        }
        if shape.decimal.is_none() {
            shape.decimal = amount_cols
                .iter()
                .find_map(|c| value(r, *c).and_then(numbers::evidence));
        }
        if shape.dates.is_some() && shape.decimal.is_some() {
            break;
        }
    }
    Ok(())
}

fn learn_stream(shape: &mut Shape, rows: &mut dyn Iterator<Item = ByteRecord>) {
    let date_col = shape.columns.get("created");
    let amount_cols: Vec<Option<usize>> = AMOUNTS.iter().map(|f| shape.columns.get(f)).collect();
    for r in rows {
        if shape.dates.is_none() {
            if let Some(Evidence::Order(o)) = value(&r, date_col).map(dates::evidence) {
                shape.dates = Some(o);
            }
        }
        if shape.decimal.is_none() {
            shape.decimal = amount_cols
                .iter()
                .find_map(|c| value(&r, *c).and_then(numbers::evidence));
        }
        if shape.dates.is_some() && shape.decimal.is_some() {
            break;
        }
    }
}

/// The first ambiguous date (line, value) and amount (line, column, value).
type Unclear = (Option<(u64, String)>, Option<(u64, usize, String)>);

/// The first ambiguous date and amount the shape cannot read yet.
fn ambiguous<'a>(shape: &Shape, rows: impl Iterator<Item = &'a ByteRecord>) -> Unclear {
    let date_col = shape.columns.get("created");
    let amount_cols: Vec<usize> = AMOUNTS
        .iter()
        .filter_map(|f| shape.columns.get(f))
        .collect();
    let (mut d, mut a) = (None, None);
    for r in rows {
        if d.is_none() && shape.dates.is_none() {
            if let Some(v) =
                value(r, date_col).filter(|v| dates::evidence(v) == Evidence::Ambiguous)
            {
                d = Some((line(r), v.to_string()));
            }
        }
        if a.is_none() && shape.decimal.is_none() {
            a = amount_cols.iter().find_map(|c| {
                value(r, Some(*c))
                    .filter(|v| numbers::is_ambiguous(v))
                    .map(|v| (line(r), *c, v.to_string()))
            });
        }
    }
    (d, a)
}

fn needs_scan<'a>(shape: &Shape, rows: impl Iterator<Item = &'a ByteRecord>) -> bool {
    let (d, a) = ambiguous(shape, rows);
    d.is_some() || a.is_some()
}

fn ask<'a>(shape: &Shape, rows: impl Iterator<Item = &'a ByteRecord>) -> Result<(), ImportError> {
    match ambiguous(shape, rows) {
        (Some((line, value)), _) => Err(ImportError::AskDates {
            line,
            column: shape
                .columns
                .get("created")
                .map(|c| shape.headers[c].trim().to_string())
                .unwrap_or_default(),
            value,
        }),
        (None, Some((line, c, value))) => Err(ImportError::AskDecimal {
            line,
            column: shape.headers[c].trim().to_string(),
            value,
        }),
        _ => Ok(()),
    }
}

impl LeadReader {
    /// A handle on the bytes of the file read so far (a progress bar polls it).
    pub fn progress(&self) -> Arc<AtomicU64> {
        self.progress.clone()
    }

    fn next_record(&mut self) -> Option<Result<ByteRecord, RowError>> {
        if let Some(r) = self.ahead.pop_front() {
            return Some(Ok(r));
        }
        let mut r = ByteRecord::new();
        match self.rows.read(&mut r) {
            Ok(true) => Some(Ok(r)),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

impl Iterator for LeadReader {
    type Item = Result<(u64, LeadDraft), RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(o) = self.out.pop_front() {
                return Some(o);
            }
            if self.done {
                return None;
            }
            let r = match self.next_record() {
                None => {
                    self.done = true;
                    self.footer_lines = self.footer.len() as u64;
                    continue;
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Some(Ok(r)) => r,
            };
            let filled = r
                .iter()
                .filter(|c| !c.iter().all(u8::is_ascii_whitespace))
                .count();
            if filled == 0 {
                continue;
            }
            let width = self.shape.headers.len();
            if filled == 1 && width >= 3 && r.len() < width {
                self.footer.push(r);
                continue;
            }
            // One-cell rows followed by data were not a footer: they are broken rows.
            for f in std::mem::take(&mut self.footer) {
                self.rows_read += 1;
                self.out.push_back(Err(ragged(&f, width)));
            }
            self.rows_read += 1;
            self.out.push_back(to_lead(&self.shape, &r));
        }
    }
}

pub(crate) fn ragged(r: &ByteRecord, width: usize) -> RowError {
    RowError {
        line: line(r),
        column: None,
        value: None,
        reason: format!(
            "the row has {} values but the header has {width} columns",
            r.len()
        ),
    }
}
