//! Close all survives a crash mid-run: the state a process that died half-way through a Close
//! all job leaves (some tickets closed, one closing message posted but not recorded, one not
//! posted, one close with nothing after it) is written while no bot runs, and a new bot on the
//! same database finishes the job: every listed ticket closed once with one closing message, a
//! ticket opened after the confirmation left open, and one line in the log channel.

use crate::common;
use crate::hub_support;

use chrono::Utc;
use ticketbooth::sandbox::{Database, start_bot};
use ticketbooth_bot::delivery::delivery_nonce;
use ticketbooth_core::{
    CloseHow, ClosingMode, Language, TicketStatus,
    authz::ActorRole,
    i18n::{self, LogText, Msg},
    lifecycle::{self, CloseKind},
};
use ticketbooth_store::{
    DeliveryState, DeliveryTarget, JobKind, NewJob, Store, UpdateOutcome, close_key,
};

use common::FreshPostgres;
use hub_support::{Hub, WAIT, bot_messages, can_view, configure};

/// Closes a ticket in the store only, as the admin's Close all would have just before dying.
async fn closed_by_close_all_in_store(store: &dyn Store, id: i64, admin: u64) {
    let ticket = store.ticket(id).await.unwrap().unwrap();
    let closed = lifecycle::close(
        &ticket,
        ActorRole::Admin,
        admin,
        CloseKind::CloseAll,
        None,
        Utc::now(),
    )
    .unwrap();
    assert!(matches!(
        store.update_ticket(&closed).await.unwrap(),
        UpdateOutcome::Updated(_)
    ));
}

async fn close_all_finishes_after_a_crash(database: Database) {
    let sandbox = hub_support::start(database).await;
    let demo = sandbox.demo;
    let sim = &sandbox.sim;
    configure(&sandbox, |s| {
        s.staff_roles = vec![demo.staff_role];
        s.closing = ClosingMode::Keep;
        s.log_channel = Some(demo.support);
    })
    .await;
    let setup = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    let panel = hub_support::post_panel_via_hub(&setup, demo.support, "Help").await;
    let mut members = demo.members.to_vec();
    for i in 0..2 {
        let member = sim.create_user(&format!("extra{i}"));
        sim.add_member(demo.guild, member, &[]).unwrap();
        members.push(member);
    }
    let mut listed = Vec::new();
    for &member in &members[..4] {
        listed.push(hub_support::open_ticket(&sandbox, &panel, member, None).await);
    }
    // Opened after the admin confirmed: not in the job's list.
    let later = hub_support::open_ticket(&sandbox, &panel, members[4], None).await;
    let channels: Vec<u64> = listed.iter().map(|t| t.channel_id.unwrap()).collect();
    let ids: Vec<i64> = listed.iter().map(|t| t.id).collect();
    // Each close has its own nonce; the ones asserted on are those of the closes made below.
    let closes: std::sync::Mutex<std::collections::HashMap<i64, i64>> = Default::default();
    let nonce = |id: i64| {
        let close = closes.lock().unwrap().get(&id).copied().unwrap_or_default();
        delivery_nonce(id, close, DeliveryTarget::ClosingMessage)
    };

    // The dead attempt closed the first three (each close is the key its deliveries and nonces
    // are recorded under, so it comes first here)...
    let mut closed_at = Vec::new();
    for &id in &ids[..3] {
        let store = sandbox.bot.ctx.store.as_ref();
        closed_by_close_all_in_store(store, id, demo.admin).await;
        let ticket = store.ticket(id).await.unwrap().unwrap();
        closes
            .lock()
            .unwrap()
            .insert(id, close_key(&ticket).unwrap());
        closed_at.push(ticket.closed_at);
    }
    // ...posted the third ticket's closing message and died before recording it.
    let ctx = &sandbox.bot.ctx;
    let body = serde_json::to_vec(&serde_json::json!({
        "content": "closed by the attempt that died",
        "nonce": nonce(ids[2]),
    }))
    .unwrap();
    ctx.send(
        ctx.http
            .create_message(twilight_model::id::Id::new(channels[2]))
            .payload_json(&body),
    )
    .await
    .expect("the bot posts");
    let before: Vec<usize> = channels
        .iter()
        .map(|&c| bot_messages(sim, c).len())
        .collect();
    let permissions = sim.permissions(demo.support, demo.admin);
    let url = sandbox.database_url.clone();
    let store = sandbox.bot.ctx.store.clone();
    sandbox
        .bot
        .shutdown(std::time::Duration::from_secs(5))
        .await;
    // A crash saves no gateway session.
    store
        .take_gateway_session(0, 1, Utc::now() - chrono::Duration::days(1))
        .await
        .unwrap();

    // What the crash left: the first three closed (the first with its message marked as being
    // posted, the second with nothing after the close, the third posted but not recorded), the
    // fourth still open; none locked.
    for id in [ids[0], ids[2]] {
        let close = closes.lock().unwrap()[&id];
        assert_eq!(
            store
                .begin_delivery(id, close, DeliveryTarget::ClosingMessage, Utc::now())
                .await
                .unwrap(),
            DeliveryState::Posting
        );
    }
    let job = store
        .schedule_job(NewJob {
            kind: JobKind::CloseAll {
                guild_id: demo.guild,
                user_id: demo.admin,
                role_ids: vec![demo.admin_role],
                permissions,
                ticket_ids: ids.clone(),
            },
            due_at: Utc::now(),
        })
        .await
        .unwrap();

    let bot = start_bot(sim, &url).await.unwrap();
    let store = bot.ctx.store.clone();
    let deadline = tokio::time::Instant::now() + WAIT;
    while store.job(job.id).await.unwrap().is_some() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the Close all job never finished"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    for (i, ticket) in listed.iter().enumerate() {
        let now = store.ticket(ticket.id).await.unwrap().unwrap();
        assert!(!now.status.is_open(), "ticket {i} closed");
        assert_eq!(now.close_how, Some(CloseHow::CloseAll));
        assert_eq!(now.closed_by, Some(demo.admin));
        if let Some(at) = closed_at.get(i) {
            assert_eq!(now.closed_at, *at, "ticket {i} not closed again");
        }
        let posted = bot_messages(sim, channels[i]);
        assert_eq!(
            posted.len(),
            before[i] + usize::from(i != 2),
            "ticket {i}: one closing message, the dead attempt's counted"
        );
        assert_eq!(
            posted
                .iter()
                .filter(|m| {
                    let close = close_key(&now).unwrap();
                    let nonce = delivery_nonce(ticket.id, close, DeliveryTarget::ClosingMessage);
                    m.nonce.as_deref() == Some(nonce.as_str())
                })
                .count(),
            1,
            "ticket {i}: its closing message carries its nonce"
        );
        assert!(
            matches!(
                store
                    .begin_delivery(
                        ticket.id,
                        close_key(&now).unwrap(),
                        DeliveryTarget::ClosingMessage,
                        Utc::now(),
                    )
                    .await
                    .unwrap(),
                DeliveryState::Posted { .. }
            ),
            "ticket {i}: recorded as posted"
        );
        // Keep mode's follow-up ran for the closes the crash cut short too: locked.
        assert!(!can_view(sim, channels[i], members[i]), "ticket {i} locked");
    }
    let still = store.ticket(later.id).await.unwrap().unwrap();
    assert_eq!(
        still.status,
        TicketStatus::Open,
        "opened after the confirmation"
    );
    assert!(can_view(sim, later.channel_id.unwrap(), members[4]));

    let line = i18n::text(
        Language::En,
        &Msg::Log(LogText::ClosedAll {
            by: demo.admin,
            count: 4,
        }),
    );
    let lines = bot_messages(sim, demo.support)
        .into_iter()
        .filter(|m| m.content == line)
        .count();
    assert_eq!(lines, 1, "one line in the log channel: {line}");
    bot.shutdown(std::time::Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_all_finishes_after_a_crash_on_sqlite() {
    close_all_finishes_after_a_crash(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn close_all_finishes_after_a_crash_on_postgres() {
    let db = FreshPostgres::create("close_all_finishes_after_a_crash").await;
    close_all_finishes_after_a_crash(db.database()).await;
}
