//! The faithfulness check from Rust: validates recorded REST exchanges against Discord's
//! published schemas by running `conformance/check.mjs` (Node, with the npm packages
//! `discord-api-spec` and `zod` installed by `npm ci` on first use).
//!
//! Which disagreements between Discord's spec and Discord are allowed, and why, is written at
//! the top of `check.mjs`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::log::RequestRecord;

/// One REST request and its answer, as the check reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// HTTP method, upper case.
    pub method: String,
    /// Route template (`/channels/{channel_id}/messages`; `{channel.id}` works too).
    pub route: String,
    /// Response status.
    pub status: u16,
    /// The JSON request body (for multipart, the `payload_json` part).
    pub request_body: Option<Value>,
    /// The JSON response body.
    pub response_body: Option<Value>,
}

impl From<&RequestRecord> for Exchange {
    /// Unimplemented routes have no template; their path stands in, so the check reports them.
    fn from(record: &RequestRecord) -> Self {
        Exchange {
            method: record.method.clone(),
            route: record.route.clone().unwrap_or_else(|| record.path.clone()),
            status: record.status,
            request_body: record.body.clone(),
            response_body: record.response.clone(),
        }
    }
}

/// One place where a body disagrees with Discord's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// Position of the exchange in the input.
    pub index: usize,
    /// The exchange's method.
    pub method: String,
    /// The exchange's route.
    pub route: String,
    /// The exchange's status.
    pub status: u16,
    /// `request`, `response`, `route` (not in the spec) or `exchange` (malformed input).
    #[serde(rename = "where")]
    pub location: String,
    /// Dotted JSON path inside the body (`embeds.0.title`), empty for the whole body.
    pub path: String,
    /// The kind of violation (`invalid_type`, `too_big`, `unknown_route` …).
    pub code: String,
    /// What was expected and what was found.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "#{} {} {} ({}) {} {}: {} [{}]",
            self.index,
            self.method,
            self.route,
            self.status,
            self.location,
            self.path,
            self.message,
            self.code
        )
    }
}

/// Why the check could not run.
#[derive(Debug, thiserror::Error)]
pub enum ConformanceError {
    /// `node` or `npm` could not be started.
    #[error(
        "could not run {program}: {source} (Node.js and npm are needed for the conformance check)"
    )]
    Spawn {
        /// The program.
        program: &'static str,
        /// The error.
        source: std::io::Error,
    },
    /// `npm ci` failed.
    #[error("npm ci failed in {dir}: {stderr}")]
    Install {
        /// Where it ran.
        dir: String,
        /// What npm said.
        stderr: String,
    },
    /// The temporary exchanges file could not be written.
    #[error("could not write the exchanges file: {0}")]
    Io(#[from] std::io::Error),
    /// The checker failed for a reason other than violations.
    #[error("check.mjs failed (exit {code:?}): {stderr}")]
    Checker {
        /// Its exit code.
        code: Option<i32>,
        /// What it said.
        stderr: String,
    },
    /// The checker printed something that is not a violation or the summary.
    #[error("unexpected output from check.mjs: {line}")]
    Output {
        /// The line.
        line: String,
    },
}

/// The directory holding `check.mjs`, `package.json` and `package-lock.json`.
pub fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

/// Serializes installs: tests running in parallel must not run two `npm ci` at once.
static INSTALL: Mutex<()> = Mutex::new(());

/// Runs `npm ci` in [`conformance_dir`] unless its `node_modules` is already there.
pub fn ensure_installed() -> Result<(), ConformanceError> {
    let _guard = INSTALL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = conformance_dir();
    let installed = ["discord-api-spec", "zod"]
        .iter()
        .all(|package| dir.join("node_modules").join(package).is_dir());
    if installed {
        return Ok(());
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .output()
        .map_err(|source| ConformanceError::Spawn {
            program: "npm",
            source,
        })?;
    if !output.status.success() {
        return Err(ConformanceError::Install {
            dir: dir.display().to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    Ok(())
}

static FILE_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Validates `exchanges` against Discord's schemas; an empty list means conformant.
pub fn check_exchanges(exchanges: &[Exchange]) -> Result<Vec<Violation>, ConformanceError> {
    ensure_installed()?;
    let file = std::env::temp_dir().join(format!(
        "ticketbooth-conformance-{}-{}.json",
        std::process::id(),
        FILE_COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::write(
        &file,
        serde_json::to_vec(exchanges).map_err(std::io::Error::other)?,
    )?;
    let output = Command::new("node")
        .arg("check.mjs")
        .arg(&file)
        .current_dir(conformance_dir())
        .output();
    // The file is only input; failing to remove it is no reason to fail the check.
    let _ = std::fs::remove_file(&file);
    let output = output.map_err(|source| ConformanceError::Spawn {
        program: "node",
        source,
    })?;
    // Exit 0: no violation; 1: violations listed; anything else: the check itself failed.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(ConformanceError::Checker {
            code: output.status.code(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    parse_output(&String::from_utf8_lossy(&output.stdout))
}

/// Validates every request in a simulator's log (see `Sim::requests`).
pub fn check_records(records: &[RequestRecord]) -> Result<Vec<Violation>, ConformanceError> {
    let exchanges: Vec<Exchange> = records.iter().map(Exchange::from).collect();
    check_exchanges(&exchanges)
}

fn parse_output(stdout: &str) -> Result<Vec<Violation>, ConformanceError> {
    let mut violations = Vec::new();
    let mut saw_summary = false;
    for line in stdout.lines().filter(|line| !line.trim().is_empty()) {
        let value: Value = serde_json::from_str(line).map_err(|_| ConformanceError::Output {
            line: line.to_owned(),
        })?;
        if value.get("summary").is_some() {
            saw_summary = true;
            continue;
        }
        violations.push(
            serde_json::from_value(value).map_err(|_| ConformanceError::Output {
                line: line.to_owned(),
            })?,
        );
    }
    if !saw_summary {
        return Err(ConformanceError::Output {
            line: "(no summary line)".into(),
        });
    }
    Ok(violations)
}
