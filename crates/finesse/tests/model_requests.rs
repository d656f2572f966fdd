//! Request writers produce exactly the documented bodies; validation catches documented limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use finesse::model::request::{DialogRequest, UserRequest};
use finesse::model::{Action, AgentState, CallVariable, MobileAgent, MobileAgentMode};

fn fixture(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn assert_body(xml: String, expected_fixture: &str) {
    let expected = fixture(&format!("requests/{expected_fixture}"));
    assert_eq!(xml, expected.trim(), "{expected_fixture}");
}

fn valid(request: &DialogRequest) -> String {
    request
        .validate()
        .unwrap_or_else(|e| panic!("{request:?}: {e}"));
    request.to_xml()
}

fn rejection(request: &DialogRequest) -> String {
    let err = request.validate().expect_err("should be rejected");
    assert_eq!(err.code(), "invalid_request");
    err.to_string()
}

const AGENT: &str = "1001001";

#[test]
fn sign_in_bodies_match_the_documentation() {
    let plain = UserRequest::SignIn {
        extension: AGENT.into(),
        mobile_agent: None,
        active_device_id: None,
    };
    plain.validate().unwrap();
    assert_body(plain.to_xml(), "sign_in.xml");

    let mobile = UserRequest::SignIn {
        extension: AGENT.into(),
        mobile_agent: Some(MobileAgent {
            mode: MobileAgentMode::CallByCall,
            dial_number: "4085551234".into(),
        }),
        active_device_id: None,
    };
    mobile.validate().unwrap();
    assert_body(mobile.to_xml(), "sign_in_mobile_agent.xml");

    let device = UserRequest::SignIn {
        extension: AGENT.into(),
        mobile_agent: None,
        active_device_id: Some("CSFJP5550016".into()),
    };
    device.validate().unwrap();
    assert_body(device.to_xml(), "sign_in_active_device.xml");
}

#[test]
fn state_change_bodies_match_the_documentation() {
    for (state, reason, expected) in [
        (AgentState::Ready, None, "ready.xml"),
        (
            AgentState::NotReady,
            Some("16"),
            "not_ready_with_reason.xml",
        ),
        (AgentState::Logout, Some("21"), "logout_with_reason.xml"),
    ] {
        let request = UserRequest::ChangeState {
            state,
            reason_code_id: reason.map(str::to_owned),
        };
        request.validate().unwrap();
        assert_body(request.to_xml(), expected);
    }
}

#[test]
fn system_states_cannot_be_requested() {
    for state in [AgentState::Talking, AgentState::Work, AgentState::Login] {
        let err = UserRequest::ChangeState {
            state,
            reason_code_id: None,
        }
        .validate()
        .unwrap_err();
        assert_eq!(err.code(), "invalid_request");
    }
}

#[test]
fn bad_sign_ins_are_rejected() {
    let no_extension = UserRequest::SignIn {
        extension: " ".into(),
        mobile_agent: None,
        active_device_id: None,
    };
    assert_eq!(
        no_extension.validate().unwrap_err().code(),
        "invalid_request"
    );
    let bad_mode = UserRequest::SignIn {
        extension: AGENT.into(),
        mobile_agent: Some(MobileAgent {
            mode: MobileAgentMode::Other("SOMETIMES".into()),
            dial_number: "4085551234".into(),
        }),
        active_device_id: None,
    };
    assert_eq!(bad_mode.validate().unwrap_err().code(), "invalid_request");
    let no_number = UserRequest::SignIn {
        extension: AGENT.into(),
        mobile_agent: Some(MobileAgent {
            mode: MobileAgentMode::NailedConnection,
            dial_number: String::new(),
        }),
        active_device_id: None,
    };
    assert_eq!(no_number.validate().unwrap_err().code(), "invalid_request");
}

#[test]
fn make_call_writes_media_properties_only_with_variables() {
    let plain = DialogRequest::MakeCall {
        from_address: AGENT.into(),
        to_address: "1002002".into(),
        call_variables: vec![],
    };
    assert_body(valid(&plain), "make_call.xml");
    assert!(plain.creates_dialog());
    assert_eq!(plain.requested_action(), Action::MakeCall);

    let with_data = DialogRequest::MakeCall {
        from_address: AGENT.into(),
        to_address: "1002002".into(),
        call_variables: vec![
            CallVariable::new("callVariable1", "testcallvar1"),
            CallVariable::new("user.Finesse_ecc2", "A"),
        ],
    };
    assert_body(valid(&with_data), "make_call_with_call_variables.xml");
}

#[test]
fn participant_actions_write_target_media_address() {
    for (action, expected) in [
        (Action::Answer, "answer.xml"),
        (Action::Hold, "hold.xml"),
        (Action::Retrieve, "retrieve.xml"),
        (Action::Drop, "drop.xml"),
        (Action::Transfer, "transfer.xml"),
        (Action::Conference, "conference.xml"),
    ] {
        let request = DialogRequest::Action {
            action: action.clone(),
            target_media_address: AGENT.into(),
        };
        assert_body(valid(&request), expected);
        assert_eq!(request.requested_action(), action);
        assert!(!request.creates_dialog());
    }
}

#[test]
fn consult_transfer_dtmf_and_supervisor_bodies_match_the_documentation() {
    let cases = [
        (
            DialogRequest::ConsultCall {
                to_address: "1001002".into(),
                target_media_address: AGENT.into(),
            },
            "consult_call.xml",
        ),
        (
            DialogRequest::TransferSst {
                to_address: "1001002".into(),
                target_media_address: AGENT.into(),
            },
            "transfer_sst.xml",
        ),
        (
            DialogRequest::SendDtmf {
                dtmf: "777".into(),
                target_media_address: AGENT.into(),
            },
            "send_dtmf.xml",
        ),
        (
            DialogRequest::SilentMonitor {
                from_address: "1001002".into(),
                to_address: AGENT.into(),
            },
            "silent_monitor.xml",
        ),
        (
            DialogRequest::BargeCall {
                from_address: "1001002".into(),
                to_address: AGENT.into(),
                associated_dialog_uri: "/finesse/api/Dialog/6873122".into(),
            },
            "barge_call.xml",
        ),
        (
            DialogRequest::ParticipantDrop {
                target_media_address: AGENT.into(),
            },
            "participant_drop.xml",
        ),
    ];
    for (request, expected) in cases {
        assert_body(valid(&request), expected);
    }
}

#[test]
fn update_call_data_writes_wrap_up_then_variables_escaped() {
    let wrap_up = DialogRequest::UpdateCallData {
        wrap_up_reason: Some("Sales Call".into()),
        call_variables: vec![],
    };
    assert_body(valid(&wrap_up), "update_call_data_wrap_up.xml");

    let both = DialogRequest::UpdateCallData {
        wrap_up_reason: Some("Sales Call".into()),
        call_variables: vec![
            CallVariable::new("callVariable3", "abc"),
            CallVariable::new("user.myEcc", "xyz"),
        ],
    };
    assert_body(valid(&both), "update_call_data_variables.xml");

    let escaped = DialogRequest::UpdateCallData {
        wrap_up_reason: None,
        call_variables: vec![CallVariable::new("callVariable2", "R&D <Tier 2>")],
    };
    assert_body(valid(&escaped), "update_call_data_escaped.xml");
}

#[test]
fn dtmf_outside_the_keypad_is_rejected() {
    let ok = DialogRequest::SendDtmf {
        dtmf: "0123456789*#ABCD".into(),
        target_media_address: AGENT.into(),
    };
    ok.validate().unwrap();
    for bad in ["12e4", "", "1 2", "a"] {
        let request = DialogRequest::SendDtmf {
            dtmf: bad.into(),
            target_media_address: AGENT.into(),
        };
        rejection(&request);
    }
}

#[test]
fn wrap_up_reason_over_39_bytes_is_rejected() {
    let at_limit = DialogRequest::UpdateCallData {
        wrap_up_reason: Some("x".repeat(39)),
        call_variables: vec![],
    };
    at_limit.validate().unwrap();
    let over = DialogRequest::UpdateCallData {
        wrap_up_reason: Some("x".repeat(40)),
        call_variables: vec![],
    };
    assert!(rejection(&over).contains("40 bytes"));
    // Byte length, not characters: 20 two-byte characters are 40 bytes.
    let multibyte = DialogRequest::UpdateCallData {
        wrap_up_reason: Some("é".repeat(20)),
        call_variables: vec![],
    };
    rejection(&multibyte);
}

#[test]
fn call_variable_limits_are_enforced() {
    let update = |variables: Vec<CallVariable>| DialogRequest::UpdateCallData {
        wrap_up_reason: None,
        call_variables: variables,
    };
    update(vec![CallVariable::new("callVariable10", "y".repeat(40))])
        .validate()
        .unwrap();
    rejection(&update(vec![CallVariable::new(
        "callVariable1",
        "y".repeat(41),
    )]));
    rejection(&update(vec![CallVariable::new("callVariable11", "y")]));
    rejection(&update(vec![CallVariable::new("callVariable0", "y")]));
    rejection(&update(vec![CallVariable::new("", "y")]));
    // ECC values may be longer than 40 bytes but not above 2000 in total.
    update(vec![CallVariable::new("user.notes", "n".repeat(400))])
        .validate()
        .unwrap();
    rejection(&update(vec![
        CallVariable::new("user.a", "n".repeat(1000)),
        CallVariable::new("user.b[1]", "n".repeat(1001)),
    ]));
    rejection(&update(vec![]));
}

#[test]
fn calling_yourself_is_rejected() {
    let request = DialogRequest::MakeCall {
        from_address: AGENT.into(),
        to_address: format!(" {AGENT} "),
        call_variables: vec![],
    };
    rejection(&request);
    let monitor_self = DialogRequest::SilentMonitor {
        from_address: AGENT.into(),
        to_address: AGENT.into(),
    };
    rejection(&monitor_self);
}

#[test]
fn parameterised_actions_are_refused_in_the_plain_form() {
    for action in [
        Action::ConsultCall,
        Action::SendDtmf,
        Action::MakeCall,
        Action::Other("SNAP".into()),
    ] {
        let request = DialogRequest::Action {
            action,
            target_media_address: AGENT.into(),
        };
        rejection(&request);
    }
    let empty_target = DialogRequest::Action {
        action: Action::Hold,
        target_media_address: String::new(),
    };
    rejection(&empty_target);
}

#[test]
fn barge_needs_the_monitored_dialog() {
    let request = DialogRequest::BargeCall {
        from_address: "1001002".into(),
        to_address: AGENT.into(),
        associated_dialog_uri: " ".into(),
    };
    assert!(rejection(&request).contains("associatedDialogUri"));
    assert!(request.creates_dialog());
}
