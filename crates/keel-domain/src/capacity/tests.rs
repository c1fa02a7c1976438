use super::*;
use crate::work::WorkStatus;
use crate::{PersonKind, Sourcing};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

pub(crate) fn person(id: i64, kind: PersonKind, capacity: f64) -> Person {
    Person {
        id,
        name: format!("P{id}"),
        kind,
        organization: kind.is_external().then(|| "Agency".to_string()),
        title: None,
        email: None,
        weekly_capacity: capacity,
        user_id: None,
        version: 1,
    }
}

pub(crate) fn function(id: i64, b: Option<i64>, e: Option<i64>, hours: f64) -> Function {
    Function {
        id,
        name: format!("F{id}"),
        description: None,
        sourcing: Sourcing::Hybrid,
        business_owner_id: b,
        execution_owner_id: e,
        weekly_hours: hours,
        version: 1,
    }
}

fn commitment(id: i64, person: i64, kind: CommitmentKind, hours: f64) -> Commitment {
    Commitment {
        id,
        person_id: person,
        label: format!("C{id}"),
        kind,
        hours,
        workflow_id: None,
        version: 1,
    }
}

pub(crate) fn item(
    id: i64,
    owner: i64,
    hours: f64,
    start: Option<&str>,
    launch: Option<&str>,
) -> WorkItem {
    WorkItem {
        id,
        workflow_id: 1,
        title: format!("W{id}"),
        execution_owner_id: Some(owner),
        contributor_ids: vec![],
        stage: 0,
        status: WorkStatus::InProgress,
        estimated_hours: hours,
        start_date: start.map(d),
        planned_launch: launch.map(d),
        actual_launch: None,
        first_review: None,
        blocked_reason: None,
        blocked_since: None,
        blocked_seconds: 0,
        revisions: 0,
        created_at: d("2026-11-16").0 * 86_400,
        launched_at: None,
        version: 1,
    }
}

// 2026-11-25 is a Wednesday; its week starts on Monday 2026-11-23.
const TODAY: &str = "2026-11-25";

#[test]
fn recurring_commitments_count_every_week_deciding_and_meetings_included() {
    let p = person(1, PersonKind::Internal, 40.0);
    let fs = [
        function(10, Some(1), Some(1), 6.0),
        function(11, Some(1), None, 30.0),
    ];
    let cs = [
        commitment(1, 1, CommitmentKind::Deciding, 3.0),
        commitment(2, 1, CommitmentKind::Meetings, 4.5),
        commitment(3, 1, CommitmentKind::Managing, 5.0),
        commitment(4, 2, CommitmentKind::Other, 9.0),
    ];
    let l = person_load(&p, &fs, &cs, &[], d(TODAY), &Zone::utc());
    assert_eq!(l.recurring_hours(), 18.5);
    assert_eq!(l.weeks.len(), WEEKS_SHOWN);
    assert!(l.weeks.iter().all(|w| w.total == 18.5 && w.one_off == 0.0));
    assert_eq!(l.weeks[0].start, d("2026-11-23"));
    assert_eq!(l.weeks[8].start, d("2027-01-18"));
    assert_eq!((l.decides, l.executes), (2, 1));
    assert_eq!(l.percent(), Some(46));
    assert!(!l.over_capacity());
}

#[test]
fn one_off_work_is_spread_over_the_weeks_from_start_to_launch() {
    let p = person(1, PersonKind::Internal, 15.0);
    // 120 h over six weeks (23 Nov .. 28 Dec) is 20 h a week, not 120.
    let work = [item(1, 1, 120.0, Some("2026-11-23"), Some("2026-12-30"))];
    let l = person_load(&p, &[], &[], &work, d(TODAY), &Zone::utc());
    let hours: Vec<f64> = l.weeks.iter().map(|w| w.total).collect();
    assert_eq!(hours, [20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 0.0, 0.0, 0.0]);
    assert_eq!(l.hours(), 20.0);
    assert!(l.over_capacity());
    assert_eq!(l.weeks_over(), 6);
    assert_eq!(l.one_off[0].span, Span::Planned);
    assert_eq!(l.one_off[0].span.note(), None);
}

#[test]
fn work_without_dates_gets_the_default_span_and_says_so() {
    let p = person(1, PersonKind::Internal, 40.0);
    let work = [
        // No start: the four weeks up to the launch week (week of 14 Dec).
        item(1, 1, 8.0, None, Some("2026-12-16")),
        // No launch: four weeks from the start week.
        item(2, 1, 4.0, Some("2026-12-07"), None),
        // No dates: four weeks from the week it was created (16 Nov).
        item(3, 1, 40.0, None, None),
    ];
    let l = person_load(&p, &[], &[], &work, d(TODAY), &Zone::utc());
    let spans: Vec<Span> = l.one_off.iter().map(|o| o.span).collect();
    assert_eq!(spans, [Span::NoStart, Span::NoLaunch, Span::NoDates]);
    assert!(l.one_off.iter().skip(1).all(|o| o.span.note().is_some()));
    assert!(l.one_off[0].span.note().unwrap().contains("4 weeks"));
    let hours: Vec<f64> = l.weeks.iter().map(|w| w.one_off).collect();
    // weeks: 23 Nov, 30 Nov, 7 Dec, 14 Dec, 21 Dec, 28 Dec, ...
    assert_eq!(hours, [12.0, 12.0, 13.0, 3.0, 1.0, 1.0, 0.0, 0.0, 0.0]);
}

#[test]
fn late_open_work_keeps_its_weekly_share_this_week_and_closed_work_counts_nothing() {
    let p = person(1, PersonKind::Internal, 40.0);
    let mut done = item(2, 1, 50.0, Some("2026-11-23"), Some("2026-11-27"));
    done.status = WorkStatus::Done;
    let mut other = item(3, 2, 50.0, Some("2026-11-23"), Some("2026-11-27"));
    other.contributor_ids = vec![1];
    let work = [
        item(1, 1, 10.0, Some("2026-11-02"), Some("2026-11-13")),
        done,
        other,
    ];
    let l = person_load(&p, &[], &[], &work, d(TODAY), &Zone::utc());
    assert_eq!(l.one_off.len(), 1);
    assert!(l.one_off[0].late);
    let hours: Vec<f64> = l.weeks.iter().map(|w| w.total).collect();
    assert_eq!(hours, [5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
}

#[test]
fn the_team_pass_gives_each_person_what_person_load_gives() {
    let people = [
        person(1, PersonKind::Internal, 40.0),
        person(2, PersonKind::Agency, 10.0),
        person(3, PersonKind::Internal, 20.0),
    ];
    let fs = [
        function(10, Some(1), Some(2), 12.0),
        function(11, Some(1), Some(1), 5.0),
    ];
    let cs = [commitment(1, 1, CommitmentKind::Meetings, 3.0)];
    let work = [
        item(1, 1, 30.0, Some("2026-11-23"), Some("2026-12-04")),
        item(2, 3, 9.0, None, None),
    ];
    let all = team(&people, &fs, &cs, &work, d(TODAY), &Zone::utc());
    for (p, l) in people.iter().zip(&all) {
        assert_eq!(l, &person_load(p, &fs, &cs, &work, d(TODAY), &Zone::utc()));
    }
    let (t, internal) = totals(&all.iter().collect::<Vec<_>>());
    assert_eq!(
        (t.people, t.hours, t.capacity, t.over_capacity),
        (3, 37.3, 70.0, 1)
    );
    assert_eq!(
        (internal.people, internal.hours, internal.capacity),
        (2, 25.3, 60.0)
    );
    assert_eq!(t.percent(), Some(53));
}

#[test]
fn estimates_have_bounds_that_say_what_to_change() {
    assert!(check_estimate(120.0, Some(d("2026-11-23")), Some(d("2026-12-30"))).is_ok());
    let e = check_estimate(1000.0, None, None).unwrap_err();
    assert!(e.contains("at most 500"), "{e}");
    let e = check_estimate(120.0, Some(d("2026-11-23")), Some(d("2026-11-25"))).unwrap_err();
    assert!(
        e.contains("120 hours over 1 week is 120 hours a week"),
        "{e}"
    );
    // Without dates the default span applies: 320 h over 4 weeks is 80 h a week.
    assert!(check_estimate(320.0, None, None).is_ok());
    assert!(check_estimate(321.0, None, None).is_err());
}

#[test]
fn a_commitment_parses_and_a_workflow_link_follows_its_decision_owner() {
    let i = |kind: &str, hours: &str, wf: &str| CommitmentInput {
        label: "Weekly review".into(),
        kind: kind.into(),
        hours: hours.into(),
        workflow_id: wf.into(),
    };
    let ok = CommitmentDraft::parse(&i("deciding", "2,5", "7"), 1, &[(7, Some(1))]).unwrap();
    assert_eq!(
        (ok.kind, ok.hours, ok.workflow_id),
        (CommitmentKind::Deciding, 2.5, Some(7))
    );
    let e = CommitmentDraft::parse(&i("meetings", "0", ""), 1, &[]).unwrap_err();
    assert!(e.message_for("hours").unwrap().contains("more than 0"));
    let e = CommitmentDraft::parse(&i("meetings", "81", ""), 1, &[]).unwrap_err();
    assert!(e.message_for("hours").unwrap().contains("80"));
    let e = CommitmentDraft::parse(&i("deciding", "2", "7"), 2, &[(7, Some(1))]).unwrap_err();
    assert!(e
        .message_for("workflow_id")
        .unwrap()
        .contains("not the decision owner"));
    let e = CommitmentDraft::parse(&i("meetings", "2", "7"), 1, &[(7, Some(1))]).unwrap_err();
    assert!(e.message_for("workflow_id").is_some());
    let e = CommitmentDraft::parse(&i("naps", "2", "9"), 1, &[]).unwrap_err();
    let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["kind", "workflow_id"]);
}
