//! Trying a Discord call again when Discord has trouble (5xx, a 429 that outlasts the wait, a
//! timeout, a dropped connection), with backoff and jitter, until a deadline: the time a user
//! waits for an answer, or a job's turn. Only for calls that are safe to repeat: idempotent ones
//! (reads, PUT/PATCH/DELETE of a state) and message creations carrying a nonce Discord enforces.
//! Channel creation is not one: opening looks for the channel's marker before creating again.

use std::{future::Future, time::Duration};

use tokio::time::Instant;

use ticketbooth_core::recovery;

use crate::discord::{Failure, classify};

/// How long a user who clicked waits for the ticket steps tried again on their behalf; the
/// responder has deferred long before, and the answer is an edit of the deferred reply.
pub const WHILE_WAITING: Duration = Duration::from_secs(10);

/// How long background work (a log line, a DM) keeps trying before giving up.
pub const IN_BACKGROUND: Duration = Duration::from_secs(60);

/// A call that failed for good.
#[derive(Debug)]
pub enum CallError {
    /// Discord answered with an error, or never answered; see [`classify`].
    Discord(twilight_http::Error),
    /// The deadline passed before Discord answered (a 429 asking to wait longer than that, or
    /// a slow answer).
    OutOfTime,
}

impl CallError {
    /// How the failure is read.
    pub fn failure(&self) -> Failure {
        match self {
            CallError::Discord(error) => classify(error),
            CallError::OutOfTime => Failure::Unavailable,
        }
    }

    /// Whether Discord had trouble, rather than refused.
    pub fn is_unavailable(&self) -> bool {
        self.failure() == Failure::Unavailable
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Discord(_) => f.write_str("Discord refused or failed the call"),
            CallError::OutOfTime => f.write_str("Discord did not answer in time"),
        }
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallError::Discord(error) => Some(error),
            CallError::OutOfTime => None,
        }
    }
}

/// Runs `call` until it succeeds, fails in a way trying again cannot fix, or `deadline` leaves
/// no time for another try. Each try is bounded by the time left (at least
/// [`recovery::MIN_TRY`]), so a 429 asking for longer than the user can wait ends the wait
/// rather than hanging in twilight's own retry.
pub async fn retrying<T, F, Fut>(what: &str, deadline: Instant, mut call: F) -> Result<T, CallError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, twilight_http::Error>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        let error = match try_once(deadline, call()).await {
            Ok(value) => return Ok(value),
            Err(error) if !error.is_unavailable() => return Err(error),
            Err(error) => error,
        };
        tracing::info!(
            what,
            attempt,
            error = format!("{error:#}"),
            "Discord had trouble; trying again if there is time"
        );
        if !pause_before_next(attempt, deadline).await {
            return Err(error);
        }
    }
}

/// One try of `call`, bounded by the time left before `deadline` (at least
/// [`recovery::MIN_TRY`]), for loops that must do more than call again between tries (look
/// for what a failed creation may have made all the same).
pub async fn try_once<T>(
    deadline: Instant,
    call: impl Future<Output = Result<T, twilight_http::Error>>,
) -> Result<T, CallError> {
    let allowed = deadline
        .saturating_duration_since(Instant::now())
        .max(recovery::MIN_TRY);
    match tokio::time::timeout(allowed, call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(CallError::Discord(error)),
        Err(_) => Err(CallError::OutOfTime),
    }
}

/// Waits, with backoff and jitter, before the try after try number `attempt`; `false` (at
/// once) when `deadline` leaves no time for another try.
pub async fn pause_before_next(attempt: u32, deadline: Instant) -> bool {
    let remaining = deadline.saturating_duration_since(Instant::now());
    match recovery::next_try(attempt, remaining, rand::random::<f64>()) {
        Some(wait) => {
            tokio::time::sleep(wait).await;
            true
        }
        None => false,
    }
}
