//! The hub's Close all, run as a job so that a crash or restart mid-run loses nothing: the job
//! lists the tickets the admin confirmed and carries their roles and permissions as they were
//! then, and every attempt walks the whole list. A ticket still open is closed through the normal
//! close path (compare-and-set, so a second attempt is refused rather than closing twice); one
//! this admin already closed with Close all is one an earlier attempt closed, and only what that
//! attempt may not have finished is done again. The closing message in each channel is a
//! delivery like the closure summary: marked "posting" before it is sent and "posted" after, and
//! sent again after a crash with the same nonce and `enforce_nonce`, so Discord answers a repeat
//! with the message already created (within the few minutes it remembers nonces).

use anyhow::Context as _;
use chrono::Utc;
use twilight_model::{http::interaction::InteractionResponseData, id::Id};

use ticketbooth_core::{
    CloseHow, Snowflake, Ticket, TicketStatus, i18n::LogText, lifecycle::CloseKind,
    views as core_views,
};
use ticketbooth_store::{DeliveryState, DeliveryTarget, close_key};

use super::actions::{self, TicketRef};
use crate::{
    ctx::Ctx,
    delivery::{NoncedMessage, delivery_nonce, nonced_body},
    discord::{Failure, classify, failures_in},
    invocation::Invocation,
    responder::Reply,
};

/// What a Close all job carries, as confirmed.
#[derive(Debug, Clone, Copy)]
pub struct Confirmed<'a> {
    pub job_id: i64,
    pub guild_id: Snowflake,
    pub user_id: Snowflake,
    pub role_ids: &'a [Snowflake],
    pub permissions: u64,
    pub ticket_ids: &'a [i64],
}

/// Whether `ticket` was closed by `admin`'s Close all. For a listed ticket (open when the admin
/// confirmed) that means by this run, or by a second confirmation of the same list.
pub fn closed_by_close_all(ticket: &Ticket, admin: Snowflake) -> bool {
    !ticket.status.is_open()
        && ticket.close_how == Some(CloseHow::CloseAll)
        && ticket.closed_by == Some(admin)
}

/// How many of the listed tickets `admin`'s Close all has closed so far.
pub async fn closed_so_far(ctx: &Ctx, admin: Snowflake, ids: &[i64]) -> anyhow::Result<u32> {
    let mut closed = 0u32;
    for &id in ids {
        if let Some(ticket) = ctx.store.ticket(id).await?
            && closed_by_close_all(&ticket, admin)
        {
            closed = closed.saturating_add(1);
        }
    }
    Ok(closed)
}

/// Runs (or resumes) a Close all; an error leaves the job to be retried, which skips what is
/// done.
pub async fn run(ctx: &Ctx, job: Confirmed<'_>) -> anyhow::Result<()> {
    let settings = ctx.store.guild_settings(job.guild_id).await?;
    // The admin as they confirmed: each close is authorized (and attributed) as it was then.
    let inv = Invocation {
        guild_id: job.guild_id,
        channel_id: 0,
        user_id: job.user_id,
        display_name: String::new(),
        role_ids: job.role_ids.to_vec(),
        permissions: job.permissions,
        lang: settings.language,
    };
    let mut failed = None;
    for &id in job.ticket_ids {
        if let Err(error) = close_one(ctx, &inv, id).await {
            tracing::warn!(
                ticket = id,
                error = format!("{error:#}"),
                "close all: one ticket failed; the job will try it again"
            );
            failed.get_or_insert(error);
        }
    }
    if let Some(error) = failed {
        return Err(error.context("close all: some tickets are not done"));
    }
    let count = closed_so_far(ctx, job.user_id, job.ticket_ids).await?;
    tracing::info!(count, by = job.user_id, "close all done");
    crate::delivery::log_note(
        ctx,
        job.guild_id,
        LogText::ClosedAll {
            by: job.user_id,
            count,
        },
        Some(&format!("tbca{}", job.job_id)),
    )
    .await?;
    Ok(())
}

/// Closes one listed ticket and posts its closing message, or finishes what an earlier attempt
/// left: a close whose follow-up (deletion or lock) or message may be missing.
async fn close_one(ctx: &Ctx, inv: &Invocation, id: i64) -> anyhow::Result<()> {
    let Some(ticket) = ctx.store.ticket(id).await? else {
        return Ok(());
    };
    if ticket.guild_id != inv.guild_id {
        return Ok(());
    }
    if ticket.status.is_open() {
        match actions::close(ctx, inv, TicketRef::Id(id), CloseKind::CloseAll, None).await? {
            Reply::Message(closing) => {
                // Closed just now: the message is due even if a close of an earlier life of
                // this ticket (reopened since) left its delivery marked posted.
                return post_closing(ctx, id, &closing, true).await;
            }
            // Refused: closed meanwhile by someone else, or no longer allowed.
            _ => {
                let now = ctx.store.ticket(id).await?;
                if !now.is_some_and(|t| closed_by_close_all(&t, inv.user_id)) {
                    return Ok(());
                }
            }
        }
    } else if !closed_by_close_all(&ticket, inv.user_id) {
        return Ok(());
    }
    resume(ctx, id).await
}

/// A ticket an earlier attempt closed: its follow-up and message, unless done.
async fn resume(ctx: &Ctx, id: i64) -> anyhow::Result<()> {
    let Some(ticket) = ctx.store.ticket(id).await? else {
        return Ok(());
    };
    let close = close_key(&ticket).unwrap_or_default();
    if let DeliveryState::Posted { .. } = ctx
        .store
        .begin_delivery(id, close, DeliveryTarget::ClosingMessage, Utc::now())
        .await?
    {
        return Ok(());
    }
    let settings = ctx.store.guild_settings(ticket.guild_id).await?;
    if ticket.status != TicketStatus::Closed {
        // Archived since: its channel is gone, and the message with it.
        ctx.store
            .finish_delivery(id, close, DeliveryTarget::ClosingMessage, None, Utc::now())
            .await?;
        return Ok(());
    }
    // The follow-up is redone only when nothing shows it was done: no deletion or capture
    // pending, no transcript saved (each is harmless twice, but costs calls). One Discord
    // refuses for good (a permission missing, the channel gone) is left undone, as the close
    // path leaves it, rather than hold up the rest of Close all forever.
    let redo = ctx.store.pending_jobs_for_ticket(id).await?.is_empty()
        && !ctx.store.has_transcript(id).await?;
    if redo && let Err(error) = actions::after_close(ctx, &settings, &ticket).await {
        if !refused_for_good(&error) {
            return Err(error);
        }
        tracing::warn!(
            ticket = id,
            error = format!("{error:#}"),
            "close all: the close's follow-up is refused"
        );
    }
    let closing = core_views::closed(&ticket, &settings).into();
    post_closing(ctx, id, &closing, false).await
}

/// Posts a ticket's closing message in its channel once (see the module's comment). A channel
/// that is gone or closed to the bot leaves the ticket closed without it, as before this was a
/// job; any other failure is retried.
async fn post_closing(
    ctx: &Ctx,
    id: i64,
    closing: &InteractionResponseData,
    fresh: bool,
) -> anyhow::Result<()> {
    let Some(ticket) = ctx.store.ticket(id).await? else {
        return Ok(());
    };
    let close = close_key(&ticket).unwrap_or_default();
    let state = ctx
        .store
        .begin_delivery(id, close, DeliveryTarget::ClosingMessage, Utc::now())
        .await?;
    if !fresh && matches!(state, DeliveryState::Posted { .. }) {
        return Ok(());
    }
    let Some(channel) = ticket.channel_id else {
        return Ok(());
    };
    let embeds = closing.embeds.clone().unwrap_or_default();
    let components = closing.components.clone().unwrap_or_default();
    let body = nonced_body(
        &NoncedMessage {
            content: closing.content.as_deref(),
            embeds: &embeds,
            components: &components,
            allowed_mentions: closing.allowed_mentions.as_ref(),
            ..NoncedMessage::default()
        },
        &delivery_nonce(id, close, DeliveryTarget::ClosingMessage),
    )?;
    let message = match ctx
        .send(
            ctx.http
                .create_message(Id::new(channel))
                .payload_json(&body),
        )
        .await
    {
        Ok(response) => Some(
            response
                .model()
                .await
                .context("reading the closing message")?
                .id
                .get(),
        ),
        Err(error)
            if matches!(
                classify(&error),
                Failure::NotFound | Failure::MissingPermissions
            ) =>
        {
            tracing::warn!(channel, %error, "close all: could not post the closing message");
            None
        }
        Err(error) => {
            return Err(anyhow::Error::new(error).context("posting the closing message"));
        }
    };
    if matches!(state, DeliveryState::Posting) {
        ctx.store
            .finish_delivery(
                id,
                close,
                DeliveryTarget::ClosingMessage,
                message,
                Utc::now(),
            )
            .await?;
    }
    Ok(())
}

/// Whether Discord refused a call in a way no retry changes.
fn refused_for_good(error: &anyhow::Error) -> bool {
    failures_in(error)
        .any(|(_, failure)| matches!(failure, Failure::NotFound | Failure::MissingPermissions))
}
