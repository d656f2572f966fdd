//! The session registry and pub-sub router shared by every XMPP transport of both nodes.
//!
//! It knows which sessions are bound on which node, which of them have sent available
//! presence, and the explicit XEP-0060 subscriptions. It turns the center's
//! [`Publication`]s into deliveries (applying the per-node event faults), keeps the
//! `finesse@` presence flag of each node, and reports a user's first-available /
//! last-gone transitions per node to the [`PresenceSink`] (the center's forced-logout
//! timer). Presence is reported while the registry lock is held so two sessions of one
//! user can never report their transitions out of order.
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use crate::center::{Audience, NodeId, Publication};
use crate::clock::SimTime;

use super::event_faults::{DelayQueue, EventFault, EventFaultAction, NodeFaults};
use super::stanza::SubscriptionView;
use super::subscriptions::{jid_key, SubscriptionError, Subscriptions};

/// Identifies one bound XMPP session.
pub type SessionId = u64;

/// What the router tells a session task.
#[derive(Debug, Clone)]
pub enum ToSession {
    /// A pub-sub item to send as a §9.4 event message.
    Event(Arc<EventItem>),
    /// The `finesse@` server user's presence changed on this node.
    FinessePresence { available: bool },
    /// Another stream bound the same full JID: end this one with `<conflict/>`.
    Conflict,
    /// Network failure: drop the connection without a word.
    Drop,
    /// The server is shutting down: end the stream politely.
    Shutdown,
}

/// One pub-sub item as delivered to sessions of a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventItem {
    pub node: String,
    pub item_id: String,
    pub update: String,
}

/// Receives a user's presence transitions on a node.
pub trait PresenceSink: Send + Sync {
    /// The user's first session became available (`true`) or the last one went away.
    fn presence_changed(&self, node: NodeId, user_id: &str, available: bool);
}

/// The JIDs of a freshly bound session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundSession {
    pub id: SessionId,
    pub full_jid: String,
    pub bare_jid: String,
}

#[derive(Debug)]
struct SessionEntry {
    node: NodeId,
    user_id: String,
    full_key: String,
    bare_key: String,
    /// Sent available presence (counts for Finesse's presence tracking).
    available: bool,
    /// Available with non-negative priority: Openfire routes bare-JID traffic to it.
    routable: bool,
    tx: UnboundedSender<ToSession>,
}

#[derive(Debug)]
struct NodeState {
    finesse_available: bool,
    subscriptions: Subscriptions,
    faults: NodeFaults,
}

impl Default for NodeState {
    fn default() -> Self {
        NodeState {
            finesse_available: true,
            subscriptions: Subscriptions::default(),
            faults: NodeFaults::default(),
        }
    }
}

#[derive(Debug, Default)]
struct RouterState {
    sessions: HashMap<SessionId, SessionEntry>,
    nodes: HashMap<NodeId, NodeState>,
    delayed: DelayQueue,
    next_id: u64,
    item_counter: u64,
}

/// A bound session as tests and the control API see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionSummary {
    pub full_jid: String,
    pub user_id: String,
    pub available: bool,
}

/// The registry and router. Shared by every session task of both nodes.
pub struct Router {
    state: Mutex<RouterState>,
    presence: Arc<dyn PresenceSink>,
    /// Bumped on every bind, presence change and removal, so waiters need not poll.
    changes: tokio::sync::watch::Sender<u64>,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router").finish_non_exhaustive()
    }
}

impl Router {
    /// An empty registry reporting presence transitions to `presence`.
    pub fn new(presence: Arc<dyn PresenceSink>) -> Self {
        Router {
            state: Mutex::new(RouterState::default()),
            presence,
            changes: tokio::sync::watch::Sender::new(0),
        }
    }

    fn changed(&self) {
        self.changes
            .send_modify(|version| *version = version.wrapping_add(1));
    }

    /// A receiver that sees a new value after every registry change.
    pub fn watch_changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// The bound sessions of a node, in binding order.
    pub fn sessions(&self, node: NodeId) -> Vec<SessionSummary> {
        let state = self.lock();
        let mut sessions: Vec<(&SessionId, &SessionEntry)> = state
            .sessions
            .iter()
            .filter(|(_, s)| s.node == node)
            .collect();
        sessions.sort_by_key(|(id, _)| **id);
        sessions
            .into_iter()
            .map(|(_, s)| SessionSummary {
                full_jid: s.full_key.clone(),
                user_id: s.user_id.clone(),
                available: s.available,
            })
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, RouterState> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Register a session that bound `user_id@domain/resource` on `node`. A session already
    /// holding the same full JID on that node is told [`ToSession::Conflict`] and removed.
    pub fn bind(
        &self,
        node: NodeId,
        user_id: &str,
        domain: &str,
        resource: &str,
        tx: UnboundedSender<ToSession>,
    ) -> BoundSession {
        let bare_jid = format!("{}@{}", user_id.to_lowercase(), domain.to_lowercase());
        let full_jid = format!("{bare_jid}/{resource}");
        let full_key = jid_key(&full_jid);
        let mut state = self.lock();
        let conflicting: Vec<SessionId> = state
            .sessions
            .iter()
            .filter(|(_, s)| s.node == node && s.full_key == full_key)
            .map(|(id, _)| *id)
            .collect();
        for old in conflicting {
            self.remove_locked(&mut state, old, ToSession::Conflict, true);
        }
        state.next_id += 1;
        let id = state.next_id;
        state.sessions.insert(
            id,
            SessionEntry {
                node,
                user_id: user_id.to_owned(),
                full_key,
                bare_key: jid_key(&bare_jid),
                available: false,
                routable: false,
                tx,
            },
        );
        drop(state);
        self.changed();
        BoundSession {
            id,
            full_jid,
            bare_jid,
        }
    }

    /// Record a session's presence. Returns `true` when the session went from not available
    /// to available (the caller then sends it the `finesse@` presence).
    pub fn set_presence(&self, id: SessionId, available: bool, priority: i32) -> bool {
        let mut state = self.lock();
        let Some(session) = state.sessions.get(&id) else {
            return false;
        };
        let (node, user_id, was) = (session.node, session.user_id.clone(), session.available);
        let user_had_available = any_available(&state, node, &user_id);
        if let Some(session) = state.sessions.get_mut(&id) {
            session.available = available;
            session.routable = available && priority >= 0;
        }
        let user_has_available = any_available(&state, node, &user_id);
        if user_had_available != user_has_available
            && (user_has_available || watches_presence(&state, node))
        {
            self.presence
                .presence_changed(node, &user_id, user_has_available);
        }
        drop(state);
        self.changed();
        available && !was
    }

    /// Forget a session (stream closed or socket gone). Idempotent.
    pub fn unregister(&self, id: SessionId) {
        let mut state = self.lock();
        self.take_session(&mut state, id, true);
    }

    fn take_session(
        &self,
        state: &mut RouterState,
        id: SessionId,
        report: bool,
    ) -> Option<SessionEntry> {
        let entry = state.sessions.remove(&id)?;
        if report
            && entry.available
            && watches_presence(state, entry.node)
            && !any_available(state, entry.node, &entry.user_id)
        {
            self.presence
                .presence_changed(entry.node, &entry.user_id, false);
        }
        self.changed();
        Some(entry)
    }

    fn remove_locked(
        &self,
        state: &mut RouterState,
        id: SessionId,
        farewell: ToSession,
        report: bool,
    ) {
        if let Some(entry) = self.take_session(state, id, report) {
            // The session task may already be gone; nothing to tell then.
            let _ = entry.tx.send(farewell);
        }
    }

    /// Drop every XMPP link of a node (network failure). Presence transitions are reported
    /// before this returns: the node's Finesse sees its users go unavailable.
    pub fn drop_links(&self, node: NodeId) {
        self.remove_all(Some(node), ToSession::Drop, true);
    }

    /// Drop every XMPP link of a node that is going down as a whole: its Finesse goes with
    /// it, so nobody is left to notice the users' presence.
    pub fn drop_links_of_stopped_node(&self, node: NodeId) {
        self.remove_all(Some(node), ToSession::Drop, false);
    }

    /// Politely end every stream on every node (server shutdown).
    pub fn shutdown_all(&self) {
        self.remove_all(None, ToSession::Shutdown, false);
    }

    fn remove_all(&self, node: Option<NodeId>, farewell: ToSession, report: bool) {
        let mut state = self.lock();
        let ids: Vec<SessionId> = state
            .sessions
            .iter()
            .filter(|(_, s)| node.is_none_or(|n| s.node == n))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.remove_locked(&mut state, id, farewell.clone(), report);
        }
    }

    /// Number of bound sessions on a node.
    pub fn session_count(&self, node: NodeId) -> usize {
        self.lock()
            .sessions
            .values()
            .filter(|s| s.node == node)
            .count()
    }

    /// Whether the `finesse@` user of a node is available.
    pub fn finesse_available(&self, node: NodeId) -> bool {
        self.lock()
            .nodes
            .get(&node)
            .is_none_or(|n| n.finesse_available)
    }

    /// Change the `finesse@` presence of a node and tell its available sessions.
    pub fn set_finesse_available(&self, node: NodeId, available: bool) {
        let mut state = self.lock();
        let node_state = state.nodes.entry(node).or_default();
        if node_state.finesse_available == available {
            return;
        }
        node_state.finesse_available = available;
        for session in state
            .sessions
            .values()
            .filter(|s| s.node == node && s.available)
        {
            let _ = session.tx.send(ToSession::FinessePresence { available });
        }
    }

    /// Subscribe `jid` (the requester's full or bare JID) to a pub-sub node.
    pub fn subscribe(
        &self,
        requester: SessionId,
        pubsub_node: &str,
        jid: &str,
    ) -> Result<SubscriptionView, SubscriptionError> {
        let mut state = self.lock();
        let node = requester_node(&state, requester, jid)?;
        state
            .nodes
            .entry(node)
            .or_default()
            .subscriptions
            .subscribe(pubsub_node, jid)
    }

    /// Remove a subscription of `jid` to a pub-sub node (optionally by subscription id).
    pub fn unsubscribe(
        &self,
        requester: SessionId,
        pubsub_node: &str,
        jid: &str,
        subid: Option<&str>,
    ) -> Result<(), SubscriptionError> {
        let mut state = self.lock();
        let node = requester_node(&state, requester, jid)?;
        state
            .nodes
            .entry(node)
            .or_default()
            .subscriptions
            .unsubscribe(pubsub_node, jid, subid)
    }

    /// The requester's subscriptions: those of its full JID and of its bare JID.
    pub fn subscriptions(&self, requester: SessionId) -> Vec<SubscriptionView> {
        let state = self.lock();
        let Some(session) = state.sessions.get(&requester) else {
            return Vec::new();
        };
        state
            .nodes
            .get(&session.node)
            .map(|n| {
                n.subscriptions
                    .held_by(&session.full_key, &session.bare_key)
            })
            .unwrap_or_default()
    }

    /// Add a delivery fault on a node.
    pub fn add_event_fault(&self, node: NodeId, fault: EventFault) {
        self.lock().nodes.entry(node).or_default().faults.add(fault);
    }

    /// Remove every delivery fault of a node (delayed events stay scheduled).
    pub fn clear_event_faults(&self, node: NodeId) {
        self.lock().nodes.entry(node).or_default().faults.clear();
    }

    /// Take publications (while holding the registry lock, so concurrent callers cannot
    /// reorder them) and route them.
    pub fn route_with(&self, now: SimTime, take: impl FnOnce() -> Vec<Publication>) {
        let mut state = self.lock();
        let publications = take();
        for publication in publications {
            let targets: &[NodeId] = match publication.origin {
                Some(NodeId::A) => &[NodeId::A],
                Some(NodeId::B) => &[NodeId::B],
                None => &[NodeId::A, NodeId::B],
            };
            for &node in targets {
                let fault = state
                    .nodes
                    .get_mut(&node)
                    .and_then(|n| n.faults.take(&publication.node));
                match fault {
                    None => deliver(&mut state, node, &publication),
                    Some(EventFaultAction::Drop) => {
                        tracing::info!(?node, pubsub_node = %publication.node, "event dropped by fault");
                    }
                    Some(EventFaultAction::Delay { millis }) => {
                        let due = now.plus(Duration::from_millis(millis));
                        state.delayed.push(due, node, publication.clone());
                    }
                    Some(EventFaultAction::Duplicate { millis: 0 }) => {
                        deliver(&mut state, node, &publication);
                        deliver(&mut state, node, &publication);
                    }
                    Some(EventFaultAction::Duplicate { millis }) => {
                        deliver(&mut state, node, &publication);
                        let due = now.plus(Duration::from_millis(millis));
                        state.delayed.push(due, node, publication.clone());
                    }
                }
            }
        }
    }

    /// Deliver delayed events that are due at `now`, oldest first.
    pub fn release_due(&self, now: SimTime) {
        let mut state = self.lock();
        for (node, publication) in state.delayed.take_due(now) {
            deliver(&mut state, node, &publication);
        }
    }

    /// When the earliest delayed event falls due.
    pub fn next_delayed_due(&self) -> Option<SimTime> {
        self.lock().delayed.next_due()
    }
}

/// The node of the requesting session, if `jid` is its full or bare JID.
fn requester_node(
    state: &RouterState,
    requester: SessionId,
    jid: &str,
) -> Result<NodeId, SubscriptionError> {
    let session = state
        .sessions
        .get(&requester)
        .ok_or(SubscriptionError::InvalidJid)?;
    let key = jid_key(jid);
    if key == session.full_key || key == session.bare_key {
        Ok(session.node)
    } else {
        Err(SubscriptionError::InvalidJid)
    }
}

/// Whether the node's Finesse is up to watch its users' presence: while `finesse@` is
/// unavailable the web application is down and nobody starts a forced-logout timer.
fn watches_presence(state: &RouterState, node: NodeId) -> bool {
    state.nodes.get(&node).is_none_or(|n| n.finesse_available)
}

fn any_available(state: &RouterState, node: NodeId, user_id: &str) -> bool {
    state
        .sessions
        .values()
        .any(|s| s.node == node && s.available && s.user_id.eq_ignore_ascii_case(user_id))
}

fn deliver(state: &mut RouterState, node: NodeId, publication: &Publication) {
    let subscribers = state
        .nodes
        .get(&node)
        .map(|n| n.subscriptions.subscribers(&publication.node))
        .unwrap_or_default();
    let mut targets: BTreeSet<SessionId> = BTreeSet::new();
    for (id, session) in state
        .sessions
        .iter()
        .filter(|(_, s)| s.node == node && s.routable)
    {
        let by_audience = match &publication.audience {
            Audience::User(user) => session.user_id.eq_ignore_ascii_case(user),
            Audience::Everyone => true,
            Audience::Subscribers => false,
        };
        let by_subscription = subscribers
            .iter()
            .any(|k| *k == session.full_key || *k == session.bare_key);
        if by_audience || by_subscription {
            targets.insert(*id);
        }
    }
    if targets.is_empty() {
        return;
    }
    state.item_counter += 1;
    let item = Arc::new(EventItem {
        node: publication.node.clone(),
        item_id: format!("{}{}", uuid::Uuid::new_v4(), state.item_counter),
        update: publication.update.clone(),
    });
    for id in targets {
        if let Some(session) = state.sessions.get(&id) {
            let _ = session.tx.send(ToSession::Event(item.clone()));
        }
    }
}

#[cfg(test)]
#[path = "router_tests.rs"]
mod tests;
