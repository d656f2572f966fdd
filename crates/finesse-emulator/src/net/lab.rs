//! [`Lab`]: both nodes, the shared center, the timers, the optional control API and demo
//! traffic, started in-process. Tests drive it through these methods; the binary and the
//! control API use the same ones.
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls_pki_types::CertificateDer;
use serde::Serialize;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;

use crate::center::{CallId, CallSpec, ContactCenter, ControlError, CtiError, NodeId, Truth};
use crate::clock::{SimClock, SimTime};
use crate::config::{LabConfig, NodeConfig};

use super::control::ControlServer;
use super::core::{LabCore, RestRecord};
use super::node::{Lifecycle, NodeEndpoints, NodeListeners, NodeServer};
use super::scenario::{Scenario, ScenarioRunner};
use super::tls::{LabCa, TlsSetupError};
use super::xmpp::event_faults::{EventFault, EventFaultAction};
use super::xmpp::router::SessionSummary;
use super::xmpp::splitter::SplitLimits;

/// How long a graceful shutdown waits for XMPP sessions to say goodbye.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// What to start.
#[derive(Debug, Clone)]
pub struct LabOptions {
    /// The contact center and the nodes' hosts and ports (port 0: pick a free one).
    pub config: LabConfig,
    /// Realtime for demos, manual for tests.
    pub clock: SimClock,
    /// Where to write the CA certificate (PEM); default: a fresh file under the system
    /// temp directory, removed when the lab is dropped.
    pub ca_path: Option<PathBuf>,
    /// Serve the JSON control API on `127.0.0.1:<port>` (0: pick a free one).
    pub control_port: Option<u16>,
    /// Demo traffic to drive.
    pub scenario: Option<Scenario>,
    /// Bounds for what XMPP clients may send.
    pub xmpp_limits: SplitLimits,
}

impl LabOptions {
    /// The given lab and clock, its configured ports, no control API, no scenario.
    pub fn new(config: LabConfig, clock: SimClock) -> Self {
        LabOptions {
            config,
            clock,
            ca_path: None,
            control_port: None,
            scenario: None,
            xmpp_limits: SplitLimits::default(),
        }
    }

    /// Every listener on a free port (what in-process tests want).
    pub fn with_ephemeral_ports(mut self) -> Self {
        for node in [&mut self.config.nodes.a, &mut self.config.nodes.b] {
            node.https_port = 0;
            node.xmpp_port = 0;
            node.xmpp_secure_port = 0;
        }
        self
    }
}

/// Why the lab could not start or an operation failed.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    #[error(transparent)]
    Tls(#[from] TlsSetupError),
    #[error("cannot resolve node host {host:?}")]
    Resolve { host: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Control(#[from] ControlError),
}

impl LabError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            LabError::Tls(e) => e.code(),
            LabError::Resolve { .. } => "lab_resolve_failed",
            LabError::Bind { .. } => "lab_bind_failed",
            LabError::Control(e) => e.code(),
        }
    }
}

/// Sign-in details of one configured user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credential {
    pub id: String,
    pub login_name: String,
    pub password: String,
    pub extension: String,
    pub supervisor: bool,
}

/// Everything a client needs to reach the lab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabEndpoints {
    pub ca_file: PathBuf,
    pub control_url: Option<String>,
    pub manual_clock: bool,
    pub nodes: Vec<NodeView>,
    pub users: Vec<Credential>,
}

/// One node's endpoints and whether it is serving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeView {
    #[serde(flatten)]
    pub endpoints: NodeEndpoints,
    pub rest_url: String,
    pub websocket_url: String,
    pub running: bool,
}

pub(crate) struct LabInner {
    pub core: Arc<LabCore>,
    nodes: [tokio::sync::Mutex<NodeServer>; 2],
    endpoints: [NodeEndpoints; 2],
    running: [std::sync::atomic::AtomicBool; 2],
    ca_file: CaFile,
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    users: Vec<Credential>,
    control_addr: std::sync::OnceLock<SocketAddr>,
    /// Timers, control API, scenario.
    stop: CancellationToken,
    lifecycle: Lifecycle,
}

/// A running lab: nodes A and B around one contact center.
pub struct Lab {
    inner: Arc<LabInner>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab")
            .field("endpoints", &self.inner.endpoints)
            .finish_non_exhaustive()
    }
}

async fn resolve(host: &str) -> Result<IpAddr, LabError> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(ip);
    }
    let mut found = tokio::net::lookup_host((host, 0))
        .await
        .map_err(|_| LabError::Resolve {
            host: host.to_owned(),
        })?;
    found
        .next()
        .map(|addr| addr.ip())
        .ok_or_else(|| LabError::Resolve {
            host: host.to_owned(),
        })
}

/// Resolve a node's host, bind its listeners, record the bound ports in the config (so
/// SystemInfo reports them) and make its certificate.
async fn prepare_node(
    node: NodeId,
    config: &mut LabConfig,
    ca: &LabCa,
    limits: SplitLimits,
    lifecycle: &Lifecycle,
) -> Result<(NodeServer, NodeListeners), LabError> {
    let node_config = match node {
        NodeId::A => &mut config.nodes.a,
        NodeId::B => &mut config.nodes.b,
    };
    let ip = resolve(&node_config.host).await?;
    let bind_error = |source| LabError::Bind {
        addr: format!("{ip} (node {node:?})"),
        source,
    };
    let listeners = NodeListeners::bind(
        ip,
        node_config.https_port,
        node_config.xmpp_port,
        node_config.xmpp_secure_port,
    )
    .map_err(bind_error)?;
    let (https_port, xmpp_port, xmpp_secure_port) = listeners.ports().map_err(bind_error)?;
    let host = node_config.host.clone();
    *node_config = NodeConfig {
        host: host.clone(),
        https_port,
        xmpp_port,
        xmpp_secure_port,
    };
    let certificate = ca.issue_node_certificate(ip, std::slice::from_ref(&host))?;
    let domain = host.to_lowercase();
    let endpoints = NodeEndpoints {
        node,
        pubsub_domain: format!("pubsub.{domain}"),
        xmpp_domain: domain,
        host,
        ip,
        https_port,
        xmpp_port,
        xmpp_secure_port,
    };
    let server = NodeServer::new(
        endpoints,
        TlsAcceptor::from(certificate.server_config(&[b"h2", b"http/1.1"])?),
        TlsAcceptor::from(certificate.server_config(&[])?),
        limits,
        lifecycle.clone(),
    );
    Ok((server, listeners))
}

/// Where the lab's CA certificate was written. A file the lab placed in a directory of its
/// own under the temp directory is removed with the lab, so test runs leave nothing behind;
/// a path the caller chose stays (the caller means to keep it).
struct CaFile {
    path: PathBuf,
    own_directory: Option<PathBuf>,
}

impl CaFile {
    fn chosen(path: PathBuf) -> CaFile {
        CaFile {
            path,
            own_directory: None,
        }
    }

    fn in_temp_directory() -> CaFile {
        let directory = std::env::temp_dir().join(format!(
            "finesse-emulator-{}",
            uuid::Uuid::new_v4().simple()
        ));
        CaFile {
            path: directory.join("lab-ca.pem"),
            own_directory: Some(directory),
        }
    }
}

impl Drop for CaFile {
    fn drop(&mut self) {
        if let Some(directory) = &self.own_directory {
            if let Err(error) = std::fs::remove_dir_all(directory) {
                tracing::debug!(%error, directory = %directory.display(), "lab CA directory not removed");
            }
        }
    }
}

impl Lab {
    /// Generate the CA and certificates, bind every listener, and start serving.
    pub async fn start(options: LabOptions) -> Result<Lab, LabError> {
        let LabOptions {
            mut config,
            clock,
            ca_path,
            control_port,
            scenario,
            xmpp_limits,
        } = options;
        let ca = LabCa::generate()?;
        let ca_file = ca_path.map_or_else(CaFile::in_temp_directory, CaFile::chosen);
        ca.write_pem(&ca_file.path)?;

        let lifecycle = Lifecycle::default();
        let (server_a, listeners_a) =
            prepare_node(NodeId::A, &mut config, &ca, xmpp_limits, &lifecycle).await?;
        let (server_b, listeners_b) =
            prepare_node(NodeId::B, &mut config, &ca, xmpp_limits, &lifecycle).await?;

        let users = config
            .agents
            .iter()
            .map(|a| Credential {
                id: a.id.clone(),
                login_name: a.login_name.clone(),
                password: a.password.clone(),
                extension: a.extension.clone(),
                supervisor: a.has_role(crate::config::Role::Supervisor),
            })
            .collect();
        let lab_queues: Vec<String> = config.queues.iter().map(|q| q.id.clone()).collect();
        let mut center = ContactCenter::new(config);
        center.set_epoch_unix_ms(clock.unix_ms(SimTime(0)));
        let core = LabCore::new(center, clock.clone());
        if let Some(scenario) = scenario {
            core.set_scenario(Some(ScenarioRunner::new(scenario, lab_queues, clock.now())));
        }

        let endpoints = [server_a.endpoints.clone(), server_b.endpoints.clone()];
        let mut servers = [server_a, server_b];
        for (server, listeners) in servers.iter_mut().zip([listeners_a, listeners_b]) {
            server.serve(listeners, &core);
        }
        let nodes = servers.map(tokio::sync::Mutex::new);
        let inner = Arc::new(LabInner {
            core: core.clone(),
            nodes,
            endpoints,
            running: [true.into(), true.into()],
            ca_file,
            ca_pem: ca.pem(),
            ca_der: ca.der(),
            users,
            control_addr: std::sync::OnceLock::new(),
            stop: CancellationToken::new(),
            lifecycle,
        });
        let mut tasks = vec![tokio::spawn(core.run_timers(inner.stop.clone()))];
        if let Some(port) = control_port {
            let server =
                ControlServer::bind(inner.clone(), port).map_err(|source| LabError::Bind {
                    addr: format!("127.0.0.1:{port}"),
                    source,
                })?;
            let _ = inner.control_addr.set(server.local_addr());
            tasks.push(tokio::spawn(server.run(inner.stop.clone())));
        }
        tracing::info!(ca = %inner.ca_file.path.display(), "lab started");
        Ok(Lab { inner, tasks })
    }

    /// Endpoints of one node.
    pub fn node(&self, node: NodeId) -> &NodeEndpoints {
        self.inner.node(node)
    }

    /// The CA certificate file clients must trust.
    pub fn ca_path(&self) -> &Path {
        &self.inner.ca_file.path
    }

    /// The CA certificate (PEM).
    pub fn ca_pem(&self) -> &str {
        &self.inner.ca_pem
    }

    /// The CA certificate (DER), for in-process rustls clients.
    pub fn ca_der(&self) -> CertificateDer<'static> {
        self.inner.ca_der.clone()
    }

    /// `http://127.0.0.1:<port>` of the control API, when started with one.
    pub fn control_url(&self) -> Option<String> {
        self.inner.control_url()
    }

    /// The lab's clock.
    pub fn clock(&self) -> &SimClock {
        &self.inner.core.clock
    }

    /// Everything a client needs: CA, nodes, control API, users and passwords.
    pub fn endpoints(&self) -> LabEndpoints {
        self.inner.endpoints()
    }

    /// A customer call arrives at a queue.
    pub fn place_call(&self, spec: CallSpec) -> Result<CallId, LabError> {
        self.inner.place_call(spec)
    }

    /// The customer hangs up.
    pub fn hang_up(&self, call: CallId) -> Result<(), LabError> {
        self.inner.hang_up(call)
    }

    /// The node loses (or regains) its CTI link: OUT_OF_SERVICE → 503s + SystemInfo event.
    pub fn set_out_of_service(&self, node: NodeId, out_of_service: bool, reason: &str) {
        self.inner.set_out_of_service(node, out_of_service, reason);
    }

    /// Stop a node: listeners closed, every connection dropped.
    pub async fn stop_node(&self, node: NodeId) {
        self.inner.stop_node(node).await;
    }

    /// Start a stopped node again on the same ports.
    pub async fn start_node(&self, node: NodeId) -> Result<(), LabError> {
        self.inner.start_node(node).await
    }

    /// Whether a node is serving.
    pub fn node_running(&self, node: NodeId) -> bool {
        self.inner.node_running(node)
    }

    /// Drop every XMPP connection of a node without a word (network failure).
    pub fn drop_xmpp_links(&self, node: NodeId) {
        self.inner.drop_xmpp_links(node);
    }

    /// Make `finesse@<domain>` available or unavailable on a node.
    pub fn set_finesse_presence(&self, node: NodeId, available: bool) {
        self.inner.set_finesse_presence(node, available);
    }

    /// Delay the next `count` events of a node whose pub-sub node matches `node_pattern`.
    pub fn delay_events(&self, node: NodeId, node_pattern: &str, count: u32, delay: Duration) {
        self.inner.add_event_fault(
            node,
            EventFault {
                node_pattern: node_pattern.to_owned(),
                count,
                action: EventFaultAction::Delay {
                    millis: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                },
            },
        );
    }

    /// Drop the next `count` events of a node whose pub-sub node matches `node_pattern`.
    pub fn drop_events(&self, node: NodeId, node_pattern: &str, count: u32) {
        self.inner.add_event_fault(
            node,
            EventFault {
                node_pattern: node_pattern.to_owned(),
                count,
                action: EventFaultAction::Drop,
            },
        );
    }

    /// Remove the event faults of a node that have not been used up.
    pub fn clear_event_faults(&self, node: NodeId) {
        self.inner.clear_event_faults(node);
    }

    /// Deliver the next `count` events of a node whose pub-sub node matches `node_pattern`
    /// twice: now, and again `after` (simulation time) later — a repeat that arrives after
    /// newer events.
    pub fn duplicate_events(&self, node: NodeId, node_pattern: &str, count: u32, after: Duration) {
        self.inner.add_event_fault(
            node,
            EventFault {
                node_pattern: node_pattern.to_owned(),
                count,
                action: EventFaultAction::Duplicate {
                    millis: u64::try_from(after.as_millis()).unwrap_or(u64::MAX),
                },
            },
        );
    }

    /// Every REST request the nodes answered (the last 20,000), oldest first.
    pub fn rest_journal(&self) -> Vec<RestRecord> {
        self.inner.core.rest_journal()
    }

    /// Forget the REST journal so far.
    pub fn clear_rest_journal(&self) {
        self.inner.core.clear_rest_journal();
    }

    /// The next state-changing request on a node fails in CTI with this error.
    pub fn fail_next_request(&self, node: NodeId, error: CtiError) {
        self.inner.fail_next_request(node, error);
    }

    /// Move the clock forward and run everything that fell due, before returning.
    pub fn advance_clock(&self, by: Duration) {
        self.inner.advance_clock(by);
    }

    /// The center's ground truth (agents, calls, nodes).
    pub fn truth(&self) -> Truth {
        self.inner.truth()
    }

    /// Run something against the center directly; publications are routed afterwards.
    pub fn with_center<R>(&self, f: impl FnOnce(&mut ContactCenter, SimTime) -> R) -> R {
        self.inner.core.control(f)
    }

    /// Bound XMPP sessions on a node.
    pub fn xmpp_session_count(&self, node: NodeId) -> usize {
        self.inner.core.router.session_count(node)
    }

    /// The bound XMPP sessions of a node (full JID, user, available presence).
    pub fn xmpp_sessions(&self, node: NodeId) -> Vec<SessionSummary> {
        self.inner.core.router.sessions(node)
    }

    /// Wait until the node's XMPP sessions satisfy `condition` (re-checked on every bind,
    /// presence change and disconnect); `false` if `within` passes first.
    pub async fn wait_for_xmpp_sessions(
        &self,
        node: NodeId,
        within: Duration,
        condition: impl Fn(&[SessionSummary]) -> bool,
    ) -> bool {
        let router = &self.inner.core.router;
        let mut changes = router.watch_changes();
        let wait = async {
            loop {
                if condition(&router.sessions(node)) {
                    return;
                }
                if changes.changed().await.is_err() {
                    return;
                }
            }
        };
        tokio::time::timeout(within, wait).await.is_ok() && condition(&router.sessions(node))
    }

    /// End every XMPP stream politely (`<system-shutdown/>` and a stream close), then stop
    /// the nodes, the timers and the control API.
    pub async fn shutdown(mut self) {
        let inner = self.inner.clone();
        let tasks = std::mem::take(&mut self.tasks);
        inner.core.router.shutdown_all();
        inner.lifecycle.closing.cancel();
        for node in NodeId::ALL {
            inner.nodes[node.index()]
                .lock()
                .await
                .sessions_ended(SHUTDOWN_GRACE)
                .await;
        }
        for node in NodeId::ALL {
            inner.stop_node(node).await;
        }
        inner.stop.cancel();
        for task in tasks {
            let _ = task.await;
        }
        tracing::info!("lab shut down");
    }
}

impl Drop for Lab {
    /// A lab dropped without [`Lab::shutdown`] still stops serving: listeners close and
    /// connections drop (no polite stream close).
    fn drop(&mut self) {
        self.inner.stop.cancel();
        self.inner.lifecycle.halt.cancel();
    }
}

impl LabInner {
    pub fn node(&self, node: NodeId) -> &NodeEndpoints {
        &self.endpoints[node.index()]
    }

    pub fn control_url(&self) -> Option<String> {
        self.control_addr.get().map(|addr| format!("http://{addr}"))
    }

    pub fn node_running(&self, node: NodeId) -> bool {
        self.running[node.index()].load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn endpoints(&self) -> LabEndpoints {
        LabEndpoints {
            ca_file: self.ca_file.path.clone(),
            control_url: self.control_url(),
            manual_clock: self.core.clock.is_manual(),
            nodes: NodeId::ALL
                .iter()
                .map(|&node| {
                    let endpoints = self.node(node).clone();
                    NodeView {
                        rest_url: endpoints.rest_url(),
                        websocket_url: endpoints.websocket_url(),
                        running: self.node_running(node),
                        endpoints,
                    }
                })
                .collect(),
            users: self.users.clone(),
        }
    }

    pub fn place_call(&self, spec: CallSpec) -> Result<CallId, LabError> {
        Ok(self
            .core
            .control(|center, now| center.place_call(now, spec))?)
    }

    pub fn hang_up(&self, call: CallId) -> Result<(), LabError> {
        Ok(self
            .core
            .control(|center, now| center.customer_hang_up(now, call))?)
    }

    pub fn set_out_of_service(&self, node: NodeId, out_of_service: bool, reason: &str) {
        self.core
            .control(|center, now| center.set_node_status(now, node, !out_of_service, reason));
    }

    pub fn add_event_fault(&self, node: NodeId, fault: EventFault) {
        self.core.router.add_event_fault(node, fault);
    }

    pub fn clear_event_faults(&self, node: NodeId) {
        self.core.router.clear_event_faults(node);
    }

    pub fn drop_xmpp_links(&self, node: NodeId) {
        self.core.router.drop_links(node);
        self.core.pump();
    }

    pub fn set_finesse_presence(&self, node: NodeId, available: bool) {
        self.core.router.set_finesse_available(node, available);
    }

    pub fn fail_next_request(&self, node: NodeId, error: CtiError) {
        self.core
            .control(|center, _| center.fail_next_request(node, error));
    }

    pub fn truth(&self) -> Truth {
        self.core.control(|center, _| center.truth())
    }

    pub fn now(&self) -> SimTime {
        self.core.clock.now()
    }

    pub fn advance_clock(&self, by: Duration) {
        self.core.clock.advance(by);
        self.core.run_due();
    }

    pub async fn stop_node(&self, node: NodeId) {
        let mut server = self.nodes[node.index()].lock().await;
        // The node's Finesse goes down with it: no presence-driven logout from this node.
        self.core.router.drop_links_of_stopped_node(node);
        server.stop().await;
        self.running[node.index()].store(false, std::sync::atomic::Ordering::SeqCst);
        self.core.pump();
    }

    pub async fn start_node(&self, node: NodeId) -> Result<(), LabError> {
        let mut server = self.nodes[node.index()].lock().await;
        server.start(&self.core).map_err(|source| LabError::Bind {
            addr: self.node(node).https_addr().to_string(),
            source,
        })?;
        self.running[node.index()].store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }
}
