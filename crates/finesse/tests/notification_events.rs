//! Decoding XMPP pub-sub `<message>` stanzas into typed Finesse events.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use finesse::model::{AgentState, DialogState, ParticipantState, SystemStatus};
use finesse::notification::{FinesseEvent, Notification, UpdateEvent};
use finesse::xml::Limits;

fn fixture(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn notification(name: &str) -> Notification {
    Notification::from_message_xml(&fixture(&format!("notifications/{name}")))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .unwrap_or_else(|| panic!("{name}: not a notification"))
}

fn event(name: &str) -> FinesseEvent {
    notification(name)
        .classify()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn user_put_carries_the_escaped_user_document() {
    let n = notification("user_put_not_ready.xml");
    assert_eq!(n.node, "/finesse/api/User/6021");
    assert_eq!(n.update.event, UpdateEvent::Put);
    assert_eq!(n.update.source, "/finesse/api/User/6021");
    assert_eq!(n.request_id(), None, "empty requestId is none");
    let FinesseEvent::UserUpdated(user) = n.classify().unwrap() else {
        panic!("expected a user update");
    };
    assert_eq!(user.login_id, "6021");
    assert_eq!(user.state, AgentState::NotReady);
    assert_eq!(user.reason_code_id, None);
    assert_eq!(user.wrap_up_timer, Some(7200));
}

#[test]
fn notification_in_the_push_namespace_is_read_the_same() {
    let n = notification("user_put_ready_push_namespace.xml");
    assert_eq!(n.request_id(), Some("5f1c2b9e-6d1e-4c57-9d43-1b2a3c4d5e6f"));
    let FinesseEvent::UserUpdated(user) = n.classify().unwrap() else {
        panic!("expected a user update");
    };
    assert_eq!(user.state, AgentState::Ready);
}

#[test]
fn dialogs_post_adds_the_alerting_call() {
    let n = notification("dialogs_post_alerting.xml");
    assert_eq!(n.update.event, UpdateEvent::Post);
    let FinesseEvent::DialogsAdded(dialogs) = n.classify().unwrap() else {
        panic!("expected dialogs added");
    };
    assert_eq!(dialogs.len(), 1);
    assert_eq!(dialogs[0].id, "187987396");
    assert_eq!(dialogs[0].state, DialogState::Alerting);
    assert_eq!(dialogs[0].media_properties.call_variables.len(), 14);
}

#[test]
fn dialog_put_updates_one_dialog_and_names_the_request() {
    let n = notification("dialog_put_active.xml");
    assert_eq!(n.request_id(), Some("9a8b7c6d-answer-0001"));
    let FinesseEvent::DialogUpdated(dialog) = n.classify().unwrap() else {
        panic!("expected a dialog update");
    };
    assert_eq!(dialog.state, DialogState::Active);
    assert_eq!(
        dialog.participant_for("6007").unwrap().state,
        ParticipantState::Active
    );
}

#[test]
fn dialogs_delete_removes_the_ended_call() {
    let FinesseEvent::DialogsRemoved(dialogs) = event("dialogs_delete.xml") else {
        panic!("expected dialogs removed");
    };
    assert_eq!(dialogs[0].id, "187987396");
    assert_eq!(dialogs[0].state, DialogState::Dropped);
}

#[test]
fn dialog_cti_error_is_correlated_by_request_id() {
    let n = notification("dialog_api_errors_request_id.xml");
    assert_eq!(n.request_id(), Some("c0ffee00-hold-0042"));
    let FinesseEvent::ApiErrors { source, errors } = n.classify().unwrap() else {
        panic!("expected api errors");
    };
    assert_eq!(source, "/finesse/api/Dialog/187987396");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].error_type.as_deref(),
        Some("Call Operation Failure")
    );
    assert_eq!(
        errors[0].error_message.as_deref(),
        Some("CF_RESOURCE_OUT_OF_SERVICE")
    );
    assert_eq!(errors[0].error_code(), Some(34));
}

#[test]
fn user_error_with_lower_case_put_and_reordered_children() {
    let n = notification("user_api_errors_lowercase_put.xml");
    assert_eq!(
        n.update.event,
        UpdateEvent::Put,
        "event compared without case"
    );
    assert_eq!(n.request_id(), None);
    let FinesseEvent::ApiErrors { source, errors } = n.classify().unwrap() else {
        panic!("expected api errors");
    };
    assert_eq!(source, "/finesse/api/User/6021");
    let error = &errors[0];
    assert_eq!(error.error_type.as_deref(), Some("Invalid Device"));
    assert_eq!(
        error.error_message.as_deref(),
        Some("CF_INVALID_LOGON_DEVICE_SPECIFIED")
    );
    assert_eq!(error.error_data.as_deref(), Some("260"));
    assert_eq!(error.peripheral_error_code.as_deref(), Some("10125"));
    assert_eq!(
        error.peripheral_error_msg.as_deref(),
        Some("PERERR_TELDRIVE_NODEVICETARGETFORNETTARGETID")
    );
    assert!(error
        .peripheral_error_text
        .as_deref()
        .unwrap()
        .starts_with("A device target"));
}

#[test]
fn team_user_update_names_the_team_from_the_node() {
    let FinesseEvent::TeamMemberUpdated { team_id, member } = event("team_user_update.xml") else {
        panic!("expected a team member update");
    };
    assert_eq!(team_id, "5005");
    assert_eq!(member.login_id, "6022");
    assert_eq!(member.state, AgentState::NotReady);
    assert_eq!(member.reason_code.unwrap().label, "Lunch");
}

#[test]
fn whole_team_payload_is_a_team_update() {
    let FinesseEvent::TeamUpdated(team) = event("team_update.xml") else {
        panic!("expected a team update");
    };
    assert_eq!(team.id, "34");
    assert_eq!(team.users.len(), 3);
}

#[test]
fn system_info_out_of_service_is_reported() {
    let FinesseEvent::SystemInfoUpdated(info) = event("system_info_out_of_service.xml") else {
        panic!("expected a system info update");
    };
    assert_eq!(info.status, SystemStatus::OutOfService);
    assert_eq!(
        info.alternate_host("fin-a.example.com"),
        Some("fin-b.example.com")
    );
}

#[test]
fn queue_statistics_update_is_reported() {
    let FinesseEvent::QueueUpdated(queue) = event("queue_update.xml") else {
        panic!("expected a queue update");
    };
    assert_eq!(queue.id, "1234");
    assert_eq!(queue.statistics.calls_in_queue, Some(5));
}

#[test]
fn update_sent_as_child_xml_is_tolerated() {
    let FinesseEvent::DialogUpdated(dialog) = event("dialog_put_update_as_child.xml") else {
        panic!("expected a dialog update");
    };
    assert_eq!(dialog.id, "187987396");
}

#[test]
fn non_pubsub_messages_are_not_notifications() {
    for name in [
        "chat_message.xml",
        "headline_without_items.xml",
        "items_retract_only.xml",
    ] {
        let decoded =
            Notification::from_message_xml(&fixture(&format!("notifications/{name}"))).unwrap();
        assert_eq!(decoded, None, "{name}");
    }
}

#[test]
fn nonvoice_and_unknown_payloads_are_other_not_errors() {
    assert_eq!(
        event("media_dialogs_post.xml"),
        FinesseEvent::Other {
            node: "/finesse/api/User/6007/Dialogs/Media".into(),
            source: "/finesse/api/User/6007/Dialogs/Media".into()
        }
    );
    assert!(matches!(
        event("team_message_post.xml"),
        FinesseEvent::Other { .. }
    ));
}

#[test]
fn errors_on_nonvoice_nodes_are_still_reported() {
    let n = notification("media_api_error.xml");
    assert_eq!(n.request_id(), Some("media-req-7"));
    let FinesseEvent::ApiErrors { source, errors } = n.classify().unwrap() else {
        panic!("expected api errors");
    };
    assert_eq!(source, "/finesse/api/User/6007/Media/5001");
    assert_eq!(errors[0].error_media.as_deref(), Some("5001"));
    assert_eq!(errors[0].error_code(), Some(22));
}

#[test]
fn garbage_update_text_is_an_update_error() {
    let err = Notification::from_message_xml(&fixture("notifications/garbage_update_text.xml"))
        .unwrap_err();
    assert_eq!(err.code(), "update_malformed");
}

#[test]
fn a_document_that_is_not_an_update_is_refused() {
    let err =
        Notification::from_message_xml(&fixture("notifications/not_an_update.xml")).unwrap_err();
    assert_eq!(err.code(), "not_an_update");
}

#[test]
fn empty_notification_is_an_error() {
    let err = Notification::from_message_xml(&fixture("notifications/empty_notification.xml"))
        .unwrap_err();
    assert_eq!(err.code(), "notification_empty");
}

#[test]
fn update_without_source_is_an_error() {
    let err = Notification::from_message_xml(&fixture("notifications/update_missing_source.xml"))
        .unwrap_err();
    assert_eq!(err.code(), "update_missing_field");
}

#[test]
fn unreadable_payload_is_a_classification_error() {
    let err = notification("dialog_put_without_id.xml")
        .classify()
        .unwrap_err();
    assert_eq!(err.code(), "payload_invalid");
}

#[test]
fn truncated_stanza_is_a_stanza_error() {
    let full = fixture("notifications/dialog_put_active.xml");
    let err = Notification::from_message_xml(&full[..full.len() - 40]).unwrap_err();
    assert_eq!(err.code(), "stanza_malformed");
}

#[test]
fn stanza_over_the_size_limit_is_refused() {
    let stanza = fixture("notifications/dialogs_post_alerting.xml");
    let limits = Limits {
        max_bytes: 1024,
        max_depth: 32,
    };
    let err = Notification::from_message_xml_with_limits(&stanza, limits).unwrap_err();
    assert_eq!(err.code(), "stanza_malformed");
    assert!(err.to_string().contains("1024"), "{err}");
}

#[test]
fn parsed_message_element_decodes_like_text() {
    let xml = fixture("notifications/dialog_put_active.xml");
    let element = finesse::xml::parse(&xml).unwrap();
    let from_element = Notification::from_message(&element).unwrap();
    assert_eq!(from_element, Notification::from_message_xml(&xml).unwrap());
    assert_eq!(Notification::all_from_message(&element).unwrap().len(), 1);
}

#[test]
fn events_serialize_with_a_kind_tag() {
    let json = serde_json::to_value(event("team_user_update.xml")).unwrap();
    assert_eq!(json["kind"], "teamMemberUpdated");
    assert_eq!(json["data"]["teamId"], "5005");
    assert_eq!(json["data"]["member"]["state"], "NOT_READY");
}
