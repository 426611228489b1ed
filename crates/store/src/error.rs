//! The store's error: a kind callers can match on, and the underlying cause as its source.

use std::error::Error as StdError;
use std::fmt;

/// What went wrong, for callers that react differently to each case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The database URL is malformed or names an unsupported backend.
    InvalidUrl,
    /// The database could not be reached or opened.
    Connect,
    /// Applying the migrations failed.
    Migration,
    /// The record the operation refers to does not exist.
    NotFound,
    /// A topic with the same name (ignoring case) already exists in the guild.
    TopicNameTaken,
    /// The record is not in a state that allows the operation (for example attaching a channel to
    /// a ticket that is no longer being opened).
    Conflict,
    /// Stored data could not be read back (corrupt or written by a newer version).
    Decode,
    /// Any other database failure.
    Database,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::InvalidUrl => "invalid database URL",
            ErrorKind::Connect => "could not connect to the database",
            ErrorKind::Migration => "database migration failed",
            ErrorKind::NotFound => "record not found",
            ErrorKind::TopicNameTaken => "a topic with this name already exists",
            ErrorKind::Conflict => "record is not in a state that allows this",
            ErrorKind::Decode => "stored data could not be decoded",
            ErrorKind::Database => "database error",
        }
    }
}

/// An error from the store.
///
/// Its message never contains a connection password: URLs are redacted before they are kept.
#[derive(Debug)]
pub struct StoreError {
    kind: ErrorKind,
    detail: Option<String>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl StoreError {
    /// An error of `kind` with an explanatory detail and no underlying cause.
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        StoreError {
            kind,
            detail: Some(detail.into()),
            source: None,
        }
    }

    /// An error of `kind` caused by `source`.
    pub fn with_source(
        kind: ErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        StoreError {
            kind,
            detail: None,
            source: Some(source.into()),
        }
    }

    /// Adds a detail to the message.
    pub(crate) fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub(crate) fn not_found(what: impl Into<String>) -> Self {
        StoreError::new(ErrorKind::NotFound, what)
    }

    pub(crate) fn decode(what: impl Into<String>) -> Self {
        StoreError::new(ErrorKind::Decode, what)
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.describe())?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl StdError for StoreError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        let kind = match &err {
            sqlx::Error::RowNotFound => ErrorKind::NotFound,
            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => ErrorKind::Decode,
            sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolTimedOut => {
                ErrorKind::Connect
            }
            sqlx::Error::Configuration(_) => ErrorKind::InvalidUrl,
            _ => ErrorKind::Database,
        };
        StoreError::with_source(kind, err)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        StoreError::with_source(ErrorKind::Migration, err)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        StoreError::with_source(ErrorKind::Decode, err)
    }
}

/// The error from opening `url`, with the URL redacted and any password scrubbed from the cause.
pub(crate) fn connect_error(err: sqlx::Error, url: &str) -> StoreError {
    let kind = match err {
        sqlx::Error::Configuration(_) => ErrorKind::InvalidUrl,
        _ => ErrorKind::Connect,
    };
    let mut message = err.to_string();
    if let Some(password) = password_of(url) {
        message = message.replace(password, "***");
    }
    StoreError::with_source(kind, Scrubbed(message)).detail(redact_url(url))
}

/// An underlying error's message with secrets removed, kept instead of the error itself.
#[derive(Debug)]
struct Scrubbed(String);

impl fmt::Display for Scrubbed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for Scrubbed {}

/// The password in a URL's user info, if it has one.
fn password_of(url: &str) -> Option<&str> {
    let rest = &url[url.find("://")? + 3..];
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    let userinfo = &authority[..authority.rfind('@')?];
    let password = &userinfo[userinfo.find(':')? + 1..];
    (!password.is_empty()).then_some(password)
}

/// `url` with any password replaced by `***`, safe to show in logs and errors.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    let userinfo = &authority[..at];
    let Some(colon) = userinfo.find(':') else {
        return url.to_owned();
    };
    format!(
        "{}{}:***{}",
        &url[..scheme_end + 3],
        &userinfo[..colon],
        &rest[at..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_password_only() {
        assert_eq!(
            redact_url("postgres://bob:s3cr%40t@db:5432/tb?sslmode=require"),
            "postgres://bob:***@db:5432/tb?sslmode=require"
        );
        assert_eq!(redact_url("postgres://bob@db/tb"), "postgres://bob@db/tb");
        assert_eq!(redact_url("sqlite:ticketbooth.db"), "sqlite:ticketbooth.db");
    }

    #[test]
    fn display_includes_kind_and_detail() {
        let err = StoreError::new(ErrorKind::NotFound, "ticket 7");
        assert_eq!(err.to_string(), "record not found: ticket 7");
        assert_eq!(err.kind(), ErrorKind::NotFound);
    }
}
