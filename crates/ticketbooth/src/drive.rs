//! Driving the simulated users through Ticketbooth's screens: find the buttons and selects the
//! bot put on messages by what they mean (their decoded custom id), not by their text.

use std::time::Duration;

use anyhow::{Context as _, anyhow};
use serde_json::Value;
use ticketbooth_core::custom_id::CustomId;
use ticketbooth_sim::{Ack, Interaction, Message, SimUser};

/// How long a test waits for the bot's first response to an interaction.
pub const ACK_WAIT: Duration = Duration::from_secs(5);

/// Every component with a custom id on a message, decoded: `(raw custom_id, decoded)`.
pub fn components(message: &Message) -> Vec<(String, CustomId)> {
    let mut found = Vec::new();
    collect(&message.components, &mut found);
    found
}

fn collect(value: &Value, found: &mut Vec<(String, CustomId)>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect(v, found)),
        Value::Object(map) => {
            if let Some(raw) = map.get("custom_id").and_then(Value::as_str)
                && let Ok(id) = CustomId::decode(raw)
            {
                found.push((raw.to_owned(), id));
            }
            if let Some(children) = map.get("components") {
                collect(children, found);
            }
            if let Some(child) = map.get("component") {
                collect(child, found);
            }
        }
        _ => {}
    }
}

/// The newest message among `messages` carrying a component that `matches`, with that
/// component's raw custom id.
pub fn find(
    messages: &[Message],
    matches: impl Fn(&CustomId) -> bool,
) -> Option<(Message, String)> {
    messages.iter().rev().find_map(|m| {
        components(m)
            .into_iter()
            .find(|(_, id)| matches(id))
            .map(|(raw, _)| (m.clone(), raw))
    })
}

/// Waits for the bot's first response and checks it came within Discord's window.
pub async fn acked(interaction: &Interaction) -> anyhow::Result<Ack> {
    let ack = interaction
        .wait_ack(ACK_WAIT)
        .await
        .map_err(|e| anyhow!("no response to the interaction: {e}"))?;
    anyhow::ensure!(
        ack.latency < Duration::from_secs(3),
        "the response took {:?}, past Discord's 3 seconds",
        ack.latency
    );
    Ok(ack)
}

/// The text a message shows: its content, then each embed's title, description and fields.
pub fn text_of(message: &Message) -> String {
    let mut out = message.content.clone();
    if let Value::Array(embeds) = &message.embeds {
        for embed in embeds {
            for key in ["title", "description"] {
                if let Some(s) = embed.get(key).and_then(Value::as_str) {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(s);
                }
            }
            if let Some(Value::Array(fields)) = embed.get("fields") {
                for field in fields {
                    let name = field.get("name").and_then(Value::as_str).unwrap_or("");
                    let value = field.get("value").and_then(Value::as_str).unwrap_or("");
                    out.push_str(&format!("\n{name}: {value}"));
                }
            }
        }
    }
    out
}

/// Polls `check` until it returns `Some`, for effects the bot performs after answering.
pub async fn eventually<T>(
    what: &str,
    timeout: Duration,
    mut check: impl FnMut() -> Option<T>,
) -> anyhow::Result<T> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return Ok(value);
        }
        if tokio::time::Instant::now() > deadline {
            return Err(anyhow!("timed out waiting for {what}"));
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The message the interaction's response created or edited, once there is one.
pub async fn response_message(interaction: &Interaction) -> anyhow::Result<Message> {
    eventually("the interaction's response message", ACK_WAIT, || {
        interaction.original()
    })
    .await
    .context("the bot answered without a message")
}

/// Clicks the button `id` on a message and waits for the bot's answer.
pub async fn click(
    user: &SimUser,
    channel_id: u64,
    message_id: u64,
    id: CustomId,
) -> anyhow::Result<Interaction> {
    let interaction = user
        .click(channel_id, message_id, &id.encode())
        .map_err(|e| anyhow!("cannot click {id:?}: {e}"))?;
    acked(&interaction).await?;
    Ok(interaction)
}
