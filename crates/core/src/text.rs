//! Helpers that make untrusted text (titles, names, reasons, messages) safe to show.
//!
//! Allowed mentions already stop pings; [`neutralize_mentions`] is the second lock, so a
//! mistake in one message's `allowed_mentions` still cannot ping `@everyone`.

/// A zero-width space: breaks a mention's syntax without changing how the text looks.
const ZWSP: char = '\u{200B}';
const ELLIPSIS: char = '…';

/// `s` cut to at most `max` characters (not bytes), ending in '…' when something was cut.
pub fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push(ELLIPSIS);
    out
}

/// `s` with every mention made inert: `@everyone`, `@here`, `<@id>`, `<@!id>`, `<@&id>`.
///
/// A zero-width space goes between `<` and `@`, and after an `@` that could start `@everyone`
/// or `@here`, so Discord shows the same text
/// but parses no mention.
pub fn neutralize_mentions(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut previous = None;
    while let Some(c) = chars.next() {
        if c == '@' && previous == Some('<') {
            out.push(ZWSP);
        }
        out.push(c);
        if c == '@'
            && chars
                .peek()
                .is_some_and(|next| matches!(next, 'e' | 'E' | 'h' | 'H'))
        {
            out.push(ZWSP);
        }
        previous = Some(c);
    }
    out
}

/// `s` with Discord's markdown characters escaped, so it shows as typed.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '-' | '[' | ']' | '(' | ')'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `s` safe in HTML text and in quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '`' => out.push_str("&#96;"),
            _ => out.push(c),
        }
    }
    out
}

/// User text ready for a message: mentions made inert, markdown escaped, then bounded to `max`
/// characters (escaping first, so the bound holds for what Discord counts).
pub fn user_text(s: &str, max: usize) -> String {
    truncate_chars(&escape_markdown(&neutralize_mentions(s)), max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether Discord would parse a mention in `s`.
    fn has_live_mention(s: &str) -> bool {
        let lower = s.to_lowercase();
        lower.contains("@everyone") || lower.contains("@here") || s.contains("<@")
    }

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate_chars("hello", 5), "hello");
        assert_eq!(truncate_chars("hello!", 5), "hell…");
        assert_eq!(truncate_chars("Tiếng Việt", 4), "Tiế…");
        assert_eq!(truncate_chars("👍👍👍", 2), "👍…");
        assert_eq!(truncate_chars("abc", 0), "");
    }

    #[test]
    fn hostile_mentions_cannot_ping() {
        for hostile in [
            "@everyone",
            "@here",
            "<@123>",
            "<@!123>",
            "<@&456>",
            "hi @EVERYONE!",
            "<<@@everyone>>",
        ] {
            let safe = neutralize_mentions(hostile);
            assert!(!has_live_mention(&safe), "{hostile} → {safe:?}");
            assert_eq!(safe.replace(ZWSP, ""), hostile, "text looks the same");
        }
        assert_eq!(neutralize_mentions("mail me @ home"), "mail me @ home");
        assert_eq!(neutralize_mentions("a@b.c"), "a@b.c");
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(
            escape_markdown("**bold** _i_ `c`"),
            "\\*\\*bold\\*\\* \\_i\\_ \\`c\\`"
        );
        assert_eq!(
            escape_markdown("[x](javascript:y)"),
            "\\[x\\]\\(javascript:y\\)"
        );
        assert_eq!(escape_markdown("||spoiler||"), "\\|\\|spoiler\\|\\|");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html(r#"<script>alert("x")</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        );
        assert_eq!(escape_html("' onload='x"), "&#39; onload=&#39;x");
        assert_eq!(escape_html("a & b"), "a &amp; b");
    }

    proptest! {
        #[test]
        fn truncation_bounds_length(s in "\\PC{0,300}", max in 0usize..200) {
            let t = truncate_chars(&s, max);
            prop_assert!(t.chars().count() <= max);
            if s.chars().count() <= max {
                prop_assert_eq!(t, s);
            }
        }

        #[test]
        fn no_input_pings(s in "[<@&!a-zA-Z0-9 ]{0,60}") {
            prop_assert!(!has_live_mention(&neutralize_mentions(&s)));
        }

        #[test]
        fn no_input_breaks_out_of_html(s in "\\PC{0,200}") {
            let e = escape_html(&s);
            prop_assert!(!e.contains('<') && !e.contains('>') && !e.contains('"') && !e.contains('\''));
        }

        #[test]
        fn user_text_is_bounded_and_inert(s in "\\PC{0,500}", max in 1usize..300) {
            let t = user_text(&s, max);
            prop_assert!(t.chars().count() <= max);
            prop_assert!(!has_live_mention(&t));
        }
    }
}
