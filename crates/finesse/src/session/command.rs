//! Commands a caller gives the session, and what they resolve to.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{
    AgentState, CallVariable, Contact, Dialog, MediaPropertiesLayout, MobileAgent, PhoneBook,
    Queue, ReasonCategory, ReasonCode, Team, TeamMember, User, WrapUpReason,
};

/// Identifies a caller's command; chosen by the caller, echoed in the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CommandId(pub u64);

/// A state to take (with its reason code id, the Finesse database id, not the CTI code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateChoice {
    pub state: AgentState,
    pub reason_code_id: Option<String>,
}

/// What the agent chose that must survive a reconnect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentChoices {
    /// Wrap-up reason label chosen per dialog id, until the dialog shows it or ends.
    pub wrap_up_reasons: BTreeMap<String, String>,
    /// The state to take once the current call and its wrap-up are over.
    pub after_call: Option<StateChoice>,
}

/// Everything the session can be asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum Command {
    /// Sign in on an extension (Finesse answers NOT_READY).
    SignIn {
        extension: String,
        mobile_agent: Option<MobileAgent>,
        /// 12.x multi-line: the device to sign in on.
        device: Option<String>,
    },
    /// READY, NOT_READY or LOGOUT for the agent themselves.
    ChangeState {
        state: AgentState,
        reason_code_id: Option<String>,
    },
    Logout {
        reason_code_id: Option<String>,
    },
    Answer {
        dialog_id: String,
    },
    Hold {
        dialog_id: String,
    },
    Retrieve {
        dialog_id: String,
    },
    Drop {
        dialog_id: String,
    },
    MakeCall {
        to: String,
        call_variables: Vec<CallVariable>,
    },
    /// Consult from the active call `dialog_id` (it is held automatically).
    ConsultCall {
        dialog_id: String,
        to: String,
    },
    /// Complete a consult transfer (on the dialog whose agent participant lists TRANSFER).
    Transfer {
        dialog_id: String,
    },
    /// Single-step (blind) transfer of the active call.
    TransferSst {
        dialog_id: String,
        to: String,
    },
    Conference {
        dialog_id: String,
    },
    SendDtmf {
        dialog_id: String,
        digits: String,
    },
    /// Remove the participant on `media_address` from a conference.
    ParticipantDrop {
        dialog_id: String,
        media_address: String,
    },
    UpdateCallData {
        dialog_id: String,
        wrap_up_reason: Option<String>,
        call_variables: Vec<CallVariable>,
    },
    /// Choose the wrap-up reason of a dialog; kept and re-sent after a reconnect until the
    /// dialog shows it.
    SetWrapUpReason {
        dialog_id: String,
        reason: String,
    },
    /// Choose (or clear) the state to take once the current call and wrap-up are over. A
    /// local choice: it resolves at once and is applied when the agent becomes idle.
    SetStateAfterCall {
        choice: Option<StateChoice>,
    },
    /// Supervisor: subscribe to a team's agent states and load the team.
    LoadTeam {
        team_id: String,
    },
    /// Supervisor: stop following a team.
    UnloadTeam {
        team_id: String,
    },
    /// Supervisor: READY, NOT_READY (never with a reason code) or LOGOUT for an agent.
    ChangeAgentState {
        agent_id: String,
        state: AgentState,
        reason_code_id: Option<String>,
    },
    /// Supervisor: silently monitor the agent on `agent_extension`.
    SilentMonitor {
        agent_extension: String,
    },
    /// Supervisor: barge into the call monitored by `monitor_dialog_id`.
    BargeCall {
        monitor_dialog_id: String,
        agent_extension: String,
    },
    ReasonCodes {
        category: ReasonCategory,
    },
    WrapUpReasons,
    Layout,
    PhoneBooks,
    Contacts {
        phone_book_id: String,
    },
    Queues,
}

impl Command {
    /// A stable snake_case name, e.g. `change_state`.
    pub fn name(&self) -> &'static str {
        match self {
            Command::SignIn { .. } => "sign_in",
            Command::ChangeState { .. } => "change_state",
            Command::Logout { .. } => "logout",
            Command::Answer { .. } => "answer",
            Command::Hold { .. } => "hold",
            Command::Retrieve { .. } => "retrieve",
            Command::Drop { .. } => "drop",
            Command::MakeCall { .. } => "make_call",
            Command::ConsultCall { .. } => "consult_call",
            Command::Transfer { .. } => "transfer",
            Command::TransferSst { .. } => "transfer_sst",
            Command::Conference { .. } => "conference",
            Command::SendDtmf { .. } => "send_dtmf",
            Command::ParticipantDrop { .. } => "participant_drop",
            Command::UpdateCallData { .. } => "update_call_data",
            Command::SetWrapUpReason { .. } => "set_wrap_up_reason",
            Command::SetStateAfterCall { .. } => "set_state_after_call",
            Command::LoadTeam { .. } => "load_team",
            Command::UnloadTeam { .. } => "unload_team",
            Command::ChangeAgentState { .. } => "change_agent_state",
            Command::SilentMonitor { .. } => "silent_monitor",
            Command::BargeCall { .. } => "barge_call",
            Command::ReasonCodes { .. } => "reason_codes",
            Command::WrapUpReasons => "wrap_up_reasons",
            Command::Layout => "layout",
            Command::PhoneBooks => "phone_books",
            Command::Contacts { .. } => "contacts",
            Command::Queues => "queues",
        }
    }
}

/// What a successful command produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome", content = "data")]
pub enum CommandOutcome {
    /// Done, nothing to return (a local choice, an unsubscribe).
    Done,
    /// Finesse accepted the request (202) and no event can confirm it for this client (a
    /// supervisor acting on an agent of a team that is not loaded).
    Accepted,
    /// The user as the confirming event showed it.
    User(User),
    /// The dialog as the confirming event showed it (a new dialog for make call/consult).
    Dialog(Dialog),
    /// The dialog ended (drop, transfer).
    DialogRemoved(Dialog),
    TeamMember(TeamMember),
    Team(Team),
    ReasonCodes(Vec<ReasonCode>),
    WrapUpReasons(Vec<WrapUpReason>),
    Layout(MediaPropertiesLayout),
    PhoneBooks(Vec<PhoneBook>),
    Contacts(Vec<Contact>),
    Queues(Vec<Queue>),
}
