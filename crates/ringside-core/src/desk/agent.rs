//! The agent bar: who, on which extension, in which state since when, and what is pending.
use finesse::model::{AgentState, DeploymentType, User};

use super::clock::ServerClock;
use super::lookups::DeskLookups;
use super::reasons::{current_reason, requested_reason_label};
use super::requests::StateRequest;
use super::view::{AgentStateKind, AgentView, MobileAgentView, PendingStateView};

impl From<&AgentState> for AgentStateKind {
    fn from(state: &AgentState) -> Self {
        match state {
            AgentState::Logout => AgentStateKind::LoggedOut,
            AgentState::NotReady => AgentStateKind::NotReady,
            AgentState::Ready => AgentStateKind::Ready,
            AgentState::Reserved
            | AgentState::ReservedOutbound
            | AgentState::ReservedOutboundPreview => AgentStateKind::Reserved,
            AgentState::Talking => AgentStateKind::Talking,
            AgentState::Hold => AgentStateKind::Hold,
            AgentState::Work => AgentStateKind::Work,
            AgentState::WorkReady => AgentStateKind::WorkReady,
            AgentState::Login | AgentState::Unknown | AgentState::Other(_) => {
                AgentStateKind::Unknown
            }
        }
    }
}

impl AgentStateKind {
    /// The English word for the state (tooltips, notifications; the UI has its own strings).
    pub fn label(self) -> &'static str {
        match self {
            AgentStateKind::LoggedOut => "Logged out",
            AgentStateKind::NotReady => "Not Ready",
            AgentStateKind::Ready => "Ready",
            AgentStateKind::Reserved => "Reserved",
            AgentStateKind::Talking => "Talking",
            AgentStateKind::Hold => "On hold",
            AgentStateKind::Work | AgentStateKind::WorkReady => "Wrap-up",
            AgentStateKind::Unknown => "Unknown",
        }
    }

    /// Wrap-up after a call (WORK or WORK_READY).
    pub fn is_wrap_up(self) -> bool {
        matches!(self, AgentStateKind::Work | AgentStateKind::WorkReady)
    }
}

/// The states the agent may ask for now (Finesse's rules for an agent changing their own
/// state, finesse-protocol.md §3.3). From a call they become the *pending* state.
pub(super) fn allowed_states(
    state: &AgentState,
    deployment: Option<&DeploymentType>,
) -> Vec<AgentStateKind> {
    let uccx = deployment == Some(&DeploymentType::Uccx);
    let (ready, not_ready, logout) = match state {
        AgentState::NotReady => (true, true, true),
        // UCCX lets an agent log out straight from Ready; UCCE wants Not Ready first.
        AgentState::Ready => (false, true, uccx),
        AgentState::Work | AgentState::WorkReady => (true, true, false),
        // Pending changes; UCCX refuses a pending Ready (CF_INVALID_AGENT_WORKMODE).
        AgentState::Talking | AgentState::Hold | AgentState::ReservedOutboundPreview => {
            (!uccx, true, true)
        }
        // UCCE lets an agent leave an outbound reservation; UCCX does not.
        AgentState::ReservedOutbound => (!uccx, !uccx, false),
        _ => (false, false, false),
    };
    [
        (ready, AgentStateKind::Ready),
        (not_ready, AgentStateKind::NotReady),
        (logout, AgentStateKind::LoggedOut),
    ]
    .into_iter()
    .filter_map(|(allowed, kind)| allowed.then_some(kind))
    .collect()
}

/// Everything the agent bar is drawn from.
pub(super) struct AgentInputs<'a> {
    pub(super) user: &'a User,
    pub(super) lookups: &'a DeskLookups,
    pub(super) deployment: Option<&'a DeploymentType>,
    pub(super) clock: ServerClock,
    /// The state change in flight.
    pub(super) requested: Option<&'a StateRequest>,
    /// The agent's last state request, which names the reason of a pending state.
    pub(super) last_request: Option<&'a StateRequest>,
    /// When this desk first saw the current state (for servers that send no change time).
    pub(super) state_seen_at: Option<i64>,
    pub(super) now_ms: i64,
}

pub(super) fn agent_view(inputs: &AgentInputs<'_>) -> AgentView {
    let user = inputs.user;
    let state = AgentStateKind::from(&user.state);
    let state_since = user
        .state_changed_at()
        .map(|at| inputs.clock.to_local(at))
        .or(inputs.state_seen_at)
        // A change stamped ahead of this clock (offset not measured yet) still starts at 0:00.
        .map(|since| since.min(inputs.now_ms));
    AgentView {
        id: user.login_id.clone(),
        login_name: user.login_name.clone(),
        name: user.full_name(),
        extension: user.extension.clone(),
        is_supervisor: user.is_supervisor(),
        state,
        reason: current_reason(user, state, inputs.lookups, inputs.deployment),
        state_since,
        pending: pending_state(user, inputs),
        requested: inputs.requested.map(|r| r.state),
        allowed_states: allowed_states(&user.state, inputs.deployment),
        mobile_agent: user.mobile_agent.as_ref().map(|ma| MobileAgentView {
            mode: ma.mode.as_str().to_owned(),
            dial_number: ma.dial_number.clone(),
        }),
    }
}

fn pending_state(user: &User, inputs: &AgentInputs<'_>) -> Option<PendingStateView> {
    let state = AgentStateKind::from(user.pending_state.as_ref()?);
    if state == AgentStateKind::Unknown {
        return None;
    }
    // Finesse does not say which reason a pending state carries; the agent's own request does.
    let reason_label = inputs
        .last_request
        .filter(|request| request.state == state)
        .and_then(|request| request.reason_id.as_deref())
        .and_then(|id| requested_reason_label(state, id, inputs.lookups));
    Some(PendingStateView {
        state,
        reason_label,
    })
}
