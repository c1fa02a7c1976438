//! The fixture the audit walk runs on: a copy of tests/roles.rs's (a workspace with one of
//! every record, ids filled into every route, a body each API route accepts), on either
//! backend. Kept apart so the roles test and this one can change independently.
#![allow(dead_code)]

use crate::common::{self, TestApp};
use keel_domain::{PersonKind, Role};
use keel_testkit::TestDb;
use keel_web::auth::secret;
use keel_web::Config;
use serde_json::json;

pub struct Fixture {
    pub app: TestApp,
    pub segment: i64,
    pub persona: i64,
    pub program: i64,
    pub person: i64,
    pub assigned: i64,
    pub unassigned: i64,
    pub member: i64,
    pub invite: i64,
    pub workflow: i64,
    pub item: i64,
    pub dep: i64,
    pub feed: i64,
    pub objective: i64,
    pub priority: i64,
    pub channel: i64,
    pub metric: i64,
    pub measurement: i64,
    pub offer: i64,
    pub lead: i64,
    pub spend: i64,
    pub commitment: i64,
    pub review: i64,
    pub decision: i64,
    pub cadence: i64,
    pub webhook: i64,
    pub delivery: i64,
}

pub async fn fixture(db: TestDb) -> Fixture {
    // Webhooks may go to this machine, so the walk's subscription can be saved (and its
    // deliveries fail against a closed port, unaudited).
    let app = TestApp::start(
        db,
        Config {
            webhooks_allow_private: true,
            ..Config::default()
        },
    )
    .await;
    let owner = app.user("owner@a.test", "Owner").await;
    let ws = app.workspace("alpha", owner).await;
    let member = app.member(&ws, "member@a.test", Role::Member).await;
    app.member(&ws, "viewer@a.test", Role::Viewer).await;
    let partner_user = app.member(&ws, "partner@a.test", Role::Partner).await;
    let lead = app.person(&ws, "Lead Internal", PersonKind::Internal).await;
    let agency = app.person(&ws, "Agency Person", PersonKind::Agency).await;
    let other = app
        .person(&ws, "Unrelated Person", PersonKind::Internal)
        .await;
    let mut d = app.store.find_person(ws.id, agency).await.unwrap().unwrap();
    d.user_id = Some(partner_user);
    let draft = keel_domain::PersonDraft {
        name: d.name,
        kind: d.kind,
        organization: d.organization,
        title: None,
        email: None,
        weekly_capacity: 20.0,
        user_id: Some(partner_user),
    };
    app.store
        .update_person(ws.id, agency, d.version, &draft)
        .await
        .unwrap();
    let assigned = app
        .function(&ws, "Paid media", Some(lead), Some(agency))
        .await;
    let unassigned = app
        .function(&ws, "Secret strategy", Some(other), Some(other))
        .await;
    let invite = app
        .store
        .create_invite(
            ws.id,
            &secret::digest("c"),
            Role::Viewer,
            None,
            owner,
            i64::MAX / 2,
        )
        .await
        .unwrap()
        .id;
    let workflow = app.workflow(&ws, "Campaign launch", lead).await;
    let item = app.work(&ws, workflow, "Spring webinar", Some(lead)).await;
    let dep = app.work(&ws, workflow, "Landing page", Some(lead)).await;
    app.store.add_dep(ws.id, item, dep).await.unwrap();
    let commitment = app.commitment(&ws, lead, "Weekly pipeline meeting").await;
    let feed = app
        .store
        .create_feed(ws.id, None, &secret::digest("feed"), owner)
        .await
        .unwrap()
        .id;
    let objective = app
        .store
        .create_objective(
            ws.id,
            &common::objective("Grow mid-market pipeline", Some(lead)),
        )
        .await
        .unwrap()
        .id;
    let priority = app
        .store
        .create_priority(ws.id, &common::priority("Account-based pilot", objective))
        .await
        .unwrap()
        .id;
    let channel = app
        .store
        .create_channel(ws.id, &common::channel("Email nurture"))
        .await
        .unwrap()
        .id;
    // Measures a function the partner has no part in: hidden from it.
    let (metric, measurement) = app
        .metric_with_value(&ws, "Secret pipeline metric", Some(unassigned))
        .await;
    let offer = app
        .store
        .create_offer(ws.id, &common::offer("ROI assessment", vec![channel]))
        .await
        .unwrap()
        .id;
    let lead_person = lead;
    let lead = app.lead(&ws, "1", "Paid Search", "Demo").await;
    let spend = app
        .store
        .set_spend(ws.id, 202603, "Paid search", "", 100)
        .await
        .unwrap()
        .id;
    let review = app
        .store
        .open_review(
            ws.id,
            keel_domain::review::Kind::Weekly,
            keel_domain::Date::parse("2026-12-07").unwrap(),
            Some(lead_person),
            &[lead_person],
        )
        .await
        .unwrap()
        .id;
    let decision = app
        .store
        .create_decision(
            ws.id,
            Some(review),
            keel_domain::Date::parse("2026-12-07").unwrap(),
            &keel_domain::review::DecisionDraft {
                what: "Keep the nurture cadence".into(),
                kind: keel_domain::review::DecisionKind::Fix,
                category: None,
                rationale: None,
                evidence: vec![],
                owner_id: lead_person,
                due: None,
                status: keel_domain::review::DecisionStatus::Open,
            },
            false,
        )
        .await
        .unwrap()
        .id;
    let (segment, persona, program) = app.stack_records(&ws, "Strategy").await;
    let cadence = app
        .store
        .put_review_cadence(
            ws.id,
            &keel_domain::review::CadenceDraft {
                kind: keel_domain::review::Kind::Weekly,
                interval: 1,
                weekday: 1,
                time_minutes: 570,
                facilitator_id: Some(lead_person),
                attendee_ids: vec![lead_person],
                active: true,
            },
            None,
            keel_domain::Date::parse("2026-12-07").unwrap(),
        )
        .await
        .unwrap()
        .id;
    let (webhook, delivery) = common::webhook_with_delivery(&app, &ws).await;
    Fixture {
        webhook,
        delivery,
        cadence,
        segment,
        persona,
        program,
        review,
        decision,
        offer,
        metric,
        measurement,
        channel,
        objective,
        priority,
        lead,
        spend,
        app,
        person: lead,
        assigned,
        unassigned,
        member,
        invite,
        workflow,
        item,
        dep,
        feed,
        commitment,
    }
}

pub fn fill(path: &str, f: &Fixture) -> String {
    let api_id = if path.contains("/commitments/") {
        f.commitment
    } else if path.contains("/review-cadences/") {
        f.cadence
    } else if path.contains("/reviews/") {
        f.review
    } else if path.contains("/decisions/") {
        f.decision
    } else if path.contains("/people/") {
        f.person
    } else if path.contains("/functions/") {
        f.assigned
    } else if path.contains("/members/") {
        f.member
    } else if path.contains("/invites/") {
        f.invite
    } else if path.contains("/workflows/") {
        f.workflow
    } else if path.contains("/work/") {
        f.item
    } else if path.contains("/objectives/") {
        f.objective
    } else if path.contains("/priorities/") {
        f.priority
    } else if path.contains("/channels/") {
        f.channel
    } else if path.contains("/metrics/") {
        f.metric
    } else if path.contains("/offers/") {
        f.offer
    } else if path.contains("/segments/") {
        f.segment
    } else if path.contains("/personas/") {
        f.persona
    } else if path.contains("/programs/") {
        f.program
    } else if path.contains("/leads/") {
        f.lead
    } else if path.contains("/spend/") {
        f.spend
    } else if path.contains("/webhooks/") {
        f.webhook
    } else {
        0
    };
    path.replace("{ws}", "alpha")
        .replace("{person}", &f.person.to_string())
        .replace("{function}", &f.assigned.to_string())
        .replace("{member}", &f.member.to_string())
        .replace("{invite}", &f.invite.to_string())
        .replace("{workflow}", &f.workflow.to_string())
        .replace("{item}", &f.item.to_string())
        .replace("{dep}", &f.dep.to_string())
        .replace("{feed}", &f.feed.to_string())
        .replace("{objective}", &f.objective.to_string())
        .replace("{priority}", &f.priority.to_string())
        .replace("{channel}", &f.channel.to_string())
        .replace("{metric}", &f.metric.to_string())
        .replace("{offer}", &f.offer.to_string())
        .replace("{measurement}", &f.measurement.to_string())
        .replace("{lead}", &f.lead.to_string())
        .replace("{spend}", &f.spend.to_string())
        .replace("{commitment}", &f.commitment.to_string())
        .replace("{review}", &f.review.to_string())
        .replace("{decision}", &f.decision.to_string())
        .replace("{segment}", &f.segment.to_string())
        .replace("{persona}", &f.persona.to_string())
        .replace("{program}", &f.program.to_string())
        .replace("{webhook}", &f.webhook.to_string())
        .replace("{delivery}", &f.delivery.to_string())
        .replace("{id}", &api_id.to_string())
        .replace("{index}", "0")
}

pub fn body_for(path: &str) -> serde_json::Value {
    if path.starts_with("/api/v1/webhooks") {
        json!({"url": "http://127.0.0.1:9/walk", "event_types": ["work.moved"]})
    } else if path == "/api/v1/review-cadences" {
        json!({"kind": "weekly", "weekday": 1, "time": "09:30", "facilitator_id": 1})
    } else if path.contains("/review-cadences") {
        json!({"weekday": 1, "time": "09:30", "facilitator_id": 1})
    } else if path.ends_with("/notes") {
        json!({"notes": [{"section": "blocked", "text": "Probe"}]})
    } else if path.ends_with("/close") {
        json!({"ratings": []})
    } else if path == "/api/v1/reviews" {
        json!({"kind": "weekly"})
    } else if path.contains("/api/v1/decisions") {
        json!({"what": "Probe", "kind": "fix", "owner_id": 1})
    } else if path == "/api/v1/people/bulk" {
        json!({"people": [{"name": "Changed", "kind": "internal", "weekly_capacity": 1}]})
    } else if path.ends_with("/measurements/import") {
        json!({"csv": "period,value\n2026-01,1\n"})
    } else if path.ends_with("/measurements/bulk") {
        json!({"measurements": [{"period": "2026-01", "value": 1}]})
    } else if path.ends_with("/measurements") {
        json!({"period": "2026-01", "value": 1})
    } else if path.contains("/offers") {
        json!({"name": "Changed", "kind": "demo", "status": "planned"})
    } else if path.ends_with("/messages") {
        json!({"stage": 0, "message": "Changed"})
    } else if path.contains("/segments") {
        json!({"name": "Changed"})
    } else if path.contains("/personas") {
        json!({"segment_id": 1, "name": "Changed"})
    } else if path.contains("/programs") {
        json!({"name": "Changed", "phase": "lead-nurturing"})
    } else if path.contains("/metrics") {
        json!({"name": "Changed", "cadence": "monthly", "direction": "higher", "metric_type": "outcome", "kind": "cost"})
    } else if path.contains("/commitments") {
        json!({"label": "Changed", "kind": "meetings", "hours": 1})
    } else if path == "/api/v1/leads" {
        json!({"external_id": "x", "created": "2026-03-01"})
    } else if path == "/api/v1/leads/bulk" {
        json!({"leads": [{"external_id": "x", "created": "2026-03-01"}]})
    } else if path == "/api/v1/leads/feedback" {
        json!({"feedback": [{"id": 1, "version": 1, "qualification": "accepted"}]})
    } else if path.ends_with("/feedback") {
        json!({"qualification": "accepted"})
    } else if path == "/api/v1/spend" {
        json!({"month": "2026-03", "channel": "Changed", "amount_cents": 1})
    } else if path.contains("/people") {
        json!({"name": "Changed", "kind": "internal", "weekly_capacity": 1})
    } else if path.contains("/objectives") {
        json!({"outcome": "Changed"})
    } else if path.ends_with("/settings") {
        json!({"time_zone": "Europe/Berlin"})
    } else if path == "/api/v1/strategy/layer" {
        json!({"layer": "market", "goals": "Changed"})
    } else if path.contains("/channel-focus") {
        json!({"limit": 5})
    } else if path.contains("/channels") {
        json!({"name": "Changed", "phase": "lead-nurturing", "status": "testing"})
    } else if path.contains("/priorities") {
        json!({"title": "Changed", "objective_id": 1, "status": "next"})
    } else if path.contains("/functions") {
        json!({"name": "Changed", "sourcing": "internal"})
    } else if path.ends_with("/moves") {
        json!({"action": "advance"})
    } else if path.contains("/checks/") {
        json!({"done": true})
    } else if path.contains("/dependencies") {
        json!({"blocked_by": 1})
    } else if path.ends_with("/from-template") {
        json!({"template": "campaign-launch", "decision_owner_id": 1, "execution_owner_id": 1})
    } else if path.contains("/workflows") {
        json!({"name": "Changed"})
    } else if path == "/api/v1/work" {
        json!({"workflow_id": 1, "title": "Changed"})
    } else if path.contains("/work/") {
        json!({"title": "Changed"})
    } else {
        json!({"role": "viewer"})
    }
}
