//! What the end-to-end tests need on the machine, checked up front so a missing piece
//! fails with the command that installs it instead of a confusing timeout later.
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A program the tests start, and how to get it.
struct Program {
    name: &'static str,
    install: &'static str,
}

const PROGRAMS: &[Program] = &[
    Program {
        name: "Xvfb",
        install: "apt-get install xvfb xauth",
    },
    Program {
        name: "xwininfo",
        install: "apt-get install x11-utils",
    },
    Program {
        name: "dbus-daemon",
        install: "apt-get install dbus",
    },
    Program {
        name: "dbus-send",
        install: "apt-get install dbus-bin (or dbus)",
    },
    Program {
        name: "dbus-monitor",
        install: "apt-get install dbus-bin (or dbus)",
    },
    Program {
        name: "dunst",
        install: "apt-get install dunst",
    },
    Program {
        name: "gnome-keyring-daemon",
        install: "apt-get install gnome-keyring",
    },
    Program {
        name: "pulseaudio",
        install: "apt-get install pulseaudio libasound2-plugins",
    },
    Program {
        name: "pactl",
        install: "apt-get install pulseaudio-utils",
    },
    Program {
        name: "WebKitWebDriver",
        install: "apt-get install webkit2gtk-driver",
    },
    Program {
        name: "tauri-driver",
        install: "cargo install tauri-driver --locked",
    },
];

/// Find `name` on `PATH` (and in `~/.cargo/bin`, where `cargo install` puts tauri-driver).
pub fn find_program(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
    {
        dirs.push(home.join("bin"));
    }
    dirs.into_iter()
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Every program the desktop needs, or a panic listing what is missing and how to install it.
pub fn require_programs() -> std::collections::HashMap<&'static str, PathBuf> {
    let mut found = std::collections::HashMap::new();
    let mut missing = Vec::new();
    for program in PROGRAMS {
        match find_program(program.name) {
            Some(path) => {
                found.insert(program.name, path);
            }
            None => missing.push(format!("  {:<22} {}", program.name, program.install)),
        }
    }
    assert!(
        missing.is_empty(),
        "the end-to-end tests need programs that are not installed (`cargo xtask test` installs \
         them all):\n{}",
        missing.join("\n")
    );
    found
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
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

/// Where screenshots go: `target/e2e-screens/`.
pub fn screens_dir() -> PathBuf {
    target_dir().join("e2e-screens")
}

fn newest_change_under(dir: &Path) -> Option<(SystemTime, PathBuf)> {
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    let entries = std::fs::read_dir(dir).ok()?;
    for entry in entries.flatten() {
        let path = entry.path();
        let candidate = if path.is_dir() {
            newest_change_under(&path)
        } else {
            entry
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .map(|t| (t, path))
        };
        if let Some((time, path)) = candidate {
            if newest.as_ref().is_none_or(|(best, _)| time > *best) {
                newest = Some((time, path));
            }
        }
    }
    newest
}

/// The `ringside` binary under test: `RINGSIDE_E2E_BIN`, else `target/debug/ringside`.
///
/// The tests cannot build it themselves (a nested cargo would wait on the build lock of the
/// `cargo test` that runs them); a binary older than the code it is built from gets a
/// warning on stderr.
pub fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("RINGSIDE_E2E_BIN") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "RINGSIDE_E2E_BIN={} is not a file",
            path.display()
        );
        return path;
    }
    let root = workspace_root();
    let binary = target_dir().join("debug").join("ringside");
    let how = "build it with `npm ci && npm run build` in ui/ and then `cargo build -p ringside` \
               (`cargo xtask test` does both)";
    assert!(
        binary.is_file(),
        "the app is not built: {} is missing; {how}",
        binary.display()
    );
    assert!(
        root.join("ui/dist/index.html").is_file() && root.join("ui/dist/popup.html").is_file(),
        "the UI is not built (ui/dist/index.html and popup.html); {how}"
    );
    let built = std::fs::metadata(&binary).and_then(|m| m.modified()).ok();
    for source in [
        "ui/dist",
        "src-tauri/src",
        "crates/ringside-core/src",
        "crates/finesse/src",
    ] {
        if let (Some(built), Some((changed, path))) =
            (built, newest_change_under(&root.join(source)))
        {
            if changed > built {
                // Not a failure: other work may touch sources between the build and the run.
                eprintln!(
                    "warning: {} is older than {}; the test may run yesterday's app ({how})",
                    binary.display(),
                    path.display()
                );
                break;
            }
        }
    }
    binary
}
