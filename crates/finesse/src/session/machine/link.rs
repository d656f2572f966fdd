//! Bringing the link up and keeping it up: start-up (§13.1), reconnect with backoff and node
//! failover, out-of-service and Finesse-unavailable waits, resync and reconcile (§10.1).
use super::{OpPurpose, SessionMachine, TimerPurpose};
use crate::model::{Dialog, SystemInfo, User};
use crate::notification::FinesseEvent;
use crate::session::connection::ConnectionState;
use crate::session::error::SessionError;
use crate::session::event::SessionEvent;
use crate::session::io::{
    Effect, LinkFailure, LinkFailureKind, LinkLoss, RestFailure, RestFailureKind, RestOpId,
    RestReply, RestRequest, XmppTarget,
};
use crate::session::time::Millis;

/// Retry bookkeeping since the start or the last loss.
#[derive(Debug, Default)]
pub(super) struct Retry {
    /// The number of the current (or next) connection attempt, from 1.
    pub attempt: u32,
    /// Consecutive failures (a lost link counts as one): the backoff step.
    pub failures: u32,
    /// Consecutive failed attempts on the current node.
    pub node_failures: u32,
    /// When the working link was lost.
    pub lost_since: Option<Millis>,
    /// The session has been connected at least once (so it is *re*connecting now).
    pub ever_connected: bool,
}

/// Where the link stands.
#[derive(Debug)]
pub(super) enum Link {
    /// Not started.
    Idle,
    /// Waiting for the backoff timer before the next attempt.
    Waiting,
    /// `GET SystemInfo` in flight (XMPP may be up when coming back from a Finesse outage).
    CheckingSystem {
        op: RestOpId,
    },
    /// First start: `GET User/{identity}` to learn the `loginId`.
    ResolvingUser {
        op: RestOpId,
    },
    OpeningXmpp,
    /// XMPP is up; User and Dialogs GETs in flight; events are buffered.
    Syncing(Box<Sync>),
    Connected,
    /// The node is OUT_OF_SERVICE; XMPP is kept; SystemInfo is polled.
    OutOfService {
        poll_op: Option<RestOpId>,
    },
    /// `finesse@` went unavailable; XMPP is kept; waiting for it to come back.
    FinesseAway,
    /// Failed, signed in elsewhere, or shut down.
    Ended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum XmppLink {
    Down,
    Opening,
    Up,
}

#[derive(Debug)]
pub(super) struct Sync {
    user_op: RestOpId,
    dialogs_op: RestOpId,
    user: Option<User>,
    dialogs: Option<Vec<Dialog>>,
    /// Events that arrived after XMPP came up, before both GETs answered; applied over the
    /// fresh snapshot in arrival order so none falls between snapshot and stream.
    pub(super) buffered: Vec<(FinesseEvent, Option<String>)>,
}

impl SessionMachine {
    pub(super) fn on_start(&mut self) {
        if !matches!(self.link, Link::Idle) {
            return;
        }
        self.retry = Retry {
            attempt: 1,
            ..Retry::default()
        };
        let node = self.current_node();
        self.set_state(ConnectionState::Connecting { node, attempt: 1 });
        self.begin_attempt();
    }

    pub(super) fn begin_attempt(&mut self) {
        let op = self.rest(RestRequest::SystemInfo, OpPurpose::Link);
        self.link = Link::CheckingSystem { op };
    }

    pub(super) fn on_backoff_elapsed(&mut self) {
        if matches!(self.link, Link::Waiting) {
            self.begin_attempt();
        }
    }

    /// A REST answer for the link; stale answers (from an abandoned attempt) are ignored.
    pub(super) fn on_link_reply(&mut self, op: RestOpId, result: Result<RestReply, RestFailure>) {
        match &mut self.link {
            Link::CheckingSystem { op: expected } if *expected == op => self.on_system_info(result),
            Link::ResolvingUser { op: expected } if *expected == op => {
                self.on_user_resolved(result)
            }
            Link::OutOfService {
                poll_op: Some(expected),
            } if *expected == op => self.on_poll_reply(result),
            Link::Syncing(sync) if sync.user_op == op || sync.dialogs_op == op => {
                match result {
                    Ok(RestReply::User(user)) if sync.user_op == op => sync.user = Some(user),
                    Ok(RestReply::Dialogs(dialogs)) if sync.dialogs_op == op => {
                        sync.dialogs = Some(dialogs)
                    }
                    Ok(_) => {
                        return self.attempt_failed(SessionError::Protocol {
                            message: "unexpected answer to the User/Dialogs GET".to_owned(),
                        })
                    }
                    Err(failure) => return self.on_sync_failure(failure),
                }
                self.finish_sync_if_complete();
            }
            _ => {}
        }
    }

    fn on_system_info(&mut self, result: Result<RestReply, RestFailure>) {
        match result {
            Ok(RestReply::SystemInfo(info)) => {
                self.record_system_info(&info);
                if info.is_in_service() {
                    self.after_in_service();
                } else {
                    self.not_in_service(status_reason(&info));
                }
            }
            Ok(_) => self.attempt_failed(SessionError::Protocol {
                message: "unexpected answer to the SystemInfo GET".to_owned(),
            }),
            Err(failure) => match failure.kind {
                RestFailureKind::Authentication => self.fail(failure.to_session_error()),
                RestFailureKind::OutOfService => self.not_in_service(failure.message),
                _ => self.attempt_failed(failure.to_session_error()),
            },
        }
    }

    pub(super) fn record_system_info(&mut self, info: &SystemInfo) {
        if let Some(domain) = info.xmpp_domain.as_deref().map(str::trim) {
            if !domain.is_empty() {
                let node = self.current_node().to_lowercase();
                self.xmpp_domains.insert(node, domain.to_lowercase());
            }
        }
        if self.policy.learn_nodes_from_system_info {
            let current = self.current_node();
            if let Some(alternate) = info.alternate_host(&current) {
                let alternate = alternate.trim();
                let known = self.nodes.iter().any(|n| n.eq_ignore_ascii_case(alternate));
                if !alternate.is_empty() && !known {
                    self.nodes.push(alternate.to_owned());
                }
            }
        }
        if self.snapshot.replace_system_info(info.clone()) {
            self.publish(SessionEvent::SystemInfoChanged { info: info.clone() });
            self.snapshot_changed();
        }
    }

    pub(super) fn after_in_service(&mut self) {
        if self.xmpp == XmppLink::Up {
            self.start_sync();
        } else if self.user_id.is_none() {
            let login = self.identity.clone();
            let op = self.rest(RestRequest::UserByLoginName { login }, OpPurpose::Link);
            self.link = Link::ResolvingUser { op };
        } else {
            self.open_xmpp();
        }
    }

    fn not_in_service(&mut self, reason: String) {
        if self.xmpp == XmppLink::Up {
            self.enter_out_of_service(reason);
        } else {
            self.attempt_failed(SessionError::OutOfService { reason });
        }
    }

    fn on_user_resolved(&mut self, result: Result<RestReply, RestFailure>) {
        match result {
            Ok(RestReply::User(user)) => {
                self.user_id = Some(user.login_id.clone());
                self.open_xmpp();
            }
            Ok(_) => self.attempt_failed(SessionError::Protocol {
                message: "unexpected answer to the User GET".to_owned(),
            }),
            Err(failure) => match failure.kind {
                // An unknown user stays unknown: retrying would not help.
                RestFailureKind::Authentication | RestFailureKind::Rejected => {
                    self.fail(failure.to_session_error())
                }
                _ => self.attempt_failed(failure.to_session_error()),
            },
        }
    }

    fn open_xmpp(&mut self) {
        let node = self.current_node();
        let info = self.system_info();
        let domain = info
            .and_then(|i| i.xmpp_domain.clone())
            .unwrap_or_else(|| node.clone());
        let pubsub_domain = info
            .and_then(|i| i.xmpp_pubsub_domain.clone())
            .unwrap_or_else(|| format!("pubsub.{domain}"));
        let user_id = self
            .user_id
            .clone()
            .unwrap_or_else(|| self.identity.clone());
        self.xmpp = XmppLink::Opening;
        self.link = Link::OpeningXmpp;
        self.emit(Effect::ConnectXmpp(XmppTarget {
            node,
            domain,
            pubsub_domain,
            user_id,
        }));
    }

    pub(super) fn on_xmpp_connected(&mut self) {
        if matches!(self.link, Link::OpeningXmpp) {
            self.xmpp = XmppLink::Up;
            self.start_sync();
        } else {
            // A connection nobody waits for any more (the session moved on or ended).
            self.emit(Effect::DisconnectXmpp);
        }
    }

    pub(super) fn on_xmpp_connect_failed(&mut self, failure: LinkFailure) {
        if !matches!(self.link, Link::OpeningXmpp) {
            return;
        }
        self.xmpp = XmppLink::Down;
        match failure.kind {
            LinkFailureKind::Authentication => self.fail(SessionError::AuthenticationFailed {
                message: failure.message,
            }),
            LinkFailureKind::SignedInElsewhere => self.signed_in_elsewhere(),
            LinkFailureKind::Unreachable | LinkFailureKind::Refused => {
                self.attempt_failed(SessionError::Unreachable {
                    message: failure.message,
                })
            }
        }
    }

    /// XMPP is up: re-subscribe explicit nodes, then take the snapshot.
    pub(super) fn start_sync(&mut self) {
        let Some(user_id) = self.user_id.clone() else {
            self.xmpp_down_and(|m| m.after_in_service());
            return;
        };
        let nodes: Vec<String> = self.explicit_nodes.iter().cloned().collect();
        for node in nodes {
            self.emit(Effect::Subscribe { node });
        }
        let user_op = self.rest(
            RestRequest::User {
                user_id: user_id.clone(),
            },
            OpPurpose::Link,
        );
        let dialogs_op = self.rest(RestRequest::Dialogs { user_id }, OpPurpose::Link);
        self.link = Link::Syncing(Box::new(Sync {
            user_op,
            dialogs_op,
            user: None,
            dialogs: None,
            buffered: Vec::new(),
        }));
    }

    fn xmpp_down_and(&mut self, then: impl FnOnce(&mut Self)) {
        self.drop_xmpp();
        then(self);
    }

    fn on_sync_failure(&mut self, failure: RestFailure) {
        match failure.kind {
            RestFailureKind::Authentication => self.fail(failure.to_session_error()),
            RestFailureKind::OutOfService => self.enter_out_of_service(failure.message),
            _ => self.attempt_failed(failure.to_session_error()),
        }
    }

    fn finish_sync_if_complete(&mut self) {
        let complete = matches!(&self.link, Link::Syncing(sync)
            if sync.user.is_some() && sync.dialogs.is_some());
        if !complete {
            return;
        }
        let Link::Syncing(sync) = std::mem::replace(&mut self.link, Link::Connected) else {
            return;
        };
        let Sync {
            user,
            dialogs,
            buffered,
            ..
        } = *sync;
        if let (Some(user), Some(dialogs)) = (user, dialogs) {
            self.reconcile(user, dialogs, buffered);
        }
    }

    /// Replaces the snapshot with the fresh GETs, reports what changed while away (dialogs
    /// that vanished included), then applies the buffered events in order.
    fn reconcile(
        &mut self,
        user: User,
        dialogs: Vec<Dialog>,
        buffered: Vec<(FinesseEvent, Option<String>)>,
    ) {
        let resync = self.retry.ever_connected;
        let before_user = self.snapshot.user.clone();
        let before_dialogs = self.snapshot.dialogs.clone();
        self.user_history.record(&user, false);
        let mut changed = self.snapshot.replace_user(user.clone());
        changed |= self.snapshot.replace_dialogs(dialogs);
        self.dialogs_read();

        if before_user.as_ref() != Some(&user) {
            self.publish(SessionEvent::UserChanged {
                user,
                request_id: None,
            });
        }
        let mut vanished = Vec::new();
        for (id, dialog) in &before_dialogs {
            if !self.snapshot.dialogs.contains_key(id) {
                vanished.push(id.clone());
                self.remember_ended(dialog);
                self.publish(SessionEvent::DialogRemoved {
                    dialog: dialog.clone(),
                    request_id: None,
                    vanished: true,
                });
            }
        }
        let current: Vec<Dialog> = self.snapshot.dialogs.values().cloned().collect();
        for dialog in current {
            match before_dialogs.get(&dialog.id) {
                None => self.publish(SessionEvent::DialogAdded {
                    dialog,
                    request_id: None,
                }),
                Some(old) if *old != dialog => self.publish(SessionEvent::DialogUpdated {
                    dialog,
                    request_id: None,
                }),
                Some(_) => {}
            }
        }

        let node = self.current_node();
        self.link = Link::Connected;
        self.retry = Retry {
            ever_connected: true,
            ..Retry::default()
        };
        self.cancel_timers_where(|p| {
            matches!(
                p,
                TimerPurpose::OutOfServicePoll | TimerPurpose::FinesseAway
            )
        });
        self.set_state(ConnectionState::Connected { node });
        if resync {
            self.publish(SessionEvent::Resynced {
                vanished_dialogs: vanished,
            });
            self.end_outage();
        }
        if changed {
            self.snapshot_changed();
        }
        if let Some(user) = self.snapshot.user.clone() {
            self.notice_forced_change(before_user.as_ref(), &user);
        }
        for (event, request_id) in buffered {
            self.apply_if_fresh(event, request_id);
        }
        self.after_resync(before_user.as_ref());
    }

    /// One connection attempt failed: back off, maybe move to the next node, maybe give up.
    pub(super) fn attempt_failed(&mut self, error: SessionError) {
        match error {
            SessionError::AuthenticationFailed { .. } => return self.fail(error),
            SessionError::SignedInElsewhere => return self.signed_in_elsewhere(),
            _ => {}
        }
        self.drop_xmpp();
        self.fail_pending(&SessionError::ConnectionLost);
        let failed_attempt = self.retry.attempt.max(1);
        if self
            .policy
            .max_attempts
            .is_some_and(|max| failed_attempt >= max)
        {
            let error = match error {
                SessionError::OutOfService { .. } => error,
                other => SessionError::Unreachable {
                    message: format!("gave up after {failed_attempt} attempts; last: {other}"),
                },
            };
            return self.fail(error);
        }
        self.retry.failures += 1;
        self.retry.node_failures += 1;
        self.retry.attempt = failed_attempt + 1;
        let failed_node = self.current_node();
        let switched =
            self.retry.node_failures >= self.policy.max_attempts_per_node && self.nodes.len() > 1;
        if switched {
            self.node_index = (self.node_index + 1) % self.nodes.len();
            self.retry.node_failures = 0;
            tracing::info!(from = %failed_node, to = %self.current_node(), "trying the next Finesse node");
        }
        self.note_outage_failure(&error);
        self.schedule_retry(error, failed_node);
        if !switched {
            self.probe_alternate();
        }
    }

    /// A working link was lost (socket closed, pings unanswered, XMPP dropped while out of
    /// service): commands in flight are failed and reconnecting starts.
    fn link_lost(&mut self, error: SessionError) {
        self.begin_outage();
        self.fail_pending(&SessionError::ConnectionLost);
        self.drop_xmpp();
        self.retry.failures = 1;
        self.retry.node_failures = 0;
        self.retry.attempt = 1;
        self.retry.lost_since.get_or_insert(self.now);
        let node = self.current_node();
        self.schedule_retry(error, node);
    }

    fn schedule_retry(&mut self, error: SessionError, failed_node: String) {
        self.cancel_timers_where(|p| {
            matches!(
                p,
                TimerPurpose::OutOfServicePoll | TimerPurpose::FinesseAway
            )
        });
        let delay = self.retry_delay();
        self.set_timer(delay, TimerPurpose::Backoff);
        self.link = Link::Waiting;
        let attempt = self.retry.attempt;
        let state = match error {
            SessionError::OutOfService { reason } => ConnectionState::OutOfService {
                node: failed_node,
                reason,
            },
            last_error if self.retry.ever_connected => ConnectionState::Reconnecting {
                node: self.current_node(),
                attempt,
                since: self.retry.lost_since.unwrap_or(self.now),
                last_error,
            },
            _ => ConnectionState::Connecting {
                node: self.current_node(),
                attempt,
            },
        };
        self.set_state(state);
    }

    /// Ends the session for good (bad credentials, unknown user, gave up).
    pub(super) fn fail(&mut self, error: SessionError) {
        tracing::warn!(code = error.code(), "session failed: {error}");
        self.end(&error);
        self.set_state(ConnectionState::Failed { error });
    }

    fn signed_in_elsewhere(&mut self) {
        self.end(&SessionError::SignedInElsewhere);
        self.set_state(ConnectionState::SignedInElsewhere);
    }

    fn end(&mut self, error: &SessionError) {
        self.fail_pending(error);
        self.drop_standby();
        self.cancel_timers_where(|_| true);
        self.drop_xmpp();
        self.probe = None;
        self.link = Link::Ended;
    }

    pub(super) fn on_shutdown(&mut self) {
        if matches!(self.link, Link::Ended) {
            return;
        }
        self.fail_pending(&SessionError::SessionClosed);
        self.drop_standby();
        self.cancel_timers_where(|_| true);
        if self.xmpp == XmppLink::Up {
            let nodes: Vec<String> = self.explicit_nodes.iter().cloned().collect();
            for node in nodes {
                self.emit(Effect::Unsubscribe { node });
            }
        }
        self.drop_xmpp();
        self.explicit_nodes.clear();
        self.probe = None;
        self.link = Link::Ended;
        self.set_state(ConnectionState::Disconnected);
    }

    pub(super) fn drop_xmpp(&mut self) {
        self.forget_xmpp_check();
        if self.xmpp != XmppLink::Down {
            self.xmpp = XmppLink::Down;
            self.emit(Effect::DisconnectXmpp);
        }
    }

    pub(super) fn on_xmpp_disconnected(&mut self, loss: LinkLoss) {
        if self.xmpp == XmppLink::Down {
            return;
        }
        self.xmpp = XmppLink::Down;
        self.forget_xmpp_check();
        if loss == LinkLoss::SignedInElsewhere {
            return self.signed_in_elsewhere();
        }
        let error = loss.to_session_error();
        match self.link {
            Link::Connected | Link::OutOfService { .. } => {
                self.link_lost(error);
                if loss == LinkLoss::PingTimeout {
                    // A silent path rarely answers the retry either: ask the other node
                    // at once rather than after the retry's timeout.
                    self.probe_alternate();
                }
            }
            Link::Idle | Link::Waiting | Link::Ended => {}
            _ => self.attempt_failed(error),
        }
    }

    pub(super) fn is_connected(&self) -> bool {
        matches!(self.link, Link::Connected)
    }

    pub(super) fn is_syncing(&self) -> bool {
        matches!(self.link, Link::Syncing(_))
    }

    /// Buffers an event during the sync; `false` when not syncing.
    pub(super) fn buffer_if_syncing(
        &mut self,
        event: &FinesseEvent,
        request_id: &Option<String>,
    ) -> bool {
        match &mut self.link {
            Link::Syncing(sync) => {
                sync.buffered.push((event.clone(), request_id.clone()));
                true
            }
            _ => false,
        }
    }
}

pub(super) fn status_reason(info: &SystemInfo) -> String {
    match &info.status_reason {
        Some(reason) => format!("{} ({reason})", info.status),
        None => info.status.to_string(),
    }
}
