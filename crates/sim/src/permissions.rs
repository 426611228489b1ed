//! Discord's permission bit set and the documented algorithm that turns roles and channel
//! overwrites into a member's effective permissions.
//!
//! The algorithm follows the "Permissions" topic of Discord's documentation
//! (`compute_base_permissions` / `compute_overwrites`), plus the implicit rules it lists:
//! no `VIEW_CHANNEL` means no permission at all in that channel, no `SEND_MESSAGES` removes
//! the permissions that only make sense when sending, threads inherit from their parent
//! (where `SEND_MESSAGES_IN_THREADS` takes the place of `SEND_MESSAGES`), and a timed-out
//! member keeps only `VIEW_CHANNEL` and `READ_MESSAGE_HISTORY` unless they are the owner or
//! an administrator.

use std::fmt;
use std::ops::{BitAnd, BitAndAssign, BitOr, BitOrAssign, Not, Sub};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A set of Discord permission bits, as carried in roles, overwrites and interactions.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Permissions(u64);

macro_rules! permission_flags {
    ($($(#[$doc:meta])* $name:ident = $bit:expr;)*) => {
        impl Permissions {
            $($(#[$doc])* pub const $name: Permissions = Permissions(1 << $bit);)*

            /// Every permission Discord documents: what the owner and administrators hold.
            pub const ALL: Permissions = Permissions(0 $(| (1 << $bit))*);

            /// Each documented permission with its name, in bit order.
            pub const NAMED: &'static [(&'static str, Permissions)] =
                &[$((stringify!($name), Permissions(1 << $bit)),)*];
        }
    };
}

permission_flags! {
    /// Allows creation of instant invites.
    CREATE_INSTANT_INVITE = 0;
    /// Allows kicking members.
    KICK_MEMBERS = 1;
    /// Allows banning members.
    BAN_MEMBERS = 2;
    /// Allows all permissions and bypasses channel permission overwrites.
    ADMINISTRATOR = 3;
    /// Allows management and editing of channels.
    MANAGE_CHANNELS = 4;
    /// Allows management and editing of the guild.
    MANAGE_GUILD = 5;
    /// Allows adding new reactions to messages.
    ADD_REACTIONS = 6;
    /// Allows viewing the audit log.
    VIEW_AUDIT_LOG = 7;
    /// Allows using priority speaker in a voice channel.
    PRIORITY_SPEAKER = 8;
    /// Allows the user to go live.
    STREAM = 9;
    /// Allows guild members to view a channel and read its messages.
    VIEW_CHANNEL = 10;
    /// Allows sending messages in a channel and creating threads in a forum.
    SEND_MESSAGES = 11;
    /// Allows sending `/tts` messages.
    SEND_TTS_MESSAGES = 12;
    /// Allows deletion of other users' messages.
    MANAGE_MESSAGES = 13;
    /// Links sent by users with this permission are auto-embedded.
    EMBED_LINKS = 14;
    /// Allows uploading images and files.
    ATTACH_FILES = 15;
    /// Allows reading message history.
    READ_MESSAGE_HISTORY = 16;
    /// Allows using `@everyone` and `@here`, and pinging every role.
    MENTION_EVERYONE = 17;
    /// Allows using emojis from other guilds.
    USE_EXTERNAL_EMOJIS = 18;
    /// Allows viewing guild insights.
    VIEW_GUILD_INSIGHTS = 19;
    /// Allows joining a voice channel.
    CONNECT = 20;
    /// Allows speaking in a voice channel.
    SPEAK = 21;
    /// Allows muting members in a voice channel.
    MUTE_MEMBERS = 22;
    /// Allows deafening members in a voice channel.
    DEAFEN_MEMBERS = 23;
    /// Allows moving members between voice channels.
    MOVE_MEMBERS = 24;
    /// Allows using voice activity detection.
    USE_VAD = 25;
    /// Allows changing one's own nickname.
    CHANGE_NICKNAME = 26;
    /// Allows changing other users' nicknames.
    MANAGE_NICKNAMES = 27;
    /// Allows management and editing of roles.
    MANAGE_ROLES = 28;
    /// Allows management and editing of webhooks.
    MANAGE_WEBHOOKS = 29;
    /// Allows editing and deleting emojis, stickers and soundboard sounds.
    MANAGE_GUILD_EXPRESSIONS = 30;
    /// Allows using application commands.
    USE_APPLICATION_COMMANDS = 31;
    /// Allows requesting to speak in stage channels.
    REQUEST_TO_SPEAK = 32;
    /// Allows editing and deleting scheduled events.
    MANAGE_EVENTS = 33;
    /// Allows deleting and archiving threads and viewing all private threads.
    MANAGE_THREADS = 34;
    /// Allows creating public and announcement threads.
    CREATE_PUBLIC_THREADS = 35;
    /// Allows creating private threads.
    CREATE_PRIVATE_THREADS = 36;
    /// Allows using stickers from other guilds.
    USE_EXTERNAL_STICKERS = 37;
    /// Allows sending messages in threads.
    SEND_MESSAGES_IN_THREADS = 38;
    /// Allows using Activities.
    USE_EMBEDDED_ACTIVITIES = 39;
    /// Allows timing out users.
    MODERATE_MEMBERS = 40;
    /// Allows viewing role subscription insights.
    VIEW_CREATOR_MONETIZATION_ANALYTICS = 41;
    /// Allows using the soundboard in a voice channel.
    USE_SOUNDBOARD = 42;
    /// Allows creating emojis, stickers and soundboard sounds.
    CREATE_GUILD_EXPRESSIONS = 43;
    /// Allows creating scheduled events.
    CREATE_EVENTS = 44;
    /// Allows using soundboard sounds from other guilds.
    USE_EXTERNAL_SOUNDS = 45;
    /// Allows sending voice messages.
    SEND_VOICE_MESSAGES = 46;
    /// Allows setting a voice channel's status.
    SET_VOICE_CHANNEL_STATUS = 48;
    /// Allows sending polls.
    SEND_POLLS = 49;
    /// Allows user-installed apps to send public responses.
    USE_EXTERNAL_APPS = 50;
    /// Allows pinning and unpinning messages.
    PIN_MESSAGES = 51;
    /// Allows bypassing slowmode restrictions.
    BYPASS_SLOWMODE = 52;
}

/// What a timed-out member keeps (documented under "Permissions for Timed Out Members").
const TIMEOUT_KEEPS: Permissions =
    Permissions(Permissions::VIEW_CHANNEL.0 | Permissions::READ_MESSAGE_HISTORY.0);

/// What is lost with the permission to send (documented under "Implicit Permissions").
const SEND_DEPENDENT: Permissions = Permissions(
    Permissions::MENTION_EVERYONE.0
        | Permissions::SEND_TTS_MESSAGES.0
        | Permissions::ATTACH_FILES.0
        | Permissions::EMBED_LINKS.0,
);

impl Permissions {
    /// The empty set.
    pub const NONE: Permissions = Permissions(0);

    /// Wraps raw bits; unknown bits are kept, as Discord keeps them.
    pub const fn from_bits(bits: u64) -> Self {
        Permissions(bits)
    }

    /// The raw bits.
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// True when every bit of `other` is set in `self`.
    pub const fn contains(self, other: Permissions) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when no bit is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Parses Discord's decimal-string form (`"2048"`).
    pub fn parse(text: &str) -> Result<Self, PermissionsParseError> {
        text.parse()
    }

    /// Renders Discord's decimal-string form.
    pub fn to_decimal_string(self) -> String {
        self.0.to_string()
    }

    /// The documented names of the bits set, in bit order (unknown bits are left out).
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMED
            .iter()
            .filter(|(_, flag)| self.contains(*flag))
            .map(|(name, _)| *name)
            .collect()
    }

    /// The bits of `required` that `self` lacks; empty when every one is held.
    pub const fn missing(self, required: Permissions) -> Permissions {
        Permissions(required.0 & !self.0)
    }
}

/// A permission string that is not a decimal `u64`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("permissions must be a decimal string of a 64-bit unsigned integer, got {text:?}")]
pub struct PermissionsParseError {
    text: String,
}

impl FromStr for Permissions {
    type Err = PermissionsParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // u64::from_str accepts a leading '+', which Discord's decimal form never has.
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PermissionsParseError { text: text.into() });
        }
        text.parse::<u64>()
            .map(Permissions)
            .map_err(|_| PermissionsParseError { text: text.into() })
    }
}

impl fmt::Display for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Permissions({} = {:?})", self.0, self.names())
    }
}

impl BitOr for Permissions {
    type Output = Permissions;
    fn bitor(self, rhs: Self) -> Self {
        Permissions(self.0 | rhs.0)
    }
}

impl BitOrAssign for Permissions {
    fn bitor_assign(&mut self, rhs: Self) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for Permissions {
    type Output = Permissions;
    fn bitand(self, rhs: Self) -> Self {
        Permissions(self.0 & rhs.0)
    }
}

impl BitAndAssign for Permissions {
    fn bitand_assign(&mut self, rhs: Self) {
        self.0 &= rhs.0;
    }
}

impl Not for Permissions {
    type Output = Permissions;
    fn not(self) -> Self {
        Permissions(!self.0)
    }
}

impl Sub for Permissions {
    type Output = Permissions;
    fn sub(self, rhs: Self) -> Self {
        Permissions(self.0 & !rhs.0)
    }
}

impl Serialize for Permissions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_decimal_string())
    }
}

impl<'de> Deserialize<'de> for Permissions {
    /// Accepts the documented string form and, because Discord accepts it too, a JSON integer.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Text(String),
            Number(u64),
        }
        match Wire::deserialize(deserializer)? {
            Wire::Text(text) => text.parse().map_err(serde::de::Error::custom),
            Wire::Number(bits) => Ok(Permissions(bits)),
        }
    }
}

/// Whom a channel permission overwrite applies to (Discord's `type` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum OverwriteKind {
    /// The overwrite's id is a role id (the guild id for @everyone).
    Role = 0,
    /// The overwrite's id is a user id.
    Member = 1,
}

impl OverwriteKind {
    /// Maps Discord's integer `type`; `None` for values Discord does not define.
    pub fn from_code(code: u64) -> Option<Self> {
        match code {
            0 => Some(OverwriteKind::Role),
            1 => Some(OverwriteKind::Member),
            _ => None,
        }
    }
}

/// One channel permission overwrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overwrite {
    /// The role or user id.
    pub id: u64,
    /// Whether `id` is a role or a member.
    pub kind: OverwriteKind,
    /// Bits granted.
    pub allow: Permissions,
    /// Bits taken away.
    pub deny: Permissions,
}

/// The guild-level facts the algorithm needs about one member.
#[derive(Debug, Clone, Copy)]
pub struct GuildContext<'a> {
    /// The guild id, which is also the id of its @everyone role.
    pub guild_id: u64,
    /// The guild owner's user id.
    pub owner_id: u64,
    /// The member whose permissions are computed.
    pub member_id: u64,
    /// The member's role ids (without @everyone).
    pub member_roles: &'a [u64],
    /// Every role of the guild with its permissions, @everyone included.
    pub roles: &'a [(u64, Permissions)],
    /// Whether the member is timed out (`communication_disabled_until` in the future).
    pub timed_out: bool,
}

impl GuildContext<'_> {
    fn role_permissions(&self, role_id: u64) -> Permissions {
        self.roles
            .iter()
            .find(|(id, _)| *id == role_id)
            .map(|(_, perms)| *perms)
            .unwrap_or(Permissions::NONE)
    }

    fn has_role(&self, role_id: u64) -> bool {
        self.member_roles.contains(&role_id)
    }
}

/// Discord's `compute_base_permissions`: the owner holds everything; otherwise @everyone's
/// permissions OR'd with those of each of the member's roles, and everything if that
/// includes `ADMINISTRATOR`.
pub fn base_permissions(ctx: &GuildContext) -> Permissions {
    if ctx.member_id == ctx.owner_id {
        return Permissions::ALL;
    }
    let mut permissions = ctx.role_permissions(ctx.guild_id);
    for role in ctx.member_roles {
        permissions |= ctx.role_permissions(*role);
    }
    if permissions.contains(Permissions::ADMINISTRATOR) {
        return Permissions::ALL;
    }
    permissions
}

/// Discord's `compute_overwrites`: administrators keep everything; otherwise apply the
/// @everyone overwrite, then the member's role overwrites (all denies, then all allows), then
/// the member's own overwrite.
pub fn compute_overwrites(
    base: Permissions,
    ctx: &GuildContext,
    overwrites: &[Overwrite],
) -> Permissions {
    if base.contains(Permissions::ADMINISTRATOR) {
        return Permissions::ALL;
    }
    let mut permissions = base;

    if let Some(everyone) = overwrites
        .iter()
        .find(|o| o.kind == OverwriteKind::Role && o.id == ctx.guild_id)
    {
        permissions = (permissions - everyone.deny) | everyone.allow;
    }

    let (mut allow, mut deny) = (Permissions::NONE, Permissions::NONE);
    for role_overwrite in overwrites
        .iter()
        .filter(|o| o.kind == OverwriteKind::Role && o.id != ctx.guild_id && ctx.has_role(o.id))
    {
        allow |= role_overwrite.allow;
        deny |= role_overwrite.deny;
    }
    permissions = (permissions - deny) | allow;

    if let Some(member) = overwrites
        .iter()
        .find(|o| o.kind == OverwriteKind::Member && o.id == ctx.member_id)
    {
        permissions = (permissions - member.deny) | member.allow;
    }
    permissions
}

/// The member's permissions: in the guild when `overwrites` is `None`, in a channel with
/// those overwrites otherwise, with the implicit rules and the timeout applied.
pub fn effective(ctx: &GuildContext, overwrites: Option<&[Overwrite]>) -> Permissions {
    effective_with_send(ctx, overwrites, Permissions::SEND_MESSAGES)
}

/// The member's permissions in a thread, given its parent channel's overwrites: threads
/// inherit from their parent, and there `SEND_MESSAGES_IN_THREADS` decides whether the member
/// can send (the documentation says `SEND_MESSAGES` has no effect in threads). Whether a
/// private thread is visible at all (membership or `MANAGE_THREADS`) is for the caller.
pub fn effective_in_thread(ctx: &GuildContext, parent_overwrites: &[Overwrite]) -> Permissions {
    effective_with_send(
        ctx,
        Some(parent_overwrites),
        Permissions::SEND_MESSAGES_IN_THREADS,
    )
}

fn effective_with_send(
    ctx: &GuildContext,
    overwrites: Option<&[Overwrite]>,
    send_permission: Permissions,
) -> Permissions {
    let base = base_permissions(ctx);
    if base.contains(Permissions::ADMINISTRATOR) {
        // Owners and administrators are exempt from overwrites, implicit rules and timeouts.
        return Permissions::ALL;
    }
    let mut permissions = match overwrites {
        Some(overwrites) => {
            implicit_channel_rules(compute_overwrites(base, ctx, overwrites), send_permission)
        }
        None => base,
    };
    if ctx.timed_out {
        permissions &= TIMEOUT_KEEPS;
    }
    permissions
}

fn implicit_channel_rules(permissions: Permissions, send_permission: Permissions) -> Permissions {
    if !permissions.contains(Permissions::VIEW_CHANNEL) {
        return Permissions::NONE;
    }
    if !permissions.contains(send_permission) {
        return permissions - SEND_DEPENDENT;
    }
    permissions
}

/// Reads a permission overwrite in Discord's JSON form (`id`, `type`, `allow`, `deny`, the
/// bit sets as decimal strings); `None` when it is not one.
pub fn overwrite_from_json(value: &serde_json::Value) -> Option<Overwrite> {
    let id = value.get("id")?.as_str()?.parse().ok()?;
    let kind = OverwriteKind::from_code(value.get("type")?.as_u64()?)?;
    let bits = |field: &str| match value.get(field) {
        None | Some(serde_json::Value::Null) => Some(Permissions::NONE),
        Some(serde_json::Value::String(text)) => text.parse().ok(),
        Some(_) => None,
    };
    Some(Overwrite {
        id,
        kind,
        allow: bits("allow")?,
        deny: bits("deny")?,
    })
}

/// Renders an overwrite in Discord's JSON form.
pub fn overwrite_to_json(overwrite: &Overwrite) -> serde_json::Value {
    serde_json::json!({
        "id": overwrite.id.to_string(),
        "type": overwrite.kind as u8,
        "allow": overwrite.allow.to_decimal_string(),
        "deny": overwrite.deny.to_decimal_string(),
    })
}
