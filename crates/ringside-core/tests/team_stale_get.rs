//! A team's GET races its notifications: the shell subscribes to the team node, then reads
//! the team, and an agent may change state in between. The GET's copy can then reach the
//! board after the notification of a change it was read before (seen end to end: the
//! supervisor's own sign-in undone by the team GET, their row stuck on Signed out). A
//! notification is only overruled by a GET whose state is strictly later.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod team_support;

use ringside_core::desk::AgentStateKind;
use ringside_core::team::{TeamBoard, TeamPolicy};
use team_support::*;

/// Signed out in `first_line.xml` (no stateChangeTime).
const SIGNED_OUT: &str = "1001007";
/// Ready since 09:00:00 in `first_line.xml`.
const READY: &str = "1001001";

fn state_of(board: &TeamBoard, id: &str) -> AgentStateKind {
    board.row(id).unwrap().state
}

#[test]
fn an_agent_who_signs_in_while_the_team_loads_is_not_signed_out_again_by_the_get() {
    let mut board = TeamBoard::new(TeamPolicy::default());
    board.set_teams(&user("supervisor").teams).unwrap();
    board.sync_supervisor(&snapshot("supervisor", &[], "system_info_ucce"), true);

    board.apply_member(
        FIRST_LINE,
        in_state(SIGNED_OUT, "NOT_READY", "2024-03-05T09:04:50.000Z"),
        now(),
    );
    board.load_team(&team("first_line"), now());

    assert_eq!(state_of(&board, SIGNED_OUT), AgentStateKind::NotReady);
    let view = board.resync(now());
    assert!(ids(&view.rows).contains(&SIGNED_OUT.to_owned()));
    assert!(!view.header.unwrap().loading);
}

#[test]
fn a_get_read_before_a_notification_does_not_undo_it() {
    let mut board = board();
    board.apply_member(
        FIRST_LINE,
        in_state(READY, "TALKING", "2024-03-05T09:04:40.000Z"),
        now(),
    );
    board.take_diff(now() + 300).unwrap();

    // The session's copy of the GET arrives a second time (as the team's load result).
    assert!(!board.load_team(&team("first_line"), now()));

    assert_eq!(state_of(&board, READY), AgentStateKind::Talking);
    assert_eq!(board.take_diff(now() + 600), None);
}

#[test]
fn a_get_stamped_like_the_notification_does_not_undo_it() {
    // A manual clock (or a change within the same millisecond) stamps both alike.
    let mut board = board();
    board.apply_member(
        FIRST_LINE,
        in_state(READY, "NOT_READY", "2024-03-05T09:00:00.000Z"),
        now(),
    );

    assert!(!board.load_team(&team("first_line"), now()));

    assert_eq!(state_of(&board, READY), AgentStateKind::NotReady);
}

#[test]
fn a_later_get_overrules_a_notification() {
    // After a reconnect: the agent changed while no notification could arrive.
    let mut board = board();
    board.apply_member(
        FIRST_LINE,
        in_state(READY, "NOT_READY", "2024-03-05T09:04:00.000Z"),
        now(),
    );
    let mut fresh = team("first_line");
    let agent = fresh
        .users
        .iter_mut()
        .find(|m| m.login_id == READY)
        .unwrap();
    agent.state = finesse::model::AgentState::Talking;
    agent.state_change_time = Some("2024-03-05T09:05:30.000Z".to_owned());

    assert!(board.load_team(&fresh, now()));

    assert_eq!(state_of(&board, READY), AgentStateKind::Talking);
}
