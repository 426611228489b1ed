//! Opening a ticket: the panel button, the topic choice, the atomic reservation, the channel
//! with its overwrites inline, the welcome message, the member's confirmation and DM.
//!
//! The store decides every limit. Opening is a saga: when Discord has trouble, each step is
//! tried again while the member waits; a channel that cannot be created is rolled back (any
//! channel Discord created all the same removed, the reservation released), a welcome that
//! cannot be posted is left to a job, and the member is told which. The happy path costs three
//! REST calls besides the DM: the channel, the welcome message and the interaction response.

use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use rand::RngCore as _;
use tokio::time::Instant;
use twilight_model::{
    channel::{
        ChannelType,
        permission_overwrite::{PermissionOverwrite, PermissionOverwriteType},
    },
    guild::Permissions,
    id::Id,
};

use ticketbooth_core::{
    GuildSettings, Snowflake, Ticket, TicketStatus, Topic,
    custom_id::CustomId,
    i18n::Msg,
    lifecycle::OpenRefusal as Refused,
    naming,
    recovery::{self, Recovery, Step},
    views as core_views,
};
use ticketbooth_store::{
    DeliveryState, DeliveryTarget, JobKind, NewJob, OPENING_KEY, OpenRefusal, Reservation,
    ReserveTicket,
};

use crate::{
    ctx::Ctx,
    delivery::{NoncedMessage, delivery_nonce, nonced_body},
    discord::{Failure, classify, failures_in},
    invocation::Invocation,
    responder::Reply,
    rest,
    retry::{self, CallError},
    views,
};

/// What a ticket's owner and added members may do in its channel.
pub const MEMBER_ALLOW: Permissions = Permissions::VIEW_CHANNEL
    .union(Permissions::SEND_MESSAGES)
    .union(Permissions::READ_MESSAGE_HISTORY)
    .union(Permissions::ATTACH_FILES)
    .union(Permissions::EMBED_LINKS);

/// What staff roles may do in ticket channels and categories: everything a member may, and
/// manage the channel. Only bits the bot itself holds can be granted in an overwrite, so this
/// stays within the invite's permissions.
pub const STAFF_ALLOW: Permissions = MEMBER_ALLOW.union(Permissions::MANAGE_CHANNELS);

/// What the bot needs in ticket channels and categories. Discord lets only administrators put
/// MANAGE_ROLES in an overwrite, so the bot relies on its server-wide Manage Roles instead.
pub const BOT_ALLOW: Permissions = MEMBER_ALLOW.union(Permissions::MANAGE_CHANNELS);

/// The overwrites of a category holding tickets: hidden from @everyone, open to staff and the bot.
pub fn category_overwrites(
    guild_id: Snowflake,
    bot_id: Snowflake,
    staff_roles: &[Snowflake],
) -> Vec<PermissionOverwrite> {
    let mut overwrites = vec![
        PermissionOverwrite {
            id: Id::<twilight_model::id::marker::GenericMarker>::new(guild_id),
            kind: PermissionOverwriteType::Role,
            allow: Permissions::empty(),
            deny: Permissions::VIEW_CHANNEL,
        },
        PermissionOverwrite {
            id: Id::new(bot_id),
            kind: PermissionOverwriteType::Member,
            allow: BOT_ALLOW,
            deny: Permissions::empty(),
        },
    ];
    overwrites.extend(staff_roles.iter().map(|role| PermissionOverwrite {
        id: Id::new(*role),
        kind: PermissionOverwriteType::Role,
        allow: STAFF_ALLOW,
        deny: Permissions::empty(),
    }));
    overwrites
}

/// A ticket channel's overwrites: the category's, plus its owner and added members.
pub fn ticket_overwrites(
    guild_id: Snowflake,
    bot_id: Snowflake,
    staff_roles: &[Snowflake],
    ticket: &Ticket,
) -> Vec<PermissionOverwrite> {
    let mut overwrites = category_overwrites(guild_id, bot_id, staff_roles);
    for member in std::iter::once(ticket.owner_id).chain(ticket.members.iter().copied()) {
        overwrites.push(member_overwrite(member));
    }
    overwrites
}

/// The overwrite that lets one member into a ticket.
pub fn member_overwrite(user: Snowflake) -> PermissionOverwrite {
    PermissionOverwrite {
        id: Id::new(user),
        kind: PermissionOverwriteType::Member,
        allow: MEMBER_ALLOW,
        deny: Permissions::empty(),
    }
}

/// The marker in a ticket channel's topic that ties it to its row, so start-up repair can adopt
/// a channel created just before a crash.
pub fn channel_marker(ticket_id: i64) -> String {
    format!("tb:{ticket_id}")
}

/// Reads the ticket id back from a channel topic written with [`channel_marker`].
pub fn ticket_id_from_topic(topic: &str) -> Option<i64> {
    let start = topic.rfind("tb:")? + 3;
    let digits: String = topic[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The panel's button: show the topic choice, or open at once when the server has no topics.
pub async fn panel_clicked(ctx: &Ctx, inv: &Invocation, panel_id: i64) -> anyhow::Result<Reply> {
    let topics = ctx.store.topics(inv.guild_id).await?;
    if topics.is_empty() {
        return open(ctx, inv, None).await;
    }
    // Check the limits before asking for a topic, so nobody picks one only to be refused.
    let mine = ctx
        .store
        .member_open_tickets(inv.guild_id, inv.user_id)
        .await?;
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    if !settings.enabled {
        return Ok(refusal_reply(ctx, inv, &OpenRefusal::Disabled).await);
    }
    if mine.len() as u32 >= settings.max_open_per_member {
        return Ok(refusal_reply(
            ctx,
            inv,
            &OpenRefusal::MemberLimit {
                limit: settings.max_open_per_member,
                open: mine,
            },
        )
        .await);
    }
    Ok(Reply::Message(
        core_views::topic_select(inv.lang, panel_id, &topics).into(),
    ))
}

/// The topic select: open a ticket on the chosen topic.
pub async fn topic_picked(ctx: &Ctx, inv: &Invocation, topic_id: &str) -> anyhow::Result<Reply> {
    let topic = match topic_id.parse::<i64>() {
        Ok(id) => ctx
            .store
            .topic(id)
            .await?
            .filter(|t| t.guild_id == inv.guild_id),
        Err(_) => None,
    };
    let Some(topic) = topic else {
        return Ok(Reply::Message(views::ephemeral(
            inv.lang,
            &Msg::MenuExpired,
        )));
    };
    open(ctx, inv, Some(topic)).await
}

/// How long the member waits, after opening gave up, for the reservation to be undone before
/// the undoing is left to a job.
const ROLLBACK_WAIT: Duration = Duration::from_secs(4);

/// When a job finishing or undoing an opening first runs.
const JOB_SOON: chrono::Duration = chrono::Duration::seconds(2);

/// Opening is one saga: reservation, channel, welcome, confirmation. Whatever step fails for
/// good, the ticket ends complete (its welcome posted later by a job, the member told where the
/// ticket is) or rolled back (channel removed, reservation released, the member told to try
/// again), never half-made; `recovery::after_failed` decides which.
pub async fn open(ctx: &Ctx, inv: &Invocation, topic: Option<Topic>) -> anyhow::Result<Reply> {
    let mut suffix = [0u8; 6];
    rand::thread_rng().fill_bytes(&mut suffix);
    let reservation = ctx
        .store
        .reserve_ticket(ReserveTicket {
            guild_id: inv.guild_id,
            owner_id: inv.user_id,
            owner_name: inv.display_name.clone(),
            topic: topic.as_ref().map(|t| t.name.clone()),
            random_suffix: naming::random_suffix(suffix),
            now: Utc::now(),
        })
        .await
        .context("reserving a ticket")?;
    let ticket = match reservation {
        Reservation::Reserved(ticket) => ticket,
        Reservation::Refused(refusal) => return Ok(refusal_reply(ctx, inv, &refusal).await),
    };
    tracing::info!(ticket = ticket.id, name = %ticket.name, "ticket reserved");
    // Begun before anything exists on Discord: an open ticket whose welcome is still "posting"
    // lacks it, whatever stopped it, and the periodic repair finds it.
    ctx.store
        .begin_delivery(ticket.id, OPENING_KEY, DeliveryTarget::Welcome, Utc::now())
        .await
        .context("noting the welcome to post")?;

    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    let deadline = Instant::now() + retry::WHILE_WAITING;
    let channel_id = match create_channel(ctx, &settings, &ticket, topic.as_ref(), deadline).await {
        Ok(channel_id) => channel_id,
        Err(error) => return roll_back(ctx, inv, &ticket, error).await,
    };
    let ticket = ctx
        .store
        .attach_channel(ticket.id, channel_id)
        .await
        .context("recording the ticket's channel")?;

    let view = match post_welcome(ctx, &ticket, &settings, topic.as_ref(), deadline).await {
        Ok(_) => core_views::ticket_opened(inv.lang, inv.guild_id, channel_id),
        Err(error) if recovery::after_failed(Step::PostWelcome) == Recovery::FinishLater => {
            tracing::warn!(
                ticket = ticket.id,
                error = format!("{error:#}"),
                "the welcome could not be posted; a job will post it"
            );
            schedule_welcome(ctx, ticket.id, channel_id, Utc::now() + JOB_SOON).await?;
            core_views::ticket_opened_welcome_later(inv.lang, inv.guild_id, channel_id)
        }
        Err(error) => return Err(error),
    };
    tracing::info!(ticket = ticket.id, channel = channel_id, "ticket opened");

    spawn_dm(ctx, inv, channel_id);
    crate::delivery::spawn_log_line(ctx, &ticket, crate::delivery::LogLine::Opened);
    Ok(Reply::Message(view.into()))
}

/// Ends an opening whose channel could not be created: the reservation released (and, when
/// Discord had trouble, any channel it created all the same removed first), and the member told
/// why.
async fn roll_back(
    ctx: &Ctx,
    inv: &Invocation,
    ticket: &Ticket,
    error: OpenError,
) -> anyhow::Result<Reply> {
    debug_assert_eq!(
        recovery::after_failed(Step::CreateChannel),
        Recovery::RollBack
    );
    if let OpenError::Discord(Failure::Unavailable) = error {
        tracing::warn!(
            ticket = ticket.id,
            "Discord kept failing the ticket's channel; undoing the opening"
        );
        let deadline = Instant::now() + ROLLBACK_WAIT;
        if let Err(error) = abandon(ctx, ticket.guild_id, ticket.id, deadline).await {
            tracing::warn!(
                ticket = ticket.id,
                error = format!("{error:#}"),
                "could not undo the opening yet; a job will"
            );
            ctx.store
                .schedule_job(NewJob {
                    kind: JobKind::AbandonOpening {
                        ticket_id: ticket.id,
                        guild_id: ticket.guild_id,
                    },
                    due_at: Utc::now() + JOB_SOON,
                })
                .await
                .context("scheduling the opening's undoing")?;
        }
        return Ok(Reply::Message(views::ephemeral(
            inv.lang,
            &Msg::OpenUnavailable,
        )));
    }
    let released = ctx.store.release_reservation(ticket.id).await;
    if let Err(e) = released {
        tracing::error!(error = %e, ticket = ticket.id, "could not release a reservation");
    }
    match error {
        OpenError::Discord(Failure::MissingPermissions) => Ok(Reply::Message(views::ephemeral(
            inv.lang,
            &Msg::OpenRefused(Refused::BotLacksManageChannels),
        ))),
        OpenError::Discord(Failure::CategoryFull | Failure::GuildFull) => Ok(Reply::Message(
            views::ephemeral(inv.lang, &Msg::OpenRefused(Refused::CategoryFull)),
        )),
        OpenError::Discord(other) => Err(anyhow::anyhow!(
            "creating the ticket channel failed: {other:?}"
        )),
        OpenError::Internal(e) => Err(e.context("creating the ticket channel")),
    }
}

/// Undoes a reservation whose opening failed for good: deletes the channel carrying its marker
/// if Discord created one after all, then releases it. A reservation no longer opening (adopted
/// by the repair meanwhile) is left alone.
pub async fn abandon(
    ctx: &Ctx,
    guild_id: Snowflake,
    ticket_id: i64,
    deadline: Instant,
) -> anyhow::Result<()> {
    let still_opening = ctx
        .store
        .ticket(ticket_id)
        .await?
        .is_some_and(|t| t.status == TicketStatus::Opening);
    if !still_opening {
        return Ok(());
    }
    if let Some(channel_id) = marked_channel(ctx, guild_id, ticket_id, deadline).await? {
        let deleted = retry::retrying("removing an abandoned ticket channel", deadline, || {
            ctx.send(ctx.http.delete_channel(Id::new(channel_id)))
        })
        .await;
        match deleted {
            Ok(_) => {}
            Err(error) if error.failure() == Failure::NotFound => {}
            Err(error) => {
                return Err(anyhow::Error::new(error).context("removing an abandoned channel"));
            }
        }
        tracing::info!(
            ticket = ticket_id,
            channel = channel_id,
            "removed the channel of an abandoned opening"
        );
    }
    if ctx.store.release_reservation(ticket_id).await? {
        tracing::info!(ticket = ticket_id, "released an abandoned reservation");
    }
    Ok(())
}

/// The channel Discord holds for reservation `ticket_id` (found by the marker in its topic).
async fn marked_channel(
    ctx: &Ctx,
    guild_id: Snowflake,
    ticket_id: i64,
    deadline: Instant,
) -> anyhow::Result<Option<Snowflake>> {
    let channels = retry::retrying("looking for a ticket's channel", deadline, || {
        ctx.send(ctx.http.guild_channels(Id::new(guild_id)))
    })
    .await
    .context("listing the server's channels")?
    .models()
    .await
    .context("reading the server's channels")?;
    Ok(channels
        .iter()
        .find(|c| c.topic.as_deref().and_then(ticket_id_from_topic) == Some(ticket_id))
        .map(|c| c.id.get()))
}

/// Schedules the job posting a ticket's welcome, unless one is pending.
pub async fn schedule_welcome(
    ctx: &Ctx,
    ticket_id: i64,
    channel_id: Snowflake,
    due_at: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let pending = ctx.store.pending_jobs_for_ticket(ticket_id).await?;
    if pending
        .iter()
        .any(|job| matches!(job.kind, JobKind::PostWelcome { .. }))
    {
        return Ok(());
    }
    ctx.store
        .schedule_job(NewJob {
            kind: JobKind::PostWelcome {
                ticket_id,
                channel_id,
            },
            due_at,
        })
        .await
        .context("scheduling the welcome")?;
    Ok(())
}

/// Posts the welcome message (mention, embed, It Works! / Need Help / Close) in the ticket's
/// channel, in the server's language, and records it delivered. Sent with a nonce Discord
/// enforces, so trying again after an answer that was lost returns the message already posted.
pub async fn post_welcome(
    ctx: &Ctx,
    ticket: &Ticket,
    settings: &GuildSettings,
    topic: Option<&Topic>,
    deadline: Instant,
) -> anyhow::Result<Snowflake> {
    let Some(channel_id) = ticket.channel_id else {
        anyhow::bail!("ticket {} has no channel to welcome in", ticket.id);
    };
    let welcome = core_views::welcome(ticket, settings, topic);
    let payload = nonced_body(
        &NoncedMessage {
            content: welcome.content.as_deref(),
            embeds: &welcome.embeds,
            components: &welcome.components,
            allowed_mentions: Some(&welcome.allowed_mentions),
            ..NoncedMessage::default()
        },
        &delivery_nonce(ticket.id, OPENING_KEY, DeliveryTarget::Welcome),
    )?;
    let message = retry::retrying("posting the welcome message", deadline, || {
        ctx.send(
            ctx.http
                .create_message(Id::new(channel_id))
                .payload_json(&payload),
        )
    })
    .await
    .context("posting the welcome message")?
    .model()
    .await
    .context("reading the welcome message")?;
    ctx.store
        .finish_delivery(
            ticket.id,
            OPENING_KEY,
            DeliveryTarget::Welcome,
            Some(message.id.get()),
            Utc::now(),
        )
        .await
        .context("recording the welcome")?;
    Ok(message.id.get())
}

/// The `PostWelcome` job: posts the welcome of a ticket still open in the same channel, unless
/// it was delivered or the channel already shows it (an earlier try Discord carried out though
/// its answer was lost, longer ago than Discord remembers nonces). A channel gone ends the job.
pub async fn welcome_job(ctx: &Ctx, ticket_id: i64, channel_id: Snowflake) -> anyhow::Result<()> {
    let Some(ticket) = ctx.store.ticket(ticket_id).await? else {
        return Ok(());
    };
    let open = matches!(ticket.status, TicketStatus::Open | TicketStatus::NeedHelp);
    if !open || ticket.channel_id != Some(channel_id) {
        return Ok(());
    }
    if let DeliveryState::Posted { .. } = ctx
        .store
        .begin_delivery(ticket.id, OPENING_KEY, DeliveryTarget::Welcome, Utc::now())
        .await?
    {
        return Ok(());
    }
    let deadline = Instant::now() + JOB_TRY;
    let shown = match welcome_shown(ctx, ticket.id, channel_id, deadline).await {
        Ok(shown) => shown,
        Err(error) if error.failure() == Failure::NotFound => return Ok(()),
        Err(error) => {
            return Err(anyhow::Error::new(error).context("reading the ticket's channel"));
        }
    };
    if let Some(message) = shown {
        ctx.store
            .finish_delivery(
                ticket.id,
                OPENING_KEY,
                DeliveryTarget::Welcome,
                Some(message),
                Utc::now(),
            )
            .await?;
        return Ok(());
    }
    let settings = ctx.store.guild_settings(ticket.guild_id).await?;
    let topic = super::reconcile::topic_of(ctx, &ticket).await?;
    match post_welcome(ctx, &ticket, &settings, topic.as_ref(), deadline).await {
        Ok(message) => {
            tracing::info!(
                ticket = ticket.id,
                message,
                "posted a welcome that was missing"
            );
            Ok(())
        }
        Err(error) if failures_in(&error).any(|(_, failure)| failure == Failure::NotFound) => {
            Ok(())
        }
        Err(error) => Err(error),
    }
}

/// How long one attempt of a job keeps trying a call.
const JOB_TRY: Duration = Duration::from_secs(5);

/// How far back a channel is searched for a welcome already posted.
const WELCOME_SEARCH: u16 = 50;

/// The bot's welcome message for `ticket_id` among the channel's latest messages: the one
/// carrying the ticket's It Works! button.
async fn welcome_shown(
    ctx: &Ctx,
    ticket_id: i64,
    channel_id: Snowflake,
    deadline: Instant,
) -> Result<Option<Snowflake>, retry::CallError> {
    let response = retry::retrying("reading a ticket's latest messages", deadline, || {
        ctx.send(
            ctx.http
                .channel_messages(Id::new(channel_id))
                .limit(WELCOME_SEARCH),
        )
    })
    .await?;
    let Ok(messages) = response.models().await else {
        return Err(retry::CallError::OutOfTime);
    };
    Ok(messages
        .iter()
        .find(|m| m.author.id == ctx.bot_user_id && carries_welcome(m, ticket_id))
        .map(|m| m.id.get()))
}

/// Whether `message` has the It Works! button of `ticket_id`.
fn carries_welcome(message: &twilight_model::channel::Message, ticket_id: i64) -> bool {
    use twilight_model::channel::message::Component;
    message.components.iter().any(|row| match row {
        Component::ActionRow(row) => row.components.iter().any(|c| match c {
            Component::Button(button) => {
                button
                    .custom_id
                    .as_deref()
                    .and_then(|id| CustomId::decode(id).ok())
                    == Some(CustomId::ItWorks { ticket_id })
            }
            _ => false,
        }),
        _ => false,
    })
}

/// Why a channel could not be created.
enum OpenError {
    Discord(Failure),
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for OpenError {
    /// Discord's refusals met on the way (creating the default or an overflow category) are
    /// told to the member like a refusal of the ticket channel itself.
    fn from(e: anyhow::Error) -> Self {
        let refusal = failures_in(&e).map(|(_, failure)| failure).find(|failure| {
            matches!(
                failure,
                Failure::MissingPermissions
                    | Failure::CategoryFull
                    | Failure::GuildFull
                    | Failure::Unavailable
            )
        });
        match refusal {
            Some(failure) => OpenError::Discord(failure),
            None if crate::discord::unavailable_in(&e) => OpenError::Discord(Failure::Unavailable),
            None => OpenError::Internal(e),
        }
    }
}

impl From<ticketbooth_store::StoreError> for OpenError {
    fn from(e: ticketbooth_store::StoreError) -> Self {
        OpenError::Internal(e.into())
    }
}

/// Creates the ticket's channel in one call, overwrites inline, under the topic's or the default
/// category; moves on to an overflow category when Discord says the category is full. Channel
/// creation is not idempotent, so when Discord has trouble the server's channels are searched
/// for the ticket's marker before creating again: a 5xx after Discord created the channel must
/// not give two channels.
async fn create_channel(
    ctx: &Ctx,
    settings: &GuildSettings,
    ticket: &Ticket,
    topic: Option<&Topic>,
    deadline: Instant,
) -> Result<Snowflake, OpenError> {
    let overwrites = ticket_overwrites(
        settings.guild_id,
        ctx.bot_user_id.get(),
        &settings.staff_roles,
        ticket,
    );
    let channel_topic = views::channel_topic(ticket, &channel_marker(ticket.id));
    let mut parent = match topic.and_then(|t| t.category_id) {
        Some(category) => category,
        None => super::categories::default_category(ctx, settings).await?,
    };
    let mut overflowed = false;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let create = ctx.send(
            ctx.http
                .create_guild_channel(Id::new(settings.guild_id), &ticket.name)
                .kind(ChannelType::GuildText)
                .parent_id(Id::new(parent))
                .topic(&channel_topic)
                .permission_overwrites(&overwrites),
        );
        match retry::try_once(deadline, create).await {
            Ok(response) => {
                let channel = response
                    .model()
                    .await
                    .map_err(|e| OpenError::Internal(e.into()))?;
                return Ok(channel.id.get());
            }
            Err(CallError::Discord(error)) => match classify(&error) {
                Failure::CategoryFull if !overflowed => {
                    tracing::info!(
                        category = parent,
                        "category full; using an overflow category"
                    );
                    overflowed = true;
                    parent = super::categories::overflow_category(ctx, settings, parent).await?;
                    continue;
                }
                Failure::Unavailable => tracing::info!(
                    ticket = ticket.id,
                    attempt,
                    error = %error,
                    "Discord had trouble creating the ticket channel"
                ),
                Failure::Other { .. } => {
                    return Err(OpenError::Internal(
                        anyhow::Error::new(error).context("Discord refused the channel"),
                    ));
                }
                failure => return Err(OpenError::Discord(failure)),
            },
            Err(CallError::OutOfTime) => tracing::info!(
                ticket = ticket.id,
                attempt,
                "Discord did not answer the channel's creation in time"
            ),
        }
        if !retry::pause_before_next(attempt, deadline).await {
            return Err(OpenError::Discord(Failure::Unavailable));
        }
        // The failed try may have created the channel all the same.
        match marked_channel(ctx, settings.guild_id, ticket.id, deadline).await {
            Ok(Some(channel_id)) => {
                tracing::info!(
                    ticket = ticket.id,
                    channel = channel_id,
                    "the channel was created despite Discord's error; using it"
                );
                return Ok(channel_id);
            }
            Ok(None) => {}
            Err(error) => {
                tracing::info!(
                    ticket = ticket.id,
                    error = format!("{error:#}"),
                    "cannot tell whether the channel exists; giving up"
                );
                return Err(OpenError::Discord(Failure::Unavailable));
            }
        }
    }
}

/// The member's DM with the link; a member who refuses DMs is no error.
fn spawn_dm(ctx: &Ctx, inv: &Invocation, channel_id: Snowflake) {
    let http = ctx.http.clone();
    let metrics = ctx.metrics.clone();
    let user = inv.user_id;
    let lang = inv.lang;
    let guild_id = inv.guild_id;
    let known_name = ctx.guild_names.get(guild_id);
    ctx.tasks.spawn(async move {
        let guild_name = match known_name {
            Some(name) => name,
            None => match rest::send(&http, &metrics, http.guild(Id::new(guild_id))).await {
                Ok(response) => response.model().await.map(|g| g.name).unwrap_or_default(),
                Err(_) => String::new(),
            },
        };
        let view = core_views::dm_ticket_opened(lang, &guild_name, guild_id, channel_id);
        let dm = match rest::send(&http, &metrics, http.create_private_channel(Id::new(user))).await
        {
            Ok(response) => match response.model().await {
                Ok(channel) => channel,
                Err(e) => {
                    tracing::warn!(error = %e, "could not read the DM channel");
                    return;
                }
            },
            Err(e) => {
                tracing::debug!(error = %e, user, "cannot open a DM with the member");
                return;
            }
        };
        let request = http
            .create_message(dm.id)
            .content(view.content.as_deref().unwrap_or_default())
            .embeds(&view.embeds)
            .components(&view.components)
            .allowed_mentions(Some(&view.allowed_mentions));
        let sent = rest::send(&http, &metrics, request).await;
        if let Err(error) = sent {
            match classify(&error) {
                Failure::CannotDm => tracing::debug!(user, "the member does not accept DMs"),
                _ => tracing::warn!(error = %error, user, "could not DM the member"),
            }
        }
    });
}

/// How long a refused click waits for the member's ticket that is still being created (by
/// this process or another) so the reply can name its channel.
const CHANNEL_WAIT: Duration = Duration::from_secs(5);
/// How often the store is asked during that wait.
const CHANNEL_POLL: Duration = Duration::from_millis(50);

/// The reply for a refused opening.
pub async fn refusal_reply(ctx: &Ctx, inv: &Invocation, refusal: &OpenRefusal) -> Reply {
    let refused = match refusal {
        OpenRefusal::Disabled => Refused::Disabled,
        OpenRefusal::Blacklisted => Refused::Blacklisted,
        OpenRefusal::MemberLimit { open, .. } => Refused::AlreadyOpen {
            channel_id: match open.iter().find_map(|t| t.channel_id) {
                Some(channel) => Some(channel),
                None => channel_being_created(ctx, inv).await,
            },
        },
        OpenRefusal::ServerLimit { limit } => Refused::ServerLimit { max: *limit },
    };
    Reply::Message(views::ephemeral(inv.lang, &Msg::OpenRefused(refused)))
}

/// The channel of the member's ticket once the opening in flight records it. A double click
/// usually lands while the first click's channel is being created; waiting briefly (the
/// responder defers if this is slow) lets the reply say where the ticket is.
async fn channel_being_created(ctx: &Ctx, inv: &Invocation) -> Option<Snowflake> {
    let deadline = tokio::time::Instant::now() + CHANNEL_WAIT;
    loop {
        match ctx
            .store
            .member_open_tickets(inv.guild_id, inv.user_id)
            .await
        {
            Ok(open) => {
                if let Some(channel) = open.iter().find_map(|t| t.channel_id) {
                    return Some(channel);
                }
                // The reservation was released: there is no ticket to point at.
                if open.is_empty() {
                    return None;
                }
            }
            Err(error) => {
                tracing::warn!(error = %error, "cannot look up the member's ticket");
                return None;
            }
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(CHANNEL_POLL).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip() {
        let topic = format!("Ticket 0007 · opened by someone · {}", channel_marker(42));
        assert_eq!(ticket_id_from_topic(&topic), Some(42));
        assert_eq!(ticket_id_from_topic("no marker here"), None);
        assert_eq!(ticket_id_from_topic("tb:"), None);
    }

    #[test]
    fn everyone_is_denied_and_the_owner_allowed() {
        let ticket = Ticket {
            id: 1,
            guild_id: 10,
            number: 1,
            name: "ticket-0001".into(),
            channel_id: None,
            owner_id: 77,
            topic: None,
            status: ticketbooth_core::TicketStatus::Opening,
            help_requested_at: None,
            claimed_by: None,
            claimed_at: None,
            created_at: Utc::now(),
            closed_at: None,
            closed_by: None,
            close_how: None,
            close_reason: None,
            deleted_at: None,
            members: vec![78],
            revision: 0,
        };
        let overwrites = ticket_overwrites(10, 99, &[5], &ticket);
        let everyone = overwrites.iter().find(|o| o.id.get() == 10).unwrap();
        assert!(everyone.deny.contains(Permissions::VIEW_CHANNEL));
        for member in [77, 78] {
            let o = overwrites.iter().find(|o| o.id.get() == member).unwrap();
            assert_eq!(o.kind, PermissionOverwriteType::Member);
            assert!(
                o.allow
                    .contains(Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES)
            );
        }
        let staff = overwrites.iter().find(|o| o.id.get() == 5).unwrap();
        assert!(staff.allow.contains(Permissions::VIEW_CHANNEL));
        let bot = overwrites.iter().find(|o| o.id.get() == 99).unwrap();
        assert!(bot.allow.contains(Permissions::MANAGE_CHANNELS));
        assert_eq!(overwrites.len(), 5);
    }
}
