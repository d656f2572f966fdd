//! Incoming calls through the app: ring, pop-up and notification start and stop with the
//! call (fake keychain and ring: see `app_support`).
// A test that cannot go on should stop right there, with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod app_support;

use app_support::*;
use finesse_emulator::center::AgentState as TruthState;
use ringside_core::app::ShellEffect;
use ringside_core::desk::{CallAction, CallActionRequest, CallState, TrayIcon};
use ringside_core::ring::{PlayMode, Ringtone};

fn answer(call_id: &str) -> CallActionRequest {
    CallActionRequest {
        call_id: call_id.to_owned(),
        action: CallAction::Answer,
        to_address: None,
        dtmf: None,
        participant: None,
    }
}

#[tokio::test]
async fn an_incoming_call_rings_pops_up_and_notifies_until_it_is_answered() {
    let rig = rig().await;
    ready_agent(&rig).await;
    let mut effects = rig.app.effects();

    customer_call(&rig.lab);

    let popped = next_effect(&mut effects, "the pop-up", |e| {
        matches!(e, ShellEffect::ShowPopUp { .. })
    })
    .await;
    let ShellEffect::ShowPopUp { call } = popped else {
        unreachable!()
    };
    assert_eq!(call.caller, CALLER);
    assert!(call.can_answer);
    assert!(
        call.items.iter().any(|item| item.value == "Ada Lovelace"),
        "{:?}",
        call.items
    );
    let notified = next_effect(&mut effects, "the notification", |e| {
        matches!(e, ShellEffect::Notify { .. })
    })
    .await;
    let ShellEffect::Notify { title, call_id, .. } = notified else {
        unreachable!()
    };
    assert_eq!(call_id.as_deref(), Some(call.call_id.as_str()));
    assert!(title.contains(CALLER), "{title}");
    let ringing = wait_ring(&rig.ring, "the ring", |log| log.ringing).await;
    let request = ringing.starts.last().unwrap();
    assert_eq!(request.mode, PlayMode::Ring);
    assert_eq!(request.ringtone, Ringtone::Builtin("classic".into()));
    assert_eq!(rig.app.tray().icon, TrayIcon::Ringing);

    within("answer", rig.app.call_action(answer(&call.call_id)))
        .await
        .unwrap();

    next_effect(
        &mut effects,
        "the pop-up closing",
        |e| matches!(e, ShellEffect::ClosePopUp { call_id } if *call_id == call.call_id),
    )
    .await;
    let stopped = wait_ring(&rig.ring, "the ring stopping", |log| !log.ringing).await;
    assert_eq!(stopped.starts.len(), 1, "one ring for one call");
    let desk = wait_desk(&rig.app, "the active call", |d| {
        d.calls.iter().any(|c| c.state == CallState::Active)
    })
    .await;
    assert_eq!(desk.calls[0].other_party, CALLER);
    assert_eq!(
        rig.lab.truth().agent("1001").unwrap().state,
        TruthState::Talking
    );
    assert_eq!(rig.app.pop_up(), None);
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn a_call_that_vanishes_while_ringing_closes_the_pop_up_and_stops_the_ring() {
    let rig = rig().await;
    ready_agent(&rig).await;
    let mut effects = rig.app.effects();
    let call = customer_call(&rig.lab);
    next_effect(&mut effects, "the pop-up", |e| {
        matches!(e, ShellEffect::ShowPopUp { .. })
    })
    .await;
    wait_ring(&rig.ring, "the ring", |log| log.ringing).await;

    rig.lab.hang_up(call).unwrap();

    next_effect(&mut effects, "the pop-up closing", |e| {
        matches!(e, ShellEffect::ClosePopUp { .. })
    })
    .await;
    wait_ring(&rig.ring, "the ring stopping", |log| !log.ringing).await;
    let desk = wait_desk(&rig.app, "no call left", |d| d.calls.is_empty()).await;
    assert!(desk.agent.is_some());
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn dismissing_the_pop_up_keeps_the_ring_until_the_call_is_taken() {
    let rig = rig().await;
    ready_agent(&rig).await;
    let mut effects = rig.app.effects();
    customer_call(&rig.lab);
    let ShellEffect::ShowPopUp { call } = next_effect(&mut effects, "the pop-up", |e| {
        matches!(e, ShellEffect::ShowPopUp { .. })
    })
    .await
    else {
        unreachable!()
    };

    rig.app.dismiss_pop_up(call.call_id.clone()).await.unwrap();
    next_effect(&mut effects, "the pop-up closing", |e| {
        matches!(e, ShellEffect::ClosePopUp { .. })
    })
    .await;
    assert!(
        rig.ring.now().ringing,
        "closing the pop-up does not silence the call"
    );
    within("answer", rig.app.call_action(answer(&call.call_id)))
        .await
        .unwrap();
    wait_ring(&rig.ring, "the ring stopping", |log| !log.ringing).await;
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn with_pop_ups_switched_off_the_call_still_rings_and_notifies() {
    let rig = rig().await;
    let mut settings = rig.app.get_settings().await.unwrap();
    settings.pop_up_enabled = false;
    settings.ringtone = "builtin:soft".into();
    settings.volume = 0.5;
    rig.app.save_settings(settings).await.unwrap();
    ready_agent(&rig).await;
    let mut effects = rig.app.effects();

    customer_call(&rig.lab);

    next_effect(&mut effects, "the notification", |e| {
        assert!(
            !matches!(e, ShellEffect::ShowPopUp { .. }),
            "no pop-up: {e:?}"
        );
        matches!(e, ShellEffect::Notify { .. })
    })
    .await;
    let log = wait_ring(&rig.ring, "the ring", |log| log.ringing).await;
    let request = log.starts.last().unwrap();
    assert_eq!(request.ringtone, Ringtone::Builtin("soft".into()));
    assert_eq!(request.volume, 0.5);
    assert_eq!(rig.app.pop_up(), None);
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn call_actions_fail_with_plain_codes_when_arguments_are_missing() {
    let rig = rig().await;
    ready_agent(&rig).await;
    let error = rig
        .app
        .call_action(CallActionRequest {
            call_id: "123".into(),
            action: CallAction::TransferSst,
            to_address: Some("  ".into()),
            dtmf: None,
            participant: None,
        })
        .await
        .unwrap_err();
    assert_eq!(error.code, "field_required");
    assert!(error.message.starts_with("toAddress: "));
    let error = rig.app.make_call(" ".into()).await.unwrap_err();
    assert_eq!(error.code, "field_required");
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn a_call_left_ringing_makes_the_agent_not_ready_and_the_desk_says_why() {
    let rig = rig().await;
    ready_agent(&rig).await;
    customer_call(&rig.lab);
    wait_desk(&rig.app, "the ringing call", |d| {
        d.calls.iter().any(|c| c.state == CallState::Ringing)
    })
    .await;

    // Nobody answers: Finesse's ring-no-answer timer (15 s in the lab) moves the agent to
    // Not Ready with the system code, which the agent did not ask for.
    rig.lab.advance_clock(std::time::Duration::from_secs(16));

    let desk = wait_desk(&rig.app, "the forced-state alert", |d| {
        d.alerts.iter().any(|a| a.code == "state_forced")
    })
    .await;
    let alert = desk
        .alerts
        .iter()
        .find(|a| a.code == "state_forced")
        .unwrap();
    assert!(
        alert.message.to_lowercase().contains("answer"),
        "the alert should explain ring-no-answer in plain words: {}",
        alert.message
    );
    assert_eq!(
        rig.lab.truth().agent("1001").unwrap().state,
        TruthState::NotReady
    );
}

#[tokio::test]
async fn an_outage_that_drags_on_is_notified_and_shown_on_the_desk() {
    use finesse_emulator::center::NodeId;
    let rig = rig().await;
    ready_agent(&rig).await;
    let mut effects = rig.app.effects();

    // Both nodes go away: nothing to fail over to, so the session keeps retrying.
    rig.lab.stop_node(NodeId::A).await;
    rig.lab.stop_node(NodeId::B).await;

    let notified = next_effect(&mut effects, "the connection notification", |e| {
        matches!(e, ShellEffect::Notify { call_id: None, .. })
    })
    .await;
    let ShellEffect::Notify { title, body, .. } = notified else {
        unreachable!()
    };
    assert!(title.contains("Finesse"), "{title}");
    assert!(body.contains("attempts"), "{body}");
    let desk = wait_desk(&rig.app, "the struggling alert", |d| {
        d.alerts.iter().any(|a| a.code == "reconnect_struggling")
    })
    .await;
    assert_ne!(
        desk.connection.status,
        ringside_core::desk::ConnectionStatus::Connected
    );
}
