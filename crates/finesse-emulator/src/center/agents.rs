//! Agent states: how calls, wrap-up, pending changes and forced changes move an agent.
//!
//! The rules (documented choices where Finesse's docs are silent):
//! - While an agent has calls, its state follows them: TALKING when connected, HOLD when
//!   every call is held (UCCE; UCCX stays TALKING), unchanged while a call only rings
//!   (RESERVED for routed deliveries). On UCCX, calls that did not come through a queue
//!   (non-ICD) leave the agent NOT_READY (§3.3).
//! - A change requested while busy becomes the pending state, applied when the last call
//!   ends (LOGOUT logs out at once then; READY / NOT_READY go through wrap-up if earned).
//! - Wrap-up is earned by a connected routed call (`wrapUpOnIncoming`) or an agent's
//!   outside call (`wrapUpOnOutgoing`); consults and agent-to-agent calls earn none.
//!   UCCE: READY target → WORK_READY, NOT_READY target → WORK. UCCX has only WORK.
//!   The timer (`wrapUpTimer`, 0 = none) expires to the target; a request for READY /
//!   NOT_READY ends wrap-up early. The ended call's dialog stays in the agent's collection
//!   with its participant in WRAP_UP (UPDATE_CALL_DATA only) and is DELETEd when wrap-up ends.
//! - After a routed call without wrap-up the agent returns to READY; after other calls to
//!   the status it had before them.
use crate::center::calls::{CallKind, ParticipantState};
use crate::center::model::{
    AgentState, BusyPeriod, MobileAgent, MobileMode, Reason, Status, WrapUp,
};
use crate::center::{CallId, ContactCenter, NodeId};
use crate::clock::SimTime;
use crate::config::Flavour;

/// One of an agent's live (not dropped, not wrapping up) non-passive call legs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Participation {
    pub call: CallId,
    pub state: ParticipantState,
    pub routed: bool,
}

/// How to sign an agent in.
#[derive(Debug, Clone)]
pub(crate) struct SignIn {
    pub extension: String,
    pub mobile: Option<(MobileMode, String)>,
    pub device: Option<String>,
}

impl ContactCenter {
    /// Set an agent's state and reason; publishes only when something changed.
    pub(super) fn change_status(&mut self, now: SimTime, idx: usize, status: Status) {
        let rt = &mut self.st.agents[idx];
        if rt.status == status {
            return;
        }
        if status.state == AgentState::Ready && rt.status.state != AgentState::Ready {
            rt.ready_since = now;
        }
        rt.status = status;
        rt.state_changed = Some(now);
        self.st.stats.dirty = true;
        self.publish_user(idx);
    }

    /// Set (or clear) the pending state; publishes when it changed.
    pub(super) fn set_pending(&mut self, idx: usize, pending: Option<Status>) {
        if self.st.agents[idx].pending == pending {
            return;
        }
        self.st.agents[idx].pending = pending;
        self.publish_user(idx);
    }

    pub(super) fn live_participations(&self, agent_id: &str) -> Vec<Participation> {
        self.st
            .calls
            .values()
            .flat_map(|c| {
                c.participants
                    .iter()
                    .filter(|p| p.is_agent(agent_id) && p.state.is_live() && !p.passive)
                    .map(|p| Participation {
                        call: c.id,
                        state: p.state,
                        routed: c.routed,
                    })
            })
            .collect()
    }

    pub(super) fn is_busy(&self, idx: usize) -> bool {
        !self
            .live_participations(&self.cfg.agents[idx].id)
            .is_empty()
    }

    fn ensure_busy(&mut self, idx: usize) {
        let rt = &mut self.st.agents[idx];
        if rt.busy.is_none() {
            let return_to = match rt.status.state {
                AgentState::Ready | AgentState::Reserved => Status::plain(AgentState::Ready),
                _ => rt.status.clone(),
            };
            rt.busy = Some(BusyPeriod {
                return_to,
                wrap_mode: None,
                wrap_call: None,
            });
        }
    }

    /// An agent got connected on a call: remember the wrap-up it earns.
    pub(super) fn note_connected(&mut self, idx: usize, call: CallId) {
        let Some(c) = self.st.calls.get(&call) else {
            return;
        };
        let cfg = &self.cfg.agents[idx];
        let originator = c.participants.first().is_some_and(|p| p.is_agent(&cfg.id));
        let mode = if c.routed {
            Some(cfg.wrap_up_on_incoming)
        } else if c.kind == CallKind::Outbound && originator {
            Some(cfg.wrap_up_on_outgoing)
        } else {
            None
        };
        self.ensure_busy(idx);
        if let (Some(mode), Some(busy)) = (
            mode.filter(|m| m.enabled()),
            self.st.agents[idx].busy.as_mut(),
        ) {
            busy.wrap_mode = Some(mode);
            busy.wrap_call = Some(call);
        }
    }

    /// Bring an agent's state in line with its calls (see the module rules).
    pub(super) fn settle(&mut self, now: SimTime, idx: usize) {
        let id = self.agent_id(idx);
        let parts = self.live_participations(&id);
        if parts.is_empty() {
            if self.st.agents[idx].busy.is_some() {
                self.after_calls(now, idx);
            }
            return;
        }
        self.ensure_busy(idx);
        let connected = parts.iter().any(|p| {
            matches!(
                p.state,
                ParticipantState::Active
                    | ParticipantState::Initiating
                    | ParticipantState::Initiated
                    | ParticipantState::Failed
            )
        });
        let held = parts.iter().any(|p| p.state == ParticipantState::Held);
        if !connected && !held {
            return;
        }
        if let Some(wrap) = self.st.agents[idx].wrap_up.take() {
            // Picking up a call during wrap-up ends the wrap-up.
            self.delete_wrap_dialogs(idx);
            if let Some(busy) = self.st.agents[idx].busy.as_mut() {
                busy.return_to = wrap.then;
            }
        }
        let rt = &self.st.agents[idx];
        let icd = parts.iter().any(|p| p.routed);
        let desired = if self.flavour() == Flavour::Uccx && !icd {
            match rt.status.state {
                AgentState::NotReady => rt.status.clone(),
                _ => Status::plain(AgentState::NotReady),
            }
        } else if connected {
            Status::plain(AgentState::Talking)
        } else if self.flavour() == Flavour::Ucce {
            Status::plain(AgentState::Hold)
        } else {
            Status::plain(AgentState::Talking)
        };
        self.change_status(now, idx, desired);
    }

    /// Whether the agent will wrap up on `call` when it clears (its dialog then stays in
    /// WRAP_UP instead of being deleted).
    pub(super) fn wraps_up_on(&self, idx: usize, call: CallId) -> bool {
        let rt = &self.st.agents[idx];
        let earned = rt
            .busy
            .as_ref()
            .is_some_and(|b| b.wrap_call == Some(call) && b.wrap_mode.is_some_and(|m| m.enabled()));
        let logging_out = rt
            .pending
            .as_ref()
            .is_some_and(|p| p.state == AgentState::Logout);
        let other_calls = self
            .live_participations(&self.cfg.agents[idx].id)
            .iter()
            .any(|p| p.call != call);
        earned && !logging_out && !other_calls
    }

    /// The last call of a busy period ended.
    fn after_calls(&mut self, now: SimTime, idx: usize) {
        let rt = &mut self.st.agents[idx];
        let busy = rt.busy.take();
        let pending = rt.pending.take();
        let had_pending = pending.is_some();
        let current = rt.status.clone();
        let return_to = busy.as_ref().map_or(current, |b| b.return_to.clone());
        let target = match pending {
            Some(p) if p.state == AgentState::Logout => {
                self.log_out(now, idx, p.reason);
                return;
            }
            Some(p) => p,
            None => return_to,
        };
        if target.state.is_wrap_up() && self.st.agents[idx].wrap_up.is_some() {
            // A call that only rang during wrap-up: wrap-up simply continues.
            self.apply_after_calls(now, idx, target, had_pending);
            return;
        }
        let wrap_mode = busy.and_then(|b| b.wrap_mode).filter(|m| m.enabled());
        let wrap_target = matches!(target.state, AgentState::Ready | AgentState::NotReady);
        if wrap_mode.is_some() && wrap_target {
            let wrap_state = match (self.flavour(), target.state) {
                (Flavour::Ucce, AgentState::Ready) => AgentState::WorkReady,
                _ => AgentState::Work,
            };
            let seconds = self.cfg.agents[idx].wrap_up_timer_seconds;
            self.st.agents[idx].wrap_up = Some(WrapUp {
                until: (seconds > 0)
                    .then(|| now.plus(std::time::Duration::from_secs(u64::from(seconds)))),
                then: target,
            });
            self.apply_after_calls(now, idx, Status::plain(wrap_state), had_pending);
        } else {
            self.delete_wrap_dialogs(idx);
            self.apply_after_calls(now, idx, target, had_pending);
        }
    }

    /// Apply the post-call status; a cleared pending state is announced even when the
    /// state itself stays the same.
    fn apply_after_calls(&mut self, now: SimTime, idx: usize, status: Status, had_pending: bool) {
        let unchanged = self.st.agents[idx].status == status;
        self.change_status(now, idx, status);
        if unchanged && had_pending {
            self.publish_user(idx);
        }
    }

    /// Leave wrap-up for `next` (timer expiry, or the agent asked for READY / NOT_READY).
    pub(super) fn end_wrap_up(&mut self, now: SimTime, idx: usize, next: Status) {
        self.st.agents[idx].wrap_up = None;
        self.delete_wrap_dialogs(idx);
        if next.state == AgentState::Logout {
            self.log_out(now, idx, next.reason);
        } else {
            self.change_status(now, idx, next);
        }
    }

    /// DELETE the dialogs an agent kept for wrap-up.
    pub(super) fn delete_wrap_dialogs(&mut self, idx: usize) {
        let id = self.agent_id(idx);
        let calls: Vec<CallId> = self
            .st
            .calls
            .values()
            .filter(|c| {
                c.agent_participant(&id)
                    .is_some_and(|p| p.state == ParticipantState::WrapUp)
            })
            .map(|c| c.id)
            .collect();
        for call in calls {
            if let Some(c) = self.st.calls.get_mut(&call) {
                for p in c.participants.iter_mut().filter(|p| p.is_agent(&id)) {
                    p.state = ParticipantState::Dropped;
                }
            }
            self.delete_dialog(call, &id);
            let keep = self.st.calls.get(&call).is_some_and(|c| {
                c.participants
                    .iter()
                    .any(|p| p.state == ParticipantState::WrapUp)
                    || c.live_count() > 0
            });
            if !keep {
                self.st.calls.remove(&call);
            }
        }
    }

    /// Sign an agent out, forgetting its device.
    pub(super) fn log_out(&mut self, now: SimTime, idx: usize, reason: Option<Reason>) {
        self.delete_wrap_dialogs(idx);
        let rt = &mut self.st.agents[idx];
        rt.wrap_up = None;
        rt.busy = None;
        rt.pending = None;
        rt.extension = None;
        rt.mobile = None;
        rt.active_device = None;
        self.change_status(now, idx, Status::new(AgentState::Logout, reason));
    }

    /// Sign an agent in on a device: NOT_READY with reasonCodeId -1 (§3.2).
    pub(super) fn sign_in(&mut self, now: SimTime, idx: usize, node: NodeId, how: SignIn) {
        let rt = &mut self.st.agents[idx];
        rt.extension = Some(how.extension);
        rt.active_device = how.device;
        rt.mobile = how.mobile.map(|(mode, dial_number)| MobileAgent {
            mode,
            dial_number,
            node,
            // A nailed connection dials the agent once, at sign-in.
            dial_outs: u32::from(mode == MobileMode::NailedConnection),
        });
        rt.pending = None;
        rt.busy = None;
        rt.wrap_up = None;
        self.change_status(now, idx, Status::plain(AgentState::NotReady));
    }

    /// A change forced on the agent (supervisor, presence logout): applied now when idle,
    /// pending while on calls.
    pub(super) fn force_status(&mut self, now: SimTime, idx: usize, status: Status) {
        if !self.st.agents[idx].signed_in() {
            return;
        }
        if self.is_busy(idx) {
            self.set_pending(idx, Some(status));
        } else if self.st.agents[idx].wrap_up.is_some() {
            self.end_wrap_up(now, idx, status);
        } else if status.state == AgentState::Logout {
            self.log_out(now, idx, status.reason);
        } else {
            self.change_status(now, idx, status);
        }
    }
}
