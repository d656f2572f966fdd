//! Logging: `tracing` to a daily rolling file in the OS log directory, plus warnings to
//! stderr. `RINGSIDE_LOG` takes an `EnvFilter` directive (default `info`).
//!
//! Nothing here formats command arguments: the sign-in form carries a password, so the
//! shell logs only command names and error codes.
use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// How many daily files are kept.
const KEPT_LOG_FILES: usize = 7;

/// Where the log files go: the directory Tauri calls `app_log_dir` for this identifier.
pub fn log_dir(identifier: &str) -> Option<PathBuf> {
    if cfg!(target_os = "macos") {
        dirs::home_dir().map(|home| home.join("Library/Logs").join(identifier))
    } else {
        dirs::data_local_dir().map(|data| data.join(identifier).join("logs"))
    }
}

/// Keeps the log writer's thread alive; dropping it flushes the file.
#[derive(Debug)]
pub struct LogGuard {
    _file: Option<WorkerGuard>,
    /// The directory written to, when a file could be opened.
    pub dir: Option<PathBuf>,
}

/// Install the global subscriber. A log directory that cannot be created leaves stderr
/// logging only: the app must start anyway.
pub fn init(identifier: &str) -> LogGuard {
    let filter =
        || EnvFilter::try_from_env("RINGSIDE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(
            EnvFilter::try_from_env("RINGSIDE_LOG").unwrap_or_else(|_| EnvFilter::new("warn")),
        );
    let dir = log_dir(identifier);
    let appender = dir.as_ref().and_then(|dir| {
        // tracing-appender prunes old files before it creates the directory, and complains
        // on stderr on the very first start.
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!(
                "ringside: cannot create the log directory {}: {e}",
                dir.display()
            );
            return None;
        }
        Builder::new()
            .rotation(Rotation::DAILY)
            .filename_prefix("ringside")
            .filename_suffix("log")
            .max_log_files(KEPT_LOG_FILES)
            .build(dir)
            .map_err(|e| eprintln!("ringside: cannot write logs to {}: {e}", dir.display()))
            .ok()
    });
    let (file, guard, dir) = match appender {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(filter());
            (Some(layer), Some(guard), dir)
        }
        None => (None, None, None),
    };
    let _ = tracing_subscriber::registry()
        .with(file)
        .with(stderr)
        .try_init();
    LogGuard { _file: guard, dir }
}
