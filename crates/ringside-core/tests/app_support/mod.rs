//! The app against the in-process emulator lab on 127.0.0.1.
//!
//! FAKES, on purpose: the keychain is [`MemoryKeychain`] and the ring is [`FakeRing`], a
//! recorder of start/stop calls — the real keychain and the real player have tests of
//! their own (`keychain_secret_service.rs`, `ring_pulseaudio.rs`). Everything else is
//! real: the session, REST over HTTPS, XMPP over WebSocket, the emulator's contact center.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use finesse_emulator::center::{CallId, CallSpec, CallVariable, NodeId};
use finesse_emulator::clock::SimClock;
use finesse_emulator::config::{LabConfig, DEMO_PASSWORD};
use finesse_emulator::net::{Lab, LabOptions};
use ringside_core::app::{App, AppOptions, AppTuning, ShellEffect, SystemClock};
use ringside_core::desk::{DeskView, SignInForm};
use ringside_core::keychain::MemoryKeychain;
use ringside_core::ring::{RingOutput, RingRequest, RingState, RingStatus, RingWarning};
use ringside_core::settings::{SettingsLayer, SettingsPaths, SettingsStore};
use tokio::sync::{broadcast, watch};

/// Safety net only: every wait ends as soon as the awaited thing happens.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub const PASSWORD: &str = DEMO_PASSWORD;
pub const CALLER: &str = "4085550123";

/// What the fake ring was asked to do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RingLog {
    pub ringing: bool,
    pub starts: Vec<RingRequest>,
    pub stops: usize,
}

/// A ring output that plays nothing and remembers every request.
pub struct FakeRing {
    log: watch::Sender<RingLog>,
    status: watch::Sender<RingStatus>,
    outputs: Mutex<Vec<String>>,
}

impl FakeRing {
    pub fn new() -> Arc<FakeRing> {
        Arc::new(FakeRing {
            log: watch::channel(RingLog::default()).0,
            status: watch::channel(RingStatus::default()).0,
            outputs: Mutex::new(vec!["default".to_owned(), "USB Headset".to_owned()]),
        })
    }

    pub fn log(&self) -> watch::Receiver<RingLog> {
        self.log.subscribe()
    }

    /// Publish a status with these warnings, as the real player does after a request.
    pub fn report(&self, warnings: Vec<RingWarning>) {
        self.status.send_modify(|s| {
            s.warnings = warnings;
            s.handled += 1;
        });
    }

    pub fn now(&self) -> RingLog {
        self.log.borrow().clone()
    }
}

impl RingOutput for FakeRing {
    fn start(&self, request: RingRequest) {
        self.log.send_modify(|log| {
            log.ringing = true;
            log.starts.push(request);
        });
        self.status.send_modify(|s| {
            s.state = RingState::Ringing;
            s.handled += 1;
        });
    }

    fn stop(&self) {
        self.log.send_modify(|log| {
            log.ringing = false;
            log.stops += 1;
        });
        self.status.send_modify(|s| {
            s.state = RingState::Idle;
            s.handled += 1;
        });
    }

    fn list_outputs(&self) -> Vec<String> {
        self.outputs.lock().unwrap().clone()
    }

    fn status(&self) -> watch::Receiver<RingStatus> {
        self.status.subscribe()
    }
}

/// The app, its fakes and the lab.
pub struct Rig {
    pub lab: Lab,
    pub app: App,
    pub keychain: Arc<MemoryKeychain>,
    pub ring: Arc<FakeRing>,
    /// Holds `ringside/settings.json`, the user's settings file.
    pub config_dir: tempfile::TempDir,
}

pub async fn start_lab() -> Lab {
    start_lab_with(LabConfig::demo()).await
}

pub async fn start_lab_with(config: LabConfig) -> Lab {
    let options = LabOptions::new(config, SimClock::manual()).with_ephemeral_ports();
    Lab::start(options).await.expect("lab starts")
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

pub fn tuning() -> AppTuning {
    AppTuning {
        probe_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(20),
        command_timeout: Duration::from_secs(10),
        reconnect_initial_delay: Duration::from_millis(50),
        reconnect_max_delay: Duration::from_millis(400),
        struggling_after: Duration::from_millis(300),
    }
}

/// The real settings store on a private user file and no system file.
pub fn settings_in(config_dir: &std::path::Path) -> SettingsStore {
    SettingsStore::load(
        SettingsPaths {
            system: None,
            user: Some(config_dir.join("ringside").join("settings.json")),
        },
        SettingsLayer::default(),
    )
}

/// An app that trusts the lab's CA.
pub fn app_for(lab: &Lab) -> (App, Arc<MemoryKeychain>, Arc<FakeRing>, tempfile::TempDir) {
    let keychain = Arc::new(MemoryKeychain::new());
    let config_dir = tempfile::tempdir().unwrap();
    let ring = FakeRing::new();
    let app = App::new(AppOptions {
        settings: settings_in(config_dir.path()),
        keychain: keychain.clone(),
        ring: ring.clone(),
        clock: Arc::new(SystemClock),
        demo_hint: Some("Agent 1001, password ringside, extension 2001".to_owned()),
        extra_ca_file: Some(lab.ca_path().to_path_buf()),
        tuning: tuning(),
    });
    (app, keychain, ring, config_dir)
}

pub async fn rig() -> Rig {
    let lab = start_lab().await;
    let (app, keychain, ring, config_dir) = app_for(&lab);
    Rig {
        lab,
        app,
        keychain,
        ring,
        config_dir,
    }
}

/// `127.0.0.1:<port>` of node A.
pub fn node_a(lab: &Lab) -> String {
    let node = lab.node(NodeId::A);
    format!("{}:{}", node.host, node.https_port)
}

pub fn form(lab: &Lab, user: &str, password: &str, extension: &str) -> SignInForm {
    SignInForm {
        node_a: node_a(lab),
        node_b: None,
        user: user.to_owned(),
        password: password.to_owned(),
        extension: extension.to_owned(),
        mobile_agent: None,
        device_id: None,
        remember_me: false,
    }
}

pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

/// Waits until the watched value satisfies `wanted`.
async fn wait_watched<T: Clone>(
    mut watched: watch::Receiver<T>,
    what: &str,
    wanted: impl Fn(&T) -> bool,
) -> T {
    within(what, async {
        loop {
            let now = watched.borrow_and_update().clone();
            if wanted(&now) {
                return now;
            }
            watched
                .changed()
                .await
                .unwrap_or_else(|_| panic!("gone before {what}"));
        }
    })
    .await
}

/// Waits until the published desk view satisfies `wanted`.
pub async fn wait_desk(app: &App, what: &str, wanted: impl Fn(&DeskView) -> bool) -> DeskView {
    wait_watched(app.desk_updates(), what, wanted).await
}

/// Waits for the next effect matching `wanted`.
pub async fn next_effect(
    effects: &mut broadcast::Receiver<ShellEffect>,
    what: &str,
    wanted: impl Fn(&ShellEffect) -> bool,
) -> ShellEffect {
    within(what, async {
        loop {
            match effects.recv().await {
                Ok(effect) if wanted(&effect) => return effect,
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => panic!("effects closed before {what}"),
            }
        }
    })
    .await
}

/// Waits until the fake ring's log satisfies `wanted`.
pub async fn wait_ring(ring: &FakeRing, what: &str, wanted: impl Fn(&RingLog) -> bool) -> RingLog {
    wait_watched(ring.log(), what, wanted).await
}

/// Signs in agent 1001 on 2001 (NOT_READY).
pub async fn sign_in_agent(rig: &Rig) {
    within(
        "sign in",
        rig.app.sign_in(form(&rig.lab, "1001", PASSWORD, "2001")),
    )
    .await
    .expect("signs in");
}

/// Signs in agent 1001 on 2001 and goes Ready.
pub async fn ready_agent(rig: &Rig) {
    sign_in_agent(rig).await;
    within(
        "ready",
        rig.app.set_state(ringside_core::desk::StateRequest {
            state: ringside_core::desk::AgentStateKind::Ready,
            reason_id: None,
        }),
    )
    .await
    .expect("goes ready");
}

/// A customer call to the Sales queue, with the customer's name in callVariable1.
pub fn customer_call(lab: &Lab) -> CallId {
    lab.place_call(CallSpec {
        caller: CALLER.into(),
        queue: "5001".into(),
        call_variables: vec![CallVariable::new("callVariable1", "Ada Lovelace")],
        ..CallSpec::default()
    })
    .unwrap()
}
