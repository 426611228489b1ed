//! What a ticket leaves behind: one-line notes in the log channel (opened, help requested,
//! claimed), and after close the summary embed with the HTML transcript attached, and the
//! transcript sent to the owner by DM (a link when a public URL is configured, else the file).
//!
//! Delivery never fails the work that triggered it: a closed DM is noted in the log channel, and
//! a log channel that vanished is forgotten and reported to the server owner once.
//!
//! The summary and the DM are sent once per close (a ticket reopened and closed again gets new
//! ones, with the transcript as it stands then), however often the capture runs (a lease that
//! expired mid-work, a crash before the job was completed): each is marked "posting" in the
//! store, under the close's key, before it is sent and "posted" after, and a retry skips what
//! was posted. What a crash
//! between sending and recording leaves in "posting" is sent again with the same nonce and
//! `enforce_nonce`, so Discord returns the message the first attempt created instead of a
//! second one (it remembers nonces for a few minutes).

use std::{future::IntoFuture, sync::Arc};

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use twilight_http::{Client, request::TryIntoRequest, response::Response};
use twilight_model::{
    channel::message::{
        AllowedMentions, Component, Embed,
        embed::{EmbedField, EmbedFooter},
    },
    http::attachment::Attachment,
    id::Id,
};

use ticketbooth_core::{
    GuildSettings, Snowflake, Ticket,
    i18n::{self, LogText, Msg, Slot},
    text::truncate_chars,
};
use ticketbooth_store::{DeliveryState, DeliveryTarget, Store, close_key};
use ticketbooth_transcript::{Directory, LinkSigner, TicketInfo, decode_stored, render_html};

use crate::{
    ctx::Ctx,
    discord::Failure,
    metrics::{Metrics, bump},
    rest,
    retry::{CallError, retrying},
};

/// What the log channel is told in one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLine {
    /// The ticket's channel was created.
    Opened,
    /// The owner pressed Need Help.
    HelpRequested,
    /// A staff member claimed the ticket.
    Claimed {
        /// The staff member.
        by: Snowflake,
    },
}

/// The facts a transcript's header shows, with the close path in the server's language.
pub fn ticket_info(ticket: &Ticket, settings: &GuildSettings, guild_name: &str) -> TicketInfo {
    TicketInfo {
        name: ticket.name.clone(),
        number: ticket.number,
        guild_name: guild_name.to_owned(),
        owner_id: ticket.owner_id,
        topic: ticket.topic.clone(),
        opened_at: ticket.created_at,
        claimed_by: ticket.claimed_by,
        closed_at: ticket.closed_at,
        closed_by: ticket.closed_by,
        close_how: ticket
            .close_how
            .map(|how| i18n::text(settings.language, &Msg::CloseHowLabel(how))),
        close_reason: ticket.close_reason.clone(),
        language: settings.language,
    }
}

/// The signed link a ticket's transcript is served at, when a public URL is configured.
pub fn transcript_link(
    public_url: Option<&str>,
    links: &LinkSigner,
    ttl_days: Option<u32>,
    ticket_id: i64,
    now: DateTime<Utc>,
) -> Option<String> {
    let base = public_url?.trim_end_matches('/');
    let expires = ttl_days.map(|days| now + chrono::Duration::days(i64::from(days)));
    Some(format!(
        "{base}/transcripts/{}",
        links.sign(ticket_id, expires)
    ))
}

/// `1h 02m 03s`, `4m 05s`, `6s`: short enough for an embed field in any language.
pub fn duration_text(duration: chrono::Duration) -> String {
    let secs = duration.num_seconds().max(0);
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s:02}s"),
        (0, _, _) => format!("{h}h {m:02}m {s:02}s"),
        _ => format!("{d}d {h}h {m:02}m"),
    }
}

/// Discord's own timestamp markup: every reader sees it in their time zone.
fn when(t: DateTime<Utc>) -> String {
    format!("<t:{}:f>", t.timestamp())
}

/// Everything the closure summary shows.
#[derive(Debug, Clone)]
pub struct Summary<'a> {
    /// The closed ticket.
    pub ticket: &'a Ticket,
    /// Its server's settings (language, colour).
    pub settings: &'a GuildSettings,
    /// Messages in the stored transcript.
    pub message_count: i64,
    /// When staff first wrote in the ticket.
    pub first_response_at: Option<DateTime<Utc>>,
    /// The signed transcript link, when a public URL is configured.
    pub link: Option<&'a str>,
}

/// The closure summary embed for the log channel.
pub fn summary_embed(summary: &Summary) -> Embed {
    let lang = summary.settings.language;
    let ticket = summary.ticket;
    let label = |text: LogText| i18n::text(lang, &Msg::Log(text));
    let nothing = || label(LogText::Nothing);
    let field = |name: LogText, value: String, inline: bool| EmbedField {
        inline,
        name: truncate_chars(&label(name), Slot::FieldName.max_chars()),
        value: truncate_chars(&value, Slot::FieldValue.max_chars()),
    };
    let closed_by = match (ticket.closed_by, ticket.close_how) {
        (Some(by), Some(how)) => {
            format!("<@{by}> ({})", i18n::text(lang, &Msg::CloseHowLabel(how)))
        }
        (None, Some(how)) => i18n::text(lang, &Msg::CloseHowLabel(how)),
        _ => nothing(),
    };
    let fields = vec![
        field(LogText::Owner, format!("<@{}>", ticket.owner_id), true),
        field(
            LogText::Topic,
            ticket
                .topic
                .as_deref()
                .map(|t| ticketbooth_core::text::user_text(t, 200))
                .unwrap_or_else(nothing),
            true,
        ),
        field(
            LogText::ClaimedBy,
            ticket
                .claimed_by
                .map(|id| format!("<@{id}>"))
                .unwrap_or_else(nothing),
            true,
        ),
        field(LogText::OpenedAt, when(ticket.created_at), true),
        field(
            LogText::ClosedAt,
            ticket.closed_at.map(when).unwrap_or_else(nothing),
            true,
        ),
        field(LogText::ClosedBy, closed_by, true),
        field(
            LogText::Duration,
            ticket
                .closed_at
                .map(|closed| duration_text(closed - ticket.created_at))
                .unwrap_or_else(nothing),
            true,
        ),
        field(
            LogText::FirstResponse,
            summary
                .first_response_at
                .map(|at| duration_text(at - ticket.created_at))
                .unwrap_or_else(nothing),
            true,
        ),
        field(LogText::Messages, summary.message_count.to_string(), true),
        field(
            LogText::Transcript,
            summary
                .link
                .map(str::to_owned)
                .unwrap_or_else(|| label(LogText::Attached)),
            false,
        ),
    ];
    Embed {
        author: None,
        color: Some(summary.settings.color),
        description: ticket
            .close_reason
            .as_deref()
            .map(|r| ticketbooth_core::text::user_text(r, 1000)),
        fields,
        flags: None,
        footer: Some(EmbedFooter {
            icon_url: None,
            proxy_icon_url: None,
            text: format!("#{}", ticket.number),
        }),
        image: None,
        kind: "rich".to_owned(),
        provider: None,
        thumbnail: None,
        timestamp: None,
        title: Some(truncate_chars(
            &label(LogText::SummaryTitle {
                ticket: &ticket.name,
                number: ticket.number,
            }),
            Slot::EmbedTitle.max_chars(),
        )),
        url: None,
        video: None,
    }
}

/// The attachment's file name: `ticket-0001.html`, from the store's channel name (already safe
/// for a channel name, so safe for a file name).
pub fn transcript_filename(ticket: &Ticket) -> String {
    format!("{}.html", ticket.name)
}

/// Posts the closure summary and sends the DM for a ticket whose transcript was just saved.
/// Failures are logged, never returned: the transcript is safe in the store either way.
pub async fn transcript_saved(ctx: &Ctx, ticket_id: i64) {
    if let Err(error) = deliver(ctx, ticket_id).await {
        tracing::warn!(
            ticket = ticket_id,
            error = format!("{error:#}"),
            "could not deliver the transcript"
        );
    }
}

async fn deliver(ctx: &Ctx, ticket_id: i64) -> anyhow::Result<()> {
    let (Some(ticket), Some(stored)) = (
        ctx.store.ticket(ticket_id).await?,
        ctx.store.transcript(ticket_id).await?,
    ) else {
        return Ok(());
    };
    let Some(close) = close_key(&ticket) else {
        // Reopened before this close's transcript was delivered: the next close delivers.
        tracing::info!(ticket = ticket_id, "reopened meanwhile; nothing delivered");
        return Ok(());
    };
    let settings = ctx.store.guild_settings(ticket.guild_id).await?;
    let guild_name = guild_name(&ctx.http, &ctx.metrics, ticket.guild_id).await;
    let messages = decode_stored(&stored.format, &stored.data)?;
    let page = render_html(
        &ticket_info(&ticket, &settings, &guild_name),
        &messages,
        &Directory::new(),
    );
    let link = transcript_link(
        ctx.config.public_url.as_deref(),
        &ctx.links,
        ctx.config.link_ttl_days,
        ticket.id,
        Utc::now(),
    );
    let first_response_at = ctx.store.first_response(ticket.id).await?.map(|(_, at)| at);
    let summary = Summary {
        ticket: &ticket,
        settings: &settings,
        message_count: stored.message_count,
        first_response_at,
        link: link.as_deref(),
    };
    let log = LogTarget {
        http: &ctx.http,
        metrics: &ctx.metrics,
        store: ctx.store.as_ref(),
        settings: &settings,
        guild_name: &guild_name,
    };
    let attachment =
        Attachment::from_bytes(transcript_filename(&ticket), page.clone().into_bytes(), 0);
    let embed = summary_embed(&summary);
    if settings.log_channel.is_some() {
        let nonce = delivery_nonce(ticket.id, close, DeliveryTarget::LogSummary);
        once(ctx, ticket.id, close, DeliveryTarget::LogSummary, async {
            let summary = Post::Summary {
                embed: &embed,
                attachment: &attachment,
            };
            let posted = log.post(summary, Some(&nonce)).await?;
            if posted.is_some() {
                bump(&ctx.metrics.transcripts_logged);
            }
            Ok(posted)
        })
        .await?;
    }
    let dm = send_dm(
        ctx,
        &ticket,
        close,
        &settings,
        &guild_name,
        link.as_deref(),
        page,
        &log,
    );
    once(ctx, ticket.id, close, DeliveryTarget::OwnerDm, dm).await
}

/// The nonce a ticket's message to `target` for its close `close` (see [`close_key`]) is sent
/// with: the same on every attempt, so that with `enforce_nonce` Discord answers a repeat with
/// the message already created, and another for each close. The close's key in base 36 (9
/// digits until the year 5188) keeps it within Discord's 25 characters for ticket ids below
/// 10^13.
pub fn delivery_nonce(ticket_id: i64, close: i64, target: DeliveryTarget) -> String {
    let suffix = match target {
        DeliveryTarget::LogSummary => 's',
        DeliveryTarget::OwnerDm => 'd',
        DeliveryTarget::ClosingMessage => 'c',
        DeliveryTarget::Welcome => 'w',
    };
    format!("tb{ticket_id}{suffix}{}", base36(close.unsigned_abs()))
}

/// How long a delivery keeps trying a call Discord has trouble with.
const DELIVERY_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// The nonce of a one-line note about a ticket (`kind` names the line, `revision` tells two
/// notes of one kind apart); `None` if it would pass Discord's 25 characters.
fn line_nonce(ticket_id: i64, kind: char, revision: Option<i64>) -> Option<String> {
    let nonce = match revision {
        Some(revision) => format!("tb{ticket_id}{kind}{revision}"),
        None => format!("tb{ticket_id}{kind}"),
    };
    (nonce.len() <= 25).then_some(nonce)
}

fn base36(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}

/// The nonce of the log channel's note that the owner's DMs are closed, for one close.
fn refusal_note_nonce(ticket_id: i64, close: i64) -> String {
    format!("tb{ticket_id}r{}", base36(close.unsigned_abs()))
}

/// Sends a ticket's message to `target` unless the store says it was delivered: marked begun
/// first, so an attempt that dies after sending leaves a trace, and recorded with the message
/// `send` yields (`None` when there was nothing to send).
async fn once(
    ctx: &Ctx,
    ticket_id: i64,
    close: i64,
    target: DeliveryTarget,
    send: impl std::future::Future<Output = anyhow::Result<Option<Snowflake>>>,
) -> anyhow::Result<()> {
    match ctx
        .store
        .begin_delivery(ticket_id, close, target, Utc::now())
        .await?
    {
        DeliveryState::Posted { .. } => {
            tracing::info!(
                ticket = ticket_id,
                ?target,
                "already delivered; not sent again"
            );
            return Ok(());
        }
        DeliveryState::Posting => {}
    }
    let message = send.await?;
    ctx.store
        .finish_delivery(ticket_id, close, target, message, Utc::now())
        .await?;
    Ok(())
}

/// A message to send with a nonce Discord enforces.
#[derive(Default)]
pub struct NoncedMessage<'a> {
    pub content: Option<&'a str>,
    pub embeds: &'a [Embed],
    pub components: &'a [Component],
    pub files: &'a [Attachment],
    /// Whom it may ping; nobody when `None`.
    pub allowed_mentions: Option<&'a AllowedMentions>,
}

/// A create-message body carrying `nonce` with `enforce_nonce`, so a repeat within Discord's few
/// minutes returns the message already created. twilight 0.18 cannot set `enforce_nonce`, so the
/// body is written here and sent as `payload_json`, which twilight sends as it is (with the
/// files, when there are any, as multipart).
pub fn nonced_body(message: &NoncedMessage<'_>, nonce: &str) -> anyhow::Result<Vec<u8>> {
    let mut body = serde_json::json!({
        "allowed_mentions": message.allowed_mentions.unwrap_or(&NO_MENTIONS),
        "nonce": nonce,
        "enforce_nonce": true,
    });
    if let Some(content) = message.content {
        body["content"] = content.into();
    }
    if !message.embeds.is_empty() {
        body["embeds"] = serde_json::to_value(message.embeds)?;
    }
    if !message.components.is_empty() {
        body["components"] = serde_json::to_value(message.components)?;
    }
    if !message.files.is_empty() {
        body["attachments"] = message
            .files
            .iter()
            .map(|file| serde_json::json!({ "id": file.id, "filename": file.filename }))
            .collect();
    }
    Ok(serde_json::to_vec(&body)?)
}

/// Sends the owner the transcript; `None` when their DMs are closed (noted in the log channel).
#[allow(clippy::too_many_arguments)]
async fn send_dm(
    ctx: &Ctx,
    ticket: &Ticket,
    close: i64,
    settings: &GuildSettings,
    guild_name: &str,
    link: Option<&str>,
    page: String,
    log: &LogTarget<'_>,
) -> anyhow::Result<Option<Snowflake>> {
    let text = i18n::text(
        settings.language,
        &Msg::Log(LogText::TranscriptDm {
            ticket: &ticket.name,
            guild: guild_name,
            link,
        }),
    );
    // With a link the DM needs no file.
    let attachment = match link {
        Some(_) => Vec::new(),
        None => vec![Attachment::from_bytes(
            transcript_filename(ticket),
            page.into_bytes(),
            0,
        )],
    };
    let payload = nonced_body(
        &NoncedMessage {
            content: Some(&text),
            files: &attachment,
            ..NoncedMessage::default()
        },
        &delivery_nonce(ticket.id, close, DeliveryTarget::OwnerDm),
    )?;
    // Opening a DM channel is idempotent and the message carries an enforced nonce, so both
    // are tried again while Discord has trouble.
    let deadline = tokio::time::Instant::now() + DELIVERY_WAIT;
    let dm = retrying("opening the owner's DM", deadline, || {
        ctx.send(ctx.http.create_private_channel(Id::new(ticket.owner_id)))
    })
    .await;
    let sent = match dm {
        Ok(response) => {
            let channel = response.model().await.context("reading the DM channel")?;
            retrying("sending the transcript by DM", deadline, || {
                let request = ctx.http.create_message(channel.id).payload_json(&payload);
                if attachment.is_empty() {
                    ctx.send(request)
                } else {
                    ctx.send(request.attachments(&attachment))
                }
            })
            .await
        }
        Err(error) => Err(error),
    };
    match sent {
        Ok(response) => {
            let message = response.model().await.context("reading the DM sent")?;
            bump(&ctx.metrics.transcripts_dmed);
            Ok(Some(message.id.get()))
        }
        Err(error) if error.failure() == Failure::CannotDm => {
            bump(&ctx.metrics.dms_refused);
            let note = i18n::text(
                settings.language,
                &Msg::Log(LogText::DmRefused {
                    owner: ticket.owner_id,
                }),
            );
            log.post(
                Post::Text(&note),
                Some(&refusal_note_nonce(ticket.id, close)),
            )
            .await?;
            Ok(None)
        }
        Err(error) => Err(anyhow::Error::new(error).context("sending the transcript by DM")),
    }
}

async fn guild_name(http: &Client, metrics: &Metrics, guild: Snowflake) -> String {
    match rest::send(http, metrics, http.guild(Id::new(guild))).await {
        Ok(response) => response.model().await.map(|g| g.name).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Log lines and summaries ping nobody, whatever names they mention.
static NO_MENTIONS: AllowedMentions = AllowedMentions {
    parse: Vec::new(),
    replied_user: false,
    roles: Vec::new(),
    users: Vec::new(),
};

/// What goes into the log channel.
enum Post<'p> {
    Text(&'p str),
    Summary {
        embed: &'p Embed,
        attachment: &'p Attachment,
    },
}

/// A server's log channel, and what to do when it has gone.
struct LogTarget<'a> {
    http: &'a Client,
    metrics: &'a Metrics,
    store: &'a dyn Store,
    settings: &'a GuildSettings,
    guild_name: &'a str,
}

impl LogTarget<'_> {
    async fn send<R, T>(&self, builder: R) -> Result<Response<T>, twilight_http::Error>
    where
        R: TryIntoRequest + IntoFuture<Output = Result<Response<T>, twilight_http::Error>>,
        T: Unpin,
    {
        rest::send(self.http, self.metrics, builder).await
    }

    /// Posts in the log channel, with `nonce` enforced when given; returns the message, or
    /// `None` when there is no log channel. A channel that no longer exists is forgotten and
    /// the owner told, once.
    async fn post(&self, post: Post<'_>, nonce: Option<&str>) -> anyhow::Result<Option<Snowflake>> {
        let Some(channel) = self.settings.log_channel else {
            return Ok(None);
        };
        let (content, embeds, files) = match post {
            Post::Text(text) => (Some(text), &[][..], &[][..]),
            Post::Summary { embed, attachment } => (
                None,
                std::slice::from_ref(embed),
                std::slice::from_ref(attachment),
            ),
        };
        let payload = match nonce {
            Some(nonce) => Some(nonced_body(
                &NoncedMessage {
                    content,
                    embeds,
                    files,
                    ..NoncedMessage::default()
                },
                nonce,
            )?),
            None => None,
        };
        let mut request = self.http.create_message(Id::new(channel));
        request = match &payload {
            Some(payload) => request.payload_json(payload),
            None => {
                request = request.allowed_mentions(Some(&NO_MENTIONS));
                if let Some(text) = content {
                    request = request.content(text);
                }
                if !embeds.is_empty() {
                    request = request.embeds(embeds);
                }
                request
            }
        };
        if !files.is_empty() {
            request = request.attachments(files);
        }
        // Only a post with an enforced nonce is safe to repeat after an answer that was lost.
        let sent = match &payload {
            Some(payload) => {
                let deadline = tokio::time::Instant::now() + DELIVERY_WAIT;
                retrying("posting in the log channel", deadline, || {
                    let mut request = self
                        .http
                        .create_message(Id::new(channel))
                        .payload_json(payload);
                    if !files.is_empty() {
                        request = request.attachments(files);
                    }
                    rest::send(self.http, self.metrics, request)
                })
                .await
            }
            None => rest::send(self.http, self.metrics, request)
                .await
                .map_err(CallError::Discord),
        };
        match sent {
            Ok(response) => {
                let message = response
                    .model()
                    .await
                    .context("reading the log channel's message")?;
                Ok(Some(message.id.get()))
            }
            Err(error) if error.failure() == Failure::NotFound => {
                self.forget_log_channel(channel).await?;
                Ok(None)
            }
            Err(error) => Err(anyhow::Error::new(error).context("posting in the log channel")),
        }
    }

    /// Clears the setting (so later tickets do not try again) and tells the server owner.
    async fn forget_log_channel(&self, channel: Snowflake) -> anyhow::Result<()> {
        let update = self
            .store
            .update_guild_settings(self.settings.guild_id, &|s| {
                if s.log_channel == Some(channel) {
                    s.log_channel = None;
                }
            })
            .await?;
        if update.before.log_channel != Some(channel) {
            // Another process, or an admin, already dealt with it.
            return Ok(());
        }
        let settings = update.after;
        tracing::warn!(
            guild = settings.guild_id,
            channel,
            "the log channel is gone; telling the owner"
        );
        let owner = match self.send(self.http.guild(Id::new(settings.guild_id))).await {
            Ok(response) => response.model().await?.owner_id,
            Err(error) => return Err(anyhow::Error::new(error).context("reading the server")),
        };
        let text = i18n::text(
            settings.language,
            &Msg::Log(LogText::LogChannelGone {
                guild: self.guild_name,
                channel,
            }),
        );
        let dm = self
            .send(self.http.create_private_channel(owner))
            .await?
            .model()
            .await?;
        if let Err(error) = self
            .send(
                self.http
                    .create_message(dm.id)
                    .content(&text)
                    .allowed_mentions(Some(&NO_MENTIONS)),
            )
            .await
        {
            tracing::warn!(error = %error, "could not tell the owner the log channel is gone");
        }
        Ok(())
    }
}

/// Writes one line about a ticket to its server's log channel, in the background so the
/// member's answer does not wait for it.
pub fn spawn_log_line(ctx: &Ctx, ticket: &Ticket, line: LogLine) {
    let http = ctx.http.clone();
    let metrics = ctx.metrics.clone();
    let store = ctx.store.clone();
    let ticket = ticket.clone();
    ctx.tasks.spawn(async move {
        if let Err(error) = log_line(&http, &metrics, store, &ticket, line).await {
            tracing::warn!(
                ticket = ticket.id,
                error = format!("{error:#}"),
                "could not write to the log channel"
            );
        }
    });
}

async fn log_line(
    http: &Client,
    metrics: &Metrics,
    store: Arc<dyn Store>,
    ticket: &Ticket,
    line: LogLine,
) -> anyhow::Result<()> {
    let settings = store.guild_settings(ticket.guild_id).await?;
    if settings.log_channel.is_none() {
        return Ok(());
    }
    let channel = ticket.channel_id.unwrap_or_default();
    let nonce = match line {
        LogLine::Opened => line_nonce(ticket.id, 'o', None),
        LogLine::HelpRequested => line_nonce(ticket.id, 'h', Some(ticket.revision)),
        LogLine::Claimed { .. } => line_nonce(ticket.id, 'k', Some(ticket.revision)),
    };
    let text = match line {
        LogLine::Opened => LogText::Opened {
            ticket: &ticket.name,
            owner: ticket.owner_id,
            channel,
        },
        LogLine::HelpRequested => LogText::HelpRequested {
            ticket: &ticket.name,
            owner: ticket.owner_id,
            channel,
        },
        LogLine::Claimed { by } => LogText::Claimed {
            ticket: &ticket.name,
            by,
            channel,
        },
    };
    let text = i18n::text(settings.language, &Msg::Log(text));
    let target = LogTarget {
        http,
        metrics,
        store: store.as_ref(),
        settings: &settings,
        guild_name: "",
    };
    target
        .post(Post::Text(&text), nonce.as_deref())
        .await
        .map(drop)
}

/// Posts one line in a server's log channel, in its language and pinging nobody, with `nonce`
/// enforced when given (so a retry after a crash between posting and recording gets the line
/// already posted, within the minutes Discord remembers nonces). `false` when nothing was posted
/// because the server has no log channel (or it has gone, which is handled as for every log
/// line).
pub async fn log_note(
    ctx: &Ctx,
    guild_id: Snowflake,
    text: LogText<'_>,
    nonce: Option<&str>,
) -> anyhow::Result<bool> {
    let settings = ctx.store.guild_settings(guild_id).await?;
    if settings.log_channel.is_none() {
        return Ok(false);
    }
    let text = i18n::text(settings.language, &Msg::Log(text));
    let guild_name = ctx.guild_names.get(guild_id).unwrap_or_default();
    let target = LogTarget {
        http: &ctx.http,
        metrics: &ctx.metrics,
        store: ctx.store.as_ref(),
        settings: &settings,
        guild_name: &guild_name,
    };
    Ok(target.post(Post::Text(&text), nonce).await?.is_some())
}

/// Records the first message a staff member writes in a ticket (MESSAGE_CREATE), for the first
/// staff response time. Bots, the owner and members without a staff role do not count.
pub async fn message_created(
    ctx: &Ctx,
    message: &twilight_model::channel::Message,
) -> anyhow::Result<()> {
    let (Some(guild_id), Some(member)) = (message.guild_id, message.member.as_ref()) else {
        return Ok(());
    };
    if message.author.bot || message.author.id == ctx.bot_user_id {
        return Ok(());
    }
    let Some(ticket) = ctx
        .store
        .ticket_by_channel(message.channel_id.get())
        .await?
    else {
        return Ok(());
    };
    let author = message.author.id.get();
    if ticket.guild_id != guild_id.get() || ticket.owner_id == author || ticket.closed_at.is_some()
    {
        return Ok(());
    }
    let settings = ctx.store.guild_settings(ticket.guild_id).await?;
    let is_staff = member
        .roles
        .iter()
        .any(|role| settings.staff_roles.contains(&role.get()));
    if !is_staff {
        return Ok(());
    }
    let at =
        DateTime::from_timestamp_micros(message.timestamp.as_micros()).unwrap_or_else(Utc::now);
    if ctx
        .store
        .record_first_response(ticket.id, author, at)
        .await?
    {
        tracing::info!(ticket = ticket.id, staff = author, "first staff response");
    }
    Ok(())
}
