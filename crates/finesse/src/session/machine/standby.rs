//! Presence kept on the node the session left.
//!
//! Each Finesse node watches the agent's presence on its own XMPP server and forces the
//! agent out 60 s after it went away (finesse-protocol.md §10.2) — also when the session
//! simply moved to the other node because the path to this one broke. So after a failover
//! the session keeps trying to get a second, presence-only connection (its own resource,
//! events ignored) to the node it left; once there, that node's timer is cancelled and the
//! agent stays signed in everywhere. When the session later settles on that node again,
//! its main connection takes over and the standby is closed.
use std::time::Duration;

use super::{SessionMachine, TimerPurpose};
use crate::session::backoff::Backoff;
use crate::session::error::SessionError;
use crate::session::io::{Effect, LinkFailure, LinkFailureKind, LinkLoss, XmppTarget};
use crate::session::time::Millis;

/// After this long without success the standby retries at the slow pace.
const STANDBY_PATIENCE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Waiting,
    Connecting,
    Up,
}

/// The standby connection to one node.
#[derive(Debug)]
pub(super) struct Standby {
    node: String,
    phase: Phase,
    failures: u32,
    since: Millis,
}

impl SessionMachine {
    /// The session is connected again after an outage: close a standby on the node it now
    /// uses, and keep presence on the node it left (`left`).
    pub(super) fn settle_standby(&mut self, left: Option<String>) {
        let current = self.current_node();
        if self
            .standby
            .as_ref()
            .is_some_and(|s| s.node.eq_ignore_ascii_case(&current))
        {
            tracing::info!(node = %current, "the session is back on the node kept by the standby connection");
            self.drop_standby();
        }
        let Some(left) = left.filter(|l| !l.eq_ignore_ascii_case(&current)) else {
            return;
        };
        if !self.policy.keep_presence_on_left_node || self.standby.is_some() {
            return;
        }
        tracing::info!(node = %left, "keeping presence on the node the session left");
        self.standby = Some(Standby {
            node: left,
            phase: Phase::Waiting,
            failures: 0,
            since: self.now,
        });
        self.connect_standby();
    }

    /// The node a standby connection is kept on (or being made to), if any.
    pub fn standby_node(&self) -> Option<&str> {
        self.standby.as_ref().map(|s| s.node.as_str())
    }

    pub(super) fn drop_standby(&mut self) {
        self.cancel_timers_where(|p| matches!(p, TimerPurpose::Standby));
        if let Some(standby) = self.standby.take() {
            if standby.phase != Phase::Waiting {
                self.emit(Effect::DisconnectStandby);
            }
        }
    }

    pub(super) fn on_standby_timer(&mut self) {
        if self
            .standby
            .as_ref()
            .is_some_and(|s| s.phase == Phase::Waiting)
        {
            self.connect_standby();
        }
    }

    fn connect_standby(&mut self) {
        let Some(user_id) = self.user_id.clone() else {
            return;
        };
        let Some(standby) = self.standby.as_mut() else {
            return;
        };
        standby.phase = Phase::Connecting;
        let node = standby.node.clone();
        let domain = self
            .xmpp_domains
            .get(&node.to_lowercase())
            .cloned()
            .unwrap_or_else(|| node.to_lowercase());
        self.emit(Effect::ConnectStandby(XmppTarget {
            node,
            pubsub_domain: format!("pubsub.{domain}"),
            domain,
            user_id,
        }));
    }

    pub(super) fn on_standby_connected(&mut self) {
        match self.standby.as_mut() {
            Some(standby) if standby.phase == Phase::Connecting => {
                standby.phase = Phase::Up;
                standby.failures = 0;
                tracing::info!(node = %standby.node, "presence kept on the node the session left");
            }
            // Nobody waits for it any more.
            _ => self.emit(Effect::DisconnectStandby),
        }
    }

    pub(super) fn on_standby_connect_failed(&mut self, failure: LinkFailure) {
        if failure.kind == LinkFailureKind::Authentication {
            return self.fail(SessionError::AuthenticationFailed {
                message: failure.message,
            });
        }
        if failure.kind == LinkFailureKind::SignedInElsewhere {
            tracing::warn!("the standby connection's identity is in use; not keeping presence");
            self.standby = None;
            return;
        }
        if self
            .standby
            .as_ref()
            .is_some_and(|s| s.phase == Phase::Connecting)
        {
            self.retry_standby();
        }
    }

    pub(super) fn on_standby_lost(&mut self, loss: LinkLoss) {
        if self.standby.as_ref().is_some_and(|s| s.phase == Phase::Up) {
            tracing::info!(?loss, "the standby connection ended; getting it back");
            self.retry_standby();
        }
    }

    fn retry_standby(&mut self) {
        let now = self.now;
        let unit = self.jitter.next_unit();
        let slow_max = self.policy.slow_retry.as_ref().map(|s| s.max_delay);
        let Some(standby) = self.standby.as_mut() else {
            return;
        };
        standby.phase = Phase::Waiting;
        standby.failures += 1;
        let backoff = match slow_max {
            Some(max) if now.since(standby.since) >= STANDBY_PATIENCE => Backoff {
                max: max.max(self.policy.backoff.max),
                ..self.policy.backoff.clone()
            },
            _ => self.policy.backoff.clone(),
        };
        let delay = backoff.delay(standby.failures, unit);
        self.set_timer(delay, TimerPurpose::Standby);
    }
}
