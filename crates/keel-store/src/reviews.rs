//! Review cadences and reviews: attendees, notes per agenda section, ratings, and the close
//! (migration 0030). Closing is one statement that checks the version, that the review is
//! still open and that it has an outcome, so of two closes at once exactly one wins.

use crate::{now, read, tx, Result, Store, StoreError, WorkspaceId};
use keel_domain::review::{Cadence, CadenceDraft, Evidence, Kind, Review, ReviewStatus};
use keel_domain::Date;

#[derive(sqlx::FromRow)]
struct CadenceRow {
    id: i64,
    kind: String,
    every_n: i64,
    weekday: i64,
    time_minutes: i64,
    facilitator_id: Option<i64>,
    active: i64,
    since: i64,
    version: i64,
}

const CADENCE_COLUMNS: &str =
    "id, kind, every_n, weekday, time_minutes, facilitator_id, active, since, version";

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: i64,
    kind: String,
    held_on: i64,
    status: String,
    facilitator_id: Option<i64>,
    topics: String,
    closed_at: Option<i64>,
    version: i64,
}

const REVIEW_COLUMNS: &str =
    "id, kind, held_on, status, facilitator_id, topics, closed_at, version";

/// The message a second close reads.
pub const ALREADY_CLOSED: &str =
    "This review is already closed: someone closed it while you were on it. Reload to see its outcomes.";
/// The message a close without outcome reads.
pub const NO_OUTCOME: &str = "A review ends in decisions: record at least one outcome before closing. If nothing needs to change, record \"no change\" with the reason.";

/// What a close writes besides the status: the attendees' ratings, the topics the agenda
/// raised, the open decisions it checked, and who closed it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Closing<'a> {
    pub ratings: &'a [(i64, u8)],
    pub raised: &'a [Evidence],
    pub checked: &'a [i64],
    pub by_user: Option<i64>,
}

fn cadence(r: CadenceRow, attendees: Vec<i64>) -> Cadence {
    Cadence {
        id: r.id,
        kind: Kind::parse(&r.kind).unwrap_or(Kind::Weekly),
        interval: r.every_n,
        weekday: r.weekday.clamp(1, 7) as u8,
        time_minutes: r.time_minutes.clamp(0, 1439) as u16,
        facilitator_id: r.facilitator_id,
        attendee_ids: attendees,
        active: r.active != 0,
        since: Date(r.since),
        version: r.version,
    }
}

fn topics(raw: &str) -> Vec<Evidence> {
    raw.split(',')
        .filter_map(|t| Evidence::parse(t).ok())
        .collect()
}

impl Store {
    pub async fn list_review_cadences(&self, ws: WorkspaceId) -> Result<Vec<Cadence>> {
        let sql = format!(
            "SELECT {CADENCE_COLUMNS} FROM review_cadences WHERE workspace_id = $1
             ORDER BY CASE kind WHEN 'weekly' THEN 1 WHEN 'monthly' THEN 2 ELSE 3 END"
        );
        let rows =
            read!(self, p => sqlx::query_as::<_, CadenceRow>(&sql).bind(ws).fetch_all(p).await)?;
        let people: Vec<(i64, i64)> = read!(self, p => sqlx::query_as(
            "SELECT cadence_id, person_id FROM review_cadence_attendees WHERE workspace_id = $1
             ORDER BY cadence_id, position")
            .bind(ws).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let ids = people.iter().filter(|a| a.0 == r.id).map(|a| a.1).collect();
                cadence(r, ids)
            })
            .collect())
    }

    /// Sets up the cadence of a kind (`expected` is `None`) or changes it (`Some(version)`).
    /// `today` is the day a new cadence starts from.
    pub async fn put_review_cadence(
        &self,
        ws: WorkspaceId,
        d: &CadenceDraft,
        expected: Option<i64>,
        today: Date,
    ) -> Result<Cadence> {
        let t = now();
        let id = tx!(self, tx => {
            let id: Option<i64> = match expected {
                None => sqlx::query_scalar(
                    "INSERT INTO review_cadences (workspace_id, kind, every_n, weekday, time_minutes,
                        facilitator_id, active, since, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id")
                    .bind(ws).bind(d.kind.as_str()).bind(d.interval).bind(d.weekday as i64)
                    .bind(d.time_minutes as i64).bind(d.facilitator_id).bind(d.active as i64)
                    .bind(today.0).bind(t)
                    .fetch_optional(&mut *tx).await
                    .map_err(|e| StoreError::unique(e, format!(
                        "The {} is already set up; change it instead.", d.kind.label().to_lowercase())))?,
                Some(v) => sqlx::query_scalar(
                    "UPDATE review_cadences SET every_n = $3, weekday = $4, time_minutes = $5,
                        facilitator_id = $6, active = $7, updated_at = $8, version = version + 1
                     WHERE workspace_id = $1 AND kind = $2 AND version = $9 RETURNING id")
                    .bind(ws).bind(d.kind.as_str()).bind(d.interval).bind(d.weekday as i64)
                    .bind(d.time_minutes as i64).bind(d.facilitator_id).bind(d.active as i64)
                    .bind(t).bind(v)
                    .fetch_optional(&mut *tx).await?,
            };
            let Some(id) = id else {
                let current: Option<i64> = sqlx::query_scalar(
                    "SELECT version FROM review_cadences WHERE workspace_id = $1 AND kind = $2")
                    .bind(ws).bind(d.kind.as_str()).fetch_optional(&mut *tx).await?;
                return Err(match current {
                    Some(current) => StoreError::Stale { current },
                    None => StoreError::NotFound,
                });
            };
            sqlx::query("DELETE FROM review_cadence_attendees WHERE workspace_id = $1 AND cadence_id = $2")
                .bind(ws).bind(id).execute(&mut *tx).await?;
            for (i, p) in d.attendee_ids.iter().enumerate() {
                sqlx::query("INSERT INTO review_cadence_attendees (workspace_id, cadence_id, person_id, position)
                             VALUES ($1, $2, $3, $4)")
                    .bind(ws).bind(id).bind(p).bind(i as i64).execute(&mut *tx).await?;
            }
            id
        });
        self.list_review_cadences(ws)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Every review, oldest first, with attendees, ratings, notes and topics.
    pub async fn list_reviews(&self, ws: WorkspaceId) -> Result<Vec<Review>> {
        self.reviews_where(ws, None).await
    }

    pub async fn find_review(&self, ws: WorkspaceId, id: i64) -> Result<Option<Review>> {
        Ok(self.reviews_where(ws, Some(id)).await?.pop())
    }

    async fn reviews_where(&self, ws: WorkspaceId, id: Option<i64>) -> Result<Vec<Review>> {
        let filter = if id.is_some() { "AND id = $2" } else { "" };
        let sql = format!(
            "SELECT {REVIEW_COLUMNS} FROM reviews WHERE workspace_id = $1 {filter} ORDER BY held_on, id"
        );
        let afilter = if id.is_some() {
            "AND review_id = $2"
        } else {
            ""
        };
        let asql = format!(
            "SELECT review_id, person_id, rating FROM review_attendees WHERE workspace_id = $1 {afilter}
             ORDER BY review_id, position"
        );
        let nsql = format!(
            "SELECT review_id, section, body FROM review_notes WHERE workspace_id = $1 {afilter}
             ORDER BY review_id, section"
        );
        let one = id.unwrap_or_default();
        let rows = read!(self, p => sqlx::query_as::<_, ReviewRow>(&sql).bind(ws).bind(one).fetch_all(p).await)?;
        let people: Vec<(i64, i64, Option<i64>)> =
            read!(self, p => sqlx::query_as(&asql).bind(ws).bind(one).fetch_all(p).await)?;
        let notes: Vec<(i64, String, String)> =
            read!(self, p => sqlx::query_as(&nsql).bind(ws).bind(one).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let mine = people.iter().filter(|a| a.0 == r.id);
                Review {
                    id: r.id,
                    kind: Kind::parse(&r.kind).unwrap_or(Kind::Weekly),
                    date: Date(r.held_on),
                    status: ReviewStatus::parse(&r.status).unwrap_or(ReviewStatus::Open),
                    facilitator_id: r.facilitator_id,
                    attendee_ids: mine.clone().map(|a| a.1).collect(),
                    ratings: mine
                        .filter_map(|a| Some((a.1, a.2?.clamp(1, 10) as u8)))
                        .collect(),
                    notes: notes
                        .iter()
                        .filter(|n| n.0 == r.id)
                        .map(|n| (n.1.clone(), n.2.clone()))
                        .collect(),
                    topics: topics(&r.topics),
                    closed_at: r.closed_at,
                    version: r.version,
                }
            })
            .collect())
    }

    /// Opens a review of `kind` on `day` with its facilitator and attendees (people of this
    /// workspace, which the database checks). One review per kind and day.
    pub async fn open_review(
        &self,
        ws: WorkspaceId,
        kind: Kind,
        day: Date,
        facilitator_id: Option<i64>,
        attendee_ids: &[i64],
    ) -> Result<Review> {
        let t = now();
        let id = tx!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO reviews (workspace_id, kind, held_on, facilitator_id, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
                .bind(ws).bind(kind.as_str()).bind(day.0).bind(facilitator_id).bind(t)
                .fetch_one(&mut *tx).await
                .map_err(|e| StoreError::unique(e, format!(
                    "There is already a {} on {day}; open that one.", kind.label().to_lowercase())))?;
            for (i, p) in attendee_ids.iter().enumerate() {
                sqlx::query("INSERT INTO review_attendees (workspace_id, review_id, person_id, position)
                             VALUES ($1, $2, $3, $4)")
                    .bind(ws).bind(id).bind(p).bind(i as i64).execute(&mut *tx).await?;
            }
            id
        });
        self.find_review(ws, id).await?.ok_or(StoreError::NotFound)
    }

    /// Saves notes per agenda section (an empty text removes a section's) on an open
    /// review, all in one version step.
    pub async fn save_review_notes(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        notes: &[(String, String)],
    ) -> Result<Review> {
        let t = now();
        tx!(self, tx => {
            let n = sqlx::query(
                "UPDATE reviews SET version = version + 1, updated_at = $4
                 WHERE workspace_id = $1 AND id = $2 AND version = $3 AND status = 'open'")
                .bind(ws).bind(id).bind(expected).bind(t)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                let state: Option<(String, i64)> = sqlx::query_as(
                    "SELECT status, version FROM reviews WHERE workspace_id = $1 AND id = $2")
                    .bind(ws).bind(id).fetch_optional(&mut *tx).await?;
                let outcomes: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM decisions WHERE workspace_id = $1 AND review_id = $2")
                    .bind(ws).bind(id).fetch_one(&mut *tx).await?;
                return Err(why(state, outcomes, expected, false));
            }
            for (section, body) in notes {
                sqlx::query("DELETE FROM review_notes WHERE workspace_id = $1 AND review_id = $2 AND section = $3")
                    .bind(ws).bind(id).bind(section).execute(&mut *tx).await?;
                if !body.is_empty() {
                    sqlx::query("INSERT INTO review_notes (workspace_id, review_id, section, body, updated_at)
                                 VALUES ($1, $2, $3, $4, $5)")
                        .bind(ws).bind(id).bind(section).bind(body).bind(t).execute(&mut *tx).await?;
                }
            }
        });
        self.find_review(ws, id).await?.ok_or(StoreError::NotFound)
    }

    /// Closes an open review that has at least one outcome, in one transaction: the ratings,
    /// the topics its agenda raised, and `checked` (the open decisions its agenda listed as
    /// due) marked as checked by it. A second close, or one without outcome, is refused with
    /// `Conflict` and a message; a stale version with `Stale`.
    pub async fn close_review(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        c: &Closing<'_>,
    ) -> Result<Review> {
        let Closing {
            ratings,
            raised,
            checked,
            by_user,
        } = *c;
        let t = now();
        let topics: Vec<String> = raised.iter().map(|e| e.to_string()).collect();
        tx!(self, tx => {
            let n = sqlx::query(
                "UPDATE reviews SET status = 'closed', closed_at = $4, closed_by = $5, topics = $6,
                        version = version + 1, updated_at = $4
                 WHERE workspace_id = $1 AND id = $2 AND version = $3 AND status = 'open'
                   AND EXISTS (SELECT 1 FROM decisions d WHERE d.workspace_id = $1 AND d.review_id = $2)")
                .bind(ws).bind(id).bind(expected).bind(t).bind(by_user).bind(topics.join(","))
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                let state: Option<(String, i64)> = sqlx::query_as(
                    "SELECT status, version FROM reviews WHERE workspace_id = $1 AND id = $2")
                    .bind(ws).bind(id).fetch_optional(&mut *tx).await?;
                let outcomes: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM decisions WHERE workspace_id = $1 AND review_id = $2")
                    .bind(ws).bind(id).fetch_one(&mut *tx).await?;
                return Err(why(state, outcomes, expected, true));
            }
            for (person, rating) in ratings {
                sqlx::query("UPDATE review_attendees SET rating = $4
                             WHERE workspace_id = $1 AND review_id = $2 AND person_id = $3")
                    .bind(ws).bind(id).bind(person).bind(*rating as i64).execute(&mut *tx).await?;
            }
            for d in checked {
                sqlx::query("UPDATE decisions SET checked_by_review_id = $3, version = version + 1, updated_at = $4
                             WHERE workspace_id = $1 AND id = $2 AND checked_by_review_id IS NULL
                               AND (review_id IS NULL OR review_id <> $3)")
                    .bind(ws).bind(d).bind(id).bind(t).execute(&mut *tx).await?;
            }
        });
        self.find_review(ws, id).await?.ok_or(StoreError::NotFound)
    }
}

/// Why a change to a review touched nothing: missing, closed, without outcome, or stale.
/// `state` is the review's (status, version) now; `outcomes` its decisions.
fn why(state: Option<(String, i64)>, outcomes: i64, expected: i64, closing: bool) -> StoreError {
    match state {
        None => StoreError::NotFound,
        Some((status, _)) if status == "closed" => StoreError::Conflict(ALREADY_CLOSED.into()),
        Some((_, current)) if current != expected => StoreError::Stale { current },
        Some(_) if closing && outcomes == 0 => StoreError::Conflict(NO_OUTCOME.into()),
        Some((_, current)) => StoreError::Stale { current },
    }
}
