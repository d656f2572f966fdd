use super::*;
use crate::center::AuthFailure;
use crate::config::{DisconnectPolicy, Flavour, LabConfig};

#[test]
fn ucce_presence_loss_makes_the_agent_not_ready_with_50002_after_60_seconds() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    c.presence_changed(secs(10), NodeId::A, "1001", false);
    assert_eq!(c.next_deadline(), Some(secs(10)), "queue stats first");
    c.advance(secs(69));
    assert_eq!(state(&c, "1001"), AgentState::Ready);
    c.advance(secs(70));
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.reason_code),
        (AgentState::NotReady, Some(50002))
    );
}

#[test]
fn presence_coming_back_in_time_cancels_the_forced_logout() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    c.presence_changed(secs(10), NodeId::A, "1001", false);
    c.presence_changed(secs(40), NodeId::A, "1001", true);
    c.advance(secs(200));
    assert_eq!(state(&c, "1001"), AgentState::Ready);
}

#[test]
fn presence_on_the_other_node_does_not_cancel_this_nodes_timer() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    c.presence_changed(secs(10), NodeId::A, "1001", false);
    c.presence_changed(secs(20), NodeId::B, "1001", true);
    c.advance(secs(70));
    assert_eq!(state(&c, "1001"), AgentState::NotReady);
}

#[test]
fn uccx_and_ucce_with_load_logout_log_the_agent_out_with_255() {
    let mut uccx = LabConfig::demo();
    uccx.flavour = Flavour::Uccx;
    let mut load = LabConfig::demo();
    load.load = DisconnectPolicy::Logout;
    for config in [uccx, load] {
        let mut c = with(config);
        ready_agent(&mut c, secs(1), "1001");
        c.presence_changed(secs(10), NodeId::B, "1001", false);
        c.advance(secs(70));
        let agent = c.truth().agent("1001").cloned().unwrap();
        assert_eq!(
            (agent.state, agent.reason_code),
            (AgentState::Logout, Some(255))
        );
    }
}

#[test]
fn presence_loss_during_a_call_becomes_pending() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    let call = queue_call(&mut c, secs(2), "5001");
    dialog_action(&mut c, secs(3), "1001", call, "ANSWER", "2001");
    c.presence_changed(secs(4), NodeId::A, "1001", false);
    c.advance(secs(64));
    let agent = c.truth().agent("1001").cloned().unwrap();
    assert_eq!(
        (agent.state, agent.pending_state),
        (AgentState::Talking, Some(AgentState::NotReady))
    );
}

#[test]
fn five_wrong_passwords_lock_the_account_for_five_minutes() {
    let mut c = demo();
    for _ in 0..4 {
        assert_eq!(
            c.authenticate(secs(1), "1001", "bad"),
            Err(AuthFailure::WrongPassword)
        );
    }
    assert_eq!(
        c.authenticate(secs(1), "1001", PASSWORD),
        Ok("1001".into()),
        "success resets the count"
    );
    for _ in 0..5 {
        assert_eq!(
            c.authenticate(secs(2), "1001", "bad"),
            Err(AuthFailure::WrongPassword)
        );
    }
    assert_eq!(
        c.authenticate(secs(3), "1001", PASSWORD),
        Err(AuthFailure::LockedOut)
    );
    assert_eq!(
        get(&mut c, secs(3), "1001", "/finesse/api/User/1001").status,
        401
    );
    assert_eq!(
        c.authenticate(secs(302), "1001", PASSWORD),
        Ok("1001".into())
    );
}

#[test]
fn login_names_authenticate_and_resolve_to_the_agent_id() {
    let mut c = demo();
    assert_eq!(
        c.authenticate(secs(1), "AGENT01", PASSWORD),
        Ok("1001".into())
    );
    assert_eq!(
        c.authenticate(secs(1), "nobody", PASSWORD),
        Err(AuthFailure::UnknownUser)
    );
    let reply = get(&mut c, secs(1), "agent01", "/finesse/api/User/agent01");
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("<loginId>1001</loginId>"));
}

#[test]
fn an_out_of_service_node_answers_503_and_republishes_when_back() {
    let mut c = demo();
    ready_agent(&mut c, secs(1), "1001");
    c.take_publications();
    c.set_node_status(secs(2), NodeId::A, false, "CTI failover");
    let pubs = c.take_publications();
    assert_eq!(pubs.len(), 1);
    assert_eq!(pubs[0].origin, Some(NodeId::A));
    assert_eq!(
        get(&mut c, secs(3), "1001", "/finesse/api/User/1001").status,
        503
    );
    assert_eq!(
        get(&mut c, secs(3), "1001", "/finesse/api/SystemInfo").status,
        200
    );
    not_ready_on(&mut c, NodeId::B);
    let pubs = c.take_publications();
    assert!(
        pubs.iter().all(|p| p.origin == Some(NodeId::B)),
        "events come from B only"
    );
    c.set_node_status(secs(5), NodeId::A, true, "");
    let pubs = c.take_publications();
    assert!(pubs
        .iter()
        .any(|p| p.node == "/finesse/api/User/1001" && p.origin == Some(NodeId::A)));
}

fn not_ready_on(c: &mut ContactCenter, node: NodeId) {
    let mut r = RestRequest::new(Method::Put, "/finesse/api/User/1001");
    r.authorization = Some(auth("1001"));
    r.content_type = Some("application/xml".into());
    r.body = b"<User><state>NOT_READY</state><reasonCodeId>1</reasonCodeId></User>".to_vec();
    assert_eq!(c.handle_rest(secs(4), node, r).status, 202);
}
