//! Session life: resource conflicts, hostile input, and the presence-driven forced logout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod net_support;

use std::time::Duration;

use finesse_emulator::center::{AgentState, NodeId};
use finesse_emulator::net::Lab;
use net_support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TCP_HEADER: &str = "<?xml version='1.0'?><stream:stream to='127.0.0.1' version='1.0' \
    xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

fn agent_state(lab: &Lab, id: &str) -> AgentState {
    lab.truth()
        .agents
        .iter()
        .find(|a| a.id == id)
        .unwrap()
        .state
}

/// Read a raw plain-TCP conversation to its end (the server closes the socket).
async fn read_to_end(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut received))
        .await
        .expect("the server closes the connection")
        .unwrap();
    String::from_utf8(received).unwrap()
}

#[tokio::test]
async fn second_bind_of_the_same_full_jid_ends_the_older_stream_with_conflict() {
    let lab = start_lab().await;
    let mut older =
        XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1001", "tray").await;
    let mut newer =
        XmppClient::signed_in(&lab, NodeId::A, Transport::DirectTls, "1001", "tray").await;

    let error = older.stanza().await;
    assert_eq!(error.name, "error");
    assert!(error.child("conflict").is_some(), "{error:?}");
    assert_eq!(older.next().await, Got::Close);

    // The newer stream is the one that lives on.
    newer.ping("still-here").await;
    assert_eq!(lab.xmpp_sessions(NodeId::A).len(), 1);
    lab.shutdown().await;
}

#[tokio::test]
async fn another_resource_of_the_same_user_is_no_conflict() {
    let lab = start_lab().await;
    let mut desktop =
        XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1001", "desktop").await;
    let _tray = XmppClient::signed_in(&lab, NodeId::A, Transport::StartTls, "1001", "tray").await;
    desktop.ping("desktop-still-here").await;
    assert_eq!(lab.xmpp_sessions(NodeId::A).len(), 2);
    lab.shutdown().await;
}

#[tokio::test]
async fn garbage_gets_a_stream_error_and_the_server_keeps_serving_others() {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let mut bystander =
        XmppClient::signed_in(&lab, NodeId::A, Transport::DirectTls, "1002", "tray").await;

    let mut raw = TcpStream::connect(lab.node(NodeId::A).xmpp_addr())
        .await
        .unwrap();
    raw.write_all(TCP_HEADER.as_bytes()).await.unwrap();
    raw.write_all(b"<presence><<<>>>not xml at all")
        .await
        .unwrap();
    let reply = read_to_end(&mut raw).await;
    assert!(
        reply.contains("<not-well-formed xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>"),
        "{reply}"
    );
    assert!(reply.ends_with("</stream:stream>"), "{reply}");

    let mut http = TcpStream::connect(lab.node(NodeId::A).xmpp_addr())
        .await
        .unwrap();
    http.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let reply = read_to_end(&mut http).await;
    assert!(reply.contains("<bad-format"), "{reply}");

    sign_in_agent(&rest, &lab, NodeId::A, "1002", "2002").await;
    bystander.user_state("1002", "NOT_READY").await;
    lab.shutdown().await;
}

#[tokio::test]
async fn an_oversize_stanza_is_a_policy_violation() {
    let lab = start_lab().await;
    let mut raw = TcpStream::connect(lab.node(NodeId::A).xmpp_addr())
        .await
        .unwrap();
    raw.write_all(TCP_HEADER.as_bytes()).await.unwrap();
    raw.write_all(b"<message><body>").await.unwrap();
    let chunk = vec![b'x'; 8 * 1024];
    let mut wrote = 0usize;
    // Keep sending until the server gives up; it must do so well before 1 MB.
    while wrote < 1024 * 1024 {
        if raw.write_all(&chunk).await.is_err() {
            break;
        }
        wrote += chunk.len();
    }
    assert!(
        wrote < 1024 * 1024,
        "the server kept reading an endless stanza"
    );
    let mut received = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, raw.read_to_end(&mut received)).await;
    let reply = String::from_utf8_lossy(&received);
    assert!(reply.contains("<policy-violation"), "{reply}");
    lab.shutdown().await;
}

#[tokio::test]
async fn garbage_over_websocket_gets_a_stream_error() {
    let lab = start_lab().await;
    let mut client = XmppClient::connect(&lab, NodeId::A, Transport::WebSocket).await;
    client.open_stream().await;
    client.send("<iq><unclosed></iq>").await;
    let error = client.stanza().await;
    assert!(error.child("not-well-formed").is_some(), "{error:?}");
    assert_eq!(client.next().await, Got::Close);
    lab.shutdown().await;
}

#[tokio::test]
async fn stanzas_before_authentication_are_not_authorized() {
    let lab = start_lab().await;
    let mut client = XmppClient::connect(&lab, NodeId::A, Transport::DirectTls).await;
    client.open_stream().await;
    client.send("<presence/>").await;
    let error = client.stanza().await;
    assert!(error.child("not-authorized").is_some(), "{error:?}");
    assert_eq!(client.next().await, Got::Close);
    lab.shutdown().await;
}

#[tokio::test]
async fn agent_who_drops_off_xmpp_is_forced_not_ready_after_60_seconds() {
    let lab = start_lab().await;
    let mut supervisor =
        XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1000", "tray").await;
    subscribe(
        &mut supervisor,
        "/finesse/api/Team/1/Users",
        "1000@127.0.0.1/tray",
        "sub-team",
    )
    .await;

    let agent = ready_agent(&lab, NodeId::A, Transport::StartTls, "1001", "2001").await;

    agent.crash();
    let gone = lab
        .wait_for_xmpp_sessions(NodeId::A, PATIENCE, |sessions| {
            sessions.iter().all(|s| s.user_id != "1001")
        })
        .await;
    assert!(gone, "the server noticed the dropped socket");

    lab.advance_clock(Duration::from_secs(59));
    assert_eq!(
        agent_state(&lab, "1001"),
        AgentState::Ready,
        "still inside the 60 s grace"
    );

    lab.advance_clock(Duration::from_secs(1));
    let team = "/finesse/api/Team/1/Users";
    loop {
        let (_, update) = supervisor.event_on(team).await;
        if update.child_text("source") == Some("/finesse/api/User/1001")
            && data_field(&update, "user", "state") == Some("NOT_READY")
        {
            break;
        }
    }
    let truth = lab.truth();
    let agent = truth.agents.iter().find(|a| a.id == "1001").unwrap();
    assert_eq!(agent.state, AgentState::NotReady);
    assert_eq!(
        agent.reason_code,
        Some(50002),
        "UCCE default LOAD: Connection Failure"
    );
    lab.shutdown().await;
}

#[tokio::test]
async fn agent_back_within_60_seconds_stays_ready() {
    let lab = start_lab().await;
    let mut agent = ready_agent(&lab, NodeId::A, Transport::WebSocket, "1003", "2003").await;

    agent.send_stanza("<presence type='unavailable'/>").await;
    let unavailable = lab
        .wait_for_xmpp_sessions(NodeId::A, PATIENCE, |s| {
            s.iter().any(|s| s.user_id == "1003" && !s.available)
        })
        .await;
    assert!(unavailable);
    lab.advance_clock(Duration::from_secs(30));
    let _back = XmppClient::signed_in(&lab, NodeId::A, Transport::DirectTls, "1003", "desk").await;
    lab.advance_clock(Duration::from_secs(120));
    assert_eq!(agent_state(&lab, "1003"), AgentState::Ready);
    lab.shutdown().await;
}

#[tokio::test]
async fn shutdown_ends_streams_with_system_shutdown() {
    let lab = start_lab().await;
    let mut ws = XmppClient::signed_in(&lab, NodeId::A, Transport::WebSocket, "1004", "tray").await;
    let mut tcp = XmppClient::signed_in(&lab, NodeId::B, Transport::StartTls, "1005", "tray").await;
    let shutdown = tokio::spawn(lab.shutdown());
    for client in [&mut ws, &mut tcp] {
        let error = client.stanza().await;
        assert!(error.child("system-shutdown").is_some(), "{error:?}");
        assert_eq!(client.next().await, Got::Close);
    }
    shutdown.await.unwrap();
}
