//! The tray: icon per state, tooltip with the timer, and a menu that does everything.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod desk_support;

use desk_support::*;
use finesse::session::{ConnectionState, Millis, SessionError};
use ringside_core::desk::{
    format_elapsed, AgentStateKind, StateRequest, TrayCommand, TrayIcon, TrayMenuEntry,
    TrayMenuItem, TrayView,
};

fn icon(user: &str, dialogs: &[&str]) -> TrayIcon {
    let now = at("2024-03-05T09:30:00Z");
    desk_with(user, dialogs, now).tray(now).icon
}

fn item<'a>(tray: &'a TrayView, id: &str) -> &'a TrayMenuItem {
    tray.menu
        .iter()
        .flat_map(|entry| match entry {
            TrayMenuEntry::Item(item) => vec![item],
            TrayMenuEntry::Submenu { items, .. } => items.iter().collect(),
            _ => vec![],
        })
        .find(|item| item.id == id)
        .unwrap_or_else(|| panic!("no menu item {id}"))
}

fn submenu<'a>(tray: &'a TrayView, label: &str) -> (bool, &'a [TrayMenuItem]) {
    tray.menu
        .iter()
        .find_map(|entry| match entry {
            TrayMenuEntry::Submenu {
                label: l,
                enabled,
                items,
            } if l == label => Some((*enabled, items.as_slice())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no submenu {label}"))
}

fn reconnecting() -> ConnectionState {
    ConnectionState::Reconnecting {
        node: "fin-b.example.com".to_owned(),
        attempt: 2,
        since: Millis(0),
        last_error: SessionError::ConnectionLost,
    }
}

#[test]
fn tray_icon_follows_the_agent_state() {
    assert_eq!(icon("ready", &[]), TrayIcon::Ready);
    assert_eq!(icon("not_ready_lunch_embedded", &[]), TrayIcon::NotReady);
    assert_eq!(icon("reserved", &["ringing"]), TrayIcon::Ringing);
    assert_eq!(icon("talking", &["active"]), TrayIcon::Talking);
    assert_eq!(icon("hold", &["held"]), TrayIcon::Talking);
    assert_eq!(icon("work", &[]), TrayIcon::WrapUp);
    assert_eq!(icon("work_ready", &[]), TrayIcon::WrapUp);
    assert_eq!(icon("logout_forced_255", &[]), TrayIcon::Offline);
}

#[test]
fn a_call_ringing_while_talking_shows_the_ringing_icon() {
    assert_eq!(
        icon("talking", &["consult", "second_call_ringing"]),
        TrayIcon::Ringing
    );
}

#[test]
fn tray_is_offline_while_reconnecting_whatever_the_last_state() {
    let now = at("2024-03-05T09:02:10Z");
    let mut desk = desk_with("talking", &["active"], now);
    desk.apply_connection(&reconnecting(), now + 1_000);

    let tray = desk.tray(now + 2_000);
    assert_eq!(tray.icon, TrayIcon::Offline);
    assert_eq!(tray.tooltip, "Offline — reconnecting to fin-b.example.com");
    assert!(!item(&tray, "ready").enabled);
    let (not_ready_enabled, _) = submenu(&tray, "Not Ready");
    assert!(!not_ready_enabled);
    assert!(item(&tray, "open").enabled && item(&tray, "quit").enabled);
    // Finesse cannot be asked for a Logout now; the agent can still leave the session.
    let sign_out = item(&tray, "sign-out");
    assert!(sign_out.enabled);
    assert_eq!(sign_out.label, "Sign out");
}

#[test]
fn tooltip_gives_the_state_and_its_timer() {
    let now = at("2024-03-05T09:00:42Z");
    let desk = desk_with("ready", &[], now);
    assert_eq!(desk.tray(now).tooltip, "Ready — 00:42");

    let lunch = desk_with("not_ready_lunch_embedded", &[], now);
    assert_eq!(
        lunch.tray(at("2024-03-05T12:12:03Z")).tooltip,
        "Not Ready (Lunch) — 12:03"
    );
    assert_eq!(format_elapsed(3_723_000), "1:02:03");
}

#[test]
fn tooltip_names_the_caller_while_ringing() {
    let now = at("2024-03-05T09:02:01Z");
    let desk = desk_with("reserved", &["ringing"], now);
    assert_eq!(desk.tray(now).tooltip, "Incoming call — 4085550123");
}

#[test]
fn menu_offers_what_a_ready_agent_may_do_on_ucce() {
    let now = at("2024-03-05T09:01:00Z");
    let tray = desk_with("ready", &[], now).tray(now);

    let ready = item(&tray, "ready");
    assert!(!ready.enabled && ready.checked);
    let (enabled, reasons) = submenu(&tray, "Not Ready");
    assert!(enabled);
    let labels: Vec<&str> = reasons.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, vec!["Break", "Lunch", "Team Meeting"]);
    assert_eq!(reasons[2].id, "not-ready:3");
    let (logout_enabled, logout) = submenu(&tray, "Sign out");
    assert!(!logout_enabled, "UCCE wants Not Ready before Logout");
    assert_eq!(logout[0].id, "logout:21");
}

#[test]
fn signing_out_while_connected_always_goes_through_the_logout_reasons() {
    // A plain "Sign out" would send a Logout without the reason Finesse requires.
    let now = at("2024-03-05T12:01:00Z");
    let tray = desk_with("not_ready_lunch_embedded", &[], now).tray(now);
    let plain: Vec<&TrayMenuItem> = tray
        .menu
        .iter()
        .filter_map(|entry| match entry {
            TrayMenuEntry::Item(item) if item.id == "sign-out" => Some(item),
            _ => None,
        })
        .collect();
    assert!(plain.is_empty(), "{:?}", tray.menu);
    let (enabled, reasons) = submenu(&tray, "Sign out");
    assert!(enabled);
    assert!(reasons.iter().all(|r| r.id.starts_with("logout:")));
}

#[test]
fn menu_ticks_the_current_reason() {
    let now = at("2024-03-05T12:01:00Z");
    let tray = desk_with("not_ready_lunch_embedded", &[], now).tray(now);
    assert!(item(&tray, "not-ready:2").checked);
    assert!(!item(&tray, "not-ready:1").checked);
    assert!(item(&tray, "ready").enabled);
    let (logout_enabled, _) = submenu(&tray, "Sign out");
    assert!(logout_enabled);
}

#[test]
fn without_configured_reasons_not_ready_is_a_plain_item() {
    let now = at("2024-03-05T09:01:00Z");
    let mut desk = desk_with("ready", &[], now);
    desk.set_reason_codes(&finesse::model::ReasonCategory::NotReady, Vec::new());
    let tray = desk.tray(now);
    let not_ready = item(&tray, "not-ready");
    assert!(not_ready.enabled);
    assert_eq!(not_ready.label, "Not Ready");
}

#[test]
fn menu_ids_turn_back_into_commands() {
    for command in [
        TrayCommand::Ready,
        TrayCommand::NotReady { reason_id: None },
        TrayCommand::NotReady {
            reason_id: Some("2".to_owned()),
        },
        TrayCommand::Logout {
            reason_id: Some("21".to_owned()),
        },
        TrayCommand::Open,
        TrayCommand::SignOut,
        TrayCommand::Quit,
    ] {
        assert_eq!(TrayCommand::from_id(&command.id()), Some(command));
    }
    assert_eq!(TrayCommand::from_id("ready:7"), None);
    assert_eq!(TrayCommand::from_id("not-ready:"), None);
    assert_eq!(TrayCommand::from_id("dance"), None);
    assert_eq!(
        TrayCommand::from_id("not-ready:2").unwrap().state_request(),
        Some(StateRequest {
            state: AgentStateKind::NotReady,
            reason_id: Some("2".to_owned())
        })
    );
    assert_eq!(TrayCommand::Quit.state_request(), None);
}

#[test]
fn a_supervisor_with_a_team_sees_the_team_counts() {
    let now = at("2024-03-05T09:05:00Z");
    let mut snapshot = snapshot("supervisor_not_ready", &[]);
    snapshot.replace_team(team("sales"));
    let mut desk = desk_with("supervisor_not_ready", &[], now);
    desk.apply_snapshot(&snapshot, now);

    let tray = desk.tray(now);
    assert!(tray.menu.contains(&TrayMenuEntry::Label {
        text: "Team: 2 ready · 1 not ready · 2 talking".to_owned()
    }));
}

#[test]
fn an_agent_sees_no_team_line() {
    let now = at("2024-03-05T09:05:00Z");
    let mut snapshot = snapshot("ready", &[]);
    snapshot.replace_team(team("sales"));
    let mut desk = desk_with("ready", &[], now);
    desk.apply_snapshot(&snapshot, now);

    let tray = desk.tray(now);
    assert!(!tray
        .menu
        .iter()
        .any(|e| matches!(e, TrayMenuEntry::Label { .. })));
}

#[test]
fn the_tray_view_serialises_for_the_shell() {
    let now = at("2024-03-05T09:00:42Z");
    let json = serde_json::to_value(desk_with("ready", &[], now).tray(now)).unwrap();
    assert_eq!(json["icon"], "ready");
    assert_eq!(json["menu"][0]["kind"], "item");
    assert_eq!(json["menu"][0]["id"], "ready");
}
