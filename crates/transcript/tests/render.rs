//! What an ordinary transcript shows: authors, times, edits, replies, embeds, attachments and
//! every markdown construct, in HTML and in plain text.

mod common;

use chrono::Duration;
use common::{directory, message, start, ticket};
use serde_json::json;
use ticketbooth_transcript::{CapturedAttachment, CapturedMessage, render_html, render_text};

fn html_of(content: &str) -> String {
    let messages = vec![message(1, 100, content)];
    let html = render_html(&ticket(), &messages, &directory());
    // Only the message's content, so the header and CSS cannot satisfy a check by accident.
    let start = html.find("<div class=\"content\">").expect("content");
    let end = html[start..].find("</div>\n").expect("end of content") + start;
    html[start + "<div class=\"content\">".len()..end].to_owned()
}

#[test]
fn markdown_constructs_become_elements() {
    let cases = [
        ("**b**", "<p><strong>b</strong></p>"),
        ("*i* _j_", "<p><em>i</em> <em>j</em></p>"),
        ("__u__", "<p><u>u</u></p>"),
        ("~~s~~", "<p><s>s</s></p>"),
        (
            "||secret||",
            "<p><span class=\"spoiler\" tabindex=\"0\">secret</span></p>",
        ),
        ("`a<b`", "<p><code>a&lt;b</code></p>"),
        (
            "```rust\nlet x = 1 < 2;\n```",
            "<pre><code data-language=\"rust\">let x = 1 &lt; 2;</code></pre>",
        ),
        ("> quoted", "<blockquote><p>quoted</p></blockquote>"),
        (
            ">>> all\nof it",
            "<blockquote><p>all<br>of it</p></blockquote>",
        ),
        ("# Big", "<h1 class=\"md\">Big</h1>"),
        ("## Mid", "<h2 class=\"md\">Mid</h2>"),
        ("### Small", "<h3 class=\"md\">Small</h3>"),
        ("-# tiny", "<p class=\"sub\">tiny</p>"),
        (
            "- one\n- two",
            "<div class=\"list\"><span class=\"li\" style=\"margin-left:16px\">• one</span>\
             <span class=\"li\" style=\"margin-left:16px\">• two</span></div>",
        ),
        (
            "[docs](https://example.com/?a=1&b=2)",
            "<p><a href=\"https://example.com/?a=1&amp;b=2\" target=\"_blank\" \
             rel=\"noopener noreferrer nofollow\">docs</a></p>",
        ),
        (
            "see https://example.com.",
            "<p>see <a href=\"https://example.com\" target=\"_blank\" \
             rel=\"noopener noreferrer nofollow\">https://example.com</a>.</p>",
        ),
        (
            "[bad](javascript:alert(1))",
            "<p>[bad](javascript:alert(1))</p>",
        ),
        (
            "<@100> <@!200>",
            "<p><span class=\"mention\">@Ana</span> <span class=\"mention\">@Staff Sam</span></p>",
        ),
        (
            "<@&300>",
            "<p><span class=\"mention\" style=\"color:#3498db\">@Support</span></p>",
        ),
        (
            "<#400> <#401>",
            "<p><span class=\"mention\">#general</span> <span class=\"mention\">#unknown-channel</span></p>",
        ),
        (
            "<@555>",
            "<p><span class=\"mention\">@unknown-user</span></p>",
        ),
        ("<:wave:123>", "<p><span class=\"emoji\">:wave:</span></p>"),
        ("@everyone @here", "<p>@everyone @here</p>"),
        (
            "<t:1795343400:d>",
            "<p><time datetime=\"2026-11-22T10:30:00Z\" title=\"2026-11-22T10:30:00Z\">2026-11-22</time></p>",
        ),
        ("a\nb", "<p>a<br>b</p>"),
    ];
    for (content, expected) in cases {
        assert_eq!(html_of(content), expected, "for {content:?}");
    }
}

#[test]
fn message_head_shows_author_avatar_bot_tag_time_and_edit() {
    let mut m = message(7, 200, "hi");
    m.author_avatar = Some("a_0123456789abcdef0123456789abcdef".into());
    m.author_bot = true;
    m.edited_timestamp = Some(start() + Duration::minutes(3));
    let mut plain = message(8, 201, "hello");
    plain.author_display = Some("Zoë".into());
    let html = render_html(&ticket(), &[m, plain], &directory());
    assert!(html.contains(
        "src=\"https://cdn.discordapp.com/avatars/200/a_0123456789abcdef0123456789abcdef.png?size=64\""
    ));
    assert!(html.contains("<span class=\"author\" title=\"user200 (200)\">Staff Sam</span>"));
    assert!(html.contains("<span class=\"tag\">bot</span>"));
    assert!(html.contains("<time datetime=\"2026-11-22T10:30:07Z\" title=\"2026-11-22T10:30:07Z\">Sun 22 Nov 2026, 10:30 UTC</time>"));
    assert!(html.contains("(edited Sun 22 Nov 2026, 10:33 UTC)"));
    // No avatar: a coloured initial from the display name.
    assert!(html.contains("aria-hidden=\"true\">Z</div>"));
    assert!(html.contains(">Zoë</span>"));
}

#[test]
fn invalid_avatar_hash_falls_back_to_initial() {
    let mut m = message(1, 100, "x");
    m.author_avatar = Some("../../evil".into());
    let html = render_html(&ticket(), &[m], &directory());
    assert!(!html.contains("cdn.discordapp.com/avatars"));
    assert!(html.contains("aria-hidden=\"true\">A</div>"));
}

#[test]
fn replies_quote_the_original_when_present() {
    let first = message(1, 100, "my **license** key <@200> does not work");
    let mut second = message(2, 200, "which one?");
    second.reply_to = Some(1);
    let mut third = message(3, 200, "and this?");
    third.reply_to = Some(99);
    let html = render_html(&ticket(), &[first, second, third], &directory());
    assert!(html.contains(
        "<div class=\"reply\">↪ <a href=\"#m1\">@Ana</a> my license key @Staff Sam does not work</div>"
    ));
    assert!(html.contains("not in this transcript"));
}

#[test]
fn embeds_show_their_parts_and_only_web_links() {
    let mut m = message(1, 999, "");
    m.embeds = vec![json!({
        "title": "Ticket **closed**",
        "url": "https://example.com/t/1",
        "description": "Closed by <@200>\n> thanks",
        "color": 0x2ecc71,
        "author": {"name": "Ticketbooth", "url": "ftp://nope", "icon_url": "https://cdn.example/i.png", "proxy_icon_url": "https://media.discordapp.net/external/x/i.png"},
        "fields": [
            {"name": "Owner", "value": "<@100>", "inline": true},
            {"name": "Duration", "value": "1 h 5 min"}
        ],
        "footer": {"text": "ticket-0001"},
        "timestamp": "2026-11-22T11:35:00+00:00"
    })];
    let html = render_html(&ticket(), &[m], &directory());
    assert!(html.contains("<div class=\"embed\" style=\"border-left-color:#2ecc71\">"));
    assert!(html.contains("<a href=\"https://example.com/t/1\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">Ticket <strong>closed</strong></a>"));
    assert!(html.contains("Closed by <span class=\"mention\">@Staff Sam</span>"));
    assert!(html.contains("<blockquote><p>thanks</p></blockquote>"));
    assert!(html.contains("<div class=\"embed-author\"><img alt=\"\" loading=\"lazy\" src=\"https://media.discordapp.net/external/x/i.png\"><span class=\"\">Ticketbooth</span></div>"));
    assert!(html.contains("<div class=\"field inline\"><div class=\"field-name\">Owner</div><div class=\"content\"><p><span class=\"mention\">@Ana</span></p></div></div>"));
    assert!(html.contains("<div class=\"field\"><div class=\"field-name\">Duration</div>"));
    assert!(html.contains("<span class=\"\">ticket-0001</span>"));
    assert!(html.contains("datetime=\"2026-11-22T11:35:00Z\""));
    assert!(!html.contains("ftp://"));
}

#[test]
fn attachments_are_named_linked_and_sized() {
    let mut m = message(1, 100, "logs attached");
    m.attachments = vec![CapturedAttachment {
        filename: "crash <1>.log".into(),
        url: "https://cdn.discordapp.com/attachments/1/2/crash.log".into(),
        size: 12_595,
        content_type: Some("text/plain".into()),
    }];
    let html = render_html(&ticket(), &[m.clone()], &directory());
    assert!(html.contains("<a href=\"https://cdn.discordapp.com/attachments/1/2/crash.log\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">crash &lt;1&gt;.log</a><span class=\"size\">12.3 KB</span>"));
    let text = render_text(&ticket(), &[m], &directory());
    assert!(text.contains("    [attachment] crash <1>.log (12.3 KB) https://cdn.discordapp.com/attachments/1/2/crash.log\n"));
}

#[test]
fn header_names_the_ticket_people_and_times() {
    let html = render_html(&ticket(), &[], &directory());
    for expected in [
        "<title>Transcript of #ticket-0001 · Rust Helpers</title>",
        "<h1>#ticket-0001</h1>",
        "<dt>Owner</dt><dd>Ana (100)</dd>",
        "<dt>Topic</dt><dd>Activation</dd>",
        "<dt>Claimed by</dt><dd>Staff Sam (200)</dd>",
        "<dt>Open for</dt><dd>1 h 5 min</dd>",
        "<dt>Closed by</dt><dd>Staff Sam (200)</dd>",
        "<dt>Reason</dt><dd>fixed</dd>",
        "<dt>Messages</dt><dd>0</dd>",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
}

fn conversation() -> Vec<CapturedMessage> {
    let mut welcome = message(1, 999, "Welcome <@100>!");
    welcome.author_name = "Ticketbooth".into();
    welcome.author_bot = true;
    welcome.embeds = vec![
        json!({"title": "Support", "description": "Press **It Works!** when done", "fields": [{"name": "Topic", "value": "Activation"}]}),
    ];
    let mut question = message(2, 100, "It says\n> invalid key\nsee `KEY-1`");
    question.edited_timestamp = Some(start() + Duration::minutes(1));
    let mut answer = message(3, 200, "Try **again**, <@100> ||KEY-2||");
    answer.reply_to = Some(2);
    vec![welcome, question, answer]
}

#[test]
fn text_transcript_has_one_block_per_message() {
    let text = render_text(&ticket(), &conversation(), &directory());
    let expected = "\
Transcript of #ticket-0001 (ticket 1) in Rust Helpers
Owner: Ana (100)
Topic: Activation
Opened: 2026-11-22 10:30:00 UTC
Claimed by: Staff Sam (200)
Closed: 2026-11-22 11:35:00 UTC (open for 1 h 5 min)
Closed by: Staff Sam (200)
How: closed by staff
Reason: fixed
Messages: 3
------------------------------------------------------------

[2026-11-22 10:30:01 UTC] Ticketbooth [bot] (999): Welcome @Ana!
    [embed] Support | Press It Works! when done | Topic: Activation

[2026-11-22 10:30:02 UTC] Ana (100): It says
    > invalid key
    see `KEY-1`
    (edited 2026-11-22 10:31:00 UTC)

[2026-11-22 10:30:03 UTC] Staff Sam (200): Try again, @Ana ||KEY-2||
    (in reply to Ana: It says > invalid key see `KEY-1`)
";
    assert_eq!(text, expected);
}

#[test]
fn html_is_one_self_contained_document() {
    let html = render_html(&ticket(), &conversation(), &directory());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<html").count(), 1);
    assert_eq!(html.matches("<article").count(), 3);
    let lower = html.to_ascii_lowercase();
    for external in ["<link", "<script", "@import", "url(", "@font-face"] {
        assert!(!lower.contains(external), "{external}");
    }
}

#[test]
fn edits_keep_the_original_and_deletions_stay_visible() {
    let mut edited = message(1, 100, "the **new** words");
    edited.edited_timestamp = Some(start() + Duration::minutes(2));
    edited.original_content = Some("the <old> words".into());
    let mut deleted = message(2, 101, "regretted words");
    deleted.deleted_at = Some(start() + Duration::minutes(3));
    let plain = message(3, 100, "untouched");
    let messages = vec![edited, deleted, plain];

    let html = render_html(&ticket(), &messages, &directory());
    let article = |id: u64| {
        let from = html.find(&format!("id=\"m{id}\"")).expect("article");
        let to = html[from..].find("</article>").expect("end") + from;
        html[from..to].to_owned()
    };
    let first = article(1);
    assert!(first.contains("before the edit:"), "{first}");
    assert!(first.contains("the &lt;old&gt; words"), "{first}");
    assert!(first.contains("<strong>new</strong>"), "{first}");
    let second = article(2);
    assert!(
        html.contains("<article class=\"msg deleted\" id=\"m2\">"),
        "{second}"
    );
    assert!(second.contains(">deleted</span>"), "{second}");
    assert!(second.contains("regretted words"), "content kept: {second}");
    let third = article(3);
    assert!(!third.contains("deleted") && !third.contains("before the edit"));

    let text = render_text(&ticket(), &messages, &directory());
    assert!(text.contains("(before the edit) the <old> words"), "{text}");
    assert!(text.contains("regretted words"), "{text}");
    assert!(text.contains("(deleted "), "{text}");
}

#[test]
fn outside_images_are_links_and_only_discord_serves_images() {
    let mut m = message(1, 100, "");
    m.embeds = vec![json!({
        "title": "t",
        "image": {"url": "https://tracker.example/pixel.png"},
        "thumbnail": {
            "url": "https://tracker.example/thumb.png",
            "proxy_url": "https://media.discordapp.net/external/abc/thumb.png"
        },
        "author": {"name": "someone", "icon_url": "https://tracker.example/icon.png"},
        "footer": {"text": "f", "icon_url": "https://cdn.discordapp.com/icons/1/a.png"}
    })];
    let html = render_html(&ticket(), &[m], &directory());
    let imgs: Vec<&str> = html
        .match_indices("<img")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
        .collect();
    assert!(
        imgs.iter().all(|tag| !tag.contains("tracker.example")),
        "{imgs:?}"
    );
    assert!(html.contains("src=\"https://media.discordapp.net/external/abc/thumb.png\""));
    assert!(html.contains("src=\"https://cdn.discordapp.com/icons/1/a.png\""));
    assert!(
        html.contains("href=\"https://tracker.example/pixel.png\""),
        "an outside image is a link"
    );
    assert!(html.contains("img-src https://cdn.discordapp.com https://media.discordapp.net data:"));
}
