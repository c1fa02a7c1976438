//! Workspace isolation: every route of the router, pages and API, is tried by a member of
//! workspace A with the ids of workspace B, and must answer 404. A route added without a
//! rule here makes this test fail.

mod common;

use common::{Api, TestApp};
use keel_domain::{PersonKind, Role};
use keel_web::auth::secret;
use keel_web::routes::{all, RouteInfo};
use reqwest::Method;
use serde_json::json;
use std::collections::HashMap;

/// Routes that are not inside a workspace, with the reason.
const OUTSIDE_ANY_WORKSPACE: &[(&str, &str)] = &[
    ("/", "redirects to the user's own workspaces"),
    ("/healthz", "liveness, no data"),
    ("/readyz", "readiness: the database answers; no data"),
    (
        "/metrics",
        "counts by route template, no workspace data; bearer token from the config (tests/monitoring.rs)",
    ),
    ("/assets/{file}", "static files"),
    ("/login", "sign-in form"),
    (
        "/setup",
        "first-run form: only while no account exists (first_run.rs)",
    ),
    ("/logout", "ends the caller's own session"),
    (
        "/workspaces",
        "lists the caller's own memberships / creates a new workspace",
    ),
    (
        "/invite/{code}",
        "a secret invitation code is the only key; checked by invite tests",
    ),
    (
        "/password/forgot",
        "asks for a reset link by email; answers alike for any address (password_reset.rs)",
    ),
    (
        "/password/reset/{code}",
        "a secret reset code is the only key; checked by password_reset.rs",
    ),
    (
        "/account",
        "the caller's own settings, over the caller's own memberships",
    ),
    (
        "/account/digest",
        "changes only the caller's own memberships (digest.rs)",
    ),
    ("/api", "the API reference page"),
    ("/api/v1/openapi.json", "the API description"),
    (
        "/calendar/{token}",
        "a secret feed address is the only key; checked by calendar tests",
    ),
];

/// API collections act in the token's workspace; their answers must not mention B.
fn is_api_collection(r: &RouteInfo) -> bool {
    r.path.starts_with("/api/v1/") && !r.path.contains('{')
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
    } else if path.ends_with("/measurements/import") {
        json!({"csv": "period,value\n2026-01,1\n"})
    } else if path.ends_with("/measurements/bulk") {
        json!({"measurements": [{"period": "2026-01", "value": 1}]})
    } else if path.ends_with("/measurements") {
        json!({"period": "2026-01", "value": 1})
    } else if path.contains("/offers") {
        json!({"name": "Probe", "kind": "demo", "status": "planned"})
    } else if path.ends_with("/messages") {
        json!({"stage": 0, "message": "Probe"})
    } else if path.contains("/segments") {
        json!({"name": "Probe"})
    } else if path.contains("/personas") {
        json!({"segment_id": 1, "name": "Probe"})
    } else if path.contains("/programs") {
        json!({"name": "Probe", "phase": "lead-nurturing"})
    } else if path.contains("/metrics") {
        json!({"name": "Probe", "cadence": "monthly", "direction": "higher", "metric_type": "outcome", "kind": "cost"})
    } else if path.contains("/commitments") {
        json!({"label": "Probe", "kind": "meetings", "hours": 1})
    } else if path.ends_with("/feedback") {
        json!({"qualification": "accepted"})
    } else if path.contains("/people") {
        json!({"name": "Probe", "kind": "internal", "weekly_capacity": 1})
    } else if path.contains("/objectives") {
        json!({"outcome": "Probe"})
    } else if path.contains("/channels") {
        json!({"name": "Probe", "phase": "lead-nurturing", "status": "testing"})
    } else if path.contains("/priorities") {
        json!({"title": "Probe", "objective_id": 1, "status": "next"})
    } else if path.contains("/functions") {
        json!({"name": "Probe", "sourcing": "internal"})
    } else if path.ends_with("/moves") {
        json!({"action": "advance"})
    } else if path.contains("/checks/") {
        json!({"done": true})
    } else if path.contains("/web-links") {
        json!({"title": "Probe", "url": "https://probe.test"})
    } else if path.contains("/comments") {
        json!({"body": "Probe"})
    } else if path.contains("/dependencies") {
        json!({"blocked_by": 1})
    } else if path.contains("/workflows") {
        json!({"name": "Probe"})
    } else if path.contains("/work/") {
        json!({"title": "Probe"})
    } else if path.contains("/members") || path.contains("/invites") {
        json!({"role": "viewer"})
    } else {
        json!({"name": "Probe", "role": "viewer"})
    }
}

#[tokio::test]
async fn a_member_of_one_workspace_never_reaches_another_workspaces_records() {
    let app = TestApp::sqlite().await;
    let alice = app.user("alice@a.test", "Alice").await;
    let a = app.workspace("alpha", alice).await;
    let bob = app.user("bob@b.test", "Bob").await;
    let b = app.workspace("bravo", bob).await;

    // Workspace B's records, with names that must never show up for Alice.
    let b_person = app
        .person(&b, "Bravo Secret Person", PersonKind::Internal)
        .await;
    let b_function = app
        .function(&b, "Bravo Secret Function", Some(b_person), None)
        .await;
    let b_member = app.member(&b, "bravo-member@b.test", Role::Member).await;
    let b_invite = app
        .store
        .create_invite(
            b.id,
            &secret::digest("x"),
            Role::Viewer,
            None,
            bob,
            i64::MAX / 2,
        )
        .await
        .unwrap()
        .id;
    let b_token = app
        .store
        .create_token(
            b.id,
            bob,
            "Bravo Secret Token",
            &secret::digest("keel_b"),
            Role::Member,
        )
        .await
        .unwrap()
        .id;
    let _ = a;
    let b_workflow = app.workflow(&b, "Bravo Secret Workflow", b_person).await;
    let b_item = app
        .work(&b, b_workflow, "Bravo Secret Item", Some(b_person))
        .await;
    let b_dep = app
        .work(&b, b_workflow, "Bravo Secret Dependency", Some(b_person))
        .await;
    app.store.add_dep(b.id, b_item, b_dep).await.unwrap();
    let b_link = app
        .store
        .add_web_link(
            b.id,
            b_item,
            &keel_domain::work::notes::LinkDraft {
                title: "Bravo Secret Link".into(),
                url: "https://bravo.test/secret".into(),
            },
            None,
        )
        .await
        .unwrap()
        .id;
    let b_comment = app
        .store
        .add_comment(
            b.id,
            b_item,
            &keel_domain::work::notes::CommentDraft {
                body: "Bravo Secret Comment".into(),
                mentions: vec![b_person],
            },
            Some(b_person),
            None,
        )
        .await
        .unwrap()
        .id;
    let b_commitment = app.commitment(&b, b_person, "Bravo Secret Meeting").await;
    let b_feed = app
        .store
        .create_feed(b.id, None, &secret::digest("feed"), bob)
        .await
        .unwrap()
        .id;

    let b_objective = app
        .store
        .create_objective(
            b.id,
            &common::objective("Bravo Secret Objective", Some(b_person)),
        )
        .await
        .unwrap()
        .id;
    let b_priority = app
        .store
        .create_priority(
            b.id,
            &common::priority("Bravo Secret Priority", b_objective),
        )
        .await
        .unwrap()
        .id;
    let b_lead = app.lead(&b, "bravo-1", "Bravo Secret Source", "Demo").await;
    let b_spend = app
        .store
        .set_spend(b.id, 202603, "Bravo Secret Channel", "", 100)
        .await
        .unwrap()
        .id;

    let b_channel = app
        .store
        .create_channel(b.id, &common::channel("Bravo Secret Channel"))
        .await
        .unwrap()
        .id;
    let (b_metric, b_measurement) = app
        .metric_with_value(&b, "Bravo Secret Metric", Some(b_function))
        .await;
    let b_offer = app
        .store
        .create_offer(b.id, &common::offer("Bravo Secret Offer", vec![b_channel]))
        .await
        .unwrap()
        .id;
    let b_review = app
        .store
        .open_review(
            b.id,
            keel_domain::review::Kind::Weekly,
            keel_domain::Date::parse("2026-12-07").unwrap(),
            Some(b_person),
            &[b_person],
        )
        .await
        .unwrap()
        .id;
    let b_decision = app
        .store
        .create_decision(
            b.id,
            Some(b_review),
            keel_domain::Date::parse("2026-12-07").unwrap(),
            &keel_domain::review::DecisionDraft {
                what: "Bravo Secret Decision".into(),
                kind: keel_domain::review::DecisionKind::Fix,
                category: None,
                rationale: None,
                evidence: vec![],
                owner_id: b_person,
                due: None,
                status: keel_domain::review::DecisionStatus::Open,
            },
            false,
        )
        .await
        .unwrap()
        .id;
    let (b_segment, b_persona, b_program) = app.stack_records(&b, "Bravo Secret").await;
    let b_cadence = app
        .store
        .put_review_cadence(
            b.id,
            &keel_domain::review::CadenceDraft {
                kind: keel_domain::review::Kind::Monthly,
                interval: 1,
                weekday: 2,
                time_minutes: 600,
                facilitator_id: Some(b_person),
                attendee_ids: vec![b_person],
                active: true,
            },
            None,
            keel_domain::Date::parse("2026-12-07").unwrap(),
        )
        .await
        .unwrap()
        .id;
    let b_webhook = app
        .store
        .create_webhook(
            b.id,
            &keel_domain::webhook::SubscriptionDraft {
                url: "http://127.0.0.1:9/bravo".into(),
                description: Some("Bravo Secret hook".into()),
                event_types: vec![keel_domain::webhook::EventType::WorkMoved],
                active: false,
            },
            "whsec_bravo",
            None,
        )
        .await
        .unwrap()
        .id;
    let b_delivery = app
        .store
        .queue_test_delivery(b.id, b_webhook, None)
        .await
        .unwrap()
        .id;
    let b_import = app
        .store
        .create_lead_upload(b.id, "Bravo Secret.csv", "0000.upload", 10, None)
        .await
        .unwrap();
    let b_mapping = app
        .store
        .save_lead_mapping(b.id, "Bravo Secret", "csv", "[]", None)
        .await
        .unwrap();
    let ids: HashMap<&str, i64> = [
        ("import", b_import),
        ("mapping", b_mapping),
        ("webhook", b_webhook),
        ("delivery", b_delivery),
        ("segment", b_segment),
        ("persona", b_persona),
        ("program", b_program),
        ("review", b_review),
        ("cadence", b_cadence),
        ("decision", b_decision),
        ("offer", b_offer),
        ("metric", b_metric),
        ("measurement", b_measurement),
        ("channel", b_channel),
        ("objective", b_objective),
        ("priority", b_priority),
        ("person", b_person),
        ("function", b_function),
        ("member", b_member),
        ("invite", b_invite),
        ("token", b_token),
        ("workflow", b_workflow),
        ("item", b_item),
        ("dep", b_dep),
        ("link", b_link),
        ("comment", b_comment),
        ("feed", b_feed),
        ("lead", b_lead),
        ("spend", b_spend),
        ("commitment", b_commitment),
    ]
    .into();
    let api_id = |path: &str| -> i64 {
        for (seg, key) in [
            ("/commitments/", "commitment"),
            ("/review-cadences/", "cadence"),
            ("/reviews/", "review"),
            ("/decisions/", "decision"),
            ("/people/", "person"),
            ("/functions/", "function"),
            ("/members/", "member"),
            ("/invites/", "invite"),
            ("/tokens/", "token"),
            ("/workflows/", "workflow"),
            ("/work/", "item"),
            ("/objectives/", "objective"),
            ("/priorities/", "priority"),
            ("/channels/", "channel"),
            ("/metrics/", "metric"),
            ("/offers/", "offer"),
            ("/segments/", "segment"),
            ("/personas/", "persona"),
            ("/programs/", "program"),
            ("/lead-imports/", "import"),
            ("/leads/", "lead"),
            ("/spend/", "spend"),
            ("/webhooks/", "webhook"),
        ] {
            if path.contains(seg) {
                return ids[key];
            }
        }
        panic!("no workspace-B id known for the API route {path}: add one to this test");
    };

    let browser = app.sign_in("alice@a.test").await;
    let csrf = browser.csrf("/w/alpha").await;
    let api = Api::new(&app, &app.token(&a, alice, Role::Owner).await);

    let mut checked = 0;
    for r in all() {
        let path = r.path;
        if OUTSIDE_ANY_WORKSPACE.iter().any(|(p, _)| *p == path) {
            continue;
        }
        if is_api_collection(&r) {
            if r.method == Method::GET {
                let res = api.req(Method::GET, path).send().await.unwrap();
                let text = res.text().await.unwrap();
                assert!(
                    !text.contains("Bravo Secret"),
                    "{path} leaks workspace B: {text}"
                );
                checked += 1;
            }
            continue;
        }
        if path.starts_with("/api/v1/") {
            let url = path
                .replace("{id}", &api_id(path).to_string())
                .replace("{dep}", &ids["dep"].to_string())
                .replace("{link}", &ids["link"].to_string())
                .replace("{comment}", &ids["comment"].to_string())
                .replace("{measurement}", &ids["measurement"].to_string())
                .replace("{delivery}", &ids["delivery"].to_string())
                .replace("{index}", "0");
            let mut req = api.req(r.method.clone(), &url);
            if r.method == Method::PUT || r.method == Method::POST {
                req = req.json(&body_for(path));
            }
            let res = req.send().await.unwrap();
            assert_eq!(
                res.status(),
                404,
                "{} {url} with B's id answered {}",
                r.method,
                res.status()
            );
            let body: serde_json::Value = res.json().await.unwrap();
            assert_eq!(body["error"]["code"], "not_found", "{url}: {body}");
            checked += 1;
            continue;
        }
        assert!(
            path.starts_with("/w/{ws}"),
            "route {} {path} has no isolation rule: add one to this test",
            r.method
        );
        // With B's slug (Alice is not a member there), and with A's slug and B's ids.
        let fill = |slug: &str| {
            let mut t = path.replace("{ws}", slug);
            for (k, v) in &ids {
                t = t.replace(&format!("{{{k}}}"), &v.to_string());
            }
            t
        };
        let mut targets = vec![fill("bravo")];
        if path.replace("{ws}", "").contains('{') {
            targets.push(fill("alpha"));
        }
        for target in targets {
            assert!(
                !target.contains('{'),
                "route {path} has a parameter this test cannot fill: add it"
            );
            let res = if r.method == Method::GET {
                browser.get(&target).await
            } else {
                browser
                    .post_form_raw(
                        &target,
                        &[
                            ("csrf", &csrf),
                            ("name", "Probe"),
                            ("role", "viewer"),
                            ("version", "1"),
                        ],
                    )
                    .await
            };
            let status = res.status();
            let text = res.text().await.unwrap();
            assert_eq!(status, 404, "{} {target} answered {status}", r.method);
            assert!(!text.contains("Bravo Secret"), "{target} leaks workspace B");
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} requests were checked");
    // Nothing in B changed.
    assert_eq!(
        app.store
            .find_person(b.id, b_person)
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    let kept = app.store.measurements_of(b.id, b_metric).await.unwrap();
    assert_eq!((kept.len(), kept[0].value, kept[0].version), (1, 42.0, 1));
    let lead = app.store.find_lead(b.id, b_lead).await.unwrap().unwrap();
    assert_eq!(
        lead.qualification,
        keel_domain::lead::Qualification::Pending
    );
    assert_eq!(
        app.store
            .list_spend(b.id, Default::default())
            .await
            .unwrap()
            .len(),
        1
    );
    // B's webhook is as it was, and its delivery was not sent again.
    let hook = app
        .store
        .find_webhook(b.id, b_webhook)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (hook.version, hook.url.as_str()),
        (1, "http://127.0.0.1:9/bravo")
    );
    assert_eq!(
        app.store
            .list_deliveries(b.id, b_webhook, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(app
        .store
        .find_invite(b.id, b_invite)
        .await
        .unwrap()
        .is_some());
    assert!(app
        .store
        .find_token(b.id, b_token)
        .await
        .unwrap()
        .unwrap()
        .revoked_at
        .is_none());
}
