//! The center's mutable state: agents at run time and their status.
use serde::Serialize;

use super::api::{CallId, NodeId};
use crate::clock::SimTime;
use crate::config::{ReasonCategory, WrapUpMode};

/// A user (agent) state as Finesse reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AgentState {
    Logout,
    NotReady,
    Ready,
    Reserved,
    Talking,
    Hold,
    Work,
    WorkReady,
}

impl AgentState {
    pub fn as_str(self) -> &'static str {
        match self {
            AgentState::Logout => "LOGOUT",
            AgentState::NotReady => "NOT_READY",
            AgentState::Ready => "READY",
            AgentState::Reserved => "RESERVED",
            AgentState::Talking => "TALKING",
            AgentState::Hold => "HOLD",
            AgentState::Work => "WORK",
            AgentState::WorkReady => "WORK_READY",
        }
    }

    pub(crate) fn is_wrap_up(self) -> bool {
        matches!(self, AgentState::Work | AgentState::WorkReady)
    }
}

/// Mobile Agent connection modes (UCCE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MobileMode {
    /// The agent's remote phone is dialed for every call delivered.
    CallByCall,
    /// The remote phone is dialed once at sign-in and stays connected until sign-out;
    /// calls are delivered over that connection.
    NailedConnection,
}

impl MobileMode {
    pub fn as_str(self) -> &'static str {
        match self {
            MobileMode::CallByCall => "CALL_BY_CALL",
            MobileMode::NailedConnection => "NAILED_CONNECTION",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "CALL_BY_CALL" => Some(MobileMode::CallByCall),
            "NAILED_CONNECTION" => Some(MobileMode::NailedConnection),
            _ => None,
        }
    }
}

/// A reason code as applied to an agent (configured or system).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reason {
    pub id: String,
    pub code: i64,
    pub label: String,
    pub category: ReasonCategory,
    pub for_all: bool,
    pub system: bool,
}

/// A state with the reason that goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Status {
    pub state: AgentState,
    pub reason: Option<Reason>,
}

impl Status {
    pub fn new(state: AgentState, reason: Option<Reason>) -> Self {
        Status { state, reason }
    }

    pub fn plain(state: AgentState) -> Self {
        Status {
            state,
            reason: None,
        }
    }
}

/// What an agent returns to once the calls of a busy period are over.
#[derive(Debug, Clone)]
pub(crate) struct BusyPeriod {
    /// The status before the first call of the period (READY for routed deliveries).
    pub return_to: Status,
    /// Wrap-up mode earned by a connected call (inbound routed or outbound).
    pub wrap_mode: Option<WrapUpMode>,
    /// The call whose dialog stays in WRAP_UP while the agent wraps up.
    pub wrap_call: Option<CallId>,
}

/// An agent in WORK / WORK_READY.
#[derive(Debug, Clone)]
pub(crate) struct WrapUp {
    /// When the wrap-up timer expires (`None`: no timer).
    pub until: Option<SimTime>,
    /// The status the agent moves to when the timer expires.
    pub then: Status,
}

/// A signed-in Mobile Agent.
#[derive(Debug, Clone)]
pub(crate) struct MobileAgent {
    pub mode: MobileMode,
    pub dial_number: String,
    /// Mobile-agent details are only known on the node the agent signed in on (§3.1).
    pub node: NodeId,
    /// How often the agent's dial number has been called since sign-in.
    pub dial_outs: u32,
}

/// An agent at run time (index-aligned with the configured agents).
#[derive(Debug, Clone)]
pub(crate) struct AgentRt {
    pub status: Status,
    /// `None` until the first change (Finesse leaves `stateChangeTime` empty then).
    pub state_changed: Option<SimTime>,
    pub pending: Option<Status>,
    pub extension: Option<String>,
    pub active_device: Option<String>,
    pub mobile: Option<MobileAgent>,
    /// When the agent last became READY (longest-available routing).
    pub ready_since: SimTime,
    pub busy: Option<BusyPeriod>,
    pub wrap_up: Option<WrapUp>,
    pub failed_logins: u32,
    pub locked_until: Option<SimTime>,
    /// Per node: when the presence-driven forced logout fires.
    pub presence_deadline: [Option<SimTime>; 2],
}

impl AgentRt {
    pub fn logged_out() -> Self {
        AgentRt {
            status: Status::plain(AgentState::Logout),
            state_changed: None,
            pending: None,
            extension: None,
            active_device: None,
            mobile: None,
            ready_since: SimTime(0),
            busy: None,
            wrap_up: None,
            failed_logins: 0,
            locked_until: None,
            presence_deadline: [None, None],
        }
    }

    pub fn state(&self) -> AgentState {
        self.status.state
    }

    pub fn signed_in(&self) -> bool {
        self.status.state != AgentState::Logout
    }
}
