//! Every label of a transcript, in HTML and in plain text, as rendered before the labels moved
//! to the Fluent catalog: the English pages must stay byte-identical.
//! `TB_WRITE_SNAPSHOT=1` rewrites the file.

mod common;

use chrono::Duration;
use common::{directory, message, start, ticket};
use serde_json::json;
use ticketbooth_transcript::{
    CapturedAttachment, CapturedMessage, TicketInfo, render_html, render_text,
};

/// Messages that reach every label: a bot, an edit, replies to a kept and a missing message,
/// an attachment, embeds with and without text, unknown users.
fn conversation() -> Vec<CapturedMessage> {
    let mut welcome = message(1, 999, "Welcome <@100>! <@&300> <#400> <@555>");
    welcome.author_name = "Ticketbooth".into();
    welcome.author_bot = true;
    welcome.embeds = vec![
        json!({"title": "Support", "description": "Press **It Works!**", "fields": [{"name": "Topic", "value": "Activation"}]}),
        json!({"color": 5}),
    ];
    let mut question = message(2, 100, "It says\n> invalid key");
    question.edited_timestamp = Some(start() + Duration::minutes(1));
    let mut answer = message(3, 200, "Try **again**");
    answer.reply_to = Some(2);
    let mut lost = message(4, 100, "");
    lost.reply_to = Some(77);
    lost.attachments = vec![CapturedAttachment {
        filename: "log.txt".into(),
        size: 2048,
        url: "https://cdn.discordapp.com/attachments/1/2/log.txt".into(),
        content_type: Some("text/plain".into()),
    }];
    vec![welcome, question, answer, lost]
}

fn tickets() -> Vec<TicketInfo> {
    let open = TicketInfo {
        topic: None,
        claimed_by: None,
        closed_at: None,
        closed_by: None,
        close_how: None,
        close_reason: None,
        ..ticket()
    };
    let mut all = vec![ticket(), open];
    for secs in [0, 30, 300, 3 * 86_400 + 7200] {
        all.push(TicketInfo {
            closed_at: Some(start() + Duration::seconds(secs)),
            ..ticket()
        });
    }
    all
}

/// The page without its style sheet, which has no words and would make the file large.
fn without_style(html: String) -> String {
    let start = html.find("<style>").expect("style");
    let end = html.find("</style>").expect("end of style");
    format!("{}{}", &html[..start], &html[end..])
}

fn snapshot() -> String {
    let mut out = String::new();
    let messages = conversation();
    for ticket in tickets() {
        for count in [0, 1, messages.len()] {
            let shown = &messages[..count];
            out.push_str(&without_style(render_html(&ticket, shown, &directory())));
            out.push_str(&render_text(&ticket, shown, &directory()));
        }
    }
    out
}

#[test]
fn english_transcripts_match_the_snapshot() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/transcripts-snapshot.txt"
    );
    let now = snapshot();
    if std::env::var_os("TB_WRITE_SNAPSHOT").is_some() {
        std::fs::write(path, &now).unwrap();
    }
    let before = std::fs::read_to_string(path).unwrap();
    let mut diffs = before.lines().zip(now.lines()).filter(|(a, b)| a != b);
    if let Some((a, b)) = diffs.next() {
        panic!("transcripts changed:\n- {a}\n+ {b}");
    }
    assert_eq!(before, now);
}

#[test]
fn a_vietnamese_server_gets_vietnamese_pages() {
    let ticket = TicketInfo {
        language: ticketbooth_core::Language::Vi,
        ..ticket()
    };
    let html = render_html(&ticket, &conversation(), &directory());
    for expected in [
        "<html lang=\"vi\">",
        "<title>Bản ghi #ticket-0001 · Rust Helpers</title>",
        "<dt>Máy chủ</dt><dd>Rust Helpers</dd>",
        "<dt>Ticket</dt><dd>số 1</dd>",
        "<dt>Thời gian mở</dt><dd>1 giờ 5 phút</dd>",
        "<span class=\"tag\">bot</span>",
        "title=\"đã sửa 2026-11-22 10:31:00 UTC\">(đã sửa Sun 22 Nov 2026, 10:31 UTC)",
        "<em>một tin nhắn không có trong bản ghi này</em>",
        "<footer>4 tin nhắn · định dạng bản ghi 1 · giờ UTC</footer>",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    let text = render_text(&ticket, &conversation(), &directory());
    assert!(
        text.starts_with(
            "Bản ghi #ticket-0001 (ticket 1) trong Rust Helpers\nNgười mở: Ana (100)\n"
        ),
        "{text}"
    );
    for expected in [
        "Đóng lúc: 2026-11-22 11:35:00 UTC (mở trong 1 giờ 5 phút)\n",
        "Ticketbooth [bot] (999):",
        "    (đã sửa 2026-11-22 10:31:00 UTC)\n",
        "    (trả lời Ana: It says > invalid key)\n",
        "    (trả lời tin nhắn 77, không có trong bản ghi này)\n",
        "    [tệp đính kèm] log.txt (2.0 KB) https://",
        "    [nội dung nhúng] (không có chữ)\n",
    ] {
        assert!(text.contains(expected), "missing {expected} in {text}");
    }
    for english in [
        "Transcript of",
        "Owner",
        "Open for",
        "in reply to",
        "(edited",
        "[attachment]",
        "[embed]",
        "(no text)",
        "messages ·",
        "lang=\"en\"",
    ] {
        assert!(
            !html.contains(english) && !text.contains(english),
            "{english}"
        );
    }
}
