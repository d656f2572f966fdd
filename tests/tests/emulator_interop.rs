//! The emulator's XMPP side against clients nobody here wrote: slixmpp (Python, TCP with
//! STARTTLS and direct TLS) and strophe.js (Node, WebSocket). Each script signs in, waits for
//! `finesse@` presence, changes the agent's state over REST and must receive the READY User
//! event; it prints one JSON result line that is checked here.
//!
//! Missing tools fail these tests with instructions; they never pass silently.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use finesse_emulator::center::NodeId;
use finesse_emulator::clock::SimClock;
use finesse_emulator::config::{LabConfig, DEMO_PASSWORD};
use finesse_emulator::net::{Lab, LabOptions};
use serde_json::Value;
use tokio::process::Command;

/// Safety net for a whole script run; the scripts have their own per-step timeouts.
const SCRIPT_PATIENCE: Duration = Duration::from_secs(120);

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop")
}

async fn start_lab() -> Lab {
    let options = LabOptions::new(LabConfig::demo(), SimClock::manual()).with_ephemeral_ports();
    Lab::start(options).await.expect("the emulator starts")
}

/// Run a script to completion and return its JSON result line (the last line on stdout).
async fn run_script(command: &mut Command, what: &str) -> Value {
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e} (is it installed and on PATH?)"));
    let output = tokio::time::timeout(SCRIPT_PATIENCE, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish"))
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .unwrap_or_else(|| {
            panic!("{what} printed no result line\nstdout:\n{stdout}\nstderr:\n{stderr}")
        });
    let result: Value = serde_json::from_str(line).unwrap();
    assert!(
        output.status.code() != Some(2),
        "{what} is not installed: {}",
        result["error"]
    );
    assert_eq!(
        result["ok"],
        Value::Bool(true),
        "{what} failed: {result}\nstderr:\n{stderr}"
    );
    result
}

async fn require_slixmpp() {
    let check = Command::new("python3")
        .args(["-c", "import slixmpp"])
        .output()
        .await
        .expect("python3 is needed for the slixmpp interop test");
    assert!(
        check.status.success(),
        "slixmpp is missing: run `python3 -m pip install slixmpp` (cargo xtask test installs it)\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

fn require_strophe() {
    let module = interop_dir().join("node_modules").join("strophe.js");
    assert!(
        module.is_dir(),
        "strophe.js is missing: run `npm ci` (or `npm install`) in {} (cargo xtask test does)",
        interop_dir().display()
    );
}

async fn slixmpp_gets_ready_event(transport: &str, user: &str, extension: &str) {
    require_slixmpp().await;
    let lab = start_lab().await;
    let node = lab.node(NodeId::A).clone();
    let port = if transport == "tls" {
        node.xmpp_secure_port
    } else {
        node.xmpp_port
    };
    let mut command = Command::new("python3");
    command
        .arg(interop_dir().join("slixmpp_client.py"))
        .args(["--host", &node.ip.to_string(), "--port", &port.to_string()])
        .args(["--transport", transport, "--domain", &node.xmpp_domain])
        .args([
            "--user",
            user,
            "--password",
            DEMO_PASSWORD,
            "--extension",
            extension,
        ])
        .arg("--ca")
        .arg(lab.ca_path())
        .args(["--rest-url", &node.rest_url()]);
    let result = run_script(&mut command, "slixmpp_client.py").await;
    assert_eq!(result["transport"], transport);
    assert_eq!(result["finesse_presence"], "available");
    assert_eq!(result["state"], "READY");
    assert_eq!(result["event_node"], format!("/finesse/api/User/{user}"));
    assert_eq!(result["event_to"], format!("{user}@{}", node.xmpp_domain));
    assert_eq!(result["ready_status"], 202);
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slixmpp_over_starttls_signs_in_and_receives_the_ready_event() {
    slixmpp_gets_ready_event("starttls", "1011", "2011").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slixmpp_over_direct_tls_signs_in_and_receives_the_ready_event() {
    slixmpp_gets_ready_event("tls", "1012", "2012").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strophe_over_websocket_signs_in_and_receives_the_ready_event() {
    require_strophe();
    let lab = start_lab().await;
    let node = lab.node(NodeId::B).clone();
    let mut command = Command::new("node");
    command
        .current_dir(interop_dir())
        .env("NODE_EXTRA_CA_CERTS", lab.ca_path())
        .arg(interop_dir().join("strophe_client.mjs"))
        .args([
            "--ws-url",
            &node.websocket_url(),
            "--domain",
            &node.xmpp_domain,
        ])
        .args([
            "--user",
            "1013",
            "--password",
            DEMO_PASSWORD,
            "--extension",
            "2013",
        ])
        .arg("--ca")
        .arg(lab.ca_path())
        .args(["--rest-url", &node.rest_url()]);
    let result = run_script(&mut command, "strophe_client.mjs").await;
    assert_eq!(result["finesse_presence"], "available");
    assert_eq!(result["state"], "READY");
    assert_eq!(result["event_node"], "/finesse/api/User/1013");
    assert_eq!(result["event_to"], format!("1013@{}", node.xmpp_domain));
    lab.shutdown().await;
}
