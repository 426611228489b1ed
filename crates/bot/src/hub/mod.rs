//! The `/ticket` hub: setup and management in Discord, in one ephemeral message that edits
//! itself as the admin navigates.
//!
//! Every hub interaction re-checks the actor on the server: Setup needs an admin, Manage needs
//! staff or an admin (each ticket action is then authorized again by `tickets::actions`).

mod manage;
mod panels;
mod settings;
mod topics;

pub use panels::message_deleted;

use twilight_model::{application::interaction::Interaction, id::Id};

use ticketbooth_core::{
    GuildSettings, Snowflake,
    authz::{self, Action, ActorRole, Refusal},
    custom_id::HubId,
    i18n::Msg,
    views::MessageView,
};

use crate::{
    ctx::Ctx,
    discord::{self, Failure},
    invocation::Invocation,
    responder::Reply,
    views,
};
use ticketbooth_core::views as core_views;

/// Only admins (Manage Server or Administrator, or the owner) configure the system.
fn admin_refusal(inv: &Invocation, settings: &GuildSettings) -> Option<Reply> {
    let role = authz::role_of(&inv.actor(), None, settings);
    authz::authorize(Action::ConfigureHub, role, None, settings)
        .err()
        .map(|refusal| refused(inv, refusal))
}

/// Manage is for staff and admins; members are refused before any ticket is looked at.
fn staff_refusal(inv: &Invocation, settings: &GuildSettings) -> Option<Reply> {
    match authz::role_of(&inv.actor(), None, settings) {
        ActorRole::Admin | ActorRole::Staff => None,
        _ => Some(refused(inv, Refusal::NotStaff)),
    }
}

fn refused(inv: &Invocation, refusal: Refusal) -> Reply {
    Reply::Message(views::ephemeral(inv.lang, &Msg::Refused(refusal)))
}

/// Replaces the hub message with `view`.
fn update(view: MessageView) -> Reply {
    Reply::Update(view.into())
}

/// Replaces the hub message with one line and a way back to `back_to`.
fn result(inv: &Invocation, msg: &Msg, back_to: HubId) -> Reply {
    update(core_views::hub_result(inv.lang, msg, back_to))
}

/// A menu that no longer matches anything (an old message, a removed topic, a foreign id).
fn expired(inv: &Invocation) -> Reply {
    Reply::Message(views::ephemeral(inv.lang, &Msg::MenuExpired))
}

/// The first value of a select, as a snowflake.
fn first_id(values: &[String]) -> Option<Snowflake> {
    values
        .first()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|id| *id != 0)
}

/// Whether staff may use `id`: navigation and the Manage side. Setup is for admins only.
fn staff_may_use(id: HubId) -> bool {
    matches!(
        id,
        HubId::Home
            | HubId::Back
            | HubId::Cancel
            | HubId::Manage
            | HubId::ManageClose
            | HubId::CloseAll
            | HubId::CloseAllConfirm { .. }
            | HubId::AddUser
            | HubId::AddUserSelect
            | HubId::RemoveUser
            | HubId::RemoveUserSelect
            | HubId::Stats
    )
}

/// `/ticket`: the hub's first screen.
pub async fn open(ctx: &Ctx, inv: &Invocation) -> anyhow::Result<Reply> {
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    if let Some(refusal) = staff_refusal(inv, &settings) {
        return Ok(refusal);
    }
    Ok(Reply::Message(
        core_views::hub_home(inv.lang, &settings).into(),
    ))
}

/// `/stats`: the server's ticket statistics (see [`crate::stats`]).
pub async fn stats(ctx: &Ctx, inv: &Invocation) -> anyhow::Result<Reply> {
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    let role = authz::role_of(&inv.actor(), None, &settings);
    if let Err(refusal) = authz::authorize(Action::ViewStats, role, None, &settings) {
        return Ok(refused(inv, refusal));
    }
    crate::stats::reply(ctx, inv).await
}

/// A button or select inside the hub.
pub async fn component(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
    id: HubId,
    values: &[String],
) -> anyhow::Result<Reply> {
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    let refusal = if staff_may_use(id) {
        staff_refusal(inv, &settings)
    } else {
        admin_refusal(inv, &settings)
    };
    if let Some(refusal) = refusal {
        return Ok(refusal);
    }
    let lang = inv.lang;
    Ok(match id {
        HubId::Home | HubId::Back => update(core_views::hub_home(lang, &settings)),
        HubId::Cancel => update(core_views::hub_closed(lang)),
        HubId::Setup => update(core_views::hub_setup(lang, &settings)),
        HubId::Panel => update(core_views::hub_panel_channel(lang)),
        HubId::PanelChannelSelect => match first_id(values) {
            Some(channel_id) => Reply::Modal(core_views::panel_modal(lang, channel_id)),
            None => update(core_views::hub_panel_channel(lang)),
        },
        HubId::LogChannel => update(core_views::hub_log_channel(lang, &settings)),
        HubId::LogChannelSelect => match first_id(values) {
            Some(channel) => settings::log_channel_picked(ctx, inv, &settings, channel).await?,
            None => update(core_views::hub_log_channel(lang, &settings)),
        },
        HubId::Limits => Reply::Modal(core_views::limits_modal(lang, &settings)),
        HubId::Topics | HubId::TopicList => topics::screen(ctx, inv).await?,
        HubId::TopicAdd => Reply::Modal(core_views::topic_modal(lang)),
        HubId::TopicRemove => topics::remove_select(ctx, inv).await?,
        HubId::TopicRemoveSelect => match values.first().and_then(|v| v.parse::<i64>().ok()) {
            Some(topic_id) => topics::remove_confirm(ctx, inv, topic_id).await?,
            None => expired(inv),
        },
        HubId::TopicRemoveConfirm { topic_id } => topics::remove(ctx, inv, topic_id).await?,
        HubId::StaffRoles => update(core_views::hub_staff_roles(lang, &settings)),
        HubId::StaffRolesSelect => settings::staff_roles_picked(ctx, inv, values).await?,
        HubId::Closing => update(core_views::hub_closing(lang, &settings)),
        HubId::ClosingSelect => settings::closing_picked(ctx, inv, &settings, values).await?,
        HubId::ConfirmCloseOn | HubId::ConfirmCloseOff => {
            // The toggle stays on the Closing screen, showing the setting as saved.
            let on = id == HubId::ConfirmCloseOn;
            let show = |s: &GuildSettings| core_views::hub_closing(lang, s);
            settings::save_showing(ctx, inv, |s| s.confirm_close = on, show)
                .await?
                .0
        }
        HubId::WhoMayClose => update(core_views::hub_who_may_close(lang, &settings)),
        HubId::WhoMayCloseSelect => settings::who_may_close_picked(ctx, inv, values).await?,
        HubId::Naming => Reply::Modal(core_views::naming_modal(lang, &settings)),
        HubId::Welcome => Reply::Modal(core_views::welcome_modal(lang, &settings)),
        HubId::Language => update(core_views::hub_language(lang, &settings)),
        HubId::LanguageSelect => settings::language_picked(ctx, inv, values).await?,
        HubId::Enable | HubId::Disable => {
            let enabled = matches!(id, HubId::Enable);
            settings::save(ctx, inv, |s| s.enabled = enabled).await?.0
        }
        HubId::Manage => update(core_views::hub_manage(lang)),
        HubId::ManageClose => manage::close_here(ctx, inv).await?,
        HubId::CloseAll => manage::close_all_confirm(ctx, inv).await?,
        HubId::CloseAllConfirm { count } => manage::close_all(ctx, interaction, inv, count).await?,
        HubId::AddUser => update(core_views::hub_add_user(lang)),
        HubId::RemoveUser => update(core_views::hub_remove_user(lang)),
        HubId::AddUserSelect | HubId::RemoveUserSelect => match first_id(values) {
            Some(user) => manage::member(ctx, inv, user, id == HubId::AddUserSelect).await?,
            None => expired(inv),
        },
        HubId::Stats => stats(ctx, inv).await?,
        HubId::RevokeLinks => Reply::Modal(core_views::revoke_links_modal(lang)),
        // Modal ids arriving as clicks can only come from a forged or foreign message.
        HubId::PanelModal { .. }
        | HubId::LimitsModal
        | HubId::TopicAddModal
        | HubId::ClosingDelayModal
        | HubId::NamingModal
        | HubId::WelcomeModal
        | HubId::RevokeLinksModal => expired(inv),
    })
}

/// A modal submitted from the hub.
pub async fn modal(
    ctx: &Ctx,
    interaction: &Interaction,
    inv: &Invocation,
    id: HubId,
) -> anyhow::Result<Reply> {
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    if let Some(refusal) = admin_refusal(inv, &settings) {
        return Ok(refusal);
    }
    match id {
        HubId::PanelModal { channel_id } => {
            panels::post_panel(ctx, interaction, inv, &settings, channel_id).await
        }
        HubId::LimitsModal => settings::limits_submitted(ctx, interaction, inv).await,
        HubId::ClosingDelayModal => settings::delay_submitted(ctx, interaction, inv).await,
        HubId::NamingModal => settings::naming_submitted(ctx, interaction, inv).await,
        HubId::WelcomeModal => settings::welcome_submitted(ctx, interaction, inv).await,
        HubId::TopicAddModal => topics::add(ctx, interaction, inv, &settings).await,
        HubId::RevokeLinksModal => manage::revoke_links(ctx, interaction, inv, &settings).await,
        _ => Ok(expired(inv)),
    }
}

/// Why a post in a channel the admin chose failed, in terms the admin can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PostFailure {
    /// The channel no longer exists.
    NotFound,
    /// The bot lacks this permission there.
    Missing(&'static str),
}

/// Sorts a failed call into what the admin is told; `None` for unexpected failures.
fn explain(error: &twilight_http::Error, needed: &'static str) -> Option<PostFailure> {
    match discord::classify(error) {
        Failure::NotFound => Some(PostFailure::NotFound),
        _ => discord::missing_permission(error, needed).map(PostFailure::Missing),
    }
}

/// Posts `view` as a new message in `channel`; `Ok(Err(..))` for the failures a caller
/// explains to the admin (a missing permission, a deleted channel).
async fn post(
    ctx: &Ctx,
    channel: Snowflake,
    view: &MessageView,
) -> anyhow::Result<Result<twilight_model::channel::Message, PostFailure>> {
    let mut request = ctx
        .http
        .create_message(Id::new(channel))
        .embeds(&view.embeds)
        .components(&view.components)
        .allowed_mentions(Some(&view.allowed_mentions));
    if let Some(content) = view.content.as_deref() {
        request = request.content(content);
    }
    match ctx.send(request).await {
        Ok(response) => Ok(Ok(response.model().await?)),
        Err(error) => match explain(&error, "Send Messages") {
            Some(failure) => Ok(Err(failure)),
            None => Err(anyhow::Error::new(error).context("posting a message")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_values_become_ids_or_nothing() {
        assert_eq!(first_id(&["42".into(), "7".into()]), Some(42));
        for bad in ["", "0", "-1", "x", "18446744073709551616"] {
            assert_eq!(first_id(&[bad.into()]), None, "{bad}");
        }
        assert_eq!(first_id(&[]), None);
    }

    #[test]
    fn staff_may_navigate_and_manage_but_not_set_up() {
        for id in [
            HubId::Home,
            HubId::Cancel,
            HubId::Manage,
            HubId::ManageClose,
            HubId::CloseAll,
            HubId::CloseAllConfirm { count: 3 },
            HubId::AddUserSelect,
            HubId::RemoveUserSelect,
            HubId::Stats,
        ] {
            assert!(staff_may_use(id), "{id:?}");
        }
        for id in [
            HubId::Setup,
            HubId::Panel,
            HubId::PanelModal { channel_id: 1 },
            HubId::LogChannelSelect,
            HubId::LimitsModal,
            HubId::TopicRemoveConfirm { topic_id: 1 },
            HubId::StaffRolesSelect,
            HubId::Enable,
            HubId::Disable,
            HubId::LanguageSelect,
        ] {
            assert!(!staff_may_use(id), "{id:?}");
        }
    }
}
