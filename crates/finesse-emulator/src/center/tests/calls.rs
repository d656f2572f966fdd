use super::*;
use crate::center::{Action, CtiError, DialogState, ParticipantState};

/// 1001 talking with a customer on a routed call; 1002 signed in NOT_READY.
fn talking(c: &mut ContactCenter) -> CallId {
    ready_agent(c, secs(1), "1001");
    sign_in(c, secs(1), "1002", "2002");
    let call = queue_call(c, secs(2), "5001");
    assert_eq!(
        dialog_action(c, secs(3), "1001", call, "ANSWER", "2001").status,
        202
    );
    call
}

fn consult(c: &mut ContactCenter, call: CallId, to: &str) -> RestReply {
    let body = format!(
        "<Dialog><requestedAction>CONSULT_CALL</requestedAction><toAddress>{to}</toAddress><targetMediaAddress>2001</targetMediaAddress></Dialog>"
    );
    put_dialog(c, secs(4), "1001", call, &body)
}

fn consult_id(c: &ContactCenter, original: CallId) -> CallId {
    c.truth()
        .agent("1001")
        .unwrap()
        .dialogs
        .iter()
        .copied()
        .find(|&d| d != original)
        .unwrap()
}

#[test]
fn consult_then_transfer_publishes_delete_delete_delete_post() {
    let mut c = demo();
    let call = talking(&mut c);
    assert_eq!(consult(&mut c, call, "2002").status, 202);
    let consult_call = consult_id(&c, call);
    let truth = c.truth();
    assert_eq!(
        truth.call(call).unwrap().participant("2001").unwrap().state,
        ParticipantState::Held
    );
    assert_eq!(
        truth
            .call(call)
            .unwrap()
            .participant("2001")
            .unwrap()
            .actions,
        vec![
            Action::Transfer,
            Action::Retrieve,
            Action::UpdateCallData,
            Action::Drop
        ],
        "TRANSFER while the consulted agent rings; CONFERENCE needs an answer"
    );
    assert_eq!(
        dialog_action(&mut c, secs(5), "1002", consult_call, "ANSWER", "2002").status,
        202
    );
    let held_actions = c
        .truth()
        .call(call)
        .unwrap()
        .participant("2001")
        .unwrap()
        .actions
        .clone();
    assert!(held_actions.contains(&Action::Conference));
    c.take_publications();
    assert_eq!(
        dialog_action(&mut c, secs(6), "1001", call, "TRANSFER", "2001").status,
        202
    );
    let dialog_events: Vec<_> = summary(&c.take_publications())
        .into_iter()
        .filter(|(n, _, _)| n.ends_with("/Dialogs"))
        .collect();
    let a = "/finesse/api/User/1001/Dialogs".to_owned();
    let b = "/finesse/api/User/1002/Dialogs".to_owned();
    assert_eq!(
        dialog_events,
        vec![
            (a.clone(), "DELETE".into(), a.clone()),
            (a.clone(), "DELETE".into(), a.clone()),
            (b.clone(), "DELETE".into(), b.clone()),
            (b.clone(), "POST".into(), b.clone()),
        ]
    );
    let truth = c.truth();
    assert_eq!(truth.agent("1002").unwrap().dialogs, vec![call]);
    assert_eq!(
        truth.call(call).unwrap().participant("2002").unwrap().state,
        ParticipantState::Active
    );
    assert_eq!(
        truth.agent("1001").unwrap().state,
        AgentState::WorkReady,
        "transferring agent wraps up"
    );
    assert_eq!(truth.agent("1002").unwrap().state, AgentState::Talking);
    assert!(truth.call(consult_call).is_none());
}

#[test]
fn transfer_is_refused_on_the_consult_dialog_and_before_a_consult() {
    let mut c = demo();
    let call = talking(&mut c);
    let reply = dialog_action(&mut c, secs(4), "1001", call, "TRANSFER", "2001");
    assert_eq!(reply.status, 401);
    assert!(reply.body.contains("<ErrorType>Invalid State</ErrorType>"));
    consult(&mut c, call, "2002");
    let consult_call = consult_id(&c, call);
    let before = c.truth();
    assert_eq!(
        dialog_action(&mut c, secs(5), "1001", consult_call, "TRANSFER", "2001").status,
        401
    );
    assert_eq!(c.truth(), before);
}

#[test]
fn conference_joins_the_consulted_agent_to_the_original_call() {
    let mut c = demo();
    let call = talking(&mut c);
    consult(&mut c, call, "2002");
    let consult_call = consult_id(&c, call);
    dialog_action(&mut c, secs(5), "1002", consult_call, "ANSWER", "2002");
    assert_eq!(
        dialog_action(&mut c, secs(6), "1001", call, "CONFERENCE", "2001").status,
        202
    );
    let truth = c.truth();
    let conf = truth.call(call).unwrap();
    assert_eq!(conf.call_type, "CONFERENCE");
    assert_eq!(conf.participants.len(), 3);
    assert!(conf
        .participants
        .iter()
        .all(|p| p.state == ParticipantState::Active));
    assert_eq!(truth.agent("1002").unwrap().dialogs, vec![call]);
    assert!(truth.call(consult_call).is_none());
    // One agent leaves; the conference goes on with the other.
    dialog_action(&mut c, secs(7), "1001", call, "DROP", "2001");
    let truth = c.truth();
    assert_eq!(truth.call(call).unwrap().participants.len(), 2);
    assert_eq!(truth.agent("1002").unwrap().state, AgentState::Talking);
    assert!(truth.agent("1001").unwrap().dialogs.is_empty());
}

#[test]
fn single_step_transfer_rings_the_destination_agent() {
    let mut c = demo();
    let call = talking(&mut c);
    let body = "<Dialog><requestedAction>TRANSFER_SST</requestedAction><toAddress>2002</toAddress><targetMediaAddress>2001</targetMediaAddress></Dialog>";
    assert_eq!(put_dialog(&mut c, secs(4), "1001", call, body).status, 202);
    let truth = c.truth();
    assert_eq!(
        truth.call(call).unwrap().participant("2002").unwrap().state,
        ParticipantState::Alerting
    );
    assert!(truth.agent("1001").unwrap().dialogs.is_empty());
    dialog_action(&mut c, secs(5), "1002", call, "ANSWER", "2002");
    assert_eq!(state(&c, "1002"), AgentState::Talking);
    assert_eq!(c.truth().call(call).unwrap().state, DialogState::Active);
}

#[test]
fn transfer_to_self_is_an_invalid_destination() {
    let mut c = demo();
    let call = talking(&mut c);
    let reply = consult(&mut c, call, "2001");
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("Invalid Destination"));
}

#[test]
fn dtmf_is_recorded_and_validated_per_flavour() {
    let mut c = demo();
    let call = talking(&mut c);
    let dtmf = |digits: &str| {
        format!(
            "<Dialog><requestedAction>SEND_DTMF</requestedAction><targetMediaAddress>2001</targetMediaAddress><actionParams><ActionParam><name>dtmfString</name><value>{digits}</value></ActionParam></actionParams></Dialog>"
        )
    };
    assert_eq!(
        put_dialog(&mut c, secs(4), "1001", call, &dtmf("12#A")).status,
        202
    );
    assert_eq!(c.truth().call(call).unwrap().dtmf, "12#A");
    c.take_publications();
    assert_eq!(
        put_dialog(&mut c, secs(4), "1001", call, &dtmf("12x")).status,
        202
    );
    let pubs = c.take_publications();
    assert!(pubs[0].update.contains("CF_VALUE_OUT_OF_RANGE"));
    assert_eq!(c.truth().call(call).unwrap().dtmf, "12#A");
}

#[test]
fn internal_call_between_two_agents() {
    let mut c = demo();
    sign_in(&mut c, secs(1), "1001", "2001");
    sign_in(&mut c, secs(1), "1002", "2002");
    let body = "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>2001</fromAddress><toAddress>2002</toAddress></Dialog>";
    assert_eq!(post_dialogs(&mut c, secs(2), "1001", body).status, 202);
    let call = c.truth().agent("1002").unwrap().dialogs[0];
    let truth = c.truth();
    let dialog = truth.call(call).unwrap();
    assert_eq!(
        (dialog.call_type.as_str(), dialog.state),
        ("AGENT_INSIDE", DialogState::Alerting)
    );
    assert_eq!(
        dialog.participant("2001").unwrap().state,
        ParticipantState::Initiated
    );
    dialog_action(&mut c, secs(3), "1002", call, "ANSWER", "2002");
    assert_eq!(
        (state(&c, "1001"), state(&c, "1002")),
        (AgentState::Talking, AgentState::Talking)
    );
    dialog_action(&mut c, secs(4), "1002", call, "DROP", "2002");
    assert_eq!(
        (state(&c, "1001"), state(&c, "1002")),
        (AgentState::NotReady, AgentState::NotReady)
    );
    assert!(c.truth().calls.is_empty(), "no wrap-up for internal calls");
}

#[test]
fn silent_monitor_then_barge_becomes_a_conference() {
    let mut c = demo();
    let call = talking(&mut c);
    sign_in(&mut c, secs(1), "1000", "2000");
    c.take_publications();
    let monitor = "<Dialog><requestedAction>SILENT_MONITOR</requestedAction><fromAddress>2000</fromAddress><toAddress>2001</toAddress></Dialog>";
    assert_eq!(post_dialogs(&mut c, secs(5), "1000", monitor).status, 202);
    let truth = c.truth();
    let monitor_call = truth.agent("1000").unwrap().dialogs[0];
    let m = truth.call(monitor_call).unwrap();
    assert_eq!(m.call_type, "SUPERVISOR_MONITOR");
    assert!(m.participant("2001").unwrap().actions.is_empty());
    assert_eq!(
        m.participant("2000").unwrap().actions,
        vec![Action::BargeCall, Action::Drop]
    );
    assert_eq!(truth.agent("1000").unwrap().state, AgentState::Talking);
    assert_eq!(
        truth.agent("1001").unwrap().dialogs.len(),
        2,
        "the agent sees the monitor call"
    );
    let barge = format!(
        "<Dialog><requestedAction>BARGE_CALL</requestedAction><fromAddress>2000</fromAddress><toAddress>2001</toAddress><associatedDialogUri>/finesse/api/Dialog/{monitor_call}</associatedDialogUri></Dialog>"
    );
    assert_eq!(post_dialogs(&mut c, secs(6), "1000", &barge).status, 202);
    let truth = c.truth();
    assert!(truth.call(monitor_call).is_none());
    assert_eq!(truth.call(call).unwrap().participants.len(), 3);
    assert_eq!(truth.agent("1000").unwrap().dialogs, vec![call]);
    let sup = truth
        .call(call)
        .unwrap()
        .participant("2000")
        .unwrap()
        .clone();
    assert!(sup.actions.contains(&Action::ParticipantDrop));
    // The supervisor drops the customer: the agent and supervisor remain.
    let drop = "<Dialog><requestedAction>PARTICIPANT_DROP</requestedAction><targetMediaAddress>+14085550100</targetMediaAddress></Dialog>";
    assert_eq!(put_dialog(&mut c, secs(7), "1000", call, drop).status, 202);
    assert_eq!(c.truth().call(call).unwrap().participants.len(), 2);
}

#[test]
fn monitoring_an_agent_who_is_not_talking_fails_asynchronously() {
    let mut c = demo();
    sign_in(&mut c, secs(1), "1000", "2000");
    sign_in(&mut c, secs(1), "1001", "2001");
    c.take_publications();
    let monitor = "<Dialog><requestedAction>SILENT_MONITOR</requestedAction><fromAddress>2000</fromAddress><toAddress>2001</toAddress></Dialog>";
    assert_eq!(post_dialogs(&mut c, secs(5), "1000", monitor).status, 202);
    let pubs = c.take_publications();
    assert_eq!(pubs.len(), 1);
    assert_eq!(pubs[0].node, "/finesse/api/User/1000/Dialogs");
    assert!(pubs[0].update.contains("<errorData>13145</errorData>"));
}

#[test]
fn the_monitor_call_ends_when_the_agent_hangs_up() {
    let mut c = demo();
    let call = talking(&mut c);
    sign_in(&mut c, secs(1), "1000", "2000");
    let monitor = "<Dialog><requestedAction>SILENT_MONITOR</requestedAction><fromAddress>2000</fromAddress><toAddress>2001</toAddress></Dialog>";
    post_dialogs(&mut c, secs(5), "1000", monitor);
    c.customer_hang_up(secs(6), call).unwrap();
    let truth = c.truth();
    assert!(truth.agent("1000").unwrap().dialogs.is_empty());
    assert_eq!(truth.agent("1000").unwrap().state, AgentState::NotReady);
}

#[test]
fn an_injected_cti_error_changes_nothing_and_is_published_with_the_request_id() {
    let mut c = demo();
    let call = talking(&mut c);
    c.take_publications();
    c.fail_next_request(
        NodeId::A,
        CtiError {
            error_data: "34".into(),
            error_message: "CF_RESOURCE_OUT_OF_SERVICE".into(),
            error_type: "Call Operation Failure".into(),
        },
    );
    let before = c.truth();
    assert_eq!(
        dialog_action(&mut c, secs(4), "1001", call, "HOLD", "2001").status,
        202
    );
    assert_eq!(c.truth(), before);
    let pubs = c.take_publications();
    assert_eq!(pubs.len(), 1);
    assert_eq!(pubs[0].node, "/finesse/api/User/1001/Dialogs");
    assert!(pubs[0]
        .update
        .contains(&format!("<source>/finesse/api/Dialog/{call}</source>")));
    assert!(pubs[0].update.contains("<requestId>req-1001</requestId>"));
    assert_eq!(
        dialog_action(&mut c, secs(5), "1001", call, "HOLD", "2001").status,
        202
    );
    assert_eq!(
        state(&c, "1001"),
        AgentState::Hold,
        "only the next request fails"
    );
}

#[test]
fn request_ids_tag_the_requesters_events_only() {
    let mut c = demo();
    let call = talking(&mut c);
    c.take_publications();
    consult(&mut c, call, "2002");
    let pubs = c.take_publications();
    assert!(pubs
        .iter()
        .any(|p| p.node == "/finesse/api/User/1002/Dialogs"));
    for p in &pubs {
        let tagged = p.update.contains("<requestId>req-1001</requestId>");
        let own = p.node.starts_with("/finesse/api/User/1001");
        assert_eq!(tagged, own, "{} {}", p.node, p.update);
    }
}
