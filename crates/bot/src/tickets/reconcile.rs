//! Keeping the store and Discord in step: channels deleted by hand close their tickets, and when
//! a server becomes available the tickets and channels a crash may have left half-done are
//! repaired (reservations adopted or released, closed tickets' deletions rescheduled).

use std::collections::HashMap;

use anyhow::Context as _;
use chrono::{Duration as ChronoDuration, Utc};
use twilight_model::channel::Channel;

use ticketbooth_core::{ClosingMode, Snowflake, Ticket, TicketStatus, Topic, lifecycle};
use ticketbooth_store::{JobKind, NewJob, UpdateOutcome};

use super::{
    actions::lock_channel,
    open::{post_welcome, ticket_id_from_topic},
    worker,
};
use crate::app::Ctx;

/// How old a reservation must be before start-up repair touches it: younger ones may still be
/// in the middle of being opened by a live process.
const STALE_AFTER: ChronoDuration = ChronoDuration::seconds(60);

/// A channel vanished (CHANNEL_DELETE, or missing at start-up): close or archive its ticket.
pub async fn channel_deleted(ctx: &Ctx, channel_id: Snowflake) -> anyhow::Result<()> {
    let Some(ticket) = ctx.store.ticket_by_channel(channel_id).await? else {
        return Ok(());
    };
    match ticket.status {
        TicketStatus::Deleted => Ok(()),
        TicketStatus::Closed => worker::mark_deleted(ctx, ticket.id).await,
        _ => {
            let mut current = ticket;
            for _ in 0..5 {
                let Ok(next) = lifecycle::mark_channel_deleted(&current, Utc::now()) else {
                    return Ok(());
                };
                match ctx.store.update_ticket(&next).await? {
                    UpdateOutcome::Updated(stored) => {
                        tracing::info!(
                            ticket = stored.id,
                            "ticket channel deleted by hand; ticket archived"
                        );
                        return Ok(());
                    }
                    UpdateOutcome::Stale(latest) => current = latest,
                }
            }
            anyhow::bail!("ticket kept changing while its channel deletion was recorded")
        }
    }
}

/// Repairs one server from the channels Discord reports for it (GUILD_CREATE).
pub async fn guild_available(
    ctx: &Ctx,
    guild_id: Snowflake,
    channels: &[Channel],
) -> anyhow::Result<()> {
    let by_id: HashMap<Snowflake, &Channel> = channels.iter().map(|c| (c.id.get(), c)).collect();

    // Tickets whose channel is gone.
    for ticket in ctx.store.tickets_with_channels(Some(guild_id)).await? {
        let Some(channel_id) = ticket.channel_id else {
            continue;
        };
        let Some(channel) = by_id.get(&channel_id) else {
            channel_deleted(ctx, channel_id).await?;
            continue;
        };
        // Opened, but the crash came before the welcome: a channel where nothing was ever
        // posted (GUILD_CREATE says so for free) gets it now.
        if matches!(ticket.status, TicketStatus::Open | TicketStatus::NeedHelp)
            && channel.last_message_id.is_none()
        {
            let settings = ctx.store.guild_settings(guild_id).await?;
            let topic = topic_of(ctx, &ticket).await?;
            post_welcome(ctx, &ticket, &settings, topic.as_ref())
                .await
                .context("welcoming a ticket left unwelcomed by a crash")?;
            tracing::info!(ticket = ticket.id, "posted a welcome a crash had skipped");
        }
        // Closed in keep mode, but the crash came before the lock: the owner still has their
        // overwrite, so lock now.
        if ticket.status == TicketStatus::Closed
            && let ClosingMode::Keep = ctx.store.guild_settings(guild_id).await?.closing
            && channel
                .permission_overwrites
                .iter()
                .flatten()
                .any(|o| o.id.get() == ticket.owner_id)
        {
            lock_channel(ctx, channel_id)
                .await
                .context("locking a closed ticket a crash left open")?;
            tracing::info!(
                ticket = ticket.id,
                "locked a closed ticket a crash had left open"
            );
        }
        // Closed in delete mode, but the crash came before the deletion was scheduled.
        if ticket.status == TicketStatus::Closed {
            let settings = ctx.store.guild_settings(guild_id).await?;
            if let ClosingMode::Delete { after_secs } = settings.closing
                && ctx
                    .store
                    .pending_jobs_for_ticket(ticket.id)
                    .await?
                    .is_empty()
            {
                ctx.store
                    .schedule_job(NewJob {
                        kind: JobKind::DeleteChannel {
                            ticket_id: ticket.id,
                            channel_id,
                        },
                        due_at: Utc::now() + ChronoDuration::seconds(i64::from(after_secs)),
                    })
                    .await?;
                tracing::info!(ticket = ticket.id, "rescheduled a closed ticket's deletion");
            }
        }
    }

    // Reservations a crash left behind: adopt the channel created for them, or release them.
    let markers: HashMap<i64, Snowflake> = channels
        .iter()
        .filter_map(|c| Some((ticket_id_from_topic(c.topic.as_deref()?)?, c.id.get())))
        .collect();
    for ticket in ctx
        .store
        .stale_reservations(Utc::now() - STALE_AFTER)
        .await?
        .into_iter()
        .filter(|t| t.guild_id == guild_id)
    {
        match markers.get(&ticket.id) {
            Some(&channel_id) => {
                let ticket = ctx
                    .store
                    .attach_channel(ticket.id, channel_id)
                    .await
                    .context("adopting a ticket channel")?;
                let settings = ctx.store.guild_settings(guild_id).await?;
                let topic = topic_of(ctx, &ticket).await?;
                post_welcome(ctx, &ticket, &settings, topic.as_ref())
                    .await
                    .context("welcoming an adopted ticket")?;
                tracing::info!(
                    ticket = ticket.id,
                    channel = channel_id,
                    "adopted a ticket channel left by a crash"
                );
            }
            None => {
                ctx.store.release_reservation(ticket.id).await?;
                tracing::info!(ticket = ticket.id, "released a reservation left by a crash");
            }
        }
    }
    Ok(())
}

/// The topic a ticket was opened under, if it still exists.
async fn topic_of(ctx: &Ctx, ticket: &Ticket) -> anyhow::Result<Option<Topic>> {
    let Some(name) = &ticket.topic else {
        return Ok(None);
    };
    Ok(ctx
        .store
        .topics(ticket.guild_id)
        .await?
        .into_iter()
        .find(|t| &t.name == name))
}
