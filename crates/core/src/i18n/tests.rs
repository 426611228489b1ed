//! The catalog's tests: every message in every language, its variables, its length, its safety.

use super::*;
use crate::authz::Refusal;
use crate::lifecycle::OpenRefusal;
use crate::model::{CloseHow, ClosingMode, GuildSettings, Naming, Snowflake, WhoMayClose};
use crate::naming::TemplateError;
use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

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
        DiscordUnavailable,
        OpenUnavailable,
        TicketOpenedWelcomeLater { channel: id },
        AccessFollowsLater,
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
        ConfirmCloseToggle { on: true },
        ConfirmCloseToggle { on: false },
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
        RevokeLinksButton,
        RevokeLinksModalTitle,
        TicketNumberLabel,
        NotATicketNumber,
        NoTicketNumbered { number: i64::MAX },
        LinksRevoked { number: i64::MAX },
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
            LogText::JobFailed {
                work: JobWork::DeleteChannel,
                ticket: long,
                attempts: u32::MAX,
                job: i64::MAX,
            },
            LogText::JobFailed {
                work: JobWork::SaveTranscript,
                ticket: long,
                attempts: u32::MAX,
                job: i64::MAX,
            },
            LogText::JobFailed {
                work: JobWork::StaffAccess,
                ticket: "",
                attempts: u32::MAX,
                job: i64::MAX,
            },
            LogText::JobFailed {
                work: JobWork::CloseAll,
                ticket: "",
                attempts: u32::MAX,
                job: i64::MAX,
            },
            LogText::JobFailed {
                work: JobWork::Other,
                ticket: long,
                attempts: u32::MAX,
                job: i64::MAX,
            },
            LogText::LinksRevoked {
                by: id,
                number: i64::MAX,
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
    all.extend(
        [
            TranscriptText::PageTitle {
                name: long,
                guild: long,
            },
            TranscriptText::TextTitle {
                name: long,
                number: i64::MAX,
                guild: long,
            },
            TranscriptText::Footer { messages: 0 },
            TranscriptText::Footer { messages: 1 },
            TranscriptText::Footer {
                messages: usize::MAX,
            },
            TranscriptText::Server,
            TranscriptText::Ticket,
            TranscriptText::TicketNumber { number: i64::MAX },
            TranscriptText::Owner,
            TranscriptText::Topic,
            TranscriptText::Opened,
            TranscriptText::ClaimedBy,
            TranscriptText::Closed,
            TranscriptText::OpenFor,
            TranscriptText::ClosedBy,
            TranscriptText::How,
            TranscriptText::Reason,
            TranscriptText::Messages,
            TranscriptText::ClosedFor {
                at: long,
                open_for: long,
            },
            TranscriptText::FactLine {
                label: long,
                value: long,
            },
            TranscriptText::BotTag,
            TranscriptText::Edited { at: long },
            TranscriptText::EditedTitle { at: long },
            TranscriptText::ReplyTo {
                author: long,
                preview: long,
            },
            TranscriptText::ReplyToMissing { id: u64::MAX },
            TranscriptText::ReplyMissing,
            TranscriptText::Attachment,
            TranscriptText::Embed,
            TranscriptText::NoText,
            TranscriptText::Seconds { secs: 59 },
            TranscriptText::Minutes { mins: 59 },
            TranscriptText::HoursMinutes {
                hours: 23,
                mins: 59,
            },
            TranscriptText::DaysHours {
                days: i64::MAX,
                hours: 23,
            },
        ]
        .map(Transcript),
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
            | Msg::Transcript(
                TranscriptText::FactLine { .. } | TranscriptText::BotTag | TranscriptText::Ticket
            )
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
        let en = text(Language::default(), msg);
        let max = msg.slot().max_chars();
        for &lang in Language::ALL {
            let t = text(lang, msg);
            assert!(!t.trim().is_empty(), "{msg:?} in {lang:?}");
            if lang != Language::default() && !is_proper_name(msg) {
                assert_ne!(en, t, "{msg:?} is not translated to {lang:?}");
            }
            assert!(
                t.chars().count() <= max,
                "{msg:?} in {lang:?} is {} > {max}: {t}",
                t.chars().count()
            );
        }
    }
}

/// Settings that reach every branch of the summary and the setting values.
fn settings_variants() -> Vec<GuildSettings> {
    let defaults = GuildSettings::defaults(1);
    vec![
        maximal_settings(),
        defaults.clone(),
        GuildSettings {
            enabled: false,
            log_channel: Some(42),
            staff_roles: vec![7, 8],
            closing: ClosingMode::Keep,
            who_may_close: WhoMayClose::StaffOnly,
            naming: Naming::Random6,
            response_time: "  ".into(),
            language: Language::Vi,
            confirm_close: false,
            ..defaults.clone()
        },
        GuildSettings {
            staff_roles: vec![9],
            closing: ClosingMode::Delete { after_secs: 0 },
            naming: Naming::Template {
                template: "t-{user}-`{number}`".into(),
            },
            response_time: "Within *a day*\nor two @everyone".into(),
            ..defaults
        },
    ]
}

/// Every message of [`samples`], for every settings variant, with small and large
/// parameters, one line per language: `lang<TAB>{msg:?}<TAB>{text as JSON}`.
fn snapshot() -> String {
    let mut out = String::new();
    let name = "n".repeat(MAX_TOPIC_NAME);
    let unknown = TemplateError::UnknownPlaceholder {
        placeholder: "{id`x}".into(),
    };
    for settings in settings_variants() {
        for (names, ids, long) in [
            (vec![name.as_str(); 25], vec![u64::MAX; 25], "x".repeat(100)),
            (
                vec!["Billing *", "Bugs"],
                vec![5, 6],
                "a **b** <@1> \\".into(),
            ),
        ] {
            // The transcript's words came later; the transcript crate has their snapshot.
            let samples = samples(&settings, &names, &ids, &long, &unknown);
            for msg in samples.iter().filter(|m| !matches!(m, Msg::Transcript(_))) {
                for lang in [Language::En, Language::Vi] {
                    let t = serde_json::to_string(&text(lang, msg)).unwrap();
                    out.push_str(&format!("{}\t{msg:?}\t{t}\n", lang.as_str()));
                }
            }
        }
    }
    let commands = serde_json::to_string_pretty(&crate::commands::all()).unwrap();
    out.push_str(&commands);
    out.push('\n');
    out
}

/// The texts as the catalog rendered them before it moved to Fluent: every message in
/// both languages must stay byte-identical. `TB_WRITE_SNAPSHOT=1` rewrites the file.
#[test]
fn texts_match_the_snapshot() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/texts-snapshot.txt");
    let now = snapshot();
    if std::env::var_os("TB_WRITE_SNAPSHOT").is_some() {
        std::fs::write(path, &now).unwrap();
    }
    let before = std::fs::read_to_string(path).unwrap();
    let mut diffs = before.lines().zip(now.lines()).filter(|(a, b)| a != b);
    if let Some((a, b)) = diffs.next() {
        panic!("texts changed:\n- {a}\n+ {b}");
    }
    assert_eq!(before.lines().count(), now.lines().count());
    assert_eq!(before, now);
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
    for &lang in Language::ALL {
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
        let t = text(
            lang,
            &Msg::Log(LogText::JobFailed {
                work: JobWork::SaveTranscript,
                ticket: "ticket-0042",
                attempts: 150,
                job: 31,
            }),
        );
        assert!(
            t.contains("ticket-0042") && t.contains("150") && t.contains("jobs retry 31"),
            "{t}"
        );
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
                t.contains("ticket-0042") && t.contains("<#77>") && t.contains("Manage Channels"),
                "{t}"
            );
        }
    }
}

/// Every message of the Rust side, rendered in `lang` (the slash commands included).
fn render_everything(lang: Language) -> Vec<(String, String)> {
    let settings = settings_variants();
    let names = ["Billing", "Bugs"];
    let ids = [5, 6];
    let unknown = TemplateError::UnknownPlaceholder {
        placeholder: "{id}".into(),
    };
    let mut out = Vec::new();
    for s in &settings {
        for msg in samples(s, &names, &ids, "x", &unknown) {
            out.push((format!("{msg:?}"), text(lang, &msg)));
        }
    }
    for command in crate::commands::all() {
        out.push((
            command.name.clone(),
            serde_json::to_string(&command).unwrap(),
        ));
    }
    out
}

/// A message's shape: whether it has a value, and the variables of its value and of each
/// attribute.
type Shape = BTreeMap<String, BTreeSet<String>>;

fn variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
    fn inline(e: &ast::InlineExpression<&str>, into: &mut BTreeSet<String>) {
        use ast::InlineExpression as I;
        match e {
            I::VariableReference { id } => {
                into.insert(id.name.to_owned());
            }
            I::FunctionReference { arguments, .. }
            | I::TermReference {
                arguments: Some(arguments),
                ..
            } => {
                for a in &arguments.positional {
                    inline(a, into);
                }
                for a in &arguments.named {
                    inline(&a.value, into);
                }
            }
            I::Placeable { expression } => expression_vars(expression, into),
            _ => {}
        }
    }
    fn expression_vars(e: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Inline(e) => inline(e, into),
            ast::Expression::Select { selector, variants } => {
                inline(selector, into);
                for v in variants {
                    variables(&v.value, into);
                }
            }
        }
    }
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, into);
        }
    }
}

/// Every message of `lang`'s files, with its shape. Fails on a syntax error.
fn messages_of(lang: Language) -> BTreeMap<String, Shape> {
    let mut messages = BTreeMap::new();
    for &(file, source) in lang.ftl_sources() {
        let resource = fluent_syntax::parser::parse(source)
            .unwrap_or_else(|(_, errors)| panic!("locales/{}/{file}: {errors:?}", lang.as_str()));
        for entry in resource.body {
            if let ast::Entry::Junk { content } = entry {
                panic!("locales/{}/{file}: cannot read {content}", lang.as_str());
            }
            let ast::Entry::Message(message) = entry else {
                continue;
            };
            let mut shape = Shape::new();
            if let Some(value) = &message.value {
                variables(value, shape.entry(String::new()).or_default());
            }
            for attribute in &message.attributes {
                let vars = shape.entry(format!(".{}", attribute.id.name)).or_default();
                variables(&attribute.value, vars);
            }
            let id = message.id.name.to_owned();
            assert!(
                messages.insert(id.clone(), shape).is_none(),
                "locales/{}: {id} is defined twice",
                lang.as_str()
            );
        }
    }
    messages
}

#[test]
fn every_language_has_every_message_with_the_same_variables() {
    let english = messages_of(Language::En);
    assert!(english.len() > 200, "{} messages", english.len());
    for &lang in Language::ALL {
        let theirs = messages_of(lang);
        for (id, shape) in &english {
            assert_eq!(
                theirs.get(id),
                Some(shape),
                "locales/{}: {id} is missing or has other attributes or variables",
                lang.as_str()
            );
        }
        let extra: Vec<_> = theirs
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(
            extra.is_empty(),
            "locales/{}: {extra:?} are not in English",
            lang.as_str()
        );
    }
}

#[test]
fn every_message_of_the_files_is_used() {
    catalog::used::take();
    render_everything(Language::En);
    let used = catalog::used::take();
    let mut defined = BTreeSet::new();
    for (id, shape) in messages_of(Language::En) {
        for part in shape.keys() {
            defined.insert(format!("{id}{part}"));
        }
    }
    let unused: Vec<_> = defined.difference(&used).collect();
    assert!(unused.is_empty(), "no code asks for {unused:?}");
    let undefined: Vec<_> = used.difference(&defined).collect();
    assert!(
        undefined.is_empty(),
        "{undefined:?} are not in the English files"
    );
}

#[test]
fn every_message_renders_in_every_language() {
    // Rendering panics in tests when a message, attribute or argument is missing.
    for &lang in Language::ALL {
        for (msg, t) in render_everything(lang) {
            assert!(!t.trim().is_empty(), "{msg} in {lang:?}");
            assert!(!t.contains('\u{2068}'), "{msg} has isolation marks");
        }
    }
}

#[test]
fn no_message_can_ping() {
    for &lang in Language::ALL {
        for &(file, source) in lang.ftl_sources() {
            let lower = source.to_lowercase();
            for ping in ["@everyone", "@here", "＠everyone"] {
                assert!(!lower.contains(ping), "locales/{}/{file}", lang.as_str());
            }
            // A mention is only ever of an id passed in: <@{ $user }>, <@&{ $role }>, …
            for (i, _) in source.match_indices('<') {
                let after = &source[i + 1..];
                let target = after.trim_start_matches(['@', '#', '&', '!']);
                assert!(
                    target.len() == after.len() || target.starts_with('{'),
                    "locales/{}/{file}: a fixed mention at {}",
                    lang.as_str(),
                    &source[i..(i + 20).min(source.len())]
                );
            }
        }
        for (msg, t) in render_everything(lang) {
            assert!(
                !t.contains("@everyone") && !t.contains("@here"),
                "{msg}: {t}"
            );
        }
    }
}

#[test]
fn every_language_folder_holds_the_same_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let listing = |dir: &std::path::Path| -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let codes: BTreeSet<String> = Language::ALL.iter().map(|l| l.as_str().into()).collect();
    assert_eq!(
        listing(&root),
        codes,
        "a folder in locales/ is not in languages!"
    );
    for &lang in Language::ALL {
        let embedded: BTreeSet<String> = lang
            .ftl_sources()
            .iter()
            .map(|(f, _)| f.to_string())
            .collect();
        assert_eq!(
            listing(&root.join(lang.as_str())),
            embedded,
            "locales/{} has files the binary does not embed, or lacks some",
            lang.as_str()
        );
    }
}
