//! Process metrics: counters and histograms kept in memory, exported at `/metrics` in the
//! Prometheus text format and summarised in `/stats`.
//!
//! Counting is a few atomic additions so the hooks can sit on hot paths (every interaction,
//! every gateway event); REST calls, counted per route, take a short lock, which is nothing next
//! to their round trip to Discord. Ticket figures are not here: they live in the store, shared by every
//! process, and are read by [`crate::stats`].

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

/// Upper bounds (seconds) of the acknowledgement-latency buckets: fine around Discord's
/// 3-second deadline, where a slow acknowledgement turns into a failed interaction.
pub const ACK_BUCKETS: [f64; 11] = [0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0];

/// A cumulative histogram with fixed buckets.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    /// One counter per bound, non-cumulative; cumulated when exported.
    counts: Vec<AtomicU64>,
    /// Observations above the last bound.
    overflow: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    /// A histogram with the given increasing upper bounds, in seconds.
    pub fn new(bounds: &'static [f64]) -> Self {
        Histogram {
            bounds,
            counts: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            overflow: AtomicU64::new(0),
            sum_micros: AtomicU64::new(0),
        }
    }

    /// Records one observation.
    pub fn observe(&self, value: Duration) {
        let secs = value.as_secs_f64();
        match self.bounds.iter().position(|bound| secs <= *bound) {
            Some(index) => self.counts[index].fetch_add(1, Ordering::Relaxed),
            None => self.overflow.fetch_add(1, Ordering::Relaxed),
        };
        let micros = u64::try_from(value.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// How many observations were recorded.
    pub fn count(&self) -> u64 {
        self.counts
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .sum::<u64>()
            + self.overflow.load(Ordering::Relaxed)
    }

    fn write(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} histogram");
        self.write_series(out, name, "");
    }

    /// The series of one histogram among several of the same name; `labels` is empty or ends
    /// with a comma (`route="/x",`).
    fn write_series(&self, out: &mut String, name: &str, labels: &str) {
        let mut cumulative = 0;
        for (bound, count) in self.bounds.iter().zip(&self.counts) {
            cumulative += count.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{{labels}le=\"{bound}\"}} {cumulative}");
        }
        let total = self.count();
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {total}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let braced = labels.trim_end_matches(',');
        if braced.is_empty() {
            let _ = writeln!(out, "{name}_sum {sum}");
            let _ = writeln!(out, "{name}_count {total}");
        } else {
            let _ = writeln!(out, "{name}_sum{{{braced}}} {sum}");
            let _ = writeln!(out, "{name}_count{{{braced}}} {total}");
        }
    }
}

/// Upper bounds (seconds) of the Discord REST latency buckets, up to the client's 15-second
/// timeout.
pub const REST_BUCKETS: [f64; 10] = [0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0];

/// The REST calls made to Discord, by method, route template and status (see [`crate::rest`]).
///
/// Behind one lock: a call costs a network round trip, so a short critical section per call is
/// nothing, and the number of series is bounded by the route templates the bot uses.
#[derive(Debug, Default)]
pub struct DiscordRequests {
    routes: Mutex<BTreeMap<(&'static str, String), RouteCalls>>,
}

#[derive(Debug)]
struct RouteCalls {
    /// Calls by HTTP status; `None` when no status came back.
    by_status: BTreeMap<Option<u16>, u64>,
    latency: Histogram,
}

impl DiscordRequests {
    /// Records one call: its method, route template, status (if Discord answered) and duration.
    pub fn record(&self, method: &'static str, route: String, status: Option<u16>, took: Duration) {
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let calls = routes.entry((method, route)).or_insert_with(|| RouteCalls {
            by_status: BTreeMap::new(),
            latency: Histogram::new(&REST_BUCKETS),
        });
        *calls.by_status.entry(status).or_default() += 1;
        calls.latency.observe(took);
    }

    /// How many calls were recorded for a method, route template and status.
    pub fn count(&self, method: &str, route: &str, status: Option<u16>) -> u64 {
        let routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        routes
            .iter()
            .filter(|((m, r), _)| *m == method && r == route)
            .filter_map(|(_, calls)| calls.by_status.get(&status))
            .sum()
    }

    fn write(&self, out: &mut String) {
        let routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let name = "ticketbooth_discord_requests_total";
        let _ = writeln!(
            out,
            "# HELP {name} REST calls made to Discord, by method, route and status (\"error\" when no status came back)."
        );
        let _ = writeln!(out, "# TYPE {name} counter");
        for ((method, route), calls) in routes.iter() {
            let route = escape_label(route);
            for (status, count) in &calls.by_status {
                let status = status.map_or_else(|| "error".to_owned(), |s| s.to_string());
                let _ = writeln!(
                    out,
                    "{name}{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {count}"
                );
            }
        }
        let name = "ticketbooth_discord_request_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} Time the bot waited for a REST call to Discord, by method and route."
        );
        let _ = writeln!(out, "# TYPE {name} histogram");
        for ((method, route), calls) in routes.iter() {
            let labels = format!("method=\"{method}\",route=\"{}\",", escape_label(route));
            calls.latency.write_series(out, name, &labels);
        }
    }
}

/// A label value in the text format: backslash, double quote and newline escaped.
fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Everything this process counts.
#[derive(Debug)]
pub struct Metrics {
    started: Instant,
    /// Interactions answered (commands, buttons, selects, modals).
    pub interactions: AtomicU64,
    /// Interactions whose handler failed (the user saw "something went wrong").
    pub handler_errors: AtomicU64,
    /// Initial responses Discord refused or that never arrived.
    pub ack_failures: AtomicU64,
    /// Time from receiving an interaction to Discord accepting its first response.
    pub ack_latency: Histogram,
    /// Gateway events received.
    pub gateway_events: AtomicU64,
    /// Servers repaired from a GUILD_CREATE (at start-up, after an outage, or re-invited),
    /// whether the repair succeeded or was logged as failed.
    pub servers_reconciled: AtomicU64,
    /// Closure summaries posted to a log channel.
    pub transcripts_logged: AtomicU64,
    /// Transcripts sent to their ticket's owner by DM.
    pub transcripts_dmed: AtomicU64,
    /// DMs a member's privacy settings refused.
    pub dms_refused: AtomicU64,
    /// REST calls made to Discord, by route and status.
    pub discord_requests: DiscordRequests,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            started: Instant::now(),
            interactions: AtomicU64::new(0),
            handler_errors: AtomicU64::new(0),
            ack_failures: AtomicU64::new(0),
            ack_latency: Histogram::new(&ACK_BUCKETS),
            gateway_events: AtomicU64::new(0),
            servers_reconciled: AtomicU64::new(0),
            transcripts_logged: AtomicU64::new(0),
            transcripts_dmed: AtomicU64::new(0),
            dms_refused: AtomicU64::new(0),
            discord_requests: DiscordRequests::default(),
        }
    }
}

/// Adds one to a counter.
pub fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl Metrics {
    /// How long this process has run.
    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    /// Records an interaction's acknowledgement: its latency, and whether Discord took it.
    pub fn record_ack(&self, latency: Duration, accepted: bool) {
        bump(&self.interactions);
        self.ack_latency.observe(latency);
        if !accepted {
            bump(&self.ack_failures);
        }
    }

    /// Failed handlers as a share of interactions; `None` before the first interaction.
    pub fn error_rate(&self) -> Option<f64> {
        let total = self.interactions.load(Ordering::Relaxed);
        let failed =
            self.handler_errors.load(Ordering::Relaxed) + self.ack_failures.load(Ordering::Relaxed);
        (total > 0).then(|| failed as f64 / total as f64)
    }

    /// The Prometheus text exposition (format 0.0.4) of every metric, with the database size
    /// when it could be read.
    pub fn render(&self, database_bytes: Option<u64>) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, value: &AtomicU64| {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        };
        let gauge = |out: &mut String, name: &str, help: &str, value: f64| {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} gauge");
            let _ = writeln!(out, "{name} {value}");
        };
        counter(
            &mut out,
            "ticketbooth_interactions_total",
            "Interactions answered.",
            &self.interactions,
        );
        counter(
            &mut out,
            "ticketbooth_interaction_errors_total",
            "Interactions whose handler failed.",
            &self.handler_errors,
        );
        counter(
            &mut out,
            "ticketbooth_interaction_ack_failures_total",
            "Initial interaction responses Discord did not accept.",
            &self.ack_failures,
        );
        self.ack_latency.write(
            &mut out,
            "ticketbooth_interaction_ack_seconds",
            "Time from receiving an interaction to its acknowledgement.",
        );
        counter(
            &mut out,
            "ticketbooth_gateway_events_total",
            "Gateway events received.",
            &self.gateway_events,
        );
        counter(
            &mut out,
            "ticketbooth_servers_reconciled_total",
            "Servers repaired from what a GUILD_CREATE showed.",
            &self.servers_reconciled,
        );
        counter(
            &mut out,
            "ticketbooth_transcripts_logged_total",
            "Closure summaries with transcripts posted to log channels.",
            &self.transcripts_logged,
        );
        counter(
            &mut out,
            "ticketbooth_transcripts_dmed_total",
            "Transcripts sent to ticket owners by DM.",
            &self.transcripts_dmed,
        );
        counter(
            &mut out,
            "ticketbooth_dms_refused_total",
            "Direct messages refused by members' privacy settings.",
            &self.dms_refused,
        );
        self.discord_requests.write(&mut out);
        gauge(
            &mut out,
            "ticketbooth_uptime_seconds",
            "Seconds since this process started.",
            self.uptime().as_secs_f64(),
        );
        if let Some(bytes) = database_bytes {
            gauge(
                &mut out,
                "ticketbooth_database_size_bytes",
                "Size of the database on disk.",
                bytes as f64,
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let histogram = Histogram::new(&ACK_BUCKETS);
        histogram.observe(Duration::from_millis(30));
        histogram.observe(Duration::from_millis(800));
        histogram.observe(Duration::from_secs(9));
        let mut out = String::new();
        histogram.write(&mut out, "h", "help");
        assert!(out.contains("h_bucket{le=\"0.05\"} 1\n"), "{out}");
        assert!(out.contains("h_bucket{le=\"0.75\"} 1\n"), "{out}");
        assert!(out.contains("h_bucket{le=\"1\"} 2\n"), "{out}");
        assert!(out.contains("h_bucket{le=\"5\"} 2\n"), "{out}");
        assert!(out.contains("h_bucket{le=\"+Inf\"} 3\n"), "{out}");
        assert!(out.contains("h_count 3\n"), "{out}");
        assert!(out.contains("h_sum 9.83\n"), "{out}");
    }

    #[test]
    fn error_rate_counts_failed_handlers_and_acks() {
        let metrics = Metrics::default();
        assert_eq!(metrics.error_rate(), None);
        for accepted in [true, true, true, false] {
            metrics.record_ack(Duration::from_millis(10), accepted);
        }
        bump(&metrics.handler_errors);
        assert_eq!(metrics.error_rate(), Some(0.5));
        let text = metrics.render(Some(4096));
        assert!(
            text.contains("ticketbooth_interactions_total 4\n"),
            "{text}"
        );
        assert!(
            text.contains("ticketbooth_database_size_bytes 4096\n"),
            "{text}"
        );
    }

    #[test]
    fn discord_requests_are_counted_by_route_and_status() {
        let metrics = Metrics::default();
        let calls = &metrics.discord_requests;
        let route = || "/channels/:id/messages".to_owned();
        calls.record("POST", route(), Some(200), Duration::from_millis(20));
        calls.record("POST", route(), Some(200), Duration::from_millis(300));
        calls.record("POST", route(), Some(403), Duration::from_millis(20));
        calls.record("GET", route(), None, Duration::from_secs(16));
        assert_eq!(calls.count("POST", &route(), Some(200)), 2);
        assert_eq!(calls.count("GET", &route(), Some(200)), 0);
        let text = metrics.render(None);
        let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned())))
            .expect("the exposition parses");
        let counter = |method: &str, status: &str| {
            scrape
                .samples
                .iter()
                .find(|s| {
                    s.metric == "ticketbooth_discord_requests_total"
                        && s.labels.get("method") == Some(method)
                        && s.labels.get("route") == Some("/channels/:id/messages")
                        && s.labels.get("status") == Some(status)
                })
                .map(|s| s.value.clone())
        };
        assert_eq!(
            counter("POST", "200"),
            Some(prometheus_parse::Value::Counter(2.0)),
            "{text}"
        );
        assert_eq!(
            counter("POST", "403"),
            Some(prometheus_parse::Value::Counter(1.0))
        );
        assert_eq!(
            counter("GET", "error"),
            Some(prometheus_parse::Value::Counter(1.0))
        );
        assert!(
            text.contains(
                "ticketbooth_discord_request_seconds_bucket{method=\"POST\",route=\"/channels/:id/messages\",le=\"0.25\"} 2\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "ticketbooth_discord_request_seconds_count{method=\"GET\",route=\"/channels/:id/messages\"} 1\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
