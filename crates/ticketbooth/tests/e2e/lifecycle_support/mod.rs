//! Shared set-up for the lifecycle end-to-end tests: a sandbox with staff roles and a short
//! closing delay, a panel the store knows, and helpers to open tickets and read the store.

#![allow(dead_code)]

use std::time::Duration;

use chrono::Utc;
use serde_json::Value;
use ticketbooth::{
    drive,
    sandbox::{Database, Options, Sandbox},
};
use ticketbooth_core::{
    ClosingMode, GuildSettings, Language, Snowflake, Ticket, custom_id::CustomId, i18n,
    views as core_views,
};
use ticketbooth_sim::{Interaction, Message, RequestRecord, Sim};
use ticketbooth_store::{Job, NewPanel, Store};
use twilight_model::id::Id;

/// How long the tests wait for effects the bot performs after answering: a bound for a busy
/// machine, not a pace, since every wait returns as soon as the effect is there.
pub const WAIT: Duration = Duration::from_secs(30);

/// The closing delay the tests use where the seed's 5 seconds is not the point.
pub const SHORT_DELAY_SECS: u32 = 1;

/// Starts a sandbox whose server has the Staff role as staff and a one-second closing delay.
pub async fn start(database: Database) -> Sandbox {
    start_with(Options {
        database,
        ..Options::default()
    })
    .await
}

/// [`start`] with the sandbox's options.
pub async fn start_with(options: Options) -> Sandbox {
    let sandbox = Sandbox::start(options).await.expect("the sandbox starts");
    let staff_role = sandbox.demo.staff_role;
    configure(&sandbox, |s| {
        s.staff_roles = vec![staff_role];
        s.closing = ClosingMode::Delete {
            after_secs: SHORT_DELAY_SECS,
        };
    })
    .await;
    sandbox
}

/// The bot's store.
pub fn store(sandbox: &Sandbox) -> &dyn Store {
    sandbox.bot.ctx.store.as_ref()
}

/// Changes the demo server's settings in the store.
pub async fn configure(sandbox: &Sandbox, change: impl FnOnce(&mut GuildSettings)) {
    let store = store(sandbox);
    let mut settings = store.guild_settings(sandbox.demo.guild).await.unwrap();
    change(&mut settings);
    store.save_guild_settings(&settings).await.unwrap();
}

/// A panel message in #support, known to the store, as the hub would post it.
#[derive(Debug, Clone)]
pub struct PanelMessage {
    pub channel_id: u64,
    pub message_id: u64,
    pub custom_id: String,
}

/// Posts a panel in #support through the bot's own REST client (counted in its metrics like
/// the bot's own calls) and records it in the store.
pub async fn post_panel(sandbox: &Sandbox) -> PanelMessage {
    let ctx = &sandbox.bot.ctx;
    let channel_id = sandbox.demo.support;
    let mut panel = ctx
        .store
        .insert_panel(NewPanel {
            guild_id: sandbox.demo.guild,
            channel_id,
            message_id: 0,
            title: "Need a hand?".into(),
            description: "Open a private ticket.".into(),
            footer: String::new(),
            created_at: Utc::now(),
        })
        .await
        .unwrap();
    let view = core_views::panel(&panel, Language::En);
    let message = ctx
        .send(
            ctx.http
                .create_message(Id::new(channel_id))
                .embeds(&view.embeds)
                .components(&view.components),
        )
        .await
        .expect("the bot posts the panel")
        .model()
        .await
        .unwrap();
    panel.message_id = message.id.get();
    ctx.store.update_panel(&panel).await.unwrap();
    PanelMessage {
        channel_id,
        message_id: panel.message_id,
        custom_id: CustomId::OpenTicket { panel_id: panel.id }.encode(),
    }
}

/// Clicks the panel's button as `user` and waits for the answer within Discord's window.
pub async fn click_panel(sim: &Sim, panel: &PanelMessage, user: u64) -> Interaction {
    let interaction = sim
        .as_user(user)
        .click(panel.channel_id, panel.message_id, &panel.custom_id)
        .expect("the member can click the panel");
    drive::acked(&interaction).await.expect("answered in time");
    interaction
}

/// Discord's flag on a deferred response still "thinking".
const LOADING: u64 = 128;

/// The message an interaction was answered with (after any deferral's edit).
pub async fn reply_of(interaction: &Interaction) -> Message {
    drive::eventually("a final reply", WAIT, || {
        interaction.original().filter(|m| m.flags & LOADING == 0)
    })
    .await
    .expect("the bot replied")
}

/// Opens a ticket for `user` from `panel` and returns it once its channel is recorded.
pub async fn open_ticket(sandbox: &Sandbox, panel: &PanelMessage, user: u64) -> Ticket {
    let interaction = click_panel(&sandbox.sim, panel, user).await;
    reply_of(&interaction).await;
    open_ticket_of(sandbox, user).await
}

/// The member's open ticket, once it has a channel.
pub async fn open_ticket_of(sandbox: &Sandbox, user: u64) -> Ticket {
    let store = store(sandbox);
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let open = store
            .member_open_tickets(sandbox.demo.guild, user)
            .await
            .unwrap();
        if let Some(ticket) = open.into_iter().find(|t| t.channel_id.is_some()) {
            return ticket;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no ticket opened for {user}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until the stored ticket satisfies `check`.
pub async fn ticket_until(
    store: &dyn Store,
    id: i64,
    what: &str,
    check: impl Fn(&Ticket) -> bool,
) -> Ticket {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let ticket = store.ticket(id).await.unwrap().expect("the ticket exists");
        if check(&ticket) {
            return ticket;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}: {ticket:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The message in `channel` carrying a component `matches` accepts, with its raw custom id.
pub async fn button(
    sim: &Sim,
    channel: u64,
    matches: impl Fn(&CustomId) -> bool,
) -> (Message, String) {
    drive::eventually("a button", WAIT, || {
        drive::find(&sim.messages(channel), &matches)
    })
    .await
    .expect("the button is there")
}

/// Clicks the first button in `channel` that `matches` accepts, as `user`.
pub async fn press(
    sim: &Sim,
    user: u64,
    channel: u64,
    matches: impl Fn(&CustomId) -> bool,
) -> Interaction {
    let (message, raw) = button(sim, channel, matches).await;
    let interaction = sim
        .as_user(user)
        .click(channel, message.id, &raw)
        .expect("the user can click");
    drive::acked(&interaction).await.expect("answered in time");
    interaction
}

/// Runs a slash command and waits for the answer within Discord's window.
pub async fn command(
    sim: &Sim,
    guild: u64,
    user: u64,
    channel: u64,
    name: &str,
    options: Value,
) -> Interaction {
    let interaction = sim
        .as_user(user)
        .slash_command(guild, channel, name, options)
        .expect("the command is delivered");
    drive::acked(&interaction).await.expect("answered in time");
    interaction
}

/// The catalog's text for `msg` in `lang`, so tests compare with what the bot must say.
pub fn say(lang: Language, msg: &i18n::Msg) -> String {
    i18n::text(lang, msg)
}

/// The requests logged since `from`.
pub fn requests_since(sim: &Sim, from: usize) -> Vec<RequestRecord> {
    sim.requests().into_iter().skip(from).collect()
}

/// Fails the test when the bot hit a route the simulator does not implement.
pub fn assert_no_unimplemented(sim: &Sim) {
    let missing = sim.unimplemented();
    assert!(missing.is_empty(), "unimplemented routes hit: {missing:?}");
}

/// Ids of the buttons and selects on a message.
pub fn ids_on(message: &Message) -> Vec<CustomId> {
    drive::components(message)
        .into_iter()
        .map(|(_, id)| id)
        .collect()
}

/// Whether `user` can view `channel` in the simulator.
pub fn can_view(sim: &Sim, channel: Snowflake, user: u64) -> bool {
    const VIEW_CHANNEL: u64 = 1 << 10;
    sim.permissions(channel, user) & VIEW_CHANNEL != 0
}

/// Waits until no job is pending for the ticket and the bot has no handler running.
pub async fn jobs_done(sandbox: &Sandbox, ticket_id: i64) {
    let store = store(sandbox);
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut quiet = 0;
    while quiet < 10 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the ticket's jobs never finished"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
        let idle = store
            .pending_jobs_for_ticket(ticket_id)
            .await
            .unwrap()
            .is_empty()
            && sandbox.bot.ctx.tasks.is_empty();
        quiet = if idle { quiet + 1 } else { 0 };
    }
}

/// The ticket's one pending job, once `check` accepts it.
pub async fn job_until(
    store: &dyn Store,
    ticket_id: i64,
    within: Duration,
    what: &str,
    check: impl Fn(&Job) -> bool,
) -> Job {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let jobs = store.pending_jobs_for_ticket(ticket_id).await.unwrap();
        if let [job] = jobs.as_slice()
            && check(job)
        {
            return job.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}: {jobs:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until the bot has had no handler running for a while (ten looks in a row), so that
/// whatever an event it received would do is done.
pub async fn handlers_idle(bot: &ticketbooth_bot::app::Running) {
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut quiet = 0;
    while quiet < 10 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the bot's handlers never went idle"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
        quiet = if bot.ctx.tasks.is_empty() {
            quiet + 1
        } else {
            0
        };
    }
}

/// A text channel for the bot's log, set as the server's log channel.
pub async fn with_log_channel(sandbox: &Sandbox) -> u64 {
    let log = sandbox
        .sim
        .create_channel(sandbox.demo.guild, "ticket-log", 0, None, &[])
        .expect("the log channel is created");
    configure(sandbox, |s| s.log_channel = Some(log)).await;
    log
}

/// Presses 🔒 Close as `user`, checks the confirmation is shown to them alone, and answers it
/// with "Yes, close it"; returns the confirming interaction (answered with the closing message).
pub async fn close_and_confirm(sim: &Sim, user: u64, channel: u64) -> Interaction {
    let close = press(sim, user, channel, |id| {
        matches!(id, CustomId::Close { .. })
    })
    .await;
    let prompt = reply_of(&close).await;
    assert_eq!(
        prompt.ephemeral_to,
        Some(user),
        "the confirmation is private"
    );
    let (raw, _) = drive::components(&prompt)
        .into_iter()
        .find(|(_, id)| matches!(id, CustomId::CloseConfirm { .. }))
        .expect("the confirmation has \"Yes, close it\"");
    let confirm = sim
        .as_user(user)
        .click(channel, prompt.id, &raw)
        .expect("the user can confirm");
    drive::acked(&confirm).await.expect("answered in time");
    confirm
}

/// Records the whole channel so far as a capture gap, as a bot that identified afresh after
/// missing it would: the capture must then read the history.
pub async fn unseen_part(
    store: &dyn ticketbooth_store::Store,
    sim: &Sim,
    ticket_id: i64,
    channel: u64,
) {
    let last = sim
        .channel(channel)
        .and_then(|c| c.last_message_id)
        .expect("the channel has messages");
    store
        .add_capture_gap(
            ticket_id,
            ticketbooth_store::CaptureGap {
                after_id: channel,
                until_id: last,
            },
        )
        .await
        .unwrap();
}
