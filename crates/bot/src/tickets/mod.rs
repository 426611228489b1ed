//! The ticket lifecycle on Discord: opening, actions in open tickets, closing, delayed deletion
//! and repair after crashes.

pub mod actions;
pub mod capture;
pub mod categories;
pub mod close_all;
pub mod guild_names;
pub mod open;
pub mod reconcile;
pub mod staff_access;
pub mod worker;
