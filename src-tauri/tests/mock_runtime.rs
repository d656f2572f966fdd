//! The shell on Tauri's mock runtime: every command of the UI contract is wired to the app
//! controller through the real IPC path (a webview's invoke message), and the controller's
//! desk reaches listeners as `desk` events.
//!
//! FAKES, on purpose: the keychain is [`MemoryKeychain`] and the ring is [`SilentRing`], an
//! output with no audio device; settings live in a private temporary folder. The real
//! keychain and player have tests of their own in ringside-core. Everything between the
//! webview and the controller is the shell's own code: `with_commands`, the commands and
//! `effects::forward`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use ringside_core::app::{ui_events, App, AppOptions, AppTuning, SystemClock};
use ringside_core::keychain::MemoryKeychain;
use ringside_core::ring::{RingOutput, RingRequest, RingState, RingStatus};
use ringside_core::settings::{SettingsLayer, SettingsPaths, SettingsStore};
use ringside_shell::commands::COMMAND_NAMES;
use ringside_shell::state::AppHandleState;
use ringside_shell::{effects, with_commands};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::{Listener, WebviewWindow, WebviewWindowBuilder};
use tokio::sync::watch;

/// Safety net only: every wait ends as soon as the awaited event arrives.
const PATIENCE: Duration = Duration::from_secs(20);

const DEMO_HINT: &str = "Agent 1001, password ringside, extension 2001";

/// A machine without a sound device: every request is answered at once as silent.
struct SilentRing {
    status: watch::Sender<RingStatus>,
}

impl SilentRing {
    fn new() -> Arc<SilentRing> {
        Arc::new(SilentRing {
            status: watch::channel(RingStatus::default()).0,
        })
    }
}

impl RingOutput for SilentRing {
    fn start(&self, _request: RingRequest) {
        self.status.send_modify(|s| {
            s.state = RingState::Silent;
            s.handled += 1;
        });
    }

    fn stop(&self) {
        self.status.send_modify(|s| {
            s.state = RingState::Idle;
            s.handled += 1;
        });
    }

    fn list_outputs(&self) -> Vec<String> {
        Vec::new()
    }

    fn status(&self) -> watch::Receiver<RingStatus> {
        self.status.subscribe()
    }
}

/// The mock app with the shell's commands, its main window and the controller behind them.
struct Shell {
    app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    controller: App,
    /// Holds `ringside/settings.json`; removed when the test ends.
    _config_dir: tempfile::TempDir,
}

/// `user_settings`: the contents of the agent's settings file, when there is one.
fn shell(user_settings: Option<&str>) -> Shell {
    let config_dir = tempfile::tempdir().unwrap();
    let settings_file = config_dir.path().join("ringside").join("settings.json");
    if let Some(contents) = user_settings {
        write_file(&settings_file, contents);
    }
    let settings = SettingsStore::load(
        SettingsPaths {
            system: None,
            user: Some(settings_file),
        },
        SettingsLayer::default(),
    );
    // The app starts its tasks on the runtime it is created in: the one commands run on.
    let controller = tauri::async_runtime::block_on(async {
        App::new(AppOptions {
            settings,
            keychain: Arc::new(MemoryKeychain::new()),
            ring: SilentRing::new(),
            clock: Arc::new(SystemClock),
            demo_hint: Some(DEMO_HINT.to_owned()),
            extra_ca_file: None,
            tuning: AppTuning::default(),
        })
    });
    let app = with_commands(mock_builder())
        .manage(AppHandleState {
            app: controller.clone(),
        })
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Shell {
        app,
        window,
        controller,
        _config_dir: config_dir,
    }
}

fn write_file(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// What the webview's `invoke(command, args)` resolves (`Ok`) or rejects (`Err`) with.
fn invoke(window: &WebviewWindow<MockRuntime>, command: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: command.to_owned(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: if cfg!(windows) {
            "http://tauri.localhost"
        } else {
            "tauri://localhost"
        }
        .parse()
        .unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: tauri::test::INVOKE_KEY.to_owned(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

fn not_found(command: &str) -> Value {
    json!(format!("Command {command} not found"))
}

#[test]
fn a_command_outside_the_contract_is_not_found() {
    let shell = shell(None);
    assert_eq!(
        invoke(&shell.window, "format_disk", json!({})),
        Err(not_found("format_disk"))
    );
}

#[test]
fn every_contract_command_is_registered() {
    let shell = shell(None);
    for &command in COMMAND_NAMES {
        // Commands with arguments reject the missing ones; the rest run on a signed-out app.
        // Either way the command was found.
        let response = invoke(&shell.window, command, json!({}));
        assert_ne!(
            response,
            Err(not_found(command)),
            "`{command}` is not registered"
        );
    }
}

#[test]
fn the_desk_starts_signed_out() {
    let shell = shell(None);
    let desk = invoke(&shell.window, "get_desk", json!({})).unwrap();
    assert_eq!(desk["connection"]["status"], "signedOut");
    assert_eq!(desk["agent"], Value::Null);
    assert_eq!(desk["calls"], json!([]));
}

#[test]
fn sign_in_defaults_carry_the_demo_hint() {
    let shell = shell(None);
    let defaults = invoke(&shell.window, "get_sign_in_defaults", json!({})).unwrap();
    assert_eq!(defaults["demoHint"], DEMO_HINT);
    assert_eq!(defaults["hasSavedPassword"], false);
}

#[test]
fn signing_in_with_an_empty_form_names_the_missing_field() {
    let shell = shell(None);
    let form = json!({
        "nodeA": "",
        "nodeB": null,
        "user": "",
        "password": "",
        "extension": "",
        "mobileAgent": null,
        "deviceId": null,
        "rememberMe": false,
    });
    let error = invoke(&shell.window, "sign_in", json!({ "form": form })).unwrap_err();
    assert_eq!(error["code"], "field_required", "{error}");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[test]
fn previewing_the_ringtone_without_a_sound_device_says_so() {
    let shell = shell(None);
    let error = invoke(&shell.window, "preview_ringtone", json!({})).unwrap_err();
    assert_eq!(error["code"], "no_audio_device", "{error}");
}

/// The next `desk` payload that satisfies `wanted`.
fn next_desk(desks: &mpsc::Receiver<Value>, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match desks.recv_timeout(left) {
            Ok(desk) if wanted(&desk) => return desk,
            Ok(_) => {}
            Err(_) => panic!("no desk event with {what}"),
        }
    }
}

#[test]
fn desk_changes_reach_the_windows_as_desk_events() {
    // A settings file that does not parse: the app starts with an alert the agent can dismiss.
    let shell = shell(Some("{ \"volume\": "));
    let (sender, desks) = mpsc::channel();
    shell.app.listen(ui_events::DESK, move |event| {
        let _ = sender.send(serde_json::from_str::<Value>(event.payload()).unwrap());
    });

    effects::forward(
        shell.app.handle(),
        shell.controller.clone(),
        shell.controller.effects(),
    );

    let first = next_desk(&desks, "the settings alert", |desk| {
        desk["alerts"].as_array().is_some_and(|a| !a.is_empty())
    });
    assert_eq!(first["connection"]["status"], "signedOut");
    assert_eq!(first["alerts"][0]["code"], "file_invalid");
    let alert_id = first["alerts"][0]["id"].clone();

    invoke(&shell.window, "dismiss_alert", json!({ "id": alert_id })).unwrap();

    let after = next_desk(&desks, "the alert dismissed", |desk| {
        desk["alerts"].as_array().is_some_and(Vec::is_empty)
    });
    assert_eq!(after["connection"]["status"], "signedOut");
}
