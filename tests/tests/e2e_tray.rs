//! End to end: Ringside's tray icon and menu, driven the way a Linux panel drives them. The
//! test plays the desktop's tray host on its private session bus (it owns
//! `org.kde.StatusNotifierWatcher`, see `tests/e2e/tray.rs`); the real `ringside` binary
//! registers its StatusNotifierItem with it, and the test reads the icon and the dbusmenu
//! and clicks menu items over D-Bus, while WebDriver watches the main window and the
//! Finesse emulator's ground truth says what really happened. Screenshots go to
//! `target/e2e-screens/tray-*.png`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../e2e/mod.rs"]
mod e2e;

use e2e::dialogs::{keys, Display};
use e2e::driver::{AppSession, PATIENCE};
use e2e::lab::{AGENT, AGENT_EXTENSION, AGENT_ID, COLLEAGUE_EXTENSION, COLLEAGUE_ID};
use e2e::prerequisites::app_binary;
use e2e::tray::{TrayHost, TrayItem};
use e2e::wait::wait_until;
use e2e::World;
use finesse_emulator::center::AgentState;

/// The main window's title (`tauri.conf.json`), as the X server lists it.
const MAIN_TITLE: &str = "Ringside";
/// The quit question's window title (`src-tauri/src/quit.rs`).
const QUIT_TITLE: &str = "Quit Ringside";

/// The demo lab's supervisor of team Sales (agents 1001–1010).
const SUPERVISOR: &str = "supervisor";
const SUPERVISOR_ID: &str = "1000";
const SUPERVISOR_EXTENSION: &str = "2000";

/// A world with the tray host on its bus before the app starts (else appindicator falls
/// back to an XEmbed icon), and the app launched with `extra` flags.
async fn start_with_tray(extra: &[&str]) -> (World, TrayHost, AppSession, TrayItem) {
    let world = World::start().await;
    let tray = TrayHost::start(&world.desktop).await;
    let mut args = world.lab.app_args();
    args.extend(extra.iter().map(|flag| flag.to_string()));
    let app = AppSession::launch(&world.driver, &app_binary(), &args).await;
    let item = tray.wait_for_item().await;
    (world, tray, app, item)
}

#[tokio::test(flavor = "multi_thread")]
async fn app_started_minimised_lives_in_the_tray_and_opens_from_its_menu() {
    let (world, tray, app, item) = start_with_tray(&["--minimised"]).await;

    // In the tray, signed out: the offline icon, and a menu that can only open or quit.
    assert_eq!(item.status().await, "Active");
    item.wait_for_icon("offline").await;
    let menu = item
        .wait_for_menu("offered Open Ringside", |menu| {
            menu.is_enabled(&["Open Ringside"])
        })
        .await;
    assert!(menu.is_enabled(&["Quit"]), "{menu}");
    for signed_in_only in ["Ready", "Not Ready", "Sign out"] {
        assert!(
            menu.find(&[signed_in_only]).is_some() && !menu.is_enabled(&[signed_in_only]),
            "{signed_in_only} should be there but disabled while signed out:\n{menu}"
        );
    }

    // No window on the screen.
    assert!(!app.page_visible().await, "the main page is visible");
    assert!(
        !world.desktop.window_is_visible(MAIN_TITLE),
        "the main window is mapped although the app started minimised"
    );

    // Open from the tray: the main window comes up on the sign-in screen.
    item.click(&["Open Ringside"]).await;
    app.wait_page_visible(true).await;
    assert!(
        wait_until(PATIENCE, || world.desktop.window_is_visible(MAIN_TITLE)),
        "the main window's X window is not mapped after Open"
    );
    app.find("sign-in").await;
    app.screenshot("tray-01-opened-from-the-tray").await;

    // The icon leaves the panel with the app.
    app.quit(&world.driver).await;
    tray.wait_until_empty().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn start_minimised_setting_puts_the_next_launch_in_the_tray() {
    let (world, tray, app, _item) = start_with_tray(&[]).await;

    // A plain launch shows the main window.
    app.wait_page_visible(true).await;
    assert!(
        wait_until(PATIENCE, || world.desktop.window_is_visible(MAIN_TITLE)),
        "the main window is not mapped after a plain launch"
    );

    // The agent asks to start in the tray from now on.
    app.sign_in(&world.lab.node_a(), AGENT, AGENT_EXTENSION)
        .await;
    app.click("tab-settings").await;
    app.click("settings-start-minimised").await;
    app.wait_for_text("settings-status", "Saved").await;
    app.screenshot("tray-09-start-minimised-chosen").await;
    app.quit(&world.driver).await;
    tray.wait_until_empty().await;

    // The next launch, without any flag, stays in the tray until Open.
    let app = AppSession::launch(&world.driver, &app_binary(), &world.lab.app_args()).await;
    let item = tray.wait_for_item().await;
    item.wait_for_menu("offered Open Ringside", |menu| {
        menu.is_enabled(&["Open Ringside"])
    })
    .await;
    assert!(!app.page_visible().await, "the main page is visible");
    assert!(
        !world.desktop.window_is_visible(MAIN_TITLE),
        "the main window is mapped although the settings say start minimised"
    );
    item.click(&["Open Ringside"]).await;
    app.wait_page_visible(true).await;
    assert!(
        wait_until(PATIENCE, || world.desktop.window_is_visible(MAIN_TITLE)),
        "the main window's X window is not mapped after Open"
    );
    app.screenshot("tray-10-opened-after-minimised-start").await;
    app.quit(&world.driver).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn agent_switches_state_and_signs_out_from_the_tray() {
    let (world, _tray, app, item) = start_with_tray(&[]).await;
    let lab = &world.lab;

    app.sign_in(&world.lab.node_a(), AGENT, AGENT_EXTENSION)
        .await;
    lab.wait_for_state(AGENT_ID, AgentState::NotReady);
    item.wait_for_icon("not-ready").await;
    let menu = item
        .wait_for_menu("offered Ready and the Not Ready reasons", |menu| {
            menu.is_enabled(&["Ready"]) && menu.is_enabled(&["Not Ready", "Lunch"])
        })
        .await;
    // The agent's own reasons only: Training belongs to team Support.
    for reason in ["Lunch", "Break", "Team Meeting"] {
        assert!(menu.is_enabled(&["Not Ready", reason]), "{menu}");
    }
    assert!(menu.find(&["Not Ready", "Training"]).is_none(), "{menu}");
    assert!(menu.is_enabled(&["Sign out"]), "{menu}");
    app.screenshot("tray-02-signed-in").await;

    // Ready from the tray: Finesse, the icon, the menu and the main window agree.
    item.click(&["Ready"]).await;
    lab.wait_for_state(AGENT_ID, AgentState::Ready);
    item.wait_for_icon("ready").await;
    item.wait_for_menu("checked Ready", |menu| menu.is_checked(&["Ready"]))
        .await;
    app.wait_attr("state-pill", "data-state", "ready").await;
    app.screenshot("tray-03-ready-from-the-tray").await;

    // Not Ready with a reason from the submenu.
    item.click(&["Not Ready", "Break"]).await;
    lab.wait_for_agent(AGENT_ID, "Not Ready with reason Break (2)", |agent| {
        agent.state == AgentState::NotReady && agent.reason_code_id.as_deref() == Some("2")
    });
    item.wait_for_icon("not-ready").await;
    item.wait_for_menu("checked Break and not Ready", |menu| {
        menu.is_checked(&["Not Ready", "Break"]) && !menu.is_checked(&["Ready"])
    })
    .await;
    app.wait_attr("state-pill", "data-state", "notReady").await;
    app.screenshot("tray-04-break-from-the-tray").await;

    // Signing out: Finesse wants a logout reason here, and the tray offers them.
    item.click(&["Sign out", "End of Shift"]).await;
    lab.wait_for_agent(
        AGENT_ID,
        "signed out with reason End of Shift (5)",
        |agent| agent.state == AgentState::Logout && agent.reason_code_id.as_deref() == Some("5"),
    );
    item.wait_for_icon("offline").await;
    item.wait_for_menu("disabled Sign out", |menu| {
        menu.find(&["Sign out"]).is_some() && !menu.is_enabled(&["Sign out"])
    })
    .await;
    app.find("sign-in").await;
    app.screenshot("tray-05-signed-out-from-the-tray").await;

    app.quit(&world.driver).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn supervisor_sees_team_counts_in_the_tray() {
    let (world, _tray, app, item) = start_with_tray(&[]).await;
    let lab = &world.lab;
    let team_line = |ready: u32, not_ready: u32, talking: u32| {
        format!("Team: {ready} ready · {not_ready} not ready · {talking} talking")
    };
    let wait_for_counts = |ready, not_ready, talking| {
        let line = team_line(ready, not_ready, talking);
        let item = item.clone();
        async move {
            let menu = item
                .wait_for_menu(&format!("said {line:?}"), |menu| menu.item(&line).is_some())
                .await;
            // Information, not a command.
            assert!(
                !menu.is_enabled(&[&line]),
                "the team line is clickable:\n{menu}"
            );
        }
    };

    app.sign_in(&world.lab.node_a(), SUPERVISOR, SUPERVISOR_EXTENSION)
        .await;
    lab.wait_for_state(SUPERVISOR_ID, AgentState::NotReady);
    item.wait_for_menu("showed a team line", |menu| {
        menu.line_starting("Team:").is_some()
    })
    .await;

    // The supervisor is a member of Sales too: his own Not Ready (Lunch), chosen from the
    // tray, counts; the agents are all signed out. (He changes state once the team is
    // loaded: an update that arrives while the team is first read is lost, so the count
    // right after sign-in may miss his own sign-in.)
    item.click(&["Not Ready", "Lunch"]).await;
    lab.wait_for_agent(SUPERVISOR_ID, "Not Ready with reason Lunch (1)", |agent| {
        agent.state == AgentState::NotReady && agent.reason_code_id.as_deref() == Some("1")
    });
    wait_for_counts(0, 1, 0).await;

    lab.agent_signs_in(AGENT_ID, AGENT_EXTENSION);
    wait_for_counts(0, 2, 0).await;

    lab.agent_signs_in(COLLEAGUE_ID, COLLEAGUE_EXTENSION);
    lab.agent_sets_state(COLLEAGUE_ID, AgentState::Ready, None);
    wait_for_counts(1, 2, 0).await;

    // A customer calls Sales; the one Ready agent takes it.
    lab.customer_call("+14085550188", "Dana Whitfield");
    lab.agent_answers(COLLEAGUE_ID, COLLEAGUE_EXTENSION);
    wait_for_counts(0, 2, 1).await;

    // An agent who signs out leaves the counts.
    lab.agent_sets_state(AGENT_ID, AgentState::Logout, Some("5"));
    wait_for_counts(0, 1, 1).await;
    app.click("tab-team").await;
    app.screenshot("tray-06-supervisor-team").await;

    app.quit(&world.driver).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn quitting_from_the_tray_while_signed_in_asks_whether_to_sign_out() {
    let (world, tray, app, item) = start_with_tray(&[]).await;
    let lab = &world.lab;
    let display = Display::open(&world.desktop);
    app.sign_in(&world.lab.node_a(), AGENT, AGENT_EXTENSION)
        .await;
    lab.wait_for_state(AGENT_ID, AgentState::NotReady);

    // Quit asks first, in a native dialog of its own.
    item.click(&["Quit"]).await;
    let question = display.wait_for_window(QUIT_TITLE);
    display.screenshot("tray-07-quit-question");

    // Escape keeps everything: the question goes, and the app still drives the desk.
    display.type_keys(question, &[keys::ESCAPE]);
    assert!(
        wait_until(PATIENCE, || display.mapped_window(QUIT_TITLE).is_none()),
        "the quit question stayed after Escape"
    );
    item.click(&["Ready"]).await;
    lab.wait_for_state(AGENT_ID, AgentState::Ready);
    assert_eq!(tray.items().len(), 1, "the tray lost the app");

    // Quit again and take the focused first answer, "Sign out and quit": the app leaves
    // Ready, logs out with the first logout reason and exits.
    item.click(&["Quit"]).await;
    let question = display.wait_for_window(QUIT_TITLE);
    display.type_keys(question, &[keys::RETURN]);
    lab.wait_for_agent(
        AGENT_ID,
        "signed out with reason End of Shift (5)",
        |agent| agent.state == AgentState::Logout && agent.reason_code_id.as_deref() == Some("5"),
    );
    tray.wait_until_empty().await;
    display.screenshot("tray-08-quit-signed-out");

    app.quit(&world.driver).await;
}
