// The Tauri commands of the UI contract, in one list: `build.rs` includes this file to
// declare them in the app's permission manifest (so a capability must grant each one to a
// window), and `commands.rs` checks it against the contract table in ringside-core.
/// Every command the shell registers.
pub const COMMAND_NAMES: &[&str] = &[
    "sign_in",
    "sign_out",
    "set_state",
    "call_action",
    "make_call",
    "set_wrap_up",
    "get_desk",
    "get_lookups",
    "search_contacts",
    "get_sign_in_defaults",
    "get_settings",
    "save_settings",
    "dismiss_alert",
    "dismiss_pop_up",
    "list_audio_outputs",
    "preview_ringtone",
    "get_team",
    "choose_team",
    "set_team_view",
    "team_action",
    "dismiss_team_error",
];
