//! The web server: `/healthz`, `/metrics` (Prometheus text format) and transcripts at signed,
//! unguessable links (`/transcripts/{token}`, or `{token}.txt` for the plain-text version).

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderName, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::Utc;
use serde_json::json;
use ticketbooth_store::Store;
use ticketbooth_transcript::{
    Directory, LinkSigner, decode_stored, render_html, render_text,
    serve::{HTML_HEADERS, TEXT_HEADERS},
};
use tokio_util::sync::CancellationToken;

use crate::{health::Health, metrics::Metrics};

/// What the web handlers share.
#[derive(Clone)]
pub struct WebState {
    pub health: Arc<Health>,
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
    /// Checks transcript link tokens (the same signer makes them in [`crate::delivery`]).
    pub links: LinkSigner,
}

/// The web application, testable without binding a port.
pub fn app(state: WebState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/transcripts/{token}", get(transcript))
        .with_state(state)
}

/// The content type Prometheus expects for its text format.
pub const METRICS_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

async fn metrics(State(state): State<WebState>) -> Response {
    let size = tokio::time::timeout(Duration::from_secs(2), state.store.size_bytes()).await;
    let body = state.metrics.render(size.ok().and_then(Result::ok));
    ([(header::CONTENT_TYPE, METRICS_CONTENT_TYPE)], body).into_response()
}

/// A private page's answer when the token is wrong, tampered with or expired, or the ticket has
/// no transcript: the same 404 for all, so a visitor learns nothing about which.
fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [
            (header::CACHE_CONTROL, "no-store, private"),
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        ],
        "Not found\n",
    )
        .into_response()
}

fn with_headers(body: String, headers: &[(&'static str, &'static str)]) -> Response {
    let mut response = body.into_response();
    for (name, value) in headers {
        response.headers_mut().insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    response
}

/// `/transcripts/{token}`: the HTML transcript, or the text one for `{token}.txt`.
async fn transcript(State(state): State<WebState>, Path(token): Path<String>) -> Response {
    let (token, as_text) = match token.strip_suffix(".txt") {
        Some(token) => (token, true),
        None => (token.as_str(), false),
    };
    let Ok(ticket_id) = state.links.verify(token, Utc::now()) else {
        return not_found();
    };
    match load_transcript(&state, ticket_id, as_text).await {
        Ok(Some(page)) => with_headers(
            page,
            if as_text {
                &TEXT_HEADERS
            } else {
                &HTML_HEADERS
            },
        ),
        Ok(None) => not_found(),
        Err(error) => {
            tracing::error!(
                ticket = ticket_id,
                error = format!("{error:#}"),
                "cannot serve a transcript"
            );
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CACHE_CONTROL, "no-store")],
                "The transcript cannot be shown right now.\n",
            )
                .into_response()
        }
    }
}

async fn load_transcript(
    state: &WebState,
    ticket_id: i64,
    as_text: bool,
) -> anyhow::Result<Option<String>> {
    let (Some(stored), Some(ticket)) = (
        state.store.transcript(ticket_id).await?,
        state.store.ticket(ticket_id).await?,
    ) else {
        return Ok(None);
    };
    let settings = state.store.guild_settings(ticket.guild_id).await?;
    let messages = decode_stored(&stored.format, &stored.data)?;
    let info = crate::delivery::ticket_info(&ticket, &settings, "");
    let directory = Directory::new();
    Ok(Some(if as_text {
        render_text(&info, &messages, &directory)
    } else {
        render_html(&info, &messages, &directory)
    }))
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
