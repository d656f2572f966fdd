//! One Tauri command per row of the UI contract (`ringside_core::desk::requests`). Each is a
//! call into [`App`](ringside_core::app::App); the shell adds nothing but the binding.
//!
//! Arguments are never logged: the sign-in form carries a password.
use ringside_core::desk::{
    CallActionRequest, ContactView, DeskView, Lookups, SettingsView, SignInDefaults, SignInForm,
    StateRequest, UiError, WrapUpRequest,
};
use ringside_core::team::{TeamActionRequest, TeamDiff, TeamViewOptions};
use tauri::State;

use crate::state::AppHandleState;

#[tauri::command]
pub async fn sign_in(state: State<'_, AppHandleState>, form: SignInForm) -> Result<(), UiError> {
    state.app.sign_in(form).await
}

#[tauri::command]
pub async fn sign_out(
    state: State<'_, AppHandleState>,
    reason_id: Option<String>,
) -> Result<(), UiError> {
    state.app.sign_out(reason_id).await
}

#[tauri::command]
pub async fn set_state(
    state: State<'_, AppHandleState>,
    request: StateRequest,
) -> Result<(), UiError> {
    state.app.set_state(request).await
}

#[tauri::command]
pub async fn call_action(
    state: State<'_, AppHandleState>,
    request: CallActionRequest,
) -> Result<(), UiError> {
    state.app.call_action(request).await
}

#[tauri::command]
pub async fn make_call(state: State<'_, AppHandleState>, number: String) -> Result<(), UiError> {
    state.app.make_call(number).await
}

#[tauri::command]
pub async fn set_wrap_up(
    state: State<'_, AppHandleState>,
    request: WrapUpRequest,
) -> Result<(), UiError> {
    state.app.set_wrap_up(request).await
}

#[tauri::command]
pub async fn get_desk(state: State<'_, AppHandleState>) -> Result<DeskView, UiError> {
    state.app.get_desk().await
}

#[tauri::command]
pub async fn get_lookups(state: State<'_, AppHandleState>) -> Result<Lookups, UiError> {
    state.app.get_lookups().await
}

#[tauri::command]
pub async fn search_contacts(
    state: State<'_, AppHandleState>,
    query: String,
) -> Result<Vec<ContactView>, UiError> {
    state.app.search_contacts(query).await
}

#[tauri::command]
pub async fn get_sign_in_defaults(
    state: State<'_, AppHandleState>,
) -> Result<SignInDefaults, UiError> {
    state.app.get_sign_in_defaults().await
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppHandleState>) -> Result<SettingsView, UiError> {
    state.app.get_settings().await
}

#[tauri::command]
pub async fn save_settings(
    state: State<'_, AppHandleState>,
    settings: SettingsView,
) -> Result<(), UiError> {
    state.app.save_settings(settings).await
}

#[tauri::command]
pub async fn dismiss_alert(state: State<'_, AppHandleState>, id: u64) -> Result<(), UiError> {
    state.app.dismiss_alert(id).await
}

#[tauri::command]
pub async fn dismiss_pop_up(
    state: State<'_, AppHandleState>,
    call_id: String,
) -> Result<(), UiError> {
    state.app.dismiss_pop_up(call_id).await
}

#[tauri::command]
pub async fn list_audio_outputs(state: State<'_, AppHandleState>) -> Result<Vec<String>, UiError> {
    state.app.list_audio_outputs().await
}

#[tauri::command]
pub async fn preview_ringtone(state: State<'_, AppHandleState>) -> Result<(), UiError> {
    state.app.preview_ringtone().await
}

#[tauri::command]
pub async fn get_team(state: State<'_, AppHandleState>) -> Result<TeamDiff, UiError> {
    state.app.get_team().await
}

#[tauri::command]
pub async fn choose_team(state: State<'_, AppHandleState>, team_id: String) -> Result<(), UiError> {
    state.app.choose_team(team_id).await
}

#[tauri::command]
pub async fn set_team_view(
    state: State<'_, AppHandleState>,
    view: TeamViewOptions,
) -> Result<(), UiError> {
    state.app.set_team_view(view).await
}

#[tauri::command]
pub async fn team_action(
    state: State<'_, AppHandleState>,
    request: TeamActionRequest,
) -> Result<(), UiError> {
    state.app.team_action(request).await
}

#[tauri::command]
pub async fn dismiss_team_error(
    state: State<'_, AppHandleState>,
    agent_id: String,
) -> Result<(), UiError> {
    state.app.dismiss_team_error(agent_id).await
}

pub use crate::command_names::COMMAND_NAMES;

#[cfg(test)]
mod tests {
    use super::COMMAND_NAMES;

    /// The command names in the contract table of `ringside_core::desk::requests`.
    fn contract_names() -> Vec<String> {
        let contract = include_str!("../../crates/ringside-core/src/desk/requests.rs");
        contract
            .lines()
            .filter_map(|line| line.strip_prefix("//! | `"))
            .filter_map(|rest| rest.split_once('`').map(|(name, _)| name.to_owned()))
            .collect()
    }

    #[test]
    fn every_contract_command_is_granted_and_nothing_else() {
        let mut contract = contract_names();
        let mut granted: Vec<String> = COMMAND_NAMES.iter().map(|n| (*n).to_owned()).collect();
        contract.sort();
        granted.sort();
        assert!(!contract.is_empty(), "the contract table was not found");
        assert_eq!(granted, contract);
    }
}
