//! Setup's settings: each change is one compare-and-set store write (applied to the settings
//! as stored, so concurrent changes of other settings stay) plus, when a log channel is set, one note
//! in it saying who changed what from what to what.

use twilight_model::{application::interaction::Interaction, channel::message::AllowedMentions};

use ticketbooth_core::{
    ClosingMode, GuildSettings, Language, Snowflake,
    custom_id::{HubId, InputId},
    i18n::{self, Msg},
    text::truncate_chars,
    views::{
        self as core_views, DELETE_DELAY_RANGE, MAX_OPEN_PER_MEMBER_RANGE, MAX_OPEN_TOTAL_RANGE,
        MessageView, parse_in_range, values,
    },
};

use super::{PostFailure, expired, panels, post, result, update};
use ticketbooth_store::SettingsUpdate;

use crate::{ctx::Ctx, invocation::Invocation, responder::Reply, tickets::staff_access, views};

/// The longest response-time text kept (the welcome modal's own bound, enforced again here
/// because a modal's limits are only the client's).
const MAX_RESPONSE_TIME: usize = 200;
/// The longest instructions text kept.
const MAX_INSTRUCTIONS: usize = 1000;
/// Discord's limit on a message's content.
const MAX_CONTENT: usize = 2000;

/// Applies `change` to the settings as stored now (so a change another admin saved meanwhile
/// stays), logs what it changed, refreshes posted panels when what they show changed, and shows
/// Setup with the current values. Returns the settings before and after.
pub(super) async fn save(
    ctx: &Ctx,
    inv: &Invocation,
    change: impl Fn(&mut GuildSettings) + Send + Sync,
) -> anyhow::Result<(Reply, SettingsUpdate)> {
    let lang = inv.lang;
    save_showing(ctx, inv, change, |s| core_views::hub_setup(lang, s)).await
}

/// [`save`], then `screen` with the current values (unless the admin must first be told the
/// log channel is gone).
pub(super) async fn save_showing(
    ctx: &Ctx,
    inv: &Invocation,
    change: impl Fn(&mut GuildSettings) + Send + Sync,
    screen: impl Fn(&GuildSettings) -> MessageView,
) -> anyhow::Result<(Reply, SettingsUpdate)> {
    let update_done = ctx
        .store
        .update_guild_settings(inv.guild_id, &change)
        .await?;
    let SettingsUpdate { before, after } = &update_done;
    if before != after {
        if before.language != after.language {
            panels::refresh(ctx, after).await?;
        }
        if let Some(gone) = log_change(ctx, inv, before, after).await? {
            return Ok((gone, update_done));
        }
    }
    Ok((update(screen(after)), update_done))
}

/// Writes the change to the log channel (see [`log_note`]).
async fn log_change(
    ctx: &Ctx,
    inv: &Invocation,
    old: &GuildSettings,
    next: &GuildSettings,
) -> anyhow::Result<Option<Reply>> {
    match core_views::settings_changed(next.language, inv.user_id, old, next) {
        Some(note) => log_note(ctx, inv, next, &note).await,
        None => Ok(None),
    }
}

/// Posts `note` in the log channel, if one is set. A deleted log channel is forgotten (one
/// more write) and the admin is told; `Some(reply)` then replaces the usual screen.
pub(super) async fn log_note(
    ctx: &Ctx,
    inv: &Invocation,
    settings: &GuildSettings,
    note: &MessageView,
) -> anyhow::Result<Option<Reply>> {
    let Some(channel) = settings.log_channel else {
        return Ok(None);
    };
    match post(ctx, channel, note).await? {
        Ok(_) => Ok(None),
        Err(PostFailure::NotFound) => {
            ctx.store
                .update_guild_settings(settings.guild_id, &|s| {
                    if s.log_channel == Some(channel) {
                        s.log_channel = None;
                    }
                })
                .await?;
            tracing::info!(guild = inv.guild_id, channel, "log channel gone; forgotten");
            Ok(Some(result(
                inv,
                &Msg::LogChannelGone { channel },
                HubId::Setup,
            )))
        }
        Err(PostFailure::Missing(permission)) => {
            // The change is kept; only its note is lost. The admin learns which permission.
            Ok(Some(result(
                inv,
                &Msg::BotLacksPermission {
                    permission,
                    channel,
                },
                HubId::Setup,
            )))
        }
    }
}

/// A log line in the settings-change format for something outside [`GuildSettings`] (the
/// topic list): `from` and `to` are shown as they are, so callers escape user text.
pub(super) fn change_note(
    settings: &GuildSettings,
    by: Snowflake,
    setting: &Msg,
    from: &str,
    to: &str,
) -> MessageView {
    let lang = settings.language;
    let setting = i18n::text(lang, setting);
    let content = i18n::text(
        lang,
        &Msg::SettingChanged {
            by,
            setting: &setting,
            from,
            to,
        },
    );
    MessageView {
        content: Some(truncate_chars(&content, MAX_CONTENT)),
        embeds: Vec::new(),
        components: Vec::new(),
        // Nobody is pinged by a log line, whatever names it carries.
        allowed_mentions: AllowedMentions::default(),
        ephemeral: false,
    }
}

/// Setup → Log channel: the note of the change itself goes to the new channel, which is the
/// check that the bot can post there; nothing is saved when it cannot.
pub(super) async fn log_channel_picked(
    ctx: &Ctx,
    inv: &Invocation,
    settings: &GuildSettings,
    channel: Snowflake,
) -> anyhow::Result<Reply> {
    let mut next = settings.clone();
    next.log_channel = Some(channel);
    let Some(note) = core_views::settings_changed(next.language, inv.user_id, settings, &next)
    else {
        return Ok(result(inv, &Msg::LogChannelSet { channel }, HubId::Setup));
    };
    match post(ctx, channel, &note).await? {
        Ok(_) => {}
        Err(PostFailure::Missing(permission)) => {
            return Ok(result(
                inv,
                &Msg::BotLacksPermission {
                    permission,
                    channel,
                },
                HubId::LogChannel,
            ));
        }
        Err(PostFailure::NotFound) => return Ok(expired(inv)),
    }
    ctx.store
        .update_guild_settings(inv.guild_id, &|s| s.log_channel = Some(channel))
        .await?;
    Ok(result(inv, &Msg::LogChannelSet { channel }, HubId::Setup))
}

/// Setup → Staff roles.
pub(super) async fn staff_roles_picked(
    ctx: &Ctx,
    inv: &Invocation,
    values: &[String],
) -> anyhow::Result<Reply> {
    let roles: Vec<Snowflake> = values
        .iter()
        .filter_map(|v| v.parse().ok())
        .filter(|r: &Snowflake| *r != 0)
        .take(25)
        .collect();
    let (reply, done) = save(ctx, inv, |s| s.staff_roles = roles.clone()).await?;
    staff_access::schedule(
        ctx,
        done.after.guild_id,
        staff_access::roles_to_sync(&done.before, &done.after),
    )
    .await?;
    Ok(reply)
}

/// Setup → Closing: keep saves at once; delete asks for the delay first.
pub(super) async fn closing_picked(
    ctx: &Ctx,
    inv: &Invocation,
    settings: &GuildSettings,
    values: &[String],
) -> anyhow::Result<Reply> {
    match values.first().map(String::as_str) {
        Some(values::CLOSING_KEEP) => {
            Ok(save(ctx, inv, |s| s.closing = ClosingMode::Keep).await?.0)
        }
        Some(values::CLOSING_DELETE) => {
            Ok(Reply::Modal(core_views::delay_modal(inv.lang, settings)))
        }
        _ => Ok(expired(inv)),
    }
}

/// Setup → Who may close.
pub(super) async fn who_may_close_picked(
    ctx: &Ctx,
    inv: &Invocation,
    values: &[String],
) -> anyhow::Result<Reply> {
    let Some(who) = values.first().and_then(|v| values::who_may_close(v)) else {
        return Ok(expired(inv));
    };
    Ok(save(ctx, inv, |s| s.who_may_close = who).await?.0)
}

/// Setup → Language.
pub(super) async fn language_picked(
    ctx: &Ctx,
    inv: &Invocation,
    values: &[String],
) -> anyhow::Result<Reply> {
    let Some(language) = values.first().and_then(|v| Language::parse(v)) else {
        return Ok(expired(inv));
    };
    Ok(save(ctx, inv, |s| s.language = language).await?.0)
}

/// The limits modal: both numbers must be whole and in range, or nothing is saved.
pub(super) async fn limits_submitted(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
) -> anyhow::Result<Reply> {
    let read = |input| views::modal_value(interaction, input).unwrap_or_default();
    let Some(total) = parse_in_range(&read(InputId::MaxTotal), MAX_OPEN_TOTAL_RANGE) else {
        return Ok(out_of_range(inv, MAX_OPEN_TOTAL_RANGE));
    };
    let Some(per_member) = parse_in_range(&read(InputId::MaxPerMember), MAX_OPEN_PER_MEMBER_RANGE)
    else {
        return Ok(out_of_range(inv, MAX_OPEN_PER_MEMBER_RANGE));
    };
    let change = |s: &mut GuildSettings| {
        s.max_open_total = total;
        s.max_open_per_member = per_member;
    };
    Ok(save(ctx, inv, change).await?.0)
}

/// The deletion-delay modal, after choosing "delete" under Closing.
pub(super) async fn delay_submitted(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
) -> anyhow::Result<Reply> {
    let input = views::modal_value(interaction, InputId::DelaySecs).unwrap_or_default();
    let Some(after_secs) = parse_in_range(&input, DELETE_DELAY_RANGE) else {
        return Ok(out_of_range(inv, DELETE_DELAY_RANGE));
    };
    Ok(
        save(ctx, inv, |s| s.closing = ClosingMode::Delete { after_secs })
            .await?
            .0,
    )
}

/// The naming modal: `random6` or a template core accepts.
pub(super) async fn naming_submitted(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
) -> anyhow::Result<Reply> {
    let input = views::modal_value(interaction, InputId::Template).unwrap_or_default();
    let naming = match core_views::parse_naming(&input) {
        Ok(naming) => naming,
        Err(error) => {
            return Ok(result(inv, &Msg::TemplateInvalid(&error), HubId::Setup));
        }
    };
    Ok(save(ctx, inv, |s| s.naming = naming.clone()).await?.0)
}

/// The welcome modal: response time and instructions, bounded here whatever the client sent.
pub(super) async fn welcome_submitted(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
) -> anyhow::Result<Reply> {
    let read = |input, max| {
        truncate_chars(
            views::modal_value(interaction, input)
                .unwrap_or_default()
                .trim(),
            max,
        )
    };
    let response_time = read(InputId::ResponseTime, MAX_RESPONSE_TIME);
    let instructions = read(InputId::Instructions, MAX_INSTRUCTIONS);
    let change = |s: &mut GuildSettings| {
        s.response_time = response_time.clone();
        s.instructions = instructions.clone();
    };
    Ok(save(ctx, inv, change).await?.0)
}

fn out_of_range(inv: &Invocation, (min, max): (u32, u32)) -> Reply {
    result(inv, &Msg::NotANumberInRange { min, max }, HubId::Setup)
}
