//! Time in state and call duration: taken from Finesse's stamps (corrected for the server's
//! clock), kept through updates that do not restart them, and drawn live by the UI without
//! the board sending anything as time passes.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod team_support;

use ringside_core::desk::CallDirection;
use ringside_core::team::MemberCall;
use team_support::*;

const MINUTE: i64 = 60_000;

#[test]
fn time_in_state_counts_from_finesse_state_change_time() {
    let board = board();
    let sam = board.row("1001003").unwrap();
    assert_eq!(sam.state_since, Some(at("2024-03-05T08:45:00Z")));
    assert_eq!(board.time_in_state("1001003", now()), Some(20 * MINUTE));
    assert_eq!(
        board.time_in_state("1001003", now() + 61_000),
        Some(20 * MINUTE + 61_000),
        "the time in state is live: it grows with the clock"
    );
}

#[test]
fn passing_time_alone_sends_no_diff() {
    let mut board = board();
    assert_eq!(board.take_diff(now() + 10_000), None);
    assert_eq!(board.take_diff(now() + 3_600_000), None);
}

#[test]
fn a_server_clock_ahead_of_ours_is_corrected() {
    let mut board = board();
    // Finesse said 09:05:00 when this machine read 09:04:30: the server runs 30 s ahead.
    board.set_server_clock(at("2024-03-05T09:05:00Z"), at("2024-03-05T09:04:30Z"));
    let local_now = at("2024-03-05T09:04:30Z");
    assert_eq!(board.time_in_state("1001003", local_now), Some(20 * MINUTE));
    assert_eq!(
        board.row("1001003").unwrap().state_since,
        Some(at("2024-03-05T08:44:30Z"))
    );
    let diff = board.flush(local_now).unwrap();
    assert_eq!(
        diff.rows.len(),
        12,
        "every shown row has a stamp, so every row moved"
    );
    assert_eq!(
        diff.order, None,
        "shifting all times by the same amount keeps the order"
    );
}

#[test]
fn an_agent_without_a_stamp_has_no_time_until_the_state_changes() {
    let mut board = board();
    assert_eq!(
        board.time_in_state("1001007", now()),
        None,
        "Tom: LOGOUT, no stamp"
    );
    // Tom signs in; this update carries an empty stateChangeTime.
    let arrival = now() + 2_000;
    board.apply_event(event("update_tom_signed_in_without_time"), arrival);
    assert_eq!(board.row("1001007").unwrap().state_since, Some(arrival));
    assert_eq!(board.time_in_state("1001007", arrival + 5_000), Some(5_000));
}

#[test]
fn an_update_without_a_stamp_in_the_same_state_keeps_the_timer() {
    let mut board = board();
    let mut sam = member("1001003");
    sam.state_change_time = None;
    sam.pending_state = None;
    sam.reason_code = None;
    sam.reason_code_id = Some("16".to_owned());
    assert!(board.apply_member(FIRST_LINE, sam, now()));
    let row = board.row("1001003").unwrap();
    assert_eq!(
        row.reason.as_deref(),
        Some("Team Meeting"),
        "the update did change"
    );
    assert_eq!(row.state_since, Some(at("2024-03-05T08:45:00Z")));
}

#[test]
fn a_call_keeps_its_start_through_hold_and_back() {
    let mut board = board();
    let ana = |board: &ringside_core::team::TeamBoard| board.row("1001002").unwrap().call.unwrap();
    assert_eq!(ana(&board).started, Some(at("2024-03-05T09:01:00Z")));
    assert!(!ana(&board).on_hold);

    board.apply_member(
        FIRST_LINE,
        in_state("1001002", "HOLD", "2024-03-05T09:05:10.000Z"),
        now(),
    );
    assert_eq!(ana(&board).started, Some(at("2024-03-05T09:01:00Z")));
    assert!(ana(&board).on_hold);
    assert_eq!(
        board.row("1001002").unwrap().state_since,
        Some(at("2024-03-05T09:05:10Z")),
        "the state timer restarts on hold, the call timer does not"
    );

    board.apply_member(
        FIRST_LINE,
        in_state("1001002", "TALKING", "2024-03-05T09:05:40.000Z"),
        now(),
    );
    assert_eq!(ana(&board).started, Some(at("2024-03-05T09:01:00Z")));
}

#[test]
fn the_call_ends_with_talking_and_the_next_one_starts_afresh() {
    let mut board = board();
    board.apply_member(
        FIRST_LINE,
        in_state("1001002", "WORK", "2024-03-05T09:06:00.000Z"),
        now(),
    );
    assert_eq!(board.row("1001002").unwrap().call, None);
    board.apply_member(
        FIRST_LINE,
        in_state("1001002", "TALKING", "2024-03-05T09:08:00.000Z"),
        now(),
    );
    assert_eq!(
        board.row("1001002").unwrap().call.unwrap().started,
        Some(at("2024-03-05T09:08:00Z"))
    );
}

#[test]
fn an_agent_loaded_on_hold_counts_the_call_from_the_hold_stamp() {
    let mut board = board();
    assert_eq!(
        board.row("1001004").unwrap().call.unwrap().started,
        Some(at("2024-03-05T09:03:00Z"))
    );
    board.apply_event(event("update_ivo_talking_again"), now());
    let call = board.row("1001004").unwrap().call.unwrap();
    assert_eq!(call.started, Some(at("2024-03-05T09:03:00Z")));
    assert!(!call.on_hold);
}

#[test]
fn call_details_fed_by_the_host_show_until_the_call_ends() {
    let mut board = board();
    let fed = MemberCall {
        direction: Some(CallDirection::Inbound),
        caller: Some("+4930123456".to_owned()),
        started: Some(at("2024-03-05T09:00:50Z")),
    };
    assert!(board.set_member_call("1001002", Some(fed)));
    let diff = board.flush(now()).unwrap();
    let call = row_in(&diff, "1001002").call.clone().unwrap();
    assert_eq!(call.direction, Some(CallDirection::Inbound));
    assert_eq!(call.caller.as_deref(), Some("+4930123456"));
    assert_eq!(call.started, Some(at("2024-03-05T09:00:50Z")));

    board.apply_member(
        FIRST_LINE,
        in_state("1001002", "READY", "2024-03-05T09:06:00.000Z"),
        now(),
    );
    board.apply_member(
        FIRST_LINE,
        in_state("1001002", "TALKING", "2024-03-05T09:07:00.000Z"),
        now(),
    );
    let call = board.row("1001002").unwrap().call.unwrap();
    assert_eq!(
        call.caller, None,
        "the fed caller belonged to the previous call"
    );
    assert_eq!(call.started, Some(at("2024-03-05T09:07:00Z")));
}
