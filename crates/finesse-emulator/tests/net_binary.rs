//! The `finesse-emulator` binary: prints its endpoints, serves, and shuts down cleanly on
//! Ctrl-C (sessions get a stream close).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod net_support;

use std::process::Stdio;

use finesse_emulator::net::NodeEndpoints;
use net_support::*;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[tokio::test]
async fn binary_prints_endpoints_serves_and_closes_streams_on_ctrl_c() {
    let dir = std::env::temp_dir().join(format!("finesse-emulator-bin-{}", std::process::id()));
    let ca_path = dir.join("ca.pem");
    let mut child = Command::new(env!("CARGO_BIN_EXE_finesse-emulator"))
        .args(["--port-base", "0", "--json", "--manual-clock", "--ca-out"])
        .arg(&ca_path)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(PATIENCE, lines.next_line())
        .await
        .expect("the binary prints its endpoints")
        .unwrap()
        .expect("a line");
    let endpoints: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(endpoints["ca_file"], serde_json::json!(ca_path));
    assert_eq!(endpoints["manual_clock"], serde_json::json!(true));
    assert!(endpoints["control_url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    let node_a: NodeEndpoints = serde_json::from_value(endpoints["nodes"][0].clone()).unwrap();
    assert_eq!(node_a.host, "127.0.0.1");
    assert_ne!(node_a.https_port, 0);

    let pem = std::fs::read(&ca_path).unwrap();
    let rest = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap();
    let info = rest
        .get(format!("{}/SystemInfo", node_a.rest_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 200);

    let ca = rustls_pemfile::certs(&mut pem.as_slice())
        .next()
        .unwrap()
        .unwrap();
    let client =
        XmppClient::connect_to(&node_a, tls_client_config_for(ca), Transport::WebSocket).await;
    let mut client = client.bind_as("1001", "tray").await.announce().await;

    let status = Command::new("kill")
        .args(["-INT", &child.id().unwrap().to_string()])
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let error = client.stanza().await;
    assert!(error.child("system-shutdown").is_some(), "{error:?}");
    assert_eq!(client.next().await, Got::Close);
    let exit = tokio::time::timeout(PATIENCE, child.wait())
        .await
        .expect("the binary exits")
        .unwrap();
    assert!(exit.success(), "clean exit on Ctrl-C: {exit:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn binary_refuses_a_missing_config_file_with_a_code() {
    let output = Command::new(env!("CARGO_BIN_EXE_finesse-emulator"))
        .args(["--config", "/nonexistent/lab.json", "--port-base", "0"])
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("[config_read]"), "{stderr}");
}
