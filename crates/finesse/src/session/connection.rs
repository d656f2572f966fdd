//! The connection state published on the session's `watch` channel.
use serde::Serialize;

use super::error::SessionError;
use super::time::Millis;

/// Where the session stands with Finesse. Commands are accepted only in `Connected`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ConnectionState {
    /// Not started, or shut down on request.
    Disconnected,
    /// First connection (never connected yet); `attempt` counts from 1.
    Connecting { node: String, attempt: u32 },
    /// SystemInfo IN_SERVICE, XMPP up with `finesse@` present, snapshot reconciled.
    Connected { node: String },
    /// Lost a working connection and trying to get it back; `since` is when it was lost.
    Reconnecting {
        node: String,
        attempt: u32,
        since: Millis,
        last_error: SessionError,
    },
    /// The node says OUT_OF_SERVICE (CTI lost); waiting for IN_SERVICE.
    OutOfService { node: String, reason: String },
    /// Another session took over this identity (`<conflict/>`); no automatic reconnect.
    SignedInElsewhere,
    /// Ended for good, e.g. the password was refused.
    Failed { error: SessionError },
}

impl ConnectionState {
    /// Commands can be sent.
    pub fn is_connected(&self) -> bool {
        matches!(self, ConnectionState::Connected { .. })
    }

    /// The session will not reconnect by itself from here.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            ConnectionState::Disconnected
                | ConnectionState::SignedInElsewhere
                | ConnectionState::Failed { .. }
        )
    }

    /// A stable snake_case name of the state.
    pub fn name(&self) -> &'static str {
        match self {
            ConnectionState::Disconnected => "disconnected",
            ConnectionState::Connecting { .. } => "connecting",
            ConnectionState::Connected { .. } => "connected",
            ConnectionState::Reconnecting { .. } => "reconnecting",
            ConnectionState::OutOfService { .. } => "out_of_service",
            ConnectionState::SignedInElsewhere => "signed_in_elsewhere",
            ConnectionState::Failed { .. } => "failed",
        }
    }

    /// The node the state is about, if any.
    pub fn node(&self) -> Option<&str> {
        match self {
            ConnectionState::Connecting { node, .. }
            | ConnectionState::Connected { node }
            | ConnectionState::Reconnecting { node, .. }
            | ConnectionState::OutOfService { node, .. } => Some(node),
            _ => None,
        }
    }
}
