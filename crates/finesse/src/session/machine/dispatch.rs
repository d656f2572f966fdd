//! Commands: local checks, then the REST request and what will confirm it.
use super::events::team_node;
use super::pending::{Expect, Origin, Pending};
use super::{OpPurpose, SessionMachine, TimerPurpose};
use crate::model::request::{DialogRequest, UserRequest};
use crate::model::{Action, AgentState, Dialog, ModelError, ParticipantState};
use crate::session::command::{Command, CommandId, CommandOutcome, StateChoice};
use crate::session::error::SessionError;
use crate::session::event::SessionEvent;
use crate::session::io::{Effect, RestRequest};

/// How a command is carried out.
// Short-lived: built and consumed within one command.
#[allow(clippy::large_enum_variant)]
enum Planned {
    /// Nothing to send; the outcome is known now.
    Immediate(CommandOutcome),
    Remote(Plan),
}

/// A request to send and what will confirm it.
struct Plan {
    request: Option<RestRequest>,
    /// Subscribe to this node first; the request follows the subscription.
    subscribe: Option<String>,
    expect: Expect,
    resources: Vec<String>,
    wrap_up_choice: Option<String>,
}

impl Plan {
    fn new(request: RestRequest, expect: Expect) -> Self {
        Plan {
            request: Some(request),
            subscribe: None,
            expect,
            resources: Vec::new(),
            wrap_up_choice: None,
        }
    }

    fn on(mut self, resource: String) -> Self {
        self.resources.push(resource);
        self
    }
}

fn invalid(error: ModelError) -> SessionError {
    match error {
        ModelError::InvalidRequest { reason, .. } => {
            SessionError::InvalidRequest { message: reason }
        }
        other => SessionError::InvalidRequest {
            message: other.to_string(),
        },
    }
}

fn dialog_uri(dialog_id: &str) -> String {
    format!("/finesse/api/Dialog/{dialog_id}")
}

impl SessionMachine {
    pub(super) fn on_command(&mut self, id: CommandId, command: Command) {
        let name = command.name();
        match self.run_command(Origin::Caller(id), command) {
            Ok(Some(outcome)) => self.command_done(id, name, Ok(outcome)),
            Ok(None) => {}
            Err(error) => self.command_done(id, name, Err(error)),
        }
    }

    /// Checks and sends a command; `Ok(Some(..))` when it completed at once, `Ok(None)` when
    /// it is now pending.
    pub(super) fn run_command(
        &mut self,
        origin: Origin,
        command: Command,
    ) -> Result<Option<CommandOutcome>, SessionError> {
        if let Command::SetStateAfterCall { choice } = &command {
            return self.choose_after_call(choice.clone()).map(Some);
        }
        if !self.is_connected() {
            return Err(SessionError::NotConnected {
                state: self.state.name().to_owned(),
            });
        }
        match self.plan(&command)? {
            Planned::Immediate(outcome) => Ok(Some(outcome)),
            Planned::Remote(plan) => {
                if let Command::SetWrapUpReason { dialog_id, reason } = &command {
                    self.remember_wrap_up_reason(dialog_id, reason);
                }
                self.launch(origin, command.name(), plan);
                Ok(None)
            }
        }
    }

    fn launch(&mut self, origin: Origin, name: &'static str, plan: Plan) {
        let key = self.new_pending_key();
        let timer = plan.expect.waits_for_event().then(|| {
            self.set_timer(
                self.policy.command_timeout,
                TimerPurpose::CommandTimeout(key),
            )
        });
        self.add_pending(Pending {
            key,
            origin,
            name,
            request_id: None,
            expect: plan.expect,
            resources: plan.resources,
            timer,
            wrap_up_choice: plan.wrap_up_choice,
        });
        if let Some(node) = plan.subscribe {
            self.emit(Effect::Subscribe { node });
        }
        if let Some(request) = plan.request {
            self.rest(request, OpPurpose::Command(key));
        }
    }

    fn plan(&mut self, command: &Command) -> Result<Planned, SessionError> {
        let user_id = self.user_id.clone().ok_or(SessionError::NotConnected {
            state: self.state.name().to_owned(),
        })?;
        let team_id = self.user().and_then(|u| u.team_id.clone());
        let lookup = |request: RestRequest| Ok(Planned::Remote(Plan::new(request, Expect::Reply)));
        match command {
            Command::SignIn {
                extension,
                mobile_agent,
                device,
            } => {
                let body = UserRequest::SignIn {
                    extension: extension.trim().to_owned(),
                    mobile_agent: mobile_agent.clone(),
                    active_device_id: device.clone(),
                };
                self.put_user(user_id, body, Expect::SignedIn)
            }
            Command::ChangeState {
                state,
                reason_code_id,
            } => self.plan_state(user_id, state, reason_code_id),
            Command::Logout { reason_code_id } => {
                self.plan_state(user_id, &AgentState::Logout, reason_code_id)
            }
            Command::Answer { dialog_id } => {
                self.participant_action(dialog_id, Action::Answer, ParticipantState::Active)
            }
            Command::Hold { dialog_id } => {
                self.participant_action(dialog_id, Action::Hold, ParticipantState::Held)
            }
            Command::Retrieve { dialog_id } => {
                self.participant_action(dialog_id, Action::Retrieve, ParticipantState::Active)
            }
            Command::Drop { dialog_id } => self.ending_action(dialog_id, Action::Drop),
            Command::Transfer { dialog_id } => self.ending_action(dialog_id, Action::Transfer),
            Command::Conference { dialog_id } => {
                let (_, extension) = self.dialog_allowing(dialog_id, &Action::Conference)?;
                let body = DialogRequest::Action {
                    action: Action::Conference,
                    target_media_address: extension,
                };
                let expect = Expect::DialogTouched {
                    dialog_id: dialog_id.clone(),
                };
                self.put_dialog(dialog_id, body, expect)
            }
            Command::ConsultCall { dialog_id, to } => {
                let (_, extension) = self.dialog_allowing(dialog_id, &Action::ConsultCall)?;
                let body = DialogRequest::ConsultCall {
                    to_address: to.trim().to_owned(),
                    target_media_address: extension,
                };
                let expect = Expect::NewDialog {
                    to: Some(to.trim().to_owned()),
                    monitor: false,
                };
                self.put_dialog(dialog_id, body, expect)
            }
            Command::TransferSst { dialog_id, to } => {
                let (_, extension) = self.dialog_allowing(dialog_id, &Action::TransferSst)?;
                let body = DialogRequest::TransferSst {
                    to_address: to.trim().to_owned(),
                    target_media_address: extension.clone(),
                };
                let expect = Expect::DialogEnds {
                    dialog_id: dialog_id.clone(),
                    extension,
                };
                self.put_dialog(dialog_id, body, expect)
            }
            Command::SendDtmf { dialog_id, digits } => {
                let (_, extension) = self.dialog_allowing(dialog_id, &Action::SendDtmf)?;
                let body = DialogRequest::SendDtmf {
                    dtmf: digits.trim().to_owned(),
                    target_media_address: extension,
                };
                // DTMF changes nothing Finesse reports: no event follows, the 202 is all.
                let expect = Expect::Accepted;
                self.put_dialog(dialog_id, body, expect)
            }
            Command::ParticipantDrop {
                dialog_id,
                media_address,
            } => {
                self.dialog_allowing(dialog_id, &Action::ParticipantDrop)?;
                let body = DialogRequest::ParticipantDrop {
                    target_media_address: media_address.trim().to_owned(),
                };
                let expect = Expect::ParticipantLeaves {
                    dialog_id: dialog_id.clone(),
                    media_address: media_address.trim().to_owned(),
                };
                self.put_dialog(dialog_id, body, expect)
            }
            Command::UpdateCallData {
                dialog_id,
                wrap_up_reason,
                call_variables,
            } => self.call_data(dialog_id, wrap_up_reason.clone(), call_variables.clone()),
            Command::SetWrapUpReason { dialog_id, reason } => {
                let planned =
                    self.call_data(dialog_id, Some(reason.trim().to_owned()), Vec::new())?;
                Ok(match planned {
                    Planned::Remote(mut plan) => {
                        plan.wrap_up_choice = Some(dialog_id.clone());
                        Planned::Remote(plan)
                    }
                    immediate => immediate,
                })
            }
            Command::MakeCall { to, call_variables } => {
                let extension = self.extension()?;
                let body = DialogRequest::MakeCall {
                    from_address: extension,
                    to_address: to.trim().to_owned(),
                    call_variables: call_variables.clone(),
                };
                let expect = Expect::NewDialog {
                    to: Some(to.trim().to_owned()),
                    monitor: false,
                };
                self.post_dialog(user_id, body, expect)
            }
            Command::SilentMonitor { agent_extension } => {
                self.require_supervisor()?;
                let extension = self.extension()?;
                let body = DialogRequest::SilentMonitor {
                    from_address: extension,
                    to_address: agent_extension.trim().to_owned(),
                };
                let expect = Expect::NewDialog {
                    to: None,
                    monitor: true,
                };
                self.post_dialog(user_id, body, expect)
            }
            Command::BargeCall {
                monitor_dialog_id,
                agent_extension,
            } => {
                self.require_supervisor()?;
                let (dialog, extension) =
                    self.dialog_allowing(monitor_dialog_id, &Action::BargeCall)?;
                let body = DialogRequest::BargeCall {
                    from_address: extension,
                    to_address: agent_extension.trim().to_owned(),
                    associated_dialog_uri: dialog.uri,
                };
                let expect = Expect::NewDialog {
                    to: None,
                    monitor: false,
                };
                self.post_dialog(user_id, body, expect)
            }
            Command::LoadTeam { team_id } => {
                self.require_supervisor()?;
                let team_id = team_id.trim().to_owned();
                if team_id.is_empty() {
                    return Err(SessionError::InvalidRequest {
                        message: "the team id is empty".to_owned(),
                    });
                }
                let node = team_node(&team_id);
                let already = self.explicit_nodes.contains(&node);
                let request = RestRequest::Team {
                    team_id: team_id.clone(),
                };
                Ok(Planned::Remote(Plan {
                    request: already.then_some(request),
                    subscribe: (!already).then_some(node),
                    expect: Expect::TeamLoad { team_id },
                    resources: Vec::new(),
                    wrap_up_choice: None,
                }))
            }
            Command::UnloadTeam { team_id } => {
                self.require_supervisor()?;
                Ok(Planned::Immediate(self.unload_team(team_id.trim())))
            }
            Command::ChangeAgentState {
                agent_id,
                state,
                reason_code_id,
            } => self.plan_agent_state(agent_id, state, reason_code_id),
            Command::ReasonCodes { category } => lookup(RestRequest::ReasonCodes {
                user_id,
                team_id,
                category: category.clone(),
            }),
            Command::WrapUpReasons => lookup(RestRequest::WrapUpReasons { user_id, team_id }),
            Command::Layout => lookup(RestRequest::MediaPropertiesLayout { user_id, team_id }),
            Command::PhoneBooks => lookup(RestRequest::PhoneBooks { user_id, team_id }),
            Command::Contacts { phone_book_id } => lookup(RestRequest::Contacts {
                phone_book_id: phone_book_id.trim().to_owned(),
            }),
            Command::Queues => lookup(RestRequest::Queues { user_id }),
            Command::SetStateAfterCall { choice } => self
                .choose_after_call(choice.clone())
                .map(Planned::Immediate),
        }
    }

    fn plan_state(
        &mut self,
        user_id: String,
        state: &AgentState,
        reason_code_id: &Option<String>,
    ) -> Result<Planned, SessionError> {
        let reason_code_id = reason_code_id.as_ref().map(|r| r.trim().to_owned());
        let body = UserRequest::ChangeState {
            state: state.clone(),
            reason_code_id: reason_code_id.clone(),
        };
        let expect = Expect::UserState(StateChoice {
            state: state.clone(),
            reason_code_id,
        });
        self.put_user(user_id, body, expect)
    }

    fn plan_agent_state(
        &mut self,
        agent_id: &str,
        state: &AgentState,
        reason_code_id: &Option<String>,
    ) -> Result<Planned, SessionError> {
        self.require_supervisor()?;
        let agent_id = agent_id.trim().to_owned();
        if agent_id.is_empty() {
            return Err(SessionError::InvalidRequest {
                message: "the agent id is empty".to_owned(),
            });
        }
        match state {
            AgentState::Ready | AgentState::Logout => {}
            AgentState::NotReady if reason_code_id.is_some() => {
                return Err(SessionError::InvalidRequest {
                    message: "a supervisor cannot give a reason code when setting an agent NOT_READY; Finesse applies its own supervisor code".to_owned(),
                })
            }
            AgentState::NotReady => {}
            other => {
                return Err(SessionError::InvalidRequest {
                    message: format!(
                        "a supervisor may set an agent only READY, NOT_READY or LOGOUT, not {other}"
                    ),
                })
            }
        }
        let followed = self
            .snapshot
            .teams
            .values()
            .any(|team| team.member(&agent_id).is_some());
        let expect = if followed {
            Expect::MemberState {
                agent_id: agent_id.clone(),
                state: state.clone(),
            }
        } else {
            // Without the team node no event about this agent reaches us.
            Expect::Accepted
        };
        let body = UserRequest::ChangeState {
            state: state.clone(),
            reason_code_id: reason_code_id.as_ref().map(|r| r.trim().to_owned()),
        };
        self.put_user(agent_id, body, expect)
    }

    fn put_user(
        &mut self,
        user_id: String,
        body: UserRequest,
        expect: Expect,
    ) -> Result<Planned, SessionError> {
        body.validate().map_err(invalid)?;
        let resource = format!("/finesse/api/User/{user_id}");
        let request = RestRequest::PutUser { user_id, body };
        Ok(Planned::Remote(Plan::new(request, expect).on(resource)))
    }

    fn put_dialog(
        &mut self,
        dialog_id: &str,
        body: DialogRequest,
        expect: Expect,
    ) -> Result<Planned, SessionError> {
        body.validate().map_err(invalid)?;
        let request = RestRequest::PutDialog {
            dialog_id: dialog_id.to_owned(),
            body,
        };
        Ok(Planned::Remote(
            Plan::new(request, expect).on(dialog_uri(dialog_id)),
        ))
    }

    fn post_dialog(
        &mut self,
        user_id: String,
        body: DialogRequest,
        expect: Expect,
    ) -> Result<Planned, SessionError> {
        body.validate().map_err(invalid)?;
        let resource = format!("/finesse/api/User/{user_id}/Dialogs");
        let request = RestRequest::PostDialog { user_id, body };
        Ok(Planned::Remote(Plan::new(request, expect).on(resource)))
    }

    fn participant_action(
        &mut self,
        dialog_id: &str,
        action: Action,
        reaches: ParticipantState,
    ) -> Result<Planned, SessionError> {
        let (_, extension) = self.dialog_allowing(dialog_id, &action)?;
        let body = DialogRequest::Action {
            action,
            target_media_address: extension.clone(),
        };
        let expect = Expect::Participant {
            dialog_id: dialog_id.to_owned(),
            extension,
            state: reaches,
        };
        self.put_dialog(dialog_id, body, expect)
    }

    fn ending_action(&mut self, dialog_id: &str, action: Action) -> Result<Planned, SessionError> {
        let (_, extension) = self.dialog_allowing(dialog_id, &action)?;
        let body = DialogRequest::Action {
            action,
            target_media_address: extension.clone(),
        };
        let expect = Expect::DialogEnds {
            dialog_id: dialog_id.to_owned(),
            extension,
        };
        self.put_dialog(dialog_id, body, expect)
    }

    fn call_data(
        &mut self,
        dialog_id: &str,
        wrap_up_reason: Option<String>,
        call_variables: Vec<crate::model::CallVariable>,
    ) -> Result<Planned, SessionError> {
        self.dialog_allowing(dialog_id, &Action::UpdateCallData)?;
        let body = DialogRequest::UpdateCallData {
            wrap_up_reason: wrap_up_reason.clone(),
            call_variables: call_variables.clone(),
        };
        let expect = Expect::CallData {
            dialog_id: dialog_id.to_owned(),
            wrap_up_reason,
            call_variables,
        };
        self.put_dialog(dialog_id, body, expect)
    }

    /// The dialog and the agent's extension, if the agent's participant lists `action`.
    fn dialog_allowing(
        &self,
        dialog_id: &str,
        action: &Action,
    ) -> Result<(Dialog, String), SessionError> {
        let extension = self.extension()?;
        let dialog = self
            .dialog(dialog_id.trim())
            .ok_or_else(|| SessionError::DialogNotFound {
                dialog_id: dialog_id.trim().to_owned(),
            })?;
        if !dialog.allows(&extension, action) {
            return Err(SessionError::ActionNotAllowed {
                action: action.to_string(),
                dialog_id: dialog.id.clone(),
            });
        }
        Ok((dialog.clone(), extension))
    }

    /// The extension the agent is signed in on.
    fn extension(&self) -> Result<String, SessionError> {
        let user = self.user().ok_or(SessionError::NotSignedIn)?;
        match &user.extension {
            Some(extension) if user.state.is_signed_in() && !extension.trim().is_empty() => {
                Ok(extension.trim().to_owned())
            }
            _ => Err(SessionError::NotSignedIn),
        }
    }

    fn require_supervisor(&self) -> Result<(), SessionError> {
        if self.user().is_some_and(|u| u.is_supervisor()) {
            Ok(())
        } else {
            Err(SessionError::NotSupervisor)
        }
    }

    /// Sends a command on the session's own behalf (a remembered choice); its result is
    /// published as [`SessionEvent::ChoiceApplied`].
    pub(super) fn run_for_choice(
        &mut self,
        what: crate::session::event::AppliedChoice,
        command: Command,
    ) {
        match self.run_command(Origin::Choice(what.clone()), command) {
            Ok(None) => {}
            Ok(Some(_)) => self.publish(SessionEvent::ChoiceApplied { what, error: None }),
            Err(error) => self.publish(SessionEvent::ChoiceApplied {
                what,
                error: Some(error),
            }),
        }
    }

    /// Whether a pending command already sends the remembered wrap-up reason of a dialog.
    pub(super) fn wrap_up_in_flight(&self, dialog_id: &str) -> bool {
        self.pending
            .iter()
            .any(|p| p.wrap_up_choice.as_deref() == Some(dialog_id))
    }
}
