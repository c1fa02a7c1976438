//! `keel demo`: idempotent, scalable, and its printed login works.

mod common;

use common::{get_with_session, sign_in, Server, TempDb};
use keel_store::Store;

/// (workspaces, users, people, functions) in the demo workspace.
async fn counts(url: &str) -> (usize, usize, usize, usize) {
    let store = Store::open(url).await.expect("open the test database");
    let ws = store
        .find_workspace_by_slug("northwind-demo")
        .await
        .unwrap()
        .expect("the demo workspace");
    let out = (
        store.list_workspaces().await.unwrap().len(),
        store.list_users().await.unwrap().len(),
        store.list_people(ws.id).await.unwrap().len(),
        store.list_functions(ws.id).await.unwrap().len(),
    );
    store.close().await;
    out
}

#[tokio::test]
async fn running_the_demo_twice_adds_nothing_the_second_time() {
    let db = TempDb::new();
    db.keel(&["demo", "--no-serve"]).ok();
    assert_eq!(counts(&db.url).await, (1, 3, 7, 8));
    let again = db.keel(&["demo", "--no-serve"]).ok();
    assert!(again.stdout.contains("already exists"), "{again:#?}");
    assert_eq!(counts(&db.url).await, (1, 3, 7, 8));
}

#[tokio::test]
async fn the_demo_links_its_accounts_to_their_people() {
    let db = TempDb::new();
    db.keel(&["demo", "--no-serve"]).ok();
    let store = Store::open(&db.url).await.unwrap();
    let ws = store
        .find_workspace_by_slug("northwind-demo")
        .await
        .unwrap()
        .unwrap();
    let agency = store
        .find_user_by_email("agency@keel.local")
        .await
        .unwrap()
        .unwrap();
    let member = store.find_member(ws.id, agency.id).await.unwrap().unwrap();
    assert_eq!(member.role, keel_domain::Role::Partner);
    let person = store
        .person_of_user(ws.id, agency.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.organization.as_deref(), Some("Brightline Media"));
    let functions = store.list_functions(ws.id).await.unwrap();
    assert!(functions
        .iter()
        .any(|f| f.execution_owner_id == Some(person.id)));
    let people = store.list_people(ws.id).await.unwrap();
    for f in &functions {
        let owner = people.iter().find(|p| Some(p.id) == f.business_owner_id);
        assert!(owner.is_some_and(|p| !p.is_external()), "{}", f.name);
    }
    store.close().await;
}

#[tokio::test]
async fn scale_makes_the_demo_workspace_that_many_times_bigger() {
    let db = TempDb::new();
    db.keel(&["demo", "--no-serve", "--scale", "3"]).ok();
    assert_eq!(counts(&db.url).await, (1, 3, 21, 24));
    let check = db.keel(&["check", "--format", "json"]);
    assert_eq!(check.code, 0, "{check:#?}");
    assert!(check.stdout.contains("Martin Okafor 3"));
}

#[tokio::test]
async fn the_demo_serves_and_the_login_it_prints_works() {
    let db = TempDb::new();
    let mut server = Server::start(&db.url, &["demo", "--bind", "127.0.0.1:0"]);
    let banner = server.read_until("same password").join("\n");
    assert!(banner.contains("demo@keel.local"), "{banner}");
    assert!(banner.contains("keel-demo-2026"), "{banner}");
    assert!(
        banner.contains(&format!("{}/login", server.base)),
        "{banner}"
    );

    let session = sign_in(&server.base, "demo@keel.local", "keel-demo-2026").await;
    let (status, body) =
        get_with_session(&format!("{}/w/northwind-demo", server.base), &session).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Northwind Analytics (demo)"));
    assert!(body.contains("Priya Raman"));
}

#[tokio::test]
async fn the_demo_has_a_history_of_reviews_that_ended_in_decisions() {
    let db = TempDb::new();
    db.keel(&["demo", "--no-serve"]).ok();
    let store = Store::open(&db.url).await.unwrap();
    let ws = store
        .find_workspace_by_slug("northwind-demo")
        .await
        .unwrap()
        .unwrap();
    let m = store.model(ws.id).await.unwrap();
    assert_eq!(m.review_cadences.len(), 3);
    assert!(m.reviews.len() >= 7, "{}", m.reviews.len());
    for r in &m.reviews {
        assert_eq!(r.status, keel_domain::review::ReviewStatus::Closed);
        assert!(
            m.decisions.iter().any(|d| d.review_id == Some(r.id)),
            "every demo review ended in a decision"
        );
        assert!(r.average_rating().is_some());
    }
    let today = m.today();
    assert!(
        m.decisions.iter().any(|d| d.is_past_due(today)),
        "one decision is open past due, for the agenda and Home"
    );
    assert!(keel_domain::review::follow_through(&m.decisions, today).is_some());
    let rules: Vec<_> = keel_domain::health::check(&m)
        .into_iter()
        .map(|f| f.rule)
        .collect();
    assert!(rules.contains(&"decision.past-due"), "{rules:?}");
    assert!(!rules.contains(&"review.no-outcome"), "{rules:?}");
    // A confirmed "stop" retired an SOP; one decision was taken between reviews.
    let retired = m
        .workflows
        .iter()
        .find(|w| w.spec.name == "Printed customer newsletter")
        .expect("the newsletter's SOP");
    assert_eq!(
        retired.spec.status,
        keel_domain::workflow::WorkflowStatus::Retired
    );
    assert!(m.decisions.iter().any(|d| d.review_id.is_none()));
    store.close().await;
}

#[tokio::test]
async fn the_demo_traces_most_of_its_work_and_lists_the_rest() {
    let db = TempDb::new();
    db.keel(&["demo", "--no-serve"]).ok();
    let store = Store::open(&db.url).await.unwrap();
    let ws = store
        .find_workspace_by_slug("northwind-demo")
        .await
        .unwrap()
        .unwrap();
    let m = store.model(ws.id).await.unwrap();
    let f = keel_domain::fit::strategic_fit(&m);
    assert_eq!(f.traced_items, 5, "{f:?}");
    let untraced: Vec<&str> = f.untraced.iter().map(|u| u.title.as_str()).collect();
    assert!(
        untraced.contains(&"LinkedIn test: CFO audience, demo offer"),
        "{untraced:?}"
    );
    assert!(untraced.contains(&"Guide: closing the books in five days"));
    store.close().await;
}

#[tokio::test]
async fn the_demo_has_a_webhook_with_a_delivery_log() {
    let db = TempDb::new();
    db.keel(&["demo", "--no-serve"]).ok();
    let store = Store::open(&db.url).await.unwrap();
    let ws = store
        .find_workspace_by_slug("northwind-demo")
        .await
        .unwrap()
        .unwrap();
    let hooks = store.list_webhooks(ws.id).await.unwrap();
    assert_eq!(hooks.len(), 1);
    let log = store
        .list_deliveries(ws.id, hooks[0].id, None, 100)
        .await
        .unwrap();
    assert!(log.len() >= 3, "{log:?}");
    let types: Vec<&str> = log.iter().map(|d| d.event_type.as_str()).collect();
    assert!(
        types.contains(&"ping") && types.contains(&"work.launched"),
        "{types:?}"
    );
    // Nothing is left for a served demo to send, and one delivery needed a retry.
    assert_eq!(store.webhook_queue_depth().await.unwrap(), 0);
    assert!(log
        .iter()
        .any(|d| d.attempts == 2 && d.last_status_code == Some(200)));
    store.close().await;
}

/// The benchmark seeds (`bench/work.sh`, `bench/agenda.sh`, `bench/workspaces.sh`) move every
/// item through gates that need the decision owner's approval and copy the demo workspace; a
/// small run keeps them from breaking unseen.
#[tokio::test]
async fn the_benchmark_seed_moves_work_through_approval_gates() {
    let db = TempDb::new();
    let out = db.keel(&[
        "demo",
        "--no-serve",
        "--workflows",
        "6",
        "--work-items",
        "60",
        "--review-years",
        "1",
        "--workspaces",
        "3",
        "--strategy-bench",
    ]);
    assert_eq!(out.code, 0, "{out:#?}");
    let store = Store::open(&db.url).await.unwrap();
    let slugs: Vec<String> = store
        .list_workspaces()
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.slug)
        .collect();
    assert_eq!(slugs.len(), 3, "{slugs:?}");
    assert!(slugs.contains(&"northwind-demo-3".to_string()), "{slugs:?}");
    let ws = store
        .find_workspace_by_slug("northwind-demo")
        .await
        .unwrap()
        .unwrap();
    let m = store.model(ws.id).await.unwrap();
    let bench: Vec<_> = m
        .workflows
        .iter()
        .filter(|w| w.spec.name.starts_with("Bench workflow"))
        .collect();
    assert_eq!(bench.len(), 6);
    let items = m
        .work
        .iter()
        .filter(|w| w.title.starts_with("Bench item"))
        .count();
    assert_eq!(items, 60, "every bench item was made and moved");
    let bench_metrics = m
        .metrics
        .iter()
        .filter(|x| x.name.starts_with("Benchmark metric"))
        .count();
    assert_eq!((bench_metrics, m.priorities.len() >= 200), (100, true));
    store.close().await;
}
