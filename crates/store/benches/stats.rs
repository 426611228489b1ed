//! How fast `ticket_stats` is on a large archive: one million archived tickets in one server
//! (a year of them, every 31.5 seconds), half with a recorded first staff response, on SQLite
//! and, when `TICKETBOOTH_TEST_POSTGRES` names a server, on a fresh PostgreSQL database.
//!
//! Rows are generated inside the database by one multi-row `INSERT … SELECT` (a recursive CTE
//! on SQLite, `generate_series` on PostgreSQL) in a transaction, behind the store's back, so the
//! store's roll-ups are then rebuilt from them (timed: what an upgrade does once for an existing
//! archive). Each statistics query is timed
//! for all time, 30 days and 7 days, interleaved with a baseline (a plain indexed `COUNT(*)` of
//! the server's tickets), and the median of several runs is printed.
//!
//! Then the cost the roll-ups add to writes: closing a ticket against a bare one-row update.
//!
//! Run: `cargo bench -p ticketbooth-store --bench stats` (add `-- 100000` for fewer tickets).

use std::time::{Duration, Instant};

use chrono::Utc;
use sqlx::{Connection as _, Executor as _, PgConnection, SqliteConnection};
use ticketbooth_core::{CloseHow, TicketStatus};
use ticketbooth_store::{Reservation, ReserveTicket, Store, connect};

const GUILD: i64 = 1;
const RUNS: usize = 7;
/// Tickets closed to time a write.
const WRITES: i64 = 50;
/// Milliseconds between two tickets: one million of them span a year.
const SPACING_MS: i64 = 31_536;
/// The newest tickets are still open; the rest are archived.
const OPEN: i64 = 100;

/// What differs between the backends in the generating SQL.
struct Dialect {
    /// Wraps an expression in milliseconds since the epoch into a stored time.
    time: fn(&str) -> String,
    /// The row source: yields `i` from 1 to `n`, as a `(prefix, from)` pair.
    series: fn(i64) -> (String, String),
    /// A first response five minutes after `created_at`.
    five_minutes_later: &'static str,
}

const SQLITE: Dialect = Dialect {
    time: |ms| format!("({ms})"),
    series: |n| {
        (
            format!(
                "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) "
            ),
            "s".to_owned(),
        )
    },
    five_minutes_later: "created_at + 300000",
};

const POSTGRES: Dialect = Dialect {
    time: |ms| format!("to_timestamp(({ms}) / 1000.0)"),
    series: |n| {
        (
            String::new(),
            format!("generate_series(1::BIGINT, {n}::BIGINT) AS s(i)"),
        )
    },
    five_minutes_later: "created_at + INTERVAL '5 minutes'",
};

/// The statements that fill the archive with `n` tickets.
fn fill_sql(dialect: &Dialect, n: i64) -> [String; 2] {
    let base = Utc::now().timestamp_millis() - n * SPACING_MS;
    let t = dialect.time;
    let created = format!("{base} + i * {SPACING_MS}");
    let closed = format!("{created} + (i * 7919 % 86400) * 1000");
    let archived = format!("i <= {}", n - OPEN);
    let (prefix, from) = (dialect.series)(n);
    let tickets = format!(
        "{prefix}INSERT INTO tickets (guild_id, number, name, channel_id, owner_id, topic, status, \
         claimed_by, claimed_at, created_at, closed_at, closed_by, close_how, deleted_at, \
         resolution_ms, revision) \
         SELECT {GUILD}, i, 'ticket-' || i, 1000000000000 + i, 1000 + i % 50000, \
         CASE i % 6 WHEN 0 THEN NULL WHEN 1 THEN 'General Support' WHEN 2 THEN 'Activation' \
           WHEN 3 THEN 'Support' WHEN 4 THEN 'Billing' ELSE 'Access' END, \
         CASE WHEN {archived} THEN 'deleted' ELSE 'open' END, \
         CASE WHEN i % 3 = 0 THEN 500 + i % 20 END, \
         CASE WHEN i % 3 = 0 THEN {claimed} END, \
         {created_t}, \
         CASE WHEN {archived} THEN {closed_t} END, \
         CASE WHEN {archived} THEN 500 + i % 20 END, \
         CASE WHEN {archived} THEN CASE i % 6 WHEN 0 THEN 'it_works' \
           WHEN 1 THEN 'need_help_then_staff' WHEN 2 THEN 'staff' WHEN 3 THEN 'owner' \
           WHEN 4 THEN 'close_all' ELSE 'channel_deleted' END END, \
         CASE WHEN {archived} THEN {deleted_t} END, \
         CASE WHEN {archived} THEN (i * 7919 % 86400) * 1000 END, \
         0 FROM {from}",
        claimed = t(&format!("{created} + 120000")),
        created_t = t(&created),
        closed_t = t(&closed),
        deleted_t = t(&format!("{closed} + 5000")),
    );
    let responses = format!(
        "INSERT INTO first_responses (ticket_id, staff_id, responded_at) \
         SELECT id, 500 + id % 20, {} FROM tickets WHERE id % 2 = 0",
        dialect.five_minutes_later
    );
    [tickets, responses]
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:>9.2} ms", d.as_secs_f64() * 1000.0)
}

/// What keeping the roll-ups costs a write: closing a ticket (`update_ticket`, which also moves
/// its day's roll-up rows) against a baseline of a bare one-row `UPDATE` in its own transaction,
/// interleaved, on the full archive. Each ticket gets a server of its own so no limit refuses it.
async fn measure_writes(
    label: &str,
    store: &dyn Store,
    mut baseline: impl AsyncFnMut(i64) -> Duration,
) -> Result<(), Box<dyn std::error::Error>> {
    let (mut closes, mut bare) = (Vec::new(), Vec::new());
    for round in 0..WRITES {
        let reserved = store
            .reserve_ticket(ReserveTicket {
                guild_id: (GUILD + 1 + round) as u64,
                owner_id: 7,
                owner_name: "member".into(),
                topic: Some("Billing".into()),
                random_suffix: "abcdef".into(),
                now: Utc::now(),
            })
            .await?;
        let Reservation::Reserved(ticket) = reserved else {
            return Err("the benchmark's reservation was refused".into());
        };
        let mut ticket = store.attach_channel(ticket.id, 1 + round as u64).await?;
        bare.push(baseline(ticket.id).await);
        ticket.status = TicketStatus::Closed;
        ticket.closed_at = Some(Utc::now());
        ticket.closed_by = Some(500);
        ticket.claimed_by = Some(500);
        ticket.close_how = Some(CloseHow::Staff);
        let started = Instant::now();
        store.update_ticket(&ticket).await?;
        closes.push(started.elapsed());
    }
    let (close, bare) = (median(closes), median(bare));
    println!(
        "{label}: close a ticket {} vs one-row UPDATE {} ({:.1}× baseline, median of {WRITES})",
        ms(close),
        ms(bare),
        close.as_secs_f64() / bare.as_secs_f64().max(1e-9)
    );
    Ok(())
}

/// Builds the roll-ups for the tickets inserted behind the store's back, as an upgrade does
/// once for an existing archive, and prints how long it took.
async fn rebuild(label: &str, store: &dyn Store) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    store.rebuild_stats().await?;
    println!(
        "{label}: built the statistics roll-ups in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Times the three windows and the baseline, interleaved, and prints the medians.
async fn measure(
    label: &str,
    store: &dyn Store,
    mut baseline: impl AsyncFnMut() -> Duration,
) -> Result<(), Box<dyn std::error::Error>> {
    let now = Utc::now();
    let windows = [
        ("all time", None),
        ("30 days", Some(now - chrono::Duration::days(30))),
        ("7 days", Some(now - chrono::Duration::days(7))),
    ];
    let mut base = Vec::new();
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); windows.len()];
    let mut created = vec![0; windows.len()];
    for _ in 0..RUNS {
        base.push(baseline().await);
        for (index, (_, since)) in windows.iter().enumerate() {
            let started = Instant::now();
            let stats = store.ticket_stats(GUILD as u64, *since).await?;
            times[index].push(started.elapsed());
            created[index] = stats.created;
        }
    }
    let base = median(base);
    println!("{label}: baseline COUNT(*) {}", ms(base));
    for (index, (name, _)) in windows.iter().enumerate() {
        let median = median(times[index].clone());
        println!(
            "{label}: ticket_stats {name:>8} {} ({:>7} tickets, {:>6.1}× baseline)",
            ms(median),
            created[index],
            median.as_secs_f64() / base.as_secs_f64().max(1e-9)
        );
    }
    println!(
        "{label}: database size {:.1} MiB",
        store.size_bytes().await? as f64 / 1_048_576.0
    );
    Ok(())
}

async fn sqlite(n: i64) -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("tb-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite:{}", dir.join("stats.db").display());
    let store = connect(&url).await?;
    store.migrate().await?;
    let mut conn = SqliteConnection::connect(&url).await?;
    let started = Instant::now();
    let mut tx = conn.begin().await?;
    for sql in fill_sql(&SQLITE, n) {
        tx.execute(sql.as_str()).await?;
    }
    tx.commit().await?;
    println!(
        "sqlite: inserted {n} tickets in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    rebuild("sqlite", store.as_ref()).await?;
    conn.execute("ANALYZE").await?;
    let baseline = async || {
        let started = Instant::now();
        let _: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tickets WHERE guild_id = $1")
            .bind(GUILD)
            .fetch_one(&mut conn)
            .await
            .expect("the baseline query runs");
        started.elapsed()
    };
    measure("sqlite", store.as_ref(), baseline).await?;
    let bare_write = async |id: i64| {
        let started = Instant::now();
        sqlx::query("UPDATE tickets SET revision = revision WHERE id = $1")
            .bind(id)
            .execute(&mut conn)
            .await
            .expect("the baseline write runs");
        started.elapsed()
    };
    measure_writes("sqlite", store.as_ref(), bare_write).await?;
    store.close().await;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

async fn postgres(admin: &str, n: i64) -> Result<(), Box<dyn std::error::Error>> {
    let name = format!("tb_bench_{}", std::process::id());
    let mut admin_conn = PgConnection::connect(admin).await?;
    admin_conn
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await?;
    let url = match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => return Err("TICKETBOOTH_TEST_POSTGRES must end with /DATABASE".into()),
    };
    let result = async {
        let store = connect(&url).await?;
        store.migrate().await?;
        let mut conn = PgConnection::connect(&url).await?;
        let started = Instant::now();
        let mut tx = conn.begin().await?;
        for sql in fill_sql(&POSTGRES, n) {
            tx.execute(sql.as_str()).await?;
        }
        tx.commit().await?;
        println!(
            "postgres: inserted {n} tickets in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        rebuild("postgres", store.as_ref()).await?;
        // As autovacuum would leave a settled archive: statistics, and the visibility map that
        // lets index-only scans skip the heap.
        for table in [
            "tickets",
            "first_responses",
            "stats_counts",
            "stats_members",
        ] {
            conn.execute(format!("VACUUM ANALYZE {table}").as_str())
                .await?;
        }
        let baseline = async || {
            let started = Instant::now();
            let _: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tickets WHERE guild_id = $1")
                .bind(GUILD)
                .fetch_one(&mut conn)
                .await
                .expect("the baseline query runs");
            started.elapsed()
        };
        measure("postgres", store.as_ref(), baseline).await?;
        let bare_write = async |id: i64| {
            let started = Instant::now();
            sqlx::query("UPDATE tickets SET revision = revision WHERE id = $1")
                .bind(id)
                .execute(&mut conn)
                .await
                .expect("the baseline write runs");
            started.elapsed()
        };
        measure_writes("postgres", store.as_ref(), bare_write).await?;
        store.close().await;
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    admin_conn
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await?;
    result
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; a bare number overrides the archive's size.
    let n: i64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    println!("ticket_stats on {n} tickets, median of {RUNS} interleaved runs");
    sqlite(n).await?;
    match std::env::var("TICKETBOOTH_TEST_POSTGRES") {
        Ok(admin) if !admin.trim().is_empty() => postgres(admin.trim(), n).await?,
        _ => println!("postgres: skipped (set TICKETBOOTH_TEST_POSTGRES to run it)"),
    }
    Ok(())
}
