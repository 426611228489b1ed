//! Ticket transcripts: the conversation captured before a ticket's channel goes, and its
//! renderings. Pure: the bot captures and stores, this crate turns captures into documents.
//!
//! - [`render_html`] and [`render_text`] turn captured messages into a page or a text file;
//! - [`compress()`] and [`decompress`] are the stored form ([`FORMAT`]);
//! - [`LinkSigner`] makes and checks the unguessable links transcripts are served at, and
//!   [`serve`] lists the headers to serve them with.

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
