//! Discord's passing errors (issue 18), end to end: 5xx and 429 answers injected with the
//! simulator's fault injection into the REST calls of opening, of the ticket actions and of
//! closing, one at a time and at random rates, on SQLite and PostgreSQL. Whatever fails, no
//! member gets two tickets, no ticket is left half-made (a channel without its welcome, a
//! reservation or a channel without the other), no transcript is lost, every interaction is
//! answered, and everything is complete once the faults stop.

use crate::common;
use crate::lifecycle_support;

use std::time::Duration;

use http::Method;
use serde_json::Value;
use ticketbooth::{drive, sandbox::Database, sandbox::Sandbox};
use ticketbooth_core::{ClosingMode, Language, TicketStatus, custom_id::CustomId, i18n::Msg};
use ticketbooth_sim::{
    Interaction, Sim,
    faults::{FaultRule, Trigger},
};

use common::FreshPostgres;
use lifecycle_support::*;

/// Long enough for a step Discord keeps failing to be given up while the member waits (10 s),
/// rolled back or handed to a job, and answered.
const GIVE_UP: Duration = Duration::from_secs(40);

/// Long enough for jobs retried with backoff to finish once the faults stop.
const SETTLE: Duration = Duration::from_secs(45);

/// The REST calls of opening a ticket: the channel, the welcome (and the DM's message), the
/// interaction's answer or deferral, the edit after a deferral, the DM channel.
const OPEN_CALLS: &[(&str, &str)] = &[
    ("POST", "/guilds/{guild.id}/channels"),
    ("POST", "/channels/{channel.id}/messages"),
    (
        "POST",
        "/interactions/{interaction.id}/{interaction.token}/callback",
    ),
    ("POST", "/users/@me/channels"),
];

/// The REST calls of acting in and closing a ticket in keep mode: the answers, reading the
/// channel and its category and locking it (the transcript is built from the messages captured
/// live, so no history is read).
const ACTION_CALLS: &[(&str, &str)] = &[
    (
        "POST",
        "/interactions/{interaction.id}/{interaction.token}/callback",
    ),
    ("GET", "/channels/{channel.id}"),
    ("PATCH", "/channels/{channel.id}"),
];

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).expect("a method")
}

/// A 5xx or a 429 (with a short wait) for the next `n` matching calls.
fn rule(name: &str, route: &str, rate_limited: bool, trigger: Trigger) -> FaultRule {
    if rate_limited {
        FaultRule::rate_limited(
            Some(method(name)),
            route,
            Duration::from_millis(200),
            trigger,
        )
    } else {
        FaultRule::status(Some(method(name)), route, 500, trigger)
    }
}

/// `n` new members of the demo server.
fn new_members(sim: &Sim, guild: u64, n: usize, prefix: &str) -> Vec<u64> {
    (0..n)
        .map(|i| {
            let user = sim.create_user(&format!("{prefix}{i}"));
            sim.add_member(guild, user, &[]).expect("the member joins");
            user
        })
        .collect()
}

/// The bot's welcome messages for `ticket_id` in `channel`.
fn welcomes(sim: &Sim, channel: u64, ticket_id: i64) -> usize {
    let bot = sim.bot_user_id();
    sim.messages(channel)
        .iter()
        .filter(|m| m.author_id == bot)
        .filter(|m| {
            drive::components(m)
                .iter()
                .any(|(_, id)| *id == CustomId::ItWorks { ticket_id })
        })
        .count()
}

/// The final reply to an interaction, waiting as long as a step given up takes.
async fn final_reply(interaction: &Interaction) -> String {
    let message = drive::eventually("a final reply", GIVE_UP, || {
        interaction.original().filter(|m| m.flags & 128 == 0)
    })
    .await
    .unwrap_or_else(|_| panic!("no final reply: {:?}", interaction.original()));
    drive::text_of(&message)
}

/// The tickets' channels in the simulator, by the marker in their topic.
fn marked_channels(sim: &Sim, guild: u64) -> Vec<(i64, u64)> {
    sim.channels(guild)
        .into_iter()
        .filter_map(|c| {
            let topic = c.topic?;
            let id = ticketbooth_bot::tickets::open::ticket_id_from_topic(&topic)?;
            Some((id, c.id))
        })
        .collect()
}

/// Waits until the server is whole: no reservation left, every ticket channel belongs to a
/// ticket that names it and every open ticket's channel exists with exactly one welcome, no
/// member holds two open tickets. Returns the open tickets of `members`.
async fn whole(sandbox: &Sandbox, members: &[u64]) -> Vec<ticketbooth_core::Ticket> {
    let sim = &sandbox.sim;
    let guild = sandbox.demo.guild;
    let store = store(sandbox);
    let deadline = tokio::time::Instant::now() + SETTLE;
    loop {
        let mut problems = Vec::new();
        let mut open = Vec::new();
        for &member in members {
            let tickets = store.member_open_tickets(guild, member).await.unwrap();
            if tickets.len() > 1 {
                problems.push(format!("{member} holds {} tickets", tickets.len()));
            }
            for ticket in tickets {
                match ticket.channel_id {
                    None => problems.push(format!("ticket {} has no channel", ticket.id)),
                    Some(channel) => {
                        if sim.channel(channel).is_none() {
                            problems.push(format!("ticket {} lost its channel", ticket.id));
                        }
                        let n = welcomes(sim, channel, ticket.id);
                        if n != 1 {
                            problems.push(format!("ticket {} has {n} welcomes", ticket.id));
                        }
                    }
                }
                open.push(ticket);
            }
        }
        for (ticket_id, channel) in marked_channels(sim, guild) {
            let stored = store.ticket(ticket_id).await.unwrap();
            if stored.and_then(|t| t.channel_id) != Some(channel) {
                problems.push(format!(
                    "channel {channel} of ticket {ticket_id} is orphaned"
                ));
            }
        }
        if problems.is_empty() {
            return open;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never whole: {problems:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn one_failure_at_a_time(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    configure(&sandbox, |s| s.closing = ClosingMode::Keep).await;
    let panel = post_panel(&sandbox).await;
    let mut rules = Vec::new();
    for &(name, route) in OPEN_CALLS {
        for rate_limited in [false, true] {
            rules.push((name, route, rate_limited));
        }
    }
    let members = new_members(sim, demo.guild, rules.len(), "opener");
    let opened_text = "Your ticket is open";
    let mut tickets = Vec::new();
    for (&(name, route, rate_limited), &member) in rules.iter().zip(&members) {
        let fault = sim
            .faults()
            .add(rule(name, route, rate_limited, Trigger::NextN(1)));
        let click = click_panel(sim, &panel, member).await;
        let text = final_reply(&click).await;
        assert!(
            text.starts_with(opened_text),
            "{name} {route} ({rate_limited}): {text}"
        );
        drive::eventually("the fault to fire", WAIT, || {
            (sim.faults().injected_by(fault) == Some(1)).then_some(())
        })
        .await
        .unwrap_or_else(|_| panic!("{name} {route} was never called"));
        sim.faults().remove(fault);
        tickets.push(open_ticket_of(&sandbox, member).await);
    }
    let open = whole(&sandbox, &members).await;
    assert_eq!(open.len(), members.len(), "one ticket each");

    // Each action's and closing's calls, failing once each: Need Help, claim, close (keep mode:
    // the lock, the transcript).
    let mut actions = Vec::new();
    for &(name, route) in ACTION_CALLS {
        for rate_limited in [false, true] {
            actions.push((name, route, rate_limited));
        }
    }
    for ((name, route, rate_limited), ticket) in actions.into_iter().zip(&tickets) {
        let channel = ticket.channel_id.unwrap();
        let fault = sim
            .faults()
            .add(rule(name, route, rate_limited, Trigger::NextN(1)));
        let help = press(sim, ticket.owner_id, channel, |id| {
            matches!(id, CustomId::NeedHelp { .. })
        })
        .await;
        final_reply(&help).await;
        let claim = press(sim, demo.staff, channel, |id| {
            matches!(id, CustomId::Claim { .. })
        })
        .await;
        final_reply(&claim).await;
        let close = command(sim, demo.guild, demo.staff, channel, "close", Value::Null).await;
        final_reply(&close).await;
        ticket_until(store, ticket.id, "the close", |t| {
            t.status == TicketStatus::Closed
        })
        .await;
        drive::eventually("the lock", SETTLE, || {
            (!can_view(sim, channel, ticket.owner_id)).then_some(())
        })
        .await
        .unwrap_or_else(|_| panic!("{name} {route}: the channel stays unlocked"));
        let deadline = tokio::time::Instant::now() + SETTLE;
        while !store.has_transcript(ticket.id).await.unwrap() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{name} {route}: the transcript is lost"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            sim.faults().injected_by(fault).unwrap_or(0) >= 1,
            "{name} {route} was never called"
        );
        sim.faults().remove(fault);
    }
    assert_answers_landed(sim).await;
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

/// Every interaction the simulator saw got an answer that Discord accepted: a callback answered
/// 2xx, or one answered 40060 ("already acknowledged"), which Discord gives only when an earlier
/// callback took effect (one whose 5xx came after the effect). Waits for retries in flight.
async fn assert_answers_landed(sim: &Sim) {
    let took_effect = |r: &ticketbooth_sim::RequestRecord| {
        r.status < 300
            || r.response
                .as_ref()
                .and_then(|body| body.get("code"))
                .and_then(Value::as_u64)
                == Some(40060)
    };
    let interaction_of = |r: &ticketbooth_sim::RequestRecord| {
        r.path
            .ends_with("/callback")
            .then(|| r.path.split('/').nth(2).map(str::to_owned))
            .flatten()
    };
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let requests = sim.requests();
        let answered: std::collections::BTreeSet<String> = requests
            .iter()
            .filter(|r| took_effect(r))
            .filter_map(interaction_of)
            .collect();
        let tried: std::collections::BTreeSet<String> =
            requests.iter().filter_map(interaction_of).collect();
        let unanswered: Vec<_> = tried.difference(&answered).collect();
        if unanswered.is_empty() {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            let calls: Vec<_> = requests
                .iter()
                .filter(|r| unanswered.iter().any(|id| r.path.contains(id.as_str())))
                .map(|r| (r.status, r.response.clone()))
                .collect();
            panic!("unanswered: {unanswered:?}: {calls:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn random_rates(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let panel = post_panel(&sandbox).await;
    let members = new_members(sim, demo.guild, 12, "member");
    let faults = sim.faults();
    let during = [
        faults.add(FaultRule::status(
            Some(Method::POST),
            "/guilds/{guild.id}/channels",
            500,
            Trigger::Fraction(0.3),
        )),
        faults.add(FaultRule::status(
            Some(Method::POST),
            "/channels/{channel.id}/messages",
            503,
            Trigger::Fraction(0.2),
        )),
        faults.add(FaultRule::status(
            None,
            "/interactions/*",
            502,
            Trigger::Fraction(0.1),
        )),
        faults.add(FaultRule::status(
            None,
            "/webhooks/*",
            500,
            Trigger::Fraction(0.1),
        )),
        faults.add(FaultRule::rate_limited(
            None,
            "*",
            Duration::from_millis(100),
            Trigger::Fraction(0.05),
        )),
    ];
    let clicks: Vec<Interaction> = members
        .iter()
        .map(|&member| {
            sim.as_user(member)
                .click(panel.channel_id, panel.message_id, &panel.custom_id)
                .expect("the member can click")
        })
        .collect();
    let mut texts = Vec::new();
    for click in &clicks {
        drive::acked(click).await.expect("answered in time");
        texts.push(final_reply(click).await);
    }
    let try_again = say(Language::En, &Msg::OpenUnavailable);
    for text in &texts {
        assert!(
            text.starts_with("Your ticket is open") || *text == try_again,
            "{text}"
        );
    }
    assert!(faults.injected_count() > 0);

    // The faults stop: everything is complete, and the members told to try again have nothing.
    for id in during {
        faults.remove(id);
    }
    let open = whole(&sandbox, &members).await;
    for (member, text) in members.iter().zip(&texts) {
        let has = open.iter().any(|t| t.owner_id == *member);
        assert_eq!(has, *text != try_again, "{member}: {text}");
    }

    // Closing at random rates: It Works! everywhere, with every call failing now and then.
    // Interactions' answers fail less often (a rule that fires decides, so the shield keeps the
    // catch-all off them): four failures in a row within Discord's 3 seconds is an outage, not
    // a passing error.
    let during = [
        faults.add(FaultRule::status(
            None,
            "/interactions/*",
            500,
            Trigger::Fraction(0.1),
        )),
        faults.add(FaultRule::latency(None, "/interactions/*", Duration::ZERO)),
        faults.add(FaultRule::status(None, "*", 500, Trigger::Fraction(0.2))),
    ];
    let mut presses = Vec::new();
    for ticket in &open {
        let channel = ticket.channel_id.unwrap();
        presses.push(
            press(sim, ticket.owner_id, channel, |id| {
                matches!(id, CustomId::ItWorks { .. })
            })
            .await,
        );
    }
    for press in &presses {
        final_reply(press).await;
    }
    for id in during {
        faults.remove(id);
    }
    for ticket in &open {
        let deadline = tokio::time::Instant::now() + SETTLE;
        loop {
            let stored = store.ticket(ticket.id).await.unwrap().unwrap();
            // A press answered "something went wrong" leaves the ticket open: pressing again
            // once Discord is back closes it.
            if stored.status == TicketStatus::Open {
                let again = press(sim, ticket.owner_id, ticket.channel_id.unwrap(), |id| {
                    matches!(id, CustomId::ItWorks { .. })
                })
                .await;
                final_reply(&again).await;
            }
            if stored.status == TicketStatus::Deleted
                && store.has_transcript(ticket.id).await.unwrap()
                && sim.channel(ticket.channel_id.unwrap()).is_none()
            {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "ticket {} never finished: {stored:?}",
                ticket.id
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert_answers_landed(sim).await;
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

async fn failing_for_good(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let panel = post_panel(&sandbox).await;
    let faults = sim.faults();

    // The welcome keeps failing: the member is told where the ticket is and that the welcome
    // follows; a job posts it, once, when Discord is back.
    let member = demo.members[0];
    let down = faults.add(FaultRule::status(
        Some(Method::POST),
        "/channels/{channel.id}/messages",
        500,
        Trigger::Fraction(1.0),
    ));
    let click = click_panel(sim, &panel, member).await;
    let text = final_reply(&click).await;
    let ticket = open_ticket_of(&sandbox, member).await;
    let channel = ticket.channel_id.unwrap();
    assert_eq!(
        text,
        say(Language::En, &Msg::TicketOpenedWelcomeLater { channel })
    );
    assert_eq!(welcomes(sim, channel, ticket.id), 0);
    faults.remove(down);
    whole(&sandbox, &[member]).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(welcomes(sim, channel, ticket.id), 1, "still one welcome");

    // The channel cannot be created: the opening is undone and the member told to try again;
    // once Discord is back, the same click opens a ticket.
    let member = demo.members[1];
    let down = faults.add(FaultRule::status(
        Some(Method::POST),
        "/guilds/{guild.id}/channels",
        503,
        Trigger::Fraction(1.0),
    ));
    let click = click_panel(sim, &panel, member).await;
    assert_eq!(
        final_reply(&click).await,
        say(Language::En, &Msg::OpenUnavailable)
    );
    assert!(
        store
            .member_open_tickets(demo.guild, member)
            .await
            .unwrap()
            .is_empty(),
        "the reservation is released"
    );
    faults.remove(down);
    let ticket = open_ticket(&sandbox, &panel, member).await;
    whole(&sandbox, &[demo.members[0], member]).await;
    let channel = ticket.channel_id.unwrap();

    // The lock on close keeps failing (keep mode): the ticket is closed, the answer says the
    // permissions follow, and a job locks the channel once Discord is back.
    configure(&sandbox, |s| s.closing = ClosingMode::Keep).await;
    let down = faults.add(FaultRule::status(
        Some(Method::PATCH),
        "/channels/{channel.id}",
        500,
        Trigger::Fraction(1.0),
    ));
    let close = command(sim, demo.guild, demo.staff, channel, "close", Value::Null).await;
    let text = final_reply(&close).await;
    assert!(
        text.contains(&say(Language::En, &Msg::AccessFollowsLater)),
        "{text}"
    );
    ticket_until(store, ticket.id, "the close", |t| {
        t.status == TicketStatus::Closed
    })
    .await;
    assert!(
        can_view(sim, channel, member),
        "not locked while Discord fails"
    );
    faults.remove(down);
    drive::eventually("the lock", SETTLE, || {
        (!can_view(sim, channel, member)).then_some(())
    })
    .await
    .expect("the job locks the channel");
    assert_answers_landed(sim).await;
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

/// Discord's edge failing after its backend carried the call out (the channel, the welcome or
/// the answer exists, the bot is told 5xx): trying again makes no second channel (the marker is
/// looked for first), no second welcome (the nonce) and no second answer (40060 is taken as
/// answered).
async fn errors_after_the_effect(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    // The first creation is the default category's (no ticket has been opened), the second
    // the ticket channel's.
    let calls = [
        ("POST", "/guilds/{guild.id}/channels"),
        ("POST", "/guilds/{guild.id}/channels"),
        ("POST", "/channels/{channel.id}/messages"),
        (
            "POST",
            "/interactions/{interaction.id}/{interaction.token}/callback",
        ),
    ];
    let members = new_members(sim, demo.guild, calls.len(), "after");
    for ((name, route), &member) in calls.into_iter().zip(&members) {
        let fault = sim.faults().add(FaultRule::status_after_effect(
            Some(method(name)),
            route,
            502,
            Trigger::NextN(1),
        ));
        let click = click_panel(sim, &panel, member).await;
        let text = final_reply(&click).await;
        assert!(text.starts_with("Your ticket is open"), "{route}: {text}");
        assert_eq!(sim.faults().injected_by(fault), Some(1), "{route}");
        sim.faults().remove(fault);
        let ticket = open_ticket_of(&sandbox, member).await;
        let channels: Vec<u64> = marked_channels(sim, demo.guild)
            .into_iter()
            .filter(|(id, _)| *id == ticket.id)
            .map(|(_, channel)| channel)
            .collect();
        assert_eq!(
            channels,
            vec![ticket.channel_id.unwrap()],
            "{route}: one channel"
        );
    }
    whole(&sandbox, &members).await;
    let categories = sim
        .channels(demo.guild)
        .into_iter()
        .filter(|c| c.kind == ticketbooth_sim::channel_type::GUILD_CATEGORY)
        .count();
    assert_eq!(categories, 1, "one ticket category");
    assert_answers_landed(sim).await;
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_after_the_effect_make_nothing_twice_on_sqlite() {
    errors_after_the_effect(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn errors_after_the_effect_make_nothing_twice_on_postgres() {
    let db = FreshPostgres::create("faults_after").await;
    errors_after_the_effect(db.database()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_failure_at_a_time_in_each_call_leaves_everything_whole_on_sqlite() {
    one_failure_at_a_time(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn one_failure_at_a_time_in_each_call_leaves_everything_whole_on_postgres() {
    let db = FreshPostgres::create("faults_one").await;
    one_failure_at_a_time(db.database()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_failure_rates_leave_no_duplicate_and_no_half_made_ticket_on_sqlite() {
    random_rates(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn random_failure_rates_leave_no_duplicate_and_no_half_made_ticket_on_postgres() {
    let db = FreshPostgres::create("faults_random").await;
    random_rates(db.database()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_failing_for_good_is_finished_later_or_undone_on_sqlite() {
    failing_for_good(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn a_step_failing_for_good_is_finished_later_or_undone_on_postgres() {
    let db = FreshPostgres::create("faults_for_good").await;
    failing_for_good(db.database()).await;
}
