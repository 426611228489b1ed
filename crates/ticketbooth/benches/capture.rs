//! What live capture costs and saves, against the local simulator.
//!
//! 1. The store write each ticket message costs when the gateway delivers it
//!    (`record_message_created`: one `INSERT … SELECT` finding the ticket by its channel),
//!    against a bare insert of the same row with the ticket id already known (one plain
//!    `INSERT … VALUES` through sqlx, no store in between), each statement its own autocommit
//!    transaction, on the bot's SQLite file (and on PostgreSQL when `TICKETBOOTH_TEST_POSTGRES`
//!    names a server).
//! 2. The REST calls one close costs for tickets of 10, 1,000 and 10,000 messages, all seen live:
//!    from a staff `/close` to the channel's deletion and the summary and DM delivered, counted
//!    in the simulator's request log, with the history pages among them (none), beside the pages
//!    reading the whole history would take (one per 100 messages, as before live capture).
//!
//! Run: `cargo bench -p ticketbooth --bench capture` (add `-- 1000` to stop at 1,000 messages).

use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::Value;
use ticketbooth::{
    demo, drive,
    sandbox::{Options, Sandbox},
};
use ticketbooth_core::{ClosingMode, TicketStatus, custom_id::CustomId};
use ticketbooth_store::{Store, TicketMessage};

/// Messages written per measurement of the store write.
const WRITES: usize = 2000;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

fn message(id: u64) -> TicketMessage {
    TicketMessage {
        message_id: id,
        author_id: 42,
        author_name: "member".into(),
        author_display: Some("A Member".into()),
        author_avatar: None,
        author_bot: false,
        content: "My activation key says it is already used; I bought it yesterday.".into(),
        original_content: None,
        created_at: Utc::now(),
        edited_at: None,
        deleted_at: None,
        from_history: false,
        details: serde_json::json!({"embeds": [], "components": [], "attachments": []}),
    }
}

/// A plain insert of one message row, the ticket id known, on the same database.
const BARE_INSERT: &str = "INSERT INTO ticket_messages \
     (ticket_id, message_id, author_id, author_name, author_display, author_avatar, author_bot, \
      content, original_content, created_at, edited_at, deleted_at, from_history, details) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

/// The bare insert, on one backend.
enum Bare {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Bare {
    async fn insert(&self, ticket_id: i64, m: &TicketMessage) -> anyhow::Result<()> {
        let details = m.details.to_string();
        match self {
            Bare::Sqlite(pool) => {
                sqlx::query(BARE_INSERT)
                    .bind(ticket_id)
                    .bind(m.message_id as i64)
                    .bind(m.author_id as i64)
                    .bind(&m.author_name)
                    .bind(&m.author_display)
                    .bind(&m.author_avatar)
                    .bind(m.author_bot)
                    .bind(&m.content)
                    .bind(&m.original_content)
                    .bind(m.created_at.timestamp_millis())
                    .bind(None::<i64>)
                    .bind(None::<i64>)
                    .bind(m.from_history)
                    .bind(details)
                    .execute(pool)
                    .await?;
            }
            Bare::Postgres(pool) => {
                sqlx::query(BARE_INSERT)
                    .bind(ticket_id)
                    .bind(m.message_id as i64)
                    .bind(m.author_id as i64)
                    .bind(&m.author_name)
                    .bind(&m.author_display)
                    .bind(&m.author_avatar)
                    .bind(m.author_bot)
                    .bind(&m.content)
                    .bind(&m.original_content)
                    .bind(m.created_at)
                    .bind(None::<chrono::DateTime<Utc>>)
                    .bind(None::<chrono::DateTime<Utc>>)
                    .bind(m.from_history)
                    .bind(details)
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }
}

/// Median per-message time of `WRITES` captures and as many bare inserts, interleaved in runs
/// of 100 so that both see the same machine load.
async fn store_writes(
    label: &str,
    store: &dyn Store,
    bare_insert: &Bare,
    ticket_id: i64,
    channel: u64,
) -> anyhow::Result<()> {
    let mut capture = Vec::new();
    let mut bare = Vec::new();
    let mut next = 1_400_000_000_000_000_000u64;
    for _ in 0..WRITES / 100 {
        for _ in 0..100 {
            next += 1;
            let m = message(next);
            let started = Instant::now();
            store.record_message_created(channel, &m).await.unwrap();
            capture.push(started.elapsed());
            next += 1;
            let m = message(next);
            let started = Instant::now();
            bare_insert.insert(ticket_id, &m).await?;
            bare.push(started.elapsed());
        }
    }
    capture.sort();
    bare.sort();
    let (c, b) = (capture[capture.len() / 2], bare[bare.len() / 2]);
    println!(
        "{label:<10} capture (find the ticket by channel, insert) median {:>7.3} ms   \
         bare insert (ticket known) median {:>7.3} ms   {:>5.2}×",
        ms(c),
        ms(b),
        c.as_secs_f64() / b.as_secs_f64()
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn run() -> anyhow::Result<()> {
    let sizes: Vec<usize> = match std::env::args().nth(1).and_then(|a| a.parse().ok()) {
        Some(max) => [10, 1000, 10_000]
            .into_iter()
            .filter(|n| *n <= max)
            .collect(),
        None => vec![10, 1000, 10_000],
    };
    let sandbox = Sandbox::start(Options::default()).await?;
    demo::play(&sandbox, false).await?;
    let sim = &sandbox.sim;
    let d = sandbox.demo;
    let store = sandbox.bot.ctx.store.clone();
    let log = sim.create_channel(d.guild, "ticket-log", 0, None, &[])?;
    let mut settings = store.guild_settings(d.guild).await?;
    settings.staff_roles = vec![d.staff_role];
    settings.log_channel = Some(log);
    settings.closing = ClosingMode::Delete { after_secs: 0 };
    settings.max_open_total = 1000;
    store.save_guild_settings(&settings).await?;
    let (panel, open) = drive::find(&sim.messages(d.support), |id| {
        matches!(id, CustomId::OpenTicket { .. })
    })
    .ok_or_else(|| anyhow::anyhow!("the walk left no panel"))?;

    let open_ticket = |name: String| {
        let store = store.clone();
        let open = open.clone();
        async move {
            let user = sim.create_user(&name);
            sim.add_member(d.guild, user, &[])?;
            let interaction = sim.as_user(user).click(d.support, panel.id, &open)?;
            drive::acked(&interaction).await?;
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                let open = store.member_open_tickets(d.guild, user).await?;
                if let Some(t) = open.into_iter().find(|t| t.channel_id.is_some()) {
                    return anyhow::Ok((user, t));
                }
                anyhow::ensure!(Instant::now() < deadline, "no ticket opened");
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
        }
    };

    println!("live capture: one store write per message ({WRITES} of each)");
    let (_, ticket) = open_ticket("bench-writes".into()).await?;
    let path = sandbox
        .database_url
        .strip_prefix("sqlite:")
        .unwrap_or(&sandbox.database_url);
    let sqlite = Bare::Sqlite(
        sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(path)
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(10)),
            )
            .await?,
    );
    store_writes(
        "sqlite",
        store.as_ref(),
        &sqlite,
        ticket.id,
        ticket.channel_id.unwrap(),
    )
    .await?;
    if let Ok(admin) = std::env::var("TICKETBOOTH_TEST_POSTGRES") {
        let (pg, pg_url) = postgres_store(&admin).await?;
        let channel = 777;
        let reserved = pg
            .reserve_ticket(ticketbooth_store::ReserveTicket {
                guild_id: d.guild,
                owner_id: 42,
                owner_name: "member".into(),
                topic: None,
                random_suffix: "abc123".into(),
                now: Utc::now(),
            })
            .await?;
        let ticketbooth_store::Reservation::Reserved(t) = reserved else {
            anyhow::bail!("the reservation was refused");
        };
        pg.attach_channel(t.id, channel).await?;
        let bare = Bare::Postgres(sqlx::PgPool::connect(&pg_url).await?);
        store_writes("postgres", pg.as_ref(), &bare, t.id, channel).await?;
    }

    println!("\nREST calls per close (staff /close → summary, DM, channel deleted), all seen live");
    for n in sizes {
        let (owner, ticket) = open_ticket(format!("bench-{n}")).await?;
        let channel = ticket.channel_id.unwrap();
        let started = Instant::now();
        for i in 0..n {
            let author = if i % 2 == 0 { owner } else { d.staff };
            sim.as_user(author)
                .send_message(channel, &format!("message {i} of {n}"))?;
        }
        let deadline = Instant::now() + Duration::from_secs(600);
        while store.ticket_messages(ticket.id).await?.len() < n {
            anyhow::ensure!(
                Instant::now() < deadline,
                "the messages were never captured"
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let captured_in = started.elapsed();
        let before = sim.requests().len();
        let close = sim
            .as_user(d.staff)
            .slash_command(d.guild, channel, "close", Value::Null)?;
        drive::acked(&close).await?;
        let filename = format!("{}.html", ticket.name);
        // The deletion job delivers before it deletes the channel: once the channel is gone,
        // every call of the close has been made.
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            let done = store
                .ticket(ticket.id)
                .await?
                .is_some_and(|t| t.status == TicketStatus::Deleted)
                && sim.channel(channel).is_none();
            if done {
                break;
            }
            anyhow::ensure!(Instant::now() < deadline, "the close never finished");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let delivered = |messages: Vec<ticketbooth_sim::Message>| {
            messages
                .iter()
                .any(|m| m.attachments.iter().any(|a| a.filename == filename))
        };
        let (summary, dm) = (delivered(sim.messages(log)), delivered(sim.dms(owner)));
        let calls = &sim.requests()[before..];
        let history = calls
            .iter()
            .filter(|r| r.method == "GET" && r.path == format!("/channels/{channel}/messages"))
            .count();
        println!(
            "{n:>6} messages: {:>2} REST calls, {history} history pages \
             (reading it all: {} pages); captured live in {:.1} s; summary {}, DM {}",
            calls.len(),
            n.div_ceil(100) + 1,
            captured_in.as_secs_f64(),
            if summary { "posted" } else { "NOT posted" },
            if dm { "sent" } else { "NOT sent" },
        );
        println!(
            "       {}",
            calls
                .iter()
                .map(|r| format!("{} {}", r.method, r.route.as_deref().unwrap_or(&r.path)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    sandbox.stop().await;
    Ok(())
}

/// A fresh PostgreSQL database on the server `admin_url` names, migrated.
async fn postgres_store(admin_url: &str) -> anyhow::Result<(std::sync::Arc<dyn Store>, String)> {
    use sqlx::{Connection as _, Executor as _};
    let name = format!("tb_bench_capture_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(admin_url).await?;
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
        .await?;
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await?;
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => anyhow::bail!("TICKETBOOTH_TEST_POSTGRES has no database path"),
    };
    let store = ticketbooth_store::connect(&url).await?;
    store.migrate().await?;
    Ok((store, url))
}
