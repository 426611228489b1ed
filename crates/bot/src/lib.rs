//! Ticketbooth's Discord glue: configuration, the gateway, one interaction router and responder,
//! command registration, and the web server. Decisions live in `ticketbooth-core`; this crate
//! performs them against Discord and the store.

pub mod app;
pub mod config;
pub mod ctx;
pub mod delivery;
pub mod discord;
pub mod events;
pub mod handlers;
pub mod health;
pub mod hub;
pub mod invite;
pub mod invocation;
pub mod logging;
pub mod metrics;
pub mod registration;
pub mod responder;
pub mod rest;
pub mod retry;
pub mod router;
pub mod stats;
pub mod tickets;
pub mod views;
pub mod web;
