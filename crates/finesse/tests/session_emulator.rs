//! The session driver against the in-process emulator: every command and the event kinds a
//! voice agent and a supervisor see, over real HTTPS and XMPP on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod session_emulator_support;

use finesse::model::{Action, AgentState, CallVariable, Dialog, ParticipantState, ReasonCategory};
use finesse::session::{CommandOutcome, ConnectionState, Session, SessionEvent, StateChoice};
use finesse_emulator::center::{AgentState as TruthState, CallId, CallSpec, CtiError, NodeId};
use finesse_emulator::net::Lab;
use session_emulator_support::*;
use tokio::sync::broadcast;

const CALLER: &str = "4085550100";

/// Connected and signed in on its extension; READY when `ready`.
async fn agent(lab: &Lab, id: &str, extension: &str, ready: bool) -> Session {
    let session = connect(lab, id).await;
    within("sign in", session.sign_in(extension, None, None))
        .await
        .unwrap();
    if ready {
        within("ready", session.change_state(AgentState::Ready, None))
            .await
            .unwrap();
    }
    session
}

fn customer_call(lab: &Lab) -> CallId {
    lab.place_call(CallSpec {
        caller: CALLER.into(),
        queue: "5001".into(),
        call_variables: vec![finesse_emulator::center::CallVariable::new(
            "callVariable1",
            "Ada Lovelace",
        )],
        ..CallSpec::default()
    })
    .unwrap()
}

async fn dialog_added(events: &mut broadcast::Receiver<SessionEvent>) -> Dialog {
    match next_event(events, "a new dialog", |e| {
        matches!(e, SessionEvent::DialogAdded { .. })
    })
    .await
    {
        SessionEvent::DialogAdded { dialog, .. } => dialog,
        _ => unreachable!(),
    }
}

fn agent_state(dialog: &Dialog, extension: &str) -> ParticipantState {
    dialog.participant_for(extension).unwrap().state.clone()
}

/// The call the agent answered, ACTIVE.
async fn answered_call(lab: &Lab, session: &Session, extension: &str) -> (CallId, String) {
    let mut events = session.events();
    let call = customer_call(lab);
    let ringing = dialog_added(&mut events).await;
    assert_eq!(agent_state(&ringing, extension), ParticipantState::Alerting);
    within("answer", session.answer(&ringing.id)).await.unwrap();
    (call, ringing.id)
}

fn dialog_of(outcome: CommandOutcome) -> Dialog {
    match outcome {
        CommandOutcome::Dialog(dialog) | CommandOutcome::DialogRemoved(dialog) => dialog,
        other => panic!("expected a dialog, got {other:?}"),
    }
}

#[tokio::test]
async fn an_agent_signs_in_changes_state_and_logs_out() {
    let lab = start_lab().await;
    let session = connect(&lab, "1001").await;
    let mut events = session.events();
    assert_eq!(session.snapshot().user.unwrap().login_id, "1001");

    let user = within("sign in", session.sign_in("2001", None, None))
        .await
        .unwrap();
    assert_eq!(user.state, AgentState::NotReady);
    assert_eq!(user.extension.as_deref(), Some("2001"));
    next_event(&mut events, "user_changed", |e| {
        matches!(e, SessionEvent::UserChanged { user, .. } if user.state == AgentState::NotReady)
    })
    .await;
    next_event(&mut events, "command_completed", |e| {
        matches!(
            e,
            SessionEvent::CommandCompleted {
                command: "sign_in",
                error: None,
                ..
            }
        )
    })
    .await;

    let user = within("ready", session.change_state(AgentState::Ready, None))
        .await
        .unwrap();
    assert_eq!(user.state, AgentState::Ready);
    let user = within(
        "not ready",
        session.change_state(AgentState::NotReady, Some("2".into())),
    )
    .await
    .unwrap();
    assert_eq!(user.reason_code_id.as_deref(), Some("2"));
    assert_eq!(
        lab.truth().agent("1001").unwrap().reason_label.as_deref(),
        Some("Break")
    );
    let user = within("logout", session.logout(Some("5".into())))
        .await
        .unwrap();
    assert_eq!(user.state, AgentState::Logout);
    assert_eq!(lab.truth().agent("1001").unwrap().state, TruthState::Logout);
    session.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn a_login_name_is_resolved_to_the_agent_id() {
    let lab = start_lab().await;
    let session = connect(&lab, "agent01").await;
    assert_eq!(session.snapshot().user.unwrap().login_id, "1001");
    within("sign in", session.sign_in("2001", None, None))
        .await
        .unwrap();
    assert_eq!(
        lab.truth().agent("1001").unwrap().state,
        TruthState::NotReady
    );
    session.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn an_incoming_call_is_answered_held_retrieved_updated_and_dropped() {
    let lab = start_lab().await;
    let session = agent(&lab, "1001", "2001", true).await;
    let mut events = session.events();
    let call = customer_call(&lab);
    let ringing = dialog_added(&mut events).await;
    assert_eq!(ringing.call_variable("callVariable1"), Some("Ada Lovelace"));
    let id = ringing.id.clone();

    let active = dialog_of(within("answer", session.answer(&id)).await.unwrap());
    assert_eq!(agent_state(&active, "2001"), ParticipantState::Active);
    let held = dialog_of(within("hold", session.hold(&id)).await.unwrap());
    assert_eq!(agent_state(&held, "2001"), ParticipantState::Held);
    let err = within("dtmf while held", session.send_dtmf(&id, "1"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "action_not_allowed");
    let active = dialog_of(within("retrieve", session.retrieve(&id)).await.unwrap());
    assert_eq!(agent_state(&active, "2001"), ParticipantState::Active);

    within("dtmf", session.send_dtmf(&id, "12#")).await.unwrap();
    assert_eq!(lab.truth().call(call).unwrap().dtmf, "12#");
    within(
        "call data",
        session.update_call_data(&id, None, vec![CallVariable::new("callVariable2", "VIP")]),
    )
    .await
    .unwrap();
    assert_eq!(
        session.snapshot().dialogs[&id].call_variable("callVariable2"),
        Some("VIP")
    );
    within(
        "wrap-up reason",
        session.set_wrap_up_reason(&id, "Sale Completed"),
    )
    .await
    .unwrap();
    assert_eq!(
        lab.truth().call(call).unwrap().wrap_up_reason.as_deref(),
        Some("Sale Completed")
    );
    assert!(session.choices().wrap_up_reasons.is_empty());

    let dropped = dialog_of(within("drop", session.drop_call(&id)).await.unwrap());
    assert!(matches!(
        agent_state(&dropped, "2001"),
        ParticipantState::Dropped | ParticipantState::WrapUp
    ));
    // The call stays listed during wrap-up; the wrap-up timer (60 s) ends it.
    wait_snapshot(&session, "wrap-up", |s| {
        s.user.as_ref().is_some_and(|u| u.state.is_wrap_up())
    })
    .await;
    lab.advance_clock(std::time::Duration::from_secs(61));
    next_event(&mut events, "dialog_removed", |e| {
        matches!(e, SessionEvent::DialogRemoved { dialog, vanished: false, .. } if dialog.id == id)
    })
    .await;
    wait_snapshot(&session, "no dialogs and READY after wrap-up", |s| {
        s.dialogs.is_empty()
            && s.user
                .as_ref()
                .is_some_and(|u| u.state == AgentState::Ready)
    })
    .await;
    session.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn an_action_the_agent_may_not_take_is_refused_without_asking_finesse() {
    let lab = start_lab().await;
    let session = agent(&lab, "1001", "2001", true).await;
    let mut events = session.events();
    customer_call(&lab);
    let ringing = dialog_added(&mut events).await;
    let err = within("hold while ringing", session.hold(&ringing.id))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "action_not_allowed");
    let err = within("unknown dialog", session.answer("999999"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "dialog_not_found");
    session.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn make_call_rings_another_agent() {
    let lab = start_lab().await;
    let caller = agent(&lab, "1001", "2001", false).await;
    let callee = agent(&lab, "1002", "2002", false).await;
    let mut callee_events = callee.events();
    let dialog = within("make call", caller.make_call("2002", vec![]))
        .await
        .unwrap();
    assert!(dialog.participant_for("2001").is_some());
    let ringing = dialog_added(&mut callee_events).await;
    assert_eq!(agent_state(&ringing, "2002"), ParticipantState::Alerting);
    within("answer", callee.answer(&ringing.id)).await.unwrap();
    within("drop", caller.drop_call(&dialog.id)).await.unwrap();
    caller.shutdown().await;
    callee.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn a_consult_call_is_completed_as_a_transfer() {
    let lab = start_lab().await;
    let first = agent(&lab, "1001", "2001", true).await;
    let second = agent(&lab, "1002", "2002", false).await;
    let (call, original) = answered_call(&lab, &first, "2001").await;
    let mut second_events = second.events();

    let consult = within("consult", first.consult_call(&original, "2002"))
        .await
        .unwrap();
    assert_ne!(consult.id, original);
    let ringing = dialog_added(&mut second_events).await;
    within("consultee answers", second.answer(&ringing.id))
        .await
        .unwrap();

    let snapshot = wait_snapshot(&first, "transfer allowed", |s| {
        s.dialogs
            .values()
            .any(|d| d.allows("2001", &Action::Transfer))
    })
    .await;
    let on = snapshot
        .dialogs
        .values()
        .find(|d| d.allows("2001", &Action::Transfer))
        .unwrap()
        .id
        .clone();
    within("transfer", first.transfer(&on)).await.unwrap();
    wait_snapshot(&first, "transferring agent has no calls", |s| {
        s.dialogs.is_empty()
    })
    .await;
    let truth = lab.truth();
    let customer_call = truth.call(call).unwrap();
    assert!(customer_call
        .participants
        .iter()
        .any(|p| p.agent_id.as_deref() == Some("1002")));
    first.shutdown().await;
    second.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn a_single_step_transfer_hands_the_call_over() {
    let lab = start_lab().await;
    let first = agent(&lab, "1001", "2001", true).await;
    let second = agent(&lab, "1002", "2002", false).await;
    let (_, original) = answered_call(&lab, &first, "2001").await;
    let mut second_events = second.events();
    within("sst", first.transfer_sst(&original, "2002"))
        .await
        .unwrap();
    let ringing = dialog_added(&mut second_events).await;
    assert_eq!(agent_state(&ringing, "2002"), ParticipantState::Alerting);
    wait_snapshot(&first, "call left", |s| !s.dialogs.contains_key(&original)).await;
    first.shutdown().await;
    second.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn a_consult_call_is_completed_as_a_conference() {
    let lab = start_lab().await;
    let first = agent(&lab, "1001", "2001", true).await;
    let second = agent(&lab, "1002", "2002", false).await;
    let (call, original) = answered_call(&lab, &first, "2001").await;
    let mut second_events = second.events();
    within("consult", first.consult_call(&original, "2002"))
        .await
        .unwrap();
    let ringing = dialog_added(&mut second_events).await;
    within("consultee answers", second.answer(&ringing.id))
        .await
        .unwrap();
    let snapshot = wait_snapshot(&first, "conference allowed", |s| {
        s.dialogs
            .values()
            .any(|d| d.allows("2001", &Action::Conference))
    })
    .await;
    let on = snapshot
        .dialogs
        .values()
        .find(|d| d.allows("2001", &Action::Conference))
        .unwrap()
        .id
        .clone();
    within("conference", first.conference(&on)).await.unwrap();
    let live = |c: &finesse_emulator::center::CallTruth| {
        c.participants
            .iter()
            .filter(|p| p.state == finesse_emulator::center::ParticipantState::Active)
            .count()
    };
    assert_eq!(live(lab.truth().call(call).unwrap()), 3);
    first.shutdown().await;
    second.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn a_supervisor_follows_the_team_and_changes_an_agents_state() {
    let lab = start_lab().await;
    let supervisor = agent(&lab, "1000", "2000", false).await;
    let mut supervisor_events = supervisor.events();
    let team = within("load team", supervisor.load_team("1"))
        .await
        .unwrap();
    assert_eq!(team.id, "1");
    assert!(supervisor.snapshot().teams.contains_key("1"));
    next_event(
        &mut supervisor_events,
        "team_changed",
        |e| matches!(e, SessionEvent::TeamChanged { team } if team.id == "1"),
    )
    .await;

    let member = agent(&lab, "1001", "2001", false).await;
    next_event(&mut supervisor_events, "team member signed in", |e| {
        matches!(e, SessionEvent::TeamMemberChanged { team_id, member } if team_id == "1" && member.login_id == "1001" && member.state == AgentState::NotReady)
    })
    .await;

    let changed = within(
        "supervisor sets READY",
        supervisor.change_agent_state("1001", AgentState::Ready, None),
    )
    .await
    .unwrap()
    .expect("the team is followed, so the member event confirms it");
    assert_eq!(changed.state, AgentState::Ready);
    wait_snapshot(&member, "agent sees READY", |s| {
        s.user
            .as_ref()
            .is_some_and(|u| u.state == AgentState::Ready)
    })
    .await;

    let refused = within(
        "reason on supervisor NOT_READY",
        supervisor.change_agent_state("1001", AgentState::NotReady, Some("1".into())),
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code(), "invalid_request");
    within(
        "supervisor sets NOT_READY",
        supervisor.change_agent_state("1001", AgentState::NotReady, None),
    )
    .await
    .unwrap();
    assert_eq!(
        lab.truth().agent("1001").unwrap().state,
        TruthState::NotReady
    );

    within("unload", supervisor.unload_team("1")).await.unwrap();
    assert!(supervisor.snapshot().teams.is_empty());
    supervisor.shutdown().await;
    member.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn a_supervisor_monitors_barges_and_drops_the_customer() {
    let lab = start_lab().await;
    let member = agent(&lab, "1001", "2001", true).await;
    let supervisor = agent(&lab, "1000", "2000", false).await;
    let (call, _) = answered_call(&lab, &member, "2001").await;

    let monitor = within("silent monitor", supervisor.silent_monitor("2001"))
        .await
        .unwrap();
    assert!(monitor.is_silent_monitor());
    let conference = within("barge", supervisor.barge_call(&monitor.id, "2001"))
        .await
        .unwrap();
    assert!(conference.participant_for("2000").is_some());
    let snapshot = wait_snapshot(&supervisor, "participant drop allowed", |s| {
        s.dialogs
            .values()
            .any(|d| d.allows("2000", &Action::ParticipantDrop))
    })
    .await;
    let on = snapshot
        .dialogs
        .values()
        .find(|d| d.allows("2000", &Action::ParticipantDrop))
        .unwrap()
        .id
        .clone();
    within(
        "drop the customer",
        supervisor.participant_drop(&on, CALLER),
    )
    .await
    .unwrap();
    let truth = lab.truth();
    let customer = truth
        .call(call)
        .and_then(|c| c.participants.iter().find(|p| p.address == CALLER).cloned());
    assert!(customer.is_none_or(|p| p.state == finesse_emulator::center::ParticipantState::Dropped));
    member.shutdown().await;
    supervisor.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn look_ups_return_what_the_center_is_configured_with() {
    let lab = start_lab().await;
    let session = connect(&lab, "1001").await;
    let codes = within(
        "reason codes",
        session.reason_codes(ReasonCategory::NotReady),
    )
    .await
    .unwrap();
    assert!(codes.iter().any(|c| c.id == "1" && c.label == "Lunch"));
    assert!(codes.iter().all(|c| c.category == ReasonCategory::NotReady));
    let reasons = within("wrap-up reasons", session.wrap_up_reasons())
        .await
        .unwrap();
    assert_eq!(reasons.len(), 4);
    let layout = within("layout", session.layout()).await.unwrap();
    assert_eq!(layout.name.as_deref(), Some("Default Layout"));
    let books = within("phone books", session.phone_books()).await.unwrap();
    assert!(books.iter().any(|b| b.name == "Company Directory"));
    let contacts = within("contacts", session.contacts("1")).await.unwrap();
    assert!(contacts.iter().any(|c| c.phone_number == "5054"));
    let queues = within("queues", session.queues()).await.unwrap();
    assert!(!queues.is_empty());
    assert_eq!(session.snapshot().queues.len(), queues.len());
    session.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn a_cti_rejection_fails_the_command_with_its_error() {
    let lab = start_lab().await;
    let session = agent(&lab, "1001", "2001", false).await;
    lab.fail_next_request(
        NodeId::A,
        CtiError {
            error_data: "22".into(),
            error_message: "CF_INVALID_OBJECT_STATE".into(),
            error_type: "Invalid State".into(),
        },
    );
    let error = within(
        "refused READY",
        session.change_state(AgentState::Ready, None),
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "rejected");
    let api = error.api_error().unwrap();
    assert_eq!(
        api.error_message.as_deref(),
        Some("CF_INVALID_OBJECT_STATE")
    );
    assert_eq!(api.error_data.as_deref(), Some("22"));
    assert_eq!(
        lab.truth().agent("1001").unwrap().state,
        TruthState::NotReady
    );
    session.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn a_wrong_password_fails_at_once_and_is_tried_only_once() {
    let lab = start_lab().await;
    // Five refused passwords lock the account; four wrong sessions then a right one prove
    // each session tried exactly once.
    for _ in 0..4 {
        let session = Session::start(config(&lab, "1001", "wrong-password")).unwrap();
        let error = within("refused", session.wait_connected())
            .await
            .unwrap_err();
        assert_eq!(error.code(), "authentication_failed");
        assert!(matches!(
            *session.connection().borrow(),
            ConnectionState::Failed { .. }
        ));
        session.shutdown().await;
    }
    assert!(lab
        .truth()
        .agent("1001")
        .unwrap()
        .locked_out_until
        .is_none());
    let session = connect(&lab, "1001").await;
    session.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn out_of_service_is_waited_out_with_the_link_kept() {
    let lab = start_lab().await;
    let session = agent(&lab, "1001", "2001", false).await;
    let mut events = session.events();
    lab.set_out_of_service(NodeId::A, true, "CTI link down");
    wait_state(&session, "out of service", |s| {
        matches!(s, ConnectionState::OutOfService { .. })
    })
    .await;
    next_event(
        &mut events,
        "system_info_changed",
        |e| matches!(e, SessionEvent::SystemInfoChanged { info } if !info.is_in_service()),
    )
    .await;
    let refused = within("refused", session.change_state(AgentState::Ready, None))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "not_connected");
    assert_eq!(lab.xmpp_session_count(NodeId::A), 1, "XMPP kept");

    lab.set_out_of_service(NodeId::A, false, "");
    wait_state(&session, "connected again", ConnectionState::is_connected).await;
    within("ready", session.change_state(AgentState::Ready, None))
        .await
        .unwrap();
    session.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn a_call_that_ended_while_the_node_was_down_is_reported_as_vanished() {
    let lab = start_lab().await;
    let session = agent(&lab, "1001", "2001", true).await;
    let mut events = session.events();
    // A ringing call: when the caller gives up, no wrap-up keeps it listed.
    let call = customer_call(&lab);
    let id = dialog_added(&mut events).await.id;

    lab.stop_node(NodeId::A).await;
    wait_state(&session, "reconnecting", |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    lab.hang_up(call).unwrap();
    lab.start_node(NodeId::A).await.unwrap();
    wait_state(&session, "connected again", ConnectionState::is_connected).await;
    next_event(&mut events, "vanished dialog", |e| {
        matches!(e, SessionEvent::DialogRemoved { dialog, vanished: true, .. } if dialog.id == id)
    })
    .await;
    next_event(&mut events, "resynced", |e| {
        matches!(e, SessionEvent::Resynced { vanished_dialogs } if vanished_dialogs.contains(&id))
    })
    .await;
    assert!(session.snapshot().dialogs.is_empty());
    session.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn dropped_links_and_finesse_outages_are_recovered() {
    let lab = start_lab().await;
    let session = agent(&lab, "1001", "2001", false).await;

    lab.drop_xmpp_links(NodeId::A);
    wait_state(&session, "reconnecting", |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    wait_state(&session, "connected again", ConnectionState::is_connected).await;

    lab.set_finesse_presence(NodeId::A, false);
    wait_state(&session, "waiting for Finesse", |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    lab.set_finesse_presence(NodeId::A, true);
    wait_state(&session, "connected again", ConnectionState::is_connected).await;
    within("ready", session.change_state(AgentState::Ready, None))
        .await
        .unwrap();
    session.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn a_second_session_with_the_same_identity_signs_the_first_out() {
    let lab = start_lab().await;
    let mut first_config = config(&lab, "1001", PASSWORD);
    first_config.xmpp_resource = Some("ringside-tray".into());
    let first = Session::start(first_config.clone()).unwrap();
    within("first", first.wait_connected()).await.unwrap();
    let second = Session::start(first_config).unwrap();
    within("second", second.wait_connected()).await.unwrap();
    wait_state(&first, "signed in elsewhere", |s| {
        *s == ConnectionState::SignedInElsewhere
    })
    .await;
    let refused = within("refused", first.layout()).await.unwrap_err();
    assert_eq!(refused.code(), "not_connected");
    first.shutdown().await;
    second.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn the_state_chosen_for_after_the_call_is_taken_when_the_call_ends() {
    let lab = start_lab().await;
    let session = agent(&lab, "1001", "2001", true).await;
    let (call, _) = answered_call(&lab, &session, "2001").await;
    let mut events = session.events();
    within(
        "choose",
        session.set_state_after_call(Some(StateChoice {
            state: AgentState::NotReady,
            reason_code_id: Some("3".into()),
        })),
    )
    .await
    .unwrap();
    assert!(session.choices().after_call.is_some());
    lab.hang_up(call).unwrap();
    // Wrap-up may follow the call; leave it like an agent pressing READY would.
    let snapshot = wait_snapshot(&session, "call over", |s| {
        s.user
            .as_ref()
            .is_some_and(|u| !matches!(u.state, AgentState::Talking | AgentState::Hold))
    })
    .await;
    if snapshot.user.as_ref().is_some_and(|u| u.state.is_wrap_up()) {
        session.change_state(AgentState::Ready, None).await.ok();
    }
    next_event(&mut events, "choice applied", |e| {
        matches!(e, SessionEvent::ChoiceApplied { error: None, .. })
    })
    .await;
    let truth = lab.truth();
    let agent = truth.agent("1001").unwrap();
    assert_eq!(agent.state, TruthState::NotReady);
    assert_eq!(agent.reason_code_id.as_deref(), Some("3"));
    session.shutdown().await;
    lab.shutdown().await;
}

#[tokio::test]
async fn shutdown_unsubscribes_and_leaves_the_agent_signed_in() {
    let lab = start_lab().await;
    let supervisor = agent(&lab, "1000", "2000", false).await;
    within("load team", supervisor.load_team("1"))
        .await
        .unwrap();
    supervisor.shutdown().await;
    assert!(
        lab.wait_for_xmpp_sessions(NodeId::A, PATIENCE, |s| s.is_empty())
            .await
    );
    assert_eq!(
        lab.truth().agent("1000").unwrap().state,
        TruthState::NotReady
    );
    let refused = supervisor.layout().await.unwrap_err();
    assert_eq!(refused.code(), "session_closed");
    lab.shutdown().await;
}
