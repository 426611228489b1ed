//! Slash command registration: every command, defined once in core, in one bulk call.

use anyhow::Context as _;
use twilight_http::Client;
use twilight_model::id::{
    Id,
    marker::{ApplicationMarker, GuildMarker},
};

use crate::{app::http_client, config::Config, metrics::Metrics, rest};

/// Replaces the application's global commands with Ticketbooth's, in one call.
pub async fn register_global(
    http: &Client,
    metrics: &Metrics,
    application_id: Id<ApplicationMarker>,
) -> anyhow::Result<usize> {
    let commands = ticketbooth_core::commands::all();
    let client = http.interaction(application_id);
    rest::send(http, metrics, client.set_global_commands(&commands))
        .await
        .context("cannot register the slash commands (PUT /applications/{id}/commands)")?;
    tracing::info!(count = commands.len(), "slash commands registered");
    Ok(commands.len())
}

/// Replaces one server's commands with Ticketbooth's, in one call (they appear at once there).
pub async fn register_in_guild(
    http: &Client,
    metrics: &Metrics,
    application_id: Id<ApplicationMarker>,
    guild_id: Id<GuildMarker>,
) -> anyhow::Result<usize> {
    let commands = ticketbooth_core::commands::all();
    let client = http.interaction(application_id);
    rest::send(
        http,
        metrics,
        client.set_guild_commands(guild_id, &commands),
    )
    .await
    .with_context(|| format!("cannot register the slash commands in server {guild_id}"))?;
    Ok(commands.len())
}

/// `ticketbooth register-commands [--guild ID]`.
pub async fn register_from_config(config: &Config, guild: Option<u64>) -> anyhow::Result<usize> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let token = config
        .token
        .as_ref()
        .context("DISCORD_TOKEN is not set: registering commands needs the bot's token")?;
    let http = http_client(config, token)?;
    // A one-off command: its calls are counted like any other, in metrics nobody scrapes.
    let metrics = Metrics::default();
    let application = rest::send(&http, &metrics, http.current_user_application())
        .await
        .context("cannot read the application (GET /applications/@me)")?
        .model()
        .await?;
    match guild {
        Some(guild) => {
            let guild_id = Id::new_checked(guild).context("the server id must not be 0")?;
            register_in_guild(&http, &metrics, application.id, guild_id).await
        }
        None => register_global(&http, &metrics, application.id).await,
    }
}
