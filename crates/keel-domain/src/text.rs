//! Parsers for the small text values every form has: names, emails, slugs, hours, passwords.

/// A trimmed, non-empty line of text of at most `max` characters.
pub fn required(value: &str, what: &str, max: usize) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("Enter {what}."));
    }
    if v.chars().count() > max {
        return Err(format!("Keep {what} under {max} characters."));
    }
    if v.chars().any(|c| c.is_control() && c != '\t') {
        return Err(format!(
            "{} cannot contain line breaks or control characters.",
            capitalise(what)
        ));
    }
    Ok(v.to_string())
}

/// Refuses the control characters nobody types (a NUL byte, escape codes): one backend would
/// store them and the other refuse them, and pages would show garbage. Longer texts keep their
/// line breaks and tabs.
pub fn plain(value: &str, what: &str) -> Result<(), String> {
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(format!(
            "{} contains a control character (like a NUL byte) that cannot be kept; retype it.",
            capitalise(what)
        ));
    }
    Ok(())
}

/// Optional text: empty becomes `None`; longer texts (descriptions) may span lines.
pub fn optional(value: &str, what: &str, max: usize) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(format!("Keep {what} under {max} characters."));
    }
    plain(v, what)?;
    Ok(Some(v.to_string()))
}

pub fn email(value: &str) -> Result<String, String> {
    let v = value.trim().to_lowercase();
    let bad = || Err("Enter an email address like name@company.com.".to_string());
    if v.is_empty() || v.len() > 254 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad();
    }
    let Some((local, domain)) = v.split_once('@') else {
        return bad();
    };
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
    {
        return bad();
    }
    Ok(v)
}

/// A workspace's short name in addresses: lowercase letters, digits and dashes.
pub fn slug(value: &str) -> Result<String, String> {
    let v = value.trim().to_lowercase();
    let ok_chars = v
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if v.len() < 2 || v.len() > 40 || !ok_chars || v.starts_with('-') || v.ends_with('-') {
        return Err("Use 2 to 40 lowercase letters, digits or dashes, like acme-marketing.".into());
    }
    Ok(v)
}

/// Turns a display name into a slug candidate ("Acme Corp" → "acme-corp").
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out
        .trim_end_matches('-')
        .chars()
        .take(40)
        .collect::<String>();
    if out.len() < 2 {
        "workspace".into()
    } else {
        out
    }
}

pub const PASSWORD_MIN: usize = 10;

pub fn password(value: &str) -> Result<String, String> {
    let n = value.chars().count();
    if n < PASSWORD_MIN {
        return Err(format!(
            "Use a password of at least {PASSWORD_MIN} characters."
        ));
    }
    if n > 200 {
        return Err("Use a password of at most 200 characters.".into());
    }
    Ok(value.to_string())
}

/// Weekly hours, as typed in a form ("32", "7.5", "7,5").
pub fn hours(value: &str, what: &str, max: f64) -> Result<f64, String> {
    let v = value.trim().replace(',', ".");
    if v.is_empty() {
        return Ok(0.0);
    }
    let h: f64 = v
        .parse()
        .map_err(|_| format!("Enter {what} as a number of hours, like 32 or 7.5."))?;
    check_hours(h, what, max)
}

pub fn check_hours(h: f64, what: &str, max: f64) -> Result<f64, String> {
    if !h.is_finite() || h < 0.0 {
        return Err(format!("{} cannot be negative.", capitalise(what)));
    }
    if h > max {
        return Err(format!(
            "{} cannot be more than {max} hours a week.",
            capitalise(what)
        ));
    }
    Ok((h * 10.0).round() / 10.0)
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_lowercased_and_checked() {
        assert_eq!(email(" Ana@Acme.COM ").unwrap(), "ana@acme.com");
        assert!(email("ana").is_err());
        assert!(email("ana@acme").is_err());
        assert!(email("a b@acme.com").is_err());
        assert!(email("@acme.com").is_err());
    }

    #[test]
    fn no_field_keeps_a_control_character() {
        for bad in ["a\0b", "a\u{1b}[31mb", "a\u{7f}"] {
            assert!(required(bad, "a name", 80).is_err(), "{bad:?}");
            assert!(optional(bad, "the title", 80).is_err(), "{bad:?}");
            assert!(email(&format!("{bad}@acme.com")).is_err(), "{bad:?}");
        }
        let e = optional("x\0", "the title", 80).unwrap_err();
        assert!(
            e.starts_with("The title contains a control character"),
            "{e}"
        );
        // Longer texts keep their lines and tabs.
        assert_eq!(
            optional("Line one\r\n\tLine two", "the description", 80).unwrap(),
            Some("Line one\r\n\tLine two".into())
        );
    }

    #[test]
    fn slugs_are_short_lowercase_words() {
        assert_eq!(slug("Acme-2").unwrap(), "acme-2");
        assert!(slug("a").is_err());
        assert!(slug("-acme").is_err());
        assert!(slug("acme corp").is_err());
        assert_eq!(slugify("Acme Corp (EU)"), "acme-corp-eu");
        assert_eq!(slugify("!"), "workspace");
    }

    #[test]
    fn hours_accept_commas_and_refuse_nonsense() {
        assert_eq!(hours("7,5", "capacity", 80.0).unwrap(), 7.5);
        assert_eq!(hours("", "capacity", 80.0).unwrap(), 0.0);
        assert!(hours("lots", "capacity", 80.0).is_err());
        assert!(hours("-1", "capacity", 80.0).is_err());
        assert!(hours("81", "capacity", 80.0).is_err());
        assert!(hours("NaN", "capacity", 80.0).is_err());
    }

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        assert_eq!(required("  Ana ", "a name", 10).unwrap(), "Ana");
        assert_eq!(required(" ", "a name", 10).unwrap_err(), "Enter a name.");
        assert!(required("abcdefghijk", "a name", 10).is_err());
        assert!(required("a\nb", "a name", 10).is_err());
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert!(password("short").is_err());
        assert!(password("long enough pass").is_ok());
    }
}
