//! The app's shared state and how every change reaches the surfaces.
//!
//! All state sits behind one mutex that is never held across an `await`. After any change
//! [`Inner::refresh`] recomputes the views from the desk and publishes only what differs:
//! the desk view, the pop-up, one notification per ringing call, the tray, and the ring.
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};

use finesse::session::Session;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

use crate::desk::{
    AlertLevel, ContactView, Desk, DeskView, IncomingCallView, SettingsView, TrayView,
};
use crate::keychain::SecretStore;
use crate::ring::{tones, PlayMode, RingOutput, RingRequest, RingWarning, Ringtone};
use crate::settings::SettingsStore;

use super::error::AppError;
use super::team::{TeamFollow, TeamHub};
use super::{AppOptions, AppTuning, Clock, ShellEffect};

/// Effects buffered per subscriber.
const EFFECT_CAPACITY: usize = 256;

pub(crate) struct Inner {
    state: Mutex<AppState>,
    pub(crate) keychain: Arc<dyn SecretStore>,
    pub(crate) ring: Arc<dyn RingOutput>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) demo_hint: Option<String>,
    pub(crate) extra_ca_file: Option<std::path::PathBuf>,
    pub(crate) tuning: AppTuning,
    desk_tx: watch::Sender<DeskView>,
    effects_tx: broadcast::Sender<ShellEffect>,
    /// One sign-in (or sign-out) at a time.
    pub(crate) session_gate: tokio::sync::Mutex<()>,
    /// The supervisor's Team view; its lock is a leaf (nothing is locked while it is held).
    pub(crate) team: TeamHub,
}

/// Everything that changes.
pub(crate) struct AppState {
    pub(crate) desk: Desk,
    pub(crate) live: Option<LiveSession>,
    pub(crate) settings: SettingsStore,
    /// The Settings screen's values, kept beside the store so a refresh need not resolve
    /// the layers again.
    pub(crate) prefs: SettingsView,
    outputs: Outputs,
}

/// The session of the signed-in (or signing-in) agent.
pub(crate) struct LiveSession {
    pub(crate) session: Session,
    pub(crate) pump: Option<JoinHandle<()>>,
    pub(crate) lookups_loaded: bool,
    pub(crate) contacts: Option<Arc<Vec<ContactView>>>,
    /// The Not Ready reason the agent last chose, for a "then: Not Ready" after wrap-up.
    pub(crate) last_not_ready_reason: Option<String>,
    /// SystemInfo `currentTimestamp` last used to measure the clock offset.
    pub(crate) measured_timestamp: Option<String>,
    /// Feeds the Team view; started once the User is known to be a supervisor.
    pub(crate) team_pump: Option<JoinHandle<()>>,
    /// The team nodes this session follows; also tells this session's tasks from a later
    /// session's.
    pub(crate) team_follow: Arc<TeamFollow>,
}

impl LiveSession {
    /// A session just started: nothing loaded, nothing followed.
    pub(crate) fn new(session: Session) -> Self {
        LiveSession {
            session,
            pump: None,
            lookups_loaded: false,
            contacts: None,
            last_not_ready_reason: None,
            measured_timestamp: None,
            team_pump: None,
            team_follow: Arc::new(TeamFollow::default()),
        }
    }
}

/// What was last published, to publish only changes.
#[derive(Default)]
struct Outputs {
    view: Option<DeskView>,
    pop_up: Option<IncomingCallView>,
    notified: BTreeSet<String>,
    ringing: bool,
    tray: Option<TrayView>,
    /// Ring warnings already shown as an alert (each once per app run).
    warned: BTreeSet<&'static str>,
}

impl Inner {
    pub(crate) fn new(options: AppOptions) -> Arc<Inner> {
        let settings = options.settings;
        let prefs = settings.view(tones::setting_names());
        let (effects_tx, _) = broadcast::channel(EFFECT_CAPACITY);
        let now = options.clock.now_ms();
        let mut desk = Desk::new();
        // A bad settings value is left out; the agent is told which and why.
        for warning in settings.warnings() {
            tracing::warn!(code = warning.code, message = %warning.message, "settings");
            desk.push_alert(
                AlertLevel::Warning,
                warning.code,
                warning.message.clone(),
                now,
            );
        }
        let (desk_tx, _) = watch::channel(desk.view(now));
        let extra_ca_file = options
            .extra_ca_file
            .or_else(|| std::env::var_os(super::EXTRA_CA_ENV).map(Into::into));
        Arc::new(Inner {
            state: Mutex::new(AppState {
                desk,
                live: None,
                settings,
                prefs,
                outputs: Outputs::default(),
            }),
            keychain: options.keychain,
            ring: options.ring,
            clock: options.clock,
            demo_hint: options.demo_hint,
            extra_ca_file,
            tuning: options.tuning,
            desk_tx,
            effects_tx,
            session_gate: tokio::sync::Mutex::new(()),
            team: TeamHub::new(),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, AppState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Change the state, then publish what changed.
    pub(crate) fn update<R>(&self, change: impl FnOnce(&mut AppState, i64) -> R) -> R {
        let now = self.now_ms();
        let mut state = self.lock();
        let result = change(&mut state, now);
        self.publish(&mut state, now);
        result
    }

    /// Publish what changed without changing anything (the clock moved).
    pub(crate) fn refresh(&self) {
        self.update(|_, _| ());
    }

    fn publish(&self, state: &mut AppState, now: i64) {
        let AppState {
            desk,
            prefs,
            outputs,
            ..
        } = state;

        let view = desk.view(now);
        if outputs.view.as_ref() != Some(&view) {
            outputs.view = Some(view.clone());
            self.desk_tx.send_replace(view);
        }

        let pop_up = desk.incoming_call().filter(|_| prefs.pop_up_enabled);
        if pop_up != outputs.pop_up {
            match (&outputs.pop_up, &pop_up) {
                (_, Some(call)) => self.emit(ShellEffect::ShowPopUp { call: call.clone() }),
                (Some(old), None) => self.emit(ShellEffect::ClosePopUp {
                    call_id: old.call_id.clone(),
                }),
                (None, None) => {}
            }
            outputs.pop_up = pop_up;
        }

        let calls = &desk.snapshot().dialogs;
        outputs.notified.retain(|id| calls.contains_key(id));
        if let Some(notification) = desk.notification_for_incoming() {
            if outputs.notified.insert(notification.call_id.clone()) {
                self.emit(ShellEffect::Notify {
                    call_id: Some(notification.call_id),
                    title: notification.title,
                    body: notification.body,
                });
            }
        }

        let ring = desk.should_ring();
        if ring != outputs.ringing {
            outputs.ringing = ring;
            if ring {
                self.ring.start(RingRequest {
                    ringtone: Ringtone::from_setting(&prefs.ringtone),
                    volume: prefs.volume,
                    output_device: prefs.output_device.clone(),
                    mode: PlayMode::Ring,
                });
            } else {
                self.ring.stop();
            }
        }

        let tray = desk.tray(now);
        if outputs.tray.as_ref() != Some(&tray) {
            outputs.tray = Some(tray.clone());
            self.emit(ShellEffect::TrayChanged { tray });
        }
    }

    pub(crate) fn emit(&self, effect: ShellEffect) {
        // No subscriber yet is fine: the shell reads the current state when it starts.
        let _ = self.effects_tx.send(effect);
    }

    /// Each ring warning becomes one alert, once per app run.
    pub(crate) fn alert_ring_warnings(&self, warnings: &[RingWarning]) {
        self.update(|state, now| {
            for warning in warnings {
                if state.outputs.warned.insert(warning.code()) {
                    state.desk.push_alert(
                        AlertLevel::Warning,
                        warning.code(),
                        warning.message(),
                        now,
                    );
                }
            }
        });
    }

    pub(crate) fn desk_updates(&self) -> watch::Receiver<DeskView> {
        self.desk_tx.subscribe()
    }

    pub(crate) fn effects(&self) -> broadcast::Receiver<ShellEffect> {
        self.effects_tx.subscribe()
    }

    pub(crate) fn desk_view_now(&self) -> DeskView {
        let now = self.now_ms();
        self.lock().desk.view(now)
    }

    pub(crate) fn tray_now(&self) -> TrayView {
        let now = self.now_ms();
        self.lock().desk.tray(now)
    }

    pub(crate) fn pop_up_now(&self) -> Option<IncomingCallView> {
        let state = self.lock();
        state
            .desk
            .incoming_call()
            .filter(|_| state.prefs.pop_up_enabled)
    }

    pub(crate) fn settings_now(&self) -> SettingsView {
        self.lock().prefs.clone()
    }

    /// Takes the Settings screen's values into the user's layer and writes the user's file.
    /// On a failed write the settings in use stay as they were.
    pub(crate) fn save_settings(&self, view: SettingsView) -> Result<(), AppError> {
        if !(0.0..=1.0).contains(&view.volume) {
            return Err(AppError::invalid("the volume must be between 0 and 1"));
        }
        self.update(|state, _| {
            let mut changed = state.settings.clone();
            changed.apply_view(&view);
            changed.save().map_err(|error| AppError::Settings {
                code: error.code(),
                detail: error.to_string(),
            })?;
            state.prefs = changed.view(tones::setting_names());
            state.settings = changed;
            Ok(())
        })
    }

    pub(crate) fn dismiss_alert(&self, id: u64) -> Result<(), AppError> {
        if self.update(|state, _| state.desk.dismiss_alert(id)) {
            Ok(())
        } else {
            Err(AppError::invalid(format!("there is no alert {id}")))
        }
    }

    pub(crate) fn dismiss_pop_up(&self, call_id: &str) {
        self.update(|state, _| state.desk.dismiss_pop_up(call_id));
    }

    /// Signed in to Finesse on an extension, with a session that is still trying (a
    /// session refused or taken over elsewhere has nothing left to sign out).
    pub(crate) fn signed_in(&self) -> bool {
        let state = self.lock();
        let session_alive = state
            .live
            .as_ref()
            .is_some_and(|live| !live.session.connection().borrow().is_terminal());
        session_alive
            && state
                .desk
                .snapshot()
                .user
                .as_ref()
                .is_some_and(|user| user.state.is_signed_in())
    }

    /// The live session, if it is connected.
    pub(crate) fn connected_session(&self) -> Result<Session, AppError> {
        let state = self.lock();
        match &state.live {
            Some(live) if live.session.connection().borrow().is_connected() => {
                Ok(live.session.clone())
            }
            _ => Err(AppError::NotConnected),
        }
    }
}
