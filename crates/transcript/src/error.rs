//! The errors this crate reports: a stored transcript that cannot be read, a link that is refused.

/// A stored transcript could not be turned back into messages.
#[derive(Debug, thiserror::Error)]
pub enum TranscriptError {
    /// The bytes are not a gzip stream, or the stream is cut short.
    #[error("the transcript is not a readable gzip stream")]
    Gzip(#[source] std::io::Error),
    /// The stream decompressed but does not hold the captured messages.
    #[error("the transcript does not hold captured messages")]
    Json(#[source] serde_json::Error),
    /// The stored format name is not one this crate reads.
    #[error("unknown transcript format {0:?}")]
    UnknownFormat(String),
    /// The stream decompresses to more than [`crate::MAX_DECOMPRESSED`] bytes: refused rather
    /// than let a hostile or corrupt blob exhaust memory.
    #[error("the transcript decompresses to more than {limit} bytes")]
    TooLarge {
        /// The limit that was exceeded.
        limit: u64,
    },
}

/// Why a signed transcript link was refused. The web layer answers every kind with 404, so a
/// visitor learns nothing; the kinds exist for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// Not a token of this format (wrong characters, length or version).
    #[error("the link token is malformed")]
    Malformed,
    /// The tag does not match: tampered with, or signed with another secret.
    #[error("the link signature does not match")]
    BadSignature,
    /// The signature is valid but the link's expiry has passed.
    #[error("the link has expired")]
    Expired,
}
