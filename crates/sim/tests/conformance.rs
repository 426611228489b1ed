//! The faithfulness check: it must catch deliberately wrong bodies, pass the bodies the
//! simulator and a well-behaved bot produce, and pass the simulator's own request log.
//!
//! Needs Node.js and npm; `npm ci` runs in `crates/sim/conformance` on first use.

use std::time::Duration;

use serde_json::{Value, json};
use ticketbooth_sim::conformance::{Exchange, Violation, check_exchanges};
use ticketbooth_sim::ratelimit::{Limited, Scope};
use ticketbooth_sim::validate::{self, ApiError};

fn exchange(
    method: &str,
    route: &str,
    status: u16,
    request: Option<Value>,
    response: Option<Value>,
) -> Exchange {
    Exchange {
        method: method.into(),
        route: route.into(),
        status,
        request_body: request,
        response_body: response,
    }
}

fn message_response() -> Value {
    json!({
        "id": "1100000000000000001",
        "channel_id": "1100000000000000002",
        "type": 0,
        "content": "Welcome",
        "author": {"id": "1100000000000000003", "username": "Ticketbooth", "discriminator": "0",
                   "global_name": null, "avatar": null, "bot": true, "public_flags": 0, "flags": 0,
                   "primary_guild": null},
        "attachments": [],
        "embeds": [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": false,
        "pinned": false,
        "tts": false,
        "timestamp": "2026-11-22T04:50:00.000000+00:00",
        "edited_timestamp": null,
        "flags": 0,
        "components": []
    })
}

fn check(exchanges: &[Exchange]) -> Vec<Violation> {
    check_exchanges(exchanges).expect("the conformance check must run")
}

#[test]
fn wrong_bodies_are_caught() {
    let violations = check(&[
        exchange(
            "POST",
            "/channels/{channel.id}/messages",
            200,
            Some(json!({"content": 5})),
            Some(message_response()),
        ),
        exchange(
            "POST",
            "/channels/{channel_id}/messages",
            200,
            Some(json!({"embeds": [{"title": {"text": "not a string"}}]})),
            Some(message_response()),
        ),
        exchange(
            "POST",
            "/guilds/{guild_id}/channels",
            201,
            Some(
                json!({"name": "x", "permission_overwrites": [{"id": "1", "type": 0, "allow": "view"}]}),
            ),
            None,
        ),
        exchange(
            "GET",
            "/channels/{channel_id}/nonsense",
            200,
            None,
            Some(json!({})),
        ),
        exchange("GET", "/users/@me", 200, None, Some(json!({"id": 5}))),
        exchange(
            "GET",
            "/channels/{channel_id}/messages/{message_id}",
            200,
            None,
            Some({
                let mut message = message_response();
                message["timestamp"] = json!("yesterday");
                message
            }),
        ),
        // String codes are allowed in 50035 leaves only, not as an error's own code.
        exchange(
            "DELETE",
            "/channels/{channel_id}",
            403,
            None,
            Some(json!({"message": "Missing Permissions", "code": "50013"})),
        ),
    ]);
    let found = |index: usize, path: &str| {
        violations
            .iter()
            .any(|v| v.index == index && v.path == path)
    };
    assert!(
        found(0, "content"),
        "content: 5 must be reported: {violations:#?}"
    );
    assert!(
        found(1, "embeds.0.title"),
        "an object title must be reported: {violations:#?}"
    );
    assert!(
        found(2, "permission_overwrites.0.allow"),
        "a non-numeric permission string is not the documented disagreement: {violations:#?}"
    );
    assert!(
        violations
            .iter()
            .any(|v| v.index == 3 && v.code == "unknown_route")
    );
    assert!(
        found(4, "id"),
        "a numeric user id must be reported: {violations:#?}"
    );
    assert!(
        found(5, "timestamp"),
        "a timestamp that is no date-time: {violations:#?}"
    );
    assert!(found(6, "code"), "a string error code: {violations:#?}");
    assert!(
        found(2, ""),
        "a 201 without a channel body must be reported: {violations:#?}"
    );
}

#[test]
fn the_simulators_error_bodies_conform() {
    let invalid = validate::message(&json!({"content": "x".repeat(2001)})).unwrap_err();
    let errors = [
        invalid,
        ApiError::missing_permissions(),
        ApiError::missing_access(),
        ApiError::unknown_channel(),
        ApiError::unknown_message(),
        ApiError::already_acknowledged(),
        ApiError::empty_message(),
        ApiError::category_full(),
        ApiError::max_guild_channels(),
    ];
    let mut exchanges: Vec<Exchange> = errors
        .iter()
        .map(|error| {
            exchange(
                "POST",
                "/channels/{channel_id}/messages",
                error.status().as_u16(),
                Some(json!({"content": "hi"})),
                Some(error.body()),
            )
        })
        .collect();
    for scope in [Scope::User, Scope::Global] {
        let limited = Limited {
            scope,
            retry_after: Duration::from_millis(2500),
            bucket: None,
        };
        exchanges.push(exchange(
            "PATCH",
            "/channels/{channel_id}",
            429,
            Some(json!({"name": "ticket-0002"})),
            Some(limited.body()),
        ));
    }
    let violations = check(&exchanges);
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn well_formed_bot_requests_conform_including_documented_disagreements() {
    let panel = json!({
        "embeds": [{"title": "Support", "description": "Open a ticket", "color": 5793266,
                    "footer": {"text": "Ticketbooth"}, "fields": [{"name": "Topic", "value": "General", "inline": true}]}],
        "components": [{"type": 1, "components": [
            {"type": 2, "style": 1, "label": "Open a ticket", "custom_id": "tb1:open:1", "emoji": {"name": "🎫"}},
            {"type": 2, "style": 5, "label": "Docs", "url": "https://example.com/help"}
        ]}, {"type": 1, "components": [
            {"type": 3, "custom_id": "tb1:topic", "placeholder": "Pick a topic", "min_values": 1, "max_values": 1,
             "options": [{"label": "General", "value": "general", "description": "Anything else"}]}
        ]}],
        "allowed_mentions": {"parse": [], "users": ["1100000000000000003"]}
    });
    let exchanges = vec![
        exchange(
            "POST",
            "/channels/{channel_id}/messages",
            200,
            Some(panel),
            Some(message_response()),
        ),
        // Documented disagreement 3: a multipart attachment named by its files[n] index.
        exchange(
            "POST",
            "/channels/{channel_id}/messages",
            200,
            Some(
                json!({"content": "Transcript", "attachments": [{"id": 0, "filename": "transcript.html"}]}),
            ),
            Some(message_response()),
        ),
        // Documented disagreement 1: permission bit sets as strings.
        exchange(
            "POST",
            "/guilds/{guild_id}/channels",
            400,
            Some(
                json!({"name": "ticket-0001", "type": 0, "parent_id": "1100000000000000009",
                        "permission_overwrites": [
                            {"id": "1100000000000000005", "type": 0, "allow": "0", "deny": "1024"},
                            {"id": "1100000000000000003", "type": 1, "allow": "68608", "deny": "0"}]}),
            ),
            Some(ApiError::category_full().body()),
        ),
        exchange(
            "PUT",
            "/channels/{channel_id}/permissions/{overwrite_id}",
            204,
            Some(json!({"type": 1, "allow": "3072", "deny": "0"})),
            None,
        ),
        exchange(
            "PUT",
            "/applications/{application.id}/commands",
            400,
            Some(
                json!([{"name": "ticket", "description": "Open the ticket hub", "type": 1,
                         "default_member_permissions": "32",
                         "name_localizations": {"vi": "phiếu"},
                         "options": [{"type": 3, "name": "reason", "description": "Why", "required": false, "max_length": 200}]}]),
            ),
            Some(ApiError::new(http::StatusCode::BAD_REQUEST, 50035, "Invalid Form Body").body()),
        ),
        exchange(
            "POST",
            "/interactions/{interaction.id}/{interaction.token}/callback",
            204,
            Some(json!({"type": 4, "data": {"content": "Your ticket is <#1>", "flags": 64}})),
            None,
        ),
        exchange(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            204,
            Some(
                json!({"type": 9, "data": {"title": "Close ticket", "custom_id": "tb1:close",
                "components": [{"type": 1, "components": [{"type": 4, "custom_id": "reason", "style": 2,
                                "label": "Reason", "max_length": 1000, "required": false}]}]}}),
            ),
            None,
        ),
        exchange(
            "PATCH",
            "/webhooks/{application.id}/{interaction.token}/messages/@original",
            200,
            Some(json!({"content": "Done", "components": []})),
            Some(message_response()),
        ),
        exchange(
            "DELETE",
            "/channels/{channel_id}",
            503,
            None,
            Some(json!({"message": "503: Service Unavailable", "code": 0})),
        ),
    ];
    let violations = check(&exchanges);
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn the_simulators_own_validators_agree_with_the_spec_on_what_they_accept() {
    // A body the simulator accepts must not be one the spec refuses.
    let bodies = [
        json!({"content": "x".repeat(2000)}),
        json!({"embeds": [{"title": "t".repeat(256), "description": "d".repeat(4096)}]}),
        json!({"components": [{"type": 1, "components": (0..5)
            .map(|i| json!({"type": 2, "style": 2, "label": "b", "custom_id": format!("c{i}")}))
            .collect::<Vec<_>>()}]}),
    ];
    let exchanges: Vec<Exchange> = bodies
        .iter()
        .map(|body| {
            assert!(validate::message(body).is_ok());
            exchange(
                "POST",
                "/channels/{channel_id}/messages",
                200,
                Some(body.clone()),
                Some(message_response()),
            )
        })
        .collect();
    let violations = check(&exchanges);
    assert!(violations.is_empty(), "{violations:#?}");
}

/// A short ticket-like session of twilight, as the bot uses it, against the simulator; returns
/// the violations found in the simulator's request log.
async fn twilight_session_violations() -> Vec<Violation> {
    use twilight_model::channel::ChannelType;
    use twilight_model::channel::message::{Component, Embed};
    use twilight_model::channel::permission_overwrite::{
        PermissionOverwrite, PermissionOverwriteType,
    };
    use twilight_model::guild::Permissions;
    use twilight_model::http::attachment::Attachment;
    use twilight_model::id::Id;

    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = ticketbooth_sim::Sim::start(ticketbooth_sim::SimConfig::default())
        .await
        .expect("simulator starts");
    let demo = sim.demo_guild().expect("demo guild");
    let client = twilight_http::Client::builder()
        .proxy(format!("127.0.0.1:{}", sim.port()), true)
        .ratelimiter(None)
        .token(sim.bot_token())
        .build();

    client.current_user().await.expect("current user");
    client.gateway().authed().await.expect("gateway bot");
    let overwrites = [
        PermissionOverwrite {
            allow: Permissions::empty(),
            deny: Permissions::VIEW_CHANNEL,
            id: Id::new(demo.guild),
            kind: PermissionOverwriteType::Role,
        },
        PermissionOverwrite {
            allow: Permissions::VIEW_CHANNEL
                | Permissions::SEND_MESSAGES
                | Permissions::READ_MESSAGE_HISTORY,
            deny: Permissions::empty(),
            id: Id::new(demo.members[0]),
            kind: PermissionOverwriteType::Member,
        },
        PermissionOverwrite {
            allow: Permissions::VIEW_CHANNEL
                | Permissions::SEND_MESSAGES
                | Permissions::READ_MESSAGE_HISTORY
                | Permissions::EMBED_LINKS,
            deny: Permissions::empty(),
            id: Id::new(sim.bot_user_id()),
            kind: PermissionOverwriteType::Member,
        },
    ];
    let channel = client
        .create_guild_channel(Id::new(demo.guild), "ticket-0001")
        .kind(ChannelType::GuildText)
        .permission_overwrites(&overwrites)
        .await
        .expect("create channel")
        .model()
        .await
        .expect("channel body");
    let embed: Embed = serde_json::from_value(json!({
        "type": "rich", "title": "Ticket #1", "description": "Staff will be with you shortly.",
        "color": 5793266, "fields": [{"name": "Topic", "value": "General", "inline": true}],
        "footer": {"text": "Ticketbooth"}
    }))
    .expect("embed");
    let row: Component = serde_json::from_value(json!({"type": 1, "components": [
        {"type": 2, "style": 3, "label": "It Works!", "custom_id": "tb1:works:1"},
        {"type": 2, "style": 4, "label": "Close", "custom_id": "tb1:close:1"}
    ]}))
    .expect("component");
    let welcome = client
        .create_message(channel.id)
        .content(&format!("<@{}>", demo.members[0]))
        .embeds(&[embed])
        .components(&[row])
        .await
        .expect("welcome message")
        .model()
        .await
        .expect("message body");
    client
        .update_message(channel.id, welcome.id)
        .content(Some("Claimed by staff"))
        .await
        .expect("edit message");
    let transcript = Attachment::from_bytes("transcript.html".into(), b"<p>hi</p>".to_vec(), 0);
    client
        .create_message(Id::new(demo.support))
        .content("Transcript")
        .attachments(&[transcript])
        .await
        .expect("upload");
    client
        .channel_messages(channel.id)
        .limit(50)
        .await
        .expect("history");
    client
        .delete_channel(channel.id)
        .await
        .expect("delete channel");

    let records = sim.requests();
    assert!(
        records.len() >= 8,
        "the session made its requests: {records:#?}"
    );
    ticketbooth_sim::conformance::check_records(&records).expect("check runs")
}

fn listed(violations: &[&Violation]) -> String {
    let lines: Vec<String> = violations.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

#[tokio::test]
async fn twilights_requests_to_the_simulator_conform() {
    let violations = twilight_session_violations().await;
    let outside_responses: Vec<&Violation> = violations
        .iter()
        .filter(|v| v.location != "response")
        .collect();
    assert!(
        outside_responses.is_empty(),
        "{}",
        listed(&outside_responses)
    );
}

#[tokio::test]
async fn the_simulators_responses_to_twilight_conform() {
    let violations = twilight_session_violations().await;
    let all: Vec<&Violation> = violations.iter().collect();
    assert!(all.is_empty(), "{}", listed(&all));
}

/// Bodies at every limit the simulator's validators accept must be bodies the spec accepts too:
/// otherwise the simulator would let through what Discord refuses.
#[test]
fn bodies_at_the_validators_limits_conform() {
    let text = |n: usize| "é".repeat(n);
    let buttons = |row: usize| -> Vec<Value> {
        (0..5)
            .map(|i| json!({"type": 2, "style": 1, "label": text(80), "custom_id": format!("r{row}b{i}")}))
            .collect()
    };
    let options: Vec<Value> = (0..25)
        .map(|i| json!({"label": text(100), "value": format!("v{i}"), "description": text(100)}))
        .collect();
    let messages = [
        json!({"content": text(2000), "tts": false}),
        json!({"embeds": vec![json!({"title": "t"}); 10]}),
        json!({"embeds": [{"title": text(256), "description": text(1000), "url": "https://example.com",
                           "color": 16777215, "footer": {"text": text(1000)}, "author": {"name": text(256)},
                           "fields": vec![json!({"name": text(10), "value": text(100), "inline": false}); 25]}]}),
        json!({"components": (0..5).map(|row| json!({"type": 1, "components": buttons(row)})).collect::<Vec<_>>()}),
        json!({"components": [{"type": 1, "components": [{"type": 3, "custom_id": "x".repeat(100),
            "placeholder": text(150), "min_values": 0, "max_values": 25, "options": options}]}]}),
        json!({"components": [{"type": 1, "components": [{"type": 5, "custom_id": "who", "max_values": 25}]}]}),
        json!({"content": "hi", "allowed_mentions": {"parse": ["roles", "everyone"],
            "users": (1..=100).map(|i: u64| i.to_string()).collect::<Vec<_>>(), "replied_user": false}}),
    ];
    let inputs: Vec<Value> = (0..5)
        .map(|i| {
            json!({"type": 1, "components": [{"type": 4, "custom_id": format!("i{i}"), "style": 2,
            "label": text(45), "min_length": 0, "max_length": 4000, "value": text(4000),
            "placeholder": text(100), "required": true}]})
        })
        .collect();
    let callbacks = [
        json!({"type": 9, "data": {"title": text(45), "custom_id": "x".repeat(100), "components": inputs}}),
        json!({"type": 8, "data": {"choices": (0..25).map(|i| json!({"name": text(100), "value": i})).collect::<Vec<_>>()}}),
        json!({"type": 9, "data": {"title": "Open a ticket", "custom_id": "m", "components": [
            {"type": 10, "content": text(4000)},
            {"type": 18, "label": text(45), "description": text(100), "component": {"type": 3,
                "custom_id": "topic", "options": [{"label": "General", "value": "g"}]}},
            {"type": 18, "label": "Reason", "component": {"type": 4, "custom_id": "reason", "style": 2}}]}}),
        json!({"type": 5, "data": {"flags": 64}}),
        json!({"type": 6}),
        json!({"type": 7, "data": {"content": text(2000)}}),
        json!({"type": 4, "data": {"content": "ok", "flags": 64}}),
    ];
    let overwrites: Vec<Value> = (1..=100)
        .map(|i: u64| json!({"id": i.to_string(), "type": 1, "allow": "1024", "deny": "0"}))
        .collect();
    let channel = json!({"name": text(100), "type": 0, "topic": text(1024), "rate_limit_per_user": 21600,
                         "nsfw": false, "permission_overwrites": overwrites});
    let command_options: Vec<Value> = (0..25)
        .map(|i| json!({"type": 3, "name": format!("o{i}"), "description": text(100), "max_length": 6000,
                        "choices": (0..25).map(|c| json!({"name": text(100), "value": format!("c{c}")})).collect::<Vec<_>>()}))
        .collect();
    let commands = json!([{"name": "x".repeat(32), "description": text(100), "type": 1,
                           "default_member_permissions": "8", "options": command_options,
                           "name_localizations": {"vi": "phiếu"}, "description_localizations": {"vi": text(100)}},
                          {"name": "Open Ticket", "type": 2}]);

    let mut exchanges = Vec::new();
    for body in &messages {
        validate::message(body).unwrap_or_else(|e| panic!("refused {body}: {}", e.body()));
        // The answer does not matter here: a documented 403 keeps the response side trivial.
        exchanges.push(exchange(
            "POST",
            "/channels/{channel_id}/messages",
            403,
            Some(body.clone()),
            Some(ApiError::missing_permissions().body()),
        ));
    }
    for body in &callbacks {
        validate::interaction_response(body)
            .unwrap_or_else(|e| panic!("refused {body}: {}", e.body()));
        exchanges.push(exchange(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            204,
            Some(body.clone()),
            None,
        ));
    }
    validate::channel_create(&channel).expect("channel at its limits");
    exchanges.push(exchange(
        "POST",
        "/guilds/{guild_id}/channels",
        400,
        Some(channel),
        Some(ApiError::max_guild_channels().body()),
    ));
    validate::application_commands(&commands).expect("commands at their limits");
    exchanges.push(exchange(
        "PUT",
        "/applications/{application_id}/commands",
        400,
        Some(commands),
        Some(ApiError::invalid_json().body()),
    ));
    let violations = check(&exchanges);
    assert!(violations.is_empty(), "{violations:#?}");

    // One past a limit, the validators and the spec refuse alike. (Not for `content`: the spec
    // allows 4000 characters, the documentation 2000; the simulator follows the documentation.)
    let over = [
        (
            "/channels/{channel_id}/messages",
            json!({"embeds": [{"title": text(257)}]}),
            "embeds.0.title",
        ),
        (
            "/channels/{channel_id}/messages",
            json!({"components": [{"type": 1, "components": [
                {"type": 2, "style": 1, "label": "a", "custom_id": "x".repeat(101)}]}]}),
            "components.0.components.0.custom_id",
        ),
        (
            "/interactions/{interaction_id}/{interaction_token}/callback",
            json!({"type": 9, "data": {"title": text(46), "custom_id": "m", "components": [
                {"type": 1, "components": [{"type": 4, "custom_id": "a", "style": 1, "label": "l"}]}]}}),
            "data.title",
        ),
    ];
    for (route, body, path) in over {
        let refused = if route.starts_with("/interactions") {
            validate::interaction_response(&body)
        } else {
            validate::message(&body)
        };
        assert!(refused.is_err(), "the validator must refuse {body}");
        let violations = check(&[exchange(
            "POST",
            route,
            403,
            Some(body.clone()),
            Some(ApiError::missing_permissions().body()),
        )]);
        assert!(
            violations.iter().any(|v| v.path == path),
            "the spec must refuse {path} too: {violations:#?}"
        );
    }
}
