//! Ticketbooth's domain: the data a ticket system keeps and every decision made about it, free of I/O.
//!
//! Discord and database calls live in other crates; everything here is a pure function of its
//! inputs so each rule can be unit-tested.

pub mod authz;
pub mod commands;
pub mod custom_id;
pub mod i18n;
pub mod lifecycle;
pub mod model;
pub mod naming;
pub mod recovery;
pub mod text;
pub mod views;

pub use model::*;
