//! The web server: `/healthz` now; transcripts and `/metrics` hang off the same router later.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use serde_json::json;
use ticketbooth_store::Store;
use tokio_util::sync::CancellationToken;

use crate::health::Health;

/// What the web handlers share.
#[derive(Clone)]
pub struct WebState {
    pub health: Arc<Health>,
    pub store: Arc<dyn Store>,
}

/// The web application, testable without binding a port.
pub fn app(state: WebState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .with_state(state)
}

/// 200 once every shard is connected and the database answers; 503 with the reason otherwise.
async fn healthz(State(state): State<WebState>) -> (StatusCode, Json<serde_json::Value>) {
    let (up, total) = state.health.shards();
    let database = tokio::time::timeout(Duration::from_secs(2), state.store.ping()).await;
    let database_ok = matches!(database, Ok(Ok(())));
    let ready = state.health.gateway_ready() && database_ok;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ready { "ok" } else { "unavailable" },
        "gateway": { "shards_connected": up, "shards": total },
        "database": if database_ok { "ok" } else { "unreachable" },
    });
    (status, Json(body))
}

/// Serves the app on `bind` until `shutdown` is cancelled; returns the bound address at once.
pub async fn serve(
    bind: SocketAddr,
    state: WebState,
    shutdown: CancellationToken,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    use anyhow::Context as _;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind} for the web server"))?;
    let addr = listener.local_addr()?;
    let handle = tokio::spawn(async move {
        let server = axum::serve(listener, app(state))
            .with_graceful_shutdown(async move { shutdown.cancelled().await });
        if let Err(error) = server.await {
            tracing::error!(error = %error, "web server stopped");
        }
    });
    Ok((addr, handle))
}
