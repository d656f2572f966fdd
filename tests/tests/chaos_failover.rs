//! Chaos scenarios: the session against the emulator's two nodes, each behind a fault
//! proxy. After every scenario the client's view equals the emulator's truth, no forced
//! logout happened for an outage shorter than Finesse's grace, and nothing was asked again
//! after a 401.
//!
//! The emulator runs on a manual clock: an outage "lasts" as long as the test moves the
//! clock while the fault is on, and Finesse's 60 s presence timer is checked by moving the
//! clock a whole grace further once the client is back. The client runs in real time with
//! fast timings; nothing here waits for time to pass — every wait is for a state or an
//! event, with a generous safety net.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use finesse::model::{AgentState, Dialog, ParticipantState};
use finesse::session::{ConnectionState, Session, SessionEvent, StateChoice};
use finesse_emulator::center::{AgentState as TruthState, CallId, NodeId};
use ringside_tests::chaos::*;
use ringside_tests::fault_proxy::{Direction, FaultMode};

const AGENT: &str = "1001";
const EXTENSION: &str = "2001";
const CALLER: &str = "4085550100";

async fn dialog_added(events: &mut tokio::sync::broadcast::Receiver<SessionEvent>) -> Dialog {
    match next_event(events, "a new dialog", |e| {
        matches!(e, SessionEvent::DialogAdded { .. })
    })
    .await
    {
        SessionEvent::DialogAdded { dialog, .. } => dialog,
        _ => unreachable!(),
    }
}

/// A customer call ringing at the agent.
async fn ringing_call(chaos: &ChaosLab, session: &Session) -> (CallId, String) {
    let mut events = session.events();
    let call = chaos.customer_call(CALLER);
    let dialog = dialog_added(&mut events).await;
    (call, dialog.id)
}

/// A customer call the agent answered.
async fn answered_call(chaos: &ChaosLab, session: &Session) -> (CallId, String) {
    let (call, dialog) = ringing_call(chaos, session).await;
    // Distinct stamps for distinct states, as real time would give them.
    chaos.lab.advance_clock(Duration::from_secs(1));
    within("answer", session.answer(&dialog)).await.unwrap();
    (call, dialog)
}

/// Waits until the session's standby connection holds the agent's presence on `node`.
async fn presence_kept_on(chaos: &ChaosLab, node: NodeId) {
    let kept = chaos
        .lab
        .wait_for_xmpp_sessions(node, PATIENCE, |sessions| {
            sessions
                .iter()
                .any(|s| s.available && s.user_id == AGENT && s.full_jid.ends_with("-standby"))
        })
        .await;
    assert!(
        kept,
        "no standby presence on {node:?}: {:?}",
        chaos.lab.xmpp_sessions(node)
    );
}

fn agent_participant(chaos: &ChaosLab, call: CallId) -> Option<String> {
    chaos.lab.truth().call(call).and_then(|c| {
        c.participants
            .iter()
            .find(|p| p.address == EXTENSION)
            .map(|p| p.state.as_str().to_owned())
    })
}

/// The checks every scenario ends with: the client shows what Finesse has; a whole grace
/// later nobody was forced out (the presence timer of the outage was cancelled by the
/// reconnect, or never started); nothing was asked again after a 401.
async fn assert_kept_signed_in(chaos: &ChaosLab, session: &Session, recorder: &Recorder) {
    assert_converged(chaos, session, AGENT).await;
    chaos.lab.advance_clock(PRESENCE_GRACE);
    assert_converged(chaos, session, AGENT).await;
    assert!(
        !forced_out_in_truth(&chaos.lab.truth(), AGENT),
        "forced out: {:?}",
        chaos.lab.truth().agent(AGENT)
    );
    let forced: Vec<_> = recorder
        .recorded()
        .forced
        .into_iter()
        .filter(|(_, code)| matches!(code, Some(50002) | Some(255)))
        .collect();
    assert!(forced.is_empty(), "forced changes reported: {forced:?}");
    assert!(
        requests_after_a_401(&chaos.lab, AGENT).is_empty(),
        "asked again after a 401"
    );
}

#[tokio::test]
async fn an_xmpp_drop_mid_call_is_bridged_and_commands_meanwhile_are_refused() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let recorder = Recorder::watch(&session);
    let (call, dialog) = answered_call(&chaos, &session).await;

    chaos.fault(NodeId::A, FaultMode::Drop);
    chaos.fault(NodeId::B, FaultMode::Drop);
    wait_lost(&session).await;
    chaos.lab.advance_clock(Duration::from_secs(40));
    let refused = session.hold(&dialog).await.unwrap_err();
    assert_eq!(refused.code(), "not_connected", "refused, not queued");

    chaos.heal();
    wait_connected_to(&session, NodeId::A).await;
    assert_kept_signed_in(&chaos, &session, &recorder).await;
    assert_eq!(
        agent_participant(&chaos, call).as_deref(),
        Some("ACTIVE"),
        "the hold refused while away was never sent"
    );
    within("hold", session.hold(&dialog)).await.unwrap();
    assert_converged(&chaos, &session, AGENT).await;
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn node_a_out_of_service_moves_the_agent_to_b() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let recorder = Recorder::watch(&session);

    chaos
        .lab
        .set_out_of_service(NodeId::A, true, "CTI link down");
    wait_connected_to(&session, NodeId::B).await;
    assert_kept_signed_in(&chaos, &session, &recorder).await;
    assert_eq!(
        recorder.recorded().reconnected,
        vec![(host(NodeId::B).to_owned(), true)]
    );

    // B serves calls.
    let (call, _) = answered_call(&chaos, &session).await;
    assert_eq!(agent_participant(&chaos, call).as_deref(), Some("ACTIVE"));
    chaos.lab.set_out_of_service(NodeId::A, false, "");
    assert_converged(&chaos, &session, AGENT).await;
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn a_dies_while_a_call_rings_and_the_call_is_answered_on_b() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let recorder = Recorder::watch(&session);
    let (call, dialog) = ringing_call(&chaos, &session).await;

    chaos.lab.stop_node(NodeId::A).await;
    wait_connected_to(&session, NodeId::B).await;
    assert_converged(&chaos, &session, AGENT).await;
    let shown = session.snapshot().dialogs[&dialog].clone();
    assert_eq!(
        shown.participant_for(EXTENSION).unwrap().state,
        ParticipantState::Alerting
    );
    within("answer on B", session.answer(&dialog))
        .await
        .unwrap();
    assert_eq!(agent_participant(&chaos, call).as_deref(), Some("ACTIVE"));

    chaos.lab.start_node(NodeId::A).await.unwrap();
    assert_kept_signed_in(&chaos, &session, &recorder).await;
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn both_nodes_down_then_a_back_and_the_agent_is_told_it_takes_long() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let recorder = Recorder::watch(&session);
    let mut events = session.events();

    chaos.lab.stop_node(NodeId::A).await;
    chaos.lab.stop_node(NodeId::B).await;
    wait_lost(&session).await;
    next_event(
        &mut events,
        "the struggling notice",
        |e| matches!(e, SessionEvent::ReconnectStruggling { attempts, .. } if *attempts >= 3),
    )
    .await;
    chaos.lab.advance_clock(Duration::from_secs(30));

    chaos.lab.start_node(NodeId::A).await.unwrap();
    wait_connected_to(&session, NodeId::A).await;
    assert_kept_signed_in(&chaos, &session, &recorder).await;
    assert_eq!(recorder.recorded().struggling, 1, "one notice per outage");
    chaos.lab.start_node(NodeId::B).await.unwrap();
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn service_unavailable_answers_during_failover_are_waited_out() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let recorder = Recorder::watch(&session);

    chaos
        .lab
        .set_out_of_service(NodeId::B, true, "CTI failover");
    chaos.lab.stop_node(NodeId::A).await;
    wait_lost(&session).await;
    // B answers 503 / OUT_OF_SERVICE while A refuses: the session keeps asking both.
    wait_state(
        &session,
        "B out of service",
        |s| matches!(s, ConnectionState::OutOfService { node, .. } if node == host(NodeId::B)),
    )
    .await;
    chaos.lab.advance_clock(Duration::from_secs(20));
    chaos.lab.set_out_of_service(NodeId::B, false, "");
    wait_connected_to(&session, NodeId::B).await;
    assert_kept_signed_in(&chaos, &session, &recorder).await;
    chaos.lab.start_node(NodeId::A).await.unwrap();
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn repeated_and_reordered_events_leave_the_client_where_finesse_is() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let mut events = session.events();
    // Every User event of the next few comes again 5 s later, after newer ones; the next
    // Dialogs event arrives 2 s late, behind the ones that follow it.
    chaos.lab.duplicate_events(
        NodeId::A,
        "/finesse/api/User/1001",
        6,
        Duration::from_secs(5),
    );

    within(
        "not ready",
        session.change_state(AgentState::NotReady, Some("2".into())),
    )
    .await
    .unwrap();
    chaos.lab.advance_clock(Duration::from_secs(1));
    within("ready", session.change_state(AgentState::Ready, None))
        .await
        .unwrap();
    chaos.lab.advance_clock(Duration::from_secs(1));
    let (call, dialog) = answered_call(&chaos, &session).await;
    chaos.lab.advance_clock(Duration::from_secs(1));
    chaos.lab.delay_events(
        NodeId::A,
        "/finesse/api/User/1001/Dialogs",
        1,
        Duration::from_secs(2),
    );
    chaos.lab.hang_up(call).unwrap();
    // The late copies and the held-up update all arrive now.
    chaos.lab.advance_clock(Duration::from_secs(6));
    assert_converged(&chaos, &session, AGENT).await;

    let mut added = 0;
    while let Ok(event) = events.try_recv() {
        if matches!(&event, SessionEvent::DialogAdded { dialog: d, .. } if d.id == dialog) {
            added += 1;
        }
    }
    assert_eq!(added, 1, "the call rang once");
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn calls_that_ended_and_began_while_the_servers_restarted_are_reconciled() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let recorder = Recorder::watch(&session);
    let mut events = session.events();
    let (call, dialog) = ringing_call(&chaos, &session).await;

    chaos.lab.stop_node(NodeId::A).await;
    chaos.lab.stop_node(NodeId::B).await;
    wait_lost(&session).await;
    chaos.lab.hang_up(call).unwrap();
    chaos.lab.advance_clock(Duration::from_secs(3));
    let later = chaos.customer_call("4085550199");
    chaos.lab.advance_clock(Duration::from_secs(3));

    chaos.lab.start_node(NodeId::A).await.unwrap();
    chaos.lab.start_node(NodeId::B).await.unwrap();
    wait_connected_to(&session, NodeId::A).await;
    next_event(&mut events, "the ended call, gone", |e| {
        matches!(e, SessionEvent::DialogRemoved { dialog: d, vanished: true, .. } if d.id == dialog)
    })
    .await;
    next_event(
        &mut events,
        "the new call, there",
        |e| matches!(e, SessionEvent::DialogAdded { dialog: d, .. } if d.id == later.to_string()),
    )
    .await;
    assert_converged(&chaos, &session, AGENT).await;
    within("answer the new call", session.answer(&later.to_string()))
        .await
        .unwrap();
    assert_kept_signed_in(&chaos, &session, &recorder).await;
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn waking_from_sleep_finds_a_dead_link_at_once() {
    let chaos = ChaosLab::start().await.unwrap();
    // Pings so rare that only the wake-up can find the dead link within the test.
    let timings = Timings {
        ping_interval: Duration::from_secs(3600),
        ping_timeout: Duration::from_secs(3600),
        ..Timings::default()
    };
    let session = chaos.connect(AGENT, &timings).await;
    within("sign in", session.sign_in(EXTENSION, None, None))
        .await
        .unwrap();
    let recorder = Recorder::watch(&session);

    // While the host "sleeps" the path to A dies without a word.
    chaos.fault(NodeId::A, FaultMode::BlackHole);
    chaos.wall_clock.jump_forward(Duration::from_secs(10 * 60));
    wait_connected_to(&session, NodeId::B).await;
    assert_kept_signed_in(&chaos, &session, &recorder).await;
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn a_half_open_link_is_found_by_its_pings_and_left_for_the_other_node() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let recorder = Recorder::watch(&session);
    let (call, _) = answered_call(&chaos, &session).await;

    chaos.fault(
        NodeId::A,
        FaultMode::HalfOpen {
            stopped: Direction::ServerToClient,
        },
    );
    wait_lost(&session).await;
    wait_connected_to(&session, NodeId::B).await;
    assert_converged(&chaos, &session, AGENT).await;
    assert_eq!(agent_participant(&chaos, call).as_deref(), Some("ACTIVE"));
    within("hang up", session.drop_call(&call.to_string()))
        .await
        .unwrap();
    // A heard the session leave and runs its 60 s timer; the path heals within it and the
    // standby connection brings the agent's presence back there.
    chaos.lab.advance_clock(Duration::from_secs(30));
    chaos.heal();
    presence_kept_on(&chaos, NodeId::A).await;
    assert_kept_signed_in(&chaos, &session, &recorder).await;
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn a_black_holed_node_is_left_for_the_other_and_never_forces_anyone_out() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let recorder = Recorder::watch(&session);

    chaos.fault(NodeId::A, FaultMode::BlackHole);
    wait_lost(&session).await;
    wait_connected_to(&session, NodeId::B).await;
    // A has not heard a thing: no timer runs there.
    assert_kept_signed_in(&chaos, &session, &recorder).await;
    // When the path heals, A finally hears the old connection close — and the standby
    // connection is there to keep the agent present.
    chaos.heal();
    presence_kept_on(&chaos, NodeId::A).await;
    assert_kept_signed_in(&chaos, &session, &recorder).await;

    // Leaving closes both connections, the standby included.
    session.shutdown().await;
    for node in NodeId::ALL {
        assert!(
            chaos
                .lab
                .wait_for_xmpp_sessions(node, PATIENCE, |s| s.iter().all(|x| x.user_id != AGENT))
                .await,
            "{node:?}: {:?}",
            chaos.lab.xmpp_sessions(node)
        );
    }
    chaos.shutdown().await;
}

#[tokio::test]
async fn a_network_change_reported_by_the_os_finds_a_dead_link_at_once() {
    let chaos = ChaosLab::start().await.unwrap();
    let timings = Timings {
        ping_interval: Duration::from_secs(3600),
        ping_timeout: Duration::from_secs(3600),
        watch_interval: None,
        ..Timings::default()
    };
    let session = chaos.connect(AGENT, &timings).await;
    let recorder = Recorder::watch(&session);
    chaos.fault(NodeId::A, FaultMode::BlackHole);
    // What the application does when the OS says the network changed.
    session.check_link();
    wait_connected_to(&session, NodeId::B).await;
    assert_kept_signed_in(&chaos, &session, &recorder).await;
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn the_old_nodes_forced_not_ready_after_a_failover_is_undone() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let recorder = Recorder::watch(&session);

    let mut events = session.events();

    // Only the path to A breaks, for longer than the grace: A's Finesse sees the agent
    // vanish and forces them NOT_READY while the session carries on from B
    // (finesse-protocol.md §10.2). The session tells the agent and puts READY back.
    chaos.fault(NodeId::A, FaultMode::Drop);
    wait_connected_to(&session, NodeId::B).await;
    assert_converged(&chaos, &session, AGENT).await;
    chaos.lab.advance_clock(PRESENCE_GRACE);
    next_event(&mut events, "the forced state, explained", |e| {
        matches!(e, SessionEvent::StateForced { state: AgentState::NotReady, reason_code: Some(50002), explanation, .. } if !explanation.is_empty())
    })
    .await;
    next_event(&mut events, "READY restored", |e| {
        matches!(
            e,
            SessionEvent::ChoiceApplied {
                what: finesse::session::AppliedChoice::RestoreReady { .. },
                error: None
            }
        )
    })
    .await;
    assert!(recorder
        .recorded()
        .forced
        .contains(&("NOT_READY".to_owned(), Some(50002))));
    assert_eq!(
        chaos.lab.truth().agent(AGENT).unwrap().state,
        TruthState::Ready
    );
    assert_converged(&chaos, &session, AGENT).await;
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn what_the_agent_chose_survives_a_reconnect() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, true).await;
    let recorder = Recorder::watch(&session);
    let (call, _) = answered_call(&chaos, &session).await;
    within(
        "after-call state",
        session.set_state_after_call(Some(StateChoice {
            state: AgentState::NotReady,
            reason_code_id: Some("3".into()),
        })),
    )
    .await
    .unwrap();

    chaos.fault(NodeId::A, FaultMode::Drop);
    chaos.fault(NodeId::B, FaultMode::Drop);
    wait_lost(&session).await;
    assert!(session.choices().after_call.is_some(), "kept while away");
    chaos.lab.advance_clock(Duration::from_secs(1));
    chaos.lab.hang_up(call).unwrap();
    chaos.lab.advance_clock(Duration::from_secs(10));
    chaos.heal();
    wait_connected_to(&session, NodeId::A).await;

    // Wrap-up may follow; leave it as an agent would, then the choice applies.
    let snapshot = wait_snapshot(&session, "the call over", |s| {
        s.user
            .as_ref()
            .is_some_and(|u| !matches!(u.state, AgentState::Talking | AgentState::Hold))
    })
    .await;
    if snapshot.user.as_ref().is_some_and(|u| u.state.is_wrap_up()) {
        within(
            "leave wrap-up",
            session.change_state(AgentState::Ready, None),
        )
        .await
        .ok();
    }
    wait_snapshot(&session, "NOT_READY as chosen", |s| {
        s.user.as_ref().is_some_and(|u| {
            u.state == AgentState::NotReady && u.reason_code_id.as_deref() == Some("3")
        })
    })
    .await;
    assert_kept_signed_in(&chaos, &session, &recorder).await;
    session.shutdown().await;
    chaos.shutdown().await;
}

#[tokio::test]
async fn a_refused_password_is_tried_once_and_never_again() {
    let chaos = ChaosLab::start().await.unwrap();
    let session = chaos.agent(AGENT, EXTENSION, false).await;
    // The account gets locked (five wrong passwords elsewhere): every node refuses it now.
    chaos.lab.with_center(|center, now| {
        for _ in 0..5 {
            let _ = center.authenticate(now, AGENT, "not-the-password");
        }
    });
    chaos.lab.clear_rest_journal();
    chaos.fault(NodeId::A, FaultMode::Drop);
    let failed = wait_state(&session, "failed", |s| {
        matches!(s, ConnectionState::Failed { .. })
    })
    .await;
    assert!(
        matches!(&failed, ConnectionState::Failed { error } if error.code() == "authentication_failed"),
        "{failed:?}"
    );
    session.shutdown().await;
    let refusals = chaos
        .lab
        .rest_journal()
        .iter()
        .filter(|r| r.credentials_refused)
        .count();
    assert_eq!(refusals, 1);
    assert!(requests_after_a_401(&chaos.lab, AGENT).is_empty());
    chaos.shutdown().await;
}
