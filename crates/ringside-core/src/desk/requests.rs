//! What the UI sends and asks for. These cross into TypeScript with `ts-rs` like the view.
//!
//! CONTRACT between the UI (`ui/`), the shell (`src-tauri`, one Tauri command per
//! function below) and `ringside_core::app::App`:
//!
//! | Tauri command        | arguments                                  | returns                      |
//! |----------------------|--------------------------------------------|------------------------------|
//! | `sign_in`            | `form: SignInForm`                         | `()`                         |
//! | `sign_out`           | `reasonId: string \| null`                 | `()`                         |
//! | `set_state`          | `request: StateRequest`                    | `()`                         |
//! | `call_action`        | `request: CallActionRequest`               | `()`                         |
//! | `make_call`          | `number: string`                           | `()`                         |
//! | `set_wrap_up`        | `request: WrapUpRequest`                   | `()`                         |
//! | `get_desk`           | —                                          | `DeskView`                   |
//! | `get_lookups`        | —                                          | `Lookups`                    |
//! | `search_contacts`    | `query: string`                            | `ContactView[]`              |
//! | `get_sign_in_defaults` | —                                        | `SignInDefaults`             |
//! | `get_settings`       | —                                          | `SettingsView`               |
//! | `save_settings`      | `settings: SettingsView`                   | `()`                         |
//! | `dismiss_alert`      | `id: number`                               | `()`                         |
//! | `dismiss_pop_up`     | `callId: string`                           | `()`                         |
//! | `list_audio_outputs` | —                                          | `string[]`                   |
//! | `preview_ringtone`   | —                                          | `()`                         |
//! | `get_team`           | —                                          | `TeamDiff` (the whole view)  |
//! | `choose_team`        | `teamId: string`                           | `()`                         |
//! | `set_team_view`      | `view: TeamViewOptions`                    | `()`                         |
//! | `team_action`        | `request: TeamActionRequest`               | `()` (once sent)             |
//! | `dismiss_team_error` | `agentId: string`                          | `()`                         |
//!
//! Every command error is a [`super::UiError`] `{code, message}`. A `sign_in` refused with
//! `device_choice_required` (the line is shared by several phones and the form chose none of
//! them) has already stored the phones: `get_sign_in_defaults` then lists them in
//! [`SignInDefaults::devices`], and the next `sign_in` names one as `deviceId`.
//! Events from the shell to the UI (names in `ringside_core::app::ui_events`):
//! `desk` carries a [`super::DeskView`] after every change; `pop-up` carries an
//! [`IncomingCallView`] (or `null` to close) for the pop-up window; `team` carries a
//! [`TeamDiff`](crate::team::TeamDiff) (from `App::team_updates`) for a supervisor's Team
//! tab — at most every 250 ms, and at once after a Team command; a gap in its `seq` means
//! one was missed: call `get_team`. The Team types are in [`crate::team`].
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::view::{AfterWrapUp, AgentStateKind, CallAction};

/// The sign-in screen's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SignInForm {
    /// Finesse node A host (optionally `host:port`).
    pub node_a: String,
    /// Optional node B host.
    pub node_b: Option<String>,
    /// Agent ID or login name.
    pub user: String,
    /// Empty when the keychain holds it ("remember me" earlier).
    pub password: String,
    pub extension: String,
    pub mobile_agent: Option<MobileAgentForm>,
    /// The phone chosen when the line is shared (multi-line): one of the
    /// [`SignInDefaults::devices`]. `null` lets Finesse pick where the line is not shared.
    pub device_id: Option<String>,
    /// Keep the password in the OS keychain (nowhere else).
    pub remember_me: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MobileAgentForm {
    /// `CALL_BY_CALL` or `NAILED_CONNECTION`.
    pub mode: String,
    pub dial_number: String,
}

/// What the sign-in screen starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SignInDefaults {
    pub node_a: String,
    pub node_b: Option<String>,
    pub user: String,
    pub extension: String,
    /// A password for this user is in the keychain.
    pub has_saved_password: bool,
    /// Shown on the sign-in screen in the demo (emulator credentials), else `null`.
    pub demo_hint: Option<String>,
    /// Node hosts preset by IT are fixed.
    pub nodes_locked: bool,
    /// The phones sharing `user`'s line (multi-line), as Finesse listed them at the last
    /// sign-in or the last `device_choice_required` refusal; empty when the line is not
    /// shared or nothing is known yet. The sign-in screen offers them as a choice.
    pub devices: Vec<SignInDevice>,
    /// The phone `user` signed in on last time (one of `devices`), to pre-select.
    pub device_id: Option<String>,
}

/// A phone the agent may sign in on when their line is shared (Finesse 12 multi-line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SignInDevice {
    /// Finesse's device id (e.g. `SEP001122334455`), sent back as `SignInForm::device_id`.
    pub id: String,
    /// What kind of phone it is (e.g. `Cisco 7821`), when Finesse says.
    pub type_name: Option<String>,
}

/// Ready / Not Ready (with a reason) / Logout (with a reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StateRequest {
    pub state: AgentStateKind,
    pub reason_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CallActionRequest {
    pub call_id: String,
    pub action: CallAction,
    /// Number for consult / blind transfer.
    pub to_address: Option<String>,
    /// Digits for the keypad.
    pub dtmf: Option<String>,
    /// Participant to drop (conference).
    pub participant: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WrapUpRequest {
    /// Wrap-up reason label (Finesse applies it by label); `null` keeps the current one.
    pub reason: Option<String>,
    /// What to become when wrap-up ends; `null` keeps the current choice.
    pub then: Option<AfterWrapUp>,
}

/// Lists from the server for the searchable menus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Lookups {
    pub not_ready_reasons: Vec<ReasonOption>,
    pub logout_reasons: Vec<ReasonOption>,
    pub wrap_up_reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReasonOption {
    pub id: String,
    pub label: String,
    pub code: Option<u32>,
}

/// A phone-book contact matching a search in the dial box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContactView {
    pub name: String,
    pub number: String,
    pub description: Option<String>,
    pub phone_book: String,
}

/// The incoming-call pop-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IncomingCallView {
    pub call_id: String,
    pub caller: String,
    pub dialed_number: Option<String>,
    /// Two or three labelled call-data values.
    pub items: Vec<PopUpItem>,
    pub can_answer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PopUpItem {
    pub label: String,
    pub value: String,
}

/// User settings as the Settings screen edits them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SettingsView {
    /// `builtin:<name>` for a bundled tone, or a path to the user's own file.
    pub ringtone: String,
    /// 0.0 – 1.0.
    pub volume: f32,
    /// `null` = the system default output.
    pub output_device: Option<String>,
    pub pop_up_enabled: bool,
    pub start_minimised: bool,
    pub theme: Theme,
    /// BCP-47 tag, e.g. `en`, `de`; `null` follows the OS.
    pub language: Option<String>,
    /// The bundled tones to choose from.
    pub builtin_ringtones: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Theme {
    System,
    Light,
    Dark,
}
