//! Fault injection for reliability tests: rules set at runtime that answer chosen REST routes
//! with 5xx or 429 (before the request takes effect, or a 5xx after it did), or slow them down,
//! and count what they injected.
//!
//! The decision is the pure [`Faults::decide`], which a handler that routes by itself calls
//! first (sleep for [`Fault::latency`], then answer [`FaultKind::response`] if there is one);
//! a router with one route per template can instead use [`middleware`], added with
//! `router.layer(axum::middleware::from_fn_with_state(faults.clone(), faults::middleware))`
//! (like the rate-limit layer, it reads axum's `MatchedPath` and strips `/api/v10`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::ratelimit::{Limited, Scope, normalize_template, route_template};

/// What a matching request gets instead of (or before) its real answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FaultKind {
    /// A server error: 500, 502 or 503 (any 5xx is accepted).
    Status(u16),
    /// A server error answered after the request took effect, as Discord does when its edge
    /// fails after the backend committed (a 502 or a 504 whose message or channel exists all
    /// the same): the real handler runs, its answer is replaced.
    StatusAfterEffect(u16),
    /// A 429 with Discord's body and headers.
    RateLimited {
        /// The `retry_after` to announce.
        retry_after: Duration,
        /// Whether it claims to be the global limit.
        global: bool,
    },
    /// No error: only the rule's latency is added.
    LatencyOnly,
    /// No error: the request waits until the rule is released ([`Faults::release`]) or
    /// removed, then goes on to its real answer. A test holds a call in flight this way to act
    /// while it is, whatever the machine's speed.
    Held,
}

/// Which matching requests a rule hits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    /// Each matching request with this probability (clamped to 0.0..=1.0).
    Fraction(f64),
    /// The next `n` matching requests, then none.
    NextN(u32),
}

/// One fault rule.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// The method it applies to; `None` for every method.
    pub method: Option<Method>,
    /// The route template (`/channels/{channel_id}/messages`; `{channel.id}` is read the same
    /// way by the constructors), or a prefix ending in `*`
    /// (`/channels/*`), or `*` for every route.
    pub route: String,
    /// The answer.
    pub kind: FaultKind,
    /// Which requests.
    pub trigger: Trigger,
    /// Added before answering (before the real handler when `kind` is `LatencyOnly`).
    pub latency: Duration,
}

impl FaultRule {
    /// A rule answering `status` to `method route` for the requests `trigger` picks.
    pub fn status(method: Option<Method>, route: &str, status: u16, trigger: Trigger) -> Self {
        FaultRule {
            method,
            route: normalize_template(route),
            kind: FaultKind::Status(status),
            trigger,
            latency: Duration::ZERO,
        }
    }

    /// A rule answering `status` to `method route` after the request took effect.
    pub fn status_after_effect(
        method: Option<Method>,
        route: &str,
        status: u16,
        trigger: Trigger,
    ) -> Self {
        FaultRule {
            method,
            route: normalize_template(route),
            kind: FaultKind::StatusAfterEffect(status),
            trigger,
            latency: Duration::ZERO,
        }
    }

    /// A rule answering 429 with `retry_after`.
    pub fn rate_limited(
        method: Option<Method>,
        route: &str,
        retry_after: Duration,
        trigger: Trigger,
    ) -> Self {
        FaultRule {
            method,
            route: normalize_template(route),
            kind: FaultKind::RateLimited {
                retry_after,
                global: false,
            },
            trigger,
            latency: Duration::ZERO,
        }
    }

    /// A rule that only slows requests down.
    pub fn latency(method: Option<Method>, route: &str, latency: Duration) -> Self {
        FaultRule {
            method,
            route: normalize_template(route),
            kind: FaultKind::LatencyOnly,
            trigger: Trigger::Fraction(1.0),
            latency,
        }
    }

    /// A rule that holds every matching request until [`Faults::release`] (see
    /// [`FaultKind::Held`]).
    pub fn held(method: Option<Method>, route: &str) -> Self {
        FaultRule {
            method,
            route: normalize_template(route),
            kind: FaultKind::Held,
            trigger: Trigger::Fraction(1.0),
            latency: Duration::ZERO,
        }
    }

    /// The same rule with `latency` added.
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    fn matches(&self, method: &Method, route: &str) -> bool {
        let method_ok = self.method.as_ref().is_none_or(|m| m == method);
        let route_ok = match self.route.strip_suffix('*') {
            Some(prefix) => route.starts_with(prefix),
            None => self.route == route,
        };
        method_ok && route_ok
    }
}

/// Identifies a rule for removal and for its own counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FaultId(u64);

/// What to do with one request.
#[derive(Debug, Clone)]
pub struct Fault {
    /// Wait this long first.
    pub latency: Duration,
    /// Then, for a held request, wait until its rule is released.
    pub hold: Option<tokio::sync::watch::Receiver<bool>>,
    /// Then answer this instead of the real answer; `None` to go on to the handler.
    pub answer: Option<FaultKind>,
}

impl Fault {
    /// Waits as the fault says (its latency, then its hold) before the request is answered.
    pub async fn wait(&mut self) {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        if let Some(hold) = self.hold.as_mut() {
            // An error means the rule is gone, which releases it as well.
            let _ = hold.wait_for(|released| *released).await;
        }
    }
}

#[derive(Debug)]
struct Entry {
    id: FaultId,
    rule: FaultRule,
    remaining: Option<u32>,
    injected: u64,
    /// Opened by [`Faults::release`]; dropped with the entry, which opens it too.
    release: tokio::sync::watch::Sender<bool>,
}

#[derive(Debug)]
struct Shared {
    next_id: u64,
    rules: Vec<Entry>,
    rng: StdRng,
}

/// The fault rules in force (cheap to clone, shared).
#[derive(Debug, Clone)]
pub struct Faults {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    state: Mutex<Shared>,
    injected: AtomicU64,
}

impl Default for Faults {
    fn default() -> Self {
        Self::new()
    }
}

impl Faults {
    /// No rules; fractions drawn from an entropy-seeded generator.
    pub fn new() -> Self {
        Self::with_rng(StdRng::from_entropy())
    }

    /// No rules; fractions drawn from a generator seeded with `seed`, so a test is repeatable.
    pub fn with_seed(seed: u64) -> Self {
        Self::with_rng(StdRng::seed_from_u64(seed))
    }

    fn with_rng(rng: StdRng) -> Self {
        Faults {
            inner: Arc::new(Inner {
                state: Mutex::new(Shared {
                    next_id: 0,
                    rules: Vec::new(),
                    rng,
                }),
                injected: AtomicU64::new(0),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, Shared> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds a rule; the first matching rule that fires decides a request.
    pub fn add(&self, rule: FaultRule) -> FaultId {
        let mut state = self.state();
        state.next_id += 1;
        let id = FaultId(state.next_id);
        let remaining = match rule.trigger {
            Trigger::NextN(n) => Some(n),
            Trigger::Fraction(_) => None,
        };
        state.rules.push(Entry {
            id,
            rule,
            remaining,
            injected: 0,
            release: tokio::sync::watch::channel(false).0,
        });
        id
    }

    /// Lets the requests a held rule is holding go on, and those it would hold from now on
    /// pass; false if the rule is not there.
    pub fn release(&self, id: FaultId) -> bool {
        let state = self.state();
        let Some(entry) = state.rules.iter().find(|entry| entry.id == id) else {
            return false;
        };
        entry.release.send_replace(true);
        true
    }

    /// Removes a rule; false if it was not there.
    pub fn remove(&self, id: FaultId) -> bool {
        let mut state = self.state();
        let before = state.rules.len();
        state.rules.retain(|entry| entry.id != id);
        state.rules.len() != before
    }

    /// Removes every rule (counters are kept).
    pub fn clear(&self) {
        self.state().rules.clear();
    }

    /// Faults injected so far by all rules (latency-only rules included).
    pub fn injected_count(&self) -> u64 {
        self.inner.injected.load(Ordering::SeqCst)
    }

    /// Faults injected by one rule; `None` once the rule is removed.
    pub fn injected_by(&self, id: FaultId) -> Option<u64> {
        self.state()
            .rules
            .iter()
            .find(|entry| entry.id == id)
            .map(|entry| entry.injected)
    }

    /// Decides one request: `None` when no rule fires.
    pub fn decide(&self, method: &Method, route: &str) -> Option<Fault> {
        let route = &normalize_template(route);
        let mut state = self.state();
        let Shared { rules, rng, .. } = &mut *state;
        for entry in rules.iter_mut() {
            if !entry.rule.matches(method, route) {
                continue;
            }
            let fires = match (entry.rule.trigger, entry.remaining.as_mut()) {
                (Trigger::NextN(_), Some(remaining)) => {
                    let fires = *remaining > 0;
                    *remaining = remaining.saturating_sub(1);
                    fires
                }
                (Trigger::Fraction(p), _) => rng.gen_bool(p.clamp(0.0, 1.0)),
                (Trigger::NextN(_), None) => false,
            };
            if fires {
                entry.injected += 1;
                self.inner.injected.fetch_add(1, Ordering::SeqCst);
                let answer = match entry.rule.kind {
                    FaultKind::LatencyOnly | FaultKind::Held => None,
                    kind => Some(kind),
                };
                let hold = (entry.rule.kind == FaultKind::Held).then(|| entry.release.subscribe());
                return Some(Fault {
                    latency: entry.rule.latency,
                    hold,
                    answer,
                });
            }
        }
        None
    }
}

impl FaultKind {
    /// The response Discord would give for this fault.
    pub fn response(&self) -> Response {
        match *self {
            FaultKind::Status(code) | FaultKind::StatusAfterEffect(code) => {
                let status =
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let reason = status.canonical_reason().unwrap_or("Server Error");
                let body =
                    json!({ "message": format!("{}: {reason}", status.as_u16()), "code": 0 });
                (status, axum::Json(body)).into_response()
            }
            FaultKind::RateLimited {
                retry_after,
                global,
            } => Limited {
                scope: if global { Scope::Global } else { Scope::User },
                retry_after,
                bucket: None,
            }
            .into_response(),
            FaultKind::LatencyOnly | FaultKind::Held => StatusCode::OK.into_response(),
        }
    }
}

/// The axum middleware: applies the first rule that fires to each routed REST request.
pub async fn middleware(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    let Some(matched) = request.extensions().get::<MatchedPath>().cloned() else {
        return next.run(request).await;
    };
    let decision = faults.decide(request.method(), route_template(matched.as_str()));
    let Some(mut fault) = decision else {
        return next.run(request).await;
    };
    fault.wait().await;
    match fault.answer {
        Some(kind @ FaultKind::StatusAfterEffect(_)) => {
            let _effect = next.run(request).await;
            kind.response()
        }
        Some(kind) => kind.response(),
        None => next.run(request).await,
    }
}
