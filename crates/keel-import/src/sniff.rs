//! Guessing the shape of a file that is safe to guess: its delimiter (the one that splits the
//! first lines into the same number of fields) and its header row (the first row that names a
//! known export's columns, or else the first row as wide as the widest).

/// Candidates, in order of preference when equally consistent.
const DELIMITERS: &[u8] = b",;\t|";

/// Counts `d` outside quotes in one line.
fn count(line: &str, d: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|b| {
            if *b == b'"' {
                quoted = !quoted;
            }
            !quoted && *b == d
        })
        .count()
}

/// The delimiter of a decoded sample: for each candidate, the most common non-zero count per
/// line, scored by how many lines share it.
pub fn delimiter(sample: &str) -> u8 {
    let lines: Vec<&str> = sample
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    let mut best = (b',', 0usize);
    for &d in DELIMITERS {
        let mut freq = std::collections::HashMap::new();
        for l in &lines {
            let n = count(l, d);
            if n > 0 {
                *freq.entry(n).or_insert(0usize) += 1;
            }
        }
        let score = freq.values().copied().max().unwrap_or(0);
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// Cells that are not empty.
pub fn filled(cells: &[String]) -> usize {
    cells.iter().filter(|c| !c.trim().is_empty()).count()
}

/// The header among the first rows: the first one `known` accepts, else the first row as
/// wide as the widest (title rows above a table have one or two cells).
pub fn header_row(rows: &[Vec<String>], known: impl Fn(&[String]) -> bool) -> Option<usize> {
    if let Some(i) = rows.iter().position(|r| known(r)) {
        return Some(i);
    }
    let widest = rows.iter().map(|r| filled(r)).max()?;
    if widest == 0 {
        return None;
    }
    rows.iter().position(|r| filled(r) == widest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_one_that_splits_lines_alike() {
        assert_eq!(delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(delimiter("a;b;c\n1,5;2;3\n4;\"x;y\";6\n"), b';');
        assert_eq!(delimiter("Report\n\na\tb\tc\n1\t2\t3\n"), b'\t');
    }

    #[test]
    fn a_title_row_above_the_table_is_not_the_header() {
        let rows: Vec<Vec<String>> = [
            vec!["Leads this quarter", "", ""],
            vec!["", "", ""],
            vec!["Id", "Created", "Source"],
            vec!["1", "2026-01-01", ""],
        ]
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
        assert_eq!(header_row(&rows, |_| false), Some(2));
        assert_eq!(header_row(&rows, |r| r[0] == "Leads this quarter"), Some(0));
    }
}
