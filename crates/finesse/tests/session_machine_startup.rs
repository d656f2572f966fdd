//! Start-up of the pure session machine (finesse-protocol.md §13.1): SystemInfo, login-name
//! resolution, XMPP, snapshot, reconcile — and the ways it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod session_support;

use std::time::Duration;

use finesse::model::AgentState;
use finesse::session::{
    Command, ConnectionState, Effect, Input, LinkFailure, LinkFailureKind, RestFailureKind,
    RestReply, RestRequest, SessionEvent,
};
use session_support::*;

#[test]
fn start_up_asks_system_info_then_resolves_the_user_then_opens_xmpp_then_takes_the_snapshot() {
    let mut rig = Rig::new(policy());
    let effects = rig.feed(Input::Start);
    assert_eq!(
        states(&effects),
        vec![ConnectionState::Connecting {
            node: NODE_A.into(),
            attempt: 1
        }]
    );
    let ops = rest_ops(&effects);
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].request, RestRequest::SystemInfo);
    assert_eq!(ops[0].node, NODE_A);

    let effects = rig.reply(
        ops[0].id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    let lookup = rest_op(&effects, |r| {
        matches!(r, RestRequest::UserByLoginName { .. })
    });
    assert_eq!(
        lookup.request,
        RestRequest::UserByLoginName {
            login: AGENT.into()
        }
    );
    assert!(xmpp_target(&effects).is_none(), "XMPP waits for the user");

    let effects = rig.reply(lookup.id, RestReply::User(user("rest_user_not_ready.xml")));
    let target = xmpp_target(&effects).expect("XMPP is opened");
    assert_eq!(target.node, NODE_A);
    assert_eq!(target.domain, "fin-a.example.com");
    assert_eq!(target.pubsub_domain, "pubsub.fin-a.example.com");
    assert_eq!(target.user_id, AGENT);
    assert!(
        rest_ops(&effects).is_empty(),
        "no snapshot before the stream is up"
    );

    let effects = rig.feed(Input::XmppConnected);
    let requests: Vec<RestRequest> = rest_ops(&effects).into_iter().map(|o| o.request).collect();
    assert_eq!(
        requests,
        vec![
            RestRequest::User {
                user_id: AGENT.into()
            },
            RestRequest::Dialogs {
                user_id: AGENT.into()
            }
        ]
    );
    assert!(!rig.machine.connection().is_connected());

    let effects = rig.finish_sync(
        &effects,
        "rest_user_not_ready.xml",
        "rest_dialogs_empty.xml",
    );
    assert_eq!(
        states(&effects),
        vec![ConnectionState::Connected {
            node: NODE_A.into()
        }]
    );
    let snapshot = rig.machine.snapshot();
    assert_eq!(snapshot.user.as_ref().unwrap().state, AgentState::NotReady);
    assert!(snapshot.system_info.as_ref().unwrap().is_in_service());
    assert!(event_names(&effects).contains(&"user_changed"));
}

#[test]
fn a_ucce_login_name_is_resolved_to_the_login_id_used_everywhere_after() {
    let mut rig = Rig::with_identity("csmith", policy());
    let effects = rig.feed(Input::Start);
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    let lookup = rest_op(&effects, |r| {
        matches!(r, RestRequest::UserByLoginName { .. })
    });
    assert_eq!(
        lookup.request,
        RestRequest::UserByLoginName {
            login: "csmith".into()
        }
    );
    let effects = rig.reply(lookup.id, RestReply::User(user("rest_user_not_ready.xml")));
    assert_eq!(xmpp_target(&effects).unwrap().user_id, "1001001");
    assert_eq!(rig.machine.user_id(), Some("1001001"));
    let effects = rig.feed(Input::XmppConnected);
    assert!(rest_ops(&effects).iter().all(|op| matches!(
        &op.request,
        RestRequest::User { user_id } | RestRequest::Dialogs { user_id } if user_id == "1001001"
    )));
}

#[test]
fn an_event_between_snapshot_and_stream_is_applied_over_the_snapshot() {
    let mut rig = Rig::new(policy());
    let effects = rig.feed(Input::Start);
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    let op = rest_op(&effects, |r| {
        matches!(r, RestRequest::UserByLoginName { .. })
    });
    rig.reply(op.id, RestReply::User(user("rest_user_not_ready.xml")));
    let sync = rig.feed(Input::XmppConnected);

    // The agent went READY and a call arrived while the GETs were in flight.
    let during = rig.event("event_user_ready.xml", None);
    assert!(published(&during).is_empty(), "buffered, not published yet");
    rig.event("event_dialogs_post_alerting.xml", None);

    let effects = rig.finish_sync(&sync, "rest_user_not_ready.xml", "rest_dialogs_empty.xml");
    let snapshot = rig.machine.snapshot();
    assert_eq!(snapshot.user.as_ref().unwrap().state, AgentState::Ready);
    assert!(snapshot.dialogs.contains_key(DIALOG));

    let names = event_names(&effects);
    let connected_at = names
        .iter()
        .position(|n| *n == "connection_changed")
        .unwrap();
    let added_at = names.iter().position(|n| *n == "dialog_added").unwrap();
    assert!(connected_at < added_at, "{names:?}");
}

#[test]
fn buffered_events_are_applied_in_arrival_order() {
    let mut rig = Rig::new(policy());
    let effects = rig.feed(Input::Start);
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    let op = rest_op(&effects, |r| {
        matches!(r, RestRequest::UserByLoginName { .. })
    });
    rig.reply(op.id, RestReply::User(user("rest_user_not_ready.xml")));
    let sync = rig.feed(Input::XmppConnected);
    rig.event("event_dialogs_post_alerting.xml", None);
    rig.event("event_dialogs_delete.xml", None);

    // The GET was served between the two events and still shows the call.
    rig.finish_sync(
        &sync,
        "rest_user_not_ready.xml",
        "rest_dialogs_alerting.xml",
    );
    assert!(
        rig.machine.snapshot().dialogs.is_empty(),
        "the call that ended is gone"
    );
}

#[test]
fn the_first_snapshot_publishes_every_dialog_as_added() {
    let mut rig = Rig::new(policy());
    let effects = rig.connect("rest_user_talking.xml", "rest_dialogs_active.xml");
    let added: Vec<String> = published(&effects)
        .into_iter()
        .filter_map(|e| match e {
            SessionEvent::DialogAdded { dialog, .. } => Some(dialog.id),
            _ => None,
        })
        .collect();
    assert_eq!(added, vec![DIALOG.to_owned()]);
    assert!(event_names(&effects).contains(&"snapshot_changed"));
    assert!(!event_names(&effects).contains(&"resynced"));
}

#[test]
fn a_wrong_password_fails_at_once_and_nothing_is_retried() {
    let mut rig = Rig::new(policy());
    let effects = rig.feed(Input::Start);
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply_err(op.id, failure(RestFailureKind::Authentication, 401));
    match states(&effects).as_slice() {
        [ConnectionState::Failed { error }] => assert_eq!(error.code(), "authentication_failed"),
        other => panic!("expected Failed, got {other:?}"),
    }
    assert!(rest_ops(&effects).is_empty());
    assert!(rig.timers.is_empty(), "no retry is scheduled");
    assert!(rig.machine.connection().is_terminal());

    let (id, effects) = rig.command(Command::Layout);
    assert_eq!(done_err(&effects, id).code(), "not_connected");
    assert!(rest_ops(&effects).is_empty());
}

#[test]
fn a_password_refused_by_xmpp_fails_at_once() {
    let mut rig = Rig::new(policy());
    let effects = rig.feed(Input::Start);
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    let op = rest_op(&effects, |r| {
        matches!(r, RestRequest::UserByLoginName { .. })
    });
    rig.reply(op.id, RestReply::User(user("rest_user_not_ready.xml")));
    let effects = rig.feed(Input::XmppConnectFailed(LinkFailure::new(
        LinkFailureKind::Authentication,
        "not-authorized",
    )));
    assert!(matches!(
        rig.machine.connection(),
        ConnectionState::Failed { error } if error.code() == "authentication_failed"
    ));
    assert!(rest_ops(&effects).is_empty());
    assert!(rig.timers.is_empty());
}

#[test]
fn an_unknown_user_fails_without_retrying() {
    let mut rig = Rig::with_identity("nobody", policy());
    let effects = rig.feed(Input::Start);
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    let op = rest_op(&effects, |r| {
        matches!(r, RestRequest::UserByLoginName { .. })
    });
    rig.reply_err(op.id, failure(RestFailureKind::Rejected, 404));
    assert!(matches!(
        rig.machine.connection(),
        ConnectionState::Failed { error } if error.code() == "rejected"
    ));
    assert!(rig.timers.is_empty());
}

#[test]
fn a_node_out_of_service_at_start_is_waited_for() {
    let mut rig = Rig::new(policy());
    let effects = rig.feed(Input::Start);
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_out_of_service.xml")),
    );
    match states(&effects).as_slice() {
        [ConnectionState::OutOfService { node, reason }] => {
            assert_eq!(node, NODE_A);
            assert!(reason.contains("CTI connection lost"), "{reason}");
        }
        other => panic!("expected OutOfService, got {other:?}"),
    }
    assert!(
        xmpp_target(&effects).is_none(),
        "no XMPP while out of service"
    );
    assert_eq!(rig.next_timer_in(), Duration::from_secs(1));

    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    assert_eq!(op.node, NODE_A);
    let effects = rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    assert!(rest_ops(&effects)
        .iter()
        .any(|o| matches!(o.request, RestRequest::UserByLoginName { .. })));
}

#[test]
fn an_unreachable_node_is_retried_with_backoff_then_the_next_node_is_tried() {
    let mut rig = Rig::new(policy());
    let mut effects = rig.feed(Input::Start);
    let mut seen = Vec::new();
    for _ in 0..3 {
        let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
        seen.push(op.node.clone());
        rig.reply_err(op.id, failure(RestFailureKind::Unreachable, 502));
        seen.push(format!("{:?}", rig.next_timer_in()));
        effects = rig.fire_next_timer();
    }
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    seen.push(op.node.clone());
    assert_eq!(seen, vec![NODE_A, "1s", NODE_A, "2s", NODE_A, "4s", NODE_B]);
    assert_eq!(
        rig.machine.connection(),
        &ConnectionState::Connecting {
            node: NODE_B.into(),
            attempt: 4
        }
    );
}

#[test]
fn giving_up_after_the_attempt_limit_reports_unreachable() {
    let mut p = policy();
    p.max_attempts = Some(2);
    let mut rig = Rig::new(p);
    let effects = rig.feed(Input::Start);
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    rig.reply_err(op.id, failure(RestFailureKind::Unreachable, 502));
    let effects = rig.fire_next_timer();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply_err(op.id, failure(RestFailureKind::Unreachable, 502));
    match states(&effects).as_slice() {
        [ConnectionState::Failed { error }] => assert_eq!(error.code(), "unreachable"),
        other => panic!("expected Failed, got {other:?}"),
    }
    assert!(rig.timers.is_empty());
}

#[test]
fn a_conflict_while_opening_xmpp_means_signed_in_elsewhere_and_no_retry() {
    let mut rig = Rig::new(policy());
    let effects = rig.feed(Input::Start);
    let op = rest_op(&effects, |r| matches!(r, RestRequest::SystemInfo));
    let effects = rig.reply(
        op.id,
        RestReply::SystemInfo(system_info("rest_system_info_in_service.xml")),
    );
    let op = rest_op(&effects, |r| {
        matches!(r, RestRequest::UserByLoginName { .. })
    });
    rig.reply(op.id, RestReply::User(user("rest_user_not_ready.xml")));
    rig.feed(Input::XmppConnectFailed(LinkFailure::new(
        LinkFailureKind::SignedInElsewhere,
        "conflict",
    )));
    assert_eq!(
        rig.machine.connection(),
        &ConnectionState::SignedInElsewhere
    );
    assert!(rig.timers.is_empty());
}

#[test]
fn the_other_node_is_learned_from_system_info() {
    let mut p = policy();
    p.nodes = vec![NODE_A.into()];
    p.learn_nodes_from_system_info = true;
    let mut rig = Rig::new(p);
    rig.connect("rest_user_not_ready.xml", "rest_dialogs_empty.xml");
    assert_eq!(rig.machine.nodes(), &[NODE_A.to_owned(), NODE_B.to_owned()]);
}

#[test]
fn commands_are_refused_while_connecting_and_nothing_is_queued() {
    let mut rig = Rig::new(policy());
    rig.feed(Input::Start);
    let (id, effects) = rig.command(Command::ChangeState {
        state: AgentState::Ready,
        reason_code_id: None,
    });
    assert_eq!(done_err(&effects, id).code(), "not_connected");
    assert!(rest_ops(&effects).is_empty());
    assert_eq!(rig.machine.pending_commands(), 0);
}

#[test]
fn shutdown_unsubscribes_explicit_nodes_and_closes_xmpp_without_logging_out() {
    let mut rig = Rig::new(policy());
    rig.connect("rest_supervisor_not_ready.xml", "rest_dialogs_empty.xml");
    let (id, effects) = rig.command(Command::LoadTeam {
        team_id: "5005".into(),
    });
    let effects = rig
        .feed(Input::SubscriptionDone {
            node: "/finesse/api/Team/5005/Users".into(),
            subscribed: true,
            result: Ok(()),
        })
        .into_iter()
        .chain(effects)
        .collect::<Vec<_>>();
    let op = rest_op(&effects, |r| matches!(r, RestRequest::Team { .. }));
    let effects = rig.reply(op.id, RestReply::Team(team("rest_team_5005.xml")));
    done_ok(&effects, id);

    let effects = rig.feed(Input::Shutdown);
    let unsubscribe_at = effects
        .iter()
        .position(
            |e| matches!(e, Effect::Unsubscribe { node } if node == "/finesse/api/Team/5005/Users"),
        )
        .expect("unsubscribes the team node");
    let disconnect_at = effects
        .iter()
        .position(|e| matches!(e, Effect::DisconnectXmpp))
        .expect("closes XMPP");
    assert!(unsubscribe_at < disconnect_at);
    assert!(rest_ops(&effects).is_empty(), "the agent is not logged out");
    assert_eq!(rig.machine.connection(), &ConnectionState::Disconnected);
}
