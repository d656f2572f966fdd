use super::*;
use crate::center::ParticipantState;
use crate::config::{Flavour, LabConfig, WrapUpMode};

fn answered_call(c: &mut ContactCenter) -> CallId {
    ready_agent(c, secs(1), "1001");
    let call = queue_call(c, secs(2), "5001");
    assert_eq!(
        dialog_action(c, secs(3), "1001", call, "ANSWER", "2001").status,
        202
    );
    call
}

#[test]
fn agent_goes_work_ready_after_an_inbound_call_and_ready_when_the_timer_expires() {
    let mut c = demo();
    let call = answered_call(&mut c);
    c.customer_hang_up(secs(10), call).unwrap();
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(agent.state, AgentState::WorkReady);
    assert_eq!(agent.wrap_up_until, Some(secs(70)));
    assert_eq!(
        agent.dialogs,
        vec![call],
        "the dialog stays for wrap-up data"
    );
    let participant = c
        .truth()
        .call(call)
        .unwrap()
        .participant("2001")
        .cloned()
        .unwrap();
    assert_eq!(participant.state, ParticipantState::WrapUp);
    assert_eq!(
        participant.actions,
        vec![crate::center::Action::UpdateCallData]
    );
    c.advance(secs(69));
    assert_eq!(state(&c, "1001"), AgentState::WorkReady);
    c.advance(secs(70));
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(agent.state, AgentState::Ready);
    assert!(agent.dialogs.is_empty());
    assert!(c.truth().calls.is_empty());
}

#[test]
fn agent_goes_work_and_then_not_ready_when_not_ready_was_chosen_during_the_call() {
    let mut c = demo();
    let call = answered_call(&mut c);
    not_ready(&mut c, secs(5), "1001", "3");
    c.customer_hang_up(secs(10), call).unwrap();
    assert_eq!(state(&c, "1001"), AgentState::Work);
    c.advance(secs(70));
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.reason_code),
        (AgentState::NotReady, Some(12))
    );
}

#[test]
fn asking_ready_during_wrap_up_ends_it_early() {
    let mut c = demo();
    let call = answered_call(&mut c);
    c.customer_hang_up(secs(10), call).unwrap();
    c.take_publications();
    ready(&mut c, secs(12), "1001");
    let seq = summary(&c.take_publications());
    assert_eq!(seq[0].0, "/finesse/api/User/1001/Dialogs");
    assert_eq!(seq[0].1, "DELETE");
    assert_eq!(state(&c, "1001"), AgentState::Ready);
    assert_eq!(
        c.next_deadline(),
        Some(secs(10)),
        "only queue statistics remain due"
    );
}

#[test]
fn wrap_up_reason_is_set_with_update_call_data_during_wrap_up() {
    let mut c = demo();
    let call = answered_call(&mut c);
    c.customer_hang_up(secs(10), call).unwrap();
    c.take_publications();
    let body = "<Dialog><requestedAction>UPDATE_CALL_DATA</requestedAction><mediaProperties><wrapUpReason>Sale Completed</wrapUpReason></mediaProperties></Dialog>";
    let reply = put_dialog(&mut c, secs(11), "1001", call, body);
    assert_eq!(reply.status, 202, "{}", reply.body);
    assert_eq!(
        c.truth().call(call).unwrap().wrap_up_reason.as_deref(),
        Some("Sale Completed")
    );
    let pubs = c.take_publications();
    assert_eq!(pubs.len(), 1);
    assert_eq!(
        data_text(&pubs[0], &["dialog", "mediaProperties", "wrapUpReason"]).as_deref(),
        Some("Sale Completed")
    );
}

#[test]
fn no_wrap_up_when_not_allowed_and_no_timer_when_zero() {
    let mut config = LabConfig::demo();
    config.agents[1].wrap_up_on_incoming = WrapUpMode::NotAllowed;
    config.agents[2].wrap_up_timer_seconds = 0;
    let mut c = with(config);
    let call = answered_call(&mut c);
    c.customer_hang_up(secs(10), call).unwrap();
    assert_eq!(state(&c, "1001"), AgentState::Ready);

    ready_agent(&mut c, secs(20), "1002");
    let call = queue_call(&mut c, secs(21), "5001");
    let holder = c.truth().call(call).unwrap().participants[0]
        .agent_id
        .clone()
        .unwrap();
    let ext = if holder == "1001" { "2001" } else { "2002" };
    dialog_action(&mut c, secs(22), &holder, call, "ANSWER", ext);
    c.customer_hang_up(secs(30), call).unwrap();
    if holder == "1002" {
        assert_eq!(state(&c, "1002"), AgentState::WorkReady);
        assert_eq!(c.truth().agent("1002").unwrap().wrap_up_until, None);
    }
}

#[test]
fn uccx_wrap_up_is_work_and_expires_to_ready() {
    let mut config = LabConfig::demo();
    config.flavour = Flavour::Uccx;
    let mut c = with(config);
    let call = answered_call(&mut c);
    c.customer_hang_up(secs(10), call).unwrap();
    assert_eq!(state(&c, "1001"), AgentState::Work);
    c.advance(secs(70));
    assert_eq!(state(&c, "1001"), AgentState::Ready);
}

#[test]
fn outbound_calls_wrap_up_only_when_outgoing_wrap_up_is_allowed() {
    let mut config = LabConfig::demo();
    config.external.answer_after_seconds = 0;
    config.agents[1].wrap_up_on_outgoing = WrapUpMode::Required;
    let mut c = with(config);
    sign_in(&mut c, secs(1), "1001", "2001");
    not_ready(&mut c, secs(1), "1001", "1");
    let body = "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2001</fromAddress><toAddress>5551234</toAddress></Dialog>";
    assert_eq!(post_dialogs(&mut c, secs(2), "1001", body).status, 202);
    let call = c.truth().agent("1001").unwrap().dialogs[0];
    dialog_action(&mut c, secs(5), "1001", call, "DROP", "2001");
    assert_eq!(
        state(&c, "1001"),
        AgentState::Work,
        "NOT_READY before the call → WORK"
    );
    c.advance(secs(65));
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.reason_code),
        (AgentState::NotReady, Some(10))
    );
}
