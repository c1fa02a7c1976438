//! An SOP as a one-page Markdown document, to print, paste into a wiki or send to a partner.
//! User text is kept as written; line breaks inside it stay line breaks.

use super::history::names;
use super::{name_of, WorkflowRole, WorkflowSpec};
use crate::{Date, Person};
use std::fmt::Write;

const NOT_WRITTEN: &str = "_Not written yet._";

/// Text as a block of paragraphs: lines inside a paragraph end in a hard break, blank lines
/// separate paragraphs.
fn block(s: &str) -> String {
    let s = s.trim();
    if s.is_empty() {
        return NOT_WRITTEN.into();
    }
    let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        match lines.get(i + 1) {
            None => {}
            Some(next) if line.is_empty() || next.is_empty() => out.push('\n'),
            Some(_) => out.push_str("  \n"),
        }
    }
    // Several blank lines read as one paragraph break.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

/// Text inside a list item: continuation lines are indented so they stay in the item.
fn inline(s: &str, indent: usize) -> String {
    let s = s.trim();
    if s.is_empty() {
        return NOT_WRITTEN.into();
    }
    let pad = " ".repeat(indent);
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(&format!("  \n{pad}"))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "not set".into())
}

/// The SOP as Markdown: what it is for, who owns it, how work moves through it and how it is
/// reviewed.
pub fn markdown(spec: &WorkflowSpec, people: &[Person], function_name: Option<&str>) -> String {
    let mut md = String::new();
    let title = one_line(&spec.name);
    let _ = writeln!(
        md,
        "# {}\n",
        if title.is_empty() {
            "Untitled workflow"
        } else {
            &title
        }
    );
    let _ = writeln!(md, "{}\n", block(&spec.purpose));

    let level = spec.computed_level();
    let _ = writeln!(md, "- **Status:** {}", spec.status.as_str());
    if let Some(f) = function_name.map(one_line).filter(|f| !f.is_empty()) {
        let _ = writeln!(md, "- **Function:** {f}");
    }
    match spec.level_override {
        Some(l) => {
            let _ = writeln!(
                md,
                "- **Process level:** {} (set by hand: {})",
                l.as_str(),
                inline(&spec.override_reason, 2)
            );
            let _ = writeln!(
                md,
                "- **Level its risks suggest:** {}. {}",
                level.level.as_str(),
                level.reason
            );
        }
        None => {
            let _ = writeln!(
                md,
                "- **Process level:** {}. {}",
                level.level.as_str(),
                level.reason
            );
        }
    }
    md.push('\n');

    md.push_str("## Owners\n\n");
    for role in WorkflowRole::ALL {
        let ids = spec.people_with(role);
        let who = match role {
            WorkflowRole::Approver if ids.is_empty() => {
                "nobody beyond the decision owner".to_string()
            }
            _ => names(people, &ids),
        };
        let _ = writeln!(md, "- **{}:** {who}", role.label());
    }
    md.push('\n');

    let _ = writeln!(md, "## Trigger\n\n{}\n", block(&spec.trigger));

    md.push_str("## Inputs\n\n");
    if spec.inputs.is_empty() {
        let _ = writeln!(md, "{NOT_WRITTEN}");
    }
    for i in &spec.inputs {
        match i.owner_id {
            Some(_) => {
                let _ = writeln!(
                    md,
                    "- {} — provided by {}",
                    inline(&i.name, 2),
                    name_of(people, i.owner_id)
                );
            }
            None => {
                let _ = writeln!(md, "- {}", inline(&i.name, 2));
            }
        }
    }
    md.push('\n');

    let _ = writeln!(
        md,
        "## Quality standard\n\n{}\n",
        block(&spec.quality_standard)
    );

    md.push_str("## Stages\n\n");
    if spec.stages.is_empty() {
        let _ = writeln!(md, "{NOT_WRITTEN}\n");
    }
    for (n, s) in spec.stages.iter().enumerate() {
        let num = format!("{}. ", n + 1);
        let pad = " ".repeat(num.len());
        let approval = if s.needs_approval {
            " (needs the decision owner's approval)"
        } else {
            ""
        };
        let _ = writeln!(md, "{num}**{}**{approval}", one_line(&s.name));
        if !s.checklist.is_empty() {
            md.push('\n');
        }
        for c in &s.checklist {
            let _ = writeln!(md, "{pad}- [ ] {}", inline(c, pad.len() + 6));
        }
        md.push('\n');
    }

    md.push_str("## Review\n\n");
    let _ = writeln!(md, "- **Rhythm:** {}", inline(&spec.review_rhythm, 2));
    let _ = writeln!(
        md,
        "- **Decisions a review may lead to:** {}",
        inline(&spec.review_decisions, 2)
    );
    md.push('\n');

    let _ = writeln!(md, "## Escalation\n\n{}\n", block(&spec.escalation));

    md.push_str("## Review dates\n\n");
    let _ = writeln!(md, "- **Last reviewed:** {}", date(spec.last_reviewed));
    let _ = writeln!(md, "- **Next review due:** {}", date(spec.next_review_due));
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::tests::spec;
    use crate::workflow::tests::people;
    use crate::workflow::{Assignment, ProcessLevel};

    #[test]
    fn the_document_has_title_purpose_status_level_and_function() {
        let md = markdown(&spec(), &people(), Some("Acquisition"));
        assert!(md.starts_with(
            "# Campaign brief to launch\n\nLaunch campaigns that were briefed and tracked.\n"
        ));
        assert!(md.contains("- **Status:** active\n"));
        assert!(md.contains("- **Function:** Acquisition\n"));
        assert!(md.contains("- **Process level:** detailed. It spends budget: work that affects budget, lead quality or strategy is detailed."), "{md}");
    }

    #[test]
    fn the_function_line_is_left_out_without_a_function() {
        assert!(!markdown(&spec(), &people(), None).contains("**Function:**"));
    }

    #[test]
    fn owners_are_listed_by_name() {
        let mut s = spec();
        s.assignments.push(Assignment {
            person_id: 3,
            role: WorkflowRole::Contributor,
        });
        let md = markdown(&s, &people(), None);
        assert!(md.contains("- **Decides:** Maya\n"));
        assert!(md.contains("- **Executes:** Tom (Brightline)\n"));
        assert!(md.contains("- **Reviews:** Ines\n"));
        assert!(md.contains("- **Approves:** nobody beyond the decision owner\n"));
        assert!(md.contains("- **Contributes:** Ines\n"));
    }

    #[test]
    fn stages_are_numbered_with_checkboxes_and_approval_notes() {
        let md = markdown(&spec(), &people(), None);
        assert!(
            md.contains("1. **Brief**\n\n   - [ ] Audience named\n"),
            "{md}"
        );
        assert!(md.contains(
            "2. **Launch** (needs the decision owner's approval)\n\n   - [ ] Tracking checked\n"
        ));
    }

    #[test]
    fn inputs_name_who_provides_them() {
        let mut s = spec();
        s.inputs.push(crate::workflow::InputReq {
            name: "Budget".into(),
            owner_id: None,
        });
        let md = markdown(&s, &people(), None);
        assert!(md.contains("## Inputs\n\n- Approved brief — provided by Maya\n- Budget\n"));
    }

    #[test]
    fn an_override_shows_the_level_in_force_its_reason_and_the_suggested_level() {
        let mut s = spec();
        s.level_override = Some(ProcessLevel::Standard);
        s.override_reason = "Tested templates, small budget.".into();
        let md = markdown(&s, &people(), None);
        assert!(md.contains(
            "- **Process level:** standard (set by hand: Tested templates, small budget.)\n"
        ));
        assert!(md.contains("- **Level its risks suggest:** detailed."));
    }

    #[test]
    fn empty_sections_say_they_are_not_written_and_dates_not_set() {
        let md = markdown(&spec(), &people(), None);
        assert!(md.contains(&format!("## Trigger\n\n{NOT_WRITTEN}\n")));
        assert!(md.contains(&format!("## Escalation\n\n{NOT_WRITTEN}\n")));
        assert!(md.contains("- **Next review due:** not set\n"));
        let mut s = spec();
        s.last_reviewed = Date::parse("2026-03-01").ok();
        s.next_review_due = Date::parse("2026-06-01").ok();
        let md = markdown(&s, &people(), None);
        assert!(md.contains("- **Last reviewed:** 2026-03-01\n"));
        assert!(md.contains("- **Next review due:** 2026-06-01\n"));
    }

    #[test]
    fn line_breaks_in_user_text_stay_readable() {
        let mut s = spec();
        s.quality_standard = "Links tagged\nForms tested\n\n\n\nCopy approved".into();
        s.review_decisions = "Keep\nStop".into();
        let md = markdown(&s, &people(), None);
        assert!(
            md.contains("## Quality standard\n\nLinks tagged  \nForms tested\n\nCopy approved\n")
        );
        assert!(md.contains("- **Decisions a review may lead to:** Keep  \n  Stop\n"));
    }

    #[test]
    fn the_sections_come_in_sop_order() {
        let md = markdown(&spec(), &people(), None);
        let at = |h: &str| md.find(h).unwrap_or_else(|| panic!("{h} missing"));
        let order = [
            "## Owners",
            "## Trigger",
            "## Inputs",
            "## Quality standard",
            "## Stages",
            "## Review",
            "## Escalation",
            "## Review dates",
        ];
        assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])));
    }
}
