//! Erasing a person (GDPR): their personal fields are removed and their name and email are
//! taken out of every text of the workspace, in one transaction. The person's row stays, with
//! its id, so history (events, roles, owners) keeps its shape and points at "Erased person #id".

use crate::audit::erase::{json_forms, scrub_person};
use crate::portable::{Kind, TABLES};
use crate::{now, tx, Result, Store, StoreError, WorkspaceId};
use keel_domain::person::{erased_name, erasure_terms};

/// What an erasure changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    /// The person's name from now on.
    pub name: String,
    /// Rows other than the person's whose text named them.
    pub texts: u64,
}

impl Store {
    pub async fn erase_person(&self, ws: WorkspaceId, id: i64) -> Result<Erased> {
        let t = now();
        let name = erased_name(id);
        let out = tx!(self, tx => {
            let found: Option<(String, Option<String>)> = sqlx::query_as(
                "SELECT name, email FROM people WHERE workspace_id = $1 AND id = $2")
                .bind(ws).bind(id).fetch_optional(&mut *tx).await?;
            let (old_name, email) = found.ok_or(StoreError::NotFound)?;
            sqlx::query(
                "UPDATE people SET name = $3, email = NULL, title = NULL, organization = NULL, user_id = NULL,
                    version = version + 1, updated_at = $4 WHERE workspace_id = $1 AND id = $2")
                .bind(ws).bind(id).bind(&name).bind(t).execute(&mut *tx).await?;
            // What the person wrote in comments is theirs: its text goes, the comment's place
            // in the item's conversation stays.
            let mut texts = sqlx::query("UPDATE work_comments SET body = $3, version = version + 1, updated_at = $4 WHERE workspace_id = $1 AND author_id = $2 AND body <> $3")
                .bind(ws).bind(id).bind(crate::ERASED_COMMENT).bind(t).execute(&mut *tx).await?.rows_affected();
            for term in erasure_terms(&old_name, email.as_deref()) {
                if term == name {
                    continue;
                }
                for table in TABLES {
                    for (col, kind) in table.columns {
                        if !matches!(kind, Kind::Text | Kind::Spec) || (table.name == "people" && *col == "name") {
                            continue;
                        }
                        let sql = format!(
                            "UPDATE {t} SET {col} = replace({col}, $2, $3)
                             WHERE workspace_id = $1 AND {col} IS NOT NULL AND replace({col}, $2, $3) <> {col}",
                            t = table.name);
                        texts += sqlx::query(&sql).bind(ws).bind(&term).bind(&name)
                            .execute(&mut *tx).await?.rows_affected();
                    }
                }
            }
            if let Some(email) = &email {
                sqlx::query("DELETE FROM invites WHERE workspace_id = $1 AND used_at IS NULL AND lower(email) = lower($2)")
                    .bind(ws).bind(email).execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE calendar_feeds SET revoked_at = $3 WHERE workspace_id = $1 AND person_id = $2 AND revoked_at IS NULL")
                .bind(ws).bind(id).bind(t).execute(&mut *tx).await?;
            // Last, so the entries this erasure itself wrote are scrubbed too: the audit log
            // keeps who changed what and when, without the person's name or email. Both its
            // tables: the newest entries wait in `audit_recent` until they move.
            for log in ["audit_log", "audit_recent"] {
                for term in erasure_terms(&old_name, email.as_deref()) {
                    if term == name {
                        continue;
                    }
                    for form in json_forms(&term) {
                        sqlx::query(&format!(
                            "UPDATE {log} SET before = replace(before, $2, $3), after = replace(after, $2, $3)
                             WHERE workspace_id = $1 AND (replace(before, $2, $3) <> before OR replace(after, $2, $3) <> after)"))
                            .bind(ws).bind(&form).bind(&name).execute(&mut *tx).await?;
                    }
                }
                let own: Vec<(i64, Option<String>, Option<String>)> = sqlx::query_as(&format!(
                    "SELECT id, before, after FROM {log} WHERE workspace_id = $1 AND record_type = 'people' AND record_id = $2"))
                    .bind(ws).bind(id.to_string()).fetch_all(&mut *tx).await?;
                for (entry, before, after) in own {
                    sqlx::query(&format!("UPDATE {log} SET before = $2, after = $3 WHERE id = $1"))
                        .bind(entry).bind(scrub_person(before, &name)).bind(scrub_person(after, &name))
                        .execute(&mut *tx).await?;
                }
            }
            Erased { name: name.clone(), texts }
        });
        Ok(out)
    }
}
