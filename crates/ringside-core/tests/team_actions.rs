//! What a supervisor may do to an agent (Finesse's supervisor rules), the command each action
//! sends, and how its pending mark ends: by the confirming event, or with an error.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod team_support;

use finesse::model::{AgentState, ApiError};
use finesse::session::{Command, SessionError};
use ringside_core::desk::AgentStateKind;
use ringside_core::team::{
    allowed_actions, SupervisorContext, TeamAction, TeamActionRequest, TeamBoard,
};
use team_support::*;

use TeamAction::*;

fn ucce_supervisor() -> SupervisorContext {
    SupervisorContext::from_snapshot(&snapshot("supervisor", &[], "system_info_ucce"), true, None)
}

fn agent_in(state: &str) -> finesse::model::TeamMember {
    let mut agent = member("1001001");
    agent.state = AgentState::from_wire(state);
    agent
}

fn request(agent_id: &str, action: TeamAction) -> TeamActionRequest {
    TeamActionRequest {
        agent_id: agent_id.to_owned(),
        action,
    }
}

#[test]
fn actions_offered_per_agent_state_follow_finesse_supervisor_rules() {
    let supervisor = ucce_supervisor();
    let table: [(&str, &[TeamAction]); 12] = [
        ("READY", &[MakeNotReady, SignOut]),
        ("NOT_READY", &[MakeReady, SignOut]),
        ("RESERVED", &[SignOut]),
        ("RESERVED_OUTBOUND", &[SignOut]),
        ("RESERVED_OUTBOUND_PREVIEW", &[SignOut]),
        ("TALKING", &[SignOut, SilentMonitor]),
        ("HOLD", &[SignOut]),
        ("WORK", &[MakeReady, MakeNotReady, SignOut]),
        ("WORK_READY", &[MakeReady, MakeNotReady, SignOut]),
        ("LOGOUT", &[]),
        ("UNKNOWN", &[]),
        ("LOGIN", &[]),
    ];
    for (state, expected) in table {
        assert_eq!(
            allowed_actions(&agent_in(state), &supervisor),
            expected,
            "agent {state}"
        );
    }
}

#[test]
fn not_ready_is_never_offered_during_a_call_and_is_refused_if_asked() {
    let mut board = board();
    for (id, state) in [
        ("1001002", "talking"),
        ("1001004", "hold"),
        ("1001010", "reserved"),
    ] {
        assert!(
            !board.allowed_actions_for(id).contains(&MakeNotReady),
            "{state}"
        );
    }
    let error = board
        .begin_action(&request("1001002", MakeNotReady), now())
        .unwrap_err();
    assert_eq!(error.code(), "team_action_not_allowed");
    assert_eq!(board.row("1001002").unwrap().busy, None);
}

#[test]
fn a_supervisor_not_ready_is_sent_without_a_reason_code() {
    let mut board = board();
    let command = board
        .begin_action(&request("1001001", MakeNotReady), now())
        .unwrap();
    assert_eq!(
        command,
        Command::ChangeAgentState {
            agent_id: "1001001".to_owned(),
            state: AgentState::NotReady,
            reason_code_id: None,
        }
    );
}

#[test]
fn ready_and_sign_out_send_the_agent_state_change() {
    let mut board = board();
    let ready = board
        .begin_action(&request("1001003", MakeReady), now())
        .unwrap();
    assert!(matches!(
        ready,
        Command::ChangeAgentState { ref agent_id, state: AgentState::Ready, reason_code_id: None }
            if agent_id == "1001003"
    ));
    let sign_out = board
        .begin_action(&request("1001002", SignOut), now())
        .unwrap();
    assert!(matches!(
        sign_out,
        Command::ChangeAgentState {
            state: AgentState::Logout,
            reason_code_id: None,
            ..
        }
    ));
}

#[test]
fn the_supervisor_own_row_offers_nothing() {
    let board = board();
    assert_eq!(board.row(SUPERVISOR).unwrap().actions, []);
}

#[test]
fn nothing_is_offered_while_disconnected() {
    let mut board = board();
    board.sync_supervisor(&snapshot("supervisor", &[], "system_info_ucce"), false);
    assert_eq!(board.row("1001001").unwrap().actions, []);
    let diff = board.flush(now()).unwrap();
    assert_eq!(
        diff.rows.len(),
        11,
        "every row but the supervisor's lost its actions"
    );
}

#[test]
fn silent_monitor_needs_the_supervisor_not_ready() {
    let mut board = board();
    assert!(board
        .allowed_actions_for("1001002")
        .contains(&SilentMonitor));
    board.sync_supervisor(&snapshot("supervisor_ready", &[], "system_info_ucce"), true);
    assert!(!board
        .allowed_actions_for("1001002")
        .contains(&SilentMonitor));
    assert!(
        !board
            .allowed_actions_for("1001004")
            .contains(&SilentMonitor),
        "hold"
    );
}

#[test]
fn uccx_agents_on_a_non_acd_call_can_be_monitored_from_not_ready() {
    let mut busy = agent_in("NOT_READY");
    busy.media_state = Some("BUSY".to_owned());
    let uccx = SupervisorContext::from_snapshot(
        &snapshot("supervisor", &[], "system_info_uccx"),
        true,
        None,
    );
    assert!(allowed_actions(&busy, &uccx).contains(&SilentMonitor));
    assert!(!allowed_actions(&busy, &ucce_supervisor()).contains(&SilentMonitor));
    assert!(!allowed_actions(&agent_in("NOT_READY"), &uccx).contains(&SilentMonitor));
}

#[test]
fn an_action_is_pending_until_the_team_event_confirms_it() {
    let mut board = board();
    board
        .begin_action(&request("1001001", MakeNotReady), now())
        .unwrap();
    let diff = board.flush(now()).unwrap();
    assert_eq!(row_in(&diff, "1001001").busy, Some(MakeNotReady));

    let again = board
        .begin_action(&request("1001001", SignOut), now())
        .unwrap_err();
    assert_eq!(again.code(), "team_action_pending");

    board.apply_event(event("update_chris_not_ready_by_supervisor"), now() + 400);
    let diff = board.take_diff(now() + 500).unwrap();
    let chris = row_in(&diff, "1001001");
    assert_eq!(chris.busy, None);
    assert_eq!(chris.state, AgentStateKind::NotReady);
    assert_eq!(
        chris.reason.as_deref(),
        Some("Supervisor"),
        "Finesse's code 999"
    );
    assert_eq!(chris.error, None);
}

#[test]
fn signing_out_a_talking_agent_is_confirmed_by_the_pending_logout() {
    let mut board = board();
    board
        .begin_action(&request("1001002", SignOut), now())
        .unwrap();
    board.apply_event(event("update_ana_pending_logout"), now());
    let ana = board.row("1001002").unwrap();
    assert_eq!(ana.busy, None);
    assert_eq!(ana.state, AgentStateKind::Talking);
    assert_eq!(ana.pending_state, Some(AgentStateKind::LoggedOut));
}

#[test]
fn an_unrelated_event_does_not_end_the_pending_mark() {
    let mut board = board();
    board
        .begin_action(&request("1001001", MakeNotReady), now())
        .unwrap();
    board.apply_event(event("update_chris_talking"), now());
    assert_eq!(board.row("1001001").unwrap().busy, Some(MakeNotReady));
}

#[test]
fn finesse_api_errors_end_the_pending_mark_with_a_message() {
    let mut board = board();
    board
        .begin_action(&request("1001001", MakeNotReady), now())
        .unwrap();
    assert!(board.apply_event(event("api_errors_invalid_state_chris"), now()));
    let diff = board.flush(now()).unwrap();
    let chris = row_in(&diff, "1001001");
    assert_eq!(chris.busy, None);
    let error = chris.error.clone().unwrap();
    assert_eq!(error.code, "team_invalid_state");
    assert!(
        error.message.contains("CF_INVALID_OBJECT_STATE"),
        "{}",
        error.message
    );

    assert!(board.dismiss_error("1001001"));
    assert_eq!(board.row("1001001").unwrap().error, None);
}

#[test]
fn api_errors_about_an_agent_with_nothing_pending_are_ignored() {
    let mut board = board();
    assert!(!board.apply_event(event("api_errors_invalid_state_chris"), now()));
    assert_eq!(board.row("1001001").unwrap().error, None);
}

#[test]
fn a_new_action_clears_the_previous_error() {
    let mut board = board();
    board
        .begin_action(&request("1001001", MakeNotReady), now())
        .unwrap();
    board.apply_event(event("api_errors_invalid_state_chris"), now());
    board
        .begin_action(&request("1001001", SignOut), now())
        .unwrap();
    let chris = board.row("1001001").unwrap();
    assert_eq!((chris.busy, chris.error), (Some(SignOut), None));
}

#[test]
fn a_refused_command_is_worded_by_its_code() {
    let mut board = board();
    board
        .begin_action(&request("1001001", MakeNotReady), now())
        .unwrap();
    let refused = SessionError::Rejected {
        status: Some(401),
        errors: vec![ApiError {
            error_type: Some("Invalid Supervisor".to_owned()),
            error_message: Some("The supervisor does not supervise this agent".to_owned()),
            ..ApiError::default()
        }],
    };
    assert!(board.action_failed("1001001", MakeNotReady, &refused));
    let chris = board.row("1001001").unwrap();
    assert_eq!(chris.busy, None);
    assert_eq!(chris.error.unwrap().code, "team_not_your_agent");

    board
        .begin_action(&request("1001003", MakeReady), now())
        .unwrap();
    let offline = SessionError::NotConnected {
        state: "reconnecting".to_owned(),
    };
    board.action_failed("1001003", MakeReady, &offline);
    assert_eq!(
        board.row("1001003").unwrap().error.unwrap().code,
        "not_connected"
    );
}

#[test]
fn a_command_the_session_completed_ends_the_pending_mark() {
    let mut board = board();
    board
        .begin_action(&request("1001003", MakeReady), now())
        .unwrap();
    assert!(board.action_succeeded("1001003", MakeReady));
    let sam = board.row("1001003").unwrap();
    assert_eq!((sam.busy, sam.error), (None, None));
}

#[test]
fn an_action_without_any_answer_turns_into_an_error_after_the_timeout() {
    let mut board = board();
    board
        .begin_action(&request("1001003", MakeReady), now())
        .unwrap();
    board.flush(now());
    assert_eq!(board.take_diff(now() + 19_999).map(|d| d.rows.len()), None);
    let diff = board.take_diff(now() + 20_000).unwrap();
    let sam = row_in(&diff, "1001003");
    assert_eq!(sam.busy, None);
    assert_eq!(sam.error.clone().unwrap().code, "team_no_answer");
}

#[test]
fn acting_on_an_agent_not_in_the_team_is_refused() {
    let mut board = board();
    let error = board
        .begin_action(&request("4711", MakeReady), now())
        .unwrap_err();
    assert_eq!(error.code(), "team_unknown_agent");
    let mut empty = TeamBoard::default();
    let error = empty
        .begin_action(&request("1001001", MakeReady), now())
        .unwrap_err();
    assert_eq!(error.code(), "team_no_team_chosen");
}

// ----- monitor, barge, drop participant, end -----------------------------------------------

/// The board after the supervisor started monitoring Ana and Finesse showed the call.
fn monitoring_ana() -> TeamBoard {
    let mut board = board();
    let command = board
        .begin_action(&request("1001002", SilentMonitor), now())
        .unwrap();
    assert_eq!(
        command,
        Command::SilentMonitor {
            agent_extension: "1001002".to_owned()
        }
    );
    board.sync_supervisor(
        &snapshot(
            "supervisor_talking",
            &["monitor_dialog"],
            "system_info_ucce",
        ),
        true,
    );
    board
}

#[test]
fn the_monitor_call_confirms_silent_monitor_and_offers_barge_and_end() {
    let mut board = monitoring_ana();
    let diff = board.flush(now()).unwrap();
    let ana = row_in(&diff, "1001002");
    assert_eq!(ana.busy, None);
    assert!(ana.monitored);
    assert_eq!(ana.actions, [SignOut, BargeIn, EndMonitoring]);
    let call = ana.call.clone().unwrap();
    assert_eq!(
        call.caller.as_deref(),
        Some("4085550123"),
        "from the monitor dialog"
    );
    assert_eq!(call.started, Some(at("2024-03-05T09:00:40Z")));
    // The supervisor is now Talking: nobody else can be monitored.
    assert!(!board
        .allowed_actions_for("1001012")
        .contains(&SilentMonitor));
    assert!(!board.allowed_actions_for("1001012").contains(&BargeIn));
}

#[test]
fn barge_in_is_sent_on_the_monitor_dialog_and_confirmed_by_the_conference() {
    let mut board = monitoring_ana();
    let command = board
        .begin_action(&request("1001002", BargeIn), now())
        .unwrap();
    assert_eq!(
        command,
        Command::BargeCall {
            monitor_dialog_id: "16900".to_owned(),
            agent_extension: "1001002".to_owned(),
        }
    );
    // The monitor call goes first; the conference follows in the next event.
    board.sync_supervisor(
        &snapshot("supervisor_talking", &[], "system_info_ucce"),
        true,
    );
    assert_eq!(board.row("1001002").unwrap().busy, Some(BargeIn));
    board.sync_supervisor(
        &snapshot("supervisor_talking", &["barged_dialog"], "system_info_ucce"),
        true,
    );
    let ana = board.row("1001002").unwrap();
    assert_eq!(ana.busy, None);
    assert!(ana.monitored);
    assert_eq!(ana.actions, [SignOut, DropParticipant, EndMonitoring]);
}

#[test]
fn drop_participant_removes_the_agent_from_the_barged_conference() {
    let mut board = monitoring_ana();
    board
        .begin_action(&request("1001002", BargeIn), now())
        .unwrap();
    board.sync_supervisor(
        &snapshot("supervisor_talking", &["barged_dialog"], "system_info_ucce"),
        true,
    );
    let command = board
        .begin_action(&request("1001002", DropParticipant), now())
        .unwrap();
    assert_eq!(
        command,
        Command::ParticipantDrop {
            dialog_id: "16804401".to_owned(),
            media_address: "1001002".to_owned(),
        }
    );
}

#[test]
fn drop_participant_is_not_offered_on_uccx() {
    let mut board = board();
    board.sync_supervisor(&snapshot("supervisor", &[], "system_info_uccx"), true);
    board
        .begin_action(&request("1001002", SilentMonitor), now())
        .unwrap();
    board.sync_supervisor(
        &snapshot(
            "supervisor_talking",
            &["monitor_dialog"],
            "system_info_uccx",
        ),
        true,
    );
    board
        .begin_action(&request("1001002", BargeIn), now())
        .unwrap();
    board.sync_supervisor(
        &snapshot("supervisor_talking", &["barged_dialog"], "system_info_uccx"),
        true,
    );
    assert_eq!(
        board.row("1001002").unwrap().actions,
        [SignOut, EndMonitoring]
    );
}

#[test]
fn ending_the_monitoring_drops_the_monitor_call() {
    let mut board = monitoring_ana();
    let command = board
        .begin_action(&request("1001002", EndMonitoring), now())
        .unwrap();
    assert_eq!(
        command,
        Command::Drop {
            dialog_id: "16900".to_owned()
        }
    );
    board.sync_supervisor(&snapshot("supervisor", &[], "system_info_ucce"), true);
    let ana = board.row("1001002").unwrap();
    assert_eq!(ana.busy, None);
    assert!(!ana.monitored);
    assert_eq!(
        ana.call.unwrap().caller,
        None,
        "the monitor call's details went with it"
    );
    assert!(
        ana.actions.contains(&SilentMonitor),
        "the supervisor is Not Ready again"
    );
}

#[test]
fn only_one_monitor_request_at_a_time() {
    let mut board = board();
    board
        .begin_action(&request("1001002", SilentMonitor), now())
        .unwrap();
    let error = board
        .begin_action(&request("1001012", SilentMonitor), now())
        .unwrap_err();
    assert_eq!(error.code(), "team_action_pending");
    assert!(error.to_string().contains("1001002"), "{error}");
    // A state change on another agent is not held up.
    board
        .begin_action(&request("1001001", MakeNotReady), now())
        .unwrap();
}

#[test]
fn an_error_about_one_agent_never_lands_on_another() {
    let mut board = board();
    board
        .begin_action(&request("1001002", SilentMonitor), now())
        .unwrap();
    // Chris has nothing pending; Ana's monitor request must not take his error.
    assert!(!board.apply_event(event("api_errors_invalid_state_chris"), now()));
    assert_eq!(board.row("1001002").unwrap().busy, Some(SilentMonitor));
    assert_eq!(board.row("1001002").unwrap().error, None);
}

#[test]
fn a_refused_monitor_request_shows_on_the_agent_row() {
    let mut board = board();
    board
        .begin_action(&request("1001002", SilentMonitor), now())
        .unwrap();
    assert!(board.apply_event(event("api_errors_monitor_refused"), now()));
    let ana = board.row("1001002").unwrap();
    assert_eq!(ana.busy, None);
    assert_eq!(ana.error.unwrap().code, "team_monitor_refused");
}
