use super::*;
use crate::center::{DialogState, ParticipantState};
use crate::config::{Flavour, LabConfig};

#[test]
fn a_queue_call_goes_to_the_longest_available_agent() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1002");
    ready_agent(&mut c, secs(2), "1001");
    ready_agent(&mut c, secs(3), "1003");
    let call = queue_call(&mut c, secs(4), "5001");
    let truth = c.truth();
    assert_eq!(truth.agent("1002").unwrap().state, AgentState::Reserved);
    assert_eq!(truth.agent("1001").unwrap().state, AgentState::Ready);
    let dialog = truth.call(call).unwrap();
    assert_eq!(dialog.state, DialogState::Alerting);
    assert_eq!(
        dialog.participant("2002").unwrap().state,
        ParticipantState::Alerting
    );
    assert_eq!(truth.agent("1002").unwrap().dialogs, vec![call]);
}

#[test]
fn delivery_publishes_reserved_before_the_dialog_post() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    c.take_publications();
    queue_call(&mut c, secs(2), "5001");
    let seq = summary(&c.take_publications());
    let user = seq
        .iter()
        .position(|(n, _, _)| n == "/finesse/api/User/1001")
        .unwrap();
    let post = seq
        .iter()
        .position(|(n, e, _)| n == "/finesse/api/User/1001/Dialogs" && e == "POST")
        .unwrap();
    assert!(user < post, "{seq:?}");
}

#[test]
fn agents_outside_the_queue_do_not_get_its_calls() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1011");
    let call = queue_call(&mut c, secs(2), "5001");
    let truth = c.truth();
    assert_eq!(truth.agent("1011").unwrap().state, AgentState::Ready);
    assert!(truth.call(call).unwrap().waiting);
    assert_eq!(truth.queue("5001").unwrap().waiting_calls, vec![call]);
}

#[test]
fn a_waiting_call_is_delivered_when_a_member_goes_ready() {
    let mut c = demo();
    sign_in(&mut c, secs(1), "1001", "2001");
    let first = queue_call(&mut c, secs(2), "5001");
    let second = queue_call(&mut c, secs(3), "5001");
    assert_eq!(c.truth().queue("5001").unwrap().stats.calls_in_queue, 2);
    ready(&mut c, secs(4), "1001");
    let truth = c.truth();
    assert_eq!(truth.agent("1001").unwrap().dialogs, vec![first]);
    assert_eq!(truth.queue("5001").unwrap().waiting_calls, vec![second]);
}

#[test]
fn ring_no_answer_makes_the_agent_not_ready_and_requeues_the_call() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    let call = queue_call(&mut c, secs(2), "5001");
    c.advance(secs(16));
    assert_eq!(state(&c, "1001"), AgentState::Reserved);
    ready_agent(&mut c, secs(16), "1002");
    c.take_publications();
    c.advance(secs(17));
    let truth = c.truth();
    let a = truth.agent("1001").unwrap();
    assert_eq!(
        (a.state, a.reason_code),
        (AgentState::NotReady, Some(32767))
    );
    assert!(a.dialogs.is_empty());
    assert_eq!(
        truth.agent("1002").unwrap().dialogs,
        vec![call],
        "re-queued and delivered"
    );
    let seq = summary(&c.take_publications());
    assert!(seq.contains(&(
        "/finesse/api/User/1001/Dialogs".into(),
        "DELETE".into(),
        "/finesse/api/User/1001/Dialogs".into()
    )));
}

#[test]
fn uccx_ring_no_answer_uses_32763() {
    let mut config = LabConfig::demo();
    config.flavour = Flavour::Uccx;
    let mut c = with(config);
    ready_agent(&mut c, secs(1), "1001");
    queue_call(&mut c, secs(2), "5001");
    c.advance(secs(60));
    assert_eq!(c.truth().agent("1001").unwrap().reason_code, Some(32763));
}

#[test]
fn a_caller_hanging_up_while_ringing_returns_the_agent_to_ready() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    let call = queue_call(&mut c, secs(2), "5001");
    c.customer_hang_up(secs(3), call).unwrap();
    let truth = c.truth();
    assert_eq!(truth.agent("1001").unwrap().state, AgentState::Ready);
    assert!(truth.calls.is_empty());
}

#[test]
fn a_caller_hanging_up_in_queue_leaves_no_trace() {
    let mut c = demo();
    let call = queue_call(&mut c, secs(2), "5001");
    c.take_publications();
    c.customer_hang_up(secs(3), call).unwrap();
    assert!(c.truth().calls.is_empty());
    assert!(c.take_publications().is_empty());
    assert_eq!(
        c.customer_hang_up(secs(3), call).unwrap_err().code(),
        "unknown_call"
    );
}

#[test]
fn queue_statistics_are_published_at_most_every_ten_seconds_when_changed() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    assert_eq!(c.next_deadline(), Some(secs(10)));
    c.take_publications();
    c.advance(secs(10));
    let pubs = c.take_publications();
    let queues: Vec<&str> = pubs.iter().map(|p| p.node.as_str()).collect();
    assert_eq!(
        queues,
        ["/finesse/api/Queue/5001", "/finesse/api/Queue/5003"],
        "5002 has no change"
    );
    assert_eq!(
        data_text(&pubs[0], &["queue", "statistics", "agentsReady"]).as_deref(),
        Some("1")
    );
    assert_eq!(c.next_deadline(), None, "nothing changed since");
    queue_call(&mut c, secs(12), "5002");
    assert_eq!(c.next_deadline(), Some(secs(20)));
}

#[test]
fn place_call_refuses_unknown_queues_and_bad_variables() {
    let mut c = demo();
    let bad_queue = CallSpec {
        caller: "1".into(),
        queue: "9".into(),
        ..CallSpec::default()
    };
    assert_eq!(
        c.place_call(secs(1), bad_queue).unwrap_err().code(),
        "unknown_queue"
    );
    let bad_var = CallSpec {
        caller: "1".into(),
        queue: "5001".into(),
        call_variables: vec![crate::center::CallVariable::new("callVariable11", "x")],
        ..CallSpec::default()
    };
    assert_eq!(
        c.place_call(secs(1), bad_var).unwrap_err().code(),
        "invalid_call"
    );
    assert!(c.truth().calls.is_empty());
}
