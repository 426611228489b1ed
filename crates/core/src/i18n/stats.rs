//! The `/stats` embed's labels, and their Fluent ids (`stats.ftl`).

use super::catalog::{Lookup, shown};
use crate::model::Snowflake;

/// The `/stats` embed's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsText {
    Title,
    AllTime,
    Last30Days,
    Last7Days,
    Created,
    Closed,
    StillOpen,
    ResolutionMean,
    ResolutionMedian,
    FirstResponseMean,
    PerMember,
    TopTopic,
    ResolutionRate,
    StaffActivity,
    /// One staff member's line.
    StaffLine {
        user: Snowflake,
        claims: u64,
        closes: u64,
        responses: u64,
    },
    NoStaffActivity,
    Bot,
    Uptime,
    Commands,
    DatabaseSize,
    ErrorRate,
    /// A figure with no data yet.
    NoData,
}

pub(super) fn lookup(text: StatsText) -> Lookup<'static> {
    Lookup::plain(match text {
        StatsText::Title => "stats-title",
        StatsText::AllTime => "stats-all-time",
        StatsText::Last30Days => "stats-last-30-days",
        StatsText::Last7Days => "stats-last-7-days",
        StatsText::Created => "stats-created",
        StatsText::Closed => "stats-closed",
        StatsText::StillOpen => "stats-still-open",
        StatsText::ResolutionMean => "stats-resolution-mean",
        StatsText::ResolutionMedian => "stats-resolution-median",
        StatsText::FirstResponseMean => "stats-first-response-mean",
        StatsText::PerMember => "stats-per-member",
        StatsText::TopTopic => "stats-top-topic",
        StatsText::ResolutionRate => "stats-resolution-rate",
        StatsText::StaffActivity => "stats-staff-activity",
        StatsText::StaffLine {
            user,
            claims,
            closes,
            responses,
        } => {
            return Lookup::new(
                "stats-staff-line",
                [
                    ("user", shown(user)),
                    ("claims", shown(claims)),
                    ("closes", shown(closes)),
                    ("responses", shown(responses)),
                ],
            );
        }
        StatsText::NoStaffActivity => "stats-no-staff-activity",
        StatsText::Bot => "stats-bot",
        StatsText::Uptime => "stats-uptime",
        StatsText::Commands => "stats-commands",
        StatsText::DatabaseSize => "stats-database-size",
        StatsText::ErrorRate => "stats-error-rate",
        StatsText::NoData => "stats-no-data",
    })
}
