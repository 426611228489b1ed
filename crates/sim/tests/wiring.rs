//! The sim-rules modules as the running simulator applies them: rate limits and injected
//! faults on REST routes (with the request log), and interactions delivered as signed POSTs.

mod common;

use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use common::call;
use serde_json::{Value, json};
use ticketbooth_sim::faults::{FaultRule, Trigger};
use ticketbooth_sim::{Sim, SimConfig, signed};

#[tokio::test]
async fn injected_faults_answer_instead_of_the_handler_and_are_logged() {
    let sim = common::sim().await;
    let demo = sim.demo_guild().unwrap();
    let route = "/channels/{channel.id}/messages";
    sim.faults()
        .add(FaultRule::status(None, route, 503, Trigger::NextN(1)));
    let path = format!("/channels/{}/messages", demo.support);
    let failed = call(&sim, "POST", &path, true, Some(&json!({"content": "x"}))).await;
    assert_eq!(failed.status, 503);
    assert!(
        sim.messages(demo.support).is_empty(),
        "the handler did not run"
    );
    let retried = call(&sim, "POST", &path, true, Some(&json!({"content": "x"}))).await;
    assert_eq!(retried.status, 200);
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![503, 200]);
}

#[tokio::test]
async fn faults_after_the_effect_answer_5xx_once_the_handler_ran() {
    let sim = common::sim().await;
    let demo = sim.demo_guild().unwrap();
    let route = "/channels/{channel.id}/messages";
    sim.faults().add(FaultRule::status_after_effect(
        None,
        route,
        502,
        Trigger::NextN(1),
    ));
    let path = format!("/channels/{}/messages", demo.support);
    let body = json!({"content": "x", "nonce": "n1", "enforce_nonce": true});
    let failed = call(&sim, "POST", &path, true, Some(&body)).await;
    assert_eq!(failed.status, 502);
    assert_eq!(sim.messages(demo.support).len(), 1, "the handler ran");
    // Sent again with its nonce, it gets the message the first try created.
    let retried = call(&sim, "POST", &path, true, Some(&body)).await;
    assert_eq!(retried.status, 200);
    assert_eq!(sim.messages(demo.support).len(), 1);
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![502, 200]);
}

#[tokio::test]
async fn switched_on_rate_limits_answer_429_with_headers() {
    let sim = common::sim().await;
    let demo = sim.demo_guild().unwrap();
    sim.rate_limits().set_enabled(true);
    let path = format!("/channels/{}/messages", demo.support);
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let answer = call(&sim, "POST", &path, true, Some(&json!({"content": "x"}))).await;
        if answer.status == 200 {
            assert!(answer.header("x-ratelimit-remaining").is_some());
        } else {
            assert_eq!(answer.status, 429);
            assert!(answer.body["retry_after"].is_number());
            assert!(answer.header("retry-after").is_some());
        }
        statuses.push(answer.status);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    assert!(sim.rate_limits().rate_limited_count() >= 1);
    assert_eq!(
        sim.messages(demo.support).len(),
        statuses.iter().filter(|s| **s == 200).count()
    );
}

#[tokio::test]
async fn interactions_can_arrive_as_signed_posts() {
    // A stand-in bot endpoint: verify the signature, answer with a message.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/interactions", listener.local_addr().unwrap());
    let key = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let key_for_bot = key.clone();
    let app = axum::Router::new().route(
        "/interactions",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let key = key_for_bot.lock().unwrap().clone();
            async move {
                let header = |n: &str| {
                    headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned()
                };
                let good = signed::verify(
                    &key,
                    &header(signed::SIGNATURE_HEADER),
                    &header(signed::TIMESTAMP_HEADER),
                    &body,
                );
                if !good {
                    return (StatusCode::UNAUTHORIZED, Json(Value::Null));
                }
                let payload: Value = serde_json::from_slice(&body).unwrap();
                let answer = match payload["type"].as_u64() {
                    Some(1) => json!({"type": 1}),
                    _ => json!({"type": 4, "data": {"content": "over http"}}),
                };
                (StatusCode::OK, Json(answer))
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let sim = Sim::start(SimConfig {
        interactions_url: Some(url.clone()),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    *key.lock().unwrap() = sim.interactions_public_key();
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
    let ack = interaction.wait_ack(Duration::from_secs(2)).await.unwrap();
    assert_eq!(ack.kind, 4);
    assert_eq!(interaction.original().unwrap().content, "over http");
    assert!(
        !sim.events().iter().any(|(t, _)| t == "INTERACTION_CREATE"),
        "not also sent over the gateway"
    );

    let bad = sim
        .interaction_signer()
        .deliver_with_bad_signature(&url)
        .await
        .unwrap();
    assert_eq!(bad.status, 401);
}

#[tokio::test]
async fn control_api_drives_users_and_reads_what_they_see() {
    let sim = common::sim().await;
    let control = |method: &'static str, path: String, body: Option<Value>| {
        let sim = sim.clone();
        async move { control_call(&sim, method, &path, body).await }
    };
    let demo = control("POST", "/_sim/demo".into(), None).await;
    let (guild, support, member) = (
        demo["guild"].as_str().unwrap().to_owned(),
        demo["support"].as_str().unwrap().to_owned(),
        demo["members"][0].as_str().unwrap().to_owned(),
    );
    let commands = json!([{"name": "ticket", "description": "Open the ticket hub"}]);
    call(
        &sim,
        "PUT",
        &format!("/applications/{}/commands", sim.application_id()),
        true,
        Some(&commands),
    )
    .await;
    let started = control(
        "POST",
        format!("/_sim/users/{member}/commands"),
        Some(json!({"guild_id": guild, "channel_id": support, "name": "ticket"})),
    )
    .await;
    let interaction = started["interaction_id"].as_str().unwrap().to_owned();
    let token = sim.with_world(|w| {
        w.interactions[&interaction.parse::<u64>().unwrap()]
            .token
            .clone()
    });
    let callback = format!("/interactions/{interaction}/{token}/callback");
    call(
        &sim,
        "POST",
        &callback,
        false,
        Some(&json!({"type": 4, "data": {"content": "hello", "flags": 64}})),
    )
    .await;
    let outcome = control("GET", format!("/_sim/interactions/{interaction}"), None).await;
    assert_eq!(outcome["ack"]["type"], 4);
    assert_eq!(outcome["original"]["content"], "hello");
    let seen = control(
        "GET",
        format!("/_sim/users/{member}/channels/{support}/messages"),
        None,
    )
    .await;
    assert_eq!(seen[0]["content"], "hello");
    let other = demo["members"][1].as_str().unwrap();
    let unseen = control(
        "GET",
        format!("/_sim/users/{other}/channels/{support}/messages"),
        None,
    )
    .await;
    assert_eq!(unseen, json!([]));
}

async fn control_call(sim: &Sim, method: &str, path: &str, body: Option<Value>) -> Value {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", sim.port()))
        .await
        .unwrap();
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{payload}",
        payload.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    serde_json::from_str(body).unwrap()
}
