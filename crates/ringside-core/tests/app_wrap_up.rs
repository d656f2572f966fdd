//! Wrap-up through the app: the reason reaches the call, and the agent's "then" choice
//! wins over what Finesse would do when the wrap-up timer ends (fake keychain and ring:
//! see `app_support`).
// A test that cannot go on should stop right there, with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod app_support;

use std::time::Duration;

use app_support::*;
use finesse_emulator::center::{AgentState as TruthState, CallId};
use ringside_core::app::ShellEffect;
use ringside_core::desk::{
    AfterWrapUp, AgentStateKind, CallAction, CallActionRequest, StateRequest, WrapUpRequest,
};

/// The demo lab's "Lunch" Not Ready reason.
const LUNCH: &str = "1";

/// The Ready agent answers a customer call; returns the call and its dialog id.
async fn talking(rig: &Rig) -> (CallId, String) {
    let mut effects = rig.app.effects();
    let call = customer_call(&rig.lab);
    let ShellEffect::ShowPopUp { call: pop_up } = next_effect(&mut effects, "the pop-up", |e| {
        matches!(e, ShellEffect::ShowPopUp { .. })
    })
    .await
    else {
        unreachable!()
    };
    within(
        "answer",
        rig.app.call_action(CallActionRequest {
            call_id: pop_up.call_id.clone(),
            action: CallAction::Answer,
            to_address: None,
            dtmf: None,
            participant: None,
        }),
    )
    .await
    .unwrap();
    wait_desk(&rig.app, "talking", |d| {
        d.agent
            .as_ref()
            .is_some_and(|a| a.state == AgentStateKind::Talking)
    })
    .await;
    (call, pop_up.call_id)
}

fn state(state: AgentStateKind, reason: Option<&str>) -> StateRequest {
    StateRequest {
        state,
        reason_id: reason.map(str::to_owned),
    }
}

#[tokio::test]
async fn ready_chosen_during_wrap_up_is_taken_when_the_timer_ends() {
    let rig = rig().await;
    ready_agent(&rig).await;
    let (call, dialog_id) = talking(&rig).await;
    // Not Ready during the call: Finesse wraps up in WORK, which ends in NOT_READY.
    within(
        "pending not ready",
        rig.app
            .set_state(state(AgentStateKind::NotReady, Some(LUNCH))),
    )
    .await
    .unwrap();
    rig.lab.hang_up(call).unwrap();
    let desk = wait_desk(&rig.app, "wrap-up", |d| d.wrap_up.is_some()).await;
    let wrap_up = desk.wrap_up.unwrap();
    assert_eq!(wrap_up.then, AfterWrapUp::NotReady);
    assert_eq!(wrap_up.dialog_id.as_deref(), Some(dialog_id.as_str()));
    assert_eq!(desk.agent.unwrap().state, AgentStateKind::Work);

    within(
        "wrap-up choice",
        rig.app.set_wrap_up(WrapUpRequest {
            reason: Some("Complaint".into()),
            then: Some(AfterWrapUp::Ready),
        }),
    )
    .await
    .unwrap();

    let desk = wait_desk(&rig.app, "the choice on the panel", |d| {
        d.wrap_up.as_ref().is_some_and(|w| {
            w.then == AfterWrapUp::Ready && w.reason.as_deref() == Some("Complaint")
        })
    })
    .await;
    assert_eq!(
        desk.agent.unwrap().state,
        AgentStateKind::Work,
        "wrap-up goes on"
    );
    assert_eq!(
        rig.lab
            .truth()
            .call(call)
            .unwrap()
            .wrap_up_reason
            .as_deref(),
        Some("Complaint")
    );

    rig.lab.advance_clock(Duration::from_secs(61));

    wait_desk(&rig.app, "Ready after wrap-up", |d| {
        d.agent
            .as_ref()
            .is_some_and(|a| a.state == AgentStateKind::Ready)
            && d.wrap_up.is_none()
    })
    .await;
    assert_eq!(
        rig.lab.truth().agent("1001").unwrap().state,
        TruthState::Ready
    );
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn not_ready_chosen_in_work_ready_takes_the_agents_last_reason() {
    let rig = rig().await;
    sign_in_agent(&rig).await;
    within(
        "not ready for lunch",
        rig.app
            .set_state(state(AgentStateKind::NotReady, Some(LUNCH))),
    )
    .await
    .unwrap();
    within(
        "ready",
        rig.app.set_state(state(AgentStateKind::Ready, None)),
    )
    .await
    .unwrap();
    let (call, _) = talking(&rig).await;
    rig.lab.hang_up(call).unwrap();
    // Ready before the call: WORK_READY, which ends in READY.
    wait_desk(&rig.app, "work ready", |d| {
        d.agent
            .as_ref()
            .is_some_and(|a| a.state == AgentStateKind::WorkReady)
    })
    .await;

    within(
        "then not ready",
        rig.app.set_wrap_up(WrapUpRequest {
            reason: None,
            then: Some(AfterWrapUp::NotReady),
        }),
    )
    .await
    .unwrap();
    rig.lab.advance_clock(Duration::from_secs(61));

    wait_desk(&rig.app, "Not Ready after wrap-up", |d| {
        d.agent
            .as_ref()
            .is_some_and(|a| a.state == AgentStateKind::NotReady)
    })
    .await;
    let truth = rig.lab.truth();
    let agent = truth.agent("1001").unwrap();
    assert_eq!(agent.state, TruthState::NotReady);
    assert_eq!(agent.reason_code_id.as_deref(), Some(LUNCH));
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn done_ends_wrap_up_at_once_and_an_earlier_choice_is_not_applied_on_top() {
    let rig = rig().await;
    ready_agent(&rig).await;
    let (call, _) = talking(&rig).await;
    rig.lab.hang_up(call).unwrap();
    wait_desk(&rig.app, "wrap-up", |d| d.wrap_up.is_some()).await;
    within(
        "then not ready",
        rig.app.set_wrap_up(WrapUpRequest {
            reason: Some("Sale Completed".into()),
            then: Some(AfterWrapUp::NotReady),
        }),
    )
    .await
    .unwrap();

    // The agent changes their mind and presses "Done" with Ready.
    within(
        "done",
        rig.app.set_state(state(AgentStateKind::Ready, None)),
    )
    .await
    .unwrap();

    wait_desk(&rig.app, "Ready", |d| {
        d.agent
            .as_ref()
            .is_some_and(|a| a.state == AgentStateKind::Ready)
            && d.wrap_up.is_none()
    })
    .await;
    // Another request would show up as a state change; a call placed now reaches a Ready
    // agent, which proves the agent stayed Ready.
    let mut effects = rig.app.effects();
    customer_call(&rig.lab);
    next_effect(&mut effects, "the next call", |e| {
        matches!(e, ShellEffect::ShowPopUp { .. })
    })
    .await;
    assert_eq!(
        rig.lab.truth().agent("1001").unwrap().state,
        TruthState::Reserved
    );
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn a_wrap_up_choice_without_a_call_is_refused() {
    let rig = rig().await;
    ready_agent(&rig).await;
    let error = rig
        .app
        .set_wrap_up(WrapUpRequest {
            reason: Some("Complaint".into()),
            then: None,
        })
        .await
        .unwrap_err();
    assert_eq!(error.code, "no_wrap_up");
    rig.lab.shutdown().await;
}
