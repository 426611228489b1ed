//! Restarts and crashes, end to end (issue 4, points 12 and 15): buttons on old messages work
//! with a new process, a channel deleted by hand closes its ticket, a deletion due during a
//! restart still happens, a graceful restart resumes the gateway session and handles what was
//! sent meanwhile (a session too old or refused is not a problem; an interaction too late to
//! answer is dropped), and start-up repairs every state a crash can leave. Each crash state is written deterministically (the store rows and
//! simulator state the crash would leave) while no bot runs, and then a bot is started on the
//! same simulator and database.

use crate::common;
use crate::lifecycle_support;

use std::time::Duration;

use chrono::Utc;
use ticketbooth::{
    drive,
    sandbox::{Database, start_bot},
};
use ticketbooth_bot::app::Running;
use ticketbooth_core::{
    CloseHow, ClosingMode, TicketStatus,
    authz::ActorRole,
    custom_id::CustomId,
    lifecycle::{self, CloseKind},
};
use ticketbooth_sim::{Overwrite, bits, gateway::Handshake};
use ticketbooth_store::{JobKind, NewJob, Reservation, ReserveTicket, Store, UpdateOutcome};

use lifecycle_support::*;

/// Waits until the ticket in `store` satisfies `check`.
async fn until(
    store: &dyn Store,
    id: i64,
    what: &str,
    check: impl Fn(&ticketbooth_core::Ticket) -> bool,
) -> ticketbooth_core::Ticket {
    ticket_until(store, id, what, check).await
}

/// Closes a ticket in the store only, as a process that crashed right after the write would.
async fn close_in_store(store: &dyn Store, id: i64, by: u64) {
    let ticket = store.ticket(id).await.unwrap().unwrap();
    let closed = lifecycle::close(
        &ticket,
        ActorRole::Staff,
        by,
        CloseKind::Close,
        None,
        Utc::now(),
    )
    .unwrap();
    assert!(matches!(
        store.update_ticket(&closed).await.unwrap(),
        UpdateOutcome::Updated(_)
    ));
}

/// A reservation made two minutes ago, as one interrupted by a crash would look at start-up.
async fn old_reservation(store: &dyn Store, guild: u64, owner: u64) -> ticketbooth_core::Ticket {
    let reserved = store
        .reserve_ticket(ReserveTicket {
            guild_id: guild,
            owner_id: owner,
            owner_name: "crashed".into(),
            topic: None,
            random_suffix: "abc123".into(),
            now: Utc::now() - chrono::Duration::minutes(2),
        })
        .await
        .unwrap();
    match reserved {
        Reservation::Reserved(ticket) => ticket,
        Reservation::Refused(refusal) => panic!("{refusal:?}"),
    }
}

/// Waits until the simulator no longer has the channel (the ticket is archived just before).
async fn gone_from(sim: &ticketbooth_sim::Sim, channel: u64) {
    drive::eventually("the channel's deletion", WAIT, || {
        sim.channel(channel).is_none().then_some(())
    })
    .await
    .unwrap();
}

async fn stop(bot: Running) {
    bot.shutdown(Duration::from_secs(5)).await;
}

/// Stops the bot as a crash would leave things: a crash saves no gateway session, so the next
/// start identifies and gets the GUILD_CREATEs that drive start-up repair. (Stopped gracefully,
/// then the session it saved is thrown away.)
async fn crash(bot: Running) {
    let store = bot.ctx.store.clone();
    stop(bot).await;
    store
        .take_gateway_session(0, 1, Utc::now() - chrono::Duration::days(1))
        .await
        .unwrap()
        .expect("the graceful stop saved the session");
}

/// Waits until the bot has repaired the demo server from its GUILD_CREATE.
async fn start_up_repair_done(bot: &Running) {
    let reconciled = &bot.ctx.metrics.servers_reconciled;
    drive::eventually("the start-up repair", WAIT, || {
        (reconciled.load(std::sync::atomic::Ordering::Relaxed) >= 1).then_some(())
    })
    .await
    .unwrap();
}

/// The IDENTIFYs and RESUMEs the simulator answered since `from` of them.
fn handshakes_since(sim: &ticketbooth_sim::Sim, from: usize) -> Vec<Handshake> {
    sim.handshakes()[from..].to_vec()
}

/// Waits for the ticket's first staff response in the store.
async fn first_response(store: &dyn Store, id: i64) -> (u64, chrono::DateTime<Utc>) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(found) = store.first_response(id).await.unwrap() {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no first staff response was recorded"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A deploy, on SQLite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_resumes_the_session_and_handles_what_was_missed_on_sqlite() {
    a_restart_resumes_the_session_and_handles_what_was_missed(Database::TempSqlite).await;
}

/// A deploy, on PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn a_restart_resumes_the_session_and_handles_what_was_missed_on_postgres() {
    let db = common::FreshPostgres::create("resume").await;
    a_restart_resumes_the_session_and_handles_what_was_missed(db.database()).await;
}

/// A deploy: the bot stops gracefully, a staff member answers in a ticket while no bot runs,
/// and the next process resumes the session instead of identifying, so Discord replays the
/// MESSAGE_CREATE and the first staff response is recorded.
async fn a_restart_resumes_the_session_and_handles_what_was_missed(database: Database) {
    let sandbox = start(database).await;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    let ticket = open_ticket(&sandbox, &panel, demo.members[0]).await;
    let channel = ticket.channel_id.unwrap();
    let sim = &sandbox.sim;
    let url = sandbox.database_url.clone();
    stop(sandbox.bot).await;

    let before = sim.handshakes().len();
    let sent_at = Utc::now();
    sim.as_user(demo.staff)
        .send_message(channel, "Looking into it now.")
        .unwrap();
    let bot = start_bot(sim, &url).await.unwrap();
    assert_eq!(
        handshakes_since(sim, before),
        vec![Handshake::Resumed([0, 1])],
        "the new process resumes the old session rather than identifying"
    );
    let (staff, at) = first_response(bot.ctx.store.as_ref(), ticket.id).await;
    assert_eq!(staff, demo.staff);
    assert!(
        (at - sent_at).num_seconds().abs() <= 1,
        "recorded at the message's time: {at} vs {sent_at}"
    );
    // Taken, not copied: a third process starting now would identify.
    assert_eq!(
        bot.ctx
            .store
            .take_gateway_session(0, 1, Utc::now() - chrono::Duration::days(1))
            .await
            .unwrap(),
        None
    );
    assert_no_unimplemented(sim);
    stop(bot).await;
}

/// A session saved longer ago than Discord is likely to keep it is not offered: the next
/// process identifies (and its GUILD_CREATE drives start-up repair).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_older_than_the_bound_is_not_resumed() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let url = sandbox.database_url.clone();
    let store = sandbox.bot.ctx.store.clone();
    stop(sandbox.bot).await;
    let mut saved = store
        .take_gateway_session(0, 1, Utc::now() - chrono::Duration::days(1))
        .await
        .unwrap()
        .expect("the graceful stop saved the session");
    let bound = chrono::Duration::from_std(ticketbooth_bot::app::RESUMABLE_FOR).unwrap();
    saved.saved_at = Utc::now() - bound - chrono::Duration::seconds(5);
    store.save_gateway_session(&saved).await.unwrap();

    let before = sim.handshakes().len();
    let bot = start_bot(sim, &url).await.unwrap();
    assert_eq!(
        handshakes_since(sim, before),
        vec![Handshake::Identified([0, 1])]
    );
    assert_eq!(
        bot.ctx
            .store
            .take_gateway_session(0, 1, Utc::now() - chrono::Duration::days(1))
            .await
            .unwrap(),
        None,
        "the stale session was removed"
    );
    stop(bot).await;
}

/// A button pressed while no bot runs is replayed by the resume too, but Discord refuses an
/// answer after 3 seconds: acting on it would mark the ticket as needing help with the answer
/// that pings the staff refused, after the member was told it failed. It is dropped; pressed
/// again, it works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interaction_replayed_too_late_to_answer_is_dropped() {
    let sandbox = start(Database::TempSqlite).await;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    let sim = &sandbox.sim;
    let url = sandbox.database_url.clone();
    stop(sandbox.bot).await;

    let is_help = |id: &CustomId| matches!(id, CustomId::NeedHelp { .. });
    let (welcome, raw) = button(sim, channel, is_help).await;
    let unanswered = sim.as_user(owner).click(channel, welcome.id, &raw).unwrap();
    tokio::time::sleep(Duration::from_millis(3_500)).await;
    let from = sim.requests().len();
    let before = sim.handshakes().len();
    let bot = start_bot(sim, &url).await.unwrap();
    assert_eq!(
        handshakes_since(sim, before),
        vec![Handshake::Resumed([0, 1])]
    );
    // Replayed events come before RESUMED, so a handler for the replayed press would have
    // been started by now: once none runs, its effects would show.
    handlers_idle(&bot).await;
    let store = bot.ctx.store.as_ref();
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().status,
        TicketStatus::Open
    );
    assert!(unanswered.ack().is_none());
    let calls: Vec<String> = requests_since(sim, from)
        .into_iter()
        .map(|r| r.path)
        .filter(|p| p.starts_with("/interactions/") || p.starts_with("/channels/"))
        .collect();
    assert!(calls.is_empty(), "{calls:?}");

    let help = press(sim, owner, channel, is_help).await;
    assert_eq!(reply_of(&help).await.pinged_roles, vec![demo.staff_role]);
    until(store, ticket.id, "the help request", |t| {
        t.status == TicketStatus::NeedHelp
    })
    .await;
    assert_no_unimplemented(sim);
    stop(bot).await;
}

/// A shutdown that cuts work off (here: a handler whose answer the simulator holds in flight,
/// past the grace period) saves no session: the next process identifies, as after a crash, so
/// start-up repair sees whatever the cut-off work left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_that_cuts_work_off_saves_no_session() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let url = sandbox.database_url.clone();
    let store = sandbox.bot.ctx.store.clone();
    let answer = sim.faults().add(ticketbooth_sim::faults::FaultRule::held(
        None,
        "/interactions/{interaction.id}/{interaction.token}/callback",
    ));
    let _unanswered = sim
        .as_user(demo.admin)
        .slash_command(demo.guild, demo.support, "ticket", serde_json::Value::Null)
        .unwrap();
    drive::eventually("the handler's answer in flight", WAIT, || {
        (sim.faults().injected_by(answer) > Some(0)).then_some(())
    })
    .await
    .unwrap();
    sandbox.bot.shutdown(Duration::from_millis(200)).await;
    sim.faults().release(answer);
    assert_eq!(
        store
            .take_gateway_session(0, 1, Utc::now() - chrono::Duration::days(1))
            .await
            .unwrap(),
        None
    );

    let before = sim.handshakes().len();
    let bot = start_bot(sim, &url).await.unwrap();
    assert_eq!(
        handshakes_since(sim, before),
        vec![Handshake::Identified([0, 1])]
    );
    stop(bot).await;
}

/// A saved session Discord no longer knows costs one INVALID_SESSION: twilight then identifies
/// and the bot runs as after any start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_session_falls_back_to_identifying() {
    let sandbox = start(Database::TempSqlite).await;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    let sim = &sandbox.sim;
    let url = sandbox.database_url.clone();
    stop(sandbox.bot).await;
    // No connection is open, so this only makes the simulator forget every session.
    sim.invalidate_sessions(false);

    let before = sim.handshakes().len();
    let bot = start_bot(sim, &url).await.unwrap();
    assert_eq!(
        handshakes_since(sim, before),
        vec![Handshake::Refused, Handshake::Identified([0, 1])]
    );
    // The bot works on its new session.
    let help = press(sim, owner, channel, |id| {
        matches!(id, CustomId::NeedHelp { .. })
    })
    .await;
    reply_of(&help).await;
    until(bot.ctx.store.as_ref(), ticket.id, "the help request", |t| {
        t.status == TicketStatus::NeedHelp
    })
    .await;
    assert_no_unimplemented(sim);
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_buttons_work_with_a_new_process() {
    let sandbox = start(Database::TempSqlite).await;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    let sim = &sandbox.sim;
    let url = sandbox.database_url.clone();
    stop(sandbox.bot).await;

    let bot = start_bot(sim, &url).await.unwrap();
    let help = press(sim, owner, channel, |id| {
        matches!(id, CustomId::NeedHelp { .. })
    })
    .await;
    let request = reply_of(&help).await;
    assert_eq!(request.pinged_roles, vec![demo.staff_role]);
    let stored = until(bot.ctx.store.as_ref(), ticket.id, "the help request", |t| {
        t.status == TicketStatus::NeedHelp
    })
    .await;
    assert!(stored.help_requested_at.is_some());
    assert_no_unimplemented(sim);
    stop(bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_deleted_by_hand_closes_its_ticket() {
    let sandbox = start(Database::TempSqlite).await;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    let ticket = open_ticket(&sandbox, &panel, demo.members[0]).await;
    sandbox
        .sim
        .delete_channel(ticket.channel_id.unwrap())
        .unwrap();
    let archived = until(store(&sandbox), ticket.id, "the archive", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    assert_eq!(archived.close_how, Some(CloseHow::ChannelDeleted));
    assert!(archived.closed_at.is_some() && archived.deleted_at.is_some());
    // The member may open a new ticket at once.
    let next = open_ticket(&sandbox, &panel, demo.members[0]).await;
    assert_ne!(next.id, ticket.id);
    assert_no_unimplemented(&sandbox.sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deletion_due_during_a_restart_still_happens() {
    let sandbox = start(Database::TempSqlite).await;
    configure(&sandbox, |s| {
        s.closing = ClosingMode::Delete { after_secs: 2 }
    })
    .await;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    let sim = &sandbox.sim;
    reply_of(
        &press(sim, owner, channel, |id| {
            matches!(id, CustomId::ItWorks { .. })
        })
        .await,
    )
    .await;
    let url = sandbox.database_url.clone();
    // Killed within the delay.
    stop(sandbox.bot).await;
    assert!(
        sim.channel(channel).is_some(),
        "not deleted before the delay"
    );

    let bot = start_bot(sim, &url).await.unwrap();
    drive::eventually("the deletion", WAIT, || {
        sim.channel(channel).is_none().then_some(())
    })
    .await
    .unwrap();
    let archived = until(bot.ctx.store.as_ref(), ticket.id, "the archive", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    assert_eq!(archived.close_how, Some(CloseHow::ItWorks));
    assert!(bot.ctx.store.has_transcript(ticket.id).await.unwrap());
    assert_no_unimplemented(sim);
    stop(bot).await;
}

/// The crash states below, on SQLite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_repairs_what_a_crash_left_on_sqlite() {
    start_up_repairs_what_a_crash_left(Database::TempSqlite).await;
}

/// The crash states below, on PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn start_up_repairs_what_a_crash_left_on_postgres() {
    let db = common::FreshPostgres::create("crash_repair").await;
    start_up_repairs_what_a_crash_left(db.database()).await;
}

/// The states, each written while no bot runs:
/// - a ticket whose channel an admin deleted while the bot was down (archived at start-up);
/// - a reservation whose channel was created just before a crash (its topic carries the
///   ticket's marker; adopted and welcomed);
/// - a reservation without a channel (released);
/// - a ticket closed in the store whose deletion was never scheduled (deleted);
/// - a deletion job leased by a worker that died (run once its lease expires), and one whose
///   worker died after archiving the ticket but before deleting its channel (finished);
/// - a ticket channel whose ticket the store does not know (deleted), beside a human's channel
///   whose topic only looks like one (kept).
async fn start_up_repairs_what_a_crash_left(database: Database) {
    let sandbox = start(database).await;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    configure(&sandbox, |s| s.max_open_total = 50).await;
    let sim = &sandbox.sim;
    let users: Vec<u64> = (0..6)
        .map(|n| {
            let user = sim.create_user(&format!("crash{n}"));
            sim.add_member(demo.guild, user, &[]).unwrap();
            user
        })
        .collect();
    let vanished = open_ticket(&sandbox, &panel, users[0]).await;
    let never_scheduled = open_ticket(&sandbox, &panel, users[1]).await;
    let leased = open_ticket(&sandbox, &panel, users[2]).await;
    let half_deleted = open_ticket(&sandbox, &panel, users[5]).await;
    let url = sandbox.database_url.clone();
    crash(sandbox.bot).await;

    let store = ticketbooth_store::connect(&url).await.unwrap();
    let store = store.as_ref();
    sim.delete_channel(vanished.channel_id.unwrap()).unwrap();
    close_in_store(store, never_scheduled.id, demo.staff).await;
    close_in_store(store, leased.id, demo.staff).await;
    // Transcript saved and ticket archived, but the worker died before deleting the channel.
    close_in_store(store, half_deleted.id, demo.staff).await;
    let closed = store.ticket(half_deleted.id).await.unwrap().unwrap();
    let archived = lifecycle::mark_deleted(&closed, Utc::now()).unwrap();
    assert!(matches!(
        store.update_ticket(&archived).await.unwrap(),
        UpdateOutcome::Updated(_)
    ));
    store
        .schedule_job(NewJob {
            kind: JobKind::DeleteChannel {
                ticket_id: half_deleted.id,
                channel_id: half_deleted.channel_id.unwrap(),
            },
            due_at: Utc::now(),
        })
        .await
        .unwrap();
    store
        .schedule_job(NewJob {
            kind: JobKind::DeleteChannel {
                ticket_id: leased.id,
                channel_id: leased.channel_id.unwrap(),
            },
            due_at: Utc::now(),
        })
        .await
        .unwrap();
    let lease = Duration::from_secs(3);
    let taken = store
        .claim_due_jobs(Utc::now(), lease, 10, "dead-worker")
        .await
        .unwrap();
    assert_eq!(taken.len(), 2, "the dead worker holds both jobs");
    let leased_at = std::time::Instant::now();
    let adopted = old_reservation(store, demo.guild, users[3]).await;
    let orphan_channel = sim
        .create_channel(demo.guild, &adopted.name, 0, None, &[])
        .unwrap();
    sim.with_world(|w| {
        w.channels.get_mut(&orphan_channel).unwrap().topic =
            Some(format!("opened before a crash · tb:{}", adopted.id));
    });
    let released = old_reservation(store, demo.guild, users[4]).await;
    // A ticket channel whose reservation is gone from the store, and a human's channel whose
    // topic merely looks like a marker.
    let with_topic = |name: &str, topic: &str, overwrites: &[Overwrite]| {
        let id = sim
            .create_channel(demo.guild, name, 0, None, overwrites)
            .unwrap();
        sim.with_world(|w| w.channels.get_mut(&id).unwrap().topic = Some(topic.to_owned()));
        id
    };
    let bot_overwrite = Overwrite {
        id: sim.bot_user_id(),
        kind: 1,
        allow: bits::VIEW_CHANNEL,
        deny: 0,
    };
    let orphan = with_topic("ticket-0999", "Ticket 0999 · tb:987654", &[bot_overwrite]);
    let lookalike = with_topic("notes", "see tb:987655", &[]);

    let bot = start_bot(sim, &url).await.unwrap();
    let live = bot.ctx.store.as_ref();
    let gone = until(live, vanished.id, "the vanished channel's archive", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    assert_eq!(gone.close_how, Some(CloseHow::ChannelDeleted));

    let adopted = until(live, adopted.id, "the adoption", |t| t.channel_id.is_some()).await;
    assert_eq!(adopted.channel_id, Some(orphan_channel));
    assert_eq!(adopted.status, TicketStatus::Open);
    let (welcome, _) = button(sim, orphan_channel, |id| {
        matches!(id, CustomId::NeedHelp { .. })
    })
    .await;
    assert_eq!(welcome.pinged_users, vec![users[3]]);

    drive::eventually("the release", WAIT, || Some(()))
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !live
        .member_open_tickets(demo.guild, users[4])
        .await
        .unwrap()
        .is_empty()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the reservation was not released"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(
        live.ticket(released.id)
            .await
            .unwrap()
            .is_none_or(|t| t.status != TicketStatus::Opening)
    );

    let deleted = until(live, never_scheduled.id, "the unscheduled deletion", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    gone_from(sim, deleted.channel_id.unwrap()).await;
    assert!(live.has_transcript(never_scheduled.id).await.unwrap());

    let deleted = until(live, leased.id, "the leased deletion", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    assert!(
        leased_at.elapsed() >= lease,
        "ran before the dead worker's lease expired"
    );
    gone_from(sim, deleted.channel_id.unwrap()).await;
    gone_from(sim, half_deleted.channel_id.unwrap()).await;
    gone_from(sim, orphan).await;
    assert!(
        sim.channel(lookalike).is_some(),
        "a channel that is not ours stays"
    );
    assert_no_unimplemented(sim);
    store.close().await;
    stop(bot).await;
}

/// Two more crash states, written while no bot runs:
/// - a ticket whose channel was created and recorded, but the crash came before the welcome
///   (a channel with no message at all): welcomed at start-up;
/// - a ticket closed in keep mode, but the crash came before the lock (the owner still has
///   their overwrite): locked at start-up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_finishes_an_interrupted_welcome_and_lock() {
    let sandbox = start(Database::TempSqlite).await;
    let demo = sandbox.demo;
    configure(&sandbox, |s| s.closing = ClosingMode::Keep).await;
    let panel = post_panel(&sandbox).await;
    let sim = &sandbox.sim;
    let [locked_owner, welcomed_owner, _] = demo.members;
    let to_lock = open_ticket(&sandbox, &panel, locked_owner).await;
    let lock_channel = to_lock.channel_id.unwrap();
    let url = sandbox.database_url.clone();
    crash(sandbox.bot).await;

    let store = ticketbooth_store::connect(&url).await.unwrap();
    let store = store.as_ref();
    close_in_store(store, to_lock.id, demo.staff).await;
    assert!(can_view(sim, lock_channel, locked_owner), "not locked yet");
    let unwelcomed = old_reservation(store, demo.guild, welcomed_owner).await;
    let bare_channel = sim
        .create_channel(demo.guild, &unwelcomed.name, 0, None, &[])
        .unwrap();
    store
        .attach_channel(unwelcomed.id, bare_channel)
        .await
        .unwrap();

    let bot = start_bot(sim, &url).await.unwrap();
    let (welcome, _) = button(
        sim,
        bare_channel,
        |id| matches!(id, CustomId::NeedHelp { ticket_id } if *ticket_id == unwelcomed.id),
    )
    .await;
    assert_eq!(welcome.pinged_users, vec![welcomed_owner]);
    drive::eventually("the lock", WAIT, || {
        (!can_view(sim, lock_channel, locked_owner)).then_some(())
    })
    .await
    .unwrap();
    assert!(can_view(sim, lock_channel, demo.staff));
    // The welcomed ticket's channel now has a message, so a second start-up (identifying, so
    // that the repair runs again) posts no second welcome.
    crash(bot).await;
    let bot = start_bot(sim, &url).await.unwrap();
    start_up_repair_done(&bot).await;
    let welcomes = sim
        .messages(bare_channel)
        .iter()
        .filter(|m| !ids_on(m).is_empty())
        .count();
    assert_eq!(welcomes, 1);
    assert_no_unimplemented(sim);
    store.close().await;
    stop(bot).await;
}

/// Reservations a crashed process left while another keeps running (the dead one's rows,
/// written into the live one's database) are repaired by the live process: the worker calls
/// this repair a minute after it starts, then every minute; the test calls it directly rather
/// than wait. The rows are planted only once the start-up repair of the server is over, which
/// would otherwise repair some of them first (on a busy machine it can run late).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_process_repairs_a_dead_ones_reservations() {
    let sandbox = start(Database::TempSqlite).await;
    let demo = sandbox.demo;
    let sim = &sandbox.sim;
    let store = store(&sandbox);
    start_up_repair_done(&sandbox.bot).await;
    let [with_channel, without_channel, _] = demo.members;
    let adopted = old_reservation(store, demo.guild, with_channel).await;
    let channel = sim
        .create_channel(demo.guild, &adopted.name, 0, None, &[])
        .unwrap();
    sim.with_world(|w| {
        w.channels.get_mut(&channel).unwrap().topic = Some(format!("tb:{}", adopted.id));
    });
    let released = old_reservation(store, demo.guild, without_channel).await;

    let repaired = ticketbooth_bot::tickets::reconcile::repair_stale_reservations(&sandbox.bot.ctx)
        .await
        .unwrap();
    assert_eq!(repaired, 2);
    let adopted = store.ticket(adopted.id).await.unwrap().unwrap();
    assert_eq!(adopted.channel_id, Some(channel));
    assert_eq!(adopted.status, TicketStatus::Open);
    let (welcome, _) = button(sim, channel, |id| matches!(id, CustomId::NeedHelp { .. })).await;
    assert_eq!(welcome.pinged_users, vec![with_channel]);
    assert!(
        store
            .ticket(released.id)
            .await
            .unwrap()
            .is_none_or(|t| t.status != TicketStatus::Opening)
    );
    // The released member can open a ticket again.
    let panel = post_panel(&sandbox).await;
    let ticket = open_ticket(&sandbox, &panel, without_channel).await;
    assert!(sim.channel(ticket.channel_id.unwrap()).is_some());
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}
