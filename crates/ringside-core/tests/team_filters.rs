//! What the Team list shows: state filters, text search, the signed-out toggle, and the
//! counts per state at the top.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod team_support;

use ringside_core::team::{TeamCounts, TeamStateGroup, TeamViewOptions};
use team_support::*;

fn shown(options: TeamViewOptions) -> Vec<String> {
    let mut board = board();
    board.set_view(options);
    ids(&board.rows())
}

#[test]
fn counts_cover_every_member_by_state_group() {
    let board = board();
    assert_eq!(
        board.counts(),
        TeamCounts {
            ready: 2,
            not_ready: 4,
            talking: 3, // Ana and Omar talking, Ivo on hold
            reserved: 1,
            wrap_up: 2,
            logged_out: 1,
            unknown: 0,
            total: 13,
            shown: 12, // Tom is signed out and hidden by default
        }
    );
}

#[test]
fn signed_out_agents_are_hidden_until_included() {
    assert!(!shown(TeamViewOptions::default()).contains(&"1001007".to_owned()));
    let with_logged_out = shown(TeamViewOptions {
        include_logged_out: true,
        ..TeamViewOptions::default()
    });
    assert_eq!(with_logged_out.len(), 13);
    assert!(with_logged_out.contains(&"1001007".to_owned()));
}

#[test]
fn including_signed_out_agents_sends_their_rows_and_hiding_removes_them() {
    let mut board = board();
    board.set_view(TeamViewOptions {
        include_logged_out: true,
        ..TeamViewOptions::default()
    });
    let diff = board.flush(now()).unwrap();
    assert_eq!(
        ids(&diff.rows),
        ["1001007"],
        "only the newly shown row is sent"
    );
    assert_eq!(diff.counts.shown, 13);
    assert!(diff.view.unwrap().include_logged_out);

    board.set_view(TeamViewOptions::default());
    let diff = board.flush(now()).unwrap();
    assert!(diff.rows.is_empty());
    assert_eq!(diff.removed, ["1001007"]);
    assert_eq!(diff.order.unwrap().len(), 12);
}

#[test]
fn a_state_filter_shows_only_those_groups() {
    let talking = shown(TeamViewOptions {
        states: vec![TeamStateGroup::Talking],
        ..TeamViewOptions::default()
    });
    assert_eq!(
        talking,
        ["1001002", "1001004", "1001012"],
        "hold counts as talking"
    );

    let mut both = shown(TeamViewOptions {
        states: vec![TeamStateGroup::Ready, TeamStateGroup::WrapUp],
        ..TeamViewOptions::default()
    });
    both.sort();
    assert_eq!(both, ["1001001", "1001006", "1001009", "1001013"]);
}

#[test]
fn the_signed_out_toggle_wins_over_a_signed_out_state_filter() {
    let hidden = shown(TeamViewOptions {
        states: vec![TeamStateGroup::LoggedOut],
        ..TeamViewOptions::default()
    });
    assert!(hidden.is_empty());
    let included = shown(TeamViewOptions {
        states: vec![TeamStateGroup::LoggedOut],
        include_logged_out: true,
        ..TeamViewOptions::default()
    });
    assert_eq!(included, ["1001007"]);
}

#[test]
fn text_matches_names_ids_and_extensions_without_case() {
    let by_name = shown(TeamViewOptions {
        text: "  PARK ".to_owned(),
        ..TeamViewOptions::default()
    });
    assert_eq!(by_name, ["1001009", "1001010"]);

    let by_id = shown(TeamViewOptions {
        text: "1001013".to_owned(),
        ..TeamViewOptions::default()
    });
    assert_eq!(by_id, ["1001013"]);

    let by_extension = shown(TeamViewOptions {
        text: "998".to_owned(),
        ..TeamViewOptions::default()
    });
    assert_eq!(by_extension, ["1001009"]);

    let part_of_first_name = shown(TeamViewOptions {
        text: "ana".to_owned(),
        ..TeamViewOptions::default()
    });
    assert_eq!(
        part_of_first_name,
        ["1001002", "1001005"],
        "Ana Ruiz and Dana Lee"
    );
}

#[test]
fn text_does_not_match_across_fields() {
    // "Okafor" then login id "1001003": the fields must not run together.
    let nothing = shown(TeamViewOptions {
        text: "okafor1001003".to_owned(),
        ..TeamViewOptions::default()
    });
    assert!(nothing.is_empty(), "{nothing:?}");
}

#[test]
fn text_and_state_filters_combine() {
    let rows = shown(TeamViewOptions {
        text: "lee".to_owned(),
        states: vec![TeamStateGroup::NotReady],
        ..TeamViewOptions::default()
    });
    assert_eq!(
        rows,
        ["1001005"],
        "Dana Lee is Not Ready; the Lee Parks are not"
    );
}

#[test]
fn counts_ignore_filters_but_shown_follows_them() {
    let mut board = board();
    board.set_view(TeamViewOptions {
        states: vec![TeamStateGroup::Ready],
        ..TeamViewOptions::default()
    });
    let diff = board.flush(now()).unwrap();
    assert_eq!(diff.counts.ready, 2);
    assert_eq!(diff.counts.not_ready, 4);
    assert_eq!(diff.counts.total, 13);
    assert_eq!(diff.counts.shown, 2);
}

#[test]
fn an_agent_leaving_the_filtered_group_is_removed_from_the_list() {
    let mut board = board();
    board.set_view(TeamViewOptions {
        states: vec![TeamStateGroup::Ready],
        ..TeamViewOptions::default()
    });
    board.flush(now());
    board.apply_member(
        FIRST_LINE,
        in_state("1001001", "TALKING", "2024-03-05T09:05:10.000Z"),
        now(),
    );
    let diff = board.take_diff(now() + 500).unwrap();
    assert_eq!(diff.removed, ["1001001"]);
    assert!(diff.rows.is_empty());
    assert_eq!(diff.order.unwrap(), ["1001006"]);
    assert_eq!((diff.counts.ready, diff.counts.talking), (1, 4));
}

#[test]
fn counts_follow_state_changes_one_by_one() {
    let mut board = board();
    board.apply_event(event("update_chris_talking"), now());
    board.apply_event(event("update_tom_signed_in_without_time"), now());
    let counts = board.counts();
    assert_eq!(counts.ready, 1);
    assert_eq!(counts.talking, 4);
    assert_eq!(counts.not_ready, 5);
    assert_eq!(counts.logged_out, 0);
    assert_eq!(counts.total, 13);
    assert_eq!(
        TeamStateGroup::ALL
            .iter()
            .map(|g| counts.of(*g))
            .sum::<u32>(),
        counts.total
    );
}
