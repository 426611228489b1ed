//! The one place that answers interactions, always within Discord's 3-second window.
//!
//! A handler is a future that yields a [`Reply`]. The responder waits for it up to
//! [`ACK_BUDGET`]; a fast handler's reply goes out as the initial response (one REST call), a slow
//! one is deferred at the budget and its reply edits the deferred response when it is ready.

use std::{future::Future, time::Duration};

use tokio::time::Instant;
use twilight_model::{
    application::interaction::Interaction,
    channel::message::MessageFlags,
    http::interaction::{InteractionResponse, InteractionResponseData, InteractionResponseType},
};

use crate::{
    ctx::Ctx,
    discord::{api_code, codes},
    retry::{CallError, retrying},
};

/// Until when, after the interaction arrived, its initial response is tried again when Discord
/// has trouble: Discord allows 3 seconds from the click, and the answer must travel back.
const ACK_DEADLINE: Duration = Duration::from_millis(2700);

/// How long a reply after a deferral is tried again (the token lives 15 minutes).
const LATE_DEADLINE: Duration = Duration::from_secs(60);

/// How long a handler may take before the responder defers. Discord allows 3 seconds from the
/// click; the event has already travelled to us, and the response must travel back.
pub const ACK_BUDGET: Duration = Duration::from_millis(1500);

/// What a handler answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A new message (type 4); an ephemeral one carries `MessageFlags::EPHEMERAL`.
    Message(InteractionResponseData),
    /// Replace the clicked message (type 7); component interactions only.
    Update(InteractionResponseData),
    /// Show a modal (type 9); only ever an initial response, so modal handlers must be quick.
    Modal(InteractionResponseData),
    /// Acknowledge a component without changing anything visible (type 6).
    Acknowledge,
}

/// How to defer when the handler is slow: decided before the work starts, because the
/// deferral fixes whether the eventual message is ephemeral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defer {
    /// "Thinking…" visible only to the user (type 5 with the ephemeral flag).
    Ephemeral,
    /// "Thinking…" visible to everyone (type 5).
    Public,
    /// Acknowledge a component and edit its message later (type 6).
    Update,
}

/// What to send after a deferral once the handler's reply is known.
#[derive(Debug, Clone, PartialEq)]
pub enum LateDelivery {
    /// PATCH the original response (the deferred message, or the clicked message after type 6).
    EditOriginal(InteractionResponseData),
    /// POST a follow-up message.
    FollowUp(InteractionResponseData),
    /// Nothing more to send.
    Nothing,
    /// Remove the deferred "thinking…" message: the handler had nothing to say.
    DeleteOriginal,
    /// The reply cannot be delivered after a deferral (a modal); tell the user something went wrong.
    Impossible,
}

/// Decides how a reply that arrived after the deferral is delivered.
pub fn late_delivery(defer: Defer, reply: Reply) -> LateDelivery {
    match (defer, reply) {
        (_, Reply::Modal(_)) => LateDelivery::Impossible,
        (Defer::Update, Reply::Message(data)) => LateDelivery::FollowUp(data),
        (Defer::Update, Reply::Update(data)) => LateDelivery::EditOriginal(data),
        (Defer::Ephemeral | Defer::Public, Reply::Message(data) | Reply::Update(data)) => {
            LateDelivery::EditOriginal(data)
        }
        (Defer::Update, Reply::Acknowledge) => LateDelivery::Nothing,
        // A deferred "thinking…" message must be resolved, or it spins until it times out.
        (Defer::Ephemeral | Defer::Public, Reply::Acknowledge) => LateDelivery::DeleteOriginal,
    }
}

fn initial_response(reply: Reply) -> InteractionResponse {
    let (kind, data) = match reply {
        Reply::Message(data) => (
            InteractionResponseType::ChannelMessageWithSource,
            Some(data),
        ),
        Reply::Update(data) => (InteractionResponseType::UpdateMessage, Some(data)),
        Reply::Modal(data) => (InteractionResponseType::Modal, Some(data)),
        Reply::Acknowledge => (InteractionResponseType::DeferredUpdateMessage, None),
    };
    InteractionResponse { kind, data }
}

fn deferral(defer: Defer) -> InteractionResponse {
    match defer {
        Defer::Ephemeral => InteractionResponse {
            kind: InteractionResponseType::DeferredChannelMessageWithSource,
            data: Some(InteractionResponseData {
                flags: Some(MessageFlags::EPHEMERAL),
                ..Default::default()
            }),
        },
        Defer::Public => InteractionResponse {
            kind: InteractionResponseType::DeferredChannelMessageWithSource,
            data: None,
        },
        Defer::Update => InteractionResponse {
            kind: InteractionResponseType::DeferredUpdateMessage,
            data: None,
        },
    }
}

/// Sends an interaction's initial response (or deferral), tried again while Discord has trouble
/// and the window is open. A retry answered 40060 ("already acknowledged") means an earlier try
/// reached Discord although its answer was lost: the interaction is answered.
async fn send_initial(
    ctx: &Ctx,
    interaction: &Interaction,
    response: &InteractionResponse,
    received: Instant,
) -> Result<(), CallError> {
    let client = ctx.http.interaction(ctx.application_id);
    let mut tries = 0;
    let sent = retrying("answering the interaction", received + ACK_DEADLINE, || {
        tries += 1;
        ctx.send(client.create_response(interaction.id, &interaction.token, response))
    })
    .await;
    match sent {
        Ok(_) => Ok(()),
        Err(CallError::Discord(error))
            if tries > 1 && api_code(&error) == Some(codes::ALREADY_ACKNOWLEDGED) =>
        {
            Ok(())
        }
        Err(error) => Err(error),
    }
}

/// Runs `work` and answers the interaction with its reply, in time. `on_error` turns a handler
/// failure (already logged here with its causes) into the reply the user sees.
pub async fn respond<W>(
    ctx: &Ctx,
    interaction: &Interaction,
    defer: Defer,
    work: W,
    on_error: impl Fn(&anyhow::Error) -> Reply,
) where
    W: Future<Output = anyhow::Result<Reply>>,
{
    let received = Instant::now();
    tokio::pin!(work);
    let outcome = tokio::select! {
        result = &mut work => Some(result),
        () = tokio::time::sleep(ACK_BUDGET) => None,
    };
    match outcome {
        Some(result) => {
            let reply = result.unwrap_or_else(|error| {
                log_failure(&error);
                crate::metrics::bump(&ctx.metrics.handler_errors);
                on_error(&error)
            });
            let response = initial_response(reply);
            let sent = send_initial(ctx, interaction, &response, received).await;
            ctx.metrics.record_ack(received.elapsed(), sent.is_ok());
            report_ack(sent, received);
        }
        None => {
            let sent = send_initial(ctx, interaction, &deferral(defer), received).await;
            ctx.metrics.record_ack(received.elapsed(), sent.is_ok());
            report_ack(sent, received);
            let reply = work.await.unwrap_or_else(|error| {
                log_failure(&error);
                crate::metrics::bump(&ctx.metrics.handler_errors);
                on_error(&error)
            });
            deliver_late(ctx, interaction, late_delivery(defer, reply), on_error).await;
        }
    }
}

/// Delivers a reply after a deferral, tried again while Discord has trouble. Editing and
/// deleting the original are idempotent; a follow-up is not (webhook messages take no nonce), so
/// it is sent once and a failure is logged.
async fn deliver_late(
    ctx: &Ctx,
    interaction: &Interaction,
    delivery: LateDelivery,
    on_error: impl Fn(&anyhow::Error) -> Reply,
) {
    let client = ctx.http.interaction(ctx.application_id);
    let token = interaction.token.as_str();
    let deadline = Instant::now() + LATE_DEADLINE;
    let result = match delivery {
        LateDelivery::Nothing => return,
        LateDelivery::DeleteOriginal => retrying("removing the deferred reply", deadline, || {
            ctx.send(client.delete_response(token))
        })
        .await
        .map(drop),
        LateDelivery::EditOriginal(data) => {
            retrying("editing the deferred reply", deadline, || {
                ctx.send(
                    client
                        .update_response(token)
                        .content(data.content.as_deref())
                        .embeds(data.embeds.as_deref())
                        .components(data.components.as_deref())
                        .allowed_mentions(data.allowed_mentions.as_ref()),
                )
            })
            .await
            .map(drop)
        }
        LateDelivery::FollowUp(data) => {
            let mut request = client
                .create_followup(token)
                .embeds(data.embeds.as_deref().unwrap_or_default())
                .components(data.components.as_deref().unwrap_or_default())
                .allowed_mentions(data.allowed_mentions.as_ref());
            if let Some(content) = data.content.as_deref() {
                request = request.content(content);
            }
            if let Some(flags) = data.flags {
                request = request.flags(flags);
            }
            ctx.send(request)
                .await
                .map(drop)
                .map_err(CallError::Discord)
        }
        LateDelivery::Impossible => {
            tracing::error!("a modal cannot follow a deferral; the handler was too slow");
            let Reply::Message(data) =
                on_error(&anyhow::anyhow!("a modal cannot follow a deferral"))
            else {
                return;
            };
            let mut request = client
                .create_followup(token)
                .flags(MessageFlags::EPHEMERAL)
                .allowed_mentions(data.allowed_mentions.as_ref());
            if let Some(content) = data.content.as_deref() {
                request = request.content(content);
            }
            ctx.send(request.embeds(data.embeds.as_deref().unwrap_or_default()))
                .await
                .map(drop)
                .map_err(CallError::Discord)
        }
    };
    if let Err(error) = result {
        tracing::error!(
            error = format!("{:#}", anyhow::Error::new(error)),
            "could not deliver the reply after deferring"
        );
    }
}

fn report_ack(result: Result<(), CallError>, received: Instant) {
    let elapsed = received.elapsed();
    match result {
        Ok(()) => tracing::debug!(
            ack_ms = elapsed.as_millis() as u64,
            "interaction acknowledged"
        ),
        Err(error) => tracing::error!(
            ack_ms = elapsed.as_millis() as u64,
            error = format!("{:#}", anyhow::Error::new(error)),
            "could not acknowledge the interaction"
        ),
    }
}

/// Logs a handler failure with its whole cause chain.
pub fn log_failure(error: &anyhow::Error) {
    tracing::error!(error = format!("{error:#}"), "interaction handler failed");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(text: &str) -> InteractionResponseData {
        InteractionResponseData {
            content: Some(text.to_owned()),
            ..Default::default()
        }
    }

    #[test]
    fn fast_replies_become_the_initial_response() {
        assert_eq!(
            initial_response(Reply::Message(data("hi"))).kind,
            InteractionResponseType::ChannelMessageWithSource
        );
        assert_eq!(
            initial_response(Reply::Update(data("hi"))).kind,
            InteractionResponseType::UpdateMessage
        );
        assert_eq!(
            initial_response(Reply::Modal(data("m"))).kind,
            InteractionResponseType::Modal
        );
        assert_eq!(
            initial_response(Reply::Acknowledge).kind,
            InteractionResponseType::DeferredUpdateMessage
        );
    }

    #[test]
    fn ephemeral_deferral_carries_the_flag() {
        let response = deferral(Defer::Ephemeral);
        assert_eq!(
            response.kind,
            InteractionResponseType::DeferredChannelMessageWithSource
        );
        assert_eq!(response.data.unwrap().flags, Some(MessageFlags::EPHEMERAL));
        assert!(deferral(Defer::Public).data.is_none());
    }

    #[test]
    fn late_replies_are_delivered_where_they_belong() {
        assert_eq!(
            late_delivery(Defer::Ephemeral, Reply::Message(data("a"))),
            LateDelivery::EditOriginal(data("a"))
        );
        assert_eq!(
            late_delivery(Defer::Update, Reply::Update(data("b"))),
            LateDelivery::EditOriginal(data("b"))
        );
        assert_eq!(
            late_delivery(Defer::Update, Reply::Message(data("c"))),
            LateDelivery::FollowUp(data("c"))
        );
        assert_eq!(
            late_delivery(Defer::Public, Reply::Modal(data("m"))),
            LateDelivery::Impossible
        );
        assert_eq!(
            late_delivery(Defer::Update, Reply::Acknowledge),
            LateDelivery::Nothing
        );
        assert_eq!(
            late_delivery(Defer::Ephemeral, Reply::Acknowledge),
            LateDelivery::DeleteOriginal
        );
    }
}
