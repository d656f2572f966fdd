//! Never losing the agent: asking the other node and moving there, checking the link out of
//! turn (sleep, network change, a failed request), notices while reconnecting, states the
//! system forced, and late or repeated events.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod session_support;

use std::time::Duration;

use finesse::model::request::UserRequest;
use finesse::model::AgentState;
use finesse::session::{
    AppliedChoice, Backoff, Command, ConnectionState, Effect, Input, LinkCheckReason, LinkLoss,
    Millis, RestFailure, RestFailureKind, RestReply, RestRequest, SessionEvent, SessionPolicy,
    SlowRetry,
};
use session_support::*;

fn refused() -> RestFailure {
    RestFailure::new(RestFailureKind::Unreachable, "connection refused")
}

fn in_service_on_a() -> RestReply {
    RestReply::SystemInfo(system_info("rest_system_info_in_service.xml"))
}

fn in_service_on_b() -> RestReply {
    RestReply::SystemInfo(system_info("rest_system_info_node_b_in_service.xml"))
}

fn out_of_service() -> RestReply {
    RestReply::SystemInfo(system_info("rest_system_info_out_of_service.xml"))
}

fn system_info_ops(effects: &[Effect]) -> Vec<finesse::session::RestOp> {
    rest_ops(effects)
        .into_iter()
        .filter(|op| matches!(op.request, RestRequest::SystemInfo))
        .collect()
}

fn lose_link(rig: &mut Rig) -> Vec<Effect> {
    rig.feed(Input::XmppDisconnected(LinkLoss::SocketClosed))
}

/// After a loss, the retry on node A is refused; returns the effects of that failure.
fn retry_on_a_refused(rig: &mut Rig) -> Vec<Effect> {
    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    assert_eq!(op.node, NODE_A);
    rig.reply_err(op.id, refused())
}

fn ready_agent() -> Rig {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    rig.event("event_user_ready.xml", None);
    assert_eq!(
        rig.machine.snapshot().user.as_ref().unwrap().state,
        AgentState::Ready
    );
    rig
}

/// Lose the link and come back on node A with `user` as the resync's User.
fn outage_and_back(rig: &mut Rig, user: &str) -> Vec<Effect> {
    lose_link(rig);
    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply(op.id, in_service_on_a());
    assert!(xmpp_target(&effects).is_some());
    let sync = rig.feed(Input::XmppConnected);
    rig.finish_sync(&sync, user, "rest_dialogs_empty.xml")
}

fn put_user_states(effects: &[Effect]) -> Vec<AgentState> {
    rest_ops(effects)
        .into_iter()
        .filter_map(|op| match op.request {
            RestRequest::PutUser {
                body: UserRequest::ChangeState { state, .. },
                ..
            } => Some(state),
            _ => None,
        })
        .collect()
}

#[test]
fn a_node_that_refuses_the_retry_makes_the_session_ask_the_other_and_move_there_at_once() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let effects = lose_link(&mut rig);
    assert!(
        rest_ops(&effects).is_empty(),
        "a dropped link is first retried on the same node"
    );
    let effects = retry_on_a_refused(&mut rig);
    let probe = system_info_ops(&effects);
    assert_eq!(probe.len(), 1, "{effects:#?}");
    assert_eq!(probe[0].node, NODE_B);

    let effects = rig.reply(probe[0].id, in_service_on_b());
    assert!(
        system_info_ops(&effects).is_empty(),
        "B's answer is used, not asked again"
    );
    let target = xmpp_target(&effects).expect("XMPP opened on B");
    assert_eq!(target.node, NODE_B);
    assert_eq!(target.domain, "fin-b.example.com");
    assert!(matches!(
        rig.machine.connection(),
        ConnectionState::Reconnecting { node, .. } if node == NODE_B
    ));
    assert!(rig.timers.is_empty(), "the backoff for A was cancelled");

    let sync = rig.feed(Input::XmppConnected);
    let effects = rig.finish_sync(&sync, "rest_user_not_ready.xml", "rest_dialogs_empty.xml");
    assert_eq!(
        rig.machine.connection(),
        &ConnectionState::Connected {
            node: NODE_B.into()
        }
    );
    assert!(published(&effects).iter().any(|e| matches!(
        e,
        SessionEvent::Reconnected { node, failed_over: true, .. } if node == NODE_B
    )));
}

#[test]
fn the_session_fails_back_to_the_first_node_the_same_way() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    lose_link(&mut rig);
    let effects = retry_on_a_refused(&mut rig);
    let probe = system_info_ops(&effects)[0].clone();
    let effects = rig.reply(probe.id, in_service_on_b());
    assert!(xmpp_target(&effects).is_some());
    let sync = rig.feed(Input::XmppConnected);
    rig.finish_sync(&sync, "rest_user_not_ready.xml", "rest_dialogs_empty.xml");

    lose_link(&mut rig);
    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    assert_eq!(op.node, NODE_B, "B is retried first");
    let effects = rig.reply_err(op.id, refused());
    let probe = system_info_ops(&effects)[0].clone();
    assert_eq!(probe.node, NODE_A);
    let effects = rig.reply(probe.id, in_service_on_a());
    assert_eq!(xmpp_target(&effects).unwrap().node, NODE_A);
}

#[test]
fn when_the_other_node_is_out_of_service_too_the_session_stays_and_retries() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    lose_link(&mut rig);
    let effects = retry_on_a_refused(&mut rig);
    let probe = system_info_ops(&effects)[0].clone();
    let effects = rig.reply(probe.id, out_of_service());
    assert!(xmpp_target(&effects).is_none());
    assert_eq!(rig.timers.len(), 1, "the retry of A is still due");
    let effects = rig.fire_next_timer();
    assert_eq!(
        rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo)).node,
        NODE_A
    );
}

#[test]
fn a_node_out_of_service_is_left_for_one_in_service_and_its_xmpp_dropped() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let effects = rig.event("event_system_info_out_of_service.xml", None);
    let probe = system_info_ops(&effects);
    assert_eq!(probe.len(), 1);
    assert_eq!(probe[0].node, NODE_B);
    assert!(!has(&effects, |e| matches!(e, Effect::DisconnectXmpp)));

    let effects = rig.reply(probe[0].id, in_service_on_b());
    assert!(has(&effects, |e| matches!(e, Effect::DisconnectXmpp)));
    assert_eq!(xmpp_target(&effects).unwrap().node, NODE_B);
    assert!(
        rig.timers.is_empty(),
        "the out-of-service poll of A was cancelled"
    );
}

#[test]
fn a_probe_answered_with_a_refused_password_ends_the_session() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    lose_link(&mut rig);
    let effects = retry_on_a_refused(&mut rig);
    let probe = system_info_ops(&effects)[0].clone();
    let effects = rig.reply_err(probe.id, failure(RestFailureKind::Authentication, 401));
    assert!(matches!(
        states(&effects).as_slice(),
        [ConnectionState::Failed { error }] if error.code() == "authentication_failed"
    ));
    assert!(rig.timers.is_empty(), "nothing is retried");
}

#[test]
fn waking_from_sleep_pings_the_link_and_a_silent_link_is_replaced() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let effects = rig.feed(Input::CheckLink(LinkCheckReason::Woke {
        slept_ms: 600_000,
    }));
    assert!(has(&effects, |e| matches!(e, Effect::CheckXmpp)));
    let check = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    assert_eq!(check.node, NODE_A);
    let again = rig.feed(Input::CheckLink(LinkCheckReason::NetworkChanged));
    assert!(again.is_empty(), "one check at a time: {again:#?}");

    rig.reply(check.id, in_service_on_a());
    let effects = rig.feed(Input::XmppChecked { alive: false });
    assert!(has(&effects, |e| matches!(e, Effect::DisconnectXmpp)));
    assert!(matches!(
        states(&effects).as_slice(),
        [ConnectionState::Reconnecting { last_error, .. }] if last_error.code() == "unreachable"
    ));
}

#[test]
fn a_link_that_answers_the_check_is_kept() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let effects = rig.feed(Input::CheckLink(LinkCheckReason::Requested));
    let check = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    rig.reply(check.id, in_service_on_a());
    let effects = rig.feed(Input::XmppChecked { alive: true });
    assert!(effects.is_empty(), "{effects:#?}");
    assert!(rig.machine.connection().is_connected());
}

#[test]
fn a_check_that_finds_the_node_out_of_service_waits_there() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let effects = rig.feed(Input::CheckLink(LinkCheckReason::Woke { slept_ms: 90_000 }));
    let check = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    rig.reply(check.id, out_of_service());
    assert!(matches!(
        rig.machine.connection(),
        ConnectionState::OutOfService { .. }
    ));
}

#[test]
fn a_network_change_during_a_backoff_tries_again_at_once() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    lose_link(&mut rig);
    assert_eq!(rig.timers.len(), 1);
    let effects = rig.feed(Input::CheckLink(LinkCheckReason::NetworkChanged));
    assert_eq!(
        rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo)).node,
        NODE_A
    );
    assert!(rig.timers.is_empty(), "the backoff timer was cancelled");
}

#[test]
fn a_request_that_cannot_reach_the_node_checks_the_link() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::ChangeState {
        state: AgentState::Ready,
        reason_code_id: None,
    });
    let op = rest_op(&effects, |r| matches!(r, RestRequest::PutUser { .. }));
    let effects = rig.reply_err(op.id, refused());
    assert_eq!(done_err(&effects, id).code(), "unreachable");
    assert!(has(&effects, |e| matches!(e, Effect::CheckXmpp)));
}

fn struggling(effects: &[Effect]) -> Option<(u32, Millis)> {
    published(effects).into_iter().find_map(|e| match e {
        SessionEvent::ReconnectStruggling {
            attempts, since, ..
        } => Some((attempts, since)),
        _ => None,
    })
}

#[test]
fn reconnecting_that_keeps_failing_is_announced_once() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let lost_at = Millis(100_000);
    rig.now = lost_at;
    lose_link(&mut rig);
    let mut announced = Vec::new();
    for _ in 0..8 {
        let effects = rig.fire_next_timer();
        let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
        let effects = rig.reply_err(op.id, failure(RestFailureKind::Unreachable, 502));
        if let Some((attempts, since)) = struggling(&effects) {
            assert_eq!(since, lost_at);
            announced.push((attempts, rig.now.since(lost_at)));
        }
    }
    assert_eq!(announced.len(), 1, "{announced:?}");
    let (attempts, after) = announced[0];
    assert!(attempts >= 3, "{attempts}");
    assert!(after >= Duration::from_secs(15), "{after:?}");
}

#[test]
fn a_long_outage_slows_the_retries_down() {
    let mut p = policy();
    p.backoff = Backoff {
        initial: Duration::from_secs(1),
        max: Duration::from_secs(4),
        multiplier: 2.0,
        jitter_ratio: 0.0,
    };
    p.slow_retry = Some(SlowRetry {
        after: Duration::from_secs(60),
        max_delay: Duration::from_secs(30),
    });
    let mut rig = Rig::new(p);
    rig.connect("rest_user_not_ready.xml", "rest_dialogs_empty.xml");
    lose_link(&mut rig);
    let mut delays = Vec::new();
    while rig.now < Millis(200_000) {
        let effects = rig.fire_next_timer();
        let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
        rig.reply_err(op.id, failure(RestFailureKind::Unreachable, 502));
        delays.push((rig.now, rig.next_timer_in()));
    }
    let quick: Vec<_> = delays.iter().filter(|(at, _)| at.0 < 60_000).collect();
    let slow: Vec<_> = delays.iter().filter(|(at, _)| at.0 >= 61_000).collect();
    assert!(quick.iter().all(|(_, d)| *d <= Duration::from_secs(4)));
    assert!(
        slow.iter().all(|(_, d)| *d == Duration::from_secs(30)),
        "{slow:?}"
    );
    assert!(!slow.is_empty());
}

#[test]
fn a_connection_failure_found_on_the_resync_puts_a_ready_agent_ready_again() {
    let mut rig = ready_agent();
    let effects = outage_and_back(&mut rig, "rest_user_not_ready_connection_failure.xml");
    let forced = published(&effects)
        .into_iter()
        .find_map(|e| match e {
            SessionEvent::StateForced {
                state,
                reason_code,
                explanation,
                ..
            } => Some((state, reason_code, explanation)),
            _ => None,
        })
        .expect("the agent is told");
    assert_eq!(forced.0, AgentState::NotReady);
    assert_eq!(forced.1, Some(50002));
    assert!(forced.2.contains("lost contact"), "{}", forced.2);
    assert_eq!(put_user_states(&effects), vec![AgentState::Ready]);

    rig.accept(&effects);
    let effects = rig.event("event_user_ready_later.xml", None);
    assert!(published(&effects).iter().any(|e| matches!(
        e,
        SessionEvent::ChoiceApplied {
            what: AppliedChoice::RestoreReady {
                forced_code: Some(50002)
            },
            error: None
        }
    )));
}

#[test]
fn the_old_nodes_late_forced_not_ready_after_a_reconnect_is_undone() {
    let mut rig = ready_agent();
    outage_and_back(&mut rig, "rest_user_not_ready.xml");
    // The resync found NOT_READY without a system code: the agent's own; nothing is sent.
    rig.event("event_user_ready_again.xml", None);
    let effects = rig.event("event_user_not_ready_connection_failure.xml", None);
    assert_eq!(put_user_states(&effects), vec![AgentState::Ready]);
}

#[test]
fn an_agent_who_went_not_ready_themselves_is_left_not_ready() {
    let mut rig = ready_agent();
    outage_and_back(&mut rig, "rest_user_not_ready.xml");
    rig.event("event_user_ready_again.xml", None);
    rig.event("event_user_not_ready_lunch_later.xml", None);
    let effects = rig.event("event_user_not_ready_connection_failure.xml", None);
    assert!(event_names(&effects).contains(&"state_forced"));
    assert!(put_user_states(&effects).is_empty(), "{effects:#?}");
}

#[test]
fn without_an_outage_a_connection_failure_is_only_reported() {
    let mut rig = ready_agent();
    let effects = rig.event("event_user_not_ready_connection_failure.xml", None);
    assert!(event_names(&effects).contains(&"state_forced"));
    assert!(put_user_states(&effects).is_empty());
}

#[test]
fn restoring_ready_can_be_turned_off() {
    let p = SessionPolicy {
        restore_ready_after_outage: false,
        ..policy()
    };
    let mut rig = Rig::new(p);
    rig.connect("rest_user_not_ready.xml", "rest_dialogs_empty.xml");
    rig.event("event_user_ready.xml", None);
    let effects = outage_and_back(&mut rig, "rest_user_not_ready_connection_failure.xml");
    assert!(event_names(&effects).contains(&"state_forced"));
    assert!(put_user_states(&effects).is_empty());
}

#[test]
fn a_forced_logout_is_told_in_plain_words() {
    let mut rig = ready_agent();
    let effects = rig.event("event_user_logout_forced.xml", None);
    match published(&effects)
        .into_iter()
        .find(|e| matches!(e, SessionEvent::StateForced { .. }))
    {
        Some(SessionEvent::StateForced {
            state,
            reason_code,
            label,
            explanation,
        }) => {
            assert_eq!(state, AgentState::Logout);
            assert_eq!(reason_code, Some(255));
            assert_eq!(label.as_deref(), Some("Forced Logout"));
            assert!(explanation.contains("60 seconds"), "{explanation}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        put_user_states(&effects).is_empty(),
        "no sign-in on its own"
    );
}

#[test]
fn the_agents_own_logout_is_not_reported_as_forced() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (_, effects) = rig.command(Command::Logout {
        reason_code_id: None,
    });
    rig.accept(&effects);
    let effects = rig.event("event_user_logout.xml", None);
    assert!(!event_names(&effects).contains(&"state_forced"));
}

#[test]
fn a_late_user_event_does_not_undo_a_newer_one() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    rig.event("event_user_ready_later.xml", None);
    let effects = rig.event("event_user_not_ready_earlier.xml", None);
    assert!(published(&effects).is_empty(), "{effects:#?}");
    let reread = rest_op(&effects, |r| matches!(r, RestRequest::User { .. }));
    // The re-read answers with the GET as it was served before the READY: still older.
    rig.reply(reread.id, RestReply::User(user("rest_user_not_ready.xml")));
    assert_eq!(
        rig.machine.snapshot().user.as_ref().unwrap().state,
        AgentState::Ready
    );
}

#[test]
fn a_late_update_of_a_call_that_ended_does_not_bring_it_back() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    rig.event("event_dialogs_delete_later.xml", None);
    assert!(rig.machine.snapshot().dialogs.is_empty());
    let effects = rig.event("event_dialog_active.xml", None);
    assert!(rig.machine.snapshot().dialogs.is_empty());
    assert!(!event_names(&effects).contains(&"dialog_added"));
    let reread = rest_op(&effects, |r| matches!(r, RestRequest::Dialogs { .. }));
    let effects = rig.reply(
        reread.id,
        RestReply::Dialogs(dialogs("rest_dialogs_empty.xml")),
    );
    assert!(published(&effects).is_empty());
}

#[test]
fn a_re_read_after_a_late_event_settles_the_dialogs_with_finesse() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    rig.event("event_dialogs_delete_later.xml", None);
    let effects = rig.event("event_dialog_active.xml", None);
    let reread = rest_op(&effects, |r| matches!(r, RestRequest::Dialogs { .. }));
    // Finesse says the call is there after all: Finesse wins.
    let effects = rig.reply(
        reread.id,
        RestReply::Dialogs(dialogs("rest_dialogs_active.xml")),
    );
    assert!(event_names(&effects).contains(&"dialog_added"));
    assert!(rig.machine.snapshot().dialogs.contains_key(DIALOG));
}

#[test]
fn a_repeated_event_is_published_once() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let first = rig.event("event_dialogs_post_alerting.xml", None);
    let again = rig.event("event_dialogs_post_alerting.xml", None);
    assert!(event_names(&first).contains(&"dialog_added"));
    assert!(published(&again).is_empty(), "{again:#?}");
    let first = rig.event("event_dialogs_delete.xml", None);
    let again = rig.event("event_dialogs_delete.xml", None);
    assert!(event_names(&first).contains(&"dialog_removed"));
    assert!(published(&again).is_empty(), "{again:#?}");
}

#[test]
fn a_reconnect_tells_how_long_the_outage_lasted() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    rig.now = Millis(10_000);
    lose_link(&mut rig);
    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    rig.now = Millis(12_500);
    rig.reply(op.id, in_service_on_a());
    let sync = rig.feed(Input::XmppConnected);
    let effects = rig.finish_sync(&sync, "rest_user_not_ready.xml", "rest_dialogs_empty.xml");
    assert!(published(&effects).iter().any(|e| matches!(
        e,
        SessionEvent::Reconnected { node, since: Millis(10_000), outage_ms: 2_500, failed_over: false }
            if node == NODE_A
    )));
}

#[test]
fn an_update_overtaken_by_the_end_of_its_call_is_late_even_at_the_same_time() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    // The DELETE and the update carry the same stamp: the update was held up on the way.
    rig.event("event_dialogs_delete.xml", None);
    let effects = rig.event("event_dialog_held.xml", None);
    assert!(rig.machine.snapshot().dialogs.is_empty());
    assert!(published(&effects).is_empty(), "{effects:#?}");
    rest_op(&effects, |r| matches!(r, RestRequest::Dialogs { .. }));
}

/// Fails over from A to B (A refuses, B is in service) and returns the resync's effects.
fn fail_over_to_b(rig: &mut Rig) -> Vec<Effect> {
    lose_link(rig);
    let effects = retry_on_a_refused(rig);
    let probe = system_info_ops(&effects)[0].clone();
    rig.reply(probe.id, in_service_on_b());
    let sync = rig.feed(Input::XmppConnected);
    rig.finish_sync(&sync, "rest_user_not_ready.xml", "rest_dialogs_empty.xml")
}

fn standby_target(effects: &[Effect]) -> Option<finesse::session::XmppTarget> {
    effects.iter().find_map(|e| match e {
        Effect::ConnectStandby(target) => Some(target.clone()),
        _ => None,
    })
}

#[test]
fn after_a_failover_presence_is_kept_on_the_node_left() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let effects = fail_over_to_b(&mut rig);
    let target = standby_target(&effects).expect("a standby connection to A");
    assert_eq!(target.node, NODE_A);
    assert_eq!(target.domain, "fin-a.example.com");
    assert_eq!(target.user_id, AGENT);
    assert_eq!(rig.machine.standby_node(), Some(NODE_A));

    // A cannot be reached yet: try again after a while, for as long as it takes.
    let effects = rig.feed(Input::StandbyConnectFailed(
        finesse::session::LinkFailure::new(
            finesse::session::LinkFailureKind::Unreachable,
            "connection refused",
        ),
    ));
    assert!(effects.iter().any(|e| matches!(e, Effect::SetTimer { .. })));
    let effects = rig.fire_next_timer();
    assert_eq!(standby_target(&effects).unwrap().node, NODE_A);
    let effects = rig.feed(Input::StandbyConnected);
    assert!(effects.is_empty(), "{effects:#?}");

    // Lost again later: got back again.
    rig.feed(Input::StandbyLost(LinkLoss::SocketClosed));
    let effects = rig.fire_next_timer();
    assert_eq!(standby_target(&effects).unwrap().node, NODE_A);
    assert!(
        rig.machine.connection().is_connected(),
        "the main link is untouched"
    );
}

#[test]
fn back_on_the_kept_node_the_standby_closes_and_moves_to_the_other() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    fail_over_to_b(&mut rig);
    rig.feed(Input::StandbyConnected);

    lose_link(&mut rig);
    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    assert_eq!(op.node, NODE_B);
    let effects = rig.reply_err(op.id, refused());
    let probe = system_info_ops(&effects)[0].clone();
    assert_eq!(probe.node, NODE_A);
    let effects = rig.reply(probe.id, in_service_on_a());
    assert!(
        !has(&effects, |e| matches!(e, Effect::DisconnectStandby)),
        "kept until the main link is up on A"
    );
    let sync = rig.feed(Input::XmppConnected);
    let effects = rig.finish_sync(&sync, "rest_user_not_ready.xml", "rest_dialogs_empty.xml");
    let closed = effects
        .iter()
        .position(|e| matches!(e, Effect::DisconnectStandby))
        .expect("the standby on A closes");
    let opened = effects
        .iter()
        .position(|e| matches!(e, Effect::ConnectStandby(t) if t.node == NODE_B))
        .expect("presence is kept on B now");
    assert!(closed < opened);
}

#[test]
fn no_standby_after_a_reconnect_to_the_same_node() {
    let mut rig = ready_agent();
    let effects = outage_and_back(&mut rig, "rest_user_not_ready.xml");
    assert!(standby_target(&effects).is_none());
    assert_eq!(rig.machine.standby_node(), None);
}

#[test]
fn a_refused_password_on_the_standby_ends_the_session() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    fail_over_to_b(&mut rig);
    let effects = rig.feed(Input::StandbyConnectFailed(
        finesse::session::LinkFailure::new(
            finesse::session::LinkFailureKind::Authentication,
            "not-authorized",
        ),
    ));
    assert!(matches!(
        states(&effects).as_slice(),
        [ConnectionState::Failed { error }] if error.code() == "authentication_failed"
    ));
    assert!(has(&effects, |e| matches!(e, Effect::DisconnectXmpp)));
    assert!(rig.timers.is_empty());
}

#[test]
fn keeping_presence_on_the_node_left_can_be_turned_off() {
    let p = SessionPolicy {
        keep_presence_on_left_node: false,
        ..policy()
    };
    let mut rig = Rig::new(p);
    rig.connect("rest_user_not_ready.xml", "rest_dialogs_empty.xml");
    let effects = fail_over_to_b(&mut rig);
    assert!(standby_target(&effects).is_none());
}

#[test]
fn a_repeat_of_a_state_already_passed_is_late() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    rig.event("event_user_ready.xml", None);
    rig.event("event_user_not_ready_lunch_later.xml", None);
    // The READY comes again, after the newer NOT_READY, with its old stamp.
    let effects = rig.event("event_user_ready.xml", None);
    assert!(published(&effects).is_empty(), "{effects:#?}");
    rest_op(&effects, |r| matches!(r, RestRequest::User { .. }));
    assert_eq!(
        rig.machine.snapshot().user.as_ref().unwrap().state,
        AgentState::NotReady
    );
}

#[test]
fn two_states_with_the_same_time_are_checked_with_finesse() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    rig.event("event_user_ready_again.xml", None);
    // Same stamp, another state, right after an event: it cannot be put in order, so it
    // is applied and the User read again.
    let effects = rig.event("event_user_not_ready_lunch_same_time.xml", None);
    assert!(event_names(&effects).contains(&"user_changed"));
    let reread = rest_op(&effects, |r| matches!(r, RestRequest::User { .. }));
    let mut truth = user("rest_user_not_ready.xml");
    truth.state = AgentState::Ready;
    truth.state_change_time = Some("2024-03-05T09:13:30.000Z".into());
    rig.reply(reread.id, RestReply::User(truth));
    assert_eq!(
        rig.machine.snapshot().user.as_ref().unwrap().state,
        AgentState::Ready,
        "Finesse's answer wins"
    );
}

#[test]
fn a_call_update_with_the_same_time_but_other_states_is_checked_with_finesse() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let effects = rig.event("event_dialog_held.xml", None);
    assert!(
        rest_ops(&effects).is_empty(),
        "over a version from the GET: applied as it comes"
    );
    let effects = rig.event("event_dialog_active.xml", None);
    assert!(event_names(&effects).contains(&"dialog_updated"));
    let reread = rest_op(&effects, |r| matches!(r, RestRequest::Dialogs { .. }));
    let mut held = dialogs("rest_dialogs_active.xml");
    for participant in &mut held[0].participants {
        if participant.media_address == EXTENSION {
            participant.state = finesse::model::ParticipantState::Held;
        }
    }
    rig.reply(reread.id, RestReply::Dialogs(held));
    assert_eq!(
        rig.machine.snapshot().dialogs[DIALOG]
            .participant_for(EXTENSION)
            .unwrap()
            .state,
        finesse::model::ParticipantState::Held,
        "Finesse's answer wins"
    );
}

#[test]
fn a_re_read_overtaken_by_an_event_is_asked_again_rather_than_applied() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    rig.event("event_dialog_held.xml", None);
    let effects = rig.event("event_dialog_active.xml", None);
    let first = rest_op(&effects, |r| matches!(r, RestRequest::Dialogs { .. }));
    // The call ends while the GET is out; the GET was served before that.
    rig.event("event_dialogs_delete_later.xml", None);
    let effects = rig.reply(
        first.id,
        RestReply::Dialogs(dialogs("rest_dialogs_active.xml")),
    );
    assert!(
        rig.machine.snapshot().dialogs.is_empty(),
        "the ended call stays ended"
    );
    let second = rest_op(&effects, |r| matches!(r, RestRequest::Dialogs { .. }));
    let effects = rig.reply(
        second.id,
        RestReply::Dialogs(dialogs("rest_dialogs_empty.xml")),
    );
    assert!(published(&effects).is_empty());
    assert!(
        rest_ops(&effects).is_empty(),
        "settled: nothing moved meanwhile"
    );
}

#[test]
fn a_link_gone_silent_asks_the_other_node_at_once() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let effects = rig.feed(Input::XmppDisconnected(LinkLoss::PingTimeout));
    let probe = system_info_ops(&effects);
    assert_eq!(probe.len(), 1, "{effects:#?}");
    assert_eq!(probe[0].node, NODE_B);
    assert_eq!(rig.timers.len(), 1, "the retry of A is scheduled as well");
    let effects = rig.reply(probe[0].id, in_service_on_b());
    assert_eq!(xmpp_target(&effects).unwrap().node, NODE_B);
}
