//! Finesse's supervisor rules (finesse-protocol.md §3.3 and §6.3) as pure functions: which
//! actions a row offers, which session command carries each one, and which event confirms it.
use finesse::model::{Action, AgentState, DeploymentType, TeamMember};
use finesse::session::Command;

use super::supervisor::{MonitoredCall, SupervisorContext};
use super::view::TeamAction;

/// The actions a supervisor may take on `member` now, in menu order.
///
/// - Ready: from Not Ready or wrap-up (WORK, WORK_READY).
/// - Not Ready (never with a reason: Finesse applies its own supervisor code): only from
///   READY, WORK or WORK_READY — so never from Talking, Hold or Reserved.
/// - Sign out: from READY, NOT_READY, RESERVED*, TALKING, HOLD, WORK, WORK_READY.
/// - Silent monitor: agent TALKING (on UCCX also NOT_READY on a non-ACD call, `mediaState`
///   BUSY), the supervisor signed in, NOT_READY and not already monitoring.
/// - Barge in: only on the agent the supervisor is monitoring, when the monitor call offers it.
/// - Drop participant (UCCE): the agent is in the conference the supervisor barged into and
///   the supervisor's leg offers PARTICIPANT_DROP.
/// - End monitoring: the supervisor's monitor or barge call on this agent offers DROP.
///
/// Nothing is offered while disconnected, or on the supervisor's own row (the agent bar is
/// for that).
pub fn allowed_actions(member: &TeamMember, supervisor: &SupervisorContext) -> Vec<TeamAction> {
    let mut actions = Vec::new();
    if !supervisor.connected || supervisor.is_self(&member.login_id) {
        return actions;
    }
    let state = &member.state;
    if matches!(
        state,
        AgentState::NotReady | AgentState::Work | AgentState::WorkReady
    ) {
        actions.push(TeamAction::MakeReady);
    }
    if matches!(
        state,
        AgentState::Ready | AgentState::Work | AgentState::WorkReady
    ) {
        actions.push(TeamAction::MakeNotReady);
    }
    if may_sign_out_from(state) {
        actions.push(TeamAction::SignOut);
    }
    let extension = member_extension(member);
    match (&supervisor.monitoring, extension) {
        (None, Some(_)) if may_be_monitored(member, supervisor) => {
            actions.push(TeamAction::SilentMonitor)
        }
        (Some(call), Some(extension)) => {
            actions.extend(monitor_actions(call, extension, supervisor))
        }
        _ => {}
    }
    actions
}

/// States a supervisor may sign an agent out from.
fn may_sign_out_from(state: &AgentState) -> bool {
    matches!(
        state,
        AgentState::Ready
            | AgentState::NotReady
            | AgentState::Reserved
            | AgentState::ReservedOutbound
            | AgentState::ReservedOutboundPreview
            | AgentState::Talking
            | AgentState::Hold
            | AgentState::Work
            | AgentState::WorkReady
    )
}

fn may_be_monitored(member: &TeamMember, supervisor: &SupervisorContext) -> bool {
    if supervisor.extension.is_none() || supervisor.state.as_ref() != Some(&AgentState::NotReady) {
        return false;
    }
    match member.state {
        AgentState::Talking => true,
        // A UCCX agent on a non-ACD call stays NOT_READY with mediaState BUSY.
        AgentState::NotReady => {
            supervisor.deployment == Some(DeploymentType::Uccx)
                && member
                    .media_state
                    .as_deref()
                    .is_some_and(|m| m.eq_ignore_ascii_case("BUSY"))
        }
        _ => false,
    }
}

fn monitor_actions(
    call: &MonitoredCall,
    extension: &str,
    supervisor: &SupervisorContext,
) -> Vec<TeamAction> {
    let mut actions = Vec::new();
    let on_this_agent = call.agent_extension == extension;
    if on_this_agent && !call.barged && call.actions.contains(&Action::BargeCall) {
        actions.push(TeamAction::BargeIn);
    }
    if call.barged
        && supervisor.deployment != Some(DeploymentType::Uccx)
        && call.actions.contains(&Action::ParticipantDrop)
        && call.participants.iter().any(|p| p == extension)
    {
        actions.push(TeamAction::DropParticipant);
    }
    if on_this_agent && call.actions.contains(&Action::Drop) {
        actions.push(TeamAction::EndMonitoring);
    }
    actions
}

/// The member's extension, if it has a usable one.
pub(super) fn member_extension(member: &TeamMember) -> Option<&str> {
    member
        .extension
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
}

/// The session command that performs `action` on `member`. `None` when the context no longer
/// has what the command needs (no extension, no monitor call).
pub(super) fn command_for(
    action: TeamAction,
    member: &TeamMember,
    supervisor: &SupervisorContext,
) -> Option<Command> {
    let agent_state = |state: AgentState| Command::ChangeAgentState {
        agent_id: member.login_id.clone(),
        state,
        // Never a reason: Finesse answers 400 Invalid Input and applies its own code.
        reason_code_id: None,
    };
    let extension = member_extension(member).map(str::to_owned);
    let monitoring = supervisor.monitoring.as_ref();
    Some(match action {
        TeamAction::MakeReady => agent_state(AgentState::Ready),
        TeamAction::MakeNotReady => agent_state(AgentState::NotReady),
        TeamAction::SignOut => agent_state(AgentState::Logout),
        TeamAction::SilentMonitor => Command::SilentMonitor {
            agent_extension: extension?,
        },
        TeamAction::BargeIn => Command::BargeCall {
            monitor_dialog_id: monitoring?.dialog_id.clone(),
            agent_extension: extension?,
        },
        TeamAction::DropParticipant => Command::ParticipantDrop {
            dialog_id: monitoring?.dialog_id.clone(),
            media_address: extension?,
        },
        TeamAction::EndMonitoring => Command::Drop {
            dialog_id: monitoring?.dialog_id.clone(),
        },
    })
}

/// Whether `member` (as the latest event shows it) confirms a state action. Finesse makes a
/// change asked for during a call pending, so the pending state counts too.
pub(super) fn member_confirms(action: TeamAction, member: &TeamMember) -> bool {
    let target = match action {
        TeamAction::MakeReady => AgentState::Ready,
        TeamAction::MakeNotReady => AgentState::NotReady,
        TeamAction::SignOut => AgentState::Logout,
        _ => return false,
    };
    member.state == target || member.pending_state.as_ref() == Some(&target)
}

/// Whether the supervisor's calls (as the latest snapshot shows them) confirm a monitor
/// action on the agent on `extension`.
pub(super) fn supervisor_confirms(
    action: TeamAction,
    extension: Option<&str>,
    supervisor: &SupervisorContext,
) -> bool {
    let Some(extension) = extension else {
        return false;
    };
    let on_agent = supervisor
        .monitoring
        .as_ref()
        .filter(|call| call.agent_extension == extension);
    match action {
        TeamAction::SilentMonitor => on_agent.is_some_and(|call| !call.barged),
        TeamAction::BargeIn => on_agent.is_some_and(|call| call.barged),
        TeamAction::EndMonitoring => on_agent.is_none(),
        TeamAction::DropParticipant => !supervisor
            .monitoring
            .as_ref()
            .is_some_and(|call| call.barged && call.participants.iter().any(|p| p == extension)),
        TeamAction::MakeReady | TeamAction::MakeNotReady | TeamAction::SignOut => false,
    }
}
