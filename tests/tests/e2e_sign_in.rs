//! End to end: signing in through the real app — mistakes explained where they happen, a
//! wrong password tried exactly once (five failures lock a Finesse account), an unreachable
//! server, "remember me" keeping the password in the desktop keyring (gnome-keyring on
//! the test's own D-Bus) so that after a restart the password field stays empty and signing
//! in still works, and a line shared by two phones: the app asks which one before sending
//! LOGIN and signs in on the one chosen. Screenshots go to `target/e2e-screens/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../e2e/mod.rs"]
mod e2e;

use std::time::Duration;

use e2e::driver::{AppSession, PATIENCE};
use e2e::lab::{AGENT, AGENT_EXTENSION, AGENT_ID};
use e2e::World;
use finesse_emulator::center::{AgentState, NodeId};
use finesse_emulator::config::DEMO_PASSWORD;

/// Another demo agent, so the failed attempts do not touch the agent of the other tests.
const MISTAKEN_AGENT: &str = "agent03";
const MISTAKEN_AGENT_ID: &str = "1003";
const MISTAKEN_EXTENSION: &str = "2003";

async fn fill_form(app: &AppSession, node_a: &str, user: &str, password: &str, extension: &str) {
    app.find("sign-in").await;
    app.fill("sign-in-node-a", node_a).await;
    app.fill("sign-in-user", user).await;
    app.fill("sign-in-password", password).await;
    app.fill("sign-in-extension", extension).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_mistakes_are_explained_and_a_wrong_password_is_sent_once() {
    let world = World::start().await;
    let lab = &world.lab;
    let app = world.launch().await;

    // Each empty field is named under itself; nothing reaches Finesse. (The server is preset
    // by `--node-a`, so an empty server field falls back to it.)
    let node_a = lab.node_a();
    for (missing, node, user, password, extension) in [
        (
            "sign-in-user-error",
            node_a.as_str(),
            "",
            DEMO_PASSWORD,
            MISTAKEN_EXTENSION,
        ),
        (
            "sign-in-password-error",
            node_a.as_str(),
            MISTAKEN_AGENT,
            "",
            MISTAKEN_EXTENSION,
        ),
        (
            "sign-in-extension-error",
            node_a.as_str(),
            MISTAKEN_AGENT,
            DEMO_PASSWORD,
            "",
        ),
    ] {
        fill_form(&app, node, user, password, extension).await;
        app.click("sign-in-submit").await;
        app.find(missing).await;
        app.screenshot(&format!(
            "20-sign-in-empty-{}",
            missing.trim_start_matches("sign-in-")
        ))
        .await;
    }
    assert_eq!(lab.agent(MISTAKEN_AGENT_ID).state, AgentState::Logout);

    // A server nobody answers on.
    fill_form(
        &app,
        "127.0.0.1:1",
        MISTAKEN_AGENT,
        DEMO_PASSWORD,
        MISTAKEN_EXTENSION,
    )
    .await;
    app.click("sign-in-submit").await;
    let unreachable = app
        .wait_for_text_in_any(&["sign-in-node-a-error", "sign-in-form-error"])
        .await;
    assert!(!unreachable.is_empty());
    app.screenshot("21-sign-in-unreachable").await;

    // A wrong password: the error sits under the password, and Finesse counted exactly one
    // failure for the whole test (the empty password above never left the app).
    fill_form(
        &app,
        &lab.node_a(),
        MISTAKEN_AGENT,
        "wrong-password",
        MISTAKEN_EXTENSION,
    )
    .await;
    app.click("sign-in-submit").await;
    assert!(!app.text("sign-in-password-error").await.is_empty());
    app.screenshot("22-sign-in-wrong-password").await;
    assert_eq!(lab.agent(MISTAKEN_AGENT_ID).state, AgentState::Logout);
    lab.assert_failed_sign_ins(MISTAKEN_AGENT_ID, 1);

    app.quit(&world.driver).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn remembered_password_comes_from_the_keyring_after_a_restart() {
    let world = World::start().await;
    let lab = &world.lab;

    let app = world.launch().await;
    fill_form(&app, &lab.node_a(), AGENT, DEMO_PASSWORD, AGENT_EXTENSION).await;
    app.click("sign-in-remember").await;
    app.click("sign-in-submit").await;
    app.find("agent-bar").await;
    lab.wait_for_state(AGENT_ID, AgentState::NotReady);
    app.screenshot("30-remembered-signed-in").await;
    // The agent closes Ringside without signing out; Finesse signs them out once it has
    // missed the client for a minute.
    app.quit(&world.driver).await;
    let gone = lab
        .lab
        .wait_for_xmpp_sessions(NodeId::A, PATIENCE, |sessions| sessions.is_empty())
        .await;
    assert!(gone, "the app's XMPP session outlived the app");
    lab.advance(Duration::from_secs(61));
    lab.wait_for_agent(AGENT_ID, "Not Ready with 50002 (connection failure)", |a| {
        a.state == AgentState::NotReady && a.reason_code == Some(50002)
    });
    let settings = world.desktop.home().join("config/ringside/settings.json");
    let saved = std::fs::read_to_string(&settings).unwrap_or_default();
    assert!(
        !saved.contains(DEMO_PASSWORD),
        "the password was written to {}",
        settings.display()
    );

    // A new run of the app: the user is remembered, the password field stays empty, and
    // signing in takes the password from the keyring.
    let app = world.launch().await;
    app.find("sign-in").await;
    app.wait_for_value("sign-in-user", AGENT).await;
    assert_eq!(
        app.value("sign-in-password").await,
        "",
        "a password was put in the field"
    );
    app.screenshot("31-restarted-with-saved-password").await;
    app.fill("sign-in-node-a", &lab.node_a()).await;
    app.fill("sign-in-extension", AGENT_EXTENSION).await;
    app.click("sign-in-submit").await;
    app.find("agent-bar").await;
    lab.wait_for_state(AGENT_ID, AgentState::NotReady);
    app.screenshot("32-signed-in-from-keyring").await;
    app.quit(&world.driver).await;
}

/// Demo agent 1018's line is shared by two phones (`LabConfig::demo`).
const SHARED_LINE_AGENT: &str = "agent18";
const SHARED_LINE_AGENT_ID: &str = "1018";
const SHARED_LINE_EXTENSION: &str = "2018";
const DESK_PHONE: &str = "SEP001122331018";

#[tokio::test(flavor = "multi_thread")]
async fn a_shared_line_asks_which_phone_and_signs_in_on_the_one_chosen() {
    let world = World::start().await;
    let lab = &world.lab;
    let app = world.launch().await;

    // No phone chosen: the app asks which one before anything is signed in.
    fill_form(
        &app,
        &lab.node_a(),
        SHARED_LINE_AGENT,
        DEMO_PASSWORD,
        SHARED_LINE_EXTENSION,
    )
    .await;
    assert!(
        app.try_find("sign-in-device").await.is_none(),
        "a phone was offered before the line was known to be shared"
    );
    app.click("sign-in-submit").await;
    let why = app
        .wait_for_text_in_any(&["sign-in-device-error", "sign-in-form-error"])
        .await;
    assert!(
        app.try_find("sign-in-device-error").await.is_some(),
        "the sign-in failed for another reason: {why}"
    );
    let offered = app
        .eval(
            "return Array.from(document.querySelectorAll('[data-testid=\"sign-in-device\"] option')) \
             .filter((option) => option.value) \
             .map((option) => [option.value, option.textContent.trim()])",
        )
        .await;
    assert_eq!(
        offered,
        serde_json::json!([
            [
                "CSF1018",
                "Cisco Unified Client Services Framework — CSF1018"
            ],
            [DESK_PHONE, "Cisco 7821 — SEP001122331018"],
        ])
    );
    let agent = lab.agent(SHARED_LINE_AGENT_ID);
    assert_eq!(agent.state, AgentState::Logout);
    let logins: Vec<String> = lab
        .lab
        .rest_journal()
        .into_iter()
        .filter(|record| record.method == "PUT")
        .map(|record| record.path)
        .collect();
    assert_eq!(logins, Vec::<String>::new(), "a LOGIN was sent");
    app.screenshot("40-sign-in-choose-phone").await;

    // The desk phone, chosen: signed in on it.
    app.find("sign-in-device")
        .await
        .select_by_value(DESK_PHONE)
        .await
        .expect("the desk phone can be chosen");
    app.wait_for_value("sign-in-device", DESK_PHONE).await;
    app.screenshot("41-sign-in-desk-phone-chosen").await;
    app.click("sign-in-submit").await;
    app.find("agent-bar").await;
    let agent = lab.wait_for_agent(SHARED_LINE_AGENT_ID, "signed in on the desk phone", |a| {
        a.state == AgentState::NotReady && a.active_device_id.as_deref() == Some(DESK_PHONE)
    });
    assert_eq!(agent.extension.as_deref(), Some(SHARED_LINE_EXTENSION));
    app.screenshot("42-signed-in-on-the-desk-phone").await;
    app.quit(&world.driver).await;
}
