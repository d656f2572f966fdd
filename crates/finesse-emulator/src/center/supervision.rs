//! Silent monitor and barge-in (§6.3).
//!
//! A monitor call is a dialog of callType SUPERVISOR_MONITOR between the supervisor
//! (ACTIVE, actions BARGE_CALL and DROP) and the monitored agent (ACTIVE, no actions); it
//! is POSTed to both, so the agent sees a passive second call. It ends when the supervisor
//! drops it or the agent leaves the monitored call. Barge-in replaces it: the supervisor
//! joins the monitored call, which becomes a conference.
use super::calls::{Call, CallKind, DialogState, Participant, ParticipantState};
use super::{CallId, ContactCenter};
use crate::clock::SimTime;

impl ContactCenter {
    /// Start monitoring `agent`'s call `target` for `supervisor`.
    pub(super) fn start_monitor(
        &mut self,
        now: SimTime,
        supervisor: usize,
        agent: usize,
        target: CallId,
    ) {
        let (Some(sup_ext), Some(agent_ext)) = (
            self.st.agents[supervisor].extension.clone(),
            self.st.agents[agent].extension.clone(),
        ) else {
            return;
        };
        let sup_id = self.agent_id(supervisor);
        let agent_id = self.agent_id(agent);
        let id = self.next_call_id();
        let mut call = Call::new(
            id,
            CallKind::Monitor,
            "SUPERVISOR_MONITOR",
            &sup_ext,
            &agent_ext,
        );
        if let Some(monitored) = self.st.calls.get(&target) {
            call.call_variables = monitored.call_variables.clone();
            call.ecc = monitored.ecc.clone();
        }
        call.monitor_of = Some(target);
        call.state = DialogState::Active;
        call.participants.push(Participant::new(
            &sup_ext,
            Some(&sup_id),
            ParticipantState::Active,
            now,
        ));
        let mut monitored =
            Participant::new(&agent_ext, Some(&agent_id), ParticipantState::Active, now);
        monitored.passive = true;
        call.participants.push(monitored);
        self.st.calls.insert(id, call);
        self.post_dialog(id, &sup_id);
        self.post_dialog(id, &agent_id);
        self.settle(now, supervisor);
    }

    /// The monitor call ends (DELETE to supervisor and agent).
    pub(super) fn end_monitor(&mut self, now: SimTime, monitor: CallId) {
        let Some(c) = self.st.calls.get_mut(&monitor) else {
            return;
        };
        for p in c.participants.iter_mut() {
            p.set_state(ParticipantState::Dropped, now);
        }
        c.state = DialogState::Dropped;
        let supervisor = c
            .participants
            .iter()
            .find(|p| !p.passive)
            .and_then(|p| p.agent.clone());
        for agent in c.posted_to.clone() {
            self.delete_dialog(monitor, &agent);
        }
        self.st.calls.remove(&monitor);
        if let Some(idx) = supervisor.and_then(|s| self.agent_index(&s)) {
            self.settle(now, idx);
        }
    }

    /// End the monitor calls on `call` (only those monitoring `agent`, when given).
    pub(super) fn end_monitors_of(&mut self, now: SimTime, call: CallId, agent: Option<&str>) {
        let monitors: Vec<CallId> = self
            .st
            .calls
            .values()
            .filter(|c| c.kind == CallKind::Monitor && c.monitor_of == Some(call))
            .filter(|c| {
                agent.is_none_or(|a| c.participants.iter().any(|p| p.passive && p.is_agent(a)))
            })
            .map(|c| c.id)
            .collect();
        for monitor in monitors {
            self.end_monitor(now, monitor);
        }
    }

    /// The supervisor's monitor call on a call, if any.
    pub(super) fn monitor_of_call(&self, call: CallId) -> Option<&Call> {
        self.st
            .calls
            .values()
            .find(|c| c.kind == CallKind::Monitor && c.monitor_of == Some(call))
    }

    /// BARGE_CALL: the monitor call is replaced by the supervisor joining the monitored call.
    pub(super) fn barge(&mut self, now: SimTime, monitor: CallId) {
        let Some(m) = self.st.calls.get(&monitor) else {
            return;
        };
        let Some(target) = m.monitor_of else {
            return;
        };
        let Some(sup) = m.participants.iter().find(|p| !p.passive).cloned() else {
            return;
        };
        let Some(sup_id) = sup.agent.clone() else {
            return;
        };
        if let Some(m) = self.st.calls.get_mut(&monitor) {
            for p in m.participants.iter_mut() {
                p.set_state(ParticipantState::Dropped, now);
            }
            m.state = DialogState::Dropped;
        }
        for agent in self
            .st
            .calls
            .get(&monitor)
            .map(|m| m.posted_to.clone())
            .unwrap_or_default()
        {
            self.delete_dialog(monitor, &agent);
        }
        self.st.calls.remove(&monitor);
        if let Some(c) = self.st.calls.get_mut(&target) {
            c.participants.push(Participant::new(
                &sup.address,
                Some(&sup_id),
                ParticipantState::Active,
                now,
            ));
            c.call_type = "CONFERENCE".into();
            c.state = DialogState::Active;
        }
        self.put_dialog_all(target);
        self.post_dialog(target, &sup_id);
        if let Some(idx) = self.agent_index(&sup_id) {
            self.settle(now, idx);
        }
        self.st.stats.dirty = true;
    }
}
