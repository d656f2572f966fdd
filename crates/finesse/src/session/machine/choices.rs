//! What the agent chose, kept across reconnects: the wrap-up reason of a dialog and the
//! state to take once the call (and its wrap-up) is over.
use super::SessionMachine;
use crate::model::{AgentState, Dialog, User};
use crate::notification::FinesseEvent;
use crate::session::command::{Command, CommandOutcome, StateChoice};
use crate::session::error::SessionError;
use crate::session::event::{AppliedChoice, SessionEvent};

/// On a call or wrapping up: an after-call choice waits.
fn is_busy(state: &AgentState) -> bool {
    matches!(
        state,
        AgentState::Talking
            | AgentState::Hold
            | AgentState::Work
            | AgentState::WorkReady
            | AgentState::Reserved
            | AgentState::ReservedOutbound
            | AgentState::ReservedOutboundPreview
    )
}

/// Free again: the after-call choice applies now.
fn is_idle(state: &AgentState) -> bool {
    matches!(state, AgentState::Ready | AgentState::NotReady)
}

fn reached(user: &User, choice: &StateChoice) -> bool {
    user.state == choice.state
        && (choice.reason_code_id.is_none() || user.reason_code_id == choice.reason_code_id)
}

fn shows_reason(dialog: &Dialog, reason: &str) -> bool {
    dialog.media_properties.wrap_up_reason.as_deref() == Some(reason)
}

impl SessionMachine {
    /// Records (or clears) the after-call state. Local: works while disconnected too.
    pub(super) fn choose_after_call(
        &mut self,
        choice: Option<StateChoice>,
    ) -> Result<CommandOutcome, SessionError> {
        if let Some(choice) = &choice {
            if !choice.state.is_agent_settable() {
                return Err(SessionError::InvalidRequest {
                    message: format!(
                        "the state after a call must be READY, NOT_READY or LOGOUT, not {}",
                        choice.state
                    ),
                });
            }
        }
        let choice = choice.map(|c| StateChoice {
            state: c.state,
            reason_code_id: c
                .reason_code_id
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty()),
        });
        if self.choices.after_call != choice {
            self.choices.after_call = choice;
            self.choices_changed();
        }
        Ok(CommandOutcome::Done)
    }

    pub(super) fn remember_wrap_up_reason(&mut self, dialog_id: &str, reason: &str) {
        let previous = self
            .choices
            .wrap_up_reasons
            .insert(dialog_id.trim().to_owned(), reason.trim().to_owned());
        if previous.as_deref() != Some(reason.trim()) {
            self.choices_changed();
        }
    }

    pub(super) fn forget_wrap_up_choice(&mut self, dialog_id: &str) {
        if self.choices.wrap_up_reasons.remove(dialog_id).is_some() {
            self.choices_changed();
        }
    }

    fn choices_changed(&mut self) {
        let choices = self.choices.clone();
        self.publish(SessionEvent::ChoicesChanged { choices });
    }

    /// Keeps the choices current after an event.
    pub(super) fn track_choices(&mut self, event: &FinesseEvent, previous_user: Option<&User>) {
        match event {
            FinesseEvent::UserUpdated(user) => self.after_user_change(previous_user, user),
            FinesseEvent::DialogUpdated(dialog) => self.check_wrap_up_shown(dialog),
            FinesseEvent::DialogsAdded(dialogs) => {
                for dialog in dialogs {
                    self.check_wrap_up_shown(dialog);
                }
            }
            FinesseEvent::DialogsRemoved(dialogs) => {
                for dialog in dialogs {
                    self.forget_wrap_up_choice(&dialog.id);
                }
            }
            _ => {}
        }
    }

    fn check_wrap_up_shown(&mut self, dialog: &Dialog) {
        let shown = self
            .choices
            .wrap_up_reasons
            .get(&dialog.id)
            .is_some_and(|reason| shows_reason(dialog, reason));
        if shown {
            self.forget_wrap_up_choice(&dialog.id);
        }
    }

    /// Applies the after-call choice when the agent goes from a call or wrap-up to idle.
    fn after_user_change(&mut self, previous: Option<&User>, user: &User) {
        let Some(choice) = self.choices.after_call.clone() else {
            return;
        };
        if user.state == AgentState::Logout {
            self.choices.after_call = None;
            self.choices_changed();
            return;
        }
        let was_busy = previous.is_some_and(|p| is_busy(&p.state));
        if !was_busy || !is_idle(&user.state) || !self.is_connected() {
            return;
        }
        self.choices.after_call = None;
        self.choices_changed();
        if reached(user, &choice) {
            return;
        }
        let command = Command::ChangeState {
            state: choice.state.clone(),
            reason_code_id: choice.reason_code_id.clone(),
        };
        self.run_for_choice(AppliedChoice::AfterCallState { choice }, command);
    }

    /// After a (re)connect: re-send wrap-up reasons Finesse does not show yet, forget those of
    /// dialogs that ended, and apply the after-call state if the call ended while away.
    pub(super) fn after_resync(&mut self, before: Option<&User>) {
        let remembered: Vec<(String, String)> = self
            .choices
            .wrap_up_reasons
            .iter()
            .map(|(d, r)| (d.clone(), r.clone()))
            .collect();
        for (dialog_id, reason) in remembered {
            let shown = match self.dialog(&dialog_id) {
                None => {
                    self.forget_wrap_up_choice(&dialog_id);
                    continue;
                }
                Some(dialog) => shows_reason(dialog, &reason),
            };
            if shown {
                self.forget_wrap_up_choice(&dialog_id);
            } else if !self.wrap_up_in_flight(&dialog_id) {
                let what = AppliedChoice::WrapUpReason {
                    dialog_id: dialog_id.clone(),
                    reason: reason.clone(),
                };
                self.run_for_choice(what, Command::SetWrapUpReason { dialog_id, reason });
            }
        }
        if let Some(user) = self.snapshot.user.clone() {
            self.after_user_change(before, &user);
        }
    }
}
