//! `cargo xtask demo | test | bench` — the project's task runner.
//!
//! `test` installs what the test tiers need on a fresh Debian/Ubuntu machine (only what is
//! missing) and runs every tier; `.ci/run` calls it.
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};

mod bench;
mod bundle;
mod demo;
mod prerequisites;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(&args[1..]),
        Some("bench") => bench::run_benchmarks(&args[1..]),
        Some("demo") => demo::run_demo(&args[1..]),
        Some("bundle") => bundle::run_bundle(&args[1..]),
        Some("install-test-deps") => prerequisites::install_all(),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n\
                 commands:\n  \
                 demo               run Ringside against the emulator's demo lab (calls every ~20 s)\n  \
                 test               install what the tests need (if missing) and run every test tier\n  \
                 bench              run the benchmarks and write target/bench-report.md\n  \
                 bundle             build the .deb and .rpm packages into target/release/bundle/\n  \
                 install-test-deps  only install the test prerequisites"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Run a command in the workspace root, failing with its name if it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    eprintln!("xtask: running {shown}");
    let status = cmd
        .current_dir(workspace_root())
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed with {status}");
    }
    Ok(())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Run npm with arguments in `ui/`.
pub fn npm_in_ui(args: &[&str]) -> Result<()> {
    let mut npm = Command::new("npm");
    npm.args(args);
    let shown = format!("npm {}", args.join(" "));
    eprintln!("xtask: running {shown} in ui/");
    let status = npm
        .current_dir(workspace_root().join("ui"))
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed with {status}");
    }
    Ok(())
}

fn ui_tier() -> Result<()> {
    npm_in_ui(&["test"])?;
    npm_in_ui(&["run", "check"])?;
    npm_in_ui(&["run", "build"])
}

fn test(args: &[String]) -> Result<()> {
    let skip_install = args.iter().any(|a| a == "--no-install");
    if !skip_install {
        prerequisites::install_all()?;
    }
    // Tier 4 first: the UI's own tests, and its build, which the shell embeds.
    ui_tier()?;
    // Tiers 1–3 and 5: unit, integration against the emulator, interop with Prosody, slixmpp
    // and strophe.js, and end to end in the real webview. Tests fail (not skip) when what
    // they need is missing.
    run(cargo().args(["build", "-p", "ringside"]))?;
    run(cargo().args(["test", "--workspace", "--all-targets", "--no-fail-fast"]))?;
    // Doc examples are tests too.
    run(cargo().args(["test", "--workspace", "--doc"]))?;
    Ok(())
}
