//! `OsKeychain` against the real gnome-keyring, in a private D-Bus session.
//!
//! The test starts everything itself, so a plain `cargo test` runs it anywhere the Debian
//! packages `dbus` and `gnome-keyring` are installed (it fails with a clear message when
//! they are not):
//! 1. `dbus-daemon --config-file=<tmp>/bus.conf --print-address=1 --nofork` — a private
//!    session bus with a config of our own: no service directories, so nothing is
//!    activated behind the test's back and no other session bus is touched;
//! 2. `gnome-keyring-daemon --foreground --unlock --components=secrets` with a fresh HOME
//!    and the keyring password on stdin (it creates and unlocks the `login` keyring);
//! 3. it waits for `org.freedesktop.secrets` to appear on the bus (NameOwnerChanged), then
//!    points this process's `DBUS_SESSION_BUS_ADDRESS` at the private bus.
//!
//! Changing the environment races with other tests of the same binary, so this binary holds
//! exactly one `#[test]`. Both daemons are this test's children and are killed by pid at
//! the end (the keyring daemon also leaves by itself when its bus goes away).
// A test that cannot go on should stop right there, with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod process_support;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use process_support::{require, Daemon};
use ringside_core::keychain::{account_for, OsKeychain, SecretStore};

const SECRETS_NAME: &str = "org.freedesktop.secrets";
const SAFETY_NET: Duration = Duration::from_secs(30);

fn start_bus(dir: &Path) -> (Daemon, String) {
    let socket_dir = dir.join("bus");
    std::fs::create_dir_all(&socket_dir).unwrap();
    let config = dir.join("bus.conf");
    std::fs::write(
        &config,
        format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
            socket_dir.display()
        ),
    )
    .unwrap();
    let mut child = Command::new("dbus-daemon")
        .arg(format!("--config-file={}", config.display()))
        .args(["--print-address=1", "--nofork"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon starts");
    let stdout = child.stdout.take().expect("dbus-daemon stdout");
    let daemon = Daemon::new("dbus-daemon", child);
    // The address line is printed once the bus listens: reading it is the readiness wait.
    let mut address = String::new();
    BufReader::new(stdout)
        .read_line(&mut address)
        .expect("dbus-daemon prints its address");
    let address = address.trim().to_owned();
    assert!(address.starts_with("unix:"), "bus address: {address:?}");
    (daemon, address)
}

fn start_keyring(home: &Path, bus_address: &str, password: &str) -> Daemon {
    let runtime = home.join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    let mut child = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--unlock", "--components=secrets"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("DBUS_SESSION_BUS_ADDRESS", bus_address)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon starts");
    let mut stdin = child.stdin.take().expect("keyring stdin");
    stdin.write_all(password.as_bytes()).unwrap();
    drop(stdin);
    Daemon::new("gnome-keyring-daemon", child)
}

/// Wait until `name` has an owner on the bus (or, with `owned == false`, has none), driven
/// by NameOwnerChanged signals.
fn wait_for_name(bus_address: &str, name: &'static str, owned: bool) {
    let mut channel = dbus::channel::Channel::open_private(bus_address).expect("bus connection");
    channel.register().expect("bus hello");
    let connection = dbus::blocking::Connection::from(channel);
    let reached = Arc::new(AtomicBool::new(false));
    let seen = reached.clone();
    let rule = dbus::message::MatchRule::new_signal("org.freedesktop.DBus", "NameOwnerChanged");
    connection
        .add_match(
            rule,
            move |(changed, _old, new): (String, String, String), _, _| {
                if changed == name && new.is_empty() != owned {
                    seen.store(true, Ordering::SeqCst);
                }
                true
            },
        )
        .expect("subscribe to NameOwnerChanged");
    let bus = connection.with_proxy(
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        Duration::from_secs(5),
    );
    let (has_owner,): (bool,) = bus
        .method_call("org.freedesktop.DBus", "NameHasOwner", (name,))
        .expect("NameHasOwner");
    let deadline = Instant::now() + SAFETY_NET;
    let mut done = has_owner == owned;
    while !done && Instant::now() < deadline {
        connection
            .process(Duration::from_millis(500))
            .expect("bus messages");
        done = reached.load(Ordering::SeqCst);
    }
    let wanted = if owned { "appear on" } else { "leave" };
    assert!(
        done,
        "{name} did not {wanted} the private bus within {SAFETY_NET:?}"
    );
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(path),
                Ok(kind) if kind.is_file() => files.push(path),
                _ => {}
            }
        }
    }
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[test]
fn passwords_live_in_the_secret_service_and_nowhere_on_disk() {
    require("dbus-daemon", "dbus");
    require("gnome-keyring-daemon", "gnome-keyring");

    let temp = tempfile::tempdir().unwrap();
    let home = temp.path().join("home");
    std::fs::create_dir_all(home.join(".config/ringside")).unwrap();
    let (bus, bus_address) = start_bus(temp.path());
    let keyring_daemon = start_keyring(&home, &bus_address, "keyring-unlock-pw");
    wait_for_name(&bus_address, SECRETS_NAME, true);

    // Everything the keyring crate and `dirs` read now points into the private world.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus_address);
    std::env::set_var("HOME", &home);
    std::env::set_var("XDG_CONFIG_HOME", home.join(".config"));
    std::env::set_var("XDG_DATA_HOME", home.join(".local/share"));

    let keychain = OsKeychain::new();
    let account = account_for("Agent1001", "fin-a.lab.example:8445");
    let password = "Tr0ub4dor&3-unique-9f2c";

    assert_eq!(keychain.get(&account).unwrap(), None, "nothing saved yet");
    keychain.set(&account, "first-password-7d1e").unwrap();
    keychain.set(&account, password).unwrap();
    assert_eq!(
        keychain.get(&account).unwrap().as_deref(),
        Some(password),
        "the newest one wins"
    );
    assert_eq!(
        keychain
            .get(&account_for("agent1001", "fin-b.lab.example"))
            .unwrap(),
        None,
        "another host is another account"
    );

    // The settings dir, and everything else under HOME (the keyring's own file included),
    // never holds the password in clear.
    let settings_dir = dirs::config_dir().unwrap().join("ringside");
    assert!(
        settings_dir.starts_with(&home),
        "settings dir {settings_dir:?} is private"
    );
    let files = files_under(&home);
    assert!(
        files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "keyring")),
        "the keyring file exists, so the scan covers it: {files:?}"
    );
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        assert!(
            !contains(&bytes, password.as_bytes()),
            "password found in {file:?}"
        );
    }

    keychain.delete(&account).unwrap();
    assert_eq!(keychain.get(&account).unwrap(), None, "deleted");
    keychain.delete(&account).unwrap();

    // No Secret Service on the bus: a typed error, not a panic.
    keyring_daemon.stop();
    wait_for_name(&bus_address, SECRETS_NAME, false);
    let error = keychain.get(&account).unwrap_err();
    assert_eq!(error.code(), "keychain_unavailable", "{error}");

    // No bus at all: the same.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", temp.path().join("no-such-bus").display()),
    );
    let error = keychain.set(&account, password).unwrap_err();
    assert_eq!(error.code(), "keychain_unavailable", "{error}");
    bus.stop();
}
