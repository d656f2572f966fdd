//! Waiting out a node that cannot serve while XMPP stays up (finesse-protocol.md §10.1):
//! OUT_OF_SERVICE (its CTI link is lost; SystemInfo is polled until IN_SERVICE) and Finesse
//! away (`finesse@` unavailable; the web application is down). Meanwhile the other node is
//! asked, and the session moves there if it can serve.
use super::link::{status_reason, Link, XmppLink};
use super::{OpPurpose, SessionMachine, TimerPurpose};
use crate::session::connection::ConnectionState;
use crate::session::error::SessionError;
use crate::session::io::{RestFailure, RestFailureKind, RestReply, RestRequest};

impl SessionMachine {
    pub(super) fn on_finesse_presence(&mut self, available: bool) {
        if self.xmpp != XmppLink::Up {
            return;
        }
        if available {
            if matches!(self.link, Link::FinesseAway) {
                self.cancel_timers_where(|p| matches!(p, TimerPurpose::FinesseAway));
                self.begin_attempt();
            }
            return;
        }
        let was_connected = matches!(self.link, Link::Connected);
        if !(was_connected
            || matches!(
                self.link,
                Link::Syncing(_) | Link::OutOfService { .. } | Link::CheckingSystem { .. }
            ))
        {
            return;
        }
        let error = SessionError::Unreachable {
            message: "Finesse is unavailable (its finesse@ presence went away)".to_owned(),
        };
        if was_connected {
            self.begin_outage();
        }
        self.fail_pending(&SessionError::ConnectionLost);
        self.cancel_timers_where(|p| matches!(p, TimerPurpose::OutOfServicePoll));
        if was_connected {
            self.retry.failures = 1;
            self.retry.node_failures = 0;
            self.retry.attempt = 1;
            self.retry.lost_since = Some(self.now);
        }
        self.link = Link::FinesseAway;
        self.set_timer(
            self.policy.finesse_presence_timeout,
            TimerPurpose::FinesseAway,
        );
        let node = self.current_node();
        let attempt = self.retry.attempt.max(1);
        let state = if self.retry.ever_connected {
            ConnectionState::Reconnecting {
                node,
                attempt,
                since: self.retry.lost_since.unwrap_or(self.now),
                last_error: error,
            }
        } else {
            ConnectionState::Connecting { node, attempt }
        };
        self.set_state(state);
        self.probe_alternate();
    }

    pub(super) fn on_finesse_away_elapsed(&mut self) {
        if matches!(self.link, Link::FinesseAway) {
            let seconds = self.policy.finesse_presence_timeout.as_secs();
            self.attempt_failed(SessionError::Unreachable {
                message: format!("Finesse stayed unavailable for {seconds} s"),
            });
        }
    }

    /// The node went OUT_OF_SERVICE while XMPP is up: keep XMPP, poll SystemInfo, and wait
    /// for IN_SERVICE (event or poll).
    pub(super) fn enter_out_of_service(&mut self, reason: String) {
        self.begin_outage();
        self.fail_pending(&SessionError::OutOfService {
            reason: reason.clone(),
        });
        self.cancel_timers_where(|p| {
            matches!(
                p,
                TimerPurpose::FinesseAway | TimerPurpose::OutOfServicePoll
            )
        });
        self.link = Link::OutOfService { poll_op: None };
        self.set_timer(
            self.policy.out_of_service_poll,
            TimerPurpose::OutOfServicePoll,
        );
        let node = self.current_node();
        self.set_state(ConnectionState::OutOfService { node, reason });
        self.probe_alternate();
    }

    pub(super) fn on_out_of_service_poll(&mut self) {
        if matches!(self.link, Link::OutOfService { .. }) {
            let op = self.rest(RestRequest::SystemInfo, OpPurpose::Link);
            self.link = Link::OutOfService { poll_op: Some(op) };
        }
    }

    pub(super) fn on_poll_reply(&mut self, result: Result<RestReply, RestFailure>) {
        match result {
            Ok(RestReply::SystemInfo(info)) => {
                self.record_system_info(&info);
                if info.is_in_service() {
                    return self.back_in_service();
                }
                let node = self.current_node();
                let reason = status_reason(&info);
                self.note_outage_failure(&SessionError::OutOfService {
                    reason: reason.clone(),
                });
                self.set_state(ConnectionState::OutOfService { node, reason });
                self.probe_alternate();
            }
            Err(failure) if failure.kind == RestFailureKind::Authentication => {
                return self.fail(failure.to_session_error())
            }
            _ => {}
        }
        self.link = Link::OutOfService { poll_op: None };
        self.set_timer(
            self.policy.out_of_service_poll,
            TimerPurpose::OutOfServicePoll,
        );
    }

    /// IN_SERVICE again while XMPP stayed up: resync.
    pub(super) fn back_in_service(&mut self) {
        if matches!(self.link, Link::OutOfService { .. }) {
            self.cancel_timers_where(|p| matches!(p, TimerPurpose::OutOfServicePoll));
            self.start_sync();
        }
    }
}
