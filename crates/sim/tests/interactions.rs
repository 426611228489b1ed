//! Interaction rules: the acknowledgement window, one initial response, modals, component
//! updates, follow-ups and ephemeral visibility.

mod common;

use std::time::Duration;

use common::call;
use serde_json::{Value, json};
use ticketbooth_sim::{DemoGuild, Interaction, Sim, SimConfig, SimError, bits};

async fn world(deadline: Duration) -> (Sim, DemoGuild) {
    let sim = Sim::start(SimConfig {
        ack_deadline: deadline,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let demo = sim.demo_guild().unwrap();
    let commands = json!([{"name": "ticket", "description": "Open the ticket hub", "type": 1}]);
    let path = format!("/applications/{}/commands", sim.application_id());
    let put = call(&sim, "PUT", &path, true, Some(&commands)).await;
    assert_eq!(put.status, 200, "{}", put.body);
    (sim, demo)
}

async fn respond(sim: &Sim, interaction: &Interaction, body: Value) -> common::Raw {
    let path = format!(
        "/interactions/{}/{}/callback",
        interaction.id,
        interaction.token()
    );
    call(sim, "POST", &path, false, Some(&body)).await
}

#[tokio::test]
async fn command_interaction_carries_member_permissions_and_locale() {
    let (sim, demo) = world(Duration::from_secs(3)).await;
    sim.set_user_locale(demo.members[0], "vi");
    let interaction = sim
        .as_user(demo.members[0])
        .slash_command(demo.guild, demo.support, "ticket", json!([]))
        .unwrap();
    let (_, payload) = sim
        .events()
        .into_iter()
        .rev()
        .find(|(t, _)| t == "INTERACTION_CREATE")
        .unwrap();
    assert_eq!(payload["id"], interaction.id.to_string());
    assert_eq!(payload["type"], 2);
    assert_eq!(payload["data"]["name"], "ticket");
    assert_eq!(payload["locale"], "vi");
    assert_eq!(payload["guild_locale"], "en-US");
    assert_eq!(payload["channel_id"], demo.support.to_string());
    assert_eq!(payload["member"]["user"]["id"], demo.members[0].to_string());
    let perms: u64 = payload["member"]["permissions"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(perms, sim.permissions(demo.support, demo.members[0]));
    assert!(payload["app_permissions"].as_str().is_some());
}

#[tokio::test]
async fn one_initial_response_only() {
    let (sim, demo) = world(Duration::from_secs(3)).await;
    let interaction = sim
        .as_user(demo.admin)
        .slash_command(demo.guild, demo.support, "ticket", json!([]))
        .unwrap();
    let first = respond(
        &sim,
        &interaction,
        json!({"type": 4, "data": {"content": "hub"}}),
    )
    .await;
    assert_eq!(first.status, 204);
    let ack = interaction.wait_ack(Duration::from_secs(1)).await.unwrap();
    assert_eq!(ack.kind, 4);
    assert!(ack.latency < Duration::from_secs(3));
    let second = respond(
        &sim,
        &interaction,
        json!({"type": 4, "data": {"content": "again"}}),
    )
    .await;
    assert_eq!(second.status, 400);
    assert_eq!(second.body["code"], 40060);
    assert_eq!(interaction.original().unwrap().content, "hub");
}

#[tokio::test]
async fn late_response_gets_10062_and_the_interaction_fails() {
    let (sim, demo) = world(Duration::from_millis(150)).await;
    let interaction = sim
        .as_user(demo.admin)
        .slash_command(demo.guild, demo.support, "ticket", json!([]))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(250)).await;
    let late = respond(&sim, &interaction, json!({"type": 5})).await;
    assert_eq!(late.status, 404);
    assert_eq!(late.body["code"], 10062);
    let waited = interaction.wait_ack(Duration::from_millis(50)).await;
    assert!(
        matches!(waited, Err(SimError::InteractionFailed(_))),
        "{waited:?}"
    );
}

#[tokio::test]
async fn modal_only_as_initial_response() {
    let (sim, demo) = world(Duration::from_secs(3)).await;
    let modal = json!({"type": 9, "data": {"custom_id": "limit", "title": "Limit", "components": [
        {"type": 1, "components": [{"type": 4, "custom_id": "max", "label": "Max", "style": 1}]}
    ]}});
    let deferred = sim
        .as_user(demo.admin)
        .slash_command(demo.guild, demo.support, "ticket", json!([]))
        .unwrap();
    assert_eq!(
        respond(&sim, &deferred, json!({"type": 5})).await.status,
        204
    );
    let refused = respond(&sim, &deferred, modal.clone()).await;
    assert_eq!(refused.body["code"], 40060);

    let opened = sim
        .as_user(demo.admin)
        .slash_command(demo.guild, demo.support, "ticket", json!([]))
        .unwrap();
    assert_eq!(respond(&sim, &opened, modal.clone()).await.status, 204);
    assert_eq!(opened.modal().unwrap()["custom_id"], "limit");
    let submitted = sim
        .as_user(demo.admin)
        .submit_modal(&opened, &[("max", "5")])
        .unwrap();
    let (_, payload) = sim
        .events()
        .into_iter()
        .rev()
        .find(|(t, _)| t == "INTERACTION_CREATE")
        .unwrap();
    assert_eq!(payload["type"], 5);
    assert_eq!(
        payload["data"]["components"][0]["components"][0]["value"],
        "5"
    );
    let modal_again = respond(&sim, &submitted, modal).await;
    assert_eq!(modal_again.status, 400);
    assert_eq!(modal_again.body["code"], 50035);
}

#[tokio::test]
async fn ephemeral_replies_are_seen_by_their_user_only() {
    let (sim, demo) = world(Duration::from_secs(3)).await;
    let [asker, bystander, _] = demo.members;
    let interaction = sim
        .as_user(asker)
        .slash_command(demo.guild, demo.support, "ticket", json!([]))
        .unwrap();
    respond(
        &sim,
        &interaction,
        json!({"type": 4, "data": {"content": "only you", "flags": 64}}),
    )
    .await;
    assert!(
        sim.visible_messages(asker, demo.support)
            .iter()
            .any(|m| m.content == "only you")
    );
    assert!(
        !sim.visible_messages(bystander, demo.support)
            .iter()
            .any(|m| m.content == "only you")
    );
    assert!(
        sim.messages(demo.support).is_empty(),
        "ephemeral messages are not in the history"
    );
    assert_eq!(sim.ephemeral_for(asker).len(), 1);
    let listed = call(
        &sim,
        "GET",
        &format!("/channels/{}/messages", demo.support),
        true,
        None,
    )
    .await;
    assert_eq!(listed.body, json!([]));
}

#[tokio::test]
async fn buttons_update_the_clicked_message() {
    let (sim, demo) = world(Duration::from_secs(3)).await;
    let panel = json!({"content": "Need help?", "components": [{"type": 1, "components": [
        {"type": 2, "style": 1, "label": "Open", "custom_id": "open"}
    ]}]});
    let posted = call(
        &sim,
        "POST",
        &format!("/channels/{}/messages", demo.support),
        true,
        Some(&panel),
    )
    .await;
    let message: u64 = posted.body["id"].as_str().unwrap().parse().unwrap();
    let user = sim.as_user(demo.members[0]);
    assert!(matches!(
        user.click(demo.support, message, "missing"),
        Err(SimError::Forbidden { .. })
    ));
    let click = user.click(demo.support, message, "open").unwrap();
    let update = json!({"type": 7, "data": {"content": "Opened", "components": []}});
    assert_eq!(respond(&sim, &click, update).await.status, 204);
    let now = sim.message(message).unwrap();
    assert_eq!(now.content, "Opened");
    assert!(now.edited_timestamp.is_some());

    let command = user
        .slash_command(demo.guild, demo.support, "ticket", json!([]))
        .unwrap();
    let refused = respond(&sim, &command, json!({"type": 7, "data": {"content": "x"}})).await;
    assert_eq!(refused.status, 400);
}

#[tokio::test]
async fn follow_up_after_defer_edits_the_thinking_message() {
    let (sim, demo) = world(Duration::from_secs(3)).await;
    let interaction = sim
        .as_user(demo.admin)
        .slash_command(demo.guild, demo.support, "ticket", json!([]))
        .unwrap();
    respond(
        &sim,
        &interaction,
        json!({"type": 5, "data": {"flags": 64}}),
    )
    .await;
    assert_eq!(interaction.original().unwrap().flags & 128, 128);
    let path = format!("/webhooks/{}/{}", sim.application_id(), interaction.token());
    let follow = call(
        &sim,
        "POST",
        &path,
        false,
        Some(&json!({"content": "done"})),
    )
    .await;
    assert_eq!(follow.status, 200, "{}", follow.body);
    let original = interaction.original().unwrap();
    assert_eq!(original.content, "done");
    assert_eq!(original.flags & 128, 0);
    assert_eq!(original.ephemeral_to, Some(demo.admin));
    let edit = call(
        &sim,
        "PATCH",
        &format!("{path}/messages/@original"),
        false,
        Some(&json!({"content": "edited"})),
    )
    .await;
    assert_eq!(edit.body["content"], "edited");
    let second = call(
        &sim,
        "POST",
        &path,
        false,
        Some(&json!({"content": "more"})),
    )
    .await;
    assert_ne!(second.body["id"], edit.body["id"]);
    assert_eq!(interaction.responses().len(), 2);
}

#[tokio::test]
async fn users_cannot_act_in_channels_they_cannot_see() {
    let (sim, demo) = world(Duration::from_secs(3)).await;
    sim.set_everyone_permissions(demo.guild, bits::DEFAULT_EVERYONE & !bits::VIEW_CHANNEL)
        .unwrap();
    let refused =
        sim.as_user(demo.members[0])
            .slash_command(demo.guild, demo.support, "ticket", json!([]));
    assert!(matches!(refused, Err(SimError::Forbidden { .. })));
    assert!(
        sim.as_user(demo.admin)
            .slash_command(demo.guild, demo.support, "ticket", json!([]))
            .is_ok()
    );
}

#[tokio::test]
async fn selects_carry_resolved_users() {
    let (sim, demo) = world(Duration::from_secs(3)).await;
    let menu = json!({"components": [{"type": 1, "components": [{"type": 5, "custom_id": "add", "max_values": 2}]}]});
    let posted = call(
        &sim,
        "POST",
        &format!("/channels/{}/messages", demo.support),
        true,
        Some(&menu),
    )
    .await;
    let message: u64 = posted.body["id"].as_str().unwrap().parse().unwrap();
    let picked = demo.members[2].to_string();
    sim.as_user(demo.staff)
        .select(demo.support, message, "add", &[&picked])
        .unwrap();
    let (_, payload) = sim
        .events()
        .into_iter()
        .rev()
        .find(|(t, _)| t == "INTERACTION_CREATE")
        .unwrap();
    assert_eq!(payload["data"]["component_type"], 5);
    assert_eq!(payload["data"]["values"][0], picked);
    assert_eq!(payload["data"]["resolved"]["users"][&picked]["id"], picked);
    assert!(payload["data"]["resolved"]["members"][&picked]["permissions"].is_string());
    assert_eq!(payload["message"]["id"], message.to_string());
}

#[tokio::test]
async fn interaction_tokens_expire() {
    // Long enough that the "in time" edit below is in time on a busy machine too.
    let config = SimConfig {
        token_ttl: Duration::from_millis(1000),
        ..SimConfig::default()
    };
    let sim = Sim::start(config).await.unwrap();
    let demo = sim.demo_guild().unwrap();
    let commands = json!([{"name": "ticket", "description": "Open the ticket hub"}]);
    call(
        &sim,
        "PUT",
        &format!("/applications/{}/commands", sim.application_id()),
        true,
        Some(&commands),
    )
    .await;
    let interaction = sim
        .as_user(demo.admin)
        .slash_command(demo.guild, demo.support, "ticket", json!([]))
        .unwrap();
    respond(&sim, &interaction, json!({"type": 5})).await;
    let path = format!(
        "/webhooks/{}/{}/messages/@original",
        sim.application_id(),
        interaction.token()
    );
    let early = call(
        &sim,
        "PATCH",
        &path,
        false,
        Some(&json!({"content": "in time"})),
    )
    .await;
    assert_eq!(early.status, 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let late = call(
        &sim,
        "PATCH",
        &path,
        false,
        Some(&json!({"content": "too late"})),
    )
    .await;
    assert_eq!(late.status, 401);
    assert_eq!(late.body["code"], 50027);
    assert_eq!(interaction.original().unwrap().content, "in time");
}

#[tokio::test]
async fn twilight_responds_with_a_file() {
    use twilight_model::http::attachment::Attachment;
    use twilight_model::http::interaction::{
        InteractionResponse, InteractionResponseData, InteractionResponseType,
    };
    use twilight_model::id::Id;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (sim, demo) = world(Duration::from_secs(3)).await;
    let http = twilight_http::Client::builder()
        .proxy(format!("127.0.0.1:{}", sim.port()), true)
        .ratelimiter(None)
        .token(sim.bot_token())
        .build();
    let interaction = sim
        .as_user(demo.admin)
        .slash_command(demo.guild, demo.support, "ticket", json!([]))
        .unwrap();
    let response = InteractionResponse {
        kind: InteractionResponseType::ChannelMessageWithSource,
        data: Some(InteractionResponseData {
            content: Some("transcript".into()),
            attachments: Some(vec![Attachment::from_bytes(
                "t.txt".into(),
                b"abc".to_vec(),
                0,
            )]),
            ..Default::default()
        }),
    };
    http.interaction(Id::new(sim.application_id()))
        .create_response(Id::new(interaction.id), &interaction.token(), &response)
        .await
        .unwrap();
    let original = interaction.original().unwrap();
    assert_eq!(original.content, "transcript");
    assert_eq!(original.attachments[0].filename, "t.txt");
    assert_eq!(original.attachments[0].size, 3);
}
