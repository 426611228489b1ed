//! Live capture of ticket conversations, and the transcript made from it at close.
//!
//! Every message event the gateway delivers for a ticket channel (MESSAGE_CREATE, _UPDATE,
//! _DELETE, _DELETE_BULK) is written to the store as it arrives: one row per message, an edit
//! keeping the first content as the original, a deletion only marking the row. At close the
//! transcript is built from those rows. Discord's history is read only for the gaps the bot
//! could not see: when a shard identifies afresh (after a crash or a stop longer than a resume)
//! each GUILD_CREATE gives every ticket channel's last message id, and whatever lies between
//! the newest message stored and that id is recorded as a gap, read `after=` its start at close.
//! A ticket whose every message was seen live costs no history request.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use twilight_model::{
    channel::{Channel, Message},
    id::{Id, marker::MessageMarker},
};

use ticketbooth_core::{Snowflake, Ticket};
use ticketbooth_store::{CaptureGap, NewTranscript, TicketMessage};
use ticketbooth_transcript::{CapturedAttachment, CapturedMessage};

use crate::{
    ctx::Ctx,
    discord::{Failure, failures_in},
};

/// Discord's page size for message history.
const PAGE: u16 = 100;

/// The transcript format stored by [`capture_and_save`]: gzip-compressed JSON.
pub const FORMAT: &str = ticketbooth_transcript::FORMAT;

fn to_time(ts: twilight_model::util::Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(ts.as_micros()).unwrap_or_default()
}

/// A message as Discord sent it, as the store keeps it (`from_history` when read from the
/// channel's history rather than delivered live). Attachments are kept as metadata only.
pub fn stored(m: &Message, from_history: bool) -> TicketMessage {
    let attachments: Vec<Value> = m
        .attachments
        .iter()
        .map(|a| {
            json!({
                "id": a.id.get().to_string(),
                "filename": a.filename,
                "url": a.url,
                "size": a.size,
                "content_type": a.content_type,
            })
        })
        .collect();
    let details = json!({
        "embeds": m.embeds,
        "components": m.components,
        "attachments": attachments,
        "reply_to": m.reference.as_ref().and_then(|r| r.message_id).map(|id| id.get().to_string()),
        "mentions": m.mentions.iter().map(|u| json!([u.id.get().to_string(), u.name])).collect::<Vec<_>>(),
        "mention_roles": m.mention_roles.iter().map(|r| r.get().to_string()).collect::<Vec<_>>(),
    });
    TicketMessage {
        message_id: m.id.get(),
        author_id: m.author.id.get(),
        author_name: m.author.name.clone(),
        author_display: m.author.global_name.clone(),
        author_avatar: m.author.avatar.map(|a| a.to_string()),
        author_bot: m.author.bot,
        content: m.content.clone(),
        original_content: None,
        created_at: to_time(m.timestamp),
        edited_at: m.edited_timestamp.map(to_time),
        deleted_at: None,
        from_history,
        details,
    }
}

fn id_in(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        other => other.as_u64(),
    }
}

/// A stored message in the transcript's model.
pub fn captured(row: &TicketMessage) -> CapturedMessage {
    let d = &row.details;
    let list = |key: &str| {
        d.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    CapturedMessage {
        id: row.message_id,
        author_id: row.author_id,
        author_name: row.author_name.clone(),
        author_display: row.author_display.clone(),
        author_avatar: row.author_avatar.clone(),
        author_bot: row.author_bot,
        content: row.content.clone(),
        timestamp: row.created_at,
        edited_timestamp: row.edited_at,
        original_content: row.original_content.clone(),
        deleted_at: row.deleted_at,
        embeds: list("embeds"),
        components: list("components"),
        attachments: list("attachments")
            .iter()
            .map(|a| CapturedAttachment {
                filename: a["filename"].as_str().unwrap_or_default().to_owned(),
                url: a["url"].as_str().unwrap_or_default().to_owned(),
                size: a["size"].as_u64().unwrap_or_default(),
                content_type: a["content_type"].as_str().map(str::to_owned),
            })
            .collect(),
        reply_to: d.get("reply_to").and_then(id_in),
        mentions: list("mentions")
            .iter()
            .filter_map(|m| Some((id_in(&m[0])?, m[1].as_str()?.to_owned())))
            .collect(),
        mention_roles: list("mention_roles").iter().filter_map(id_in).collect(),
    }
}

/// MESSAGE_CREATE: records the message if its channel is a ticket's.
pub async fn message_created(ctx: &Ctx, message: &Message) -> anyhow::Result<()> {
    if message.guild_id.is_none() {
        return Ok(());
    }
    ctx.store
        .record_message_created(message.channel_id.get(), &stored(message, false))
        .await
        .context("recording a ticket message")?;
    Ok(())
}

/// MESSAGE_UPDATE: records the edit (Discord sends the whole message).
pub async fn message_updated(ctx: &Ctx, message: &Message) -> anyhow::Result<()> {
    if message.guild_id.is_none() {
        return Ok(());
    }
    ctx.store
        .record_message_edited(message.channel_id.get(), &stored(message, false))
        .await
        .context("recording a ticket message's edit")?;
    Ok(())
}

/// MESSAGE_DELETE and MESSAGE_DELETE_BULK: marks the messages deleted, keeping them.
pub async fn messages_deleted(
    ctx: &Ctx,
    channel_id: Snowflake,
    ids: &[Snowflake],
) -> anyhow::Result<()> {
    let marked = ctx
        .store
        .record_messages_deleted(channel_id, ids, Utc::now())
        .await
        .context("recording deleted ticket messages")?;
    if marked > 0 {
        tracing::info!(channel = channel_id, marked, "ticket messages deleted");
    }
    Ok(())
}

/// After a fresh identify (GUILD_CREATE): records as a gap what the channel holds beyond the
/// newest message stored, up to its last message, so the close reads that much history.
pub async fn note_gap(ctx: &Ctx, ticket: &Ticket, channel: &Channel) -> anyhow::Result<()> {
    let Some(last) = channel.last_message_id.map(|id| id.get()) else {
        return Ok(());
    };
    // Messages posted since the snapshot have greater ids and arrive live, so only stored ids
    // up to `last` tell what was seen of the channel as the snapshot shows it.
    let after = ctx
        .store
        .last_message_until(ticket.id, last)
        .await?
        .unwrap_or(channel.id.get());
    if after >= last {
        return Ok(());
    }
    ctx.store
        .add_capture_gap(
            ticket.id,
            CaptureGap {
                after_id: after,
                until_id: last,
            },
        )
        .await?;
    tracing::info!(
        ticket = ticket.id,
        after,
        until = last,
        "messages the bot may have missed will be read from history at close"
    );
    Ok(())
}

/// Reads each of the ticket's gaps from the channel's history (only those ranges) into the
/// store, without repeating a message already stored. Returns how many messages were added.
pub async fn fill_gaps(ctx: &Ctx, ticket_id: i64, channel_id: Snowflake) -> anyhow::Result<u64> {
    let mut added = 0;
    for gap in ctx.store.capture_gaps(ticket_id).await? {
        let mut after: Id<MessageMarker> = Id::new(gap.after_id.max(1));
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
            // Discord returns a page newest first; order it and continue after its newest.
            page.sort_by_key(|m| m.id);
            let full = page.len() == usize::from(PAGE);
            after = page.last().map(|m| m.id).unwrap_or(after);
            let rows: Vec<TicketMessage> = page.iter().map(|m| stored(m, true)).collect();
            added += ctx.store.fill_messages(ticket_id, &rows).await?;
            if !full || after.get() >= gap.until_id {
                break;
            }
        }
        ctx.store.remove_capture_gap(ticket_id, gap).await?;
    }
    if added > 0 {
        tracing::info!(
            ticket = ticket_id,
            added,
            "messages read from history for a capture gap"
        );
    }
    Ok(added)
}

/// Fills the ticket's gaps from history, then stores the transcript built from the store and
/// delivers it; returns the message count. A channel already gone leaves the gaps unread: the
/// transcript then holds what was captured live.
pub async fn capture_and_save(
    ctx: &Ctx,
    ticket_id: i64,
    channel_id: Snowflake,
) -> anyhow::Result<usize> {
    if let Err(error) = fill_gaps(ctx, ticket_id, channel_id).await {
        if !failures_in(&error).any(|(_, failure)| failure == Failure::NotFound) {
            return Err(error.context(format!("reading the history of channel {channel_id}")));
        }
        tracing::warn!(
            ticket = ticket_id,
            error = format!("{error:#}"),
            "the channel is gone: the transcript holds what was captured live"
        );
    }
    save_from_store(ctx, ticket_id).await
}

/// Stores the transcript of the ticket's messages as the store holds them and delivers it
/// (once per close); returns the message count. No call to Discord but the deliveries: for a
/// channel deleted by hand, whose history is gone.
pub async fn save_from_store(ctx: &Ctx, ticket_id: i64) -> anyhow::Result<usize> {
    let messages: Vec<CapturedMessage> = ctx
        .store
        .ticket_messages(ticket_id)
        .await
        .context("reading the ticket's messages")?
        .iter()
        .map(captured)
        .collect();
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
    let unread = ctx.store.capture_gaps(ticket_id).await?.len();
    if unread > 0 {
        tracing::warn!(
            ticket = ticket_id,
            gaps = unread,
            "transcript saved with gaps no history could fill"
        );
    }
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
