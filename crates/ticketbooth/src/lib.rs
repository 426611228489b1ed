//! The pieces of the `ticketbooth` binary that tests share: a sandbox that runs the bot against
//! the local Discord simulator on a throwaway database.

pub mod demo;
pub mod drive;
pub mod jobs;
pub mod sandbox;
