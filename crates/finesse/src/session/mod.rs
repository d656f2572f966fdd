//! The agent session: a pure state machine ([`SessionMachine`]) that carries the logic, and
//! a thin async driver ([`Session`]) that performs its effects with the REST and XMPP
//! clients and tokio timers.
//!
//! Start-up follows finesse-protocol.md §13.1: SystemInfo (must be IN_SERVICE) → XMPP (with
//! `finesse@` present) → User and Dialogs → reconcile → connected. Commands are PUT/POSTed
//! with a `requestId` and resolve when the event carrying it arrives (or its `apiErrors`, or
//! any event that makes the outcome true), or time out. While not connected, commands are
//! refused at once with `not_connected` — never queued.
mod backoff;
mod command;
mod connection;
mod driver;
mod error;
mod event;
mod io;
mod machine;
mod policy;
mod time;

pub use backoff::{Backoff, JitterSource};
pub use command::{AgentChoices, Command, CommandId, CommandOutcome, StateChoice};
pub use connection::ConnectionState;
pub use driver::{Session, SessionConfig, TransportTemplate, XmppTransports};
pub use error::{ErrorBody, SessionError};
pub use event::{AppliedChoice, SessionEvent};
pub use io::{
    Effect, Input, LinkFailure, LinkFailureKind, LinkLoss, RestFailure, RestFailureKind, RestOp,
    RestOpId, RestReply, RestRequest, TimerId, XmppTarget,
};
pub use machine::{MachineConfig, SessionMachine};
pub use policy::SessionPolicy;
pub use time::Millis;
