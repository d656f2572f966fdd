//! How to reach the Finesse Notification Service and who to log in as.

use std::fmt;
use std::time::Duration;

use rand::distr::{Alphanumeric, SampleString};

use super::error::XmppError;
use crate::rest::Secret;
use crate::tls::TrustSettings;

/// The resource the Finesse browser desktop uses; binding it would kick the agent's desktop.
pub const RESERVED_DESKTOP_RESOURCE: &str = "desktop";

/// One way of carrying the XMPP stream, tried in the order given in [`XmppConfig::transports`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TransportSpec {
    /// RFC 7395 XMPP over a secure WebSocket, e.g. `wss://fin-a:8445/ws/`.
    WebSocket { url: String },
    /// Classic XMPP stream over TLS from the first byte (Finesse port 5223).
    DirectTls { host: String, port: u16 },
    /// Classic XMPP stream on a plain port upgraded with STARTTLS before authenticating (5222).
    StartTls { host: String, port: u16 },
}

impl TransportSpec {
    /// `wss://host:port/ws/`.
    pub fn websocket(host: &str, port: u16) -> Self {
        TransportSpec::WebSocket {
            url: format!("wss://{}:{port}/ws/", bracket_ipv6(host)),
        }
    }

    pub fn direct_tls(host: impl Into<String>) -> Self {
        TransportSpec::DirectTls {
            host: host.into(),
            port: 5223,
        }
    }

    pub fn start_tls(host: impl Into<String>) -> Self {
        TransportSpec::StartTls {
            host: host.into(),
            port: 5222,
        }
    }

    /// The documented order for a Finesse node: WebSocket on 8445 (12.6(2)+), WebSocket on 7443
    /// (12.0–12.6), then direct TLS on 5223. Plain 5222 is disabled by default from 12.5 and is
    /// only used when configured explicitly.
    pub fn defaults_for(host: &str) -> Vec<TransportSpec> {
        vec![
            TransportSpec::websocket(host, 8445),
            TransportSpec::websocket(host, 7443),
            TransportSpec::direct_tls(host),
        ]
    }
}

impl fmt::Display for TransportSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportSpec::WebSocket { url } => f.write_str(url),
            TransportSpec::DirectTls { host, port } => {
                write!(f, "xmpps://{}:{port}", bracket_ipv6(host))
            }
            TransportSpec::StartTls { host, port } => {
                write!(f, "xmpp+starttls://{}:{port}", bracket_ipv6(host))
            }
        }
    }
}

fn bracket_ipv6(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

/// Everything the notification client needs. Timers are data so tests can shorten them.
#[derive(Debug, Clone)]
pub struct XmppConfig {
    /// The agent id; lower-cased before use, as the Finesse EventTunnel does.
    pub jid_local: String,
    /// `xmppDomain` from SystemInfo (the node's FQDN).
    pub domain: String,
    /// `xmppPubSubDomain` from SystemInfo (`pubsub.<fqdn>`).
    pub pubsub_domain: String,
    pub password: Secret,
    /// Unique per process (see [`XmppConfig::unique_resource`]); never `desktop`.
    pub resource: String,
    pub transports: Vec<TransportSpec>,
    pub trust: TrustSettings,
    /// How often a XEP-0199 ping is sent to the domain.
    pub ping_interval: Duration,
    /// How long a ping may stay unanswered before it counts as missed.
    pub ping_timeout: Duration,
    /// Consecutive missed pings after which the connection is declared dead.
    pub max_missed_pings: u32,
    /// Limit for one transport attempt: socket, TLS, stream negotiation, and the wait for
    /// `finesse@domain` presence.
    pub connect_timeout: Duration,
    /// How long a request (subscribe, unsubscribe, any IQ) waits for its answer.
    pub request_timeout: Duration,
    /// Report Connected only after `finesse@domain` is seen available. Off for generic XMPP servers.
    pub require_finesse_presence: bool,
}

impl XmppConfig {
    /// A configuration for a Finesse node with the documented defaults: transports for `host`,
    /// a fresh unique resource, 10 s pings with a 10 s timeout and 2 allowed misses.
    pub fn new(
        host: &str,
        domain: impl Into<String>,
        pubsub_domain: impl Into<String>,
        jid_local: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        XmppConfig {
            jid_local: jid_local.into(),
            domain: domain.into(),
            pubsub_domain: pubsub_domain.into(),
            password: password.into(),
            resource: XmppConfig::unique_resource(),
            transports: TransportSpec::defaults_for(host),
            trust: TrustSettings::default(),
            ping_interval: Duration::from_secs(10),
            ping_timeout: Duration::from_secs(10),
            max_missed_pings: 2,
            connect_timeout: Duration::from_secs(20),
            request_timeout: Duration::from_secs(10),
            require_finesse_presence: true,
        }
    }

    /// `ringside-` followed by random letters and digits.
    pub fn unique_resource() -> String {
        format!(
            "ringside-{}",
            Alphanumeric.sample_string(&mut rand::rng(), 10)
        )
    }

    /// The login name as sent: lower-cased.
    pub fn username(&self) -> String {
        self.jid_local.to_lowercase()
    }

    /// `agent@domain`, lower-cased.
    pub fn bare_jid(&self) -> String {
        format!("{}@{}", self.username(), self.domain.to_lowercase())
    }

    pub(crate) fn validate(&self) -> Result<(), XmppError> {
        let invalid = |message: &str| Err(XmppError::InvalidConfig(message.to_owned()));
        if self.jid_local.trim().is_empty() {
            return invalid("the agent id (JID local part) is empty");
        }
        if self.domain.trim().is_empty() {
            return invalid("the XMPP domain is empty");
        }
        if self.resource.trim().is_empty() {
            return invalid("the XMPP resource is empty");
        }
        if self
            .resource
            .eq_ignore_ascii_case(RESERVED_DESKTOP_RESOURCE)
        {
            return invalid("the resource `desktop` belongs to the Finesse desktop; binding it would sign the agent out there");
        }
        if self.transports.is_empty() {
            return invalid("no XMPP transport configured");
        }
        if self.ping_interval.is_zero() || self.ping_timeout.is_zero() || self.max_missed_pings == 0
        {
            return invalid("ping interval, ping timeout and allowed misses must be positive");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_transports_follow_the_documented_order() {
        let transports = TransportSpec::defaults_for("fin-a.example.com");
        let shown: Vec<String> = transports.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "wss://fin-a.example.com:8445/ws/",
                "wss://fin-a.example.com:7443/ws/",
                "xmpps://fin-a.example.com:5223"
            ]
        );
    }

    #[test]
    fn the_desktop_resource_is_refused() {
        let mut config = XmppConfig::new("fin-a", "fin-a", "pubsub.fin-a", "1001", "pw");
        assert!(config.validate().is_ok());
        config.resource = "Desktop".into();
        assert_eq!(config.validate().unwrap_err().code(), "invalid_config");
    }

    #[test]
    fn the_jid_is_lower_cased_and_resources_are_unique() {
        let config = XmppConfig::new("fin-a", "Fin-A.Example.com", "pubsub.fin-a", "AgentX", "pw");
        assert_eq!(config.bare_jid(), "agentx@fin-a.example.com");
        assert!(config.resource.starts_with("ringside-"));
        assert_ne!(config.resource, XmppConfig::unique_resource());
    }
}
