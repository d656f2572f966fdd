//! The session state machine: inputs in, effects out, no I/O and no clock reads.
//!
//! Split by concept: [`link`](self) brings the connection up and keeps it up (start-up,
//! reconnect, reconcile), `unavailable` waits out a node that is out of service or whose
//! Finesse is away, `failover` asks the other node and moves there, `standby` keeps
//! presence on the node the session left, `liveness` checks the link out of turn and keeps
//! the outage's story (notices, the READY to restore), `dispatch` turns commands into
//! requests, `pending` correlates them with events, `events` applies notifications,
//! `freshness` keeps late or repeated events from undoing newer ones, `forced` tells the
//! agent about states the system imposed, `choices` keeps what the agent chose across
//! reconnects.
mod choices;
mod dispatch;
mod events;
mod failover;
mod forced;
mod freshness;
mod link;
mod liveness;
mod pending;
mod standby;
mod unavailable;

use std::collections::{BTreeMap, BTreeSet};

use super::backoff::JitterSource;
use super::command::{AgentChoices, CommandId, CommandOutcome};
use super::connection::ConnectionState;
use super::error::SessionError;
use super::event::SessionEvent;
use super::io::{Effect, Input, RestFailure, RestOp, RestOpId, RestReply, RestRequest, TimerId};
use super::policy::SessionPolicy;
use super::time::Millis;
use crate::model::{Dialog, Snapshot, SystemInfo, User};

use self::pending::Pending;

/// What the machine needs to know at creation.
#[derive(Debug, Clone)]
pub struct MachineConfig {
    /// The agent id, or (UCCE) the login name: resolved to the `loginId` at first connect.
    pub identity: String,
    pub policy: SessionPolicy,
    /// Seed of the jitter generator (random in the driver, fixed in tests).
    pub jitter_seed: u64,
}

/// The pure agent session. Feed it [`Input`]s with the current time; perform the returned
/// [`Effect`]s.
#[derive(Debug)]
pub struct SessionMachine {
    policy: SessionPolicy,
    identity: String,
    /// The resolved `loginId`, known after the first successful look-up.
    user_id: Option<String>,
    next_op: u64,
    next_timer: u64,
    next_pending: u64,
    jitter: JitterSource,
    nodes: Vec<String>,
    node_index: usize,
    retry: link::Retry,
    link: link::Link,
    xmpp: link::XmppLink,
    state: ConnectionState,
    snapshot: Snapshot,
    revision: u64,
    /// Pub-sub nodes subscribed on purpose (team nodes); re-subscribed after a reconnect.
    explicit_nodes: BTreeSet<String>,
    /// Commands in flight, oldest first.
    pending: Vec<Pending>,
    ops: BTreeMap<RestOpId, OpPurpose>,
    timers: BTreeMap<TimerId, TimerPurpose>,
    choices: AgentChoices,
    /// Events tagged with a `requestId` no command knew yet: the notification can overtake
    /// the 202 that tells the command its `requestId`.
    early_events: std::collections::VecDeque<(String, crate::notification::FinesseEvent)>,
    /// The other node's SystemInfo, asked while the current node cannot be used.
    probe: Option<failover::Probe>,
    /// An out-of-turn link check in flight.
    check: liveness::LinkCheck,
    /// The current (or last) outage: when it began, where from, what the agent was doing.
    outage: liveness::Outage,
    /// Dialogs that ended, so that a late update cannot bring one back.
    ended_dialogs: freshness::EndedDialogs,
    user_history: freshness::UserHistory,
    dialog_origins: freshness::DialogOrigins,
    read_again: freshness::ReadAgain,
    /// Presence kept on the node the session left.
    standby: Option<standby::Standby>,
    /// `xmppDomain` by node host (lower case), as each node's SystemInfo said.
    xmpp_domains: BTreeMap<String, String>,
    now: Millis,
    out: Vec<Effect>,
}

/// Why a REST call was made.
#[derive(Debug, Clone, PartialEq, Eq)]
enum OpPurpose {
    /// Part of bringing the link up (SystemInfo, user look-up, User/Dialogs GETs, polls);
    /// the link state knows which.
    Link,
    /// For the pending command with this key.
    Command(u64),
    /// Re-reading a followed team after its node was re-subscribed.
    RefreshTeam(String),
    /// Asking the other node whether it is in service.
    Probe,
    /// SystemInfo of an out-of-turn link check.
    LinkCheck,
    /// Re-reading what a late (stale) event was about.
    Refresh(freshness::Refresh),
}

/// Why a timer was set.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TimerPurpose {
    Backoff,
    CommandTimeout(u64),
    OutOfServicePoll,
    FinesseAway,
    Standby,
}

impl SessionMachine {
    /// A machine that has not started; send [`Input::Start`] to connect.
    pub fn new(config: MachineConfig) -> Result<Self, SessionError> {
        config.policy.validate()?;
        if config.identity.trim().is_empty() {
            return Err(SessionError::InvalidConfig {
                message: "the agent id or login name is empty".to_owned(),
            });
        }
        let nodes: Vec<String> = config
            .policy
            .nodes
            .iter()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .collect();
        Ok(SessionMachine {
            identity: config.identity.trim().to_owned(),
            user_id: None,
            early_events: std::collections::VecDeque::new(),
            probe: None,
            check: liveness::LinkCheck::default(),
            outage: liveness::Outage::default(),
            ended_dialogs: freshness::EndedDialogs::default(),
            user_history: freshness::UserHistory::default(),
            dialog_origins: freshness::DialogOrigins::default(),
            read_again: freshness::ReadAgain::default(),
            standby: None,
            xmpp_domains: BTreeMap::new(),
            next_op: 1,
            next_timer: 1,
            next_pending: 1,
            jitter: JitterSource::new(config.jitter_seed),
            nodes,
            node_index: 0,
            retry: link::Retry::default(),
            link: link::Link::Idle,
            xmpp: link::XmppLink::Down,
            state: ConnectionState::Disconnected,
            snapshot: Snapshot::new(),
            revision: 0,
            explicit_nodes: BTreeSet::new(),
            pending: Vec::new(),
            ops: BTreeMap::new(),
            timers: BTreeMap::new(),
            choices: AgentChoices::default(),
            now: Millis(0),
            out: Vec::new(),
            policy: config.policy,
        })
    }

    /// Reacts to one input at time `now`; returns what the driver must do, in order.
    pub fn handle(&mut self, now: Millis, input: Input) -> Vec<Effect> {
        self.now = self.now.max(now);
        match input {
            Input::Start => self.on_start(),
            Input::Command { id, command } => self.on_command(id, command),
            Input::RestDone { op, result } => self.on_rest_done(op, result),
            Input::XmppConnected => self.on_xmpp_connected(),
            Input::XmppConnectFailed(failure) => self.on_xmpp_connect_failed(failure),
            Input::XmppMessage(message) => self.on_message(&message),
            Input::FinessePresence { available } => self.on_finesse_presence(available),
            Input::XmppDisconnected(loss) => self.on_xmpp_disconnected(loss),
            Input::SubscriptionDone {
                node,
                subscribed,
                result,
            } => self.on_subscription_done(node, subscribed, result),
            Input::TimerFired(id) => self.on_timer(id),
            Input::Shutdown => self.on_shutdown(),
            Input::CheckLink(reason) => self.on_check_link(reason),
            Input::XmppChecked { alive } => self.on_xmpp_checked(alive),
            Input::StandbyConnected => self.on_standby_connected(),
            Input::StandbyConnectFailed(failure) => self.on_standby_connect_failed(failure),
            Input::StandbyLost(loss) => self.on_standby_lost(loss),
        }
        std::mem::take(&mut self.out)
    }

    /// The current connection state.
    pub fn connection(&self) -> &ConnectionState {
        &self.state
    }

    /// The current view of Finesse.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// Grows by one at every snapshot change.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// What the agent chose that survives reconnects.
    pub fn choices(&self) -> &AgentChoices {
        &self.choices
    }

    /// The agent id in use (`loginId`), once resolved.
    pub fn user_id(&self) -> Option<&str> {
        self.user_id.as_deref()
    }

    /// Node hosts in failover order, including any learned from SystemInfo.
    pub fn nodes(&self) -> &[String] {
        &self.nodes
    }

    /// Pub-sub nodes subscribed explicitly.
    pub fn explicit_nodes(&self) -> impl Iterator<Item = &str> + '_ {
        self.explicit_nodes.iter().map(String::as_str)
    }

    /// Number of commands waiting for their outcome.
    pub fn pending_commands(&self) -> usize {
        self.pending.len()
    }

    fn current_node(&self) -> String {
        self.nodes
            .get(self.node_index)
            .or_else(|| self.nodes.first())
            .cloned()
            .unwrap_or_default()
    }

    fn user(&self) -> Option<&User> {
        self.snapshot.user.as_ref()
    }

    fn dialog(&self, dialog_id: &str) -> Option<&Dialog> {
        self.snapshot.dialogs.get(dialog_id)
    }

    fn system_info(&self) -> Option<&SystemInfo> {
        self.snapshot.system_info.as_ref()
    }

    fn emit(&mut self, effect: Effect) {
        self.out.push(effect);
    }

    fn publish(&mut self, event: SessionEvent) {
        self.out.push(Effect::Publish(event));
    }

    fn snapshot_changed(&mut self) {
        self.revision += 1;
        let revision = self.revision;
        self.publish(SessionEvent::SnapshotChanged { revision });
    }

    fn set_state(&mut self, state: ConnectionState) {
        if self.state == state {
            return;
        }
        liveness::log_transition(&self.state, &state, self.now);
        self.state = state.clone();
        self.emit(Effect::Connection(state.clone()));
        self.publish(SessionEvent::ConnectionChanged { state });
    }

    fn rest(&mut self, request: RestRequest, purpose: OpPurpose) -> RestOpId {
        let node = self.current_node();
        self.rest_on(node, request, purpose)
    }

    fn rest_on(&mut self, node: String, request: RestRequest, purpose: OpPurpose) -> RestOpId {
        let id = RestOpId(self.next_op);
        self.next_op += 1;
        self.ops.insert(id, purpose);
        self.emit(Effect::Rest(RestOp { id, node, request }));
        id
    }

    fn set_timer(&mut self, after: std::time::Duration, purpose: TimerPurpose) -> TimerId {
        let id = TimerId(self.next_timer);
        self.next_timer += 1;
        self.timers.insert(id, purpose);
        let at = self.now.after(after);
        self.emit(Effect::SetTimer { id, at });
        id
    }

    fn cancel_timer(&mut self, id: TimerId) {
        if self.timers.remove(&id).is_some() {
            self.emit(Effect::CancelTimer { id });
        }
    }

    fn cancel_timers_where(&mut self, mut doomed: impl FnMut(&TimerPurpose) -> bool) {
        let ids: Vec<TimerId> = self
            .timers
            .iter()
            .filter(|(_, purpose)| doomed(purpose))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.cancel_timer(id);
        }
    }

    fn on_rest_done(&mut self, op: RestOpId, result: Result<RestReply, RestFailure>) {
        match self.ops.remove(&op) {
            Some(OpPurpose::Link) => self.on_link_reply(op, result),
            Some(OpPurpose::Command(key)) => self.on_command_reply(key, result),
            Some(OpPurpose::RefreshTeam(team_id)) => self.on_team_refreshed(&team_id, result),
            Some(OpPurpose::Probe) => self.on_probe_reply(op, result),
            Some(OpPurpose::LinkCheck) => self.on_link_check_reply(op, result),
            Some(OpPurpose::Refresh(what)) => self.on_refresh_reply(what, result),
            None => {}
        }
    }

    fn on_timer(&mut self, id: TimerId) {
        let Some(purpose) = self.timers.remove(&id) else {
            return;
        };
        match purpose {
            TimerPurpose::Backoff => self.on_backoff_elapsed(),
            TimerPurpose::CommandTimeout(key) => self.on_command_timeout(key),
            TimerPurpose::OutOfServicePoll => self.on_out_of_service_poll(),
            TimerPurpose::FinesseAway => self.on_finesse_away_elapsed(),
            TimerPurpose::Standby => self.on_standby_timer(),
        }
    }

    fn command_done(
        &mut self,
        id: CommandId,
        name: &'static str,
        result: Result<CommandOutcome, SessionError>,
    ) {
        let error = result.as_ref().err().cloned();
        self.emit(Effect::CommandDone { id, result });
        self.publish(SessionEvent::CommandCompleted {
            id,
            command: name,
            error,
        });
    }
}
