//! XLSX workbooks: the first sheet's rows, streamed cell by cell (calamine's cell reader) on a
//! thread of their own, as the same records a CSV gives, each numbered by its spreadsheet row
//! so errors name the row a user sees in Excel.
//!
//! Memory: the rows stream; only the workbook's shared-strings table is held whole, as every
//! XLSX reader must (cells refer to it by index).

use crate::reader::Counted;
use calamine::{DataRef, Reader, Xlsx};
use csv::{ByteRecord, Position};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

/// Rows buffered between the sheet's thread and the reader.
const AHEAD: usize = 512;

/// The magic bytes of a ZIP archive, which an XLSX file is.
pub fn is_xlsx(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
}

/// The rows of a workbook's first sheet.
pub struct SheetRows {
    rx: Receiver<Result<ByteRecord, String>>,
}

/// The text a user sees in a cell (dates as ISO dates, whole numbers without ".0").
fn text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => {
            let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
            if (h, min, s) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{day:02}")
            } else {
                format!("{y:04}-{m:02}-{day:02}T{h:02}:{min:02}:{s:02}")
            }
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    }
}

fn record(row: u32, cells: &mut Vec<String>) -> ByteRecord {
    let mut r = ByteRecord::new();
    for c in cells.drain(..) {
        r.push_field(c.as_bytes());
    }
    let mut p = Position::new();
    p.set_line(u64::from(row) + 1);
    r.set_position(Some(p));
    r
}

fn read_sheet(
    path: &Path,
    progress: Arc<AtomicU64>,
    send: &dyn Fn(Result<ByteRecord, String>) -> bool,
) -> Result<(), String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let counted = Counted {
        inner: file,
        read: progress,
    };
    let mut book: Xlsx<_> = Xlsx::new(BufReader::with_capacity(256 * 1024, counted))
        .map_err(|e| format!("this is not an Excel workbook keel can read ({e})"))?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err("the workbook has no sheet".into());
    };
    let mut cells_reader = book
        .worksheet_cells_reader(&first)
        .map_err(|e| format!("sheet '{first}' cannot be read ({e})"))?;
    let mut row: Option<u32> = None;
    let mut cells: Vec<String> = Vec::new();
    loop {
        let cell = match cells_reader.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(format!("sheet '{first}' cannot be read past here ({e})")),
        };
        let (r, c) = cell.get_position();
        if row != Some(r) {
            if let Some(done) = row {
                if !send(Ok(record(done, &mut cells))) {
                    return Ok(());
                }
            }
            row = Some(r);
        }
        let c = c as usize;
        // A sheet of a million columns is hostile, not an export.
        if c >= 16_384 {
            return Err(format!("row {} has more than 16,384 columns", r + 1));
        }
        if cells.len() <= c {
            cells.resize(c + 1, String::new());
        }
        cells[c] = text(cell.get_value());
    }
    if let Some(done) = row {
        send(Ok(record(done, &mut cells)));
    }
    Ok(())
}

impl SheetRows {
    /// Starts reading `path`'s first sheet; a file that is not a workbook says so at the first
    /// read.
    pub fn open(path: &Path, progress: Arc<AtomicU64>) -> SheetRows {
        let (tx, rx) = sync_channel(AHEAD);
        let path = path.to_path_buf();
        std::thread::spawn(move || {
            let send = |r: Result<ByteRecord, String>| tx.send(r).is_ok();
            if let Err(e) = read_sheet(&path, progress, &send) {
                send(Err(e));
            }
        });
        SheetRows { rx }
    }

    /// The next row, `Ok(false)` at the end.
    pub fn read(&mut self, rec: &mut ByteRecord) -> Result<bool, String> {
        match self.rx.recv() {
            Ok(Ok(r)) => {
                *rec = r;
                Ok(true)
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Ok(false),
        }
    }

    /// The name of the sheet that is read, for messages.
    pub fn first_sheet(path: &Path) -> Result<String, String> {
        let file = File::open(path).map_err(|e| e.to_string())?;
        let book: Xlsx<_> = Xlsx::new(BufReader::new(file))
            .map_err(|e| format!("this is not an Excel workbook keel can read ({e})"))?;
        book.sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| "the workbook has no sheet".into())
    }
}
