//! What a transcript page says around the conversation, and its Fluent ids (`transcript.ftl`).

use fluent_bundle::FluentValue;

use super::catalog::{Lookup, shown};

/// The words of a transcript page (HTML and plain text), in the server's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranscriptText<'a> {
    /// The HTML page's title.
    PageTitle {
        name: &'a str,
        guild: &'a str,
    },
    /// The plain text's first line.
    TextTitle {
        name: &'a str,
        number: i64,
        guild: &'a str,
    },
    /// The HTML page's footer.
    Footer {
        messages: usize,
    },
    Server,
    Ticket,
    /// The value of the `Ticket` fact.
    TicketNumber {
        number: i64,
    },
    Owner,
    Topic,
    Opened,
    ClaimedBy,
    Closed,
    OpenFor,
    ClosedBy,
    /// How it was closed.
    How,
    Reason,
    Messages,
    /// The plain text's `Closed` value: when, and for how long the ticket was open.
    ClosedFor {
        at: &'a str,
        open_for: &'a str,
    },
    /// One fact of the plain text's header: a label and its value.
    FactLine {
        label: &'a str,
        value: &'a str,
    },
    /// The tag after a bot's name.
    BotTag,
    /// After an edited message.
    Edited {
        at: &'a str,
    },
    /// The edit's tooltip in HTML.
    EditedTitle {
        at: &'a str,
    },
    /// The plain text's line under a reply.
    ReplyTo {
        author: &'a str,
        preview: &'a str,
    },
    /// The plain text's line under a reply to a message the transcript does not have.
    ReplyToMissing {
        id: u64,
    },
    /// The HTML reply line's stand-in for a message the transcript does not have.
    ReplyMissing,
    /// The plain text's tag before an attachment.
    Attachment,
    /// The plain text's tag before an embed.
    Embed,
    /// An embed with no text.
    NoText,
    /// A duration under a minute.
    Seconds {
        secs: i64,
    },
    /// A duration under an hour.
    Minutes {
        mins: i64,
    },
    /// A duration under a day.
    HoursMinutes {
        hours: i64,
        mins: i64,
    },
    /// A longer duration.
    DaysHours {
        days: i64,
        hours: i64,
    },
}

pub(super) fn lookup(text: TranscriptText) -> Lookup {
    use TranscriptText::*;
    match text {
        PageTitle { name, guild } => Lookup::new(
            "transcript-page-title",
            [("name", name.into()), ("guild", guild.into())],
        ),
        TextTitle {
            name,
            number,
            guild,
        } => Lookup::new(
            "transcript-text-title",
            [
                ("name", name.into()),
                ("number", shown(number)),
                ("guild", guild.into()),
            ],
        ),
        // `count` chooses the plural form; `shown` is the figure as Rust writes it.
        Footer { messages } => Lookup::new(
            "transcript-footer",
            [
                ("count", FluentValue::from(messages)),
                ("shown", shown(messages)),
            ],
        ),
        Server => Lookup::plain("transcript-server"),
        Ticket => Lookup::plain("transcript-ticket"),
        TicketNumber { number } => {
            Lookup::new("transcript-ticket-number", [("number", shown(number))])
        }
        Owner => Lookup::plain("transcript-owner"),
        Topic => Lookup::plain("transcript-topic"),
        Opened => Lookup::plain("transcript-opened"),
        ClaimedBy => Lookup::plain("transcript-claimed-by"),
        Closed => Lookup::plain("transcript-closed"),
        OpenFor => Lookup::plain("transcript-open-for"),
        ClosedBy => Lookup::plain("transcript-closed-by"),
        How => Lookup::plain("transcript-how"),
        Reason => Lookup::plain("transcript-reason"),
        Messages => Lookup::plain("transcript-messages"),
        ClosedFor { at, open_for } => Lookup::new(
            "transcript-closed-for",
            [("at", at.into()), ("open-for", open_for.into())],
        ),
        FactLine { label, value } => Lookup::new(
            "transcript-fact-line",
            [("label", label.into()), ("value", value.into())],
        ),
        BotTag => Lookup::plain("transcript-bot"),
        Edited { at } => Lookup::new("transcript-edited", [("at", at.into())]),
        EditedTitle { at } => Lookup::new("transcript-edited-title", [("at", at.into())]),
        ReplyTo { author, preview } => Lookup::new(
            "transcript-reply-to",
            [("author", author.into()), ("preview", preview.into())],
        ),
        ReplyToMissing { id } => Lookup::new("transcript-reply-to-missing", [("id", shown(id))]),
        ReplyMissing => Lookup::plain("transcript-reply-missing"),
        Attachment => Lookup::plain("transcript-attachment"),
        Embed => Lookup::plain("transcript-embed"),
        NoText => Lookup::plain("transcript-no-text"),
        Seconds { secs } => Lookup::new("duration-seconds", [("secs", shown(secs))]),
        Minutes { mins } => Lookup::new("duration-minutes", [("mins", shown(mins))]),
        HoursMinutes { hours, mins } => Lookup::new(
            "duration-hours-minutes",
            [("hours", shown(hours)), ("mins", shown(mins))],
        ),
        DaysHours { days, hours } => Lookup::new(
            "duration-days-hours",
            [("days", shown(days)), ("hours", shown(hours))],
        ),
    }
}
