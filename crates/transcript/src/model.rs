//! What is captured of a ticket's conversation: independent of twilight's types, so stored
//! transcripts outlive upgrades of the Discord library.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One captured message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapturedMessage {
    pub id: u64,
    pub author_id: u64,
    /// The username.
    pub author_name: String,
    /// The global display name, if set.
    pub author_display: Option<String>,
    /// The avatar hash (CDN path `avatars/{author_id}/{hash}.png`).
    pub author_avatar: Option<String>,
    pub author_bot: bool,
    pub content: String,
    pub timestamp: DateTime<Utc>,
    pub edited_timestamp: Option<DateTime<Utc>>,
    /// The content before the first edit that changed it, when the bot saw the message before
    /// it was edited (absent in transcripts stored before live capture).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_content: Option<String>,
    /// When the message was deleted in Discord; it is kept, and shown as deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
    /// The embeds as Discord sent them (Discord's embed JSON).
    pub embeds: Vec<serde_json::Value>,
    pub attachments: Vec<CapturedAttachment>,
    /// The message this one replies to.
    pub reply_to: Option<u64>,
    /// Users mentioned: (id, name), so `<@id>` can be shown as a name.
    pub mentions: Vec<(u64, String)>,
    /// Roles mentioned by id.
    pub mention_roles: Vec<u64>,
    /// The message's components (buttons, selects) as Discord sent them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<serde_json::Value>,
}

/// An attachment's name and link (the file itself stays on Discord's CDN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapturedAttachment {
    pub filename: String,
    pub url: String,
    pub size: u64,
    pub content_type: Option<String>,
}
