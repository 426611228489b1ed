//! The languages Ticketbooth speaks: one line each, naming its folder of Fluent files under
//! `crates/core/locales/` and the Discord locales that choose it.

use serde::{Deserialize, Serialize};

/// The Fluent files every language folder holds; each is embedded in the binary.
macro_rules! ftl_files {
    ($code:literal: $($file:literal),+) => {
        &[$((
            $file,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/", $code, "/", $file)),
        )),+]
    };
}

macro_rules! languages {
    ($($(#[$attr:meta])* $variant:ident = $code:literal, discord [$($locale:literal),*];)+) => {
        /// The language of a server's channel messages (ephemeral replies follow each member's
        /// locale).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
        pub enum Language {
            $($(#[$attr])* #[serde(rename = $code)] $variant,)+
        }

        impl Language {
            /// Every language, in the order the language menu shows them.
            pub const ALL: &'static [Language] = &[$(Language::$variant),+];

            /// The code stored and used in select values (`"en"`, `"vi"`), which is also the
            /// name of the language's folder of Fluent files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Language::$variant => $code,)+
                }
            }

            /// The Discord locales that are this language; the first language's are the base
            /// texts of slash commands, every other's their localizations.
            pub fn discord_locales(self) -> &'static [&'static str] {
                match self {
                    $(Language::$variant => &[$($locale),*],)+
                }
            }

            /// The language's Fluent files: (file name, text).
            pub(crate) fn ftl_sources(self) -> &'static [(&'static str, &'static str)] {
                match self {
                    $(Language::$variant => ftl_files!(
                        $code: "tickets.ftl", "hub.ftl", "log.ftl", "stats.ftl", "commands.ftl",
                        "transcript.ftl"
                    ),)+
                }
            }
        }
    };
}

// Adding a language: a folder `locales/<code>/` with the same files as `locales/en/`, and one
// line here.
languages! {
    /// English, the default and the fallback.
    #[default]
    En = "en", discord ["en-US", "en-GB"];
    /// Vietnamese, the seeds' language.
    Vi = "vi", discord ["vi"];
}

impl Language {
    /// Maps a Discord locale (`"vi"`, `"en-US"`, …) to a supported language: one that lists
    /// the locale, else one whose code is the locale's language (`"vi-VN"` → `vi`), else
    /// English.
    pub fn from_discord_locale(locale: &str) -> Self {
        let primary = locale.split('-').next().unwrap_or(locale);
        let listed = Self::ALL.iter().find(|lang| {
            lang.discord_locales()
                .iter()
                .any(|l| l.eq_ignore_ascii_case(locale))
        });
        let by_code = || {
            Self::ALL
                .iter()
                .find(|lang| lang.as_str().eq_ignore_ascii_case(primary))
        };
        listed.or_else(by_code).copied().unwrap_or_default()
    }

    /// Reads a code written by [`Language::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|lang| lang.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_locales_map_to_a_language_with_english_as_fallback() {
        for (locale, lang) in [
            ("vi", Language::Vi),
            ("VI", Language::Vi),
            ("vi-VN", Language::Vi),
            ("en-US", Language::En),
            ("en-GB", Language::En),
            ("fr", Language::En),
            ("zh-TW", Language::En),
            ("", Language::En),
            ("video", Language::En),
        ] {
            assert_eq!(Language::from_discord_locale(locale), lang, "{locale}");
        }
    }

    #[test]
    fn codes_round_trip_and_are_what_the_store_keeps() {
        for &lang in Language::ALL {
            assert_eq!(Language::parse(lang.as_str()), Some(lang));
            let json = serde_json::to_string(&lang).unwrap();
            assert_eq!(json, format!("\"{}\"", lang.as_str()));
            assert_eq!(serde_json::from_str::<Language>(&json).unwrap(), lang);
        }
        assert_eq!(Language::parse("fr"), None);
        assert_eq!(Language::default(), Language::En);
    }
}
