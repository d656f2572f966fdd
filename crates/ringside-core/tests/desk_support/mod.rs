//! Shared helpers for the desk tests: fixtures read with the finesse model, a desk set up as
//! the shell would, and wall-clock instants written as RFC 3339.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use finesse::model::{
    Dialog, MediaPropertiesLayout, ReasonCategory, ReasonCode, Snapshot, SystemInfo, Team, User,
    WrapUpReason,
};
use finesse::session::ConnectionState;
use ringside_core::desk::Desk;

pub fn fixture(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn user(name: &str) -> User {
    User::from_xml(&fixture(&format!("user/{name}.xml"))).unwrap()
}

pub fn dialog(name: &str) -> Dialog {
    Dialog::from_xml(&fixture(&format!("dialog/{name}.xml"))).unwrap()
}

pub fn layout(name: &str) -> MediaPropertiesLayout {
    MediaPropertiesLayout::from_xml(&fixture(&format!("lookups/{name}.xml"))).unwrap()
}

pub fn reasons(name: &str) -> Vec<ReasonCode> {
    ReasonCode::list_from_xml(&fixture(&format!("lookups/{name}.xml"))).unwrap()
}

pub fn wrap_up_reasons() -> Vec<WrapUpReason> {
    WrapUpReason::list_from_xml(&fixture("lookups/wrap_up_reasons.xml")).unwrap()
}

pub fn system_info(name: &str) -> SystemInfo {
    SystemInfo::from_xml(&fixture(&format!("system_info/{name}.xml"))).unwrap()
}

pub fn team(name: &str) -> Team {
    Team::from_xml(&fixture(&format!("team/{name}.xml"))).unwrap()
}

/// Unix ms of an RFC 3339 instant, e.g. `at("2024-03-05T09:00:42Z")`.
pub fn at(instant: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(instant)
        .unwrap()
        .timestamp_millis()
}

/// What the session would hold: this user with these dialogs on a UCCE system.
pub fn snapshot(user_name: &str, dialogs: &[&str]) -> Snapshot {
    let mut snapshot = Snapshot::new();
    snapshot.replace_user(user(user_name));
    snapshot.replace_dialogs(dialogs.iter().map(|name| dialog(name)).collect());
    snapshot.replace_system_info(system_info("ucce"));
    snapshot
}

pub fn connected() -> ConnectionState {
    ConnectionState::Connected {
        node: "fin-a.example.com".to_owned(),
    }
}

/// A desk as the shell sets it up after sign-in: connected, lookups loaded, clocks in step.
pub fn desk_with(user_name: &str, dialogs: &[&str], now: i64) -> Desk {
    let mut desk = Desk::new();
    desk.apply_connection(&connected(), now);
    desk.set_layout(Some(layout("layout")));
    desk.set_reason_codes(&ReasonCategory::NotReady, reasons("not_ready_reasons"));
    desk.set_reason_codes(&ReasonCategory::Logout, reasons("logout_reasons"));
    desk.set_wrap_up_reasons(wrap_up_reasons());
    desk.apply_snapshot(&snapshot(user_name, dialogs), now);
    desk
}
