//! twilight-http 0.18 parses every answer the simulator gives on the routes a ticket bot uses.

mod common;

use serde_json::json;
use ticketbooth_sim::bits;
use twilight_http::Client;
use twilight_model::channel::ChannelType;
use twilight_model::channel::permission_overwrite::{PermissionOverwrite, PermissionOverwriteType};
use twilight_model::guild::Permissions;
use twilight_model::id::Id;

fn client(sim: &ticketbooth_sim::Sim) -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .proxy(format!("127.0.0.1:{}", sim.port()), true)
        .ratelimiter(None)
        .token(sim.bot_token())
        .build()
}

#[tokio::test]
async fn twilight_parses_the_simulators_answers() {
    let sim = common::sim().await;
    let demo = sim.demo_guild().unwrap();
    let http = client(&sim);
    let guild = Id::new(demo.guild);

    let me = http.current_user().await.unwrap().model().await.unwrap();
    assert_eq!(me.id.get(), sim.bot_user_id());
    let app = http
        .current_user_application()
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(app.id.get(), sim.application_id());
    let gateway = http
        .gateway()
        .authed()
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(gateway.url, sim.gateway_url());

    let g = http.guild(guild).await.unwrap().model().await.unwrap();
    assert_eq!(g.owner_id.get(), demo.owner);
    assert_eq!(
        http.roles(guild)
            .await
            .unwrap()
            .model()
            .await
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        http.guild_channels(guild)
            .await
            .unwrap()
            .model()
            .await
            .unwrap()
            .len(),
        1
    );
    let member = http
        .guild_member(guild, Id::new(demo.staff))
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(member.roles, vec![Id::new(demo.staff_role)]);

    let overwrites = [
        PermissionOverwrite {
            id: Id::new(demo.guild),
            kind: PermissionOverwriteType::Role,
            allow: Permissions::empty(),
            deny: Permissions::VIEW_CHANNEL,
        },
        PermissionOverwrite {
            id: Id::new(demo.members[0]),
            kind: PermissionOverwriteType::Member,
            allow: Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES,
            deny: Permissions::empty(),
        }, // Without this the bot would hide the channel from itself, as on Discord.
        PermissionOverwrite {
            id: Id::new(demo.bot_role),
            kind: PermissionOverwriteType::Role,
            allow: Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES,
            deny: Permissions::empty(),
        },
    ];
    let channel = http
        .create_guild_channel(guild, "ticket-0001")
        .kind(ChannelType::GuildText)
        .permission_overwrites(&overwrites)
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(
        channel.permission_overwrites.as_ref().map(Vec::len),
        Some(3)
    );
    assert!(sim.permissions(channel.id.get(), demo.members[0]) & bits::VIEW_CHANNEL != 0);

    let sent = http
        .create_message(channel.id)
        .content("hello")
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    let listed = http
        .channel_messages(channel.id)
        .limit(10)
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(listed[0].id, sent.id);
    let edited = http
        .update_message(channel.id, sent.id)
        .content(Some("edited"))
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(edited.content, "edited");
    http.delete_message(channel.id, sent.id).await.unwrap();

    let dm = http
        .create_private_channel(Id::new(demo.members[1]))
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(dm.kind, ChannelType::Private);

    let commands = http.interaction(Id::new(sim.application_id()));
    let command = twilight_model::application::command::Command {
        application_id: None,
        contexts: None,
        default_member_permissions: Some(Permissions::MANAGE_GUILD),
        description: "Open the ticket hub".into(),
        description_localizations: None,
        #[allow(deprecated)]
        dm_permission: None,
        guild_id: None,
        id: None,
        integration_types: None,
        kind: twilight_model::application::command::CommandType::ChatInput,
        name: "ticket".into(),
        name_localizations: Some([("vi".to_owned(), "phieu".to_owned())].into()),
        nsfw: None,
        options: Vec::new(),
        version: Id::new(1),
    };
    let stored = commands
        .set_global_commands(&[command])
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert!(stored[0].id.is_some());

    let deleted = http
        .delete_channel(channel.id)
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(deleted.id, channel.id);
    assert!(sim.unimplemented().is_empty(), "{:?}", sim.unimplemented());
    assert!(
        sim.requests().iter().all(|r| r.status < 400),
        "{:?}",
        json!(
            sim.requests()
                .iter()
                .map(|r| (r.path.clone(), r.status))
                .collect::<Vec<_>>()
        )
    );
}
