//! Classic XMPP over TCP: 5222-like ports (plain, offering STARTTLS) and 5223-like ports
//! (TLS from the first byte).
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::framing::Framing;
use super::router::ToSession;
use super::session::{Action, SessionCore, StreamPlace, StreamSecurity, XmppServices};
use super::splitter::{SplitLimits, StanzaSplitter};

/// A client that has not finished its TLS handshake by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(15);
/// A client that stops reading for this long is dropped (its events would pile up).
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Everything a TCP XMPP listener of one node needs.
#[derive(Clone)]
pub struct TcpXmppListener {
    pub place: StreamPlace,
    pub security: StreamSecurity,
    pub tls: TlsAcceptor,
    pub limits: SplitLimits,
    pub services: Arc<dyn XmppServices>,
    /// Tracks the node's XMPP sessions (for a graceful shutdown).
    pub sessions: TaskTracker,
    /// Cancelled when the server shuts down: streams end with `<system-shutdown/>`.
    pub closing: CancellationToken,
}

impl TcpXmppListener {
    /// Accept connections until `stop` is cancelled; each connection also ends then.
    pub async fn run(self, listener: TcpListener, stop: CancellationToken) {
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = stop.cancelled() => return,
            };
            match accepted {
                Ok((stream, peer)) => {
                    tracing::debug!(%peer, node = ?self.place.node, security = ?self.security, "XMPP TCP connection");
                    let this = self.clone();
                    let stop = stop.clone();
                    let sessions = this.sessions.clone();
                    sessions.spawn(async move { this.serve(stream, stop).await });
                }
                Err(error) => {
                    tracing::warn!(%error, "accepting an XMPP connection failed");
                    // Out of file descriptors and the like: do not spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    async fn serve(self, stream: TcpStream, stop: CancellationToken) {
        let _ = stream.set_nodelay(true);
        let conn = match self.security {
            StreamSecurity::StartTlsOffered => Conn::Plain(stream),
            StreamSecurity::Tls => match handshake(&self.tls, stream).await {
                Some(tls) => Conn::Tls(Box::new(tls)),
                None => return,
            },
        };
        let core = SessionCore::new(
            self.services.clone(),
            self.place.clone(),
            Framing::Tcp,
            self.security,
        );
        tokio::select! {
            () = drive(conn, core, &self.tls, self.limits, &self.closing) => {}
            () = stop.cancelled() => {}
        }
    }
}

async fn handshake(
    acceptor: &TlsAcceptor,
    stream: TcpStream,
) -> Option<tokio_rustls::server::TlsStream<TcpStream>> {
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
        Ok(Ok(tls)) => Some(tls),
        Ok(Err(error)) => {
            tracing::debug!(%error, "XMPP TLS handshake failed");
            None
        }
        Err(_) => {
            tracing::debug!("XMPP TLS handshake timed out");
            None
        }
    }
}

enum Conn {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>),
    /// Only while a STARTTLS upgrade is in progress.
    Upgrading,
}

impl Conn {
    async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf).await,
            Conn::Tls(s) => s.read(buf).await,
            Conn::Upgrading => Ok(0),
        }
    }

    async fn write_all(&mut self, data: &[u8]) -> std::io::Result<()> {
        let write = async {
            match self {
                Conn::Plain(s) => {
                    s.write_all(data).await?;
                    s.flush().await
                }
                Conn::Tls(s) => {
                    s.write_all(data).await?;
                    s.flush().await
                }
                Conn::Upgrading => Err(std::io::ErrorKind::NotConnected.into()),
            }
        };
        tokio::time::timeout(WRITE_TIMEOUT, write)
            .await
            .unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()))
    }

    async fn shutdown(&mut self) {
        let _ = match self {
            Conn::Plain(s) => s.shutdown().await,
            Conn::Tls(s) => s.shutdown().await,
            Conn::Upgrading => Ok(()),
        };
    }
}

/// Run one stream until it ends. Dropping `core` (on every exit path) unregisters the
/// session, which reports presence gone.
async fn drive(
    mut conn: Conn,
    mut core: SessionCore,
    tls: &TlsAcceptor,
    limits: SplitLimits,
    closing: &CancellationToken,
) {
    let Some(mut router_rx) = core.take_router_receiver() else {
        return;
    };
    let mut splitter = StanzaSplitter::new(limits);
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let actions = tokio::select! {
            read = conn.read(&mut buf) => match read {
                Ok(0) | Err(_) => {
                    core.on_transport_closed();
                    return;
                }
                Ok(n) => match splitter.feed(&buf[..n]) {
                    Ok(events) => {
                        let mut actions = Vec::new();
                        for event in events {
                            let step = core.on_stream_event(event);
                            // Anything read after a stream restart point belongs to no stream.
                            let restarts = step
                                .iter()
                                .any(|a| matches!(a, Action::StartTls | Action::Restart | Action::End { .. }));
                            actions.extend(step);
                            if restarts {
                                break;
                            }
                        }
                        actions
                    }
                    Err(error) => core.on_split_error(&error),
                },
            },
            Some(message) = router_rx.recv() => core.on_router_message(message),
            () = closing.cancelled() => core.on_router_message(ToSession::Shutdown),
        };
        for action in actions {
            match action {
                Action::Send(xml) => {
                    if conn.write_all(xml.as_bytes()).await.is_err() {
                        core.on_transport_closed();
                        return;
                    }
                }
                Action::StartTls => {
                    let Conn::Plain(plain) = std::mem::replace(&mut conn, Conn::Upgrading) else {
                        core.on_transport_closed();
                        return;
                    };
                    match handshake(tls, plain).await {
                        Some(secured) => conn = Conn::Tls(Box::new(secured)),
                        None => {
                            core.on_transport_closed();
                            return;
                        }
                    }
                    core.tls_established();
                    splitter = StanzaSplitter::new(limits);
                }
                Action::Restart => splitter = StanzaSplitter::new(limits),
                Action::End { graceful } => {
                    if graceful {
                        conn.shutdown().await;
                    }
                    return;
                }
            }
        }
    }
}
