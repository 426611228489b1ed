//! The plain-text transcript: one block per message, for reading anywhere and for search.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::Value;

use crate::format::{human_duration, human_size, plain_blocks, plain_time, preview};
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
        write_message(&mut out, message, &names, &by_id);
    }
    out
}

fn header(out: &mut String, ticket: &TicketInfo, count: usize, names: &Names<'_>) {
    let user = |id: u64| format!("{} ({id})", names.user(id).unwrap_or("unknown-user"));
    let _ = writeln!(
        out,
        "Transcript of #{} (ticket {}) in {}",
        ticket.name, ticket.number, ticket.guild_name
    );
    let _ = writeln!(out, "Owner: {}", user(ticket.owner_id));
    if let Some(topic) = &ticket.topic {
        let _ = writeln!(out, "Topic: {topic}");
    }
    let _ = writeln!(out, "Opened: {}", plain_time(ticket.opened_at));
    if let Some(claimer) = ticket.claimed_by {
        let _ = writeln!(out, "Claimed by: {}", user(claimer));
    }
    if let Some(closed_at) = ticket.closed_at {
        let _ = writeln!(
            out,
            "Closed: {} (open for {})",
            plain_time(closed_at),
            human_duration(closed_at - ticket.opened_at)
        );
    }
    if let Some(closer) = ticket.closed_by {
        let _ = writeln!(out, "Closed by: {}", user(closer));
    }
    if let Some(how) = &ticket.close_how {
        let _ = writeln!(out, "How: {how}");
    }
    if let Some(reason) = &ticket.close_reason {
        let _ = writeln!(out, "Reason: {reason}");
    }
    let _ = writeln!(out, "Messages: {count}");
    out.push_str(&"-".repeat(60));
    out.push('\n');
}

fn write_message(
    out: &mut String,
    message: &CapturedMessage,
    names: &Names<'_>,
    by_id: &HashMap<u64, &CapturedMessage>,
) {
    let bot = if message.author_bot { " [bot]" } else { "" };
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
        let _ = writeln!(out, "{INDENT}(edited {})", plain_time(edited));
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
                let _ = writeln!(
                    out,
                    "{INDENT}(in reply to {}: {})",
                    names.author(original),
                    preview(&original.content, names, REPLY_PREVIEW_CHARS)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{INDENT}(in reply to message {reply_to}, not in this transcript)"
                );
            }
        }
    }
    for attachment in &message.attachments {
        let _ = writeln!(
            out,
            "{INDENT}[attachment] {} ({}) {}",
            attachment.filename,
            human_size(attachment.size),
            attachment.url
        );
    }
    for embed in &message.embeds {
        let _ = writeln!(out, "{INDENT}[embed] {}", embed_summary(embed, names));
    }
}

/// An embed in one line: its title, then the start of its description, then field names.
fn embed_summary(embed: &Value, names: &Names<'_>) -> String {
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
        "(no text)".to_owned()
    } else {
        parts.join(" | ")
    }
}
