//! Reading a supervisor's call on an agent's call: who is monitored, who the customer is and
//! which way the customer's call goes. The desk's monitor card and the Team view's monitored
//! row both read it from the supervisor's own dialog.
//!
//! A `SUPERVISOR_MONITOR` dialog describes the monitor call, not the agent's: its `callType`
//! is the monitor's, its `fromAddress` is the supervisor and its `toAddress` (and
//! `dialedNumber`) the agent. The customer is known only when the dialog lists them as a
//! participant. After a barge the supervisor is on the agent's own call, which says everything.
use finesse::model::{Dialog, Participant, ParticipantState};

use super::calls::direction;
use super::view::CallDirection;

/// The extension of the agent a monitor dialog listens to: the monitor request's target, or
/// for a build that leaves it out, the other agent device on the dialog.
pub(crate) fn monitored_agent<'a>(dialog: &'a Dialog, own: &str) -> Option<&'a str> {
    dialog
        .to_address
        .as_deref()
        .or(dialog.media_properties.dialed_number.as_deref())
        .map(str::trim)
        .filter(|a| !a.is_empty() && *a != own)
        .or_else(|| {
            dialog
                .participants
                .iter()
                .find(|p| p.is_agent_device() && p.media_address != own)
                .map(|p| p.media_address.as_str())
        })
}

/// The customer on the agent's call: a live party that is neither the supervisor, the agent
/// nor another agent's device.
pub(crate) fn customer<'a>(dialog: &'a Dialog, own: &str, agent: &str) -> Option<&'a Participant> {
    dialog.participants.iter().find(|p| {
        !p.media_address.is_empty()
            && p.media_address != own
            && p.media_address != agent
            && !p.is_agent_device()
            && !matches!(
                p.state,
                ParticipantState::Dropped | ParticipantState::Failed
            )
    })
}

/// Which way the agent's call with the customer goes, as far as the supervisor's dialog shows.
///
/// On the agent's own call (after a barge) the desk's reading applies from the agent's side.
/// A monitor dialog's type and addresses describe the monitor call, so only its parties can
/// tell: whoever joined the call first placed it — a customer already there when the agent
/// joined called in, an agent already there dialled out. Equal or missing times say nothing.
pub(crate) fn customer_call_direction(
    dialog: &Dialog,
    own: &str,
    agent: &str,
) -> Option<CallDirection> {
    if !dialog.is_silent_monitor() {
        return Some(direction(dialog, Some(agent)));
    }
    let customer_joined = customer(dialog, own, agent)?.started_at()?;
    let agent_joined = dialog.participant_for(agent)?.started_at()?;
    match customer_joined.cmp(&agent_joined) {
        std::cmp::Ordering::Less => Some(CallDirection::Inbound),
        std::cmp::Ordering::Greater => Some(CallDirection::Outbound),
        std::cmp::Ordering::Equal => None,
    }
}

/// A media property as the card shows it. On a monitor dialog the monitor request's own
/// addresses would name the supervisor as the caller and the agent as the number dialed, so
/// `fromAddress` reads as the customer's number (absent when the dialog does not list them)
/// and the request's target (`toAddress`, `dialedNumber`) is left out: the card's heading
/// already names the agent.
pub(crate) fn card_property<'a>(
    dialog: &'a Dialog,
    own: Option<&str>,
    key: &str,
) -> Option<&'a str> {
    if !dialog.is_silent_monitor() {
        return dialog.media_property(key);
    }
    let key = key.trim();
    let is = |name: &str| key.eq_ignore_ascii_case(name);
    if is("fromAddress") {
        let own = own?;
        let agent = monitored_agent(dialog, own)?;
        customer(dialog, own, agent).map(|p| p.media_address.as_str())
    } else if is("toAddress") || is("dialedNumber") {
        None
    } else {
        dialog.media_property(key)
    }
}
