//! The counting layer sends byte for byte what awaiting a twilight builder sends: the same
//! method, path, query, headers (the bot token only where twilight puts it, never on interaction
//! callbacks and webhooks) and body, multipart attachments included.

use std::time::Duration;

use tokio::{
    io::{AsyncReadExt as _, AsyncWriteExt as _},
    net::TcpListener,
    sync::mpsc,
};
use twilight_http::Client;
use twilight_model::{
    http::{
        attachment::Attachment,
        interaction::{InteractionResponse, InteractionResponseData, InteractionResponseType},
    },
    id::Id,
};

use ticketbooth_bot::{metrics::Metrics, rest};

/// A request as it arrived: head lines (sorted, multipart boundary blanked) and body.
#[derive(Debug, PartialEq)]
struct Raw {
    head: Vec<String>,
    body: Vec<u8>,
}

/// A server that answers every request 204 and hands over what it received.
async fn recorder() -> (String, mpsc::UnboundedReceiver<Raw>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                loop {
                    let Some(end) = find(&buffer, b"\r\n\r\n") else {
                        let mut chunk = [0u8; 4096];
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8(buffer[..end].to_vec()).unwrap();
                    let length = head
                        .lines()
                        .find_map(|l| {
                            let (name, value) = l.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    while buffer.len() < end + 4 + length {
                        let mut chunk = [0u8; 4096];
                        let n = stream.read(&mut chunk).await.unwrap();
                        buffer.extend_from_slice(&chunk[..n]);
                    }
                    let body = buffer[end + 4..end + 4 + length].to_vec();
                    buffer.drain(..end + 4 + length);
                    let _ = tx.send(normalized(&head, body));
                    stream
                        .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                        .await
                        .unwrap();
                }
            });
        }
    });
    (addr, rx)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// twilight draws a fresh multipart boundary for each request; blank it so two sends compare.
fn normalized(head: &str, body: Vec<u8>) -> Raw {
    let boundary = head
        .lines()
        .find_map(|l| l.split_once("boundary=").map(|(_, b)| b.trim().to_owned()));
    let mut head: Vec<String> = head.lines().map(str::to_owned).collect();
    let mut body = body;
    if let Some(boundary) = boundary {
        for line in &mut head {
            *line = line.replace(&boundary, "BOUNDARY");
        }
        let text = String::from_utf8(body).unwrap();
        body = text.replace(&boundary, "BOUNDARY").into_bytes();
    }
    head.sort();
    Raw { head, body }
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Raw>) -> Raw {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("the request arrived")
        .expect("the recorder runs")
}

fn has_authorization(raw: &Raw) -> bool {
    raw.head
        .iter()
        .any(|l| l.to_ascii_lowercase().starts_with("authorization:"))
}

#[tokio::test]
async fn the_layer_sends_what_the_builder_sends() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (addr, mut rx) = recorder().await;
    let http = Client::builder()
        .token("Bot bot-token".to_owned())
        .proxy(addr, true)
        .ratelimiter(None)
        .build();
    let metrics = Metrics::default();
    let client = http.interaction(Id::new(11));
    let response = InteractionResponse {
        kind: InteractionResponseType::ChannelMessageWithSource,
        data: Some(InteractionResponseData {
            content: Some("hello".into()),
            ..Default::default()
        }),
    };
    let files = [Attachment::from_bytes(
        "ticket-0001.html".into(),
        b"<!DOCTYPE html><p>hi</p>".to_vec(),
        0,
    )];

    // Each request twice: awaited directly, then through the layer.
    client
        .create_response(Id::new(22), "interaction-token", &response)
        .await
        .unwrap();
    let direct = next(&mut rx).await;
    rest::send(
        &http,
        &metrics,
        client.create_response(Id::new(22), "interaction-token", &response),
    )
    .await
    .unwrap();
    let counted = next(&mut rx).await;
    assert_eq!(direct, counted);
    assert!(!has_authorization(&counted), "{counted:?}");

    client
        .create_followup("interaction-token")
        .content("late")
        .attachments(&files)
        .await
        .unwrap();
    let direct = next(&mut rx).await;
    rest::send(
        &http,
        &metrics,
        client
            .create_followup("interaction-token")
            .content("late")
            .attachments(&files),
    )
    .await
    .unwrap();
    let counted = next(&mut rx).await;
    assert_eq!(direct, counted);
    assert!(!has_authorization(&counted), "{counted:?}");
    assert!(
        counted
            .head
            .iter()
            .any(|l| l.contains("multipart/form-data")),
        "{counted:?}"
    );

    http.create_message(Id::new(33))
        .content("summary")
        .attachments(&files)
        .await
        .unwrap();
    let direct = next(&mut rx).await;
    rest::send(
        &http,
        &metrics,
        http.create_message(Id::new(33))
            .content("summary")
            .attachments(&files),
    )
    .await
    .unwrap();
    let counted = next(&mut rx).await;
    assert_eq!(direct, counted);
    assert!(has_authorization(&counted), "{counted:?}");

    http.channel_messages(Id::new(33))
        .after(Id::new(1))
        .limit(100)
        .await
        .unwrap();
    let direct = next(&mut rx).await;
    rest::send(
        &http,
        &metrics,
        http.channel_messages(Id::new(33))
            .after(Id::new(1))
            .limit(100),
    )
    .await
    .unwrap();
    let counted = next(&mut rx).await;
    assert_eq!(direct, counted);
    assert!(
        counted.head.iter().any(|l| l.contains("limit=100")),
        "{counted:?}"
    );

    let calls = &metrics.discord_requests;
    assert_eq!(
        calls.count("POST", "/interactions/:id/:token/callback", Some(204)),
        1
    );
    assert_eq!(calls.count("POST", "/webhooks/:id/:token", Some(204)), 1);
    assert_eq!(calls.count("POST", "/channels/:id/messages", Some(204)), 1);
    assert_eq!(calls.count("GET", "/channels/:id/messages", Some(204)), 1);
    let text = metrics.render(None);
    assert!(!text.contains("interaction-token"), "{text}");
}
