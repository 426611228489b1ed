//! The plain-text transcript: one block per message, for reading anywhere and for search.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::Value;

use ticketbooth_core::Language;
use ticketbooth_core::i18n::TranscriptText;

use crate::format::{human_duration, human_size, plain_blocks, plain_time, preview, say};
use crate::info::{Directory, Names, TicketInfo};
use crate::{CapturedMessage, markdown};

/// Indentation of a message's continuation lines, attachments and embeds.
const INDENT: &str = "    ";
const REPLY_PREVIEW_CHARS: usize = 60;
const EMBED_PREVIEW_CHARS: usize = 200;

/// Renders a ticket's transcript as plain text: a header, then per message
/// `[2026-11-22 10:30:00 UTC] Name (id): content`, with attachments and embeds summarised on
/// indented lines below.
pub fn render_text(ticket: &TicketInfo, messages: &[CapturedMessage], dir: &Directory) -> String {
    let names = Names::new(dir, messages);
    let by_id: HashMap<u64, &CapturedMessage> = messages.iter().map(|m| (m.id, m)).collect();
    let mut out = String::with_capacity(512 + messages.len() * 120);
    header(&mut out, ticket, messages.len(), &names);
    for message in messages {
        out.push('\n');
        write_message(&mut out, ticket.language, message, &names, &by_id);
    }
    out
}

fn header(out: &mut String, ticket: &TicketInfo, count: usize, names: &Names<'_>) {
    let lang = ticket.language;
    let user = |id: u64| format!("{} ({id})", names.user(id).unwrap_or("unknown-user"));
    let title = TranscriptText::TextTitle {
        name: &ticket.name,
        number: ticket.number,
        guild: &ticket.guild_name,
    };
    let _ = writeln!(out, "{}", say(lang, title));
    let mut fact = |label: TranscriptText, value: &str| {
        let label = say(lang, label);
        let line = TranscriptText::FactLine {
            label: &label,
            value,
        };
        let _ = writeln!(out, "{}", say(lang, line));
    };
    fact(TranscriptText::Owner, &user(ticket.owner_id));
    if let Some(topic) = &ticket.topic {
        fact(TranscriptText::Topic, topic);
    }
    fact(TranscriptText::Opened, &plain_time(ticket.opened_at));
    if let Some(claimer) = ticket.claimed_by {
        fact(TranscriptText::ClaimedBy, &user(claimer));
    }
    if let Some(closed_at) = ticket.closed_at {
        let closed = say(
            lang,
            TranscriptText::ClosedFor {
                at: &plain_time(closed_at),
                open_for: &human_duration(lang, closed_at - ticket.opened_at),
            },
        );
        fact(TranscriptText::Closed, &closed);
    }
    if let Some(closer) = ticket.closed_by {
        fact(TranscriptText::ClosedBy, &user(closer));
    }
    if let Some(how) = &ticket.close_how {
        fact(TranscriptText::How, how);
    }
    if let Some(reason) = &ticket.close_reason {
        fact(TranscriptText::Reason, reason);
    }
    fact(TranscriptText::Messages, &count.to_string());
    out.push_str(&"-".repeat(60));
    out.push('\n');
}

fn write_message(
    out: &mut String,
    lang: Language,
    message: &CapturedMessage,
    names: &Names<'_>,
    by_id: &HashMap<u64, &CapturedMessage>,
) {
    let bot = if message.author_bot {
        format!(" [{}]", say(lang, TranscriptText::BotTag))
    } else {
        String::new()
    };
    let _ = write!(
        out,
        "[{}] {}{bot} ({}):",
        plain_time(message.timestamp),
        names.author(message),
        message.author_id
    );
    let mut content = String::new();
    plain_blocks(&markdown::parse(&message.content), names, &mut content);
    let mut lines = content.lines();
    if let Some(first) = lines.next() {
        out.push(' ');
        out.push_str(first);
    }
    out.push('\n');
    for line in lines {
        out.push_str(INDENT);
        out.push_str(line);
        out.push('\n');
    }
    if let Some(edited) = message.edited_timestamp {
        let at = plain_time(edited);
        let _ = writeln!(
            out,
            "{INDENT}{}",
            say(lang, TranscriptText::Edited { at: &at })
        );
    }
    if let Some(original) = message
        .original_content
        .as_deref()
        .filter(|o| *o != message.content)
    {
        let mut before = String::new();
        plain_blocks(&markdown::parse(original), names, &mut before);
        for (i, line) in before.lines().enumerate() {
            let lead = if i == 0 { "(before the edit) " } else { "" };
            let _ = writeln!(out, "{INDENT}{lead}{line}");
        }
    }
    if let Some(deleted) = message.deleted_at {
        let _ = writeln!(out, "{INDENT}(deleted {})", plain_time(deleted));
    }
    if let Some(reply_to) = message.reply_to {
        match by_id.get(&reply_to) {
            Some(original) => {
                let preview = preview(&original.content, names, REPLY_PREVIEW_CHARS);
                let reply = TranscriptText::ReplyTo {
                    author: names.author(original),
                    preview: &preview,
                };
                let _ = writeln!(out, "{INDENT}{}", say(lang, reply));
            }
            None => {
                let missing = TranscriptText::ReplyToMissing { id: reply_to };
                let _ = writeln!(out, "{INDENT}{}", say(lang, missing));
            }
        }
    }
    let attachment_tag = say(lang, TranscriptText::Attachment);
    for attachment in &message.attachments {
        let _ = writeln!(
            out,
            "{INDENT}[{attachment_tag}] {} ({}) {}",
            attachment.filename,
            human_size(attachment.size),
            attachment.url
        );
    }
    let embed_tag = say(lang, TranscriptText::Embed);
    for embed in &message.embeds {
        let summary = embed_summary(lang, embed, names);
        let _ = writeln!(out, "{INDENT}[{embed_tag}] {summary}");
    }
}

/// An embed in one line: its title, then the start of its description, then field names.
fn embed_summary(lang: Language, embed: &Value, names: &Names<'_>) -> String {
    let text = |key: &str| embed.get(key).and_then(Value::as_str).unwrap_or("");
    let mut parts: Vec<String> = Vec::new();
    for key in ["title", "description"] {
        let shown = preview(text(key), names, EMBED_PREVIEW_CHARS);
        if !shown.is_empty() {
            parts.push(shown);
        }
    }
    if let Some(fields) = embed.get("fields").and_then(Value::as_array) {
        for field in fields {
            let name = field.get("name").and_then(Value::as_str).unwrap_or("");
            let value = field.get("value").and_then(Value::as_str).unwrap_or("");
            parts.push(format!(
                "{}: {}",
                preview(name, names, REPLY_PREVIEW_CHARS),
                preview(value, names, REPLY_PREVIEW_CHARS)
            ));
        }
    }
    if parts.is_empty() {
        say(lang, TranscriptText::NoText)
    } else {
        parts.join(" | ")
    }
}
