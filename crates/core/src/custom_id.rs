//! The one codec for every component and modal `custom_id` Ticketbooth puts on a message.
//!
//! An id reads `tb1:<tag>[:<field>]*`, for example `tb1:close:42` or `tb1:hub:panel-modal:123`.
//! The `1` is the codec's version: buttons on old messages keep working across restarts, and
//! if the format ever changes, ids of another version are recognised as outdated rather than
//! misread. Each variant is declared once, with its tag, in a [`codec_enum!`] table, so adding a
//! screen is adding one line.

use std::fmt::Write as _;
use std::str::FromStr;

use thiserror::Error;

use crate::model::Snowflake;

/// The prefix before the version number.
const PREFIX: &str = "tb";
/// The version this build writes and reads.
pub const VERSION: u32 = 1;
/// Discord's limit on a `custom_id`.
pub const MAX_LEN: usize = 100;
const SEP: char = ':';

/// Why a `custom_id` could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Not one of ours (another bot's, or made by hand): ignore it.
    #[error("not a Ticketbooth custom id")]
    NotOurs,
    /// Ours, from another version of the codec: the menu is outdated.
    #[error("custom id of codec version {version}")]
    Outdated { version: u32 },
    /// Ours and of this version, but not a valid id.
    #[error("malformed custom id")]
    Malformed,
}

/// A value carried in an id: written with `Display`, read back with `FromStr`.
pub(crate) trait Field: Sized + std::fmt::Display + FromStr {}
impl Field for i64 {}
impl Field for u64 {}
impl Field for u32 {}

fn read_field<T: Field>(fields: &mut std::str::Split<'_, char>) -> Result<T, DecodeError> {
    fields
        .next()
        .ok_or(DecodeError::Malformed)?
        .parse()
        .map_err(|_| DecodeError::Malformed)
}

/// Declares an enum together with its tag table, its writer and its reader, so the three can
/// never disagree. Variants after the `;` carry another such enum after their tag.
macro_rules! codec_enum {
    (
        $(#[$meta:meta])*
        pub enum $Name:ident {
            $(
                $(#[$vmeta:meta])*
                $Variant:ident $({ $($field:ident : $ty:ty),* $(,)? })? => $tag:literal,
            )*
            ;
            $(
                $(#[$nmeta:meta])*
                $NVariant:ident($Inner:ty) => $ntag:literal,
            )*
        }
    ) => {
        $(#[$meta])*
        pub enum $Name {
            $( $(#[$vmeta])* $Variant $({ $($field: $ty),* })?, )*
            $( $(#[$nmeta])* $NVariant($Inner), )*
        }

        impl $Name {
            fn write_to(&self, out: &mut String) {
                match self {
                    $(
                        Self::$Variant $({ $($field),* })? => {
                            out.push_str($tag);
                            $($(
                                out.push(SEP);
                                // Writing to a String cannot fail.
                                let _ = write!(out, "{}", $field);
                            )*)?
                        }
                    )*
                    $(
                        Self::$NVariant(inner) => {
                            out.push_str($ntag);
                            out.push(SEP);
                            inner.write_to(out);
                        }
                    )*
                }
            }

            fn read_from(fields: &mut std::str::Split<'_, char>) -> Result<Self, DecodeError> {
                let tag = fields.next().ok_or(DecodeError::Malformed)?;
                match tag {
                    $( $tag => Ok(Self::$Variant $({ $($field: read_field::<$ty>(fields)?),* })?), )*
                    $( $ntag => Ok(Self::$NVariant(<$Inner>::read_from(fields)?)), )*
                    _ => Err(DecodeError::Malformed),
                }
            }

            /// One value of every variant, its fields drawn from `fill`; tests use it to cover
            /// all variants without listing them again.
            #[cfg(test)]
            pub(crate) fn every_variant(fill: &mut impl tests::Filler) -> Vec<Self> {
                #[allow(unused_mut)]
                let mut all = vec![
                    $( Self::$Variant $({ $($field: fill.fill::<$ty>()),* })?, )*
                ];
                $( all.extend(<$Inner>::every_variant(fill).into_iter().map(Self::$NVariant)); )*
                all
            }
        }
    };
}

codec_enum! {
    /// Every component and modal id Ticketbooth uses.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum CustomId {
        /// The panel's "Open a ticket" button.
        OpenTicket { panel_id: i64 } => "open",
        /// The topic select shown before opening; its value is the topic id.
        PickTopic { panel_id: i64 } => "topic",
        /// ✅ It Works! in a ticket.
        ItWorks { ticket_id: i64 } => "works",
        /// 🆘 Need Help in a ticket.
        NeedHelp { ticket_id: i64 } => "help",
        /// 🔒 Close in a ticket.
        Close { ticket_id: i64 } => "close",
        /// The confirmation after 🔒 Close.
        CloseConfirm { ticket_id: i64 } => "close-ok",
        /// The modal asking for a close reason.
        CloseReasonModal { ticket_id: i64 } => "close-why",
        /// Claim on the help request.
        Claim { ticket_id: i64 } => "claim",
        /// Unclaim on the claim notice.
        Unclaim { ticket_id: i64 } => "unclaim",
        /// 🗑 Delete Channel on a closed, kept ticket.
        DeleteChannel { ticket_id: i64 } => "delete",
        /// ↩ Reopen on a closed, kept ticket.
        Reopen { ticket_id: i64 } => "reopen",
        ;
        /// The `/ticket` hub's navigation.
        Hub(HubId) => "hub",
    }
}

codec_enum! {
    /// The `/ticket` hub's screens and the components on them.
    ///
    /// Setup and Manage buttons (`Panel`, `Limits`, `CloseAll`, …) open their screen or modal;
    /// the `…Select`, `…Modal` and `…Confirm` ids are the inputs on those screens.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum HubId {
        /// The hub's first screen: Setup or Manage.
        Home => "home",
        Setup => "setup",
        Manage => "manage",
        /// Back to the hub's first screen. (A sub-screen's back button carries its parent
        /// screen's id instead, such as `Setup`, so it needs no memory of where it came from.)
        Back => "back",
        /// Dismiss the hub.
        Cancel => "cancel",
        /// Setup → Message: the panel screen.
        Panel => "panel",
        /// The channel select for a new panel.
        PanelChannelSelect => "panel-ch",
        /// The panel's title/description/footer modal, for the channel chosen before.
        PanelModal { channel_id: Snowflake } => "panel-modal",
        LogChannel => "log",
        LogChannelSelect => "log-ch",
        /// Setup → Limit: opens the limits modal.
        Limits => "limits",
        LimitsModal => "limits-modal",
        Topics => "topics",
        /// Opens the add-topic modal.
        TopicAdd => "topic-add",
        TopicAddModal => "topic-add-modal",
        TopicList => "topic-list",
        /// Shows the select of topics to remove.
        TopicRemove => "topic-rm",
        TopicRemoveSelect => "topic-rm-sel",
        /// Confirms removing one topic.
        TopicRemoveConfirm { topic_id: i64 } => "topic-rm-ok",
        StaffRoles => "staff",
        StaffRolesSelect => "staff-sel",
        Closing => "closing",
        /// Delete or keep.
        ClosingSelect => "closing-sel",
        /// The seconds before deletion.
        ClosingDelayModal => "closing-modal",
        /// Turns the confirmation of 🔒 Close on.
        ConfirmCloseOn => "closing-ask-on",
        /// Turns the confirmation of 🔒 Close off: it closes at once.
        ConfirmCloseOff => "closing-ask-off",
        WhoMayClose => "who",
        WhoMayCloseSelect => "who-sel",
        /// Opens the naming-template modal.
        Naming => "naming",
        NamingModal => "naming-modal",
        /// Opens the welcome-text modal.
        Welcome => "welcome",
        WelcomeModal => "welcome-modal",
        Language => "lang",
        LanguageSelect => "lang-sel",
        Enable => "enable",
        Disable => "disable",
        /// Manage → Close: the ticket the hub was opened in.
        ManageClose => "m-close",
        /// Manage → Close all: asks for confirmation.
        CloseAll => "m-close-all",
        /// Confirms closing `count` tickets (the count the admin was shown).
        CloseAllConfirm { count: u32 } => "m-close-all-ok",
        AddUser => "m-add",
        AddUserSelect => "m-add-sel",
        RemoveUser => "m-rm",
        RemoveUserSelect => "m-rm-sel",
        Stats => "m-stats",
        /// Manage → Revoke transcript links: opens the modal asking for the ticket's number.
        RevokeLinks => "m-revoke",
        RevokeLinksModal => "m-revoke-modal",
        ;
    }
}

impl CustomId {
    /// The `custom_id` string; always at most [`MAX_LEN`] (100) characters, for every variant
    /// and every field value (a test checks the longest of each).
    pub fn encode(&self) -> String {
        let mut out = format!("{PREFIX}{VERSION}{SEP}");
        self.write_to(&mut out);
        debug_assert!(out.len() <= MAX_LEN, "custom id too long: {out}");
        out
    }

    /// Reads a `custom_id`; never panics, whatever the input.
    pub fn decode(s: &str) -> Result<CustomId, DecodeError> {
        let rest = s.strip_prefix(PREFIX).ok_or(DecodeError::NotOurs)?;
        let (version, body) = rest.split_once(SEP).ok_or(DecodeError::NotOurs)?;
        if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DecodeError::NotOurs);
        }
        let version: u32 = version.parse().map_err(|_| DecodeError::Malformed)?;
        if version != VERSION {
            return Err(DecodeError::Outdated { version });
        }
        let mut fields = body.split(SEP);
        let id = CustomId::read_from(&mut fields)?;
        // Trailing fields, or numbers written another way ("+7", "007"), are not ids we made.
        if fields.next().is_some() || id.encode() != s {
            return Err(DecodeError::Malformed);
        }
        Ok(id)
    }
}

/// The ids of the text inputs inside Ticketbooth's modals (unique within a modal only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputId {
    Title,
    Description,
    Footer,
    MaxTotal,
    MaxPerMember,
    TopicName,
    TopicDescription,
    TopicEmoji,
    Template,
    ResponseTime,
    Instructions,
    Reason,
    DelaySecs,
    /// A ticket's per-server number.
    TicketNumber,
}

impl InputId {
    /// Every input id.
    pub const ALL: [InputId; 14] = [
        InputId::Title,
        InputId::Description,
        InputId::Footer,
        InputId::MaxTotal,
        InputId::MaxPerMember,
        InputId::TopicName,
        InputId::TopicDescription,
        InputId::TopicEmoji,
        InputId::Template,
        InputId::ResponseTime,
        InputId::Instructions,
        InputId::Reason,
        InputId::DelaySecs,
        InputId::TicketNumber,
    ];

    /// The `custom_id` of the text input.
    pub fn as_str(self) -> &'static str {
        match self {
            InputId::Title => "title",
            InputId::Description => "description",
            InputId::Footer => "footer",
            InputId::MaxTotal => "max-total",
            InputId::MaxPerMember => "max-member",
            InputId::TopicName => "topic-name",
            InputId::TopicDescription => "topic-description",
            InputId::TopicEmoji => "topic-emoji",
            InputId::Template => "template",
            InputId::ResponseTime => "response-time",
            InputId::Instructions => "instructions",
            InputId::Reason => "reason",
            InputId::DelaySecs => "delay",
            InputId::TicketNumber => "ticket-number",
        }
    }

    /// Reads a text input's `custom_id`.
    pub fn parse(s: &str) -> Option<InputId> {
        InputId::ALL.into_iter().find(|i| i.as_str() == s)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Supplies field values to [`CustomId::every_variant`].
    pub(crate) trait Filler {
        fn fill<T: TestField>(&mut self) -> T;
    }

    pub(crate) trait TestField: Field {
        /// The value with the longest decimal form.
        fn longest() -> Self;
        fn from_bits(bits: u64) -> Self;
    }

    impl TestField for i64 {
        fn longest() -> Self {
            i64::MIN
        }
        fn from_bits(bits: u64) -> Self {
            bits as i64
        }
    }
    impl TestField for u64 {
        fn longest() -> Self {
            u64::MAX
        }
        fn from_bits(bits: u64) -> Self {
            bits
        }
    }
    impl TestField for u32 {
        fn longest() -> Self {
            u32::MAX
        }
        fn from_bits(bits: u64) -> Self {
            bits as u32
        }
    }

    struct Longest;
    impl Filler for Longest {
        fn fill<T: TestField>(&mut self) -> T {
            T::longest()
        }
    }

    struct FromBits(u64);
    impl Filler for FromBits {
        fn fill<T: TestField>(&mut self) -> T {
            // A different value per field, so swapped fields would not round-trip.
            self.0 = self.0.rotate_left(17) ^ 0x9E37_79B9_7F4A_7C15;
            T::from_bits(self.0)
        }
    }

    #[test]
    fn every_encoding_fits_discords_limit() {
        let all = CustomId::every_variant(&mut Longest);
        assert!(all.len() > 40, "every_variant lists {} ids", all.len());
        for id in all {
            let s = id.encode();
            assert!(s.chars().count() <= MAX_LEN, "{s} is {} long", s.len());
        }
    }

    #[test]
    fn tags_are_unique() {
        let all = CustomId::every_variant(&mut FromBits(1));
        let tags: std::collections::HashSet<String> = all
            .iter()
            .map(|id| {
                let s = id.encode();
                s.split(SEP)
                    .take_while(|p| p.parse::<i128>().is_err())
                    .collect::<Vec<_>>()
                    .join(":")
            })
            .collect();
        assert_eq!(tags.len(), all.len());
    }

    #[test]
    fn encodes_compactly() {
        assert_eq!(CustomId::Close { ticket_id: 42 }.encode(), "tb1:close:42");
        assert_eq!(
            CustomId::Hub(HubId::PanelModal { channel_id: 7 }).encode(),
            "tb1:hub:panel-modal:7"
        );
        assert_eq!(CustomId::Hub(HubId::Home).encode(), "tb1:hub:home");
    }

    #[test]
    fn sorts_foreign_outdated_and_malformed_ids() {
        assert_eq!(CustomId::decode("TICKET_CREATE"), Err(DecodeError::NotOurs));
        assert_eq!(CustomId::decode("tbx:close:1"), Err(DecodeError::NotOurs));
        assert_eq!(CustomId::decode(""), Err(DecodeError::NotOurs));
        assert_eq!(
            CustomId::decode("tb0:close:1"),
            Err(DecodeError::Outdated { version: 0 })
        );
        assert_eq!(
            CustomId::decode("tb2:anything"),
            Err(DecodeError::Outdated { version: 2 })
        );
        for bad in [
            "tb1:",
            "tb1:close",
            "tb1:close:",
            "tb1:close:x",
            "tb1:close:1:2",
            "tb1:close:+1",
            "tb1:close:01",
            "tb1:nope:1",
            "tb1:hub",
            "tb1:hub:panel-modal:-1",
            "tb99999999999999999999:x",
        ] {
            assert_eq!(CustomId::decode(bad), Err(DecodeError::Malformed), "{bad}");
        }
    }

    #[test]
    fn input_ids_round_trip_and_are_distinct() {
        for input in InputId::ALL {
            assert_eq!(InputId::parse(input.as_str()), Some(input));
        }
        assert_eq!(InputId::parse("nope"), None);
    }

    proptest! {
        #[test]
        fn round_trips(bits in any::<u64>(), pick in any::<prop::sample::Index>()) {
            let all = CustomId::every_variant(&mut FromBits(bits));
            let id = all[pick.index(all.len())];
            prop_assert_eq!(CustomId::decode(&id.encode()), Ok(id));
        }

        #[test]
        fn decode_never_panics(s in "\\PC{0,300}") {
            let _ = CustomId::decode(&s);
        }

        #[test]
        fn decode_never_panics_on_near_misses(tail in "[-a-z0-9:+]{0,120}") {
            let s = format!("tb1:{tail}");
            if let Ok(id) = CustomId::decode(&s) {
                prop_assert_eq!(id.encode(), s);
            }
        }
    }
}
