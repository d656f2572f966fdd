//! The center's ground truth, for tests to compare a client's view with.
use serde::Serialize;

use super::calls::{Action, CallKind, DialogState, ParticipantState};
use super::model::{AgentState, MobileMode};
use super::{CallId, CallVariable, ContactCenter, NodeId};
use crate::clock::SimTime;
use crate::config::Flavour;

/// Everything observable about the center at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Truth {
    pub flavour: Flavour,
    pub nodes: Vec<NodeTruth>,
    pub agents: Vec<AgentTruth>,
    /// Calls in id order, including customer calls still waiting in a queue.
    pub calls: Vec<CallTruth>,
    pub queues: Vec<QueueTruth>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeTruth {
    pub node: NodeId,
    pub in_service: bool,
    pub status_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentTruth {
    pub id: String,
    pub login_name: String,
    pub state: AgentState,
    /// The `reasonCodeId` Finesse reports (`None` when READY or no reason: `-1`).
    pub reason_code_id: Option<String>,
    /// The CTI reason code (e.g. 32767 after ring-no-answer).
    pub reason_code: Option<i64>,
    pub reason_label: Option<String>,
    pub pending_state: Option<AgentState>,
    pub pending_reason_code: Option<i64>,
    pub extension: Option<String>,
    pub active_device_id: Option<String>,
    pub mobile_agent: Option<MobileAgentTruth>,
    pub state_change_time: Option<SimTime>,
    /// When the wrap-up timer expires, while in WORK / WORK_READY.
    pub wrap_up_until: Option<SimTime>,
    /// Dialogs in the agent's collection (what GET Dialogs returns).
    pub dialogs: Vec<CallId>,
    pub locked_out_until: Option<SimTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MobileAgentTruth {
    pub mode: MobileMode,
    pub dial_number: String,
    pub node: NodeId,
    /// How often the agent's dial number was called since sign-in.
    pub dial_outs: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallTruth {
    pub id: CallId,
    pub kind: CallKind,
    pub call_type: String,
    pub state: DialogState,
    pub from_address: String,
    pub to_address: String,
    pub queue: Option<String>,
    /// Waiting in its queue for an agent (not yet a dialog of anyone).
    pub waiting: bool,
    pub associated: Option<CallId>,
    pub participants: Vec<ParticipantTruth>,
    /// Non-empty call variables, then ECC variables.
    pub call_variables: Vec<CallVariable>,
    pub wrap_up_reason: Option<String>,
    /// DTMF digits sent so far.
    pub dtmf: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipantTruth {
    pub address: String,
    pub agent_id: Option<String>,
    pub state: ParticipantState,
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueTruth {
    pub id: String,
    pub name: String,
    /// Waiting calls, first in line first.
    pub waiting_calls: Vec<CallId>,
    pub stats: QueueStats,
}

/// Queue statistics with UCCE meaning (UCCX reports `-1` on the wire).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueueStats {
    pub calls_in_queue: u32,
    pub longest_waiting_since: Option<SimTime>,
    pub agents_ready: u32,
    pub agents_not_ready: u32,
    pub agents_busy_other: u32,
    pub agents_logged_on: u32,
    pub agents_talking_inbound: u32,
    pub agents_talking_outbound: u32,
    pub agents_talking_internal: u32,
    pub agents_wrap_up_not_ready: u32,
    pub agents_wrap_up_ready: u32,
}

impl Truth {
    pub fn agent(&self, id: &str) -> Option<&AgentTruth> {
        self.agents.iter().find(|a| a.id.eq_ignore_ascii_case(id))
    }

    pub fn call(&self, id: CallId) -> Option<&CallTruth> {
        self.calls.iter().find(|c| c.id == id)
    }

    pub fn queue(&self, id: &str) -> Option<&QueueTruth> {
        self.queues.iter().find(|q| q.id == id)
    }
}

impl CallTruth {
    pub fn participant(&self, address: &str) -> Option<&ParticipantTruth> {
        self.participants.iter().find(|p| p.address == address)
    }
}

impl ContactCenter {
    /// A snapshot of the center's state.
    pub fn truth(&self) -> Truth {
        let nodes = NodeId::ALL
            .iter()
            .map(|&node| NodeTruth {
                node,
                in_service: self.st.nodes[node.index()].in_service,
                status_reason: self.st.nodes[node.index()].reason.clone(),
            })
            .collect();
        let agents = self
            .cfg
            .agents
            .iter()
            .zip(&self.st.agents)
            .map(|(cfg, rt)| AgentTruth {
                id: cfg.id.clone(),
                login_name: cfg.login_name.clone(),
                state: rt.state(),
                reason_code_id: rt.status.reason.as_ref().map(|r| r.id.clone()),
                reason_code: rt.status.reason.as_ref().map(|r| r.code),
                reason_label: rt.status.reason.as_ref().map(|r| r.label.clone()),
                pending_state: rt.pending.as_ref().map(|p| p.state),
                pending_reason_code: rt
                    .pending
                    .as_ref()
                    .and_then(|p| p.reason.as_ref())
                    .map(|r| r.code),
                extension: rt.extension.clone(),
                active_device_id: rt.active_device.clone(),
                mobile_agent: rt.mobile.as_ref().map(|m| MobileAgentTruth {
                    mode: m.mode,
                    dial_number: m.dial_number.clone(),
                    node: m.node,
                    dial_outs: m.dial_outs,
                }),
                state_change_time: rt.state_changed,
                wrap_up_until: rt.wrap_up.as_ref().and_then(|w| w.until),
                dialogs: self
                    .st
                    .calls
                    .values()
                    .filter(|c| c.is_posted_to(&cfg.id))
                    .map(|c| c.id)
                    .collect(),
                locked_out_until: rt.locked_until,
            })
            .collect();
        let calls = self
            .st
            .calls
            .values()
            .map(|c| CallTruth {
                id: c.id,
                kind: c.kind,
                call_type: c.call_type.clone(),
                state: c.state,
                from_address: c.from.clone(),
                to_address: c.to.clone(),
                queue: c.queue.clone(),
                waiting: c.waiting,
                associated: c.associated,
                participants: c
                    .participants
                    .iter()
                    .map(|p| ParticipantTruth {
                        address: p.address.clone(),
                        agent_id: p.agent.clone(),
                        state: p.state,
                        actions: self.participant_actions(c, p),
                    })
                    .collect(),
                call_variables: c
                    .call_variables
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(i, v)| CallVariable::new(format!("callVariable{}", i + 1), v.clone()))
                    .chain(
                        c.ecc
                            .iter()
                            .map(|(n, v)| CallVariable::new(n.clone(), v.clone())),
                    )
                    .collect(),
                wrap_up_reason: c.wrap_up_reason.clone(),
                dtmf: c.dtmf.clone(),
            })
            .collect();
        let queues = self
            .cfg
            .queues
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let mut waiting: Vec<(SimTime, CallId)> = self
                    .st
                    .calls
                    .values()
                    .filter(|c| c.waiting && c.queue.as_deref() == Some(q.id.as_str()))
                    .map(|c| (c.enqueued_at, c.id))
                    .collect();
                waiting.sort();
                QueueTruth {
                    id: q.id.clone(),
                    name: q.name.clone(),
                    waiting_calls: waiting.into_iter().map(|(_, id)| id).collect(),
                    stats: self.queue_stats(i),
                }
            })
            .collect();
        Truth {
            flavour: self.cfg.flavour,
            nodes,
            agents,
            calls,
            queues,
        }
    }
}
