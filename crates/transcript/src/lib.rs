//! Ticket transcripts: the conversation captured before a ticket's channel goes, and its
//! renderings. Pure: the bot captures and stores, this crate turns captures into documents.
//!
//! - [`render_html`] and [`render_text`] turn captured messages into a page or a text file;
//! - [`compress()`] and [`decompress`] are the stored form ([`FORMAT`]);
//! - [`LinkSigner`] makes and checks the unguessable links transcripts are served at, and
//!   [`serve`] lists the headers to serve them with.
//!
//! ```
//! use chrono::{Duration, Utc};
//! use ticketbooth_transcript::*;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let now = Utc::now();
//! # let messages: Vec<CapturedMessage> = Vec::new();
//! // At close: store `compress(&messages)` with `FORMAT` beside it.
//! let stored = compress(&messages);
//! // When serving: read it back by its format name and render it.
//! let messages = decode_stored(FORMAT, &stored)?;
//! let ticket = TicketInfo {
//!     name: "ticket-0001".into(),
//!     number: 1,
//!     guild_name: "Rust Helpers".into(),
//!     owner_id: 100,
//!     topic: None,
//!     opened_at: now,
//!     closed_at: Some(now),
//!     closed_by: Some(200),
//!     close_how: Some("resolved by the owner".into()),
//!     ..TicketInfo::default()
//! };
//! let directory = Directory::new().with_user(100, "Ana").with_role(300, "Support", 0x3498db);
//! let page = render_html(&ticket, &messages, &directory);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//!
//! // The link in the log channel and the DM: a token only this server's secret can make.
//! let signer = LinkSigner::new(b"a secret of at least thirty-two bytes!");
//! let token = signer.sign(42, Some(now + Duration::days(30)));
//! assert_eq!(signer.verify(&token, now), Ok(42));
//! assert_eq!(signer.verify(&token, now + Duration::days(31)), Err(LinkError::Expired));
//! # Ok(())
//! # }
//! ```

pub mod compress;
pub mod error;
mod format;
pub mod html;
pub mod info;
pub mod link;
pub mod markdown;
pub mod model;
pub mod serve;
pub mod text;

pub use compress::{
    FORMAT, LEGACY_JSON_FORMAT, MAX_DECOMPRESSED, compress, decode_stored, decompress,
};
pub use error::{LinkError, TranscriptError};
pub use html::{CONTENT_SECURITY_POLICY, render_html};
pub use info::{Directory, RoleInfo, TicketInfo};
pub use link::LinkSigner;
pub use model::*;
pub use text::render_text;
