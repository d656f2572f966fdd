//! `cargo xtask bundle`: the Linux installer packages (.deb and .rpm).
//!
//! Builds the UI (`npm ci` when its packages are missing or stale, then `npm run build` in
//! `ui/`), installs the Tauri CLI from npm (`src-tauri/package.json` pins `@tauri-apps/cli`
//! 2.x; `cargo install tauri-cli` would take minutes) and runs `tauri build --bundles deb,rpm` from `src-tauri/`, where the CLI finds
//! `tauri.conf.json` (a link to the top-level one). Everything works offline once the npm
//! packages are cached; AppImage is left out because its tools download at build time.
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::workspace_root;

/// pkg-config names of the GTK/WebKit libraries the shell links, with the Debian package
/// that provides each.
const BUILD_LIBRARIES: &[(&str, &str)] = &[
    ("webkit2gtk-4.1", "libwebkit2gtk-4.1-dev"),
    ("gtk+-3.0", "libgtk-3-dev"),
    ("ayatana-appindicator3-0.1", "libayatana-appindicator3-dev"),
    ("librsvg-2.0", "librsvg2-dev"),
    ("libsoup-3.0", "libsoup-3.0-dev"),
    ("alsa", "libasound2-dev"),
    ("dbus-1", "libdbus-1-dev"),
];

fn npm(dir: &Path) -> Command {
    let mut command = Command::new("npm");
    command.current_dir(dir);
    command
}

/// Like [`run`], but in `dir` rather than the workspace root.
fn run_in(dir: &Path, command: &mut Command) -> Result<()> {
    let shown = format!("{command:?} (in {})", dir.display());
    eprintln!("xtask: running {shown}");
    let status = command
        .current_dir(dir)
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed with {status}");
    }
    Ok(())
}

fn check_build_libraries() -> Result<()> {
    let missing: Vec<&str> = BUILD_LIBRARIES
        .iter()
        .filter(|(library, _)| {
            !Command::new("pkg-config")
                .args(["--exists", library])
                .status()
                .map(|s| s.success())
                .unwrap_or(false)
        })
        .map(|(_, package)| *package)
        .collect();
    if !missing.is_empty() {
        bail!(
            "the desktop shell needs these development packages: apt-get install -y \
             --no-install-recommends build-essential pkg-config file {}",
            missing.join(" ")
        );
    }
    Ok(())
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_relative() {
                workspace_root().join(dir)
            } else {
                dir
            }
        })
        .unwrap_or_else(|| workspace_root().join("target"))
}

fn packages_in(dir: &Path, extension: &str) -> Vec<(PathBuf, u64)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, u64)> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .map(|path| {
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            (path, size)
        })
        .collect();
    found.sort();
    found
}

/// `npm ci` unless `node_modules` already matches the lock file (npm's own record of what
/// it installed, `node_modules/.package-lock.json`, is newer than `package-lock.json`), so a
/// developer's installed packages are not thrown away and fetched again.
fn npm_ci_if_needed(dir: &Path) -> Result<()> {
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let installed = modified(dir.join("node_modules/.package-lock.json"));
    let locked = modified(dir.join("package-lock.json"));
    match (installed, locked) {
        (Some(installed), Some(locked)) if installed >= locked => Ok(()),
        _ => run_in(dir, npm(dir).args(["ci", "--no-audit", "--no-fund"])),
    }
}

pub fn run_bundle(args: &[String]) -> Result<()> {
    if let Some(unknown) = args.first() {
        bail!("`cargo xtask bundle` takes no arguments (got {unknown:?})");
    }
    check_build_libraries()?;
    let root = workspace_root();
    let ui = root.join("ui");
    npm_ci_if_needed(&ui)?;
    run_in(&ui, npm(&ui).args(["run", "build"]))?;

    let shell = root.join("src-tauri");
    npm_ci_if_needed(&shell)?;
    run_in(
        &shell,
        npm(&shell)
            .args([
                "exec",
                "--",
                "tauri",
                "build",
                "--bundles",
                "deb,rpm",
                "--ci",
            ])
            .env("TAURI_APP_PATH", &shell)
            .env("TAURI_FRONTEND_PATH", &shell),
    )?;

    let bundles = target_dir().join("release").join("bundle");
    let mut built = packages_in(&bundles.join("deb"), "deb");
    built.extend(packages_in(&bundles.join("rpm"), "rpm"));
    if built.is_empty() {
        bail!(
            "tauri build finished but no package is in {}",
            bundles.display()
        );
    }
    eprintln!("xtask: packages:");
    for (path, size) in built {
        eprintln!(
            "  {:>7.1} MiB  {}",
            size as f64 / (1024.0 * 1024.0),
            path.display()
        );
    }
    Ok(())
}
