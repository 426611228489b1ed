//! Setup → Topics: add (with a category visible to staff), list, and remove (refused while
//! open tickets live in the topic; the category goes with it otherwise).

use twilight_model::{application::interaction::Interaction, id::Id};

use ticketbooth_core::{
    GuildSettings, Snowflake, Topic,
    custom_id::{HubId, InputId},
    i18n::{MAX_TOPIC_NAME, Msg},
    text::{truncate_chars, user_text},
    views as core_views,
};
use ticketbooth_store::{ErrorKind, NewTopic};

use super::{PostFailure, expired, explain, result, settings, update};
use crate::{ctx::Ctx, invocation::Invocation, responder::Reply, tickets::categories, views};

/// A topic description's bound (a select option's description limit).
const MAX_TOPIC_DESCRIPTION: usize = 100;
/// An emoji's bound: a unicode emoji or a custom `<:name:id>`.
const MAX_TOPIC_EMOJI: usize = 64;
/// Discord's limit on a channel (category) name.
const MAX_CHANNEL_NAME: usize = 100;

/// The Topics screen, listing the server's topics.
pub(super) async fn screen(ctx: &Ctx, inv: &Invocation) -> anyhow::Result<Reply> {
    let topics = ctx.store.topics(inv.guild_id).await?;
    Ok(update(core_views::hub_topics(inv.lang, &topics)))
}

/// The add-topic modal: a unique name, then its category, then the record.
pub(super) async fn add(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
    settings: &GuildSettings,
) -> anyhow::Result<Reply> {
    let read = |input, max| {
        truncate_chars(
            views::modal_value(interaction, input)
                .unwrap_or_default()
                .trim(),
            max,
        )
    };
    let name = read(InputId::TopicName, MAX_TOPIC_NAME);
    if name.is_empty() {
        return screen(ctx, inv).await;
    }
    let shown = user_text(&name, MAX_TOPIC_NAME * 2);
    let taken = |topics: &[Topic]| {
        topics
            .iter()
            .any(|t| t.name.trim().eq_ignore_ascii_case(&name))
    };
    // Checked before the category exists so a duplicate costs no REST call; the store's
    // constraint still decides when two admins race.
    if taken(&ctx.store.topics(inv.guild_id).await?) {
        return Ok(result(
            inv,
            &Msg::TopicExists { name: &shown },
            HubId::Topics,
        ));
    }
    let description =
        Some(read(InputId::TopicDescription, MAX_TOPIC_DESCRIPTION)).filter(|d| !d.is_empty());
    let emoji = Some(read(InputId::TopicEmoji, MAX_TOPIC_EMOJI)).filter(|e| !e.is_empty());
    let category_name = truncate_chars(&name, MAX_CHANNEL_NAME);
    let category = match categories::create_category(ctx, settings, &category_name).await {
        Ok(category) => category,
        Err(error) => return refused_category(inv, error),
    };
    let added = ctx
        .store
        .add_topic(NewTopic {
            guild_id: inv.guild_id,
            name,
            description,
            emoji,
            category_id: Some(category),
        })
        .await;
    match added {
        Ok(_) => {
            let note =
                settings::change_note(settings, inv.user_id, &Msg::SetupTopicsButton, "—", &shown);
            if let Some(reply) = settings::log_note(ctx, inv, settings, &note).await? {
                return Ok(reply);
            }
            Ok(result(
                inv,
                &Msg::TopicAdded { name: &shown },
                HubId::Topics,
            ))
        }
        Err(error) if error.kind() == ErrorKind::TopicNameTaken => {
            delete_category(ctx, category).await?;
            Ok(result(
                inv,
                &Msg::TopicExists { name: &shown },
                HubId::Topics,
            ))
        }
        Err(error) => {
            delete_category(ctx, category).await?;
            Err(error.into())
        }
    }
}

/// A category Discord refused to create: a missing permission is told to the admin.
fn refused_category(inv: &Invocation, error: anyhow::Error) -> anyhow::Result<Reply> {
    let Some(http) = error.downcast_ref::<twilight_http::Error>() else {
        return Err(error);
    };
    match explain(http, "Manage Channels") {
        Some(PostFailure::Missing(permission)) => Ok(result(
            inv,
            &Msg::BotLacksPermission {
                permission,
                channel: inv.guild_id,
            },
            HubId::Topics,
        )),
        _ => Err(error),
    }
}

/// Topics → Remove: the select of topics.
pub(super) async fn remove_select(ctx: &Ctx, inv: &Invocation) -> anyhow::Result<Reply> {
    let topics = ctx.store.topics(inv.guild_id).await?;
    if topics.is_empty() {
        return Ok(update(core_views::hub_topics(inv.lang, &topics)));
    }
    Ok(update(core_views::topic_remove_select(inv.lang, &topics)))
}

/// The server's topic `id`, or `None` when it is gone or belongs elsewhere.
async fn find(ctx: &Ctx, inv: &Invocation, id: i64) -> anyhow::Result<Option<Topic>> {
    Ok(ctx
        .store
        .topic(id)
        .await?
        .filter(|t| t.guild_id == inv.guild_id))
}

/// Asks to confirm removing the picked topic.
pub(super) async fn remove_confirm(
    ctx: &Ctx,
    inv: &Invocation,
    topic_id: i64,
) -> anyhow::Result<Reply> {
    Ok(match find(ctx, inv, topic_id).await? {
        Some(topic) => update(core_views::topic_remove_confirm(inv.lang, &topic)),
        None => expired(inv),
    })
}

/// Removes the topic and its category, unless open tickets still live in it.
pub(super) async fn remove(ctx: &Ctx, inv: &Invocation, topic_id: i64) -> anyhow::Result<Reply> {
    let Some(topic) = find(ctx, inv, topic_id).await? else {
        return Ok(expired(inv));
    };
    let shown = user_text(&topic.name, MAX_TOPIC_NAME * 2);
    let in_the_way: Vec<Snowflake> = ctx
        .store
        .open_tickets(inv.guild_id)
        .await?
        .into_iter()
        .filter(|t| t.topic.as_deref() == Some(topic.name.as_str()))
        .filter_map(|t| t.channel_id)
        .collect();
    if !in_the_way.is_empty() {
        return Ok(result(
            inv,
            &Msg::TopicInUse {
                name: &shown,
                channels: &in_the_way,
            },
            HubId::Topics,
        ));
    }
    if let Some(category) = topic.category_id
        && let Some(PostFailure::Missing(permission)) = delete_category(ctx, category).await?
    {
        return Ok(result(
            inv,
            &Msg::BotLacksPermission {
                permission,
                channel: category,
            },
            HubId::Topics,
        ));
    }
    ctx.store.remove_topic(topic.id).await?;
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    let note = settings::change_note(&settings, inv.user_id, &Msg::SetupTopicsButton, &shown, "—");
    if let Some(reply) = settings::log_note(ctx, inv, &settings, &note).await? {
        return Ok(reply);
    }
    Ok(result(
        inv,
        &Msg::TopicRemoved { name: &shown },
        HubId::Topics,
    ))
}

/// Deletes a topic's category; one deleted by hand already is fine.
async fn delete_category(ctx: &Ctx, category: Snowflake) -> anyhow::Result<Option<PostFailure>> {
    match ctx.send(ctx.http.delete_channel(Id::new(category))).await {
        Ok(_) => Ok(None),
        Err(error) => match explain(&error, "Manage Channels") {
            Some(PostFailure::NotFound) => Ok(None),
            Some(missing) => Ok(Some(missing)),
            None => Err(anyhow::Error::new(error).context("deleting a topic's category")),
        },
    }
}
