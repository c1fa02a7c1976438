//! A small table pasted or uploaded by a person (a metric's values, a month's spend): any
//! encoding and delimiter keel reads for leads, a header row naming the columns, and errors
//! that name the line, the column, the value and what to change. The files are small (a few
//! thousand lines at most), so the rows are read at once.

use std::io::Read;

/// One line that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The line of the file, counted from 1 as an editor shows it (0: the file as a whole).
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            return write!(f, "{}", self.reason);
        }
        if self.column.is_empty() {
            return write!(f, "Line {}: {}", self.line, self.reason);
        }
        write!(
            f,
            "Line {}, {} \"{}\": {}",
            self.line, self.column, self.value, self.reason
        )
    }
}

/// The errors as one API error: every line's message under `field`.
pub fn invalid(errors: &[LineError], field: &str) -> keel_domain::Invalid {
    let mut inv = keel_domain::Invalid::new();
    for e in errors {
        inv.push(field, e.to_string());
    }
    inv
}

/// An error about the file as a whole.
pub fn whole(reason: impl Into<String>) -> Vec<LineError> {
    vec![LineError {
        line: 0,
        column: String::new(),
        value: String::new(),
        reason: reason.into(),
    }]
}

/// A table's header row and its lines, each with its line number (blank lines left out).
pub struct Table {
    pub headers: Vec<String>,
    pub header_line: u64,
    pub rows: Vec<(u64, csv::StringRecord)>,
    /// Lines that could not be read at all.
    pub unreadable: Vec<LineError>,
}

impl Table {
    /// Reads `bytes`; `empty` says what an empty file should hold.
    pub fn read(bytes: &[u8], empty: &str) -> Result<Table, Vec<LineError>> {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(whole(format!("The file is empty. {empty}")));
        }
        let encoding = crate::decode::detect(&bytes[..bytes.len().min(64 * 1024)]);
        let mut text = String::new();
        crate::decode::reader(std::io::Cursor::new(bytes.to_vec()), encoding)
            .and_then(|mut r| r.read_to_string(&mut text))
            .map_err(|_| whole("keel cannot read this file as text. Save it as CSV (UTF-8)."))?;
        let delimiter = crate::sniff::delimiter(&text[..floor(&text, 64 * 1024)]);
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = csv.records();
        let (headers, header_line) = match records.next() {
            Some(Ok(r)) => (
                r.iter().map(str::to_string).collect::<Vec<_>>(),
                r.position().map_or(1, |p| p.line()),
            ),
            Some(Err(e)) => return Err(whole(format!("The header row cannot be read: {e}"))),
            None => return Err(whole(format!("The file is empty. {empty}"))),
        };
        let (mut rows, mut unreadable) = (Vec::new(), Vec::new());
        for rec in records {
            match rec {
                Ok(r) if r.iter().all(|c| c.trim().is_empty()) => {}
                Ok(r) => rows.push((r.position().map_or(0, |p| p.line()), r)),
                Err(e) => unreadable.push(LineError {
                    line: e.position().map_or(0, |p| p.line()),
                    column: String::new(),
                    value: String::new(),
                    reason: format!("this line cannot be read ({e})."),
                }),
            }
        }
        Ok(Table {
            headers,
            header_line,
            rows,
            unreadable,
        })
    }

    /// The column whose header is one of `names` (any case).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
    }

    /// A required column, or the error that names it and lists the columns found.
    pub fn required(&self, names: &[&str], what: &str) -> Result<usize, Vec<LineError>> {
        self.column(names).ok_or_else(|| {
            whole(format!(
                "Line {}: no {} column. {what}; the columns found are: {}.",
                self.header_line,
                names[0],
                self.headers.join(", ")
            ))
        })
    }

    /// Column `i` of a row, trimmed ("" when absent).
    pub fn cell(&self, r: &csv::StringRecord, i: Option<usize>) -> String {
        i.and_then(|i| r.get(i))
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    /// A line's refusal by the domain as line errors: each field named in `inv` is found in
    /// `cells` (field, its column, the value typed) and named by its header; a field with no
    /// column, or none listed, is named as the domain names it.
    pub fn line_errors(
        &self,
        line: u64,
        inv: keel_domain::Invalid,
        cells: &[(&str, Option<usize>, &str)],
    ) -> impl Iterator<Item = LineError> + '_ {
        let found: Vec<(String, String)> = inv
            .errors
            .iter()
            .map(|fe| match cells.iter().find(|(f, _, _)| *f == fe.field) {
                Some((_, Some(i), v)) => (self.header(Some(*i)), v.to_string()),
                _ => (fe.field.clone(), String::new()),
            })
            .collect();
        inv.errors
            .into_iter()
            .zip(found)
            .map(move |(fe, (column, value))| LineError {
                line,
                column,
                value,
                reason: fe.message,
            })
    }

    /// The header of column `i` ("" when absent).
    pub fn header(&self, i: Option<usize>) -> String {
        i.map(|i| self.headers[i].clone()).unwrap_or_default()
    }
}

/// The largest char boundary at or below `n`.
fn floor(s: &str, n: usize) -> usize {
    let mut n = n.min(s.len());
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    n
}
