//! The categories tickets live in: the default "Tickets" category, created when missing, and
//! overflow categories once Discord's 50-channel limit is reached.

use anyhow::Context as _;
use tokio::time::Instant;
use twilight_model::{
    channel::{ChannelType, permission_overwrite::PermissionOverwriteType},
    id::Id,
};

use ticketbooth_core::{GuildSettings, Snowflake};

use super::open::category_overwrites;
use crate::{ctx::Ctx, retry};

/// Discord's limit of channels in one category.
pub const CATEGORY_LIMIT: usize = 50;

/// The default ticket category's name.
pub const DEFAULT_CATEGORY_NAME: &str = "Tickets";

/// The server's default ticket category, creating it (hidden from @everyone, open to staff and
/// the bot) when the server has none yet.
pub async fn default_category(ctx: &Ctx, settings: &GuildSettings) -> anyhow::Result<Snowflake> {
    if let Some(category) = settings.default_category {
        return Ok(category);
    }
    // One creation at a time per server in this process; re-read under the lock.
    let lock = ctx.guild_lock(settings.guild_id);
    let _guard = lock.lock().await;
    let current = ctx.store.guild_settings(settings.guild_id).await?;
    if let Some(category) = current.default_category {
        return Ok(category);
    }
    let category = create_category(ctx, &current, DEFAULT_CATEGORY_NAME).await?;
    ctx.store
        .update_guild_settings(settings.guild_id, &|s| s.default_category = Some(category))
        .await?;
    Ok(category)
}

/// Creates a category with the ticket overwrites. Creation is not idempotent, so when Discord
/// has trouble the server's channels are searched before creating again: a category of this
/// name carrying the bot's own overwrite is the one a failed try created after all.
pub async fn create_category(
    ctx: &Ctx,
    settings: &GuildSettings,
    name: &str,
) -> anyhow::Result<Snowflake> {
    let overwrites = category_overwrites(
        settings.guild_id,
        ctx.bot_user_id.get(),
        &settings.staff_roles,
    );
    let deadline = Instant::now() + retry::WHILE_WAITING;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let create = ctx.send(
            ctx.http
                .create_guild_channel(Id::new(settings.guild_id), name)
                .kind(ChannelType::GuildCategory)
                .permission_overwrites(&overwrites),
        );
        let failed = match retry::try_once(deadline, create).await {
            Ok(response) => {
                let channel = response.model().await?;
                tracing::info!(category = %channel.id, name, "category created");
                return Ok(channel.id.get());
            }
            Err(error) => error,
        };
        if !failed.is_unavailable() || !retry::pause_before_next(attempt, deadline).await {
            return Err(anyhow::Error::new(failed).context(format!("creating the category {name}")));
        }
        let channels = retry::retrying("looking for a new category", deadline, || {
            ctx.send(ctx.http.guild_channels(Id::new(settings.guild_id)))
        })
        .await
        .context("listing the server's channels")?
        .models()
        .await?;
        let bot = ctx.bot_user_id.get();
        let made = channels.iter().find(|c| {
            c.kind == ChannelType::GuildCategory
                && c.name.as_deref() == Some(name)
                && c.permission_overwrites
                    .iter()
                    .flatten()
                    .any(|o| o.kind == PermissionOverwriteType::Member && o.id.get() == bot)
        });
        if let Some(category) = made {
            tracing::info!(category = %category.id, name, "the category was created despite Discord's error");
            return Ok(category.id.get());
        }
    }
}

/// A category to use instead of the full `full` one: an existing "<name> N" with room, or a
/// new one. Whatever pointed at the full category (the default, or a topic) is moved to it, so
/// the next ticket goes straight there.
pub async fn overflow_category(
    ctx: &Ctx,
    settings: &GuildSettings,
    full: Snowflake,
) -> anyhow::Result<Snowflake> {
    let lock = ctx.guild_lock(settings.guild_id);
    let _guard = lock.lock().await;
    let channels = ctx
        .send(ctx.http.guild_channels(Id::new(settings.guild_id)))
        .await
        .context("listing the server's channels")?
        .models()
        .await?;
    let base = channels
        .iter()
        .find(|c| c.id.get() == full)
        .and_then(|c| c.name.clone())
        .unwrap_or_else(|| DEFAULT_CATEGORY_NAME.to_owned());
    let children = |category: Snowflake| {
        channels
            .iter()
            .filter(|c| c.parent_id.map(|p| p.get()) == Some(category))
            .count()
    };
    let base_name = strip_overflow_number(&base);
    let existing = channels.iter().find(|c| {
        c.kind == ChannelType::GuildCategory
            && c.id.get() != full
            && c.name
                .as_deref()
                .is_some_and(|n| strip_overflow_number(n) == base_name)
            && children(c.id.get()) < CATEGORY_LIMIT
    });
    let category = match existing {
        Some(channel) => channel.id.get(),
        None => {
            let taken = channels
                .iter()
                .filter(|c| {
                    c.kind == ChannelType::GuildCategory
                        && c.name
                            .as_deref()
                            .is_some_and(|n| strip_overflow_number(n) == base_name)
                })
                .count();
            let name = format!("{base_name} {}", taken + 1);
            create_category(ctx, settings, &name).await?
        }
    };
    ctx.store
        .update_guild_settings(settings.guild_id, &|s| {
            if s.default_category == Some(full) {
                s.default_category = Some(category);
            }
        })
        .await?;
    for topic in ctx.store.topics(settings.guild_id).await? {
        if topic.category_id == Some(full) {
            ctx.store
                .set_topic_category(topic.id, Some(category))
                .await?;
        }
    }
    Ok(category)
}

/// "Tickets 3" → "Tickets"; names without a trailing number are returned whole.
fn strip_overflow_number(name: &str) -> &str {
    match name.rsplit_once(' ') {
        Some((base, n)) if !base.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => base,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::strip_overflow_number;

    #[test]
    fn overflow_names_share_their_base() {
        assert_eq!(strip_overflow_number("Tickets 2"), "Tickets");
        assert_eq!(strip_overflow_number("Tickets"), "Tickets");
        assert_eq!(strip_overflow_number("Billing help 12"), "Billing help");
        assert_eq!(strip_overflow_number("2"), "2");
    }
}
