//! A local Discord for tests and the sandbox: REST under `/api/v10` and the gateway websocket
//! on one loopback port, a world with Discord's rules, and simulated users.
//!
//! Start one with [`Sim::start`], point twilight at [`Sim::http_url`] / [`Sim::gateway_url`]
//! with [`Sim::bot_token`], build a world with the test API, and act as users with
//! [`Sim::as_user`].

pub mod conformance;
mod control;
pub mod error;
pub mod faults;
pub mod gateway;
pub mod interact;
pub mod log;
pub mod messages;
pub mod permissions;
pub mod ratelimit;
mod rest;
pub mod signed;
pub mod validate;
pub mod world;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::task::JoinHandle;

pub use error::{DiscordError, SimError};
pub use interact::{Ack, Interaction, SimUser};
pub use log::{RequestRecord, Unimplemented};
pub use world::{Channel, Message, Overwrite, User, World, bits, channel_type};

use gateway::{Content, intents};
use world::{Guild, Member, Role, now_iso};

/// How to start a simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// The bot user's name.
    pub bot_name: String,
    /// The bot token; a random one when `None`.
    pub token: Option<String>,
    /// Privileged intents the application is granted (GUILD_MEMBERS, GUILD_PRESENCES,
    /// MESSAGE_CONTENT bits); none by default, as for a new application.
    pub privileged_intents: u64,
    /// How long the bot has for the first interaction response (Discord: 3 seconds).
    pub ack_deadline: Duration,
    /// How long interaction tokens work for edits and follow-ups (Discord: 15 minutes).
    pub token_ttl: Duration,
    /// Heartbeat interval announced in HELLO.
    pub heartbeat_interval: Duration,
    /// `shards` in `GET /gateway/bot`.
    pub recommended_shards: u64,
    /// Where to deliver interactions as Ed25519-signed HTTP POSTs instead of the gateway; the
    /// endpoint's HTTP answer is taken as the interaction's initial response.
    pub interactions_url: Option<String>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            port: 0,
            bot_name: "Ticketbooth".into(),
            token: None,
            privileged_intents: 0,
            ack_deadline: Duration::from_secs(3),
            token_ttl: Duration::from_secs(15 * 60),
            heartbeat_interval: Duration::from_millis(41_250),
            recommended_shards: 1,
            interactions_url: None,
        }
    }
}

/// State shared by the server tasks and the test handle.
#[derive(Debug)]
pub(crate) struct Shared {
    world: Mutex<World>,
    port: u16,
    token: String,
    pub(crate) ack_deadline: Duration,
    pub(crate) token_ttl: Duration,
    pub(crate) recommended_shards: u64,
    pub(crate) allowed_intents: u64,
    buckets: Mutex<HashMap<String, (i64, u32)>>,
    pub(crate) rate_limits: ratelimit::RateLimits,
    pub(crate) faults: faults::Faults,
    pub(crate) signer: signed::InteractionSigner,
    pub(crate) interactions_url: Option<String>,
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("guilds", &self.guilds.len())
            .field("channels", &self.channels.len())
            .finish()
    }
}

impl Shared {
    /// Locks the world; a panic elsewhere must not wedge the simulator, so poison is ignored.
    pub(crate) fn lock(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn token(&self) -> &str {
        &self.token
    }

    pub(crate) fn gateway_url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }
}

#[derive(Debug)]
struct ServerGuard {
    task: JoinHandle<()>,
    shared: Arc<Shared>,
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        self.task.abort();
        self.shared.lock().sessions.drop_connections();
    }
}

/// A running simulator. Cheap to clone; the server stops when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct Sim {
    pub(crate) shared: Arc<Shared>,
    /// Keeps the server alive; `None` for the handles the control API makes from inside.
    _guard: Option<Arc<ServerGuard>>,
}

/// The ids of the demo server made by [`Sim::demo_guild`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoGuild {
    /// The guild.
    pub guild: u64,
    /// Its owner.
    pub owner: u64,
    /// A member with the Admin role (ADMINISTRATOR).
    pub admin: u64,
    /// The Admin role.
    pub admin_role: u64,
    /// The Staff role.
    pub staff_role: u64,
    /// The one member with the Staff role.
    pub staff: u64,
    /// Three ordinary members.
    pub members: [u64; 3],
    /// The #support text channel.
    pub support: u64,
    /// The bot's managed role.
    pub bot_role: u64,
}

/// What the bot is given when the demo server invites it: view, send, embed, attach, history,
/// manage channels, roles and messages, threads.
pub const DEMO_BOT_PERMISSIONS: u64 = bits::VIEW_CHANNEL
    | bits::SEND_MESSAGES
    | bits::EMBED_LINKS
    | bits::ATTACH_FILES
    | bits::READ_MESSAGE_HISTORY
    | bits::MANAGE_CHANNELS
    | bits::MANAGE_ROLES
    | bits::MANAGE_MESSAGES
    | bits::MANAGE_THREADS
    | bits::CREATE_PRIVATE_THREADS
    | bits::SEND_MESSAGES_IN_THREADS
    | bits::MENTION_EVERYONE
    | bits::ADD_REACTIONS;

impl Sim {
    /// Binds 127.0.0.1 on the configured port and serves REST and the gateway.
    pub async fn start(config: SimConfig) -> Result<Sim, SimError> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
        let port = listener.local_addr()?.port();
        let token = config.token.clone().unwrap_or_else(random_token);
        let mut world = World::new(&config.bot_name, token.clone());
        let app_id = world.app.id;
        let allowed_intents = (intents::ALL & !intents::PRIVILEGED)
            | (config.privileged_intents & intents::PRIVILEGED);
        world.sessions.allowed_intents = allowed_intents;
        world.sessions.heartbeat_interval_ms = config.heartbeat_interval.as_millis() as u64;
        let shared = Arc::new(Shared {
            world: Mutex::new(world),
            port,
            token,
            ack_deadline: config.ack_deadline,
            token_ttl: config.token_ttl,
            recommended_shards: config.recommended_shards.max(1),
            allowed_intents,
            buckets: Mutex::new(HashMap::new()),
            rate_limits: ratelimit::RateLimits::new(),
            faults: faults::Faults::new(),
            signer: signed::InteractionSigner::generate(app_id),
            interactions_url: config.interactions_url.clone(),
        });
        let app = axum::Router::new()
            .route("/", axum::routing::get(gateway::upgrade))
            .route("/_sim/{*rest}", axum::routing::any(control::handle))
            .route("/api/v10", axum::routing::any(rest::handle))
            .route("/api/v10/{*rest}", axum::routing::any(rest::handle))
            .fallback(rest::handle)
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "simulator server stopped");
            }
        });
        let guard = Arc::new(ServerGuard {
            task,
            shared: shared.clone(),
        });
        Ok(Sim {
            shared,
            _guard: Some(guard),
        })
    }

    /// A handle for code running inside the server (the control API), which must not keep
    /// the server alive by itself.
    pub(crate) fn inner(shared: Arc<Shared>) -> Sim {
        Sim {
            shared,
            _guard: None,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn http_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.shared.port)
    }

    /// `ws://127.0.0.1:PORT`.
    pub fn gateway_url(&self) -> String {
        self.shared.gateway_url()
    }

    /// The port the simulator listens on.
    pub fn port(&self) -> u16 {
        self.shared.port
    }

    /// The bot token (without `Bot `).
    pub fn bot_token(&self) -> String {
        self.shared.token.clone()
    }

    /// The application id.
    pub fn application_id(&self) -> u64 {
        self.shared.lock().app.id
    }

    /// The bot user's id.
    pub fn bot_user_id(&self) -> u64 {
        self.shared.lock().bot_id()
    }

    /// The rate-limit state: switch Discord-like 429s on, count the 429s the bot provoked.
    pub fn rate_limits(&self) -> ratelimit::RateLimits {
        self.shared.rate_limits.clone()
    }

    /// The fault rules applied to REST requests (5xx, 429, latency on chosen routes).
    pub fn faults(&self) -> faults::Faults {
        self.shared.faults.clone()
    }

    /// The application's Ed25519 public key (hex), for verifying signed interactions.
    pub fn interactions_public_key(&self) -> String {
        self.shared.signer.public_key_hex()
    }

    /// The signer that signs interaction deliveries (for PINGs and bad-signature checks).
    pub fn interaction_signer(&self) -> signed::InteractionSigner {
        self.shared.signer.clone()
    }

    /// Runs `f` with the world locked, for inspections the API does not cover.
    /// Do not hold anything from it across an `.await`.
    pub fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.shared.lock())
    }

    // ---- building a world ----

    /// Adds a user and returns its id.
    pub fn create_user(&self, username: &str) -> u64 {
        self.shared.lock().add_user(username, false)
    }

    /// Sets a user's client locale (such as `vi`).
    pub fn set_user_locale(&self, user: u64, locale: &str) {
        if let Some(u) = self.shared.lock().users.get_mut(&user) {
            u.locale = locale.to_owned();
        }
    }

    /// Makes a user accept or refuse DMs from the bot.
    pub fn set_accepts_dms(&self, user: u64, accepts: bool) {
        if let Some(u) = self.shared.lock().users.get_mut(&user) {
            u.accepts_dms = accepts;
        }
    }

    /// Creates a guild owned by `owner` (who becomes a member), with an @everyone role holding
    /// Discord's default permissions.
    pub fn create_guild(&self, name: &str, owner: u64) -> u64 {
        let mut w = self.shared.lock();
        let id = w.next_id();
        let everyone = Role {
            id,
            name: "@everyone".into(),
            permissions: bits::DEFAULT_EVERYONE,
            position: 0,
            mentionable: false,
            managed: false,
        };
        let mut members = std::collections::BTreeMap::new();
        members.insert(
            owner,
            Member {
                user_id: owner,
                roles: Vec::new(),
                nick: None,
                joined_at: now_iso(),
            },
        );
        w.guilds.insert(
            id,
            Guild {
                id,
                name: name.to_owned(),
                owner_id: owner,
                preferred_locale: "en-US".into(),
                roles: vec![everyone],
                members,
            },
        );
        id
    }

    /// Sets the guild's preferred locale.
    pub fn set_guild_locale(&self, guild: u64, locale: &str) {
        if let Some(g) = self.shared.lock().guilds.get_mut(&guild) {
            g.preferred_locale = locale.to_owned();
        }
    }

    /// Sets the permissions of @everyone.
    pub fn set_everyone_permissions(&self, guild: u64, permissions: u64) -> Result<(), SimError> {
        self.set_role_permissions(guild, guild, permissions)
    }

    /// Creates a role at the top of the list and returns its id.
    pub fn create_role(&self, guild: u64, name: &str, permissions: u64) -> Result<u64, SimError> {
        self.add_role(guild, name, permissions, false)
    }

    fn add_role(
        &self,
        guild: u64,
        name: &str,
        permissions: u64,
        managed: bool,
    ) -> Result<u64, SimError> {
        let mut w = self.shared.lock();
        let id = w.next_id();
        let g = w.guilds.get_mut(&guild).ok_or(SimError::Unknown {
            kind: "guild",
            id: guild,
        })?;
        let position = g.roles.len() as i64;
        let role = Role {
            id,
            name: name.to_owned(),
            permissions,
            position,
            mentionable: false,
            managed,
        };
        let data = json!({"guild_id": guild.to_string(), "role": role.to_json()});
        g.roles.push(role);
        w.dispatch(
            Some(guild),
            "GUILD_ROLE_CREATE",
            data,
            intents::GUILDS,
            Content::None,
        );
        Ok(id)
    }

    /// Changes a role's permissions; dispatches GUILD_ROLE_UPDATE.
    pub fn set_role_permissions(
        &self,
        guild: u64,
        role: u64,
        permissions: u64,
    ) -> Result<(), SimError> {
        self.update_role(guild, role, |r| r.permissions = permissions)
    }

    /// Makes a role mentionable by everyone, or not; dispatches GUILD_ROLE_UPDATE.
    pub fn set_role_mentionable(
        &self,
        guild: u64,
        role: u64,
        mentionable: bool,
    ) -> Result<(), SimError> {
        self.update_role(guild, role, |r| r.mentionable = mentionable)
    }

    /// Changes one role as an admin would in the client, and tells the gateway, as Discord does.
    fn update_role(
        &self,
        guild: u64,
        role: u64,
        change: impl FnOnce(&mut Role),
    ) -> Result<(), SimError> {
        let mut w = self.shared.lock();
        let g = w.guilds.get_mut(&guild).ok_or(SimError::Unknown {
            kind: "guild",
            id: guild,
        })?;
        let r = g
            .roles
            .iter_mut()
            .find(|r| r.id == role)
            .ok_or(SimError::Unknown {
                kind: "role",
                id: role,
            })?;
        change(r);
        let data = json!({"guild_id": guild.to_string(), "role": r.to_json()});
        w.dispatch(
            Some(guild),
            "GUILD_ROLE_UPDATE",
            data,
            intents::GUILDS,
            Content::None,
        );
        Ok(())
    }

    /// Deletes a role (and takes it from every member).
    pub fn delete_role(&self, guild: u64, role: u64) -> Result<(), SimError> {
        let mut w = self.shared.lock();
        let g = w.guilds.get_mut(&guild).ok_or(SimError::Unknown {
            kind: "guild",
            id: guild,
        })?;
        g.roles.retain(|r| r.id != role);
        for m in g.members.values_mut() {
            m.roles.retain(|r| *r != role);
        }
        let data = json!({"guild_id": guild.to_string(), "role_id": role.to_string()});
        w.dispatch(
            Some(guild),
            "GUILD_ROLE_DELETE",
            data,
            intents::GUILDS,
            Content::None,
        );
        Ok(())
    }

    /// Adds a user to a guild with roles; dispatches GUILD_MEMBER_ADD.
    pub fn add_member(&self, guild: u64, user: u64, roles: &[u64]) -> Result<(), SimError> {
        let mut w = self.shared.lock();
        if !w.users.contains_key(&user) {
            return Err(SimError::Unknown {
                kind: "user",
                id: user,
            });
        }
        let g = w.guilds.get_mut(&guild).ok_or(SimError::Unknown {
            kind: "guild",
            id: guild,
        })?;
        let member = Member {
            user_id: user,
            roles: roles.to_vec(),
            nick: None,
            joined_at: now_iso(),
        };
        g.members.insert(user, member.clone());
        let mut data = w.member_json(&member);
        data["guild_id"] = json!(guild.to_string());
        w.dispatch(
            Some(guild),
            "GUILD_MEMBER_ADD",
            data,
            intents::GUILD_MEMBERS,
            Content::None,
        );
        Ok(())
    }

    /// Replaces a member's roles; dispatches GUILD_MEMBER_UPDATE.
    pub fn set_member_roles(&self, guild: u64, user: u64, roles: &[u64]) -> Result<(), SimError> {
        let mut w = self.shared.lock();
        let g = w.guilds.get_mut(&guild).ok_or(SimError::Unknown {
            kind: "guild",
            id: guild,
        })?;
        let m = g.members.get_mut(&user).ok_or(SimError::Unknown {
            kind: "member",
            id: user,
        })?;
        m.roles = roles.to_vec();
        let member = m.clone();
        let mut data = w.member_json(&member);
        data["guild_id"] = json!(guild.to_string());
        w.dispatch(
            Some(guild),
            "GUILD_MEMBER_UPDATE",
            data,
            intents::GUILD_MEMBERS,
            Content::None,
        );
        Ok(())
    }

    /// Removes a member; dispatches GUILD_MEMBER_REMOVE.
    pub fn remove_member(&self, guild: u64, user: u64) -> Result<(), SimError> {
        let mut w = self.shared.lock();
        let g = w.guilds.get_mut(&guild).ok_or(SimError::Unknown {
            kind: "guild",
            id: guild,
        })?;
        g.members.remove(&user).ok_or(SimError::Unknown {
            kind: "member",
            id: user,
        })?;
        let data =
            json!({"guild_id": guild.to_string(), "user": w.users.get(&user).map(|u| u.to_json())});
        w.dispatch(
            Some(guild),
            "GUILD_MEMBER_REMOVE",
            data,
            intents::GUILD_MEMBERS,
            Content::None,
        );
        Ok(())
    }

    /// Invites the bot: a managed role with `permissions`, the bot as a member, and a
    /// GUILD_CREATE for connected shards. Returns the bot's role id.
    pub fn add_bot(&self, guild: u64, permissions: u64) -> Result<u64, SimError> {
        let bot_id = self.bot_user_id();
        let name = self
            .shared
            .lock()
            .users
            .get(&bot_id)
            .map(|u| u.username.clone())
            .unwrap_or_default();
        let role = self.add_role(guild, &name, permissions, true)?;
        let mut w = self.shared.lock();
        let bot = w.bot_id();
        let g = w.guilds.get_mut(&guild).ok_or(SimError::Unknown {
            kind: "guild",
            id: guild,
        })?;
        g.members.insert(
            bot,
            Member {
                user_id: bot,
                roles: vec![role],
                nick: None,
                joined_at: now_iso(),
            },
        );
        w.dispatch_guild_create(guild);
        Ok(role)
    }

    /// Removes the bot from a guild, as a kick or an admin's "remove app" does: its membership
    /// and its managed role go and GUILD_DELETE without `unavailable` reaches its shard. From
    /// then on no event of the guild reaches the bot and REST answers 403 (50001 Missing Access)
    /// for the guild and its channels, while the channels, their overwrites and messages stay.
    /// [`Sim::add_bot`] invites it back.
    pub fn remove_bot_from_guild(&self, guild: u64) -> Result<(), SimError> {
        let mut w = self.shared.lock();
        let bot = w.bot_id();
        let g = w.guilds.get_mut(&guild).ok_or(SimError::Unknown {
            kind: "guild",
            id: guild,
        })?;
        let member = g.members.remove(&bot).ok_or(SimError::Unknown {
            kind: "member",
            id: bot,
        })?;
        // Discord deletes the role it created for the bot's invite along with the bot.
        g.roles
            .retain(|r| !(r.managed && member.roles.contains(&r.id)));
        w.dispatch_guild_removed(guild);
        Ok(())
    }

    /// Creates a guild channel (text 0 or category 4) with overwrites; dispatches CHANNEL_CREATE.
    pub fn create_channel(
        &self,
        guild: u64,
        name: &str,
        kind: u8,
        parent: Option<u64>,
        overwrites: &[Overwrite],
    ) -> Result<u64, SimError> {
        let mut w = self.shared.lock();
        if !w.guilds.contains_key(&guild) {
            return Err(SimError::Unknown {
                kind: "guild",
                id: guild,
            });
        }
        let id = w.next_id();
        let position = w.guild_channel_count(guild) as i64;
        let channel = Channel {
            id,
            kind,
            guild_id: Some(guild),
            name: Some(name.to_owned()),
            topic: None,
            parent_id: parent,
            position,
            overwrites: overwrites.to_vec(),
            recipient: None,
            owner_id: None,
            thread_members: Default::default(),
            last_message_id: None,
        };
        let data = w.channel_json(&channel);
        w.channels.insert(id, channel);
        w.dispatch(
            Some(guild),
            "CHANNEL_CREATE",
            data,
            intents::GUILDS,
            Content::None,
        );
        Ok(id)
    }

    /// Replaces a channel's overwrites, as an admin would in the client.
    pub fn set_overwrites(&self, channel: u64, overwrites: &[Overwrite]) -> Result<(), SimError> {
        let mut w = self.shared.lock();
        let c = w.channels.get_mut(&channel).ok_or(SimError::Unknown {
            kind: "channel",
            id: channel,
        })?;
        c.overwrites = overwrites.to_vec();
        let (guild, c) = (c.guild_id, c.clone());
        let data = w.channel_json(&c);
        w.dispatch(
            guild,
            "CHANNEL_UPDATE",
            data,
            intents::GUILDS,
            Content::None,
        );
        Ok(())
    }

    /// Deletes a channel by hand (as an admin in the client); dispatches CHANNEL_DELETE.
    pub fn delete_channel(&self, channel: u64) -> Result<(), SimError> {
        let mut w = self.shared.lock();
        let c = w.channels.remove(&channel).ok_or(SimError::Unknown {
            kind: "channel",
            id: channel,
        })?;
        w.messages.retain(|_, m| m.channel_id != channel);
        let data = w.channel_json(&c);
        w.dispatch(
            c.guild_id,
            "CHANNEL_DELETE",
            data,
            intents::GUILDS,
            Content::None,
        );
        Ok(())
    }

    /// Deletes messages of a channel at once, as a moderation bot or a ban deleting a member's
    /// recent messages does: one MESSAGE_DELETE_BULK. Returns the ids that were there.
    pub fn bulk_delete_messages(&self, channel: u64, ids: &[u64]) -> Vec<u64> {
        self.shared.lock().bulk_delete_messages(channel, ids)
    }

    /// The demo server of `ticketbooth sandbox`: an owner, an admin, a Staff role with one
    /// member, three ordinary members, a #support channel, and the bot invited.
    pub fn demo_guild(&self) -> Result<DemoGuild, SimError> {
        let owner = self.create_user("owner");
        let guild = self.create_guild("Ticketbooth Demo", owner);
        let admin_role = self.create_role(guild, "Admin", bits::ADMINISTRATOR)?;
        let staff_role = self.create_role(
            guild,
            "Staff",
            bits::DEFAULT_EVERYONE | bits::MANAGE_MESSAGES,
        )?;
        let admin = self.create_user("admin");
        self.add_member(guild, admin, &[admin_role])?;
        let staff = self.create_user("staff");
        self.add_member(guild, staff, &[staff_role])?;
        let mut members = [0; 3];
        for (i, slot) in members.iter_mut().enumerate() {
            *slot = self.create_user(&format!("member{}", i + 1));
            self.add_member(guild, *slot, &[])?;
        }
        let support = self.create_channel(guild, "support", channel_type::GUILD_TEXT, None, &[])?;
        let bot_role = self.add_bot(guild, DEMO_BOT_PERMISSIONS)?;
        Ok(DemoGuild {
            guild,
            owner,
            admin,
            admin_role,
            staff_role,
            staff,
            members,
            support,
            bot_role,
        })
    }

    // ---- acting and reading ----

    /// A handle to act as a user.
    pub fn as_user(&self, user: u64) -> SimUser {
        SimUser::new(self.clone(), user)
    }

    /// A channel as it is now.
    pub fn channel(&self, id: u64) -> Option<Channel> {
        self.shared.lock().channels.get(&id).cloned()
    }

    /// A guild's channels (threads excluded).
    pub fn channels(&self, guild: u64) -> Vec<Channel> {
        self.shared
            .lock()
            .guild_channels(guild)
            .into_iter()
            .cloned()
            .collect()
    }

    /// A channel's overwrites.
    pub fn overwrites(&self, channel: u64) -> Vec<Overwrite> {
        self.channel(channel)
            .map(|c| c.overwrites)
            .unwrap_or_default()
    }

    /// A user's effective permissions in a channel.
    pub fn permissions(&self, channel: u64, user: u64) -> u64 {
        self.shared.lock().channel_permissions(channel, user)
    }

    /// A channel's history (no ephemeral messages), oldest first.
    pub fn messages(&self, channel: u64) -> Vec<Message> {
        self.shared
            .lock()
            .channel_history(channel)
            .into_iter()
            .cloned()
            .collect()
    }

    /// One message, ephemeral or not.
    pub fn message(&self, id: u64) -> Option<Message> {
        self.shared.lock().messages.get(&id).cloned()
    }

    /// What a user sees in a channel: history plus ephemeral messages meant for them.
    pub fn visible_messages(&self, user: u64, channel: u64) -> Vec<Message> {
        interact::visible_messages(&self.shared.lock(), user, channel)
    }

    /// Every ephemeral message shown to a user, oldest first.
    pub fn ephemeral_for(&self, user: u64) -> Vec<Message> {
        self.shared
            .lock()
            .messages
            .values()
            .filter(|m| m.ephemeral_to == Some(user))
            .cloned()
            .collect()
    }

    /// The messages in the user's DM channel with the bot, oldest first.
    pub fn dms(&self, user: u64) -> Vec<Message> {
        let w = self.shared.lock();
        interact::dm_channel(&w, user)
            .map(|c| w.channel_history(c).into_iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Every REST request so far.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock().log.records.clone()
    }

    /// Requests to routes the simulator does not implement.
    pub fn unimplemented(&self) -> Vec<Unimplemented> {
        self.shared.lock().log.unimplemented.clone()
    }

    /// Every gateway event dispatched so far (name and data, before per-session filtering).
    pub fn events(&self) -> Vec<(String, Value)> {
        self.shared.lock().sessions.history.clone()
    }

    /// Every IDENTIFY and RESUME the gateway answered so far, in order.
    pub fn handshakes(&self) -> Vec<gateway::Handshake> {
        self.shared.lock().sessions.handshakes.clone()
    }

    /// Number of gateway sessions with a live connection.
    pub fn connected_sessions(&self) -> usize {
        self.shared
            .lock()
            .sessions
            .list
            .iter()
            .filter(|s| s.connected())
            .count()
    }

    /// Waits until at least `n` sessions are connected.
    pub async fn wait_for_sessions(&self, n: usize, timeout: Duration) -> Result<(), SimError> {
        let deadline = tokio::time::Instant::now() + timeout;
        while self.connected_sessions() < n {
            if tokio::time::Instant::now() > deadline {
                return Err(SimError::Timeout("gateway sessions"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
    }

    // ---- gateway faults ----

    /// Drops every gateway connection without a close frame; sessions stay resumable.
    pub fn drop_gateway_connections(&self) {
        self.shared.lock().sessions.drop_connections();
    }

    /// Sends op 7 RECONNECT on every connection.
    pub fn send_reconnect(&self) {
        self.shared.lock().sessions.send_reconnect();
    }

    /// Sends op 9 INVALID_SESSION with `resumable`.
    pub fn invalidate_sessions(&self, resumable: bool) {
        self.shared.lock().sessions.invalidate(resumable);
    }

    /// Asks every connection for an immediate heartbeat (op 1).
    pub fn request_heartbeat(&self) {
        self.shared.lock().sessions.request_heartbeat();
    }

    /// Zombies the connections attached now (`true`): their heartbeats go unacknowledged (no
    /// op 11), so a client should close and resume; later connections get ACKs. `false` gives
    /// ACKs back to connections still zombied.
    pub fn withhold_heartbeat_acks(&self, withhold: bool) {
        self.shared
            .lock()
            .sessions
            .withhold_heartbeat_acks(withhold);
    }
}

fn random_token() -> String {
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}",
        engine.encode(rand::random::<[u8; 18]>()),
        engine.encode(rand::random::<[u8; 27]>())
    )
}
