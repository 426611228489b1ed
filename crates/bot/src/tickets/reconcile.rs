//! Keeping the store and Discord in step: channels deleted by hand close their tickets, and when
//! a server becomes available the tickets and channels a crash may have left half-done are
//! repaired (reservations adopted or released, closed tickets' deletions rescheduled). A server
//! that removed the bot has its tickets' jobs parked until the bot is invited back.

use std::collections::HashMap;

use anyhow::Context as _;
use chrono::{Duration as ChronoDuration, Utc};
use twilight_model::{
    channel::{Channel, permission_overwrite::PermissionOverwriteType},
    guild::Guild,
    id::Id,
};

use ticketbooth_core::{ClosingMode, Snowflake, Ticket, TicketStatus, Topic, lifecycle};
use ticketbooth_store::{JobKind, NewJob, UpdateOutcome};

use super::{
    actions::lock_channel,
    open::{schedule_welcome, ticket_id_from_topic},
    worker,
};
use crate::{
    ctx::Ctx,
    discord::{Failure, classify},
};

/// How old a reservation must be before start-up repair touches it: younger ones may still be
/// in the middle of being opened by a live process.
const STALE_AFTER: ChronoDuration = ChronoDuration::seconds(60);

/// A channel vanished (CHANNEL_DELETE, or missing at start-up): close or archive its ticket, and
/// unless the bot deleted it (the ticket is archived already, its transcript saved), save the
/// transcript from what was captured live and deliver it: the channel's history is gone.
pub async fn channel_deleted(ctx: &Ctx, channel_id: Snowflake) -> anyhow::Result<()> {
    let Some(ticket) = ctx.store.ticket_by_channel(channel_id).await? else {
        return Ok(());
    };
    if ticket.status == TicketStatus::Deleted {
        return Ok(());
    }
    let ticket_id = ticket.id;
    archive_deleted_channel(ctx, ticket).await?;
    super::capture::save_from_store(ctx, ticket_id)
        .await
        .context("saving the transcript of a channel deleted by hand")?;
    Ok(())
}

async fn archive_deleted_channel(ctx: &Ctx, ticket: Ticket) -> anyhow::Result<()> {
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

/// The bot was removed from a server (GUILD_DELETE without `unavailable`): Discord refuses
/// every call about it from now on, so its tickets' jobs are parked rather than retried, and
/// kept rather than deleted, so that nothing is lost if the bot is invited back.
pub async fn guild_removed(ctx: &Ctx, guild_id: Snowflake) -> anyhow::Result<()> {
    let parked = ctx.store.park_guild_jobs(guild_id).await?;
    tracing::warn!(
        guild = guild_id,
        parked,
        "removed from the server; its jobs wait until the bot is invited back"
    );
    Ok(())
}

/// Repairs one server from the channels Discord reports for it (GUILD_CREATE).
pub async fn guild_available(ctx: &Ctx, guild: &Guild) -> anyhow::Result<()> {
    ctx.guild_names.remember(guild.id.get(), &guild.name);
    let guild_id = guild.id.get();

    // Jobs parked when the bot was removed run again. First, so that the repair below sees
    // them pending and does not schedule a second deletion; a job whose channel was deleted
    // meanwhile finds its ticket archived (or Discord answers 404), which ends it.
    let unparked = ctx.store.unpark_guild_jobs(guild_id, Utc::now()).await?;
    if unparked > 0 {
        tracing::info!(
            guild = guild_id,
            unparked,
            "back in the server; its parked jobs run again"
        );
    }
    let channels = guild.channels.as_slice();
    let by_id: HashMap<Snowflake, &Channel> = channels.iter().map(|c| (c.id.get(), c)).collect();

    // A ticket being opened right now may still be waiting for its welcome: only older
    // tickets are judged unwelcomed.
    let settled_before = Utc::now() - STALE_AFTER;

    // Tickets whose channel is gone.
    for ticket in ctx.store.tickets_with_channels(Some(guild_id)).await? {
        let Some(channel_id) = ticket.channel_id else {
            continue;
        };
        let Some(channel) = by_id.get(&channel_id) else {
            // The snapshot may predate a channel created since; ask Discord before archiving.
            if channel_is_gone(ctx, channel_id).await? {
                channel_deleted(ctx, channel_id).await?;
            }
            continue;
        };
        // This process identified afresh: what the channel got while no session listened is a
        // gap, read from history at close.
        super::capture::note_gap(ctx, &ticket, channel)
            .await
            .context("noting a capture gap")?;
        // Opened, but the crash came before the welcome: a channel where nothing was ever
        // posted (GUILD_CREATE says so for free) gets it now, from the welcome job (which
        // first checks the channel, and does nothing if it was delivered). Tickets whose
        // welcome delivery was begun and never finished are found by
        // [`repair_unwelcomed`] whatever the channel holds.
        if matches!(ticket.status, TicketStatus::Open | TicketStatus::NeedHelp)
            && ticket.created_at <= settled_before
            && channel.last_message_id.is_none()
        {
            schedule_welcome(ctx, ticket.id, channel_id, Utc::now())
                .await
                .context("welcoming a ticket left unwelcomed by a crash")?;
            tracing::info!(
                ticket = ticket.id,
                "scheduled a welcome a crash had skipped"
            );
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
            let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
            lock_channel(ctx, channel_id, deadline)
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

    remove_orphans(ctx, channels).await?;
    repair_reservations(ctx, guild_id, channels).await?;
    Ok(())
}

/// Repairs reservations a crashed process left while this one kept running: for each server
/// with a stale reservation, lists its channels (one call) and adopts or releases. The worker
/// runs this now and then, so a member is not held by a dead process's reservation until the
/// next start-up. Returns how many reservations were repaired.
pub async fn repair_stale_reservations(ctx: &Ctx) -> anyhow::Result<usize> {
    let stale = ctx
        .store
        .stale_reservations(Utc::now() - STALE_AFTER)
        .await?;
    let guilds: std::collections::BTreeSet<Snowflake> = stale.iter().map(|t| t.guild_id).collect();
    for guild_id in guilds {
        let channels = ctx
            .send(ctx.http.guild_channels(Id::new(guild_id)))
            .await
            .context("listing a server's channels to repair reservations")?
            .models()
            .await?;
        repair_reservations(ctx, guild_id, &channels).await?;
    }
    Ok(stale.len())
}

/// Reservations a crash left behind in one server: adopt the channel created for them (found
/// by the marker in its topic), or release them.
async fn repair_reservations(
    ctx: &Ctx,
    guild_id: Snowflake,
    channels: &[Channel],
) -> anyhow::Result<()> {
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
                schedule_welcome(ctx, ticket.id, channel_id, Utc::now())
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

/// Finds open tickets whose welcome was begun and never delivered (Discord failed it while the
/// member waited and the job was lost, or a crash came between the channel and the welcome) and
/// schedules their welcome job. The worker runs this now and then, so a live process finishes
/// such tickets without a restart. Returns how many were found.
pub async fn repair_unwelcomed(ctx: &Ctx) -> anyhow::Result<usize> {
    let unwelcomed = ctx
        .store
        .unwelcomed_tickets(Utc::now() - STALE_AFTER)
        .await?;
    for ticket in &unwelcomed {
        if let Some(channel_id) = ticket.channel_id {
            schedule_welcome(ctx, ticket.id, channel_id, Utc::now()).await?;
        }
    }
    Ok(unwelcomed.len())
}

/// The topic a ticket was opened under, if it still exists.
pub(super) async fn topic_of(ctx: &Ctx, ticket: &Ticket) -> anyhow::Result<Option<Topic>> {
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

/// Deletes ticket channels whose ticket the store does not know: their reservation was
/// released (say, Discord created the channel but the answer never came back) or removed. Only
/// channels that are ours twice over are touched: the marker in the topic, and the bot's own
/// member overwrite that ticket channels are created with. A channel whose ticket exists is
/// left to the repairs above.
async fn remove_orphans(ctx: &Ctx, channels: &[Channel]) -> anyhow::Result<()> {
    let bot = ctx.bot_user_id.get();
    let ours = channels.iter().filter_map(|c| {
        let ticket_id = ticket_id_from_topic(c.topic.as_deref()?)?;
        let bot_overwrite = c
            .permission_overwrites
            .iter()
            .flatten()
            .any(|o| o.kind == PermissionOverwriteType::Member && o.id.get() == bot);
        bot_overwrite.then_some((ticket_id, c.id.get()))
    });
    for (ticket_id, channel_id) in ours {
        if ctx.store.ticket(ticket_id).await?.is_some() {
            continue;
        }
        match ctx.send(ctx.http.delete_channel(Id::new(channel_id))).await {
            Ok(_) => tracing::info!(
                channel = channel_id,
                ticket = ticket_id,
                "deleted a ticket channel the store does not know"
            ),
            Err(error) if classify(&error) == Failure::NotFound => {}
            Err(error) => {
                return Err(anyhow::Error::new(error).context("deleting an orphan ticket channel"));
            }
        }
    }
    Ok(())
}

/// Whether Discord says the channel no longer exists (one GET, only for channels missing from a
/// GUILD_CREATE snapshot).
async fn channel_is_gone(ctx: &Ctx, channel_id: Snowflake) -> anyhow::Result<bool> {
    match ctx
        .send(ctx.http.channel(twilight_model::id::Id::new(channel_id)))
        .await
    {
        Ok(_) => Ok(false),
        Err(error) => match crate::discord::classify(&error) {
            crate::discord::Failure::NotFound => Ok(true),
            _ => Err(anyhow::Error::new(error).context("checking a ticket channel")),
        },
    }
}
