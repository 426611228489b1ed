//! The store suite: every test body runs on SQLite and, when configured, on PostgreSQL.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use common::TestDb;
use ticketbooth_core::{
    CloseHow, ClosingMode, GuildSettings, Language, Naming, Snowflake, Ticket, TicketStatus,
    WhoMayClose,
};
use ticketbooth_store::{
    CaptureGap, ErrorKind, GatewaySession, Job, JobKind, NewJob, NewPanel, NewTopic, NewTranscript,
    OPENING_KEY, OpenRefusal, Reservation, ReserveTicket, StaffActivity, Store, TicketMessage,
    TicketStats, UpdateOutcome,
};

const GUILD: Snowflake = 1_100_000_000_000_000_001;
const OTHER_GUILD: Snowflake = 1_100_000_000_000_000_002;
/// Above `i64::MAX`: stored as a negative number, must come back unchanged.
const HUGE: Snowflake = u64::MAX - 41;

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_780_000_000 + secs, 0)
        .single()
        .expect("valid time")
}

fn request(guild: Snowflake, owner: Snowflake, now: DateTime<Utc>) -> ReserveTicket {
    ReserveTicket {
        guild_id: guild,
        owner_id: owner,
        owner_name: format!("member{owner}"),
        topic: None,
        random_suffix: "abc123".to_owned(),
        now,
    }
}

async fn reserve(store: &dyn Store, guild: Snowflake, owner: Snowflake) -> Ticket {
    match store
        .reserve_ticket(request(guild, owner, at(0)))
        .await
        .expect("reserve")
    {
        Reservation::Reserved(ticket) => ticket,
        Reservation::Refused(why) => panic!("refused: {why:?}"),
    }
}

async fn open_ticket(
    store: &dyn Store,
    guild: Snowflake,
    owner: Snowflake,
    channel: Snowflake,
) -> Ticket {
    let ticket = reserve(store, guild, owner).await;
    store
        .attach_channel(ticket.id, channel)
        .await
        .expect("attach")
}

async fn save_limits(store: &dyn Store, guild: Snowflake, per_member: u32, total: u32) {
    let mut settings = store.guild_settings(guild).await.expect("settings");
    settings.max_open_per_member = per_member;
    settings.max_open_total = total;
    store
        .save_guild_settings(&settings)
        .await
        .expect("save settings");
}

fn updated(outcome: UpdateOutcome) -> Ticket {
    match outcome {
        UpdateOutcome::Updated(ticket) => ticket,
        UpdateOutcome::Stale(current) => panic!("unexpectedly stale: {current:?}"),
    }
}

async fn migrations_are_idempotent(db: &TestDb) {
    let store = &db.store;
    store.migrate().await.expect("second migrate");
    db.reopen()
        .await
        .migrate()
        .await
        .expect("migrate from another pool");
    store.ping().await.expect("ping");
    assert!(store.size_bytes().await.expect("size") > 0);
    save_limits(store.as_ref(), GUILD, 2, 3).await;
    store.migrate().await.expect("migrate with data present");
    assert_eq!(store.guild_settings(GUILD).await.unwrap().max_open_total, 3);
}

async fn settings_default_and_round_trip(db: &TestDb) {
    let store = &db.store;
    assert_eq!(
        store.guild_settings(GUILD).await.unwrap(),
        GuildSettings::defaults(GUILD)
    );
    let mut settings = GuildSettings::defaults(GUILD);
    settings.enabled = false;
    settings.max_open_per_member = 3;
    settings.max_open_total = 40;
    settings.staff_roles = vec![HUGE, 12];
    settings.log_channel = Some(HUGE - 1);
    settings.default_category = Some(77);
    settings.closing = ClosingMode::Keep;
    settings.who_may_close = WhoMayClose::StaffOnly;
    settings.naming = Naming::Random6;
    settings.response_time = "within a day".to_owned();
    settings.instructions = "Describe your problem. «Tiếng Việt»".to_owned();
    settings.color = 0xff_00_00;
    settings.footer = "footer".to_owned();
    settings.language = Language::Vi;
    store.save_guild_settings(&settings).await.unwrap();
    assert_eq!(store.guild_settings(GUILD).await.unwrap(), settings);
    assert_eq!(
        store.guild_settings(OTHER_GUILD).await.unwrap(),
        GuildSettings::defaults(OTHER_GUILD)
    );

    settings.closing = ClosingMode::Delete { after_secs: 30 };
    store.save_guild_settings(&settings).await.unwrap();
    assert_eq!(
        db.reopen().await.guild_settings(GUILD).await.unwrap(),
        settings
    );
}

async fn blacklist(db: &TestDb) {
    let store = &db.store;
    assert!(!store.is_blacklisted(GUILD, 5).await.unwrap());
    store.set_blacklisted(GUILD, 5, true).await.unwrap();
    store.set_blacklisted(GUILD, 5, true).await.unwrap();
    assert!(store.is_blacklisted(GUILD, 5).await.unwrap());
    assert!(!store.is_blacklisted(OTHER_GUILD, 5).await.unwrap());
    assert!(!store.is_blacklisted(GUILD, 6).await.unwrap());
    store.set_blacklisted(GUILD, 5, false).await.unwrap();
    assert!(!store.is_blacklisted(GUILD, 5).await.unwrap());
}

async fn panels(db: &TestDb) {
    let store = &db.store;
    let new = |message: Snowflake, title: &str| NewPanel {
        guild_id: GUILD,
        channel_id: 10,
        message_id: message,
        title: title.to_owned(),
        description: "Click to open".to_owned(),
        footer: "f".to_owned(),
        created_at: at(5),
    };
    let first = store.insert_panel(new(100, "Support")).await.unwrap();
    let second = store.insert_panel(new(HUGE, "Sales")).await.unwrap();
    assert_ne!(first.id, second.id);
    assert_eq!(first.title, "Support");
    assert_eq!(first.created_at, at(5));
    assert_eq!(
        store.panel_by_message(HUGE).await.unwrap(),
        Some(second.clone())
    );
    assert_eq!(store.panel_by_message(101).await.unwrap(), None);
    assert_eq!(
        store.panels(GUILD).await.unwrap(),
        vec![first.clone(), second.clone()]
    );
    assert!(store.panels(OTHER_GUILD).await.unwrap().is_empty());

    let mut changed = first.clone();
    changed.title = "Help desk".to_owned();
    changed.message_id = 200;
    store.update_panel(&changed).await.unwrap();
    assert_eq!(
        store.panel_by_message(200).await.unwrap(),
        Some(changed.clone())
    );
    assert_eq!(store.panel_by_message(100).await.unwrap(), None);

    let mut missing = changed.clone();
    missing.id = changed.id + 1000;
    let err = store.update_panel(&missing).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);

    assert!(store.delete_panel(first.id).await.unwrap());
    assert!(!store.delete_panel(first.id).await.unwrap());
    assert_eq!(store.panels(GUILD).await.unwrap(), vec![second.clone()]);

    // Drafts are recorded before their message exists, several at a time.
    let draft_a = store.insert_panel(new(0, "Draft A")).await.unwrap();
    let draft_b = store.insert_panel(new(0, "Draft B")).await.unwrap();
    assert_eq!(
        store.panels(GUILD).await.unwrap(),
        vec![second, draft_a, draft_b]
    );
}

async fn topics_unique_per_guild_ignoring_case(db: &TestDb) {
    let store = &db.store;
    let new = |guild: Snowflake, name: &str| NewTopic {
        guild_id: guild,
        name: name.to_owned(),
        description: Some("General questions".to_owned()),
        emoji: Some("🎫".to_owned()),
        category_id: None,
    };
    let support = store
        .add_topic(new(GUILD, "General Support"))
        .await
        .unwrap();
    assert_eq!(support.name, "General Support");
    assert_eq!(support.emoji.as_deref(), Some("🎫"));

    for clash in ["general support", "GENERAL SUPPORT", " General Support "] {
        let err = store.add_topic(new(GUILD, clash)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TopicNameTaken, "{clash:?}");
    }
    // Unicode case folding, not only ASCII.
    let vi = store.add_topic(new(GUILD, "Kích Hoạt")).await.unwrap();
    assert_eq!(
        store
            .add_topic(new(GUILD, "KÍCH HOẠT"))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::TopicNameTaken
    );
    let elsewhere = store
        .add_topic(new(OTHER_GUILD, "General Support"))
        .await
        .unwrap();

    assert_eq!(
        store.topics(GUILD).await.unwrap(),
        vec![support.clone(), vi.clone()]
    );
    assert_eq!(store.topics(OTHER_GUILD).await.unwrap(), vec![elsewhere]);

    store
        .set_topic_category(support.id, Some(HUGE))
        .await
        .unwrap();
    assert_eq!(
        store.topic(support.id).await.unwrap().unwrap().category_id,
        Some(HUGE)
    );
    store.set_topic_category(support.id, None).await.unwrap();
    assert_eq!(
        store.topic(support.id).await.unwrap().unwrap().category_id,
        None
    );
    assert_eq!(
        store
            .set_topic_category(support.id + 1000, None)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );

    assert!(store.remove_topic(support.id).await.unwrap());
    assert!(!store.remove_topic(support.id).await.unwrap());
    assert_eq!(store.topic(support.id).await.unwrap(), None);
    store
        .add_topic(new(GUILD, "general support"))
        .await
        .expect("name free again");
}

async fn reservation_refusals(db: &TestDb) {
    let store = db.store.as_ref();
    let mut settings = GuildSettings::defaults(GUILD);
    settings.enabled = false;
    store.save_guild_settings(&settings).await.unwrap();
    assert_eq!(
        store
            .reserve_ticket(request(GUILD, 1, at(0)))
            .await
            .unwrap(),
        Reservation::Refused(OpenRefusal::Disabled)
    );
    settings.enabled = true;
    settings.max_open_total = 2;
    store.save_guild_settings(&settings).await.unwrap();

    store.set_blacklisted(GUILD, 2, true).await.unwrap();
    assert_eq!(
        store
            .reserve_ticket(request(GUILD, 2, at(0)))
            .await
            .unwrap(),
        Reservation::Refused(OpenRefusal::Blacklisted)
    );

    let first = reserve(store, GUILD, 1).await;
    assert_eq!(first.status, TicketStatus::Opening);
    assert_eq!(first.number, 1, "refusals must not consume numbers");
    assert_eq!(first.name, "ticket-0001");
    assert_eq!(first.owner_id, 1);
    assert_eq!(first.revision, 0);
    assert_eq!(
        store
            .reserve_ticket(request(GUILD, 1, at(1)))
            .await
            .unwrap(),
        Reservation::Refused(OpenRefusal::MemberLimit {
            limit: 1,
            open: vec![first.clone()]
        })
    );

    let second = reserve(store, GUILD, 3).await;
    assert_eq!(second.number, 2);
    assert_eq!(
        store
            .reserve_ticket(request(GUILD, 4, at(2)))
            .await
            .unwrap(),
        Reservation::Refused(OpenRefusal::ServerLimit { limit: 2 })
    );

    // Closing a ticket frees its place under both limits.
    let mut closed = first.clone();
    closed.status = TicketStatus::Closed;
    closed.closed_at = Some(at(3));
    closed.closed_by = Some(1);
    closed.close_how = Some(CloseHow::Owner);
    updated(store.update_ticket(&closed).await.unwrap());
    let third = reserve(store, GUILD, 1).await;
    assert_eq!(third.number, 3);

    // Another guild has its own counter and limits.
    assert_eq!(reserve(store, OTHER_GUILD, 1).await.number, 1);

    // The naming setting is applied at reservation.
    let mut settings = store.guild_settings(OTHER_GUILD).await.unwrap();
    settings.naming = Naming::Random6;
    settings.max_open_per_member = 5;
    store.save_guild_settings(&settings).await.unwrap();
    assert_eq!(reserve(store, OTHER_GUILD, 1).await.name, "ticket-abc123");
}

/// Reserves concurrently from `tasks` requests, alternating between two connection pools.
async fn reserve_concurrently(db: &TestDb, owners: Vec<Snowflake>) -> Vec<Reservation> {
    let stores: [Arc<dyn Store>; 2] = [db.store.clone(), db.reopen().await];
    let barrier = Arc::new(tokio::sync::Barrier::new(owners.len()));
    let handles: Vec<_> = owners
        .into_iter()
        .enumerate()
        .map(|(i, owner)| {
            let store = stores[i % 2].clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                store.reserve_ticket(request(GUILD, owner, at(0))).await
            })
        })
        .collect();
    let mut results = Vec::new();
    for handle in handles {
        results.push(handle.await.expect("task").expect("reserve"));
    }
    results
}

async fn twenty_clicks_make_one_ticket(db: &TestDb) {
    let results = reserve_concurrently(db, vec![42; 20]).await;
    let reserved: Vec<&Ticket> = results
        .iter()
        .filter_map(|r| match r {
            Reservation::Reserved(t) => Some(t),
            Reservation::Refused(_) => None,
        })
        .collect();
    assert_eq!(reserved.len(), 1, "{results:?}");
    let ticket = reserved[0];
    for result in &results {
        match result {
            Reservation::Reserved(t) => assert_eq!(t, ticket),
            Reservation::Refused(OpenRefusal::MemberLimit { limit, open }) => {
                assert_eq!(*limit, 1);
                assert_eq!(
                    open.iter().map(|t| t.id).collect::<Vec<_>>(),
                    vec![ticket.id]
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(db.store.open_tickets(GUILD).await.unwrap().len(), 1);
}

async fn server_limit_holds_under_concurrency(db: &TestDb) {
    save_limits(db.store.as_ref(), GUILD, 1, 5).await;
    let results = reserve_concurrently(db, (1..=20).collect()).await;
    let mut numbers = Vec::new();
    let mut refused = 0;
    for result in &results {
        match result {
            Reservation::Reserved(t) => numbers.push(t.number),
            Reservation::Refused(OpenRefusal::ServerLimit { limit: 5 }) => refused += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    numbers.sort_unstable();
    assert_eq!(numbers, vec![1, 2, 3, 4, 5]);
    assert_eq!(refused, 15);
    assert_eq!(db.store.open_tickets(GUILD).await.unwrap().len(), 5);
}

async fn attach_release_and_lookups(db: &TestDb) {
    let store = db.store.as_ref();
    save_limits(store, GUILD, 5, 50).await;
    let reserved = reserve(store, GUILD, 7).await;
    assert_eq!(
        store.ticket(reserved.id).await.unwrap(),
        Some(reserved.clone())
    );
    assert_eq!(store.ticket_by_channel(900).await.unwrap(), None);

    let open = store.attach_channel(reserved.id, 900).await.unwrap();
    assert_eq!(open.status, TicketStatus::Open);
    assert_eq!(open.channel_id, Some(900));
    assert_eq!(open.revision, reserved.revision + 1);
    assert_eq!(
        store.ticket_by_channel(900).await.unwrap(),
        Some(open.clone())
    );
    assert_eq!(
        store
            .attach_channel(reserved.id, 901)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    assert_eq!(
        store
            .attach_channel(reserved.id + 1000, 901)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert!(
        !store.release_reservation(open.id).await.unwrap(),
        "open tickets stay"
    );

    // A crash left a reservation without a channel.
    let stale = store
        .reserve_ticket(request(GUILD, 7, at(-600)))
        .await
        .unwrap();
    let Reservation::Reserved(stale) = stale else {
        panic!("refused: {stale:?}")
    };
    assert_eq!(
        store.stale_reservations(at(-60)).await.unwrap(),
        vec![stale.clone()]
    );
    assert!(store.stale_reservations(at(-600)).await.unwrap().is_empty());
    assert_eq!(
        store.member_open_tickets(GUILD, 7).await.unwrap(),
        vec![open.clone(), stale.clone()]
    );
    assert!(store.release_reservation(stale.id).await.unwrap());
    assert!(!store.release_reservation(stale.id).await.unwrap());
    assert_eq!(store.ticket(stale.id).await.unwrap(), None);
    assert_eq!(
        store.member_open_tickets(GUILD, 7).await.unwrap(),
        vec![open.clone()]
    );
    assert!(
        store
            .member_open_tickets(GUILD, 8)
            .await
            .unwrap()
            .is_empty()
    );

    let elsewhere = open_ticket(store, OTHER_GUILD, 7, 950).await;
    let _unattached = reserve(store, GUILD, 8).await;
    assert_eq!(
        store.tickets_with_channels(Some(GUILD)).await.unwrap(),
        vec![open.clone()]
    );
    assert_eq!(
        store.tickets_with_channels(None).await.unwrap(),
        vec![open.clone(), elsewhere.clone()]
    );
    let mut deleted = open.clone();
    deleted.status = TicketStatus::Deleted;
    deleted.deleted_at = Some(at(50));
    updated(store.update_ticket(&deleted).await.unwrap());
    assert!(
        store
            .tickets_with_channels(Some(GUILD))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn update_is_compare_and_set(db: &TestDb) {
    let store = db.store.as_ref();
    let ticket = open_ticket(store, GUILD, 7, 900).await;
    let other_process = db.reopen().await;

    let mut help = ticket.clone();
    help.status = TicketStatus::NeedHelp;
    help.help_requested_at = Some(at(10));
    let after_help = updated(store.update_ticket(&help).await.unwrap());
    assert_eq!(after_help.revision, ticket.revision + 1);
    assert_eq!(after_help.status, TicketStatus::NeedHelp);

    // A decision made from the old revision loses and is shown the current row.
    let mut claim = ticket.clone();
    claim.claimed_by = Some(99);
    claim.claimed_at = Some(at(11));
    match other_process.update_ticket(&claim).await.unwrap() {
        UpdateOutcome::Stale(current) => assert_eq!(current, after_help),
        UpdateOutcome::Updated(t) => panic!("stale write accepted: {t:?}"),
    }

    let mut close = after_help.clone();
    close.claimed_by = Some(99);
    close.claimed_at = Some(at(11));
    close.status = TicketStatus::Closed;
    close.closed_at = Some(at(12));
    close.closed_by = Some(99);
    close.close_how = Some(CloseHow::NeedHelpThenStaff);
    close.close_reason = Some("fixed <b>it</b> 'quoted'".to_owned());
    close.topic = Some("Activation".to_owned());
    let closed = updated(other_process.update_ticket(&close).await.unwrap());
    close.revision += 1;
    assert_eq!(closed, close);
    assert_eq!(store.ticket(ticket.id).await.unwrap(), Some(close));

    // Twenty racing writers from one revision: exactly one wins.
    let handles: Vec<_> = (0..20)
        .map(|i| {
            let store = if i % 2 == 0 {
                db.store.clone()
            } else {
                other_process.clone()
            };
            let mut reopen = closed.clone();
            reopen.status = TicketStatus::Open;
            reopen.close_reason = Some(format!("writer {i}"));
            tokio::spawn(async move { store.update_ticket(&reopen).await })
        })
        .collect();
    let mut winners = 0;
    for handle in handles {
        if let UpdateOutcome::Updated(_) = handle.await.unwrap().unwrap() {
            winners += 1;
        }
    }
    assert_eq!(winners, 1);
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().revision,
        closed.revision + 1
    );

    let mut ghost = closed.clone();
    ghost.id += 1000;
    assert_eq!(
        store.update_ticket(&ghost).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

async fn members_follow_the_ticket(db: &TestDb) {
    let store = db.store.as_ref();
    let ticket = open_ticket(store, GUILD, 7, 900).await;
    assert!(ticket.members.is_empty());

    let mut with_members = ticket.clone();
    with_members.members = vec![HUGE, 5, 5, 7];
    let after = updated(store.update_ticket(&with_members).await.unwrap());
    assert_eq!(
        after.members,
        vec![5, HUGE],
        "sorted, deduplicated, owner left out"
    );
    assert_eq!(
        store.ticket_by_channel(900).await.unwrap().unwrap().members,
        vec![5, HUGE]
    );
    assert_eq!(
        store.open_tickets(GUILD).await.unwrap()[0].members,
        vec![5, HUGE]
    );

    let mut fewer = after.clone();
    fewer.members = vec![8];
    let after = updated(store.update_ticket(&fewer).await.unwrap());
    assert_eq!(after.members, vec![8]);

    // A stale write must not touch the member list either.
    let mut stale = after.clone();
    stale.revision -= 1;
    stale.members = vec![1, 2, 3];
    assert!(matches!(
        store.update_ticket(&stale).await.unwrap(),
        UpdateOutcome::Stale(_)
    ));
    assert_eq!(
        store.ticket(after.id).await.unwrap().unwrap().members,
        vec![8]
    );

    let mut none = after.clone();
    none.members.clear();
    assert!(
        updated(store.update_ticket(&none).await.unwrap())
            .members
            .is_empty()
    );
}

fn delete_job(ticket_id: i64, due_at: DateTime<Utc>) -> NewJob {
    NewJob {
        kind: JobKind::DeleteChannel {
            ticket_id,
            channel_id: HUGE,
        },
        due_at,
    }
}

/// A lease is renewed only by its holder while the job is its own; a job out of attempts is
/// failed, never leased again, listed, and given a fresh budget by a retry.
async fn jobs_renew_their_lease_fail_and_are_retried(db: &TestDb) {
    let store = db.store.as_ref();
    let lease = Duration::from_secs(30);
    let job = store.schedule_job(delete_job(7, at(0))).await.unwrap();
    let claimed = store.claim_due_jobs(at(0), lease, 1, "w1").await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(store.renew_job_lease(job.id, "w1", at(90)).await.unwrap());
    assert!(
        !store.renew_job_lease(job.id, "w2", at(95)).await.unwrap(),
        "not w2's"
    );
    assert!(
        store
            .claim_due_jobs(at(60), lease, 1, "w2")
            .await
            .unwrap()
            .is_empty(),
        "renewed past the first lease"
    );
    assert_eq!(
        store.job(job.id).await.unwrap().unwrap().leased_until,
        Some(at(90))
    );
    assert!(store.failed_jobs().await.unwrap().is_empty());

    store
        .fail_job(job.id, at(61), "Discord keeps refusing")
        .await
        .unwrap();
    assert!(!store.renew_job_lease(job.id, "w1", at(120)).await.unwrap());
    assert!(
        store
            .claim_due_jobs(at(1_000), lease, 10, "w2")
            .await
            .unwrap()
            .is_empty(),
        "a failed job is never leased"
    );
    let failed = store.failed_jobs().await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].id, job.id);
    assert_eq!(failed[0].failed_at, Some(at(61)));
    assert_eq!(
        failed[0].last_error.as_deref(),
        Some("Discord keeps refusing")
    );
    assert_eq!(failed[0].leased_by, None);
    assert_eq!(
        store.pending_jobs_for_ticket(7).await.unwrap().len(),
        1,
        "kept, so no repair schedules the work again"
    );
    assert!(matches!(
        store
            .fail_job(job.id + 1_000, at(61), "x")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    ));

    assert!(store.retry_failed_job(job.id, at(2_000)).await.unwrap());
    assert!(
        !store.retry_failed_job(job.id, at(2_000)).await.unwrap(),
        "no longer failed"
    );
    assert!(store.failed_jobs().await.unwrap().is_empty());
    let again = store
        .claim_due_jobs(at(2_000), lease, 1, "w2")
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].id, again[0].attempts), (job.id, 1));
    assert_eq!(again[0].failed_at, None);
}

async fn job_leasing(db: &TestDb) {
    let store = db.store.as_ref();
    let lease = Duration::from_secs(30);
    let soon = store.schedule_job(delete_job(1, at(0))).await.unwrap();
    let later = store.schedule_job(delete_job(2, at(60))).await.unwrap();
    assert_eq!(soon.attempts, 0);
    assert_eq!(soon.leased_by, None);
    assert_eq!(
        soon.kind,
        JobKind::DeleteChannel {
            ticket_id: 1,
            channel_id: HUGE
        }
    );

    assert!(
        store
            .claim_due_jobs(at(-1), lease, 10, "w1")
            .await
            .unwrap()
            .is_empty(),
        "not due"
    );
    let claimed = store.claim_due_jobs(at(0), lease, 10, "w1").await.unwrap();
    assert_eq!(
        claimed.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![soon.id]
    );
    assert_eq!(claimed[0].leased_by.as_deref(), Some("w1"));
    assert_eq!(claimed[0].leased_until, Some(at(30)));
    assert_eq!(claimed[0].attempts, 1);
    assert!(
        store
            .claim_due_jobs(at(10), lease, 10, "w2")
            .await
            .unwrap()
            .is_empty(),
        "leased to w1"
    );

    // w1 died: once its lease expires, the job goes to w2.
    let released = db
        .reopen()
        .await
        .claim_due_jobs(at(31), lease, 10, "w2")
        .await
        .unwrap();
    assert_eq!(
        released.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![soon.id]
    );
    assert_eq!(released[0].attempts, 2);
    assert_eq!(released[0].leased_by.as_deref(), Some("w2"));

    store
        .retry_job(soon.id, at(100), "channel busy")
        .await
        .unwrap();
    let pending = store.pending_jobs_for_ticket(1).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].attempts, 2);
    assert_eq!(pending[0].last_error.as_deref(), Some("channel busy"));
    assert_eq!(pending[0].due_at, at(100));
    assert_eq!(pending[0].leased_by, None);
    assert!(!pending[0].admins_told);
    // Telling the admins is remembered through later retries.
    store.mark_job_admins_told(soon.id).await.unwrap();
    store
        .retry_job(soon.id, at(100), "still refused")
        .await
        .unwrap();
    assert!(store.pending_jobs_for_ticket(1).await.unwrap()[0].admins_told);
    assert_eq!(
        store
            .mark_job_admins_told(soon.id + 1000)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        store
            .retry_job(soon.id + 1000, at(100), "x")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );

    // Oldest due first, and the limit is honoured.
    let both = store.claim_due_jobs(at(200), lease, 1, "w3").await.unwrap();
    assert_eq!(
        both.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![later.id]
    );

    assert_eq!(
        store.job(later.id).await.unwrap().map(|j| j.id),
        Some(later.id)
    );
    assert!(store.complete_job(later.id).await.unwrap());
    assert!(!store.complete_job(later.id).await.unwrap());
    assert_eq!(
        store.job(later.id).await.unwrap(),
        None,
        "a completed job is gone"
    );

    // A Close all job keeps its whole list, and belongs to no ticket (nor is parked with one).
    let close_all = JobKind::CloseAll {
        guild_id: HUGE,
        user_id: HUGE - 1,
        role_ids: vec![HUGE - 2],
        permissions: u64::MAX,
        ticket_ids: vec![3, 1, 2],
    };
    let scheduled = store
        .schedule_job(NewJob {
            kind: close_all.clone(),
            due_at: at(0),
        })
        .await
        .unwrap();
    assert_eq!(
        store.job(scheduled.id).await.unwrap().map(|j| j.kind),
        Some(close_all)
    );
    assert!(store.complete_job(scheduled.id).await.unwrap());
    assert!(store.pending_jobs_for_ticket(2).await.unwrap().is_empty());
    assert_eq!(store.pending_jobs_for_ticket(1).await.unwrap().len(), 1);
}

async fn jobs_of_a_server_park_and_come_back(db: &TestDb) {
    let store = db.store.as_ref();
    let lease = Duration::from_secs(30);
    let ours = reserve(store, GUILD, 1).await;
    let running = reserve(store, GUILD, 2).await;
    let theirs = reserve(store, OTHER_GUILD, 1).await;
    let parked = store
        .schedule_job(delete_job(ours.id, at(0)))
        .await
        .unwrap();
    let leased = store
        .schedule_job(delete_job(running.id, at(0)))
        .await
        .unwrap();
    let other = store
        .schedule_job(delete_job(theirs.id, at(0)))
        .await
        .unwrap();
    let claimed = store.claim_due_jobs(at(0), lease, 1, "w1").await.unwrap();
    assert_eq!(claimed[0].id, parked.id);
    store.retry_job(parked.id, at(0), "403").await.unwrap();
    let claimed = store.claim_due_jobs(at(0), lease, 10, "w1").await.unwrap();
    assert!(claimed.iter().any(|j| j.id == leased.id));
    for job in &claimed {
        if job.id != leased.id {
            store.retry_job(job.id, at(0), "again").await.unwrap();
        }
    }

    assert_eq!(store.park_guild_jobs(GUILD).await.unwrap(), 2);
    // A job that was running when its server was parked stays parked when it fails.
    store.retry_job(leased.id, at(5), "403").await.unwrap();
    let due = store
        .claim_due_jobs(at(1000), lease, 10, "w2")
        .await
        .unwrap();
    assert_eq!(due.iter().map(|j| j.id).collect::<Vec<_>>(), vec![other.id]);
    assert!(store.complete_job(other.id).await.unwrap());
    for id in [parked.id, leased.id] {
        let ticket = if id == parked.id { ours.id } else { running.id };
        let job = &store.pending_jobs_for_ticket(ticket).await.unwrap()[0];
        assert_eq!(job.due_at, ticketbooth_store::PARKED_AT);
    }
    assert_eq!(
        store.park_guild_jobs(GUILD).await.unwrap(),
        0,
        "already parked"
    );

    assert_eq!(store.unpark_guild_jobs(GUILD, at(2000)).await.unwrap(), 2);
    let back = store.pending_jobs_for_ticket(ours.id).await.unwrap();
    assert_eq!(back[0].due_at, at(2000));
    assert_eq!(back[0].attempts, 2, "attempts are kept");
    let due = store
        .claim_due_jobs(at(2000), lease, 10, "w3")
        .await
        .unwrap();
    assert_eq!(
        due.iter().map(|j| j.id).collect::<HashSet<_>>(),
        HashSet::from([parked.id, leased.id])
    );
    assert_eq!(store.unpark_guild_jobs(GUILD, at(3000)).await.unwrap(), 0);
}

async fn concurrent_workers_never_share_a_job(db: &TestDb) {
    let mut scheduled = HashSet::new();
    for i in 0..30 {
        scheduled.insert(
            db.store
                .schedule_job(delete_job(i, at(i)))
                .await
                .unwrap()
                .id,
        );
    }
    let other = db.reopen().await;
    let handles: Vec<_> = (0..6)
        .map(|w| {
            let store = if w % 2 == 0 {
                db.store.clone()
            } else {
                other.clone()
            };
            tokio::spawn(async move {
                let mut got: Vec<Job> = Vec::new();
                loop {
                    let batch = store
                        .claim_due_jobs(at(100), Duration::from_secs(600), 2, &format!("w{w}"))
                        .await
                        .unwrap();
                    if batch.is_empty() {
                        return got;
                    }
                    got.extend(batch);
                }
            })
        })
        .collect();
    let mut seen = HashSet::new();
    for handle in handles {
        for job in handle.await.unwrap() {
            assert!(seen.insert(job.id), "job {} leased twice", job.id);
            assert_eq!(job.attempts, 1);
        }
    }
    assert_eq!(seen, scheduled);
}

async fn transcripts(db: &TestDb) {
    let store = db.store.as_ref();
    let ticket = open_ticket(store, GUILD, 7, 900).await;
    assert!(!store.has_transcript(ticket.id).await.unwrap());
    assert_eq!(store.transcript(ticket.id).await.unwrap(), None);

    let bytes: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let first = NewTranscript {
        ticket_id: ticket.id,
        format: "json+gzip".to_owned(),
        data: bytes.clone(),
        message_count: 1234,
        created_at: at(20),
    };
    store.save_transcript(first).await.unwrap();
    assert!(store.has_transcript(ticket.id).await.unwrap());
    let stored = store.transcript(ticket.id).await.unwrap().unwrap();
    assert_eq!(stored.data, bytes);
    assert_eq!(stored.format, "json+gzip");
    assert_eq!(stored.message_count, 1234);
    assert_eq!(stored.created_at, at(20));

    store
        .save_transcript(NewTranscript {
            ticket_id: ticket.id,
            format: "html".to_owned(),
            data: b"<p>hi</p>".to_vec(),
            message_count: 1,
            created_at: at(21),
        })
        .await
        .unwrap();
    let replaced = store.transcript(ticket.id).await.unwrap().unwrap();
    assert_eq!(
        (replaced.format.as_str(), replaced.data.as_slice()),
        ("html", &b"<p>hi</p>"[..])
    );
    assert!(!store.has_transcript(ticket.id + 1000).await.unwrap());
}

async fn first_sighting_dedupes_across_pools(db: &TestDb) {
    let store = db.store.as_ref();
    let other = db.reopen().await;
    assert!(store.first_sighting(HUGE).await.unwrap());
    assert!(!store.first_sighting(HUGE).await.unwrap());
    assert!(!other.first_sighting(HUGE).await.unwrap());
    assert!(other.first_sighting(HUGE - 1).await.unwrap());

    assert_eq!(
        store
            .prune_sightings(Utc::now() - chrono::Duration::days(1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .prune_sightings(Utc::now() + chrono::Duration::seconds(5))
            .await
            .unwrap(),
        2
    );
    assert!(
        store.first_sighting(HUGE).await.unwrap(),
        "pruned ids are new again"
    );
}

async fn utc_times_round_trip(db: &TestDb) {
    let store = db.store.as_ref();
    // Microseconds are cut to milliseconds on both backends.
    let precise = Utc.with_ymd_and_hms(2026, 3, 1, 23, 59, 58).unwrap()
        + chrono::Duration::microseconds(789_456);
    let millis =
        Utc.with_ymd_and_hms(2026, 3, 1, 23, 59, 58).unwrap() + chrono::Duration::milliseconds(789);
    let reserved = match store
        .reserve_ticket(request(GUILD, 1, precise))
        .await
        .unwrap()
    {
        Reservation::Reserved(t) => t,
        other => panic!("{other:?}"),
    };
    assert_eq!(reserved.created_at, millis);

    let ticket = store.attach_channel(reserved.id, 900).await.unwrap();
    let mut timed = ticket.clone();
    let old = Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap();
    timed.help_requested_at = Some(old);
    timed.claimed_at = Some(millis);
    timed.closed_at = Some(at(0));
    timed.deleted_at = Some(Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap());
    let stored = updated(store.update_ticket(&timed).await.unwrap());
    assert_eq!(stored.help_requested_at, Some(old));
    assert_eq!(stored.claimed_at, Some(millis));
    assert_eq!(stored.closed_at, Some(at(0)));
    assert_eq!(stored.deleted_at, timed.deleted_at);
    assert_eq!(
        db.reopen().await.ticket(ticket.id).await.unwrap(),
        Some(stored)
    );

    let job = store
        .schedule_job(delete_job(ticket.id, precise))
        .await
        .unwrap();
    assert_eq!(job.due_at, millis);
}

async fn snowflakes_above_i64_max_round_trip(db: &TestDb) {
    let store = db.store.as_ref();
    let guild = u64::MAX;
    let owner = i64::MAX as u64 + 1;
    let channel = HUGE;
    let mut settings = GuildSettings::defaults(guild);
    settings.staff_roles = vec![u64::MAX - 1];
    store.save_guild_settings(&settings).await.unwrap();
    assert_eq!(store.guild_settings(guild).await.unwrap(), settings);

    let ticket = open_ticket(store, guild, owner, channel).await;
    assert_eq!(
        (ticket.guild_id, ticket.owner_id, ticket.channel_id),
        (guild, owner, Some(channel))
    );
    assert_eq!(
        store.ticket_by_channel(channel).await.unwrap(),
        Some(ticket.clone())
    );
    assert_eq!(
        store.member_open_tickets(guild, owner).await.unwrap(),
        vec![ticket.clone()]
    );

    let mut claimed = ticket.clone();
    claimed.claimed_by = Some(u64::MAX);
    claimed.closed_by = Some(owner);
    let claimed = updated(store.update_ticket(&claimed).await.unwrap());
    assert_eq!(claimed.claimed_by, Some(u64::MAX));
    assert_eq!(claimed.closed_by, Some(owner));

    store.set_blacklisted(guild, u64::MAX, true).await.unwrap();
    assert!(store.is_blacklisted(guild, u64::MAX).await.unwrap());
    assert!(!store.is_blacklisted(guild, i64::MAX as u64).await.unwrap());

    let job = store
        .schedule_job(NewJob {
            kind: JobKind::DeleteChannel {
                ticket_id: ticket.id,
                channel_id: u64::MAX,
            },
            due_at: at(0),
        })
        .await
        .unwrap();
    assert_eq!(
        store.pending_jobs_for_ticket(ticket.id).await.unwrap()[0].kind,
        JobKind::DeleteChannel {
            ticket_id: ticket.id,
            channel_id: u64::MAX
        }
    );
    let capture = store
        .schedule_job(NewJob {
            kind: JobKind::CaptureTranscript {
                ticket_id: ticket.id,
                channel_id: channel,
            },
            due_at: at(-5),
        })
        .await
        .unwrap();
    let pending = store.pending_jobs_for_ticket(ticket.id).await.unwrap();
    assert_eq!(
        pending.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![capture.id, job.id]
    );
    assert_eq!(pending[0].kind, capture.kind);
    assert!(store.complete_job(job.id).await.unwrap());
}

async fn unknown_job_kinds_are_left_alone(db: &TestDb) {
    let store = db.store.as_ref();
    let future = store.schedule_job(delete_job(1, at(0))).await.unwrap();
    let known = store.schedule_job(delete_job(2, at(1))).await.unwrap();
    db.execute_raw(&format!(
        "UPDATE jobs SET kind = '{{\"kind\":\"from_a_newer_version\"}}' WHERE id = {}",
        future.id
    ))
    .await;

    let claimed = store
        .claim_due_jobs(at(10), Duration::from_secs(30), 10, "w1")
        .await
        .unwrap();
    assert_eq!(
        claimed.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![known.id]
    );
    // Still unleased and unattempted, so a newer process can take it at once.
    let row = store
        .claim_due_jobs(at(10), Duration::from_secs(30), 10, "w2")
        .await
        .unwrap();
    assert!(row.is_empty());
    assert!(
        store.complete_job(future.id).await.unwrap(),
        "the unknown job is still there"
    );
}

/// Opens a ticket at `opened` (seconds from the test epoch) and applies `change` to it.
async fn archived(
    store: &dyn Store,
    owner: Snowflake,
    opened: i64,
    topic: Option<&str>,
    change: impl FnOnce(&mut Ticket),
) -> Ticket {
    let mut req = request(GUILD, owner, at(opened));
    req.topic = topic.map(str::to_owned);
    let Reservation::Reserved(ticket) = store.reserve_ticket(req).await.unwrap() else {
        panic!("refused")
    };
    let mut ticket = store
        .attach_channel(ticket.id, 1000 + ticket.id as u64)
        .await
        .unwrap();
    change(&mut ticket);
    updated(store.update_ticket(&ticket).await.unwrap())
}

fn closed(how: CloseHow, by: Snowflake, at_secs: i64) -> impl FnOnce(&mut Ticket) {
    move |t| {
        t.status = TicketStatus::Closed;
        t.closed_at = Some(at(at_secs));
        t.closed_by = Some(by);
        t.close_how = Some(how);
    }
}

async fn statistics(db: &TestDb) {
    let store = db.store.as_ref();
    save_limits(store, GUILD, 5, 50).await;
    let empty = store.ticket_stats(GUILD, None).await.unwrap();
    assert_eq!(
        (
            empty.created,
            empty.resolution_mean_secs,
            empty.resolution_rate()
        ),
        (0, None, None)
    );

    archived(store, 3, -1000, None, closed(CloseHow::Owner, 3, 0)).await;
    archived(
        store,
        1,
        0,
        Some("Support"),
        closed(CloseHow::ItWorks, 1, 100),
    )
    .await;
    archived(store, 2, 10, Some("Support"), |t| {
        t.claimed_by = Some(50);
        t.claimed_at = Some(at(20));
        closed(CloseHow::NeedHelpThenStaff, 50, 310)(t);
    })
    .await;
    archived(
        store,
        1,
        20,
        Some("Billing"),
        closed(CloseHow::Staff, 51, 420),
    )
    .await;
    archived(store, 3, 30, None, |t| t.claimed_by = Some(51)).await;
    let _elsewhere = reserve(store, OTHER_GUILD, 1).await;

    let recent = store.ticket_stats(GUILD, Some(at(0))).await.unwrap();
    assert_eq!(recent.created, 4);
    assert_eq!(recent.open, 1);
    assert_eq!(recent.members, 3);
    assert_eq!(recent.closed(), 3);
    let by = |how| recent.closed_by.iter().find(|(h, _)| *h == how).unwrap().1;
    assert_eq!(
        (
            by(CloseHow::ItWorks),
            by(CloseHow::NeedHelpThenStaff),
            by(CloseHow::Staff),
            by(CloseHow::Owner)
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(recent.closed_by.len(), CloseHow::ALL.len());
    let mean = recent.resolution_mean_secs.unwrap();
    assert!((mean - 800.0 / 3.0).abs() < 1e-6, "{mean}");
    assert_eq!(recent.resolution_median_secs, Some(300.0));
    assert_eq!(recent.top_topic, Some(("Support".to_owned(), 2)));
    assert_eq!(recent.resolution_rate(), Some(0.75));
    assert_eq!(recent.tickets_per_member(), Some(4.0 / 3.0));
    assert_eq!(
        recent.staff,
        vec![
            StaffActivity {
                user_id: 50,
                claims: 1,
                closes: 1,
                first_responses: 0
            },
            StaffActivity {
                user_id: 51,
                claims: 1,
                closes: 1,
                first_responses: 0
            },
        ]
    );

    let all = store.ticket_stats(GUILD, None).await.unwrap();
    assert_eq!((all.created, all.closed(), all.members), (5, 4, 3));
    assert_eq!(
        all.resolution_median_secs,
        Some(350.0),
        "mean of the middle two"
    );
    assert_eq!(all.resolution_mean_secs, Some(450.0));
    assert_eq!(all.first_response_mean_secs, None);
}

async fn first_responses(db: &TestDb) {
    let store = db.store.as_ref();
    save_limits(store, GUILD, 5, 50).await;
    let early = archived(store, 1, -1000, None, |_| {}).await;
    let a = archived(store, 2, 0, None, |_| {}).await;
    let b = archived(store, 3, 10, None, closed(CloseHow::Staff, 51, 400)).await;
    assert!(
        store
            .record_first_response(early.id, 50, at(-900))
            .await
            .unwrap()
    );
    assert!(store.record_first_response(a.id, 50, at(60)).await.unwrap());
    assert!(
        store
            .record_first_response(b.id, 51, at(190))
            .await
            .unwrap()
    );
    // Only the first staff message of a ticket counts.
    assert!(!store.record_first_response(a.id, 51, at(70)).await.unwrap());
    assert_eq!(
        store.first_response(a.id).await.unwrap(),
        Some((50, at(60)))
    );
    let none = archived(store, 4, 30, None, |_| {}).await;
    assert_eq!(store.first_response(none.id).await.unwrap(), None);

    let recent = store.ticket_stats(GUILD, Some(at(0))).await.unwrap();
    assert_eq!(recent.first_response_mean_secs, Some(120.0));
    let mut staff: Vec<_> = recent
        .staff
        .iter()
        .map(|s| (s.user_id, s.first_responses, s.closes))
        .collect();
    staff.sort();
    assert_eq!(staff, vec![(50, 1, 0), (51, 1, 1)]);

    let all = store.ticket_stats(GUILD, None).await.unwrap();
    assert_eq!(all.first_response_mean_secs, Some(340.0 / 3.0));
    let fifty = all.staff.iter().find(|s| s.user_id == 50).unwrap();
    assert_eq!(fifty.first_responses, 2);
}

/// The statistics, computed the slow and obvious way from every ticket read back: the oracle
/// the roll-ups must agree with.
async fn stats_by_hand(
    store: &dyn Store,
    ids: &[i64],
    guild: Snowflake,
    since: Option<DateTime<Utc>>,
) -> TicketStats {
    let mut tickets = Vec::new();
    for id in ids {
        if let Some(ticket) = store.ticket(*id).await.unwrap()
            && ticket.guild_id == guild
            && since.is_none_or(|since| ticket.created_at >= since)
        {
            let response = store.first_response(*id).await.unwrap();
            tickets.push((ticket, response));
        }
    }
    let ms = |a: DateTime<Utc>, b: DateTime<Utc>| (b - a).num_milliseconds();
    let mean = |values: &[i64]| {
        (!values.is_empty())
            .then(|| values.iter().sum::<i64>() as f64 / values.len() as f64 / 1000.0)
    };
    let mut resolutions: Vec<i64> = tickets
        .iter()
        .filter_map(|(t, _)| t.closed_at.map(|closed| ms(t.created_at, closed)))
        .collect();
    resolutions.sort();
    let median = match resolutions.len() {
        0 => None,
        n if n % 2 == 1 => Some(resolutions[n / 2] as f64 / 1000.0),
        n => Some((resolutions[n / 2 - 1] + resolutions[n / 2]) as f64 / 2.0 / 1000.0),
    };
    let responses: Vec<i64> = tickets
        .iter()
        .filter_map(|(t, r)| r.map(|(_, at)| ms(t.created_at, at)))
        .collect();
    let mut topics: BTreeMap<String, u64> = BTreeMap::new();
    let mut staff: BTreeMap<Snowflake, (u64, u64, u64)> = BTreeMap::new();
    for (t, response) in &tickets {
        if let Some(topic) = &t.topic {
            *topics.entry(topic.clone()).or_default() += 1;
        }
        if let Some(by) = t.claimed_by {
            staff.entry(by).or_default().0 += 1;
        }
        if let (Some(by), Some(how)) = (t.closed_by, t.close_how)
            && matches!(
                how,
                CloseHow::Staff | CloseHow::NeedHelpThenStaff | CloseHow::CloseAll
            )
        {
            staff.entry(by).or_default().1 += 1;
        }
        if let Some((by, _)) = response {
            staff.entry(*by).or_default().2 += 1;
        }
    }
    let top_topic = topics
        .iter()
        .fold(None::<(&String, u64)>, |best, (topic, n)| match best {
            Some((_, m)) if m >= *n => best,
            _ => Some((topic, *n)),
        })
        .map(|(topic, n)| (topic.clone(), n));
    let mut staff: Vec<StaffActivity> = staff
        .into_iter()
        .map(
            |(user_id, (claims, closes, first_responses))| StaffActivity {
                user_id,
                claims,
                closes,
                first_responses,
            },
        )
        .collect();
    staff.sort_by_key(|s| {
        (
            std::cmp::Reverse(s.claims + s.closes + s.first_responses),
            s.user_id,
        )
    });
    let owners: HashSet<Snowflake> = tickets.iter().map(|(t, _)| t.owner_id).collect();
    TicketStats {
        created: tickets.len() as u64,
        open: tickets.iter().filter(|(t, _)| t.status.is_open()).count() as u64,
        closed_by: CloseHow::ALL
            .iter()
            .map(|how| {
                let n = tickets
                    .iter()
                    .filter(|(t, _)| t.close_how == Some(*how))
                    .count();
                (*how, n as u64)
            })
            .collect(),
        resolution_mean_secs: mean(&resolutions),
        resolution_median_secs: median,
        first_response_mean_secs: mean(&responses),
        members: owners.len() as u64,
        top_topic,
        staff,
    }
}

/// A random history of openings, claims, help requests, closes of every kind, reopenings,
/// deletions, topic changes, first responses and released reservations over ten days: after
/// it, and after a rebuild, every window's statistics equal the oracle's, including windows
/// that start in the middle of a day.
async fn statistics_match_a_recount_after_any_history(db: &TestDb) {
    use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
    let store = db.store.as_ref();
    save_limits(store, GUILD, 1000, 10_000).await;
    save_limits(store, OTHER_GUILD, 1000, 10_000).await;
    let mut rng = StdRng::seed_from_u64(0x7157_5747);
    let ten_days_ms = 10 * 86_400_000_i64;
    let time = |ms: i64| at(0) + chrono::Duration::milliseconds(ms);
    let topics = [None, Some("Billing"), Some("Access"), Some("Ünïcode 🎫")];
    let mut ids: Vec<i64> = Vec::new();
    for _ in 0..160 {
        let roll = rng.gen_range(0..100);
        if roll < 35 || ids.is_empty() {
            let guild = if rng.gen_bool(0.85) {
                GUILD
            } else {
                OTHER_GUILD
            };
            let mut req = request(
                guild,
                rng.gen_range(1..8),
                time(rng.gen_range(0..ten_days_ms)),
            );
            req.topic = topics.choose(&mut rng).unwrap().map(str::to_owned);
            let Reservation::Reserved(ticket) = store.reserve_ticket(req).await.unwrap() else {
                panic!("refused")
            };
            ids.push(ticket.id);
            if rng.gen_bool(0.85) {
                store
                    .attach_channel(ticket.id, 5000 + ticket.id as u64)
                    .await
                    .unwrap();
            }
            continue;
        }
        let id = *ids.choose(&mut rng).unwrap();
        let Some(mut ticket) = store.ticket(id).await.unwrap() else {
            continue;
        };
        if roll < 45 {
            let staff = rng.gen_range(50..54);
            let when =
                ticket.created_at + chrono::Duration::milliseconds(rng.gen_range(1..9_000_000));
            store.record_first_response(id, staff, when).await.unwrap();
            continue;
        }
        if ticket.status == TicketStatus::Opening {
            if rng.gen_bool(0.5) {
                assert!(store.release_reservation(id).await.unwrap());
            }
            continue;
        }
        let later =
            ticket.created_at + chrono::Duration::milliseconds(rng.gen_range(0..400_000_000));
        match roll {
            45..=54 => {
                ticket.claimed_by = rng.gen_bool(0.8).then(|| rng.gen_range(50..54));
                ticket.claimed_at = ticket.claimed_by.map(|_| later);
            }
            55..=59 => {
                ticket.topic = topics.choose(&mut rng).unwrap().map(str::to_owned);
            }
            60..=64 if ticket.status.is_open() => {
                ticket.status = TicketStatus::NeedHelp;
                ticket.help_requested_at = Some(later);
            }
            65..=84 => {
                ticket.status = TicketStatus::Closed;
                ticket.close_how = CloseHow::ALL.choose(&mut rng).copied();
                ticket.closed_by = Some(rng.gen_range(1..54));
                ticket.closed_at = Some(later);
            }
            85..=92 => {
                // Reopened.
                ticket.status = TicketStatus::Open;
                ticket.close_how = None;
                ticket.closed_by = None;
                ticket.closed_at = None;
            }
            _ => {
                if ticket.closed_at.is_none() {
                    ticket.close_how = Some(CloseHow::ChannelDeleted);
                    ticket.closed_at = Some(later);
                }
                ticket.status = TicketStatus::Deleted;
                ticket.deleted_at = Some(later);
            }
        }
        updated(store.update_ticket(&ticket).await.unwrap());
    }

    let windows = [
        None,
        Some(at(-86_400)),
        Some(at(0)),
        Some(time(ten_days_ms / 2)),
        Some(time(3 * 86_400_000 + 12_345)),
        Some(time(ten_days_ms - 1)),
        Some(time(ten_days_ms * 2)),
    ];
    for round in ["incremental", "rebuilt"] {
        for guild in [GUILD, OTHER_GUILD] {
            for since in windows {
                let expected = stats_by_hand(store, &ids, guild, since).await;
                let got = store.ticket_stats(guild, since).await.unwrap();
                assert_eq!(got, expected, "{round}, guild {guild}, since {since:?}");
            }
        }
        store.rebuild_stats().await.unwrap();
    }
    let all = store.ticket_stats(GUILD, None).await.unwrap();
    assert!(
        all.created > 30 && all.closed() > 5 && !all.staff.is_empty(),
        "the history exercised little: {all:?}"
    );
}

/// Tickets written around the store (an import) are not in the roll-ups until a rebuild counts
/// them: the figures really come from the roll-ups, and the rebuild really recounts.
async fn rebuild_counts_tickets_written_around_the_store(db: &TestDb) {
    let store = db.store.as_ref();
    save_limits(store, GUILD, 5, 50).await;
    archived(
        store,
        1,
        0,
        Some("Billing"),
        closed(CloseHow::ItWorks, 1, 60),
    )
    .await;
    let before = store.ticket_stats(GUILD, None).await.unwrap();
    assert_eq!(before.created, 1);
    db.execute_raw(&format!(
        "INSERT INTO tickets (guild_id, number, name, owner_id, topic, status, created_at, \
         revision) SELECT guild_id, 99, 'imported', 2, 'Billing', 'open', created_at, 0 \
         FROM tickets WHERE guild_id = {}",
        GUILD as i64
    ))
    .await;
    assert_eq!(store.ticket_stats(GUILD, None).await.unwrap(), before);
    store.rebuild_stats().await.unwrap();
    let after = store.ticket_stats(GUILD, None).await.unwrap();
    assert_eq!((after.created, after.open, after.members), (2, 1, 2));
    assert_eq!(after.top_topic, Some(("Billing".to_owned(), 2)));
    // Migrating again keeps what was built.
    store.migrate().await.unwrap();
    assert_eq!(store.ticket_stats(GUILD, None).await.unwrap(), after);
}

/// Open tickets whose welcome delivery was begun and never finished, created before the given
/// time, are the unwelcomed ones: not those welcomed, without a begun welcome, still reserved,
/// closed, or too recent.
async fn unwelcomed_tickets(db: &TestDb) {
    use ticketbooth_store::DeliveryTarget;
    let store = db.store.as_ref();
    let welcome = DeliveryTarget::Welcome;
    let lacking = open_ticket(store, GUILD, 21, 921).await;
    let welcomed = open_ticket(store, GUILD, 22, 922).await;
    let untracked = open_ticket(store, GUILD, 23, 923).await;
    let reserved = reserve(store, GUILD, 24).await;
    let closed = open_ticket(store, GUILD, 25, 925).await;
    for ticket in [&lacking, &welcomed, &reserved, &closed] {
        store
            .begin_delivery(ticket.id, OPENING_KEY, welcome, at(1))
            .await
            .unwrap();
    }
    store
        .finish_delivery(welcomed.id, OPENING_KEY, welcome, Some(5), at(2))
        .await
        .unwrap();
    let now = Utc::now();
    let next = ticketbooth_core::lifecycle::close(
        &closed,
        ticketbooth_core::authz::ActorRole::Owner,
        closed.owner_id,
        ticketbooth_core::lifecycle::CloseKind::ItWorks,
        None,
        now,
    )
    .expect("the owner may close");
    updated(store.update_ticket(&next).await.unwrap());
    let ids: Vec<i64> = store
        .unwelcomed_tickets(at(10))
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids, vec![lacking.id]);
    // A ticket opened before welcomes were tracked is left to the start-up repair.
    assert!(!ids.contains(&untracked.id));
    // Tickets created after the cut-off are left to the opening still in flight.
    assert!(store.unwelcomed_tickets(at(-10)).await.unwrap().is_empty());
}

/// A delivery is begun once and finished once: a second begin while posting says posting (the
/// message may exist), after finishing says posted with the message; targets are separate.
async fn deliveries(db: &TestDb) {
    use ticketbooth_store::{DeliveryState, DeliveryTarget};
    let store = db.store.as_ref();
    let ticket = open_ticket(store, GUILD, 7, 910).await;
    let other = open_ticket(store, GUILD, 8, 911).await;
    let summary = DeliveryTarget::LogSummary;
    const CLOSE: i64 = 1_780_000_000_000;
    assert_eq!(
        store
            .begin_delivery(ticket.id, CLOSE, summary, at(1))
            .await
            .unwrap(),
        DeliveryState::Posting
    );
    // A retry before the first attempt finished (or after it crashed) must send again.
    assert_eq!(
        store
            .begin_delivery(ticket.id, CLOSE, summary, at(2))
            .await
            .unwrap(),
        DeliveryState::Posting
    );
    let message = u64::MAX - 5;
    store
        .finish_delivery(ticket.id, CLOSE, summary, Some(message), at(3))
        .await
        .unwrap();
    assert_eq!(
        store
            .begin_delivery(ticket.id, CLOSE, summary, at(4))
            .await
            .unwrap(),
        DeliveryState::Posted {
            message_id: Some(message)
        }
    );
    // The DM and the other ticket are their own deliveries.
    let dm = DeliveryTarget::OwnerDm;
    assert_eq!(
        store
            .begin_delivery(ticket.id, CLOSE, dm, at(5))
            .await
            .unwrap(),
        DeliveryState::Posting
    );
    store
        .finish_delivery(ticket.id, CLOSE, dm, None, at(6))
        .await
        .unwrap();
    assert_eq!(
        store
            .begin_delivery(ticket.id, CLOSE, dm, at(7))
            .await
            .unwrap(),
        DeliveryState::Posted { message_id: None }
    );
    assert_eq!(
        store
            .begin_delivery(other.id, CLOSE, summary, at(8))
            .await
            .unwrap(),
        DeliveryState::Posting
    );
    // A later close of the same ticket (reopened, closed again) delivers anew.
    assert_eq!(
        store
            .begin_delivery(ticket.id, CLOSE + 60_000, summary, at(9))
            .await
            .unwrap(),
        DeliveryState::Posting
    );
    assert_eq!(
        store
            .begin_delivery(ticket.id, CLOSE, summary, at(10))
            .await
            .unwrap(),
        DeliveryState::Posted {
            message_id: Some(message)
        }
    );
}

/// A message id of our era (below `i64::MAX`, as every snowflake will be for centuries): the
/// stored order of ids is their time order.
const LATE: Snowflake = 1_400_000_000_000_000_000;

fn captured(id: Snowflake, author: Snowflake, content: &str, secs: i64) -> TicketMessage {
    TicketMessage {
        message_id: id,
        author_id: author,
        author_name: format!("user{author}"),
        author_display: None,
        author_avatar: None,
        author_bot: false,
        content: content.to_owned(),
        original_content: None,
        created_at: at(secs),
        edited_at: None,
        deleted_at: None,
        from_history: false,
        details: serde_json::json!({"attachments": [{"filename": "a.png", "size": 3}]}),
    }
}

/// Live capture: created messages are recorded for the channel's ticket (and only for ticket
/// channels), a replayed create changes nothing, an edit keeps the first content as the
/// original, a deletion marks the row and keeps its content, history fills only what is
/// missing, and messages come back in id order.
async fn live_capture(db: &TestDb) {
    let store = db.store.as_ref();
    let ticket = open_ticket(store, GUILD, 7, 920).await;
    let first = captured(LATE - 10, 7, "hello", 1);
    assert!(store.record_message_created(920, &first).await.unwrap());
    assert!(
        !store
            .record_message_created(921, &captured(LATE - 9, 7, "elsewhere", 1))
            .await
            .unwrap(),
        "not a ticket channel"
    );
    // A replay of the create after an edit must not undo the edit.
    let mut edited = first.clone();
    edited.content = "hello, edited".to_owned();
    edited.edited_at = Some(at(2));
    assert!(store.record_message_edited(920, &edited).await.unwrap());
    let mut again = edited.clone();
    again.content = "hello, edited twice".to_owned();
    again.edited_at = Some(at(3));
    store.record_message_edited(920, &again).await.unwrap();
    assert!(!store.record_message_created(920, &first).await.unwrap());
    // An edit of a message never seen records it.
    let unseen = captured(LATE - 20, 8, "posted while away", 0);
    store.record_message_edited(920, &unseen).await.unwrap();
    let second = captured(LATE - 5, 8, "bye", 4);
    store.record_message_created(920, &second).await.unwrap();
    assert_eq!(
        store
            .record_messages_deleted(920, &[second.message_id, 12345], at(5))
            .await
            .unwrap(),
        1
    );
    // History fills the gap: what was seen live stays as seen.
    let mut stale = first.clone();
    stale.content = "hello".to_owned();
    stale.from_history = true;
    let mut missed = captured(LATE - 7, 9, "missed", 3);
    missed.from_history = true;
    assert_eq!(
        store
            .fill_messages(ticket.id, &[stale, missed])
            .await
            .unwrap(),
        1
    );

    let rows = store.ticket_messages(ticket.id).await.unwrap();
    let ids: Vec<Snowflake> = rows.iter().map(|m| m.message_id).collect();
    assert_eq!(ids, vec![LATE - 20, LATE - 10, LATE - 7, LATE - 5]);
    assert_eq!(rows[1].content, "hello, edited twice");
    assert_eq!(rows[1].original_content.as_deref(), Some("hello"));
    assert_eq!(rows[1].edited_at, Some(at(3)));
    assert!(!rows[1].from_history && rows[2].from_history);
    assert_eq!(rows[3].deleted_at, Some(at(5)));
    assert_eq!(
        rows[3].content, "bye",
        "a deleted message keeps its content"
    );
    assert_eq!(rows[0].original_content, None);
    assert_eq!(rows[0].details, first.details);
    assert_eq!(
        store.last_message_until(ticket.id, LATE - 8).await.unwrap(),
        Some(LATE - 10)
    );
    assert_eq!(store.last_message_until(ticket.id, 5).await.unwrap(), None);
}

/// Gaps are recorded per ticket, widened when recorded again from the same start, and removed
/// only as read.
async fn capture_gaps(db: &TestDb) {
    let store = db.store.as_ref();
    let ticket = open_ticket(store, GUILD, 7, 930).await;
    assert!(store.capture_gaps(ticket.id).await.unwrap().is_empty());
    let gap = CaptureGap {
        after_id: 930,
        until_id: LATE - 100,
    };
    store.add_capture_gap(ticket.id, gap).await.unwrap();
    let wider = CaptureGap {
        until_id: LATE - 50,
        ..gap
    };
    store.add_capture_gap(ticket.id, wider).await.unwrap();
    store.add_capture_gap(ticket.id, gap).await.unwrap();
    assert_eq!(store.capture_gaps(ticket.id).await.unwrap(), vec![wider]);
    // Read up to the narrower end: the widened gap stays.
    assert!(!store.remove_capture_gap(ticket.id, gap).await.unwrap());
    assert!(store.remove_capture_gap(ticket.id, wider).await.unwrap());
    assert!(store.capture_gaps(ticket.id).await.unwrap().is_empty());
}

fn gateway_session(shard_id: u32, shard_total: u32, saved_at: DateTime<Utc>) -> GatewaySession {
    GatewaySession {
        shard_id,
        shard_total,
        session_id: format!("session-{shard_id}-of-{shard_total}"),
        sequence: 41 + u64::from(shard_id),
        resume_url: Some("wss://resume.example".to_owned()),
        saved_at,
    }
}

/// A saved session is taken once, by shard index and total; a later save replaces it; one saved
/// at or before the bound is removed without being returned.
async fn gateway_sessions_are_taken_once(db: &TestDb) {
    let store = db.store.as_ref();
    assert_eq!(store.take_gateway_session(0, 2, at(0)).await.unwrap(), None);

    let first = gateway_session(0, 2, at(10));
    store.save_gateway_session(&first).await.unwrap();
    let mut replaced = gateway_session(0, 2, at(20));
    replaced.session_id = "later".into();
    replaced.sequence = u64::from(u32::MAX) + 7;
    replaced.resume_url = None;
    store.save_gateway_session(&replaced).await.unwrap();
    let other_shard = gateway_session(1, 2, at(20));
    store.save_gateway_session(&other_shard).await.unwrap();
    let other_total = gateway_session(0, 1, at(20));
    store.save_gateway_session(&other_total).await.unwrap();

    assert_eq!(
        store.take_gateway_session(0, 2, at(19)).await.unwrap(),
        Some(replaced)
    );
    assert_eq!(
        store.take_gateway_session(0, 2, at(19)).await.unwrap(),
        None,
        "taken once"
    );
    assert_eq!(
        store.take_gateway_session(0, 1, at(0)).await.unwrap(),
        Some(other_total)
    );

    // Saved exactly at the bound: too old, and gone afterwards even for a looser bound.
    assert_eq!(
        store.take_gateway_session(1, 2, at(20)).await.unwrap(),
        None
    );
    assert_eq!(store.take_gateway_session(1, 2, at(0)).await.unwrap(), None);
}

/// Processes starting together on one database: exactly one of them gets the session.
async fn a_gateway_session_goes_to_one_process(db: &TestDb) {
    let saved = gateway_session(3, 4, Utc::now());
    db.store.save_gateway_session(&saved).await.unwrap();
    let mut takers = Vec::new();
    for _ in 0..8 {
        let store = db.reopen().await;
        takers.push(tokio::spawn(async move {
            store
                .take_gateway_session(3, 4, Utc::now() - chrono::Duration::minutes(1))
                .await
                .unwrap()
        }));
    }
    let mut got = Vec::new();
    for taker in takers {
        got.extend(taker.await.unwrap());
    }
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].session_id, saved.session_id);
    assert_eq!(got[0].saved_at, millis(saved.saved_at));
}

async fn settings_updates_are_compare_and_set(db: &TestDb) {
    let store = db.store.clone();
    // The first write of a server with no row, then over it.
    let done = store
        .update_guild_settings(GUILD, &|s| s.confirm_close = false)
        .await
        .unwrap();
    assert!(done.before.confirm_close && !done.after.confirm_close);
    assert_eq!(store.guild_settings(GUILD).await.unwrap(), done.after);
    let same = store
        .update_guild_settings(GUILD, &|s| s.confirm_close = false)
        .await
        .unwrap();
    assert_eq!(same.before, same.after, "a change that changes nothing");

    // Many writers, each on its own setting, at once: every change stays.
    let mut writers = Vec::new();
    for i in 0..8u32 {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let change = move |s: &mut GuildSettings| match i {
                0 => s.max_open_total = 77,
                1 => s.max_open_per_member = 4,
                2 => s.language = Language::Vi,
                3 => s.who_may_close = WhoMayClose::StaffOnly,
                4 => s.response_time = "soon".to_owned(),
                5 => s.instructions = "say hi".to_owned(),
                6 => s.footer = "f".to_owned(),
                _ => s.color = 7,
            };
            store.update_guild_settings(GUILD, &change).await.unwrap();
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let now = store.guild_settings(GUILD).await.unwrap();
    assert_eq!(
        (now.max_open_total, now.max_open_per_member, now.language),
        (77, 4, Language::Vi)
    );
    assert_eq!(now.who_may_close, WhoMayClose::StaffOnly);
    assert_eq!(
        (
            now.response_time.as_str(),
            now.instructions.as_str(),
            now.footer.as_str(),
            now.color
        ),
        ("soon", "say hi", "f", 7)
    );
    assert!(!now.confirm_close);
    // A whole-settings save moves the revision too; an update after it builds on it.
    let mut saved = now.clone();
    saved.enabled = false;
    store.save_guild_settings(&saved).await.unwrap();
    let after = store
        .update_guild_settings(GUILD, &|s| s.max_open_total = 5)
        .await
        .unwrap();
    assert!(!after.before.enabled && !after.after.enabled);
    assert_eq!(
        db.reopen().await.guild_settings(GUILD).await.unwrap(),
        after.after
    );
    assert_eq!(
        store.guild_settings(OTHER_GUILD).await.unwrap(),
        GuildSettings::defaults(OTHER_GUILD)
    );
}

async fn transcript_links_are_revoked_per_ticket(db: &TestDb) {
    let store = db.store.as_ref();
    let ticket = open_ticket(store, GUILD, 7, 900).await;
    let other = open_ticket(store, GUILD, 8, 901).await;
    assert!(!store.transcript_links_revoked(ticket.id).await.unwrap());
    assert!(
        store
            .revoke_transcript_links(ticket.id, HUGE, at(5))
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_transcript_links(ticket.id, 12, at(6))
            .await
            .unwrap(),
        "a second revocation changes nothing"
    );
    assert!(store.transcript_links_revoked(ticket.id).await.unwrap());
    assert!(!store.transcript_links_revoked(other.id).await.unwrap());
    let by_number = store
        .ticket_by_number(GUILD, ticket.number)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_number.id, ticket.id);
    assert_eq!(
        store
            .ticket_by_number(OTHER_GUILD, ticket.number)
            .await
            .unwrap(),
        None
    );
}

/// `t` as the store gives it back: both backends keep milliseconds.
fn millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap()
}

suite!(
    migrations_are_idempotent,
    settings_default_and_round_trip,
    blacklist,
    panels,
    topics_unique_per_guild_ignoring_case,
    reservation_refusals,
    twenty_clicks_make_one_ticket,
    server_limit_holds_under_concurrency,
    attach_release_and_lookups,
    update_is_compare_and_set,
    members_follow_the_ticket,
    job_leasing,
    jobs_renew_their_lease_fail_and_are_retried,
    jobs_of_a_server_park_and_come_back,
    concurrent_workers_never_share_a_job,
    unknown_job_kinds_are_left_alone,
    transcripts,
    first_sighting_dedupes_across_pools,
    utc_times_round_trip,
    snowflakes_above_i64_max_round_trip,
    statistics,
    first_responses,
    statistics_match_a_recount_after_any_history,
    rebuild_counts_tickets_written_around_the_store,
    deliveries,
    unwelcomed_tickets,
    live_capture,
    capture_gaps,
    gateway_sessions_are_taken_once,
    a_gateway_session_goes_to_one_process,
    settings_updates_are_compare_and_set,
    transcript_links_are_revoked_per_ticket,
);
