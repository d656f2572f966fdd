//! Connecting to the notification service: every transport, fallback, authentication, trust.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tls_lab;
mod xmpp_support;

use finesse::xmpp::{TransportSpec, XmppClient, XmppEvent};
use tls_lab::TlsLab;
use tokio::sync::mpsc::Receiver;
use xmpp_support::{FakeXmppServer, Observed, Script, PATIENCE};

async fn next_event(events: &mut Receiver<XmppEvent>) -> XmppEvent {
    tokio::time::timeout(PATIENCE, events.recv())
        .await
        .expect("no event in time")
        .expect("event channel open")
}

/// A port on which nothing listens: bound, then released.
async fn dead_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

/// Everything the client did up to and including its initial presence.
async fn negotiation_seen_by_server(
    server: &mut FakeXmppServer,
) -> (&'static str, (String, String), Vec<String>) {
    let transport = server
        .wait_for(|o| match o {
            Observed::Connected { transport, .. } => Some(*transport),
            _ => None,
        })
        .await;
    let credentials = server
        .wait_for(|o| match o {
            Observed::AuthAttempt {
                username, password, ..
            } => Some((username.clone(), password.clone())),
            _ => None,
        })
        .await;
    let mut stanzas = Vec::new();
    loop {
        let stanza = server.wait_for_stanza(|_| true).await;
        let done = stanza.is("presence");
        stanzas.push(describe(&stanza));
        if done {
            return (transport, credentials, stanzas);
        }
    }
}

fn describe(stanza: &finesse::xml::Element) -> String {
    finesse::xmpp::write_element(stanza)
}

#[tokio::test]
async fn connects_over_websocket_with_sasl_plain_bind_session_and_presence() {
    let lab = TlsLab::new("ws");
    let mut server = FakeXmppServer::start(&lab, Script::default()).await;
    let mut config = server.client_config(&lab, vec![server.websocket()]);
    config.jid_local = "1001001".into();
    let (xmpp, mut events) = XmppClient::connect(config).await.unwrap();

    assert_eq!(xmpp.bound_jid(), "1001001@finesse.lab/ringside-test");
    let (transport, credentials, stanzas) = negotiation_seen_by_server(&mut server).await;
    assert_eq!(transport, "websocket");
    assert_eq!(
        credentials,
        ("1001001".to_owned(), "agent-password".to_owned())
    );
    assert_eq!(
        stanzas,
        [
            r#"<iq xmlns="jabber:client" type="set" id="bind-1"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"><resource>ringside-test</resource></bind></iq>"#,
            r#"<iq xmlns="jabber:client" type="set" id="session-1"><session xmlns="urn:ietf:params:xml:ns:xmpp-session"/></iq>"#,
            r#"<presence xmlns="jabber:client"><priority>0</priority></presence>"#,
        ]
    );
    assert_eq!(
        next_event(&mut events).await,
        XmppEvent::FinessePresence { available: true }
    );
}

#[tokio::test]
async fn connects_over_direct_tls() {
    let lab = TlsLab::new("direct");
    let mut server = FakeXmppServer::start(&lab, Script::default()).await;
    let config = server.client_config(&lab, vec![server.direct_tls()]);
    let (xmpp, mut events) = XmppClient::connect(config).await.unwrap();

    let (transport, _, stanzas) = negotiation_seen_by_server(&mut server).await;
    assert_eq!(transport, "direct_tls");
    assert_eq!(
        stanzas.last().map(String::as_str),
        Some(r#"<presence xmlns="jabber:client"><priority>0</priority></presence>"#)
    );
    assert_eq!(xmpp.bound_jid(), "1001001@finesse.lab/ringside-test");
    assert_eq!(
        next_event(&mut events).await,
        XmppEvent::FinessePresence { available: true }
    );
}

#[tokio::test]
async fn connects_over_starttls_after_upgrading_the_plain_socket() {
    let lab = TlsLab::new("starttls");
    let mut server = FakeXmppServer::start(&lab, Script::default()).await;
    let config = server.client_config(&lab, vec![server.start_tls()]);
    let (xmpp, mut events) = XmppClient::connect(config).await.unwrap();

    let (transport, credentials, _) = negotiation_seen_by_server(&mut server).await;
    assert_eq!(transport, "starttls");
    assert_eq!(credentials.0, "1001001");
    assert_eq!(xmpp.bound_jid(), "1001001@finesse.lab/ringside-test");
    assert_eq!(
        next_event(&mut events).await,
        XmppEvent::FinessePresence { available: true }
    );
}

#[tokio::test]
async fn agent_ids_are_lower_cased_in_the_login() {
    let lab = TlsLab::new("case");
    let script = Script {
        username: "agentx".into(),
        ..Script::default()
    };
    let mut server = FakeXmppServer::start(&lab, script).await;
    let mut config = server.client_config(&lab, vec![server.direct_tls()]);
    config.jid_local = "AgentX".into();
    XmppClient::connect(config).await.unwrap();
    let (_, credentials, _) = negotiation_seen_by_server(&mut server).await;
    assert_eq!(credentials.0, "agentx");
}

#[tokio::test]
async fn falls_back_from_a_dead_websocket_url_to_direct_tls() {
    let lab = TlsLab::new("fallback");
    let mut server = FakeXmppServer::start(&lab, Script::default()).await;
    let dead = TransportSpec::websocket("127.0.0.1", dead_port().await);
    let config = server.client_config(&lab, vec![dead, server.direct_tls()]);
    let (_xmpp, mut events) = XmppClient::connect(config).await.unwrap();

    let (transport, _, _) = negotiation_seen_by_server(&mut server).await;
    assert_eq!(transport, "direct_tls");
    assert_eq!(
        next_event(&mut events).await,
        XmppEvent::FinessePresence { available: true }
    );
}

#[tokio::test]
async fn every_transport_failing_reports_each_cause() {
    let lab = TlsLab::new("none");
    let first = TransportSpec::websocket("127.0.0.1", dead_port().await);
    let second = TransportSpec::DirectTls {
        host: "127.0.0.1".into(),
        port: dead_port().await,
    };
    let server = FakeXmppServer::start(&lab, Script::default()).await;
    let config = server.client_config(&lab, vec![first.clone(), second.clone()]);

    let err = XmppClient::connect(config).await.unwrap_err();
    assert_eq!(err.code(), "transport_unavailable");
    let finesse::xmpp::XmppError::TransportUnavailable { attempts } = err else {
        unreachable!()
    };
    let tried: Vec<_> = attempts
        .iter()
        .map(|a| (a.transport.clone(), a.error.code()))
        .collect();
    assert_eq!(tried, [(first, "connect"), (second, "connect")]);
}

#[tokio::test]
async fn refused_credentials_stop_after_exactly_one_attempt() {
    let lab = TlsLab::new("auth");
    let server = FakeXmppServer::start(&lab, Script::default()).await;
    let mut config = server.client_config(
        &lab,
        vec![server.websocket(), server.direct_tls(), server.start_tls()],
    );
    config.password = "wrong-password".into();

    let err = XmppClient::connect(config).await.unwrap_err();
    assert_eq!(err.code(), "authentication_failed");
    assert!(err.is_authentication_failure());
    assert_eq!(
        server.auth_attempts(),
        1,
        "no second transport may be tried with refused credentials"
    );
}

#[tokio::test]
async fn a_server_certificate_from_an_untrusted_ca_is_a_tls_error() {
    let server_lab = TlsLab::new("server");
    let other_lab = TlsLab::new("unrelated");
    let server = FakeXmppServer::start(&server_lab, Script::default()).await;
    for transport in [server.websocket(), server.direct_tls(), server.start_tls()] {
        let config = server.client_config(&other_lab, vec![transport.clone()]);
        let err = XmppClient::connect(config).await.unwrap_err();
        assert_eq!(err.code(), "tls", "{transport}: {err}");
    }
    assert_eq!(
        server.auth_attempts(),
        0,
        "no password may cross an untrusted connection"
    );
}

#[tokio::test]
async fn connected_is_reported_only_after_finesse_presence() {
    let lab = TlsLab::new("presence");
    let script = Script {
        finesse_presence: false,
        ..Script::default()
    };
    let server = FakeXmppServer::start(&lab, script).await;
    let mut config = server.client_config(&lab, vec![server.direct_tls()]);
    // Long enough for a loaded machine to negotiate; the wait for presence then runs it out.
    config.connect_timeout = std::time::Duration::from_millis(1500);
    let err = XmppClient::connect(config.clone()).await.unwrap_err();
    assert_eq!(err.code(), "timeout");

    config.require_finesse_presence = false;
    config.connect_timeout = PATIENCE;
    let (xmpp, _events) = XmppClient::connect(config).await.unwrap();
    assert!(xmpp.is_connected());
}

#[tokio::test]
async fn stanzas_arriving_before_finesse_presence_are_delivered_first() {
    let lab = TlsLab::new("early");
    let early = std::fs::read_to_string("tests/fixtures/xmpp/dialog_added_event.xml").unwrap();
    let script = Script {
        early_stanza: Some(early.trim().to_owned()),
        ..Script::default()
    };
    let server = FakeXmppServer::start(&lab, script).await;
    let config = server.client_config(&lab, vec![server.websocket()]);
    let (_xmpp, mut events) = XmppClient::connect(config).await.unwrap();

    let XmppEvent::Message(message) = next_event(&mut events).await else {
        panic!("expected the early message first")
    };
    assert_eq!(
        message
            .descend(&["event", "items"])
            .and_then(|i| i.attr("node")),
        Some("/finesse/api/User/1001001/Dialogs")
    );
    assert_eq!(
        next_event(&mut events).await,
        XmppEvent::FinessePresence { available: true }
    );
}

#[tokio::test]
async fn the_desktop_resource_is_refused_before_connecting() {
    let lab = TlsLab::new("desktop");
    let server = FakeXmppServer::start(&lab, Script::default()).await;
    let mut config = server.client_config(&lab, vec![server.direct_tls()]);
    config.resource = "desktop".into();
    assert_eq!(
        XmppClient::connect(config).await.unwrap_err().code(),
        "invalid_config"
    );
    assert_eq!(server.auth_attempts(), 0);
}
