//! The lifecycle's smaller promises, end to end on both backends: `/add` and `/remove` agree
//! with Discord (a refusal changes nothing, a retry works); two admins changing different
//! settings at once both keep their change; 🔒 Close asks first (a server setting, on by
//! default) while `/close` closes at once; an admin revokes a ticket's transcript links;
//! `/metrics` on a listener of its own; `config check`'s exit code; the demo's quiet, named
//! walk-through.

use crate::common;
use crate::hub_support::Hub;
use crate::lifecycle_support::*;

use std::{process::Command, time::Duration};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use common::FreshPostgres;
use ticketbooth::{
    demo, drive,
    sandbox::{Database, Options, Sandbox},
};
use ticketbooth_core::{
    ClosingMode, GuildSettings, Language, TicketStatus, WhoMayClose,
    custom_id::{CustomId, HubId, InputId},
    i18n::{LogText, Msg},
    views::values,
};
use ticketbooth_sim::{Overwrite, Sim};

const MANAGE_ROLES: u64 = 1 << 28;

fn user_option(user: u64) -> Value {
    json!([{ "name": "user", "type": 6, "value": user.to_string() }])
}

/// The channel's overwrites with Manage Roles denied to the bot (an admin's doing).
fn without_manage_roles(mut overwrites: Vec<Overwrite>, bot: u64) -> Vec<Overwrite> {
    match overwrites.iter_mut().find(|o| o.kind == 1 && o.id == bot) {
        Some(own) => {
            own.allow &= !MANAGE_ROLES;
            own.deny |= MANAGE_ROLES;
        }
        None => overwrites.push(Overwrite {
            id: bot,
            kind: 1,
            allow: 0,
            deny: MANAGE_ROLES,
        }),
    }
    overwrites
}

/// The text of an interaction's final reply.
async fn reply_text(interaction: &ticketbooth_sim::Interaction) -> (String, Option<u64>) {
    let message = reply_of(interaction).await;
    (drive::text_of(&message), message.ephemeral_to)
}

/// A text channel set as the server's log channel.
async fn with_log_channel(sandbox: &Sandbox) -> u64 {
    let log = sandbox
        .sim
        .create_channel(sandbox.demo.guild, "ticket-log", 0, None, &[])
        .expect("the log channel is created");
    configure(sandbox, |s| s.log_channel = Some(log)).await;
    log
}

/// Waits for a bot message in `channel` whose text contains `expected`.
async fn logged(sim: &Sim, channel: u64, expected: &str) {
    drive::eventually(&format!("a log line with {expected:?}"), WAIT, || {
        sim.messages(channel)
            .into_iter()
            .find(|m| drive::text_of(m).contains(expected))
    })
    .await
    .unwrap_or_else(|_| {
        let lines: Vec<String> = sim.messages(channel).iter().map(drive::text_of).collect();
        panic!("no log line with {expected:?}: {lines:#?}")
    });
}

// ----- 5. /add and /remove agree with Discord -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_member_change_leaves_store_and_discord_as_they_were_on_sqlite() {
    a_refused_member_change_leaves_store_and_discord_as_they_were(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn a_refused_member_change_leaves_store_and_discord_as_they_were_on_postgres() {
    let db = FreshPostgres::create("refused_member_change").await;
    a_refused_member_change_leaves_store_and_discord_as_they_were(db.database()).await;
}

async fn a_refused_member_change_leaves_store_and_discord_as_they_were(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let panel = post_panel(&sandbox).await;
    let ticket = open_ticket(&sandbox, &panel, demo.members[0]).await;
    let channel = ticket.channel_id.unwrap();
    let (guest, newcomer) = (demo.members[1], demo.members[2]);
    let staff_command = |name: &'static str, user: u64| {
        command(
            sim,
            demo.guild,
            demo.staff,
            channel,
            name,
            user_option(user),
        )
    };

    reply_of(&staff_command("add", guest).await).await;
    assert!(can_view(sim, channel, guest));
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().members,
        vec![guest]
    );

    // An admin takes Manage Permissions from the bot in the ticket channel.
    let bot = sim.bot_user_id();
    let before = sim.overwrites(channel);
    sim.set_overwrites(channel, &without_manage_roles(before.clone(), bot))
        .unwrap();
    assert_eq!(sim.permissions(channel, bot) & MANAGE_ROLES, 0);
    let refusal = say(
        Language::En,
        &Msg::BotLacksPermission {
            permission: "Manage Permissions",
            channel,
        },
    );

    // /remove is refused by Discord: the member stays, in the store and in Discord, and the
    // staff member alone is told why.
    let (text, to) = reply_text(&staff_command("remove", guest).await).await;
    assert!(text.contains(&refusal), "{text}");
    assert_eq!(to, Some(demo.staff));
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().members,
        vec![guest]
    );
    assert!(
        can_view(sim, channel, guest),
        "Discord still lets the member in"
    );

    // /add is refused too: the newcomer is in neither.
    let (text, _) = reply_text(&staff_command("add", newcomer).await).await;
    assert!(text.contains(&refusal), "{text}");
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().members,
        vec![guest]
    );
    assert!(!can_view(sim, channel, newcomer));

    // The permission is given back: both retries work.
    sim.set_overwrites(channel, &before).unwrap();
    let (text, _) = reply_text(&staff_command("remove", guest).await).await;
    assert!(
        text.contains(&say(
            Language::En,
            &Msg::MemberRemoved {
                user: guest,
                by: demo.staff
            }
        )),
        "{text}"
    );
    assert!(!can_view(sim, channel, guest));
    let (text, _) = reply_text(&staff_command("add", newcomer).await).await;
    assert!(
        text.contains(&say(
            Language::En,
            &Msg::MemberAdded {
                user: newcomer,
                by: demo.staff
            }
        )),
        "{text}"
    );
    assert!(can_view(sim, channel, newcomer));
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().members,
        vec![newcomer]
    );
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_add_overtaken_by_a_close_is_taken_back_from_discord_on_sqlite() {
    an_add_overtaken_by_a_close_is_taken_back_from_discord(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn an_add_overtaken_by_a_close_is_taken_back_from_discord_on_postgres() {
    let db = FreshPostgres::create("add_overtaken").await;
    an_add_overtaken_by_a_close_is_taken_back_from_discord(db.database()).await;
}

/// Discord is changed first, so a close that lands while Discord is still answering the add
/// makes the store refuse it; the member's overwrite, put by then, is taken back, or the
/// newcomer would see the closed ticket until its channel goes.
async fn an_add_overtaken_by_a_close_is_taken_back_from_discord(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    // Deleted long after the close, which itself leaves the overwrites alone.
    configure(&sandbox, |s| {
        s.closing = ClosingMode::Delete { after_secs: 300 }
    })
    .await;
    let panel = post_panel(&sandbox).await;
    let ticket = open_ticket(&sandbox, &panel, demo.members[0]).await;
    let channel = ticket.channel_id.unwrap();
    let newcomer = demo.members[2];

    // Discord takes 4 s to change an overwrite; the responder defers at 1.5 s, which shows the
    // add is waiting on Discord.
    let slow = sim
        .faults()
        .add(ticketbooth_sim::faults::FaultRule::latency(
            None,
            "/channels/{channel.id}/permissions/{overwrite.id}",
            Duration::from_secs(4),
        ));
    let add = sim
        .as_user(demo.staff)
        .slash_command(demo.guild, channel, "add", user_option(newcomer))
        .expect("the command is delivered");
    let ack = drive::acked(&add).await.unwrap();
    assert_eq!(ack.kind, 5, "the add was deferred while Discord answers");
    let close = command(sim, demo.guild, demo.staff, channel, "close", Value::Null).await;
    reply_of(&close).await;
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().status,
        TicketStatus::Closed
    );

    // (Deferred publicly as a command in a ticket is, so the refusal edits a public reply.)
    let (text, _) = reply_text(&add).await;
    assert!(
        text.contains(&say(
            Language::En,
            &Msg::Refused(ticketbooth_core::authz::Refusal::AlreadyClosed)
        )),
        "{text}"
    );
    sim.faults().remove(slow);
    drive::eventually("the overwrite taken back", WAIT, || {
        (!can_view(sim, channel, newcomer)).then_some(())
    })
    .await
    .expect("the newcomer cannot see the closed ticket");
    assert!(
        !store
            .ticket(ticket.id)
            .await
            .unwrap()
            .unwrap()
            .members
            .contains(&newcomer)
    );
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

// ----- 6. Settings never revert each other -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_admins_changing_different_settings_at_once_both_keep_them_on_sqlite() {
    two_admins_changing_different_settings_at_once_both_keep_them(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn two_admins_changing_different_settings_at_once_both_keep_them_on_postgres() {
    let db = FreshPostgres::create("concurrent_settings").await;
    two_admins_changing_different_settings_at_once_both_keep_them(db.database()).await;
}

async fn two_admins_changing_different_settings_at_once_both_keep_them(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let second_admin = sim.create_user("admin2");
    sim.add_member(demo.guild, second_admin, &[demo.admin_role])
        .unwrap();

    // Through the hub: one admin picks "Staff only", the other Vietnamese, at the same moment.
    let first = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    let second = Hub::open(sim, demo.guild, second_admin, demo.support).await;
    first.click(HubId::Setup).await;
    first.click(HubId::WhoMayClose).await;
    second.click(HubId::Setup).await;
    second.click(HubId::Language).await;
    let pick = |hub: &Hub, id: HubId, value: &str| {
        sim.as_user(hub.user)
            .select(
                hub.channel,
                hub.message_id,
                &CustomId::Hub(id).encode(),
                &[value],
            )
            .expect("the select is on the hub")
    };
    let a = pick(&first, HubId::WhoMayCloseSelect, values::WHO_STAFF_ONLY);
    let b = pick(&second, HubId::LanguageSelect, "vi");
    drive::acked(&a).await.unwrap();
    drive::acked(&b).await.unwrap();
    reply_of(&a).await;
    reply_of(&b).await;
    settings_until(store, demo.guild, "both changes kept", |s| {
        s.who_may_close == WhoMayClose::StaffOnly && s.language == Language::Vi
    })
    .await;

    // Straight at the store, many rounds of two writers racing on different settings.
    let guild = demo.guild;
    for round in 0..20u32 {
        let limits = move |s: &mut GuildSettings| s.max_open_total = 100 + round;
        let welcome = move |s: &mut GuildSettings| s.response_time = format!("round {round}");
        let (x, y) = tokio::join!(
            store.update_guild_settings(guild, &limits),
            store.update_guild_settings(guild, &welcome),
        );
        x.unwrap();
        y.unwrap();
        let now = store.guild_settings(guild).await.unwrap();
        assert_eq!(now.max_open_total, 100 + round, "round {round}: {now:?}");
        assert_eq!(now.response_time, format!("round {round}"), "round {round}");
    }
    // Neither race touched what it did not change.
    let now = store.guild_settings(guild).await.unwrap();
    assert_eq!(now.who_may_close, WhoMayClose::StaffOnly);
    assert_eq!(now.language, Language::Vi);
    sandbox.stop().await;
}

/// Waits until the stored settings satisfy `check`.
async fn settings_until(
    store: &dyn ticketbooth_store::Store,
    guild: u64,
    what: &str,
    check: impl Fn(&GuildSettings) -> bool,
) -> GuildSettings {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let settings = store.guild_settings(guild).await.unwrap();
        if check(&settings) {
            return settings;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}: {settings:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

// ----- 8. Closing as the seeds show it -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_asks_first_and_closes_with_a_reason_on_sqlite() {
    close_asks_first_and_closes_with_a_reason(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn close_asks_first_and_closes_with_a_reason_on_postgres() {
    let db = FreshPostgres::create("close_asks_first").await;
    close_asks_first_and_closes_with_a_reason(db.database()).await;
}

async fn close_asks_first_and_closes_with_a_reason(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    assert!(GuildSettings::defaults(demo.guild).confirm_close);
    let panel = post_panel(&sandbox).await;
    let ticket = open_ticket(&sandbox, &panel, demo.members[0]).await;
    let channel = ticket.channel_id.unwrap();

    // 🔒 Close asks the presser alone, and closes nothing yet.
    let close = press(sim, demo.staff, channel, |id| {
        matches!(id, CustomId::Close { .. })
    })
    .await;
    let prompt = reply_of(&close).await;
    assert_eq!(prompt.ephemeral_to, Some(demo.staff));
    assert!(drive::text_of(&prompt).contains(&say(Language::En, &Msg::CloseConfirmPrompt)));
    let ids = ids_on(&prompt);
    let ticket_id = ticket.id;
    assert!(
        ids.contains(&CustomId::CloseConfirm { ticket_id }),
        "{ids:?}"
    );
    assert!(
        ids.contains(&CustomId::CloseReasonModal { ticket_id }),
        "{ids:?}"
    );
    assert_eq!(
        store.ticket(ticket_id).await.unwrap().unwrap().status,
        TicketStatus::Open
    );

    // "Close with a reason" opens the reason modal; its submission closes with the reason.
    let staff = sim.as_user(demo.staff);
    let with_reason = drive::click(
        &staff,
        channel,
        prompt.id,
        CustomId::CloseReasonModal { ticket_id },
    )
    .await
    .expect("the button is answered");
    let ack = drive::acked(&with_reason).await.unwrap();
    assert_eq!(ack.kind, 9, "a modal, not {:?}", ack.data);
    let submitted = staff
        .submit_modal(
            &with_reason,
            &[(InputId::Reason.as_str(), "answered by mail")],
        )
        .expect("the modal is submitted");
    drive::acked(&submitted).await.unwrap();
    let closed = reply_of(&submitted).await;
    assert_eq!(closed.ephemeral_to, None, "the closing message is public");
    assert!(drive::text_of(&closed).contains("answered by mail"));
    let stored = store.ticket(ticket_id).await.unwrap().unwrap();
    assert_eq!(stored.status, TicketStatus::Closed);
    assert_eq!(stored.close_reason.as_deref(), Some("answered by mail"));

    // "Yes, close it" closes another ticket; /close on a third closes at once.
    configure(&sandbox, |s| s.max_open_per_member = 3).await;
    let second = open_ticket(&sandbox, &panel, demo.members[1]).await;
    let confirmed = close_and_confirm(sim, demo.staff, second.channel_id.unwrap()).await;
    let closed = reply_of(&confirmed).await;
    assert!(drive::text_of(&closed).contains(&say(Language::En, &Msg::ClosedTitle)));
    ticket_until(store, second.id, "the confirmed close", |t| {
        t.status != TicketStatus::Open
    })
    .await;
    let third = open_ticket(&sandbox, &panel, demo.members[2]).await;
    let slash = command(
        sim,
        demo.guild,
        demo.staff,
        third.channel_id.unwrap(),
        "close",
        Value::Null,
    )
    .await;
    let closed = reply_of(&slash).await;
    assert!(drive::text_of(&closed).contains(&say(Language::En, &Msg::ClosedTitle)));
    assert_ne!(
        store.ticket(third.id).await.unwrap().unwrap().status,
        TicketStatus::Open
    );
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_confirmation_turned_off_close_closes_at_once_on_sqlite() {
    with_the_confirmation_turned_off_close_closes_at_once(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn with_the_confirmation_turned_off_close_closes_at_once_on_postgres() {
    let db = FreshPostgres::create("close_at_once").await;
    with_the_confirmation_turned_off_close_closes_at_once(db.database()).await;
}

async fn with_the_confirmation_turned_off_close_closes_at_once(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let log = with_log_channel(&sandbox).await;

    // Setup → Closing shows the setting; the admin turns it off, and the log says so.
    let hub = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    hub.click(HubId::Setup).await;
    hub.click(HubId::Closing).await;
    assert!(
        hub.ids().contains(&HubId::ConfirmCloseOff),
        "{:?}",
        hub.ids()
    );
    hub.click(HubId::ConfirmCloseOff).await;
    drive::eventually("the setting saved", WAIT, || {
        hub.ids().contains(&HubId::ConfirmCloseOn).then_some(())
    })
    .await
    .unwrap();
    assert!(
        !store
            .guild_settings(demo.guild)
            .await
            .unwrap()
            .confirm_close
    );
    logged(sim, log, "Close asks first").await;

    let panel = post_panel(&sandbox).await;
    let ticket = open_ticket(&sandbox, &panel, demo.members[0]).await;
    let close = press(sim, demo.members[0], ticket.channel_id.unwrap(), |id| {
        matches!(id, CustomId::Close { .. })
    })
    .await;
    let closed = reply_of(&close).await;
    assert_eq!(closed.ephemeral_to, None);
    assert!(drive::text_of(&closed).contains(&say(Language::En, &Msg::ClosedTitle)));
    assert_ne!(
        store.ticket(ticket.id).await.unwrap().unwrap().status,
        TicketStatus::Open
    );
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

// ----- 10. Small things a user trips on -----

/// GETs `path` from `addr`: the status and the body.
async fn http_get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned());
    (status, body.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_revokes_a_tickets_transcript_links_on_sqlite() {
    an_admin_revokes_a_tickets_transcript_links(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn an_admin_revokes_a_tickets_transcript_links_on_postgres() {
    let db = FreshPostgres::create("revoke_links").await;
    an_admin_revokes_a_tickets_transcript_links(db.database()).await;
}

async fn an_admin_revokes_a_tickets_transcript_links(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let log = with_log_channel(&sandbox).await;
    let panel = post_panel(&sandbox).await;
    let ticket = open_ticket(&sandbox, &panel, demo.members[0]).await;
    let other = {
        configure(&sandbox, |s| s.max_open_per_member = 2).await;
        open_ticket(&sandbox, &panel, demo.members[1]).await
    };
    for t in [&ticket, &other] {
        let close = command(
            sim,
            demo.guild,
            demo.staff,
            t.channel_id.unwrap(),
            "close",
            Value::Null,
        )
        .await;
        reply_of(&close).await;
    }
    for t in [&ticket, &other] {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while !store.has_transcript(t.id).await.unwrap() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no transcript for {t:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let links = &sandbox.bot.ctx.links;
    let web = sandbox.bot.web_addr;
    let url = format!("/transcripts/{}", links.sign(ticket.id, None));
    let other_url = format!("/transcripts/{}", links.sign(other.id, None));
    assert_eq!(http_get(web, &url).await.0, 200);
    assert_eq!(http_get(web, &format!("{url}.txt")).await.0, 200);

    // The admin revokes ticket #N's links from the hub.
    let number = ticket.number;
    let hub = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    hub.click(HubId::Manage).await;
    let opener = hub.click(HubId::RevokeLinks).await;
    let number_text = number.to_string();
    hub.modal(
        opener,
        &[(InputId::TicketNumber.as_str(), number_text.as_str())],
    )
    .await;
    hub.shows(&say(Language::En, &Msg::LinksRevoked { number }))
        .await;
    logged(
        sim,
        log,
        &say(
            Language::En,
            &Msg::Log(LogText::LinksRevoked {
                by: demo.admin,
                number,
            }),
        ),
    )
    .await;
    assert!(store.transcript_links_revoked(ticket.id).await.unwrap());

    // Every link to it answers 404 now, like one that never existed; another ticket's stays.
    assert_eq!(http_get(web, &url).await.0, 404);
    assert_eq!(http_get(web, &format!("{url}.txt")).await.0, 404);
    let later = format!(
        "/transcripts/{}",
        links.sign(
            ticket.id,
            Some(chrono::Utc::now() + chrono::Duration::days(1))
        )
    );
    assert_eq!(http_get(web, &later).await.0, 404);
    assert_eq!(http_get(web, &other_url).await.0, 200);

    // A number no ticket has is said plainly.
    hub.click(HubId::Manage).await;
    let opener = hub.click(HubId::RevokeLinks).await;
    hub.modal(opener, &[(InputId::TicketNumber.as_str(), "9999")])
        .await;
    hub.shows(&say(Language::En, &Msg::NoTicketNumbered { number: 9999 }))
        .await;
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_can_have_a_listener_of_their_own_on_sqlite() {
    metrics_can_have_a_listener_of_their_own(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn metrics_can_have_a_listener_of_their_own_on_postgres() {
    let db = FreshPostgres::create("metrics_bind").await;
    metrics_can_have_a_listener_of_their_own(db.database()).await;
}

async fn metrics_can_have_a_listener_of_their_own(database: Database) {
    let sandbox = Sandbox::start(Options {
        database,
        metrics_bind: Some("127.0.0.1:0".parse().unwrap()),
        ..Options::default()
    })
    .await
    .expect("the sandbox starts");
    let public = sandbox.bot.web_addr;
    let metrics = sandbox.bot.metrics_addr.expect("a metrics listener");
    assert_ne!(public, metrics);
    let (status, body) = http_get(metrics, "/metrics").await;
    assert_eq!(status, 200);
    assert!(body.contains("ticketbooth_"), "{body}");
    assert_eq!(http_get(public, "/metrics").await.0, 404);
    assert_eq!(http_get(public, "/healthz").await.0, 200);
    // The metrics listener serves nothing else.
    assert_eq!(http_get(metrics, "/healthz").await.0, 404);
    sandbox.stop().await;
}

/// `ticketbooth config check` with only `env` set; its exit status and output.
fn config_check(env: &[(&str, &str)]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_ticketbooth"))
        .args(["config", "check"])
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_check_fails_when_the_bot_could_not_start_on_sqlite() {
    let dir = std::env::temp_dir().join(format!(
        "tb-config-check-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:{}", dir.join("bot.db").display());
    config_check_fails_when_the_bot_could_not_start(&url);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn config_check_fails_when_the_bot_could_not_start_on_postgres() {
    let db = FreshPostgres::create("config_check").await;
    config_check_fails_when_the_bot_could_not_start(&db.url);
}

fn config_check_fails_when_the_bot_could_not_start(good_database: &str) {
    let token = ("DISCORD_TOKEN", "MTIz.abc.def");
    let (ok, text) = config_check(&[token, ("DATABASE_URL", good_database)]);
    assert!(ok, "a token and a reachable database can start: {text}");

    let (ok, text) = config_check(&[("DATABASE_URL", good_database)]);
    assert!(!ok, "no token: {text}");
    assert!(text.contains("DISCORD_TOKEN"), "{text}");

    let (ok, text) = config_check(&[token, ("DATABASE_URL", "mysql://localhost/tickets")]);
    assert!(!ok, "a malformed database URL: {text}");

    let unreachable = "postgres://postgres@127.0.0.1:1/nothing";
    let (ok, text) = config_check(&[token, ("DATABASE_URL", unreachable)]);
    assert!(!ok, "an unreachable database: {text}");
    assert!(text.contains("cannot be opened"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_prints_a_quiet_walk_with_names_on_sqlite() {
    // The command itself, as a user runs it: no RUST_LOG, so no log line in the story.
    let output = tokio::task::spawn_blocking(|| {
        Command::new(env!("CARGO_BIN_EXE_ticketbooth"))
            .args(["sandbox", "--demo", "--port", "0"])
            .env_clear()
            .output()
            .expect("the binary runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("Demo finished."), "{stdout}");
    assert_quiet_and_named(&stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    for level in [" INFO ", " WARN ", " ERROR ", " DEBUG "] {
        assert!(!stdout.contains(level), "a log line in the demo: {stdout}");
        assert!(
            !stderr.contains(level),
            "a log line beside the demo: {stderr}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn the_demo_prints_a_quiet_walk_with_names_on_postgres() {
    let db = FreshPostgres::create("demo_names").await;
    let sandbox = Sandbox::start(Options {
        database: db.database(),
        ..Options::default()
    })
    .await
    .expect("the sandbox starts");
    let told = demo::play(&sandbox, false).await.expect("the walk happens");
    assert_quiet_and_named(&told);
    sandbox.stop().await;
}

fn assert_quiet_and_named(told: &str) {
    for raw in ["<@", "<#"] {
        assert!(!told.contains(raw), "a raw mention in the demo: {told}");
    }
    for name in ["@member1", "@Staff", "@staff"] {
        assert!(told.contains(name), "{name} is not named: {told}");
    }
}
