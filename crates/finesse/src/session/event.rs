//! Typed events the session broadcasts.
use serde::Serialize;

use super::command::{AgentChoices, CommandId, StateChoice};
use super::connection::ConnectionState;
use super::error::SessionError;
use super::time::Millis;
use crate::model::{AgentState, ApiError, Dialog, Queue, SystemInfo, Team, TeamMember, User};

/// One thing that changed. Serialises with an `event` tag (`"user_changed"`, …) for
/// `ringside-cli watch` and the UI.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum SessionEvent {
    ConnectionChanged {
        state: ConnectionState,
    },
    /// The agent's User changed (from an event, or from the GET of a (re)connect).
    UserChanged {
        user: User,
        request_id: Option<String>,
    },
    DialogAdded {
        dialog: Dialog,
        request_id: Option<String>,
    },
    DialogUpdated {
        dialog: Dialog,
        request_id: Option<String>,
    },
    /// A dialog ended. `vanished`: it ended while the session was disconnected and the
    /// resync found it gone.
    DialogRemoved {
        dialog: Dialog,
        request_id: Option<String>,
        vanished: bool,
    },
    TeamChanged {
        team: Team,
    },
    TeamMemberChanged {
        team_id: String,
        member: TeamMember,
    },
    QueueChanged {
        queue: Queue,
    },
    SystemInfoChanged {
        info: SystemInfo,
    },
    /// Finesse reported errors that no command of this session claimed.
    FinesseErrors {
        source: String,
        request_id: Option<String>,
        errors: Vec<ApiError>,
    },
    CommandCompleted {
        id: CommandId,
        command: &'static str,
        error: Option<SessionError>,
    },
    /// The agent's remembered choices changed.
    ChoicesChanged {
        choices: AgentChoices,
    },
    /// The session applied a remembered after-call state (or re-sent a wrap-up reason);
    /// `error` when Finesse refused it.
    ChoiceApplied {
        what: AppliedChoice,
        error: Option<SessionError>,
    },
    /// A (re)connect replaced the snapshot from fresh GETs.
    Resynced {
        vanished_dialogs: Vec<String>,
    },
    /// The snapshot changed; `revision` grows by one each time.
    SnapshotChanged {
        revision: u64,
    },
    /// Getting the connection back keeps failing: `attempts` attempts since the link was
    /// lost at `since`. Published once per outage, for a desktop notification.
    ReconnectStruggling {
        attempts: u32,
        since: Millis,
        node: String,
        last_error: SessionError,
    },
    /// Connected again after an outage that began at `since`; `failed_over` when the
    /// session now uses another node than before the outage.
    Reconnected {
        node: String,
        since: Millis,
        outage_ms: u64,
        failed_over: bool,
    },
    /// Finesse or the contact center changed the agent's state by itself (forced logout
    /// after a lost connection, a supervisor, ring-no-answer, …). `explanation` says why in
    /// plain words; a `LOGOUT` here means the agent must sign in again.
    StateForced {
        state: AgentState,
        reason_code: Option<u32>,
        label: Option<String>,
        explanation: String,
    },
}

/// Which remembered choice the session acted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AppliedChoice {
    AfterCallState {
        choice: StateChoice,
    },
    WrapUpReason {
        dialog_id: String,
        reason: String,
    },
    /// The agent was READY before the connection broke and a connection failure made them
    /// NOT_READY: READY again, as the agent had it.
    RestoreReady {
        forced_code: Option<u32>,
    },
}

impl SessionEvent {
    /// The stable snake_case name of the event kind.
    pub fn name(&self) -> &'static str {
        match self {
            SessionEvent::ConnectionChanged { .. } => "connection_changed",
            SessionEvent::UserChanged { .. } => "user_changed",
            SessionEvent::DialogAdded { .. } => "dialog_added",
            SessionEvent::DialogUpdated { .. } => "dialog_updated",
            SessionEvent::DialogRemoved { .. } => "dialog_removed",
            SessionEvent::TeamChanged { .. } => "team_changed",
            SessionEvent::TeamMemberChanged { .. } => "team_member_changed",
            SessionEvent::QueueChanged { .. } => "queue_changed",
            SessionEvent::SystemInfoChanged { .. } => "system_info_changed",
            SessionEvent::FinesseErrors { .. } => "finesse_errors",
            SessionEvent::CommandCompleted { .. } => "command_completed",
            SessionEvent::ChoicesChanged { .. } => "choices_changed",
            SessionEvent::ChoiceApplied { .. } => "choice_applied",
            SessionEvent::Resynced { .. } => "resynced",
            SessionEvent::SnapshotChanged { .. } => "snapshot_changed",
            SessionEvent::ReconnectStruggling { .. } => "reconnect_struggling",
            SessionEvent::Reconnected { .. } => "reconnected",
            SessionEvent::StateForced { .. } => "state_forced",
        }
    }
}
