//! Start-up and shutdown: store, Discord REST client, command registration, gateway shards,
//! the web server, and a graceful stop that lets handlers finish and leaves each shard's session
//! in the store, so the next process resumes it and gets the events sent in between.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use anyhow::{Context as _, bail};
use tokio::sync::mpsc;
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use twilight_gateway::{
    CloseFrame, Config as ShardConfig, ConfigBuilder, EventTypeFlags, Intents, Session, Shard,
    ShardId, StreamExt as _, queue::InMemoryQueue,
};
use twilight_http::Client;
use twilight_model::{channel::message::AllowedMentions, gateway::event::Event};

use crate::{
    config::{Config, DEFAULT_API_URL, Secret, split_base_url},
    ctx::Ctx,
    health::Health,
    rest,
    web::{self, WebState},
};
use ticketbooth_store::{GatewaySession, Store};

/// The intents the features need: channel events (reconciliation), guild messages (first staff
/// response times), and, unless turned off, the privileged Message Content intent for transcripts.
pub fn intents(config: &Config) -> Intents {
    let base = Intents::GUILDS | Intents::GUILD_MESSAGES;
    if config.message_content {
        base | Intents::MESSAGE_CONTENT
    } else {
        base
    }
}

/// Builds the REST client for the configured Discord (the real one or a simulator).
pub fn http_client(config: &Config, token: &Secret) -> anyhow::Result<Client> {
    let mut builder = Client::builder()
        .token(token.expose().to_owned())
        .timeout(Duration::from_secs(15))
        // Nothing pings unless a message says so explicitly.
        .default_allowed_mentions(AllowedMentions::default());
    if config.api_url != DEFAULT_API_URL {
        let (host, plain_http) = split_base_url(&config.api_url).map_err(anyhow::Error::msg)?;
        builder = builder.proxy(host, plain_http);
    }
    Ok(builder.build())
}

/// A running bot; dropping it does not stop it, [`Running::shutdown`] does.
pub struct Running {
    pub ctx: Arc<Ctx>,
    pub web_addr: SocketAddr,
    /// `/metrics`'s own listener, when `TICKETBOOTH_METRICS_BIND` is set.
    pub metrics_addr: Option<SocketAddr>,
    shutdown: CancellationToken,
    fatal: mpsc::UnboundedReceiver<anyhow::Error>,
    shard_tasks: TaskTracker,
    web: tokio::task::JoinHandle<()>,
    /// Sessions of the shards closed resumably, saved once shutdown has finished its work.
    closed_sessions: Arc<Mutex<Vec<GatewaySession>>>,
}

impl Running {
    /// Resolves when a shard fails in a way that cannot be retried (a bad token, refused intents).
    pub async fn fatal_error(&mut self) -> anyhow::Error {
        match self.fatal.recv().await {
            Some(error) => error,
            None => std::future::pending().await,
        }
    }

    /// Closes the shards so their sessions can be resumed, lets in-flight handlers finish
    /// (up to `grace`), saves the sessions for the next process, and stops the web server.
    ///
    /// The sessions are saved only when every handler and the worker finished: a resumed
    /// session brings no GUILD_CREATE, so the next process would not run the start-up repair
    /// that work cut off half-way needs. Without them it identifies, as after a crash.
    pub async fn shutdown(self, grace: Duration) {
        tracing::info!("shutting down: closing shards, letting handlers finish");
        self.shutdown.cancel();
        self.shard_tasks.close();
        let shards_done = tokio::time::timeout(grace, self.shard_tasks.wait())
            .await
            .is_ok();
        self.ctx.tasks.close();
        let handlers_done = tokio::time::timeout(grace, self.ctx.tasks.wait())
            .await
            .is_ok();
        if !handlers_done {
            tracing::warn!(
                remaining = self.ctx.tasks.len(),
                "handlers still running after the grace period"
            );
        }
        let sessions = std::mem::take(&mut *self.closed_sessions.lock().expect("sessions"));
        if shards_done && handlers_done {
            save_sessions(self.ctx.store.as_ref(), sessions).await;
        } else if !sessions.is_empty() {
            tracing::warn!(
                "gateway sessions not saved, as work was cut off: the next start identifies \
                 afresh and repairs from what Discord reports"
            );
        }
        let _ = self.web.await;
        tracing::info!("stopped");
    }
}

/// How long after shutdown a saved session is still worth resuming. Discord keeps a session
/// that was closed without 1000/1001 resumable for "a few minutes", without a figure; two
/// minutes covers a deploy or a restart. Past it, resuming would most likely be refused (one
/// wasted round trip before identifying), and after a longer outage identifying is better
/// anyway: its GUILD_CREATEs drive the start-up repair, which a resume does not get.
pub const RESUMABLE_FOR: Duration = Duration::from_secs(120);

/// Saves the sessions the shards closed with; a failure only costs the next process its resume.
async fn save_sessions(store: &dyn Store, sessions: Vec<GatewaySession>) {
    for session in sessions {
        let shard = session.shard_id;
        match store.save_gateway_session(&session).await {
            Ok(()) => tracing::info!(
                shard,
                sequence = session.sequence,
                "gateway session saved for the next start to resume"
            ),
            Err(error) => tracing::warn!(
                shard,
                error = &error as &dyn std::error::Error,
                "could not save the gateway session; the next start identifies afresh"
            ),
        }
    }
}

/// The shard's configuration: `base`, resuming the session a previous process saved for this
/// shard if there is one young enough. A session Discord no longer knows costs one INVALID_SESSION,
/// after which twilight identifies.
async fn shard_config_for(
    store: &dyn Store,
    base: &ShardConfig<InMemoryQueue>,
    id: ShardId,
) -> ShardConfig<InMemoryQueue> {
    let bound = chrono::Duration::from_std(RESUMABLE_FOR).expect("a small duration");
    let taken = store
        .take_gateway_session(id.number(), id.total(), chrono::Utc::now() - bound)
        .await;
    let saved = match taken {
        Ok(Some(saved)) => saved,
        Ok(None) => {
            tracing::info!(shard = id.number(), "no saved gateway session; identifying");
            return base.clone();
        }
        Err(error) => {
            tracing::warn!(
                shard = id.number(),
                error = &error as &dyn std::error::Error,
                "could not read the saved gateway session; identifying"
            );
            return base.clone();
        }
    };
    tracing::info!(
        shard = id.number(),
        sequence = saved.sequence,
        saved_at = %saved.saved_at,
        "resuming the gateway session saved at the last shutdown"
    );
    let mut builder =
        ConfigBuilder::from(base.clone()).session(Session::new(saved.sequence, saved.session_id));
    if let Some(url) = saved.resume_url {
        builder = builder.resume_url(url);
    }
    builder.build()
}

/// Starts the bot: migrates the store, registers commands, connects the shards, serves the web.
pub async fn start(config: Config) -> anyhow::Result<Running> {
    // twilight builds a TLS configuration even for ws:// and http://; it needs a provider.
    let _ = rustls::crypto::ring::default_provider().install_default();

    let Some(token) = config.token.clone() else {
        bail!(
            "DISCORD_TOKEN is not set: create a bot in the Discord developer portal and set its token, or try `ticketbooth sandbox` which needs none"
        );
    };

    let store = ticketbooth_store::connect(&config.database_url)
        .await
        .context("cannot open the database")?;
    store
        .migrate()
        .await
        .context("cannot migrate the database")?;

    let http = Arc::new(http_client(&config, &token)?);
    // Created before the first call, so start-up's calls are counted too.
    let metrics = Arc::new(crate::metrics::Metrics::default());
    let me = rest::send(&http, &metrics, http.current_user())
        .await
        .context("cannot reach Discord with this token (GET /users/@me)")?
        .model()
        .await
        .context("Discord's answer to GET /users/@me was not understood")?;
    let application = rest::send(&http, &metrics, http.current_user_application())
        .await
        .context("cannot read the application (GET /applications/@me)")?
        .model()
        .await
        .context("Discord's answer to GET /applications/@me was not understood")?;
    tracing::info!(bot = %me.name, bot_id = %me.id, application_id = %application.id, "logged in");

    crate::registration::register_global(&http, &metrics, application.id).await?;

    let gateway = rest::send(&http, &metrics, http.gateway().authed())
        .await
        .context("cannot ask Discord for the gateway (GET /gateway/bot)")?
        .model()
        .await
        .context("Discord's answer to GET /gateway/bot was not understood")?;
    let total = config.shard_total.unwrap_or(gateway.shards.max(1));
    let range = config
        .shard_range
        .map(|r| r.start..r.end)
        .unwrap_or(0..total);
    if range.end > total {
        bail!(
            "the configured shards {}..{} do not fit in {total} shards",
            range.start,
            range.end
        );
    }
    let gateway_url = config
        .gateway_url
        .clone()
        .unwrap_or_else(|| gateway.url.trim_end_matches('/').to_owned());
    let limit = &gateway.session_start_limit;
    let queue = InMemoryQueue::new(
        limit.max_concurrency.max(1),
        limit.remaining,
        Duration::from_millis(limit.reset_after),
        limit.total,
    );
    let shard_config: ShardConfig<InMemoryQueue> =
        ConfigBuilder::new(token.expose().to_owned(), intents(&config))
            .proxy_url(gateway_url.clone())
            .queue(queue)
            .build();

    let shutdown = CancellationToken::new();
    let health = Arc::new(Health::default());
    health.track(range.clone());
    let links = link_signer(&config);
    let ctx = Arc::new(Ctx {
        http,
        store: store.clone(),
        application_id: application.id,
        bot_user_id: me.id,
        health: health.clone(),
        tasks: TaskTracker::new(),
        config: config.clone(),
        metrics: metrics.clone(),
        links: links.clone(),
        guild_locks: Default::default(),
        guild_names: Default::default(),
        shutdown: shutdown.clone(),
    });
    let (addrs, web) = web::serve(
        config.bind,
        config.metrics_bind,
        WebState {
            health: health.clone(),
            store,
            metrics,
            links,
        },
        shutdown.clone(),
    )
    .await?;
    let web_addr = addrs.public;
    let metrics_addr = addrs.metrics;
    tracing::info!(address = %web_addr, metrics = ?metrics_addr, "web server listening");

    let (fatal_tx, fatal) = mpsc::unbounded_channel();
    let shard_tasks = TaskTracker::new();
    let closed_sessions = Arc::new(Mutex::new(Vec::new()));
    shard_tasks.spawn(crate::tickets::worker::run(ctx.clone(), shutdown.clone()));
    tracing::info!(shards = ?range, total, gateway = %gateway_url, "connecting to the gateway");
    for index in range {
        let id = ShardId::new(index, total);
        let config = shard_config_for(ctx.store.as_ref(), &shard_config, id).await;
        let shard = Shard::with_config(id, config);
        shard_tasks.spawn(run_shard(
            ctx.clone(),
            shard,
            shutdown.clone(),
            fatal_tx.clone(),
            closed_sessions.clone(),
        ));
    }

    Ok(Running {
        ctx,
        web_addr,
        metrics_addr,
        shutdown,
        fatal,
        shard_tasks,
        web,
        closed_sessions,
    })
}

/// The transcript-link signer: the configured secret, or a random one that dies with the process.
fn link_signer(config: &Config) -> ticketbooth_transcript::LinkSigner {
    match &config.link_secret {
        Some(secret) => ticketbooth_transcript::LinkSigner::new(secret.expose().as_bytes()),
        None => {
            if config.public_url.is_some() {
                tracing::warn!(
                    "TICKETBOOTH_LINK_SECRET is not set: transcript links stop working when this process restarts"
                );
            }
            ticketbooth_transcript::LinkSigner::new(&rand::random::<[u8; 32]>())
        }
    }
}

/// Runs the bot until Ctrl-C or SIGTERM, or until a shard fails for good.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let mut running = start(config).await?;
    tokio::select! {
        () = shutdown_signal() => {
            running.shutdown(Duration::from_secs(20)).await;
            Ok(())
        }
        error = running.fatal_error() => {
            running.shutdown(Duration::from_secs(5)).await;
            Err(error)
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// How long a closing shard waits for the gateway's answering close frame.
const CLOSE_HANDSHAKE_WAIT: Duration = Duration::from_secs(2);

/// Reads one shard's events until shutdown, handing each to its own task; at shutdown, puts
/// the session it closed resumably in `closed`.
async fn run_shard(
    ctx: Arc<Ctx>,
    shard: Shard<InMemoryQueue>,
    shutdown: CancellationToken,
    fatal: mpsc::UnboundedSender<anyhow::Error>,
    closed: Arc<Mutex<Vec<GatewaySession>>>,
) {
    let shard_id = shard.id().number();
    let (messages, queued) = mpsc::unbounded_channel();
    tokio::join!(
        receive_events(ctx.clone(), shard, shutdown, fatal, closed, messages),
        handle_messages_in_order(ctx, queued, shard_id),
    );
}

/// A shard's message events (created, edited, deleted), handled one after another in the order
/// the gateway sent them, so that an edit or a deletion is never recorded before the message
/// itself (each other event runs as a task of its own). Ends once the shard's loop has ended
/// and everything it queued is handled.
async fn handle_messages_in_order(
    ctx: Arc<Ctx>,
    mut queued: mpsc::UnboundedReceiver<Event>,
    shard_id: u32,
) {
    while let Some(event) = queued.recv().await {
        crate::events::handle(ctx.clone(), event, shard_id).await;
    }
}

/// The shard's event loop: message events go to `messages`, every other event is spawned.
async fn receive_events(
    ctx: Arc<Ctx>,
    mut shard: Shard<InMemoryQueue>,
    shutdown: CancellationToken,
    fatal: mpsc::UnboundedSender<anyhow::Error>,
    closed: Arc<Mutex<Vec<GatewaySession>>>,
    messages: mpsc::UnboundedSender<Event>,
) {
    let shard_id = shard.id().number();
    // Set when the shard starts with a saved session, so READY can say it was refused.
    let mut resuming_saved = shard.session().is_some();
    // Whether the events arriving now may be a resume's replay (until RESUMED, or READY when
    // the resume was refused): only those are checked for interactions too old to answer.
    let mut replaying = resuming_saved;
    let mut closing = false;
    loop {
        let item = tokio::select! {
            item = shard.next_event(EventTypeFlags::all()) => item,
            () = shutdown.cancelled(), if !closing => {
                closing = true;
                // Close code 4000 keeps the session resumable.
                shard.close(CloseFrame::RESUME);
                continue;
            }
            // A gateway that never completes the closing handshake must not hold shutdown up.
            () = tokio::time::sleep(CLOSE_HANDSHAKE_WAIT), if closing => break,
        };
        let Some(item) = item else {
            break;
        };
        let event = match item {
            Ok(event) => event,
            Err(error) => {
                tracing::warn!(
                    shard = shard_id,
                    error = &error as &dyn std::error::Error,
                    "gateway error"
                );
                continue;
            }
        };
        match &event {
            Event::GatewayClose(frame) => {
                ctx.health.set_connected(shard_id, false);
                if closing {
                    break;
                }
                let code = frame.as_ref().map(|f| f.code);
                if let Some(explanation) = code.and_then(fatal_close_explanation) {
                    tracing::error!(shard = shard_id, code, "{explanation}");
                    let _ = fatal.send(anyhow::anyhow!("{explanation}"));
                    break;
                }
                tracing::info!(
                    shard = shard_id,
                    code,
                    "gateway connection closed; reconnecting"
                );
                replaying = shard.session().is_some();
                continue;
            }
            Event::Ready(ready) => {
                replaying = false;
                ctx.health.set_connected(shard_id, true);
                if std::mem::take(&mut resuming_saved) {
                    tracing::info!(
                        shard = shard_id,
                        "Discord refused the saved session; identified afresh"
                    );
                }
                tracing::info!(shard = shard_id, guilds = ready.guilds.len(), "shard ready");
            }
            Event::Resumed if closing => break,
            Event::Resumed => {
                replaying = false;
                ctx.health.set_connected(shard_id, true);
                if std::mem::take(&mut resuming_saved) {
                    tracing::info!(shard = shard_id, "resumed the saved session");
                }
                tracing::info!(shard = shard_id, "shard resumed");
            }
            event if replaying && unanswerable_interaction(event, chrono::Utc::now()) => {
                tracing::info!(
                    shard = shard_id,
                    "interaction replayed after Discord's time to answer it; ignored (its user \
                     saw it fail and can try again)"
                );
                continue;
            }
            _ => {}
        }
        if matches!(
            event,
            Event::MessageCreate(_)
                | Event::MessageUpdate(_)
                | Event::MessageDelete(_)
                | Event::MessageDeleteBulk(_)
        ) {
            // The receiving end lives until this loop ends.
            let _ = messages.send(event);
            continue;
        }
        let ctx = ctx.clone();
        ctx.tasks
            .clone()
            .spawn(crate::events::handle(ctx, event, shard_id));
    }
    // twilight keeps the session through a close with a code other than 1000/1001, and its
    // sequence is that of the last event this loop received (handled, or dropped on purpose):
    // a resume from it replays exactly what this process never saw.
    if closing && let Some(session) = shard.session() {
        closed.lock().expect("sessions").push(GatewaySession {
            shard_id,
            shard_total: shard.id().total(),
            session_id: session.id().to_owned(),
            sequence: session.sequence(),
            resume_url: shard.resume_url().map(str::to_owned),
            saved_at: chrono::Utc::now(),
        });
    }
}

/// How long Discord accepts an interaction's first response.
const INTERACTION_WINDOW: chrono::Duration = chrono::Duration::seconds(3);

/// Discord's epoch (2015-01-01) in Unix milliseconds: a snowflake's top 42 bits count from it.
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

/// Whether `event` is an interaction created longer ago than Discord's window for answering it.
/// A resume replays interactions sent while no process listened; acting on one then would
/// change a ticket with the answer (and the pings it carries) refused, after its user was told
/// it failed. Judged by this machine's clock against the id's time, so it is applied to replays
/// only: a clock that runs ahead never turns away live interactions.
fn unanswerable_interaction(event: &Event, now: chrono::DateTime<chrono::Utc>) -> bool {
    match event {
        Event::InteractionCreate(interaction) => too_old_to_answer(interaction.id.get(), now),
        _ => false,
    }
}

/// Whether the interaction with snowflake `id` is past Discord's window for a first response.
fn too_old_to_answer(id: u64, now: chrono::DateTime<chrono::Utc>) -> bool {
    // The top 42 bits: milliseconds since Discord's epoch, so the cast is lossless.
    let created_ms = DISCORD_EPOCH_MS + (id >> 22) as i64;
    now.timestamp_millis() - created_ms > INTERACTION_WINDOW.num_milliseconds()
}

/// Close codes after which reconnecting cannot help, in words an admin can act on.
fn fatal_close_explanation(code: u16) -> Option<&'static str> {
    Some(match code {
        4004 => {
            "Discord refused the token (close code 4004): check DISCORD_TOKEN in the developer portal under Bot → Reset Token"
        }
        4010 => {
            "Discord refused the shard settings (close code 4010): check TICKETBOOTH_SHARDS and TICKETBOOTH_SHARD_TOTAL"
        }
        4011 => {
            "Discord requires sharding for this bot (close code 4011): set TICKETBOOTH_SHARD_TOTAL or leave it to Discord's recommendation"
        }
        4012 => "Discord refused the gateway version (close code 4012)",
        4013 => "Discord refused the intents as invalid (close code 4013)",
        4014 => {
            "Discord refused a privileged intent (close code 4014): enable \"Message Content Intent\" in the developer portal under Bot → Privileged Gateway Intents, or set TICKETBOOTH_MESSAGE_CONTENT=false (transcripts will then miss message text)"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privileged_intent_refusal_is_explained() {
        let text = fatal_close_explanation(4014).unwrap();
        assert!(text.contains("Message Content"));
        assert!(fatal_close_explanation(4000).is_none());
        assert!(fatal_close_explanation(1000).is_none());
    }

    #[test]
    fn interactions_older_than_three_seconds_cannot_be_answered() {
        // 2024-01-01T00:00:00Z as a snowflake.
        let created = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let id = ((created.timestamp_millis() - DISCORD_EPOCH_MS) as u64) << 22 | 0x3ff_fff;
        let after = |ms| created + chrono::Duration::milliseconds(ms);
        assert!(!too_old_to_answer(id, after(-5_000)), "a clock behind");
        assert!(!too_old_to_answer(id, after(0)));
        assert!(!too_old_to_answer(id, after(3_000)));
        assert!(too_old_to_answer(id, after(3_001)));
        assert!(too_old_to_answer(id, after(600_000)));
    }

    #[test]
    fn message_content_is_optional() {
        let mut config = Config::default();
        assert!(intents(&config).contains(Intents::MESSAGE_CONTENT));
        config.message_content = false;
        assert!(!intents(&config).contains(Intents::MESSAGE_CONTENT));
        assert!(intents(&config).contains(Intents::GUILDS));
    }
}
