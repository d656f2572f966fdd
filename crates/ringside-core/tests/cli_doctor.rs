//! `ringside-cli doctor`: every layer checked, a verdict at the end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli_support;

use cli_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_checks_every_layer_and_ends_with_a_verdict() {
    let lab = start_lab().await;
    let output = run(&lab, "1001", &["--json", "doctor"]).await;
    assert_exit(&output, 0);
    let lines = json_lines(&output);
    let checks: Vec<&str> = lines.iter().filter_map(|l| l["check"].as_str()).collect();
    for wanted in ["dns", "tls", "rest", "auth", "xmpp"] {
        assert!(checks.contains(&wanted), "{wanted} missing from {checks:?}");
    }
    let websocket = lines
        .iter()
        .find(|l| l["check"] == "xmpp" && l["target"].as_str().unwrap().starts_with("wss://"))
        .unwrap();
    assert_eq!(websocket["ok"], true, "{websocket}");
    let transports = lines.iter().filter(|l| l["check"] == "xmpp").count();
    assert!(transports >= 4, "every documented transport is tried");
    let verdict = lines.last().unwrap();
    assert_eq!(verdict["ok"], true, "{verdict}");
    assert!(verdict["verdict"].as_str().unwrap().starts_with("OK"));
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_with_a_wrong_password_stops_before_xmpp() {
    let lab = start_lab().await;
    let output = within(
        "doctor",
        command(&lab, "1001", Some("not-the-password"), &["doctor"]).output(),
    )
    .await;
    assert_exit(&output, 3);
    let text = stdout(&output);
    assert!(text.contains("FAIL auth"), "{text}");
    assert!(
        !text.contains(" xmpp "),
        "no XMPP sign-in was tried: {text}"
    );
    assert!(
        text.lines().last().unwrap().starts_with("verdict: FAIL"),
        "{text}"
    );
    assert!(!text.contains("not-the-password"));
    lab.shutdown().await;
}
