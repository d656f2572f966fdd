//! Server-side framing for the fake XMPP server: WebSocket messages or a TCP byte stream.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use finesse::xml::Element;
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

/// What the client sent.
#[derive(Debug)]
pub enum ClientFrame {
    Open(Element),
    Stanza(Element),
    Close,
    End,
}

pub enum ServerIo {
    WebSocket(Box<WebSocketStream<TlsStream<TcpStream>>>),
    Tcp {
        tls: Box<TlsStream<TcpStream>>,
        buf: Vec<u8>,
    },
}

pub const NS_FRAMING: &str = "urn:ietf:params:xml:ns:xmpp-framing";

impl ServerIo {
    pub fn is_websocket(&self) -> bool {
        matches!(self, ServerIo::WebSocket(_))
    }

    /// Cancel-safe: TCP state only changes after a completed read.
    pub async fn recv(&mut self) -> ClientFrame {
        match self {
            ServerIo::WebSocket(ws) => loop {
                match ws.next().await {
                    Some(Ok(Message::Text(text))) => {
                        let element =
                            finesse::xml::parse(text.as_str()).expect("client sent malformed XML");
                        let framing = element.namespace.as_deref() == Some(NS_FRAMING);
                        return if framing && element.is("open") {
                            ClientFrame::Open(element)
                        } else if framing && element.is("close") {
                            ClientFrame::Close
                        } else {
                            // RFC 7395: no stream root to inherit the namespace from.
                            if ["iq", "message", "presence"].iter().any(|n| element.is(n)) {
                                assert_eq!(
                                    element.namespace.as_deref(),
                                    Some("jabber:client"),
                                    "unqualified stanza over WebSocket"
                                );
                            }
                            ClientFrame::Stanza(element)
                        };
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return ClientFrame::End,
                    Some(Ok(_)) => {}
                }
            },
            ServerIo::Tcp { tls, buf } => loop {
                if let Some(frame) = take_tcp_frame(buf) {
                    return frame;
                }
                let mut chunk = [0u8; 8192];
                match tls.read(&mut chunk).await {
                    Ok(0) | Err(_) => return ClientFrame::End,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            },
        }
    }

    pub async fn send(&mut self, text: &str) {
        match self {
            ServerIo::WebSocket(ws) => {
                ws.send(Message::text(text)).await.ok();
            }
            ServerIo::Tcp { tls, .. } => {
                tls.write_all(text.as_bytes()).await.ok();
                tls.flush().await.ok();
            }
        }
    }

    /// Raw bytes; on TCP optionally one byte per write (and per TLS record).
    pub async fn send_bytes(&mut self, bytes: &[u8], one_byte_per_write: bool) {
        match self {
            ServerIo::WebSocket(ws) => {
                ws.send(Message::text(String::from_utf8_lossy(bytes).into_owned()))
                    .await
                    .ok();
            }
            ServerIo::Tcp { tls, .. } if one_byte_per_write => {
                for byte in bytes {
                    tls.write_all(std::slice::from_ref(byte)).await.ok();
                    tls.flush().await.ok();
                }
            }
            ServerIo::Tcp { tls, .. } => {
                tls.write_all(bytes).await.ok();
                tls.flush().await.ok();
            }
        }
    }

    pub async fn close(&mut self) {
        match self {
            ServerIo::WebSocket(ws) => {
                ws.as_mut().close(None).await.ok();
            }
            ServerIo::Tcp { tls, .. } => {
                tls.shutdown().await.ok();
            }
        }
    }
}

/// Cut one top-level unit off the front of the client's TCP byte stream. The client under test
/// writes compact XML with `>` escaped everywhere, so counting tags is enough here.
pub fn take_tcp_frame(buf: &mut Vec<u8>) -> Option<ClientFrame> {
    let text = std::str::from_utf8(buf).ok()?;
    let trimmed = text.trim_start();
    let skipped = text.len() - trimmed.len();
    if trimmed.starts_with("<?") {
        let end = trimmed.find("?>")? + 2;
        buf.drain(..skipped + end);
        return take_tcp_frame(buf);
    }
    if trimmed.starts_with("</stream:stream>") {
        buf.drain(..skipped + "</stream:stream>".len());
        return Some(ClientFrame::Close);
    }
    if trimmed.starts_with("<stream:stream") {
        let end = trimmed.find('>')? + 1;
        let header = format!("{}/>", &trimmed[..end - 1]);
        buf.drain(..skipped + end);
        return Some(ClientFrame::Open(
            finesse::xml::parse(&header).expect("client stream header"),
        ));
    }
    let mut depth = 0usize;
    let mut index = 0usize;
    while let Some(offset) = trimmed[index..].find('<') {
        let start = index + offset;
        let end = start + trimmed[start..].find('>')?;
        let tag = &trimmed[start..=end];
        if tag.starts_with("</") {
            depth -= 1;
        } else if !tag.ends_with("/>") {
            depth += 1;
        }
        index = end + 1;
        if depth == 0 {
            let stanza = finesse::xml::parse(&trimmed[..index]).expect("client stanza");
            buf.drain(..skipped + index);
            return Some(ClientFrame::Stanza(stanza));
        }
    }
    None
}

/// Decode SASL PLAIN `\0user\0password`.
pub fn decode_plain(text: &str) -> (String, String) {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .expect("SASL PLAIN payload is base64");
    let parts: Vec<&[u8]> = bytes.split(|b| *b == 0).collect();
    assert_eq!(parts.len(), 3, "PLAIN is authzid NUL authcid NUL password");
    (
        String::from_utf8(parts[1].to_vec()).unwrap(),
        String::from_utf8(parts[2].to_vec()).unwrap(),
    )
}
