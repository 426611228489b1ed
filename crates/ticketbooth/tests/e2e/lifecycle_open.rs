//! Opening a ticket end to end against the simulator (issue 4, points 1–4 and 17): the panel,
//! the atomic refusals, topics, the channel and its overwrites, categories and overflow, names,
//! the welcome message, the confirmation and the DM, a failed creation, and the REST budget.

use crate::lifecycle_support;

use serde_json::Value;
use ticketbooth::{drive, sandbox::Database};
use ticketbooth_core::{Language, Naming, custom_id::CustomId, i18n::Msg, lifecycle::OpenRefusal};
use ticketbooth_sim::world::bits;
use ticketbooth_store::NewTopic;

use lifecycle_support::*;

/// The permission bits of an overwrite in the simulator's channel, by target id.
fn overwrite_of(
    sim: &ticketbooth_sim::Sim,
    channel: u64,
    id: u64,
) -> Option<ticketbooth_sim::Overwrite> {
    sim.overwrites(channel).into_iter().find(|o| o.id == id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_opens_a_ticket_from_a_panel() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let member = demo.members[0];
    let panel = post_panel(&sandbox).await;
    let before = sim.requests().len();

    let click = click_panel(sim, &panel, member).await;
    let confirmation = reply_of(&click).await;
    let ticket = open_ticket_of(&sandbox, member).await;
    let channel_id = ticket.channel_id.unwrap();

    // The confirmation is ephemeral, names the channel and links to it.
    assert_eq!(confirmation.ephemeral_to, Some(member));
    assert_eq!(
        confirmation.content,
        say(
            Language::En,
            &Msg::TicketOpened {
                channel: channel_id
            }
        )
    );
    let link = confirmation.components.to_string();
    assert!(
        link.contains(&format!("/channels/{}/{channel_id}", demo.guild)),
        "{link}"
    );

    // One channel-creation call for the ticket, its overwrites inline.
    let log = requests_since(sim, before);
    let creations: Vec<_> = log
        .iter()
        .filter(|r| r.method == "POST" && r.path == format!("/guilds/{}/channels", demo.guild))
        .collect();
    let text_creations: Vec<_> = creations
        .iter()
        .filter(|r| {
            r.body
                .as_ref()
                .and_then(|b| b.get("type"))
                .and_then(Value::as_u64)
                == Some(0)
        })
        .collect();
    assert_eq!(text_creations.len(), 1, "{creations:?}");
    let inline = text_creations[0].body.as_ref().unwrap()["permission_overwrites"]
        .as_array()
        .expect("overwrites inline")
        .len();
    assert_eq!(
        inline, 4,
        "@everyone, the bot, the staff role and the owner"
    );
    assert!(
        !log.iter().any(|r| r
            .route
            .as_deref()
            .is_some_and(|route| route.contains("/permissions/"))),
        "no overwrite call after creation"
    );

    // Read back from the simulator: who may see it.
    let everyone = overwrite_of(sim, channel_id, demo.guild).expect("@everyone overwrite");
    assert_ne!(everyone.deny & bits::VIEW_CHANNEL, 0);
    assert!(can_view(sim, channel_id, member));
    assert!(can_view(sim, channel_id, demo.staff));
    assert!(can_view(sim, channel_id, sim.bot_user_id()));
    assert!(!can_view(sim, channel_id, demo.members[1]));
    // Staff and the bot may manage the channel; the member may not.
    for (user, manages) in [
        (demo.staff, true),
        (sim.bot_user_id(), true),
        (member, false),
    ] {
        let bits = sim.permissions(channel_id, user);
        assert_eq!(bits & bits::MANAGE_CHANNELS != 0, manages, "{user}");
    }

    // Under the default "Tickets" category, created because there was none.
    let channel = sim.channel(channel_id).unwrap();
    let category = sim.channel(channel.parent_id.expect("a category")).unwrap();
    assert_eq!(category.name.as_deref(), Some("Tickets"));
    assert_eq!(category.kind, 4);
    assert_eq!(channel.name.as_deref(), Some("ticket-0001"));
    assert_eq!(ticket.name, "ticket-0001");

    // The welcome message pings exactly the member and carries the three buttons.
    let (welcome, _) = button(sim, channel_id, |id| {
        matches!(id, CustomId::NeedHelp { .. })
    })
    .await;
    assert_eq!(welcome.pinged_users, vec![member]);
    assert!(welcome.pinged_roles.is_empty() && !welcome.pinged_everyone);
    let ids = ids_on(&welcome);
    for expected in [
        CustomId::ItWorks {
            ticket_id: ticket.id,
        },
        CustomId::NeedHelp {
            ticket_id: ticket.id,
        },
        CustomId::Close {
            ticket_id: ticket.id,
        },
    ] {
        assert!(ids.contains(&expected), "{expected:?} missing from {ids:?}");
    }

    // The DM links to the channel.
    let dm = drive_eventually_dm(sim, member).await;
    assert!(dm.to_string().contains(&channel_id.to_string()), "{dm}");
    assert!(
        dm.to_string().contains("Ticketbooth Demo"),
        "names the server: {dm}"
    );
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

/// Waits for the member's DM and returns its content, embeds and components as JSON.
async fn drive_eventually_dm(sim: &ticketbooth_sim::Sim, user: u64) -> Value {
    ticketbooth::drive::eventually("the DM", WAIT, || {
        sim.dms(user)
            .last()
            .map(|m| serde_json::json!([m.content, m.embeds, m.components]))
    })
    .await
    .unwrap()
}

/// The text of an interaction's final reply, with the user it is shown to.
async fn reply_text(interaction: &ticketbooth_sim::Interaction) -> (String, Option<u64>) {
    let reply = reply_of(interaction).await;
    (ticketbooth::drive::text_of(&reply), reply.ephemeral_to)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_ephemeral_and_name_the_reason() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let panel = post_panel(&sandbox).await;
    let [first, second, third] = demo.members;

    // Disabled.
    configure(&sandbox, |s| s.enabled = false).await;
    let (text, to) = reply_text(&click_panel(sim, &panel, first).await).await;
    assert_eq!(to, Some(first));
    assert!(
        text.contains(&say(Language::En, &Msg::OpenRefused(OpenRefusal::Disabled))),
        "{text}"
    );
    configure(&sandbox, |s| s.enabled = true).await;

    // Blacklisted.
    store
        .set_blacklisted(demo.guild, third, true)
        .await
        .unwrap();
    let (text, to) = reply_text(&click_panel(sim, &panel, third).await).await;
    assert_eq!(to, Some(third));
    assert!(
        text.contains(&say(
            Language::En,
            &Msg::OpenRefused(OpenRefusal::Blacklisted)
        )),
        "{text}"
    );

    // The per-member limit names the ticket already open.
    let ticket = open_ticket(&sandbox, &panel, first).await;
    let (text, to) = reply_text(&click_panel(sim, &panel, first).await).await;
    assert_eq!(to, Some(first));
    let expected = say(
        Language::En,
        &Msg::OpenRefused(OpenRefusal::AlreadyOpen {
            channel_id: ticket.channel_id,
        }),
    );
    assert!(text.contains(&expected), "{text}");

    // The server limit.
    configure(&sandbox, |s| s.max_open_total = 1).await;
    let (text, to) = reply_text(&click_panel(sim, &panel, second).await).await;
    assert_eq!(to, Some(second));
    assert!(
        text.contains(&say(
            Language::En,
            &Msg::OpenRefused(OpenRefusal::ServerLimit { max: 1 })
        )),
        "{text}"
    );
    // Nothing was created for the refused members.
    for user in [second, third] {
        assert!(
            store
                .member_open_tickets(demo.guild, user)
                .await
                .unwrap()
                .is_empty()
        );
    }
    assert_eq!(store.open_tickets(demo.guild).await.unwrap().len(), 1);
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topics_come_first_and_choose_the_category() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let billing_category = sim
        .create_channel(demo.guild, "Billing", 4, None, &[])
        .unwrap();
    store
        .add_topic(NewTopic {
            guild_id: demo.guild,
            name: "General Support".into(),
            description: None,
            emoji: None,
            category_id: None,
        })
        .await
        .unwrap();
    let billing = store
        .add_topic(NewTopic {
            guild_id: demo.guild,
            name: "Activation".into(),
            description: None,
            emoji: None,
            category_id: Some(billing_category),
        })
        .await
        .unwrap();
    let panel = post_panel(&sandbox).await;
    let member = demo.members[0];

    let click = click_panel(sim, &panel, member).await;
    let menu = reply_of(&click).await;
    assert_eq!(menu.ephemeral_to, Some(member));
    let (raw, _) = ticketbooth::drive::components(&menu)
        .into_iter()
        .find(|(_, id)| matches!(id, CustomId::PickTopic { .. }))
        .expect("a topic select");
    assert!(
        store
            .member_open_tickets(demo.guild, member)
            .await
            .unwrap()
            .is_empty(),
        "nothing opens before the choice"
    );

    let value = billing.id.to_string();
    let picked = sim
        .as_user(member)
        .select(demo.support, menu.id, &raw, &[value.as_str()])
        .unwrap();
    ticketbooth::drive::acked(&picked).await.unwrap();
    let ticket = open_ticket_of(&sandbox, member).await;
    assert_eq!(ticket.topic.as_deref(), Some("Activation"));
    let channel = sim.channel(ticket.channel_id.unwrap()).unwrap();
    assert_eq!(channel.parent_id, Some(billing_category));
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_follow_the_template_or_the_random_scheme() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    configure(&sandbox, |s| {
        s.max_open_total = 10;
        s.naming = Naming::Template {
            template: "help-{number}".into(),
        };
    })
    .await;
    let first = open_ticket(&sandbox, &panel, demo.members[0]).await;
    let second = open_ticket(&sandbox, &panel, demo.members[1]).await;
    assert_eq!(
        sim.channel(first.channel_id.unwrap())
            .unwrap()
            .name
            .as_deref(),
        Some("help-0001")
    );
    assert_eq!(
        sim.channel(second.channel_id.unwrap())
            .unwrap()
            .name
            .as_deref(),
        Some("help-0002")
    );

    configure(&sandbox, |s| s.naming = Naming::Random6).await;
    let third = open_ticket(&sandbox, &panel, demo.members[2]).await;
    let name = sim
        .channel(third.channel_id.unwrap())
        .unwrap()
        .name
        .unwrap();
    let suffix = name
        .strip_prefix("ticket-")
        .unwrap_or_else(|| panic!("{name}"));
    assert_eq!(suffix.len(), 6, "{name}");
    assert!(
        suffix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
        "{name}"
    );
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_category_overflows_into_the_next() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let full = sim
        .create_channel(demo.guild, "Tickets", 4, None, &[])
        .unwrap();
    for n in 0..50 {
        sim.create_channel(demo.guild, &format!("old-{n}"), 0, Some(full), &[])
            .unwrap();
    }
    configure(&sandbox, |s| s.default_category = Some(full)).await;
    let panel = post_panel(&sandbox).await;

    let ticket = open_ticket(&sandbox, &panel, demo.members[0]).await;
    let parent = sim
        .channel(ticket.channel_id.unwrap())
        .unwrap()
        .parent_id
        .unwrap();
    assert_ne!(parent, full);
    assert_eq!(
        sim.channel(parent).unwrap().name.as_deref(),
        Some("Tickets 2")
    );
    let settings = store(&sandbox).guild_settings(demo.guild).await.unwrap();
    assert_eq!(
        settings.default_category,
        Some(parent),
        "the next ticket goes straight there"
    );
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_refuses_dms_still_gets_the_ticket() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let member = sandbox.demo.members[0];
    sim.set_accepts_dms(member, false);
    let panel = post_panel(&sandbox).await;
    let click = click_panel(sim, &panel, member).await;
    let confirmation = reply_of(&click).await;
    let ticket = open_ticket_of(&sandbox, member).await;
    assert_eq!(
        confirmation.content,
        say(
            Language::En,
            &Msg::TicketOpened {
                channel: ticket.channel_id.unwrap()
            }
        )
    );
    // The DM attempt happens after the answer: Discord refuses it (50007), and that is all.
    drive::eventually("the refused DM", WAIT, || {
        sim.requests()
            .iter()
            .any(|r| {
                r.method == "POST"
                    && r.route.as_deref() == Some("/channels/{channel.id}/messages")
                    && r.response.as_ref().and_then(|b| b.get("code")) == Some(&Value::from(50007))
            })
            .then_some(())
    })
    .await
    .unwrap();
    assert!(sim.dms(member).is_empty());
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

/// The bot's role without one permission bit.
fn without(sandbox: &ticketbooth::sandbox::Sandbox, bit: u64) {
    let all = ticketbooth_bot::invite::REQUIRED_PERMISSIONS.bits();
    sandbox
        .sim
        .set_role_permissions(sandbox.demo.guild, sandbox.demo.bot_role, all & !bit)
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_channel_creation_releases_the_reservation_and_says_why() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let store = store(&sandbox);
    let panel = post_panel(&sandbox).await;
    let member = demo.members[0];
    let lacks = say(
        Language::En,
        &Msg::OpenRefused(OpenRefusal::BotLacksManageChannels),
    );

    // Without Manage Channels, before any category exists and after one does.
    without(&sandbox, bits::MANAGE_CHANNELS);
    let (text, to) = reply_text(&click_panel(sim, &panel, member).await).await;
    assert_eq!(to, Some(member));
    assert!(text.contains(&lacks), "{text}");
    assert!(
        store
            .member_open_tickets(demo.guild, member)
            .await
            .unwrap()
            .is_empty()
    );

    without(&sandbox, 0);
    let other = open_ticket(&sandbox, &panel, demo.members[1]).await;
    assert!(other.channel_id.is_some());
    without(&sandbox, bits::MANAGE_CHANNELS);
    let (text, _) = reply_text(&click_panel(sim, &panel, member).await).await;
    assert!(text.contains(&lacks), "{text}");
    assert!(
        store
            .member_open_tickets(demo.guild, member)
            .await
            .unwrap()
            .is_empty()
    );

    // A server at Discord's 500 channels.
    without(&sandbox, 0);
    let existing = sim.channels(demo.guild).len();
    for n in existing..500 {
        sim.create_channel(demo.guild, &format!("filler-{n}"), 0, None, &[])
            .unwrap();
    }
    let (text, _) = reply_text(&click_panel(sim, &panel, member).await).await;
    assert!(
        text.contains(&say(
            Language::En,
            &Msg::OpenRefused(OpenRefusal::CategoryFull)
        )),
        "{text}"
    );
    assert!(
        store
            .member_open_tickets(demo.guild, member)
            .await
            .unwrap()
            .is_empty()
    );

    // Once fixed, the member can open: the released reservation holds no limit.
    let filler = sim
        .channels(demo.guild)
        .into_iter()
        .find(|c| c.name.as_deref().is_some_and(|n| n.starts_with("filler-")))
        .unwrap();
    sim.delete_channel(filler.id).unwrap();
    let ticket = open_ticket(&sandbox, &panel, member).await;
    assert!(sim.channel(ticket.channel_id.unwrap()).is_some());
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_costs_three_rest_calls_besides_the_dm() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    // The first ticket creates the default category; the budget is for every one after it.
    open_ticket(&sandbox, &panel, demo.members[0]).await;
    let member = demo.members[1];
    drive_eventually_dm(sim, demo.members[0]).await;
    let before = sim.requests().len();

    let ticket = open_ticket(&sandbox, &panel, member).await;
    drive_eventually_dm(sim, member).await;
    let is_dm_channel = |path: &str| {
        path.strip_prefix("/channels/")
            .and_then(|rest| rest.split('/').next())
            .and_then(|id| id.parse::<u64>().ok())
            .and_then(|id| sim.channel(id))
            .is_some_and(|c| c.kind == 1)
    };
    let (dm_calls, calls): (Vec<_>, Vec<_>) = requests_since(sim, before)
        .into_iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .partition(|c| {
            c == "POST /users/@me/channels" || is_dm_channel(c.split(' ').nth(1).unwrap_or(""))
        });
    assert!(calls.len() <= 3, "{calls:#?}");
    // The DM itself: open the DM channel and post; the server's name comes from GUILD_CREATE.
    assert_eq!(dm_calls.len(), 2, "{dm_calls:#?}");
    let channel = ticket.channel_id.unwrap();
    assert!(
        calls
            .iter()
            .any(|c| c == &format!("POST /guilds/{}/channels", demo.guild)),
        "{calls:#?}"
    );
    assert!(
        calls
            .iter()
            .any(|c| c == &format!("POST /channels/{channel}/messages")),
        "{calls:#?}"
    );
    assert!(calls.iter().any(|c| c.contains("/callback")), "{calls:#?}");
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_follow_the_member_and_channel_messages_the_server() {
    let sandbox = start(Database::TempSqlite).await;
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let panel = post_panel(&sandbox).await;
    let member = demo.members[0];
    sim.set_user_locale(member, "vi");

    // An English server: the Vietnamese member's confirmation is Vietnamese, the welcome English.
    let click = click_panel(sim, &panel, member).await;
    let confirmation = reply_of(&click).await;
    let ticket = open_ticket_of(&sandbox, member).await;
    let channel = ticket.channel_id.unwrap();
    let vi = say(Language::Vi, &Msg::TicketOpened { channel });
    assert_ne!(vi, say(Language::En, &Msg::TicketOpened { channel }));
    assert_eq!(confirmation.content, vi);
    let settings = store(&sandbox).guild_settings(demo.guild).await.unwrap();
    let welcome_title = |settings: &ticketbooth_core::GuildSettings| {
        ticketbooth_core::views::welcome(&ticket, settings, None).embeds[0]
            .title
            .clone()
    };
    let (welcome, _) = button(sim, channel, |id| matches!(id, CustomId::NeedHelp { .. })).await;
    assert_eq!(
        welcome.embeds[0]["title"].as_str(),
        welcome_title(&settings).as_deref()
    );

    // The member's refusal is Vietnamese too.
    let (text, _) = reply_text(&click_panel(sim, &panel, member).await).await;
    assert!(
        text.contains(&say(
            Language::Vi,
            &Msg::OpenRefused(OpenRefusal::AlreadyOpen {
                channel_id: Some(channel)
            })
        )),
        "{text}"
    );

    // A Vietnamese server: an English member's ticket is welcomed in Vietnamese.
    configure(&sandbox, |s| s.language = Language::Vi).await;
    let english = demo.members[1];
    let other = open_ticket(&sandbox, &panel, english).await;
    let settings = store(&sandbox).guild_settings(demo.guild).await.unwrap();
    let (welcome, _) = button(sim, other.channel_id.unwrap(), |id| {
        matches!(id, CustomId::NeedHelp { .. })
    })
    .await;
    let expected = ticketbooth_core::views::welcome(&other, &settings, None).embeds[0]
        .title
        .clone();
    let mut english_settings = settings.clone();
    english_settings.language = Language::En;
    let english_title = ticketbooth_core::views::welcome(&other, &english_settings, None).embeds[0]
        .title
        .clone();
    assert_ne!(expected, english_title);
    assert_eq!(welcome.embeds[0]["title"].as_str(), expected.as_deref());
    assert_no_unimplemented(sim);
    sandbox.stop().await;
}
