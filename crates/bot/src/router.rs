//! The one entry point for interactions: parse commands and custom ids into typed routes,
//! pick how each is deferred, and hand the work to the responder.

use tracing::Instrument as _;
use twilight_model::application::interaction::{Interaction, InteractionData, InteractionType};

use ticketbooth_core::{
    Language,
    commands::SlashCommand,
    custom_id::{CustomId, DecodeError},
    i18n::Msg,
};

use crate::{
    ctx::Ctx,
    handlers,
    responder::{self, Defer, Reply},
    views,
};

/// Where an interaction goes.
#[derive(Debug, Clone)]
pub enum Route {
    Command(SlashCommand),
    Component(CustomId),
    Modal(CustomId),
    /// Not a route: the user gets this message (an unknown or outdated id, a bad command).
    Refuse(Msg<'static>),
    /// Nothing to answer (autocomplete, pings).
    Ignore,
}

/// Parses an interaction into its route without panicking on anything Discord sends.
pub fn route(interaction: &Interaction) -> Route {
    match (&interaction.kind, interaction.data.as_ref()) {
        (InteractionType::ApplicationCommand, Some(InteractionData::ApplicationCommand(data))) => {
            match SlashCommand::parse(data) {
                Ok(command) => Route::Command(command),
                Err(_) => Route::Refuse(Msg::UnknownCommand),
            }
        }
        (InteractionType::MessageComponent, Some(InteractionData::MessageComponent(data))) => {
            decoded(CustomId::decode(&data.custom_id), Route::Component)
        }
        (InteractionType::ModalSubmit, Some(InteractionData::ModalSubmit(data))) => {
            decoded(CustomId::decode(&data.custom_id), Route::Modal)
        }
        _ => Route::Ignore,
    }
}

fn decoded(result: Result<CustomId, DecodeError>, wrap: fn(CustomId) -> Route) -> Route {
    match result {
        Ok(id) => wrap(id),
        Err(DecodeError::Outdated { .. }) => Route::Refuse(Msg::MenuExpired),
        Err(DecodeError::NotOurs | DecodeError::Malformed) => Route::Refuse(Msg::UnknownComponent),
    }
}

/// The language of replies only this user sees: their Discord client's.
pub fn user_language(interaction: &Interaction) -> Language {
    interaction
        .locale
        .as_deref()
        .map(Language::from_discord_locale)
        .unwrap_or_default()
}

/// Handles one interaction from the gateway (or, later, the HTTP endpoint).
pub async fn handle(ctx: &Ctx, interaction: Interaction) {
    let span = tracing::info_span!(
        "interaction",
        id = %interaction.id,
        kind = ?interaction.kind,
        guild = interaction.guild_id.map(|g| g.get()),
        user = interaction.author_id().map(|u| u.get()),
    );
    dispatch(ctx, &interaction).instrument(span).await;
}

async fn dispatch(ctx: &Ctx, interaction: &Interaction) {
    // Several processes may hold sessions for the same shard (a rolling restart, or replicas);
    // each interaction is handled by whichever sees it first.
    match ctx.store.first_sighting(interaction.id.get()).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::debug!("another process is handling this interaction");
            return;
        }
        Err(error) => {
            tracing::warn!(
                error = &error as &dyn std::error::Error,
                "cannot record the interaction; handling it anyway"
            );
        }
    }
    let lang = user_language(interaction);
    // Discord's trouble is told as such: the user did nothing wrong and may try again.
    let on_error = move |error: &anyhow::Error| {
        let msg = if crate::discord::unavailable_in(error) {
            Msg::DiscordUnavailable
        } else {
            Msg::SomethingWentWrong
        };
        Reply::Message(views::ephemeral(lang, &msg))
    };
    let route = route(interaction);
    tracing::debug!(?route, "routed");
    match route {
        Route::Ignore => {}
        Route::Refuse(msg) => {
            let reply = Reply::Message(views::ephemeral(lang, &msg));
            responder::respond(
                ctx,
                interaction,
                Defer::Ephemeral,
                async { Ok(reply) },
                on_error,
            )
            .await;
        }
        Route::Command(command) => {
            let defer = handlers::defer_for_command(&command);
            responder::respond(
                ctx,
                interaction,
                defer,
                handlers::command(ctx, interaction, command),
                on_error,
            )
            .await;
        }
        Route::Component(id) => {
            let defer = handlers::defer_for_component(&id);
            responder::respond(
                ctx,
                interaction,
                defer,
                handlers::component(ctx, interaction, id),
                on_error,
            )
            .await;
        }
        Route::Modal(id) => {
            let defer = handlers::defer_for_component(&id);
            responder::respond(
                ctx,
                interaction,
                defer,
                handlers::modal(ctx, interaction, id),
                on_error,
            )
            .await;
        }
    }
}
