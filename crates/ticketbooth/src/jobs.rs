//! `ticketbooth jobs`: the delayed work that ran out of attempts, and retrying it.

use std::fmt::Write as _;

use chrono::Utc;
use ticketbooth_store::{Job, JobKind, Store};

/// The failed jobs, one paragraph each, or a sentence saying there are none.
pub async fn list_failed(store: &dyn Store) -> anyhow::Result<String> {
    let failed = store.failed_jobs().await?;
    if failed.is_empty() {
        return Ok("No failed jobs.\n".to_owned());
    }
    let mut out = format!(
        "{} failed job{} (retry one with `ticketbooth jobs retry ID`):\n",
        failed.len(),
        if failed.len() == 1 { "" } else { "s" }
    );
    for job in &failed {
        describe(&mut out, job);
    }
    Ok(out)
}

fn describe(out: &mut String, job: &Job) {
    let failed_at = job.failed_at.map_or_else(
        || "?".to_owned(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    );
    let _ = writeln!(
        out,
        "\n  job {}: {}\n    failed {failed_at} after {} attempts\n    last error: {}",
        job.id,
        what(&job.kind),
        job.attempts,
        job.last_error.as_deref().unwrap_or("none recorded"),
    );
}

/// What a job does, in words.
fn what(kind: &JobKind) -> String {
    match kind {
        JobKind::DeleteChannel {
            ticket_id,
            channel_id,
        } => {
            format!("delete channel {channel_id} of ticket {ticket_id} after saving its transcript")
        }
        JobKind::CaptureTranscript {
            ticket_id,
            channel_id,
        } => format!("save the transcript of ticket {ticket_id} from channel {channel_id}"),
        JobKind::SyncStaffAccess { guild_id, roles } => format!(
            "apply {} staff role change{} in server {guild_id}",
            roles.len(),
            if roles.len() == 1 { "" } else { "s" }
        ),
        JobKind::CloseAll {
            guild_id,
            ticket_ids,
            ..
        } => format!(
            "Close all of {} tickets in server {guild_id}",
            ticket_ids.len()
        ),
        JobKind::PostWelcome {
            ticket_id,
            channel_id,
        } => format!("post the welcome of ticket {ticket_id} in channel {channel_id}"),
        JobKind::SyncTicketAccess {
            ticket_id,
            channel_id,
        } => format!("set who may see ticket {ticket_id} in channel {channel_id}"),
        JobKind::AbandonOpening {
            ticket_id,
            guild_id,
        } => format!("undo the failed opening of ticket {ticket_id} in server {guild_id}"),
    }
}

/// Gives the failed job `id` a fresh budget of attempts, due now; an error when no failed job
/// has this id.
pub async fn retry(store: &dyn Store, id: i64) -> anyhow::Result<String> {
    anyhow::ensure!(
        store.retry_failed_job(id, Utc::now()).await?,
        "there is no failed job {id} (`ticketbooth jobs` lists them)"
    );
    Ok(format!(
        "Job {id} will run again at once, with a fresh set of attempts, as soon as a bot process on this database is running.\n"
    ))
}
