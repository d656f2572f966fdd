//! The simulated contact center and the Finesse REST API as a pure function.
//!
//! CONTRACT with `net` (keep these names and shapes stable):
//! - [`ContactCenter::new`]`(LabConfig)`
//! - [`ContactCenter::handle_rest`]`(now, node, RestRequest) -> RestReply`
//! - [`ContactCenter::authenticate`]`(now, id, password) -> Result<String, AuthFailure>` (XMPP SASL
//!   uses it too; returns the canonical agent id)
//! - [`ContactCenter::presence_changed`]`(now, node, user_id, available)`: the last XMPP session
//!   of a user went unavailable / one became available on that node.
//! - [`ContactCenter::advance`]`(now)`: run due timers (wrap-up, ring-no-answer, forced logout …).
//! - [`ContactCenter::next_deadline`]`() -> Option<SimTime>`
//! - [`ContactCenter::take_publications`]`() -> Vec<Publication>`: events to route over XMPP.
//! - control: `place_call`, `customer_hang_up`, `set_node_status`, `fail_next_request`, `truth`.
//!
//! Everything here is synchronous and deterministic: time comes in as [`SimTime`], and
//! every change is described by the publications it queues. Requests are validated
//! before anything changes; a request that is refused (4xx) or failed by an injected CTI
//! error is rolled back completely, so the state stays consistent whatever comes in.
pub use self::api::*;
pub use self::calls::{Action, CallKind, DialogState, ParticipantState};
pub use self::model::{AgentState, MobileMode};
pub use self::truth::{
    AgentTruth, CallTruth, MobileAgentTruth, NodeTruth, ParticipantTruth, QueueStats, QueueTruth,
    Truth,
};

mod actions;
mod agents;
mod api;
mod auth;
mod calls;
mod control;
mod model;
mod publish;
mod reasons;
mod render;
mod rest;
mod routing;
mod supervision;
mod timers;
mod transfer;
mod truth;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, VecDeque};

use crate::clock::SimTime;
use crate::config::{LabConfig, NodeConfig, Role};

use self::calls::Call;
use self::model::AgentRt;

/// `SimTime(0)` as wall-clock time until [`ContactCenter::set_epoch_unix_ms`] says otherwise
/// (2025-01-01T00:00:00Z), so timestamps are reproducible in tests.
const DEFAULT_EPOCH_UNIX_MS: i64 = 1_735_689_600_000;

/// The first dialog id handed out; real UCCE call ids are 8-9 digit numbers.
const FIRST_CALL_ID: u64 = 16_804_377;

/// The simulated contact center behind both Finesse nodes.
#[derive(Debug)]
pub struct ContactCenter {
    cfg: LabConfig,
    st: State,
    outbox: Vec<Publication>,
    /// Per node: CTI failures to apply to the next state-changing requests.
    faults: [VecDeque<CtiError>; 2],
    epoch_unix_ms: i64,
    /// The request being handled, for `requestId` tagging and asynchronous errors.
    tag: Option<RequestTag>,
    /// Publish shared-state events from this node only (recovery republish).
    origin_override: Option<NodeId>,
}

/// Everything a request may change; cloned before a change so it can be rolled back.
#[derive(Debug, Clone)]
struct State {
    agents: Vec<AgentRt>,
    calls: BTreeMap<CallId, Call>,
    next_call_id: u64,
    nodes: [NodeStatus; 2],
    stats: routing::StatsTracker,
}

#[derive(Debug, Clone)]
struct NodeStatus {
    in_service: bool,
    reason: String,
    /// When the status last changed (the last good CTI heartbeat while out of service).
    changed_at: SimTime,
}

/// Where the events of one request go and which of them carry its `requestId`.
#[derive(Debug, Clone)]
struct RequestTag {
    request_id: String,
    requester: String,
    /// The URI the request addressed; events whose `source` is this URI are tagged too.
    resource: String,
    errors: ErrorTarget,
}

/// Where an asynchronous CTI error for a request is published.
#[derive(Debug, Clone)]
struct ErrorTarget {
    /// (pub-sub node, agent whose sessions receive it)
    nodes: Vec<(String, String)>,
    source: String,
}

impl ContactCenter {
    /// A center with every agent logged out and both nodes in service. Any config is
    /// accepted (duplicate agent ids: the first wins); use [`LabConfig::validate`] to
    /// report mistakes to a lab author.
    pub fn new(config: LabConfig) -> Self {
        let mut cfg = config;
        let mut seen = std::collections::BTreeSet::new();
        cfg.agents
            .retain(|a| !a.id.is_empty() && seen.insert(a.id.to_ascii_lowercase()));
        let agents = cfg.agents.iter().map(|_| AgentRt::logged_out()).collect();
        let in_service = NodeStatus {
            in_service: true,
            reason: String::new(),
            changed_at: SimTime(0),
        };
        let mut center = ContactCenter {
            cfg,
            st: State {
                agents,
                calls: BTreeMap::new(),
                next_call_id: FIRST_CALL_ID,
                nodes: [in_service.clone(), in_service],
                stats: routing::StatsTracker::default(),
            },
            outbox: Vec::new(),
            faults: [VecDeque::new(), VecDeque::new()],
            epoch_unix_ms: DEFAULT_EPOCH_UNIX_MS,
            tag: None,
            origin_override: None,
        };
        // Statistics are published when they differ from the lab's starting point.
        for queue in 0..center.cfg.queues.len() {
            let stats = center.queue_stats(queue);
            let id = center.cfg.queues[queue].id.clone();
            center.st.stats.last.insert(id, stats);
        }
        center
    }

    /// Align rendered timestamps with a [`SimClock`](crate::clock::SimClock): pass
    /// `clock.unix_ms(SimTime(0))`.
    pub fn set_epoch_unix_ms(&mut self, epoch_unix_ms: i64) {
        self.epoch_unix_ms = epoch_unix_ms;
    }

    /// Update the host/ports a node reports in SystemInfo (e.g. after binding ephemeral ports).
    pub fn set_node_address(&mut self, node: NodeId, address: NodeConfig) {
        match node {
            NodeId::A => self.cfg.nodes.a = address,
            NodeId::B => self.cfg.nodes.b = address,
        }
    }

    /// The configuration the center runs (agents de-duplicated).
    pub fn config(&self) -> &LabConfig {
        &self.cfg
    }

    /// Whether the node currently reports IN_SERVICE.
    pub fn node_in_service(&self, node: NodeId) -> bool {
        self.st.nodes[node.index()].in_service
    }

    /// The canonical agent id for an id or (UCCE) login name, compared without case.
    pub fn canonical_user_id(&self, id_or_login_name: &str) -> Option<String> {
        self.agent_index_by_name(id_or_login_name)
            .map(|i| self.cfg.agents[i].id.clone())
    }

    /// The Finesse timestamp (`YYYY-MM-DDThh:mm:ss.SSSZ`, UTC) for a simulation time.
    pub fn timestamp(&self, t: SimTime) -> String {
        self.format_time(t, "%Y-%m-%dT%H:%M:%S%.3fZ")
    }

    /// Events queued since the last call, in the order they happened.
    pub fn take_publications(&mut self) -> Vec<Publication> {
        std::mem::take(&mut self.outbox)
    }

    /// Make the next state-changing request (PUT/POST that would be accepted) on `node`
    /// fail in the CTI layer: it is answered 202, changes nothing, and an `apiErrors`
    /// update carrying its `requestId` is published instead. Several calls queue up.
    pub fn fail_next_request(&mut self, node: NodeId, error: CtiError) {
        self.faults[node.index()].push_back(error);
    }

    fn format_time(&self, t: SimTime, format: &str) -> String {
        let ms = self
            .epoch_unix_ms
            .saturating_add(i64::try_from(t.0).unwrap_or(i64::MAX));
        chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
            .unwrap_or_default()
            .format(format)
            .to_string()
    }

    fn flavour(&self) -> crate::config::Flavour {
        self.cfg.flavour
    }

    /// Index of an agent by id, compared without case (UCCX ids are user names and the
    /// XMPP layer lower-cases them).
    fn agent_index(&self, id: &str) -> Option<usize> {
        self.cfg
            .agents
            .iter()
            .position(|a| a.id.eq_ignore_ascii_case(id))
    }

    /// Index of an agent by id or login name.
    fn agent_index_by_name(&self, name: &str) -> Option<usize> {
        self.agent_index(name).or_else(|| {
            self.cfg
                .agents
                .iter()
                .position(|a| !a.login_name.is_empty() && a.login_name.eq_ignore_ascii_case(name))
        })
    }

    fn agent_id(&self, idx: usize) -> String {
        self.cfg.agents[idx].id.clone()
    }

    /// The signed-in agent using an extension.
    fn agent_on_extension(&self, extension: &str) -> Option<usize> {
        self.st
            .agents
            .iter()
            .position(|a| a.signed_in() && a.extension.as_deref() == Some(extension))
    }

    fn is_supervisor(&self, idx: usize) -> bool {
        self.cfg.agents[idx].has_role(Role::Supervisor)
    }

    fn is_admin(&self, idx: usize) -> bool {
        self.cfg.agents[idx].has_role(Role::Administrator)
    }

    /// Whether `supervisor` supervises the team `agent` belongs to.
    fn supervises(&self, supervisor: usize, agent: usize) -> bool {
        let sup_id = &self.cfg.agents[supervisor].id;
        let Some(team) = self.cfg.agents[agent].team_id.as_deref() else {
            return false;
        };
        self.is_supervisor(supervisor)
            && self.cfg.teams.iter().any(|t| {
                t.id == team && t.supervisors.iter().any(|s| s.eq_ignore_ascii_case(sup_id))
            })
    }

    /// Ids of the teams a user supervises.
    fn supervised_teams(&self, idx: usize) -> Vec<usize> {
        if !self.is_supervisor(idx) {
            return Vec::new();
        }
        let id = &self.cfg.agents[idx].id;
        (0..self.cfg.teams.len())
            .filter(|&t| {
                self.cfg.teams[t]
                    .supervisors
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(id))
            })
            .collect()
    }

    fn next_call_id(&mut self) -> CallId {
        let id = CallId(self.st.next_call_id);
        self.st.next_call_id += 1;
        id
    }
}
