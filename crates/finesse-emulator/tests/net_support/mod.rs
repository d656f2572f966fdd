//! Shared by the `net_*` and `xmpp_*` tests: a lab on free ports with a manual clock, a
//! REST client trusting the lab CA, and a raw XMPP client (WebSocket, STARTTLS, direct TLS)
//! written here so the server is checked from the outside.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use finesse_emulator::center::NodeId;
use finesse_emulator::clock::SimClock;
use finesse_emulator::config::{LabConfig, DEMO_PASSWORD};
use finesse_emulator::net::xmpp::splitter::{
    read_websocket_message, SplitLimits, StanzaSplitter, StreamEvent,
};
use finesse_emulator::net::{Lab, LabOptions, NodeEndpoints};
use finesse_xml::Element;
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

/// Safety net only: every wait below ends as soon as the awaited thing arrives.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub const PASSWORD: &str = DEMO_PASSWORD;

/// The demo lab (agents 1001.., supervisor 1000 of team 1) on free ports, manual clock.
pub async fn start_lab() -> Lab {
    start_lab_with(LabConfig::demo()).await
}

pub async fn start_lab_with(config: LabConfig) -> Lab {
    let options = LabOptions::new(config, SimClock::manual()).with_ephemeral_ports();
    Lab::start(options).await.expect("lab starts")
}

/// A REST client that trusts only the lab CA (HTTP/2 when ALPN offers it).
pub fn rest_client(lab: &Lab) -> reqwest::Client {
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(lab.ca_pem().as_bytes()).unwrap())
        .build()
        .unwrap()
}

pub fn basic(user: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{PASSWORD}"));
    format!("Basic {token}")
}

/// `PUT /finesse/api/User/{user}` with the agent's own credentials.
pub async fn put_user(
    client: &reqwest::Client,
    lab: &Lab,
    node: NodeId,
    user: &str,
    body: &str,
) -> reqwest::Response {
    client
        .put(format!("{}/User/{user}", lab.node(node).rest_url()))
        .header("Authorization", basic(user))
        .header("Content-Type", "application/xml")
        .header("requestId", format!("req-{user}"))
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

pub async fn sign_in_agent(
    client: &reqwest::Client,
    lab: &Lab,
    node: NodeId,
    user: &str,
    extension: &str,
) {
    let body = format!("<User><state>LOGIN</state><extension>{extension}</extension></User>");
    let response = put_user(client, lab, node, user, &body).await;
    assert_eq!(response.status(), 202, "LOGIN of {user} accepted");
}

/// The body of a PUT User that makes the agent READY.
pub const USER_READY: &str = "<User><state>READY</state></User>";

/// An agent connected over XMPP on `node`, signed in on `extension` and seen READY.
pub async fn ready_agent(
    lab: &Lab,
    node: NodeId,
    transport: Transport,
    user: &str,
    extension: &str,
) -> XmppClient {
    let rest = rest_client(lab);
    let mut client = XmppClient::signed_in(lab, node, transport, user, "tray").await;
    sign_in_agent(&rest, lab, node, user, extension).await;
    put_user(&rest, lab, node, user, USER_READY).await;
    client.user_state(user, "READY").await;
    client
}

pub fn tls_client_config(lab: &Lab) -> Arc<rustls::ClientConfig> {
    tls_client_config_for(lab.ca_der())
}

/// A rustls client configuration trusting only this CA.
pub fn tls_client_config_for(
    ca: rustls::pki_types::CertificateDer<'static>,
) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    WebSocket,
    StartTls,
    DirectTls,
}

pub const ALL_TRANSPORTS: [Transport; 3] = [
    Transport::WebSocket,
    Transport::StartTls,
    Transport::DirectTls,
];

/// What the client read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Got {
    Open(Element),
    Stanza(Element),
    Close,
    /// The socket closed (EOF or reset).
    Gone,
}

type WsStream = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

enum Wire {
    Ws(Box<WsStream>),
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
    Upgrading,
}

/// A deliberately small XMPP client.
pub struct XmppClient {
    pub transport: Transport,
    pub domain: String,
    wire: Wire,
    splitter: StanzaSplitter,
    pending: std::collections::VecDeque<Got>,
    /// Every byte (TCP) or message (WebSocket) read, for byte-level assertions.
    pub transcript: String,
    tls: Arc<rustls::ClientConfig>,
    ip: std::net::IpAddr,
    pub full_jid: Option<String>,
}

fn client_limits() -> SplitLimits {
    SplitLimits {
        max_stanza_bytes: 4 * 1024 * 1024,
        max_depth: 64,
    }
}

impl XmppClient {
    /// Connect (TLS where the transport starts with it) without opening the stream.
    pub async fn connect(lab: &Lab, node: NodeId, transport: Transport) -> XmppClient {
        XmppClient::connect_to(lab.node(node), tls_client_config(lab), transport).await
    }

    /// Connect to a node known by its endpoints (e.g. of a separate emulator process).
    pub async fn connect_to(
        endpoints: &NodeEndpoints,
        tls: Arc<rustls::ClientConfig>,
        transport: Transport,
    ) -> XmppClient {
        let wire = match transport {
            Transport::WebSocket => {
                let mut request = endpoints.websocket_url().into_client_request().unwrap();
                request
                    .headers_mut()
                    .insert("Sec-WebSocket-Protocol", "xmpp".parse().unwrap());
                let (ws, response) = tokio_tungstenite::connect_async_tls_with_config(
                    request,
                    None,
                    true,
                    Some(tokio_tungstenite::Connector::Rustls(tls.clone())),
                )
                .await
                .expect("WebSocket connects");
                assert_eq!(
                    response.headers().get("sec-websocket-protocol").unwrap(),
                    "xmpp"
                );
                Wire::Ws(Box::new(ws))
            }
            Transport::StartTls => {
                Wire::Plain(TcpStream::connect(endpoints.xmpp_addr()).await.unwrap())
            }
            Transport::DirectTls => {
                let tcp = TcpStream::connect(endpoints.xmpp_secure_addr())
                    .await
                    .unwrap();
                let name = rustls::pki_types::ServerName::from(endpoints.ip);
                let stream = tokio_rustls::TlsConnector::from(tls.clone())
                    .connect(name, tcp)
                    .await
                    .expect("TLS handshake on the direct TLS port");
                Wire::Tls(Box::new(stream))
            }
        };
        XmppClient {
            transport,
            domain: endpoints.xmpp_domain.clone(),
            wire,
            splitter: StanzaSplitter::new(client_limits()),
            pending: Default::default(),
            transcript: String::new(),
            tls,
            ip: endpoints.ip,
            full_jid: None,
        }
    }

    /// Write raw text (one WebSocket message, or bytes on TCP).
    pub async fn send(&mut self, xml: &str) {
        match &mut self.wire {
            Wire::Ws(ws) => ws.send(Message::Text(xml.to_owned().into())).await.unwrap(),
            Wire::Plain(s) => s.write_all(xml.as_bytes()).await.unwrap(),
            Wire::Tls(s) => {
                s.write_all(xml.as_bytes()).await.unwrap();
                s.flush().await.unwrap();
            }
            Wire::Upgrading => panic!("send during TLS upgrade"),
        }
    }

    /// Send a stanza, adding `xmlns="jabber:client"` on WebSocket (RFC 7395 §3.3.3).
    pub async fn send_stanza(&mut self, stanza: &str) {
        if self.transport == Transport::WebSocket {
            let name_end = stanza.find([' ', '>', '/']).unwrap();
            let with_ns = format!(
                "{} xmlns=\"jabber:client\"{}",
                &stanza[..name_end],
                &stanza[name_end..]
            );
            self.send(&with_ns).await;
        } else {
            self.send(stanza).await;
        }
    }

    /// The next unit from the server (waits at most [`PATIENCE`]).
    pub async fn next(&mut self) -> Got {
        tokio::time::timeout(PATIENCE, self.next_unbounded())
            .await
            .expect("the server sent something in time")
    }

    async fn next_unbounded(&mut self) -> Got {
        loop {
            if let Some(got) = self.pending.pop_front() {
                return got;
            }
            match &mut self.wire {
                Wire::Ws(ws) => match ws.next().await {
                    Some(Ok(Message::Text(text))) => {
                        self.transcript.push_str(text.as_str());
                        let event = read_websocket_message(text.as_str(), client_limits())
                            .expect("one element per message");
                        self.pending.push_back(convert(event));
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return Got::Gone,
                    Some(Ok(_)) => {}
                },
                Wire::Plain(_) | Wire::Tls(_) => {
                    let mut buf = vec![0u8; 64 * 1024];
                    let n = match &mut self.wire {
                        Wire::Plain(s) => s.read(&mut buf).await,
                        Wire::Tls(s) => s.read(&mut buf).await,
                        Wire::Ws(_) | Wire::Upgrading => return Got::Gone,
                    };
                    let n = match n {
                        Ok(0) | Err(_) => return Got::Gone,
                        Ok(n) => n,
                    };
                    self.transcript
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                    for event in self
                        .splitter
                        .feed(&buf[..n])
                        .expect("the server's stream is well-formed")
                    {
                        self.pending.push_back(convert(event));
                    }
                }
                Wire::Upgrading => panic!("read during TLS upgrade"),
            }
        }
    }

    /// The next stanza, failing on anything else.
    pub async fn stanza(&mut self) -> Element {
        match self.next().await {
            Got::Stanza(el) => el,
            other => panic!("expected a stanza, got {other:?}"),
        }
    }

    /// Skip units until one matches.
    pub async fn wait_for(&mut self, what: &str, matches: impl Fn(&Element) -> bool) -> Element {
        loop {
            match self.next().await {
                Got::Stanza(el) if matches(&el) => return el,
                Got::Stanza(_) | Got::Open(_) => {}
                other => panic!("waiting for {what}, got {other:?}"),
            }
        }
    }

    /// Open (or restart) the stream and return the features.
    pub async fn open_stream(&mut self) -> Element {
        match self.transport {
            Transport::WebSocket => {
                let open = format!(
                    r#"<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="{}" version="1.0"/>"#,
                    self.domain
                );
                self.send(&open).await;
            }
            _ => {
                self.splitter = StanzaSplitter::new(client_limits());
                let header = format!(
                    "<?xml version='1.0'?><stream:stream to='{}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>",
                    self.domain
                );
                self.send(&header).await;
            }
        }
        assert!(
            matches!(self.next().await, Got::Open(_)),
            "stream header answered"
        );
        let features = self.stanza().await;
        assert_eq!(features.name, "features");
        features
    }

    /// STARTTLS on a plain stream (TCP 5222-like port only).
    pub async fn starttls(&mut self) {
        self.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
            .await;
        assert_eq!(self.stanza().await.name, "proceed");
        let Wire::Plain(tcp) = std::mem::replace(&mut self.wire, Wire::Upgrading) else {
            panic!("STARTTLS on a stream that is not plain TCP");
        };
        let name = rustls::pki_types::ServerName::from(self.ip);
        let tls = tokio_rustls::TlsConnector::from(self.tls.clone())
            .connect(name, tcp)
            .await
            .expect("STARTTLS handshake");
        self.wire = Wire::Tls(Box::new(tls));
    }

    /// SASL PLAIN; returns the server's answer element (`success` or `failure`).
    pub async fn authenticate(&mut self, user: &str, password: &str) -> Element {
        let plain =
            base64::engine::general_purpose::STANDARD.encode(format!("\0{user}\0{password}"));
        self.send(&format!(
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{plain}</auth>"
        ))
        .await;
        self.stanza().await
    }

    /// Bind `resource`; returns the bound full JID.
    pub async fn bind(&mut self, resource: &str) -> String {
        self.send_stanza(&format!(
            "<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{resource}</resource></bind></iq>"
        ))
        .await;
        let result = self
            .wait_for("bind result", |el| el.attr("id") == Some("bind1"))
            .await;
        assert_eq!(result.attr("type"), Some("result"), "bind: {result:?}");
        let jid = result.descend(&["bind", "jid"]).unwrap().text.clone();
        self.full_jid = Some(jid.clone());
        jid
    }

    /// Everything up to a bound resource: open, STARTTLS when on the plain port, SASL, restart, bind.
    pub async fn bound(
        lab: &Lab,
        node: NodeId,
        transport: Transport,
        user: &str,
        resource: &str,
    ) -> XmppClient {
        let client = XmppClient::connect(lab, node, transport).await;
        client.bind_as(user, resource).await
    }

    /// On a connected client: open, STARTTLS when on the plain port, SASL, restart, bind.
    pub async fn bind_as(self, user: &str, resource: &str) -> XmppClient {
        let mut client = self;
        let transport = client.transport;
        let features = client.open_stream().await;
        if transport == Transport::StartTls {
            assert!(features.child("starttls").is_some(), "5222 offers STARTTLS");
            client.starttls().await;
            client.open_stream().await;
        }
        let answer = client.authenticate(user, PASSWORD).await;
        assert_eq!(answer.name, "success", "authentication of {user}");
        let features = client.open_stream().await;
        assert!(features.child("bind").is_some());
        client.bind(resource).await;
        client
    }

    /// Bound, initial presence sent, and `finesse@` presence seen (the client's "connected").
    pub async fn signed_in(
        lab: &Lab,
        node: NodeId,
        transport: Transport,
        user: &str,
        resource: &str,
    ) -> XmppClient {
        let client = XmppClient::bound(lab, node, transport, user, resource).await;
        client.announce().await
    }

    /// Send initial presence and wait for the `finesse@` presence.
    pub async fn announce(self) -> XmppClient {
        let mut client = self;
        client
            .send_stanza("<presence><priority>0</priority></presence>")
            .await;
        let finesse = format!("finesse@{}/finesse", client.domain);
        let presence = client
            .wait_for("finesse@ presence", |el| {
                el.is("presence") && el.attr("from") == Some(finesse.as_str())
            })
            .await;
        assert_eq!(presence.attr("type"), None, "finesse@ is available");
        client
    }

    /// The next pub-sub event on `node` (other stanzas are skipped); returns the message and
    /// the parsed `<Update>`.
    pub async fn event_on(&mut self, pubsub_node: &str) -> (Element, Element) {
        let message = self
            .wait_for(pubsub_node, |el| {
                el.is("message")
                    && el.descend(&["event", "items"]).and_then(|i| i.attr("node"))
                        == Some(pubsub_node)
            })
            .await;
        let update = update_of(&message);
        (message, update)
    }

    /// The next pub-sub event of any node.
    pub async fn any_event(&mut self) -> (Element, Element) {
        let message = self
            .wait_for("an event", |el| {
                el.is("message") && el.child("event").is_some()
            })
            .await;
        let update = update_of(&message);
        (message, update)
    }

    /// Wait for a User event on the agent's own node with this state.
    pub async fn user_state(&mut self, user: &str, state: &str) -> Element {
        let node = format!("/finesse/api/User/{user}");
        loop {
            let (_, update) = self.event_on(&node).await;
            if update
                .descend(&["data", "user"])
                .and_then(|u| u.child_text("state"))
                == Some(state)
            {
                return update;
            }
        }
    }

    /// Ask the server for a pong and wait for it: everything the server queued for this
    /// session before the ping has then been read.
    pub async fn ping(&mut self, id: &str) {
        let ping = format!(
            "<iq type='get' id='{id}' to='{}'><ping xmlns='urn:xmpp:ping'/></iq>",
            self.domain
        );
        self.send_stanza(&ping).await;
        let pong = self.wait_for("pong", |el| el.attr("id") == Some(id)).await;
        assert_eq!(pong.attr("type"), Some("result"));
    }

    /// Close the socket without a stream close (a crashed client).
    pub fn crash(self) {
        drop(self);
    }
}

fn convert(event: StreamEvent) -> Got {
    match event {
        StreamEvent::Open(el) => Got::Open(el),
        StreamEvent::Stanza(el) => Got::Stanza(el),
        StreamEvent::Close => Got::Close,
    }
}

/// Subscribes `jid` to a pub-sub node and returns the server's answer to the request `id`.
pub async fn subscribe(client: &mut XmppClient, node: &str, jid: &str, id: &str) -> Element {
    let request = format!(
        "<iq type='set' id='{id}' to='pubsub.127.0.0.1'><pubsub xmlns='http://jabber.org/protocol/pubsub'>\
         <subscribe node='{node}' jid='{jid}'/></pubsub></iq>"
    );
    client.send_stanza(&request).await;
    client
        .wait_for("subscribe answer", |el| el.attr("id") == Some(id))
        .await
}

/// The `<Update>` carried (escaped) in an event message's `<notification>`.
pub fn update_of(message: &Element) -> Element {
    let notification = message
        .descend(&["event", "items", "item", "notification"])
        .expect("event/items/item/notification");
    assert!(
        notification.children.is_empty(),
        "the Update is text, not child elements"
    );
    finesse_xml::parse(&notification.text).expect("the notification text is an XML document")
}

/// The text of `data/<root>/<field>` in an Update.
pub fn data_field<'a>(update: &'a Element, root: &str, field: &str) -> Option<&'a str> {
    update
        .descend(&["data", root])
        .and_then(|r| r.child_text(field))
}
