//! Errors: Discord's JSON error answers for REST, and the test API's own error type.

use serde_json::{Value, json};

/// An error answer in Discord's shape: an HTTP status and `{"message", "code"}`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct DiscordError {
    /// HTTP status code.
    pub status: u16,
    /// Discord's JSON error code.
    pub code: u32,
    /// Discord's message.
    pub message: String,
    /// The nested `errors` tree of a 50035 answer.
    pub errors: Option<Value>,
}

impl DiscordError {
    /// An error with no `errors` tree.
    pub fn new(status: u16, code: u32, message: &str) -> Self {
        DiscordError {
            status,
            code,
            message: message.to_owned(),
            errors: None,
        }
    }

    /// 401 for a missing or wrong token.
    pub fn unauthorized() -> Self {
        Self::new(401, 0, "401: Unauthorized")
    }

    /// 404 for a route that does not exist.
    pub fn not_found() -> Self {
        Self::new(404, 0, "404: Not Found")
    }

    /// 403 50001.
    pub fn missing_access() -> Self {
        Self::new(403, 50001, "Missing Access")
    }

    /// 403 50013.
    pub fn missing_permissions() -> Self {
        Self::new(403, 50013, "Missing Permissions")
    }

    /// 404 10003.
    pub fn unknown_channel() -> Self {
        Self::new(404, 10003, "Unknown Channel")
    }

    /// 404 10004.
    pub fn unknown_guild() -> Self {
        Self::new(404, 10004, "Unknown Guild")
    }

    /// 404 10007.
    pub fn unknown_member() -> Self {
        Self::new(404, 10007, "Unknown Member")
    }

    /// 404 10008.
    pub fn unknown_message() -> Self {
        Self::new(404, 10008, "Unknown Message")
    }

    /// 404 10011.
    pub fn unknown_role() -> Self {
        Self::new(404, 10011, "Unknown Role")
    }

    /// 404 10013.
    pub fn unknown_user() -> Self {
        Self::new(404, 10013, "Unknown User")
    }

    /// 404 10015.
    pub fn unknown_webhook() -> Self {
        Self::new(404, 10015, "Unknown Webhook")
    }

    /// 404 10062.
    pub fn unknown_interaction() -> Self {
        Self::new(404, 10062, "Unknown interaction")
    }

    /// 400 40060.
    pub fn already_acknowledged() -> Self {
        Self::new(400, 40060, "Interaction has already been acknowledged.")
    }

    /// 400 50035 with one error at `path` (dot separated), Discord's nested shape.
    pub fn invalid_form(path: &str, code: &str, message: &str) -> Self {
        let mut leaf = json!({"_errors": [{"code": code, "message": message}]});
        for key in path.rsplit('.').filter(|k| !k.is_empty()) {
            leaf = json!({ key: leaf });
        }
        DiscordError {
            status: 400,
            code: 50035,
            message: "Invalid Form Body".into(),
            errors: Some(leaf),
        }
    }

    /// The JSON body Discord answers with.
    pub fn body(&self) -> Value {
        let mut v = json!({"message": self.message, "code": self.code});
        if let (Some(errors), Some(o)) = (&self.errors, v.as_object_mut()) {
            o.insert("errors".into(), errors.clone());
        }
        v
    }
}

impl From<crate::validate::ApiError> for DiscordError {
    fn from(e: crate::validate::ApiError) -> Self {
        let body = e.body();
        DiscordError {
            status: e.status().as_u16(),
            code: e.code(),
            message: body["message"].as_str().unwrap_or_default().to_owned(),
            errors: e.errors().cloned(),
        }
    }
}

/// What the test API reports when a simulated action cannot happen.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The server could not bind or run.
    #[error("simulator I/O: {0}")]
    Io(#[from] std::io::Error),
    /// An id the test used does not exist in the world.
    #[error("unknown {kind} {id}")]
    Unknown {
        /// What kind of thing was looked up.
        kind: &'static str,
        /// The id.
        id: u64,
    },
    /// A simulated user tried something a real client would not let them do.
    #[error("user {user} cannot {action}")]
    Forbidden {
        /// The user.
        user: u64,
        /// What they tried.
        action: String,
    },
    /// Waiting for the bot timed out.
    #[error("timed out waiting for {0}")]
    Timeout(&'static str),
    /// The interaction failed (not acknowledged in time).
    #[error("interaction {0} failed: not acknowledged in time")]
    InteractionFailed(u64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_form_nests_the_path() {
        let e = DiscordError::invalid_form("embeds.0.title", "BASE_TYPE_MAX_LENGTH", "too long");
        let body = e.body();
        assert_eq!(body["code"], 50035);
        assert_eq!(
            body["errors"]["embeds"]["0"]["title"]["_errors"][0]["code"],
            "BASE_TYPE_MAX_LENGTH"
        );
    }
}
