//! A minimal XMPP-over-WebSocket client (RFC 7395), just enough for a Finesse desktop to
//! receive notifications: `<open/>`, SASL PLAIN, stream restart, resource binding, session,
//! initial presence, and XEP-0060 subscriptions for supervisors.
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use finesse_xml::{escape_text, Element, XmlError};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

const FRAMING_NS: &str = "urn:ietf:params:xml:ns:xmpp-framing";
const SASL_NS: &str = "urn:ietf:params:xml:ns:xmpp-sasl";
const BIND_NS: &str = "urn:ietf:params:xml:ns:xmpp-bind";
const SESSION_NS: &str = "urn:ietf:params:xml:ns:xmpp-session";
const PUBSUB_NS: &str = "http://jabber.org/protocol/pubsub";

/// How long the whole stream negotiation may take.
const NEGOTIATION_TIMEOUT: Duration = Duration::from_secs(60);

/// Where to connect and how to trust it.
#[derive(Clone)]
pub struct XmppTarget {
    pub websocket_url: String,
    pub domain: String,
    pub pubsub_domain: String,
    pub tls: Arc<rustls::ClientConfig>,
}

/// Why a stream could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("WebSocket: {0}")]
    WebSocket(#[from] tokio_tungstenite::tungstenite::Error),
    #[error("the server closed the stream")]
    Closed,
    #[error("unreadable stanza: {0}")]
    Xml(#[from] XmlError),
    #[error("unexpected reply while {during}: <{got}>")]
    Unexpected { during: &'static str, got: String },
    #[error("the stream negotiation took longer than {0:?}")]
    Timeout(Duration),
}

impl LinkError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            LinkError::WebSocket(_) => "xmpp_websocket",
            LinkError::Closed => "xmpp_closed",
            LinkError::Xml(_) => "xmpp_bad_xml",
            LinkError::Unexpected { .. } => "xmpp_unexpected_reply",
            LinkError::Timeout(_) => "xmpp_negotiation_timeout",
        }
    }
}

/// One element read from the server, stamped with when it was read off the socket.
pub struct Received {
    pub at: Instant,
    pub element: Element,
}

impl Received {
    /// The text of a pub-sub event's `<notification>` (an escaped `<Update>` document on
    /// the wire, plain text here), if this element is such an event.
    pub fn notification(&self) -> Option<&str> {
        if !self.element.is("message") {
            return None;
        }
        self.element
            .descend(&["event", "items", "item", "notification"])
            .map(|n| n.text.as_str())
    }
}

/// A negotiated, available XMPP session over WebSocket.
pub struct XmppLink {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    bare_jid: String,
    pubsub_domain: String,
    next_id: u64,
}

impl XmppLink {
    /// Connect, authenticate as `user`, bind `resource` and send initial presence.
    pub async fn connect(
        target: &XmppTarget,
        user: &str,
        password: &str,
        resource: &str,
    ) -> Result<XmppLink, LinkError> {
        tokio::time::timeout(
            NEGOTIATION_TIMEOUT,
            Self::negotiate(target, user, password, resource),
        )
        .await
        .map_err(|_| LinkError::Timeout(NEGOTIATION_TIMEOUT))?
    }

    async fn negotiate(
        target: &XmppTarget,
        user: &str,
        password: &str,
        resource: &str,
    ) -> Result<XmppLink, LinkError> {
        let mut request = target.websocket_url.as_str().into_client_request()?;
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", HeaderValue::from_static("xmpp"));
        let (ws, _) = tokio_tungstenite::connect_async_tls_with_config(
            request,
            None,
            true,
            Some(Connector::Rustls(target.tls.clone())),
        )
        .await?;
        let mut link = XmppLink {
            ws,
            bare_jid: String::new(),
            pubsub_domain: target.pubsub_domain.clone(),
            next_id: 0,
        };
        link.open_stream(&target.domain).await?;
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("\0{user}\0{password}"));
        link.send(format!(
            "<auth xmlns=\"{SASL_NS}\" mechanism=\"PLAIN\">{token}</auth>"
        ))
        .await?;
        link.expect("authenticating", |e| e.is("success")).await?;

        link.open_stream(&target.domain).await?;
        let id = link.new_id();
        link.send(format!(
            "<iq xmlns=\"jabber:client\" type=\"set\" id=\"{id}\"><bind xmlns=\"{BIND_NS}\"><resource>{}</resource></bind></iq>",
            escape_text(resource)
        ))
        .await?;
        let bound = link.expect_result("binding", &id).await?;
        let full_jid = bound
            .descend(&["bind", "jid"])
            .and_then(Element::text_trimmed)
            .unwrap_or_default();
        link.bare_jid = full_jid.split('/').next().unwrap_or_default().to_owned();

        let id = link.new_id();
        link.send(format!(
            "<iq xmlns=\"jabber:client\" type=\"set\" id=\"{id}\"><session xmlns=\"{SESSION_NS}\"/></iq>"
        ))
        .await?;
        link.expect_result("starting the session", &id).await?;

        link.send("<presence xmlns=\"jabber:client\"/>".to_owned())
            .await?;
        // The server answers initial presence with finesse@'s presence: the session is
        // now routable.
        link.expect("sending presence", |e| e.is("presence"))
            .await?;
        Ok(link)
    }

    /// Subscribe the bare JID to a pub-sub node (as a supervisor's desktop does).
    pub async fn subscribe(&mut self, node: &str) -> Result<(), LinkError> {
        let id = self.new_id();
        self.send(format!(
            "<iq xmlns=\"jabber:client\" type=\"set\" to=\"{}\" id=\"{id}\"><pubsub xmlns=\"{PUBSUB_NS}\"><subscribe node=\"{}\" jid=\"{}\"/></pubsub></iq>",
            escape_text(&self.pubsub_domain),
            escape_text(node),
            escape_text(&self.bare_jid)
        ))
        .await?;
        tokio::time::timeout(NEGOTIATION_TIMEOUT, self.expect_result("subscribing", &id))
            .await
            .map_err(|_| LinkError::Timeout(NEGOTIATION_TIMEOUT))??;
        Ok(())
    }

    /// The next element from the server. Cancel-safe: nothing is lost when the future is
    /// dropped before it completes.
    pub async fn next(&mut self) -> Result<Received, LinkError> {
        loop {
            let message = self.ws.next().await.ok_or(LinkError::Closed)??;
            let at = Instant::now();
            match message {
                Message::Text(text) => {
                    let element = finesse_xml::parse(text.as_str())?;
                    if element.is("close") {
                        return Err(LinkError::Closed);
                    }
                    return Ok(Received { at, element });
                }
                Message::Close(_) => return Err(LinkError::Closed),
                Message::Binary(_) | Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
            }
        }
    }

    /// Go unavailable and close the stream (RFC 7395 `<close/>`), then the WebSocket.
    pub async fn close(mut self) {
        let _ = self
            .send("<presence xmlns=\"jabber:client\" type=\"unavailable\"/>".to_owned())
            .await;
        let _ = self.send(format!("<close xmlns=\"{FRAMING_NS}\"/>")).await;
        let _ = self.ws.close(None).await;
    }

    async fn open_stream(&mut self, domain: &str) -> Result<(), LinkError> {
        self.send(format!(
            "<open xmlns=\"{FRAMING_NS}\" to=\"{}\" version=\"1.0\"/>",
            escape_text(domain)
        ))
        .await?;
        self.expect("opening the stream", |e| e.is("open")).await?;
        self.expect("reading stream features", |e| e.is("features"))
            .await?;
        Ok(())
    }

    async fn send(&mut self, xml: String) -> Result<(), LinkError> {
        self.ws.send(Message::Text(xml.into())).await?;
        Ok(())
    }

    fn new_id(&mut self) -> String {
        self.next_id += 1;
        format!("lb{}", self.next_id)
    }

    /// Read until an element `wanted` accepts; stream errors and SASL failures end the
    /// negotiation, anything else (e.g. a SystemInfo event) is skipped.
    async fn expect(
        &mut self,
        during: &'static str,
        wanted: impl Fn(&Element) -> bool,
    ) -> Result<Element, LinkError> {
        loop {
            let element = self.next().await?.element;
            if wanted(&element) {
                return Ok(element);
            }
            if element.is("error") || element.is("failure") {
                return Err(LinkError::Unexpected {
                    during,
                    got: element.name,
                });
            }
        }
    }

    async fn expect_result(
        &mut self,
        during: &'static str,
        id: &str,
    ) -> Result<Element, LinkError> {
        let reply = self
            .expect(during, |e| e.is("iq") && e.attr("id") == Some(id))
            .await?;
        if reply.attr("type") == Some("result") {
            Ok(reply)
        } else {
            Err(LinkError::Unexpected {
                during,
                got: format!("iq type={}", reply.attr("type").unwrap_or("")),
            })
        }
    }
}
