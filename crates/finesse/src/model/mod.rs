//! Typed Finesse objects: tolerant readers and strict request writers.
//!
//! Readers accept what real Finesse servers send, which is looser than the documentation: root
//! and child names in any ASCII case (`<User>`/`<user>`, `<ReasonCode>`/`<reasonCode>`), any
//! element order, unknown elements, and empty elements meaning "absent". Only a missing
//! *essential* field (a Dialog without an id, a User without an identity or state) is an error.
//! Unknown enumeration values are kept verbatim in an `Other(..)` variant.
//!
//! Writers in [`request`] emit exactly the documented request bodies, in the documented order.

mod wire;

mod action;
mod agent_state;
mod api_error;
mod dialog;
mod error;
mod layout;
mod phone_book;
mod queue;
mod read;
mod reason_code;
pub mod request;
mod snapshot;
mod system_info;
mod team;
mod time;
mod user;

pub(crate) use wire::wire_enum;

pub use action::Action;
pub use agent_state::AgentState;
pub use api_error::{ApiError, ApiErrors};
pub use dialog::{
    CallType, CallVariable, Dialog, DialogState, MediaProperties, Participant, ParticipantState,
    ScheduledCallbackInfo,
};
pub use error::ModelError;
pub use layout::{LayoutEntry, MediaPropertiesLayout};
pub use phone_book::{Contact, PhoneBook, PhoneBookType};
pub use queue::{Queue, QueueStatistics};
pub use read::FromXml;
pub use reason_code::{ReasonCategory, ReasonCode, WrapUpReason};
pub use snapshot::Snapshot;
pub use system_info::{CtiServer, DeploymentType, NodeInfo, SystemInfo, SystemStatus};
pub use team::{Team, TeamMember};
pub use time::parse_timestamp;
pub use user::{
    Device, DeviceSelection, MobileAgent, MobileAgentMode, Role, TeamRef, User, UserSettings,
    WrapUpMode,
};
