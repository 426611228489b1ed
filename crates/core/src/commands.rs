//! Ticketbooth's slash commands: each defined once, as data, its names and descriptions in every
//! language from the Fluent files (`commands.ftl`), and parsed into [`SlashCommand`] before
//! anything acts on it.
//!
//! Discord always sends a command's base (English) name in an interaction, whatever the member's
//! locale, so parsing matches base names only.

use std::collections::HashMap;

use thiserror::Error;
use twilight_model::application::command::{
    Command, CommandOption, CommandOptionType, CommandType,
};
use twilight_model::application::interaction::InteractionContextType;
use twilight_model::application::interaction::application_command::{
    CommandData, CommandDataOption, CommandOptionValue,
};
use twilight_model::guild::Permissions;
use twilight_model::id::Id;

use crate::i18n::{Language, Lookup, catalog_text};
use crate::model::Snowflake;

/// The longest `/close` reason Discord will accept from the member.
pub const MAX_REASON_OPTION: u16 = 1000;
/// The `/close` option's name, as Discord sends it.
const REASON: &str = "reason";
/// The `/add` and `/remove` option's name, as Discord sends it.
const USER: &str = "user";

/// A parsed slash command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlashCommand {
    /// `/ticket`: the setup and management hub.
    Ticket,
    /// `/close [reason]`.
    Close { reason: Option<String> },
    /// `/claim`.
    Claim,
    /// `/unclaim`.
    Unclaim,
    /// `/add <user>`.
    Add { user: Snowflake },
    /// `/remove <user>`.
    Remove { user: Snowflake },
    /// `/stats`.
    Stats,
}

/// Why an application command could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommandParseError {
    /// Not one of ours (perhaps registered by an older version).
    #[error("unknown command /{name}")]
    Unknown { name: String },
    /// A required option is absent.
    #[error("option {option} is missing")]
    MissingOption { option: &'static str },
    /// An option has a type other than the definition's.
    #[error("option {option} has the wrong type")]
    WrongOptionType { option: &'static str },
}

/// A name and a description from the Fluent files (`commands.ftl`): the message's value is
/// the name, its `.description` attribute the description. The base texts are the default
/// language's; every other language gives the localizations for its Discord locales.
struct Texts {
    name: String,
    name_localizations: Option<HashMap<String, String>>,
    description: String,
    description_localizations: Option<HashMap<String, String>>,
}

impl Texts {
    fn of(id: &'static str) -> Texts {
        let name = Lookup::plain(id);
        let description = Lookup::attribute(id, "description");
        Texts {
            name: catalog_text(Language::default(), &name),
            name_localizations: localizations(&name),
            description: catalog_text(Language::default(), &description),
            description_localizations: localizations(&description),
        }
    }
}

fn localizations(lookup: &Lookup) -> Option<HashMap<String, String>> {
    let translated = Language::ALL
        .iter()
        .filter(|&&lang| lang != Language::default());
    Some(
        translated
            .flat_map(|&lang| {
                let text = catalog_text(lang, lookup);
                lang.discord_locales()
                    .iter()
                    .map(move |&locale| (locale.to_owned(), text.clone()))
            })
            .collect(),
    )
}

/// Every command's definition, for one bulk registration.
pub fn all() -> Vec<Command> {
    vec![
        ticket(),
        close(),
        command("command-claim", Vec::new()),
        command("command-unclaim", Vec::new()),
        command("command-add", vec![user()]),
        command("command-remove", vec![user()]),
        command("command-stats", Vec::new()),
    ]
}

// `dm_permission` is deprecated in favour of `contexts`, but the struct has no default.
#[allow(deprecated)]
fn command(id: &'static str, options: Vec<CommandOption>) -> Command {
    let texts = Texts::of(id);
    Command {
        application_id: None,
        contexts: Some(vec![InteractionContextType::Guild]),
        default_member_permissions: None,
        description: texts.description,
        description_localizations: texts.description_localizations,
        dm_permission: None,
        guild_id: None,
        id: None,
        integration_types: None,
        kind: CommandType::ChatInput,
        name: texts.name,
        name_localizations: texts.name_localizations,
        nsfw: None,
        options,
        version: Id::new(1),
    }
}

fn option(id: &'static str, kind: CommandOptionType, required: bool) -> CommandOption {
    let texts = Texts::of(id);
    CommandOption {
        autocomplete: None,
        channel_types: None,
        choices: None,
        description: texts.description,
        description_localizations: texts.description_localizations,
        kind,
        max_length: None,
        max_value: None,
        min_length: None,
        min_value: None,
        name: texts.name,
        name_localizations: texts.name_localizations,
        options: None,
        file_types: None,
        required: Some(required),
    }
}

fn user() -> CommandOption {
    option("option-user", CommandOptionType::User, true)
}

fn ticket() -> Command {
    let mut ticket = command("command-ticket", Vec::new());
    ticket.default_member_permissions = Some(Permissions::MANAGE_GUILD);
    ticket
}

fn close() -> Command {
    let mut reason = option("option-reason", CommandOptionType::String, false);
    reason.max_length = Some(MAX_REASON_OPTION);
    command("command-close", vec![reason])
}

impl SlashCommand {
    /// The command's base name, as Discord sends it.
    pub fn name(&self) -> &'static str {
        match self {
            SlashCommand::Ticket => "ticket",
            SlashCommand::Close { .. } => "close",
            SlashCommand::Claim => "claim",
            SlashCommand::Unclaim => "unclaim",
            SlashCommand::Add { .. } => "add",
            SlashCommand::Remove { .. } => "remove",
            SlashCommand::Stats => "stats",
        }
    }

    /// Parses an application command interaction; never panics.
    pub fn parse(data: &CommandData) -> Result<SlashCommand, CommandParseError> {
        let options = &data.options;
        Ok(match data.name.as_str() {
            "ticket" => SlashCommand::Ticket,
            "close" => SlashCommand::Close {
                reason: string_option(options, REASON)?
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned),
            },
            "claim" => SlashCommand::Claim,
            "unclaim" => SlashCommand::Unclaim,
            "add" => SlashCommand::Add {
                user: required_user(options)?,
            },
            "remove" => SlashCommand::Remove {
                user: required_user(options)?,
            },
            "stats" => SlashCommand::Stats,
            other => {
                return Err(CommandParseError::Unknown {
                    name: other.chars().take(32).collect(),
                });
            }
        })
    }
}

fn find<'a>(options: &'a [CommandDataOption], name: &str) -> Option<&'a CommandOptionValue> {
    options.iter().find(|o| o.name == name).map(|o| &o.value)
}

fn string_option<'a>(
    options: &'a [CommandDataOption],
    name: &'static str,
) -> Result<Option<&'a str>, CommandParseError> {
    match find(options, name) {
        None => Ok(None),
        Some(CommandOptionValue::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(CommandParseError::WrongOptionType { option: name }),
    }
}

fn required_user(options: &[CommandDataOption]) -> Result<Snowflake, CommandParseError> {
    match find(options, USER) {
        None => Err(CommandParseError::MissingOption { option: USER }),
        Some(CommandOptionValue::User(id)) => Ok(id.get()),
        Some(_) => Err(CommandParseError::WrongOptionType { option: USER }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Discord's rule for chat-input names: `^[-_\p{L}\p{N}]{1,32}$`, lowercase where a letter
    /// has case.
    fn valid_name(name: &str) -> bool {
        let len = name.chars().count();
        (1..=32).contains(&len)
            && name.chars().all(|c| {
                (c == '-' || c == '_' || c.is_alphabetic() || c.is_numeric())
                    && c.to_lowercase().eq(std::iter::once(c))
            })
    }

    /// The Discord locales of every language but the default, whose texts are the base ones.
    fn translated_locales() -> Vec<&'static str> {
        Language::ALL
            .iter()
            .filter(|&&lang| lang != Language::default())
            .flat_map(|lang| lang.discord_locales().iter().copied())
            .collect()
    }

    fn valid_description(d: &str) -> bool {
        (1..=100).contains(&d.chars().count())
    }

    #[test]
    fn the_name_rule_rejects_bad_names() {
        assert!(valid_name("thống-kê") && valid_name("đóng") && valid_name("a_b-1"));
        assert!(!valid_name("Close") && !valid_name("a b") && !valid_name("") && !valid_name("x!"));
        assert!(!valid_name(&"a".repeat(33)));
    }

    #[test]
    fn every_name_and_description_is_valid_in_both_languages() {
        let commands = all();
        assert_eq!(commands.len(), 7);
        for c in &commands {
            let names = c.name_localizations.as_ref().expect("localized name");
            let descriptions = c
                .description_localizations
                .as_ref()
                .expect("localized description");
            assert!(valid_name(&c.name) && valid_description(&c.description));
            assert_eq!(names.len(), translated_locales().len(), "{}", c.name);
            for locale in translated_locales() {
                assert!(valid_name(&names[locale]), "{} in {locale}", c.name);
                assert!(valid_description(&descriptions[locale]));
                assert_ne!(
                    c.description, descriptions[locale],
                    "{} is not translated to {locale}",
                    c.name
                );
            }
            assert_eq!(c.contexts, Some(vec![InteractionContextType::Guild]));
            for o in &c.options {
                let names = o.name_localizations.as_ref().expect("localized option");
                let descriptions = o.description_localizations.as_ref().expect("localized");
                assert!(valid_name(&o.name) && valid_description(&o.description));
                for locale in translated_locales() {
                    assert!(valid_name(&names[locale]), "{} in {locale}", o.name);
                    assert!(valid_description(&descriptions[locale]));
                }
            }
        }
        let ticket = commands.iter().find(|c| c.name == "ticket").unwrap();
        assert_eq!(
            ticket.default_member_permissions,
            Some(Permissions::MANAGE_GUILD)
        );
    }

    #[test]
    fn definitions_serialize_as_discord_expects() {
        let json = serde_json::to_value(all()).unwrap();
        let close = &json[1];
        assert_eq!(close["name"], "close");
        assert_eq!(close["name_localizations"]["vi"], "đóng");
        assert_eq!(close["options"][0]["type"], 3);
        assert_eq!(close["options"][0]["name"], REASON);
        assert_eq!(json[4]["options"][0]["name"], USER);
        assert_eq!(json[0]["default_member_permissions"], "32");
    }

    fn data(name: &str, options: Vec<CommandDataOption>) -> CommandData {
        CommandData {
            guild_id: None,
            id: Id::new(1),
            kind: CommandType::ChatInput,
            name: name.to_owned(),
            options,
            resolved: None,
            target_id: None,
        }
    }

    /// The interaction data Discord would send for `command`.
    fn to_data(command: &SlashCommand) -> CommandData {
        let options = match command {
            SlashCommand::Close { reason: Some(r) } => vec![CommandDataOption {
                name: "reason".into(),
                value: CommandOptionValue::String(r.clone()),
            }],
            SlashCommand::Add { user } | SlashCommand::Remove { user } => vec![CommandDataOption {
                name: "user".into(),
                value: CommandOptionValue::User(Id::new(*user)),
            }],
            _ => vec![],
        };
        data(command.name(), options)
    }

    fn arb_command() -> impl Strategy<Value = SlashCommand> {
        prop_oneof![
            Just(SlashCommand::Ticket),
            proptest::option::of("[a-z][a-z ]{0,50}[a-z]")
                .prop_map(|reason| SlashCommand::Close { reason }),
            Just(SlashCommand::Claim),
            Just(SlashCommand::Unclaim),
            (1..=u64::MAX).prop_map(|user| SlashCommand::Add { user }),
            (1..=u64::MAX).prop_map(|user| SlashCommand::Remove { user }),
            Just(SlashCommand::Stats),
        ]
    }

    proptest! {
        #[test]
        fn parse_round_trips(command in arb_command()) {
            prop_assert_eq!(SlashCommand::parse(&to_data(&command)), Ok(command));
        }

        #[test]
        fn unknown_names_are_refused(name in "\\PC{0,40}") {
            let known = all().iter().any(|c| c.name == name);
            let parsed = SlashCommand::parse(&data(&name, vec![]));
            prop_assert_eq!(known, !matches!(parsed, Err(CommandParseError::Unknown { .. })));
        }
    }

    #[test]
    fn bad_options_are_refused() {
        assert_eq!(
            SlashCommand::parse(&data("add", vec![])),
            Err(CommandParseError::MissingOption { option: "user" })
        );
        let wrong = CommandDataOption {
            name: "user".into(),
            value: CommandOptionValue::String("x".into()),
        };
        assert_eq!(
            SlashCommand::parse(&data("remove", vec![wrong])),
            Err(CommandParseError::WrongOptionType { option: "user" })
        );
        let blank = CommandDataOption {
            name: "reason".into(),
            value: CommandOptionValue::String("   ".into()),
        };
        assert_eq!(
            SlashCommand::parse(&data("close", vec![blank])),
            Ok(SlashCommand::Close { reason: None })
        );
    }

    #[test]
    fn every_definition_parses() {
        for c in all() {
            let options = c
                .options
                .iter()
                .filter(|o| o.required == Some(true))
                .map(|o| CommandDataOption {
                    name: o.name.clone(),
                    value: CommandOptionValue::User(Id::new(5)),
                })
                .collect();
            let parsed = SlashCommand::parse(&data(&c.name, options)).unwrap();
            assert_eq!(parsed.name(), c.name);
        }
    }
}
