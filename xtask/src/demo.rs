//! `cargo xtask demo`: the emulator's demo lab with calls arriving every ~20 s, and a
//! Ringside session against it.
use std::process::Command;

use anyhow::{Context, Result};

use crate::{cargo, run, workspace_root};

pub fn run_demo(_args: &[String]) -> Result<()> {
    run(cargo().args(["build", "-p", "finesse-emulator", "-p", "ringside-core"]))?;
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| workspace_root().join("target"));
    let emulator = target.join("debug/finesse-emulator");
    let status = Command::new(&emulator)
        .args(["--demo-calls-every", "20"])
        .current_dir(workspace_root())
        .status()
        .with_context(|| format!("could not start {}", emulator.display()))?;
    if !status.success() {
        anyhow::bail!("the emulator exited with {status}");
    }
    Ok(())
}
