//! The ticket lifecycle as pure transitions: each takes a ticket and returns the changed ticket,
//! or the [`Refusal`] that explains why nothing changed.
//!
//! Transitions leave `revision` alone: the store bumps it when it writes, and refuses the write
//! if another process changed the ticket first. A repeated action (a double click) meets the
//! state the first one left and is refused, so it never has a second effect.

use chrono::{DateTime, Duration, Utc};

use crate::authz::{ActorRole, Refusal};
use crate::model::{CloseHow, ClosingMode, GuildSettings, Snowflake, Ticket, TicketStatus};
use crate::text::truncate_chars;

/// The longest close reason kept (it is shown in an embed field of at most 1024 characters).
pub const MAX_REASON_CHARS: usize = 1000;

/// Which control closed the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloseKind {
    /// The owner's ✅ It Works!.
    ItWorks,
    /// 🔒 Close or `/close`.
    Close,
    /// The hub's Close all.
    CloseAll,
}

/// What to do with the channel once a ticket is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterClose {
    /// Delete the channel at this time (a scheduled row, so a restart keeps the promise).
    DeleteAt(DateTime<Utc>),
    /// Lock the channel and offer Delete Channel and Reopen.
    Lock,
}

/// Why a member could not open a ticket; the catalog phrases each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpenRefusal {
    /// The member is at their limit; `channel_id` is one of their open tickets, if created.
    AlreadyOpen { channel_id: Option<Snowflake> },
    /// The server has `max` open tickets.
    ServerLimit { max: u32 },
    /// The ticket system is turned off.
    Disabled,
    /// The member may not open tickets here.
    Blacklisted,
    /// The bot lacks Manage Channels.
    BotLacksManageChannels,
    /// Every category the ticket could go in is full (Discord's 50 channels).
    CategoryFull,
}

fn ensure_open(ticket: &Ticket) -> Result<(), Refusal> {
    match ticket.status {
        TicketStatus::Open | TicketStatus::NeedHelp => Ok(()),
        TicketStatus::Opening => Err(Refusal::NotReady),
        TicketStatus::Closed => Err(Refusal::AlreadyClosed),
        TicketStatus::Deleted => Err(Refusal::AlreadyDeleted),
    }
}

/// 🆘 Need Help: the ticket now waits for staff.
pub fn request_help(ticket: &Ticket, now: DateTime<Utc>) -> Result<Ticket, Refusal> {
    ensure_open(ticket)?;
    if ticket.status == TicketStatus::NeedHelp {
        return Err(Refusal::AlreadyAskedForHelp);
    }
    Ok(Ticket {
        status: TicketStatus::NeedHelp,
        help_requested_at: Some(now),
        ..ticket.clone()
    })
}

/// A staff member takes the ticket.
pub fn claim(ticket: &Ticket, by: Snowflake, now: DateTime<Utc>) -> Result<Ticket, Refusal> {
    ensure_open(ticket)?;
    if let Some(claimer) = ticket.claimed_by {
        return Err(Refusal::AlreadyClaimed { by: claimer });
    }
    Ok(Ticket {
        claimed_by: Some(by),
        claimed_at: Some(now),
        ..ticket.clone()
    })
}

/// The ticket is nobody's again.
pub fn unclaim(ticket: &Ticket) -> Result<Ticket, Refusal> {
    ensure_open(ticket)?;
    if ticket.claimed_by.is_none() {
        return Err(Refusal::NotClaimed);
    }
    Ok(Ticket {
        claimed_by: None,
        claimed_at: None,
        ..ticket.clone()
    })
}

/// How a close by `role` through `kind` is counted.
fn close_how(ticket: &Ticket, role: ActorRole, kind: CloseKind) -> Result<CloseHow, Refusal> {
    match (kind, role) {
        (CloseKind::CloseAll, _) => Ok(CloseHow::CloseAll),
        (CloseKind::ItWorks, ActorRole::Owner) => Ok(CloseHow::ItWorks),
        (CloseKind::ItWorks, _) => Err(Refusal::NotOwner),
        (CloseKind::Close, ActorRole::Owner) => Ok(CloseHow::Owner),
        (CloseKind::Close, ActorRole::Staff | ActorRole::Admin) => {
            if ticket.help_requested_at.is_some() {
                Ok(CloseHow::NeedHelpThenStaff)
            } else {
                Ok(CloseHow::Staff)
            }
        }
        (CloseKind::Close, ActorRole::AddedMember | ActorRole::Outsider) => Err(Refusal::NotStaff),
    }
}

/// Closes an open ticket, recording who, how and why (the reason bounded to
/// [`MAX_REASON_CHARS`]; an empty one is no reason).
pub fn close(
    ticket: &Ticket,
    actor_role: ActorRole,
    by: Snowflake,
    kind: CloseKind,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Ticket, Refusal> {
    ensure_open(ticket)?;
    let how = close_how(ticket, actor_role, kind)?;
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| truncate_chars(r, MAX_REASON_CHARS));
    Ok(Ticket {
        status: TicketStatus::Closed,
        closed_at: Some(now),
        closed_by: Some(by),
        close_how: Some(how),
        close_reason: reason,
        ..ticket.clone()
    })
}

/// The ticket's channel vanished (deleted by hand, or found missing at start-up).
///
/// An open ticket is closed as [`CloseHow::ChannelDeleted`]; a closed one keeps how it was
/// closed and is only marked deleted.
pub fn mark_channel_deleted(ticket: &Ticket, now: DateTime<Utc>) -> Result<Ticket, Refusal> {
    match ticket.status {
        TicketStatus::Deleted => Err(Refusal::AlreadyDeleted),
        TicketStatus::Closed => mark_deleted(ticket, now),
        TicketStatus::Opening | TicketStatus::Open | TicketStatus::NeedHelp => Ok(Ticket {
            status: TicketStatus::Deleted,
            closed_at: Some(now),
            close_how: Some(CloseHow::ChannelDeleted),
            deleted_at: Some(now),
            ..ticket.clone()
        }),
    }
}

/// A closed ticket's channel was deleted by the bot (after the delay, or 🗑 Delete Channel).
pub fn mark_deleted(ticket: &Ticket, now: DateTime<Utc>) -> Result<Ticket, Refusal> {
    match ticket.status {
        TicketStatus::Closed => Ok(Ticket {
            status: TicketStatus::Deleted,
            deleted_at: Some(now),
            ..ticket.clone()
        }),
        TicketStatus::Deleted => Err(Refusal::AlreadyDeleted),
        TicketStatus::Opening => Err(Refusal::NotReady),
        TicketStatus::Open | TicketStatus::NeedHelp => Err(Refusal::NotClosed),
    }
}

/// ↩ Reopen a closed ticket whose channel still exists. The close is forgotten (a later close
/// is counted afresh); a help request and a claim are kept.
pub fn reopen(ticket: &Ticket) -> Result<Ticket, Refusal> {
    match ticket.status {
        TicketStatus::Closed => Ok(Ticket {
            status: if ticket.help_requested_at.is_some() {
                TicketStatus::NeedHelp
            } else {
                TicketStatus::Open
            },
            closed_at: None,
            closed_by: None,
            close_how: None,
            close_reason: None,
            ..ticket.clone()
        }),
        TicketStatus::Deleted => Err(Refusal::AlreadyDeleted),
        TicketStatus::Opening => Err(Refusal::NotReady),
        TicketStatus::Open | TicketStatus::NeedHelp => Err(Refusal::NotClosed),
    }
}

/// Adds a member to an open ticket.
pub fn add_member(ticket: &Ticket, user: Snowflake) -> Result<Ticket, Refusal> {
    ensure_open(ticket)?;
    if user == ticket.owner_id || ticket.members.contains(&user) {
        return Err(Refusal::AlreadyMember);
    }
    let mut next = ticket.clone();
    next.members.push(user);
    Ok(next)
}

/// Removes an added member from an open ticket; the owner cannot be removed.
pub fn remove_member(ticket: &Ticket, user: Snowflake) -> Result<Ticket, Refusal> {
    ensure_open(ticket)?;
    if user == ticket.owner_id {
        return Err(Refusal::CannotRemoveOwner);
    }
    if !ticket.members.contains(&user) {
        return Err(Refusal::NotAMember);
    }
    let mut next = ticket.clone();
    next.members.retain(|m| *m != user);
    Ok(next)
}

/// What the server's closing mode asks for, for a ticket closed at `closed_at`.
pub fn after_close(settings: &GuildSettings, closed_at: DateTime<Utc>) -> AfterClose {
    match settings.closing {
        ClosingMode::Delete { after_secs } => {
            AfterClose::DeleteAt(closed_at + Duration::seconds(i64::from(after_secs)))
        }
        ClosingMode::Keep => AfterClose::Lock,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const OWNER: Snowflake = 10;
    const STAFF: Snowflake = 20;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
    }

    fn ticket(status: TicketStatus) -> Ticket {
        Ticket {
            id: 1,
            guild_id: 1,
            number: 1,
            name: "ticket-0001".into(),
            channel_id: Some(99),
            owner_id: OWNER,
            topic: None,
            status,
            help_requested_at: None,
            claimed_by: None,
            claimed_at: None,
            created_at: at(0),
            closed_at: None,
            closed_by: None,
            close_how: None,
            close_reason: None,
            deleted_at: None,
            members: vec![],
            revision: 7,
        }
    }

    #[test]
    fn help_then_staff_close_is_counted_as_such() {
        let t = ticket(TicketStatus::Open);
        let helped = request_help(&t, at(5)).unwrap();
        assert_eq!(helped.status, TicketStatus::NeedHelp);
        assert_eq!(helped.help_requested_at, Some(at(5)));
        assert_eq!(
            request_help(&helped, at(6)),
            Err(Refusal::AlreadyAskedForHelp)
        );

        let claimed = claim(&helped, STAFF, at(7)).unwrap();
        assert_eq!(
            (claimed.claimed_by, claimed.claimed_at),
            (Some(STAFF), Some(at(7)))
        );
        assert_eq!(
            claim(&claimed, 30, at(8)),
            Err(Refusal::AlreadyClaimed { by: STAFF })
        );

        let closed = close(
            &claimed,
            ActorRole::Staff,
            STAFF,
            CloseKind::Close,
            Some("  done "),
            at(9),
        )
        .unwrap();
        assert_eq!(closed.status, TicketStatus::Closed);
        assert_eq!(closed.close_how, Some(CloseHow::NeedHelpThenStaff));
        assert_eq!(closed.closed_by, Some(STAFF));
        assert_eq!(closed.closed_at, Some(at(9)));
        assert_eq!(closed.close_reason.as_deref(), Some("done"));
        assert_eq!(
            closed.revision, 7,
            "the store bumps the revision, not the domain"
        );
    }

    #[test]
    fn close_how_by_path() {
        let open = ticket(TicketStatus::Open);
        let how =
            |role, kind| close(&open, role, 1, kind, None, at(1)).map(|t| t.close_how.unwrap());
        assert_eq!(
            how(ActorRole::Owner, CloseKind::ItWorks),
            Ok(CloseHow::ItWorks)
        );
        assert_eq!(how(ActorRole::Owner, CloseKind::Close), Ok(CloseHow::Owner));
        assert_eq!(how(ActorRole::Staff, CloseKind::Close), Ok(CloseHow::Staff));
        assert_eq!(how(ActorRole::Admin, CloseKind::Close), Ok(CloseHow::Staff));
        assert_eq!(
            how(ActorRole::Admin, CloseKind::CloseAll),
            Ok(CloseHow::CloseAll)
        );
        assert_eq!(
            how(ActorRole::Staff, CloseKind::ItWorks),
            Err(Refusal::NotOwner)
        );
        assert_eq!(
            how(ActorRole::Outsider, CloseKind::Close),
            Err(Refusal::NotStaff)
        );
    }

    #[test]
    fn double_actions_are_refused() {
        let open = ticket(TicketStatus::Open);
        let closed = close(
            &open,
            ActorRole::Owner,
            OWNER,
            CloseKind::ItWorks,
            None,
            at(1),
        )
        .unwrap();
        assert_eq!(
            close(
                &closed,
                ActorRole::Staff,
                STAFF,
                CloseKind::Close,
                None,
                at(2)
            ),
            Err(Refusal::AlreadyClosed)
        );
        let deleted = mark_deleted(&closed, at(6)).unwrap();
        assert_eq!(deleted.deleted_at, Some(at(6)));
        assert_eq!(deleted.close_how, Some(CloseHow::ItWorks));
        assert_eq!(mark_deleted(&deleted, at(7)), Err(Refusal::AlreadyDeleted));
        assert_eq!(reopen(&deleted), Err(Refusal::AlreadyDeleted));
        assert_eq!(reopen(&open), Err(Refusal::NotClosed));
        assert_eq!(mark_deleted(&open, at(1)), Err(Refusal::NotClosed));
        assert_eq!(unclaim(&open), Err(Refusal::NotClaimed));
        assert_eq!(request_help(&closed, at(3)), Err(Refusal::AlreadyClosed));
        assert_eq!(
            claim(&ticket(TicketStatus::Opening), STAFF, at(1)),
            Err(Refusal::NotReady)
        );
    }

    #[test]
    fn reopen_forgets_the_close() {
        let open = ticket(TicketStatus::Open);
        let closed = close(
            &open,
            ActorRole::Staff,
            STAFF,
            CloseKind::Close,
            Some("x"),
            at(1),
        )
        .unwrap();
        let reopened = reopen(&closed).unwrap();
        assert_eq!(reopened.status, TicketStatus::Open);
        assert_eq!(
            (reopened.closed_at, reopened.closed_by, reopened.close_how),
            (None, None, None)
        );
        assert_eq!(reopened.close_reason, None);
    }

    #[test]
    fn a_vanished_channel_closes_an_open_ticket() {
        let gone = mark_channel_deleted(&ticket(TicketStatus::NeedHelp), at(4)).unwrap();
        assert_eq!(gone.status, TicketStatus::Deleted);
        assert_eq!(gone.close_how, Some(CloseHow::ChannelDeleted));
        assert_eq!(
            (gone.closed_at, gone.deleted_at),
            (Some(at(4)), Some(at(4)))
        );
        assert_eq!(
            mark_channel_deleted(&gone, at(5)),
            Err(Refusal::AlreadyDeleted)
        );

        let closed = close(
            &ticket(TicketStatus::Open),
            ActorRole::Owner,
            OWNER,
            CloseKind::Close,
            None,
            at(1),
        )
        .unwrap();
        let gone = mark_channel_deleted(&closed, at(2)).unwrap();
        assert_eq!(gone.close_how, Some(CloseHow::Owner));
    }

    #[test]
    fn members_are_added_and_removed() {
        let open = ticket(TicketStatus::Open);
        let with = add_member(&open, 30).unwrap();
        assert_eq!(with.members, vec![30]);
        assert_eq!(add_member(&with, 30), Err(Refusal::AlreadyMember));
        assert_eq!(add_member(&with, OWNER), Err(Refusal::AlreadyMember));
        assert_eq!(remove_member(&with, OWNER), Err(Refusal::CannotRemoveOwner));
        assert_eq!(remove_member(&with, 31), Err(Refusal::NotAMember));
        assert!(remove_member(&with, 30).unwrap().members.is_empty());
    }

    #[test]
    fn long_reasons_are_bounded_and_empty_ones_dropped() {
        let open = ticket(TicketStatus::Open);
        let long = "x".repeat(5000);
        let closed = close(
            &open,
            ActorRole::Staff,
            STAFF,
            CloseKind::Close,
            Some(&long),
            at(1),
        )
        .unwrap();
        assert_eq!(
            closed.close_reason.unwrap().chars().count(),
            MAX_REASON_CHARS
        );
        let closed = close(
            &open,
            ActorRole::Staff,
            STAFF,
            CloseKind::Close,
            Some("   "),
            at(1),
        )
        .unwrap();
        assert_eq!(closed.close_reason, None);
    }

    /// Every transition, with fixed arguments so a repeat is exactly the same action.
    fn step(op: u8, t: &Ticket) -> Result<Ticket, Refusal> {
        match op % 10 {
            0 => request_help(t, at(1)),
            1 => claim(t, STAFF, at(2)),
            2 => unclaim(t),
            3 => close(
                t,
                ActorRole::Staff,
                STAFF,
                CloseKind::Close,
                Some("r"),
                at(3),
            ),
            4 => close(t, ActorRole::Owner, OWNER, CloseKind::ItWorks, None, at(3)),
            5 => mark_deleted(t, at(4)),
            6 => reopen(t),
            7 => mark_channel_deleted(t, at(5)),
            8 => add_member(t, 30),
            _ => remove_member(t, 30),
        }
    }

    proptest::proptest! {
        #[test]
        fn repeated_actions_never_act_twice(ops in proptest::collection::vec(0u8..10, 1..30)) {
            let mut t = ticket(TicketStatus::Open);
            for op in ops {
                if let Ok(next) = step(op, &t) {
                    proptest::prop_assert!(step(op, &next).is_err(), "op {} acted twice", op);
                    t = next;
                }
                // The record stays consistent whatever the order.
                proptest::prop_assert_eq!(t.status == TicketStatus::Deleted, t.deleted_at.is_some());
                proptest::prop_assert_eq!(t.status.is_open(), t.closed_at.is_none());
                proptest::prop_assert_eq!(t.revision, 7);
            }
        }
    }

    #[test]
    fn after_close_follows_the_setting() {
        let mut s = GuildSettings::defaults(1);
        assert_eq!(after_close(&s, at(0)), AfterClose::DeleteAt(at(5)));
        s.closing = ClosingMode::Delete { after_secs: 60 };
        assert_eq!(after_close(&s, at(0)), AfterClose::DeleteAt(at(60)));
        s.closing = ClosingMode::Keep;
        assert_eq!(after_close(&s, at(0)), AfterClose::Lock);
    }
}
