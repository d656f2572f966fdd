//! One Finesse node's listeners: HTTPS (REST + `/ws/`), XMPP with STARTTLS and XMPP over
//! direct TLS. A node can be stopped (listeners closed, every connection dropped) and
//! started again on the same ports.
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::net::{TcpListener, TcpSocket};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::center::NodeId;

use super::core::LabCore;
use super::https::HttpsApp;
use super::xmpp::session::{StreamPlace, StreamSecurity};
use super::xmpp::splitter::SplitLimits;
use super::xmpp::tcp::TcpXmppListener;

/// Where one node can be reached. Ports are the bound ones (never 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeEndpoints {
    pub node: NodeId,
    /// The host name or address clients use (as configured); also the XMPP domain.
    pub host: String,
    /// The address the listeners are bound to.
    pub ip: IpAddr,
    pub xmpp_domain: String,
    pub pubsub_domain: String,
    pub https_port: u16,
    pub xmpp_port: u16,
    pub xmpp_secure_port: u16,
}

impl NodeEndpoints {
    fn host_for_url(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }

    /// `https://host:port` (no trailing slash).
    pub fn https_base_url(&self) -> String {
        format!("https://{}:{}", self.host_for_url(), self.https_port)
    }

    /// `https://host:port/finesse/api`.
    pub fn rest_url(&self) -> String {
        format!("{}/finesse/api", self.https_base_url())
    }

    /// `wss://host:port/ws/`.
    pub fn websocket_url(&self) -> String {
        format!("wss://{}:{}/ws/", self.host_for_url(), self.https_port)
    }

    pub fn https_addr(&self) -> SocketAddr {
        SocketAddr::new(self.ip, self.https_port)
    }

    pub fn xmpp_addr(&self) -> SocketAddr {
        SocketAddr::new(self.ip, self.xmpp_port)
    }

    pub fn xmpp_secure_addr(&self) -> SocketAddr {
        SocketAddr::new(self.ip, self.xmpp_secure_port)
    }
}

/// The three bound listeners of a node.
pub struct NodeListeners {
    pub https: TcpListener,
    pub xmpp: TcpListener,
    pub xmpp_secure: TcpListener,
}

impl NodeListeners {
    /// Bind all three; port 0 picks a free port.
    pub fn bind(
        ip: IpAddr,
        https: u16,
        xmpp: u16,
        xmpp_secure: u16,
    ) -> std::io::Result<NodeListeners> {
        Ok(NodeListeners {
            https: bind(SocketAddr::new(ip, https))?,
            xmpp: bind(SocketAddr::new(ip, xmpp))?,
            xmpp_secure: bind(SocketAddr::new(ip, xmpp_secure))?,
        })
    }

    /// The ports actually bound (https, xmpp, xmpp secure).
    pub fn ports(&self) -> std::io::Result<(u16, u16, u16)> {
        Ok((
            self.https.local_addr()?.port(),
            self.xmpp.local_addr()?.port(),
            self.xmpp_secure.local_addr()?.port(),
        ))
    }
}

/// Reuse the address so a restarted node gets its ports back while old connections linger
/// in TIME_WAIT.
fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

/// Lab-wide signals every node listens to.
#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    /// Cancelled when the server shuts down politely: XMPP streams end with
    /// `<system-shutdown/>`.
    pub closing: CancellationToken,
    /// Cancelled when the lab is dropped or shut down: every listener and connection ends.
    pub halt: CancellationToken,
}

struct Running {
    stop: CancellationToken,
    accept_loops: Vec<JoinHandle<()>>,
}

/// One node: its endpoints, TLS configuration, and listeners while running.
pub struct NodeServer {
    pub endpoints: NodeEndpoints,
    https_tls: TlsAcceptor,
    xmpp_tls: TlsAcceptor,
    limits: SplitLimits,
    /// XMPP sessions (TCP and WebSocket) of this node, for a graceful shutdown.
    sessions: TaskTracker,
    lifecycle: Lifecycle,
    running: Option<Running>,
}

impl std::fmt::Debug for NodeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeServer")
            .field("endpoints", &self.endpoints)
            .field("running", &self.running.is_some())
            .finish_non_exhaustive()
    }
}

impl NodeServer {
    /// A stopped node; [`NodeServer::serve`] or [`NodeServer::start`] brings it up.
    pub fn new(
        endpoints: NodeEndpoints,
        https_tls: TlsAcceptor,
        xmpp_tls: TlsAcceptor,
        limits: SplitLimits,
        lifecycle: Lifecycle,
    ) -> NodeServer {
        NodeServer {
            endpoints,
            https_tls,
            xmpp_tls,
            limits,
            sessions: TaskTracker::new(),
            lifecycle,
            running: None,
        }
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    fn place(&self) -> StreamPlace {
        StreamPlace {
            node: self.endpoints.node,
            domain: self.endpoints.xmpp_domain.clone(),
        }
    }

    /// Serve on already-bound listeners.
    pub fn serve(&mut self, listeners: NodeListeners, core: &Arc<LabCore>) {
        if self.running.is_some() {
            return;
        }
        let stop = self.lifecycle.halt.child_token();
        let app = HttpsApp {
            place: self.place(),
            rest: core.clone(),
            xmpp: core.clone(),
            xmpp_limits: self.limits,
            stop: stop.clone(),
            sessions: self.sessions.clone(),
            closing: self.lifecycle.closing.clone(),
        };
        let tcp = |security| TcpXmppListener {
            place: self.place(),
            security,
            tls: self.xmpp_tls.clone(),
            limits: self.limits,
            services: core.clone(),
            sessions: self.sessions.clone(),
            closing: self.lifecycle.closing.clone(),
        };
        let accept_loops = vec![
            tokio::spawn(app.run(listeners.https, self.https_tls.clone())),
            tokio::spawn(tcp(StreamSecurity::StartTlsOffered).run(listeners.xmpp, stop.clone())),
            tokio::spawn(tcp(StreamSecurity::Tls).run(listeners.xmpp_secure, stop.clone())),
        ];
        tracing::info!(node = ?self.endpoints.node, https = %self.endpoints.https_addr(),
            xmpp = %self.endpoints.xmpp_addr(), xmpp_tls = %self.endpoints.xmpp_secure_addr(), "node serving");
        self.running = Some(Running { stop, accept_loops });
    }

    /// Bind the node's ports again and serve.
    pub fn start(&mut self, core: &Arc<LabCore>) -> std::io::Result<()> {
        if self.running.is_some() {
            return Ok(());
        }
        let e = &self.endpoints;
        let listeners = NodeListeners::bind(e.ip, e.https_port, e.xmpp_port, e.xmpp_secure_port)?;
        self.serve(listeners, core);
        Ok(())
    }

    /// Close the listeners and drop every connection. Returns when the ports are free.
    pub async fn stop(&mut self) {
        let Some(running) = self.running.take() else {
            return;
        };
        running.stop.cancel();
        for accept_loop in running.accept_loops {
            let _ = accept_loop.await;
        }
        tracing::info!(node = ?self.endpoints.node, "node stopped");
    }

    /// Wait (bounded) until this node's XMPP sessions have ended (after the lab-wide
    /// closing token was cancelled).
    pub async fn sessions_ended(&self, within: std::time::Duration) {
        self.sessions.close();
        let _ = tokio::time::timeout(within, self.sessions.wait()).await;
        self.sessions.reopen();
    }
}
