//! Rate limits and fault injection: the pure decisions, then the axum layers over HTTP.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::routing::{any, patch, post};
use http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use ticketbooth_sim::faults::{self, FaultKind, FaultRule, Faults, Trigger};
use ticketbooth_sim::ratelimit::{
    self, Decision, GLOBAL_LIMIT, Limited, RENAME_PERIOD, RateLimits, Scope, major_parameter,
    normalize_template,
};
use tower::ServiceExt;

const TOKEN: &str = "Bot test";
const MESSAGES: &str = "/channels/{channel_id}/messages";
const CHANNEL: &str = "/channels/{channel_id}";

fn create_message(limits: &RateLimits, now: Instant, channel: &str) -> Decision {
    limits.check(now, TOKEN, &Method::POST, MESSAGES, channel, false)
}

fn limited(decision: Decision) -> Limited {
    match decision {
        Decision::Limited(limited) => limited,
        Decision::Allow(bucket) => panic!("expected a 429, got Allow({bucket:?})"),
    }
}

fn allowed(decision: Decision) -> ratelimit::BucketState {
    match decision {
        Decision::Allow(Some(bucket)) => bucket,
        other => panic!("expected Allow with a bucket, got {other:?}"),
    }
}

#[test]
fn switched_off_counts_in_headers_but_never_refuses() {
    let limits = RateLimits::new();
    let now = Instant::now();
    let remaining: Vec<u32> = (0..8)
        .map(|_| allowed(create_message(&limits, now, "1")).remaining)
        .collect();
    assert_eq!(remaining, vec![4, 3, 2, 1, 0, 0, 0, 0]);
    assert_eq!(limits.rate_limited_count(), 0);
}

#[test]
fn message_bucket_is_per_channel_and_resets() {
    let limits = RateLimits::new();
    limits.set_enabled(true);
    let start = Instant::now();
    for expected in (0..5).rev() {
        assert_eq!(
            allowed(create_message(&limits, start, "1")).remaining,
            expected
        );
    }
    let refused = limited(create_message(&limits, start + Duration::from_secs(1), "1"));
    assert_eq!(refused.scope, Scope::User);
    assert_eq!(refused.retry_after, Duration::from_secs(4));
    assert_eq!(refused.bucket.as_ref().map(|b| b.remaining), Some(0));
    allowed(create_message(&limits, start, "2"));
    allowed(create_message(&limits, start + Duration::from_secs(5), "1"));
    assert_eq!(limits.rate_limited_count(), 1);
}

#[test]
fn global_limit_is_fifty_per_second_and_spares_interactions() {
    let limits = RateLimits::new();
    limits.set_enabled(true);
    let now = Instant::now();
    // Spread over channels so no route bucket is hit first.
    for i in 0..GLOBAL_LIMIT {
        allowed(create_message(&limits, now, &(i / 4).to_string()));
    }
    let refused = limited(create_message(&limits, now, "999"));
    assert_eq!(refused.scope, Scope::Global);
    assert_eq!(refused.body()["global"], true);
    let callback = "/interactions/{interaction.id}/{interaction.token}/callback";
    allowed(limits.check(now, TOKEN, &Method::POST, callback, "", false));
    // Another bot has its own global budget.
    allowed(limits.check(now, "Bot other", &Method::POST, MESSAGES, "999", false));
    allowed(create_message(&limits, now + Duration::from_secs(1), "999"));
}

#[test]
fn two_renames_per_ten_minutes_per_channel() {
    let limits = RateLimits::new();
    limits.set_enabled(true);
    let start = Instant::now();
    let rename = |at: Duration, channel: &str| {
        limits.check(start + at, TOKEN, &Method::PATCH, CHANNEL, channel, true)
    };
    allowed(rename(Duration::ZERO, "7"));
    allowed(rename(Duration::from_secs(10), "7"));
    let refused = limited(rename(Duration::from_secs(20), "7"));
    assert_eq!(refused.retry_after, RENAME_PERIOD - Duration::from_secs(20));
    // Other changes to the channel and renames of other channels go through.
    allowed(limits.check(
        start + Duration::from_secs(20),
        TOKEN,
        &Method::PATCH,
        CHANNEL,
        "7",
        false,
    ));
    allowed(rename(Duration::from_secs(21), "8"));
    allowed(rename(RENAME_PERIOD, "7"));
}

#[test]
fn templates_and_major_parameters() {
    assert_eq!(
        normalize_template("/channels/{channel.id}/messages/{message.id}"),
        "/channels/{channel_id}/messages/{message_id}"
    );
    assert_eq!(normalize_template(MESSAGES), MESSAGES);
    assert_eq!(
        major_parameter("/channels/{channel.id}/messages", "/channels/42/messages"),
        "42"
    );
    assert_eq!(
        major_parameter(
            "/guilds/{guild_id}/members/{user_id}",
            "/guilds/9/members/3"
        ),
        "9"
    );
    assert_eq!(
        major_parameter(
            "/webhooks/{application.id}/{interaction.token}/messages/@original",
            "/webhooks/5/tok/messages/@original"
        ),
        "5/tok"
    );
    assert_eq!(major_parameter("/users/@me", "/users/@me"), "");
}

async fn read(
    response: axum::response::Response,
) -> (StatusCode, http::HeaderMap, serde_json::Value) {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, headers, json)
}

#[tokio::test]
async fn limited_renders_discords_429() {
    let response = axum::response::IntoResponse::into_response(Limited {
        scope: Scope::User,
        retry_after: Duration::from_millis(1500),
        bucket: None,
    });
    let (status, headers, body) = read(response).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["retry-after"], "2");
    assert_eq!(headers["x-ratelimit-scope"], "user");
    assert!(headers.get("x-ratelimit-global").is_none());
    assert_eq!(
        body,
        serde_json::json!({"message": "You are being rate limited.", "retry_after": 1.5, "global": false, "code": 0})
    );
}

fn app(limits: RateLimits, faults: Faults) -> Router {
    Router::new()
        .route(
            "/api/v10/channels/{channel_id}/messages",
            post(|| async { "sent" }),
        )
        .route(
            "/api/v10/channels/{channel_id}",
            patch(|body: String| async move { body }),
        )
        .route(
            "/api/v10/guilds/{guild_id}/channels",
            any(|| async { "ok" }),
        )
        .layer(axum::middleware::from_fn_with_state(
            limits,
            ratelimit::middleware,
        ))
        .layer(axum::middleware::from_fn_with_state(
            faults,
            faults::middleware,
        ))
}

fn request(method: Method, uri: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", TOKEN)
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn middleware_sends_headers_and_429s_over_http() {
    let limits = RateLimits::new();
    let app = app(limits.clone(), Faults::with_seed(1));
    let send = |app: Router| async move {
        read(
            app.oneshot(request(Method::POST, "/api/v10/channels/5/messages", "{}"))
                .await
                .unwrap(),
        )
        .await
    };
    let (status, headers, _) = send(app.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-ratelimit-limit"], "5");
    assert_eq!(headers["x-ratelimit-remaining"], "4");
    assert!(headers.contains_key("x-ratelimit-bucket"));
    assert!(headers.contains_key("x-ratelimit-reset-after"));

    limits.set_enabled(true);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(send(app.clone()).await.0.as_u16());
    }
    assert_eq!(statuses, vec![200, 200, 200, 200, 429]);
    let (_, headers, body) = send(app.clone()).await;
    assert_eq!(headers["x-ratelimit-scope"], "user");
    assert_eq!(body["global"], false);
    assert_eq!(limits.rate_limited_count(), 2);
}

#[tokio::test]
async fn middleware_charges_renames_from_the_body_and_keeps_it() {
    let limits = RateLimits::new();
    limits.set_enabled(true);
    let app = app(limits.clone(), Faults::with_seed(1));
    let rename = |name: &str| {
        request(
            Method::PATCH,
            "/api/v10/channels/9",
            &format!("{{\"name\":\"{name}\"}}"),
        )
    };
    for name in ["a", "b"] {
        let (status, _, _) = read(app.clone().oneshot(rename(name)).await.unwrap()).await;
        assert_eq!(status, StatusCode::OK);
    }
    // The handler still sees the body the middleware looked into.
    let response = app
        .clone()
        .oneshot(request(
            Method::PATCH,
            "/api/v10/channels/9",
            "{\"position\":3}",
        ))
        .await
        .unwrap();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&bytes[..], b"{\"position\":3}");
    let (status, headers, body) = read(app.oneshot(rename("c")).await.unwrap()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let retry: f64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 590.0 && retry <= 600.0, "{retry}");
    assert!(body["retry_after"].as_f64().unwrap() > 590.0);
}

#[test]
fn next_n_faults_fire_exactly_n_times() {
    let faults = Faults::with_seed(7);
    let id = faults.add(FaultRule::status(
        Some(Method::POST),
        "/channels/{channel.id}/messages",
        503,
        Trigger::NextN(2),
    ));
    assert!(
        faults.decide(&Method::GET, MESSAGES).is_none(),
        "other method"
    );
    assert!(
        faults
            .decide(&Method::POST, "/guilds/{guild_id}/channels")
            .is_none()
    );
    let fired: Vec<bool> = (0..4)
        .map(|_| faults.decide(&Method::POST, MESSAGES).is_some())
        .collect();
    assert_eq!(fired, vec![true, true, false, false]);
    assert_eq!(faults.injected_count(), 2);
    assert_eq!(faults.injected_by(id), Some(2));
    assert!(faults.remove(id));
    assert!(!faults.remove(id));
}

#[test]
fn fractions_are_honoured() {
    let faults = Faults::with_seed(42);
    faults.add(FaultRule::status(
        None,
        "/channels/*",
        500,
        Trigger::Fraction(0.3),
    ));
    let hits = (0..2000)
        .filter(|_| {
            faults
                .decide(&Method::GET, "/channels/{channel_id}")
                .is_some()
        })
        .count();
    assert!((450..=750).contains(&hits), "{hits} of 2000 at 0.3");
    faults.clear();
    faults.add(FaultRule::status(None, "*", 502, Trigger::Fraction(0.0)));
    assert!((0..500).all(|_| faults.decide(&Method::GET, "/users/@me").is_none()));
    faults.add(FaultRule::status(None, "*", 502, Trigger::Fraction(1.0)));
    assert!((0..500).all(|_| faults.decide(&Method::GET, "/users/@me").is_some()));
}

#[tokio::test]
async fn faults_answer_over_http_with_latency() {
    let faults = Faults::with_seed(3);
    let app = app(RateLimits::new(), faults.clone());
    faults.add(
        FaultRule::status(None, "/guilds/{guild_id}/channels", 502, Trigger::NextN(1))
            .with_latency(Duration::from_millis(150)),
    );
    faults.add(FaultRule::rate_limited(
        Some(Method::POST),
        MESSAGES,
        Duration::from_secs(3),
        Trigger::NextN(1),
    ));
    let started = Instant::now();
    let (status, _, body) = read(
        app.clone()
            .oneshot(request(Method::POST, "/api/v10/guilds/1/channels", "{}"))
            .await
            .unwrap(),
    )
    .await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(body["message"], "502: Bad Gateway");
    let (status, _, _) = read(
        app.clone()
            .oneshot(request(Method::POST, "/api/v10/guilds/1/channels", "{}"))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the rule fired once only");
    let (status, headers, body) = read(
        app.oneshot(request(Method::POST, "/api/v10/channels/1/messages", "{}"))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["retry-after"], "3");
    assert_eq!(body["retry_after"], 3.0);
    assert_eq!(faults.injected_count(), 2);
    assert!(matches!(
        FaultKind::Status(503).response().status(),
        StatusCode::SERVICE_UNAVAILABLE
    ));
}
