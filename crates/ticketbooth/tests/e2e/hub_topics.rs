//! Setup → Topics end to end: add (a category per topic, visible to staff only), unique names,
//! hostile names, list, removal refused while open tickets live in the topic, removal with its
//! category otherwise, a stale confirmation, and staff-role changes reaching the channels of
//! tickets already open.

use crate::common;
use crate::hub_support;

use ticketbooth::{drive, sandbox::Database};
use ticketbooth_core::{
    custom_id::{HubId, InputId},
    i18n::{MAX_TOPIC_NAME, Msg},
    text::{truncate_chars, user_text},
};

use hub_support::{
    Hub, can_view, configure, open_ticket, post_panel_via_hub, reply_text, say, store,
};

async fn add_topic(hub: &Hub<'_>, name: &str, description: &str, emoji: &str) {
    let opener = hub.click(HubId::TopicAdd).await;
    hub.modal(
        opener,
        &[
            (InputId::TopicName.as_str(), name),
            (InputId::TopicDescription.as_str(), description),
            (InputId::TopicEmoji.as_str(), emoji),
        ],
    )
    .await;
}

fn categories_named(sandbox: &ticketbooth::sandbox::Sandbox, name: &str) -> Vec<u64> {
    sandbox
        .sim
        .channels(sandbox.demo.guild)
        .into_iter()
        .filter(|c| c.kind == 4 && c.name.as_deref() == Some(name))
        .map(|c| c.id)
        .collect()
}

async fn topics_are_added_listed_and_removed_with_their_categories_on(database: Database) {
    let sandbox = hub_support::start(database).await;
    let demo = sandbox.demo;
    let sim = &sandbox.sim;
    let logs = sim
        .create_channel(demo.guild, "logs", 0, None, &[])
        .unwrap();
    configure(&sandbox, |s| {
        s.staff_roles = vec![demo.staff_role];
        s.log_channel = Some(logs);
    })
    .await;
    let hub = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    hub.click(HubId::Setup).await;
    hub.click(HubId::Topics).await;
    hub.shows(&say(&Msg::TopicList { names: &[] })).await;

    // Added: a category of its own, seen by staff and the bot, not by members.
    add_topic(&hub, "Billing", "Payments and refunds", "💳").await;
    hub.shows(&say(&Msg::TopicAdded { name: "Billing" })).await;
    let billing_category = categories_named(&sandbox, "Billing");
    assert_eq!(billing_category.len(), 1);
    let billing_category = billing_category[0];
    assert!(can_view(sim, billing_category, demo.staff));
    assert!(can_view(sim, billing_category, sim.bot_user_id()));
    assert!(!can_view(sim, billing_category, demo.members[0]));
    let topics = store(&sandbox).topics(demo.guild).await.unwrap();
    assert_eq!(topics.len(), 1);
    assert_eq!(topics[0].category_id, Some(billing_category));
    assert_eq!(
        topics[0].description.as_deref(),
        Some("Payments and refunds")
    );
    assert_eq!(topics[0].emoji.as_deref(), Some("💳"));
    let notes = hub_support::bot_messages(sim, logs);
    assert_eq!(notes.len(), 1, "the addition is logged");
    assert!(
        notes[0].content.contains("Billing") && notes[0].content.contains(&demo.admin.to_string())
    );

    // Changing the staff roles moves the categories' access with them.
    let helpers = sim.create_role(demo.guild, "Helpers", 0).unwrap();
    let helper = sim.create_user("helper");
    sim.add_member(demo.guild, helper, &[helpers]).unwrap();
    assert!(!can_view(sim, billing_category, helper));
    hub.click(HubId::Topics).await;
    hub.click(HubId::Setup).await;
    hub.click(HubId::StaffRoles).await;
    hub.select(HubId::StaffRolesSelect, &[&helpers.to_string()])
        .await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    // One job puts the new role on and takes the old one off, one call each.
    drive::eventually(
        "the new staff in the category, the old staff out",
        hub_support::WAIT,
        || {
            (can_view(sim, billing_category, helper)
                && !can_view(sim, billing_category, demo.staff))
            .then_some(())
        },
    )
    .await
    .unwrap();
    hub.click(HubId::StaffRoles).await;
    hub.select(HubId::StaffRolesSelect, &[&demo.staff_role.to_string()])
        .await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    drive::eventually(
        "the staff back in the category, the helpers out",
        hub_support::WAIT,
        || {
            (can_view(sim, billing_category, demo.staff)
                && !can_view(sim, billing_category, helper))
            .then_some(())
        },
    )
    .await
    .unwrap();

    // Names are unique ignoring case and spaces; a duplicate creates no category.
    hub.click(HubId::Topics).await;
    add_topic(&hub, "  billing ", "", "").await;
    hub.shows(&say(&Msg::TopicExists { name: "billing" })).await;
    assert_eq!(store(&sandbox).topics(demo.guild).await.unwrap().len(), 1);
    assert_eq!(
        sim.channels(demo.guild)
            .iter()
            .filter(|c| c.kind == 4)
            .count(),
        1
    );

    // A hostile, overlong name: bounded, shown escaped, pinging nobody.
    let hostile = format!(
        "@everyone <@&{}> **Urgent** {}",
        demo.staff_role,
        "z".repeat(200)
    );
    hub.click(HubId::Topics).await;
    add_topic(&hub, &hostile, "", "").await;
    let kept = truncate_chars(&hostile, MAX_TOPIC_NAME);
    assert!(kept.chars().count() == MAX_TOPIC_NAME && kept.ends_with('…'));
    // The catalog shortens long names further; the escaped start is what must show.
    let shown = user_text(&kept, MAX_TOPIC_NAME * 2);
    let shown_start: String = shown.chars().take(30).collect();
    hub.shows(&shown_start).await;
    let message = hub.message();
    assert!(!message.pinged_everyone && message.pinged_roles.is_empty());
    assert!(!hub.text().contains("@everyone"), "{}", hub.text());
    assert!(!hub.text().contains("**Urgent**"), "markdown left live");
    let topics = store(&sandbox).topics(demo.guild).await.unwrap();
    assert_eq!(topics.len(), 2);
    let urgent = topics
        .iter()
        .find(|t| t.name == kept)
        .expect("stored bounded");

    // Listed.
    hub.click(HubId::Topics).await;
    hub.shows("Billing").await;
    hub.shows(&shown_start).await;

    // A ticket in Billing blocks its removal, and the admin is told which.
    hub.click(HubId::Setup).await;
    let panel = hub_support::post_panel_via_hub(&hub, demo.support, "Help").await;
    let billing_id = topics.iter().find(|t| t.name == "Billing").unwrap().id;
    let ticket =
        hub_support::open_ticket(&sandbox, &panel, demo.members[0], Some(billing_id)).await;
    let channel = ticket.channel_id.unwrap();
    assert_eq!(
        sim.channel(channel).unwrap().parent_id,
        Some(billing_category)
    );
    hub.click(HubId::Setup).await;
    hub.click(HubId::Topics).await;
    hub.click(HubId::TopicRemove).await;
    hub.select(HubId::TopicRemoveSelect, &[&billing_id.to_string()])
        .await;
    hub.click(HubId::TopicRemoveConfirm {
        topic_id: billing_id,
    })
    .await;
    hub.shows(&say(&Msg::TopicInUse {
        name: "Billing",
        channels: &[channel],
    }))
    .await;
    assert!(sim.channel(billing_category).is_some());
    assert_eq!(store(&sandbox).topics(demo.guild).await.unwrap().len(), 2);

    // The other topic goes, with its category.
    let urgent_category = urgent.category_id.unwrap();
    hub.click(HubId::Topics).await;
    hub.click(HubId::TopicRemove).await;
    hub.select(HubId::TopicRemoveSelect, &[&urgent.id.to_string()])
        .await;
    hub.click(HubId::TopicRemoveConfirm {
        topic_id: urgent.id,
    })
    .await;
    hub.shows(&shown_start).await;
    assert!(
        sim.channel(urgent_category).is_none(),
        "the category is deleted"
    );
    let removal = hub_support::bot_messages(sim, logs).pop().unwrap();
    assert!(
        removal.content.contains(&shown_start),
        "{}",
        removal.content
    );
    assert!(!removal.pinged_everyone && removal.pinged_roles.is_empty());
    let left = store(&sandbox).topics(demo.guild).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, billing_id);
    sandbox.stop().await;
}

async fn a_stale_confirmation_is_answered_politely_on(database: Database) {
    let sandbox = hub_support::start(database).await;
    let demo = sandbox.demo;
    let sim = &sandbox.sim;
    let first = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    first.click(HubId::Setup).await;
    first.click(HubId::Topics).await;
    add_topic(&first, "Refunds", "", "").await;
    let topic = store(&sandbox).topics(demo.guild).await.unwrap()[0].clone();

    // The admin leaves a confirmation open; the owner removes the topic meanwhile.
    first.click(HubId::Topics).await;
    first.click(HubId::TopicRemove).await;
    first
        .select(HubId::TopicRemoveSelect, &[&topic.id.to_string()])
        .await;
    let second = Hub::open(sim, demo.guild, demo.owner, demo.support).await;
    second.click(HubId::Setup).await;
    second.click(HubId::Topics).await;
    second.click(HubId::TopicRemove).await;
    second
        .select(HubId::TopicRemoveSelect, &[&topic.id.to_string()])
        .await;
    second
        .click(HubId::TopicRemoveConfirm { topic_id: topic.id })
        .await;
    second
        .shows(&say(&Msg::TopicRemoved { name: "Refunds" }))
        .await;

    let stale = first
        .click(HubId::TopicRemoveConfirm { topic_id: topic.id })
        .await;
    assert_eq!(reply_text(&stale).await, say(&Msg::MenuExpired));
    assert!(store(&sandbox).topics(demo.guild).await.unwrap().is_empty());
    sandbox.stop().await;
}

/// Changing the staff roles reaches the tickets already open: the new role gets in, the old one
/// is taken out, members keep their access, a channel deleted by hand does not stop the rest,
/// and each channel costs one call per changed role.
async fn staff_role_changes_reach_open_ticket_channels_on(database: Database) {
    let sandbox = hub_support::start(database).await;
    let demo = sandbox.demo;
    let sim = &sandbox.sim;
    configure(&sandbox, |s| s.staff_roles = vec![demo.staff_role]).await;
    let hub = Hub::open(sim, demo.guild, demo.admin, demo.support).await;
    let panel = post_panel_via_hub(&hub, demo.support, "Help").await;
    let mut channels = Vec::new();
    for member in demo.members {
        let ticket = open_ticket(&sandbox, &panel, member, None).await;
        channels.push(ticket.channel_id.expect("a channel"));
    }
    let (a, b, gone) = (channels[0], channels[1], channels[2]);
    sim.delete_channel(gone).unwrap();
    let helpers = sim.create_role(demo.guild, "Helpers", 0).unwrap();
    let helper = sim.create_user("helper");
    sim.add_member(demo.guild, helper, &[helpers]).unwrap();
    assert!(!can_view(sim, a, helper) && can_view(sim, a, demo.staff));

    let before = sim.requests().len();
    if !hub.ids().contains(&HubId::StaffRoles) {
        hub.click(HubId::Setup).await;
    }
    hub.click(HubId::StaffRoles).await;
    hub.select(HubId::StaffRolesSelect, &[&helpers.to_string()])
        .await;
    hub.shows(&say(&Msg::SetupTitle)).await;
    drive::eventually(
        "the staff change in the open tickets",
        hub_support::WAIT,
        || {
            [a, b]
                .iter()
                .all(|c| can_view(sim, *c, helper) && !can_view(sim, *c, demo.staff))
                .then_some(())
        },
    )
    .await
    .unwrap();
    assert!(can_view(sim, a, demo.members[0]) && !can_view(sim, a, demo.members[1]));
    assert!(can_view(sim, b, demo.members[1]) && !can_view(sim, b, demo.members[0]));
    let calls_on = |channel: u64| {
        let prefix = format!("/channels/{channel}/permissions/");
        sim.requests()[before..]
            .iter()
            .filter(|r| r.path.starts_with(&prefix))
            .count()
    };
    assert_eq!(
        (calls_on(a), calls_on(b)),
        (2, 2),
        "one call per changed role"
    );
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn topics_are_added_listed_and_removed_with_their_categories() {
    topics_are_added_listed_and_removed_with_their_categories_on(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn topics_are_added_listed_and_removed_with_their_categories_on_postgres() {
    let db =
        common::FreshPostgres::create("topics_are_added_listed_and_removed_with_their_categories")
            .await;
    topics_are_added_listed_and_removed_with_their_categories_on(db.database()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_confirmation_is_answered_politely() {
    a_stale_confirmation_is_answered_politely_on(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn a_stale_confirmation_is_answered_politely_on_postgres() {
    let db = common::FreshPostgres::create("a_stale_confirmation_is_answered_politely").await;
    a_stale_confirmation_is_answered_politely_on(db.database()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_role_changes_reach_open_ticket_channels() {
    staff_role_changes_reach_open_ticket_channels_on(Database::TempSqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set TICKETBOOTH_TEST_POSTGRES"
)]
async fn staff_role_changes_reach_open_ticket_channels_on_postgres() {
    let db = common::FreshPostgres::create("staff_role_changes_reach_open_ticket_channels").await;
    staff_role_changes_reach_open_ticket_channels_on(db.database()).await;
}
