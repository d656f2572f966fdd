//! Coalescing: the board takes every event at once and hands the UI one diff per interval,
//! with one row per changed agent, removed ids, counts, and the order only when it moved.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod team_support;

use ringside_core::desk::AgentStateKind;
use ringside_core::team::{TeamBoard, TeamPolicy, TeamSort, TeamSortColumn, TeamViewOptions};
use team_support::*;

const STATES: [&str; 5] = ["READY", "TALKING", "HOLD", "WORK", "NOT_READY"];

/// `count` updates spread over the first ten agents of the team, each a real state change.
fn storm(board: &mut TeamBoard, agents: &[String], count: usize, at_ms: i64) {
    for i in 0..count {
        let id = &agents[i % agents.len()];
        let state = STATES[(i / agents.len()) % STATES.len()];
        let second = 10 + (i % 40);
        let stamp = format!("2024-03-05T09:05:{second:02}.{:03}Z", i % 1000);
        board.apply_member(FIRST_LINE, in_state(id, state, &stamp), at_ms);
    }
}

fn first_ten(board: &TeamBoard) -> Vec<String> {
    ids(&board.rows()).into_iter().take(10).collect()
}

#[test]
fn a_thousand_updates_to_ten_agents_make_one_diff_with_ten_rows() {
    let mut board = board();
    let agents = first_ten(&board);
    storm(&mut board, &agents, 1_000, now() + 10);
    let diff = board
        .take_diff(now() + 300)
        .expect("changes after the interval");
    assert_eq!(diff.rows.len(), 10);
    let mut got = ids(&diff.rows);
    got.sort();
    let mut want = agents.clone();
    want.sort();
    assert_eq!(got, want);
    // Each row carries the agent's last update: round 99 of the storm, NOT_READY.
    for id in &agents {
        assert_eq!(row_in(&diff, id).state, AgentStateKind::NotReady, "{id}");
    }
    assert_eq!(
        board.take_diff(now() + 10_000),
        None,
        "nothing left after the diff"
    );
}

#[test]
fn no_diff_is_handed_out_before_the_interval() {
    let mut board = board();
    // The board's last diff went out at now(); the policy allows one every 250 ms.
    board.apply_event(event("update_chris_talking"), now() + 10);
    assert_eq!(board.take_diff(now() + 249), None);
    let diff = board.take_diff(now() + 250).expect("interval reached");
    assert_eq!(ids(&diff.rows), ["1001001"]);
    // The next change must wait a full interval after that diff.
    board.apply_event(event("update_eve_joins_ready"), now() + 260);
    assert_eq!(board.take_diff(now() + 400), None);
    assert!(board.take_diff(now() + 500).is_some());
}

#[test]
fn the_interval_is_policy() {
    let mut board = board_with(TeamPolicy {
        diff_interval_ms: 1_000,
        ..TeamPolicy::default()
    });
    board.apply_event(event("update_chris_talking"), now());
    assert_eq!(board.take_diff(now() + 999), None);
    assert!(board.take_diff(now() + 1_000).is_some());
}

#[test]
fn flush_ignores_the_interval_for_the_supervisor_own_changes() {
    let mut board = board();
    board.set_view(TeamViewOptions {
        text: "park".to_owned(),
        ..TeamViewOptions::default()
    });
    let diff = board.flush(now() + 1).expect("sent at once");
    assert_eq!(diff.order.unwrap(), ["1001009", "1001010"]);
    assert_eq!(diff.removed.len(), 10);
}

#[test]
fn a_diff_with_nothing_changed_is_not_sent() {
    let mut board = board();
    assert_eq!(board.take_diff(now() + 1_000), None);
    // The same member again, unchanged, is no change.
    board.apply_member(FIRST_LINE, member("1001001"), now());
    assert_eq!(board.take_diff(now() + 2_000), None);
}

#[test]
fn the_order_is_sent_only_when_it_changed() {
    let mut board = board(); // sorted by name: a state change keeps the order
    board.apply_event(event("update_chris_talking"), now());
    let diff = board.take_diff(now() + 300).unwrap();
    assert_eq!(ids(&diff.rows), ["1001001"]);
    assert_eq!(diff.order, None);
    assert_eq!((diff.counts.ready, diff.counts.talking), (1, 4));

    board.apply_event(event("update_eve_joins_ready"), now());
    let diff = board.take_diff(now() + 600).unwrap();
    assert_eq!(ids(&diff.rows), ["1001020"]);
    let order = diff.order.expect("a new agent changes the order");
    assert_eq!(order.len(), 13);
    assert_eq!(
        order[3], "1001020",
        "Eve Stone sorts after Dana Lee and before Ivo"
    );
}

#[test]
fn diffs_are_numbered_one_after_another() {
    let mut board = board();
    let first = board.resync(now()).seq;
    board.apply_event(event("update_chris_talking"), now());
    let second = board.take_diff(now() + 300).unwrap().seq;
    board.apply_event(event("update_eve_joins_ready"), now());
    let third = board.take_diff(now() + 600).unwrap().seq;
    assert_eq!((second, third), (first + 1, first + 2));
}

#[test]
fn a_member_missing_from_a_fresh_team_payload_is_removed() {
    let mut board = board();
    // The doc-sample shape: a whole <team> published on the team node, without Kim Vo.
    assert!(board.apply_event(event("update_team_without_kim"), now()));
    let diff = board.take_diff(now() + 300).unwrap();
    assert_eq!(diff.removed, ["1001013"]);
    assert!(diff.rows.is_empty(), "nobody else changed");
    assert!(!diff.order.unwrap().contains(&"1001013".to_owned()));
    assert_eq!((diff.counts.wrap_up, diff.counts.total), (1, 12));
    assert!(board.row("1001013").is_none());
}

#[test]
fn a_member_changed_and_removed_between_diffs_is_only_removed() {
    let mut board = board();
    board.apply_member(
        FIRST_LINE,
        in_state("1001013", "READY", "2024-03-05T09:05:05.000Z"),
        now(),
    );
    board.apply_event(event("update_team_without_kim"), now());
    let diff = board.take_diff(now() + 300).unwrap();
    assert_eq!(diff.removed, ["1001013"]);
    assert!(diff.rows.iter().all(|row| row.id != "1001013"));
}

#[test]
fn an_agent_who_joins_and_leaves_between_diffs_never_reaches_the_ui() {
    let mut board = board();
    board.apply_event(event("update_eve_joins_ready"), now());
    board.load_team(&team("first_line"), now());
    assert_eq!(board.take_diff(now() + 300), None);
}

#[test]
fn the_reload_after_a_reconnect_sends_only_what_changed_meanwhile() {
    let mut board = board();
    let mut fresh = team("first_line");
    let chris = fresh
        .users
        .iter_mut()
        .find(|m| m.login_id == "1001001")
        .unwrap();
    chris.state = finesse::model::AgentState::Talking;
    chris.state_change_time = Some("2024-03-05T09:05:30.000Z".to_owned());
    assert!(board.load_team(&fresh, now()));
    let diff = board.take_diff(now() + 300).unwrap();
    assert_eq!(ids(&diff.rows), ["1001001"]);
    assert!(diff.removed.is_empty());
}

#[test]
fn events_for_a_team_not_shown_are_ignored() {
    let mut board = board();
    assert!(!board.apply_event(event("update_other_team_member"), now()));
    assert_eq!(board.take_diff(now() + 300), None);
}

#[test]
fn switching_teams_resets_the_view_and_loads_the_other_team() {
    let mut board = board();
    let switch = board.choose_team(SECOND_LINE).unwrap();
    assert_eq!(switch.unload.as_deref(), Some(FIRST_LINE));
    assert_eq!(switch.load, SECOND_LINE);
    let loading = board.flush(now()).unwrap();
    assert!(loading.reset);
    assert!(loading.rows.is_empty());
    let header = loading.header.unwrap();
    assert_eq!(header.chosen.as_deref(), Some(SECOND_LINE));
    assert!(header.loading);
    assert_eq!(header.teams.len(), 2);

    // A late event from the old team is not shown in the new one.
    assert!(!board.apply_event(event("update_chris_talking"), now()));
    assert!(board.load_team(&team("second_line"), now()));
    let loaded = board.flush(now()).unwrap();
    assert!(!loaded.reset);
    assert!(!loaded.header.unwrap().loading);
    assert_eq!(loaded.order.unwrap(), ["1002002", "1002001"]);
    assert_eq!(loaded.counts.total, 2);
}

#[test]
fn choosing_a_team_not_supervised_is_refused() {
    let mut board = board();
    let error = board.choose_team("9999").unwrap_err();
    assert_eq!(error.code(), "team_unknown_team");
    assert_eq!(board.chosen_team(), Some(FIRST_LINE));
}

#[test]
fn a_team_no_longer_supervised_gives_way_to_the_first_one_left() {
    let mut board = board();
    let second_only = [finesse::model::TeamRef {
        id: SECOND_LINE.to_owned(),
        name: Some("Second Line".to_owned()),
        uri: None,
    }];
    let switch = board.set_teams(&second_only).unwrap();
    assert_eq!(switch.unload.as_deref(), Some(FIRST_LINE));
    assert_eq!(switch.load, SECOND_LINE);
    assert!(board.is_empty());
    assert!(board.flush(now()).unwrap().reset);
    assert_eq!(
        board.set_teams(&second_only),
        None,
        "nothing to switch the second time"
    );
}

#[test]
fn sign_out_clears_the_view_but_keeps_the_list_choices() {
    let mut board = board();
    let choices = TeamViewOptions {
        sort: TeamSort {
            column: TeamSortColumn::State,
            ..TeamSort::default()
        },
        include_logged_out: true,
        ..TeamViewOptions::default()
    };
    board.set_view(choices.clone());
    board.clear();
    let diff = board.flush(now()).unwrap();
    assert!(diff.reset);
    assert!(diff.rows.is_empty());
    assert_eq!(diff.header.unwrap().chosen, None);
    assert_eq!(diff.view.unwrap(), choices);
    assert_eq!(diff.counts.total, 0);
}

#[test]
fn resync_hands_out_the_whole_view() {
    let mut board = board();
    board.apply_event(event("update_chris_talking"), now());
    let full = board.resync(now() + 1);
    assert!(full.reset);
    assert_eq!(full.rows.len(), 12);
    assert_eq!(full.order.clone().unwrap(), ids(&board.rows()));
    assert!(full.header.is_some() && full.view.is_some());
    assert_eq!(
        board.take_diff(now() + 1_000),
        None,
        "the resync included the change"
    );
}
