//! The end-to-end tests: the bot against the Discord simulator, on SQLite and PostgreSQL.
//!
//! One test binary for all of them, so the workspace links the bot once for its end-to-end
//! tests rather than once per file. `cargo test -p ticketbooth --test e2e lifecycle_open` runs
//! one file's tests.

mod common;
mod hub_support;
mod lifecycle_support;

mod close_all_restart;
mod foundation;
mod hub_manage;
mod hub_setup;
mod hub_topics;
mod jobs;
mod lifecycle_close;
mod lifecycle_concurrency;
mod lifecycle_failures;
mod lifecycle_faults;
mod lifecycle_open;
mod lifecycle_restart;
mod live_capture;
mod metrics;
mod promises;
mod transcripts;
mod walkthrough;
