//! The typed messages the code asks for ([`Msg`]) and, for each, its Fluent id and arguments:
//! one lookup per variant, so the compiler makes sure every message has one.

use fluent_bundle::FluentValue;

use super::catalog::{self, Lookup, shown};
use super::settings::{self, Setting};
use super::{Language, LogText, StatsText, TranscriptText, log, stats, text, transcript};
use crate::authz::Refusal;
use crate::lifecycle::OpenRefusal;
use crate::model::{CloseHow, GuildSettings, Snowflake, WhoMayClose};
use crate::naming::TemplateError;

/// Every user-facing message, with its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Msg<'a> {
    // The panel and opening.
    PanelTitle,
    PanelDescription,
    OpenTicketButton,
    TopicPrompt,
    TopicPlaceholder,
    TicketOpened {
        channel: Snowflake,
    },
    GoToTicketButton,
    /// `guild` must already be safe text.
    DmTicketOpened {
        guild: &'a str,
        channel: Snowflake,
    },
    OpenRefused(OpenRefusal),

    // The welcome message.
    WelcomeTitle,
    WelcomeDescription {
        owner: Snowflake,
    },
    FieldCategory,
    FieldResponseTime,
    FieldInstructions,
    DefaultCategory,
    DefaultResponseTime,
    DefaultInstructions,
    ItWorksButton,
    NeedHelpButton,
    CloseButton,

    // While open.
    ResolvedTitle,
    ResolvedDescription {
        owner: Snowflake,
    },
    ClosingIn {
        secs: u32,
    },
    HelpTitle,
    HelpDescription {
        owner: Snowflake,
    },
    HelpNoStaffConfigured,
    ClaimButton,
    UnclaimButton,
    Claimed {
        by: Snowflake,
    },
    Unclaimed {
        by: Snowflake,
    },
    MemberAdded {
        user: Snowflake,
        by: Snowflake,
    },
    MemberRemoved {
        user: Snowflake,
        by: Snowflake,
    },

    // Closing.
    CloseConfirmPrompt,
    CloseConfirmButton,
    CloseWithReasonButton,
    CloseReasonModalTitle,
    ReasonLabel,
    ClosedTitle,
    ClosedBy {
        by: Snowflake,
        how: CloseHow,
    },
    CloseHowLabel(CloseHow),
    FieldReason,
    NoReason,
    ChannelLocked,
    ChannelDeleting {
        secs: u32,
    },
    DeleteChannelButton,
    ReopenButton,
    Reopened {
        by: Snowflake,
    },

    // Replies.
    Refused(Refusal),
    SomethingWentWrong,
    /// Discord kept failing (5xx, rate limits, timeouts) while the user waited; nothing the
    /// user did is the cause.
    DiscordUnavailable,
    /// Opening gave up because Discord kept failing; the reservation was undone.
    OpenUnavailable,
    /// The ticket is open but Discord kept failing its welcome message, which a job posts.
    TicketOpenedWelcomeLater {
        channel: Snowflake,
    },
    /// Added to an action's answer when the channel's permissions could not be changed yet.
    AccessFollowsLater,
    MenuExpired,
    /// A command this version does not know (registered by an older or newer one).
    UnknownCommand,
    /// A button or menu this bot did not make, or cannot read.
    UnknownComponent,
    /// `/stats`: the server's open tickets (the full statistics come with the metrics).
    OpenTicketCount {
        open: usize,
    },
    GuildOnly,
    Done,
    /// `permission` is Discord's name of the permission.
    BotLacksPermission {
        permission: &'a str,
        channel: Snowflake,
    },

    // The hub.
    HubTitle,
    HubDescription,
    SetupButton,
    ManageButton,
    BackButton,
    CancelButton,
    ConfirmButton,
    HubClosed,
    SetupTitle,
    SettingsSummary(&'a GuildSettings),
    /// A setting's name.
    SettingName(Setting),
    /// A setting's current value in `settings`.
    SettingValue(Setting, &'a GuildSettings),
    SetupPanelButton,
    SetupLogButton,
    SetupLimitsButton,
    SetupTopicsButton,
    SetupStaffButton,
    SetupClosingButton,
    SetupWhoMayCloseButton,
    SetupNamingButton,
    SetupWelcomeButton,
    SetupLanguageButton,
    EnableButton,
    DisableButton,
    SystemEnabled,
    SystemDisabled,
    SettingSaved,
    /// For the log channel; every parameter must already be safe text.
    SettingChanged {
        by: Snowflake,
        setting: &'a str,
        from: &'a str,
        to: &'a str,
    },
    PanelChannelPrompt,
    ChannelPlaceholder,
    PanelModalTitle,
    TitleLabel,
    DescriptionLabel,
    FooterLabel,
    PanelPosted {
        channel: Snowflake,
    },
    LogChannelPrompt,
    LogChannelSet {
        channel: Snowflake,
    },
    /// The log channel was deleted (noticed when next used); logging stops until another is set.
    LogChannelGone {
        channel: Snowflake,
    },
    LimitsModalTitle,
    MaxTotalLabel {
        min: u32,
        max: u32,
    },
    MaxPerMemberLabel {
        min: u32,
        max: u32,
    },
    NotANumberInRange {
        min: u32,
        max: u32,
    },
    LimitsSet {
        per_member: u32,
        total: u32,
    },
    TopicAddButton,
    TopicListButton,
    TopicRemoveButton,
    TopicModalTitle,
    TopicNameLabel,
    TopicEmojiLabel,
    /// `name` must already be safe text.
    TopicAdded {
        name: &'a str,
    },
    TopicExists {
        name: &'a str,
    },
    /// Every name must already be safe text.
    TopicList {
        names: &'a [&'a str],
    },
    TopicRemovePrompt,
    TopicRemoveConfirmPrompt {
        name: &'a str,
    },
    TopicRemoved {
        name: &'a str,
    },
    TopicInUse {
        name: &'a str,
        channels: &'a [Snowflake],
    },
    StaffRolesPrompt,
    RolePlaceholder,
    StaffRolesSet {
        roles: &'a [Snowflake],
    },
    ClosingPrompt,
    /// The Closing screen's button that turns the confirmation of 🔒 Close on or off; `on` is
    /// its state now.
    ConfirmCloseToggle {
        on: bool,
    },
    ClosingDeleteOption,
    ClosingKeepOption,
    DelayModalTitle,
    DelaySecsLabel {
        min: u32,
        max: u32,
    },
    WhoMayClosePrompt,
    WhoMayCloseOption(WhoMayClose),
    NamingModalTitle,
    TemplateLabel,
    TemplateInvalid(&'a TemplateError),
    WelcomeModalTitle,
    ResponseTimeLabel,
    InstructionsLabel,
    LanguagePrompt,
    LanguageName(Language),
    ManageTitle,
    ManageCloseButton,
    CloseAllButton,
    CloseAllConfirmPrompt {
        count: u32,
    },
    CloseAllProgress {
        done: u32,
        total: u32,
    },
    CloseAllDone {
        count: u32,
    },
    AddUserButton,
    RemoveUserButton,
    UserPlaceholder,
    StatsButton,
    /// Manage → Revoke transcript links.
    RevokeLinksButton,
    RevokeLinksModalTitle,
    TicketNumberLabel,
    /// The number typed is not a ticket number (a whole number from 1).
    NotATicketNumber,
    /// No ticket of this server has the number.
    NoTicketNumbered {
        number: i64,
    },
    /// The links to the transcript of ticket `number` no longer open it.
    LinksRevoked {
        number: i64,
    },
    /// The log channel's lines and closure summary, and the transcript DM.
    Log(LogText<'a>),
    /// The `/stats` embed's labels.
    Stats(StatsText),
    /// The words of a transcript page.
    Transcript(TranscriptText<'a>),
}

/// Where a message's text comes from.
pub(super) enum Source<'a> {
    /// A message of the Fluent catalog, in the language asked for.
    Catalog(Lookup<'a>),
    /// Text put together in Rust from rendered messages, mentions and names.
    Built(String),
}

fn plain(id: &'static str) -> Source<'static> {
    Source::Catalog(Lookup::plain(id))
}

fn with<'a, const N: usize>(
    id: &'static str,
    args: [(&'static str, FluentValue<'a>); N],
) -> Source<'a> {
    Source::Catalog(Lookup::new(id, args))
}

fn channel_list(channels: &[Snowflake]) -> String {
    let list: Vec<String> = channels.iter().map(|c| format!("<#{c}>")).collect();
    list.join(", ")
}

pub(super) fn role_list(roles: &[Snowflake]) -> Option<String> {
    if roles.is_empty() {
        return None;
    }
    let list: Vec<String> = roles.iter().map(|r| format!("<@&{r}>")).collect();
    Some(list.join(", "))
}

fn bullet_list(names: &[&str]) -> String {
    let list: Vec<String> = names.iter().map(|n| format!("• {n}")).collect();
    list.join("\n")
}

/// A template shown in inline code; a backtick in it would end the code span.
pub(super) fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}

pub(super) fn lookup<'a>(lang: Language, msg: &Msg<'a>) -> Source<'a> {
    use Msg::*;
    match *msg {
        PanelTitle => plain("panel-title"),
        PanelDescription => plain("panel-description"),
        OpenTicketButton => plain("open-ticket-button"),
        TopicPrompt => plain("topic-prompt"),
        TopicPlaceholder => plain("topic-placeholder"),
        TicketOpened { channel } => with("ticket-opened", [("channel", shown(channel))]),
        GoToTicketButton => plain("go-to-ticket-button"),
        DmTicketOpened { guild, channel } => with(
            "dm-ticket-opened",
            [("guild", guild.into()), ("channel", shown(channel))],
        ),
        OpenRefused(refusal) => open_refusal(refusal),
        WelcomeTitle => plain("welcome-title"),
        WelcomeDescription { owner } => with("welcome-description", [("owner", shown(owner))]),
        FieldCategory => plain("field-category"),
        FieldResponseTime => plain("field-response-time"),
        FieldInstructions => plain("field-instructions"),
        DefaultCategory => plain("default-category"),
        DefaultResponseTime => plain("default-response-time"),
        DefaultInstructions => plain("default-instructions"),
        ItWorksButton => plain("it-works-button"),
        NeedHelpButton => plain("need-help-button"),
        CloseButton => plain("close-button"),
        ResolvedTitle => plain("resolved-title"),
        ResolvedDescription { owner } => with("resolved-description", [("owner", shown(owner))]),
        ClosingIn { secs } => with("closing-in", [("secs", shown(secs))]),
        HelpTitle => plain("help-title"),
        HelpDescription { owner } => with("help-description", [("owner", shown(owner))]),
        HelpNoStaffConfigured => plain("help-no-staff-configured"),
        ClaimButton => plain("claim-button"),
        UnclaimButton => plain("unclaim-button"),
        Claimed { by } => with("claimed", [("by", shown(by))]),
        Unclaimed { by } => with("unclaimed", [("by", shown(by))]),
        MemberAdded { user, by } => {
            with("member-added", [("user", shown(user)), ("by", shown(by))])
        }
        MemberRemoved { user, by } => {
            with("member-removed", [("user", shown(user)), ("by", shown(by))])
        }
        CloseConfirmPrompt => plain("close-confirm-prompt"),
        CloseConfirmButton => plain("close-confirm-button"),
        CloseWithReasonButton => plain("close-with-reason-button"),
        CloseReasonModalTitle => plain("close-reason-modal-title"),
        ReasonLabel => plain("reason-label"),
        ClosedTitle => plain("closed-title"),
        ClosedBy { by, how } => with(
            "closed-by",
            [
                ("by", shown(by)),
                ("how", text(lang, &CloseHowLabel(how)).into()),
            ],
        ),
        CloseHowLabel(how) => plain(match how {
            CloseHow::ItWorks => "close-how-it-works",
            CloseHow::NeedHelpThenStaff => "close-how-need-help-then-staff",
            CloseHow::Staff => "close-how-staff",
            CloseHow::Owner => "close-how-owner",
            CloseHow::CloseAll => "close-how-close-all",
            CloseHow::ChannelDeleted => "close-how-channel-deleted",
        }),
        FieldReason => plain("field-reason"),
        NoReason => plain("no-reason"),
        ChannelLocked => plain("channel-locked"),
        ChannelDeleting { secs } => with("channel-deleting", [("secs", shown(secs))]),
        DeleteChannelButton => plain("delete-channel-button"),
        ReopenButton => plain("reopen-button"),
        Reopened { by } => with("reopened", [("by", shown(by))]),
        Refused(refusal) => self::refusal(refusal),
        SomethingWentWrong => plain("something-went-wrong"),
        DiscordUnavailable => plain("discord-unavailable"),
        OpenUnavailable => plain("open-unavailable"),
        TicketOpenedWelcomeLater { channel } => {
            with("ticket-opened-welcome-later", [("channel", shown(channel))])
        }
        AccessFollowsLater => plain("access-follows-later"),
        MenuExpired => plain("menu-expired"),
        UnknownCommand => plain("unknown-command"),
        UnknownComponent => plain("unknown-component"),
        OpenTicketCount { open } => with("open-ticket-count", [("open", shown(open))]),
        GuildOnly => plain("guild-only"),
        Done => plain("done"),
        BotLacksPermission {
            permission,
            channel,
        } => with(
            "bot-lacks-permission",
            [
                ("permission", permission.into()),
                ("channel", shown(channel)),
            ],
        ),
        HubTitle => plain("hub-title"),
        HubDescription => plain("hub-description"),
        SetupButton => plain("setup-button"),
        ManageButton => plain("manage-button"),
        BackButton => plain("back-button"),
        CancelButton => plain("cancel-button"),
        ConfirmButton => plain("confirm-button"),
        HubClosed => plain("hub-closed"),
        SetupTitle => plain("setup-title"),
        SettingsSummary(s) => Source::Built(settings::summary(lang, s)),
        SettingName(setting) => plain(setting.name_id()),
        SettingValue(setting, s) => settings::value(lang, setting, s),
        SetupPanelButton => plain("setup-panel-button"),
        SetupLogButton => plain("setup-log-button"),
        SetupLimitsButton => plain("setup-limits-button"),
        SetupTopicsButton => plain("setup-topics-button"),
        SetupStaffButton => plain("setup-staff-button"),
        SetupClosingButton => plain("setup-closing-button"),
        SetupWhoMayCloseButton => plain("setup-who-may-close-button"),
        SetupNamingButton => plain("setup-naming-button"),
        SetupWelcomeButton => plain("setup-welcome-button"),
        SetupLanguageButton => plain("setup-language-button"),
        EnableButton => plain("enable-button"),
        DisableButton => plain("disable-button"),
        SystemEnabled => plain("system-enabled"),
        SystemDisabled => plain("system-disabled"),
        SettingSaved => plain("setting-saved"),
        SettingChanged {
            by,
            setting,
            from,
            to,
        } => with(
            "setting-changed",
            [
                ("by", shown(by)),
                ("setting", setting.into()),
                ("from", from.into()),
                ("to", to.into()),
            ],
        ),
        PanelChannelPrompt => plain("panel-channel-prompt"),
        ChannelPlaceholder => plain("channel-placeholder"),
        PanelModalTitle => plain("panel-modal-title"),
        TitleLabel => plain("title-label"),
        DescriptionLabel => plain("description-label"),
        FooterLabel => plain("footer-label"),
        PanelPosted { channel } => with("panel-posted", [("channel", shown(channel))]),
        LogChannelPrompt => plain("log-channel-prompt"),
        LogChannelSet { channel } => with("log-channel-set", [("channel", shown(channel))]),
        LogChannelGone { channel } => with("log-channel-gone", [("channel", shown(channel))]),
        LimitsModalTitle => plain("limits-modal-title"),
        MaxTotalLabel { min, max } => with(
            "max-total-label",
            [("min", shown(min)), ("max", shown(max))],
        ),
        MaxPerMemberLabel { min, max } => with(
            "max-per-member-label",
            [("min", shown(min)), ("max", shown(max))],
        ),
        NotANumberInRange { min, max } => with(
            "not-a-number-in-range",
            [("min", shown(min)), ("max", shown(max))],
        ),
        LimitsSet { per_member, total } => with(
            "limits-set",
            [("per-member", shown(per_member)), ("total", shown(total))],
        ),
        TopicAddButton => plain("topic-add-button"),
        TopicListButton => plain("topic-list-button"),
        TopicRemoveButton => plain("topic-remove-button"),
        TopicModalTitle => plain("topic-modal-title"),
        TopicNameLabel => plain("topic-name-label"),
        TopicEmojiLabel => plain("topic-emoji-label"),
        TopicAdded { name } => with("topic-added", [("name", name.into())]),
        TopicExists { name } => with("topic-exists", [("name", name.into())]),
        TopicList { names: [] } => plain("topic-list-empty"),
        TopicList { names } => with("topic-list", [("names", bullet_list(names).into())]),
        TopicRemovePrompt => plain("topic-remove-prompt"),
        TopicRemoveConfirmPrompt { name } => {
            with("topic-remove-confirm-prompt", [("name", name.into())])
        }
        TopicRemoved { name } => with("topic-removed", [("name", name.into())]),
        TopicInUse { name, channels } => with(
            "topic-in-use",
            [
                ("name", name.into()),
                ("channels", channel_list(channels).into()),
            ],
        ),
        StaffRolesPrompt => plain("staff-roles-prompt"),
        RolePlaceholder => plain("role-placeholder"),
        StaffRolesSet { roles } => match role_list(roles) {
            Some(list) => with("staff-roles-set", [("roles", list.into())]),
            None => plain("staff-roles-none"),
        },
        ClosingPrompt => plain("closing-prompt"),
        ConfirmCloseToggle { on: true } => plain("confirm-close-toggle-on"),
        ConfirmCloseToggle { on: false } => plain("confirm-close-toggle-off"),
        ClosingDeleteOption => plain("closing-delete-option"),
        ClosingKeepOption => plain("closing-keep-option"),
        DelayModalTitle => plain("delay-modal-title"),
        DelaySecsLabel { min, max } => with(
            "delay-secs-label",
            [("min", shown(min)), ("max", shown(max))],
        ),
        WhoMayClosePrompt => plain("who-may-close-prompt"),
        WhoMayCloseOption(WhoMayClose::OwnerAndStaff) => plain("who-may-close-owner-and-staff"),
        WhoMayCloseOption(WhoMayClose::StaffOnly) => plain("who-may-close-staff-only"),
        NamingModalTitle => plain("naming-modal-title"),
        TemplateLabel => plain("template-label"),
        TemplateInvalid(error) => template_error(error),
        WelcomeModalTitle => plain("welcome-modal-title"),
        ResponseTimeLabel => plain("response-time-label"),
        InstructionsLabel => plain("instructions-label"),
        LanguagePrompt => plain("language-prompt"),
        // A language's own name, the same in every language.
        LanguageName(named) => {
            Source::Built(catalog::render(named, &Lookup::plain("language-name")))
        }
        ManageTitle => plain("manage-title"),
        ManageCloseButton => plain("manage-close-button"),
        CloseAllButton => plain("close-all-button"),
        CloseAllConfirmPrompt { count } => {
            with("close-all-confirm-prompt", [("count", shown(count))])
        }
        CloseAllProgress { done, total } => with(
            "close-all-progress",
            [("done", shown(done)), ("total", shown(total))],
        ),
        CloseAllDone { count } => with("close-all-done", [("count", shown(count))]),
        AddUserButton => plain("add-user-button"),
        RemoveUserButton => plain("remove-user-button"),
        UserPlaceholder => plain("user-placeholder"),
        StatsButton => plain("stats-button"),
        RevokeLinksButton => plain("revoke-links-button"),
        RevokeLinksModalTitle => plain("revoke-links-modal-title"),
        TicketNumberLabel => plain("ticket-number-label"),
        NotATicketNumber => plain("not-a-ticket-number"),
        NoTicketNumbered { number } => with("no-ticket-numbered", [("number", shown(number))]),
        LinksRevoked { number } => with("links-revoked", [("number", shown(number))]),
        Log(text) => Source::Catalog(log::lookup(text)),
        Stats(text) => Source::Catalog(stats::lookup(text)),
        Transcript(text) => Source::Catalog(transcript::lookup(text)),
    }
}

fn refusal(refusal: Refusal) -> Source<'static> {
    match refusal {
        Refusal::NotOwner => plain("refused-not-owner"),
        Refusal::NotStaff => plain("refused-not-staff"),
        Refusal::NotAdmin => plain("refused-not-admin"),
        Refusal::OwnerMayNotClose => plain("refused-owner-may-not-close"),
        Refusal::NotATicket => plain("refused-not-a-ticket"),
        Refusal::NotReady => plain("refused-not-ready"),
        Refusal::AlreadyClosed => plain("refused-already-closed"),
        Refusal::AlreadyDeleted => plain("refused-already-deleted"),
        Refusal::NotClosed => plain("refused-not-closed"),
        Refusal::AlreadyAskedForHelp => plain("refused-already-asked-for-help"),
        Refusal::AlreadyClaimed { by } => with("refused-already-claimed", [("by", shown(by))]),
        Refusal::NotClaimed => plain("refused-not-claimed"),
        Refusal::CannotRemoveOwner => plain("refused-cannot-remove-owner"),
        Refusal::AlreadyMember => plain("refused-already-member"),
        Refusal::NotAMember => plain("refused-not-a-member"),
        Refusal::Disabled => plain("refused-disabled"),
    }
}

fn open_refusal(refusal: OpenRefusal) -> Source<'static> {
    match refusal {
        OpenRefusal::AlreadyOpen {
            channel_id: Some(channel),
        } => with("open-refused-already-open", [("channel", shown(channel))]),
        OpenRefusal::AlreadyOpen { channel_id: None } => plain("open-refused-being-created"),
        OpenRefusal::ServerLimit { max } => {
            with("open-refused-server-limit", [("max", shown(max))])
        }
        OpenRefusal::Disabled => self::refusal(Refusal::Disabled),
        OpenRefusal::Blacklisted => plain("open-refused-blacklisted"),
        OpenRefusal::BotLacksManageChannels => plain("open-refused-bot-lacks-manage-channels"),
        OpenRefusal::CategoryFull => plain("open-refused-category-full"),
    }
}

fn template_error(error: &TemplateError) -> Source<'static> {
    match error {
        TemplateError::Empty => plain("template-empty"),
        TemplateError::TooLong { max } => with("template-too-long", [("max", shown(max))]),
        TemplateError::UnknownPlaceholder { placeholder } => with(
            "template-unknown-placeholder",
            [("placeholder", code(placeholder).into())],
        ),
        TemplateError::Unclosed => plain("template-unclosed"),
        TemplateError::MissingNumber => plain("template-missing-number"),
    }
}
