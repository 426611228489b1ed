//! Setup → Message: posting panels, keeping posted panels in step with the settings they show,
//! and forgetting panels whose message was deleted.

use anyhow::Context as _;
use chrono::Utc;
use twilight_model::{application::interaction::Interaction, id::Id};

use ticketbooth_core::{
    GuildSettings, Panel, Snowflake,
    custom_id::{HubId, InputId},
    i18n::Msg,
    text::truncate_chars,
    views::{self as core_views, MAX_FOOTER},
};
use ticketbooth_store::NewPanel;

use super::{PostFailure, explain, post, result};
use crate::{
    ctx::Ctx,
    discord::{self, Failure},
    invocation::Invocation,
    responder::Reply,
    tickets::categories,
    views,
};

/// Discord's limit on an embed title.
const MAX_TITLE: usize = 256;
/// The panel modal's description bound (Discord's text-input maximum).
const MAX_DESCRIPTION: usize = 4000;

/// Posts a panel: the embed and its Open button, the "Tickets" category if missing (or
/// deleted since), the record, and a confirmation on the hub.
pub(super) async fn post_panel(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
    settings: &GuildSettings,
    channel_id: Snowflake,
) -> anyhow::Result<Reply> {
    // A modal's max lengths are only the client's promise: bound everything again here.
    let read = |input, max| {
        truncate_chars(
            views::modal_value(interaction, input)
                .unwrap_or_default()
                .trim(),
            max,
        )
    };
    let title = read(InputId::Title, MAX_TITLE);
    let description = read(InputId::Description, MAX_DESCRIPTION);
    let footer = read(InputId::Footer, MAX_FOOTER);
    ensure_default_category(ctx, settings).await?;
    // The panel's id goes into its button, so the row comes first and the message second.
    let draft = ctx
        .store
        .insert_panel(NewPanel {
            guild_id: inv.guild_id,
            channel_id,
            message_id: 0,
            title,
            description,
            footer,
            created_at: Utc::now(),
        })
        .await?;
    let view = core_views::panel(&draft, settings.language);
    let message = match post(ctx, channel_id, &view).await {
        Ok(Ok(message)) => message,
        Ok(Err(failure)) => {
            ctx.store.delete_panel(draft.id).await?;
            return Ok(match failure {
                PostFailure::Missing(permission) => result(
                    inv,
                    &Msg::BotLacksPermission {
                        permission,
                        channel: channel_id,
                    },
                    HubId::Panel,
                ),
                PostFailure::NotFound => super::expired(inv),
            });
        }
        Err(error) => {
            ctx.store.delete_panel(draft.id).await?;
            return Err(error.context("posting the panel"));
        }
    };
    let mut panel = draft;
    panel.message_id = message.id.get();
    ctx.store
        .update_panel(&panel)
        .await
        .context("recording the panel's message")?;
    Ok(result(
        inv,
        &Msg::PanelPosted {
            channel: channel_id,
        },
        HubId::Setup,
    ))
}

/// The default category, recreated when the one on record was deleted by hand.
async fn ensure_default_category(ctx: &Ctx, settings: &GuildSettings) -> anyhow::Result<()> {
    if let Some(category) = settings.default_category {
        match ctx.send(ctx.http.channel(Id::new(category))).await {
            Ok(_) => return Ok(()),
            Err(error) if discord::classify(&error) == Failure::NotFound => {
                tracing::info!(category, "the Tickets category was deleted; recreating it");
                let current = ctx
                    .store
                    .update_guild_settings(settings.guild_id, &|s| {
                        if s.default_category == Some(category) {
                            s.default_category = None;
                        }
                    })
                    .await?
                    .after;
                categories::default_category(ctx, &current).await?;
                return Ok(());
            }
            Err(error) => {
                return Err(anyhow::Error::new(error).context("checking the Tickets category"));
            }
        }
    }
    categories::default_category(ctx, settings).await?;
    Ok(())
}

/// Edits every posted panel of the server to what `settings` now make it show; a panel whose
/// message or channel was deleted is forgotten.
pub(super) async fn refresh(ctx: &Ctx, settings: &GuildSettings) -> anyhow::Result<()> {
    for panel in ctx.store.panels(settings.guild_id).await? {
        refresh_one(ctx, settings, &panel).await?;
    }
    Ok(())
}

async fn refresh_one(ctx: &Ctx, settings: &GuildSettings, panel: &Panel) -> anyhow::Result<()> {
    if panel.message_id == 0 {
        return Ok(());
    }
    let view = core_views::panel(panel, settings.language);
    let edited = ctx
        .send(
            ctx.http
                .update_message(Id::new(panel.channel_id), Id::new(panel.message_id))
                .embeds(Some(&view.embeds))
                .components(Some(&view.components)),
        )
        .await;
    match edited {
        Ok(_) => Ok(()),
        Err(error) => match explain(&error, "Send Messages") {
            Some(PostFailure::NotFound) => {
                tracing::info!(
                    panel = panel.id,
                    "panel message deleted; forgetting the panel"
                );
                ctx.store.delete_panel(panel.id).await?;
                Ok(())
            }
            // A panel the bot can no longer edit stays on record; it still opens tickets.
            Some(PostFailure::Missing(_)) => {
                tracing::warn!(panel = panel.id, "cannot edit the panel any more");
                Ok(())
            }
            None => Err(anyhow::Error::new(error).context("updating a panel")),
        },
    }
}

/// A message was deleted (MESSAGE_DELETE): when it was a panel, the panel is forgotten.
pub async fn message_deleted(ctx: &Ctx, message_id: Snowflake) -> anyhow::Result<()> {
    if let Some(panel) = ctx.store.panel_by_message(message_id).await? {
        ctx.store.delete_panel(panel.id).await?;
        tracing::info!(panel = panel.id, "panel message deleted; panel forgotten");
    }
    Ok(())
}
