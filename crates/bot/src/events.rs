//! Gateway events: each runs in its own task with its own span.

use std::sync::Arc;

use tracing::Instrument as _;
use twilight_model::gateway::{event::Event, payload::incoming::GuildCreate};

use crate::{
    ctx::Ctx,
    tickets::{capture, reconcile},
};

/// Handles one gateway event.
pub async fn handle(ctx: Arc<Ctx>, event: Event, shard: u32) {
    let span = tracing::info_span!("event", kind = ?event.kind(), shard);
    crate::metrics::bump(&ctx.metrics.gateway_events);
    async move {
        match event {
            Event::MessageCreate(message) => {
                if let Err(error) = capture::message_created(&ctx, &message).await {
                    tracing::error!(error = format!("{error:#}"), channel = %message.channel_id, message = %message.id, "could not capture a message");
                }
                if let Err(error) = crate::delivery::message_created(&ctx, &message).await {
                    tracing::warn!(error = format!("{error:#}"), "could not record a staff response");
                }
            }
            Event::MessageUpdate(message) => {
                if let Err(error) = capture::message_updated(&ctx, &message).await {
                    tracing::error!(error = format!("{error:#}"), channel = %message.channel_id, message = %message.id, "could not capture an edit");
                }
            }
            Event::MessageDelete(deleted) => {
                if let Err(error) =
                    capture::messages_deleted(&ctx, deleted.channel_id.get(), &[deleted.id.get()]).await
                {
                    tracing::error!(error = format!("{error:#}"), "could not capture a deletion");
                }
                if let Err(error) = crate::hub::message_deleted(&ctx, deleted.id.get()).await {
                    tracing::warn!(error = format!("{error:#}"), "could not forget a deleted panel");
                }
            }
            Event::MessageDeleteBulk(deleted) => {
                let ids: Vec<u64> = deleted.ids.iter().map(|id| id.get()).collect();
                if let Err(error) =
                    capture::messages_deleted(&ctx, deleted.channel_id.get(), &ids).await
                {
                    tracing::error!(error = format!("{error:#}"), "could not capture a bulk deletion");
                }
                for id in ids {
                    if let Err(error) = crate::hub::message_deleted(&ctx, id).await {
                        tracing::warn!(error = format!("{error:#}"), "could not forget a deleted panel");
                    }
                }
            }
            Event::InteractionCreate(interaction) => {
                crate::router::handle(&ctx, interaction.0).await;
            }
            Event::ChannelDelete(channel) => {
                if let Err(error) = reconcile::channel_deleted(&ctx, channel.id.get()).await {
                    tracing::error!(error = format!("{error:#}"), "could not record a deleted channel");
                }
            }
            Event::GuildCreate(guild) => {
                if let GuildCreate::Available(guild) = *guild {
                    if let Err(error) = reconcile::guild_available(&ctx, &guild).await {
                        tracing::error!(error = format!("{error:#}"), guild = %guild.id, "could not reconcile the server");
                    }
                    crate::metrics::bump(&ctx.metrics.servers_reconciled);
                }
            }
            Event::GuildDelete(gone) => {
                // `unavailable: true` is an outage: the server comes back with a GUILD_CREATE,
                // and nothing about it changes meanwhile.
                if gone.unavailable == Some(true) {
                    tracing::info!(guild = %gone.id, "server unavailable (outage)");
                } else if let Err(error) = reconcile::guild_removed(&ctx, gone.id.get()).await {
                    tracing::error!(error = format!("{error:#}"), guild = %gone.id, "could not park the server's jobs");
                }
            }
            _ => {}
        }
    }
    .instrument(span)
    .await;
}
