//! `ringside-cli`: a headless Finesse client built on [`finesse::session`].
//!
//! One-shot commands (`login`, `state`, `call`) connect, act, print the result and leave
//! without logging the agent out. `watch` prints JSON lines until interrupted. `doctor`
//! checks every layer and ends with a verdict. Exit codes: see [`error`].
mod args;
mod commands;
mod connect;
mod doctor;
pub mod error;
mod output;
mod password;
mod watch;

use std::process::ExitCode;

use clap::Parser;

pub use self::args::Cli;
use self::args::CliCommand;
use self::error::{CliError, EXIT_OK};

/// Parses the command line, runs the command, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let json = cli.json;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let error = CliError::Output(format!("cannot start the async runtime: {e}"));
            output::error(json, &error);
            return ExitCode::from(error.exit_code());
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(error) => {
            output::error(json, &error);
            ExitCode::from(error.exit_code())
        }
    }
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let Cli {
        connection,
        json,
        command,
    } = cli;
    match command {
        CliCommand::Doctor => doctor::doctor(&connection, json).await,
        CliCommand::Watch => {
            let session = connect::open(&connection, true).await?;
            watch::watch(&session).await
        }
        command => {
            let session = connect::open(&connection, false).await?;
            let result = match command {
                CliCommand::Login => commands::login(&session, &connection, json).await,
                CliCommand::State { state, reason } => {
                    commands::state(&session, state, reason, json).await
                }
                CliCommand::Call { action } => commands::call(&session, action, json).await,
                CliCommand::Doctor | CliCommand::Watch => Ok(()),
            };
            session.shutdown().await;
            result
        }
    }
}

/// Logs go to stderr only when `RINGSIDE_LOG` asks for them (e.g. `RINGSIDE_LOG=debug`).
fn init_logging() {
    if let Ok(filter) = std::env::var("RINGSIDE_LOG") {
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_writer(std::io::stderr)
            .finish();
        // Setting it twice is the only failure, and the first one stays in charge.
        drop(tracing::subscriber::set_global_default(subscriber));
    }
}
