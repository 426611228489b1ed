//! Manage: close the ticket the hub was opened in, close all open tickets, add or remove a
//! member, revoke a ticket's transcript links. Every ticket change goes through `tickets::actions`, which authorizes it again; Close
//! all is a job (`tickets::close_all`), which this only schedules and follows.

use std::time::Duration;

use chrono::Utc;
use tokio::time::Instant;
use twilight_model::application::interaction::Interaction;

use ticketbooth_core::{
    GuildSettings, Snowflake,
    authz::{self, Action},
    custom_id::{HubId, InputId},
    i18n::{self, LogText, Msg},
    lifecycle::CloseKind,
    views as core_views,
};
use ticketbooth_store::{JobKind, NewJob};

use super::{refused, result, settings::log_note, update};
use crate::{
    ctx::Ctx,
    invocation::Invocation,
    responder::{ACK_BUDGET, Reply},
    tickets::{
        actions::{self, TicketRef},
        close_all,
    },
};

/// When progress may first be shown: the responder has deferred by [`ACK_BUDGET`], so the hub
/// message can be edited through the interaction from then on (with a margin for the deferral
/// to land).
const PROGRESS_AFTER: Duration = ACK_BUDGET.saturating_add(Duration::from_millis(500));
/// The least time between two progress edits, so a long run costs few REST calls.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);
/// How often the store is asked how far Close all is.
const POLL: Duration = Duration::from_millis(250);
/// How long the hub message follows a Close all, well within the 15 minutes an interaction's
/// token is valid.
const WAIT_AT_MOST: Duration = Duration::from_secs(120);

/// Manage → Close: the ticket this channel is.
pub(super) async fn close_here(ctx: &Ctx, inv: &Invocation) -> anyhow::Result<Reply> {
    actions::close(ctx, inv, TicketRef::ThisChannel, CloseKind::Close, None).await
}

/// Manage → Add user / Remove user, for the ticket this channel is.
pub(super) async fn member(
    ctx: &Ctx,
    inv: &Invocation,
    user: Snowflake,
    add: bool,
) -> anyhow::Result<Reply> {
    if add {
        actions::add_member(ctx, inv, TicketRef::ThisChannel, user).await
    } else {
        actions::remove_member(ctx, inv, TicketRef::ThisChannel, user).await
    }
}

/// Manage → Revoke transcript links (admins): every link to the numbered ticket's transcript
/// answers 404 from now on; the log channel says who did it.
pub(super) async fn revoke_links(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
    settings: &GuildSettings,
) -> anyhow::Result<Reply> {
    let input = crate::views::modal_value(interaction, InputId::TicketNumber).unwrap_or_default();
    let Some(number) = input.trim().parse::<i64>().ok().filter(|n| *n > 0) else {
        return Ok(result(inv, &Msg::NotATicketNumber, HubId::Manage));
    };
    let Some(ticket) = ctx.store.ticket_by_number(inv.guild_id, number).await? else {
        return Ok(result(
            inv,
            &Msg::NoTicketNumbered { number },
            HubId::Manage,
        ));
    };
    let newly = ctx
        .store
        .revoke_transcript_links(ticket.id, inv.user_id, Utc::now())
        .await?;
    tracing::info!(
        ticket = ticket.id,
        by = inv.user_id,
        newly,
        "transcript links revoked"
    );
    if newly {
        let line = i18n::text(
            settings.language,
            &Msg::Log(LogText::LinksRevoked {
                by: inv.user_id,
                number,
            }),
        );
        let note = core_views::MessageView {
            content: Some(line),
            embeds: Vec::new(),
            components: Vec::new(),
            // Nobody is pinged by a log line.
            allowed_mentions: Default::default(),
            ephemeral: false,
        };
        if let Some(reply) = log_note(ctx, inv, settings, &note).await? {
            return Ok(reply);
        }
    }
    Ok(result(inv, &Msg::LinksRevoked { number }, HubId::Manage))
}

/// The tickets Close all would close: those with a channel (one still being created is
/// skipped; its opening finishes and it can be closed then).
async fn closable(ctx: &Ctx, inv: &Invocation) -> anyhow::Result<Vec<i64>> {
    Ok(ctx
        .store
        .open_tickets(inv.guild_id)
        .await?
        .into_iter()
        .filter(|t| t.channel_id.is_some())
        .map(|t| t.id)
        .collect())
}

fn close_all_refusal(
    ctx_settings: &ticketbooth_core::GuildSettings,
    inv: &Invocation,
) -> Option<Reply> {
    let role = authz::role_of(&inv.actor(), None, ctx_settings);
    authz::authorize(Action::CloseAll, role, None, ctx_settings)
        .err()
        .map(|refusal| refused(inv, refusal))
}

/// Manage → Close all: asks to confirm, saying how many.
pub(super) async fn close_all_confirm(ctx: &Ctx, inv: &Invocation) -> anyhow::Result<Reply> {
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    if let Some(refusal) = close_all_refusal(&settings, inv) {
        return Ok(refusal);
    }
    let count = u32::try_from(closable(ctx, inv).await?.len()).unwrap_or(u32::MAX);
    Ok(update(core_views::close_all_confirm(inv.lang, count)))
}

/// Schedules the Close all the admin confirmed, as one job listing the tickets counted (those
/// opened since are left open), then shows its progress on the hub message while the
/// interaction's token is valid and ends with how many were closed. The job, not this handler,
/// does the closing, so a crash or restart mid-run loses nothing: the worker of this or another
/// process finishes it. When the number of open tickets is no longer the `confirmed` one, asks
/// again instead.
pub(super) async fn close_all(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
    confirmed: u32,
) -> anyhow::Result<Reply> {
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    if let Some(refusal) = close_all_refusal(&settings, inv) {
        return Ok(refusal);
    }
    let ids = closable(ctx, inv).await?;
    let total = u32::try_from(ids.len()).unwrap_or(u32::MAX);
    if total != confirmed {
        return Ok(update(core_views::close_all_confirm(inv.lang, total)));
    }
    let job = ctx
        .store
        .schedule_job(NewJob {
            kind: JobKind::CloseAll {
                guild_id: inv.guild_id,
                user_id: inv.user_id,
                role_ids: inv.role_ids.clone(),
                permissions: inv.permissions,
                ticket_ids: ids.clone(),
            },
            due_at: Utc::now(),
        })
        .await?;
    let started = Instant::now();
    let mut last_progress: Option<Instant> = None;
    // Waiting here is only for the hub message: the job runs whether or not anyone waits. Each
    // poll is one lookup of the job; the tickets are counted only when there is something to
    // show, and a run that outlasts the acknowledgement is polled less often.
    while started.elapsed() < WAIT_AT_MOST {
        let poll = if started.elapsed() < PROGRESS_AFTER {
            POLL
        } else {
            PROGRESS_EVERY
        };
        tokio::select! {
            () = ctx.shutdown.cancelled() => break,
            () = tokio::time::sleep(poll) => {}
        }
        if ctx.store.job(job.id).await?.is_none() {
            let done = close_all::closed_so_far(ctx, inv.user_id, &ids).await?;
            return Ok(result(
                inv,
                &Msg::CloseAllDone { count: done },
                HubId::Manage,
            ));
        }
        // Only a run that outlasts the acknowledgement shows progress; a quick one just ends.
        let due = last_progress.map_or(started.elapsed() >= PROGRESS_AFTER, |at| {
            at.elapsed() >= PROGRESS_EVERY
        });
        if due {
            let done = close_all::closed_so_far(ctx, inv.user_id, &ids).await?;
            show_progress(ctx, interaction, inv, done, total).await;
            last_progress = Some(Instant::now());
        }
    }
    let done = close_all::closed_so_far(ctx, inv.user_id, &ids).await?;
    // Still running (Discord slow, a ticket being retried, or this process stopping): the job
    // finishes on its own, here or in another process.
    Ok(result(
        inv,
        &Msg::CloseAllProgress { done, total },
        HubId::Manage,
    ))
}

/// Edits the hub message to say how far Close all is; best effort, as the final result
/// replaces it anyway.
async fn show_progress(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
    done: u32,
    total: u32,
) {
    let view = core_views::ephemeral(inv.lang, &Msg::CloseAllProgress { done, total });
    let edited = ctx
        .send(
            ctx.http
                .interaction(ctx.application_id)
                .update_response(&interaction.token)
                .content(view.content.as_deref())
                .embeds(Some(&[]))
                .components(Some(&[])),
        )
        .await;
    if let Err(error) = edited {
        tracing::debug!(%error, "close all: progress not shown");
    }
}
