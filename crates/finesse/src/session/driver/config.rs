//! What the async driver needs beyond the policy: where, who, and how to reach XMPP.
use std::time::Duration;

use super::host_watch::WallClock;
use crate::rest::{Secret, DEFAULT_REST_PORT};
use crate::session::policy::SessionPolicy;
use crate::tls::TrustSettings;
use crate::xmpp::TransportSpec;

/// One way to reach the notification service, written for any node host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportTemplate {
    /// `wss://<host>:<port>/ws/`.
    WebSocket { port: u16 },
    /// A fixed WebSocket URL (the same for every node).
    WebSocketUrl { url: String },
    /// Direct TLS on `<host>:<port>` (Finesse 5223).
    DirectTls { port: u16 },
    /// STARTTLS on `<host>:<port>` (Finesse 5222, off by default from 12.5).
    StartTls { port: u16 },
}

impl TransportTemplate {
    /// The transport for one node host.
    pub fn for_host(&self, host: &str) -> TransportSpec {
        match self {
            TransportTemplate::WebSocket { port } => TransportSpec::websocket(host, *port),
            TransportTemplate::WebSocketUrl { url } => {
                TransportSpec::WebSocket { url: url.clone() }
            }
            TransportTemplate::DirectTls { port } => TransportSpec::DirectTls {
                host: host.to_owned(),
                port: *port,
            },
            TransportTemplate::StartTls { port } => TransportSpec::StartTls {
                host: host.to_owned(),
                port: *port,
            },
        }
    }
}

/// Which XMPP transports to try, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum XmppTransports {
    /// finesse-protocol.md §9.1: WebSocket on 8445, WebSocket on 7443, direct TLS on 5223.
    #[default]
    Defaults,
    Custom(Vec<TransportTemplate>),
}

impl XmppTransports {
    /// The transports for one node host.
    pub fn for_host(&self, host: &str) -> Vec<TransportSpec> {
        match self {
            XmppTransports::Defaults => TransportSpec::defaults_for(host),
            XmppTransports::Custom(list) => list.iter().map(|t| t.for_host(host)).collect(),
        }
    }
}

/// Everything [`Session::start`](super::Session::start) needs.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// The agent id, or (UCCE) the login name; also the Basic-auth user.
    pub identity: String,
    pub password: Secret,
    /// Nodes, backoff, limits, timeouts.
    pub policy: SessionPolicy,
    /// REST port on every node (8445 from 12.5).
    pub https_port: u16,
    pub trust: TrustSettings,
    pub xmpp_transports: XmppTransports,
    /// XMPP resource; a unique `ringside-…` one when `None`. Never `desktop`.
    pub xmpp_resource: Option<String>,
    /// Whole-request timeout of one REST call.
    pub rest_timeout: Duration,
    /// Limit for one XMPP transport attempt (including the wait for `finesse@` presence).
    pub xmpp_connect_timeout: Duration,
    /// A dead link is found within `interval + missed × timeout` (18 s by default).
    pub xmpp_ping_interval: Duration,
    pub xmpp_ping_timeout: Duration,
    pub xmpp_max_missed_pings: u32,
    /// Events buffered per subscriber of [`Session::events`](super::Session::events).
    pub event_capacity: usize,
    /// How long an out-of-turn ping (after sleep, a network change, a failed request) may
    /// go unanswered before the link counts as dead.
    pub link_check_timeout: Duration,
    /// Whole-request timeout of a SystemInfo GET — the question asked of a node while
    /// (re)connecting; shorter than `rest_timeout` so that a silent node is left quickly.
    pub system_info_timeout: Duration,
    /// How often to look for a wake-up from sleep and a network change; `None`: never.
    pub watch_interval: Option<Duration>,
    /// Watch the host's routes and addresses (Linux); see [`WallClock`] for sleep.
    pub watch_network: bool,
    /// The wall clock compared with the monotonic one to notice sleep.
    pub wall_clock: WallClock,
}

impl SessionConfig {
    /// Defaults for the given nodes (A first) and identity: port 8445, the OS trust store,
    /// the documented XMPP transports and timers, and [`SessionPolicy::for_nodes`].
    pub fn new(
        nodes: impl IntoIterator<Item = impl Into<String>>,
        identity: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        SessionConfig {
            identity: identity.into(),
            password: password.into(),
            policy: SessionPolicy::for_nodes(nodes),
            https_port: DEFAULT_REST_PORT,
            trust: TrustSettings::default(),
            xmpp_transports: XmppTransports::Defaults,
            xmpp_resource: None,
            rest_timeout: Duration::from_secs(10),
            xmpp_connect_timeout: Duration::from_secs(20),
            // EventTunnel pings every 10 s with a 10 s timeout (30 s worst case); a little
            // tighter finds a dead link within 18 s, well inside Finesse's 60 s grace.
            xmpp_ping_interval: Duration::from_secs(8),
            xmpp_ping_timeout: Duration::from_secs(5),
            xmpp_max_missed_pings: 2,
            event_capacity: 1024,
            link_check_timeout: Duration::from_secs(3),
            system_info_timeout: Duration::from_secs(5),
            watch_interval: Some(Duration::from_secs(2)),
            watch_network: true,
            wall_clock: WallClock::system(),
        }
    }
}
