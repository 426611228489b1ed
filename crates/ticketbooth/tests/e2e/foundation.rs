//! The foundation end to end: the bot identifies against the simulator, registers its commands
//! in one bulk call, and answers an admin's `/ticket` within Discord's 3 seconds, on SQLite and
//! on PostgreSQL.

use crate::common;

use serde_json::Value;
use ticketbooth::{
    drive,
    sandbox::{Database, Options, Sandbox},
};
use ticketbooth_core::custom_id::{CustomId, HubId};

async fn ticket_hub_answers(database: Database) {
    let sandbox = Sandbox::start(Options {
        database,
        ..Options::default()
    })
    .await
    .expect("the sandbox starts");
    let sim = &sandbox.sim;
    let demo = sandbox.demo;

    // Identified: READY reached the bot, and its health says so.
    assert!(sandbox.bot.ctx.health.gateway_ready());

    // Registered: exactly one bulk PUT of the global commands, holding /ticket.
    let puts: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| {
            r.method == "PUT"
                && r.route
                    .as_deref()
                    .is_some_and(|route| route.ends_with("/commands"))
        })
        .collect();
    assert_eq!(puts.len(), 1, "commands are registered in one bulk call");
    let names: Vec<String> = puts[0]
        .body
        .as_ref()
        .and_then(Value::as_array)
        .expect("a list of commands")
        .iter()
        .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect();
    for expected in [
        "ticket", "close", "claim", "unclaim", "add", "remove", "stats",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "/{expected} missing from {names:?}"
        );
    }

    // Answered: the admin's /ticket gets the ephemeral hub in time.
    let admin = sim.as_user(demo.admin);
    let interaction = admin
        .slash_command(demo.guild, demo.support, "ticket", Value::Null)
        .expect("the admin can run /ticket");
    let ack = drive::acked(&interaction).await.expect("answered in time");
    assert!(
        matches!(ack.kind, 4 | 5),
        "a message response, got type {}",
        ack.kind
    );
    let hub = drive::response_message(&interaction).await.unwrap();
    assert_eq!(hub.ephemeral_to, Some(demo.admin), "the hub is ephemeral");
    let ids: Vec<CustomId> = drive::components(&hub)
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    assert!(ids.contains(&CustomId::Hub(HubId::Setup)), "{ids:?}");
    assert!(ids.contains(&CustomId::Hub(HubId::Manage)), "{ids:?}");

    // Nobody else sees it.
    let member = demo.members[0];
    assert!(
        sim.visible_messages(member, demo.support)
            .iter()
            .all(|m| m.id != hub.id)
    );
    assert!(sim.unimplemented().is_empty(), "{:?}", sim.unimplemented());
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticket_hub_answers_on_sqlite() {
    ticket_hub_answers(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn ticket_hub_answers_on_postgres() {
    let db = common::FreshPostgres::create("ticket_hub_answers").await;
    ticket_hub_answers(db.database()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_without_manage_server_are_refused_the_hub() {
    let sandbox = Sandbox::start(Options::default()).await.unwrap();
    let demo = sandbox.demo;
    let member = sandbox.sim.as_user(demo.members[1]);
    let interaction = member
        .slash_command(demo.guild, demo.support, "ticket", Value::Null)
        .expect("the simulator delivers the command");
    drive::acked(&interaction).await.unwrap();
    let reply = drive::response_message(&interaction).await.unwrap();
    assert_eq!(reply.ephemeral_to, Some(demo.members[1]));
    assert!(drive::components(&reply).is_empty(), "no hub for a member");
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_privileged_intent_is_explained() {
    let result = Sandbox::start(Options {
        grant_message_content: false,
        ..Options::default()
    })
    .await;
    // Discord closes the gateway with 4014; the bot must say what to enable.
    let error = match result {
        Ok(_) => panic!("the bot must not start without an intent it asks for"),
        Err(error) => format!("{error:#}"),
    };
    assert!(error.contains("Message Content"), "{error}");
}
