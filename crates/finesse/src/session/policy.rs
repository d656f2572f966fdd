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
    /// When the current node cannot be used (unreachable, OUT_OF_SERVICE, Finesse down), ask
    /// the other node's SystemInfo at once and fail over as soon as it is IN_SERVICE,
    /// instead of waiting for `max_attempts_per_node` failures.
    pub probe_alternate: bool,
    /// Publish [`SessionEvent::ReconnectStruggling`](super::SessionEvent) once an outage has
    /// lasted `struggling_after` and at least this many attempts failed.
    pub struggling_after_attempts: u32,
    pub struggling_after: Duration,
    /// Retry slower once an outage outlasts Finesse's 60 s grace (the agent has been forced
    /// out by then, so speed no longer saves the sign-in); `None` keeps `backoff` for ever.
    pub slow_retry: Option<SlowRetry>,
    /// After an outage, when a connection failure forces the agent NOT_READY although they
    /// were READY (the old node's presence timer firing after a failover, §10.2), put them
    /// READY again — within `restore_ready_window` of the reconnect.
    pub restore_ready_after_outage: bool,
    pub restore_ready_window: Duration,
    /// After failing over away from a node, keep (or get back) a presence-only connection
    /// to it, so that its Finesse does not force the agent out 60 s later (§10.2).
    pub keep_presence_on_left_node: bool,
}

/// Slower retries for long outages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlowRetry {
    /// Outage duration after which retries slow down.
    pub after: Duration,
    /// The longest delay between attempts from then on (jitter as in `backoff`).
    pub max_delay: Duration,
}

impl Default for SlowRetry {
    fn default() -> Self {
        SlowRetry {
            after: Duration::from_secs(120),
            max_delay: Duration::from_secs(30),
        }
    }
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
            probe_alternate: true,
            struggling_after_attempts: 3,
            struggling_after: Duration::from_secs(15),
            slow_retry: Some(SlowRetry::default()),
            // The old node notices a dead client within 120 s and waits 60 s more (§10.2).
            restore_ready_after_outage: true,
            restore_ready_window: Duration::from_secs(180),
            keep_presence_on_left_node: true,
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
        } else if self
            .slow_retry
            .as_ref()
            .is_some_and(|slow| slow.max_delay.is_zero())
        {
            Some("slow_retry max_delay must be positive")
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
