//! Time-driven behaviour and node faults: wrap-up expiry, ring-no-answer, outside parties
//! answering, presence-driven forced logout (§10.2), queue statistics, node status (§10.1).
use std::time::Duration;

use super::model::{AgentState, Status};
use super::reasons::SystemReason;
use super::{CallId, ContactCenter, NodeId};
use crate::clock::SimTime;
use crate::config::{DisconnectPolicy, Flavour};

/// How long Finesse waits after a user's presence goes unavailable before forcing it out.
pub(crate) const PRESENCE_GRACE: Duration = Duration::from_secs(60);

/// Upper bound of timers fired by one `advance`, so a logic error cannot spin forever.
const MAX_TIMERS_PER_ADVANCE: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timer {
    WrapUp(usize),
    Presence(usize, NodeId),
    RingNoAnswer(CallId),
    OutsideAnswers(CallId),
    QueueStats,
}

impl ContactCenter {
    /// The earliest time something will happen by itself, if anything will.
    pub fn next_deadline(&self) -> Option<SimTime> {
        self.next_timer().map(|(at, _)| at)
    }

    /// Run everything due at or before `now`, in time order, each at its own due time.
    pub fn advance(&mut self, now: SimTime) {
        for _ in 0..MAX_TIMERS_PER_ADVANCE {
            match self.next_timer() {
                Some((at, timer)) if at <= now => self.fire(at, timer),
                _ => break,
            }
        }
    }

    /// The last XMPP session of `user_id` on `node` became unavailable (`false`) or one
    /// became available (`true`). Unavailable starts a 60 s timer; at expiry UCCX (and UCCE
    /// with LOAD = logout) logs the agent out with reason 255, UCCE with the default LOAD
    /// puts it NOT_READY with 50002. Changes requested while on a call become pending.
    /// Timers are per node: recovering on the other node does not stop this node's timer.
    pub fn presence_changed(&mut self, now: SimTime, node: NodeId, user_id: &str, available: bool) {
        let Some(idx) = self.agent_index_by_name(user_id) else {
            return;
        };
        let slot = &mut self.st.agents[idx].presence_deadline[node.index()];
        if available {
            *slot = None;
        } else if slot.is_none() {
            *slot = Some(now.plus(PRESENCE_GRACE));
        }
    }

    /// Put a node in or out of service: its SystemInfo is published (from that node only),
    /// REST on it answers 503 while out of service, and shared events are published from
    /// the other node only. Back in service, it republishes every signed-in agent and
    /// dialog, as Finesse does after a CTI failover.
    pub fn set_node_status(&mut self, now: SimTime, node: NodeId, in_service: bool, reason: &str) {
        let status = &mut self.st.nodes[node.index()];
        let was_in_service = status.in_service;
        if was_in_service != in_service {
            status.changed_at = now;
        }
        status.in_service = in_service;
        status.reason = reason.to_owned();
        self.publish_system_info(now, node);
        if in_service && !was_in_service {
            self.republish_from(node);
        }
    }

    fn republish_from(&mut self, node: NodeId) {
        self.origin_override = Some(node);
        for idx in 0..self.st.agents.len() {
            if self.st.agents[idx].signed_in() {
                self.publish_user(idx);
            }
        }
        let dialogs: Vec<(CallId, Vec<String>)> = self
            .st
            .calls
            .values()
            .map(|c| (c.id, c.posted_to.clone()))
            .collect();
        for (call, agents) in dialogs {
            for agent in agents {
                self.put_dialog_to(call, &agent);
            }
        }
        self.origin_override = None;
    }

    fn next_timer(&self) -> Option<(SimTime, Timer)> {
        let mut best: Option<(SimTime, Timer)> = None;
        let mut consider = |at: SimTime, timer: Timer| {
            if best.is_none_or(|(b, _)| at < b) {
                best = Some((at, timer));
            }
        };
        for (idx, rt) in self.st.agents.iter().enumerate() {
            if let Some(until) = rt.wrap_up.as_ref().and_then(|w| w.until) {
                consider(until, Timer::WrapUp(idx));
            }
            for node in NodeId::ALL {
                if let Some(at) = rt.presence_deadline[node.index()] {
                    consider(at, Timer::Presence(idx, node));
                }
            }
        }
        for call in self.st.calls.values() {
            if let Some(at) = call.ring_deadline {
                consider(at, Timer::RingNoAnswer(call.id));
            }
            if let Some(at) = call.answer_deadline {
                consider(at, Timer::OutsideAnswers(call.id));
            }
        }
        if let Some(at) = self.queue_stats_deadline() {
            consider(at, Timer::QueueStats);
        }
        best
    }

    fn fire(&mut self, at: SimTime, timer: Timer) {
        match timer {
            Timer::WrapUp(idx) => {
                if let Some(then) = self.st.agents[idx].wrap_up.as_ref().map(|w| w.then.clone()) {
                    self.end_wrap_up(at, idx, then);
                }
            }
            Timer::Presence(idx, node) => {
                self.st.agents[idx].presence_deadline[node.index()] = None;
                self.forced_logout(at, idx);
            }
            Timer::RingNoAnswer(call) => self.ring_no_answer(at, call),
            Timer::OutsideAnswers(call) => self.outside_party_answers(at, call),
            Timer::QueueStats => self.publish_changed_queue_stats(at),
        }
        self.route(at);
    }

    fn forced_logout(&mut self, now: SimTime, idx: usize) {
        let logs_out =
            self.cfg.flavour == Flavour::Uccx || self.cfg.load == DisconnectPolicy::Logout;
        let status = if logs_out {
            Status::new(
                AgentState::Logout,
                Some(SystemReason::ForcedLogout.reason(self.cfg.flavour)),
            )
        } else {
            Status::new(
                AgentState::NotReady,
                Some(SystemReason::ConnectionFailure.reason(self.cfg.flavour)),
            )
        };
        self.force_status(now, idx, status);
    }
}
