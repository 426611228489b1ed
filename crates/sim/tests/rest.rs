//! REST behaviour: authorization, unimplemented routes, channel creation with overwrites,
//! permission enforcement on the bot, message paging, attachments, DMs and mentions.

mod common;

use common::{call, sim};
use serde_json::{Value, json};
use ticketbooth_sim::{Overwrite, bits, channel_type};

#[tokio::test]
async fn routes_need_the_bot_token() {
    let sim = sim().await;
    let denied = call(&sim, "GET", "/users/@me", false, None).await;
    assert_eq!(denied.status, 401);
    assert_eq!(
        denied.body,
        json!({"message": "401: Unauthorized", "code": 0})
    );

    let me = call(&sim, "GET", "/users/@me", true, None).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["id"], sim.bot_user_id().to_string());
    assert_eq!(me.body["discriminator"], "0");
    for header in [
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "X-RateLimit-Reset-After",
        "X-RateLimit-Bucket",
    ] {
        assert!(me.header(header).is_some(), "missing {header}");
    }

    let log = sim.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].status, 401);
    assert_eq!(log[1].route.as_deref(), Some("/users/@me"));
    assert_eq!(
        log[1].response.as_ref().map(|r| r["id"].clone()),
        Some(me.body["id"].clone())
    );
}

#[tokio::test]
async fn unknown_routes_answer_404_and_are_recorded() {
    let sim = sim().await;
    let answer = call(&sim, "GET", "/guilds/1/audit-logs", true, None).await;
    assert_eq!(answer.status, 404);
    let missing = sim.unimplemented();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].path, "/guilds/1/audit-logs");
    assert_eq!(missing[0].method, "GET");
    // A known route with an unknown id is implemented: it answers Discord's error instead.
    let channel = call(&sim, "GET", "/channels/123", true, None).await;
    assert_eq!(channel.body["code"], 10003);
    assert_eq!(sim.unimplemented().len(), 1);
}

#[tokio::test]
async fn gateway_bot_points_at_the_simulator() {
    let sim = sim().await;
    let answer = call(&sim, "GET", "/gateway/bot", true, None).await;
    assert_eq!(answer.body["url"], sim.gateway_url());
    assert_eq!(answer.body["shards"], 1);
    assert_eq!(answer.body["session_start_limit"]["max_concurrency"], 1);
}

#[tokio::test]
async fn channel_created_with_inline_overwrites_limits_who_sees_it() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let [opener, other, _] = demo.members;
    let view_send = (bits::VIEW_CHANNEL | bits::SEND_MESSAGES).to_string();
    let body = json!({
        "name": "Ticket 0001",
        "type": 0,
        "permission_overwrites": [
            {"id": demo.guild.to_string(), "type": 0, "allow": "0", "deny": bits::VIEW_CHANNEL.to_string()},
            {"id": opener.to_string(), "type": 1, "allow": view_send, "deny": "0"},
            {"id": demo.staff_role.to_string(), "type": 0, "allow": view_send, "deny": "0"},
        ],
    });
    let created = call(
        &sim,
        "POST",
        &format!("/guilds/{}/channels", demo.guild),
        true,
        Some(&body),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["name"], "ticket-0001");
    assert_eq!(created.body["permission_overwrites"][1]["allow"], view_send);
    let id: u64 = created.body["id"].as_str().unwrap().parse().unwrap();

    assert_eq!(sim.overwrites(id).len(), 3);
    assert!(sim.permissions(id, opener) & bits::VIEW_CHANNEL != 0);
    assert!(sim.permissions(id, demo.staff) & bits::VIEW_CHANNEL != 0);
    assert_eq!(sim.permissions(id, other), 0);
    assert!(
        sim.permissions(id, demo.admin) & bits::VIEW_CHANNEL != 0,
        "administrators see everything"
    );
    assert!(
        sim.events()
            .iter()
            .any(|(t, d)| t == "CHANNEL_CREATE" && d["id"] == created.body["id"])
    );
}

#[tokio::test]
async fn bot_without_manage_channels_gets_50013() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    sim.set_role_permissions(
        demo.guild,
        demo.bot_role,
        bits::VIEW_CHANNEL | bits::SEND_MESSAGES,
    )
    .unwrap();
    let body = json!({"name": "nope", "type": 0});
    let refused = call(
        &sim,
        "POST",
        &format!("/guilds/{}/channels", demo.guild),
        true,
        Some(&body),
    )
    .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.body,
        json!({"message": "Missing Permissions", "code": 50013})
    );
    assert_eq!(sim.channels(demo.guild).len(), 1);
}

#[tokio::test]
async fn bot_cannot_grant_bits_it_lacks() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let body = json!({
        "name": "x", "type": 0,
        "permission_overwrites": [{"id": demo.members[0].to_string(), "type": 1, "allow": bits::ADMINISTRATOR.to_string(), "deny": "0"}],
    });
    let refused = call(
        &sim,
        "POST",
        &format!("/guilds/{}/channels", demo.guild),
        true,
        Some(&body),
    )
    .await;
    assert_eq!(refused.body["code"], 50013);
}

#[tokio::test]
async fn hidden_channel_gives_missing_access() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let hidden = sim
        .create_channel(
            demo.guild,
            "staff-only",
            channel_type::GUILD_TEXT,
            None,
            &[Overwrite {
                id: demo.bot_role,
                kind: 0,
                allow: 0,
                deny: bits::VIEW_CHANNEL,
            }],
        )
        .unwrap();
    let answer = call(
        &sim,
        "POST",
        &format!("/channels/{hidden}/messages"),
        true,
        Some(&json!({"content": "hi"})),
    )
    .await;
    assert_eq!(answer.status, 403);
    assert_eq!(answer.body["code"], 50001);
    let listed = call(
        &sim,
        "GET",
        &format!("/channels/{hidden}/messages"),
        true,
        None,
    )
    .await;
    assert_eq!(listed.body["code"], 50001);
}

#[tokio::test]
async fn category_holds_at_most_50_channels() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let category = sim
        .create_channel(
            demo.guild,
            "Tickets",
            channel_type::GUILD_CATEGORY,
            None,
            &[],
        )
        .unwrap();
    for i in 0..50 {
        sim.create_channel(
            demo.guild,
            &format!("t{i}"),
            channel_type::GUILD_TEXT,
            Some(category),
            &[],
        )
        .unwrap();
    }
    let body = json!({"name": "one-too-many", "type": 0, "parent_id": category.to_string()});
    let refused = call(
        &sim,
        "POST",
        &format!("/guilds/{}/channels", demo.guild),
        true,
        Some(&body),
    )
    .await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.body["code"], 50035);
    assert_eq!(
        refused.body["errors"]["parent_id"]["_errors"][0]["code"],
        "CHANNEL_PARENT_MAX_CHANNELS"
    );
}

async fn post(sim: &ticketbooth_sim::Sim, channel: u64, content: &str) -> Value {
    let answer = call(
        sim,
        "POST",
        &format!("/channels/{channel}/messages"),
        true,
        Some(&json!({"content": content})),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body
}

fn contents(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn message_history_pages_newest_first() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let mut ids = Vec::new();
    for i in 0..120 {
        ids.push(
            post(&sim, demo.support, &format!("m{i}")).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let first = call(
        &sim,
        "GET",
        &format!("/channels/{}/messages", demo.support),
        true,
        None,
    )
    .await
    .body;
    let first = contents(&first);
    assert_eq!(first.len(), 50);
    assert_eq!(first[0], "m119");
    assert_eq!(first[49], "m70");

    let before = call(
        &sim,
        "GET",
        &format!(
            "/channels/{}/messages?limit=100&before={}",
            demo.support, ids[70]
        ),
        true,
        None,
    )
    .await;
    let before = contents(&before.body);
    assert_eq!(before.len(), 70);
    assert_eq!((before[0].as_str(), before[69].as_str()), ("m69", "m0"));

    let after = call(
        &sim,
        "GET",
        &format!(
            "/channels/{}/messages?limit=5&after={}",
            demo.support, ids[10]
        ),
        true,
        None,
    )
    .await;
    assert_eq!(
        contents(&after.body),
        vec!["m15", "m14", "m13", "m12", "m11"]
    );

    let too_many = call(
        &sim,
        "GET",
        &format!("/channels/{}/messages?limit=101", demo.support),
        true,
        None,
    )
    .await;
    assert_eq!(too_many.status, 400);
    assert_eq!(too_many.body["code"], 50035);
}

#[tokio::test]
async fn mentions_follow_allowed_mentions() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let member = demo.members[0];
    let text = format!("<@{member}> <@&{}> @everyone", demo.staff_role);
    let quiet = json!({"content": text, "allowed_mentions": {"parse": []}});
    let answer = call(
        &sim,
        "POST",
        &format!("/channels/{}/messages", demo.support),
        true,
        Some(&quiet),
    )
    .await;
    let stored = sim
        .message(answer.body["id"].as_str().unwrap().parse().unwrap())
        .unwrap();
    assert!(
        stored.pinged_users.is_empty() && stored.pinged_roles.is_empty() && !stored.pinged_everyone
    );

    let loud = json!({"content": text, "allowed_mentions": {"users": [member.to_string()], "roles": [demo.staff_role.to_string()]}});
    let answer = call(
        &sim,
        "POST",
        &format!("/channels/{}/messages", demo.support),
        true,
        Some(&loud),
    )
    .await;
    let stored = sim
        .message(answer.body["id"].as_str().unwrap().parse().unwrap())
        .unwrap();
    assert_eq!(stored.pinged_users, vec![member]);
    assert_eq!(stored.pinged_roles, vec![demo.staff_role]);
    assert!(!stored.pinged_everyone);
    assert_eq!(answer.body["mentions"][0]["id"], member.to_string());
}

#[tokio::test]
async fn dm_to_a_user_who_refuses_gives_50007() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let user = demo.members[1];
    sim.set_accepts_dms(user, false);
    let dm = call(
        &sim,
        "POST",
        "/users/@me/channels",
        true,
        Some(&json!({"recipient_id": user.to_string()})),
    )
    .await;
    assert_eq!(dm.status, 200);
    assert_eq!(dm.body["type"], 1);
    let channel = dm.body["id"].as_str().unwrap();
    let refused = call(
        &sim,
        "POST",
        &format!("/channels/{channel}/messages"),
        true,
        Some(&json!({"content": "hi"})),
    )
    .await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.body["code"], 50007);

    sim.set_accepts_dms(user, true);
    let sent = call(
        &sim,
        "POST",
        &format!("/channels/{channel}/messages"),
        true,
        Some(&json!({"content": "hi"})),
    )
    .await;
    assert_eq!(sent.status, 200);
    assert_eq!(sim.dms(user).len(), 1);
}

#[tokio::test]
async fn twilight_http_uploads_files_as_multipart() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let client = twilight_http::Client::builder()
        .proxy(format!("127.0.0.1:{}", sim.port()), true)
        .ratelimiter(None)
        .token(sim.bot_token())
        .build();
    let file = twilight_model::http::attachment::Attachment::from_bytes(
        "transcript.html".into(),
        b"<p>hi</p>".to_vec(),
        0,
    );
    let channel = twilight_model::id::Id::new(demo.support);
    let sent = client
        .create_message(channel)
        .content("see file")
        .attachments(&[file])
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(sent.attachments.len(), 1);
    assert_eq!(sent.attachments[0].filename, "transcript.html");
    let stored = sim.message(sent.id.get()).unwrap();
    assert_eq!(stored.attachments[0].size, 9);
    let log = sim.requests();
    assert_eq!(
        log.last().unwrap().files,
        vec!["transcript.html".to_owned()]
    );
    assert_eq!(
        log.last().unwrap().body.as_ref().unwrap()["content"],
        "see file"
    );
}

#[tokio::test]
async fn overwrites_are_put_and_deleted_and_channels_move_and_sync() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let hidden = json!([{"id": demo.guild.to_string(), "type": 0, "allow": "0", "deny": bits::VIEW_CHANNEL.to_string()}]);
    let category = call(
        &sim,
        "POST",
        &format!("/guilds/{}/channels", demo.guild),
        true,
        Some(&json!({"name": "Tickets", "type": 4, "permission_overwrites": hidden})),
    )
    .await;
    assert_eq!(category.status, 201);
    let category_id = category.body["id"].as_str().unwrap().to_owned();

    let member = demo.members[0];
    let put = json!({"type": 1, "allow": bits::VIEW_CHANNEL.to_string(), "deny": "0"});
    let path = format!("/channels/{}/permissions/{member}", demo.support);
    assert_eq!(call(&sim, "PUT", &path, true, Some(&put)).await.status, 204);
    assert!(
        sim.overwrites(demo.support)
            .iter()
            .any(|o| o.id == member && o.kind == 1)
    );
    assert_eq!(call(&sim, "DELETE", &path, true, None).await.status, 204);
    assert!(sim.overwrites(demo.support).is_empty());

    let moved =
        json!({"parent_id": category_id, "lock_permissions": true, "name": "Closed Ticket"});
    let patched = call(
        &sim,
        "PATCH",
        &format!("/channels/{}", demo.support),
        true,
        Some(&moved),
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(patched.body["parent_id"], category_id);
    assert_eq!(patched.body["name"], "closed-ticket");
    assert_eq!(
        sim.permissions(demo.support, member),
        0,
        "synced with the hidden category"
    );

    let deleted = call(
        &sim,
        "DELETE",
        &format!("/channels/{}", demo.support),
        true,
        None,
    )
    .await;
    assert_eq!(
        deleted.status, 403,
        "the bot lost sight of the channel when it synced: {:?}",
        deleted.body
    );
    assert_eq!(deleted.body["code"], 50001);
    let bot_sees = Overwrite {
        id: demo.bot_role,
        kind: 0,
        allow: bits::VIEW_CHANNEL,
        deny: 0,
    };
    sim.set_overwrites(demo.support, &[bot_sees]).unwrap();
    let deleted = call(
        &sim,
        "DELETE",
        &format!("/channels/{}", demo.support),
        true,
        None,
    )
    .await;
    let support_id = demo.support.to_string();
    assert_eq!(deleted.body["id"], support_id, "{deleted:?}");
    assert!(sim.channel(demo.support).is_none());
    assert!(
        sim.events()
            .iter()
            .any(|(t, d)| t == "CHANNEL_DELETE" && d["id"].as_str() == Some(support_id.as_str()))
    );
}

#[tokio::test]
async fn private_threads_and_their_members() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let created = call(
        &sim,
        "POST",
        &format!("/channels/{}/threads", demo.support),
        true,
        Some(&json!({"name": "ticket-7", "type": 12})),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["type"], 12);
    let thread: u64 = created.body["id"].as_str().unwrap().parse().unwrap();
    let member = demo.members[0];
    assert_eq!(
        sim.permissions(thread, member),
        0,
        "a private thread is hidden from non-members"
    );
    let path = format!("/channels/{thread}/thread-members/{member}");
    assert_eq!(call(&sim, "PUT", &path, true, None).await.status, 204);
    assert!(sim.permissions(thread, member) & bits::VIEW_CHANNEL != 0);
    let listed = call(
        &sim,
        "GET",
        &format!("/channels/{thread}/thread-members"),
        true,
        None,
    )
    .await;
    assert_eq!(listed.body.as_array().unwrap().len(), 2);
    assert_eq!(call(&sim, "DELETE", &path, true, None).await.status, 204);
    assert_eq!(sim.permissions(thread, member), 0);
}

#[tokio::test]
async fn bulk_delete_needs_between_2_and_100_messages() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let a = post(&sim, demo.support, "a").await["id"].clone();
    let b = post(&sim, demo.support, "b").await["id"].clone();
    let path = format!("/channels/{}/messages/bulk-delete", demo.support);
    let one = call(&sim, "POST", &path, true, Some(&json!({"messages": [a]}))).await;
    assert_eq!(one.status, 400);
    let two = call(
        &sim,
        "POST",
        &path,
        true,
        Some(&json!({"messages": [a, b]})),
    )
    .await;
    assert_eq!(two.status, 204);
    assert!(sim.messages(demo.support).is_empty());
}

/// `enforce_nonce`: a second create with the same nonce by the same author returns the first
/// message and creates nothing; without it, or with another nonce, messages are created as usual.
/// The nonce is echoed in the answer and in MESSAGE_CREATE, and longer than 25 characters is
/// refused.
#[tokio::test]
async fn enforce_nonce_returns_the_earlier_message() {
    let sim = sim().await;
    let demo = sim.demo_guild().unwrap();
    let path = format!("/channels/{}/messages", demo.support);
    let create = |nonce: Value, enforce: bool| json!({"content": "summary", "nonce": nonce, "enforce_nonce": enforce});

    let first = call(
        &sim,
        "POST",
        &path,
        true,
        Some(&create(json!("tb42s"), true)),
    )
    .await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    assert_eq!(first.body["nonce"], "tb42s");
    let again = call(
        &sim,
        "POST",
        &path,
        true,
        Some(&create(json!("tb42s"), true)),
    )
    .await;
    assert_eq!(again.status, 200, "{:?}", again.body);
    assert_eq!(
        again.body["id"], first.body["id"],
        "the earlier message is returned"
    );
    assert_eq!(sim.messages(demo.support).len(), 1);
    let creates = sim
        .events()
        .into_iter()
        .filter(|(name, data)| name == "MESSAGE_CREATE" && data["nonce"] == "tb42s")
        .count();
    assert_eq!(creates, 1, "no second MESSAGE_CREATE");

    // Without enforce_nonce the nonce is only echoed; another nonce is another message.
    let unenforced = call(
        &sim,
        "POST",
        &path,
        true,
        Some(&create(json!("tb42s"), false)),
    )
    .await;
    assert_ne!(unenforced.body["id"], first.body["id"]);
    let other = call(&sim, "POST", &path, true, Some(&create(json!(7), true))).await;
    assert_eq!(other.body["nonce"], 7);
    assert_ne!(other.body["id"], first.body["id"]);
    assert_eq!(sim.messages(demo.support).len(), 3);
    // The integer 7 and the string "7" are the same nonce.
    let same = call(&sim, "POST", &path, true, Some(&create(json!("7"), true))).await;
    assert_eq!(same.body["id"], other.body["id"]);

    let too_long = call(
        &sim,
        "POST",
        &path,
        true,
        Some(&create(json!("x".repeat(26)), true)),
    )
    .await;
    assert_eq!(too_long.status, 400);
    assert_eq!(too_long.body["code"], 50035);
    assert!(
        too_long.body["errors"]["nonce"].is_object(),
        "{:?}",
        too_long.body
    );
    assert_eq!(sim.messages(demo.support).len(), 3);
}
