//! The PostgreSQL backend: safe for several processes sharing one database.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{Connection, PgConnection, Postgres, Transaction};
use ticketbooth_core::{GuildSettings, Panel, Snowflake, Ticket, Topic};

use crate::backend::impl_store;
use crate::error::{ErrorKind, StoreError, connect_error};
use crate::rows::{
    RowExt, impl_row_ext, job_changed, job_from_row, normalized_members, panel_from_row,
    settings_from_json, settings_to_json, ticket_from_row, ticket_message_from_row, to_db_id,
    to_millis, topic_from_row, transcript_from_row,
};
use crate::types::*;
use crate::{Backend, Store};

type Db = Postgres;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");
const BACKEND: Backend = Backend::Postgres;
const MEMBERS_AGG: &str =
    "SELECT string_agg(m.user_id::text, ',') FROM ticket_members m WHERE m.ticket_id = t.id";
/// Another worker's locked rows are skipped rather than waited for, so workers never lease the
/// same job and never queue behind each other.
const SKIP_LOCKED: &str = "FOR UPDATE SKIP LOCKED";
const SIZE_SQL: &str = "SELECT pg_database_size(current_database()) AS size";

/// Locks the rows a read-then-write transaction selects, until it ends.
const FOR_UPDATE: &str = "FOR UPDATE";
/// Keeps every other writer's roll-up changes out while the roll-ups are rebuilt: a ticket write
/// that started before waits, then adds its change on top of the rebuilt totals.
const LOCK_STATS_SQL: &str = "LOCK TABLE stats_counts, stats_members IN EXCLUSIVE MODE";

/// Times are TIMESTAMPTZ, cut to milliseconds so both backends give back the same value.
fn bind_time(t: DateTime<Utc>) -> DateTime<Utc> {
    to_millis(t)
}

impl_row_ext!(PgRow, |row, col| Ok(sqlx::Row::try_get::<
    Option<DateTime<Utc>>,
    _,
>(row, col)?));

/// A store on a PostgreSQL database.
pub(crate) struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the database at a `postgres://` or `postgresql://` URL.
    pub(crate) async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(|e| connect_error(e, url))?;
        // The pool retries refused connections until its acquire timeout; one direct attempt
        // first makes a wrong URL or a server that is down fail at once.
        PgConnection::connect_with(&options)
            .await
            .map_err(|e| connect_error(e, url))?
            .close()
            .await
            .ok();
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| connect_error(e, url))?;
        Ok(PgStore { pool })
    }

    /// A read-committed transaction; the statements inside take the row locks they need.
    async fn begin_write(&self) -> Result<Transaction<'static, Db>, StoreError> {
        Ok(self.pool.begin().await?)
    }
}

impl_store!(PgStore);
