//! Transcripts delivered and served, end to end (issue 6, points 3–5): after It Works! and after
//! a staff close the log channel gets the closure summary with the HTML transcript attached and
//! the owner gets it by DM (the file without a public URL, a signed link with one); the link is
//! served by the running bot and refused when tampered with; opens, help requests and claims
//! are logged in one line each; closed DMs are noted; a vanished log channel is reported once.
//! The summary and the DM are delivered once however often the capture runs, also when an
//! earlier attempt posted them and died before recording it.

use crate::common;
use crate::lifecycle_support;

use std::time::Duration;

use serde_json::Value;
use ticketbooth::{
    drive,
    sandbox::{self, Database, Sandbox},
};
use ticketbooth_bot::delivery::delivery_nonce;
use ticketbooth_core::{ClosingMode, Language, custom_id::CustomId, i18n::LogText, i18n::Msg};
use ticketbooth_core::{
    authz::ActorRole,
    lifecycle::{self, CloseKind},
};
use ticketbooth_sim::Message;
use ticketbooth_store::{DeliveryState, DeliveryTarget, JobKind, NewJob, UpdateOutcome, close_key};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use common::FreshPostgres;
use lifecycle_support::*;

/// A text channel for the bot's log, set as the server's log channel.
async fn with_log_channel(sandbox: &Sandbox) -> u64 {
    let log = sandbox
        .sim
        .create_channel(sandbox.demo.guild, "ticket-log", 0, None, &[])
        .expect("the log channel is created");
    configure(sandbox, |s| s.log_channel = Some(log)).await;
    log
}

/// The log channel's message carrying an attachment named `filename`.
async fn message_with_file(sandbox: &Sandbox, channel: u64, filename: &str) -> Message {
    drive::eventually("a message with the transcript", WAIT, || {
        sandbox
            .sim
            .messages(channel)
            .into_iter()
            .find(|m| m.attachments.iter().any(|a| a.filename == filename))
    })
    .await
    .expect("the transcript was posted")
}

fn file_text(message: &Message, filename: &str) -> String {
    let file = message
        .attachments
        .iter()
        .find(|a| a.filename == filename)
        .expect("the attachment");
    String::from_utf8(file.data.clone()).expect("the transcript is UTF-8 HTML")
}

/// The embed field named `name` in the message's first embed.
fn field(message: &Message, name: &str) -> String {
    message.embeds[0]["fields"]
        .as_array()
        .and_then(|fields| fields.iter().find(|f| f["name"] == name))
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name} in {}", message.embeds))
        .to_owned()
}

fn log_label(text: LogText) -> String {
    say(Language::En, &Msg::Log(text))
}

async fn it_works_delivers_the_transcript(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let log = with_log_channel(&sandbox).await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();

    sim.as_user(owner)
        .send_message(channel, "My <b>activation</b> key says it is already used.")
        .unwrap();
    let help = press(sim, owner, channel, |id| {
        matches!(id, CustomId::NeedHelp { .. })
    })
    .await;
    reply_of(&help).await;
    let claim = press(sim, demo.staff, channel, |id| {
        matches!(id, CustomId::Claim { .. })
    })
    .await;
    reply_of(&claim).await;
    sim.as_user(demo.staff)
        .send_message(channel, "I have reset your key, please try again.")
        .unwrap();
    // The staff message reaches the bot as MESSAGE_CREATE; wait until it is recorded.
    let deadline = tokio::time::Instant::now() + WAIT;
    while store(&sandbox)
        .first_response(ticket.id)
        .await
        .unwrap()
        .is_none()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the staff message was never recorded as the first response"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let works = press(sim, owner, channel, |id| {
        matches!(id, CustomId::ItWorks { .. })
    })
    .await;
    reply_of(&works).await;

    let filename = format!("{}.html", ticket.name);
    let summary = message_with_file(&sandbox, log, &filename).await;
    let page = file_text(&summary, &filename);
    assert!(page.starts_with("<!DOCTYPE html>"), "{page:.200}");
    assert!(
        page.contains("I have reset your key, please try again."),
        "the staff answer is in the transcript"
    );
    assert!(
        page.contains("&lt;b&gt;activation&lt;/b&gt;") || page.contains("&lt;b>activation"),
        "the member's text is in the transcript, escaped"
    );
    assert!(!page.contains("<b>activation</b>"), "user text is escaped");

    let title = summary.embeds[0]["title"].as_str().unwrap_or_default();
    assert!(title.contains(&ticket.name), "{title}");
    assert_eq!(
        field(&summary, &log_label(LogText::Owner)),
        format!("<@{owner}>")
    );
    assert_eq!(
        field(&summary, &log_label(LogText::ClaimedBy)),
        format!("<@{}>", demo.staff)
    );
    let closed_by = field(&summary, &log_label(LogText::ClosedBy));
    assert!(
        closed_by.contains(&say(
            Language::En,
            &Msg::CloseHowLabel(ticketbooth_core::CloseHow::ItWorks)
        )),
        "{closed_by}"
    );
    assert_ne!(
        field(&summary, &log_label(LogText::FirstResponse)),
        log_label(LogText::Nothing),
        "the first staff response time is shown"
    );
    let count: i64 = field(&summary, &log_label(LogText::Messages))
        .parse()
        .unwrap();
    assert!(count >= 4, "welcome, help, claim and two messages: {count}");
    assert_eq!(
        field(&summary, &log_label(LogText::Transcript)),
        log_label(LogText::Attached)
    );
    assert!(summary.pinged_users.is_empty() && summary.pinged_roles.is_empty());

    // Without a public URL the owner gets the file itself.
    let dm = drive::eventually("the transcript DM", WAIT, || {
        sim.dms(owner)
            .into_iter()
            .find(|m| m.attachments.iter().any(|a| a.filename == filename))
    })
    .await
    .expect("the owner got the transcript");
    assert!(file_text(&dm, &filename).contains("I have reset your key"));

    // Opened, help requested and claimed: one line each.
    let lines: Vec<String> = sim
        .messages(log)
        .iter()
        .map(|m| m.content.clone())
        .collect();
    for expected in [
        log_label(LogText::Opened {
            ticket: &ticket.name,
            owner,
            channel,
        }),
        log_label(LogText::HelpRequested {
            ticket: &ticket.name,
            owner,
            channel,
        }),
        log_label(LogText::Claimed {
            ticket: &ticket.name,
            by: demo.staff,
            channel,
        }),
    ] {
        assert!(lines.contains(&expected), "{expected:?} not in {lines:?}");
    }
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_works_delivers_the_transcript_on_sqlite() {
    it_works_delivers_the_transcript(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn it_works_delivers_the_transcript_on_postgres() {
    let db = FreshPostgres::create("it_works_delivers_the_transcript").await;
    it_works_delivers_the_transcript(db.database()).await;
}

/// A loopback port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Replaces the sandbox's bot with one that has a public URL and a link secret.
async fn with_public_url(sandbox: &mut Sandbox) -> String {
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");
    let mut config = sandbox::bot_config(&sandbox.sim, &sandbox.database_url);
    config.bind = format!("127.0.0.1:{port}").parse().unwrap();
    config.public_url = Some(public.clone());
    config.link_secret = Some(ticketbooth_bot::config::Secret::new(
        "an end-to-end test secret, long enough",
    ));
    config.link_ttl_days = Some(7);
    let mut running = ticketbooth_bot::app::start(config)
        .await
        .expect("the bot starts");
    let ready = async {
        while !running.ctx.health.gateway_ready() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(WAIT, ready)
        .await
        .expect("the new bot connects");
    std::mem::swap(&mut sandbox.bot, &mut running);
    running.shutdown(Duration::from_secs(5)).await;
    public
}

/// GETs `url` (plain http on loopback) and returns the status and the whole response text.
async fn http_get(url: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let request = format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

async fn staff_close_links_the_transcript(database: Database) {
    let mut sandbox = start(database).await;
    let public = with_public_url(&mut sandbox).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let log = with_log_channel(&sandbox).await;
    configure(&sandbox, |s| {
        s.closing = ClosingMode::Delete { after_secs: 1 };
    })
    .await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[1];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    sim.as_user(owner)
        .send_message(channel, "The export button does nothing.")
        .unwrap();
    let close = command(sim, demo.guild, demo.staff, channel, "close", Value::Null).await;
    reply_of(&close).await;

    let filename = format!("{}.html", ticket.name);
    let summary = message_with_file(&sandbox, log, &filename).await;
    assert!(file_text(&summary, &filename).contains("The export button does nothing."));
    let link = field(&summary, &log_label(LogText::Transcript));
    assert!(
        link.starts_with(&format!("{public}/transcripts/")),
        "{link}"
    );

    // The owner is sent the link, not the file.
    let dm = drive::eventually("the transcript DM", WAIT, || {
        sim.dms(owner)
            .into_iter()
            .find(|m| m.content.contains(&link))
    })
    .await
    .expect("the owner got the link");
    assert!(dm.attachments.is_empty());

    // The link is served by the running bot, privately; a tampered one is not.
    let (status, response) = http_get(&link).await;
    assert_eq!(status, 200, "{response:.300}");
    let lower = response.to_ascii_lowercase();
    assert!(lower.contains("content-type: text/html; charset=utf-8"));
    assert!(lower.contains("cache-control: no-store"));
    assert!(lower.contains("content-security-policy:"));
    assert!(response.contains("The export button does nothing."));
    let mut tampered = link.clone().into_bytes();
    let last = tampered.len() - 3;
    tampered[last] = if tampered[last] == b'x' { b'y' } else { b'x' };
    let (status, response) = http_get(&String::from_utf8(tampered).unwrap()).await;
    assert_eq!(status, 404, "{response:.300}");
    assert!(!response.contains("export button"));

    // A member with closed DMs: noted in the log, not an error.
    let closed_dms = demo.members[2];
    sim.set_accepts_dms(closed_dms, false);
    let quiet = open_ticket(&sandbox, &panel, closed_dms).await;
    let close = command(
        sim,
        demo.guild,
        demo.staff,
        quiet.channel_id.unwrap(),
        "close",
        Value::Null,
    )
    .await;
    reply_of(&close).await;
    let note = log_label(LogText::DmRefused { owner: closed_dms });
    drive::eventually("the closed-DM note", WAIT, || {
        sim.messages(log).into_iter().find(|m| m.content == note)
    })
    .await
    .expect("the closed DMs are noted in the log");
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_close_links_the_transcript_on_sqlite() {
    staff_close_links_the_transcript(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn staff_close_links_the_transcript_on_postgres() {
    let db = FreshPostgres::create("staff_close_links_the_transcript").await;
    staff_close_links_the_transcript(db.database()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vanished_log_channel_is_reported_once() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let log = with_log_channel(&sandbox).await;
    sim.delete_channel(log).unwrap();
    let panel = post_panel(&sandbox).await;
    configure(&sandbox, |s| s.max_open_per_member = 5).await;
    for member in [demo.members[0], demo.members[1]] {
        let ticket = open_ticket(&sandbox, &panel, member).await;
        let close = command(
            sim,
            demo.guild,
            demo.staff,
            ticket.channel_id.unwrap(),
            "close",
            Value::Null,
        )
        .await;
        reply_of(&close).await;
        ticket_until(store(&sandbox), ticket.id, "the transcript", |t| {
            t.deleted_at.is_some()
        })
        .await;
    }
    let gone = |m: &Message| m.content.contains(&format!("<#{log}>"));
    let reports = drive::eventually("the owner's report", WAIT, || {
        let reports: Vec<_> = sim.dms(demo.owner).into_iter().filter(gone).collect();
        (!reports.is_empty()).then_some(reports)
    })
    .await
    .expect("the owner is told");
    // Every ticket's delivery has run (each is archived after it); a second report would
    // come from a handler still running.
    handlers_idle(&sandbox.bot).await;
    let reports_now = sim.dms(demo.owner).into_iter().filter(gone).count();
    assert_eq!((reports.len(), reports_now), (1, 1));
    let settings = store(&sandbox).guild_settings(demo.guild).await.unwrap();
    assert_eq!(
        settings.log_channel, None,
        "the vanished channel is forgotten"
    );
    sandbox.stop().await;
}

/// How many history reads (captures) the bot made of `channel`.
fn captures_of(sim: &ticketbooth_sim::Sim, channel: u64) -> usize {
    let path = format!("/channels/{channel}/messages");
    sim.requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == path)
        .count()
}

/// The capture runs again after the summary and the DM went out (as after a lease that expired
/// mid-work, or a crash before the job was completed): the transcript is captured again, and
/// the log channel still has one summary and the owner one transcript DM.
async fn a_capture_run_twice_delivers_once(database: Database) {
    let sandbox = start(database).await;
    configure(&sandbox, |s| s.closing = ClosingMode::Keep).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let log = with_log_channel(&sandbox).await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    sim.as_user(owner)
        .send_message(channel, "Nothing happens when I click.")
        .unwrap();
    let works = press(sim, owner, channel, |id| {
        matches!(id, CustomId::ItWorks { .. })
    })
    .await;
    reply_of(&works).await;
    let filename = format!("{}.html", ticket.name);
    message_with_file(&sandbox, log, &filename).await;
    jobs_done(&sandbox, ticket.id).await;
    let saved_at = || async {
        store(&sandbox)
            .transcript(ticket.id)
            .await
            .unwrap()
            .unwrap()
            .created_at
    };
    let captured = saved_at().await;

    store(&sandbox)
        .schedule_job(ticketbooth_store::NewJob {
            kind: ticketbooth_store::JobKind::CaptureTranscript {
                ticket_id: ticket.id,
                channel_id: channel,
            },
            due_at: chrono::Utc::now(),
        })
        .await
        .unwrap();
    jobs_done(&sandbox, ticket.id).await;
    assert!(saved_at().await > captured, "the capture ran again");
    assert_eq!(
        captures_of(sim, channel),
        0,
        "all seen live: no history read"
    );

    let summaries = sim
        .messages(log)
        .into_iter()
        .filter(|m| m.attachments.iter().any(|a| a.filename == filename))
        .count();
    assert_eq!(summaries, 1, "one summary in the log channel");
    let dms = sim
        .dms(owner)
        .into_iter()
        .filter(|m| m.attachments.iter().any(|a| a.filename == filename))
        .count();
    assert_eq!(dms, 1, "one transcript DM");
    // Not even sent again for Discord to deduplicate: the store said they were delivered. (A
    // repeat with the nonce would be deduplicated for a few minutes only.)
    let closed = store(&sandbox).ticket(ticket.id).await.unwrap().unwrap();
    for target in [DeliveryTarget::LogSummary, DeliveryTarget::OwnerDm] {
        let nonce = delivery_nonce(ticket.id, close_key(&closed).unwrap(), target);
        let sent = sim
            .requests()
            .iter()
            .filter(|r| {
                r.body
                    .as_ref()
                    .is_some_and(|b| b["nonce"] == nonce.as_str())
            })
            .count();
        assert_eq!(sent, 1, "{target:?} sent {sent} times");
    }
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capture_run_twice_delivers_once_on_sqlite() {
    a_capture_run_twice_delivers_once(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn a_capture_run_twice_delivers_once_on_postgres() {
    let db = FreshPostgres::create("a_capture_run_twice_delivers_once").await;
    a_capture_run_twice_delivers_once(db.database()).await;
}

/// Posts `content` in `channel` as the bot with `nonce`, as an attempt that then died would have.
async fn post_as_bot(sandbox: &Sandbox, channel: u64, content: &str, nonce: &str) -> u64 {
    let ctx = &sandbox.bot.ctx;
    let body =
        serde_json::to_vec(&serde_json::json!({ "content": content, "nonce": nonce })).unwrap();
    ctx.send(
        ctx.http
            .create_message(twilight_model::id::Id::new(channel))
            .payload_json(&body),
    )
    .await
    .expect("the bot posts")
    .model()
    .await
    .unwrap()
    .id
    .get()
}

/// An earlier attempt posted the summary and the DM and died before recording them: the store
/// says "posting" and the messages with their nonces are there. The capture that runs next
/// sends both again with the same nonces and `enforce_nonce`, Discord answers with the messages
/// already there, and nothing is posted twice; the store then records those messages.
async fn a_post_not_recorded_is_not_repeated(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let log = with_log_channel(&sandbox).await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    let store = store(&sandbox);

    // The crashed attempt: the ticket closed (It Works!, the worker's capture still to run),
    // "posting" recorded for this close, then the messages sent, then nothing.
    let closed = lifecycle::close(
        &ticket,
        ActorRole::Owner,
        owner,
        CloseKind::ItWorks,
        None,
        chrono::Utc::now(),
    )
    .unwrap();
    let closed = match store.update_ticket(&closed).await.unwrap() {
        UpdateOutcome::Updated(closed) => closed,
        UpdateOutcome::Stale(_) => panic!("nothing else changes the ticket"),
    };
    let close = close_key(&closed).unwrap();
    let summary_nonce = delivery_nonce(ticket.id, close, DeliveryTarget::LogSummary);
    let dm_nonce = delivery_nonce(ticket.id, close, DeliveryTarget::OwnerDm);
    for target in [DeliveryTarget::LogSummary, DeliveryTarget::OwnerDm] {
        assert_eq!(
            store
                .begin_delivery(ticket.id, close, target, chrono::Utc::now())
                .await
                .unwrap(),
            DeliveryState::Posting
        );
    }
    let earlier_summary =
        post_as_bot(&sandbox, log, "summary (first attempt)", &summary_nonce).await;
    let ctx = &sandbox.bot.ctx;
    let dm_channel = ctx
        .send(
            ctx.http
                .create_private_channel(twilight_model::id::Id::new(owner)),
        )
        .await
        .unwrap()
        .model()
        .await
        .unwrap()
        .id
        .get();
    let earlier_dm = post_as_bot(
        &sandbox,
        dm_channel,
        "transcript (first attempt)",
        &dm_nonce,
    )
    .await;

    // The capture runs again (as its job would after the crash) and delivers.
    let _ = channel;
    store
        .schedule_job(NewJob {
            kind: JobKind::CaptureTranscript {
                ticket_id: ticket.id,
                channel_id: channel,
            },
            due_at: chrono::Utc::now(),
        })
        .await
        .unwrap();
    let recorded = |target| async move {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let state = store
                .begin_delivery(ticket.id, close, target, chrono::Utc::now())
                .await
                .unwrap();
            if state != DeliveryState::Posting {
                return state;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{target:?} was never recorded"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    };
    assert_eq!(
        recorded(DeliveryTarget::LogSummary).await,
        DeliveryState::Posted {
            message_id: Some(earlier_summary)
        }
    );
    assert_eq!(
        recorded(DeliveryTarget::OwnerDm).await,
        DeliveryState::Posted {
            message_id: Some(earlier_dm)
        }
    );
    jobs_done(&sandbox, ticket.id).await;

    // The retry did send, with the nonces enforced: Discord, not luck, kept it single.
    let resent = |channel: u64, nonce: &str| {
        let path = format!("/channels/{channel}/messages");
        sim.requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path == path)
            .filter(|r| {
                r.body.as_ref().is_some_and(|b| {
                    b["nonce"] == nonce && b["enforce_nonce"] == serde_json::Value::Bool(true)
                })
            })
            .count()
    };
    assert_eq!(resent(log, &summary_nonce), 1);
    assert_eq!(resent(dm_channel, &dm_nonce), 1);

    let filename = format!("{}.html", ticket.name);
    let in_log = sim.messages(log);
    let summaries: Vec<_> = in_log
        .iter()
        .filter(|m| {
            m.nonce.as_deref() == Some(summary_nonce.as_str())
                || m.attachments.iter().any(|a| a.filename == filename)
        })
        .collect();
    assert_eq!(summaries.len(), 1, "{summaries:#?}");
    assert_eq!(summaries[0].id, earlier_summary);
    let dms: Vec<_> = sim
        .dms(owner)
        .into_iter()
        .filter(|m| {
            m.nonce.as_deref() == Some(dm_nonce.as_str())
                || m.attachments.iter().any(|a| a.filename == filename)
        })
        .collect();
    assert_eq!(dms.len(), 1, "{dms:#?}");
    assert_eq!(dms[0].id, earlier_dm);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_not_recorded_is_not_repeated_on_sqlite() {
    a_post_not_recorded_is_not_repeated(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn a_post_not_recorded_is_not_repeated_on_postgres() {
    let db = FreshPostgres::create("a_post_not_recorded_is_not_repeated").await;
    a_post_not_recorded_is_not_repeated(db.database()).await;
}
