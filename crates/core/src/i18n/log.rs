//! What the log channel and the transcript DM say, and their Fluent ids (`log.ftl`).

use super::catalog::{Lookup, shown};
use crate::model::Snowflake;

/// What the log channel and the transcript DM say (the transcripts and metrics feature).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LogText<'a> {
    /// One line: a ticket was opened.
    Opened {
        ticket: &'a str,
        owner: Snowflake,
        channel: Snowflake,
    },
    /// One line: the owner asked for help.
    HelpRequested {
        ticket: &'a str,
        owner: Snowflake,
        channel: Snowflake,
    },
    /// One line: staff claimed a ticket.
    Claimed {
        ticket: &'a str,
        by: Snowflake,
        channel: Snowflake,
    },
    /// The closure summary's title.
    SummaryTitle {
        ticket: &'a str,
        number: i64,
    },
    Owner,
    Topic,
    OpenedAt,
    ClaimedBy,
    ClosedAt,
    ClosedBy,
    Duration,
    FirstResponse,
    Messages,
    Transcript,
    /// A field with nothing to show.
    Nothing,
    /// The transcript is the attached file.
    Attached,
    /// Noted in the log: the owner does not accept DMs.
    DmRefused {
        owner: Snowflake,
    },
    /// Sent to admins once: the log channel is gone.
    LogChannelGone {
        guild: &'a str,
        channel: Snowflake,
    },
    /// One line, said once per job: delayed work on a ticket is held up by a permission the
    /// bot lacks; it keeps being retried.
    WorkBlocked {
        work: BlockedWork,
        ticket: &'a str,
        channel: Snowflake,
        permission: &'a str,
    },
    /// One line when delayed work ran out of attempts (about a day of retrying): what it was,
    /// and how the operator retries it once the cause is fixed. `ticket` names the ticket of
    /// work on one ticket.
    JobFailed {
        work: JobWork,
        ticket: &'a str,
        attempts: u32,
        job: i64,
    },
    /// One line: an admin revoked the links to a ticket's transcript.
    LinksRevoked {
        by: Snowflake,
        number: i64,
    },
    /// One line when the hub's Close all has finished: who closed how many tickets.
    ClosedAll {
        by: Snowflake,
        count: u32,
    },
    /// The DM to the ticket's owner, with a link or with the file attached.
    TranscriptDm {
        ticket: &'a str,
        guild: &'a str,
        link: Option<&'a str>,
    },
}

/// The delayed work a missing permission holds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockedWork {
    /// Deleting a closed ticket's channel (after saving its transcript).
    DeleteChannel,
    /// Saving a closed ticket's transcript (keep mode).
    SaveTranscript,
}

/// Delayed work, as a failure note names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobWork {
    /// Deleting a closed ticket's channel (after saving its transcript).
    DeleteChannel,
    /// Saving a closed ticket's transcript.
    SaveTranscript,
    /// Putting the staff roles on the ticket categories and channels.
    StaffAccess,
    /// The hub's Close all.
    CloseAll,
    /// Any other delayed work on a ticket.
    Other,
}

pub(super) fn lookup(text: LogText) -> Lookup {
    match text {
        LogText::Opened {
            ticket,
            owner,
            channel,
        } => Lookup::new(
            "log-opened",
            [
                ("ticket", ticket.into()),
                ("owner", shown(owner)),
                ("channel", shown(channel)),
            ],
        ),
        LogText::HelpRequested {
            ticket,
            owner,
            channel,
        } => Lookup::new(
            "log-help-requested",
            [
                ("ticket", ticket.into()),
                ("owner", shown(owner)),
                ("channel", shown(channel)),
            ],
        ),
        LogText::Claimed {
            ticket,
            by,
            channel,
        } => Lookup::new(
            "log-claimed",
            [
                ("ticket", ticket.into()),
                ("by", shown(by)),
                ("channel", shown(channel)),
            ],
        ),
        LogText::SummaryTitle { ticket, number } => Lookup::new(
            "log-summary-title",
            [("ticket", ticket.into()), ("number", shown(number))],
        ),
        LogText::Owner => Lookup::plain("log-owner"),
        LogText::Topic => Lookup::plain("log-topic"),
        LogText::OpenedAt => Lookup::plain("log-opened-at"),
        LogText::ClaimedBy => Lookup::plain("log-claimed-by"),
        LogText::ClosedAt => Lookup::plain("log-closed-at"),
        LogText::ClosedBy => Lookup::plain("log-closed-by"),
        LogText::Duration => Lookup::plain("log-duration"),
        LogText::FirstResponse => Lookup::plain("log-first-response"),
        LogText::Messages => Lookup::plain("log-messages"),
        LogText::Transcript => Lookup::plain("log-transcript"),
        LogText::Nothing => Lookup::plain("log-nothing"),
        LogText::Attached => Lookup::plain("log-attached"),
        LogText::DmRefused { owner } => Lookup::new("log-dm-refused", [("owner", shown(owner))]),
        LogText::WorkBlocked {
            work,
            ticket,
            channel,
            permission,
        } => Lookup::new(
            match work {
                BlockedWork::DeleteChannel => "log-work-blocked-delete",
                BlockedWork::SaveTranscript => "log-work-blocked-save",
            },
            [
                ("ticket", ticket.into()),
                ("channel", shown(channel)),
                ("permission", permission.into()),
            ],
        ),
        LogText::JobFailed {
            work,
            ticket,
            attempts,
            job,
        } => Lookup::new(
            match work {
                JobWork::DeleteChannel => "log-job-failed-delete",
                JobWork::SaveTranscript => "log-job-failed-save",
                JobWork::StaffAccess => "log-job-failed-staff-access",
                JobWork::CloseAll => "log-job-failed-close-all",
                JobWork::Other => "log-job-failed-other",
            },
            [
                ("ticket", ticket.into()),
                ("attempts", shown(attempts)),
                ("job", shown(job)),
            ],
        ),
        LogText::LinksRevoked { by, number } => Lookup::new(
            "log-links-revoked",
            [("by", shown(by)), ("number", shown(number))],
        ),
        LogText::ClosedAll { by, count } => Lookup::new(
            "log-closed-all",
            [("by", shown(by)), ("count", shown(count))],
        ),
        LogText::LogChannelGone { guild, channel } => Lookup::new(
            "log-log-channel-gone",
            [("guild", guild.into()), ("channel", shown(channel))],
        ),
        LogText::TranscriptDm {
            ticket,
            guild,
            link: Some(link),
        } => Lookup::new(
            "transcript-dm-link",
            [
                ("ticket", ticket.into()),
                ("guild", guild.into()),
                ("link", link.into()),
            ],
        ),
        LogText::TranscriptDm {
            ticket,
            guild,
            link: None,
        } => Lookup::new(
            "transcript-dm-attached",
            [("ticket", ticket.into()), ("guild", guild.into())],
        ),
    }
}
