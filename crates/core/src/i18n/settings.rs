//! The settings the hub shows and logs: which changed, the summary, and each one's value.

use super::catalog::{Lookup, shown};
use super::messages::{Source, code, role_list};
use super::{Language, Msg, text};
use crate::model::{ClosingMode, GuildSettings, Naming};

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

impl Setting {
    /// The Fluent id of the setting's name.
    pub(super) fn name_id(self) -> &'static str {
        match self {
            Setting::Status => "setting-status",
            Setting::LogChannel => "setting-log-channel",
            Setting::Limits => "setting-limits",
            Setting::StaffRoles => "setting-staff-roles",
            Setting::Closing => "setting-closing",
            Setting::ConfirmClose => "setting-confirm-close",
            Setting::WhoMayClose => "setting-who-may-close",
            Setting::Naming => "setting-naming",
            Setting::Welcome => "setting-welcome",
            Setting::Language => "setting-language",
        }
    }
}

/// Every setting, one line each: its name and its value.
pub(super) fn summary(lang: Language, s: &GuildSettings) -> String {
    let lines: Vec<String> = Setting::ALL
        .into_iter()
        .map(|setting| {
            let line = Lookup::new(
                "settings-summary-line",
                [
                    ("name", text(lang, &Msg::SettingName(setting)).into()),
                    ("value", text(lang, &Msg::SettingValue(setting, s)).into()),
                ],
            );
            super::catalog::render(lang, &line)
        })
        .collect();
    lines.join("\n")
}

/// Admin text shown in a summary: one line, bounded, inert.
fn admin_text(s: &str) -> String {
    crate::text::user_text(&s.replace('\n', " "), 100)
}

/// A setting's current value in `s`.
pub(super) fn value(lang: Language, setting: Setting, s: &GuildSettings) -> Source<'static> {
    let plain = |id| Source::Catalog(Lookup::plain(id));
    match setting {
        Setting::Status if s.enabled => plain("setting-value-on"),
        Setting::Status => plain("setting-value-off"),
        Setting::LogChannel => match s.log_channel {
            Some(channel) => Source::Built(format!("<#{channel}>")),
            None => plain("setting-value-no-log-channel"),
        },
        Setting::Limits => Source::Catalog(Lookup::new(
            "setting-value-limits",
            [
                ("per-member", shown(s.max_open_per_member)),
                ("total", shown(s.max_open_total)),
            ],
        )),
        Setting::StaffRoles => match role_list(&s.staff_roles) {
            Some(list) => Source::Built(list),
            None => plain("setting-value-no-staff-roles"),
        },
        Setting::Closing => match s.closing {
            ClosingMode::Delete { after_secs } => Source::Catalog(Lookup::new(
                "setting-value-delete",
                [("secs", shown(after_secs))],
            )),
            ClosingMode::Keep => plain("setting-value-keep"),
        },
        Setting::ConfirmClose if s.confirm_close => plain("setting-value-confirm-close-on"),
        Setting::ConfirmClose => plain("setting-value-confirm-close-off"),
        Setting::WhoMayClose => Source::Built(text(lang, &Msg::WhoMayCloseOption(s.who_may_close))),
        Setting::Naming => match &s.naming {
            Naming::Template { template } => Source::Built(code(template)),
            Naming::Random6 => plain("setting-value-random-names"),
        },
        Setting::Welcome if s.response_time.trim().is_empty() => Source::Catalog(Lookup::new(
            "setting-value-default-response-time",
            [("value", text(lang, &Msg::DefaultResponseTime).into())],
        )),
        Setting::Welcome => Source::Built(admin_text(&s.response_time)),
        Setting::Language => Source::Built(text(lang, &Msg::LanguageName(s.language))),
    }
}
