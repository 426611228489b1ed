//! Simulated users and interactions: building the INTERACTION_CREATE a real client sends,
//! the callback rules (3 seconds, one initial response, modals, updates), and the
//! interaction webhooks (original response and follow-ups).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use tokio::sync::watch;

use crate::error::{DiscordError, SimError};
use crate::gateway::Content;
use crate::messages::{Origin, Upload};
use crate::world::{Message, World, bits, channel_type, id_of};
use crate::{Shared, Sim};

/// Interaction types (Discord's numbers).
pub mod kind {
    /// PING, only over HTTP.
    pub const PING: u8 = 1;
    /// A slash command.
    pub const APPLICATION_COMMAND: u8 = 2;
    /// A button or select.
    pub const MESSAGE_COMPONENT: u8 = 3;
    /// A submitted modal.
    pub const MODAL_SUBMIT: u8 = 5;
}

/// The bot's first answer to an interaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Ack {
    /// Callback type: 4 message, 5 deferred message, 6 deferred update, 7 update, 9 modal.
    pub kind: u8,
    /// Time from dispatch to the callback.
    pub latency: Duration,
    /// The callback's `data`, as sent.
    pub data: Value,
}

/// What the simulator remembers about one interaction.
#[derive(Debug)]
pub struct InteractionState {
    /// Snowflake id.
    pub id: u64,
    /// The interaction token.
    pub token: String,
    /// Interaction type.
    pub kind: u8,
    /// The user who caused it.
    pub user_id: u64,
    /// The guild, if not in a DM.
    pub guild_id: Option<u64>,
    /// The channel.
    pub channel_id: u64,
    /// The message whose component was used (or whose component opened the modal).
    pub message_id: Option<u64>,
    /// When INTERACTION_CREATE was dispatched.
    pub dispatched: Instant,
    /// The first answer, once given.
    pub ack: Option<Ack>,
    /// The original response message, once there is one.
    pub original: Option<u64>,
    /// The modal the bot opened in answer, if any.
    pub modal: Option<Value>,
    /// The interaction whose modal this submission answers.
    pub opened_by: Option<u64>,
    notify: watch::Sender<Option<Ack>>,
}

impl InteractionState {
    /// The `interaction_metadata` object of messages that answer this interaction.
    pub fn metadata_json(&self, w: &World) -> Value {
        let mut v = json!({
            "id": self.id.to_string(),
            "type": self.kind,
            "user": w.users.get(&self.user_id).map(|u| u.to_json()),
            "authorizing_integration_owners": owners(self.guild_id, self.user_id),
        });
        if let Some(o) = self.original {
            v["original_response_message_id"] = json!(o.to_string());
        }
        if self.kind == kind::MESSAGE_COMPONENT
            && let Some(m) = self.message_id
        {
            v["interacted_message_id"] = json!(m.to_string());
        }
        v
    }
}

fn owners(guild_id: Option<u64>, user_id: u64) -> Value {
    match guild_id {
        Some(g) => json!({"0": g.to_string()}),
        None => json!({"1": user_id.to_string()}),
    }
}

/// A simulated person, acting through the Discord client.
#[derive(Clone)]
pub struct SimUser {
    sim: Sim,
    id: u64,
}

/// An interaction a simulated user caused; await the bot's answer through it.
#[derive(Debug, Clone)]
pub struct Interaction {
    shared: Arc<Shared>,
    /// The interaction id.
    pub id: u64,
    /// The user who caused it.
    pub user_id: u64,
    /// The channel it happened in.
    pub channel_id: u64,
    rx: watch::Receiver<Option<Ack>>,
}

impl Interaction {
    /// Waits for the bot's first callback. Fails with [`SimError::InteractionFailed`] when the
    /// acknowledgement window passed without one, [`SimError::Timeout`] when `timeout` did.
    pub async fn wait_ack(&self, timeout: Duration) -> Result<Ack, SimError> {
        let mut rx = self.rx.clone();
        let waited = tokio::time::timeout(timeout, rx.wait_for(Option::is_some)).await;
        match waited {
            Ok(Ok(ack)) => ack.clone().ok_or(SimError::Timeout("acknowledgement")),
            _ => {
                let late = {
                    let w = self.shared.lock();
                    w.interactions
                        .get(&self.id)
                        .is_some_and(|s| s.dispatched.elapsed() > self.shared.ack_deadline)
                };
                Err(if late {
                    SimError::InteractionFailed(self.id)
                } else {
                    SimError::Timeout("acknowledgement")
                })
            }
        }
    }

    /// The ack, if one arrived already.
    pub fn ack(&self) -> Option<Ack> {
        self.rx.borrow().clone()
    }

    /// The modal the bot opened in answer (callback type 9), as sent.
    pub fn modal(&self) -> Option<Value> {
        self.shared
            .lock()
            .interactions
            .get(&self.id)
            .and_then(|s| s.modal.clone())
    }

    /// The original response message as it is now (after any edits).
    pub fn original(&self) -> Option<Message> {
        let w = self.shared.lock();
        let id = w.interactions.get(&self.id)?.original?;
        w.messages.get(&id).cloned()
    }

    /// Every message that answers this interaction (original and follow-ups), oldest first.
    pub fn responses(&self) -> Vec<Message> {
        let w = self.shared.lock();
        w.messages
            .values()
            .filter(|m| m.interaction_id == Some(self.id))
            .cloned()
            .collect()
    }

    /// The interaction token (for tests that call the webhook routes themselves).
    pub fn token(&self) -> String {
        self.shared
            .lock()
            .interactions
            .get(&self.id)
            .map(|s| s.token.clone())
            .unwrap_or_default()
    }
}

impl SimUser {
    pub(crate) fn new(sim: Sim, id: u64) -> Self {
        SimUser { sim, id }
    }

    /// The user's id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Runs a slash command with the given options (Discord's option objects, as a JSON array).
    pub fn slash_command(
        &self,
        guild_id: u64,
        channel_id: u64,
        name: &str,
        options: Value,
    ) -> Result<Interaction, SimError> {
        let mut w = self.sim.shared.lock();
        self.check_channel(&w, Some(guild_id), channel_id)?;
        let command = w
            .guild_commands
            .get(&guild_id)
            .into_iter()
            .flatten()
            .chain(w.global_commands.iter())
            .find(|c| c["name"] == name && c["type"].as_u64().unwrap_or(1) == 1)
            .cloned()
            .ok_or_else(|| SimError::Forbidden {
                user: self.id,
                action: format!("run unregistered command /{name}"),
            })?;
        let options = if options.is_null() {
            json!([])
        } else {
            options
        };
        let mut resolved = Map::new();
        collect_resolved(&w, guild_id, channel_id, &options, &mut resolved);
        let mut data = json!({
            "id": command["id"],
            "name": name,
            "type": 1,
            "options": options,
        });
        if command.get("guild_id").is_some_and(|g| !g.is_null()) {
            data["guild_id"] = json!(guild_id.to_string());
        }
        if !resolved.is_empty() {
            data["resolved"] = Value::Object(resolved);
        }
        Ok(self.create(
            &mut w,
            kind::APPLICATION_COMMAND,
            channel_id,
            data,
            None,
            None,
        ))
    }

    /// Clicks a button on a message.
    pub fn click(
        &self,
        channel_id: u64,
        message_id: u64,
        custom_id: &str,
    ) -> Result<Interaction, SimError> {
        let mut w = self.sim.shared.lock();
        let component = self.find_component(&w, channel_id, message_id, custom_id)?;
        if component["type"] != 2 {
            return Err(self.forbidden(format!("click non-button component {custom_id}")));
        }
        let data = json!({"custom_id": custom_id, "component_type": 2});
        Ok(self.create(
            &mut w,
            kind::MESSAGE_COMPONENT,
            channel_id,
            data,
            Some(message_id),
            None,
        ))
    }

    /// Chooses values in a select menu (string, user, role, mentionable or channel select);
    /// for the non-string kinds, values are ids and `resolved` is filled in.
    pub fn select(
        &self,
        channel_id: u64,
        message_id: u64,
        custom_id: &str,
        values: &[&str],
    ) -> Result<Interaction, SimError> {
        let mut w = self.sim.shared.lock();
        let component = self.find_component(&w, channel_id, message_id, custom_id)?;
        let ctype = component["type"].as_u64().unwrap_or(0);
        if !matches!(ctype, 3 | 5..=8) {
            return Err(self.forbidden(format!("select in non-select component {custom_id}")));
        }
        let min = component
            .get("min_values")
            .and_then(Value::as_u64)
            .unwrap_or(1) as usize;
        let max = component
            .get("max_values")
            .and_then(Value::as_u64)
            .unwrap_or(1) as usize;
        if values.len() < min || values.len() > max {
            return Err(self.forbidden(format!(
                "choose {} values in {custom_id} ({min}..={max})",
                values.len()
            )));
        }
        if ctype == 3 {
            let options = component["options"].as_array().cloned().unwrap_or_default();
            if let Some(bad) = values
                .iter()
                .find(|v| !options.iter().any(|o| o["value"] == **v))
            {
                return Err(self.forbidden(format!("choose missing option {bad}")));
            }
        }
        let guild_id = w.channel_guild(channel_id).unwrap_or(0);
        let mut resolved = Map::new();
        for v in values {
            let Ok(id) = v.parse::<u64>() else { continue };
            let option_type = match ctype {
                5 => 6,
                6 => 8,
                8 => 7,
                7 if w.users.contains_key(&id) => 6,
                7 => 8,
                _ => continue,
            };
            let option = json!([{"type": option_type, "value": v}]);
            collect_resolved(&w, guild_id, channel_id, &option, &mut resolved);
        }
        let mut data = json!({"custom_id": custom_id, "component_type": ctype, "values": values});
        if !resolved.is_empty() {
            data["resolved"] = Value::Object(resolved);
        }
        Ok(self.create(
            &mut w,
            kind::MESSAGE_COMPONENT,
            channel_id,
            data,
            Some(message_id),
            None,
        ))
    }

    /// Submits the modal the bot opened in answer to `opened`, with `(custom_id, value)` for
    /// its text inputs.
    pub fn submit_modal(
        &self,
        opened: &Interaction,
        fields: &[(&str, &str)],
    ) -> Result<Interaction, SimError> {
        self.submit_modal_of(opened.id, fields)
    }

    /// [`SimUser::submit_modal`] by the id of the interaction that opened the modal.
    pub fn submit_modal_of(
        &self,
        opened: u64,
        fields: &[(&str, &str)],
    ) -> Result<Interaction, SimError> {
        let mut w = self.sim.shared.lock();
        let state = w.interactions.get(&opened).ok_or(SimError::Unknown {
            kind: "interaction",
            id: opened,
        })?;
        if state.user_id != self.id {
            return Err(self.forbidden("submit another user's modal".into()));
        }
        let modal = state
            .modal
            .clone()
            .ok_or_else(|| self.forbidden("submit a modal that was never shown".into()))?;
        let (channel_id, message_id) = (state.channel_id, state.message_id);
        let mut rows = Vec::new();
        for top in modal["components"].as_array().into_iter().flatten() {
            let inputs: Vec<&Value> = match top["type"].as_u64() {
                Some(1) => top["components"].as_array().into_iter().flatten().collect(),
                Some(18) => top.get("component").into_iter().collect(),
                _ => Vec::new(),
            };
            let answered: Vec<Value> = inputs
                .into_iter()
                .filter(|c| c["type"] == 4)
                .map(|c| {
                    let id = c["custom_id"].as_str().unwrap_or_default();
                    let value = fields.iter().find(|(k, _)| *k == id).map_or("", |(_, v)| v);
                    json!({"type": 4, "id": c.get("id").cloned().unwrap_or(json!(0)), "custom_id": id, "value": value})
                })
                .collect();
            let row = match top["type"].as_u64() {
                Some(18) => {
                    json!({"type": 18, "id": top.get("id").cloned().unwrap_or(json!(0)), "component": answered.first()})
                }
                _ => {
                    json!({"type": 1, "id": top.get("id").cloned().unwrap_or(json!(0)), "components": answered})
                }
            };
            rows.push(row);
        }
        for (key, _) in fields {
            let known = rows.iter().any(|r| {
                r["components"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .chain(r.get("component"))
                    .any(|c| c["custom_id"] == *key)
            });
            if !known {
                return Err(self.forbidden(format!("fill unknown modal field {key}")));
            }
        }
        let data = json!({"custom_id": modal["custom_id"], "components": rows});
        Ok(self.create(
            &mut w,
            kind::MODAL_SUBMIT,
            channel_id,
            data,
            message_id,
            Some(opened),
        ))
    }

    /// Posts an ordinary message as this user.
    pub fn send_message(&self, channel_id: u64, content: &str) -> Result<u64, SimError> {
        let mut w = self.sim.shared.lock();
        let guild = w.channel_guild(channel_id);
        self.check_channel(&w, guild, channel_id)?;
        if w.channel_permissions(channel_id, self.id) & bits::SEND_MESSAGES == 0 {
            return Err(self.forbidden(format!("send messages in {channel_id}")));
        }
        let origin = Origin {
            author_id: self.id,
            interaction_id: None,
            ephemeral_to: None,
        };
        w.post_message(channel_id, origin, &json!({"content": content}), &[])
            .map_err(|e| self.forbidden(format!("post: {e}")))
    }

    /// Posts a message with files as this user (a client's upload: the files' names, types and
    /// bytes), dispatching MESSAGE_CREATE with their attachments.
    pub fn send_message_with_files(
        &self,
        channel_id: u64,
        content: &str,
        files: &[(&str, &str, &[u8])],
    ) -> Result<u64, SimError> {
        let mut w = self.sim.shared.lock();
        let guild = w.channel_guild(channel_id);
        self.check_channel(&w, guild, channel_id)?;
        let needed = bits::SEND_MESSAGES | bits::ATTACH_FILES;
        if w.channel_permissions(channel_id, self.id) & needed != needed {
            return Err(self.forbidden(format!("send files in {channel_id}")));
        }
        let uploads: Vec<Upload> = files
            .iter()
            .enumerate()
            .map(|(index, (filename, content_type, data))| Upload {
                index,
                filename: (*filename).to_owned(),
                size: data.len(),
                content_type: Some((*content_type).to_owned()),
                data: data.to_vec(),
            })
            .collect();
        let origin = Origin {
            author_id: self.id,
            interaction_id: None,
            ephemeral_to: None,
        };
        w.post_message(channel_id, origin, &json!({"content": content}), &uploads)
            .map_err(|e| self.forbidden(format!("post: {e}")))
    }

    /// Edits this user's own message, as their client does: only its author may, and Discord
    /// dispatches MESSAGE_UPDATE with the whole message.
    pub fn edit_message(&self, message_id: u64, content: &str) -> Result<(), SimError> {
        let mut w = self.sim.shared.lock();
        self.own_visible_message(&w, message_id)?;
        if w.messages[&message_id].author_id != self.id {
            return Err(self.forbidden(format!("edit message {message_id} of another user")));
        }
        w.edit_message(message_id, &json!({"content": content}), &[])
            .map_err(|e| self.forbidden(format!("edit: {e}")))
    }

    /// Deletes a message as this user: their own, or another's with Manage Messages in the
    /// channel. Discord dispatches MESSAGE_DELETE.
    pub fn delete_message(&self, message_id: u64) -> Result<(), SimError> {
        let mut w = self.sim.shared.lock();
        let channel_id = self.own_visible_message(&w, message_id)?;
        if w.messages[&message_id].author_id != self.id
            && w.channel_permissions(channel_id, self.id) & bits::MANAGE_MESSAGES == 0
        {
            return Err(self.forbidden(format!("delete message {message_id}")));
        }
        w.delete_message(message_id)
            .map_err(|e| self.forbidden(format!("delete: {e}")))
    }

    /// The channel of a message this user can see (not ephemeral, in a channel they view).
    fn own_visible_message(&self, w: &World, message_id: u64) -> Result<u64, SimError> {
        let message = w
            .messages
            .get(&message_id)
            .filter(|m| m.ephemeral_to.is_none())
            .ok_or(SimError::Unknown {
                kind: "message",
                id: message_id,
            })?;
        let channel_id = message.channel_id;
        let guild = w.channel_guild(channel_id);
        self.check_channel(w, guild, channel_id)?;
        Ok(channel_id)
    }

    fn forbidden(&self, action: String) -> SimError {
        SimError::Forbidden {
            user: self.id,
            action,
        }
    }

    fn check_channel(
        &self,
        w: &World,
        guild_id: Option<u64>,
        channel_id: u64,
    ) -> Result<(), SimError> {
        let channel = w.channels.get(&channel_id).ok_or(SimError::Unknown {
            kind: "channel",
            id: channel_id,
        })?;
        if guild_id.is_some() && channel.guild_id != guild_id {
            return Err(SimError::Unknown {
                kind: "channel in guild",
                id: channel_id,
            });
        }
        if !w.can_view(channel_id, self.id) {
            return Err(self.forbidden(format!("view channel {channel_id}")));
        }
        Ok(())
    }

    fn find_component(
        &self,
        w: &World,
        channel_id: u64,
        message_id: u64,
        custom_id: &str,
    ) -> Result<Value, SimError> {
        let guild = w.channel_guild(channel_id);
        self.check_channel(w, guild, channel_id)?;
        let message = w
            .messages
            .get(&message_id)
            .filter(|m| m.channel_id == channel_id)
            .ok_or(SimError::Unknown {
                kind: "message",
                id: message_id,
            })?;
        if message.ephemeral_to.is_some_and(|u| u != self.id) {
            return Err(self.forbidden(format!("see ephemeral message {message_id}")));
        }
        let component = find_by_custom_id(&message.components, custom_id).ok_or_else(|| {
            self.forbidden(format!(
                "find component {custom_id} on message {message_id}"
            ))
        })?;
        if component.get("disabled").and_then(Value::as_bool) == Some(true) {
            return Err(self.forbidden(format!("use disabled component {custom_id}")));
        }
        Ok(component.clone())
    }

    /// Registers the interaction, builds INTERACTION_CREATE and dispatches it.
    fn create(
        &self,
        w: &mut World,
        itype: u8,
        channel_id: u64,
        data: Value,
        message_id: Option<u64>,
        opened_by: Option<u64>,
    ) -> Interaction {
        let id = w.next_id();
        let token = format!("aW50ZXJhY3Rpb246{id}:{:024x}", rand::random::<u128>() >> 32);
        let guild_id = w.channel_guild(channel_id);
        let (tx, rx) = watch::channel(None);
        let payload = interaction_json(w, id, &token, itype, channel_id, self.id, data, message_id);
        w.interactions.insert(
            id,
            InteractionState {
                id,
                token,
                kind: itype,
                user_id: self.id,
                guild_id,
                channel_id,
                message_id,
                dispatched: Instant::now(),
                ack: None,
                original: None,
                modal: None,
                opened_by,
                notify: tx,
            },
        );
        match &self.sim.shared.interactions_url {
            Some(url) => deliver_signed(self.sim.shared.clone(), url.clone(), id, payload),
            None => w.dispatch(guild_id, "INTERACTION_CREATE", payload, 0, Content::None),
        }
        Interaction {
            shared: self.sim.shared.clone(),
            id,
            user_id: self.id,
            channel_id,
            rx,
        }
    }
}

/// Delivers an interaction to the bot's HTTP endpoint, signed; a 200 answer with a JSON body
/// is the initial response, applied with the same rules as the callback route.
fn deliver_signed(shared: Arc<Shared>, url: String, id: u64, payload: Value) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::warn!("no Tokio runtime: interaction {id} not delivered");
        return;
    };
    runtime.spawn(async move {
        let token = payload["token"].as_str().unwrap_or_default().to_owned();
        match shared.signer.deliver(&url, &payload).await {
            Ok(delivery) if delivery.status == 200 => {
                if let Some(body) = delivery.json {
                    if let Err(e) = crate::validate::interaction_response(&body) {
                        tracing::warn!(error = %e, "interaction endpoint answered with an invalid body");
                        return;
                    }
                    let mut w = shared.lock();
                    if let Err(e) = callback(&mut w, shared.ack_deadline, id, &token, &body, &[], false) {
                        tracing::warn!(error = %e, "interaction endpoint answered with an invalid response");
                    }
                }
            }
            Ok(delivery) => tracing::warn!(status = delivery.status, "interaction endpoint refused a delivery"),
            Err(e) => tracing::warn!(error = %e, "interaction delivery failed"),
        }
    });
}

#[allow(clippy::too_many_arguments)]
fn interaction_json(
    w: &World,
    id: u64,
    token: &str,
    itype: u8,
    channel_id: u64,
    user_id: u64,
    data: Value,
    message_id: Option<u64>,
) -> Value {
    let guild_id = w.channel_guild(channel_id);
    let user = w.users.get(&user_id);
    let mut v = json!({
        "id": id.to_string(),
        "application_id": w.app.id.to_string(),
        "type": itype,
        "data": data,
        "channel": partial_channel(w, channel_id, user_id),
        "channel_id": channel_id.to_string(),
        "token": token,
        "version": 1,
        "app_permissions": w.channel_permissions(channel_id, w.bot_id()).to_string(),
        "locale": user.map_or("en-US".to_owned(), |u| u.locale.clone()),
        "entitlements": [],
        "authorizing_integration_owners": owners(guild_id, user_id),
        "context": if guild_id.is_some() { 0 } else { 1 },
        "attachment_size_limit": 10_485_760,
    });
    match guild_id.and_then(|g| w.guilds.get(&g)) {
        Some(guild) => {
            v["guild_id"] = json!(guild.id.to_string());
            v["guild_locale"] = json!(guild.preferred_locale);
            v["guild"] = json!({"id": guild.id.to_string(), "locale": guild.preferred_locale, "features": []});
            if let Some(member) = guild.members.get(&user_id) {
                let mut m = w.member_json(member);
                m["permissions"] = json!(w.channel_permissions(channel_id, user_id).to_string());
                v["member"] = m;
            }
        }
        None => v["user"] = user.map(|u| u.to_json()).unwrap_or(Value::Null),
    }
    if let Some(m) = message_id.and_then(|m| w.messages.get(&m)) {
        v["message"] = w.message_json(m);
    }
    v
}

fn partial_channel(w: &World, channel_id: u64, user_id: u64) -> Value {
    let Some(c) = w.channels.get(&channel_id) else {
        return Value::Null;
    };
    let mut v = w.channel_json(c);
    v["permissions"] = json!(w.channel_permissions(channel_id, user_id).to_string());
    v
}

fn find_by_custom_id<'a>(v: &'a Value, custom_id: &str) -> Option<&'a Value> {
    match v {
        Value::Array(a) => a.iter().find_map(|x| find_by_custom_id(x, custom_id)),
        Value::Object(o) => {
            if o.get("custom_id").and_then(Value::as_str) == Some(custom_id) {
                return Some(v);
            }
            ["components", "accessory", "component"]
                .iter()
                .filter_map(|k| o.get(*k))
                .find_map(|x| find_by_custom_id(x, custom_id))
        }
        _ => None,
    }
}

/// Fills `resolved` for USER (6), CHANNEL (7), ROLE (8) and MENTIONABLE (9) options, nested too.
fn collect_resolved(
    w: &World,
    guild_id: u64,
    channel_id: u64,
    options: &Value,
    resolved: &mut Map<String, Value>,
) {
    for option in options.as_array().into_iter().flatten() {
        if let Some(nested) = option.get("options") {
            collect_resolved(w, guild_id, channel_id, nested, resolved);
        }
        let Some(id) = option.get("value").and_then(id_of) else {
            continue;
        };
        let key = id.to_string();
        let mut put = |bucket: &str, value: Value| {
            let map = resolved.entry(bucket).or_insert_with(|| json!({}));
            map[&key] = value;
        };
        match option["type"].as_u64() {
            Some(6 | 9) if w.users.contains_key(&id) => {
                put("users", w.users[&id].to_json());
                if let Some(member) = w.guilds.get(&guild_id).and_then(|g| g.members.get(&id)) {
                    let mut m = w.member_json(member);
                    if let Some(o) = m.as_object_mut() {
                        o.remove("user");
                        o.remove("deaf");
                        o.remove("mute");
                    }
                    m["permissions"] = json!(w.channel_permissions(channel_id, id).to_string());
                    put("members", m);
                }
            }
            Some(8 | 9) => {
                if let Some(role) = w
                    .guilds
                    .get(&guild_id)
                    .and_then(|g| g.roles.iter().find(|r| r.id == id))
                {
                    put("roles", role.to_json());
                }
            }
            Some(7) => {
                if let Some(c) = w.channels.get(&id) {
                    let mut cj = json!({
                        "id": key, "type": c.kind, "name": c.name,
                        "permissions": w.channel_permissions(id, w.bot_id()).to_string(),
                    });
                    if let Some(p) = c.parent_id {
                        cj["parent_id"] = json!(p.to_string());
                    }
                    put("channels", cj);
                }
            }
            _ => {}
        }
    }
}

// ---- the bot's side: callback and webhooks ----

/// Handles `POST /interactions/{id}/{token}/callback`. Returns the body for `with_response`.
pub fn callback(
    w: &mut World,
    deadline: Duration,
    id: u64,
    token: &str,
    body: &Value,
    uploads: &[Upload],
    with_response: bool,
) -> Result<Option<Value>, DiscordError> {
    let state = w
        .interactions
        .get(&id)
        .filter(|s| s.token == token)
        .ok_or_else(DiscordError::unknown_interaction)?;
    if state.ack.is_some() {
        return Err(DiscordError::already_acknowledged());
    }
    let latency = state.dispatched.elapsed();
    if latency > deadline {
        return Err(DiscordError::unknown_interaction());
    }
    let (itype, user_id, channel_id, clicked) = (
        state.kind,
        state.user_id,
        state.channel_id,
        state.message_id,
    );
    let rtype = body.get("type").and_then(Value::as_u64).unwrap_or(0) as u8;
    let data = body.get("data").cloned().unwrap_or(Value::Null);
    let ephemeral = data.get("flags").and_then(Value::as_u64).unwrap_or(0) & 64 != 0;
    let origin = Origin {
        author_id: w.bot_id(),
        interaction_id: Some(id),
        ephemeral_to: ephemeral.then_some(user_id),
    };
    let invalid_type = || {
        DiscordError::invalid_form(
            "type",
            "INTERACTION_RESPONSE_TYPE_INVALID",
            "Invalid interaction response type",
        )
    };
    let original = match rtype {
        1 if itype == kind::PING => None,
        4 => Some(w.post_message(channel_id, origin, &data, uploads)?),
        5 => {
            let mut loading = json!({"flags": 128});
            if ephemeral {
                loading["flags"] = json!(128 | 64);
            }
            Some(w.post_message(channel_id, origin, &loading, &[])?)
        }
        6 | 7
            if clicked.is_some()
                && matches!(itype, kind::MESSAGE_COMPONENT | kind::MODAL_SUBMIT) =>
        {
            let mid = clicked.unwrap_or_default();
            if rtype == 7 {
                w.edit_message(mid, &data, uploads)?;
            }
            Some(mid)
        }
        9 if matches!(itype, kind::APPLICATION_COMMAND | kind::MESSAGE_COMPONENT) => {
            check_modal(&data)?;
            None
        }
        _ => return Err(invalid_type()),
    };
    let ack = Ack {
        kind: rtype,
        latency,
        data: data.clone(),
    };
    let Some(state) = w.interactions.get_mut(&id) else {
        return Err(DiscordError::unknown_interaction());
    };
    state.ack = Some(ack.clone());
    state.original = original;
    if rtype == 9 {
        state.modal = Some(data);
    }
    state.notify.send_replace(Some(ack));
    if !with_response {
        return Ok(None);
    }
    let message = original.and_then(|m| w.messages.get(&m));
    let mut resp = json!({
        "interaction": {
            "id": id.to_string(),
            "type": itype,
            "response_message_id": message.map(|m| m.id.to_string()),
            "response_message_loading": message.is_some_and(|m| m.flags & 128 != 0),
            "response_message_ephemeral": message.is_some_and(|m| m.flags & 64 != 0),
        },
    });
    if let Some(m) = message {
        resp["resource"] = json!({"type": rtype, "message": w.message_json(m)});
    }
    Ok(Some(resp))
}

/// The modal shape every modal needs: a custom id, a title and 1..=5 components.
fn check_modal(data: &Value) -> Result<(), DiscordError> {
    if data
        .get("custom_id")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(DiscordError::invalid_form(
            "data.custom_id",
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ));
    }
    if data
        .get("title")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(DiscordError::invalid_form(
            "data.title",
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ));
    }
    let n = data
        .get("components")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if !(1..=5).contains(&n) {
        return Err(DiscordError::invalid_form(
            "data.components",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 5 in length.",
        ));
    }
    Ok(())
}

/// Finds the interaction behind a webhook `{application.id}/{interaction.token}` pair.
pub fn by_token(w: &World, app_id: u64, token: &str, ttl: Duration) -> Result<u64, DiscordError> {
    if app_id != w.app.id {
        return Err(DiscordError::unknown_webhook());
    }
    let state = w
        .interactions
        .values()
        .find(|s| s.token == token)
        .ok_or_else(DiscordError::unknown_webhook)?;
    if state.dispatched.elapsed() > ttl {
        return Err(DiscordError::new(401, 50027, "Invalid Webhook Token"));
    }
    Ok(state.id)
}

/// Resolves `@original` or a message id to a message that belongs to this interaction.
pub fn webhook_message(w: &World, interaction: u64, which: &str) -> Result<u64, DiscordError> {
    let state = &w.interactions[&interaction];
    let id = if which == "@original" {
        state.original.ok_or_else(DiscordError::unknown_message)?
    } else {
        which
            .parse::<u64>()
            .map_err(|_| DiscordError::unknown_message())?
    };
    let belongs = state.original == Some(id)
        || w.messages
            .get(&id)
            .is_some_and(|m| m.interaction_id == Some(interaction));
    if belongs && w.messages.contains_key(&id) {
        Ok(id)
    } else {
        Err(DiscordError::unknown_message())
    }
}

/// Handles a follow-up (`POST /webhooks/{app}/{token}`). The first follow-up to a deferred
/// response edits the "thinking" message, as Discord does.
pub fn follow_up(
    w: &mut World,
    interaction: u64,
    body: &Value,
    uploads: &[Upload],
) -> Result<u64, DiscordError> {
    let state = &w.interactions[&interaction];
    if state.ack.is_none() {
        return Err(DiscordError::unknown_webhook());
    }
    let (user_id, channel_id, original) = (state.user_id, state.channel_id, state.original);
    if let Some(o) = original.filter(|o| w.messages.get(o).is_some_and(|m| m.flags & 128 != 0)) {
        w.edit_message(o, body, uploads)?;
        return Ok(o);
    }
    let ephemeral = body.get("flags").and_then(Value::as_u64).unwrap_or(0) & 64 != 0;
    let origin = Origin {
        author_id: w.bot_id(),
        interaction_id: Some(interaction),
        ephemeral_to: ephemeral.then_some(user_id),
    };
    w.post_message(channel_id, origin, body, uploads)
}

/// What a user sees in a channel: its history plus the ephemeral messages meant for them,
/// oldest first; nothing when they cannot view the channel.
pub fn visible_messages(w: &World, user_id: u64, channel_id: u64) -> Vec<Message> {
    if !w.can_view(channel_id, user_id) {
        return Vec::new();
    }
    w.messages
        .values()
        .filter(|m| m.channel_id == channel_id && m.ephemeral_to.is_none_or(|u| u == user_id))
        .cloned()
        .collect()
}

/// The DM channel between the bot and a user, if one was opened.
pub fn dm_channel(w: &World, user_id: u64) -> Option<u64> {
    w.channels
        .values()
        .find(|c| c.kind == channel_type::DM && c.recipient == Some(user_id))
        .map(|c| c.id)
}

/// Every interaction's ack latency so far, by interaction id.
pub fn latencies(w: &World) -> BTreeMap<u64, Duration> {
    w.interactions
        .iter()
        .filter_map(|(id, s)| s.ack.as_ref().map(|a| (*id, a.latency)))
        .collect()
}
