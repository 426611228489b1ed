//! The context every handler, job and web route is given: Discord's REST client, the store,
//! configuration, metrics, and the process's shared state. Start-up (`app`) builds it.

use std::{collections::HashMap, future::IntoFuture, sync::Arc};

use tokio_util::{sync::CancellationToken, task::TaskTracker};
use twilight_http::{Client, request::TryIntoRequest, response::Response};
use twilight_model::id::{
    Id,
    marker::{ApplicationMarker, UserMarker},
};

use crate::{config::Config, health::Health};
use ticketbooth_store::Store;

/// What every handler can reach.
pub struct Ctx {
    pub http: Arc<Client>,
    pub store: Arc<dyn Store>,
    pub application_id: Id<ApplicationMarker>,
    pub bot_user_id: Id<UserMarker>,
    pub health: Arc<Health>,
    /// Every handler runs as a task here, so shutdown can wait for them.
    pub tasks: TaskTracker,
    pub config: Config,
    /// This process's counters and histograms, exported at `/metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Signs transcript links (and checks them in the web server).
    pub links: ticketbooth_transcript::LinkSigner,
    /// Per-server locks for rare one-at-a-time work in this process (creating a category).
    pub(crate) guild_locks: std::sync::Mutex<HashMap<u64, Arc<tokio::sync::Mutex<()>>>>,
    /// Server names from GUILD_CREATE, so the DM on opening costs no guild fetch.
    pub guild_names: crate::tickets::guild_names::GuildNames,
    /// Cancelled when shutdown begins, so a handler that only waits to show progress (Close
    /// all) stops waiting rather than hold the shutdown up.
    pub shutdown: CancellationToken,
}

impl Ctx {
    /// Sends a twilight request builder, counted in `/metrics` (see [`crate::rest`]):
    /// `ctx.send(ctx.http.delete_channel(id)).await`.
    pub async fn send<R, T>(&self, builder: R) -> Result<Response<T>, twilight_http::Error>
    where
        R: TryIntoRequest + IntoFuture<Output = Result<Response<T>, twilight_http::Error>>,
        T: Unpin,
    {
        crate::rest::send(&self.http, &self.metrics, builder).await
    }

    /// The lock serialising this process's category creation in one server.
    pub fn guild_lock(&self, guild_id: u64) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.guild_locks.lock().expect("guild locks");
        locks.entry(guild_id).or_default().clone()
    }
}
