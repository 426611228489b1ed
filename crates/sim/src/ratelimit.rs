//! Discord-like rate limits for the simulator: per-route buckets keyed by the major parameter,
//! the global 50 requests per second per bot, and the undocumented 2 channel renames per 10
//! minutes per channel.
//!
//! How to use it: a handler that routes by itself (one catch-all route) calls the pure
//! [`RateLimits::check`] before doing the work, answers [`Limited`] as the response when
//! refused, and otherwise writes [`BucketState::write_headers`] into its response. Route
//! templates may be written either way (`{channel.id}` or `{channel_id}`). A router with one
//! route per template can instead use [`middleware`], added with
//! `router.layer(axum::middleware::from_fn_with_state(limits.clone(), ratelimit::middleware))`.
//! It needs axum's `MatchedPath` (present for every routed request when the layer is added with
//! `Router::layer`), strips the `/api/v10` prefix to get the route template, reads the major
//! parameter from the path, and for `PATCH /channels/{channel_id}` looks into the JSON body: a
//! body that sets `name` or `topic` counts as a rename (the simulator does not compare with
//! the current value, so a bot that re-sends an unchanged name is charged, which errs on the
//! strict side). Headers are always sent; refusals (429) only while the limits are switched on
//! ([`RateLimits::set_enabled`]), which they are not by default.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::json;

/// The prefix of Discord's REST routes in the simulator.
pub const API_PREFIX: &str = "/api/v10";

/// Requests per second a bot may make across all routes.
pub const GLOBAL_LIMIT: u32 = 50;
/// Channel renames (name or topic changes) allowed per channel in [`RENAME_PERIOD`].
pub const RENAME_LIMIT: u32 = 2;
/// The window of the rename limit.
pub const RENAME_PERIOD: Duration = Duration::from_secs(600);

/// Who a 429 is charged to, as in `X-RateLimit-Scope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A per-bot route limit.
    User,
    /// The per-bot global limit.
    Global,
    /// A per-resource limit shared by everyone.
    Shared,
}

impl Scope {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Global => "global",
            Scope::Shared => "shared",
        }
    }
}

/// The state of the bucket a request was counted in, for the `X-RateLimit-*` headers.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketState {
    /// The bucket's id (`X-RateLimit-Bucket`), the same for every major parameter.
    pub bucket: String,
    /// Requests the bucket allows per window.
    pub limit: u32,
    /// Requests left in the current window.
    pub remaining: u32,
    /// Time until the window resets.
    pub reset_after: Duration,
}

/// A refusal: the 429 to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Limited {
    /// Which limit was hit.
    pub scope: Scope,
    /// How long the bot must wait.
    pub retry_after: Duration,
    /// The route bucket, if the request had one (a global refusal has none).
    pub bucket: Option<BucketState>,
}

/// The outcome of [`RateLimits::check`].
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Go ahead; send these headers with the response.
    Allow(Option<BucketState>),
    /// Answer 429.
    Limited(Limited),
}

/// A route's limit: `limit` requests per `period`, in bucket `bucket`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteLimit {
    /// The bucket id sent in `X-RateLimit-Bucket`.
    pub bucket: &'static str,
    /// Requests per window.
    pub limit: u32,
    /// The window.
    pub period: Duration,
}

const fn per(bucket: &'static str, limit: u32, seconds: u64) -> RouteLimit {
    RouteLimit {
        bucket,
        limit,
        period: Duration::from_secs(seconds),
    }
}

/// The simulator's route limits. Discord publishes none of them and says not to hard-code
/// them; these have the shape of what it sends (small windows, per major parameter), with
/// message creation at the commonly observed 5 per 5 seconds per channel.
pub fn route_limit(method: &Method, route: &str) -> RouteLimit {
    match (method.as_str(), route) {
        ("POST", "/channels/{channel_id}/messages") => per("b1c9e5d0a1msgcreate", 5, 5),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}") => per("b2c9e5d0a1msgedit", 5, 5),
        ("DELETE", "/channels/{channel_id}/messages/{message_id}") => {
            per("b3c9e5d0a1msgdelete", 5, 5)
        }
        ("POST", "/channels/{channel_id}/messages/bulk-delete") => per("b4c9e5d0a1bulkdel", 1, 1),
        ("GET", "/channels/{channel_id}/messages") => per("b5c9e5d0a1msglist", 5, 5),
        ("PATCH", "/channels/{channel_id}") | ("DELETE", "/channels/{channel_id}") => {
            per("b6c9e5d0a1channel", 5, 5)
        }
        ("PUT", "/channels/{channel_id}/permissions/{overwrite_id}")
        | ("DELETE", "/channels/{channel_id}/permissions/{overwrite_id}") => {
            per("b7c9e5d0a1overwrite", 10, 10)
        }
        ("POST", "/guilds/{guild_id}/channels") => per("b8c9e5d0a1chcreate", 10, 10),
        ("POST", "/users/@me/channels") => per("b9c9e5d0a1dmopen", 5, 5),
        ("PUT", path) if path.starts_with("/applications/") && path.ends_with("/commands") => {
            per("bac9e5d0a1cmdbulk", 2, 10)
        }
        (_, path) if path.starts_with("/interactions/") => per("bbc9e5d0a1callback", 5, 5),
        (_, path) if path.starts_with("/webhooks/") => per("bcc9e5d0a1webhook", 5, 2),
        _ => per("bfc9e5d0a1default", 10, 1),
    }
}

/// True for the interaction endpoints, which Discord exempts from the global limit: the
/// callback and the interaction webhooks (edits of `@original` and follow-ups).
pub fn exempt_from_global(route: &str) -> bool {
    route.starts_with("/interactions/") || route.starts_with("/webhooks/")
}

/// A fixed window: `used` requests since `started`.
#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    used: u32,
}

impl Window {
    /// Counts a request if the window has room; the window restarts when its period is over.
    fn try_take(&mut self, now: Instant, limit: u32, period: Duration) -> Result<u32, Duration> {
        if now.saturating_duration_since(self.started) >= period {
            self.started = now;
            self.used = 0;
        }
        let reset_after = period.saturating_sub(now.saturating_duration_since(self.started));
        if self.used >= limit {
            return Err(reset_after);
        }
        self.used += 1;
        Ok(limit - self.used)
    }

    fn reset_after(&self, now: Instant, period: Duration) -> Duration {
        period.saturating_sub(now.saturating_duration_since(self.started))
    }
}

#[derive(Debug, Default)]
struct Shared {
    global: HashMap<String, Window>,
    buckets: HashMap<(String, String, String), Window>,
    renames: HashMap<String, Window>,
}

/// The simulator's rate-limit state, shared by every request (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct RateLimits {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    enabled: AtomicBool,
    limited: AtomicU64,
    state: Mutex<Shared>,
}

impl RateLimits {
    /// Limits switched off: headers are sent, nothing is refused.
    pub fn new() -> Self {
        Self::default()
    }

    /// Switches the 429s on or off at runtime.
    pub fn set_enabled(&self, enabled: bool) {
        self.inner.enabled.store(enabled, Ordering::SeqCst);
    }

    /// Whether 429s are being given.
    pub fn enabled(&self) -> bool {
        self.inner.enabled.load(Ordering::SeqCst)
    }

    /// How many 429s the bot has provoked.
    pub fn rate_limited_count(&self) -> u64 {
        self.inner.limited.load(Ordering::SeqCst)
    }

    /// Forgets every window (the count of 429s is kept).
    pub fn reset(&self) {
        *self.state() = Shared::default();
    }

    fn state(&self) -> MutexGuard<'_, Shared> {
        // A panic elsewhere while holding the lock leaves plain counters behind: still usable.
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Decides one request and counts it.
    ///
    /// `token` identifies the bot (its `Authorization` header); `route` is the template
    /// without the `/api/v10` prefix (`/channels/{channel_id}/messages`); `major` is the value
    /// of the route's major parameter (channel, guild or webhook id, empty when it has none);
    /// `is_rename` says a `PATCH /channels/{channel_id}` changes the name or topic.
    pub fn check(
        &self,
        now: Instant,
        token: &str,
        method: &Method,
        route: &str,
        major: &str,
        is_rename: bool,
    ) -> Decision {
        let route = &normalize_template(route);
        let enabled = self.enabled();
        let limit = route_limit(method, route);
        let mut state = self.state();

        if enabled && !exempt_from_global(route) {
            let window = state.global.entry(token.to_owned()).or_insert(Window {
                started: now,
                used: 0,
            });
            if let Err(retry_after) = window.try_take(now, GLOBAL_LIMIT, Duration::from_secs(1)) {
                drop(state);
                return self.refuse(Limited {
                    scope: Scope::Global,
                    retry_after,
                    bucket: None,
                });
            }
        }

        let key = (token.to_owned(), limit.bucket.to_owned(), major.to_owned());
        let window = state.buckets.entry(key).or_insert(Window {
            started: now,
            used: 0,
        });
        let taken = window.try_take(now, limit.limit, limit.period);
        let bucket = BucketState {
            bucket: limit.bucket.to_owned(),
            limit: limit.limit,
            remaining: *taken.as_ref().unwrap_or(&0),
            reset_after: window.reset_after(now, limit.period),
        };
        if let Err(retry_after) = taken {
            if enabled {
                drop(state);
                return self.refuse(Limited {
                    scope: Scope::User,
                    retry_after,
                    bucket: Some(bucket),
                });
            }
            // Switched off: the window stays full and the request goes through.
        }

        if is_rename {
            let window = state.renames.entry(major.to_owned()).or_insert(Window {
                started: now,
                used: 0,
            });
            if let Err(retry_after) = window.try_take(now, RENAME_LIMIT, RENAME_PERIOD)
                && enabled
            {
                drop(state);
                return self.refuse(Limited {
                    scope: Scope::User,
                    retry_after,
                    bucket: Some(bucket),
                });
            }
        }
        Decision::Allow(Some(bucket))
    }

    fn refuse(&self, limited: Limited) -> Decision {
        self.inner.limited.fetch_add(1, Ordering::SeqCst);
        Decision::Limited(limited)
    }
}

fn seconds(duration: Duration) -> f64 {
    // Discord sends millisecond precision.
    (duration.as_secs_f64() * 1000.0).round() / 1000.0
}

fn header(value: impl ToString) -> HeaderValue {
    HeaderValue::from_str(&value.to_string()).unwrap_or_else(|_| HeaderValue::from_static("0"))
}

impl BucketState {
    /// Writes `X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket`.
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        let reset_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            + self.reset_after;
        headers.insert("x-ratelimit-limit", header(self.limit));
        headers.insert("x-ratelimit-remaining", header(self.remaining));
        headers.insert(
            "x-ratelimit-reset",
            header(format!("{:.3}", reset_at.as_secs_f64())),
        );
        headers.insert(
            "x-ratelimit-reset-after",
            header(format!("{:.3}", seconds(self.reset_after))),
        );
        headers.insert("x-ratelimit-bucket", header(&self.bucket));
    }
}

impl Limited {
    /// Discord's 429 body.
    pub fn body(&self) -> serde_json::Value {
        let message = match self.scope {
            Scope::Shared => "The resource is being rate limited.",
            Scope::User | Scope::Global => "You are being rate limited.",
        };
        // The documentation marks `code` optional; the OpenAPI spec requires it, so it is sent
        // (0, as for other errors that have no specific code) and both are satisfied.
        json!({
            "message": message,
            "retry_after": seconds(self.retry_after),
            "global": self.scope == Scope::Global,
            "code": 0,
        })
    }
}

impl IntoResponse for Limited {
    fn into_response(self) -> Response {
        let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(self.body())).into_response();
        let headers = response.headers_mut();
        // Retry-After is whole seconds, rounded up so a bot that obeys it is never early.
        headers.insert(
            "retry-after",
            header(self.retry_after.as_secs_f64().ceil() as u64),
        );
        headers.insert(
            "x-ratelimit-scope",
            HeaderValue::from_static(self.scope.as_str()),
        );
        if self.scope == Scope::Global {
            headers.insert("x-ratelimit-global", HeaderValue::from_static("true"));
        }
        if let Some(bucket) = &self.bucket {
            bucket.write_headers(headers);
        }
        response
    }
}

/// Writes a route template in the OpenAPI spec's form: `{channel.id}` (the documentation's
/// spelling) becomes `{channel_id}`; templates already in that form are unchanged.
pub fn normalize_template(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut in_braces = false;
    for ch in template.chars() {
        match ch {
            '{' => in_braces = true,
            '}' => in_braces = false,
            '.' if in_braces => {
                out.push('_');
                continue;
            }
            _ => {}
        }
        out.push(ch);
    }
    out
}

/// The route template of a matched path, without the API prefix.
pub fn route_template(matched: &str) -> &str {
    matched.strip_prefix(API_PREFIX).unwrap_or(matched)
}

/// The major parameter of a request: the value in `path` under `{channel_id}`, `{guild_id}` or
/// `{webhook_id}` (with the webhook token, which Discord counts as part of it) in `template`.
pub fn major_parameter(template: &str, path: &str) -> String {
    let template = &normalize_template(template);
    let pairs: Vec<(&str, &str)> = template
        .trim_start_matches('/')
        .split('/')
        .zip(path.trim_start_matches('/').split('/'))
        .collect();
    let value_of = |names: &[&str]| {
        pairs
            .iter()
            .find(|(name, _)| names.contains(name))
            .map(|(_, value)| *value)
    };
    if let Some(channel) = value_of(&["{channel_id}"]) {
        return channel.to_owned();
    }
    if let Some(guild) = value_of(&["{guild_id}"]) {
        return guild.to_owned();
    }
    if let Some(webhook) = value_of(&["{webhook_id}", "{application_id}"])
        && template.starts_with("/webhooks/")
    {
        let token = value_of(&["{webhook_token}", "{interaction_token}"]).unwrap_or("");
        return format!("{webhook}/{token}");
    }
    String::new()
}

/// Largest body the middleware reads to look for a rename.
const MAX_PEEK: usize = 1 << 20;

/// The axum middleware: counts each REST request, answers 429 when a limit is hit (limits on),
/// and adds the `X-RateLimit-*` headers to the response otherwise.
pub async fn middleware(
    State(limits): State<RateLimits>,
    request: Request,
    next: Next,
) -> Response {
    let Some(matched) = request.extensions().get::<MatchedPath>().cloned() else {
        return next.run(request).await;
    };
    let template = route_template(matched.as_str()).to_owned();
    let major = major_parameter(&template, route_template(request.uri().path()));
    let method = request.method().clone();
    let token = request
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned();

    let (request, is_rename) = if method == Method::PATCH && template == "/channels/{channel_id}" {
        let (parts, body) = request.into_parts();
        let bytes = match axum::body::to_bytes(body, MAX_PEEK).await {
            Ok(bytes) => bytes,
            Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        };
        let renames = serde_json::from_slice::<serde_json::Value>(&bytes)
            .map(|body| {
                ["name", "topic"]
                    .iter()
                    .any(|key| body.get(key).is_some_and(|v| !v.is_null()))
            })
            .unwrap_or(false);
        (Request::from_parts(parts, Body::from(bytes)), renames)
    } else {
        (request, false)
    };

    match limits.check(
        Instant::now(),
        &token,
        &method,
        &template,
        &major,
        is_rename,
    ) {
        Decision::Limited(limited) => limited.into_response(),
        Decision::Allow(bucket) => {
            let mut response = next.run(request).await;
            if let Some(bucket) = bucket {
                bucket.write_headers(response.headers_mut());
            }
            response
        }
    }
}
