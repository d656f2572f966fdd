//! The view model the UI, the tray and notifications all read.
//!
//! These types cross into TypeScript: `ts-rs` generates `ui/src/lib/generated/*.ts` from
//! them. `tests/bindings.rs` fails on drift; `RINGSIDE_UPDATE_BINDINGS=1 cargo test -p
//! ringside-core --test bindings` rewrites the files.
//! Times are Unix milliseconds already corrected for the client/server clock drift, so the
//! UI only subtracts `now` to draw timers.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Everything the main window shows, as one value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DeskView {
    pub connection: ConnectionView,
    /// Absent until signed in to Finesse.
    pub agent: Option<AgentView>,
    /// One card per dialog, ringing first, then active, then held.
    pub calls: Vec<CallView>,
    pub wrap_up: Option<WrapUpView>,
    pub alerts: Vec<AlertView>,
}

/// Connection health, shown as the banner when not `connected`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectionView {
    pub status: ConnectionStatus,
    /// Host of the Finesse node in use or being tried.
    pub node: Option<String>,
    /// When the current status began (Unix ms).
    #[ts(type = "number | null")]
    pub since: Option<i64>,
    /// Reconnect attempt number, when reconnecting.
    pub attempt: Option<u32>,
    /// Why, as a stable code the UI words (e.g. `ping_timeout`, `out_of_service`).
    pub reason_code: Option<String>,
    /// A plain-words detail from the server, when it gave one.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ConnectionStatus {
    #[default]
    SignedOut,
    Connecting,
    Connected,
    Reconnecting,
    OutOfService,
    SignedInElsewhere,
    Failed,
}

/// The agent bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AgentView {
    pub id: String,
    pub login_name: Option<String>,
    pub name: String,
    pub extension: Option<String>,
    pub is_supervisor: bool,
    pub state: AgentStateKind,
    /// Reason for Not Ready / Logout, with its label.
    pub reason: Option<ReasonView>,
    /// When the agent entered the current state (Unix ms).
    #[ts(type = "number | null")]
    pub state_since: Option<i64>,
    /// What the agent becomes when the current call ends.
    pub pending: Option<PendingStateView>,
    /// A state change in flight (spinner on the switch).
    pub requested: Option<AgentStateKind>,
    /// What the state switch may offer now (`ready`, `notReady`, `loggedOut`), by Finesse's
    /// rules for the current state; during a call the choice becomes the pending state.
    pub allowed_states: Vec<AgentStateKind>,
    pub mobile_agent: Option<MobileAgentView>,
}

/// Agent states as the UI draws them (colour, icon, word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AgentStateKind {
    LoggedOut,
    NotReady,
    Ready,
    Reserved,
    Talking,
    Hold,
    /// Wrap-up that ends in Not Ready (Finesse WORK).
    Work,
    /// Wrap-up that ends in Ready (Finesse WORK_READY).
    WorkReady,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReasonView {
    /// Finesse reason code id (what is sent back), when it is a configured code.
    pub id: Option<String>,
    /// The CTI code (e.g. 32767 for ring-no-answer).
    pub code: Option<u32>,
    pub label: String,
    pub system: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PendingStateView {
    pub state: AgentStateKind,
    pub reason_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MobileAgentView {
    /// `CALL_BY_CALL` or `NAILED_CONNECTION`.
    pub mode: String,
    pub dial_number: String,
}

/// One call card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CallView {
    pub id: String,
    pub direction: CallDirection,
    /// The other party as the agent thinks of it (caller for inbound, callee for outbound);
    /// empty when the number is withheld.
    pub other_party: String,
    pub dialed_number: Option<String>,
    /// Finesse callType, e.g. `ACD_IN`.
    pub call_type: Option<String>,
    pub state: CallState,
    /// When the call entered its current state for this agent (Unix ms).
    #[ts(type = "number | null")]
    pub state_since: Option<i64>,
    /// When the call started (Unix ms).
    #[ts(type = "number | null")]
    pub started: Option<i64>,
    /// What Finesse allows this agent to do now, from the participant's `actions`.
    pub actions: Vec<CallAction>,
    pub participants: Vec<ParticipantView>,
    /// Call variables and ECC labelled by the server's layout, in layout order.
    pub call_data: Vec<CallDataItem>,
    /// An action in flight on this call (spinner on its button).
    pub pending_action: Option<CallAction>,
    /// A supervisor's silent-monitor call.
    pub is_monitoring: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CallDirection {
    Inbound,
    Outbound,
    Internal,
    Consult,
    Monitor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CallState {
    Ringing,
    Dialing,
    Active,
    Held,
    Failed,
    Ended,
}

/// Call-control actions, named as the UI offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CallAction {
    Answer,
    Hold,
    Retrieve,
    Drop,
    SendDtmf,
    ConsultCall,
    Transfer,
    TransferSst,
    Conference,
    ParticipantDrop,
    UpdateCallData,
    BargeCall,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ParticipantView {
    pub address: String,
    pub state: String,
    pub is_me: bool,
    /// Another agent's device (not the customer).
    pub is_agent: bool,
}

/// One row of call data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CallDataItem {
    /// The media property (e.g. `callVariable1`, `user.cisco.acctnum`).
    pub key: String,
    /// The layout's label, or the key when the layout has none.
    pub label: String,
    /// The label cut after 15 characters with `…` for display (full label in `label`).
    pub short_label: String,
    pub value: String,
    /// Shown in the incoming-call pop-up.
    pub in_pop_up: bool,
}

/// The wrap-up panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WrapUpView {
    /// The dialog the wrap-up reason is written to.
    pub dialog_id: Option<String>,
    /// When wrap-up ends by itself (Unix ms), when the server has a timer.
    #[ts(type = "number | null")]
    pub deadline: Option<i64>,
    pub reason: Option<String>,
    /// What the agent becomes when wrap-up ends.
    pub then: AfterWrapUp,
    /// Whether a reason must be chosen (`REQUIRED` settings).
    pub reason_required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AfterWrapUp {
    Ready,
    NotReady,
}

/// A message for the agent (errors of requests, forced logouts, long Not Ready …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AlertView {
    /// Counts up from 1 per desk; what `dismiss_alert` takes back.
    #[ts(type = "number")]
    pub id: u64,
    pub level: AlertLevel,
    /// Stable code the UI words; `message` is the English fallback.
    pub code: String,
    pub message: String,
    #[ts(type = "number")]
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AlertLevel {
    Info,
    Warning,
    Error,
}

/// A user-facing error: `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UiError {
    pub code: String,
    pub message: String,
}
