//! Ticketbooth's slash commands: each defined once, as data, in English and Vietnamese, and
//! parsed into [`SlashCommand`] before anything acts on it.
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

use crate::model::Snowflake;

/// Discord's locale key for Vietnamese.
const VI: &str = "vi";
/// The longest `/close` reason Discord will accept from the member.
pub const MAX_REASON_OPTION: u16 = 1000;

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

/// One localized text: English, then Vietnamese.
struct Text {
    en: &'static str,
    vi: &'static str,
}

impl Text {
    fn localizations(&self) -> Option<HashMap<String, String>> {
        Some(HashMap::from([(VI.to_owned(), self.vi.to_owned())]))
    }
}

const REASON: Text = Text {
    en: "reason",
    vi: "lý-do",
};
const USER: Text = Text {
    en: "user",
    vi: "thành-viên",
};

/// Every command's definition, for one bulk registration.
pub fn all() -> Vec<Command> {
    vec![
        ticket(),
        close(),
        simple(
            Text {
                en: "claim",
                vi: "nhận",
            },
            Text {
                en: "Claim this ticket: you will handle it",
                vi: "Nhận xử lý ticket này",
            },
        ),
        simple(
            Text {
                en: "unclaim",
                vi: "bỏ-nhận",
            },
            Text {
                en: "Release this ticket so another staff member can take it",
                vi: "Bỏ nhận ticket này để nhân viên khác xử lý",
            },
        ),
        with_user(
            Text {
                en: "add",
                vi: "thêm",
            },
            Text {
                en: "Add a member to this ticket",
                vi: "Thêm một thành viên vào ticket này",
            },
        ),
        with_user(
            Text {
                en: "remove",
                vi: "xóa",
            },
            Text {
                en: "Remove a member from this ticket",
                vi: "Xóa một thành viên khỏi ticket này",
            },
        ),
        simple(
            Text {
                en: "stats",
                vi: "thống-kê",
            },
            Text {
                en: "Ticket statistics for this server",
                vi: "Thống kê ticket của máy chủ này",
            },
        ),
    ]
}

// `dm_permission` is deprecated in favour of `contexts`, but the struct has no default.
#[allow(deprecated)]
fn command(name: Text, description: Text, options: Vec<CommandOption>) -> Command {
    Command {
        application_id: None,
        contexts: Some(vec![InteractionContextType::Guild]),
        default_member_permissions: None,
        description: description.en.to_owned(),
        description_localizations: description.localizations(),
        dm_permission: None,
        guild_id: None,
        id: None,
        integration_types: None,
        kind: CommandType::ChatInput,
        name: name.en.to_owned(),
        name_localizations: name.localizations(),
        nsfw: None,
        options,
        version: Id::new(1),
    }
}

fn option(name: Text, description: Text, kind: CommandOptionType, required: bool) -> CommandOption {
    CommandOption {
        autocomplete: None,
        channel_types: None,
        choices: None,
        description: description.en.to_owned(),
        description_localizations: description.localizations(),
        kind,
        max_length: None,
        max_value: None,
        min_length: None,
        min_value: None,
        name: name.en.to_owned(),
        name_localizations: name.localizations(),
        options: None,
        file_types: None,
        required: Some(required),
    }
}

fn simple(name: Text, description: Text) -> Command {
    command(name, description, Vec::new())
}

fn with_user(name: Text, description: Text) -> Command {
    let user = option(
        USER,
        Text {
            en: "The member",
            vi: "Thành viên",
        },
        CommandOptionType::User,
        true,
    );
    command(name, description, vec![user])
}

fn ticket() -> Command {
    let mut ticket = simple(
        Text {
            en: "ticket",
            vi: "ticket",
        },
        Text {
            en: "Set up and manage the ticket system",
            vi: "Cài đặt và quản lý hệ thống ticket",
        },
    );
    ticket.default_member_permissions = Some(Permissions::MANAGE_GUILD);
    ticket
}

fn close() -> Command {
    let mut reason = option(
        REASON,
        Text {
            en: "Why the ticket is closed",
            vi: "Lý do đóng ticket",
        },
        CommandOptionType::String,
        false,
    );
    reason.max_length = Some(MAX_REASON_OPTION);
    command(
        Text {
            en: "close",
            vi: "đóng",
        },
        Text {
            en: "Close this ticket",
            vi: "Đóng ticket này",
        },
        vec![reason],
    )
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
                reason: string_option(options, REASON.en)?
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
    match find(options, USER.en) {
        None => Err(CommandParseError::MissingOption { option: USER.en }),
        Some(CommandOptionValue::User(id)) => Ok(id.get()),
        Some(_) => Err(CommandParseError::WrongOptionType { option: USER.en }),
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
            assert!(valid_name(&c.name) && valid_name(&names[VI]), "{}", c.name);
            assert!(valid_description(&c.description) && valid_description(&descriptions[VI]));
            assert_ne!(
                c.description, descriptions[VI],
                "{} is not translated",
                c.name
            );
            assert_eq!(c.contexts, Some(vec![InteractionContextType::Guild]));
            for o in &c.options {
                let names = o.name_localizations.as_ref().expect("localized option");
                assert!(valid_name(&o.name) && valid_name(&names[VI]), "{}", o.name);
                assert!(valid_description(&o.description));
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
