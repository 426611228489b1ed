//! Statistics roll-ups: what each ticket adds to its server's totals for the day it was created,
//! so that `/stats` sums a few rows per day instead of reading every ticket ever opened.
//!
//! Every write that changes a ticket adds `counts(new) - counts(old)` to the rows of the
//! ticket's creation day in the same transaction, so the roll-ups are exact at every commit.
//! Counting is defined once, here: the incremental path, a full rebuild and the scan of a
//! window's first partial day all use [`ticket_counts`] and [`first_response_counts`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use ticketbooth_core::{CloseHow, Snowflake, Ticket};

use crate::types::{StaffActivity, TicketStats};

/// Milliseconds in a UTC day: roll-ups are kept per day.
const MS_PER_DAY: i64 = 86_400_000;

/// What a roll-up row counts. Stored by name, so a newer version may add metrics that an older
/// one reading the same database ignores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Metric {
    /// Tickets created.
    Created,
    /// Of those, still opening, open or waiting for help.
    Open,
    /// Closed, by the way of closing named in the subject.
    Closed,
    /// Closed at some time (the resolution time is known).
    Resolved,
    /// The sum of resolution times, in milliseconds.
    ResolutionMs,
    /// Tickets with the topic named in the subject.
    Topic,
    /// Claims by the staff member in the subject.
    Claims,
    /// Staff closes by the staff member in the subject.
    Closes,
    /// Tickets with a first staff response.
    FirstResponses,
    /// The sum of first-response times, in milliseconds.
    FirstResponseMs,
    /// First responses by the staff member in the subject.
    Responses,
}

impl Metric {
    const ALL: [Metric; 11] = [
        Metric::Created,
        Metric::Open,
        Metric::Closed,
        Metric::Resolved,
        Metric::ResolutionMs,
        Metric::Topic,
        Metric::Claims,
        Metric::Closes,
        Metric::FirstResponses,
        Metric::FirstResponseMs,
        Metric::Responses,
    ];

    /// The name stored in the database.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Metric::Created => "created",
            Metric::Open => "open",
            Metric::Closed => "closed",
            Metric::Resolved => "resolved",
            Metric::ResolutionMs => "resolution_ms",
            Metric::Topic => "topic",
            Metric::Claims => "claims",
            Metric::Closes => "closes",
            Metric::FirstResponses => "first_responses",
            Metric::FirstResponseMs => "first_response_ms",
            Metric::Responses => "responses",
        }
    }

    /// Reads a name written by [`Metric::as_str`]; `None` for one this version does not know.
    pub(crate) fn parse(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

/// One roll-up counter: a metric and its subject (empty when the metric has none).
pub(crate) type Key = (Metric, String);

/// Counters and the amounts to add to them.
pub(crate) type Counts = BTreeMap<Key, i64>;

/// The UTC day `t` falls in, as whole days since the Unix epoch.
pub(crate) fn day_of(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis().div_euclid(MS_PER_DAY)
}

/// The first instant of `day`.
pub(crate) fn day_start(day: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(day.saturating_mul(MS_PER_DAY)).unwrap_or(DateTime::UNIX_EPOCH)
}

/// A ticket's time from creation to closing in milliseconds, once closed.
pub(crate) fn resolution_ms(
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
) -> Option<i64> {
    closed_at.map(|closed| closed.timestamp_millis() - created_at.timestamp_millis())
}

/// Ways of closing in which a staff member did the closing.
fn is_staff_close(how: CloseHow) -> bool {
    matches!(
        how,
        CloseHow::Staff | CloseHow::NeedHelpThenStaff | CloseHow::CloseAll
    )
}

/// What one ticket adds to the totals of its creation day, first response aside.
pub(crate) fn ticket_counts(ticket: &Ticket) -> Counts {
    let mut counts = Counts::new();
    let mut add = |metric: Metric, subject: String, value: i64| {
        *counts.entry((metric, subject)).or_insert(0) += value;
    };
    add(Metric::Created, String::new(), 1);
    if ticket.status.is_open() {
        add(Metric::Open, String::new(), 1);
    }
    if let Some(how) = ticket.close_how {
        add(Metric::Closed, how.as_str().to_owned(), 1);
        if let Some(staff) = ticket.closed_by.filter(|_| is_staff_close(how)) {
            add(Metric::Closes, staff.to_string(), 1);
        }
    }
    if let Some(ms) = resolution_ms(ticket.created_at, ticket.closed_at) {
        add(Metric::Resolved, String::new(), 1);
        add(Metric::ResolutionMs, String::new(), ms);
    }
    if let Some(topic) = &ticket.topic {
        add(Metric::Topic, topic.clone(), 1);
    }
    if let Some(staff) = ticket.claimed_by {
        add(Metric::Claims, staff.to_string(), 1);
    }
    counts
}

/// What a ticket's first staff response adds to the totals of the ticket's creation day.
pub(crate) fn first_response_counts(
    created_at: DateTime<Utc>,
    staff: Snowflake,
    responded_at: DateTime<Utc>,
) -> Counts {
    Counts::from([
        ((Metric::FirstResponses, String::new()), 1),
        (
            (Metric::FirstResponseMs, String::new()),
            responded_at.timestamp_millis() - created_at.timestamp_millis(),
        ),
        ((Metric::Responses, staff.to_string()), 1),
    ])
}

/// `after - before`, without the counters that did not move.
pub(crate) fn delta(before: &Counts, after: &Counts) -> Counts {
    let mut change = after.clone();
    for (key, value) in before {
        *change.entry(key.clone()).or_insert(0) -= value;
    }
    change.retain(|_, value| *value != 0);
    change
}

/// Adds `counts` to `total`.
pub(crate) fn add_into(total: &mut Counts, counts: &Counts) {
    for (key, value) in counts {
        *total.entry(key.clone()).or_insert(0) += value;
    }
}

/// Turns summed counters into the figures `/stats` shows. `members` and the median are not
/// sums, so the caller finds them in the store.
pub(crate) fn stats_from_counts(
    counts: &Counts,
    members: u64,
    resolution_median_secs: Option<f64>,
) -> TicketStats {
    let get = |metric: Metric, subject: &str| {
        counts
            .get(&(metric, subject.to_owned()))
            .copied()
            .unwrap_or(0)
    };
    let count = |value: i64| u64::try_from(value).unwrap_or(0);
    let mean_secs = |sum_ms: i64, n: i64| (n > 0).then(|| sum_ms as f64 / n as f64 / 1000.0);

    let closed_by = CloseHow::ALL
        .iter()
        .map(|how| (*how, count(get(Metric::Closed, how.as_str()))))
        .collect();
    // BTreeMap order makes the alphabetically first topic win a tie.
    let top_topic = counts
        .iter()
        .filter(|((metric, _), value)| *metric == Metric::Topic && **value > 0)
        .fold(
            None::<(&String, i64)>,
            |best, ((_, topic), value)| match best {
                Some((_, n)) if n >= *value => best,
                _ => Some((topic, *value)),
            },
        )
        .map(|(topic, n)| (topic.clone(), count(n)));

    let mut staff: BTreeMap<Snowflake, StaffActivity> = BTreeMap::new();
    for ((metric, subject), value) in counts {
        if !matches!(metric, Metric::Claims | Metric::Closes | Metric::Responses) {
            continue;
        }
        let Ok(user_id) = subject.parse::<Snowflake>() else {
            continue;
        };
        let entry = staff.entry(user_id).or_insert(StaffActivity {
            user_id,
            claims: 0,
            closes: 0,
            first_responses: 0,
        });
        let value = count(*value);
        match metric {
            Metric::Claims => entry.claims += value,
            Metric::Closes => entry.closes += value,
            _ => entry.first_responses += value,
        }
    }
    let mut staff: Vec<StaffActivity> = staff
        .into_values()
        .filter(|s| s.claims + s.closes + s.first_responses > 0)
        .collect();
    staff.sort_by_key(|s| {
        (
            std::cmp::Reverse(s.claims + s.closes + s.first_responses),
            s.user_id,
        )
    });

    TicketStats {
        created: count(get(Metric::Created, "")),
        open: count(get(Metric::Open, "")),
        closed_by,
        resolution_mean_secs: mean_secs(get(Metric::ResolutionMs, ""), get(Metric::Resolved, "")),
        resolution_median_secs,
        first_response_mean_secs: mean_secs(
            get(Metric::FirstResponseMs, ""),
            get(Metric::FirstResponses, ""),
        ),
        members,
        top_topic,
        staff,
    }
}

/// How many resolved tickets the summed counters hold: the median's population.
pub(crate) fn resolved(counts: &Counts) -> i64 {
    counts
        .get(&(Metric::Resolved, String::new()))
        .copied()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use ticketbooth_core::TicketStatus;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, h, m, 0).unwrap()
    }

    fn ticket() -> Ticket {
        Ticket {
            id: 1,
            guild_id: 10,
            number: 1,
            name: "ticket-0001".into(),
            channel_id: Some(99),
            owner_id: 7,
            topic: Some("Billing".into()),
            status: TicketStatus::Open,
            help_requested_at: None,
            claimed_by: None,
            claimed_at: None,
            created_at: at(10, 0),
            closed_at: None,
            closed_by: None,
            close_how: None,
            close_reason: None,
            deleted_at: None,
            members: vec![],
            revision: 0,
        }
    }

    fn key(metric: Metric, subject: &str) -> Key {
        (metric, subject.to_owned())
    }

    #[test]
    fn days_are_utc_and_floor_before_the_epoch() {
        assert_eq!(day_of(DateTime::UNIX_EPOCH), 0);
        assert_eq!(day_of(at(0, 0)), day_of(at(23, 59)));
        assert_eq!(
            day_of(at(0, 0)) + 1,
            day_of(at(0, 0) + chrono::Duration::days(1))
        );
        let before = DateTime::UNIX_EPOCH - chrono::Duration::milliseconds(1);
        assert_eq!(day_of(before), -1);
        assert_eq!(day_start(day_of(at(13, 5))), at(0, 0));
    }

    #[test]
    fn an_open_ticket_counts_created_open_and_topic() {
        let counts = ticket_counts(&ticket());
        assert_eq!(
            counts,
            Counts::from([
                (key(Metric::Created, ""), 1),
                (key(Metric::Open, ""), 1),
                (key(Metric::Topic, "Billing"), 1),
            ])
        );
    }

    #[test]
    fn closing_moves_open_to_closed_and_adds_the_resolution() {
        let open = ticket();
        let mut closed = open.clone();
        closed.status = TicketStatus::Closed;
        closed.claimed_by = Some(500);
        closed.closed_by = Some(500);
        closed.close_how = Some(CloseHow::Staff);
        closed.closed_at = Some(at(11, 30));
        let change = delta(&ticket_counts(&open), &ticket_counts(&closed));
        assert_eq!(
            change,
            Counts::from([
                (key(Metric::Open, ""), -1),
                (key(Metric::Closed, "staff"), 1),
                (key(Metric::Resolved, ""), 1),
                (key(Metric::ResolutionMs, ""), 90 * 60 * 1000),
                (key(Metric::Claims, "500"), 1),
                (key(Metric::Closes, "500"), 1),
            ])
        );
        // Reopening undoes exactly what closing did.
        let undo = delta(&ticket_counts(&closed), &ticket_counts(&open));
        let mut net = change.clone();
        add_into(&mut net, &undo);
        net.retain(|_, v| *v != 0);
        assert!(net.is_empty(), "{net:?}");
    }

    #[test]
    fn attaching_the_channel_changes_no_counter() {
        // The store relies on this to leave the roll-ups alone when a channel is attached.
        let mut opening = ticket();
        opening.status = TicketStatus::Opening;
        opening.channel_id = None;
        assert!(delta(&ticket_counts(&opening), &ticket_counts(&ticket())).is_empty());
    }

    #[test]
    fn only_staff_ways_of_closing_count_as_staff_closes() {
        for how in CloseHow::ALL {
            let mut t = ticket();
            t.close_how = Some(how);
            t.closed_by = Some(42);
            t.closed_at = Some(at(12, 0));
            let closes = ticket_counts(&t).contains_key(&key(Metric::Closes, "42"));
            assert_eq!(closes, is_staff_close(how), "{how:?}");
        }
    }

    #[test]
    fn figures_come_from_summed_counts() {
        let mut total = Counts::new();
        let mut a = ticket();
        a.closed_at = Some(at(10, 10));
        a.close_how = Some(CloseHow::ItWorks);
        a.status = TicketStatus::Deleted;
        let mut b = ticket();
        b.topic = Some("Access".into());
        b.claimed_by = Some(9);
        let mut c = ticket();
        c.topic = Some("Access".into());
        c.closed_at = Some(at(10, 30));
        c.close_how = Some(CloseHow::Staff);
        c.closed_by = Some(9);
        c.status = TicketStatus::Closed;
        for t in [&a, &b, &c] {
            add_into(&mut total, &ticket_counts(t));
        }
        add_into(&mut total, &first_response_counts(at(10, 0), 9, at(10, 4)));
        let stats = stats_from_counts(&total, 2, Some(1200.0));
        assert_eq!(stats.created, 3);
        assert_eq!(stats.open, 1);
        assert_eq!(stats.closed(), 2);
        assert_eq!(stats.resolution_mean_secs, Some(1200.0));
        assert_eq!(stats.first_response_mean_secs, Some(240.0));
        assert_eq!(stats.top_topic, Some(("Access".to_owned(), 2)));
        assert_eq!(stats.members, 2);
        assert_eq!(
            stats.staff,
            vec![StaffActivity {
                user_id: 9,
                claims: 1,
                closes: 1,
                first_responses: 1
            }]
        );
        assert_eq!(resolved(&total), 2);
    }

    #[test]
    fn a_topic_tie_goes_to_the_alphabetically_first_and_zeros_vanish() {
        let counts = Counts::from([
            (key(Metric::Topic, "Zebra"), 2),
            (key(Metric::Topic, "Apple"), 2),
            (key(Metric::Topic, "Gone"), 0),
            (key(Metric::Claims, "5"), 0),
        ]);
        let stats = stats_from_counts(&counts, 0, None);
        assert_eq!(stats.top_topic, Some(("Apple".to_owned(), 2)));
        assert!(stats.staff.is_empty());
        assert_eq!(stats.resolution_mean_secs, None);
    }

    #[test]
    fn metric_names_round_trip() {
        for metric in Metric::ALL {
            assert_eq!(Metric::parse(metric.as_str()), Some(metric));
        }
        assert_eq!(Metric::parse("from_a_newer_version"), None);
    }
}
