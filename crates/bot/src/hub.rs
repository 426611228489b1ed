//! The `/ticket` hub: setup and management in Discord, in one ephemeral message that edits
//! itself as the admin navigates.

use anyhow::Context as _;
use chrono::Utc;
use twilight_model::{application::interaction::Interaction, id::Id};

use ticketbooth_core::{
    GuildSettings,
    authz::{self, Action},
    custom_id::{HubId, InputId},
    i18n::Msg,
};
use ticketbooth_store::NewPanel;

use crate::{app::Ctx, invocation::Invocation, responder::Reply, tickets::categories, views};
use ticketbooth_core::views as core_views;

/// Only admins (Manage Server or Administrator, or the owner) configure the system.
fn admin_refusal(inv: &Invocation, settings: &GuildSettings) -> Option<Reply> {
    let role = authz::role_of(&inv.actor(), None, settings);
    authz::authorize(Action::ConfigureHub, role, None, settings)
        .err()
        .map(|refusal| Reply::Message(views::ephemeral(inv.lang, &Msg::Refused(refusal))))
}

/// `/ticket`: the hub's first screen.
pub async fn open(ctx: &Ctx, inv: &Invocation) -> anyhow::Result<Reply> {
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    if let Some(refusal) = admin_refusal(inv, &settings) {
        return Ok(refusal);
    }
    Ok(Reply::Message(
        core_views::hub_home(inv.lang, &settings).into(),
    ))
}

/// `/stats`: the server's ticket statistics (see [`crate::stats`]).
pub async fn stats(ctx: &Ctx, inv: &Invocation) -> anyhow::Result<Reply> {
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    let role = authz::role_of(&inv.actor(), None, &settings);
    if let Err(refusal) = authz::authorize(Action::ViewStats, role, None, &settings) {
        return Ok(Reply::Message(views::ephemeral(
            inv.lang,
            &Msg::Refused(refusal),
        )));
    }
    crate::stats::reply(ctx, inv).await
}

/// A button or select inside the hub.
pub async fn component(
    ctx: &Ctx,
    _interaction: &Interaction,
    inv: &Invocation,
    id: HubId,
    values: &[String],
) -> anyhow::Result<Reply> {
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    if let Some(refusal) = admin_refusal(inv, &settings) {
        return Ok(refusal);
    }
    let lang = inv.lang;
    Ok(match id {
        HubId::Home | HubId::Back => Reply::Update(core_views::hub_home(lang, &settings).into()),
        HubId::Cancel => Reply::Update(core_views::hub_closed(lang).into()),
        HubId::Setup => Reply::Update(core_views::hub_setup(lang, &settings).into()),
        HubId::Manage => Reply::Update(core_views::hub_manage(lang).into()),
        HubId::Panel => Reply::Update(core_views::hub_panel_channel(lang).into()),
        HubId::PanelChannelSelect => match values.first().and_then(|v| v.parse::<u64>().ok()) {
            Some(channel_id) => Reply::Modal(core_views::panel_modal(lang, channel_id)),
            None => Reply::Update(core_views::hub_panel_channel(lang).into()),
        },
        HubId::StaffRoles => Reply::Update(core_views::hub_staff_roles(lang, &settings).into()),
        HubId::StaffRolesSelect => {
            let mut next = settings.clone();
            next.staff_roles = values.iter().filter_map(|v| v.parse().ok()).collect();
            ctx.store.save_guild_settings(&next).await?;
            Reply::Update(core_views::hub_setup(lang, &next).into())
        }
        HubId::Enable | HubId::Disable => {
            let mut next = settings.clone();
            next.enabled = matches!(id, HubId::Enable);
            ctx.store.save_guild_settings(&next).await?;
            Reply::Update(core_views::hub_setup(lang, &next).into())
        }
        _ => Reply::Message(views::ephemeral(lang, &Msg::MenuExpired)),
    })
}

/// A modal submitted from the hub.
pub async fn modal(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
    id: HubId,
) -> anyhow::Result<Reply> {
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    if let Some(refusal) = admin_refusal(inv, &settings) {
        return Ok(refusal);
    }
    match id {
        HubId::PanelModal { channel_id } => {
            post_panel(ctx, interaction, inv, &settings, channel_id).await
        }
        _ => Ok(Reply::Message(views::ephemeral(
            inv.lang,
            &Msg::MenuExpired,
        ))),
    }
}

/// Posts a panel: the embed and its Open button, the "Tickets" category if missing, the record.
async fn post_panel(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
    settings: &GuildSettings,
    channel_id: u64,
) -> anyhow::Result<Reply> {
    let title = views::modal_value(interaction, InputId::Title).unwrap_or_default();
    let description = views::modal_value(interaction, InputId::Description).unwrap_or_default();
    let footer = views::modal_value(interaction, InputId::Footer).unwrap_or_default();
    categories::default_category(ctx, settings).await?;
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
    let posted = ctx
        .http
        .create_message(Id::new(channel_id))
        .embeds(&view.embeds)
        .components(&view.components)
        .allowed_mentions(Some(&view.allowed_mentions))
        .await;
    let message = match posted {
        Ok(response) => response.model().await?,
        Err(error) => {
            ctx.store.delete_panel(draft.id).await?;
            return match crate::discord::classify(&error) {
                crate::discord::Failure::MissingPermissions => {
                    Ok(Reply::Message(views::ephemeral(
                        inv.lang,
                        &Msg::BotLacksPermission {
                            permission: "Send Messages",
                            channel: channel_id,
                        },
                    )))
                }
                _ => Err(anyhow::Error::new(error).context("posting the panel")),
            };
        }
    };
    let mut panel = draft;
    panel.message_id = message.id.get();
    ctx.store
        .update_panel(&panel)
        .await
        .context("recording the panel's message")?;
    Ok(Reply::Update(
        core_views::hub_result(
            inv.lang,
            &Msg::PanelPosted {
                channel: channel_id,
            },
            HubId::Setup,
        )
        .into(),
    ))
}
