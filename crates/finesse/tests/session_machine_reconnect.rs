//! Losing and regaining the link: backoff, failover, authentication failures, conflict,
//! out-of-service and Finesse-unavailable waits, resync, and the agent's choices.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod session_support;

use std::time::Duration;

use finesse::model::request::{DialogRequest, UserRequest};
use finesse::model::AgentState;
use finesse::session::{
    AppliedChoice, Backoff, Command, ConnectionState, Effect, Input, LinkFailure, LinkFailureKind,
    LinkLoss, Millis, RestFailureKind, RestReply, RestRequest, SessionError, SessionEvent,
    StateChoice,
};
use session_support::*;

/// After a loss: fire the backoff timer, answer SystemInfo, open XMPP (no look-up again).
fn reconnect_until_sync(rig: &mut Rig) -> Vec<Effect> {
    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    assert!(
        rest_ops(&effects).is_empty(),
        "the login id is known: no look-up again"
    );
    assert!(xmpp_target(&effects).is_some());
    rig.feed(Input::XmppConnected)
}

fn lose_link(rig: &mut Rig) -> Vec<Effect> {
    rig.feed(Input::XmppDisconnected(LinkLoss::SocketClosed))
}

#[test]
fn a_lost_link_reconnects_after_backoff_and_reports_dialogs_that_vanished() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_talking.xml", "rest_dialogs_active.xml");
    rig.now = Millis(60_000);
    let effects = lose_link(&mut rig);
    match states(&effects).as_slice() {
        [ConnectionState::Reconnecting {
            node,
            attempt,
            since,
            last_error,
        }] => {
            assert_eq!(node, NODE_A);
            assert_eq!(*attempt, 1);
            assert_eq!(*since, Millis(60_000));
            assert_eq!(last_error.code(), "unreachable");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(rig.next_timer_in(), Duration::from_secs(1));
    assert!(rest_ops(&effects).is_empty(), "nothing before the backoff");

    let sync = reconnect_until_sync(&mut rig);
    let effects = rig.finish_sync(&sync, "rest_user_not_ready.xml", "rest_dialogs_empty.xml");
    let events = published(&effects);
    assert!(events.iter().any(|e| matches!(
        e,
        SessionEvent::DialogRemoved { dialog, vanished: true, .. } if dialog.id == DIALOG
    )));
    assert!(events.iter().any(|e| matches!(
        e,
        SessionEvent::Resynced { vanished_dialogs } if vanished_dialogs == &vec![DIALOG.to_owned()]
    )));
    assert!(rig.machine.snapshot().dialogs.is_empty());
    assert_eq!(
        rig.machine.snapshot().user.as_ref().unwrap().state,
        AgentState::NotReady
    );
}

#[test]
fn backoff_grows_with_each_failed_attempt_and_moves_to_the_next_node() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    lose_link(&mut rig);
    let mut delays = vec![rig.next_timer_in()];
    let mut nodes = Vec::new();
    for _ in 0..4 {
        let effects = rig.fire_next_timer();
        let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
        nodes.push(op.node.clone());
        rig.reply_err(op.id, failure(RestFailureKind::Unreachable, 502));
        delays.push(rig.next_timer_in());
    }
    let secs: Vec<u64> = delays.iter().map(Duration::as_secs).collect();
    assert_eq!(secs, vec![1, 2, 4, 8, 16]);
    assert_eq!(nodes, vec![NODE_A, NODE_A, NODE_A, NODE_B]);
    assert!(matches!(
        rig.machine.connection(),
        ConnectionState::Reconnecting { node, attempt: 5, .. } if node == NODE_B
    ));
}

#[test]
fn jitter_is_reproducible_and_stays_within_its_ratio() {
    let mut p = policy();
    p.backoff = Backoff {
        initial: Duration::from_secs(2),
        max: Duration::from_secs(60),
        multiplier: 2.0,
        jitter_ratio: 0.5,
    };
    let run = |p: finesse::session::SessionPolicy| {
        let mut rig = Rig::new(p);
        rig.connect("rest_user_not_ready.xml", "rest_dialogs_empty.xml");
        lose_link(&mut rig);
        let mut delays = vec![rig.next_timer_in()];
        for _ in 0..3 {
            let effects = rig.fire_next_timer();
            let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
            rig.reply_err(op.id, failure(RestFailureKind::Unreachable, 502));
            delays.push(rig.next_timer_in());
        }
        delays
    };
    let first = run(p.clone());
    assert_eq!(first, run(p));
    for (delay, base) in first.iter().zip([2u64, 4, 8, 16]) {
        let ms = delay.as_millis() as u64;
        assert!(ms >= base * 500 && ms < base * 1500, "{ms} vs base {base}s");
    }
    assert!(
        first
            .iter()
            .zip([2u64, 4, 8, 16])
            .any(|(d, b)| d.as_millis() as u64 != b * 1000),
        "jitter moved at least one delay: {first:?}"
    );
}

#[test]
fn commands_in_flight_fail_with_connection_lost_and_new_ones_are_refused() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::ChangeState {
        state: AgentState::Ready,
        reason_code_id: None,
    });
    rig.accept(&effects);
    let effects = lose_link(&mut rig);
    assert_eq!(done_err(&effects, id).code(), "connection_lost");

    let (refused, effects) = rig.command(Command::ChangeState {
        state: AgentState::Ready,
        reason_code_id: None,
    });
    match done_err(&effects, refused) {
        SessionError::NotConnected { state } => assert_eq!(state, "reconnecting"),
        other => panic!("{other:?}"),
    }
    assert!(rest_ops(&effects).is_empty());
    assert_eq!(rig.machine.pending_commands(), 0);
}

#[test]
fn a_refused_password_while_reconnecting_stops_retrying_at_once() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    lose_link(&mut rig);
    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    rig.reply_err(op.id, failure(RestFailureKind::Authentication, 401));
    assert!(matches!(
        rig.machine.connection(),
        ConnectionState::Failed { error } if error.code() == "authentication_failed"
    ));
    assert!(rig.timers.is_empty());
    let requests_after = rig
        .log
        .iter()
        .rev()
        .take_while(|e| !matches!(e, Effect::Connection(ConnectionState::Failed { .. })))
        .filter(|e| matches!(e, Effect::Rest(_)))
        .count();
    assert_eq!(requests_after, 0);
}

#[test]
fn sasl_refusal_while_reconnecting_stops_retrying_at_once() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    lose_link(&mut rig);
    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    rig.feed(Input::XmppConnectFailed(LinkFailure::new(
        LinkFailureKind::Authentication,
        "not-authorized",
    )));
    assert!(matches!(
        rig.machine.connection(),
        ConnectionState::Failed { .. }
    ));
    assert!(rig.timers.is_empty());
}

#[test]
fn a_conflict_means_signed_in_elsewhere_and_no_reconnect() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::ChangeState {
        state: AgentState::Ready,
        reason_code_id: None,
    });
    rig.accept(&effects);
    let effects = rig.feed(Input::XmppDisconnected(LinkLoss::SignedInElsewhere));
    assert_eq!(states(&effects), vec![ConnectionState::SignedInElsewhere]);
    assert_eq!(done_err(&effects, id).code(), "signed_in_elsewhere");
    assert!(rig.timers.is_empty());
    assert!(rest_ops(&effects).is_empty());
}

#[test]
fn out_of_service_keeps_xmpp_and_resyncs_when_in_service_again() {
    let mut rig = Rig::connected_agent("rest_dialogs_active.xml");
    let effects = rig.event("event_system_info_out_of_service.xml", None);
    assert!(matches!(
        states(&effects).as_slice(),
        [ConnectionState::OutOfService { node, reason }] if node == NODE_A && reason.contains("CTI connection lost")
    ));
    assert!(!has(&effects, |e| matches!(e, Effect::DisconnectXmpp)));
    let (id, effects) = rig.command(Command::Hold {
        dialog_id: DIALOG.into(),
    });
    assert_eq!(done_err(&effects, id).code(), "not_connected");

    let effects = rig.event("event_system_info_in_service.xml", None);
    assert!(xmpp_target(&effects).is_none(), "XMPP was kept");
    let effects = rig.finish_sync(&effects, "rest_user_talking.xml", "rest_dialogs_active.xml");
    assert!(states(&effects)
        .iter()
        .any(|s| matches!(s, ConnectionState::Connected { .. })));
}

#[test]
fn out_of_service_is_polled_in_case_the_recovery_event_is_missed() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    rig.event("event_system_info_out_of_service.xml", None);
    assert_eq!(rig.next_timer_in(), Duration::from_secs(10));
    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_out_of_service.xml")),
    );
    assert!(matches!(
        rig.machine.connection(),
        ConnectionState::OutOfService { .. }
    ));
    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    rig.finish_sync(
        &effects,
        "rest_user_not_ready.xml",
        "rest_dialogs_empty.xml",
    );
}

#[test]
fn finesse_going_unavailable_is_waited_for_then_resynced() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    let effects = rig.feed(Input::FinessePresence { available: false });
    assert!(matches!(
        states(&effects).as_slice(),
        [ConnectionState::Reconnecting { attempt: 1, .. }]
    ));
    assert!(!has(&effects, |e| matches!(e, Effect::DisconnectXmpp)));
    let effects = rig.feed(Input::FinessePresence { available: true });
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    assert!(xmpp_target(&effects).is_none(), "XMPP stayed up");
    rig.finish_sync(
        &effects,
        "rest_user_not_ready.xml",
        "rest_dialogs_empty.xml",
    );
}

#[test]
fn finesse_unavailable_for_too_long_drops_xmpp_and_reconnects() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    rig.feed(Input::FinessePresence { available: false });
    let effects = rig.advance(Duration::from_secs(15));
    assert!(has(&effects, |e| matches!(e, Effect::DisconnectXmpp)));
    assert_eq!(rig.next_timer_in(), Duration::from_secs(2));
    let sync = reconnect_until_sync(&mut rig);
    rig.finish_sync(&sync, "rest_user_not_ready.xml", "rest_dialogs_empty.xml");
}

#[test]
fn followed_teams_are_resubscribed_and_reread_after_a_reconnect() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_supervisor_not_ready.xml", "rest_dialogs_empty.xml");
    let (_, _) = rig.command(Command::LoadTeam {
        team_id: "5005".into(),
    });
    let effects = rig.feed(Input::SubscriptionDone {
        node: "/finesse/api/Team/5005/Users".into(),
        subscribed: true,
        result: Ok(()),
    });
    let op = rest_op(&effects, |r| matches!(r, RestRequest::Team { .. }));
    rig.reply(op.id, RestReply::Team(team("rest_team_5005.xml")));

    lose_link(&mut rig);
    let sync = reconnect_until_sync(&mut rig);
    assert!(has(
        &sync,
        |e| matches!(e, Effect::Subscribe { node } if node == "/finesse/api/Team/5005/Users")
    ));
    rig.finish_sync(
        &sync,
        "rest_supervisor_not_ready.xml",
        "rest_dialogs_empty.xml",
    );
    let effects = rig.feed(Input::SubscriptionDone {
        node: "/finesse/api/Team/5005/Users".into(),
        subscribed: true,
        result: Ok(()),
    });
    let op = rest_op(
        &effects,
        |r| matches!(r, RestRequest::Team { team_id } if team_id == "5005"),
    );
    let mut fresh = team("rest_team_5005.xml");
    fresh.users[0].state = AgentState::Ready;
    let effects = rig.reply(op.id, RestReply::Team(fresh));
    assert!(event_names(&effects).contains(&"team_changed"));
    assert_eq!(
        rig.machine.snapshot().teams["5005"].users[0].state,
        AgentState::Ready
    );
}

#[test]
fn a_chosen_wrap_up_reason_survives_a_reconnect_and_is_sent_again() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_work.xml", "rest_dialogs_wrap_up.xml");
    let (id, effects) = rig.command(Command::SetWrapUpReason {
        dialog_id: DIALOG.into(),
        reason: "Sales Call".into(),
    });
    rig.accept(&effects);
    let effects = lose_link(&mut rig);
    assert_eq!(done_err(&effects, id).code(), "connection_lost");
    assert_eq!(rig.machine.choices().wrap_up_reasons.len(), 1);

    let sync = reconnect_until_sync(&mut rig);
    let effects = rig.finish_sync(&sync, "rest_user_work.xml", "rest_dialogs_wrap_up.xml");
    match rest_op(&effects, |r| matches!(r, RestRequest::PutDialog { .. })).request {
        RestRequest::PutDialog {
            dialog_id, body, ..
        } => {
            assert_eq!(dialog_id, DIALOG);
            assert_eq!(
                body,
                DialogRequest::UpdateCallData {
                    wrap_up_reason: Some("Sales Call".into()),
                    call_variables: vec![]
                }
            );
        }
        _ => unreachable!(),
    }
    rig.accept(&effects);
    let effects = rig.event("event_dialog_wrap_up_reason.xml", None);
    assert!(published(&effects).iter().any(|e| matches!(
        e,
        SessionEvent::ChoiceApplied { what: AppliedChoice::WrapUpReason { reason, .. }, error: None } if reason == "Sales Call"
    )));
    assert!(rig.machine.choices().wrap_up_reasons.is_empty());
}

#[test]
fn a_wrap_up_reason_for_a_call_that_ended_while_away_is_forgotten() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_work.xml", "rest_dialogs_wrap_up.xml");
    let (_, effects) = rig.command(Command::SetWrapUpReason {
        dialog_id: DIALOG.into(),
        reason: "Sales Call".into(),
    });
    rig.accept(&effects);
    lose_link(&mut rig);
    let sync = reconnect_until_sync(&mut rig);
    let effects = rig.finish_sync(&sync, "rest_user_not_ready.xml", "rest_dialogs_empty.xml");
    assert!(rig.machine.choices().wrap_up_reasons.is_empty());
    assert!(!has(
        &effects,
        |e| matches!(e, Effect::Rest(op) if matches!(op.request, RestRequest::PutDialog { .. }))
    ));
}

fn lunch_after_call() -> Command {
    Command::SetStateAfterCall {
        choice: Some(StateChoice {
            state: AgentState::NotReady,
            reason_code_id: Some("16".into()),
        }),
    }
}

#[test]
fn the_state_chosen_for_after_the_call_is_taken_when_wrap_up_ends() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_talking.xml", "rest_dialogs_active.xml");
    let (id, effects) = rig.command(lunch_after_call());
    done_ok(&effects, id);
    let effects = rig.event("event_user_work.xml", None);
    assert!(rest_ops(&effects).is_empty(), "still wrapping up");
    let effects = rig.event("event_user_ready.xml", None);
    assert_eq!(
        match rest_op(&effects, |r| matches!(r, RestRequest::PutUser { .. })).request {
            RestRequest::PutUser { body, .. } => body,
            _ => unreachable!(),
        },
        UserRequest::ChangeState {
            state: AgentState::NotReady,
            reason_code_id: Some("16".into())
        }
    );
    assert!(rig.machine.choices().after_call.is_none());
    rig.accept(&effects);
    let effects = rig.event("event_user_not_ready_lunch.xml", None);
    assert!(published(&effects).iter().any(|e| matches!(
        e,
        SessionEvent::ChoiceApplied {
            what: AppliedChoice::AfterCallState { .. },
            error: None
        }
    )));
}

#[test]
fn the_after_call_state_survives_a_reconnect_when_the_call_ended_meanwhile() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_talking.xml", "rest_dialogs_active.xml");
    rig.command(lunch_after_call());
    let effects = lose_link(&mut rig);
    assert!(rest_ops(&effects).is_empty());
    assert!(
        rig.machine.choices().after_call.is_some(),
        "kept while away"
    );
    let sync = reconnect_until_sync(&mut rig);
    let effects = rig.finish_sync(&sync, "rest_user_not_ready.xml", "rest_dialogs_empty.xml");
    assert!(has(&effects, |e| matches!(
        e,
        Effect::Rest(op) if matches!(&op.request, RestRequest::PutUser { body: UserRequest::ChangeState { state: AgentState::NotReady, reason_code_id: Some(r) }, .. } if r == "16")
    )));
}

#[test]
fn an_after_call_state_already_reached_sends_nothing() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_user_talking.xml", "rest_dialogs_active.xml");
    rig.command(lunch_after_call());
    let effects = rig.event("event_user_not_ready_lunch.xml", None);
    assert!(rest_ops(&effects).is_empty());
    assert!(rig.machine.choices().after_call.is_none());
}

#[test]
fn the_after_call_state_can_be_chosen_while_disconnected_but_not_a_system_state() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    lose_link(&mut rig);
    let (id, effects) = rig.command(lunch_after_call());
    done_ok(&effects, id);
    assert!(event_names(&effects).contains(&"choices_changed"));
    let (bad, effects) = rig.command(Command::SetStateAfterCall {
        choice: Some(StateChoice {
            state: AgentState::Talking,
            reason_code_id: None,
        }),
    });
    assert_eq!(done_err(&effects, bad).code(), "invalid_request");
}

#[test]
fn out_of_service_during_the_sync_waits_with_xmpp_kept() {
    let mut rig = Rig::connected_agent("rest_dialogs_empty.xml");
    lose_link(&mut rig);
    let sync = reconnect_until_sync(&mut rig);
    let op = rest_op(&sync, |r| matches!(r, RestRequest::User { .. }));
    let effects = rig.reply_err(op.id, failure(RestFailureKind::OutOfService, 503));
    assert!(matches!(
        rig.machine.connection(),
        ConnectionState::OutOfService { .. }
    ));
    assert!(!has(&effects, |e| matches!(e, Effect::DisconnectXmpp)));
    let effects = rig.event("event_system_info_in_service.xml", None);
    rig.finish_sync(
        &effects,
        "rest_user_not_ready.xml",
        "rest_dialogs_empty.xml",
    );
}
