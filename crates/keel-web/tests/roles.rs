//! Roles: every write route refuses a viewer and a partner; a partner sees only what is
//! assigned to its person.

mod common;

use common::{Api, Browser, TestApp};
use keel_domain::{PersonKind, Role};
use keel_web::auth::secret;
use keel_web::routes::all;
use reqwest::Method;
use serde_json::json;

/// Write routes every member may use for their own things, with the reason.
const OPEN_TO_ALL_ROLES: &[&str] = &[
    "/login",
    "/setup", // the first run: refused to everyone once an account exists (first_run.rs)
    "/logout",
    "/workspaces",                   // creating a new workspace of one's own
    "/invite/{code}",                // accepting an invitation
    "/password/forgot",              // asking for a reset link, before sign-in
    "/password/reset/{code}",        // setting a new password with the mailed link
    "/account/digest",               // one's own weekly digest choice
    "/w/{ws}/tokens",                // personal tokens, capped at the creator's role
    "/w/{ws}/tokens/{token}/revoke", // one's own tokens
    "/api/v1/tokens",
    "/api/v1/tokens/{id}",
];

/// Write routes a viewer may use: sales feedback on leads (the sales lead is usually a viewer).
const VIEWERS_MAY: &[&str] = &[
    "/api/v1/leads/{id}/feedback",
    "/api/v1/leads/feedback",
    "/w/{ws}/leads/{lead}/feedback",
];

struct Fixture {
    app: TestApp,
    segment: i64,
    persona: i64,
    program: i64,
    person: i64,
    assigned: i64,
    unassigned: i64,
    member: i64,
    invite: i64,
    workflow: i64,
    item: i64,
    dep: i64,
    link: i64,
    comment: i64,
    feed: i64,
    objective: i64,
    priority: i64,
    channel: i64,
    metric: i64,
    measurement: i64,
    offer: i64,
    lead: i64,
    spend: i64,
    commitment: i64,
    review: i64,
    decision: i64,
    cadence: i64,
    webhook: i64,
    delivery: i64,
    import: i64,
    mapping: i64,
}

async fn fixture() -> Fixture {
    let app = TestApp::sqlite().await;
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
    let link = app
        .store
        .add_web_link(
            ws.id,
            item,
            &keel_domain::work::notes::LinkDraft {
                title: "Brief".into(),
                url: "https://docs.example.com/brief".into(),
            },
            None,
        )
        .await
        .unwrap()
        .id;
    let comment = app
        .store
        .add_comment(
            ws.id,
            item,
            &keel_domain::work::notes::CommentDraft {
                body: "Draft is ready".into(),
                mentions: vec![],
            },
            None,
            Some(owner),
        )
        .await
        .unwrap()
        .id;
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
    let import = app
        .store
        .create_lead_upload(ws.id, "contacts.csv", "0000.upload", 10, None)
        .await
        .unwrap();
    let mapping = app
        .store
        .save_lead_mapping(ws.id, "Pipedrive", "pipedrive", "[]", None)
        .await
        .unwrap();
    Fixture {
        import,
        mapping,
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
        link,
        comment,
        feed,
        commitment,
    }
}

fn fill(path: &str, f: &Fixture) -> String {
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
    } else if path.contains("/lead-imports/") {
        f.import
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
        .replace("{link}", &f.link.to_string())
        .replace("{comment}", &f.comment.to_string())
        .replace("{feed}", &f.feed.to_string())
        .replace("{objective}", &f.objective.to_string())
        .replace("{priority}", &f.priority.to_string())
        .replace("{channel}", &f.channel.to_string())
        .replace("{metric}", &f.metric.to_string())
        .replace("{offer}", &f.offer.to_string())
        .replace("{measurement}", &f.measurement.to_string())
        .replace("{lead}", &f.lead.to_string())
        .replace("{import}", &f.import.to_string())
        .replace("{mapping}", &f.mapping.to_string())
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

fn body_for(path: &str) -> serde_json::Value {
    if path.ends_with("/priorities/order") {
        return json!({"priorities": [{"id": 1, "version": 1}]});
    }
    if path.starts_with("/api/v1/webhooks") {
        json!({"url": "http://127.0.0.1:9/probe", "event_types": ["work.moved"]})
    } else if path.ends_with("/links") {
        json!({})
    } else if path.ends_with("/strategic-fit/limit") {
        json!({"limit": 40})
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
    } else if path == "/api/v1/ownership" {
        json!({"owners": [{"function_id": 1, "version": 1, "business_owner_id": null, "execution_owner_id": null}]})
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
    } else if path == "/api/v1/lead-settings" {
        json!({"poor_fit_below_percent": 10, "completeness_bar_percent": 10, "pending_days": 100})
    } else if path == "/api/v1/spend/import" {
        json!({"csv": "month,channel,amount\n2026-03,Changed,1\n"})
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
    } else if path.contains("/web-links") {
        json!({"title": "Changed", "url": "https://example.com"})
    } else if path.contains("/comments") {
        json!({"body": "Changed"})
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

async fn every_write_route_refuses(f: &Fixture, email: &str, role: Role) {
    let app = &f.app;
    let ws = app
        .store
        .find_workspace_by_slug("alpha")
        .await
        .unwrap()
        .unwrap();
    let user = app.store.find_user_by_email(email).await.unwrap().unwrap();
    let api = Api::new(app, &app.token(&ws, user.id, role).await);
    let browser: Browser = app.sign_in(email).await;
    let csrf = browser.csrf("/w/alpha/tokens").await;
    let mut checked = 0;
    for r in all().into_iter().filter(|r| r.method != Method::GET) {
        if OPEN_TO_ALL_ROLES.contains(&r.path)
            || (role == Role::Viewer && VIEWERS_MAY.contains(&r.path))
        {
            continue;
        }
        let url = fill(r.path, f);
        let res = if r.path.starts_with("/api/") {
            // A well-formed client names the version it changes; the role must still refuse.
            let mut req = api.req(r.method.clone(), &url).header("if-match", "\"1\"");
            if r.method != Method::DELETE {
                req = req.json(&body_for(r.path));
            }
            req.send().await.unwrap()
        } else {
            browser
                .post_form_raw(
                    &url,
                    &[
                        ("csrf", &csrf),
                        ("name", "Changed"),
                        ("kind", "internal"),
                        ("sourcing", "internal"),
                        ("role", "viewer"),
                    ],
                )
                .await
        };
        // A partner does not even see members, invitations, workflows and work it has no
        // part in, or objectives and priorities it does not own: those answer 404.
        let hidden_from_partner = role == Role::Partner
            && [
                "/members",
                "/invites",
                "/workflows",
                "/work",
                "/objectives",
                "/priorities",
                "/channels/",
                "/metrics",
                "/offers",
                "/leads",
                "/lead-imports",
                "/lead-quality",
                "/lead-settings",
                "/spend",
                "/reviews",
                "/review-cadences",
                "/decisions",
                "/strategy",
                "/segments",
                "/personas",
                "/programs",
            ]
            .iter()
            .any(|p| url.contains(p));
        let ok = res.status() == 403 || (hidden_from_partner && res.status() == 404);
        assert!(ok, "{role} got {} on {} {url}", res.status(), r.method);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} write routes checked");
    // Nothing changed.
    assert_eq!(
        app.store
            .find_person(ws.id, f.person)
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    assert_eq!(app.store.list_members(ws.id).await.unwrap().len(), 4);
    let offer = app.store.find_offer(ws.id, f.offer).await.unwrap().unwrap();
    assert_eq!((offer.version, offer.name.as_str()), (1, "ROI assessment"));
    let values = app.store.measurements_of(ws.id, f.metric).await.unwrap();
    assert_eq!((values.len(), values[0].version), (1, 1));
    let lead = app.store.find_lead(ws.id, f.lead).await.unwrap().unwrap();
    assert_eq!((lead.version, lead.qualification.as_str()), (1, "pending"));
    assert_eq!(
        app.store
            .list_spend(ws.id, Default::default())
            .await
            .unwrap()[0]
            .amount_cents,
        100
    );
}

#[tokio::test]
async fn a_viewer_is_refused_on_every_write_route() {
    let f = fixture().await;
    every_write_route_refuses(&f, "viewer@a.test", Role::Viewer).await;
}

#[tokio::test]
async fn a_partner_is_refused_on_every_write_route() {
    let f = fixture().await;
    every_write_route_refuses(&f, "partner@a.test", Role::Partner).await;
}

#[tokio::test]
async fn a_partner_sees_only_the_function_assigned_to_its_person() {
    let f = fixture().await;
    let app = &f.app;
    let b = app.sign_in("partner@a.test").await;
    assert_eq!(
        b.get(&format!("/w/alpha/functions/{}", f.assigned))
            .await
            .status(),
        200
    );
    assert_eq!(
        b.get(&format!("/w/alpha/functions/{}", f.unassigned))
            .await
            .status(),
        404
    );
    let (_, list) = b.text("/w/alpha/functions").await;
    assert!(list.contains("Paid media") && !list.contains("Secret strategy"));
    let (_, people) = b.text("/w/alpha/people").await;
    assert!(people.contains("Lead Internal") && !people.contains("Unrelated Person"));
    assert_eq!(b.get("/w/alpha/members").await.status(), 404);

    let ws = app
        .store
        .find_workspace_by_slug("alpha")
        .await
        .unwrap()
        .unwrap();
    let user = app
        .store
        .find_user_by_email("partner@a.test")
        .await
        .unwrap()
        .unwrap();
    let api = Api::new(app, &app.token(&ws, user.id, Role::Partner).await);
    let (s, list) = api.get("/api/v1/functions").await;
    assert_eq!(s, 200);
    let names: Vec<&str> = list["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Paid media"]);
    assert_eq!(
        api.get(&format!("/api/v1/functions/{}", f.unassigned))
            .await
            .0,
        404
    );
    let (_, health) = api.get("/api/v1/health").await;
    assert!(!health.to_string().contains("Secret strategy"));
}

#[tokio::test]
async fn a_token_never_has_more_power_than_its_user_has_now() {
    let f = fixture().await;
    let app = &f.app;
    let ws = app
        .store
        .find_workspace_by_slug("alpha")
        .await
        .unwrap()
        .unwrap();
    // A member's token made with the admin role acts as a member.
    let api = Api::new(app, &app.token(&ws, f.member, Role::Admin).await);
    let (s, _) = api
        .send(
            Method::POST,
            "/api/v1/invites",
            Some(json!({"role": "viewer"})),
        )
        .await;
    assert_eq!(s, 403);
    // And a member cannot mint a token above their role.
    let (s, body) = api
        .send(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "x", "role": "admin"})),
        )
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "role");
}
