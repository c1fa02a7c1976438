//! Money as exports write it: "1,234.50", "1.234,50", "1234,5", "€ 1 234,50". Whether a lone
//! comma (or point) followed by three digits groups thousands or marks decimals is decided
//! once per file, from the file or from the user.

/// What marks decimals in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decimal {
    Point,
    Comma,
}

impl Decimal {
    pub fn parse(s: &str) -> Result<Decimal, String> {
        match s.trim().to_lowercase().as_str() {
            "point" | "." => Ok(Decimal::Point),
            "comma" | "," => Ok(Decimal::Comma),
            other => Err(format!(
                "Decimal mark is 'point' or 'comma' (got '{other}')."
            )),
        }
    }

    fn mark(self) -> char {
        match self {
            Decimal::Point => '.',
            Decimal::Comma => ',',
        }
    }
}

fn clean(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '\'' | '€' | '$' | '£' | '\u{a0}' | '\u{202f}')
        })
        .filter(|c| !c.is_ascii_alphabetic())
        .collect()
}

/// What one value says about the decimal mark.
pub fn evidence(s: &str) -> Option<Decimal> {
    let t = clean(s);
    let (c, p) = (t.rfind(','), t.rfind('.'));
    match (c, p) {
        (Some(c), Some(p)) => Some(if c > p {
            Decimal::Comma
        } else {
            Decimal::Point
        }),
        (Some(c), None) if t.len() - c - 1 != 3 || t.matches(',').count() > 1 => {
            Some(if t.matches(',').count() > 1 {
                Decimal::Point
            } else {
                Decimal::Comma
            })
        }
        (None, Some(p)) if t.len() - p - 1 != 3 || t.matches('.').count() > 1 => {
            Some(if t.matches('.').count() > 1 {
                Decimal::Comma
            } else {
                Decimal::Point
            })
        }
        _ => None,
    }
}

/// True when the value reads differently with a point and with a comma ("1,234").
pub fn is_ambiguous(s: &str) -> bool {
    let t = clean(s);
    evidence(s).is_none() && (t.contains(',') || t.contains('.'))
}

/// Parses an amount into cents with the file's decimal mark.
pub fn cents(s: &str, mark: Option<Decimal>) -> Result<Option<i64>, String> {
    let t = clean(s);
    let letters: String = s.chars().filter(|c| c.is_alphabetic()).collect();
    let currency_code = letters.len() == 3 && letters.chars().all(|c| c.is_ascii_uppercase());
    if !(letters.is_empty() || currency_code) {
        return Err(format!(
            "'{}' is not an amount keel can read (like 1250.50 or 1.250,50).",
            s.trim()
        ));
    }
    if t.is_empty() {
        return Ok(None);
    }
    let mark = match (evidence(s), mark) {
        (Some(e), _) => e,
        (None, Some(m)) => m,
        (None, None) if is_ambiguous(s) => {
            return Err(format!(
                "'{}' could be read either way; say whether the file's decimal mark is a point or a comma.",
                s.trim()
            ))
        }
        (None, None) => Decimal::Point,
    };
    let group = if mark == Decimal::Point { ',' } else { '.' };
    let normal: String = t
        .chars()
        .filter(|c| *c != group)
        .map(|c| if c == mark.mark() { '.' } else { c })
        .collect();
    keel_domain::lead::parse_cents(&normal, "The amount").map_err(|_| {
        format!(
            "'{}' is not an amount keel can read (like 1250.50 or 1.250,50).",
            s.trim()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_both_conventions_are_read() {
        assert_eq!(cents("1,234.50", None), Ok(Some(123_450)));
        assert_eq!(cents("1.234,50", None), Ok(Some(123_450)));
        assert_eq!(cents("1234,5", None), Ok(Some(123_450)));
        assert_eq!(cents("€ 1 234,50", None), Ok(Some(123_450)));
        assert_eq!(cents("USD 1,000,000", None), Ok(Some(100_000_000)));
        assert_eq!(cents("2500", None), Ok(Some(250_000)));
        assert_eq!(cents("", None), Ok(None));
        assert!(cents("1,234", None).unwrap_err().contains("either way"));
        assert_eq!(cents("1,234", Some(Decimal::Point)), Ok(Some(123_400)));
        assert_eq!(
            cents("1,234", Some(Decimal::Comma)),
            Err("'1,234' is not an amount keel can read (like 1250.50 or 1.250,50).".into())
        );
        assert!(cents("a lot", None).is_err());
    }
}
