//! What can go wrong on the notification connection.

use std::fmt;

use super::config::TransportSpec;

/// Why connecting or a request failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum XmppError {
    /// SASL refused the credentials. Terminal: never retried, other transports are not tried.
    #[error("the notification service refused the credentials ({condition})")]
    AuthenticationFailed { condition: String },
    /// No configured transport could carry a stream; each attempt's cause is kept.
    #[error("no notification transport is reachable: {}", describe_attempts(.attempts))]
    TransportUnavailable { attempts: Vec<TransportFailure> },
    /// The socket, TLS session or WebSocket could not be opened (DNS, refused, HTTP status).
    #[error("cannot connect: {0}")]
    Connect(String),
    /// The server's certificate is not trusted or the TLS handshake failed.
    #[error("TLS failure: {0}")]
    Tls(String),
    #[error("timed out while {0}")]
    Timeout(String),
    /// Unexpected stanza, malformed XML, oversized stanza, or a peer that is not an XMPP server.
    #[error("XMPP protocol error: {0}")]
    Protocol(String),
    /// The server ended the stream with `<conflict/>`: the same JID signed in elsewhere.
    #[error("signed in elsewhere with the same identity")]
    SignedInElsewhere,
    #[error("the server refused to bind the resource ({0})")]
    BindFailed(String),
    /// The server answered an IQ request with an error (e.g. an unknown pub-sub node).
    #[error("the server rejected the request: {condition}{}", .text.as_deref().map(|t| format!(" ({t})")).unwrap_or_default())]
    IqError {
        condition: String,
        text: Option<String>,
    },
    #[error("invalid XMPP configuration: {0}")]
    InvalidConfig(String),
    /// The connection is closed (or closed while the request was in flight).
    #[error("the notification connection is closed{}", if .0.is_empty() { String::new() } else { format!(": {}", .0) })]
    Closed(String),
}

impl XmppError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            XmppError::AuthenticationFailed { .. } => "authentication_failed",
            XmppError::TransportUnavailable { .. } => "transport_unavailable",
            XmppError::Connect(_) => "connect",
            XmppError::Tls(_) => "tls",
            XmppError::Timeout(_) => "timeout",
            XmppError::Protocol(_) => "protocol",
            XmppError::SignedInElsewhere => "signed_in_elsewhere",
            XmppError::BindFailed(_) => "bind_failed",
            XmppError::IqError { .. } => "iq_error",
            XmppError::InvalidConfig(_) => "invalid_config",
            XmppError::Closed(_) => "closed",
        }
    }

    /// True for refused credentials: the caller must not retry with the same password.
    pub fn is_authentication_failure(&self) -> bool {
        matches!(self, XmppError::AuthenticationFailed { .. })
    }
}

/// One failed transport attempt.
#[derive(Debug, Clone)]
pub struct TransportFailure {
    pub transport: TransportSpec,
    pub error: XmppError,
}

fn describe_attempts(attempts: &[TransportFailure]) -> String {
    attempts
        .iter()
        .map(|a| format!("{} → {}", a.transport, a.error))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why an established connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisconnectReason {
    /// `<conflict/>` stream error: a session with the same full JID replaced this one.
    SignedInElsewhere,
    /// Any other stream error: the condition and, when given, the server's text.
    StreamError(String),
    /// The server stopped answering XEP-0199 pings.
    PingTimeout,
    /// The peer closed the stream or the socket, or the socket failed.
    SocketClosed,
    /// The peer sent something that is not XMPP (malformed or oversized).
    ProtocolError(String),
    /// We closed it (`disconnect()` or every handle dropped).
    ClientClosed,
}

impl DisconnectReason {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            DisconnectReason::SignedInElsewhere => "signed_in_elsewhere",
            DisconnectReason::StreamError(_) => "stream_error",
            DisconnectReason::PingTimeout => "ping_timeout",
            DisconnectReason::SocketClosed => "socket_closed",
            DisconnectReason::ProtocolError(_) => "protocol",
            DisconnectReason::ClientClosed => "client_closed",
        }
    }
}

impl fmt::Display for DisconnectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DisconnectReason::SignedInElsewhere => f.write_str("signed in elsewhere"),
            DisconnectReason::StreamError(condition) => write!(f, "stream error: {condition}"),
            DisconnectReason::PingTimeout => f.write_str("the server stopped answering pings"),
            DisconnectReason::SocketClosed => f.write_str("the connection was closed"),
            DisconnectReason::ProtocolError(message) => write!(f, "protocol error: {message}"),
            DisconnectReason::ClientClosed => f.write_str("closed by the client"),
        }
    }
}
