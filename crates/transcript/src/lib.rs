//! Ticket transcripts: the conversation captured before a ticket's channel goes, and its
//! renderings. Pure: the bot captures and stores, this crate turns captures into documents.

pub mod model;

pub use model::*;
