//! `/stats` (and the hub's Stats): the server's ticket figures for all time, the last 30 days
//! and the last 7 days from the store, and this process's own figures, as one ephemeral embed.

use std::{sync::atomic::Ordering, time::Duration};

use chrono::{DateTime, Utc};
use twilight_model::{
    channel::message::{AllowedMentions, Embed, MessageFlags, embed::EmbedField},
    http::interaction::InteractionResponseData,
};

use ticketbooth_core::{
    Language,
    i18n::{self, Msg, Slot, StatsText},
    text::{truncate_chars, user_text},
};
use ticketbooth_store::TicketStats;

use crate::{ctx::Ctx, delivery::duration_text, invocation::Invocation, responder::Reply};

/// Staff members listed in the embed, most active first.
const STAFF_SHOWN: usize = 10;
/// The embed's colour when the server has none of its own.
const COLOUR: u32 = 0x0058_b9ff;

/// The figures that belong to this process rather than to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessFigures {
    /// How long this process has run.
    pub uptime: Duration,
    /// Interactions this process answered.
    pub commands: u64,
    /// The database's size, when it could be read.
    pub database_bytes: Option<u64>,
    /// Failed interactions as a share of all, once there are any.
    pub error_rate: Option<f64>,
}

/// A window of time the statistics cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Every ticket.
    AllTime,
    /// Tickets created in the last 30 days.
    Days30,
    /// Tickets created in the last 7 days.
    Days7,
}

impl Window {
    /// Every window, in the order the embed shows them.
    pub const ALL: [Window; 3] = [Window::AllTime, Window::Days30, Window::Days7];

    /// The oldest creation time the window includes; `None` for all time.
    pub fn since(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Window::AllTime => None,
            Window::Days30 => Some(now - chrono::Duration::days(30)),
            Window::Days7 => Some(now - chrono::Duration::days(7)),
        }
    }

    fn label(self) -> StatsText {
        match self {
            Window::AllTime => StatsText::AllTime,
            Window::Days30 => StatsText::Last30Days,
            Window::Days7 => StatsText::Last7Days,
        }
    }
}

/// The `/stats` reply for the server the command was used in.
pub async fn reply(ctx: &Ctx, inv: &Invocation) -> anyhow::Result<Reply> {
    let now = Utc::now();
    let mut windows = Vec::with_capacity(Window::ALL.len());
    for window in Window::ALL {
        let stats = ctx
            .store
            .ticket_stats(inv.guild_id, window.since(now))
            .await?;
        windows.push((window, stats));
    }
    let process = ProcessFigures {
        uptime: ctx.metrics.uptime(),
        commands: ctx.metrics.interactions.load(Ordering::Relaxed),
        database_bytes: ctx.store.size_bytes().await.ok(),
        error_rate: ctx.metrics.error_rate(),
    };
    let embed = stats_embed(inv.lang, &windows, &process);
    Ok(Reply::Message(InteractionResponseData {
        embeds: Some(vec![embed]),
        flags: Some(MessageFlags::EPHEMERAL),
        allowed_mentions: Some(AllowedMentions::default()),
        ..Default::default()
    }))
}

fn secs_text(secs: Option<f64>, lang: Language) -> String {
    match secs {
        Some(secs) => duration_text(chrono::Duration::milliseconds((secs * 1000.0) as i64)),
        None => i18n::text(lang, &Msg::Stats(StatsText::NoData)),
    }
}

fn percent(share: Option<f64>, lang: Language) -> String {
    match share {
        Some(share) => format!("{:.1}%", share * 100.0),
        None => i18n::text(lang, &Msg::Stats(StatsText::NoData)),
    }
}

/// One window's figures as lines of `**label**: value`.
pub fn window_text(lang: Language, stats: &TicketStats) -> String {
    let label = |text: StatsText| i18n::text(lang, &Msg::Stats(text));
    let no_data = || label(StatsText::NoData);
    let mut lines = vec![
        format!("**{}**: {}", label(StatsText::Created), stats.created),
        format!("**{}**: {}", label(StatsText::Closed), stats.closed()),
    ];
    for (how, count) in &stats.closed_by {
        lines.push(format!(
            "　• {}: {count}",
            i18n::text(lang, &Msg::CloseHowLabel(*how))
        ));
    }
    lines.extend([
        format!("**{}**: {}", label(StatsText::StillOpen), stats.open),
        format!(
            "**{}**: {}",
            label(StatsText::ResolutionMean),
            secs_text(stats.resolution_mean_secs, lang)
        ),
        format!(
            "**{}**: {}",
            label(StatsText::ResolutionMedian),
            secs_text(stats.resolution_median_secs, lang)
        ),
        format!(
            "**{}**: {}",
            label(StatsText::FirstResponseMean),
            secs_text(stats.first_response_mean_secs, lang)
        ),
        format!(
            "**{}**: {}",
            label(StatsText::PerMember),
            stats
                .tickets_per_member()
                .map(|n| format!("{n:.2}"))
                .unwrap_or_else(no_data)
        ),
        format!(
            "**{}**: {}",
            label(StatsText::TopTopic),
            stats
                .top_topic
                .as_ref()
                .map(|(topic, n)| format!("{} ({n})", user_text(topic, 100)))
                .unwrap_or_else(no_data)
        ),
        format!(
            "**{}**: {}",
            label(StatsText::ResolutionRate),
            percent(stats.resolution_rate(), lang)
        ),
    ]);
    lines.join("\n")
}

fn field(name: String, value: String) -> EmbedField {
    EmbedField {
        inline: false,
        name: truncate_chars(&name, Slot::FieldName.max_chars()),
        value: truncate_chars(&value, Slot::FieldValue.max_chars()),
    }
}

/// The statistics embed: one field per window, staff activity over all time, and the bot's own
/// figures. `windows` is in [`Window::ALL`] order; staff activity is taken from the first.
pub fn stats_embed(
    lang: Language,
    windows: &[(Window, TicketStats)],
    process: &ProcessFigures,
) -> Embed {
    let label = |text: StatsText| i18n::text(lang, &Msg::Stats(text));
    let mut fields: Vec<EmbedField> = windows
        .iter()
        .map(|(window, stats)| field(label(window.label()), window_text(lang, stats)))
        .collect();
    let staff = windows
        .iter()
        .find(|(window, _)| *window == Window::AllTime)
        .map(|(_, stats)| stats.staff.as_slice())
        .unwrap_or_default();
    let staff_text = if staff.is_empty() {
        label(StatsText::NoStaffActivity)
    } else {
        staff
            .iter()
            .take(STAFF_SHOWN)
            .map(|s| {
                label(StatsText::StaffLine {
                    user: s.user_id,
                    claims: s.claims,
                    closes: s.closes,
                    responses: s.first_responses,
                })
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    fields.push(field(label(StatsText::StaffActivity), staff_text));
    let bot = [
        format!(
            "**{}**: {}",
            label(StatsText::Uptime),
            duration_text(chrono::Duration::seconds(process.uptime.as_secs() as i64))
        ),
        format!("**{}**: {}", label(StatsText::Commands), process.commands),
        format!(
            "**{}**: {}",
            label(StatsText::DatabaseSize),
            process
                .database_bytes
                .map(bytes_text)
                .unwrap_or_else(|| label(StatsText::NoData))
        ),
        format!(
            "**{}**: {}",
            label(StatsText::ErrorRate),
            percent(process.error_rate, lang)
        ),
    ];
    fields.push(field(label(StatsText::Bot), bot.join("\n")));
    Embed {
        author: None,
        color: Some(COLOUR),
        description: None,
        fields,
        flags: None,
        footer: None,
        image: None,
        kind: "rich".to_owned(),
        provider: None,
        thumbnail: None,
        timestamp: None,
        title: Some(label(StatsText::Title)),
        url: None,
        video: None,
    }
}

/// `1.5 MiB`, `12 KiB`, `900 B`.
pub fn bytes_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions_user(embed: &Embed, user: ticketbooth_core::Snowflake) -> bool {
        let mention = format!("<@{user}>");
        embed.fields.iter().any(|f| f.value.contains(&mention))
    }
    use ticketbooth_core::CloseHow;
    use ticketbooth_store::StaffActivity;

    fn stats() -> TicketStats {
        TicketStats {
            created: 4,
            open: 1,
            closed_by: CloseHow::ALL
                .iter()
                .map(|how| (*how, u64::from(*how == CloseHow::ItWorks) * 3))
                .collect(),
            resolution_mean_secs: Some(3723.0),
            resolution_median_secs: Some(65.0),
            first_response_mean_secs: None,
            members: 2,
            top_topic: Some(("Billing @everyone".into(), 3)),
            staff: vec![StaffActivity {
                user_id: 77,
                claims: 2,
                closes: 1,
                first_responses: 3,
            }],
        }
    }

    #[test]
    fn window_lines_show_every_figure() {
        let text = window_text(Language::En, &stats());
        for expected in [
            "**Created**: 4",
            "**Closed**: 3",
            "resolved, confirmed by the owner: 3",
            "by the owner: 0",
            "**Still open**: 1",
            "**Average resolution**: 1h 02m 03s",
            "**Median resolution**: 1m 05s",
            "**Average first staff response**: no data yet",
            "**Tickets per member**: 2.00",
            "**Resolution rate**: 75.0%",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from\n{text}");
        }
        // A topic is user text: it must not ping.
        assert!(!text.contains("@everyone"), "{text}");
    }

    #[test]
    fn embed_has_three_windows_staff_and_bot_in_each_language() {
        let windows: Vec<_> = Window::ALL.iter().map(|w| (*w, stats())).collect();
        let process = ProcessFigures {
            uptime: Duration::from_secs(90),
            commands: 12,
            database_bytes: Some(3 * 1024 * 1024 / 2),
            error_rate: Some(0.25),
        };
        let en = stats_embed(Language::En, &windows, &process);
        let names: Vec<_> = en.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "All time",
                "Last 30 days",
                "Last 7 days",
                "Staff activity (all time)",
                "Bot"
            ]
        );
        assert!(mentions_user(&en, 77));
        assert!(
            en.fields[3]
                .value
                .contains("2 claims, 1 closes, 3 first responses")
        );
        let bot = &en.fields[4].value;
        for expected in ["1m 30s", "**Commands processed**: 12", "1.5 MiB", "25.0%"] {
            assert!(bot.contains(expected), "{expected:?} missing from {bot}");
        }
        let vi = stats_embed(Language::Vi, &windows, &process);
        assert_eq!(vi.title.as_deref(), Some("Thống kê ticket"));
        assert_ne!(vi.fields[0].value, en.fields[0].value);
    }

    #[test]
    fn windows_reach_back_as_named() {
        let now = Utc::now();
        assert_eq!(Window::AllTime.since(now), None);
        assert_eq!(
            Window::Days7.since(now),
            Some(now - chrono::Duration::days(7))
        );
        assert_eq!(
            Window::Days30.since(now),
            Some(now - chrono::Duration::days(30))
        );
    }

    #[test]
    fn sizes_are_readable() {
        assert_eq!(bytes_text(900), "900 B");
        assert_eq!(bytes_text(2048), "2.0 KiB");
        assert_eq!(bytes_text(5 * 1024 * 1024 * 1024), "5.0 GiB");
    }
}
