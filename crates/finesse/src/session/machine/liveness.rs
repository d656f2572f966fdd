//! Keeping watch over the link between pings, and the story of an outage.
//!
//! Pings find a dead link within `interval + misses × timeout`. After the host slept, after
//! a network change, or when a request could not reach the node, waiting that long is
//! pointless: the link is checked at once (an XMPP ping and a SystemInfo GET), a pending
//! retry is brought forward, an out-of-service poll is made now.
//!
//! An outage begins when a working link is lost and ends with the resync that follows. It
//! remembers where the agent was and whether they were READY, publishes a notice when
//! getting back keeps failing, and a `Reconnected` event at the end.
use super::link::{Link, XmppLink};
use super::{OpPurpose, SessionMachine, TimerPurpose};
use crate::model::AgentState;
use crate::session::connection::ConnectionState;
use crate::session::error::SessionError;
use crate::session::event::SessionEvent;
use crate::session::io::{
    Effect, LinkCheckReason, LinkLoss, RestFailure, RestFailureKind, RestOpId, RestReply,
    RestRequest,
};
use crate::session::time::Millis;

/// An out-of-turn check in flight.
#[derive(Debug, Default)]
pub(super) struct LinkCheck {
    xmpp: bool,
    rest: Option<RestOpId>,
}

/// The current or last outage.
#[derive(Debug, Default)]
pub(super) struct Outage {
    /// When the working link was lost; `None` while connected.
    pub since: Option<Millis>,
    /// The node in use before the outage.
    node_before: Option<String>,
    /// The agent was READY when the link was lost.
    pub ready_before: bool,
    /// Failed attempts (and still-out-of-service polls) since the loss.
    failures: u32,
    struggling_reported: bool,
    /// Until when a connection failure after this outage may be undone by going READY.
    pub restore_ready_until: Option<Millis>,
}

/// One log line per connection state change, with the session time and what matters.
pub(super) fn log_transition(from: &ConnectionState, to: &ConnectionState, now: Millis) {
    let node = to.node().unwrap_or("-");
    match to {
        ConnectionState::Reconnecting {
            attempt,
            since,
            last_error,
            ..
        } => tracing::info!(
            at_ms = now.0,
            from = from.name(),
            to = to.name(),
            node,
            attempt,
            since_ms = since.0,
            error = last_error.code(),
            "connection: {}",
            last_error
        ),
        ConnectionState::Failed { error } => tracing::warn!(
            at_ms = now.0,
            from = from.name(),
            to = to.name(),
            error = error.code(),
            "connection: {}",
            error
        ),
        _ => tracing::info!(
            at_ms = now.0,
            from = from.name(),
            to = to.name(),
            node,
            "connection state changed"
        ),
    }
}

impl SessionMachine {
    /// When the current outage began, if the session is in one.
    pub(super) fn outage_began(&self) -> Option<Millis> {
        self.retry.lost_since.or(self.outage.since)
    }

    /// A working link is being lost now (socket, pings, Finesse away, out of service).
    pub(super) fn begin_outage(&mut self) {
        if self.outage.since.is_some() || !self.retry.ever_connected {
            return;
        }
        let ready = self
            .snapshot
            .user
            .as_ref()
            .is_some_and(|u| u.state == AgentState::Ready);
        self.outage = Outage {
            since: Some(self.now),
            node_before: Some(self.current_node()),
            ready_before: ready,
            ..Outage::default()
        };
    }

    /// The resync after an outage finished: say so, and open the READY-restore window.
    pub(super) fn end_outage(&mut self) {
        let Some(since) = self.outage.since.take() else {
            return;
        };
        let node = self.current_node();
        let failed_over = self
            .outage
            .node_before
            .as_deref()
            .is_some_and(|before| !before.eq_ignore_ascii_case(&node));
        let outage_ms = self.now.since(since).as_millis() as u64;
        tracing::info!(%node, outage_ms, failed_over, "connection back after an outage");
        let left = self.outage.node_before.clone().filter(|_| failed_over);
        self.settle_standby(left);
        self.outage.failures = 0;
        self.outage.struggling_reported = false;
        self.outage.restore_ready_until = (self.policy.restore_ready_after_outage
            && self.outage.ready_before)
            .then(|| self.now.after(self.policy.restore_ready_window));
        self.publish(SessionEvent::Reconnected {
            node,
            since,
            outage_ms,
            failed_over,
        });
    }

    /// An attempt failed (or the node still is not in service): maybe time to tell the
    /// agent that this is taking long.
    pub(super) fn note_outage_failure(&mut self, last_error: &SessionError) {
        let Some(since) = self.outage.since else {
            return;
        };
        self.outage.failures += 1;
        let attempts = self.outage.failures;
        if self.outage.struggling_reported
            || attempts < self.policy.struggling_after_attempts
            || self.now.since(since) < self.policy.struggling_after
        {
            return;
        }
        self.outage.struggling_reported = true;
        let node = self.current_node();
        tracing::warn!(%node, attempts, since_ms = since.0, "reconnecting keeps failing: {last_error}");
        self.publish(SessionEvent::ReconnectStruggling {
            attempts,
            since,
            node,
            last_error: last_error.clone(),
        });
    }

    /// The backoff delay for the next retry: slower once the outage outlasts the policy's
    /// `slow_retry.after`.
    pub(super) fn retry_delay(&mut self) -> std::time::Duration {
        let unit = self.jitter.next_unit();
        let failures = self.retry.failures;
        let long = match (&self.policy.slow_retry, self.outage_began()) {
            (Some(slow), Some(since)) if self.now.since(since) >= slow.after => Some(slow.clone()),
            _ => None,
        };
        match long {
            Some(slow) => {
                let backoff = crate::session::backoff::Backoff {
                    max: slow.max_delay.max(self.policy.backoff.max),
                    ..self.policy.backoff.clone()
                };
                backoff.delay(failures, unit)
            }
            None => self.policy.backoff.delay(failures, unit),
        }
    }

    pub(super) fn on_check_link(&mut self, reason: LinkCheckReason) {
        tracing::info!(
            reason = reason.name(),
            state = self.state.name(),
            "checking the link now"
        );
        match self.link {
            Link::Connected => {
                self.check_xmpp();
                if self.check.rest.is_none() {
                    let op = self.rest(RestRequest::SystemInfo, OpPurpose::LinkCheck);
                    self.check.rest = Some(op);
                }
            }
            Link::Waiting => {
                // Whatever kept the node away may be over: try now rather than at the end
                // of the backoff.
                self.cancel_timers_where(|p| matches!(p, TimerPurpose::Backoff));
                self.begin_attempt();
            }
            Link::OutOfService { poll_op: None } => {
                self.check_xmpp();
                self.cancel_timers_where(|p| matches!(p, TimerPurpose::OutOfServicePoll));
                self.on_out_of_service_poll();
                self.probe_alternate();
            }
            Link::OutOfService { .. } | Link::FinesseAway => {
                self.check_xmpp();
                self.probe_alternate();
            }
            _ => {}
        }
    }

    fn check_xmpp(&mut self) {
        if self.xmpp == XmppLink::Up && !self.check.xmpp {
            self.check.xmpp = true;
            self.emit(Effect::CheckXmpp);
        }
    }

    /// Forget an XMPP check: its connection is gone.
    pub(super) fn forget_xmpp_check(&mut self) {
        self.check.xmpp = false;
    }

    pub(super) fn on_xmpp_checked(&mut self, alive: bool) {
        if !self.check.xmpp {
            return;
        }
        self.check.xmpp = false;
        if alive || self.xmpp != XmppLink::Up {
            return;
        }
        tracing::warn!("the notification service did not answer an out-of-turn ping");
        self.emit(Effect::DisconnectXmpp);
        self.on_xmpp_disconnected(LinkLoss::PingTimeout);
    }

    pub(super) fn on_link_check_reply(
        &mut self,
        op: RestOpId,
        result: Result<RestReply, RestFailure>,
    ) {
        if self.check.rest != Some(op) {
            return;
        }
        self.check.rest = None;
        if !self.is_connected() {
            return;
        }
        match result {
            Ok(RestReply::SystemInfo(info)) => {
                self.record_system_info(&info);
                if !info.is_in_service() {
                    self.enter_out_of_service(super::link::status_reason(&info));
                }
            }
            Err(failure) => match failure.kind {
                RestFailureKind::Authentication => self.fail(failure.to_session_error()),
                RestFailureKind::OutOfService => self.enter_out_of_service(failure.message),
                // The XMPP check decides whether the link is gone.
                _ => {}
            },
            Ok(_) => {}
        }
    }
}
