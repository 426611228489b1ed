//! The message catalog: every text a person reads, in every language Ticketbooth speaks.
//!
//! The words live in Fluent files, one folder per language (`crates/core/locales/<code>/`),
//! embedded in the binary. The code asks for a typed [`Msg`] with its arguments; each variant
//! maps to one Fluent id, and the tests render every message in every language, so a missing
//! message or argument fails them rather than showing a blank text. Parameters that come from
//! users (topic names, server names) must be made safe by the caller (see [`crate::text`]);
//! the catalog inserts them as given.

mod catalog;
mod language;
mod log;
mod messages;
mod settings;
mod slot;
mod stats;
#[cfg(test)]
mod tests;
mod transcript;

pub use language::Language;
pub use log::{BlockedWork, JobWork, LogText};
pub use messages::Msg;
pub use settings::Setting;
pub use slot::Slot;
pub use stats::StatsText;
pub use transcript::TranscriptText;

pub(crate) use catalog::Lookup;

/// The longest topic name the hub accepts (so a list of every topic fits one message).
pub const MAX_TOPIC_NAME: usize = 50;

/// The message in `lang`.
pub fn text(lang: Language, msg: &Msg) -> String {
    match messages::lookup(lang, msg) {
        messages::Source::Catalog(lookup) => catalog::render(lang, &lookup),
        messages::Source::Built(text) => text,
    }
}

/// A message of the Fluent files that is no [`Msg`] (slash commands' names and descriptions),
/// in `lang`.
pub(crate) fn catalog_text(lang: Language, lookup: &Lookup) -> String {
    catalog::render(lang, lookup)
}
