//! Call control: what each dialog action does to calls, and the events it causes, in
//! the CTI order of §4.6. Requests are validated by the REST layer before they get here.
//! Consult calls, transfer and conference are in `transfer`.
use std::time::Duration;

use super::calls::{Call, CallKind, DialogState, Participant, ParticipantState};
use super::model::{AgentState, Status};
use super::reasons::SystemReason;
use super::{CallId, ContactCenter, ControlError};
use crate::clock::SimTime;
use crate::config::Flavour;

/// New call data from UPDATE_CALL_DATA.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallDataUpdate {
    pub variables: Vec<(String, String)>,
    pub wrap_up_reason: Option<String>,
    pub wrap_up_items: Option<Vec<String>>,
}

/// Where a dialed number leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Destination {
    /// A signed-in agent's extension: that agent's phone rings.
    Agent(String),
    /// A configured busy number.
    Busy,
    /// Anything else: an outside phone that answers after a while.
    Outside,
}

impl ContactCenter {
    pub(super) fn add_call(&mut self, call: Call) -> CallId {
        let id = call.id;
        self.st.calls.insert(id, call);
        self.st.stats.dirty = true;
        id
    }

    pub(super) fn set_participant(
        &mut self,
        now: SimTime,
        call: CallId,
        address: &str,
        state: ParticipantState,
    ) {
        if let Some(p) = self
            .st
            .calls
            .get_mut(&call)
            .and_then(|c| c.participant_mut(address))
        {
            p.set_state(state, now);
        }
    }

    pub(super) fn set_call_state(&mut self, call: CallId, state: DialogState) {
        if let Some(c) = self.st.calls.get_mut(&call) {
            c.state = state;
        }
    }

    pub(super) fn settle_agents(&mut self, now: SimTime, agents: &[String]) {
        for agent in agents {
            if let Some(idx) = self.agent_index(agent) {
                self.settle(now, idx);
            }
        }
    }

    /// Ring `to` on `call`: adds the destination party (not for a busy number).
    pub(super) fn ring(&mut self, now: SimTime, call: CallId, to: &str) -> Destination {
        let destination = match self.agent_on_extension(to) {
            Some(idx) => Destination::Agent(self.agent_id(idx)),
            None if self.cfg.external.busy_numbers.iter().any(|n| n == to) => Destination::Busy,
            None => Destination::Outside,
        };
        let answer_after = Duration::from_secs(u64::from(self.cfg.external.answer_after_seconds));
        if let Some(c) = self.st.calls.get_mut(&call) {
            match &destination {
                Destination::Agent(agent) => {
                    c.participants.push(Participant::new(
                        to,
                        Some(agent),
                        ParticipantState::Alerting,
                        now,
                    ));
                    c.state = DialogState::Alerting;
                }
                Destination::Outside => {
                    c.participants.push(Participant::new(
                        to,
                        None,
                        ParticipantState::Alerting,
                        now,
                    ));
                    c.state = DialogState::Alerting;
                    c.answer_deadline = Some(now.plus(answer_after));
                }
                Destination::Busy => {}
            }
        }
        destination
    }

    /// The originator's leg of a call to a busy number fails (CALL_FAILED, BUSY).
    pub(super) fn fail_busy(&mut self, now: SimTime, call: CallId) {
        if let Some(c) = self.st.calls.get_mut(&call) {
            if let Some(p) = c.participants.first_mut() {
                p.set_state(ParticipantState::Failed, now);
                p.cause = Some("BUSY");
            }
            c.state = DialogState::Failed;
        }
    }

    /// After ringing: tell everyone, and answer at once if outside parties do.
    pub(super) fn announce_ringing(
        &mut self,
        now: SimTime,
        call: CallId,
        destination: &Destination,
    ) {
        self.put_dialog_all(call);
        match destination {
            Destination::Agent(agent) => self.post_dialog(call, agent),
            Destination::Outside if self.cfg.external.answer_after_seconds == 0 => {
                self.outside_party_answers(now, call)
            }
            _ => {}
        }
    }

    /// MAKE_CALL: INITIATING (POST), INITIATED (PUT), then ALERTING / FAILED (§4.6).
    pub(super) fn make_call(
        &mut self,
        now: SimTime,
        idx: usize,
        to: &str,
        variables: &[(String, String)],
    ) {
        let agent = self.agent_id(idx);
        let Some(extension) = self.st.agents[idx].extension.clone() else {
            return;
        };
        if self.flavour() == Flavour::Ucce && self.st.agents[idx].state() == AgentState::Ready {
            let reason = SystemReason::CallFromReady.reason(Flavour::Ucce);
            self.change_status(now, idx, Status::new(AgentState::NotReady, Some(reason)));
        }
        let (kind, call_type) = if self.agent_on_extension(to).is_some() {
            (CallKind::Internal, "AGENT_INSIDE")
        } else {
            (CallKind::Outbound, "AGENT_OUT")
        };
        let id = self.next_call_id();
        let mut call = Call::new(id, kind, call_type, &extension, to);
        for (name, value) in variables {
            call.set_variable(name, value);
        }
        call.participants.push(Participant::new(
            &extension,
            Some(&agent),
            ParticipantState::Initiating,
            now,
        ));
        self.add_call(call);
        self.post_dialog(id, &agent);
        self.set_participant(now, id, &extension, ParticipantState::Initiated);
        self.set_call_state(id, DialogState::Initiated);
        self.put_dialog_all(id);
        self.settle(now, idx);
        let destination = self.ring(now, id, to);
        if destination == Destination::Busy {
            self.fail_busy(now, id);
        }
        self.announce_ringing(now, id, &destination);
        if let Destination::Agent(callee) = &destination {
            self.settle_agents(now, std::slice::from_ref(callee));
        }
    }

    /// Put every other active leg of an agent on hold (one active line per phone).
    fn hold_other_calls(&mut self, now: SimTime, agent: &str, except: CallId) {
        let others: Vec<(CallId, String)> = self
            .st
            .calls
            .values()
            .filter(|c| c.id != except && c.kind != CallKind::Monitor)
            .filter_map(|c| {
                let p = c.agent_participant(agent)?;
                (p.state == ParticipantState::Active && !p.passive)
                    .then(|| (c.id, p.address.clone()))
            })
            .collect();
        for (call, address) in others {
            self.set_participant(now, call, &address, ParticipantState::Held);
            self.put_dialog_all(call);
        }
    }

    /// Connect a ringing party; the call's originator gets connected too.
    fn connect(&mut self, now: SimTime, call: CallId, answering: &str) {
        if let Some(c) = self.st.calls.get_mut(&call) {
            for p in c.participants.iter_mut() {
                let connects = p.address == answering
                    || matches!(
                        p.state,
                        ParticipantState::Initiated | ParticipantState::Initiating
                    );
                if connects && p.state.is_live() && p.state != ParticipantState::Held {
                    p.set_state(ParticipantState::Active, now);
                }
            }
            c.state = DialogState::Active;
            c.ring_deadline = None;
            c.answer_deadline = None;
        }
        self.put_dialog_all(call);
        let agents = self
            .st
            .calls
            .get(&call)
            .map(Call::agent_ids)
            .unwrap_or_default();
        for agent in &agents {
            if let Some(idx) = self.agent_index(agent) {
                self.note_connected(idx, call);
            }
        }
        self.settle_agents(now, &agents);
        self.refresh_consult_origin(call);
        self.st.stats.dirty = true;
    }

    /// ANSWER (CALL_ESTABLISHED).
    pub(super) fn answer(&mut self, now: SimTime, call: CallId, address: &str) {
        if let Some(agent) = self.agent_at(call, address) {
            self.hold_other_calls(now, &agent, call);
        }
        self.connect(now, call, address);
    }

    /// The ringing outside party of a call picks up.
    pub(super) fn outside_party_answers(&mut self, now: SimTime, call: CallId) {
        let ringing = self.st.calls.get(&call).and_then(|c| {
            c.participants
                .iter()
                .find(|p| p.agent.is_none() && p.state == ParticipantState::Alerting)
                .map(|p| p.address.clone())
        });
        match ringing {
            Some(address) => self.connect(now, call, &address),
            None => {
                if let Some(c) = self.st.calls.get_mut(&call) {
                    c.answer_deadline = None;
                }
            }
        }
    }

    pub(super) fn agent_at(&self, call: CallId, address: &str) -> Option<String> {
        self.st
            .calls
            .get(&call)?
            .participant(address)?
            .agent
            .clone()
    }

    /// HOLD (CALL_HELD): the dialog stays ACTIVE.
    pub(super) fn hold(&mut self, now: SimTime, call: CallId, address: &str) {
        self.set_participant(now, call, address, ParticipantState::Held);
        self.put_dialog_all(call);
        if let Some(agent) = self.agent_at(call, address) {
            self.settle_agents(now, &[agent]);
        }
    }

    /// RETRIEVE (CALL_RETRIEVED).
    pub(super) fn retrieve(&mut self, now: SimTime, call: CallId, address: &str) {
        let agent = self.agent_at(call, address);
        if let Some(agent) = &agent {
            self.hold_other_calls(now, agent, call);
        }
        self.set_participant(now, call, address, ParticipantState::Active);
        self.put_dialog_all(call);
        if let Some(agent) = agent {
            self.settle_agents(now, &[agent]);
        }
    }

    /// DROP by a participant: the call clears when at most one party would remain,
    /// otherwise (a conference) only that party leaves.
    pub(super) fn drop_party(&mut self, now: SimTime, call: CallId, address: &str) {
        let Some(c) = self.st.calls.get(&call) else {
            return;
        };
        if c.kind == CallKind::Monitor {
            self.end_monitor(now, call);
            return;
        }
        let others = c
            .participants
            .iter()
            .filter(|p| p.address != address && p.state.is_live())
            .count();
        if others <= 1 {
            self.clear_call(now, call, Some(address));
        } else {
            self.leave_call(now, call, address);
        }
        self.st.stats.dirty = true;
    }

    /// PARTICIPANT_DROP: remove another party of a conference.
    pub(super) fn participant_drop(&mut self, now: SimTime, call: CallId, target: &str) {
        self.drop_party(now, call, target);
    }

    /// A customer (the first outside party) hangs up.
    pub fn customer_hang_up(&mut self, now: SimTime, call: CallId) -> Result<(), ControlError> {
        let c = self
            .st
            .calls
            .get(&call)
            .ok_or(ControlError::UnknownCall(call))?;
        if c.waiting {
            self.st.calls.remove(&call);
            self.st.stats.dirty = true;
            return Ok(());
        }
        if c.kind == CallKind::Monitor {
            return Err(ControlError::NoCustomer(call));
        }
        let address = c
            .customer()
            .map(|p| p.address.clone())
            .ok_or(ControlError::NoCustomer(call))?;
        self.drop_party(now, call, &address);
        self.route(now);
        Ok(())
    }

    /// The call ends for everyone (CALL_CONNECTION_CLEARED / CALL_CLEARED / END_CALL).
    pub(super) fn clear_call(&mut self, now: SimTime, call: CallId, leaver: Option<&str>) {
        let Some(c) = self.st.calls.get_mut(&call) else {
            return;
        };
        let agents = c.agent_ids();
        let outside_leaver =
            leaver.is_some_and(|l| c.participant(l).is_some_and(|p| p.agent.is_none()));
        let agent_connected = c
            .participants
            .iter()
            .any(|p| p.agent.is_some() && p.state == ParticipantState::Active);
        if let (Some(leaver), true, true) = (leaver, outside_leaver, agent_connected) {
            // The caller hung up first: its leg clears while the agent is still ACTIVE.
            if let Some(p) = c.participant_mut(leaver) {
                p.set_state(ParticipantState::Dropped, now);
            }
            self.put_dialog_all(call);
        }
        if let Some(c) = self.st.calls.get_mut(&call) {
            for p in c.participants.iter_mut().filter(|p| p.state.is_live()) {
                p.set_state(ParticipantState::Dropped, now);
            }
            c.state = DialogState::Dropped;
            c.ring_deadline = None;
            c.answer_deadline = None;
            c.waiting = false;
        }
        self.put_dialog_all(call);
        let posted = self
            .st
            .calls
            .get(&call)
            .map(|c| c.posted_to.clone())
            .unwrap_or_default();
        for agent in posted {
            let wraps = self
                .agent_index(&agent)
                .is_some_and(|idx| self.wraps_up_on(idx, call));
            if wraps {
                if let Some(p) = self
                    .st
                    .calls
                    .get_mut(&call)
                    .and_then(|c| c.participants.iter_mut().find(|p| p.is_agent(&agent)))
                {
                    p.set_state(ParticipantState::WrapUp, now);
                }
                self.put_dialog_to(call, &agent);
            } else {
                self.delete_dialog(call, &agent);
            }
        }
        self.end_monitors_of(now, call, None);
        self.orphan_consults(call);
        let consult_origin = self.st.calls.get(&call).and_then(|c| c.consult_of);
        let wrapping = self.st.calls.get(&call).is_some_and(|c| {
            c.participants
                .iter()
                .any(|p| p.state == ParticipantState::WrapUp)
        });
        if !wrapping {
            self.st.calls.remove(&call);
        }
        if let Some(origin) = consult_origin {
            for agent in &agents {
                self.put_dialog_to(origin, agent);
            }
        }
        self.settle_agents(now, &agents);
        self.st.stats.dirty = true;
    }

    /// One party leaves a call that goes on (a conference).
    fn leave_call(&mut self, now: SimTime, call: CallId, address: &str) {
        let agent = self.agent_at(call, address);
        self.set_participant(now, call, address, ParticipantState::Dropped);
        if let Some(agent) = &agent {
            self.delete_dialog(call, agent);
        }
        if let Some(c) = self.st.calls.get_mut(&call) {
            c.participants.retain(|p| p.address != address);
            if c.participants.iter().all(|p| p.agent.is_none()) {
                // Only outside parties remain: the call leaves the contact center.
                let id = c.id;
                self.st.calls.remove(&id);
            }
        }
        self.put_dialog_all(call);
        if let Some(agent) = agent {
            self.end_monitors_of(now, call, Some(&agent));
            self.settle_agents(now, &[agent]);
        }
    }

    /// Consult calls of a call that ended carry on without it.
    fn orphan_consults(&mut self, call: CallId) {
        for c in self
            .st
            .calls
            .values_mut()
            .filter(|c| c.consult_of == Some(call))
        {
            c.consult_of = None;
        }
    }

    /// The original call's TRANSFER / CONFERENCE actions depend on its consult call.
    pub(super) fn refresh_consult_origin(&mut self, call: CallId) {
        let Some(c) = self.st.calls.get(&call) else {
            return;
        };
        if let (Some(origin), Some(agent)) = (
            c.consult_of,
            c.participants.first().and_then(|p| p.agent.clone()),
        ) {
            self.put_dialog_to(origin, &agent);
        }
    }

    /// SEND_DTMF: recorded on the call (no event).
    pub(super) fn send_dtmf(&mut self, call: CallId, digits: &str) {
        if let Some(c) = self.st.calls.get_mut(&call) {
            c.dtmf.push_str(digits);
        }
    }

    /// UPDATE_CALL_DATA: new values go to every agent holding the dialog.
    pub(super) fn update_call_data(&mut self, call: CallId, update: CallDataUpdate) {
        let Some(c) = self.st.calls.get_mut(&call) else {
            return;
        };
        for (name, value) in &update.variables {
            c.set_variable(name, value);
        }
        if let Some(reason) = update.wrap_up_reason {
            c.wrap_up_reason = (!reason.is_empty()).then_some(reason);
        }
        if let Some(items) = update.wrap_up_items {
            c.wrap_up_items = items;
        }
        self.put_dialog_all(call);
    }
}
