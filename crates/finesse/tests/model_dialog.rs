//! Reading Finesse Dialog documents and the per-participant view a desktop needs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use finesse::model::{
    Action, CallType, Dialog, DialogState, MediaPropertiesLayout, ModelError, ParticipantState,
};

fn fixture(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn dialog(path: &str) -> Dialog {
    Dialog::from_xml(&fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn ucce_cvp_alerting_dialog_offers_answer_to_the_agent_only() {
    let dialog = dialog("dialog/ucce_cvp_alerting.xml");
    assert_eq!(dialog.id, "187987396");
    assert_eq!(dialog.uri, "/finesse/api/Dialog/187987396");
    assert_eq!(dialog.state, DialogState::Alerting);
    assert_eq!(dialog.associated_dialog_uri, None, "empty means absent");
    assert_eq!(dialog.from_address.as_deref(), Some("01042600114"));
    assert_eq!(dialog.to_address.as_deref(), Some("801031"));
    assert_eq!(dialog.media_type.as_deref(), Some("Voice"));
    assert_eq!(
        dialog.media_properties.call_type,
        Some(CallType::PrerouteAcdIn)
    );
    assert_eq!(dialog.media_properties.dnis.as_deref(), Some("6007"));
    assert_eq!(dialog.media_properties.outbound_classification, None);

    assert_eq!(dialog.actions_for("6007"), &[Action::Answer]);
    assert!(dialog.allows("6007", &Action::Answer));
    assert!(!dialog.allows("6007", &Action::Drop));
    let agent = dialog.participant_for("6007").unwrap();
    assert_eq!(agent.state, ParticipantState::Alerting);
    assert!(agent.is_agent_device());
    assert_eq!(
        agent.started_at().unwrap().to_rfc3339(),
        "2019-12-11T07:02:28.518+00:00"
    );
    let caller = dialog.participant_for("01042600114").unwrap();
    assert_eq!(caller.state, ParticipantState::Initiated);
    assert_eq!(caller.media_address_type, None);
    assert!(!caller.is_agent_device());
    assert!(dialog.actions_for("9999").is_empty(), "not a participant");
    assert!(dialog.participant_for("").is_none());
}

#[test]
fn call_variables_keep_document_order_and_ecc_arrays() {
    let dialog = dialog("dialog/ucce_cvp_alerting.xml");
    let names: Vec<&str> = dialog
        .media_properties
        .call_variables
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(names.len(), 14);
    assert_eq!(names[0], "callVariable1");
    assert_eq!(names[9], "callVariable10");
    assert_eq!(names[10], "user.microapp.ToExtVXML[0]");
    assert_eq!(
        dialog.call_variable("callVariable1"),
        Some("811802114801031________________")
    );
    assert_eq!(
        dialog.call_variable("callvariable3"),
        Some("KOR"),
        "any case"
    );
    assert_eq!(
        dialog.call_variable("callVariable4"),
        None,
        "empty is absent"
    );
    assert_eq!(dialog.call_variable("callVariable10"), Some("  padded  "));
    assert_eq!(
        dialog.call_variable("user.microapp.ToExtVXML[1]"),
        Some("ani=01042600114")
    );
    assert_eq!(dialog.call_variable("user.ewt"), Some("155946"));
    assert_eq!(dialog.call_variable("user.missing"), None);
    let ecc: Vec<&str> = dialog.ecc_variables().map(|v| v.name.as_str()).collect();
    assert_eq!(
        ecc,
        [
            "user.microapp.ToExtVXML[0]",
            "user.microapp.ToExtVXML[1]",
            "user.microapp.FromExtVXML[0]",
            "user.ewt"
        ]
    );
}

#[test]
fn documented_active_dialog_reads_every_field() {
    let dialog = dialog("dialog/documented_active.xml");
    let mp = &dialog.media_properties;
    assert_eq!(
        dialog.associated_dialog_uri.as_deref(),
        Some("/finesse/api/Dialog/321654")
    );
    assert_eq!(dialog.secondary_id.as_deref(), Some("12345679"));
    assert_eq!(mp.media_id.as_deref(), Some("1"));
    assert_eq!(mp.call_type, Some(CallType::AgentInside));
    assert_eq!(mp.queue_number.as_deref(), Some("5022"));
    assert_eq!(mp.queue_name.as_deref(), Some("UCM_PIM.Func.Agents.SG"));
    assert_eq!(mp.call_key_call_id.as_deref(), Some("217"));
    assert_eq!(mp.call_key_sequence_num.as_deref(), Some("1"));
    assert_eq!(mp.call_key_prefix.as_deref(), Some("152018"));
    assert_eq!(mp.wrap_up_reason.as_deref(), Some("Sales Call"));
    assert_eq!(mp.wrap_up_items, vec!["Wrong number", "Follow up"]);
    let callback = dialog.scheduled_callback_info.as_ref().unwrap();
    assert_eq!(callback.callback_time.as_deref(), Some("2014-03-07T14:30"));
    assert_eq!(callback.callback_number.as_deref(), Some("9785551212"));
    assert_eq!(
        dialog.call_guid.as_deref(),
        Some("8A2B1C3D4E5F60718293A4B5C6D7E8F9")
    );
    assert_eq!(dialog.actions_for("2002"), &[Action::Hold, Action::Drop]);
    assert_eq!(dialog.call_variable("user.myarray[2]"), Some("x"));
    assert!(!dialog.is_silent_monitor());
}

#[test]
fn active_agent_participant_lists_consult_transfer_and_dtmf() {
    let dialog = dialog("dialog/active_agent_with_caller.xml");
    assert_eq!(dialog.state, DialogState::Active);
    assert_eq!(
        dialog.actions_for("6007"),
        &[
            Action::TransferSst,
            Action::ConsultCall,
            Action::Hold,
            Action::UpdateCallData,
            Action::SendDtmf,
            Action::Drop
        ]
    );
    assert!(!dialog.allows("6007", &Action::Answer));
}

#[test]
fn dropped_participants_have_no_actions_and_a_cause() {
    let dialog = dialog("dialog/dropped_participant.xml");
    assert_eq!(dialog.state, DialogState::Dropped);
    let agent = dialog.participant_for("6007").unwrap();
    assert_eq!(agent.state, ParticipantState::Dropped);
    assert_eq!(agent.state_cause.as_deref(), Some("OTHER"));
    assert!(agent.actions.is_empty());
    assert_eq!(
        dialog.media_properties.wrap_up_reason.as_deref(),
        Some("Product Question")
    );
}

#[test]
fn silent_monitor_dialog_is_recognised_and_the_agent_has_no_actions() {
    let dialog = dialog("dialog/silent_monitor.xml");
    assert!(dialog.is_silent_monitor());
    assert_eq!(
        dialog.actions_for("1001002"),
        &[Action::BargeCall, Action::Drop]
    );
    assert!(dialog.actions_for("1001001").is_empty());
    assert!(dialog.media_properties.call_variables.is_empty());
}

#[test]
fn unknown_states_actions_and_null_call_type_are_tolerated() {
    let dialog = dialog("dialog/unknown_values.xml");
    assert_eq!(dialog.state, DialogState::Other("RINGBACK".into()));
    assert_eq!(
        dialog.uri, "/finesse/api/Dialog/151635",
        "uri derived from id"
    );
    assert_eq!(
        dialog.media_properties.call_type, None,
        "NULL after failover"
    );
    let participant = &dialog.participants[0];
    assert_eq!(participant.state, ParticipantState::Other("PARKED".into()));
    assert_eq!(
        participant.actions,
        vec![Action::Other("SNAP_FINGERS".into()), Action::Hold]
    );
    let variables = &dialog.media_properties.call_variables;
    assert_eq!(variables.len(), 1, "a variable without a name is dropped");
    assert_eq!(variables[0].name, "callVariable2");
    assert_eq!(variables[0].value, "");
}

#[test]
fn dialog_without_id_or_uri_is_missing_a_field() {
    let err = Dialog::from_xml(&fixture("dialog/missing_id.xml")).unwrap_err();
    assert_eq!(
        err,
        ModelError::MissingField {
            object: "Dialog",
            field: "id"
        }
    );
}

#[test]
fn participant_without_state_fails_the_dialog() {
    let err = Dialog::from_xml(&fixture("dialog/participant_without_state.xml")).unwrap_err();
    assert_eq!(
        err,
        ModelError::MissingField {
            object: "Participant",
            field: "state"
        }
    );
}

#[test]
fn dialogs_collection_reads_every_dialog_in_order() {
    let dialogs = Dialog::list_from_xml(&fixture("dialogs/held_and_consult.xml")).unwrap();
    assert_eq!(dialogs.len(), 2);
    let (original, consult) = (&dialogs[0], &dialogs[1]);
    assert_eq!(
        original.participant_for("6007").unwrap().state,
        ParticipantState::Held
    );
    assert!(original.allows("6007", &Action::Transfer));
    assert!(original.allows("6007", &Action::Conference));
    assert_eq!(consult.media_properties.call_type, Some(CallType::Consult));
    assert_eq!(
        consult.associated_dialog_uri.as_deref(),
        Some("/finesse/api/Dialog/187987396")
    );
}

#[test]
fn empty_dialogs_collection_is_an_empty_list() {
    let dialogs = Dialog::list_from_xml(&fixture("dialogs/empty.xml")).unwrap();
    assert!(dialogs.is_empty());
}

#[test]
fn a_single_dialog_document_reads_as_a_list_of_one() {
    let dialogs = Dialog::list_from_xml(&fixture("dialog/documented_active.xml")).unwrap();
    assert_eq!(dialogs.len(), 1);
}

#[test]
fn layout_labels_call_data_from_built_ins_and_variables() {
    let layout =
        MediaPropertiesLayout::from_xml(&fixture("layout/media_properties_layout.xml")).unwrap();
    let dialog = dialog("dialog/documented_active.xml");
    let labelled: Vec<(&str, Option<&str>)> = layout
        .entries()
        .map(|e| {
            (
                e.display_name.as_str(),
                dialog.media_property(&e.media_property),
            )
        })
        .collect();
    assert_eq!(
        labelled,
        vec![
            ("Customer Name", Some("Chuck Smith")),
            ("Customer Acct#", Some("12345")),
            ("Dialed Number", Some("2000")),
            ("", Some("2000")),
            ("Queue", Some("UCM_PIM.Func.Agents.SG")),
            ("Call Type", Some("AGENT_INSIDE")),
            ("Array item", Some("x")),
        ]
    );
    assert_eq!(dialog.media_property("fromAddress"), Some("2002"));
    assert_eq!(dialog.media_property("toAddress"), Some("2000"));
    assert_eq!(dialog.media_property("queueNumber"), Some("5022"));
    assert_eq!(dialog.media_property("wrapUpReason"), Some("Sales Call"));
    assert_eq!(
        dialog.media_property("dnis"),
        Some("2000"),
        "built-ins in any case"
    );
    assert_eq!(dialog.media_property("BACampaign"), None);
}

#[test]
fn dialog_serializes_for_json_output_and_back() {
    let dialog = dialog("dialog/ucce_cvp_alerting.xml");
    let json = serde_json::to_value(&dialog).unwrap();
    assert_eq!(json["state"], "ALERTING");
    assert_eq!(json["mediaProperties"]["callType"], "PREROUTE_ACD_IN");
    assert_eq!(json["participants"][0]["actions"][0], "ANSWER");
    let back: Dialog = serde_json::from_value(json).unwrap();
    assert_eq!(back, dialog);
}
