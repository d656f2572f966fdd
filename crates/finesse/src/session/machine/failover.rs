//! Failing over to the other node (finesse-protocol.md §10.1).
//!
//! Counting failures on one node before trying the next is slow when that node is plainly
//! gone. So whenever the current node cannot be used — an attempt on it failed, it went
//! OUT_OF_SERVICE, its Finesse went away — the session asks the other node's SystemInfo
//! right away. If that node is IN_SERVICE while the current one still is not, the session
//! moves there at once (and back again the same way later). A link that merely dropped is
//! first retried on the same node: moving a healthy agent would start the old node's
//! presence timer for nothing.
use super::link::Link;
use super::{OpPurpose, SessionMachine, TimerPurpose};
use crate::model::SystemInfo;
use crate::session::connection::ConnectionState;
use crate::session::error::SessionError;
use crate::session::io::{RestFailure, RestFailureKind, RestOpId, RestReply, RestRequest};

/// A SystemInfo request to another node, in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Probe {
    op: RestOpId,
    node_index: usize,
}

impl SessionMachine {
    /// Asks the next node whether it is in service, unless the policy says no, there is no
    /// other node, or a probe is already out.
    pub(super) fn probe_alternate(&mut self) {
        if !self.policy.probe_alternate || self.nodes.len() < 2 || self.probe.is_some() {
            return;
        }
        let node_index = (self.node_index + 1) % self.nodes.len();
        let Some(node) = self.nodes.get(node_index).cloned() else {
            return;
        };
        tracing::debug!(%node, "asking the other Finesse node whether it is in service");
        let op = self.rest_on(node, RestRequest::SystemInfo, OpPurpose::Probe);
        self.probe = Some(Probe { op, node_index });
    }

    pub(super) fn on_probe_reply(&mut self, op: RestOpId, result: Result<RestReply, RestFailure>) {
        let Some(probe) = self.probe.filter(|p| p.op == op) else {
            return;
        };
        self.probe = None;
        match result {
            Ok(RestReply::SystemInfo(info)) if info.is_in_service() => {
                if self.waiting_for_a_node() && probe.node_index != self.node_index {
                    self.fail_over(probe.node_index, &info);
                }
            }
            Err(failure) if failure.kind == RestFailureKind::Authentication => {
                // The same credentials go to every node: retrying anywhere would only lock
                // the account.
                self.fail(failure.to_session_error());
            }
            Ok(_) | Err(_) => {}
        }
    }

    /// Not connected, and not in the middle of bringing the current node up after it
    /// answered: a better node is welcome.
    fn waiting_for_a_node(&self) -> bool {
        matches!(
            self.link,
            Link::Waiting
                | Link::CheckingSystem { .. }
                | Link::OpeningXmpp
                | Link::OutOfService { .. }
                | Link::FinesseAway
        )
    }

    /// Moves to the node at `index`, whose SystemInfo (`info`) says IN_SERVICE, and
    /// continues the attempt there without asking SystemInfo again.
    fn fail_over(&mut self, index: usize, info: &SystemInfo) {
        let from = self.current_node();
        self.cancel_timers_where(|p| {
            matches!(
                p,
                TimerPurpose::Backoff | TimerPurpose::OutOfServicePoll | TimerPurpose::FinesseAway
            )
        });
        self.fail_pending(&SessionError::ConnectionLost);
        // XMPP kept on an out-of-service node (or one whose Finesse is down) goes now.
        self.drop_xmpp();
        self.node_index = index;
        self.retry.node_failures = 0;
        let to = self.current_node();
        tracing::info!(%from, %to, "failing over to the other Finesse node");
        let last_error = match &self.state {
            ConnectionState::Reconnecting { last_error, .. } => last_error.clone(),
            ConnectionState::OutOfService { reason, .. } => SessionError::OutOfService {
                reason: reason.clone(),
            },
            _ => SessionError::Unreachable {
                message: format!("{from} could not be used"),
            },
        };
        self.show_attempt(last_error);
        self.record_system_info(info);
        self.after_in_service();
    }

    /// The connection state for an attempt on the current node.
    pub(super) fn show_attempt(&mut self, last_error: SessionError) {
        let node = self.current_node();
        let attempt = self.retry.attempt.max(1);
        let state = if self.retry.ever_connected {
            ConnectionState::Reconnecting {
                node,
                attempt,
                since: self.outage_began().unwrap_or(self.now),
                last_error,
            }
        } else {
            ConnectionState::Connecting { node, attempt }
        };
        self.set_state(state);
    }
}
