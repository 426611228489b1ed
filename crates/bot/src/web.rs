//! The web server: `/healthz`, `/metrics` (Prometheus text format, optionally on a listener of
//! its own) and transcripts at signed, unguessable links (`/transcripts/{token}`, or
//! `{token}.txt` for the plain-text version) unless an admin revoked the ticket's links.

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

/// The web application with every route, testable without binding a port.
pub fn app(state: WebState) -> Router {
    public_app(state.clone()).merge(metrics_app(state))
}

/// `/healthz` and the transcript links: what the public listener serves.
pub fn public_app(state: WebState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/transcripts/{token}", get(transcript))
        .with_state(state)
}

/// `/metrics` alone, for a listener of its own (`TICKETBOOTH_METRICS_BIND`).
pub fn metrics_app(state: WebState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
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
    // Checked on every request: a revoked link answers like one that never existed.
    let page = async {
        if state.store.transcript_links_revoked(ticket_id).await? {
            return Ok(None);
        }
        load_transcript(&state, ticket_id, as_text).await
    };
    match page.await {
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

/// Where the web server listens, once bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebAddrs {
    /// `/healthz` and transcripts, and `/metrics` unless it has its own listener.
    pub public: SocketAddr,
    /// `/metrics`, when `TICKETBOOTH_METRICS_BIND` gives it a listener of its own.
    pub metrics: Option<SocketAddr>,
}

/// Serves the app on `bind` until `shutdown` is cancelled; with `metrics_bind`, `/metrics` is
/// served there instead of on `bind`, so the public listener of transcript links does not show
/// it. Returns the bound addresses at once.
pub async fn serve(
    bind: SocketAddr,
    metrics_bind: Option<SocketAddr>,
    state: WebState,
    shutdown: CancellationToken,
) -> anyhow::Result<(WebAddrs, tokio::task::JoinHandle<()>)> {
    let (public_router, metrics_router) = match metrics_bind {
        Some(_) => (public_app(state.clone()), Some(metrics_app(state))),
        None => (app(state), None),
    };
    let (public, public_task) = listen(bind, public_router, "web", shutdown.clone()).await?;
    let (metrics, metrics_task) = match (metrics_bind, metrics_router) {
        (Some(bind), Some(router)) => {
            let (addr, task) = listen(bind, router, "metrics", shutdown).await?;
            (Some(addr), Some(task))
        }
        _ => (None, None),
    };
    let handle = tokio::spawn(async move {
        let _ = public_task.await;
        if let Some(task) = metrics_task {
            let _ = task.await;
        }
    });
    Ok((WebAddrs { public, metrics }, handle))
}

async fn listen(
    bind: SocketAddr,
    router: Router,
    what: &'static str,
    shutdown: CancellationToken,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    use anyhow::Context as _;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind} for the {what} server"))?;
    let addr = listener.local_addr()?;
    let handle = tokio::spawn(async move {
        let server = axum::serve(listener, router)
            .with_graceful_shutdown(async move { shutdown.cancelled().await });
        if let Err(error) = server.await {
            tracing::error!(error = %error, server = what, "web server stopped");
        }
    });
    Ok((addr, handle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use chrono::{DateTime, Duration as Days, TimeZone as _};
    use ticketbooth_store::{NewTranscript, Reservation, ReserveTicket};
    use ticketbooth_transcript::{CapturedMessage, compress};
    use tower::ServiceExt as _;

    const SECRET: &[u8] = b"a test secret of at least 32 bytes!!";
    const GUILD: u64 = 10;

    fn message(content: &str) -> CapturedMessage {
        CapturedMessage {
            id: 1,
            author_id: 5,
            author_name: "ana".into(),
            author_display: None,
            author_avatar: None,
            author_bot: false,
            content: content.into(),
            timestamp: Utc.with_ymd_and_hms(2026, 11, 22, 5, 0, 0).unwrap(),
            edited_timestamp: None,
            embeds: Vec::new(),
            attachments: Vec::new(),
            reply_to: None,
            mentions: Vec::new(),
            mention_roles: Vec::new(),
            original_content: None,
            deleted_at: None,
            components: Vec::new(),
        }
    }

    /// A migrated SQLite store in a fresh file, holding one ticket with a transcript.
    async fn state_with_transcript() -> (WebState, i64) {
        let path = std::env::temp_dir().join(format!(
            "tb-web-{}-{:08x}.db",
            std::process::id(),
            rand::random::<u32>()
        ));
        let store = ticketbooth_store::connect(&format!("sqlite:{}", path.display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let Reservation::Reserved(ticket) = store
            .reserve_ticket(ReserveTicket {
                guild_id: GUILD,
                owner_id: 5,
                owner_name: "ana".into(),
                topic: None,
                random_suffix: "abcdef".into(),
                now: Utc::now(),
            })
            .await
            .unwrap()
        else {
            panic!("refused")
        };
        let messages = [message("my <script>alert(1)</script> printer is on fire")];
        store
            .save_transcript(NewTranscript {
                ticket_id: ticket.id,
                format: ticketbooth_transcript::FORMAT.into(),
                data: compress(&messages),
                message_count: 1,
                created_at: Utc::now(),
            })
            .await
            .unwrap();
        let state = WebState {
            health: Arc::new(Health::default()),
            store,
            metrics: Arc::new(Metrics::default()),
            links: LinkSigner::new(SECRET),
        };
        (state, ticket.id)
    }

    async fn get(state: &WebState, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = app(state.clone())
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = to_bytes(response.into_body(), 1 << 24).await.unwrap();
        (status, headers, String::from_utf8(body.to_vec()).unwrap())
    }

    fn later() -> DateTime<Utc> {
        Utc::now() + Days::days(1)
    }

    #[tokio::test]
    async fn signed_link_serves_the_escaped_page_with_private_headers() {
        let (state, id) = state_with_transcript().await;
        let token = state.links.sign(id, Some(later()));
        let (status, headers, body) = get(&state, &format!("/transcripts/{token}")).await;
        assert_eq!(status, StatusCode::OK);
        for (name, value) in HTML_HEADERS {
            assert_eq!(headers[name], value, "{name}");
        }
        assert!(body.contains("printer is on fire"), "{body}");
        assert!(!body.contains("<script>alert(1)"), "unescaped user text");

        let (status, headers, body) = get(&state, &format!("/transcripts/{token}.txt")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
        assert_eq!(headers["cache-control"], "no-store, private");
        assert!(body.contains("printer is on fire"), "{body}");
    }

    #[tokio::test]
    async fn wrong_tampered_and_expired_links_get_404() {
        let (state, id) = state_with_transcript().await;
        let good = state.links.sign(id, Some(later()));
        let mut tampered = good.clone().into_bytes();
        tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        let expired = state.links.sign(id, Some(Utc::now() - Days::seconds(1)));
        let other_secret = LinkSigner::new(b"another secret, also 32 bytes long").sign(id, None);
        let no_transcript = state.links.sign(id + 1000, None);
        for token in [
            tampered.as_str(),
            expired.as_str(),
            other_secret.as_str(),
            no_transcript.as_str(),
            "nonsense",
        ] {
            let (status, headers, body) = get(&state, &format!("/transcripts/{token}")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{token}");
            assert_eq!(headers["cache-control"], "no-store, private");
            assert!(!body.contains("printer"), "{body}");
        }
        // The control: the untampered token still works, so the 404s above are the tampering.
        assert_eq!(
            get(&state, &format!("/transcripts/{good}")).await.0,
            StatusCode::OK
        );
    }

    #[tokio::test]
    async fn metrics_parse_as_prometheus_text() {
        let (state, _) = state_with_transcript().await;
        state
            .metrics
            .record_ack(std::time::Duration::from_millis(120), true);
        state
            .metrics
            .record_ack(std::time::Duration::from_millis(2700), false);
        let (status, headers, body) = get(&state, "/metrics").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-type"], METRICS_CONTENT_TYPE);
        let lines = body.lines().map(|l| Ok(l.to_owned()));
        let scrape = prometheus_parse::Scrape::parse(lines).expect("valid exposition");
        let value = |name: &str| {
            scrape
                .samples
                .iter()
                .find(|s| s.metric == name)
                .map(|s| s.value.clone())
                .unwrap_or_else(|| panic!("{name} missing from\n{body}"))
        };
        assert!(matches!(
            value("ticketbooth_interactions_total"),
            prometheus_parse::Value::Counter(n) if n == 2.0
        ));
        assert!(matches!(
            value("ticketbooth_interaction_ack_failures_total"),
            prometheus_parse::Value::Counter(n) if n == 1.0
        ));
        match value("ticketbooth_interaction_ack_seconds") {
            prometheus_parse::Value::Histogram(buckets) => {
                let at = |le: f64| buckets.iter().find(|b| b.less_than == le).unwrap().count;
                assert_eq!(at(0.25), 1.0);
                assert_eq!(at(3.0), 2.0);
            }
            other => panic!("not a histogram: {other:?}"),
        }
        assert!(matches!(
            value("ticketbooth_database_size_bytes"),
            prometheus_parse::Value::Gauge(n) if n > 0.0
        ));
    }
}
