//! The SQLite backend: one file, WAL mode, writers serialised by `BEGIN IMMEDIATE`.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use ticketbooth_core::{GuildSettings, Panel, Snowflake, Ticket, Topic};

use crate::backend::impl_store;
use crate::error::{ErrorKind, StoreError, connect_error};
use crate::rows::{
    RowExt, impl_row_ext, job_changed, job_from_row, normalized_members, panel_from_row,
    settings_from_json, settings_to_json, ticket_from_row, ticket_message_from_row, to_db_id,
    topic_from_row, transcript_from_row,
};
use crate::types::*;
use crate::{Backend, Store};

type Db = Sqlite;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");
const BACKEND: Backend = Backend::Sqlite;
const MEMBERS_AGG: &str =
    "SELECT group_concat(m.user_id, ',') FROM ticket_members m WHERE m.ticket_id = t.id";
/// SQLite has no row locks; `begin_write` already holds the database's write lock.
const SKIP_LOCKED: &str = "";
const SIZE_SQL: &str =
    "SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size()";

/// `begin_write` already holds the database's write lock: no row or table locks are needed.
const FOR_UPDATE: &str = "";
const LOCK_STATS_SQL: &str = "";

/// How long a writer waits for another to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Times are integer milliseconds since the Unix epoch: they sort and compare as numbers.
fn bind_time(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

impl_row_ext!(SqliteRow, |row, col| {
    row.opt_int(col)?
        .map(|ms| {
            DateTime::from_timestamp_millis(ms)
                .ok_or_else(|| StoreError::decode(format!("time {ms} in {col} is out of range")))
        })
        .transpose()
});

/// A store on one SQLite file.
pub(crate) struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url`: `sqlite:PATH` or a plain path.
    pub(crate) async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = if url.to_ascii_lowercase().starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url).map_err(|e| connect_error(e, url))?
        } else {
            SqliteConnectOptions::new().filename(url)
        };
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL, not the usual NORMAL for WAL: a committed transcript or close must survive a
            // power cut, and Ticketbooth writes little.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        // Every connection to `:memory:` is a separate database, so keep to one.
        let max_connections = if url.contains(":memory:") { 1 } else { 8 };
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(BUSY_TIMEOUT * 3)
            .connect_with(options)
            .await
            .map_err(|e| connect_error(e, url))?;
        Ok(SqliteStore { pool })
    }

    /// A transaction holding the write lock from its first statement, so that what it reads
    /// cannot change before it writes.
    async fn begin_write(&self) -> Result<Transaction<'static, Db>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

impl_store!(SqliteStore);
