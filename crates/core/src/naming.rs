//! Ticket channel names: the per-server template, the seed's random scheme, and Discord's rules.
//!
//! Discord lowercases text-channel names and keeps only letters, digits, `-` and `_`; a name must
//! hold 1 to 100 characters. Names are decided here, once, at reservation time, so the store can
//! keep the name it will create.

use thiserror::Error;

use crate::model::Naming;

/// Discord's limit on a channel name, in characters.
pub const MAX_CHANNEL_NAME: usize = 100;

/// The longest template the hub accepts (a template can grow when `{user}` is filled in, and the
/// result is cut at [`MAX_CHANNEL_NAME`] anyway).
pub const MAX_TEMPLATE_LEN: usize = 100;

const PLACEHOLDERS: [&str; 2] = ["{number}", "{user}"];

/// Why a naming template was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    /// Nothing but whitespace.
    #[error("the template is empty")]
    Empty,
    /// Longer than [`MAX_TEMPLATE_LEN`] characters.
    #[error("the template is longer than {max} characters")]
    TooLong { max: usize },
    /// A `{…}` that is not one of the known placeholders.
    #[error("unknown placeholder {placeholder}")]
    UnknownPlaceholder { placeholder: String },
    /// A `{` without its `}`.
    #[error("a '{{' is not closed")]
    Unclosed,
    /// Without `{number}` two tickets of one member would get the same name.
    #[error("the template must contain {{number}}")]
    MissingNumber,
}

/// Checks a naming template as the hub's Naming modal submits it.
pub fn validate_template(template: &str) -> Result<(), TemplateError> {
    let template = template.trim();
    if template.is_empty() {
        return Err(TemplateError::Empty);
    }
    if template.chars().count() > MAX_TEMPLATE_LEN {
        return Err(TemplateError::TooLong {
            max: MAX_TEMPLATE_LEN,
        });
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open..];
        let close = after.find('}').ok_or(TemplateError::Unclosed)?;
        let placeholder = &after[..=close];
        if !PLACEHOLDERS.contains(&placeholder) {
            return Err(TemplateError::UnknownPlaceholder {
                placeholder: placeholder.to_owned(),
            });
        }
        rest = &after[close + 1..];
    }
    if !template.contains("{number}") {
        return Err(TemplateError::MissingNumber);
    }
    Ok(())
}

/// The name of a new ticket channel, already valid for Discord.
///
/// `number` is the per-server counter, `owner_name` the member's name, `random_suffix` six
/// characters from [`random_suffix`] (used only by [`Naming::Random6`]).
pub fn channel_name(naming: &Naming, number: i64, owner_name: &str, random_suffix: &str) -> String {
    let raw = match naming {
        Naming::Template { template } => template
            .replace("{number}", &format!("{number:04}"))
            .replace("{user}", owner_name),
        Naming::Random6 => format!("ticket-{random_suffix}"),
    };
    let name = sanitize(&raw);
    if name.is_empty() {
        sanitize(&format!("ticket-{number:04}"))
    } else {
        name
    }
}

/// Six lowercase letters and digits from six random bytes, as the seed's `ticket-abc123`.
pub fn random_suffix(rng_bytes: [u8; 6]) -> String {
    const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    rng_bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

/// Makes any string a valid text-channel name, or empty when nothing usable is left.
fn sanitize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_dash = false;
    for c in raw.chars().flat_map(char::to_lowercase) {
        // Some letters have no lowercase form (mathematical capitals such as '𝐀'); Discord
        // would refuse them, so they count as separators.
        if (c.is_alphanumeric() && !c.is_uppercase()) || c == '_' {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            // Spaces, dashes and everything Discord would drop become one separator, so
            // "a  --  b" reads "a-b" rather than "a----b".
            pending_dash = true;
        }
    }
    let mut name: String = out.chars().take(MAX_CHANNEL_NAME).collect();
    while name.ends_with('-') {
        name.pop();
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn template(t: &str) -> Naming {
        Naming::Template {
            template: t.to_owned(),
        }
    }

    fn is_valid_channel_name(name: &str) -> bool {
        let len = name.chars().count();
        (1..=MAX_CHANNEL_NAME).contains(&len)
            && !name.starts_with('-')
            && !name.ends_with('-')
            && !name.contains("--")
            && name
                .chars()
                .all(|c| (c.is_alphanumeric() && !c.is_uppercase()) || c == '-' || c == '_')
    }

    #[test]
    fn default_template_pads_the_number() {
        assert_eq!(
            channel_name(&Naming::default(), 1, "Alice", "abcdef"),
            "ticket-0001"
        );
        assert_eq!(
            channel_name(&Naming::default(), 12345, "Alice", "abcdef"),
            "ticket-12345"
        );
    }

    #[test]
    fn user_placeholder_is_sanitized() {
        let name = channel_name(&template("{user}-{number}"), 7, "Bob The  Builder!!", "x");
        assert_eq!(name, "bob-the-builder-0007");
    }

    #[test]
    fn random6_uses_the_suffix() {
        assert_eq!(
            channel_name(&Naming::Random6, 3, "x", "abc123"),
            "ticket-abc123"
        );
    }

    #[test]
    fn empty_result_falls_back_to_ticket_number() {
        assert_eq!(
            channel_name(&template("{user}"), 9, "!!!", "x"),
            "ticket-0009"
        );
        assert_eq!(channel_name(&template("---"), 9, "x", "x"), "ticket-0009");
    }

    #[test]
    fn long_names_are_cut_to_100() {
        let long = "a".repeat(300);
        let name = channel_name(&template("{user}-{number}"), 1, &long, "x");
        assert_eq!(name.chars().count(), MAX_CHANNEL_NAME);
    }

    #[test]
    fn random_suffix_is_six_lowercase_alphanumerics() {
        let s = random_suffix([0, 25, 26, 35, 36, 255]);
        assert_eq!(s, "az09ad");
    }

    #[test]
    fn templates_are_validated() {
        assert_eq!(validate_template("ticket-{number}"), Ok(()));
        assert_eq!(validate_template("{user}-{number}"), Ok(()));
        assert_eq!(validate_template("  "), Err(TemplateError::Empty));
        assert_eq!(
            validate_template("ticket"),
            Err(TemplateError::MissingNumber)
        );
        assert_eq!(validate_template("t-{number"), Err(TemplateError::Unclosed));
        assert_eq!(
            validate_template("t-{id}-{number}"),
            Err(TemplateError::UnknownPlaceholder {
                placeholder: "{id}".to_owned()
            })
        );
        assert_eq!(
            validate_template(&format!("{}{{number}}", "a".repeat(100))),
            Err(TemplateError::TooLong {
                max: MAX_TEMPLATE_LEN
            })
        );
    }

    proptest! {
        #[test]
        fn every_name_is_valid(t in ".{0,120}", user in ".{0,120}", number in 0i64..100_000_000) {
            let name = channel_name(&template(&t), number, &user, "abc123");
            prop_assert!(is_valid_channel_name(&name), "{name:?}");
        }

        #[test]
        fn random_suffix_alphabet(bytes in any::<[u8; 6]>()) {
            let s = random_suffix(bytes);
            prop_assert_eq!(s.len(), 6);
            prop_assert!(s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        }
    }
}
