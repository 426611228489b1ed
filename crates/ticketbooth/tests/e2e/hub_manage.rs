//! Manage end to end: add and remove a member and close the ticket the hub was opened in,
//! Close all with its confirmation (each ticket through the normal close path), statistics,
//! and the refusals outside a ticket and for members.

use crate::common;
use crate::hub_support;

use std::time::Duration;

use ticketbooth::{drive, sandbox::Database};
use ticketbooth_core::{CloseHow, TicketStatus, authz::Refusal, custom_id::HubId, i18n::Msg};

use hub_support::{Hub, can_view, configure, reply_text, say, store};

/// Waits until ticket `id` is closed (or deleted) in the store and returns it.
async fn closed(sandbox: &ticketbooth::sandbox::Sandbox, id: i64) -> ticketbooth_core::Ticket {
    let deadline = tokio::time::Instant::now() + hub_support::WAIT;
    loop {
        let ticket = store(sandbox).ticket(id).await.unwrap().unwrap();
        if !ticket.status.is_open() {
            return ticket;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "ticket {id} never closed"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn manage_adds_removes_closes_and_closes_all_on(database: Database) {
    let sandbox = hub_support::start(database).await;
    let demo = sandbox.demo;
    let sim = &sandbox.sim;
    configure(&sandbox, |s| s.staff_roles = vec![demo.staff_role]).await;
    let setup = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    let panel = hub_support::post_panel_via_hub(&setup, demo.support, "Help").await;
    let mut tickets = Vec::new();
    for member in demo.members {
        tickets.push(hub_support::open_ticket(&sandbox, &panel, member, None).await);
    }
    let first = tickets[0].clone();
    let channel = first.channel_id.unwrap();

    // Outside a ticket, Add user is refused as such.
    let outside = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    outside.click(HubId::Manage).await;
    outside.click(HubId::AddUser).await;
    let refused = outside
        .select(HubId::AddUserSelect, &[&demo.members[1].to_string()])
        .await;
    assert_eq!(
        reply_text(&refused).await,
        say(&Msg::Refused(Refusal::NotATicket))
    );

    // Inside the first ticket: add, then remove, a member.
    let hub = Hub::open(sim, demo.guild, demo.admin, channel).await;
    hub.click(HubId::Manage).await;
    hub.click(HubId::AddUser).await;
    assert!(!can_view(sim, channel, demo.members[1]));
    hub.select(HubId::AddUserSelect, &[&demo.members[1].to_string()])
        .await;
    drive::eventually("the member in the ticket", hub_support::WAIT, || {
        can_view(sim, channel, demo.members[1]).then_some(())
    })
    .await
    .unwrap();
    assert!(
        store(&sandbox)
            .ticket(first.id)
            .await
            .unwrap()
            .unwrap()
            .members
            .contains(&demo.members[1])
    );
    hub.click(HubId::Manage).await;
    hub.click(HubId::RemoveUser).await;
    hub.select(HubId::RemoveUserSelect, &[&demo.members[1].to_string()])
        .await;
    drive::eventually("the member out of the ticket", hub_support::WAIT, || {
        (!can_view(sim, channel, demo.members[1])).then_some(())
    })
    .await
    .unwrap();

    // Close: the ticket the hub was opened in, through the normal path.
    hub.click(HubId::Manage).await;
    hub.click(HubId::ManageClose).await;
    let ticket = closed(&sandbox, first.id).await;
    assert_eq!(ticket.close_how, Some(CloseHow::Staff));
    assert_eq!(ticket.closed_by, Some(demo.admin));

    // A member cannot use Manage, even from a ticket of their own.
    let member = sim
        .as_user(demo.members[1])
        .slash_command(
            demo.guild,
            tickets[1].channel_id.unwrap(),
            "ticket",
            serde_json::Value::Null,
        )
        .unwrap();
    drive::acked(&member).await.unwrap();
    assert_eq!(
        reply_text(&member).await,
        say(&Msg::Refused(Refusal::NotStaff))
    );

    // Close all, by staff: a confirmation with the count, then each ticket closed as such,
    // with its closing message in its channel.
    let staff = Hub::open(sim, demo.guild, demo.staff, demo.support).await;
    staff.click(HubId::Manage).await;
    staff.click(HubId::CloseAll).await;
    staff
        .shows(&say(&Msg::CloseAllConfirmPrompt { count: 2 }))
        .await;
    // A ticket opens before the confirmation: the count is out of date, so it asks again.
    tickets[0] = hub_support::open_ticket(&sandbox, &panel, demo.members[0], None).await;
    staff.click(HubId::CloseAllConfirm { count: 2 }).await;
    staff
        .shows(&say(&Msg::CloseAllConfirmPrompt { count: 3 }))
        .await;
    assert_eq!(
        store(&sandbox)
            .open_tickets(demo.guild)
            .await
            .unwrap()
            .len(),
        3
    );
    let before = sim.requests().len();
    staff.click(HubId::CloseAllConfirm { count: 3 }).await;
    staff.shows(&say(&Msg::CloseAllDone { count: 3 })).await;
    for ticket in &tickets {
        let done = closed(&sandbox, ticket.id).await;
        assert_eq!(done.close_how, Some(CloseHow::CloseAll));
        assert_eq!(done.closed_by, Some(demo.staff));
        assert!(matches!(
            done.status,
            TicketStatus::Closed | TicketStatus::Deleted
        ));
    }
    assert!(
        store(&sandbox)
            .open_tickets(demo.guild)
            .await
            .unwrap()
            .is_empty()
    );
    let closing_posts = tickets
        .iter()
        .filter(|t| {
            sim.requests().iter().skip(before).any(|r| {
                r.method == "POST"
                    && r.path == format!("/channels/{}/messages", t.channel_id.unwrap())
            })
        })
        .count();
    assert_eq!(
        closing_posts, 3,
        "each closed ticket got its closing message"
    );

    // With nothing left open, the confirmation says 0.
    staff.click(HubId::Manage).await;
    staff.click(HubId::CloseAll).await;
    staff
        .shows(&say(&Msg::CloseAllConfirmPrompt { count: 0 }))
        .await;
    sandbox.stop().await;
}

async fn stats_answer_from_the_hub_on(database: Database) {
    let sandbox = hub_support::start(database).await;
    let demo = sandbox.demo;
    let hub = Hub::open(&sandbox.sim, demo.guild, demo.admin, demo.support).await;
    hub.click(HubId::Manage).await;
    let stats = hub.click(HubId::Stats).await;
    let text = reply_text(&stats).await;
    assert!(!text.is_empty());
    assert_ne!(text, say(&Msg::SomethingWentWrong));
    sandbox.stop().await;
}

/// Close all over many tickets on a slow Discord: the hub message shows progress while it
/// runs (edited through the interaction), then the final count.
async fn close_all_shows_progress_when_slow_on(database: Database) {
    let sandbox = hub_support::start(database).await;
    let demo = sandbox.demo;
    let sim = &sandbox.sim;
    configure(&sandbox, |s| s.staff_roles = vec![demo.staff_role]).await;
    let setup = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    let panel = hub_support::post_panel_via_hub(&setup, demo.support, "Help").await;
    const TICKETS: u32 = 12;
    for i in 0..TICKETS {
        let member = sim.create_user(&format!("member{i}"));
        sim.add_member(demo.guild, member, &[]).unwrap();
        hub_support::open_ticket(&sandbox, &panel, member, None).await;
    }
    // Each closing message now takes 300 ms to post: the run outlasts the acknowledgement.
    sim.faults()
        .add(ticketbooth_sim::faults::FaultRule::latency(
            None,
            "/channels/{channel.id}/messages",
            Duration::from_millis(300),
        ));
    let hub = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    hub.click(HubId::Manage).await;
    hub.click(HubId::CloseAll).await;
    hub.shows(&say(&Msg::CloseAllConfirmPrompt { count: TICKETS }))
        .await;
    let before = sim.requests().len();
    hub.click(HubId::CloseAllConfirm { count: TICKETS }).await;
    hub.shows(&say(&Msg::CloseAllDone { count: TICKETS })).await;
    let progress: Vec<String> = (1..TICKETS)
        .map(|done| {
            say(&Msg::CloseAllProgress {
                done,
                total: TICKETS,
            })
        })
        .collect();
    let shown = sim
        .requests()
        .into_iter()
        .skip(before)
        .filter(|r| r.method == "PATCH" && r.path.contains("/webhooks/"))
        .filter_map(|r| r.body?.get("content")?.as_str().map(str::to_owned))
        .filter(|content| progress.contains(content))
        .count();
    assert!(shown >= 1, "no progress was shown");
    assert!(
        store(&sandbox)
            .open_tickets(demo.guild)
            .await
            .unwrap()
            .is_empty()
    );
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn close_all_shows_progress_when_slow() {
    close_all_shows_progress_when_slow_on(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn manage_adds_removes_closes_and_closes_all() {
    manage_adds_removes_closes_and_closes_all_on(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn manage_adds_removes_closes_and_closes_all_on_postgres() {
    let db = common::FreshPostgres::create("manage_adds_removes_closes_and_closes_all").await;
    manage_adds_removes_closes_and_closes_all_on(db.database()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_answer_from_the_hub() {
    stats_answer_from_the_hub_on(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn stats_answer_from_the_hub_on_postgres() {
    let db = common::FreshPostgres::create("stats_answer_from_the_hub").await;
    stats_answer_from_the_hub_on(db.database()).await;
}
