//! Where each message is shown, and so the length Discord allows it.

use super::{LogText, Msg, StatsText};

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
    /// A transcript page's label or line: no Discord limit, but kept to one short line (300).
    Page,
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
            Slot::Page => 300,
        }
    }
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
            Transcript(_) => Slot::Page,
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
            | DiscordUnavailable
            | OpenUnavailable
            | TicketOpenedWelcomeLater { .. }
            | AccessFollowsLater
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
