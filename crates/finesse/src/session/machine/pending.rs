//! Commands in flight and how events resolve them.
//!
//! A command resolves when (1) an event carries its `requestId`, (2) an `apiErrors` update
//! carries its `requestId` — or, without any `requestId`, names the resource it acted on —
//! (3) any event makes the requested outcome true (Finesse's `requestId` is best effort), or
//! (4) its timeout expires.
use std::collections::BTreeSet;

use super::{OpPurpose, SessionMachine};
use crate::model::{
    AgentState, ApiError, CallVariable, Dialog, DialogState, ParticipantState, TeamMember, User,
};
use crate::notification::FinesseEvent;
use crate::session::command::{CommandId, CommandOutcome, StateChoice};
use crate::session::error::SessionError;
use crate::session::event::{AppliedChoice, SessionEvent};
use crate::session::io::{LinkCheckReason, RestFailure, RestFailureKind, RestReply, TimerId};

/// One command waiting for its outcome.
#[derive(Debug)]
pub(super) struct Pending {
    pub key: u64,
    pub origin: Origin,
    pub name: &'static str,
    /// The `requestId` sent with the PUT/POST.
    pub request_id: Option<String>,
    pub expect: Expect,
    /// Resource URIs an `apiErrors` update without `requestId` may name for this command.
    pub resources: Vec<String>,
    pub timer: Option<TimerId>,
    /// The dialog whose remembered wrap-up reason this command sends.
    pub wrap_up_choice: Option<String>,
}

/// Who is waiting for the result.
#[derive(Debug, Clone)]
pub(super) enum Origin {
    Caller(CommandId),
    /// The session acting on a remembered choice.
    Choice(AppliedChoice),
}

/// What makes the command's outcome true.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expect {
    /// A GET: the reply is the outcome.
    Reply,
    /// Subscribed to the team node; the team GET's reply is the outcome.
    TeamLoad { team_id: String },
    /// No event can confirm it for this client: the 202 is the outcome.
    Accepted,
    /// The user is signed in (any state but LOGOUT).
    SignedIn,
    /// The user reached (or has pending) this state.
    UserState(StateChoice),
    /// The participant on `extension` in the dialog reached `state`.
    Participant {
        dialog_id: String,
        extension: String,
        state: ParticipantState,
    },
    /// The call ended for the agent: dialog removed, DROPPED, or the agent's participant
    /// dropped (or in wrap-up).
    DialogEnds {
        dialog_id: String,
        extension: String,
    },
    /// A dialog this session did not know appeared (to `to`, or a silent-monitor call).
    NewDialog { to: Option<String>, monitor: bool },
    /// Any change to the dialog (DTMF, conference).
    DialogTouched { dialog_id: String },
    /// The dialog shows the requested call data.
    CallData {
        dialog_id: String,
        wrap_up_reason: Option<String>,
        call_variables: Vec<CallVariable>,
    },
    /// The participant on `media_address` left the dialog.
    ParticipantLeaves {
        dialog_id: String,
        media_address: String,
    },
    /// A team member reached (or has pending) this state.
    MemberState { agent_id: String, state: AgentState },
}

impl Expect {
    /// Resolved by events (and `apiErrors`), not by a REST reply.
    pub fn waits_for_event(&self) -> bool {
        !matches!(
            self,
            Expect::Reply | Expect::TeamLoad { .. } | Expect::Accepted
        )
    }

    /// Whether an event tagged with the command's `requestId` settles it. A command that
    /// creates a dialog waits for the dialog: Finesse may tag the removal of another one
    /// (the monitor call a barge replaces) with the same `requestId`.
    fn settled_by_tagged(&self, event: &FinesseEvent) -> bool {
        match self {
            Expect::NewDialog { .. } => matches!(event, FinesseEvent::DialogsAdded(_)),
            _ => true,
        }
    }

    /// The dialog this expectation needs to keep existing, if any.
    fn needs_dialog(&self) -> Option<&str> {
        match self {
            Expect::Participant { dialog_id, .. } | Expect::CallData { dialog_id, .. } => {
                Some(dialog_id)
            }
            _ => None,
        }
    }

    /// The outcome, if `event` makes it true. `known_dialogs` are the dialog ids held
    /// before the event was applied.
    pub fn satisfied_by(
        &self,
        event: &FinesseEvent,
        known_dialogs: &BTreeSet<String>,
    ) -> Option<CommandOutcome> {
        match (self, event) {
            (Expect::SignedIn, FinesseEvent::UserUpdated(user)) => user
                .state
                .is_signed_in()
                .then(|| CommandOutcome::User(user.clone())),
            (Expect::UserState(choice), FinesseEvent::UserUpdated(user)) => {
                user_matches(user, choice).then(|| CommandOutcome::User(user.clone()))
            }
            (
                Expect::Participant {
                    dialog_id,
                    extension,
                    state,
                },
                _,
            ) => changed_dialogs(event)
                .find(|d| {
                    d.id == *dialog_id
                        && d.participant_for(extension)
                            .is_some_and(|p| p.state == *state)
                })
                .map(|d| CommandOutcome::Dialog(d.clone())),
            (
                Expect::DialogEnds {
                    dialog_id,
                    extension,
                },
                _,
            ) => match event {
                FinesseEvent::DialogsRemoved(removed) => removed
                    .iter()
                    .find(|d| d.id == *dialog_id)
                    .map(|d| CommandOutcome::DialogRemoved(d.clone())),
                FinesseEvent::DialogUpdated(d)
                    if d.id == *dialog_id && call_ended(d, extension) =>
                {
                    Some(CommandOutcome::Dialog(d.clone()))
                }
                _ => None,
            },
            (Expect::NewDialog { to, monitor }, FinesseEvent::DialogsAdded(added)) => added
                .iter()
                .find(|d| {
                    !known_dialogs.contains(&d.id)
                        && (!monitor || d.is_silent_monitor())
                        && to.as_deref().is_none_or(|to| reaches(d, to))
                })
                .map(|d| CommandOutcome::Dialog(d.clone())),
            (Expect::DialogTouched { dialog_id }, FinesseEvent::DialogUpdated(d))
                if d.id == *dialog_id =>
            {
                Some(CommandOutcome::Dialog(d.clone()))
            }
            (Expect::DialogTouched { dialog_id }, FinesseEvent::DialogsRemoved(removed)) => removed
                .iter()
                .find(|d| d.id == *dialog_id)
                .map(|d| CommandOutcome::DialogRemoved(d.clone())),
            (
                Expect::CallData {
                    dialog_id,
                    wrap_up_reason,
                    call_variables,
                },
                FinesseEvent::DialogUpdated(d),
            ) if d.id == *dialog_id => {
                let reason_ok = wrap_up_reason.as_deref().is_none_or(|reason| {
                    d.media_properties.wrap_up_reason.as_deref() == Some(reason)
                });
                let variables_ok = call_variables
                    .iter()
                    .all(|v| d.call_variable(&v.name).unwrap_or_default() == v.value.trim());
                (reason_ok && variables_ok).then(|| CommandOutcome::Dialog(d.clone()))
            }
            (
                Expect::ParticipantLeaves {
                    dialog_id,
                    media_address,
                },
                _,
            ) => match event {
                FinesseEvent::DialogsRemoved(removed) => removed
                    .iter()
                    .find(|d| d.id == *dialog_id)
                    .map(|d| CommandOutcome::DialogRemoved(d.clone())),
                FinesseEvent::DialogUpdated(d) if d.id == *dialog_id => {
                    let gone = d
                        .participants
                        .iter()
                        .filter(|p| p.media_address == *media_address)
                        .all(|p| p.state == ParticipantState::Dropped);
                    gone.then(|| CommandOutcome::Dialog(d.clone()))
                }
                _ => None,
            },
            (
                Expect::MemberState { agent_id, state },
                FinesseEvent::TeamMemberUpdated { member, .. },
            ) => member_matches(member, agent_id, state)
                .then(|| CommandOutcome::TeamMember(member.clone())),
            (Expect::MemberState { agent_id, state }, FinesseEvent::TeamUpdated(team)) => team
                .member(agent_id)
                .filter(|m| member_matches(m, agent_id, state))
                .map(|m| CommandOutcome::TeamMember(m.clone())),
            _ => None,
        }
    }
}

/// The dialogs an event adds or changes.
fn changed_dialogs(event: &FinesseEvent) -> Box<dyn Iterator<Item = &Dialog> + '_> {
    match event {
        FinesseEvent::DialogUpdated(d) => Box::new(std::iter::once(d)),
        FinesseEvent::DialogsAdded(ds) => Box::new(ds.iter()),
        _ => Box::new(std::iter::empty()),
    }
}

fn call_ended(dialog: &Dialog, extension: &str) -> bool {
    dialog.state == DialogState::Dropped
        || match dialog.participant_for(extension) {
            None => true,
            Some(p) => matches!(
                p.state,
                ParticipantState::Dropped | ParticipantState::WrapUp
            ),
        }
}

fn reaches(dialog: &Dialog, to: &str) -> bool {
    let to = to.trim();
    dialog.to_address.as_deref().map(str::trim) == Some(to)
        || dialog
            .participants
            .iter()
            .any(|p| p.media_address.trim() == to)
}

fn user_matches(user: &User, choice: &StateChoice) -> bool {
    let reached = user.state == choice.state
        && (choice.state != AgentState::NotReady
            || choice.reason_code_id.is_none()
            || user.reason_code_id == choice.reason_code_id);
    reached || user.pending_state.as_ref() == Some(&choice.state)
}

fn member_matches(member: &TeamMember, agent_id: &str, state: &AgentState) -> bool {
    member.login_id == agent_id
        && (member.state == *state || member.pending_state.as_ref() == Some(state))
}

/// The outcome of an event tagged with the command's `requestId`.
fn tagged_outcome(event: &FinesseEvent) -> CommandOutcome {
    match event {
        FinesseEvent::UserUpdated(user) => CommandOutcome::User(user.clone()),
        FinesseEvent::DialogUpdated(d) => CommandOutcome::Dialog(d.clone()),
        FinesseEvent::DialogsAdded(ds) => ds
            .first()
            .map(|d| CommandOutcome::Dialog(d.clone()))
            .unwrap_or(CommandOutcome::Done),
        FinesseEvent::DialogsRemoved(ds) => ds
            .first()
            .map(|d| CommandOutcome::DialogRemoved(d.clone()))
            .unwrap_or(CommandOutcome::Done),
        FinesseEvent::TeamMemberUpdated { member, .. } => {
            CommandOutcome::TeamMember(member.clone())
        }
        FinesseEvent::TeamUpdated(team) => CommandOutcome::Team(team.clone()),
        _ => CommandOutcome::Done,
    }
}

impl SessionMachine {
    pub(super) fn add_pending(&mut self, pending: Pending) {
        self.pending.push(pending);
    }

    pub(super) fn new_pending_key(&mut self) -> u64 {
        let key = self.next_pending;
        self.next_pending += 1;
        key
    }

    /// Removes a pending command and hands its result to whoever waits for it.
    pub(super) fn complete(&mut self, key: u64, result: Result<CommandOutcome, SessionError>) {
        let Some(position) = self.pending.iter().position(|p| p.key == key) else {
            return;
        };
        let pending = self.pending.remove(position);
        if let Some(timer) = pending.timer {
            self.cancel_timer(timer);
        }
        self.ops
            .retain(|_, purpose| *purpose != OpPurpose::Command(key));
        if let (Some(dialog_id), Err(SessionError::Rejected { .. })) =
            (&pending.wrap_up_choice, &result)
        {
            // Finesse refused this reason; re-sending it after a reconnect would fail again.
            self.forget_wrap_up_choice(dialog_id);
        }
        match pending.origin {
            Origin::Caller(id) => self.command_done(id, pending.name, result),
            Origin::Choice(what) => self.publish(SessionEvent::ChoiceApplied {
                what,
                error: result.err(),
            }),
        }
        self.flush_early_events();
    }

    /// Fails every command in flight (link lost, out of service, session ended).
    pub(super) fn fail_pending(&mut self, error: &SessionError) {
        let keys: Vec<u64> = self.pending.iter().map(|p| p.key).collect();
        for key in keys {
            self.complete(key, Err(error.clone()));
        }
    }

    pub(super) fn on_command_timeout(&mut self, key: u64) {
        let seconds = self.policy.command_timeout.as_secs();
        if let Some(pending) = self.pending.iter_mut().find(|p| p.key == key) {
            pending.timer = None;
        }
        self.complete(key, Err(SessionError::CommandTimeout { seconds }));
    }

    pub(super) fn on_command_reply(&mut self, key: u64, result: Result<RestReply, RestFailure>) {
        let Some(expect) = self
            .pending
            .iter()
            .find(|p| p.key == key)
            .map(|p| p.expect.clone())
        else {
            return;
        };
        match (expect, result) {
            (Expect::Accepted, Ok(RestReply::Accepted { .. })) => {
                self.complete(key, Ok(CommandOutcome::Accepted))
            }
            (_, Ok(RestReply::Accepted { request_id })) => {
                if let Some(request_id) = request_id.filter(|id| !id.trim().is_empty()) {
                    self.accepted(key, request_id);
                }
            }
            (Expect::TeamLoad { .. }, Ok(RestReply::Team(team))) => {
                let outcome = CommandOutcome::Team(team.clone());
                self.store_team(team);
                self.complete(key, Ok(outcome));
            }
            (Expect::Reply, Ok(reply)) => {
                let outcome = self.reply_outcome(reply);
                self.complete(key, outcome);
            }
            (_, Ok(_)) => self.complete(
                key,
                Err(SessionError::Protocol {
                    message: "unexpected answer to a request".to_owned(),
                }),
            ),
            (_, Err(failure)) => {
                let error = failure.to_session_error();
                self.complete(key, Err(error.clone()));
                match failure.kind {
                    RestFailureKind::Authentication => self.fail(error),
                    RestFailureKind::OutOfService if self.is_connected() => {
                        self.enter_out_of_service(failure.message)
                    }
                    RestFailureKind::Unreachable if self.is_connected() => {
                        self.on_check_link(LinkCheckReason::RequestFailed)
                    }
                    _ => {}
                }
            }
        }
    }

    /// The 202 told the command its `requestId`; its event may have arrived already.
    fn accepted(&mut self, key: u64, request_id: String) {
        let Some(pending) = self.pending.iter_mut().find(|p| p.key == key) else {
            return;
        };
        pending.request_id = Some(request_id.clone());
        let expect = pending.expect.clone();
        if let Some(position) = self.early_events.iter().position(|(id, event)| {
            *id == request_id
                && (matches!(event, FinesseEvent::ApiErrors { .. })
                    || expect.settled_by_tagged(event))
        }) {
            if let Some((_, event)) = self.early_events.remove(position) {
                let result = match &event {
                    FinesseEvent::ApiErrors { errors, .. } => Err(SessionError::Rejected {
                        status: None,
                        errors: errors.clone(),
                    }),
                    other => Ok(expect
                        .satisfied_by(other, &BTreeSet::new())
                        .unwrap_or_else(|| tagged_outcome(other))),
                };
                self.complete(key, result);
            }
        }
        self.flush_early_events();
    }

    /// Whether a command still waits for the 202 that names its `requestId`.
    pub(super) fn awaiting_request_id(&self) -> bool {
        self.pending
            .iter()
            .any(|p| p.request_id.is_none() && p.expect.waits_for_event())
    }

    /// Keeps a tagged event no command claimed, in case its command's 202 is still on the way.
    pub(super) fn keep_early_event(&mut self, request_id: String, event: FinesseEvent) {
        const KEPT: usize = 32;
        if self.early_events.len() == KEPT {
            self.early_events.pop_front();
        }
        self.early_events.push_back((request_id, event));
    }

    /// Once no command waits for its `requestId`, kept events belong to nobody: errors among
    /// them are published as unclaimed.
    pub(super) fn flush_early_events(&mut self) {
        if self.awaiting_request_id() {
            return;
        }
        for (request_id, event) in std::mem::take(&mut self.early_events) {
            if let FinesseEvent::ApiErrors { source, errors } = event {
                self.publish(SessionEvent::FinesseErrors {
                    source,
                    request_id: Some(request_id),
                    errors,
                });
            }
        }
    }

    fn reply_outcome(&mut self, reply: RestReply) -> Result<CommandOutcome, SessionError> {
        Ok(match reply {
            RestReply::ReasonCodes(codes) => CommandOutcome::ReasonCodes(codes),
            RestReply::WrapUpReasons(reasons) => CommandOutcome::WrapUpReasons(reasons),
            RestReply::MediaPropertiesLayout(layout) => CommandOutcome::Layout(layout),
            RestReply::PhoneBooks(books) => CommandOutcome::PhoneBooks(books),
            RestReply::Contacts(contacts) => CommandOutcome::Contacts(contacts),
            RestReply::Queues(queues) => {
                if self.snapshot.replace_queues(queues.clone()) {
                    self.snapshot_changed();
                }
                CommandOutcome::Queues(queues)
            }
            RestReply::Team(team) => CommandOutcome::Team(team),
            RestReply::User(user) => CommandOutcome::User(user),
            RestReply::Dialogs(_) | RestReply::SystemInfo(_) | RestReply::Accepted { .. } => {
                CommandOutcome::Done
            }
        })
    }

    /// Resolves commands an event confirms (by `requestId`, then by outcome), and fails
    /// those whose dialog the event removed.
    pub(super) fn resolve_by_event(
        &mut self,
        event: &FinesseEvent,
        request_id: Option<&str>,
        known_dialogs: &BTreeSet<String>,
    ) -> bool {
        let mut claimed = false;
        if let Some(request_id) = request_id {
            let tagged = self
                .pending
                .iter()
                .find(|p| {
                    p.request_id.as_deref() == Some(request_id)
                        && p.expect.waits_for_event()
                        && p.expect.settled_by_tagged(event)
                })
                .map(|p| {
                    let outcome = p
                        .expect
                        .satisfied_by(event, known_dialogs)
                        .unwrap_or_else(|| tagged_outcome(event));
                    (p.key, outcome)
                });
            if let Some((key, outcome)) = tagged {
                claimed = true;
                self.complete(key, Ok(outcome));
            }
        }
        let satisfied: Vec<(u64, CommandOutcome)> = self
            .pending
            .iter()
            .filter_map(|p| {
                p.expect
                    .satisfied_by(event, known_dialogs)
                    .map(|outcome| (p.key, outcome))
            })
            .collect();
        for (key, outcome) in satisfied {
            self.complete(key, Ok(outcome));
        }
        if let FinesseEvent::DialogsRemoved(removed) = event {
            let orphaned: Vec<(u64, String)> = self
                .pending
                .iter()
                .filter_map(|p| {
                    let dialog_id = p.expect.needs_dialog()?;
                    removed
                        .iter()
                        .any(|d| d.id == dialog_id)
                        .then(|| (p.key, dialog_id.to_owned()))
                })
                .collect();
            for (key, dialog_id) in orphaned {
                self.complete(key, Err(SessionError::DialogNotFound { dialog_id }));
            }
        }
        claimed
    }

    /// Gives an `apiErrors` update to the command it belongs to; `false` if none claims it.
    pub(super) fn claim_errors(
        &mut self,
        source: &str,
        errors: &[ApiError],
        request_id: Option<&str>,
    ) -> bool {
        let key = match request_id {
            Some(request_id) => self
                .pending
                .iter()
                .find(|p| p.request_id.as_deref() == Some(request_id) && p.expect.waits_for_event())
                .map(|p| p.key),
            // Finesse sends some CTI errors (invalid device at sign-in) without requestId:
            // they belong to the oldest command on that resource.
            None => self
                .pending
                .iter()
                .find(|p| {
                    p.expect.waits_for_event()
                        && p.resources
                            .iter()
                            .any(|r| r.eq_ignore_ascii_case(source.trim()))
                })
                .map(|p| p.key),
        };
        match key {
            Some(key) => {
                self.complete(
                    key,
                    Err(SessionError::Rejected {
                        status: None,
                        errors: errors.to_vec(),
                    }),
                );
                true
            }
            None => false,
        }
    }
}
