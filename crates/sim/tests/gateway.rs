//! The gateway as twilight 0.18 sees it: handshake, GUILD_CREATE, resume with replay after a
//! dropped connection, shard routing, MESSAGE_CONTENT stripping and close codes; the heartbeat
//! deadline and zombied connections (withheld heartbeat ACKs).

mod common;

use std::time::Duration;

use common::call;
use futures_util::{SinkExt, StreamExt as _};
use serde_json::{Value, json};
use ticketbooth_sim::{Sim, SimConfig, channel_type, gateway::Handshake};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use twilight_gateway::queue::InMemoryQueue;
use twilight_gateway::{
    ConfigBuilder, Event, EventTypeFlags, Intents, Shard, ShardId, StreamExt as _,
};
use twilight_model::id::Id;

fn shard(sim: &Sim, id: ShardId, intents: Intents) -> Shard {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = ConfigBuilder::new(sim.bot_token(), intents)
        .proxy_url(sim.gateway_url())
        .queue(InMemoryQueue::new(0, 0, Duration::ZERO, 0))
        .build();
    Shard::with_config(id, config)
}

/// The next event that `pick` accepts, within five seconds.
async fn next<T>(shard: &mut Shard, mut pick: impl FnMut(Event) -> Option<T>) -> T {
    let wait = async {
        loop {
            match shard.next_event(EventTypeFlags::all()).await {
                Some(Ok(event)) => {
                    if let Some(found) = pick(event) {
                        return found;
                    }
                }
                Some(Err(e)) => panic!("gateway error: {e}"),
                None => panic!("shard stream ended"),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), wait)
        .await
        .expect("event within 5 seconds")
}

/// Whether an event of kind `pick` arrives within `within`.
async fn arrives(
    shard: &mut Shard,
    within: Duration,
    mut pick: impl FnMut(&Event) -> bool,
) -> bool {
    tokio::time::timeout(within, async {
        loop {
            match shard.next_event(EventTypeFlags::all()).await {
                Some(Ok(event)) if pick(&event) => return,
                Some(Ok(_)) => {}
                _ => std::future::pending::<()>().await,
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn twilight_identifies_and_receives_guilds() {
    let sim = common::sim().await;
    let demo = sim.demo_guild().unwrap();
    let mut shard = shard(
        &sim,
        ShardId::ONE,
        Intents::GUILDS | Intents::GUILD_MESSAGES,
    );
    let ready = next(&mut shard, |e| match e {
        Event::Ready(r) => Some(r),
        _ => None,
    })
    .await;
    assert_eq!(ready.user.id.get(), sim.bot_user_id());
    assert_eq!(ready.guilds.len(), 1);
    assert_eq!(ready.resume_gateway_url, sim.gateway_url());
    let guild = next(&mut shard, |e| match e {
        Event::GuildCreate(g) => Some(g),
        _ => None,
    })
    .await;
    assert_eq!(guild.id().get(), demo.guild);
    let twilight_model::gateway::payload::incoming::GuildCreate::Available(guild) = *guild else {
        panic!("guild should be available");
    };
    assert_eq!(guild.channels.len(), 1);
    assert_eq!(guild.roles.len(), 4);
}

#[tokio::test]
async fn resume_replays_events_missed_while_disconnected() {
    let sim = common::sim().await;
    let demo = sim.demo_guild().unwrap();
    let mut shard = shard(
        &sim,
        ShardId::ONE,
        Intents::GUILDS | Intents::GUILD_MESSAGES,
    );
    next(&mut shard, |e| {
        matches!(e, Event::GuildCreate(_)).then_some(())
    })
    .await;

    sim.drop_gateway_connections();
    let sent = call(
        &sim,
        "POST",
        &format!("/channels/{}/messages", demo.support),
        true,
        Some(&json!({"content": "while away"})),
    )
    .await;
    assert_eq!(sent.status, 200);

    let mut saw_message = false;
    let resumed = next(&mut shard, |e| match e {
        Event::MessageCreate(m) => {
            saw_message = m.content == "while away";
            None
        }
        Event::Ready(_) => panic!("the session should resume, not identify again"),
        Event::Resumed => Some(()),
        _ => None,
    })
    .await;
    assert_eq!(resumed, ());
    assert!(
        saw_message,
        "the missed MESSAGE_CREATE is replayed before RESUMED"
    );
    assert_eq!(
        sim.handshakes(),
        vec![Handshake::Identified([0, 1]), Handshake::Resumed([0, 1])]
    );
}

#[tokio::test]
async fn events_go_to_the_guilds_shard_only() {
    let sim = common::sim().await;
    let owner = sim.create_user("owner");
    let mut by_shard = [None, None];
    while by_shard.iter().any(Option::is_none) {
        let guild = sim.create_guild("g", owner);
        let slot = ((guild >> 22) % 2) as usize;
        if by_shard[slot].is_none() {
            sim.add_bot(guild, ticketbooth_sim::DEMO_BOT_PERMISSIONS)
                .unwrap();
            by_shard[slot] = Some(guild);
        }
    }
    let guilds = by_shard.map(Option::unwrap);
    let mut shards = [
        shard(
            &sim,
            ShardId::new(0, 2),
            Intents::GUILDS | Intents::GUILD_MESSAGES,
        ),
        shard(
            &sim,
            ShardId::new(1, 2),
            Intents::GUILDS | Intents::GUILD_MESSAGES,
        ),
    ];
    for (i, shard) in shards.iter_mut().enumerate() {
        let got = next(shard, |e| match e {
            Event::GuildCreate(g) => Some(g.id().get()),
            _ => None,
        })
        .await;
        assert_eq!(got, guilds[i]);
    }
    let channel = sim
        .create_channel(guilds[1], "general", channel_type::GUILD_TEXT, None, &[])
        .unwrap();
    assert!(
        arrives(
            &mut shards[1],
            Duration::from_secs(3),
            |e| matches!(e, Event::ChannelCreate(c) if c.id.get() == channel)
        )
        .await
    );
    assert!(
        !arrives(&mut shards[0], Duration::from_millis(300), |e| matches!(
            e,
            Event::ChannelCreate(_)
        ))
        .await
    );
}

#[tokio::test]
async fn a_bot_removed_from_a_guild_gets_guild_delete_and_no_access_until_invited_back() {
    let sim = common::sim().await;
    let demo = sim.demo_guild().unwrap();
    let mut shard = shard(&sim, ShardId::ONE, Intents::GUILDS);
    next(&mut shard, |e| match e {
        Event::GuildCreate(g) => Some(g.id()),
        _ => None,
    })
    .await;
    let support = format!("/channels/{}", demo.support);
    assert_eq!(call(&sim, "GET", &support, true, None).await.status, 200);

    sim.remove_bot_from_guild(demo.guild).unwrap();
    let removed = next(&mut shard, |e| match e {
        Event::GuildDelete(g) => Some(g),
        _ => None,
    })
    .await;
    assert_eq!(removed.id.get(), demo.guild);
    assert_eq!(removed.unavailable, None, "a removal, not an outage");
    for path in [support.clone(), format!("/guilds/{}/channels", demo.guild)] {
        let refused = call(&sim, "GET", &path, true, None).await;
        assert_eq!(refused.status, 403, "{path}");
        assert_eq!(refused.body["code"], 50001, "{path}");
    }
    let created = sim
        .create_channel(demo.guild, "later", channel_type::GUILD_TEXT, None, &[])
        .unwrap();
    assert!(
        !arrives(&mut shard, Duration::from_millis(300), |e| matches!(
            e,
            Event::ChannelCreate(_)
        ))
        .await,
        "the guild's events no longer reach the bot"
    );
    assert!(
        sim.with_world(|w| w.guilds[&demo.guild].roles.iter().all(|r| !r.managed)),
        "the bot's managed role is gone"
    );

    sim.add_bot(demo.guild, ticketbooth_sim::DEMO_BOT_PERMISSIONS)
        .unwrap();
    let back = next(&mut shard, |e| match e {
        Event::GuildCreate(g) => Some(g),
        _ => None,
    })
    .await;
    let twilight_model::gateway::payload::incoming::GuildCreate::Available(back) = *back else {
        panic!("guild should be available");
    };
    assert!(back.channels.iter().any(|c| c.id.get() == created));
    assert_eq!(call(&sim, "GET", &support, true, None).await.status, 200);
}

#[tokio::test]
async fn message_content_is_stripped_without_the_intent() {
    let sim = common::sim().await;
    let demo = sim.demo_guild().unwrap();
    let mut shard = shard(
        &sim,
        ShardId::ONE,
        Intents::GUILDS | Intents::GUILD_MESSAGES,
    );
    next(&mut shard, |e| {
        matches!(e, Event::GuildCreate(_)).then_some(())
    })
    .await;
    let user = sim.as_user(demo.members[0]);
    user.send_message(demo.support, "secret").unwrap();
    let stripped = next(&mut shard, |e| match e {
        Event::MessageCreate(m) => Some(m),
        _ => None,
    })
    .await;
    assert_eq!(stripped.author.id.get(), demo.members[0]);
    assert_eq!(stripped.content, "");

    user.send_message(demo.support, &format!("<@{}> hello", sim.bot_user_id()))
        .unwrap();
    let mentioned = next(&mut shard, |e| match e {
        Event::MessageCreate(m) => Some(m),
        _ => None,
    })
    .await;
    assert!(
        mentioned.content.ends_with("hello"),
        "a message mentioning the bot keeps its content"
    );
}

#[tokio::test]
async fn granted_message_content_intent_keeps_content() {
    let config = SimConfig {
        privileged_intents: Intents::MESSAGE_CONTENT.bits(),
        ..SimConfig::default()
    };
    let sim = Sim::start(config).await.unwrap();
    let demo = sim.demo_guild().unwrap();
    let intents = Intents::GUILDS | Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT;
    let mut shard = shard(&sim, ShardId::ONE, intents);
    next(&mut shard, |e| {
        matches!(e, Event::GuildCreate(_)).then_some(())
    })
    .await;
    sim.as_user(demo.members[0])
        .send_message(demo.support, "visible")
        .unwrap();
    let message = next(&mut shard, |e| match e {
        Event::MessageCreate(m) => Some(m),
        _ => None,
    })
    .await;
    assert_eq!(message.content, "visible");
}

async fn raw_identify(sim: &Sim, d: serde_json::Value) -> Option<u16> {
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("{}/?v=10&encoding=json", sim.gateway_url()))
            .await
            .unwrap();
    let hello = ws.next().await.unwrap().unwrap();
    assert!(hello.to_text().unwrap().contains("\"op\":10"));
    ws.send(WsMessage::Text(json!({"op": 2, "d": d}).to_string().into()))
        .await
        .unwrap();
    while let Some(Ok(frame)) = ws.next().await {
        if let WsMessage::Close(frame) = frame {
            return frame.map(|f| u16::from(f.code));
        }
    }
    None
}

#[tokio::test]
async fn identify_errors_close_with_discords_codes() {
    let sim = common::sim().await;
    let props = json!({"os": "linux", "browser": "t", "device": "t"});
    let token = sim.bot_token();
    let wrong = raw_identify(
        &sim,
        json!({"token": "nope", "intents": 1, "properties": props}),
    )
    .await;
    assert_eq!(wrong, Some(4004));
    let privileged = raw_identify(
        &sim,
        json!({"token": token, "intents": 1 << 15, "properties": props}),
    )
    .await;
    assert_eq!(privileged, Some(4014));
    let shard = raw_identify(
        &sim,
        json!({"token": token, "intents": 1, "properties": props, "shard": [2, 2]}),
    )
    .await;
    assert_eq!(shard, Some(4010));
    let garbage = raw_identify(&sim, json!("not an object")).await;
    assert_eq!(garbage, Some(4002));
}

#[tokio::test]
async fn resuming_an_unknown_session_is_refused_with_op_9() {
    let sim = common::sim().await;
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("{}/?v=10&encoding=json", sim.gateway_url()))
            .await
            .unwrap();
    ws.next().await.unwrap().unwrap();
    let resume = json!({"op": 6, "d": {"token": sim.bot_token(), "session_id": "gone", "seq": 3}});
    ws.send(WsMessage::Text(resume.to_string().into()))
        .await
        .unwrap();
    let answer: serde_json::Value =
        serde_json::from_str(ws.next().await.unwrap().unwrap().to_text().unwrap()).unwrap();
    assert_eq!(answer["op"], 9);
    assert_eq!(answer["d"], false);
    assert_eq!(sim.handshakes(), vec![Handshake::Refused]);
}

#[tokio::test]
async fn twilight_identifies_again_after_a_non_resumable_invalid_session() {
    let sim = common::sim().await;
    sim.demo_guild().unwrap();
    let mut shard = shard(&sim, ShardId::ONE, Intents::GUILDS);
    next(&mut shard, |e| {
        matches!(e, Event::GuildCreate(_)).then_some(())
    })
    .await;
    sim.invalidate_sessions(false);
    next(&mut shard, |e| matches!(e, Event::Ready(_)).then_some(())).await;
    next(&mut shard, |e| {
        matches!(e, Event::GuildCreate(_)).then_some(())
    })
    .await;
}

#[tokio::test]
async fn twilight_parses_every_kind_of_interaction() {
    use twilight_model::application::interaction::InteractionData;
    let sim = common::sim().await;
    let demo = sim.demo_guild().unwrap();
    let commands = json!([{"name": "ticket", "description": "Open the ticket hub", "options": [
        {"type": 6, "name": "user", "description": "Who", "required": false}
    ]}]);
    call(
        &sim,
        "PUT",
        &format!("/applications/{}/commands", sim.application_id()),
        true,
        Some(&commands),
    )
    .await;
    let panel = json!({"content": "panel", "components": [{"type": 1, "components": [
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
    let mut shard = shard(&sim, ShardId::ONE, Intents::GUILDS);
    next(&mut shard, |e| {
        matches!(e, Event::GuildCreate(_)).then_some(())
    })
    .await;

    let user = sim.as_user(demo.members[0]);
    let picked = demo.members[1].to_string();
    let command = user
        .slash_command(
            demo.guild,
            demo.support,
            "ticket",
            json!([{"type": 6, "name": "user", "value": picked}]),
        )
        .unwrap();
    let got = next(&mut shard, |e| match e {
        Event::InteractionCreate(i) => Some(i),
        _ => None,
    })
    .await;
    assert_eq!(got.id.get(), command.id);
    let Some(InteractionData::ApplicationCommand(data)) = &got.data else {
        panic!("command data")
    };
    assert!(
        data.resolved
            .as_ref()
            .is_some_and(|r| r.users.contains_key(&Id::new(demo.members[1])))
    );
    assert!(got.member.as_ref().and_then(|m| m.permissions).is_some());

    let modal = json!({"type": 9, "data": {"custom_id": "why", "title": "Why", "components": [
        {"type": 1, "components": [{"type": 4, "custom_id": "reason", "label": "Reason", "style": 2}]}
    ]}});
    let click = user.click(demo.support, message, "open").unwrap();
    let got = next(&mut shard, |e| match e {
        Event::InteractionCreate(i) => Some(i),
        _ => None,
    })
    .await;
    assert!(
        matches!(&got.data, Some(InteractionData::MessageComponent(c)) if c.custom_id == "open")
    );
    assert_eq!(got.message.as_ref().map(|m| m.id.get()), Some(message));
    let path = format!("/interactions/{}/{}/callback", click.id, click.token());
    assert_eq!(
        call(&sim, "POST", &path, false, Some(&modal)).await.status,
        204
    );

    user.submit_modal(&click, &[("reason", "stuck")]).unwrap();
    let got = next(&mut shard, |e| match e {
        Event::InteractionCreate(i) => Some(i),
        _ => None,
    })
    .await;
    let Some(InteractionData::ModalSubmit(data)) = &got.data else {
        panic!("modal data")
    };
    assert_eq!(data.custom_id, "why");
}

/// A simulator whose HELLO asks for a heartbeat every `interval`.
async fn sim_beating_every(interval: Duration) -> Sim {
    Sim::start(SimConfig {
        heartbeat_interval: interval,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

type Raw = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A raw connection that has read HELLO, and when it did.
async fn raw_connect(sim: &Sim) -> (Raw, Instant) {
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("{}/?v=10&encoding=json", sim.gateway_url()))
            .await
            .unwrap();
    let hello: Value =
        serde_json::from_str(ws.next().await.unwrap().unwrap().to_text().unwrap()).unwrap();
    assert_eq!(hello["op"], 10);
    (ws, Instant::now())
}

async fn send(ws: &mut Raw, payload: Value) {
    ws.send(WsMessage::Text(payload.to_string().into()))
        .await
        .unwrap();
}

/// IDENTIFY with GUILDS and no shard; returns the session id from READY.
async fn raw_ready(sim: &Sim, ws: &mut Raw) -> String {
    let props = json!({"os": "linux", "browser": "t", "device": "t"});
    send(
        ws,
        json!({"op": 2, "d": {"token": sim.bot_token(), "intents": 1, "properties": props}}),
    )
    .await;
    loop {
        match read(ws).await {
            Read::Payload(p) if p["t"] == "READY" => {
                return p["d"]["session_id"].as_str().unwrap().to_owned();
            }
            Read::Payload(_) => {}
            other => panic!("no READY: {other:?}"),
        }
    }
}

#[derive(Debug)]
enum Read {
    Payload(Value),
    Closed(Option<u16>),
    Ended,
}

/// The next payload or close frame, within five seconds.
async fn read(ws: &mut Raw) -> Read {
    let frame = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .expect("a frame within 5 seconds");
    match frame {
        Some(Ok(WsMessage::Text(t))) => Read::Payload(serde_json::from_str(&t).unwrap()),
        Some(Ok(WsMessage::Close(frame))) => Read::Closed(frame.map(|f| u16::from(f.code))),
        Some(Ok(other)) => panic!("unexpected frame {other:?}"),
        Some(Err(_)) | None => Read::Ended,
    }
}

/// Whether a Heartbeat ACK (op 11) arrives within `within`; a close fails the test.
async fn acked_within(ws: &mut Raw, within: Duration) -> bool {
    tokio::time::timeout(within, async {
        loop {
            match read(ws).await {
                Read::Payload(p) if p["op"] == 11 => return,
                Read::Payload(_) => {}
                other => panic!("connection ended: {other:?}"),
            }
        }
    })
    .await
    .is_ok()
}

/// POSTs to the control API; returns the status.
async fn control_post(sim: &Sim, path: &str, body: &Value) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = TcpStream::connect(("127.0.0.1", sim.port())).await.unwrap();
    let payload = body.to_string();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{payload}",
        payload.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    raw.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_connection_without_heartbeats_is_closed_with_4000_and_can_resume() {
    // Long enough that a busy machine's scheduling delays stay well inside the bounds below.
    let interval = Duration::from_millis(1000);
    let sim = sim_beating_every(interval).await;
    let demo = sim.demo_guild().unwrap();
    let (mut ws, hello_at) = raw_connect(&sim).await;
    let session_id = raw_ready(&sim, &mut ws).await;
    let mut seq = 1;
    let code = loop {
        match read(&mut ws).await {
            Read::Payload(p) => seq = p["s"].as_u64().unwrap_or(seq),
            Read::Closed(code) => break code,
            Read::Ended => panic!("dropped without a close frame"),
        }
    };
    let silent_for = hello_at.elapsed();
    assert_eq!(code, Some(4000), "a code that lets the client resume");
    assert!(
        silent_for >= interval,
        "closed after {silent_for:?}, before one heartbeat interval had passed"
    );
    assert!(
        silent_for <= interval * 3,
        "closed only after {silent_for:?}, well past 1.5 heartbeat intervals"
    );

    let channel = sim
        .create_channel(demo.guild, "meanwhile", channel_type::GUILD_TEXT, None, &[])
        .unwrap();
    let (mut ws, _) = raw_connect(&sim).await;
    send(
        &mut ws,
        json!({"op": 6, "d": {"token": sim.bot_token(), "session_id": session_id, "seq": seq}}),
    )
    .await;
    let mut replayed = false;
    loop {
        match read(&mut ws).await {
            Read::Payload(p) if p["t"] == "CHANNEL_CREATE" => {
                replayed = p["d"]["id"].as_str().and_then(|id| id.parse().ok()) == Some(channel);
            }
            Read::Payload(p) if p["t"] == "RESUMED" => break,
            Read::Payload(p) if p["op"] == 9 => panic!("the session was not kept: {p}"),
            Read::Payload(_) => {}
            other => panic!("no RESUMED: {other:?}"),
        }
    }
    assert!(
        replayed,
        "the CHANNEL_CREATE missed while closed is replayed"
    );
}

#[tokio::test]
async fn a_connection_that_heartbeats_stays_open() {
    // Beating at the latest moment leaves half an interval of slack: 500 ms, which a busy
    // machine's scheduling delays stay well inside.
    let interval = Duration::from_millis(1000);
    let sim = sim_beating_every(interval).await;
    sim.demo_guild().unwrap();
    let (mut ws, hello_at) = raw_connect(&sim).await;
    raw_ready(&sim, &mut ws).await;
    // The latest a client may beat: a jitter of 1, then every interval.
    let mut beats = tokio::time::interval_at(hello_at + interval, interval);
    for _ in 0..6 {
        beats.tick().await;
        send(&mut ws, json!({"op": 1, "d": null})).await;
        assert!(
            acked_within(&mut ws, interval).await,
            "heartbeat acknowledged"
        );
    }
    assert_eq!(sim.connected_sessions(), 1);
}

#[tokio::test]
async fn withheld_acks_are_switched_per_connection_through_the_control_api() {
    let sim = common::sim().await;
    let (mut zombie, _) = raw_connect(&sim).await;
    let session_id = raw_ready(&sim, &mut zombie).await;
    send(&mut zombie, json!({"op": 1, "d": null})).await;
    assert!(acked_within(&mut zombie, Duration::from_secs(2)).await);

    assert_eq!(
        control_post(&sim, "/_sim/gateway/zombie", &json!({"on": true})).await,
        200
    );
    send(&mut zombie, json!({"op": 1, "d": null})).await;
    assert!(
        !acked_within(&mut zombie, Duration::from_millis(500)).await,
        "no ACK on a zombied connection"
    );
    let (mut fresh, _) = raw_connect(&sim).await;
    raw_ready(&sim, &mut fresh).await;
    send(&mut fresh, json!({"op": 1, "d": null})).await;
    assert!(
        acked_within(&mut fresh, Duration::from_secs(2)).await,
        "a connection made afterwards is healthy"
    );

    assert_eq!(
        control_post(&sim, "/_sim/gateway/zombie", &json!({"on": false})).await,
        200
    );
    send(&mut zombie, json!({"op": 1, "d": null})).await;
    assert!(acked_within(&mut zombie, Duration::from_secs(2)).await);
    assert_eq!(
        control_post(&sim, "/_sim/gateway/zombie", &json!({"on": "yes"})).await,
        400
    );

    sim.withhold_heartbeat_acks(true);
    let (mut resumed, _) = raw_connect(&sim).await;
    send(
        &mut resumed,
        json!({"op": 6, "d": {"token": sim.bot_token(), "session_id": session_id, "seq": 0}}),
    )
    .await;
    loop {
        match read(&mut resumed).await {
            Read::Payload(p) if p["t"] == "RESUMED" => break,
            Read::Payload(_) => {}
            other => panic!("no RESUMED: {other:?}"),
        }
    }
    send(&mut resumed, json!({"op": 1, "d": null})).await;
    assert!(
        acked_within(&mut resumed, Duration::from_secs(2)).await,
        "resuming onto a new connection is the cure"
    );
}

#[tokio::test]
async fn twilight_resumes_a_zombied_connection() {
    // twilight counts a connection as zombied when nothing at all (not only no ACK) arrived
    // between two of its heartbeats, so nothing is dispatched while the ACKs are withheld, and
    // it notices within two intervals; it beats every interval, inside the server's deadline
    // (half an interval of slack: 500 ms, for a busy machine's scheduling delays).
    let interval = Duration::from_millis(1000);
    let sim = sim_beating_every(interval).await;
    let demo = sim.demo_guild().unwrap();
    let mut shard = shard(&sim, ShardId::ONE, Intents::GUILDS);
    next(&mut shard, |e| {
        matches!(e, Event::GuildCreate(_)).then_some(())
    })
    .await;

    sim.withhold_heartbeat_acks(true);
    let closed = next(&mut shard, |e| match e {
        Event::GatewayClose(frame) => Some(frame.map(|f| f.code)),
        _ => None,
    })
    .await;
    assert_eq!(
        closed,
        Some(1006),
        "twilight drops the connection itself, rather than the simulator closing it"
    );
    next(&mut shard, |e| match e {
        Event::Ready(_) => panic!("the session should resume, not identify again"),
        Event::Resumed => Some(()),
        _ => None,
    })
    .await;
    assert_eq!(sim.with_world(|w| w.sessions.list.len()), 1);

    sim.withhold_heartbeat_acks(false);
    let channel = sim
        .create_channel(demo.guild, "after", channel_type::GUILD_TEXT, None, &[])
        .unwrap();
    let got = next(&mut shard, |e| match e {
        Event::ChannelCreate(c) => Some(c.id.get()),
        _ => None,
    })
    .await;
    assert_eq!(got, channel);
}
