//! [`App`]: the controller the Tauri shell wires to. It owns the Finesse session, feeds the
//! [`Desk`](crate::desk::Desk) and publishes what the surfaces show; the shell only binds
//! commands and forwards outputs, so everything here is tested without a display.
//!
//! Inputs: one async method per Tauri command of the contract in
//! [`crate::desk::requests`](crate::desk) (`sign_in`, `sign_out`, `set_state`, `call_action`,
//! `make_call`, `set_wrap_up`, `get_desk`, `get_lookups`, `search_contacts`,
//! `get_sign_in_defaults`, `get_settings`, `save_settings`, `dismiss_alert`,
//! `dismiss_pop_up`, `list_audio_outputs`, `preview_ringtone`, and the supervisor's Team
//! view: `get_team`, `choose_team`, `set_team_view`, `team_action`, `dismiss_team_error`),
//! each returning `Result<_, UiError>`. Requests that need Finesse fail at once with
//! `not_connected` while the session is not connected.
//!
//! Outputs: [`App::desk_updates`] (a `watch` of the [`DeskView`], emitted to the UI as
//! [`ui_events::DESK`]), [`App::effects`] ([`ShellEffect`]s: pop-up shown/closed — the
//! shell emits [`ui_events::POP_UP`] to the pop-up window —, native notifications, tray
//! changes) and [`App::team_updates`] (every [`TeamDiff`], emitted to the UI as
//! [`ui_events::TEAM`]; a supervisor's only — a plain agent's board never changes). The
//! ring is started and stopped by the app itself through its [`RingOutput`].
//!
//! Team diffs have a channel of their own rather than being [`ShellEffect`]s: like the desk
//! they are for the main window, not things the shell does outside it, and a supervisor's
//! steady stream of diffs must not crowd out a pop-up or tray effect.
//!
//! Wrap-up: Finesse ends WORK in NOT_READY and WORK_READY in READY when the wrap-up timer
//! runs out. The agent's "then: Ready / Not Ready" choice ([`App::set_wrap_up`]) is handed
//! to the session as the after-call state, which sends READY or NOT_READY the moment Finesse
//! moves the agent out of wrap-up (only if Finesse did not land there by itself), and keeps
//! the choice across reconnects. Pressing "Done" is an explicit [`App::set_state`] with the
//! chosen state: that ends wrap-up at once and clears the after-call choice, so nothing is
//! sent twice. A "Not Ready" choice reuses the Not Ready reason the agent last picked in
//! this session (Finesse requires one when reason codes are configured).
mod contacts;
mod devices;
mod error;
mod probe;
mod pump;
mod requests;
mod sign_in;
mod state;
mod team;

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{broadcast, watch};

pub use contacts::{search_contacts, MAX_CONTACT_RESULTS};
pub use error::AppError;

use crate::desk::{
    CallActionRequest, ContactView, DeskView, IncomingCallView, Lookups, SettingsView,
    SignInDefaults, SignInForm, StateRequest, TrayView, UiError, WrapUpRequest,
};
use crate::keychain::SecretStore;
use crate::ring::RingOutput;
use crate::settings::SettingsStore;
use crate::team::{TeamActionRequest, TeamDiff, TeamViewOptions};
use state::Inner;

/// Names of the events the shell emits to the webviews — one place, used by both sides.
pub mod ui_events {
    /// Payload: the [`DeskView`](crate::desk::DeskView), after every change.
    pub const DESK: &str = "desk";
    /// Payload: the [`IncomingCallView`](crate::desk::IncomingCallView), or `null` to close.
    pub const POP_UP: &str = "pop-up";
    /// Payload: a [`TeamDiff`](crate::team::TeamDiff) (see
    /// [`App::team_updates`](super::App::team_updates)).
    pub const TEAM: &str = crate::team::UI_EVENT;
}

/// Environment variable naming an extra CA file to trust (the emulator's, for the demo).
/// It takes the place of the CA file in the settings.
pub const EXTRA_CA_ENV: &str = "RINGSIDE_EXTRA_CA";

/// Something the shell must do outside the main window.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "effect")]
pub enum ShellEffect {
    /// Show (or update) the incoming-call pop-up.
    ShowPopUp { call: IncomingCallView },
    /// Close the pop-up of this call.
    ClosePopUp { call_id: String },
    /// A native notification: once per ringing call (`call_id`), or about the connection
    /// (repeated reconnect failures; `call_id` is `None`).
    Notify {
        call_id: Option<String>,
        title: String,
        body: String,
    },
    /// The tray icon, tooltip or menu changed.
    TrayChanged { tray: TrayView },
}

impl ShellEffect {
    /// The UI event this effect is forwarded as, with its payload, if any.
    pub fn ui_event(&self) -> Option<(&'static str, serde_json::Value)> {
        match self {
            ShellEffect::ShowPopUp { call } => {
                Some((ui_events::POP_UP, serde_json::to_value(call).ok()?))
            }
            ShellEffect::ClosePopUp { .. } => Some((ui_events::POP_UP, serde_json::Value::Null)),
            ShellEffect::Notify { .. } | ShellEffect::TrayChanged { .. } => None,
        }
    }
}

/// Where the app reads the time (Unix milliseconds).
pub trait Clock: Send + Sync {
    fn now_ms(&self) -> i64;
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis()
    }
}

/// How patient the app is; the defaults suit a desktop, tests shorten them.
#[derive(Debug, Clone, PartialEq)]
pub struct AppTuning {
    /// Reaching a node and completing TLS before any password is sent.
    pub probe_timeout: Duration,
    /// From starting the session to connected (SystemInfo, XMPP, first snapshot).
    pub connect_timeout: Duration,
    /// Finesse's answer to a command.
    pub command_timeout: Duration,
    /// The session's reconnect backoff start (it doubles up to `reconnect_max_delay`).
    pub reconnect_initial_delay: Duration,
    pub reconnect_max_delay: Duration,
    /// How long an outage lasts before the agent gets a notification about it.
    pub struggling_after: Duration,
}

impl Default for AppTuning {
    fn default() -> Self {
        AppTuning {
            probe_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(45),
            command_timeout: Duration::from_secs(10),
            // The session's own defaults: back within ~3 s once a node is reachable. It slows
            // down by itself after a long outage.
            reconnect_initial_delay: finesse::session::Backoff::default().initial,
            reconnect_max_delay: finesse::session::Backoff::default().max,
            struggling_after: finesse::session::SessionPolicy::for_nodes(Vec::<String>::new())
                .struggling_after,
        }
    }
}

/// Everything the app is built from.
pub struct AppOptions {
    /// The layered settings (IT's file, the user's file); the app saves the user's layer.
    pub settings: SettingsStore,
    pub keychain: Arc<dyn SecretStore>,
    pub ring: Arc<dyn RingOutput>,
    pub clock: Arc<dyn Clock>,
    /// Shown on the sign-in screen in the demo (the emulator's credentials).
    pub demo_hint: Option<String>,
    /// A CA file to trust instead of IT's; `None` reads [`EXTRA_CA_ENV`].
    pub extra_ca_file: Option<std::path::PathBuf>,
    pub tuning: AppTuning,
}

/// The app. Cheap to clone; clones share everything. Create it inside a tokio runtime.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").finish_non_exhaustive()
    }
}

impl App {
    /// Builds the app: signed out, settings loaded, nothing running.
    pub fn new(options: AppOptions) -> App {
        App {
            inner: Inner::new(options),
        }
    }

    // ----- outputs ------------------------------------------------------------------------

    /// The main window's view, updated after every change.
    pub fn desk_updates(&self) -> watch::Receiver<DeskView> {
        self.inner.desk_updates()
    }

    /// Pop-up, notification and tray effects from now on.
    pub fn effects(&self) -> broadcast::Receiver<ShellEffect> {
        self.inner.effects()
    }

    /// The tray as it is now (for the shell's first draw).
    pub fn tray(&self) -> TrayView {
        self.inner.tray_now()
    }

    /// The pop-up as it should be now, if any.
    pub fn pop_up(&self) -> Option<IncomingCallView> {
        self.inner.pop_up_now()
    }

    /// The Team view's diffs from now on, in `seq` order; the shell emits each as
    /// [`ui_events::TEAM`]. A receiver that lags just goes on: the UI sees the gap in `seq`
    /// and asks for the whole view ([`App::get_team`]).
    pub fn team_updates(&self) -> broadcast::Receiver<TeamDiff> {
        self.inner.team.subscribe()
    }

    /// Whether the Team view is live: the signed-in user is a supervisor and the board is
    /// being fed and diffed. Never for a plain agent, who gets no team pump at all.
    pub fn team_view_live(&self) -> bool {
        self.inner
            .lock()
            .live
            .as_ref()
            .is_some_and(|live| live.team_pump.is_some())
    }

    // ----- commands -----------------------------------------------------------------------

    /// Signs in on the form's extension. Where the agent's line is shared by several phones
    /// and the form names none of them, no LOGIN is sent: it fails with
    /// `device_choice_required`, and [`App::get_sign_in_defaults`] then lists the phones.
    pub async fn sign_in(&self, form: SignInForm) -> Result<(), UiError> {
        sign_in::sign_in(&self.inner, form)
            .await
            .map_err(UiError::from)
    }

    /// Logs out of Finesse (with the reason) and ends the session. While not connected it
    /// only ends the local session: Finesse signs the agent out by itself once it sees the
    /// client gone.
    pub async fn sign_out(&self, reason_id: Option<String>) -> Result<(), UiError> {
        requests::sign_out(&self.inner, reason_id)
            .await
            .map_err(UiError::from)
    }

    pub async fn set_state(&self, request: StateRequest) -> Result<(), UiError> {
        requests::set_state(&self.inner, request)
            .await
            .map_err(UiError::from)
    }

    pub async fn call_action(&self, request: CallActionRequest) -> Result<(), UiError> {
        requests::call_action(&self.inner, request)
            .await
            .map_err(UiError::from)
    }

    pub async fn make_call(&self, number: String) -> Result<(), UiError> {
        requests::make_call(&self.inner, number)
            .await
            .map_err(UiError::from)
    }

    /// The wrap-up reason and/or what to become when wrap-up ends (see the module docs).
    pub async fn set_wrap_up(&self, request: WrapUpRequest) -> Result<(), UiError> {
        requests::set_wrap_up(&self.inner, request)
            .await
            .map_err(UiError::from)
    }

    pub async fn get_desk(&self) -> Result<DeskView, UiError> {
        Ok(self.inner.desk_view_now())
    }

    /// Reason codes and wrap-up reasons, loaded after sign-in and cached for the session.
    pub async fn get_lookups(&self) -> Result<Lookups, UiError> {
        requests::get_lookups(&self.inner)
            .await
            .map_err(UiError::from)
    }

    /// Phone-book contacts matching `query` (see [`search_contacts`]).
    pub async fn search_contacts(&self, query: String) -> Result<Vec<ContactView>, UiError> {
        requests::find_contacts(&self.inner, &query)
            .await
            .map_err(UiError::from)
    }

    pub async fn get_sign_in_defaults(&self) -> Result<SignInDefaults, UiError> {
        Ok(sign_in::defaults(&self.inner).await)
    }

    pub async fn get_settings(&self) -> Result<SettingsView, UiError> {
        Ok(self.inner.settings_now())
    }

    pub async fn save_settings(&self, settings: SettingsView) -> Result<(), UiError> {
        self.inner.save_settings(settings).map_err(UiError::from)
    }

    pub async fn dismiss_alert(&self, id: u64) -> Result<(), UiError> {
        self.inner.dismiss_alert(id).map_err(UiError::from)
    }

    /// Closes the pop-up of this call (it stays closed while the call rings; the ring goes
    /// on until the call is answered or leaves).
    pub async fn dismiss_pop_up(&self, call_id: String) -> Result<(), UiError> {
        self.inner.dismiss_pop_up(&call_id);
        Ok(())
    }

    pub async fn list_audio_outputs(&self) -> Result<Vec<String>, UiError> {
        Ok(requests::list_audio_outputs(&self.inner).await)
    }

    /// Plays the chosen ringtone once. Fails with `no_audio_device` when nothing can be
    /// heard and `ringtone_unreadable` when the chosen file cannot be played.
    pub async fn preview_ringtone(&self) -> Result<(), UiError> {
        requests::preview_ringtone(&self.inner)
            .await
            .map_err(UiError::from)
    }

    // ----- the supervisor's Team view ------------------------------------------------------

    /// The whole Team view as a reset diff (the tab's first load, or after a missed `seq`);
    /// the `team` events that follow continue from it. Empty while no supervisor is signed in.
    pub async fn get_team(&self) -> Result<TeamDiff, UiError> {
        Ok(team::get_team(&self.inner))
    }

    /// Shows another supervised team (`team_unknown_team` for any other): the session stops
    /// following the old team and loads the new one, whose rows go out as a `team` event
    /// before this returns.
    pub async fn choose_team(&self, team_id: String) -> Result<(), UiError> {
        team::choose_team(&self.inner, team_id)
            .await
            .map_err(UiError::from)
    }

    /// Sort, filters and the signed-out toggle; the new order goes out as a `team` event.
    pub async fn set_team_view(&self, view: TeamViewOptions) -> Result<(), UiError> {
        team::set_view(&self.inner, view);
        Ok(())
    }

    /// Starts an action on an agent and returns once it is on its way: the row shows it
    /// pending at once, then the agent's new state, or the row's `error` if Finesse refused.
    /// Refused before anything is sent with `team_action_not_allowed` (Finesse's supervisor
    /// rules do not allow it now, e.g. Not Ready while the agent is talking),
    /// `team_action_pending`, `team_unknown_agent`, `team_no_team_chosen` or `not_connected`.
    pub async fn team_action(&self, request: TeamActionRequest) -> Result<(), UiError> {
        team::team_action(&self.inner, request).map_err(UiError::from)
    }

    /// Hides the error on an agent's row (`team_unknown_agent` if the agent is not shown).
    pub async fn dismiss_team_error(&self, agent_id: String) -> Result<(), UiError> {
        team::dismiss_error(&self.inner, agent_id).map_err(UiError::from)
    }

    // ----- life cycle ---------------------------------------------------------------------

    /// Quitting would leave an agent signed in to Finesse: ask first.
    pub fn quit_needs_confirmation(&self) -> bool {
        self.inner.signed_in()
    }

    /// Ends everything before the process exits; with `sign_out`, logs the agent out of
    /// Finesse first (best effort).
    pub async fn shutdown(&self, sign_out: bool) {
        requests::shutdown(&self.inner, sign_out).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pop_up_effects_become_pop_up_events_for_the_ui() {
        let call = IncomingCallView {
            call_id: "42".into(),
            caller: "4085550123".into(),
            dialed_number: None,
            items: Vec::new(),
            can_answer: true,
        };
        let (name, payload) = ShellEffect::ShowPopUp { call }.ui_event().unwrap();
        assert_eq!(name, ui_events::POP_UP);
        assert_eq!(payload["callId"], "42");
        let (name, payload) = ShellEffect::ClosePopUp {
            call_id: "42".into(),
        }
        .ui_event()
        .unwrap();
        assert_eq!((name, payload), ("pop-up", serde_json::Value::Null));
        let notify = ShellEffect::Notify {
            call_id: Some("42".into()),
            title: "Incoming call".into(),
            body: String::new(),
        };
        assert_eq!(notify.ui_event(), None);
    }
}
