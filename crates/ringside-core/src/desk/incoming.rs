//! The ringing call: the ring sound, the pop-up and the native notification.
use serde::Serialize;

use finesse::model::{Dialog, ParticipantState};

use super::calls::{call_view, my_participant};
use super::requests::{IncomingCallView, PopUpItem};
use super::state::Desk;
use super::view::{CallAction, CallDataItem, CallView};

/// The pop-up shows at most this many call data values.
pub const MAX_POP_UP_ITEMS: usize = 3;

/// A native notification for a ringing call, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IncomingNotification {
    /// Show one notification per call: the shell remembers which ids it has shown.
    pub call_id: String,
    pub title: String,
    pub body: String,
}

impl Desk {
    /// True while a call is ringing at the agent's own phone. It stops when the call is
    /// answered, ends or is taken elsewhere, and while the desk is not connected (an old
    /// snapshot must not ring on). Closing the pop-up does not silence it.
    pub fn should_ring(&self) -> bool {
        self.ringing_dialog().is_some()
    }

    /// The pop-up for the ringing call, unless the agent closed it for this call.
    pub fn incoming_call(&self) -> Option<IncomingCallView> {
        let dialog = self.ringing_dialog()?;
        if self.dismissed_pop_ups.contains(&dialog.id) {
            return None;
        }
        let call = self.card_of(dialog);
        Some(IncomingCallView {
            items: pop_up_items(&call.call_data),
            can_answer: call.actions.contains(&CallAction::Answer),
            call_id: call.id,
            caller: call.other_party,
            dialed_number: call.dialed_number,
        })
    }

    /// The notification for the ringing call (whether or not its pop-up was closed).
    pub fn notification_for_incoming(&self) -> Option<IncomingNotification> {
        let call = self.ringing_card()?;
        let title = match call.other_party.as_str() {
            "" => "Incoming call".to_owned(),
            caller => format!("Incoming call from {caller}"),
        };
        let mut lines: Vec<String> = call
            .dialed_number
            .iter()
            .map(|number| format!("Dialed {number}"))
            .collect();
        lines.extend(
            pop_up_items(&call.call_data)
                .into_iter()
                .map(|item| format!("{}: {}", item.label, item.value)),
        );
        Some(IncomingNotification {
            call_id: call.id,
            title,
            body: lines.join("\n"),
        })
    }

    /// The earliest call alerting at the agent's own party, while connected.
    fn ringing_dialog(&self) -> Option<&Dialog> {
        if !self.connection.is_connected() {
            return None;
        }
        let extension = self.extension();
        self.snapshot
            .dialogs
            .values()
            .filter(|dialog| !dialog.is_silent_monitor())
            .filter_map(|dialog| {
                let me = my_participant(dialog, extension)?;
                (me.state == ParticipantState::Alerting).then(|| (me.started_at(), dialog))
            })
            .min_by_key(|(started, dialog)| (*started, dialog.id.clone()))
            .map(|(_, dialog)| dialog)
    }

    /// The card of the ringing call.
    pub(super) fn ringing_card(&self) -> Option<CallView> {
        self.ringing_dialog().map(|dialog| self.card_of(dialog))
    }

    fn card_of(&self, dialog: &Dialog) -> CallView {
        // Timers do not matter here: the card is built for its words and data only.
        call_view(dialog, &self.call_inputs(i64::MAX))
    }
}

/// The layout's pop-over entries when it marks any, else the first values; at most
/// [`MAX_POP_UP_ITEMS`].
fn pop_up_items(data: &[CallDataItem]) -> Vec<PopUpItem> {
    let marked: Vec<&CallDataItem> = data.iter().filter(|item| item.in_pop_up).collect();
    let chosen = if marked.is_empty() {
        data.iter().collect()
    } else {
        marked
    };
    chosen
        .into_iter()
        .take(MAX_POP_UP_ITEMS)
        .map(|item| PopUpItem {
            label: item.label.clone(),
            value: item.value.clone(),
        })
        .collect()
}
