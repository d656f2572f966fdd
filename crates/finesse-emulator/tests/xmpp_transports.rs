//! Signing in over each XMPP transport and receiving the User events a REST change causes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod net_support;

use finesse_emulator::center::NodeId;
use net_support::*;

async fn agent_receives_ready_after_rest_change(transport: Transport) {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let mut client = XmppClient::signed_in(&lab, NodeId::A, transport, "1001", "tray").await;
    assert_eq!(client.full_jid.as_deref(), Some("1001@127.0.0.1/tray"));

    sign_in_agent(&rest, &lab, NodeId::A, "1001", "2001").await;
    client.user_state("1001", "NOT_READY").await;

    let response = put_user(&rest, &lab, NodeId::A, "1001", USER_READY).await;
    assert_eq!(response.status(), 202);
    assert_eq!(response.headers().get("requestId").unwrap(), "req-1001");
    let update = client.user_state("1001", "READY").await;
    assert_eq!(update.child_text("requestId"), Some("req-1001"));
    assert_eq!(update.child_text("source"), Some("/finesse/api/User/1001"));
    lab.shutdown().await;
}

#[tokio::test]
async fn agent_gets_the_ready_event_over_websocket() {
    agent_receives_ready_after_rest_change(Transport::WebSocket).await;
}

#[tokio::test]
async fn agent_gets_the_ready_event_over_starttls() {
    agent_receives_ready_after_rest_change(Transport::StartTls).await;
}

#[tokio::test]
async fn agent_gets_the_ready_event_over_direct_tls() {
    agent_receives_ready_after_rest_change(Transport::DirectTls).await;
}

#[tokio::test]
async fn wrong_password_is_not_authorized_on_every_transport() {
    let lab = start_lab().await;
    for transport in ALL_TRANSPORTS {
        let mut client = XmppClient::connect(&lab, NodeId::A, transport).await;
        client.open_stream().await;
        if transport == Transport::StartTls {
            client.starttls().await;
            client.open_stream().await;
        }
        let answer = client.authenticate("1001", "not-the-password").await;
        assert_eq!(answer.name, "failure", "{transport:?}");
        assert!(
            answer.child("not-authorized").is_some(),
            "{transport:?}: {answer:?}"
        );
        // The stream stays usable: the right password still works.
        let answer = client.authenticate("1001", PASSWORD).await;
        assert_eq!(answer.name, "success", "{transport:?}");
    }
    lab.shutdown().await;
}

#[tokio::test]
async fn plain_port_offers_starttls_and_tls_ports_do_not() {
    let lab = start_lab().await;
    let mut plain = XmppClient::connect(&lab, NodeId::A, Transport::StartTls).await;
    let features = plain.open_stream().await;
    assert!(features.child("starttls").is_some());
    plain.starttls().await;
    let features = plain.open_stream().await;
    assert!(features.child("starttls").is_none());
    assert_eq!(
        features
            .descend(&["mechanisms", "mechanism"])
            .map(|m| m.text.as_str()),
        Some("PLAIN")
    );

    for transport in [Transport::DirectTls, Transport::WebSocket] {
        let mut client = XmppClient::connect(&lab, NodeId::A, transport).await;
        let features = client.open_stream().await;
        assert!(features.child("starttls").is_none(), "{transport:?}");
    }
    lab.shutdown().await;
}

#[tokio::test]
async fn node_b_serves_its_own_domain_and_pubsub_service() {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let mut client =
        XmppClient::signed_in(&lab, NodeId::B, Transport::WebSocket, "1002", "tray").await;
    assert_eq!(client.full_jid.as_deref(), Some("1002@127.0.0.2/tray"));
    sign_in_agent(&rest, &lab, NodeId::B, "1002", "2002").await;
    let (message, _) = client.event_on("/finesse/api/User/1002").await;
    assert_eq!(message.attr("from"), Some("pubsub.127.0.0.2"));
    assert_eq!(message.attr("to"), Some("1002@127.0.0.2"));
    lab.shutdown().await;
}

#[tokio::test]
async fn events_of_shared_state_reach_sessions_on_both_nodes() {
    let lab = start_lab().await;
    let rest = rest_client(&lab);
    let mut on_a =
        XmppClient::signed_in(&lab, NodeId::A, Transport::DirectTls, "1003", "desk").await;
    let mut on_b =
        XmppClient::signed_in(&lab, NodeId::B, Transport::WebSocket, "1003", "tray").await;
    sign_in_agent(&rest, &lab, NodeId::A, "1003", "2003").await;
    on_a.user_state("1003", "NOT_READY").await;
    on_b.user_state("1003", "NOT_READY").await;
    lab.shutdown().await;
}

#[tokio::test]
async fn roster_holds_finesse_and_pings_are_answered() {
    let lab = start_lab().await;
    let mut client =
        XmppClient::signed_in(&lab, NodeId::A, Transport::StartTls, "1004", "tray").await;
    client
        .send_stanza("<iq type='get' id='roster1'><query xmlns='jabber:iq:roster'/></iq>")
        .await;
    let roster = client
        .wait_for("roster", |el| el.attr("id") == Some("roster1"))
        .await;
    let item = roster.descend(&["query", "item"]).unwrap();
    assert_eq!(item.attr("jid"), Some("finesse@127.0.0.1"));
    assert_eq!(item.attr("subscription"), Some("both"));

    client.ping("ping-domain").await;
    client
        .send_stanza("<iq type='get' id='ping-pubsub' to='pubsub.127.0.0.1'><ping xmlns='urn:xmpp:ping'/></iq>")
        .await;
    let pong = client
        .wait_for("pubsub pong", |el| el.attr("id") == Some("ping-pubsub"))
        .await;
    assert_eq!(pong.attr("type"), Some("result"));
    assert_eq!(pong.attr("from"), Some("pubsub.127.0.0.1"));
    lab.shutdown().await;
}

#[tokio::test]
async fn a_stream_for_another_domain_is_host_unknown() {
    let lab = start_lab().await;
    let mut client = XmppClient::connect(&lab, NodeId::A, Transport::DirectTls).await;
    client
        .send("<stream:stream to='elsewhere.example' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>")
        .await;
    assert!(matches!(client.next().await, Got::Open(_)));
    let error = client.stanza().await;
    assert!(error.child("host-unknown").is_some(), "{error:?}");
    assert_eq!(client.next().await, Got::Close);
    lab.shutdown().await;
}
