//! The values the store takes and returns besides the domain records of `ticketbooth-core`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ticketbooth_core::{Snowflake, Ticket};

/// A panel about to be recorded; the store assigns its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPanel {
    pub guild_id: Snowflake,
    pub channel_id: Snowflake,
    pub message_id: Snowflake,
    pub title: String,
    pub description: String,
    pub footer: String,
    pub created_at: DateTime<Utc>,
}

/// A topic about to be added; the store assigns its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTopic {
    pub guild_id: Snowflake,
    pub name: String,
    pub description: Option<String>,
    pub emoji: Option<String>,
    pub category_id: Option<Snowflake>,
}

/// A member's request to open a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveTicket {
    pub guild_id: Snowflake,
    pub owner_id: Snowflake,
    /// The member's name, for `{user}` in the naming template.
    pub owner_name: String,
    /// The topic the member picked, if the guild has topics.
    pub topic: Option<String>,
    /// Six random characters for the `Random6` naming scheme; chosen by the caller so the store
    /// stays deterministic.
    pub random_suffix: String,
    pub now: DateTime<Utc>,
}

/// The outcome of [`crate::Store::reserve_ticket`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "made once per ticket opened; a box would only add noise where it is matched"
)]
pub enum Reservation {
    /// A ticket in status `opening`, numbered and named; its channel is to be created.
    Reserved(Ticket),
    /// The member may not open a ticket now.
    Refused(OpenRefusal),
}

/// Why a ticket could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenRefusal {
    /// The guild has switched the ticket system off.
    Disabled,
    /// The member is on the guild's blacklist.
    Blacklisted,
    /// The member already has `limit` open tickets: these (to tell them where they are).
    MemberLimit { limit: u32, open: Vec<Ticket> },
    /// The guild already has `limit` open tickets.
    ServerLimit { limit: u32 },
}

/// The outcome of [`crate::Store::update_ticket`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// Written; the ticket as stored, with its new revision.
    Updated(Ticket),
    /// Someone else changed the ticket first; the ticket as currently stored.
    Stale(Ticket),
}

/// Delayed work. Stored as JSON: add a variant to add a kind of job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobKind {
    /// Delete a closed ticket's channel (after its transcript is saved).
    DeleteChannel {
        ticket_id: i64,
        channel_id: Snowflake,
    },
}

impl JobKind {
    /// The ticket the job concerns, if any, so a ticket's pending jobs can be listed.
    pub fn ticket_id(&self) -> Option<i64> {
        match self {
            JobKind::DeleteChannel { ticket_id, .. } => Some(*ticket_id),
        }
    }
}

/// A job about to be scheduled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    pub kind: JobKind,
    pub due_at: DateTime<Utc>,
}

/// A scheduled job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: JobKind,
    pub due_at: DateTime<Utc>,
    /// Until when the worker in `leased_by` holds it.
    pub leased_until: Option<DateTime<Utc>>,
    pub leased_by: Option<String>,
    /// How many times it has been leased.
    pub attempts: u32,
    /// The error recorded by the last [`crate::Store::retry_job`].
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A transcript about to be stored. Compression, if any, is the caller's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTranscript {
    pub ticket_id: i64,
    /// What `data` holds, for example `"json+gzip"` or `"html"`.
    pub format: String,
    pub data: Vec<u8>,
    pub message_count: i64,
    pub created_at: DateTime<Utc>,
}

/// A stored transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub ticket_id: i64,
    pub format: String,
    pub data: Vec<u8>,
    pub message_count: i64,
    pub created_at: DateTime<Utc>,
}
