//! A small scripted XMPP server playing the Finesse Notification Service (Openfire) for tests:
//! WebSocket (RFC 7395) over TLS, direct TLS TCP, and STARTTLS TCP, all on 127.0.0.1.
//! It reports everything the client does as [`Observed`] events and takes [`Action`]s to inject
//! traffic into a connection.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod io;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use finesse::xml::Element;
use finesse::xmpp::{TransportSpec, XmppConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};

use crate::tls_lab::TlsLab;
use io::{decode_plain, take_tcp_frame, ClientFrame, ServerIo, NS_FRAMING};

/// Generous safety net for waits; tests never rely on it elapsing.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// How the fake server behaves.
#[derive(Debug, Clone)]
pub struct Script {
    pub domain: String,
    pub username: String,
    pub password: String,
    /// Send `finesse@domain/Finesse` presence after the client's initial presence.
    pub finesse_presence: bool,
    pub answer_pings: bool,
    /// Offer mandatory RFC 3921 session establishment (Openfire does).
    pub offer_session: bool,
    /// A stanza sent between the client's initial presence and Finesse's presence.
    pub early_stanza: Option<String>,
    /// Nodes whose subscription is refused with `item-not-found`.
    pub unknown_nodes: Vec<String>,
}

impl Default for Script {
    fn default() -> Self {
        Script {
            domain: "finesse.lab".into(),
            username: "1001001".into(),
            password: "agent-password".into(),
            finesse_presence: true,
            answer_pings: true,
            offer_session: true,
            early_stanza: None,
            unknown_nodes: Vec::new(),
        }
    }
}

/// Something the client did, in the order the server saw it.
#[derive(Debug, Clone)]
pub enum Observed {
    Connected {
        conn: usize,
        transport: &'static str,
    },
    AuthAttempt {
        conn: usize,
        username: String,
        password: String,
    },
    /// Any stanza after authentication (bind, presence, IQs, ...).
    Stanza { conn: usize, stanza: Element },
    /// The client closed the stream (`</stream:stream>` or `<close/>`).
    StreamClosed { conn: usize },
    /// The socket ended.
    SocketEnded { conn: usize },
}

/// Traffic injected into a connection.
#[derive(Debug, Clone)]
pub enum Action {
    Send(String),
    SendBytes {
        bytes: Vec<u8>,
        one_byte_per_write: bool,
    },
    /// Drop the socket without closing anything.
    Drop,
}

type Controls = Arc<Mutex<Vec<mpsc::UnboundedSender<Action>>>>;

pub struct FakeXmppServer {
    pub script: Script,
    pub ws_url: String,
    pub tls_port: u16,
    pub starttls_port: u16,
    observed: mpsc::UnboundedReceiver<Observed>,
    controls: Controls,
    auth_attempts: Arc<AtomicUsize>,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for FakeXmppServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

#[derive(Clone)]
struct Shared {
    script: Script,
    acceptor: TlsAcceptor,
    observed: mpsc::UnboundedSender<Observed>,
    controls: Controls,
    auth_attempts: Arc<AtomicUsize>,
}

impl FakeXmppServer {
    pub async fn start(lab: &TlsLab, script: Script) -> FakeXmppServer {
        let (observed_tx, observed) = mpsc::unbounded_channel();
        let shared = Shared {
            script: script.clone(),
            acceptor: TlsAcceptor::from(lab.server_config(&[])),
            observed: observed_tx,
            controls: Arc::new(Mutex::new(Vec::new())),
            auth_attempts: Arc::new(AtomicUsize::new(0)),
        };
        let ws = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let tls = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let starttls = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let ws_url = format!("wss://127.0.0.1:{}/ws/", ws.local_addr().unwrap().port());
        let tls_port = tls.local_addr().unwrap().port();
        let starttls_port = starttls.local_addr().unwrap().port();
        let tasks = vec![
            tokio::spawn(accept_loop(ws, shared.clone(), Kind::WebSocket)),
            tokio::spawn(accept_loop(tls, shared.clone(), Kind::DirectTls)),
            tokio::spawn(accept_loop(starttls, shared.clone(), Kind::StartTls)),
        ];
        FakeXmppServer {
            script,
            ws_url,
            tls_port,
            starttls_port,
            observed,
            controls: shared.controls,
            auth_attempts: shared.auth_attempts,
            tasks,
        }
    }

    pub fn websocket(&self) -> TransportSpec {
        TransportSpec::WebSocket {
            url: self.ws_url.clone(),
        }
    }

    pub fn direct_tls(&self) -> TransportSpec {
        TransportSpec::DirectTls {
            host: "127.0.0.1".into(),
            port: self.tls_port,
        }
    }

    pub fn start_tls(&self) -> TransportSpec {
        TransportSpec::StartTls {
            host: "127.0.0.1".into(),
            port: self.starttls_port,
        }
    }

    /// A client configuration for this server with short, test-sized timers.
    pub fn client_config(&self, lab: &TlsLab, transports: Vec<TransportSpec>) -> XmppConfig {
        let mut config = XmppConfig::new(
            "127.0.0.1",
            self.script.domain.clone(),
            format!("pubsub.{}", self.script.domain),
            self.script.username.clone(),
            self.script.password.clone(),
        );
        config.transports = transports;
        config.trust = lab.trust();
        config.resource = "ringside-test".into();
        config.connect_timeout = PATIENCE;
        config.request_timeout = PATIENCE;
        config
    }

    pub fn auth_attempts(&self) -> usize {
        self.auth_attempts.load(Ordering::SeqCst)
    }

    pub fn act(&self, conn: usize, action: Action) {
        let controls = self.controls.lock().unwrap();
        controls[conn]
            .send(action)
            .expect("connection still served");
    }

    pub async fn next_observed(&mut self) -> Observed {
        tokio::time::timeout(PATIENCE, self.observed.recv())
            .await
            .expect("the fake server saw nothing in time")
            .expect("server running")
    }

    /// Skip observations until one matches.
    pub async fn wait_for<T>(&mut self, mut pick: impl FnMut(&Observed) -> Option<T>) -> T {
        loop {
            let observed = self.next_observed().await;
            if let Some(found) = pick(&observed) {
                return found;
            }
        }
    }

    /// The next stanza the client sent that satisfies `matches`.
    pub async fn wait_for_stanza(&mut self, matches: impl Fn(&Element) -> bool) -> Element {
        self.wait_for(|o| match o {
            Observed::Stanza { stanza, .. } if matches(stanza) => Some(stanza.clone()),
            _ => None,
        })
        .await
    }
}

#[derive(Clone, Copy)]
enum Kind {
    WebSocket,
    DirectTls,
    StartTls,
}

async fn accept_loop(listener: TcpListener, shared: Shared, kind: Kind) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            return;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let (actions_tx, actions) = mpsc::unbounded_channel();
            let conn = {
                let mut controls = shared.controls.lock().unwrap();
                controls.push(actions_tx);
                controls.len() - 1
            };
            if let Some(io) = open(tcp, &shared, kind).await {
                let transport = match kind {
                    Kind::WebSocket => "websocket",
                    Kind::DirectTls => "direct_tls",
                    Kind::StartTls => "starttls",
                };
                shared
                    .observed
                    .send(Observed::Connected { conn, transport })
                    .ok();
                serve(io, &shared, conn, actions).await;
            }
        });
    }
}

async fn open(tcp: TcpStream, shared: &Shared, kind: Kind) -> Option<ServerIo> {
    match kind {
        Kind::DirectTls => {
            let tls = shared.acceptor.accept(tcp).await.ok()?;
            Some(ServerIo::Tcp {
                tls: Box::new(tls),
                buf: Vec::new(),
            })
        }
        Kind::WebSocket => {
            let tls = shared.acceptor.accept(tcp).await.ok()?;
            let ws = tokio_tungstenite::accept_hdr_async(tls, require_xmpp_subprotocol)
                .await
                .ok()?;
            Some(ServerIo::WebSocket(Box::new(ws)))
        }
        Kind::StartTls => {
            let tcp = plain_starttls_phase(tcp, &shared.script.domain).await?;
            let tls = shared.acceptor.accept(tcp).await.ok()?;
            Some(ServerIo::Tcp {
                tls: Box::new(tls),
                buf: Vec::new(),
            })
        }
    }
}

#[allow(clippy::result_large_err)]
fn require_xmpp_subprotocol(
    request: &Request,
    mut response: Response,
) -> Result<Response, ErrorResponse> {
    let offered = request
        .headers()
        .get("Sec-WebSocket-Protocol")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|p| p.trim() == "xmpp"));
    if !offered || request.uri().path() != "/ws/" {
        let mut refusal = ErrorResponse::new(Some("expected the xmpp subprotocol on /ws/".into()));
        *refusal.status_mut() = StatusCode::BAD_REQUEST;
        return Err(refusal);
    }
    response
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", HeaderValue::from_static("xmpp"));
    Ok(response)
}

async fn read_plain_frame(tcp: &mut TcpStream, buf: &mut Vec<u8>) -> Option<ClientFrame> {
    loop {
        if let Some(frame) = take_tcp_frame(buf) {
            return Some(frame);
        }
        let mut chunk = [0u8; 4096];
        match tcp.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

async fn plain_starttls_phase(mut tcp: TcpStream, domain: &str) -> Option<TcpStream> {
    let mut buf = Vec::new();
    let Some(ClientFrame::Open(_)) = read_plain_frame(&mut tcp, &mut buf).await else {
        return None;
    };
    let greeting = format!(
        "{}<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>",
        tcp_header(domain, "plain")
    );
    tcp.write_all(greeting.as_bytes()).await.ok()?;
    let Some(ClientFrame::Stanza(starttls)) = read_plain_frame(&mut tcp, &mut buf).await else {
        return None;
    };
    assert!(
        starttls.is("starttls"),
        "expected <starttls/>, got {starttls:?}"
    );
    tcp.write_all(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        .await
        .ok()?;
    Some(tcp)
}

fn tcp_header(domain: &str, id: &str) -> String {
    format!(
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' \
         id='{id}' from='{domain}' version='1.0' xml:lang='en'>"
    )
}

fn header(io: &ServerIo, domain: &str, id: &str) -> String {
    if io.is_websocket() {
        format!(
            "<open xmlns='{NS_FRAMING}' id='{id}' from='{domain}' version='1.0' xml:lang='en'/>"
        )
    } else {
        tcp_header(domain, id)
    }
}

fn features(io: &ServerIo, inner: &str) -> String {
    if io.is_websocket() {
        format!("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>{inner}</stream:features>")
    } else {
        format!("<stream:features>{inner}</stream:features>")
    }
}

/// One client connection, from the stream header to the end.
async fn serve(
    mut io: ServerIo,
    shared: &Shared,
    conn: usize,
    mut actions: mpsc::UnboundedReceiver<Action>,
) {
    let script = &shared.script;
    let ClientFrame::Open(_) = io.recv().await else {
        return;
    };
    io.send(&header(&io, &script.domain, "pre-auth")).await;
    io.send(&features(&io, "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms>")).await;

    let mut authenticated = false;
    let mut subscriptions: Vec<(String, String)> = Vec::new();
    let mut presence_seen = false;
    loop {
        let frame = tokio::select! {
            frame = io.recv() => frame,
            action = actions.recv() => {
                match action {
                    Some(Action::Send(text)) => io.send(&text).await,
                    Some(Action::SendBytes { bytes, one_byte_per_write }) => io.send_bytes(&bytes, one_byte_per_write).await,
                    Some(Action::Drop) | None => return,
                }
                continue;
            }
        };
        let stanza = match frame {
            ClientFrame::Open(_) if authenticated => {
                let bind = "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>";
                let session = if script.offer_session {
                    "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/>"
                } else {
                    ""
                };
                io.send(&header(&io, &script.domain, "post-auth")).await;
                io.send(&features(&io, &format!("{bind}{session}"))).await;
                continue;
            }
            ClientFrame::Open(_) => panic!("stream restart before authentication"),
            ClientFrame::Close => {
                shared.observed.send(Observed::StreamClosed { conn }).ok();
                if io.is_websocket() {
                    io.send(&format!("<close xmlns='{NS_FRAMING}'/>")).await;
                } else {
                    io.send("</stream:stream>").await;
                }
                io.close().await;
                return;
            }
            ClientFrame::End => {
                shared.observed.send(Observed::SocketEnded { conn }).ok();
                return;
            }
            ClientFrame::Stanza(stanza) => stanza,
        };
        if !authenticated {
            assert!(stanza.is("auth"), "expected <auth/>, got {stanza:?}");
            assert_eq!(stanza.attr("mechanism"), Some("PLAIN"));
            shared.auth_attempts.fetch_add(1, Ordering::SeqCst);
            let (username, password) = decode_plain(&stanza.text);
            shared
                .observed
                .send(Observed::AuthAttempt {
                    conn,
                    username: username.clone(),
                    password: password.clone(),
                })
                .ok();
            if username == script.username && password == script.password {
                authenticated = true;
                io.send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
                    .await;
            } else {
                io.send("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/><text>bad credentials</text></failure>").await;
            }
            continue;
        }
        shared
            .observed
            .send(Observed::Stanza {
                conn,
                stanza: stanza.clone(),
            })
            .ok();
        if stanza.is("presence") && stanza.attr("type").is_none() && !presence_seen {
            presence_seen = true;
            if let Some(early) = &script.early_stanza {
                io.send(early).await;
            }
            if script.finesse_presence {
                io.send(&format!("<presence from='finesse@{}/Finesse' to='{}@{}/x'><priority>1</priority></presence>", script.domain, script.username, script.domain)).await;
            }
        }
        if stanza.is("iq") {
            if let Some(reply) = answer_iq(script, &stanza, &mut subscriptions) {
                io.send(&reply).await;
            }
        }
    }
}

fn answer_iq(
    script: &Script,
    iq: &Element,
    subscriptions: &mut Vec<(String, String)>,
) -> Option<String> {
    let id = iq.attr("id")?;
    let kind = iq.attr("type")?;
    let result = |inner: &str| {
        format!(
            "<iq type='result' id='{id}' from='{}'>{inner}</iq>",
            iq.attr("to").unwrap_or(&script.domain)
        )
    };
    if kind == "set" {
        if let Some(bind) = iq.child("bind") {
            let resource = bind.child_text("resource").unwrap_or("generated");
            return Some(result(&format!(
                "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>{}@{}/{resource}</jid></bind>",
                script.username, script.domain
            )));
        }
        if iq.child("session").is_some() {
            return Some(result(""));
        }
    }
    if iq.child("ping").is_some() {
        return script.answer_pings.then(|| result(""));
    }
    let pubsub = iq.child("pubsub")?;
    if let Some(subscribe) = pubsub.child("subscribe") {
        let node = subscribe.attr("node").unwrap_or_default().to_owned();
        let jid = subscribe.attr("jid").unwrap_or_default().to_owned();
        if script.unknown_nodes.contains(&node) {
            return Some(format!(
                "<iq type='error' id='{id}' from='pubsub.{}'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no such node</text></error></iq>",
                script.domain
            ));
        }
        subscriptions.push((node.clone(), jid.clone()));
        return Some(result(&format!(
            "<pubsub xmlns='http://jabber.org/protocol/pubsub'><subscription node='{node}' jid='{jid}' subscription='subscribed'/></pubsub>"
        )));
    }
    if let Some(unsubscribe) = pubsub.child("unsubscribe") {
        let node = unsubscribe.attr("node").unwrap_or_default();
        subscriptions.retain(|(n, _)| n != node);
        return Some(result(""));
    }
    if pubsub.child("subscriptions").is_some() {
        let list: String = subscriptions
            .iter()
            .map(|(node, jid)| {
                format!("<subscription node='{node}' jid='{jid}' subscription='subscribed'/>")
            })
            .collect();
        return Some(result(&format!("<pubsub xmlns='http://jabber.org/protocol/pubsub'><subscriptions>{list}</subscriptions></pubsub>")));
    }
    None
}
