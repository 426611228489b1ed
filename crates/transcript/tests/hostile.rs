//! The hostile-message corpus rendered to HTML and text, and the output checked for anything
//! that could run, load or navigate.

mod common;

use std::time::{Duration, Instant};

use common::{ALLOWED_ATTRIBUTES, ALLOWED_TAGS, hostile, tags};
use proptest::prelude::*;
use ticketbooth_transcript::{html::escape, render_html, render_text};

fn page() -> String {
    let (ticket, messages, directory) = hostile();
    render_html(&ticket, &messages, &directory)
}

#[test]
fn no_script_element_or_handler_anywhere() {
    let html = page();
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "raw <script in the page");
    assert!(!lower.contains("<img src=x"), "raw user <img in the page");
    assert!(!lower.contains("<svg"), "raw user <svg in the page");
    assert!(!lower.contains("<iframe"), "raw user <iframe in the page");
}

#[test]
fn every_tag_and_attribute_is_the_renderers_own() {
    let html = page();
    let found = tags(&html);
    assert!(
        found.len() > 100,
        "the tokenizer found too little: {}",
        found.len()
    );
    for tag in &found {
        assert!(
            ALLOWED_TAGS.contains(&tag.name.as_str()),
            "unexpected tag {tag:?}"
        );
        for (name, _) in &tag.attributes {
            assert!(
                !name.starts_with("on"),
                "event handler attribute in {tag:?}"
            );
            assert!(
                ALLOWED_ATTRIBUTES.contains(&name.as_str()),
                "unexpected attribute in {tag:?}"
            );
        }
    }
}

#[test]
fn links_and_images_only_point_at_the_web_or_the_page() {
    let html = page();
    let mut checked = 0;
    for tag in tags(&html) {
        for (name, value) in &tag.attributes {
            if name == "href" || name == "src" {
                checked += 1;
                let lower = value.to_ascii_lowercase();
                assert!(
                    lower.starts_with("https://")
                        || lower.starts_with("http://")
                        || lower.starts_with("#m"),
                    "{name}={value:?} in {tag:?}"
                );
                assert!(!lower.contains("javascript:"), "{value}");
            }
        }
    }
    assert!(checked > 0, "no links were checked");
}

#[test]
fn style_attributes_hold_only_generated_values() {
    let html = page();
    for tag in tags(&html) {
        for (name, value) in &tag.attributes {
            if name == "style" {
                assert!(
                    value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || ":#-;".contains(c)),
                    "style={value:?}"
                );
            }
        }
    }
}

#[test]
fn the_csp_meta_comes_first_and_forbids_scripts() {
    let html = page();
    let head_start = html.find("<head>").expect("head");
    let csp = html
        .find("http-equiv=\"Content-Security-Policy\"")
        .expect("CSP meta");
    let first_other = html.find("<title>").expect("title");
    assert!(head_start < csp && csp < first_other);
    assert!(html.contains("default-src &#39;none&#39;") || html.contains("default-src 'none'"));
    assert!(!html.contains("script-src"));
}

#[test]
fn user_strings_appear_escaped() {
    let (ticket, messages, directory) = hostile();
    let html = render_html(&ticket, &messages, &directory);
    let mut expected = vec![
        ticket.guild_name.clone(),
        ticket.topic.clone().unwrap(),
        ticket.close_reason.clone().unwrap(),
        directory.users[&100].clone(),
    ];
    for message in &messages {
        expected.push(message.author_display.clone().unwrap_or_default());
        for attachment in &message.attachments {
            expected.push(attachment.filename.clone());
        }
    }
    let mut checked = 0;
    for text in expected.iter().filter(|t| t.contains(['<', '"'])) {
        assert!(html.contains(&escape(text)), "{text:?} not found escaped");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} hostile strings were checked");
    // Payloads that markdown leaves alone reach the page whole and escaped.
    for payload in common::payloads()
        .iter()
        .filter(|p| !p.contains(['*', '_', '`', '[', '|', '~', '>', '#']))
    {
        assert!(
            html.contains(&escape(payload)),
            "{payload:?} not found escaped"
        );
    }
}

#[test]
fn unknown_mentions_are_named_as_unknown() {
    let html = page();
    assert!(html.contains("@unknown-user"));
    assert!(html.contains("@unknown-role") || html.contains("@Role"));
    assert!(html.contains("#unknown-channel"));
}

#[test]
fn bidi_controls_are_isolated_to_their_element() {
    let html = page();
    // The override is kept (it is the user's text) but sits inside an element whose
    // `unicode-bidi: isolate` keeps it from reordering the rest of the page.
    assert!(html.contains('\u{202e}'));
    assert!(
        html.contains(".content{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:isolate}")
    );
}

#[test]
fn hostile_page_renders_quickly_and_completely() {
    let (ticket, messages, directory) = hostile();
    let started = Instant::now();
    let html = render_html(&ticket, &messages, &directory);
    let text = render_text(&ticket, &messages, &directory);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(html.ends_with("</html>\n"));
    for message in &messages {
        assert!(
            html.contains(&format!("id=\"m{}\"", message.id)),
            "{}",
            message.id
        );
    }
    assert!(html.contains(&"*".repeat(100_000)));
    assert_eq!(text.matches("\n[2026-11-22").count(), messages.len());
}

#[test]
fn huge_single_messages_render_in_linear_time() {
    for unit in [
        "*", "_", "**a ", "[", "<", "`", "~~", "||", "> ", ">>> ", "# ", "- ", "\\",
    ] {
        let content = unit.repeat(100_000 / unit.len());
        let messages = vec![common::message(1, 100, &content)];
        let started = Instant::now();
        let html = render_html(&common::ticket(), &messages, &common::directory());
        let elapsed = started.elapsed();
        assert!(
            elapsed < Duration::from_secs(2),
            "{unit:?} took {elapsed:?}"
        );
        // Escapes (`\\*`) halve at most; everything else is kept or grows when escaped.
        assert!(html.len() >= content.len() / 2, "{unit:?}");
    }
}

#[test]
fn text_transcript_keeps_payloads_verbatim_and_one_block_per_message() {
    let (ticket, messages, directory) = hostile();
    let text = render_text(&ticket, &messages, &directory);
    // Plain text is not HTML: the payload is kept as the user typed it, to be read, not run.
    assert!(text.contains("<script>document.title='PWNED'"));
    assert!(text.contains("[attachment] \"><script>"));
}

/// Pieces of markup that interact: generated messages are strings of these.
const FRAGMENTS: &[&str] = &[
    "**",
    "*",
    "__",
    "_",
    "~~",
    "||",
    "`",
    "``",
    "```",
    "<@1>",
    "<@&300>",
    "<#400>",
    "<t:1:R>",
    "<:e:1>",
    "[",
    "](",
    ")",
    "https://x.y/",
    "javascript:",
    "<",
    ">",
    "> ",
    ">>> ",
    "\n",
    "# ",
    "- ",
    "1. ",
    "\\",
    "a",
    " ",
    "\"",
    "'",
    "&",
    "=",
    "é",
    "\u{202e}",
    "<script>",
    "onerror=",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever markup is thrown at it, the renderer only ever writes its own elements and
    /// attributes, and only web or in-page links.
    #[test]
    fn any_markup_renders_only_the_renderers_own_markup(
        pieces in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80)
    ) {
        let content: String = pieces.concat();
        let messages = vec![common::message(1, 100, &content)];
        let html = render_html(&common::ticket(), &messages, &common::directory());
        for tag in tags(&html) {
            prop_assert!(ALLOWED_TAGS.contains(&tag.name.as_str()), "{:?} from {:?}", tag, content);
            for (name, value) in &tag.attributes {
                prop_assert!(ALLOWED_ATTRIBUTES.contains(&name.as_str()), "{:?} from {:?}", tag, content);
                if name == "href" || name == "src" {
                    prop_assert!(
                        value.starts_with("https://") || value.starts_with("#m"),
                        "{}={:?} from {:?}", name, value, content
                    );
                }
            }
        }
    }
}
