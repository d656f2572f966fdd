//! Why a Team view request was refused before anything reached Finesse.
use crate::desk::UiError;

use super::view::TeamAction;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    /// The team is not one this user supervises.
    #[error("team {team_id} is not one of your teams")]
    UnknownTeam { team_id: String },
    /// No team is shown, so there is no agent to act on.
    #[error("no team is chosen")]
    NoTeamChosen,
    /// The agent is not (or no longer) in the chosen team.
    #[error("agent {agent_id} is not in the chosen team")]
    UnknownAgent { agent_id: String },
    /// Finesse's supervisor rules do not allow this action on the agent now.
    #[error("{action:?} is not allowed on agent {agent_id} now")]
    ActionNotAllowed {
        agent_id: String,
        action: TeamAction,
    },
    /// Another action on this agent is still waiting for its event.
    #[error("an action on agent {agent_id} is still in progress")]
    ActionPending { agent_id: String },
}

impl TeamError {
    /// A stable, machine-readable code (the UI words it by this).
    pub fn code(&self) -> &'static str {
        match self {
            TeamError::UnknownTeam { .. } => "team_unknown_team",
            TeamError::NoTeamChosen => "team_no_team_chosen",
            TeamError::UnknownAgent { .. } => "team_unknown_agent",
            TeamError::ActionNotAllowed { .. } => "team_action_not_allowed",
            TeamError::ActionPending { .. } => "team_action_pending",
        }
    }

    /// The `{code, message}` the shell returns to the UI.
    pub fn to_ui(&self) -> UiError {
        UiError {
            code: self.code().to_owned(),
            message: self.to_string(),
        }
    }
}
