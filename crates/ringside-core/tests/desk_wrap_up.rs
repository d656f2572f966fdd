//! The wrap-up panel: countdown, reason, and what comes after.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod desk_support;

use desk_support::*;
use finesse::session::{ConnectionState, Millis, SessionError};
use ringside_core::desk::{AfterWrapUp, Desk, WrapUpRequest};

/// Talking on the inbound call, which then ends into wrap-up.
fn desk_after_call(wrap_up_user: &str) -> (Desk, i64) {
    let now = at("2024-03-05T09:02:10Z");
    let mut desk = desk_with("talking", &["active"], now);
    let ended = at("2024-03-05T09:10:00Z");
    desk.apply_snapshot(&snapshot("talking", &[]), ended);
    desk.apply_snapshot(&snapshot(wrap_up_user, &[]), ended + 100);
    (desk, ended + 5_000)
}

#[test]
fn wrap_up_counts_down_from_the_state_start_plus_the_wrap_up_timer() {
    let (desk, now) = desk_after_call("work");

    let panel = desk.view(now).wrap_up.unwrap();
    // WORK since 09:10:00 and wrapUpTimer 60 s.
    assert_eq!(panel.deadline, Some(at("2024-03-05T09:11:00Z")));
    assert_eq!(
        panel.dialog_id.as_deref(),
        Some("16817"),
        "the call just dropped"
    );
    assert_eq!(panel.then, AfterWrapUp::NotReady);
    assert_eq!(panel.reason, None);
    assert!(panel.reason_required, "wrapUpOnIncoming is REQUIRED");
}

#[test]
fn the_wrap_up_deadline_follows_the_server_clock() {
    let (mut desk, now) = desk_after_call("work");
    // The server runs 2 s ahead of this machine.
    desk.set_server_time(now + 2_000, now);
    let panel = desk.view(now).wrap_up.unwrap();
    assert_eq!(panel.deadline, Some(at("2024-03-05T09:10:58Z")));
}

#[test]
fn work_ready_ends_in_ready_unless_the_agent_chooses() {
    let (mut desk, now) = desk_after_call("work_ready");
    let panel = desk.view(now).wrap_up.unwrap();
    assert_eq!(panel.then, AfterWrapUp::Ready);
    assert!(!panel.reason_required, "wrapUpOnIncoming is OPTIONAL");

    desk.choose_wrap_up(&WrapUpRequest {
        reason: None,
        then: Some(AfterWrapUp::NotReady),
    });
    assert_eq!(desk.view(now).wrap_up.unwrap().then, AfterWrapUp::NotReady);
}

#[test]
fn the_chosen_reason_shows_and_a_later_choice_keeps_the_other_half() {
    let (mut desk, now) = desk_after_call("work");
    desk.choose_wrap_up(&WrapUpRequest {
        reason: Some("Sales Call".to_owned()),
        then: None,
    });
    desk.choose_wrap_up(&WrapUpRequest {
        reason: None,
        then: Some(AfterWrapUp::Ready),
    });

    let panel = desk.view(now).wrap_up.unwrap();
    assert_eq!(panel.reason.as_deref(), Some("Sales Call"));
    assert_eq!(panel.then, AfterWrapUp::Ready);
}

#[test]
fn a_dialog_kept_in_wrap_up_is_the_one_written_and_shows_the_servers_reason() {
    let now = at("2024-03-05T09:10:05Z");
    let desk = desk_with("work", &["wrap_up_with_reason"], now);

    let panel = desk.view(now).wrap_up.unwrap();
    assert_eq!(panel.dialog_id.as_deref(), Some("16817"));
    assert_eq!(panel.reason.as_deref(), Some("Product Question"));
    assert!(!desk.should_ring());
}

#[test]
fn wrap_up_choices_survive_a_reconnect_snapshot() {
    let (mut desk, now) = desk_after_call("work");
    desk.choose_wrap_up(&WrapUpRequest {
        reason: Some("Sales Call".to_owned()),
        then: Some(AfterWrapUp::Ready),
    });

    desk.apply_connection(
        &ConnectionState::Reconnecting {
            node: "fin-b.example.com".to_owned(),
            attempt: 1,
            since: Millis(0),
            last_error: SessionError::ConnectionLost,
        },
        now + 1_000,
    );
    desk.apply_connection(&connected(), now + 4_000);
    // The resync after reconnecting: a fresh GET of the user, the dialog long gone.
    desk.apply_snapshot(&snapshot("work", &[]), now + 4_100);

    let panel = desk.view(now + 4_200).wrap_up.unwrap();
    assert_eq!(panel.reason.as_deref(), Some("Sales Call"));
    assert_eq!(panel.then, AfterWrapUp::Ready);
    assert_eq!(panel.dialog_id.as_deref(), Some("16817"));
}

#[test]
fn choices_are_forgotten_when_wrap_up_ends() {
    let (mut desk, now) = desk_after_call("work");
    desk.choose_wrap_up(&WrapUpRequest {
        reason: Some("Sales Call".to_owned()),
        then: Some(AfterWrapUp::Ready),
    });

    desk.apply_snapshot(&snapshot("not_ready_after_wrap_up", &[]), now + 55_000);
    assert_eq!(desk.view(now + 55_000).wrap_up, None);

    // The next call's wrap-up starts clean.
    desk.apply_snapshot(&snapshot("talking", &["active"]), now + 120_000);
    desk.apply_snapshot(&snapshot("work", &[]), now + 180_000);
    let panel = desk.view(now + 180_000).wrap_up.unwrap();
    assert_eq!(panel.reason, None);
    assert_eq!(panel.then, AfterWrapUp::NotReady);
}

#[test]
fn there_is_no_wrap_up_panel_outside_wrap_up() {
    let now = at("2024-03-05T09:02:10Z");
    let desk = desk_with("talking", &["active"], now);
    assert_eq!(desk.view(now).wrap_up, None);
}
