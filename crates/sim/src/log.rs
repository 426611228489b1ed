//! The log of every REST request the simulator answered, for tests and the conformance check.

use serde_json::Value;

/// One REST request and the simulator's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    /// HTTP method, upper case.
    pub method: String,
    /// Path after `/api/v10`, such as `/channels/123/messages`.
    pub path: String,
    /// Route template, such as `/channels/{channel.id}/messages`; `None` when unimplemented.
    pub route: Option<String>,
    /// Raw query string, empty when none.
    pub query: String,
    /// Request body as JSON (for multipart, the `payload_json` part), if any.
    pub body: Option<Value>,
    /// Names of files uploaded with the request.
    pub files: Vec<String>,
    /// Response status code.
    pub status: u16,
    /// Response body as JSON, if any.
    pub response: Option<Value>,
    /// When the request arrived.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A request to a route the simulator does not implement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unimplemented {
    /// HTTP method.
    pub method: String,
    /// Path after `/api/v10`.
    pub path: String,
}

/// All REST traffic so far.
#[derive(Debug, Default)]
pub struct RequestLog {
    /// Every request, in arrival order.
    pub records: Vec<RequestRecord>,
    /// Requests to unimplemented routes.
    pub unimplemented: Vec<Unimplemented>,
}
