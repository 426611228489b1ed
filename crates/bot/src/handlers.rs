//! From a typed route to the feature that handles it, and how each route defers when slow.

use twilight_model::application::interaction::{Interaction, InteractionData};

use ticketbooth_core::{
    commands::SlashCommand, custom_id::CustomId, i18n::Msg, lifecycle::CloseKind,
};

use crate::{
    ctx::Ctx,
    hub,
    invocation::Invocation,
    responder::{Defer, Reply},
    tickets::{
        actions::{self, TicketRef},
        open,
    },
    views,
};

/// Commands answer with a new message: ephemeral for the hub and stats, public in tickets.
pub fn defer_for_command(command: &SlashCommand) -> Defer {
    match command {
        SlashCommand::Ticket | SlashCommand::Stats => Defer::Ephemeral,
        _ => Defer::Public,
    }
}

/// Components: the hub edits itself; opening replies to the member alone; ticket buttons
/// answer in the channel.
pub fn defer_for_component(id: &CustomId) -> Defer {
    match id {
        CustomId::Hub(_) => Defer::Update,
        CustomId::OpenTicket { .. }
        | CustomId::PickTopic { .. }
        | CustomId::DeleteChannel { .. } => Defer::Ephemeral,
        _ => Defer::Public,
    }
}

fn outside_a_server(interaction: &Interaction) -> Reply {
    Reply::Message(views::ephemeral(
        crate::router::user_language(interaction),
        &Msg::GuildOnly,
    ))
}

/// Runs a slash command.
pub async fn command(
    ctx: &Ctx,
    interaction: &Interaction,
    command: SlashCommand,
) -> anyhow::Result<Reply> {
    let Some(inv) = Invocation::from_interaction(interaction) else {
        return Ok(outside_a_server(interaction));
    };
    let here = TicketRef::ThisChannel;
    match command {
        SlashCommand::Ticket => hub::open(ctx, &inv).await,
        SlashCommand::Close { reason } => {
            actions::close(ctx, &inv, here, CloseKind::Close, reason).await
        }
        SlashCommand::Claim => actions::claim(ctx, &inv, here).await,
        SlashCommand::Unclaim => actions::unclaim(ctx, &inv, here).await,
        SlashCommand::Add { user } => actions::add_member(ctx, &inv, here, user).await,
        SlashCommand::Remove { user } => actions::remove_member(ctx, &inv, here, user).await,
        SlashCommand::Stats => hub::stats(ctx, &inv).await,
    }
}

/// Runs a button or select.
pub async fn component(
    ctx: &Ctx,
    interaction: &Interaction,
    id: CustomId,
) -> anyhow::Result<Reply> {
    let Some(inv) = Invocation::from_interaction(interaction) else {
        return Ok(outside_a_server(interaction));
    };
    let values = match &interaction.data {
        Some(InteractionData::MessageComponent(data)) => data.values.clone(),
        _ => Vec::new(),
    };
    match id {
        CustomId::OpenTicket { panel_id } => open::panel_clicked(ctx, &inv, panel_id).await,
        CustomId::PickTopic { .. } => match values.first() {
            Some(topic) => open::topic_picked(ctx, &inv, topic).await,
            None => Ok(Reply::Message(views::ephemeral(
                inv.lang,
                &Msg::UnknownComponent,
            ))),
        },
        CustomId::ItWorks { ticket_id } => {
            actions::it_works(ctx, &inv, TicketRef::Id(ticket_id)).await
        }
        CustomId::NeedHelp { ticket_id } => {
            actions::need_help(ctx, &inv, TicketRef::Id(ticket_id)).await
        }
        CustomId::Close { ticket_id } => actions::close_pressed(ctx, &inv, ticket_id).await,
        CustomId::CloseConfirm { ticket_id } => {
            actions::close(ctx, &inv, TicketRef::Id(ticket_id), CloseKind::Close, None).await
        }
        // "Close with a reason" on the confirmation: a modal must be the first answer, so it is
        // shown without reading the store; the submission is authorized like any close.
        CustomId::CloseReasonModal { ticket_id } => Ok(Reply::Modal(
            ticketbooth_core::views::close_reason_modal(inv.lang, ticket_id),
        )),
        CustomId::Claim { ticket_id } => actions::claim(ctx, &inv, TicketRef::Id(ticket_id)).await,
        CustomId::Unclaim { ticket_id } => {
            actions::unclaim(ctx, &inv, TicketRef::Id(ticket_id)).await
        }
        CustomId::DeleteChannel { ticket_id } => {
            actions::delete_channel(ctx, &inv, TicketRef::Id(ticket_id)).await
        }
        CustomId::Reopen { ticket_id } => {
            actions::reopen(ctx, &inv, TicketRef::Id(ticket_id)).await
        }
        CustomId::Hub(hub_id) => hub::component(ctx, interaction, &inv, hub_id, &values).await,
    }
}

/// Runs a modal submission.
pub async fn modal(ctx: &Ctx, interaction: &Interaction, id: CustomId) -> anyhow::Result<Reply> {
    let Some(inv) = Invocation::from_interaction(interaction) else {
        return Ok(outside_a_server(interaction));
    };
    match id {
        CustomId::CloseReasonModal { ticket_id } => {
            let reason =
                views::modal_value(interaction, ticketbooth_core::custom_id::InputId::Reason);
            actions::close(
                ctx,
                &inv,
                TicketRef::Id(ticket_id),
                CloseKind::Close,
                reason,
            )
            .await
        }
        CustomId::Hub(hub_id) => hub::modal(ctx, interaction, &inv, hub_id).await,
        _ => Ok(Reply::Message(views::ephemeral(
            inv.lang,
            &Msg::UnknownComponent,
        ))),
    }
}
