//! The agent bar: name, state, reason label, timer, pending state, requests in flight.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod desk_support;

use desk_support::*;
use finesse::model::{DeploymentType, Snapshot};
use ringside_core::desk::{system_reason_label, AgentStateKind, StateRequest};

fn not_ready(reason_id: Option<&str>) -> StateRequest {
    StateRequest {
        state: AgentStateKind::NotReady,
        reason_id: reason_id.map(str::to_owned),
    }
}

#[test]
fn agent_bar_shows_name_extension_and_state_since_the_server_change_time() {
    let now = at("2024-03-05T09:00:42Z");
    let desk = desk_with("ready", &[], now);

    let agent = desk.view(now).agent.unwrap();
    assert_eq!(agent.name, "Chris Smith");
    assert_eq!(agent.id, "1001001");
    assert_eq!(agent.login_name.as_deref(), Some("csmith"));
    assert_eq!(agent.extension.as_deref(), Some("1001001"));
    assert_eq!(agent.state, AgentStateKind::Ready);
    assert_eq!(agent.state_since, Some(at("2024-03-05T09:00:00Z")));
    assert_eq!(agent.reason, None);
    assert!(!agent.is_supervisor);
}

#[test]
fn agent_goes_ready_and_the_switch_stops_spinning_when_finesse_shows_ready() {
    let now = at("2024-03-05T08:59:00Z");
    let mut desk = desk_with("not_ready_signed_in", &[], now);
    desk.request_state(StateRequest {
        state: AgentStateKind::Ready,
        reason_id: None,
    });
    let waiting = desk.view(now).agent.unwrap();
    assert_eq!(waiting.state, AgentStateKind::NotReady);
    assert_eq!(waiting.requested, Some(AgentStateKind::Ready));

    desk.apply_snapshot(&snapshot("ready", &[]), at("2024-03-05T09:00:00Z"));

    let agent = desk.view(at("2024-03-05T09:00:01Z")).agent.unwrap();
    assert_eq!(agent.state, AgentStateKind::Ready);
    assert_eq!(agent.requested, None);
}

#[test]
fn a_request_stays_in_flight_until_finesse_shows_the_asked_reason() {
    let now = at("2024-03-05T12:00:00Z");
    let mut desk = desk_with("not_ready_lunch_embedded", &[], now);
    desk.request_state(not_ready(Some("3")));

    // An update that still says Lunch is not the answer to "Team Meeting".
    desk.apply_snapshot(&snapshot("not_ready_lunch_embedded", &[]), now + 500);
    assert_eq!(
        desk.view(now).agent.unwrap().requested,
        Some(AgentStateKind::NotReady)
    );

    desk.apply_snapshot(&snapshot("not_ready_meeting_by_id", &[]), now + 900);
    assert_eq!(desk.view(now).agent.unwrap().requested, None);
}

#[test]
fn a_logout_with_a_reason_is_done_when_finesse_shows_logged_out() {
    let now = at("2024-03-05T09:29:00Z");
    let mut desk = desk_with("not_ready_signed_in", &[], now);
    desk.request_state(StateRequest {
        state: AgentStateKind::LoggedOut,
        reason_id: Some("21".to_owned()),
    });

    // Finesse reports the logout without echoing the reason id.
    desk.apply_snapshot(&snapshot("logout_forced_255", &[]), now + 700);
    assert_eq!(desk.view(now + 800).agent.unwrap().requested, None);
}

#[test]
fn a_failed_request_is_cleared_by_the_shell() {
    let now = at("2024-03-05T08:59:00Z");
    let mut desk = desk_with("not_ready_signed_in", &[], now);
    desk.request_state(StateRequest {
        state: AgentStateKind::Ready,
        reason_id: None,
    });
    desk.clear_request();
    assert_eq!(desk.view(now).agent.unwrap().requested, None);
}

#[test]
fn not_ready_reason_label_comes_from_the_embedded_reason_code() {
    let now = at("2024-03-05T12:05:00Z");
    let desk = desk_with("not_ready_lunch_embedded", &[], now);

    let reason = desk.view(now).agent.unwrap().reason.unwrap();
    assert_eq!(reason.label, "Lunch");
    assert_eq!(reason.id.as_deref(), Some("2"));
    assert_eq!(reason.code, Some(12));
    assert!(!reason.system);
}

#[test]
fn not_ready_reason_label_comes_from_the_lookups_when_only_the_id_is_sent() {
    let now = at("2024-03-05T10:31:00Z");
    let desk = desk_with("not_ready_meeting_by_id", &[], now);

    let reason = desk.view(now).agent.unwrap().reason.unwrap();
    assert_eq!(reason.label, "Team Meeting");
    assert_eq!(reason.id.as_deref(), Some("3"));
    assert_eq!(reason.code, Some(13));
}

#[test]
fn a_reason_id_nobody_knows_still_reads_as_a_reason() {
    let now = at("2024-03-05T10:31:00Z");
    let mut desk = desk_with("not_ready_meeting_by_id", &[], now);
    desk.set_reason_codes(&finesse::model::ReasonCategory::NotReady, Vec::new());

    let reason = desk.view(now).agent.unwrap().reason.unwrap();
    assert_eq!(reason.label, "Reason 3");
}

#[test]
fn ring_no_answer_is_translated_on_ucce_and_uccx() {
    let now = at("2024-03-05T09:05:00Z");
    let desk = desk_with("not_ready_rona_ucce", &[], now);
    let reason = desk.view(now).agent.unwrap().reason.unwrap();
    assert_eq!(reason.label, "Ring no answer");
    assert_eq!(reason.code, Some(32767));
    assert!(reason.system);

    let mut uccx = Snapshot::new();
    uccx.replace_user(user("not_ready_rna_uccx"));
    uccx.replace_system_info(system_info("uccx"));
    let mut desk = desk_with("not_ready_rna_uccx", &[], now);
    desk.apply_snapshot(&uccx, now);
    let reason = desk.view(now).agent.unwrap().reason.unwrap();
    assert_eq!(reason.label, "Ring no answer");
    assert_eq!(reason.code, Some(32763));
}

#[test]
fn code_32767_means_something_else_on_uccx() {
    let uccx = Some(&DeploymentType::Uccx);
    assert_ne!(system_reason_label(32767, uccx), Some("Ring no answer"));
    assert_eq!(
        system_reason_label(32767, Some(&DeploymentType::Ucce)),
        Some("Ring no answer")
    );
    // Not knowing the platform, the UCCE meaning is the safer guess.
    assert_eq!(system_reason_label(32767, None), Some("Ring no answer"));
}

#[test]
fn system_codes_are_translated_in_plain_words() {
    let ucce = Some(&DeploymentType::Ucce);
    assert_eq!(
        system_reason_label(255, ucce),
        Some("Connection lost (forced logout)")
    );
    assert_eq!(system_reason_label(999, ucce), Some("Supervisor"));
    assert_eq!(system_reason_label(50002, ucce), Some("Connection failure"));
    assert_eq!(system_reason_label(50006, ucce), Some("Making a call"));
    assert_eq!(system_reason_label(50010, ucce), Some("Call overlap"));
    assert_eq!(system_reason_label(12, ucce), None);
}

#[test]
fn forced_logout_after_losing_the_desktop_reads_connection_lost() {
    let now = at("2024-03-05T09:31:00Z");
    let desk = desk_with("logout_forced_255", &[], now);

    let agent = desk.view(now).agent.unwrap();
    assert_eq!(agent.state, AgentStateKind::LoggedOut);
    assert_eq!(agent.extension, None);
    let reason = agent.reason.unwrap();
    assert_eq!(reason.label, "Connection lost (forced logout)");
    assert!(reason.system);
}

#[test]
fn the_servers_own_label_for_a_system_code_wins() {
    let now = at("2024-03-05T09:21:00Z");
    let desk = desk_with("not_ready_connection_failure", &[], now);
    let reason = desk.view(now).agent.unwrap().reason.unwrap();
    assert_eq!(reason.label, "Connection Failure");
    assert_eq!(reason.code, Some(50002));
    assert!(reason.system);
}

#[test]
fn not_ready_just_after_sign_in_has_no_reason() {
    let now = at("2024-03-05T08:56:00Z");
    let desk = desk_with("not_ready_signed_in", &[], now);
    let agent = desk.view(now).agent.unwrap();
    assert_eq!(agent.state, AgentStateKind::NotReady);
    assert_eq!(agent.reason, None);
}

#[test]
fn pending_state_line_names_the_reason_the_agent_chose_during_the_call() {
    let now = at("2024-03-05T09:04:00Z");
    let mut desk = desk_with("talking", &["active"], now);
    desk.request_state(not_ready(Some("2")));

    desk.apply_snapshot(
        &snapshot("talking_pending_not_ready", &["active"]),
        now + 300,
    );

    let agent = desk.view(now + 400).agent.unwrap();
    assert_eq!(agent.state, AgentStateKind::Talking);
    assert_eq!(agent.requested, None, "Finesse took the request as pending");
    let pending = agent.pending.unwrap();
    assert_eq!(pending.state, AgentStateKind::NotReady);
    assert_eq!(pending.reason_label.as_deref(), Some("Lunch"));
}

#[test]
fn a_pending_state_the_agent_did_not_ask_for_here_has_no_reason_label() {
    let now = at("2024-03-05T09:04:00Z");
    let desk = desk_with("talking_pending_not_ready", &["active"], now);
    let pending = desk.view(now).agent.unwrap().pending.unwrap();
    assert_eq!(pending.state, AgentStateKind::NotReady);
    assert_eq!(pending.reason_label, None);
}

#[test]
fn server_clock_offset_puts_state_start_on_the_local_clock() {
    // The server runs 30 s ahead of this machine.
    let local_now = at("2024-03-05T09:00:00Z");
    let mut desk = desk_with("ready", &[], local_now);
    desk.set_server_time(at("2024-03-05T09:00:30Z"), local_now);

    let agent = desk.view(local_now).agent.unwrap();
    // The server stamped 09:00:00 on its clock, which was 08:59:30 here.
    assert_eq!(agent.state_since, Some(at("2024-03-05T08:59:30Z")));
}

#[test]
fn a_state_stamped_in_the_future_starts_its_timer_now() {
    // This machine is 10 s behind the server and the offset is not measured yet.
    let local_now = at("2024-03-05T08:59:50Z");
    let desk = desk_with("ready", &[], local_now);
    assert_eq!(
        desk.view(local_now).agent.unwrap().state_since,
        Some(local_now)
    );
}

#[test]
fn the_state_switch_offers_what_finesse_allows_now() {
    let now = at("2024-03-05T09:01:00Z");
    let ready = desk_with("ready", &[], now).view(now).agent.unwrap();
    assert_eq!(ready.allowed_states, vec![AgentStateKind::NotReady]);

    let not_ready = desk_with("not_ready_signed_in", &[], now)
        .view(now)
        .agent
        .unwrap();
    assert_eq!(
        not_ready.allowed_states,
        vec![
            AgentStateKind::Ready,
            AgentStateKind::NotReady,
            AgentStateKind::LoggedOut
        ]
    );

    let reserved = desk_with("reserved", &["ringing"], now)
        .view(now)
        .agent
        .unwrap();
    assert!(reserved.allowed_states.is_empty());
}

#[test]
fn a_mobile_agent_shows_the_mode_and_the_number_called() {
    let now = at("2024-03-05T09:01:00Z");
    let desk = desk_with("mobile_agent_ready", &[], now);
    let mobile = desk.view(now).agent.unwrap().mobile_agent.unwrap();
    assert_eq!(mobile.mode, "CALL_BY_CALL");
    assert_eq!(mobile.dial_number, "4085551234");
}
