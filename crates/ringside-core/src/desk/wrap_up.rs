//! The wrap-up panel: after a call, which dialog the reason goes to, how long is left, what
//! the agent chose and what they become when it ends.
use std::collections::BTreeMap;

use finesse::model::{Dialog, ParticipantState, User, WrapUpMode};

use super::calls::{direction, my_participant};
use super::view::{AfterWrapUp, AgentStateKind, CallDirection, WrapUpView};

/// The agent's own wrap-up choices: local until the shell sends them, kept across reconnects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct WrapUpChoice {
    pub(super) reason: Option<String>,
    pub(super) then: Option<AfterWrapUp>,
}

/// The call wrap-up is about, remembered after Finesse removed its dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LastCall {
    pub(super) id: String,
    pub(super) outbound: bool,
}

/// The call a wrap-up would follow: the agent's latest customer call (a consult leg only
/// when there is nothing else). Silent-monitor calls are never wrapped up.
pub(super) fn latest_call(
    dialogs: &BTreeMap<String, Dialog>,
    extension: Option<&str>,
) -> Option<LastCall> {
    dialogs
        .values()
        .filter(|d| !d.is_silent_monitor())
        .filter(|d| extension.is_none() || my_participant(d, extension).is_some())
        .max_by_key(|d| {
            let customer_call = direction(d, extension) != CallDirection::Consult;
            let started = my_participant(d, extension)
                .and_then(|p| p.started_at())
                .map(|at| at.timestamp_millis());
            (customer_call, started, d.id.clone())
        })
        .map(|d| LastCall {
            id: d.id.clone(),
            outbound: direction(d, extension) == CallDirection::Outbound,
        })
}

/// Everything the panel is drawn from.
pub(super) struct WrapUpInputs<'a> {
    pub(super) user: &'a User,
    pub(super) state_since: Option<i64>,
    pub(super) dialogs: &'a BTreeMap<String, Dialog>,
    pub(super) last_call: Option<&'a LastCall>,
    pub(super) choice: &'a WrapUpChoice,
}

/// The panel, while the agent is in WORK or WORK_READY.
pub(super) fn wrap_up_view(inputs: &WrapUpInputs<'_>) -> Option<WrapUpView> {
    let user = inputs.user;
    let state = AgentStateKind::from(&user.state);
    if !state.is_wrap_up() {
        return None;
    }
    let extension = user.extension.as_deref();
    // Finesse may keep the dialog with the agent's party in WRAP_UP; that is the one to write.
    let wrapping = inputs.dialogs.values().find(|d| {
        my_participant(d, extension).is_some_and(|p| p.state == ParticipantState::WrapUp)
    });
    let dialog_id = wrapping
        .map(|d| d.id.clone())
        .or_else(|| inputs.last_call.map(|c| c.id.clone()));
    let server_reason = dialog_id
        .as_ref()
        .and_then(|id| inputs.dialogs.get(id))
        .and_then(|d| d.media_properties.wrap_up_reason.clone());
    let outbound = inputs.last_call.is_some_and(|c| c.outbound);
    let mode = if outbound {
        user.settings.wrap_up_on_outgoing.as_ref()
    } else {
        user.settings.wrap_up_on_incoming.as_ref()
    };
    let deadline = match (inputs.state_since, user.wrap_up_timer) {
        (Some(since), Some(seconds)) if seconds > 0 => {
            Some(since.saturating_add(i64::from(seconds) * 1000))
        }
        _ => None,
    };
    let default_then = if state == AgentStateKind::WorkReady {
        AfterWrapUp::Ready
    } else {
        AfterWrapUp::NotReady
    };
    Some(WrapUpView {
        dialog_id,
        deadline,
        reason: inputs.choice.reason.clone().or(server_reason),
        then: inputs.choice.then.unwrap_or(default_then),
        reason_required: matches!(
            mode,
            Some(WrapUpMode::Required | WrapUpMode::RequiredWithWrapUpData)
        ),
    })
}
