//! Live capture, end to end (issue 10, points 1 and 4): every message of a ticket channel is
//! recorded as the gateway delivers it (created, edited, deleted one by one or in bulk, with
//! attachments' metadata), so a ticket whose channel an admin deletes by hand still gets its
//! whole transcript, summary and DM, with no history request; a ticket the bot could not watch
//! for a while gets the missed messages from history, read only after what it had seen, and
//! nothing twice; and each close of a reopened ticket delivers its own, newer transcript.

use crate::common;
use crate::lifecycle_support;

use std::time::Duration;

use ticketbooth::{
    drive,
    sandbox::{Database, Sandbox, start_bot},
};
use ticketbooth_core::{ClosingMode, custom_id::CustomId};
use ticketbooth_sim::{Message, Sim};

use common::FreshPostgres;
use lifecycle_support::*;

/// Long enough for a thousand messages through the gateway into the store on a loaded machine.
const LONG_WAIT: Duration = Duration::from_secs(240);

async fn with_log_channel(sandbox: &Sandbox) -> u64 {
    let log = sandbox
        .sim
        .create_channel(sandbox.demo.guild, "ticket-log", 0, None, &[])
        .expect("the log channel is created");
    configure(sandbox, |s| s.log_channel = Some(log)).await;
    log
}

/// The messages in `channel` carrying the transcript file `filename`, oldest first.
fn with_file(messages: Vec<Message>, filename: &str) -> Vec<Message> {
    messages
        .into_iter()
        .filter(|m| m.attachments.iter().any(|a| a.filename == filename))
        .collect()
}

fn file_text(message: &Message, filename: &str) -> String {
    let file = message
        .attachments
        .iter()
        .find(|a| a.filename == filename)
        .expect("the attachment");
    String::from_utf8(file.data.clone()).expect("the transcript is UTF-8")
}

/// Requests for a page of the channel's history.
fn history_reads(sim: &Sim, channel: u64) -> Vec<ticketbooth_sim::RequestRecord> {
    let path = format!("/channels/{channel}/messages");
    sim.requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == path)
        .collect()
}

/// Waits until the store holds `check`'s idea of the ticket's messages.
async fn stored_until(
    sandbox: &Sandbox,
    ticket_id: i64,
    what: &str,
    check: impl Fn(&[ticketbooth_store::TicketMessage]) -> bool,
) {
    let deadline = tokio::time::Instant::now() + LONG_WAIT;
    loop {
        let rows = store(sandbox).ticket_messages(ticket_id).await.unwrap();
        if check(&rows) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}: {} rows",
            rows.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The word each numbered message starts with; unique, and no one a prefix of another.
fn word(i: usize) -> String {
    format!("m{i:05}x")
}

async fn a_ticket_deleted_by_hand_keeps_every_message(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let log = with_log_channel(&sandbox).await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();

    const N: usize = 1000;
    let mut ids = Vec::with_capacity(N);
    for i in 0..N {
        let author = if i % 3 == 2 { demo.staff } else { owner };
        let text = format!("{} first", word(i));
        let id = if i % 100 == 7 {
            sim.as_user(author).send_message_with_files(
                channel,
                &text,
                &[(&format!("shot-{i}.png"), "image/png", b"\x89PNG....")],
            )
        } else {
            sim.as_user(author).send_message(channel, &text)
        }
        .expect("the member writes");
        ids.push((id, author));
    }
    // Edits by their authors, deletions one by one by their authors, and one bulk deletion.
    let edited: Vec<usize> = (0..N).filter(|i| i % 50 == 10).collect();
    for &i in &edited {
        let (id, author) = ids[i];
        sim.as_user(author)
            .edit_message(id, &format!("{} second", word(i)))
            .unwrap();
    }
    let deleted: Vec<usize> = (0..N).filter(|i| i % 90 == 20).collect();
    for &i in &deleted {
        let (id, author) = ids[i];
        sim.as_user(author).delete_message(id).unwrap();
    }
    let bulk: Vec<usize> = vec![500, 501, 502];
    let bulk_ids: Vec<u64> = bulk.iter().map(|&i| ids[i].0).collect();
    assert_eq!(sim.bulk_delete_messages(channel, &bulk_ids).len(), 3);
    let gone = deleted.len() + bulk.len();

    stored_until(
        &sandbox,
        ticket.id,
        "every message, edit and deletion",
        |rows| {
            rows.iter()
                .filter(|r| r.content.ends_with(" first") || r.content.ends_with(" second"))
                .count()
                == N
                && rows.iter().filter(|r| r.original_content.is_some()).count() == edited.len()
                && rows.iter().filter(|r| r.deleted_at.is_some()).count() == gone
        },
    )
    .await;
    let stored = store(&sandbox).ticket_messages(ticket.id).await.unwrap();
    assert!(stored.iter().all(|r| !r.from_history));
    let with_attachment = stored
        .iter()
        .find(|r| r.content == format!("{} first", word(107)))
        .expect("the message with a file");
    assert_eq!(
        with_attachment.details["attachments"][0]["filename"],
        "shot-107.png"
    );
    assert_eq!(with_attachment.details["attachments"][0]["size"], 8);

    // An admin deletes the channel by hand.
    let requests_before = sim.requests().len();
    sim.delete_channel(channel).unwrap();
    let filename = format!("{}.html", ticket.name);
    let summary = drive::eventually("the closure summary", LONG_WAIT, || {
        with_file(sim.messages(log), &filename).into_iter().next()
    })
    .await
    .expect("the summary with the transcript was posted");
    let dm = drive::eventually("the transcript DM", WAIT, || {
        with_file(sim.dms(owner), &filename).into_iter().next()
    })
    .await
    .expect("the owner got the transcript");
    let page = file_text(&summary, &filename);
    assert_eq!(file_text(&dm, &filename), page);
    for i in 0..N {
        let first = format!("{} first", word(i));
        assert_eq!(page.matches(&first).count(), 1, "{first} once");
        if edited.contains(&i) {
            assert_eq!(page.matches(&format!("{} second", word(i))).count(), 1);
        }
    }
    assert_eq!(
        page.matches("<article class=\"msg deleted\"").count(),
        gone,
        "deleted messages are shown as deleted, with their content"
    );
    assert_eq!(page.matches("before the edit:").count(), edited.len());
    assert!(
        page.contains("shot-107.png"),
        "attachment metadata is shown"
    );

    // Zero history requests, ever, for this ticket; and a constant handful for the close.
    assert!(
        history_reads(sim, channel).is_empty(),
        "{:?}",
        history_reads(sim, channel)
    );
    let close_calls = requests_since(sim, requests_before);
    assert!(
        close_calls.len() <= 4,
        "{:?}",
        close_calls
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect::<Vec<_>>()
    );
    let ticket = store(&sandbox).ticket(ticket.id).await.unwrap().unwrap();
    assert_eq!(ticket.status, ticketbooth_core::TicketStatus::Deleted);
    assert_eq!(
        store(&sandbox)
            .transcript(ticket.id)
            .await
            .unwrap()
            .unwrap()
            .message_count,
        stored.len() as i64
    );
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_deleted_by_hand_keeps_every_message_on_sqlite() {
    a_ticket_deleted_by_hand_keeps_every_message(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn a_ticket_deleted_by_hand_keeps_every_message_on_postgres() {
    let db = FreshPostgres::create("a_ticket_deleted_by_hand_keeps_every_message").await;
    a_ticket_deleted_by_hand_keeps_every_message(db.database()).await;
}

async fn missed_messages_come_from_history_once(database: Database) {
    let sandbox = start(database).await;
    let demo = sandbox.demo;
    let log = with_log_channel(&sandbox).await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    let sim = &sandbox.sim;

    let mut said = 0;
    let live = say(sim, channel, owner, &mut said, 15);
    let last_seen = *live.last().unwrap();
    stored_until(&sandbox, ticket.id, "the live messages", |rows| {
        rows.iter().any(|r| r.message_id == last_seen)
    })
    .await;

    // The bot stops, and its session is forgotten: the next start identifies afresh, and
    // Discord replays nothing of what was said meanwhile (more than a page of it).
    let url = sandbox.database_url.clone();
    sandbox.bot.shutdown(Duration::from_secs(5)).await;
    sim.invalidate_sessions(false);
    let away = say(sim, channel, demo.staff, &mut said, 130);
    let bot = start_bot(sim, &url).await.unwrap();
    let store = bot.ctx.store.clone();
    let deadline = tokio::time::Instant::now() + WAIT;
    while store.capture_gaps(ticket.id).await.unwrap().is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "no gap was noted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let back = say(sim, channel, owner, &mut said, 5);
    let last_back = *back.last().unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !store
        .ticket_messages(ticket.id)
        .await
        .unwrap()
        .iter()
        .any(|r| r.message_id == last_back)
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the later messages were never captured"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Closed by staff: the deletion job reads the gap from history, then delivers.
    let close = close_and_confirm(sim, demo.staff, channel).await;
    reply_of(&close).await;
    let filename = format!("{}.html", ticket.name);
    let summary = drive::eventually("the closure summary", LONG_WAIT, || {
        with_file(sim.messages(log), &filename).into_iter().next()
    })
    .await
    .expect("the summary with the transcript was posted");
    let page = file_text(&summary, &filename);
    for k in 0..said {
        assert_eq!(
            page.matches(&format!("{} first", word(k))).count(),
            1,
            "message {k} exactly once"
        );
    }
    let rows = store.ticket_messages(ticket.id).await.unwrap();
    // (The bot's closing message, posted after the gap, may race the job's reading.)
    let from_history: Vec<u64> = rows
        .iter()
        .filter(|r| r.from_history && r.message_id <= last_back)
        .map(|r| r.message_id)
        .collect();
    assert_eq!(
        from_history, away,
        "only the missed messages came from history"
    );
    // Only the gap was read: from the last message seen before it, a page at a time.
    let reads = history_reads(sim, channel);
    assert_eq!(reads.len(), 2, "130 messages are two pages: {reads:?}");
    assert!(
        reads[0].query.contains(&format!("after={last_seen}")),
        "{}",
        reads[0].query
    );
    assert!(store.capture_gaps(ticket.id).await.unwrap().is_empty());
    bot.shutdown(Duration::from_secs(5)).await;
}

/// Posts `n` numbered messages as `author`, numbering on from `said`.
fn say(sim: &Sim, channel: u64, author: u64, said: &mut usize, n: usize) -> Vec<u64> {
    (0..n)
        .map(|_| {
            let id = sim
                .as_user(author)
                .send_message(channel, &format!("{} first", word(*said)))
                .unwrap();
            *said += 1;
            id
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missed_messages_come_from_history_once_on_sqlite() {
    missed_messages_come_from_history_once(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn missed_messages_come_from_history_once_on_postgres() {
    let db = FreshPostgres::create("missed_messages_come_from_history_once").await;
    missed_messages_come_from_history_once(db.database()).await;
}

async fn each_close_delivers_its_own_transcript(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    configure(&sandbox, |s| s.closing = ClosingMode::Keep).await;
    let log = with_log_channel(&sandbox).await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    let filename = format!("{}.html", ticket.name);

    sim.as_user(owner)
        .send_message(channel, "before the first close")
        .unwrap();
    let close = close_and_confirm(sim, owner, channel).await;
    let closed = reply_of(&close).await;
    drive::eventually("the first summary", WAIT, || {
        (with_file(sim.messages(log), &filename).len() == 1).then_some(())
    })
    .await
    .expect("the first close is delivered");

    let reopen = sim
        .as_user(demo.staff)
        .click(
            channel,
            closed.id,
            &CustomId::Reopen {
                ticket_id: ticket.id,
            }
            .encode(),
        )
        .unwrap();
    drive::acked(&reopen).await.unwrap();
    reply_of(&reopen).await;
    ticket_until(store(&sandbox), ticket.id, "the reopen", |t| {
        t.status.is_open()
    })
    .await;
    drive::eventually("the unlock", WAIT, || {
        can_view(sim, channel, owner).then_some(())
    })
    .await
    .unwrap();
    sim.as_user(owner)
        .send_message(channel, "after the reopen")
        .unwrap();
    let again = command(
        sim,
        demo.guild,
        demo.staff,
        channel,
        "close",
        serde_json::Value::Null,
    )
    .await;
    reply_of(&again).await;

    let summaries = drive::eventually("the second summary", WAIT, || {
        let found = with_file(sim.messages(log), &filename);
        (found.len() == 2).then_some(found)
    })
    .await
    .expect("the second close is delivered too");
    let first = file_text(&summaries[0], &filename);
    let second = file_text(&summaries[1], &filename);
    assert!(first.contains("before the first close"));
    assert!(
        !first.contains("after the reopen"),
        "the first is as it stood then"
    );
    assert!(second.contains("before the first close") && second.contains("after the reopen"));
    let dms = drive::eventually("two DMs", WAIT, || {
        let found = with_file(sim.dms(owner), &filename);
        (found.len() == 2).then_some(found)
    })
    .await
    .expect("one DM per close");
    assert!(file_text(&dms[1], &filename).contains("after the reopen"));
    assert_ne!(summaries[0].nonce, summaries[1].nonce, "a nonce per close");
    // Neither close read any history: everything was seen live.
    assert!(history_reads(sim, channel).is_empty());
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_close_delivers_its_own_transcript_on_sqlite() {
    each_close_delivers_its_own_transcript(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn each_close_delivers_its_own_transcript_on_postgres() {
    let db = FreshPostgres::create("each_close_delivers_its_own_transcript").await;
    each_close_delivers_its_own_transcript(db.database()).await;
}
