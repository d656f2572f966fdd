//! What the Team row knows about the call the supervisor monitors or barged into: the
//! customer's number and which way the call goes, read from the supervisor's own dialog.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod team_support;

use ringside_core::desk::CallDirection;
use ringside_core::team::{TeamAction, TeamActionRequest, TeamBoard, TeamCallView};
use team_support::*;

/// The board after the supervisor asked to monitor Ana and Finesse showed `monitor_fixture`.
fn monitoring_ana_with(monitor_fixture: &str) -> TeamBoard {
    let mut board = board();
    board
        .begin_action(&request(TeamAction::SilentMonitor), now())
        .unwrap();
    board.sync_supervisor(
        &snapshot("supervisor_talking", &[monitor_fixture], "system_info_ucce"),
        true,
    );
    board
}

fn request(action: TeamAction) -> TeamActionRequest {
    TeamActionRequest {
        agent_id: "1001002".to_owned(),
        action,
    }
}

fn barge_into(board: &mut TeamBoard, conference_fixture: &str) {
    board
        .begin_action(&request(TeamAction::BargeIn), now())
        .unwrap();
    board.sync_supervisor(
        &snapshot(
            "supervisor_talking",
            &[conference_fixture],
            "system_info_ucce",
        ),
        true,
    );
}

fn anas_call(board: &TeamBoard) -> TeamCallView {
    let ana = board.row("1001002").unwrap();
    assert!(ana.monitored);
    ana.call.expect("Ana is on a call")
}

#[test]
fn a_monitored_call_the_customer_was_on_first_shows_as_inbound_from_the_customer() {
    let board = monitoring_ana_with("monitor_dialog");
    let call = anas_call(&board);
    assert_eq!(call.direction, Some(CallDirection::Inbound));
    assert_eq!(call.caller.as_deref(), Some("4085550123"));
}

#[test]
fn a_monitored_call_the_agent_placed_shows_as_outbound_to_the_customer() {
    let board = monitoring_ana_with("monitor_dialog_outbound");
    let call = anas_call(&board);
    assert_eq!(call.direction, Some(CallDirection::Outbound));
    assert_eq!(call.caller.as_deref(), Some("4085550199"));
    assert_eq!(call.started, Some(at("2024-03-05T09:01:20Z")));
}

#[test]
fn a_monitor_dialog_without_the_customer_names_neither_supervisor_nor_agent() {
    let board = monitoring_ana_with("monitor_dialog_without_customer");
    let call = anas_call(&board);
    assert_eq!(call.caller, None);
    assert_eq!(
        call.direction, None,
        "the monitor call's own type says nothing"
    );
}

#[test]
fn after_a_barge_the_row_reads_the_agents_own_call() {
    let mut board = monitoring_ana_with("monitor_dialog");
    barge_into(&mut board, "barged_dialog");
    let call = anas_call(&board);
    assert_eq!(call.direction, Some(CallDirection::Inbound));
    assert_eq!(call.caller.as_deref(), Some("4085550123"));
}

#[test]
fn after_a_barge_into_a_call_the_agent_placed_the_row_shows_outbound() {
    let mut board = monitoring_ana_with("monitor_dialog_without_customer");
    barge_into(&mut board, "barged_outbound_dialog");
    let call = anas_call(&board);
    assert_eq!(call.direction, Some(CallDirection::Outbound));
    assert_eq!(call.caller.as_deref(), Some("4085550199"));
}

#[test]
fn the_direction_goes_with_the_monitor_call() {
    let mut board = monitoring_ana_with("monitor_dialog");
    board.sync_supervisor(&snapshot("supervisor", &[], "system_info_ucce"), true);
    let ana = board.row("1001002").unwrap();
    assert!(!ana.monitored);
    assert_eq!(ana.call.unwrap().direction, None);
}
