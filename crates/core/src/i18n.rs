//! The message catalog: every user-facing string, in English and Vietnamese.
//!
//! Each language is one exhaustive `match` over [`Msg`], so a message added without its
//! translation does not compile. Parameters that come from users (topic names, server names)
//! must be made safe by the caller (see [`crate::text`]); the catalog inserts them as given.

use crate::authz::Refusal;
use crate::lifecycle::OpenRefusal;
use crate::model::{
    CloseHow, ClosingMode, GuildSettings, Language, Naming, Snowflake, WhoMayClose,
};
use crate::naming::TemplateError;

/// The longest topic name the hub accepts (so a list of every topic fits one message).
pub const MAX_TOPIC_NAME: usize = 50;

/// Where a text is shown, which decides Discord's length limit for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// A button label (80).
    Button,
    /// An embed title (256).
    EmbedTitle,
    /// An embed description (4096).
    EmbedDescription,
    /// An embed field name (256).
    FieldName,
    /// An embed field value (1024).
    FieldValue,
    /// An embed footer (2048).
    Footer,
    /// Message content (2000).
    Content,
    /// A modal title (45).
    ModalTitle,
    /// A text input label (45).
    InputLabel,
    /// A select menu placeholder (150).
    Placeholder,
    /// A select option label or description (100).
    SelectOption,
}

impl Slot {
    /// Discord's limit for the slot, in characters.
    pub fn max_chars(self) -> usize {
        match self {
            Slot::Button => 80,
            Slot::EmbedTitle | Slot::FieldName => 256,
            Slot::EmbedDescription => 4096,
            Slot::FieldValue => 1024,
            Slot::Footer => 2048,
            Slot::Content => 2000,
            Slot::ModalTitle | Slot::InputLabel => 45,
            Slot::Placeholder => 150,
            Slot::SelectOption => 100,
        }
    }
}

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
}

/// What the log channel and the transcript DM say (the transcripts and metrics feature).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LogText<'a> {
    /// One line: a ticket was opened.
    Opened {
        ticket: &'a str,
        owner: Snowflake,
        channel: Snowflake,
    },
    /// One line: the owner asked for help.
    HelpRequested {
        ticket: &'a str,
        owner: Snowflake,
        channel: Snowflake,
    },
    /// One line: staff claimed a ticket.
    Claimed {
        ticket: &'a str,
        by: Snowflake,
        channel: Snowflake,
    },
    /// The closure summary's title.
    SummaryTitle {
        ticket: &'a str,
        number: i64,
    },
    Owner,
    Topic,
    OpenedAt,
    ClaimedBy,
    ClosedAt,
    ClosedBy,
    Duration,
    FirstResponse,
    Messages,
    Transcript,
    /// A field with nothing to show.
    Nothing,
    /// The transcript is the attached file.
    Attached,
    /// Noted in the log: the owner does not accept DMs.
    DmRefused {
        owner: Snowflake,
    },
    /// Sent to admins once: the log channel is gone.
    LogChannelGone {
        guild: &'a str,
        channel: Snowflake,
    },
    /// One line, said once per job: delayed work on a ticket is held up by a permission the
    /// bot lacks; it keeps being retried.
    WorkBlocked {
        work: BlockedWork,
        ticket: &'a str,
        channel: Snowflake,
        permission: &'a str,
    },
    /// One line: an admin revoked the links to a ticket's transcript.
    LinksRevoked {
        by: Snowflake,
        number: i64,
    },
    /// One line when the hub's Close all has finished: who closed how many tickets.
    ClosedAll {
        by: Snowflake,
        count: u32,
    },
    /// The DM to the ticket's owner, with a link or with the file attached.
    TranscriptDm {
        ticket: &'a str,
        guild: &'a str,
        link: Option<&'a str>,
    },
}

/// The delayed work a missing permission holds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockedWork {
    /// Deleting a closed ticket's channel (after saving its transcript).
    DeleteChannel,
    /// Saving a closed ticket's transcript (keep mode).
    SaveTranscript,
}

/// The `/stats` embed's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsText {
    Title,
    AllTime,
    Last30Days,
    Last7Days,
    Created,
    Closed,
    StillOpen,
    ResolutionMean,
    ResolutionMedian,
    FirstResponseMean,
    PerMember,
    TopTopic,
    ResolutionRate,
    StaffActivity,
    /// One staff member's line.
    StaffLine {
        user: Snowflake,
        claims: u64,
        closes: u64,
        responses: u64,
    },
    NoStaffActivity,
    Bot,
    Uptime,
    Commands,
    DatabaseSize,
    ErrorRate,
    /// A figure with no data yet.
    NoData,
}

impl Msg<'_> {
    /// Where the message is shown, and so its length limit.
    pub fn slot(&self) -> Slot {
        use Msg::*;
        match self {
            OpenTicketButton
            | GoToTicketButton
            | ItWorksButton
            | NeedHelpButton
            | CloseButton
            | ClaimButton
            | UnclaimButton
            | CloseConfirmButton
            | CloseWithReasonButton
            | DeleteChannelButton
            | ReopenButton
            | SetupButton
            | ManageButton
            | BackButton
            | CancelButton
            | ConfirmButton
            | SetupPanelButton
            | SetupLogButton
            | SetupLimitsButton
            | SetupTopicsButton
            | SetupStaffButton
            | SetupClosingButton
            | SetupWhoMayCloseButton
            | SetupNamingButton
            | SetupWelcomeButton
            | SetupLanguageButton
            | EnableButton
            | DisableButton
            | TopicAddButton
            | TopicListButton
            | TopicRemoveButton
            | ManageCloseButton
            | CloseAllButton
            | AddUserButton
            | RemoveUserButton
            | StatsButton
            | RevokeLinksButton
            | ConfirmCloseToggle { .. } => Slot::Button,
            Log(LogText::SummaryTitle { .. }) | Stats(StatsText::Title) => Slot::EmbedTitle,
            Log(
                LogText::Owner
                | LogText::Topic
                | LogText::OpenedAt
                | LogText::ClaimedBy
                | LogText::ClosedAt
                | LogText::ClosedBy
                | LogText::Duration
                | LogText::FirstResponse
                | LogText::Messages
                | LogText::Transcript,
            )
            | Stats(
                StatsText::AllTime
                | StatsText::Last30Days
                | StatsText::Last7Days
                | StatsText::StaffActivity
                | StatsText::Bot,
            ) => Slot::FieldName,
            Log(LogText::Nothing | LogText::Attached) | Stats(_) => Slot::FieldValue,
            Log(_) => Slot::Content,
            PanelTitle | WelcomeTitle | ResolvedTitle | HelpTitle | ClosedTitle | HubTitle
            | SetupTitle | ManageTitle => Slot::EmbedTitle,
            PanelDescription
            | WelcomeDescription { .. }
            | ResolvedDescription { .. }
            | HelpDescription { .. }
            | ClosedBy { .. }
            | HubDescription
            | SettingsSummary(_) => Slot::EmbedDescription,
            SettingName(_) => Slot::FieldName,
            SettingValue(..) => Slot::FieldValue,
            FieldCategory | FieldResponseTime | FieldInstructions | FieldReason => Slot::FieldName,
            DefaultCategory | DefaultResponseTime | DefaultInstructions | NoReason => {
                Slot::FieldValue
            }
            ClosingIn { .. } | CloseHowLabel(_) => Slot::Footer,
            CloseReasonModalTitle
            | PanelModalTitle
            | LimitsModalTitle
            | TopicModalTitle
            | DelayModalTitle
            | NamingModalTitle
            | WelcomeModalTitle
            | RevokeLinksModalTitle => Slot::ModalTitle,
            ReasonLabel
            | TitleLabel
            | DescriptionLabel
            | FooterLabel
            | MaxTotalLabel { .. }
            | MaxPerMemberLabel { .. }
            | TopicNameLabel
            | TopicEmojiLabel
            | DelaySecsLabel { .. }
            | TemplateLabel
            | ResponseTimeLabel
            | InstructionsLabel
            | TicketNumberLabel => Slot::InputLabel,
            TopicPlaceholder | ChannelPlaceholder | RolePlaceholder | UserPlaceholder => {
                Slot::Placeholder
            }
            ClosingDeleteOption | ClosingKeepOption | WhoMayCloseOption(_) | LanguageName(_) => {
                Slot::SelectOption
            }
            TopicPrompt
            | TicketOpened { .. }
            | DmTicketOpened { .. }
            | OpenRefused(_)
            | HelpNoStaffConfigured
            | Claimed { .. }
            | Unclaimed { .. }
            | MemberAdded { .. }
            | MemberRemoved { .. }
            | CloseConfirmPrompt
            | ChannelLocked
            | ChannelDeleting { .. }
            | Reopened { .. }
            | Refused(_)
            | SomethingWentWrong
            | MenuExpired
            | UnknownCommand
            | UnknownComponent
            | OpenTicketCount { .. }
            | GuildOnly
            | Done
            | BotLacksPermission { .. }
            | HubClosed
            | SystemEnabled
            | SystemDisabled
            | SettingSaved
            | SettingChanged { .. }
            | PanelChannelPrompt
            | PanelPosted { .. }
            | LogChannelPrompt
            | LogChannelSet { .. }
            | NotANumberInRange { .. }
            | LimitsSet { .. }
            | TopicAdded { .. }
            | TopicExists { .. }
            | TopicList { .. }
            | TopicRemovePrompt
            | TopicRemoveConfirmPrompt { .. }
            | TopicRemoved { .. }
            | TopicInUse { .. }
            | LogChannelGone { .. }
            | StaffRolesPrompt
            | StaffRolesSet { .. }
            | ClosingPrompt
            | WhoMayClosePrompt
            | TemplateInvalid(_)
            | LanguagePrompt
            | CloseAllConfirmPrompt { .. }
            | CloseAllProgress { .. }
            | CloseAllDone { .. }
            | NotATicketNumber
            | NoTicketNumbered { .. }
            | LinksRevoked { .. } => Slot::Content,
        }
    }
}

/// The message in `lang`.
pub fn text(lang: Language, msg: &Msg) -> String {
    match lang {
        Language::En => en(msg),
        Language::Vi => vi(msg),
    }
}

fn channel_list(channels: &[Snowflake]) -> String {
    let list: Vec<String> = channels.iter().map(|c| format!("<#{c}>")).collect();
    list.join(", ")
}

fn role_list(roles: &[Snowflake]) -> Option<String> {
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
fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}

fn en(msg: &Msg) -> String {
    use Msg::*;
    match *msg {
        PanelTitle => "🎫 Support tickets".into(),
        PanelDescription => {
            "Need help? Press the button below to open a private ticket with our staff.".into()
        }
        OpenTicketButton => "Open a ticket".into(),
        TopicPrompt => "What do you need help with? Pick a topic.".into(),
        TopicPlaceholder => "Pick a topic".into(),
        TicketOpened { channel } => format!("Your ticket is open: <#{channel}>"),
        GoToTicketButton => "Go to your ticket".into(),
        DmTicketOpened { guild, channel } => {
            format!("Your ticket in **{guild}** is open: <#{channel}>")
        }
        OpenRefused(refusal) => en_open_refusal(refusal),
        WelcomeTitle => "Welcome to your ticket".into(),
        WelcomeDescription { owner } => format!(
            "<@{owner}>, thanks for reaching out. Tell us what is going on; staff will answer here."
        ),
        FieldCategory => "📋 Category".into(),
        FieldResponseTime => "⏱️ Response Time".into(),
        FieldInstructions => "📝 Instructions".into(),
        DefaultCategory => "General Support".into(),
        DefaultResponseTime => "Minutes to hours".into(),
        DefaultInstructions => "1. Describe your problem.\n2. Add screenshots if they help.\n\
             3. Press ✅ It Works! when it is solved, or 🆘 Need Help to call staff."
            .into(),
        ItWorksButton => "✅ It Works!".into(),
        NeedHelpButton => "🆘 Need Help".into(),
        CloseButton => "🔒 Close".into(),
        ResolvedTitle => "✅ Issue resolved".into(),
        ResolvedDescription { owner } => format!("<@{owner}> confirmed the solution."),
        ClosingIn { secs } => format!("This ticket will close in {secs} seconds."),
        HelpTitle => "🆘 Help requested".into(),
        HelpDescription { owner } => {
            format!("<@{owner}> needs more help. A staff member will join shortly.")
        }
        HelpNoStaffConfigured => {
            "No staff roles are set up yet, so nobody was pinged; an admin will look at this."
                .into()
        }
        ClaimButton => "🙋 Claim".into(),
        UnclaimButton => "Unclaim".into(),
        Claimed { by } => format!("🙋 <@{by}> has claimed this ticket and will help you."),
        Unclaimed { by } => format!("<@{by}> released this ticket."),
        MemberAdded { user, by } => format!("<@{by}> added <@{user}> to this ticket."),
        MemberRemoved { user, by } => format!("<@{by}> removed <@{user}> from this ticket."),
        CloseConfirmPrompt => "Close this ticket?".into(),
        CloseConfirmButton => "Yes, close it".into(),
        CloseWithReasonButton => "Close with a reason".into(),
        CloseReasonModalTitle => "Close the ticket".into(),
        ReasonLabel => "Reason (optional)".into(),
        ClosedTitle => "🔒 Ticket closed".into(),
        ClosedBy { by, how } => format!("Closed by <@{by}>: {}.", en(&CloseHowLabel(how))),
        CloseHowLabel(how) => match how {
            CloseHow::ItWorks => "resolved, confirmed by the owner",
            CloseHow::NeedHelpThenStaff => "by staff after a help request",
            CloseHow::Staff => "by staff",
            CloseHow::Owner => "by the owner",
            CloseHow::CloseAll => "all tickets were closed",
            CloseHow::ChannelDeleted => "the channel was deleted",
        }
        .into(),
        FieldReason => "Reason".into(),
        NoReason => "No reason given".into(),
        ChannelLocked => "This channel is locked. Staff can delete it or reopen the ticket.".into(),
        ChannelDeleting { secs } => format!("This channel will be deleted in {secs} seconds."),
        DeleteChannelButton => "🗑 Delete Channel".into(),
        ReopenButton => "↩ Reopen".into(),
        Reopened { by } => format!("↩ <@{by}> reopened this ticket."),
        Refused(refusal) => en_refusal(refusal),
        SomethingWentWrong => {
            "Something went wrong on our side. Please try again in a moment.".into()
        }
        MenuExpired => "This menu has expired. Please run the command again.".into(),
        UnknownCommand => "This command is not available any more. Discord may still be updating the command list; try again in a minute.".into(),
        UnknownComponent => "I do not recognise this button or menu. It may belong to an older message; please use a newer one.".into(),
        OpenTicketCount { open } => format!("Open tickets in this server: {open}."),
        GuildOnly => "This command works only in a server.".into(),
        Done => "Done.".into(),
        BotLacksPermission {
            permission,
            channel,
        } => format!("I need the **{permission}** permission in <#{channel}>."),
        HubTitle => "🎫 Ticket hub".into(),
        HubDescription => "Set up the ticket system, or manage the tickets.".into(),
        SetupButton => "⚙️ Setup".into(),
        ManageButton => "🛠️ Manage".into(),
        BackButton => "Back".into(),
        CancelButton => "Cancel".into(),
        ConfirmButton => "Confirm".into(),
        HubClosed => "Menu closed.".into(),
        SetupTitle => "⚙️ Setup".into(),
        SettingsSummary(settings) => summary(Language::En, settings),
        SettingName(setting) => en_setting_name(setting).into(),
        SettingValue(setting, settings) => en_setting_value(setting, settings),
        SetupPanelButton => "Panel message".into(),
        SetupLogButton => "Log channel".into(),
        SetupLimitsButton => "Limits".into(),
        SetupTopicsButton => "Topics".into(),
        SetupStaffButton => "Staff roles".into(),
        SetupClosingButton => "Closing".into(),
        SetupWhoMayCloseButton => "Who may close".into(),
        SetupNamingButton => "Channel names".into(),
        SetupWelcomeButton => "Welcome message".into(),
        SetupLanguageButton => "Language".into(),
        EnableButton => "Enable".into(),
        DisableButton => "Disable".into(),
        SystemEnabled => "The ticket system is on.".into(),
        SystemDisabled => "The ticket system is off: nobody can open tickets.".into(),
        SettingSaved => "Saved.".into(),
        SettingChanged {
            by,
            setting,
            from,
            to,
        } => format!("<@{by}> changed {setting}: {from} → {to}"),
        PanelChannelPrompt => "Pick the channel where the panel goes.".into(),
        ChannelPlaceholder => "Pick a channel".into(),
        PanelModalTitle => "Panel message".into(),
        TitleLabel => "Title".into(),
        DescriptionLabel => "Description".into(),
        FooterLabel => "Footer".into(),
        PanelPosted { channel } => format!("Panel posted in <#{channel}>."),
        LogChannelPrompt => "Pick the channel for ticket logs.".into(),
        LogChannelSet { channel } => format!("Ticket logs go to <#{channel}>."),
        LimitsModalTitle => "Ticket limits".into(),
        MaxTotalLabel { min, max } => format!("Open tickets in the server ({min}–{max})"),
        MaxPerMemberLabel { min, max } => format!("Open tickets per member ({min}–{max})"),
        NotANumberInRange { min, max } => {
            format!("Please enter a whole number from {min} to {max}.")
        }
        LimitsSet { per_member, total } => {
            format!("Limits saved: {per_member} per member, {total} in the server.")
        }
        TopicAddButton => "Add".into(),
        TopicListButton => "List".into(),
        TopicRemoveButton => "Remove".into(),
        TopicModalTitle => "New topic".into(),
        TopicNameLabel => "Name".into(),
        TopicEmojiLabel => "Emoji (optional)".into(),
        TopicAdded { name } => format!("Topic **{name}** added."),
        TopicExists { name } => format!("A topic named **{name}** already exists."),
        TopicList { names: [] } => "No topics yet.".into(),
        TopicList { names } => format!("Topics:\n{}", bullet_list(names)),
        TopicRemovePrompt => "Pick the topic to remove.".into(),
        TopicRemoveConfirmPrompt { name } => {
            format!("Remove the topic **{name}** and its category?")
        }
        TopicRemoved { name } => format!("Topic **{name}** removed."),
        LogChannelGone { channel } => format!(
            "The log channel (`{channel}`) no longer exists, so this change was not logged. Pick another in Setup → Log channel."
        ),
        TopicInUse { name, channels } => format!(
            "The topic **{name}** still has open tickets: {}. Close them first.",
            channel_list(channels)
        ),
        StaffRolesPrompt => "Pick the roles that handle tickets.".into(),
        RolePlaceholder => "Pick roles".into(),
        StaffRolesSet { roles } => match role_list(roles) {
            Some(list) => format!("Staff roles: {list}"),
            None => "No staff roles: only admins handle tickets.".into(),
        },
        ClosingPrompt => "What happens to a ticket's channel when it is closed?".into(),
        ConfirmCloseToggle { on: true } => "🔒 Close asks first: on (turn off)".into(),
        ConfirmCloseToggle { on: false } => "🔒 Close asks first: off (turn on)".into(),
        ClosingDeleteOption => "Delete the channel after a delay".into(),
        ClosingKeepOption => "Keep it locked, with Delete and Reopen".into(),
        DelayModalTitle => "Delete after".into(),
        DelaySecsLabel { min, max } => format!("Seconds before deletion ({min}–{max})"),
        WhoMayClosePrompt => "Who may close tickets?".into(),
        WhoMayCloseOption(WhoMayClose::OwnerAndStaff) => "The ticket's owner and staff".into(),
        WhoMayCloseOption(WhoMayClose::StaffOnly) => "Staff only".into(),
        NamingModalTitle => "Channel names".into(),
        TemplateLabel => "Template with {number} and {user}".into(),
        TemplateInvalid(error) => en_template_error(error),
        WelcomeModalTitle => "Welcome message".into(),
        ResponseTimeLabel => "Expected response time".into(),
        InstructionsLabel => "Instructions".into(),
        LanguagePrompt => "The language of messages in ticket channels.".into(),
        LanguageName(lang) => language_name(lang).into(),
        ManageTitle => "🛠️ Manage".into(),
        ManageCloseButton => "Close this ticket".into(),
        CloseAllButton => "Close all tickets".into(),
        CloseAllConfirmPrompt { count } => {
            format!("Close all {count} open tickets? Their transcripts are saved first.")
        }
        CloseAllProgress { done, total } => format!("Closing tickets… {done}/{total}"),
        CloseAllDone { count } => format!("Closed {count} tickets."),
        AddUserButton => "Add a member".into(),
        RemoveUserButton => "Remove a member".into(),
        UserPlaceholder => "Pick a member".into(),
        StatsButton => "Statistics".into(),
        RevokeLinksButton => "Revoke transcript links".into(),
        RevokeLinksModalTitle => "Revoke transcript links".into(),
        TicketNumberLabel => "Ticket number".into(),
        NotATicketNumber => "Please enter a ticket's number, a whole number from 1.".into(),
        NoTicketNumbered { number } => format!("No ticket in this server has the number {number}."),
        LinksRevoked { number } => format!(
            "The transcript links of ticket #{number} are revoked: they no longer open it."
        ),
        Log(text) => en_log(text),
        Stats(text) => en_stats(text),
    }
}

fn en_log(text: LogText) -> String {
    match text {
        LogText::Opened {
            ticket,
            owner,
            channel,
        } => format!("🎫 {ticket} opened by <@{owner}> in <#{channel}>"),
        LogText::HelpRequested {
            ticket,
            owner,
            channel,
        } => format!("🆘 <@{owner}> asked for help in {ticket} (<#{channel}>)"),
        LogText::Claimed {
            ticket,
            by,
            channel,
        } => format!("🙋 <@{by}> claimed {ticket} (<#{channel}>)"),
        LogText::SummaryTitle { ticket, number } => format!("Ticket closed: {ticket} (#{number})"),
        LogText::Owner => "Owner".into(),
        LogText::Topic => "Topic".into(),
        LogText::OpenedAt => "Opened".into(),
        LogText::ClaimedBy => "Claimed by".into(),
        LogText::ClosedAt => "Closed at".into(),
        LogText::ClosedBy => "Closed by".into(),
        LogText::Duration => "Duration".into(),
        LogText::FirstResponse => "First staff response".into(),
        LogText::Messages => "Messages".into(),
        LogText::Transcript => "Transcript".into(),
        LogText::Nothing => "—".into(),
        LogText::Attached => "attached below".into(),
        LogText::DmRefused { owner } => {
            format!("📭 <@{owner}> does not accept DMs, so the transcript was not sent to them.")
        }
        LogText::WorkBlocked {
            work,
            ticket,
            channel,
            permission,
        } => {
            let what = match work {
                BlockedWork::DeleteChannel => "delete the channel of",
                BlockedWork::SaveTranscript => "save the transcript of",
            };
            format!(
                "⚠️ Ticketbooth cannot {what} {ticket} (<#{channel}>): it needs the {permission} permission there. It keeps trying and finishes once that permission is given."
            )
        }
        LogText::ClosedAll { by, count } => {
            format!("🔒 <@{by}> closed {count} tickets with Close all.")
        }
        LogText::LinksRevoked { by, number } => {
            format!("🔗 <@{by}> revoked the transcript links of ticket #{number}.")
        }
        LogText::LogChannelGone { guild, channel } => format!(
            "Ticketbooth's log channel in {guild} (<#{channel}>) no longer exists, so closure summaries and transcripts are not posted. Choose a new one with /ticket → Setup → Log channel."
        ),
        LogText::TranscriptDm {
            ticket,
            guild,
            link: Some(link),
        } => format!("Your ticket {ticket} in {guild} was closed. Its transcript: {link}"),
        LogText::TranscriptDm {
            ticket,
            guild,
            link: None,
        } => format!("Your ticket {ticket} in {guild} was closed. Its transcript is attached."),
    }
}

fn en_stats(text: StatsText) -> String {
    match text {
        StatsText::Title => "Ticket statistics".into(),
        StatsText::AllTime => "All time".into(),
        StatsText::Last30Days => "Last 30 days".into(),
        StatsText::Last7Days => "Last 7 days".into(),
        StatsText::Created => "Created".into(),
        StatsText::Closed => "Closed".into(),
        StatsText::StillOpen => "Still open".into(),
        StatsText::ResolutionMean => "Average resolution".into(),
        StatsText::ResolutionMedian => "Median resolution".into(),
        StatsText::FirstResponseMean => "Average first staff response".into(),
        StatsText::PerMember => "Tickets per member".into(),
        StatsText::TopTopic => "Most common topic".into(),
        StatsText::ResolutionRate => "Resolution rate".into(),
        StatsText::StaffActivity => "Staff activity (all time)".into(),
        StatsText::StaffLine {
            user,
            claims,
            closes,
            responses,
        } => format!("<@{user}>: {claims} claims, {closes} closes, {responses} first responses"),
        StatsText::NoStaffActivity => "No staff activity yet.".into(),
        StatsText::Bot => "Bot".into(),
        StatsText::Uptime => "Uptime".into(),
        StatsText::Commands => "Commands processed".into(),
        StatsText::DatabaseSize => "Database size".into(),
        StatsText::ErrorRate => "Error rate".into(),
        StatsText::NoData => "no data yet".into(),
    }
}

fn vi(msg: &Msg) -> String {
    use Msg::*;
    match *msg {
        PanelTitle => "🎫 Hỗ Trợ".into(),
        PanelDescription => {
            "Cần hỗ trợ? Bấm nút bên dưới để mở một ticket riêng với đội ngũ hỗ trợ.".into()
        }
        OpenTicketButton => "Mở Ticket".into(),
        TopicPrompt => "Bạn cần hỗ trợ về vấn đề gì? Hãy chọn một chủ đề.".into(),
        TopicPlaceholder => "Chọn chủ đề".into(),
        TicketOpened { channel } => format!("Ticket của bạn đã được mở: <#{channel}>"),
        GoToTicketButton => "Đến ticket của bạn".into(),
        DmTicketOpened { guild, channel } => {
            format!("Ticket của bạn tại **{guild}** đã được mở: <#{channel}>")
        }
        OpenRefused(refusal) => vi_open_refusal(refusal),
        WelcomeTitle => "Chào mừng đến với ticket của bạn".into(),
        WelcomeDescription { owner } => format!(
            "<@{owner}>, cảm ơn bạn đã liên hệ. Hãy mô tả vấn đề của bạn; đội ngũ hỗ trợ sẽ trả lời tại đây."
        ),
        FieldCategory => "📋 Danh Mục".into(),
        FieldResponseTime => "⏱️ Thời Gian Phản Hồi".into(),
        FieldInstructions => "📝 Hướng Dẫn".into(),
        DefaultCategory => "Hỗ Trợ Chung".into(),
        DefaultResponseTime => "Vài phút đến vài giờ".into(),
        DefaultInstructions => "1. Mô tả vấn đề của bạn.\n2. Đính kèm ảnh chụp màn hình nếu cần.\n\
             3. Bấm ✅ Đã Giải Quyết khi xong, hoặc 🆘 Cần Trợ Giúp để gọi nhân viên hỗ trợ."
            .into(),
        ItWorksButton => "✅ Đã Giải Quyết".into(),
        NeedHelpButton => "🆘 Cần Trợ Giúp".into(),
        CloseButton => "🔒 Đóng".into(),
        ResolvedTitle => "✅ Vấn Đề Đã Giải Quyết".into(),
        ResolvedDescription { owner } => {
            format!("<@{owner}> đã xác nhận vấn đề được giải quyết.")
        }
        ClosingIn { secs } => format!("Ticket sẽ đóng sau {secs} giây."),
        HelpTitle => "🆘 Yêu Cầu Trợ Giúp".into(),
        HelpDescription { owner } => {
            format!("<@{owner}> cần thêm trợ giúp. Nhân viên hỗ trợ sẽ tham gia ngay.")
        }
        HelpNoStaffConfigured => {
            "Chưa cài đặt vai trò hỗ trợ nên chưa ai được gọi; quản trị viên sẽ xem xét.".into()
        }
        ClaimButton => "🙋 Nhận Xử Lý".into(),
        UnclaimButton => "Bỏ Nhận".into(),
        Claimed { by } => format!("🙋 <@{by}> đã nhận ticket này và sẽ hỗ trợ bạn."),
        Unclaimed { by } => format!("<@{by}> đã bỏ nhận ticket này."),
        MemberAdded { user, by } => format!("<@{by}> đã thêm <@{user}> vào ticket này."),
        MemberRemoved { user, by } => format!("<@{by}> đã xóa <@{user}> khỏi ticket này."),
        CloseConfirmPrompt => "Đóng ticket này?".into(),
        CloseConfirmButton => "Có, đóng lại".into(),
        CloseWithReasonButton => "Đóng kèm lý do".into(),
        CloseReasonModalTitle => "Đóng ticket".into(),
        ReasonLabel => "Lý do (không bắt buộc)".into(),
        ClosedTitle => "🔒 Ticket Đã Đóng".into(),
        ClosedBy { by, how } => format!("Đóng bởi <@{by}>: {}.", vi(&CloseHowLabel(how))),
        CloseHowLabel(how) => match how {
            CloseHow::ItWorks => "chủ ticket xác nhận đã giải quyết",
            CloseHow::NeedHelpThenStaff => "nhân viên đóng sau yêu cầu trợ giúp",
            CloseHow::Staff => "nhân viên đóng",
            CloseHow::Owner => "chủ ticket đóng",
            CloseHow::CloseAll => "đóng tất cả ticket",
            CloseHow::ChannelDeleted => "kênh đã bị xóa",
        }
        .into(),
        FieldReason => "Lý Do".into(),
        NoReason => "Không có lý do".into(),
        ChannelLocked => {
            "Kênh này đã bị khóa. Nhân viên có thể xóa kênh hoặc mở lại ticket.".into()
        }
        ChannelDeleting { secs } => format!("Kênh này sẽ bị xóa sau {secs} giây."),
        DeleteChannelButton => "🗑 Xóa Kênh".into(),
        ReopenButton => "↩ Mở Lại".into(),
        Reopened { by } => format!("↩ <@{by}> đã mở lại ticket này."),
        Refused(refusal) => vi_refusal(refusal),
        SomethingWentWrong => "Đã có lỗi xảy ra. Vui lòng thử lại sau giây lát.".into(),
        MenuExpired => "Menu này đã hết hạn. Vui lòng chạy lại lệnh.".into(),
        UnknownCommand => "Lệnh này không còn khả dụng. Discord có thể đang cập nhật danh sách lệnh; hãy thử lại sau một phút.".into(),
        UnknownComponent => "Tôi không nhận ra nút hoặc menu này. Có thể nó thuộc một tin nhắn cũ; hãy dùng tin nhắn mới hơn.".into(),
        OpenTicketCount { open } => format!("Số ticket đang mở trong máy chủ: {open}."),
        GuildOnly => "Lệnh này chỉ dùng được trong máy chủ.".into(),
        Done => "Xong.".into(),
        BotLacksPermission {
            permission,
            channel,
        } => format!("Tôi cần quyền **{permission}** trong <#{channel}>."),
        HubTitle => "🎫 Trung Tâm Ticket".into(),
        HubDescription => "Cài đặt hệ thống ticket, hoặc quản lý các ticket.".into(),
        SetupButton => "⚙️ Cài Đặt".into(),
        ManageButton => "🛠️ Quản Lý".into(),
        BackButton => "Quay Lại".into(),
        CancelButton => "Hủy".into(),
        ConfirmButton => "Xác Nhận".into(),
        HubClosed => "Đã đóng menu.".into(),
        SetupTitle => "⚙️ Cài Đặt".into(),
        SettingsSummary(settings) => summary(Language::Vi, settings),
        SettingName(setting) => vi_setting_name(setting).into(),
        SettingValue(setting, settings) => vi_setting_value(setting, settings),
        SetupPanelButton => "Tin nhắn panel".into(),
        SetupLogButton => "Kênh log".into(),
        SetupLimitsButton => "Giới hạn".into(),
        SetupTopicsButton => "Chủ đề".into(),
        SetupStaffButton => "Vai trò hỗ trợ".into(),
        SetupClosingButton => "Khi đóng".into(),
        SetupWhoMayCloseButton => "Ai được đóng".into(),
        SetupNamingButton => "Tên kênh".into(),
        SetupWelcomeButton => "Lời chào".into(),
        SetupLanguageButton => "Ngôn ngữ".into(),
        EnableButton => "Bật".into(),
        DisableButton => "Tắt".into(),
        SystemEnabled => "Hệ thống ticket đã bật.".into(),
        SystemDisabled => "Hệ thống ticket đã tắt: không ai có thể mở ticket.".into(),
        SettingSaved => "Đã lưu.".into(),
        SettingChanged {
            by,
            setting,
            from,
            to,
        } => format!("<@{by}> đã đổi {setting}: {from} → {to}"),
        PanelChannelPrompt => "Chọn kênh để đăng panel.".into(),
        ChannelPlaceholder => "Chọn kênh".into(),
        PanelModalTitle => "Tin nhắn panel".into(),
        TitleLabel => "Tiêu đề".into(),
        DescriptionLabel => "Mô tả".into(),
        FooterLabel => "Chân trang".into(),
        PanelPosted { channel } => format!("Đã đăng panel tại <#{channel}>."),
        LogChannelPrompt => "Chọn kênh ghi log ticket.".into(),
        LogChannelSet { channel } => format!("Log ticket sẽ được gửi tới <#{channel}>."),
        LimitsModalTitle => "Giới hạn ticket".into(),
        MaxTotalLabel { min, max } => format!("Số ticket mở trong máy chủ ({min}–{max})"),
        MaxPerMemberLabel { min, max } => format!("Số ticket mở mỗi thành viên ({min}–{max})"),
        NotANumberInRange { min, max } => {
            format!("Vui lòng nhập một số nguyên từ {min} đến {max}.")
        }
        LimitsSet { per_member, total } => {
            format!("Đã lưu giới hạn: {per_member} mỗi thành viên, {total} trong máy chủ.")
        }
        TopicAddButton => "Thêm".into(),
        TopicListButton => "Danh sách".into(),
        TopicRemoveButton => "Xóa".into(),
        TopicModalTitle => "Chủ đề mới".into(),
        TopicNameLabel => "Tên".into(),
        TopicEmojiLabel => "Emoji (không bắt buộc)".into(),
        TopicAdded { name } => format!("Đã thêm chủ đề **{name}**."),
        TopicExists { name } => format!("Chủ đề **{name}** đã tồn tại."),
        TopicList { names: [] } => "Chưa có chủ đề nào.".into(),
        TopicList { names } => format!("Các chủ đề:\n{}", bullet_list(names)),
        TopicRemovePrompt => "Chọn chủ đề cần xóa.".into(),
        TopicRemoveConfirmPrompt { name } => {
            format!("Xóa chủ đề **{name}** và danh mục của nó?")
        }
        TopicRemoved { name } => format!("Đã xóa chủ đề **{name}**."),
        LogChannelGone { channel } => format!(
            "Kênh nhật ký (`{channel}`) không còn tồn tại nên thay đổi này chưa được ghi lại. Hãy chọn kênh khác trong Cài đặt → Kênh nhật ký."
        ),
        TopicInUse { name, channels } => format!(
            "Chủ đề **{name}** vẫn còn ticket đang mở: {}. Hãy đóng chúng trước.",
            channel_list(channels)
        ),
        StaffRolesPrompt => "Chọn các vai trò xử lý ticket.".into(),
        RolePlaceholder => "Chọn vai trò".into(),
        StaffRolesSet { roles } => match role_list(roles) {
            Some(list) => format!("Vai trò hỗ trợ: {list}"),
            None => "Chưa có vai trò hỗ trợ: chỉ quản trị viên xử lý ticket.".into(),
        },
        ClosingPrompt => "Điều gì xảy ra với kênh khi ticket được đóng?".into(),
        ConfirmCloseToggle { on: true } => "🔒 Đóng hỏi lại trước: bật (tắt đi)".into(),
        ConfirmCloseToggle { on: false } => "🔒 Đóng hỏi lại trước: tắt (bật lên)".into(),
        ClosingDeleteOption => "Xóa kênh sau một khoảng thời gian".into(),
        ClosingKeepOption => "Giữ kênh và khóa lại, kèm nút Xóa và Mở Lại".into(),
        DelayModalTitle => "Xóa sau".into(),
        DelaySecsLabel { min, max } => format!("Số giây trước khi xóa ({min}–{max})"),
        WhoMayClosePrompt => "Ai được phép đóng ticket?".into(),
        WhoMayCloseOption(WhoMayClose::OwnerAndStaff) => "Chủ ticket và nhân viên".into(),
        WhoMayCloseOption(WhoMayClose::StaffOnly) => "Chỉ nhân viên".into(),
        NamingModalTitle => "Tên kênh".into(),
        TemplateLabel => "Mẫu tên với {number} và {user}".into(),
        TemplateInvalid(error) => vi_template_error(error),
        WelcomeModalTitle => "Lời chào".into(),
        ResponseTimeLabel => "Thời gian phản hồi dự kiến".into(),
        InstructionsLabel => "Hướng dẫn".into(),
        LanguagePrompt => "Ngôn ngữ của tin nhắn trong kênh ticket.".into(),
        LanguageName(lang) => language_name(lang).into(),
        ManageTitle => "🛠️ Quản Lý".into(),
        ManageCloseButton => "Đóng ticket này".into(),
        CloseAllButton => "Đóng tất cả ticket".into(),
        CloseAllConfirmPrompt { count } => {
            format!("Đóng tất cả {count} ticket đang mở? Bản ghi sẽ được lưu trước.")
        }
        CloseAllProgress { done, total } => format!("Đang đóng ticket… {done}/{total}"),
        CloseAllDone { count } => format!("Đã đóng {count} ticket."),
        AddUserButton => "Thêm thành viên".into(),
        RemoveUserButton => "Xóa thành viên".into(),
        UserPlaceholder => "Chọn thành viên".into(),
        StatsButton => "Thống kê".into(),
        RevokeLinksButton => "Thu hồi liên kết bản ghi".into(),
        RevokeLinksModalTitle => "Thu hồi liên kết bản ghi".into(),
        TicketNumberLabel => "Số ticket".into(),
        NotATicketNumber => "Vui lòng nhập số của ticket, một số nguyên từ 1.".into(),
        NoTicketNumbered { number } => format!("Không có ticket nào trong máy chủ mang số {number}."),
        LinksRevoked { number } => format!(
            "Các liên kết bản ghi của ticket #{number} đã bị thu hồi: chúng không còn mở được nữa."
        ),
        Log(text) => vi_log(text),
        Stats(text) => vi_stats(text),
    }
}

fn vi_log(text: LogText) -> String {
    match text {
        LogText::Opened {
            ticket,
            owner,
            channel,
        } => format!("🎫 <@{owner}> đã mở {ticket} tại <#{channel}>"),
        LogText::HelpRequested {
            ticket,
            owner,
            channel,
        } => format!("🆘 <@{owner}> đã yêu cầu trợ giúp trong {ticket} (<#{channel}>)"),
        LogText::Claimed {
            ticket,
            by,
            channel,
        } => format!("🙋 <@{by}> đã nhận {ticket} (<#{channel}>)"),
        LogText::SummaryTitle { ticket, number } => format!("Ticket đã đóng: {ticket} (#{number})"),
        LogText::Owner => "Người mở".into(),
        LogText::Topic => "Chủ đề".into(),
        LogText::OpenedAt => "Mở lúc".into(),
        LogText::ClaimedBy => "Người nhận".into(),
        LogText::ClosedAt => "Đóng lúc".into(),
        LogText::ClosedBy => "Người đóng".into(),
        LogText::Duration => "Thời lượng".into(),
        LogText::FirstResponse => "Phản hồi đầu tiên của nhân viên".into(),
        LogText::Messages => "Số tin nhắn".into(),
        LogText::Transcript => "Bản ghi".into(),
        LogText::Nothing => "không có".into(),
        LogText::Attached => "đính kèm bên dưới".into(),
        LogText::DmRefused { owner } => {
            format!("📭 <@{owner}> không nhận tin nhắn riêng nên chưa nhận được bản ghi.")
        }
        LogText::WorkBlocked {
            work,
            ticket,
            channel,
            permission,
        } => {
            let what = match work {
                BlockedWork::DeleteChannel => "xoá kênh của",
                BlockedWork::SaveTranscript => "lưu bản ghi của",
            };
            format!(
                "⚠️ Ticketbooth không thể {what} {ticket} (<#{channel}>): bot cần quyền {permission} tại đó. Bot vẫn tiếp tục thử lại và sẽ hoàn tất khi được cấp quyền này."
            )
        }
        LogText::ClosedAll { by, count } => {
            format!("🔒 <@{by}> đã đóng {count} ticket bằng Close all.")
        }
        LogText::LinksRevoked { by, number } => {
            format!("🔗 <@{by}> đã thu hồi các liên kết bản ghi của ticket #{number}.")
        }
        LogText::LogChannelGone { guild, channel } => format!(
            "Kênh nhật ký của Ticketbooth trong {guild} (<#{channel}>) không còn tồn tại nên tóm tắt và bản ghi không được đăng. Hãy chọn kênh mới bằng /ticket → Setup → Log channel."
        ),
        LogText::TranscriptDm {
            ticket,
            guild,
            link: Some(link),
        } => format!("Ticket {ticket} của bạn trong {guild} đã đóng. Bản ghi: {link}"),
        LogText::TranscriptDm {
            ticket,
            guild,
            link: None,
        } => format!("Ticket {ticket} của bạn trong {guild} đã đóng. Bản ghi được đính kèm."),
    }
}

fn vi_stats(text: StatsText) -> String {
    match text {
        StatsText::Title => "Thống kê ticket".into(),
        StatsText::AllTime => "Toàn bộ thời gian".into(),
        StatsText::Last30Days => "30 ngày qua".into(),
        StatsText::Last7Days => "7 ngày qua".into(),
        StatsText::Created => "Đã tạo".into(),
        StatsText::Closed => "Đã đóng".into(),
        StatsText::StillOpen => "Đang mở".into(),
        StatsText::ResolutionMean => "Thời gian giải quyết trung bình".into(),
        StatsText::ResolutionMedian => "Thời gian giải quyết trung vị".into(),
        StatsText::FirstResponseMean => "Phản hồi đầu tiên trung bình".into(),
        StatsText::PerMember => "Ticket mỗi thành viên".into(),
        StatsText::TopTopic => "Chủ đề phổ biến nhất".into(),
        StatsText::ResolutionRate => "Tỷ lệ giải quyết".into(),
        StatsText::StaffActivity => "Hoạt động nhân viên (toàn bộ)".into(),
        StatsText::StaffLine {
            user,
            claims,
            closes,
            responses,
        } => format!("<@{user}>: nhận {claims}, đóng {closes}, phản hồi đầu tiên {responses}"),
        StatsText::NoStaffActivity => "Chưa có hoạt động của nhân viên.".into(),
        StatsText::Bot => "Về bot".into(),
        StatsText::Uptime => "Thời gian hoạt động".into(),
        StatsText::Commands => "Lệnh đã xử lý".into(),
        StatsText::DatabaseSize => "Dung lượng cơ sở dữ liệu".into(),
        StatsText::ErrorRate => "Tỷ lệ lỗi".into(),
        StatsText::NoData => "chưa có dữ liệu".into(),
    }
}

/// A language's own name, the same in every language.
fn language_name(lang: Language) -> &'static str {
    match lang {
        Language::En => "English",
        Language::Vi => "Tiếng Việt",
    }
}

fn en_refusal(refusal: Refusal) -> String {
    match refusal {
        Refusal::NotOwner => "Only the ticket's owner can do that.".into(),
        Refusal::NotStaff => "Only staff can do that.".into(),
        Refusal::NotAdmin => "Only server admins can do that.".into(),
        Refusal::OwnerMayNotClose => "On this server only staff close tickets. \
             Press ✅ It Works! if your problem is solved."
            .into(),
        Refusal::NotATicket => "This is not a ticket channel.".into(),
        Refusal::NotReady => "This ticket is still being set up. Try again in a moment.".into(),
        Refusal::AlreadyClosed => "This ticket is already closed.".into(),
        Refusal::AlreadyDeleted => "This ticket's channel is already deleted.".into(),
        Refusal::NotClosed => "This ticket is still open.".into(),
        Refusal::AlreadyAskedForHelp => "Help is already on its way.".into(),
        Refusal::AlreadyClaimed { by } => format!("<@{by}> has already claimed this ticket."),
        Refusal::NotClaimed => "Nobody has claimed this ticket.".into(),
        Refusal::CannotRemoveOwner => "The ticket's owner cannot be removed.".into(),
        Refusal::AlreadyMember => "That member is already in this ticket.".into(),
        Refusal::NotAMember => "That member was not added to this ticket.".into(),
        Refusal::Disabled => "The ticket system is turned off on this server.".into(),
    }
}

fn vi_refusal(refusal: Refusal) -> String {
    match refusal {
        Refusal::NotOwner => "Chỉ chủ ticket mới có thể làm điều này.".into(),
        Refusal::NotStaff => "Chỉ nhân viên hỗ trợ mới có thể làm điều này.".into(),
        Refusal::NotAdmin => "Chỉ quản trị viên máy chủ mới có thể làm điều này.".into(),
        Refusal::OwnerMayNotClose => "Trên máy chủ này chỉ nhân viên được đóng ticket. \
             Bấm ✅ Đã Giải Quyết nếu vấn đề của bạn đã xong."
            .into(),
        Refusal::NotATicket => "Đây không phải kênh ticket.".into(),
        Refusal::NotReady => "Ticket này vẫn đang được tạo. Vui lòng thử lại sau giây lát.".into(),
        Refusal::AlreadyClosed => "Ticket này đã được đóng.".into(),
        Refusal::AlreadyDeleted => "Kênh của ticket này đã bị xóa.".into(),
        Refusal::NotClosed => "Ticket này vẫn đang mở.".into(),
        Refusal::AlreadyAskedForHelp => "Yêu cầu trợ giúp đã được gửi.".into(),
        Refusal::AlreadyClaimed { by } => format!("<@{by}> đã nhận ticket này rồi."),
        Refusal::NotClaimed => "Chưa ai nhận ticket này.".into(),
        Refusal::CannotRemoveOwner => "Không thể xóa chủ ticket.".into(),
        Refusal::AlreadyMember => "Thành viên này đã ở trong ticket.".into(),
        Refusal::NotAMember => "Thành viên này chưa được thêm vào ticket.".into(),
        Refusal::Disabled => "Hệ thống ticket đang tắt trên máy chủ này.".into(),
    }
}

fn en_open_refusal(refusal: OpenRefusal) -> String {
    match refusal {
        OpenRefusal::AlreadyOpen {
            channel_id: Some(channel),
        } => format!("You already have an open ticket: <#{channel}>"),
        OpenRefusal::AlreadyOpen { channel_id: None } => {
            "Your ticket is being created; it will appear in a moment.".into()
        }
        OpenRefusal::ServerLimit { max } => format!(
            "This server has reached its limit of {max} open tickets. Please try again later."
        ),
        OpenRefusal::Disabled => en_refusal(Refusal::Disabled),
        OpenRefusal::Blacklisted => "You cannot open tickets on this server.".into(),
        OpenRefusal::BotLacksManageChannels => "I cannot create your ticket: \
             I lack the **Manage Channels** permission. Please tell an admin."
            .into(),
        OpenRefusal::CategoryFull => {
            "The ticket categories are full (50 channels). Please tell an admin.".into()
        }
    }
}

fn vi_open_refusal(refusal: OpenRefusal) -> String {
    match refusal {
        OpenRefusal::AlreadyOpen {
            channel_id: Some(channel),
        } => format!("Bạn đã có một ticket đang mở: <#{channel}>"),
        OpenRefusal::AlreadyOpen { channel_id: None } => {
            "Ticket của bạn đang được tạo và sẽ xuất hiện trong giây lát.".into()
        }
        OpenRefusal::ServerLimit { max } => {
            format!("Máy chủ đã đạt giới hạn {max} ticket đang mở. Vui lòng thử lại sau.")
        }
        OpenRefusal::Disabled => vi_refusal(Refusal::Disabled),
        OpenRefusal::Blacklisted => "Bạn không thể mở ticket trên máy chủ này.".into(),
        OpenRefusal::BotLacksManageChannels => "Tôi không thể tạo ticket: \
             tôi thiếu quyền **Manage Channels**. Vui lòng báo quản trị viên."
            .into(),
        OpenRefusal::CategoryFull => {
            "Các danh mục ticket đã đầy (50 kênh). Vui lòng báo quản trị viên.".into()
        }
    }
}

fn en_template_error(error: &TemplateError) -> String {
    match error {
        TemplateError::Empty => "The template is empty.".into(),
        TemplateError::TooLong { max } => format!("The template is longer than {max} characters."),
        TemplateError::UnknownPlaceholder { placeholder } => format!(
            "Unknown placeholder {}: use {{number}} and {{user}}.",
            code(placeholder)
        ),
        TemplateError::Unclosed => "A `{` in the template is not closed.".into(),
        TemplateError::MissingNumber => "The template must contain {number}.".into(),
    }
}

fn vi_template_error(error: &TemplateError) -> String {
    match error {
        TemplateError::Empty => "Mẫu tên đang trống.".into(),
        TemplateError::TooLong { max } => format!("Mẫu tên dài quá {max} ký tự."),
        TemplateError::UnknownPlaceholder { placeholder } => format!(
            "Không hiểu {}: hãy dùng {{number}} và {{user}}.",
            code(placeholder)
        ),
        TemplateError::Unclosed => "Thiếu dấu `}` trong mẫu tên.".into(),
        TemplateError::MissingNumber => "Mẫu tên phải chứa {number}.".into(),
    }
}

fn naming_summary(naming: &Naming, random: &str) -> String {
    match naming {
        Naming::Template { template } => code(template),
        Naming::Random6 => random.to_owned(),
    }
}

/// One line of the settings summary, and one entry of the settings log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// Enabled or disabled.
    Status,
    LogChannel,
    /// The per-member and server limits.
    Limits,
    StaffRoles,
    Closing,
    /// Whether 🔒 Close asks for confirmation first.
    ConfirmClose,
    WhoMayClose,
    Naming,
    /// The welcome message's response time and instructions.
    Welcome,
    Language,
}

impl Setting {
    /// Every setting, in the order the hub shows them.
    pub const ALL: [Setting; 10] = [
        Setting::Status,
        Setting::LogChannel,
        Setting::Limits,
        Setting::StaffRoles,
        Setting::Closing,
        Setting::ConfirmClose,
        Setting::WhoMayClose,
        Setting::Naming,
        Setting::Welcome,
        Setting::Language,
    ];

    /// The settings that differ between `old` and `new`, for the log channel.
    pub fn changed(old: &GuildSettings, new: &GuildSettings) -> Vec<Setting> {
        Setting::ALL
            .into_iter()
            .filter(|s| s.differs(old, new))
            .collect()
    }

    fn differs(self, a: &GuildSettings, b: &GuildSettings) -> bool {
        match self {
            Setting::Status => a.enabled != b.enabled,
            Setting::LogChannel => a.log_channel != b.log_channel,
            Setting::Limits => {
                (a.max_open_per_member, a.max_open_total)
                    != (b.max_open_per_member, b.max_open_total)
            }
            Setting::StaffRoles => a.staff_roles != b.staff_roles,
            Setting::Closing => a.closing != b.closing,
            Setting::ConfirmClose => a.confirm_close != b.confirm_close,
            Setting::WhoMayClose => a.who_may_close != b.who_may_close,
            Setting::Naming => a.naming != b.naming,
            Setting::Welcome => {
                (&a.response_time, &a.instructions) != (&b.response_time, &b.instructions)
            }
            Setting::Language => a.language != b.language,
        }
    }
}

fn summary(lang: Language, s: &GuildSettings) -> String {
    let lines: Vec<String> = Setting::ALL
        .into_iter()
        .map(|setting| {
            format!(
                "**{}:** {}",
                text(lang, &Msg::SettingName(setting)),
                text(lang, &Msg::SettingValue(setting, s))
            )
        })
        .collect();
    lines.join("\n")
}

/// Admin text shown in a summary: one line, bounded, inert.
fn admin_text(s: &str) -> String {
    crate::text::user_text(&s.replace('\n', " "), 100)
}

fn en_setting_name(setting: Setting) -> &'static str {
    match setting {
        Setting::Status => "Status",
        Setting::LogChannel => "Log channel",
        Setting::Limits => "Limits",
        Setting::StaffRoles => "Staff roles",
        Setting::Closing => "Closing",
        Setting::ConfirmClose => "🔒 Close asks first",
        Setting::WhoMayClose => "Who may close",
        Setting::Naming => "Channel names",
        Setting::Welcome => "Response time",
        Setting::Language => "Language",
    }
}

fn vi_setting_name(setting: Setting) -> &'static str {
    match setting {
        Setting::Status => "Trạng thái",
        Setting::LogChannel => "Kênh log",
        Setting::Limits => "Giới hạn",
        Setting::StaffRoles => "Vai trò hỗ trợ",
        Setting::Closing => "Khi đóng",
        Setting::ConfirmClose => "🔒 Đóng hỏi lại trước",
        Setting::WhoMayClose => "Ai được đóng",
        Setting::Naming => "Tên kênh",
        Setting::Welcome => "Thời gian phản hồi",
        Setting::Language => "Ngôn ngữ",
    }
}

fn en_setting_value(setting: Setting, s: &GuildSettings) -> String {
    match setting {
        Setting::Status if s.enabled => "on".into(),
        Setting::Status => "off".into(),
        Setting::LogChannel => s
            .log_channel
            .map_or_else(|| "not set".to_owned(), |c| format!("<#{c}>")),
        Setting::Limits => format!(
            "{} per member, {} in the server",
            s.max_open_per_member, s.max_open_total
        ),
        Setting::StaffRoles => {
            role_list(&s.staff_roles).unwrap_or_else(|| "none (admins only)".to_owned())
        }
        Setting::Closing => match s.closing {
            ClosingMode::Delete { after_secs } => {
                format!("delete the channel after {after_secs} s")
            }
            ClosingMode::Keep => "keep the channel, locked".to_owned(),
        },
        Setting::ConfirmClose if s.confirm_close => "yes".into(),
        Setting::ConfirmClose => "no, it closes at once".into(),
        Setting::WhoMayClose => en(&Msg::WhoMayCloseOption(s.who_may_close)),
        Setting::Naming => naming_summary(&s.naming, "ticket- and 6 random characters"),
        Setting::Welcome if s.response_time.trim().is_empty() => {
            format!("{} (default)", en(&Msg::DefaultResponseTime))
        }
        Setting::Welcome => admin_text(&s.response_time),
        Setting::Language => language_name(s.language).into(),
    }
}

fn vi_setting_value(setting: Setting, s: &GuildSettings) -> String {
    match setting {
        Setting::Status if s.enabled => "bật".into(),
        Setting::Status => "tắt".into(),
        Setting::LogChannel => s
            .log_channel
            .map_or_else(|| "chưa đặt".to_owned(), |c| format!("<#{c}>")),
        Setting::Limits => format!(
            "{} mỗi thành viên, {} trong máy chủ",
            s.max_open_per_member, s.max_open_total
        ),
        Setting::StaffRoles => {
            role_list(&s.staff_roles).unwrap_or_else(|| "chưa có (chỉ quản trị viên)".to_owned())
        }
        Setting::Closing => match s.closing {
            ClosingMode::Delete { after_secs } => format!("xóa kênh sau {after_secs} giây"),
            ClosingMode::Keep => "giữ kênh và khóa lại".to_owned(),
        },
        Setting::ConfirmClose if s.confirm_close => "có".into(),
        Setting::ConfirmClose => "không, đóng ngay".into(),
        Setting::WhoMayClose => vi(&Msg::WhoMayCloseOption(s.who_may_close)),
        Setting::Naming => naming_summary(&s.naming, "ticket- và 6 ký tự ngẫu nhiên"),
        Setting::Welcome if s.response_time.trim().is_empty() => {
            format!("{} (mặc định)", vi(&Msg::DefaultResponseTime))
        }
        Setting::Welcome => admin_text(&s.response_time),
        Setting::Language => language_name(s.language).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE_ERRORS: [TemplateError; 4] = [
        TemplateError::Empty,
        TemplateError::TooLong { max: 100 },
        TemplateError::Unclosed,
        TemplateError::MissingNumber,
    ];

    /// One of every message, with the largest parameters they are used with.
    fn samples<'a>(
        settings: &'a GuildSettings,
        names: &'a [&'a str],
        ids: &'a [Snowflake],
        long: &'a str,
        unknown: &'a TemplateError,
    ) -> Vec<Msg<'a>> {
        use Msg::*;
        let id = u64::MAX;
        let refusals = [
            Refusal::NotOwner,
            Refusal::NotStaff,
            Refusal::NotAdmin,
            Refusal::OwnerMayNotClose,
            Refusal::NotATicket,
            Refusal::NotReady,
            Refusal::AlreadyClosed,
            Refusal::AlreadyDeleted,
            Refusal::NotClosed,
            Refusal::AlreadyAskedForHelp,
            Refusal::AlreadyClaimed { by: id },
            Refusal::NotClaimed,
            Refusal::CannotRemoveOwner,
            Refusal::AlreadyMember,
            Refusal::NotAMember,
            Refusal::Disabled,
        ];
        let open_refusals = [
            OpenRefusal::AlreadyOpen {
                channel_id: Some(id),
            },
            OpenRefusal::AlreadyOpen { channel_id: None },
            OpenRefusal::ServerLimit { max: u32::MAX },
            OpenRefusal::Disabled,
            OpenRefusal::Blacklisted,
            OpenRefusal::BotLacksManageChannels,
            OpenRefusal::CategoryFull,
        ];
        let mut all = vec![
            PanelTitle,
            PanelDescription,
            OpenTicketButton,
            TopicPrompt,
            TopicPlaceholder,
            TicketOpened { channel: id },
            GoToTicketButton,
            DmTicketOpened {
                guild: long,
                channel: id,
            },
            WelcomeTitle,
            WelcomeDescription { owner: id },
            FieldCategory,
            FieldResponseTime,
            FieldInstructions,
            DefaultCategory,
            DefaultResponseTime,
            DefaultInstructions,
            ItWorksButton,
            NeedHelpButton,
            CloseButton,
            ResolvedTitle,
            ResolvedDescription { owner: id },
            ClosingIn { secs: u32::MAX },
            HelpTitle,
            HelpDescription { owner: id },
            HelpNoStaffConfigured,
            ClaimButton,
            UnclaimButton,
            Claimed { by: id },
            Unclaimed { by: id },
            MemberAdded { user: id, by: id },
            MemberRemoved { user: id, by: id },
            CloseConfirmPrompt,
            CloseConfirmButton,
            CloseWithReasonButton,
            CloseReasonModalTitle,
            ReasonLabel,
            ClosedTitle,
            FieldReason,
            NoReason,
            ChannelLocked,
            ChannelDeleting { secs: u32::MAX },
            DeleteChannelButton,
            ReopenButton,
            Reopened { by: id },
            SomethingWentWrong,
            MenuExpired,
            UnknownCommand,
            UnknownComponent,
            OpenTicketCount { open: usize::MAX },
            GuildOnly,
            Done,
            BotLacksPermission {
                permission: "Manage Channels",
                channel: id,
            },
            HubTitle,
            HubDescription,
            SetupButton,
            ManageButton,
            BackButton,
            CancelButton,
            ConfirmButton,
            HubClosed,
            SetupTitle,
            SettingsSummary(settings),
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
            SettingChanged {
                by: id,
                setting: long,
                from: long,
                to: long,
            },
            PanelChannelPrompt,
            ChannelPlaceholder,
            PanelModalTitle,
            TitleLabel,
            DescriptionLabel,
            FooterLabel,
            PanelPosted { channel: id },
            LogChannelPrompt,
            LogChannelSet { channel: id },
            LimitsModalTitle,
            MaxTotalLabel { min: 1, max: 500 },
            MaxPerMemberLabel { min: 1, max: 10 },
            NotANumberInRange {
                min: u32::MAX,
                max: u32::MAX,
            },
            LimitsSet {
                per_member: u32::MAX,
                total: u32::MAX,
            },
            TopicAddButton,
            TopicListButton,
            TopicRemoveButton,
            TopicModalTitle,
            TopicNameLabel,
            TopicEmojiLabel,
            TopicAdded { name: long },
            TopicExists { name: long },
            TopicList { names },
            TopicList { names: &[] },
            TopicRemovePrompt,
            TopicRemoveConfirmPrompt { name: long },
            TopicRemoved { name: long },
            TopicInUse {
                name: long,
                channels: ids,
            },
            LogChannelGone { channel: id },
            StaffRolesPrompt,
            RolePlaceholder,
            StaffRolesSet { roles: ids },
            StaffRolesSet { roles: &[] },
            ClosingPrompt,
            ClosingDeleteOption,
            ClosingKeepOption,
            DelayModalTitle,
            DelaySecsLabel {
                min: 0,
                max: 86_400,
            },
            WhoMayClosePrompt,
            WhoMayCloseOption(WhoMayClose::OwnerAndStaff),
            WhoMayCloseOption(WhoMayClose::StaffOnly),
            NamingModalTitle,
            TemplateLabel,
            WelcomeModalTitle,
            ResponseTimeLabel,
            InstructionsLabel,
            LanguagePrompt,
            LanguageName(Language::En),
            LanguageName(Language::Vi),
            ManageTitle,
            ManageCloseButton,
            CloseAllButton,
            CloseAllConfirmPrompt { count: u32::MAX },
            CloseAllProgress {
                done: u32::MAX,
                total: u32::MAX,
            },
            CloseAllDone { count: u32::MAX },
            AddUserButton,
            RemoveUserButton,
            UserPlaceholder,
            StatsButton,
        ];
        all.extend(
            [
                LogText::Opened {
                    ticket: long,
                    owner: id,
                    channel: id,
                },
                LogText::HelpRequested {
                    ticket: long,
                    owner: id,
                    channel: id,
                },
                LogText::Claimed {
                    ticket: long,
                    by: id,
                    channel: id,
                },
                LogText::SummaryTitle {
                    ticket: long,
                    number: i64::MAX,
                },
                LogText::Owner,
                LogText::Topic,
                LogText::OpenedAt,
                LogText::ClaimedBy,
                LogText::ClosedAt,
                LogText::ClosedBy,
                LogText::Duration,
                LogText::FirstResponse,
                LogText::Messages,
                LogText::Transcript,
                LogText::Nothing,
                LogText::Attached,
                LogText::DmRefused { owner: id },
                LogText::WorkBlocked {
                    work: BlockedWork::DeleteChannel,
                    ticket: long,
                    channel: id,
                    permission: long,
                },
                LogText::WorkBlocked {
                    work: BlockedWork::SaveTranscript,
                    ticket: long,
                    channel: id,
                    permission: long,
                },
                LogText::LogChannelGone {
                    guild: long,
                    channel: id,
                },
                LogText::ClosedAll {
                    by: id,
                    count: u32::MAX,
                },
                LogText::TranscriptDm {
                    ticket: long,
                    guild: long,
                    link: Some(long),
                },
                LogText::TranscriptDm {
                    ticket: long,
                    guild: long,
                    link: None,
                },
            ]
            .map(Log),
        );
        all.extend(
            [
                StatsText::Title,
                StatsText::AllTime,
                StatsText::Last30Days,
                StatsText::Last7Days,
                StatsText::Created,
                StatsText::Closed,
                StatsText::StillOpen,
                StatsText::ResolutionMean,
                StatsText::ResolutionMedian,
                StatsText::FirstResponseMean,
                StatsText::PerMember,
                StatsText::TopTopic,
                StatsText::ResolutionRate,
                StatsText::StaffActivity,
                StatsText::StaffLine {
                    user: id,
                    claims: u64::MAX,
                    closes: u64::MAX,
                    responses: u64::MAX,
                },
                StatsText::NoStaffActivity,
                StatsText::Bot,
                StatsText::Uptime,
                StatsText::Commands,
                StatsText::DatabaseSize,
                StatsText::ErrorRate,
                StatsText::NoData,
            ]
            .map(Stats),
        );
        all.extend(refusals.map(Refused));
        all.extend(open_refusals.map(OpenRefused));
        all.extend(CloseHow::ALL.map(CloseHowLabel));
        all.extend(Setting::ALL.map(SettingName));
        all.extend(Setting::ALL.map(|setting| SettingValue(setting, settings)));
        all.extend(CloseHow::ALL.map(|how| ClosedBy { by: id, how }));
        all.extend(TEMPLATE_ERRORS.iter().map(TemplateInvalid));
        all.push(TemplateInvalid(unknown));
        all
    }

    /// Texts that are names or mentions, the same in every language.
    fn is_proper_name(msg: &Msg) -> bool {
        matches!(
            msg,
            Msg::LanguageName(_)
                | Msg::SettingValue(
                    Setting::LogChannel | Setting::StaffRoles | Setting::Naming | Setting::Language,
                    _
                )
        )
    }

    fn maximal_settings() -> GuildSettings {
        GuildSettings {
            staff_roles: vec![u64::MAX; 25],
            log_channel: Some(u64::MAX),
            naming: Naming::Template {
                template: "`".repeat(100),
            },
            max_open_per_member: u32::MAX,
            max_open_total: u32::MAX,
            ..GuildSettings::defaults(1)
        }
    }

    #[test]
    fn every_text_is_translated_and_fits_its_slot() {
        let settings = maximal_settings();
        // Topic names are bounded to MAX_TOPIC_NAME by the hub's modal; 25 is Discord's most
        // options in a select, so the most topics a server can have.
        let name = "n".repeat(MAX_TOPIC_NAME);
        let names = vec![name.as_str(); 25];
        let ids = vec![u64::MAX; 25];
        let long = "x".repeat(100);
        let unknown = TemplateError::UnknownPlaceholder {
            placeholder: "{id}".into(),
        };
        let samples = samples(&settings, &names, &ids, &long, &unknown);
        assert!(samples.len() > 150, "{} samples", samples.len());
        for msg in &samples {
            let en = text(Language::En, msg);
            let vi = text(Language::Vi, msg);
            assert!(!en.trim().is_empty() && !vi.trim().is_empty(), "{msg:?}");
            if !is_proper_name(msg) {
                assert_ne!(en, vi, "{msg:?} is not translated");
            }
            let max = msg.slot().max_chars();
            for t in [&en, &vi] {
                assert!(
                    t.chars().count() <= max,
                    "{msg:?} is {} > {max}: {t}",
                    t.chars().count()
                );
            }
        }
    }

    #[test]
    fn changed_settings_are_found() {
        let old = GuildSettings::defaults(1);
        assert!(Setting::changed(&old, &old).is_empty());
        let new = GuildSettings {
            log_channel: Some(5),
            max_open_total: 3,
            closing: ClosingMode::Keep,
            ..old.clone()
        };
        assert_eq!(
            Setting::changed(&old, &new),
            [Setting::LogChannel, Setting::Limits, Setting::Closing]
        );
    }

    #[test]
    fn seed_texts_are_kept() {
        assert_eq!(
            text(Language::Vi, &Msg::ResolvedTitle),
            "✅ Vấn Đề Đã Giải Quyết"
        );
        assert_eq!(text(Language::Vi, &Msg::HelpTitle), "🆘 Yêu Cầu Trợ Giúp");
        assert_eq!(text(Language::Vi, &Msg::ClosedTitle), "🔒 Ticket Đã Đóng");
        assert_eq!(text(Language::Vi, &Msg::OpenTicketButton), "Mở Ticket");
        assert_eq!(text(Language::Vi, &Msg::FieldInstructions), "📝 Hướng Dẫn");
        assert_eq!(text(Language::En, &Msg::FieldCategory), "📋 Category");
        assert_eq!(
            text(Language::En, &Msg::FieldResponseTime),
            "⏱️ Response Time"
        );
        assert_eq!(text(Language::En, &Msg::ItWorksButton), "✅ It Works!");
    }

    #[test]
    fn parameters_appear_in_the_text() {
        for lang in [Language::En, Language::Vi] {
            let t = text(
                lang,
                &Msg::OpenRefused(OpenRefusal::AlreadyOpen {
                    channel_id: Some(77),
                }),
            );
            assert!(t.contains("<#77>"), "{t}");
            let t = text(
                lang,
                &Msg::ClosedBy {
                    by: 5,
                    how: CloseHow::Staff,
                },
            );
            assert!(t.contains("<@5>"), "{t}");
            let t = text(lang, &Msg::NotANumberInRange { min: 3, max: 42 });
            assert!(t.contains('3') && t.contains("42"), "{t}");
            for work in [BlockedWork::DeleteChannel, BlockedWork::SaveTranscript] {
                let t = text(
                    lang,
                    &Msg::Log(LogText::WorkBlocked {
                        work,
                        ticket: "ticket-0042",
                        channel: 77,
                        permission: "Manage Channels",
                    }),
                );
                assert!(
                    t.contains("ticket-0042")
                        && t.contains("<#77>")
                        && t.contains("Manage Channels"),
                    "{t}"
                );
            }
        }
    }
}
