//! The OpenAPI 3.1 document, generated from the handlers' annotations. A snapshot test
//! (tests/openapi.rs) locks it, so a change to the API is a visible change to a file.

use super::{
    allocation, audit, channels, decisions, fit, functions, lead_feedback, lead_imports,
    lead_quality, lead_settings, leads, load, members, metrics, model, objectives, offers, owners,
    people, people_bulk, portable, priorities, review_cadences, reviews, search, spend, strategy,
    strategy_records, tokens, webhooks, work, workflows, workspace,
};
use crate::error::{ErrorBody, ErrorEnvelope, FieldMessage};
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "keel API", version = "1", description = "The operating model of a B2B marketing team: people, functions, ownership and health. Authenticate with a personal API token: `Authorization: Bearer keel_…`."),
    paths(
        workspace::find_workspace, workspace::find_settings, workspace::update_settings, portable::export_workspace, portable::erase_person,
        people::list_people, people::find_person, people::create_person, people_bulk::create_people, people::update_person, people::delete_person,
        load::find_load, load::list_commitments, load::create_commitment, load::update_commitment, load::delete_commitment,
        functions::list_functions, functions::find_function, functions::create_function, functions::update_function, functions::delete_function,
        model::find_ownership, owners::update_ownership, model::list_findings,
        members::list_members, members::update_member, members::delete_member,
        members::list_invites, members::create_invite, members::delete_invite,
        tokens::list_tokens, tokens::create_token, tokens::delete_token,
        workflows::templates::list_workflow_templates,
        workflows::list_workflows, workflows::find_workflow, workflows::create_workflow, workflows::templates::create_workflow_from_template,
        workflows::update_workflow, workflows::delete_workflow, workflows::history::list_workflow_revisions, workflows::history::find_workflow_figures,
        work::list_work, work::find_work, work::create_work, work::update_work, work::delete_work,
        work::moves::move_work, work::moves::find_work_gate, work::moves::set_work_check, work::moves::approve_work_stage, work::events::list_work_events,
        work::deps::list_work_dependencies, work::deps::create_work_dependency, work::deps::delete_work_dependency,
        work::notes::list_work_web_links, work::notes::create_work_web_link, work::notes::delete_work_web_link,
        work::notes::list_work_comments, work::notes::create_work_comment, work::notes::delete_work_comment,
        objectives::list_objectives, objectives::find_objective, objectives::create_objective, objectives::update_objective, objectives::delete_objective,
        priorities::list_priorities, priorities::find_priority, priorities::create_priority, priorities::update_priority, priorities::delete_priority, priorities::list_priority_history, priorities::set_priority_order,
        channels::list_channels, channels::find_channel, channels::create_channel, channels::update_channel, channels::delete_channel,
        channels::find_channel_focus, channels::update_channel_focus,
        metrics::list_metrics, metrics::find_metric, metrics::create_metric, metrics::update_metric, metrics::delete_metric,
        metrics::list_measurements, metrics::create_measurement, metrics::create_measurements, metrics::import_measurements, metrics::delete_measurement,
        offers::list_offers, offers::find_offer, offers::create_offer, offers::update_offer, offers::delete_offer,
        strategy::find_strategy, strategy::update_strategy_layer,
        fit::find_work_links, fit::update_work_links, fit::find_strategic_fit, fit::update_untraced_limit, allocation::find_resource_allocation,
        strategy_records::create_segment, strategy_records::update_segment, strategy_records::delete_segment,
        strategy_records::create_persona, strategy_records::update_persona, strategy_records::delete_persona, strategy_records::update_persona_message,
        strategy_records::create_program, strategy_records::update_program, strategy_records::delete_program,
        leads::list_leads, leads::find_lead, leads::create_lead, leads::create_leads,
        lead_feedback::give_lead_feedback, lead_feedback::give_leads_feedback,
        lead_quality::find_lead_quality, lead_settings::find_lead_settings, lead_settings::update_lead_settings,
        lead_imports::list_lead_imports, lead_imports::create_lead_import, lead_imports::find_lead_import, lead_imports::list_lead_import_errors, lead_imports::cancel_lead_import,
        spend::list_spend, spend::set_spend, spend::delete_spend, spend::import_spend,
        search::search_everything,
        review_cadences::list_review_cadences, review_cadences::find_review_cadence, review_cadences::create_review_cadence, review_cadences::update_review_cadence,
        reviews::list_reviews, reviews::find_review, reviews::find_review_minutes, reviews::start_review, reviews::update_review_notes, reviews::close_review,
        decisions::list_decisions, decisions::export_decisions, decisions::find_decision, decisions::create_decision, decisions::update_decision,
        webhooks::list_webhooks, webhooks::find_webhook, webhooks::create_webhook, webhooks::update_webhook, webhooks::delete_webhook,
        webhooks::list_webhook_deliveries, webhooks::test_webhook, webhooks::redeliver_webhook_delivery,
        audit::list_audit,
    ),
    components(schemas(ErrorEnvelope, ErrorBody, FieldMessage)),
    modifiers(&BearerAuth),
    security(("token" = [])),
    tags(
        (name = "workspace", description = "The workspace a token acts in"),
        (name = "people", description = "The team: staff and external partners with their capacity, recurring commitments and weekly load"),
        (name = "functions", description = "Marketing functions and their owners"),
        (name = "ownership", description = "Who decides and executes what, and load against capacity"),
        (name = "health", description = "Health checks on the operating model"),
        (name = "members", description = "Accounts, roles and invitations"),
        (name = "tokens", description = "Personal API tokens"),
        (name = "workflows", description = "Workflows (SOPs): owners, stages and gates, templates, revisions and flow figures"),
        (name = "objectives", description = "Objectives: outcome, owner, KPI with baseline, target and deadline, what it serves, and the SMART check"),
        (name = "priorities", description = "Ranked priorities serving objectives; a new \"now\" priority names what it pauses unless the hours it needs are free"),
        (name = "channels", description = "Channels with owner, tactic phase, status and monthly budget, and the workspace's channel-focus limit"),
        (name = "offers", description = "Offers leads convert on (demo, trial, guide, webinar, assessment…): who each is for, owner, status and the channels that carry it"),
        (name = "strategy", description = "The strategy stack: four layers (market knowledge, business strategy, buyer tools, tactics) with owner, planning cycle, last review and what faster layers learned; segments, personas with the message map, programs"),
        (name = "metrics", description = "Metrics with definition, owner, source, cadence, direction and target, what they measure, and their values per period (idempotent per period)"),
        (name = "work", description = "Work items moving through their workflow's gates, with checklists, approvals, history, dependencies, web links, comments and links to the strategy"),
        (name = "search", description = "Search across work, workflows, people and functions, among what the caller sees"),
        (name = "reviews", description = "Review cadences (weekly, monthly, quarterly), reviews with their generated agenda, notes and close, and the decision log"),
        (name = "leads", description = "Leads from the CRM (idempotent by record id), sales feedback, lead quality, completeness and spend"),
        (name = "audit", description = "The audit log: who changed what and when, with the fields before and after; sign-ins (owners and admins)"),
        (name = "webhooks", description = "Webhooks: subscriptions to the workspace's events (work moved, blocked, launched; workflow changed; decision recorded; import finished), delivered as signed JSON with retries, each with its delivery log (owners and admins)"),
    )
)]
struct Doc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("A personal API token, created under API tokens in the web app or with `keel token create`.")).build()),
        );
    }
}

/// The document as served: generated from the annotations, then made exact
/// (`api::exact`: ids, If-Match, text, emails).
pub fn document() -> serde_json::Value {
    let mut doc = serde_json::to_value(Doc::openapi()).expect("the OpenAPI document serialises");
    super::exact::apply(&mut doc);
    doc
}

pub async fn serve() -> Json<serde_json::Value> {
    Json(document())
}
