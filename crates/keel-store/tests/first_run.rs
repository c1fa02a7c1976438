//! The first run on every backend: the first owner is made once, with their workspace and
//! person, and of two first runs at the same moment exactly one succeeds.

use keel_store::{FirstOwner, Store};

fn owner(email: &str, slug: &str) -> FirstOwner {
    FirstOwner {
        email: email.into(),
        name: "Dana Whitfield".into(),
        password_hash: "not-a-real-hash".into(),
        workspace_slug: slug.into(),
        workspace_name: "Northwind Trading".into(),
        weekly_capacity: 32.0,
    }
}

keel_testkit::each_backend!(
    the_first_owner_is_made_once_with_workspace_and_person,
    |db| {
        let store: Store = db.store().await;
        assert!(!store.has_users().await.unwrap());
        let (user, ws) = store
            .create_first_owner(&owner("dana@northwind.test", "northwind"))
            .await
            .unwrap()
            .expect("the first run succeeds while no account exists");
        assert!(store.has_users().await.unwrap());
        let mine = store.workspaces_of(user.id).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!((mine[0].0.id, mine[0].1), (ws.id, keel_domain::Role::Owner));
        let people = store.list_people(ws.id).await.unwrap();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].user_id, Some(user.id));
        assert_eq!(people[0].weekly_capacity, 32.0);
        assert!(
            !store.list_functions(ws.id).await.unwrap().is_empty(),
            "the catalogue"
        );
        // Once an account exists, a first run writes nothing.
        let again = store
            .create_first_owner(&owner("eve@elsewhere.test", "elsewhere"))
            .await
            .unwrap();
        assert!(again.is_none());
        assert!(store
            .find_user_by_email("eve@elsewhere.test")
            .await
            .unwrap()
            .is_none());
        assert!(store
            .find_workspace_by_slug("elsewhere")
            .await
            .unwrap()
            .is_none());
        store.close().await;
        db.cleanup().await;
    }
);

keel_testkit::each_backend!(
    of_two_first_runs_at_once_exactly_one_makes_an_account,
    |db| {
        let store: Store = db.store().await;
        let runs: Vec<_> = (0..6)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .create_first_owner(&owner(
                            &format!("owner{i}@race.test"),
                            &format!("team-{i}"),
                        ))
                        .await
                        .unwrap()
                        .is_some()
                })
            })
            .collect();
        let mut made = 0;
        for r in runs {
            made += r.await.unwrap() as usize;
        }
        assert_eq!(made, 1);
        assert_eq!(store.list_workspaces().await.unwrap().len(), 1);
        store.close().await;
        db.cleanup().await;
    }
);
