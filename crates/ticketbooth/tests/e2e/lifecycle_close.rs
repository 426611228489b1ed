//! While open and closing, end to end (issue 4, points 6–13): Need Help, claim and unclaim,
//! adding and removing members, each way of closing with its CloseHow, both closing modes, the
//! transcript saved before the channel goes, the archive, and double clicks.

use crate::lifecycle_support;

use serde_json::{Value, json};
use ticketbooth::{drive, sandbox::Database};
use ticketbooth_bot::{
    invocation::Invocation,
    responder::Reply,
    tickets::actions::{self, TicketRef},
};
use ticketbooth_core::{
    CloseHow, ClosingMode, Language, TicketStatus, authz::Refusal, custom_id::CustomId, i18n::Msg,
};
use ticketbooth_sim::Sim;

use lifecycle_support::*;

fn user_option(user: u64) -> Value {
    json!([{ "name": "user", "type": 6, "value": user.to_string() }])
}

/// The index of the first logged request matching `method` and `path`.
fn position(sim: &Sim, method: &str, path: &str) -> Option<usize> {
    sim.requests()
        .iter()
        .position(|r| r.method == method && r.path == path)
}

/// Waits until the simulator no longer has the channel.
async fn channel_gone(sim: &Sim, channel: u64) {
    drive::eventually("the channel's deletion", WAIT, || {
        sim.channel(channel).is_none().then_some(())
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn need_help_claim_and_members() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();

    // Need Help is the owner's: staff are refused, ephemerally.
    let refused = press(sim, demo.staff, channel, |id| {
        matches!(id, CustomId::NeedHelp { .. })
    })
    .await;
    let reply = reply_of(&refused).await;
    assert_eq!(reply.ephemeral_to, Some(demo.staff));
    assert!(drive::text_of(&reply).contains(&say(Language::En, &Msg::Refused(Refusal::NotOwner))));
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().status,
        TicketStatus::Open
    );

    // The owner asks: the staff role, and only it, is pinged; the ticket stays open.
    let help = press(sim, owner, channel, |id| {
        matches!(id, CustomId::NeedHelp { .. })
    })
    .await;
    let request = reply_of(&help).await;
    assert_eq!(request.pinged_roles, vec![demo.staff_role]);
    assert!(request.pinged_users.is_empty() && !request.pinged_everyone);
    let stored = store.ticket(ticket.id).await.unwrap().unwrap();
    assert_eq!(stored.status, TicketStatus::NeedHelp);
    assert!(stored.help_requested_at.is_some());
    assert!(sim.channel(channel).is_some() && can_view(sim, channel, owner));

    // Claim by the button on the help request, unclaim and claim again by command.
    let claim = sim
        .as_user(demo.staff)
        .click(
            channel,
            request.id,
            &CustomId::Claim {
                ticket_id: ticket.id,
            }
            .encode(),
        )
        .expect("the Claim button is on the help request");
    drive::acked(&claim).await.unwrap();
    assert!(
        reply_of(&claim).await.ephemeral_to.is_none(),
        "said in the channel"
    );
    let claimed = ticket_until(store, ticket.id, "the claim", |t| t.claimed_by.is_some()).await;
    assert_eq!(claimed.claimed_by, Some(demo.staff));
    assert!(claimed.claimed_at.is_some());
    let unclaim = command(sim, demo.guild, demo.staff, channel, "unclaim", Value::Null).await;
    reply_of(&unclaim).await;
    ticket_until(store, ticket.id, "the unclaim", |t| t.claimed_by.is_none()).await;
    let claim = command(sim, demo.guild, demo.staff, channel, "claim", Value::Null).await;
    reply_of(&claim).await;
    ticket_until(store, ticket.id, "the second claim", |t| {
        t.claimed_by == Some(demo.staff)
    })
    .await;

    // /add and /remove: one overwrite call each, and the member list in the store.
    let guest = demo.members[1];
    assert!(!can_view(sim, channel, guest));
    let before = sim.requests().len();
    let add = command(
        sim,
        demo.guild,
        demo.staff,
        channel,
        "add",
        user_option(guest),
    )
    .await;
    reply_of(&add).await;
    let with_guest = ticket_until(store, ticket.id, "the added member", |t| {
        t.members == vec![guest]
    })
    .await;
    assert_eq!(with_guest.members, vec![guest]);
    let overwrite_calls = |from: usize| {
        requests_since(sim, from)
            .into_iter()
            .filter(|r| {
                r.path.starts_with(&format!("/channels/{channel}"))
                    && r.method != "GET"
                    && !r.path.ends_with("/messages")
            })
            .map(|r| format!("{} {}", r.method, r.path))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        overwrite_calls(before),
        vec![format!("PUT /channels/{channel}/permissions/{guest}")]
    );
    assert!(can_view(sim, channel, guest));
    let before = sim.requests().len();
    let remove = command(
        sim,
        demo.guild,
        demo.staff,
        channel,
        "remove",
        user_option(guest),
    )
    .await;
    reply_of(&remove).await;
    ticket_until(store, ticket.id, "the removed member", |t| {
        t.members.is_empty()
    })
    .await;
    assert_eq!(
        overwrite_calls(before),
        vec![format!("DELETE /channels/{channel}/permissions/{guest}")]
    );
    assert!(!can_view(sim, channel, guest));
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_way_of_closing_is_archived_with_its_path() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let panel = post_panel(&sandbox).await;
    let extra = sim.create_user("fourth");
    sim.add_member(demo.guild, extra, &[]).unwrap();
    let [a, b, c] = demo.members;

    // It Works! by the owner.
    let works = open_ticket(&sandbox, &panel, a).await;
    let guest = extra;
    let add = command(
        sim,
        demo.guild,
        demo.staff,
        works.channel_id.unwrap(),
        "add",
        user_option(guest),
    )
    .await;
    reply_of(&add).await;
    sim.as_user(a)
        .send_message(works.channel_id.unwrap(), "It is broken.")
        .unwrap();
    let click = press(sim, a, works.channel_id.unwrap(), |id| {
        matches!(id, CustomId::ItWorks { .. })
    })
    .await;
    let resolved = reply_of(&click).await;
    let settings = store.guild_settings(demo.guild).await.unwrap();
    let title = |msg: &Msg| say(settings.language, msg);
    assert_eq!(
        resolved.embeds[0]["title"].as_str(),
        Some(title(&Msg::ResolvedTitle).as_str())
    );

    // Need Help, then closed by staff.
    let helped = open_ticket(&sandbox, &panel, b).await;
    let hb = helped.channel_id.unwrap();
    reply_of(&press(sim, b, hb, |id| matches!(id, CustomId::NeedHelp { .. })).await).await;
    reply_of(&close_and_confirm(sim, demo.staff, hb).await).await;

    // Closed by staff with /close and a reason.
    let staffed = open_ticket(&sandbox, &panel, c).await;
    let reason = json!([{ "name": "reason", "type": 3, "value": "duplicate of another ticket" }]);
    let close = command(
        sim,
        demo.guild,
        demo.staff,
        staffed.channel_id.unwrap(),
        "close",
        reason,
    )
    .await;
    let closed_message = reply_of(&close).await;
    assert_eq!(
        closed_message.embeds[0]["title"].as_str(),
        Some(title(&Msg::ClosedTitle).as_str())
    );
    assert!(drive::text_of(&closed_message).contains("duplicate of another ticket"));

    // Closed by its owner.
    configure(&sandbox, |s| s.max_open_per_member = 2).await;
    let owned = open_ticket(&sandbox, &panel, extra).await;
    let owned = if owned.id == works.id {
        unreachable!()
    } else {
        owned
    };
    reply_of(&close_and_confirm(sim, extra, owned.channel_id.unwrap()).await).await;

    let expected = [
        (works.id, CloseHow::ItWorks, a),
        (helped.id, CloseHow::NeedHelpThenStaff, demo.staff),
        (staffed.id, CloseHow::Staff, demo.staff),
        (owned.id, CloseHow::Owner, extra),
    ];
    for (id, how, by) in expected {
        let archived = ticket_until(store, id, "the deletion", |t| {
            t.status == TicketStatus::Deleted
        })
        .await;
        assert_eq!(archived.close_how, Some(how), "{archived:?}");
        assert_eq!(archived.closed_by, Some(by), "{archived:?}");
        let (closed, deleted) = (archived.closed_at.unwrap(), archived.deleted_at.unwrap());
        assert!(
            archived.created_at <= closed && closed <= deleted,
            "{archived:?}"
        );
        // The delay is honoured: not deleted before it.
        assert!(
            (deleted - closed).num_milliseconds() >= i64::from(SHORT_DELAY_SECS) * 1000 - 50,
            "{archived:?}"
        );
        let channel = archived.channel_id.unwrap();
        channel_gone(sim, channel).await;
        // The transcript is stored, made from the messages captured live: no history read.
        assert_eq!(
            position(sim, "GET", &format!("/channels/{channel}/messages")),
            None,
            "{how:?}"
        );
        assert!(
            store.has_transcript(id).await.unwrap(),
            "{how:?} has no transcript"
        );
    }
    let staffed = store.ticket(staffed.id).await.unwrap().unwrap();
    assert_eq!(
        staffed.close_reason.as_deref(),
        Some("duplicate of another ticket")
    );
    let works = store.ticket(works.id).await.unwrap().unwrap();
    assert_eq!(works.members, vec![guest], "members are archived");
    let transcript = store.transcript(works.id).await.unwrap().unwrap();
    assert!(
        transcript.message_count >= 2,
        "{}",
        transcript.message_count
    );
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_mode_locks_reopens_and_deletes_once() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    configure(&sandbox, |s| s.closing = ClosingMode::Keep).await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();

    // Closed by the owner: locked, with Delete Channel and Reopen.
    let close = close_and_confirm(sim, owner, channel).await;
    let closed = reply_of(&close).await;
    let ids = ids_on(&closed);
    assert!(
        ids.contains(&CustomId::DeleteChannel {
            ticket_id: ticket.id
        }),
        "{ids:?}"
    );
    assert!(
        ids.contains(&CustomId::Reopen {
            ticket_id: ticket.id
        }),
        "{ids:?}"
    );
    drive::eventually("the lock", WAIT, || {
        (!can_view(sim, channel, owner)).then_some(())
    })
    .await
    .unwrap();
    assert!(can_view(sim, channel, demo.staff));
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().status,
        TicketStatus::Closed
    );

    // Closing twice: one effect, and a clear reply.
    let again = command(sim, demo.guild, demo.staff, channel, "close", Value::Null).await;
    let reply = reply_of(&again).await;
    assert!(
        drive::text_of(&reply).contains(&say(Language::En, &Msg::Refused(Refusal::AlreadyClosed))),
        "{}",
        drive::text_of(&reply)
    );

    // Reopen gives the owner access back.
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
    drive::eventually("the unlock", WAIT, || {
        can_view(sim, channel, owner).then_some(())
    })
    .await
    .unwrap();
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().status,
        TicketStatus::Open
    );

    // Closed again by staff. Delete Channel is staff-only: the owner (who can no longer see the
    // channel, so only a stale client could press it) is refused.
    let close = command(sim, demo.guild, demo.staff, channel, "close", Value::Null).await;
    let closed = reply_of(&close).await;
    let owner_press = Invocation {
        guild_id: demo.guild,
        channel_id: channel,
        user_id: owner,
        display_name: "owner".into(),
        role_ids: Vec::new(),
        permissions: 0,
        lang: Language::En,
    };
    let Reply::Message(data) =
        actions::delete_channel(&sandbox.bot.ctx, &owner_press, TicketRef::Id(ticket.id))
            .await
            .unwrap()
    else {
        panic!("a message reply")
    };
    assert_eq!(
        data.content.as_deref(),
        Some(say(Language::En, &Msg::Refused(Refusal::NotStaff)).as_str())
    );
    assert!(sim.channel(channel).is_some());

    // Delete Channel pressed twice by staff: one deletion.
    let delete = CustomId::DeleteChannel {
        ticket_id: ticket.id,
    }
    .encode();
    let staff = sim.as_user(demo.staff);
    let first = staff.click(channel, closed.id, &delete).unwrap();
    let second = staff.click(channel, closed.id, &delete).unwrap();
    drive::acked(&first).await.unwrap();
    drive::acked(&second).await.unwrap();
    channel_gone(sim, channel).await;
    let archived = ticket_until(store, ticket.id, "the archive", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    assert_eq!(archived.close_how, Some(CloseHow::Staff));
    assert!(store.has_transcript(ticket.id).await.unwrap());
    let deletions = sim
        .requests()
        .iter()
        .filter(|r| r.method == "DELETE" && r.path == format!("/channels/{channel}"))
        .count();
    assert_eq!(deletions, 1);

    // A Reopen press arriving after the deletion (from a client that still showed the button)
    // changes nothing and says why.
    let staff_member = sim.with_world(|w| w.guilds[&demo.guild].members[&demo.staff].roles.clone());
    let late = Invocation {
        guild_id: demo.guild,
        channel_id: channel,
        user_id: demo.staff,
        display_name: "staff".into(),
        role_ids: staff_member,
        permissions: 0,
        lang: Language::En,
    };
    let reply = actions::reopen(&sandbox.bot.ctx, &late, TicketRef::Id(ticket.id))
        .await
        .unwrap();
    let Reply::Message(data) = reply else {
        panic!("a message reply")
    };
    assert_eq!(
        data.content.as_deref(),
        Some(say(Language::En, &Msg::Refused(Refusal::AlreadyDeleted)).as_str())
    );
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().status,
        TicketStatus::Deleted
    );
    assert!(sim.channel(channel).is_none());
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_and_reopen_pressed_together_have_one_effect() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    configure(&sandbox, |s| s.closing = ClosingMode::Keep).await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    let close = command(sim, demo.guild, demo.staff, channel, "close", Value::Null).await;
    let closed = reply_of(&close).await;
    let staff = sim.as_user(demo.staff);
    let delete = staff
        .click(
            channel,
            closed.id,
            &CustomId::DeleteChannel {
                ticket_id: ticket.id,
            }
            .encode(),
        )
        .unwrap();
    let reopen = sim
        .as_user(demo.admin)
        .click(
            channel,
            closed.id,
            &CustomId::Reopen {
                ticket_id: ticket.id,
            }
            .encode(),
        )
        .unwrap();
    drive::acked(&delete).await.unwrap();
    drive::acked(&reopen).await.unwrap();
    let reopen_reply = drive::text_of(&reply_of(&reopen).await);
    // Whatever was scheduled has run.
    jobs_done(&sandbox, ticket.id).await;
    let after = store.ticket(ticket.id).await.unwrap().unwrap();
    eprintln!(
        "delete and reopen together: the ticket ended {:?}",
        after.status
    );
    match after.status {
        TicketStatus::Deleted => {
            assert!(sim.channel(channel).is_none());
            assert!(store.has_transcript(ticket.id).await.unwrap());
            assert!(
                reopen_reply.contains(&say(Language::En, &Msg::Refused(Refusal::AlreadyDeleted))),
                "{reopen_reply}"
            );
        }
        TicketStatus::Open => {
            assert!(
                sim.channel(channel).is_some(),
                "a reopened ticket keeps its channel"
            );
            assert!(can_view(sim, channel, owner));
        }
        other => panic!("unexpected state {other:?}"),
    }
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

/// Reopen pressed while the worker is saving the transcript before a deletion (the simulator
/// holds the message history in flight until the press is answered): the reopen wins and the
/// channel stays, rather than a reopened ticket losing its channel.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reopen_during_the_transcript_capture_keeps_the_channel() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    configure(&sandbox, |s| s.closing = ClosingMode::Keep).await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    let close = command(sim, demo.guild, demo.staff, channel, "close", Value::Null).await;
    let closed = reply_of(&close).await;
    // Keep mode's own capture is over first.
    jobs_done(&sandbox, ticket.id).await;
    let history = sim.faults().add(ticketbooth_sim::faults::FaultRule::held(
        Some(http::Method::GET),
        "/channels/{channel.id}/messages",
    ));
    // Part of the conversation went unseen (as after a stop longer than a resume), so the
    // deletion's capture reads the history.
    unseen_part(store, sim, ticket.id, channel).await;
    let delete = sim
        .as_user(demo.staff)
        .click(
            channel,
            closed.id,
            &CustomId::DeleteChannel {
                ticket_id: ticket.id,
            }
            .encode(),
        )
        .unwrap();
    drive::acked(&delete).await.unwrap();
    drive::eventually("the deletion's capture to read the history", WAIT, || {
        (sim.faults().injected_by(history) > Some(0)).then_some(())
    })
    .await
    .unwrap();
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
    sim.faults().release(history);
    jobs_done(&sandbox, ticket.id).await;
    let after = store.ticket(ticket.id).await.unwrap().unwrap();
    assert_eq!(after.status, TicketStatus::Open);
    assert!(
        sim.channel(channel).is_some(),
        "the reopened ticket kept its channel"
    );
    assert!(can_view(sim, channel, owner));
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

/// Who may act is decided on the server from roles and settings, and the refusal comes in the
/// actor's own language: staff cannot press It Works!, and an owner cannot close when the
/// server lets only staff close.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_in_a_ticket_follow_the_settings_and_the_actors_language() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    configure(&sandbox, |s| {
        s.who_may_close = ticketbooth_core::WhoMayClose::StaffOnly
    })
    .await;
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    sim.set_user_locale(demo.staff, "vi");

    let works = press(sim, demo.staff, channel, |id| {
        matches!(id, CustomId::ItWorks { .. })
    })
    .await;
    let reply = reply_of(&works).await;
    assert_eq!(reply.ephemeral_to, Some(demo.staff));
    let vi = say(Language::Vi, &Msg::Refused(Refusal::NotOwner));
    assert_ne!(vi, say(Language::En, &Msg::Refused(Refusal::NotOwner)));
    assert!(
        drive::text_of(&reply).contains(&vi),
        "{}",
        drive::text_of(&reply)
    );

    let close = press(sim, owner, channel, |id| {
        matches!(id, CustomId::Close { .. })
    })
    .await;
    let reply = reply_of(&close).await;
    assert_eq!(reply.ephemeral_to, Some(owner));
    assert!(
        drive::text_of(&reply)
            .contains(&say(Language::En, &Msg::Refused(Refusal::OwnerMayNotClose))),
        "{}",
        drive::text_of(&reply)
    );
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().status,
        TicketStatus::Open
    );
    // The owner may still resolve it.
    reply_of(
        &press(sim, owner, channel, |id| {
            matches!(id, CustomId::ItWorks { .. })
        })
        .await,
    )
    .await;
    let closed = ticket_until(store, ticket.id, "the resolution", |t| {
        t.status != TicketStatus::Open
    })
    .await;
    assert_eq!(closed.close_how, Some(CloseHow::ItWorks));
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

/// The transcript pages through the whole history, from the oldest message: more than one page
/// of Discord's 100 messages is all captured before the channel goes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_transcript_holds_every_message_across_pages() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    for n in 0..230 {
        sim.as_user(owner)
            .send_message(channel, &format!("line {n}"))
            .unwrap();
    }
    reply_of(
        &press(sim, owner, channel, |id| {
            matches!(id, CustomId::ItWorks { .. })
        })
        .await,
    )
    .await;
    channel_gone(sim, channel).await;
    let transcript = ticket_until(store, ticket.id, "the archive", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    let saved = store.transcript(transcript.id).await.unwrap().unwrap();
    // The welcome, 230 lines and the resolution.
    assert!(saved.message_count >= 232, "{}", saved.message_count);
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

/// A channel is never deleted while its transcript cannot be saved: with the history failing,
/// the ticket stays closed and its channel stays; once Discord answers again, the retried job
/// saves the transcript and deletes the channel.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_channel_is_deleted_before_its_transcript_is_saved() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let panel = post_panel(&sandbox).await;
    let owner = demo.members[0];
    let ticket = open_ticket(&sandbox, &panel, owner).await;
    let channel = ticket.channel_id.unwrap();
    let fault = sim.faults().add(ticketbooth_sim::faults::FaultRule::status(
        None,
        "/channels/{channel.id}/messages",
        500,
        ticketbooth_sim::faults::Trigger::Fraction(1.0),
    ));
    // Part of the conversation went unseen, so the capture needs the history.
    unseen_part(store, sim, ticket.id, channel).await;
    reply_of(
        &press(sim, owner, channel, |id| {
            matches!(id, CustomId::ItWorks { .. })
        })
        .await,
    )
    .await;
    // Past the delay, a first attempt failed and was put back for a retry.
    job_until(store, ticket.id, WAIT, "a failed first attempt", |job| {
        job.last_error.is_some()
    })
    .await;
    assert!(
        sim.faults().injected_by(fault).unwrap_or(0) > 0,
        "the capture was tried"
    );
    assert!(
        sim.channel(channel).is_some(),
        "deleted without a transcript"
    );
    assert!(!store.has_transcript(ticket.id).await.unwrap());
    assert_eq!(
        store.ticket(ticket.id).await.unwrap().unwrap().status,
        TicketStatus::Closed
    );

    sim.faults().remove(fault);
    channel_gone(sim, channel).await;
    assert!(store.has_transcript(ticket.id).await.unwrap());
    ticket_until(store, ticket.id, "the archive", |t| {
        t.status == TicketStatus::Deleted
    })
    .await;
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}
