//! Starts the real app on port 0 with a fresh database, and drives it like a browser or a
//! script would.
#![allow(dead_code)]

use keel_domain::{FunctionDraft, PersonDraft, PersonKind, Role, Sourcing};
use keel_store::{Store, Workspace};
use keel_testkit::TestDb;
use keel_web::auth::{password, secret};
use keel_web::Config;
use reqwest::{redirect::Policy, Client, Response};
use std::net::SocketAddr;

pub const PASSWORD: &str = "a long test password";

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub db: Option<TestDb>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    pub async fn start(db: TestDb, config: Config) -> TestApp {
        let store = db.store().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let s = store.clone();
        let server = tokio::spawn(async move {
            keel_web::serve(listener, s, config).await.unwrap();
        });
        TestApp {
            base: format!("http://{addr}"),
            store,
            db: Some(db),
            server,
        }
    }

    pub async fn sqlite() -> TestApp {
        TestApp::start(TestDb::sqlite().await, Config::default()).await
    }

    /// Stops the server and removes its database.
    pub async fn stop(mut self) {
        self.server.abort();
        self.store.close().await;
        if let Some(db) = self.db.take() {
            db.cleanup().await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A user with a password hash made cheaply once per test process.
    pub async fn user(&self, email: &str, name: &str) -> i64 {
        static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let h = HASH.get_or_init(|| password::hash(PASSWORD));
        self.store.create_user(email, name, h).await.unwrap().id
    }

    pub async fn workspace(&self, slug: &str, owner: i64) -> Workspace {
        self.store
            .create_workspace(slug, &format!("{slug} Inc"), Some(owner))
            .await
            .unwrap()
    }

    pub async fn member(&self, ws: &Workspace, email: &str, role: Role) -> i64 {
        let id = self.user(email, &format!("{role} user")).await;
        self.store.add_member(ws.id, id, role).await.unwrap();
        id
    }

    pub async fn token(&self, ws: &Workspace, user: i64, role: Role) -> String {
        let t = secret::generate_token();
        self.store
            .create_token(ws.id, user, "test", &secret::digest(&t), role)
            .await
            .unwrap();
        t
    }

    pub async fn person(&self, ws: &Workspace, name: &str, kind: PersonKind) -> i64 {
        let d = PersonDraft {
            name: name.into(),
            kind,
            organization: kind.is_external().then(|| "Brightline Media".into()),
            title: None,
            email: None,
            weekly_capacity: 20.0,
            user_id: None,
        };
        self.store.create_person(ws.id, &d).await.unwrap().id
    }

    pub async fn function(
        &self,
        ws: &Workspace,
        name: &str,
        business: Option<i64>,
        execution: Option<i64>,
    ) -> i64 {
        let d = FunctionDraft {
            name: name.into(),
            description: None,
            sourcing: Sourcing::Hybrid,
            business_owner_id: business,
            execution_owner_id: execution,
            weekly_hours: 5.0,
        };
        self.store.create_function(ws.id, &d).await.unwrap().id
    }

    /// A workflow from the campaign template with `person` in every role.
    pub async fn workflow(&self, ws: &Workspace, name: &str, person: i64) -> i64 {
        let t = keel_domain::workflow::templates::find("campaign-launch")
            .expect("the campaign template");
        let mut input = t.input(person, person, person, None);
        input.name = name.into();
        let people = self.store.list_people(ws.id).await.unwrap();
        let spec = keel_domain::workflow::WorkflowSpec::parse(&input, &people, &[]).unwrap();
        self.store
            .create_workflow(ws.id, &spec, None)
            .await
            .unwrap()
            .id
    }

    pub async fn work(
        &self,
        ws: &Workspace,
        workflow: i64,
        title: &str,
        owner: Option<i64>,
    ) -> i64 {
        let d = keel_domain::work::WorkDraft {
            title: title.into(),
            execution_owner_id: owner,
            contributor_ids: vec![],
            estimated_hours: 4.0,
            start_date: None,
            planned_launch: None,
            first_review: None,
        };
        self.store
            .create_work(ws.id, workflow, &d, None)
            .await
            .unwrap()
            .id
    }

    /// A HubSpot lead (created 2026-03-12) with the given source and offer; returns its id.
    pub async fn lead(&self, ws: &Workspace, external_id: &str, source: &str, offer: &str) -> i64 {
        let d = keel_domain::lead::LeadDraft {
            source_system: "hubspot".into(),
            external_id: external_id.into(),
            created: keel_domain::Date::parse("2026-03-12").unwrap(),
            source: Some(source.into()),
            offer: Some(offer.into()),
            ..Default::default()
        };
        self.store.upsert_leads(ws.id, &[d], None).await.unwrap();
        self.store
            .find_lead_by_external(ws.id, "hubspot", external_id)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    /// A recurring meeting commitment of two hours a week.
    pub async fn commitment(&self, ws: &Workspace, person: i64, label: &str) -> i64 {
        let d = keel_domain::capacity::CommitmentDraft {
            label: label.into(),
            kind: keel_domain::capacity::CommitmentKind::Meetings,
            hours: 2.0,
            workflow_id: None,
        };
        self.store
            .create_commitment(ws.id, person, &d)
            .await
            .unwrap()
            .id
    }

    /// Signs in through the real form and returns a browser-like client.
    pub async fn sign_in(&self, email: &str) -> Browser {
        let b = Browser::new(&self.base);
        let r = b
            .post_form(
                "/login",
                &[("email", email), ("password", PASSWORD), ("next", "/")],
            )
            .await;
        assert_eq!(r.status(), 303, "sign-in failed for {email}");
        b
    }
}

/// The hidden CSRF field of a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let j = html[i..].find('"')? + i;
    Some(html[i..j].to_string())
}

/// A client that keeps cookies and does not follow redirects, like a browser tab.
pub struct Browser {
    pub client: Client,
    pub base: String,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let client = Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap();
        Browser {
            client,
            base: base.into(),
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// The CSRF token a form on this page (or the sign-in page) would send.
    pub async fn csrf(&self, page: &str) -> String {
        let (_, html) = self.text(page).await;
        csrf_of(&html).unwrap_or_else(|| panic!("no csrf field on {page}"))
    }

    /// Posts a form the way the page would: with its CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let page = if path == "/login" {
            "/login"
        } else {
            "/workspaces"
        };
        let token = self.csrf(page).await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", &token)];
        all.extend_from_slice(fields);
        self.client
            .post(format!("{}{path}", self.base))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .unwrap()
    }
}

/// An API client with a bearer token.
pub struct Api {
    pub client: Client,
    pub base: String,
    pub token: String,
}

impl Api {
    pub fn new(app: &TestApp, token: &str) -> Api {
        Api {
            client: Client::new(),
            base: app.base.clone(),
            token: token.into(),
        }
    }

    pub fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self.req(reqwest::Method::GET, path).send().await.unwrap();
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut rb = self.req(method, path);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.unwrap();
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// A change to an editable record, made from the version the caller read (`If-Match`).
    pub async fn send_at(
        &self,
        method: reqwest::Method,
        path: &str,
        version: i64,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut rb = self
            .req(method, path)
            .header("if-match", format!("\"{version}\""));
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.unwrap();
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(serde_json::Value::Null))
    }
}

/// A SMART objective, ready to store.
pub fn objective(outcome: &str, owner: Option<i64>) -> keel_domain::ObjectiveDraft {
    keel_domain::ObjectiveDraft {
        outcome: outcome.into(),
        owner_id: owner,
        layer: keel_domain::objective::Layer::Business,
        metric: Some("Sales-accepted leads per month".into()),
        baseline: Some(40.0),
        target: Some(80.0),
        deadline: keel_domain::Date::parse("2099-06-30").ok(),
        serves: Some("Revenue goal".into()),
    }
}

/// A "next" priority of 4 h a week serving `objective`.
pub fn priority(title: &str, objective: i64) -> keel_domain::PriorityDraft {
    keel_domain::PriorityDraft {
        title: title.into(),
        objective_id: Some(objective),
        owner_id: None,
        rank: 1,
        status: keel_domain::priority::Status::Next,
        weekly_hours: 4.0,
        paused_id: None,
        override_reason: None,
    }
}

/// An active channel of 1,000 a month with no owner.
pub fn channel(name: &str) -> keel_domain::channel::ChannelDraft {
    keel_domain::channel::ChannelDraft {
        name: name.into(),
        owner_id: None,
        phase: keel_domain::channel::Phase::LeadNurturing,
        status: keel_domain::channel::ChannelStatus::Active,
        monthly_budget: 1000.0,
    }
}

/// A monthly outcome metric of `function` (if any), with a target of 80 leads.
pub fn metric(name: &str, function: Option<i64>) -> keel_domain::metric::MetricDraft {
    use keel_domain::metric::{Cadence, Direction, Kind, MetricType};
    keel_domain::metric::MetricDraft {
        name: name.into(),
        definition: Some("Leads accepted by sales in the month".into()),
        owner_id: None,
        source: Some("HubSpot".into()),
        unit: Some("leads".into()),
        cadence: Cadence::Monthly,
        direction: Direction::Higher,
        target: Some(80.0),
        metric_type: MetricType::Outcome,
        kind: Kind::Contribution,
        function_id: function,
        objective_id: None,
        channel_id: None,
        workflow_id: None,
        computed: None,
        family: None,
        signal: None,
        layer: None,
    }
}

impl TestApp {
    /// A metric with one value for January 2026; answers (metric id, measurement id).
    pub async fn metric_with_value(
        &self,
        ws: &Workspace,
        name: &str,
        function: Option<i64>,
    ) -> (i64, i64) {
        let m = self
            .store
            .create_metric(ws.id, &metric(name, function))
            .await
            .unwrap();
        let v = self
            .store
            .put_measurements(
                ws.id,
                m.id,
                &[keel_domain::metric::MeasurementDraft {
                    period: keel_domain::Date::parse("2026-01-01").unwrap(),
                    value: 42.0,
                    note: None,
                }],
            )
            .await
            .unwrap();
        (m.id, v[0].id)
    }
}

/// An active demo offer carried by `channels`, with no owner.
pub fn offer(name: &str, channels: Vec<i64>) -> keel_domain::offer::OfferDraft {
    keel_domain::offer::OfferDraft {
        name: name.into(),
        kind: keel_domain::offer::OfferKind::Demo,
        audience: Some("Mid-market manufacturers".into()),
        owner_id: None,
        status: keel_domain::offer::OfferStatus::Active,
        channel_ids: channels,
    }
}

impl TestApp {
    /// A segment, a primary persona in it and a program: answers their ids.
    pub async fn stack_records(&self, ws: &Workspace, prefix: &str) -> (i64, i64, i64) {
        use keel_domain::stack::{PersonaDraft, ProgramDraft, SegmentDraft};
        let segment = self
            .store
            .create_segment(
                ws.id,
                &SegmentDraft {
                    name: format!("{prefix} Segment"),
                    needs: None,
                    value_drivers: None,
                    alternatives: None,
                    evidence: None,
                    evidence_date: None,
                },
            )
            .await
            .unwrap()
            .id;
        let persona = self
            .store
            .create_persona(
                ws.id,
                &PersonaDraft {
                    segment_id: segment,
                    name: format!("{prefix} Persona"),
                    primary: true,
                    goals: None,
                    pains: None,
                    objections: None,
                },
            )
            .await
            .unwrap()
            .id;
        let program = self
            .store
            .create_program(
                ws.id,
                &ProgramDraft {
                    name: format!("{prefix} Program"),
                    phase: keel_domain::channel::Phase::LeadNurturing,
                    owner_id: None,
                    goal: None,
                    channel_ids: vec![],
                    offer_ids: vec![],
                    workflow_ids: vec![],
                },
            )
            .await
            .unwrap()
            .id;
        (segment, persona, program)
    }
}

/// A webhook to a closed port of this machine (no test reaches outside it) and one test
/// delivery of it: answers (webhook id, delivery id).
pub async fn webhook_with_delivery(app: &TestApp, ws: &Workspace) -> (i64, i64) {
    let d = keel_domain::webhook::SubscriptionDraft {
        url: "http://127.0.0.1:9/keel".into(),
        description: Some(format!("{} hook", ws.name)),
        event_types: vec![keel_domain::webhook::EventType::WorkLaunched],
        active: true,
    };
    let w = app
        .store
        .create_webhook(ws.id, &d, "whsec_fixture", None)
        .await
        .unwrap();
    let delivery = app
        .store
        .queue_test_delivery(ws.id, w.id, None)
        .await
        .unwrap();
    (w.id, delivery.id)
}
