//! Who did what, where: the parts of an interaction every handler needs, read once.

use twilight_model::application::interaction::Interaction;

use ticketbooth_core::{Language, Snowflake, authz::Actor};

/// A guild interaction's actor and place.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub guild_id: Snowflake,
    pub channel_id: Snowflake,
    pub user_id: Snowflake,
    /// The member's display name: server nickname, global name or username.
    pub display_name: String,
    pub role_ids: Vec<Snowflake>,
    /// The member's permissions in the channel, as Discord computed them.
    pub permissions: u64,
    /// The user's own language, for ephemeral replies.
    pub lang: Language,
}

impl Invocation {
    /// Reads an interaction from a guild; `None` in DMs, where no ticket action applies.
    pub fn from_interaction(interaction: &Interaction) -> Option<Self> {
        let guild_id = interaction.guild_id?.get();
        let channel_id = interaction
            .channel
            .as_ref()
            .map(|c| c.id.get())
            .or_else(|| {
                #[allow(deprecated)]
                interaction.channel_id.map(|c| c.get())
            })?;
        let member = interaction.member.as_ref()?;
        let user = member.user.as_ref()?;
        let display_name = member
            .nick
            .clone()
            .or_else(|| user.global_name.clone())
            .unwrap_or_else(|| user.name.clone());
        Some(Invocation {
            guild_id,
            channel_id,
            user_id: user.id.get(),
            display_name,
            role_ids: member.roles.iter().map(|r| r.get()).collect(),
            permissions: member.permissions.map(|p| p.bits()).unwrap_or(0),
            lang: crate::router::user_language(interaction),
        })
    }

    /// The actor for authorization decisions. Discord gives a server owner every permission,
    /// ADMINISTRATOR included, so owners are recognised through `permissions`.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id,
            role_ids: self.role_ids.clone(),
            permissions: self.permissions,
            is_guild_owner: false,
        }
    }
}
