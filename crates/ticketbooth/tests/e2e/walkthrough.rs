//! The whole scripted walk (hub setup → panel → open → Need Help → claim → It Works! →
//! transcript → deletion) on both backends, and the faithfulness check over every REST
//! exchange it caused: the bot's requests and the simulator's answers against Discord's schemas.

use crate::common;

use serde_json::json;
use ticketbooth::{
    demo,
    sandbox::{Database, Options, Sandbox},
};
use ticketbooth_sim::conformance::check_records;

async fn walk(database: Database) -> Sandbox {
    let sandbox = Sandbox::start(Options {
        database,
        ..Options::default()
    })
    .await
    .expect("the sandbox starts");
    demo::play(&sandbox, false)
        .await
        .expect("every step of the walk happens");
    assert!(
        sandbox.sim.unimplemented().is_empty(),
        "{:?}",
        sandbox.sim.unimplemented()
    );
    sandbox
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_walk_completes_on_sqlite() {
    walk(Database::TempSqlite).await.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn the_walk_completes_on_postgres() {
    let db = common::FreshPostgres::create("the_walk").await;
    walk(db.database()).await.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_exchange_conforms_to_discords_schemas() {
    let sandbox = walk(Database::TempSqlite).await;
    let records = sandbox.sim.requests();
    sandbox.stop().await;
    assert!(
        records.len() > 10,
        "the walk made {} requests",
        records.len()
    );

    let violations = check_records(&records).expect("the checker runs");
    assert!(violations.is_empty(), "{violations:#?}");

    // The same check must catch a deliberately wrong body.
    let mut tampered = records.clone();
    let message = tampered
        .iter_mut()
        .find(|r| {
            r.method == "POST"
                && r.route
                    .as_deref()
                    .is_some_and(|route| route.ends_with("/messages"))
        })
        .expect("the walk posted a message");
    message.body = Some(json!({ "content": 5, "embeds": "not a list" }));
    let violations = check_records(&tampered).expect("the checker runs");
    assert!(!violations.is_empty(), "a wrong body must be reported");
}
