//! People of a workspace.

use crate::WorkspaceId;
use crate::{now, read, tx, write, Result, Store, StoreError};
use keel_domain::{Person, PersonDraft, PersonKind};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    kind: String,
    organization: Option<String>,
    title: Option<String>,
    email: Option<String>,
    weekly_capacity: f64,
    user_id: Option<i64>,
    version: i64,
}

fn person(r: Row) -> Person {
    Person {
        id: r.id,
        name: r.name,
        kind: PersonKind::parse(&r.kind).unwrap_or(PersonKind::Internal),
        organization: r.organization,
        title: r.title,
        email: r.email,
        weekly_capacity: r.weekly_capacity,
        user_id: r.user_id,
        version: r.version,
    }
}

impl Store {
    pub async fn list_people(&self, ws: WorkspaceId) -> Result<Vec<Person>> {
        let rows = read!(self, p => sqlx::query_as::<_, Row>(
            "SELECT id, name, kind, organization, title, email, weekly_capacity, user_id, version
             FROM people WHERE workspace_id = $1 ORDER BY name, id")
            .bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(person).collect())
    }

    pub async fn find_person(&self, ws: WorkspaceId, id: i64) -> Result<Option<Person>> {
        let row = read!(self, p => sqlx::query_as::<_, Row>(
            "SELECT id, name, kind, organization, title, email, weekly_capacity, user_id, version
             FROM people WHERE workspace_id = $1 AND id = $2")
            .bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(person))
    }

    /// The person a user account is linked to in this workspace (a partner's own record).
    pub async fn person_of_user(&self, ws: WorkspaceId, user_id: i64) -> Result<Option<Person>> {
        let row = read!(self, p => sqlx::query_as::<_, Row>(
            "SELECT id, name, kind, organization, title, email, weekly_capacity, user_id, version
             FROM people WHERE workspace_id = $1 AND user_id = $2 ORDER BY id LIMIT 1")
            .bind(ws).bind(user_id).fetch_optional(p).await)?;
        Ok(row.map(person))
    }

    pub async fn create_person(&self, ws: WorkspaceId, d: &PersonDraft) -> Result<Person> {
        let t = now();
        let row = write!(self, p => sqlx::query_as::<_, Row>(
            "INSERT INTO people (workspace_id, name, kind, organization, title, email, weekly_capacity, user_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
             RETURNING id, name, kind, organization, title, email, weekly_capacity, user_id, version")
            .bind(ws).bind(&d.name).bind(d.kind.as_str()).bind(&d.organization).bind(&d.title)
            .bind(&d.email).bind(d.weekly_capacity).bind(d.user_id).bind(t)
            .fetch_one(p).await);
        match row {
            Ok(r) => Ok(person(r)),
            Err(e) => Err(self.email_taken(ws, None, d, e).await),
        }
    }

    /// Stores several people in one transaction: all of them or, on any error (an email
    /// another save took meanwhile), none.
    pub async fn create_people(&self, ws: WorkspaceId, ds: &[PersonDraft]) -> Result<Vec<Person>> {
        let t = now();
        let rows: Vec<Row> = tx!(self, tx => {
            let mut out = Vec::with_capacity(ds.len());
            for d in ds {
                let r = sqlx::query_as::<_, Row>(
                    "INSERT INTO people (workspace_id, name, kind, organization, title, email, weekly_capacity, user_id, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
                     RETURNING id, name, kind, organization, title, email, weekly_capacity, user_id, version")
                    .bind(ws).bind(&d.name).bind(d.kind.as_str()).bind(&d.organization).bind(&d.title)
                    .bind(&d.email).bind(d.weekly_capacity).bind(d.user_id).bind(t)
                    .fetch_one(&mut *tx).await;
                match r {
                    Ok(r) => out.push(r),
                    Err(e) => return Err(StoreError::unique(e, "Another person of this workspace already has one of these emails.")),
                }
            }
            out
        });
        Ok(rows.into_iter().map(person).collect())
    }

    /// Updates a person if it is still at `expected` version (any version when `None`).
    pub async fn update_person(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &PersonDraft,
    ) -> Result<Person> {
        let row = write!(self, p => sqlx::query_as::<_, Row>(
            "UPDATE people SET name = $3, kind = $4, organization = $5, title = $6, email = $7, weekly_capacity = $8,
                    user_id = $9, updated_at = $10, version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $11
             RETURNING id, name, kind, organization, title, email, weekly_capacity, user_id, version")
            .bind(ws).bind(id).bind(&d.name).bind(d.kind.as_str()).bind(&d.organization).bind(&d.title)
            .bind(&d.email).bind(d.weekly_capacity).bind(d.user_id).bind(now()).bind(expected)
            .fetch_optional(p).await);
        let row = match row {
            Ok(r) => r,
            Err(e) => return Err(self.email_taken(ws, Some(id), d, e).await),
        };
        match row {
            Some(r) => Ok(person(r)),
            None => Err(self.missing_or_stale("people", ws, id).await),
        }
    }

    pub async fn delete_person(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM people WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("people", ws, id).await);
        }
        Ok(())
    }

    /// A write refused by the one-email-one-person index becomes a `Conflict` naming the
    /// person who has the email (any other error stays what it was).
    async fn email_taken(
        &self,
        ws: WorkspaceId,
        editing: Option<i64>,
        d: &PersonDraft,
        e: sqlx::Error,
    ) -> StoreError {
        let generic = "Another person of this workspace already has this email.";
        let err = StoreError::unique(e, generic);
        let (StoreError::Conflict(_), Some(email)) = (&err, &d.email) else {
            return err;
        };
        match self.list_people(ws).await {
            Ok(people) => {
                let others: Vec<Person> = people
                    .into_iter()
                    .filter(|p| Some(p.id) != editing)
                    .collect();
                match keel_domain::person::email_holder(email, &others) {
                    Some(o) => StoreError::Conflict(format!(
                        "{} already has the email {email} in this workspace.",
                        o.display()
                    )),
                    None => err,
                }
            }
            Err(_) => err,
        }
    }

    /// After a versioned write touched no row: was the record gone, or changed?
    pub(crate) async fn missing_or_stale(
        &self,
        table: &'static str,
        ws: WorkspaceId,
        id: i64,
    ) -> StoreError {
        let sql = format!("SELECT version FROM {table} WHERE workspace_id = $1 AND id = $2");
        let found: std::result::Result<Option<i64>, sqlx::Error> =
            write!(self, p => sqlx::query_scalar(&sql).bind(ws).bind(id).fetch_optional(p).await);
        match found {
            Ok(Some(current)) => StoreError::Stale { current },
            Ok(None) => StoreError::NotFound,
            Err(e) => StoreError::Db(e),
        }
    }
}
