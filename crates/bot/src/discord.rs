//! Reading Discord's errors: which failures a user can be told about in plain words.

use twilight_http::{
    api_error::ApiError,
    error::{Error as HttpError, ErrorType},
};

/// Discord's JSON error codes the bot reacts to.
pub mod codes {
    pub const UNKNOWN_CHANNEL: u64 = 10003;
    pub const UNKNOWN_MESSAGE: u64 = 10008;
    pub const UNKNOWN_INTERACTION: u64 = 10062;
    pub const ALREADY_ACKNOWLEDGED: u64 = 40060;
    pub const MAX_GUILD_CHANNELS: u64 = 30013;
    pub const MISSING_ACCESS: u64 = 50001;
    pub const CANNOT_DM: u64 = 50007;
    pub const MISSING_PERMISSIONS: u64 = 50013;
    pub const INVALID_FORM_BODY: u64 = 50035;
}

/// What went wrong with a Discord call, in the terms the bot decides on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The bot lacks a permission or cannot see the channel (403, 50001 / 50013).
    MissingPermissions,
    /// The channel, message or other object does not exist (404).
    NotFound,
    /// The category already holds Discord's maximum of 50 channels.
    CategoryFull,
    /// The server already has Discord's maximum of 500 channels.
    GuildFull,
    /// The user does not accept DMs from the bot (50007).
    CannotDm,
    /// Discord is having trouble: a 5xx, a 429 that reached us, no answer at all (a timeout, a
    /// dropped connection). Worth trying again; the call may or may not have taken effect.
    Unavailable,
    /// Anything else: a bug, or a refusal the bot has no words for.
    Other {
        status: Option<u16>,
        code: Option<u64>,
    },
}

/// Classifies a twilight HTTP error.
pub fn classify(error: &HttpError) -> Failure {
    let ErrorType::Response {
        body,
        error: api,
        status,
    } = error.kind()
    else {
        return match error.kind() {
            ErrorType::RequestTimedOut | ErrorType::RequestError | ErrorType::Parsing { .. } => {
                Failure::Unavailable
            }
            _ => Failure::Other {
                status: None,
                code: None,
            },
        };
    };
    let code = match api {
        ApiError::General(general) => Some(general.code),
        _ => None,
    };
    classify_parts(status.get(), code, body)
}

/// The permission to name when Discord refused a call that needs `needed`, as admins are told:
/// 50001 means the bot cannot even see the channel, so View Channel comes first; any other
/// refusal is the call's own permission. `None` when the call failed for another reason.
pub fn missing_permission(error: &HttpError, needed: &'static str) -> Option<&'static str> {
    if classify(error) != Failure::MissingPermissions {
        return None;
    }
    Some(if api_code(error) == Some(codes::MISSING_ACCESS) {
        "View Channel"
    } else {
        needed
    })
}

/// Discord's refusals among the causes of `error`, classified: how work that wraps its REST
/// calls in context decides what Discord said.
pub fn failures_in(error: &anyhow::Error) -> impl Iterator<Item = (&HttpError, Failure)> {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<HttpError>())
        .map(|http| (http, classify(http)))
}

/// Whether `error`'s causes show Discord having trouble (a transient failure, or a retried call
/// that ran out of time), rather than refusing or a bug: what the user is told differs.
pub fn unavailable_in(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<HttpError>()
            .is_some_and(|http| classify(http) == Failure::Unavailable)
            || cause
                .downcast_ref::<crate::retry::CallError>()
                .is_some_and(crate::retry::CallError::is_unavailable)
    })
}

/// Discord's JSON error code, if the response carried one.
pub fn api_code(error: &HttpError) -> Option<u64> {
    match error.kind() {
        ErrorType::Response {
            error: ApiError::General(general),
            ..
        } => Some(general.code),
        _ => None,
    }
}

/// Classifies a Discord error from its status, JSON code and raw body.
pub fn classify_parts(status: u16, code: Option<u64>, body: &[u8]) -> Failure {
    match (status, code) {
        (403, Some(codes::CANNOT_DM)) => Failure::CannotDm,
        (403, _) => Failure::MissingPermissions,
        (404, _) => Failure::NotFound,
        (_, Some(codes::MAX_GUILD_CHANNELS)) => Failure::GuildFull,
        (429 | 500..=599, _) => Failure::Unavailable,
        (400, Some(codes::INVALID_FORM_BODY))
            if String::from_utf8_lossy(body).contains("CHANNEL_PARENT_MAX_CHANNELS") =>
        {
            Failure::CategoryFull
        }
        _ => Failure::Other {
            status: Some(status),
            code,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_errors_are_classified() {
        assert_eq!(
            classify_parts(403, Some(50013), b"{}"),
            Failure::MissingPermissions
        );
        assert_eq!(classify_parts(403, Some(50007), b"{}"), Failure::CannotDm);
        assert_eq!(classify_parts(404, Some(10003), b"{}"), Failure::NotFound);
        assert_eq!(classify_parts(400, Some(30013), b"{}"), Failure::GuildFull);
        let full = br#"{"code":50035,"errors":{"parent_id":{"_errors":[{"code":"CHANNEL_PARENT_MAX_CHANNELS","message":"Maximum number of channels in category reached (50)"}]}},"message":"Invalid Form Body"}"#;
        assert_eq!(
            classify_parts(400, Some(50035), full),
            Failure::CategoryFull
        );
        assert_eq!(
            classify_parts(400, Some(50035), b"{}"),
            Failure::Other {
                status: Some(400),
                code: Some(50035)
            }
        );
        assert_eq!(classify_parts(500, None, b""), Failure::Unavailable);
        assert_eq!(classify_parts(503, Some(0), b"{}"), Failure::Unavailable);
        assert_eq!(classify_parts(429, None, b"{}"), Failure::Unavailable);
    }
}
