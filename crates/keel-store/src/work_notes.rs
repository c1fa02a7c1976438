//! What a work item carries besides its moves: its description (a column of `work_items`,
//! read apart so the in-memory model of 50,000 items does not hold every brief), its web links
//! and its comments (migration 0050).

use crate::{now, read, write, Result, Store, StoreError, WorkspaceId};
use keel_domain::work::notes::{CommentDraft, LinkDraft};

/// A web link of a work item (a title and an address; not the strategic-fit links of
/// `work_links.rs`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WorkWebLink {
    pub id: i64,
    pub item_id: i64,
    pub title: String,
    pub url: String,
    pub version: i64,
    pub created_at: i64,
}

/// A comment of a work item, with the name of who wrote it (their person's, else their
/// account's) and the ids of the people it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkComment {
    pub id: i64,
    pub item_id: i64,
    pub author_id: Option<i64>,
    pub by_user: Option<i64>,
    pub author: Option<String>,
    pub body: String,
    pub mentions: Vec<i64>,
    pub version: i64,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    item_id: i64,
    author_id: Option<i64>,
    by_user: Option<i64>,
    author: Option<String>,
    body: String,
    mentions: String,
    version: i64,
    created_at: i64,
}

fn comment(r: CommentRow) -> WorkComment {
    WorkComment {
        id: r.id,
        item_id: r.item_id,
        author_id: r.author_id,
        by_user: r.by_user,
        author: r.author,
        body: r.body,
        mentions: crate::work::ids(&r.mentions),
        version: r.version,
        created_at: r.created_at,
    }
}

const COMMENT_COLUMNS: &str = "c.id, c.item_id, c.author_id, c.by_user, COALESCE(p.name, u.name) AS author, c.body, c.mentions, c.version, c.created_at";
const COMMENT_FROM: &str = "work_comments c LEFT JOIN people p ON p.workspace_id = c.workspace_id AND p.id = c.author_id LEFT JOIN users u ON u.id = c.by_user";

/// What the text of a comment said when its author's personal data was erased.
pub const ERASED_COMMENT: &str = "(Removed: its author's personal data was erased.)";

impl Store {
    pub async fn work_description(&self, ws: WorkspaceId, id: i64) -> Result<String> {
        let d: Option<String> = read!(self, p => sqlx::query_scalar(
            "SELECT description FROM work_items WHERE workspace_id = $1 AND id = $2")
            .bind(ws).bind(id).fetch_optional(p).await)?;
        d.ok_or(StoreError::NotFound)
    }

    /// Replaces the description if the item is still at `expected`; a change of the item like
    /// any other, so it moves the item's version.
    pub async fn set_work_description(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        description: &str,
    ) -> Result<i64> {
        let v: Option<i64> = write!(self, p => sqlx::query_scalar(
            "UPDATE work_items SET description = $3, updated_at = $4, version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $5 RETURNING version")
            .bind(ws).bind(id).bind(description).bind(now()).bind(expected).fetch_optional(p).await)?;
        match v {
            Some(v) => Ok(v),
            None => Err(self.missing_or_stale("work_items", ws, id).await),
        }
    }

    pub async fn list_web_links(&self, ws: WorkspaceId, item_id: i64) -> Result<Vec<WorkWebLink>> {
        Ok(read!(self, p => sqlx::query_as::<_, WorkWebLink>(
            "SELECT id, item_id, title, url, version, created_at FROM work_web_links WHERE workspace_id = $1 AND item_id = $2 ORDER BY id")
            .bind(ws).bind(item_id).fetch_all(p).await)?)
    }

    pub async fn add_web_link(
        &self,
        ws: WorkspaceId,
        item_id: i64,
        d: &LinkDraft,
        by_user: Option<i64>,
    ) -> Result<WorkWebLink> {
        let t = now();
        // The composite key (workspace_id, item_id) refuses an item of another workspace.
        Ok(write!(self, p => sqlx::query_as::<_, WorkWebLink>(
            "INSERT INTO work_web_links (workspace_id, item_id, title, url, added_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
             RETURNING id, item_id, title, url, version, created_at")
            .bind(ws).bind(item_id).bind(&d.title).bind(&d.url).bind(by_user).bind(t).fetch_one(p).await)?)
    }

    /// Removes a link of `item_id` if it is still at `expected`.
    pub async fn delete_web_link(
        &self,
        ws: WorkspaceId,
        item_id: i64,
        id: i64,
        expected: i64,
    ) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM work_web_links WHERE workspace_id = $1 AND item_id = $2 AND id = $3 AND version = $4")
            .bind(ws).bind(item_id).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self
                .note_missing_or_stale("work_web_links", ws, item_id, id)
                .await);
        }
        Ok(())
    }

    pub async fn list_comments(&self, ws: WorkspaceId, item_id: i64) -> Result<Vec<WorkComment>> {
        let sql = format!("SELECT {COMMENT_COLUMNS} FROM {COMMENT_FROM} WHERE c.workspace_id = $1 AND c.item_id = $2 ORDER BY c.id");
        let rows = read!(self, p => sqlx::query_as::<_, CommentRow>(&sql).bind(ws).bind(item_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(comment).collect())
    }

    pub async fn find_comment(
        &self,
        ws: WorkspaceId,
        item_id: i64,
        id: i64,
    ) -> Result<Option<WorkComment>> {
        let sql = format!("SELECT {COMMENT_COLUMNS} FROM {COMMENT_FROM} WHERE c.workspace_id = $1 AND c.item_id = $2 AND c.id = $3");
        let row = read!(self, p => sqlx::query_as::<_, CommentRow>(&sql).bind(ws).bind(item_id).bind(id).fetch_optional(p).await)?;
        Ok(row.map(comment))
    }

    pub async fn add_comment(
        &self,
        ws: WorkspaceId,
        item_id: i64,
        d: &CommentDraft,
        author_id: Option<i64>,
        by_user: Option<i64>,
    ) -> Result<WorkComment> {
        let t = now();
        let id: i64 = write!(self, p => sqlx::query_scalar(
            "INSERT INTO work_comments (workspace_id, item_id, author_id, by_user, body, mentions, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id")
            .bind(ws).bind(item_id).bind(author_id).bind(by_user).bind(&d.body).bind(crate::work::id_list(&d.mentions)).bind(t)
            .fetch_one(p).await)?;
        self.find_comment(ws, item_id, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn delete_comment(
        &self,
        ws: WorkspaceId,
        item_id: i64,
        id: i64,
        expected: i64,
    ) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM work_comments WHERE workspace_id = $1 AND item_id = $2 AND id = $3 AND version = $4")
            .bind(ws).bind(item_id).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self
                .note_missing_or_stale("work_comments", ws, item_id, id)
                .await);
        }
        Ok(())
    }

    /// The newest comments that name `person_id`, newest first (the caller keeps those on
    /// work the reader sees).
    pub async fn comments_naming(
        &self,
        ws: WorkspaceId,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<WorkComment>> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM {COMMENT_FROM} WHERE c.workspace_id = $1 AND c.mentions LIKE '%,' || $2 || ',%'
             ORDER BY c.created_at DESC, c.id DESC LIMIT $3"
        );
        let rows = read!(self, p => sqlx::query_as::<_, CommentRow>(&sql).bind(ws).bind(person_id.to_string()).bind(limit).fetch_all(p).await)?;
        Ok(rows.into_iter().map(comment).collect())
    }

    async fn note_missing_or_stale(
        &self,
        table: &'static str,
        ws: WorkspaceId,
        item_id: i64,
        id: i64,
    ) -> StoreError {
        let sql = format!(
            "SELECT version FROM {table} WHERE workspace_id = $1 AND item_id = $2 AND id = $3"
        );
        let found: std::result::Result<Option<i64>, sqlx::Error> = write!(self, p => sqlx::query_scalar(&sql)
            .bind(ws).bind(item_id).bind(id).fetch_optional(p).await);
        match found {
            Ok(Some(current)) => StoreError::Stale { current },
            Ok(None) => StoreError::NotFound,
            Err(e) => StoreError::Db(e),
        }
    }
}
