//! Commands of the pure session machine: local checks, the request sent, and how events,
//! `apiErrors` and timeouts resolve them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod session_support;

use std::time::Duration;

use finesse::model::request::{DialogRequest, UserRequest};
use finesse::model::{Action, AgentState, ApiError, CallVariable, ReasonCategory};
use finesse::session::{
    Command, CommandOutcome, ConnectionState, Effect, Input, RestFailure, RestFailureKind,
    RestReply, RestRequest, SessionEvent,
};
use session_support::*;

fn state(state: AgentState, reason: Option<&str>) -> Command {
    Command::ChangeState {
        state,
        reason_code_id: reason.map(str::to_owned),
    }
}

fn put_user_body(effects: &[Effect]) -> UserRequest {
    match rest_op(effects, |r| matches!(r, RestRequest::PutUser { .. })).request {
        RestRequest::PutUser { body, .. } => body,
        _ => unreachable!(),
    }
}

fn put_dialog(effects: &[Effect]) -> (String, DialogRequest) {
    match rest_op(effects, |r| matches!(r, RestRequest::PutDialog { .. })).request {
        RestRequest::PutDialog {
            dialog_id, body, ..
        } => (dialog_id, body),
        _ => unreachable!(),
    }
}

fn post_dialog(effects: &[Effect]) -> DialogRequest {
    match rest_op(effects, |r| matches!(r, RestRequest::PostDialog { .. })).request {
        RestRequest::PostDialog { body, .. } => body,
        _ => unreachable!(),
    }
}

fn supervisor() -> Rig {
    let mut rig = Rig::new(policy());
    rig.connect("rest_supervisor_not_ready.xml", "rest_dialogs_empty.xml");
    rig
}

fn load_team(rig: &mut Rig) {
    let (id, effects) = rig.command(Command::LoadTeam {
        team_id: "5005".into(),
    });
    assert!(has(
        &effects,
        |e| matches!(e, Effect::Subscribe { node } if node == "/finesse/api/Team/5005/Users")
    ));
    let effects = rig.feed(Input::SubscriptionDone {
        node: "/finesse/api/Team/5005/Users".into(),
        subscribed: true,
        result: Ok(()),
    });
    let op = rest_op(&effects, |r| matches!(r, RestRequest::Team { .. }));
    let effects = rig.reply(op.id, RestReply::Team(team("rest_team_5005.xml")));
    done_ok(&effects, id);
}

// ---- agent state ---------------------------------------------------------------------

#[test]
fn sign_in_puts_login_and_resolves_on_the_event_carrying_its_request_id() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_logged_out.xml", "rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::SignIn {
        extension: EXTENSION.into(),
        mobile_agent: None,
        device: None,
    });
    assert_eq!(
        put_user_body(&effects),
        UserRequest::SignIn {
            extension: EXTENSION.into(),
            mobile_agent: None,
            active_device_id: None
        }
    );
    assert!(done(&effects, id).is_none(), "pending until the event");
    let request_id = rig.accept(&effects);
    assert!(done(&rig.log, id).is_none(), "a 202 is not the outcome");

    let effects = rig.event("event_user_not_ready.xml", Some(&request_id));
    match done_ok(&effects, id) {
        CommandOutcome::User(user) => assert_eq!(user.state, AgentState::NotReady),
        other => panic!("{other:?}"),
    }
    assert!(rig.timers.is_empty(), "the timeout was cancelled");
}

#[test]
fn an_event_that_overtakes_the_202_still_resolves_its_command() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(state(AgentState::NotReady, Some("17")));
    let op = rest_op(&effects, |r| matches!(r, RestRequest::PutUser { .. }));
    // The notification tagged with the request's id arrives first; it does not show reason
    // 17, so only its requestId can tie it to the command.
    let early = rig.event("event_user_not_ready_lunch.xml", Some("abc-123"));
    assert!(done(&early, id).is_none());
    let effects = rig.reply(
        op.id,
        RestReply::Accepted {
            request_id: Some("abc-123".into()),
        },
    );
    assert!(
        matches!(done_ok(&effects, id), CommandOutcome::User(u) if u.state == AgentState::NotReady)
    );
}

#[test]
fn api_errors_that_overtake_the_202_fail_the_command_and_are_not_published_as_unclaimed() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(state(AgentState::Ready, None));
    let op = rest_op(&effects, |r| matches!(r, RestRequest::PutUser { .. }));
    let early = rig.event("event_user_invalid_state.xml", Some("abc-124"));
    assert!(!event_names(&early).contains(&"finesse_errors"));
    let effects = rig.reply(
        op.id,
        RestReply::Accepted {
            request_id: Some("abc-124".into()),
        },
    );
    assert_eq!(done_err(&effects, id).code(), "rejected");
    assert!(!event_names(&rig.log).contains(&"finesse_errors"));
}

#[test]
fn an_invalid_device_at_sign_in_fails_with_the_cti_error_even_without_request_id() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_logged_out.xml", "rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::SignIn {
        extension: "9999".into(),
        mobile_agent: None,
        device: None,
    });
    rig.accept(&effects);
    let effects = rig.event("event_user_invalid_device.xml", None);
    let error = done_err(&effects, id);
    assert_eq!(error.code(), "rejected");
    let api = error.api_error().unwrap();
    assert_eq!(api.error_type.as_deref(), Some("Invalid Device"));
    assert_eq!(
        api.error_message.as_deref(),
        Some("CF_INVALID_LOGON_DEVICE_SPECIFIED")
    );
    assert_eq!(api.error_data.as_deref(), Some("260"));
}

#[test]
fn sign_in_without_an_extension_is_refused_before_sending() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_logged_out.xml", "rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::SignIn {
        extension: "  ".into(),
        mobile_agent: None,
        device: None,
    });
    assert_eq!(done_err(&effects, id).code(), "invalid_request");
    assert!(rest_ops(&effects).is_empty());
}

#[test]
fn going_ready_resolves_on_an_event_without_request_id_that_shows_ready() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(state(AgentState::Ready, None));
    assert_eq!(
        put_user_body(&effects),
        UserRequest::ChangeState {
            state: AgentState::Ready,
            reason_code_id: None
        }
    );
    rig.accept(&effects);
    let effects = rig.event("event_user_ready.xml", None);
    assert!(
        matches!(done_ok(&effects, id), CommandOutcome::User(u) if u.state == AgentState::Ready)
    );
}

#[test]
fn not_ready_with_a_reason_waits_for_that_reason() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    rig.event("event_user_ready.xml", None);
    let (id, effects) = rig.command(state(AgentState::NotReady, Some("16")));
    rig.accept(&effects);
    let effects = rig.event("event_user_not_ready.xml", None);
    assert!(
        done(&effects, id).is_none(),
        "NOT_READY without reason 16 is not it"
    );
    let effects = rig.event("event_user_not_ready_lunch.xml", None);
    assert!(matches!(
        done_ok(&effects, id),
        CommandOutcome::User(u) if u.reason_code_id.as_deref() == Some("16")
    ));
}

#[test]
fn a_state_change_during_a_call_resolves_when_finesse_shows_it_pending() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_talking.xml", "rest_dialogs_active.xml");
    let (id, effects) = rig.command(state(AgentState::Ready, None));
    rig.accept(&effects);
    let effects = rig.event("event_user_talking_pending_ready.xml", None);
    assert!(matches!(
        done_ok(&effects, id),
        CommandOutcome::User(u) if u.pending_state == Some(AgentState::Ready)
    ));
}

#[test]
fn system_states_cannot_be_requested() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    for requested in [AgentState::Talking, AgentState::Work, AgentState::Login] {
        let (id, effects) = rig.command(state(requested, None));
        assert_eq!(done_err(&effects, id).code(), "invalid_request");
        assert!(rest_ops(&effects).is_empty());
    }
}

#[test]
fn logout_sends_logout_with_the_reason_code_id() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::Logout {
        reason_code_id: Some("21".into()),
    });
    assert_eq!(
        put_user_body(&effects),
        UserRequest::ChangeState {
            state: AgentState::Logout,
            reason_code_id: Some("21".into())
        }
    );
    rig.accept(&effects);
    let effects = rig.event("event_user_logout.xml", None);
    assert!(
        matches!(done_ok(&effects, id), CommandOutcome::User(u) if u.state == AgentState::Logout)
    );
}

#[test]
fn api_errors_with_the_request_id_fail_the_command_with_the_cti_error() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(state(AgentState::Ready, None));
    let request_id = rig.accept(&effects);
    let effects = rig.event("event_user_invalid_state.xml", Some(&request_id));
    let error = done_err(&effects, id);
    assert_eq!(error.code(), "rejected");
    assert_eq!(
        error.api_error().unwrap(),
        &ApiError {
            error_type: Some("Invalid State".into()),
            error_message: Some("CF_INVALID_OBJECT_STATE".into()),
            error_data: Some("22".into()),
            ..ApiError::default()
        }
    );
    assert!(!event_names(&effects).contains(&"finesse_errors"));
}

#[test]
fn api_errors_nobody_claims_are_published() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let effects = rig.event("event_dialog_api_error.xml", Some("someone-else-7"));
    let errors = published(&effects)
        .into_iter()
        .find_map(|e| match e {
            SessionEvent::FinesseErrors {
                source,
                request_id,
                errors,
            } => Some((source, request_id, errors)),
            _ => None,
        })
        .expect("published");
    assert_eq!(errors.0, format!("/finesse/api/Dialog/{DIALOG}"));
    assert_eq!(errors.1.as_deref(), Some("someone-else-7"));
    assert_eq!(
        errors.2[0].error_message.as_deref(),
        Some("CF_RESOURCE_OUT_OF_SERVICE")
    );
}

#[test]
fn a_synchronous_refusal_fails_the_command_with_the_http_status() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(state(AgentState::Ready, None));
    let op = rest_op(&effects, |r| matches!(r, RestRequest::PutUser { .. }));
    let effects = rig.reply_err(
        op.id,
        RestFailure {
            kind: RestFailureKind::Rejected,
            status: Some(400),
            errors: vec![ApiError {
                error_type: Some("Invalid Input".into()),
                error_data: Some("state".into()),
                ..ApiError::default()
            }],
            message: "400 Invalid Input".into(),
        },
    );
    match done_err(&effects, id) {
        finesse::session::SessionError::Rejected { status, errors } => {
            assert_eq!(status, Some(400));
            assert_eq!(errors[0].error_type.as_deref(), Some("Invalid Input"));
        }
        other => panic!("{other:?}"),
    }
    assert!(rig.timers.is_empty());
}

#[test]
fn a_command_without_an_answer_times_out_after_the_policy_timeout() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(state(AgentState::Ready, None));
    rig.accept(&effects);
    let effects = rig.advance(Duration::from_millis(9_999));
    assert!(done(&effects, id).is_none());
    let effects = rig.advance(Duration::from_millis(1));
    match done_err(&effects, id) {
        finesse::session::SessionError::CommandTimeout { seconds } => assert_eq!(seconds, 10),
        other => panic!("{other:?}"),
    }
    assert_eq!(rig.machine.pending_commands(), 0);
}

#[test]
fn a_late_202_after_the_event_does_not_resolve_twice() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(state(AgentState::Ready, None));
    let event = rig.event("event_user_ready.xml", None);
    done_ok(&event, id);
    let late = rig.accept(&effects);
    assert!(!late.is_empty());
    let completions = rig
        .log
        .iter()
        .filter(|e| matches!(e, Effect::CommandDone { id: done, .. } if *done == id))
        .count();
    assert_eq!(completions, 1);
}

#[test]
fn a_refused_password_on_a_command_ends_the_session() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(state(AgentState::Ready, None));
    let op = rest_op(&effects, |r| matches!(r, RestRequest::PutUser { .. }));
    let effects = rig.reply_err(op.id, failure(RestFailureKind::Authentication, 401));
    assert_eq!(done_err(&effects, id).code(), "authentication_failed");
    assert!(matches!(
        rig.machine.connection(),
        ConnectionState::Failed { .. }
    ));
    assert!(has(&effects, |e| matches!(e, Effect::DisconnectXmpp)));
    assert!(rig.timers.is_empty());
}

#[test]
fn a_503_on_a_command_means_out_of_service_and_xmpp_is_kept() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(state(AgentState::Ready, None));
    let op = rest_op(&effects, |r| matches!(r, RestRequest::PutUser { .. }));
    let effects = rig.reply_err(op.id, failure(RestFailureKind::OutOfService, 503));
    assert_eq!(done_err(&effects, id).code(), "out_of_service");
    assert!(matches!(
        rig.machine.connection(),
        ConnectionState::OutOfService { .. }
    ));
    assert!(!has(&effects, |e| matches!(e, Effect::DisconnectXmpp)));
}

// ---- dialogs ---------------------------------------------------------------------------

#[test]
fn answer_targets_the_agent_extension_and_resolves_when_the_agent_is_active() {
    let mut rig = Rig::connected_agent("rest_dialogs_alerting.xml");
    let (id, effects) = rig.command(Command::Answer {
        dialog_id: DIALOG.into(),
    });
    assert_eq!(
        put_dialog(&effects),
        (
            DIALOG.to_owned(),
            DialogRequest::Action {
                action: Action::Answer,
                target_media_address: EXTENSION.into()
            }
        )
    );
    rig.accept(&effects);
    let effects = rig.event("event_dialog_active.xml", None);
    assert!(matches!(done_ok(&effects, id), CommandOutcome::Dialog(d) if d.id == DIALOG));
}

#[test]
fn an_action_the_agent_participant_does_not_list_is_refused_locally() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    for command in [
        Command::Answer {
            dialog_id: DIALOG.into(),
        },
        Command::Retrieve {
            dialog_id: DIALOG.into(),
        },
        Command::Transfer {
            dialog_id: DIALOG.into(),
        },
        Command::ParticipantDrop {
            dialog_id: DIALOG.into(),
            media_address: "4085550100".into(),
        },
    ] {
        let (id, effects) = rig.command(command);
        let error = done_err(&effects, id);
        assert_eq!(error.code(), "action_not_allowed", "{error}");
        assert!(rest_ops(&effects).is_empty());
    }
}

#[test]
fn an_unknown_dialog_is_refused_locally() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let (id, effects) = rig.command(Command::Hold {
        dialog_id: "42".into(),
    });
    assert_eq!(done_err(&effects, id).code(), "dialog_not_found");
}

#[test]
fn hold_then_retrieve_follow_the_agent_participant() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let (hold, effects) = rig.command(Command::Hold {
        dialog_id: DIALOG.into(),
    });
    assert!(matches!(
        put_dialog(&effects).1,
        DialogRequest::Action {
            action: Action::Hold,
            ..
        }
    ));
    rig.accept(&effects);
    let effects = rig.event("event_dialog_active.xml", None);
    assert!(done(&effects, hold).is_none(), "still active is not held");
    let effects = rig.event("event_dialog_held.xml", None);
    done_ok(&effects, hold);

    let (retrieve, effects) = rig.command(Command::Retrieve {
        dialog_id: DIALOG.into(),
    });
    rig.accept(&effects);
    let effects = rig.event("event_dialog_active.xml", None);
    done_ok(&effects, retrieve);
}

#[test]
fn drop_resolves_when_the_dialog_is_removed() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let (id, effects) = rig.command(Command::Drop {
        dialog_id: DIALOG.into(),
    });
    rig.accept(&effects);
    let effects = rig.event("event_dialogs_delete.xml", None);
    assert!(matches!(done_ok(&effects, id), CommandOutcome::DialogRemoved(d) if d.id == DIALOG));
    assert!(rig.machine.snapshot().dialogs.is_empty());
}

#[test]
fn a_dialog_that_ends_while_a_hold_is_pending_fails_the_hold() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let (id, effects) = rig.command(Command::Hold {
        dialog_id: DIALOG.into(),
    });
    rig.accept(&effects);
    let effects = rig.event("event_dialogs_delete.xml", None);
    assert_eq!(done_err(&effects, id).code(), "dialog_not_found");
}

#[test]
fn make_call_posts_from_the_extension_and_resolves_on_the_new_dialog() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::MakeCall {
        to: "5551234".into(),
        call_variables: vec![CallVariable::new("callVariable1", "campaign-7")],
    });
    assert_eq!(
        post_dialog(&effects),
        DialogRequest::MakeCall {
            from_address: EXTENSION.into(),
            to_address: "5551234".into(),
            call_variables: vec![CallVariable::new("callVariable1", "campaign-7")],
        }
    );
    rig.accept(&effects);
    let effects = rig.event("event_dialogs_post_outbound.xml", None);
    assert!(matches!(done_ok(&effects, id), CommandOutcome::Dialog(d) if d.id == "16804390"));
}

#[test]
fn make_call_needs_a_signed_in_agent() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_logged_out.xml", "rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::MakeCall {
        to: "5551234".into(),
        call_variables: vec![],
    });
    assert_eq!(done_err(&effects, id).code(), "not_signed_in");
    assert!(rest_ops(&effects).is_empty());
}

#[test]
fn consult_then_transfer_completes_on_the_held_call() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let (consult, effects) = rig.command(Command::ConsultCall {
        dialog_id: DIALOG.into(),
        to: "1001002".into(),
    });
    assert_eq!(
        put_dialog(&effects).1,
        DialogRequest::ConsultCall {
            to_address: "1001002".into(),
            target_media_address: EXTENSION.into()
        }
    );
    rig.accept(&effects);
    rig.event("event_dialog_held_with_consult.xml", None);
    let effects = rig.event("event_dialogs_post_consult.xml", None);
    assert!(matches!(done_ok(&effects, consult), CommandOutcome::Dialog(d) if d.id == "16804378"));

    let (transfer, effects) = rig.command(Command::Transfer {
        dialog_id: DIALOG.into(),
    });
    assert!(matches!(
        put_dialog(&effects).1,
        DialogRequest::Action {
            action: Action::Transfer,
            ..
        }
    ));
    rig.accept(&effects);
    let effects = rig.event("event_dialogs_delete.xml", None);
    done_ok(&effects, transfer);
}

#[test]
fn conference_resolves_on_the_next_change_of_the_call() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    rig.event("event_dialog_held_with_consult.xml", None);
    let (id, effects) = rig.command(Command::Conference {
        dialog_id: DIALOG.into(),
    });
    assert!(matches!(
        put_dialog(&effects).1,
        DialogRequest::Action {
            action: Action::Conference,
            ..
        }
    ));
    let request_id = rig.accept(&effects);
    let effects = rig.event("event_dialog_active.xml", Some(&request_id));
    done_ok(&effects, id);
}

#[test]
fn single_step_transfer_resolves_when_the_call_leaves_the_agent() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let (id, effects) = rig.command(Command::TransferSst {
        dialog_id: DIALOG.into(),
        to: "6001".into(),
    });
    assert_eq!(
        put_dialog(&effects).1,
        DialogRequest::TransferSst {
            to_address: "6001".into(),
            target_media_address: EXTENSION.into()
        }
    );
    rig.accept(&effects);
    let effects = rig.event("event_dialogs_delete.xml", None);
    done_ok(&effects, id);
}

#[test]
fn dtmf_is_checked_locally_and_resolves_on_the_202_as_no_event_follows() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let (bad, effects) = rig.command(Command::SendDtmf {
        dialog_id: DIALOG.into(),
        digits: "12x".into(),
    });
    assert_eq!(done_err(&effects, bad).code(), "invalid_request");

    let (id, effects) = rig.command(Command::SendDtmf {
        dialog_id: DIALOG.into(),
        digits: "123#".into(),
    });
    assert_eq!(
        put_dialog(&effects).1,
        DialogRequest::SendDtmf {
            dtmf: "123#".into(),
            target_media_address: EXTENSION.into()
        }
    );
    assert!(done(&effects, id).is_none());
    rig.accept(&effects);
    assert_eq!(done_ok(&rig.log, id), CommandOutcome::Accepted);
    assert!(rig.timers.is_empty(), "no timeout is waiting");
}

#[test]
fn update_call_data_resolves_when_the_dialog_shows_the_new_values() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let (id, effects) = rig.command(Command::UpdateCallData {
        dialog_id: DIALOG.into(),
        wrap_up_reason: None,
        call_variables: vec![CallVariable::new("callVariable1", "ACCT-9000")],
    });
    rig.accept(&effects);
    let effects = rig.event("event_dialog_active.xml", None);
    assert!(done(&effects, id).is_none(), "old value still shown");
    let effects = rig.event("event_dialog_call_variables.xml", None);
    done_ok(&effects, id);
}

#[test]
fn dialog_api_errors_with_the_request_id_fail_the_action() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let (id, effects) = rig.command(Command::Hold {
        dialog_id: DIALOG.into(),
    });
    let request_id = rig.accept(&effects);
    let effects = rig.event("event_dialog_api_error.xml", Some(&request_id));
    let error = done_err(&effects, id);
    assert_eq!(
        error.api_error().unwrap().error_type.as_deref(),
        Some("Call Operation Failure")
    );
}

#[test]
fn a_wrap_up_reason_is_remembered_until_the_dialog_shows_it() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_work.xml", "rest_dialogs_wrap_up.xml");
    let (id, effects) = rig.command(Command::SetWrapUpReason {
        dialog_id: DIALOG.into(),
        reason: "Sales Call".into(),
    });
    assert_eq!(
        put_dialog(&effects).1,
        DialogRequest::UpdateCallData {
            wrap_up_reason: Some("Sales Call".into()),
            call_variables: vec![]
        }
    );
    assert_eq!(
        rig.machine
            .choices()
            .wrap_up_reasons
            .get(DIALOG)
            .map(String::as_str),
        Some("Sales Call")
    );
    rig.accept(&effects);
    let effects = rig.event("event_dialog_wrap_up_reason.xml", None);
    done_ok(&effects, id);
    assert!(rig.machine.choices().wrap_up_reasons.is_empty());
}

#[test]
fn an_over_long_wrap_up_reason_is_refused_locally() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_work.xml", "rest_dialogs_wrap_up.xml");
    let (id, effects) = rig.command(Command::SetWrapUpReason {
        dialog_id: DIALOG.into(),
        reason: "x".repeat(40),
    });
    assert_eq!(done_err(&effects, id).code(), "invalid_request");
    assert!(rig.machine.choices().wrap_up_reasons.is_empty());
}

// ---- supervisor ------------------------------------------------------------------------

#[test]
fn load_team_subscribes_first_then_reads_the_team() {
    let mut rig = supervisor();
    let (id, effects) = rig.command(Command::LoadTeam {
        team_id: "5005".into(),
    });
    assert!(
        rest_ops(&effects).is_empty(),
        "no GET before the subscription"
    );
    let effects = rig.feed(Input::SubscriptionDone {
        node: "/finesse/api/Team/5005/Users".into(),
        subscribed: true,
        result: Ok(()),
    });
    let op = rest_op(
        &effects,
        |r| matches!(r, RestRequest::Team { team_id } if team_id == "5005"),
    );
    let effects = rig.reply(op.id, RestReply::Team(team("rest_team_5005.xml")));
    assert!(matches!(done_ok(&effects, id), CommandOutcome::Team(t) if t.users.len() == 1));
    assert!(rig
        .machine
        .explicit_nodes()
        .any(|n| n == "/finesse/api/Team/5005/Users"));

    let effects = rig.event("event_team_member_ready.xml", None);
    assert!(event_names(&effects).contains(&"team_member_changed"));
    let member = rig.machine.snapshot().teams["5005"]
        .member("1001002")
        .unwrap()
        .clone();
    assert_eq!(member.state, AgentState::Ready);
}

#[test]
fn a_refused_team_subscription_fails_load_team() {
    let mut rig = supervisor();
    let (id, _) = rig.command(Command::LoadTeam {
        team_id: "77".into(),
    });
    let effects = rig.feed(Input::SubscriptionDone {
        node: "/finesse/api/Team/77/Users".into(),
        subscribed: true,
        result: Err(finesse::session::LinkFailure::new(
            finesse::session::LinkFailureKind::Refused,
            "item-not-found",
        )),
    });
    assert_eq!(done_err(&effects, id).code(), "rejected");
    assert_eq!(rig.machine.explicit_nodes().count(), 0);
}

#[test]
fn supervisor_state_changes_on_a_followed_agent_resolve_on_the_team_event() {
    let mut rig = supervisor();
    load_team(&mut rig);
    let (id, effects) = rig.command(Command::ChangeAgentState {
        agent_id: "1001002".into(),
        state: AgentState::Ready,
        reason_code_id: None,
    });
    match rest_op(&effects, |r| matches!(r, RestRequest::PutUser { .. })).request {
        RestRequest::PutUser { user_id, body, .. } => {
            assert_eq!(user_id, "1001002");
            assert_eq!(
                body,
                UserRequest::ChangeState {
                    state: AgentState::Ready,
                    reason_code_id: None
                }
            );
        }
        _ => unreachable!(),
    }
    rig.accept(&effects);
    let effects = rig.event("event_team_member_ready.xml", None);
    assert!(
        matches!(done_ok(&effects, id), CommandOutcome::TeamMember(m) if m.login_id == "1001002")
    );
}

#[test]
fn supervisor_rules_are_enforced_locally() {
    let mut rig = supervisor();
    let cases = [
        (AgentState::NotReady, Some("16")),
        (AgentState::Talking, None),
        (AgentState::Work, None),
    ];
    for (requested, reason) in cases {
        let (id, effects) = rig.command(Command::ChangeAgentState {
            agent_id: "1001002".into(),
            state: requested.clone(),
            reason_code_id: reason.map(str::to_owned),
        });
        let error = done_err(&effects, id);
        assert_eq!(error.code(), "invalid_request", "{requested}");
        assert!(error.to_string().contains("supervisor"), "{error}");
        assert!(rest_ops(&effects).is_empty());
    }
}

#[test]
fn an_agent_cannot_use_supervisor_commands() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    for command in [
        Command::LoadTeam {
            team_id: "5005".into(),
        },
        Command::ChangeAgentState {
            agent_id: "1001002".into(),
            state: AgentState::Ready,
            reason_code_id: None,
        },
        Command::SilentMonitor {
            agent_extension: "1001002".into(),
        },
    ] {
        let (id, effects) = rig.command(command);
        assert_eq!(done_err(&effects, id).code(), "not_supervisor");
    }
}

#[test]
fn acting_on_an_agent_outside_followed_teams_resolves_on_the_202() {
    let mut rig = supervisor();
    let (id, effects) = rig.command(Command::ChangeAgentState {
        agent_id: "1001009".into(),
        state: AgentState::Logout,
        reason_code_id: None,
    });
    let effects = {
        let request_id = rig.accept(&effects);
        assert!(!request_id.is_empty());
        rig.log.clone()
    };
    assert_eq!(done_ok(&effects, id), CommandOutcome::Accepted);
}

#[test]
fn silent_monitor_then_barge_post_to_the_supervisor_dialogs() {
    let mut rig = supervisor();
    let (monitor, effects) = rig.command(Command::SilentMonitor {
        agent_extension: "1001002".into(),
    });
    assert_eq!(
        post_dialog(&effects),
        DialogRequest::SilentMonitor {
            from_address: EXTENSION.into(),
            to_address: "1001002".into()
        }
    );
    rig.accept(&effects);
    let effects = rig.event("event_dialogs_post_monitor.xml", None);
    assert!(matches!(done_ok(&effects, monitor), CommandOutcome::Dialog(d) if d.id == "16804400"));

    let (barge, effects) = rig.command(Command::BargeCall {
        monitor_dialog_id: "16804400".into(),
        agent_extension: "1001002".into(),
    });
    assert_eq!(
        post_dialog(&effects),
        DialogRequest::BargeCall {
            from_address: EXTENSION.into(),
            to_address: "1001002".into(),
            associated_dialog_uri: "/finesse/api/Dialog/16804400".into(),
        }
    );
    // The monitor call's removal carries the same requestId; the barge waits for its call.
    let request_id = rig.accept(&effects);
    let removal = rig.event("event_dialogs_delete_monitor.xml", Some(&request_id));
    assert!(done(&removal, barge).is_none());
    let effects = rig.event("event_dialogs_post_barged.xml", Some(&request_id));
    assert!(matches!(done_ok(&effects, barge), CommandOutcome::Dialog(d) if d.id == "16804401"));
    rig.event("event_dialogs_post_monitor.xml", None);

    let (end, effects) = rig.command(Command::Drop {
        dialog_id: "16804400".into(),
    });
    assert!(matches!(
        put_dialog(&effects),
        (d, DialogRequest::Action { action: Action::Drop, target_media_address }) if d == "16804400" && target_media_address == EXTENSION
    ));
    assert!(done(&effects, end).is_none());
}

#[test]
fn unload_team_unsubscribes_and_forgets_the_team() {
    let mut rig = supervisor();
    load_team(&mut rig);
    let (id, effects) = rig.command(Command::UnloadTeam {
        team_id: "5005".into(),
    });
    assert_eq!(done_ok(&effects, id), CommandOutcome::Done);
    assert!(has(
        &effects,
        |e| matches!(e, Effect::Unsubscribe { node } if node == "/finesse/api/Team/5005/Users")
    ));
    assert!(rig.machine.snapshot().teams.is_empty());
    assert_eq!(rig.machine.explicit_nodes().count(), 0);
}

// ---- look-ups --------------------------------------------------------------------------

#[test]
fn reason_codes_resolve_on_the_get_reply() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::ReasonCodes {
        category: ReasonCategory::NotReady,
    });
    let op = rest_op(
        &effects,
        |r| matches!(r, RestRequest::ReasonCodes { category: ReasonCategory::NotReady, user_id, team_id } if user_id == AGENT && team_id.as_deref() == Some("5005")),
    );
    let effects = rig.reply(
        op.id,
        RestReply::ReasonCodes(reason_codes("rest_reason_codes_not_ready.xml")),
    );
    match done_ok(&effects, id) {
        CommandOutcome::ReasonCodes(codes) => {
            assert_eq!(codes.len(), 2);
            assert_eq!(codes[0].id, "16");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_lookup_asks_for_its_resource() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    type Wanted = fn(&RestRequest) -> bool;
    let cases: Vec<(Command, Wanted)> = vec![
        (Command::WrapUpReasons, |r| {
            matches!(r, RestRequest::WrapUpReasons { .. })
        }),
        (Command::Layout, |r| {
            matches!(r, RestRequest::MediaPropertiesLayout { .. })
        }),
        (Command::PhoneBooks, |r| {
            matches!(r, RestRequest::PhoneBooks { .. })
        }),
        (
            Command::Contacts {
                phone_book_id: "3".into(),
            },
            |r| matches!(r, RestRequest::Contacts { phone_book_id, .. } if phone_book_id == "3"),
        ),
        (Command::Queues, |r| matches!(r, RestRequest::Queues { .. })),
    ];
    for (command, wanted) in cases {
        let (id, effects) = rig.command(command);
        let op = rest_op(&effects, wanted);
        let effects = rig.reply_err(op.id, failure(RestFailureKind::Rejected, 404));
        assert_eq!(done_err(&effects, id).code(), "rejected");
    }
}

#[test]
fn queues_refresh_the_snapshot() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::Queues);
    let op = rest_op(&effects, |r| matches!(r, RestRequest::Queues { .. }));
    let queues = finesse::model::Queue::list_from_xml(&fixture("rest_queues.xml")).unwrap();
    let effects = rig.reply(op.id, RestReply::Queues(queues));
    assert!(matches!(done_ok(&effects, id), CommandOutcome::Queues(q) if q.len() == 1));
    assert!(rig.machine.snapshot().queues.contains_key("7"));
    assert!(event_names(&effects).contains(&"snapshot_changed"));
}

#[test]
fn queue_statistics_events_update_the_snapshot_and_are_published() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let effects = rig.event("event_queue_updated.xml", None);
    assert!(published(&effects).iter().any(|e| matches!(
        e,
        SessionEvent::QueueChanged { queue } if queue.id == "7" && queue.statistics.calls_in_queue == Some(5)
    )));
    assert!(event_names(&effects).contains(&"snapshot_changed"));
    assert_eq!(
        rig.machine.snapshot().queues["7"].statistics.calls_in_queue,
        Some(5)
    );
}
