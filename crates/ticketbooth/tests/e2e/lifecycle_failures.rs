//! Background work Discord refuses, end to end: a deletion held up by a permission the bot lost
//! is noted once in the log channel, keeps being retried and finishes once the permission is
//! back; a server that removed the bot gets no more calls, its pending deletion is parked and
//! runs when the bot is invited back; an outage (GUILD_DELETE with `unavailable`) parks nothing.

use crate::common;
use crate::lifecycle_support;

use std::time::Duration;

use serde_json::Value;
use ticketbooth::{drive, sandbox::Database};
use ticketbooth_core::{
    ClosingMode, Language, TicketStatus,
    i18n::{BlockedWork, LogText, Msg},
};
use ticketbooth_sim::{DEMO_BOT_PERMISSIONS, Overwrite, Sim};
use ticketbooth_store::PARKED_AT;
use twilight_model::{
    gateway::{event::Event, payload::incoming::GuildDelete},
    id::Id,
};

use common::FreshPostgres;
use lifecycle_support::*;

const MANAGE_CHANNELS: u64 = 1 << 4;

/// Long enough for a job's third attempt (backoff 2 s, then 4 s) and the 8 s wait before its
/// fourth.
const RETRIES: Duration = Duration::from_secs(30);

/// `overwrites` with Manage Channels taken from the bot's own member overwrite.
fn without_manage_channels(overwrites: Vec<Overwrite>, bot: u64) -> Vec<Overwrite> {
    overwrites
        .into_iter()
        .map(|mut o| {
            if o.kind == 1 && o.id == bot {
                o.allow &= !MANAGE_CHANNELS;
                o.deny |= MANAGE_CHANNELS;
            }
            o
        })
        .collect()
}

/// Waits until the simulator no longer has the channel.
async fn channel_gone(sim: &Sim, channel: u64, within: Duration) {
    drive::eventually("the channel's deletion", within, || {
        sim.channel(channel).is_none().then_some(())
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_permission_is_noted_once_and_the_deletion_finishes_once_it_is_back_on_sqlite() {
    a_lost_permission_is_noted_once_and_the_deletion_finishes_once_it_is_back(Database::TempSqlite)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn a_lost_permission_is_noted_once_and_the_deletion_finishes_once_it_is_back_on_postgres() {
    let db = FreshPostgres::create("lost_permission").await;
    a_lost_permission_is_noted_once_and_the_deletion_finishes_once_it_is_back(db.database()).await;
}

async fn a_lost_permission_is_noted_once_and_the_deletion_finishes_once_it_is_back(
    database: Database,
) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let log = with_log_channel(&sandbox).await;
    let panel = post_panel(&sandbox).await;
    let ticket = open_ticket(&sandbox, &panel, demo.members[0]).await;
    let channel = ticket.channel_id.unwrap();
    let category = sim.channel(channel).unwrap().parent_id.expect("a category");

    // An admin takes Manage Channels from the bot on the ticket category and syncs the ticket
    // channel with it.
    let bot = sim.bot_user_id();
    let category_before = sim.overwrites(category);
    let channel_before = sim.overwrites(channel);
    sim.set_overwrites(
        category,
        &without_manage_channels(category_before.clone(), bot),
    )
    .unwrap();
    sim.set_overwrites(
        channel,
        &without_manage_channels(channel_before.clone(), bot),
    )
    .unwrap();
    assert_eq!(sim.permissions(channel, bot) & MANAGE_CHANNELS, 0);

    let close = command(sim, demo.guild, demo.staff, channel, "close", Value::Null).await;
    reply_of(&close).await;

    // Three attempts refused, each retried; the channel stays.
    let job = job_until(store, ticket.id, RETRIES, "three refused attempts", |j| {
        j.attempts >= 3 && j.leased_by.is_none()
    })
    .await;
    assert!(
        job.last_error
            .as_deref()
            .unwrap()
            .contains("Manage Channels"),
        "{job:?}"
    );
    assert!(sim.channel(channel).is_some());
    let note = say(
        Language::En,
        &Msg::Log(LogText::WorkBlocked {
            work: BlockedWork::DeleteChannel,
            ticket: &ticket.name,
            channel,
            permission: "Manage Channels",
        }),
    );
    let notes = |sim: &Sim| {
        sim.messages(log)
            .into_iter()
            .filter(|m| m.content.contains("Manage Channels"))
            .collect::<Vec<_>>()
    };
    let posted = notes(sim);
    assert_eq!(
        posted
            .iter()
            .map(|m| m.content.as_str())
            .collect::<Vec<_>>(),
        vec![note.as_str()],
        "one note"
    );
    assert!(posted[0].pinged_users.is_empty() && posted[0].pinged_roles.is_empty());
    assert!(!posted[0].pinged_everyone);

    // The admin gives it back: the next attempt deletes the channel, the transcript saved.
    sim.set_overwrites(category, &category_before).unwrap();
    sim.set_overwrites(channel, &channel_before).unwrap();
    channel_gone(sim, channel, RETRIES).await;
    let archived = ticket_until(store, ticket.id, "the archive", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    assert!(store.has_transcript(archived.id).await.unwrap());
    let deadline = tokio::time::Instant::now() + WAIT;
    while !store
        .pending_jobs_for_ticket(ticket.id)
        .await
        .unwrap()
        .is_empty()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the job is completed"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(notes(sim).len(), 1, "still one note");
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_removed_the_bot_gets_no_calls_until_it_is_back_on_sqlite() {
    a_server_that_removed_the_bot_gets_no_calls_until_it_is_back(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn a_server_that_removed_the_bot_gets_no_calls_until_it_is_back_on_postgres() {
    let db = FreshPostgres::create("removed").await;
    a_server_that_removed_the_bot_gets_no_calls_until_it_is_back(db.database()).await;
}

async fn a_server_that_removed_the_bot_gets_no_calls_until_it_is_back(database: Database) {
    const DELAY_SECS: u32 = 3;
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    configure(&sandbox, |s| {
        s.closing = ClosingMode::Delete {
            after_secs: DELAY_SECS,
        }
    })
    .await;
    let panel = post_panel(&sandbox).await;
    let ticket = open_ticket(&sandbox, &panel, demo.members[0]).await;
    let channel = ticket.channel_id.unwrap();
    let close = command(sim, demo.guild, demo.staff, channel, "close", Value::Null).await;
    reply_of(&close).await;
    let scheduled = job_until(store, ticket.id, WAIT, "the deletion", |_| true).await;

    // An outage changes nothing.
    ticketbooth_bot::events::handle(
        sandbox.bot.ctx.clone(),
        Event::GuildDelete(GuildDelete {
            id: Id::new(demo.guild),
            unavailable: Some(true),
        }),
        0,
    )
    .await;
    let pending = store.pending_jobs_for_ticket(ticket.id).await.unwrap();
    assert_eq!(
        pending[0].due_at, scheduled.due_at,
        "not parked by an outage"
    );

    // Removed: the deletion is parked, not dropped.
    let from = sim.requests().len();
    sim.remove_bot_from_guild(demo.guild).unwrap();
    job_until(store, ticket.id, WAIT, "the parked deletion", |j| {
        j.due_at == PARKED_AT
    })
    .await;

    // Past the time the deletion was due, nothing was asked of Discord about the server.
    tokio::time::sleep(Duration::from_secs(u64::from(DELAY_SECS) + 2)).await;
    let about_server: Vec<String> = requests_since(sim, from)
        .into_iter()
        .filter(|r| {
            r.path.contains(&channel.to_string()) || r.path.contains(&demo.guild.to_string())
        })
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(about_server.is_empty(), "{about_server:?}");
    assert!(sim.channel(channel).is_some());
    let parked = job_until(store, ticket.id, WAIT, "the parked deletion", |_| true).await;
    assert_eq!((parked.due_at, parked.attempts), (PARKED_AT, 0));
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().status,
        TicketStatus::Closed
    );

    // Invited back: GUILD_CREATE brings the deletion back, and it runs.
    sim.add_bot(demo.guild, DEMO_BOT_PERMISSIONS).unwrap();
    channel_gone(sim, channel, WAIT).await;
    ticket_until(store, ticket.id, "the archive", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    assert!(store.has_transcript(ticket.id).await.unwrap());
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}
