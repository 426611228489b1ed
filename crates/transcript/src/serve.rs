//! What the web layer sends with a served transcript: content types and headers that keep a
//! private page out of caches and search engines, and lock it down a second time over HTTP.

/// Headers for an HTML transcript. The page's own policy
/// ([`CONTENT_SECURITY_POLICY`](crate::CONTENT_SECURITY_POLICY)) is repeated as a header because only the header form
/// can forbid framing (`frame-ancestors`), and it holds even if the page is saved and re-served.
pub const HTML_HEADERS: [(&str, &str); 6] = [
    ("content-type", "text/html; charset=utf-8"),
    ("cache-control", "no-store, private"),
    (
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src https://cdn.discordapp.com https://media.discordapp.net data:; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-robots-tag", "noindex, nofollow"),
];

/// Headers for a plain-text transcript.
pub const TEXT_HEADERS: [(&str, &str); 6] = [
    ("content-type", "text/plain; charset=utf-8"),
    ("cache-control", "no-store, private"),
    (
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-robots-tag", "noindex, nofollow"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::CONTENT_SECURITY_POLICY;

    fn header<'a>(headers: &[(&str, &'a str)], name: &str) -> &'a str {
        headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    #[test]
    fn header_csp_is_the_page_policy_and_more() {
        let csp = header(&HTML_HEADERS, "content-security-policy");
        assert!(csp.starts_with(CONTENT_SECURITY_POLICY), "{csp}");
        assert!(csp.ends_with("frame-ancestors 'none'"));
    }

    #[test]
    fn private_pages_are_never_cached_or_sniffed() {
        for headers in [&HTML_HEADERS, &TEXT_HEADERS] {
            assert_eq!(header(headers, "cache-control"), "no-store, private");
            assert_eq!(header(headers, "x-content-type-options"), "nosniff");
            for (name, value) in headers.iter() {
                assert_eq!(name.to_ascii_lowercase(), *name);
                assert!(value.bytes().all(|b| (0x20..0x7f).contains(&b)), "{value}");
            }
        }
        assert!(header(&HTML_HEADERS, "content-type").starts_with("text/html"));
        assert!(header(&TEXT_HEADERS, "content-type").starts_with("text/plain"));
    }
}
