//! How the session connects, retries and waits — all of it data.
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::backoff::Backoff;
use super::error::SessionError;

/// Connection and command policy for a [`SessionMachine`](super::SessionMachine).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionPolicy {
    /// Finesse node host names in the order to try them (normally A, then B).
    pub nodes: Vec<String>,
    /// Add the other node named in SystemInfo (`primaryNode`/`secondaryNode`) to `nodes`.
    pub learn_nodes_from_system_info: bool,
    pub backoff: Backoff,
    /// Consecutive failed attempts on one node before moving to the next.
    pub max_attempts_per_node: u32,
    /// Give up (state `Failed`, code `unreachable`) after this many consecutive failed
    /// attempts in total; `None` keeps trying for as long as the session lives.
    pub max_attempts: Option<u32>,
    /// How long a command waits for its confirming event or `apiErrors`.
    pub command_timeout: Duration,
    /// How long to wait for `finesse@<domain>` presence once XMPP is up (a node whose web
    /// application is down never sends it).
    pub finesse_presence_timeout: Duration,
    /// While a node is OUT_OF_SERVICE or Finesse is unavailable, how often to ask SystemInfo
    /// in case the recovery notification is missed.
    pub out_of_service_poll: Duration,
}

impl SessionPolicy {
    /// Defaults for a desktop session on the given nodes: keeps retrying for ever.
    pub fn for_nodes(nodes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        SessionPolicy {
            nodes: nodes.into_iter().map(Into::into).collect(),
            learn_nodes_from_system_info: true,
            backoff: Backoff::default(),
            max_attempts_per_node: 3,
            max_attempts: None,
            command_timeout: Duration::from_secs(10),
            finesse_presence_timeout: Duration::from_secs(15),
            out_of_service_poll: Duration::from_secs(10),
        }
    }

    /// Refuses a policy the machine cannot follow.
    pub fn validate(&self) -> Result<(), SessionError> {
        let problem = if self.nodes.iter().all(|n| n.trim().is_empty()) {
            Some("at least one Finesse node is required")
        } else if self.max_attempts_per_node == 0 {
            Some("max_attempts_per_node must be at least 1")
        } else if self.max_attempts == Some(0) {
            Some("max_attempts must be at least 1 when set")
        } else if self.backoff.multiplier.is_nan() || self.backoff.multiplier < 1.0 {
            Some("backoff multiplier must be at least 1.0")
        } else if !(0.0..=1.0).contains(&self.backoff.jitter_ratio) {
            Some("backoff jitter_ratio must be between 0.0 and 1.0")
        } else if self.command_timeout.is_zero() {
            Some("command_timeout must be positive")
        } else {
            None
        };
        match problem {
            Some(message) => Err(SessionError::InvalidConfig {
                message: message.to_owned(),
            }),
            None => Ok(()),
        }
    }
}
