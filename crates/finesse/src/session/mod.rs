//! The agent session: a pure state machine ([`SessionMachine`]) that carries the logic, and
//! a thin async driver ([`Session`]) that performs its effects with the REST and XMPP
//! clients and tokio timers.
//!
//! Start-up follows finesse-protocol.md §13.1: SystemInfo (must be IN_SERVICE) → XMPP (with
//! `finesse@` present) → User and Dialogs → reconcile → connected. Commands are PUT/POSTed
//! with a `requestId` and resolve when the event carrying it arrives (or its `apiErrors`, or
//! any event that makes the outcome true), or time out. While not connected, commands are
//! refused at once with `not_connected` — never queued.
//!
//! Keeping the agent signed in (finesse-protocol.md §10): a dead link is found by a socket
//! close, two unanswered pings (18 s at worst with the defaults), `finesse@` going away,
//! SystemInfo OUT_OF_SERVICE or a 503 — and at once after the host slept or its network
//! changed. The session retries the same node with short backoff and jitter, asks the
//! other node as soon as the current one cannot serve and moves there when it can, keeps
//! presence on the node it left so that node does not force the agent out 60 s later,
//! recognises late and repeated events, and re-reads User and Dialogs after every
//! reconnect. A refused password, or `<conflict/>`, ends it without another try. States
//! the system forced on the agent are published in plain words
//! ([`SessionEvent::StateForced`]), a long outage as [`SessionEvent::ReconnectStruggling`],
//! the end of one as [`SessionEvent::Reconnected`].
mod backoff;
mod command;
mod connection;
mod driver;
mod error;
mod event;
mod io;
mod machine;
mod policy;
mod system_reason;
mod time;

pub use backoff::{Backoff, JitterSource};
pub use command::{AgentChoices, Command, CommandId, CommandOutcome, StateChoice};
pub use connection::ConnectionState;
pub use driver::{
    Session, SessionConfig, TransportTemplate, WallClock, XmppTransports, WAKE_THRESHOLD,
};
pub use error::{ErrorBody, SessionError};
pub use event::{AppliedChoice, SessionEvent};
pub use io::{
    Effect, Input, LinkCheckReason, LinkFailure, LinkFailureKind, LinkLoss, RestFailure,
    RestFailureKind, RestOp, RestOpId, RestReply, RestRequest, TimerId, XmppTarget,
};
pub use machine::{MachineConfig, SessionMachine};
pub use policy::{SessionPolicy, SlowRetry};
pub use system_reason::{explain_system_reason, SystemReason};
pub use time::Millis;
