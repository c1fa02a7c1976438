//! The Store contract: the same tests on SQLite and, when configured, on PostgreSQL, each on
//! a fresh database.

use keel_domain::{FunctionDraft, PersonDraft, PersonKind, Role, Sourcing};
use keel_store::{Store, StoreError};

/// One test per backend, `$name::sqlite` and `$name::postgres` (ignored unless run with
/// `--include-ignored`), with `$store` bound to a freshly migrated Store.
macro_rules! contract {
    ($name:ident, |$store:ident| $body:block) => {
        keel_testkit::each_backend!($name, |db| {
            let $store: Store = db.store().await;
            $body
            $store.close().await;
            db.cleanup().await;
        });
    };
}

fn person(name: &str, kind: PersonKind) -> PersonDraft {
    PersonDraft {
        name: name.into(),
        kind,
        organization: kind.is_external().then(|| "Northwind".to_string()),
        title: None,
        email: None,
        weekly_capacity: 20.0,
        user_id: None,
    }
}

fn function(name: &str, business: Option<i64>) -> FunctionDraft {
    FunctionDraft {
        name: name.into(),
        description: None,
        sourcing: Sourcing::Hybrid,
        business_owner_id: business,
        execution_owner_id: None,
        weekly_hours: 4.0,
    }
}

contract!(
    a_new_workspace_starts_with_the_function_catalogue_and_its_owner,
    |store| {
        let u = store
            .create_user("ana@acme.test", "Ana", "hash")
            .await
            .unwrap();
        let ws = store
            .create_workspace("acme", "Acme", Some(u.id))
            .await
            .unwrap();
        let fs = store.list_functions(ws.id).await.unwrap();
        assert_eq!(fs.len(), 8);
        assert!(fs.iter().any(|f| f.name == "Marketing operations"));
        let m = store
            .workspace_for_member("acme", u.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (m.workspace.id, m.role, m.person_id),
            (ws.id, Role::Owner, None)
        );
        assert!(store
            .workspace_for_member("acme", u.id + 1)
            .await
            .unwrap()
            .is_none());
    }
);

contract!(slugs_and_emails_are_unique_with_a_plain_message, |store| {
    store
        .create_user("ana@acme.test", "Ana", "h")
        .await
        .unwrap();
    let e = store
        .create_user("ana@acme.test", "Ana", "h")
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Conflict(ref m) if m.contains("already exists")),
        "{e}"
    );
    store.create_workspace("acme", "Acme", None).await.unwrap();
    let e = store
        .create_workspace("acme", "Other", None)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e}");
});

contract!(
    records_of_one_workspace_are_not_found_from_another,
    |store| {
        let a = store.create_workspace("a-co", "A", None).await.unwrap();
        let b = store.create_workspace("b-co", "B", None).await.unwrap();
        let pb = store
            .create_person(b.id, &person("Bo", PersonKind::Internal))
            .await
            .unwrap();
        assert!(store.find_person(a.id, pb.id).await.unwrap().is_none());
        let e = store
            .update_person(a.id, pb.id, 1, &person("X", PersonKind::Internal))
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound));
        assert!(matches!(
            store.delete_person(a.id, pb.id, 1).await,
            Err(StoreError::NotFound)
        ));
        let fb = store.list_functions(b.id).await.unwrap()[0].clone();
        assert!(store.find_function(a.id, fb.id).await.unwrap().is_none());
        assert!(matches!(
            store.delete_function(a.id, fb.id, 1).await,
            Err(StoreError::NotFound)
        ));
        assert!(store.list_people(a.id).await.unwrap().is_empty());
    }
);

contract!(
    a_stale_version_is_refused_and_nothing_is_overwritten,
    |store| {
        let ws = store.create_workspace("acme", "Acme", None).await.unwrap();
        let p = store
            .create_person(ws.id, &person("Ana", PersonKind::Internal))
            .await
            .unwrap();
        assert_eq!(p.version, 1);
        let p2 = store
            .update_person(ws.id, p.id, 1, &person("Ana B", PersonKind::Internal))
            .await
            .unwrap();
        assert_eq!(p2.version, 2);
        let e = store
            .update_person(ws.id, p.id, 1, &person("Ana C", PersonKind::Internal))
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Stale { current: 2 }), "{e}");
        assert_eq!(
            store.find_person(ws.id, p.id).await.unwrap().unwrap().name,
            "Ana B"
        );
        assert!(matches!(
            store.delete_person(ws.id, p.id, 1).await,
            Err(StoreError::Stale { current: 2 })
        ));
        store.delete_person(ws.id, p.id, 2).await.unwrap();
        assert!(store.find_person(ws.id, p.id).await.unwrap().is_none());
    }
);

contract!(
    functions_keep_owners_and_lose_them_when_the_person_is_deleted,
    |store| {
        let ws = store.create_workspace("acme", "Acme", None).await.unwrap();
        let p = store
            .create_person(ws.id, &person("Ana", PersonKind::Internal))
            .await
            .unwrap();
        let f = store
            .create_function(ws.id, &function("Events", Some(p.id)))
            .await
            .unwrap();
        assert_eq!(f.business_owner_id, Some(p.id));
        let e = store
            .create_function(ws.id, &function("Events", None))
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Conflict(ref m) if m.contains("Events")),
            "{e}"
        );
        store.delete_person(ws.id, p.id, 1).await.unwrap();
        let f = store.find_function(ws.id, f.id).await.unwrap().unwrap();
        assert_eq!(f.business_owner_id, None);
        let f2 = store
            .update_function(ws.id, f.id, f.version, &function("Field events", None))
            .await
            .unwrap();
        assert_eq!(
            (f2.name.as_str(), f2.version),
            ("Field events", f.version + 1)
        );
    }
);

contract!(
    sessions_are_found_by_hash_and_deleted_with_the_password,
    |store| {
        let u = store
            .create_user("ana@acme.test", "Ana", "h")
            .await
            .unwrap();
        store.create_session("hash1", u.id, "csrf").await.unwrap();
        let (s, here) = store.find_session("hash1", None).await.unwrap().unwrap();
        assert_eq!(
            (s.user_id, s.email.as_str(), s.csrf_token.as_str()),
            (u.id, "ana@acme.test", "csrf")
        );
        assert!(here.is_none());
        assert!(store.find_session("other", None).await.unwrap().is_none());
        store.set_password(u.id, "h2").await.unwrap();
        assert!(store.find_session("hash1", None).await.unwrap().is_none());
    }
);

contract!(
    a_session_carries_the_membership_of_the_workspace_it_names,
    |store| {
        let u = store
            .create_user("ana@acme.test", "Ana", "h")
            .await
            .unwrap();
        let other = store.create_user("bo@acme.test", "Bo", "h").await.unwrap();
        let ws = store
            .create_workspace("acme", "Acme", Some(u.id))
            .await
            .unwrap();
        store
            .create_workspace("globex", "Globex", Some(other.id))
            .await
            .unwrap();
        store
            .add_member(ws.id, other.id, Role::Partner)
            .await
            .unwrap();
        let linked = store
            .create_person(
                ws.id,
                &PersonDraft {
                    user_id: Some(other.id),
                    ..person("Bo", PersonKind::Agency)
                },
            )
            .await
            .unwrap();
        store.create_session("s-ana", u.id, "c").await.unwrap();
        store.create_session("s-bo", other.id, "c").await.unwrap();

        let (_, here) = store
            .find_session("s-ana", Some("acme"))
            .await
            .unwrap()
            .unwrap();
        let here = here.expect("a member of acme");
        assert_eq!(
            (here.workspace.id, here.role, here.person_id),
            (ws.id, Role::Owner, None)
        );
        let (_, here) = store
            .find_session("s-bo", Some("acme"))
            .await
            .unwrap()
            .unwrap();
        let here = here.expect("a partner of acme");
        assert_eq!(
            (here.role, here.person_id),
            (Role::Partner, Some(linked.id))
        );
        // Not a member of globex, and no workspace is called nowhere: the session stands, the
        // membership does not.
        let (s, here) = store
            .find_session("s-ana", Some("globex"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((s.user_id, here.is_none()), (u.id, true));
        let (_, here) = store
            .find_session("s-ana", Some("nowhere"))
            .await
            .unwrap()
            .unwrap();
        assert!(here.is_none());
        let m = store
            .workspace_for_member("acme", other.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.person_id, Some(linked.id));
    }
);

contract!(login_failures_count_within_a_window_and_clear, |store| {
    for _ in 0..3 {
        store
            .count_login_attempt("acct:ana", "addr:x", 900)
            .await
            .unwrap();
    }
    assert_eq!(store.login_failures("acct:ana", 900).await.unwrap(), 3);
    assert_eq!(store.login_failures("acct:bob", 900).await.unwrap(), 0);
    store.clear_login_failures("acct:ana").await.unwrap();
    assert_eq!(store.login_failures("acct:ana", 900).await.unwrap(), 0);
});

contract!(an_invite_is_used_once, |store| {
    let owner = store.create_user("o@acme.test", "O", "h").await.unwrap();
    let joiner = store.create_user("j@acme.test", "J", "h").await.unwrap();
    let other = store.create_user("x@acme.test", "X", "h").await.unwrap();
    let ws = store
        .create_workspace("acme", "Acme", Some(owner.id))
        .await
        .unwrap();
    let far = i64::MAX / 2;
    let inv = store
        .create_invite(ws.id, "code", Role::Partner, None, owner.id, far)
        .await
        .unwrap();
    assert_eq!(
        store.find_invite_by_code("code").await.unwrap().unwrap().id,
        inv.id
    );
    store.accept_invite(inv.id, joiner.id).await.unwrap();
    assert!(matches!(
        store.accept_invite(inv.id, other.id).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store
            .find_member(ws.id, joiner.id)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Partner
    );
    let expired = store
        .create_invite(ws.id, "old", Role::Member, None, owner.id, 1)
        .await
        .unwrap();
    assert!(matches!(
        store.accept_invite(expired.id, other.id).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(store.find_member(ws.id, other.id).await.unwrap().is_none());
});

contract!(the_last_owner_cannot_leave_or_be_demoted, |store| {
    let owner = store.create_user("o@acme.test", "O", "h").await.unwrap();
    let ws = store
        .create_workspace("acme", "Acme", Some(owner.id))
        .await
        .unwrap();
    assert!(matches!(
        store.set_member_role(ws.id, owner.id, 1, Role::Admin).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.remove_member(ws.id, owner.id, 1).await,
        Err(StoreError::Conflict(_))
    ));
    let second = store.create_user("s@acme.test", "S", "h").await.unwrap();
    store
        .add_member(ws.id, second.id, Role::Owner)
        .await
        .unwrap();
    store
        .set_member_role(ws.id, owner.id, 1, Role::Admin)
        .await
        .unwrap();
    assert_eq!(store.list_members(ws.id).await.unwrap().len(), 2);
});

contract!(
    a_role_change_names_the_version_it_was_made_against,
    |store| {
        let owner = store.create_user("o@acme.test", "O", "h").await.unwrap();
        let ws = store
            .create_workspace("acme", "Acme", Some(owner.id))
            .await
            .unwrap();
        let m = store.create_user("m@acme.test", "M", "h").await.unwrap();
        store.add_member(ws.id, m.id, Role::Member).await.unwrap();
        let seen = store.find_member(ws.id, m.id).await.unwrap().unwrap();
        // A first admin makes M a viewer; a second, who saw the same page, tries to make M an admin.
        store
            .set_member_role(ws.id, m.id, seen.version, Role::Viewer)
            .await
            .unwrap();
        let late = store
            .set_member_role(ws.id, m.id, seen.version, Role::Admin)
            .await;
        assert!(matches!(late, Err(StoreError::Stale { current }) if current == seen.version + 1));
        assert!(matches!(
            store.remove_member(ws.id, m.id, seen.version).await,
            Err(StoreError::Stale { .. })
        ));
        let now = store.find_member(ws.id, m.id).await.unwrap().unwrap();
        assert_eq!(now.role, Role::Viewer);
        assert!(matches!(
            store.set_member_role(ws.id, 9_999, 1, Role::Viewer).await,
            Err(StoreError::NotFound)
        ));
        store.remove_member(ws.id, m.id, now.version).await.unwrap();
        assert!(store.find_member(ws.id, m.id).await.unwrap().is_none());
    }
);

contract!(tokens_resolve_until_revoked_with_the_lower_role, |store| {
    let u = store.create_user("o@acme.test", "O", "h").await.unwrap();
    let ws = store.create_workspace("acme", "Acme", None).await.unwrap();
    store.add_member(ws.id, u.id, Role::Member).await.unwrap();
    let t = store
        .create_token(ws.id, u.id, "script", "thash", Role::Admin)
        .await
        .unwrap();
    let a = store.authenticate_token("thash").await.unwrap().unwrap();
    assert_eq!((a.workspace_id, a.role), (ws.id, Role::Member));
    store.revoke_token(ws.id, t.id).await.unwrap();
    assert!(store.authenticate_token("thash").await.unwrap().is_none());
    assert_eq!(store.list_tokens(ws.id, Some(u.id)).await.unwrap().len(), 1);
});

contract!(
    every_change_to_the_model_bumps_the_workspace_data_version,
    |store| {
        let u = store.create_user("o@acme.test", "O", "h").await.unwrap();
        let ws = store
            .create_workspace("acme", "Acme", Some(u.id))
            .await
            .unwrap();
        let v0 = store
            .workspace_for_member("acme", u.id)
            .await
            .unwrap()
            .unwrap()
            .workspace
            .data_version;
        let p = store
            .create_person(ws.id, &person("Ana", PersonKind::Internal))
            .await
            .unwrap();
        let v1 = store
            .workspace_for_member("acme", u.id)
            .await
            .unwrap()
            .unwrap()
            .workspace
            .data_version;
        assert!(v1 > v0);
        store.delete_person(ws.id, p.id, 1).await.unwrap();
        let v2 = store
            .workspace_for_member("acme", u.id)
            .await
            .unwrap()
            .unwrap()
            .workspace
            .data_version;
        assert!(v2 > v1);
        // Another workspace's version does not move.
        let other = store
            .create_workspace("other", "Other", Some(u.id))
            .await
            .unwrap();
        let before = store
            .workspace_for_member("other", u.id)
            .await
            .unwrap()
            .unwrap()
            .workspace
            .data_version;
        store
            .create_person(ws.id, &person("Bo", PersonKind::Internal))
            .await
            .unwrap();
        assert_eq!(
            store
                .workspace_for_member("other", u.id)
                .await
                .unwrap()
                .unwrap()
                .workspace
                .data_version,
            before
        );
        let _ = other;
    }
);
