//! Built-in SOP templates: the recurring workflows most small B2B marketing teams run, as a
//! starting point a team edits rather than a blank form. Each template carries the risks it
//! usually touches, so it starts at the process level those risks call for.

use super::{
    process_level, Complexity, Frequency, LevelReason, RiskFlag, StageInput, WorkflowInput,
};

/// One built-in workflow, ready to be turned into a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Stable identifier, used in addresses and the API ("campaign-launch").
    pub key: &'static str,
    pub name: &'static str,
    /// Name of the catalogue function the workflow usually belongs to.
    pub function_hint: &'static str,
    pub purpose: &'static str,
    pub trigger: &'static str,
    pub inputs: &'static [&'static str],
    pub quality_standard: &'static str,
    pub review_rhythm: &'static str,
    pub review_decisions: &'static str,
    pub escalation: &'static str,
    pub risk_flags: &'static [RiskFlag],
    pub frequency: Frequency,
    pub complexity: Complexity,
    /// (stage name, checklist, needs the decision owner's approval)
    pub stages: &'static [(&'static str, &'static [&'static str], bool)],
}

/// The eight workflows a new team usually documents first.
pub const TEMPLATES: &[Template] = &[
    Template {
        key: "campaign-launch",
        name: "Campaign brief to launch",
        function_hint: "Acquisition",
        purpose: "Take a campaign from an agreed brief to a tracked launch, so nothing goes live without an owner, working measurement and a date to look at the results.",
        trigger: "A campaign is approved in the quarterly or monthly priorities, or the decision owner accepts a campaign request.",
        inputs: &[
            "Campaign brief: audience, offer, message and goal",
            "Budget ceiling and channel split",
            "Brand assets and approved claims",
            "Target launch date",
        ],
        quality_standard: "Every link carries campaign tags; conversions fire in analytics and land in the CRM with the right campaign and source; copy and offer match the brief; the landing page works on phone and desktop; spend stays within the agreed ceiling.",
        review_rhythm: "A first review one to two weeks after launch, then weekly while the campaign runs.",
        review_decisions: "Keep running, shift budget between channels, change the offer or message, fix tracking, or stop the campaign.",
        escalation: "If tracking or CRM checks fail, or spend runs ahead of plan, the execution owner tells the decision owner the same day; the launch waits until the decision owner says go.",
        risk_flags: &[RiskFlag::Budget, RiskFlag::Tracking, RiskFlag::CustomerVisible],
        frequency: Frequency::Recurring,
        complexity: Complexity::Coordinated,
        stages: &[
            (
                "Brief",
                &[
                    "Brief written: audience, offer, message and goal",
                    "Campaign owner named",
                    "Budget ceiling agreed",
                ],
                false,
            ),
            (
                "Build",
                &[
                    "Assets produced and proofread",
                    "Landing page built and linked",
                ],
                false,
            ),
            (
                "Pre-launch check",
                &[
                    "Tracking check: tagged links and conversion events tested",
                    "CRM field check: campaign, source and lifecycle fields filled on a test lead",
                    "Launch date confirmed",
                ],
                true,
            ),
            (
                "Launch",
                &["Campaign live in every planned channel", "First review date booked"],
                false,
            ),
        ],
    },
    Template {
        key: "content-publication",
        name: "Content idea to publication",
        function_hint: "Content",
        purpose: "Turn a content idea into a published piece that answers a real buyer question and is shared where buyers will see it.",
        trigger: "An idea is picked from the content backlog in the weekly planning.",
        inputs: &[
            "The buyer question the piece answers",
            "Subject-matter expert available for an interview or review",
            "Target keyword or distribution channel",
        ],
        quality_standard: "The piece answers the question it was picked for, facts and product claims are checked by the expert, it reads cleanly, links work, and it has a clear next step for the reader.",
        review_rhythm: "Monthly, looking at what was published in the last month and how it was found and used.",
        review_decisions: "Update or expand a piece, promote it again, change the topics in the backlog, or stop a format that does not work.",
        escalation: "If the expert review stalls for more than a week, the execution owner asks the decision owner to unblock it or drop the piece.",
        risk_flags: &[RiskFlag::CustomerVisible],
        frequency: Frequency::Recurring,
        complexity: Complexity::Coordinated,
        stages: &[
            (
                "Idea",
                &["Buyer question written down", "Format and channel chosen"],
                false,
            ),
            ("Outline", &["Outline agreed with the expert"], false),
            (
                "Draft",
                &["Draft complete", "Sources and claims listed"],
                false,
            ),
            (
                "Edit and approve",
                &["Edited for clarity", "Expert checked facts and claims"],
                true,
            ),
            (
                "Publish and share",
                &["Published with metadata and links checked", "Shared in the planned channels"],
                false,
            ),
        ],
    },
    Template {
        key: "paid-test",
        name: "Paid media test to review",
        function_hint: "Acquisition",
        purpose: "Run paid media experiments with a written hypothesis, a fixed budget and an end date, so each test ends in a decision instead of drifting on.",
        trigger: "The team wants to try a new channel, audience, creative or offer with paid spend.",
        inputs: &[
            "Hypothesis and the metric that proves or disproves it",
            "Test budget and duration",
            "Creative and landing page to use",
        ],
        quality_standard: "The test changes one thing at a time, has a success threshold set before launch, tracks conversions end to end, and stops at its budget or end date.",
        review_rhythm: "At the end of each test, and a short check-in halfway through.",
        review_decisions: "Scale the winner, run a follow-up test, or stop and record what was learned.",
        escalation: "If spend passes the test budget or tracking breaks, the execution owner pauses the campaign and tells the decision owner.",
        risk_flags: &[RiskFlag::Budget, RiskFlag::Tracking],
        frequency: Frequency::Occasional,
        complexity: Complexity::Coordinated,
        stages: &[
            (
                "Hypothesis",
                &[
                    "Hypothesis and success threshold written",
                    "Budget and end date set",
                ],
                false,
            ),
            (
                "Setup",
                &[
                    "Campaign built in the ad platform",
                    "Conversion tracking tested",
                ],
                false,
            ),
            (
                "Go-live approval",
                &["Budget cap set in the platform", "Start and end dates scheduled"],
                true,
            ),
            ("Run", &["Halfway check done"], false),
            (
                "Review",
                &["Results compared with the threshold", "Decision and learning recorded"],
                false,
            ),
        ],
    },
    Template {
        key: "landing-page-qa",
        name: "Landing page update to QA",
        function_hint: "Conversion",
        purpose: "Ship changes to landing pages without broken forms, lost tracking or claims nobody approved.",
        trigger: "A campaign, test or sales request needs a new landing page or a change to an existing one.",
        inputs: &[
            "What changes and why",
            "Final copy and images",
            "Form fields and where submissions go",
        ],
        quality_standard: "The page loads fast on phone and desktop, the form submits and reaches the CRM, analytics and ad pixels fire, copy matches what was approved, and no existing link breaks.",
        review_rhythm: "Two weeks after publishing, then with the monthly conversion review.",
        review_decisions: "Keep the change, roll it back, or plan a follow-up test.",
        escalation: "If QA finds a broken form or tracking, publishing waits; the execution owner tells the decision owner and agrees a new date.",
        risk_flags: &[RiskFlag::Tracking, RiskFlag::CustomerVisible],
        frequency: Frequency::Recurring,
        complexity: Complexity::Coordinated,
        stages: &[
            (
                "Request",
                &["Change and goal described", "Copy and images supplied"],
                false,
            ),
            (
                "Build",
                &["Change made on a staging or preview page"],
                false,
            ),
            (
                "QA",
                &[
                    "Checked on phone and desktop",
                    "Test form submission reached the CRM",
                    "Analytics and pixels fire",
                    "Links and redirects work",
                ],
                true,
            ),
            ("Publish", &["Page live", "Change noted in the change log"], false),
        ],
    },
    Template {
        key: "lead-capture-crm",
        name: "Lead capture to CRM",
        function_hint: "Marketing operations",
        purpose: "Make sure every new form, event list or import puts complete, correctly sourced leads into the CRM.",
        trigger: "A new form, event, list import or lead source is planned.",
        inputs: &[
            "Source and campaign the leads belong to",
            "Fields to capture and the consent text",
            "CRM field mapping",
        ],
        quality_standard: "Each lead arrives with source, campaign, lifecycle stage and consent set; no duplicates are created; a test lead shows up correctly before the source goes live.",
        review_rhythm: "Monthly, sampling new leads from each source for missing or wrong fields.",
        review_decisions: "Fix a mapping, add a required field, merge duplicates, or switch off a source that brings bad data.",
        escalation: "If leads arrive without source or consent, the execution owner stops the import or form and tells the decision owner.",
        risk_flags: &[RiskFlag::Tracking, RiskFlag::LeadQuality],
        frequency: Frequency::Occasional,
        complexity: Complexity::Coordinated,
        stages: &[
            (
                "Specify",
                &["Fields and consent text agreed", "Source and campaign values chosen"],
                false,
            ),
            (
                "Map",
                &["Fields mapped to CRM properties", "Duplicate rule checked"],
                false,
            ),
            (
                "Test",
                &["Test lead submitted", "Test lead checked in the CRM, then removed"],
                true,
            ),
            ("Go live", &["Source switched on", "First real leads spot-checked"], false),
        ],
    },
    Template {
        key: "lead-routing",
        name: "Lead routing to sales",
        function_hint: "Marketing operations",
        purpose: "Get qualified leads to the right salesperson quickly, with enough context to follow up, and know what happened to them.",
        trigger: "A lead reaches the agreed qualification threshold in the CRM.",
        inputs: &[
            "Agreed qualification criteria",
            "Routing rules: territory, segment or round robin",
            "Follow-up time agreed with sales",
        ],
        quality_standard: "Qualified leads are assigned within one working day, carry source and context, and every lead sales rejects has a reason recorded.",
        review_rhythm: "Every two weeks with the sales lead, looking at accepted and rejected leads.",
        review_decisions: "Change the qualification criteria, adjust routing rules, or agree new follow-up times.",
        escalation: "Leads left unassigned or without follow-up past the agreed time go to the decision owner, who raises it with the sales lead.",
        // Routing moves leads that capture and qualification already judged: it is the
        // handoff that is at stake here, so standard (sales feedback carries lead quality).
        risk_flags: &[RiskFlag::SalesHandoff],
        frequency: Frequency::Recurring,
        complexity: Complexity::Coordinated,
        stages: &[
            (
                "Qualify",
                &["Lead meets the agreed criteria", "Source and context fields complete"],
                false,
            ),
            ("Assign", &["Owner set by the routing rules", "Salesperson notified"], false),
            (
                "Accept or reject",
                &["Sales accepted the lead, or recorded why not"],
                false,
            ),
            ("Follow-up check", &["First contact logged within the agreed time"], false),
        ],
    },
    Template {
        key: "weekly-report",
        name: "Weekly report to decision",
        function_hint: "Reporting",
        purpose: "Turn the week's numbers into a short list of decisions, instead of a report nobody acts on.",
        trigger: "Every week, before the weekly marketing meeting.",
        inputs: &[
            "Numbers from the agreed sources",
            "Notes on what launched, changed or broke",
        ],
        quality_standard: "The same definitions and sources every week, unusual moves explained in a sentence, and each item ends in a decision or an explicit 'no change'.",
        review_rhythm: "Quarterly, checking which numbers led to decisions and which nobody used.",
        review_decisions: "Drop a number nobody uses, add one a decision needed, or change the meeting format.",
        escalation: "If a number looks wrong, the report says so and the execution owner checks the source before the meeting.",
        risk_flags: &[],
        frequency: Frequency::Recurring,
        complexity: Complexity::Simple,
        stages: &[
            ("Collect", &["Numbers pulled from the agreed sources"], false),
            ("Annotate", &["Unusual changes explained"], false),
            (
                "Decide",
                &["Decisions and owners written down", "Report shared with the team"],
                false,
            ),
        ],
    },
    Template {
        key: "sales-feedback",
        name: "Sales feedback to campaign adjustment",
        function_hint: "Sales enablement",
        purpose: "Collect what sales hears about leads and objections in a comparable form, and turn it into concrete changes to campaigns and messaging.",
        trigger: "Every month, or when sales reports a pattern in lead quality or objections.",
        inputs: &[
            "Accepted and rejected leads with rejection reasons",
            "Common objections heard on calls",
        ],
        quality_standard: "Feedback is grouped by source and offer, backed by examples, and each change made is traced back to the feedback that caused it.",
        review_rhythm: "Monthly with the sales lead.",
        review_decisions: "Change targeting, an offer or a message, update sales material, or keep things as they are and check again next month.",
        escalation: "If sales and marketing disagree on lead quality, the decision owner settles it with the sales lead.",
        risk_flags: &[RiskFlag::LeadQuality, RiskFlag::SalesHandoff],
        frequency: Frequency::Recurring,
        complexity: Complexity::Coordinated,
        stages: &[
            (
                "Collect",
                &["Rejected leads and reasons exported", "Sales asked for objections heard"],
                false,
            ),
            (
                "Summarise",
                &["Feedback grouped by source and offer", "Examples attached"],
                false,
            ),
            (
                "Decide",
                &["Adjustments agreed with the sales lead"],
                true,
            ),
            (
                "Adjust and report back",
                &["Campaigns or messaging changed", "Sales told what changed"],
                false,
            ),
        ],
    },
];

/// The built-in template with this key.
pub fn find(key: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.key == key.trim())
}

impl Template {
    /// The process level the template's risks call for, and why.
    pub fn level(&self) -> LevelReason {
        process_level(self.risk_flags, self.frequency, self.complexity)
    }

    /// A draft workflow from this template, with the three owners filled in. The decision owner
    /// is proposed as the owner of every input; the team adjusts it.
    pub fn input(
        &self,
        decision: i64,
        execution: i64,
        review: i64,
        function_id: Option<i64>,
    ) -> WorkflowInput {
        let owner = decision.to_string();
        WorkflowInput {
            name: self.name.into(),
            function_id: function_id.map(|id| id.to_string()).unwrap_or_default(),
            purpose: self.purpose.into(),
            trigger: self.trigger.into(),
            inputs: self
                .inputs
                .iter()
                .map(|i| (i.to_string(), owner.clone()))
                .collect(),
            quality_standard: self.quality_standard.into(),
            review_rhythm: self.review_rhythm.into(),
            review_decisions: self.review_decisions.into(),
            escalation: self.escalation.into(),
            status: "draft".into(),
            risk_flags: self
                .risk_flags
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
            frequency: self.frequency.as_str().into(),
            complexity: self.complexity.as_str().into(),
            roles: vec![
                ("decision_owner".into(), owner.clone()),
                ("execution_owner".into(), execution.to_string()),
                ("review_owner".into(), review.to_string()),
            ],
            stages: self
                .stages
                .iter()
                .map(|(name, checklist, needs_approval)| StageInput {
                    name: name.to_string(),
                    checklist: checklist.iter().map(|c| c.to_string()).collect(),
                    needs_approval: *needs_approval,
                })
                .collect(),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::DEFAULT_FUNCTIONS;
    use crate::workflow::tests::people;
    use crate::workflow::{ProcessLevel, WorkflowSpec, WorkflowStatus};

    #[test]
    fn there_are_eight_templates_with_unique_keys() {
        assert_eq!(TEMPLATES.len(), 8);
        let mut keys: Vec<_> = TEMPLATES.iter().map(|t| t.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), TEMPLATES.len());
    }

    #[test]
    fn every_template_parses_as_a_draft_with_its_owners() {
        for t in TEMPLATES {
            let s = WorkflowSpec::parse(&t.input(1, 2, 3, Some(7)), &people(), &[7])
                .unwrap_or_else(|e| panic!("{}: {e:?}", t.key));
            assert_eq!(s.status, WorkflowStatus::Draft);
            assert_eq!(
                (s.decision_owner(), s.execution_owner(), s.review_owner()),
                (Some(1), Some(2), Some(3)),
            );
            assert_eq!(s.function_id, Some(7));
            assert_eq!(s.stages.len(), t.stages.len(), "{}", t.key);
            assert!(s.inputs.iter().all(|i| i.owner_id == Some(1)));
        }
    }

    #[test]
    fn every_template_parses_when_active_and_is_complete_for_its_level() {
        for t in TEMPLATES {
            let mut i = t.input(1, 2, 3, None);
            i.status = "active".into();
            let s = WorkflowSpec::parse(&i, &people(), &[])
                .unwrap_or_else(|e| panic!("{}: {e:?}", t.key));
            assert!(s.missing_for_level().is_empty(), "{}", t.key);
            assert_eq!(s.level(), t.level().level, "{}", t.key);
        }
    }

    #[test]
    fn detailed_templates_have_an_approval_gate_and_a_quality_standard() {
        let detailed: Vec<_> = TEMPLATES
            .iter()
            .filter(|t| t.level().level == ProcessLevel::Detailed)
            .collect();
        assert!(!detailed.is_empty());
        for t in detailed {
            assert!(t.stages.iter().any(|s| s.2), "{}", t.key);
            assert!(!t.quality_standard.is_empty(), "{}", t.key);
        }
    }

    #[test]
    fn stage_names_are_unique_within_each_template() {
        for t in TEMPLATES {
            let mut names: Vec<_> = t.stages.iter().map(|s| s.0.to_lowercase()).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), t.stages.len(), "{}", t.key);
        }
    }

    #[test]
    fn every_function_hint_names_a_catalogue_function() {
        for t in TEMPLATES {
            assert!(
                DEFAULT_FUNCTIONS.iter().any(|f| f.name == t.function_hint),
                "{}: {}",
                t.key,
                t.function_hint
            );
        }
    }

    #[test]
    fn campaign_launch_is_detailed_and_covers_the_launch_checks() {
        let t = find("campaign-launch").unwrap();
        assert_eq!(t.level().level, ProcessLevel::Detailed);
        let all: String = t
            .stages
            .iter()
            .flat_map(|(n, c, _)| std::iter::once(*n).chain(c.iter().copied()))
            .collect::<Vec<_>>()
            .join(" | ")
            .to_lowercase();
        for needed in [
            "brief",
            "owner",
            "assets",
            "landing page",
            "tracking check",
            "crm field check",
            "launch date",
            "first review date",
        ] {
            assert!(all.contains(needed), "missing {needed}");
        }
    }

    #[test]
    fn the_weekly_report_stays_light() {
        assert!(find("weekly-report").unwrap().level().level <= ProcessLevel::Standard);
    }

    #[test]
    fn find_knows_keys_and_refuses_others() {
        assert_eq!(find("paid-test").unwrap().name, "Paid media test to review");
        assert_eq!(find(" lead-routing ").unwrap().key, "lead-routing");
        assert!(find("nope").is_none());
    }
}
