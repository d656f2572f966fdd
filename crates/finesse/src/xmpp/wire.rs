//! The byte-level carriers of an XMPP stream: RFC 7395 WebSocket and TLS-protected TCP.
//!
//! Both are exposed the same way: a reader yielding [`Frame`]s and a writer taking stanza text,
//! so stream negotiation and the running connection do not care which one is underneath.

use std::sync::Arc;

use finesse_xml::{Element, Limits};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use rustls::pki_types::ServerName;
use rustls::ClientConfig;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadHalf, WriteHalf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use super::error::XmppError;
use super::splitter::{StanzaSplitter, StreamPiece};
use super::stanza;

/// No stanza from Finesse comes close (a Team of 2,000 users is ~1.5 MB); anything larger is
/// refused rather than buffered.
pub const MAX_STANZA_BYTES: usize = 4 * 1024 * 1024;

type WsStream = WebSocketStream<MaybeTlsStream<TcpStream>>;
type TlsTcp = TlsStream<TcpStream>;

/// One top-level unit of the stream.
#[derive(Debug)]
pub(crate) enum Frame {
    /// The server's stream header (`<open/>` or `<stream:stream>`).
    Open,
    Stanza(Element),
    /// The server closed the stream (`<close/>` or `</stream:stream>`).
    Close,
    /// The socket ended.
    Eof,
}

/// Reads frames from a classic TCP stream (plain before STARTTLS, TLS otherwise).
pub(crate) struct TcpFramer<S> {
    io: S,
    splitter: StanzaSplitter,
    scratch: Box<[u8]>,
}

impl<S> TcpFramer<S> {
    pub(crate) fn new(io: S) -> Self {
        TcpFramer {
            io,
            splitter: StanzaSplitter::new(MAX_STANZA_BYTES),
            scratch: vec![0; 16 * 1024].into_boxed_slice(),
        }
    }

    /// The socket back, for the TLS upgrade. Refused when the peer already sent bytes past
    /// `<proceed/>`: those would be plaintext injected into the encrypted stream.
    pub(crate) fn into_inner(self) -> Result<S, XmppError> {
        if !self.splitter.is_idle() {
            return Err(XmppError::Protocol(
                "data after <proceed/> before the TLS handshake".into(),
            ));
        }
        Ok(self.io)
    }
}

impl<S: AsyncRead + Unpin> TcpFramer<S> {
    /// The next frame. Cancel-safe: state changes only after a read completes.
    pub(crate) async fn recv(&mut self) -> Result<Frame, XmppError> {
        loop {
            if let Some(piece) = self.splitter.next_piece() {
                return frame_from_piece(piece);
            }
            let n = self
                .io
                .read(&mut self.scratch)
                .await
                .map_err(|e| XmppError::Closed(e.to_string()))?;
            if n == 0 {
                return Ok(Frame::Eof);
            }
            self.splitter.push(&self.scratch[..n])?;
        }
    }
}

impl<S: AsyncWrite + Unpin> TcpFramer<S> {
    pub(crate) async fn write(&mut self, text: &str) -> Result<(), XmppError> {
        write_all(&mut self.io, text).await
    }
}

async fn write_all<W: AsyncWrite + Unpin>(io: &mut W, text: &str) -> Result<(), XmppError> {
    io.write_all(text.as_bytes())
        .await
        .map_err(|e| XmppError::Closed(e.to_string()))?;
    io.flush()
        .await
        .map_err(|e| XmppError::Closed(e.to_string()))
}

fn frame_from_piece(piece: StreamPiece) -> Result<Frame, XmppError> {
    match piece {
        StreamPiece::Open(header) => {
            // The header is an unclosed start tag; close it to read its attributes.
            let closed = format!("{}/>", header.trim_end_matches('>'));
            parse_element(&closed)?;
            Ok(Frame::Open)
        }
        StreamPiece::Stanza(text) => Ok(Frame::Stanza(parse_element(&text)?)),
        StreamPiece::Close => Ok(Frame::Close),
    }
}

fn parse_element(text: &str) -> Result<Element, XmppError> {
    let limits = Limits {
        max_bytes: MAX_STANZA_BYTES,
        ..Limits::default()
    };
    finesse_xml::parse_with_limits(text, limits).map_err(|e| XmppError::Protocol(e.to_string()))
}

/// The receiving half of an established transport.
pub(crate) enum WireReader {
    WebSocket(SplitStream<WsStream>),
    Tcp(TcpFramer<ReadHalf<TlsTcp>>),
}

/// The sending half of an established transport.
pub(crate) enum WireWriter {
    WebSocket(SplitSink<WsStream, Message>),
    Tcp(WriteHalf<TlsTcp>),
}

impl WireReader {
    pub(crate) async fn recv(&mut self) -> Result<Frame, XmppError> {
        match self {
            WireReader::Tcp(framer) => framer.recv().await,
            WireReader::WebSocket(stream) => loop {
                let message = match stream.next().await {
                    None => return Ok(Frame::Eof),
                    Some(Ok(message)) => message,
                    Some(Err(e)) => return Err(websocket_read_error(e)),
                };
                match message {
                    Message::Text(text) => {
                        let element = parse_element(text.as_str())?;
                        let framing = element.namespace.as_deref() == Some(stanza::NS_FRAMING);
                        return Ok(if framing && element.is("open") {
                            Frame::Open
                        } else if framing && element.is("close") {
                            Frame::Close
                        } else {
                            Frame::Stanza(element)
                        });
                    }
                    Message::Binary(_) => {
                        return Err(XmppError::Protocol(
                            "binary WebSocket message (RFC 7395 allows text only)".into(),
                        ))
                    }
                    Message::Close(_) => return Ok(Frame::Eof),
                    Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
                }
            },
        }
    }
}

fn websocket_read_error(e: tungstenite::Error) -> XmppError {
    match e {
        tungstenite::Error::Capacity(c) => {
            XmppError::Protocol(format!("oversized WebSocket message: {c}"))
        }
        tungstenite::Error::Utf8(_) => {
            XmppError::Protocol("a WebSocket message is not valid UTF-8".into())
        }
        tungstenite::Error::Protocol(
            tungstenite::error::ProtocolError::ResetWithoutClosingHandshake,
        ) => XmppError::Closed("connection reset".into()),
        tungstenite::Error::Protocol(p) => XmppError::Protocol(format!("WebSocket: {p}")),
        other => XmppError::Closed(other.to_string()),
    }
}

impl WireWriter {
    /// Send one stanza (or any top-level element).
    pub(crate) async fn send(&mut self, text: &str) -> Result<(), XmppError> {
        match self {
            WireWriter::WebSocket(sink) => sink
                .send(Message::text(text))
                .await
                .map_err(|e| XmppError::Closed(e.to_string())),
            WireWriter::Tcp(io) => write_all(io, text).await,
        }
    }

    /// Open (or, after authentication, restart) the stream.
    pub(crate) async fn open_stream(&mut self, domain: &str) -> Result<(), XmppError> {
        let header = match self {
            WireWriter::WebSocket(_) => stanza::websocket_open(domain),
            WireWriter::Tcp(_) => stanza::tcp_stream_header(domain),
        };
        self.send(&header).await
    }

    /// End our side of the stream.
    pub(crate) async fn close_stream(&mut self) -> Result<(), XmppError> {
        let close = match self {
            WireWriter::WebSocket(_) => stanza::websocket_close(),
            WireWriter::Tcp(_) => stanza::TCP_STREAM_CLOSE.to_owned(),
        };
        self.send(&close).await
    }

    /// Close the socket (WebSocket close frame, or TLS close_notify and FIN).
    pub(crate) async fn shutdown(&mut self) {
        let result = match self {
            WireWriter::WebSocket(sink) => sink.close().await.map_err(|e| e.to_string()),
            WireWriter::Tcp(io) => io.shutdown().await.map_err(|e| e.to_string()),
        };
        if let Err(error) = result {
            tracing::debug!(%error, "closing the XMPP socket");
        }
    }
}

/// Error for a failed socket/TLS/WebSocket opening, with TLS failures told apart.
fn connect_error(context: &str, e: &(dyn std::error::Error + 'static)) -> XmppError {
    match crate::tls::tls_cause(e) {
        Some(tls) => XmppError::Tls(format!("{context}: {tls}")),
        None => XmppError::Connect(format!("{context}: {e}")),
    }
}

/// Open an RFC 7395 WebSocket (`Sec-WebSocket-Protocol: xmpp`). Only `wss://` is accepted: the
/// agent's password crosses this connection.
pub(crate) async fn connect_websocket(
    url: &str,
    tls: Arc<ClientConfig>,
) -> Result<(WireReader, WireWriter), XmppError> {
    if !url.to_ascii_lowercase().starts_with("wss://") {
        return Err(XmppError::InvalidConfig(format!(
            "{url}: only wss:// WebSocket URLs are allowed"
        )));
    }
    let mut request = url
        .into_client_request()
        .map_err(|e| XmppError::InvalidConfig(format!("{url}: {e}")))?;
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", HeaderValue::from_static("xmpp"));
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_STANZA_BYTES))
        .max_frame_size(Some(MAX_STANZA_BYTES));
    let (stream, _response) = tokio_tungstenite::connect_async_tls_with_config(
        request,
        Some(config),
        true,
        Some(Connector::Rustls(tls)),
    )
    .await
    .map_err(|e| match e {
        tungstenite::Error::Http(response) => XmppError::Connect(format!(
            "{url}: HTTP {} instead of a WebSocket",
            response.status()
        )),
        tungstenite::Error::Tls(tls) => XmppError::Tls(format!("{url}: {tls}")),
        other => connect_error(url, &other),
    })?;
    let (sink, stream) = stream.split();
    Ok((WireReader::WebSocket(stream), WireWriter::WebSocket(sink)))
}

/// Open a TCP connection.
pub(crate) async fn connect_tcp(host: &str, port: u16) -> Result<TcpStream, XmppError> {
    let tcp = TcpStream::connect((host, port))
        .await
        .map_err(|e| XmppError::Connect(format!("{host}:{port}: {e}")))?;
    tcp.set_nodelay(true).ok();
    Ok(tcp)
}

/// Run the TLS handshake on `tcp`, verifying the certificate for `host`.
pub(crate) async fn start_tls(
    tcp: TcpStream,
    host: &str,
    tls: Arc<ClientConfig>,
) -> Result<(WireReader, WireWriter), XmppError> {
    let name = ServerName::try_from(host.to_owned()).map_err(|e| {
        XmppError::InvalidConfig(format!("{host} is not a valid TLS server name: {e}"))
    })?;
    let stream = TlsConnector::from(tls)
        .connect(name, tcp)
        .await
        .map_err(|e| connect_error(host, &e))?;
    let (read, write) = tokio::io::split(stream);
    Ok((
        WireReader::Tcp(TcpFramer::new(read)),
        WireWriter::Tcp(write),
    ))
}
