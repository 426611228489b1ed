//! The loader: each language's Fluent files, embedded in the binary, parsed once into one
//! bundle per language, and the rendering of a message from them.
//!
//! Arguments are passed as text (ids, numbers already formatted), so Fluent's number
//! formatting never changes a digit, and Unicode isolation marks are off, or `<@{ $id }>` would
//! no longer be a mention.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use super::Language;

type Bundle = FluentBundle<FluentResource>;

/// One bundle per language, in the order of [`Language::ALL`].
static BUNDLES: LazyLock<Vec<Bundle>> =
    LazyLock::new(|| Language::ALL.iter().map(|&lang| load(lang)).collect());

/// A message of the catalog: its Fluent id, optionally one of its attributes, and its
/// arguments.
pub(crate) struct Lookup<'a> {
    pub id: &'static str,
    pub attribute: Option<&'static str>,
    pub args: FluentArgs<'a>,
}

impl<'a> Lookup<'a> {
    pub fn new<const N: usize>(
        id: &'static str,
        args: [(&'static str, FluentValue<'a>); N],
    ) -> Self {
        Lookup {
            id,
            attribute: None,
            args: args.into_iter().collect(),
        }
    }

    pub fn plain(id: &'static str) -> Self {
        Lookup::new(id, [])
    }

    /// The message's attribute `attribute` instead of its value.
    pub fn attribute(id: &'static str, attribute: &'static str) -> Self {
        Lookup {
            attribute: Some(attribute),
            ..Lookup::plain(id)
        }
    }
}

/// An argument shown as written: a number or an id (formatted by Rust, not by Fluent).
pub(crate) fn shown(value: impl std::fmt::Display) -> FluentValue<'static> {
    FluentValue::from(value.to_string())
}

/// Parses a language's files into its bundle. The files are part of the binary and the tests
/// load every one of them, so a syntax error or a duplicate id cannot reach a release.
fn load(lang: Language) -> Bundle {
    let id: LanguageIdentifier = lang
        .as_str()
        .parse()
        .expect("a language's code is a language identifier");
    let mut bundle = Bundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    for &(file, source) in lang.ftl_sources() {
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(_, errors)| {
            panic!(
                "locales/{}/{file} does not parse: {errors:?}",
                lang.as_str()
            )
        });
        if let Err(errors) = bundle.add_resource(resource) {
            panic!("locales/{}/{file}: {errors:?}", lang.as_str());
        }
    }
    bundle
}

fn bundle(lang: Language) -> &'static Bundle {
    let index = Language::ALL
        .iter()
        .position(|&l| l == lang)
        .expect("every language is in Language::ALL");
    &BUNDLES[index]
}

/// The message in `lang`. A message missing or broken in `lang` falls back to English, and one
/// broken there too shows its id: never a blank text. The tests render every message in
/// every language, and there a fallback fails them.
pub(crate) fn render(lang: Language, lookup: &Lookup) -> String {
    #[cfg(test)]
    used::record(lookup);
    match try_render(lang, lookup) {
        Ok(text) => text,
        Err(error) => {
            if cfg!(test) {
                panic!("{error}");
            }
            try_render(Language::default(), lookup).unwrap_or_else(|_| lookup.id.to_owned())
        }
    }
}

fn try_render(lang: Language, lookup: &Lookup) -> Result<String, String> {
    let bundle = bundle(lang);
    let code = lang.as_str();
    let id = lookup.id;
    let message = bundle
        .get_message(id)
        .ok_or_else(|| format!("{code}: no message {id}"))?;
    let pattern = match lookup.attribute {
        None => message.value(),
        Some(attribute) => message.get_attribute(attribute).map(|a| a.value()),
    }
    .ok_or_else(|| format!("{code}: {id} has no {:?}", lookup.attribute))?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&lookup.args), &mut errors);
    if errors.is_empty() {
        Ok(text.into_owned())
    } else {
        Err(format!("{code}: {id}: {errors:?}"))
    }
}

/// Which messages the tests rendered, to find messages no code uses.
#[cfg(test)]
pub(crate) mod used {
    use std::cell::RefCell;
    use std::collections::BTreeSet;

    use super::Lookup;

    thread_local! {
        static USED: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
    }

    pub fn record(lookup: &Lookup) {
        let key = match lookup.attribute {
            Some(attribute) => format!("{}.{attribute}", lookup.id),
            None => lookup.id.to_owned(),
        };
        USED.with(|used| used.borrow_mut().insert(key));
    }

    /// The messages rendered on this thread so far.
    pub fn take() -> BTreeSet<String> {
        USED.with(|used| std::mem::take(&mut *used.borrow_mut()))
    }
}
