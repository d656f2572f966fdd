//! Call cards, the ring, the pop-up and the notification.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod desk_support;

use desk_support::*;
use finesse::model::ReasonCategory;
use finesse::session::{ConnectionState, SessionError};
use ringside_core::desk::{CallAction, CallDirection, CallState, Desk, PopUpItem};

fn item(label: &str, value: &str) -> PopUpItem {
    PopUpItem {
        label: label.to_owned(),
        value: value.to_owned(),
    }
}

#[test]
fn ringing_call_shows_pop_up_with_two_call_data_items_and_answer() {
    let now = at("2024-03-05T09:02:01Z");
    let desk = desk_with("reserved", &["ringing"], now);

    assert!(desk.should_ring());
    let pop_up = desk.incoming_call().unwrap();
    assert_eq!(pop_up.call_id, "16817");
    assert_eq!(pop_up.caller, "4085550123");
    assert_eq!(pop_up.dialed_number.as_deref(), Some("8005551000"));
    assert_eq!(
        pop_up.items,
        vec![
            item("Customer Name", "Jane Doe"),
            item("Customer account number", "12345678")
        ]
    );
    assert!(pop_up.can_answer);

    let card = &desk.view(now).calls[0];
    assert_eq!(card.state, CallState::Ringing);
    assert_eq!(card.actions, vec![CallAction::Answer]);
}

#[test]
fn without_pop_over_marks_the_pop_up_shows_the_first_three_values() {
    let now = at("2024-03-05T09:02:01Z");
    let mut desk = desk_with("reserved", &["ringing"], now);
    desk.set_layout(Some(layout("layout_without_pop_over")));

    let pop_up = desk.incoming_call().unwrap();
    // callVariable2 is empty, so it is skipped.
    assert_eq!(
        pop_up.items,
        vec![
            item("Customer Name", "Jane Doe"),
            item("Tier", "Gold"),
            item("Account", "12345678")
        ]
    );
}

#[test]
fn answered_call_stops_ringing_and_closes_the_pop_up() {
    let now = at("2024-03-05T09:02:01Z");
    let mut desk = desk_with("reserved", &["ringing"], now);
    assert!(desk.should_ring());

    desk.apply_snapshot(&snapshot("talking", &["active"]), now + 4_000);

    assert!(!desk.should_ring());
    assert_eq!(desk.incoming_call(), None);
    assert_eq!(desk.notification_for_incoming(), None);
    assert_eq!(desk.view(now).calls[0].state, CallState::Active);
}

#[test]
fn call_vanishing_while_the_pop_up_is_open_leaves_no_pop_up_and_no_ring() {
    let now = at("2024-03-05T09:02:01Z");
    let mut desk = desk_with("reserved", &["ringing"], now);
    assert!(desk.incoming_call().is_some());

    // Ring-no-answer: Finesse deletes the dialog and puts the agent Not Ready.
    desk.apply_snapshot(&snapshot("not_ready_rona_ucce", &[]), now + 12_000);

    assert!(!desk.should_ring());
    assert_eq!(desk.incoming_call(), None);
    assert!(desk.view(now).calls.is_empty());
}

#[test]
fn a_closed_pop_up_stays_closed_while_the_call_keeps_ringing() {
    let now = at("2024-03-05T09:02:01Z");
    let mut desk = desk_with("reserved", &["ringing"], now);
    desk.dismiss_pop_up("16817");

    assert_eq!(desk.incoming_call(), None);
    assert!(desk.should_ring(), "the phone still rings");
    assert!(desk.notification_for_incoming().is_some());

    // The next call pops up again.
    desk.apply_snapshot(
        &snapshot("reserved", &["second_call_ringing"]),
        now + 60_000,
    );
    assert_eq!(desk.incoming_call().unwrap().call_id, "16820");
}

#[test]
fn an_outbound_call_ringing_at_the_far_end_does_not_ring_here() {
    let now = at("2024-03-05T09:15:03Z");
    let desk = desk_with("talking", &["outbound_ringing_far_end"], now);

    assert!(!desk.should_ring());
    assert_eq!(desk.incoming_call(), None);
    let card = &desk.view(now).calls[0];
    assert_eq!(card.state, CallState::Dialing);
    assert_eq!(card.direction, CallDirection::Outbound);
    assert_eq!(card.other_party, "4085559999");
}

#[test]
fn nothing_rings_while_the_connection_is_down() {
    let now = at("2024-03-05T09:02:01Z");
    let mut desk = desk_with("reserved", &["ringing"], now);
    desk.apply_connection(
        &ConnectionState::Reconnecting {
            node: "fin-b.example.com".to_owned(),
            attempt: 1,
            since: finesse::session::Millis(0),
            last_error: SessionError::ConnectionLost,
        },
        now + 1_000,
    );
    assert!(!desk.should_ring());
    assert_eq!(desk.incoming_call(), None);
}

#[test]
fn a_mobile_agent_is_rung_on_the_extension_finesse_reports() {
    let now = at("2024-03-05T09:20:01Z");
    let desk = desk_with("mobile_agent_ready", &["ringing_mobile_agent"], now);
    assert!(desk.should_ring());
    assert_eq!(desk.incoming_call().unwrap().caller, "4085550777");
}

#[test]
fn held_call_shows_retrieve_not_hold() {
    let now = at("2024-03-05T09:03:30Z");
    let desk = desk_with("hold", &["held"], now);

    let card = &desk.view(now).calls[0];
    assert_eq!(card.state, CallState::Held);
    assert_eq!(
        card.actions,
        vec![
            CallAction::Retrieve,
            CallAction::Drop,
            CallAction::UpdateCallData
        ]
    );
    assert_eq!(card.state_since, Some(at("2024-03-05T09:03:00Z")));
}

#[test]
fn buttons_come_only_from_the_agents_own_participant() {
    let now = at("2024-03-05T09:02:10Z");
    let desk = desk_with("talking", &["active"], now);

    let card = &desk.view(now).calls[0];
    assert_eq!(
        card.actions,
        vec![
            CallAction::Hold,
            CallAction::Drop,
            CallAction::ConsultCall,
            CallAction::TransferSst,
            CallAction::SendDtmf,
            CallAction::UpdateCallData,
        ]
    );
    assert!(!card.actions.contains(&CallAction::Answer));
    let me: Vec<_> = card.participants.iter().filter(|p| p.is_me).collect();
    assert_eq!(me.len(), 1);
    assert_eq!(me[0].address, "1001001");
}

#[test]
fn a_desk_without_an_extension_offers_no_buttons() {
    let now = at("2024-03-05T09:31:00Z");
    let desk = desk_with("logout_forced_255", &["active"], now);
    assert!(desk.view(now).calls[0].actions.is_empty());
}

#[test]
fn calls_are_ordered_ringing_then_active_then_held() {
    let now = at("2024-03-05T09:05:01Z");
    let desk = desk_with("talking", &["held", "second_call_ringing", "consult"], now);

    let calls = desk.view(now).calls;
    let order: Vec<(&str, CallState)> = calls.iter().map(|c| (c.id.as_str(), c.state)).collect();
    assert_eq!(
        order,
        vec![
            ("16820", CallState::Ringing),
            ("16818", CallState::Active),
            ("16817", CallState::Held)
        ]
    );
    let consult = &calls[1];
    assert_eq!(consult.direction, CallDirection::Consult);
    assert_eq!(consult.other_party, "1001002");
    assert!(consult.participants.iter().any(|p| p.is_agent && !p.is_me));
}

#[test]
fn an_inbound_call_card_names_the_caller_and_the_number_dialed() {
    let now = at("2024-03-05T09:02:10Z");
    let desk = desk_with("talking", &["active"], now);
    let card = &desk.view(now).calls[0];
    assert_eq!(card.direction, CallDirection::Inbound);
    assert_eq!(card.other_party, "4085550123");
    assert_eq!(card.dialed_number.as_deref(), Some("8005551000"));
    assert_eq!(card.call_type.as_deref(), Some("PREROUTE_ACD_IN"));
    assert_eq!(card.started, Some(at("2024-03-05T09:02:00Z")));
    assert!(!card.is_monitoring);
}

#[test]
fn a_silent_monitor_call_is_shown_and_marked() {
    let now = at("2024-03-05T09:06:10Z");
    let mut desk = desk_with("supervisor_not_ready", &["silent_monitor"], now);
    desk.set_reason_codes(&ReasonCategory::NotReady, Vec::new());

    let calls = desk.view(now).calls;
    assert_eq!(calls.len(), 1);
    assert!(calls[0].is_monitoring);
    assert_eq!(calls[0].direction, CallDirection::Monitor);
    assert_eq!(calls[0].other_party, "1001001");
    assert_eq!(calls[0].actions, vec![CallAction::Drop]);
    assert!(!desk.should_ring());
}

#[test]
fn call_data_follows_the_layout_and_leaves_out_empty_values() {
    let now = at("2024-03-05T09:02:10Z");
    let desk = desk_with("talking", &["active"], now);

    let data = &desk.view(now).calls[0].call_data;
    let rows: Vec<(&str, &str, &str)> = data
        .iter()
        .map(|d| (d.key.as_str(), d.label.as_str(), d.value.as_str()))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("callVariable1", "Customer Name", "Jane Doe"),
            ("user.cisco.acctnum", "Customer account number", "12345678"),
            ("callVariable3", "Tier", "Gold"),
            ("queueName", "Queue", "Sales.SG"),
            // No display name: the key is the label.
            ("user.case.number", "user.case.number", "CASE-0042"),
        ]
    );
    assert!(data[0].in_pop_up && data[1].in_pop_up && !data[2].in_pop_up);
}

#[test]
fn long_keys_are_cut_at_15_characters_with_the_full_label_kept() {
    let now = at("2024-03-05T09:02:10Z");
    let desk = desk_with("talking", &["active"], now);
    let data = &desk.view(now).calls[0].call_data;

    let account = data.iter().find(|d| d.key == "user.cisco.acctnum").unwrap();
    assert_eq!(account.label, "Customer account number");
    assert_eq!(account.short_label, "Customer accoun…");
    let case = data.iter().find(|d| d.key == "user.case.number").unwrap();
    assert_eq!(case.short_label, "user.case.numbe…");
    let tier = data.iter().find(|d| d.key == "callVariable3").unwrap();
    assert_eq!(tier.short_label, "Tier");
    let name = data.iter().find(|d| d.key == "callVariable1").unwrap();
    assert_eq!(name.short_label, "Customer Name", "13 characters fit");
}

#[test]
fn without_a_layout_call_variables_come_first_then_ecc_labelled_by_key() {
    let now = at("2024-03-05T09:02:10Z");
    let mut desk = desk_with("talking", &["active"], now);
    desk.set_layout(None);

    let keys: Vec<String> = desk.view(now).calls[0]
        .call_data
        .iter()
        .map(|d| format!("{}={}", d.label, d.value))
        .collect();
    assert_eq!(
        keys,
        vec![
            "callVariable1=Jane Doe",
            "callVariable3=Gold",
            "user.cisco.acctnum=12345678",
            "user.case.number=CASE-0042"
        ]
    );
}

#[test]
fn an_action_in_flight_spins_until_finesse_no_longer_offers_it() {
    let now = at("2024-03-05T09:02:10Z");
    let mut desk = desk_with("talking", &["active"], now);
    desk.mark_action("16817", CallAction::Hold);
    assert_eq!(
        desk.view(now).calls[0].pending_action,
        Some(CallAction::Hold)
    );

    // Still ACTIVE and still offering HOLD: not done yet.
    desk.apply_snapshot(&snapshot("talking", &["active"]), now + 200);
    assert_eq!(
        desk.view(now).calls[0].pending_action,
        Some(CallAction::Hold)
    );

    desk.apply_snapshot(&snapshot("hold", &["held"]), now + 600);
    assert_eq!(desk.view(now).calls[0].pending_action, None);
}

#[test]
fn a_failed_action_is_cleared_by_the_shell() {
    let now = at("2024-03-05T09:02:10Z");
    let mut desk = desk_with("talking", &["active"], now);
    desk.mark_action("16817", CallAction::Hold);
    desk.clear_action("16817");
    assert_eq!(desk.view(now).calls[0].pending_action, None);
}

#[test]
fn the_notification_says_who_is_calling_in_plain_words() {
    let now = at("2024-03-05T09:02:01Z");
    let desk = desk_with("reserved", &["ringing"], now);

    let note = desk.notification_for_incoming().unwrap();
    assert_eq!(note.call_id, "16817");
    assert_eq!(note.title, "Incoming call from 4085550123");
    assert_eq!(
        note.body,
        "Dialed 8005551000\nCustomer Name: Jane Doe\nCustomer account number: 12345678"
    );
}

#[test]
fn a_new_desk_shows_nothing() {
    let desk = Desk::new();
    let view = desk.view(0);
    assert!(view.agent.is_none() && view.calls.is_empty() && view.wrap_up.is_none());
    assert!(!desk.should_ring());
}
