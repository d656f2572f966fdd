//! The Team list's order: every column in both directions, ties broken by name then login
//! id, empty values last.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod team_support;

use ringside_core::team::{SortDirection, TeamSort, TeamSortColumn, TeamViewOptions};
use team_support::*;

fn order(column: TeamSortColumn, direction: SortDirection) -> Vec<String> {
    let mut board = board();
    board.set_view(TeamViewOptions {
        sort: TeamSort { column, direction },
        ..TeamViewOptions::default()
    });
    let rows = ids(&board.rows());
    // The view the UI receives carries the same order.
    let diff = board.resync(now());
    assert_eq!(
        diff.order.as_ref(),
        Some(&rows),
        "diff order for {column:?} {direction:?}"
    );
    rows
}

use SortDirection::{Ascending, Descending};

#[test]
fn names_sort_alphabetically_and_namesakes_by_login_id() {
    assert_eq!(
        order(TeamSortColumn::Name, Ascending),
        [
            "1001002", "1001001", "1001005", "1001004", "1001013", "1001009", "1001010", "1001006",
            "1001012", "1001014", "1001003", "1001011"
        ]
    );
}

#[test]
fn descending_names_keep_namesakes_in_login_id_order() {
    assert_eq!(
        order(TeamSortColumn::Name, Descending),
        [
            "1001011", "1001003", "1001014", "1001012", "1001006", "1001009", "1001010", "1001013",
            "1001004", "1001005", "1001001", "1001002"
        ]
    );
}

#[test]
fn login_ids_sort_by_number() {
    let ascending = order(TeamSortColumn::Id, Ascending);
    assert_eq!(
        ascending,
        [
            "1001001", "1001002", "1001003", "1001004", "1001005", "1001006", "1001009", "1001010",
            "1001011", "1001012", "1001013", "1001014"
        ]
    );
    let mut reversed = ascending;
    reversed.reverse();
    assert_eq!(order(TeamSortColumn::Id, Descending), reversed);
}

#[test]
fn a_short_extension_sorts_before_longer_ones_as_a_number_would() {
    let ascending = order(TeamSortColumn::Extension, Ascending);
    assert_eq!(
        ascending.first().map(String::as_str),
        Some("1001009"),
        "998 first"
    );
    assert_eq!(ascending.last().map(String::as_str), Some("1001014"));
    let descending = order(TeamSortColumn::Extension, Descending);
    assert_eq!(descending.first().map(String::as_str), Some("1001014"));
    assert_eq!(descending.last().map(String::as_str), Some("1001009"));
}

#[test]
fn states_sort_from_available_to_away_with_ties_by_name() {
    assert_eq!(
        order(TeamSortColumn::State, Ascending),
        [
            "1001001", "1001006", // Ready: Chris, Mia
            "1001010", // Reserved
            "1001002", "1001012", // Talking: Ana, Omar
            "1001004", // Hold
            "1001009", // Work
            "1001013", // Work Ready
            "1001005", "1001014", "1001003", "1001011", // Not Ready: Dana, Raj, Sam, Zoe
        ]
    );
    assert_eq!(
        order(TeamSortColumn::State, Descending),
        [
            "1001005", "1001014", "1001003", "1001011", "1001013", "1001009", "1001004", "1001002",
            "1001012", "1001010", "1001001", "1001006"
        ]
    );
}

#[test]
fn reasons_sort_by_label_and_agents_without_one_come_last_either_way() {
    let without_reason = [
        "1001002", "1001001", "1001005", "1001004", "1001013", "1001009", "1001010", "1001006",
        "1001012",
    ];
    let ascending = order(TeamSortColumn::Reason, Ascending);
    // Lunch, Supervisor (system code 999), Team Meeting (looked up by id 16).
    assert_eq!(ascending[..3], ["1001003", "1001014", "1001011"]);
    assert_eq!(ascending[3..], without_reason);
    let descending = order(TeamSortColumn::Reason, Descending);
    assert_eq!(descending[..3], ["1001011", "1001014", "1001003"]);
    assert_eq!(descending[3..], without_reason);
}

#[test]
fn time_in_state_ascending_puts_the_newest_change_first() {
    let ascending = order(TeamSortColumn::TimeInState, Ascending);
    assert_eq!(
        ascending,
        [
            "1001013", "1001010", "1001004", "1001009", "1001002", "1001011", "1001001", "1001006",
            "1001012", "1001014", "1001003", "1001005"
        ]
    );
    let mut longest_first = ascending;
    longest_first.reverse();
    assert_eq!(
        order(TeamSortColumn::TimeInState, Descending),
        longest_first
    );
}

#[test]
fn equal_times_in_state_fall_back_to_name_in_both_directions() {
    for direction in [Ascending, Descending] {
        let mut board = board();
        let same = "2024-03-05T09:04:50.000Z";
        board.apply_member(FIRST_LINE, in_state("1001006", "READY", same), now());
        board.apply_member(FIRST_LINE, in_state("1001001", "READY", same), now());
        board.set_view(TeamViewOptions {
            sort: TeamSort {
                column: TeamSortColumn::TimeInState,
                direction,
            },
            ..TeamViewOptions::default()
        });
        let rows = ids(&board.rows());
        let chris = rows.iter().position(|id| id == "1001001").unwrap();
        let mia = rows.iter().position(|id| id == "1001006").unwrap();
        assert_eq!(
            mia,
            chris + 1,
            "{direction:?}: Chris then Mia, adjacent: {rows:?}"
        );
    }
}

#[test]
fn pending_states_sort_first_whichever_the_direction() {
    for direction in [Ascending, Descending] {
        let rows = order(TeamSortColumn::PendingState, direction);
        assert_eq!(
            rows[0], "1001012",
            "Omar's pending Not Ready first ({direction:?})"
        );
        assert_eq!(
            rows[1..4],
            ["1001002", "1001001", "1001005"],
            "then by name"
        );
    }
}

#[test]
fn calls_sort_by_duration_with_agents_not_on_a_call_last() {
    let ascending = order(TeamSortColumn::Call, Ascending);
    // Ivo on hold since 09:03, Ana talking since 09:01, Omar since 08:58.
    assert_eq!(ascending[..3], ["1001004", "1001002", "1001012"]);
    assert_eq!(ascending[3..5], ["1001001", "1001005"], "the rest by name");
    let descending = order(TeamSortColumn::Call, Descending);
    assert_eq!(descending[..3], ["1001012", "1001002", "1001004"]);
    assert_eq!(descending[3..5], ["1001001", "1001005"]);
}

#[test]
fn a_state_change_moves_the_row_to_its_new_place_in_the_next_diff() {
    let mut board = board();
    board.set_view(TeamViewOptions {
        sort: TeamSort {
            column: TeamSortColumn::State,
            direction: Ascending,
        },
        ..TeamViewOptions::default()
    });
    board.flush(now());
    // Zoe (Not Ready, last) goes Ready: she joins the Ready rows, after Chris, before Mia.
    board.apply_member(
        FIRST_LINE,
        in_state("1001011", "READY", "2024-03-05T09:05:01.000Z"),
        now(),
    );
    let diff = board.take_diff(now() + 1_000).unwrap();
    let order = diff.order.expect("the order changed");
    assert_eq!(order[..3], ["1001001", "1001006", "1001011"]);
    assert_eq!(ids(&board.rows()), order);
}
