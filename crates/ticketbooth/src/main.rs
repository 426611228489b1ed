//! The `ticketbooth` command: run the bot, migrate, register commands, print the invite URL,
//! check the configuration, or start the local Discord simulator and sandbox.

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use ticketbooth_bot::config::{self, Config, Report};

/// A self-hosted Discord support-ticket bot.
#[derive(Debug, Parser)]
#[command(name = "ticketbooth", version, about, long_about = None)]
struct Cli {
    /// An optional TOML configuration file (environment variables override it).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the bot (the default).
    Run,
    /// Apply database migrations and exit.
    Migrate,
    /// Recount the statistics from the stored tickets and exit: only needed after tickets were
    /// written behind the bot's back (an import), as the bot keeps them exact itself.
    RebuildStats,
    /// Register the slash commands (globally, or in one server for quick testing) and exit.
    RegisterCommands {
        /// Register in this server only; server commands appear at once.
        #[arg(long, value_name = "GUILD_ID")]
        guild: Option<u64>,
    },
    /// Start the local Discord simulator alone, on a loopback port.
    Sim {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 3210)]
        port: u16,
        /// Populate it with the demo server.
        #[arg(long)]
        demo_guild: bool,
    },
    /// Start the simulator, a demo server and the bot on a throwaway database: no network, no token.
    Sandbox {
        /// Play a scripted walk through the ticket lifecycle and print what each user sees.
        #[arg(long)]
        demo: bool,
        /// Port for the simulator (0 picks a free one).
        #[arg(long, default_value_t = 3210)]
        port: u16,
    },
    /// Print the URL that adds the bot to a server, with exactly the permissions it needs.
    InviteUrl {
        /// The application's client id (default: read from DISCORD_TOKEN).
        #[arg(long)]
        client_id: Option<u64>,
    },
    /// Inspect the configuration.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// List the delayed jobs (deletions, transcripts …) that failed for good, or retry one.
    Jobs {
        #[command(subcommand)]
        action: Option<JobsAction>,
    },
}

#[derive(Debug, Subcommand)]
enum JobsAction {
    /// Run a failed job again, with a fresh set of attempts.
    Retry {
        /// The job's id, as `ticketbooth jobs` lists it.
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigAction {
    /// Report what is set, what is missing and what is wrong.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (config, report) = config::from_env(cli.config.as_deref());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(dispatch(
        cli.command.unwrap_or(Command::Run),
        config,
        report,
    ));
    match result {
        Ok(code) => code,
        Err(error) => {
            // One clear sentence with its causes, never a backtrace.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(command: Command, config: Config, report: Report) -> anyhow::Result<ExitCode> {
    if !matches!(command, Command::Config { .. }) && !report.problems.is_empty() {
        anyhow::bail!(
            "the configuration has problems:\n  - {}\n(run `ticketbooth config check` for the full report)",
            report.problems.join("\n  - ")
        );
    }
    match command {
        Command::Run => {
            ticketbooth_bot::logging::init(config.log_format);
            ticketbooth_bot::app::run(config).await?;
        }
        Command::Migrate => {
            let store = ticketbooth_store::connect(&config.database_url).await?;
            store.migrate().await?;
            println!(
                "The database at {} is migrated.",
                config::redact_url_password(&config.database_url)
            );
        }
        Command::RebuildStats => {
            let store = ticketbooth_store::connect(&config.database_url).await?;
            store.migrate().await?;
            let started = std::time::Instant::now();
            store.rebuild_stats().await?;
            println!(
                "Recounted the statistics in {:.1} s.",
                started.elapsed().as_secs_f64()
            );
        }
        Command::RegisterCommands { guild } => {
            ticketbooth_bot::logging::init(config.log_format);
            let count = ticketbooth_bot::registration::register_from_config(&config, guild).await?;
            match guild {
                Some(guild) => println!("Registered {count} commands in server {guild}."),
                None => println!(
                    "Registered {count} global commands (Discord may take a few minutes to show them)."
                ),
            }
        }
        Command::Sim { port, demo_guild } => ticketbooth::demo::sim_only(port, demo_guild).await?,
        Command::Sandbox { demo, port } => ticketbooth::demo::sandbox(port, demo).await?,
        Command::InviteUrl { client_id } => {
            let client_id = client_id
                .or_else(|| {
                    config
                        .token
                        .as_ref()
                        .and_then(|t| ticketbooth_bot::invite::client_id_from_token(t.expose()))
                })
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "give --client-id (the Application ID from the developer portal) or set DISCORD_TOKEN"
                    )
                })?;
            println!("{}", ticketbooth_bot::invite::invite_url(client_id));
        }
        Command::Config {
            action: ConfigAction::Check,
        } => {
            let blockers = start_blockers(&config, &report).await;
            return Ok(print_report(&report, &blockers));
        }
        Command::Jobs { action } => {
            let store = ticketbooth_store::connect(&config.database_url).await?;
            store.migrate().await?;
            let out = match action {
                None => ticketbooth::jobs::list_failed(store.as_ref()).await?,
                Some(JobsAction::Retry { id }) => {
                    ticketbooth::jobs::retry(store.as_ref(), id).await?
                }
            };
            print!("{out}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What would stop `ticketbooth run` with this configuration beyond the report's problems: no
/// token, or a database that cannot be opened (tried, with a time limit, when its URL is
/// well-formed enough to try).
async fn start_blockers(config: &Config, report: &Report) -> Vec<String> {
    let mut blockers = Vec::new();
    if config.token.is_none() {
        blockers.push("DISCORD_TOKEN is not set, so the bot cannot log in to Discord".to_owned());
    }
    if config::is_supported_database_url(&config.database_url) {
        let url = config::redact_url_password(&config.database_url);
        let opened = tokio::time::timeout(DATABASE_CHECK, async {
            let store = ticketbooth_store::connect(&config.database_url).await?;
            store.ping().await?;
            store.close().await;
            anyhow::Ok(())
        })
        .await;
        match opened {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                blockers.push(format!("the database at {url} cannot be opened: {error:#}"))
            }
            Err(_) => blockers.push(format!(
                "the database at {url} did not answer within {} seconds",
                DATABASE_CHECK.as_secs()
            )),
        }
    } else if report.problems.is_empty() {
        blockers.push("DATABASE_URL is not a database URL the bot supports".to_owned());
    }
    blockers
}

/// How long `config check` waits for the database.
const DATABASE_CHECK: std::time::Duration = std::time::Duration::from_secs(10);

/// Prints the report; the exit code is non-zero when the bot could not start with it.
fn print_report(report: &Report, blockers: &[String]) -> ExitCode {
    println!("Set:");
    if report.set.is_empty() {
        println!("  nothing (every setting has its default)");
    }
    for (name, (value, source)) in &report.set {
        println!("  {name} = {value}   (from the {source})");
    }
    if !report.missing.is_empty() {
        println!("Missing:");
        for line in &report.missing {
            println!("  {line}");
        }
    }
    if report.problems.is_empty() && blockers.is_empty() {
        println!("Problems: none. The bot can start with this configuration.");
        ExitCode::SUCCESS
    } else {
        println!("Problems (the bot cannot start with this configuration):");
        for line in report.problems.iter().chain(blockers) {
            println!("  {line}");
        }
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_is_the_default() {
        let cli = Cli::try_parse_from(["ticketbooth"]).unwrap();
        assert!(cli.command.is_none());
        let cli = Cli::try_parse_from(["ticketbooth", "config", "check"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Config {
                action: ConfigAction::Check
            })
        ));
    }
}
