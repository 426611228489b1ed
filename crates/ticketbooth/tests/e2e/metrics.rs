//! Metrics end to end (issue 6, points 6–7): `/stats` shows the figures of a known set of
//! tickets seeded in the store, for all time, 30 days and 7 days, in the member's language; the
//! running bot's `/metrics` parses as Prometheus text, counts the interactions it answered, and
//! counts every REST call the simulator saw from the bot under its route and status, with no
//! token in sight.

use crate::common;
use crate::lifecycle_support;

use std::{collections::BTreeMap, time::Duration};

use chrono::{DateTime, Utc};
use serde_json::Value;
use ticketbooth::{
    drive,
    sandbox::{Database, Sandbox},
};
use ticketbooth_bot::rest::route_template;
use ticketbooth_core::{CloseHow, Snowflake, Ticket, TicketStatus, custom_id::CustomId};
use ticketbooth_sim::{
    RequestRecord,
    faults::{FaultRule, Trigger},
};
use ticketbooth_store::{ErrorKind, Reservation, ReserveTicket, UpdateOutcome};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use common::FreshPostgres;
use lifecycle_support::*;

/// Reserves and records a ticket opened `age` ago, then applies `change`.
async fn seed(
    sandbox: &Sandbox,
    owner: Snowflake,
    opened: DateTime<Utc>,
    topic: Option<&str>,
    change: impl FnOnce(&mut Ticket),
) -> Ticket {
    let store = store(sandbox);
    // The bot's start-up reconciliation may still be running, and it releases reservations
    // older than a minute that have no channel: a seed caught between its two steps is redone.
    let mut ticket = None;
    for _ in 0..5 {
        let Reservation::Reserved(reserved) = store
            .reserve_ticket(ReserveTicket {
                guild_id: sandbox.demo.guild,
                owner_id: owner,
                owner_name: "member".into(),
                topic: topic.map(str::to_owned),
                random_suffix: "abcdef".into(),
                now: opened,
            })
            .await
            .unwrap()
        else {
            panic!("the seed was refused")
        };
        // A real channel, so reconciliation has nothing to repair once it is attached.
        let channel = sandbox
            .sim
            .create_channel(sandbox.demo.guild, &reserved.name, 0, None, &[])
            .unwrap();
        match store.attach_channel(reserved.id, channel).await {
            Ok(attached) => {
                ticket = Some(attached);
                break;
            }
            Err(error) if error.kind() == ErrorKind::NotFound => continue,
            Err(error) => panic!("{error}"),
        }
    }
    let mut ticket = ticket.expect("the seed was recorded");
    change(&mut ticket);
    match store.update_ticket(&ticket).await.unwrap() {
        UpdateOutcome::Updated(ticket) => ticket,
        UpdateOutcome::Stale(_) => panic!("nobody else writes these tickets"),
    }
}

fn closed(how: CloseHow, by: Snowflake, at: DateTime<Utc>) -> impl FnOnce(&mut Ticket) {
    move |t| {
        t.status = TicketStatus::Closed;
        t.closed_at = Some(at);
        t.closed_by = Some(by);
        t.close_how = Some(how);
    }
}

/// The field of the stats embed named `name`.
fn field(embed: &Value, name: &str) -> String {
    embed["fields"]
        .as_array()
        .and_then(|fields| fields.iter().find(|f| f["name"] == name))
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name} in {embed}"))
        .to_owned()
}

fn assert_lines(text: &str, expected: &[&str]) {
    for line in expected {
        assert!(text.contains(line), "{line:?} missing from\n{text}");
    }
}

/// Waits until the bot has no event handler running for a while: start-up reconciliation (on
/// GUILD_CREATE) compares the store with the channels Discord listed before the seeds existed,
/// and would close a seeded open ticket as "channel deleted".
async fn settle(sandbox: &Sandbox) {
    let mut quiet = 0;
    while quiet < 10 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        quiet = if sandbox.bot.ctx.tasks.is_empty() {
            quiet + 1
        } else {
            0
        };
    }
}

async fn stats_match_the_seeded_tickets(database: Database) {
    let sandbox = start(database).await;
    settle(&sandbox).await;
    let demo = sandbox.demo;
    let [a, b, c] = demo.members;
    let staff = demo.staff;
    let now = Utc::now();
    let ago = |days: i64| now - chrono::Duration::days(days);
    let mins = chrono::Duration::minutes;

    // All time: 4 tickets; 30 days: the last 3; 7 days: the last 2.
    seed(
        &sandbox,
        a,
        ago(40),
        None,
        closed(CloseHow::ItWorks, a, ago(40) + mins(60)),
    )
    .await;
    let helped = seed(&sandbox, b, ago(10), Some("Billing"), |t| {
        t.claimed_by = Some(staff);
        t.claimed_at = Some(ago(10) + mins(4));
        closed(CloseHow::NeedHelpThenStaff, staff, ago(10) + mins(30))(t);
    })
    .await;
    let open = seed(&sandbox, b, ago(2), Some("Billing"), |_| {}).await;
    seed(
        &sandbox,
        c,
        ago(1),
        Some("Access"),
        closed(CloseHow::Staff, staff, ago(1) + mins(120)),
    )
    .await;
    let store = store(&sandbox);
    store
        .record_first_response(helped.id, staff, ago(10) + mins(5))
        .await
        .unwrap();
    store
        .record_first_response(open.id, staff, ago(2) + mins(10))
        .await
        .unwrap();

    let asked = command(
        &sandbox.sim,
        demo.guild,
        demo.admin,
        demo.support,
        "stats",
        Value::Null,
    )
    .await;
    let reply = reply_of(&asked).await;
    assert_eq!(
        reply.ephemeral_to,
        Some(demo.admin),
        "the stats are private"
    );
    let embed = &reply.embeds[0];
    assert_eq!(embed["title"], "Ticket statistics");

    assert_lines(
        &field(embed, "All time"),
        &[
            "**Created**: 4",
            "**Closed**: 3",
            "resolved, confirmed by the owner: 1",
            "by staff after a help request: 1",
            "by staff: 1",
            "by the owner: 0",
            "**Still open**: 1",
            "**Average resolution**: 1h 10m 00s",
            "**Median resolution**: 1h 00m 00s",
            "**Average first staff response**: 7m 30s",
            "**Tickets per member**: 1.33",
            "**Most common topic**: Billing (2)",
            "**Resolution rate**: 75.0%",
        ],
    );
    assert_lines(
        &field(embed, "Last 30 days"),
        &[
            "**Created**: 3",
            "**Closed**: 2",
            "**Average resolution**: 1h 15m 00s",
            "**Median resolution**: 1h 15m 00s",
            "**Tickets per member**: 1.50",
            "**Resolution rate**: 66.7%",
        ],
    );
    assert_lines(
        &field(embed, "Last 7 days"),
        &[
            "**Created**: 2",
            "**Closed**: 1",
            "**Average resolution**: 2h 00m 00s",
            "**Average first staff response**: 10m 00s",
            "**Most common topic**: Access (1)",
            "**Resolution rate**: 50.0%",
        ],
    );
    assert_eq!(
        field(embed, "Staff activity (all time)"),
        format!("<@{staff}>: 1 claims, 2 closes, 2 first responses")
    );
    assert_lines(
        &field(embed, "Bot"),
        &[
            "**Commands processed**: ",
            "**Database size**: ",
            "**Error rate**: ",
        ],
    );

    // A member whose Discord speaks Vietnamese reads the same figures in Vietnamese.
    sandbox.sim.set_user_locale(demo.admin, "vi");
    let asked = command(
        &sandbox.sim,
        demo.guild,
        demo.admin,
        demo.support,
        "stats",
        Value::Null,
    )
    .await;
    let reply = reply_of(&asked).await;
    let embed = &reply.embeds[0];
    assert_eq!(embed["title"], "Thống kê ticket");
    assert_lines(
        &field(embed, "Toàn bộ thời gian"),
        &["**Đã tạo**: 4", "75.0%"],
    );

    // Members without a staff or admin role are refused.
    let refused = command(
        &sandbox.sim,
        demo.guild,
        a,
        demo.support,
        "stats",
        Value::Null,
    )
    .await;
    let reply = reply_of(&refused).await;
    assert!(
        reply.embeds.as_array().is_none_or(|e| e.is_empty()),
        "{:?}",
        reply.embeds
    );
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_match_the_seeded_tickets_on_sqlite() {
    stats_match_the_seeded_tickets(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn stats_match_the_seeded_tickets_on_postgres() {
    let db = FreshPostgres::create("stats_match_the_seeded_tickets").await;
    stats_match_the_seeded_tickets(db.database()).await;
}

/// GETs a path from the bot's web server and returns the body.
async fn get(sandbox: &Sandbox, path: &str) -> (String, String) {
    let addr = sandbox.bot.web_addr;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8(response).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("a full response");
    (head.to_owned(), body.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_prometheus_text_and_count_interactions() {
    let sandbox = start(Database::TempSqlite).await;
    let demo = sandbox.demo;
    for _ in 0..3 {
        let asked = command(
            &sandbox.sim,
            demo.guild,
            demo.admin,
            demo.support,
            "ticket",
            Value::Null,
        )
        .await;
        reply_of(&asked).await;
    }
    // The acknowledgement is recorded just after Discord accepts it.
    let answered = &sandbox.bot.ctx.metrics.interactions;
    drive::eventually("three acknowledgements recorded", WAIT, || {
        (answered.load(std::sync::atomic::Ordering::Relaxed) >= 3).then_some(())
    })
    .await
    .unwrap();
    let (head, body) = get(&sandbox, "/metrics").await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/plain; version=0.0.4"),
        "{head}"
    );
    // Chunked transfer encoding would put sizes between lines; axum sends a fixed length here.
    let scrape = prometheus_parse::Scrape::parse(body.lines().map(|l| Ok(l.to_owned())))
        .expect("the exposition parses");
    let sample = |name: &str| {
        scrape
            .samples
            .iter()
            .find(|s| s.metric == name)
            .unwrap_or_else(|| panic!("{name} missing from\n{body}"))
            .value
            .clone()
    };
    match sample("ticketbooth_interactions_total") {
        prometheus_parse::Value::Counter(n) => assert!(n >= 3.0, "{n}"),
        other => panic!("{other:?}"),
    }
    match sample("ticketbooth_interaction_ack_seconds") {
        prometheus_parse::Value::Histogram(buckets) => {
            let within_deadline = buckets
                .iter()
                .find(|b| b.less_than == 3.0)
                .expect("a 3-second bucket")
                .count;
            assert!(within_deadline >= 3.0, "{buckets:?}");
        }
        other => panic!("not a histogram: {other:?}"),
    }
    match sample("ticketbooth_gateway_events_total") {
        prometheus_parse::Value::Counter(n) => assert!(n >= 3.0, "{n}"),
        other => panic!("{other:?}"),
    }
    match sample("ticketbooth_database_size_bytes") {
        prometheus_parse::Value::Gauge(n) => assert!(n > 0.0, "{n}"),
        other => panic!("{other:?}"),
    }
    sandbox.stop().await;
}

/// A REST call's labels: method, route template, status.
type CallKey = (String, String, String);

/// What the simulator logged, counted the way `/metrics` should count it.
fn logged_calls(records: &[RequestRecord]) -> BTreeMap<CallKey, f64> {
    let mut calls = BTreeMap::new();
    for record in records {
        let key = (
            record.method.clone(),
            route_template(&record.path),
            record.status.to_string(),
        );
        *calls.entry(key).or_default() += 1.0;
    }
    calls
}

/// What `/metrics` counted.
fn counted_calls(scrape: &prometheus_parse::Scrape) -> BTreeMap<CallKey, f64> {
    let mut calls = BTreeMap::new();
    for sample in &scrape.samples {
        if sample.metric != "ticketbooth_discord_requests_total" {
            continue;
        }
        let prometheus_parse::Value::Counter(count) = sample.value else {
            panic!("not a counter: {sample:?}");
        };
        let label = |name: &str| sample.labels.get(name).unwrap_or_default().to_owned();
        calls.insert((label("method"), label("route"), label("status")), count);
    }
    calls
}

/// The simulator's route template (`/channels/{channel.id}`) with Discord's placeholder names
/// folded into the ones the metrics use (`/channels/:id`).
fn folded(template: &str) -> String {
    template
        .split('/')
        .map(|segment| match segment.strip_prefix('{') {
            Some(name) if name.ends_with(".token}") => ":token",
            Some(_) => ":id",
            None => segment,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The interaction tokens in the logged paths (the callback and webhook routes carry them).
fn tokens_in(records: &[RequestRecord]) -> Vec<String> {
    records
        .iter()
        .filter_map(|record| {
            let template = record.route.as_deref()?;
            let at = template
                .split('/')
                .position(|segment| segment == "{interaction.token}")?;
            record.path.split('/').nth(at).map(str::to_owned)
        })
        .collect()
}

/// After real work (the hub, a ticket opened, helped, claimed, closed by its owner, its
/// transcript captured and delivered, its channel deleted, a refused DM, a Discord outage on one
/// call), `/metrics` counts exactly the REST calls the simulator logged, by method, route
/// template and status: no call site bypasses the counting layer. No token is in the text.
async fn discord_requests_are_counted_by_route_and_status(database: Database) {
    let sandbox = start(database).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let log = sim
        .create_channel(demo.guild, "ticket-log", 0, None, &[])
        .expect("the log channel is created");
    configure(&sandbox, |s| s.log_channel = Some(log)).await;
    // One server error, where the bot carries on without the answer (the server's name for the
    // transcript), so a 5xx is counted too.
    sim.faults().add(FaultRule::status(
        None,
        "/guilds/{guild.id}",
        503,
        Trigger::NextN(1),
    ));

    reply_of(
        &command(
            sim,
            demo.guild,
            demo.admin,
            demo.support,
            "ticket",
            Value::Null,
        )
        .await,
    )
    .await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    // Its DMs are refused (403), on opening and with the transcript.
    sim.set_accepts_dms(owner, false);
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.expect("a channel");
    sim.as_user(owner)
        .send_message(channel, "It does not start.")
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
    let works = press(sim, owner, channel, |id| {
        matches!(id, CustomId::ItWorks { .. })
    })
    .await;
    reply_of(&works).await;
    ticket_until(store(&sandbox), ticket.id, "the deletion", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    let filename = format!("{}.html", ticket.name);
    drive::eventually("the summary in the log channel", WAIT, || {
        sim.messages(log)
            .into_iter()
            .find(|m| m.attachments.iter().any(|a| a.filename == filename))
    })
    .await
    .expect("the summary was posted");
    settle(&sandbox).await;

    // A call is counted once Discord's answer is back, a moment after the simulator logged it.
    let deadline = tokio::time::Instant::now() + WAIT;
    let (records, counted, body) = loop {
        let records = sim.requests();
        let (_, body) = get(&sandbox, "/metrics").await;
        let scrape = prometheus_parse::Scrape::parse(body.lines().map(|l| Ok(l.to_owned())))
            .expect("the exposition parses");
        let counted = counted_calls(&scrape);
        if counted == logged_calls(&records) || tokio::time::Instant::now() > deadline {
            break (records, counted, body);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // twilight repeats a request answered 429 and the bot counts the call once: the comparison
    // holds only for traffic without one.
    assert!(
        records.iter().all(|r| r.status != 429),
        "rate limited during the test; the counts cannot be compared"
    );
    assert_eq!(
        counted,
        logged_calls(&records),
        "/metrics differs from the simulator's log"
    );

    // The work above went through the routes and statuses it should have; and, every message
    // having been captured live, the close read no history.
    assert!(
        !counted
            .keys()
            .any(|(m, r, _)| m == "GET" && r == "/channels/:id/messages"),
        "{counted:#?}"
    );
    for key in [
        ("PUT", "/applications/:id/commands", "200"),
        ("GET", "/gateway/bot", "200"),
        ("POST", "/interactions/:id/:token/callback", "204"),
        ("POST", "/guilds/:id/channels", "201"),
        ("POST", "/channels/:id/messages", "200"),
        ("POST", "/users/@me/channels", "200"),
        ("POST", "/channels/:id/messages", "403"),
        ("GET", "/guilds/:id", "503"),
        ("DELETE", "/channels/:id", "200"),
    ] {
        let key = (key.0.to_owned(), key.1.to_owned(), key.2.to_owned());
        assert!(
            counted.contains_key(&key),
            "{key:?} missing from {counted:#?}"
        );
    }
    // The metrics' templates are Discord's route templates, placeholders aside.
    for record in &records {
        let template = record.route.as_deref().expect("an implemented route");
        assert_eq!(route_template(&record.path), folded(template), "{record:?}");
    }
    let tokens = tokens_in(&records);
    assert!(!tokens.is_empty(), "interactions were answered");
    for token in tokens
        .iter()
        .map(String::as_str)
        .chain([sim.bot_token().as_str()])
    {
        assert!(!body.contains(token), "a token is in /metrics: :token");
    }
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_requests_are_counted_by_route_and_status_on_sqlite() {
    discord_requests_are_counted_by_route_and_status(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn discord_requests_are_counted_by_route_and_status_on_postgres() {
    let db = FreshPostgres::create("discord_requests_are_counted").await;
    discord_requests_are_counted_by_route_and_status(db.database()).await;
}
