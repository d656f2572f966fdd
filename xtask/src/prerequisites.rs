//! Installs what the test tiers need, only where it is missing, on Debian/Ubuntu.
use std::process::Command;

use anyhow::{bail, Result};

use crate::{run, workspace_root};

/// Debian packages the build and the test tiers use, with a probe that proves each is
/// present: a command on PATH, or `pkg:<pkg-config name>` for a library.
const BUILD_PACKAGES: usize = 12;
const APT_PACKAGES: &[(&str, &str)] = &[
    // Build: the Tauri shell (WebKitGTK, GTK, tray, sound, D-Bus).
    ("build-essential", "cc"),
    ("pkg-config", "pkg-config"),
    ("libwebkit2gtk-4.1-dev", "pkg:webkit2gtk-4.1"),
    ("libgtk-3-dev", "pkg:gtk+-3.0"),
    (
        "libayatana-appindicator3-dev",
        "pkg:ayatana-appindicator3-0.1",
    ),
    ("librsvg2-dev", "pkg:librsvg-2.0"),
    ("libsoup-3.0-dev", "pkg:libsoup-3.0"),
    ("libxdo-dev", "file:/usr/include/xdo.h"),
    ("libssl-dev", "pkg:openssl"),
    ("libasound2-dev", "pkg:alsa"),
    ("libdbus-1-dev", "pkg:dbus-1"),
    ("file", "file"),
    // ↑ the first BUILD_PACKAGES entries are what building needs.
    // Tests: interop peers, a display, a WebDriver for WebKitGTK, a notification daemon,
    // a keychain, sound.
    ("prosody", "prosody"),
    ("xvfb", "Xvfb"),
    ("xauth", "xauth"),
    ("webkit2gtk-driver", "WebKitWebDriver"),
    ("dbus", "dbus-daemon"),
    ("dunst", "dunst"),
    ("gnome-keyring", "gnome-keyring-daemon"),
    ("pulseaudio", "pulseaudio"),
    ("pulseaudio-utils", "parec"),
    (
        "libasound2-plugins",
        "file:/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so",
    ),
    ("jq", "jq"),
    ("imagemagick", "convert"),
];

pub fn install_all() -> Result<()> {
    install_apt_packages()?;
    install_python_packages()?;
    install_node_packages("tests/interop")?;
    install_node_packages("ui")?;
    install_tauri_driver()?;
    Ok(())
}

/// Whether the probe of [`APT_PACKAGES`] finds its package.
fn present(probe: &str) -> bool {
    if let Some(lib) = probe.strip_prefix("pkg:") {
        return Command::new("pkg-config")
            .args(["--exists", lib])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
    }
    if let Some(path) = probe.strip_prefix("file:") {
        return std::path::Path::new(path).exists();
    }
    have(probe)
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

/// What the benchmarks need beyond the test tiers: a browser for the UI frame-rate bench.
pub fn install_bench_packages() -> Result<()> {
    install_apt(&[("chromium", "chromium")])?;
    install_node_packages("ui")
}

/// Only what building the app needs (the demo).
pub fn install_build_packages() -> Result<()> {
    install_apt(&APT_PACKAGES[..BUILD_PACKAGES])
}

fn install_apt_packages() -> Result<()> {
    install_apt(APT_PACKAGES)
}

fn install_apt(packages: &[(&str, &str)]) -> Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .filter(|(_, probe)| !present(probe))
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
    let _ = privileged("systemctl")
        .args(["disable", "--now", "prosody"])
        .status();
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

fn install_node_packages(folder: &str) -> Result<()> {
    let dir = workspace_root().join(folder);
    if !dir.join("package.json").exists() || dir.join("node_modules").exists() {
        return Ok(());
    }
    if !have("npm") {
        bail!("npm is needed for the strophe.js interop test");
    }
    let mut npm = Command::new("npm");
    npm.current_dir(&dir)
        .args(["ci", "--no-audit", "--no-fund"]);
    eprintln!("xtask: running npm ci in {}", dir.display());
    if !npm.status()?.success() {
        bail!("npm ci failed in {}", dir.display());
    }
    Ok(())
}

/// tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end tests.
fn install_tauri_driver() -> Result<()> {
    if have("tauri-driver") {
        return Ok(());
    }
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())).args([
            "install",
            "tauri-driver",
            "--locked",
        ]),
    )
}
