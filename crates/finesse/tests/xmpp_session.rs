//! A connected notification session: events, pings, pub-sub requests, robustness, disconnect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tls_lab;
mod xmpp_support;

use std::time::Duration;

use finesse::xml::Element;
use finesse::xmpp::{DisconnectReason, IqType, TransportSpec, XmppClient, XmppEvent, XmppHandle};
use tls_lab::TlsLab;
use tokio::sync::mpsc::Receiver;
use xmpp_support::{Action, FakeXmppServer, Observed, Script, PATIENCE};

async fn next_event(events: &mut Receiver<XmppEvent>) -> XmppEvent {
    tokio::time::timeout(PATIENCE, events.recv())
        .await
        .expect("no event in time")
        .expect("event channel open")
}

/// Skip presence events; return the next other event.
async fn next_non_presence_event(events: &mut Receiver<XmppEvent>) -> XmppEvent {
    loop {
        match next_event(events).await {
            XmppEvent::FinessePresence { .. } | XmppEvent::Presence { .. } => {}
            other => return other,
        }
    }
}

struct Connected {
    _lab: TlsLab,
    server: FakeXmppServer,
    xmpp: XmppHandle,
    events: Receiver<XmppEvent>,
    conn: usize,
}

async fn connect_with(
    script: Script,
    transport: fn(&FakeXmppServer) -> TransportSpec,
    tune: impl FnOnce(&mut finesse::xmpp::XmppConfig),
) -> Connected {
    let lab = TlsLab::new("session");
    let mut server = FakeXmppServer::start(&lab, script).await;
    let mut config = server.client_config(&lab, vec![transport(&server)]);
    tune(&mut config);
    let (xmpp, mut events) = XmppClient::connect(config).await.unwrap();
    assert_eq!(
        next_event(&mut events).await,
        XmppEvent::FinessePresence { available: true }
    );
    let conn = server
        .wait_for(|o| match o {
            Observed::Connected { conn, .. } => Some(*conn),
            _ => None,
        })
        .await;
    Connected {
        _lab: lab,
        server,
        xmpp,
        events,
        conn,
    }
}

async fn connect(transport: fn(&FakeXmppServer) -> TransportSpec) -> Connected {
    connect_with(Script::default(), transport, |_| {}).await
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/xmpp/{name}"))
        .unwrap()
        .trim()
        .to_owned()
}

/// The escaped `Update` document carried by a pub-sub event, parsed.
fn update_of(message: &Element) -> Element {
    let notification = message
        .descend(&["event", "items", "item", "notification"])
        .expect("a pub-sub notification");
    finesse::xml::parse(&notification.text).expect("the Update text is XML")
}

fn assert_user_ready_update(event: XmppEvent) {
    let XmppEvent::Message(message) = event else {
        panic!("expected a message, got {event:?}")
    };
    assert_eq!(
        message
            .descend(&["event", "items"])
            .and_then(|i| i.attr("node")),
        Some("/finesse/api/User/1001001")
    );
    let update = update_of(&message);
    assert_eq!(
        update.child_text("source"),
        Some("/finesse/api/User/1001001")
    );
    assert_eq!(
        update.child_text("requestId"),
        Some("4f1b2c3d-1111-4222-8333-944455556666")
    );
    assert_eq!(
        update
            .descend(&["data", "user", "state"])
            .and_then(Element::text_trimmed),
        Some("READY")
    );
    // Escaped twice on the wire: once for the notification, once inside the Update.
    assert_eq!(
        update
            .descend(&["data", "user", "lastName"])
            .and_then(Element::text_trimmed),
        Some("O'Brien & Co")
    );
}

#[tokio::test]
async fn pubsub_events_arrive_as_whole_messages_over_websocket() {
    let mut c = connect(FakeXmppServer::websocket).await;
    c.server
        .act(c.conn, Action::Send(fixture("user_ready_event.xml")));
    assert_user_ready_update(next_non_presence_event(&mut c.events).await);
}

#[tokio::test]
async fn a_stanza_split_byte_by_byte_across_tcp_reads_arrives_whole() {
    let mut c = connect(FakeXmppServer::direct_tls).await;
    let bytes = fixture("user_ready_event.xml").into_bytes();
    c.server.act(
        c.conn,
        Action::SendBytes {
            bytes,
            one_byte_per_write: true,
        },
    );
    assert_user_ready_update(next_non_presence_event(&mut c.events).await);
}

#[tokio::test]
async fn several_stanzas_in_one_tcp_write_arrive_in_order() {
    let mut c = connect(FakeXmppServer::direct_tls).await;
    let together = format!(
        "{}\n{}<presence from='1002@finesse.lab/desk' type='unavailable'/>",
        fixture("dialog_added_event.xml"),
        fixture("user_ready_event.xml")
    );
    c.server.act(
        c.conn,
        Action::SendBytes {
            bytes: together.into_bytes(),
            one_byte_per_write: false,
        },
    );

    let XmppEvent::Message(first) = next_event(&mut c.events).await else {
        panic!("expected the dialog event")
    };
    assert_eq!(update_of(&first).child_text("event"), Some("POST"));
    assert_user_ready_update(next_event(&mut c.events).await);
    assert_eq!(
        next_event(&mut c.events).await,
        XmppEvent::Presence {
            from: "1002@finesse.lab/desk".into(),
            available: false
        }
    );
}

#[tokio::test]
async fn finesse_going_unavailable_is_reported() {
    let mut c = connect(FakeXmppServer::websocket).await;
    c.server.act(
        c.conn,
        Action::Send("<presence from='finesse@finesse.lab/Finesse' type='unavailable'/>".into()),
    );
    assert_eq!(
        next_event(&mut c.events).await,
        XmppEvent::FinessePresence { available: false }
    );
}

#[tokio::test]
async fn a_conflict_stream_error_means_signed_in_elsewhere() {
    let mut c = connect(FakeXmppServer::websocket).await;
    c.server.act(
        c.conn,
        Action::Send(
            "<stream:error xmlns:stream='http://etherx.jabber.org/streams'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>\
             <text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Replaced by new connection</text></stream:error>"
                .into(),
        ),
    );
    assert_eq!(
        next_non_presence_event(&mut c.events).await,
        XmppEvent::Disconnected(DisconnectReason::SignedInElsewhere)
    );
    assert!(!c.xmpp.is_connected());
    assert_eq!(
        c.xmpp
            .subscribe("/finesse/api/Team/1/Users")
            .await
            .unwrap_err()
            .code(),
        "closed"
    );
}

#[tokio::test]
async fn other_stream_errors_carry_their_condition() {
    let mut c = connect(FakeXmppServer::direct_tls).await;
    c.server.act(
        c.conn,
        Action::Send("<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>".into()),
    );
    assert_eq!(
        next_non_presence_event(&mut c.events).await,
        XmppEvent::Disconnected(DisconnectReason::StreamError("system-shutdown".into()))
    );
}

fn fast_pings(config: &mut finesse::xmpp::XmppConfig) {
    config.ping_interval = Duration::from_millis(100);
    config.ping_timeout = Duration::from_millis(100);
    config.max_missed_pings = 2;
}

fn is_ping(stanza: &Element) -> bool {
    stanza.is("iq") && stanza.child("ping").is_some()
}

#[tokio::test]
async fn a_server_that_stops_answering_pings_ends_the_connection_after_two_misses() {
    let script = Script {
        answer_pings: false,
        ..Script::default()
    };
    let mut c = connect_with(script, FakeXmppServer::direct_tls, fast_pings).await;

    assert_eq!(
        next_non_presence_event(&mut c.events).await,
        XmppEvent::Disconnected(DisconnectReason::PingTimeout)
    );
    let first = c.server.wait_for_stanza(is_ping).await;
    assert_eq!(first.attr("type"), Some("get"));
    assert_eq!(first.attr("to"), Some("finesse.lab"));
    assert_eq!(
        first.child("ping").and_then(|p| p.namespace.as_deref()),
        Some("urn:xmpp:ping")
    );
    let second = c.server.wait_for_stanza(is_ping).await;
    assert_ne!(first.attr("id"), second.attr("id"));
}

#[tokio::test]
async fn answered_pings_keep_the_connection_up() {
    let frequent_pings_with_patience = |config: &mut finesse::xmpp::XmppConfig| {
        config.ping_interval = Duration::from_millis(50);
        config.ping_timeout = Duration::from_secs(3);
        config.max_missed_pings = 2;
    };
    let mut c = connect_with(
        Script::default(),
        FakeXmppServer::websocket,
        frequent_pings_with_patience,
    )
    .await;
    // A client that ignored the answers would send one retry after the first timeout and then
    // give up: a fifth ping only comes from a client that saw every answer.
    for _ in 0..5 {
        c.server.wait_for_stanza(is_ping).await;
    }
    assert!(
        c.events.try_recv().is_err(),
        "no event, in particular no disconnect"
    );
    assert!(c.xmpp.is_connected());
}

#[tokio::test]
async fn server_pings_are_answered() {
    let mut c = connect(FakeXmppServer::direct_tls).await;
    c.server.act(
        c.conn,
        Action::Send("<iq type='get' id='srv-ping-7' from='finesse.lab' to='1001001@finesse.lab/ringside-test'><ping xmlns='urn:xmpp:ping'/></iq>".into()),
    );
    let pong = c
        .server
        .wait_for_stanza(|s| s.attr("id") == Some("srv-ping-7"))
        .await;
    assert_eq!(pong.attr("type"), Some("result"));
    assert_eq!(pong.attr("to"), Some("finesse.lab"));
}

#[tokio::test]
async fn unknown_requests_are_refused_with_service_unavailable() {
    let mut c = connect(FakeXmppServer::websocket).await;
    c.server.act(
        c.conn,
        Action::Send("<iq type='get' id='v1' from='someone@finesse.lab/x'><query xmlns='jabber:iq:version'/></iq>".into()),
    );
    let answer = c
        .server
        .wait_for_stanza(|s| s.attr("id") == Some("v1"))
        .await;
    assert_eq!(answer.attr("type"), Some("error"));
    assert!(answer.descend(&["error", "service-unavailable"]).is_some());
}

#[tokio::test]
async fn a_socket_closed_mid_stanza_reports_socket_closed() {
    let mut c = connect(FakeXmppServer::direct_tls).await;
    let partial = fixture("user_ready_event.xml").as_bytes()[..120].to_vec();
    c.server.act(
        c.conn,
        Action::SendBytes {
            bytes: partial,
            one_byte_per_write: false,
        },
    );
    c.server.act(c.conn, Action::Drop);
    assert_eq!(
        next_non_presence_event(&mut c.events).await,
        XmppEvent::Disconnected(DisconnectReason::SocketClosed)
    );
}

#[tokio::test]
async fn a_dropped_websocket_reports_socket_closed() {
    let mut c = connect(FakeXmppServer::websocket).await;
    c.server.act(c.conn, Action::Drop);
    assert_eq!(
        next_non_presence_event(&mut c.events).await,
        XmppEvent::Disconnected(DisconnectReason::SocketClosed)
    );
}

#[tokio::test]
async fn garbage_bytes_are_a_protocol_error() {
    let mut c = connect(FakeXmppServer::direct_tls).await;
    c.server.act(
        c.conn,
        Action::SendBytes {
            bytes: b"\x00\x01HTTP/1.1 500 oops\r\n".to_vec(),
            one_byte_per_write: false,
        },
    );
    let event = next_non_presence_event(&mut c.events).await;
    assert!(
        matches!(
            event,
            XmppEvent::Disconnected(DisconnectReason::ProtocolError(_))
        ),
        "{event:?}"
    );
}

#[tokio::test]
async fn malformed_xml_over_websocket_is_a_protocol_error() {
    let mut c = connect(FakeXmppServer::websocket).await;
    c.server.act(
        c.conn,
        Action::Send("<message><body>unclosed</message>".into()),
    );
    let event = next_non_presence_event(&mut c.events).await;
    assert!(
        matches!(
            event,
            XmppEvent::Disconnected(DisconnectReason::ProtocolError(_))
        ),
        "{event:?}"
    );
}

#[tokio::test]
async fn an_oversized_stanza_is_refused_without_buffering_it() {
    let mut c = connect(FakeXmppServer::direct_tls).await;
    let mut huge = b"<message><body>".to_vec();
    huge.resize(finesse::xmpp::MAX_STANZA_BYTES + 1024, b'x');
    c.server.act(
        c.conn,
        Action::SendBytes {
            bytes: huge,
            one_byte_per_write: false,
        },
    );
    let event = next_non_presence_event(&mut c.events).await;
    assert!(
        matches!(
            event,
            XmppEvent::Disconnected(DisconnectReason::ProtocolError(_))
        ),
        "{event:?}"
    );
}

#[tokio::test]
async fn subscribe_and_unsubscribe_address_the_pubsub_service_with_the_full_jid() {
    let mut c = connect(FakeXmppServer::websocket).await;
    c.xmpp
        .subscribe("/finesse/api/Team/5005/Users")
        .await
        .unwrap();
    let subscribe = c
        .server
        .wait_for_stanza(|s| s.descend(&["pubsub", "subscribe"]).is_some())
        .await;
    assert_eq!(subscribe.attr("type"), Some("set"));
    assert_eq!(subscribe.attr("to"), Some("pubsub.finesse.lab"));
    let request = subscribe.descend(&["pubsub", "subscribe"]).unwrap();
    assert_eq!(request.attr("node"), Some("/finesse/api/Team/5005/Users"));
    assert_eq!(
        request.attr("jid"),
        Some("1001001@finesse.lab/ringside-test")
    );

    c.xmpp
        .unsubscribe("/finesse/api/Team/5005/Users")
        .await
        .unwrap();
    let unsubscribe = c
        .server
        .wait_for_stanza(|s| s.descend(&["pubsub", "unsubscribe"]).is_some())
        .await;
    assert_eq!(unsubscribe.attr("to"), Some("pubsub.finesse.lab"));
    let request = unsubscribe.descend(&["pubsub", "unsubscribe"]).unwrap();
    assert_eq!(request.attr("node"), Some("/finesse/api/Team/5005/Users"));
    assert_eq!(
        request.attr("jid"),
        Some("1001001@finesse.lab/ringside-test")
    );
}

#[tokio::test]
async fn subscriptions_lists_what_the_service_reports() {
    let c = connect(FakeXmppServer::direct_tls).await;
    c.xmpp.subscribe("/finesse/api/Queue/7").await.unwrap();
    c.xmpp
        .subscribe("/finesse/api/Team/5005/Users")
        .await
        .unwrap();
    let listed: Vec<(String, String, String)> = c
        .xmpp
        .subscriptions()
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.node, s.jid, s.status))
        .collect();
    let jid = "1001001@finesse.lab/ringside-test".to_owned();
    assert_eq!(
        listed,
        [
            (
                "/finesse/api/Queue/7".to_owned(),
                jid.clone(),
                "subscribed".to_owned()
            ),
            (
                "/finesse/api/Team/5005/Users".to_owned(),
                jid,
                "subscribed".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn a_refused_subscription_is_an_iq_error_with_its_condition() {
    let script = Script {
        unknown_nodes: vec!["/finesse/api/Team/404/Users".into()],
        ..Script::default()
    };
    let c = connect_with(script, FakeXmppServer::websocket, |_| {}).await;
    let err = c
        .xmpp
        .subscribe("/finesse/api/Team/404/Users")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "iq_error");
    let finesse::xmpp::XmppError::IqError { condition, text } = err else {
        unreachable!()
    };
    assert_eq!(condition, "item-not-found");
    assert_eq!(text.as_deref(), Some("no such node"));
}

#[tokio::test]
async fn send_iq_returns_the_result_stanza() {
    let c = connect(FakeXmppServer::direct_tls).await;
    let payload = r#"<pubsub xmlns="http://jabber.org/protocol/pubsub"><subscriptions/></pubsub>"#;
    let result = c
        .xmpp
        .send_iq_xml(IqType::Get, "pubsub.finesse.lab", payload)
        .await
        .unwrap();
    assert_eq!(result.attr("type"), Some("result"));
    assert!(result.descend(&["pubsub", "subscriptions"]).is_some());
}

#[tokio::test]
async fn disconnect_unsubscribes_every_explicit_node_then_leaves() {
    let mut c = connect(FakeXmppServer::websocket).await;
    c.xmpp
        .subscribe("/finesse/api/Team/5005/Users")
        .await
        .unwrap();
    c.xmpp.subscribe("/finesse/api/Queue/7").await.unwrap();
    c.xmpp.unsubscribe("/finesse/api/Queue/7").await.unwrap();
    c.xmpp.disconnect().await;

    let mut after_subscribing = Vec::new();
    loop {
        match c.server.next_observed().await {
            Observed::Stanza { stanza, .. } => {
                after_subscribing.push(finesse::xmpp::write_element(&stanza))
            }
            Observed::StreamClosed { .. } => break,
            Observed::SocketEnded { .. } => panic!("the stream must be closed before the socket"),
            _ => {}
        }
    }
    let tail: Vec<&str> = after_subscribing
        .iter()
        .rev()
        .take(2)
        .rev()
        .map(String::as_str)
        .collect();
    assert!(tail[0].contains(r#"<unsubscribe node="/finesse/api/Team/5005/Users" jid="1001001@finesse.lab/ringside-test"/>"#), "{tail:?}");
    assert_eq!(
        tail[1],
        r#"<presence xmlns="jabber:client" type="unavailable"/>"#
    );
    assert_eq!(
        after_subscribing
            .iter()
            .filter(|s| s.contains("<unsubscribe node=\"/finesse/api/Queue/7\""))
            .count(),
        1,
        "a node unsubscribed explicitly is not unsubscribed again"
    );
    assert_eq!(
        next_non_presence_event(&mut c.events).await,
        XmppEvent::Disconnected(DisconnectReason::ClientClosed)
    );
    assert!(!c.xmpp.is_connected());
}

#[tokio::test]
async fn dropping_every_handle_closes_the_connection() {
    let Connected {
        server: mut s,
        xmpp,
        mut events,
        ..
    } = connect(FakeXmppServer::direct_tls).await;
    drop(xmpp);
    s.wait_for(|o| matches!(o, Observed::StreamClosed { .. }).then_some(()))
        .await;
    assert_eq!(
        next_non_presence_event(&mut events).await,
        XmppEvent::Disconnected(DisconnectReason::ClientClosed)
    );
}
