//! Decisions that act, each after a confirmation: a "stop" retires the workflow it links (off
//! the board and the new-work pickers, its history and work still readable), a "pause"
//! recorded from the decision log pauses a channel, and a quarterly review proposes a routine
//! that decides nothing for retirement, which a "stop" decision switches off.

mod common;

use common::{Browser, TestApp};
use keel_domain::review::{DecisionDraft, DecisionKind, DecisionStatus, Kind};
use keel_domain::workflow::WorkflowStatus;
use keel_domain::{Date, PersonKind};
use keel_store::Closing;

async fn post(b: &Browser, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    let r = b.post_form(path, fields).await;
    let s = r.status().as_u16();
    let loc = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (s, loc, r.text().await.unwrap())
}

fn today() -> Date {
    keel_web::time_fmt::today(&keel_domain::Zone::utc())
}

keel_testkit::each_backend!(
    a_confirmed_stop_retires_the_workflow_and_it_leaves_the_board_and_pickers,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let ana = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", ana).await;
        let maya = app.person(&ws, "Maya Lind", PersonKind::Internal).await;
        let newsletter = app.workflow(&ws, "Monthly newsletter", maya).await;
        let campaign = app.workflow(&ws, "Campaign launch", maya).await;
        let issue = app
            .work(&ws, newsletter, "December issue", Some(maya))
            .await;
        app.work(&ws, campaign, "Spring webinar", Some(maya)).await;
        let b = app.sign_in("ana@acme.test").await;
        let (s, review, _) = post(&b, "/w/acme/reviews", &[("kind", "weekly")]).await;
        assert_eq!(s, 303);
        let maya_s = maya.to_string();
        let ev = format!("workflow:{newsletter}");
        let due = today().to_string();
        let fields = [
            ("what", "Stop the newsletter: nobody opens it"),
            ("kind", "stop"),
            ("rationale", "Open rate under 8% for six issues"),
            ("owner_id", maya_s.as_str()),
            ("due", due.as_str()),
            ("evidence", ev.as_str()),
        ];
        let (s, _, body) = post(&b, &format!("{review}/decisions"), &fields).await;
        assert_eq!(s, 200);
        assert!(
            body.contains("This decision retires: the workflow Monthly newsletter"),
            "the confirmation names what it retires"
        );
        assert!(
            body.contains("Stop the newsletter"),
            "what was typed is kept"
        );
        let wf = app
            .store
            .find_workflow(ws.id, newsletter)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(
            wf.spec.status,
            WorkflowStatus::Retired,
            "nothing before the confirmation"
        );
        let mut confirmed = fields.to_vec();
        confirmed.push(("confirm", "yes"));
        let (s, loc, _) = post(&b, &format!("{review}/decisions"), &confirmed).await;
        assert_eq!(
            (s, loc.ends_with("notice=decision-acted")),
            (303, true),
            "{loc}"
        );
        let wf = app
            .store
            .find_workflow(ws.id, newsletter)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(wf.spec.status, WorkflowStatus::Retired);

        // Off the board, even when asked for by id; off the new-work picker.
        let (_, board) = b.text("/w/acme/work/board").await;
        assert!(board.contains("Spring webinar"), "{board}");
        assert!(!board.contains("December issue"));
        assert!(!board.contains(">Monthly newsletter<"));
        let (_, board) = b
            .text(&format!("/w/acme/work/board?workflow={newsletter}"))
            .await;
        assert!(!board.contains("December issue"));
        let (_, new) = b.text("/w/acme/work/new").await;
        assert!(new.contains(">Campaign launch<"));
        assert!(!new.contains(">Monthly newsletter<"), "{new}");
        let nl = newsletter.to_string();
        let (s, _, body) = post(
            &b,
            "/w/acme/work",
            &[
                ("workflow_id", nl.as_str()),
                ("title", "January issue"),
                ("estimated_hours", "4"),
            ],
        )
        .await;
        assert_eq!(s, 422);
        assert!(body.contains("Monthly newsletter is retired: no new work starts in it"));
        // Its work and its history stay readable.
        let (s, item) = b.text(&format!("/w/acme/work/{issue}")).await;
        assert_eq!(s, 200);
        assert!(item.contains("December issue"));
        let (_, list) = b.text(&format!("/w/acme/work?workflow={newsletter}")).await;
        assert!(list.contains("December issue"));
        let (_, page) = b.text(&format!("/w/acme/workflows/{newsletter}")).await;
        assert!(page.contains("This workflow is retired"));
        assert!(!page.contains(&format!("/work/new?workflow={newsletter}")));
        let (s, history) = b
            .text(&format!("/w/acme/workflows/{newsletter}/history"))
            .await;
        assert_eq!(s, 200);
        assert!(history.contains("retired"), "the retirement is a version");
        app.stop().await;
    }
);

keel_testkit::each_backend!(
    a_decision_outside_a_review_is_recorded_from_the_log_and_pauses_a_channel,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let ana = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", ana).await;
        let maya = app.person(&ws, "Maya Lind", PersonKind::Internal).await;
        let channel = app
            .store
            .create_channel(ws.id, &common::channel("Webinars"))
            .await
            .unwrap()
            .id;
        let b = app.sign_in("ana@acme.test").await;
        let (_, log) = b.text("/w/acme/decisions").await;
        assert!(log.contains("Record a decision taken outside a review"));
        let ev = format!("channel:{channel}");
        let due = today().add_days(14).to_string();
        // No owner: refused with the reason, what was typed kept.
        let (s, _, body) = post(
            &b,
            "/w/acme/decisions",
            &[
                ("what", "Pause webinars for the holidays"),
                ("kind", "pause"),
                ("due", due.as_str()),
                ("evidence", ev.as_str()),
            ],
        )
        .await;
        assert_eq!(s, 422);
        assert!(body.contains("A decision needs one owner"));
        assert!(body.contains("Pause webinars for the holidays"));
        assert!(app.store.list_decisions(ws.id).await.unwrap().is_empty());
        let maya_s = maya.to_string();
        let fields = [
            ("what", "Pause webinars for the holidays"),
            ("kind", "pause"),
            ("category", "capacity"),
            ("owner_id", maya_s.as_str()),
            ("due", due.as_str()),
            ("evidence", ev.as_str()),
        ];
        let (s, _, body) = post(&b, "/w/acme/decisions", &fields).await;
        assert_eq!(s, 200);
        assert!(body.contains("This decision pauses: the channel Webinars"));
        let mut confirmed = fields.to_vec();
        confirmed.push(("confirm", "yes"));
        let (s, loc, _) = post(&b, "/w/acme/decisions", &confirmed).await;
        assert_eq!(
            (s, loc.as_str()),
            (303, "/w/acme/decisions?notice=decision-paused")
        );
        let c = app
            .store
            .find_channel(ws.id, channel)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.status.as_str(), "paused");
        let d = &app.store.list_decisions(ws.id).await.unwrap()[0];
        assert_eq!((d.review_id, d.decided_on), (None, today()));
        let (_, log) = b.text("/w/acme/decisions?kind=pause").await;
        assert!(log.contains("Pause webinars for the holidays"));
        app.stop().await;
    }
);

keel_testkit::each_backend!(
    a_quarterly_review_proposes_an_idle_routine_and_a_stop_switches_it_off,
    |db| {
        let app = TestApp::start(db, keel_web::Config::default()).await;
        let ana = app.user("ana@acme.test", "Ana").await;
        let ws = app.workspace("acme", ana).await;
        let maya = app.person(&ws, "Maya Lind", PersonKind::Internal).await;
        let day = today();
        app.store
            .put_review_cadence(
                ws.id,
                &keel_domain::review::CadenceDraft {
                    kind: Kind::Monthly,
                    interval: 1,
                    weekday: 2,
                    time_minutes: 600,
                    facilitator_id: Some(maya),
                    attendee_ids: vec![maya],
                    active: true,
                },
                None,
                day.add_days(-120),
            )
            .await
            .unwrap();
        // Three monthly reviews that decided only "no change".
        for back in [90, 60, 30] {
            let r = app
                .store
                .open_review(
                    ws.id,
                    Kind::Monthly,
                    day.add_days(-back),
                    Some(maya),
                    &[maya],
                )
                .await
                .unwrap();
            let nc = DecisionDraft {
                what: "Keep everything as it is".into(),
                kind: DecisionKind::NoChange,
                category: None,
                rationale: Some("Nothing moved".into()),
                evidence: vec![],
                owner_id: maya,
                due: None,
                status: DecisionStatus::Open,
            };
            app.store
                .create_decision(ws.id, Some(r.id), r.date, &nc, false)
                .await
                .unwrap();
            app.store
                .close_review(ws.id, r.id, r.version, &Closing::default())
                .await
                .unwrap();
        }
        let b = app.sign_in("ana@acme.test").await;
        let (_, health) = b.text("/w/acme/health").await;
        assert!(health.contains("review.idle-cadence"), "{health}");
        // The monthly review shows its own agenda.
        let (s, monthly, _) = post(&b, "/w/acme/reviews", &[("kind", "monthly")]).await;
        assert_eq!(s, 303);
        let (_, page) = b.text(&monthly).await;
        assert!(page.contains("Monthly review"));
        assert!(page.contains("Diagnose") || page.contains("Agenda"));
        // The quarterly review proposes the routine for retirement.
        let (s, quarterly, _) = post(&b, "/w/acme/reviews", &[("kind", "quarterly")]).await;
        assert_eq!(s, 303);
        let (_, page) = b.text(&quarterly).await;
        assert!(page.contains("Candidates to retire"), "{page}");
        assert!(
            page.contains(
                "The monthly review decided only &#34;no change&#34; in its last 3 meetings."
            ),
            "{page}"
        );
        assert!(page.contains("?retire=cadence:monthly"));
        // The link fills the decision in; recording it asks to confirm, then switches it off.
        let (_, filled) = b.text(&format!("{quarterly}?retire=cadence:monthly")).await;
        assert!(
            filled.contains("value=\"Retire Monthly review\""),
            "{filled}"
        );
        assert!(filled.contains("name=\"retire_cadence\" value=\"monthly\""));
        let maya_s = maya.to_string();
        let due = day.to_string();
        let fields = [
            ("what", "Retire Monthly review"),
            ("kind", "stop"),
            ("rationale", "It decided only no change"),
            ("owner_id", maya_s.as_str()),
            ("due", due.as_str()),
            ("retire_cadence", "monthly"),
        ];
        let (s, _, body) = post(&b, &format!("{quarterly}/decisions"), &fields).await;
        assert_eq!(s, 200);
        assert!(body.contains("This decision switches off: the monthly review"));
        assert!(app.store.list_review_cadences(ws.id).await.unwrap()[0].active);
        let mut confirmed = fields.to_vec();
        confirmed.push(("confirm", "yes"));
        let (s, loc, _) = post(&b, &format!("{quarterly}/decisions"), &confirmed).await;
        assert_eq!(
            (s, loc.ends_with("notice=decision-acted")),
            (303, true),
            "{loc}"
        );
        assert!(!app.store.list_review_cadences(ws.id).await.unwrap()[0].active);
        let (_, health) = b.text("/w/acme/health").await;
        assert!(!health.contains("review.idle-cadence"));
        let d = app
            .store
            .list_decisions(ws.id)
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.kind == DecisionKind::Stop)
            .expect("retiring is a decision");
        assert_eq!(d.what, "Retire Monthly review");
        app.stop().await;
    }
);
