use super::*;
use crate::config::{Flavour, LabConfig};

#[test]
fn sign_in_puts_the_agent_not_ready_with_reason_minus_one() {
    let mut c = demo();
    sign_in(&mut c, secs(1), "1001", "2001");
    let pubs = c.take_publications();
    let user = pubs
        .iter()
        .find(|p| p.node == "/finesse/api/User/1001")
        .unwrap();
    assert_eq!(
        data_text(user, &["user", "state"]).as_deref(),
        Some("NOT_READY")
    );
    assert_eq!(
        data_text(user, &["user", "reasonCodeId"]).as_deref(),
        Some("-1")
    );
    assert_eq!(
        data_text(user, &["user", "extension"]).as_deref(),
        Some("2001")
    );
    assert!(pubs.iter().any(|p| p.node == "/finesse/api/Team/1/Users"));
}

#[test]
fn ready_omits_the_reason_code_id() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    let pubs = c.take_publications();
    let last = pubs
        .iter()
        .rev()
        .find(|p| p.node == "/finesse/api/User/1001")
        .unwrap();
    assert_eq!(
        data_text(last, &["user", "state"]).as_deref(),
        Some("READY")
    );
    assert!(!last.update.contains("reasonCodeId"));
}

#[test]
fn not_ready_requires_a_reason_when_codes_exist() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    let reply = put_user(
        &mut c,
        secs(2),
        "1001",
        "1001",
        "<User><state>NOT_READY</state></User>",
    );
    assert_eq!(reply.status, 400);
    assert!(reply
        .body
        .contains("<ErrorType>Parameter Missing</ErrorType>"));
    assert_eq!(state(&c, "1001"), AgentState::Ready);
    let reply = put_user(
        &mut c,
        secs(2),
        "1001",
        "1001",
        "<User><state>NOT_READY</state><reasonCodeId>4</reasonCodeId></User>",
    );
    assert_eq!(reply.status, 400, "code 4 belongs to team 2 only");
    not_ready(&mut c, secs(3), "1001", "2");
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(agent.state, AgentState::NotReady);
    assert_eq!(agent.reason_code, Some(11));
}

#[test]
fn not_ready_without_configured_codes_takes_no_reason() {
    let mut config = LabConfig::demo();
    config.reason_codes.clear();
    let mut c = with(config);
    ready_agent(&mut c, secs(1), "1001");
    let reply = put_user(
        &mut c,
        secs(2),
        "1001",
        "1001",
        "<User><state>NOT_READY</state></User>",
    );
    assert_eq!(reply.status, 202);
    assert_eq!(c.truth().agent("1001").unwrap().reason_code_id, None);
}

#[test]
fn ucce_refuses_logout_from_ready_but_uccx_allows_it() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    let logout = "<User><state>LOGOUT</state><reasonCodeId>5</reasonCodeId></User>";
    let reply = put_user(&mut c, secs(2), "1001", "1001", logout);
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("<ErrorType>Invalid State</ErrorType>"));
    assert_eq!(state(&c, "1001"), AgentState::Ready);

    let mut config = LabConfig::demo();
    config.flavour = Flavour::Uccx;
    let mut c = with(config);
    ready_agent(&mut c, secs(1), "1001");
    assert_eq!(
        put_user(&mut c, secs(2), "1001", "1001", logout).status,
        202
    );
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(agent.state, AgentState::Logout);
    assert_eq!(agent.extension, None);
    assert_eq!(agent.reason_code, Some(20));
}

#[test]
fn state_change_while_signed_out_fails_asynchronously_with_invalid_state() {
    let mut c = demo();
    let reply = put_user(
        &mut c,
        secs(1),
        "1001",
        "1001",
        "<User><state>READY</state></User>",
    );
    assert_eq!(reply.status, 202);
    let pubs = c.take_publications();
    assert_eq!(pubs.len(), 1);
    assert_eq!(pubs[0].node, "/finesse/api/User/1001");
    assert!(pubs[0]
        .update
        .contains("<errorMessage>CF_INVALID_OBJECT_STATE</errorMessage>"));
    assert!(pubs[0].update.contains("<requestId>req-1001</requestId>"));
    assert!(pubs[0].update.ends_with("<event>put</event></Update>"));
}

#[test]
fn unknown_state_values_are_invalid_input() {
    let mut c = demo();
    sign_in(&mut c, secs(1), "1001", "2001");
    for state in ["WORK", "TALKING", "ready", "FOO"] {
        let reply = put_user(
            &mut c,
            secs(2),
            "1001",
            "1001",
            &format!("<User><state>{state}</state></User>"),
        );
        assert_eq!(reply.status, 400, "{state}");
        assert!(
            reply.body.contains("Invalid State specified for user"),
            "{state}"
        );
    }
    assert_eq!(state(&c, "1001"), AgentState::NotReady);
}

#[test]
fn forced_sign_in_keeps_the_current_state() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    sign_in(&mut c, secs(2), "1001", "2001");
    assert_eq!(state(&c, "1001"), AgentState::Ready);
}

#[test]
fn signing_in_on_an_unknown_or_busy_extension_fails_asynchronously() {
    let mut c = demo();
    sign_in(&mut c, secs(1), "1001", "9999");
    let pubs = c.take_publications();
    assert!(pubs[0]
        .update
        .contains("<errorType>Invalid Device</errorType>"));
    assert!(pubs[0]
        .update
        .contains("<peripheralErrorCode>10125</peripheralErrorCode>"));
    assert_eq!(state(&c, "1001"), AgentState::Logout);

    sign_in(&mut c, secs(2), "1002", "2002");
    sign_in(&mut c, secs(3), "1001", "2002");
    let pubs = c.take_publications();
    assert!(pubs.last().unwrap().update.contains("CF_DEVICE_IN_USE"));
    assert_eq!(state(&c, "1001"), AgentState::Logout);
}

#[test]
fn supervisor_changes_only_agents_of_supervised_teams_without_reason() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    ready_agent(&mut c, secs(1), "1011");
    sign_in(&mut c, secs(1), "1000", "2000");
    let nr = "<User><state>NOT_READY</state></User>";
    assert_eq!(
        put_user(&mut c, secs(2), "1000", "1011", nr).status,
        401,
        "team 2 is not supervised"
    );
    let with_reason = "<User><state>NOT_READY</state><reasonCodeId>1</reasonCodeId></User>";
    let reply = put_user(&mut c, secs(2), "1000", "1001", with_reason);
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("Invalid Input"));
    assert_eq!(put_user(&mut c, secs(3), "1000", "1001", nr).status, 202);
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.reason_code),
        (AgentState::NotReady, Some(999))
    );
    let logout = "<User><state>LOGOUT</state></User>";
    assert_eq!(
        put_user(&mut c, secs(4), "1000", "1001", logout).status,
        202
    );
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.reason_code),
        (AgentState::Logout, Some(999))
    );
}

#[test]
fn uccx_supervisor_codes_are_33_and_22() {
    let mut config = LabConfig::demo();
    config.flavour = Flavour::Uccx;
    let mut c = with(config);
    ready_agent(&mut c, secs(1), "1001");
    sign_in(&mut c, secs(1), "1000", "2000");
    put_user(
        &mut c,
        secs(2),
        "1000",
        "1001",
        "<User><state>NOT_READY</state></User>",
    );
    assert_eq!(c.truth().agent("1001").unwrap().reason_code, Some(33));
    put_user(
        &mut c,
        secs(3),
        "1000",
        "1001",
        "<User><state>LOGOUT</state></User>",
    );
    assert_eq!(c.truth().agent("1001").unwrap().reason_code, Some(22));
}

#[test]
fn state_change_while_talking_becomes_pending_and_applies_at_call_end() {
    let mut config = LabConfig::demo();
    config.agents[1].wrap_up_on_incoming = crate::config::WrapUpMode::NotAllowed;
    let mut c = with(config);
    ready_agent(&mut c, secs(1), "1001");
    let call = queue_call(&mut c, secs(2), "5001");
    assert_eq!(
        dialog_action(&mut c, secs(3), "1001", call, "ANSWER", "2001").status,
        202
    );
    not_ready(&mut c, secs(4), "1001", "1");
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(agent.state, AgentState::Talking);
    assert_eq!(agent.pending_state, Some(AgentState::NotReady));
    c.customer_hang_up(secs(5), call).unwrap();
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.reason_code, agent.pending_state),
        (AgentState::NotReady, Some(10), None)
    );
}

#[test]
fn pending_logout_logs_out_when_the_call_ends() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    let call = queue_call(&mut c, secs(2), "5001");
    dialog_action(&mut c, secs(3), "1001", call, "ANSWER", "2001");
    let logout = "<User><state>LOGOUT</state><reasonCodeId>6</reasonCodeId></User>";
    assert_eq!(
        put_user(&mut c, secs(4), "1001", "1001", logout).status,
        202
    );
    c.customer_hang_up(secs(5), call).unwrap();
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.reason_code),
        (AgentState::Logout, Some(21))
    );
    assert!(agent.dialogs.is_empty());
}

#[test]
fn uccx_refuses_a_pending_ready_during_a_queue_call() {
    let mut config = LabConfig::demo();
    config.flavour = Flavour::Uccx;
    let mut c = with(config);
    ready_agent(&mut c, secs(1), "1001");
    let call = queue_call(&mut c, secs(2), "5001");
    dialog_action(&mut c, secs(3), "1001", call, "ANSWER", "2001");
    c.take_publications();
    assert_eq!(
        put_user(
            &mut c,
            secs(4),
            "1001",
            "1001",
            "<User><state>READY</state></User>"
        )
        .status,
        202
    );
    let pubs = c.take_publications();
    assert_eq!(pubs.len(), 1);
    assert!(pubs[0].update.contains("<errorData>265</errorData>"));
    assert_eq!(c.truth().agent("1001").unwrap().pending_state, None);
}

#[test]
fn uccx_hold_keeps_the_agent_talking_while_ucce_reports_hold() {
    for (flavour, expected) in [
        (Flavour::Ucce, AgentState::Hold),
        (Flavour::Uccx, AgentState::Talking),
    ] {
        let mut config = LabConfig::demo();
        config.flavour = flavour;
        let mut c = with(config);
        ready_agent(&mut c, secs(1), "1001");
        let call = queue_call(&mut c, secs(2), "5001");
        dialog_action(&mut c, secs(3), "1001", call, "ANSWER", "2001");
        assert_eq!(
            dialog_action(&mut c, secs(4), "1001", call, "HOLD", "2001").status,
            202
        );
        assert_eq!(state(&c, "1001"), expected, "{flavour:?}");
        dialog_action(&mut c, secs(5), "1001", call, "RETRIEVE", "2001");
        assert_eq!(state(&c, "1001"), AgentState::Talking);
    }
}

#[test]
fn make_call_from_ready_on_ucce_goes_not_ready_with_50006() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    let body = "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2001</fromAddress><toAddress>5551234</toAddress></Dialog>";
    let reply = post_dialogs(&mut c, secs(2), "1001", body);
    assert_eq!(reply.status, 202, "{}", reply.body);
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(agent.state, AgentState::Talking);
    let call = agent.dialogs[0];
    c.customer_hang_up(secs(9), call).unwrap();
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.reason_code),
        (AgentState::NotReady, Some(50006))
    );
}
