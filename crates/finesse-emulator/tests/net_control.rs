//! The JSON control API and scenario-driven demo traffic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod net_support;

use std::time::Duration;

use finesse_emulator::center::NodeId;
use finesse_emulator::clock::SimClock;
use finesse_emulator::config::LabConfig;
use finesse_emulator::net::{Lab, LabOptions, Scenario};
use finesse_xml::Element;
use net_support::*;
use serde_json::{json, Value};

async fn lab_with_control() -> (Lab, String) {
    let mut options = LabOptions::new(LabConfig::demo(), SimClock::manual()).with_ephemeral_ports();
    options.control_port = Some(0);
    let lab = Lab::start(options).await.unwrap();
    let url = lab.control_url().expect("control API started");
    (lab, url)
}

async fn post(url: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "application/json")
        .body(serde_json::to_vec(&body).unwrap())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap(),
    )
}

async fn get(url: &str) -> Value {
    serde_json::from_slice(&reqwest::get(url).await.unwrap().bytes().await.unwrap()).unwrap()
}

fn dialog_of(update: &Element) -> &Element {
    update
        .descend(&["data", "dialogs", "Dialog"])
        .expect("a dialogs POST update")
}

fn call_variable<'a>(dialog: &'a Element, name: &str) -> Option<&'a str> {
    dialog
        .descend(&["mediaProperties", "callvariables"])?
        .children_named("CallVariable")
        .find(|v| v.child_text("name") == Some(name))
        .and_then(|v| v.child_text("value"))
}

#[tokio::test]
async fn endpoints_list_both_nodes_the_ca_and_the_users() {
    let (lab, control) = lab_with_control().await;
    let endpoints = get(&format!("{control}/endpoints")).await;
    assert_eq!(endpoints["ca_file"], json!(lab.ca_path()));
    assert_eq!(endpoints["manual_clock"], json!(true));
    let a = &endpoints["nodes"][0];
    assert_eq!(a["node"], json!("A"));
    assert_eq!(a["https_port"], json!(lab.node(NodeId::A).https_port));
    assert_eq!(
        a["websocket_url"],
        json!(lab.node(NodeId::A).websocket_url())
    );
    assert_eq!(endpoints["nodes"][1]["xmpp_domain"], json!("127.0.0.2"));
    let supervisor = endpoints["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "1000")
        .unwrap();
    assert_eq!(supervisor["supervisor"], json!(true));
    assert_eq!(supervisor["password"], json!(PASSWORD));
    lab.shutdown().await;
}

#[tokio::test]
async fn a_call_placed_through_the_control_api_reaches_the_ready_agent() {
    let (lab, control) = lab_with_control().await;
    let mut agent = ready_agent(&lab, NodeId::A, Transport::WebSocket, "1001", "2001").await;

    let (status, placed) = post(
        &format!("{control}/calls"),
        json!({"caller": "+14155550123", "queue": "5001",
               "call_variables": [{"name": "callVariable1", "value": "Ada Lovelace"}]}),
    )
    .await;
    assert_eq!(status, 200, "{placed}");
    let call_id = placed["call_id"].as_u64().unwrap();

    let (_, update) = agent.event_on("/finesse/api/User/1001/Dialogs").await;
    let dialog = dialog_of(&update);
    assert_eq!(dialog.child_text("id"), Some(call_id.to_string().as_str()));
    assert_eq!(dialog.child_text("fromAddress"), Some("+14155550123"));
    assert_eq!(call_variable(dialog, "callVariable1"), Some("Ada Lovelace"));

    let truth = get(&format!("{control}/truth")).await;
    assert!(truth["calls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == json!(call_id)));

    let (status, _) = post(&format!("{control}/calls/{call_id}/hang-up"), json!(null)).await;
    assert_eq!(status, 200);
    lab.shutdown().await;
}

#[tokio::test]
async fn control_errors_are_json_with_codes() {
    let (lab, control) = lab_with_control().await;
    let (status, body) = post(
        &format!("{control}/calls"),
        json!({"queue": "no-such-queue"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], json!("unknown_queue"));
    let (status, body) = post(&format!("{control}/nodes/C/stop"), json!(null)).await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], json!("unknown_node"));
    let (status, body) = post(&format!("{control}/clock/advance"), json!({"minutes": 1})).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], json!("bad_json"));
    lab.shutdown().await;
}

#[tokio::test]
async fn faults_and_the_clock_are_driven_over_the_control_api() {
    let (lab, control) = lab_with_control().await;
    let mut agent =
        XmppClient::signed_in(&lab, NodeId::B, Transport::StartTls, "1002", "tray").await;

    let (status, _) = post(
        &format!("{control}/nodes/B/finesse-presence"),
        json!({"available": false}),
    )
    .await;
    assert_eq!(status, 200);
    let presence = agent
        .wait_for("finesse@ unavailable", |el| el.is("presence"))
        .await;
    assert_eq!(presence.attr("type"), Some("unavailable"));

    post(
        &format!("{control}/nodes/b/status"),
        json!({"in_service": false, "reason": "CTI down"}),
    )
    .await;
    let (_, update) = agent.event_on("/finesse/api/SystemInfo").await;
    assert_eq!(
        data_field(&update, "SystemInfo", "status"),
        Some("OUT_OF_SERVICE")
    );

    let (status, advanced) = post(
        &format!("{control}/clock/advance"),
        json!({"millis": 90_000}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(advanced["now_millis"], json!(90_000));

    post(&format!("{control}/nodes/B/xmpp/drop"), json!(null)).await;
    assert_eq!(agent.next().await, Got::Gone);

    post(&format!("{control}/nodes/B/stop"), json!(null)).await;
    assert!(!lab.node_running(NodeId::B));
    let (status, _) = post(&format!("{control}/nodes/B/start"), json!(null)).await;
    assert_eq!(status, 200);
    assert!(lab.node_running(NodeId::B));
    lab.shutdown().await;
}

#[tokio::test]
async fn event_faults_set_over_the_control_api_apply() {
    let (lab, control) = lab_with_control().await;
    let rest = rest_client(&lab);
    let mut agent =
        XmppClient::signed_in(&lab, NodeId::A, Transport::DirectTls, "1003", "tray").await;
    let (status, _) = post(
        &format!("{control}/nodes/A/events/delay"),
        json!({"node_pattern": "/finesse/api/User/1003", "count": 1, "delay_millis": 2_000}),
    )
    .await;
    assert_eq!(status, 200);
    sign_in_agent(&rest, &lab, NodeId::A, "1003", "2003").await;
    agent
        .send_stanza("<iq type='get' id='barrier'><ping xmlns='urn:xmpp:ping'/></iq>")
        .await;
    assert_eq!(agent.stanza().await.attr("id"), Some("barrier"));
    post(
        &format!("{control}/clock/advance"),
        json!({"millis": 2_000}),
    )
    .await;
    agent.user_state("1003", "NOT_READY").await;

    let (status, _) = post(
        &format!("{control}/nodes/A/fail-next-request"),
        json!({"error_data": "34", "error_message": "CF_RESOURCE_OUT_OF_SERVICE", "error_type": "Call Operation Failure"}),
    )
    .await;
    assert_eq!(status, 200);
    put_user(&rest, &lab, NodeId::A, "1003", USER_READY).await;
    let (_, update) = agent.event_on("/finesse/api/User/1003").await;
    assert_eq!(
        update
            .descend(&["data", "apiErrors", "apiError", "errorMessage"])
            .map(|e| e.text.as_str()),
        Some("CF_RESOURCE_OUT_OF_SERVICE")
    );
    lab.shutdown().await;
}

#[tokio::test]
async fn a_scenario_brings_calls_with_varied_callers_and_data_on_simulation_time() {
    let scenario = Scenario::from_json(
        r#"{"every_seconds": 20, "first_after_seconds": 10, "queues": ["5001"],
            "callers": ["+14155550001", "+14155550002"],
            "call_variables": [{"callVariable1": "First Customer"}, {"callVariable1": "Second Customer"}],
            "talk_seconds": 5}"#,
    )
    .unwrap();
    let mut options = LabOptions::new(LabConfig::demo(), SimClock::manual()).with_ephemeral_ports();
    options.scenario = Some(scenario);
    let lab = Lab::start(options).await.unwrap();
    let mut agent = ready_agent(&lab, NodeId::A, Transport::WebSocket, "1001", "2001").await;

    lab.advance_clock(Duration::from_secs(10));
    let (_, update) = agent.event_on("/finesse/api/User/1001/Dialogs").await;
    let first = dialog_of(&update);
    assert_eq!(first.child_text("fromAddress"), Some("+14155550001"));
    assert_eq!(
        call_variable(first, "callVariable1"),
        Some("First Customer")
    );
    assert_eq!(lab.truth().calls.len(), 1);

    let first_id = first.child_text("id").unwrap().to_owned();

    // The customer hangs up after the talk time: the dialog is deleted from the agent.
    lab.advance_clock(Duration::from_secs(5));
    loop {
        let (_, update) = agent.event_on("/finesse/api/User/1001/Dialogs").await;
        if update.child_text("event") == Some("DELETE") {
            assert_eq!(dialog_of(&update).child_text("id"), Some(first_id.as_str()));
            break;
        }
    }
    assert!(lab.truth().calls.is_empty());
    lab.shutdown().await;
}

#[tokio::test]
async fn a_lab_removes_the_ca_file_it_placed_itself_but_keeps_a_chosen_one() {
    let options = LabOptions::new(LabConfig::demo(), SimClock::manual()).with_ephemeral_ports();
    let lab = Lab::start(options).await.unwrap();
    let placed = lab.ca_path().to_path_buf();
    assert!(placed.is_file(), "the CA is written while the lab runs");
    lab.shutdown().await;
    assert!(
        !placed.exists() && !placed.parent().unwrap().exists(),
        "{} outlived its lab",
        placed.display()
    );

    let keep = std::env::temp_dir().join(format!("ca-chosen-{}", uuid::Uuid::new_v4()));
    let chosen = keep.join("lab-ca.pem");
    let mut options = LabOptions::new(LabConfig::demo(), SimClock::manual()).with_ephemeral_ports();
    options.ca_path = Some(chosen.clone());
    let lab = Lab::start(options).await.unwrap();
    lab.shutdown().await;
    assert!(
        chosen.is_file(),
        "a CA path the caller chose is theirs to keep"
    );
    std::fs::remove_dir_all(&keep).unwrap();
}
