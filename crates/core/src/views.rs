//! Every message and modal Ticketbooth shows, as plain data in Discord's own types.
//!
//! Views take the records and a language and return what to send; they decide nothing. Each
//! message carries explicit allowed mentions (none unless a view says otherwise), and every
//! piece of user text is bounded and made inert with [`crate::text`] before it goes in.

use twilight_model::application::interaction::modal::{
    ModalInteractionComponent, ModalInteractionData,
};
use twilight_model::channel::ChannelType;
use twilight_model::channel::message::component::{
    ActionRow, Button, ButtonStyle, SelectDefaultValue, SelectMenu, SelectMenuOption,
    SelectMenuType, TextInput, TextInputStyle,
};
use twilight_model::channel::message::embed::{EmbedField, EmbedFooter};
use twilight_model::channel::message::{AllowedMentions, Component, Embed, MessageFlags};
use twilight_model::http::interaction::{
    InteractionResponse, InteractionResponseData, InteractionResponseType,
};
use twilight_model::id::Id;

use crate::custom_id::{CustomId, HubId, InputId};
use crate::i18n::{MAX_TOPIC_NAME, Msg, Setting, Slot, text};
use crate::model::{
    CloseHow, ClosingMode, GuildSettings, Language, Naming, Panel, Snowflake, Ticket, Topic,
    WhoMayClose,
};
use crate::naming::{TemplateError, validate_template};
use crate::text::{neutralize_mentions, truncate_chars, user_text};

/// The green of the seed's It Works! embed (`discord.Color.green()`).
pub const GREEN: u32 = 0x2E_CC_71;
/// The orange of the help request.
pub const ORANGE: u32 = 0xE6_7E_22;
/// The red of the closed embed.
pub const RED: u32 = 0xE7_4C_3C;

/// Discord's limit on the characters of all embeds in one message.
pub const MAX_EMBED_TOTAL: usize = 6000;
/// The longest panel or welcome footer kept, so a whole embed stays under 6000 characters.
pub const MAX_FOOTER: usize = 500;
/// The most staff roles pinged by one help request.
pub const MAX_PINGED_ROLES: usize = 50;

/// The allowed range of the server's open-ticket limit.
pub const MAX_OPEN_TOTAL_RANGE: (u32, u32) = (1, 500);
/// The allowed range of the per-member open-ticket limit.
pub const MAX_OPEN_PER_MEMBER_RANGE: (u32, u32) = (1, 10);
/// The allowed range of the deletion delay, in seconds.
pub const DELETE_DELAY_RANGE: (u32, u32) = (0, 86_400);

/// Values of the hub's string selects.
pub mod values {
    pub const CLOSING_DELETE: &str = "delete";
    pub const CLOSING_KEEP: &str = "keep";
    pub const WHO_OWNER_AND_STAFF: &str = "owner_and_staff";
    pub const WHO_STAFF_ONLY: &str = "staff_only";

    /// Reads the who-may-close select's value.
    pub fn who_may_close(value: &str) -> Option<crate::model::WhoMayClose> {
        use crate::model::WhoMayClose;
        match value {
            WHO_OWNER_AND_STAFF => Some(WhoMayClose::OwnerAndStaff),
            WHO_STAFF_ONLY => Some(WhoMayClose::StaffOnly),
            _ => None,
        }
    }
}

/// A message to post, or to answer an interaction with.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageView {
    pub content: Option<String>,
    pub embeds: Vec<Embed>,
    pub components: Vec<Component>,
    pub allowed_mentions: AllowedMentions,
    /// Visible only to the member who acted (interaction replies only).
    pub ephemeral: bool,
}

impl MessageView {
    fn new(content: Option<String>, embeds: Vec<Embed>, components: Vec<Component>) -> Self {
        MessageView {
            content,
            embeds,
            components,
            allowed_mentions: AllowedMentions::default(),
            ephemeral: false,
        }
    }

    fn ephemeral(mut self) -> Self {
        self.ephemeral = true;
        self
    }

    /// The characters Discord counts against its 6000 for the message's embeds.
    pub fn embed_chars(&self) -> usize {
        self.embeds.iter().map(embed_chars).sum()
    }

    /// The view as an interaction response of `kind` (a new message, or an update).
    pub fn response(self, kind: InteractionResponseType) -> InteractionResponse {
        InteractionResponse {
            kind,
            data: Some(self.into()),
        }
    }
}

impl From<MessageView> for InteractionResponseData {
    fn from(view: MessageView) -> Self {
        InteractionResponseData {
            allowed_mentions: Some(view.allowed_mentions),
            components: Some(view.components),
            content: view.content,
            embeds: Some(view.embeds),
            flags: view.ephemeral.then_some(MessageFlags::EPHEMERAL),
            ..Default::default()
        }
    }
}

/// The characters of one embed that count against Discord's 6000.
pub fn embed_chars(embed: &Embed) -> usize {
    let len = |s: &Option<String>| s.as_deref().map_or(0, |s| s.chars().count());
    len(&embed.title)
        + len(&embed.description)
        + embed.footer.as_ref().map_or(0, |f| f.text.chars().count())
        + embed.author.as_ref().map_or(0, |a| a.name.chars().count())
        + embed
            .fields
            .iter()
            .map(|f| f.name.chars().count() + f.value.chars().count())
            .sum::<usize>()
}

/// The catalog's text, cut to its slot's limit (parameters can make it longer).
fn t(lang: Language, msg: &Msg) -> String {
    truncate_chars(&text(lang, msg), msg.slot().max_chars())
}

fn embed(title: String, description: Option<String>, color: u32) -> Embed {
    Embed {
        author: None,
        color: Some(color),
        description,
        fields: Vec::new(),
        flags: None,
        footer: None,
        image: None,
        kind: "rich".to_owned(),
        provider: None,
        thumbnail: None,
        timestamp: None,
        title: Some(truncate_chars(&title, Slot::EmbedTitle.max_chars())),
        url: None,
        video: None,
    }
}

fn field(name: String, value: String, inline: bool) -> EmbedField {
    EmbedField {
        inline,
        name: truncate_chars(&name, Slot::FieldName.max_chars()),
        value: truncate_chars(&value, Slot::FieldValue.max_chars()),
    }
}

fn footer(text: &str) -> Option<EmbedFooter> {
    let text = neutralize_mentions(text.trim());
    (!text.is_empty()).then(|| EmbedFooter {
        icon_url: None,
        proxy_icon_url: None,
        text: truncate_chars(&text, MAX_FOOTER),
    })
}

fn button(style: ButtonStyle, label: String, id: CustomId) -> Component {
    Component::Button(Button {
        custom_id: Some(id.encode()),
        disabled: false,
        emoji: None,
        id: None,
        label: Some(truncate_chars(&label, Slot::Button.max_chars())),
        sku_id: None,
        style,
        url: None,
    })
}

fn link_button(label: String, url: String) -> Component {
    Component::Button(Button {
        custom_id: None,
        disabled: false,
        emoji: None,
        id: None,
        label: Some(truncate_chars(&label, Slot::Button.max_chars())),
        sku_id: None,
        style: ButtonStyle::Link,
        url: Some(url),
    })
}

/// Buttons in rows of at most five (Discord's limit).
fn rows(buttons: Vec<Component>) -> Vec<Component> {
    buttons
        .chunks(5)
        .map(|chunk| {
            Component::ActionRow(ActionRow {
                components: chunk.to_vec(),
                id: None,
            })
        })
        .collect()
}

fn select_row(menu: SelectMenu) -> Component {
    Component::ActionRow(ActionRow {
        components: vec![Component::SelectMenu(menu)],
        id: None,
    })
}

fn select(kind: SelectMenuType, id: CustomId, placeholder: String) -> SelectMenu {
    SelectMenu {
        channel_types: None,
        custom_id: id.encode(),
        default_values: None,
        disabled: false,
        id: None,
        kind,
        max_values: None,
        min_values: None,
        options: None,
        placeholder: Some(truncate_chars(&placeholder, Slot::Placeholder.max_chars())),
        required: None,
    }
}

fn option(label: String, value: &str, default: bool) -> SelectMenuOption {
    SelectMenuOption {
        default,
        description: None,
        emoji: None,
        label: truncate_chars(&label, Slot::SelectOption.max_chars()),
        value: value.to_owned(),
    }
}

fn channel_url(guild_id: Snowflake, channel_id: Snowflake) -> String {
    format!("https://discord.com/channels/{guild_id}/{channel_id}")
}

fn mention_only_user(user: Snowflake) -> AllowedMentions {
    AllowedMentions {
        users: Id::new_checked(user).into_iter().collect(),
        ..AllowedMentions::default()
    }
}

/// A short ephemeral reply with one catalog message, in the member's language.
pub fn ephemeral(lang: Language, msg: &Msg) -> MessageView {
    MessageView::new(Some(t(lang, msg)), Vec::new(), Vec::new()).ephemeral()
}

/// An ephemeral error or refusal; the same as [`ephemeral`], named for call sites.
pub fn error_ephemeral(msg: &Msg, lang: Language) -> MessageView {
    ephemeral(lang, msg)
}

/// A non-ephemeral notice in a ticket channel in the server's language (claims, members added).
pub fn notice(settings: &GuildSettings, msg: &Msg) -> MessageView {
    MessageView::new(Some(t(settings.language, msg)), Vec::new(), Vec::new())
}

/// The log channel's note of a settings change: one line per changed setting, from what to
/// what, or `None` when nothing changed. Pings nobody, though it names roles.
pub fn settings_changed(
    lang: Language,
    by: Snowflake,
    old: &GuildSettings,
    new: &GuildSettings,
) -> Option<MessageView> {
    let lines: Vec<String> = Setting::changed(old, new)
        .into_iter()
        .map(|setting| {
            let name = text(lang, &Msg::SettingName(setting));
            let from = t(lang, &Msg::SettingValue(setting, old));
            let to = t(lang, &Msg::SettingValue(setting, new));
            text(
                lang,
                &Msg::SettingChanged {
                    by,
                    setting: &name,
                    from: &from,
                    to: &to,
                },
            )
        })
        .collect();
    (!lines.is_empty()).then(|| {
        let content = truncate_chars(&lines.join("\n"), Slot::Content.max_chars());
        MessageView::new(Some(content), Vec::new(), Vec::new())
    })
}

/// The panel: the admin's embed and the "Open a ticket" button.
pub fn panel(panel: &Panel, lang: Language) -> MessageView {
    let title = match panel.title.trim() {
        "" => text(lang, &Msg::PanelTitle),
        title => neutralize_mentions(title),
    };
    let description = match panel.description.trim() {
        "" => text(lang, &Msg::PanelDescription),
        description => neutralize_mentions(description),
    };
    let mut e = embed(
        title,
        Some(truncate_chars(
            &description,
            Slot::EmbedDescription.max_chars(),
        )),
        GuildSettings::DEFAULT_COLOR,
    );
    e.footer = footer(&panel.footer);
    let open = button(
        ButtonStyle::Primary,
        t(lang, &Msg::OpenTicketButton),
        CustomId::OpenTicket { panel_id: panel.id },
    );
    MessageView::new(None, vec![e], rows(vec![open]))
}

/// The topic select shown (ephemerally) before a ticket opens; each value is a topic id.
pub fn topic_select(lang: Language, panel_id: i64, topics: &[Topic]) -> MessageView {
    let options = topics
        .iter()
        .take(25)
        .map(|topic| SelectMenuOption {
            default: false,
            description: topic
                .description
                .as_deref()
                .map(|d| truncate_chars(d, Slot::SelectOption.max_chars())),
            emoji: None,
            label: truncate_chars(&topic_label(topic), Slot::SelectOption.max_chars()),
            value: topic.id.to_string(),
        })
        .collect();
    let mut menu = select(
        SelectMenuType::Text,
        CustomId::PickTopic { panel_id },
        t(lang, &Msg::TopicPlaceholder),
    );
    menu.options = Some(options);
    MessageView::new(
        Some(t(lang, &Msg::TopicPrompt)),
        Vec::new(),
        vec![select_row(menu)],
    )
    .ephemeral()
}

/// A topic's name with its emoji, as a select option shows it (options render no markdown).
fn topic_label(topic: &Topic) -> String {
    match topic.emoji.as_deref().map(str::trim) {
        Some(emoji) if !emoji.is_empty() => format!("{emoji} {}", topic.name),
        _ => topic.name.clone(),
    }
}

/// The welcome message in a new ticket: mentions the owner (and only them), the seed's embed,
/// and ✅ It Works!, 🆘 Need Help, 🔒 Close.
pub fn welcome(ticket: &Ticket, settings: &GuildSettings, topic: Option<&Topic>) -> MessageView {
    let lang = settings.language;
    let category = match (topic, ticket.topic.as_deref()) {
        (Some(topic), _) => user_text(&topic_label(topic), MAX_TOPIC_NAME * 2),
        (None, Some(name)) => user_text(name, MAX_TOPIC_NAME * 2),
        (None, None) => text(lang, &Msg::DefaultCategory),
    };
    let or_default = |custom: &str, default: Msg| match custom.trim() {
        "" => text(lang, &default),
        custom => neutralize_mentions(custom),
    };
    let mut e = embed(
        text(lang, &Msg::WelcomeTitle),
        Some(t(
            lang,
            &Msg::WelcomeDescription {
                owner: ticket.owner_id,
            },
        )),
        settings.color,
    );
    e.fields = vec![
        field(text(lang, &Msg::FieldCategory), category, true),
        field(
            text(lang, &Msg::FieldResponseTime),
            or_default(&settings.response_time, Msg::DefaultResponseTime),
            true,
        ),
        field(
            text(lang, &Msg::FieldInstructions),
            or_default(&settings.instructions, Msg::DefaultInstructions),
            false,
        ),
    ];
    e.footer = footer(&settings.footer);
    let buttons = vec![
        button(
            ButtonStyle::Success,
            t(lang, &Msg::ItWorksButton),
            CustomId::ItWorks {
                ticket_id: ticket.id,
            },
        ),
        button(
            ButtonStyle::Primary,
            t(lang, &Msg::NeedHelpButton),
            CustomId::NeedHelp {
                ticket_id: ticket.id,
            },
        ),
        button(
            ButtonStyle::Danger,
            t(lang, &Msg::CloseButton),
            CustomId::Close {
                ticket_id: ticket.id,
            },
        ),
    ];
    let mut view = MessageView::new(
        Some(format!("<@{}>", ticket.owner_id)),
        vec![e],
        rows(buttons),
    );
    view.allowed_mentions = mention_only_user(ticket.owner_id);
    view
}

/// The ephemeral confirmation after opening, with a link button to the channel.
pub fn ticket_opened(lang: Language, guild_id: Snowflake, channel_id: Snowflake) -> MessageView {
    opened_with(
        lang,
        guild_id,
        channel_id,
        &Msg::TicketOpened {
            channel: channel_id,
        },
    )
}

/// The member's answer when the ticket is open but its welcome message follows later (Discord
/// kept failing it while they waited): where the ticket is, and that the buttons will come.
pub fn ticket_opened_welcome_later(
    lang: Language,
    guild_id: Snowflake,
    channel_id: Snowflake,
) -> MessageView {
    let text = Msg::TicketOpenedWelcomeLater {
        channel: channel_id,
    };
    opened_with(lang, guild_id, channel_id, &text)
}

fn opened_with(
    lang: Language,
    guild_id: Snowflake,
    channel_id: Snowflake,
    text: &Msg,
) -> MessageView {
    MessageView::new(
        Some(t(lang, text)),
        Vec::new(),
        rows(vec![link_button(
            t(lang, &Msg::GoToTicketButton),
            channel_url(guild_id, channel_id),
        )]),
    )
    .ephemeral()
}

/// The DM sent to the owner when their ticket opens; `guild_name` is escaped here.
pub fn dm_ticket_opened(
    lang: Language,
    guild_name: &str,
    guild_id: Snowflake,
    channel_id: Snowflake,
) -> MessageView {
    let guild = user_text(guild_name, 100);
    MessageView::new(
        Some(t(
            lang,
            &Msg::DmTicketOpened {
                guild: &guild,
                channel: channel_id,
            },
        )),
        Vec::new(),
        rows(vec![link_button(
            t(lang, &Msg::GoToTicketButton),
            channel_url(guild_id, channel_id),
        )]),
    )
}

/// 🆘 Need Help: pings exactly the staff roles (allowed mentions list them and nothing else),
/// with a Claim button.
pub fn help_request(ticket: &Ticket, settings: &GuildSettings) -> MessageView {
    let lang = settings.language;
    let roles: Vec<Snowflake> = settings
        .staff_roles
        .iter()
        .copied()
        .filter(|r| *r != 0)
        .take(MAX_PINGED_ROLES)
        .collect();
    let content = if roles.is_empty() {
        t(lang, &Msg::HelpNoStaffConfigured)
    } else {
        roles
            .iter()
            .map(|r| format!("<@&{r}>"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let e = embed(
        text(lang, &Msg::HelpTitle),
        Some(t(
            lang,
            &Msg::HelpDescription {
                owner: ticket.owner_id,
            },
        )),
        ORANGE,
    );
    let claim = button(
        ButtonStyle::Primary,
        t(lang, &Msg::ClaimButton),
        CustomId::Claim {
            ticket_id: ticket.id,
        },
    );
    let mut view = MessageView::new(Some(content), vec![e], rows(vec![claim]));
    view.allowed_mentions = AllowedMentions {
        roles: roles.into_iter().filter_map(Id::new_checked).collect(),
        ..AllowedMentions::default()
    };
    view
}

/// A staff member claimed the ticket; offers Unclaim. Pings nobody.
pub fn claimed(ticket: &Ticket, settings: &GuildSettings) -> MessageView {
    let by = ticket.claimed_by.unwrap_or_default();
    let mut view = notice(settings, &Msg::Claimed { by });
    view.components = rows(vec![button(
        ButtonStyle::Secondary,
        t(settings.language, &Msg::UnclaimButton),
        CustomId::Unclaim {
            ticket_id: ticket.id,
        },
    )]);
    view
}

/// The ticket was released by `by`.
pub fn unclaimed(settings: &GuildSettings, by: Snowflake) -> MessageView {
    notice(settings, &Msg::Unclaimed { by })
}

/// `user` was added to the ticket by `by`.
pub fn member_added(settings: &GuildSettings, user: Snowflake, by: Snowflake) -> MessageView {
    notice(settings, &Msg::MemberAdded { user, by })
}

/// `user` was removed from the ticket by `by`.
pub fn member_removed(settings: &GuildSettings, user: Snowflake, by: Snowflake) -> MessageView {
    notice(settings, &Msg::MemberRemoved { user, by })
}

/// The ticket was reopened by `by`.
pub fn reopened(settings: &GuildSettings, by: Snowflake) -> MessageView {
    notice(settings, &Msg::Reopened { by })
}

/// The ephemeral "close this ticket?" after 🔒 Close: confirm, or close with a reason.
pub fn close_confirm(lang: Language, ticket_id: i64) -> MessageView {
    MessageView::new(
        Some(t(lang, &Msg::CloseConfirmPrompt)),
        Vec::new(),
        rows(vec![
            button(
                ButtonStyle::Danger,
                t(lang, &Msg::CloseConfirmButton),
                CustomId::CloseConfirm { ticket_id },
            ),
            button(
                ButtonStyle::Secondary,
                t(lang, &Msg::CloseWithReasonButton),
                CustomId::CloseReasonModal { ticket_id },
            ),
        ]),
    )
    .ephemeral()
}

/// The closing message: the seed's green "resolved" embed after It Works!, the red "closed"
/// embed otherwise, naming who closed it, how and why. In keep mode it carries 🗑 Delete
/// Channel and ↩ Reopen; in delete mode its footer says when the channel goes.
pub fn closed(ticket: &Ticket, settings: &GuildSettings) -> MessageView {
    let lang = settings.language;
    let by = ticket.closed_by.unwrap_or(ticket.owner_id);
    let how = ticket.close_how.unwrap_or(CloseHow::Staff);
    let mut e = if how == CloseHow::ItWorks {
        embed(
            text(lang, &Msg::ResolvedTitle),
            Some(t(
                lang,
                &Msg::ResolvedDescription {
                    owner: ticket.owner_id,
                },
            )),
            GREEN,
        )
    } else {
        let mut e = embed(
            text(lang, &Msg::ClosedTitle),
            Some(t(lang, &Msg::ClosedBy { by, how })),
            RED,
        );
        let reason = match ticket.close_reason.as_deref() {
            Some(reason) => user_text(reason, Slot::FieldValue.max_chars()),
            None => text(lang, &Msg::NoReason),
        };
        e.fields = vec![field(text(lang, &Msg::FieldReason), reason, false)];
        e
    };
    let (footer_msg, components) = match settings.closing {
        ClosingMode::Delete { after_secs } => (Msg::ClosingIn { secs: after_secs }, Vec::new()),
        ClosingMode::Keep => (
            Msg::ChannelLocked,
            rows(vec![
                button(
                    ButtonStyle::Danger,
                    t(lang, &Msg::DeleteChannelButton),
                    CustomId::DeleteChannel {
                        ticket_id: ticket.id,
                    },
                ),
                button(
                    ButtonStyle::Secondary,
                    t(lang, &Msg::ReopenButton),
                    CustomId::Reopen {
                        ticket_id: ticket.id,
                    },
                ),
            ]),
        ),
    };
    e.footer = footer(&t(lang, &footer_msg));
    MessageView::new(None, vec![e], components)
}

/// The seed's It Works! message; the same as [`closed`] for a ticket closed that way.
pub fn resolved(ticket: &Ticket, settings: &GuildSettings) -> MessageView {
    closed(ticket, settings)
}

/// The value a modal's text input was submitted with (whether the input sits in an action row
/// or a label).
pub fn modal_value(data: &ModalInteractionData, input: InputId) -> Option<String> {
    fn find(components: &[ModalInteractionComponent], id: &str) -> Option<String> {
        components.iter().find_map(|c| find_one(c, id))
    }
    fn find_one(component: &ModalInteractionComponent, id: &str) -> Option<String> {
        match component {
            ModalInteractionComponent::ActionRow(row) => find(&row.components, id),
            ModalInteractionComponent::Label(label) => find_one(&label.component, id),
            ModalInteractionComponent::TextInput(input) if input.custom_id == id => {
                Some(input.value.clone())
            }
            _ => None,
        }
    }
    find(&data.components, input.as_str())
}

/// One text input of a modal.
struct Input {
    id: InputId,
    label: String,
    long: bool,
    required: bool,
    max: u16,
    value: Option<String>,
}

// Text inputs carry their own label inside action rows: Discord now prefers a Label component
// around them, but still accepts this classic form, which every client renders.
#[allow(deprecated)]
fn modal(title: String, id: CustomId, inputs: Vec<Input>) -> InteractionResponseData {
    let components = inputs
        .into_iter()
        .take(5)
        .map(|input| {
            Component::ActionRow(ActionRow {
                components: vec![Component::TextInput(TextInput {
                    custom_id: input.id.as_str().to_owned(),
                    id: None,
                    label: Some(truncate_chars(&input.label, Slot::InputLabel.max_chars())),
                    max_length: Some(input.max),
                    min_length: None,
                    placeholder: None,
                    required: Some(input.required),
                    style: if input.long {
                        TextInputStyle::Paragraph
                    } else {
                        TextInputStyle::Short
                    },
                    value: input
                        .value
                        .filter(|v| !v.is_empty())
                        .map(|v| truncate_chars(&v, usize::from(input.max))),
                })],
                id: None,
            })
        })
        .collect();
    InteractionResponseData {
        components: Some(components),
        custom_id: Some(id.encode()),
        title: Some(truncate_chars(&title, Slot::ModalTitle.max_chars())),
        ..Default::default()
    }
}

/// Manage → Revoke transcript links: the ticket's number.
pub fn revoke_links_modal(lang: Language) -> InteractionResponseData {
    modal(
        t(lang, &Msg::RevokeLinksModalTitle),
        CustomId::Hub(HubId::RevokeLinksModal),
        vec![Input {
            id: InputId::TicketNumber,
            label: t(lang, &Msg::TicketNumberLabel),
            long: false,
            required: true,
            max: 19,
            value: None,
        }],
    )
}

/// The modal asking for a close reason.
pub fn close_reason_modal(lang: Language, ticket_id: i64) -> InteractionResponseData {
    modal(
        t(lang, &Msg::CloseReasonModalTitle),
        CustomId::CloseReasonModal { ticket_id },
        vec![Input {
            id: InputId::Reason,
            label: t(lang, &Msg::ReasonLabel),
            long: true,
            required: false,
            max: crate::lifecycle::MAX_REASON_CHARS as u16,
            value: None,
        }],
    )
}

// ----- The `/ticket` hub -----

fn hub_button(style: ButtonStyle, lang: Language, msg: Msg, id: HubId) -> Component {
    button(style, t(lang, &msg), CustomId::Hub(id))
}

fn back_and_cancel(lang: Language, back_to: HubId) -> Vec<Component> {
    vec![
        hub_button(ButtonStyle::Secondary, lang, Msg::BackButton, back_to),
        hub_button(
            ButtonStyle::Secondary,
            lang,
            Msg::CancelButton,
            HubId::Cancel,
        ),
    ]
}

fn hub_screen(
    lang: Language,
    title: Msg,
    description: String,
    mut components: Vec<Component>,
    back_to: Option<HubId>,
) -> MessageView {
    let e = embed(
        t(lang, &title),
        Some(truncate_chars(
            &description,
            Slot::EmbedDescription.max_chars(),
        )),
        GuildSettings::DEFAULT_COLOR,
    );
    let nav = match back_to {
        Some(to) => back_and_cancel(lang, to),
        None => vec![hub_button(
            ButtonStyle::Secondary,
            lang,
            Msg::CancelButton,
            HubId::Cancel,
        )],
    };
    components.extend(rows(nav));
    MessageView::new(None, vec![e], components).ephemeral()
}

/// The hub's first screen: the current settings, Setup and Manage.
pub fn hub_home(lang: Language, settings: &GuildSettings) -> MessageView {
    let description = format!(
        "{}\n\n{}",
        text(lang, &Msg::HubDescription),
        text(lang, &Msg::SettingsSummary(settings))
    );
    let buttons = rows(vec![
        hub_button(ButtonStyle::Primary, lang, Msg::SetupButton, HubId::Setup),
        hub_button(ButtonStyle::Primary, lang, Msg::ManageButton, HubId::Manage),
    ]);
    hub_screen(lang, Msg::HubTitle, description, buttons, None)
}

/// Setup: every setting with its current value, and a button per setting.
pub fn hub_setup(lang: Language, settings: &GuildSettings) -> MessageView {
    let b = |msg, id| hub_button(ButtonStyle::Secondary, lang, msg, id);
    let toggle = if settings.enabled {
        hub_button(
            ButtonStyle::Danger,
            lang,
            Msg::DisableButton,
            HubId::Disable,
        )
    } else {
        hub_button(ButtonStyle::Success, lang, Msg::EnableButton, HubId::Enable)
    };
    let mut buttons = rows(vec![
        b(Msg::SetupPanelButton, HubId::Panel),
        b(Msg::SetupLogButton, HubId::LogChannel),
        b(Msg::SetupLimitsButton, HubId::Limits),
        b(Msg::SetupTopicsButton, HubId::Topics),
        b(Msg::SetupStaffButton, HubId::StaffRoles),
        b(Msg::SetupClosingButton, HubId::Closing),
        b(Msg::SetupWhoMayCloseButton, HubId::WhoMayClose),
        b(Msg::SetupNamingButton, HubId::Naming),
        b(Msg::SetupWelcomeButton, HubId::Welcome),
        b(Msg::SetupLanguageButton, HubId::Language),
    ]);
    buttons.extend(rows(vec![toggle]));
    hub_screen(
        lang,
        Msg::SetupTitle,
        text(lang, &Msg::SettingsSummary(settings)),
        buttons,
        Some(HubId::Home),
    )
}

/// Manage: close this ticket, close all, add or remove a member, statistics.
pub fn hub_manage(lang: Language) -> MessageView {
    let buttons = rows(vec![
        hub_button(
            ButtonStyle::Danger,
            lang,
            Msg::ManageCloseButton,
            HubId::ManageClose,
        ),
        hub_button(
            ButtonStyle::Danger,
            lang,
            Msg::CloseAllButton,
            HubId::CloseAll,
        ),
        hub_button(
            ButtonStyle::Secondary,
            lang,
            Msg::AddUserButton,
            HubId::AddUser,
        ),
        hub_button(
            ButtonStyle::Secondary,
            lang,
            Msg::RemoveUserButton,
            HubId::RemoveUser,
        ),
        hub_button(ButtonStyle::Secondary, lang, Msg::StatsButton, HubId::Stats),
        hub_button(
            ButtonStyle::Secondary,
            lang,
            Msg::RevokeLinksButton,
            HubId::RevokeLinks,
        ),
    ]);
    hub_screen(
        lang,
        Msg::ManageTitle,
        t(lang, &Msg::HubDescription),
        buttons,
        Some(HubId::Home),
    )
}

/// The hub after Cancel: a short line, no components.
pub fn hub_closed(lang: Language) -> MessageView {
    ephemeral(lang, &Msg::HubClosed)
}

/// A hub screen with one line and a way back, for results such as "Saved." or "Panel posted".
pub fn hub_result(lang: Language, msg: &Msg, back_to: HubId) -> MessageView {
    let mut view = ephemeral(lang, msg);
    view.components = rows(back_and_cancel(lang, back_to));
    view
}

fn channel_select_screen(
    lang: Language,
    title: Msg,
    prompt: Msg,
    id: HubId,
    current: Option<Snowflake>,
) -> MessageView {
    let mut menu = select(
        SelectMenuType::Channel,
        CustomId::Hub(id),
        t(lang, &Msg::ChannelPlaceholder),
    );
    menu.channel_types = Some(vec![ChannelType::GuildText]);
    menu.default_values = current
        .and_then(Id::new_checked)
        .map(|c| vec![SelectDefaultValue::Channel(c)]);
    hub_screen(
        lang,
        title,
        t(lang, &prompt),
        vec![select_row(menu)],
        Some(HubId::Setup),
    )
}

/// Setup → Message: pick the panel's channel.
pub fn hub_panel_channel(lang: Language) -> MessageView {
    channel_select_screen(
        lang,
        Msg::SetupPanelButton,
        Msg::PanelChannelPrompt,
        HubId::PanelChannelSelect,
        None,
    )
}

/// Setup → Log channel: pick the channel for ticket logs.
pub fn hub_log_channel(lang: Language, settings: &GuildSettings) -> MessageView {
    channel_select_screen(
        lang,
        Msg::SetupLogButton,
        Msg::LogChannelPrompt,
        HubId::LogChannelSelect,
        settings.log_channel,
    )
}

/// The panel's title, description and footer, for a panel in `channel_id`.
pub fn panel_modal(lang: Language, channel_id: Snowflake) -> InteractionResponseData {
    modal(
        t(lang, &Msg::PanelModalTitle),
        CustomId::Hub(HubId::PanelModal { channel_id }),
        vec![
            Input {
                id: InputId::Title,
                label: t(lang, &Msg::TitleLabel),
                long: false,
                required: false,
                max: 256,
                value: Some(text(lang, &Msg::PanelTitle)),
            },
            Input {
                id: InputId::Description,
                label: t(lang, &Msg::DescriptionLabel),
                long: true,
                required: false,
                max: 4000,
                value: Some(text(lang, &Msg::PanelDescription)),
            },
            Input {
                id: InputId::Footer,
                label: t(lang, &Msg::FooterLabel),
                long: false,
                required: false,
                max: MAX_FOOTER as u16,
                value: None,
            },
        ],
    )
}

/// Setup → Limit: the server's and each member's maximum of open tickets.
pub fn limits_modal(lang: Language, settings: &GuildSettings) -> InteractionResponseData {
    let (total_min, total_max) = MAX_OPEN_TOTAL_RANGE;
    let (member_min, member_max) = MAX_OPEN_PER_MEMBER_RANGE;
    modal(
        t(lang, &Msg::LimitsModalTitle),
        CustomId::Hub(HubId::LimitsModal),
        vec![
            Input {
                id: InputId::MaxTotal,
                label: t(
                    lang,
                    &Msg::MaxTotalLabel {
                        min: total_min,
                        max: total_max,
                    },
                ),
                long: false,
                required: true,
                max: 10,
                value: Some(settings.max_open_total.to_string()),
            },
            Input {
                id: InputId::MaxPerMember,
                label: t(
                    lang,
                    &Msg::MaxPerMemberLabel {
                        min: member_min,
                        max: member_max,
                    },
                ),
                long: false,
                required: true,
                max: 10,
                value: Some(settings.max_open_per_member.to_string()),
            },
        ],
    )
}

/// A whole number within `(min, max)`, from a modal's text; `None` for anything else.
pub fn parse_in_range(input: &str, (min, max): (u32, u32)) -> Option<u32> {
    let n: u32 = input.trim().parse().ok()?;
    (min..=max).contains(&n).then_some(n)
}

/// Setup → Topics: the list, with Add and Remove.
pub fn hub_topics(lang: Language, topics: &[Topic]) -> MessageView {
    let names: Vec<String> = topics
        .iter()
        .map(|topic| user_text(&topic.name, MAX_TOPIC_NAME))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let buttons = rows(vec![
        hub_button(
            ButtonStyle::Success,
            lang,
            Msg::TopicAddButton,
            HubId::TopicAdd,
        ),
        hub_button(
            ButtonStyle::Danger,
            lang,
            Msg::TopicRemoveButton,
            HubId::TopicRemove,
        ),
    ]);
    hub_screen(
        lang,
        Msg::SetupTopicsButton,
        text(lang, &Msg::TopicList { names: &names }),
        buttons,
        Some(HubId::Setup),
    )
}

/// The add-topic modal: name, optional description and emoji.
pub fn topic_modal(lang: Language) -> InteractionResponseData {
    modal(
        t(lang, &Msg::TopicModalTitle),
        CustomId::Hub(HubId::TopicAddModal),
        vec![
            Input {
                id: InputId::TopicName,
                label: t(lang, &Msg::TopicNameLabel),
                long: false,
                required: true,
                max: MAX_TOPIC_NAME as u16,
                value: None,
            },
            Input {
                id: InputId::TopicDescription,
                label: t(lang, &Msg::DescriptionLabel),
                long: false,
                required: false,
                max: 100,
                value: None,
            },
            Input {
                id: InputId::TopicEmoji,
                label: t(lang, &Msg::TopicEmojiLabel),
                long: false,
                required: false,
                max: 64,
                value: None,
            },
        ],
    )
}

/// Topics → Remove: a select of the topics; each value is a topic id.
pub fn topic_remove_select(lang: Language, topics: &[Topic]) -> MessageView {
    let mut menu = select(
        SelectMenuType::Text,
        CustomId::Hub(HubId::TopicRemoveSelect),
        t(lang, &Msg::TopicPlaceholder),
    );
    menu.options = Some(
        topics
            .iter()
            .take(25)
            .map(|topic| option(topic_label(topic), &topic.id.to_string(), false))
            .collect(),
    );
    hub_screen(
        lang,
        Msg::SetupTopicsButton,
        t(lang, &Msg::TopicRemovePrompt),
        vec![select_row(menu)],
        Some(HubId::Topics),
    )
}

/// Confirms removing `topic`.
pub fn topic_remove_confirm(lang: Language, topic: &Topic) -> MessageView {
    let name = user_text(&topic.name, MAX_TOPIC_NAME);
    let confirm = hub_button(
        ButtonStyle::Danger,
        lang,
        Msg::ConfirmButton,
        HubId::TopicRemoveConfirm { topic_id: topic.id },
    );
    hub_screen(
        lang,
        Msg::SetupTopicsButton,
        t(lang, &Msg::TopicRemoveConfirmPrompt { name: &name }),
        rows(vec![confirm]),
        Some(HubId::Topics),
    )
}

/// Setup → Staff roles: a role select showing the current roles.
pub fn hub_staff_roles(lang: Language, settings: &GuildSettings) -> MessageView {
    let mut menu = select(
        SelectMenuType::Role,
        CustomId::Hub(HubId::StaffRolesSelect),
        t(lang, &Msg::RolePlaceholder),
    );
    menu.min_values = Some(0);
    menu.max_values = Some(25);
    let defaults: Vec<SelectDefaultValue> = settings
        .staff_roles
        .iter()
        .take(25)
        .filter_map(|r| Id::new_checked(*r).map(SelectDefaultValue::Role))
        .collect();
    menu.default_values = (!defaults.is_empty()).then_some(defaults);
    hub_screen(
        lang,
        Msg::SetupStaffButton,
        format!(
            "{}\n{}",
            text(lang, &Msg::StaffRolesPrompt),
            text(
                lang,
                &Msg::StaffRolesSet {
                    roles: &settings.staff_roles
                }
            )
        ),
        vec![select_row(menu)],
        Some(HubId::Setup),
    )
}

fn string_select_screen(
    lang: Language,
    title: Msg,
    prompt: Msg,
    id: HubId,
    options: Vec<SelectMenuOption>,
) -> MessageView {
    let mut menu = select(SelectMenuType::Text, CustomId::Hub(id), t(lang, &prompt));
    menu.options = Some(options);
    hub_screen(
        lang,
        title,
        t(lang, &prompt),
        vec![select_row(menu)],
        Some(HubId::Setup),
    )
}

/// Setup → Closing: delete after a delay, or keep and lock; and whether 🔒 Close asks first.
pub fn hub_closing(lang: Language, settings: &GuildSettings) -> MessageView {
    let keep = settings.closing == ClosingMode::Keep;
    let mut view = string_select_screen(
        lang,
        Msg::SetupClosingButton,
        Msg::ClosingPrompt,
        HubId::ClosingSelect,
        vec![
            option(
                t(lang, &Msg::ClosingDeleteOption),
                values::CLOSING_DELETE,
                !keep,
            ),
            option(t(lang, &Msg::ClosingKeepOption), values::CLOSING_KEEP, keep),
        ],
    );
    let on = settings.confirm_close;
    let toggle = hub_button(
        if on {
            ButtonStyle::Success
        } else {
            ButtonStyle::Secondary
        },
        lang,
        Msg::ConfirmCloseToggle { on },
        if on {
            HubId::ConfirmCloseOff
        } else {
            HubId::ConfirmCloseOn
        },
    );
    // After the select, before Back and Cancel.
    view.components.insert(1, rows(vec![toggle]).remove(0));
    view
}

/// The deletion delay, after choosing "delete".
pub fn delay_modal(lang: Language, settings: &GuildSettings) -> InteractionResponseData {
    let current = match settings.closing {
        ClosingMode::Delete { after_secs } => after_secs,
        ClosingMode::Keep => 5,
    };
    let (min, max) = DELETE_DELAY_RANGE;
    modal(
        t(lang, &Msg::DelayModalTitle),
        CustomId::Hub(HubId::ClosingDelayModal),
        vec![Input {
            id: InputId::DelaySecs,
            label: t(lang, &Msg::DelaySecsLabel { min, max }),
            long: false,
            required: true,
            max: 10,
            value: Some(current.to_string()),
        }],
    )
}

/// Setup → Who may close.
pub fn hub_who_may_close(lang: Language, settings: &GuildSettings) -> MessageView {
    let staff_only = settings.who_may_close == WhoMayClose::StaffOnly;
    string_select_screen(
        lang,
        Msg::SetupWhoMayCloseButton,
        Msg::WhoMayClosePrompt,
        HubId::WhoMayCloseSelect,
        vec![
            option(
                t(lang, &Msg::WhoMayCloseOption(WhoMayClose::OwnerAndStaff)),
                values::WHO_OWNER_AND_STAFF,
                !staff_only,
            ),
            option(
                t(lang, &Msg::WhoMayCloseOption(WhoMayClose::StaffOnly)),
                values::WHO_STAFF_ONLY,
                staff_only,
            ),
        ],
    )
}

/// Setup → Language: the server's language for channel messages.
pub fn hub_language(lang: Language, settings: &GuildSettings) -> MessageView {
    let options = Language::ALL
        .iter()
        .map(|&l| {
            option(
                t(lang, &Msg::LanguageName(l)),
                l.as_str(),
                settings.language == l,
            )
        })
        .collect();
    string_select_screen(
        lang,
        Msg::SetupLanguageButton,
        Msg::LanguagePrompt,
        HubId::LanguageSelect,
        options,
    )
}

/// Setup → Naming: the channel-name template (the random scheme is written `random6`).
pub fn naming_modal(lang: Language, settings: &GuildSettings) -> InteractionResponseData {
    let current = match &settings.naming {
        Naming::Template { template } => template.clone(),
        Naming::Random6 => NAMING_RANDOM6.to_owned(),
    };
    modal(
        t(lang, &Msg::NamingModalTitle),
        CustomId::Hub(HubId::NamingModal),
        vec![Input {
            id: InputId::Template,
            label: t(lang, &Msg::TemplateLabel),
            long: false,
            required: true,
            max: crate::naming::MAX_TEMPLATE_LEN as u16,
            value: Some(current),
        }],
    )
}

/// What an admin types in the naming modal to choose the seed's `ticket-abc123` names.
pub const NAMING_RANDOM6: &str = "random6";

/// Reads the naming modal: [`NAMING_RANDOM6`] for random names, otherwise a checked template.
pub fn parse_naming(input: &str) -> Result<Naming, TemplateError> {
    let input = input.trim();
    if input.eq_ignore_ascii_case(NAMING_RANDOM6) {
        return Ok(Naming::Random6);
    }
    validate_template(input)?;
    Ok(Naming::Template {
        template: input.to_owned(),
    })
}

/// Setup → Welcome message: response time and instructions.
pub fn welcome_modal(lang: Language, settings: &GuildSettings) -> InteractionResponseData {
    modal(
        t(lang, &Msg::WelcomeModalTitle),
        CustomId::Hub(HubId::WelcomeModal),
        vec![
            Input {
                id: InputId::ResponseTime,
                label: t(lang, &Msg::ResponseTimeLabel),
                long: false,
                required: false,
                max: 200,
                value: Some(settings.response_time.clone()),
            },
            Input {
                id: InputId::Instructions,
                label: t(lang, &Msg::InstructionsLabel),
                long: true,
                required: false,
                max: 1000,
                value: Some(settings.instructions.clone()),
            },
        ],
    )
}

/// Manage → Close all: asks to confirm closing `count` tickets.
pub fn close_all_confirm(lang: Language, count: u32) -> MessageView {
    let confirm = hub_button(
        ButtonStyle::Danger,
        lang,
        Msg::ConfirmButton,
        HubId::CloseAllConfirm { count },
    );
    hub_screen(
        lang,
        Msg::ManageTitle,
        t(lang, &Msg::CloseAllConfirmPrompt { count }),
        rows(vec![confirm]),
        Some(HubId::Manage),
    )
}

fn user_select_screen(lang: Language, title: Msg, id: HubId) -> MessageView {
    let menu = select(
        SelectMenuType::User,
        CustomId::Hub(id),
        t(lang, &Msg::UserPlaceholder),
    );
    hub_screen(
        lang,
        title,
        t(lang, &Msg::UserPlaceholder),
        vec![select_row(menu)],
        Some(HubId::Manage),
    )
}

/// Manage → Add user: a user select.
pub fn hub_add_user(lang: Language) -> MessageView {
    user_select_screen(lang, Msg::AddUserButton, HubId::AddUserSelect)
}

/// Manage → Remove user: a user select.
pub fn hub_remove_user(lang: Language) -> MessageView {
    user_select_screen(lang, Msg::RemoveUserButton, HubId::RemoveUserSelect)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn ticket() -> Ticket {
        Ticket {
            id: i64::MAX,
            guild_id: 1,
            number: 1,
            name: "ticket-0001".into(),
            channel_id: Some(99),
            owner_id: 10,
            topic: Some("@everyone ".repeat(100)),
            status: crate::model::TicketStatus::Open,
            help_requested_at: None,
            claimed_by: Some(20),
            claimed_at: None,
            created_at: Utc::now(),
            closed_at: None,
            closed_by: Some(20),
            close_how: Some(CloseHow::Staff),
            close_reason: Some("<@&1> **x**".repeat(1000)),
            deleted_at: None,
            members: vec![],
            revision: 0,
        }
    }

    fn hostile_settings(lang: Language) -> GuildSettings {
        GuildSettings {
            staff_roles: (1..=200).collect(),
            response_time: "@here ".repeat(1000),
            instructions: "@everyone ".repeat(1000),
            footer: "<@&5>".repeat(1000),
            language: lang,
            closing: ClosingMode::Keep,
            ..GuildSettings::defaults(1)
        }
    }

    fn hostile_topic() -> Topic {
        Topic {
            id: i64::MIN,
            guild_id: 1,
            name: "@everyone".repeat(100),
            description: Some("d".repeat(500)),
            emoji: Some("🎫".repeat(100)),
            category_id: None,
        }
    }

    fn hostile_panel() -> Panel {
        Panel {
            id: i64::MAX,
            guild_id: 1,
            channel_id: 2,
            message_id: 3,
            title: "@everyone ".repeat(1000),
            description: "<@&1>".repeat(4000),
            footer: "f".repeat(4000),
            created_at: Utc::now(),
        }
    }

    /// Whether `s` would ping a crowd or a role. (User mentions the catalog puts in embeds,
    /// such as "closed by <@id>", never ping: embeds do not notify.)
    fn pings_a_crowd(s: &str) -> bool {
        s.contains("@everyone") || s.contains("@here") || s.contains("<@&")
    }

    fn embed_texts(e: &Embed) -> Vec<String> {
        let mut all = vec![];
        all.extend(e.title.clone());
        all.extend(e.description.clone());
        all.extend(e.footer.as_ref().map(|f| f.text.clone()));
        for f in &e.fields {
            all.push(f.name.clone());
            all.push(f.value.clone());
        }
        all
    }

    /// Checks Discord's limits on a message and returns its texts.
    fn check_limits(view: &MessageView) {
        if let Some(content) = &view.content {
            assert!(content.chars().count() <= 2000);
        }
        assert!(view.embeds.len() <= 10);
        assert!(
            view.embed_chars() <= MAX_EMBED_TOTAL,
            "embeds have {} chars",
            view.embed_chars()
        );
        for e in &view.embeds {
            assert!(e.title.as_ref().is_none_or(|t| t.chars().count() <= 256));
            assert!(
                e.description
                    .as_ref()
                    .is_none_or(|d| d.chars().count() <= 4096)
            );
            assert!(e.fields.len() <= 25);
            for f in &e.fields {
                assert!(f.name.chars().count() <= 256 && f.value.chars().count() <= 1024);
            }
            assert!(
                e.footer
                    .as_ref()
                    .is_none_or(|f| f.text.chars().count() <= 2048)
            );
        }
        assert!(view.components.len() <= 5);
        let mut ids = std::collections::HashSet::new();
        for row in &view.components {
            let Component::ActionRow(row) = row else {
                panic!("top-level components must be action rows")
            };
            assert!(!row.components.is_empty() && row.components.len() <= 5);
            for c in &row.components {
                match c {
                    Component::Button(b) => {
                        assert!(b.label.as_ref().is_some_and(|l| l.chars().count() <= 80));
                        assert!(b.custom_id.as_ref().is_none_or(|id| id.len() <= 100));
                        if let Some(id) = &b.custom_id {
                            assert!(ids.insert(id.clone()), "{id} twice in one message");
                            assert!(CustomId::decode(id).is_ok(), "{id} does not decode");
                        }
                        assert_eq!(b.custom_id.is_some(), b.url.is_none());
                    }
                    Component::SelectMenu(m) => {
                        assert!(m.custom_id.len() <= 100);
                        assert!(ids.insert(m.custom_id.clone()), "{} twice", m.custom_id);
                        assert!(m.options.as_ref().is_none_or(|o| o.len() <= 25));
                        for o in m.options.iter().flatten() {
                            assert!(o.label.chars().count() <= 100);
                            assert!(
                                o.description
                                    .as_ref()
                                    .is_none_or(|d| d.chars().count() <= 100)
                            );
                        }
                    }
                    other => panic!("unexpected component {other:?}"),
                }
            }
        }
    }

    fn channel_messages(lang: Language) -> Vec<MessageView> {
        let settings = hostile_settings(lang);
        let t = ticket();
        let mut resolved = t.clone();
        resolved.close_how = Some(CloseHow::ItWorks);
        vec![
            panel(&hostile_panel(), lang),
            welcome(&t, &settings, Some(&hostile_topic())),
            welcome(&t, &settings, None),
            help_request(&t, &settings),
            claimed(&t, &settings),
            closed(&t, &settings),
            closed(&resolved, &GuildSettings::defaults(1)),
            dm_ticket_opened(lang, &"@everyone".repeat(500), 1, 2),
        ]
    }

    fn all_views(lang: Language) -> Vec<MessageView> {
        let settings = hostile_settings(lang);
        let topics: Vec<Topic> = (0..40).map(|_| hostile_topic()).collect();
        let mut all = channel_messages(lang);
        all.extend([
            topic_select(lang, i64::MAX, &topics),
            ticket_opened(lang, u64::MAX, u64::MAX),
            close_confirm(lang, i64::MIN),
            ephemeral(lang, &Msg::SomethingWentWrong),
            hub_home(lang, &settings),
            hub_setup(lang, &settings),
            hub_manage(lang),
            hub_closed(lang),
            hub_panel_channel(lang),
            hub_log_channel(lang, &settings),
            hub_topics(lang, &topics[..25]),
            topic_remove_select(lang, &topics),
            topic_remove_confirm(lang, &hostile_topic()),
            hub_staff_roles(lang, &settings),
            hub_closing(lang, &settings),
            hub_who_may_close(lang, &settings),
            hub_language(lang, &settings),
            close_all_confirm(lang, u32::MAX),
            hub_add_user(lang),
            hub_remove_user(lang),
            hub_result(lang, &Msg::SettingSaved, HubId::Setup),
        ]);
        all
    }

    #[test]
    fn every_view_fits_discords_limits_on_hostile_input() {
        for &lang in Language::ALL {
            for view in all_views(lang) {
                check_limits(&view);
            }
        }
    }

    #[test]
    fn hostile_text_cannot_ping() {
        for &lang in Language::ALL {
            for view in channel_messages(lang) {
                for e in &view.embeds {
                    for text in embed_texts(e) {
                        assert!(!pings_a_crowd(&text), "{text}");
                    }
                }
                if let Some(content) = &view.content {
                    assert!(!content.contains("@everyone") && !content.contains("@here"));
                }
                assert!(
                    view.allowed_mentions.parse.is_empty(),
                    "no blanket mentions"
                );
            }
        }
    }

    #[test]
    fn welcome_mentions_only_the_owner() {
        let view = welcome(&ticket(), &hostile_settings(Language::En), None);
        assert_eq!(view.content.as_deref(), Some("<@10>"));
        assert_eq!(view.allowed_mentions.users, vec![Id::new(10)]);
        assert!(view.allowed_mentions.roles.is_empty());
        let names: Vec<&str> = view.embeds[0]
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["📋 Category", "⏱️ Response Time", "📝 Instructions"]
        );
        let ids: Vec<String> = buttons(&view)
            .into_iter()
            .filter_map(|b| b.custom_id)
            .collect();
        assert_eq!(
            ids,
            [
                CustomId::ItWorks {
                    ticket_id: i64::MAX
                }
                .encode(),
                CustomId::NeedHelp {
                    ticket_id: i64::MAX
                }
                .encode(),
                CustomId::Close {
                    ticket_id: i64::MAX
                }
                .encode(),
            ]
        );
    }

    fn buttons(view: &MessageView) -> Vec<Button> {
        view.components
            .iter()
            .filter_map(|c| match c {
                Component::ActionRow(row) => Some(row.components.iter()),
                _ => None,
            })
            .flatten()
            .filter_map(|c| match c {
                Component::Button(b) => Some(b.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn help_request_pings_exactly_the_staff_roles() {
        let mut settings = GuildSettings::defaults(1);
        settings.staff_roles = vec![7, 8];
        settings.language = Language::Vi;
        let view = help_request(&ticket(), &settings);
        assert_eq!(view.content.as_deref(), Some("<@&7> <@&8>"));
        assert_eq!(view.allowed_mentions.roles, vec![Id::new(7), Id::new(8)]);
        assert!(view.allowed_mentions.users.is_empty());
        assert_eq!(view.embeds[0].title.as_deref(), Some("🆘 Yêu Cầu Trợ Giúp"));

        settings.staff_roles.clear();
        let view = help_request(&ticket(), &settings);
        assert!(view.allowed_mentions.roles.is_empty());
        assert!(!view.content.unwrap().contains("<@&"));
    }

    #[test]
    fn closed_offers_delete_and_reopen_only_when_kept() {
        let mut settings = GuildSettings::defaults(1);
        let deleting = closed(&ticket(), &settings);
        assert!(deleting.components.is_empty());
        assert_eq!(deleting.embeds[0].color, Some(RED));
        settings.closing = ClosingMode::Keep;
        let kept = closed(&ticket(), &settings);
        let ids: Vec<String> = buttons(&kept)
            .into_iter()
            .filter_map(|b| b.custom_id)
            .collect();
        assert_eq!(
            ids,
            [
                CustomId::DeleteChannel {
                    ticket_id: i64::MAX
                }
                .encode(),
                CustomId::Reopen {
                    ticket_id: i64::MAX
                }
                .encode(),
            ]
        );
        let mut works = ticket();
        works.close_how = Some(CloseHow::ItWorks);
        settings.language = Language::Vi;
        let view = closed(&works, &settings);
        assert_eq!(
            view.embeds[0].title.as_deref(),
            Some("✅ Vấn Đề Đã Giải Quyết")
        );
        assert_eq!(view.embeds[0].color, Some(GREEN));
    }

    #[test]
    fn ephemeral_replies_are_flagged() {
        let data: InteractionResponseData = ephemeral(Language::En, &Msg::MenuExpired).into();
        assert_eq!(data.flags, Some(MessageFlags::EPHEMERAL));
        let data: InteractionResponseData =
            welcome(&ticket(), &GuildSettings::defaults(1), None).into();
        assert_eq!(data.flags, None);
        assert!(data.allowed_mentions.is_some());
    }

    #[test]
    fn ticket_opened_links_to_the_channel() {
        let view = ticket_opened(Language::En, 5, 6);
        let b = &buttons(&view)[0];
        assert_eq!(b.url.as_deref(), Some("https://discord.com/channels/5/6"));
        assert!(view.ephemeral);
    }

    #[test]
    #[allow(deprecated)]
    fn modals_fit_discords_limits() {
        let settings = hostile_settings(Language::Vi);
        for &lang in Language::ALL {
            for m in [
                close_reason_modal(lang, i64::MAX),
                panel_modal(lang, u64::MAX),
                limits_modal(lang, &settings),
                topic_modal(lang),
                delay_modal(lang, &settings),
                naming_modal(lang, &settings),
                welcome_modal(lang, &settings),
            ] {
                assert!(m.title.as_ref().is_some_and(|t| t.chars().count() <= 45));
                assert!(m.custom_id.as_ref().is_some_and(|id| id.len() <= 100));
                let rows = m.components.unwrap();
                assert!((1..=5).contains(&rows.len()));
                for row in rows {
                    let Component::ActionRow(row) = row else {
                        panic!("not a row")
                    };
                    let Component::TextInput(input) = &row.components[0] else {
                        panic!("not an input")
                    };
                    assert!(
                        input
                            .label
                            .as_ref()
                            .is_some_and(|l| l.chars().count() <= 45)
                    );
                    let max = usize::from(input.max_length.unwrap());
                    assert!(max <= 4000);
                    assert!(
                        input
                            .value
                            .as_ref()
                            .is_none_or(|v| v.chars().count() <= max)
                    );
                }
            }
        }
    }

    #[test]
    fn settings_changes_are_logged_without_pings() {
        let old = GuildSettings::defaults(1);
        assert_eq!(settings_changed(Language::En, 9, &old, &old), None);
        let new = GuildSettings {
            staff_roles: vec![4],
            enabled: false,
            ..old.clone()
        };
        let view = settings_changed(Language::En, 9, &old, &new).unwrap();
        let content = view.content.unwrap();
        assert_eq!(content.lines().count(), 2, "{content}");
        assert!(
            content.contains("<@9> changed Status: on → off"),
            "{content}"
        );
        assert!(content.contains("<@&4>"), "{content}");
        assert_eq!(view.allowed_mentions, AllowedMentions::default());
    }

    #[test]
    fn parses_hub_inputs() {
        assert_eq!(parse_naming(" Random6 "), Ok(Naming::Random6));
        assert_eq!(
            parse_naming("t-{number}"),
            Ok(Naming::Template {
                template: "t-{number}".into()
            })
        );
        assert_eq!(parse_naming("t"), Err(TemplateError::MissingNumber));
        assert_eq!(
            values::who_may_close(values::WHO_STAFF_ONLY),
            Some(WhoMayClose::StaffOnly)
        );
        assert_eq!(values::who_may_close("x"), None);
        // The naming modal shows the current choice in a form parse_naming reads back.
        for naming in [Naming::Random6, Naming::default()] {
            let settings = GuildSettings {
                naming: naming.clone(),
                ..GuildSettings::defaults(1)
            };
            let modal = naming_modal(Language::En, &settings);
            let Some(Component::ActionRow(row)) = modal.components.unwrap().into_iter().next()
            else {
                panic!("no row")
            };
            let Component::TextInput(input) = &row.components[0] else {
                panic!("no input")
            };
            assert_eq!(parse_naming(input.value.as_deref().unwrap()), Ok(naming));
        }
    }

    #[test]
    fn parses_numbers_in_range() {
        assert_eq!(parse_in_range(" 5 ", (1, 10)), Some(5));
        assert_eq!(parse_in_range("0", (1, 10)), None);
        assert_eq!(parse_in_range("11", (1, 10)), None);
        assert_eq!(parse_in_range("-1", (1, 10)), None);
        assert_eq!(parse_in_range("2.5", (1, 10)), None);
        assert_eq!(parse_in_range("", (1, 10)), None);
    }
}
