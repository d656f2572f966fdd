//! Signing in and out through the app, against the emulator lab (fake keychain and ring:
//! see `app_support`).
// A test that cannot go on should stop right there, with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod app_support;

use app_support::*;
use finesse_emulator::center::{AgentState as TruthState, NodeId};
use ringside_core::app::{App, AppOptions, SystemClock};
use ringside_core::desk::{
    AgentStateKind, ConnectionStatus, SignInDevice, SignInForm, StateRequest,
};
use ringside_core::keychain::{account_for, MemoryKeychain, SecretStore};
use std::sync::Arc;

/// A configured Logout reason of the demo lab (Finesse requires one where they exist).
const END_OF_SHIFT: &str = "5";

fn ready() -> StateRequest {
    StateRequest {
        state: AgentStateKind::Ready,
        reason_id: None,
    }
}

#[tokio::test]
async fn the_demo_agent_signs_in_and_the_desk_shows_them() {
    let rig = rig().await;
    let defaults = rig.app.get_sign_in_defaults().await.unwrap();
    assert_eq!(
        defaults.demo_hint.as_deref(),
        Some("Agent 1001, password ringside, extension 2001")
    );
    assert!(!defaults.has_saved_password);

    within(
        "sign in",
        rig.app.sign_in(form(&rig.lab, "1001", PASSWORD, "2001")),
    )
    .await
    .unwrap();

    let desk = wait_desk(&rig.app, "the agent on the desk", |d| d.agent.is_some()).await;
    assert_eq!(desk.connection.status, ConnectionStatus::Connected);
    let agent = desk.agent.unwrap();
    assert_eq!(agent.id, "1001");
    assert_eq!(agent.extension.as_deref(), Some("2001"));
    assert_eq!(agent.state, AgentStateKind::NotReady);
    let truth = rig.lab.truth();
    let agent = truth.agent("1001").unwrap();
    assert_eq!(agent.state, TruthState::NotReady);
    assert_eq!(agent.extension.as_deref(), Some("2001"));
    assert!(rig.app.quit_needs_confirmation());

    // The next sign-in screen starts where this one ended.
    let defaults = rig.app.get_sign_in_defaults().await.unwrap();
    assert_eq!(defaults.node_a, node_a(&rig.lab));
    assert_eq!(
        (defaults.user.as_str(), defaults.extension.as_str()),
        ("1001", "2001")
    );

    let error = rig.app.sign_out(None).await.unwrap_err();
    assert_eq!(error.code, "reason_required");
    within("sign out", rig.app.sign_out(Some(END_OF_SHIFT.into())))
        .await
        .unwrap();
    assert_eq!(
        rig.lab.truth().agent("1001").unwrap().state,
        TruthState::Logout
    );
    let desk = rig.app.get_desk().await.unwrap();
    assert_eq!(desk.connection.status, ConnectionStatus::SignedOut);
    assert!(desk.agent.is_none());
    assert!(!rig.app.quit_needs_confirmation());
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn a_wrong_password_is_tried_exactly_once() {
    let rig = rig().await;

    let error = within(
        "refusal",
        rig.app
            .sign_in(form(&rig.lab, "1001", "not-the-password", "2001")),
    )
    .await
    .unwrap_err();

    assert_eq!(error.code, "wrong_password");
    assert!(error.message.contains("five"), "{}", error.message);
    assert_eq!(
        rig.app.get_desk().await.unwrap().connection.status,
        ConnectionStatus::SignedOut
    );
    // Five refusals lock the account. If the app tried once, three more leave it open
    // and a fourth locks it.
    let refuse = || {
        rig.lab
            .with_center(|center, now| center.authenticate(now, "1001", "still-wrong"))
            .unwrap_err();
    };
    for _ in 0..3 {
        refuse();
    }
    assert_eq!(
        rig.lab.truth().agent("1001").unwrap().locked_out_until,
        None
    );
    refuse();
    assert!(rig
        .lab
        .truth()
        .agent("1001")
        .unwrap()
        .locked_out_until
        .is_some());
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn empty_fields_are_named_so_the_form_shows_the_error_under_them() {
    let rig = rig().await;
    let blank = |change: fn(&mut SignInForm)| {
        let mut form = form(&rig.lab, "1001", PASSWORD, "2001");
        change(&mut form);
        form
    };
    type Blank = fn(&mut SignInForm);
    let cases: [(Blank, &str); 4] = [
        (|f| f.node_a = "  ".into(), "nodeA"),
        (|f| f.user = String::new(), "user"),
        (|f| f.password = String::new(), "password"),
        (|f| f.extension = " ".into(), "extension"),
    ];
    for (change, field) in cases {
        let error = rig.app.sign_in(blank(change)).await.unwrap_err();
        assert_eq!(error.code, "field_required", "{field}");
        assert!(
            error.message.starts_with(&format!("{field}: ")),
            "{}",
            error.message
        );
    }
    // Nothing reached Finesse.
    assert_eq!(
        rig.lab.truth().agent("1001").unwrap().state,
        TruthState::Logout
    );
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn remember_me_keeps_the_password_in_the_keychain_and_in_no_file() {
    // A password that cannot turn up in a file by chance.
    const SECRET: &str = "Kc-only-7f3a9e21";
    let mut config = finesse_emulator::config::LabConfig::demo();
    let agent = config.agents.iter_mut().find(|a| a.id == "1001").unwrap();
    agent.password = SECRET.to_owned();
    let lab = start_lab_with(config).await;
    let (app, keychain, _ring, config_dir) = app_for(&lab);
    let account = account_for("1001", &node_a(&lab));
    let mut remembered = form(&lab, "1001", SECRET, "2001");
    remembered.remember_me = true;

    within("sign in", app.sign_in(remembered)).await.unwrap();
    assert_eq!(keychain.get(&account).unwrap().as_deref(), Some(SECRET));
    within("sign out", app.sign_out(Some(END_OF_SHIFT.into())))
        .await
        .unwrap();
    let defaults = app.get_sign_in_defaults().await.unwrap();
    assert!(defaults.has_saved_password);
    assert_eq!(defaults.user, "1001");

    // The settings file remembers who signed in, never the password.
    let files = files_under(config_dir.path());
    let settings_file = config_dir.path().join("ringside").join("settings.json");
    assert!(files.contains(&settings_file), "{files:?}");
    assert!(std::fs::read_to_string(&settings_file)
        .unwrap()
        .contains("1001"));
    for file in &files {
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        assert!(!text.contains(SECRET), "the password is in {file:?}");
    }

    // An empty password field uses the saved one.
    let mut from_keychain = form(&lab, "1001", "", "2001");
    from_keychain.remember_me = true;
    within("sign in again", app.sign_in(from_keychain))
        .await
        .unwrap();
    assert_eq!(
        lab.truth().agent("1001").unwrap().state,
        TruthState::NotReady
    );
    within("sign out again", app.sign_out(Some(END_OF_SHIFT.into())))
        .await
        .unwrap();

    // Signing in without "remember me" forgets it.
    within(
        "sign in unremembered",
        app.sign_in(form(&lab, "1001", SECRET, "2001")),
    )
    .await
    .unwrap();
    assert_eq!(keychain.get(&account).unwrap(), None);
    assert!(!app.get_sign_in_defaults().await.unwrap().has_saved_password);
    lab.shutdown().await;
}

#[tokio::test]
async fn a_saved_password_that_is_refused_is_forgotten() {
    let rig = rig().await;
    let account = account_for("1001", &node_a(&rig.lab));
    rig.keychain.set(&account, "an-old-password").unwrap();

    let error = within(
        "refusal",
        rig.app.sign_in(form(&rig.lab, "1001", "", "2001")),
    )
    .await
    .unwrap_err();

    assert_eq!(error.code, "wrong_password");
    assert_eq!(rig.keychain.get(&account).unwrap(), None);
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn extensions_finesse_refuses_are_named_in_plain_words() {
    let rig = rig().await;
    sign_in_agent(&rig).await;
    let (second, _keychain, _ring, _config_dir) = app_for(&rig.lab);

    let in_use = within(
        "2001 again",
        second.sign_in(form(&rig.lab, "1002", PASSWORD, "2001")),
    )
    .await
    .unwrap_err();
    assert_eq!(in_use.code, "extension_in_use", "{}", in_use.message);

    let unknown = within(
        "9999",
        second.sign_in(form(&rig.lab, "1002", PASSWORD, "9999")),
    )
    .await
    .unwrap_err();
    assert_eq!(unknown.code, "extension_invalid", "{}", unknown.message);
    assert_eq!(
        rig.lab.truth().agent("1002").unwrap().state,
        TruthState::Logout
    );
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn servers_that_cannot_be_reached_or_trusted_fail_before_any_password_is_sent() {
    let lab = start_lab().await;
    let (app, _keychain, _ring, _config_dir) = app_for(&lab);
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut nowhere = form(&lab, "1001", "wrong", "2001");
    nowhere.node_a = format!("127.0.0.1:{closed_port}");
    let error = within("unreachable", app.sign_in(nowhere))
        .await
        .unwrap_err();
    assert_eq!(error.code, "unreachable", "{}", error.message);

    // An app that does not trust the lab's CA.
    let elsewhere = tempfile::tempdir().unwrap();
    let untrusting = App::new(AppOptions {
        settings: settings_in(elsewhere.path()),
        keychain: Arc::new(MemoryKeychain::new()),
        ring: FakeRing::new(),
        clock: Arc::new(SystemClock),
        demo_hint: None,
        extra_ca_file: None,
        tuning: tuning(),
    });
    let error = within(
        "untrusted",
        untrusting.sign_in(form(&lab, "1001", "wrong", "2001")),
    )
    .await
    .unwrap_err();
    assert_eq!(error.code, "tls_untrusted", "{}", error.message);

    // Neither attempt spent a password: four refusals still leave the account open.
    for _ in 0..4 {
        lab.with_center(|center, now| center.authenticate(now, "1001", "wrong"))
            .unwrap_err();
    }
    assert_eq!(lab.truth().agent("1001").unwrap().locked_out_until, None);
    lab.shutdown().await;
}

#[tokio::test]
async fn requests_fail_fast_while_signed_out() {
    let rig = rig().await;
    let error = rig.app.set_state(ready()).await.unwrap_err();
    assert_eq!(error.code, "not_connected");
    let error = rig.app.make_call("4000".into()).await.unwrap_err();
    assert_eq!(error.code, "not_connected");
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn a_second_sign_in_while_signed_in_is_refused() {
    let rig = rig().await;
    sign_in_agent(&rig).await;
    let error = rig
        .app
        .sign_in(form(&rig.lab, "1001", PASSWORD, "2001"))
        .await
        .unwrap_err();
    assert_eq!(error.code, "already_signed_in");
    rig.app.shutdown(true).await;
    assert_eq!(
        rig.lab.truth().agent("1001").unwrap().state,
        TruthState::Logout
    );
    rig.lab.shutdown().await;
}

/// Demo agent 1018's line is shared by two phones (`LabConfig::demo`).
const SHARED_LINE_AGENT: &str = "agent18";
const SHARED_LINE_AGENT_ID: &str = "1018";
const SHARED_LINE_EXTENSION: &str = "2018";
const SOFT_PHONE: &str = "CSF1018";
const DESK_PHONE: &str = "SEP001122331018";

/// The PUTs Finesse received: every sign-in and state change is one.
fn puts(lab: &finesse_emulator::net::Lab) -> Vec<String> {
    lab.rest_journal()
        .into_iter()
        .filter(|record| record.method == "PUT")
        .map(|record| record.path)
        .collect()
}

#[tokio::test]
async fn a_shared_line_asks_for_a_phone_before_anything_is_signed_in() {
    let rig = rig().await;
    let shared = || form(&rig.lab, SHARED_LINE_AGENT, PASSWORD, SHARED_LINE_EXTENSION);

    let error = within("refusal", rig.app.sign_in(shared()))
        .await
        .unwrap_err();

    assert_eq!(error.code, "device_choice_required", "{}", error.message);
    assert_eq!(
        error.message,
        "Your line is shared by several phones. Choose the one you are using."
    );
    // No LOGIN reached Finesse, and the session that found out is gone.
    assert_eq!(puts(&rig.lab), Vec::<String>::new());
    let agent = rig.lab.truth().agent(SHARED_LINE_AGENT_ID).unwrap().clone();
    assert_eq!(agent.state, TruthState::Logout);
    assert_eq!(agent.active_device_id, None);
    assert!(
        rig.lab
            .wait_for_xmpp_sessions(NodeId::A, PATIENCE, |sessions| sessions.is_empty())
            .await,
        "the refused session still holds an XMPP stream"
    );
    assert_eq!(
        rig.app.get_desk().await.unwrap().connection.status,
        ConnectionStatus::SignedOut
    );

    // The sign-in screen now offers both phones, by kind and id.
    let defaults = rig.app.get_sign_in_defaults().await.unwrap();
    assert_eq!(defaults.user, SHARED_LINE_AGENT);
    assert_eq!(
        defaults.devices,
        vec![
            SignInDevice {
                id: SOFT_PHONE.into(),
                type_name: Some("Cisco Unified Client Services Framework".into()),
            },
            SignInDevice {
                id: DESK_PHONE.into(),
                type_name: Some("Cisco 7821".into()),
            },
        ]
    );
    assert_eq!(defaults.device_id, None);

    // A phone the line does not have is no choice either.
    let mut elsewhere = shared();
    elsewhere.device_id = Some("SEP00000000FFFF".into());
    let error = within("refusal again", rig.app.sign_in(elsewhere))
        .await
        .unwrap_err();
    assert_eq!(error.code, "device_choice_required");
    assert_eq!(puts(&rig.lab), Vec::<String>::new());
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn the_chosen_phone_is_signed_in_on_and_offered_again_next_time() {
    let rig = rig().await;
    let mut chosen = form(&rig.lab, SHARED_LINE_AGENT, PASSWORD, SHARED_LINE_EXTENSION);
    chosen.device_id = Some(DESK_PHONE.into());

    within("sign in on the desk phone", rig.app.sign_in(chosen))
        .await
        .unwrap();

    // The journal sees the LOGIN as a PUT: an empty list after a refusal means none was sent.
    assert_eq!(puts(&rig.lab), ["/finesse/api/User/1018"]);
    let agent = rig.lab.truth().agent(SHARED_LINE_AGENT_ID).unwrap().clone();
    assert_eq!(agent.state, TruthState::NotReady);
    assert_eq!(agent.extension.as_deref(), Some(SHARED_LINE_EXTENSION));
    assert_eq!(agent.active_device_id.as_deref(), Some(DESK_PHONE));
    let desk = wait_desk(&rig.app, "the agent on the desk", |d| d.agent.is_some()).await;
    assert_eq!(desk.agent.unwrap().id, SHARED_LINE_AGENT_ID);

    // The next run of the app (same settings file) offers the phones with this one chosen.
    let next_run = App::new(AppOptions {
        settings: settings_in(rig.config_dir.path()),
        keychain: Arc::new(MemoryKeychain::new()),
        ring: FakeRing::new(),
        clock: Arc::new(SystemClock),
        demo_hint: None,
        extra_ca_file: Some(rig.lab.ca_path().to_path_buf()),
        tuning: tuning(),
    });
    let defaults = next_run.get_sign_in_defaults().await.unwrap();
    assert_eq!(defaults.device_id.as_deref(), Some(DESK_PHONE));
    let offered: Vec<&str> = defaults.devices.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(offered, [SOFT_PHONE, DESK_PHONE]);

    within("sign out", rig.app.sign_out(Some(END_OF_SHIFT.into())))
        .await
        .unwrap();
    rig.lab.shutdown().await;
}

#[tokio::test]
async fn lines_with_one_phone_or_none_sign_in_as_before() {
    let mut config = finesse_emulator::config::LabConfig::demo();
    let single = config.agents.iter_mut().find(|a| a.id == "1002").unwrap();
    single.devices = vec![finesse_emulator::config::DeviceConfig {
        id: "SEP001122331002".into(),
        device_type: "621".into(),
        device_type_name: "Cisco 7821".into(),
    }];
    let lab = start_lab_with(config).await;
    let (app, _keychain, _ring, _config_dir) = app_for(&lab);

    // One phone: Finesse signs the agent in on it; nothing to choose.
    within(
        "one phone",
        app.sign_in(form(&lab, "1002", PASSWORD, "2002")),
    )
    .await
    .unwrap();
    let agent = lab.truth().agent("1002").unwrap().clone();
    assert_eq!(agent.state, TruthState::NotReady);
    assert_eq!(agent.active_device_id.as_deref(), Some("SEP001122331002"));
    assert!(app.get_sign_in_defaults().await.unwrap().devices.is_empty());
    within("sign out", app.sign_out(Some(END_OF_SHIFT.into())))
        .await
        .unwrap();

    // No phones at all: a phone left over from another agent's shared line is not sent
    // (Finesse would refuse it as an invalid device).
    let mut leftover = form(&lab, "1001", PASSWORD, "2001");
    leftover.device_id = Some(DESK_PHONE.into());
    within("no phones", app.sign_in(leftover)).await.unwrap();
    let agent = lab.truth().agent("1001").unwrap().clone();
    assert_eq!(agent.state, TruthState::NotReady);
    assert_eq!(agent.active_device_id, None);
    let defaults = app.get_sign_in_defaults().await.unwrap();
    assert!(defaults.devices.is_empty());
    assert_eq!(defaults.device_id, None);
    within("sign out again", app.sign_out(Some(END_OF_SHIFT.into())))
        .await
        .unwrap();
    lab.shutdown().await;
}
