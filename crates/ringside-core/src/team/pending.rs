//! Actions in flight on an agent, and the words for the ones that failed.
//!
//! An action stays pending until Finesse's event shows its effect (the agent's state, or the
//! supervisor's monitor call), the session reports the command done or failed, or — as a
//! safety net — the policy's timeout passes.
use finesse::model::ApiError;
use finesse::session::SessionError;

use crate::desk::UiError;

use super::view::TeamAction;

/// An action waiting for its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PendingAction {
    pub action: TeamAction,
    /// After this (Unix ms) the row shows "no answer" instead of a spinner.
    pub deadline: i64,
}

/// Error codes the Team view words (`team.error.<code>` in the UI's locales).
pub mod codes {
    /// Finesse answered that the agent is not in a team this supervisor supervises.
    pub const NOT_YOUR_AGENT: &str = "team_not_your_agent";
    /// The agent's state does not allow the change (Finesse `Invalid State`).
    pub const INVALID_STATE: &str = "team_invalid_state";
    /// CTI refused to monitor: the agent is not talking (UCCE 13145, UCCX 88049).
    pub const MONITOR_REFUSED: &str = "team_monitor_refused";
    /// No event and no error arrived within the policy's timeout.
    pub const NO_ANSWER: &str = "team_no_answer";
    /// Finesse refused for another reason (its words are in the message).
    pub const REJECTED: &str = "team_rejected";
}

/// CTI error numbers for "the agent cannot be monitored in this state".
const MONITOR_REFUSALS: [i64; 2] = [13145, 88049];

/// Words for Finesse's errors about an action (synchronous or `apiErrors`).
pub(super) fn describe_api_errors(errors: &[ApiError]) -> UiError {
    let first = errors.first();
    let error_type = first
        .and_then(|e| e.error_type.as_deref())
        .unwrap_or("")
        .trim();
    let code = if first
        .and_then(ApiError::error_code)
        .is_some_and(|n| MONITOR_REFUSALS.contains(&n))
    {
        codes::MONITOR_REFUSED
    } else if error_type.eq_ignore_ascii_case("Invalid Supervisor") {
        codes::NOT_YOUR_AGENT
    } else if error_type.eq_ignore_ascii_case("Invalid State") {
        codes::INVALID_STATE
    } else {
        codes::REJECTED
    };
    let details: Vec<String> = errors.iter().map(ToString::to_string).collect();
    UiError {
        code: code.to_owned(),
        message: if details.is_empty() {
            "Finesse refused the request".to_owned()
        } else {
            format!("Finesse refused the request: {}", details.join("; "))
        },
    }
}

/// Words for a failed session command.
pub(super) fn describe_session_error(error: &SessionError) -> UiError {
    match error {
        SessionError::Rejected { errors, .. } => describe_api_errors(errors),
        other => UiError {
            code: other.code().to_owned(),
            message: other.to_string(),
        },
    }
}

pub(super) fn no_answer(action: TeamAction) -> UiError {
    UiError {
        code: codes::NO_ANSWER.to_owned(),
        message: format!("no answer from Finesse to {action:?}"),
    }
}

/// Monitor actions are confirmed by the supervisor's own calls, not by the agent's state.
pub(super) fn is_monitor_action(action: TeamAction) -> bool {
    matches!(
        action,
        TeamAction::SilentMonitor
            | TeamAction::BargeIn
            | TeamAction::DropParticipant
            | TeamAction::EndMonitoring
    )
}
