//! Staging an import's rows, as fast as each backend takes them: on SQLite one prepared
//! INSERT stepped per row on a connection of the import's own (rusqlite: sqlx binds each
//! parameter by name, which SQLite looks up by a linear scan, and a statement a row costs a
//! round trip to sqlx's worker thread); on PostgreSQL `COPY FROM STDIN` into an unlogged
//! table. Each batch is its own short transaction, so other writes go on between batches
//! (on SQLite the batch takes its turn in keel's writer queue).
//!
//! Staging also learns what publish needs: whether each lead was already stored (`existed`),
//! the rollups of the new ones (`Tally`), and whether an id came twice in the file.

use crate::lead_tally::Tally;
use crate::{Db, Result, Store, StoreError, WorkspaceId};
use keel_domain::lead::{month_of, LeadDraft};
use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

/// What staging an import has learned; kept by whoever stages it, and handed to publish.
#[derive(Debug)]
pub struct LeadStaging {
    pub ws: WorkspaceId,
    pub import: i64,
    /// Hashes of the (system, record id) pairs staged so far.
    seen: HashSet<u64, std::hash::BuildHasherDefault<Unhashed>>,
    hasher: RandomState,
    /// An id (or its hash) came twice, in one batch or two: publish keeps each id's last
    /// line and counts the new leads' rollups in SQL instead of trusting `tally`. Exports
    /// rarely repeat an id, so the common case pays one hash a row.
    pub(crate) repeated: bool,
    /// The rollups of the rows whose lead did not exist when staged.
    pub(crate) tally: Tally,
    /// Rows staged whose lead existed: none, and publish has no stored leads to compare.
    pub(crate) existing: u64,
    /// The import's own connection to the SQLite file, opened at its first batch.
    sqlite: Option<rusqlite::Connection>,
}

impl LeadStaging {
    /// Staging for the open import `import` of `ws` (see `Store::begin_lead_import`).
    pub fn new(ws: WorkspaceId, import: i64) -> LeadStaging {
        LeadStaging {
            ws,
            import,
            seen: HashSet::default(),
            hasher: RandomState::new(),
            repeated: false,
            tally: Tally::default(),
            existing: 0,
            sqlite: None,
        }
    }

    /// Notes an id; true when it (or its hash) was staged before.
    fn repeats(&mut self, l: &LeadDraft) -> bool {
        let h = self
            .hasher
            .hash_one((l.source_system.as_str(), l.external_id.as_str()));
        !self.seen.insert(h)
    }
}

/// A set of hashes already made by `LeadStaging::hasher`: hashing them again would only cost.
#[derive(Debug, Default)]
struct Unhashed(u64);

impl std::hash::Hasher for Unhashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

const SQLITE_INSERT: &str = "INSERT INTO lead_staging (import_id, line, source_system, external_id, created_on,
    created_month, source, source_detail, campaign, offer, channel, lifecycle_stage, lead_status, owner, qualification,
    disqualification_reason, objection, pipeline_cents, won_cents, existed)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";

const EXISTS: &str =
    "SELECT EXISTS (SELECT 1 FROM leads WHERE workspace_id = ?1 AND source_system = ?2 AND external_id = ?3)";

const PROGRESS: &str = "UPDATE lead_imports SET rows_staged = rows_staged + $2 WHERE id = $1";

/// The import's connection to keel's SQLite file, set as keel's own are (connect.rs), but
/// it never checkpoints: copying the WAL into the file after every batch made staging 30%
/// slower, and keel's writer checkpoints at its next commit (the publish) anyway.
fn open_sqlite(file: &std::path::Path) -> rusqlite::Result<rusqlite::Connection> {
    let db = rusqlite::Connection::open_with_flags(
        file,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    db.busy_timeout(std::time::Duration::from_secs(10))?;
    db.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;",
    )?;
    Ok(db)
}

/// Stages one batch on the import's SQLite connection, in one transaction; returns whether
/// each row's lead existed.
fn sqlite_batch(
    db: &rusqlite::Connection,
    ws: WorkspaceId,
    import: i64,
    rows: &[(i64, &LeadDraft)],
) -> rusqlite::Result<Vec<bool>> {
    let tx = rusqlite::Transaction::new_unchecked(db, rusqlite::TransactionBehavior::Immediate)?;
    let mut existed = Vec::with_capacity(rows.len());
    {
        let mut probe = tx.prepare_cached(EXISTS)?;
        let mut insert = tx.prepare_cached(SQLITE_INSERT)?;
        for (line, l) in rows {
            let e: bool = probe.query_row(
                rusqlite::params![ws.0, l.source_system, l.external_id],
                |r| r.get(0),
            )?;
            insert.execute(rusqlite::params![
                import,
                line,
                l.source_system,
                l.external_id,
                l.created.0,
                month_of(l.created),
                l.source,
                l.source_detail,
                l.campaign,
                l.offer,
                l.channel,
                l.lifecycle_stage,
                l.lead_status,
                l.owner,
                l.qualification.map(|q| q.as_str()),
                l.disqualification_reason,
                l.objection,
                l.pipeline_cents,
                l.won_cents,
                e as i64,
            ])?;
            existed.push(e);
        }
        // By name: rusqlite binds positional values in order of appearance, and `$2` comes first.
        tx.execute(
            PROGRESS,
            rusqlite::named_params! {"$1": import, "$2": rows.len() as i64},
        )?;
    }
    tx.commit()?;
    Ok(existed)
}

/// `sqlite_batch` through sqlx, for an in-memory database (tests and trials: small).
async fn sqlx_batch(
    conn: &mut sqlx::SqliteConnection,
    (ws, import): (WorkspaceId, i64),
    rows: &[(i64, &LeadDraft)],
) -> Result<Vec<bool>> {
    use sqlx::Connection as _;
    let mut tx = conn.begin().await?;
    let mut existed = Vec::with_capacity(rows.len());
    for (line, l) in rows {
        let e: bool = sqlx::query_scalar(EXISTS)
            .bind(ws)
            .bind(&l.source_system)
            .bind(&l.external_id)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(SQLITE_INSERT)
            .bind(import)
            .bind(line)
            .bind(&l.source_system)
            .bind(&l.external_id)
            .bind(l.created.0)
            .bind(month_of(l.created))
            .bind(&l.source)
            .bind(&l.source_detail)
            .bind(&l.campaign)
            .bind(&l.offer)
            .bind(&l.channel)
            .bind(&l.lifecycle_stage)
            .bind(&l.lead_status)
            .bind(&l.owner)
            .bind(l.qualification.map(|q| q.as_str()))
            .bind(&l.disqualification_reason)
            .bind(&l.objection)
            .bind(l.pipeline_cents)
            .bind(l.won_cents)
            .bind(e as i64)
            .execute(&mut *tx)
            .await?;
        existed.push(e);
    }
    sqlx::query(PROGRESS)
        .bind(import)
        .bind(rows.len() as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(existed)
}

/// A PostgreSQL COPY text field: NULL is `\N`; backslash, tab, newline and carriage return
/// are escaped.
fn copy_text(out: &mut String, v: Option<&str>) {
    match v {
        None => out.push_str("\\N"),
        Some(s) => {
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
    }
}

fn copy_int(out: &mut String, v: Option<i64>) {
    match v {
        None => out.push_str("\\N"),
        Some(n) => out.push_str(&n.to_string()),
    }
}

/// The batch as COPY text rows, in `PG_COPY`'s column order.
fn copy_rows(import: i64, rows: &[(i64, &LeadDraft)], existed: &[bool]) -> String {
    let mut out = String::with_capacity(rows.len() * 200);
    for ((line, l), e) in rows.iter().zip(existed) {
        for n in [import, *line] {
            out.push_str(&n.to_string());
            out.push('\t');
        }
        copy_text(&mut out, Some(&l.source_system));
        out.push('\t');
        copy_text(&mut out, Some(&l.external_id));
        for n in [l.created.0, month_of(l.created)] {
            out.push('\t');
            out.push_str(&n.to_string());
        }
        for v in [
            &l.source,
            &l.source_detail,
            &l.campaign,
            &l.offer,
            &l.channel,
            &l.lifecycle_stage,
            &l.lead_status,
            &l.owner,
        ] {
            out.push('\t');
            copy_text(&mut out, v.as_deref());
        }
        out.push('\t');
        copy_text(&mut out, l.qualification.map(|q| q.as_str()));
        out.push('\t');
        copy_text(&mut out, l.disqualification_reason.as_deref());
        out.push('\t');
        copy_text(&mut out, l.objection.as_deref());
        out.push('\t');
        copy_int(&mut out, l.pipeline_cents);
        out.push('\t');
        copy_int(&mut out, l.won_cents);
        out.push('\t');
        out.push(if *e { '1' } else { '0' });
        out.push('\n');
    }
    out
}

const PG_COPY: &str = "COPY lead_staging (import_id, line, source_system, external_id, created_on, created_month,
    source, source_detail, campaign, offer, channel, lifecycle_stage, lead_status, owner, qualification,
    disqualification_reason, objection, pipeline_cents, won_cents, existed) FROM STDIN";

/// The stored leads among a batch's ids, on PostgreSQL. A lookup an id (LATERAL with LIMIT):
/// a join lets the planner, with statistics older than the import, hash all the workspace's
/// leads for every batch (0.7 s a batch at a million leads, against 20 ms).
const PG_EXISTING: &str = "SELECT u.s, u.e FROM UNNEST($2::text[], $3::text[]) AS u(s, e)
    CROSS JOIN LATERAL (SELECT 1 FROM leads l WHERE l.workspace_id = $1 AND l.source_system = u.s
        AND l.external_id = u.e LIMIT 1) AS found";

impl Store {
    /// Stages rows (line number, lead) of an open import, one transaction a call.
    pub async fn stage_leads(
        &self,
        st: &mut LeadStaging,
        rows: &[(i64, &LeadDraft)],
    ) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        for (_, l) in rows {
            if st.repeats(l) {
                st.repeated = true;
            }
        }
        let existed = match &self.db {
            Db::Sqlite { writer, .. } => {
                let file = writer.connect_options().get_filename().to_path_buf();
                if file.as_os_str() == ":memory:" {
                    // An in-memory database exists on sqlx's connection only.
                    let mut conn = writer.acquire().await?;
                    sqlx_batch(&mut conn, (st.ws, st.import), rows).await?
                } else {
                    // Holding keel's one writer connection while the batch writes keeps this
                    // process's writes in one queue: waiting in SQLite's busy handler for a
                    // transaction of this process would block the very thread (on a
                    // single-threaded runtime) that must finish it.
                    let _turn = writer.acquire().await?;
                    let mut run = || -> rusqlite::Result<Vec<bool>> {
                        if st.sqlite.is_none() {
                            st.sqlite = Some(open_sqlite(&file)?);
                        }
                        let db = st.sqlite.as_ref().expect("opened above");
                        sqlite_batch(db, st.ws, st.import, rows)
                    };
                    // Each batch takes some milliseconds of CPU: on a multi-threaded runtime
                    // the other tasks move to another worker meanwhile.
                    let out = match tokio::runtime::Handle::current().runtime_flavor() {
                        tokio::runtime::RuntimeFlavor::MultiThread => {
                            tokio::task::block_in_place(run)
                        }
                        _ => run(),
                    };
                    out.map_err(|e| StoreError::Sqlite(e.to_string()))?
                }
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let systems: Vec<&str> =
                    rows.iter().map(|(_, l)| l.source_system.as_str()).collect();
                let ids: Vec<&str> = rows.iter().map(|(_, l)| l.external_id.as_str()).collect();
                let found: Vec<(String, String)> = sqlx::query_as(PG_EXISTING)
                    .bind(st.ws)
                    .bind(&systems)
                    .bind(&ids)
                    .fetch_all(&mut *tx)
                    .await?;
                let found: HashSet<(&str, &str)> = found
                    .iter()
                    .map(|(s, e)| (s.as_str(), e.as_str()))
                    .collect();
                let existed: Vec<bool> = rows
                    .iter()
                    .map(|(_, l)| {
                        found.contains(&(l.source_system.as_str(), l.external_id.as_str()))
                    })
                    .collect();
                let mut copy = tx.copy_in_raw(PG_COPY).await?;
                copy.send(copy_rows(st.import, rows, &existed).into_bytes())
                    .await?;
                copy.finish().await?;
                sqlx::query(PROGRESS)
                    .bind(st.import)
                    .bind(rows.len() as i64)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                existed
            }
        };
        for ((_, l), e) in rows.iter().zip(existed) {
            if e {
                st.existing += 1;
            } else if !st.repeated {
                st.tally.add(l);
            }
        }
        Ok(())
    }
}
