//! `ringside-cli call …` against calls the emulator places.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli_support;

use cli_support::*;
use finesse_emulator::center::{CallId, CallSpec, ParticipantState};
use finesse_emulator::net::Lab;

async fn ready_agent(lab: &Lab, user: &str, extension: &str) {
    assert_exit(
        &run(lab, user, &["--extension", extension, "login"]).await,
        0,
    );
    assert_exit(&run(lab, user, &["state", "ready"]).await, 0);
}

async fn signed_in(lab: &Lab, user: &str, extension: &str) {
    assert_exit(
        &run(lab, user, &["--extension", extension, "login"]).await,
        0,
    );
}

fn customer_call(lab: &Lab) -> CallId {
    lab.place_call(CallSpec {
        caller: "4085550100".into(),
        queue: "5001".into(),
        ..CallSpec::default()
    })
    .unwrap()
}

fn state_of(lab: &Lab, call: CallId, address: &str) -> Option<ParticipantState> {
    lab.truth()
        .call(call)?
        .participants
        .iter()
        .find(|p| p.address == address)
        .map(|p| p.state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incoming_call_is_handled_from_the_command_line() {
    let lab = start_lab().await;
    ready_agent(&lab, "1001", "2001").await;
    let call = customer_call(&lab);
    assert_eq!(
        state_of(&lab, call, "2001"),
        Some(ParticipantState::Alerting)
    );

    let output = run(&lab, "1001", &["--json", "call", "answer"]).await;
    assert_exit(&output, 0);
    let result = &json_lines(&output)[0];
    assert_eq!(result["command"], "answer");
    assert_eq!(result["outcome"]["outcome"], "dialog");
    assert_eq!(state_of(&lab, call, "2001"), Some(ParticipantState::Active));

    assert_exit(&run(&lab, "1001", &["call", "hold"]).await, 0);
    assert_eq!(state_of(&lab, call, "2001"), Some(ParticipantState::Held));
    assert_exit(&run(&lab, "1001", &["call", "retrieve"]).await, 0);
    assert_eq!(state_of(&lab, call, "2001"), Some(ParticipantState::Active));

    assert_exit(&run(&lab, "1001", &["call", "dtmf", "12#"]).await, 0);
    assert_eq!(lab.truth().call(call).unwrap().dtmf, "12#");
    let output = run(
        &lab,
        "1001",
        &["call", "update-data", "--var", "callVariable2=VIP"],
    )
    .await;
    assert_exit(&output, 0);
    assert!(lab
        .truth()
        .call(call)
        .unwrap()
        .call_variables
        .iter()
        .any(|v| v.name == "callVariable2" && v.value == "VIP"));
    assert_exit(
        &run(&lab, "1001", &["call", "wrap-up", "Sale Completed"]).await,
        0,
    );
    assert_eq!(
        lab.truth().call(call).unwrap().wrap_up_reason.as_deref(),
        Some("Sale Completed")
    );

    let output = run(&lab, "1001", &["call", "drop"]).await;
    assert_exit(&output, 0);
    assert!(
        stdout(&output).starts_with("drop: done"),
        "{}",
        stdout(&output)
    );
    // The agent left the call; with wrap-up the participant shows WRAP_UP until it ends.
    assert!(matches!(
        state_of(&lab, call, "2001"),
        Some(ParticipantState::Dropped | ParticipantState::WrapUp)
    ));
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_action_no_call_allows_is_refused_with_exit_5() {
    let lab = start_lab().await;
    signed_in(&lab, "1001", "2001").await;
    let output = run(&lab, "1001", &["--json", "call", "hold"]).await;
    assert_exit(&output, 5);
    assert_eq!(json_error(&output)["code"], "action_not_allowed");
    let output = run(&lab, "1001", &["--json", "call", "hold", "--dialog", "999"]).await;
    assert_exit(&output, 5);
    assert_eq!(json_error(&output)["code"], "dialog_not_found");
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn make_call_rings_the_other_agent() {
    let lab = start_lab().await;
    signed_in(&lab, "1001", "2001").await;
    signed_in(&lab, "1002", "2002").await;
    let output = run(&lab, "1001", &["--json", "call", "make", "2002"]).await;
    assert_exit(&output, 0);
    let truth = lab.truth();
    let call = truth
        .calls
        .iter()
        .find(|c| c.participants.iter().any(|p| p.address == "2002"))
        .expect("a call to 2002");
    assert!(call.participants.iter().any(|p| p.address == "2001"));
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consult_then_transfer_hands_the_customer_over() {
    let lab = start_lab().await;
    ready_agent(&lab, "1001", "2001").await;
    signed_in(&lab, "1002", "2002").await;
    let call = customer_call(&lab);
    assert_exit(&run(&lab, "1001", &["call", "answer"]).await, 0);
    assert_exit(&run(&lab, "1001", &["call", "consult", "2002"]).await, 0);
    assert_exit(&run(&lab, "1002", &["call", "answer"]).await, 0);
    assert_exit(&run(&lab, "1001", &["call", "transfer"]).await, 0);
    let truth = lab.truth();
    let customer_call = truth.call(call).unwrap();
    assert!(customer_call
        .participants
        .iter()
        .any(|p| p.address == "2002" && p.state == ParticipantState::Active));
    assert!(!customer_call
        .participants
        .iter()
        .any(|p| p.address == "2001" && p.state == ParticipantState::Active));
    lab.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consult_then_conference_and_single_step_transfer() {
    let lab = start_lab().await;
    ready_agent(&lab, "1001", "2001").await;
    signed_in(&lab, "1002", "2002").await;
    signed_in(&lab, "1003", "2003").await;
    let call = customer_call(&lab);
    assert_exit(&run(&lab, "1001", &["call", "answer"]).await, 0);
    assert_exit(&run(&lab, "1001", &["call", "consult", "2002"]).await, 0);
    assert_exit(&run(&lab, "1002", &["call", "answer"]).await, 0);
    assert_exit(&run(&lab, "1001", &["call", "conference"]).await, 0);
    let active = lab
        .truth()
        .call(call)
        .unwrap()
        .participants
        .iter()
        .filter(|p| p.state == ParticipantState::Active)
        .count();
    assert_eq!(active, 3);

    assert_exit(&run(&lab, "1002", &["call", "drop"]).await, 0);
    assert_exit(&run(&lab, "1001", &["call", "sst", "2003"]).await, 0);
    assert!(lab
        .truth()
        .calls
        .iter()
        .any(|c| c.participants.iter().any(|p| p.address == "2003")));
    lab.shutdown().await;
}
