//! What goes into the state machine ([`Input`]) and what comes out ([`Effect`]).
//!
//! The machine names REST calls, XMPP actions and timers as plain data; the driver performs
//! them and feeds the results back as inputs. Nothing here depends on the REST or XMPP
//! clients, so the machine is tested without sockets.
use finesse_xml::Element;
use serde::Serialize;

use super::command::{Command, CommandId, CommandOutcome};
use super::connection::ConnectionState;
use super::error::SessionError;
use super::event::SessionEvent;
use super::time::Millis;
use crate::model::request::{DialogRequest, UserRequest};
use crate::model::{
    ApiError, Contact, Dialog, MediaPropertiesLayout, PhoneBook, Queue, ReasonCategory, ReasonCode,
    SystemInfo, Team, User, WrapUpReason,
};

/// Identifies one REST call the machine asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RestOpId(pub u64);

/// Identifies one timer the machine set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TimerId(pub u64);

/// A REST call for the driver to make on `node` (a host of the policy's node list).
#[derive(Debug, Clone, PartialEq)]
pub struct RestOp {
    pub id: RestOpId,
    pub node: String,
    pub request: RestRequest,
}

/// The REST calls the session makes. The REST client gives every PUT/POST a fresh
/// `requestId` and reports it in [`RestReply::Accepted`]; the resulting notification carries
/// it back.
#[derive(Debug, Clone, PartialEq)]
pub enum RestRequest {
    /// `GET /finesse/api/SystemInfo`.
    SystemInfo,
    /// `GET /finesse/api/User/{login}` where `login` may be a UCCE login name: the reply
    /// gives the `loginId` every later call uses.
    UserByLoginName {
        login: String,
    },
    /// `GET /finesse/api/User/{user_id}`.
    User {
        user_id: String,
    },
    /// `GET /finesse/api/User/{user_id}/Dialogs`.
    Dialogs {
        user_id: String,
    },
    /// `PUT /finesse/api/User/{user_id}` (also a supervisor acting on an agent).
    PutUser {
        user_id: String,
        body: UserRequest,
    },
    /// `POST /finesse/api/User/{user_id}/Dialogs`.
    PostDialog {
        user_id: String,
        body: DialogRequest,
    },
    /// `PUT /finesse/api/Dialog/{dialog_id}`.
    PutDialog {
        dialog_id: String,
        body: DialogRequest,
    },
    /// Look-ups name the user's team so the client can use the 12.5+ TeamResource API.
    ReasonCodes {
        user_id: String,
        team_id: Option<String>,
        category: ReasonCategory,
    },
    WrapUpReasons {
        user_id: String,
        team_id: Option<String>,
    },
    MediaPropertiesLayout {
        user_id: String,
        team_id: Option<String>,
    },
    PhoneBooks {
        user_id: String,
        team_id: Option<String>,
    },
    Contacts {
        phone_book_id: String,
    },
    Queues {
        user_id: String,
    },
    /// `GET /finesse/api/Team/{team_id}`.
    Team {
        team_id: String,
    },
}

/// A successful REST answer, typed by what was asked.
// Each reply is moved once from the driver into the machine; boxing would only add
// allocations.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum RestReply {
    SystemInfo(SystemInfo),
    User(User),
    Dialogs(Vec<Dialog>),
    /// `202 Accepted` for a PUT/POST, with the `requestId` it was sent with.
    Accepted {
        request_id: Option<String>,
    },
    ReasonCodes(Vec<ReasonCode>),
    WrapUpReasons(Vec<WrapUpReason>),
    MediaPropertiesLayout(MediaPropertiesLayout),
    PhoneBooks(Vec<PhoneBook>),
    Contacts(Vec<Contact>),
    Queues(Vec<Queue>),
    Team(Team),
}

/// How a REST call failed, as far as the session cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RestFailureKind {
    /// 401 `Authorization Failure`: the credentials are refused. Never retried.
    Authentication,
    /// 503 / `SERVER_OUT_OF_SERVICE`.
    OutOfService,
    /// Connection refused, DNS, TLS, timeout, 5xx: worth trying again later.
    Unreachable,
    /// Any other refusal (4xx with `ApiErrors`): the request itself is wrong.
    Rejected,
    /// The answer could not be read.
    Protocol,
}

/// A failed REST call.
#[derive(Debug, Clone, PartialEq)]
pub struct RestFailure {
    pub kind: RestFailureKind,
    pub status: Option<u16>,
    pub errors: Vec<ApiError>,
    /// A readable description (never contains credentials).
    pub message: String,
}

impl RestFailure {
    pub fn new(kind: RestFailureKind, message: impl Into<String>) -> Self {
        RestFailure {
            kind,
            status: None,
            errors: Vec::new(),
            message: message.into(),
        }
    }

    /// The session error this failure means for a command or a connection attempt.
    pub fn to_session_error(&self) -> SessionError {
        match self.kind {
            RestFailureKind::Authentication => SessionError::AuthenticationFailed {
                message: self.message.clone(),
            },
            RestFailureKind::OutOfService => SessionError::OutOfService {
                reason: self.message.clone(),
            },
            RestFailureKind::Unreachable => SessionError::Unreachable {
                message: self.message.clone(),
            },
            RestFailureKind::Rejected => SessionError::Rejected {
                status: self.status,
                errors: self.errors.clone(),
            },
            RestFailureKind::Protocol => SessionError::Protocol {
                message: self.message.clone(),
            },
        }
    }
}

/// Why an XMPP connection could not be opened (or a subscription changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkFailureKind {
    /// SASL refused the credentials. Never retried.
    Authentication,
    /// `<conflict/>`: the identity is in use by another session.
    SignedInElsewhere,
    /// No transport worked, or the server did not complete the session: try again later.
    Unreachable,
    /// The server answered a pub-sub request with an error (unknown node, not allowed).
    Refused,
}

/// A failed XMPP connect or pub-sub request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkFailure {
    pub kind: LinkFailureKind,
    pub message: String,
}

impl LinkFailure {
    pub fn new(kind: LinkFailureKind, message: impl Into<String>) -> Self {
        LinkFailure {
            kind,
            message: message.into(),
        }
    }
}

/// Why a working XMPP connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkLoss {
    /// `<conflict/>`: another session took over the identity.
    SignedInElsewhere,
    PingTimeout,
    SocketClosed,
    /// A stream error or protocol violation, with its description.
    StreamError(String),
    /// Closed by this client.
    ClientClosed,
}

impl LinkLoss {
    fn describe(&self) -> String {
        match self {
            LinkLoss::SignedInElsewhere => "signed in elsewhere".to_owned(),
            LinkLoss::PingTimeout => "the notification service stopped answering pings".to_owned(),
            LinkLoss::SocketClosed => "the notification connection was closed".to_owned(),
            LinkLoss::StreamError(text) => format!("notification stream error: {text}"),
            LinkLoss::ClientClosed => "the notification connection was closed locally".to_owned(),
        }
    }

    /// The error a lost link means for the connection state.
    pub fn to_session_error(&self) -> SessionError {
        match self {
            LinkLoss::SignedInElsewhere => SessionError::SignedInElsewhere,
            other => SessionError::Unreachable {
                message: other.describe(),
            },
        }
    }
}

/// Where and as whom to open the XMPP connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmppTarget {
    /// The node host (also where the transports point).
    pub node: String,
    /// `xmppDomain` from SystemInfo (the node's FQDN), or the host when SystemInfo had none.
    pub domain: String,
    /// `xmppPubSubDomain`, or `pubsub.<domain>`.
    pub pubsub_domain: String,
    /// The agent id (`loginId`); the XMPP client lower-cases it for the JID.
    pub user_id: String,
}

/// Something that happened, for the machine to react to.
// Inputs are moved once into the machine; boxing the large ones would only add allocations.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Begin connecting.
    Start,
    /// A caller's command.
    Command {
        id: CommandId,
        command: Command,
    },
    /// A REST call finished.
    RestDone {
        op: RestOpId,
        result: Result<RestReply, RestFailure>,
    },
    /// XMPP is up and `finesse@<domain>` is present.
    XmppConnected,
    XmppConnectFailed(LinkFailure),
    /// A `<message>` stanza as received.
    XmppMessage(Element),
    /// `finesse@<domain>` presence changed (unavailable: the Finesse web app is down).
    FinessePresence {
        available: bool,
    },
    XmppDisconnected(LinkLoss),
    /// A pub-sub subscribe (`subscribed == true`) or unsubscribe finished.
    SubscriptionDone {
        node: String,
        subscribed: bool,
        result: Result<(), LinkFailure>,
    },
    TimerFired(TimerId),
    /// Leave: unsubscribe explicit nodes and close XMPP (the agent stays signed in).
    Shutdown,
    /// Something suggests the link may have died without a word (the host woke from sleep,
    /// the network changed, a request could not reach the node): check it now instead of
    /// waiting for a ping to fail.
    CheckLink(LinkCheckReason),
    /// The answer to [`Effect::CheckXmpp`]: whether the notification service answered.
    XmppChecked {
        alive: bool,
    },
    /// The presence-only standby connection (see [`Effect::ConnectStandby`]) is up.
    StandbyConnected,
    StandbyConnectFailed(LinkFailure),
    /// The standby connection ended.
    StandbyLost(LinkLoss),
}

/// Why the link is checked out of turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum LinkCheckReason {
    /// The wall clock jumped ahead of the monotonic clock: the host was suspended.
    Woke { slept_ms: u64 },
    /// The host's addresses or routes changed (Wi-Fi switch, VPN up or down, cable).
    NetworkChanged,
    /// The application asked (an OS resume or network notification it received).
    Requested,
    /// A request to the node failed for want of a connection while the link looked up.
    RequestFailed,
}

impl LinkCheckReason {
    /// A stable snake_case name.
    pub fn name(&self) -> &'static str {
        match self {
            LinkCheckReason::Woke { .. } => "woke",
            LinkCheckReason::NetworkChanged => "network_changed",
            LinkCheckReason::Requested => "requested",
            LinkCheckReason::RequestFailed => "request_failed",
        }
    }
}

/// Something the driver must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Rest(RestOp),
    ConnectXmpp(XmppTarget),
    DisconnectXmpp,
    Subscribe {
        node: String,
    },
    Unsubscribe {
        node: String,
    },
    /// Fire [`Input::TimerFired`] at `at` (replaces a timer with the same id).
    SetTimer {
        id: TimerId,
        at: Millis,
    },
    CancelTimer {
        id: TimerId,
    },
    /// Broadcast to event subscribers.
    Publish(SessionEvent),
    /// The new connection state for the `watch` channel.
    Connection(ConnectionState),
    /// Hand a command's result to its caller.
    CommandDone {
        id: CommandId,
        result: Result<CommandOutcome, SessionError>,
    },
    /// Send one XEP-0199 ping on the current XMPP connection now and answer with
    /// [`Input::XmppChecked`].
    CheckXmpp,
    /// Open a second, presence-only XMPP connection (its own resource) to a node the
    /// session left while that node may still be alive: Finesse there forces the agent out
    /// 60 s after their presence went away unless a session of theirs comes back. Its
    /// events are not used. Replaces any standby connection.
    ConnectStandby(XmppTarget),
    DisconnectStandby,
}
