//! The values the store takes and returns besides the domain records of `ticketbooth-core`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ticketbooth_core::{CloseHow, Snowflake, Ticket};

/// A panel about to be recorded; the store assigns its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPanel {
    /// The guild it is posted in.
    pub guild_id: Snowflake,
    /// The channel it is posted in.
    pub channel_id: Snowflake,
    /// Its message; 0 while the message is being posted (several drafts may share 0).
    pub message_id: Snowflake,
    /// The embed's title.
    pub title: String,
    /// The embed's description.
    pub description: String,
    /// The embed's footer.
    pub footer: String,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
}

/// A topic about to be added; the store assigns its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTopic {
    /// The guild it belongs to.
    pub guild_id: Snowflake,
    /// Its name, unique in the guild ignoring case and surrounding spaces.
    pub name: String,
    /// Shown under the name in the select menu.
    pub description: Option<String>,
    /// Shown before the name in the select menu.
    pub emoji: Option<String>,
    /// The category its tickets go under, once created.
    pub category_id: Option<Snowflake>,
}

/// A member's request to open a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveTicket {
    /// The guild to open it in.
    pub guild_id: Snowflake,
    /// The member opening it.
    pub owner_id: Snowflake,
    /// The member's name, for `{user}` in the naming template.
    pub owner_name: String,
    /// The topic the member picked, if the guild has topics.
    pub topic: Option<String>,
    /// Six random characters for the `Random6` naming scheme; chosen by the caller so the store
    /// stays deterministic.
    pub random_suffix: String,
    /// The time of the click, stored as the ticket's creation time.
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
    /// The member already has `limit` or more open tickets.
    MemberLimit {
        /// The guild's per-member maximum.
        limit: u32,
        /// The member's open tickets, oldest first, to tell them where they are.
        open: Vec<Ticket>,
    },
    /// The guild already has `limit` or more open tickets.
    ServerLimit {
        /// The guild's maximum.
        limit: u32,
    },
}

/// The outcome of [`crate::Store::update_ticket`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// Written; the ticket as stored, with its new revision.
    Updated(Ticket),
    /// Someone else changed the ticket first; the ticket as currently stored.
    Stale(Ticket),
}

/// Delayed work, stored as JSON tagged by `kind`: add a variant to add a kind of job (and list
/// its ticket in [`JobKind::ticket_id`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobKind {
    /// Delete a closed ticket's channel (after its transcript is saved).
    DeleteChannel {
        /// The closed ticket.
        ticket_id: i64,
        /// Its channel.
        channel_id: Snowflake,
    },
    /// Capture a closed ticket's conversation into its transcript (the channel is kept).
    CaptureTranscript {
        /// The closed ticket.
        ticket_id: i64,
        /// Its channel.
        channel_id: Snowflake,
    },
    /// Bring these roles' access to the server's ticket categories and channels in line with
    /// its staff roles as saved when the job runs.
    SyncStaffAccess {
        /// The server.
        guild_id: Snowflake,
        /// The roles whose access may have changed.
        roles: Vec<Snowflake>,
    },
    /// The hub's Close all, as confirmed: close each listed ticket still open, in the name of
    /// the admin who confirmed, then note in the log channel how many were closed.
    CloseAll {
        /// The server.
        guild_id: Snowflake,
        /// The admin who confirmed, to whom the closes are attributed.
        user_id: Snowflake,
        /// Their roles when they confirmed, so each close is authorized as it was then.
        role_ids: Vec<Snowflake>,
        /// Their permissions when they confirmed, as Discord computed them.
        permissions: u64,
        /// The tickets the confirmation counted; tickets opened since are not closed.
        ticket_ids: Vec<i64>,
    },
    /// Post a ticket's welcome message that could not be posted while its owner waited
    /// (unless the channel already shows it).
    PostWelcome {
        /// The open ticket.
        ticket_id: i64,
        /// Its channel.
        channel_id: Snowflake,
    },
    /// Bring a ticket channel's overwrites in line with the ticket as stored when the job runs:
    /// its members let in while it is open, locked once it is closed.
    SyncTicketAccess {
        /// The ticket.
        ticket_id: i64,
        /// Its channel.
        channel_id: Snowflake,
    },
    /// Undo an opening that failed for good: delete the channel carrying the reservation's
    /// marker, if Discord created one, then release the reservation.
    AbandonOpening {
        /// The reservation.
        ticket_id: i64,
        /// Its server.
        guild_id: Snowflake,
    },
}

impl JobKind {
    /// The ticket the job concerns, if any, so a ticket's pending jobs can be listed.
    pub fn ticket_id(&self) -> Option<i64> {
        match self {
            JobKind::DeleteChannel { ticket_id, .. }
            | JobKind::CaptureTranscript { ticket_id, .. }
            | JobKind::PostWelcome { ticket_id, .. }
            | JobKind::SyncTicketAccess { ticket_id, .. }
            | JobKind::AbandonOpening { ticket_id, .. } => Some(*ticket_id),
            JobKind::SyncStaffAccess { .. } | JobKind::CloseAll { .. } => None,
        }
    }
}

/// A job about to be scheduled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// What to do.
    pub kind: JobKind,
    /// When to do it; a worker leases it at or after this time.
    pub due_at: DateTime<Utc>,
}

/// The due time of a parked job (see [`crate::Store::park_guild_jobs`]): far enough away that
/// no real schedule reaches it, and within what both backends store.
pub const PARKED_AT: DateTime<Utc> = match DateTime::from_timestamp(253_370_764_800, 0) {
    // 9999-01-01T00:00:00Z
    Some(t) => t,
    None => panic!("a valid time"),
};

/// A scheduled job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The store's id.
    pub id: i64,
    /// What to do.
    pub kind: JobKind,
    /// When it is (next) due.
    pub due_at: DateTime<Utc>,
    /// Until when the worker in `leased_by` holds it.
    pub leased_until: Option<DateTime<Utc>>,
    /// The worker holding it.
    pub leased_by: Option<String>,
    /// How many times it has been leased.
    pub attempts: u32,
    /// The error recorded by the last [`crate::Store::retry_job`].
    pub last_error: Option<String>,
    /// Whether the server's admins were told why Discord refuses it
    /// ([`crate::Store::mark_job_admins_told`]).
    pub admins_told: bool,
    /// When it ran out of attempts ([`crate::Store::fail_job`]); a failed job is never leased
    /// until [`crate::Store::retry_failed_job`].
    pub failed_at: Option<DateTime<Utc>>,
    /// When it was scheduled.
    pub created_at: DateTime<Utc>,
}

/// A transcript about to be stored. Compression, if any, is the caller's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTranscript {
    /// The ticket it records.
    pub ticket_id: i64,
    /// What `data` holds, for example `"json+gzip"` or `"html"`.
    pub format: String,
    /// The transcript itself.
    pub data: Vec<u8>,
    /// How many messages it holds.
    pub message_count: i64,
    /// When it was captured.
    pub created_at: DateTime<Utc>,
}

/// A stored transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// The ticket it records.
    pub ticket_id: i64,
    /// What `data` holds, as given when it was saved.
    pub format: String,
    /// The transcript itself.
    pub data: Vec<u8>,
    /// How many messages it holds.
    pub message_count: i64,
    /// When it was captured.
    pub created_at: DateTime<Utc>,
}

/// What a guild's tickets add up to, over the tickets created in a window.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketStats {
    /// Tickets created (released reservations are gone and not counted).
    pub created: u64,
    /// Of those, how many are still open (opening, open or need help).
    pub open: u64,
    /// Of those, how many were closed, for every way of closing in [`CloseHow::ALL`] order
    /// (zeros included).
    pub closed_by: Vec<(CloseHow, u64)>,
    /// Mean time from opening to closing, in seconds, over the closed ones.
    pub resolution_mean_secs: Option<f64>,
    /// Median time from opening to closing, in seconds, over the closed ones.
    pub resolution_median_secs: Option<f64>,
    /// Mean time from opening to the first staff message, in seconds, over the tickets that
    /// have one.
    pub first_response_mean_secs: Option<f64>,
    /// How many different members opened them.
    pub members: u64,
    /// The most common topic and its count (the alphabetically first on a tie).
    pub top_topic: Option<(String, u64)>,
    /// Claims and staff closes per staff member, most active first.
    pub staff: Vec<StaffActivity>,
}

impl TicketStats {
    /// Closed tickets, however they were closed.
    pub fn closed(&self) -> u64 {
        self.closed_by.iter().map(|(_, n)| n).sum()
    }

    /// Closed as a share of created, from 0 to 1; `None` without tickets.
    pub fn resolution_rate(&self) -> Option<f64> {
        (self.created > 0).then(|| self.closed() as f64 / self.created as f64)
    }

    /// Tickets per member who opened any; `None` without tickets.
    pub fn tickets_per_member(&self) -> Option<f64> {
        (self.members > 0).then(|| self.created as f64 / self.members as f64)
    }
}

/// One staff member's part in a guild's tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffActivity {
    /// The staff member.
    pub user_id: Snowflake,
    /// Tickets they claimed.
    pub claims: u64,
    /// Tickets they closed as staff (after a help request, directly, or by close-all).
    pub closes: u64,
    /// Tickets in which they were the first staff member to write.
    pub first_responses: u64,
}

/// The settings before and after [`crate::Store::update_guild_settings`] applied a change.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingsUpdate {
    /// As stored when the change was applied.
    pub before: ticketbooth_core::GuildSettings,
    /// As stored now.
    pub after: ticketbooth_core::GuildSettings,
}

/// One message of a ticket's channel as the store keeps it: captured live from the gateway
/// (created, edited, deleted) or read from Discord's history to fill a gap.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketMessage {
    /// The message's snowflake: time-ordered, so the transcript's order.
    pub message_id: Snowflake,
    /// Its author.
    pub author_id: Snowflake,
    /// The author's username.
    pub author_name: String,
    /// The author's global display name, if set.
    pub author_display: Option<String>,
    /// The author's avatar hash.
    pub author_avatar: Option<String>,
    /// Whether the author is a bot.
    pub author_bot: bool,
    /// The content as it stands (after the latest edit).
    pub content: String,
    /// The content first seen, when an edit changed it; `None` when never changed.
    pub original_content: Option<String>,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
    /// When it was last edited.
    pub edited_at: Option<DateTime<Utc>>,
    /// When the gateway said it was deleted (the row and its content stay, for staff).
    pub deleted_at: Option<DateTime<Utc>>,
    /// Read from Discord's history rather than seen live.
    pub from_history: bool,
    /// Embeds, components, attachments' metadata, reply and mentions, as JSON.
    pub details: serde_json::Value,
}

/// Message ids of a ticket's channel the bot may have missed: those after `after_id` up to
/// `until_id`, read from Discord's history at close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureGap {
    /// The last message known to be captured before the gap (or the channel's id: message ids
    /// in a channel are all greater).
    pub after_id: Snowflake,
    /// The channel's last message when the bot came back.
    pub until_id: Snowflake,
}

/// The key the deliveries of a ticket's opening (its welcome) are recorded under: no close's,
/// since a close's key is its time.
pub const OPENING_KEY: i64 = 0;

/// The key of one close of a ticket, which its deliveries (summary, DM, closing message) are
/// recorded under: the close's time in Unix milliseconds, as the store keeps it. `None` while
/// the ticket is not closed.
pub fn close_key(ticket: &Ticket) -> Option<i64> {
    ticket.closed_at.map(|at| at.timestamp_millis())
}
