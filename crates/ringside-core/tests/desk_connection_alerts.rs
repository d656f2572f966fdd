//! The connection banner, requests across a lost connection, sign-out, alerts and lookups.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod desk_support;

use desk_support::*;
use finesse::session::{ConnectionState, Millis, SessionError};
use ringside_core::desk::{
    AgentStateKind, AlertLevel, CallAction, ConnectionStatus, Desk, StateRequest, MAX_ALERTS,
};

fn reconnecting(attempt: u32, node: &str) -> ConnectionState {
    ConnectionState::Reconnecting {
        node: node.to_owned(),
        attempt,
        since: Millis(1234),
        last_error: SessionError::Unreachable {
            message: "connection refused".to_owned(),
        },
    }
}

#[test]
fn banner_says_connecting_with_the_node_and_attempt() {
    let mut desk = Desk::new();
    let now = at("2024-03-05T08:50:00Z");
    desk.apply_connection(
        &ConnectionState::Connecting {
            node: "fin-a.example.com".to_owned(),
            attempt: 1,
        },
        now,
    );
    let banner = desk.view(now).connection;
    assert_eq!(banner.status, ConnectionStatus::Connecting);
    assert_eq!(banner.node.as_deref(), Some("fin-a.example.com"));
    assert_eq!(banner.attempt, Some(1));
    assert_eq!(banner.since, Some(now));
}

#[test]
fn reconnecting_keeps_its_start_time_across_attempts_and_nodes() {
    let lost = at("2024-03-05T09:40:00Z");
    let mut desk = desk_with("ready", &[], lost - 60_000);
    desk.apply_connection(&reconnecting(1, "fin-a.example.com"), lost);
    desk.apply_connection(&reconnecting(2, "fin-b.example.com"), lost + 4_000);

    let banner = desk.view(lost + 4_500).connection;
    assert_eq!(banner.status, ConnectionStatus::Reconnecting);
    assert_eq!(banner.since, Some(lost));
    assert_eq!(banner.node.as_deref(), Some("fin-b.example.com"));
    assert_eq!(banner.attempt, Some(2));
    assert_eq!(banner.reason_code.as_deref(), Some("unreachable"));
    assert!(banner.detail.unwrap().contains("connection refused"));
    // The agent still sees their last known state under the banner.
    assert_eq!(desk.view(lost).agent.unwrap().state, AgentStateKind::Ready);

    desk.apply_connection(&connected(), lost + 6_000);
    let banner = desk.view(lost + 6_000).connection;
    assert_eq!(banner.status, ConnectionStatus::Connected);
    assert_eq!(banner.since, Some(lost + 6_000));
    assert_eq!(banner.reason_code, None);
}

#[test]
fn banner_explains_out_of_service_elsewhere_and_failure() {
    let now = at("2024-03-05T09:40:00Z");
    let mut desk = desk_with("ready", &[], now);

    desk.apply_connection(
        &ConnectionState::OutOfService {
            node: "fin-a.example.com".to_owned(),
            reason: "CTI server connection lost".to_owned(),
        },
        now,
    );
    let banner = desk.view(now).connection;
    assert_eq!(banner.status, ConnectionStatus::OutOfService);
    assert_eq!(banner.reason_code.as_deref(), Some("out_of_service"));
    assert_eq!(banner.detail.as_deref(), Some("CTI server connection lost"));

    desk.apply_connection(&ConnectionState::SignedInElsewhere, now + 1);
    let banner = desk.view(now).connection;
    assert_eq!(banner.status, ConnectionStatus::SignedInElsewhere);
    assert_eq!(banner.reason_code.as_deref(), Some("signed_in_elsewhere"));

    desk.apply_connection(
        &ConnectionState::Failed {
            error: SessionError::AuthenticationFailed {
                message: "UNAUTHORIZED".to_owned(),
            },
        },
        now + 2,
    );
    let banner = desk.view(now).connection;
    assert_eq!(banner.status, ConnectionStatus::Failed);
    assert_eq!(banner.reason_code.as_deref(), Some("authentication_failed"));
    assert_eq!(banner.since, Some(now + 2));
}

#[test]
fn losing_the_connection_ends_every_request_in_flight() {
    let now = at("2024-03-05T09:02:10Z");
    let mut desk = desk_with("talking", &["active"], now);
    desk.request_state(StateRequest {
        state: AgentStateKind::NotReady,
        reason_id: Some("1".to_owned()),
    });
    desk.mark_action("16817", CallAction::Hold);

    desk.apply_connection(&reconnecting(1, "fin-a.example.com"), now + 1_000);

    let view = desk.view(now + 1_000);
    assert_eq!(view.agent.unwrap().requested, None);
    assert_eq!(view.calls[0].pending_action, None);
}

#[test]
fn signing_out_forgets_the_agent_and_calls_but_keeps_alerts() {
    let now = at("2024-03-05T09:02:10Z");
    let mut desk = desk_with("talking", &["active"], now);
    desk.push_alert(AlertLevel::Info, "signed_out", "You signed out.", now);

    desk.apply_connection(&ConnectionState::Disconnected, now + 1_000);

    let view = desk.view(now + 1_000);
    assert_eq!(view.connection.status, ConnectionStatus::SignedOut);
    assert!(view.agent.is_none());
    assert!(view.calls.is_empty());
    assert_eq!(view.alerts.len(), 1);
    assert!(desk.lookups().not_ready_reasons.is_empty());
}

#[test]
fn alerts_are_capped_and_dismissible() {
    let mut desk = Desk::new();
    let ids: Vec<u64> = (0..MAX_ALERTS + 2)
        .map(|i| {
            desk.push_alert(
                AlertLevel::Error,
                "rejected",
                format!("request {i} refused"),
                1_000 + i as i64,
            )
        })
        .collect();

    let alerts = desk.view(0).alerts;
    assert_eq!(alerts.len(), MAX_ALERTS);
    // The two oldest went first.
    assert_eq!(alerts[0].id, ids[2]);
    assert_eq!(alerts.last().unwrap().message, "request 6 refused");

    assert!(desk.dismiss_alert(ids[3]));
    assert!(!desk.dismiss_alert(ids[3]), "already gone");
    assert!(!desk.dismiss_alert(ids[0]), "dropped by the cap");
    let left: Vec<u64> = desk.view(0).alerts.iter().map(|a| a.id).collect();
    assert_eq!(left, vec![ids[2], ids[4], ids[5], ids[6]]);
}

#[test]
fn the_same_alert_again_moves_to_the_end_instead_of_repeating() {
    let mut desk = Desk::new();
    let first = desk.push_alert(
        AlertLevel::Warning,
        "not_ready_long",
        "Not Ready for 15 min",
        1,
    );
    desk.push_alert(AlertLevel::Error, "rejected", "Hold refused", 2);
    let again = desk.push_alert(
        AlertLevel::Warning,
        "not_ready_long",
        "Not Ready for 15 min",
        3,
    );

    assert_eq!(first, again);
    let alerts = desk.view(0).alerts;
    assert_eq!(alerts.len(), 2);
    assert_eq!(alerts[1].id, first);
    assert_eq!(alerts[1].at, 3);
}

#[test]
fn lookups_list_what_the_agent_may_pick() {
    let desk = desk_with("ready", &[], 0);
    let lookups = desk.lookups();
    let not_ready: Vec<(&str, &str)> = lookups
        .not_ready_reasons
        .iter()
        .map(|r| (r.id.as_str(), r.label.as_str()))
        .collect();
    assert_eq!(
        not_ready,
        vec![("1", "Break"), ("2", "Lunch"), ("3", "Team Meeting")]
    );
    assert_eq!(lookups.logout_reasons.len(), 2);
    assert_eq!(
        lookups.wrap_up_reasons,
        vec!["Sales Call", "Product Question"]
    );
}

#[test]
fn the_desk_view_serialises_as_the_ui_expects() {
    let now = at("2024-03-05T09:02:01Z");
    let desk = desk_with("reserved", &["ringing"], now);
    let json = serde_json::to_value(desk.view(now)).unwrap();
    assert_eq!(json["connection"]["status"], "connected");
    assert_eq!(json["agent"]["state"], "reserved");
    assert_eq!(json["calls"][0]["actions"][0], "answer");
    assert_eq!(
        json["calls"][0]["callData"][0]["shortLabel"],
        "Customer Name"
    );
}
