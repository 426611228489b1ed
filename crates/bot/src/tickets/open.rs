//! Opening a ticket: the panel button, the topic choice, the atomic reservation, the channel
//! with its overwrites inline, the welcome message, the member's confirmation and DM.
//!
//! The store decides every limit; a failed channel creation releases the reservation. The
//! happy path costs three REST calls besides the DM: the channel, the welcome message and the
//! interaction response.

use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use rand::RngCore as _;
use twilight_model::{
    channel::{
        ChannelType,
        permission_overwrite::{PermissionOverwrite, PermissionOverwriteType},
    },
    guild::Permissions,
    id::Id,
};

use ticketbooth_core::{
    GuildSettings, Snowflake, Ticket, Topic, i18n::Msg, lifecycle::OpenRefusal as Refused, naming,
    views as core_views,
};
use ticketbooth_store::{OpenRefusal, Reservation, ReserveTicket};

use crate::{
    app::Ctx,
    discord::{Failure, classify, failures_in},
    invocation::Invocation,
    responder::Reply,
    rest, views,
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

/// Reserves, creates the channel, records it and welcomes the member.
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

    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    let channel_id = match create_channel(ctx, &settings, &ticket, topic.as_ref()).await {
        Ok(channel_id) => channel_id,
        Err(error) => {
            let released = ctx.store.release_reservation(ticket.id).await;
            if let Err(e) = released {
                tracing::error!(error = %e, ticket = ticket.id, "could not release a reservation");
            }
            return match error {
                OpenError::Discord(Failure::MissingPermissions) => Ok(Reply::Message(
                    views::ephemeral(inv.lang, &Msg::OpenRefused(Refused::BotLacksManageChannels)),
                )),
                OpenError::Discord(Failure::CategoryFull | Failure::GuildFull) => {
                    Ok(Reply::Message(views::ephemeral(
                        inv.lang,
                        &Msg::OpenRefused(Refused::CategoryFull),
                    )))
                }
                OpenError::Discord(other) => Err(anyhow::anyhow!(
                    "creating the ticket channel failed: {other:?}"
                )),
                OpenError::Internal(e) => Err(e.context("creating the ticket channel")),
            };
        }
    };
    let ticket = ctx
        .store
        .attach_channel(ticket.id, channel_id)
        .await
        .context("recording the ticket's channel")?;

    post_welcome(ctx, &ticket, &settings, topic.as_ref()).await?;
    tracing::info!(ticket = ticket.id, channel = channel_id, "ticket opened");

    spawn_dm(ctx, inv, channel_id);
    crate::delivery::spawn_log_line(ctx, &ticket, crate::delivery::LogLine::Opened);
    Ok(Reply::Message(
        core_views::ticket_opened(inv.lang, inv.guild_id, channel_id).into(),
    ))
}

/// Posts the welcome message (mention, embed, It Works! / Need Help / Close) in the ticket's
/// channel, in the server's language.
pub async fn post_welcome(
    ctx: &Ctx,
    ticket: &Ticket,
    settings: &GuildSettings,
    topic: Option<&Topic>,
) -> anyhow::Result<()> {
    let Some(channel_id) = ticket.channel_id else {
        anyhow::bail!("ticket {} has no channel to welcome in", ticket.id);
    };
    let welcome = core_views::welcome(ticket, settings, topic);
    ctx.send(
        ctx.http
            .create_message(Id::new(channel_id))
            .content(welcome.content.as_deref().unwrap_or_default())
            .embeds(&welcome.embeds)
            .components(&welcome.components)
            .allowed_mentions(Some(&welcome.allowed_mentions)),
    )
    .await
    .context("posting the welcome message")?;
    Ok(())
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
                Failure::MissingPermissions | Failure::CategoryFull | Failure::GuildFull
            )
        });
        match refusal {
            Some(failure) => OpenError::Discord(failure),
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
/// category; moves on to an overflow category when Discord says the category is full.
async fn create_channel(
    ctx: &Ctx,
    settings: &GuildSettings,
    ticket: &Ticket,
    topic: Option<&Topic>,
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
    for attempt in 0..2 {
        let created = ctx
            .send(
                ctx.http
                    .create_guild_channel(Id::new(settings.guild_id), &ticket.name)
                    .kind(ChannelType::GuildText)
                    .parent_id(Id::new(parent))
                    .topic(&channel_topic)
                    .permission_overwrites(&overwrites),
            )
            .await;
        match created {
            Ok(response) => {
                let channel = response
                    .model()
                    .await
                    .map_err(|e| OpenError::Internal(e.into()))?;
                return Ok(channel.id.get());
            }
            Err(error) => match classify(&error) {
                Failure::CategoryFull if attempt == 0 => {
                    tracing::info!(
                        category = parent,
                        "category full; using an overflow category"
                    );
                    parent = super::categories::overflow_category(ctx, settings, parent).await?;
                }
                Failure::Other { .. } => {
                    return Err(OpenError::Internal(
                        anyhow::Error::new(error).context("Discord refused the channel"),
                    ));
                }
                failure => return Err(OpenError::Discord(failure)),
            },
        }
    }
    Err(OpenError::Discord(Failure::CategoryFull))
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
