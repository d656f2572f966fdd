//! Types at the boundary between the center and the network layer.
use serde::{Deserialize, Serialize};

/// Which Finesse node a request arrived on or a publication belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NodeId {
    A,
    B,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Other,
}

/// One HTTP request, already read off the socket.
#[derive(Debug, Clone)]
pub struct RestRequest {
    pub method: Method,
    /// Path without query, e.g. `/finesse/api/User/1001`.
    pub path: String,
    /// Raw query string without `?`, possibly empty.
    pub query: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub request_id: Option<String>,
    pub body: Vec<u8>,
}

/// One HTTP reply to write back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestReply {
    pub status: u16,
    /// Extra headers (e.g. `requestId`, `Content-Type`, `Allow`).
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Who receives a publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// Every XMPP session of this agent id (the automatic User / Dialogs nodes).
    User(String),
    /// Every XMPP session on the node (SystemInfo).
    Everyone,
    /// Sessions that explicitly subscribed to the node (Team, Queue).
    Subscribers,
}

/// One pub-sub event to deliver: `update` is the serialised `<Update>` document, which the
/// XMPP layer escapes into `<notification>` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub node: String,
    pub update: String,
    pub audience: Audience,
    /// `None`: published by both nodes (shared contact-center state). `Some`: only that
    /// node (its own SystemInfo).
    pub origin: Option<NodeId>,
}

/// Why a credential check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthFailure {
    #[error("unknown user")]
    UnknownUser,
    #[error("wrong password")]
    WrongPassword,
    #[error("account locked after repeated failures")]
    LockedOut,
}

/// A CTI-side failure: what Finesse reports in an asynchronous `apiErrors` update (§8.2).
/// Injected with [`ContactCenter::fail_next_request`](super::ContactCenter::fail_next_request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CtiError {
    /// The CTI error code, e.g. `34`.
    pub error_data: String,
    /// The CTI error constant, e.g. `CF_RESOURCE_OUT_OF_SERVICE`.
    pub error_message: String,
    /// The Finesse error type, e.g. `Call Operation Failure`.
    pub error_type: String,
}

/// A call (dialog) id: the numeric CTI call id Finesse uses in `/finesse/api/Dialog/{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallId(pub u64);

impl std::fmt::Display for CallId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A named call variable (`callVariable1`..`callVariable10` or an ECC `user.*` name).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CallVariable {
    pub name: String,
    pub value: String,
}

impl CallVariable {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        CallVariable {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// A customer call arriving at a queue ([`ContactCenter::place_call`](super::ContactCenter::place_call)).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CallSpec {
    /// The caller's number (ANI), the dialog's `fromAddress`.
    pub caller: String,
    /// The number dialed (`toAddress` / `dialedNumber`); empty: the queue's dialed number.
    pub dialed_number: String,
    /// The queue id the call is routed to.
    pub queue: String,
    /// `callVariable1`..`callVariable10` values (names must be `callVariableN`).
    pub call_variables: Vec<CallVariable>,
    /// ECC variables; a missing `user.` prefix is added.
    pub ecc: Vec<CallVariable>,
    /// `mediaProperties/callType`; default `PREROUTE_ACD_IN` (UCCE) / `ACD_IN` (UCCX).
    pub call_type: Option<String>,
}

/// Why a control operation (not a REST request) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    #[error("unknown queue {0}")]
    UnknownQueue(String),
    #[error("unknown call {0}")]
    UnknownCall(CallId),
    #[error("call {0} has no outside party to hang up")]
    NoCustomer(CallId),
    #[error("invalid call: {0}")]
    InvalidCall(String),
    #[error("unknown user {0}")]
    UnknownUser(String),
}

impl ControlError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ControlError::UnknownQueue(_) => "unknown_queue",
            ControlError::UnknownCall(_) => "unknown_call",
            ControlError::NoCustomer(_) => "no_customer",
            ControlError::InvalidCall(_) => "invalid_call",
            ControlError::UnknownUser(_) => "unknown_user",
        }
    }
}

impl AuthFailure {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AuthFailure::UnknownUser => "unknown_user",
            AuthFailure::WrongPassword => "wrong_password",
            AuthFailure::LockedOut => "locked_out",
        }
    }
}

impl NodeId {
    /// Both nodes, A first.
    pub const ALL: [NodeId; 2] = [NodeId::A, NodeId::B];

    /// 0 for A, 1 for B.
    pub fn index(self) -> usize {
        match self {
            NodeId::A => 0,
            NodeId::B => 1,
        }
    }

    pub fn other(self) -> NodeId {
        match self {
            NodeId::A => NodeId::B,
            NodeId::B => NodeId::A,
        }
    }
}

impl RestRequest {
    /// A request with no headers and no body (handy for tests and the control API).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        RestRequest {
            method,
            path: path.into(),
            query: String::new(),
            authorization: None,
            content_type: None,
            request_id: None,
            body: Vec::new(),
        }
    }
}

impl RestReply {
    /// The value of a header, compared without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
