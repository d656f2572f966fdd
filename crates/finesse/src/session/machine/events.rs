//! Notifications: decoding, applying to the snapshot, publishing, and pub-sub bookkeeping.
use std::collections::BTreeSet;

use finesse_xml::Element;

use super::link::XmppLink;
use super::{OpPurpose, SessionMachine};
use crate::model::{ApiError, Dialog, Team};
use crate::notification::{FinesseEvent, Notification};
use crate::session::command::CommandOutcome;
use crate::session::error::SessionError;
use crate::session::event::SessionEvent;
use crate::session::io::{LinkFailure, LinkFailureKind, RestFailure, RestReply, RestRequest};

/// The pub-sub node carrying a team's agent states.
pub(super) fn team_node(team_id: &str) -> String {
    format!("/finesse/api/Team/{team_id}/Users")
}

impl SessionMachine {
    pub(super) fn on_message(&mut self, message: &Element) {
        if self.xmpp != XmppLink::Up {
            return;
        }
        let notifications = match Notification::all_from_message(message) {
            Ok(notifications) => notifications,
            Err(error) => {
                tracing::warn!(
                    code = error.code(),
                    "ignoring an unreadable notification: {error}"
                );
                return;
            }
        };
        for notification in notifications {
            let event = match notification.classify() {
                Ok(event) => event,
                Err(error) => {
                    tracing::warn!(code = error.code(), node = %notification.node, "ignoring an unreadable notification: {error}");
                    continue;
                }
            };
            let request_id = notification
                .request_id()
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_owned);
            self.on_event(event, request_id);
        }
    }

    fn on_event(&mut self, event: FinesseEvent, request_id: Option<String>) {
        if let FinesseEvent::SystemInfoUpdated(info) = &event {
            let in_service = info.is_in_service();
            let reason = match &info.status_reason {
                Some(reason) => format!("{} ({reason})", info.status),
                None => info.status.to_string(),
            };
            self.apply_event(event, request_id);
            if in_service {
                self.back_in_service();
            } else if self.is_connected() || self.is_syncing() {
                self.enter_out_of_service(reason);
            }
            return;
        }
        if self.buffer_if_syncing(&event, &request_id) {
            return;
        }
        self.apply_if_fresh(event, request_id);
    }

    /// Applies one event to the snapshot, publishes it, resolves the commands it answers and
    /// keeps the agent's choices current.
    pub(super) fn apply_event(&mut self, event: FinesseEvent, request_id: Option<String>) {
        let known_dialogs: BTreeSet<String> = self.snapshot.dialogs.keys().cloned().collect();
        let previous_user = self.snapshot.user.clone();
        let previous_dialogs = self.dialogs_named_in(&event);
        let changed = self.snapshot.apply(&event);
        self.publish_event(&event, &request_id, &previous_dialogs);
        if changed {
            self.snapshot_changed();
        }
        if let FinesseEvent::UserUpdated(user) = &event {
            self.notice_forced_change(previous_user.as_ref(), user);
        }
        if let FinesseEvent::ApiErrors { source, errors } = &event {
            if self.claim_errors(source, errors, request_id.as_deref()) {
                return;
            }
            match request_id {
                Some(request_id) if self.awaiting_request_id() => {
                    self.keep_early_event(request_id, event)
                }
                request_id => self.publish(SessionEvent::FinesseErrors {
                    source: source.clone(),
                    request_id,
                    errors: errors.clone(),
                }),
            }
            return;
        }
        let claimed = self.resolve_by_event(&event, request_id.as_deref(), &known_dialogs);
        self.track_choices(&event, previous_user.as_ref());
        if let Some(request_id) = request_id {
            if !claimed && self.awaiting_request_id() {
                self.keep_early_event(request_id, event);
            }
        }
    }

    /// The dialogs an event names, as held before it is applied (`None`: not held).
    fn dialogs_named_in(&self, event: &FinesseEvent) -> Vec<Option<Dialog>> {
        let named: &[Dialog] = match event {
            FinesseEvent::DialogsAdded(dialogs) | FinesseEvent::DialogsRemoved(dialogs) => dialogs,
            _ => &[],
        };
        named
            .iter()
            .map(|d| self.snapshot.dialogs.get(&d.id).cloned())
            .collect()
    }

    /// Publishes what an event changed. A repeated POST of a dialog already held is an
    /// update (or nothing), and a DELETE of a dialog not held publishes nothing: a
    /// duplicated event must not ring or pop twice.
    fn publish_event(
        &mut self,
        event: &FinesseEvent,
        request_id: &Option<String>,
        previous_dialogs: &[Option<Dialog>],
    ) {
        let request_id = request_id.clone();
        let events: Vec<SessionEvent> = match event {
            FinesseEvent::UserUpdated(user) => vec![SessionEvent::UserChanged {
                user: user.clone(),
                request_id,
            }],
            FinesseEvent::DialogsAdded(dialogs) => dialogs
                .iter()
                .zip(previous_dialogs)
                .filter_map(|(dialog, held)| match held {
                    None => Some(SessionEvent::DialogAdded {
                        dialog: dialog.clone(),
                        request_id: request_id.clone(),
                    }),
                    Some(held) if held != dialog => Some(SessionEvent::DialogUpdated {
                        dialog: dialog.clone(),
                        request_id: request_id.clone(),
                    }),
                    Some(_) => None,
                })
                .collect(),
            FinesseEvent::DialogUpdated(dialog) => vec![SessionEvent::DialogUpdated {
                dialog: dialog.clone(),
                request_id,
            }],
            FinesseEvent::DialogsRemoved(dialogs) => dialogs
                .iter()
                .zip(previous_dialogs)
                .filter(|(_, held)| held.is_some())
                .map(|(dialog, _)| SessionEvent::DialogRemoved {
                    dialog: dialog.clone(),
                    request_id: request_id.clone(),
                    vanished: false,
                })
                .collect(),
            FinesseEvent::TeamMemberUpdated { team_id, member } => {
                vec![SessionEvent::TeamMemberChanged {
                    team_id: team_id.clone(),
                    member: member.clone(),
                }]
            }
            FinesseEvent::TeamUpdated(team) => {
                vec![SessionEvent::TeamChanged { team: team.clone() }]
            }
            FinesseEvent::QueueUpdated(queue) => vec![SessionEvent::QueueChanged {
                queue: queue.clone(),
            }],
            FinesseEvent::SystemInfoUpdated(info) => {
                vec![SessionEvent::SystemInfoChanged { info: info.clone() }]
            }
            FinesseEvent::ApiErrors { .. } | FinesseEvent::Other { .. } => Vec::new(),
        };
        for event in events {
            self.publish(event);
        }
    }

    pub(super) fn store_team(&mut self, team: Team) {
        if self.snapshot.replace_team(team.clone()) {
            self.publish(SessionEvent::TeamChanged { team });
            self.snapshot_changed();
        }
    }

    pub(super) fn on_team_refreshed(
        &mut self,
        team_id: &str,
        result: Result<RestReply, RestFailure>,
    ) {
        match result {
            Ok(RestReply::Team(team)) if self.explicit_nodes.contains(&team_node(team_id)) => {
                self.store_team(team)
            }
            Ok(_) => {}
            Err(failure) => {
                tracing::warn!(
                    team_id,
                    "could not re-read a followed team: {}",
                    failure.message
                )
            }
        }
    }

    pub(super) fn on_subscription_done(
        &mut self,
        node: String,
        subscribed: bool,
        result: Result<(), LinkFailure>,
    ) {
        if !subscribed {
            if let Err(failure) = result {
                tracing::warn!(%node, "unsubscribe failed: {}", failure.message);
            }
            return;
        }
        let loading = self.pending.iter().find_map(|p| match &p.expect {
            super::pending::Expect::TeamLoad { team_id } if team_node(team_id) == node => {
                Some((p.key, team_id.clone()))
            }
            _ => None,
        });
        match (result, loading) {
            (Ok(()), Some((key, team_id))) => {
                self.explicit_nodes.insert(node);
                self.rest(RestRequest::Team { team_id }, OpPurpose::Command(key));
            }
            (Ok(()), None) => {
                // A re-subscription after a reconnect: events were missed meanwhile.
                if let Some(team_id) = self.team_of_node(&node) {
                    if self.is_connected() || self.is_syncing() {
                        self.rest(
                            RestRequest::Team {
                                team_id: team_id.clone(),
                            },
                            OpPurpose::RefreshTeam(team_id),
                        );
                    }
                }
            }
            (Err(failure), Some((key, _))) => {
                let error = subscription_error(&failure);
                self.complete(key, Err(error));
            }
            (Err(failure), None) => {
                tracing::warn!(%node, "re-subscribing failed: {}", failure.message);
            }
        }
    }

    fn team_of_node(&self, node: &str) -> Option<String> {
        if !self.explicit_nodes.contains(node) {
            return None;
        }
        node.strip_prefix("/finesse/api/Team/")
            .and_then(|rest| rest.strip_suffix("/Users"))
            .map(str::to_owned)
    }

    pub(super) fn unload_team(&mut self, team_id: &str) -> CommandOutcome {
        let node = team_node(team_id);
        if self.explicit_nodes.remove(&node) {
            self.emit(crate::session::io::Effect::Unsubscribe { node });
        }
        if self.snapshot.remove_team(team_id) {
            self.snapshot_changed();
        }
        CommandOutcome::Done
    }
}

fn subscription_error(failure: &LinkFailure) -> SessionError {
    match failure.kind {
        LinkFailureKind::Refused => SessionError::Rejected {
            status: None,
            errors: vec![ApiError {
                error_type: Some("Subscription Refused".to_owned()),
                error_message: Some(failure.message.clone()),
                ..ApiError::default()
            }],
        },
        LinkFailureKind::Authentication => SessionError::AuthenticationFailed {
            message: failure.message.clone(),
        },
        LinkFailureKind::SignedInElsewhere => SessionError::SignedInElsewhere,
        LinkFailureKind::Unreachable => SessionError::Unreachable {
            message: failure.message.clone(),
        },
    }
}
