//! A whole Ticketbooth world in one process: the Discord simulator with a demo server, and the
//! bot connected to it on its own database. `ticketbooth sandbox` and the end-to-end tests use it.

use std::{path::PathBuf, time::Duration};

use anyhow::Context as _;
use ticketbooth_bot::{
    app::{self, Running},
    config::{Config, Secret},
};
use ticketbooth_sim::{DemoGuild, Sim, SimConfig};

/// The privileged intent bit the bot asks for (Message Content).
const MESSAGE_CONTENT: u64 = 1 << 15;

/// Where the sandbox keeps its data.
#[derive(Debug, Clone)]
pub enum Database {
    /// A fresh SQLite file in a temporary directory, removed when the sandbox is dropped.
    TempSqlite,
    /// A database URL to use as it is (the caller owns it).
    Url(String),
}

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct Options {
    /// The simulator's port (0 picks a free one).
    pub port: u16,
    pub database: Database,
    /// Whether the simulated application is granted the Message Content intent.
    pub grant_message_content: bool,
    /// Fine-tunes the simulator before it starts (deadlines, shards …).
    pub sim: SimConfig,
    /// Fine-tunes the bot's configuration before it starts (a job's attempts …).
    pub bot: fn(&mut Config),
    /// Serves the bot's `/metrics` on a listener of its own (`TICKETBOOTH_METRICS_BIND`).
    pub metrics_bind: Option<std::net::SocketAddr>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            port: 0,
            database: Database::TempSqlite,
            grant_message_content: true,
            sim: SimConfig::default(),
            bot: |_| {},
            metrics_bind: None,
        }
    }
}

/// A running simulator, demo server and bot.
pub struct Sandbox {
    pub sim: Sim,
    pub demo: DemoGuild,
    pub bot: Running,
    pub database_url: String,
    _temp_dir: Option<TempDir>,
}

impl Sandbox {
    /// Starts the simulator and its demo server, then a bot against it, and waits until the
    /// bot's shards are connected.
    pub async fn start(options: Options) -> anyhow::Result<Sandbox> {
        if std::env::var_os("RUST_LOG").is_some() {
            ticketbooth_bot::logging::init(ticketbooth_bot::config::LogFormat::Pretty);
        }
        let mut sim_config = options.sim.clone();
        sim_config.port = options.port;
        if options.grant_message_content {
            sim_config.privileged_intents |= MESSAGE_CONTENT;
        }
        let sim = Sim::start(sim_config)
            .await
            .context("cannot start the Discord simulator")?;
        let demo = sim.demo_guild().context("cannot build the demo server")?;
        // The bot gets exactly what its invite URL asks for, so a missing permission shows here
        // as it would on a real server.
        sim.set_role_permissions(
            demo.guild,
            demo.bot_role,
            ticketbooth_bot::invite::REQUIRED_PERMISSIONS.bits(),
        )
        .context("cannot set the bot's permissions")?;
        let (database_url, temp_dir) = match options.database {
            Database::Url(url) => (url, None),
            Database::TempSqlite => {
                let dir = std::env::temp_dir().join(format!(
                    "ticketbooth-sandbox-{}-{:08x}",
                    std::process::id(),
                    rand_suffix()
                ));
                std::fs::create_dir_all(&dir)?;
                let url = format!("sqlite:{}", dir.join("sandbox.db").display());
                (url, Some(TempDir(dir)))
            }
        };
        let mut config = bot_config(&sim, &database_url);
        config.metrics_bind = options.metrics_bind;
        (options.bot)(&mut config);
        let bot = start_bot_with(config).await?;
        Ok(Sandbox {
            sim,
            demo,
            bot,
            database_url,
            _temp_dir: temp_dir,
        })
    }

    /// Stops the bot gracefully (the database directory goes when the sandbox is dropped).
    pub async fn stop(self) {
        self.bot.shutdown(Duration::from_secs(5)).await;
    }
}

/// Starts one more bot process-equivalent against the same simulator and database (for
/// tests with two bots on one PostgreSQL), and waits for its shards.
pub async fn start_bot(sim: &Sim, database_url: &str) -> anyhow::Result<Running> {
    start_bot_with(bot_config(sim, database_url)).await
}

/// Starts a bot with `config` and waits for its shards.
pub async fn start_bot_with(config: Config) -> anyhow::Result<Running> {
    let mut running = app::start(config).await?;
    wait_until_ready(&mut running).await?;
    Ok(running)
}

/// The configuration of a bot pointed at `sim`.
pub fn bot_config(sim: &Sim, database_url: &str) -> Config {
    Config {
        token: Some(Secret::new(sim.bot_token())),
        api_url: sim.http_url(),
        database_url: database_url.to_owned(),
        bind: "127.0.0.1:0".parse().expect("a valid address"),
        ..Config::default()
    }
}

/// Waits until every shard is connected, or reports why one never will be.
async fn wait_until_ready(running: &mut Running) -> anyhow::Result<()> {
    let health = running.ctx.health.clone();
    let ready = async {
        while !health.gateway_ready() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::select! {
        () = ready => Ok(()),
        error = running.fatal_error() => Err(error),
        () = tokio::time::sleep(Duration::from_secs(15)) => {
            anyhow::bail!("the bot did not connect to the simulator within 15 seconds")
        }
    }
}

fn rand_suffix() -> u32 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now()) as u32
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
