//! Jobs that end (issue 10, point 9): a delayed job that keeps failing is marked failed after
//! its budget of attempts, the admins are told once in the log channel, nothing is lost, and
//! `ticketbooth jobs` lists it and `ticketbooth jobs retry ID` runs it again.

use std::process::Command;

use ticketbooth::sandbox::{Database, Options};
use ticketbooth_core::{
    Language, TicketStatus,
    custom_id::CustomId,
    i18n::{JobWork, LogText, Msg},
};
use ticketbooth_sim::faults::{FaultRule, Trigger};

use crate::common;
use crate::lifecycle_support::*;

/// Runs the `ticketbooth` binary on `database_url` with `args`; its standard output, after
/// checking it succeeded.
fn ticketbooth(database_url: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ticketbooth"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env_remove("TICKETBOOTH_CONFIG")
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "ticketbooth {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

async fn a_job_out_of_attempts_fails_is_reported_once_and_can_be_retried(database: Database) {
    let sandbox = start_with(Options {
        database,
        bot: |config| config.job_max_attempts = 2,
        ..Options::default()
    })
    .await;
    let sim = &sandbox.sim;
    let store = store(&sandbox);
    let log = with_log_channel(&sandbox).await;
    let panel = post_panel(&sandbox).await;
    let owner = sandbox.demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    // The conversation went unseen (as after a stop longer than a resume) and Discord fails
    // every read of the history, so the transcript, and so the deletion, cannot be done.
    unseen_part(store, sim, ticket.id, channel).await;
    let history = sim.faults().add(FaultRule::status(
        Some(http::Method::GET),
        "/channels/{channel.id}/messages",
        500,
        Trigger::Fraction(1.0),
    ));
    reply_of(
        &press(sim, owner, channel, |id| {
            matches!(id, CustomId::ItWorks { .. })
        })
        .await,
    )
    .await;

    let failed = job_until(store, ticket.id, WAIT, "the job to fail", |job| {
        job.failed_at.is_some()
    })
    .await;
    assert_eq!(failed.attempts, 2);
    assert!(
        failed
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("500")),
        "{failed:?}"
    );
    let note = say(
        Language::En,
        &Msg::Log(LogText::JobFailed {
            work: JobWork::DeleteChannel,
            ticket: &ticket.name,
            attempts: 2,
            job: failed.id,
        }),
    );
    let notes = |sim: &ticketbooth_sim::Sim| {
        sim.messages(log)
            .iter()
            .filter(|m| m.content == note)
            .count()
    };
    ticketbooth::drive::eventually("the note in the log channel", WAIT, || {
        (notes(sim) == 1).then_some(())
    })
    .await
    .unwrap();
    // Nothing was lost, and nothing more is tried.
    let tried = sim.faults().injected_by(history);
    handlers_idle(&sandbox.bot).await;
    assert!(sim.channel(channel).is_some());
    assert!(!store.has_transcript(ticket.id).await.unwrap());
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().status,
        TicketStatus::Closed
    );

    let listed = ticketbooth(&sandbox.database_url, &["jobs"]);
    assert!(listed.starts_with("1 failed job"), "{listed}");
    assert!(
        listed.contains(&format!("job {}:", failed.id))
            && listed.contains(&format!("ticket {}", ticket.id))
            && listed.contains("after 2 attempts")
            && listed.contains("500"),
        "{listed}"
    );
    assert_eq!(
        sim.faults().injected_by(history),
        tried,
        "a failed job is left alone"
    );

    sim.faults().remove(history);
    let retried = ticketbooth(
        &sandbox.database_url,
        &["jobs", "retry", &failed.id.to_string()],
    );
    assert!(retried.contains(&format!("Job {}", failed.id)), "{retried}");
    ticket_until(store, ticket.id, "the archive", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    assert!(store.has_transcript(ticket.id).await.unwrap());
    // Archived first, then deleted.
    ticketbooth::drive::eventually("the channel's deletion", WAIT, || {
        sim.channel(channel).is_none().then_some(())
    })
    .await
    .unwrap();
    assert_eq!(
        ticketbooth(&sandbox.database_url, &["jobs"]),
        "No failed jobs.\n"
    );
    assert_eq!(notes(sim), 1, "told once");
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_out_of_attempts_fails_is_reported_once_and_can_be_retried_on_sqlite() {
    a_job_out_of_attempts_fails_is_reported_once_and_can_be_retried(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn a_job_out_of_attempts_fails_is_reported_once_and_can_be_retried_on_postgres() {
    let db = common::FreshPostgres::create("jobs_fail").await;
    a_job_out_of_attempts_fails_is_reported_once_and_can_be_retried(db.database()).await;
}

/// A retry of an id that is not a failed job is refused with a clear message.
#[test]
fn retrying_an_unknown_job_is_refused() {
    let dir = std::env::temp_dir().join(format!("tb-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:{}", dir.join("jobs.db").display());
    let out = Command::new(env!("CARGO_BIN_EXE_ticketbooth"))
        .args(["jobs", "retry", "42"])
        .env("DATABASE_URL", &url)
        .output()
        .expect("the binary runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("there is no failed job 42"), "{err}");
}
