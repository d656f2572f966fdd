//! Installs what the test tiers need, only where it is missing, on Debian/Ubuntu.
use std::process::Command;

use anyhow::{bail, Result};

use crate::{run, workspace_root};

/// Debian packages the tests use, with a command that proves each is present.
const APT_PACKAGES: &[(&str, &str)] = &[("prosody", "prosody")];

pub fn install_all() -> Result<()> {
    install_apt_packages()?;
    install_python_packages()?;
    install_node_packages()?;
    Ok(())
}

fn have(command: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {command} >/dev/null 2>&1")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn privileged(program: &str) -> Command {
    if is_root() {
        Command::new(program)
    } else {
        let mut c = Command::new("sudo");
        c.arg(program);
        c
    }
}

fn install_apt_packages() -> Result<()> {
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .filter(|(_, probe)| !have(probe))
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !have("apt-get") {
        bail!("these Debian packages are needed and apt-get is not available: {missing:?}");
    }
    run(privileged("apt-get").args(["update", "-q"]))?;
    let mut install = privileged("apt-get");
    install
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&missing);
    run(&mut install)?;
    // The package starts a system-wide Prosody; tests start their own on free ports.
    let _ = privileged("systemctl").args(["disable", "--now", "prosody"]).status();
    let _ = privileged("service").args(["prosody", "stop"]).status();
    Ok(())
}

fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn install_python_packages() -> Result<()> {
    if python_has("slixmpp") {
        return Ok(());
    }
    let plain = Command::new("python3")
        .args(["-m", "pip", "install", "-q", "slixmpp"])
        .status()?;
    if !plain.success() {
        // Debian's own Python marks its site-packages as externally managed.
        run(Command::new("python3").args([
            "-m",
            "pip",
            "install",
            "-q",
            "--break-system-packages",
            "slixmpp",
        ]))?;
    }
    Ok(())
}

fn install_node_packages() -> Result<()> {
    let dir = workspace_root().join("tests/interop");
    if !dir.join("package.json").exists() || dir.join("node_modules").exists() {
        return Ok(());
    }
    if !have("npm") {
        bail!("npm is needed for the strophe.js interop test");
    }
    let mut npm = Command::new("npm");
    npm.current_dir(&dir).args(["ci", "--no-audit", "--no-fund"]);
    eprintln!("xtask: running npm ci in {}", dir.display());
    if !npm.status()?.success() {
        bail!("npm ci failed in {}", dir.display());
    }
    Ok(())
}
