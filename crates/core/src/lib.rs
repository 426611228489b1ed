//! Ticketbooth's domain: the data a ticket system keeps and every decision made about it, free of I/O.
//!
//! Discord and database calls live in other crates; everything here is a pure function of its
//! inputs so each rule can be unit-tested.

pub mod model;
pub mod naming;

pub use model::*;
