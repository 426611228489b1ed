//! What a renderer is told besides the messages: the ticket's facts and the names behind ids.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ticketbooth_core::Language;

use crate::CapturedMessage;

/// The ticket a transcript belongs to, shown in the transcript's header. Ids are resolved to
/// names through the [`Directory`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketInfo {
    /// The channel name, e.g. `ticket-0001`.
    pub name: String,
    /// The per-server ticket number.
    pub number: i64,
    /// The server's name.
    pub guild_name: String,
    /// The member who opened the ticket.
    pub owner_id: u64,
    /// The topic picked when opening, if topics are configured.
    pub topic: Option<String>,
    /// When the ticket was opened.
    pub opened_at: DateTime<Utc>,
    /// The staff member who claimed it, if anyone did.
    #[serde(default)]
    pub claimed_by: Option<u64>,
    /// When it was closed, if it has been.
    pub closed_at: Option<DateTime<Utc>>,
    /// Who closed it.
    pub closed_by: Option<u64>,
    /// How it was closed, already in words (e.g. "resolved by the owner").
    pub close_how: Option<String>,
    /// The reason given when closing.
    pub close_reason: Option<String>,
    /// The language of the page's own words (the server's).
    #[serde(default)]
    pub language: Language,
}

/// A role's name and colour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleInfo {
    /// The role's name, shown as `@name`.
    pub name: String,
    /// The role's colour as `0xRRGGBB`; 0 means no colour.
    pub colour: u32,
}

/// Names for the ids a transcript mentions. Authors and mentioned users are known from the
/// captured messages already; the directory adds server nicknames, roles and channels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    /// User id → display name (a server nickname wins over what the messages say).
    pub users: HashMap<u64, String>,
    /// Role id → name and colour.
    pub roles: HashMap<u64, RoleInfo>,
    /// Channel id → name (without `#`).
    pub channels: HashMap<u64, String>,
}

impl Directory {
    /// An empty directory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a user's display name.
    pub fn with_user(mut self, id: u64, name: impl Into<String>) -> Self {
        self.users.insert(id, name.into());
        self
    }

    /// Adds a role's name and colour (`0xRRGGBB`, 0 for none).
    pub fn with_role(mut self, id: u64, name: impl Into<String>, colour: u32) -> Self {
        self.roles.insert(
            id,
            RoleInfo {
                name: name.into(),
                colour,
            },
        );
        self
    }

    /// Adds a channel's name.
    pub fn with_channel(mut self, id: u64, name: impl Into<String>) -> Self {
        self.channels.insert(id, name.into());
        self
    }
}

/// Resolves ids for one transcript: the directory first, then the authors' own display names,
/// then the names Discord attached to mentions.
pub(crate) struct Names<'a> {
    directory: &'a Directory,
    users: HashMap<u64, &'a str>,
}

impl<'a> Names<'a> {
    pub(crate) fn new(directory: &'a Directory, messages: &'a [CapturedMessage]) -> Self {
        let mut users = HashMap::new();
        for message in messages {
            for (id, name) in &message.mentions {
                users.entry(*id).or_insert(name.as_str());
            }
        }
        for message in messages {
            users.insert(message.author_id, author_name(message));
        }
        Self { directory, users }
    }

    pub(crate) fn user(&self, id: u64) -> Option<&'a str> {
        self.directory
            .users
            .get(&id)
            .map(String::as_str)
            .or_else(|| self.users.get(&id).copied())
    }

    /// The name shown for a message's author.
    pub(crate) fn author(&self, message: &'a CapturedMessage) -> &'a str {
        self.directory
            .users
            .get(&message.author_id)
            .map_or_else(|| author_name(message), String::as_str)
    }

    pub(crate) fn role(&self, id: u64) -> Option<&'a RoleInfo> {
        self.directory.roles.get(&id)
    }

    pub(crate) fn channel(&self, id: u64) -> Option<&'a str> {
        self.directory.channels.get(&id).map(String::as_str)
    }
}

fn author_name(message: &CapturedMessage) -> &str {
    message
        .author_display
        .as_deref()
        .filter(|name| !name.trim().is_empty())
        .unwrap_or(&message.author_name)
}
