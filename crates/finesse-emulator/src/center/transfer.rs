//! Consult calls and what completes them: TRANSFER, CONFERENCE, and the single-step
//! TRANSFER_SST, with the event order of §4.6.
use std::time::Duration;

use super::calls::{Call, CallKind, DialogState, Participant, ParticipantState};
use super::control::Destination;
use super::{CallId, ContactCenter};
use crate::clock::SimTime;

impl ContactCenter {
    /// CONSULT_CALL from an active call: the call is held and a consult call placed.
    pub(super) fn consult(&mut self, now: SimTime, call: CallId, address: &str, to: &str) {
        let Some(agent) = self.agent_at(call, address) else {
            return;
        };
        self.set_participant(now, call, address, ParticipantState::Held);
        self.put_dialog_all(call);
        let id = self.next_call_id();
        let mut consult = Call::new(id, CallKind::Consult, "CONSULT", address, to);
        if let Some(original) = self.st.calls.get(&call) {
            consult.call_variables = original.call_variables.clone();
            consult.ecc = original.ecc.clone();
        }
        consult.consult_of = Some(call);
        consult.associated = Some(call);
        consult.participants.push(Participant::new(
            address,
            Some(&agent),
            ParticipantState::Initiating,
            now,
        ));
        self.add_call(consult);
        self.post_dialog(id, &agent);
        self.set_participant(now, id, address, ParticipantState::Initiated);
        self.set_call_state(id, DialogState::Initiated);
        self.put_dialog_all(id);
        let destination = self.ring(now, id, to);
        if destination == Destination::Busy {
            self.fail_busy(now, id);
        }
        self.announce_ringing(now, id, &destination);
        self.refresh_consult_origin(id);
        let mut settle = vec![agent];
        if let Destination::Agent(callee) = destination {
            settle.push(callee);
        }
        self.settle_agents(now, &settle);
    }

    /// The consult call of `agent` from `call`, and the party it reaches.
    fn consult_leg(&self, call: CallId, agent: &str) -> Option<(CallId, Participant)> {
        let original = self.st.calls.get(&call)?;
        let consult = self.consult_call_from(original, agent)?;
        let destination = consult
            .participants
            .iter()
            .find(|p| !p.is_agent(agent) && p.state.is_live())?
            .clone();
        Some((consult.id, destination))
    }

    /// End a consult call silently except for the DELETEs to its agents.
    fn dissolve_consult(&mut self, now: SimTime, consult: CallId, agents: &[&str]) {
        if let Some(c) = self.st.calls.get_mut(&consult) {
            for p in c.participants.iter_mut() {
                p.set_state(ParticipantState::Dropped, now);
            }
            c.state = DialogState::Dropped;
        }
        for agent in agents {
            self.delete_dialog(consult, agent);
        }
        self.end_monitors_of(now, consult, None);
        self.st.calls.remove(&consult);
    }

    /// TRANSFER after a consult: DELETE original on A, DELETE consult on A and on B, POST
    /// original on B (§4.6).
    pub(super) fn transfer(&mut self, now: SimTime, call: CallId, address: &str) {
        let Some(agent) = self.agent_at(call, address) else {
            return;
        };
        let Some((consult, destination)) = self.consult_leg(call, &agent) else {
            return;
        };
        self.set_participant(now, call, address, ParticipantState::Dropped);
        self.delete_dialog(call, &agent);
        if let Some(c) = self.st.calls.get_mut(&call) {
            c.participants.retain(|p| p.address != address);
        }
        let mut consult_agents = vec![agent.as_str()];
        if let Some(b) = destination.agent.as_deref() {
            consult_agents.push(b);
        }
        let answer_deadline = self.st.calls.get(&consult).and_then(|c| c.answer_deadline);
        self.dissolve_consult(now, consult, &consult_agents);
        self.join(now, call, destination.clone(), answer_deadline);
        self.end_monitors_of(now, call, Some(&agent));
        let mut settle = vec![agent.clone()];
        settle.extend(destination.agent);
        self.settle_agents(now, &settle);
        self.st.stats.dirty = true;
    }

    /// A party joins a call (transfer target); the call leaves the center when no agent
    /// is left on it.
    fn join(
        &mut self,
        now: SimTime,
        call: CallId,
        party: Participant,
        answer_deadline: Option<SimTime>,
    ) {
        let Some(c) = self.st.calls.get_mut(&call) else {
            return;
        };
        let mut joined = party;
        joined.started = now;
        joined.changed = now;
        let ringing = joined.state == ParticipantState::Alerting;
        let agent = joined.agent.clone();
        c.participants.push(joined);
        c.state = if ringing {
            DialogState::Alerting
        } else {
            DialogState::Active
        };
        if agent.is_none() && ringing {
            c.answer_deadline = answer_deadline;
        }
        if c.participants.iter().all(|p| p.agent.is_none()) {
            self.st.calls.remove(&call);
            return;
        }
        let existing = c.posted_to.clone();
        if let Some(agent) = &agent {
            self.post_dialog(call, agent);
            if !ringing {
                if let Some(idx) = self.agent_index(agent) {
                    self.note_connected(idx, call);
                }
            }
        }
        for other in existing {
            self.put_dialog_to(call, &other);
        }
    }

    /// CONFERENCE after a consult: the consult call ends (DELETE on A and B) and B joins the
    /// original call (PUT to its agents, POST to B).
    pub(super) fn conference(&mut self, now: SimTime, call: CallId, address: &str) {
        let Some(agent) = self.agent_at(call, address) else {
            return;
        };
        let Some((consult, destination)) = self.consult_leg(call, &agent) else {
            return;
        };
        let mut consult_agents = vec![agent.as_str()];
        if let Some(b) = destination.agent.as_deref() {
            consult_agents.push(b);
        }
        self.dissolve_consult(now, consult, &consult_agents);
        if let Some(c) = self.st.calls.get_mut(&call) {
            if let Some(p) = c.participant_mut(address) {
                p.set_state(ParticipantState::Active, now);
            }
            let mut joined = destination.clone();
            joined.started = now;
            joined.changed = now;
            c.participants.push(joined);
            c.call_type = "CONFERENCE".into();
            c.conference_controller = Some(agent.clone());
            c.state = DialogState::Active;
        }
        self.put_dialog_all(call);
        if let Some(b) = &destination.agent {
            self.post_dialog(call, b);
            if let Some(idx) = self.agent_index(b) {
                self.note_connected(idx, call);
            }
        }
        let mut settle = vec![agent.clone()];
        settle.extend(destination.agent);
        self.settle_agents(now, &settle);
        self.st.stats.dirty = true;
    }

    /// TRANSFER_SST: the agent leaves and the call rings at the destination.
    pub(super) fn single_step_transfer(
        &mut self,
        now: SimTime,
        call: CallId,
        address: &str,
        to: &str,
    ) {
        let Some(agent) = self.agent_at(call, address) else {
            return;
        };
        self.set_participant(now, call, address, ParticipantState::Dropped);
        self.delete_dialog(call, &agent);
        if let Some(c) = self.st.calls.get_mut(&call) {
            c.participants.retain(|p| p.address != address);
        }
        self.end_monitors_of(now, call, Some(&agent));
        let destination = match self.agent_on_extension(to) {
            Some(idx) => Destination::Agent(self.agent_id(idx)),
            None if self.cfg.external.busy_numbers.iter().any(|n| n == to) => Destination::Busy,
            None => Destination::Outside,
        };
        match &destination {
            Destination::Busy => self.clear_call(now, call, None),
            Destination::Agent(b) => {
                let party = Participant::new(to, Some(b), ParticipantState::Alerting, now);
                self.join(now, call, party, None);
            }
            Destination::Outside => {
                let answer = now.plus(Duration::from_secs(u64::from(
                    self.cfg.external.answer_after_seconds,
                )));
                let party = Participant::new(to, None, ParticipantState::Alerting, now);
                self.join(now, call, party, Some(answer));
            }
        }
        let mut settle = vec![agent];
        if let Destination::Agent(b) = destination {
            settle.push(b);
        }
        self.settle_agents(now, &settle);
        self.st.stats.dirty = true;
    }
}
