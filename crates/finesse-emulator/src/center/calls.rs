//! Calls (Finesse dialogs) and their participants.
use serde::Serialize;

use super::api::CallId;
use crate::clock::SimTime;

/// Dialog states (§4.2, voice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DialogState {
    Initiating,
    Initiated,
    Alerting,
    Active,
    Failed,
    Dropped,
}

impl DialogState {
    pub fn as_str(self) -> &'static str {
        match self {
            DialogState::Initiating => "INITIATING",
            DialogState::Initiated => "INITIATED",
            DialogState::Alerting => "ALERTING",
            DialogState::Active => "ACTIVE",
            DialogState::Failed => "FAILED",
            DialogState::Dropped => "DROPPED",
        }
    }
}

/// Participant states (§4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParticipantState {
    Initiating,
    Initiated,
    Alerting,
    Active,
    Held,
    Failed,
    Dropped,
    WrapUp,
}

impl ParticipantState {
    pub fn as_str(self) -> &'static str {
        match self {
            ParticipantState::Initiating => "INITIATING",
            ParticipantState::Initiated => "INITIATED",
            ParticipantState::Alerting => "ALERTING",
            ParticipantState::Active => "ACTIVE",
            ParticipantState::Held => "HELD",
            ParticipantState::Failed => "FAILED",
            ParticipantState::Dropped => "DROPPED",
            ParticipantState::WrapUp => "WRAP_UP",
        }
    }

    /// Still part of the call (not dropped, not wrapping up after it).
    pub(crate) fn is_live(self) -> bool {
        !matches!(self, ParticipantState::Dropped | ParticipantState::WrapUp)
    }
}

/// The dialog action vocabulary (§4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Action {
    MakeCall,
    Answer,
    Hold,
    Retrieve,
    Drop,
    UpdateCallData,
    SendDtmf,
    ConsultCall,
    Conference,
    Transfer,
    TransferSst,
    SilentMonitor,
    BargeCall,
    ParticipantDrop,
    StartRecording,
    UpdateScheduledCallback,
    CancelScheduledCallback,
    Reclassify,
    Accept,
    Reject,
    Close,
}

impl Action {
    const ALL: [Action; 21] = [
        Action::MakeCall,
        Action::Answer,
        Action::Hold,
        Action::Retrieve,
        Action::Drop,
        Action::UpdateCallData,
        Action::SendDtmf,
        Action::ConsultCall,
        Action::Conference,
        Action::Transfer,
        Action::TransferSst,
        Action::SilentMonitor,
        Action::BargeCall,
        Action::ParticipantDrop,
        Action::StartRecording,
        Action::UpdateScheduledCallback,
        Action::CancelScheduledCallback,
        Action::Reclassify,
        Action::Accept,
        Action::Reject,
        Action::Close,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::MakeCall => "MAKE_CALL",
            Action::Answer => "ANSWER",
            Action::Hold => "HOLD",
            Action::Retrieve => "RETRIEVE",
            Action::Drop => "DROP",
            Action::UpdateCallData => "UPDATE_CALL_DATA",
            Action::SendDtmf => "SEND_DTMF",
            Action::ConsultCall => "CONSULT_CALL",
            Action::Conference => "CONFERENCE",
            Action::Transfer => "TRANSFER",
            Action::TransferSst => "TRANSFER_SST",
            Action::SilentMonitor => "SILENT_MONITOR",
            Action::BargeCall => "BARGE_CALL",
            Action::ParticipantDrop => "PARTICIPANT_DROP",
            Action::StartRecording => "START_RECORDING",
            Action::UpdateScheduledCallback => "UPDATE_SCHEDULED_CALLBACK",
            Action::CancelScheduledCallback => "CANCEL_SCHEDULED_CALLBACK",
            Action::Reclassify => "RECLASSIFY",
            Action::Accept => "ACCEPT",
            Action::Reject => "REJECT",
            Action::Close => "CLOSE",
        }
    }

    /// Exact (upper-case) action names only, as Finesse's enum parsing is.
    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// What kind of call this is, which decides call type, wrap-up and routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CallKind {
    /// A customer call routed through a queue.
    Inbound,
    /// An agent's call to an outside number.
    Outbound,
    /// An agent's call to another agent's extension.
    Internal,
    /// A consult call placed from an active call.
    Consult,
    /// A supervisor's silent-monitor call.
    Monitor,
}

/// One party of a call.
#[derive(Debug, Clone)]
pub(crate) struct Participant {
    /// The `mediaAddress`: an extension or an outside number.
    pub address: String,
    /// The agent id when the address is a signed-in agent's device.
    pub agent: Option<String>,
    pub state: ParticipantState,
    pub cause: Option<&'static str>,
    pub started: SimTime,
    pub changed: SimTime,
    /// The monitored agent in a silent-monitor call: present, but with no actions.
    pub passive: bool,
}

impl Participant {
    pub fn new(address: &str, agent: Option<&str>, state: ParticipantState, now: SimTime) -> Self {
        Participant {
            address: address.to_owned(),
            agent: agent.map(str::to_owned),
            state,
            cause: None,
            started: now,
            changed: now,
            passive: false,
        }
    }

    pub fn set_state(&mut self, state: ParticipantState, now: SimTime) {
        if self.state != state {
            self.state = state;
            self.changed = now;
        }
    }

    pub fn is_agent(&self, agent_id: &str) -> bool {
        self.agent
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(agent_id))
    }
}

/// A call: the CTI object behind a Finesse dialog.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub id: CallId,
    pub kind: CallKind,
    pub call_type: String,
    pub from: String,
    pub to: String,
    pub dialed_number: String,
    pub dnis: String,
    /// The queue of a routed call.
    pub queue: Option<String>,
    /// `callVariable1`..`callVariable10`.
    pub call_variables: [String; 10],
    /// ECC variables in the order they were first set.
    pub ecc: Vec<(String, String)>,
    pub wrap_up_reason: Option<String>,
    pub wrap_up_items: Vec<String>,
    pub associated: Option<CallId>,
    pub participants: Vec<Participant>,
    pub state: DialogState,
    /// Agents whose Dialogs collection holds this dialog (POSTed, not yet DELETEd).
    pub posted_to: Vec<String>,
    /// Whether this is (or came from) a call routed through a queue (ICD / ACD).
    pub routed: bool,
    /// Waiting in its queue for an agent.
    pub waiting: bool,
    /// When the call first entered its queue (its place in line, kept across RONA).
    pub enqueued_at: SimTime,
    /// Ring-no-answer deadline of a routed delivery.
    pub ring_deadline: Option<SimTime>,
    /// When the ringing outside party answers.
    pub answer_deadline: Option<SimTime>,
    /// For a consult call: the call it consults from.
    pub consult_of: Option<CallId>,
    /// For a monitor call: the call being monitored.
    pub monitor_of: Option<CallId>,
    pub conference_controller: Option<String>,
    /// DTMF digits sent on this call, in order.
    pub dtmf: String,
}

impl Call {
    pub fn new(id: CallId, kind: CallKind, call_type: &str, from: &str, to: &str) -> Self {
        Call {
            id,
            kind,
            call_type: call_type.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            dialed_number: to.to_owned(),
            dnis: String::new(),
            queue: None,
            call_variables: Default::default(),
            ecc: Vec::new(),
            wrap_up_reason: None,
            wrap_up_items: Vec::new(),
            associated: None,
            participants: Vec::new(),
            state: DialogState::Initiating,
            posted_to: Vec::new(),
            routed: false,
            waiting: false,
            enqueued_at: SimTime(0),
            ring_deadline: None,
            answer_deadline: None,
            consult_of: None,
            monitor_of: None,
            conference_controller: None,
            dtmf: String::new(),
        }
    }

    pub fn participant(&self, address: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.address == address)
    }

    pub fn participant_mut(&mut self, address: &str) -> Option<&mut Participant> {
        self.participants.iter_mut().find(|p| p.address == address)
    }

    pub fn agent_participant(&self, agent_id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.is_agent(agent_id))
    }

    /// Parties still on the call.
    pub fn live_count(&self) -> usize {
        self.participants
            .iter()
            .filter(|p| p.state.is_live())
            .count()
    }

    /// Agent ids of the participants, in participant order.
    pub fn agent_ids(&self) -> Vec<String> {
        self.participants
            .iter()
            .filter_map(|p| p.agent.clone())
            .collect()
    }

    pub fn is_posted_to(&self, agent_id: &str) -> bool {
        self.posted_to
            .iter()
            .any(|a| a.eq_ignore_ascii_case(agent_id))
    }

    /// The first outside (non-agent) party still on the call.
    pub fn customer(&self) -> Option<&Participant> {
        self.participants
            .iter()
            .find(|p| p.agent.is_none() && p.state.is_live())
    }

    /// Set a call variable or ECC variable by its Finesse name; `false` for a bad name.
    pub fn set_variable(&mut self, name: &str, value: &str) -> bool {
        if let Some(index) = call_variable_index(name) {
            self.call_variables[index] = value.to_owned();
            return true;
        }
        if !name.starts_with("user.") {
            return false;
        }
        match self.ecc.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.to_owned(),
            None => self.ecc.push((name.to_owned(), value.to_owned())),
        }
        true
    }
}

/// `callVariable1`..`callVariable10` → 0..9.
pub(crate) fn call_variable_index(name: &str) -> Option<usize> {
    let n: usize = name.strip_prefix("callVariable")?.parse().ok()?;
    (1..=10).contains(&n).then(|| n - 1)
}
