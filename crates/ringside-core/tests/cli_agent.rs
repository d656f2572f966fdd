//! `ringside-cli login` and `state`, password sources, and the exit-code contract.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli_support;

use cli_support::*;
use finesse_emulator::center::AgentState;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_signs_in_and_prints_the_user_as_json() {
    let lab = start_lab().await;
    let output = run(&lab, "1001", &["--json", "--extension", "2001", "login"]).await;
    assert_exit(&output, 0);
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["user"]["state"], "NOT_READY");
    assert_eq!(lines[0]["user"]["extension"], "2001");
    assert_eq!(
        lab.truth().agent("1001").unwrap().state,
        AgentState::NotReady
    );
    assert!(!stdout(&output).contains(PASSWORD) && !stderr(&output).contains(PASSWORD));
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_logs_never_contain_the_password() {
    let secret = "Tr4ce-S3cret!";
    let lab = start_lab_with_password("1001", secret).await;
    let mut cli = command(
        &lab,
        "1001",
        Some(secret),
        &["--extension", "2001", "login"],
    );
    cli.env("RINGSIDE_LOG", "trace");
    let output = within("run", cli.output()).await;
    assert_exit(&output, 0);
    let logs = stderr(&output);
    assert!(logs.lines().count() > 10, "trace logging is on: {logs}");
    assert!(!logs.contains(secret), "the password leaked into the logs");
    assert!(!stdout(&output).contains(secret));
    // Basic auth and SASL PLAIN carry base64 of the credentials; neither may be logged.
    for encoded in ["MTAwMTpUcjRjZS1TM2NyZXQh", "ADEwMDEAVHI0Y2UtUzNjcmV0IQ"] {
        assert!(!logs.contains(encoded), "encoded credentials leaked");
    }
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_can_come_from_stdin_and_a_login_name_works() {
    let lab = start_lab().await;
    let output = run_with_stdin(
        &lab,
        "agent01",
        &format!("{PASSWORD}\n"),
        &["--password-stdin", "--extension", "2001", "login"],
    )
    .await;
    assert_exit(&output, 0);
    let text = stdout(&output);
    assert!(
        text.contains("(1001) is NOT_READY on extension 2001"),
        "{text}"
    );
    assert!(!text.contains(PASSWORD));
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_changes_reach_finesse() {
    let lab = start_lab().await;
    assert_exit(
        &run(&lab, "1001", &["--extension", "2001", "login"]).await,
        0,
    );

    let output = run(&lab, "1001", &["--json", "state", "ready"]).await;
    assert_exit(&output, 0);
    assert_eq!(json_lines(&output)[0]["user"]["state"], "READY");
    assert_eq!(lab.truth().agent("1001").unwrap().state, AgentState::Ready);

    let output = run(&lab, "1001", &["state", "not-ready", "--reason", "2"]).await;
    assert_exit(&output, 0);
    assert!(
        stdout(&output).contains("NOT_READY (Break)"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        lab.truth().agent("1001").unwrap().reason_code_id.as_deref(),
        Some("2")
    );

    let output = run(&lab, "1001", &["state", "logout", "--reason", "5"]).await;
    assert_exit(&output, 0);
    assert_eq!(lab.truth().agent("1001").unwrap().state, AgentState::Logout);
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_exits_3_after_exactly_one_attempt_and_is_never_printed() {
    let lab = start_lab().await;
    let wrong = "Wr0ng-Secret-42";
    // Finesse locks an account after five refusals in a row: four refused runs followed by
    // a working one prove that each run tried once.
    for _ in 0..4 {
        let output = within(
            "refused run",
            command(&lab, "1001", Some(wrong), &["--json", "login"]).output(),
        )
        .await;
        assert_exit(&output, 3);
        let error = json_error(&output);
        assert_eq!(error["code"], "authentication_failed");
        assert!(!stdout(&output).contains(wrong) && !stderr(&output).contains(wrong));
    }
    assert!(lab
        .truth()
        .agent("1001")
        .unwrap()
        .locked_out_until
        .is_none());
    assert_exit(&run(&lab, "1001", &["login"]).await, 0);
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_any_password_source_it_is_a_usage_error() {
    let lab = start_lab().await;
    let output = within(
        "run",
        command(&lab, "1001", None, &["--json", "login"]).output(),
    )
    .await;
    assert_exit(&output, 2);
    assert_eq!(json_error(&output)["code"], "no_password");
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_node_exits_4() {
    let lab = start_lab().await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port().to_string()
    };
    let mut cli = command(&lab, "1001", Some(PASSWORD), &["--json", "login"]);
    cli.args(["--https-port", &closed]);
    let output = within("run", cli.output()).await;
    assert_exit(&output, 4);
    assert_eq!(json_error(&output)["code"], "unreachable");
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_with_a_sentence() {
    let lab = start_lab().await;
    let mut cli = tokio::process::Command::new(env!("CARGO_BIN_EXE_ringside-cli"));
    cli.env_clear()
        .env("RINGSIDE_PASSWORD", PASSWORD)
        .args(["--user", "1001", "login"]);
    let output = within("run", cli.output()).await;
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("--node-a HOST is required"),
        "{}",
        stderr(&output)
    );

    let output = run(&lab, "1001", &["state", "sideways"]).await;
    assert_exit(&output, 2);
    lab.shutdown().await;
}
