//! One email is one person in a workspace (migration 0017), on every backend: the index
//! holds even when the domain's check is bypassed or two saves race.

use keel_domain::{PersonDraft, PersonKind};
use keel_store::{Store, StoreError};

fn person(name: &str, email: Option<&str>) -> PersonDraft {
    PersonDraft {
        name: name.into(),
        kind: PersonKind::Internal,
        organization: None,
        title: None,
        email: email.map(str::to_string),
        weekly_capacity: 40.0,
        user_id: None,
    }
}

keel_testkit::each_backend!(
    a_second_person_with_an_email_is_refused_naming_the_first,
    |db| {
        let s: Store = db.store().await;
        let ws = s.create_workspace("acme", "Acme", None).await.unwrap().id;
        let lena = s
            .create_person(ws, &person("Lena Ortiz", Some("lena@acme.test")))
            .await
            .unwrap();
        // The domain lowercases what it parses; the index also holds for what it did not.
        match s
            .create_person(ws, &person("Lena O.", Some("LENA@acme.test")))
            .await
        {
            Err(StoreError::Conflict(m)) => assert_eq!(
                m,
                "Lena Ortiz already has the email LENA@acme.test in this workspace."
            ),
            other => panic!("expected a conflict, got {other:?}"),
        }
        // Editing someone else onto the address is refused too; Lena may keep her own.
        let tom = s.create_person(ws, &person("Tom", None)).await.unwrap();
        assert!(matches!(
            s.update_person(ws, tom.id, tom.version, &person("Tom", Some("lena@acme.test")))
                .await,
            Err(StoreError::Conflict(m)) if m.starts_with("Lena Ortiz already has")
        ));
        s.update_person(
            ws,
            lena.id,
            lena.version,
            &person("Lena Ortiz", Some("lena@acme.test")),
        )
        .await
        .unwrap();
        // Many people without an email, and the same email in another workspace, are fine.
        s.create_person(ws, &person("Ana", None)).await.unwrap();
        let other = s.create_workspace("other", "Other", None).await.unwrap().id;
        s.create_person(other, &person("Lena Ortiz", Some("lena@acme.test")))
            .await
            .unwrap();
        assert_eq!(s.list_people(ws).await.unwrap().len(), 3);
        s.close().await;
        db.cleanup().await;
    }
);
