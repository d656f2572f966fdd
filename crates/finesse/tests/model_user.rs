//! Reading Finesse User documents: the documented shape, real 12.5 captures and quirks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use finesse::model::{
    AgentState, DeviceSelection, FromXml, MobileAgentMode, ModelError, ReasonCategory, Role, User,
    WrapUpMode,
};

fn fixture(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn user(path: &str) -> User {
    User::from_xml(&fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn documented_user_reads_every_field() {
    let user = user("user/documented.xml");
    assert_eq!(user.uri, "/finesse/api/User/1001001");
    assert_eq!(user.login_id, "1001001");
    assert_eq!(user.login_name.as_deref(), Some("csmith"));
    assert_eq!(user.roles, vec![Role::Agent, Role::Supervisor]);
    assert!(user.is_supervisor());
    assert_eq!(user.state, AgentState::NotReady);
    assert_eq!(
        user.state_changed_at().unwrap().to_rfc3339(),
        "2012-03-01T17:58:21.234+00:00"
    );
    assert_eq!(user.pending_state, None, "empty pendingState means none");
    assert_eq!(user.reason_code_id.as_deref(), Some("16"));
    let code = user.reason_code.as_ref().unwrap();
    assert_eq!(code.id, "16");
    assert_eq!(code.code, Some(10));
    assert_eq!(code.label, "Team Meeting");
    assert_eq!(code.category, ReasonCategory::NotReady);
    assert!(code.for_all);
    assert!(!code.system_code);
    assert_eq!(
        user.settings.wrap_up_on_incoming,
        Some(WrapUpMode::Optional)
    );
    assert_eq!(
        user.settings.wrap_up_on_outgoing,
        Some(WrapUpMode::NotAllowed)
    );
    assert_eq!(
        user.settings.device_selection,
        Some(DeviceSelection::Flag(true))
    );
    assert_eq!(user.extension.as_deref(), Some("1001001"));
    let mobile = user.mobile_agent.as_ref().unwrap();
    assert_eq!(mobile.mode, MobileAgentMode::CallByCall);
    assert_eq!(mobile.dial_number, "4085551234");
    assert_eq!(user.full_name(), "Chris Smith");
    assert_eq!(user.team_id.as_deref(), Some("500"));
    assert_eq!(user.team_name.as_deref(), Some("Sales"));
    assert_eq!(user.skill_target_id.as_deref(), Some("6067"));
    assert_eq!(user.media_type.as_deref(), Some("1"));
    assert_eq!(
        user.dialogs_uri.as_deref(),
        Some("/finesse/api/User/1001001/Dialogs")
    );
    assert_eq!(user.teams.len(), 1);
    assert_eq!(user.teams[0].id, "2001");
    assert_eq!(user.teams[0].name.as_deref(), Some("First Line Support"));
    assert_eq!(user.services, vec!["AgentAnswers".to_owned()]);
}

#[test]
fn real_12_5_user_in_alphabetical_order_with_minus_one_reason() {
    let user = user("user/real_12_5_alphabetical.xml");
    assert_eq!(user.login_id, "6021");
    assert_eq!(user.state, AgentState::NotReady);
    assert_eq!(user.reason_code_id, None, "-1 means no reason code");
    assert_eq!(user.reason_code, None);
    assert_eq!(user.wrap_up_timer, Some(7200));
    assert_eq!(user.full_name(), "LPU Test 21");
    assert_eq!(user.teams[0].id, "5005");
    assert_eq!(user.teams[0].uri.as_deref(), Some("/finesse/api/Team/5005"));
    assert_eq!(user.settings.device_selection, None);
    assert!(user.mobile_agent.is_none());
    assert!(user.devices.is_empty());
}

#[test]
fn lower_case_root_and_lower_case_reason_code_are_read() {
    let user = user("user/lowercase_root_reason_code.xml");
    assert_eq!(user.login_id, "1001003");
    assert!(!user.is_supervisor());
    let code = user.reason_code.expect("reasonCode in lower case");
    assert_eq!(
        code.id, "45",
        "id comes from the uri tail when <id> is absent"
    );
    assert_eq!(code.code, Some(50002));
    assert_eq!(code.label, "Connection Failure");
    assert!(code.system_code);
    assert_eq!(
        user.settings.wrap_up_on_incoming,
        Some(WrapUpMode::RequiredWithWrapUpData)
    );
    assert_eq!(
        user.settings.wrap_up_on_outgoing,
        Some(WrapUpMode::Required)
    );
}

#[test]
fn mobile_agent_with_devices_is_read() {
    let user = user("user/mobile_agent_devices.xml");
    assert!(user.is_mobile_agent());
    let mobile = user.mobile_agent.unwrap();
    assert_eq!(mobile.mode, MobileAgentMode::NailedConnection);
    assert_eq!(mobile.dial_number, "+14085559876");
    assert_eq!(user.active_device_id.as_deref(), Some("CSFJP5550016"));
    assert_eq!(user.devices.len(), 2, "a device without an id is dropped");
    assert_eq!(user.devices[1].device_id, "SEP00AABBCCDDEE");
    assert_eq!(
        user.devices[1].device_type_name.as_deref(),
        Some("Cisco 8865")
    );
    assert_eq!(
        user.settings.device_selection.unwrap().is_enabled(),
        Some(true)
    );
    assert_eq!(user.state, AgentState::Ready);
}

#[test]
fn talking_agent_with_a_pending_not_ready() {
    let user = user("user/talking_pending_not_ready.xml");
    assert_eq!(user.state, AgentState::Talking);
    assert_eq!(user.pending_state, Some(AgentState::NotReady));
}

#[test]
fn logged_out_user_after_restart_has_no_extension_or_time() {
    let user = user("user/logout_after_restart.xml");
    assert_eq!(user.state, AgentState::Logout);
    assert!(!user.state.is_signed_in());
    assert_eq!(user.extension, None);
    assert_eq!(user.state_change_time, None);
    assert_eq!(user.state_changed_at(), None);
    assert_eq!(user.reason_code_id, None);
    assert_eq!(user.settings.wrap_up_on_incoming, None);
}

#[test]
fn unknown_values_are_kept_not_rejected() {
    let user = user("user/unknown_values.xml");
    assert_eq!(user.state, AgentState::Other("ON_BREAK".into()));
    assert_eq!(
        user.pending_state,
        Some(AgentState::Other("napping".into()))
    );
    assert_eq!(user.roles[1], Role::Other("Administrator".into()));
    assert_eq!(
        user.settings.wrap_up_on_incoming,
        Some(WrapUpMode::Other("SOMETIMES".into()))
    );
    assert_eq!(
        user.settings.device_selection,
        Some(DeviceSelection::Text("auto".into()))
    );
    assert_eq!(
        user.mobile_agent.as_ref().unwrap().mode,
        MobileAgentMode::Other("TELEPATHY".into())
    );
    assert_eq!(user.wrap_up_timer, None, "an unparsable number is absent");
    assert_eq!(
        user.uri, "/finesse/api/User/jdoe",
        "uri derived from loginId"
    );
    assert_eq!(user.full_name(), "jdoe");
}

#[test]
fn user_without_state_is_missing_a_field() {
    let err = User::from_xml(&fixture("user/missing_state.xml")).unwrap_err();
    assert_eq!(err.code(), "missing_field");
    assert_eq!(
        err,
        ModelError::MissingField {
            object: "User",
            field: "state"
        }
    );
}

#[test]
fn user_without_login_id_or_uri_is_missing_a_field() {
    let err = User::from_xml(&fixture("user/missing_identity.xml")).unwrap_err();
    assert_eq!(
        err,
        ModelError::MissingField {
            object: "User",
            field: "loginId"
        }
    );
}

#[test]
fn a_dialog_document_is_not_a_user() {
    let err = User::from_xml(&fixture("dialog/documented_active.xml")).unwrap_err();
    assert_eq!(err.code(), "unexpected_root");
}

#[test]
fn truncated_user_is_an_xml_error() {
    let full = fixture("user/documented.xml");
    let err = User::from_xml(&full[..full.len() / 2]).unwrap_err();
    assert_eq!(err.code(), "xml");
}

#[test]
fn oversized_document_is_refused_before_parsing() {
    let huge = format!(
        "<User><loginId>1</loginId><state>READY</state><x>{}</x></User>",
        "a".repeat(17 * 1024 * 1024)
    );
    let err = User::from_xml(&huge).unwrap_err();
    assert!(
        matches!(err, ModelError::Xml(ref xml) if xml.code() == "xml_too_large"),
        "{err:?}"
    );
}

#[test]
fn users_can_be_read_through_the_generic_trait() {
    let user = <User as FromXml>::read_xml(&fixture("user/documented.xml")).unwrap();
    assert_eq!(User::ROOT, "User");
    assert_eq!(user.login_id, "1001001");
}

#[test]
fn user_serializes_to_camel_case_json_with_wire_states() {
    let user = user("user/documented.xml");
    let json = serde_json::to_value(&user).unwrap();
    assert_eq!(json["loginId"], "1001001");
    assert_eq!(json["state"], "NOT_READY");
    assert_eq!(json["reasonCode"]["category"], "NOT_READY");
    assert_eq!(json["settings"]["wrapUpOnIncoming"], "OPTIONAL");
    let back: User = serde_json::from_value(json).unwrap();
    assert_eq!(back, user);
}
