//! The supervisor's own card for a silent monitor call: it names the agent being monitored
//! and the customer when the dialog lists them, never the supervisor's own extension.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod desk_support;

use desk_support::*;
use ringside_core::desk::{CallDirection, CallView, Desk};

fn monitor_card(dialog: &str) -> CallView {
    let now = at("2024-03-05T09:06:10Z");
    let mut desk: Desk = desk_with("supervisor_not_ready", &[], now);
    desk.set_layout(Some(layout("layout_with_addresses")));
    desk.apply_snapshot(&snapshot("supervisor_not_ready", &[dialog]), now);
    let mut calls = desk.view(now).calls;
    assert_eq!(calls.len(), 1);
    calls.remove(0)
}

fn data<'a>(card: &'a CallView, label: &str) -> Option<&'a str> {
    card.call_data
        .iter()
        .find(|item| item.label == label)
        .map(|item| item.value.as_str())
}

#[test]
fn a_monitor_card_names_the_monitored_agent_and_the_customer_as_caller() {
    let card = monitor_card("silent_monitor");
    assert_eq!(card.direction, CallDirection::Monitor);
    assert_eq!(card.other_party, "1001001");
    assert_eq!(data(&card, "Caller"), Some("4085550123"));
    assert_eq!(
        card.dialed_number, None,
        "the monitor request's target is the agent, already named"
    );
    assert_eq!(data(&card, "Number dialed"), None);
}

#[test]
fn a_monitor_card_without_the_customer_never_calls_the_supervisor_the_caller() {
    let card = monitor_card("silent_monitor_without_customer");
    assert_eq!(card.other_party, "1001001");
    assert_eq!(data(&card, "Caller"), None);
    assert_eq!(data(&card, "Customer Name"), Some("Maria Lopez"));
    assert!(card.call_data.iter().all(|item| item.value != "1001005"));
}

#[test]
fn an_ordinary_call_still_shows_its_addresses_in_the_call_data() {
    let now = at("2024-03-05T09:02:10Z");
    let mut desk = desk_with("talking", &["active"], now);
    desk.set_layout(Some(layout("layout_with_addresses")));
    let card = desk.view(now).calls.remove(0);
    assert_eq!(data(&card, "Caller"), Some("4085550123"));
    assert_eq!(data(&card, "Number dialed"), Some("8005551000"));
    assert_eq!(card.dialed_number.as_deref(), Some("8005551000"));
}
