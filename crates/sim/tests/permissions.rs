//! Table-driven checks of the permission algorithm against the rules and examples in Discord's
//! "Permissions" documentation.

use ticketbooth_sim::permissions::{
    GuildContext, Overwrite, OverwriteKind, Permissions as P, base_permissions, compute_overwrites,
    effective, effective_in_thread, overwrite_from_json, overwrite_to_json,
};

const GUILD: u64 = 100;
const OWNER: u64 = 1;
const MEMBER: u64 = 2;
const STAFF: u64 = 200;
const ADMIN: u64 = 300;
const HELPER: u64 = 400;
const OTHER: u64 = 500;

fn everyone_permissions() -> P {
    P::VIEW_CHANNEL | P::SEND_MESSAGES | P::READ_MESSAGE_HISTORY | P::EMBED_LINKS
}

fn roles() -> Vec<(u64, P)> {
    vec![
        (GUILD, everyone_permissions()),
        (STAFF, P::MANAGE_MESSAGES | P::MENTION_EVERYONE),
        (ADMIN, P::ADMINISTRATOR),
        (HELPER, P::ATTACH_FILES),
        (OTHER, P::MANAGE_CHANNELS),
    ]
}

fn role(id: u64, allow: P, deny: P) -> Overwrite {
    Overwrite {
        id,
        kind: OverwriteKind::Role,
        allow,
        deny,
    }
}

fn member(id: u64, allow: P, deny: P) -> Overwrite {
    Overwrite {
        id,
        kind: OverwriteKind::Member,
        allow,
        deny,
    }
}

struct Case {
    name: &'static str,
    member_id: u64,
    member_roles: &'static [u64],
    timed_out: bool,
    overwrites: Option<Vec<Overwrite>>,
    thread: bool,
    expected: P,
}

fn case(name: &'static str, member_id: u64, member_roles: &'static [u64]) -> Case {
    Case {
        name,
        member_id,
        member_roles,
        timed_out: false,
        overwrites: None,
        thread: false,
        expected: P::NONE,
    }
}

impl Case {
    fn channel(mut self, overwrites: Vec<Overwrite>) -> Self {
        self.overwrites = Some(overwrites);
        self
    }
    fn thread(mut self, parent_overwrites: Vec<Overwrite>) -> Self {
        self.thread = true;
        self.channel(parent_overwrites)
    }
    fn timed_out(mut self) -> Self {
        self.timed_out = true;
        self
    }
    fn expect(mut self, expected: P) -> Self {
        self.expected = expected;
        self
    }
}

fn cases() -> Vec<Case> {
    let everyone = everyone_permissions();
    vec![
        case("owner holds everything", OWNER, &[]).expect(P::ALL),
        case("owner ignores overwrites", OWNER, &[])
            .channel(vec![
                role(GUILD, P::NONE, P::VIEW_CHANNEL),
                member(OWNER, P::NONE, P::ALL),
            ])
            .expect(P::ALL),
        case("owner ignores timeout", OWNER, &[])
            .timed_out()
            .expect(P::ALL),
        case("@everyone alone", MEMBER, &[]).expect(everyone),
        case("roles OR'd onto @everyone", MEMBER, &[STAFF, HELPER])
            .expect(everyone | P::MANAGE_MESSAGES | P::MENTION_EVERYONE | P::ATTACH_FILES),
        case("unknown role ids grant nothing", MEMBER, &[999]).expect(everyone),
        case("ADMINISTRATOR grants everything", MEMBER, &[ADMIN]).expect(P::ALL),
        case("ADMINISTRATOR bypasses overwrites", MEMBER, &[ADMIN])
            .channel(vec![
                role(GUILD, P::NONE, P::VIEW_CHANNEL),
                role(ADMIN, P::NONE, P::ALL),
                member(MEMBER, P::NONE, P::ALL),
            ])
            .expect(P::ALL),
        case("ADMINISTRATOR exempt from timeout", MEMBER, &[ADMIN])
            .timed_out()
            .expect(P::ALL),
        case("channel without overwrites keeps base", MEMBER, &[STAFF])
            .channel(vec![])
            .expect(everyone | P::MANAGE_MESSAGES | P::MENTION_EVERYONE),
        case(
            "@everyone deny of VIEW_CHANNEL removes everything",
            MEMBER,
            &[STAFF],
        )
        .channel(vec![role(GUILD, P::NONE, P::VIEW_CHANNEL)])
        .expect(P::NONE),
        case("member overwrite re-allows VIEW_CHANNEL", MEMBER, &[])
            .channel(vec![
                role(GUILD, P::NONE, P::VIEW_CHANNEL),
                member(MEMBER, P::VIEW_CHANNEL, P::NONE),
            ])
            .expect(everyone),
        case(
            "role overwrite re-allows what @everyone denies",
            MEMBER,
            &[STAFF],
        )
        .channel(vec![
            role(GUILD, P::NONE, P::VIEW_CHANNEL | P::SEND_MESSAGES),
            role(STAFF, P::VIEW_CHANNEL | P::SEND_MESSAGES, P::NONE),
        ])
        .expect(everyone | P::MANAGE_MESSAGES | P::MENTION_EVERYONE),
        case(
            "role allows win over other roles' denies",
            MEMBER,
            &[STAFF, HELPER],
        )
        .channel(vec![
            role(HELPER, P::MANAGE_THREADS, P::MANAGE_MESSAGES),
            role(STAFF, P::MANAGE_MESSAGES, P::MANAGE_THREADS),
        ])
        .expect(
            everyone
                | P::MANAGE_MESSAGES
                | P::MENTION_EVERYONE
                | P::ATTACH_FILES
                | P::MANAGE_THREADS,
        ),
        case("member overwrite deny beats role allow", MEMBER, &[STAFF])
            .channel(vec![
                role(STAFF, P::MANAGE_CHANNELS, P::NONE),
                member(MEMBER, P::NONE, P::MANAGE_CHANNELS | P::MANAGE_MESSAGES),
            ])
            .expect(everyone | P::MENTION_EVERYONE),
        case(
            "overwrites of roles the member lacks are ignored",
            MEMBER,
            &[],
        )
        .channel(vec![role(STAFF, P::MANAGE_CHANNELS, P::VIEW_CHANNEL)])
        .expect(everyone),
        case("another member's overwrite is ignored", MEMBER, &[])
            .channel(vec![member(
                OWNER + 10,
                P::MANAGE_CHANNELS,
                P::VIEW_CHANNEL,
            )])
            .expect(everyone),
        case("a member overwrite is not read as a role", MEMBER, &[STAFF])
            .channel(vec![member(STAFF, P::NONE, P::VIEW_CHANNEL)])
            .expect(everyone | P::MANAGE_MESSAGES | P::MENTION_EVERYONE),
        case("a role overwrite is not read as the member's", MEMBER, &[])
            .channel(vec![role(MEMBER, P::NONE, P::VIEW_CHANNEL)])
            .expect(everyone),
        case(
            "no SEND_MESSAGES drops the send-dependent bits",
            MEMBER,
            &[STAFF, HELPER],
        )
        .channel(vec![role(GUILD, P::SEND_TTS_MESSAGES, P::SEND_MESSAGES)])
        .expect(P::VIEW_CHANNEL | P::READ_MESSAGE_HISTORY | P::MANAGE_MESSAGES),
        case(
            "guild-level permissions skip channel implicit rules",
            MEMBER,
            &[],
        )
        .expect(everyone),
        case(
            "timed out keeps only view and history",
            MEMBER,
            &[STAFF, HELPER],
        )
        .timed_out()
        .expect(P::VIEW_CHANNEL | P::READ_MESSAGE_HISTORY),
        case("timed out in a channel", MEMBER, &[STAFF])
            .timed_out()
            .channel(vec![member(MEMBER, P::MANAGE_CHANNELS, P::NONE)])
            .expect(P::VIEW_CHANNEL | P::READ_MESSAGE_HISTORY),
        case("timed out and unable to view", MEMBER, &[])
            .timed_out()
            .channel(vec![role(GUILD, P::NONE, P::VIEW_CHANNEL)])
            .expect(P::NONE),
        case("thread inherits the parent's overwrites", MEMBER, &[])
            .thread(vec![role(GUILD, P::NONE, P::VIEW_CHANNEL)])
            .expect(P::NONE),
        case("in threads SEND_MESSAGES_IN_THREADS decides", MEMBER, &[])
            .thread(vec![role(
                GUILD,
                P::SEND_MESSAGES_IN_THREADS,
                P::SEND_MESSAGES,
            )])
            .expect(
                P::VIEW_CHANNEL
                    | P::READ_MESSAGE_HISTORY
                    | P::EMBED_LINKS
                    | P::SEND_MESSAGES_IN_THREADS,
            ),
        case(
            "in threads SEND_MESSAGES alone does not keep embeds",
            MEMBER,
            &[],
        )
        .thread(vec![])
        .expect(P::VIEW_CHANNEL | P::READ_MESSAGE_HISTORY | P::SEND_MESSAGES),
    ]
}

#[test]
fn effective_permissions_follow_discords_algorithm() {
    let roles = roles();
    let mut failures = Vec::new();
    for case in cases() {
        let ctx = GuildContext {
            guild_id: GUILD,
            owner_id: OWNER,
            member_id: case.member_id,
            member_roles: case.member_roles,
            roles: &roles,
            timed_out: case.timed_out,
        };
        let actual = match (&case.overwrites, case.thread) {
            (Some(overwrites), true) => effective_in_thread(&ctx, overwrites),
            (overwrites, _) => effective(&ctx, overwrites.as_deref()),
        };
        if actual != case.expected {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                case.name, case.expected, actual
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn base_and_overwrites_match_the_documented_pseudo_code() {
    let roles = roles();
    let ctx = GuildContext {
        guild_id: GUILD,
        owner_id: OWNER,
        member_id: MEMBER,
        member_roles: &[STAFF],
        roles: &roles,
        timed_out: false,
    };
    let base = base_permissions(&ctx);
    assert_eq!(
        base,
        everyone_permissions() | P::MANAGE_MESSAGES | P::MENTION_EVERYONE
    );
    // compute_overwrites alone applies no implicit rule: the bare algorithm keeps EMBED_LINKS
    // even though SEND_MESSAGES is denied.
    let in_channel = compute_overwrites(base, &ctx, &[role(GUILD, P::NONE, P::SEND_MESSAGES)]);
    assert!(in_channel.contains(P::EMBED_LINKS));
    assert!(!in_channel.contains(P::SEND_MESSAGES));
}

#[test]
fn flag_values_match_the_documented_table() {
    let documented: &[(P, u64)] = &[
        (P::CREATE_INSTANT_INVITE, 0x1),
        (P::ADMINISTRATOR, 0x8),
        (P::MANAGE_CHANNELS, 0x10),
        (P::MANAGE_GUILD, 0x20),
        (P::VIEW_CHANNEL, 0x400),
        (P::SEND_MESSAGES, 0x800),
        (P::MANAGE_MESSAGES, 0x2000),
        (P::EMBED_LINKS, 0x4000),
        (P::ATTACH_FILES, 0x8000),
        (P::READ_MESSAGE_HISTORY, 0x10000),
        (P::MENTION_EVERYONE, 0x20000),
        (P::MANAGE_ROLES, 0x1000_0000),
        (P::USE_APPLICATION_COMMANDS, 0x8000_0000),
        (P::MANAGE_THREADS, 0x04_0000_0000),
        (P::CREATE_PRIVATE_THREADS, 0x10_0000_0000),
        (P::SEND_MESSAGES_IN_THREADS, 0x40_0000_0000),
        (P::MODERATE_MEMBERS, 0x100_0000_0000),
        (P::SEND_POLLS, 0x2_0000_0000_0000),
        (P::PIN_MESSAGES, 0x8_0000_0000_0000),
    ];
    for (flag, bits) in documented {
        assert_eq!(flag.bits(), *bits, "{:?}", flag.names());
    }
    assert_eq!(P::NAMED.len(), 52);
    assert_eq!(P::ALL.bits().count_ones() as usize, P::NAMED.len());
}

#[test]
fn decimal_strings_round_trip_and_garbage_is_refused() {
    assert_eq!(
        "2048".parse::<P>().unwrap(),
        P::SEND_MESSAGES,
        "Discord's string form"
    );
    assert_eq!(
        (P::VIEW_CHANNEL | P::SEND_MESSAGES).to_decimal_string(),
        "3072"
    );
    assert_eq!(P::parse("18446744073709551615").unwrap().bits(), u64::MAX);
    for garbage in [
        "",
        "+1",
        "-1",
        "1.5",
        "0x10",
        "abc",
        "18446744073709551616",
        " 1",
    ] {
        assert!(P::parse(garbage).is_err(), "{garbage:?} must be refused");
    }
    let json = serde_json::to_value(P::MANAGE_ROLES).unwrap();
    assert_eq!(json, serde_json::json!("268435456"));
    let back: P = serde_json::from_value(json).unwrap();
    assert_eq!(back, P::MANAGE_ROLES);
    let from_int: P = serde_json::from_value(serde_json::json!(1024)).unwrap();
    assert_eq!(from_int, P::VIEW_CHANNEL);
    assert!(serde_json::from_value::<P>(serde_json::json!("x")).is_err());
}

#[test]
fn overwrites_round_trip_through_discords_json() {
    let original = member(42, P::VIEW_CHANNEL, P::SEND_MESSAGES);
    let json = overwrite_to_json(&original);
    assert_eq!(json["type"], 1);
    assert_eq!(json["allow"], "1024");
    assert_eq!(overwrite_from_json(&json), Some(original));
    let bad_kind = serde_json::json!({"id": "1", "type": 2, "allow": "0", "deny": "0"});
    assert_eq!(overwrite_from_json(&bad_kind), None);
    let bad_bits = serde_json::json!({"id": "1", "type": 0, "allow": "x", "deny": "0"});
    assert_eq!(overwrite_from_json(&bad_bits), None);
}

#[test]
fn missing_names_what_is_lacking() {
    let held = P::VIEW_CHANNEL | P::SEND_MESSAGES;
    let needed = P::VIEW_CHANNEL | P::MANAGE_CHANNELS | P::MANAGE_ROLES;
    assert_eq!(
        held.missing(needed).names(),
        vec!["MANAGE_CHANNELS", "MANAGE_ROLES"]
    );
    assert!(held.missing(P::VIEW_CHANNEL).is_empty());
}
