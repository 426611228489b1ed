//! Configuration: defaults, then an optional TOML file, then environment variables.
//!
//! The token is wrapped in [`Secret`] so it cannot reach a log line or an error message.

use std::{collections::BTreeMap, fmt, net::SocketAddr, path::Path};

use serde::Deserialize;

/// A value that must never be printed: its `Debug` and `Display` show `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send it (the Discord client).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Pretty,
    /// One JSON object a line.
    Json,
}

/// A consecutive range of gateway shards this process runs, out of a total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    pub start: u32,
    /// Exclusive.
    pub end: u32,
}

impl ShardRange {
    /// Parses `START-END` (both inclusive), e.g. `0-3`, or a single shard such as `2`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (start, end) = match s.split_once('-') {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (s, s),
        };
        let start: u32 = start
            .parse()
            .map_err(|_| format!("`{s}` is not a shard range such as `0-3`"))?;
        let last: u32 = end
            .parse()
            .map_err(|_| format!("`{s}` is not a shard range such as `0-3`"))?;
        if last < start {
            return Err(format!("the shard range `{s}` ends before it starts"));
        }
        Ok(ShardRange {
            start,
            end: last + 1,
        })
    }
}

/// Everything the bot reads at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    pub token: Option<Secret>,
    /// Discord's base URL; REST lives at `{api_url}/api/v10`.
    pub api_url: String,
    /// Overrides the gateway URL `GET /gateway/bot` returns.
    pub gateway_url: Option<String>,
    pub database_url: String,
    /// Where the web server (health, metrics, transcripts) listens.
    pub bind: SocketAddr,
    /// A listener of its own for `/metrics`; `None` serves it on `bind`.
    pub metrics_bind: Option<SocketAddr>,
    /// The public base URL of the web server, for transcript links.
    pub public_url: Option<String>,
    /// The secret transcript links are signed with; without one, a random secret is made at
    /// start-up and links stop working when the process restarts.
    pub link_secret: Option<Secret>,
    /// How long a transcript link stays valid; forever when unset.
    pub link_ttl_days: Option<u32>,
    pub shard_range: Option<ShardRange>,
    pub shard_total: Option<u32>,
    /// Whether to ask for the privileged MESSAGE_CONTENT intent (transcripts need it).
    pub message_content: bool,
    pub log_format: LogFormat,
    /// How many attempts a delayed job (a deletion, a transcript, a staff-access change …) gets
    /// before it is marked failed and the server's admins are told.
    pub job_max_attempts: u32,
}

pub const DEFAULT_API_URL: &str = "https://discord.com";
pub const DEFAULT_DATABASE_URL: &str = ticketbooth_store::DEFAULT_DATABASE_URL;
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// The shortest transcript-link secret accepted.
pub const MIN_LINK_SECRET: usize = 32;
/// A job's attempts before it is failed: with the worker's backoff (2 s doubling to a
/// 10-minute cap), about a day of retrying.
pub const DEFAULT_JOB_MAX_ATTEMPTS: u32 = 150;

impl Default for Config {
    fn default() -> Self {
        Config {
            token: None,
            api_url: DEFAULT_API_URL.to_owned(),
            gateway_url: None,
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            bind: DEFAULT_BIND
                .parse()
                .expect("the default bind address parses"),
            metrics_bind: None,
            public_url: None,
            link_secret: None,
            link_ttl_days: None,
            shard_range: None,
            shard_total: None,
            message_content: true,
            log_format: LogFormat::Pretty,
            job_max_attempts: DEFAULT_JOB_MAX_ATTEMPTS,
        }
    }
}

/// The environment variables the bot reads, with what each is for.
pub const VARIABLES: &[(&str, &str)] = &[
    (
        "DISCORD_TOKEN",
        "the bot token from the Discord developer portal (required to run)",
    ),
    (
        "DISCORD_API_URL",
        "Discord's base URL (default https://discord.com; http:// allowed for a local simulator)",
    ),
    (
        "DISCORD_GATEWAY_URL",
        "the gateway URL (default: what GET /gateway/bot returns)",
    ),
    (
        "DATABASE_URL",
        "sqlite://FILE (default sqlite://ticketbooth.db) or postgres://USER@HOST/DB",
    ),
    (
        "TICKETBOOTH_BIND",
        "address of the web server for /healthz, /metrics and transcripts (default 127.0.0.1:8080)",
    ),
    (
        "TICKETBOOTH_METRICS_BIND",
        "address of a listener of its own for /metrics, so it is not served with the public transcript links (default: served on TICKETBOOTH_BIND)",
    ),
    (
        "TICKETBOOTH_PUBLIC_URL",
        "public base URL of the web server, used in transcript links",
    ),
    (
        "TICKETBOOTH_LINK_SECRET",
        "secret (32+ characters) that signs transcript links; the same on every process (default: random at start-up, links die on restart)",
    ),
    (
        "TICKETBOOTH_LINK_TTL",
        "days a transcript link stays valid (default: forever)",
    ),
    (
        "TICKETBOOTH_SHARDS",
        "the shards this process runs, such as 0-3 (default: all)",
    ),
    (
        "TICKETBOOTH_SHARD_TOTAL",
        "the total number of shards (default: Discord's recommendation)",
    ),
    (
        "TICKETBOOTH_MESSAGE_CONTENT",
        "true (default) or false: ask for the privileged Message Content intent",
    ),
    ("TICKETBOOTH_LOG_FORMAT", "pretty (default) or json"),
    (
        "TICKETBOOTH_JOB_MAX_ATTEMPTS",
        "attempts a delayed job gets before it is marked failed (default 150, about a day)",
    ),
    (
        "TICKETBOOTH_CONFIG",
        "path of an optional TOML configuration file",
    ),
    ("RUST_LOG", "log filter, such as info or ticketbooth=debug"),
];

/// The TOML file's shape: the same settings as the environment, in lower case.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    token: Option<String>,
    api_url: Option<String>,
    gateway_url: Option<String>,
    database_url: Option<String>,
    bind: Option<String>,
    metrics_bind: Option<String>,
    public_url: Option<String>,
    link_secret: Option<String>,
    link_ttl_days: Option<u32>,
    shards: Option<String>,
    shard_total: Option<u32>,
    message_content: Option<bool>,
    log_format: Option<String>,
    job_max_attempts: Option<u32>,
}

/// What `config check` reports: where each setting came from and what is wrong.
#[derive(Debug, Default)]
pub struct Report {
    /// Setting name → (value as shown, source). Secrets are shown as `set`.
    pub set: BTreeMap<&'static str, (String, &'static str)>,
    pub missing: Vec<String>,
    pub problems: Vec<String>,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Reads the configuration; problems are collected rather than returned one at a time,
/// so `config check` can list them all.
pub fn load(file: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> (Config, Report) {
    let mut config = Config::default();
    let mut report = Report::default();

    let file_path = file
        .map(Path::to_path_buf)
        .or_else(|| env("TICKETBOOTH_CONFIG").map(Into::into));
    let mut from_file = FileConfig::default();
    if let Some(path) = &file_path {
        match std::fs::read_to_string(path) {
            Ok(text) => match toml::from_str::<FileConfig>(&text) {
                Ok(parsed) => from_file = parsed,
                Err(e) => report.problems.push(format!(
                    "the configuration file {} is not valid: {}",
                    path.display(),
                    e.message()
                )),
            },
            Err(e) => report.problems.push(format!(
                "the configuration file {} cannot be read: {e}",
                path.display()
            )),
        }
    }

    // Environment beats the file; each setting records where it came from.
    let pick = |name: &'static str, file_value: Option<String>| -> Option<(String, &'static str)> {
        env(name)
            .filter(|v| !v.trim().is_empty())
            .map(|v| (v, "environment"))
            .or_else(|| file_value.map(|v| (v, "file")))
    };

    if let Some((token, source)) = pick("DISCORD_TOKEN", from_file.token) {
        let token = token.trim().trim_start_matches("Bot ").to_owned();
        if token.contains(char::is_whitespace) || token.is_empty() {
            report
                .problems
                .push("DISCORD_TOKEN contains spaces; paste the token alone".to_owned());
        }
        report
            .set
            .insert("DISCORD_TOKEN", ("set (hidden)".to_owned(), source));
        config.token = Some(Secret::new(token));
    } else {
        report.missing.push(
            "DISCORD_TOKEN is not set: the bot cannot log in to Discord (the sandbox needs none)"
                .to_owned(),
        );
    }

    if let Some((url, source)) = pick("DISCORD_API_URL", from_file.api_url) {
        let url = url.trim().trim_end_matches('/').to_owned();
        match split_base_url(&url) {
            Ok(_) => config.api_url = url.clone(),
            Err(e) => report.problems.push(format!("DISCORD_API_URL {e}")),
        }
        report.set.insert("DISCORD_API_URL", (url, source));
    }

    if let Some((url, source)) = pick("DISCORD_GATEWAY_URL", from_file.gateway_url) {
        let url = url.trim().trim_end_matches('/').to_owned();
        if !(url.starts_with("ws://") || url.starts_with("wss://")) {
            report.problems.push(format!(
                "DISCORD_GATEWAY_URL `{url}` must start with ws:// or wss://"
            ));
        }
        report
            .set
            .insert("DISCORD_GATEWAY_URL", (url.clone(), source));
        config.gateway_url = Some(url);
    }

    if let Some((url, source)) = pick("DATABASE_URL", from_file.database_url) {
        let url = url.trim().to_owned();
        if !is_supported_database_url(&url) {
            report.problems.push(format!(
                "DATABASE_URL must start with sqlite: or postgres:// (got `{}`)",
                redact_url_password(&url)
            ));
        }
        report
            .set
            .insert("DATABASE_URL", (redact_url_password(&url), source));
        config.database_url = url;
    }

    if let Some((bind, source)) = pick("TICKETBOOTH_BIND", from_file.bind) {
        match bind.trim().parse::<SocketAddr>() {
            Ok(addr) => config.bind = addr,
            Err(_) => report.problems.push(format!(
                "TICKETBOOTH_BIND `{bind}` is not an address such as 127.0.0.1:8080"
            )),
        }
        report.set.insert("TICKETBOOTH_BIND", (bind, source));
    }

    if let Some((bind, source)) = pick("TICKETBOOTH_METRICS_BIND", from_file.metrics_bind) {
        match bind.trim().parse::<SocketAddr>() {
            Ok(addr) if addr == config.bind && addr.port() != 0 => {
                report.problems.push(format!(
                    "TICKETBOOTH_METRICS_BIND `{bind}` is the same address as TICKETBOOTH_BIND; leave it unset to serve /metrics there"
                ))
            }
            Ok(addr) => config.metrics_bind = Some(addr),
            Err(_) => report.problems.push(format!(
                "TICKETBOOTH_METRICS_BIND `{bind}` is not an address such as 127.0.0.1:9090"
            )),
        }
        report
            .set
            .insert("TICKETBOOTH_METRICS_BIND", (bind, source));
    }

    if let Some((url, source)) = pick("TICKETBOOTH_PUBLIC_URL", from_file.public_url) {
        let url = url.trim().trim_end_matches('/').to_owned();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            report.problems.push(format!(
                "TICKETBOOTH_PUBLIC_URL `{url}` must start with http:// or https://"
            ));
        }
        report
            .set
            .insert("TICKETBOOTH_PUBLIC_URL", (url.clone(), source));
        config.public_url = Some(url);
    }

    if let Some((secret, source)) = pick("TICKETBOOTH_LINK_SECRET", from_file.link_secret) {
        if secret.trim().len() < MIN_LINK_SECRET {
            report.problems.push(format!(
                "TICKETBOOTH_LINK_SECRET must be at least {MIN_LINK_SECRET} characters; a short secret can be guessed from one link"
            ));
        }
        report.set.insert(
            "TICKETBOOTH_LINK_SECRET",
            ("set (hidden)".to_owned(), source),
        );
        config.link_secret = Some(Secret::new(secret.trim()));
    }

    if let Some((days, source)) = pick(
        "TICKETBOOTH_LINK_TTL",
        from_file.link_ttl_days.map(|d| d.to_string()),
    ) {
        match days.trim().trim_end_matches('d').parse::<u32>() {
            Ok(d) if d > 0 => config.link_ttl_days = Some(d),
            _ => report.problems.push(format!(
                "TICKETBOOTH_LINK_TTL `{days}` must be a whole number of days above 0"
            )),
        }
        report.set.insert("TICKETBOOTH_LINK_TTL", (days, source));
    }

    if let Some((shards, source)) = pick("TICKETBOOTH_SHARDS", from_file.shards) {
        match ShardRange::parse(&shards) {
            Ok(range) => config.shard_range = Some(range),
            Err(e) => report.problems.push(format!("TICKETBOOTH_SHARDS: {e}")),
        }
        report.set.insert("TICKETBOOTH_SHARDS", (shards, source));
    }

    if let Some((total, source)) = pick(
        "TICKETBOOTH_SHARD_TOTAL",
        from_file.shard_total.map(|t| t.to_string()),
    ) {
        match total.trim().parse::<u32>() {
            Ok(t) if t > 0 => config.shard_total = Some(t),
            _ => report.problems.push(format!(
                "TICKETBOOTH_SHARD_TOTAL `{total}` must be a whole number above 0"
            )),
        }
        report
            .set
            .insert("TICKETBOOTH_SHARD_TOTAL", (total, source));
    }
    if let (Some(range), Some(total)) = (config.shard_range, config.shard_total)
        && range.end > total
    {
        report.problems.push(format!(
            "TICKETBOOTH_SHARDS goes up to shard {} but there are only {total} shards",
            range.end - 1
        ));
    }

    if let Some((flag, source)) = pick(
        "TICKETBOOTH_MESSAGE_CONTENT",
        from_file.message_content.map(|b| b.to_string()),
    ) {
        match parse_bool(&flag) {
            Some(b) => config.message_content = b,
            None => report.problems.push(format!(
                "TICKETBOOTH_MESSAGE_CONTENT `{flag}` must be true or false"
            )),
        }
        report
            .set
            .insert("TICKETBOOTH_MESSAGE_CONTENT", (flag, source));
    }

    if let Some((format, source)) = pick("TICKETBOOTH_LOG_FORMAT", from_file.log_format) {
        match format.trim().to_ascii_lowercase().as_str() {
            "pretty" | "text" => config.log_format = LogFormat::Pretty,
            "json" => config.log_format = LogFormat::Json,
            _ => report.problems.push(format!(
                "TICKETBOOTH_LOG_FORMAT `{format}` must be pretty or json"
            )),
        }
        report
            .set
            .insert("TICKETBOOTH_LOG_FORMAT", (format, source));
    }

    if let Some((attempts, source)) = pick(
        "TICKETBOOTH_JOB_MAX_ATTEMPTS",
        from_file.job_max_attempts.map(|n| n.to_string()),
    ) {
        match attempts.trim().parse::<u32>() {
            Ok(n) if n > 0 => config.job_max_attempts = n,
            _ => report.problems.push(format!(
                "TICKETBOOTH_JOB_MAX_ATTEMPTS `{attempts}` must be a whole number above 0"
            )),
        }
        report
            .set
            .insert("TICKETBOOTH_JOB_MAX_ATTEMPTS", (attempts, source));
    }

    if let Some(filter) = env("RUST_LOG") {
        report.set.insert("RUST_LOG", (filter, "environment"));
    }

    (config, report)
}

/// Reads the configuration from the process environment.
pub fn from_env(file: Option<&Path>) -> (Config, Report) {
    load(file, &|name| std::env::var(name).ok())
}

/// Splits `http[s]://host[:port]` into `(host[:port], is_plain_http)`, the form twilight's
/// proxy setting takes.
pub fn split_base_url(url: &str) -> Result<(String, bool), String> {
    let (rest, plain) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, false)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (rest, true)
    } else {
        return Err(format!("`{url}` must start with http:// or https://"));
    };
    let host = rest.trim_end_matches('/');
    if host.is_empty() || host.contains('/') {
        return Err(format!(
            "`{url}` must be a base URL such as https://discord.com, with no path"
        ));
    }
    Ok((host.to_owned(), plain))
}

/// Whether `url` names a backend the store supports (not whether it can be opened).
pub fn is_supported_database_url(url: &str) -> bool {
    url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Hides the password in `scheme://user:password@host/…`.
pub fn redact_url_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:[redacted]@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn missing_token_is_reported_in_one_sentence() {
        let (config, report) = load(None, &env_of(&[]));
        assert!(config.token.is_none());
        assert_eq!(report.missing.len(), 1);
        assert!(report.missing[0].starts_with("DISCORD_TOKEN is not set"));
        assert!(report.is_ok());
    }

    #[test]
    fn token_never_prints() {
        let (config, report) = load(None, &env_of(&[("DISCORD_TOKEN", "abc.def.ghi")]));
        let shown = format!("{config:?} {report:?}");
        assert!(!shown.contains("abc.def.ghi"), "{shown}");
        assert_eq!(config.token.unwrap().expose(), "abc.def.ghi");
    }

    #[test]
    fn environment_beats_file() {
        let dir = std::env::temp_dir().join(format!("tb-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.toml");
        std::fs::write(
            &path,
            "api_url = \"http://file:1\"\ndatabase_url = \"sqlite://f.db\"\n",
        )
        .unwrap();
        let (config, report) = load(
            Some(&path),
            &env_of(&[("DISCORD_API_URL", "http://127.0.0.1:9")]),
        );
        assert!(report.is_ok(), "{report:?}");
        assert_eq!(config.api_url, "http://127.0.0.1:9");
        assert_eq!(config.database_url, "sqlite://f.db");
        assert_eq!(report.set["DATABASE_URL"].1, "file");
    }

    #[test]
    fn metrics_may_have_their_own_address() {
        let (config, report) = load(None, &env_of(&[]));
        assert!(report.is_ok(), "{report:?}");
        assert_eq!(config.metrics_bind, None);
        let (config, report) = load(
            None,
            &env_of(&[("TICKETBOOTH_METRICS_BIND", "127.0.0.1:9090")]),
        );
        assert!(report.is_ok(), "{report:?}");
        assert_eq!(config.metrics_bind, Some("127.0.0.1:9090".parse().unwrap()));
        let nope: &'static [(&str, &str)] = &[("TICKETBOOTH_METRICS_BIND", "nope")];
        let same: &'static [(&str, &str)] = &[
            ("TICKETBOOTH_BIND", "127.0.0.1:8080"),
            ("TICKETBOOTH_METRICS_BIND", "127.0.0.1:8080"),
        ];
        for bad in [nope, same] {
            let (config, report) = load(None, &env_of(bad));
            assert_eq!(config.metrics_bind, None, "{bad:?}");
            assert!(
                report
                    .problems
                    .iter()
                    .any(|p| p.contains("TICKETBOOTH_METRICS_BIND")),
                "{bad:?}: {report:?}"
            );
        }
    }

    #[test]
    fn wrong_values_are_named() {
        let (_, report) = load(
            None,
            &env_of(&[
                ("DISCORD_API_URL", "discord.com"),
                ("DATABASE_URL", "mysql://x"),
                ("TICKETBOOTH_BIND", "nope"),
                ("TICKETBOOTH_SHARDS", "3-1"),
                ("TICKETBOOTH_LOG_FORMAT", "xml"),
            ]),
        );
        let all = report.problems.join("\n");
        for name in [
            "DISCORD_API_URL",
            "DATABASE_URL",
            "TICKETBOOTH_BIND",
            "TICKETBOOTH_SHARDS",
            "TICKETBOOTH_LOG_FORMAT",
        ] {
            assert!(all.contains(name), "{name} missing from {all}");
        }
    }

    #[test]
    fn link_settings_are_read_and_checked() {
        let (config, report) = load(
            None,
            &env_of(&[
                (
                    "TICKETBOOTH_LINK_SECRET",
                    "0123456789abcdef0123456789abcdef",
                ),
                ("TICKETBOOTH_LINK_TTL", "30"),
            ]),
        );
        assert!(report.is_ok(), "{report:?}");
        assert_eq!(config.link_ttl_days, Some(30));
        assert!(!format!("{config:?} {report:?}").contains("0123456789abcdef"));
        let (_, report) = load(
            None,
            &env_of(&[
                ("TICKETBOOTH_LINK_SECRET", "short"),
                ("TICKETBOOTH_LINK_TTL", "soon"),
            ]),
        );
        let all = report.problems.join("\n");
        assert!(all.contains("TICKETBOOTH_LINK_SECRET"), "{all}");
        assert!(all.contains("TICKETBOOTH_LINK_TTL"), "{all}");
    }

    #[test]
    fn job_attempts_are_read_and_checked() {
        assert_eq!(
            load(None, &env_of(&[])).0.job_max_attempts,
            DEFAULT_JOB_MAX_ATTEMPTS
        );
        let (config, report) = load(None, &env_of(&[("TICKETBOOTH_JOB_MAX_ATTEMPTS", "3")]));
        assert!(report.problems.is_empty(), "{report:?}");
        assert_eq!(config.job_max_attempts, 3);
        let wrong: [&'static [(&str, &str)]; 2] = [
            &[("TICKETBOOTH_JOB_MAX_ATTEMPTS", "0")],
            &[("TICKETBOOTH_JOB_MAX_ATTEMPTS", "many")],
        ];
        for env in wrong {
            let (_, report) = load(None, &env_of(env));
            assert!(
                report
                    .problems
                    .join("\n")
                    .contains("TICKETBOOTH_JOB_MAX_ATTEMPTS"),
                "{env:?}: {report:?}"
            );
        }
    }

    #[test]
    fn database_password_is_hidden() {
        assert_eq!(
            redact_url_password("postgres://u:hunter2@h:5432/db"),
            "postgres://u:[redacted]@h:5432/db"
        );
        let (_, report) = load(
            None,
            &env_of(&[("DATABASE_URL", "postgres://u:hunter2@h/db")]),
        );
        assert!(!format!("{report:?}").contains("hunter2"));
    }

    #[test]
    fn base_urls_split_for_twilight() {
        assert_eq!(
            split_base_url("http://127.0.0.1:3000").unwrap(),
            ("127.0.0.1:3000".to_owned(), true)
        );
        assert_eq!(
            split_base_url("https://discord.com/").unwrap(),
            ("discord.com".to_owned(), false)
        );
        assert!(split_base_url("https://discord.com/api").is_err());
    }

    #[test]
    fn shard_ranges() {
        assert_eq!(
            ShardRange::parse("0-3").unwrap(),
            ShardRange { start: 0, end: 4 }
        );
        assert_eq!(
            ShardRange::parse("2").unwrap(),
            ShardRange { start: 2, end: 3 }
        );
        assert!(ShardRange::parse("x").is_err());
    }
}
