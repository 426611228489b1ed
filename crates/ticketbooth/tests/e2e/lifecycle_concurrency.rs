//! Opening under concurrency (issue 4, point 5): twenty simultaneous clicks by one member make
//! one ticket, simultaneous members never pass the server limit, in one process on SQLite and
//! PostgreSQL and with two bot processes on one PostgreSQL.

use crate::common;
use crate::lifecycle_support;

use std::time::Duration;

use ticketbooth::sandbox::{Database, Sandbox, start_bot};
use ticketbooth_bot::app::Running;
use ticketbooth_core::{Language, i18n::Msg, lifecycle::OpenRefusal};
use ticketbooth_sim::Interaction;

use lifecycle_support::*;

/// A sandbox and, when asked, a second bot on the same simulator and database.
async fn world(database: Database, two_bots: bool) -> (Sandbox, Option<Running>) {
    let sandbox = start(database).await;
    let second = if two_bots {
        let bot = start_bot(&sandbox.sim, &sandbox.database_url)
            .await
            .expect("a second bot starts");
        sandbox
            .sim
            .wait_for_sessions(2, Duration::from_secs(10))
            .await
            .expect("both bots hold a session");
        Some(bot)
    } else {
        None
    };
    (sandbox, second)
}

/// Every interaction was answered once, and no answer was refused by Discord.
fn assert_answered_once(sandbox: &Sandbox) {
    let refused: Vec<_> = sandbox
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/callback") && r.status >= 300)
        .collect();
    assert!(refused.is_empty(), "second answers: {refused:?}");
}

async fn texts(interactions: &[Interaction]) -> Vec<String> {
    let mut out = Vec::new();
    for interaction in interactions {
        out.push(ticketbooth::drive::text_of(&reply_of(interaction).await));
    }
    out
}

async fn twenty_clicks_make_one_ticket(database: Database, two_bots: bool) {
    let (sandbox, second) = world(database, two_bots).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    let member = demo.members[0];
    let user = sim.as_user(member);
    let clicks: Vec<Interaction> = (0..20)
        .map(|_| {
            user.click(panel.channel_id, panel.message_id, &panel.custom_id)
                .expect("the member can click")
        })
        .collect();
    for click in &clicks {
        ticketbooth::drive::acked(click)
            .await
            .expect("answered in time");
    }
    let replies = texts(&clicks).await;
    let ticket = open_ticket_of(&sandbox, member).await;
    let channel = ticket.channel_id.unwrap();

    let store = store(&sandbox);
    assert_eq!(
        store
            .member_open_tickets(demo.guild, member)
            .await
            .unwrap()
            .len(),
        1
    );
    let ticket_channels = sim
        .channels(demo.guild)
        .into_iter()
        .filter(|c| c.kind == 0 && c.name.as_deref().is_some_and(|n| n.starts_with("ticket-")))
        .count();
    assert_eq!(ticket_channels, 1, "one channel");
    let opened = say(Language::En, &Msg::TicketOpened { channel });
    let here = say(
        Language::En,
        &Msg::OpenRefused(OpenRefusal::AlreadyOpen {
            channel_id: Some(channel),
        }),
    );
    assert_eq!(
        replies.iter().filter(|t| t.contains(&opened)).count(),
        1,
        "{replies:#?}"
    );
    assert_eq!(
        replies.iter().filter(|t| t.contains(&here)).count(),
        19,
        "{replies:#?}"
    );
    assert_answered_once(&sandbox);
    assert_no_unimplemented(sim);
    if let Some(bot) = second {
        bot.shutdown(Duration::from_secs(5)).await;
    }
    sandbox.stop().await;
}

async fn members_never_pass_the_server_limit(database: Database, two_bots: bool) {
    let (sandbox, second) = world(database, two_bots).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    configure(&sandbox, |s| s.max_open_total = 3).await;
    let panel = post_panel(&sandbox).await;
    let mut members = demo.members.to_vec();
    for n in 0..7 {
        let user = sim.create_user(&format!("extra{n}"));
        sim.add_member(demo.guild, user, &[]).unwrap();
        members.push(user);
    }
    let clicks: Vec<Interaction> = members
        .iter()
        .map(|m| {
            sim.as_user(*m)
                .click(panel.channel_id, panel.message_id, &panel.custom_id)
                .expect("the member can click")
        })
        .collect();
    for click in &clicks {
        ticketbooth::drive::acked(click)
            .await
            .expect("answered in time");
    }
    let replies = texts(&clicks).await;
    let store = store(&sandbox);
    let open = store.open_tickets(demo.guild).await.unwrap();
    assert_eq!(open.len(), 3, "{open:#?}");
    let limit = say(
        Language::En,
        &Msg::OpenRefused(OpenRefusal::ServerLimit { max: 3 }),
    );
    assert_eq!(
        replies.iter().filter(|t| t.contains(&limit)).count(),
        7,
        "{replies:#?}"
    );
    let ticket_channels = sim
        .channels(demo.guild)
        .into_iter()
        .filter(|c| c.kind == 0 && c.name.as_deref().is_some_and(|n| n.starts_with("ticket-")))
        .count();
    assert_eq!(ticket_channels, 3);
    assert_answered_once(&sandbox);
    assert_no_unimplemented(sim);
    if let Some(bot) = second {
        bot.shutdown(Duration::from_secs(5)).await;
    }
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_clicks_make_one_ticket_on_sqlite() {
    twenty_clicks_make_one_ticket(Database::TempSqlite, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn twenty_clicks_make_one_ticket_on_postgres() {
    let db = common::FreshPostgres::create("twenty_clicks_postgres").await;
    twenty_clicks_make_one_ticket(db.database(), false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn twenty_clicks_make_one_ticket_with_two_bots_on_postgres() {
    let db = common::FreshPostgres::create("twenty_clicks_two_bots").await;
    twenty_clicks_make_one_ticket(db.database(), true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_never_pass_the_server_limit_on_sqlite() {
    members_never_pass_the_server_limit(Database::TempSqlite, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn members_never_pass_the_server_limit_on_postgres() {
    let db = common::FreshPostgres::create("server_limit_postgres").await;
    members_never_pass_the_server_limit(db.database(), false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn members_never_pass_the_server_limit_with_two_bots_on_postgres() {
    let db = common::FreshPostgres::create("server_limit_two_bots").await;
    members_never_pass_the_server_limit(db.database(), true).await;
}
