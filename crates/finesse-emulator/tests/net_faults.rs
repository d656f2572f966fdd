//! Node faults: stop/start, dropped XMPP links, `finesse@` presence, event drop/delay,
//! injected CTI errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod net_support;

use std::time::Duration;

use finesse_emulator::center::{AgentState, CtiError, NodeId};
use finesse_emulator::net::Lab;
use net_support::*;
use tokio::net::TcpStream;

fn agent_state(lab: &Lab, id: &str) -> AgentState {
    lab.truth()
        .agents
        .iter()
        .find(|a| a.id == id)
        .unwrap()
        .state
}

#[tokio::test]
async fn a_stopped_node_refuses_connections_and_restarts_on_the_same_ports() {
    let lab = start_lab().await;
    let a = lab.node(NodeId::A).clone();
    let mut client =
        XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1001", "tray").await;
    let mut on_b =
        XmppClient::signed_in(&lab, NodeId::B, Transport::DirectTls, "1002", "tray").await;

    lab.stop_node(NodeId::A).await;
    assert!(!lab.node_running(NodeId::A));
    assert_eq!(client.next().await, Got::Gone);
    for addr in [a.https_addr(), a.xmpp_addr(), a.xmpp_secure_addr()] {
        assert!(
            TcpStream::connect(addr).await.is_err(),
            "{addr} still accepts"
        );
    }
    on_b.ping("b-unaffected").await;

    lab.start_node(NodeId::A).await.unwrap();
    assert!(lab.node_running(NodeId::A));
    assert_eq!(lab.node(NodeId::A), &a, "same ports after the restart");
    let mut again =
        XmppClient::signed_in(&lab, NodeId::A, Transport::StartTls, "1001", "tray").await;
    again.ping("a-back").await;
    let rest = rest_client(&lab);
    let response = rest
        .get(format!("{}/User/1001", a.rest_url()))
        .header("Authorization", basic("1001"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    lab.shutdown().await;
}

#[tokio::test]
async fn a_stopped_nodes_agents_are_not_forced_out_by_it() {
    let lab = start_lab().await;
    let _client = ready_agent(&lab, NodeId::A, Transport::DirectTls, "1003", "2003").await;
    lab.stop_node(NodeId::A).await;
    lab.advance_clock(Duration::from_secs(300));
    assert_eq!(agent_state(&lab, "1003"), AgentState::Ready);
    lab.shutdown().await;
}

#[tokio::test]
async fn dropping_xmpp_links_cuts_that_nodes_clients_and_starts_the_presence_timer() {
    let lab = start_lab().await;
    let mut ws = ready_agent(&lab, NodeId::A, Transport::WebSocket, "1004", "2004").await;
    let mut tcp = XmppClient::signed_in(&lab, NodeId::A, Transport::StartTls, "1005", "tray").await;
    let mut on_b =
        XmppClient::signed_in(&lab, NodeId::B, Transport::WebSocket, "1006", "tray").await;

    lab.drop_xmpp_links(NodeId::A);
    assert_eq!(ws.next().await, Got::Gone);
    assert_eq!(tcp.next().await, Got::Gone);
    assert_eq!(lab.xmpp_session_count(NodeId::A), 0);
    on_b.ping("b-unaffected").await;
    assert!(
        lab.node_running(NodeId::A),
        "only the links dropped, the node serves on"
    );

    lab.advance_clock(Duration::from_secs(60));
    assert_eq!(
        agent_state(&lab, "1004"),
        AgentState::NotReady,
        "presence-driven forced NOT_READY"
    );
    lab.shutdown().await;
}

#[tokio::test]
async fn finesse_presence_fault_is_announced_to_connected_and_new_sessions() {
    let lab = start_lab().await;
    let mut connected =
        XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1001", "tray").await;
    lab.set_finesse_presence(NodeId::A, false);
    let presence = connected
        .wait_for("finesse@ unavailable", |el| {
            el.is("presence") && el.attr("type") == Some("unavailable")
        })
        .await;
    assert_eq!(presence.attr("from"), Some("finesse@127.0.0.1/finesse"));

    let mut newcomer =
        XmppClient::bound(&lab, NodeId::A, Transport::DirectTls, "1002", "tray").await;
    newcomer.send_stanza("<presence/>").await;
    let presence = newcomer
        .wait_for("finesse@ presence", |el| el.is("presence"))
        .await;
    assert_eq!(presence.attr("type"), Some("unavailable"));

    lab.set_finesse_presence(NodeId::A, true);
    for client in [&mut connected, &mut newcomer] {
        let presence = client
            .wait_for("finesse@ back", |el| el.is("presence"))
            .await;
        assert_eq!(presence.attr("from"), Some("finesse@127.0.0.1/finesse"));
        assert_eq!(presence.attr("type"), None);
    }
    lab.shutdown().await;
}

#[tokio::test]
async fn a_dropped_event_never_arrives_on_that_node_only() {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let mut on_a =
        XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1007", "tray").await;
    let mut on_b =
        XmppClient::signed_in(&lab, NodeId::B, Transport::WebSocket, "1007", "tray").await;
    lab.drop_events(NodeId::A, "/finesse/api/User/1007", 1);

    sign_in_agent(&rest, &lab, NodeId::A, "1007", "2007").await;
    put_user(&rest, &lab, NodeId::A, "1007", USER_READY).await;

    let (_, first_on_b) = on_b.event_on("/finesse/api/User/1007").await;
    assert_eq!(data_field(&first_on_b, "user", "state"), Some("NOT_READY"));
    let (_, first_on_a) = on_a.event_on("/finesse/api/User/1007").await;
    assert_eq!(
        data_field(&first_on_a, "user", "state"),
        Some("READY"),
        "NOT_READY was dropped on A"
    );
    lab.shutdown().await;
}

#[tokio::test]
async fn a_delayed_event_arrives_when_the_clock_passes_the_delay() {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let mut client =
        XmppClient::signed_in(&lab, NodeId::A, Transport::DirectTls, "1008", "tray").await;
    lab.delay_events(NodeId::A, "User/1008", 1, Duration::from_secs(5));

    sign_in_agent(&rest, &lab, NodeId::A, "1008", "2008").await;
    // Nothing is queued for the session before the pong.
    client
        .send_stanza("<iq type='get' id='barrier'><ping xmlns='urn:xmpp:ping'/></iq>")
        .await;
    let next = client.stanza().await;
    assert_eq!(
        next.attr("id"),
        Some("barrier"),
        "the delayed event came early: {next:?}"
    );

    lab.advance_clock(Duration::from_secs(5));
    let (_, update) = client.event_on("/finesse/api/User/1008").await;
    assert_eq!(data_field(&update, "user", "state"), Some("NOT_READY"));
    lab.shutdown().await;
}

#[tokio::test]
async fn an_injected_cti_error_comes_back_as_api_errors_with_the_request_id() {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let mut client =
        XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1009", "tray").await;
    sign_in_agent(&rest, &lab, NodeId::A, "1009", "2009").await;
    client.user_state("1009", "NOT_READY").await;

    lab.fail_next_request(
        NodeId::A,
        CtiError {
            error_data: "22".into(),
            error_message: "CF_INVALID_OBJECT_STATE".into(),
            error_type: "Invalid State".into(),
        },
    );
    let response = put_user(&rest, &lab, NodeId::A, "1009", USER_READY).await;
    assert_eq!(response.status(), 202, "CTI failures are asynchronous");
    let (_, update) = client.event_on("/finesse/api/User/1009").await;
    let error = update
        .descend(&["data", "apiErrors", "apiError"])
        .expect("an apiErrors update");
    assert_eq!(
        error.child_text("errorMessage"),
        Some("CF_INVALID_OBJECT_STATE")
    );
    assert_eq!(update.child_text("requestId"), Some("req-1009"));
    assert_eq!(agent_state(&lab, "1009"), AgentState::NotReady);
    lab.shutdown().await;
}
