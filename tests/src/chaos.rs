//! The chaos lab: the emulator's two nodes, each behind a [`FaultProxy`], and a session
//! tuned to fail fast, plus the yardsticks every chaos test uses — the client's view against
//! the emulator's truth, forced state changes, and the REST journal's 401s.
//!
//! Addresses: node A is `127.0.0.1`, node B `127.0.0.2`, as real Finesse nodes differ by host
//! and share ports. Each proxy listens on its node's own address (so the node certificate
//! still matches) on one port number both proxies share, and the session's node list is the
//! two hosts with that one HTTPS port — exactly how a production session is configured.
use std::collections::BTreeMap;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use finesse::model::Snapshot;
use finesse::session::{
    Backoff, ConnectionState, Session, SessionConfig, SessionEvent, TransportTemplate, WallClock,
    XmppTransports,
};
use finesse::tls::TrustSettings;
use finesse_emulator::center::{CallId, CallSpec, NodeId, Truth};
use finesse_emulator::clock::SimClock;
use finesse_emulator::config::{LabConfig, DEMO_PASSWORD};
use finesse_emulator::net::{Lab, LabOptions};
use tokio::sync::broadcast;

use crate::fault_proxy::{FaultMode, FaultProxy};

/// Safety net for every wait: reached only when something is broken.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub const PASSWORD: &str = DEMO_PASSWORD;

/// Finesse's grace between a lost presence and the forced logout.
pub const PRESENCE_GRACE: Duration = Duration::from_secs(60);

/// The host of a node.
pub fn host(node: NodeId) -> &'static str {
    match node {
        NodeId::A => "127.0.0.1",
        NodeId::B => "127.0.0.2",
    }
}

fn ip(node: NodeId) -> IpAddr {
    match node {
        NodeId::A => IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)),
        NodeId::B => IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)),
    }
}

/// Why the chaos lab could not start.
#[derive(Debug, thiserror::Error)]
pub enum ChaosError {
    #[error("the emulator did not start: {0}")]
    Lab(#[from] finesse_emulator::net::LabError),
    #[error("no port free on both 127.0.0.1 and 127.0.0.2: {0}")]
    Port(std::io::Error),
}

impl ChaosError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ChaosError::Lab(_) => "chaos_lab_failed",
            ChaosError::Port(_) => "chaos_port_unavailable",
        }
    }
}

/// How the session is tuned for chaos: everything fast, nothing that waits on real-world
/// timescales.
#[derive(Debug, Clone)]
pub struct Timings {
    pub backoff: Backoff,
    pub ping_interval: Duration,
    pub ping_timeout: Duration,
    pub system_info_timeout: Duration,
    pub link_check_timeout: Duration,
    pub xmpp_connect_timeout: Duration,
    pub rest_timeout: Duration,
    pub watch_interval: Option<Duration>,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            backoff: Backoff {
                initial: Duration::from_millis(25),
                max: Duration::from_millis(250),
                multiplier: 2.0,
                jitter_ratio: 0.2,
            },
            ping_interval: Duration::from_millis(500),
            ping_timeout: Duration::from_millis(500),
            system_info_timeout: Duration::from_millis(1500),
            link_check_timeout: Duration::from_millis(750),
            xmpp_connect_timeout: Duration::from_secs(3),
            rest_timeout: Duration::from_secs(4),
            watch_interval: Some(Duration::from_millis(50)),
        }
    }
}

/// Ports for the proxy pair, below the kernel's ephemeral range (32768–60999 on Linux):
/// the emulator's own listeners live there and get their ports back when a stopped node
/// restarts, so a proxy must never borrow one of them on 127.0.0.2.
fn port_candidates() -> impl FnMut() -> u16 {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default()
        ^ u64::from(std::process::id());
    let mut jitter = finesse::session::JitterSource::new(seed);
    move || 20_000 + (jitter.next_unit() * 12_000.0) as u16
}

/// Both nodes behind fault proxies.
pub struct ChaosLab {
    pub lab: Lab,
    proxies: [FaultProxy; 2],
    port: u16,
    /// The wall clock the lab's sessions compare with their monotonic clock.
    pub wall_clock: WallClock,
}

impl ChaosLab {
    /// The demo contact center on a manual clock, both nodes proxied.
    pub async fn start() -> Result<ChaosLab, ChaosError> {
        let options = LabOptions::new(LabConfig::demo(), SimClock::manual()).with_ephemeral_ports();
        let lab = Lab::start(options).await?;
        let upstream = |node: NodeId| SocketAddr::new(ip(node), lab.node(node).https_port);
        let mut ports = port_candidates();
        let mut last_error = None;
        for _ in 0..200 {
            let port = ports();
            let a =
                match FaultProxy::start(SocketAddr::new(ip(NodeId::A), port), upstream(NodeId::A))
                    .await
                {
                    Ok(a) => a,
                    Err(error) => {
                        last_error = Some(error);
                        continue;
                    }
                };
            match FaultProxy::start(SocketAddr::new(ip(NodeId::B), port), upstream(NodeId::B)).await
            {
                Ok(b) => {
                    return Ok(ChaosLab {
                        lab,
                        proxies: [a, b],
                        port,
                        wall_clock: WallClock::system(),
                    })
                }
                Err(error) => last_error = Some(error),
            }
        }
        Err(ChaosError::Port(last_error.unwrap_or_else(|| {
            std::io::Error::other("no shared port found")
        })))
    }

    /// The HTTPS port both proxies listen on.
    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn proxy(&self, node: NodeId) -> &FaultProxy {
        match node {
            NodeId::A => &self.proxies[0],
            NodeId::B => &self.proxies[1],
        }
    }

    /// The network to `node` behaves as `mode` from now on.
    pub fn fault(&self, node: NodeId, mode: FaultMode) {
        self.proxy(node).set_mode(mode);
    }

    /// Both networks work again.
    pub fn heal(&self) {
        for node in NodeId::ALL {
            self.fault(node, FaultMode::Pass);
        }
    }

    /// A session for `identity` on both nodes (A first) through the proxies.
    pub fn config(&self, identity: &str, timings: &Timings) -> SessionConfig {
        let mut config = SessionConfig::new([host(NodeId::A), host(NodeId::B)], identity, PASSWORD);
        config.https_port = self.port;
        config.trust = TrustSettings::with_extra_ca(self.lab.ca_path());
        config.xmpp_transports =
            XmppTransports::Custom(vec![TransportTemplate::WebSocket { port: self.port }]);
        config.policy.backoff = timings.backoff.clone();
        config.policy.finesse_presence_timeout = Duration::from_secs(2);
        config.policy.out_of_service_poll = Duration::from_millis(500);
        config.policy.command_timeout = Duration::from_secs(5);
        config.policy.struggling_after = Duration::from_millis(500);
        config.policy.slow_retry = None;
        config.xmpp_ping_interval = timings.ping_interval;
        config.xmpp_ping_timeout = timings.ping_timeout;
        config.system_info_timeout = timings.system_info_timeout;
        config.link_check_timeout = timings.link_check_timeout;
        config.xmpp_connect_timeout = timings.xmpp_connect_timeout;
        config.rest_timeout = timings.rest_timeout;
        config.watch_interval = timings.watch_interval;
        // The host's real network is not part of the experiment.
        config.watch_network = false;
        config.wall_clock = self.wall_clock.clone();
        config
    }

    /// A session for `identity` with the product's own defaults (timers, backoff, policy):
    /// only the addresses, the lab CA and the host network watch differ.
    pub fn product_config(&self, identity: &str) -> SessionConfig {
        let mut config = SessionConfig::new([host(NodeId::A), host(NodeId::B)], identity, PASSWORD);
        config.https_port = self.port;
        config.trust = TrustSettings::with_extra_ca(self.lab.ca_path());
        config.xmpp_transports =
            XmppTransports::Custom(vec![TransportTemplate::WebSocket { port: self.port }]);
        config.watch_network = false;
        config.wall_clock = self.wall_clock.clone();
        config
    }

    /// Starts a session and waits until it is connected.
    pub async fn connect(&self, identity: &str, timings: &Timings) -> Session {
        let session = Session::start(self.config(identity, timings)).expect("the session starts");
        within("connected", session.wait_connected())
            .await
            .expect("connects");
        session
    }

    /// A connected agent signed in on `extension`, READY when asked.
    pub async fn agent(&self, id: &str, extension: &str, ready: bool) -> Session {
        let session = self.connect(id, &Timings::default()).await;
        within("sign in", session.sign_in(extension, None, None))
            .await
            .expect("signs in");
        if ready {
            within(
                "ready",
                session.change_state(finesse::model::AgentState::Ready, None),
            )
            .await
            .expect("goes ready");
        }
        session
    }

    /// A customer call to the Sales queue.
    pub fn customer_call(&self, caller: &str) -> CallId {
        self.lab
            .place_call(CallSpec {
                caller: caller.into(),
                queue: "5001".into(),
                ..CallSpec::default()
            })
            .expect("the call is placed")
    }

    pub async fn shutdown(self) {
        self.heal();
        self.lab.shutdown().await;
    }
}

/// Runs `future` with the safety net.
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

/// Waits until the connection state satisfies `wanted`.
pub async fn wait_state(
    session: &Session,
    what: &str,
    wanted: impl Fn(&ConnectionState) -> bool,
) -> ConnectionState {
    within(what, session.connection_matching(wanted))
        .await
        .expect("session alive")
}

/// Waits until the session has lost its link (reconnecting or out of service).
pub async fn wait_lost(session: &Session) -> ConnectionState {
    wait_state(session, "the loss to be noticed", |s| {
        matches!(
            s,
            ConnectionState::Reconnecting { .. } | ConnectionState::OutOfService { .. }
        )
    })
    .await
}

pub async fn wait_connected_to(session: &Session, node: NodeId) -> ConnectionState {
    wait_state(
        session,
        &format!("connected to {node:?}"),
        |s| matches!(s, ConnectionState::Connected { node: n } if n == host(node)),
    )
    .await
}

/// Waits for an event matching `wanted`.
pub async fn next_event(
    events: &mut broadcast::Receiver<SessionEvent>,
    what: &str,
    wanted: impl Fn(&SessionEvent) -> bool,
) -> SessionEvent {
    within(what, async {
        loop {
            match events.recv().await {
                Ok(event) if wanted(&event) => return event,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => panic!("events closed before {what}"),
            }
        }
    })
    .await
}

/// Waits until the snapshot satisfies `wanted`.
pub async fn wait_snapshot(
    session: &Session,
    what: &str,
    wanted: impl Fn(&Snapshot) -> bool,
) -> Snapshot {
    within(what, session.snapshot_matching(wanted))
        .await
        .expect("session alive")
}

/// What an agent's desktop must show: state, reason, extension, and each call with every
/// participant's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentView {
    pub state: String,
    pub reason_code_id: Option<String>,
    pub pending_state: Option<String>,
    pub extension: Option<String>,
    pub dialogs: BTreeMap<String, DialogView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialogView {
    pub state: String,
    /// Media address → participant state.
    pub participants: BTreeMap<String, String>,
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The client's view.
pub fn client_view(snapshot: &Snapshot) -> Option<AgentView> {
    let user = snapshot.user.as_ref()?;
    Some(AgentView {
        state: user.state.as_str().to_owned(),
        reason_code_id: non_empty(user.reason_code_id.as_deref()),
        pending_state: non_empty(user.pending_state.as_ref().map(|s| s.as_str())),
        extension: non_empty(user.extension.as_deref()),
        dialogs: snapshot
            .dialogs
            .values()
            .map(|d| {
                let participants = d
                    .participants
                    .iter()
                    .map(|p| (p.media_address.clone(), p.state.as_str().to_owned()))
                    .collect();
                (
                    d.id.clone(),
                    DialogView {
                        state: d.state.as_str().to_owned(),
                        participants,
                    },
                )
            })
            .collect(),
    })
}

/// The emulator's truth for the same agent.
pub fn truth_view(truth: &Truth, agent_id: &str) -> Option<AgentView> {
    let agent = truth.agent(agent_id)?;
    let dialogs = agent
        .dialogs
        .iter()
        .filter_map(|id| truth.call(*id))
        .map(|call| {
            let participants = call
                .participants
                .iter()
                .map(|p| (p.address.clone(), p.state.as_str().to_owned()))
                .collect();
            (
                call.id.to_string(),
                DialogView {
                    state: call.state.as_str().to_owned(),
                    participants,
                },
            )
        })
        .collect();
    Some(AgentView {
        state: agent.state.as_str().to_owned(),
        reason_code_id: non_empty(agent.reason_code_id.as_deref()),
        pending_state: agent.pending_state.map(|s| s.as_str().to_owned()),
        extension: non_empty(agent.extension.as_deref()),
        dialogs,
    })
}

/// Waits until the connected client's view equals the emulator's truth; panics with both
/// views when it never does.
pub async fn assert_converged(chaos: &ChaosLab, session: &Session, agent_id: &str) {
    if let Err(divergence) = converged(chaos, session, agent_id).await {
        panic!("{divergence}");
    }
}

/// Waits (up to [`PATIENCE`]) until the connected client's view equals the emulator's
/// truth; the error shows both views.
pub async fn converged(chaos: &ChaosLab, session: &Session, agent_id: &str) -> Result<(), String> {
    let mut snapshots = session.snapshot_watch();
    let mut connection = session.connection();
    let outcome = tokio::time::timeout(PATIENCE, async {
        loop {
            let connected = connection.borrow_and_update().is_connected();
            let client = client_view(&snapshots.borrow_and_update());
            let truth = truth_view(&chaos.lab.truth(), agent_id);
            if connected && client.is_some() && client == truth {
                return;
            }
            tokio::select! {
                changed = snapshots.changed() => changed.expect("session alive"),
                changed = connection.changed() => changed.expect("session alive"),
            }
        }
    })
    .await;
    outcome.map_err(|_| {
        format!(
            "the client never matched the emulator's truth\n  connection: {:?}\n  client: {:#?}\n  truth:  {:#?}",
            *session.connection().borrow(),
            client_view(&session.snapshot()),
            truth_view(&chaos.lab.truth(), agent_id)
        )
    })
}

/// Collects what a chaos test must check about a session while it runs.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    inner: Arc<Mutex<Recorded>>,
}

/// What the recorder saw.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    /// `state_forced` events: (state, reason code).
    pub forced: Vec<(String, Option<u32>)>,
    pub struggling: u32,
    pub reconnected: Vec<(String, bool)>,
}

impl Recorder {
    /// Starts recording a session's events (until the session ends).
    pub fn watch(session: &Session) -> Recorder {
        let recorder = Recorder::default();
        let inner = recorder.inner.clone();
        let mut events = session.events();
        tokio::spawn(async move {
            loop {
                let event = match events.recv().await {
                    Ok(event) => event,
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                let mut seen = inner.lock().unwrap_or_else(|p| p.into_inner());
                match event {
                    SessionEvent::StateForced {
                        state, reason_code, ..
                    } => seen.forced.push((state.as_str().to_owned(), reason_code)),
                    SessionEvent::ReconnectStruggling { .. } => seen.struggling += 1,
                    SessionEvent::Reconnected {
                        node, failed_over, ..
                    } => seen.reconnected.push((node, failed_over)),
                    _ => {}
                }
            }
        });
        recorder
    }

    pub fn recorded(&self) -> Recorded {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Every REST request a user made after a node first answered 401 to their credentials
/// (not the 401 Finesse gives for acting on someone else's user or dialog). A client that
/// respects a 401 leaves this empty.
pub fn requests_after_a_401(lab: &Lab, user: &str) -> Vec<String> {
    lab.rest_journal()
        .iter()
        .filter(|r| {
            r.user
                .as_deref()
                .is_some_and(|u| u.eq_ignore_ascii_case(user))
        })
        .skip_while(|r| !r.credentials_refused)
        .skip(1)
        .map(|r| format!("{} {} → {}", r.method, r.path, r.status))
        .collect()
}

/// Forced changes the emulator's truth shows for an agent: a system reason code that comes
/// from a lost presence (50002 UCCE, 255 anywhere).
pub fn forced_out_in_truth(truth: &Truth, agent_id: &str) -> bool {
    truth
        .agent(agent_id)
        .is_some_and(|a| matches!(a.reason_code, Some(50002) | Some(255)))
}
