//! # ringside (the shell)
//!
//! The Tauri 2 desktop shell around [`ringside_core::app::App`]: two windows, the tray, one
//! Tauri command per row of the UI contract, native notifications and the quit dialog. It
//! holds no logic a test could not reach without a webview.
//!
//! - [`cli`]: launch flags (the top settings layer).
//! - [`state`]: builds the app controller; the state commands share.
//! - [`commands`]: the Tauri commands.
//! - [`effects`]: desk events, pop-up, notifications and tray from the controller.
//! - [`windows`]: show, hide and place the main window and the pop-up.
//! - [`tray`]: the tray icon and its menu.
//! - [`quit`]: quitting, with the sign-out question.
//! - [`logging`]: rolling log file in the OS log directory.
#![deny(unsafe_code)]

pub mod cli;
mod command_names;
pub mod commands;
pub mod effects;
pub mod logging;
pub mod notify;
pub mod quit;
pub mod state;
pub mod tray;
pub mod windows;

use std::process::ExitCode;

use tauri::{Manager, RunEvent, Runtime, WindowEvent};

use crate::state::AppHandleState;

/// The identifier in `tauri.conf.json`; names the log directory.
pub const IDENTIFIER: &str = "org.ringside.desktop";

/// Build the controller, put up the tray, start forwarding, and show the main window unless
/// the agent starts in the tray.
fn set_up(
    app: &mut tauri::App,
    options: &cli::LaunchOptions,
) -> Result<(), Box<dyn std::error::Error>> {
    let state = tauri::async_runtime::block_on(async { AppHandleState::start(options) })?;
    let controller = state.app.clone();
    app.manage(state);
    let effects = controller.effects();
    if let Err(e) = tray::create(app.handle(), &controller.tray()) {
        // A desktop without a tray (some Wayland shells) still gets the window.
        tracing::warn!(error = %e, "no tray icon");
    }
    effects::forward(app.handle(), controller.clone(), effects);
    let start_minimised = tauri::async_runtime::block_on(controller.get_settings())
        .map(|settings| settings.start_minimised)
        .unwrap_or(false);
    if !start_minimised || app.tray_by_id(tray::TRAY_ID).is_none() {
        windows::show_main(app.handle());
    }
    Ok(())
}

fn on_window_event(window: &tauri::Window, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    api.prevent_close();
    let app = window.app_handle();
    match window.label() {
        // Close to the tray: the agent stays signed in and reachable.
        windows::MAIN => windows::hide_main(app),
        // Closing the pop-up from the window manager is a dismissal.
        windows::POP_UP => {
            let controller = app.state::<AppHandleState>().app.clone();
            if let Some(call) = controller.pop_up() {
                tauri::async_runtime::spawn(async move {
                    let _ = controller.dismiss_pop_up(call.call_id).await;
                });
            }
            windows::hide_pop_up(app);
        }
        _ => {}
    }
}

/// Register every command of the UI contract ([`commands::COMMAND_NAMES`]) on `builder`.
/// The app and the shell tests (on Tauri's mock runtime) share this one registration.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::sign_in,
        commands::sign_out,
        commands::set_state,
        commands::call_action,
        commands::make_call,
        commands::set_wrap_up,
        commands::get_desk,
        commands::get_lookups,
        commands::search_contacts,
        commands::get_sign_in_defaults,
        commands::get_settings,
        commands::save_settings,
        commands::dismiss_alert,
        commands::dismiss_pop_up,
        commands::list_audio_outputs,
        commands::preview_ringtone,
        commands::get_team,
        commands::choose_team,
        commands::set_team_view,
        commands::team_action,
        commands::dismiss_team_error,
    ])
}

/// Start the desktop app and return when it quits.
pub fn run() -> ExitCode {
    let options = match cli::LaunchOptions::parse_or_exit_code(std::env::args_os()) {
        Ok(options) => options,
        Err(code) => return ExitCode::from(u8::try_from(code).unwrap_or(2)),
    };
    let log = logging::init(IDENTIFIER);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), log_dir = ?log.dir, "ringside starting");

    let builder = tauri::Builder::default()
        // Must come first: a second launch hands over to the first and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            windows::show_main(app);
        }))
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_denylist(&[windows::POP_UP])
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::SIZE
                        | tauri_plugin_window_state::StateFlags::POSITION
                        | tauri_plugin_window_state::StateFlags::MAXIMIZED,
                )
                .build(),
        )
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init());
    let built = with_commands(builder)
        .setup(move |app| set_up(app, &options))
        .on_window_event(on_window_event)
        .build(tauri::generate_context!());
    let app = match built {
        Ok(app) => app,
        Err(e) => {
            tracing::error!(error = %e, "the desktop shell could not start");
            eprintln!("ringside: {e}");
            return ExitCode::FAILURE;
        }
    };
    app.run(|_app, event| {
        if let RunEvent::Exit = event {
            tracing::info!("ringside stopped");
        }
    });
    ExitCode::SUCCESS
}
