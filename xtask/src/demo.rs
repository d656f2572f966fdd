//! `cargo xtask demo`: the emulator's demo lab with calls arriving every ~20 s, and the
//! Ringside app pointed at it, trusting the lab's CA, with the demo credentials on the
//! sign-in screen.
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::{cargo, run, workspace_root};

/// Stops the emulator however the demo ends.
struct Emulator(Child);

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run_demo(_args: &[String]) -> Result<()> {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        bail!("the demo opens a desktop window and needs a graphical session (DISPLAY or WAYLAND_DISPLAY)");
    }
    crate::prerequisites::install_build_packages()?;
    crate::npm_in_ui(&["ci", "--no-audit", "--no-fund"])?;
    crate::npm_in_ui(&["run", "build"])?;
    run(cargo().args(["build", "-p", "finesse-emulator", "-p", "ringside"]))?;

    let target = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| workspace_root().join("target"));
    let demo_dir = target.join("demo");
    std::fs::create_dir_all(&demo_dir)?;
    let ca = demo_dir.join("lab-ca.pem");

    // Finesse's own ports (8445, 5222, 5223) on 127.0.0.1 (node A) and 127.0.0.2 (node B).
    let mut child = Command::new(target.join("debug/finesse-emulator"))
        .args(["--demo-calls-every", "20", "--json", "--ca-out"])
        .arg(&ca)
        .current_dir(workspace_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("could not start the emulator")?;
    let stdout = child.stdout.take().context("no emulator output")?;
    let emulator = Emulator(child);
    let mut first_line = String::new();
    BufReader::new(stdout).read_line(&mut first_line)?;
    let endpoints: serde_json::Value = serde_json::from_str(&first_line).with_context(|| {
        format!(
            "the emulator did not start (it said: {first_line:?}); are ports 8445/5222/5223 free?"
        )
    })?;
    let node = |i: usize| -> Option<String> {
        let n = &endpoints["nodes"][i];
        Some(format!(
            "{}:{}",
            n["host"].as_str()?,
            n["https_port"].as_u64()?
        ))
    };
    let node_a = node(0).context("the emulator reported no node A")?;
    let hint = "Demo lab: agent 1001 (agent01) … 1020, supervisor 1000 — password ringside — extension 2001 … 2020 (supervisor 2000)";
    eprintln!("xtask: emulator up, node A {node_a}; starting Ringside");

    let mut app = Command::new(target.join("debug/ringside"));
    app.arg("--ca-file").arg(&ca).args(["--node-a", &node_a]);
    if let Some(b) = node(1) {
        app.args(["--node-b", &b]);
    }
    let status = app
        .args(["--demo-hint", hint])
        .current_dir(workspace_root())
        .status()
        .context("could not start Ringside")?;
    drop(emulator);
    if !status.success() {
        bail!("Ringside exited with {status}");
    }
    Ok(())
}
