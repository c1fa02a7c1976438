//! Mapping profiles: which column of an export feeds which lead field, and which CRM values
//! mean accepted or rejected. HubSpot, Salesforce and keel's own columns are kept as data
//! (`profiles/*.json`) and recognised by their headers; any other file is mapped column by
//! column (a generic profile built from `field=Column` pairs).

use serde::Deserialize;
use std::collections::BTreeMap;

/// The lead fields a column can feed, in the order a mapping form shows them.
pub const FIELDS: &[&str] = &[
    "external_id",
    "created",
    "source",
    "source_detail",
    "campaign",
    "offer",
    "channel",
    "lifecycle_stage",
    "lead_status",
    "owner",
    "qualification",
    "disqualification_reason",
    "objection",
    "pipeline_amount",
    "won_amount",
];

/// Fields every file must map.
pub const REQUIRED: &[&str] = &["external_id", "created"];

#[derive(Debug, Clone, Deserialize)]
pub struct Profile {
    pub name: String,
    pub label: String,
    /// The source system record ids belong to.
    pub system: String,
    /// Headers that together identify an export of this kind.
    pub recognise: Vec<String>,
    /// Field → the headers that may hold it, the first present wins.
    pub fields: BTreeMap<String, Vec<String>>,
    /// Field → values meaning sales accepted the lead (case-insensitive).
    #[serde(default)]
    pub accepted: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub rejected: BTreeMap<String, Vec<String>>,
}

const BUILT_IN: &[&str] = &[
    include_str!("../profiles/hubspot.json"),
    include_str!("../profiles/salesforce.json"),
    include_str!("../profiles/keel.json"),
];

/// The profiles keel ships with.
pub fn built_in() -> Vec<Profile> {
    BUILT_IN
        .iter()
        .map(|s| serde_json::from_str(s).expect("built-in profiles are valid JSON"))
        .collect()
}

pub(crate) fn norm(h: &str) -> String {
    h.trim().trim_start_matches('\u{feff}').to_lowercase()
}

impl Profile {
    /// True when every recognising header is among `headers`.
    pub fn recognises(&self, headers: &[String]) -> bool {
        self.recognise
            .iter()
            .all(|r| headers.iter().any(|h| norm(h) == norm(r)))
    }

    /// A profile for any other file, from `field=Column` pairs.
    pub fn generic(pairs: &[(String, String)], system: &str) -> Result<Profile, String> {
        let mut fields = BTreeMap::new();
        for (f, col) in pairs {
            let f = f.trim().to_lowercase();
            if !FIELDS.contains(&f.as_str()) {
                return Err(format!(
                    "'{f}' is not a lead field; map one of: {}.",
                    FIELDS.join(", ")
                ));
            }
            fields.insert(f, vec![col.trim().to_string()]);
        }
        Ok(Profile {
            name: "generic".into(),
            label: "Column mapping".into(),
            system: system.to_string(),
            recognise: vec![],
            fields,
            accepted: BTreeMap::new(),
            rejected: BTreeMap::new(),
        })
    }

    /// Which column feeds each of `FIELDS` (by index), given a file's headers.
    pub fn resolve(&self, headers: &[String]) -> Result<Columns, String> {
        let mut cols = Columns::default();
        for (i, f) in FIELDS.iter().enumerate() {
            let Some(names) = self.fields.get(*f) else {
                continue;
            };
            for name in names {
                let at: Vec<usize> = headers
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| norm(h) == norm(name))
                    .map(|(j, _)| j)
                    .collect();
                match at.as_slice() {
                    [] => continue,
                    [j] => {
                        cols.by_field[i] = Some(*j);
                        break;
                    }
                    many => {
                        return Err(format!(
                            "The column '{}' appears {} times (columns {}); rename all but one.",
                            name.trim(),
                            many.len(),
                            many.iter()
                                .map(|j| (j + 1).to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    }
                }
            }
        }
        let missing: Vec<String> = REQUIRED
            .iter()
            .filter(|f| cols.get(f).is_none())
            .map(|f| {
                let names = self.fields.get(*f).cloned().unwrap_or_default();
                if names.is_empty() {
                    format!("{f} (not mapped)")
                } else {
                    format!("{f} (looked for: {})", names.join(", "))
                }
            })
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "The file has no column for {}.",
                missing.join(" and ")
            ));
        }
        Ok(cols)
    }

    /// What the CRM's values say about qualification, by the profile's rules.
    pub fn judge(
        &self,
        value_of: impl Fn(&str) -> Option<String>,
    ) -> Option<keel_domain::lead::Qualification> {
        use keel_domain::lead::Qualification;
        let hit = |rules: &BTreeMap<String, Vec<String>>| {
            rules.iter().any(|(field, values)| {
                value_of(field).is_some_and(|v| values.iter().any(|x| norm(x) == norm(&v)))
            })
        };
        if hit(&self.rejected) {
            Some(Qualification::Rejected)
        } else if hit(&self.accepted) {
            Some(Qualification::Accepted)
        } else {
            None
        }
    }
}

/// Column index per field of `FIELDS`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    pub by_field: [Option<usize>; 15],
}

impl Columns {
    pub fn get(&self, field: &str) -> Option<usize> {
        FIELDS
            .iter()
            .position(|f| *f == field)
            .and_then(|i| self.by_field[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn exports_are_recognised_by_their_headers() {
        let ps = built_in();
        let hubspot = h(&[
            "Record ID",
            "First Name",
            "Create Date",
            "Lifecycle Stage",
            "Original Source",
        ]);
        let sf = h(&["Lead ID", "Lead Owner", "Lead Source", "Create Date"]);
        let found: Vec<&str> = [&hubspot, &sf]
            .iter()
            .map(|hs| {
                ps.iter()
                    .find(|p| p.recognises(hs))
                    .map(|p| p.name.as_str())
                    .unwrap_or("-")
            })
            .collect();
        assert_eq!(found, ["hubspot", "salesforce"]);
        let cols = ps[0].resolve(&hubspot).unwrap();
        assert_eq!(
            (
                cols.get("external_id"),
                cols.get("source"),
                cols.get("channel")
            ),
            (Some(0), Some(4), Some(4))
        );
    }

    #[test]
    fn a_mapping_names_what_is_missing_or_doubled() {
        let p = Profile::generic(&[("external_id".into(), "Id".into())], "csv").unwrap();
        let e = p.resolve(&h(&["Id", "When"])).unwrap_err();
        assert!(e.contains("created (not mapped)"), "{e}");
        let p = Profile::generic(
            &[
                ("external_id".into(), "Id".into()),
                ("created".into(), "When".into()),
            ],
            "csv",
        )
        .unwrap();
        let e = p.resolve(&h(&["Id", "When", "id"])).unwrap_err();
        assert!(e.contains("'Id' appears 2 times (columns 1, 3)"), "{e}");
        assert!(Profile::generic(&[("colour".into(), "x".into())], "csv").is_err());
    }
}
