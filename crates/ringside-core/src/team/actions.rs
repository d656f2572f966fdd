//! The supervisor's side of the board: their context (state, monitor call), actions on
//! agents with their pending marks, and the errors that end them.
use finesse::model::{ApiError, DialogState, Snapshot};
use finesse::session::{Command, SessionError};

use super::board::TeamBoard;
use super::error::TeamError;
use super::member::MemberCall;
use super::pending::{self, is_monitor_action, PendingAction};
use super::rules::{allowed_actions, command_for, supervisor_confirms};
use super::supervisor::SupervisorContext;
use super::view::{TeamAction, TeamActionRequest};

impl TeamBoard {
    /// Reads the supervisor's context from the session's snapshot (call it whenever the
    /// snapshot or the connection changes; it costs nothing when the context is unchanged).
    pub fn sync_supervisor(&mut self, snapshot: &Snapshot, connected: bool) -> bool {
        let context =
            SupervisorContext::from_snapshot(snapshot, connected, self.last_monitored.as_deref());
        if let Some(extension) = context.monitored_extension() {
            self.last_monitored = Some(extension.to_owned());
        } else if !self.barge_in_flight() && !has_live_dialog(snapshot) {
            // Between the end of the monitor call and the conference a barge turns it into,
            // the supervisor is still on a call (or the barge is pending): keep the memory.
            self.last_monitored = None;
        }
        self.set_supervisor(context)
    }

    /// Replaces the supervisor's context; rows whose actions, monitor mark or call details
    /// change are marked for the next diff, and monitor actions it confirms stop pending.
    pub fn set_supervisor(&mut self, context: SupervisorContext) -> bool {
        if context == self.supervisor {
            return false;
        }
        let old = std::mem::replace(&mut self.supervisor, context);
        if old.deployment != self.supervisor.deployment {
            self.rebuild_reasons();
        }
        let monitored = self.supervisor.monitored_extension().map(str::to_owned);
        let monitor_call = self.supervisor.monitoring.as_ref().map(|call| MemberCall {
            direction: call.direction,
            caller: call.caller.clone(),
            started: call
                .started_at
                .map(|at| at.timestamp_millis().saturating_sub(self.offset_ms)),
        });
        for slot in 0..self.slots.len() {
            let Some(entry) = self.slots[slot].as_mut() else {
                continue;
            };
            let is_monitored = monitored.is_some() && entry.extension() == monitored.as_deref();
            let call = if is_monitored {
                monitor_call.clone()
            } else {
                None
            };
            let mut changed = entry.monitor_call != call;
            entry.monitor_call = call;
            let was_monitored = old.monitored_extension().is_some()
                && entry.extension() == old.monitored_extension();
            changed |= was_monitored != is_monitored;
            changed |= allowed_actions(&entry.member, &old)
                != allowed_actions(&entry.member, &self.supervisor);
            if let Some(pending) = entry.pending {
                if is_monitor_action(pending.action)
                    && supervisor_confirms(pending.action, entry.extension(), &self.supervisor)
                {
                    entry.pending = None;
                    changed = true;
                }
            }
            if changed {
                self.mark(slot);
            }
        }
        true
    }

    /// What the supervisor may do to this agent now.
    pub fn allowed_actions_for(&self, agent_id: &str) -> Vec<TeamAction> {
        self.entry(agent_id)
            .map(|entry| allowed_actions(&entry.member, &self.supervisor))
            .unwrap_or_default()
    }

    /// Starts an action: checks Finesse's rules against the latest state, marks the row
    /// pending and returns the session command to send. The command's result goes back
    /// through [`Self::action_succeeded`] / [`Self::action_failed`].
    pub fn begin_action(
        &mut self,
        request: &TeamActionRequest,
        now_ms: i64,
    ) -> Result<Command, TeamError> {
        if self.chosen.is_none() {
            return Err(TeamError::NoTeamChosen);
        }
        let agent_id = request.agent_id.trim();
        let unknown = || TeamError::UnknownAgent {
            agent_id: agent_id.to_owned(),
        };
        let slot = self.slot_of(agent_id).ok_or_else(unknown)?;
        let timeout = self.policy.pending_timeout_ms;
        let monitor_pending = self
            .pending
            .iter()
            .copied()
            .filter(|&other| self.pending_action(other).is_some_and(is_monitor_action))
            .find_map(|other| self.slots.get(other)?.as_ref())
            .map(|entry| entry.member.login_id.clone());
        let supervisor = &self.supervisor;
        let entry = self
            .slots
            .get_mut(slot)
            .and_then(Option::as_mut)
            .ok_or_else(unknown)?;
        if entry.pending.is_some() {
            return Err(TeamError::ActionPending {
                agent_id: agent_id.to_owned(),
            });
        }
        // One monitor call at a time: another agent's monitor request must finish first.
        if is_monitor_action(request.action) {
            if let Some(other) = monitor_pending {
                return Err(TeamError::ActionPending { agent_id: other });
            }
        }
        let not_allowed = || TeamError::ActionNotAllowed {
            agent_id: agent_id.to_owned(),
            action: request.action,
        };
        if !allowed_actions(&entry.member, supervisor).contains(&request.action) {
            return Err(not_allowed());
        }
        let command =
            command_for(request.action, &entry.member, supervisor).ok_or_else(not_allowed)?;
        entry.pending = Some(PendingAction {
            action: request.action,
            deadline: now_ms.saturating_add(timeout),
        });
        entry.error = None;
        self.pending.push(slot);
        self.mark(slot);
        Ok(command)
    }

    /// The session finished the action's command: Finesse's event confirmed it (or, for an
    /// agent no event can reach, Finesse accepted it). Ends the pending mark.
    pub fn action_succeeded(&mut self, agent_id: &str, action: TeamAction) -> bool {
        self.end_pending(agent_id, action, None)
    }

    /// The action's command failed: the row shows why until dismissed or the next action.
    pub fn action_failed(
        &mut self,
        agent_id: &str,
        action: TeamAction,
        error: &SessionError,
    ) -> bool {
        self.end_pending(
            agent_id,
            action,
            Some(pending::describe_session_error(error)),
        )
    }

    /// Finesse errors no command claimed (`apiErrors` on the agent's User, or on a dialog
    /// for a monitor request): shown on the row of the agent whose action they end.
    pub fn api_errors(&mut self, source: &str, errors: &[ApiError]) -> bool {
        let agent = match user_of_source(source) {
            // An error about one agent's User belongs to that agent's action only.
            Some(id) => self
                .slot_of(id)
                .filter(|&slot| self.pending_action(slot).is_some()),
            // Monitor requests fail on the supervisor's dialogs.
            None => self
                .pending
                .iter()
                .copied()
                .find(|&slot| self.pending_action(slot).is_some_and(is_monitor_action)),
        };
        let Some(slot) = agent else {
            return false;
        };
        let Some(entry) = self.slots.get_mut(slot).and_then(Option::as_mut) else {
            return false;
        };
        entry.pending = None;
        entry.error = Some(pending::describe_api_errors(errors));
        self.mark(slot);
        true
    }

    /// Hides the row's error.
    pub fn dismiss_error(&mut self, agent_id: &str) -> bool {
        let Some(slot) = self.slot_of(agent_id) else {
            return false;
        };
        let cleared = self
            .slots
            .get_mut(slot)
            .and_then(Option::as_mut)
            .and_then(|entry| entry.error.take())
            .is_some();
        if cleared {
            self.mark(slot);
        }
        cleared
    }

    /// Turns actions past their deadline into "no answer" errors.
    pub(super) fn expire_pending(&mut self, now_ms: i64) {
        let mut expired = Vec::new();
        for &slot in &self.pending {
            if let Some(entry) = self.slots.get_mut(slot).and_then(Option::as_mut) {
                if let Some(p) = entry.pending.filter(|p| p.deadline <= now_ms) {
                    entry.pending = None;
                    entry.error = Some(pending::no_answer(p.action));
                    expired.push(slot);
                }
            }
        }
        for slot in expired {
            self.mark(slot);
        }
        let slots = &self.slots;
        self.pending.retain(|&slot| {
            slots
                .get(slot)
                .and_then(Option::as_ref)
                .is_some_and(|entry| entry.pending.is_some())
        });
    }

    fn end_pending(
        &mut self,
        agent_id: &str,
        action: TeamAction,
        error: Option<crate::desk::UiError>,
    ) -> bool {
        let Some(slot) = self.slot_of(agent_id) else {
            return false;
        };
        let Some(entry) = self.slots.get_mut(slot).and_then(Option::as_mut) else {
            return false;
        };
        let was_pending = entry.pending.is_some_and(|p| p.action == action);
        if was_pending {
            entry.pending = None;
        }
        // An error is shown even when the event already ended the pending mark.
        let failed = error.is_some();
        if failed {
            entry.error = error;
        }
        if was_pending || failed {
            self.mark(slot);
        }
        was_pending || failed
    }

    fn pending_action(&self, slot: usize) -> Option<TeamAction> {
        self.slots.get(slot)?.as_ref()?.pending.map(|p| p.action)
    }

    fn barge_in_flight(&self) -> bool {
        self.pending
            .iter()
            .any(|&slot| self.pending_action(slot) == Some(TeamAction::BargeIn))
    }
}

/// `/finesse/api/User/{id}` → `id` (not the user's Dialogs or other sub-resources).
fn user_of_source(source: &str) -> Option<&str> {
    let rest = source.trim().trim_end_matches('/');
    let index = rest.to_ascii_lowercase().find("/finesse/api/user/")?;
    let id = &rest[index + "/finesse/api/user/".len()..];
    (!id.is_empty() && !id.contains('/')).then_some(id)
}

fn has_live_dialog(snapshot: &Snapshot) -> bool {
    snapshot
        .dialogs
        .values()
        .any(|d| !matches!(d.state, DialogState::Dropped | DialogState::Failed))
}
