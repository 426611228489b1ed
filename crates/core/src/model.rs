//! The records Ticketbooth keeps: guild settings, panels, topics and tickets.
//!
//! Ids are Discord snowflakes as `u64`; the store keeps them as 64-bit integers. Times are UTC.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A Discord snowflake (guild, channel, user, role or message id).
pub type Snowflake = u64;

pub use crate::i18n::Language;

/// What happens to a ticket's channel once the ticket is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum ClosingMode {
    /// Delete the channel this many seconds after closing (the seed's 5 seconds by default).
    Delete { after_secs: u32 },
    /// Lock the channel (the member loses access) and offer Delete Channel and Reopen buttons.
    Keep,
}

impl Default for ClosingMode {
    fn default() -> Self {
        ClosingMode::Delete { after_secs: 5 }
    }
}

/// Who besides staff and admins may close a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum WhoMayClose {
    /// The ticket's owner, staff and admins.
    #[default]
    OwnerAndStaff,
    /// Staff and admins only (the owner can still use It Works!).
    StaffOnly,
}

/// How ticket channels are named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "scheme")]
pub enum Naming {
    /// A template such as `ticket-{number}`; `{number}` is the per-server counter, zero-padded to 4,
    /// `{user}` the owner's name.
    Template { template: String },
    /// `ticket-` and 6 random lowercase letters and digits, as in the seed.
    Random6,
}

impl Default for Naming {
    fn default() -> Self {
        Naming::Template {
            template: "ticket-{number}".to_owned(),
        }
    }
}

/// A server's ticket settings, changed through the `/ticket` hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuildSettings {
    pub guild_id: Snowflake,
    pub enabled: bool,
    /// Maximum open tickets per member (default 1).
    pub max_open_per_member: u32,
    /// Maximum open tickets in the server.
    pub max_open_total: u32,
    pub staff_roles: Vec<Snowflake>,
    pub log_channel: Option<Snowflake>,
    /// The default "Tickets" category, once created or chosen.
    pub default_category: Option<Snowflake>,
    pub closing: ClosingMode,
    pub who_may_close: WhoMayClose,
    /// Whether 🔒 Close asks "Yes, close it" / "Close with a reason" first (`/close` never does).
    pub confirm_close: bool,
    pub naming: Naming,
    /// The welcome embed's "Response time" field.
    pub response_time: String,
    /// The welcome embed's instructions.
    pub instructions: String,
    /// Embed colour (the seed's 5814783 by default).
    pub color: u32,
    pub footer: String,
    pub language: Language,
}

impl GuildSettings {
    pub const DEFAULT_MAX_OPEN_PER_MEMBER: u32 = 1;
    pub const DEFAULT_MAX_OPEN_TOTAL: u32 = 200;
    pub const DEFAULT_COLOR: u32 = 5_814_783;

    /// The settings of a server that has changed nothing yet.
    pub fn defaults(guild_id: Snowflake) -> Self {
        GuildSettings {
            guild_id,
            enabled: true,
            max_open_per_member: Self::DEFAULT_MAX_OPEN_PER_MEMBER,
            max_open_total: Self::DEFAULT_MAX_OPEN_TOTAL,
            staff_roles: Vec::new(),
            log_channel: None,
            default_category: None,
            closing: ClosingMode::default(),
            who_may_close: WhoMayClose::default(),
            confirm_close: true,
            naming: Naming::default(),
            response_time: String::new(),
            instructions: String::new(),
            color: Self::DEFAULT_COLOR,
            footer: String::new(),
            language: Language::En,
        }
    }
}

/// A posted panel: the message with the "Open a ticket" button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Panel {
    pub id: i64,
    pub guild_id: Snowflake,
    pub channel_id: Snowflake,
    pub message_id: Snowflake,
    pub title: String,
    pub description: String,
    pub footer: String,
    pub created_at: DateTime<Utc>,
}

/// A support topic members pick when opening a ticket; each has its own category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: i64,
    pub guild_id: Snowflake,
    pub name: String,
    pub description: Option<String>,
    pub emoji: Option<String>,
    pub category_id: Option<Snowflake>,
}

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// Reserved in the store; its channel is being created.
    Opening,
    /// Open, its channel created.
    Open,
    /// The owner pressed Need Help; staff were pinged.
    NeedHelp,
    /// Closed; the channel is locked or due for deletion.
    Closed,
    /// Closed and its channel is gone.
    Deleted,
}

impl TicketStatus {
    /// Counts against the per-member and per-server limits.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TicketStatus::Opening | TicketStatus::Open | TicketStatus::NeedHelp
        )
    }

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Opening => "opening",
            TicketStatus::Open => "open",
            TicketStatus::NeedHelp => "need_help",
            TicketStatus::Closed => "closed",
            TicketStatus::Deleted => "deleted",
        }
    }

    /// Reads a name written by [`TicketStatus::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "opening" => TicketStatus::Opening,
            "open" => TicketStatus::Open,
            "need_help" => TicketStatus::NeedHelp,
            "closed" => TicketStatus::Closed,
            "deleted" => TicketStatus::Deleted,
            _ => return None,
        })
    }
}

/// How a ticket came to be closed: the paths the seed's metrics count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseHow {
    /// The owner pressed It Works!.
    ItWorks,
    /// Closed by staff after the owner asked for help.
    NeedHelpThenStaff,
    /// Closed by staff or an admin without a help request.
    Staff,
    /// Closed by its owner with Close.
    Owner,
    /// Closed by the hub's Close all.
    CloseAll,
    /// Its channel was deleted by hand.
    ChannelDeleted,
}

impl CloseHow {
    /// Every path, in the order statistics list them.
    pub const ALL: [CloseHow; 6] = [
        CloseHow::ItWorks,
        CloseHow::NeedHelpThenStaff,
        CloseHow::Staff,
        CloseHow::Owner,
        CloseHow::CloseAll,
        CloseHow::ChannelDeleted,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CloseHow::ItWorks => "it_works",
            CloseHow::NeedHelpThenStaff => "need_help_then_staff",
            CloseHow::Staff => "staff",
            CloseHow::Owner => "owner",
            CloseHow::CloseAll => "close_all",
            CloseHow::ChannelDeleted => "channel_deleted",
        }
    }

    /// Reads a name written by [`CloseHow::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        CloseHow::ALL.into_iter().find(|h| h.as_str() == s)
    }
}

/// A ticket, open or archived. Archived tickets are never removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// The store's id.
    pub id: i64,
    pub guild_id: Snowflake,
    /// The per-server number (`ticket-0001` is number 1).
    pub number: i64,
    /// The channel name chosen at reservation.
    pub name: String,
    /// Set once the channel exists.
    pub channel_id: Option<Snowflake>,
    pub owner_id: Snowflake,
    pub topic: Option<String>,
    pub status: TicketStatus,
    /// Set once the owner has asked for help (kept after a claim, to tell how it was closed).
    pub help_requested_at: Option<DateTime<Utc>>,
    pub claimed_by: Option<Snowflake>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<Snowflake>,
    pub close_how: Option<CloseHow>,
    pub close_reason: Option<String>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Members added to the ticket besides its owner.
    pub members: Vec<Snowflake>,
    /// Bumped by every update; the store writes a ticket only if the revision it read is current,
    /// so two processes acting on one ticket cannot both win.
    pub revision: i64,
}
