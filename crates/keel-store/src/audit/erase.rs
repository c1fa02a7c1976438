//! What erasing a person (GDPR) does to the audit log: the entries stay (who changed what and
//! when is the workspace's record), but the person's name and email are replaced in every
//! entry's fields, as in every other text, and the entries about their own record lose the
//! personal fields the record itself loses.

use serde_json::Value;

/// The fields of a person's record that erasing empties (the name becomes "Erased person #id").
pub(crate) const PERSONAL_FIELDS: [&str; 4] = ["email", "title", "organization", "user_id"];

/// The texts to look for in an entry's JSON: the term as written and as JSON escapes it.
pub(crate) fn json_forms(term: &str) -> Vec<String> {
    let escaped = serde_json::to_string(term).unwrap_or_default();
    let inner = escaped
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(term)
        .to_string();
    if inner == term {
        vec![term.to_string()]
    } else {
        vec![term.to_string(), inner]
    }
}

/// An entry's fields about the erased person's own record, with the personal fields emptied
/// and the name replaced.
pub(crate) fn scrub_person(fields: Option<String>, name: &str) -> Option<String> {
    let mut v: Value = serde_json::from_str(&fields?).ok()?;
    if let Some(o) = v.as_object_mut() {
        if o.contains_key("name") {
            o.insert("name".into(), Value::from(name));
        }
        for f in PERSONAL_FIELDS {
            if o.contains_key(f) {
                o.insert(f.into(), Value::Null);
            }
        }
    }
    Some(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_entry_loses_its_personal_fields() {
        let s = scrub_person(
            Some(r#"{"id":3,"name":"Lena Ortiz","email":"l@x.io","title":"Lead","weekly_capacity":40}"#.into()),
            "Erased person #3",
        )
        .unwrap();
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["name"], "Erased person #3");
        assert_eq!(v["email"], Value::Null);
        assert_eq!(v["title"], Value::Null);
        assert_eq!(v["weekly_capacity"], 40);
        assert_eq!(scrub_person(None, "x"), None);
    }

    #[test]
    fn a_name_with_a_quote_is_looked_for_as_json_writes_it() {
        assert_eq!(json_forms("Lena Ortiz"), vec!["Lena Ortiz"]);
        assert_eq!(
            json_forms("Jo \"JJ\" Li"),
            vec!["Jo \"JJ\" Li", "Jo \\\"JJ\\\" Li"]
        );
    }
}
