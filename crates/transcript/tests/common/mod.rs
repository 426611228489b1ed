//! Fixtures shared by the integration tests: an ordinary ticket, and a transcript made of hostile
//! messages whose payloads would each change the page's DOM if they ever ran.

#![allow(dead_code)] // Each test binary uses a different part of the fixtures.

use chrono::{DateTime, Duration, TimeZone as _, Utc};
use serde_json::json;
use ticketbooth_transcript::{CapturedAttachment, CapturedMessage, Directory, TicketInfo};

/// What a payload sets if it runs: the checks look for these in the page and in Chromium's DOM.
pub const PWNED_TITLE: &str = "PWNED";
pub const PWNED_ATTRIBUTE: &str = "data-pwned";

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 30, 0).unwrap()
}

pub fn ticket() -> TicketInfo {
    TicketInfo {
        name: "ticket-0001".into(),
        number: 1,
        guild_name: "Rust Helpers".into(),
        owner_id: 100,
        topic: Some("Activation".into()),
        opened_at: start(),
        claimed_by: Some(200),
        closed_at: Some(start() + Duration::minutes(65)),
        closed_by: Some(200),
        close_how: Some("closed by staff".into()),
        close_reason: Some("fixed".into()),
        ..TicketInfo::default()
    }
}

pub fn directory() -> Directory {
    Directory::new()
        .with_user(100, "Ana")
        .with_user(200, "Staff Sam")
        .with_role(300, "Support", 0x3498db)
        .with_channel(400, "general")
}

pub fn message(id: u64, author_id: u64, content: &str) -> CapturedMessage {
    CapturedMessage {
        id,
        author_id,
        author_name: format!("user{author_id}"),
        author_display: None,
        author_avatar: None,
        author_bot: false,
        content: content.into(),
        timestamp: start() + Duration::seconds(id as i64),
        edited_timestamp: None,
        embeds: Vec::new(),
        attachments: Vec::new(),
        reply_to: None,
        mentions: Vec::new(),
        mention_roles: Vec::new(),
        original_content: None,
        deleted_at: None,
        components: Vec::new(),
    }
}

/// Script that marks the page as compromised, in the two ways the checks look for.
const JS: &str = "document.title='PWNED';document.body.setAttribute('data-pwned','1')";

/// Message contents that would run [`JS`] if pasted into a page unescaped.
pub fn payloads() -> Vec<String> {
    vec![
        format!("<script>{JS}</script>"),
        format!("<img src=x onerror=\"{JS}\">"),
        format!("<svg onload=\"{JS}\"></svg>"),
        format!("<body onload=\"{JS}\">"),
        format!("<iframe srcdoc=\"<script>parent.{JS}</script>\"></iframe>"),
        format!("</style><script>{JS}</script>"),
        format!("</title><script>{JS}</script>"),
        format!("<!-- --><script>{JS}</script><!-- -->"),
        format!("<noscript><p title=\"</noscript><img src=x onerror={JS}>\"></noscript>"),
        format!("[click me](javascript:{JS})"),
        format!("[click me](JaVaScRiPt:{JS})"),
        "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)".into(),
        format!("[x](https://example.com/\"onmouseover=\"{JS})"),
        format!("https://example.com/\"><script>{JS}</script>"),
        format!("<https://example.com/\"><img src=x onerror={JS}>>"),
        format!("`<script>{JS}</script>` and ```html\n<script>{JS}</script>\n```"),
        format!("**<script>{JS}</script>** _<img src=x onerror={JS}>_ ||<svg onload={JS}>||"),
        format!("> <script>{JS}</script>\n>>> <img src=x onerror={JS}>"),
        format!("# <script>{JS}</script>\n- <img src=x onerror={JS}>"),
        format!("\" onmouseover=\"{JS}\" x=\"' onfocus='{JS}' autofocus '"),
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">".into(),
        "<base href=\"https://evil.example/\"><style>body{display:none}</style>".into(),
        format!("<math><mi xlink:href=\"javascript:{JS}\">x</mi></math>"),
        format!("<t:1:R onload={JS}> <@1 onload={JS}> <:x:1 onload={JS}>"),
    ]
}

/// Text that is not a script but tests escaping and layout: odd Unicode, huge numbers, bad ids.
pub fn oddities() -> Vec<String> {
    vec![
        "zero\u{200b}width\u{200c}joiners\u{200d}and\u{feff}bom".into(),
        "rtl \u{202e}txt.exe\u{202c} override \u{2066}isolate\u{2069}".into(),
        "Z\u{0337}\u{0322}\u{034e}a\u{0334}\u{0347}l\u{0336}g\u{0338}o\u{0335}".into(),
        "emoji 👨‍👩‍👧 🏳️‍🌈 🇻🇳 ✅🆘🔒".into(),
        "<@99999999999999999999999> <@&18446744073709551616> <#-1> <@> <t:99999999999999999999>"
            .into(),
        "<@123456789> unknown user, <@&999> unknown role, <#888> unknown channel".into(),
        "<t:9223372036854775807:F> <t:-9223372036854775808> 18446744073709551615".into(),
        "@everyone @here please".into(),
        "nul \u{0} byte and \u{1b}[31m escape".into(),
    ]
}

/// A whole transcript of hostile input: payloads in the content and in every other field a user
/// or a bot controls.
pub fn hostile() -> (TicketInfo, Vec<CapturedMessage>, Directory) {
    let mut ticket = ticket();
    let evil = format!("\"><script>{JS}</script><img src=x onerror=\"{JS}\">");
    ticket.name = format!("ticket-{evil}");
    ticket.guild_name = format!("Guild {evil}");
    ticket.topic = Some(format!("Topic {evil}"));
    ticket.close_reason = Some(format!("Reason {evil}"));
    ticket.close_how = Some(format!("How {evil}"));
    let directory = Directory::new()
        .with_user(100, format!("Owner {evil}"))
        .with_role(300, format!("Role {evil}"), 0xffff_ffff)
        .with_channel(400, format!("chan {evil}"));

    let mut messages = Vec::new();
    let mut id = 1;
    for content in payloads().into_iter().chain(oddities()) {
        let mut m = message(id, 100 + id % 3, &content);
        m.author_name = format!("name{evil}");
        m.author_display = Some(format!("display{evil}"));
        m.author_avatar = Some(format!("abc\"><script>{JS}</script>"));
        m.mentions = vec![(100 + id, format!("mentioned{evil}"))];
        m.content
            .push_str(&format!(" <@{}> <@&300> <#400>", 100 + id));
        messages.push(m);
        id += 1;
    }

    let mut embedded = message(id, 999, "");
    embedded.author_bot = true;
    embedded.author_name = "bot".into();
    embedded.reply_to = Some(1);
    embedded.edited_timestamp = Some(start() + Duration::hours(1));
    embedded.original_content = Some(format!("before {evil}"));
    embedded.deleted_at = Some(start() + Duration::hours(2));
    embedded.embeds = vec![
        json!({
            "title": format!("<script>{JS}</script>"),
            "url": format!("javascript:{JS}"),
            "description": format!("[x](javascript:{JS}) <img src=x onerror={JS}>"),
            "color": -1,
            "author": {"name": evil, "url": format!("javascript:{JS}"), "icon_url": format!("javascript:{JS}")},
            "footer": {"text": evil, "icon_url": format!("https://x.example/\"><script>{JS}</script>")},
            "image": {"url": format!("data:text/html,<script>{JS}</script>")},
            "thumbnail": {"url": format!("https://x.example/a.png\" onerror=\"{JS}")},
            "fields": [
                {"name": evil, "value": format!("<script>{JS}</script>"), "inline": true},
                {"name": 5, "value": null},
                {"name": "x", "value": format!("`</code><script>{JS}</script>`")}
            ],
            "timestamp": "not a time"
        }),
        json!("an embed that is not an object"),
        json!({"color": "#ff0000\"; background:url(javascript:alert(1))"}),
    ];
    embedded.attachments = vec![
        CapturedAttachment {
            filename: evil.clone(),
            url: format!("javascript:{JS}"),
            size: 1,
            content_type: Some(format!("text/html\"><script>{JS}</script>")),
        },
        CapturedAttachment {
            filename: "ok.png".into(),
            url: format!("https://cdn.discordapp.com/a/\"onmouseover=\"{JS}"),
            size: u64::MAX,
            content_type: None,
        },
    ];
    messages.push(embedded);
    id += 1;

    messages.push(message(id, 100, &"*".repeat(100_000)));
    id += 1;
    let mut nested = String::new();
    for _ in 0..5_000 {
        nested.push_str("**__~~||*_[");
    }
    nested.push_str(&format!("<script>{JS}</script>"));
    messages.push(message(id, 100, &nested));
    id += 1;
    messages.push(message(id, 100, &">>> ".repeat(10_000)));
    (ticket, messages, directory)
}

/// The element and attribute names the renderer writes. Anything else in the output came from
/// user text that escaped escaping.
pub const ALLOWED_TAGS: &[&str] = &[
    "!doctype",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "h1",
    "h2",
    "h3",
    "dl",
    "dt",
    "dd",
    "main",
    "article",
    "div",
    "span",
    "img",
    "a",
    "time",
    "p",
    "strong",
    "em",
    "u",
    "s",
    "br",
    "code",
    "pre",
    "blockquote",
    "footer",
];
pub const ALLOWED_ATTRIBUTES: &[&str] = &[
    "lang",
    "charset",
    "http-equiv",
    "content",
    "name",
    "class",
    "id",
    "datetime",
    "title",
    "href",
    "target",
    "rel",
    "src",
    "alt",
    "loading",
    "style",
    "aria-hidden",
    "tabindex",
    "data-language",
    "html",
];

/// One start or end tag found in a page.
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub attributes: Vec<(String, String)>,
}

/// A small tokenizer for the renderer's own output: finds every tag and its attributes. Text
/// between tags is skipped, as is the inside of `<style>` (the crate's own CSS).
pub fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset + 1;
        let mut i = start;
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let attr_start = i;
            while i < bytes.len() && !b"= >".contains(&bytes[i]) {
                i += 1;
            }
            let attr = html[attr_start..i].to_ascii_lowercase();
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                let quote = bytes[i];
                assert!(quote == b'"', "unquoted attribute {attr} in <{name}>");
                let end = html[i + 1..]
                    .find('"')
                    .map(|e| i + 1 + e)
                    .expect("closing quote");
                value = html[i + 1..end].to_owned();
                i = end + 1;
            }
            attributes.push((attr, value));
        }
        if name == "style" && !closing {
            i = html[i..].find("</style>").map_or(html.len(), |e| i + e);
        }
        tags.push(Tag { name, attributes });
        at = i.min(html.len());
    }
    tags
}
