//! The `/ticket` hub's Setup, end to end: a simulated admin clicks through every menu and the
//! tests check the simulated server (channels, categories, overwrites, panels, log posts) and
//! the store, including the refusals for bad input and for members without permission.

use crate::common;
use crate::hub_support;

use ticketbooth::{drive, sandbox::Database};
use ticketbooth_core::{
    ClosingMode, Language, Naming, WhoMayClose,
    authz::Refusal,
    custom_id::{HubId, InputId},
    i18n::Msg,
    naming::TemplateError,
    views::values,
};
use ticketbooth_sim::Overwrite;

use hub_support::{Hub, bot_messages, can_view, configure, reply_text, say, settings, store};

const VIEW_CHANNEL: u64 = 1 << 10;
const SEND_MESSAGES: u64 = 1 << 11;

/// A text channel in the demo server where the bot may view but not send.
fn mute_channel(sandbox: &ticketbooth::sandbox::Sandbox, name: &str) -> u64 {
    let bot = sandbox.sim.bot_user_id();
    sandbox
        .sim
        .create_channel(
            sandbox.demo.guild,
            name,
            0,
            None,
            &[Overwrite {
                id: bot,
                kind: 1,
                allow: VIEW_CHANNEL,
                deny: SEND_MESSAGES,
            }],
        )
        .expect("the channel is created")
}

async fn navigation_edits_one_message_and_refuses_those_without_permission_on(database: Database) {
    let sandbox = hub_support::start(database).await;
    let demo = sandbox.demo;
    let sim = &sandbox.sim;
    configure(&sandbox, |s| s.staff_roles = vec![demo.staff_role]).await;

    let before = sim.requests().len();
    let hub = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    assert!(hub.ids().contains(&HubId::Setup) && hub.ids().contains(&HubId::Manage));
    hub.click(HubId::Setup).await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    // Every setting is on Setup, with its current value.
    hub.shows(&say(&Msg::SettingsSummary(&settings(&sandbox).await)))
        .await;
    for id in [
        HubId::Panel,
        HubId::LogChannel,
        HubId::Limits,
        HubId::Topics,
        HubId::StaffRoles,
        HubId::Closing,
        HubId::WhoMayClose,
        HubId::Naming,
        HubId::Welcome,
        HubId::Language,
        HubId::Disable,
        HubId::Home,
        HubId::Cancel,
    ] {
        assert!(hub.ids().contains(&id), "{id:?} missing from Setup");
    }
    // Sub-screens have Back (to Setup) and Cancel.
    hub.click(HubId::Closing).await;
    assert!(hub.ids().contains(&HubId::ClosingSelect));
    hub.click(HubId::Setup).await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    hub.click(HubId::Home).await;
    assert!(hub.ids().contains(&HubId::Manage));
    hub.click(HubId::Manage).await;
    assert!(hub.ids().contains(&HubId::CloseAll));
    hub.click(HubId::Cancel).await;
    hub.shows(&say(&Msg::HubClosed)).await;
    assert!(hub.ids().is_empty(), "a closed hub has no components");
    // Navigation costs no REST call beyond each interaction's own response.
    let other: Vec<_> = sim
        .requests()
        .into_iter()
        .skip(before)
        .filter(|r| !r.path.contains("/interactions/") && !r.path.contains("/webhooks/"))
        .collect();
    assert!(other.is_empty(), "navigation made REST calls: {other:?}");
    // All of that edited the one ephemeral message: the admin has exactly one.
    let ephemerals = sim.ephemeral_for(demo.admin);
    assert_eq!(ephemerals.len(), 1, "navigation posted new messages");

    // A member is refused the hub.
    let member = sim
        .as_user(demo.members[0])
        .slash_command(demo.guild, demo.support, "ticket", serde_json::Value::Null)
        .unwrap();
    drive::acked(&member).await.unwrap();
    assert_eq!(
        reply_text(&member).await,
        say(&Msg::Refused(Refusal::NotStaff))
    );

    // Staff may open the hub and Manage, but Setup needs an admin.
    let staff_hub = Hub::open(sim, demo.guild, demo.staff, demo.support).await;
    let refused = staff_hub.click(HubId::Setup).await;
    assert_eq!(
        reply_text(&refused).await,
        say(&Msg::Refused(Refusal::NotAdmin))
    );
    assert!(
        staff_hub.ids().contains(&HubId::Setup),
        "the staff hub is unchanged"
    );
    staff_hub.click(HubId::Manage).await;
    assert!(staff_hub.ids().contains(&HubId::CloseAll));
    sandbox.stop().await;
}

async fn panels_are_posted_refreshed_and_forgotten_on(database: Database) {
    let sandbox = hub_support::start(database).await;
    let demo = sandbox.demo;
    let sim = &sandbox.sim;
    configure(&sandbox, |s| s.staff_roles = vec![demo.staff_role]).await;
    let hub = Hub::open(sim, demo.guild, demo.admin, demo.support).await;

    // Hostile title and a 4,000-character description: bounded, and nobody is pinged.
    let hostile = format!("@everyone <@&{}> **loud** @here", demo.staff_role);
    let long = "x".repeat(4000);
    hub.click(HubId::Setup).await;
    hub.click(HubId::Panel).await;
    let picked = hub
        .select(HubId::PanelChannelSelect, &[&demo.support.to_string()])
        .await;
    hub.modal(
        picked,
        &[
            (InputId::Title.as_str(), &hostile),
            (InputId::Description.as_str(), &long),
            (InputId::Footer.as_str(), "footer"),
        ],
    )
    .await;
    hub.shows(&say(&Msg::PanelPosted {
        channel: demo.support,
    }))
    .await;
    let first = drive::eventually("the first panel", hub_support::WAIT, || {
        bot_messages(sim, demo.support).into_iter().last()
    })
    .await
    .unwrap();
    assert!(!first.pinged_everyone, "the panel pinged @everyone");
    assert!(first.pinged_roles.is_empty(), "the panel pinged a role");
    assert!(
        drive::text_of(&first).contains(&long),
        "the description was kept whole"
    );

    // The Tickets category: created once, hidden from @everyone, open to staff and the bot.
    let categories: Vec<_> = sim
        .channels(demo.guild)
        .into_iter()
        .filter(|c| c.name.as_deref() == Some("Tickets"))
        .collect();
    assert_eq!(categories.len(), 1);
    let category = categories[0].id;
    assert_eq!(settings(&sandbox).await.default_category, Some(category));
    assert!(!can_view(sim, category, demo.members[0]));
    assert!(can_view(sim, category, demo.staff));
    assert!(can_view(sim, category, sim.bot_user_id()));

    // A second panel elsewhere: two panels, still one category.
    let other = sim
        .create_channel(demo.guild, "help-desk", 0, None, &[])
        .unwrap();
    hub.click(HubId::Setup).await;
    let second = hub_support::post_panel_via_hub(&hub, other, "Second").await;
    let panels = store(&sandbox).panels(demo.guild).await.unwrap();
    assert_eq!(panels.len(), 2);
    assert!(panels.iter().any(|p| p.message_id == first.id));
    assert!(panels.iter().any(|p| p.message_id == second.id));
    assert_eq!(
        sim.channels(demo.guild)
            .iter()
            .filter(|c| c.name.as_deref() == Some("Tickets"))
            .count(),
        1
    );

    // A channel where the bot cannot send: refused, naming the permission; nothing stored.
    let mute = mute_channel(&sandbox, "no-bots");
    hub.click(HubId::Setup).await;
    hub.click(HubId::Panel).await;
    let picked = hub
        .select(HubId::PanelChannelSelect, &[&mute.to_string()])
        .await;
    hub.modal(picked, &[(InputId::Title.as_str(), "Muted")])
        .await;
    hub.shows(&say(&Msg::BotLacksPermission {
        permission: "Send Messages",
        channel: mute,
    }))
    .await;
    assert_eq!(store(&sandbox).panels(demo.guild).await.unwrap().len(), 2);

    // The first panel's message is deleted by hand; a language change updates the other in
    // place and forgets the deleted one.
    sim.with_world(|w| w.messages.remove(&first.id));
    // The refusal's Back leads to the channel choice, whose Back leads to Setup.
    hub.click(HubId::Panel).await;
    hub.click(HubId::Setup).await;
    hub.click(HubId::Language).await;
    hub.select(HubId::LanguageSelect, &[Language::Vi.as_str()])
        .await;
    let vi_button = ticketbooth_core::i18n::text(Language::Vi, &Msg::OpenTicketButton);
    drive::eventually("the panel in Vietnamese", hub_support::WAIT, || {
        sim.message(second.id)
            .filter(|m| m.components.to_string().contains(&vi_button))
    })
    .await
    .expect("the remaining panel was edited in place");
    let panels = store(&sandbox).panels(demo.guild).await.unwrap();
    assert_eq!(panels.len(), 1, "the deleted panel is forgotten");
    assert_eq!(panels[0].message_id, second.id);

    // The category deleted by hand is recreated when the next panel needs it.
    sim.delete_channel(category).unwrap();
    hub_support::post_panel_via_hub(&hub, demo.support, "Third").await;
    let recreated = settings(&sandbox).await.default_category.unwrap();
    assert_ne!(recreated, category);
    assert!(sim.channel(recreated).is_some());

    // A panel message deleted while the bot is connected is forgotten at once.
    let third = store(&sandbox)
        .panels(demo.guild)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.message_id != second.id)
        .expect("the third panel is stored");
    sim.with_world(|w| w.delete_message(third.message_id))
        .unwrap();
    let deadline = tokio::time::Instant::now() + hub_support::WAIT;
    while store(&sandbox).panels(demo.guild).await.unwrap().len() != 1 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the deleted panel was not forgotten"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    sandbox.stop().await;
}

async fn log_channel_is_checked_and_every_change_is_logged_on(database: Database) {
    let sandbox = hub_support::start(database).await;
    let demo = sandbox.demo;
    let sim = &sandbox.sim;
    let hub = Hub::open(sim, demo.guild, demo.admin, demo.support).await;

    // A log channel the bot cannot post in: refused, naming the permission, not saved.
    let mute = mute_channel(&sandbox, "mute-logs");
    hub.click(HubId::Setup).await;
    hub.click(HubId::LogChannel).await;
    hub.select(HubId::LogChannelSelect, &[&mute.to_string()])
        .await;
    hub.shows(&say(&Msg::BotLacksPermission {
        permission: "Send Messages",
        channel: mute,
    }))
    .await;
    assert_eq!(settings(&sandbox).await.log_channel, None);

    // One the bot cannot even see: the missing permission is View Channel.
    let hidden = sandbox
        .sim
        .create_channel(
            demo.guild,
            "hidden-logs",
            0,
            None,
            &[Overwrite {
                id: sim.bot_user_id(),
                kind: 1,
                allow: 0,
                deny: VIEW_CHANNEL,
            }],
        )
        .unwrap();
    hub.click(HubId::LogChannel).await;
    hub.select(HubId::LogChannelSelect, &[&hidden.to_string()])
        .await;
    hub.shows(&say(&Msg::BotLacksPermission {
        permission: "View Channel",
        channel: hidden,
    }))
    .await;
    assert_eq!(settings(&sandbox).await.log_channel, None);

    // A good one: saved, and the change itself is its first log line.
    let logs = sim
        .create_channel(demo.guild, "logs", 0, None, &[])
        .unwrap();
    hub.click(HubId::LogChannel).await;
    hub.select(HubId::LogChannelSelect, &[&logs.to_string()])
        .await;
    hub.shows(&say(&Msg::LogChannelSet { channel: logs })).await;
    assert_eq!(settings(&sandbox).await.log_channel, Some(logs));
    assert_eq!(bot_messages(sim, logs).len(), 1);

    // Each change: one store write and exactly one REST call (the log post), naming who.
    hub.click(HubId::Setup).await;
    hub.click(HubId::WhoMayClose).await;
    let before = sim.requests().len();
    hub.select(HubId::WhoMayCloseSelect, &[values::WHO_STAFF_ONLY])
        .await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    assert_eq!(
        settings(&sandbox).await.who_may_close,
        WhoMayClose::StaffOnly
    );
    let calls: Vec<_> = sim
        .requests()
        .into_iter()
        .skip(before)
        .filter(|r| !r.path.contains("/interactions/") && !r.path.contains("/webhooks/"))
        .collect();
    assert_eq!(calls.len(), 1, "one log post per change: {calls:?}");
    let note = bot_messages(sim, logs).pop().unwrap();
    assert!(
        note.content.contains(&demo.admin.to_string()),
        "{}",
        note.content
    );
    assert!(note.pinged_users.is_empty() && note.pinged_roles.is_empty());

    // The log channel deleted by hand: the next change says so and forgets it.
    sim.delete_channel(logs).unwrap();
    hub.click(HubId::Disable).await;
    hub.shows(&say(&Msg::LogChannelGone { channel: logs }))
        .await;
    let now = settings(&sandbox).await;
    assert!(!now.enabled, "the change itself is kept");
    assert_eq!(now.log_channel, None);
    hub.click(HubId::Setup).await;
    hub.click(HubId::Enable).await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    assert!(settings(&sandbox).await.enabled);
    sandbox.stop().await;
}

async fn limits_closing_naming_welcome_language_and_staff_are_validated_and_saved_on(
    database: Database,
) {
    let sandbox = hub_support::start(database).await;
    let demo = sandbox.demo;
    let sim = &sandbox.sim;
    let logs = sim
        .create_channel(demo.guild, "logs", 0, None, &[])
        .unwrap();
    configure(&sandbox, |s| s.log_channel = Some(logs)).await;
    let hub = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    hub.click(HubId::Setup).await;

    // Limits: anything but a whole number in range is refused, naming the range.
    let (tmin, tmax) = ticketbooth_core::views::MAX_OPEN_TOTAL_RANGE;
    let (mmin, mmax) = ticketbooth_core::views::MAX_OPEN_PER_MEMBER_RANGE;
    for (total, per_member, range) in [
        ("abc", "1", (tmin, tmax)),
        ("0", "1", (tmin, tmax)),
        ("2.5", "1", (tmin, tmax)),
        ("50", "11", (mmin, mmax)),
        ("50", "-1", (mmin, mmax)),
    ] {
        let opener = hub.click(HubId::Limits).await;
        hub.modal(
            opener,
            &[
                (InputId::MaxTotal.as_str(), total),
                (InputId::MaxPerMember.as_str(), per_member),
            ],
        )
        .await;
        hub.shows(&say(&Msg::NotANumberInRange {
            min: range.0,
            max: range.1,
        }))
        .await;
        hub.click(HubId::Setup).await;
    }
    let untouched = settings(&sandbox).await;
    let opener = hub.click(HubId::Limits).await;
    hub.modal(
        opener,
        &[
            (InputId::MaxTotal.as_str(), " 50 "),
            (InputId::MaxPerMember.as_str(), "3"),
        ],
    )
    .await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    let s = settings(&sandbox).await;
    assert_eq!((s.max_open_total, s.max_open_per_member), (50, 3));
    assert_ne!(
        (untouched.max_open_total, untouched.max_open_per_member),
        (50, 3)
    );

    // Closing: keep, then delete after a delay (validated).
    hub.click(HubId::Closing).await;
    hub.select(HubId::ClosingSelect, &[values::CLOSING_KEEP])
        .await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    assert_eq!(settings(&sandbox).await.closing, ClosingMode::Keep);
    hub.click(HubId::Closing).await;
    let opener = hub
        .select(HubId::ClosingSelect, &[values::CLOSING_DELETE])
        .await;
    hub.modal(opener, &[(InputId::DelaySecs.as_str(), "soon")])
        .await;
    let (dmin, dmax) = ticketbooth_core::views::DELETE_DELAY_RANGE;
    hub.shows(&say(&Msg::NotANumberInRange {
        min: dmin,
        max: dmax,
    }))
    .await;
    assert_eq!(settings(&sandbox).await.closing, ClosingMode::Keep);
    hub.click(HubId::Setup).await;
    hub.click(HubId::Closing).await;
    let opener = hub
        .select(HubId::ClosingSelect, &[values::CLOSING_DELETE])
        .await;
    hub.modal(opener, &[(InputId::DelaySecs.as_str(), "30")])
        .await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    assert_eq!(
        settings(&sandbox).await.closing,
        ClosingMode::Delete { after_secs: 30 }
    );

    // Naming: a bad template is refused with core's reason; a good one and random6 are kept.
    let opener = hub.click(HubId::Naming).await;
    hub.modal(opener, &[(InputId::Template.as_str(), "{nope}")])
        .await;
    let error = ticketbooth_core::views::parse_naming("{nope}").unwrap_err();
    hub.shows(&say(&Msg::TemplateInvalid(&error))).await;
    assert!(matches!(error, TemplateError::UnknownPlaceholder { .. }));
    hub.click(HubId::Setup).await;
    let opener = hub.click(HubId::Naming).await;
    hub.modal(opener, &[(InputId::Template.as_str(), "help-{number}")])
        .await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    assert_eq!(
        settings(&sandbox).await.naming,
        Naming::Template {
            template: "help-{number}".into()
        }
    );
    let opener = hub.click(HubId::Naming).await;
    hub.modal(opener, &[(InputId::Template.as_str(), "random6")])
        .await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    assert_eq!(settings(&sandbox).await.naming, Naming::Random6);

    // Welcome: oversized text is bounded before it is stored or shown.
    let huge = "@everyone ".repeat(400);
    let opener = hub.click(HubId::Welcome).await;
    hub.modal(
        opener,
        &[
            (InputId::ResponseTime.as_str(), &huge),
            (InputId::Instructions.as_str(), &huge),
        ],
    )
    .await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    let s = settings(&sandbox).await;
    assert!(s.response_time.chars().count() <= 200 && !s.response_time.is_empty());
    assert!(s.instructions.chars().count() <= 1000 && !s.instructions.is_empty());

    // Staff roles and language.
    hub.click(HubId::StaffRoles).await;
    hub.select(HubId::StaffRolesSelect, &[&demo.staff_role.to_string()])
        .await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    assert_eq!(settings(&sandbox).await.staff_roles, vec![demo.staff_role]);
    hub.click(HubId::Language).await;
    hub.select(HubId::LanguageSelect, &[Language::Vi.as_str()])
        .await;
    drive::eventually("Setup after the language change", hub_support::WAIT, || {
        hub.ids().contains(&HubId::Language).then_some(())
    })
    .await
    .unwrap();
    assert_eq!(settings(&sandbox).await.language, Language::Vi);

    // Every change above was logged, none of them pinging anyone (the staff role included).
    let notes = bot_messages(sim, logs);
    assert_eq!(notes.len(), 8, "one note per saved change: {notes:#?}");
    assert!(
        notes
            .iter()
            .all(|n| n.pinged_roles.is_empty() && !n.pinged_everyone)
    );
    assert!(notes.iter().all(|n| n.content.chars().count() <= 2000));
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn navigation_edits_one_message_and_refuses_those_without_permission() {
    navigation_edits_one_message_and_refuses_those_without_permission_on(Database::TempSqlite)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn navigation_edits_one_message_and_refuses_those_without_permission_on_postgres() {
    let db = common::FreshPostgres::create(
        "navigation_edits_one_message_and_refuses_those_without_permission",
    )
    .await;
    navigation_edits_one_message_and_refuses_those_without_permission_on(db.database()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn panels_are_posted_refreshed_and_forgotten() {
    panels_are_posted_refreshed_and_forgotten_on(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn panels_are_posted_refreshed_and_forgotten_on_postgres() {
    let db = common::FreshPostgres::create("panels_are_posted_refreshed_and_forgotten").await;
    panels_are_posted_refreshed_and_forgotten_on(db.database()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn log_channel_is_checked_and_every_change_is_logged() {
    log_channel_is_checked_and_every_change_is_logged_on(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn log_channel_is_checked_and_every_change_is_logged_on_postgres() {
    let db =
        common::FreshPostgres::create("log_channel_is_checked_and_every_change_is_logged").await;
    log_channel_is_checked_and_every_change_is_logged_on(db.database()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn limits_closing_naming_welcome_language_and_staff_are_validated_and_saved() {
    limits_closing_naming_welcome_language_and_staff_are_validated_and_saved_on(
        Database::TempSqlite,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn limits_closing_naming_welcome_language_and_staff_are_validated_and_saved_on_postgres() {
    let db = common::FreshPostgres::create(
        "limits_closing_naming_welcome_language_and_staff_are_validated_and_saved",
    )
    .await;
    limits_closing_naming_welcome_language_and_staff_are_validated_and_saved_on(db.database())
        .await;
}
