//! Who we are and which Finesse node we talk to.

use std::fmt;
use std::time::Duration;

use crate::tls::TrustSettings;

/// The Finesse REST port from 12.5(1) on (HTTPS only).
pub const DEFAULT_REST_PORT: u16 = 8445;

/// A password or token. It never prints: `Debug` shows `Secret(<redacted>)` and there is no
/// `Display`, so it cannot reach a log line by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send it (an `Authorization` header, SASL).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// One Finesse node's REST endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NodeAddress {
    pub host: String,
    pub port: u16,
}

impl NodeAddress {
    /// `host` on the default port 8445.
    pub fn new(host: impl Into<String>) -> Self {
        NodeAddress {
            host: host.into(),
            port: DEFAULT_REST_PORT,
        }
    }

    pub fn with_port(host: impl Into<String>, port: u16) -> Self {
        NodeAddress {
            host: host.into(),
            port,
        }
    }

    /// `https://host:port` (IPv6 literals bracketed).
    pub fn base_url(&self) -> String {
        if self.host.contains(':') && !self.host.starts_with('[') {
            format!("https://[{}]:{}", self.host, self.port)
        } else {
            format!("https://{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Display for NodeAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base_url())
    }
}

/// The agent's (or supervisor's) Finesse id and password, sent as Basic auth on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The agent id (UCCE `loginId`, UCCX user id) or, before it is known, the login name.
    pub id: String,
    pub password: Secret,
}

impl Credentials {
    pub fn new(id: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credentials {
            id: id.into(),
            password: password.into(),
        }
    }
}

/// Everything a [`super::RestClient`] needs.
#[derive(Debug, Clone)]
pub struct RestConfig {
    pub node: NodeAddress,
    pub credentials: Credentials,
    pub trust: TrustSettings,
    /// Whole-request timeout (connect + response).
    pub timeout: Duration,
}

impl RestConfig {
    /// Defaults: trust the OS store only, 10 s timeout.
    pub fn new(node: NodeAddress, credentials: Credentials) -> Self {
        RestConfig {
            node,
            credentials,
            trust: TrustSettings::default(),
            timeout: Duration::from_secs(10),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_print() {
        let credentials = Credentials::new("1001001", "hunter2-S3cret");
        let debug = format!(
            "{credentials:?} {:?}",
            RestConfig::new(NodeAddress::new("fin-a"), credentials.clone())
        );
        assert!(!debug.contains("hunter2-S3cret"), "{debug}");
        assert!(debug.contains("<redacted>"));
        assert_eq!(credentials.password.expose(), "hunter2-S3cret");
    }

    #[test]
    fn base_url_uses_port_8445_and_brackets_ipv6() {
        assert_eq!(
            NodeAddress::new("fin-a.example.com").base_url(),
            "https://fin-a.example.com:8445"
        );
        assert_eq!(
            NodeAddress::with_port("::1", 9443).base_url(),
            "https://[::1]:9443"
        );
    }
}
