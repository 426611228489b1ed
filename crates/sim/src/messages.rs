//! Creating, editing and deleting messages in the world, with mention resolution and the
//! gateway events Discord sends for each change.

use serde_json::{Value, json};

use crate::error::DiscordError;
use crate::gateway::{Content, intents};
use crate::world::{Attachment, Message, World, bits, channel_type, id_of, now_iso};

/// Who is posting a message and on whose behalf.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    /// The author's user id.
    pub author_id: u64,
    /// Set when the message is an interaction response or follow-up.
    pub interaction_id: Option<u64>,
    /// The only user who may see the message, for ephemeral responses.
    pub ephemeral_to: Option<u64>,
}

/// An uploaded file, before it becomes an attachment.
#[derive(Debug, Clone)]
pub struct Upload {
    /// `files[n]` index.
    pub index: usize,
    /// File name.
    pub filename: String,
    /// Size in bytes.
    pub size: usize,
    /// MIME type, if given.
    pub content_type: Option<String>,
    /// The file's bytes.
    pub data: Vec<u8>,
}

/// How long Discord remembers a nonce for `enforce_nonce`: its documentation says "the past
/// few minutes"; five is this simulator's reading.
pub const NONCE_WINDOW: chrono::Duration = chrono::Duration::minutes(5);

/// A create body's `nonce` as text: Discord accepts an integer or a string of up to 25
/// characters.
pub fn nonce_of(body: &Value) -> Option<String> {
    match body.get("nonce")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl World {
    /// With `enforce_nonce` and a `nonce` in a create body, the message `author` created with
    /// that nonce within [`NONCE_WINDOW`]: Discord returns it instead of creating another.
    pub fn message_with_nonce(&self, author: u64, body: &Value) -> Option<u64> {
        if body.get("enforce_nonce").and_then(Value::as_bool) != Some(true) {
            return None;
        }
        let nonce = nonce_of(body)?;
        let since = chrono::Utc::now() - NONCE_WINDOW;
        self.messages
            .values()
            .filter(|m| m.author_id == author && m.nonce.as_deref() == Some(nonce.as_str()))
            .filter(|m| {
                chrono::DateTime::parse_from_rfc3339(&m.timestamp)
                    .is_ok_and(|at| at.with_timezone(&chrono::Utc) >= since)
            })
            .map(|m| m.id)
            .max()
    }

    /// Stores a message built from a Discord message-create body and dispatches MESSAGE_CREATE
    /// (ephemeral messages are never dispatched). Returns the new message's id.
    pub fn post_message(
        &mut self,
        channel_id: u64,
        origin: Origin,
        body: &Value,
        uploads: &[Upload],
    ) -> Result<u64, DiscordError> {
        let id = self.next_id();
        let reference = body
            .get("message_reference")
            .filter(|r| !r.is_null())
            .cloned();
        let replied_to = match reference
            .as_ref()
            .and_then(|r| r.get("message_id"))
            .and_then(id_of)
        {
            Some(mid) => match self.messages.get(&mid) {
                Some(m) if m.channel_id == channel_id => Some(m.author_id),
                _ if reference
                    .as_ref()
                    .and_then(|r| r.get("fail_if_not_exists"))
                    .and_then(Value::as_bool)
                    == Some(false) =>
                {
                    None
                }
                _ => {
                    return Err(DiscordError::invalid_form(
                        "message_reference",
                        "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                        "Unknown message",
                    ));
                }
            },
            None => None,
        };
        let content = body
            .get("content")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let allowed = body
            .get("allowed_mentions")
            .filter(|a| !a.is_null())
            .cloned();
        let (pinged_users, pinged_roles, pinged_everyone) = self.resolve_mentions(
            channel_id,
            origin.author_id,
            &content,
            allowed.as_ref(),
            replied_to,
        );
        let attachments = self.attachments_from(body, uploads);
        let mut flags = body.get("flags").and_then(Value::as_u64).unwrap_or(0);
        if origin.ephemeral_to.is_some() {
            flags |= 64;
        }
        let kind = if replied_to.is_some() { 19 } else { 0 };
        let message = Message {
            id,
            channel_id,
            author_id: origin.author_id,
            content,
            embeds: body
                .get("embeds")
                .filter(|e| e.is_array())
                .cloned()
                .unwrap_or_else(|| json!([])),
            components: {
                let mut c = body
                    .get("components")
                    .filter(|e| e.is_array())
                    .cloned()
                    .unwrap_or_else(|| json!([]));
                number_components(&mut c);
                c
            },
            attachments,
            flags,
            kind,
            message_reference: reference
                .map(|r| complete_reference(r, channel_id, self.channel_guild(channel_id))),
            allowed_mentions: allowed,
            timestamp: now_iso(),
            edited_timestamp: None,
            ephemeral_to: origin.ephemeral_to,
            pinged_users,
            pinged_roles,
            pinged_everyone,
            webhook_id: origin.interaction_id.map(|_| self.app.id),
            interaction_id: origin.interaction_id,
            nonce: nonce_of(body),
        };
        self.messages.insert(id, message);
        if origin.ephemeral_to.is_none() {
            if let Some(c) = self.channels.get_mut(&channel_id) {
                c.last_message_id = Some(id);
            }
            self.dispatch_message("MESSAGE_CREATE", id);
        }
        Ok(id)
    }

    fn attachments_from(&mut self, body: &Value, uploads: &[Upload]) -> Vec<Attachment> {
        let described: Vec<Value> = body
            .get("attachments")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        uploads
            .iter()
            .map(|u| {
                let meta = described
                    .iter()
                    .find(|a| a.get("id").and_then(id_of) == Some(u.index as u64));
                Attachment {
                    id: self.next_id(),
                    filename: meta
                        .and_then(|m| m.get("filename"))
                        .and_then(Value::as_str)
                        .map_or_else(|| u.filename.clone(), str::to_owned),
                    size: u.size,
                    content_type: u.content_type.clone(),
                    description: meta
                        .and_then(|m| m.get("description"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    data: u.data.clone(),
                }
            })
            .collect()
    }

    /// Applies a message-edit body (content, embeds, components, flags, allowed_mentions,
    /// attachments to keep, new uploads) and dispatches MESSAGE_UPDATE.
    pub fn edit_message(
        &mut self,
        id: u64,
        body: &Value,
        uploads: &[Upload],
    ) -> Result<(), DiscordError> {
        let Some(old) = self.messages.get(&id).cloned() else {
            return Err(DiscordError::unknown_message());
        };
        let mut m = old;
        if let Some(c) = body.get("content") {
            m.content = c.as_str().unwrap_or_default().to_owned();
        }
        for (key, slot) in [("embeds", &mut m.embeds), ("components", &mut m.components)] {
            if let Some(v) = body.get(key) {
                *slot = if v.is_array() { v.clone() } else { json!([]) };
            }
        }
        number_components(&mut m.components);
        if let Some(f) = body.get("flags").and_then(Value::as_u64) {
            // Only SUPPRESS_EMBEDS may be changed by an edit; ephemeral and loading stay as they were.
            m.flags = (m.flags & !4) | (f & 4);
        }
        // Editing the "thinking" message of a deferred response ends the loading state.
        m.flags &= !128;
        if let Some(a) = body.get("allowed_mentions") {
            m.allowed_mentions = Some(a.clone()).filter(|a| !a.is_null());
        }
        if let Some(keep) = body.get("attachments").and_then(Value::as_array) {
            let keep_ids: Vec<u64> = keep
                .iter()
                .filter_map(|a| a.get("id").and_then(id_of))
                .collect();
            m.attachments.retain(|a| keep_ids.contains(&a.id));
        }
        let new = self.attachments_from(body, uploads);
        m.attachments.extend(new);
        let (u, r, e) = self.resolve_mentions(
            m.channel_id,
            m.author_id,
            &m.content,
            m.allowed_mentions.as_ref(),
            None,
        );
        (m.pinged_users, m.pinged_roles, m.pinged_everyone) = (u, r, e);
        m.edited_timestamp = Some(now_iso());
        let ephemeral = m.ephemeral_to.is_some();
        self.messages.insert(id, m);
        if !ephemeral {
            self.dispatch_message("MESSAGE_UPDATE", id);
        }
        Ok(())
    }

    /// Removes a message and dispatches MESSAGE_DELETE.
    pub fn delete_message(&mut self, id: u64) -> Result<(), DiscordError> {
        let m = self
            .messages
            .remove(&id)
            .ok_or_else(DiscordError::unknown_message)?;
        if m.ephemeral_to.is_none() {
            let guild_id = self.channel_guild(m.channel_id);
            let mut d = json!({"id": id.to_string(), "channel_id": m.channel_id.to_string()});
            if let Some(g) = guild_id {
                d["guild_id"] = json!(g.to_string());
            }
            self.dispatch(
                guild_id,
                "MESSAGE_DELETE",
                d,
                message_intent(guild_id),
                Content::None,
            );
        }
        Ok(())
    }

    /// Removes messages of a guild channel at once and dispatches one MESSAGE_DELETE_BULK with
    /// the ids that were there, as Discord does for a bulk delete (by a bot, or a ban that
    /// deletes the member's recent messages). Returns those ids.
    pub fn bulk_delete_messages(&mut self, channel_id: u64, ids: &[u64]) -> Vec<u64> {
        let deleted: Vec<u64> = ids
            .iter()
            .copied()
            .filter(|id| {
                self.messages
                    .get(id)
                    .is_some_and(|m| m.channel_id == channel_id && m.ephemeral_to.is_none())
            })
            .collect();
        for id in &deleted {
            self.messages.remove(id);
        }
        let guild_id = self.channel_guild(channel_id);
        let mut d = json!({
            "ids": deleted.iter().map(u64::to_string).collect::<Vec<_>>(),
            "channel_id": channel_id.to_string(),
        });
        if let Some(g) = guild_id {
            d["guild_id"] = json!(g.to_string());
        }
        self.dispatch(
            guild_id,
            "MESSAGE_DELETE_BULK",
            d,
            intents::GUILD_MESSAGES,
            Content::None,
        );
        deleted
    }

    /// Dispatches MESSAGE_CREATE or MESSAGE_UPDATE for a stored message, with `guild_id` and
    /// `member` as the gateway adds them.
    fn dispatch_message(&mut self, event: &str, id: u64) {
        let Some(m) = self.messages.get(&id) else {
            return;
        };
        let guild_id = self.channel_guild(m.channel_id);
        let mut d = self.message_json(m);
        // Discord echoes the nonce in MESSAGE_CREATE only, not in later copies of the message.
        if let (Some(nonce), "MESSAGE_CREATE") = (&m.nonce, event) {
            d["nonce"] = json!(nonce);
        }
        if let Some(g) = guild_id {
            d["guild_id"] = json!(g.to_string());
            if let Some(member) = self
                .guilds
                .get(&g)
                .and_then(|gd| gd.members.get(&m.author_id))
                .filter(|_| m.webhook_id.is_none())
            {
                let mut mj = self.member_json(member);
                if let Some(o) = mj.as_object_mut() {
                    o.remove("user");
                }
                d["member"] = mj;
            }
        }
        let bot = self.bot_id();
        let is_dm = self
            .channels
            .get(&m.channel_id)
            .is_some_and(|c| c.kind == channel_type::DM);
        let content = if m.author_id == bot || is_dm || m.pinged_users.contains(&bot) {
            Content::Visible
        } else {
            Content::Privileged
        };
        self.dispatch(guild_id, event, d, message_intent(guild_id), content);
    }

    /// Messages in a channel that the channel's history shows (no ephemeral ones), oldest first.
    pub fn channel_history(&self, channel_id: u64) -> Vec<&Message> {
        self.messages
            .values()
            .filter(|m| m.channel_id == channel_id && m.ephemeral_to.is_none())
            .collect()
    }

    /// Checks that the bot may post this body in the channel (view, send, embeds, files).
    pub fn check_can_post(
        &self,
        channel_id: u64,
        body: &Value,
        has_files: bool,
    ) -> Result<(), DiscordError> {
        let bot = self.bot_id();
        let perms = self.channel_permissions(channel_id, bot);
        if perms & bits::VIEW_CHANNEL == 0 {
            return Err(DiscordError::missing_access());
        }
        let dm_refused = self
            .channels
            .get(&channel_id)
            .filter(|c| c.kind == channel_type::DM)
            .and_then(|c| c.recipient)
            .and_then(|r| self.users.get(&r))
            .is_some_and(|u| !u.accepts_dms);
        if dm_refused {
            return Err(DiscordError::new(
                403,
                50007,
                "Cannot send messages to this user",
            ));
        }
        let embeds = body
            .get("embeds")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty());
        if perms & bits::SEND_MESSAGES == 0
            || (embeds && perms & bits::EMBED_LINKS == 0)
            || (has_files && perms & bits::ATTACH_FILES == 0)
        {
            return Err(DiscordError::missing_permissions());
        }
        Ok(())
    }
}

/// Gives every component without an `id` the next unused number in depth-first order, as
/// Discord does when it stores a message.
pub fn number_components(components: &mut Value) {
    let mut used = Vec::new();
    collect_ids(components, &mut used);
    let mut next = 0;
    assign_ids(components, &used, &mut next);
}

const NESTED: [&str; 3] = ["components", "accessory", "component"];

fn collect_ids(v: &Value, used: &mut Vec<u64>) {
    match v {
        Value::Array(items) => items.iter().for_each(|x| collect_ids(x, used)),
        Value::Object(o) => {
            if let Some(id) = o.get("id").and_then(Value::as_u64) {
                used.push(id);
            }
            NESTED
                .iter()
                .filter_map(|k| o.get(*k))
                .for_each(|x| collect_ids(x, used));
        }
        _ => {}
    }
}

fn assign_ids(v: &mut Value, used: &[u64], next: &mut u64) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|x| assign_ids(x, used, next)),
        Value::Object(o) => {
            if o.get("type").is_some() && o.get("id").and_then(Value::as_u64).is_none() {
                *next += 1;
                while used.contains(next) {
                    *next += 1;
                }
                o.insert("id".into(), json!(*next));
            }
            for key in NESTED {
                if let Some(x) = o.get_mut(key) {
                    assign_ids(x, used, next);
                }
            }
        }
        _ => {}
    }
}

/// The intent that carries message events in a guild or in DMs.
pub fn message_intent(guild_id: Option<u64>) -> u64 {
    if guild_id.is_some() {
        intents::GUILD_MESSAGES
    } else {
        intents::DIRECT_MESSAGES
    }
}

fn complete_reference(mut r: Value, channel_id: u64, guild_id: Option<u64>) -> Value {
    if let Some(o) = r.as_object_mut() {
        o.entry("type").or_insert(json!(0));
        o.entry("channel_id")
            .or_insert(json!(channel_id.to_string()));
        if let Some(g) = guild_id {
            o.entry("guild_id").or_insert(json!(g.to_string()));
        }
        if let Some(mid) = o.get("message_id").and_then(id_of) {
            o.insert("message_id".into(), json!(mid.to_string()));
        }
        o.remove("fail_if_not_exists");
    }
    r
}
