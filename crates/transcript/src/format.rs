//! Formatting shared by the HTML and text renderers: times, sizes, and Discord's markdown turned
//! into plain text.

use chrono::{DateTime, Utc};
use ticketbooth_core::Language;
use ticketbooth_core::i18n::{self, Msg, TranscriptText};

use crate::info::Names;
use crate::markdown::{Block, Inline, Style};

/// `2026-11-22 10:30:00 UTC`
pub(crate) fn plain_time(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `2026-11-22T10:30:00Z`, for `datetime` attributes.
pub(crate) fn iso_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `Sun 22 Nov 2026, 10:30 UTC`
pub(crate) fn human_time(time: DateTime<Utc>) -> String {
    time.format("%a %-d %b %Y, %H:%M UTC").to_string()
}

/// A Discord `<t:unix:style>` timestamp as its style asks; `None` when out of range. Relative
/// times (`R`) are shown as absolute ones, since a transcript is read long after it was written.
pub(crate) fn discord_timestamp(unix: i64, style: char) -> Option<(DateTime<Utc>, String)> {
    let time = DateTime::from_timestamp(unix, 0)?;
    let pattern = match style {
        't' => "%H:%M UTC",
        'T' => "%H:%M:%S UTC",
        'd' => "%Y-%m-%d",
        'D' => "%-d %B %Y",
        'F' => "%A, %-d %B %Y %H:%M UTC",
        _ => "%-d %B %Y %H:%M UTC",
    };
    Some((time, time.format(pattern).to_string()))
}

/// `532 B`, `12.3 KB`, `4.0 MB`
pub(crate) fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// The words of a transcript page, in the server's language.
pub(crate) fn say(lang: Language, text: TranscriptText) -> String {
    i18n::text(lang, &Msg::Transcript(text))
}

/// `1 h 5 min`, `3 d 4 h`, `45 s` (in English)
pub(crate) fn human_duration(lang: Language, duration: chrono::TimeDelta) -> String {
    let seconds = duration.num_seconds().max(0);
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    say(
        lang,
        match (days, hours, minutes) {
            (0, 0, 0) => TranscriptText::Seconds { secs: seconds },
            (0, 0, mins) => TranscriptText::Minutes { mins },
            (0, hours, mins) => TranscriptText::HoursMinutes { hours, mins },
            (days, hours, _) => TranscriptText::DaysHours { days, hours },
        },
    )
}

/// The name shown for a user mention.
pub(crate) fn user_label(names: &Names<'_>, id: u64) -> String {
    format!("@{}", names.user(id).unwrap_or("unknown-user"))
}

/// The name shown for a role mention.
pub(crate) fn role_label(names: &Names<'_>, id: u64) -> String {
    format!(
        "@{}",
        names.role(id).map_or("unknown-role", |r| r.name.as_str())
    )
}

/// The name shown for a channel mention.
pub(crate) fn channel_label(names: &Names<'_>, id: u64) -> String {
    format!("#{}", names.channel(id).unwrap_or("unknown-channel"))
}

/// Markdown as plain text: styles dropped, mentions named, links followed by their target,
/// quotes and lists keeping their markers. Used by the text transcript and reply previews.
pub(crate) fn plain_blocks(blocks: &[Block], names: &Names<'_>, out: &mut String) {
    for (index, block) in blocks.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        match block {
            Block::Paragraph(inlines) | Block::Subtext(inlines) => {
                plain_inlines(inlines, names, out)
            }
            Block::Heading { content, .. } => plain_inlines(content, names, out),
            Block::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    out.push_str(&"  ".repeat(usize::from(item.depth)));
                    match item.number {
                        Some(n) => out.push_str(&format!("{n}. ")),
                        None => out.push_str("- "),
                    }
                    plain_inlines(&item.content, names, out);
                }
            }
            Block::Quote(inner) => {
                let mut quoted = String::new();
                plain_blocks(inner, names, &mut quoted);
                let lines: Vec<String> = quoted.lines().map(|l| format!("> {l}")).collect();
                out.push_str(&lines.join("\n"));
            }
            Block::CodeBlock { language, code } => {
                out.push_str("```");
                out.push_str(language.as_deref().unwrap_or(""));
                out.push('\n');
                out.push_str(code);
                out.push_str("\n```");
            }
        }
    }
}

/// Inline markdown as plain text; see [`plain_blocks`].
pub(crate) fn plain_inlines(inlines: &[Inline], names: &Names<'_>, out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => out.push_str(text),
            Inline::LineBreak => out.push('\n'),
            // Spoilers keep their bars, so a reader of the text still knows what was hidden.
            Inline::Styled(Style::Spoiler, children) => {
                out.push_str("||");
                plain_inlines(children, names, out);
                out.push_str("||");
            }
            Inline::Styled(_, children) => plain_inlines(children, names, out),
            Inline::Code(code) => {
                out.push('`');
                out.push_str(code);
                out.push('`');
            }
            Inline::Link { url, content } => {
                plain_inlines(content, names, out);
                out.push_str(" (");
                out.push_str(url);
                out.push(')');
            }
            Inline::Url(url) => out.push_str(url),
            Inline::User(id) => out.push_str(&user_label(names, *id)),
            Inline::Role(id) => out.push_str(&role_label(names, *id)),
            Inline::Channel(id) => out.push_str(&channel_label(names, *id)),
            Inline::Command(name) => {
                out.push('/');
                out.push_str(name);
            }
            Inline::Emoji { name, .. } => {
                out.push(':');
                out.push_str(name);
                out.push(':');
            }
            Inline::Timestamp { unix, style } => match discord_timestamp(*unix, *style) {
                Some((_, shown)) => out.push_str(&shown),
                None => out.push_str(&format!("<t:{unix}:{style}>")),
            },
        }
    }
}

/// The start of a message as one line of plain text, at most `max_chars` characters.
pub(crate) fn preview(content: &str, names: &Names<'_>, max_chars: usize) -> String {
    let mut plain = String::new();
    plain_blocks(&crate::markdown::parse(content), names, &mut plain);
    let one_line: String = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = one_line.chars();
    let mut shown: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    #[test]
    fn times() {
        let t = Utc.with_ymd_and_hms(2026, 11, 22, 10, 30, 5).unwrap();
        assert_eq!(plain_time(t), "2026-11-22 10:30:05 UTC");
        assert_eq!(iso_time(t), "2026-11-22T10:30:05Z");
        assert_eq!(human_time(t), "Sun 22 Nov 2026, 10:30 UTC");
    }

    #[test]
    fn discord_timestamp_styles() {
        let unix = Utc
            .with_ymd_and_hms(2026, 11, 22, 10, 30, 5)
            .unwrap()
            .timestamp();
        let shown = |style| discord_timestamp(unix, style).unwrap().1;
        assert_eq!(shown('t'), "10:30 UTC");
        assert_eq!(shown('T'), "10:30:05 UTC");
        assert_eq!(shown('d'), "2026-11-22");
        assert_eq!(shown('D'), "22 November 2026");
        assert_eq!(shown('f'), "22 November 2026 10:30 UTC");
        assert_eq!(shown('F'), "Sunday, 22 November 2026 10:30 UTC");
        assert_eq!(shown('R'), "22 November 2026 10:30 UTC");
        assert!(discord_timestamp(i64::MAX / 2, 'f').is_none());
    }

    #[test]
    fn sizes_and_durations() {
        assert_eq!(human_size(532), "532 B");
        assert_eq!(human_size(12_595), "12.3 KB");
        assert_eq!(human_size(4 * 1024 * 1024), "4.0 MB");
        assert_eq!(
            human_duration(Language::En, chrono::TimeDelta::seconds(45)),
            "45 s"
        );
        assert_eq!(
            human_duration(Language::En, chrono::TimeDelta::seconds(3900)),
            "1 h 5 min"
        );
        assert_eq!(
            human_duration(
                Language::En,
                chrono::TimeDelta::seconds(3 * 86_400 + 4 * 3600)
            ),
            "3 d 4 h"
        );
        assert_eq!(
            human_duration(Language::Vi, chrono::TimeDelta::seconds(3900)),
            "1 giờ 5 phút"
        );
    }
}
