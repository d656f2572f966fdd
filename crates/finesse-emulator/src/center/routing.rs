//! Queues: customer calls waiting, longest-available routing, ring-no-answer and the
//! queue statistics published every 10 s when they change (§5.5).
use std::collections::BTreeMap;
use std::time::Duration;

use super::calls::{Call, CallKind, DialogState, Participant, ParticipantState};
use super::model::{AgentState, BusyPeriod, MobileMode, Status};
use super::reasons::SystemReason;
use super::truth::QueueStats;
use super::{CallId, CallSpec, ContactCenter, ControlError};
use crate::clock::SimTime;
use crate::config::Flavour;

/// Minimum spacing of queue statistics notifications.
pub(crate) const QUEUE_STATS_INTERVAL: Duration = Duration::from_secs(10);

/// What was last published per queue, so only changes are sent.
#[derive(Debug, Clone, Default)]
pub(crate) struct StatsTracker {
    pub last: BTreeMap<String, QueueStats>,
    pub last_check: Option<SimTime>,
    /// Something that may change statistics happened since the last check.
    pub dirty: bool,
}

impl ContactCenter {
    /// A customer call arrives at a queue: it is delivered to the longest-available READY
    /// member, or waits until one becomes READY. Returns the call (dialog) id.
    pub fn place_call(&mut self, now: SimTime, spec: CallSpec) -> Result<CallId, ControlError> {
        let queue = self
            .cfg
            .queues
            .iter()
            .find(|q| q.id == spec.queue)
            .cloned()
            .ok_or_else(|| ControlError::UnknownQueue(spec.queue.clone()))?;
        if spec.caller.trim().is_empty() {
            return Err(ControlError::InvalidCall(
                "the caller number is empty".into(),
            ));
        }
        let dialed = if spec.dialed_number.is_empty() {
            queue.dialed_number.clone()
        } else {
            spec.dialed_number.clone()
        };
        let default_type = match self.cfg.flavour {
            Flavour::Ucce => "PREROUTE_ACD_IN",
            Flavour::Uccx => "ACD_IN",
        };
        let id = self.next_call_id();
        let call_type = spec.call_type.as_deref().unwrap_or(default_type);
        let mut call = Call::new(id, CallKind::Inbound, call_type, &spec.caller, &dialed);
        for var in &spec.call_variables {
            if !call.set_variable(&var.name, &var.value) || !var.name.starts_with("callVariable") {
                return Err(ControlError::InvalidCall(format!(
                    "{} is not callVariable1..10",
                    var.name
                )));
            }
        }
        for var in &spec.ecc {
            let name = if var.name.starts_with("user.") {
                var.name.clone()
            } else {
                format!("user.{}", var.name)
            };
            call.set_variable(&name, &var.value);
        }
        call.queue = Some(queue.id.clone());
        call.routed = true;
        call.waiting = true;
        call.enqueued_at = now;
        call.participants.push(Participant::new(
            &spec.caller,
            None,
            ParticipantState::Initiated,
            now,
        ));
        self.st.calls.insert(id, call);
        self.st.stats.dirty = true;
        self.route(now);
        Ok(id)
    }

    /// Whether an agent is a member of a queue (through its team or by name).
    pub(super) fn in_queue(&self, idx: usize, queue: usize) -> bool {
        let agent = &self.cfg.agents[idx];
        let q = &self.cfg.queues[queue];
        q.agents.iter().any(|a| a.eq_ignore_ascii_case(&agent.id))
            || agent.team_id.as_ref().is_some_and(|t| q.teams.contains(t))
    }

    /// Deliver waiting calls, oldest first, to the longest-available READY members.
    pub(super) fn route(&mut self, now: SimTime) {
        loop {
            let mut waiting: Vec<(SimTime, CallId, String)> = self
                .st
                .calls
                .values()
                .filter(|c| c.waiting)
                .filter_map(|c| Some((c.enqueued_at, c.id, c.queue.clone()?)))
                .collect();
            waiting.sort();
            let next = waiting.into_iter().find_map(|(_, call, queue)| {
                let q = self.cfg.queues.iter().position(|x| x.id == queue)?;
                self.longest_available(q).map(|agent| (call, agent))
            });
            match next {
                Some((call, agent)) => self.deliver(now, call, agent),
                None => break,
            }
        }
    }

    fn longest_available(&self, queue: usize) -> Option<usize> {
        (0..self.cfg.agents.len())
            .filter(|&i| {
                let rt = &self.st.agents[i];
                rt.state() == AgentState::Ready && self.in_queue(i, queue) && !self.has_any_leg(i)
            })
            .min_by_key(|&i| self.st.agents[i].ready_since)
    }

    /// Any call leg at all, ringing included (a READY agent with a ringing internal call
    /// is not available).
    fn has_any_leg(&self, idx: usize) -> bool {
        let id = &self.cfg.agents[idx].id;
        self.st
            .calls
            .values()
            .any(|c| c.agent_participant(id).is_some_and(|p| p.state.is_live()))
    }

    /// RESERVED, then the dialog POST with the agent ALERTING (CALL_DELIVERED, §4.6).
    fn deliver(&mut self, now: SimTime, call: CallId, idx: usize) {
        let id = self.agent_id(idx);
        let Some(extension) = self.st.agents[idx].extension.clone() else {
            return;
        };
        let rona = Duration::from_secs(u64::from(self.cfg.ring_no_answer_seconds));
        self.st.agents[idx].busy = Some(BusyPeriod {
            return_to: Status::plain(AgentState::Ready),
            wrap_mode: None,
            wrap_call: None,
        });
        if let Some(mobile) = self.st.agents[idx].mobile.as_mut() {
            if mobile.mode == MobileMode::CallByCall {
                mobile.dial_outs += 1;
            }
        }
        self.change_status(now, idx, Status::plain(AgentState::Reserved));
        let Some(c) = self.st.calls.get_mut(&call) else {
            return;
        };
        c.waiting = false;
        c.dnis = extension.clone();
        c.state = DialogState::Alerting;
        c.ring_deadline = Some(now.plus(rona));
        c.participants.insert(
            0,
            Participant::new(&extension, Some(&id), ParticipantState::Alerting, now),
        );
        self.st.stats.dirty = true;
        self.post_dialog(call, &id);
    }

    /// Ring-no-answer: the agent goes NOT_READY with the system RONA code and the call goes
    /// back to the head of its queue.
    pub(super) fn ring_no_answer(&mut self, now: SimTime, call: CallId) {
        let Some(c) = self.st.calls.get_mut(&call) else {
            return;
        };
        c.ring_deadline = None;
        let Some(agent_id) = c
            .participants
            .iter()
            .find(|p| p.agent.is_some() && p.state == ParticipantState::Alerting)
            .and_then(|p| p.agent.clone())
        else {
            return;
        };
        for p in c.participants.iter_mut().filter(|p| p.is_agent(&agent_id)) {
            p.set_state(ParticipantState::Dropped, now);
        }
        self.delete_dialog(call, &agent_id);
        if let Some(c) = self.st.calls.get_mut(&call) {
            c.participants.retain(|p| !p.is_agent(&agent_id));
            c.waiting = true;
            c.dnis.clear();
            c.state = DialogState::Initiated;
        }
        if let Some(idx) = self.agent_index(&agent_id) {
            self.st.agents[idx].busy = None;
            self.st.agents[idx].pending = None;
            let reason = SystemReason::RingNoAnswer.reason(self.cfg.flavour);
            self.change_status(now, idx, Status::new(AgentState::NotReady, Some(reason)));
        }
        self.st.stats.dirty = true;
        self.route(now);
    }

    /// Statistics of one queue now (UCCE meaning; UCCX renders `-1`).
    pub(super) fn queue_stats(&self, queue: usize) -> QueueStats {
        let q = &self.cfg.queues[queue];
        let waiting: Vec<&Call> = self
            .st
            .calls
            .values()
            .filter(|c| c.waiting && c.queue.as_deref() == Some(q.id.as_str()))
            .collect();
        let mut stats = QueueStats {
            calls_in_queue: waiting.len() as u32,
            longest_waiting_since: waiting.iter().map(|c| c.enqueued_at).min(),
            ..QueueStats::default()
        };
        for idx in (0..self.cfg.agents.len()).filter(|&i| self.in_queue(i, queue)) {
            let rt = &self.st.agents[idx];
            if !rt.signed_in() {
                continue;
            }
            stats.agents_logged_on += 1;
            match rt.state() {
                AgentState::Ready => stats.agents_ready += 1,
                AgentState::NotReady => stats.agents_not_ready += 1,
                AgentState::Work => stats.agents_wrap_up_not_ready += 1,
                AgentState::WorkReady => stats.agents_wrap_up_ready += 1,
                AgentState::Reserved => stats.agents_busy_other += 1,
                AgentState::Talking | AgentState::Hold => {
                    let id = &self.cfg.agents[idx].id;
                    let main = self.st.calls.values().find(|c| {
                        c.agent_participant(id)
                            .is_some_and(|p| p.state.is_live() && !p.passive)
                    });
                    match main {
                        Some(c) if c.routed && c.queue.as_deref() == Some(q.id.as_str()) => {
                            stats.agents_talking_inbound += 1
                        }
                        Some(c) if c.routed => stats.agents_busy_other += 1,
                        Some(c) if c.kind == CallKind::Outbound => {
                            stats.agents_talking_outbound += 1
                        }
                        _ => stats.agents_talking_internal += 1,
                    }
                }
                AgentState::Logout => {}
            }
        }
        stats
    }

    /// Publish the statistics of every queue whose numbers changed since last time.
    pub(super) fn publish_changed_queue_stats(&mut self, now: SimTime) {
        self.st.stats.dirty = false;
        self.st.stats.last_check = Some(now);
        if self.cfg.flavour == Flavour::Uccx {
            return;
        }
        for queue in 0..self.cfg.queues.len() {
            let stats = self.queue_stats(queue);
            let id = self.cfg.queues[queue].id.clone();
            if self.st.stats.last.get(&id) != Some(&stats) {
                self.st.stats.last.insert(id, stats);
                self.publish_queue(queue);
            }
        }
    }

    /// When queue statistics are next due, if anything may have changed.
    pub(super) fn queue_stats_deadline(&self) -> Option<SimTime> {
        if !self.st.stats.dirty || self.cfg.flavour == Flavour::Uccx || self.cfg.queues.is_empty() {
            return None;
        }
        Some(match self.st.stats.last_check {
            Some(t) => t.plus(QUEUE_STATS_INTERVAL),
            None => SimTime(0).plus(QUEUE_STATS_INTERVAL),
        })
    }
}
