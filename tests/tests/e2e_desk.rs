//! End to end: an agent's working day in the real `ringside` binary and its WebKitGTK
//! webview, on a private Xvfb desktop, driven over WebDriver (tauri-driver +
//! WebKitWebDriver), against the in-process Finesse emulator. Every step saves a screenshot
//! under `target/e2e-screens/`. See `tests/e2e/README.md` for what the test starts.
//!
//! Missing tools (Xvfb, tauri-driver, WebKitWebDriver, …) or an unbuilt app fail the test
//! with the command that fixes it; it never passes by skipping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../e2e/mod.rs"]
mod e2e;

use std::time::Duration;

use e2e::driver::{AppSession, AppWindow, PATIENCE};
use e2e::lab::{AGENT, AGENT_EXTENSION, AGENT_ID, COLLEAGUE_EXTENSION, COLLEAGUE_ID};
use e2e::wait::wait_until;
use e2e::World;
use finesse_emulator::center::{AgentState, DialogState, ParticipantState};

/// The pop-up window's title (`tauri.conf.json`), as the X server lists it.
const POP_UP_TITLE: &str = "Incoming call — Ringside";

async fn choose_state(app: &AppSession, option: &str, reason_id: Option<&str>) {
    app.click("state-switch").await;
    app.click(option).await;
    if let Some(reason) = reason_id {
        app.click_css(&format!(
            "[data-testid=\"reason-option\"][data-value=\"{reason}\"]"
        ))
        .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn agent_takes_transfers_and_wraps_up_calls_through_the_real_app() {
    let world = World::start().await;
    let lab = &world.lab;
    let app = world.launch().await;

    // Sign in with the demo credentials the sign-in screen shows.
    app.find("sign-in").await;
    app.wait_for_text("sign-in-demo-hint", AGENT).await;
    app.screenshot("01-sign-in").await;
    app.sign_in(&world.lab.node_a(), AGENT, AGENT_EXTENSION)
        .await;
    lab.wait_for_state(AGENT_ID, AgentState::NotReady);
    app.wait_attr("state-pill", "data-state", "notReady").await;
    app.wait_for_text("agent-extension", AGENT_EXTENSION).await;
    app.screenshot("02-signed-in").await;

    // Ready.
    choose_state(&app, "state-option-ready", None).await;
    lab.wait_for_state(AGENT_ID, AgentState::Ready);
    app.wait_attr("state-pill", "data-state", "ready").await;
    app.screenshot("03-ready").await;

    // A customer calls: the pop-up shows with the caller while the main window lists the
    // ringing call; a native notification reaches the desktop and the ring plays.
    let caller = "+14085550123";
    let first = lab.customer_call(caller, "Chuck Smith");
    lab.wait_for_agent(AGENT_ID, "reserved", |a| a.state == AgentState::Reserved);
    app.switch_to(AppWindow::PopUp).await;
    app.wait_page_visible(true).await;
    app.wait_for_text("popup-caller", caller).await;
    assert!(
        wait_until(PATIENCE, || world.desktop.window_is_visible(POP_UP_TITLE)),
        "the pop-up's X window is not mapped"
    );
    app.screenshot("04-pop-up").await;
    let notification = world.desktop.notifications.wait_for(caller, PATIENCE);
    assert!(
        notification.is_some(),
        "no notification mentioning {caller} reached the desktop; seen: {:?}",
        world.desktop.notifications.all()
    );
    assert!(
        wait_until(PATIENCE, || !world.desktop.playing_streams().is_empty()),
        "the ring is not playing into PulseAudio"
    );
    app.switch_to(AppWindow::Main).await;
    app.wait_card_state(first, "ringing").await;
    app.screenshot("05-ringing").await;

    // Answer from the pop-up: it closes, the ring stops, the call is active.
    app.switch_to(AppWindow::PopUp).await;
    app.click("popup-answer").await;
    app.wait_page_visible(false).await;
    lab.wait_for_call(first, "active", |c| {
        c.is_some_and(|c| c.state == DialogState::Active)
    });
    assert!(
        wait_until(PATIENCE, || world.desktop.playing_streams().is_empty()),
        "the ring went on after the call was answered"
    );
    app.switch_to(AppWindow::Main).await;
    app.wait_card_state(first, "active").await;
    lab.wait_for_state(AGENT_ID, AgentState::Talking);
    app.screenshot("06-talking").await;

    // Hold and resume.
    app.call_action(first, "hold").await;
    app.wait_card_state(first, "held").await;
    assert_eq!(
        lab.leg(first, AGENT_EXTENSION),
        Some(ParticipantState::Held)
    );
    app.screenshot("07-on-hold").await;
    app.call_action(first, "retrieve").await;
    app.wait_card_state(first, "active").await;
    assert!(wait_until(PATIENCE, || lab.leg(first, AGENT_EXTENSION)
        == Some(ParticipantState::Active)));

    // Consult a colleague, who answers; then transfer the customer to them.
    lab.colleague_signs_in();
    app.call_action(first, "consultCall").await;
    app.fill("consult-dial-input", COLLEAGUE_EXTENSION).await;
    app.click("consult-dial-submit").await;
    let consult = lab.colleague_answers();
    app.wait_card_state(consult, "active").await;
    app.wait_card_state(first, "held").await;
    app.screenshot("08-consulting").await;
    let transfer_from = {
        let mut offering = None;
        for id in app.card_ids().await {
            let more = format!("{} [data-testid=\"call-more\"]", AppSession::card(&id));
            app.click_css(&more).await;
            let item = format!(
                "{} [data-testid=\"call-action-transfer\"]",
                AppSession::card(&id)
            );
            if app
                .client()
                .find(fantoccini::Locator::Css(&item))
                .await
                .is_ok()
            {
                offering = Some(item);
                break;
            }
            app.click_css(&more).await;
        }
        offering.expect("no call offers Transfer after the consult was answered")
    };
    app.click_css(&transfer_from).await;
    lab.wait_for_call(first, "with the colleague", |c| {
        c.is_some_and(|c| {
            c.participants
                .iter()
                .any(|p| p.address == COLLEAGUE_EXTENSION && p.state == ParticipantState::Active)
                && !c
                    .participants
                    .iter()
                    .any(|p| p.address == AGENT_EXTENSION && p.state == ParticipantState::Active)
        })
    });
    lab.wait_for_state(COLLEAGUE_ID, AgentState::Talking);
    app.wait_gone("call-card").await;
    lab.wait_for_state(AGENT_ID, AgentState::WorkReady);
    app.find("wrapup-panel").await;
    app.screenshot("09-transferred").await;

    // Back to Ready; a second call, answered in the main window, ends with a wrap-up reason.
    choose_state(&app, "state-option-ready", None).await;
    lab.wait_for_state(AGENT_ID, AgentState::Ready);
    let second = lab.customer_call("+14085550177", "Dana Whitfield");
    app.wait_card_state(second, "ringing").await;
    app.call_action(second, "answer").await;
    app.wait_card_state(second, "active").await;
    lab.wait_for_state(AGENT_ID, AgentState::Talking);
    app.screenshot("10-second-call").await;
    lab.lab.hang_up(second).unwrap();
    lab.wait_for_state(AGENT_ID, AgentState::WorkReady);
    app.find("wrapup-panel").await;
    app.fill("wrapup-reason-search", "Sale").await;
    app.click_css("[data-testid=\"wrapup-reason-option\"][data-value=\"Sale Completed\"]")
        .await;
    lab.wait_for_call(second, "wrapped up as Sale Completed", |c| {
        c.is_some_and(|c| c.wrap_up_reason.as_deref() == Some("Sale Completed"))
    });
    app.wait_for_text("wrapup-reason-current", "Sale Completed")
        .await;
    app.screenshot("11-wrap-up").await;
    // The wrap-up timer runs out; Finesse makes the agent Ready again.
    lab.advance(Duration::from_secs(61));
    lab.wait_for_state(AGENT_ID, AgentState::Ready);
    app.wait_gone("wrapup-panel").await;
    app.wait_attr("state-pill", "data-state", "ready").await;

    // A call that vanishes while the pop-up is open: the pop-up closes by itself.
    let vanishing = lab.customer_call("+14085550199", "Eli Ortega");
    app.switch_to(AppWindow::PopUp).await;
    app.wait_page_visible(true).await;
    app.wait_for_text("popup-caller", "+14085550199").await;
    lab.lab.hang_up(vanishing).unwrap();
    app.wait_page_visible(false).await;
    app.switch_to(AppWindow::Main).await;
    app.wait_gone("call-card").await;
    // The abandoned call leaves the agent Ready; let that reach the window before the state
    // menu opens (a state change closes the menu).
    lab.wait_for_state(AGENT_ID, AgentState::Ready);
    app.wait_attr("state-pill", "data-state", "ready").await;
    app.screenshot("12-call-gone").await;

    // Not Ready with a reason, then sign out with a reason.
    choose_state(&app, "state-option-not-ready", Some("1")).await;
    let agent = lab.wait_for_state(AGENT_ID, AgentState::NotReady);
    assert_eq!(
        agent.reason_code_id.as_deref(),
        Some("1"),
        "Not Ready without the Lunch reason"
    );
    app.wait_for_text("state-reason", "Lunch").await;
    app.screenshot("13-not-ready-lunch").await;
    choose_state(&app, "state-option-logout", Some("5")).await;
    lab.wait_for_state(AGENT_ID, AgentState::Logout);
    app.find("sign-in").await;
    app.screenshot("14-signed-out").await;

    app.quit(&world.driver).await;
}
