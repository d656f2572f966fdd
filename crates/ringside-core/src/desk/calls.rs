//! Call cards: one per dialog, seen from the agent's own participant.
//!
//! Finesse reports a call's parties and, per party, what that party may do now. The agent's
//! party is the one whose `mediaAddress` is the agent's extension (a Mobile Agent too: the
//! extension is the CTI port Finesse reports); its state and its actions are the card's.
use std::collections::BTreeMap;

use finesse::model::{
    Action, CallType, Dialog, DialogState, MediaPropertiesLayout, Participant, ParticipantState,
};

use super::call_data::call_data;
use super::clock::ServerClock;
use super::monitor_call::monitored_agent;
use super::view::{CallAction, CallDirection, CallState, CallView, ParticipantView};

/// The order buttons appear in, whatever order Finesse listed the actions in.
const BUTTON_ORDER: [CallAction; 12] = [
    CallAction::Answer,
    CallAction::Hold,
    CallAction::Retrieve,
    CallAction::Drop,
    CallAction::ConsultCall,
    CallAction::TransferSst,
    CallAction::Transfer,
    CallAction::Conference,
    CallAction::SendDtmf,
    CallAction::ParticipantDrop,
    CallAction::UpdateCallData,
    CallAction::BargeCall,
];

impl CallAction {
    /// The Finesse action this button requests.
    pub fn to_finesse(self) -> Action {
        match self {
            CallAction::Answer => Action::Answer,
            CallAction::Hold => Action::Hold,
            CallAction::Retrieve => Action::Retrieve,
            CallAction::Drop => Action::Drop,
            CallAction::SendDtmf => Action::SendDtmf,
            CallAction::ConsultCall => Action::ConsultCall,
            CallAction::Transfer => Action::Transfer,
            CallAction::TransferSst => Action::TransferSst,
            CallAction::Conference => Action::Conference,
            CallAction::ParticipantDrop => Action::ParticipantDrop,
            CallAction::UpdateCallData => Action::UpdateCallData,
            CallAction::BargeCall => Action::BargeCall,
        }
    }

    /// The button for a Finesse action, when the UI offers one on a call card.
    pub fn from_finesse(action: &Action) -> Option<CallAction> {
        BUTTON_ORDER
            .into_iter()
            .find(|button| button.to_finesse() == *action)
    }
}

/// The agent's own party in a dialog.
pub(super) fn my_participant<'a>(
    dialog: &'a Dialog,
    extension: Option<&str>,
) -> Option<&'a Participant> {
    dialog.participant_for(extension?)
}

/// The buttons Finesse allows this participant now, in [`BUTTON_ORDER`].
pub(super) fn offered_actions(participant: Option<&Participant>) -> Vec<CallAction> {
    let listed = participant.map(|p| p.actions.as_slice()).unwrap_or(&[]);
    BUTTON_ORDER
        .into_iter()
        .filter(|button| listed.contains(&button.to_finesse()))
        .collect()
}

/// What the card is drawn from besides the dialog.
pub(super) struct CallInputs<'a> {
    pub(super) extension: Option<&'a str>,
    pub(super) layout: Option<&'a MediaPropertiesLayout>,
    pub(super) clock: ServerClock,
    pub(super) pending_actions: &'a BTreeMap<String, CallAction>,
    pub(super) now_ms: i64,
}

/// One card per dialog: ringing first, then active (and dialing), then held, then finished;
/// earlier calls first within each group.
pub(super) fn call_views<'a>(
    dialogs: impl Iterator<Item = &'a Dialog>,
    inputs: &CallInputs<'_>,
) -> Vec<CallView> {
    let mut calls: Vec<CallView> = dialogs.map(|dialog| call_view(dialog, inputs)).collect();
    calls.sort_by_key(|call| (rank(call.state), call.started.unwrap_or(i64::MAX)));
    calls
}

fn rank(state: CallState) -> u8 {
    match state {
        CallState::Ringing => 0,
        CallState::Dialing | CallState::Active => 1,
        CallState::Held => 2,
        CallState::Failed | CallState::Ended => 3,
    }
}

pub(super) fn call_view(dialog: &Dialog, inputs: &CallInputs<'_>) -> CallView {
    let me = my_participant(dialog, inputs.extension);
    let direction = direction(dialog, inputs.extension);
    let local = |stamp: Option<chrono::DateTime<chrono::Utc>>| {
        stamp.map(|at| inputs.clock.to_local(at).min(inputs.now_ms))
    };
    let started = me.and_then(Participant::started_at).or_else(|| {
        dialog
            .participants
            .iter()
            .filter_map(|p| p.started_at())
            .min()
    });
    CallView {
        id: dialog.id.clone(),
        direction,
        other_party: other_party(dialog, me, inputs.extension),
        dialed_number: dialed_number(dialog),
        call_type: dialog
            .media_properties
            .call_type
            .as_ref()
            .map(|t| t.as_str().to_owned()),
        state: call_state(dialog, me),
        state_since: local(me.and_then(Participant::state_changed_at)),
        started: local(started),
        actions: offered_actions(me),
        participants: dialog
            .participants
            .iter()
            .map(|p| participant_view(p, me))
            .collect(),
        call_data: call_data(dialog, inputs.layout, inputs.extension),
        pending_action: inputs.pending_actions.get(&dialog.id).copied(),
        is_monitoring: dialog.is_silent_monitor(),
    }
}

/// The call's state for the agent: their own party's, else the dialog's.
pub(super) fn call_state(dialog: &Dialog, me: Option<&Participant>) -> CallState {
    let from_party = me.and_then(|p| match p.state {
        ParticipantState::Alerting => Some(CallState::Ringing),
        ParticipantState::Initiating | ParticipantState::Initiated | ParticipantState::Accepted => {
            Some(CallState::Dialing)
        }
        ParticipantState::Active => Some(CallState::Active),
        ParticipantState::Held => Some(CallState::Held),
        ParticipantState::Failed => Some(CallState::Failed),
        ParticipantState::Dropped | ParticipantState::WrapUp => Some(CallState::Ended),
        ParticipantState::Other(_) => None,
    });
    from_party.unwrap_or(match dialog.state {
        DialogState::Alerting => CallState::Ringing,
        DialogState::Initiating | DialogState::Initiated => CallState::Dialing,
        DialogState::Failed => CallState::Failed,
        DialogState::Dropped => CallState::Ended,
        DialogState::Active | DialogState::Accepted | DialogState::Other(_) => CallState::Active,
    })
}

/// From the call type when it says; otherwise the agent placed the call if it came from
/// their extension.
pub(super) fn direction(dialog: &Dialog, extension: Option<&str>) -> CallDirection {
    match dialog.media_properties.call_type.as_ref() {
        Some(CallType::SupervisorMonitor) => CallDirection::Monitor,
        Some(CallType::Consult | CallType::BargeInConsult) => CallDirection::Consult,
        Some(CallType::AgentInside | CallType::AssistCall | CallType::Emergency) => {
            CallDirection::Internal
        }
        Some(
            CallType::Out
            | CallType::AgentOut
            | CallType::AutoOut
            | CallType::Outbound
            | CallType::OutboundPreview
            | CallType::OutboundCallback
            | CallType::OutboundPersonalCallback,
        ) => CallDirection::Outbound,
        Some(
            CallType::AcdIn
            | CallType::PrerouteAcdIn
            | CallType::PrerouteDirectAgent
            | CallType::Transfer
            | CallType::OtherIn
            | CallType::OverflowIn,
        ) => CallDirection::Inbound,
        Some(CallType::Conference | CallType::Other(_)) | None => {
            if placed_by(dialog, extension) {
                CallDirection::Outbound
            } else {
                CallDirection::Inbound
            }
        }
    }
}

fn placed_by(dialog: &Dialog, extension: Option<&str>) -> bool {
    matches!((dialog.from_address.as_deref(), extension), (Some(from), Some(ext)) if from == ext)
}

/// The number the caller dialed. A monitor request's is the agent's extension, which the
/// card already names as the other party.
fn dialed_number(dialog: &Dialog) -> Option<String> {
    if dialog.is_silent_monitor() {
        return None;
    }
    let properties = &dialog.media_properties;
    properties
        .dialed_number
        .clone()
        .or_else(|| properties.dnis.clone())
}

/// On a monitor call, the agent being monitored. Otherwise the one other party when there is
/// one (live parties preferred), else whoever the original call's addresses name on the far
/// side.
fn other_party(dialog: &Dialog, me: Option<&Participant>, extension: Option<&str>) -> String {
    if dialog.is_silent_monitor() {
        let own = extension.unwrap_or_default().trim();
        if let Some(agent) = monitored_agent(dialog, own) {
            return agent.to_owned();
        }
    }
    let mine = me.map(|p| p.media_address.as_str());
    let others: Vec<&Participant> = dialog
        .participants
        .iter()
        .filter(|p| !p.media_address.is_empty() && Some(p.media_address.as_str()) != mine)
        .collect();
    let live: Vec<&&Participant> = others
        .iter()
        .filter(|p| {
            !matches!(
                p.state,
                ParticipantState::Dropped | ParticipantState::Failed
            )
        })
        .collect();
    if let [only] = live.as_slice() {
        return only.media_address.clone();
    }
    if live.is_empty() {
        if let [only] = others.as_slice() {
            return only.media_address.clone();
        }
    }
    let from = dialog.from_address.as_deref();
    let far = if mine.is_some() && from == mine {
        dialog.to_address.as_deref()
    } else {
        from
    };
    far.unwrap_or_default().to_owned()
}

fn participant_view(participant: &Participant, me: Option<&Participant>) -> ParticipantView {
    let is_me = me.is_some_and(|m| m.media_address == participant.media_address);
    ParticipantView {
        address: participant.media_address.clone(),
        state: participant.state.as_str().to_owned(),
        is_me,
        is_agent: participant.is_agent_device() && !is_me,
    }
}
