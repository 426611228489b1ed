//! Ticketbooth's storage: one [`Store`] trait, backed by SQLite (the default) or PostgreSQL.
//!
//! The database is the source of truth and decides every limit: reservations, compare-and-set
//! ticket updates and job leases are single transactions, safe across processes sharing one
//! PostgreSQL. Snowflakes are stored as 64-bit signed integers holding the `u64` bit pattern;
//! times are UTC, kept to the millisecond.
//!
//! Each backend has its own migrations (`migrations/sqlite`, `migrations/postgres`), embedded and
//! applied by [`Store::migrate`]. The suite in `tests/suite.rs` runs every test on a fresh SQLite
//! file and, when `TICKETBOOTH_TEST_POSTGRES` names a server (for example
//! `postgres://postgres@127.0.0.1:5432/postgres`), on a fresh PostgreSQL database too.

#![warn(missing_docs)]

mod backend;
mod error;
mod postgres;
mod rollup;
mod rows;
mod sqlite;
mod types;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ticketbooth_core::{GuildSettings, Panel, Snowflake, Ticket, Topic};

pub use error::{ErrorKind, StoreError, redact_url};
pub use types::*;

/// The database used when none is configured: `ticketbooth.db` in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:ticketbooth.db";

/// Opens the database `url` names, choosing the backend from it.
///
/// `postgres://` and `postgresql://` select PostgreSQL; `sqlite:` or a plain file path select
/// SQLite, creating the file if it is missing. Migrations are not applied: call
/// [`Store::migrate`].
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(StoreError::new(
            ErrorKind::InvalidUrl,
            "the database URL is empty",
        ));
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgStore::connect(url).await?))
    } else if lower.starts_with("sqlite:") || !url.contains("://") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url).await?))
    } else {
        Err(StoreError::new(
            ErrorKind::InvalidUrl,
            format!(
                "unsupported database URL {}: use sqlite:FILE, a file path, or postgres://",
                redact_url(url)
            ),
        ))
    }
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Everything Ticketbooth keeps. Every method is one transaction.
#[async_trait]
pub trait Store: Send + Sync {
    /// The database behind this store.
    fn backend(&self) -> Backend;

    /// Applies the migrations this version embeds; running it again changes nothing.
    async fn migrate(&self) -> Result<(), StoreError>;

    /// Checks that the database answers (for `/healthz`).
    async fn ping(&self) -> Result<(), StoreError>;

    /// The database's size on disk in bytes (for metrics).
    async fn size_bytes(&self) -> Result<u64, StoreError>;

    // --- Guild settings ---------------------------------------------------------------------

    /// The guild's settings, or [`GuildSettings::defaults`] when none are stored. Fields added to
    /// `GuildSettings` after a row was written take their default values.
    async fn guild_settings(&self, guild: Snowflake) -> Result<GuildSettings, StoreError>;

    /// Stores the settings of `settings.guild_id`, replacing any earlier ones (and so any change
    /// made since they were read: features that change one setting use
    /// [`Store::update_guild_settings`]).
    async fn save_guild_settings(&self, settings: &GuildSettings) -> Result<(), StoreError>;

    /// Applies `change` to the guild's current settings and stores the result only over the row
    /// it was applied to (compare-and-set on a revision), re-reading and re-applying when another
    /// write came first; so two changes of different settings at the same moment both stay.
    /// Returns the settings before and after; nothing is written when `change` changes nothing.
    async fn update_guild_settings(
        &self,
        guild: Snowflake,
        change: &(dyn for<'s> Fn(&'s mut GuildSettings) + Send + Sync),
    ) -> Result<SettingsUpdate, StoreError>;

    // --- Blacklist --------------------------------------------------------------------------

    /// Adds (`true`) or removes (`false`) a member from the guild's blacklist; idempotent.
    async fn set_blacklisted(
        &self,
        guild: Snowflake,
        user: Snowflake,
        blacklisted: bool,
    ) -> Result<(), StoreError>;

    /// Whether the member may not open tickets in the guild.
    async fn is_blacklisted(&self, guild: Snowflake, user: Snowflake) -> Result<bool, StoreError>;

    // --- Panels -----------------------------------------------------------------------------

    /// Records a posted panel.
    async fn insert_panel(&self, panel: NewPanel) -> Result<Panel, StoreError>;

    /// The panel posted as message `message_id`, if any.
    async fn panel_by_message(&self, message_id: Snowflake) -> Result<Option<Panel>, StoreError>;

    /// The guild's panels, oldest first.
    async fn panels(&self, guild: Snowflake) -> Result<Vec<Panel>, StoreError>;

    /// Rewrites the panel's channel, message, title, description and footer.
    /// Fails with [`ErrorKind::NotFound`] when no panel has `panel.id`.
    async fn update_panel(&self, panel: &Panel) -> Result<(), StoreError>;

    /// Forgets a panel; `false` when there was none.
    async fn delete_panel(&self, id: i64) -> Result<bool, StoreError>;

    // --- Topics -----------------------------------------------------------------------------

    /// Adds a topic. Fails with [`ErrorKind::TopicNameTaken`] when the guild already has a topic
    /// of that name, ignoring case.
    async fn add_topic(&self, topic: NewTopic) -> Result<Topic, StoreError>;

    /// The guild's topics, oldest first.
    async fn topics(&self, guild: Snowflake) -> Result<Vec<Topic>, StoreError>;

    /// One topic by id.
    async fn topic(&self, id: i64) -> Result<Option<Topic>, StoreError>;

    /// Sets or clears the category a topic's tickets go under.
    /// Fails with [`ErrorKind::NotFound`] when there is no such topic.
    async fn set_topic_category(
        &self,
        id: i64,
        category: Option<Snowflake>,
    ) -> Result<(), StoreError>;

    /// Removes a topic; `false` when there was none.
    async fn remove_topic(&self, id: i64) -> Result<bool, StoreError>;

    // --- Tickets ----------------------------------------------------------------------------

    /// Atomically checks every opening rule and reserves a ticket in status `opening`.
    ///
    /// In one transaction, serialised per guild (also across processes on one PostgreSQL): reads
    /// the settings, refuses when disabled or the member is blacklisted or a limit is reached,
    /// takes the next number from the guild's counter, names the channel and inserts the row.
    /// A refusal consumes no number.
    async fn reserve_ticket(&self, request: ReserveTicket) -> Result<Reservation, StoreError>;

    /// Records the channel created for a reservation and moves it from `opening` to `open`.
    /// Fails with [`ErrorKind::NotFound`] for an unknown ticket and [`ErrorKind::Conflict`] when
    /// the ticket is not `opening`.
    async fn attach_channel(
        &self,
        ticket_id: i64,
        channel_id: Snowflake,
    ) -> Result<Ticket, StoreError>;

    /// Removes a reservation whose channel could not be created; `false` when the ticket is gone
    /// or no longer `opening`. Its number is not reused: numbering may have gaps.
    async fn release_reservation(&self, ticket_id: i64) -> Result<bool, StoreError>;

    /// One ticket by id.
    async fn ticket(&self, id: i64) -> Result<Option<Ticket>, StoreError>;

    /// The ticket living in `channel`, whatever its status.
    async fn ticket_by_channel(&self, channel: Snowflake) -> Result<Option<Ticket>, StoreError>;

    /// The guild's ticket with this per-server number.
    async fn ticket_by_number(
        &self,
        guild: Snowflake,
        number: i64,
    ) -> Result<Option<Ticket>, StoreError>;

    /// The guild's tickets counting against the limits (opening, open, need help), oldest first.
    async fn open_tickets(&self, guild: Snowflake) -> Result<Vec<Ticket>, StoreError>;

    /// The member's tickets counting against the limits, oldest first.
    async fn member_open_tickets(
        &self,
        guild: Snowflake,
        user: Snowflake,
    ) -> Result<Vec<Ticket>, StoreError>;

    /// Open tickets created before `older_than` whose welcome delivery was begun and never
    /// finished: their channel may lack its welcome message.
    async fn unwelcomed_tickets(
        &self,
        older_than: DateTime<Utc>,
    ) -> Result<Vec<Ticket>, StoreError>;

    /// Reservations created before `older_than` that never got a channel: left by a crash, to be
    /// repaired at start-up.
    async fn stale_reservations(
        &self,
        older_than: DateTime<Utc>,
    ) -> Result<Vec<Ticket>, StoreError>;

    /// Tickets that have a channel and are not deleted, in one guild or in all (`None`), for
    /// start-up reconciliation with the channels Discord reports.
    async fn tickets_with_channels(
        &self,
        guild: Option<Snowflake>,
    ) -> Result<Vec<Ticket>, StoreError>;

    /// Compare-and-set: writes every mutable field of `ticket` (status, help, claim, close and
    /// delete fields, topic, channel and members) only if the stored revision still equals
    /// `ticket.revision`, and bumps the revision. Returns the stored ticket either way.
    /// Members are stored sorted and without duplicates; the owner is never listed among them.
    /// No limit is checked here: reopening is the caller's decision.
    /// Fails with [`ErrorKind::NotFound`] when the ticket does not exist.
    async fn update_ticket(&self, ticket: &Ticket) -> Result<UpdateOutcome, StoreError>;

    // --- Delayed work -----------------------------------------------------------------------

    /// Records work to do at `job.due_at`.
    async fn schedule_job(&self, job: NewJob) -> Result<Job, StoreError>;

    /// Leases up to `limit` jobs due at `now` whose lease is empty or expired, to `worker` for
    /// `lease`, oldest due first. Two workers never lease one job at once; a job whose worker
    /// died is leased again when its lease expires, so `lease` must outlast the job's work.
    /// Each lease counts as an attempt. Jobs of a kind this version cannot read are left for
    /// a process that can.
    async fn claim_due_jobs(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: u32,
        worker: &str,
    ) -> Result<Vec<Job>, StoreError>;

    /// Removes a finished job; `false` when it was already gone.
    async fn complete_job(&self, id: i64) -> Result<bool, StoreError>;

    /// Releases a failed job's lease and makes it due again at `next_due`, keeping its attempt
    /// count and recording `error`; a job parked while it ran stays parked. Fails with
    /// [`ErrorKind::NotFound`] for an unknown job.
    async fn retry_job(
        &self,
        id: i64,
        next_due: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError>;

    /// Extends the lease of a job `worker` holds until `until`, while its work goes on; `false`
    /// when the job is no longer its own (completed, retried, failed, or leased elsewhere).
    async fn renew_job_lease(
        &self,
        id: i64,
        worker: &str,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Marks a job that ran out of attempts as failed at `now`, recording `error` and releasing
    /// its lease: it stays, visible to [`Store::failed_jobs`], and is never leased again until
    /// [`Store::retry_failed_job`]. Fails with [`ErrorKind::NotFound`] for an unknown job.
    async fn fail_job(&self, id: i64, now: DateTime<Utc>, error: &str) -> Result<(), StoreError>;

    /// The failed jobs, oldest failure first.
    async fn failed_jobs(&self) -> Result<Vec<Job>, StoreError>;

    /// Gives a failed job a fresh budget of attempts, due at `now`; `false` when no failed job
    /// has this id.
    async fn retry_failed_job(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError>;

    /// The jobs not yet completed that concern the ticket, earliest due first.
    async fn pending_jobs_for_ticket(&self, ticket_id: i64) -> Result<Vec<Job>, StoreError>;

    /// The job with this id, unless it was completed (or never existed).
    async fn job(&self, id: i64) -> Result<Option<Job>, StoreError>;

    /// Records that the job's server admins were told why Discord refuses it; kept through
    /// every later retry. Fails with [`ErrorKind::NotFound`] for an unknown job.
    async fn mark_job_admins_told(&self, id: i64) -> Result<(), StoreError>;

    /// Parks the jobs not yet completed that concern the server's tickets: they become due at
    /// [`PARKED_AT`] and so are never leased, and a retry of one running now keeps it parked.
    /// For a server the bot was removed from, whose every call Discord refuses. Returns how
    /// many jobs were parked.
    async fn park_guild_jobs(&self, guild_id: Snowflake) -> Result<u64, StoreError>;

    /// Makes the server's parked jobs due at `now`, keeping their attempts and last error.
    /// Returns how many.
    async fn unpark_guild_jobs(
        &self,
        guild_id: Snowflake,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError>;

    // --- Transcripts ------------------------------------------------------------------------

    /// Stores a ticket's transcript, replacing an earlier one.
    async fn save_transcript(&self, transcript: NewTranscript) -> Result<(), StoreError>;

    /// A ticket's transcript.
    async fn transcript(&self, ticket_id: i64) -> Result<Option<Transcript>, StoreError>;

    /// Whether a transcript is stored: a channel must not be deleted before this is true.
    async fn has_transcript(&self, ticket_id: i64) -> Result<bool, StoreError>;

    /// Revokes every link to the ticket's transcript; `true` when they were not revoked yet.
    async fn revoke_transcript_links(
        &self,
        ticket_id: i64,
        by: Snowflake,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Whether an admin revoked the links to the ticket's transcript.
    async fn transcript_links_revoked(&self, ticket_id: i64) -> Result<bool, StoreError>;

    // --- Live capture -----------------------------------------------------------------------

    /// Records a message posted in `channel` (MESSAGE_CREATE) for the ticket living there, if
    /// any; a message already recorded is left as it is (a replayed event, or one read from
    /// history first). One statement, whatever the channel: `true` when a row was written,
    /// `false` when the channel is no ticket's or the message was recorded already.
    async fn record_message_created(
        &self,
        channel: Snowflake,
        message: &TicketMessage,
    ) -> Result<bool, StoreError>;

    /// Records an edit of a message in `channel` (MESSAGE_UPDATE): the content and details as
    /// they now stand, and the content first seen kept as the original when the edit changed
    /// it. A message not yet recorded (posted while the bot could not see it) is recorded as
    /// it now is. `false` when the channel is no ticket's.
    async fn record_message_edited(
        &self,
        channel: Snowflake,
        message: &TicketMessage,
    ) -> Result<bool, StoreError>;

    /// Marks messages of `channel` deleted at `at` (MESSAGE_DELETE, MESSAGE_DELETE_BULK); their
    /// rows and content stay. Returns how many recorded messages were marked.
    async fn record_messages_deleted(
        &self,
        channel: Snowflake,
        ids: &[Snowflake],
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError>;

    /// Adds messages read from Discord's history to a ticket, skipping those already recorded
    /// (what was seen live stays as it was seen). Returns how many were added.
    async fn fill_messages(
        &self,
        ticket_id: i64,
        messages: &[TicketMessage],
    ) -> Result<u64, StoreError>;

    /// A ticket's recorded messages, deleted ones included, oldest first.
    async fn ticket_messages(&self, ticket_id: i64) -> Result<Vec<TicketMessage>, StoreError>;

    /// The newest recorded message of a ticket whose id is at most `until`.
    async fn last_message_until(
        &self,
        ticket_id: i64,
        until: Snowflake,
    ) -> Result<Option<Snowflake>, StoreError>;

    /// Records that the ticket's messages after `gap.after_id` up to `gap.until_id` may have
    /// been missed; a gap recorded with the same start is widened.
    async fn add_capture_gap(&self, ticket_id: i64, gap: CaptureGap) -> Result<(), StoreError>;

    /// The ticket's gaps not yet filled, earliest first.
    async fn capture_gaps(&self, ticket_id: i64) -> Result<Vec<CaptureGap>, StoreError>;

    /// Forgets a gap once its messages were read from history; `false` when it was gone.
    async fn remove_capture_gap(&self, ticket_id: i64, gap: CaptureGap)
    -> Result<bool, StoreError>;

    // --- Interaction dedupe -----------------------------------------------------------------

    /// `true` only the first time any process asks about `interaction_id`.
    async fn first_sighting(&self, interaction_id: Snowflake) -> Result<bool, StoreError>;

    /// Forgets sightings recorded before `before`; returns how many.
    async fn prune_sightings(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    // --- Statistics -------------------------------------------------------------------------

    /// Records `staff` as the first staff member to write in the ticket, at `at`; `false` (and
    /// nothing changed) when a first response is already recorded.
    async fn record_first_response(
        &self,
        ticket_id: i64,
        staff: Snowflake,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// The ticket's first staff response: who wrote it and when.
    async fn first_response(
        &self,
        ticket_id: i64,
    ) -> Result<Option<(Snowflake, DateTime<Utc>)>, StoreError>;

    /// Counts, resolution times, topics and staff activity over the guild's tickets created at or
    /// after `since` (all of them with `None`).
    async fn ticket_stats(
        &self,
        guild: Snowflake,
        since: Option<DateTime<Utc>>,
    ) -> Result<TicketStats, StoreError>;

    /// Recounts the statistics roll-ups from the tickets themselves. Every ticket write keeps
    /// them exact, so this is for tickets written around the store (imports, benchmarks) and
    /// for repair; [`Store::migrate`] does it once when the roll-ups are new.
    async fn rebuild_stats(&self) -> Result<(), StoreError>;

    // --- Shutdown ---------------------------------------------------------------------------

    /// Closes every connection after the queries in flight finish; later calls fail.
    async fn close(&self);

    // --- Deliveries -------------------------------------------------------------------------

    /// Records that a ticket's message to `target` for its close `close_key` (see
    /// [`close_key`]) is about to be sent, unless a row exists
    /// already, and returns the state the row is in: [`DeliveryState::Posting`] when it must be
    /// sent (for the first time, or again after an attempt that may have sent it without
    /// recording so), [`DeliveryState::Posted`] when it was delivered.
    async fn begin_delivery(
        &self,
        ticket_id: i64,
        close_key: i64,
        target: DeliveryTarget,
        now: DateTime<Utc>,
    ) -> Result<DeliveryState, StoreError>;

    /// Records a ticket's message to `target` for its close `close_key` as delivered: the message Discord created, or
    /// `None` when there was nothing to send after all (DMs refused, the log channel gone).
    async fn finish_delivery(
        &self,
        ticket_id: i64,
        close_key: i64,
        target: DeliveryTarget,
        message_id: Option<Snowflake>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    // --- Gateway sessions -------------------------------------------------------------------

    /// Keeps a shard's gateway session, closed resumably at shutdown, for the next process to
    /// resume; replaces the one saved earlier for the same shard index and total.
    async fn save_gateway_session(&self, session: &GatewaySession) -> Result<(), StoreError>;

    /// Removes the session saved for shard `shard_id` of `shard_total` and returns it if it was
    /// saved after `saved_after`; an older one is removed too, unreturned, as too old to
    /// resume. One statement: of several processes asking at once, at most one gets it.
    async fn take_gateway_session(
        &self,
        shard_id: u32,
        shard_total: u32,
        saved_after: DateTime<Utc>,
    ) -> Result<Option<GatewaySession>, StoreError>;
}

/// A shard's gateway session as a process left it at shutdown: what a new connection needs to
/// resume it (`RESUME` with the id and the last sequence, sent to the resume URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewaySession {
    /// The shard's index.
    pub shard_id: u32,
    /// How many shards the bot ran with: a session belongs to one sharding.
    pub shard_total: u32,
    /// `session_id` from READY.
    pub session_id: String,
    /// The sequence number of the last event the process received.
    pub sequence: u64,
    /// `resume_gateway_url` from READY, if the shard had one.
    pub resume_url: Option<String>,
    /// When the process let go of the session (its connection closed): about when Discord's
    /// countdown to forgetting it started.
    pub saved_at: DateTime<Utc>,
}

/// Where a closed ticket's messages go, each at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryTarget {
    /// The closure summary in the server's log channel.
    LogSummary,
    /// The transcript sent to the ticket's owner by DM.
    OwnerDm,
    /// The closing message Close all posts in the ticket's channel.
    ClosingMessage,
    /// The welcome message (It Works! / Need Help / Close) in a new ticket's channel: begun
    /// when the ticket is reserved, so an open ticket whose welcome is still "posting" is one
    /// that lacks it, whatever stopped it (an outage, a crash).
    Welcome,
}

impl DeliveryTarget {
    /// The name stored in the `deliveries` table.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryTarget::LogSummary => "log_summary",
            DeliveryTarget::OwnerDm => "owner_dm",
            DeliveryTarget::ClosingMessage => "closing_message",
            DeliveryTarget::Welcome => "welcome",
        }
    }
}

/// How far a delivery got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// Begun and not known to be finished: the message may or may not exist.
    Posting,
    /// Delivered, as this message (`None` when there was nothing to send).
    Posted {
        /// The message Discord created.
        message_id: Option<Snowflake>,
    },
}
