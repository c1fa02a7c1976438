use super::*;
use std::net::IpAddr;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn internal_addresses_are_refused_and_public_ones_are_not() {
    for (a, kind) in [
        ("127.0.0.1", AddressKind::Loopback),
        ("127.8.9.10", AddressKind::Loopback),
        ("::1", AddressKind::Loopback),
        ("10.1.2.3", AddressKind::Private),
        ("172.16.0.1", AddressKind::Private),
        ("172.31.255.255", AddressKind::Private),
        ("192.168.1.20", AddressKind::Private),
        ("100.64.0.1", AddressKind::Private),
        ("169.254.169.254", AddressKind::LinkLocal),
        ("fe80::1", AddressKind::LinkLocal),
        ("fd00::1", AddressKind::UniqueLocal),
        ("fc12:3456::1", AddressKind::UniqueLocal),
        ("224.0.0.1", AddressKind::Multicast),
        ("ff02::1", AddressKind::Multicast),
        ("255.255.255.255", AddressKind::Multicast),
        ("0.0.0.0", AddressKind::Unspecified),
        ("::", AddressKind::Unspecified),
        ("240.0.0.1", AddressKind::Reserved),
        // IPv6 addresses that reach an IPv4 one are judged by it.
        ("::ffff:127.0.0.1", AddressKind::Loopback),
        ("::ffff:10.0.0.1", AddressKind::Private),
        ("64:ff9b::a9fe:a9fe", AddressKind::LinkLocal),
        ("2002:7f00:1::", AddressKind::Loopback),
        ("::127.0.0.1", AddressKind::Loopback),
    ] {
        assert_eq!(refused(ip(a)), Some(kind), "{a}");
    }
    for a in [
        "203.0.113.5",
        "8.8.8.8",
        "172.32.0.1",
        "100.128.0.1",
        "2001:db8::1",
        "2606:4700::1111",
        "::ffff:8.8.8.8",
    ] {
        assert_eq!(refused(ip(a)), None, "{a}");
    }
}

#[test]
fn targets_are_http_or_https_with_a_host_and_no_credentials() {
    let t = target(" https://Hooks.Example.com/keel?x=1 ").unwrap();
    assert_eq!(t.url, "https://Hooks.Example.com/keel?x=1");
    assert_eq!(t.host, Host::Name("hooks.example.com".into()));
    assert_eq!((t.https, t.port), (true, 443));
    let t = target("http://[::1]:8080/in").unwrap();
    assert_eq!((t.host, t.port), (Host::Ip(ip("::1")), 8080));
    let t = target("http://203.0.113.5/in").unwrap();
    assert_eq!((t.host, t.port), (Host::Ip(ip("203.0.113.5")), 80));

    for (bad, says) in [
        ("", "Enter the address"),
        ("hooks.example.com/keel", "Start the address with https://"),
        ("ftp://hooks.example.com/", "https:// (or http://) only"),
        ("javascript:alert(1)", "Start the address"),
        (
            "https://user:pass@hooks.example.com/",
            "user name and password",
        ),
        ("https://@hooks.example.com/", "user name and password"),
        ("https:///keel", "no server name"),
        ("https://hooks.example.com:0/", "port"),
        ("https://hooks.example.com:99999/", "port"),
        ("https://hooks.example.com:http/", "port"),
        ("https://hooks.example.com/#frag", "Leave out the #"),
        ("https://hooks example.com/", "spaces"),
        ("https://evil.com\\@127.0.0.1/", "backslashes"),
        ("http://2130706433/", "four numbers"),
        ("http://0x7f.1/", "four numbers"),
        ("http://127.1/", "four numbers"),
        ("https://bad_-.example..com/", "letters, digits"),
        ("https://exämple.com/", "xn--"),
        ("http://[::1/", "closing ]"),
        ("http://[::1]x/", "Only a port"),
        ("http://[nope]/", "not an IPv6"),
    ] {
        let m = target(bad).expect_err(bad);
        assert!(m.contains(says), "{bad}: {m}");
    }
    let long = format!("https://example.com/{}", "a".repeat(URL_MAX));
    assert!(target(&long).unwrap_err().contains("under"));
}

#[test]
fn private_targets_are_refused_at_save_unless_the_operator_allows_them() {
    let input = |url: &str| SubscriptionInput {
        url: url.into(),
        description: "CRM sync".into(),
        event_types: vec!["work.launched".into()],
        active: true,
    };
    for url in [
        "http://127.0.0.1:9000/hook",
        "http://10.0.0.8/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://localhost:3000/hook",
        "http://api.localhost/hook",
        "http://[::ffff:192.168.0.1]/",
    ] {
        let e = SubscriptionDraft::parse(&input(url), false).expect_err(url);
        let m = e.message_for("url").unwrap();
        assert!(m.contains("public internet"), "{url}: {m}");
        assert!(m.contains(ALLOW_PRIVATE_SETTING), "{m}");
        assert!(SubscriptionDraft::parse(&input(url), true).is_ok(), "{url}");
    }
    let d = SubscriptionDraft::parse(&input("https://hooks.example.com/keel"), false).unwrap();
    assert_eq!(d.event_types, vec![EventType::WorkLaunched]);
    assert_eq!(d.description.as_deref(), Some("CRM sync"));
}

#[test]
fn a_subscription_needs_events_it_can_have_and_says_everything_at_once() {
    let e = SubscriptionDraft::parse(
        &SubscriptionInput {
            url: "hooks.example.com".into(),
            description: "x".repeat(DESCRIPTION_MAX + 1),
            event_types: vec![],
            active: true,
        },
        false,
    )
    .unwrap_err();
    assert!(e.message_for("url").unwrap().contains("https://"));
    assert!(e.message_for("description").unwrap().contains("under"));
    assert_eq!(
        e.message_for("event_types").unwrap(),
        "Choose at least one event to send to this address."
    );
    let e = SubscriptionDraft::parse(
        &SubscriptionInput {
            url: "https://hooks.example.com".into(),
            event_types: vec!["work.moved".into(), "lead.created".into()],
            ..Default::default()
        },
        false,
    )
    .unwrap_err();
    let m = e.message_for("event_types").unwrap();
    assert!(
        m.contains("\"lead.created\"") && m.contains("work.launched"),
        "{m}"
    );
    // Twice the same event is once.
    let d = SubscriptionDraft::parse(
        &SubscriptionInput {
            url: "https://hooks.example.com".into(),
            event_types: vec![
                "work.moved".into(),
                "work.blocked".into(),
                "work.moved".into(),
            ],
            ..Default::default()
        },
        false,
    )
    .unwrap();
    assert_eq!(
        d.event_types,
        vec![EventType::WorkMoved, EventType::WorkBlocked]
    );
    assert!(!d.active);
    assert_eq!(d.description, None);
}

#[test]
fn event_types_are_stored_so_one_like_finds_them() {
    let s = stored_types(&[EventType::WorkMoved, EventType::ImportFinished]);
    assert_eq!(s, ",work.moved,import.finished,");
    assert_eq!(
        read_types(&s),
        vec![EventType::WorkMoved, EventType::ImportFinished]
    );
    assert_eq!(subscribed_pattern(EventType::WorkMoved), "%,work.moved,%");
    for t in EventType::ALL {
        assert_eq!(EventType::parse(t.as_str()), Some(t));
    }
}

#[test]
fn a_failed_delivery_waits_longer_each_time_then_gives_up() {
    let waits: Vec<Option<u64>> = (1..=6).map(|n| retry_delay(n, &RETRY_DELAYS)).collect();
    assert_eq!(
        waits,
        vec![
            Some(10),
            Some(60),
            Some(300),
            Some(1_800),
            Some(7_200),
            None
        ]
    );
    assert_eq!(retry_delay(0, &RETRY_DELAYS), None);
    assert_eq!(retry_delay(1, &[]), None);
    assert!(delivered(200) && delivered(204) && !delivered(301) && !delivered(500));
}

#[test]
fn a_move_sends_blocked_launched_or_moved() {
    use crate::work::transition::{EventKind, Outcome};
    use crate::work::{WorkItem, WorkStatus};
    let item = WorkItem {
        id: 1,
        workflow_id: 1,
        title: "Spring webinar".into(),
        execution_owner_id: None,
        contributor_ids: vec![],
        stage: 2,
        status: WorkStatus::InProgress,
        estimated_hours: 1.0,
        start_date: None,
        planned_launch: None,
        actual_launch: None,
        first_review: None,
        blocked_reason: None,
        blocked_since: None,
        blocked_seconds: 0,
        revisions: 0,
        created_at: 0,
        launched_at: None,
        version: 1,
    };
    let outcome = |event: EventKind, status: WorkStatus, launched_at: Option<i64>| Outcome {
        next: WorkItem {
            status,
            launched_at,
            ..item.clone()
        },
        at: 100,
        event,
        note: None,
        stage: 2,
        approval: None,
        clear_approvals_from: None,
    };
    assert_eq!(
        EventType::for_move(&outcome(EventKind::Blocked, WorkStatus::Blocked, None)),
        EventType::WorkBlocked
    );
    assert_eq!(
        EventType::for_move(&outcome(
            EventKind::Advanced,
            WorkStatus::Launched,
            Some(100)
        )),
        EventType::WorkLaunched
    );
    // Done after a launch long ago is a move, not another launch.
    assert_eq!(
        EventType::for_move(&outcome(EventKind::Done, WorkStatus::Done, Some(5))),
        EventType::WorkMoved
    );
    assert_eq!(
        EventType::for_move(&outcome(EventKind::Unblocked, WorkStatus::InProgress, None)),
        EventType::WorkMoved
    );
}
