//! The workspace export covers every table of workspace data, and an import refuses a bad
//! document with a message naming what is wrong, changing nothing.

use keel_domain::{PersonDraft, PersonKind};
use keel_store::portable::tables::Kind;
use keel_store::{Document, Store, StoreError, EXPORTED_TABLES, NOT_EXPORTED};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

keel_testkit::each_backend!(
    every_table_with_a_workspace_id_is_exported_or_says_why,
    |db| {
        let s: Store = db.store().await;
        let mut schema: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (table, column, _, _) in s.describe_schema().await.unwrap() {
            schema.entry(table).or_default().insert(column);
        }
        let exported: BTreeSet<&str> = EXPORTED_TABLES.iter().map(|t| t.name).collect();
        let left_out: BTreeSet<&str> = NOT_EXPORTED.iter().map(|t| t.0).collect();
        for (table, columns) in &schema {
            if !columns.contains("workspace_id") {
                continue;
            }
            assert!(
            exported.contains(table.as_str()) || left_out.contains(table.as_str()),
            "the table {table} holds workspace data but the workspace export neither writes it \
             (keel-store/src/portable/tables.rs TABLES) nor says why not (NOT_EXPORTED)"
        );
        }
        for t in EXPORTED_TABLES {
            let mut columns = schema
                .get(t.name)
                .unwrap_or_else(|| panic!("exported table {} is not in the schema", t.name))
                .clone();
            assert!(
                columns.remove("workspace_id"),
                "{} has no workspace_id",
                t.name
            );
            let described: BTreeSet<String> = t.columns.iter().map(|c| c.0.to_string()).collect();
            assert_eq!(
                described, columns,
                "the export's columns of {} differ from the schema's",
                t.name
            );
            // Every reference points at a table exported before this one.
            for (_, k) in t.columns {
                if let Kind::Ref(to) = k {
                    let at = |n: &str| EXPORTED_TABLES.iter().position(|t| t.name == n).unwrap();
                    assert!(
                        at(to) <= at(t.name),
                        "{} refers to {to}, exported later",
                        t.name
                    );
                }
            }
        }
        for (t, _) in NOT_EXPORTED {
            assert!(
                schema.contains_key(*t),
                "NOT_EXPORTED names {t}, which is no table"
            );
        }
        s.close().await;
        db.cleanup().await;
    }
);

fn person(name: &str, email: &str) -> PersonDraft {
    PersonDraft {
        name: name.into(),
        kind: PersonKind::Internal,
        organization: Some("Acme".into()),
        title: Some("Lead".into()),
        email: Some(email.into()),
        weekly_capacity: 40.0,
        user_id: None,
    }
}

async fn counts(s: &Store) -> (usize, usize) {
    let ws = s.list_workspaces().await.unwrap();
    let mut people = 0;
    for w in &ws {
        people += s.list_people(w.id).await.unwrap().len();
    }
    (ws.len(), people)
}

fn refused(bytes: &[u8]) -> String {
    Document::parse(bytes).expect_err("the document should be refused")
}

keel_testkit::each_backend!(
    a_bad_document_is_refused_by_name_and_changes_nothing,
    |db| {
        let s: Store = db.store().await;
        let ws = s.create_workspace("acme", "Acme", None).await.unwrap().id;
        let lena = s
            .create_person(ws, &person("Lena Ortiz", "lena@acme.test"))
            .await
            .unwrap();
        let doc = s.export_workspace(ws).await.unwrap();
        let again = s.export_workspace(ws).await.unwrap();
        assert_eq!(
            doc.to_bytes(),
            again.to_bytes(),
            "two exports of the same data differ"
        );
        let before = counts(&s).await;
        let value: serde_json::Value = serde_json::from_slice(&doc.to_bytes()).unwrap();

        assert!(refused(b"{\"format\": 1,").contains("it is not JSON"));
        assert!(refused(b"[1, 2]").contains("no `format` field"));
        let mut newer = value.clone();
        newer["format"] = json!(3);
        let m = refused(newer.to_string().as_bytes());
        assert!(m.contains("format 3, written by a newer keel"), "{m}");

        // A function whose business owner is not in the file.
        let mut dangling = value.clone();
        let functions = dangling["tables"]["functions"].as_array_mut().unwrap();
        let fid = functions[0]["id"].clone();
        functions[0]["business_owner_id"] = json!(lena.id + 999);
        let m = refused(dangling.to_string().as_bytes());
        assert_eq!(
        m,
        format!(
            "functions id {fid} refers in `business_owner_id` to people id {}, which the file does not hold.",
            lena.id + 999
        )
    );
        let mut unknown = value.clone();
        unknown["tables"]["people"][0]["shoe_size"] = json!(44);
        assert!(refused(unknown.to_string().as_bytes()).contains("a column `shoe_size`"));
        let mut table = value.clone();
        table["tables"]["rockets"] = json!([]);
        assert!(refused(table.to_string().as_bytes()).contains("a table `rockets`"));
        let mut wrong = value.clone();
        wrong["tables"]["people"][0]["weekly_capacity"] = json!("forty");
        let m = refused(wrong.to_string().as_bytes());
        assert!(
            m.contains("`weekly_capacity` must be a number or null"),
            "{m}"
        );

        // A document that reads well but breaks a rule of the database half-way: two functions
        // with one name. The whole import is undone.
        let mut twice = value.clone();
        let functions = twice["tables"]["functions"].as_array_mut().unwrap();
        let name = functions[0]["name"].clone();
        functions.last_mut().unwrap()["name"] = name;
        let doc2 = Document::parse(twice.to_string().as_bytes()).unwrap();
        match s
            .import_workspace(&doc2, "acme-copy", "Acme copy", None)
            .await
        {
            Err(StoreError::Conflict(m)) => assert!(m.contains("two functions"), "{m}"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(
            counts(&s).await,
            before,
            "a refused import changed the database"
        );
        assert!(s
            .find_workspace_by_slug("acme-copy")
            .await
            .unwrap()
            .is_none());

        // The same slug as an existing workspace is refused too.
        match s.import_workspace(&doc, "acme", "Acme", None).await {
            Err(StoreError::Conflict(m)) => assert!(m.contains("'acme' is taken"), "{m}"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        // And the good document imports, its people with new ids.
        let done = s
            .import_workspace(&doc, "acme-copy", "Acme copy", None)
            .await
            .unwrap();
        let people = s.list_people(done.workspace.id).await.unwrap();
        assert_eq!(people.len(), 1);
        assert_ne!(people[0].id, lena.id);
        assert_eq!(people[0].email.as_deref(), Some("lena@acme.test"));
        s.close().await;
        db.cleanup().await;
    }
);
