//! Running the built `ringside-cli` binary against the in-process emulator on 127.0.0.1.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::process::{Output, Stdio};
use std::time::Duration;

use finesse_emulator::center::NodeId;
use finesse_emulator::clock::SimClock;
use finesse_emulator::config::{LabConfig, DEMO_PASSWORD};
use finesse_emulator::net::{Lab, LabOptions};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::process::{Child, Command};

/// Safety net only: every wait ends as soon as the awaited thing happens.
pub const PATIENCE: Duration = Duration::from_secs(60);

pub const PASSWORD: &str = DEMO_PASSWORD;

pub async fn start_lab() -> Lab {
    let options = LabOptions::new(LabConfig::demo(), SimClock::manual()).with_ephemeral_ports();
    Lab::start(options).await.expect("lab starts")
}

/// The demo lab with one agent's password changed (the demo password, `ringside`, also
/// appears in the program's own name, so it cannot prove that a password stays out of logs).
pub async fn start_lab_with_password(agent: &str, password: &str) -> Lab {
    let mut config = LabConfig::demo();
    for a in config.agents.iter_mut().filter(|a| a.id == agent) {
        a.password = password.to_owned();
    }
    let options = LabOptions::new(config, SimClock::manual()).with_ephemeral_ports();
    Lab::start(options).await.expect("lab starts")
}

/// `--node-a`, `--https-port`, `--ca-file` and `--xmpp-url` for node A of the lab.
pub fn lab_args(lab: &Lab) -> Vec<String> {
    let node = lab.node(NodeId::A);
    vec![
        "--node-a".into(),
        node.host.clone(),
        "--https-port".into(),
        node.https_port.to_string(),
        "--ca-file".into(),
        lab.ca_path().display().to_string(),
        "--xmpp-url".into(),
        node.websocket_url(),
    ]
}

/// The binary with a clean environment (no keychain bus, no inherited RINGSIDE_*).
pub fn command(lab: &Lab, user: &str, password: Option<&str>, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ringside-cli"));
    command
        .env_clear()
        .env("RUST_BACKTRACE", "0")
        .args(lab_args(lab))
        .args(["--user", user])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(password) = password {
        command.env("RINGSIDE_PASSWORD", password);
    }
    command
}

/// Runs the CLI to completion.
pub async fn run(lab: &Lab, user: &str, args: &[&str]) -> Output {
    within(
        "ringside-cli",
        command(lab, user, Some(PASSWORD), args).output(),
    )
    .await
}

/// Runs the CLI with the password on standard input.
pub async fn run_with_stdin(lab: &Lab, user: &str, stdin: &str, args: &[&str]) -> Output {
    let mut command = command(lab, user, None, args);
    command.stdin(Stdio::piped());
    let mut child = command.spawn().expect("spawns");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).await.unwrap();
    drop(input);
    within("ringside-cli", child.wait_with_output()).await
}

pub async fn within<T, E: std::fmt::Debug>(
    what: &str,
    future: impl std::future::Future<Output = Result<T, E>>,
) -> T {
    tokio::time::timeout(PATIENCE, future)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
        .unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the exit code, showing both streams when it differs.
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
}

/// Every stdout line parsed as JSON.
pub fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect()
}

/// The `{code, message}` printed on stderr in `--json` mode.
pub fn json_error(output: &Output) -> Value {
    let text = stderr(output);
    let line = text.lines().last().unwrap_or_default();
    serde_json::from_str(line).unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {text}"))
}

pub fn spawn(command: &mut Command) -> Child {
    command.spawn().expect("spawns")
}
