//! Ticket transcripts: the conversation captured before a ticket's channel goes, and its
//! renderings. Pure: the bot captures and stores, this crate turns captures into documents.

pub mod compress;
pub mod error;
pub mod link;
pub mod markdown;
pub mod model;

pub use compress::{FORMAT, MAX_DECOMPRESSED, compress, decompress};
pub use error::{LinkError, TranscriptError};
pub use link::LinkSigner;
pub use model::*;
