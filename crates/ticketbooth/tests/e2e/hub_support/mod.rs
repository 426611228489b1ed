//! Shared set-up for the hub's end-to-end tests: a sandbox, a simulated member who opens
//! `/ticket` and clicks through the hub message, and readers for what the hub shows.

#![allow(dead_code)]

use std::time::Duration;

use serde_json::Value;
use ticketbooth::{
    drive,
    sandbox::{Database, Options, Sandbox},
};
use ticketbooth_core::{
    GuildSettings, Language,
    custom_id::{CustomId, HubId},
    i18n::{self, Msg},
};
use ticketbooth_sim::{Interaction, Message, Sim};
use ticketbooth_store::Store;

/// How long the tests wait for effects the bot performs after answering: a bound for a busy
/// machine, not a pace, since every wait returns as soon as the effect is there.
pub const WAIT: Duration = Duration::from_secs(30);

/// Discord's flag on a deferred response still "thinking".
const LOADING: u64 = 128;

/// Starts a sandbox on `database`.
pub async fn start(database: Database) -> Sandbox {
    Sandbox::start(Options {
        database,
        ..Options::default()
    })
    .await
    .expect("the sandbox starts")
}

/// The bot's store.
pub fn store(sandbox: &Sandbox) -> &dyn Store {
    sandbox.bot.ctx.store.as_ref()
}

/// The demo server's settings as stored.
pub async fn settings(sandbox: &Sandbox) -> GuildSettings {
    store(sandbox)
        .guild_settings(sandbox.demo.guild)
        .await
        .expect("settings load")
}

/// Changes the demo server's settings in the store directly (set-up, not the thing tested).
pub async fn configure(sandbox: &Sandbox, change: impl FnOnce(&mut GuildSettings)) {
    let mut s = settings(sandbox).await;
    change(&mut s);
    store(sandbox).save_guild_settings(&s).await.unwrap();
}

/// The English catalog text of `msg`.
pub fn say(msg: &Msg) -> String {
    i18n::text(Language::En, msg)
}

/// One user's hub: the ephemeral message `/ticket` answered with, in one channel.
pub struct Hub<'a> {
    pub sim: &'a Sim,
    pub user: u64,
    pub channel: u64,
    pub message_id: u64,
}

impl<'a> Hub<'a> {
    /// Runs `/ticket` as `user` in `channel` and returns the hub it shows.
    pub async fn open(sim: &'a Sim, guild: u64, user: u64, channel: u64) -> Hub<'a> {
        let interaction = sim
            .as_user(user)
            .slash_command(guild, channel, "ticket", Value::Null)
            .expect("the command is delivered");
        drive::acked(&interaction).await.expect("answered in time");
        let message = drive::eventually("the hub", WAIT, || {
            interaction.original().filter(|m| m.flags & LOADING == 0)
        })
        .await
        .expect("the hub is shown");
        Hub {
            sim,
            user,
            channel,
            message_id: message.id,
        }
    }

    /// The hub message as the user now sees it.
    pub fn message(&self) -> Message {
        self.sim
            .ephemeral_for(self.user)
            .into_iter()
            .find(|m| m.id == self.message_id)
            .expect("the hub message is still there")
    }

    /// Its text (content and embeds).
    pub fn text(&self) -> String {
        drive::text_of(&self.message())
    }

    /// The hub ids of the components on the hub message.
    pub fn ids(&self) -> Vec<HubId> {
        drive::components(&self.message())
            .into_iter()
            .filter_map(|(_, id)| match id {
                CustomId::Hub(hub) => Some(hub),
                _ => None,
            })
            .collect()
    }

    /// Clicks a hub button; panics when the hub does not show it.
    pub async fn click(&self, id: HubId) -> Interaction {
        assert!(
            self.ids().contains(&id),
            "{id:?} is not on the hub: {:?}",
            self.ids()
        );
        drive::click(
            &self.sim.as_user(self.user),
            self.channel,
            self.message_id,
            CustomId::Hub(id),
        )
        .await
        .expect("the click is answered")
    }

    /// Picks `values` in the hub's select `id`.
    pub async fn select(&self, id: HubId, values: &[&str]) -> Interaction {
        let interaction = self
            .sim
            .as_user(self.user)
            .select(
                self.channel,
                self.message_id,
                &CustomId::Hub(id).encode(),
                values,
            )
            .expect("the select is on the hub");
        drive::acked(&interaction).await.expect("answered in time");
        interaction
    }

    /// Clicks `id` (or picks `values` in it), expects a modal, and submits `fields`.
    pub async fn modal(&self, opener: Interaction, fields: &[(&str, &str)]) -> Interaction {
        let ack = drive::acked(&opener).await.expect("answered in time");
        assert_eq!(ack.kind, 9, "a modal was expected, got {:?}", ack.data);
        let submitted = self
            .sim
            .as_user(self.user)
            .submit_modal(&opener, fields)
            .expect("the modal is submitted");
        drive::acked(&submitted).await.expect("answered in time");
        submitted
    }

    /// Waits until the hub's text contains `expected`.
    pub async fn shows(&self, expected: &str) {
        let found = drive::eventually(&format!("the hub to show {expected:?}"), WAIT, || {
            let text = self.text();
            text.contains(expected).then_some(text)
        })
        .await;
        if found.is_err() {
            panic!(
                "the hub never showed {expected:?}; it shows:\n{}",
                self.text()
            );
        }
    }
}

/// The ephemeral reply to an interaction that did not edit the hub (refusals, expired menus).
pub async fn reply_text(interaction: &Interaction) -> String {
    let message = drive::eventually("a reply", WAIT, || {
        interaction
            .responses()
            .into_iter()
            .chain(interaction.original())
            .find(|m| m.flags & LOADING == 0 && !drive::text_of(m).is_empty())
    })
    .await
    .expect("the bot replied");
    drive::text_of(&message)
}

/// The messages the bot posted in `channel`.
pub fn bot_messages(sim: &Sim, channel: u64) -> Vec<Message> {
    sim.messages(channel)
        .into_iter()
        .filter(|m| m.author_id == sim.bot_user_id())
        .collect()
}

/// Whether `user` can view `channel` in the simulator.
pub fn can_view(sim: &Sim, channel: u64, user: u64) -> bool {
    const VIEW_CHANNEL: u64 = 1 << 10;
    sim.permissions(channel, user) & VIEW_CHANNEL != 0
}

/// Posts a panel in `channel` through the hub (Setup → Message → channel → modal) and returns
/// the panel message once it is there.
pub async fn post_panel_via_hub(hub: &Hub<'_>, channel: u64, title: &str) -> Message {
    if !hub.ids().contains(&HubId::Panel) {
        hub.click(HubId::Setup).await;
    }
    hub.click(HubId::Panel).await;
    let picked = hub
        .select(HubId::PanelChannelSelect, &[&channel.to_string()])
        .await;
    hub.modal(
        picked,
        &[
            (ticketbooth_core::custom_id::InputId::Title.as_str(), title),
            (
                ticketbooth_core::custom_id::InputId::Description.as_str(),
                "Open a private ticket.",
            ),
            (ticketbooth_core::custom_id::InputId::Footer.as_str(), ""),
        ],
    )
    .await;
    hub.shows(&say(&Msg::PanelPosted { channel })).await;
    drive::eventually("the panel message", WAIT, || {
        hub.sim.messages(channel).into_iter().rev().find(|m| {
            drive::components(m)
                .iter()
                .any(|(_, id)| matches!(id, CustomId::OpenTicket { .. }))
        })
    })
    .await
    .expect("the panel is posted")
}

/// A member presses the panel's button (and picks `topic` when topics are offered); returns
/// the ticket once its channel exists.
pub async fn open_ticket(
    sandbox: &Sandbox,
    panel: &Message,
    member: u64,
    topic: Option<i64>,
) -> ticketbooth_core::Ticket {
    let sim = &sandbox.sim;
    let (raw, _) = drive::components(panel)
        .into_iter()
        .find(|(_, id)| matches!(id, CustomId::OpenTicket { .. }))
        .expect("the panel has its button");
    let clicked = sim
        .as_user(member)
        .click(panel.channel_id, panel.id, &raw)
        .expect("the member can click");
    drive::acked(&clicked).await.expect("answered in time");
    if let Some(topic) = topic {
        let chooser = drive::eventually("the topic choice", WAIT, || {
            clicked.original().filter(|m| m.flags & LOADING == 0)
        })
        .await
        .expect("the topic choice is shown");
        let (select_raw, _) = drive::components(&chooser)
            .into_iter()
            .find(|(_, id)| matches!(id, CustomId::PickTopic { .. }))
            .expect("a topic select");
        let picked = sim
            .as_user(member)
            .select(
                panel.channel_id,
                chooser.id,
                &select_raw,
                &[&topic.to_string()],
            )
            .expect("the member can pick");
        drive::acked(&picked).await.expect("answered in time");
    }
    member_ticket(sandbox, member).await
}

/// The member's open ticket, once its channel is recorded.
pub async fn member_ticket(sandbox: &Sandbox, member: u64) -> ticketbooth_core::Ticket {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let tickets = store(sandbox)
            .member_open_tickets(sandbox.demo.guild, member)
            .await
            .expect("tickets load");
        if let Some(ticket) = tickets.into_iter().find(|t| t.channel_id.is_some()) {
            return ticket;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "member {member}'s ticket never opened"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
