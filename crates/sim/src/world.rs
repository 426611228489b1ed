//! The simulated Discord's state: users, guilds, roles, members, channels, messages, and the
//! JSON renderings Discord documents for each of them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use serde_json::{Value, json};

use crate::gateway::Sessions;
use crate::interact::InteractionState;
use crate::log::RequestLog;
use crate::permissions::{self, GuildContext, OverwriteKind, Permissions};

/// Discord's epoch (2015-01-01T00:00:00Z) in milliseconds since the Unix epoch.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Permission bits the simulator itself needs to name; values from Discord's permissions page.
pub mod bits {
    /// Allows creation of instant invites.
    pub const CREATE_INSTANT_INVITE: u64 = 1 << 0;
    /// Allows all permissions and bypasses channel overwrites.
    pub const ADMINISTRATOR: u64 = 1 << 3;
    /// Allows management and editing of channels.
    pub const MANAGE_CHANNELS: u64 = 1 << 4;
    /// Allows management and editing of the guild.
    pub const MANAGE_GUILD: u64 = 1 << 5;
    /// Allows adding reactions.
    pub const ADD_REACTIONS: u64 = 1 << 6;
    /// Allows viewing a channel.
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    /// Allows sending messages in a channel.
    pub const SEND_MESSAGES: u64 = 1 << 11;
    /// Allows sending text-to-speech messages.
    pub const SEND_TTS_MESSAGES: u64 = 1 << 12;
    /// Allows deleting other users' messages.
    pub const MANAGE_MESSAGES: u64 = 1 << 13;
    /// Links sent by users with this permission are auto-embedded.
    pub const EMBED_LINKS: u64 = 1 << 14;
    /// Allows uploading files.
    pub const ATTACH_FILES: u64 = 1 << 15;
    /// Allows reading message history.
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    /// Allows pinging @everyone and all roles.
    pub const MENTION_EVERYONE: u64 = 1 << 17;
    /// Allows using application commands.
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    /// Allows management and editing of roles and overwrites.
    pub const MANAGE_ROLES: u64 = 1 << 28;
    /// Allows deleting and archiving threads.
    pub const MANAGE_THREADS: u64 = 1 << 34;
    /// Allows creating private threads.
    pub const CREATE_PRIVATE_THREADS: u64 = 1 << 36;
    /// Allows sending messages in threads.
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    /// Every permission Discord defines today (bits 0..=50).
    pub const ALL: u64 = (1 << 51) - 1;
    /// What Discord gives @everyone in a new guild.
    pub const DEFAULT_EVERYONE: u64 = CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_APPLICATION_COMMANDS
        | SEND_MESSAGES_IN_THREADS;
}

/// Channel types the simulator models (Discord's channel type numbers).
pub mod channel_type {
    /// A text channel in a guild.
    pub const GUILD_TEXT: u8 = 0;
    /// A direct message between the bot and one user.
    pub const DM: u8 = 1;
    /// A category that holds up to 50 channels.
    pub const GUILD_CATEGORY: u8 = 4;
    /// A private thread, visible to its members and to those with MANAGE_THREADS.
    pub const PRIVATE_THREAD: u8 = 12;
    /// A public thread.
    pub const PUBLIC_THREAD: u8 = 11;
}

/// A Discord user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Snowflake id.
    pub id: u64,
    /// Unique username.
    pub username: String,
    /// Display name, if set.
    pub global_name: Option<String>,
    /// Avatar hash, if set.
    pub avatar: Option<String>,
    /// The user's chosen locale, such as `en-US` or `vi`.
    pub locale: String,
    /// Whether this is a bot account.
    pub bot: bool,
    /// Whether the user accepts DMs from the bot (if not, sending one gives 50007).
    pub accepts_dms: bool,
}

/// A guild role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Snowflake id; @everyone's id is the guild's id.
    pub id: u64,
    /// Role name.
    pub name: String,
    /// Permission bit set.
    pub permissions: u64,
    /// Position in the role list; higher is more powerful.
    pub position: i64,
    /// Whether anyone may mention the role.
    pub mentionable: bool,
    /// Whether this role belongs to a bot integration.
    pub managed: bool,
}

/// A guild member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The member's user id.
    pub user_id: u64,
    /// Role ids, not including @everyone.
    pub roles: Vec<u64>,
    /// Guild nickname.
    pub nick: Option<String>,
    /// When the user joined, ISO 8601.
    pub joined_at: String,
}

/// A guild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guild {
    /// Snowflake id.
    pub id: u64,
    /// Guild name.
    pub name: String,
    /// Owner's user id.
    pub owner_id: u64,
    /// Preferred locale of the community.
    pub preferred_locale: String,
    /// Roles, including @everyone.
    pub roles: Vec<Role>,
    /// Members by user id.
    pub members: BTreeMap<u64, Member>,
}

/// A permission overwrite on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overwrite {
    /// Role or user id.
    pub id: u64,
    /// 0 for a role, 1 for a member.
    pub kind: u8,
    /// Bits allowed.
    pub allow: u64,
    /// Bits denied.
    pub deny: u64,
}

/// A channel of any type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// Snowflake id.
    pub id: u64,
    /// Discord's channel type number.
    pub kind: u8,
    /// The guild, for guild channels and threads.
    pub guild_id: Option<u64>,
    /// Name (None for DMs).
    pub name: Option<String>,
    /// Topic of a text channel.
    pub topic: Option<String>,
    /// Category of a channel, or parent channel of a thread.
    pub parent_id: Option<u64>,
    /// Sorting position.
    pub position: i64,
    /// Permission overwrites.
    pub overwrites: Vec<Overwrite>,
    /// DM recipient (the user who is not the bot).
    pub recipient: Option<u64>,
    /// Thread creator.
    pub owner_id: Option<u64>,
    /// Members of a thread.
    pub thread_members: BTreeSet<u64>,
    /// Id of the last message sent.
    pub last_message_id: Option<u64>,
}

/// An attachment stored with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Snowflake id.
    pub id: u64,
    /// File name.
    pub filename: String,
    /// Size in bytes.
    pub size: usize,
    /// MIME type, if given.
    pub content_type: Option<String>,
    /// Description (alt text), if given.
    pub description: Option<String>,
    /// The uploaded bytes, so tests can read a file the bot sent (a transcript) as a member
    /// would download it.
    pub data: Vec<u8>,
}

/// A message, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Snowflake id.
    pub id: u64,
    /// Channel it was posted in.
    pub channel_id: u64,
    /// Author's user id.
    pub author_id: u64,
    /// Text content.
    pub content: String,
    /// Embeds as sent (JSON array).
    pub embeds: Value,
    /// Components as sent (JSON array).
    pub components: Value,
    /// Files attached.
    pub attachments: Vec<Attachment>,
    /// Message flags (64 ephemeral, 128 loading, ...).
    pub flags: u64,
    /// Discord's message type (0 default, 19 reply, 20 chat input command).
    pub kind: u8,
    /// `message_reference` as sent.
    pub message_reference: Option<Value>,
    /// `allowed_mentions` as sent.
    pub allowed_mentions: Option<Value>,
    /// ISO 8601 creation time.
    pub timestamp: String,
    /// ISO 8601 time of the last edit.
    pub edited_timestamp: Option<String>,
    /// The user who alone can see this message, for ephemeral interaction responses.
    pub ephemeral_to: Option<u64>,
    /// Users the message actually pinged.
    pub pinged_users: Vec<u64>,
    /// Roles the message actually pinged.
    pub pinged_roles: Vec<u64>,
    /// Whether the message pinged @everyone or @here.
    pub pinged_everyone: bool,
    /// The application id when the message came from an interaction webhook.
    pub webhook_id: Option<u64>,
    /// The interaction this message answers, if any.
    pub interaction_id: Option<u64>,
    /// The `nonce` it was created with (an integer nonce as its decimal text).
    pub nonce: Option<String>,
}

/// The bot application the simulator serves.
#[derive(Debug, Clone)]
pub struct App {
    /// Application id.
    pub id: u64,
    /// The bot user's id.
    pub bot_user_id: u64,
    /// The bot token (without the `Bot ` prefix).
    pub token: String,
    /// Application flags as READY and `/applications/@me` show them.
    pub flags: u64,
}

/// Everything the simulator knows.
pub struct World {
    last_ms: u64,
    counter: u64,
    /// The bot application.
    pub app: App,
    /// Users by id.
    pub users: BTreeMap<u64, User>,
    /// Guilds by id.
    pub guilds: BTreeMap<u64, Guild>,
    /// Channels by id.
    pub channels: BTreeMap<u64, Channel>,
    /// Messages by id (ids grow with time, so this is also chronological).
    pub messages: BTreeMap<u64, Message>,
    /// Global application commands as stored (with ids).
    pub global_commands: Vec<Value>,
    /// Guild application commands by guild id.
    pub guild_commands: HashMap<u64, Vec<Value>>,
    /// Interactions by id.
    pub interactions: HashMap<u64, InteractionState>,
    /// Gateway sessions.
    pub sessions: Sessions,
    /// The REST request log.
    pub log: RequestLog,
    /// When the world was made, for uptime-style questions.
    pub started: Instant,
}

impl World {
    /// A world with only the bot application and its user.
    pub fn new(bot_name: &str, token: String) -> Self {
        let mut world = World {
            last_ms: 0,
            counter: 0,
            app: App {
                id: 0,
                bot_user_id: 0,
                token,
                flags: 0,
            },
            users: BTreeMap::new(),
            guilds: BTreeMap::new(),
            channels: BTreeMap::new(),
            messages: BTreeMap::new(),
            global_commands: Vec::new(),
            guild_commands: HashMap::new(),
            interactions: HashMap::new(),
            sessions: Sessions::default(),
            log: RequestLog::default(),
            started: Instant::now(),
        };
        let app_id = world.next_id();
        world.app.id = app_id;
        // Discord gives a bot user the application's id.
        world.app.bot_user_id = app_id;
        world.users.insert(
            app_id,
            User {
                id: app_id,
                username: bot_name.to_owned(),
                global_name: None,
                avatar: None,
                locale: "en-US".into(),
                bot: true,
                accepts_dms: true,
            },
        );
        world
    }

    /// A fresh snowflake. Each id gets its own millisecond so that consecutive guilds land on
    /// different shards, as real ids made at different times do.
    pub fn next_id(&mut self) -> u64 {
        let now = chrono::Utc::now().timestamp_millis().max(0) as u64;
        let ms = now.saturating_sub(DISCORD_EPOCH_MS).max(self.last_ms + 1);
        self.last_ms = ms;
        self.counter = (self.counter + 1) & 0xfff;
        (ms << 22) | self.counter
    }

    /// The bot user's id.
    pub fn bot_id(&self) -> u64 {
        self.app.bot_user_id
    }

    /// Adds a user and returns its id.
    pub fn add_user(&mut self, username: &str, bot: bool) -> u64 {
        let id = self.next_id();
        self.users.insert(
            id,
            User {
                id,
                username: username.to_owned(),
                global_name: None,
                avatar: None,
                locale: "en-US".into(),
                bot,
                accepts_dms: true,
            },
        );
        id
    }

    /// The guild a channel belongs to, through its parent for threads.
    pub fn channel_guild(&self, channel_id: u64) -> Option<u64> {
        self.channels.get(&channel_id).and_then(|c| c.guild_id)
    }

    /// Builds the permission module's view of one member of a guild; `None` when the user is
    /// neither a member nor the owner.
    fn with_context<R>(
        &self,
        guild_id: u64,
        user_id: u64,
        f: impl FnOnce(&GuildContext) -> R,
    ) -> Option<R> {
        let guild = self.guilds.get(&guild_id)?;
        let member = guild.members.get(&user_id);
        if member.is_none() && guild.owner_id != user_id {
            return None;
        }
        let roles: Vec<(u64, Permissions)> = guild
            .roles
            .iter()
            .map(|r| (r.id, Permissions::from_bits(r.permissions)))
            .collect();
        let member_roles: &[u64] = member.map_or(&[], |m| m.roles.as_slice());
        let ctx = GuildContext {
            guild_id,
            owner_id: guild.owner_id,
            member_id: user_id,
            member_roles,
            roles: &roles,
            timed_out: false,
        };
        Some(f(&ctx))
    }

    /// Guild-level permissions of a user: owner, @everyone, roles, ADMINISTRATOR.
    pub fn base_permissions(&self, guild_id: u64, user_id: u64) -> u64 {
        self.with_context(guild_id, user_id, |ctx| {
            permissions::effective(ctx, None).bits()
        })
        .unwrap_or(0)
    }

    /// Effective permissions of a user in a channel, with Discord's documented algorithm
    /// (see [`crate::permissions`]); private threads also need membership or MANAGE_THREADS.
    pub fn channel_permissions(&self, channel_id: u64, user_id: u64) -> u64 {
        let Some(channel) = self.channels.get(&channel_id) else {
            return 0;
        };
        if channel.kind == channel_type::DM {
            return if channel.recipient == Some(user_id) || user_id == self.bot_id() {
                bits::VIEW_CHANNEL
                    | bits::SEND_MESSAGES
                    | bits::READ_MESSAGE_HISTORY
                    | bits::EMBED_LINKS
                    | bits::ATTACH_FILES
            } else {
                0
            };
        }
        let Some(guild_id) = channel.guild_id else {
            return 0;
        };
        if !is_thread(channel.kind) {
            let overwrites = to_overwrites(&channel.overwrites);
            return self
                .with_context(guild_id, user_id, |ctx| {
                    permissions::effective(ctx, Some(&overwrites)).bits()
                })
                .unwrap_or(0);
        }
        let Some(parent) = channel.parent_id.and_then(|p| self.channels.get(&p)) else {
            return 0;
        };
        let overwrites = to_overwrites(&parent.overwrites);
        let perms = self
            .with_context(guild_id, user_id, |ctx| {
                permissions::effective_in_thread(ctx, &overwrites).bits()
            })
            .unwrap_or(0);
        let private_outsider = channel.kind == channel_type::PRIVATE_THREAD
            && !channel.thread_members.contains(&user_id)
            && perms & bits::MANAGE_THREADS == 0;
        if private_outsider {
            return 0;
        }
        // Inside a thread, SEND_MESSAGES_IN_THREADS is what lets a member send.
        if perms & bits::SEND_MESSAGES_IN_THREADS != 0 {
            perms | bits::SEND_MESSAGES
        } else {
            perms & !bits::SEND_MESSAGES
        }
    }

    /// Whether a user can see a channel.
    pub fn can_view(&self, channel_id: u64, user_id: u64) -> bool {
        self.channel_permissions(channel_id, user_id) & bits::VIEW_CHANNEL != 0
    }

    /// Number of channels (threads excluded) in a guild.
    pub fn guild_channel_count(&self, guild_id: u64) -> usize {
        self.channels
            .values()
            .filter(|c| c.guild_id == Some(guild_id) && !is_thread(c.kind))
            .count()
    }

    /// Channels of a guild, threads excluded, in id order.
    pub fn guild_channels(&self, guild_id: u64) -> Vec<&Channel> {
        self.channels
            .values()
            .filter(|c| c.guild_id == Some(guild_id) && !is_thread(c.kind))
            .collect()
    }

    /// Resolves who a message pings, as Discord does with `allowed_mentions`.
    pub fn resolve_mentions(
        &self,
        channel_id: u64,
        author_id: u64,
        content: &str,
        allowed: Option<&Value>,
        replied_to: Option<u64>,
    ) -> (Vec<u64>, Vec<u64>, bool) {
        let parsed = parse_mentions(content);
        let guild = self
            .channel_guild(channel_id)
            .and_then(|g| self.guilds.get(&g));
        let can_everyone =
            self.channel_permissions(channel_id, author_id) & bits::MENTION_EVERYONE != 0;
        let list = |key: &str| -> Option<Vec<u64>> {
            allowed?
                .get(key)?
                .as_array()
                .map(|a| a.iter().filter_map(id_of).collect())
        };
        let parse: Vec<String> = match allowed {
            // Without allowed_mentions Discord parses every kind of mention in the content.
            None => vec!["users".into(), "roles".into(), "everyone".into()],
            Some(a) => a
                .get("parse")
                .and_then(Value::as_array)
                .map(|p| {
                    p.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let allowed_users = list("users");
        let allowed_roles = list("roles");
        let mut users: Vec<u64> = parsed
            .users
            .iter()
            .copied()
            .filter(|u| self.users.contains_key(u))
            .filter(|u| {
                parse.iter().any(|p| p == "users")
                    || allowed_users.as_ref().is_some_and(|l| l.contains(u))
            })
            .collect();
        let replied_user = match allowed {
            None => true,
            Some(a) => a
                .get("replied_user")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        };
        if let Some(r) = replied_to.filter(|_| replied_user) {
            users.push(r);
        }
        users.sort_unstable();
        users.dedup();
        let roles: Vec<u64> = parsed
            .roles
            .iter()
            .copied()
            .filter(|r| {
                guild.is_some_and(|g| {
                    g.roles
                        .iter()
                        .any(|role| role.id == *r && (role.mentionable || can_everyone))
                })
            })
            .filter(|r| {
                parse.iter().any(|p| p == "roles")
                    || allowed_roles.as_ref().is_some_and(|l| l.contains(r))
            })
            .collect();
        let everyone = parsed.everyone && can_everyone && parse.iter().any(|p| p == "everyone");
        (users, roles, everyone)
    }
}

fn to_overwrites(list: &[Overwrite]) -> Vec<permissions::Overwrite> {
    list.iter()
        .map(|o| permissions::Overwrite {
            id: o.id,
            kind: if o.kind == 1 {
                OverwriteKind::Member
            } else {
                OverwriteKind::Role
            },
            allow: Permissions::from_bits(o.allow),
            deny: Permissions::from_bits(o.deny),
        })
        .collect()
}

/// Whether a channel type is a thread.
pub fn is_thread(kind: u8) -> bool {
    matches!(kind, 10..=12)
}

struct ParsedMentions {
    users: Vec<u64>,
    roles: Vec<u64>,
    everyone: bool,
}

fn parse_mentions(content: &str) -> ParsedMentions {
    let mut out = ParsedMentions {
        users: Vec::new(),
        roles: Vec::new(),
        everyone: false,
    };
    out.everyone = content.contains("@everyone") || content.contains("@here");
    let mut rest = content;
    while let Some(start) = rest.find("<@") {
        let after = &rest[start + 2..];
        let (is_role, digits) = match after.as_bytes().first() {
            Some(b'&') => (true, &after[1..]),
            Some(b'!') => (false, &after[1..]),
            _ => (false, after),
        };
        let end = digits.find('>').unwrap_or(0);
        if end > 0
            && let Ok(id) = digits[..end].parse::<u64>()
        {
            if is_role {
                out.roles.push(id)
            } else {
                out.users.push(id)
            }
        }
        rest = after;
    }
    out
}

/// Reads a snowflake given as a string or a number.
pub fn id_of(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// Reads a permission bit set given as a decimal string or a number.
pub fn bits_of(v: Option<&Value>) -> u64 {
    v.and_then(id_of).unwrap_or(0)
}

/// ISO 8601 with microseconds, as Discord writes timestamps.
pub fn now_iso() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, false)
}

/// ISO 8601 time encoded in a snowflake.
pub fn snowflake_time(id: u64) -> String {
    let ms = (id >> 22) + DISCORD_EPOCH_MS;
    chrono::DateTime::from_timestamp_millis(ms as i64)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, false)
}

// ---- JSON renderings, field for field from Discord's documented objects ----

impl User {
    /// The user object.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": self.avatar,
            "bot": self.bot,
            "system": false,
            "banner": null,
            "accent_color": null,
            "public_flags": 0,
            "flags": 0,
            "avatar_decoration_data": null,
            "primary_guild": null,
        })
    }

    /// The user object as `/users/@me` and READY show it to the user itself.
    pub fn to_current_json(&self) -> Value {
        let mut v = self.to_json();
        if let Some(o) = v.as_object_mut() {
            o.insert("mfa_enabled".into(), json!(false));
            o.insert("locale".into(), json!(self.locale));
            o.insert("verified".into(), json!(true));
            o.insert("email".into(), Value::Null);
            o.insert("premium_type".into(), json!(0));
        }
        v
    }
}

impl Role {
    /// The role object.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
            "hoist": false,
            "icon": null,
            "unicode_emoji": null,
            "position": self.position,
            "permissions": self.permissions.to_string(),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        })
    }
}

impl Overwrite {
    /// The overwrite object.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "type": self.kind,
            "allow": self.allow.to_string(),
            "deny": self.deny.to_string(),
        })
    }
}

impl World {
    /// The guild member object (without `permissions`, which only interactions carry).
    pub fn member_json(&self, member: &Member) -> Value {
        json!({
            "user": self.users.get(&member.user_id).map(User::to_json),
            "nick": member.nick,
            "avatar": null,
            "banner": null,
            "roles": member.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
            "joined_at": member.joined_at,
            "premium_since": null,
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
            "communication_disabled_until": null,
        })
    }

    /// The guild object.
    pub fn guild_json(&self, guild: &Guild) -> Value {
        json!({
            "id": guild.id.to_string(),
            "name": guild.name,
            "icon": null,
            "icon_hash": null,
            "splash": null,
            "discovery_splash": null,
            "owner_id": guild.owner_id.to_string(),
            "afk_channel_id": null,
            "afk_timeout": 300,
            "widget_enabled": false,
            "widget_channel_id": null,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            // Deprecated by Discord, still required by its schema.
            "region": "deprecated",
            "nsfw": false,
            "home_header": null,
            "roles": guild.roles.iter().map(Role::to_json).collect::<Vec<_>>(),
            "emojis": [],
            "features": [],
            "mfa_level": 0,
            "application_id": null,
            "system_channel_id": null,
            "system_channel_flags": 0,
            "rules_channel_id": null,
            "max_presences": null,
            "max_members": 500000,
            "vanity_url_code": null,
            "description": null,
            "banner": null,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.preferred_locale,
            "public_updates_channel_id": null,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "nsfw_level": 0,
            "stickers": [],
            "premium_progress_bar_enabled": false,
            "safety_alerts_channel_id": null,
            "incidents_data": null,
        })
    }

    /// The guild object with the extra fields of GUILD_CREATE.
    pub fn guild_create_json(&self, guild: &Guild, with_members: bool) -> Value {
        let mut v = self.guild_json(guild);
        let channels: Vec<Value> = self
            .guild_channels(guild.id)
            .into_iter()
            .map(|c| self.channel_json(c))
            .collect();
        let threads: Vec<Value> = self
            .channels
            .values()
            .filter(|c| c.guild_id == Some(guild.id) && is_thread(c.kind))
            .map(|c| self.channel_json(c))
            .collect();
        let members: Vec<Value> = if with_members {
            guild
                .members
                .values()
                .map(|m| self.member_json(m))
                .collect()
        } else {
            // Without GUILD_MEMBERS Discord still sends the bot's own member.
            guild
                .members
                .get(&self.bot_id())
                .map(|m| self.member_json(m))
                .into_iter()
                .collect()
        };
        let joined = guild
            .members
            .get(&self.bot_id())
            .map(|m| m.joined_at.clone())
            .unwrap_or_else(now_iso);
        if let Some(o) = v.as_object_mut() {
            o.insert("joined_at".into(), json!(joined));
            o.insert("large".into(), json!(false));
            o.insert("unavailable".into(), json!(false));
            o.insert("member_count".into(), json!(guild.members.len()));
            o.insert("voice_states".into(), json!([]));
            o.insert("members".into(), json!(members));
            o.insert("channels".into(), json!(channels));
            o.insert("threads".into(), json!(threads));
            o.insert("presences".into(), json!([]));
            o.insert("stage_instances".into(), json!([]));
            o.insert("guild_scheduled_events".into(), json!([]));
            o.insert("soundboard_sounds".into(), json!([]));
        }
        v
    }

    /// The channel object for the channel's type.
    pub fn channel_json(&self, c: &Channel) -> Value {
        let mut v = json!({
            "id": c.id.to_string(),
            "type": c.kind,
            "last_message_id": c.last_message_id.map(|m| m.to_string()),
            "flags": 0,
        });
        let Some(o) = v.as_object_mut() else { return v };
        if c.kind == channel_type::DM {
            let recipients: Vec<Value> = c
                .recipient
                .and_then(|r| self.users.get(&r))
                .map(User::to_json)
                .into_iter()
                .collect();
            o.insert("recipients".into(), json!(recipients));
            return v;
        }
        o.insert("guild_id".into(), json!(c.guild_id.map(|g| g.to_string())));
        o.insert("name".into(), json!(c.name));
        o.insert(
            "parent_id".into(),
            json!(c.parent_id.map(|p| p.to_string())),
        );
        o.insert("rate_limit_per_user".into(), json!(0));
        if is_thread(c.kind) {
            o.insert("owner_id".into(), json!(c.owner_id.map(|p| p.to_string())));
            o.insert("member_count".into(), json!(c.thread_members.len().min(50)));
            let count = self
                .messages
                .values()
                .filter(|m| m.channel_id == c.id && m.ephemeral_to.is_none())
                .count();
            o.insert("message_count".into(), json!(count));
            o.insert("total_message_sent".into(), json!(count));
            o.insert(
                "thread_metadata".into(),
                json!({
                    "archived": false,
                    "auto_archive_duration": 10080,
                    "archive_timestamp": snowflake_time(c.id),
                    "locked": false,
                    "invitable": false,
                    "create_timestamp": snowflake_time(c.id),
                }),
            );
        } else {
            o.insert("position".into(), json!(c.position));
            o.insert(
                "permission_overwrites".into(),
                json!(
                    c.overwrites
                        .iter()
                        .map(Overwrite::to_json)
                        .collect::<Vec<_>>()
                ),
            );
            o.insert("nsfw".into(), json!(false));
            if c.kind != channel_type::GUILD_CATEGORY {
                o.insert("topic".into(), json!(c.topic));
                o.insert("last_pin_timestamp".into(), Value::Null);
            }
        }
        v
    }

    /// The message object.
    pub fn message_json(&self, m: &Message) -> Value {
        let author = self.users.get(&m.author_id).map(User::to_json);
        let mentions: Vec<Value> = m
            .pinged_users
            .iter()
            .filter_map(|u| self.users.get(u))
            .map(User::to_json)
            .collect();
        let attachments: Vec<Value> = m
            .attachments
            .iter()
            .map(|a| {
                let mut v = json!({
                    "id": a.id.to_string(),
                    "filename": a.filename,
                    "size": a.size,
                    "url": format!("https://cdn.discordapp.com/attachments/{}/{}/{}", m.channel_id, a.id, a.filename),
                    "proxy_url": format!("https://media.discordapp.net/attachments/{}/{}/{}", m.channel_id, a.id, a.filename),
                });
                // Discord leaves these out, rather than sending null, when they are unset.
                if let Some(d) = &a.description {
                    v["description"] = json!(d);
                }
                if let Some(c) = &a.content_type {
                    v["content_type"] = json!(c);
                }
                v
            })
            .collect();
        let mut v = json!({
            "id": m.id.to_string(),
            "channel_id": m.channel_id.to_string(),
            "author": author,
            "content": m.content,
            "timestamp": m.timestamp,
            "edited_timestamp": m.edited_timestamp,
            "tts": false,
            "mention_everyone": m.pinged_everyone,
            "mentions": mentions,
            "mention_roles": m.pinged_roles.iter().map(u64::to_string).collect::<Vec<_>>(),
            "attachments": attachments,
            "embeds": m.embeds,
            "pinned": false,
            "type": m.kind,
            "flags": m.flags,
            "components": m.components,
        });
        if let Some(o) = v.as_object_mut() {
            if let Some(r) = &m.message_reference {
                o.insert("message_reference".into(), r.clone());
            }
            if let Some(w) = m.webhook_id {
                o.insert("webhook_id".into(), json!(w.to_string()));
                o.insert("application_id".into(), json!(self.app.id.to_string()));
            }
            if let Some(i) = m.interaction_id.and_then(|i| self.interactions.get(&i)) {
                o.insert("interaction_metadata".into(), i.metadata_json(self));
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowflakes_grow_and_alternate_shards() {
        let mut w = World::new("bot", "t".into());
        let a = w.next_id();
        let b = w.next_id();
        assert!(b > a);
        assert_ne!((a >> 22) % 2, (b >> 22) % 2);
    }

    #[test]
    fn mentions_are_parsed_from_content() {
        let p = parse_mentions("hi <@12> and <@!13> <@&14> @here <@x>");
        assert_eq!(p.users, vec![12, 13]);
        assert_eq!(p.roles, vec![14]);
        assert!(p.everyone);
    }
}
