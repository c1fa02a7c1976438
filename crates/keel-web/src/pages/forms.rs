//! Helpers shared by forms: what the user typed, the errors, and the version they edited.

use keel_domain::Invalid;

/// Field errors of a form, looked up by field name in templates.
#[derive(Default)]
pub struct Errors(pub Invalid);

impl Errors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.message_for(field)
    }
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
    /// The `aria-invalid` attribute for a field with an error, nothing otherwise (a constant,
    /// so templates may print it unescaped).
    pub fn attr(&self, field: &str) -> &'static str {
        if self.get(field).is_some() {
            "aria-invalid=\"true\""
        } else {
            ""
        }
    }
}

/// A select option: value, label, selected.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn choices<I, V, L>(items: I, current: &str) -> Vec<Choice>
where
    I: IntoIterator<Item = (V, L)>,
    V: ToString,
    L: ToString,
{
    items
        .into_iter()
        .map(|(v, l)| {
            let value = v.to_string();
            Choice {
                selected: value == current,
                value,
                label: l.to_string(),
            }
        })
        .collect()
}

/// Parses the hidden `version` field of an edit form. A form without one cannot match any
/// version (they start at 1), so it is refused as out of date instead of overwriting blindly.
pub fn version(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(0)
}
