//! The audit log, on both backends: every table of workspace data has its triggers (a table
//! added later gets them at the next migrate), an entry names its author, the record and the
//! fields before and after, a refused write leaves none, and erasing a person keeps the
//! entries without their name.

use keel_domain::{PersonDraft, PersonKind, Role};
use keel_store::audit::{scope, Actor, NOT_AUDITED};
use keel_store::{AuditFilter, Store, StoreError};
use sqlx::Connection;

fn person(name: &str, email: Option<&str>) -> PersonDraft {
    PersonDraft {
        name: name.into(),
        kind: PersonKind::Internal,
        organization: Some("Acme".into()),
        title: Some("Lead".into()),
        email: email.map(str::to_string),
        weekly_capacity: 40.0,
        user_id: None,
    }
}

fn all() -> AuditFilter {
    AuditFilter {
        limit: 200,
        ..AuditFilter::default()
    }
}

keel_testkit::each_backend!(every_table_of_workspace_data_has_audit_triggers, |db| {
    let s: Store = db.store().await;
    let tables = s.describe_audit().await.unwrap();
    assert!(tables.len() > 40, "{tables:?}");
    for (table, audited, triggers) in &tables {
        if *audited {
            assert!(
                !triggers.is_empty(),
                "{table} holds workspace data but has no audit trigger"
            );
        } else {
            assert!(
                triggers.is_empty(),
                "{table} is not audited yet has {triggers:?}"
            );
        }
    }
    for t in [
        "people",
        "work_items",
        "memberships",
        "api_tokens",
        "workspaces",
        "leads",
    ] {
        assert!(
            tables.iter().any(|(n, a, _)| n == t && *a),
            "{t} should be audited"
        );
    }
    for (t, _) in NOT_AUDITED {
        assert!(
            tables.iter().any(|(n, a, _)| n == t && !*a),
            "NOT_AUDITED names {t}, which is no table"
        );
    }
    // Migrating again changes nothing.
    s.migrate().await.unwrap();
    assert_eq!(s.describe_audit().await.unwrap(), tables);
    s.close().await;
    db.cleanup().await;
});

keel_testkit::each_backend!(a_table_added_later_is_audited_by_the_next_migrate, |db| {
    let s: Store = db.store().await;
    let ws = s.create_workspace("acme", "Acme", None).await.unwrap().id;
    let ddl = "CREATE TABLE probe_notes (id BIGINT PRIMARY KEY, workspace_id BIGINT NOT NULL, body TEXT NOT NULL)";
    let insert = "INSERT INTO probe_notes (id, workspace_id, body) VALUES (7, $1, 'hello')";
    if db.url.starts_with("postgres") {
        let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::query(ddl).execute(&mut c).await.unwrap();
        s.migrate().await.unwrap();
        sqlx::query(insert).bind(ws).execute(&mut c).await.unwrap();
    } else {
        let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        sqlx::query(ddl).execute(&mut c).await.unwrap();
        s.migrate().await.unwrap();
        sqlx::query(insert).bind(ws).execute(&mut c).await.unwrap();
    }
    let e = &s
        .list_audit(
            ws,
            &AuditFilter {
                record_type: Some("probe_notes".into()),
                ..all()
            },
        )
        .await
        .unwrap()[0];
    assert_eq!(e.action, "insert");
    assert_eq!(e.record_id.as_deref(), Some("7"));
    // Written outside keel: nobody's, never the last writer's.
    assert_eq!((e.actor_user_id, e.via.as_str()), (None, "database"));
    assert_eq!(e.after.as_ref().unwrap()["body"], "hello");
    s.close().await;
    db.cleanup().await;
});

keel_testkit::each_backend!(
    a_change_names_its_author_and_the_fields_before_and_after,
    |db| {
        let s: Store = db.store().await;
        let ws = s.create_workspace("acme", "Acme", None).await.unwrap().id;
        let ana = s
            .create_user("ana@acme.test", "Ana Ruiz", "x")
            .await
            .unwrap();
        s.add_member(ws, ana.id, Role::Admin).await.unwrap();
        let token = s
            .create_token(ws, ana.id, "script", "hash-of-secret", Role::Admin)
            .await
            .unwrap();
        let (lena, updated) = scope(Actor::token(ana.id, token.id), async {
            let lena = s
                .create_person(ws, &person("Lena Ortiz", Some("lena@acme.test")))
                .await
                .unwrap();
            let mut d = person("Lena Ortiz-Wu", Some("lena@acme.test"));
            d.weekly_capacity = 32.0;
            let updated = s
                .update_person(ws, lena.id, lena.version, &d)
                .await
                .unwrap();
            // A stale write changes nothing and records nothing.
            assert!(matches!(
                s.update_person(ws, lena.id, lena.version, &d).await,
                Err(StoreError::Stale { .. })
            ));
            (lena, updated)
        })
        .await;
        // Outside any request: keel's own, not the last author's.
        s.delete_person(ws, lena.id, updated.version).await.unwrap();

        let of_lena = s
            .list_audit(
                ws,
                &AuditFilter {
                    record_type: Some("people".into()),
                    record_id: Some(lena.id.to_string()),
                    ..all()
                },
            )
            .await
            .unwrap();
        let actions: Vec<&str> = of_lena.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["delete", "update", "insert"], "newest first");
        let (delete, update, insert) = (&of_lena[0], &of_lena[1], &of_lena[2]);
        for e in [update, insert] {
            assert_eq!(e.actor_user_id, Some(ana.id));
            assert_eq!(e.actor_token_id, Some(token.id));
            assert_eq!(e.actor_name.as_deref(), Some("Ana Ruiz"));
            assert_eq!(e.actor_token_name.as_deref(), Some("script"));
            assert_eq!(e.via, "api");
        }
        assert_eq!(
            (delete.actor_user_id, delete.via.as_str()),
            (None, "system")
        );
        let before = update.before.as_ref().unwrap();
        let after = update.after.as_ref().unwrap();
        assert_eq!(before["name"], "Lena Ortiz");
        assert_eq!(after["name"], "Lena Ortiz-Wu");
        assert_eq!(before["weekly_capacity"].as_f64(), Some(40.0));
        assert_eq!(after["weekly_capacity"].as_f64(), Some(32.0));
        assert!(before.get("workspace_id").is_none());
        let changed: Vec<String> = update.changes().into_iter().map(|c| c.0).collect();
        assert!(changed.contains(&"name".to_string()), "{changed:?}");
        assert!(!changed.contains(&"email".to_string()), "{changed:?}");
        assert!(insert.before.is_none() && delete.after.is_none());
        assert_eq!(delete.before.as_ref().unwrap()["name"], "Lena Ortiz-Wu");

        // Token and membership changes are in it, without the token's secret.
        let tokens = s
            .list_audit(
                ws,
                &AuditFilter {
                    record_type: Some("api_tokens".into()),
                    ..all()
                },
            )
            .await
            .unwrap();
        assert_eq!(tokens.len(), 1);
        assert!(tokens[0]
            .after
            .as_ref()
            .unwrap()
            .get("token_hash")
            .is_none());
        let members = s
            .list_audit(
                ws,
                &AuditFilter {
                    record_type: Some("memberships".into()),
                    ..all()
                },
            )
            .await
            .unwrap();
        assert_eq!(members[0].after.as_ref().unwrap()["role"], "admin");

        // By person, by period, a page at a time.
        let by_ana = s
            .list_audit(
                ws,
                &AuditFilter {
                    user_id: Some(ana.id),
                    ..all()
                },
            )
            .await
            .unwrap();
        assert_eq!(by_ana.len(), 2);
        let first = s
            .list_audit(ws, &AuditFilter { limit: 2, ..all() })
            .await
            .unwrap();
        let next = s
            .list_audit(
                ws,
                &AuditFilter {
                    limit: 2,
                    before_id: Some(first[1].id),
                    ..all()
                },
            )
            .await
            .unwrap();
        assert!(next[0].id < first[1].id);
        let later = s
            .list_audit(
                ws,
                &AuditFilter {
                    from: Some(keel_store_now() + 3600),
                    ..all()
                },
            )
            .await
            .unwrap();
        assert!(later.is_empty());
        // Another workspace sees none of it.
        let other = s.create_workspace("other", "Other", None).await.unwrap().id;
        assert!(s
            .list_audit(
                other,
                &AuditFilter {
                    record_type: Some("people".into()),
                    ..all()
                }
            )
            .await
            .unwrap()
            .is_empty());
        s.close().await;
        db.cleanup().await;
    }
);

fn keel_store_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

keel_testkit::each_backend!(sign_ins_are_shown_to_the_workspaces_of_the_account, |db| {
    let s: Store = db.store().await;
    let ws = s.create_workspace("acme", "Acme", None).await.unwrap().id;
    let other = s.create_workspace("other", "Other", None).await.unwrap().id;
    let ana = s
        .create_user("ana@acme.test", "Ana Ruiz", "x")
        .await
        .unwrap();
    s.add_member(ws, ana.id, Role::Member).await.unwrap();
    s.record_account_event(ana.id, keel_store::audit::SIGN_IN_FAILED)
        .await
        .unwrap();
    s.record_account_event(ana.id, keel_store::audit::SIGN_IN)
        .await
        .unwrap();
    // The operator sets a new password: recorded without an author (not the account's own).
    s.set_password(ana.id, "new hash").await.unwrap();
    let f = AuditFilter {
        record_type: Some("account".into()),
        ..all()
    };
    let seen = s.list_audit(ws, &f).await.unwrap();
    let actions: Vec<(&str, Option<i64>)> = seen
        .iter()
        .map(|e| (e.action.as_str(), e.actor_user_id))
        .collect();
    assert_eq!(
        actions,
        [
            ("password_set", None),
            ("sign_in", Some(ana.id)),
            ("sign_in_failed", None)
        ]
    );
    assert!(s.list_audit(other, &f).await.unwrap().is_empty());
    s.close().await;
    db.cleanup().await;
});

keel_testkit::each_backend!(
    erasing_a_person_keeps_the_entries_without_their_name_or_email,
    |db| {
        let s: Store = db.store().await;
        let ws = s.create_workspace("acme", "Acme", None).await.unwrap().id;
        let lena = s
            .create_person(ws, &person("Lena Ortiz", Some("lena@acme.test")))
            .await
            .unwrap();
        let mut d = person("Lena Ortiz", Some("lena@acme.test"));
        d.title = Some("Head of demand".into());
        s.update_person(ws, lena.id, lena.version, &d)
            .await
            .unwrap();
        let before = s.list_audit(ws, &all()).await.unwrap().len();
        s.erase_person(ws, lena.id).await.unwrap();
        let entries = s.list_audit(ws, &all()).await.unwrap();
        assert!(entries.len() > before, "the erasure is in the log too");
        let text = serde_json::to_string(&entries).unwrap();
        for gone in ["Lena Ortiz", "lena@acme.test", "Head of demand"] {
            assert!(!text.contains(gone), "{gone} is still in the log: {text}");
        }
        let own: Vec<_> = entries
            .iter()
            .filter(|e| e.record_type == "people" && e.record_id == Some(lena.id.to_string()))
            .collect();
        assert_eq!(
            own.len(),
            3,
            "insert, update and the erasure keep their place"
        );
        assert_eq!(
            own[2].after.as_ref().unwrap()["name"],
            format!("Erased person #{}", lena.id)
        );
        s.close().await;
        db.cleanup().await;
    }
);

/// Runs one statement on a connection of its own, outside keel (as the sqlite3 shell or psql
/// would), and returns the first column of its row, if any.
async fn outside(url: &str, sql: &str) -> Option<i64> {
    if url.starts_with("postgres") {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_scalar(sql)
            .fetch_optional(&mut c)
            .await
            .unwrap()
    } else {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_scalar(sql)
            .fetch_optional(&mut c)
            .await
            .unwrap()
    }
}

keel_testkit::each_backend!(
    entries_wait_unindexed_then_move_into_the_log_with_their_ids_and_authors,
    |db| {
        let s: Store = db.store().await;
        let ws = s.create_workspace("acme", "Acme", None).await.unwrap().id;
        let ana = s.create_user("ana@acme.test", "Ana", "x").await.unwrap();
        let ben = s.create_user("ben@acme.test", "Ben", "x").await.unwrap();
        s.settle_audit().await.unwrap();
        // Authors take turns, and a write from outside keel comes between two of Ana's: each
        // entry names its own author (keel names the author only when it changes).
        let p1 = scope(Actor::web(Some(ana.id)), async {
            s.create_person(ws, &person("Lena", None)).await.unwrap()
        })
        .await;
        let p2 = scope(Actor::web(Some(ben.id)), async {
            s.create_person(ws, &person("Omar", None)).await.unwrap()
        })
        .await;
        let p1 = scope(Actor::web(Some(ana.id)), async {
            let mut d = person("Lena", None);
            d.weekly_capacity = 30.0;
            s.update_person(ws, p1.id, p1.version, &d).await.unwrap()
        })
        .await;
        outside(
            &db.url,
            &format!(
                "UPDATE people SET weekly_capacity = 12 WHERE id = {}",
                p2.id
            ),
        )
        .await;
        scope(Actor::web(Some(ana.id)), async {
            let mut d = person("Lena", None);
            d.weekly_capacity = 20.0;
            s.update_person(ws, p1.id, p1.version, &d).await.unwrap()
        })
        .await;

        // They wait in the unindexed table until moved, then move once, all of them.
        assert_eq!(
            outside(&db.url, "SELECT count(*) FROM audit_recent").await,
            Some(5)
        );
        assert_eq!(s.settle_audit().await.unwrap(), 5);
        assert_eq!(s.settle_audit().await.unwrap(), 0);
        assert_eq!(
            outside(&db.url, "SELECT count(*) FROM audit_recent").await,
            Some(0)
        );
        let people = AuditFilter {
            record_type: Some("people".into()),
            ..all()
        };
        let log = s.list_audit(ws, &people).await.unwrap();
        let seen: Vec<(String, Option<i64>, &str)> = log
            .iter()
            .rev()
            .map(|e| {
                (
                    e.record_id.clone().unwrap(),
                    e.actor_user_id,
                    e.action.as_str(),
                )
            })
            .collect();
        let (one, two) = (p1.id.to_string(), p2.id.to_string());
        assert_eq!(
            seen,
            [
                (one.clone(), Some(ana.id), "insert"),
                (two.clone(), Some(ben.id), "insert"),
                (one.clone(), Some(ana.id), "update"),
                (two, None, "update"),
                (one, Some(ana.id), "update"),
            ]
        );
        assert_eq!(log[1].via, "database", "the write from outside keel");
        // An update keeps only the fields it changed, on both backends.
        let kept = log[0].before.as_ref().unwrap().as_object().unwrap();
        assert!(
            kept.contains_key("weekly_capacity") && !kept.contains_key("name"),
            "{kept:?}"
        );
        let changed: Vec<String> = log[0].changes().into_iter().map(|c| c.0).collect();
        assert!(
            changed.contains(&"weekly_capacity".to_string())
                && !changed.contains(&"name".to_string()),
            "{changed:?}"
        );
        // Numbering goes on after the waiting table emptied: no id is given twice.
        let newest = log[0].id;
        scope(Actor::web(Some(ben.id)), async {
            s.delete_person(ws, p1.id, p1.version + 1).await.unwrap()
        })
        .await;
        let after = s.list_audit(ws, &people).await.unwrap();
        assert!(after[0].id > newest, "{} after {newest}", after[0].id);
        assert_eq!(
            (after[0].action.as_str(), after[0].actor_user_id),
            ("delete", Some(ben.id))
        );
        s.close().await;
        db.cleanup().await;
    }
);
