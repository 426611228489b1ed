//! Process metrics: counters and histograms kept in memory, exported at `/metrics` in the
//! Prometheus text format and summarised in `/stats`.
//!
//! Counting is a few atomic additions so the hooks can sit on hot paths (every interaction,
//! every gateway event). Ticket figures are not here: they live in the store, shared by every
//! process, and are read by [`crate::stats`].

use std::{
    fmt::Write as _,
    sync::atomic::{AtomicU64, Ordering},
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
        let mut cumulative = 0;
        for (bound, count) in self.bounds.iter().zip(&self.counts) {
            cumulative += count.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        let total = self.count();
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {total}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}");
        let _ = writeln!(out, "{name}_count {total}");
    }
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
    /// Closure summaries posted to a log channel.
    pub transcripts_logged: AtomicU64,
    /// Transcripts sent to their ticket's owner by DM.
    pub transcripts_dmed: AtomicU64,
    /// DMs a member's privacy settings refused.
    pub dms_refused: AtomicU64,
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
            transcripts_logged: AtomicU64::new(0),
            transcripts_dmed: AtomicU64::new(0),
            dms_refused: AtomicU64::new(0),
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
}
