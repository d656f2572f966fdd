//! The command line: what a launch may add on top of the settings (the top layer of the
//! configuration, see ARCHITECTURE.md).
use std::path::PathBuf;

use clap::Parser;

/// Ringside: a tray companion for Cisco Finesse agents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Parser)]
#[command(name = "ringside", version, about)]
pub struct LaunchOptions {
    /// A PEM file with the company's certificate authority, trusted next to the system's.
    #[arg(long, value_name = "PEM", env = "RINGSIDE_EXTRA_CA")]
    pub ca_file: Option<PathBuf>,
    /// Preset Finesse node A (`host` or `host:port`) on the sign-in screen.
    #[arg(long, value_name = "HOST")]
    pub node_a: Option<String>,
    /// Preset Finesse node B.
    #[arg(long, value_name = "HOST")]
    pub node_b: Option<String>,
    /// A line shown on the sign-in screen (the demo prints the emulator's credentials).
    #[arg(long, value_name = "TEXT")]
    pub demo_hint: Option<String>,
    /// Start in the tray with the main window hidden, whatever the settings say.
    #[arg(long)]
    pub minimised: bool,
    /// WebKitWebDriver starts the browser it drives with this flag; the app needs nothing
    /// from it, but must not refuse to start.
    #[arg(long, hide = true)]
    pub automation: bool,
}

impl LaunchOptions {
    /// Parse `args` (program name first). On `--help`, `--version` or a mistake this prints
    /// and returns the exit code to leave with.
    pub fn parse_or_exit_code<I, T>(args: I) -> Result<LaunchOptions, i32>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        LaunchOptions::try_parse_from(args).map_err(|e| {
            let code = e.exit_code();
            let _ = e.print();
            code
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_launch_flags_are_read() {
        let options = LaunchOptions::parse_or_exit_code([
            "ringside",
            "--ca-file",
            "/tmp/lab-ca.pem",
            "--node-a",
            "127.0.0.1:8445",
            "--demo-hint",
            "agent01 / ringside",
        ])
        .unwrap();
        assert_eq!(options.ca_file, Some(PathBuf::from("/tmp/lab-ca.pem")));
        assert_eq!(options.node_a.as_deref(), Some("127.0.0.1:8445"));
        assert_eq!(options.demo_hint.as_deref(), Some("agent01 / ringside"));
        assert!(!options.minimised);
    }

    #[test]
    fn webdriver_automation_flag_is_accepted() {
        let options = LaunchOptions::parse_or_exit_code(["ringside", "--automation"]).unwrap();
        assert!(options.automation);
    }

    #[test]
    fn unknown_flag_is_refused_with_usage_exit_code() {
        assert_eq!(
            LaunchOptions::parse_or_exit_code(["ringside", "--bogus"]),
            Err(2)
        );
    }
}
