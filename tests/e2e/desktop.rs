//! A private Linux desktop for one test: its own X server (Xvfb), D-Bus session bus, notification
//! daemon (dunst), keyring (gnome-keyring, unlocked), sound server (PulseAudio with a null sink),
//! and a fresh home directory. Nothing of the machine's own session leaks in, and everything
//! is stopped when the [`Desktop`] is dropped.
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::notifications::NotificationWatch;
use super::prerequisites::require_programs;
use super::wait::wait_until;

/// The password the test keyring is created and unlocked with.
const KEYRING_PASSWORD: &str = "e2e-keyring";
/// The PulseAudio sink the app's ring plays into.
pub const SINK: &str = "ringside_e2e";
/// Screen size of the virtual display.
pub const SCREEN: (u32, u32) = (1280, 800);

/// The running desktop; its environment is what the app and the drivers get.
pub struct Desktop {
    env: HashMap<String, String>,
    home: tempfile::TempDir,
    /// Started last, stopped first.
    daemons: Vec<(&'static str, Child)>,
    programs: HashMap<&'static str, PathBuf>,
    pub notifications: NotificationWatch,
}

fn read_first_line(child: &mut Child, what: &str) -> String {
    let stdout = child
        .stdout
        .take()
        .unwrap_or_else(|| panic!("{what}: no stdout"));
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{what} printed nothing: {e}"));
    let line = line.trim().to_owned();
    assert!(
        !line.is_empty(),
        "{what} exited without printing its address"
    );
    line
}

impl Desktop {
    /// Start everything; panics with an install hint when a program is missing.
    pub fn start() -> Desktop {
        let programs = require_programs();
        let home = tempfile::Builder::new()
            .prefix("ringside-e2e-")
            .tempdir()
            .unwrap();
        let dir = |name: &str| {
            let path = home.path().join(name);
            std::fs::create_dir_all(&path).unwrap();
            path.to_string_lossy().into_owned()
        };
        let runtime = dir("run");
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let mut env: HashMap<String, String> = HashMap::new();
        for keep in ["PATH", "LANG", "RUST_BACKTRACE", "RINGSIDE_LOG"] {
            if let Ok(value) = std::env::var(keep) {
                env.insert(keep.into(), value);
            }
        }
        env.insert("HOME".into(), home.path().to_string_lossy().into_owned());
        env.insert("XDG_RUNTIME_DIR".into(), runtime.clone());
        env.insert("XDG_CONFIG_HOME".into(), dir("config"));
        env.insert("XDG_DATA_HOME".into(), dir("data"));
        env.insert("XDG_CACHE_HOME".into(), dir("cache"));
        env.insert("XDG_STATE_HOME".into(), dir("state"));
        env.insert("LANG".into(), "C.UTF-8".into());
        // Not WEBKIT_DISABLE_DMABUF_RENDERER: with it, WebKitGTK 2.50 under Xvfb never answers
        // a WebDriver screenshot.
        env.insert("NO_AT_BRIDGE".into(), "1".into());
        env.insert("GDK_BACKEND".into(), "x11".into());

        let mut desktop = Desktop {
            env,
            home,
            daemons: Vec::new(),
            programs,
            notifications: NotificationWatch::default(),
        };

        // Xvfb picks a free display number and writes it to the given descriptor (stdout).
        let mut xvfb = desktop
            .command("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0"])
            .arg(format!("{}x{}x24", SCREEN.0, SCREEN.1))
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let display = read_first_line(&mut xvfb, "Xvfb");
        desktop.daemons.push(("Xvfb", xvfb));
        desktop.env.insert("DISPLAY".into(), format!(":{display}"));

        let mut bus = desktop
            .command("dbus-daemon")
            // The socket in the test's runtime directory, removed with it (the session
            // config's default would leave one in /tmp per run).
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:dir={runtime}"))
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let address = read_first_line(&mut bus, "dbus-daemon");
        desktop.daemons.push(("dbus-daemon", bus));
        desktop
            .env
            .insert("DBUS_SESSION_BUS_ADDRESS".into(), address);

        // Watch the bus before anyone can send a notification.
        let monitor = desktop
            .command("dbus-monitor")
            .args([
                "--session",
                "interface='org.freedesktop.Notifications',member='Notify'",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        desktop.notifications = NotificationWatch::start(monitor);

        let dunst = desktop.command("dunst").spawn().unwrap();
        desktop.daemons.push(("dunst", dunst));

        let mut keyring = desktop
            .command("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets", "--foreground"])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        {
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(KEYRING_PASSWORD.as_bytes()).unwrap();
        }
        desktop.daemons.push(("gnome-keyring-daemon", keyring));

        let pulse = desktop
            .command("pulseaudio")
            .args([
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--disallow-exit",
                "-n",
                "--load=module-native-protocol-unix",
                "--log-target=stderr",
                "--log-level=error",
            ])
            .arg(format!("--load=module-null-sink sink_name={SINK}"))
            .spawn()
            .unwrap();
        desktop.daemons.push(("pulseaudio", pulse));

        for name in ["org.freedesktop.Notifications", "org.freedesktop.secrets"] {
            let ready = wait_until(Duration::from_secs(20), || desktop.bus_has_name(name));
            assert!(ready, "{name} did not appear on the test's session bus");
        }
        let pulse_ready = wait_until(Duration::from_secs(20), || {
            desktop
                .output("pactl", &["info"])
                .is_some_and(|info| info.contains(SINK))
        });
        assert!(pulse_ready, "PulseAudio did not start with the {SINK} sink");
        // The ring plays into the null sink: make it the default output.
        desktop.output("pactl", &["set-default-sink", SINK]);
        desktop
    }

    /// A command for one of the checked programs, in this desktop's environment only.
    pub fn command(&self, program: &'static str) -> Command {
        let path = self
            .programs
            .get(program)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(program));
        let mut command = Command::new(path);
        command
            .env_clear()
            .envs(&self.env)
            .current_dir(self.home.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        command
    }

    /// Run a helper program to completion and return its stdout, if it succeeded.
    pub fn output(&self, program: &'static str, args: &[&str]) -> Option<String> {
        let output = self
            .command(program)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }

    fn bus_has_name(&self, name: &str) -> bool {
        let reply = self.output(
            "dbus-send",
            &[
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                &format!("string:{name}"),
            ],
        );
        reply.is_some_and(|out| out.contains("boolean true"))
    }

    /// The environment variables the app and the drivers run with.
    pub fn env(&self) -> &HashMap<String, String> {
        &self.env
    }

    /// The fresh home directory (settings, keyring, logs live under it).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Streams currently playing into PulseAudio (the ring shows up here while it rings).
    pub fn playing_streams(&self) -> Vec<String> {
        self.output("pactl", &["list", "short", "sink-inputs"])
            .map(|out| {
                out.lines()
                    .map(str::to_owned)
                    .filter(|l| !l.trim().is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether an X window with exactly this title is mapped (visible) on the display.
    pub fn window_is_visible(&self, title: &str) -> bool {
        let tree = self
            .output("xwininfo", &["-root", "-tree"])
            .unwrap_or_default();
        let quoted = format!("\"{title}\"");
        let ids: Vec<String> = tree
            .lines()
            .filter(|line| line.contains(&quoted))
            .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
            .collect();
        ids.iter().any(|id| {
            self.output("xwininfo", &["-id", id])
                .is_some_and(|info| info.contains("Map State: IsViewable"))
        })
    }

    /// The text of the app's log files (to look for a line the app must have written).
    pub fn app_log(&self) -> String {
        let mut text = String::new();
        let data = self.home.path().join("data");
        if let Ok(apps) = std::fs::read_dir(&data) {
            for app in apps.flatten() {
                if let Ok(files) = std::fs::read_dir(app.path().join("logs")) {
                    for file in files.flatten() {
                        text.push_str(&std::fs::read_to_string(file.path()).unwrap_or_default());
                    }
                }
            }
        }
        text
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        self.notifications.stop();
        while let Some((_name, mut child)) = self.daemons.pop() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
