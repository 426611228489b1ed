//! Capturing a ticket's whole conversation before its channel can go: every message, paged from
//! the oldest, with authors, embeds and attachment names, stored as the ticket's transcript.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use twilight_model::{
    channel::Message,
    id::{Id, marker::MessageMarker},
};

use ticketbooth_core::Snowflake;
use ticketbooth_store::NewTranscript;
use ticketbooth_transcript::{CapturedAttachment, CapturedMessage};

use crate::app::Ctx;

/// Discord's page size for message history.
const PAGE: u16 = 100;

/// The transcript format stored by [`capture_and_save`]: gzip-compressed JSON.
pub const FORMAT: &str = ticketbooth_transcript::FORMAT;

fn to_time(ts: twilight_model::util::Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(ts.as_micros()).unwrap_or_default()
}

/// Converts a message as Discord sent it into its captured form.
pub fn captured(m: &Message) -> CapturedMessage {
    CapturedMessage {
        id: m.id.get(),
        author_id: m.author.id.get(),
        author_name: m.author.name.clone(),
        author_display: m.author.global_name.clone(),
        author_avatar: m.author.avatar.map(|a| a.to_string()),
        author_bot: m.author.bot,
        content: m.content.clone(),
        timestamp: to_time(m.timestamp),
        edited_timestamp: m.edited_timestamp.map(to_time),
        embeds: m
            .embeds
            .iter()
            .filter_map(|e| serde_json::to_value(e).ok())
            .collect(),
        attachments: m
            .attachments
            .iter()
            .map(|a| CapturedAttachment {
                filename: a.filename.clone(),
                url: a.url.clone(),
                size: a.size,
                content_type: a.content_type.clone(),
            })
            .collect(),
        reply_to: m
            .reference
            .as_ref()
            .and_then(|r| r.message_id)
            .map(|id| id.get()),
        mentions: m
            .mentions
            .iter()
            .map(|u| (u.id.get(), u.name.clone()))
            .collect(),
        mention_roles: m.mention_roles.iter().map(|r| r.get()).collect(),
    }
}

/// Reads every message of a channel, oldest first. Fails rather than return a partial history.
pub async fn capture(ctx: &Ctx, channel_id: Snowflake) -> anyhow::Result<Vec<CapturedMessage>> {
    let mut all: Vec<CapturedMessage> = Vec::new();
    // Message ids only grow, so "after 1" starts before the first message of any channel.
    let mut after: Id<MessageMarker> = Id::new(1);
    loop {
        let mut page = ctx
            .send(
                ctx.http
                    .channel_messages(Id::new(channel_id))
                    .after(after)
                    .limit(PAGE),
            )
            .await?
            .models()
            .await
            .context("a page of message history was not understood")?;
        if page.is_empty() {
            break;
        }
        // Discord returns a page newest first; order it and continue after its newest.
        page.sort_by_key(|m| m.id);
        let full = page.len() == usize::from(PAGE);
        after = page.last().map(|m| m.id).unwrap_or(after);
        all.extend(page.iter().map(captured));
        if !full {
            break;
        }
    }
    Ok(all)
}

/// Captures the channel and stores it as the ticket's transcript; returns the message count.
pub async fn capture_and_save(
    ctx: &Ctx,
    ticket_id: i64,
    channel_id: Snowflake,
) -> anyhow::Result<usize> {
    let messages = capture(ctx, channel_id)
        .await
        .with_context(|| format!("reading the history of channel {channel_id}"))?;
    let data = ticketbooth_transcript::compress(&messages);
    ctx.store
        .save_transcript(NewTranscript {
            ticket_id,
            format: FORMAT.to_owned(),
            data,
            message_count: messages.len() as i64,
            created_at: Utc::now(),
        })
        .await
        .context("storing the transcript")?;
    tracing::info!(
        ticket = ticket_id,
        messages = messages.len(),
        "transcript saved"
    );
    crate::delivery::transcript_saved(ctx, ticket_id).await;
    Ok(messages.len())
}

/// Schedules a capture as a job (keep mode: the channel stays, the transcript is saved now, and a
/// restart cannot forget it).
pub async fn schedule_capture(
    ctx: &Ctx,
    ticket_id: i64,
    channel_id: Snowflake,
) -> anyhow::Result<()> {
    ctx.store
        .schedule_job(ticketbooth_store::NewJob {
            kind: ticketbooth_store::JobKind::CaptureTranscript {
                ticket_id,
                channel_id,
            },
            due_at: Utc::now(),
        })
        .await
        .context("scheduling the transcript capture")?;
    Ok(())
}
