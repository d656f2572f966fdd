//! `ringside-cli watch`: JSON lines for the snapshot, every event and every snapshot change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli_support;

use cli_support::*;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};

type Lines = tokio::io::Lines<BufReader<tokio::process::ChildStdout>>;

async fn next(lines: &mut Lines) -> Value {
    let line = within("a watch line", lines.next_line())
        .await
        .expect("watch still running");
    serde_json::from_str::<Value>(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_prints_one_json_object_per_line_as_things_happen() {
    let lab = start_lab().await;
    assert_exit(
        &run(&lab, "1001", &["--extension", "2001", "login"]).await,
        0,
    );

    let mut watcher = spawn(&mut command(&lab, "1001", Some(PASSWORD), &["watch"]));
    let mut lines = BufReader::new(watcher.stdout.take().unwrap()).lines();
    let first = next(&mut lines).await;
    assert_eq!(first["event"], "snapshot");
    assert_eq!(first["snapshot"]["user"]["state"], "NOT_READY");

    assert_exit(&run(&lab, "1001", &["state", "ready"]).await, 0);
    let mut seen = Vec::new();
    loop {
        let line = next(&mut lines).await;
        let kind = line["event"].as_str().unwrap().to_owned();
        let ready_snapshot = kind == "snapshot" && line["snapshot"]["user"]["state"] == "READY";
        seen.push(kind);
        if ready_snapshot {
            assert!(seen.iter().any(|k| k == "user_changed"), "{seen:?}");
            break;
        }
    }
    watcher.kill().await.unwrap();
    lab.shutdown().await;
}
