//! The worker for delayed work: channel deletions, transcript captures, staff-access changes,
//! the hub's Close all, and what Discord kept failing while a user waited (a welcome to post, a
//! ticket channel's access to set, an opening to undo) are rows with a due time, leased from the store, so a restart forgets
//! nothing and two processes never run one job at once (a Close all that outlasts its lease may
//! be taken over, which its compare-and-set closes and recorded deliveries make harmless). A job Discord refuses for want of a permission keeps being
//! retried with backoff (the permission may come back), and the server's admins are told once
//! per job which permission is missing.
//!
//! Each job is leased alone, when its turn comes, and runs in a task of its own: its lease is
//! renewed while it runs, so a long job is never taken over, and a panic in it is contained and
//! counted as a failed attempt. A job that fails `job_max_attempts` times (about a day) is kept
//! as failed, the admins are told once, and `ticketbooth jobs retry ID` gives it another go.

use std::{sync::Arc, time::Duration};

use anyhow::Context as _;
use chrono::Utc;
use tokio_util::sync::CancellationToken;
use tracing::Instrument as _;
use twilight_model::id::Id;

use ticketbooth_core::{
    Snowflake, TicketStatus,
    i18n::{BlockedWork, JobWork, LogText},
    lifecycle,
};
use ticketbooth_store::{Job, JobKind, UpdateOutcome};

use super::capture;
use crate::{
    ctx::Ctx,
    discord::{Failure, classify, failures_in, missing_permission},
};

/// How often the worker looks for due jobs.
const POLL: Duration = Duration::from_millis(250);
/// How long a leased job is ours before another worker may take it over, unless renewed.
const LEASE: Duration = Duration::from_secs(120);
/// How often a running job's lease is renewed: well inside the lease, so a slow database
/// round trip never lets it lapse.
const RENEW_EVERY: Duration = Duration::from_secs(30);
/// How long one attempt of a job keeps trying a call Discord has trouble with.
const JOB_TRY: Duration = Duration::from_secs(5);
/// How often interaction sightings older than a day are forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// How often reservations left by a crashed process, and tickets missing their welcome, are
/// repaired while this one runs.
const REPAIR_EVERY: Duration = Duration::from_secs(60);

/// Discord refused a job's call for want of a permission.
#[derive(Debug)]
struct Blocked {
    work: BlockedWork,
    channel: Snowflake,
    permission: &'static str,
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the bot needs the {} permission in channel {}",
            self.permission, self.channel
        )
    }
}

/// Marks `error` as a missing permission when Discord refused the call (which needs `needed`).
fn blocked(
    error: anyhow::Error,
    work: BlockedWork,
    channel: Snowflake,
    needed: &'static str,
) -> anyhow::Error {
    let permission = failures_in(&error).find_map(|(http, _)| missing_permission(http, needed));
    match permission {
        Some(permission) => error.context(Blocked {
            work,
            channel,
            permission,
        }),
        None => error,
    }
}

/// Runs due jobs until shutdown.
pub async fn run(ctx: Arc<Ctx>, shutdown: CancellationToken) {
    let worker = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
    tracing::info!(worker, "job worker started");
    let mut last_prune = tokio::time::Instant::now();
    let mut last_repair = tokio::time::Instant::now();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            () = tokio::time::sleep(POLL) => {}
        }
        if last_prune.elapsed() > PRUNE_EVERY {
            last_prune = tokio::time::Instant::now();
            let before = Utc::now() - chrono::Duration::days(1);
            if let Err(error) = ctx.store.prune_sightings(before).await {
                tracing::warn!(
                    error = &error as &dyn std::error::Error,
                    "cannot prune interaction sightings"
                );
            }
        }
        if last_repair.elapsed() > REPAIR_EVERY {
            last_repair = tokio::time::Instant::now();
            if let Err(error) = super::reconcile::repair_stale_reservations(&ctx).await {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "cannot repair stale reservations"
                );
            }
            if let Err(error) = super::reconcile::repair_unwelcomed(&ctx).await {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "cannot repair tickets missing their welcome"
                );
            }
        }
        // Due jobs one at a time, each leased only when its turn comes.
        while !shutdown.is_cancelled() {
            let job = match ctx
                .store
                .claim_due_jobs(Utc::now(), LEASE, 1, &worker)
                .await
            {
                Ok(mut jobs) => jobs.pop(),
                Err(error) => {
                    tracing::error!(
                        error = &error as &dyn std::error::Error,
                        "cannot lease jobs"
                    );
                    None
                }
            };
            let Some(job) = job else { break };
            run_leased(&ctx, &worker, job).await;
        }
    }
}

/// Runs a leased job in a task of its own, renewing its lease meanwhile, then records the
/// outcome: done, retried with backoff, or failed for good.
async fn run_leased(ctx: &Arc<Ctx>, worker: &str, job: Job) {
    let span = tracing::info_span!("job", id = job.id, kind = ?job.kind, attempt = job.attempts);
    let mut task = tokio::spawn(perform(ctx.clone(), job.clone()).instrument(span.clone()));
    let mut renew =
        tokio::time::interval_at(tokio::time::Instant::now() + RENEW_EVERY, RENEW_EVERY);
    let joined = loop {
        tokio::select! {
            joined = &mut task => break joined,
            _ = renew.tick() => renew_lease(ctx, worker, job.id).instrument(span.clone()).await,
        }
    };
    let result = joined.unwrap_or_else(|error| {
        Err(anyhow::anyhow!(
            "the job's task ended abnormally: {}",
            panic_message(error)
        ))
    });
    record_outcome(ctx, &job, result).instrument(span).await;
}

async fn renew_lease(ctx: &Ctx, worker: &str, id: i64) {
    let until = Utc::now() + chrono::Duration::from_std(LEASE).unwrap_or_default();
    match ctx.store.renew_job_lease(id, worker, until).await {
        Ok(true) => {}
        Ok(false) => tracing::warn!("the job's lease was taken over while it ran"),
        Err(error) => tracing::warn!(
            error = &error as &dyn std::error::Error,
            "cannot renew the job's lease"
        ),
    }
}

/// What a job's task ended with when it did not return: its panic message, if it had one.
fn panic_message(error: tokio::task::JoinError) -> String {
    match error.try_into_panic() {
        Ok(panic) => panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned()),
        Err(error) => error.to_string(),
    }
}

/// Does a job's work.
async fn perform(ctx: Arc<Ctx>, job: Job) -> anyhow::Result<()> {
    let ctx = ctx.as_ref();
    match &job.kind {
        JobKind::DeleteChannel {
            ticket_id,
            channel_id,
        } => delete_channel(ctx, *ticket_id, *channel_id, job.attempts).await,
        JobKind::CaptureTranscript {
            ticket_id,
            channel_id,
        } => capture_only(ctx, *ticket_id, *channel_id).await,
        JobKind::SyncStaffAccess { guild_id, roles } => {
            super::staff_access::sync(ctx, *guild_id, roles).await
        }
        JobKind::CloseAll {
            guild_id,
            user_id,
            role_ids,
            permissions,
            ticket_ids,
        } => {
            let confirmed = super::close_all::Confirmed {
                job_id: job.id,
                guild_id: *guild_id,
                user_id: *user_id,
                role_ids,
                permissions: *permissions,
                ticket_ids,
            };
            super::close_all::run(ctx, confirmed).await
        }
        JobKind::PostWelcome {
            ticket_id,
            channel_id,
        } => super::open::welcome_job(ctx, *ticket_id, *channel_id).await,
        JobKind::SyncTicketAccess {
            ticket_id,
            channel_id,
        } => super::actions::sync_access(ctx, *ticket_id, *channel_id).await,
        JobKind::AbandonOpening {
            ticket_id,
            guild_id,
        } => {
            let deadline = tokio::time::Instant::now() + JOB_TRY;
            super::open::abandon(ctx, *guild_id, *ticket_id, deadline).await
        }
    }
}

/// Records how a job's attempt ended: completed, put back with backoff, or, out of attempts,
/// failed with the admins told.
async fn record_outcome(ctx: &Ctx, job: &Job, result: anyhow::Result<()>) {
    let bookkeeping = match result {
        Ok(()) => ctx.store.complete_job(job.id).await.map(drop),
        Err(error) if job.attempts >= ctx.config.job_max_attempts => {
            tracing::error!(
                error = format!("{error:#}"),
                attempts = job.attempts,
                "job failed for good; `ticketbooth jobs retry {}` runs it again",
                job.id
            );
            let failed = ctx
                .store
                .fail_job(job.id, Utc::now(), &format!("{error:#}"))
                .await;
            if failed.is_ok()
                && let Err(error) = tell_admins_failed(ctx, job).await
            {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "could not tell the admins about a failed job"
                );
            }
            failed
        }
        Err(error) => {
            // Jittered, so jobs failing together during an incident do not all come back at
            // the same moment.
            let delay = backoff(job.attempts).mul_f64(1.0 + rand::random::<f64>() / 5.0);
            tracing::warn!(
                error = format!("{error:#}"),
                retry_in_s = delay.as_secs(),
                "job failed"
            );
            if !job.admins_told
                && let Some(blocked) = error.downcast_ref::<Blocked>()
            {
                let told = match tell_admins(ctx, &job.kind, blocked).await {
                    Ok(true) => ctx
                        .store
                        .mark_job_admins_told(job.id)
                        .await
                        .map_err(Into::into),
                    Ok(false) => Ok(()),
                    Err(error) => Err(error),
                };
                if let Err(error) = told {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        "could not tell the admins about a missing permission"
                    );
                }
            }
            ctx.store
                .retry_job(
                    job.id,
                    Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default(),
                    &format!("{error:#}"),
                )
                .await
        }
    };
    if let Err(error) = bookkeeping {
        tracing::error!(
            error = &error as &dyn std::error::Error,
            "cannot record the job's outcome"
        );
    }
}

/// Tells the job's server, in its log channel, that the job failed for good and how the
/// operator retries it. A crash between failing the job and posting loses the note, never the
/// job, which `ticketbooth jobs` still lists.
async fn tell_admins_failed(ctx: &Ctx, job: &Job) -> anyhow::Result<()> {
    let ticket = match job.kind.ticket_id() {
        Some(id) => ctx.store.ticket(id).await?,
        None => None,
    };
    let guild_id = match (&job.kind, &ticket) {
        (_, Some(ticket)) => ticket.guild_id,
        (
            JobKind::SyncStaffAccess { guild_id, .. }
            | JobKind::CloseAll { guild_id, .. }
            | JobKind::AbandonOpening { guild_id, .. },
            None,
        ) => *guild_id,
        _ => return Ok(()),
    };
    let work = match job.kind {
        JobKind::DeleteChannel { .. } => JobWork::DeleteChannel,
        JobKind::CaptureTranscript { .. } => JobWork::SaveTranscript,
        JobKind::SyncStaffAccess { .. } => JobWork::StaffAccess,
        JobKind::CloseAll { .. } => JobWork::CloseAll,
        JobKind::PostWelcome { .. }
        | JobKind::SyncTicketAccess { .. }
        | JobKind::AbandonOpening { .. } => JobWork::Other,
    };
    let text = LogText::JobFailed {
        work,
        ticket: ticket.as_ref().map_or("", |t| t.name.as_str()),
        attempts: job.attempts,
        job: job.id,
    };
    let nonce = format!("tbjf{}", job.id);
    crate::delivery::log_note(ctx, guild_id, text, Some(&nonce)).await?;
    Ok(())
}

/// Posts the note about a missing permission in the ticket's server's log channel; `false` when
/// there was nowhere to post it, so a later attempt tries again.
async fn tell_admins(ctx: &Ctx, kind: &JobKind, blocked: &Blocked) -> anyhow::Result<bool> {
    let Some(ticket_id) = kind.ticket_id() else {
        return Ok(false);
    };
    let Some(ticket) = ctx.store.ticket(ticket_id).await? else {
        return Ok(false);
    };
    let told = crate::delivery::log_note(
        ctx,
        ticket.guild_id,
        LogText::WorkBlocked {
            work: blocked.work,
            ticket: &ticket.name,
            channel: blocked.channel,
            permission: blocked.permission,
        },
        None,
    )
    .await?;
    if told {
        tracing::warn!(
            ticket = ticket_id,
            permission = blocked.permission,
            "told the admins a permission is missing"
        );
    }
    Ok(told)
}

/// Exponential backoff: 2, 4, 8 … seconds, at most 10 minutes.
pub fn backoff(attempts: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(attempts.clamp(1, 10)).min(600))
}

async fn capture_only(ctx: &Ctx, ticket_id: i64, channel_id: Snowflake) -> anyhow::Result<()> {
    match capture::capture_and_save(ctx, ticket_id, channel_id).await {
        Ok(_) => Ok(()),
        Err(error) if is_channel_gone(&error) => Ok(()),
        Err(error) => Err(blocked(
            error,
            BlockedWork::SaveTranscript,
            channel_id,
            "Read Message History",
        )),
    }
}

/// Saves the transcript, archives the ticket as deleted, then deletes the channel. A channel is
/// never deleted while its transcript cannot be saved, and archiving first (compare-and-set)
/// means a Reopen racing this job either wins, and the channel stays, or finds the ticket
/// deleted: never a reopened ticket without its channel.
async fn delete_channel(
    ctx: &Ctx,
    ticket_id: i64,
    channel_id: Snowflake,
    attempts: u32,
) -> anyhow::Result<()> {
    let Some(ticket) = ctx.store.ticket(ticket_id).await? else {
        return Ok(());
    };
    match ticket.status {
        TicketStatus::Closed => {
            if let Err(error) = capture::capture_and_save(ctx, ticket_id, channel_id).await {
                if is_channel_gone(&error) {
                    return mark_deleted(ctx, ticket_id).await;
                }
                return Err(blocked(
                    error.context("the transcript could not be saved, so the channel stays"),
                    BlockedWork::DeleteChannel,
                    channel_id,
                    "Read Message History",
                ));
            }
            if !archive_if_closed(ctx, ticket).await? {
                tracing::info!(ticket = ticket_id, "reopened meanwhile; the channel stays");
                return Ok(());
            }
        }
        // Archived by an earlier attempt of this job whose deletion failed (leasing counts
        // attempts from 1): finish it. On a first attempt, another job or a deletion by hand
        // got there first, and there is nothing left to do.
        TicketStatus::Deleted if attempts > 1 => {}
        TicketStatus::Deleted => return Ok(()),
        // Reopened since the deletion was scheduled.
        _ => return Ok(()),
    }
    if let Err(error) = ctx.send(ctx.http.delete_channel(Id::new(channel_id))).await
        && classify(&error) != Failure::NotFound
    {
        return Err(blocked(
            anyhow::Error::new(error).context("deleting the ticket channel"),
            BlockedWork::DeleteChannel,
            channel_id,
            "Manage Channels",
        ));
    }
    tracing::info!(
        ticket = ticket_id,
        channel = channel_id,
        "ticket channel deleted"
    );
    Ok(())
}

/// Marks a closed ticket deleted; `false` when it was reopened meanwhile.
async fn archive_if_closed(
    ctx: &Ctx,
    mut ticket: ticketbooth_core::Ticket,
) -> anyhow::Result<bool> {
    for _ in 0..5 {
        let Ok(next) = lifecycle::mark_deleted(&ticket, Utc::now()) else {
            return Ok(ticket.status == TicketStatus::Deleted);
        };
        match ctx
            .store
            .update_ticket(&next)
            .await
            .context("archiving the ticket")?
        {
            UpdateOutcome::Updated(_) => return Ok(true),
            UpdateOutcome::Stale(latest) => ticket = latest,
        }
    }
    anyhow::bail!("ticket {} kept changing while being archived", ticket.id)
}

/// Archives a closed ticket as deleted, whoever deleted its channel.
pub async fn mark_deleted(ctx: &Ctx, ticket_id: i64) -> anyhow::Result<()> {
    for _ in 0..5 {
        let Some(ticket) = ctx.store.ticket(ticket_id).await? else {
            return Ok(());
        };
        let Ok(next) = lifecycle::mark_deleted(&ticket, Utc::now()) else {
            return Ok(());
        };
        match ctx
            .store
            .update_ticket(&next)
            .await
            .context("archiving the ticket")?
        {
            UpdateOutcome::Updated(_) => return Ok(()),
            UpdateOutcome::Stale(_) => continue,
        }
    }
    anyhow::bail!("ticket {ticket_id} kept changing while being archived")
}

fn is_channel_gone(error: &anyhow::Error) -> bool {
    failures_in(error).any(|(_, failure)| failure == Failure::NotFound)
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn backoff_grows_and_is_bounded() {
        assert_eq!(backoff(0), Duration::from_secs(2));
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(3), Duration::from_secs(8));
        assert_eq!(backoff(50), Duration::from_secs(600));
    }
}
