//! Call-center flows end to end, checked against the center's truth.
#![allow(clippy::unwrap_used)]
mod center_support;

use center_support::{basic, Lab};
use finesse_emulator::center::{
    Action, AgentState, CallKind, DialogState, Method, MobileMode, NodeId, ParticipantState,
    RestRequest,
};
use finesse_emulator::config::{AgentConfig, Flavour, LabConfig, Role};

fn state(lab: &Lab, agent: &str) -> AgentState {
    lab.truth().agent(agent).unwrap().state
}

#[test]
fn waiting_calls_are_served_first_come_first_served() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    let first = lab.customer_call("5003");
    lab.wait(1);
    let second = lab.customer_call("5001");
    lab.ready("1001");
    assert_eq!(
        lab.dialogs_of("1001"),
        vec![first],
        "the Billing call waited longer"
    );
    assert_eq!(
        lab.truth().queue("5001").unwrap().waiting_calls,
        vec![second]
    );
}

#[test]
fn ring_no_answer_moves_the_call_to_the_next_agent() {
    let mut lab = Lab::demo();
    lab.sign_in("1001", "2001");
    lab.ready("1001");
    lab.wait(1);
    lab.sign_in("1002", "2002");
    lab.ready("1002");
    let call = lab.customer_call("5001");
    assert_eq!(lab.dialogs_of("1001"), vec![call]);
    lab.wait(15);
    let truth = lab.truth();
    assert_eq!(truth.agent("1001").unwrap().reason_code, Some(32767));
    assert_eq!(truth.agent("1002").unwrap().dialogs, vec![call]);
    assert_eq!(truth.agent("1002").unwrap().state, AgentState::Reserved);
    assert_eq!(lab.act("1002", call, "ANSWER", "2002").status, 202);
    assert_eq!(state(&lab, "1002"), AgentState::Talking);
}

#[test]
fn call_by_call_mobile_agent_is_dialed_for_every_call() {
    let mut lab = Lab::demo();
    let body = "<User><state>LOGIN</state><extension>3019</extension><mobileAgent><mode>CALL_BY_CALL</mode><dialNumber>4085551234</dialNumber></mobileAgent></User>";
    assert_eq!(lab.put_user("1019", "1019", body).status, 202);
    lab.ready("1019");
    for n in 1..=2 {
        let call = lab.customer_call("5002");
        let mobile = lab
            .truth()
            .agent("1019")
            .unwrap()
            .mobile_agent
            .clone()
            .unwrap();
        assert_eq!(
            (mobile.mode, mobile.dial_outs, mobile.node),
            (MobileMode::CallByCall, n, NodeId::A)
        );
        lab.act("1019", call, "ANSWER", "3019");
        lab.center.customer_hang_up(lab.now, call).unwrap();
        lab.ready("1019");
    }
}

#[test]
fn nailed_connection_mobile_agent_is_dialed_once_at_sign_in() {
    let mut lab = Lab::demo();
    let body = "<User><state>LOGIN</state><extension>3020</extension><mobileAgent><mode>NAILED_CONNECTION</mode><dialNumber>4085559999</dialNumber></mobileAgent></User>";
    assert_eq!(lab.put_user("1020", "1020", body).status, 202);
    lab.ready("1020");
    let call = lab.customer_call("5002");
    lab.act("1020", call, "ANSWER", "3020");
    assert_eq!(
        lab.truth()
            .agent("1020")
            .unwrap()
            .mobile_agent
            .as_ref()
            .unwrap()
            .dial_outs,
        1
    );
    lab.center.customer_hang_up(lab.now, call).unwrap();
    lab.ready("1020");
    let body = "<User><state>LOGOUT</state><reasonCodeId>5</reasonCodeId></User>";
    lab.not_ready("1020", "1");
    assert_eq!(lab.put_user("1020", "1020", body).status, 202);
    assert_eq!(lab.truth().agent("1020").unwrap().mobile_agent, None);
}

#[test]
fn mobile_agent_not_allowed_fails_asynchronously() {
    let mut lab = Lab::demo();
    let body = "<User><state>LOGIN</state><extension>3019</extension><mobileAgent><mode>CALL_BY_CALL</mode><dialNumber>4085551234</dialNumber></mobileAgent></User>";
    assert_eq!(lab.put_user("1001", "1001", body).status, 202);
    let events = lab.events();
    assert!(events[0]
        .update
        .contains("<errorType>Mode Not Allowed</errorType>"));
    assert_eq!(state(&lab, "1001"), AgentState::Logout);
}

#[test]
fn conference_then_caller_hangs_up_ends_it_for_both_agents() {
    let (mut lab, call) = Lab::with_answered_call(&[("1002", "2002")]);
    lab.act_to("1001", call, "CONSULT_CALL", "2001", "2002");
    let consult = lab.dialogs_of("1002")[0];
    lab.act("1002", consult, "ANSWER", "2002");
    assert_eq!(lab.act("1001", call, "CONFERENCE", "2001").status, 202);
    lab.center.customer_hang_up(lab.now, call).unwrap();
    let truth = lab.truth();
    assert_eq!(
        truth.call(call).unwrap().participants.len(),
        2,
        "two agents remain"
    );
    assert_eq!(truth.call(call).unwrap().state, DialogState::Active);
    lab.act("1002", call, "DROP", "2002");
    let truth = lab.truth();
    assert_eq!(truth.agent("1001").unwrap().state, AgentState::WorkReady);
    assert_eq!(
        truth.agent("1002").unwrap().state,
        AgentState::Work,
        "1002 was NOT_READY before the call"
    );
}

#[test]
fn dropping_the_consult_call_takes_transfer_off_the_held_call() {
    let (mut lab, call) = Lab::with_answered_call(&[("1002", "2002")]);
    lab.act_to("1001", call, "CONSULT_CALL", "2001", "2002");
    let consult = lab.dialogs_of("1002")[0];
    let held = |lab: &Lab| {
        lab.truth()
            .call(call)
            .unwrap()
            .participant("2001")
            .unwrap()
            .actions
            .clone()
    };
    assert!(held(&lab).contains(&Action::Transfer));
    lab.clear_events();
    assert_eq!(lab.act("1001", consult, "DROP", "2001").status, 202);
    assert!(!held(&lab).contains(&Action::Transfer));
    let events = lab.events();
    let last_a = events
        .iter()
        .rev()
        .find(|p| p.node == "/finesse/api/User/1001/Dialogs")
        .unwrap();
    assert!(
        last_a.update.contains(&format!("<id>{call}</id>")),
        "the held call is re-sent without TRANSFER"
    );
    assert_eq!(state(&lab, "1001"), AgentState::Hold);
    assert_eq!(state(&lab, "1002"), AgentState::NotReady);
    lab.act("1001", call, "RETRIEVE", "2001");
    assert_eq!(state(&lab, "1001"), AgentState::Talking);
}

#[test]
fn consult_to_an_outside_number_and_transfer_hands_the_call_out() {
    let (mut lab, call) = Lab::with_answered_call(&[]);
    lab.act_to("1001", call, "CONSULT_CALL", "2001", "+14155550199");
    lab.wait(3);
    let consult = lab
        .dialogs_of("1001")
        .into_iter()
        .find(|&d| d != call)
        .unwrap();
    assert_eq!(
        lab.truth().call(consult).unwrap().state,
        DialogState::Active
    );
    assert_eq!(lab.act("1001", call, "TRANSFER", "2001").status, 202);
    let truth = lab.truth();
    assert!(truth.calls.is_empty(), "the call left the contact center");
    assert_eq!(truth.agent("1001").unwrap().state, AgentState::WorkReady);
}

#[test]
fn busy_outside_number_fails_the_call() {
    let mut config = LabConfig::demo();
    config.external.busy_numbers = vec!["5550000".into()];
    let mut lab = Lab::with(config);
    lab.sign_in("1001", "2001");
    let body = "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2001</fromAddress><toAddress>5550000</toAddress></Dialog>";
    assert_eq!(lab.post_dialogs("1001", body).status, 202);
    let call = lab.dialogs_of("1001")[0];
    let truth = lab.truth();
    let dialog = truth.call(call).unwrap();
    assert_eq!(dialog.state, DialogState::Failed);
    assert_eq!(
        dialog.participant("2001").unwrap().state,
        ParticipantState::Failed
    );
    assert_eq!(
        dialog.participant("2001").unwrap().actions,
        vec![Action::Drop]
    );
    lab.act("1001", call, "DROP", "2001");
    assert!(lab.truth().calls.is_empty());
    assert_eq!(state(&lab, "1001"), AgentState::NotReady);
}

#[test]
fn barge_then_supervisor_leaves() {
    let (mut lab, call) = Lab::with_answered_call(&[("1000", "2000")]);
    let monitor = "<Dialog><requestedAction>SILENT_MONITOR</requestedAction><fromAddress>2000</fromAddress><toAddress>2001</toAddress></Dialog>";
    lab.post_dialogs("1000", monitor);
    let monitor_call = lab.dialogs_of("1000")[0];
    assert_eq!(
        lab.truth().call(monitor_call).unwrap().kind,
        CallKind::Monitor
    );
    // The monitored agent cannot act on the monitor call.
    assert_eq!(lab.act("1001", monitor_call, "DROP", "2001").status, 401);
    let barge = format!(
        "<Dialog><requestedAction>BARGE_CALL</requestedAction><fromAddress>2000</fromAddress><toAddress>2001</toAddress><associatedDialogUri>/finesse/api/Dialog/{monitor_call}</associatedDialogUri></Dialog>"
    );
    assert_eq!(lab.post_dialogs("1000", &barge).status, 202);
    assert_eq!(lab.act("1000", call, "DROP", "2000").status, 202);
    let truth = lab.truth();
    assert_eq!(truth.call(call).unwrap().participants.len(), 2);
    assert_eq!(truth.agent("1000").unwrap().state, AgentState::NotReady);
    assert_eq!(truth.agent("1001").unwrap().state, AgentState::Talking);
}

#[test]
fn supervisor_logout_of_a_talking_agent_waits_for_the_call_to_end() {
    let (mut lab, call) = Lab::with_answered_call(&[("1000", "2000")]);
    assert_eq!(
        lab.put_user("1000", "1001", "<User><state>LOGOUT</state></User>")
            .status,
        202
    );
    let agent = lab.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.pending_state, agent.pending_reason_code),
        (AgentState::Talking, Some(AgentState::Logout), Some(999))
    );
    lab.center.customer_hang_up(lab.now, call).unwrap();
    let agent = lab.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.reason_code),
        (AgentState::Logout, Some(999))
    );
}

#[test]
fn supervisor_ends_an_agents_wrap_up() {
    let (mut lab, call) = Lab::with_answered_call(&[("1000", "2000")]);
    lab.center.customer_hang_up(lab.now, call).unwrap();
    assert_eq!(state(&lab, "1001"), AgentState::WorkReady);
    assert_eq!(
        lab.put_user("1000", "1001", "<User><state>READY</state></User>")
            .status,
        202
    );
    assert_eq!(state(&lab, "1001"), AgentState::Ready);
    assert!(lab.dialogs_of("1001").is_empty());
}

#[test]
fn administrators_read_anyone_but_cannot_sign_in_or_call() {
    let mut config = LabConfig::demo();
    config.agents.push(AgentConfig {
        id: "9000".into(),
        login_name: "admin".into(),
        password: "ringside".into(),
        first_name: "Ada".into(),
        last_name: "Min".into(),
        roles: vec![Role::Administrator],
        ..AgentConfig::default()
    });
    let mut lab = Lab::with(config);
    assert_eq!(lab.get("9000", "/finesse/api/User/1015").status, 200);
    assert_eq!(lab.get("9000", "/finesse/api/Team/2").status, 200);
    assert_eq!(lab.get("9000", "/finesse/api/User/4444").status, 404);
    let users = lab.get("9000", "/finesse/api/Users");
    assert_eq!(
        finesse_xml::parse(&users.body)
            .unwrap()
            .children_named("User")
            .count(),
        22
    );
    let reply = lab.put_user(
        "9000",
        "9000",
        "<User><state>LOGIN</state><extension>2001</extension></User>",
    );
    assert_eq!(reply.status, 401);
    assert!(reply.body.contains("Invalid Authorization User Specified"));
}

#[test]
fn events_come_only_from_nodes_in_service() {
    let mut lab = Lab::demo();
    lab.center
        .set_node_status(lab.now, NodeId::B, false, "CTI connection lost");
    lab.clear_events();
    lab.sign_in("1001", "2001");
    let events = lab.events();
    assert!(!events.is_empty());
    assert!(events.iter().all(|p| p.origin == Some(NodeId::A)));
    let mut on_b = RestRequest::new(Method::Put, "/finesse/api/User/1001");
    on_b.authorization = Some(basic("1001", "ringside"));
    on_b.content_type = Some("application/xml".into());
    on_b.body = b"<User><state>READY</state></User>".to_vec();
    assert_eq!(lab.request(NodeId::B, on_b).status, 503);
    assert_eq!(state(&lab, "1001"), AgentState::NotReady);
}

#[test]
fn uccx_outbound_call_keeps_the_agent_not_ready() {
    let mut config = LabConfig::demo();
    config.flavour = Flavour::Uccx;
    let mut lab = Lab::with(config);
    lab.sign_in("1001", "2001");
    lab.ready("1001");
    let body = "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2001</fromAddress><toAddress>5551234</toAddress></Dialog>";
    let reply = lab.post_dialogs("1001", body);
    assert_eq!(reply.status, 400, "UCCX agents call from NOT_READY only");
    lab.not_ready("1001", "2");
    assert_eq!(lab.post_dialogs("1001", body).status, 202);
    lab.wait(3);
    let agent = lab.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.reason_code),
        (AgentState::NotReady, Some(11))
    );
    assert_eq!(
        lab.truth().call(agent.dialogs[0]).unwrap().state,
        DialogState::Active
    );
    let with_data = "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2001</fromAddress><toAddress>5551234</toAddress><mediaProperties><callvariables><CallVariable><name>callVariable1</name><value>x</value></CallVariable></callvariables></mediaProperties></Dialog>";
    assert_eq!(lab.post_dialogs("1001", with_data).status, 400);
}

#[test]
fn a_call_picked_up_during_wrap_up_ends_the_wrap_up() {
    let (mut lab, call) = Lab::with_answered_call(&[("1002", "2002")]);
    lab.center.customer_hang_up(lab.now, call).unwrap();
    assert_eq!(state(&lab, "1001"), AgentState::WorkReady);
    let body = "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2002</fromAddress><toAddress>2001</toAddress></Dialog>";
    assert_eq!(lab.post_dialogs("1002", body).status, 202);
    assert_eq!(
        state(&lab, "1001"),
        AgentState::WorkReady,
        "ringing does not end wrap-up"
    );
    let internal = lab.dialogs_of("1002")[0];
    lab.act("1001", internal, "ANSWER", "2001");
    assert_eq!(state(&lab, "1001"), AgentState::Talking);
    assert_eq!(
        lab.dialogs_of("1001"),
        vec![internal],
        "the wrap-up dialog is gone"
    );
    lab.act("1001", internal, "DROP", "2001");
    assert_eq!(
        state(&lab, "1001"),
        AgentState::Ready,
        "back to where wrap-up was heading"
    );
}
