//! What the bot does when Discord has trouble (5xx, a 429 that outlasts the wait, a timeout): how
//! long to wait before trying a call again, and how a multi-step operation ends when one of its
//! steps fails for good, so that no ticket is ever left half-made.

use std::time::Duration;

/// The wait before the second try of a call.
pub const FIRST_RETRY: Duration = Duration::from_millis(250);
/// The longest wait between two tries of one call.
pub const MAX_RETRY: Duration = Duration::from_secs(4);

/// The wait after try number `attempt` (from 1) failed: doubling from [`FIRST_RETRY`] up to
/// [`MAX_RETRY`], with "equal jitter" (half of it fixed, half scaled by `jitter` in `0..1`) so
/// that calls that failed together, as during an incident, do not all come back together.
pub fn retry_delay(attempt: u32, jitter: f64) -> Duration {
    let doubled = FIRST_RETRY.saturating_mul(1 << attempt.clamp(1, 16).saturating_sub(1));
    let full = doubled.min(MAX_RETRY);
    full / 2 + full.mul_f64(jitter.clamp(0.0, 1.0) / 2.0)
}

/// Whether to try a call again after try `attempt` failed with a transient error, with
/// `remaining` left before the deadline of whoever waits: the wait, or `None` when waiting
/// would leave no time for the next try.
pub fn next_try(attempt: u32, remaining: Duration, jitter: f64) -> Option<Duration> {
    let wait = retry_delay(attempt, jitter);
    (wait + MIN_TRY <= remaining).then_some(wait)
}

/// The least time worth giving one try of a call.
pub const MIN_TRY: Duration = Duration::from_millis(500);

/// A step of a ticket's life that touches Discord after the store decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Creating the ticket's channel (after the reservation).
    CreateChannel,
    /// Posting the welcome message in the new channel.
    PostWelcome,
    /// Changing the channel's overwrites to match the ticket: lock on close, access back on
    /// reopen, a member added or removed.
    SetAccess,
}

/// How an operation ends when one of its steps failed for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Undo what was done (the channel removed, the reservation released) and tell the user to
    /// try again: nothing the user could use exists yet.
    RollBack,
    /// Keep what was done and finish the step in a durable job, telling the user so: the ticket
    /// already exists and is usable.
    FinishLater,
}

/// Decides how an operation ends when `step` fails for good. Before the channel exists there is
/// nothing to keep; once it exists the member has a ticket, and the rest is finished by a job.
pub fn after_failed(step: Step) -> Recovery {
    match step {
        Step::CreateChannel => Recovery::RollBack,
        Step::PostWelcome | Step::SetAccess => Recovery::FinishLater,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_within_bounds_and_jitter() {
        for attempt in 1..40 {
            let full = FIRST_RETRY
                .saturating_mul(1 << (attempt.min(16) - 1))
                .min(MAX_RETRY);
            assert_eq!(retry_delay(attempt, 0.0), full / 2);
            assert_eq!(retry_delay(attempt, 1.0), full);
            let mid = retry_delay(attempt, 0.5);
            assert!(mid > full / 2 && mid < full, "{attempt}: {mid:?}");
        }
        assert_eq!(retry_delay(1, 1.0), FIRST_RETRY);
        assert_eq!(retry_delay(2, 1.0), FIRST_RETRY * 2);
        assert_eq!(retry_delay(30, 1.0), MAX_RETRY);
        // Out-of-range jitter is clamped rather than trusted.
        assert_eq!(retry_delay(3, 7.0), retry_delay(3, 1.0));
        assert_eq!(retry_delay(3, -1.0), retry_delay(3, 0.0));
    }

    #[test]
    fn no_retry_that_would_end_past_the_deadline() {
        let wait = retry_delay(1, 1.0);
        assert_eq!(next_try(1, wait + MIN_TRY, 1.0), Some(wait));
        assert_eq!(
            next_try(1, wait + MIN_TRY - Duration::from_millis(1), 1.0),
            None
        );
        assert_eq!(next_try(5, Duration::ZERO, 0.0), None);
    }

    #[test]
    fn before_the_channel_exists_an_opening_is_undone_after_it_is_finished() {
        assert_eq!(after_failed(Step::CreateChannel), Recovery::RollBack);
        assert_eq!(after_failed(Step::PostWelcome), Recovery::FinishLater);
        assert_eq!(after_failed(Step::SetAccess), Recovery::FinishLater);
    }
}
